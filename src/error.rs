//! Typed errors that say where a problem is: a byte offset (and function) for
//! binary input, a line and column with the source line for text input.

use std::fmt;
use std::path::PathBuf;

/// The result type used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading, converting or checking a module.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {}", path.display(), os_message(source))]
    Io {
        /// The file involved (`-` for stdin or stdout).
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A binary module is malformed or invalid.
    #[error(transparent)]
    Binary(#[from] Box<BinaryError>),
    /// A text module does not parse.
    #[error(transparent)]
    Text(#[from] Box<TextError>),
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Whether this error is a closed pipe on output (`wasmscope print | head`),
    /// which a command-line tool should treat as a quiet stop.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// What the operating system said, without the error's number: the numbers
/// are the system's own (a missing file is 2 on Linux and 44 under WASI)
/// while the words are the same, so a message reads the same wherever
/// wasmscope runs.
pub fn os_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match error.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or_else(|| text.clone(), str::to_string),
        None => text,
    }
}

/// A decoding failure without a file name yet: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at offset 0x{offset:x})")]
pub struct DecodeError {
    /// Offset from the start of the input.
    pub offset: usize,
    /// What is wrong, on one line.
    pub message: String,
}

impl DecodeError {
    /// A new error at `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        DecodeError {
            offset,
            message: message.into(),
        }
    }

    /// The error with the input's name attached.
    pub fn in_file(self, path: &str) -> Error {
        BinaryError {
            path: path.to_string(),
            offset: self.offset,
            message: self.message,
            function: None,
            instruction: None,
            from_text: false,
        }
        .into()
    }
}

impl From<wasmparser::BinaryReaderError> for DecodeError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        DecodeError {
            offset: usize::try_from(e.offset()).unwrap_or(usize::MAX),
            message: one_line(e.message()),
        }
    }
}

/// A function named in an error: its index in the function index space and,
/// when the module has a name section, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionContext {
    /// Index in the module's function index space (imports first).
    pub index: u32,
    /// Name from the name section, if any.
    pub name: Option<String>,
}

/// An error in a binary module, with the byte offset it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryError {
    /// The input's display name.
    pub path: String,
    /// Offset from the start of the input.
    pub offset: usize,
    /// What is wrong, as wasmparser phrased it (without its own offset suffix).
    pub message: String,
    /// The function whose body holds the error, when it is inside code.
    pub function: Option<FunctionContext>,
    /// The instruction at the offset, written as text.
    pub instruction: Option<String>,
    /// Whether the input was text: the offset is then in its binary encoding,
    /// not in the file.
    pub from_text: bool,
}

impl BinaryError {
    /// Builds an error from wasmparser's, keeping the offset apart from the text.
    pub fn from_reader(path: &str, err: &wasmparser::BinaryReaderError) -> Self {
        BinaryError {
            path: path.to_string(),
            offset: usize::try_from(err.offset()).unwrap_or(usize::MAX),
            message: one_line(err.message()),
            function: None,
            instruction: None,
            from_text: false,
        }
    }
}

/// Puts a parser message on one line: some span lines, pad numbers, or dump
/// the expected and actual bytes, which the offset already makes plain.
pub(crate) fn one_line(message: &str) -> String {
    let message = match message.find(" - expected=") {
        Some(cut) => &message[..cut],
        None => message,
    };
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for BinaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from_text {
            write!(f, "{}: ", self.path)?;
        } else {
            write!(f, "{}:0x{:x}: ", self.path, self.offset)?;
        }
        if let Some(func) = &self.function {
            write!(f, "in function {}", func.index)?;
            if let Some(name) = &func.name {
                write!(f, " `{name}`")?;
            }
            if let Some(instr) = &self.instruction {
                write!(f, " at `{}`", shortened(instr, INSTRUCTION_SHOWN))?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)?;
        if self.from_text {
            write!(f, " (at offset 0x{:x} of the encoded binary)", self.offset)?;
        }
        Ok(())
    }
}

impl std::error::Error for BinaryError {}

/// How much of an instruction's text an error message shows: enough for any
/// ordinary instruction, while a declaration of thousands of locals or a
/// `br_table` of thousands of labels is cut short.
const INSTRUCTION_SHOWN: usize = 60;

/// `text` cut to at most `max` characters, with `…` where it was cut.
fn shortened(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)).into(),
        None => text.into(),
    }
}

/// An error in a text module, with its line, column and source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// The input's display name.
    pub path: String,
    /// Line number, counted from 1.
    pub line: usize,
    /// Column number in characters, counted from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The text of the offending line, without its line break.
    pub source_line: String,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )?;
        // A caret under a very long line helps nobody; the position says it all.
        if self.source_line.chars().count() <= 300 {
            let gutter = self.line.to_string().len();
            let pad: String = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n {:>gutter$} | {}\n {:>gutter$} | {pad}^",
                self.line, self.source_line, ""
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for TextError {}

impl From<BinaryError> for Error {
    fn from(e: BinaryError) -> Self {
        Error::Binary(Box::new(e))
    }
}

impl From<TextError> for Error {
    fn from(e: TextError) -> Self {
        Error::Text(Box::new(e))
    }
}
