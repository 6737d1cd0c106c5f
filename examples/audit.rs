//! Audits a module's capabilities: what it would need from its host, and
//! which imports its reachable code calls for each.
//!
//! ```text
//! cargo run --example audit -- app.wasm
//! cargo run --example audit              # the demo module built into wasmscope
//! ```

use wasmscope::Source;
use wasmscope::input::Loaded;

fn main() -> anyhow::Result<()> {
    let source = match std::env::args_os().nth(1) {
        Some(path) => Source::from_arg(path.as_ref()),
        None => Source::Demo,
    };
    let loaded = Loaded::load(&source)?;
    let caps = wasmscope::caps::audit(&loaded.name, &loaded.bytes, &loaded.index)
        .map_err(|e| loaded.error(e))?;
    println!("{} needs:", caps.file);
    for capability in caps.needed(false) {
        println!(
            "  {} ({} risk): {}",
            capability.name,
            capability.risk.name(),
            capability.meaning
        );
        for import in capability.imports.iter().filter(|i| i.reachable) {
            println!("    {} {}", import.module, import.name);
        }
    }
    Ok(())
}
