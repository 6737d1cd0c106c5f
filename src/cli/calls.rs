//! `wasmscope calls`: who calls a function and what it calls.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use wasmscope::callgraph::CallGraph;
use wasmscope::index::ModuleIndex;

use super::render::{ReportArgs, Table, json};
use super::{InputArg, UsageError, write_stdout};

/// Show a function's callers and callees, with call counts.
///
/// FUNC is an index, a name from the name section (demangled names work), or
/// an export name. `ref.func` references count as callees (they can be called
/// through a table), and indirect calls are counted apart.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope calls app.wasm main
  wasmscope calls app.wasm 42 --tree --depth 3
  wasmscope calls --demo hasher::main --tree
  wasmscope calls --demo _start --json

Exit status: 0 printed, 1 the module could not be read or has no such
function, 2 usage error.")]
pub struct Opts {
    /// The module (omit with --demo), then the function.
    #[arg(value_name = "FILE FUNC", num_args = 1..=2, required = true)]
    args: Vec<String>,

    /// Look in the demo module built into wasmscope.
    #[arg(long)]
    demo: bool,

    /// Show every function reachable from FUNC as a tree.
    #[arg(long)]
    tree: bool,

    /// With --tree, how many levels to show (0 for all).
    #[arg(long, default_value_t = 0, value_name = "N")]
    depth: usize,

    /// For a component: which nested core module (counted from 0).
    #[arg(long, default_value_t = 0, value_name = "N")]
    module: usize,

    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Serialize)]
struct Report {
    file: String,
    function: FunctionRef,
    callers: Vec<Edge>,
    callees: Vec<Edge>,
    references: Vec<FunctionRef>,
    indirect_calls: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<Vec<TreeNode>>,
}

#[derive(Serialize, Clone)]
struct FunctionRef {
    index: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    size: usize,
    imported: bool,
}

#[derive(Serialize)]
struct Edge {
    #[serde(flatten)]
    function: FunctionRef,
    count: u32,
}

#[derive(Serialize)]
struct TreeNode {
    #[serde(flatten)]
    function: FunctionRef,
    /// Already shown higher up: its callees are not repeated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    repeated: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    callees: Vec<TreeNode>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (file, func) = match (self.demo, self.args.as_slice()) {
            (true, [func]) => (None, func.clone()),
            (false, [file, func]) => (Some(PathBuf::from(file)), func.clone()),
            (true, _) => return Err(UsageError("with --demo, give only FUNC".into()).into()),
            (false, _) => return Err(UsageError("give FILE and FUNC".into()).into()),
        };
        let input = InputArg {
            file,
            demo: self.demo,
        };
        let loaded = input.index()?;
        let module = if loaded.index.component {
            loaded.index.nested.get(self.module).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: the component has {} core modules, no module {}",
                    loaded.name,
                    loaded.index.nested.len(),
                    self.module
                )
            })?
        } else {
            &loaded.index
        };
        let target = module
            .find_function(&func)
            .ok_or_else(|| anyhow::anyhow!("{}: no function `{func}`", loaded.name))?;
        let graph = CallGraph::build(&loaded.bytes, module).map_err(|e| loaded.error(e))?;
        let describe = |index: u32| self.function_ref(module, index);
        // An export may name a function the module does not have.
        let (Some(refs), Some(callers)) = (
            graph.functions.get(target as usize),
            graph.callers.get(target as usize),
        ) else {
            return Err(anyhow::anyhow!(
                "{}: no function {target} (the module has {} functions)",
                loaded.name,
                module.functions.len()
            ));
        };
        let report = Report {
            file: loaded.name.clone(),
            function: describe(target),
            callers: callers
                .iter()
                .map(|(&f, &count)| Edge {
                    function: describe(f),
                    count,
                })
                .collect(),
            callees: refs
                .calls
                .iter()
                .map(|(&f, &count)| Edge {
                    function: describe(f),
                    count,
                })
                .collect(),
            references: refs.references.iter().map(|&f| describe(f)).collect(),
            indirect_calls: refs.indirect_calls,
            tree: self.tree.then(|| {
                let mut seen = vec![false; module.functions.len()];
                if let Some(flag) = seen.get_mut(target as usize) {
                    *flag = true;
                }
                self.subtree(module, &graph, target, 1, &mut seen)
            }),
        };
        write_stdout(|out| {
            if self.report.json {
                json(out, &report)
            } else {
                render(out, &report)
            }
        })?;
        Ok(ExitCode::SUCCESS)
    }

    fn function_ref(&self, module: &ModuleIndex, index: u32) -> FunctionRef {
        let f = module.functions.get(index as usize);
        FunctionRef {
            index,
            name: f
                .and_then(|f| f.name.as_deref())
                .map(|n| self.report.name(Some(n))),
            size: f.map_or(0, |f| f.size()),
            imported: f.is_some_and(|f| f.imported),
        }
    }

    /// The callees of `func`, each with its own callees; a function already
    /// shown is marked and not expanded again, so cycles end.
    fn subtree(
        &self,
        module: &ModuleIndex,
        graph: &CallGraph,
        func: u32,
        level: usize,
        seen: &mut Vec<bool>,
    ) -> Vec<TreeNode> {
        // Trees deeper than this are cut even without --depth, so that a
        // module with a long call chain cannot exhaust the stack.
        const MAX_LEVELS: usize = 200;
        if (self.depth > 0 && level > self.depth) || level > MAX_LEVELS {
            return Vec::new();
        }
        let Some(refs) = graph.functions.get(func as usize) else {
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
            let Some(flag) = seen.get_mut(callee as usize) else {
                continue;
            };
            let repeated = *flag;
            *flag = true;
            let callees = if repeated {
                Vec::new()
            } else {
                self.subtree(module, graph, callee, level + 1, seen)
            };
            nodes.push(TreeNode {
                function: self.function_ref(module, callee),
                repeated,
                callees,
            });
        }
        nodes
    }
}

fn label(f: &FunctionRef) -> String {
    let name = f.name.clone().unwrap_or_else(|| "-".to_string());
    if f.imported {
        format!("{name} (imported)")
    } else {
        name
    }
}

fn render(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "function {} {}: {} bytes",
        r.function.index,
        label(&r.function),
        r.function.size
    )?;
    for (title, edges) in [("callers", &r.callers), ("callees", &r.callees)] {
        writeln!(out)?;
        writeln!(out, "{title} ({})", edges.len())?;
        if edges.is_empty() {
            continue;
        }
        let mut table = Table::new(&["calls", "index", "name"]);
        for e in edges {
            table.row(vec![
                e.count.to_string(),
                e.function.index.to_string(),
                label(&e.function),
            ]);
        }
        table.render(out)?;
    }
    if !r.references.is_empty() {
        writeln!(out)?;
        writeln!(out, "referenced with ref.func ({})", r.references.len())?;
        for f in &r.references {
            writeln!(out, "  {} {}", f.index, label(f))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "indirect calls: {}", r.indirect_calls)?;
    if let Some(tree) = &r.tree {
        writeln!(out)?;
        writeln!(out, "call tree")?;
        writeln!(out, "{} {}", r.function.index, label(&r.function))?;
        render_tree(out, tree, "")?;
    }
    Ok(())
}

fn render_tree(out: &mut dyn Write, nodes: &[TreeNode], prefix: &str) -> std::io::Result<()> {
    for (i, node) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        let (branch, indent) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let repeat = if node.repeated { " (see above)" } else { "" };
        writeln!(
            out,
            "{prefix}{branch}{} {}{repeat}",
            node.function.index,
            label(&node.function)
        )?;
        render_tree(out, &node.callees, &format!("{prefix}{indent}"))?;
    }
    Ok(())
}
