//! The binaries `wat2wasm` and `wasm-strip` write, byte for byte.
//!
//! `wat2wasm`'s encoding of a module is the text encoder's, with two
//! differences WABT makes: no name section unless `--debug-names` (and
//! then WABT's own layout of it), and element segments in the most compact
//! form that says the same ([`wat2wasm`]). `wasm-strip` drops every custom section and writes each
//! other section's size as a minimal LEB, copying its contents ([`strip`]).

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ConstExpr, ElementMode, ElementSection, ElementSegment, Elements, Encode};
use wasmparser::{BinaryReader, ElementItems, ElementKind, Operator, RefType};

use super::{CustomErrors, Diagnostic, decode};
use crate::index::layout::{Layout, Section};

/// The sections of a core module, or `None` for a component or bytes
/// that do not split into sections.
fn sections(bytes: &[u8]) -> Option<Vec<Section>> {
    let layout = Layout::read(bytes).ok()?;
    (layout.encoding == wasmparser::Encoding::Module).then_some(layout.sections)
}

/// Writes a section: its id, its size as a minimal LEB, its contents.
fn write_section(out: &mut Vec<u8>, id: u8, payload: &[u8]) {
    out.push(id);
    payload.len().encode(out);
    out.extend_from_slice(payload);
}

/// What `wasm-strip` writes: the module with every custom section removed
/// and every other section copied, its size written as a minimal LEB. The
/// whole module is decoded first (not validated), as WABT does, so a
/// malformed module is an error and nothing is written.
///
/// A component, which WABT cannot read, is stripped as `wasmscope strip
/// --all` strips it: the custom sections it needs stay.
pub fn strip(bytes: &[u8], name: &str) -> Result<Vec<u8>, Diagnostic> {
    decode(bytes, CustomErrors::Skip)?;
    let Some(sections) = sections(bytes) else {
        let options = crate::edit::strip::StripOptions {
            all: true,
            ..Default::default()
        };
        return crate::edit::strip::strip(bytes, name, &options)
            .map(|edit| edit.bytes)
            .map_err(|e| Diagnostic::error(0, e.to_string()));
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(b"\0asm\x01\0\0\0");
    for section in sections.iter().filter(|s| s.id != 0) {
        let payload = bytes.get(section.content.clone()).unwrap_or_default();
        write_section(&mut out, section.id, payload);
    }
    Ok(out)
}

/// What `wat2wasm` writes for a module the text encoder encoded as
/// `binary`: the name section only with `debug_names` (as WABT lays it
/// out), and element segments as WABT writes them. A component is returned
/// unchanged.
pub fn wat2wasm(binary: Vec<u8>, debug_names: bool) -> Vec<u8> {
    let Some(sections) = sections(&binary) else {
        return binary;
    };
    let mut out = Vec::with_capacity(binary.len());
    out.extend_from_slice(b"\0asm\x01\0\0\0");
    for section in &sections {
        let payload = binary.get(section.content.clone()).unwrap_or_default();
        if section.custom_name() == Some("name") {
            if debug_names && let Some(names) = wabt_names(&binary, section.data(&binary)) {
                write_section(&mut out, 0, &names);
            }
            continue;
        }
        match section.id {
            9 => match compact_elements(payload, section.content.start) {
                Some(elements) => write_section(&mut out, 9, &elements),
                None => write_section(&mut out, 9, payload),
            },
            _ => write_section(&mut out, section.id, payload),
        }
    }
    out
}

/// The name section as `wat2wasm --debug-names` writes it, from the one
/// the text encoder wrote: the module's name, the functions', then the
/// local names of every function (an empty list for a function with
/// none), then the names of types, tables, memories, globals, element and
/// data segments and tags. Label and field names are not written. `None`
/// if the section does not decode.
fn wabt_names(binary: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    use wasm_encoder::{IndirectNameMap, NameMap, NameSection};
    use wasmparser::Name;
    let map = |names: wasmparser::NameMap<'_>| -> Option<NameMap> {
        let mut out = NameMap::new();
        for naming in names {
            let naming = naming.ok()?;
            out.append(naming.index, naming.name);
        }
        Some(out)
    };
    let functions = crate::index::ModuleIndex::build(binary)
        .ok()?
        .functions
        .len();
    let mut module = None;
    let mut subsections: [Option<NameMap>; 8] = Default::default();
    let mut locals: Vec<NameMap> = Vec::new();
    for name in wasmparser::NameSectionReader::new(BinaryReader::new(data, 0)) {
        let slot = match name.ok()? {
            Name::Module { name, .. } => {
                module = Some(name);
                continue;
            }
            Name::Local(indirect) => {
                for naming in indirect {
                    let naming = naming.ok()?;
                    let index = usize::try_from(naming.index).ok()?;
                    if index >= locals.len() {
                        locals.resize_with(index + 1, NameMap::new);
                    }
                    *locals.get_mut(index)? = map(naming.names)?;
                }
                continue;
            }
            Name::Function(m) => (0, m),
            Name::Type(m) => (1, m),
            Name::Table(m) => (2, m),
            Name::Memory(m) => (3, m),
            Name::Global(m) => (4, m),
            Name::Element(m) => (5, m),
            Name::Data(m) => (6, m),
            Name::Tag(m) => (7, m),
            _ => continue,
        };
        *subsections.get_mut(slot.0)? = Some(map(slot.1)?);
    }
    let mut section = NameSection::new();
    if let Some(name) = module {
        section.module(name);
    }
    let [
        functions_names,
        types,
        tables,
        memories,
        globals,
        elements,
        data,
        tags,
    ] = subsections;
    if let Some(names) = &functions_names {
        section.functions(names);
    }
    let mut all_locals = IndirectNameMap::new();
    for index in 0..functions.max(locals.len()) {
        let empty = NameMap::new();
        let names = locals.get(index).unwrap_or(&empty);
        all_locals.append(u32::try_from(index).ok()?, names);
    }
    section.locals(&all_locals);
    for (names, write) in [
        (types, NameSection::types as fn(&mut NameSection, &NameMap)),
        (tables, NameSection::tables),
        (memories, NameSection::memories),
        (globals, NameSection::globals),
        (elements, NameSection::elements),
        (data, NameSection::data),
    ] {
        if let Some(names) = names {
            write(&mut section, &names);
        }
    }
    // WABT 1.0.32 numbers the tag subsection 10, as a draft of the
    // extended name section did (it is 11 now).
    if let Some(names) = tags {
        let mut bytes = Vec::new();
        names.encode(&mut bytes);
        section.raw(10, &bytes);
    }
    custom_contents(&section)
}

/// The contents of an encoded section: what `encode` writes after the
/// size.
fn custom_contents(section: &impl Encode) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    section.encode(&mut bytes);
    let mut reader = BinaryReader::new(&bytes, 0);
    reader.read_var_u32().ok()?;
    bytes.get(reader.current_position()..).map(<[u8]>::to_vec)
}

/// An element section with each segment in the form WABT chooses: the
/// table index is written only when the table is not 0 or the elements
/// are not `funcref`, and the elements are function indices when they are
/// `funcref` and each is a `ref.func`. `None` if the section does not
/// decode (the bytes are then kept as they are).
fn compact_elements(payload: &[u8], offset: usize) -> Option<Vec<u8>> {
    let reader = wasmparser::ElementSectionReader::new(BinaryReader::new(
        payload,
        u64::try_from(offset).ok()?,
    ))
    .ok()?;
    let mut section = ElementSection::new();
    for element in reader {
        let element = element.ok()?;
        let (ty, functions, exprs) = match element.items {
            ElementItems::Functions(funcs) => {
                let funcs = funcs.into_iter().collect::<Result<Vec<u32>, _>>().ok()?;
                (RefType::FUNCREF, Some(funcs), Vec::new())
            }
            ElementItems::Expressions(ty, items) => {
                let items = items.into_iter().collect::<Result<Vec<_>, _>>().ok()?;
                let funcs = if ty == RefType::FUNCREF {
                    items.iter().map(ref_func).collect::<Option<Vec<u32>>>()
                } else {
                    None
                };
                (ty, funcs, items)
            }
        };
        let encoded_ty = RoundtripReencoder.ref_type(ty).ok()?;
        let converted: Vec<ConstExpr>;
        let elements = match &functions {
            Some(funcs) => Elements::Functions(funcs.as_slice().into()),
            None => {
                converted = exprs
                    .into_iter()
                    .map(|e| RoundtripReencoder.const_expr(e).ok())
                    .collect::<Option<_>>()?;
                Elements::Expressions(encoded_ty, converted.as_slice().into())
            }
        };
        let offset_expr;
        let mode = match element.kind {
            ElementKind::Passive => ElementMode::Passive,
            ElementKind::Declared => ElementMode::Declared,
            ElementKind::Active {
                table_index,
                offset_expr: expr,
            } => {
                let table = table_index.unwrap_or(0);
                offset_expr = RoundtripReencoder.const_expr(expr).ok()?;
                ElementMode::Active {
                    table: (table != 0 || ty != RefType::FUNCREF).then_some(table),
                    offset: &offset_expr,
                }
            }
        };
        section.segment(ElementSegment { mode, elements });
    }
    custom_contents(&section)
}

/// The function an element expression names, when it is just `ref.func`.
fn ref_func(expr: &wasmparser::ConstExpr<'_>) -> Option<u32> {
    let mut ops = expr.get_operators_reader();
    let Ok(Operator::RefFunc { function_index }) = ops.read() else {
        return None;
    };
    matches!(ops.read(), Ok(Operator::End)).then_some(function_index)?;
    ops.eof().then_some(function_index)
}

/// The module `wasm2wat` prints: every custom section but the name section
/// is dropped (WABT's text has no place for them), and the name section
/// too unless `names`. Names are made plain identifiers as WABT makes them
/// ([`plain_names`]), so that WABT's own `wat2wasm` reads the text back. A
/// component is returned as it is.
pub fn without_customs(bytes: &[u8], names: bool) -> std::borrow::Cow<'_, [u8]> {
    let Some(sections) = sections(bytes) else {
        return bytes.into();
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(b"\0asm\x01\0\0\0");
    for section in &sections {
        let payload = bytes.get(section.content.clone()).unwrap_or_default();
        match section.custom_name() {
            None => write_section(&mut out, section.id, payload),
            Some("name") if names => {
                if let Some(plain) = plain_names(section.data(bytes)) {
                    write_section(&mut out, 0, &plain);
                }
            }
            Some(_) => {}
        }
    }
    out.into()
}

/// A name section (its contents after the name) with each name made a
/// plain text identifier, as `wasm2wat` makes them: every byte that cannot
/// be in an identifier becomes `_` (`a b(c)` becomes `a_b_c_`, `é` becomes
/// `__`), an empty name is dropped, and a name already taken in its scope
/// gets `.1`, `.2`... The result is the whole custom section's contents.
/// `None` if the section does not decode (it is then left out).
pub fn plain_names(data: &[u8]) -> Option<Vec<u8>> {
    use wasm_encoder::{IndirectNameMap, NameMap, NameSection};
    use wasmparser::Name;
    let plain_map = |map: wasmparser::NameMap<'_>| -> Option<NameMap> {
        let mut taken = std::collections::HashSet::new();
        let mut out = NameMap::new();
        for naming in map {
            let naming = naming.ok()?;
            if let Some(name) = unique(plain_id(naming.name), &mut taken) {
                out.append(naming.index, &name);
            }
        }
        Some(out)
    };
    let plain_indirect = |map: wasmparser::IndirectNameMap<'_>| -> Option<IndirectNameMap> {
        let mut out = IndirectNameMap::new();
        for naming in map {
            let naming = naming.ok()?;
            out.append(naming.index, &plain_map(naming.names)?);
        }
        Some(out)
    };
    let reader = wasmparser::NameSectionReader::new(BinaryReader::new(data, 0));
    let mut section = NameSection::new();
    for name in reader {
        match name.ok()? {
            Name::Module { name, .. } => section.module(&plain_id(name)),
            Name::Function(map) => section.functions(&plain_map(map)?),
            Name::Local(map) => section.locals(&plain_indirect(map)?),
            Name::Label(map) => section.labels(&plain_indirect(map)?),
            Name::Type(map) => section.types(&plain_map(map)?),
            Name::Table(map) => section.tables(&plain_map(map)?),
            Name::Memory(map) => section.memories(&plain_map(map)?),
            Name::Global(map) => section.globals(&plain_map(map)?),
            Name::Element(map) => section.elements(&plain_map(map)?),
            Name::Data(map) => section.data(&plain_map(map)?),
            Name::Tag(map) => section.tag(&plain_map(map)?),
            Name::Field(map) => section.fields(&plain_indirect(map)?),
            Name::Parameter(map) => section.parameters(&plain_indirect(map)?),
            Name::TagParameter(map) => section.tag_parameters(&plain_indirect(map)?),
            Name::Unknown { .. } => {}
        }
    }
    custom_contents(&section)
}

/// `name` with every byte that cannot be in a text identifier made `_`.
fn plain_id(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => char::from(b),
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'/' => {
                char::from(b)
            }
            b':' | b'<' | b'=' | b'>' | b'?' | b'@' | b'\\' | b'^' | b'_' | b'`' | b'|' | b'~' => {
                char::from(b)
            }
            _ => '_',
        })
        .collect()
}

/// `name`, or `name.1`, `name.2`... if it is taken; `None` for an empty
/// name.
fn unique(name: String, taken: &mut std::collections::HashSet<String>) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let mut candidate = name.clone();
    let mut n = 0u32;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{name}.{n}");
    }
    taken.insert(candidate.clone());
    Some(candidate)
}
