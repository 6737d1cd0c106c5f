//! `wasmscope roundtrip`: does text preserve the module exactly?

use std::process::ExitCode;

use wasmscope::InputKind;
use wasmscope::roundtrip::Outcome;

use super::InputArg;

/// Check that binary -> text -> binary gives back the same bytes.
///
/// For a text input, checks that text -> binary -> text -> binary is a fixed
/// point. Prints `identical`, or the offset, section and function of the
/// first difference.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope roundtrip app.wasm
  wasmscope roundtrip app.wat
  wasmscope roundtrip --demo

Exit status: 0 identical, 1 the bytes differ or the module cannot be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (_, input) = self.input.read()?;
        match wasmscope::roundtrip::roundtrip(&input)? {
            Outcome::Identical => {
                println!("identical");
                Ok(ExitCode::SUCCESS)
            }
            Outcome::Differs(d) => {
                let what = match input.kind {
                    InputKind::Binary => "binary -> text -> binary changes the bytes",
                    InputKind::Text => "text -> binary -> text -> binary is not a fixed point",
                };
                println!("{}: {what}: {d}", input.name);
                Ok(ExitCode::from(1))
            }
        }
    }
}
