//! `wasmscope gc`: remove what nothing reachable uses.

use std::process::ExitCode;

use wasmscope::edit::EditCommand;
use wasmscope::edit::gc::{GcOptions, gc};
use wasmscope::print::FunctionSelector;

use super::InputArg;
use super::editing::EditArgs;

/// Remove functions, globals, tables and segments that nothing reachable uses.
///
/// The roots are the exports, the start function and --root functions;
/// instantiation keeps active data segments, and the active element
/// segments of every table that is kept. Unused imported functions and
/// globals go too, so the module asks its host for less. Every index is
/// renumbered, in the code, the other sections and the name section.
/// Debug information (DWARF, source maps) describes code by offset and is
/// removed when code changes. `stats --garbage` shows what would go.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope gc app.wasm -o app.small.wasm
  wasmscope gc app.wasm --dry-run                 what would go
  wasmscope gc app.wasm --keep-export _start -i   only what _start needs
  wasmscope gc app.wasm --root my_debug_hook -o out.wasm

Exit status: 0 done, 1 the module could not be read or the result would not validate, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// Keep only the function exports named NAME (repeatable): the others
    /// are removed, and with them what only they used. Exports of memories,
    /// tables and globals always stay.
    #[arg(long, value_name = "NAME")]
    keep_export: Vec<String>,

    /// Keep the function FUNC (a name or an index) and what it uses, even if
    /// nothing reaches it. Repeatable.
    #[arg(long, value_name = "FUNC")]
    root: Vec<String>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let source = self.edit.source(&self.input)?;
        let opts = GcOptions {
            keep_exports: self.keep_export.clone(),
            roots: self
                .root
                .iter()
                .map(|r| FunctionSelector::parse(r))
                .collect(),
        };
        self.edit.run(EditCommand::Gc, &source, |input, bytes| {
            Ok(gc(bytes, &input.name, &opts)?)
        })
    }
}
