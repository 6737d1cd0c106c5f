//! Sections, imports, exports and globals: compared by name (a section by
//! its description, an import by `module::name`, a global by index), with
//! each item's kind and type as text.

use std::collections::HashMap;

use crate::index::{ItemKind, ModuleIndex};

use super::DiffOptions;
use super::report::{Change, ItemChange, Pair, SectionSize};

/// An item as compared: its name, kind and type.
type Item = (String, ItemKind, String);

/// Sections whose size differs, in the old side's order, then those only on
/// the new side. The k-th section of a description on one side goes with
/// the k-th on the other.
pub(super) fn section_sizes(
    o: &ModuleIndex,
    n: &ModuleIndex,
    opts: &DiffOptions,
) -> Vec<SectionSize> {
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

/// Imports, named `module::name`.
pub(super) fn imports(index: &ModuleIndex) -> impl Iterator<Item = Item> + '_ {
    index
        .imports
        .iter()
        .map(|i| (format!("{}::{}", i.module, i.name), i.kind, i.ty.clone()))
}

/// Exports, by name.
pub(super) fn exports(index: &ModuleIndex) -> impl Iterator<Item = Item> + '_ {
    index
        .exports
        .iter()
        .map(|e| (e.name.clone(), e.kind, e.ty.clone()))
}

/// Globals, by index.
pub(super) fn globals(index: &ModuleIndex) -> impl Iterator<Item = Item> + '_ {
    index
        .globals
        .iter()
        .map(|g| (g.index.to_string(), ItemKind::Global, g.ty.clone()))
}

/// The items that differ: each old item is paired with a new one of its
/// name, then reported removed or changed in the old side's order; the new
/// items left over are reported added.
pub(super) fn item_changes(
    old: impl Iterator<Item = Item>,
    new: impl Iterator<Item = Item>,
) -> Vec<ItemChange> {
    let old: Vec<Item> = old.collect();
    let new: Vec<Item> = new.collect();
    let partners = pair_items(&old, &new);
    let mut taken = vec![false; new.len()];
    let mut out = Vec::new();
    for ((name, kind, ty), partner) in old.iter().zip(&partners) {
        let Some((i, (_, new_kind, new_ty))) = partner.and_then(|i| Some((i, new.get(i)?))) else {
            out.push(one_side(Change::Removed, name, *kind, ty));
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
            out.push(one_side(Change::Added, name, *kind, ty));
        }
    }
    out
}

/// For each old item, the position of its new partner. A name may be there
/// more than once (a module may import one function twice, under two
/// types): each old item takes a new one of its name, an identical one
/// first, then the first left.
fn pair_items(old: &[Item], new: &[Item]) -> Vec<Option<usize>> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (name, _, _)) in new.iter().enumerate() {
        by_name.entry(name.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; new.len()];
    old.iter()
        .map(|(name, kind, ty)| {
            let candidates = by_name.get(name.as_str()).map_or(&[][..], Vec::as_slice);
            let free = |i: &&usize| !taken.get(**i).copied().unwrap_or(true);
            let same = |i: &&usize| new.get(**i).is_some_and(|(_, k, t)| k == kind && t == ty);
            let pick = candidates
                .iter()
                .filter(free)
                .find(same)
                .or_else(|| candidates.iter().find(free))
                .copied();
            if let Some(t) = pick.and_then(|i| taken.get_mut(i)) {
                *t = true;
            }
            pick
        })
        .collect()
}

/// An item on one side only: added (its type is the new side's) or
/// removed.
fn one_side(change: Change, name: &str, kind: ItemKind, ty: &str) -> ItemChange {
    let ty = Some(ty.to_string());
    ItemChange {
        change,
        name: name.to_string(),
        kind: kind.as_str().to_string(),
        ty: if change == Change::Added {
            Pair { old: None, new: ty }
        } else {
            Pair { old: ty, new: None }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> ModuleIndex {
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        ModuleIndex::build(&bytes).expect("indexes")
    }

    #[test]
    fn an_import_named_twice_is_paired_item_by_item_identical_first() {
        let old = index(
            r#"(module
                 (import "env" "f" (func (param i32)))
                 (import "env" "f" (func (param i64))))"#,
        );
        let new = index(
            r#"(module
                 (import "env" "f" (func (param i64)))
                 (import "env" "f" (func (param i32))))"#,
        );
        let changes = item_changes(imports(&old), imports(&new));
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn an_import_named_twice_and_dropped_once_is_removed_once() {
        let old = index(
            r#"(module
                 (import "env" "f" (func (param i64)))
                 (import "env" "f" (func (param i32))))"#,
        );
        let new = index(r#"(module (import "env" "f" (func (param i32))))"#);
        let changes = item_changes(imports(&old), imports(&new));
        // The first old import takes the only new one, so the second is
        // the one left.
        let summary: Vec<(Change, Option<&str>)> = changes
            .iter()
            .map(|c| (c.change, c.ty.old.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (Change::Changed, Some("(func (param i64))")),
                (Change::Removed, Some("(func (param i32))")),
            ]
        );
    }

    #[test]
    fn an_import_of_another_type_is_changed_not_removed_and_added() {
        let old = index(r#"(module (import "env" "f" (func (param i32))))"#);
        let new = index(r#"(module (import "env" "f" (func (param i64))))"#);
        let changes = item_changes(imports(&old), imports(&new));
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes.first().map(|c| c.change), Some(Change::Changed));
    }

    #[test]
    fn exports_only_on_one_side_are_added_or_removed() {
        let old = index(r#"(module (func (export "a")) (func (export "b")))"#);
        let new = index(r#"(module (func (export "a")) (func (export "c")))"#);
        let changes: Vec<(Change, String)> = item_changes(exports(&old), exports(&new))
            .into_iter()
            .map(|c| (c.change, c.name))
            .collect();
        assert_eq!(
            changes,
            [(Change::Removed, "b".into()), (Change::Added, "c".into())]
        );
    }
}
