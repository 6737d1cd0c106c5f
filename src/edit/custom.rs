//! `custom`: listing, adding, replacing, removing and extracting custom
//! sections of a module or component (the outermost one).

use serde::Serialize;
use wasmparser::{BinaryReader, CustomSectionReader, KnownCustom};

use super::{Action, Change, ChangeKind, Edit, Layout, Piece, assemble, custom_content};
use crate::error::{Error, Result};

/// One custom section, as `custom --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomInfo {
    /// The section's name.
    pub name: String,
    /// Where the section starts (its id byte).
    pub offset: usize,
    /// The whole section's size in bytes, header included.
    pub size: usize,
    /// The size of its data (after the name).
    pub data_size: usize,
}

/// What `custom --list` reports: a file's custom sections, in order. Its
/// JSON is what `custom --list --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The input's name.
    pub file: String,
    /// Its custom sections, outermost level only.
    pub customs: Vec<CustomInfo>,
}

/// The listing of `bytes`' custom sections, under the input's `name`.
pub fn listing(bytes: &[u8], name: &str) -> Result<Listing> {
    Ok(Listing {
        file: name.to_string(),
        customs: list(bytes, name)?,
    })
}

/// The custom sections of the outermost module or component, in order.
pub fn list(bytes: &[u8], name: &str) -> Result<Vec<CustomInfo>> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    Ok(layout
        .sections
        .iter()
        .filter_map(|s| {
            let custom = s.custom_name()?;
            Some(CustomInfo {
                name: custom.to_string(),
                offset: s.full.start,
                size: s.full.len(),
                data_size: s.data(bytes).len(),
            })
        })
        .collect())
}

/// The data of the first custom section named `section`.
pub fn extract<'a>(bytes: &'a [u8], name: &str, section: &str) -> Result<&'a [u8]> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    let found = layout.customs(section).next();
    match found {
        Some(s) => Ok(s.data(bytes)),
        None => Err(no_such(name, section, &layout)),
    }
}

fn no_such(name: &str, section: &str, layout: &Layout) -> Error {
    let names: Vec<&str> = layout
        .sections
        .iter()
        .filter_map(|s| s.custom_name())
        .collect();
    let have = if names.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has: {}", names.join(", "))
    };
    Error::Other(format!(
        "{name}: no custom section named `{section}` ({have})"
    ))
}

/// One change to the custom sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomOp {
    /// Add a new section at the end; refused if one of that name exists.
    Add(String, Vec<u8>),
    /// Replace the data of an existing section, in its place.
    Replace(String, Vec<u8>),
    /// Remove every section of that name.
    Remove(String),
}

/// Applies `ops` in order.
pub fn edit(bytes: &[u8], name: &str, ops: &[CustomOp]) -> Result<Edit> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    // Each piece with the custom name it carries, if any.
    let mut pieces: Vec<(Piece, Option<String>)> = layout
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (Piece::Keep(i), s.custom_name().map(str::to_string)))
        .collect();
    let mut edit = Edit::default();
    let has = |pieces: &[(Piece, Option<String>)], n: &str| {
        pieces.iter().any(|(_, name)| name.as_deref() == Some(n))
    };
    for op in ops {
        match op {
            CustomOp::Add(section, data) => {
                if has(&pieces, section) {
                    return Err(Error::Other(format!(
                        "{name}: already has a custom section `{section}`; use --replace to change it"
                    )));
                }
                check_known(name, section, data)?;
                let content = custom_content(section, data);
                edit.changes.push(
                    Change::new(Action::Add, ChangeKind::CustomSection, section)
                        .size(section_size(&content)),
                );
                pieces.push((Piece::New(0, content), Some(section.clone())));
            }
            CustomOp::Replace(section, data) => {
                if !has(&pieces, section) {
                    return Err(no_such(name, section, &layout));
                }
                check_known(name, section, data)?;
                let content = custom_content(section, data);
                let size = section_size(&content);
                let mut replaced = false;
                pieces.retain_mut(|(piece, n)| {
                    if n.as_deref() != Some(section.as_str()) {
                        return true;
                    }
                    if replaced {
                        // Only one section of the name is left.
                        return false;
                    }
                    replaced = true;
                    *piece = Piece::New(0, content.clone());
                    true
                });
                edit.changes.push(
                    Change::new(Action::Replace, ChangeKind::CustomSection, section).size(size),
                );
            }
            CustomOp::Remove(section) => {
                if !has(&pieces, section) {
                    return Err(no_such(name, section, &layout));
                }
                let mut removed = 0;
                pieces.retain(|(piece, n)| {
                    if n.as_deref() != Some(section.as_str()) {
                        return true;
                    }
                    removed += match piece {
                        Piece::Keep(i) => layout.sections.get(*i).map_or(0, |s| s.full.len()),
                        Piece::New(_, content) => section_size(content),
                        Piece::Encoded(_, sized) => 1 + sized.len(),
                    };
                    false
                });
                edit.changes.push(
                    Change::new(Action::Remove, ChangeKind::CustomSection, section).size(removed),
                );
            }
        }
    }
    let pieces: Vec<Piece> = pieces.into_iter().map(|(p, _)| p).collect();
    edit.bytes = assemble(bytes, &layout, &pieces);
    Ok(edit)
}

/// The size of a section with these contents: id, size and contents.
fn section_size(content: &[u8]) -> usize {
    let mut header = Vec::new();
    wasm_encoder::Encode::encode(&(content.len() as u32), &mut header);
    1 + header.len() + content.len()
}

/// Checks new data for a section whose format wasmparser knows (`name`,
/// `producers`, `dylink.0`, `linking`, `reloc.*`...): readers of the module
/// would otherwise meet a malformed section.
pub fn check_known(name: &str, section: &str, data: &[u8]) -> Result<()> {
    let content = custom_content(section, data);
    let bad = |e: wasmparser::BinaryReaderError| {
        Error::Other(format!(
            "{name}: the new `{section}` section is malformed: {} (at offset 0x{:x} of its data)",
            crate::error::one_line(e.message()),
            (e.offset() as usize).saturating_sub(content.len() - data.len())
        ))
    };
    let reader = CustomSectionReader::new(BinaryReader::new(&content, 0)).map_err(bad)?;
    match reader.as_known() {
        KnownCustom::Name(names) => {
            for sub in names {
                crate::names::read_subsection(sub.map_err(bad)?).map_err(bad)?;
            }
        }
        KnownCustom::ComponentName(names) => {
            for sub in names {
                sub.map_err(bad)?;
            }
        }
        KnownCustom::Producers(fields) => {
            for field in fields {
                for value in field.map_err(bad)?.values {
                    value.map_err(bad)?;
                }
            }
        }
        KnownCustom::Dylink0(subsections) => {
            for sub in subsections {
                sub.map_err(bad)?;
            }
        }
        KnownCustom::Linking(linking) => {
            for sub in linking.subsections() {
                sub.map_err(bad)?;
            }
        }
        KnownCustom::Reloc(reloc) => {
            for entry in reloc.entries() {
                entry.map_err(bad)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> Vec<u8> {
        crate::parse::parse_text(
            r#"(module (func) (@custom "a" "one") (@custom "b" "two"))"#,
            "t.wat",
        )
        .unwrap()
    }

    fn names(bytes: &[u8]) -> Vec<String> {
        list(bytes, "t")
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn add_replace_remove_in_order() {
        let bytes = module();
        let edit = edit(
            &bytes,
            "t",
            &[
                CustomOp::Add("c".into(), b"three".to_vec()),
                CustomOp::Replace("a".into(), b"uno".to_vec()),
                CustomOp::Remove("b".into()),
            ],
        )
        .unwrap();
        assert_eq!(names(&edit.bytes), vec!["a", "c"]);
        assert_eq!(extract(&edit.bytes, "t", "a").unwrap(), b"uno");
        assert_eq!(extract(&edit.bytes, "t", "c").unwrap(), b"three");
        let actions: Vec<&str> = edit.changes.iter().map(|c| c.action.as_str()).collect();
        assert_eq!(actions, vec!["add", "replace", "remove"]);
    }

    #[test]
    fn adding_twice_or_touching_a_missing_section_is_refused() {
        let bytes = module();
        let err = edit(&bytes, "t", &[CustomOp::Add("a".into(), vec![])]).unwrap_err();
        assert!(
            err.to_string().contains("already has a custom section `a`"),
            "{err}"
        );
        let err = edit(&bytes, "t", &[CustomOp::Remove("zz".into())]).unwrap_err();
        assert!(err.to_string().contains("it has: a, b"), "{err}");
        let err = extract(&bytes, "t", "zz").unwrap_err();
        assert!(
            err.to_string().contains("no custom section named `zz`"),
            "{err}"
        );
    }

    #[test]
    fn malformed_known_sections_are_refused() {
        let bytes = module();
        let err = edit(
            &bytes,
            "t",
            &[CustomOp::Add("producers".into(), vec![5, 1])],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("`producers` section is malformed"),
            "{err}"
        );
        let err = edit(&bytes, "t", &[CustomOp::Add("name".into(), vec![1, 9, 9])]).unwrap_err();
        assert!(
            err.to_string().contains("`name` section is malformed"),
            "{err}"
        );
    }
}
