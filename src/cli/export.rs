//! `wasmscope export`: remove or rename exports.

use std::process::ExitCode;

use wasmscope::edit::EditCommand;
use wasmscope::edit::export::{ExportOp, edit};

use super::InputArg;
use super::editing::EditArgs;

/// Remove or rename a module's exports.
///
/// Only the export section changes; the functions stay (`wasmscope gc`
/// removes what a removed export alone used). A rename onto a name that is
/// already exported is refused. Removals are done first, then renames, each
/// in the order given. Without an edit (or with --list) the exports are
/// listed, as `wasmscope exports` does.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope export app.wasm --list
  wasmscope export app.wasm --remove debug_dump -o app.out.wasm
  wasmscope export app.wasm --rename run=_start -i
  wasmscope export app.wasm --remove a --remove b --dry-run

Exit status: 0 done, 1 no such export, a collision, or the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// List the exports.
    #[arg(long, conflicts_with_all = ["remove", "rename"])]
    list: bool,

    /// Remove the export named NAME. Repeatable.
    #[arg(long, value_name = "NAME")]
    remove: Vec<String>,

    /// Rename an export. Repeatable.
    #[arg(long, value_name = "OLD=NEW", value_parser = parse_rename)]
    rename: Vec<(String, String)>,
}

fn parse_rename(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((old, new)) if !old.is_empty() && !new.is_empty() => {
            Ok((old.to_string(), new.to_string()))
        }
        _ => Err(format!("expected OLD=NEW, got `{text}`")),
    }
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if self.list || (self.remove.is_empty() && self.rename.is_empty()) {
            self.edit
                .refuse_without_edit("--remove NAME or --rename OLD=NEW")?;
            return super::exports::Opts::listing(self.input, self.edit.json).run();
        }
        let source = self.edit.source(&self.input)?;
        let ops: Vec<ExportOp> = self
            .remove
            .iter()
            .map(|n| ExportOp::Remove(n.clone()))
            .chain(
                self.rename
                    .iter()
                    .map(|(o, n)| ExportOp::Rename(o.clone(), n.clone())),
            )
            .collect();
        self.edit.run(EditCommand::Export, &source, |input, bytes| {
            Ok(edit(bytes, &input.name, &ops)?)
        })
    }
}
