//! What gc keeps: the roots, then everything a kept item refers to. The
//! references are found by running wasm-encoder's re-encoder over each kept
//! item with hooks that record every index it meets, so no kind of
//! instruction is missed.

use std::convert::Infallible;

use wasm_encoder::reencode::{Error as ReencodeError, Reencode, utils};
use wasmparser::{Data, DataKind, ElementItems, ElementKind, Export, ExternalKind, TableInit};

use super::GcOptions;
use super::module::Module;
use crate::error::{DecodeError, Error, Result};
use crate::print::FunctionSelector;

/// The index kinds gc follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Func(u32),
    Global(u32),
    Table(u32),
    Elem(u32),
    Data(u32),
}

/// A re-encoder that renumbers nothing and records every index it meets.
#[derive(Default)]
pub(super) struct Recorder {
    pub(super) found: Vec<Item>,
    /// Functions named by `ref.func` in code, which must stay declared.
    pub(super) ref_funcs: Vec<u32>,
}

impl Reencode for Recorder {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError> {
        self.found.push(Item::Func(func));
        Ok(func)
    }
    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError> {
        self.found.push(Item::Global(global));
        Ok(global)
    }
    fn table_index(&mut self, table: u32) -> Result<u32, ReencodeError> {
        self.found.push(Item::Table(table));
        Ok(table)
    }
    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError> {
        self.found.push(Item::Elem(element));
        Ok(element)
    }
    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError> {
        self.found.push(Item::Data(data));
        Ok(data)
    }
    fn parse_instruction<'a>(
        &mut self,
        reader: &mut wasmparser::OperatorsReader<'a>,
    ) -> Result<wasm_encoder::Instruction<'a>, ReencodeError> {
        let instruction = utils::parse_instruction(self, reader)?;
        if let wasm_encoder::Instruction::RefFunc(f) = instruction {
            self.ref_funcs.push(f);
        }
        Ok(instruction)
    }
}

impl Recorder {
    /// Records the functions an element segment lists, or what its
    /// expressions refer to.
    pub(super) fn items(&mut self, items: &ElementItems<'_>) -> Result<(), DecodeError> {
        match items.clone() {
            ElementItems::Functions(funcs) => {
                for f in funcs {
                    self.found.push(Item::Func(f?));
                }
            }
            ElementItems::Expressions(_, exprs) => {
                for e in exprs {
                    self.const_expr(e?).map_err(decode)?;
                }
            }
        }
        Ok(())
    }

    /// The functions recorded so far.
    pub(super) fn functions(&self) -> impl Iterator<Item = u32> + '_ {
        self.found.iter().filter_map(|i| match i {
            Item::Func(f) => Some(*f),
            _ => None,
        })
    }
}

/// Which items are kept, per index space.
pub(super) struct Live {
    pub(super) func: Vec<bool>,
    pub(super) global: Vec<bool>,
    pub(super) table: Vec<bool>,
    pub(super) elem: Vec<bool>,
    pub(super) data: Vec<bool>,
}

impl Live {
    /// Nothing kept yet.
    fn none(m: &Module<'_>) -> Live {
        Live {
            func: vec![false; m.func_import.len()],
            global: vec![false; m.global_import.len()],
            table: vec![false; m.table_import.len()],
            elem: vec![false; m.elements.len()],
            data: vec![false; m.data.len()],
        }
    }

    /// Marks `item` kept; false when it already was or does not exist.
    fn keep(&mut self, item: Item) -> bool {
        let seen = match item {
            Item::Func(i) => self.func.get_mut(i as usize),
            Item::Global(i) => self.global.get_mut(i as usize),
            Item::Table(i) => self.table.get_mut(i as usize),
            Item::Elem(i) => self.elem.get_mut(i as usize),
            Item::Data(i) => self.data.get_mut(i as usize),
        };
        match seen {
            Some(s) if !*s => {
                *s = true;
                true
            }
            _ => false,
        }
    }
}

pub(super) fn decode(e: ReencodeError) -> DecodeError {
    match e {
        ReencodeError::ParseError(e) => e.into(),
        other => DecodeError::new(0, format!("{other:?}")),
    }
}

/// Which exports stay: all of them, or with `--keep-export` only the named
/// function exports (and every export of another kind).
pub(super) struct KeptExports<'o> {
    keep: &'o [String],
}

impl<'o> KeptExports<'o> {
    /// Checks that every export to keep is a function export of `m`.
    pub(super) fn new(m: &Module<'_>, opts: &'o GcOptions, name: &str) -> Result<KeptExports<'o>> {
        for keep in &opts.keep_exports {
            if !m.exports.iter().any(|e| e.name == keep && is_function(e)) {
                return Err(Error::Other(format!(
                    "{name}: no function export named `{keep}`"
                )));
            }
        }
        Ok(KeptExports {
            keep: &opts.keep_exports,
        })
    }

    /// Whether the export `e` stays.
    pub(super) fn kept(&self, e: &Export<'_>) -> bool {
        self.keep.is_empty() || !is_function(e) || self.keep.iter().any(|k| k == e.name)
    }
}

/// Whether `e` exports a function.
pub(super) fn is_function(e: &Export<'_>) -> bool {
    matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact)
}

/// Where marking starts: the kept exports, the start function, the user's
/// roots, and what instantiation itself uses.
pub(super) fn roots(
    m: &Module<'_>,
    exports: &KeptExports<'_>,
    opts: &GcOptions,
    name: &str,
) -> Result<Vec<Item>> {
    let mut roots = Vec::new();
    for e in m.exports.iter().filter(|e| exports.kept(e)) {
        roots.push(match e.kind {
            ExternalKind::Func | ExternalKind::FuncExact => Item::Func(e.index),
            ExternalKind::Global => Item::Global(e.index),
            ExternalKind::Table => Item::Table(e.index),
            ExternalKind::Memory | ExternalKind::Tag => continue,
        });
    }
    roots.extend(m.start.map(Item::Func));
    for root in &opts.roots {
        roots.push(Item::Func(user_root(m, root, name)?));
    }
    // Tables the host shares in are written to from outside.
    for (t, import) in m.table_import.iter().enumerate() {
        if import.is_some() {
            roots.push(Item::Table(t as u32));
        }
    }
    // Active data initialises memory, which always stays.
    for (d, data) in m.data.iter().enumerate() {
        if matches!(data.kind, DataKind::Active { .. }) {
            roots.push(Item::Data(d as u32));
        }
    }
    // Declarative segments written as expressions are kept whole; those
    // listing functions are cut down to what is used afterwards.
    for (e, element) in m.elements.iter().enumerate() {
        if matches!(element.kind, ElementKind::Declared)
            && matches!(element.items, ElementItems::Expressions(..))
        {
            roots.push(Item::Elem(e as u32));
        }
    }
    Ok(roots)
}

/// The function a `--root` names.
fn user_root(m: &Module<'_>, root: &FunctionSelector, name: &str) -> Result<u32> {
    match root {
        FunctionSelector::Index(i) if (*i as usize) < m.func_import.len() => Ok(*i),
        FunctionSelector::Index(i) => Err(Error::Other(format!(
            "{name}: no function {i} (the module has {})",
            m.func_import.len()
        ))),
        FunctionSelector::Name(n) => {
            let found = m.names.iter().find(|(_, v)| *v == n).map(|(k, _)| *k);
            found.ok_or_else(|| Error::Other(format!("{name}: no function named `{n}`")))
        }
    }
}

/// Keeps `roots` and everything they reach. Also returns the functions code
/// names with `ref.func`.
pub(super) fn mark(m: &Module<'_>, roots: Vec<Item>) -> Result<(Live, Vec<u32>), DecodeError> {
    let mut live = Live::none(m);
    let mut rec = Recorder {
        found: roots,
        ref_funcs: Vec::new(),
    };
    while let Some(item) = rec.found.pop() {
        if live.keep(item) {
            follow(m, item, &mut rec)?;
        }
    }
    Ok((live, rec.ref_funcs))
}

/// Records what the newly kept `item` refers to.
fn follow(m: &Module<'_>, item: Item, rec: &mut Recorder) -> Result<(), DecodeError> {
    match item {
        Item::Func(f) => {
            if let Some(body) = (f as usize)
                .checked_sub(m.imported_funcs)
                .and_then(|i| m.bodies.get(i))
            {
                let mut scratch = wasm_encoder::CodeSection::new();
                rec.parse_function_body(&mut scratch, body.clone())
                    .map_err(decode)?;
            }
        }
        Item::Global(g) => {
            if let Some(global) = (g as usize)
                .checked_sub(m.imported_globals)
                .and_then(|i| m.globals.get(i))
            {
                rec.const_expr(global.init_expr.clone()).map_err(decode)?;
            }
        }
        Item::Table(t) => {
            if let Some(table) = (t as usize)
                .checked_sub(m.imported_tables)
                .and_then(|i| m.tables.get(i))
                && let TableInit::Expr(e) = &table.init
            {
                rec.const_expr(e.clone()).map_err(decode)?;
            }
            // What instantiation writes into a kept table stays.
            for (i, e) in m.elements.iter().enumerate() {
                if let ElementKind::Active { table_index, .. } = &e.kind
                    && table_index.unwrap_or(0) == t
                {
                    rec.found.push(Item::Elem(i as u32));
                }
            }
        }
        Item::Elem(e) => {
            if let Some(element) = m.elements.get(e as usize) {
                if let ElementKind::Active {
                    table_index,
                    offset_expr,
                } = &element.kind
                {
                    rec.found.push(Item::Table(table_index.unwrap_or(0)));
                    rec.const_expr(offset_expr.clone()).map_err(decode)?;
                }
                rec.items(&element.items)?;
            }
        }
        Item::Data(d) => {
            if let Some(Data {
                kind: DataKind::Active { offset_expr, .. },
                ..
            }) = m.data.get(d as usize)
            {
                rec.const_expr(offset_expr.clone()).map_err(decode)?;
            }
        }
    }
    Ok(())
}
