//! `wasmscope validate`: check modules against the specification.

use std::path::PathBuf;
use std::process::ExitCode;

use wasmscope::{Input, Source};

/// Check that modules are well-formed and valid.
///
/// Every proposal is accepted by default, legacy exceptions included; narrow
/// the set with --features. An error names the byte offset and, inside code,
/// the function (index and name) and the offending instruction.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope validate app.wasm                  every proposal enabled
  wasmscope validate a.wasm b.wat c.wasm       several modules, text or binary
  wasmscope validate --features wasm2 app.wasm only what WebAssembly 2.0 allows
  wasmscope validate --features=-gc,-threads app.wasm
  wasmscope validate --demo

Feature lists: presets all, mvp, wasm1, wasm2, wasm3, lime1, or proposal names
(simd, threads, gc, tail-call, exceptions, legacy-exceptions, memory64,
multi-memory, component-model...). A list starting with `-` or `+` edits the
default (everything); otherwise it builds up from wasm1.

Exit status: 0 all valid, 1 some module is malformed or invalid, 2 usage error.")]
pub struct Opts {
    /// Modules to check: .wasm or .wat files, or `-` for stdin.
    #[arg(value_name = "FILE", required_unless_present = "demo")]
    files: Vec<PathBuf>,

    /// Check the demo module built into wasmscope.
    #[arg(long)]
    demo: bool,

    /// The proposals to accept (see below).
    #[arg(long, value_name = "LIST", value_parser = wasmscope::features::parse_features)]
    features: Option<wasmparser::WasmFeatures>,

    /// Print nothing for valid modules.
    #[arg(short, long)]
    quiet: bool,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let features = self
            .features
            .unwrap_or_else(wasmscope::features::default_features);
        let mut sources: Vec<Source> = self.files.iter().map(|f| Source::from_arg(f)).collect();
        if self.demo {
            sources.push(Source::Demo);
        }
        let mut failed = false;
        for source in &sources {
            match check(source, features) {
                Ok(summary) => {
                    if !self.quiet {
                        println!("{summary}");
                    }
                }
                Err(err) => {
                    failed = true;
                    eprintln!("error: {err}");
                }
            }
        }
        Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}

fn check(source: &Source, features: wasmparser::WasmFeatures) -> wasmscope::Result<String> {
    let input = Input::read(source)?;
    let valid = wasmscope::validate::validate_input(&input, features)?;
    let what = if valid.component {
        "component"
    } else {
        "module"
    };
    let plural = if valid.functions == 1 { "" } else { "s" };
    Ok(format!(
        "{}: valid {what} ({} function{plural})",
        input.name, valid.functions
    ))
}
