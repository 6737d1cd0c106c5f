//! `edit`: a module (or one function of it) as text to change by hand, and
//! the changed text put back.
//!
//! The text is parsed, validated and then laid against the module it came
//! from: the text as printed is parsed too (the baseline), and every section
//! (and every function body) of the edited result that equals the baseline's
//! is taken from the original bytes instead. What the user did not touch is
//! thus copied byte for byte, even where printing and parsing would not give
//! the same bytes back.

use std::ops::Range;

use wasmparser::{BinaryReader, CodeSectionReader};

use super::{Action, Change, ChangeKind, Edit, Layout, Piece, assemble};
use crate::error::{Error, Result};
use crate::index::ModuleIndex;
use crate::input::Input;
use crate::print::{FunctionSelector, PrintOptions, print_to_string};

/// A module printed for editing.
#[derive(Debug, Clone)]
pub struct TextEdit {
    /// The whole module as text.
    full: String,
    /// Where the edited function is in `full`, when only one is edited.
    span: Option<Range<usize>>,
    /// The function edited, by index.
    pub function: Option<u32>,
}

impl TextEdit {
    /// Prints `bytes` for editing, the whole module or one function.
    pub fn open(bytes: &[u8], name: &str, func: Option<&FunctionSelector>) -> Result<TextEdit> {
        let index = ModuleIndex::build(bytes).map_err(|e| e.in_file(name))?;
        if index.component {
            return Err(Error::Other(format!(
                "{name}: is a component; edit works on core modules"
            )));
        }
        let full = print_to_string(bytes, name, &PrintOptions::default())?;
        let Some(selector) = func else {
            return Ok(TextEdit {
                full,
                span: None,
                function: None,
            });
        };
        let f = match selector {
            FunctionSelector::Index(i) => *i,
            FunctionSelector::Name(n) => index
                .find_function(n)
                .ok_or_else(|| Error::Other(format!("{name}: no function named `{n}`")))?,
        };
        if (f as usize) >= index.functions.len() {
            return Err(Error::Other(format!(
                "{name}: no function {f} (the module has {})",
                index.functions.len()
            )));
        }
        if f < index.imported_functions() {
            return Err(Error::Other(format!(
                "{name}: function {f} is imported; it has no body to edit"
            )));
        }
        let span = function_span(&full, f).ok_or_else(|| {
            Error::Other(format!(
                "{name}: function {f} was not found in the printed text"
            ))
        })?;
        Ok(TextEdit {
            full,
            span: Some(span),
            function: Some(f),
        })
    }

    /// The text the user edits.
    pub fn text(&self) -> &str {
        match &self.span {
            Some(span) => self.full.get(span.clone()).unwrap_or_default(),
            None => &self.full,
        }
    }

    /// Parses the edited text (`label` names it in messages), validates it,
    /// and builds the module, copying from `bytes` whatever is unchanged.
    pub fn apply(&self, bytes: &[u8], name: &str, edited: &str, label: &str) -> Result<Edit> {
        let (full, before_lines) = match &self.span {
            Some(span) => {
                let prefix = self.full.get(..span.start).unwrap_or_default();
                let suffix = self.full.get(span.end..).unwrap_or_default();
                (
                    format!("{prefix}{edited}{suffix}"),
                    prefix.matches('\n').count(),
                )
            }
            None => (edited.to_string(), 0),
        };
        if full == self.full {
            return Ok(Edit {
                bytes: bytes.to_vec(),
                ..Edit::default()
            });
        }
        let edited_lines = edited.matches('\n').count() + 1;
        let relocate = |e: Error| relocate(e, label, before_lines, edited_lines);
        let new = crate::parse::parse_text(&full, label).map_err(relocate)?;
        let input = Input::from_bytes(label, full.clone().into_bytes());
        crate::validate::validate(&new, label, crate::features::default_features())
            .map_err(|e| crate::validate::locate_in_text(&input, &new, e))
            .map_err(relocate)?;
        let baseline = crate::parse::parse_text(&self.full, name)?;
        splice(bytes, &baseline, &new, name)
    }
}

/// Moves a text error's line from the whole module's text to the function's
/// (when the error is inside the function).
fn relocate(e: Error, label: &str, before: usize, lines: usize) -> Error {
    match e {
        Error::Text(mut t) if before > 0 => {
            if t.line > before && t.line <= before + lines {
                t.line -= before;
            } else {
                // Outside what the user edited (an unclosed parenthesis
                // shows up at the end of the module).
                t.message = format!("{} (in the module around the function)", t.message);
                t.line = t.line.saturating_sub(before).clamp(1, lines);
            }
            t.path = label.to_string();
            Error::Text(t)
        }
        Error::Text(mut t) => {
            t.path = label.to_string();
            Error::Text(t)
        }
        other => other,
    }
}

/// Where function `f` is in a module's printed text: from its `(func` line
/// to the line before the next module field.
fn function_span(text: &str, f: u32) -> Option<Range<usize>> {
    let marker = format!("(;{f};)");
    let mut at = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let next = at + line.len();
        match start {
            None if line.starts_with("  (func ") && line.contains(&marker) => start = Some(at),
            Some(s) if line.starts_with("  (") || line.starts_with(')') => return Some(s..at),
            _ => {}
        }
        at = next;
    }
    start.map(|s| s..at)
}

/// Builds the result: sections (and function bodies) of `new` that equal the
/// baseline's come from `original`.
fn splice(original: &[u8], baseline: &[u8], new: &[u8], name: &str) -> Result<Edit> {
    let lo = Layout::read(original).map_err(|e| e.in_file(name))?;
    let lb = Layout::read(baseline).map_err(|e| e.in_file(name))?;
    let ln = Layout::read(new).map_err(|e| e.in_file(name))?;
    let mut edit = Edit::default();
    let (ko, kb, kn) = (keys(&lo), keys(&lb), keys(&ln));
    let sorted = |k: &[Key]| {
        let mut k = k.to_vec();
        k.sort();
        k
    };
    if sorted(&ko) != sorted(&kb) || sorted(&kb) != sorted(&kn) {
        // The edit added or removed a section, or the text does not print
        // and parse back to the same sections: the result is the text's.
        edit.bytes = new.to_vec();
        edit.changes.push(Change::new(
            Action::Replace,
            ChangeKind::Module,
            name.to_string(),
        ));
        edit.notes.push(
            "the sections changed, so the whole module was encoded from the text".to_string(),
        );
        super::drop_code_descriptions(&mut edit, STALE, name)?;
        return Ok(edit);
    }
    let index = ModuleIndex::build(original).map_err(|e| e.in_file(name))?;
    let mut pieces = Vec::with_capacity(ln.sections.len());
    let mut code_changed = false;
    for (i, (so, key)) in lo.sections.iter().zip(&ko).enumerate() {
        let find = |keys: &[Key], layout: &Layout| {
            keys.iter()
                .position(|k| k == key)
                .and_then(|at| layout.sections.get(at).cloned())
        };
        let (Some(sb), Some(sn)) = (find(&kb, &lb), find(&kn, &ln)) else {
            pieces.push(Piece::Keep(i));
            continue;
        };
        let b = baseline.get(sb.full.clone()).unwrap_or_default();
        let n = new.get(sn.full.clone()).unwrap_or_default();
        if b == n {
            pieces.push(Piece::Keep(i));
            continue;
        }
        if sn.id == 10 {
            code_changed = true;
        }
        if sn.id == 10
            && let Some(code) =
                splice_code(original, so, baseline, &sb, new, &sn, &index, &mut edit)
        {
            pieces.push(code);
            continue;
        }
        let what = match &sn.custom {
            Some((custom, _)) => format!("custom section {custom}"),
            None => crate::index::section_name(sn.id, wasmparser::Encoding::Module).to_string(),
        };
        edit.changes
            .push(Change::new(Action::Replace, ChangeKind::Section, what).size(sn.full.len()));
        pieces.push(Piece::New(
            sn.id,
            new.get(sn.content.clone()).unwrap_or_default().to_vec(),
        ));
    }
    edit.bytes = assemble(original, &lo, &pieces);
    if code_changed {
        super::drop_code_descriptions(&mut edit, STALE, name)?;
    }
    Ok(edit)
}

/// What an edit that moved code says about the debug info it removed.
const STALE: &str =
    "debug information describes code by offset, which the edit changed: it was removed";

/// A section told apart from the others: its id, its name if custom, and
/// how many of the same id and name came before it.
type Key = (u8, Option<String>, usize);

fn keys(layout: &Layout) -> Vec<Key> {
    let mut seen: std::collections::HashMap<(u8, Option<String>), usize> = Default::default();
    layout
        .sections
        .iter()
        .map(|s| {
            let k = (s.id, s.custom_name().map(str::to_string));
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            (k.0, k.1, *n - 1)
        })
        .collect()
}

/// The function bodies of a code section.
fn bodies<'a>(bytes: &'a [u8], s: &super::Section) -> Option<Vec<&'a [u8]>> {
    let content = bytes.get(s.content.clone())?;
    let reader = CodeSectionReader::new(BinaryReader::new(content, s.content.start as u64)).ok()?;
    let mut out = Vec::new();
    for body in reader {
        let range = body.ok()?.range();
        out.push(bytes.get(range.start as usize..range.end as usize)?);
    }
    Some(out)
}

#[allow(clippy::too_many_arguments)]
fn splice_code(
    original: &[u8],
    so: &super::Section,
    baseline: &[u8],
    sb: &super::Section,
    new: &[u8],
    sn: &super::Section,
    index: &ModuleIndex,
    edit: &mut Edit,
) -> Option<Piece> {
    let (bo, bb, bn) = (
        bodies(original, so)?,
        bodies(baseline, sb)?,
        bodies(new, sn)?,
    );
    if bo.len() != bb.len() || bb.len() != bn.len() {
        return None;
    }
    let mut code = wasm_encoder::CodeSection::new();
    let imported = index.imported_functions();
    for (d, ((o, b), n)) in bo.iter().zip(&bb).zip(&bn).enumerate() {
        if b == n {
            code.raw(o);
        } else {
            code.raw(n);
            let f = imported + d as u32;
            let label = index
                .function_name(f)
                .map_or(format!("#{f}"), str::to_string);
            edit.changes
                .push(Change::new(Action::Replace, ChangeKind::FunctionBody, label).size(n.len()));
        }
    }
    Some(super::encoded(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_text_changes_nothing() {
        let bytes = crate::demo::BYTES;
        let t = TextEdit::open(bytes, "demo", None).unwrap();
        let edit = t.apply(bytes, "demo", t.text(), "demo.wat").unwrap();
        assert!(edit.changes.is_empty());
        assert_eq!(edit.bytes, bytes);
    }

    #[test]
    fn one_function_changed_replaces_just_its_body() {
        let bytes = crate::demo::BYTES;
        let t = TextEdit::open(
            bytes,
            "demo",
            Some(&FunctionSelector::Name("_start".into())),
        )
        .unwrap();
        assert!(
            t.text().starts_with("  (func $_start (;16;)"),
            "{}",
            t.text()
        );
        assert!(t.text().ends_with("  )\n"));
        let edited = t.text().replace(
            "local.get 0\n    call $__wasi_proc_exit",
            "i32.const 3\n    call $__wasi_proc_exit",
        );
        assert_ne!(edited, t.text());
        let edit = t.apply(bytes, "demo", &edited, "_start.wat").unwrap();
        let changed: Vec<String> = edit
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind, c.name))
            .collect();
        assert_eq!(changed, vec!["function body _start"]);
        super::super::check(&edit.bytes, "demo").unwrap();
        // Every section but the code section is the original's, byte for byte.
        let (a, b) = (
            Layout::read(bytes).unwrap(),
            Layout::read(&edit.bytes).unwrap(),
        );
        for (x, y) in a.sections.iter().zip(&b.sections) {
            if x.id != 10 {
                assert_eq!(&bytes[x.full.clone()], &edit.bytes[y.full.clone()]);
            }
        }
    }

    #[test]
    fn a_changed_body_drops_the_debug_info_that_described_it() {
        let bytes = crate::parse::parse_text(
            r#"(module
                 (@custom "build_id" "\04\de\ad\be\ef")
                 (@custom ".debug_line" "not read here")
                 (@custom "sourceMappingURL" "\05m.map")
                 (@custom "kept" "x")
                 (func $f (result i32) i32.const 1))"#,
            "t.wat",
        )
        .unwrap();
        let t = TextEdit::open(&bytes, "t", Some(&FunctionSelector::Name("f".into()))).unwrap();
        let edited = t.text().replace("i32.const 1", "i32.const 2");
        let edit = t.apply(&bytes, "t", &edited, "f.wat").unwrap();
        let removed: Vec<&str> = edit
            .changes
            .iter()
            .filter(|c| c.action == super::super::Action::Remove)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(removed, vec!["build_id", ".debug_line", "sourceMappingURL"]);
        assert!(edit.notes.iter().any(|n| n.contains("debug information")));
        let names: Vec<String> = Layout::read(&edit.bytes)
            .unwrap()
            .sections
            .iter()
            .filter_map(|s| s.custom_name().map(str::to_string))
            .collect();
        assert_eq!(names, vec!["kept", "name"]);
        // An edit that leaves the code alone keeps them.
        let same = t.apply(&bytes, "t", t.text(), "f.wat").unwrap();
        assert!(same.changes.is_empty());
        assert_eq!(same.bytes, bytes);
    }

    #[test]
    fn errors_point_into_the_function_text() {
        let bytes = crate::demo::BYTES;
        let t = TextEdit::open(bytes, "demo", Some(&FunctionSelector::Index(16))).unwrap();
        let edited = t
            .text()
            .replace("    (local i32)\n", "    (local i32)\n    i32.bogus\n");
        let err = t.apply(bytes, "demo", &edited, "f.wat").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("f.wat:3:5: "), "{text}");
        let edited = t.text().replace(
            "local.get 0\n    call $__wasi_proc_exit",
            "call $__wasi_proc_exit",
        );
        let err = t.apply(bytes, "demo", &edited, "f.wat").unwrap_err();
        assert!(err.to_string().starts_with("f.wat:"), "{err}");
        assert!(err.to_string().contains("type mismatch"), "{err}");
    }

    #[test]
    fn imported_functions_cannot_be_edited() {
        let err = TextEdit::open(
            crate::demo::BYTES,
            "demo",
            Some(&FunctionSelector::Index(0)),
        )
        .unwrap_err();
        assert!(err.to_string().contains("is imported"), "{err}");
    }
}
