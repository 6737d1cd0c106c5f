//! WebAssembly proposals as the user names them on the command line
//! (`--features wasm2,threads`, `--features=-gc`), mapped to wasmparser's set.

use wasmparser::WasmFeatures;

/// Everything wasmparser knows, legacy exceptions included: real modules from
/// Emscripten still use them, so refusing them by default would be unhelpful.
pub fn default_features() -> WasmFeatures {
    WasmFeatures::all()
}

/// The names accepted by [`parse_features`], besides the presets.
pub fn feature_names() -> Vec<String> {
    WasmFeatures::all()
        .iter_names()
        .map(|(name, _)| to_user_name(name))
        .collect()
}

/// Presets that stand for several features at once.
pub const PRESETS: &[&str] = &["all", "mvp", "wasm1", "wasm2", "wasm3", "lime1"];

fn to_user_name(flag: &str) -> String {
    flag.to_ascii_lowercase().replace('_', "-")
}

fn preset(name: &str) -> Option<WasmFeatures> {
    Some(match name {
        "all" => WasmFeatures::all(),
        "mvp" | "wasm1" => WasmFeatures::WASM1,
        "wasm2" => WasmFeatures::WASM2,
        "wasm3" => WasmFeatures::WASM3,
        "lime1" => WasmFeatures::LIME1,
        _ => return None,
    })
}

/// Parses a comma-separated feature list.
///
/// A list whose first item starts with `-` or `+` edits the default (every
/// feature); otherwise the list builds up from `wasm1`. Items are presets
/// (`all`, `mvp`, `wasm1`, `wasm2`, `wasm3`, `lime1`) or feature names
/// (`simd`, `threads`, `gc`, `tail-call`, `legacy-exceptions`...), each
/// optionally prefixed with `-` to remove it or `+` to add it.
pub fn parse_features(list: &str) -> Result<WasmFeatures, String> {
    let items: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let edits_default = items
        .first()
        .is_some_and(|s| s.starts_with('-') || s.starts_with('+'));
    let mut features = if edits_default {
        default_features()
    } else {
        WasmFeatures::WASM1
    };
    for item in items {
        let (remove, name) = match item.split_at(1) {
            ("-", rest) => (true, rest),
            ("+", rest) => (false, rest),
            _ => (false, item),
        };
        let name = name.to_ascii_lowercase().replace('_', "-");
        let flags = preset(&name)
            .or_else(|| WasmFeatures::from_name(&name.to_ascii_uppercase().replace('-', "_")))
            .ok_or_else(|| {
                format!(
                    "unknown feature `{name}`; known: {}, {}",
                    PRESETS.join(", "),
                    feature_names().join(", ")
                )
            })?;
        features.set(flags, !remove);
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_up_or_edits_the_default() {
        assert_eq!(parse_features("wasm2"), Ok(WasmFeatures::WASM2));
        let simd = parse_features("mvp,simd").expect("parses");
        assert!(simd.contains(WasmFeatures::SIMD | WasmFeatures::FLOATS));
        assert!(!simd.contains(WasmFeatures::THREADS));
        let no_gc = parse_features("-gc,-threads").expect("parses");
        assert!(!no_gc.contains(WasmFeatures::GC) && !no_gc.contains(WasmFeatures::THREADS));
        assert!(no_gc.contains(WasmFeatures::SIMD | WasmFeatures::LEGACY_EXCEPTIONS));
        assert_eq!(
            parse_features("tail_call"),
            parse_features("wasm1,tail-call")
        );
    }

    #[test]
    fn unknown_names_are_refused_with_the_list() {
        let err = parse_features("wasm2,simd128").expect_err("unknown");
        assert!(
            err.starts_with("unknown feature `simd128`; known: all, mvp"),
            "{err}"
        );
        assert!(err.contains("legacy-exceptions"), "{err}");
    }
}
