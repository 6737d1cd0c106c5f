//! The parts of a component: the core modules and components nested in it,
//! at any depth, with their names, roles and bytes.
//!
//! A part is named by the `component-name` section of the component that
//! holds it, when it has one (the names count in the component's index
//! spaces, which imports, aliases and exports add to); its role comes from
//! the names toolchains give (wit-component's `main`, its shim and fixup
//! modules, a WASI adapter) or, for the largest core module of a component
//! with no name saying otherwise, `main`.
//!
//! ```
//! use wasmscope::component::{parts, PartKind};
//! use wasmscope::input::{Input, Loaded};
//!
//! let text = r#"(component
//!     (core module $app (func (export "run")))
//!     (component $inner (core module $helper))
//! )"#;
//! let component = Loaded::from_input(Input::from_bytes("c.wat", text.as_bytes().to_vec()))?;
//! let parts = parts(&component.bytes)?;
//! assert_eq!(parts.len(), 3);
//! assert_eq!(parts[0].id, "module 0");
//! assert_eq!(parts[0].name.as_deref(), Some("app"));
//! assert_eq!(parts[1].kind, PartKind::Component);
//! assert_eq!(parts[2].id, "component 0/module 0");
//! // Each part's bytes are a standalone binary.
//! assert!(wasmparser::Parser::is_core_wasm(&component.bytes[parts[0].range.clone()]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use wasmparser::{
    Chunk, ComponentAlias, ComponentExternalKind, ComponentName, ComponentNameSectionReader,
    ComponentOuterAliasKind, ComponentTypeRef, KnownCustom, Parser, Payload,
};

use crate::error::DecodeError;

/// Whether a part is a core module or a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// A core module.
    Module,
    /// A nested component.
    Component,
}

/// What a part is for, as far as its names and size tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The program: named `main`, or the largest core module of its
    /// component.
    Main,
    /// A WASI adapter (WASI 0.1 calls turned into WASI 0.2 imports).
    Adapter,
    /// wit-component's shim: indirect stubs for functions filled in later.
    Shim,
    /// wit-component's fixup: fills the shim's table.
    Fixup,
    /// A shared library linked in (`libc.so`, `libpython3.14.so`).
    Library,
    /// Stubs for imports nothing provides.
    Stubs,
}

impl Role {
    /// The role in words, as the listings show it.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Main => "main module",
            Role::Adapter => "WASI adapter",
            Role::Shim => "shim",
            Role::Fixup => "fixup",
            Role::Library => "shared library",
            Role::Stubs => "stubs",
        }
    }
}

/// A core module or component inside a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// How commands name it: `module 2`, `component 0`, `component 0/module 1`
    /// (numbered in order of appearance, modules and components apart, in
    /// the component that holds it).
    pub id: String,
    /// Module or component.
    pub kind: PartKind,
    /// Its name from the `component-name` section, if any.
    pub name: Option<String>,
    /// What it is for, when that can be told.
    pub role: Option<Role>,
    /// The part that holds it (a position in the list), or none at the top.
    pub parent: Option<usize>,
    /// How deep it is: 0 for a part of the top component.
    pub depth: usize,
    /// Its bytes in the input, from its `\0asm` header: a binary of its own.
    pub range: Range<usize>,
}

/// One component being walked: its parts so far and its index spaces.
struct Frame {
    /// Position of this component in the list (none for the top).
    at: Option<usize>,
    id: String,
    depth: usize,
    /// Sizes of the core module and component index spaces so far.
    modules: u32,
    components: u32,
    /// Parts defined here: (position in the list, index in its space).
    defined: Vec<(usize, u32)>,
    /// Defined parts counted by kind, for their ids.
    counted: (usize, usize),
    module_names: HashMap<u32, String>,
    component_names: HashMap<u32, String>,
}

impl Frame {
    fn new(at: Option<usize>, id: String, depth: usize) -> Frame {
        Frame {
            at,
            id,
            depth,
            modules: 0,
            components: 0,
            defined: Vec::new(),
            counted: (0, 0),
            module_names: HashMap::new(),
            component_names: HashMap::new(),
        }
    }

    /// A part defined here: its id, and its place in the index space.
    fn define(&mut self, kind: PartKind, position: usize) -> String {
        let (number, space) = match kind {
            PartKind::Module => (&mut self.counted.0, &mut self.modules),
            PartKind::Component => (&mut self.counted.1, &mut self.components),
        };
        let id = format!(
            "{} {number}",
            if kind == PartKind::Module {
                "module"
            } else {
                "component"
            }
        );
        *number += 1;
        self.defined.push((position, *space));
        *space += 1;
        if self.id.is_empty() {
            id
        } else {
            format!("{}/{id}", self.id)
        }
    }
}

/// Every part of a component, depth first in order of appearance (a nested
/// component before its own parts). A core module has none.
pub fn parts(bytes: &[u8]) -> Result<Vec<Part>, DecodeError> {
    let mut parts: Vec<Part> = Vec::new();
    if !Parser::is_component(bytes) {
        return Ok(parts);
    }
    // Parsers of the components being walked, and the components' frames:
    // a nested component is walked with its own parser, a core module is
    // stepped over unread.
    let mut stack: Vec<(Parser, Frame)> = Vec::new();
    let mut parser = Parser::new(0);
    let mut frame = Frame::new(None, String::new(), 0);
    let mut data = bytes;
    loop {
        let (consumed, payload) = match parser.parse(data, true)? {
            Chunk::Parsed { consumed, payload } => (consumed, payload),
            Chunk::NeedMoreData(_) => {
                return Err(DecodeError::new(bytes.len(), "the component is cut short"));
            }
        };
        let mut rest = data.get(consumed..).unwrap_or_default();
        match payload {
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                let position = parts.len();
                let id = frame.define(PartKind::Module, position);
                parts.push(part(id, PartKind::Module, &frame, &unchecked_range));
                let len = part_len(&unchecked_range);
                rest = rest.get(len..).ok_or_else(|| {
                    DecodeError::new(bytes.len(), "a nested module runs past the end")
                })?;
            }
            Payload::ComponentSection {
                parser: inner,
                unchecked_range,
            } => {
                let position = parts.len();
                let id = frame.define(PartKind::Component, position);
                let depth = frame.depth + 1;
                parts.push(part(
                    id.clone(),
                    PartKind::Component,
                    &frame,
                    &unchecked_range,
                ));
                let outer = std::mem::replace(&mut parser, inner);
                let outer_frame =
                    std::mem::replace(&mut frame, Frame::new(Some(position), id, depth));
                stack.push((outer, outer_frame));
            }
            Payload::ComponentImportSection(reader) => {
                for import in reader {
                    match import?.ty {
                        ComponentTypeRef::Module(_) => frame.modules += 1,
                        ComponentTypeRef::Component(_) => frame.components += 1,
                        _ => {}
                    }
                }
            }
            Payload::ComponentAliasSection(reader) => {
                for alias in reader {
                    match alias? {
                        ComponentAlias::InstanceExport { kind, .. } => count(&mut frame, kind),
                        ComponentAlias::Outer { kind, .. } => match kind {
                            ComponentOuterAliasKind::CoreModule => frame.modules += 1,
                            ComponentOuterAliasKind::Component => frame.components += 1,
                            _ => {}
                        },
                        ComponentAlias::CoreInstanceExport { .. } => {}
                    }
                }
            }
            Payload::ComponentExportSection(reader) => {
                for export in reader {
                    count(&mut frame, export?.kind);
                }
            }
            Payload::CustomSection(custom) => {
                if let KnownCustom::ComponentName(reader) = custom.as_known() {
                    read_names(reader, &mut frame);
                }
            }
            Payload::End(_) => {
                // A component's names come last: its parts are named now.
                name_parts(&mut parts, &frame);
                match stack.pop() {
                    Some((outer, outer_frame)) => {
                        parser = outer;
                        frame = outer_frame;
                    }
                    None => break,
                }
            }
            _ => {}
        }
        data = rest;
    }
    assign_roles(&mut parts);
    Ok(parts)
}

fn part_len(range: &Range<u64>) -> usize {
    usize::try_from(range.end.saturating_sub(range.start)).unwrap_or(usize::MAX)
}

fn part(id: String, kind: PartKind, frame: &Frame, range: &Range<u64>) -> Part {
    let at = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
    Part {
        id,
        kind,
        name: None,
        role: None,
        parent: frame.at,
        depth: frame.depth,
        range: at(range.start)..at(range.end),
    }
}

/// An export or an alias of a module or component adds to its index space.
fn count(frame: &mut Frame, kind: ComponentExternalKind) {
    match kind {
        ComponentExternalKind::Module => frame.modules += 1,
        ComponentExternalKind::Component => frame.components += 1,
        _ => {}
    }
}

/// The core module and component names of a `component-name` section. A
/// damaged section names nothing (it does not make the parts unreadable).
fn read_names(reader: ComponentNameSectionReader<'_>, frame: &mut Frame) {
    for name in reader.into_iter().flatten() {
        let (map, into) = match name {
            ComponentName::CoreModules(map) => (map, &mut frame.module_names),
            ComponentName::Components(map) => (map, &mut frame.component_names),
            _ => continue,
        };
        for naming in map.into_iter().flatten() {
            into.insert(naming.index, naming.name.to_string());
        }
    }
}

fn name_parts(parts: &mut [Part], frame: &Frame) {
    for &(position, index) in &frame.defined {
        if let Some(part) = parts.get_mut(position) {
            let names = match part.kind {
                PartKind::Module => &frame.module_names,
                PartKind::Component => &frame.component_names,
            };
            part.name = names.get(&index).cloned();
        }
    }
}

/// Roles from the names wit-component gives (and its linker, to the shared
/// libraries it links), then `main` for the largest core module of each
/// component that has none named so.
fn assign_roles(parts: &mut [Part]) {
    for part in parts.iter_mut() {
        let Some(name) = part.name.as_deref() else {
            continue;
        };
        let module = part.kind == PartKind::Module;
        part.role = if name.contains("shim") {
            Some(Role::Shim)
        } else if !module {
            None
        } else if name == "main" {
            Some(Role::Main)
        } else if name.contains("adapter") {
            Some(Role::Adapter)
        } else if name.contains("fixup") {
            Some(Role::Fixup)
        } else if name.ends_with(".so") || name.contains(".so.") {
            Some(Role::Library)
        } else if name.ends_with(":stubs") {
            Some(Role::Stubs)
        } else {
            None
        };
    }
    let parents: Vec<Option<usize>> = {
        let mut seen: Vec<Option<usize>> = parts.iter().map(|p| p.parent).collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    };
    for parent in parents {
        let mine = || {
            parts
                .iter()
                .enumerate()
                .filter(move |(_, p)| p.parent == parent && p.kind == PartKind::Module)
        };
        if mine().any(|(_, p)| p.role == Some(Role::Main)) {
            continue;
        }
        let largest = mine()
            .filter(|(_, p)| p.role.is_none())
            .max_by_key(|(_, p)| p.range.len())
            .map(|(i, _)| i);
        if let Some(p) = largest.and_then(|i| parts.get_mut(i)) {
            p.role = Some(Role::Main);
        }
    }
}

/// How listings name each of a component's own core modules, in order:
/// its name in the component, else `module N` with its role when known
/// (`module 2 (shim)`). Empty for a core module, or a component whose parts
/// cannot be walked.
pub fn module_labels(bytes: &[u8]) -> Vec<String> {
    let Ok(parts) = parts(bytes) else {
        return Vec::new();
    };
    parts
        .iter()
        .filter(|p| p.depth == 0 && p.kind == PartKind::Module)
        .map(|p| match (&p.name, p.role) {
            (Some(name), _) => name.clone(),
            (None, Some(role)) => format!("{} ({})", p.id, role.describe()),
            (None, None) => p.id.clone(),
        })
        .collect()
}

/// Finds a part by what a user types: an id (`module 1`, `component 0/module
/// 2`), a number (the top component's core module, or its component with
/// `component`), or a name.
pub fn find<'a>(parts: &'a [Part], kind: PartKind, wanted: &str) -> Option<&'a Part> {
    let of_kind = || parts.iter().filter(move |p| p.kind == kind);
    if let Ok(n) = wanted.parse::<usize>() {
        let word = if kind == PartKind::Module {
            "module"
        } else {
            "component"
        };
        let id = format!("{word} {n}");
        return of_kind().find(|p| p.id == id);
    }
    of_kind()
        .find(|p| p.id == wanted)
        .or_else(|| of_kind().find(|p| p.name.as_deref() == Some(wanted)))
}
