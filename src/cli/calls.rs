//! `wasmscope calls`: who calls a function and what it calls, as text.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use wasmscope::calls::{Calls, CallsError, CallsOptions, FunctionRef, TreeNode, calls, locate};
use wasmscope::debuginfo::{Companions, DebugInfo};

use super::debug::DebugArgs;
use super::render::{ReportArgs, Table};
use super::{InputArg, UsageError};

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

    #[command(flatten)]
    debug: DebugArgs,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (file, func) = match (self.demo, self.args.as_slice()) {
            (true, [func]) => (None, func),
            (false, [file, func]) => (Some(PathBuf::from(file)), func),
            (true, _) => return Err(UsageError("with --demo, give only FUNC".into()).into()),
            (false, _) => return Err(UsageError("give FILE and FUNC".into()).into()),
        };
        let input = InputArg {
            file,
            demo: self.demo,
        };
        let loaded = input.index()?;
        let opts = CallsOptions {
            module: self.module,
            tree: self.tree,
            depth: self.depth,
            raw_names: self.report.no_demangle,
        };
        let mut report = calls(&loaded.name, &loaded.bytes, &loaded.index, func, &opts).map_err(
            |e| -> anyhow::Error {
                match e {
                    CallsError::Decode(e) => loaded.error(e).into(),
                    e => anyhow::anyhow!("{}: {e}", loaded.name),
                }
            },
        )?;
        let options = self.debug.options(self.report.no_demangle);
        let companions = Companions::find(&loaded, input.file.as_deref(), &options)?;
        let debug = DebugInfo::new(&loaded, &companions, &options);
        locate(
            &mut report,
            &loaded.bytes,
            &loaded.index,
            self.module,
            &debug,
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", loaded.name))?;
        self.report.json.print(&report, render)?;
        Ok(ExitCode::SUCCESS)
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

fn render(out: &mut dyn Write, r: &Calls) -> std::io::Result<()> {
    writeln!(
        out,
        "function {} {}: {} bytes",
        r.function.index,
        label(&r.function),
        r.function.size
    )?;
    if let Some(source) = &r.source {
        writeln!(out, "  at {}", source.describe())?;
    }
    for (title, edges) in [("callers", &r.callers), ("callees", &r.callees)] {
        writeln!(out)?;
        writeln!(out, "{title} ({})", edges.len())?;
        if edges.is_empty() {
            continue;
        }
        // With line tables, where the calls are: the first place, and how
        // many others.
        let sourced = edges.iter().any(|e| !e.sites.is_empty());
        let header: &[&str] = if sourced {
            &["calls", "index", "name", "call site"]
        } else {
            &["calls", "index", "name"]
        };
        let mut table = Table::new(header);
        for e in edges {
            let mut row = vec![
                e.count.to_string(),
                e.function.index.to_string(),
                label(&e.function),
            ];
            if sourced {
                let mut places: Vec<String> = e.sites.iter().map(|s| s.describe()).collect();
                places.dedup();
                row.push(match places.as_slice() {
                    [] => String::new(),
                    [one] => one.clone(),
                    [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
                });
            }
            table.row(row);
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
