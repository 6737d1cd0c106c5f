//! Building the index: one walk over the payloads of a module or component
//! ([`Walk`]), each kind of payload recorded by a phase of its own, then the
//! function types, names and export types put on once everything is known.

use std::ops::Range;

use wasmparser::{
    ComponentExportSectionReader, ComponentExternalKind, ComponentImportSectionReader,
    ComponentTypeRef, CustomSectionReader, DataKind, DataSectionReader, ElementItems, ElementKind,
    ElementSectionReader, Encoding, ExportSectionReader, ExternalKind, FunctionBody,
    GlobalSectionReader, ImportSectionReader, KnownCustom, Operator, Payload, TypeRef,
    TypeSectionReader,
};

use super::ModuleIndex;
use super::custom::{producers, target_features};
use super::items::{
    ComponentItem, ComponentKind, CustomSection, DataSegment, ElementSegment, Export, Function,
    Import, Item, ItemKind, Section, SegmentMode, section_name,
};
use super::layout::{self, Code, Step, Walk, to_usize};
use super::names::Names;
use super::types::{global_type, memory_type, table_type};
use crate::error::DecodeError;

/// Indexes the module or component in `bytes`, which start at `offset` of
/// the whole input (offsets recorded are the input's).
pub(super) fn build_at(bytes: &[u8], offset: usize) -> Result<ModuleIndex, DecodeError> {
    let mut builder = Builder {
        index: ModuleIndex {
            range: offset..offset + bytes.len(),
            ..ModuleIndex::default()
        },
        bytes,
        offset,
        names: Names::default(),
        func_types: Vec::new(),
        bodies_seen: 0,
    };
    let mut walk = Walk::new(bytes, offset, Code::Entries);
    while let Some(step) = walk.step()? {
        builder.payload(step)?;
    }
    Ok(builder.finish())
}

/// An index under construction, with what it needs until the end.
struct Builder<'a> {
    index: ModuleIndex,
    /// The module's own bytes, for the nested modules of a component.
    bytes: &'a [u8],
    /// Where `bytes` start in the input.
    offset: usize,
    /// Names are read where the name section is, applied at the end.
    names: Names,
    /// Each function's type index, imports first: the types are declared
    /// before the functions exist as items.
    func_types: Vec<u32>,
    /// Code entries read so far: the next body is that defined function's.
    bodies_seen: usize,
}

impl Builder<'_> {
    /// Records one payload: the section it opens, then what it declares.
    fn payload(&mut self, step: Step<'_>) -> Result<(), DecodeError> {
        let Step {
            at,
            section,
            payload,
        } = step;
        if let Some(section) = section {
            self.section(section, section_count(&payload));
        }
        match payload {
            Payload::Version { encoding, .. } => {
                self.index.component = encoding == Encoding::Component;
            }
            Payload::TypeSection(reader) => self.types(reader)?,
            Payload::ImportSection(reader) => self.imports(reader)?,
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    self.func_types.push(ty?);
                    self.index.push_item(ItemKind::Func, "", false);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let ty = table_type(&table?.ty);
                    self.index.push_item(ItemKind::Table, &ty, false);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let ty = memory_type(&memory?);
                    self.index.push_item(ItemKind::Memory, &ty, false);
                }
            }
            Payload::TagSection(reader) => {
                for tag in reader {
                    let ty = self.index.function_type(tag?.func_type_idx);
                    self.index.push_item(ItemKind::Tag, &ty, false);
                }
            }
            Payload::GlobalSection(reader) => self.globals(reader)?,
            Payload::ExportSection(reader) => self.exports(reader)?,
            Payload::StartSection { func, .. } => self.index.start = Some(func),
            Payload::ElementSection(reader) => self.elements(reader)?,
            Payload::DataSection(reader) => self.data(reader)?,
            Payload::CodeSectionEntry(body) => self.body(&body),
            Payload::CustomSection(reader) => self.custom(at, &reader),
            Payload::ModuleSection {
                unchecked_range, ..
            } => self.nested_module(at, unchecked_range)?,
            Payload::ComponentImportSection(reader) => self.component_imports(reader)?,
            Payload::ComponentExportSection(reader) => self.component_exports(reader)?,
            // Nested components are not indexed: the walk steps over them.
            _ => {}
        }
        Ok(())
    }

    /// A top-level section, described for the `sections` listing.
    fn section(&mut self, section: layout::Section, count: Option<u32>) {
        let encoding = if self.index.component {
            Encoding::Component
        } else {
            Encoding::Module
        };
        self.index.sections.push(Section {
            id: section.id,
            kind: section_name(section.id, encoding),
            custom_name: section.custom.map(|(name, _)| name),
            header_offset: section.full.start,
            range: section.content,
            count,
        });
    }

    fn types(&mut self, reader: TypeSectionReader<'_>) -> Result<(), DecodeError> {
        for group in reader {
            for ty in group?.into_types() {
                self.index.types.push(ty.to_string());
            }
        }
        Ok(())
    }

    fn imports(&mut self, reader: ImportSectionReader<'_>) -> Result<(), DecodeError> {
        for entry in reader.into_imports_with_offsets() {
            let (import_offset, import) = entry?;
            let index = &mut self.index;
            let (kind, ty) = match import.ty {
                TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                    self.func_types.push(t);
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
                minified: None,
            });
        }
        Ok(())
    }

    fn globals(&mut self, reader: GlobalSectionReader<'_>) -> Result<(), DecodeError> {
        for global in reader {
            let global = global?;
            self.index
                .push_item(ItemKind::Global, &global_type(&global.ty), false);
            // A function a global refers to is reachable without a call.
            let mut ops = global.init_expr.get_operators_reader();
            while !ops.eof() {
                if let Operator::RefFunc { function_index } = ops.read()? {
                    self.index.global_func_refs.push(function_index);
                }
            }
        }
        Ok(())
    }

    /// Exports get their types at the end: an export may come before the
    /// item it names is known in full.
    fn exports(&mut self, reader: ExportSectionReader<'_>) -> Result<(), DecodeError> {
        for entry in reader.into_iter_with_offsets() {
            let (export_offset, export) = entry?;
            let kind = match export.kind {
                ExternalKind::Func | ExternalKind::FuncExact => ItemKind::Func,
                ExternalKind::Table => ItemKind::Table,
                ExternalKind::Memory => ItemKind::Memory,
                ExternalKind::Global => ItemKind::Global,
                ExternalKind::Tag => ItemKind::Tag,
            };
            self.index.exports.push(Export {
                name: export.name.to_string(),
                kind,
                index: export.index,
                ty: String::new(),
                offset: export_offset as usize,
                minified: None,
            });
        }
        Ok(())
    }

    fn elements(&mut self, reader: ElementSectionReader<'_>) -> Result<(), DecodeError> {
        for (i, element) in reader.into_iter().enumerate() {
            let element = element?;
            let (mode, table, mut offset) = match &element.kind {
                ElementKind::Active {
                    table_index,
                    offset_expr,
                } => (
                    SegmentMode::Active,
                    Some(table_index.unwrap_or(0)),
                    constant(offset_expr),
                ),
                ElementKind::Passive => (SegmentMode::Passive, None, None),
                ElementKind::Declared => (SegmentMode::Declared, None, None),
            };
            let mut functions = Vec::new();
            match element.items {
                ElementItems::Functions(funcs) => {
                    for f in funcs {
                        functions.push(f?);
                    }
                }
                ElementItems::Expressions(_, exprs) => {
                    let mut items = 0;
                    for expr in exprs {
                        items += 1;
                        let mut ops = expr?.get_operators_reader();
                        while !ops.eof() {
                            if let Operator::RefFunc { function_index } = ops.read()? {
                                functions.push(function_index);
                            }
                        }
                    }
                    // Slots are known only when every item is a function.
                    if items != functions.len() {
                        offset = None;
                    }
                }
            }
            self.index.elements.push(ElementSegment {
                index: i as u32,
                range: to_usize(element.range),
                mode,
                table,
                offset,
                functions,
            });
        }
        Ok(())
    }

    fn data(&mut self, reader: DataSectionReader<'_>) -> Result<(), DecodeError> {
        for (i, data) in reader.into_iter().enumerate() {
            let data = data?;
            self.index.data.push(DataSegment {
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
        Ok(())
    }

    fn body(&mut self, body: &FunctionBody<'_>) {
        let slot = self.index.imported_functions() as usize + self.bodies_seen;
        self.bodies_seen += 1;
        // A body without a declared function is for the validator to
        // report; the index keeps what it can name.
        if let Some(f) = self.index.functions.get_mut(slot) {
            f.body = Some(to_usize(body.range()));
        }
    }

    fn custom(&mut self, at: usize, custom: &CustomSectionReader<'_>) {
        let index = &mut self.index;
        index.customs.push(CustomSection {
            name: custom.name().to_string(),
            data: to_usize(custom.data_offset()..custom.range().end),
            section: at..to_usize(custom.range()).end,
        });
        match custom.as_known() {
            KnownCustom::Name(reader) => self.names.read(reader),
            KnownCustom::Producers(reader) => index.producers.extend(producers(reader)),
            _ if custom.name() == "target_features" => {
                index.target_features =
                    target_features(custom.data(), custom.data_offset() as usize);
            }
            _ => {}
        }
    }

    /// A core module inside a component, indexed on its own.
    fn nested_module(&mut self, at: usize, range: Range<u64>) -> Result<(), DecodeError> {
        let range = to_usize(range);
        let nested = range
            .start
            .checked_sub(self.offset)
            .zip(range.end.checked_sub(self.offset))
            .and_then(|(start, end)| self.bytes.get(start..end))
            .ok_or_else(|| DecodeError::new(at, "nested module out of bounds"))?;
        self.index.nested.push(build_at(nested, range.start)?);
        Ok(())
    }

    fn component_imports(
        &mut self,
        reader: ComponentImportSectionReader<'_>,
    ) -> Result<(), DecodeError> {
        for import in reader {
            let import = import?;
            self.index.component_imports.push(ComponentItem {
                name: import.name.name.to_string(),
                kind: component_type_kind(&import.ty),
            });
        }
        Ok(())
    }

    fn component_exports(
        &mut self,
        reader: ComponentExportSectionReader<'_>,
    ) -> Result<(), DecodeError> {
        for export in reader {
            let export = export?;
            self.index.component_exports.push(ComponentItem {
                name: export.name.name.to_string(),
                kind: component_kind(export.kind),
            });
        }
        Ok(())
    }

    /// What can only be done once every payload is read: function types,
    /// names (the name section comes last) and the types of exports.
    fn finish(self) -> ModuleIndex {
        let mut index = self.index;
        for (f, ty) in index.functions.iter_mut().zip(self.func_types) {
            f.type_index = ty;
        }
        self.names.apply(&mut index);
        let types: Vec<String> = index
            .exports
            .iter()
            .map(|e| index.export_type(e.kind, e.index))
            .collect();
        for (export, ty) in index.exports.iter_mut().zip(types) {
            export.ty = ty;
        }
        index
    }
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

fn component_kind(kind: ComponentExternalKind) -> ComponentKind {
    match kind {
        ComponentExternalKind::Module => ComponentKind::Module,
        ComponentExternalKind::Func => ComponentKind::Func,
        ComponentExternalKind::Value => ComponentKind::Value,
        ComponentExternalKind::Type => ComponentKind::Type,
        ComponentExternalKind::Instance => ComponentKind::Instance,
        ComponentExternalKind::Component => ComponentKind::Component,
    }
}

fn component_type_kind(ty: &ComponentTypeRef) -> ComponentKind {
    match ty {
        ComponentTypeRef::Module(_) => ComponentKind::Module,
        ComponentTypeRef::Func(_) => ComponentKind::Func,
        ComponentTypeRef::Value(_) => ComponentKind::Value,
        ComponentTypeRef::Type(_) => ComponentKind::Type,
        ComponentTypeRef::Instance(_) => ComponentKind::Instance,
        ComponentTypeRef::Component(_) => ComponentKind::Component,
    }
}

/// The value of a constant offset expression (`i32.const N` or `i64.const
/// N`); none for one that reads a global.
fn constant(expr: &wasmparser::ConstExpr<'_>) -> Option<u64> {
    let mut ops = expr.get_operators_reader();
    let value = match ops.read().ok()? {
        Operator::I32Const { value } => u64::from(value as u32),
        Operator::I64Const { value } => value as u64,
        _ => return None,
    };
    matches!(ops.read().ok()?, Operator::End).then_some(value)
}
