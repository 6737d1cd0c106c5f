//! What a component adds to the comparison: its own imports and exports,
//! and its nested core modules, paired by name where both have one, then by
//! position, each pair compared as a module of its own.

use crate::error::DecodeError;
use crate::index::ModuleIndex;

use super::report::{Change, ItemChange, ModuleDiff, Pair};
use super::{DiffOptions, Side, compare};

/// Fills in a component's items and nested modules.
pub(super) fn compare_components(
    old: &Side,
    new: &Side,
    opts: &DiffOptions,
    out: &mut ModuleDiff,
) -> Result<(), DecodeError> {
    out.component_items = component_items(old.index, new.index);
    let (on, nn) = (&old.index.nested, &new.index.nested);
    for (i, j) in pair_nested(on, nn) {
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
            (i, j) => out.component_items.push(component_item(
                if i.is_some() {
                    Change::Removed
                } else {
                    Change::Added
                },
                &format!("core module {}", i.or(j).unwrap_or(0)),
                "module",
            )),
        }
    }
    Ok(())
}

/// Nested modules, as (old position, new position): by their names where
/// both have one, then an old one takes the new one at its position or the
/// first unnamed one left; what is left over is on one side only.
fn pair_nested(on: &[ModuleIndex], nn: &[ModuleIndex]) -> Vec<(Option<usize>, Option<usize>)> {
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
    pairs
}

/// A component's own imports and exports that differ, by name.
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
