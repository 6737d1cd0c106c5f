//! Who calls a function and what it calls, as `wasmscope calls` reports it:
//! callers and callees with call counts, `ref.func` references, indirect
//! calls, and optionally the tree of everything reachable. Built on the
//! [`CallGraph`].

use serde::Serialize;

use crate::callgraph::CallGraph;
use crate::debuginfo::{DebugInfo, Origin};
use crate::demangle::display_name;
use crate::error::DecodeError;
use crate::index::ModuleIndex;

/// Trees deeper than this are cut even without a depth limit, so that a
/// module with a long call chain cannot exhaust the stack.
const MAX_LEVELS: usize = 200;

/// What to report besides the direct callers and callees.
#[derive(Debug, Clone, Default)]
pub struct CallsOptions {
    /// For a component: which nested core module (counted from 0).
    pub module: usize,
    /// Add the tree of every function reachable from the function.
    pub tree: bool,
    /// How many levels of the tree to show (0 for all).
    pub depth: usize,
    /// Keep names as they are in the module, without demangling.
    pub raw_names: bool,
}

/// Why a function's calls could not be reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallsError {
    /// The component has no nested module of that number.
    #[error("the component has {modules} core modules, no module {module}")]
    NoModule {
        /// How many core modules the component has.
        modules: usize,
        /// The number asked for.
        module: usize,
    },
    /// No function has that index or name.
    #[error("no function `{0}`")]
    NoFunction(String),
    /// The name resolved to an index past the module's functions (an export
    /// may name a function the module does not have).
    #[error("no function {index} (the module has {functions} functions)")]
    OutOfRange {
        /// The index the name resolved to.
        index: u32,
        /// How many functions the module has.
        functions: usize,
    },
    /// A function body does not decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// A function's callers and callees.
#[derive(Debug, Clone, Serialize)]
pub struct Calls {
    /// The input's name.
    pub file: String,
    /// The function asked about.
    pub function: FunctionRef,
    /// Where it is in the source, when the module has line tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourcePlace>,
    /// The functions that call it, with how often.
    pub callers: Vec<Edge>,
    /// The functions it calls, with how often.
    pub callees: Vec<Edge>,
    /// The functions it takes a reference to with `ref.func`.
    pub references: Vec<FunctionRef>,
    /// How many `call_indirect` and `call_ref` it makes.
    pub indirect_calls: u32,
    /// Everything reachable from it, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree: Option<Vec<TreeNode>>,
}

/// A function named in a report.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionRef {
    /// Index in the function index space.
    pub index: u32,
    /// Its name from the name section, demangled unless asked not to be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size of its body in bytes (0 for an import).
    pub size: usize,
    /// Whether it is imported.
    pub imported: bool,
}

/// A caller or callee, with the number of call sites.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The function at the other end.
    #[serde(flatten)]
    pub function: FunctionRef,
    /// How many times it is called there.
    pub count: u32,
    /// Where the calls are in the source, when the module has line tables
    /// ([`locate`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SourcePlace>,
}

/// A place in the source, for a byte of code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourcePlace {
    /// The module offset of the code.
    pub offset: usize,
    /// The source file.
    pub file: String,
    /// Line, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Column, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl SourcePlace {
    /// `file:line:column`, as far as known.
    pub fn describe(&self) -> String {
        crate::debuginfo::place(&self.file, self.line, self.column)
    }

    /// What made the code at `offset`: the innermost source frame.
    pub fn at(debug: &DebugInfo<'_>, offset: usize) -> Option<SourcePlace> {
        let place = debug.lookup(offset);
        if !matches!(place.origin, Origin::Dwarf | Origin::SourceMap) {
            return None;
        }
        let frame = place.frames.first()?;
        Some(SourcePlace {
            offset,
            file: frame.file.clone()?,
            line: frame.line,
            column: frame.column,
        })
    }
}

/// Adds source places to a report of a module with line tables: where the
/// function is, and where each call to and from it is.
pub fn locate(
    report: &mut Calls,
    bytes: &[u8],
    index: &ModuleIndex,
    module: usize,
    debug: &DebugInfo<'_>,
) -> Result<(), CallsError> {
    if !debug.has_lines() {
        return Ok(());
    }
    let module = core_module(index, module)?;
    let target = report.function.index;
    if let Some(body) = module.body(target) {
        report.source = SourcePlace::at(debug, body.start);
        let mut sites: std::collections::HashMap<u32, Vec<usize>> = Default::default();
        crate::body::references(bytes, body, |at, r| {
            if let crate::body::Reference::Call(f) = r {
                sites.entry(f).or_default().push(at);
            }
        })?;
        for edge in &mut report.callees {
            edge.sites = sites
                .get(&edge.function.index)
                .into_iter()
                .flatten()
                .filter_map(|&at| SourcePlace::at(debug, at))
                .collect();
        }
    }
    for edge in &mut report.callers {
        let Some(body) = module.body(edge.function.index) else {
            continue;
        };
        let mut found = Vec::new();
        crate::body::references(bytes, body, |at, r| {
            if r == crate::body::Reference::Call(target) {
                found.push(at);
            }
        })?;
        edge.sites = found
            .into_iter()
            .filter_map(|at| SourcePlace::at(debug, at))
            .collect();
    }
    Ok(())
}

/// One function in the call tree.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    /// The function.
    #[serde(flatten)]
    pub function: FunctionRef,
    /// Already shown higher up: its callees are not repeated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repeated: bool,
    /// What it calls or references.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub callees: Vec<TreeNode>,
}

/// Reports the calls of `function` (an index, a name from the name section,
/// a demangled name or an export name) in an indexed input.
pub fn calls(
    file: &str,
    bytes: &[u8],
    index: &ModuleIndex,
    function: &str,
    opts: &CallsOptions,
) -> Result<Calls, CallsError> {
    let module = core_module(index, opts.module)?;
    let target = module
        .find_function(function)
        .ok_or_else(|| CallsError::NoFunction(function.to_string()))?;
    let graph = CallGraph::build(bytes, module)?;
    let (Some(refs), Some(callers)) = (
        graph.functions.get(target as usize),
        graph.callers.get(target as usize),
    ) else {
        return Err(CallsError::OutOfRange {
            index: target,
            functions: module.functions.len(),
        });
    };
    let namer = Namer {
        module,
        raw_names: opts.raw_names,
    };
    let edges = |calls: &std::collections::BTreeMap<u32, u32>| {
        calls
            .iter()
            .map(|(&f, &count)| Edge {
                function: namer.function(f),
                count,
                sites: Vec::new(),
            })
            .collect()
    };
    Ok(Calls {
        file: file.to_string(),
        function: namer.function(target),
        source: None,
        callers: edges(callers),
        callees: edges(&refs.calls),
        references: refs.references.iter().map(|&f| namer.function(f)).collect(),
        indirect_calls: refs.indirect_calls,
        tree: opts.tree.then(|| {
            let mut tree = Tree {
                namer: &namer,
                graph: &graph,
                depth: opts.depth,
                seen: vec![false; module.functions.len()],
            };
            if let Some(flag) = tree.seen.get_mut(target as usize) {
                *flag = true;
            }
            tree.callees(target, 1)
        }),
    })
}

/// The core module the report is about: the input, or a component's
/// nested module.
fn core_module(index: &ModuleIndex, module: usize) -> Result<&ModuleIndex, CallsError> {
    if !index.component {
        return Ok(index);
    }
    index.nested.get(module).ok_or(CallsError::NoModule {
        modules: index.nested.len(),
        module,
    })
}

/// Describes functions of one module.
struct Namer<'a> {
    module: &'a ModuleIndex,
    raw_names: bool,
}

impl Namer<'_> {
    fn function(&self, index: u32) -> FunctionRef {
        let f = self.module.functions.get(index as usize);
        FunctionRef {
            index,
            name: f
                .and_then(|f| f.name.as_deref())
                .map(|n| display_name(n, self.raw_names)),
            size: f.map_or(0, |f| f.size()),
            imported: f.is_some_and(|f| f.imported),
        }
    }
}

/// The walk that builds the call tree.
struct Tree<'a> {
    namer: &'a Namer<'a>,
    graph: &'a CallGraph,
    depth: usize,
    /// The functions already shown.
    seen: Vec<bool>,
}

impl Tree<'_> {
    /// The callees of `func`, each with its own callees; a function already
    /// shown is marked and not expanded again, so cycles end.
    fn callees(&mut self, func: u32, level: usize) -> Vec<TreeNode> {
        if (self.depth > 0 && level > self.depth) || level > MAX_LEVELS {
            return Vec::new();
        }
        let Some(refs) = self.graph.functions.get(func as usize) else {
            return Vec::new();
        };
        let next: Vec<u32> = refs
            .calls
            .keys()
            .copied()
            .chain(refs.references.iter().copied())
            .collect();
        let mut nodes = Vec::new();
        for callee in next {
            let Some(flag) = self.seen.get_mut(callee as usize) else {
                continue;
            };
            let repeated = *flag;
            *flag = true;
            let callees = if repeated {
                Vec::new()
            } else {
                self.callees(callee, level + 1)
            };
            nodes.push(TreeNode {
                function: self.namer.function(callee),
                repeated,
                callees,
            });
        }
        nodes
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::keys;

    const MODULE: &str = r#"(module
        (import "env" "log" (func $log (param i32)))
        (func $main (export "main")
          call $helper
          call $helper
          ref.func $helper
          drop)
        (func $helper (call $log (i32.const 1)) call $main))"#;

    fn report(function: &str, opts: &CallsOptions) -> Result<Calls, CallsError> {
        let bytes = crate::parse::parse_text(MODULE, "t.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        calls("t.wasm", &bytes, &index, function, opts)
    }

    #[test]
    fn json_keys() {
        let opts = CallsOptions {
            tree: true,
            ..CallsOptions::default()
        };
        let json = serde_json::to_value(report("main", &opts).expect("reports")).expect("json");
        assert_eq!(
            keys(&json),
            BTreeSet::from([
                "file",
                "function",
                "callers",
                "callees",
                "references",
                "indirect_calls",
                "tree",
            ])
        );
        assert_eq!(
            keys(&json["function"]),
            BTreeSet::from(["index", "name", "size", "imported"])
        );
        assert_eq!(
            keys(&json["callees"][0]),
            BTreeSet::from(["index", "name", "size", "imported", "count"])
        );
        assert_eq!(json["callees"][0]["count"], 2);
        // $helper calls $log and $main; $main is the root, so it is repeated.
        let helper = &json["tree"][0];
        assert_eq!(helper["name"], "helper");
        assert_eq!(helper["callees"][1]["repeated"], true);
        assert_eq!(
            keys(&helper["callees"][0]),
            BTreeSet::from(["index", "name", "size", "imported"])
        );
    }

    #[test]
    fn no_tree_unless_asked() {
        let json = serde_json::to_value(report("helper", &CallsOptions::default()).expect("ok"))
            .expect("json");
        assert!(json.get("tree").is_none());
        assert_eq!(json["callers"][0]["name"], "main");
    }

    #[test]
    fn unknown_functions_and_modules_are_errors() {
        let opts = CallsOptions::default();
        assert_eq!(
            report("nope", &opts).map(|_| ()),
            Err(CallsError::NoFunction("nope".into()))
        );
        let bytes = crate::parse::parse_text("(component)", "c.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let err = calls("c.wasm", &bytes, &index, "f", &opts).map(|_| ());
        assert_eq!(
            err,
            Err(CallsError::NoModule {
                modules: 0,
                module: 0
            })
        );
    }
}
