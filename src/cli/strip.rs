//! `wasmscope strip`: remove custom sections.

use std::process::ExitCode;

use wasmscope::edit::strip::{StripOptions, strip};
use wasmscope::edit::{EditCommand, Patterns};

use super::InputArg;
use super::editing::EditArgs;

/// Remove custom sections: debug information and the producers record by
/// default.
///
/// By default DWARF (`.debug_*`), `sourceMappingURL`, `external_debug_info`
/// and `producers` go. The name section stays (function names in stack
/// traces and profiles) unless --names is given. --all removes every custom
/// section except those the module needs: `component-type:*`, `dylink.0`,
/// and in an object file `linking`, `reloc.*` and `target_features`. The
/// nested modules of a component are stripped too. Every other section is
/// copied byte for byte, and the result is validated before it is written.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope strip app.wasm -o app.small.wasm   debug info and producers
  wasmscope strip app.wasm -i                  the same, in place
  wasmscope strip app.wasm --all --names -i    every custom section that can go
  wasmscope strip app.wasm --remove 'go:*' -o out.wasm
  wasmscope strip app.wasm --all --keep my-section -o out.wasm
  wasmscope strip app.wasm --dry-run           what would go, and the bytes saved

Exit status: 0 done, 1 the module could not be read or the result would not validate, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// Remove every custom section the module does not need.
    #[arg(long)]
    all: bool,

    /// Remove the name section (a component's `component-name`) too.
    #[arg(long)]
    names: bool,

    /// Keep sections named NAME (a glob such as `.debug_*` works), whatever
    /// else is asked. Repeatable.
    #[arg(long, value_name = "NAME|GLOB")]
    keep: Vec<String>,

    /// Remove sections named NAME (or matching the glob) as well. Repeatable;
    /// a pattern that matches nothing is an error.
    #[arg(long, value_name = "NAME|GLOB")]
    remove: Vec<String>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let source = self.edit.source(&self.input)?;
        let opts = StripOptions {
            all: self.all,
            names: self.names,
            keep: Patterns::new(&self.keep).map_err(|e| super::UsageError(e.to_string()))?,
            remove: Patterns::new(&self.remove).map_err(|e| super::UsageError(e.to_string()))?,
        };
        self.edit.run(EditCommand::Strip, &source, |input, bytes| {
            Ok(strip(bytes, &input.name, &opts)?)
        })
    }
}
