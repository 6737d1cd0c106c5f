//! The comparison of paired functions: both sides are printed with the old
//! side's names (so renumbering alone changes no line) and their texts
//! compared as a unified diff; functions on one side only are listed as
//! added or removed.

use rayon::prelude::*;

use crate::error::DecodeError;
use crate::index::ModuleIndex;
use crate::print::{self, Renames};

use super::DiffOptions;
use super::matching::Matching;
use super::report::{Change, FunctionChange, Hunk, Pair};

/// The functions that differ: the paired ones that changed or were
/// renamed, then those only on the old side, then those only on the new.
pub(super) fn function_changes(
    old: &[u8],
    new: &[u8],
    o: &ModuleIndex,
    n: &ModuleIndex,
    m: &Matching,
    opts: &DiffOptions,
) -> Result<Vec<FunctionChange>, DecodeError> {
    let cmp = Comparison {
        old,
        new,
        o,
        n,
        m,
        opts,
        old_names: renames(old, o, m, true, o),
        new_names: renames(new, n, m, false, o),
    };
    let mut out = cmp.paired_changes()?;
    out.extend(cmp.one_sided());
    Ok(out)
}

/// Both sides, their pairing and the names each is printed with.
struct Comparison<'a> {
    old: &'a [u8],
    new: &'a [u8],
    o: &'a ModuleIndex,
    n: &'a ModuleIndex,
    m: &'a Matching,
    opts: &'a DiffOptions,
    old_names: Renames,
    new_names: Renames,
}

impl Comparison<'_> {
    /// Each pair is compared on its own: in parallel, gathered in order.
    fn paired_changes(&self) -> Result<Vec<FunctionChange>, DecodeError> {
        let pairs: Vec<(u32, u32)> = self.m.pairs.iter().map(|(&a, &b)| (a, b)).collect();
        let compared: Vec<Option<FunctionChange>> = pairs
            .par_iter()
            .map(|&(a, b)| self.compare_pair(a, b))
            .collect::<Result<_, _>>()?;
        Ok(compared.into_iter().flatten().collect())
    }

    /// A paired function's change, if it has one.
    fn compare_pair(&self, a: u32, b: u32) -> Result<Option<FunctionChange>, DecodeError> {
        let (o, n, opts) = (self.o, self.n, self.opts);
        if !self.wanted(Some(a), Some(b)) {
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
        // Bodies that hash the same (indices read as what they refer to)
        // print the same: only the others are printed and compared, which
        // keeps a diff of two large modules from printing every function.
        let same_body = self.m.body_hash(self.old, o, body_a.clone(), true)?
            == self.m.body_hash(self.new, n, body_b.clone(), false)?;
        // With --stat a different hash is taken as a change, unprinted.
        let texts = if same_body || opts.stat {
            None
        } else {
            let text_a = comparable_text(self.old, o, a, &self.old_names)?;
            let text_b = comparable_text(self.new, n, b, &self.new_names)?;
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
            matched_by: self.m.how.get(&a).copied(),
            hunks: match &texts {
                Some((a, b)) => hunks(a, b, opts.context),
                None => Vec::new(),
            },
        }))
    }

    /// The defined functions nothing was paired with: removed ones first.
    fn one_sided(&self) -> Vec<FunctionChange> {
        let (o, n, m) = (self.o, self.n, self.m);
        let removed = o
            .defined_functions()
            .filter(|f| !m.pairs.contains_key(&f.index) && self.wanted(Some(f.index), None))
            .map(|f| one_side(Change::Removed, o, f.index));
        let added = n
            .defined_functions()
            .filter(|f| !m.back.contains_key(&f.index) && self.wanted(None, Some(f.index)))
            .map(|f| one_side(Change::Added, n, f.index));
        removed.chain(added).collect()
    }

    /// Whether `--function` asks for this function (old index, new index):
    /// by name, demangled name, export name or index on either side.
    fn wanted(&self, oi: Option<u32>, ni: Option<u32>) -> bool {
        let (o, n) = (self.o, self.n);
        let Some(want) = &self.opts.function else {
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
    }
}

/// A function's name as shown: demangled.
fn display(index: &ModuleIndex, f: u32) -> Option<String> {
    index
        .functions
        .get(f as usize)
        .and_then(|f| f.name.as_deref())
        .map(crate::demangle::demangle)
}

fn size(index: &ModuleIndex, f: u32) -> Option<usize> {
    index.functions.get(f as usize).map(|f| f.size())
}

/// A function on one side only (`index` is that side's).
fn one_side(change: Change, index: &ModuleIndex, f: u32) -> FunctionChange {
    let added = change == Change::Added;
    FunctionChange {
        change,
        index: on_side(added, Some(f)),
        name: on_side(added, display(index, f)),
        size: on_side(added, size(index, f)),
        matched_by: None,
        hunks: Vec::new(),
    }
}

/// A value on the new side if `added`, else on the old one.
fn on_side<T>(added: bool, value: Option<T>) -> Pair<Option<T>> {
    if added {
        Pair {
            old: None,
            new: value,
        }
    } else {
        Pair {
            old: value,
            new: None,
        }
    }
}

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

/// The unified diff of two texts, with `context` lines around each change.
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
