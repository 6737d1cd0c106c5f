//! `wasmscope strip`: remove custom sections.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wasmscope::Source;
use wasmscope::edit::strip::{StripOptions, split_debug, strip};
use wasmscope::edit::{EditCommand, Patterns};

use super::InputArg;
use super::editing::EditArgs;

/// Remove custom sections: debug information and the producers record by
/// default.
///
/// By default DWARF (`.debug_*`), `sourceMappingURL`, `external_debug_info`
/// and `producers` go. The name section stays (function names in stack
/// traces and profiles) unless --names is given. --all removes every custom
/// section except those the module needs, the name section included, as
/// `wasm-strip` and `wasm-tools strip --all` do: it keeps `component-type:*`,
/// `dylink.0`, and in an object file `linking`, `reloc.*` and
/// `target_features` (`--keep name` keeps the names as well). The
/// nested modules of a component are stripped too. Every other section is
/// copied byte for byte, and the result is validated before it is written.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope strip app.wasm -o app.small.wasm   debug info and producers
  wasmscope strip app.wasm -i                  the same, in place
  wasmscope strip app.wasm --all -i            every custom section that can go
  wasmscope strip app.wasm --all --keep name -o out.wasm
                                               all but the function names
  wasmscope strip app.wasm --remove 'go:*' -o out.wasm
  wasmscope strip app.wasm --all --keep my-section -o out.wasm
  wasmscope strip app.wasm --dry-run           what would go, and the bytes saved
  wasmscope strip app.wasm --split-debug app.debug.wasm -o app.release.wasm

Exit status: 0 done, 1 the module could not be read or the result would not validate, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// Remove every custom section the module does not need, the name
    /// section included.
    #[arg(long)]
    all: bool,

    /// Remove the name section (a component's `component-name`) too (--all
    /// does already).
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

    /// Move the DWARF to OUT instead of dropping it: OUT is the whole
    /// original module (valid wasm that any DWARF reader takes), and the
    /// stripped module names it in `external_debug_info` and shares a
    /// `build_id` with it (one is added if the module has none), so that
    /// `wasmscope symbolize` on the stripped module finds it.
    #[arg(long, value_name = "OUT")]
    split_debug: Option<PathBuf>,
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
        let Some(debug_file) = &self.split_debug else {
            return self.edit.run(EditCommand::Strip, &source, |input, bytes| {
                Ok(strip(bytes, &input.name, &opts)?)
            });
        };
        wasmscope::output::ensure_not_input(&source, debug_file)
            .map_err(|e| super::UsageError(e.to_string()))?;
        if let Some(out) = &self.edit.output
            && out == debug_file
        {
            return Err(super::UsageError(
                "--split-debug names the same file as -o: the debug file needs a name of its own"
                    .into(),
            )
            .into());
        }
        let module_path = match (&self.edit.output, &source) {
            (Some(out), _) if out.as_os_str() != "-" => Some(out.clone()),
            (None, Source::File(input)) if self.edit.in_place => Some(input.clone()),
            _ => None,
        };
        let link = link_name(debug_file, module_path.as_deref());
        self.edit.run(EditCommand::Strip, &source, |input, bytes| {
            let stripped = strip(bytes, &input.name, &opts)?;
            let split = split_debug(bytes, &input.name, stripped, &link)?;
            wasmscope::edit::check(&split.debug, &input.name)?;
            // The debug file is written first, so that a stripped module
            // never names a file that is not there.
            if !self.edit.dry_run {
                wasmscope::output::write_atomic(debug_file, |out| {
                    wasmscope::output::write_bytes(out, &split.debug)
                })?;
            }
            Ok(split.stripped)
        })
    }
}

/// What the stripped module's `external_debug_info` says: the debug file's
/// name alone when it sits beside the module, else its full path.
fn link_name(debug_file: &Path, module: Option<&Path>) -> String {
    let dir_of = |p: &Path| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        wasmscope::output::real_path(parent.unwrap_or(Path::new(".")))
    };
    let beside = module.is_some_and(|m| dir_of(m).is_some() && dir_of(m) == dir_of(debug_file));
    match (beside, debug_file.file_name()) {
        (true, Some(name)) => name.to_string_lossy().into_owned(),
        _ => std::path::absolute(debug_file)
            .unwrap_or_else(|_| debug_file.to_path_buf())
            .display()
            .to_string(),
    }
}
