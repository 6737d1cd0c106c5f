//! The section table of a module, as `wasmscope sections` reports it: one
//! entry per top-level section, with the offsets `wasm-objdump -h` gives.

use serde::Serialize;

use crate::index::{ModuleIndex, Section};

/// A module's sections, in the order they appear.
#[derive(Debug, Clone, Serialize)]
pub struct Sections {
    /// The input's name.
    pub file: String,
    /// Size of the whole module in bytes.
    pub size: usize,
    /// Every top-level section.
    pub sections: Vec<Entry>,
}

/// One section: where it is and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Position among the sections, from 0.
    pub index: usize,
    /// The section id byte.
    pub id: u8,
    /// Human name of the id (`code`, `custom`, `component type`...).
    pub kind: &'static str,
    /// The custom section's name, for id 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_name: Option<String>,
    /// Offset of the section's id byte.
    pub offset: usize,
    /// Start of the contents, after the id and size.
    pub start: usize,
    /// End of the contents.
    pub end: usize,
    /// Size of the contents (`end - start`).
    pub size: usize,
    /// How many items the section declares, for sections that are vectors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

impl Entry {
    fn new(index: usize, s: &Section) -> Entry {
        Entry {
            index,
            id: s.id,
            kind: s.kind,
            custom_name: s.custom_name.clone(),
            offset: s.header_offset,
            start: s.range.start,
            end: s.range.end,
            size: s.range.len(),
            count: s.count,
        }
    }
}

/// Lists the sections of an indexed input.
pub fn sections(file: &str, index: &ModuleIndex) -> Sections {
    Sections {
        file: file.to_string(),
        size: index.range.len(),
        sections: index
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| Entry::new(i, s))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::keys;

    #[test]
    fn json_keys_are_the_documented_ones() {
        let bytes = crate::parse::parse_text(
            r#"(module (func (export "f")) (@custom "note" "hi"))"#,
            "t.wat",
        )
        .expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let report = sections("t.wasm", &index);
        assert_eq!(report.size, bytes.len());
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(keys(&json), BTreeSet::from(["file", "size", "sections"]));
        let rows = json["sections"].as_array().expect("an array");
        let kinds: Vec<&str> = rows.iter().filter_map(|r| r["kind"].as_str()).collect();
        assert_eq!(kinds, ["type", "function", "export", "code", "custom"]);
        assert_eq!(
            keys(&rows[0]),
            BTreeSet::from([
                "index", "id", "kind", "offset", "start", "end", "size", "count"
            ])
        );
        // A custom section has a name and no count.
        assert_eq!(
            keys(&rows[4]),
            BTreeSet::from([
                "index",
                "id",
                "kind",
                "custom_name",
                "offset",
                "start",
                "end",
                "size"
            ])
        );
        assert_eq!(rows[4]["custom_name"], "note");
    }
}
