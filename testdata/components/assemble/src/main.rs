//! For each `calc/NAME.wit` given, writes `NAME.core.wasm` (a core module
//! for the world `calculator`, every function `unreachable`, with the WIT
//! embedded in its `component-type` section) and `NAME.wasm` (that module
//! made a component).
//!
//!     cargo run --release -- OUT_DIR calc/v1.wit calc/v2-compatible.wit ...

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::{ManglingAndAbi, Resolve};

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let out = PathBuf::from(args.next().context("usage: assemble OUT_DIR WIT...")?);
    for wit in args {
        let wit = PathBuf::from(wit);
        build(&wit, &out).with_context(|| format!("{}", wit.display()))?;
    }
    Ok(())
}

fn build(wit: &Path, out: &Path) -> Result<()> {
    let stem = wit.file_stem().context("a file name")?.to_string_lossy();
    let mut resolve = Resolve::default();
    let package = resolve.push_file(wit)?;
    let world = resolve.select_world(&[package], Some("calculator"))?;
    let mut core = wit_component::dummy_module(&resolve, world, ManglingAndAbi::Standard32);
    wit_component::embed_component_metadata(&mut core, &resolve, world, StringEncoding::UTF8, false)?;
    let component = ComponentEncoder::default()
        .module(&core)?
        .validate(true)
        .encode()?;
    std::fs::write(out.join(format!("calc-{stem}.core.wasm")), &core)?;
    std::fs::write(out.join(format!("calc-{stem}.wasm")), &component)?;
    Ok(())
}
