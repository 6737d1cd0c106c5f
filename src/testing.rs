//! What the unit tests of the reports share: reading a report's JSON back.

use std::collections::BTreeSet;

/// The keys of a JSON object (empty for anything else).
pub fn keys(value: &serde_json::Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}
