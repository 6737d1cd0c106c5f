//! `export`: removing and renaming a module's exports. Only the export
//! section changes; every other section is copied as it is.

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{ExportSectionReader, ExternalKind};

use super::{Action, Change, ChangeKind, Edit, Layout, Piece, assemble, core_module_only, encoded};
use crate::error::{Error, Result};

/// One change to the exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOp {
    /// Remove the export of this name.
    Remove(String),
    /// Rename an export: old name, new name.
    Rename(String, String),
}

struct Item {
    name: String,
    kind: ExternalKind,
    index: u32,
}

/// Applies `ops` in order to the exports of the core module `bytes`.
pub fn edit(bytes: &[u8], name: &str, ops: &[ExportOp]) -> Result<Edit> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    core_module_only(&layout, name, "export editing")?;
    let at = layout.sections.iter().position(|s| s.id == 7);
    let mut items = Vec::new();
    if let Some(section) = at.and_then(|i| layout.sections.get(i)) {
        let content = bytes.get(section.content.clone()).unwrap_or_default();
        let reader = ExportSectionReader::new(wasmparser::BinaryReader::new(
            content,
            section.content.start as u64,
        ))
        .map_err(|e| crate::error::DecodeError::from(e).in_file(name))?;
        for export in reader {
            let export = export.map_err(|e| crate::error::DecodeError::from(e).in_file(name))?;
            items.push(Item {
                name: export.name.to_string(),
                kind: export.kind,
                index: export.index,
            });
        }
    }
    let mut edit = Edit::default();
    for op in ops {
        match op {
            ExportOp::Remove(export) => {
                let i = find(&items, export, name)?;
                let item = items.remove(i);
                edit.changes
                    .push(Change::new(Action::Remove, kind_name(item.kind), item.name));
            }
            ExportOp::Rename(old, new) => {
                let i = find(&items, old, name)?;
                if old == new {
                    return Err(Error::Other(format!(
                        "{name}: cannot rename export `{old}` to itself"
                    )));
                }
                if items.iter().any(|item| &item.name == new) {
                    return Err(Error::Other(format!(
                        "{name}: cannot rename export `{old}` to `{new}`: an export named `{new}` already exists"
                    )));
                }
                if let Some(item) = items.get_mut(i) {
                    item.name = new.clone();
                    edit.changes
                        .push(Change::new(Action::Rename, kind_name(item.kind), old).to(new));
                }
            }
        }
    }
    let mut section = wasm_encoder::ExportSection::new();
    let mut encoder = RoundtripReencoder;
    for item in &items {
        section.export(
            &item.name,
            encoder
                .export_kind(item.kind)
                .unwrap_or(wasm_encoder::ExportKind::Func),
            item.index,
        );
    }
    let new = encoded(&section);
    let mut pieces: Vec<Piece> = Vec::with_capacity(layout.sections.len());
    for (i, _) in layout.sections.iter().enumerate() {
        if Some(i) == at {
            if !items.is_empty() {
                pieces.push(new.clone());
            }
        } else {
            pieces.push(Piece::Keep(i));
        }
    }
    edit.bytes = assemble(bytes, &layout, &pieces);
    Ok(edit)
}

fn find(items: &[Item], export: &str, name: &str) -> Result<usize> {
    items.iter().position(|i| i.name == export).ok_or_else(|| {
        let mut close: Vec<&str> = items
            .iter()
            .map(|i| i.name.as_str())
            .filter(|n| n.contains(export) || export.contains(*n))
            .take(5)
            .collect();
        close.sort_unstable();
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(
                " (did you mean {}?)",
                close
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Error::Other(format!("{name}: no export named `{export}`{hint}"))
    })
}

fn kind_name(kind: ExternalKind) -> ChangeKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => ChangeKind::FunctionExport,
        ExternalKind::Table => ChangeKind::TableExport,
        ExternalKind::Memory => ChangeKind::MemoryExport,
        ExternalKind::Global => ChangeKind::GlobalExport,
        ExternalKind::Tag => ChangeKind::TagExport,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> Vec<u8> {
        crate::parse::parse_text(
            r#"(module (func $f (export "run") (export "go")) (memory (export "memory") 1))"#,
            "t.wat",
        )
        .unwrap()
    }

    fn exports(bytes: &[u8]) -> Vec<String> {
        let index = crate::index::ModuleIndex::build(bytes).unwrap();
        index.exports.iter().map(|e| e.name.clone()).collect()
    }

    #[test]
    fn rename_and_remove_keep_order_and_the_rest() {
        let bytes = module();
        let edit = edit(
            &bytes,
            "t",
            &[
                ExportOp::Rename("run".into(), "_start".into()),
                ExportOp::Remove("go".into()),
            ],
        )
        .unwrap();
        assert_eq!(exports(&edit.bytes), vec!["_start", "memory"]);
        super::super::check(&edit.bytes, "t").unwrap();
    }

    #[test]
    fn collisions_and_unknown_names_are_refused() {
        let bytes = module();
        let err = edit(&bytes, "t", &[ExportOp::Rename("run".into(), "go".into())]).unwrap_err();
        assert!(
            err.to_string()
                .contains("an export named `go` already exists"),
            "{err}"
        );
        let err = edit(&bytes, "t", &[ExportOp::Remove("ru".into())]).unwrap_err();
        assert!(
            err.to_string()
                .contains("no export named `ru` (did you mean `run`?)"),
            "{err}"
        );
    }

    #[test]
    fn removing_every_export_drops_the_section() {
        let bytes = module();
        let ops: Vec<ExportOp> = ["run", "go", "memory"]
            .iter()
            .map(|n| ExportOp::Remove(n.to_string()))
            .collect();
        let edit = edit(&bytes, "t", &ops).unwrap();
        assert!(exports(&edit.bytes).is_empty());
        let layout = Layout::read(&edit.bytes).unwrap();
        assert!(layout.sections.iter().all(|s| s.id != 7));
    }
}
