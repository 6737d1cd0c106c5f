//! Where the bytes go: section shares, custom sections by purpose, code and
//! data sizes, the largest functions, imports and exports, and on request an
//! instruction histogram, retained sizes and dead code.
//!
//! For a component, code and data figures cover every nested core module, and
//! each function or segment says which module (counted from 0) it is in.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::callgraph::CallGraph;
use crate::demangle::display_name;
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex, ProducerField, SegmentMode};
use crate::ops::OpCount;

/// How to order a list of functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Largest first.
    #[default]
    Size,
    /// By name, then index.
    Name,
    /// By index.
    Index,
}

/// What to compute and how to present lists.
#[derive(Debug, Clone, Default)]
pub struct StatsOptions {
    /// How many entries a list shows (0: all).
    pub top: usize,
    /// Order of the function lists.
    pub sort: SortKey,
    /// Keep only entries whose (displayed) name contains this text.
    pub filter: Option<String>,
    /// Keep names mangled.
    pub raw_names: bool,
    /// Compute the instruction histogram.
    pub ops: bool,
    /// Compute retained sizes.
    pub retained: bool,
    /// Compute dead code.
    pub garbage: bool,
    /// Compress the whole input with gzip and brotli.
    pub compressed: bool,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The input's name.
    pub file: String,
    /// A core module or a component.
    pub kind: crate::info::Kind,
    /// Total size in bytes.
    pub size: usize,
    /// Each top-level section with its share of the file.
    pub sections: Vec<SectionShare>,
    /// Custom-section bytes grouped by purpose.
    pub custom: CustomGroups,
    /// Code figures.
    pub functions: FunctionStats,
    /// Data segment figures.
    pub data: DataStats,
    /// Import counts by module name.
    pub imports: Vec<ModuleCount>,
    /// Export counts by kind.
    pub exports: BTreeMap<&'static str, usize>,
    /// The producers section.
    pub producers: Vec<ProducerField>,
    /// The target_features section.
    pub target_features: Vec<String>,
    /// Instruction histogram (with `ops`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ops: Option<Vec<OpCount>>,
    /// Functions keeping the most bytes alive (with `retained`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retained: Option<Vec<RetainedEntry>>,
    /// What nothing reachable uses (with `garbage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub garbage: Option<Garbage>,
    /// For a component: its nested modules and components, depth first,
    /// each with its bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<PartShare>>,
    /// The gzip and brotli sizes of the whole input, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compressed: Option<crate::compressed::Compressed>,
}

/// A part of a component and where its bytes go.
#[derive(Debug, Clone, Serialize)]
pub struct PartShare {
    /// Its id, as `extract` takes it (`module 0`, `component 1/module 2`).
    pub id: String,
    /// `module` or `component`.
    pub kind: crate::component::PartKind,
    /// Its name from the `component-name` section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it is for (`main module`, `WASI adapter`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// How deep it is (0: a part of the component itself).
    pub depth: usize,
    /// Its whole size.
    pub size: usize,
    /// Its share of the file, as a percentage.
    pub share: f64,
    /// Bytes of code sections (of the modules inside, for a component).
    pub code: usize,
    /// Bytes of data sections.
    pub data: usize,
    /// Bytes of name sections.
    pub names: usize,
    /// Bytes of other custom sections (debug info, producers...).
    pub custom: usize,
}

/// The parts of a component with their sizes: modules from their own
/// sections, components from the modules inside them.
fn part_shares(
    bytes: &[u8],
    index: &ModuleIndex,
    share: impl Fn(usize) -> f64,
) -> Result<Vec<PartShare>, DecodeError> {
    let parts = crate::component::parts(bytes)?;
    // The component's own modules are indexed already, in order; only those
    // of nested components are indexed here.
    let mut own = index.nested.iter();
    let mut rows: Vec<PartShare> = Vec::with_capacity(parts.len());
    for part in &parts {
        let mut row = PartShare {
            id: part.id.clone(),
            kind: part.kind,
            name: part.name.clone(),
            role: part.role.map(|r| r.describe()),
            depth: part.depth,
            size: part.range.len(),
            share: share(part.range.len()),
            code: 0,
            data: 0,
            names: 0,
            custom: 0,
        };
        if part.kind == crate::component::PartKind::Module {
            let built;
            let indexed = if part.depth == 0 { own.next() } else { None };
            let index = match indexed {
                Some(index) => index,
                None => {
                    let module_bytes = bytes.get(part.range.clone()).unwrap_or_default();
                    built = ModuleIndex::build(module_bytes).map_err(|e| {
                        DecodeError::new(e.offset.saturating_add(part.range.start), e.message)
                    })?;
                    &built
                }
            };
            for section in &index.sections {
                match section.id {
                    10 => row.code += section.total_size(),
                    11 => row.data += section.total_size(),
                    _ => {}
                }
            }
            for c in &index.customs {
                match c.name.as_str() {
                    "name" => row.names += c.section.len(),
                    _ => row.custom += c.section.len(),
                }
            }
        }
        rows.push(row);
    }
    // A component holds what its modules hold: add each module's figures
    // to every component above it.
    for (i, part) in parts.iter().enumerate() {
        if part.kind != crate::component::PartKind::Module {
            continue;
        }
        let Some(&PartShare {
            code,
            data,
            names,
            custom,
            ..
        }) = rows.get(i)
        else {
            continue;
        };
        let mut parent = part.parent;
        while let Some(p) = parent {
            if let Some(row) = rows.get_mut(p) {
                row.code += code;
                row.data += data;
                row.names += names;
                row.custom += custom;
            }
            parent = parts.get(p).and_then(|x| x.parent);
        }
    }
    Ok(rows)
}

/// A section and its share of the file.
#[derive(Debug, Clone, Serialize)]
pub struct SectionShare {
    /// Section id.
    pub id: u8,
    /// Its kind, or `custom "NAME"` style name for custom sections.
    pub name: String,
    /// Offset of its id byte.
    pub offset: usize,
    /// Size including its header.
    pub size: usize,
    /// Share of the file, in percent.
    pub share: f64,
}

/// Custom-section bytes by purpose.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CustomGroups {
    /// The `name` and `component-name` sections.
    pub names: usize,
    /// The `producers` section.
    pub producers: usize,
    /// DWARF (`.debug_*`), `sourceMappingURL` and `external_debug_info`.
    pub debug: usize,
    /// The `target_features` section.
    pub target_features: usize,
    /// `linking` and `reloc.*`.
    pub linking: usize,
    /// Everything else.
    pub other: usize,
}

/// One function (or data segment) in a list.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionEntry {
    /// Nested module, for components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<usize>,
    /// Function (or segment) index.
    pub index: u32,
    /// Name (demangled unless raw names were asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Body (or data) size in bytes.
    pub size: usize,
    /// Offset of the body (or segment).
    pub offset: usize,
}

/// Code figures.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionStats {
    /// All functions, imported ones included.
    pub count: usize,
    /// Imported functions.
    pub imported: usize,
    /// Bytes of all bodies.
    pub code_bytes: usize,
    /// Median body size.
    pub median: usize,
    /// Largest body size.
    pub largest: usize,
    /// The largest (or otherwise sorted) functions.
    pub top: Vec<FunctionEntry>,
}

/// A data segment in a list: the same fields as a function's.
pub type DataEntry = FunctionEntry;

/// Data figures.
#[derive(Debug, Clone, Serialize)]
pub struct DataStats {
    /// Number of segments.
    pub count: usize,
    /// Bytes of data in all segments.
    pub bytes: usize,
    /// The largest segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest: Option<DataEntry>,
}

/// Imports from one module name.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleCount {
    /// The module name.
    pub module: String,
    /// How many items it provides.
    pub count: usize,
}

/// A function and the bytes it keeps alive.
#[derive(Debug, Clone, Serialize)]
pub struct RetainedEntry {
    /// Nested module, for components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<usize>,
    /// Function index.
    pub index: u32,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its own body size.
    pub size: usize,
    /// Bytes freed if it were removed: itself and what only it reaches.
    pub retained: u64,
    /// Retained bytes as a share of all code, in percent.
    pub share: f64,
}

/// A global that nothing uses.
#[derive(Debug, Clone, Serialize)]
pub struct GlobalEntry {
    /// Nested module, for components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<usize>,
    /// Global index.
    pub index: u32,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Items that nothing reachable from the exports, the start function or the
/// tables uses.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Garbage {
    /// Unreachable functions.
    pub functions: Vec<FunctionEntry>,
    /// Defined globals no reachable code reads or writes, and not exported.
    pub globals: Vec<GlobalEntry>,
    /// Passive data segments no reachable code uses.
    pub data: Vec<DataEntry>,
    /// Bytes of the unreachable function bodies and unused data.
    pub bytes: usize,
}

impl StatsOptions {
    fn name(&self, raw: Option<&str>) -> Option<String> {
        raw.map(|n| display_name(n, self.raw_names))
    }

    fn keeps(&self, name: Option<&str>) -> bool {
        match &self.filter {
            None => true,
            Some(f) => name.is_some_and(|n| n.contains(f.as_str())),
        }
    }

    /// Filters, sorts and cuts a function list.
    pub fn arrange(&self, list: Vec<FunctionEntry>) -> Vec<FunctionEntry> {
        self.cut(self.order(list))
    }

    /// Filters and sorts a function list.
    fn order(&self, mut list: Vec<FunctionEntry>) -> Vec<FunctionEntry> {
        list.retain(|e| self.keeps(e.name.as_deref()));
        match self.sort {
            SortKey::Size => list.sort_by(|a, b| b.size.cmp(&a.size).then(a.index.cmp(&b.index))),
            SortKey::Name => list.sort_by(|a, b| a.name.cmp(&b.name).then(a.index.cmp(&b.index))),
            SortKey::Index => list.sort_by_key(|e| (e.module, e.index)),
        }
        list
    }

    fn cut<T>(&self, mut list: Vec<T>) -> Vec<T> {
        if self.top > 0 {
            list.truncate(self.top);
        }
        list
    }
}

/// Builds the report for an input whose bytes are `bytes`.
pub fn stats(
    file: &str,
    bytes: &[u8],
    index: &ModuleIndex,
    opts: &StatsOptions,
) -> Result<Stats, DecodeError> {
    let size = bytes.len();
    let share = |n: usize| {
        if size == 0 {
            0.0
        } else {
            round2(n as f64 * 100.0 / size as f64)
        }
    };
    let sections = index
        .sections
        .iter()
        .map(|s| SectionShare {
            id: s.id,
            name: s.describe(),
            offset: s.header_offset,
            size: s.total_size(),
            share: share(s.total_size()),
        })
        .collect();

    let modules = index.core_modules();
    let mut custom = CustomGroups::default();
    let mut all_functions = Vec::new();
    let mut imported = 0;
    let mut count = 0;
    let mut all_data = Vec::new();
    let mut imports: BTreeMap<String, usize> = BTreeMap::new();
    let mut exports: BTreeMap<&'static str, usize> = BTreeMap::new();
    for m in std::iter::once(index).chain(index.nested.iter()) {
        for c in &m.customs {
            let n = c.section.len();
            match c.name.as_str() {
                "name" | "component-name" => custom.names += n,
                "producers" => custom.producers += n,
                "target_features" => custom.target_features += n,
                "sourceMappingURL" | "external_debug_info" => custom.debug += n,
                "linking" => custom.linking += n,
                name if name.starts_with(".debug_") => custom.debug += n,
                name if name.starts_with("reloc.") => custom.linking += n,
                _ => custom.other += n,
            }
        }
    }
    for &(module, m) in &modules {
        count += m.functions.len();
        imported += m.imported_functions() as usize;
        for f in m.defined_functions() {
            all_functions.push(FunctionEntry {
                module,
                index: f.index,
                name: opts.name(f.name.as_deref()),
                size: f.size(),
                offset: f.body.as_ref().map_or(0, |b| b.start),
            });
        }
        for d in &m.data {
            all_data.push(DataEntry {
                module,
                index: d.index,
                name: d.name.clone(),
                size: d.size,
                offset: d.range.start,
            });
        }
        for i in &m.imports {
            *imports.entry(i.module.clone()).or_insert(0) += 1;
        }
        for e in &m.exports {
            *exports.entry(e.kind.as_str()).or_insert(0) += 1;
        }
    }
    let mut sizes: Vec<usize> = all_functions.iter().map(|f| f.size).collect();
    sizes.sort_unstable();
    let code_bytes: usize = sizes.iter().sum();
    let functions = FunctionStats {
        count,
        imported,
        code_bytes,
        median: sizes.get(sizes.len() / 2).copied().unwrap_or(0),
        largest: sizes.last().copied().unwrap_or(0),
        top: opts.arrange(all_functions),
    };
    let data = DataStats {
        count: all_data.len(),
        bytes: all_data.iter().map(|d| d.size).sum(),
        largest: all_data.iter().max_by_key(|d| d.size).cloned(),
    };

    let ops = if opts.ops {
        let mut ops = crate::ops::histogram(bytes, index)?;
        ops.retain(|o| opts.keeps(Some(&o.name)));
        Some(opts.cut(ops))
    } else {
        None
    };
    let (retained, garbage) = if opts.retained || opts.garbage {
        let mut retained = Vec::new();
        let mut garbage = Garbage::default();
        for &(module, m) in &modules {
            let graph = CallGraph::build(bytes, m)?;
            if opts.retained {
                retained.extend(retained_entries(module, m, &graph, code_bytes, opts));
            }
            if opts.garbage {
                collect_garbage(module, m, &graph, opts, &mut garbage);
            }
        }
        retained.retain(|e| opts.keeps(e.name.as_deref()));
        retained.sort_by(|a, b| b.retained.cmp(&a.retained).then(a.index.cmp(&b.index)));
        garbage.bytes = garbage.functions.iter().map(|f| f.size).sum::<usize>()
            + garbage.data.iter().map(|d| d.size).sum::<usize>();
        // Dead code is listed whole: it is the answer, not a sample of it.
        garbage.functions = opts.order(garbage.functions);
        garbage.globals.retain(|g| opts.keeps(g.name.as_deref()));
        garbage.data.retain(|d| opts.keeps(d.name.as_deref()));
        (
            opts.retained.then(|| opts.cut(retained)),
            opts.garbage.then_some(garbage),
        )
    } else {
        (None, None)
    };

    let parts = if index.component {
        Some(part_shares(bytes, index, share)?)
    } else {
        None
    };

    Ok(Stats {
        file: file.to_string(),
        kind: crate::info::Kind::of(index),
        size,
        sections,
        custom,
        functions,
        data,
        imports: imports
            .into_iter()
            .map(|(module, count)| ModuleCount { module, count })
            .collect(),
        exports,
        producers: index.producers.clone(),
        target_features: index.target_features.clone(),
        ops,
        retained,
        garbage,
        parts,
        compressed: opts
            .compressed
            .then(|| crate::compressed::Compressed::of(bytes)),
    })
}

fn retained_entries(
    module: Option<usize>,
    m: &ModuleIndex,
    graph: &CallGraph,
    code_bytes: usize,
    opts: &StatsOptions,
) -> Vec<RetainedEntry> {
    let reachable = graph.reachable();
    let sizes = graph.retained_sizes(m);
    m.defined_functions()
        .filter(|f| reachable.get(f.index as usize).copied().unwrap_or(false))
        .map(|f| {
            let retained = sizes.get(f.index as usize).copied().unwrap_or(0);
            RetainedEntry {
                module,
                index: f.index,
                name: opts.name(f.name.as_deref()),
                size: f.size(),
                retained,
                share: if code_bytes == 0 {
                    0.0
                } else {
                    round2(retained as f64 * 100.0 / code_bytes as f64)
                },
            }
        })
        .collect()
}

fn collect_garbage(
    module: Option<usize>,
    m: &ModuleIndex,
    graph: &CallGraph,
    opts: &StatsOptions,
    garbage: &mut Garbage,
) {
    let reachable = graph.reachable();
    let is_reachable = |f: u32| reachable.get(f as usize).copied().unwrap_or(false);
    for f in m.defined_functions().filter(|f| !is_reachable(f.index)) {
        garbage.functions.push(FunctionEntry {
            module,
            index: f.index,
            name: opts.name(f.name.as_deref()),
            size: f.size(),
            offset: f.body.as_ref().map_or(0, |b| b.start),
        });
    }
    let live_code = graph
        .functions
        .iter()
        .enumerate()
        .filter(|(f, _)| is_reachable(*f as u32));
    let mut globals_used = vec![false; m.globals.len()];
    let mut data_used = vec![false; m.data.len()];
    for (_, refs) in live_code {
        for &g in &refs.globals {
            if let Some(u) = globals_used.get_mut(g as usize) {
                *u = true;
            }
        }
        for &d in &refs.data {
            if let Some(u) = data_used.get_mut(d as usize) {
                *u = true;
            }
        }
    }
    for e in m.exports.iter().filter(|e| e.kind == ItemKind::Global) {
        if let Some(u) = globals_used.get_mut(e.index as usize) {
            *u = true;
        }
    }
    for g in m.globals.iter().filter(|g| !g.imported) {
        if !globals_used.get(g.index as usize).copied().unwrap_or(true) {
            garbage.globals.push(GlobalEntry {
                module,
                index: g.index,
                name: g.name.clone(),
            });
        }
    }
    for d in &m.data {
        // Active segments initialise memory whether or not code uses them.
        if d.mode == SegmentMode::Passive
            && !data_used.get(d.index as usize).copied().unwrap_or(true)
        {
            garbage.data.push(DataEntry {
                module,
                index: d.index,
                name: d.name.clone(),
                size: d.size,
                offset: d.range.start,
            });
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
