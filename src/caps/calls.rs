//! Where a module uses its capabilities: the reachable calls to each import
//! that needs one, with the function that makes the call and, when the
//! module has DWARF or a source map, the source line.

use std::collections::HashMap;

use serde::Serialize;

use super::audit::Caps;
use crate::callgraph::CallGraph;
use crate::debuginfo::{DebugInfo, Origin};
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};

/// One call to an import from reachable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite {
    /// The module offset of the call instruction.
    pub offset: usize,
    /// The function that makes the call (its index).
    pub function_index: u32,
    /// Its name (demangled), from DWARF, the name section or an export.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// The source file of the call, when the debug info has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Its line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Its column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The wrappers the call goes through to reach the import, outermost
    /// first (`__wasi_fd_read` for a call to `fd_read` through wasi-libc).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
}

impl CallSite {
    /// `function (file:line:col)`, as far as known.
    pub fn describe(&self) -> String {
        let function = self
            .function
            .clone()
            .unwrap_or_else(|| format!("function {}", self.function_index));
        let place = match &self.file {
            Some(file) => format!(
                "{function} ({})",
                crate::debuginfo::place(file, self.line, self.column)
            ),
            None => function,
        };
        if self.via.is_empty() {
            place
        } else {
            format!("{place} via {}", self.via.join(" > "))
        }
    }
}

/// Fills in the call sites of every reachable import of a core module's
/// audit (a component's nested modules are left without). The innermost
/// source frame names the place: the line that makes the call, even when
/// it was inlined.
pub fn locate_calls(
    caps: &mut Caps,
    bytes: &[u8],
    index: &ModuleIndex,
    debug: &DebugInfo<'_>,
) -> Result<(), DecodeError> {
    if index.component {
        return Ok(());
    }
    let imported = index.imported_functions();
    let by_name: HashMap<(&str, &str), u32> = index
        .imports
        .iter()
        .filter(|i| i.kind == ItemKind::Func)
        .map(|i| ((i.module.as_str(), i.name.as_str()), i.index))
        .collect();
    let reachable = CallGraph::build(bytes, index)?.reachable();
    // Every direct call made by reachable code, by callee.
    let mut callers: HashMap<u32, Vec<(u32, usize)>> = HashMap::new();
    let mut calls_made: HashMap<u32, usize> = HashMap::new();
    for f in index.defined_functions() {
        let (Some(body), true) = (
            f.body.clone(),
            reachable.get(f.index as usize).copied().unwrap_or(false),
        ) else {
            continue;
        };
        crate::body::references(bytes, body, |at, reference| {
            if let crate::body::Reference::Call(callee) = reference {
                callers.entry(callee).or_default().push((f.index, at));
                *calls_made.entry(f.index).or_default() += 1;
            }
        })?;
    }
    // A wrapper only passes its arguments on (`__wasi_fd_read` calling
    // `fd_read`): the calls worth showing are the calls to it.
    let is_wrapper = |f: u32| {
        calls_made.get(&f) == Some(&1) && index.body(f).is_some_and(|b| b.len() <= WRAPPER_BYTES)
    };
    let mut sites: HashMap<u32, Vec<CallSite>> = HashMap::new();
    for import in 0..imported {
        let mut found = Vec::new();
        let mut work: Vec<(u32, Vec<String>)> = vec![(import, Vec::new())];
        let mut seen = std::collections::HashSet::new();
        while let Some((callee, via)) = work.pop() {
            for &(caller, at) in callers.get(&callee).map(Vec::as_slice).unwrap_or_default() {
                if found.len() >= MAX_SITES {
                    break;
                }
                if via.len() < MAX_WRAPPERS && is_wrapper(caller) && seen.insert(caller) {
                    let mut via = via.clone();
                    via.push(wrapper_name(index, caller));
                    work.push((caller, via));
                    continue;
                }
                let mut site = site(debug, at, caller);
                site.via = via.iter().rev().cloned().collect();
                found.push(site);
            }
        }
        found.sort_by_key(|s| s.offset);
        if !found.is_empty() {
            sites.insert(import, found);
        }
    }
    let uses = caps
        .capabilities
        .iter_mut()
        .flat_map(|c| c.imports.iter_mut())
        .chain(caps.unknown_imports.iter_mut());
    for import in uses {
        if import.nested.is_some() || !import.reachable {
            continue;
        }
        if let Some(func) = by_name.get(&(import.module.as_str(), import.name.as_str()))
            && let Some(found) = sites.get(func)
        {
            import.calls = found.clone();
        }
    }
    Ok(())
}

/// Bodies no larger than this that make one call are wrappers.
const WRAPPER_BYTES: usize = 64;
/// How many wrappers deep calls are followed.
const MAX_WRAPPERS: usize = 4;
/// Call sites kept per import.
const MAX_SITES: usize = 1000;

fn wrapper_name(index: &ModuleIndex, f: u32) -> String {
    index
        .function_name(f)
        .map(crate::demangle::demangle)
        .unwrap_or_else(|| format!("function {f}"))
}

fn site(debug: &DebugInfo<'_>, offset: usize, caller: u32) -> CallSite {
    let place = debug.lookup(offset);
    let inner = place.frames.first();
    let lines = matches!(place.origin, Origin::Dwarf | Origin::SourceMap);
    CallSite {
        offset,
        function_index: caller,
        function: inner.and_then(|f| f.function.clone()),
        file: inner.filter(|_| lines).and_then(|f| f.file.clone()),
        line: inner.filter(|_| lines).and_then(|f| f.line),
        column: inner.filter(|_| lines).and_then(|f| f.column),
        via: Vec::new(),
    }
}
