//! Binary to text. Text streams straight to the writer as it is produced, so
//! memory stays bounded however large the module is.

use std::io;
use std::ops::Range;

use std::io::Write;

use termcolor::Ansi;
use wasmprinter::{Config, Print, PrintIoWrite, PrintTermcolor};

use crate::error::{BinaryError, DecodeError, Error, Result, one_line};
use crate::index::ModuleIndex;

mod parallel;

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
}

/// Names one function: by index or by its name in the name section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionSelector {
    /// An index in the function index space (imports first).
    Index(u32),
    /// A name from the name section (a leading `$` is ignored).
    Name(String),
}

impl FunctionSelector {
    /// Reads a selector as a user writes it: a number is an index.
    pub fn parse(s: &str) -> FunctionSelector {
        match s.parse() {
            Ok(index) => FunctionSelector::Index(index),
            Err(_) => FunctionSelector::Name(s.strip_prefix('$').unwrap_or(s).to_string()),
        }
    }
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
    // Colour and plain output share one path; only the sink differs.
    if opts.fast_customs_allowed()
        && !opts.color
        && let Some(places) = raw_custom_places(bytes)
    {
        let mut sink = FastCustoms {
            inner: PrintIoWrite(out),
            places,
            skeleton: opts.skeleton,
            offsets: opts.offsets,
        };
        config
            .print(bytes, &mut sink)
            .map_err(|e| printer_error(bytes, path, e))?;
        return sink.inner.0.flush().map_err(|e| io_error(path, e));
    }
    if opts.color {
        let mut sink = PrintTermcolor(Ansi::new(out));
        print_to(&config, bytes, path, body, &mut sink)?;
        sink.0.flush().map_err(|e| io_error(path, e))
    } else {
        let mut sink = PrintIoWrite(out);
        print_to(&config, bytes, path, body, &mut sink)?;
        sink.0.flush().map_err(|e| io_error(path, e))
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
    let sink = FastCustoms {
        inner: PrintIoWrite(&mut *out),
        places,
        skeleton: false,
        offsets: opts.offsets,
    };
    let printed = parallel::print(bytes, &plan, config, opts.offsets, jobs, sink);
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

/// Finds the body range of the function a selector names.
fn resolve_function(bytes: &[u8], path: &str, selector: &FunctionSelector) -> Result<Range<usize>> {
    let index = ModuleIndex::build(bytes).map_err(|e| e.in_file(path))?;
    let func = match selector {
        FunctionSelector::Index(i) => *i,
        FunctionSelector::Name(name) => index
            .find_function(name)
            .ok_or_else(|| Error::Other(format!("{path}: no function named `{name}`")))?,
    };
    index
        .body(func)
        .ok_or_else(|| match index.functions.get(func as usize) {
            Some(_) => Error::Other(format!(
                "{path}: function {func} is imported and has no body to print"
            )),
            None => Error::Other(format!(
                "{path}: no function {func} (the module has {} functions)",
                index.functions.len()
            )),
        })
}

/// Turns a printer failure into our error: an I/O failure stays one (so a
/// closed pipe is recognised), a decoding failure keeps its offset.
pub(crate) fn printer_error(bytes: &[u8], path: &str, err: anyhow::Error) -> Error {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<wasmparser::BinaryReaderError>() {
            let mut binary = BinaryError::from_reader(path, e);
            // wasmprinter may wrap it in context such as "failed to print
            // function 3", which is worth keeping.
            if err
                .downcast_ref::<wasmparser::BinaryReaderError>()
                .is_none()
            {
                binary.message = format!("{}: {}", one_line(&err.to_string()), binary.message);
            }
            return binary.into();
        }
        if let Some(e) = cause.downcast_ref::<io::Error>() {
            return io_error(path, io::Error::new(e.kind(), e.to_string()));
        }
    }
    // The printer found a problem of its own, without an offset: the decoder
    // can usually say where the module is damaged.
    match first_malformation(bytes) {
        Some(Malformation::Decoding(e)) => BinaryError::from_reader(path, &e).into(),
        Some(Malformation::Other { offset, message }) => BinaryError {
            path: path.to_string(),
            offset,
            message,
            function: None,
            instruction: None,
            from_text: false,
        }
        .into(),
        None => Error::Other(format!("{path}: {}", one_line(&format!("{err:#}")))),
    }
}

/// What is wrong with a module that the printer refused without saying
/// where.
enum Malformation {
    /// The decoder's error.
    Decoding(wasmparser::BinaryReaderError),
    /// A limit of the printer's own.
    Other { offset: usize, message: String },
}

/// The most locals a function may have for wasmprinter to print it.
const PRINTABLE_LOCALS: u64 = 50_000;

/// Decodes every section and instruction, returning the first decoding
/// error, or the first function with more locals than can be printed.
fn first_malformation(bytes: &[u8]) -> Option<Malformation> {
    let mut function = 0u32;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Err(e) => return Some(Malformation::Decoding(e)),
            Ok(wasmparser::Payload::ImportSection(reader)) => {
                function += crate::names::imported_functions(&reader).unwrap_or(0);
            }
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => {
                let mut locals = match body.get_locals_reader() {
                    Ok(locals) => locals,
                    Err(e) => return Some(Malformation::Decoding(e)),
                };
                let mut declared = 0u64;
                for _ in 0..locals.get_count() {
                    let offset = locals.original_position();
                    match locals.read() {
                        Ok((count, _)) => declared += u64::from(count),
                        Err(e) => return Some(Malformation::Decoding(e)),
                    }
                    if declared > PRINTABLE_LOCALS {
                        return Some(Malformation::Other {
                            offset: usize::try_from(offset).unwrap_or(usize::MAX),
                            message: format!(
                                "function {function} declares {declared} locals or more, \
                                 over the {PRINTABLE_LOCALS} that can be printed"
                            ),
                        });
                    }
                }
                let mut ops = match body.get_operators_reader() {
                    Ok(ops) => ops,
                    Err(e) => return Some(Malformation::Decoding(e)),
                };
                while !ops.eof() {
                    if let Err(e) = ops.read() {
                        return Some(Malformation::Decoding(e));
                    }
                }
                function += 1;
            }
            Ok(_) => {}
        }
    }
    None
}

fn io_error(_input: &str, source: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source,
    }
}

/// Where wasmprinter would say each raw custom section stands (`after code`),
/// and the offset of its first line, by the offset of its data. `None` when the fast path does not apply: a
/// component, or a module with no other non-empty section (wasmprinter's
/// layout then depends on line counts this sink cannot see).
fn raw_custom_places(bytes: &[u8]) -> Option<Places> {
    use wasmparser::{KnownCustom, Payload};
    if bytes.get(4..8) != Some(&[1, 0, 0, 0]) {
        return None;
    }
    let mut places = std::collections::HashMap::new();
    let mut place = "before first";
    let mut other_sections = false;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        // A damaged module is left to the printer, which reports it.
        let Ok(payload) = payload else { return None };
        let after = match &payload {
            Payload::TypeSection(s) => (s.count() > 0).then_some("after type"),
            Payload::ImportSection(s) => (s.count() > 0).then_some("after import"),
            Payload::FunctionSection(s) => (s.count() > 0).then_some("after func"),
            Payload::TableSection(s) => (s.count() > 0).then_some("after table"),
            Payload::MemorySection(s) => (s.count() > 0).then_some("after memory"),
            Payload::TagSection(s) => (s.count() > 0).then_some("after tag"),
            Payload::GlobalSection(s) => (s.count() > 0).then_some("after global"),
            Payload::ExportSection(s) => (s.count() > 0).then_some("after export"),
            Payload::StartSection { .. } => Some("after start"),
            Payload::ElementSection(s) => (s.count() > 0).then_some("after elem"),
            Payload::CodeSectionEntry(_) => Some("after code"),
            Payload::DataSection(s) => (s.count() > 0).then_some("after data"),
            Payload::CustomSection(c) => {
                if matches!(c.as_known(), KnownCustom::Unknown) {
                    places.insert(c.data_offset(), (place, c.range().start));
                }
                None
            }
            _ => None,
        };
        if let Some(after) = after {
            place = after;
            other_sections = true;
        }
    }
    other_sections.then_some(places)
}

/// Unknown custom sections by the offset of their data: where they stand
/// and the offset of their line.
type Places = std::collections::HashMap<u64, (&'static str, u64)>;

/// Prints unknown custom sections (DWARF above all, often most of a debug
/// build) itself, byte for byte as wasmprinter would, but escaping the data
/// a chunk at a time instead of formatting every byte on its own.
struct FastCustoms<W: io::Write> {
    inner: PrintIoWrite<W>,
    places: Places,
    /// Skeletons show `...` in place of the data.
    skeleton: bool,
    /// Lines start with their offset.
    offsets: bool,
}

impl<W: io::Write> Print for FastCustoms<W> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.inner.write_str(s)
    }

    fn start_line(&mut self, offset: Option<u64>) {
        self.inner.start_line(offset);
    }

    fn print_custom_section(&mut self, name: &str, offset: u64, data: &[u8]) -> io::Result<bool> {
        let Some(&(place, line)) = self.places.get(&offset) else {
            return Ok(false);
        };
        let mut text = String::with_capacity(name.len() + 32);
        text.push('\n');
        if self.offsets {
            text.push_str(&format!("(;@{line:<6x};)"));
        }
        text.push_str("  (@custom \"");
        for c in name.chars() {
            let v = c as u32;
            if (0x20..0x7f).contains(&v) && c != '"' && c != '\\' {
                text.push(c);
            } else {
                text.push_str(&format!("\\u{{{v:x}}}"));
            }
        }
        if self.skeleton {
            text.push_str(&format!("\" ({place}) ...)"));
            self.inner.write_str(&text)?;
            return Ok(true);
        }
        text.push_str(&format!("\" ({place}) \""));
        self.inner.write_str(&text)?;
        // Debug info can be most of a module: it is escaped on every core,
        // a window at a time so that memory stays bounded.
        use rayon::prelude::*;
        const WINDOW: usize = 8 << 20;
        const PIECE: usize = 1 << 20;
        for window in data.chunks(WINDOW) {
            let pieces: Vec<Vec<u8>> = window
                .par_chunks(PIECE)
                .map(|piece| {
                    let mut out = Vec::with_capacity(piece.len() * 3);
                    escape_bytes(piece, &mut out);
                    out
                })
                .collect();
            for piece in pieces {
                self.inner.0.write_all(&piece)?;
            }
        }
        self.inner.write_str("\")")?;
        Ok(true)
    }
}

/// Writes `data` as the inside of a text-format string, as wasmprinter does:
/// printable ASCII as it is, anything else (and `"` and `\`) as `\hh`.
fn escape_bytes(data: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in data {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(b);
        } else {
            // A byte's two halves are below 16, the table's length.
            #[allow(clippy::indexing_slicing)]
            let escaped = [b'\\', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            out.extend_from_slice(&escaped);
        }
    }
}

/// A [`Print`] that passes on only the lines whose binary offset falls in a
/// range, and stops the printer once it is past it.
struct LineFilter<'a, P> {
    inner: &'a mut P,
    range: Range<usize>,
    /// Whether the current line is passed on.
    inside: bool,
    /// Whether the range has been printed and the printer was told to stop.
    finished: bool,
    /// Whether the first line passed on is still to come (its leading
    /// newline is dropped so the output starts at the function).
    first: bool,
}

impl<'a, P: Print> LineFilter<'a, P> {
    fn new(inner: &'a mut P, range: Range<usize>) -> Self {
        LineFilter {
            inner,
            range,
            inside: false,
            finished: false,
            first: true,
        }
    }

    fn stop(&mut self) -> io::Result<()> {
        if self.finished {
            Err(io::Error::other("function printed"))
        } else {
            Ok(())
        }
    }
}

impl<P: Print> Print for LineFilter<'_, P> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.write_str(s)
        } else {
            Ok(())
        }
    }

    fn newline(&mut self) -> io::Result<()> {
        // The newline comes before `start_line`: it belongs to the line that
        // follows, so it is decided there.
        self.stop()
    }

    fn start_line(&mut self, offset: Option<u64>) {
        if let Some(offset) = offset.and_then(|o| usize::try_from(o).ok()) {
            let was_inside = self.inside;
            self.inside = self.range.contains(&offset);
            if was_inside && !self.inside && offset >= self.range.end {
                self.finished = true;
                return;
            }
        }
        if self.inside {
            if !self.first {
                let _ = self.inner.write_str("\n");
            }
            self.first = false;
            self.inner.start_line(offset);
        }
    }

    fn start_literal(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_literal()
        } else {
            Ok(())
        }
    }

    fn start_name(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_name()
        } else {
            Ok(())
        }
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_keyword()
        } else {
            Ok(())
        }
    }

    fn start_type(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_type()
        } else {
            Ok(())
        }
    }

    fn start_comment(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_comment()
        } else {
            Ok(())
        }
    }

    fn reset_color(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.reset_color()
        } else {
            Ok(())
        }
    }
}

/// The instruction at (or just before) `offset` in the function body
/// `body`, written as text. Used to show the offending instruction in an
/// error; `None` when the module cannot be printed that far.
pub fn instruction_at(bytes: &[u8], body: Range<usize>, offset: usize) -> Option<String> {
    struct Collect {
        target: usize,
        body: Range<usize>,
        best: Option<(usize, String)>,
        current: Option<usize>,
        past: bool,
    }
    impl Print for Collect {
        fn write_str(&mut self, s: &str) -> io::Result<()> {
            if self.past {
                return Err(io::Error::other("instruction found"));
            }
            if let (Some(at), Some((best_at, text))) = (self.current, self.best.as_mut())
                && at == *best_at
            {
                text.push_str(s);
            }
            Ok(())
        }
        fn start_line(&mut self, offset: Option<u64>) {
            self.current = None;
            let Some(at) = offset.and_then(|o| usize::try_from(o).ok()) else {
                return;
            };
            // The body's first line is the `(func` header, not an instruction.
            if at > self.body.start && at < self.body.end && at <= self.target {
                self.current = Some(at);
                self.best = Some((at, String::new()));
            } else if at > self.target && self.best.is_some() {
                self.past = true;
            }
        }
    }
    let mut collect = Collect {
        target: offset,
        body,
        best: None,
        current: None,
        past: false,
    };
    let _ = Config::new().print(bytes, &mut collect);
    let (_, text) = collect.best?;
    // Strip the nesting indentation and any closing parentheses of enclosing
    // blocks that the printer put on the same line.
    let text = text.trim();
    // The function's own `end` is printed as the `)` closing the function.
    let text = if !text.is_empty() && text.chars().all(|c| c == ')') {
        "end"
    } else {
        text
    };
    (!text.is_empty()).then(|| text.to_string())
}

/// What a piece of printed text is, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Anything else.
    Plain,
    /// An instruction or keyword.
    Keyword,
    /// A name (`$foo`).
    Name,
    /// A number or string.
    Literal,
    /// A type.
    Type,
    /// A comment.
    Comment,
}

/// One printed line in styled pieces, with the input offset it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyledLine {
    /// The byte offset in the input.
    pub offset: Option<usize>,
    /// The text, in pieces of one style.
    pub pieces: Vec<(Style, String)>,
    /// The function a `call`, `return_call` or `ref.func` on this line names.
    pub target: Option<u32>,
}

impl StyledLine {
    /// The line's plain text.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// A [`Print`] sink that keeps lines in styled pieces.
#[derive(Default)]
struct StyledLines {
    lines: Vec<StyledLine>,
    style: Option<Style>,
}

impl StyledLines {
    fn set(&mut self, style: Style) -> io::Result<()> {
        self.style = Some(style);
        Ok(())
    }
}

impl Print for StyledLines {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        let s = s.trim_end_matches('\n');
        if s.is_empty() {
            return Ok(());
        }
        let style = self.style.unwrap_or(Style::Plain);
        if self.lines.is_empty() {
            self.start_line(None);
        }
        let Some(line) = self.lines.last_mut() else {
            return Ok(());
        };
        match line.pieces.last_mut() {
            Some((last, text)) if *last == style => text.push_str(s),
            _ => line.pieces.push((style, s.to_string())),
        }
        Ok(())
    }

    fn start_line(&mut self, offset: Option<u64>) {
        self.lines.push(StyledLine {
            offset: offset.and_then(|o| usize::try_from(o).ok()),
            pieces: Vec::new(),
            target: None,
        });
    }

    fn start_literal(&mut self) -> io::Result<()> {
        self.set(Style::Literal)
    }

    fn start_name(&mut self) -> io::Result<()> {
        self.set(Style::Name)
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        self.set(Style::Keyword)
    }

    fn start_type(&mut self) -> io::Result<()> {
        self.set(Style::Type)
    }

    fn start_comment(&mut self) -> io::Result<()> {
        self.set(Style::Comment)
    }

    fn reset_color(&mut self) -> io::Result<()> {
        self.set(Style::Plain)
    }
}

/// Prints one defined function of `module` (a core module indexed from
/// `bytes`, the whole input) as styled lines with input offsets.
///
/// Only what the function's text depends on is printed: the printer is run
/// on a small module made of the types, imports and other declarations, the
/// functions before this one with empty bodies, this body, and the name
/// section. So the time it takes does not grow with the size of the other
/// functions, the data or the debug info.
pub fn function_text(bytes: &[u8], module: &ModuleIndex, func: u32) -> Result<Vec<StyledLine>> {
    function_text_renamed(bytes, module, func, None)
}

/// [`function_text`] with functions, globals and types named by `renames`
/// instead of the module's name section.
pub fn function_text_renamed(
    bytes: &[u8],
    module: &ModuleIndex,
    func: u32,
    renames: Option<&Renames>,
) -> Result<Vec<StyledLine>> {
    let imported = module.imported_functions();
    let body = module.body(func).ok_or_else(|| {
        Error::Other(match module.functions.get(func as usize) {
            Some(_) => format!("function {func} is imported and has no body"),
            None => format!("no function {func}"),
        })
    })?;
    let position = (func - imported) as usize;
    let targets = call_targets(bytes, body.clone());
    let mut named: std::collections::HashSet<u32> = targets.values().copied().collect();
    named.insert(func);
    // With names given, the function goes alone at the first defined
    // index: its callees are named by index whether they exist there or
    // not, so nothing else need be printed.
    let (synthetic, printed_as) = match renames {
        Some(renames) => (
            function_alone(bytes, module, func, body.clone(), &named, renames)?,
            imported,
        ),
        None => (
            function_module(bytes, module, position, body.clone(), func, &named)?,
            func,
        ),
    };
    let small = ModuleIndex::build(&synthetic).map_err(|e| Error::Other(e.message))?;
    let small_body = small
        .body(printed_as)
        .ok_or_else(|| Error::Other(format!("function {func} could not be isolated")))?;
    let delta = body.start as i64 - small_body.start as i64;

    let mut config = Config::new();
    config.print_offsets(false);
    let mut sink = StyledLines::default();
    let mut filter = LineFilter::new(&mut sink, small_body);
    let result = config.print(&synthetic, &mut filter);
    if !filter.finished {
        result.map_err(|e| printer_error(&synthetic, "function", e))?;
    }
    let mut lines = sink.lines;
    for line in &mut lines {
        line.offset = line
            .offset
            .and_then(|o| usize::try_from(o as i64 + delta).ok());
        line.target = line.offset.and_then(|o| targets.get(&o).copied());
    }
    Ok(lines)
}

/// A module of the declarations of `module` and the one function `func`,
/// at the first defined index, named by `renames`. The function's own
/// header line names whatever that index names (a callee, or nothing):
/// callers of this text write the header themselves.
fn function_alone(
    bytes: &[u8],
    module: &ModuleIndex,
    func: u32,
    body: Range<usize>,
    named: &std::collections::HashSet<u32>,
    renames: &Renames,
) -> Result<Vec<u8>> {
    use wasm_encoder::{
        CodeSection, FunctionSection, IndirectNameMap, NameMap, NameSection, RawSection,
    };
    let imported = module.imported_functions();
    let ty = module
        .functions
        .get(func as usize)
        .map(|f| f.type_index)
        .ok_or_else(|| Error::Other(format!("no function {func}")))?;
    let mut out = wasm_encoder::Module::new();
    for section in &module.sections {
        match section.id {
            1 | 2 | 4 | 5 | 6 | 12 | 13 => {
                out.section(&RawSection {
                    id: section.id,
                    data: part(bytes, section.range.clone(), "section")?,
                });
            }
            3 => {
                let mut functions = FunctionSection::new();
                functions.function(ty);
                out.section(&functions);
            }
            10 => {
                let mut code = CodeSection::new();
                code.raw(part(bytes, body.clone(), "function body")?);
                out.section(&code);
            }
            11 => {
                out.section(&data_stand_in(bytes, section.range.clone()));
            }
            _ => {}
        }
    }
    let sorted = |map: &std::collections::HashMap<u32, String>, keep: &dyn Fn(u32) -> bool| {
        let mut list: Vec<_> = map.iter().filter(|(i, _)| keep(**i)).collect();
        list.sort();
        let mut names = NameMap::new();
        for (i, name) in list {
            names.append(*i, name);
        }
        names
    };
    let own = |list: Option<&Vec<(u32, String)>>| {
        let mut inner = NameMap::new();
        for (i, name) in list.into_iter().flatten() {
            inner.append(*i, name);
        }
        let mut outer = IndirectNameMap::new();
        outer.append(imported, &inner);
        outer
    };
    let mut names = NameSection::new();
    // The few functions the text names, not the many the module has.
    let mut callees: Vec<u32> = named.iter().copied().collect();
    callees.sort_unstable();
    let mut functions = NameMap::new();
    for i in callees {
        if let Some(name) = renames.functions.get(&i) {
            functions.append(i, name);
        }
    }
    names.functions(&functions);
    names.locals(&own(renames.locals.get(&func)));
    names.labels(&own(renames.labels.get(&func)));
    names.types(&sorted(&renames.types, &|_| true));
    names.globals(&sorted(&renames.globals, &|_| true));
    out.section(&names);
    Ok(out.finish())
}

/// The bytes of `range`, a section or a function body (`what`) of the
/// input.
fn part<'a>(bytes: &'a [u8], range: Range<usize>, what: &str) -> Result<&'a [u8]> {
    bytes.get(range.clone()).ok_or_else(|| {
        Error::Other(DecodeError::new(range.start, format!("{what} out of bounds")).to_string())
    })
}

/// Empty passive segments standing in for a data section, as many as it
/// has: a data count section (copied with the declarations) must be matched,
/// and the printer stops before the data anyway. The count is bounded by the
/// section's size, since every segment takes at least two bytes.
fn data_stand_in(bytes: &[u8], range: Range<usize>) -> wasm_encoder::DataSection {
    let content = bytes.get(range.clone()).unwrap_or_default();
    let count = wasmparser::BinaryReader::new(content, 0)
        .read_var_u32()
        .unwrap_or(0)
        .min(u32::try_from(range.len() / 2).unwrap_or(u32::MAX));
    let mut data = wasm_encoder::DataSection::new();
    for _ in 0..count {
        data.passive([]);
    }
    data
}

/// The module [`function_text`] prints: declarations, empty bodies for the
/// functions before `position`, the body itself, and the names it needs.
fn function_module(
    bytes: &[u8],
    module: &ModuleIndex,
    position: usize,
    body: Range<usize>,
    func: u32,
    named: &std::collections::HashSet<u32>,
) -> Result<Vec<u8>> {
    use wasm_encoder::{CodeSection, FunctionSection, RawSection};
    let mut out = wasm_encoder::Module::new();
    for section in &module.sections {
        let data = part(bytes, section.range.clone(), "section")?;
        let raw = RawSection {
            id: section.id,
            data,
        };
        match section.id {
            // Types, imports, tables, memories, globals, data count, tags.
            1 | 2 | 4 | 5 | 6 | 12 | 13 => {
                out.section(&raw);
            }
            3 => {
                let reader = wasmparser::FunctionSectionReader::new(wasmparser::BinaryReader::new(
                    data,
                    section.range.start as u64,
                ))
                .map_err(|e| Error::Other(e.message().to_string()))?;
                let mut functions = FunctionSection::new();
                for ty in reader.into_iter().take(position + 1) {
                    functions.function(ty.map_err(|e| Error::Other(e.message().to_string()))?);
                }
                out.section(&functions);
            }
            10 => {
                let mut code = CodeSection::new();
                for _ in 0..position {
                    // No locals, then `end`.
                    code.raw(&[0x00, 0x0b]);
                }
                code.raw(part(bytes, body.clone(), "function body")?);
                out.section(&code);
            }
            11 => {
                out.section(&data_stand_in(bytes, section.range.clone()));
            }
            0 if section.custom_name.as_deref() == Some("name") => {
                let data = module
                    .customs
                    .iter()
                    .find(|c| c.section.start == section.header_offset)
                    .map(|c| c.data.clone());
                match names_for(bytes, data, func, named) {
                    Some(names) => out.section(&names),
                    None => out.section(&raw),
                };
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

/// Names to print in place of the module's own: what a comparison of two
/// modules uses so that both sides name the same thing the same way, and
/// renumbering alone changes no text.
#[derive(Debug, Clone, Default)]
pub struct Renames {
    /// Function names by index.
    pub functions: std::collections::HashMap<u32, String>,
    /// Global names by index.
    pub globals: std::collections::HashMap<u32, String>,
    /// Type names by index.
    pub types: std::collections::HashMap<u32, String>,
    /// Local names by function index, then local index.
    pub locals: std::collections::HashMap<u32, Vec<(u32, String)>>,
    /// Label names by function index, then label index.
    pub labels: std::collections::HashMap<u32, Vec<(u32, String)>>,
}

impl Renames {
    /// Takes the local and label names of `module` from its name section
    /// (read once, for all functions).
    pub fn read_locals(&mut self, bytes: &[u8], module: &ModuleIndex) {
        let Some(custom) = module.customs.iter().find(|c| c.name == "name") else {
            return;
        };
        let Some(data) = bytes.get(custom.data.clone()) else {
            return;
        };
        let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
            data,
            custom.data.start as u64,
        ));
        for subsection in reader.into_iter().flatten() {
            let (names, into) = match subsection {
                wasmparser::Name::Local(names) => (names, &mut self.locals),
                wasmparser::Name::Label(names) => (names, &mut self.labels),
                _ => continue,
            };
            for naming in names.into_iter().flatten() {
                let list = naming
                    .names
                    .flatten()
                    .map(|n| (n.index, n.name.to_string()))
                    .collect();
                into.insert(naming.index, list);
            }
        }
    }
}

/// The name section cut down to what one function's text shows: the names
/// of the functions in `named`, the locals and labels of `func`, and every
/// other kind of name. A large module's name section names tens of
/// thousands of functions; one function's text mentions a few. `None` when
/// the section does not decode (the printer then gets it as it is).
fn names_for(
    bytes: &[u8],
    data: Option<Range<usize>>,
    func: u32,
    named: &std::collections::HashSet<u32>,
) -> Option<wasm_encoder::NameSection> {
    use wasm_encoder::{IndirectNameMap, NameMap};
    use wasmparser::Name;
    fn map(names: wasmparser::NameMap<'_>, keep: impl Fn(u32) -> bool) -> Option<NameMap> {
        let mut out = NameMap::new();
        for naming in names {
            let naming = naming.ok()?;
            if keep(naming.index) {
                out.append(naming.index, naming.name);
            }
        }
        Some(out)
    }
    fn indirect(
        names: wasmparser::IndirectNameMap<'_>,
        keep: impl Fn(u32) -> bool,
    ) -> Option<IndirectNameMap> {
        let mut out = IndirectNameMap::new();
        for naming in names {
            let naming = naming.ok()?;
            if keep(naming.index) {
                out.append(naming.index, &map(naming.names, |_| true)?);
            }
        }
        Some(out)
    }
    // Subsections by id, emitted in id order as the format wants.
    let mut module_name = None;
    let mut maps: std::collections::BTreeMap<u8, NameMap> = std::collections::BTreeMap::new();
    let mut indirects: std::collections::BTreeMap<u8, IndirectNameMap> =
        std::collections::BTreeMap::new();
    let mut unknown = Vec::new();
    if let Some(data) = data {
        let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
            bytes.get(data.clone())?,
            data.start as u64,
        ));
        // A name two functions share is printed differently (the printer
        // tells them apart), so every function sharing a kept name is kept.
        let mut kept_names = std::collections::HashSet::new();
        for subsection in reader.clone() {
            if let Name::Function(names) = subsection.ok()? {
                for naming in names {
                    let naming = naming.ok()?;
                    if named.contains(&naming.index) {
                        kept_names.insert(naming.name);
                    }
                }
            }
        }
        let all = |_| true;
        for subsection in reader {
            match subsection.ok()? {
                Name::Module { name, .. } => module_name = Some(name),
                Name::Function(names) => {
                    let mut kept = NameMap::new();
                    for naming in names {
                        let naming = naming.ok()?;
                        if named.contains(&naming.index) || kept_names.contains(naming.name) {
                            kept.append(naming.index, naming.name);
                        }
                    }
                    maps.insert(1, kept);
                }
                Name::Local(names) => {
                    indirects.insert(2, indirect(names, |i| i == func)?);
                }
                Name::Label(names) => {
                    indirects.insert(3, indirect(names, |i| i == func)?);
                }
                Name::Type(names) => {
                    maps.insert(4, map(names, all)?);
                }
                Name::Table(names) => {
                    maps.insert(5, map(names, all)?);
                }
                Name::Memory(names) => {
                    maps.insert(6, map(names, all)?);
                }
                Name::Global(names) => {
                    maps.insert(7, map(names, all)?);
                }
                Name::Element(names) => {
                    maps.insert(8, map(names, all)?);
                }
                Name::Data(names) => {
                    maps.insert(9, map(names, all)?);
                }
                Name::Field(names) => {
                    indirects.insert(10, indirect(names, all)?);
                }
                Name::Tag(names) => {
                    maps.insert(11, map(names, all)?);
                }
                Name::Parameter(names) => {
                    indirects.insert(12, indirect(names, all)?);
                }
                Name::TagParameter(names) => {
                    indirects.insert(13, indirect(names, all)?);
                }
                Name::Unknown { ty, data, .. } => unknown.push((ty, data)),
            }
        }
    }
    let mut out = wasm_encoder::NameSection::new();
    if let Some(name) = module_name {
        out.module(name);
    }
    for id in 1..=13u8 {
        if let Some(m) = maps.get(&id) {
            match id {
                1 => out.functions(m),
                4 => out.types(m),
                5 => out.tables(m),
                6 => out.memories(m),
                7 => out.globals(m),
                8 => out.elements(m),
                9 => out.data(m),
                _ => out.tags(m),
            }
        }
        if let Some(m) = indirects.get(&id) {
            match id {
                2 => out.locals(m),
                3 => out.labels(m),
                10 => out.fields(m),
                12 => out.parameters(m),
                _ => out.tag_parameters(m),
            }
        }
    }
    for (ty, data) in unknown {
        out.raw(ty, data);
    }
    Some(out)
}

/// The functions named by calls and `ref.func` in a body, by the offset of
/// the instruction.
fn call_targets(bytes: &[u8], body: Range<usize>) -> std::collections::HashMap<usize, u32> {
    use wasmparser::Operator;
    let mut targets = std::collections::HashMap::new();
    let Some(content) = bytes.get(body.clone()) else {
        return targets;
    };
    let reader = wasmparser::BinaryReader::new(content, body.start as u64);
    let body = wasmparser::FunctionBody::new(reader);
    let Ok(mut ops) = body.get_operators_reader() else {
        return targets;
    };
    while !ops.eof() {
        let Ok((op, offset)) = ops.read_with_offset() else {
            break;
        };
        match op {
            Operator::Call { function_index }
            | Operator::ReturnCall { function_index }
            | Operator::RefFunc { function_index } => {
                if let Ok(offset) = usize::try_from(offset) {
                    targets.insert(offset, function_index);
                }
            }
            _ => {}
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One function printed on its own reads exactly as it does in the
    /// whole module's text, offsets included, for every function of the
    /// demo module (calls, locals, labels, globals, data all named).
    #[test]
    fn function_text_matches_the_whole_module_print() {
        let bytes = crate::demo::BYTES;
        let index = ModuleIndex::build(bytes).expect("indexes");
        let mut compared = 0;
        for f in index.defined_functions() {
            let opts = PrintOptions {
                function: Some(FunctionSelector::Index(f.index)),
                ..PrintOptions::default()
            };
            let whole = print_to_string(bytes, "demo", &opts).expect("prints");
            let mut expected: Vec<(Option<usize>, String)> = whole
                .lines()
                .map(|line| {
                    // `(;@9bf   ;)` then the text; blanks where no offset.
                    let (mark, text) = line.split_at(11);
                    let offset = mark.strip_prefix("(;@").and_then(|m| {
                        usize::from_str_radix(m.trim_end_matches(";)").trim(), 16).ok()
                    });
                    (offset, text.to_string())
                })
                .collect();
            // With offsets on, wasmprinter closes an empty body on a line
            // of its own; without, on the header line.
            if let [(offset, header), (_, close)] = expected.as_slice()
                && close.trim() == ")"
            {
                expected = vec![(*offset, format!("{header})"))];
            }
            let alone: Vec<(Option<usize>, String)> = function_text(bytes, &index, f.index)
                .expect("prints alone")
                .into_iter()
                .map(|line| (line.offset, line.text()))
                .collect();
            assert_eq!(alone, expected, "function {}", f.index);
            compared += 1;
        }
        assert_eq!(compared, 242);
    }

    #[test]
    fn function_text_finds_call_targets_and_refuses_imports() {
        let bytes = crate::demo::BYTES;
        let index = ModuleIndex::build(bytes).expect("indexes");
        let lines = function_text(bytes, &index, 16).expect("_start prints");
        let call = lines
            .iter()
            .find(|l| l.text().contains("call $__main_void"))
            .expect("_start calls __main_void");
        assert_eq!(call.target, index.find_function("__main_void"));
        assert!(function_text(bytes, &index, 0).is_err());
        assert!(function_text(bytes, &index, 100_000).is_err());
    }

    fn module() -> Vec<u8> {
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

    fn print_function(sel: &str) -> Result<String> {
        let opts = PrintOptions {
            function: Some(FunctionSelector::parse(sel)),
            ..PrintOptions::default()
        };
        print_to_string(&module(), "t.wasm", &opts)
    }

    #[test]
    fn prints_one_function_by_name_or_index() {
        let by_name = print_function("$second").expect("prints");
        assert_eq!(by_name, print_function("1").expect("prints"));
        assert!(by_name.contains("(func $second"), "{by_name}");
        assert!(by_name.contains("i32.add"), "{by_name}");
        assert!(
            !by_name.contains("$first") && !by_name.contains("$third"),
            "{by_name}"
        );
        assert!(by_name.starts_with("(;@"), "{by_name}");
    }

    #[test]
    fn missing_function_is_an_error() {
        let err = print_function("nope").expect_err("no such function");
        assert_eq!(err.to_string(), "t.wasm: no function named `nope`");
        let err = print_function("7").expect_err("no such function");
        assert!(err.to_string().contains("no function 7"), "{err}");
    }

    #[test]
    fn fast_custom_sections_print_exactly_as_wasmprinter() {
        let text = r#"(module
            (@custom "first" (before first) "\00\01 \"quoted\" back\\slash")
            (type (func))
            (@custom ".debug_info" (after type) "\ff\fe abc \7f\80")
            (func (type 0))
            (@custom "caf\u{e9}" (after code) "")
            (@custom "name-like" (after code) "\0a\0d\09")
            (memory 1)
            (data (i32.const 0) "x")
            (@custom "last" (after data) "end"))"#;
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        let ours = print_to_string(&bytes, "t", &PrintOptions::default()).expect("prints");
        let theirs = wasmprinter::print_bytes(&bytes).expect("wasmprinter prints");
        assert_eq!(ours, theirs);
        let skeleton = PrintOptions {
            skeleton: true,
            ..PrintOptions::default()
        };
        let mut theirs = String::new();
        wasmprinter::Config::new()
            .print_skeleton(true)
            .print(&bytes, &mut wasmprinter::PrintFmtWrite(&mut theirs))
            .expect("wasmprinter prints");
        assert_eq!(
            print_to_string(&bytes, "t", &skeleton).expect("prints"),
            theirs
        );
        assert!(
            ours.contains(r#"(@custom ".debug_info" (after type) "\ff\fe abc \7f\80")"#),
            "{ours}"
        );
    }

    #[test]
    fn finds_instruction_text() {
        let bytes = module();
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let body = index.body(1).expect("function 1 has a body");
        // The last byte of the body is the `end`; the one before it `i32.add`.
        assert_eq!(
            instruction_at(&bytes, body.clone(), body.end - 2).as_deref(),
            Some("i32.add")
        );
    }
}
