//! `wasmscope stats`: where the bytes go.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use inferno::flamegraph;
use wasmscope::Source;
use wasmscope::debuginfo::{Companions, DebugInfo};
use wasmscope::source_sizes::{Grouping, Inlined, SourceSizes, source_sizes};
use wasmscope::stats::{SortKey, Stats, StatsOptions};

use super::debug::DebugArgs;
use super::render::{ReportArgs, Table, bar, bytes, compressed, count};
use super::{InputArg, Loaded};

/// Show where the bytes go: sections, custom sections, code, data, imports,
/// exports, producers; optionally an instruction histogram, retained sizes
/// and dead code.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope stats app.wasm                    sizes and the 10 largest functions
  wasmscope stats app.wasm --top 30 --filter serde
  wasmscope stats app.wasm --ops              instruction histogram
  wasmscope stats app.wasm --retained         what removing a function would free
  wasmscope stats app.wasm --garbage          code and data nothing reachable uses
  wasmscope stats app.wasm --compressed       with its gzip and brotli sizes
  wasmscope stats --demo --json
  wasmscope stats app.wasm --by crate         code bytes by Rust crate (needs DWARF)
  wasmscope stats app.wasm --by file --svg size.svg
  wasmscope stats app.wasm --by dir --format folded | inferno-flamegraph > size.svg

Retained size is computed on the call graph's dominator tree, with the exports,
the start function, element segments (calls through tables) and ref.func in
global initialisers as roots.

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    report: ReportArgs,

    /// How many entries each list shows (0 for all).
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,

    /// Order of the function lists.
    #[arg(long, value_enum, default_value_t = Sort::Size)]
    sort: Sort,

    /// Keep only list entries whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,

    /// Add an instruction histogram: count and bytes per opcode.
    #[arg(long)]
    ops: bool,

    /// Also give the size of the whole module compressed, as `gzip -9` and
    /// `brotli` (quality 11) would make it.
    #[arg(long)]
    compressed: bool,

    /// Add the functions whose removal would free the most bytes.
    #[arg(long)]
    retained: bool,

    /// Add the functions, globals and data that nothing reachable uses.
    #[arg(long)]
    garbage: bool,

    /// Instead: code bytes by the source that made them, through the line
    /// tables (DWARF, or a source map), grouped by source file, directory,
    /// Rust crate (registry crates with versions, std/core/alloc, local
    /// crates; other sources by directory) or compile unit. Bytes no line
    /// covers are shown as unattributed; the rows add up to the code
    /// section.
    #[arg(long, value_enum, value_name = "GROUP", conflicts_with_all = ["ops", "retained", "garbage"])]
    by: Option<By>,

    /// With --by: where code inlined into another function counts.
    #[arg(long, value_enum, default_value_t = InlinedArg::Callee, requires = "by")]
    inlined: InlinedArg,

    /// With --by: `folded` prints one `group;function bytes` line each, the
    /// input of flame-graph tools.
    #[arg(long, value_enum, requires = "by", conflicts_with = "json")]
    format: Option<Format>,

    /// With --by: also draw the code by source as a flame graph (SVG) into
    /// FILE, to open in a browser.
    #[arg(long, value_name = "FILE", requires = "by")]
    svg: Option<PathBuf>,

    #[command(flatten)]
    debug: DebugArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// Source file.
    File,
    /// Directory of the source file.
    Dir,
    /// Rust crate; other sources by directory.
    Crate,
    /// Compile unit.
    Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InlinedArg {
    /// For the function it was written in.
    Callee,
    /// For the function it was inlined into, at the call.
    Caller,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Folded stacks.
    Folded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sort {
    /// Largest first.
    Size,
    /// By name.
    Name,
    /// By index.
    Index,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if let Some(by) = self.by {
            return self.by_source(by);
        }
        let loaded = self.input.index()?;
        let opts = StatsOptions {
            top: self.top,
            sort: match self.sort {
                Sort::Size => SortKey::Size,
                Sort::Name => SortKey::Name,
                Sort::Index => SortKey::Index,
            },
            filter: self.filter.clone(),
            raw_names: self.report.no_demangle,
            ops: self.ops,
            retained: self.retained,
            garbage: self.garbage,
            compressed: self.compressed,
        };
        let stats = wasmscope::stats::stats(&loaded.name, &loaded.bytes, &loaded.index, &opts)
            .map_err(|e| loaded.error(e))?;
        self.report.json.print(&stats, render)?;
        Ok(ExitCode::SUCCESS)
    }
}

impl Opts {
    /// `--by`: code bytes by source.
    fn by_source(&self, by: By) -> anyhow::Result<ExitCode> {
        let source = self.input.source()?;
        let loaded = Loaded::load(&source)?;
        if loaded.index.component {
            anyhow::bail!(
                "{}: --by reads the line tables of a core module; this is a component",
                loaded.name
            );
        }
        let path = match &source {
            Source::File(path) => Some(path.as_path()),
            _ => None,
        };
        let options = self.debug.options(self.report.no_demangle);
        let companions = Companions::find(&loaded, path, &options)?;
        let debug = DebugInfo::new(&loaded, &companions, &options);
        if !debug.has_lines() {
            anyhow::bail!(
                "{}: has no DWARF line table or source map, so code cannot be traced to sources \
                 (`wasmscope stats` without --by shows it by function)",
                loaded.name
            );
        }
        let grouping = match by {
            By::File => Grouping::File,
            By::Dir => Grouping::Dir,
            By::Crate => Grouping::Crate,
            By::Unit => Grouping::Unit,
        };
        let inlined = match self.inlined {
            InlinedArg::Callee => Inlined::Callee,
            InlinedArg::Caller => Inlined::Caller,
        };
        let sizes = source_sizes(&loaded.name, &loaded.index, &debug, grouping, inlined)?;
        if let Some(svg) = &self.svg {
            let folded = sizes.folded();
            let mut options = flamegraph::Options::default();
            options.title = format!("{}: code by {}", loaded.name, by_word(grouping));
            options.count_name = "bytes".to_string();
            options.name_type = "Source:".to_string();
            options.deterministic = true;
            wasmscope::output::write_atomic(svg, |out| {
                flamegraph::from_lines(&mut options, folded.iter().map(String::as_str), out)
                    .map_err(|source| wasmscope::Error::Io {
                        path: svg.clone(),
                        source,
                    })
            })?;
        }
        if self.format == Some(Format::Folded) {
            super::write_stdout(|out| {
                for line in sizes.folded() {
                    writeln!(out, "{line}")?;
                }
                Ok(())
            })?;
        } else {
            let top = self.top;
            self.report
                .json
                .print(&sizes, |out, s| render_by_source(out, s, top))?;
        }
        // Said once the report is out, so that a failure stays one line.
        for note in &debug.found.notes {
            eprintln!("wasmscope: note: {note}");
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn by_word(g: Grouping) -> &'static str {
    match g {
        Grouping::File => "file",
        Grouping::Dir => "directory",
        Grouping::Crate => "crate",
        Grouping::Unit => "compile unit",
    }
}

fn render_by_source(out: &mut dyn Write, s: &SourceSizes, top: usize) -> std::io::Result<()> {
    let from = match (&s.debug_info.dwarf, &s.debug_info.source_map) {
        (Some(d), _) if d == "module" => "DWARF in the module".to_string(),
        (Some(d), _) => format!("DWARF in {d}"),
        (None, Some(m)) => format!("the source map {m}"),
        (None, None) => "no line table".to_string(),
    };
    let inlined = match s.inlined {
        Inlined::Callee => "inlined code counts where it was written",
        Inlined::Caller => "inlined code counts where it was inlined",
    };
    writeln!(
        out,
        "{}: {} of code by {} (lines from {from}; {inlined})",
        s.file,
        bytes(s.code_bytes),
        by_word(s.by)
    )?;
    writeln!(out)?;
    let mut table = Table::new(&[by_word(s.by), "bytes", "share", "functions", "lines", ""]);
    let shown = if top == 0 { s.groups.len() } else { top };
    for g in s.groups.iter().take(shown) {
        table.row(vec![
            g.name.clone(),
            g.bytes.to_string(),
            format!("{:.1}%", g.percent),
            g.functions.to_string(),
            g.lines.to_string(),
            bar(g.percent, 20),
        ]);
    }
    let rest = s.groups.get(shown..).unwrap_or_default();
    let share = |n: usize| n as f64 * 100.0 / s.code_bytes.max(1) as f64;
    if !rest.is_empty() {
        let n: usize = rest.iter().map(|g| g.bytes).sum();
        table.row(vec![
            format!("({} more)", rest.len()),
            n.to_string(),
            format!("{:.1}%", share(n)),
            String::new(),
            String::new(),
            bar(share(n), 20),
        ]);
    }
    table.row(vec![
        "(unattributed)".to_string(),
        s.unattributed.to_string(),
        format!("{:.1}%", share(s.unattributed)),
        String::new(),
        String::new(),
        bar(share(s.unattributed), 20),
    ]);
    table.row(vec![
        "(code section)".to_string(),
        s.code_bytes.to_string(),
        "100.0%".to_string(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    table.render(out)
}

fn name_or_dash(name: &Option<String>) -> String {
    name.clone().unwrap_or_else(|| "-".to_string())
}

fn module_prefix(module: Option<usize>) -> String {
    module.map(|m| format!("{m}:")).unwrap_or_default()
}

fn render(out: &mut dyn Write, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "{}: {}, {}", s.file, bytes(s.size), s.kind)?;
    if let Some(c) = &s.compressed {
        writeln!(out, "compressed: {}", compressed(c, s.size as u64))?;
    }
    if let Some(parts) = &s.parts {
        render_parts(out, s.size, parts)?;
    }
    writeln!(out)?;
    writeln!(out, "sections")?;
    let mut table = Table::new(&["section", "size", "share", ""]);
    // A component has many small type, import and alias sections: one row
    // a kind, in order of first appearance.
    let mut rows: Vec<(String, usize, usize, f64)> = Vec::new();
    for sec in &s.sections {
        match rows
            .iter_mut()
            .find(|r| s.parts.is_some() && r.0 == sec.name)
        {
            Some(row) => {
                row.1 += 1;
                row.2 += sec.size;
                row.3 += sec.share;
            }
            None => rows.push((sec.name.clone(), 1, sec.size, sec.share)),
        }
    }
    for (name, count, size, share) in rows {
        let name = if count > 1 {
            format!("{name} (x{count})")
        } else {
            name
        };
        table.row(vec![
            name,
            size.to_string(),
            format!("{share:.1}%"),
            bar(share, 30),
        ]);
    }
    table.render(out)?;

    let c = &s.custom;
    let groups = [
        ("names", c.names),
        ("debug info", c.debug),
        ("producers", c.producers),
        ("target features", c.target_features),
        ("linking", c.linking),
        ("other", c.other),
    ];
    if groups.iter().any(|(_, n)| *n > 0) {
        writeln!(out)?;
        writeln!(out, "custom sections")?;
        let mut table = Table::new(&["purpose", "size", "share"]);
        for (name, n) in groups.iter().filter(|(_, n)| *n > 0) {
            table.row(vec![
                name.to_string(),
                n.to_string(),
                format!("{:.1}%", *n as f64 * 100.0 / s.size.max(1) as f64),
            ]);
        }
        table.render(out)?;
    }

    let f = &s.functions;
    writeln!(out)?;
    writeln!(
        out,
        "code: {} functions ({} imported), {} bytes of bodies; median {} B, largest {} B",
        f.count, f.imported, f.code_bytes, f.median, f.largest
    )?;
    if !f.top.is_empty() {
        let mut table = Table::new(&["index", "size", "offset", "name"]);
        for e in &f.top {
            table.row(vec![
                format!("{}{}", module_prefix(e.module), e.index),
                e.size.to_string(),
                format!("0x{:x}", e.offset),
                name_or_dash(&e.name),
            ]);
        }
        table.render(out)?;
    }

    let d = &s.data;
    writeln!(out)?;
    write!(out, "data: {} segments, {} bytes", d.count, d.bytes)?;
    if let Some(l) = &d.largest {
        write!(out, "; largest: segment {} ({} bytes)", l.index, l.size)?;
    }
    writeln!(out)?;

    writeln!(out)?;
    let imports: Vec<String> = s
        .imports
        .iter()
        .map(|m| format!("{} ({})", m.module, m.count))
        .collect();
    writeln!(out, "imports: {}", list_or_none(&imports))?;
    let exports: Vec<String> = s.exports.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(out, "exports: {}", list_or_none(&exports))?;
    for p in &s.producers {
        writeln!(out, "{}: {}", p.field, p.describe())?;
    }
    if !s.target_features.is_empty() {
        writeln!(out, "target features: {}", s.target_features.join(" "))?;
    }

    if let Some(ops) = &s.ops {
        writeln!(out)?;
        writeln!(out, "instructions")?;
        let mut table = Table::new(&["opcode", "count", "bytes"]);
        for o in ops {
            table.row(vec![
                o.name.clone(),
                o.count.to_string(),
                o.bytes.to_string(),
            ]);
        }
        table.render(out)?;
    }
    if let Some(retained) = &s.retained {
        writeln!(out)?;
        writeln!(
            out,
            "retained size (bytes freed if the function were removed)"
        )?;
        let mut table = Table::new(&["index", "size", "retained", "share", "name"]);
        for r in retained {
            table.row(vec![
                format!("{}{}", module_prefix(r.module), r.index),
                r.size.to_string(),
                r.retained.to_string(),
                format!("{:.1}%", r.share),
                name_or_dash(&r.name),
            ]);
        }
        table.render(out)?;
    }
    if let Some(g) = &s.garbage {
        writeln!(out)?;
        writeln!(
            out,
            "garbage: {}, {}, {} unused; {}",
            count(g.functions.len(), "function", "functions"),
            count(g.globals.len(), "global", "globals"),
            count(g.data.len(), "data segment", "data segments"),
            bytes(g.bytes)
        )?;
        if !g.functions.is_empty() {
            let mut table = Table::new(&["index", "size", "name"]);
            for e in &g.functions {
                table.row(vec![
                    format!("{}{}", module_prefix(e.module), e.index),
                    e.size.to_string(),
                    name_or_dash(&e.name),
                ]);
            }
            table.render(out)?;
        }
        for gl in &g.globals {
            writeln!(
                out,
                "global {}{} {}",
                module_prefix(gl.module),
                gl.index,
                name_or_dash(&gl.name)
            )?;
        }
        for d in &g.data {
            writeln!(
                out,
                "data {}{} ({} bytes) {}",
                module_prefix(d.module),
                d.index,
                d.size,
                name_or_dash(&d.name)
            )?;
        }
    }
    Ok(())
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// A component's parts: each module and component inside, with where its
/// bytes go, then what the component's own sections take.
fn render_parts(
    out: &mut dyn Write,
    size: usize,
    parts: &[wasmscope::stats::PartShare],
) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "parts")?;
    let mut table = Table::new(&[
        "part", "name", "role", "size", "share", "code", "data", "names", "custom",
    ]);
    for p in parts {
        table.row(vec![
            format!("{}{}", "  ".repeat(p.depth), p.id),
            p.name.clone().unwrap_or_else(|| "-".to_string()),
            p.role.unwrap_or("-").to_string(),
            p.size.to_string(),
            format!("{:.1}%", p.share),
            p.code.to_string(),
            p.data.to_string(),
            p.names.to_string(),
            p.custom.to_string(),
        ]);
    }
    let inside: usize = parts.iter().filter(|p| p.depth == 0).map(|p| p.size).sum();
    let own = size.saturating_sub(inside);
    table.row(vec![
        "(its own sections)".to_string(),
        "-".to_string(),
        "types, imports, glue".to_string(),
        own.to_string(),
        format!("{:.1}%", own as f64 * 100.0 / size.max(1) as f64),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    table.render(out)
}
