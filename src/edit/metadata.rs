//! `metadata`: the producers record (language, tools, SDK) and the module's
//! own name, shown and changed.

use serde::Serialize;
use wasmparser::{BinaryReader, Encoding, KnownCustom, Name, ProducersSectionReader};

use super::{Action, Change, ChangeKind, Edit, Layout, Piece, assemble, custom_content, encoded};
use crate::error::{DecodeError, Error, Result};

/// The three fields a producers section may have, as the tool-conventions
/// define them.
pub const FIELDS: [&str; 3] = ["language", "processed-by", "sdk"];

/// What `metadata` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The module's (or component's) name from its name section.
    pub name: Option<String>,
    /// The producers section's fields, in order.
    pub producers: Vec<Field>,
}

/// One field of the producers section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// `language`, `processed-by` or `sdk`.
    pub name: String,
    /// Its values in order.
    pub values: Vec<Producer>,
}

/// One producer: a name and a version (which may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Producer {
    /// The tool, language or SDK.
    pub name: String,
    /// Its version, often empty.
    pub version: String,
}

fn names_section(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Component => "component-name",
        Encoding::Module => "name",
    }
}

/// What `metadata` shows: a file's module name and producers. Its JSON is
/// what `metadata --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// The input's name.
    pub file: String,
    /// What it holds.
    #[serde(flatten)]
    pub metadata: Metadata,
}

/// The metadata of `bytes`, under the input's `name`.
pub fn show(bytes: &[u8], name: &str) -> Result<Shown> {
    Ok(Shown {
        file: name.to_string(),
        metadata: read(bytes, name)?,
    })
}

/// Reads the metadata of the outermost module or component.
pub fn read(bytes: &[u8], name: &str) -> Result<Metadata> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    read_layout(bytes, &layout).map_err(|e| e.in_file(name))
}

fn read_layout(bytes: &[u8], layout: &Layout) -> Result<Metadata, DecodeError> {
    let mut meta = Metadata::default();
    if let Some(section) = layout.customs("producers").next() {
        let data = section.data(bytes);
        let start = section.content.end - data.len();
        let reader = ProducersSectionReader::new(BinaryReader::new(data, start as u64))?;
        for field in reader {
            let field = field?;
            let mut values = Vec::new();
            for value in field.values {
                let value = value?;
                values.push(Producer {
                    name: value.name.to_string(),
                    version: value.version.to_string(),
                });
            }
            meta.producers.push(Field {
                name: field.name.to_string(),
                values,
            });
        }
    }
    let section_name = names_section(layout.encoding);
    if let Some(section) = layout.customs(section_name).next() {
        let content = bytes.get(section.content.clone()).unwrap_or_default();
        let reader = wasmparser::CustomSectionReader::new(BinaryReader::new(
            content,
            section.content.start as u64,
        ))?;
        match reader.as_known() {
            KnownCustom::Name(names) => {
                for sub in names {
                    if let Name::Module { name, .. } = sub? {
                        meta.name = Some(name.to_string());
                    }
                }
            }
            KnownCustom::ComponentName(names) => {
                for sub in names {
                    if let wasmparser::ComponentName::Component { name, .. } = sub? {
                        meta.name = Some(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(meta)
}

/// A producer to record: field, name and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddProducer {
    /// `language`, `processed-by` or `sdk`.
    pub field: String,
    /// The producer's name.
    pub name: String,
    /// Its version (may be empty).
    pub version: String,
}

impl AddProducer {
    /// Reads `FIELD=NAME[@VERSION]`.
    pub fn parse(text: &str) -> std::result::Result<AddProducer, String> {
        let (field, value) = text
            .split_once('=')
            .ok_or_else(|| format!("expected FIELD=NAME[@VERSION], got `{text}`"))?;
        if !FIELDS.contains(&field) {
            return Err(format!(
                "unknown producers field `{field}` (expected one of: {})",
                FIELDS.join(", ")
            ));
        }
        let (name, version) = value.split_once('@').unwrap_or((value, ""));
        if name.is_empty() {
            return Err(format!("`{text}` names no producer"));
        }
        Ok(AddProducer {
            field: field.to_string(),
            name: name.to_string(),
            version: version.to_string(),
        })
    }
}

/// Records producers (a producer already there gets the new version) and
/// sets the module's name.
pub fn edit(
    bytes: &[u8],
    name: &str,
    add: &[AddProducer],
    module_name: Option<&str>,
) -> Result<Edit> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    let mut meta = read_layout(bytes, &layout).map_err(|e| e.in_file(name))?;
    let mut edit = Edit::default();
    let mut pieces: Vec<Piece> = (0..layout.sections.len()).map(Piece::Keep).collect();

    if !add.is_empty() {
        for p in add {
            if !meta.producers.iter().any(|f| f.name == p.field) {
                meta.producers.push(Field {
                    name: p.field.clone(),
                    values: Vec::new(),
                });
            }
            // Found: added just above when it was missing.
            let Some(field) = meta.producers.iter_mut().find(|f| f.name == p.field) else {
                continue;
            };
            let shown = if p.version.is_empty() {
                p.name.clone()
            } else {
                format!("{}@{}", p.name, p.version)
            };
            match field.values.iter_mut().find(|v| v.name == p.name) {
                Some(v) if v.version == p.version => {}
                Some(v) => {
                    let old = if v.version.is_empty() {
                        v.name.clone()
                    } else {
                        format!("{}@{}", v.name, v.version)
                    };
                    v.version = p.version.clone();
                    edit.changes
                        .push(Change::new(Action::Set, field_kind(&p.field), old).to(shown));
                }
                None => {
                    field.values.push(Producer {
                        name: p.name.clone(),
                        version: p.version.clone(),
                    });
                    edit.changes
                        .push(Change::new(Action::Add, field_kind(&p.field), shown));
                }
            }
        }
        let mut section = wasm_encoder::ProducersSection::new();
        for field in &meta.producers {
            let mut values = wasm_encoder::ProducersField::new();
            for v in &field.values {
                values.value(&v.name, &v.version);
            }
            section.field(&field.name, &values);
        }
        place(&layout, &mut pieces, "producers", encoded(&section));
    }

    if let Some(new_name) = module_name {
        let old = meta.name.clone();
        if old.as_deref() != Some(new_name) {
            let section_name = names_section(layout.encoding);
            let content = with_name(bytes, &layout, section_name, new_name);
            place(&layout, &mut pieces, section_name, Piece::New(0, content));
            let kind = match layout.encoding {
                Encoding::Component => ChangeKind::ComponentName,
                Encoding::Module => ChangeKind::ModuleName,
            };
            let change = match old {
                Some(old) => Change::new(Action::Set, kind, old).to(new_name),
                None => Change::new(Action::Add, kind, new_name),
            };
            edit.changes.push(change);
        }
    }
    edit.bytes = if edit.changes.is_empty() {
        bytes.to_vec()
    } else {
        assemble(bytes, &layout, &pieces)
    };
    Ok(edit)
}

fn field_kind(field: &str) -> ChangeKind {
    match field {
        "language" => ChangeKind::ProducerLanguage,
        "sdk" => ChangeKind::ProducerSdk,
        _ => ChangeKind::ProducerProcessedBy,
    }
}

/// Puts a custom section in place of the first of its name (dropping any
/// others), or at the end.
fn place(layout: &Layout, pieces: &mut Vec<Piece>, section: &str, new: Piece) {
    let mut placed = false;
    pieces.retain_mut(|piece| {
        let Piece::Keep(i) = piece else { return true };
        let named = layout.sections.get(*i).and_then(|s| s.custom_name()) == Some(section);
        if !named {
            return true;
        }
        if placed {
            return false;
        }
        placed = true;
        *piece = new.clone();
        true
    });
    if !placed {
        pieces.push(new);
    }
}

/// The name section's contents with the module's name set: subsection 0 is
/// written anew, the others are copied as they are.
fn with_name(bytes: &[u8], layout: &Layout, section: &str, new_name: &str) -> Vec<u8> {
    let mut subsections: Vec<(u8, &[u8])> = Vec::new();
    if let Some(s) = layout.customs(section).next() {
        let mut reader = BinaryReader::new(s.data(bytes), 0);
        while !reader.eof() {
            let Ok(id) = reader.read_u8() else { break };
            let Ok(len) = reader.read_var_u32() else {
                break;
            };
            let Ok(data) = reader.read_bytes(len as usize) else {
                break;
            };
            if id != 0 {
                subsections.push((id, data));
            }
        }
    }
    let mut name = Vec::new();
    wasm_encoder::Encode::encode(new_name, &mut name);
    let mut data = Vec::new();
    for (id, sub) in std::iter::once((0u8, name.as_slice())).chain(subsections) {
        data.push(id);
        wasm_encoder::Encode::encode(sub, &mut data);
    }
    custom_content(section, &data)
}

/// Whether a module name can be set: the error says why not.
pub fn check_name(name: &str) -> std::result::Result<(), Error> {
    if name.is_empty() {
        return Err(Error::Other("the module name cannot be empty".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_producers_are_read() {
        let meta = read(crate::demo::BYTES, "demo").unwrap();
        let fields: Vec<&str> = meta.producers.iter().map(|f| f.name.as_str()).collect();
        assert!(fields.contains(&"language"), "{fields:?}");
        assert!(fields.contains(&"processed-by"), "{fields:?}");
    }

    #[test]
    fn adding_a_producer_and_a_name_round_trips() {
        let bytes = crate::demo::BYTES;
        let add = [
            AddProducer::parse("processed-by=wasmscope@1.0").unwrap(),
            AddProducer::parse("sdk=none").unwrap(),
        ];
        let edit = edit(bytes, "demo", &add, Some("hasher")).unwrap();
        super::super::check(&edit.bytes, "demo").unwrap();
        let meta = read(&edit.bytes, "out").unwrap();
        assert_eq!(meta.name.as_deref(), Some("hasher"));
        let by = meta
            .producers
            .iter()
            .find(|f| f.name == "processed-by")
            .unwrap();
        assert!(
            by.values
                .iter()
                .any(|v| v.name == "wasmscope" && v.version == "1.0")
        );
        // The function names are still there.
        let index = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let before = crate::index::ModuleIndex::build(bytes).unwrap();
        assert_eq!(index.function_name(20), before.function_name(20));
        assert!(index.function_name(20).is_some());
        // Adding the same again changes nothing.
        let again = super::edit(&edit.bytes, "out", &add, Some("hasher")).unwrap();
        assert!(again.changes.is_empty());
        assert_eq!(again.bytes, edit.bytes);
    }

    #[test]
    fn a_new_version_replaces_the_old() {
        let bytes = crate::parse::parse_text("(module)", "t.wat").unwrap();
        let one = edit(
            &bytes,
            "t",
            &[AddProducer::parse("language=Rust@1").unwrap()],
            None,
        )
        .unwrap();
        let two = edit(
            &one.bytes,
            "t",
            &[AddProducer::parse("language=Rust@2").unwrap()],
            None,
        )
        .unwrap();
        assert_eq!(two.changes[0].action, Action::Set);
        let meta = read(&two.bytes, "t").unwrap();
        assert_eq!(
            meta.producers[0].values,
            vec![Producer {
                name: "Rust".into(),
                version: "2".into()
            }]
        );
    }

    #[test]
    fn bad_producer_arguments_are_explained() {
        assert!(
            AddProducer::parse("compiler=x")
                .unwrap_err()
                .contains("unknown producers field")
        );
        assert!(
            AddProducer::parse("sdk")
                .unwrap_err()
                .contains("FIELD=NAME")
        );
        assert!(
            AddProducer::parse("sdk=@1")
                .unwrap_err()
                .contains("names no producer")
        );
    }
}
