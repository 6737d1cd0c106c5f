//! The audit itself: every import of a module or component classified,
//! weighed against the call graph (linked is not used), and gathered into
//! [`Caps`], with the toolchain and host interfaces it was built for.

use std::collections::BTreeMap;

use serde::Serialize;

use super::classify::{Context, Convention, HostInterface, classify, split_version};
use super::vocabulary::{Capability, Risk};
use crate::callgraph::CallGraph;
use crate::error::DecodeError;
use crate::index::{ComponentKind, Import, ItemKind, ModuleIndex};
use crate::info::Role;
use crate::wiring::Wiring;

/// One import in the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportUse {
    /// Nested core module of a component.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<usize>,
    /// Import module.
    pub module: String,
    /// Import name.
    pub name: String,
    /// The module and name in the binary, when glue gave the import its
    /// real name ([`crate::glue`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minified: Option<crate::index::MinifiedImport>,
    /// Whether reachable code calls it (always true for component-level
    /// imports, which are what the component asks to be linked with).
    pub reachable: bool,
    /// Whether the capability is a guess from a name.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub guessed: bool,
    /// Whether the import needs the capability only with some arguments
    /// (`path_open` writes only when asked to open for writing).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub possible: bool,
    /// The reachable calls to it, when they were looked for
    /// ([`super::locate_calls`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<super::CallSite>,
    /// For a function a component imports: the exports whose calls can
    /// reach it (`interface#function`, or `(start)` for instantiation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reached_from: Vec<String>,
    /// Whether it is a function a component imports (`module` is then
    /// the interface, or empty for a function the world imports).
    #[serde(skip)]
    pub component: bool,
}

impl ImportUse {
    /// `module.name` for a core import; `interface#function` for a
    /// function a component imports; the module alone for an interface
    /// as a whole.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            self.module.clone()
        } else if self.component {
            if self.module.is_empty() {
                self.name.clone()
            } else {
                format!("{}#{}", self.module, self.name)
            }
        } else {
            format!("{}.{}", self.module, self.name)
        }
    }
}

/// One capability in the report.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityUse {
    /// The capability's name.
    pub name: &'static str,
    /// Its risk level.
    pub risk: Risk,
    /// What it means.
    pub meaning: &'static str,
    /// Whether any import that needs it is reachable.
    pub reachable: bool,
    /// The imports that need it.
    pub imports: Vec<ImportUse>,
    #[serde(skip)]
    capability: Capability,
}

impl CapabilityUse {
    /// The capability.
    pub fn capability(&self) -> Capability {
        self.capability
    }

    /// How its imports use it.
    pub fn usage(&self) -> Usage {
        if self.imports.is_empty() {
            Usage::Implied
        } else if !self.reachable {
            Usage::LinkedOnly
        } else if self
            .imports
            .iter()
            .filter(|i| i.reachable)
            .all(|i| i.possible)
        {
            Usage::Possible
        } else {
            Usage::Called
        }
    }
}

/// How a module uses a capability, from the surest to the least sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Reachable code calls an import that needs it.
    Called,
    /// Reachable code calls an import that needs it only with some
    /// arguments.
    Possible,
    /// Imports that need it are linked, but no reachable code calls them.
    LinkedOnly,
    /// No import names it; the module's conventions imply it (a JavaScript
    /// host).
    Implied,
}

impl Usage {
    /// Its label in the text report.
    pub fn label(self) -> &'static str {
        match self {
            Usage::Called => "called",
            Usage::Possible => "possible",
            Usage::LinkedOnly => "linked only",
            Usage::Implied => "implied",
        }
    }
}

/// The whole audit of one module or component.
#[derive(Debug, Clone, Serialize)]
pub struct Caps {
    /// The input's name.
    pub file: String,
    /// A core module or a component.
    pub kind: crate::info::Kind,
    /// Command, reactor, HTTP server or library.
    pub role: Role,
    /// The toolchain, as named by its producers section or recognised by
    /// its fingerprints.
    pub toolchain: Vec<String>,
    /// The host interfaces it targets: `wasi-preview1`, `wasi-0.2`, `js-host`...
    pub wasi: Vec<HostInterface>,
    /// Capabilities in risk order (neutral plumbing last).
    pub capabilities: Vec<CapabilityUse>,
    /// Imports of no known convention.
    pub unknown_imports: Vec<ImportUse>,
    /// What the reader should know about how sure the report is.
    pub notes: Vec<String>,
    /// The JavaScript glue that named a minified module's imports, or that
    /// was found beside it and did not fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glue: Option<crate::glue::GlueUse>,
}

impl Caps {
    /// The capabilities that count: reachable ones, or all with `strict`.
    pub fn needed(&self, strict: bool) -> impl Iterator<Item = &CapabilityUse> {
        self.capabilities
            .iter()
            .filter(move |c| c.capability != Capability::Neutral && (strict || c.reachable))
    }

    /// Whether it targets a host interface.
    pub fn targets(&self, host: HostInterface) -> bool {
        self.wasi.contains(&host)
    }
}

/// Audits an indexed input.
pub fn audit(file: &str, bytes: &[u8], index: &ModuleIndex) -> Result<Caps, DecodeError> {
    if index.component {
        let wiring = Wiring::build(bytes, index)?;
        let wit = crate::wit::Wit::decode(bytes).ok().map(|w| w.report());
        audit_component(file, index, &wiring, wit.as_ref())
    } else {
        audit_parts(file, bytes, index, None)
    }
}

/// Audits a component whose wiring and WIT (when it can be read) are
/// already at hand.
pub fn audit_component(
    file: &str,
    index: &ModuleIndex,
    wiring: &Wiring,
    wit: Option<&crate::wit::WitReport>,
) -> Result<Caps, DecodeError> {
    audit_parts(file, &[], index, Some((wiring, wit)))
}

fn audit_parts(
    file: &str,
    bytes: &[u8],
    index: &ModuleIndex,
    component: Option<(&Wiring, Option<&crate::wit::WitReport>)>,
) -> Result<Caps, DecodeError> {
    let modules = index.core_modules();
    let info = crate::info::info(file, index);
    let cx = context(index);
    let mut findings = Findings::default();
    if let Some((wiring, wit)) = component {
        findings.component_imports(index, wiring, wit, cx);
        findings.wiring_notes = wiring.notes.clone();
        if wit.is_none() {
            findings.wiring_notes.push(
                "the component's WIT could not be read: functions its code never uses are not listed"
                    .to_string(),
            );
        }
    } else {
        let reach = Reachability::of(bytes, &modules)?;
        findings.module_imports(&modules, &reach, cx);
    }
    findings.http_handler_export(index);
    findings.conventions.sort();
    findings.conventions.dedup();
    let wasi = host_interfaces(&findings.conventions);
    let notes = findings.notes(&modules);
    Ok(Caps {
        file: file.to_string(),
        kind: info.kind,
        role: info.role,
        toolchain: toolchains(index, cx, info.toolchain),
        wasi,
        capabilities: capability_uses(findings.found),
        unknown_imports: findings.unknown,
        notes,
        glue: None,
    })
}

/// Which functions of each core module reachable code calls.
struct Reachability {
    /// Per core module, in [`ModuleIndex::core_modules`] order: whether
    /// each function is reachable.
    functions: Vec<Vec<bool>>,
}

impl Reachability {
    fn of(bytes: &[u8], modules: &[(Option<usize>, &ModuleIndex)]) -> Result<Self, DecodeError> {
        let functions = modules
            .iter()
            .map(|&(_, m)| Ok(CallGraph::build(bytes, m)?.reachable()))
            .collect::<Result<_, DecodeError>>()?;
        Ok(Reachability { functions })
    }
}

/// Whether an import is used: a function when reachable code calls it; a
/// memory, table or global by the module as a whole.
fn is_live(import: &Import, reachable: &[bool]) -> bool {
    match import.kind {
        ItemKind::Func => reachable
            .get(import.index as usize)
            .copied()
            .unwrap_or(false),
        _ => true,
    }
}

/// What the imports need, gathered phase by phase.
#[derive(Default)]
struct Findings {
    found: BTreeMap<Capability, Vec<ImportUse>>,
    unknown: Vec<ImportUse>,
    conventions: Vec<Convention>,
    /// What the wiring of a component could not follow.
    wiring_notes: Vec<String>,
}

impl Findings {
    fn record(&mut self, capability: Capability, entry: ImportUse) {
        self.found.entry(capability).or_default().push(entry);
    }

    /// What a component imports, function by function: each function of
    /// each imported interface (from its WIT, and whatever its sections
    /// use), classified, with the exports that reach it through the
    /// component's wiring. An interface with no functions (only types) is
    /// listed as a whole.
    fn component_imports(
        &mut self,
        index: &ModuleIndex,
        wiring: &Wiring,
        wit: Option<&crate::wit::WitReport>,
        cx: Context,
    ) {
        for item in &index.component_imports {
            let (interface, functions): (&str, Vec<String>) = match item.kind {
                ComponentKind::Func => ("", vec![item.name.clone()]),
                ComponentKind::Instance => {
                    let mut names: Vec<String> = wit
                        .map(|w| {
                            w.functions_of(&item.name, false)
                                .iter()
                                .map(|f| f.abi_name.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    for used in &wiring.imports {
                        if used.interface.as_deref() == Some(item.name.as_str())
                            && !names.contains(&used.name)
                        {
                            names.push(used.name.clone());
                        }
                    }
                    (item.name.as_str(), names)
                }
                _ => continue,
            };
            let wasi = interface.starts_with("wasi:");
            let version = split_version(interface).1;
            self.conventions.push(if !wasi {
                Convention::Custom
            } else if version.starts_with("0.3") {
                Convention::Wasi03
            } else {
                Convention::Wasi02
            });
            let scope = (!interface.is_empty()).then_some(interface);
            // An interface of types only grants nothing by itself: its
            // resources come and go through other interfaces' functions.
            for name in functions {
                let class = classify(interface, &name, ItemKind::Func, cx);
                let reached_from = wiring.reached_by(scope, &name);
                let entry = ImportUse {
                    module: interface.to_string(),
                    name,
                    reachable: !reached_from.is_empty(),
                    guessed: class.guessed,
                    reached_from,
                    component: true,
                    ..ImportUse::default()
                };
                if class.capability == Capability::HostCustom {
                    self.unknown.push(entry.clone());
                }
                for also in class.also {
                    let possible = ImportUse {
                        possible: true,
                        ..entry.clone()
                    };
                    self.record(*also, possible);
                }
                self.record(class.capability, entry);
            }
        }
    }

    /// Exporting an HTTP handler is serving HTTP, whatever it imports.
    fn http_handler_export(&mut self, index: &ModuleIndex) {
        let serves = index.component_exports.iter().any(|e| {
            matches!(
                split_version(&e.name).0,
                "wasi:http/incoming-handler" | "wasi:http/handler"
            )
        });
        if serves {
            self.record(
                Capability::HttpIn,
                ImportUse {
                    module: "(export)".to_string(),
                    name: "wasi:http/incoming-handler".to_string(),
                    reachable: true,
                    ..ImportUse::default()
                },
            );
        }
    }

    /// Each core import, classified and marked reachable or not.
    fn module_imports(
        &mut self,
        modules: &[(Option<usize>, &ModuleIndex)],
        reach: &Reachability,
        cx: Context,
    ) {
        for (&(nested, m), reachable) in modules.iter().zip(&reach.functions) {
            for import in &m.imports {
                let class = classify(&import.module, &import.name, import.kind, cx);
                self.conventions.push(class.convention);
                let entry = ImportUse {
                    nested,
                    module: import.module.clone(),
                    name: import.name.clone(),
                    minified: import.minified.clone(),
                    reachable: is_live(import, reachable),
                    guessed: class.guessed,
                    ..ImportUse::default()
                };
                if class.capability == Capability::HostCustom {
                    self.unknown.push(entry.clone());
                }
                for also in class.also {
                    let possible = ImportUse {
                        possible: true,
                        ..entry.clone()
                    };
                    self.record(*also, possible);
                }
                self.record(class.capability, entry);
            }
        }
    }

    /// What the reader should know about how sure the report is. A module
    /// built for JavaScript glue needs a JavaScript host even when no
    /// import names it, so that capability is added here.
    fn notes(&mut self, modules: &[(Option<usize>, &ModuleIndex)]) -> Vec<String> {
        let mut notes = std::mem::take(&mut self.wiring_notes);
        if self.conventions.iter().any(|c| c.is_js_glue()) {
            self.found.entry(Capability::JsHost).or_default();
            notes.push(
                "built for a JavaScript host: its glue code decides what the imports do; \
                 capabilities read from JavaScript names are guesses"
                    .to_string(),
            );
        }
        if self.conventions.contains(&Convention::WasmEdge) {
            notes.push(
                "uses WasmEdge's socket extensions, which neither wasmtime nor standard \
                 preview1 hosts provide"
                    .to_string(),
            );
        }
        let any_import =
            |f: &dyn Fn(&Import) -> bool| modules.iter().any(|(_, m)| m.imports.iter().any(f));
        if any_import(&|i| i.name == "path_open" || i.name.ends_with("open-at")) {
            notes.push(
                "files are opened for reading or writing by flags chosen at run time: \
                 opening files counts as fs-read and fs-write"
                    .to_string(),
            );
        }
        if modules.iter().any(|(_, m)| crate::glue::looks_minified(m)) {
            notes.push(
                "the imports' short names look like a minified Emscripten build: they cannot \
                 be classified without the JavaScript glue built with it (--glue FILE.js)"
                    .to_string(),
            );
        }
        notes
    }
}

/// The host interfaces, once each, in convention order.
fn host_interfaces(conventions: &[Convention]) -> Vec<HostInterface> {
    let mut hosts = Vec::new();
    for host in conventions.iter().filter_map(|c| c.host_interface()) {
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

/// The report's rows, in risk order.
fn capability_uses(found: BTreeMap<Capability, Vec<ImportUse>>) -> Vec<CapabilityUse> {
    let mut capabilities: Vec<CapabilityUse> = found
        .into_iter()
        .map(|(capability, imports)| CapabilityUse {
            name: capability.name(),
            risk: capability.risk(),
            meaning: capability.meaning(),
            reachable: imports.is_empty() || imports.iter().any(|i| i.reachable),
            imports,
            capability,
        })
        .collect();
    capabilities.sort_by_key(|c| c.capability);
    capabilities
}

/// Module-level fingerprints that change how `env` imports are read.
fn context(index: &ModuleIndex) -> Context {
    let mut cx = Context::default();
    for (_, m) in index.core_modules() {
        let exports = |name: &str| m.exports.iter().any(|e| e.name == name);
        if exports("stackSave")
            || exports("stackRestore")
            || m.exports.iter().any(|e| e.name.starts_with("dynCall_"))
            || m.imports.iter().any(|i| {
                i.module == "env"
                    && (i.name.starts_with("emscripten_") || i.name.starts_with("__syscall_"))
            })
        {
            cx.emscripten = true;
        }
        let env = |name: &str| {
            m.imports
                .iter()
                .any(|i| i.module == "env" && i.name == name)
        };
        if env("abort") && (env("trace") || env("seed")) {
            cx.assemblyscript = true;
        }
    }
    cx
}

/// The toolchain: what the producers section says, else what the
/// fingerprints suggest.
fn toolchains(index: &ModuleIndex, cx: Context, producers: Option<String>) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(p) = producers {
        found.push(p);
    }
    let mut add = |name: &str| {
        if !found.iter().any(|f| f.contains(name)) {
            found.push(name.to_string());
        }
    };
    for (_, m) in index.core_modules() {
        let custom = |name: &str| m.customs.iter().any(|c| c.name == name);
        let imports_from = |module: &str| m.imports.iter().any(|i| i.module == module);
        let exports = |name: &str| m.exports.iter().any(|e| e.name == name);
        let tinygo = exports("asyncify_start_unwind") && imports_from("gojs");
        if tinygo {
            add("TinyGo");
        } else if custom("go:buildid")
            || custom("go.buildid")
            || imports_from("go")
            || imports_from("gojs")
        {
            // Go writes `go:buildid` (early releases `go.buildid`).
            add("Go");
        }
        if custom("__wasm_bindgen_unstable")
            || imports_from("__wbindgen_placeholder__")
            || m.imports
                .iter()
                .any(|i| i.module.ends_with("_bg.js") || i.module == "wbg")
        {
            add("wasm-bindgen");
        }
        if custom("dylink.0") {
            add("shared library (dylink.0)");
        }
    }
    if cx.emscripten {
        add("Emscripten");
    }
    if cx.assemblyscript {
        add("AssemblyScript");
    }
    found
}
