//! WABT's feature flags. Each proposal has one flag, named by its default
//! in WABT 1.0.32: `--disable-simd` for a proposal on by default,
//! `--enable-threads` for one off by default (so `--enable-simd` is not a
//! flag, as in WABT), and `--enable-all`.
//!
//! wasmscope reads every proposal whatever is enabled, so an `--enable-*`
//! flag changes nothing; a `--disable-*` flag really takes the proposal
//! away from validation.

use wasmparser::WasmFeatures;

/// One of WABT's proposals.
#[derive(Debug, Clone, Copy)]
pub struct Feature {
    /// WABT's name, as in `--enable-NAME`.
    pub name: &'static str,
    /// Whether WABT 1.0.32 has it on by default (its flag is then
    /// `--disable-NAME`).
    pub default_on: bool,
    /// The wasmparser features it stands for.
    pub wasmparser: WasmFeatures,
}

impl Feature {
    /// The command-line flag WABT has for it.
    pub fn flag(&self) -> String {
        if self.default_on {
            format!("disable-{}", self.name)
        } else {
            format!("enable-{}", self.name)
        }
    }
}

/// WABT 1.0.32's proposals, in the order of its `--help`.
pub const FEATURES: &[Feature] = &[
    Feature {
        name: "exceptions",
        default_on: false,
        wasmparser: WasmFeatures::LEGACY_EXCEPTIONS.union(WasmFeatures::EXCEPTIONS),
    },
    Feature {
        name: "mutable-globals",
        default_on: true,
        wasmparser: WasmFeatures::MUTABLE_GLOBAL,
    },
    Feature {
        name: "saturating-float-to-int",
        default_on: true,
        wasmparser: WasmFeatures::SATURATING_FLOAT_TO_INT,
    },
    Feature {
        name: "sign-extension",
        default_on: true,
        wasmparser: WasmFeatures::SIGN_EXTENSION,
    },
    Feature {
        name: "simd",
        default_on: true,
        wasmparser: WasmFeatures::SIMD.union(WasmFeatures::RELAXED_SIMD),
    },
    Feature {
        name: "threads",
        default_on: false,
        wasmparser: WasmFeatures::THREADS,
    },
    Feature {
        name: "function-references",
        default_on: false,
        wasmparser: WasmFeatures::FUNCTION_REFERENCES,
    },
    Feature {
        name: "multi-value",
        default_on: true,
        wasmparser: WasmFeatures::MULTI_VALUE,
    },
    Feature {
        name: "tail-call",
        default_on: false,
        wasmparser: WasmFeatures::TAIL_CALL,
    },
    Feature {
        name: "bulk-memory",
        default_on: true,
        wasmparser: WasmFeatures::BULK_MEMORY,
    },
    Feature {
        name: "reference-types",
        default_on: true,
        wasmparser: WasmFeatures::REFERENCE_TYPES,
    },
    Feature {
        name: "annotations",
        default_on: false,
        wasmparser: WasmFeatures::empty(),
    },
    Feature {
        name: "code-metadata",
        default_on: false,
        wasmparser: WasmFeatures::empty(),
    },
    Feature {
        name: "gc",
        default_on: false,
        wasmparser: WasmFeatures::GC,
    },
    Feature {
        name: "memory64",
        default_on: false,
        wasmparser: WasmFeatures::MEMORY64,
    },
    Feature {
        name: "multi-memory",
        default_on: false,
        wasmparser: WasmFeatures::MULTI_MEMORY,
    },
    Feature {
        name: "extended-const",
        default_on: false,
        wasmparser: WasmFeatures::EXTENDED_CONST,
    },
    Feature {
        name: "relaxed-simd",
        default_on: false,
        wasmparser: WasmFeatures::RELAXED_SIMD,
    },
];

/// The features to validate with, after the `--disable-NAME` flags given
/// (by WABT name). Everything else stays on. As in WABT, turning off
/// bulk memory turns off reference types too, and a proposal that needs
/// one taken away goes with it.
pub fn with_disabled<'a>(disabled: impl IntoIterator<Item = &'a str>) -> WasmFeatures {
    let mut features = crate::features::default_features();
    for name in disabled {
        if let Some(feature) = FEATURES.iter().find(|f| f.name == name) {
            features.remove(feature.wasmparser);
            if name == "bulk-memory" {
                features.remove(WasmFeatures::REFERENCE_TYPES);
            }
        }
    }
    // Proposals built on one that was taken away cannot stay.
    if !features.contains(WasmFeatures::REFERENCE_TYPES) {
        features.remove(
            WasmFeatures::FUNCTION_REFERENCES
                | WasmFeatures::GC
                | WasmFeatures::EXCEPTIONS
                | WasmFeatures::STACK_SWITCHING,
        );
    }
    if !features.contains(WasmFeatures::FUNCTION_REFERENCES) {
        features.remove(WasmFeatures::GC | WasmFeatures::STACK_SWITCHING);
    }
    if !features.contains(WasmFeatures::SIMD) {
        features.remove(WasmFeatures::RELAXED_SIMD);
    }
    features
}
