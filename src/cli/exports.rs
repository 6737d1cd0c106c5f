//! `wasmscope exports`: what a module offers its host.

use std::process::ExitCode;

use wasmscope::index::Export;

use super::render::JsonArg;
use super::{GlueArg, InputArg};

/// List the exports: name, kind, index and type.
///
/// For a component, its own exports come first, then each nested core
/// module's (the CORE column says which).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope exports app.wasm
  wasmscope exports app.wasm --filter alloc
  wasmscope exports --demo --json
  wasmscope exports codec.wasm --glue codec.js   real names of a minified build

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Keep only exports whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,

    #[command(flatten)]
    glue: GlueArg,

    #[command(flatten)]
    json: JsonArg,
}

impl Opts {
    /// Every export, as `export --list` shows them.
    pub fn listing(input: InputArg, json: bool) -> Opts {
        Opts {
            input,
            filter: None,
            glue: GlueArg {
                glue: None,
                no_glue: false,
            },
            json: JsonArg { json },
        }
    }

    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::listing::run::<Export>(&self.input, &self.glue, self.filter.as_deref(), &self.json)
    }
}
