//! The name section taken apart without decoding every name: its
//! subsections, and for those keyed by function (function names, local
//! names, label names) the byte range of each function's entry. Used to cut
//! a name section down or put one together from pieces, byte for byte.

use std::ops::Range;

use wasm_encoder::Encode;
use wasmparser::BinaryReader;

/// One subsection of a name section.
pub(crate) struct Subsection {
    pub id: u8,
    /// The whole subsection: id, size and contents.
    pub raw: Range<usize>,
    /// For function, local and label names: (function index, entry bytes).
    pub entries: Option<Vec<(u32, Range<usize>)>>,
}

fn position(reader: &BinaryReader<'_>) -> usize {
    reader.original_position() as usize
}

/// Splits the name section whose contents are `data` (a range of `bytes`).
/// `None` if it does not decode, or does not read to its end as a printer
/// reads it: subsections and entries in increasing order, every name
/// whole. A printer keeps the names before the first fault and drops the
/// rest, so a section with a fault cannot be cut into parts that would each
/// be printed the same way.
pub(crate) fn subsections(bytes: &[u8], data: Range<usize>) -> Option<Vec<Subsection>> {
    if !reads_to_end(bytes.get(data.clone())?, data.start) {
        return None;
    }
    let mut reader = BinaryReader::new(bytes.get(data.clone())?, data.start as u64);
    let mut out = Vec::new();
    while !reader.eof() {
        let start = position(&reader);
        let id = reader.read_u8().ok()?;
        let size = reader.read_var_u32().ok()? as usize;
        let content_start = position(&reader);
        let content = reader.read_bytes(size).ok()?;
        let end = position(&reader);
        let entries = match id {
            1..=3 => {
                let mut inner = BinaryReader::new(content, content_start as u64);
                let count = inner.read_var_u32().ok()?;
                let mut entries = Vec::new();
                for _ in 0..count {
                    let entry_start = position(&inner);
                    let index = inner.read_var_u32().ok()?;
                    if id == 1 {
                        inner.skip_string().ok()?;
                    } else {
                        for _ in 0..inner.read_var_u32().ok()? {
                            inner.read_var_u32().ok()?;
                            inner.skip_string().ok()?;
                        }
                    }
                    entries.push((index, entry_start..position(&inner)));
                }
                if !inner.eof() {
                    return None;
                }
                Some(entries)
            }
            _ => None,
        };
        out.push(Subsection {
            id,
            raw: start..end,
            entries,
        });
    }
    Some(out)
}

/// Whether every name in the section reads without a fault.
fn reads_to_end(content: &[u8], offset: usize) -> bool {
    let reader = wasmparser::NameSectionReader::new(BinaryReader::new(content, offset as u64));
    reader
        .into_iter()
        .all(|sub| sub.and_then(read_subsection).is_ok())
}

/// Reads every name of a subsection, as a printer does: the first fault
/// (a name cut short, entries out of order) is the error.
pub(crate) fn read_subsection(name: wasmparser::Name<'_>) -> wasmparser::Result<()> {
    use wasmparser::Name;
    let map = |m: wasmparser::NameMap<'_>| -> wasmparser::Result<()> {
        for n in m {
            n?;
        }
        Ok(())
    };
    let indirect = |m: wasmparser::IndirectNameMap<'_>| -> wasmparser::Result<()> {
        for n in m {
            for inner in n?.names {
                inner?;
            }
        }
        Ok(())
    };
    match name {
        Name::Module { .. } | Name::Unknown { .. } => Ok(()),
        Name::Function(m)
        | Name::Type(m)
        | Name::Table(m)
        | Name::Memory(m)
        | Name::Global(m)
        | Name::Element(m)
        | Name::Data(m)
        | Name::Tag(m) => map(m),
        Name::Local(m)
        | Name::Label(m)
        | Name::Field(m)
        | Name::Parameter(m)
        | Name::TagParameter(m) => indirect(m),
    }
}

/// The name in a function-names entry (index, then the name).
pub(crate) fn entry_name(bytes: &[u8], entry: Range<usize>) -> Option<&str> {
    let mut reader = BinaryReader::new(bytes.get(entry)?, 0);
    reader.read_var_u32().ok()?;
    reader.read_string().ok()
}

/// How many functions an import section imports. `None` if it does not
/// decode.
pub(crate) fn imported_functions(reader: &wasmparser::ImportSectionReader<'_>) -> Option<u32> {
    let mut count = 0;
    for import in reader.clone().into_imports() {
        if let wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) = import.ok()?.ty {
            count += 1;
        }
    }
    Some(count)
}

/// Appends a subsection made of whole entries.
pub(crate) fn push_subsection<'a>(
    out: &mut Vec<u8>,
    id: u8,
    entries: impl ExactSizeIterator<Item = &'a [u8]>,
) {
    let mut body = Vec::new();
    (entries.len() as u32).encode(&mut body);
    for entry in entries {
        body.extend_from_slice(entry);
    }
    out.push(id);
    body.len().encode(out);
    out.extend_from_slice(&body);
}

/// A custom section named `name` holding the subsections in `content`.
pub(crate) fn section(content: &[u8]) -> Vec<u8> {
    let name = "name";
    let mut section = vec![0];
    (name.len() + 1 + content.len()).encode(&mut section);
    name.encode(&mut section);
    section.extend_from_slice(content);
    section
}
