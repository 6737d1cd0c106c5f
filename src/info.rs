//! The one-screen summary people ask for first: what kind of module this is,
//! what built it, how many of each item it has, and where its size is.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::{ComponentItem, ItemKind, ModuleIndex, ProducerField};

/// What a module is for, as its exports tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs once from `_start` (or a component exporting `wasi:cli/run`).
    Command,
    /// Initialised by `_initialize`, then called through its exports.
    Reactor,
    /// A component serving `wasi:http/incoming-handler`.
    HttpServer,
    /// Anything else: a set of exports for a host to call.
    Library,
}

impl Role {
    /// A short description.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Command => "command (runs from its entry point, then exits)",
            Role::Reactor => "reactor (initialised once, then called through its exports)",
            Role::HttpServer => "HTTP server (exports wasi:http/incoming-handler)",
            Role::Library => "library (exports for a host to call)",
        }
    }
}

/// Item counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Types.
    pub types: usize,
    /// Functions, imported ones included.
    pub functions: usize,
    /// Imported functions.
    pub imported_functions: usize,
    /// Tables.
    pub tables: usize,
    /// Memories.
    pub memories: usize,
    /// Globals.
    pub globals: usize,
    /// Tags.
    pub tags: usize,
    /// Element segments.
    pub elements: usize,
    /// Data segments.
    pub data: usize,
    /// Imports.
    pub imports: usize,
    /// Exports.
    pub exports: usize,
}

/// A memory and its limits.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryInfo {
    /// Memory index.
    pub index: u32,
    /// Its type as text (limits in pages).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it is imported.
    pub imported: bool,
}

/// A custom section's name and size.
#[derive(Debug, Clone, Serialize)]
pub struct CustomInfo {
    /// Its name.
    pub name: String,
    /// Its size, header included.
    pub size: usize,
}

/// The summary of one core module.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleInfo {
    /// The module's own name, from the name section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// In a component: the module's name there (its `component-name`
    /// section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_name: Option<String>,
    /// In a component: what the module is for (`main module`, `WASI
    /// adapter`, `shim`...), where that can be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_role: Option<&'static str>,
    /// Size in bytes.
    pub size: usize,
    /// Command, reactor or library.
    pub role: Role,
    /// Item counts.
    pub counts: Counts,
    /// Memories with their limits.
    pub memories: Vec<MemoryInfo>,
    /// Import counts by module name.
    pub imports: BTreeMap<String, usize>,
    /// Exports: name and kind.
    pub exports: Vec<ExportInfo>,
    /// Bytes of function bodies.
    pub code_bytes: usize,
    /// Bytes of data segments.
    pub data_bytes: usize,
    /// Custom sections.
    pub custom_sections: Vec<CustomInfo>,
}

/// An export's name and kind.
#[derive(Debug, Clone, Serialize)]
pub struct ExportInfo {
    /// Export name.
    pub name: String,
    /// Item kind.
    pub kind: ItemKind,
}

/// What the input is: a core module or a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A core WebAssembly module.
    Module,
    /// A component (the component model), which may nest core modules.
    Component,
}

impl Kind {
    /// The kind of what `index` indexes.
    pub fn of(index: &ModuleIndex) -> Kind {
        if index.component {
            Kind::Component
        } else {
            Kind::Module
        }
    }

    /// `module` or `component`, as the JSON spells it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Module => "module",
            Kind::Component => "component",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The whole summary.
#[derive(Debug, Clone, Serialize)]
pub struct Info {
    /// The input's name.
    pub file: String,
    /// A core module or a component.
    pub kind: Kind,
    /// Size in bytes.
    pub size: usize,
    /// Command, reactor, HTTP server or library.
    pub role: Role,
    /// The producing toolchain, from the producers section (`rustc 1.95.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toolchain: Option<String>,
    /// The producers section.
    pub producers: Vec<ProducerField>,
    /// The target_features section.
    pub target_features: Vec<String>,
    /// For a core module, its summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleInfo>,
    /// For a component: its own imports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_imports: Option<Vec<ComponentItem>>,
    /// For a component: its own exports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_exports: Option<Vec<ComponentItem>>,
    /// For a component: the summary of each nested core module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<Vec<ModuleInfo>>,
    /// For a core module: the debug info it carries or points to, when it
    /// has any (DWARF, `build_id`, `external_debug_info`,
    /// `sourceMappingURL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug: Option<crate::debuginfo::Summary>,
    /// The gzip and brotli sizes of the whole input, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compressed: Option<crate::compressed::Compressed>,
    /// The JavaScript glue that named a minified module's imports and
    /// exports ([`crate::glue`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glue: Option<crate::glue::GlueUse>,
}

impl Info {
    /// Adds the gzip and brotli sizes of `bytes` (the whole input).
    pub fn with_compressed(mut self, bytes: &[u8]) -> Info {
        self.compressed = Some(crate::compressed::Compressed::of(bytes));
        self
    }

    /// Adds what the module says about its debug info (reading the DWARF
    /// compile units' headers).
    pub fn with_debug(mut self, index: &ModuleIndex, bytes: &[u8]) -> Info {
        if !index.component {
            let summary = crate::debuginfo::summarise(index, bytes);
            self.debug = (summary != crate::debuginfo::Summary::default()).then_some(summary);
        }
        self
    }

    /// Names a component's core modules as the component does, with their
    /// roles (see [`crate::component`]). A component whose parts cannot be
    /// walked keeps its modules unnamed.
    pub fn with_parts(mut self, bytes: &[u8]) -> Info {
        let Some(nested) = &mut self.nested else {
            return self;
        };
        let Ok(parts) = crate::component::parts(bytes) else {
            return self;
        };
        // The index's nested modules are the component's own, in order.
        let own = parts
            .iter()
            .filter(|p| p.depth == 0 && p.kind == crate::component::PartKind::Module);
        for (module, part) in nested.iter_mut().zip(own) {
            module.part_name = part.name.clone();
            module.part_role = part.role.map(|r| r.describe());
        }
        self
    }
}

/// Summarises an indexed input.
pub fn info(file: &str, index: &ModuleIndex) -> Info {
    let component = index.component;
    let role = if component {
        component_role(index)
    } else {
        module_role(index)
    };
    // The outer producers section, or the first nested module's.
    let producers = std::iter::once(index)
        .chain(index.nested.iter())
        .map(|m| &m.producers)
        .find(|p| !p.is_empty())
        .cloned()
        .unwrap_or_default();
    let target_features = std::iter::once(index)
        .chain(index.nested.iter())
        .map(|m| &m.target_features)
        .find(|t| !t.is_empty())
        .cloned()
        .unwrap_or_default();
    Info {
        file: file.to_string(),
        kind: Kind::of(index),
        size: index.range.len(),
        role,
        toolchain: toolchain(&producers),
        producers,
        target_features,
        module: (!component).then(|| module_info(index)),
        component_imports: component.then(|| index.component_imports.clone()),
        component_exports: component.then(|| index.component_exports.clone()),
        nested: component.then(|| index.nested.iter().map(module_info).collect()),
        debug: None,
        compressed: None,
        glue: None,
    }
}

fn module_role(m: &ModuleIndex) -> Role {
    let exports = |name: &str| {
        m.exports
            .iter()
            .any(|e| e.kind == ItemKind::Func && e.name == name)
    };
    if exports("_start") {
        Role::Command
    } else if exports("_initialize") {
        Role::Reactor
    } else {
        Role::Library
    }
}

fn component_role(c: &ModuleIndex) -> Role {
    let exports = |prefix: &str| {
        c.component_exports
            .iter()
            .any(|e| e.name.starts_with(prefix))
    };
    if exports("wasi:http/incoming-handler") || exports("wasi:http/handler") {
        Role::HttpServer
    } else if exports("wasi:cli/run") {
        Role::Command
    } else {
        Role::Library
    }
}

/// The tools that produced the module, from the producers section's
/// `processed-by` field (else its language), versions cut to their first
/// word: `rustc 1.95.0, clang 21.1.4-wasi-sdk`.
fn toolchain(producers: &[ProducerField]) -> Option<String> {
    let field = |name: &str| producers.iter().find(|f| f.field == name);
    let short = |(name, version): &(String, String)| match version.split_whitespace().next() {
        Some(v) => format!("{name} {v}"),
        None => name.clone(),
    };
    let mut tools: Vec<String> = field("processed-by")
        .map(|f| f.values.iter().map(short).collect())
        .unwrap_or_default();
    // The compiler of the main language first: rustc before the C compiler
    // that built its libc.
    tools.sort_by_key(|t| !t.starts_with("rustc"));
    if tools.is_empty() {
        return field("language").and_then(|f| f.values.first()).map(short);
    }
    Some(tools.join(", "))
}

fn module_info(m: &ModuleIndex) -> ModuleInfo {
    let mut imports = BTreeMap::new();
    for i in &m.imports {
        *imports.entry(i.module.clone()).or_insert(0) += 1;
    }
    ModuleInfo {
        part_name: None,
        part_role: None,
        name: m.module_name.clone(),
        size: m.range.len(),
        role: module_role(m),
        counts: Counts {
            types: m.types.len(),
            functions: m.functions.len(),
            imported_functions: m.imported_functions() as usize,
            tables: m.tables.len(),
            memories: m.memories.len(),
            globals: m.globals.len(),
            tags: m.tags.len(),
            elements: m.elements.len(),
            data: m.data.len(),
            imports: m.imports.len(),
            exports: m.exports.len(),
        },
        memories: m
            .memories
            .iter()
            .map(|mem| MemoryInfo {
                index: mem.index,
                ty: mem.ty.clone(),
                imported: mem.imported,
            })
            .collect(),
        imports,
        exports: m
            .exports
            .iter()
            .map(|e| ExportInfo {
                name: e.name.clone(),
                kind: e.kind,
            })
            .collect(),
        code_bytes: m.defined_functions().map(|f| f.size()).sum(),
        data_bytes: m.data.iter().map(|d| d.size).sum(),
        custom_sections: m
            .customs
            .iter()
            .map(|c| CustomInfo {
                name: c.name.clone(),
                size: c.section.len(),
            })
            .collect(),
    }
}
