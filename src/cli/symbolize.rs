//! `wasmscope symbolize` (also `addr2line`): addresses and whole backtraces
//! turned into functions, files and lines.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use wasmscope::debuginfo::{Companions, DebugInfo, Frame, Origin, Place};
use wasmscope::symbolize::{self, Address, Report, ResolvedFrame, TraceFormat};

use super::debug::DebugArgs;
use super::render::ReportArgs;
use super::{InputArg, UsageError, write_stdout};

/// Turn code addresses, or a whole backtrace, into functions, source files
/// and lines.
///
/// An ADDRESS is a module offset as runtimes print it (`0x46d`), a
/// code-section offset with --code-section-relative (as DWARF counts), or
/// FUNC+0xOFF: a function index or name and an offset into its body.
///
/// With no ADDRESS, a backtrace is read from stdin, in the layout wasmtime,
/// V8 (Node, Chrome, Deno), Firefox, wasmer or WAMR print, and echoed with
/// every wasm frame resolved in place. Each frame shows its function
/// (demangled), file:line:column, and the functions inlined there, innermost
/// first. Where no DWARF or source map covers an address, the line says
/// which weaker source named the function (name section, export).
///
/// Debug info is read from the module, from the file its
/// `external_debug_info` section names (next to the module) or from
/// --debug-file, and from the source map its `sourceMappingURL` section
/// names or --source-map.
#[derive(Debug, clap::Args)]
#[command(visible_alias = "addr2line")]
#[command(after_help = "\
Examples:
  wasmscope symbolize app.wasm 0x46d 0x9ee
  wasmscope symbolize app.wasm 'tally::run+0x12' --json
  wasmscope symbolize app.wasm 0x1da --code-section-relative
  wasmtime run app.wasm 2>&1 | wasmscope symbolize app.wasm
  wasmscope symbolize app.wasm --debug-file app.debug.wasm < trace.txt
  wasmscope symbolize app.wasm 0x46d --source-prefix /build/app=src

Exit status: 0 resolved, 1 the module or its debug info could not be read,
or an address is not in its code, 2 usage error.")]
pub struct Opts {
    /// The module, then addresses (none: read a backtrace from stdin).
    #[arg(value_name = "FILE [ADDRESS]", required = true)]
    args: Vec<String>,

    /// Plain numbers count from the code section's contents, as in DWARF
    /// and llvm-symbolizer, not from the start of the module.
    #[arg(long)]
    code_section_relative: bool,

    #[command(flatten)]
    debug: DebugArgs,

    #[command(flatten)]
    report: ReportArgs,
}

/// A line of a backtrace longer than this is passed through unread: no
/// runtime prints a frame that long.
const MAX_LINE: usize = 64 * 1024;

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (file, addresses) = self
            .args
            .split_first()
            .ok_or_else(|| UsageError("give FILE".into()))?;
        if file == "-" && addresses.is_empty() {
            return Err(UsageError(
                "the module cannot come from stdin when the backtrace does; give FILE".into(),
            )
            .into());
        }
        // A misspelt address is a usage error, found before any reading.
        for a in addresses {
            Address::parse(a, self.code_section_relative).map_err(UsageError)?;
        }
        let path = PathBuf::from(file);
        let loaded = InputArg {
            file: Some(path.clone()),
            demo: false,
        }
        .index()?;
        if loaded.index.component {
            anyhow::bail!(
                "{}: a component: symbolize one of its core modules (its offsets are its own)",
                loaded.name
            );
        }
        let options = self.debug.options(self.report.no_demangle);
        let companions = Companions::find(&loaded, Some(&path), &options)?;
        let debug = DebugInfo::new(&loaded, &companions, &options);
        // Notes are said once the answers are out, so that a failure stays
        // one line.
        let say_notes = || {
            for note in &debug.found.notes {
                eprintln!("wasmscope: note: {note}");
            }
        };
        if addresses.is_empty() {
            let done = self.backtrace(&loaded, &debug)?;
            say_notes();
            return Ok(done);
        }
        let resolved =
            symbolize::addresses(&debug, &loaded.index, addresses, self.code_section_relative)
                .map_err(|e| anyhow::anyhow!("{}: {e}", loaded.name))?;
        let report = Report {
            module: loaded.name.clone(),
            debug_info: debug.found.clone(),
            addresses: resolved,
            backtrace: None,
        };
        self.report.json.print(&report, |out, r| {
            for (i, a) in r.addresses.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                render_address(out, &a.input, &a.place)?;
            }
            Ok(())
        })?;
        say_notes();
        Ok(ExitCode::SUCCESS)
    }

    /// Reads a backtrace from stdin line by line and writes it back with
    /// each frame resolved (as text, as it goes; JSON at the end).
    fn backtrace(&self, loaded: &super::Loaded, debug: &DebugInfo<'_>) -> anyhow::Result<ExitCode> {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut frames = Vec::new();
        let mut buf = Vec::new();
        let mut number = 0;
        write_stdout(|out| {
            loop {
                buf.clear();
                let (read, whole) = read_line(&mut input, &mut buf, MAX_LINE)?;
                if read == 0 {
                    break;
                }
                number += 1;
                if number % 128 == 0 {
                    // A long log reads much of the DWARF, once.
                    debug.release();
                }
                if !whole {
                    // Longer than any frame: passed through as it is.
                    if self.report.json.json {
                        copy_rest_of_line(&mut input, None)?;
                    } else {
                        out.write_all(&buf)?;
                        copy_rest_of_line(&mut input, Some(&mut *out))?;
                    }
                    continue;
                }
                let text = String::from_utf8_lossy(&buf);
                let line = text.trim_end_matches(['\n', '\r']);
                let frame = symbolize::resolve_line(debug, &loaded.index, number, line);
                match frame {
                    Some(frame) if self.report.json.json => frames.push(frame),
                    Some(frame) => render_frame(out, &frame)?,
                    None if self.report.json.json => {}
                    // Not a frame: the bytes as they came.
                    None => {
                        out.write_all(&buf)?;
                        if !buf.ends_with(b"\n") {
                            writeln!(out)?;
                        }
                    }
                }
            }
            if self.report.json.json {
                let report = Report {
                    module: loaded.name.clone(),
                    debug_info: debug.found.clone(),
                    addresses: Vec::new(),
                    backtrace: Some(std::mem::take(&mut frames)),
                };
                super::render::json(out, &report)?;
            }
            Ok(())
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

/// Reads one line of at most `limit` bytes into `buf`. Returns the bytes
/// read and whether that is the whole line; the rest of a longer line is
/// left unread, for [`copy_rest_of_line`].
fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    loop {
        let room = limit.saturating_sub(buf.len());
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok((buf.len(), true));
        }
        if room == 0 {
            return Ok((buf.len(), false));
        }
        let window = chunk.get(..room.min(chunk.len())).unwrap_or_default();
        let (take, done) = match memchr::memchr(b'\n', window) {
            Some(i) => (i + 1, true),
            None => (window.len(), false),
        };
        buf.extend_from_slice(window.get(..take).unwrap_or_default());
        input.consume(take);
        if done {
            return Ok((buf.len(), true));
        }
    }
}

/// Copies the rest of a line to `out` (or drops it, without `out`), up to
/// and with its newline, without holding it.
fn copy_rest_of_line(
    input: &mut impl BufRead,
    mut out: Option<&mut dyn Write>,
) -> std::io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            if let Some(out) = out {
                writeln!(out)?;
            }
            return Ok(());
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if let Some(out) = out.as_deref_mut() {
            out.write_all(chunk.get(..take).unwrap_or_default())?;
        }
        input.consume(take);
        if done {
            return Ok(());
        }
    }
}

/// `in NAME`, or what is known when there is no name.
fn function_label(frame: &Frame, place: &Place) -> String {
    match (&frame.function, place.function_index) {
        (Some(name), _) => name.clone(),
        (None, Some(index)) => format!("<wasm function {index}>"),
        (None, None) => "??".to_string(),
    }
}

/// Where a frame is, or which weaker source named it and that no line is
/// known.
fn where_label(frame: &Frame, place: &Place) -> String {
    match frame.place() {
        Some(at) => at,
        None => format!("?? ({})", no_line(place)),
    }
}

/// Why a frame has no line: which source named its function, if any.
fn no_line(place: &Place) -> String {
    match place.origin {
        Origin::NameSection | Origin::Export => {
            format!("no line; named by the {}", place.origin.name())
        }
        Origin::Dwarf | Origin::SourceMap => "no line".to_string(),
        Origin::None => "no debug info, no name".to_string(),
    }
}

fn render_address(out: &mut dyn Write, input: &str, place: &Place) -> std::io::Result<()> {
    let mut head = format!("{input}: module offset 0x{:x}", place.address);
    if let (Some(func), Some(offset)) = (place.function_index, place.function_offset) {
        head.push_str(&format!(", function {func} +0x{offset:x}"));
    }
    writeln!(out, "{head}")?;
    for frame in &place.frames {
        let inlined = if frame.inlined { " (inlined)" } else { "" };
        writeln!(
            out,
            "  {}{inlined}\n      at {}",
            function_label(frame, place),
            where_label(frame, place)
        )?;
    }
    if let Some(warning) = &place.warning {
        writeln!(out, "  warning: {warning}")?;
    }
    Ok(())
}

/// A frame line of a backtrace, resolved in the layout it came in: the
/// innermost function takes the frame's place, each function it was inlined
/// into follows, and `at file:line:col` goes under each (or, for V8 and
/// wasmer, in parentheses, as they print JavaScript frames).
fn render_frame(out: &mut dyn Write, frame: &ResolvedFrame) -> std::io::Result<()> {
    let place = &frame.place;
    if place.frames.is_empty() {
        writeln!(out, "{}", frame.text)?;
        if let Some(warning) = &place.warning {
            writeln!(out, "{}warning: {warning}", indent(&frame.lead))?;
        }
        return Ok(());
    }
    let before = frame.text.get(..frame.span.start).unwrap_or_default();
    let after = frame.text.get(frame.span.end..).unwrap_or_default();
    let wasm = format!("wasm-function[{}]", place.function_index.unwrap_or(0));
    let raw = frame
        .text
        .get(frame.span.clone())
        .unwrap_or_default()
        .trim();
    let pad = indent(&frame.lead);
    for (i, f) in place.frames.iter().enumerate() {
        let name = function_label(f, place);
        let at = where_label(f, place);
        let last = i + 1 == place.frames.len();
        match frame.format {
            TraceFormat::Wasmtime | TraceFormat::Wamr => {
                // As wasmtime prints its own details: inlined callers as
                // `- name` under the first, `at` under each name.
                let address = raw.split(" - ").next().unwrap_or(raw);
                let dash = " ".repeat(before.chars().count() + address.len());
                if i == 0 {
                    writeln!(out, "{before}{address} - {name}{after}")?;
                } else {
                    writeln!(out, "{dash} - {name}")?;
                }
                writeln!(out, "{dash}     at {at}")?;
            }
            TraceFormat::V8 | TraceFormat::Wasmer => {
                let at = f.place().unwrap_or_else(|| no_line(place));
                let lead = if i == 0 {
                    before.to_string()
                } else {
                    frame.lead.clone()
                };
                let tail = if last {
                    format!(" [{wasm}:0x{:x}]", place.address)
                } else {
                    " [inlined]".to_string()
                };
                writeln!(out, "{lead}{name} ({at}){tail}")?;
            }
            TraceFormat::Firefox => {
                let at = f.place().unwrap_or_else(|| no_line(place));
                let tail = if last {
                    format!(" [{wasm}:0x{:x}]", place.address)
                } else {
                    " [inlined]".to_string()
                };
                writeln!(out, "{}{name}@{at}{tail}", frame.lead)?;
            }
            TraceFormat::FunctionOffset => {
                if i == 0 {
                    writeln!(out, "{before}{name} ({raw}){after}")?;
                } else {
                    writeln!(out, "{pad}  inlined into {name}")?;
                }
                writeln!(out, "{pad}      at {at}")?;
            }
        }
    }
    if let Some(warning) = &place.warning {
        writeln!(out, "{pad}warning: {warning}")?;
    }
    Ok(())
}

/// Spaces as wide as a frame's lead, to line continuation lines up under it.
fn indent(lead: &str) -> String {
    " ".repeat(lead.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_read_in_part_and_the_rest_passed_on() {
        let text = format!("{}\nshort\nlast", "x".repeat(100));
        let mut input = std::io::BufReader::with_capacity(7, text.as_bytes());
        let mut buf = Vec::new();
        let (read, whole) = read_line(&mut input, &mut buf, 10).expect("reads");
        assert_eq!((read, whole), (10, false));
        let mut rest = Vec::new();
        copy_rest_of_line(&mut input, Some(&mut rest)).expect("copies");
        assert_eq!(rest.len(), 91, "the other 90 bytes and the newline");
        buf.clear();
        assert_eq!(
            read_line(&mut input, &mut buf, 10).expect("reads"),
            (6, true)
        );
        assert_eq!(buf, b"short\n");
        buf.clear();
        assert_eq!(
            read_line(&mut input, &mut buf, 10).expect("reads"),
            (4, true)
        );
        buf.clear();
        assert_eq!(
            read_line(&mut input, &mut buf, 10).expect("reads"),
            (0, true)
        );
    }
}
