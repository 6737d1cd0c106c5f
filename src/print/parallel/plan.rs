//! How a module's code is shared out between threads: where its sections
//! and bodies lie, and which consecutive bodies each chunk prints.

use std::ops::Range;

use wasmparser::{Parser, Payload};

use super::names::Names;

/// How a module's code is shared out, found by [`plan`].
pub(crate) struct Plan {
    /// Sections before the code section that every chunk module needs
    /// (types, imports, functions, tables, memories, globals, tags), whole.
    pub(super) declarations: Vec<Range<usize>>,
    /// The code section, from its id byte to its end.
    pub(super) code: Range<usize>,
    /// Every section but the code, in order.
    pub(super) sections: Vec<SectionPlace>,
    /// Each function's entry in the code section (its size, then the body).
    pub(super) entries: Vec<Range<usize>>,
    /// Each body, after its size.
    pub(super) bodies: Vec<Range<usize>>,
    /// Imported functions: the first defined function's index.
    pub(super) imported: u32,
    /// The name section, read for cutting down.
    pub(super) names: Option<Names>,
    /// Function positions (in code order) of each chunk.
    pub(crate) chunks: Vec<Range<usize>>,
}

/// A section and, for an unknown custom section, the offset of its data:
/// the frame carries such a section without its data (DWARF can be most of
/// a module), and the sink prints the data from the input.
pub(super) struct SectionPlace {
    pub(super) whole: Range<usize>,
    pub(super) unknown_data: Option<usize>,
}

/// The least code a thread is given at a time: smaller pieces cost more in
/// set-up than they save.
const MIN_CHUNK: usize = 128 * 1024;
/// At most about this many pieces: each repeats the declarations and an
/// empty body for every function before it, so their number is bounded.
const MAX_CHUNKS: usize = 48;

/// Works out how to print `bytes` in chunks of about `chunk_bytes` of code
/// (by default chosen from the code's size), or `None` when it must be printed in one go: not a core module, a single
/// chunk, or anything unusual (a damaged section, code metadata such as
/// branch hints, which are tied to the bodies around them).
pub(crate) fn plan(bytes: &[u8], chunk_bytes: Option<usize>) -> Option<Plan> {
    let mut declarations = Vec::new();
    let mut sections = Vec::new();
    let mut code = None;
    let mut entries = Vec::new();
    let mut bodies = Vec::new();
    let mut next_entry = 0;
    let mut imported = 0u32;
    let mut names = None;
    let mut section_start = 8;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.ok()?;
        match &payload {
            Payload::Version { encoding, .. } => {
                if *encoding != wasmparser::Encoding::Module {
                    return None;
                }
                continue;
            }
            Payload::ImportSection(reader) => {
                imported += crate::names::imported_functions(reader)?;
            }
            Payload::CodeSectionStart {
                unchecked_range, ..
            } => {
                if code.is_some() {
                    return None;
                }
                let range = span(unchecked_range.clone())?;
                next_entry = crate::index::first_code_entry(bytes, unchecked_range)?;
                code = Some(section_start..range.end);
                section_start = range.end;
                continue;
            }
            Payload::CodeSectionEntry(body) => {
                let body = span(body.range())?;
                entries.push(next_entry..body.end);
                bodies.push(body.clone());
                next_entry = body.end;
                continue;
            }
            Payload::CustomSection(custom) => {
                if custom.name().starts_with("metadata.code.") {
                    return None;
                }
                let data = usize::try_from(custom.data_offset()).ok()?;
                if custom.name() == "name" {
                    names = Some(Names::read(bytes, data..data + custom.data().len())?);
                }
                // The printer notes a producers or dylink.0 section that does
                // not decode in a comment naming an offset, which in a chunk's
                // module is not the input's: such a module is printed in one go.
                if !decodes(custom) {
                    return None;
                }
                let end = usize::try_from(custom.range().end).ok()?;
                let unknown = matches!(custom.as_known(), wasmparser::KnownCustom::Unknown);
                sections.push(SectionPlace {
                    whole: section_start..end,
                    unknown_data: unknown.then_some(data),
                });
                section_start = end;
                continue;
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            let end = usize::try_from(range.end).ok()?;
            if code.is_none() && matches!(id, 1..=6 | 13) {
                declarations.push(section_start..end);
            }
            sections.push(SectionPlace {
                whole: section_start..end,
                unknown_data: None,
            });
            section_start = end;
        }
    }
    let code = code?;
    let total: usize = bodies.iter().map(|b| b.len()).sum();
    let chunk_bytes = chunk_bytes.unwrap_or_else(|| (total / MAX_CHUNKS).max(MIN_CHUNK));
    let chunks = split(&bodies, chunk_bytes);
    (chunks.len() > 1).then_some(Plan {
        declarations,
        code,
        sections,
        entries,
        bodies,
        imported,
        names,
        chunks,
    })
}

fn span(range: Range<u64>) -> Option<Range<usize>> {
    Some(usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?)
}

/// Cuts the bodies into runs of at least `chunk_bytes` (the last may be
/// shorter).
fn split(bodies: &[Range<usize>], chunk_bytes: usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, body) in bodies.iter().enumerate() {
        size += body.len();
        if size >= chunk_bytes {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < bodies.len() {
        chunks.push(start..bodies.len());
    }
    chunks
}

/// Whether a custom section the printer decodes itself (producers and
/// dylink.0) decodes to its end.
fn decodes(custom: &wasmparser::CustomSectionReader<'_>) -> bool {
    use wasmparser::KnownCustom;
    match custom.as_known() {
        KnownCustom::Producers(reader) => reader
            .into_iter()
            .all(|field| field.is_ok_and(|f| f.values.into_iter().all(|v| v.is_ok()))),
        KnownCustom::Dylink0(reader) => reader.into_iter().all(|sub| sub.is_ok()),
        _ => true,
    }
}
