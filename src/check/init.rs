//! `wasmscope check --init`: a commented policy that a module passes as it
//! is, with some room on every limit, for a project to tighten.

use std::fmt::Write;

use crate::error::DecodeError;
use crate::index::ModuleIndex;

/// Proposals worth refusing by name, when a module does not use them.
const NOTABLE_FEATURES: &[&str] = &[
    "threads",
    "shared-everything-threads",
    "memory64",
    "multi-memory",
    "exceptions",
    "legacy-exceptions",
    "gc",
    "simd",
    "relaxed-simd",
    "tail-call",
    "stack-switching",
    "wide-arithmetic",
    "custom-page-sizes",
];

/// Custom sections a release build usually leaves out.
const DEBUG_SECTIONS: &[&str] = &[".debug_*", "sourceMappingURL", "external_debug_info"];

/// Exports listed as required, at most: a library exports hundreds.
const MAX_REQUIRED_EXPORTS: usize = 16;

/// A size a tenth larger than `n`, written so that it reads back as at
/// least that (`108 KiB`, `5.4 MiB`).
fn roomy(n: u64) -> String {
    let want = n.saturating_add(n / 10).max(1);
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if want < 10 * KIB {
        format!("{want}")
    } else if want < 10 * MIB {
        format!("{} KiB", want.div_ceil(KIB))
    } else {
        let tenths = want.div_ceil(MIB / 10);
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The policy text for a module.
pub fn init(file: &str, bytes: &[u8], index: &ModuleIndex) -> Result<String, DecodeError> {
    let caps = crate::caps::audit(file, bytes, index)?;
    let modules = index.core_modules();
    let mut out = String::new();
    let size = bytes.len() as u64;
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "# The policy `wasmscope check` holds modules to, written by\n\
         # `wasmscope check --init` for {file} ({size} bytes). Every rule holds\n\
         # for that build, with about a tenth of room on each limit: tighten or\n\
         # loosen them as the project decides. The keys are described in\n\
         # wasmscope's README (check)."
    );

    let needed: Vec<String> = caps
        .needed(false)
        .map(|c| c.capability().name().to_string())
        .collect();
    let _ = writeln!(
        out,
        "\n[capabilities]\n\
         # What reachable code needs now: any other capability fails the check.\n\
         allow = {}\n\
         # deny = [\"net\", \"fs-write\"]\n\
         # Count imports that are linked but never called, too:\n\
         strict = false",
        list(&needed)
    );

    let section_bytes = |kind: &str| -> u64 {
        modules
            .iter()
            .flat_map(|(_, m)| m.sections.iter())
            .filter(|s| s.kind == kind)
            .map(|s| s.range.len() as u64)
            .sum()
    };
    let gzip = crate::compressed::gzip(bytes);
    let _ = writeln!(
        out,
        "\n[size]\n# The module is {size} bytes now.\nmax = {:?}",
        roomy(size)
    );
    let code = section_bytes("code");
    if code > 0 {
        let _ = writeln!(out, "max-code = {:?}", roomy(code));
    }
    let data = section_bytes("data");
    if data > 0 {
        let _ = writeln!(out, "max-data = {:?}", roomy(data));
    }
    let _ = writeln!(
        out,
        "# gzip -9 makes it {gzip} bytes.\n\
         max-compressed = {:?}\n\
         compression = \"gzip\"\n\
         # With --baseline OLD.wasm, how much a build may grow:\n\
         # max-growth = \"2%\"",
        roomy(gzip)
    );

    let mut unused = Vec::new();
    let all = crate::features::default_features();
    let known = crate::features::feature_names();
    for name in NOTABLE_FEATURES
        .iter()
        .filter(|n| known.iter().any(|k| k == *n))
    {
        let Some(flag) =
            wasmparser::WasmFeatures::from_name(&name.to_ascii_uppercase().replace('-', "_"))
        else {
            continue;
        };
        let mut without = all;
        without.remove(flag);
        if wasmparser::Validator::new_with_features(without)
            .validate_all(bytes)
            .is_ok()
        {
            unused.push(name.to_string());
        }
    }
    let _ = writeln!(
        out,
        "\n[features]\n# Proposals the module does not use now.\ndeny = {}",
        list(&unused)
    );

    let (import_modules, export_names, customs): (Vec<String>, Vec<String>, Vec<String>) =
        if index.component {
            (
                index
                    .component_imports
                    .iter()
                    .map(|i| i.name.clone())
                    .collect(),
                index
                    .component_exports
                    .iter()
                    .map(|e| e.name.clone())
                    .collect(),
                index
                    .customs
                    .iter()
                    .chain(index.nested.iter().flat_map(|m| m.customs.iter()))
                    .map(|c| c.name.clone())
                    .collect(),
            )
        } else {
            (
                index.imports.iter().map(|i| i.module.clone()).collect(),
                index.exports.iter().map(|e| e.name.clone()).collect(),
                index.customs.iter().map(|c| c.name.clone()).collect(),
            )
        };
    let mut modules_used = import_modules;
    modules_used.sort();
    modules_used.dedup();
    let _ = writeln!(
        out,
        "\n[imports]\n\
         # The modules it imports from now (globs).\n\
         allow-modules = {}\n\
         # deny = [\"env.*\"]",
        list(&modules_used)
    );
    let mut export_names = export_names;
    export_names.dedup();
    if export_names.len() <= MAX_REQUIRED_EXPORTS {
        let _ = writeln!(
            out,
            "\n[exports]\n# What it exports now: each must stay.\nrequire = {}\n# deny = [\"__*\"]",
            list(&export_names)
        );
    } else {
        let _ = writeln!(
            out,
            "\n[exports]\n\
             # It exports {} names; list those that must stay:\n\
             # require = [\"_start\"]\n\
             # deny = [\"__*\"]",
            export_names.len()
        );
    }
    let absent: Vec<String> = DEBUG_SECTIONS
        .iter()
        .filter(|d| {
            let Ok(p) = glob::Pattern::new(d) else {
                return false;
            };
            !customs.iter().any(|c| p.matches(c))
        })
        .map(|d| d.to_string())
        .collect();
    let _ = writeln!(
        out,
        "\n[custom]\n\
         # Debug info and source-map links it does not carry now.\n\
         forbid = {}\n\
         # require = [\"producers\"]",
        list(&absent)
    );

    let count: u64 = modules
        .iter()
        .map(|(_, m)| m.defined_functions().count() as u64)
        .sum();
    let largest = modules
        .iter()
        .flat_map(|(_, m)| m.defined_functions())
        .map(|f| f.size() as u64)
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "\n[functions]\n\
         # It defines {count} functions now; the largest body is {largest} bytes.\n\
         max-size = {:?}\n\
         max-count = {}",
        roomy(largest),
        count.saturating_add(count / 10).max(1)
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_reads_back_as_at_least_a_tenth_more() {
        for n in [0, 1, 900, 10_000, 99_999, 1 << 20, 12_345_678, 300 << 20] {
            let written = roomy(n);
            let back = super::super::policy::parse_size(&written).unwrap();
            assert!(back >= n + n / 10, "{n}: {written} is {back}");
            assert!(
                back <= (n + n / 10) * 102 / 100 + 1024,
                "{n}: {written} is {back}"
            );
        }
    }
}
