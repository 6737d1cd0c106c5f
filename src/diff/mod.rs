//! What changed between two builds of a module. Functions are matched
//! across the two sides (by export name, name-section name, normalised body,
//! then position), and their text is compared with both sides naming
//! functions, globals and types the same way, so that renumbering alone
//! changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use serde::Serialize;
use wasmparser::{BinaryReader, FunctionBody, Operator};

use crate::caps;
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};
use crate::print::{self, Renames};

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Leave custom sections out.
    pub ignore_custom: bool,
    /// Compare only this function (by name, export name or old index).
    pub function: Option<String>,
    /// Lines of context around each change in a function's text.
    pub context: usize,
    /// Only the summary: skip printing function text.
    pub stat: bool,
}

/// One input: its name, bytes and index.
pub struct Side<'a> {
    /// The name used in messages.
    pub name: &'a str,
    /// The whole input.
    pub bytes: &'a [u8],
    /// Its index.
    pub index: &'a ModuleIndex,
}

/// A value on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pair<T> {
    /// The old side's.
    pub old: T,
    /// The new side's.
    pub new: T,
}

/// How many items were added, removed and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Only on the new side.
    pub added: usize,
    /// Only on the old side.
    pub removed: usize,
    /// On both, different.
    pub changed: usize,
}

impl Tally {
    fn count<T: Changed>(items: &[T]) -> Tally {
        let mut t = Tally::default();
        for item in items {
            match item.change() {
                Change::Added => t.added += 1,
                Change::Removed => t.removed += 1,
                Change::Changed => t.changed += 1,
                Change::Renamed => {}
            }
        }
        t
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added + self.removed + self.changed == 0
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both, different.
    Changed,
    /// On both, the same but for its name.
    Renamed,
}

trait Changed {
    fn change(&self) -> Change;
}

/// The counts of the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Functions (renames and moves are counted apart).
    pub functions: Tally,
    /// Functions whose only change is their name.
    pub renamed_functions: usize,
    /// Functions unchanged but for their index.
    pub moved_functions: usize,
    /// Imports.
    pub imports: Tally,
    /// Exports.
    pub exports: Tally,
    /// Globals.
    pub globals: Tally,
    /// Data segments.
    pub data: Tally,
    /// Custom sections.
    pub customs: Tally,
}

/// A section's size on each side (absent where it has none).
#[derive(Debug, Clone, Serialize)]
pub struct SectionSize {
    /// `code`, `custom "name"`...
    pub name: String,
    /// Its size on each side, header included.
    pub size: Pair<Option<usize>>,
}

/// An import, export, global or component item that differs.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// What happened.
    pub change: Change,
    /// `module::name` for imports, the name for exports, the index for
    /// globals.
    pub name: String,
    /// `func`, `memory`...
    pub kind: String,
    /// The type on each side, as text.
    #[serde(rename = "type")]
    pub ty: Pair<Option<String>>,
}

impl Changed for ItemChange {
    fn change(&self) -> Change {
        self.change
    }
}

/// A block of a function's text diff.
#[derive(Debug, Clone, Serialize)]
pub struct Hunk {
    /// `@@ -12,7 +12,8 @@`.
    pub header: String,
    /// The lines, each starting with ` `, `-` or `+`.
    pub lines: Vec<String>,
}

/// A function that differs.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionChange {
    /// What happened (a function both renamed and changed is `changed`,
    /// with both names).
    pub change: Change,
    /// Its index on each side.
    pub index: Pair<Option<u32>>,
    /// Its name on each side (demangled), where it has one.
    pub name: Pair<Option<String>>,
    /// Its body size on each side.
    pub size: Pair<Option<usize>>,
    /// How the two sides were matched: `export`, `name`, `body`, `position`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<&'static str>,
    /// The text diff, for a changed function.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hunks: Vec<Hunk>,
}

impl Changed for FunctionChange {
    fn change(&self) -> Change {
        self.change
    }
}

impl FunctionChange {
    /// The name to show: the new one, else the old one, else the index.
    pub fn label(&self) -> String {
        let index = self.index.new.or(self.index.old).unwrap_or(0);
        self.name
            .new
            .clone()
            .or_else(|| self.name.old.clone())
            .unwrap_or_else(|| format!("func {index}"))
    }
}

/// A data segment or custom section that differs.
#[derive(Debug, Clone, Serialize)]
pub struct BlobChange {
    /// What happened.
    pub change: Change,
    /// The segment index or the custom section's name.
    pub name: String,
    /// Its size on each side.
    pub size: Pair<Option<usize>>,
    /// For decoded sections (producers, target features): the lines
    /// removed (`-`) and added (`+`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<String>,
}

impl Changed for BlobChange {
    fn change(&self) -> Change {
        self.change
    }
}

/// A capability needed on one side only.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityChange {
    /// `added`: the new build needs it; `removed`: it no longer does.
    pub change: Change,
    /// The capability (`net-inbound`).
    pub name: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// The imports that need it, on the side that needs it.
    pub imports: Vec<String>,
}

/// The comparison of two modules (or components).
#[derive(Debug, Clone, Serialize)]
pub struct ModuleDiff {
    /// The inputs' names.
    pub file: Pair<String>,
    /// The inputs' sizes.
    pub size: Pair<usize>,
    /// Whether the two are byte for byte the same.
    pub identical: bool,
    /// The counts.
    pub counts: Counts,
    /// Sections whose size differs.
    pub sections: Vec<SectionSize>,
    /// Imports that differ.
    pub imports: Vec<ItemChange>,
    /// Exports that differ.
    pub exports: Vec<ItemChange>,
    /// Functions that differ (moves alone are only counted).
    pub functions: Vec<FunctionChange>,
    /// Globals that differ.
    pub globals: Vec<ItemChange>,
    /// Data segments that differ.
    pub data: Vec<BlobChange>,
    /// Custom sections that differ.
    pub customs: Vec<BlobChange>,
    /// The capabilities each side's reachable code needs, most dangerous
    /// first.
    pub needs: Pair<Vec<&'static str>>,
    /// Capabilities needed by one side only (reachable use).
    pub capabilities: Vec<CapabilityChange>,
    /// A component's own imports and exports that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component_items: Vec<ItemChange>,
    /// Nested core modules of components, matched by position.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nested: Vec<ModuleDiff>,
}

impl ModuleDiff {
    /// Whether anything differs that the comparison looked at.
    pub fn differs(&self) -> bool {
        !self.sections.is_empty()
            || !self.imports.is_empty()
            || !self.exports.is_empty()
            || !self.functions.is_empty()
            || self.counts.moved_functions > 0
            || !self.globals.is_empty()
            || !self.data.is_empty()
            || !self.customs.is_empty()
            || !self.capabilities.is_empty()
            || !self.component_items.is_empty()
            || self.nested.iter().any(ModuleDiff::differs)
    }
}

/// Compares two indexed inputs.
pub fn diff(old: &Side, new: &Side, opts: &DiffOptions) -> Result<ModuleDiff, DecodeError> {
    let mut out = compare(old, new, old.index, new.index, opts)?;
    out.identical = old.bytes == new.bytes;
    if old.index.component || new.index.component {
        out.component_items = component_items(old.index, new.index);
        // Nested modules: by their names where both have one, then by
        // position.
        let (on, nn) = (&old.index.nested, &new.index.nested);
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        let mut taken = vec![false; nn.len()];
        let mut unmatched = Vec::new();
        for (i, m) in on.iter().enumerate() {
            let by_name = m.module_name.as_ref().and_then(|name| {
                nn.iter()
                    .zip(&mut taken)
                    .enumerate()
                    .find(|(_, (n, used))| !**used && n.module_name.as_ref() == Some(name))
            });
            match by_name {
                Some((j, (_, used))) => {
                    *used = true;
                    pairs.push((Some(i), Some(j)));
                }
                None => unmatched.push(i),
            }
        }
        for i in unmatched {
            let free = nn
                .iter()
                .zip(&mut taken)
                .enumerate()
                .find(|(j, (n, used))| !**used && (*j == i || n.module_name.is_none()));
            match free {
                Some((j, (_, used))) => {
                    *used = true;
                    pairs.push((Some(i), Some(j)));
                }
                None => pairs.push((Some(i), None)),
            }
        }
        pairs.extend(
            taken
                .iter()
                .enumerate()
                .filter(|(_, used)| !**used)
                .map(|(j, _)| (None, Some(j))),
        );
        for (i, j) in pairs {
            match (i, j) {
                (Some(i), Some(j)) => {
                    let (Some(om), Some(nm)) = (on.get(i), nn.get(j)) else {
                        continue;
                    };
                    let mut d = compare(old, new, om, nm, opts)?;
                    d.file = Pair {
                        old: format!("{} module {i}", old.name),
                        new: format!("{} module {j}", new.name),
                    };
                    out.nested.push(d);
                }
                (i, j) => out.component_items.push(ItemChange {
                    change: if i.is_some() {
                        Change::Removed
                    } else {
                        Change::Added
                    },
                    name: format!("core module {}", i.or(j).unwrap_or(0)),
                    kind: "module".to_string(),
                    ty: Pair {
                        old: None,
                        new: None,
                    },
                }),
            }
        }
    }
    Ok(out)
}

fn compare(
    old: &Side,
    new: &Side,
    o: &ModuleIndex,
    n: &ModuleIndex,
    opts: &DiffOptions,
) -> Result<ModuleDiff, DecodeError> {
    let sections = section_sizes(o, n, opts);
    let imports = item_changes(
        o.imports
            .iter()
            .map(|i| (format!("{}::{}", i.module, i.name), i.kind, i.ty.clone())),
        n.imports
            .iter()
            .map(|i| (format!("{}::{}", i.module, i.name), i.kind, i.ty.clone())),
    );
    let exports = item_changes(
        o.exports
            .iter()
            .map(|e| (e.name.clone(), e.kind, e.ty.clone())),
        n.exports
            .iter()
            .map(|e| (e.name.clone(), e.kind, e.ty.clone())),
    );
    let globals = item_changes(
        o.globals
            .iter()
            .map(|g| (g.index.to_string(), ItemKind::Global, g.ty.clone())),
        n.globals
            .iter()
            .map(|g| (g.index.to_string(), ItemKind::Global, g.ty.clone())),
    );
    let matching = Matching::build(old.bytes, new.bytes, o, n)?;
    let functions = function_changes(old.bytes, new.bytes, o, n, &matching, opts)?;
    let data = data_changes(old.bytes, new.bytes, o, n);
    let customs = if opts.ignore_custom {
        Vec::new()
    } else {
        custom_changes(old.bytes, new.bytes, o, n)
    };
    let (needs, capabilities) = capability_changes(old, new, o, n)?;
    let listed: HashSet<u32> = functions.iter().filter_map(|f| f.index.old).collect();
    let moved = matching
        .pairs
        .iter()
        .filter(|(a, b)| a != b && !listed.contains(a))
        .count();
    let counts = Counts {
        functions: Tally::count(&functions),
        renamed_functions: functions
            .iter()
            .filter(|f| f.change == Change::Renamed)
            .count(),
        moved_functions: moved,
        imports: Tally::count(&imports),
        exports: Tally::count(&exports),
        globals: Tally::count(&globals),
        data: Tally::count(&data),
        customs: Tally::count(&customs),
    };
    Ok(ModuleDiff {
        file: Pair {
            old: old.name.to_string(),
            new: new.name.to_string(),
        },
        size: Pair {
            old: o.range.len(),
            new: n.range.len(),
        },
        identical: false,
        counts,
        sections,
        imports,
        exports,
        functions,
        globals,
        data,
        customs,
        needs,
        capabilities,
        component_items: Vec::new(),
        nested: Vec::new(),
    })
}

fn section_sizes(o: &ModuleIndex, n: &ModuleIndex, opts: &DiffOptions) -> Vec<SectionSize> {
    let sizes = |index: &ModuleIndex| -> Vec<(String, usize)> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        index
            .sections
            .iter()
            .filter(|s| !(opts.ignore_custom && s.custom_name.is_some()))
            .map(|s| {
                let name = s.describe();
                let k = seen.entry(name.clone()).or_insert(0);
                *k += 1;
                let key = if *k > 1 { format!("{name} #{k}") } else { name };
                (key, s.total_size())
            })
            .collect()
    };
    let (a, b) = (sizes(o), sizes(n));
    let old: HashMap<&str, usize> = a.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let new: HashMap<&str, usize> = b.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut names: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
    names.extend(
        b.iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !old.contains_key(k)),
    );
    names
        .into_iter()
        .filter_map(|name| {
            let size = Pair {
                old: old.get(name).copied(),
                new: new.get(name).copied(),
            };
            (size.old != size.new).then(|| SectionSize {
                name: name.to_string(),
                size,
            })
        })
        .collect()
}

fn item_changes(
    old: impl Iterator<Item = (String, ItemKind, String)>,
    new: impl Iterator<Item = (String, ItemKind, String)>,
) -> Vec<ItemChange> {
    let old: Vec<_> = old.collect();
    let new: Vec<_> = new.collect();
    // A name may be there more than once (a module may import one function
    // twice, under two types): each old item takes a new one of its name,
    // an identical one first, then the first left.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (name, _, _)) in new.iter().enumerate() {
        by_name.entry(name.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; new.len()];
    let mut out = Vec::new();
    for (name, kind, ty) in &old {
        let candidates = by_name.get(name.as_str()).map_or(&[][..], Vec::as_slice);
        let free = |i: &&usize| !taken.get(**i).copied().unwrap_or(true);
        let same = |i: &&usize| new.get(**i).is_some_and(|(_, k, t)| k == kind && t == ty);
        let pick = candidates
            .iter()
            .filter(free)
            .find(same)
            .or_else(|| candidates.iter().find(free))
            .copied();
        let Some((i, (_, new_kind, new_ty))) = pick.and_then(|i| Some((i, new.get(i)?))) else {
            out.push(ItemChange {
                change: Change::Removed,
                name: name.clone(),
                kind: kind.as_str().to_string(),
                ty: Pair {
                    old: Some(ty.clone()),
                    new: None,
                },
            });
            continue;
        };
        if let Some(t) = taken.get_mut(i) {
            *t = true;
        }
        if new_kind != kind || new_ty != ty {
            out.push(ItemChange {
                change: Change::Changed,
                name: name.clone(),
                kind: new_kind.as_str().to_string(),
                ty: Pair {
                    old: Some(ty.clone()),
                    new: Some(new_ty.clone()),
                },
            });
        }
    }
    for ((name, kind, ty), taken) in new.iter().zip(&taken) {
        if !taken {
            out.push(ItemChange {
                change: Change::Added,
                name: name.clone(),
                kind: kind.as_str().to_string(),
                ty: Pair {
                    old: None,
                    new: Some(ty.clone()),
                },
            });
        }
    }
    out
}

fn component_items(o: &ModuleIndex, n: &ModuleIndex) -> Vec<ItemChange> {
    let items = |index: &ModuleIndex| -> Vec<(String, String)> {
        index
            .component_imports
            .iter()
            .map(|i| (format!("import {}", i.name), i.kind.to_string()))
            .chain(
                index
                    .component_exports
                    .iter()
                    .map(|e| (format!("export {}", e.name), e.kind.to_string())),
            )
            .collect()
    };
    let (a, b) = (items(o), items(n));
    let mut out = Vec::new();
    for (name, kind) in &a {
        match b.iter().find(|(k, _)| k == name) {
            None => out.push(component_item(Change::Removed, name, kind)),
            Some((_, k)) if k != kind => out.push(component_item(Change::Changed, name, k)),
            Some(_) => {}
        }
    }
    for (name, kind) in &b {
        if !a.iter().any(|(k, _)| k == name) {
            out.push(component_item(Change::Added, name, kind));
        }
    }
    out
}

fn component_item(change: Change, name: &str, kind: &str) -> ItemChange {
    ItemChange {
        change,
        name: name.to_string(),
        kind: kind.to_string(),
        ty: Pair {
            old: None,
            new: None,
        },
    }
}

// ---------------------------------------------------------------------------
// Matching functions.

/// Which old function is which new one.
struct Matching {
    /// Old index to new index, for matched functions.
    pairs: BTreeMap<u32, u32>,
    /// New index to old index.
    back: HashMap<u32, u32>,
    /// How each old function was matched.
    how: HashMap<u32, &'static str>,
    /// Old global index to new, and the reverse.
    globals: BTreeMap<u32, u32>,
    globals_back: HashMap<u32, u32>,
    /// New type index to an old type with the same text.
    types_back: HashMap<u32, u32>,
}

impl Matching {
    fn build(
        old: &[u8],
        new: &[u8],
        o: &ModuleIndex,
        n: &ModuleIndex,
    ) -> Result<Matching, DecodeError> {
        let mut m = Matching {
            pairs: BTreeMap::new(),
            back: HashMap::new(),
            how: HashMap::new(),
            globals: BTreeMap::new(),
            globals_back: HashMap::new(),
            types_back: HashMap::new(),
        };
        m.match_types(o, n);
        m.match_globals(o, n);
        // Imported functions: by module and name.
        let imports = |index: &ModuleIndex| -> HashMap<(String, String), u32> {
            index
                .imports
                .iter()
                .filter(|i| i.kind == ItemKind::Func)
                .map(|i| ((i.module.clone(), i.name.clone()), i.index))
                .collect()
        };
        let new_imports = imports(n);
        for ((module, name), a) in imports(o) {
            if let Some(&b) = new_imports.get(&(module, name)) {
                m.pair(a, b, "import");
            }
        }
        // Exported functions: by export name.
        let exports = |index: &ModuleIndex| -> Vec<(String, u32)> {
            index
                .exports
                .iter()
                .filter(|e| e.kind == ItemKind::Func)
                // An invalid module may export a function it does not
                // have: such an export matches nothing.
                .filter(|e| (e.index as usize) < index.functions.len())
                .map(|e| (e.name.clone(), e.index))
                .collect()
        };
        let new_exports: HashMap<String, u32> = exports(n).into_iter().collect();
        for (name, a) in exports(o) {
            if let Some(&b) = new_exports.get(&name) {
                m.pair(a, b, "export");
            }
        }
        // Names from the name section, where unique on both sides.
        let names = |index: &ModuleIndex, demangled: bool| -> HashMap<String, u32> {
            let name_of = |f: &crate::index::Function| {
                f.name.as_deref().map(|n| {
                    if demangled {
                        crate::demangle::demangle(n)
                    } else {
                        n.to_string()
                    }
                })
            };
            let mut count: HashMap<String, usize> = HashMap::new();
            for f in &index.functions {
                if let Some(name) = name_of(f) {
                    *count.entry(name).or_insert(0) += 1;
                }
            }
            index
                .functions
                .iter()
                .filter_map(|f| {
                    let name = name_of(f)?;
                    (count.get(&name) == Some(&1)).then_some((name, f.index))
                })
                .collect()
        };
        let new_names = names(n, false);
        for (name, a) in names(o, false) {
            if let Some(&b) = new_names.get(&name) {
                m.pair(a, b, "name");
            }
        }
        // Then demangled: a Rust symbol's hash changes from build to build
        // while the function stays the same.
        let new_names = names(n, true);
        for (name, a) in names(o, true) {
            if let Some(&b) = new_names.get(&name) {
                m.pair(a, b, "name");
            }
        }
        // Bodies that are the same once indices are replaced by what they
        // refer to; twice, since each round names more callees.
        for _ in 0..2 {
            let hashes = |bytes: &[u8], index: &ModuleIndex, old_side: bool| {
                use rayon::prelude::*;
                let unmatched: Vec<(u32, Range<usize>)> = index
                    .defined_functions()
                    .filter(|f| {
                        if old_side {
                            !m.pairs.contains_key(&f.index)
                        } else {
                            !m.back.contains_key(&f.index)
                        }
                    })
                    .filter_map(|f| Some((f.index, f.body.clone()?)))
                    .collect();
                // Hashed on every core, gathered in order.
                let hashed: Vec<Result<u64, DecodeError>> = unmatched
                    .par_iter()
                    .map(|(_, body)| m.body_hash(bytes, index, body.clone(), old_side))
                    .collect();
                let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::new();
                for ((func, _), h) in unmatched.iter().zip(hashed) {
                    by_hash.entry(h?).or_default().push(*func);
                }
                Ok::<_, DecodeError>(by_hash)
            };
            let (a, b) = (hashes(old, o, true)?, hashes(new, n, false)?);
            let mut found = false;
            for (h, olds) in &a {
                let Some(news) = b.get(h) else { continue };
                if let ([x], [y]) = (olds.as_slice(), news.as_slice()) {
                    m.pair(*x, *y, "body");
                    found = true;
                } else if olds.len() == news.len() {
                    // Copies of one body (generic code instantiated more
                    // than once, often under one name): the same names
                    // first, then in order.
                    let name =
                        |index: &ModuleIndex, f: u32| index.function_name(f).map(str::to_string);
                    for &x in olds {
                        if let Some(&y) = news
                            .iter()
                            .find(|&&y| !m.back.contains_key(&y) && name(o, x) == name(n, y))
                        {
                            m.pair(x, y, "body");
                        }
                    }
                    let rest_old: Vec<u32> = olds
                        .iter()
                        .copied()
                        .filter(|x| !m.pairs.contains_key(x))
                        .collect();
                    let rest_new: Vec<u32> = news
                        .iter()
                        .copied()
                        .filter(|y| !m.back.contains_key(y))
                        .collect();
                    for (x, y) in rest_old.into_iter().zip(rest_new) {
                        m.pair(x, y, "body");
                    }
                    found = true;
                }
            }
            if !found {
                break;
            }
        }
        // Last: what is left, in order, where the types agree. Functions
        // with names of their own that matched nothing are different
        // functions, not the same one moved: only unnamed ones take part.
        let left = |index: &ModuleIndex, matched: &dyn Fn(u32) -> bool| -> Vec<(u32, String)> {
            index
                .defined_functions()
                .filter(|f| !matched(f.index) && f.name.is_none())
                .map(|f| {
                    (
                        f.index,
                        index
                            .types
                            .get(f.type_index as usize)
                            .cloned()
                            .unwrap_or_default(),
                    )
                })
                .collect()
        };
        let a = left(o, &|i| m.pairs.contains_key(&i));
        let b = left(n, &|i| m.back.contains_key(&i));
        for ((x, tx), (y, ty)) in a.iter().zip(b.iter()) {
            if tx == ty {
                m.pair(*x, *y, "position");
            }
        }
        Ok(m)
    }

    fn pair(&mut self, a: u32, b: u32, how: &'static str) {
        if self.pairs.contains_key(&a) || self.back.contains_key(&b) {
            return;
        }
        self.pairs.insert(a, b);
        self.back.insert(b, a);
        self.how.insert(a, how);
    }

    fn match_types(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let mut first: HashMap<&str, u32> = HashMap::new();
        for (i, t) in o.types.iter().enumerate() {
            first.entry(t.as_str()).or_insert(i as u32);
        }
        for (i, t) in n.types.iter().enumerate() {
            if let Some(&a) = first.get(t.as_str()) {
                self.types_back.insert(i as u32, a);
            }
        }
    }

    /// Globals: imported ones by module and name, then by export name, then
    /// by name, then in order.
    fn match_globals(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let keys = |index: &ModuleIndex| -> Vec<(u32, Vec<String>)> {
            index
                .globals
                .iter()
                .map(|g| {
                    let mut keys = Vec::new();
                    for i in &index.imports {
                        if i.kind == ItemKind::Global && i.index == g.index {
                            keys.push(format!("import {}::{}", i.module, i.name));
                        }
                    }
                    for e in &index.exports {
                        if e.kind == ItemKind::Global && e.index == g.index {
                            keys.push(format!("export {}", e.name));
                        }
                    }
                    if let Some(name) = &g.name {
                        keys.push(format!("name {name}"));
                    }
                    (g.index, keys)
                })
                .collect()
        };
        let (a, b) = (keys(o), keys(n));
        for (x, kx) in &a {
            if let Some((y, _)) = b.iter().find(|(y, ky)| {
                !self.globals_back.contains_key(y) && ky.iter().any(|k| kx.contains(k))
            }) {
                self.globals.insert(*x, *y);
                self.globals_back.insert(*y, *x);
            }
        }
        let rest_a: Vec<u32> = a
            .iter()
            .map(|(x, _)| *x)
            .filter(|x| !self.globals.contains_key(x))
            .collect();
        let rest_b: Vec<u32> = b
            .iter()
            .map(|(y, _)| *y)
            .filter(|y| !self.globals_back.contains_key(y))
            .collect();
        for (x, y) in rest_a.into_iter().zip(rest_b) {
            self.globals.insert(x, y);
            self.globals_back.insert(y, x);
        }
    }

    /// A hash of a body in which every function, global and type index is
    /// replaced by what it stands for on the old side's numbering.
    fn body_hash(
        &self,
        bytes: &[u8],
        index: &ModuleIndex,
        body: Range<usize>,
        old_side: bool,
    ) -> Result<u64, DecodeError> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let function_key = |f: u32| -> (u8, u32) {
            let old = if old_side {
                Some(f).filter(|f| self.pairs.contains_key(f))
            } else {
                self.back.get(&f).copied()
            };
            match old {
                Some(o) => (1, o),
                None => (2, 0),
            }
        };
        let global_key = |g: u32| -> (u8, u32) {
            let old = if old_side {
                Some(g)
            } else {
                self.globals_back.get(&g).copied()
            };
            old.map_or((2, 0), |o| (1, o))
        };
        let type_key =
            |t: u32| -> String { index.types.get(t as usize).cloned().unwrap_or_default() };
        let data = bytes
            .get(body.clone())
            .ok_or_else(|| DecodeError::new(body.start, "function body out of bounds"))?;
        let reader = FunctionBody::new(BinaryReader::new(data, body.start as u64));
        let mut locals = reader.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let (count, ty) = locals.read()?;
            (count, format!("{ty:?}")).hash(&mut h);
        }
        let mut ops = reader.get_operators_reader()?;
        while !ops.eof() {
            let start = ops.original_position();
            let op = ops.read()?;
            let end = ops.original_position();
            match op {
                Operator::Call { function_index }
                | Operator::ReturnCall { function_index }
                | Operator::RefFunc { function_index } => {
                    ("call", function_key(function_index)).hash(&mut h)
                }
                Operator::GlobalGet { global_index } | Operator::GlobalSet { global_index } => {
                    ("global", global_key(global_index)).hash(&mut h)
                }
                Operator::CallIndirect {
                    type_index,
                    table_index,
                }
                | Operator::ReturnCallIndirect {
                    type_index,
                    table_index,
                } => ("call_indirect", type_key(type_index), table_index).hash(&mut h),
                _ => bytes
                    .get(start as usize..end as usize)
                    .unwrap_or_default()
                    .hash(&mut h),
            }
        }
        Ok(h.finish())
    }
}

// ---------------------------------------------------------------------------
// Function text.

/// Names for one side, in the old side's terms: a matched function or
/// global gets its old name (or `func12` after its old index), one only on
/// this side its own name (or `new-func12`), a type the old index of a type
/// with the same text.
fn renames(
    bytes: &[u8],
    index: &ModuleIndex,
    m: &Matching,
    old_side: bool,
    other: &ModuleIndex,
) -> Renames {
    let old_index: &ModuleIndex = if old_side { index } else { other };
    let mut r = Renames::default();
    for f in &index.functions {
        let old = if old_side {
            Some(f.index)
        } else {
            m.back.get(&f.index).copied()
        };
        let name = match old {
            Some(o) => old_index
                .functions
                .get(o as usize)
                .and_then(|f| f.name.clone())
                .unwrap_or_else(|| format!("func{o}")),
            None => f
                .name
                .clone()
                .unwrap_or_else(|| format!("new-func{}", f.index)),
        };
        r.functions.insert(f.index, name);
    }
    for g in &index.globals {
        let old = if old_side {
            Some(g.index)
        } else {
            m.globals_back.get(&g.index).copied()
        };
        let name = match old {
            Some(o) => old_index
                .globals
                .get(o as usize)
                .and_then(|g| g.name.clone())
                .unwrap_or_else(|| format!("global{o}")),
            None => g
                .name
                .clone()
                .unwrap_or_else(|| format!("new-global{}", g.index)),
        };
        r.globals.insert(g.index, name);
    }
    for t in 0..index.types.len() as u32 {
        let old = if old_side {
            Some(t)
        } else {
            m.types_back.get(&t).copied()
        };
        r.types.insert(
            t,
            old.map_or_else(|| format!("new-type{t}"), |o| format!("type{o}")),
        );
    }
    r.read_locals(bytes, index);
    r
}

/// A function's text for comparing: no offsets, no index comment.
fn comparable_text(
    bytes: &[u8],
    index: &ModuleIndex,
    func: u32,
    names: &Renames,
) -> Result<String, DecodeError> {
    let lines = print::function_text_renamed(bytes, index, func, Some(names))
        .map_err(|e| DecodeError::new(index.range.start, e.to_string()))?;
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        let mut t = line.text();
        if i == 0 {
            // The header is written here: the printer names the function
            // by the index it was printed at, not by its own.
            if let Some(at) = t.find(" (type ") {
                let indent = &t[..t.len() - t.trim_start().len()];
                let own = names.functions.get(&func).map_or("", String::as_str);
                t = format!("{indent}(func ${own}{}", &t[at..]);
            }
        }
        text.push_str(t.trim_end());
        text.push('\n');
    }
    Ok(text)
}

fn hunks(old: &str, new: &str, context: usize) -> Vec<Hunk> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for hunk in diff.unified_diff().context_radius(context).iter_hunks() {
        let header = hunk.header().to_string();
        let lines = hunk
            .iter_changes()
            .map(|c| {
                let sign = match c.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                format!("{sign}{}", c.value().trim_end_matches('\n'))
            })
            .collect();
        out.push(Hunk { header, lines });
    }
    out
}

fn function_changes(
    old: &[u8],
    new: &[u8],
    o: &ModuleIndex,
    n: &ModuleIndex,
    m: &Matching,
    opts: &DiffOptions,
) -> Result<Vec<FunctionChange>, DecodeError> {
    let old_names = renames(old, o, m, true, o);
    let new_names = renames(new, n, m, false, o);
    let display = |index: &ModuleIndex, f: u32| {
        index
            .functions
            .get(f as usize)
            .and_then(|f| f.name.as_deref())
            .map(crate::demangle::demangle)
    };
    let size = |index: &ModuleIndex, f: u32| index.functions.get(f as usize).map(|f| f.size());
    let wanted = |oi: Option<u32>, ni: Option<u32>| -> bool {
        let Some(want) = &opts.function else {
            return true;
        };
        let names = [
            oi.and_then(|f| display(o, f)),
            ni.and_then(|f| display(n, f)),
        ];
        let raw = [
            oi.and_then(|f| o.functions.get(f as usize)?.name.clone()),
            ni.and_then(|f| n.functions.get(f as usize)?.name.clone()),
        ];
        names.iter().chain(raw.iter()).flatten().any(|x| x == want)
            || oi.is_some_and(|f| o.find_function(want) == Some(f))
            || ni.is_some_and(|f| n.find_function(want) == Some(f))
    };
    let mut out = Vec::new();
    // Each pair is compared on its own: in parallel.
    use rayon::prelude::*;
    let pairs: Vec<(u32, u32)> = m.pairs.iter().map(|(&a, &b)| (a, b)).collect();
    let compared: Vec<Option<FunctionChange>> = pairs
        .par_iter()
        .map(|&(a, b)| -> Result<Option<FunctionChange>, DecodeError> {
            if !wanted(Some(a), Some(b)) {
                return Ok(None);
            }
            let (Some(fa), Some(fb)) = (o.functions.get(a as usize), n.functions.get(b as usize))
            else {
                return Ok(None);
            };
            let (Some(body_a), Some(body_b)) = (&fa.body, &fb.body) else {
                return Ok(None);
            };
            let renamed = display(o, a) != display(n, b);
            // Bodies that hash the same (indices read as what they refer
            // to) print the same: only the others are printed and compared,
            // which keeps a diff of two large modules from printing every
            // function.
            let same_body = m.body_hash(old, o, body_a.clone(), true)?
                == m.body_hash(new, n, body_b.clone(), false)?;
            // With --stat a different hash is taken as a change, unprinted.
            let texts = if same_body || opts.stat {
                None
            } else {
                let text_a = comparable_text(old, o, a, &old_names)?;
                let text_b = comparable_text(new, n, b, &new_names)?;
                (text_a != text_b).then_some((text_a, text_b))
            };
            let change = match (texts.is_some() || (opts.stat && !same_body), renamed) {
                (true, _) => Change::Changed,
                (false, true) => Change::Renamed,
                (false, false) => return Ok(None),
            };
            Ok(Some(FunctionChange {
                change,
                index: Pair {
                    old: Some(a),
                    new: Some(b),
                },
                name: Pair {
                    old: display(o, a),
                    new: display(n, b),
                },
                size: Pair {
                    old: size(o, a),
                    new: size(n, b),
                },
                matched_by: m.how.get(&a).copied(),
                hunks: match &texts {
                    Some((a, b)) => hunks(a, b, opts.context),
                    None => Vec::new(),
                },
            }))
        })
        .collect::<Result<_, _>>()?;
    out.extend(compared.into_iter().flatten());
    for f in o.defined_functions() {
        if !m.pairs.contains_key(&f.index) && wanted(Some(f.index), None) {
            out.push(one_side(
                Change::Removed,
                Some(f.index),
                None,
                display(o, f.index),
                size(o, f.index),
            ));
        }
    }
    for f in n.defined_functions() {
        if !m.back.contains_key(&f.index) && wanted(None, Some(f.index)) {
            out.push(one_side(
                Change::Added,
                None,
                Some(f.index),
                display(n, f.index),
                size(n, f.index),
            ));
        }
    }
    Ok(out)
}

fn one_side(
    change: Change,
    old: Option<u32>,
    new: Option<u32>,
    name: Option<String>,
    size: Option<usize>,
) -> FunctionChange {
    let added = change == Change::Added;
    FunctionChange {
        change,
        index: Pair { old, new },
        name: if added {
            Pair {
                old: None,
                new: name,
            }
        } else {
            Pair {
                old: name,
                new: None,
            }
        },
        size: if added {
            Pair {
                old: None,
                new: size,
            }
        } else {
            Pair {
                old: size,
                new: None,
            }
        },
        matched_by: None,
        hunks: Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// Data, custom sections, capabilities.

fn blob(change: Change, name: String, old: Option<usize>, new: Option<usize>) -> BlobChange {
    BlobChange {
        change,
        name,
        size: Pair { old, new },
        content: Vec::new(),
    }
}

fn data_changes(old: &[u8], new: &[u8], o: &ModuleIndex, n: &ModuleIndex) -> Vec<BlobChange> {
    let count = o.data.len().max(n.data.len());
    let mut out = Vec::new();
    for i in 0..count {
        let name = format!("segment {i}");
        match (o.data.get(i), n.data.get(i)) {
            (Some(a), Some(b)) => {
                if old.get(a.range.clone()) != new.get(b.range.clone()) {
                    out.push(blob(Change::Changed, name, Some(a.size), Some(b.size)));
                }
            }
            (Some(a), None) => out.push(blob(Change::Removed, name, Some(a.size), None)),
            (None, Some(b)) => out.push(blob(Change::Added, name, None, Some(b.size))),
            (None, None) => {}
        }
    }
    out
}

/// Custom sections up to this size are compared line by line when they
/// are text.
const TEXT_LIMIT: usize = 4096;

/// A custom section's content as lines: decoded (producers, target
/// features) or, for a small text section, its text.
fn decoded(index: &ModuleIndex, name: &str, data: &[u8]) -> Option<Vec<String>> {
    if let Some(lines) = index.decoded_custom(name) {
        return Some(lines);
    }
    if data.len() > TEXT_LIMIT {
        return None;
    }
    let text = std::str::from_utf8(data).ok()?;
    text.chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
        .then(|| text.lines().map(str::to_string).collect())
}

fn custom_changes(old: &[u8], new: &[u8], o: &ModuleIndex, n: &ModuleIndex) -> Vec<BlobChange> {
    // The k-th section of a name on one side goes with the k-th on the other.
    let keyed = |index: &ModuleIndex| -> Vec<(String, Range<usize>)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        index
            .customs
            .iter()
            // Names are compared as functions: renames, not bytes.
            .filter(|c| c.name != "name")
            .map(|c| {
                let k = seen.entry(&c.name).or_insert(0);
                *k += 1;
                let key = if *k > 1 {
                    format!("{} #{k}", c.name)
                } else {
                    c.name.clone()
                };
                (key, c.data.clone())
            })
            .collect()
    };
    let (a, b) = (keyed(o), keyed(n));
    let mut out = Vec::new();
    for (name, ra) in &a {
        match b.iter().find(|(k, _)| k == name) {
            None => out.push(blob(Change::Removed, name.clone(), Some(ra.len()), None)),
            Some((_, rb)) if old.get(ra.clone()) != new.get(rb.clone()) => {
                let mut change = blob(
                    Change::Changed,
                    name.clone(),
                    Some(ra.len()),
                    Some(rb.len()),
                );
                let base = name.split(" #").next().unwrap_or(name);
                let (da, db) = (
                    old.get(ra.clone()).unwrap_or_default(),
                    new.get(rb.clone()).unwrap_or_default(),
                );
                if let (Some(x), Some(y)) = (decoded(o, base, da), decoded(n, base, db)) {
                    change
                        .content
                        .extend(x.iter().filter(|l| !y.contains(l)).map(|l| format!("-{l}")));
                    change
                        .content
                        .extend(y.iter().filter(|l| !x.contains(l)).map(|l| format!("+{l}")));
                }
                out.push(change);
            }
            Some(_) => {}
        }
    }
    for (name, rb) in &b {
        if !a.iter().any(|(k, _)| k == name) {
            out.push(blob(Change::Added, name.clone(), None, Some(rb.len())));
        }
    }
    out
}

/// The capabilities each side's reachable code needs, and the changes.
type CapabilityReport = (Pair<Vec<&'static str>>, Vec<CapabilityChange>);

fn capability_changes(
    old: &Side,
    new: &Side,
    o: &ModuleIndex,
    n: &ModuleIndex,
) -> Result<CapabilityReport, DecodeError> {
    let a = caps::audit(old.name, old.bytes, o)?;
    let b = caps::audit(new.name, new.bytes, n)?;
    let needed = |c: &caps::Caps| -> Vec<(caps::Capability, Vec<String>)> {
        c.needed(false)
            .map(|u| {
                let imports = u
                    .imports
                    .iter()
                    .filter(|i| i.reachable)
                    .map(|i| format!("{}::{}", i.module, i.name))
                    .collect();
                (u.capability(), imports)
            })
            .collect()
    };
    let (x, y) = (needed(&a), needed(&b));
    let mut out = Vec::new();
    for (cap, imports) in &y {
        if !x.iter().any(|(c, _)| c == cap) {
            out.push(CapabilityChange {
                change: Change::Added,
                name: cap.name(),
                meaning: cap.meaning(),
                imports: imports.clone(),
            });
        }
    }
    for (cap, imports) in &x {
        if !y.iter().any(|(c, _)| c == cap) {
            out.push(CapabilityChange {
                change: Change::Removed,
                name: cap.name(),
                meaning: cap.meaning(),
                imports: imports.clone(),
            });
        }
    }
    let names =
        |list: &[(caps::Capability, Vec<String>)]| list.iter().map(|(c, _)| c.name()).collect();
    Ok((
        Pair {
            old: names(&x),
            new: names(&y),
        },
        out,
    ))
}
