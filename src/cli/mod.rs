//! The command line: one file per subcommand, and the input and output
//! arguments they all share.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use wasmscope::{Input, Source};

use wasmscope::glue::GlueUse;
pub use wasmscope::input::Loaded;

#[cfg(all(feature = "browse", not(target_os = "wasi")))]
mod browse;
mod calls;
mod caps;
mod check;
mod completions;
mod custom;
mod debug;
mod diff;
#[cfg(not(target_os = "wasi"))]
mod edit;
mod editing;
mod export;
mod exports;
mod extract;
mod gc;
mod imports;
mod info;
mod install_links;
mod listing;
mod man;
mod metadata;
mod parse;
mod print;
mod render;
mod roundtrip;
mod sections;
mod stats;
mod strip;
mod symbolize;
mod validate;
pub mod wabt;
mod wit;

/// Look inside WebAssembly modules and change them safely.
///
/// Every command that reads a module takes a .wasm or .wat file (told apart
/// by content, not by name), `-` for stdin, or `--demo` for the embedded demo
/// module.
#[derive(Debug, clap::Parser)]
#[command(name = "wasmscope", version, max_term_width = 100)]
#[command(after_help = "\
Examples:
  wasmscope browse                       explore the demo module in the terminal
  wasmscope print --demo                 the demo module as text
  wasmscope parse app.wat -o app.wasm    text to binary
  wasmscope validate *.wasm              check modules against the spec
  wasmscope roundtrip app.wasm           binary -> text -> binary gives the same bytes?
  wasmscope strip app.wasm -o small.wasm remove debug info and producers
  wasmscope symbolize app.wasm 0x46d     the function and source line at an offset
  wasmscope gc app.wasm -i               remove unreachable code, in place
  wasmscope install-links ~/bin          wasm2wat, wasm-objdump... as links to wasmscope

Exit status: 0 success, 1 error or difference found, 2 usage error.")]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// With no subcommand: a module to summarise, as `wasmscope info` does.
    #[command(flatten)]
    pub info: info::Opts,
}

impl Cli {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Some(command) => command.run(),
            None if self.info.input.file.is_none()
                && !self.info.input.demo
                && io::stdin().is_terminal() =>
            {
                // Nothing to read: show what there is to do.
                let _ = <Self as clap::CommandFactory>::command().print_help();
                Ok(ExitCode::from(2))
            }
            None => {
                // `wasmscope frobnicate`: a word that names no file is more
                // likely a mistyped subcommand.
                if let Some(word) = &self.info.input.file {
                    let text = word.to_string_lossy();
                    let plain = !text.contains(['.', '/', '\\']) && text != "-";
                    if plain && !word.exists() {
                        return Err(UsageError(format!(
                            "no such subcommand or file: `{text}` (see wasmscope --help)"
                        ))
                        .into());
                    }
                }
                self.info.run()
            }
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Print(print::Opts),
    Parse(parse::Opts),
    Validate(validate::Opts),
    Roundtrip(roundtrip::Opts),
    Info(info::Opts),
    Sections(sections::Opts),
    Stats(stats::Opts),
    Imports(imports::Opts),
    Exports(exports::Opts),
    Calls(calls::Opts),
    Symbolize(symbolize::Opts),
    Wit(wit::Opts),
    Extract(extract::Opts),
    Caps(caps::Opts),
    Check(check::Opts),
    Diff(diff::Opts),
    Strip(strip::Opts),
    Export(export::Opts),
    Custom(custom::Opts),
    Metadata(metadata::Opts),
    Gc(gc::Opts),
    #[cfg(not(target_os = "wasi"))]
    Edit(edit::Opts),
    #[cfg(all(feature = "browse", not(target_os = "wasi")))]
    Browse(browse::Opts),
    Completions(completions::Opts),
    Man(man::Opts),
    InstallLinks(install_links::Opts),
}

impl Command {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            Command::Print(opts) => opts.run(),
            Command::Parse(opts) => opts.run(),
            Command::Validate(opts) => opts.run(),
            Command::Roundtrip(opts) => opts.run(),
            Command::Info(opts) => opts.run(),
            Command::Sections(opts) => opts.run(),
            Command::Stats(opts) => opts.run(),
            Command::Imports(opts) => opts.run(),
            Command::Exports(opts) => opts.run(),
            Command::Calls(opts) => opts.run(),
            Command::Symbolize(opts) => opts.run(),
            Command::Wit(opts) => opts.run(),
            Command::Extract(opts) => opts.run(),
            Command::Caps(opts) => opts.run(),
            Command::Check(opts) => opts.run(),
            Command::Diff(opts) => opts.run(),
            Command::Strip(opts) => opts.run(),
            Command::Export(opts) => opts.run(),
            Command::Custom(opts) => opts.run(),
            Command::Metadata(opts) => opts.run(),
            Command::Gc(opts) => opts.run(),
            #[cfg(not(target_os = "wasi"))]
            Command::Edit(opts) => opts.run(),
            #[cfg(all(feature = "browse", not(target_os = "wasi")))]
            Command::Browse(opts) => opts.run(),
            Command::Completions(opts) => opts.run(),
            Command::Man(opts) => opts.run(),
            Command::InstallLinks(opts) => opts.run(),
        }
    }
}

/// Trouble in a command whose exit status 1 means "different" (`diff`):
/// exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Trouble(pub String);

/// A mistake in how the command was called: exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Whether an error is a closed output pipe (`wasmscope print x | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<wasmscope::Error>()
                .is_some_and(wasmscope::Error::is_broken_pipe)
    })
}

/// The module to read.
#[derive(Debug, Args)]
pub struct InputArg {
    /// The module: a .wasm or .wat file, or `-` for stdin (the default when
    /// stdin is not a terminal).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Read the demo module built into wasmscope instead of a file.
    #[arg(long, conflicts_with = "file")]
    pub demo: bool,
}

impl InputArg {
    pub fn source(&self) -> anyhow::Result<Source> {
        Ok(match (&self.file, self.demo) {
            (_, true) => Source::Demo,
            (Some(path), false) => Source::from_arg(path),
            (None, false) if !io::stdin().is_terminal() => Source::Stdin,
            (None, false) => {
                return Err(UsageError(
                    "no input: give a FILE, `-` for stdin, or --demo".to_string(),
                )
                .into());
            }
        })
    }

    pub fn read(&self) -> anyhow::Result<(Source, Input)> {
        let source = self.source()?;
        let input = Input::read(&source)?;
        Ok((source, input))
    }

    /// Reads the input as a binary (text is parsed), with its name for
    /// messages, without indexing it.
    pub fn binary(&self) -> anyhow::Result<(Source, String, wasmscope::input::Bytes)> {
        let (source, input) = self.read()?;
        let name = input.name.clone();
        Ok((source, name, input.into_binary()?))
    }

    /// Reads the input and indexes it: what every report command starts with.
    pub fn index(&self) -> anyhow::Result<Loaded> {
        Ok(Loaded::load(&self.source()?)?)
    }
}

/// Emscripten's JavaScript glue, for the real names of a minified build.
#[derive(Debug, Clone, Args)]
pub struct GlueArg {
    /// Emscripten's JavaScript glue for the module (the .js built with it):
    /// its minified imports and exports (`a.b`) get their real names. By
    /// default NAME.js, NAME.mjs or NAME.cjs beside NAME.wasm is used when
    /// it is Emscripten glue that fits.
    #[arg(long, value_name = "FILE.js")]
    pub glue: Option<PathBuf>,

    /// Do not look for glue beside the module.
    #[arg(long, conflicts_with = "glue")]
    pub no_glue: bool,
}

impl GlueArg {
    /// Which glue to use.
    pub fn choice(&self) -> wasmscope::glue::GlueChoice {
        use wasmscope::glue::GlueChoice;
        match (&self.glue, self.no_glue) {
            (Some(path), _) => GlueChoice::File(path.clone()),
            (None, true) => GlueChoice::Off,
            (None, false) => GlueChoice::Beside,
        }
    }

    /// Reads and indexes a module, and applies its glue.
    pub fn load(&self, source: &Source) -> wasmscope::Result<(Loaded, Option<GlueUse>)> {
        let mut loaded = Loaded::load(source)?;
        let glue = wasmscope::glue::attach(&self.choice(), source, &mut loaded.index)?;
        Ok((loaded, glue))
    }

    /// Refuses `--glue` with several modules: it is one module's glue.
    pub fn check_single(&self, modules: usize) -> anyhow::Result<()> {
        if self.glue.is_some() && modules > 1 {
            return Err(UsageError(
                "--glue names one module's glue: give a single module with it".into(),
            )
            .into());
        }
        Ok(())
    }
}

/// Writes a report to stdout.
pub fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(wasmscope::output::OUTPUT_BUFFER, stdout.lock());
    write(&mut out)?;
    out.flush()?;
    Ok(())
}

/// Where to write the result.
#[derive(Debug, Args)]
pub struct OutputArg {
    /// Write to FILE instead of stdout. The file is replaced whole, and only
    /// once the command has succeeded.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArg {
    /// Runs `write` against the chosen output. Binary output is refused on a
    /// terminal, where it would only garble the screen.
    pub fn write(
        &self,
        input: &Source,
        binary: bool,
        write: impl FnOnce(&mut dyn Write) -> wasmscope::Result<()>,
    ) -> anyhow::Result<()> {
        match &self.output {
            Some(path) if path.as_os_str() != "-" => {
                wasmscope::output::ensure_not_input(input, path)?;
                wasmscope::output::write_atomic(path, write)?;
            }
            _ => {
                if binary && io::stdout().is_terminal() {
                    return Err(UsageError(
                        "refusing to write binary output to a terminal; use -o FILE or redirect stdout"
                            .to_string(),
                    )
                    .into());
                }
                let stdout = io::stdout();
                let mut out =
                    io::BufWriter::with_capacity(wasmscope::output::OUTPUT_BUFFER, stdout.lock());
                write(&mut out)?;
                out.flush().map_err(|source| wasmscope::Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            }
        }
        Ok(())
    }
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what is written to `output`: a file named with `-o`
    /// is never a terminal.
    pub fn enabled(self, output: &OutputArg) -> bool {
        match output.output {
            Some(_) => self.allows(false),
            None => self.enabled_on_stdout(),
        }
    }

    /// Whether to colour what is written to stdout.
    pub fn enabled_on_stdout(self) -> bool {
        self.allows(io::stdout().is_terminal())
    }

    fn allows(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

pub use wasmscope::output::write_bytes;

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
