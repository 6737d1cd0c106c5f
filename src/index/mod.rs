//! The module index: one pass over a binary that records every section and
//! item (types, imports, functions, tables, memories, globals, tags, exports,
//! start, elements, data, custom sections) with its byte range, and the names
//! from the name section. Function bodies are located but not decoded; the
//! call graph ([`crate::callgraph`]) decodes them only when a command needs it.
//!
//! A component is indexed at its own level (sections, imports, exports) and
//! each nested core module gets an index of its own in [`ModuleIndex::nested`].
//!
//! Where things are in the bytes is [`layout`]'s: the one walk over the
//! top-level sections, which the editing commands use as well. The items
//! recorded are in `items`, building them in `build`, and the text of
//! table, memory and global types in `types`.

use std::ops::Range;

use crate::error::DecodeError;

mod build;
mod custom;
mod items;
pub mod layout;
mod names;
#[cfg(test)]
mod tests;
mod types;

pub use items::{
    ComponentItem, ComponentKind, CustomSection, DataSegment, ElementSegment, Export, Function,
    Import, Item, ItemKind, MinifiedImport, ProducerField, Section, SegmentMode, section_name,
};
pub(crate) use layout::{first_code_entry, to_usize};
pub use types::{global_type, memory_type, table_type};

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
        build::build_at(bytes, 0)
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
        // Imports come first; the defined functions follow in code order.
        let defined = self
            .functions
            .get(self.imported_functions() as usize..)
            .unwrap_or_default();
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
