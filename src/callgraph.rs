//! The call graph of a core module: who calls whom (and how often), what is
//! reachable from the module's roots, and how many bytes each function keeps
//! alive (its retained size, from the dominator tree, as `twiggy dominators`
//! reports).
//!
//! Roots are the exported functions, the start function, every function in an
//! element segment (a call through a table can reach any of them) and every
//! function a global's initialiser refers to with `ref.func`.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::body::{self, Reference};
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};
use petgraph::algo::dominators;
use petgraph::graph::{DiGraph, NodeIndex};

/// What one function's code refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionRefs {
    /// Functions called directly (`call`, `return_call`), with call counts.
    pub calls: BTreeMap<u32, u32>,
    /// Functions referred to by `ref.func` (they may be called indirectly).
    pub references: Vec<u32>,
    /// Indirect calls (`call_indirect`, `call_ref` and their tail forms).
    pub indirect_calls: u32,
    /// Globals read or written.
    pub globals: Vec<u32>,
    /// Data segments used by `memory.init`, `data.drop`, `array.new_data`...
    pub data: Vec<u32>,
}

/// The call graph of a module.
#[derive(Debug, Clone)]
pub struct CallGraph {
    /// What each function refers to, by function index (empty for imports).
    pub functions: Vec<FunctionRefs>,
    /// Callers of each function, with call counts.
    pub callers: Vec<BTreeMap<u32, u32>>,
    /// The roots, sorted and without repeats.
    pub roots: Vec<u32>,
}

impl CallGraph {
    /// Decodes every function body of `index` (taken from `bytes`, the whole
    /// input) and records what it refers to.
    pub fn build(bytes: &[u8], index: &ModuleIndex) -> Result<CallGraph, DecodeError> {
        use rayon::prelude::*;
        let mut functions = vec![FunctionRefs::default(); index.functions.len()];
        // Bodies are decoded on every core; the first damaged one in order
        // is the one reported.
        let defined: Vec<(u32, Range<usize>)> = index
            .defined_functions()
            .filter_map(|f| Some((f.index, f.body.clone()?)))
            .collect();
        let scanned: Vec<Result<FunctionRefs, DecodeError>> = defined
            .par_iter()
            .map(|(_, body)| scan_body(bytes, body.clone()))
            .collect();
        for ((func, _), refs) in defined.iter().zip(scanned) {
            if let Some(slot) = functions.get_mut(*func as usize) {
                *slot = refs?;
            }
        }
        let mut callers = vec![BTreeMap::new(); index.functions.len()];
        for (caller, refs) in functions.iter().enumerate() {
            for (&callee, &count) in &refs.calls {
                if let Some(entry) = callers.get_mut(callee as usize) {
                    *entry.entry(caller as u32).or_insert(0) += count;
                }
            }
        }
        let mut roots: Vec<u32> = index
            .exports
            .iter()
            .filter(|e| e.kind == ItemKind::Func)
            .map(|e| e.index)
            .chain(index.start)
            .chain(
                index
                    .elements
                    .iter()
                    .flat_map(|e| e.functions.iter().copied()),
            )
            .chain(index.global_func_refs.iter().copied())
            .filter(|&f| (f as usize) < index.functions.len())
            .collect();
        roots.sort_unstable();
        roots.dedup();
        Ok(CallGraph {
            functions,
            callers,
            roots,
        })
    }

    /// Functions a function can pass control to or hand out: direct callees
    /// and `ref.func` targets.
    fn successors(&self, func: u32) -> impl Iterator<Item = u32> + '_ {
        self.functions
            .get(func as usize)
            .into_iter()
            .flat_map(|r| r.calls.keys().copied().chain(r.references.iter().copied()))
    }

    /// Which functions are reachable from the roots.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.functions.len()];
        let mut stack: Vec<u32> = self.roots.clone();
        while let Some(f) = stack.pop() {
            match seen.get_mut(f as usize) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            stack.extend(self.successors(f));
        }
        seen
    }

    /// Every function reachable from `func` (itself excluded), in the order
    /// a depth-first walk meets them.
    pub fn transitive_callees(&self, func: u32) -> Vec<u32> {
        let mut seen = vec![false; self.functions.len()];
        let mut order = Vec::new();
        let mut stack: Vec<u32> = self.successors(func).collect();
        stack.reverse();
        if let Some(s) = seen.get_mut(func as usize) {
            *s = true;
        }
        while let Some(f) = stack.pop() {
            match seen.get_mut(f as usize) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            order.push(f);
            let mut next: Vec<u32> = self.successors(f).collect();
            next.reverse();
            stack.extend(next);
        }
        order
    }

    /// The bytes each function keeps alive: its own body plus the bodies of
    /// every function that is reachable only through it. Unreachable
    /// functions retain just their own size.
    pub fn retained_sizes(&self, index: &ModuleIndex) -> Vec<u64> {
        let n = self.functions.len();
        let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(n + 1, n * 2);
        let root = graph.add_node(());
        let nodes: Vec<NodeIndex> = (0..n).map(|_| graph.add_node(())).collect();
        for &r in &self.roots {
            if let Some(&to) = nodes.get(r as usize) {
                graph.add_edge(root, to, ());
            }
        }
        for (f, &from) in nodes.iter().enumerate() {
            for callee in self.successors(f as u32) {
                if let Some(&to) = nodes.get(callee as usize) {
                    graph.add_edge(from, to, ());
                }
            }
        }
        let doms = dominators::simple_fast(&graph, root);
        let size = |f: usize| index.functions.get(f).map_or(0, |f| f.size() as u64);
        let mut retained: Vec<u64> = (0..n).map(size).collect();
        // Children of each node in the dominator tree, then sizes summed from
        // the leaves up (reverse breadth-first order).
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
        for (f, node) in nodes.iter().enumerate() {
            if let Some(siblings) = doms
                .immediate_dominator(*node)
                .and_then(|parent| children.get_mut(parent.index()))
            {
                siblings.push(f + 1);
            }
        }
        let mut order = vec![0usize];
        let mut i = 0;
        while let Some(&node) = order.get(i) {
            if let Some(below) = children.get(node) {
                order.extend(below.iter().copied());
            }
            i += 1;
        }
        for &node in order.iter().rev() {
            // Node 0 is the root, node `f + 1` function `f`.
            let Some(f) = node.checked_sub(1) else {
                continue;
            };
            // Children come later in breadth-first order, so they are summed.
            let child_sum: u64 = children
                .get(node)
                .into_iter()
                .flatten()
                .filter_map(|&c| retained.get(c.checked_sub(1)?))
                .sum();
            if let Some(size) = retained.get_mut(f) {
                *size += child_sum;
            }
        }
        retained
    }
}

/// Decodes one body and records what it refers to.
fn scan_body(bytes: &[u8], range: Range<usize>) -> Result<FunctionRefs, DecodeError> {
    let mut refs = FunctionRefs::default();
    body::references(bytes, range, |_, reference| match reference {
        Reference::Call(callee) => *refs.calls.entry(callee).or_insert(0) += 1,
        Reference::FuncRef(func) => refs.references.push(func),
        Reference::CallIndirect { .. } | Reference::CallRef => refs.indirect_calls += 1,
        Reference::Global(global) => refs.globals.push(global),
        Reference::Data(segment) => refs.data.push(segment),
    })?;
    for list in [&mut refs.references, &mut refs.globals, &mut refs.data] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(text: &str) -> (ModuleIndex, CallGraph) {
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let graph = CallGraph::build(&bytes, &index).expect("decodes");
        (index, graph)
    }

    const MODULE: &str = r#"(module
        (import "env" "log" (func $log (param i32)))
        (table 1 funcref)
        (elem (i32.const 0) $via_table)
        (func $main (export "main")
          call $helper
          call $helper
          call $shared
          i32.const 0
          call_indirect)
        (func $helper call $shared (call $log (i32.const 1)))
        (func $shared)
        (func $via_table)
        (func $dead call $dead_too)
        (func $dead_too))"#;

    #[test]
    fn records_calls_with_counts_and_callers() {
        let (_, g) = graph(MODULE);
        assert_eq!(g.functions[1].calls, BTreeMap::from([(2, 2), (3, 1)]));
        assert_eq!(g.functions[1].indirect_calls, 1);
        assert_eq!(g.callers[3], BTreeMap::from([(1, 1), (2, 1)]));
        assert_eq!(g.roots, vec![1, 4]);
    }

    #[test]
    fn reachability_follows_calls_and_tables() {
        let (_, g) = graph(MODULE);
        let reachable = g.reachable();
        assert_eq!(reachable, vec![true, true, true, true, true, false, false]);
    }

    #[test]
    fn retained_size_counts_what_only_this_function_keeps() {
        let (index, g) = graph(MODULE);
        let retained = g.retained_sizes(&index);
        let size = |f: usize| index.functions[f].size() as u64;
        // $main dominates $helper and $shared ($shared is reached through
        // $main either way); $log is imported (size 0).
        assert_eq!(retained[1], size(1) + size(2) + size(3));
        assert_eq!(retained[2], size(2));
        // Unreachable functions are outside the tree: their own size only.
        assert_eq!(retained[5], size(5));
    }
}
