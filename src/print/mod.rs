//! Binary to text. Text streams straight to the writer as it is produced, so
//! memory stays bounded however large the module is.
//!
//! This file owns the options and the choice of how a module is printed:
//! on several threads (`parallel`), with unknown custom sections written by
//! us (`customs`), or by wasmprinter in one go, whole or cut to one
//! function (`filter`), its failures explained by `failure`. One function's
//! text on its own (`function`, named by `renames` when comparing, in the
//! lines of `styled`) serves the browser and diff; one instruction's text
//! (`instruction`) serves error messages.

use std::io;
use std::io::Write;
use std::ops::Range;

use termcolor::Ansi;
use wasmprinter::{Config, Print, PrintIoWrite, PrintTermcolor};

use crate::error::{Error, Result};

mod customs;
mod failure;
mod filter;
mod function;
mod instruction;
mod parallel;
mod renames;
mod source;
mod styled;

use customs::{FastCustoms, raw_custom_places};
use failure::io_error;
pub(crate) use failure::printer_error;
pub use filter::FunctionSelector;
use filter::{LineFilter, resolve_function};
pub use function::{function_text, function_text_renamed};
pub use instruction::instruction_at;
pub use renames::Renames;
use source::WithSource;
pub use source::{NoteState, SourceNotes};
pub use styled::{Style, StyledLine};

/// How to print a module.
#[derive(Debug, Clone, Default)]
pub struct PrintOptions {
    /// Prefix each line with the byte offset it came from, as a comment.
    pub offsets: bool,
    /// Print instructions as folded s-expressions.
    pub fold: bool,
    /// Leave out function bodies and data contents.
    pub skeleton: bool,
    /// Give synthesized names to unnamed items.
    pub name_unnamed: bool,
    /// Colour the output with ANSI escapes.
    pub color: bool,
    /// Print only this function (with offsets).
    pub function: Option<FunctionSelector>,
    /// Threads that print function bodies: `None` for one per core (or
    /// `RAYON_NUM_THREADS`). The text is the same with any number.
    pub jobs: Option<usize>,
    /// Code bytes printed per piece of work when printing on several
    /// threads: `None` to choose by the module's size.
    pub chunk_bytes: Option<usize>,
    /// Source lines to show above the code they made (`--source`).
    pub source: Option<std::sync::Arc<SourceNotes>>,
}

impl PrintOptions {
    /// Whether custom sections may be printed by [`FastCustoms`]: plain
    /// text without a function filter.
    fn fast_customs_allowed(&self) -> bool {
        self.function.is_none()
    }

    fn config(&self) -> Config {
        let mut config = Config::new();
        config
            .print_offsets(self.offsets || self.function.is_some())
            .fold_instructions(self.fold)
            .print_skeleton(self.skeleton)
            .name_unnamed(self.name_unnamed);
        config
    }
}

/// Prints a binary module or component as text to `out`.
///
/// `path` names the input in error messages.
pub fn print(bytes: &[u8], path: &str, opts: &PrintOptions, mut out: impl io::Write) -> Result<()> {
    let config = opts.config();
    let body = match &opts.function {
        Some(selector) => Some(resolve_function(bytes, path, selector)?),
        None => None,
    };
    if let Some(result) = print_parallel(bytes, path, opts, &config, &mut out) {
        return result;
    }
    let notes = opts.source.as_deref();
    // Colour and plain output share one path; only the sink differs.
    if opts.fast_customs_allowed()
        && !opts.color
        && let Some(places) = raw_custom_places(bytes)
    {
        let mut sink = WithSource::new(
            FastCustoms {
                inner: PrintIoWrite(out),
                places,
                skeleton: opts.skeleton,
                offsets: opts.offsets,
            },
            notes,
        );
        config
            .print(bytes, &mut sink)
            .map_err(|e| printer_error(bytes, path, e))?;
        return sink.inner.inner.0.flush().map_err(|e| io_error(path, e));
    }
    if opts.color {
        let mut sink = WithSource::new(PrintTermcolor(Ansi::new(out)), notes);
        print_to(&config, bytes, path, body, &mut sink)?;
        sink.inner.0.flush().map_err(|e| io_error(path, e))
    } else {
        let mut sink = WithSource::new(PrintIoWrite(out), notes);
        print_to(&config, bytes, path, body, &mut sink)?;
        sink.inner.0.flush().map_err(|e| io_error(path, e))
    }
}

/// Prints the function bodies on several threads when the module is large
/// enough and the options allow (a whole core module, plain text); `None`
/// when it is to be printed in one go.
fn print_parallel(
    bytes: &[u8],
    path: &str,
    opts: &PrintOptions,
    config: &Config,
    out: &mut impl io::Write,
) -> Option<Result<()>> {
    if opts.function.is_some() || opts.skeleton || opts.color {
        return None;
    }
    let jobs = opts.jobs.unwrap_or_else(default_jobs);
    if jobs < 2 {
        return None;
    }
    let plan = parallel::plan(bytes, opts.chunk_bytes)?;
    // The frame carries the unknown custom sections without their data,
    // which this sink prints from the input.
    let places = raw_custom_places(bytes)?;
    let notes = opts.source.as_deref();
    let sink = WithSource::new(
        FastCustoms {
            inner: PrintIoWrite(&mut *out),
            places,
            skeleton: false,
            offsets: opts.offsets,
        },
        notes,
    );
    let printed = parallel::print(bytes, &plan, config, opts.offsets, notes, jobs, sink);
    Some(match printed {
        Ok(_) => out.flush().map_err(|e| io_error(path, e)),
        Err(parallel::Failure::Output(e)) => Err(printer_error(bytes, path, e)),
        // Printed again in one go, for the error it meets.
        Err(parallel::Failure::Module) => {
            match config.print(bytes, &mut PrintIoWrite(io::sink())) {
                Err(e) => Err(printer_error(bytes, path, e)),
                Ok(()) => Err(Error::Other(format!(
                    "{path}: the module could not be printed on several threads"
                ))),
            }
        }
    })
}

/// How many pieces a module's code is printed in with pieces of about
/// `chunk_bytes`: 0 when it is printed in one go. For tests that must know
/// the pieces were used.
#[doc(hidden)]
pub fn pieces(bytes: &[u8], chunk_bytes: usize) -> usize {
    parallel::plan(bytes, Some(chunk_bytes)).map_or(0, |plan| plan.chunks.len())
}

/// One thread per core, or as many as `RAYON_NUM_THREADS` says.
fn default_jobs() -> usize {
    if cfg!(target_os = "wasi") {
        1
    } else {
        rayon::current_num_threads()
    }
}

/// Prints a whole module to a string, for callers that need the text itself.
pub fn print_to_string(bytes: &[u8], path: &str, opts: &PrintOptions) -> Result<String> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    print(bytes, path, opts, &mut out)?;
    String::from_utf8(out).map_err(|_| Error::Other(format!("{path}: printed text is not UTF-8")))
}

fn print_to(
    config: &Config,
    bytes: &[u8],
    path: &str,
    body: Option<Range<usize>>,
    sink: &mut impl Print,
) -> Result<()> {
    match body {
        None => config
            .print(bytes, sink)
            .map_err(|e| printer_error(bytes, path, e)),
        Some(range) => {
            let mut filter = LineFilter::new(sink, range);
            let result = config.print(bytes, &mut filter);
            // The filter stops the printer on purpose once past the function.
            if filter.finished {
                return filter.inner.write_str("\n").map_err(|e| io_error(path, e));
            }
            result.map_err(|e| printer_error(bytes, path, e))?;
            filter.inner.write_str("\n").map_err(|e| io_error(path, e))
        }
    }
}

/// Three small functions, named, for tests of printing one of them.
#[cfg(test)]
fn three_functions() -> Vec<u8> {
    crate::parse::parse_text(
        r#"(module
             (func $first (result i32) i32.const 1)
             (func $second (param i32) (result i32)
               local.get 0
               i32.const 2
               i32.add)
             (func $third))"#,
        "t.wat",
    )
    .expect("test module parses")
}
