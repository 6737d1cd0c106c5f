//! `strip`: removing custom sections. By default the ones a module runs
//! fine without and that only tools read: debug information and the
//! producers record. The sections that something needs are kept unless the
//! user names them.

use wasm_encoder::Encode;
use wasmparser::Encoding;

use super::{Action, Change, ChangeKind, Edit, Layout, Patterns, Piece, assemble};
use crate::error::{Error, Result};

/// What to remove.
#[derive(Debug, Clone, Default)]
pub struct StripOptions {
    /// Every custom section except those the module needs, the name
    /// section included.
    pub all: bool,
    /// The name section (a component's `component-name`) too.
    pub names: bool,
    /// Sections to keep whatever else is asked.
    pub keep: Patterns,
    /// Sections to remove besides the default ones.
    pub remove: Patterns,
}

/// Why a custom section goes, or `None` when it stays.
fn removal(name: &str, object_file: bool, opts: &StripOptions) -> Option<&'static str> {
    if opts.keep.matches(name) {
        return None;
    }
    if opts.remove.matches(name) {
        return Some("asked");
    }
    if name == "name" || name == "component-name" {
        // `--all` takes the names too, as wasm-strip and `wasm-tools strip
        // --all` do; only the default strip keeps them.
        return if opts.names {
            Some("names")
        } else {
            opts.all.then_some("all")
        };
    }
    if is_needed(name, object_file) {
        return None;
    }
    if is_debug_info(name) || name == "producers" {
        return Some("default");
    }
    opts.all.then_some("all")
}

/// Sections whose removal would break the module: a component's type
/// information before it is made a component, a shared library's dynamic
/// linking record, and in an object file what the linker reads.
pub fn is_needed(name: &str, object_file: bool) -> bool {
    name.starts_with("component-type")
        || name == "dylink.0"
        || name == "dylink"
        || (object_file
            && (name == "linking" || name.starts_with("reloc.") || name == "target_features"))
}

/// DWARF, source maps and pointers to separate debug files.
pub fn is_debug_info(name: &str) -> bool {
    name.starts_with(".debug_") || name == "sourceMappingURL" || name == "external_debug_info"
}

/// Removes custom sections from `bytes` (a module or a component, whose
/// nested modules and components are stripped too). `name` is the input's
/// name for messages.
pub fn strip(bytes: &[u8], name: &str, opts: &StripOptions) -> Result<Edit> {
    let mut edit = Edit::default();
    let mut kept = Vec::new();
    edit.bytes = strip_layer(bytes, 0, None, opts, &mut edit.changes, &mut kept)
        .map_err(|e| e.in_file(name))?;
    let unmatched = opts.remove.unmatched(
        &edit
            .changes
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
    );
    if !unmatched.is_empty() {
        return Err(Error::Other(format!(
            "{name}: no custom section matches {}",
            unmatched
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    kept.sort();
    kept.dedup();
    if !kept.is_empty() {
        edit.notes.push(format!("kept: {}", kept.join(", ")));
    }
    Ok(edit)
}

fn strip_layer(
    bytes: &[u8],
    base: usize,
    inside: Option<&str>,
    opts: &StripOptions,
    changes: &mut Vec<Change>,
    kept: &mut Vec<String>,
) -> Result<Vec<u8>, crate::error::DecodeError> {
    let layout = Layout::read(bytes).map_err(|mut e| {
        e.offset += base;
        e
    })?;
    let object_file = layout.is_object_file();
    let component = layout.encoding == Encoding::Component;
    let (mut modules, mut components) = (0usize, 0usize);
    let mut pieces = Vec::with_capacity(layout.sections.len());
    for (i, section) in layout.sections.iter().enumerate() {
        if let Some(custom) = section.custom_name() {
            if removal(custom, object_file, opts).is_some() {
                let mut change = Change::new(Action::Remove, ChangeKind::CustomSection, custom)
                    .size(section.full.len());
                change.inside = inside.map(str::to_string);
                changes.push(change);
            } else {
                kept.push(custom.to_string());
                pieces.push(Piece::Keep(i));
            }
            continue;
        }
        // A component's nested modules (section 1) and components (4).
        let nested = match (component, section.id) {
            (true, 1) => Some(("core module", &mut modules)),
            (true, 4) => Some(("component", &mut components)),
            _ => None,
        };
        match nested {
            Some((what, counter)) => {
                let label = match inside {
                    Some(outer) => format!("{outer} > {what} {counter}"),
                    None => format!("{what} {counter}"),
                };
                *counter += 1;
                let inner = bytes.get(section.content.clone()).unwrap_or_default();
                let before = changes.len();
                let stripped = strip_layer(
                    inner,
                    base + section.content.start,
                    Some(&label),
                    opts,
                    changes,
                    kept,
                )?;
                if changes.len() == before {
                    pieces.push(Piece::Keep(i));
                } else {
                    pieces.push(Piece::New(section.id, stripped));
                }
            }
            None => pieces.push(Piece::Keep(i)),
        }
    }
    Ok(assemble(bytes, &layout, &pieces))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(edit: &Edit) -> Vec<&str> {
        edit.changes.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn default_removes_debug_info_and_producers_only() {
        let opts = StripOptions::default();
        for (name, gone) in [
            (".debug_info", true),
            ("sourceMappingURL", true),
            ("external_debug_info", true),
            ("producers", true),
            ("name", false),
            ("target_features", false),
            ("component-type:world", false),
            ("dylink.0", false),
            ("my-section", false),
        ] {
            assert_eq!(removal(name, false, &opts).is_some(), gone, "{name}");
        }
    }

    #[test]
    fn all_keeps_what_the_module_needs() {
        let opts = StripOptions {
            all: true,
            ..Default::default()
        };
        assert!(removal("my-section", false, &opts).is_some());
        assert!(removal("target_features", false, &opts).is_some());
        assert!(removal("target_features", true, &opts).is_none());
        assert!(removal("reloc.CODE", true, &opts).is_none());
        assert!(removal("dylink.0", false, &opts).is_none());
        // The names go with --all, as with wasm-strip; --keep holds them.
        assert_eq!(removal("name", false, &opts), Some("all"));
        assert_eq!(removal("component-name", false, &opts), Some("all"));
        let keep_names = StripOptions {
            keep: Patterns::new(&["name".into()]).unwrap(),
            ..opts.clone()
        };
        assert!(removal("name", false, &keep_names).is_none());
        let names = StripOptions {
            names: true,
            all: false,
            ..opts
        };
        assert!(removal("name", false, &names).is_some());
        assert!(removal("name", false, &StripOptions::default()).is_none());
    }

    #[test]
    fn keep_wins_and_remove_adds() {
        let opts = StripOptions {
            all: true,
            keep: Patterns::new(&["prod*".into()]).unwrap(),
            remove: Patterns::new(&["dylink.0".into()]).unwrap(),
            ..Default::default()
        };
        assert!(removal("producers", false, &opts).is_none());
        assert!(removal("dylink.0", false, &opts).is_some());
    }

    #[test]
    fn demo_loses_producers_and_keeps_the_rest_byte_for_byte() {
        let bytes = crate::demo::BYTES;
        let edit = strip(bytes, "demo.wasm", &StripOptions::default()).unwrap();
        assert_eq!(names(&edit), vec!["producers"]);
        let before = Layout::read(bytes).unwrap();
        let after = Layout::read(&edit.bytes).unwrap();
        let kept: Vec<&[u8]> = before
            .sections
            .iter()
            .filter(|s| s.custom_name() != Some("producers"))
            .map(|s| &bytes[s.full.clone()])
            .collect();
        let now: Vec<&[u8]> = after
            .sections
            .iter()
            .map(|s| &edit.bytes[s.full.clone()])
            .collect();
        assert_eq!(kept, now);
    }

    #[test]
    fn nested_modules_of_a_component_are_stripped() {
        let text = r#"(component
            (core module (@custom "producers" "x") (@custom "keep" "y"))
            (@custom "producers" "z"))"#;
        let bytes = crate::parse::parse_text(text, "c.wat").unwrap();
        let edit = strip(&bytes, "c.wasm", &StripOptions::default()).unwrap();
        let places: Vec<Option<&str>> = edit.changes.iter().map(|c| c.inside.as_deref()).collect();
        assert_eq!(places, vec![Some("core module 0"), None]);
        crate::validate::validate(&edit.bytes, "out", crate::features::default_features()).unwrap();
        let again = strip(&edit.bytes, "out", &StripOptions::default()).unwrap();
        assert!(again.changes.is_empty());
        assert_eq!(again.bytes, edit.bytes);
    }

    #[test]
    fn a_remove_pattern_that_matches_nothing_is_an_error() {
        let opts = StripOptions {
            remove: Patterns::new(&["nothing-like-this".into()]).unwrap(),
            ..Default::default()
        };
        let err = strip(crate::demo::BYTES, "demo.wasm", &opts).unwrap_err();
        assert!(
            err.to_string()
                .contains("no custom section matches `nothing-like-this`")
        );
    }
}

/// A module stripped of its DWARF and the separate debug file that keeps it.
#[derive(Debug, Clone)]
pub struct Split {
    /// The stripped module, with `external_debug_info` naming the debug
    /// file and a `build_id` both share.
    pub stripped: Edit,
    /// The debug file: the original module, whole and valid, with the same
    /// `build_id`, so that any DWARF reader can use it as it is.
    pub debug: Vec<u8>,
    /// The build id both carry, in hex.
    pub build_id: String,
}

/// Finishes a strip that moves the DWARF of `original` to a separate file:
/// `stripped` is the result of [`strip`] on it, `link` what the stripped
/// module's `external_debug_info` will say (the debug file's name as seen
/// from the module). A module without a `build_id` gets one, computed from
/// its bytes, in both files.
pub fn split_debug(original: &[u8], name: &str, mut stripped: Edit, link: &str) -> Result<Split> {
    let layout = Layout::read(original).map_err(|e| e.in_file(name))?;
    super::core_module_only(&layout, name, "--split-debug")?;
    let customs: Vec<&str> = layout
        .sections
        .iter()
        .filter_map(|s| s.custom_name())
        .collect();
    if !customs.iter().any(|c| c.starts_with(".debug_")) {
        return Err(Error::Other(format!(
            "{name}: has no DWARF (.debug_* sections) to split off"
        )));
    }
    let existing = layout
        .sections
        .iter()
        .find(|s| s.custom_name() == Some("build_id"))
        .map(|s| s.data(original).to_vec());
    let id_bytes = match &existing {
        Some(data) => data.clone(),
        None => crate::debuginfo::encode_length_prefixed(&build_id_of(original)),
    };
    let build_id = crate::debuginfo::Links::read(
        &crate::index::ModuleIndex::build(original).map_err(|e| e.in_file(name))?,
        original,
    )
    .build_id
    .unwrap_or_else(|| hex(&build_id_of(original)));

    let mut debug = original.to_vec();
    let build_id_section = || {
        let mut piece = Vec::new();
        piece.push(0u8);
        super::custom_content("build_id", &id_bytes)
            .as_slice()
            .encode(&mut piece);
        piece
    };
    if existing.is_none() {
        debug.extend_from_slice(&build_id_section());
    }
    // The stripped module keeps (or gets) the build id and names the file.
    let kept_build_id = Layout::read(&stripped.bytes)
        .map_err(|e| e.in_file(name))?
        .sections
        .iter()
        .any(|s| s.custom_name() == Some("build_id"));
    if !kept_build_id {
        stripped.bytes.extend_from_slice(&build_id_section());
        stripped.changes.push(
            Change::new(Action::Add, ChangeKind::CustomSection, "build_id")
                .size(build_id_section().len()),
        );
    }
    let mut link_section = vec![0u8];
    super::custom_content(
        "external_debug_info",
        &crate::debuginfo::encode_length_prefixed(link.as_bytes()),
    )
    .as_slice()
    .encode(&mut link_section);
    stripped.changes.push(
        Change::new(
            Action::Add,
            ChangeKind::CustomSection,
            "external_debug_info",
        )
        .size(link_section.len())
        .to(link),
    );
    stripped.bytes.extend_from_slice(&link_section);
    stripped
        .notes
        .push(format!("the DWARF is kept in {link} (build id {build_id})"));
    Ok(Split {
        stripped,
        debug,
        build_id,
    })
}

/// A build id for a module that has none: 16 bytes that depend only on the
/// module's bytes.
fn build_id_of(bytes: &[u8]) -> Vec<u8> {
    use std::hash::{Hash, Hasher};
    let mut id = Vec::with_capacity(16);
    // The length goes in as 64 bits on every target (hashing the slice would
    // add it as a `usize`, 4 bytes on wasm32), so the id is the same
    // wherever wasmscope runs.
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    for salt in [0u8, 1] {
        let mut hasher = std::hash::DefaultHasher::new();
        salt.hash(&mut hasher);
        hasher.write_u64(len);
        hasher.write(bytes);
        id.extend_from_slice(&hasher.finish().to_le_bytes());
    }
    id
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
