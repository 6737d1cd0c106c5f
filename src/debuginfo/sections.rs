//! The small custom sections that tie a module to its debug info elsewhere:
//! `build_id` (which build this is), `external_debug_info` (where its DWARF
//! went) and `sourceMappingURL` (where its source map is).

use serde::Serialize;
use wasmparser::BinaryReader;

use crate::index::ModuleIndex;

/// Names of the DWARF sections a module (or a separate debug file) carries.
pub fn is_dwarf_section(name: &str) -> bool {
    name.starts_with(".debug_")
}

/// The links a module carries to debug info kept elsewhere, and its identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Links {
    /// The `build_id` section's bytes, in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_id: Option<String>,
    /// The file or URL the `external_debug_info` section names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_debug_info: Option<String>,
    /// The URL the `sourceMappingURL` section names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_mapping_url: Option<String>,
}

impl Links {
    /// Reads the three sections (the first of each; a malformed one reads as
    /// absent rather than failing every command that looks).
    pub fn read(index: &ModuleIndex, bytes: &[u8]) -> Links {
        let data = |name: &str| {
            index
                .customs
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| bytes.get(c.data.clone()))
        };
        Links {
            build_id: data("build_id")
                .and_then(length_prefixed)
                .map(|b| b.iter().map(|x| format!("{x:02x}")).collect()),
            external_debug_info: data("external_debug_info").and_then(string),
            source_mapping_url: data("sourceMappingURL").and_then(string),
        }
    }
}

/// A LEB128 length followed by that many bytes, and nothing after.
fn length_prefixed(data: &[u8]) -> Option<&[u8]> {
    let mut reader = BinaryReader::new(data, 0);
    let len = reader.read_var_u32().ok()? as usize;
    let rest = data.get(usize::try_from(reader.original_position()).ok()?..)?;
    (rest.len() == len).then_some(rest)
}

fn string(data: &[u8]) -> Option<String> {
    length_prefixed(data)
        .and_then(|b| std::str::from_utf8(b).ok())
        .map(str::to_string)
}

/// The contents of a custom section holding one length-prefixed byte string,
/// as `build_id`, `external_debug_info` and `sourceMappingURL` do.
pub fn encode_length_prefixed(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5);
    let mut len = data.len() as u64;
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_prefixed_strings_round_trip() {
        let long = "x".repeat(300);
        for text in ["", "app.debug.wasm", long.as_str()] {
            let encoded = encode_length_prefixed(text.as_bytes());
            assert_eq!(string(&encoded).as_deref(), Some(text));
        }
        // A length that disagrees with the data is not a string.
        assert_eq!(string(b"\x05abc"), None);
        assert_eq!(string(b"\x01abc"), None);
        assert_eq!(string(b"\x80"), None);
    }
}
