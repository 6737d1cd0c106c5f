//! `wasmscope imports`: what a module asks its host for.

use std::process::ExitCode;

use wasmscope::index::Import;

use super::render::JsonArg;
use super::{GlueArg, InputArg};

/// List the imports: module, name, kind, index and type.
///
/// For a component, its own imports come first, then each nested core
/// module's (the MODULE column says which).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope imports app.wasm
  wasmscope imports app.wasm --filter fd_
  wasmscope imports --demo --json
  wasmscope imports codec.wasm --glue codec.js   real names of a minified build

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Keep only imports whose module or name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,

    #[command(flatten)]
    glue: GlueArg,

    #[command(flatten)]
    json: JsonArg,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        super::listing::run::<Import>(&self.input, &self.glue, self.filter.as_deref(), &self.json)
    }
}
