//! `wasmscope print`: binary to text.

use std::process::ExitCode;
use std::sync::Arc;

use wasmscope::debuginfo::{Companions, DebugInfo};
use wasmscope::print::{FunctionSelector, PrintOptions, SourceNotes};
use wasmscope::{Input, Source};

use super::debug::DebugArgs;
use super::{ColorChoice, InputArg, Loaded, OutputArg};

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
  wasmscope print app.wasm --func main --source   source lines above the code
  wasmscope print app.wasm --source --source-prefix /build/app=.

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

    /// Above the instructions, a comment with the source file and line that
    /// made them wherever the line changes, and the line itself when the
    /// file can be read here (from DWARF, or a source map).
    #[arg(long)]
    source: bool,

    #[command(flatten)]
    debug: DebugArgs,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (source, input) = self.input.read()?;
        if self.source {
            return self.print_with_source(&source, input);
        }
        let bytes = input.to_binary()?;
        let opts = self.options();
        self.output.write(&source, false, |out| {
            wasmscope::print::print(&bytes, &input.name, &opts, out)
        })?;
        Ok(ExitCode::SUCCESS)
    }

    fn options(&self) -> PrintOptions {
        PrintOptions {
            offsets: self.offsets,
            fold: self.fold,
            skeleton: self.skeleton,
            name_unnamed: self.name_unnamed,
            color: self.color.enabled(&self.output),
            function: self.func.as_deref().map(FunctionSelector::parse),
            ..PrintOptions::default()
        }
    }

    /// `--source`: the module is indexed and its line table read first.
    fn print_with_source(&self, source: &Source, input: Input) -> anyhow::Result<ExitCode> {
        let loaded = Loaded::from_input(input)?;
        if loaded.index.component {
            anyhow::bail!(
                "{}: --source reads the debug info of a core module; this is a component",
                loaded.name
            );
        }
        let path = match source {
            Source::File(path) => Some(path.as_path()),
            _ => None,
        };
        let options = self.debug.options(false);
        let companions = Companions::find(&loaded, path, &options)?;
        let debug = DebugInfo::new(&loaded, &companions, &options);
        let notes = SourceNotes::new(&debug, &loaded.index)?;
        let opts = PrintOptions {
            source: Some(Arc::new(notes)),
            ..self.options()
        };
        self.output.write(source, false, |out| {
            wasmscope::print::print(&loaded.bytes, &loaded.name, &opts, out)
        })?;
        // Said once the text is out, so that a failure stays one line.
        for note in &debug.found.notes {
            eprintln!("wasmscope: note: {note}");
        }
        if !debug.has_lines() {
            eprintln!(
                "wasmscope: note: {} has no DWARF line table or source map: no source lines to show",
                loaded.name
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
