//! `wasmscope parse`: text to binary.

use std::process::ExitCode;

use super::{InputArg, OutputArg, write_bytes};

/// Encode WebAssembly text as a binary module or component (what wat2wasm does).
///
/// Folded and flat instructions are both accepted, and components too. The
/// result is validated before it is written unless --no-validate is given; a
/// binary input is passed through unchanged (after validation).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope parse app.wat -o app.wasm        text to binary
  wasmscope parse - -o app.wasm < app.wat    from stdin
  wasmscope parse app.wat | wasmscope validate -
  wasmscope parse --no-validate draft.wat -o draft.wasm

Exit status: 0 written, 1 the text does not parse or the module is invalid, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    output: OutputArg,

    /// Write the binary even if it does not validate.
    #[arg(long)]
    no_validate: bool,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (source, input) = self.input.read()?;
        let bytes = input.to_binary()?;
        if !self.no_validate {
            let features = wasmscope::features::default_features();
            wasmscope::validate::validate(&bytes, &input.name, features)
                .map_err(|e| wasmscope::validate::locate_in_text(&input, &bytes, e))?;
        }
        self.output
            .write(&source, true, |out| write_bytes(out, &bytes))?;
        Ok(ExitCode::SUCCESS)
    }
}
