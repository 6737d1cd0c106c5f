//! What gc reports: every item it removes, largest first within each kind,
//! and notes on what else changed.

use super::module::Module;
use super::reachability::{KeptExports, Live};
use crate::edit::describes_code;
use crate::edit::{Action, Change, ChangeKind, Edit, Layout};

/// How much of the saving comes from re-encoding the code, whose numbers
/// linkers often write padded to five bytes: the new code section against
/// the old one less the removed bodies.
pub(super) fn shorter_numbers_note(layout: &Layout, edit: &Edit) -> Option<String> {
    let code = |l: &Layout| l.sections.iter().find(|s| s.id == 10).map(|s| s.full.len());
    let old = code(layout)?;
    let new = code(&Layout::read(&edit.bytes).ok()?)?;
    let removed: usize = edit
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Function)
        .filter_map(|c| c.size)
        .sum();
    let shorter = old.saturating_sub(removed).saturating_sub(new);
    (shorter > 0).then(|| {
        format!(
            "the code was re-encoded with the shortest number encodings: {shorter} bytes of the saving come from that"
        )
    })
}

/// Lists what goes, largest first within each kind.
pub(super) fn removals(
    m: &Module<'_>,
    live: &Live,
    layout: &Layout,
    identity: bool,
    exports: &KeptExports<'_>,
    edit: &mut Edit,
) {
    let imported_funcs = m.imported_funcs;
    for e in m.exports.iter().filter(|e| !exports.kept(e)) {
        edit.changes.push(Change::new(
            Action::Remove,
            ChangeKind::FunctionExport,
            e.name,
        ));
    }
    let mut funcs: Vec<Change> = Vec::new();
    for (f, keep) in live.func.iter().enumerate() {
        if *keep {
            continue;
        }
        let label = m.function_label(f as u32);
        let change = match f.checked_sub(imported_funcs).and_then(|d| m.bodies.get(d)) {
            Some(body) => Change::new(Action::Remove, ChangeKind::Function, label)
                .size((body.range().end - body.range().start) as usize),
            None => Change::new(Action::Remove, ChangeKind::FunctionImport, label),
        };
        funcs.push(change);
    }
    funcs.sort_by_key(|c| std::cmp::Reverse(c.size));
    edit.changes.extend(funcs);
    let imported_globals = m.imported_globals;
    for (g, keep) in live.global.iter().enumerate() {
        if !*keep {
            let kind = if g < imported_globals {
                ChangeKind::GlobalImport
            } else {
                ChangeKind::Global
            };
            edit.changes
                .push(Change::new(Action::Remove, kind, format!("#{g}")));
        }
    }
    for (t, keep) in live.table.iter().enumerate() {
        if !*keep {
            edit.changes.push(Change::new(
                Action::Remove,
                ChangeKind::Table,
                format!("#{t}"),
            ));
        }
    }
    for (e, keep) in live.elem.iter().enumerate() {
        if !*keep {
            edit.changes.push(Change::new(
                Action::Remove,
                ChangeKind::ElementSegment,
                format!("#{e}"),
            ));
        }
    }
    for (d, keep) in live.data.iter().enumerate() {
        if !*keep {
            let size = m.data.get(d).map_or(0, |d| d.data.len());
            edit.changes.push(
                Change::new(Action::Remove, ChangeKind::DataSegment, format!("#{d}")).size(size),
            );
        }
    }
    for s in &layout.sections {
        if let Some(custom) = s.custom_name()
            && describes_code(custom)
            && !identity
        {
            edit.changes.push(
                Change::new(Action::Remove, ChangeKind::CustomSection, custom).size(s.full.len()),
            );
        }
    }
    if edit
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::CustomSection)
    {
        edit.notes.push(
            "debug information describes code by offset, which gc changes: it was removed"
                .to_string(),
        );
    }
}
