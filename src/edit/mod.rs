//! Changing a module without corrupting it: the editing commands (`strip`,
//! `export`, `custom`, `metadata`, `gc`, `edit`) share what is here.
//!
//! Every edit works on the sections of the input as they are laid out in its
//! bytes: a section the edit does not touch is copied byte for byte, header
//! included; a changed section is encoded anew with wasm-encoder. The result
//! of an edit is checked by [`check`] before anyone writes it, and [`run`]
//! takes an edit to its end: checked, written, reported.

use wasm_encoder::Encode;
use wasmparser::Encoding;

use crate::error::{Error, Result};

mod change;
pub mod custom;
pub mod export;
pub mod gc;
pub mod metadata;
mod runner;
pub mod strip;
pub mod text;

pub use change::{Action, Change, ChangeKind};
pub use runner::{Destination, EditCommand, EditReport, Request, run};

/// Edits place sections where the index found them: one walk, one layout.
pub use crate::index::layout::{Layout, Section};

/// A piece of an edited module: a section of the input copied as it is, or a
/// new section.
#[derive(Debug, Clone)]
pub enum Piece {
    /// A section of the input, copied byte for byte.
    Keep(usize),
    /// A new section: its id and contents.
    New(u8, Vec<u8>),
    /// A new section as wasm-encoder encodes one: its id, then its size and
    /// contents.
    Encoded(u8, Vec<u8>),
}

/// A section built with wasm-encoder, ready to assemble.
pub fn encoded(section: &impl wasm_encoder::Section) -> Piece {
    let mut sized = Vec::new();
    section.encode(&mut sized);
    Piece::Encoded(section.id(), sized)
}

/// Builds a module from the input's header and `pieces`.
pub fn assemble(bytes: &[u8], layout: &Layout, pieces: &[Piece]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(layout.header.clone()).unwrap_or_default());
    for piece in pieces {
        match piece {
            Piece::Keep(i) => {
                if let Some(s) = layout.sections.get(*i) {
                    out.extend_from_slice(bytes.get(s.full.clone()).unwrap_or_default());
                }
            }
            Piece::New(id, content) => {
                out.push(*id);
                content.as_slice().encode(&mut out);
            }
            Piece::Encoded(id, sized) => {
                out.push(*id);
                out.extend_from_slice(sized);
            }
        }
    }
    out
}

/// The contents of a custom section: its name, then its data.
pub fn custom_content(name: &str, data: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(name.len() + data.len() + 5);
    name.encode(&mut content);
    content.extend_from_slice(data);
    content
}

/// Custom sections that describe code by offset or identify one build of
/// it: DWARF, source maps and links to separate debug files, code metadata,
/// and `build_id`. They are wrong once code moves.
pub fn describes_code(name: &str) -> bool {
    strip::is_debug_info(name) || name.starts_with("metadata.code.") || name == "build_id"
}

/// Removes the custom sections that [`describes_code`] from an edited module
/// whose code changed, recording each removal.
pub fn drop_code_descriptions(edit: &mut Edit, note: &str, name: &str) -> Result<()> {
    let layout = Layout::read(&edit.bytes).map_err(|e| e.in_file(name))?;
    let mut pieces = Vec::with_capacity(layout.sections.len());
    let mut removed = false;
    for (i, s) in layout.sections.iter().enumerate() {
        match s.custom_name() {
            Some(custom) if describes_code(custom) => {
                edit.changes.push(
                    Change::new(Action::Remove, ChangeKind::CustomSection, custom)
                        .size(s.full.len()),
                );
                removed = true;
            }
            _ => pieces.push(Piece::Keep(i)),
        }
    }
    if removed {
        edit.bytes = assemble(&edit.bytes, &layout, &pieces);
        edit.notes.push(note.to_string());
    }
    Ok(())
}

/// The outcome of an edit: the new bytes, what changed, and remarks for the
/// user (what was kept and why).
#[derive(Debug, Clone, Default)]
pub struct Edit {
    /// The edited module.
    pub bytes: Vec<u8>,
    /// What changed.
    pub changes: Vec<Change>,
    /// Things worth saying that are not changes.
    pub notes: Vec<String>,
}

/// Checks an edited module before it is written: it must validate. `name`
/// is the input's name, for the message.
pub fn check(bytes: &[u8], name: &str) -> Result<()> {
    let features = crate::features::default_features();
    crate::validate::validate(bytes, "the result", features).map_err(|e| {
        Error::Other(format!(
            "{name}: the edited module would not be valid, so nothing was written: {e}"
        ))
    })?;
    Ok(())
}

/// Names of sections matched by the user's patterns: a name, or a glob such
/// as `.debug_*`.
#[derive(Debug, Clone, Default)]
pub struct Patterns(Vec<(String, Option<glob::Pattern>)>);

impl Patterns {
    /// Reads the patterns; a bad glob is an error naming it.
    pub fn new(patterns: &[String]) -> Result<Patterns> {
        let mut out = Vec::new();
        for p in patterns {
            let glob = if p.contains(['*', '?', '[']) {
                Some(
                    glob::Pattern::new(p)
                        .map_err(|e| Error::Other(format!("bad pattern `{p}`: {e}")))?,
                )
            } else {
                None
            };
            out.push((p.clone(), glob));
        }
        Ok(Patterns(out))
    }

    /// Whether any pattern matches `name`.
    pub fn matches(&self, name: &str) -> bool {
        self.0.iter().any(|(text, glob)| match glob {
            Some(g) => g.matches(name),
            None => text == name,
        })
    }

    /// The patterns that matched none of `names`.
    pub fn unmatched<'a>(&'a self, names: &[&str]) -> Vec<&'a str> {
        self.0
            .iter()
            .filter(|(text, glob)| {
                !names.iter().any(|n| match glob {
                    Some(g) => g.matches(n),
                    None => text == n,
                })
            })
            .map(|(text, _)| text.as_str())
            .collect()
    }
}

/// Refuses a component where only core modules can be edited.
pub fn core_module_only(layout: &Layout, name: &str, what: &str) -> Result<()> {
    if layout.encoding == Encoding::Component {
        return Err(Error::Other(format!(
            "{name}: is a component; {what} works on core modules (a component's nested modules are not edited one by one)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_covers_every_byte_and_assembles_back() {
        let bytes = crate::demo::BYTES;
        let layout = Layout::read(bytes).unwrap();
        assert_eq!(layout.header, 0..8);
        let mut at = 8;
        for s in &layout.sections {
            assert_eq!(s.full.start, at);
            at = s.full.end;
        }
        assert_eq!(at, bytes.len());
        let pieces: Vec<Piece> = (0..layout.sections.len()).map(Piece::Keep).collect();
        assert_eq!(assemble(bytes, &layout, &pieces), bytes);
    }

    #[test]
    fn new_sections_are_encoded_with_their_size() {
        let bytes = crate::parse::parse_text("(module)", "t.wat").unwrap();
        let layout = Layout::read(&bytes).unwrap();
        let out = assemble(
            &bytes,
            &layout,
            &[Piece::New(0, custom_content("hello", b"world"))],
        );
        let again = Layout::read(&out).unwrap();
        assert_eq!(again.sections.len(), 1);
        assert_eq!(again.sections[0].custom_name(), Some("hello"));
        assert_eq!(again.sections[0].data(&out), b"world");
    }

    #[test]
    fn patterns_match_names_and_globs() {
        let p = Patterns::new(&[".debug_*".into(), "producers".into()]).unwrap();
        assert!(p.matches(".debug_info"));
        assert!(p.matches("producers"));
        assert!(!p.matches("name"));
        assert_eq!(p.unmatched(&["name", ".debug_line"]), vec!["producers"]);
        assert!(Patterns::new(&["[".into()]).is_err());
    }
}
