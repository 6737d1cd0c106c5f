//! The module index: one pass over a binary that records every section and
//! item (types, imports, functions, tables, memories, globals, tags, exports,
//! start, elements, data, custom sections) with its byte range, and the names
//! from the name section. Function bodies are located but not decoded; the
//! call graph ([`crate::callgraph`]) decodes them only when a command needs it.
//!
//! A component is indexed at its own level (sections, imports, exports) and
//! each nested core module gets an index of its own in [`ModuleIndex::nested`].

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::error::DecodeError;
use wasmparser::{
    BinaryReader, Chunk, ComponentExternalKind, ComponentTypeRef, DataKind, ElementItems,
    ElementKind, Encoding, ExternalKind, KnownCustom, Name, Operator, Parser, Payload, TypeRef,
};

/// One top-level section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The section id byte.
    pub id: u8,
    /// Human name of the id (`code`, `custom`, `component type`...).
    pub kind: &'static str,
    /// The custom section's name, for id 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_name: Option<String>,
    /// Offset of the section's id byte.
    pub header_offset: usize,
    /// The section's contents, after its id and size.
    pub range: Range<usize>,
    /// How many items the section declares, for sections that are vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

impl Section {
    /// A short human name: `code`, `custom "name"`...
    pub fn describe(&self) -> String {
        match &self.custom_name {
            Some(name) => format!("custom \"{name}\""),
            None => self.kind.to_string(),
        }
    }

    /// The size of the whole section, header included.
    pub fn total_size(&self) -> usize {
        self.range.end - self.header_offset
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

/// What kind of item an import or export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A linear memory.
    Memory,
    /// A global.
    Global,
    /// An exception tag.
    Tag,
}

impl ItemKind {
    /// The text-format keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Func => "func",
            ItemKind::Table => "table",
            ItemKind::Memory => "memory",
            ItemKind::Global => "global",
            ItemKind::Tag => "tag",
        }
    }
}

/// An imported item.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    /// The module name (`wasi_snapshot_preview1`, `env`...).
    pub module: String,
    /// The item name.
    pub name: String,
    /// Function, table, memory, global or tag.
    pub kind: ItemKind,
    /// Index in that kind's index space.
    pub index: u32,
    /// The type, written as text.
    #[serde(rename = "type")]
    pub ty: String,
    /// Offset of the import entry.
    pub offset: usize,
}

/// An exported item.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The export name.
    pub name: String,
    /// Function, table, memory, global or tag.
    pub kind: ItemKind,
    /// Index in that kind's index space.
    pub index: u32,
    /// The type, written as text.
    #[serde(rename = "type")]
    pub ty: String,
    /// Offset of the export entry.
    pub offset: usize,
}

/// A function, imported or defined.
#[derive(Debug, Clone, Serialize)]
pub struct Function {
    /// Index in the function index space (imports first).
    pub index: u32,
    /// Index of its type.
    pub type_index: u32,
    /// Name from the name section, raw (not demangled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The body's bytes (after its size), for defined functions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Range<usize>>,
    /// Whether the function is imported.
    pub imported: bool,
}

impl Function {
    /// The body size in bytes (0 for an import).
    pub fn size(&self) -> usize {
        self.body.as_ref().map_or(0, |r| r.len())
    }
}

/// A table, memory, global or tag: its type as text and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Index in its kind's index space.
    pub index: u32,
    /// The type, written as text.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it is imported.
    pub imported: bool,
    /// Name from the name section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// How a data or element segment is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentMode {
    /// Copied into a memory or table at instantiation.
    Active,
    /// Copied on demand by `memory.init` / `table.init`.
    Passive,
    /// Only declares function references (elements).
    Declared,
}

/// A data segment.
#[derive(Debug, Clone, Serialize)]
pub struct DataSegment {
    /// Segment index.
    pub index: u32,
    /// The whole segment entry.
    pub range: Range<usize>,
    /// Bytes of data it carries.
    pub size: usize,
    /// Active or passive.
    pub mode: SegmentMode,
    /// Name from the name section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An element segment.
#[derive(Debug, Clone, Serialize)]
pub struct ElementSegment {
    /// Segment index.
    pub index: u32,
    /// The whole segment entry.
    pub range: Range<usize>,
    /// Active, passive or declared.
    pub mode: SegmentMode,
    /// The table an active segment fills.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    /// Functions it refers to.
    pub functions: Vec<u32>,
}

/// A custom section.
#[derive(Debug, Clone, Serialize)]
pub struct CustomSection {
    /// Its name.
    pub name: String,
    /// Its data (after the name).
    pub data: Range<usize>,
    /// The whole section, header included.
    pub section: Range<usize>,
}

/// One field of the producers section: `language`, `processed-by` or `sdk`.
#[derive(Debug, Clone, Serialize)]
pub struct ProducerField {
    /// The field name.
    pub field: String,
    /// `(name, version)` pairs.
    pub values: Vec<(String, String)>,
}

impl ProducerField {
    /// The values as text: `rustc 1.95.0 (59807616e 2026-04-14), clang 21.1.4`.
    pub fn describe(&self) -> String {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|(name, version)| {
                if version.is_empty() {
                    name.clone()
                } else {
                    format!("{name} {version}")
                }
            })
            .collect();
        values.join(", ")
    }
}

/// A component-level import or export.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentItem {
    /// The extern name (`wasi:cli/stdout@0.2.0`...).
    pub name: String,
    /// What it is: `func`, `instance`, `module`, `component`, `type`, `value`.
    pub kind: &'static str,
}

/// Everything [`ModuleIndex::build`] records about a module or component.
#[derive(Debug, Clone, Default)]
pub struct ModuleIndex {
    /// Core module or component.
    pub component: bool,
    /// Where the module starts and ends in the input.
    pub range: Range<usize>,
    /// Top-level sections in file order.
    pub sections: Vec<Section>,
    /// The module's name from the name section.
    pub module_name: Option<String>,
    /// Each type, written as text.
    pub types: Vec<String>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// All functions, imported first.
    pub functions: Vec<Function>,
    /// Tables, imported first.
    pub tables: Vec<Item>,
    /// Memories, imported first.
    pub memories: Vec<Item>,
    /// Globals, imported first.
    pub globals: Vec<Item>,
    /// Tags, imported first.
    pub tags: Vec<Item>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// The start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementSegment>,
    /// Data segments.
    pub data: Vec<DataSegment>,
    /// Custom sections, in file order.
    pub customs: Vec<CustomSection>,
    /// The producers section, decoded.
    pub producers: Vec<ProducerField>,
    /// The target_features section, decoded (`+simd128`, `-atomics`...).
    pub target_features: Vec<String>,
    /// Functions referenced by `ref.func` in global initialisers.
    pub global_func_refs: Vec<u32>,
    /// Nested core modules of a component.
    pub nested: Vec<ModuleIndex>,
    /// A component's own imports.
    pub component_imports: Vec<ComponentItem>,
    /// A component's own exports.
    pub component_exports: Vec<ComponentItem>,
}

impl ModuleIndex {
    /// Indexes a binary module or component.
    pub fn build(bytes: &[u8]) -> Result<ModuleIndex, DecodeError> {
        build_at(bytes, 0)
    }

    /// A custom section this index decodes, as lines of text: the
    /// producers (`language: Rust, C11`) and the target features.
    pub fn decoded_custom(&self, name: &str) -> Option<Vec<String>> {
        match name {
            "producers" => Some(
                self.producers
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.describe()))
                    .collect(),
            ),
            "target_features" => Some(self.target_features.clone()),
            _ => None,
        }
    }

    /// The core modules of an input: itself, or a component's nested
    /// modules, each with its number inside the component.
    pub fn core_modules(&self) -> Vec<(Option<usize>, &ModuleIndex)> {
        if self.component {
            self.nested
                .iter()
                .enumerate()
                .map(|(i, m)| (Some(i), m))
                .collect()
        } else {
            vec![(None, self)]
        }
    }

    /// Number of imported functions (defined functions are numbered after).
    pub fn imported_functions(&self) -> u32 {
        self.functions.iter().take_while(|f| f.imported).count() as u32
    }

    /// Defined functions, in code-section order.
    pub fn defined_functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.iter().filter(|f| !f.imported)
    }

    /// The name of a function, if it has one.
    pub fn function_name(&self, index: u32) -> Option<&str> {
        self.functions.get(index as usize)?.name.as_deref()
    }

    /// The index of the defined function whose body contains `offset`.
    pub fn function_at(&self, offset: usize) -> Option<u32> {
        let defined: Vec<&Function> = self.defined_functions().collect();
        let i = defined.partition_point(|f| f.body.as_ref().is_some_and(|b| b.end <= offset));
        let f = defined.get(i)?;
        let body = f.body.as_ref()?;
        (body.contains(&offset) || body.end == offset).then_some(f.index)
    }

    /// The body range of a defined function, by function index.
    pub fn body(&self, func: u32) -> Option<Range<usize>> {
        self.functions.get(func as usize)?.body.clone()
    }

    /// Finds a function: a number is an index; otherwise a name as in the
    /// name section, or demangled (`hasher::main`), or an export name. The
    /// lowest index wins if several match.
    pub fn find_function(&self, name: &str) -> Option<u32> {
        if let Ok(index) = name.parse::<u32>() {
            return ((index as usize) < self.functions.len()).then_some(index);
        }
        let name = name.strip_prefix('$').unwrap_or(name);
        self.functions
            .iter()
            .find(|f| {
                f.name
                    .as_deref()
                    .is_some_and(|raw| raw == name || crate::demangle::demangle(raw) == name)
            })
            .map(|f| f.index)
            .or_else(|| {
                self.exports
                    .iter()
                    .find(|e| e.kind == ItemKind::Func && e.name == name)
                    .map(|e| e.index)
            })
    }

    /// The top-level section that contains `offset`.
    pub fn section_at(&self, offset: usize) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| (s.header_offset..s.range.end).contains(&offset))
    }

    /// The text of a function's type.
    pub fn function_type(&self, type_index: u32) -> String {
        self.types
            .get(type_index as usize)
            .cloned()
            .unwrap_or_else(|| format!("(type {type_index})"))
    }
}

/// Indexes the module or component in `bytes`, which start at `offset` of
/// the whole input (offsets recorded are the input's).
fn build_at(bytes: &[u8], offset: usize) -> Result<ModuleIndex, DecodeError> {
    let mut index = ModuleIndex {
        range: offset..offset + bytes.len(),
        ..ModuleIndex::default()
    };
    let mut names = Names::default();
    let mut parser = Parser::new(offset as u64);
    let mut rest = bytes;
    let mut func_types: Vec<u32> = Vec::new();
    let mut bodies_seen = 0usize;
    loop {
        let at = offset + (bytes.len() - rest.len());
        let (consumed, payload) = match parser.parse(rest, true)? {
            Chunk::Parsed { consumed, payload } => (consumed, payload),
            // With `eof` set the parser never asks for more data.
            Chunk::NeedMoreData(_) => {
                return Err(DecodeError::new(at, "unexpected end-of-file"));
            }
        };
        if let Some((id, range)) = payload.as_section() {
            let encoding = if index.component {
                Encoding::Component
            } else {
                Encoding::Module
            };
            let custom_name = match &payload {
                Payload::CustomSection(c) => Some(c.name().to_string()),
                _ => None,
            };
            index.sections.push(Section {
                id,
                kind: section_name(id, encoding),
                custom_name,
                header_offset: at,
                range: to_usize(range),
                count: section_count(&payload),
            });
        }
        let mut done = false;
        // Bytes of a nested module or component, which our slice skips.
        let mut skip = 0usize;
        match payload {
            Payload::Version { encoding, .. } => {
                index.component = encoding == Encoding::Component;
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    for ty in group?.into_types() {
                        index.types.push(ty.to_string());
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for entry in reader.into_imports_with_offsets() {
                    let (import_offset, import) = entry?;
                    let (kind, ty) = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            func_types.push(t);
                            (ItemKind::Func, index.function_type(t))
                        }
                        TypeRef::Table(t) => (ItemKind::Table, table_type(&t)),
                        TypeRef::Memory(m) => (ItemKind::Memory, memory_type(&m)),
                        TypeRef::Global(g) => (ItemKind::Global, global_type(&g)),
                        TypeRef::Tag(t) => (ItemKind::Tag, index.function_type(t.func_type_idx)),
                    };
                    let number = index.push_item(kind, &ty, true);
                    index.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind,
                        index: number,
                        ty,
                        offset: import_offset as usize,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    let ty = ty?;
                    func_types.push(ty);
                    index.push_item(ItemKind::Func, "", false);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    index.push_item(ItemKind::Table, &table_type(&table?.ty), false);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    index.push_item(ItemKind::Memory, &memory_type(&memory?), false);
                }
            }
            Payload::TagSection(reader) => {
                for tag in reader {
                    let ty = index.function_type(tag?.func_type_idx);
                    index.push_item(ItemKind::Tag, &ty, false);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global?;
                    index.push_item(ItemKind::Global, &global_type(&global.ty), false);
                    let mut ops = global.init_expr.get_operators_reader();
                    while !ops.eof() {
                        if let Operator::RefFunc { function_index } = ops.read()? {
                            index.global_func_refs.push(function_index);
                        }
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for entry in reader.into_iter_with_offsets() {
                    let (export_offset, export) = entry?;
                    let kind = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ItemKind::Func,
                        ExternalKind::Table => ItemKind::Table,
                        ExternalKind::Memory => ItemKind::Memory,
                        ExternalKind::Global => ItemKind::Global,
                        ExternalKind::Tag => ItemKind::Tag,
                    };
                    index.exports.push(Export {
                        name: export.name.to_string(),
                        kind,
                        index: export.index,
                        ty: String::new(),
                        offset: export_offset as usize,
                    });
                }
            }
            Payload::StartSection { func, .. } => index.start = Some(func),
            Payload::ElementSection(reader) => {
                for (i, element) in reader.into_iter().enumerate() {
                    let element = element?;
                    let (mode, table) = match element.kind {
                        ElementKind::Active { table_index, .. } => {
                            (SegmentMode::Active, Some(table_index.unwrap_or(0)))
                        }
                        ElementKind::Passive => (SegmentMode::Passive, None),
                        ElementKind::Declared => (SegmentMode::Declared, None),
                    };
                    let mut functions = Vec::new();
                    match element.items {
                        ElementItems::Functions(funcs) => {
                            for f in funcs {
                                functions.push(f?);
                            }
                        }
                        ElementItems::Expressions(_, exprs) => {
                            for expr in exprs {
                                let mut ops = expr?.get_operators_reader();
                                while !ops.eof() {
                                    if let Operator::RefFunc { function_index } = ops.read()? {
                                        functions.push(function_index);
                                    }
                                }
                            }
                        }
                    }
                    index.elements.push(ElementSegment {
                        index: i as u32,
                        range: to_usize(element.range),
                        mode,
                        table,
                        functions,
                    });
                }
            }
            Payload::DataSection(reader) => {
                for (i, data) in reader.into_iter().enumerate() {
                    let data = data?;
                    index.data.push(DataSegment {
                        index: i as u32,
                        range: to_usize(data.range),
                        size: data.data.len(),
                        mode: match data.kind {
                            DataKind::Active { .. } => SegmentMode::Active,
                            DataKind::Passive => SegmentMode::Passive,
                        },
                        name: None,
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let slot = index.imported_functions() as usize + bodies_seen;
                bodies_seen += 1;
                // A body without a declared function is for the validator to
                // report; the index keeps what it can name.
                if let Some(f) = index.functions.get_mut(slot) {
                    f.body = Some(to_usize(body.range()));
                }
            }
            Payload::CustomSection(custom) => {
                let data = to_usize(custom.data_offset()..custom.range().end);
                index.customs.push(CustomSection {
                    name: custom.name().to_string(),
                    data,
                    section: at..to_usize(custom.range()).end,
                });
                match custom.as_known() {
                    KnownCustom::Name(reader) => names.read(reader),
                    KnownCustom::Producers(reader) => {
                        // A damaged producers section only loses the summary.
                        for field in reader.into_iter().map_while(Result::ok) {
                            let values = field
                                .values
                                .into_iter()
                                .map_while(Result::ok)
                                .map(|v| (v.name.to_string(), v.version.to_string()))
                                .collect();
                            index.producers.push(ProducerField {
                                field: field.name.to_string(),
                                values,
                            });
                        }
                    }
                    _ if custom.name() == "target_features" => {
                        index.target_features =
                            target_features(custom.data(), custom.data_offset() as usize);
                    }
                    _ => {}
                }
            }
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                let range = to_usize(unchecked_range);
                let nested = range
                    .start
                    .checked_sub(offset)
                    .zip(range.end.checked_sub(offset))
                    .and_then(|(start, end)| bytes.get(start..end))
                    .ok_or_else(|| DecodeError::new(at, "nested module out of bounds"))?;
                index.nested.push(build_at(nested, range.start)?);
                // The parser has already moved past the nested module; only
                // our slice of the input needs to follow.
                skip = range.len();
            }
            Payload::ComponentSection {
                unchecked_range, ..
            } => {
                // Nested components are not indexed; skip their contents.
                skip = to_usize(unchecked_range).len();
            }
            Payload::ComponentImportSection(reader) => {
                for import in reader {
                    let import = import?;
                    index.component_imports.push(ComponentItem {
                        name: import.name.name.to_string(),
                        kind: component_type_kind(&import.ty),
                    });
                }
            }
            Payload::ComponentExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    index.component_exports.push(ComponentItem {
                        name: export.name.name.to_string(),
                        kind: component_kind(export.kind),
                    });
                }
            }
            Payload::End(_) => done = true,
            _ => {}
        }
        rest = rest.get(consumed + skip..).unwrap_or_default();
        if done {
            break;
        }
    }
    for (f, ty) in index.functions.iter_mut().zip(func_types) {
        f.type_index = ty;
    }
    names.apply(&mut index);
    let types: Vec<String> = index
        .exports
        .iter()
        .map(|e| index.export_type(e.kind, e.index))
        .collect();
    for (export, ty) in index.exports.iter_mut().zip(types) {
        export.ty = ty;
    }
    Ok(index)
}

impl ModuleIndex {
    /// Adds a function, table, memory, global or tag; returns its index.
    fn push_item(&mut self, kind: ItemKind, ty: &str, imported: bool) -> u32 {
        let list = match kind {
            ItemKind::Func => {
                let index = self.functions.len() as u32;
                self.functions.push(Function {
                    index,
                    type_index: 0,
                    name: None,
                    body: None,
                    imported,
                });
                return index;
            }
            ItemKind::Table => &mut self.tables,
            ItemKind::Memory => &mut self.memories,
            ItemKind::Global => &mut self.globals,
            ItemKind::Tag => &mut self.tags,
        };
        let index = list.len() as u32;
        list.push(Item {
            index,
            ty: ty.to_string(),
            imported,
            name: None,
        });
        index
    }

    fn export_type(&self, kind: ItemKind, index: u32) -> String {
        let item = |list: &[Item]| {
            list.get(index as usize)
                .map_or_else(String::new, |i| i.ty.clone())
        };
        match kind {
            ItemKind::Func => self
                .functions
                .get(index as usize)
                .map_or_else(String::new, |f| self.function_type(f.type_index)),
            ItemKind::Table => item(&self.tables),
            ItemKind::Memory => item(&self.memories),
            ItemKind::Global => item(&self.globals),
            ItemKind::Tag => item(&self.tags),
        }
    }
}

/// Names gathered from the name section, applied once everything is known.
#[derive(Default)]
struct Names {
    module: Option<String>,
    functions: HashMap<u32, String>,
    globals: HashMap<u32, String>,
    memories: HashMap<u32, String>,
    tables: HashMap<u32, String>,
    tags: HashMap<u32, String>,
    data: HashMap<u32, String>,
}

impl Names {
    fn read(&mut self, reader: wasmparser::NameSectionReader<'_>) {
        // Names are a courtesy: a damaged entry ends the reading, not the index.
        for name in reader.into_iter().map_while(Result::ok) {
            let (map, target) = match name {
                Name::Module { name, .. } => {
                    self.module = Some(name.to_string());
                    continue;
                }
                Name::Function(map) => (map, &mut self.functions),
                Name::Global(map) => (map, &mut self.globals),
                Name::Memory(map) => (map, &mut self.memories),
                Name::Table(map) => (map, &mut self.tables),
                Name::Tag(map) => (map, &mut self.tags),
                Name::Data(map) => (map, &mut self.data),
                _ => continue,
            };
            for naming in map.into_iter().map_while(Result::ok) {
                target.insert(naming.index, naming.name.to_string());
            }
        }
    }

    fn apply(mut self, index: &mut ModuleIndex) {
        index.module_name = self.module.take();
        for f in &mut index.functions {
            f.name = self.functions.remove(&f.index);
        }
        for (items, names) in [
            (&mut index.globals, &mut self.globals),
            (&mut index.memories, &mut self.memories),
            (&mut index.tables, &mut self.tables),
            (&mut index.tags, &mut self.tags),
        ] {
            for item in items.iter_mut() {
                item.name = names.remove(&item.index);
            }
        }
        for d in &mut index.data {
            d.name = self.data.remove(&d.index);
        }
    }
}

/// How many entries a vector section declares.
fn section_count(payload: &Payload<'_>) -> Option<u32> {
    Some(match payload {
        Payload::TypeSection(r) => r.count(),
        Payload::ImportSection(r) => r.count(),
        Payload::FunctionSection(r) => r.count(),
        Payload::TableSection(r) => r.count(),
        Payload::MemorySection(r) => r.count(),
        Payload::TagSection(r) => r.count(),
        Payload::GlobalSection(r) => r.count(),
        Payload::ExportSection(r) => r.count(),
        Payload::ElementSection(r) => r.count(),
        Payload::DataSection(r) => r.count(),
        Payload::CodeSectionStart { count, .. } => *count,
        Payload::DataCountSection { count, .. } => *count,
        Payload::ComponentImportSection(r) => r.count(),
        Payload::ComponentExportSection(r) => r.count(),
        Payload::ComponentTypeSection(r) => r.count(),
        Payload::ComponentCanonicalSection(r) => r.count(),
        Payload::ComponentInstanceSection(r) => r.count(),
        Payload::ComponentAliasSection(r) => r.count(),
        Payload::InstanceSection(r) => r.count(),
        Payload::CoreTypeSection(r) => r.count(),
        _ => return None,
    })
}

fn limits(initial: u64, maximum: Option<u64>) -> String {
    match maximum {
        Some(max) => format!("{initial} {max}"),
        None => initial.to_string(),
    }
}

/// A table type as text: `1 10 funcref`, `i64 1 externref`.
pub fn table_type(t: &wasmparser::TableType) -> String {
    let index = if t.table64 { "i64 " } else { "" };
    let shared = if t.shared { " shared" } else { "" };
    format!(
        "{index}{}{shared} {}",
        limits(t.initial, t.maximum),
        t.element_type
    )
}

/// A memory type as text: `17`, `1 2 shared`, `i64 1`, with a custom page
/// size where there is one.
pub fn memory_type(m: &wasmparser::MemoryType) -> String {
    let mut text = String::new();
    if m.memory64 {
        text.push_str("i64 ");
    }
    text.push_str(&limits(m.initial, m.maximum));
    if m.shared {
        text.push_str(" shared");
    }
    if let Some(log2) = m.page_size_log2 {
        text.push_str(&format!(" (pagesize {})", 1u64 << log2.min(63)));
    }
    text
}

/// A global type as text: `i32`, `(mut i64)`.
pub fn global_type(g: &wasmparser::GlobalType) -> String {
    let ty = g.content_type.to_string();
    let ty = if g.shared {
        format!("(shared {ty})")
    } else {
        ty
    };
    if g.mutable { format!("(mut {ty})") } else { ty }
}

fn component_kind(kind: ComponentExternalKind) -> &'static str {
    match kind {
        ComponentExternalKind::Module => "module",
        ComponentExternalKind::Func => "func",
        ComponentExternalKind::Value => "value",
        ComponentExternalKind::Type => "type",
        ComponentExternalKind::Instance => "instance",
        ComponentExternalKind::Component => "component",
    }
}

fn component_type_kind(ty: &ComponentTypeRef) -> &'static str {
    match ty {
        ComponentTypeRef::Module(_) => "module",
        ComponentTypeRef::Func(_) => "func",
        ComponentTypeRef::Value(_) => "value",
        ComponentTypeRef::Type(_) => "type",
        ComponentTypeRef::Instance(_) => "instance",
        ComponentTypeRef::Component(_) => "component",
    }
}

/// Decodes the `target_features` section: a vector of (prefix, name), where
/// the prefix is `+` (used), `-` (disallowed) or `=` (required).
fn target_features(data: &[u8], offset: usize) -> Vec<String> {
    let mut reader = BinaryReader::new(data, offset as u64);
    let mut features = Vec::new();
    let Ok(count) = reader.read_var_u32() else {
        return features;
    };
    for _ in 0..count {
        let (Ok(prefix), Ok(name)) = (reader.read_u8(), reader.read_string()) else {
            break;
        };
        features.push(format!("{}{name}", prefix as char));
    }
    features
}

pub(crate) fn to_usize(range: Range<u64>) -> Range<usize> {
    // Offsets come from a slice already in memory, so they fit in usize.
    usize::try_from(range.start).unwrap_or(usize::MAX)
        ..usize::try_from(range.end).unwrap_or(usize::MAX)
}

/// Where the first entry of a code section starts: past the entry count at
/// the start of its contents (`contents`, a range of `bytes` as the parser
/// reports it). `None` if the count does not decode.
pub(crate) fn first_code_entry(bytes: &[u8], contents: &Range<u64>) -> Option<usize> {
    let start = usize::try_from(contents.start).ok()?;
    let mut reader = BinaryReader::new(bytes.get(start..)?, 0);
    reader.read_var_u32().ok()?;
    Some(start + reader.current_position())
}
