//! `wasmscope wit`: a component's contract, in WIT.

use std::path::PathBuf;
use std::process::ExitCode;

use wasmscope::wit::Wit;

use super::InputArg;
use super::render::JsonArg;

/// Show the WIT of a component: its world (what it imports and exports)
/// and every interface it uses, with their types and functions.
///
/// The text is what `wasm-tools component wit` prints. A core module built
/// for the component model (with `component-type` custom sections) has WIT
/// too. `--out-dir` writes it as a package directory that WIT tools read
/// back; `--json` gives the contract as data.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope wit app.wasm
  wasmscope wit app.wasm --json
  wasmscope wit app.wasm --out-dir wit/      # wit/NAME.wit and wit/deps/*.wit
  wasmscope wit app.core.wasm                # WIT embedded in a core module

Exit status: 0 printed, 1 the input could not be read or has no WIT, 2 usage
error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Leave doc comments out.
    #[arg(long)]
    no_docs: bool,

    /// Write a WIT package directory: the component's package in
    /// DIR/NAME.wit and every package it uses in DIR/deps/NAME.wit (each
    /// file replaced whole). The files written are listed.
    #[arg(long, value_name = "DIR", conflicts_with = "json")]
    out_dir: Option<PathBuf>,

    #[command(flatten)]
    json: JsonArg,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        // The WIT is in the component's own sections: no index is needed.
        let (_, name, bytes) = self.input.binary()?;
        let wit = Wit::decode(&bytes).map_err(|e| anyhow::anyhow!(e.in_file(&name)))?;
        if let Some(dir) = &self.out_dir {
            let files = wit
                .package_files(!self.no_docs)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let mut written = Vec::new();
            for (path, text) in files {
                let path = dir.join(path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        anyhow::anyhow!("{}: cannot create the directory: {e}", parent.display())
                    })?;
                }
                wasmscope::output::write_atomic(&path, |out| {
                    wasmscope::output::write_bytes(out, text.as_bytes())
                })?;
                written.push(path);
            }
            super::write_stdout(|out| {
                for path in &written {
                    writeln!(out, "wrote {}", path.display())?;
                }
                Ok(())
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        if self.json.json {
            let mut report = wit.report();
            report.module = name.clone();
            self.json.print(&report, |_, _| Ok(()))?;
            return Ok(ExitCode::SUCCESS);
        }
        let text = wit
            .text(!self.no_docs)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        super::write_stdout(|out| out.write_all(text.as_bytes()))?;
        Ok(ExitCode::SUCCESS)
    }
}
