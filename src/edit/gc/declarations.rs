//! Functions that code names with `ref.func` must be declared: by an element
//! segment, an export, or a global's or table's initialiser. Declarative
//! segments that list functions are cut down to the ones still named, and
//! a function whose only declaration goes is declared anew.

use std::collections::BTreeSet;

use wasm_encoder::reencode::Reencode;
use wasmparser::{ElementItems, ElementKind, TableInit};

use super::module::Module;
use super::reachability::{Item, KeptExports, Live, Recorder, decode, is_function};
use crate::error::{DecodeError, Result};

/// How the declarations of `ref.func` targets come out.
pub(super) struct Declarations {
    /// For each element segment: the functions a declarative segment of
    /// functions still lists, `None` for the other segments.
    pub(super) listed: Vec<Option<Vec<u32>>>,
    /// Functions named by `ref.func` that nothing kept declares any more.
    pub(super) undeclared: Vec<u32>,
}

impl Declarations {
    /// Works out the declarations. A declarative segment that still lists a
    /// function is kept, so `live` changes.
    pub(super) fn new(
        m: &Module<'_>,
        live: &mut Live,
        ref_funcs: Vec<u32>,
        exports: &KeptExports<'_>,
        name: &str,
    ) -> Result<Declarations> {
        let referenced: BTreeSet<u32> = ref_funcs.into_iter().collect();
        let listed = trim(m, live, &referenced).map_err(|e| e.in_file(name))?;
        let still = declared(m, live, &listed, exports).map_err(|e| e.in_file(name))?;
        let undeclared = referenced.difference(&still).copied().collect();
        Ok(Declarations { listed, undeclared })
    }

    /// Whether every declarative segment keeps every function it listed.
    pub(super) fn all_kept(&self, m: &Module<'_>) -> bool {
        m.elements
            .iter()
            .zip(&self.listed)
            .all(|(e, d)| match (d, &e.items) {
                (Some(kept), ElementItems::Functions(all)) => kept.len() as u32 == all.count(),
                _ => true,
            })
    }
}

/// Cuts each declarative segment of functions down to those `referenced`,
/// keeping the segment when any is left.
fn trim(
    m: &Module<'_>,
    live: &mut Live,
    referenced: &BTreeSet<u32>,
) -> Result<Vec<Option<Vec<u32>>>, DecodeError> {
    let mut listed: Vec<Option<Vec<u32>>> = vec![None; m.elements.len()];
    for ((element, kept), slot) in m.elements.iter().zip(&mut live.elem).zip(&mut listed) {
        if let (ElementKind::Declared, ElementItems::Functions(funcs)) =
            (&element.kind, &element.items)
        {
            let funcs: Vec<u32> = funcs
                .clone()
                .into_iter()
                .collect::<wasmparser::Result<_>>()?;
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
    Ok(listed)
}

/// The functions that what is kept declares: kept element segments, kept
/// function exports, kept globals' and tables' initialisers.
fn declared(
    m: &Module<'_>,
    live: &Live,
    listed: &[Option<Vec<u32>>],
    exports: &KeptExports<'_>,
) -> Result<BTreeSet<u32>, DecodeError> {
    let mut rec = Recorder::default();
    for ((element, kept), listed) in m.elements.iter().zip(&live.elem).zip(listed) {
        if !kept {
            continue;
        }
        match listed {
            Some(funcs) => rec.found.extend(funcs.iter().map(|f| Item::Func(*f))),
            None => rec.items(&element.items)?,
        }
    }
    for e in m.exports.iter().filter(|e| exports.kept(e)) {
        if is_function(e) {
            rec.found.push(Item::Func(e.index));
        }
    }
    let defined = live.global.iter().skip(m.imported_globals);
    for (global, kept) in m.globals.iter().zip(defined) {
        if *kept {
            rec.const_expr(global.init_expr.clone()).map_err(decode)?;
        }
    }
    let defined = live.table.iter().skip(m.imported_tables);
    for (table, kept) in m.tables.iter().zip(defined) {
        if *kept && let TableInit::Expr(e) = &table.init {
            rec.const_expr(e.clone()).map_err(decode)?;
        }
    }
    Ok(rec.functions().collect())
}
