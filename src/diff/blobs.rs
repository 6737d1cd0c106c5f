//! Data segments (by position) and custom sections (by name) compared as
//! bytes; a custom section that decodes to lines (producers, target
//! features, small text) also says which lines came and went.

use std::collections::HashMap;
use std::ops::Range;

use crate::index::ModuleIndex;

use super::report::{BlobChange, Change, Pair};

/// Custom sections up to this size are compared line by line when they
/// are text.
const TEXT_LIMIT: usize = 4096;

fn blob(change: Change, name: String, old: Option<usize>, new: Option<usize>) -> BlobChange {
    BlobChange {
        change,
        name,
        size: Pair { old, new },
        content: Vec::new(),
    }
}

/// Data segments that differ, the i-th against the i-th.
pub(super) fn data_changes(
    old: &[u8],
    new: &[u8],
    o: &ModuleIndex,
    n: &ModuleIndex,
) -> Vec<BlobChange> {
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

/// Custom sections that differ, in the old side's order, then those only
/// on the new side.
pub(super) fn custom_changes(
    old: &[u8],
    new: &[u8],
    o: &ModuleIndex,
    n: &ModuleIndex,
) -> Vec<BlobChange> {
    let (a, b) = (keyed_customs(o), keyed_customs(n));
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
                    change.content = line_changes(&x, &y);
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

/// Custom sections by key: the k-th section of a name on one side goes
/// with the k-th on the other (`name #2`).
fn keyed_customs(index: &ModuleIndex) -> Vec<(String, Range<usize>)> {
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
}

/// The lines only in `old` (`-`), then those only in `new` (`+`).
fn line_changes(old: &[String], new: &[String]) -> Vec<String> {
    let removed = old
        .iter()
        .filter(|l| !new.contains(l))
        .map(|l| format!("-{l}"));
    let added = new
        .iter()
        .filter(|l| !old.contains(l))
        .map(|l| format!("+{l}"));
    removed.chain(added).collect()
}

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
