//! Where a module comes from (a file, stdin or the embedded demo) and whether
//! it is binary or text. The kind is decided by the bytes, never the extension.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where to read a module from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// The demo module embedded in wasmscope.
    Demo,
}

impl Source {
    /// The source a command-line argument names: `-` is stdin.
    pub fn from_arg(arg: &Path) -> Source {
        if arg == Path::new("-") {
            Source::Stdin
        } else {
            Source::File(arg.to_path_buf())
        }
    }

    /// How the source is named in messages.
    pub fn display_name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
            Source::Demo => crate::demo::NAME.to_string(),
        }
    }
}

/// Whether an input holds the binary format or the text format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// The binary format (or bytes that can only be meant as binary).
    Binary,
    /// The text format (.wat / .wast module).
    Text,
}

/// A module's bytes as read, with its name for messages.
#[derive(Debug, Clone)]
pub struct Input {
    /// Display name used in every message about this input.
    pub name: String,
    /// The bytes exactly as read.
    pub bytes: Vec<u8>,
    /// Binary or text, decided from the bytes.
    pub kind: InputKind,
}

impl Input {
    /// Reads a whole input.
    pub fn read(source: &Source) -> Result<Input> {
        let name = source.display_name();
        let bytes = match source {
            Source::File(path) => std::fs::read(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?,
            Source::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .map_err(|source| Error::Io {
                        path: PathBuf::from("<stdin>"),
                        source,
                    })?;
                buf
            }
            Source::Demo => crate::demo::BYTES.to_vec(),
        };
        Ok(Input::from_bytes(name, bytes))
    }

    /// Wraps bytes already in memory.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        let kind = detect(&bytes);
        Input {
            name: name.into(),
            bytes,
            kind,
        }
    }

    /// Marks a binary error found in this input's binary form: for a text
    /// input, its offset is in the encoding, not a position in the file.
    pub fn mark_error(&self, err: Error) -> Error {
        match (self.kind, err) {
            (InputKind::Text, Error::Binary(mut e)) => {
                e.from_text = true;
                Error::Binary(e)
            }
            (_, err) => err,
        }
    }

    /// The module in the binary format: the bytes themselves, or the text
    /// parsed to binary.
    pub fn to_binary(&self) -> Result<Cow<'_, [u8]>> {
        match self.kind {
            InputKind::Binary => Ok(Cow::Borrowed(&self.bytes)),
            InputKind::Text => Ok(Cow::Owned(crate::parse::parse_bytes(
                &self.bytes,
                &self.name,
            )?)),
        }
    }
}

/// Decides binary or text from the bytes. Anything that starts with the wasm
/// magic, starts with a NUL byte or is not UTF-8 is taken as binary, so that a
/// damaged binary gets a binary error ("bad magic number") rather than a
/// confusing text one.
pub fn detect(bytes: &[u8]) -> InputKind {
    if bytes.starts_with(b"\0asm") || bytes.first() == Some(&0) {
        return InputKind::Binary;
    }
    // Checking a prefix is enough to tell; the text parser reports the exact
    // position of any invalid UTF-8 later on.
    let head = &bytes[..bytes.len().min(4096)];
    match std::str::from_utf8(head) {
        Ok(_) => InputKind::Text,
        // A prefix may end in the middle of a character.
        Err(e) if e.error_len().is_none() => InputKind::Text,
        Err(_) => InputKind::Binary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(detect(b"\0asm\x01\0\0\0"), InputKind::Binary);
        assert_eq!(detect(b"(module)"), InputKind::Text);
        assert_eq!(detect(b"\0asn\x01\0\0\0"), InputKind::Binary);
        assert_eq!(detect(b"\xff\xfe(module)"), InputKind::Binary);
        assert_eq!(detect(b""), InputKind::Text);
        // A multi-byte character cut by the 4096-byte prefix is still text.
        let mut text = vec![b';'; 4095];
        text.extend_from_slice("é".as_bytes());
        assert_eq!(detect(&text), InputKind::Text);
    }
}
