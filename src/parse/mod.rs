//! Text to binary: the WebAssembly text format (modules and components,
//! folded or flat instructions) encoded to the binary format.

use wast::parser::{self, ParseBuffer};

use crate::error::{Error, Result, TextError};

mod parallel;

/// Text smaller than this is parsed in one go.
const PARALLEL_FROM: usize = 4 << 20;

/// How to parse: on how many threads, in pieces of how much function text
/// (`None`: chosen from the input and the machine). The result is the same
/// either way.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Threads: `None` for one per core (or `RAYON_NUM_THREADS`).
    pub jobs: Option<usize>,
    /// Function text per piece, in bytes.
    pub chunk_bytes: Option<usize>,
}

/// Parses text given as bytes; bytes that are not UTF-8 get an error at the
/// first bad byte's line and column.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<Vec<u8>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_text(text, path),
        Err(e) => {
            // Report what is valid up to the bad byte, so line:col are right.
            let good = bytes
                .get(..e.valid_up_to())
                .and_then(|good| std::str::from_utf8(good).ok())
                .unwrap_or_default();
            Err(text_error(
                good,
                path,
                e.valid_up_to(),
                "input is neither a WebAssembly binary nor UTF-8 text".to_string(),
            ))
        }
    }
}

/// Parses a module or component in the text format and encodes it. A large
/// module is parsed on every core.
pub fn parse_text(text: &str, path: &str) -> Result<Vec<u8>> {
    parse_text_with(text, path, ParseOptions::default())
}

/// [`parse_text`] with the threads and pieces chosen.
pub fn parse_text_with(text: &str, path: &str, opts: ParseOptions) -> Result<Vec<u8>> {
    let jobs = opts.jobs.unwrap_or_else(|| {
        if cfg!(target_os = "wasi") {
            1
        } else {
            rayon::current_num_threads()
        }
    });
    let large = text.len() >= PARALLEL_FROM || opts.chunk_bytes.is_some();
    if jobs > 1
        && large
        && let Some(binary) = parallel::parse(text, jobs, opts.chunk_bytes)
    {
        return Ok(binary);
    }
    parse_text_once(text).map_err(|e| text_error(text, path, e.span().offset(), e.message()))
}

/// Parses `text` on `jobs` threads in pieces of about `chunk_bytes` of
/// function text, or `None` where [`parse_text_with`] would parse it in one
/// go. For tests that must know the pieces were used.
#[doc(hidden)]
pub fn parse_in_pieces(text: &str, jobs: usize, chunk_bytes: usize) -> Option<Vec<u8>> {
    parallel::parse(text, jobs, Some(chunk_bytes))
}

/// Parses and encodes in one go.
fn parse_text_once(text: &str) -> std::result::Result<Vec<u8>, wast::Error> {
    let buf = ParseBuffer::new(text)?;
    let mut wat = parser::parse::<wast::Wat>(&buf)?;
    wat.encode()
}

/// Where each defined function's instructions start in the text: one list
/// per defined function, in definition order (which is the order of the
/// code section), with the byte offset of each encoded instruction. `None`
/// for components or text that does not encode.
pub fn instruction_offsets(text: &str) -> Option<Vec<Vec<usize>>> {
    use wast::core::{FuncKind, ModuleField, ModuleKind};
    let mut buf = ParseBuffer::new(text).ok()?;
    buf.track_instr_spans(true);
    let mut wat = parser::parse::<wast::Wat>(&buf).ok()?;
    // Encoding resolves names in place; the instruction list is then the one
    // that was written to the binary.
    wat.encode().ok()?;
    let wast::Wat::Module(module) = &wat else {
        return None;
    };
    let ModuleKind::Text(fields) = &module.kind else {
        return None;
    };
    let mut functions = Vec::new();
    for field in fields {
        if let ModuleField::Func(func) = field
            && let FuncKind::Inline { expression, .. } = &func.kind
        {
            let spans = expression.instr_spans.as_deref().unwrap_or_default();
            functions.push(spans.iter().map(|s| s.offset()).collect());
        }
    }
    Some(functions)
}

/// Builds a [`TextError`] at byte offset `offset` of `text`.
pub fn error_at(text: &str, path: &str, offset: usize, message: String) -> Error {
    text_error(text, path, offset, message)
}

/// Builds a [`TextError`] pointing at a byte offset of `text`.
fn text_error(text: &str, path: &str, offset: usize, message: String) -> Error {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let source_line = text[line_start..line_end]
        .trim_end_matches('\r')
        .to_string();
    TextError {
        path: path.to_string(),
        line,
        column,
        message,
        source_line,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_points_at_line_and_column() {
        let text = "(module\n  (func\n    i32.ad))\n";
        let Err(Error::Text(e)) = parse_text(text, "t.wat") else {
            panic!("expected a text error");
        };
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.source_line, "    i32.ad))");
        assert!(e.to_string().starts_with("t.wat:3:5: "), "{e}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let Err(Error::Text(e)) = parse_bytes(b"(module)\n;; \xff\n", "t.wat") else {
            panic!("expected a text error");
        };
        assert_eq!((e.line, e.column), (2, 4));
    }

    #[test]
    fn components_parse() {
        let bytes = parse_text("(component)", "c.wat").expect("component parses");
        assert_eq!(&bytes[..4], b"\0asm");
    }
}
