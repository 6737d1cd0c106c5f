//! The custom sections the index decodes beyond their name and range: the
//! producers and the target features. Both are summaries for the reader, so
//! a damaged entry ends the decoding rather than the index.

use wasmparser::{BinaryReader, ProducersSectionReader};

use super::ModuleIndex;
use super::items::ProducerField;

/// The fields of a producers section, up to the first damaged one.
pub(super) fn producers(reader: ProducersSectionReader<'_>) -> Vec<ProducerField> {
    reader
        .into_iter()
        .map_while(Result::ok)
        .map(|field| ProducerField {
            field: field.name.to_string(),
            values: field
                .values
                .into_iter()
                .map_while(Result::ok)
                .map(|v| (v.name.to_string(), v.version.to_string()))
                .collect(),
        })
        .collect()
}

/// Decodes the `target_features` section: a vector of (prefix, name), where
/// the prefix is `+` (used), `-` (disallowed) or `=` (required).
pub(super) fn target_features(data: &[u8], offset: usize) -> Vec<String> {
    let mut reader = BinaryReader::new(data, offset as u64);
    let mut features = Vec::new();
    let Ok(count) = reader.read_var_u32() else {
        return features;
    };
    for _ in 0..count {
        let (Ok(prefix), Ok(name)) = (reader.read_u8(), reader.read_string()) else {
            break;
        };
        features.push(format!("{}{name}", prefix as char));
    }
    features
}

impl ModuleIndex {
    /// A custom section this index decodes, as lines of text: the
    /// producers (`language: Rust, C11`) and the target features.
    pub fn decoded_custom(&self, name: &str) -> Option<Vec<String>> {
        match name {
            "producers" => Some(
                self.producers
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.describe()))
                    .collect(),
            ),
            "target_features" => Some(self.target_features.clone()),
            _ => None,
        }
    }
}
