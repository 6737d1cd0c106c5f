//! `wasmscope check`: a module held to a policy file ([`policy`]), with one
//! verdict for CI. Each rule of the policy is measured on the module; each
//! that does not hold is a [`Violation`] naming the rule, what was measured
//! and the limit.
//!
//! ```
//! use wasmscope::check::{check, policy};
//! use wasmscope::index::ModuleIndex;
//!
//! let bytes = wasmscope::parse::parse_text(
//!     r#"(module (import "env" "log" (func)) (func (export "run") (call 0)))"#,
//!     "app.wat",
//! )?;
//! let index = ModuleIndex::build(&bytes)?;
//! let policy = policy::parse("wasmscope.toml", "[imports]\ndeny = [\"env.*\"]\n[size]\nmax = 1000\n")?;
//! let report = check("app.wasm", &bytes, &index, &policy, None)?;
//! assert_eq!(report.rules, 2);
//! assert_eq!(report.violations.len(), 1);
//! assert_eq!(report.violations[0].rule, "imports.deny");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod init;
pub mod policy;

use serde::Serialize;

use crate::caps::Capability;
use crate::error::DecodeError;
use crate::index::ModuleIndex;
use policy::{Compression, Growth, Policy, Ruled};

/// A rule the module does not hold to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule: its table and key (`size.max`, `capabilities.deny`).
    pub rule: String,
    /// What is wrong, in one line.
    pub message: String,
    /// What was measured (`6391234 bytes`, `fs-write`).
    pub measured: String,
    /// The limit, as the policy writes it.
    pub limit: String,
    /// The rule's line in the policy file.
    pub policy_line: usize,
    /// Where in the module, when the violation is at one place (a function
    /// body, a custom section, an import, what a validator refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// How many bytes from `offset` it covers, when that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
}

/// The verdict on one module.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The module, as named on the command line.
    pub file: String,
    /// The policy file.
    pub policy: String,
    /// The module's size in bytes.
    pub size: usize,
    /// How many rules were checked.
    pub rules: usize,
    /// The rules it does not hold to, in policy order.
    pub violations: Vec<Violation>,
    /// Rules that could not be checked, and why.
    pub skipped: Vec<String>,
    /// The JavaScript glue that named a minified module's imports and
    /// exports ([`crate::glue`]): the rules see the real names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glue: Option<crate::glue::GlueUse>,
}

impl CheckReport {
    /// Whether every rule holds.
    pub fn passes(&self) -> bool {
        self.violations.is_empty()
    }
}

/// `12345 bytes (12.1 KiB)`.
pub fn describe_bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{n} bytes ({})", crate::output::human_size(n))
    }
}

/// Holds a module to a policy; `baseline` (name and bytes) is the build
/// `size.max-growth` compares with.
pub fn check(
    file: &str,
    bytes: &[u8],
    index: &ModuleIndex,
    policy: &Policy,
    baseline: Option<(&str, &[u8])>,
) -> Result<CheckReport, DecodeError> {
    let mut c = Checker {
        report: CheckReport {
            file: file.to_string(),
            policy: policy.path.clone(),
            size: bytes.len(),
            rules: 0,
            violations: Vec::new(),
            skipped: Vec::new(),
            glue: None,
        },
    };
    // Compressing is the slowest measure: it runs beside the audit.
    let (compressed, audited) = rayon::join(
        || {
            policy
                .size
                .max_compressed
                .as_ref()
                .map(|_| match policy.size.compression {
                    Compression::Gzip => crate::compressed::gzip(bytes),
                    Compression::Brotli => crate::compressed::brotli(bytes),
                })
        },
        || c.capabilities(file, bytes, index, policy),
    );
    audited?;
    c.sizes(bytes, index, policy, baseline, compressed);
    c.features(bytes, policy);
    c.imports(index, policy);
    c.exports(index, policy);
    c.customs(index, policy);
    c.functions(index, policy);
    Ok(c.report)
}

struct Checker {
    report: CheckReport,
}

impl Checker {
    fn violation<T>(
        &mut self,
        rule: &str,
        ruled: &Ruled<T>,
        message: String,
        measured: String,
        at: Option<(usize, Option<usize>)>,
    ) {
        self.report.violations.push(Violation {
            rule: rule.to_string(),
            message,
            measured,
            limit: ruled.written.clone(),
            policy_line: ruled.line,
            offset: at.map(|(o, _)| o),
            length: at.and_then(|(_, l)| l),
        });
    }

    fn capabilities(
        &mut self,
        file: &str,
        bytes: &[u8],
        index: &ModuleIndex,
        policy: &Policy,
    ) -> Result<(), DecodeError> {
        let Some(rules) = &policy.capabilities else {
            return Ok(());
        };
        if rules.deny.is_none() && rules.allow.is_none() {
            return Ok(());
        }
        let caps = crate::caps::audit(file, bytes, index)?;
        let reach = if rules.strict { "linked" } else { "reachable" };
        let needing = |capability: Capability| -> Vec<String> {
            caps.capabilities
                .iter()
                .filter(|c| c.capability() == capability)
                .flat_map(|c| c.imports.iter())
                .filter(|i| rules.strict || i.reachable)
                .map(|i| i.label())
                .collect()
        };
        let needed: Vec<Capability> = caps.needed(rules.strict).map(|c| c.capability()).collect();
        for (key, list, refused) in [
            ("capabilities.deny", &rules.deny, true),
            ("capabilities.allow", &rules.allow, false),
        ] {
            let Some(list) = list else { continue };
            self.report.rules += 1;
            for &capability in &needed {
                if list.value.contains(&capability) != refused {
                    continue;
                }
                let imports = needing(capability);
                let through = match imports.as_slice() {
                    [] => String::new(),
                    [one] => format!(" ({reach} import {one})"),
                    [first, rest @ ..] => {
                        format!(" ({reach} imports {first} and {} more)", rest.len())
                    }
                };
                let verb = if refused { "denied" } else { "not allowed" };
                self.violation(
                    key,
                    list,
                    format!(
                        "needs {}, which the policy has {verb}{through}",
                        capability.name()
                    ),
                    capability.name().to_string(),
                    None,
                );
            }
        }
        Ok(())
    }

    fn sizes(
        &mut self,
        bytes: &[u8],
        index: &ModuleIndex,
        policy: &Policy,
        baseline: Option<(&str, &[u8])>,
        compressed: Option<u64>,
    ) {
        let s = &policy.size;
        let modules = index.core_modules();
        let section_bytes = |kind: &str| -> u64 {
            modules
                .iter()
                .flat_map(|(_, m)| m.sections.iter())
                .filter(|sec| sec.kind == kind)
                .map(|sec| sec.range.len() as u64)
                .sum()
        };
        let custom: u64 = index
            .sections
            .iter()
            .chain(
                index
                    .component
                    .then_some(&index.nested)
                    .into_iter()
                    .flatten()
                    .flat_map(|m| m.sections.iter()),
            )
            .filter(|sec| sec.custom_name.is_some())
            .map(|sec| sec.total_size() as u64)
            .sum();
        let total = bytes.len() as u64;
        let limits: [(&str, &Option<Ruled<u64>>, &str, u64); 4] = [
            ("size.max", &s.max, "the module is", total),
            (
                "size.max-code",
                &s.max_code,
                "the code is",
                section_bytes("code"),
            ),
            (
                "size.max-data",
                &s.max_data,
                "the data is",
                section_bytes("data"),
            ),
            (
                "size.max-custom",
                &s.max_custom,
                "the custom sections are",
                custom,
            ),
        ];
        for (rule, limit, what, measured) in limits {
            let Some(limit) = limit else { continue };
            self.report.rules += 1;
            if measured > limit.value {
                self.violation(
                    rule,
                    limit,
                    format!(
                        "{what} {}, over the limit of {}",
                        describe_bytes(measured),
                        describe_bytes(limit.value)
                    ),
                    describe_bytes(measured),
                    None,
                );
            }
        }
        if let (Some(limit), Some(measured)) = (&s.max_compressed, compressed) {
            self.report.rules += 1;
            if measured > limit.value {
                self.violation(
                    "size.max-compressed",
                    limit,
                    format!(
                        "the module is {} with {}, over the limit of {}",
                        describe_bytes(measured),
                        s.compression.name(),
                        describe_bytes(limit.value)
                    ),
                    describe_bytes(measured),
                    None,
                );
            }
        }
        if let Some(limit) = &s.max_growth {
            let Some((name, old)) = baseline else {
                self.report
                    .skipped
                    .push("size.max-growth: no --baseline to compare with".to_string());
                return;
            };
            self.report.rules += 1;
            let old_size = old.len() as u64;
            let grown = total.saturating_sub(old_size);
            let allowed = match limit.value {
                Growth::Bytes(b) => b,
                Growth::Percent(p) => (old_size as f64 * p / 100.0).floor() as u64,
            };
            if grown > allowed {
                let percent = if old_size == 0 {
                    100.0
                } else {
                    grown as f64 * 100.0 / old_size as f64
                };
                self.violation(
                    "size.max-growth",
                    limit,
                    format!(
                        "the module grew by {} ({percent:.2}%) against {name}, more than {} allows",
                        describe_bytes(grown),
                        limit.written.trim_matches('"')
                    ),
                    format!("+{grown} bytes ({percent:.2}%)"),
                    None,
                );
            }
        }
    }

    fn features(&mut self, bytes: &[u8], policy: &Policy) {
        if policy.deny_features.is_empty() {
            return;
        }
        self.report.rules += 1;
        let flag = |name: &str| {
            wasmparser::WasmFeatures::from_name(&name.to_ascii_uppercase().replace('-', "_"))
        };
        let validates = |features: wasmparser::WasmFeatures| {
            wasmparser::Validator::new_with_features(features).validate_all(bytes)
        };
        // One validation without every denied proposal settles the common
        // case; only a refusal is looked into proposal by proposal.
        let mut without_all = crate::features::default_features();
        for feature in &policy.deny_features {
            if let Some(f) = flag(&feature.value) {
                without_all.remove(f);
            }
        }
        if validates(without_all).is_ok() {
            return;
        }
        // A module invalid with every proposal is not this rule's business:
        // only a refusal a denied proposal causes counts.
        if validates(crate::features::default_features()).is_err() {
            return;
        }
        for feature in &policy.deny_features {
            let Some(f) = flag(&feature.value) else {
                continue;
            };
            let mut features = crate::features::default_features();
            features.remove(f);
            if let Err(e) = validates(features) {
                self.violation(
                    "features.deny",
                    feature,
                    format!(
                        "uses {} (at byte offset {:#x}: {})",
                        feature.value,
                        e.offset(),
                        e.message()
                    ),
                    feature.value.clone(),
                    usize::try_from(e.offset()).ok().map(|o| (o, None)),
                );
            }
        }
    }

    fn imports(&mut self, index: &ModuleIndex, policy: &Policy) {
        // A component's own imports are interfaces; a core module's are
        // `module.name` pairs.
        let imports: Vec<(String, String, usize)> = if index.component {
            index
                .component_imports
                .iter()
                .map(|i| (i.name.clone(), i.name.clone(), 0))
                .collect()
        } else {
            index
                .imports
                .iter()
                .map(|i| {
                    (
                        i.module.clone(),
                        format!("{}.{}", i.module, i.name),
                        i.offset,
                    )
                })
                .collect()
        };
        if let Some(allow) = &policy.allow_import_modules {
            self.report.rules += 1;
            let mut refused: Vec<(&str, usize, usize)> = Vec::new();
            for (module, _, offset) in &imports {
                if allow.value.iter().any(|p| p.matches(module)) {
                    continue;
                }
                match refused.iter_mut().find(|(m, _, _)| m == module) {
                    Some(entry) => entry.1 += 1,
                    None => refused.push((module, 1, *offset)),
                }
            }
            for (module, count, offset) in refused {
                self.violation(
                    "imports.allow-modules",
                    allow,
                    format!(
                        "imports from `{module}` ({count} {}), which allow-modules does not list",
                        if count == 1 { "import" } else { "imports" }
                    ),
                    module.to_string(),
                    (!index.component).then_some((offset, None)),
                );
            }
        }
        if let Some(deny) = &policy.deny_imports {
            self.report.rules += 1;
            for (_, label, offset) in &imports {
                if let Some(p) = deny.value.iter().find(|p| p.matches(label)) {
                    self.violation(
                        "imports.deny",
                        deny,
                        format!("imports `{label}`, which matches `{}`", p.as_str()),
                        label.clone(),
                        (!index.component).then_some((*offset, None)),
                    );
                }
            }
        }
    }

    fn exports(&mut self, index: &ModuleIndex, policy: &Policy) {
        let exports: Vec<(String, Option<usize>)> = if index.component {
            index
                .component_exports
                .iter()
                .map(|e| (e.name.clone(), None))
                .collect()
        } else {
            index
                .exports
                .iter()
                .map(|e| (e.name.clone(), Some(e.offset)))
                .collect()
        };
        let names: Vec<&str> = exports.iter().map(|(n, _)| n.as_str()).collect();
        if let Some(require) = &policy.require_exports {
            self.report.rules += 1;
            for p in &require.value {
                if !names.iter().any(|n| p.matches(n)) {
                    self.violation(
                        "exports.require",
                        require,
                        format!("no export matches `{}`", p.as_str()),
                        format!("{} exports", names.len()),
                        None,
                    );
                }
            }
        }
        if let Some(deny) = &policy.deny_exports {
            self.report.rules += 1;
            for (name, offset) in &exports {
                if let Some(p) = deny.value.iter().find(|p| p.matches(name)) {
                    self.violation(
                        "exports.deny",
                        deny,
                        format!("exports `{name}`, which matches `{}`", p.as_str()),
                        name.clone(),
                        offset.map(|o| (o, None)),
                    );
                }
            }
        }
    }

    fn customs(&mut self, index: &ModuleIndex, policy: &Policy) {
        let customs: Vec<(&str, usize, usize)> = index
            .customs
            .iter()
            .chain(
                index
                    .component
                    .then_some(&index.nested)
                    .into_iter()
                    .flatten()
                    .flat_map(|m| m.customs.iter()),
            )
            .map(|c| (c.name.as_str(), c.section.start, c.section.len()))
            .collect();
        if let Some(forbid) = &policy.forbid_custom {
            self.report.rules += 1;
            for &(name, offset, size) in &customs {
                if let Some(p) = forbid.value.iter().find(|p| p.matches(name)) {
                    self.violation(
                        "custom.forbid",
                        forbid,
                        format!(
                            "has custom section `{name}` ({}), which matches `{}`",
                            crate::output::human_size(size as u64),
                            p.as_str()
                        ),
                        name.to_string(),
                        Some((offset, Some(size))),
                    );
                }
            }
        }
        if let Some(require) = &policy.require_custom {
            self.report.rules += 1;
            for p in &require.value {
                if !customs.iter().any(|(n, _, _)| p.matches(n)) {
                    self.violation(
                        "custom.require",
                        require,
                        format!("no custom section matches `{}`", p.as_str()),
                        format!("{} custom sections", customs.len()),
                        None,
                    );
                }
            }
        }
    }

    fn functions(&mut self, index: &ModuleIndex, policy: &Policy) {
        let modules = index.core_modules();
        if let Some(limit) = &policy.max_function_size {
            self.report.rules += 1;
            for (nested, m) in &modules {
                for f in m.defined_functions() {
                    let size = f.size() as u64;
                    if size <= limit.value {
                        continue;
                    }
                    let name = m
                        .function_name(f.index)
                        .map(crate::demangle::demangle)
                        .unwrap_or_else(|| format!("function {}", f.index));
                    let place = match nested {
                        Some(n) => format!("module {n}: "),
                        None => String::new(),
                    };
                    self.violation(
                        "functions.max-size",
                        limit,
                        format!(
                            "{place}{name} is {}, over the limit of {}",
                            describe_bytes(size),
                            describe_bytes(limit.value)
                        ),
                        describe_bytes(size),
                        f.body.as_ref().map(|b| (b.start, Some(b.len()))),
                    );
                }
            }
        }
        if let Some(limit) = &policy.max_functions {
            self.report.rules += 1;
            let count: u64 = modules
                .iter()
                .map(|(_, m)| m.defined_functions().count() as u64)
                .sum();
            if count > limit.value {
                self.violation(
                    "functions.max-count",
                    limit,
                    format!(
                        "defines {count} functions, over the limit of {}",
                        limit.value
                    ),
                    count.to_string(),
                    None,
                );
            }
        }
    }
}
