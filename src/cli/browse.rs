//! `wasmscope browse`: the terminal browser.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use wasmscope::Source;
use wasmscope::browse::Browse;

use super::GlueArg;
use super::debug::DebugArgs;

/// Explore a module in the terminal: what it imports and what that lets it
/// do, which functions call each import, and their code.
///
/// With debug info (DWARF, or a source map), also the source files and lines
/// the code came from: file:line beside the code, a source pane, and the
/// Sources view.
///
/// Views: 1 Overview, 2 Functions, 3 Code, 4 Imports, 5 Capabilities,
/// 6 Exports, 7 Sections, 8 Data, 9 Custom sections, 0 Sources (a core
/// module) or Component (a component).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope browse                   the demo module built into wasmscope
  wasmscope browse app.wasm
  wasmscope browse app.wat           text is parsed first
  wasmscope browse codec.wasm --glue codec.js
                                     a minified Emscripten build, named
  wasmscope browse app.wasm --source-prefix /build/app=$HOME/src/app
                                     read the sources the DWARF names from here

Keys: Tab / Shift-Tab or 1-9, 0 switch views; arrows or j k move; Enter opens
(a function's code, a call's callee, an import's callers, a source file or
line); Backspace goes back; S shows or hides the source pane in Code; / searches
(filters in Functions), n N repeat; ? lists every key; q quits.

Exit status: 0 closed normally, 1 the module could not be read or there is no
terminal, 2 usage error.")]
pub struct Opts {
    /// The module: a .wasm or .wat file, or `-` for stdin. Without it, the
    /// demo module.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    #[command(flatten)]
    glue: GlueArg,

    #[command(flatten)]
    debug: DebugArgs,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let source = match &self.file {
            Some(path) => Source::from_arg(path),
            None => Source::Demo,
        };
        // Everything that can fail on the input fails here, before the
        // screen is taken.
        let (loaded, glue) = self.glue.load(&source)?;
        let path = match &source {
            Source::File(path) => Some(path.as_path()),
            _ => None,
        };
        let browse = Browse::with_debug(loaded, path, self.debug.options(false))?.with_glue(glue);
        if !io::stdout().is_terminal() {
            anyhow::bail!(
                "browse needs a terminal, and standard output is not one (for a report, try `wasmscope info`)"
            );
        }
        let (model, source) = browse.into_parts();
        match wasmscope_tui::run(model, source) {
            Ok(()) => Ok(ExitCode::SUCCESS),
            // A stop signal: the browser ended as asked, and says why.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(anyhow::anyhow!("browse {e}")),
            Err(e) => Err(e).context("terminal"),
        }
    }
}
