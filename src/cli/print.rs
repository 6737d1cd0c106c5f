//! `wasmscope print`: binary to text.

use std::process::ExitCode;

use wasmscope::print::{FunctionSelector, PrintOptions};

use super::{ColorChoice, InputArg, OutputArg};

/// Print a module as WebAssembly text (what wasm2wat does).
///
/// A text input is parsed first, so this also normalises .wat files.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope print app.wasm                    the whole module as text
  wasmscope print app.wasm -o app.wat         write it to a file
  wasmscope print --demo --func hasher::main  one function, with byte offsets
  wasmscope print app.wasm --skeleton         declarations only, no bodies
  wasmscope print app.wasm --offsets | less   each line with its byte offset

Exit status: 0 printed, 1 the module could not be read or decoded, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    output: OutputArg,

    /// Start each line with the byte offset it was decoded from, as a comment.
    #[arg(long)]
    offsets: bool,

    /// Print instructions as folded s-expressions: `(i32.add (local.get 0) (i32.const 1))`.
    #[arg(long)]
    fold: bool,

    /// Print declarations only: no function bodies, no data contents.
    #[arg(long)]
    skeleton: bool,

    /// Give every unnamed item a synthesized name ($#func12 and so on).
    #[arg(long)]
    name_unnamed: bool,

    /// Print only this function (by index, or by name from the name section),
    /// with byte offsets.
    #[arg(long, value_name = "NAME|INDEX")]
    func: Option<String>,

    /// Colour the text.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (source, input) = self.input.read()?;
        let bytes = input.to_binary()?;
        let opts = PrintOptions {
            offsets: self.offsets,
            fold: self.fold,
            skeleton: self.skeleton,
            name_unnamed: self.name_unnamed,
            color: self.color.enabled(&self.output),
            function: self.func.as_deref().map(FunctionSelector::parse),
            ..PrintOptions::default()
        };
        self.output.write(&source, false, |out| {
            wasmscope::print::print(&bytes, &input.name, &opts, out)
        })?;
        Ok(ExitCode::SUCCESS)
    }
}
