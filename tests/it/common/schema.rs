//! The shapes of JSON output documented in the README, checked key by key.

use serde_json::Value;

/// A tiny schema: a JSON value whose leaves name the expected type
/// ("string", "number", "bool", "string?"...), objects list required keys
/// (a key ending in `?` is optional; `*` stands for any key of a map), and a
/// one-element array describes every element.
pub fn check(schema: &Value, value: &Value, path: &str) {
    match schema {
        Value::String(ty) => {
            let optional = ty.ends_with('?');
            let ty = ty.trim_end_matches('?');
            if optional && value.is_null() {
                return;
            }
            let ok = match ty {
                "string" => value.is_string(),
                "number" => value.is_number(),
                "bool" => value.is_boolean(),
                "any" => true,
                _ => panic!("bad schema type {ty}"),
            };
            assert!(ok, "{path}: expected {ty}, got {value}");
        }
        Value::Object(fields) => {
            let obj = value
                .as_object()
                .unwrap_or_else(|| panic!("{path}: expected an object, got {value}"));
            // `{"*": T}` is a map: any key, every value of type T.
            if let Some(each) = fields.get("*") {
                for (key, v) in obj {
                    check(each, v, &format!("{path}.{key}"));
                }
                return;
            }
            for (key, sub) in fields {
                let (key, optional) = match key.strip_suffix('?') {
                    Some(k) => (k, true),
                    None => (key.as_str(), false),
                };
                match obj.get(key) {
                    Some(v) => check(sub, v, &format!("{path}.{key}")),
                    None => assert!(optional, "{path}: missing key `{key}`"),
                }
            }
            for key in obj.keys() {
                assert!(
                    fields.contains_key(key) || fields.contains_key(&format!("{key}?")),
                    "{path}: undocumented key `{key}`"
                );
            }
        }
        Value::Array(items) => {
            let arr = value
                .as_array()
                .unwrap_or_else(|| panic!("{path}: expected an array, got {value}"));
            if let Some(item) = items.first() {
                for (i, v) in arr.iter().enumerate() {
                    check(item, v, &format!("{path}[{i}]"));
                }
            }
        }
        _ => panic!("bad schema at {path}"),
    }
}

pub fn schema(text: &str) -> Value {
    serde_json::from_str(text).expect("schema is JSON")
}
