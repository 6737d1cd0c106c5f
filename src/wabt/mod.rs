//! WABT-compatible tools: what `wasm2wat`, `wat2wasm`, `wasm-validate`,
//! `wasm-strip` and `wasm-objdump` (WABT 1.0.32) print and write, for
//! scripts that call those tools by name.
//!
//! The command line runs these when the binary is invoked under one of
//! those names (a link made by `wasmscope install-links DIR`). This module
//! holds the parts that are not about the command line:
//!
//! - [`decode`]: the decoding pass WABT's readers make before anything
//!   else, with WABT's wording for the common failures
//!   ([`Diagnostic`], printed as `%07x: error: message`);
//! - [`features`]: WABT's `--enable-*` / `--disable-*` flags as wasmparser
//!   features;
//! - [`encode`]: the binaries `wat2wasm` and `wasm-strip` write, byte for
//!   byte;
//! - [`objdump`]: `wasm-objdump`'s `-h`, `-x`, `-d` and `-s` layouts.
//!
//! Unlike WABT, every proposal wasmparser knows is read (GC, typed function
//! references, exnref, 64-bit tables, components), whatever the feature
//! flags say: being more lenient than WABT breaks no script that works
//! with it.

use wasmparser::{BinaryReader, Parser, Payload};

pub mod encode;
pub mod features;
pub mod objdump;

/// A problem at a byte offset, as WABT reports it: `%07x: error: message`
/// (`warning:` for a warning), with the path in front for validation
/// errors only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Offset in the input.
    pub offset: usize,
    /// A warning rather than an error.
    pub warning: bool,
    /// What is wrong, on one line.
    pub message: String,
    /// Whether the line starts with the offset and level; if not, it is
    /// the message alone (`wasm-objdump`'s `Section not found: X`).
    pub located: bool,
}

impl Diagnostic {
    /// An error at `offset`.
    pub fn error(offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            offset,
            warning: false,
            message: message.into(),
            located: true,
        }
    }

    /// A decoding error from wasmparser, in WABT's words where WABT has its
    /// own for the same failure.
    pub fn from_reader(err: &wasmparser::BinaryReaderError) -> Diagnostic {
        let offset = usize::try_from(err.offset()).unwrap_or(usize::MAX);
        Diagnostic::error(offset, wabt_wording(err.message()))
    }

    /// The line WABT prints: `[path:]%07x: error: message`.
    pub fn line(&self, path: Option<&str>) -> String {
        let level = if self.warning { "warning" } else { "error" };
        if !self.located {
            return self.message.clone();
        }
        match path {
            Some(path) => format!("{path}:{:07x}: {level}: {}", self.offset, self.message),
            None => format!("{:07x}: {level}: {}", self.offset, self.message),
        }
    }
}

/// wasmparser's message for a failure, reworded as WABT words it when the
/// failure is one scripts look for.
fn wabt_wording(message: &str) -> String {
    let message = crate::error::one_line(message);
    if message.starts_with("magic header not detected") {
        return "bad magic value".to_string();
    }
    if let Some(version) = message.strip_prefix("unknown binary version: ") {
        return format!("bad wasm file version: {version} (expected 0x1)");
    }
    if message.contains("integer representation too long") || message.contains("integer too large")
    {
        return format!("unable to read leb128: {message}");
    }
    message
}

/// What to do with a custom section that does not decode (a broken name
/// section): WABT stops unless told `--ignore-custom-section-errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomErrors {
    /// A broken name section is an error.
    Fatal,
    /// A broken name section is a warning.
    Warn,
    /// The name section is not read at all (`--no-debug-names`).
    Skip,
}

/// Decodes a whole module or component without validating it, as WABT's
/// reader does before validation: every section, every function body to
/// its last instruction, and the name section (see [`CustomErrors`]).
///
/// Returns the warnings, or the first error. Section headers are checked
/// first so that a section running past the end of the input is reported
/// as WABT reports it.
pub fn decode(bytes: &[u8], custom: CustomErrors) -> Result<Vec<Diagnostic>, Diagnostic> {
    check_header_and_sections(bytes)?;
    let mut warnings = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| Diagnostic::from_reader(&e))?;
        decode_payload(payload, custom, &mut warnings).map_err(|e| Diagnostic::from_reader(&e))?;
    }
    Ok(warnings)
}

/// The magic number, the version and, for a core module, each section's id
/// and size, in WABT's words: an empty input, a bad magic number or
/// version, a size that cannot be read or runs past the end.
fn check_header_and_sections(bytes: &[u8]) -> Result<(), Diagnostic> {
    if bytes.len() < 4 {
        return Err(Diagnostic::error(0, "unable to read uint32_t: magic"));
    }
    if bytes.get(..4) != Some(b"\0asm".as_slice()) {
        return Err(Diagnostic::error(4, "bad magic value"));
    }
    let Some(&[a, b, c, d]) = bytes.get(4..8) else {
        return Err(Diagnostic::error(4, "unable to read uint32_t: version"));
    };
    match [a, b, c, d] {
        [1, 0, 0, 0] => {}
        // A component, which WABT cannot read and wasmparser can.
        [0x0d, 0, 1, 0] => return Ok(()),
        version => {
            let number = u32::from_le_bytes(version);
            return Err(Diagnostic::error(
                8,
                format!("bad wasm file version: {number:#x} (expected 0x1)"),
            ));
        }
    }
    let mut reader = BinaryReader::new(bytes, 0);
    reader.skip(|r| r.read_bytes(8).map(|_| ())).ok();
    while !reader.eof() {
        let id_at = reader.current_position();
        let id = reader
            .read_u8()
            .map_err(|_| Diagnostic::error(id_at, "unable to read section code"))?;
        let size_at = reader.current_position();
        let size = reader
            .read_var_u32()
            .map_err(|_| Diagnostic::error(size_at, "unable to read u32 leb128: section size"))?;
        let start = reader.current_position();
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if size > bytes.len().saturating_sub(start) {
            return Err(Diagnostic::error(
                start,
                "invalid section size: extends past end",
            ));
        }
        if id > 13 {
            return Err(Diagnostic::error(
                id_at,
                format!("invalid section code: {id}"),
            ));
        }
        reader
            .skip(|r| r.read_bytes(size).map(|_| ()))
            .map_err(|e| Diagnostic::from_reader(&e))?;
    }
    Ok(())
}

/// Reads every item of one section.
fn decode_payload(
    payload: Payload<'_>,
    custom: CustomErrors,
    warnings: &mut Vec<Diagnostic>,
) -> wasmparser::Result<()> {
    fn all<T>(reader: impl IntoIterator<Item = wasmparser::Result<T>>) -> wasmparser::Result<()> {
        reader.into_iter().try_for_each(|item| item.map(drop))
    }
    match payload {
        Payload::TypeSection(r) => all(r),
        Payload::ImportSection(r) => all(r),
        Payload::FunctionSection(r) => all(r),
        Payload::TableSection(r) => all(r),
        Payload::MemorySection(r) => all(r),
        Payload::TagSection(r) => all(r),
        Payload::GlobalSection(r) => all(r),
        Payload::ExportSection(r) => all(r),
        Payload::ElementSection(r) => {
            for element in r {
                if let wasmparser::ElementItems::Expressions(_, items) = element?.items {
                    all(items)?;
                }
            }
            Ok(())
        }
        Payload::DataSection(r) => all(r),
        Payload::CodeSectionEntry(body) => {
            all(body.get_locals_reader()?)?;
            let mut ops = body.get_operators_reader()?;
            while !ops.eof() {
                ops.read()?;
            }
            ops.finish()
        }
        Payload::CustomSection(section) if section.name() == "name" => {
            if custom == CustomErrors::Skip {
                return Ok(());
            }
            let reader = wasmparser::NameSectionReader::new(BinaryReader::new(
                section.data(),
                section.data_offset(),
            ));
            match decode_names(reader) {
                Ok(()) => Ok(()),
                Err(e) if custom == CustomErrors::Warn => {
                    let mut warning = Diagnostic::from_reader(&e);
                    warning.warning = true;
                    warnings.push(warning);
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        _ => Ok(()),
    }
}

/// Reads every name of a name section.
fn decode_names(reader: wasmparser::NameSectionReader<'_>) -> wasmparser::Result<()> {
    use wasmparser::Name;
    fn indirect(map: wasmparser::IndirectNameMap<'_>) -> wasmparser::Result<()> {
        for naming in map {
            naming?.names.into_iter().try_for_each(|n| n.map(drop))?;
        }
        Ok(())
    }
    for name in reader {
        match name? {
            Name::Module { .. } | Name::Unknown { .. } => {}
            Name::Function(map)
            | Name::Type(map)
            | Name::Table(map)
            | Name::Memory(map)
            | Name::Global(map)
            | Name::Element(map)
            | Name::Data(map)
            | Name::Tag(map) => map.into_iter().try_for_each(|n| n.map(drop))?,
            Name::Field(map)
            | Name::Local(map)
            | Name::Label(map)
            | Name::Parameter(map)
            | Name::TagParameter(map) => indirect(map)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
