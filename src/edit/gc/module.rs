//! The parts of a core module gc reads: what can be removed, what refers to
//! it, and the function names its report uses.

use std::collections::HashMap;

use wasmparser::{
    Data, Element, Export, FunctionBody, Global, Import, Parser, Payload, Table, TypeRef,
};

use crate::error::{DecodeError, Error, Result};

/// The parts of a module that gc looks at.
#[derive(Default)]
pub(super) struct Module<'a> {
    pub(super) imports: Vec<Import<'a>>,
    /// For each function: `Some(import position)` or `None` (defined).
    pub(super) func_import: Vec<Option<usize>>,
    pub(super) global_import: Vec<Option<usize>>,
    pub(super) table_import: Vec<Option<usize>>,
    pub(super) func_types: Vec<u32>,
    pub(super) tables: Vec<Table<'a>>,
    pub(super) globals: Vec<Global<'a>>,
    pub(super) exports: Vec<Export<'a>>,
    pub(super) start: Option<u32>,
    pub(super) elements: Vec<Element<'a>>,
    pub(super) data: Vec<Data<'a>>,
    pub(super) bodies: Vec<FunctionBody<'a>>,
    pub(super) names: HashMap<u32, String>,
    /// How many functions, globals and tables are imported (they come first
    /// in their index spaces).
    pub(super) imported_funcs: usize,
    pub(super) imported_globals: usize,
    pub(super) imported_tables: usize,
}

impl<'a> Module<'a> {
    /// Reads the sections gc looks at.
    pub(super) fn read(bytes: &'a [u8]) -> Result<Module<'a>, DecodeError> {
        let mut m = Module::default();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        let at = Some(m.imports.len());
                        match import.ty {
                            TypeRef::Func(_) | TypeRef::FuncExact(_) => m.func_import.push(at),
                            TypeRef::Global(_) => m.global_import.push(at),
                            TypeRef::Table(_) => m.table_import.push(at),
                            _ => {}
                        }
                        m.imports.push(import);
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        m.func_types.push(ty?);
                        m.func_import.push(None);
                    }
                }
                Payload::TableSection(reader) => {
                    for t in reader {
                        m.tables.push(t?);
                        m.table_import.push(None);
                    }
                }
                Payload::GlobalSection(reader) => {
                    for g in reader {
                        m.globals.push(g?);
                        m.global_import.push(None);
                    }
                }
                Payload::ExportSection(reader) => {
                    for e in reader {
                        m.exports.push(e?);
                    }
                }
                Payload::StartSection { func, .. } => m.start = Some(func),
                Payload::ElementSection(reader) => {
                    for e in reader {
                        m.elements.push(e?);
                    }
                }
                Payload::DataSection(reader) => {
                    for d in reader {
                        m.data.push(d?);
                    }
                }
                Payload::CodeSectionEntry(body) => m.bodies.push(body),
                Payload::CustomSection(reader) if reader.name() == "name" => {
                    if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                        for sub in names.into_iter().flatten() {
                            if let wasmparser::Name::Function(map) = sub {
                                for naming in map.into_iter().flatten() {
                                    m.names.insert(naming.index, naming.name.to_string());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let imported = |list: &[Option<usize>]| list.iter().filter(|i| i.is_some()).count();
        m.imported_funcs = imported(&m.func_import);
        m.imported_globals = imported(&m.global_import);
        m.imported_tables = imported(&m.table_import);
        Ok(m)
    }

    /// Refuses a module whose function and code sections disagree: every
    /// defined function is paired with its body.
    pub(super) fn check_bodies(&self, name: &str) -> Result<()> {
        if self.bodies.len() != self.func_types.len() {
            return Err(Error::Other(format!(
                "{name}: the function and code sections disagree ({} functions, {} bodies)",
                self.func_types.len(),
                self.bodies.len()
            )));
        }
        Ok(())
    }

    /// A function as the report names it: `module::name` for an import,
    /// else its name, else `#index`.
    pub(super) fn function_label(&self, f: u32) -> String {
        if let Some(import) = self
            .func_import
            .get(f as usize)
            .copied()
            .flatten()
            .and_then(|i| self.imports.get(i))
        {
            return format!("{}::{}", import.module, import.name);
        }
        self.names
            .get(&f)
            .cloned()
            .unwrap_or_else(|| format!("#{f}"))
    }
}
