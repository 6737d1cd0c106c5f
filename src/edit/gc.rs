//! `gc`: removing what nothing reachable uses. Functions (imported ones
//! too), globals, tables, element and data segments are kept only when the
//! roots reach them: the exports, the start function, the user's extra
//! roots, and what instantiation itself does (active data segments; active
//! element segments of a table that is kept). Every index is then
//! renumbered, in the code, the other sections and the name section.
//!
//! Reachability is found by running wasm-encoder's re-encoder over each kept
//! item with hooks that record every index it meets, so no kind of
//! instruction is missed; the same re-encoder, with hooks that renumber,
//! writes the result.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;

use wasm_encoder::reencode::{Error as ReencodeError, Reencode, RoundtripReencoder, utils};
use wasmparser::{
    BinaryReader, Data, DataKind, Element, ElementItems, ElementKind, Export, ExternalKind,
    FunctionBody, Global, Import, Parser, Payload, Table, TableInit, TypeRef,
};

use super::{Change, Edit, Layout, Piece, assemble, core_module_only, custom_content, encoded};
use crate::error::{DecodeError, Error, Result};
use crate::print::FunctionSelector;

/// Extra roots and which exports to keep.
#[derive(Debug, Clone, Default)]
pub struct GcOptions {
    /// When not empty, only these function exports are kept (and are the
    /// roots); other function exports are removed. Exports of memories,
    /// tables, globals and tags always stay.
    pub keep_exports: Vec<String>,
    /// Functions kept (with what they use) even when nothing reaches them.
    pub roots: Vec<FunctionSelector>,
}

/// The parts of a module that gc looks at.
#[derive(Default)]
struct Module<'a> {
    imports: Vec<Import<'a>>,
    /// For each function: `Some(import position)` or `None` (defined).
    func_import: Vec<Option<usize>>,
    global_import: Vec<Option<usize>>,
    table_import: Vec<Option<usize>>,
    func_types: Vec<u32>,
    tables: Vec<Table<'a>>,
    globals: Vec<Global<'a>>,
    exports: Vec<Export<'a>>,
    start: Option<u32>,
    elements: Vec<Element<'a>>,
    data: Vec<Data<'a>>,
    bodies: Vec<FunctionBody<'a>>,
    names: HashMap<u32, String>,
}

impl<'a> Module<'a> {
    fn read(bytes: &'a [u8]) -> Result<Module<'a>, DecodeError> {
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
        Ok(m)
    }

    fn imported_functions(&self) -> usize {
        self.func_import.iter().filter(|i| i.is_some()).count()
    }

    fn imported(&self, list: &[Option<usize>]) -> usize {
        list.iter().filter(|i| i.is_some()).count()
    }

    fn function_label(&self, f: u32) -> String {
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

/// The index kinds gc follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Func(u32),
    Global(u32),
    Table(u32),
    Elem(u32),
    Data(u32),
}

/// A re-encoder that renumbers nothing and records every index it meets.
#[derive(Default)]
struct Recorder {
    found: Vec<Item>,
    /// Functions named by `ref.func` in code, which must stay declared.
    ref_funcs: Vec<u32>,
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

/// Which items are kept.
struct Live {
    func: Vec<bool>,
    global: Vec<bool>,
    table: Vec<bool>,
    elem: Vec<bool>,
    data: Vec<bool>,
}

fn decode(e: ReencodeError) -> DecodeError {
    match e {
        ReencodeError::ParseError(e) => e.into(),
        other => DecodeError::new(0, format!("{other:?}")),
    }
}

fn mark(m: &Module<'_>, roots: Vec<Item>) -> Result<(Live, Vec<u32>), DecodeError> {
    let mut live = Live {
        func: vec![false; m.func_import.len()],
        global: vec![false; m.global_import.len()],
        table: vec![false; m.table_import.len()],
        elem: vec![false; m.elements.len()],
        data: vec![false; m.data.len()],
    };
    let mut rec = Recorder {
        found: roots,
        ref_funcs: Vec::new(),
    };
    let imported_funcs = m.imported_functions();
    let imported_globals = m.imported(&m.global_import);
    let imported_tables = m.imported(&m.table_import);
    let mut scratch = wasm_encoder::CodeSection::new();
    while let Some(item) = rec.found.pop() {
        let seen = match item {
            Item::Func(i) => live.func.get_mut(i as usize),
            Item::Global(i) => live.global.get_mut(i as usize),
            Item::Table(i) => live.table.get_mut(i as usize),
            Item::Elem(i) => live.elem.get_mut(i as usize),
            Item::Data(i) => live.data.get_mut(i as usize),
        };
        match seen {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match item {
            Item::Func(f) => {
                if let Some(body) = (f as usize)
                    .checked_sub(imported_funcs)
                    .and_then(|i| m.bodies.get(i))
                {
                    rec.parse_function_body(&mut scratch, body.clone())
                        .map_err(decode)?;
                    scratch = wasm_encoder::CodeSection::new();
                }
            }
            Item::Global(g) => {
                if let Some(global) = (g as usize)
                    .checked_sub(imported_globals)
                    .and_then(|i| m.globals.get(i))
                {
                    rec.const_expr(global.init_expr.clone()).map_err(decode)?;
                }
            }
            Item::Table(t) => {
                if let Some(table) = (t as usize)
                    .checked_sub(imported_tables)
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
                    record_items(&mut rec, &element.items)?;
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
    }
    Ok((live, rec.ref_funcs))
}

fn record_items(rec: &mut Recorder, items: &ElementItems<'_>) -> Result<(), DecodeError> {
    match items.clone() {
        ElementItems::Functions(funcs) => {
            for f in funcs {
                rec.found.push(Item::Func(f?));
            }
        }
        ElementItems::Expressions(_, exprs) => {
            for e in exprs {
                rec.const_expr(e?).map_err(decode)?;
            }
        }
    }
    Ok(())
}

/// Old index to new, for each kind; `None` for a removed item.
struct Maps {
    func: Vec<Option<u32>>,
    global: Vec<Option<u32>>,
    table: Vec<Option<u32>>,
    elem: Vec<Option<u32>>,
    data: Vec<Option<u32>>,
}

fn renumber(keep: &[bool]) -> Vec<Option<u32>> {
    let mut next = 0u32;
    keep.iter()
        .map(|&k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// A re-encoder that renumbers by [`Maps`].
struct Renumber<'m>(&'m Maps);

fn lookup(map: &[Option<u32>], i: u32, what: &str) -> Result<u32, ReencodeError<String>> {
    map.get(i as usize).copied().flatten().ok_or_else(|| {
        ReencodeError::UserError(format!("{what} {i} was removed but is still used"))
    })
}

impl Reencode for Renumber<'_> {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.func, func, "function")
    }
    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.global, global, "global")
    }
    fn table_index(&mut self, table: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.table, table, "table")
    }
    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.elem, element, "element segment")
    }
    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.data, data, "data segment")
    }
}

fn encode_error(name: &str, e: ReencodeError<String>) -> Error {
    let message = match e {
        ReencodeError::ParseError(e) => return DecodeError::from(e).in_file(name),
        ReencodeError::UserError(s) => s,
        other => format!("{other:?}"),
    };
    Error::Other(format!("{name}: cannot rewrite the module: {message}"))
}

/// Custom sections that describe code by offset or index in ways gc does
/// not renumber: dropped from the result (it says so).
fn describes_code(name: &str) -> bool {
    super::strip::is_debug_info(name) || name.starts_with("metadata.code.")
}

/// Removes what nothing reachable uses from the core module `bytes`.
pub fn gc(bytes: &[u8], name: &str, opts: &GcOptions) -> Result<Edit> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    core_module_only(&layout, name, "gc")?;
    if layout.is_object_file() {
        return Err(Error::Other(format!(
            "{name}: is a relocatable object file (it has a `linking` section); gc works on linked modules"
        )));
    }
    let m = Module::read(bytes).map_err(|e| e.in_file(name))?;
    if m.bodies.len() != m.func_types.len() {
        return Err(Error::Other(format!(
            "{name}: the function and code sections disagree ({} functions, {} bodies)",
            m.func_types.len(),
            m.bodies.len()
        )));
    }

    // Roots.
    for keep in &opts.keep_exports {
        if !m.exports.iter().any(|e| {
            e.name == keep && matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact)
        }) {
            return Err(Error::Other(format!(
                "{name}: no function export named `{keep}`"
            )));
        }
    }
    let export_kept = |e: &Export<'_>| {
        opts.keep_exports.is_empty()
            || !matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact)
            || opts.keep_exports.iter().any(|k| k == e.name)
    };
    let mut roots = Vec::new();
    for e in m.exports.iter().filter(|e| export_kept(e)) {
        roots.push(match e.kind {
            ExternalKind::Func | ExternalKind::FuncExact => Item::Func(e.index),
            ExternalKind::Global => Item::Global(e.index),
            ExternalKind::Table => Item::Table(e.index),
            ExternalKind::Memory | ExternalKind::Tag => continue,
        });
    }
    roots.extend(m.start.map(Item::Func));
    for root in &opts.roots {
        let f = match root {
            FunctionSelector::Index(i) if (*i as usize) < m.func_import.len() => *i,
            FunctionSelector::Index(i) => {
                return Err(Error::Other(format!(
                    "{name}: no function {i} (the module has {})",
                    m.func_import.len()
                )));
            }
            FunctionSelector::Name(n) => {
                let found = m.names.iter().find(|(_, v)| *v == n).map(|(k, _)| *k);
                found.ok_or_else(|| Error::Other(format!("{name}: no function named `{n}`")))?
            }
        };
        roots.push(Item::Func(f));
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
    // listing functions are cut down to what is used below.
    for (e, element) in m.elements.iter().enumerate() {
        if matches!(element.kind, ElementKind::Declared)
            && matches!(element.items, ElementItems::Expressions(..))
        {
            roots.push(Item::Elem(e as u32));
        }
    }
    let (mut live, ref_funcs) = mark(&m, roots).map_err(|e| e.in_file(name))?;

    // Declarative segments of functions: keep the functions code names with
    // `ref.func`.
    let referenced: BTreeSet<u32> = ref_funcs.into_iter().collect();
    let mut declared: Vec<Option<Vec<u32>>> = vec![None; m.elements.len()];
    for ((element, kept), slot) in m.elements.iter().zip(&mut live.elem).zip(&mut declared) {
        if let (ElementKind::Declared, ElementItems::Functions(funcs)) =
            (&element.kind, &element.items)
        {
            let funcs: Vec<u32> = funcs
                .clone()
                .into_iter()
                .collect::<wasmparser::Result<_>>()
                .map_err(|e| DecodeError::from(e).in_file(name))?;
            let used: Vec<u32> = funcs
                .into_iter()
                .filter(|f| referenced.contains(f))
                .collect();
            if !used.is_empty() {
                *kept = true;
            }
            *slot = Some(used);
        }
    }

    // Functions the code names with `ref.func` must stay declared: by a kept
    // element segment, an export, or a kept global's or table's initialiser.
    // Those whose only declaration goes get a declarative segment of their
    // own.
    let undeclared = {
        let mut rec = Recorder::default();
        for ((element, kept), listed) in m.elements.iter().zip(&live.elem).zip(&declared) {
            if !kept {
                continue;
            }
            match listed {
                Some(funcs) => rec.found.extend(funcs.iter().map(|f| Item::Func(*f))),
                None => record_items(&mut rec, &element.items).map_err(|e| e.in_file(name))?,
            }
        }
        for e in m.exports.iter().filter(|e| export_kept(e)) {
            if matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact) {
                rec.found.push(Item::Func(e.index));
            }
        }
        let imported_globals = m.imported(&m.global_import);
        let defined = live.global.iter().skip(imported_globals);
        for (global, kept) in m.globals.iter().zip(defined) {
            if *kept {
                rec.const_expr(global.init_expr.clone())
                    .map_err(|e| decode(e).in_file(name))?;
            }
        }
        let imported_tables = m.imported(&m.table_import);
        let defined = live.table.iter().skip(imported_tables);
        for (table, kept) in m.tables.iter().zip(defined) {
            if *kept && let TableInit::Expr(e) = &table.init {
                rec.const_expr(e.clone())
                    .map_err(|e| decode(e).in_file(name))?;
            }
        }
        let still: BTreeSet<u32> = rec
            .found
            .iter()
            .filter_map(|i| match i {
                Item::Func(f) => Some(*f),
                _ => None,
            })
            .collect();
        referenced.difference(&still).copied().collect::<Vec<u32>>()
    };

    let maps = Maps {
        func: renumber(&live.func),
        global: renumber(&live.global),
        table: renumber(&live.table),
        elem: renumber(&live.elem),
        data: renumber(&live.data),
    };
    // With nothing but exports removed, every index stays: only the export
    // section changes and the rest is copied as it is.
    let untouched = |keep: &[bool]| keep.iter().all(|k| *k);
    let declared_whole = m
        .elements
        .iter()
        .zip(&declared)
        .all(|(e, d)| match (d, &e.items) {
            (Some(kept), ElementItems::Functions(all)) => kept.len() as u32 == all.count(),
            _ => true,
        });
    let identity = untouched(&live.func)
        && untouched(&live.global)
        && untouched(&live.table)
        && untouched(&live.elem)
        && untouched(&live.data)
        && declared_whole
        && undeclared.is_empty();
    let mut edit = Edit::default();
    report(&m, &live, &layout, identity, &export_kept, &mut edit);

    // Write the sections.
    let err = |e| encode_error(name, e);
    let mut re = Renumber(&maps);
    let imported_funcs = m.imported_functions();
    let imported_globals = m.imported(&m.global_import);
    let imported_tables = m.imported(&m.table_import);
    let mut pieces = Vec::with_capacity(layout.sections.len() + 1);
    let declare = |re: &mut Renumber<'_>, s: &mut wasm_encoder::ElementSection| {
        let funcs = undeclared
            .iter()
            .map(|f| re.function_index(*f))
            .collect::<Result<Vec<u32>, _>>()
            .map_err(err)?;
        s.declared(wasm_encoder::Elements::Functions(funcs.into()));
        Ok::<_, Error>(())
    };
    // Where there is no element section, one is made for the declarations,
    // before the data count, code and data sections.
    let mut need_elements = !undeclared.is_empty() && !layout.sections.iter().any(|s| s.id == 9);
    for (i, section) in layout.sections.iter().enumerate() {
        if identity && section.id != 7 {
            pieces.push(Piece::Keep(i));
            continue;
        }
        if need_elements && matches!(section.id, 10..=12) {
            let mut s = wasm_encoder::ElementSection::new();
            declare(&mut re, &mut s)?;
            pieces.push(encoded(&s));
            need_elements = false;
        }
        let piece = match section.id {
            0 => {
                let custom = section.custom_name().unwrap_or_default();
                if describes_code(custom) {
                    continue;
                }
                if custom == "name" {
                    Piece::New(
                        0,
                        custom_content("name", &names(section.data(bytes), &maps)),
                    )
                } else {
                    Piece::Keep(i)
                }
            }
            2 => {
                let mut s = wasm_encoder::ImportSection::new();
                let kept = |import: usize| {
                    let position = |list: &[Option<usize>], keep: &[bool]| {
                        list.iter()
                            .position(|p| *p == Some(import))
                            .map(|at| keep.get(at).copied().unwrap_or(true))
                    };
                    position(&m.func_import, &live.func)
                        .or_else(|| position(&m.global_import, &live.global))
                        .or_else(|| position(&m.table_import, &live.table))
                        .unwrap_or(true)
                };
                let mut any = false;
                for (at, import) in m.imports.iter().enumerate() {
                    if kept(at) {
                        any = true;
                        utils::parse_import(&mut re, &mut s, *import).map_err(err)?;
                    }
                }
                if !any {
                    continue;
                }
                encoded(&s)
            }
            3 => {
                let mut s = wasm_encoder::FunctionSection::new();
                let defined = live.func.iter().skip(imported_funcs);
                for (ty, kept) in m.func_types.iter().zip(defined) {
                    if *kept {
                        s.function(*ty);
                    }
                }
                encoded(&s)
            }
            4 => {
                let mut s = wasm_encoder::TableSection::new();
                let defined = live.table.iter().skip(imported_tables);
                for (table, kept) in m.tables.iter().zip(defined) {
                    if *kept {
                        re.parse_table(&mut s, table.clone()).map_err(err)?;
                    }
                }
                if s.is_empty() {
                    continue;
                }
                encoded(&s)
            }
            6 => {
                let mut s = wasm_encoder::GlobalSection::new();
                let defined = live.global.iter().skip(imported_globals);
                for (global, kept) in m.globals.iter().zip(defined) {
                    if *kept {
                        re.parse_global(&mut s, global.clone()).map_err(err)?;
                    }
                }
                if s.is_empty() {
                    continue;
                }
                encoded(&s)
            }
            7 => {
                let mut s = wasm_encoder::ExportSection::new();
                for e in m.exports.iter().filter(|e| export_kept(e)) {
                    let kind = RoundtripReencoder.export_kind(e.kind).map_err(|_| {
                        Error::Other(format!("{name}: export `{}` has an unknown kind", e.name))
                    })?;
                    let index = re.external_index(e.kind, e.index).map_err(err)?;
                    s.export(e.name, kind, index);
                }
                if s.is_empty() {
                    continue;
                }
                encoded(&s)
            }
            8 => match m.start {
                Some(f) => encoded(&wasm_encoder::StartSection {
                    function_index: re.function_index(f).map_err(err)?,
                }),
                None => Piece::Keep(i),
            },
            9 => {
                let mut s = wasm_encoder::ElementSection::new();
                for ((element, kept), listed) in m.elements.iter().zip(&live.elem).zip(&declared) {
                    if !kept {
                        continue;
                    }
                    match listed {
                        Some(funcs) => {
                            let funcs = funcs
                                .iter()
                                .map(|f| re.function_index(*f))
                                .collect::<Result<Vec<u32>, _>>()
                                .map_err(err)?;
                            s.declared(wasm_encoder::Elements::Functions(funcs.into()));
                        }
                        None => re.parse_element(&mut s, element.clone()).map_err(err)?,
                    }
                }
                if !undeclared.is_empty() {
                    declare(&mut re, &mut s)?;
                }
                if s.is_empty() {
                    continue;
                }
                encoded(&s)
            }
            12 => encoded(&wasm_encoder::DataCountSection {
                count: live.data.iter().filter(|k| **k).count() as u32,
            }),
            10 => {
                let mut s = wasm_encoder::CodeSection::new();
                let defined = live.func.iter().skip(imported_funcs);
                for (body, kept) in m.bodies.iter().zip(defined) {
                    if *kept {
                        re.parse_function_body(&mut s, body.clone()).map_err(err)?;
                    }
                }
                encoded(&s)
            }
            11 => {
                let mut s = wasm_encoder::DataSection::new();
                for (data, kept) in m.data.iter().zip(&live.data) {
                    if *kept {
                        re.parse_data(&mut s, data.clone()).map_err(err)?;
                    }
                }
                encoded(&s)
            }
            _ => Piece::Keep(i),
        };
        pieces.push(piece);
    }
    edit.bytes = if edit.changes.is_empty() {
        bytes.to_vec()
    } else {
        assemble(bytes, &layout, &pieces)
    };
    if !identity && let Some(note) = shorter_numbers_note(&layout, &edit) {
        edit.notes.push(note);
    }
    Ok(edit)
}

/// How much of the saving comes from re-encoding the code, whose numbers
/// linkers often write padded to five bytes: the new code section against
/// the old one less the removed bodies.
fn shorter_numbers_note(layout: &Layout, edit: &Edit) -> Option<String> {
    let code = |l: &Layout| l.sections.iter().find(|s| s.id == 10).map(|s| s.full.len());
    let old = code(layout)?;
    let new = code(&Layout::read(&edit.bytes).ok()?)?;
    let removed: usize = edit
        .changes
        .iter()
        .filter(|c| c.kind == "function")
        .filter_map(|c| c.size)
        .sum();
    let shorter = old.saturating_sub(removed).saturating_sub(new);
    (shorter > 0).then(|| {
        format!(
            "the code was re-encoded with the shortest number encodings: {shorter} bytes of the saving come from that"
        )
    })
}

/// Lists what goes, largest first within each kind.
fn report(
    m: &Module<'_>,
    live: &Live,
    layout: &Layout,
    identity: bool,
    export_kept: &dyn Fn(&Export<'_>) -> bool,
    edit: &mut Edit,
) {
    let imported_funcs = m.imported_functions();
    for e in m.exports.iter().filter(|e| !export_kept(e)) {
        edit.changes
            .push(Change::new("remove", "function export", e.name));
    }
    let mut funcs: Vec<Change> = Vec::new();
    for (f, keep) in live.func.iter().enumerate() {
        if *keep {
            continue;
        }
        let label = m.function_label(f as u32);
        let change = match f.checked_sub(imported_funcs).and_then(|d| m.bodies.get(d)) {
            Some(body) => Change::new("remove", "function", label)
                .size((body.range().end - body.range().start) as usize),
            None => Change::new("remove", "function import", label),
        };
        funcs.push(change);
    }
    funcs.sort_by_key(|c| std::cmp::Reverse(c.size));
    edit.changes.extend(funcs);
    let imported_globals = m.imported(&m.global_import);
    for (g, keep) in live.global.iter().enumerate() {
        if !*keep {
            let kind = if g < imported_globals {
                "global import"
            } else {
                "global"
            };
            edit.changes
                .push(Change::new("remove", kind, format!("#{g}")));
        }
    }
    for (t, keep) in live.table.iter().enumerate() {
        if !*keep {
            edit.changes
                .push(Change::new("remove", "table", format!("#{t}")));
        }
    }
    for (e, keep) in live.elem.iter().enumerate() {
        if !*keep {
            edit.changes
                .push(Change::new("remove", "element segment", format!("#{e}")));
        }
    }
    for (d, keep) in live.data.iter().enumerate() {
        if !*keep {
            let size = m.data.get(d).map_or(0, |d| d.data.len());
            edit.changes
                .push(Change::new("remove", "data segment", format!("#{d}")).size(size));
        }
    }
    for s in &layout.sections {
        if let Some(custom) = s.custom_name()
            && describes_code(custom)
            && !identity
        {
            edit.changes
                .push(Change::new("remove", "custom section", custom).size(s.full.len()));
        }
    }
    if edit.changes.iter().any(|c| c.kind == "custom section") {
        edit.notes.push(
            "debug information describes code by offset, which gc changes: it was removed"
                .to_string(),
        );
    }
}

/// The name section renumbered: names of removed items go, the others follow
/// their items; subsections gc does not renumber are copied.
fn names(data: &[u8], maps: &Maps) -> Vec<u8> {
    let mut out = wasm_encoder::NameSection::new();
    let mut reader = BinaryReader::new(data, 0);
    let map_of = |id: u8| -> Option<&Vec<Option<u32>>> {
        match id {
            1..=3 | 12 => Some(&maps.func),
            5 => Some(&maps.table),
            7 => Some(&maps.global),
            8 => Some(&maps.elem),
            9 => Some(&maps.data),
            _ => None,
        }
    };
    while !reader.eof() {
        let Ok(id) = reader.read_u8() else { break };
        let Ok(len) = reader.read_var_u32() else {
            break;
        };
        let Ok(sub) = reader.read_bytes(len as usize) else {
            break;
        };
        let Some(map) = map_of(id) else {
            out.raw(id, sub);
            continue;
        };
        let inner = BinaryReader::new(sub, 0);
        let mut encoded = Vec::new();
        if matches!(id, 2 | 3 | 12) {
            let mut names = wasm_encoder::IndirectNameMap::new();
            if let Ok(list) = wasmparser::IndirectNameMap::new(inner) {
                for naming in list.into_iter().flatten() {
                    if let Some(Some(new)) = map.get(naming.index as usize) {
                        let mut inner = wasm_encoder::NameMap::new();
                        for n in naming.names.flatten() {
                            inner.append(n.index, n.name);
                        }
                        names.append(*new, &inner);
                    }
                }
            }
            wasm_encoder::Encode::encode(&names, &mut encoded);
        } else {
            let mut names = wasm_encoder::NameMap::new();
            if let Ok(list) = wasmparser::NameMap::new(inner) {
                for naming in list.into_iter().flatten() {
                    if let Some(Some(new)) = map.get(naming.index as usize) {
                        names.append(*new, naming.name);
                    }
                }
            }
            wasm_encoder::Encode::encode(&names, &mut encoded);
        }
        out.raw(id, &encoded);
    }
    out.as_custom().data.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, opts: &GcOptions) -> Edit {
        let bytes = crate::parse::parse_text(text, "t.wat").unwrap();
        let edit = gc(&bytes, "t.wat", opts).unwrap();
        super::super::check(&edit.bytes, "t.wat").unwrap();
        edit
    }

    fn removed(edit: &Edit) -> Vec<String> {
        edit.changes
            .iter()
            .map(|c| format!("{} {}", c.kind, c.name))
            .collect()
    }

    #[test]
    fn unreachable_functions_globals_and_imports_go() {
        let edit = run(
            r#"(module
                (import "env" "used" (func $used))
                (import "env" "unused" (func $unused))
                (global $g (mut i32) (i32.const 0))
                (global $dead (mut i32) (i32.const 1))
                (func $main (export "main") call $used call $helper global.get $g drop)
                (func $helper)
                (func $dead call $unused global.get $dead drop))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function dead", "function import env::unused", "global #1"]
        );
        let index = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let names: Vec<Option<&str>> = (0..3).map(|f| index.function_name(f)).collect();
        assert_eq!(names, vec![Some("used"), Some("main"), Some("helper")]);
    }

    #[test]
    fn a_kept_table_keeps_its_segment_and_functions() {
        let edit = run(
            r#"(module
                (type $t (func))
                (table 2 funcref)
                (elem (i32.const 0) $a $b)
                (func $a) (func $b) (func $c)
                (func (export "go") (call_indirect (type $t) (i32.const 0))))"#,
            &GcOptions::default(),
        );
        assert_eq!(removed(&edit), vec!["function c"]);
    }

    #[test]
    fn an_unused_table_goes_with_its_segment() {
        let edit = run(
            r#"(module
                (table 2 funcref)
                (elem (i32.const 0) $a $b)
                (func $a) (func $b)
                (func (export "go")))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function a", "function b", "table #0", "element segment #0"]
        );
    }

    #[test]
    fn passive_data_goes_unless_used() {
        let edit = run(
            r#"(module
                (memory 1)
                (data (i32.const 0) "active")
                (data $used "used")
                (data $unused "unused!")
                (func (export "go") (memory.init $used (i32.const 0) (i32.const 0) (i32.const 4))))"#,
            &GcOptions::default(),
        );
        assert_eq!(removed(&edit), vec!["data segment #2"]);
    }

    #[test]
    fn ref_func_keeps_its_declaration() {
        let edit = run(
            r#"(module
                (table 1 funcref)
                (elem (i32.const 0) $f)
                (elem declare func $g $h)
                (func $f) (func $g) (func $h)
                (func (export "go") (result funcref) ref.func $g))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function f", "function h", "table #0", "element segment #0"]
        );
    }

    #[test]
    fn a_reference_declared_only_by_a_removed_segment_is_declared_anew() {
        // The passive segment is never used, but it is what declares $f
        // for `ref.func`.
        for text in [
            r#"(module (elem func $f) (func $f)
                (func (export "go") (result funcref) ref.func $f))"#,
            r#"(module (table 1 funcref) (elem (i32.const 0) $f) (elem func $f) (func $f)
                (func (export "go") (result funcref) ref.func $f))"#,
        ] {
            let edit = run(text, &GcOptions::default());
            assert!(
                removed(&edit).contains(&"element segment #0".to_string())
                    || removed(&edit).contains(&"element segment #1".to_string()),
                "{:?}",
                removed(&edit)
            );
        }
    }

    #[test]
    fn keep_export_and_root_choose_the_roots() {
        let text = r#"(module
            (func $a (export "a")) (func $b (export "b")) (func $c)
            (memory (export "memory") 1))"#;
        let edit = run(
            text,
            &GcOptions {
                keep_exports: vec!["a".into()],
                roots: vec![FunctionSelector::Name("c".into())],
            },
        );
        assert_eq!(removed(&edit), vec!["function export b", "function b"]);
        let index = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let exports: Vec<&str> = index.exports.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(exports, vec!["a", "memory"]);
        let bytes = crate::parse::parse_text(text, "t.wat").unwrap();
        let err = gc(
            &bytes,
            "t.wat",
            &GcOptions {
                keep_exports: vec!["memory".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("no function export named `memory`")
        );
    }

    #[test]
    fn nothing_to_remove_leaves_the_bytes_alone() {
        let bytes =
            crate::parse::parse_text(r#"(module (func (export "a") call $b) (func $b))"#, "t.wat")
                .unwrap();
        let edit = gc(&bytes, "t", &GcOptions::default()).unwrap();
        assert!(edit.changes.is_empty());
        assert_eq!(edit.bytes, bytes);
    }

    #[test]
    fn demo_keeps_every_reachable_function_and_stays_valid() {
        let bytes = crate::demo::BYTES;
        let edit = gc(bytes, "demo", &GcOptions::default()).unwrap();
        super::super::check(&edit.bytes, "demo").unwrap();
        let before = crate::index::ModuleIndex::build(bytes).unwrap();
        let graph = crate::callgraph::CallGraph::build(bytes, &before).unwrap();
        let reachable = graph.reachable();
        let after = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let kept: BTreeSet<&str> = (0..after.functions.len() as u32)
            .filter_map(|f| after.function_name(f))
            .collect();
        for (f, r) in reachable.iter().enumerate() {
            let name = before.function_name(f as u32).unwrap();
            assert_eq!(kept.contains(name), *r, "{name}");
        }
    }
}
