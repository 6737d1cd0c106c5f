//! The items an index records: sections as the index describes them, the
//! kinds of imports and exports, functions, the other items, segments,
//! custom sections, producers and a component's own imports and exports.
//! These are plain data, serialized as they are into the JSON reports.

use std::ops::Range;

use serde::Serialize;
use wasmparser::Encoding;

/// One top-level section as the index describes it: what kind it is and
/// how many entries it declares. Where it lies is [`super::layout::Section`]'s
/// to say; this is built from that.
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
    /// The module and name as the binary has them, when JavaScript glue
    /// gave the import its real name ([`crate::glue`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minified: Option<MinifiedImport>,
}

/// An import's module and name as a minified binary has them (`a`, `b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinifiedImport {
    /// The module name in the binary.
    pub module: String,
    /// The item name in the binary.
    pub name: String,
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
    /// The name as the binary has it, when JavaScript glue gave the export
    /// its real name ([`crate::glue`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minified: Option<String>,
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
    /// The first slot an active segment fills, when its offset is a
    /// constant and every item is a function (so item `i` is at slot
    /// `offset + i`).
    #[serde(skip)]
    pub offset: Option<u64>,
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
    /// What it is.
    pub kind: ComponentKind,
}

/// What a component-level import or export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ComponentKind {
    /// A core module.
    Module,
    /// A component function.
    Func,
    /// A value.
    Value,
    /// A type.
    Type,
    /// A component instance.
    Instance,
    /// A component.
    Component,
}

impl ComponentKind {
    /// The text-format keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Module => "module",
            ComponentKind::Func => "func",
            ComponentKind::Value => "value",
            ComponentKind::Type => "type",
            ComponentKind::Instance => "instance",
            ComponentKind::Component => "component",
        }
    }
}

impl std::fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
