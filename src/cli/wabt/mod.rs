//! wasmscope run as one of WABT's tools: `wasm2wat`, `wat2wasm`,
//! `wasm-validate`, `wasm-strip` or `wasm-objdump`, chosen by the name it
//! was started under (a link `wasmscope install-links DIR` makes).
//!
//! Each takes WABT 1.0.32's options, writes where WABT writes, exits as
//! WABT exits (0 success, 1 anything else, usage errors included) and
//! prints WABT's diagnostic lines (`%07x: error: ...`, with the path in
//! front for validation errors). Where wasmscope deliberately differs, the
//! tool's `--help` says so.

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wasmscope::Error;
use wasmscope::wabt::{CustomErrors, Diagnostic, decode, encode, features};

mod objdump;
mod options;

use options::{Matches, Opt, Parsed};

/// One of WABT's tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Wasm2Wat,
    Wat2Wasm,
    Validate,
    Strip,
    Objdump,
}

/// Every tool, in the order `install-links` makes them.
pub const TOOLS: [Tool; 5] = [
    Tool::Wasm2Wat,
    Tool::Wat2Wasm,
    Tool::Validate,
    Tool::Strip,
    Tool::Objdump,
];

impl Tool {
    /// The program name.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Wasm2Wat => "wasm2wat",
            Tool::Wat2Wasm => "wat2wasm",
            Tool::Validate => "wasm-validate",
            Tool::Strip => "wasm-strip",
            Tool::Objdump => "wasm-objdump",
        }
    }

    /// The tool a program path names (`/usr/local/bin/wasm2wat`,
    /// `wasm2wat.exe`), if any.
    pub fn from_program(program: &OsStr) -> Option<Tool> {
        let stem = Path::new(program).file_stem()?.to_str()?;
        TOOLS.into_iter().find(|tool| tool.name() == stem)
    }

    fn options(self) -> Vec<Opt> {
        let mut opts = vec![];
        let feature_flags = || {
            let mut flags: Vec<Opt> = features::FEATURES
                .iter()
                .map(|f| {
                    let help = if f.default_on {
                        format!("Disable the {} proposal in validation", f.name)
                    } else {
                        format!("Accepted: the {} proposal is always read", f.name)
                    };
                    Opt::flag(&f.flag(), None, &help)
                })
                .collect();
            flags.push(Opt::flag(
                "enable-all",
                None,
                "Accepted: every proposal is always read",
            ));
            flags
        };
        match self {
            Tool::Wasm2Wat => {
                opts.push(Opt::flag(
                    "verbose",
                    Some('v'),
                    "Log each section read to stderr",
                ));
                opts.push(Opt::value(
                    "output",
                    Some('o'),
                    "FILENAME",
                    "Output file for the text (default: stdout)",
                ));
                opts.push(Opt::flag(
                    "fold-exprs",
                    Some('f'),
                    "Write folded expressions",
                ));
                opts.extend(feature_flags());
                opts.push(Opt::unsupported(
                    "inline-exports",
                    None,
                    "exports are printed as fields of their own",
                ));
                opts.push(Opt::unsupported(
                    "inline-imports",
                    None,
                    "imports are printed as fields of their own",
                ));
                opts.push(Opt::flag("no-debug-names", None, "Ignore the name section"));
                opts.push(Opt::flag(
                    "ignore-custom-section-errors",
                    None,
                    "A name section that does not decode is a warning",
                ));
                opts.push(Opt::flag(
                    "generate-names",
                    None,
                    "Give every unnamed item a name",
                ));
                opts.push(Opt::flag("no-check", None, "Do not validate the module"));
            }
            Tool::Wat2Wasm => {
                opts.push(Opt::flag("verbose", Some('v'), "Log the steps to stderr"));
                opts.push(Opt::unsupported(
                    "debug-parser",
                    None,
                    "the parser has no trace to print",
                ));
                opts.push(Opt::unsupported(
                    "dump-module",
                    Some('d'),
                    "use wasm-objdump -s on the output",
                ));
                opts.extend(feature_flags());
                opts.push(Opt::value(
                    "output",
                    Some('o'),
                    "FILE",
                    "Output file (default: NAME.wasm in the current directory; --output=- for stdout)",
                ));
                opts.push(Opt::unsupported(
                    "relocatable",
                    Some('r'),
                    "relocatable objects are made by a compiler's linker flow",
                ));
                opts.push(Opt::unsupported(
                    "no-canonicalize-leb128s",
                    None,
                    "sizes are always written as the shortest LEB128",
                ));
                opts.push(Opt::flag("debug-names", None, "Write the name section"));
                opts.push(Opt::flag("no-check", None, "Do not validate the module"));
            }
            Tool::Validate => {
                opts.push(Opt::flag(
                    "verbose",
                    Some('v'),
                    "Log each section read to stderr",
                ));
                opts.extend(feature_flags());
                opts.push(Opt::flag(
                    "no-debug-names",
                    None,
                    "Do not read the name section",
                ));
                opts.push(Opt::flag(
                    "ignore-custom-section-errors",
                    None,
                    "A name section that does not decode is a warning",
                ));
            }
            Tool::Strip => {
                opts.push(Opt::value(
                    "output",
                    Some('o'),
                    "FILE",
                    "Output file (default: the input, replaced)",
                ));
            }
            Tool::Objdump => opts.extend(objdump::options()),
        }
        opts
    }

    fn about(self) -> &'static str {
        match self {
            Tool::Wasm2Wat => {
                "  Print a WebAssembly binary as text (wasmscope, taking wasm2wat's options)."
            }
            Tool::Wat2Wasm => {
                "  Encode WebAssembly text as a binary (wasmscope, taking wat2wasm's options)."
            }
            Tool::Validate => {
                "  Check that a WebAssembly binary is valid (wasmscope, taking wasm-validate's options)."
            }
            Tool::Strip => {
                "  Remove every custom section from a WebAssembly binary (wasmscope, taking wasm-strip's options)."
            }
            Tool::Objdump => {
                "  Print what is in WebAssembly binaries (wasmscope, taking wasm-objdump's options)."
            }
        }
    }

    fn after_help(self) -> &'static str {
        match self {
            Tool::Wasm2Wat => {
                "examples:
  wasm2wat app.wasm                 the text on stdout
  wasm2wat app.wasm -o app.wat
  wasm2wat -f --generate-names app.wasm

The text is wasmscope's (the style of wasm-tools print); WABT's own wat2wasm
and wasmscope's read it back to the same module. Custom sections other than
the name section are left out, as WABT leaves them out. Every proposal is
read. --inline-exports and --inline-imports are refused, and -f cannot fold
legacy exception handling (try, catch, delegate).
Exit status: 0 printed, 1 anything else."
            }
            Tool::Wat2Wasm => {
                "examples:
  wat2wasm app.wat                  writes app.wasm in the current directory
  wat2wasm app.wat -o out.wasm
  wat2wasm --debug-names app.wat -o app.wasm
  wat2wasm app.wat --output=- | wasm-validate -

The binary is WABT's byte for byte (the name section only with
--debug-names, and then as WABT writes it; element segments in their
compact form). Text on stdin with
no -o goes to stdout. Components and every proposal are read.
-r, --no-canonicalize-leb128s, -d and --debug-parser are refused.
Exit status: 0 written, 1 anything else."
            }
            Tool::Validate => {
                "examples:
  wasm-validate app.wasm && echo valid
  wasm-validate --disable-simd app.wasm

Nothing is printed for a valid module. A malformed module gets one
`OFFSET: error: message` line; an invalid one `PATH:OFFSET: error: message`
(the first error only). Every proposal is accepted.
Exit status: 0 valid, 1 anything else."
            }
            Tool::Strip => {
                "examples:
  wasm-strip app.wasm               in place
  wasm-strip app.wasm -o small.wasm

Every custom section goes; the rest is copied byte for byte. The output is
written whole or not at all. From stdin with no -o, to stdout.
Exit status: 0 written, 1 anything else."
            }
            Tool::Objdump => objdump::AFTER_HELP,
        }
    }
}

/// Runs a tool with the arguments after the program name, and gives its
/// exit status.
pub fn run(tool: Tool, args: Vec<OsString>) -> ExitCode {
    let opts = tool.options();
    let matches = match options::parse(&opts, args) {
        Parsed::Run(matches) => matches,
        Parsed::Help => {
            let text = options::help(tool.name(), tool.about(), &opts, tool.after_help());
            let _ = io::stdout().write_all(text.as_bytes());
            return ExitCode::SUCCESS;
        }
        Parsed::Version => {
            println!("{} (wasmscope)", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Parsed::Usage(message) => return usage(tool, &message),
    };
    let files = matches.files.len();
    if files == 0 {
        return usage(tool, "expected filename argument.");
    }
    if files > 1
        && tool != Tool::Objdump
        && let Some(extra) = matches.files.get(1)
    {
        return usage(
            tool,
            &format!("unexpected argument '{}'", extra.to_string_lossy()),
        );
    }
    let outcome = match tool {
        Tool::Wasm2Wat => wasm2wat(&matches),
        Tool::Wat2Wasm => wat2wasm(&matches),
        Tool::Validate => validate(&matches),
        Tool::Strip => strip(&matches),
        Tool::Objdump => objdump::run(&matches),
    };
    match outcome {
        Ok(code) => code,
        Err(Failed::Lines(lines)) => {
            let mut err = io::stderr().lock();
            for line in lines {
                let _ = writeln!(err, "{line}");
            }
            ExitCode::from(1)
        }
        Err(Failed::BrokenPipe) => ExitCode::SUCCESS,
    }
}

/// A usage error, as WABT's tools print it.
fn usage(tool: Tool, message: &str) -> ExitCode {
    eprintln!("{}: {message}", tool.name());
    eprintln!("Try '--help' for more information.");
    ExitCode::from(1)
}

/// Why a tool stopped.
enum Failed {
    /// Diagnostics to print on stderr, one a line.
    Lines(Vec<String>),
    /// stdout was closed: a quiet stop.
    BrokenPipe,
}

type Outcome = Result<ExitCode, Failed>;

impl From<Diagnostic> for Failed {
    fn from(d: Diagnostic) -> Failed {
        Failed::Lines(vec![d.line(None)])
    }
}

impl From<Error> for Failed {
    fn from(err: Error) -> Failed {
        if err.is_broken_pipe() {
            return Failed::BrokenPipe;
        }
        Failed::Lines(vec![error_line(&err)])
    }
}

/// A wasmscope error as WABT words its own: `PATH:OFFSET: error: ...` for
/// a binary, `PATH:LINE:COL: error: ...` with the source line and a caret
/// for text, `PATH: message` for a file that cannot be read.
fn error_line(err: &Error) -> String {
    match err {
        Error::Binary(b) if !b.from_text => {
            format!("{}:{:07x}: error: {}", b.path, b.offset, b.message)
        }
        Error::Binary(b) => format!("{}: error: {}", b.path, b.message),
        Error::Text(t) => {
            let before = t.column.saturating_sub(1);
            let pad: String = t
                .source_line
                .chars()
                .take(before)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            // The whole token is underlined, as WABT underlines it.
            let token = t
                .source_line
                .chars()
                .skip(before)
                .take_while(|c| !c.is_whitespace() && *c != '(' && *c != ')')
                .count()
                .max(1);
            // WABT's message does not name the function: the position does.
            let message = match t.message.strip_prefix("in function ") {
                Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m),
                None => &t.message,
            };
            format!(
                "{}:{}:{}: error: {message}\n{}\n{pad}{}",
                t.path,
                t.line,
                t.column,
                t.source_line,
                "^".repeat(token)
            )
        }
        Error::Io { path, source } => format!("{}: {}", path.display(), io_message(source)),
        Error::Other(message) => format!("error: {message}"),
    }
}

/// An I/O error in the C library's words, without Rust's `(os error N)`.
fn io_message(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "No such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "Permission denied".to_string(),
        _ => wasmscope::error::os_message(err),
    }
}

/// The one file argument.
fn the_file(matches: &Matches) -> &OsStr {
    matches
        .files
        .first()
        .map_or(OsStr::new("-"), OsString::as_os_str)
}

/// Reads a file argument (`-` for stdin), with the name diagnostics use.
fn read_input(arg: &OsStr) -> Result<(String, Vec<u8>), Failed> {
    let name = arg.to_string_lossy().into_owned();
    if arg == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failed::Lines(vec![format!("-: {}", io_message(&e))]))?;
        return Ok(("-".to_string(), bytes));
    }
    let path = Path::new(arg);
    if path.is_dir() {
        return Err(Failed::Lines(vec![format!("{name}: not a regular file")]));
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok((name, bytes)),
        Err(e) => Err(Failed::Lines(vec![format!("{name}: {}", io_message(&e))])),
    }
}

/// Writes `bytes` to `path` whole (or not at all), or to stdout for `-`.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failed> {
    if path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        return match out.write_all(bytes).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Failed::BrokenPipe),
            Err(e) => Err(Failed::Lines(vec![format!("-: {}", io_message(&e))])),
        };
    }
    wasmscope::output::write_atomic(path, |out| wasmscope::output::write_bytes(out, bytes))
        .map_err(Failed::from)
}

/// Decodes a binary as WABT's reader does, printing warnings.
fn decode_or_fail(bytes: &[u8], custom: CustomErrors, verbose: bool) -> Result<(), Failed> {
    let warnings = decode(bytes, custom)?;
    let mut err = io::stderr().lock();
    for warning in warnings {
        let _ = writeln!(err, "{}", warning.line(None));
    }
    if verbose {
        log_sections(bytes, &mut err);
    }
    Ok(())
}

/// `-v`: each section read, with its offset and size, on stderr.
fn log_sections(bytes: &[u8], err: &mut dyn Write) {
    let Ok(index) = wasmscope::index::ModuleIndex::build(bytes) else {
        return;
    };
    for section in &index.sections {
        let _ = writeln!(
            err,
            "{:07x}: section {} ({} bytes)",
            section.range.start,
            section.describe(),
            section.range.len()
        );
    }
}

/// How a tool asked for custom-section errors to be treated.
fn custom_errors(matches: &Matches) -> CustomErrors {
    if matches.flag("no-debug-names") {
        CustomErrors::Skip
    } else if matches.flag("ignore-custom-section-errors") {
        CustomErrors::Warn
    } else {
        CustomErrors::Fatal
    }
}

/// The features the flags leave for validation.
fn features_of(matches: &Matches) -> wasmparser::WasmFeatures {
    let disabled = matches
        .given
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("disable-"));
    features::with_disabled(disabled)
}

/// Validates a binary; an error is `PATH:OFFSET: error: message`.
fn validate_or_fail(bytes: &[u8], name: &str, matches: &Matches) -> Result<(), Failed> {
    wasmscope::validate::validate(bytes, name, features_of(matches))?;
    Ok(())
}

fn wasm2wat(matches: &Matches) -> Outcome {
    let (name, bytes) = read_input(the_file(matches))?;
    decode_or_fail(&bytes, custom_errors(matches), matches.flag("verbose"))?;
    if !matches.flag("no-check") {
        validate_or_fail(&bytes, &name, matches)?;
    }
    let names = !matches.flag("no-debug-names");
    let printed = encode::without_customs(&bytes, names);
    let opts = wasmscope::print::PrintOptions {
        fold: matches.flag("fold-exprs"),
        name_unnamed: matches.flag("generate-names"),
        ..Default::default()
    };
    match matches.value("output") {
        Some(path) if path != "-" => {
            wasmscope::output::write_atomic(Path::new(path), |out| {
                wasmscope::print::print(&printed, &name, &opts, out)
            })?;
        }
        _ => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            wasmscope::print::print(&printed, &name, &opts, &mut out)?;
            out.flush().map_err(|e| {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    Failed::BrokenPipe
                } else {
                    Failed::Lines(vec![format!("-: {}", io_message(&e))])
                }
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn wat2wasm(matches: &Matches) -> Outcome {
    let file = the_file(matches);
    let (name, text) = read_input(file).map_err(|failed| match failed {
        // WABT's wat2wasm says it twice.
        Failed::Lines(mut lines) => {
            lines.push(format!("unable to read file: {}", file.to_string_lossy()));
            Failed::Lines(lines)
        }
        other => other,
    })?;
    let binary = wasmscope::parse::parse_bytes(&text, &name)?;
    if matches.flag("verbose") {
        eprintln!("{name}: parsed, {} bytes encoded", binary.len());
    }
    if !matches.flag("no-check") {
        let input = wasmscope::Input::from_bytes(name.clone(), text);
        wasmscope::validate::validate(&binary, &name, features_of(matches))
            .map_err(|e| wasmscope::validate::locate_in_text(&input, &binary, e))?;
    }
    let bytes = encode::wat2wasm(binary, matches.flag("debug-names"));
    let output = match matches.value("output") {
        Some(path) => PathBuf::from(path),
        None if file == "-" => {
            if io::stdout().is_terminal() {
                return Err(Failed::Lines(vec![
                    "wat2wasm: refusing to write a binary to a terminal: give -o FILE".to_string(),
                ]));
            }
            PathBuf::from("-")
        }
        // WABT writes NAME.wasm in the current directory.
        None => Path::new(file)
            .file_name()
            .map(|base| Path::new(base).with_extension("wasm"))
            .unwrap_or_else(|| PathBuf::from("out.wasm")),
    };
    write_output(&output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn validate(matches: &Matches) -> Outcome {
    let (name, bytes) = read_input(the_file(matches))?;
    decode_or_fail(&bytes, custom_errors(matches), matches.flag("verbose"))?;
    validate_or_fail(&bytes, &name, matches)?;
    Ok(ExitCode::SUCCESS)
}

fn strip(matches: &Matches) -> Outcome {
    let file = the_file(matches);
    let (name, bytes) = read_input(file)?;
    let stripped = encode::strip(&bytes, &name)?;
    let output = match matches.value("output") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(file),
    };
    if output.as_os_str() == "-" && io::stdout().is_terminal() {
        return Err(Failed::Lines(vec![
            "wasm-strip: refusing to write a binary to a terminal: give -o FILE".to_string(),
        ]));
    }
    write_output(&output, &stripped)?;
    Ok(ExitCode::SUCCESS)
}
