//! Where a module comes from (a file, stdin or the embedded demo), whether
//! it is binary or text, and the one way in for every report: read, convert
//! to binary, index ([`Loaded`]). The kind is decided by the bytes, never the
//! extension.

use std::borrow::Cow;
use std::io::Read;
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};

use crate::error::{DecodeError, Error, Result};
use crate::index::ModuleIndex;

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

impl InputKind {
    /// Marks a binary error found in an input of this kind: for text, its
    /// offset is in the encoding, not a position in the file.
    pub fn mark_error(self, err: Error) -> Error {
        match (self, err) {
            (InputKind::Text, Error::Binary(mut e)) => {
                e.from_text = true;
                Error::Binary(e)
            }
            (_, err) => err,
        }
    }
}

/// Files at least this large are mapped into memory rather than read (on
/// native hosts): the
/// commands that look at a few sections of a large module then touch only
/// those pages.
#[cfg_attr(target_os = "wasi", allow(dead_code))]
const MAP_THRESHOLD: u64 = 1 << 20;

/// A module's bytes: read into memory, mapped from a file, or built in.
#[derive(Debug)]
pub enum Bytes {
    /// Read (or produced) into memory.
    Owned(Vec<u8>),
    /// Mapped from a file.
    #[cfg(not(target_os = "wasi"))]
    Mapped(memmap2::Mmap),
    /// Built into the binary (the demo module).
    Static(&'static [u8]),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            #[cfg(not(target_os = "wasi"))]
            Bytes::Mapped(m) => m,
            Bytes::Static(s) => s,
        }
    }
}

impl Bytes {
    /// Says that the pages of `range` are not needed for now. A mapped file's
    /// pages leave this process's resident memory (they stay in the system's
    /// file cache, and are read back from it when next touched); bytes in
    /// memory are kept. Readers of large modules call it between passes so
    /// that their memory does not grow to the size of the file.
    pub fn release(&self, range: Range<usize>) {
        #[cfg(unix)]
        if let Bytes::Mapped(map) = self
            && range.start < range.end
            && range.end <= map.len()
        {
            release_pages(map, range);
        }
        #[cfg(not(unix))]
        let _ = range;
    }
}

/// `MADV_DONTNEED` on part of a read-only file map.
#[cfg(unix)]
#[allow(unsafe_code)]
fn release_pages(map: &memmap2::Mmap, range: Range<usize>) {
    // SAFETY: the map is read-only and private, so no page of it was ever
    // written: a released page is read again from the file when touched,
    // with the contents it had (the file not changing under the map is what
    // `map` already relies on). Failure only leaves the pages resident.
    let _ = unsafe {
        map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, range.len())
    };
}

impl Clone for Bytes {
    fn clone(&self) -> Self {
        match self {
            Bytes::Static(s) => Bytes::Static(s),
            other => Bytes::Owned(other.to_vec()),
        }
    }
}

/// Maps a file read-only.
#[cfg(not(target_os = "wasi"))]
#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only and private to this process. Another
    // process truncating the file while we read it would fault, as it would
    // for any tool that maps its input (ripgrep, linkers); wasmscope never
    // writes to its inputs, and outputs go through a new file and a rename.
    unsafe { memmap2::Mmap::map(file) }
}

fn read_file(path: &Path) -> std::io::Result<Bytes> {
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let len = metadata.len();
    #[cfg(not(target_os = "wasi"))]
    if len >= MAP_THRESHOLD && metadata.is_file() {
        return map(&file).map(Bytes::Mapped);
    }
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut buf)?;
    Ok(Bytes::Owned(buf))
}

/// A module's bytes as read, with its name for messages.
#[derive(Debug, Clone)]
pub struct Input {
    /// Display name used in every message about this input.
    pub name: String,
    /// The bytes exactly as read.
    pub bytes: Bytes,
    /// Binary or text, decided from the bytes.
    pub kind: InputKind,
}

impl Input {
    /// Reads a whole input.
    pub fn read(source: &Source) -> Result<Input> {
        let name = source.display_name();
        let bytes = match source {
            Source::File(path) => read_file(path).map_err(|source| Error::Io {
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
                Bytes::Owned(buf)
            }
            Source::Demo => Bytes::Static(crate::demo::BYTES),
        };
        Ok(Input::with_bytes(name, bytes))
    }

    /// Wraps bytes already in memory.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input::with_bytes(name, Bytes::Owned(bytes))
    }

    fn with_bytes(name: impl Into<String>, bytes: Bytes) -> Input {
        let kind = detect(&bytes);
        Input {
            name: name.into(),
            bytes,
            kind,
        }
    }

    /// The module in the binary format, taking the input: the bytes
    /// themselves (no copy), or the text parsed to binary.
    pub fn into_binary(self) -> Result<Bytes> {
        match self.kind {
            InputKind::Binary => Ok(self.bytes),
            InputKind::Text => Ok(Bytes::Owned(crate::parse::parse_bytes(
                &self.bytes,
                &self.name,
            )?)),
        }
    }

    /// Marks a binary error found in this input's binary form: for a text
    /// input, its offset is in the encoding, not a position in the file.
    pub fn mark_error(&self, err: Error) -> Error {
        self.kind.mark_error(err)
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

/// An input read, in the binary format, and indexed: what every report
/// starts from.
#[derive(Debug)]
pub struct Loaded {
    /// Display name used in every message about this input.
    pub name: String,
    /// Whether the input was binary or text as read.
    pub kind: InputKind,
    /// The module in the binary format (text already parsed).
    pub bytes: Bytes,
    /// The index of the binary.
    pub index: ModuleIndex,
}

impl Loaded {
    /// Reads the module a source names, converts it to binary and indexes it.
    pub fn load(source: &Source) -> Result<Loaded> {
        Loaded::from_input(Input::read(source)?)
    }

    /// Converts an input already read to binary and indexes it.
    pub fn from_input(input: Input) -> Result<Loaded> {
        let (name, kind) = (input.name.clone(), input.kind);
        let bytes = input.into_binary()?;
        let index = ModuleIndex::build(&bytes).map_err(|e| kind.mark_error(e.in_file(&name)))?;
        Ok(Loaded {
            name,
            kind,
            bytes,
            index,
        })
    }

    /// Attaches the input's name (and for text, the note that offsets are in
    /// the encoding) to a decoding error an analysis of this module found.
    pub fn error(&self, e: DecodeError) -> Error {
        self.kind.mark_error(e.in_file(&self.name))
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
    let head = bytes.get(..4096).unwrap_or(bytes);
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

    #[test]
    fn loads_text_as_binary_and_indexes_it() {
        let input = Input::from_bytes("t.wat", b"(module (func (export \"f\")))".to_vec());
        let loaded = Loaded::from_input(input).expect("loads");
        assert_eq!(loaded.kind, InputKind::Text);
        assert!(loaded.bytes.starts_with(b"\0asm"));
        assert_eq!(loaded.index.exports.len(), 1);
        assert_eq!(loaded.index.range, 0..loaded.bytes.len());
    }

    #[test]
    fn load_errors_name_the_input() {
        let input = Input::from_bytes("cut.wasm", b"\0asm\x01\0\0\0\x01\x05".to_vec());
        let err = Loaded::from_input(input).expect_err("truncated");
        assert!(err.to_string().starts_with("cut.wasm"), "{err}");

        let loaded = Loaded::load(&Source::Demo).expect("demo loads");
        let err = loaded.error(DecodeError::new(8, "bad body"));
        assert!(err.to_string().contains(&loaded.name), "{err}");
    }
}
