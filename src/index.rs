//! A light index of a binary module: its top-level sections with their byte
//! ranges, where each function body lies, and the function names from the
//! name section. Built in one pass without decoding any function body, so it
//! is cheap enough to build just to put a name on an offset.

use std::collections::HashMap;
use std::ops::Range;

use wasmparser::{BinaryReaderError, Encoding, KnownCustom, Name, Parser, Payload, TypeRef};

/// One top-level section of a module or component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section id byte.
    pub id: u8,
    /// The custom section's name, for id 0.
    pub custom_name: Option<String>,
    /// The section's contents (after its id and size).
    pub range: Range<usize>,
}

impl Section {
    /// A short human name: `code`, `custom "name"`, `component type`...
    pub fn describe(&self, encoding: Encoding) -> String {
        match &self.custom_name {
            Some(name) => format!("custom \"{name}\""),
            None => section_name(self.id, encoding).to_string(),
        }
    }
}

/// The name of a section id, for core modules or components.
pub fn section_name(id: u8, encoding: Encoding) -> &'static str {
    match (encoding, id) {
        (_, 0) => "custom",
        (Encoding::Module, 1) => "type",
        (Encoding::Module, 2) => "import",
        (Encoding::Module, 3) => "function",
        (Encoding::Module, 4) => "table",
        (Encoding::Module, 5) => "memory",
        (Encoding::Module, 6) => "global",
        (Encoding::Module, 7) => "export",
        (Encoding::Module, 8) => "start",
        (Encoding::Module, 9) => "element",
        (Encoding::Module, 10) => "code",
        (Encoding::Module, 11) => "data",
        (Encoding::Module, 12) => "data count",
        (Encoding::Module, 13) => "tag",
        (Encoding::Component, 1) => "core module",
        (Encoding::Component, 2) => "core instance",
        (Encoding::Component, 3) => "core type",
        (Encoding::Component, 4) => "component",
        (Encoding::Component, 5) => "component instance",
        (Encoding::Component, 6) => "alias",
        (Encoding::Component, 7) => "component type",
        (Encoding::Component, 8) => "canonical function",
        (Encoding::Component, 9) => "component start",
        (Encoding::Component, 10) => "component import",
        (Encoding::Component, 11) => "component export",
        (Encoding::Component, 12) => "value",
        _ => "unknown",
    }
}

/// What [`ModuleIndex::build`] records.
#[derive(Debug, Clone)]
pub struct ModuleIndex {
    /// Core module or component.
    pub encoding: Encoding,
    /// Top-level sections in file order.
    pub sections: Vec<Section>,
    /// Number of imported functions (defined functions are numbered after them).
    /// Only meaningful for a core module.
    pub imported_functions: u32,
    /// Byte range of each defined function's body, in order.
    pub bodies: Vec<Range<usize>>,
    /// Function names from the name section, by function index.
    pub function_names: HashMap<u32, String>,
}

impl ModuleIndex {
    /// Indexes a binary module or component. Only a core module's own
    /// functions are indexed; a component's nested modules are skipped.
    pub fn build(bytes: &[u8]) -> Result<ModuleIndex, BinaryReaderError> {
        let mut index = ModuleIndex {
            encoding: Encoding::Module,
            sections: Vec::new(),
            imported_functions: 0,
            bodies: Vec::new(),
            function_names: HashMap::new(),
        };
        // Nesting depth inside a component: only depth 0 is the top level.
        let mut depth = 0usize;
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            if depth == 0
                && let Some((id, range)) = payload.as_section()
            {
                let custom_name = match &payload {
                    Payload::CustomSection(c) => Some(c.name().to_string()),
                    _ => None,
                };
                index.sections.push(Section {
                    id,
                    custom_name,
                    range: to_usize(range),
                });
            }
            match payload {
                Payload::Version { encoding, .. } if depth == 0 => index.encoding = encoding,
                Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
                Payload::End(_) => depth = depth.saturating_sub(1),
                _ if depth > 0 || index.encoding != Encoding::Module => {}
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                            index.imported_functions += 1;
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => index.bodies.push(to_usize(body.range())),
                Payload::CustomSection(custom) => {
                    if let KnownCustom::Name(names) = custom.as_known() {
                        // A damaged name section must not make the module
                        // unreadable: names are a courtesy, so stop at the
                        // first bad entry.
                        for name in names.into_iter().map_while(Result::ok) {
                            if let Name::Function(map) = name {
                                for naming in map.into_iter().map_while(Result::ok) {
                                    index
                                        .function_names
                                        .insert(naming.index, naming.name.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(index)
    }

    /// The index of the defined function whose body contains `offset`.
    pub fn function_at(&self, offset: usize) -> Option<u32> {
        let i = self.bodies.partition_point(|r| r.end <= offset);
        let body = self.bodies.get(i)?;
        if body.contains(&offset) || body.end == offset {
            u32::try_from(i).ok()?.checked_add(self.imported_functions)
        } else {
            None
        }
    }

    /// The body range of a defined function, by function index.
    pub fn body(&self, func: u32) -> Option<Range<usize>> {
        let defined = func.checked_sub(self.imported_functions)?;
        self.bodies.get(defined as usize).cloned()
    }

    /// Finds a function by name: its raw name-section name, or the name
    /// demangled (Rust, without the hash: `hasher::main`). The lowest index
    /// wins if several share it.
    pub fn function_named(&self, name: &str) -> Option<u32> {
        let matches =
            |raw: &str| raw == name || format!("{:#}", rustc_demangle::demangle(raw)) == name;
        self.function_names
            .iter()
            .filter(|(_, raw)| matches(raw))
            .map(|(i, _)| *i)
            .min()
    }

    /// The top-level section that contains `offset`.
    pub fn section_at(&self, offset: usize) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.range.contains(&offset))
            .or_else(|| {
                // The offset may fall on a section's id or size bytes: take
                // the section that starts next.
                self.sections.iter().find(|s| s.range.start > offset)
            })
    }
}

pub(crate) fn to_usize(range: Range<u64>) -> Range<usize> {
    // Offsets come from a slice already in memory, so they fit in usize.
    usize::try_from(range.start).unwrap_or(usize::MAX)
        ..usize::try_from(range.end).unwrap_or(usize::MAX)
}
