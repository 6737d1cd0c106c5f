//! Parsing a large text module on several threads.
//!
//! A module's functions are independent once the names of everything are
//! known, and everything a function's name or type depends on is in its
//! header. So the text is cut, between top-level fields, into chunks of
//! consecutive functions, and each chunk is parsed and encoded by itself
//! from a text of its own: every other field as written (data contents
//! left out but in the first), the other functions reduced to their
//! headers, its own functions whole. The first chunk's module is the frame:
//! its code section takes every chunk's bodies in order, and its name
//! section every chunk's local and label names.
//!
//! Anything out of the ordinary (annotations, a component, sections that
//! come out differently from one chunk to another) makes it give up, and
//! the module is parsed in one go; so does any error, which is then
//! reported exactly as the one-go parse reports it.

use std::ops::Range;

use wasm_encoder::Encode;
use wasmparser::{Parser, Payload};

/// What a top-level field is, for cutting.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// A defined function; its header (name, exports, type, parameters,
    /// results) ends at this offset.
    Func {
        header_end: usize,
    },
    /// A data segment whose first string starts at this offset.
    Data {
        contents: usize,
    },
    /// A custom section (`@custom`, `@producers`...) other than `name`:
    /// only the first chunk's module needs it.
    Custom,
    Other,
}

#[derive(Debug)]
struct Field {
    range: Range<usize>,
    kind: Kind,
}

/// The top-level layout of `(module ...)` text.
#[derive(Debug)]
struct Layout {
    /// `(module` and its name, if any.
    head: Range<usize>,
    fields: Vec<Field>,
    /// From the closing parenthesis to the end.
    tail: Range<usize>,
}

/// Skips blanks and comments from `at`. `None` on an unterminated block
/// comment.
fn skip_blank(text: &[u8], mut at: usize) -> Option<usize> {
    loop {
        match text.get(at) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => at += 1,
            Some(b';') if text.get(at + 1) == Some(&b';') => {
                at = memchr_newline(text, at);
            }
            Some(b'(') if text.get(at + 1) == Some(&b';') => at = skip_block_comment(text, at)?,
            _ => return Some(at),
        }
    }
}

fn memchr_newline(text: &[u8], at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map_or(text.len(), |i| at + i + 1)
}

/// Skips a `(; ... ;)` comment, nested ones included, starting at `at`.
fn skip_block_comment(text: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let (Some(&first), Some(&second)) = (text.get(at), text.get(at + 1)) {
        match (first, second) {
            (b'(', b';') => {
                depth += 1;
                at += 2;
            }
            (b';', b')') => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Skips a string starting at its opening quote.
fn skip_string(text: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match *text.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            b'\n' => return None,
            _ => at += 1,
        }
    }
}

/// The end of the parenthesised group starting at `at` (just past its
/// closing parenthesis). Strings and comments are skipped; an annotation
/// inside gives `None` (the group may be one: a custom section).
fn skip_group(text: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'(' => match text.get(at + 1) {
                Some(b';') => at = skip_block_comment(text, at)?,
                // `(@name "...")` only carries a name; other annotations
                // (code metadata) are left to the one-go parse.
                Some(b'@') if depth > 0 && !is_name_annotation(text, at) => return None,
                _ => {
                    depth += 1;
                    at += 1;
                }
            },
            b')' => {
                depth = depth.checked_sub(1)?;
                at += 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            b'"' => at = skip_string(text, at)?,
            b';' if text.get(at + 1) == Some(&b';') => at = memchr_newline(text, at),
            _ => at = next_special(text, at + 1),
        }
    }
    None
}

/// The next parenthesis, quote or semicolon at or after `at` (or the end):
/// most text is neither, and is passed over a word at a time.
fn next_special(text: &[u8], at: usize) -> usize {
    // A window at a time: a semicolon found early must not cost a search
    // for a parenthesis far beyond it (flat code with `;;` comments on
    // every line has none for megabytes).
    const WINDOW: usize = 4096;
    let mut start = at;
    loop {
        let end = (start + WINDOW).min(text.len());
        let window = text.get(start..end).unwrap_or_default();
        let paren_or_quote = memchr::memchr3(b'(', b')', b'"', window).unwrap_or(window.len());
        let before = window.get(..paren_or_quote).unwrap_or(window);
        let semicolon = memchr::memchr(b';', before).unwrap_or(paren_or_quote);
        if semicolon < window.len() || end == text.len() {
            return start + semicolon;
        }
        start = end;
    }
}

fn is_name_annotation(text: &[u8], at: usize) -> bool {
    starts_with_at(text, at, b"(@name") && keyword(text, at + 1) == b"name"
}

/// Whether the text from `at` on starts with `prefix`.
fn starts_with_at(text: &[u8], at: usize, prefix: &[u8]) -> bool {
    text.get(at..).is_some_and(|rest| rest.starts_with(prefix))
}

/// The keyword right after an opening parenthesis at `at`.
fn keyword(text: &[u8], at: usize) -> &[u8] {
    let rest = text.get(at + 1..).unwrap_or_default();
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_')))
        .unwrap_or(rest.len());
    rest.get(..len).unwrap_or(rest)
}

/// The end of the token (an id, a number, a keyword) starting at `at`. A
/// token is at least one byte long, so a scan moving from token to token
/// always advances, even over a stray `;`.
fn token_end(text: &[u8], at: usize) -> usize {
    let from = (at + 1).min(text.len());
    text.get(from..)
        .unwrap_or_default()
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')' | b'"' | b';'))
        .map_or(text.len(), |i| from + i)
}

/// The end of an id starting at `at`: `$name` or `$"quoted name"`.
fn id_end(text: &[u8], at: usize) -> Option<usize> {
    match text.get(at + 1) {
        Some(b'"') => skip_string(text, at + 1),
        _ => Some(token_end(text, at)),
    }
}

fn layout(text: &[u8]) -> Option<Layout> {
    let start = skip_blank(text, 0)?;
    if text.get(start) != Some(&b'(') || keyword(text, start) != b"module" {
        return None;
    }
    let mut at = skip_blank(text, start + "(module".len())?;
    if text.get(at) == Some(&b'$') {
        at = id_end(text, at)?;
    }
    let head = 0..at;
    let mut fields = Vec::new();
    loop {
        at = skip_blank(text, at)?;
        match text.get(at)? {
            b')' => break,
            b'(' => {}
            _ => return None,
        }
        let end = skip_group(text, at)?;
        let kind = match keyword(text, at) {
            b"func" => func_kind(text, at, end)?,
            b"data" => data_kind(text, at, end)?,
            // Custom sections (`@custom`, `@producers`...): a name section
            // written out by hand is left whole in every chunk.
            b"" if text.get(at + 1) == Some(&b'@') => {
                let name = skip_blank(text, at + 2 + keyword(text, at + 1).len())?;
                if starts_with_at(text, at, b"(@custom") && starts_with_at(text, name, b"\"name\"")
                {
                    Kind::Other
                } else {
                    Kind::Custom
                }
            }
            b"" => return None,
            _ => Kind::Other,
        };
        fields.push(Field {
            range: at..end,
            kind,
        });
        at = end;
    }
    // Nothing but blanks may follow the module.
    let tail = at..text.len();
    if skip_blank(text, at + 1)? != text.len() {
        return None;
    }
    Some(Layout { head, fields, tail })
}

/// A function field: where its header ends, or `Other` for an import.
fn func_kind(text: &[u8], start: usize, end: usize) -> Option<Kind> {
    let mut at = skip_blank(text, start + "(func".len())?;
    if text.get(at) == Some(&b'$') {
        at = id_end(text, at)?;
    }
    loop {
        let next = skip_blank(text, at)?;
        if text.get(next) != Some(&b'(') {
            break;
        }
        if is_name_annotation(text, next) {
            at = skip_group(text, next)?;
            continue;
        }
        match keyword(text, next) {
            b"import" => return Some(Kind::Other),
            b"export" | b"type" | b"param" | b"result" => at = skip_group(text, next)?,
            _ => break,
        }
    }
    (at < end).then_some(Kind::Func { header_end: at })
}

/// A data field: where its first string starts (its contents), if it has
/// one at the top of the field.
fn data_kind(text: &[u8], start: usize, end: usize) -> Option<Kind> {
    let mut at = start + "(data".len();
    while at < end {
        at = skip_blank(text, at)?;
        match text.get(at)? {
            b'"' => return Some(Kind::Data { contents: at }),
            b'(' => at = skip_group(text, at)?,
            b')' => break,
            _ => at = token_end(text, at),
        }
    }
    Some(Kind::Other)
}

/// The least function text a chunk gets: smaller ones repeat the other
/// fields and headers more often than they save.
const MIN_CHUNK: usize = 2 << 20;
/// About this many chunks per thread: every chunk repeats the headers and
/// the other fields, so there are few, but more than one per thread keeps
/// the threads evenly busy and each syntax tree small.
const CHUNKS_PER_JOB: usize = 2;

/// Parses `text` in chunks on `jobs` threads, or `None` to have it parsed
/// in one go (not a plain module, too small, anything unusual, or an
/// error).
pub(super) fn parse(text: &str, jobs: usize, chunk_bytes: Option<usize>) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let layout = layout(bytes)?;
    let sizes: Vec<usize> = layout
        .fields
        .iter()
        .filter(|f| matches!(f.kind, Kind::Func { .. }))
        .map(|f| f.range.len())
        .collect();
    let total: usize = sizes.iter().sum();
    let target = chunk_bytes.unwrap_or_else(|| (total / (jobs * CHUNKS_PER_JOB)).max(MIN_CHUNK));
    let mut chunks = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, len) in sizes.iter().enumerate() {
        size += len;
        if size >= target {
            chunks.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    if start < sizes.len() {
        chunks.push(start..sizes.len());
    }
    if chunks.len() < 2 {
        return None;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok()?;
    let outs: Vec<Option<ChunkOut>> = pool.install(|| {
        use rayon::prelude::*;
        chunks
            .par_iter()
            .enumerate()
            .map(|(k, run)| {
                let source = chunk_text(text, &layout, k, run.clone());
                let binary = super::parse_text_once(&source).ok()?;
                ChunkOut::read(binary, run.clone(), k == 0)
            })
            .collect()
    });
    let outs: Option<Vec<ChunkOut>> = outs.into_iter().collect();
    stitch(outs?, sizes.len())
}

/// The text chunk `k` (functions `run` of the module, by position) is
/// parsed from.
fn chunk_text(text: &str, layout: &Layout, k: usize, run: Range<usize>) -> String {
    let own: usize = layout
        .fields
        .iter()
        .filter(|f| matches!(f.kind, Kind::Func { .. }))
        .skip(run.start)
        .take(run.len())
        .map(|f| f.range.len())
        .sum();
    let mut out = String::with_capacity(own + text.len() / 16);
    out.push_str(&text[layout.head.clone()]);
    let mut position = 0;
    for field in &layout.fields {
        let start = field.range.start;
        match field.kind {
            Kind::Func { header_end } => {
                if run.contains(&position) {
                    out.push_str(&text[field.range.clone()]);
                } else {
                    out.push_str(&text[start..header_end]);
                    out.push(')');
                }
                position += 1;
            }
            // The data matters to the first chunk only, whose module is
            // the one written out.
            Kind::Data { contents } if k != 0 => {
                out.push_str(&text[start..contents]);
                out.push(')');
            }
            Kind::Custom if k != 0 => continue,
            _ => out.push_str(&text[field.range.clone()]),
        }
        out.push('\n');
    }
    out.push_str(&text[layout.tail.clone()]);
    out
}

/// What is kept of a chunk's module.
struct ChunkOut {
    /// The whole module, for the first chunk (the frame).
    frame: Option<Vec<u8>>,
    /// The chunk's own code entries, one after the other.
    code: Vec<u8>,
    /// Functions in the code section (every chunk has them all).
    functions: usize,
    /// Local and label names of the chunk's own functions: (subsection,
    /// function index, entry bytes).
    names: Vec<(u8, u32, Vec<u8>)>,
    /// A hash of every section that must come out the same in every chunk.
    declarations: u64,
    /// The data count section, if the chunk's code needed one.
    data_count: Option<Vec<u8>>,
    /// Whether the module has a name section.
    has_names: bool,
}

impl ChunkOut {
    fn read(binary: Vec<u8>, run: Range<usize>, frame: bool) -> Option<ChunkOut> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let mut out = ChunkOut {
            frame: None,
            code: Vec::new(),
            functions: 0,
            names: Vec::new(),
            declarations: 0,
            data_count: None,
            has_names: false,
        };
        let mut imported = 0u32;
        let mut position = 0;
        let mut next_entry = 0;
        let mut section_start = 8;
        let mut name_data = None;
        for payload in Parser::new(0).parse_all(&binary) {
            let payload = payload.ok()?;
            match &payload {
                Payload::ImportSection(reader) => {
                    imported += crate::names::imported_functions(reader)?;
                }
                Payload::CodeSectionStart {
                    count,
                    unchecked_range,
                    ..
                } => {
                    out.functions = *count as usize;
                    next_entry = crate::index::first_code_entry(&binary, unchecked_range)?;
                    section_start = usize::try_from(unchecked_range.end).ok()?;
                    continue;
                }
                Payload::CodeSectionEntry(body) => {
                    let end = usize::try_from(body.range().end).ok()?;
                    if run.contains(&position) {
                        out.code.extend_from_slice(binary.get(next_entry..end)?);
                    }
                    position += 1;
                    next_entry = end;
                    continue;
                }
                Payload::CustomSection(c) if c.name() == "name" => {
                    let data = usize::try_from(c.data_offset()).ok()?;
                    name_data = Some(data..data + c.data().len());
                }
                Payload::End(_) => break,
                _ => {}
            }
            if let Some((id, range)) = payload.as_section() {
                let end = usize::try_from(range.end).ok()?;
                let whole = binary.get(section_start..end)?;
                match id {
                    12 => out.data_count = Some(whole.to_vec()),
                    0 | 11 => {}
                    _ => whole.hash(&mut hasher),
                }
                section_start = end;
            }
        }
        out.declarations = hasher.finish();
        out.has_names = name_data.is_some();
        if let Some(data) = name_data {
            let own = imported + run.start as u32..imported + run.end as u32;
            for sub in crate::names::subsections(&binary, data)? {
                if sub.id != 2 && sub.id != 3 {
                    continue;
                }
                for (index, entry) in sub.entries.iter().flatten() {
                    if own.contains(index) || (frame && *index < imported) {
                        out.names
                            .push((sub.id, *index, binary.get(entry.clone())?.to_vec()));
                    }
                }
            }
        }
        if frame {
            out.frame = Some(binary);
        }
        Some(out)
    }
}

/// The frame's module with every chunk's code and names.
fn stitch(mut outs: Vec<ChunkOut>, functions: usize) -> Option<Vec<u8>> {
    let first = outs.first()?;
    if outs
        .iter()
        .any(|o| o.declarations != first.declarations || o.functions != functions)
    {
        return None;
    }
    // Names only another chunk has (labels in its functions) would need a
    // name section placed where the frame has none: left to the one go.
    if !first.has_names && outs.iter().any(|o| !o.names.is_empty()) {
        return None;
    }
    let frame = first.frame.as_ref()?;
    // The frame's code and name sections are replaced in place: the rest
    // (debug info can be most of it) is not copied.
    let mut replace: Vec<(Range<usize>, Vec<u8>)> = Vec::new();
    let mut section_start = 8;
    for payload in Parser::new(0).parse_all(frame) {
        let payload = payload.ok()?;
        match &payload {
            Payload::CodeSectionStart {
                unchecked_range, ..
            } => {
                let mut code = Vec::new();
                if first.data_count.is_none()
                    && let Some(section) = outs.iter().find_map(|o| o.data_count.as_ref())
                {
                    code.extend_from_slice(section);
                }
                let mut content = Vec::new();
                (functions as u32).encode(&mut content);
                for o in &outs {
                    content.extend_from_slice(&o.code);
                }
                code.push(10);
                content.len().encode(&mut code);
                code.extend_from_slice(&content);
                let end = usize::try_from(unchecked_range.end).ok()?;
                replace.push((section_start..end, code));
                section_start = end;
                continue;
            }
            Payload::CodeSectionEntry(_) => continue,
            _ => {}
        }
        let Some((_, range)) = payload.as_section() else {
            continue;
        };
        let end = usize::try_from(range.end).ok()?;
        if let Payload::CustomSection(c) = &payload
            && c.name() == "name"
        {
            let data = usize::try_from(c.data_offset()).ok()?;
            let names = names(frame, data..data + c.data().len(), &outs)?;
            replace.push((section_start..end, names));
        }
        section_start = end;
    }
    let mut out = outs.first_mut()?.frame.take()?;
    replace.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, bytes) in replace {
        out.splice(range, bytes);
    }
    Some(out)
}

/// The frame's name section with the local and label names of every chunk.
fn names(frame: &[u8], data: Range<usize>, outs: &[ChunkOut]) -> Option<Vec<u8>> {
    let mut parts: Vec<(u8, Vec<u8>)> = Vec::new();
    for sub in crate::names::subsections(frame, data)? {
        if sub.id != 2 && sub.id != 3 {
            parts.push((sub.id, frame.get(sub.raw.clone())?.to_vec()));
        }
    }
    for id in [2, 3] {
        let mut entries: Vec<(u32, &[u8])> = outs
            .iter()
            .flat_map(|o| o.names.iter())
            .filter(|(sub, _, _)| *sub == id)
            .map(|(_, index, entry)| (*index, entry.as_slice()))
            .collect();
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_key(|(index, _)| *index);
        let mut raw = Vec::new();
        crate::names::push_subsection(&mut raw, id, entries.into_iter().map(|(_, e)| e));
        parts.push((id, raw));
    }
    parts.sort_by_key(|(id, _)| *id);
    let content: Vec<u8> = parts.into_iter().flat_map(|(_, raw)| raw).collect();
    Some(crate::names::section(&content))
}
