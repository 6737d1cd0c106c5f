//! The WIT of a component: its world (what it imports and exports) and every
//! interface the world names, with functions and types, as text and as a
//! report.
//!
//! The WIT is decoded by `wit-component` from the component's type
//! information, or, for a core module built for the component model, from
//! its `component-type:*` custom sections. The text is what
//! `wasm-tools component wit` prints; [`Wit::report`] is the same contract
//! as data, for `--json` and for comparing two builds.
//!
//! ```
//! use wasmscope::input::{Input, Loaded};
//! use wasmscope::wit::Wit;
//!
//! // A component with one exported function, in the text format.
//! let text = r#"(component
//!     (core module $m (func (export "f") (result i32) i32.const 7))
//!     (core instance $i (instantiate $m))
//!     (func (export "answer") (result u32) (canon lift (core func $i "f")))
//! )"#;
//! let component = Loaded::from_input(Input::from_bytes("answer.wat", text.as_bytes().to_vec()))?;
//! let wit = Wit::decode(&component.bytes)?;
//! assert!(wit.text(true)?.contains("export answer: func() -> u32;"));
//! let report = wit.report();
//! assert_eq!(report.exports[0].name, "answer");
//! assert_eq!(report.exports[0].function.as_ref().unwrap().signature, "func() -> u32");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use wit_component::{DecodedWasm, WitPrinter};
use wit_parser::{
    Function, FunctionKind, Handle, InterfaceId, PackageId, Resolve, Type, TypeDefKind, TypeId,
    TypeOwner, WorldId, WorldItem, WorldKey,
};

use crate::error::{Error, Result};

/// A decoded WIT contract: a component's world, or the WIT package a
/// WIT-only component encodes.
pub struct Wit {
    decoded: DecodedWasm,
    /// Whether the bytes were a component (else a core module with WIT in
    /// custom sections).
    component: bool,
}

impl std::fmt::Debug for Wit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wit")
            .field("package", &self.package_name())
            .finish_non_exhaustive()
    }
}

impl Wit {
    /// Decodes the WIT of a component, of a WIT package encoded as a
    /// component, or of a core module that carries `component-type`
    /// sections. A core module without them is an error that says so.
    pub fn decode(bytes: &[u8]) -> std::result::Result<Wit, WitError> {
        if !wasmparser::Parser::is_component(bytes) && !wasmparser::Parser::is_core_wasm(bytes) {
            return Err(WitError::new(
                None,
                "not a WebAssembly binary (no `\\0asm` header)",
            ));
        }
        let component_types = sections_in_bounds(bytes)?;
        if wasmparser::Parser::is_component(bytes) {
            let decoded = wit_component::decode(bytes).map_err(decode_error)?;
            acyclic(decoded.resolve(), "the component's WIT")?;
            return Ok(Wit {
                decoded,
                component: true,
            });
        }
        // wit-component merges the sections' packages in dependency order
        // and recurses forever on a cycle: each section is checked first.
        embedded_packages_acyclic(&component_types)?;
        let (module, bindgen) = wit_component::metadata::decode(bytes).map_err(decode_error)?;
        if module.is_none() {
            return Err(WitError::new(
                None,
                "a core module with no WIT: it has no `component-type` custom section (is it meant to be made a component first?)",
            ));
        }
        Ok(Wit {
            decoded: DecodedWasm::Component(bindgen.resolve, bindgen.world),
            component: false,
        })
    }

    /// The resolved WIT, for callers that need all of it.
    pub fn resolve(&self) -> &Resolve {
        self.decoded.resolve()
    }

    /// The package the text starts with: the component's own (its world's),
    /// or the encoded package.
    pub fn package(&self) -> PackageId {
        self.decoded.package()
    }

    /// The world of a component; `None` for an encoded WIT package.
    pub fn world(&self) -> Option<WorldId> {
        match &self.decoded {
            DecodedWasm::Component(_, world) => Some(*world),
            DecodedWasm::WitPackage(..) => None,
        }
    }

    fn package_name(&self) -> String {
        self.resolve()
            .packages
            .get(self.package())
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    }

    /// The WIT as text: the main package first, then every package it
    /// uses, as nested `package ... { }` blocks. `docs` keeps doc comments.
    pub fn text(&self, docs: bool) -> Result<String> {
        print_packages(self.resolve(), self.package(), docs)
    }

    /// The WIT as a package directory: the main package in `DIR/NAME.wit`,
    /// every other package in `DIR/deps/NAME.wit`, named as
    /// `wasm-tools component wit --out-dir` names them (by package name,
    /// with the namespace or version added where names would clash).
    /// Returns each file's path (relative to the directory) and text.
    pub fn package_files(&self, docs: bool) -> Result<Vec<(PathBuf, String)>> {
        let resolve = self.resolve();
        let mut counts: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for (_, package) in resolve.packages.iter() {
            *counts
                .entry(package.name.name.as_str())
                .or_default()
                .entry(package.name.namespace.as_str())
                .or_default() += 1;
        }
        let main = self.package();
        let mut files = Vec::new();
        for (id, package) in resolve.packages.iter() {
            let mut printer = WitPrinter::default();
            printer.emit_docs(docs);
            printer
                .print(resolve, id, &[])
                .map_err(|e| Error::Other(format!("the WIT cannot be printed: {e:#}")))?;
            let name = &package.name;
            let same_name = counts.get(name.name.as_str());
            let same_namespace = same_name
                .and_then(|n| n.get(name.namespace.as_str()))
                .copied()
                .unwrap_or(1);
            let versioned = || match &name.version {
                Some(version) => format!("{}@{version}", name.name),
                None => name.name.clone(),
            };
            let stem = match (same_name.map_or(1, HashMap::len), same_namespace) {
                (1, 1) => name.name.clone(),
                (1, _) => versioned(),
                (_, 1) => format!("{}:{}", name.namespace, name.name),
                _ => name.to_string(),
            };
            let file = PathBuf::from(format!("{stem}.wit"));
            let path = if id == main {
                file
            } else {
                Path::new("deps").join(file)
            };
            files.push((path, printer.output.to_string()));
        }
        // The main package first, then deps by name.
        files.sort_by_key(|(path, _)| (path.starts_with("deps"), path.clone()));
        Ok(files)
    }

    /// The contract as data.
    pub fn report(&self) -> WitReport {
        let resolve = self.resolve();
        let namer = Namer { resolve };
        let package = self.package_name();
        let (world, imports, exports) = match self.world().and_then(|w| resolve.worlds.get(w)) {
            Some(world) => (
                Some(world.name.clone()),
                world
                    .imports
                    .iter()
                    .map(|(key, item)| namer.item(key, item))
                    .collect(),
                world
                    .exports
                    .iter()
                    .map(|(key, item)| namer.item(key, item))
                    .collect(),
            ),
            None => (None, Vec::new(), Vec::new()),
        };
        // Every named interface, in the order the packages define them:
        // those of the world's package first.
        let mut interfaces: Vec<InterfaceReport> = Vec::new();
        let main = self.package();
        let mut packages: Vec<PackageId> = vec![main];
        packages.extend(
            resolve
                .packages
                .iter()
                .map(|(id, _)| id)
                .filter(|id| *id != main),
        );
        for id in packages {
            let Some(package) = resolve.packages.get(id) else {
                continue;
            };
            for &interface in package.interfaces.values() {
                interfaces.push(namer.interface(interface));
            }
        }
        let worlds = resolve
            .packages
            .get(main)
            .map(|p| p.worlds.keys().cloned().collect())
            .unwrap_or_default();
        WitReport {
            module: String::new(),
            kind: if self.component {
                "component"
            } else {
                "core module"
            },
            package,
            world,
            worlds,
            imports,
            exports,
            interfaces,
        }
    }
}

/// Why a binary's WIT cannot be read: where, when the binary reader said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", offset.map(|o| format!("0x{o:x}: ")).unwrap_or_default())]
pub struct WitError {
    /// The byte offset of the trouble, when it is in the binary's encoding.
    pub offset: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl WitError {
    fn new(offset: Option<usize>, message: impl Into<String>) -> WitError {
        WitError {
            offset,
            message: message.into(),
        }
    }

    /// The error as one line naming the input: `app.wasm:0x1f: ...`.
    pub fn in_file(&self, name: &str) -> String {
        match self.offset {
            Some(offset) => format!("{name}:0x{offset:x}: {}", self.message),
            None => format!("{name}: {}", self.message),
        }
    }
}

/// Prints the packages of a resolved WIT as one text, as `wasm-tools
/// component wit` does: `main` first, then every other package as a nested
/// `package ... { }` block.
pub fn print_packages(resolve: &Resolve, main: PackageId, docs: bool) -> Result<String> {
    let others: Vec<PackageId> = resolve
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != main)
        .collect();
    let mut printer = WitPrinter::default();
    printer.emit_docs(docs);
    printer
        .print(resolve, main, &others)
        .map_err(|e| Error::Other(format!("the WIT cannot be printed: {e:#}")))?;
    Ok(printer.output.to_string())
}

/// Whether an indexed binary may carry WIT: a component, or a core module
/// with `component-type` sections. Saves decoding binaries that cannot.
pub fn may_have_wit(index: &crate::index::ModuleIndex) -> bool {
    index.component
        || index
            .customs
            .iter()
            .any(|c| c.name.starts_with("component-type"))
}

/// Checks that every section of the binary (at any depth) lies within it:
/// the decoders copy sections by the ranges the parser reports, which for a
/// cut or damaged file can run past its end.
/// Returns the `component-type` custom sections met on the way (name and
/// data), which is where a core module's WIT is.
fn sections_in_bounds(bytes: &[u8]) -> std::result::Result<Vec<(&str, &[u8])>, WitError> {
    let mut component_types = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| {
            let e = crate::error::DecodeError::from(e);
            WitError::new(Some(e.offset), e.message)
        })?;
        if let Some((_, range)) = payload.as_section()
            && usize::try_from(range.end).map_or(true, |end| end > bytes.len())
        {
            return Err(WitError::new(
                usize::try_from(range.start).ok(),
                "a section runs past the end of the file",
            ));
        }
        if let wasmparser::Payload::CustomSection(section) = &payload
            && section.name().starts_with("component-type")
        {
            component_types.push((section.name(), section.data()));
        }
    }
    Ok(component_types)
}

/// Checks the WIT in each `component-type` section of a core module: its
/// packages must not depend on each other in a cycle.
fn embedded_packages_acyclic(sections: &[(&str, &[u8])]) -> std::result::Result<(), WitError> {
    for &(name, data) in sections {
        let resolve = if data.first() == Some(&0x03) {
            // The older layout: a version byte, a string encoding byte and a
            // world name, then an encoded WIT package.
            let mut reader = wasmparser::BinaryReader::new(data, 0);
            let start = (|| {
                reader.read_u8()?;
                reader.read_u8()?;
                reader.read_string()?;
                Ok::<u64, wasmparser::BinaryReaderError>(reader.original_position())
            })();
            match start
                .ok()
                .and_then(|s| usize::try_from(s).ok())
                .and_then(|s| data.get(s..))
            {
                Some(rest) => wit_component::decode(rest).map(|d| d.resolve().clone()),
                None => continue,
            }
        } else {
            wit_parser::decoding::decode_world(data).map(|(resolve, _)| resolve)
        };
        // A section that does not decode is reported by the decoder proper.
        if let Ok(resolve) = resolve {
            acyclic(&resolve, &format!("the section `{name}`"))?;
        }
    }
    Ok(())
}

/// Fails when packages of `resolve` depend on each other in a cycle (which
/// valid WIT cannot express, and the WIT tools recurse on forever).
fn acyclic(resolve: &Resolve, what: &str) -> std::result::Result<(), WitError> {
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: HashMap<PackageId, u8> = HashMap::new();
    for (start, _) in resolve.packages.iter() {
        if state.get(&start).copied().unwrap_or(0) != 0 {
            continue;
        }
        state.insert(start, 1);
        let mut stack: Vec<(PackageId, Vec<PackageId>)> =
            vec![(start, resolve.package_direct_deps(start).collect())];
        while let Some((id, deps)) = stack.last_mut() {
            let id = *id;
            match deps.pop() {
                Some(dep) => match state.get(&dep).copied().unwrap_or(0) {
                    0 => {
                        state.insert(dep, 1);
                        let next = resolve.package_direct_deps(dep).collect();
                        stack.push((dep, next));
                    }
                    1 => {
                        let name = |p: PackageId| {
                            resolve
                                .packages
                                .get(p)
                                .map(|p| p.name.to_string())
                                .unwrap_or_default()
                        };
                        return Err(WitError::new(
                            None,
                            format!(
                                "{what} cannot be read: packages {} and {} depend on each other",
                                name(id),
                                name(dep)
                            ),
                        ));
                    }
                    _ => {}
                },
                None => {
                    state.insert(id, 2);
                    stack.pop();
                }
            }
        }
    }
    Ok(())
}

/// A decoding failure as one line: wit-component's context, then the cause;
/// the offset of a binary reader's error, where there is one.
fn decode_error(e: anyhow::Error) -> WitError {
    let reader = e
        .chain()
        .find_map(|cause| cause.downcast_ref::<wasmparser::BinaryReaderError>());
    match reader {
        Some(reader) => {
            let reader = crate::error::DecodeError::from(reader.clone());
            WitError::new(
                Some(reader.offset),
                format!("its WIT cannot be decoded: {}", reader.message),
            )
        }
        None => WitError::new(
            None,
            format!(
                "its WIT cannot be decoded: {}",
                crate::error::one_line(&format!("{e:#}"))
            ),
        ),
    }
}

/// What `wasmscope wit --json` prints: a component's world and the
/// interfaces it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitReport {
    /// The input, as named on the command line.
    pub module: String,
    /// `component`, or `core module` (WIT from `component-type` sections).
    pub kind: &'static str,
    /// The package the world is in (`root:component` for a component's
    /// own world), or the package a WIT-only component encodes.
    pub package: String,
    /// The component's world; none for an encoded WIT package.
    pub world: Option<String>,
    /// The worlds the main package defines.
    pub worlds: Vec<String>,
    /// What the world imports, in order.
    pub imports: Vec<ItemReport>,
    /// What the world exports, in order.
    pub exports: Vec<ItemReport>,
    /// Every named interface of every package the WIT holds, the main
    /// package's first.
    pub interfaces: Vec<InterfaceReport>,
}

/// One import or export of a world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// `local:calc/ops@1.0.0` for a named interface; the plain name for a
    /// function, a type or an inline interface.
    pub name: String,
    /// `interface`, `function` or `type`.
    pub kind: &'static str,
    /// The interface, when the item is one: its functions and types are in
    /// [`WitReport::interfaces`] under this name for a named interface, and
    /// here for an inline one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interface: Option<InterfaceReport>,
    /// The function, when the item is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionReport>,
    /// The type, when the item is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "type")]
    pub ty: Option<TypeReport>,
}

/// An interface with its types and functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterfaceReport {
    /// `namespace:package/name@version`; the world's key for an inline
    /// interface.
    pub name: String,
    /// The package it belongs to (`namespace:package@version`).
    pub package: Option<String>,
    /// Its types, in order of definition (`use`d ones too, as aliases).
    pub types: Vec<TypeReport>,
    /// Its functions, in order of definition (resource methods too).
    pub functions: Vec<FunctionReport>,
}

/// A function of an interface or a world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionReport {
    /// Its name as WIT writes it (`bump`, not `[method]counter.bump`).
    pub name: String,
    /// `function`, `method`, `static`, `constructor`, `getter` or
    /// `setter`.
    pub kind: &'static str,
    /// Whether it is `async`.
    #[serde(rename = "async")]
    pub is_async: bool,
    /// The resource a method, static function or constructor belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Parameters, as WIT writes them (a method's `self` left out).
    pub params: Vec<Field>,
    /// The result type, if any.
    pub result: Option<String>,
    /// The whole signature as WIT writes it: `func(a: s64) -> s64`.
    pub signature: String,
    /// The signature with every type written out in full (aliases
    /// followed, resources by interface and name): what matters when two
    /// builds are compared, since component types are structural.
    #[serde(skip)]
    pub shape: String,
    /// Its name in the binary, which the component's imports and exports
    /// use (`[method]counter.bump`).
    #[serde(skip)]
    pub abi_name: String,
}

impl FunctionReport {
    /// Its name within its interface: `bump` for a freestanding function,
    /// `counter.bump` for a resource's, `counter.constructor`.
    pub fn qualified_name(&self) -> String {
        match &self.resource {
            Some(r) if self.kind == "constructor" => format!("{r}.constructor"),
            Some(r) => format!("{r}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The functions a world item offers or asks for, by the item's name
/// (`local:calc/ops@1.0.0`, `version`): an interface's, or the item's own
/// when it is a function; none when the report has no such item.
impl WitReport {
    /// The functions of the import (or export, with `export`) named `name`.
    pub fn functions_of(&self, name: &str, export: bool) -> Vec<&FunctionReport> {
        let items = if export { &self.exports } else { &self.imports };
        let Some(item) = items.iter().find(|i| i.name == name) else {
            return Vec::new();
        };
        if let Some(function) = &item.function {
            return vec![function];
        }
        let interface = item
            .interface
            .as_ref()
            .or_else(|| self.interfaces.iter().find(|i| i.name == item.name));
        interface
            .map(|i| i.functions.iter().collect())
            .unwrap_or_default()
    }
}

/// A named value: a parameter, a record field, a variant case (`type` is
/// `None` for a case without a payload, an enum case or a flag).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its type, as WIT writes it.
    #[serde(rename = "type")]
    pub ty: Option<String>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeReport {
    /// Its name.
    pub name: String,
    /// `record`, `variant`, `enum`, `flags`, `resource` or `alias` (a
    /// `type x = ...` or a `use`).
    pub kind: &'static str,
    /// Fields, cases or flags, in order (none for a resource or an alias).
    pub members: Vec<Field>,
    /// What an alias stands for (`list<u32>`, `point`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// For a `use`: the interface the type comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The type written out in full, as [`FunctionReport::shape`].
    #[serde(skip)]
    pub shape: String,
}

/// Writes WIT names of types, interfaces and functions.
struct Namer<'a> {
    resolve: &'a Resolve,
}

impl Namer<'_> {
    /// A type as WIT writes it where it is used.
    fn ty(&self, ty: &Type) -> String {
        let mut printer = WitPrinter::default();
        match printer.print_type_name(self.resolve, ty) {
            Ok(()) => printer.output.to_string(),
            // Only a type the resolver cannot name (an anonymous resource)
            // fails; it is shown as such rather than dropped.
            Err(_) => "<unnamed>".to_string(),
        }
    }

    /// An interface's full name, or `key` for an inline one.
    fn interface_name(&self, id: InterfaceId) -> Option<String> {
        self.resolve.id_of(id)
    }

    fn item(&self, key: &WorldKey, item: &WorldItem) -> ItemReport {
        let name = self.resolve.name_world_key(key);
        match item {
            WorldItem::Interface { id, .. } => {
                let inline = self.interface_name(*id).is_none();
                ItemReport {
                    name: name.clone(),
                    kind: "interface",
                    interface: inline.then(|| {
                        let mut interface = self.interface(*id);
                        interface.name = name;
                        interface
                    }),
                    function: None,
                    ty: None,
                }
            }
            WorldItem::Function(function) => ItemReport {
                name,
                kind: "function",
                interface: None,
                function: Some(self.function(function)),
                ty: None,
            },
            WorldItem::Type { id, .. } => ItemReport {
                name,
                kind: "type",
                interface: None,
                function: None,
                ty: Some(self.type_def(*id)),
            },
        }
    }

    fn interface(&self, id: InterfaceId) -> InterfaceReport {
        let Some(interface) = self.resolve.interfaces.get(id) else {
            return InterfaceReport {
                name: String::new(),
                package: None,
                types: Vec::new(),
                functions: Vec::new(),
            };
        };
        InterfaceReport {
            name: self
                .interface_name(id)
                .or_else(|| interface.name.clone())
                .unwrap_or_default(),
            package: interface
                .package
                .and_then(|p| self.resolve.packages.get(p))
                .map(|p| p.name.to_string()),
            types: interface
                .types
                .values()
                .map(|&ty| self.type_def(ty))
                .collect(),
            functions: interface
                .functions
                .values()
                .map(|f| self.function(f))
                .collect(),
        }
    }

    fn function(&self, function: &Function) -> FunctionReport {
        let (kind, resource) = match &function.kind {
            FunctionKind::Freestanding | FunctionKind::AsyncFreestanding => ("function", None),
            FunctionKind::Getter => ("getter", None),
            FunctionKind::Setter => ("setter", None),
            FunctionKind::Method(r) | FunctionKind::AsyncMethod(r) => ("method", Some(*r)),
            FunctionKind::MethodGetter(r) => ("getter", Some(*r)),
            FunctionKind::MethodSetter(r) => ("setter", Some(*r)),
            FunctionKind::Static(r) | FunctionKind::AsyncStatic(r) => ("static", Some(*r)),
            FunctionKind::StaticGetter(r) => ("getter", Some(*r)),
            FunctionKind::StaticSetter(r) => ("setter", Some(*r)),
            FunctionKind::Constructor(r) => ("constructor", Some(*r)),
        };
        let takes_self = matches!(
            function.kind,
            FunctionKind::Method(_)
                | FunctionKind::AsyncMethod(_)
                | FunctionKind::MethodGetter(_)
                | FunctionKind::MethodSetter(_)
        );
        let params: Vec<Field> = function
            .params
            .iter()
            .skip(usize::from(takes_self))
            .map(|p| Field {
                name: p.name.clone(),
                ty: Some(self.ty(&p.ty)),
            })
            .collect();
        let is_async = function.kind.is_async();
        let constructor = kind == "constructor";
        // A constructor's result is the resource itself: WIT leaves it out.
        let result = if constructor {
            None
        } else {
            function.result.as_ref().map(|t| self.ty(t))
        };
        let list = params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty.as_deref().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ");
        let head = if constructor { "constructor" } else { "func" };
        let mut signature = format!("{}{head}({list})", if is_async { "async " } else { "" });
        if let Some(result) = &result {
            signature.push_str(" -> ");
            signature.push_str(result);
        }
        let shape = format!(
            "{}{head}({}){}",
            if is_async { "async " } else { "" },
            function
                .params
                .iter()
                .skip(usize::from(takes_self))
                .map(|p| format!("{}: {}", p.name, self.full(&p.ty, 0)))
                .collect::<Vec<_>>()
                .join(", "),
            match (&function.result, constructor) {
                (Some(t), false) => format!(" -> {}", self.full(t, 0)),
                _ => String::new(),
            }
        );
        FunctionReport {
            name: function.item_name().to_string(),
            kind,
            is_async,
            resource: resource.map(|r| self.type_name(r)),
            params,
            result,
            signature,
            shape,
            abi_name: function.name.clone(),
        }
    }

    fn type_name(&self, id: TypeId) -> String {
        self.resolve
            .types
            .get(id)
            .and_then(|t| t.name.clone())
            .unwrap_or_else(|| self.ty(&Type::Id(id)))
    }

    fn type_def(&self, id: TypeId) -> TypeReport {
        let name = self.type_name(id);
        let Some(def) = self.resolve.types.get(id) else {
            return TypeReport {
                name,
                kind: "alias",
                members: Vec::new(),
                target: None,
                from: None,
                shape: String::new(),
            };
        };
        let field = |name: &str, ty: Option<&Type>| Field {
            name: name.to_string(),
            ty: ty.map(|t| self.ty(t)),
        };
        let (kind, members) = match &def.kind {
            TypeDefKind::Record(r) => (
                "record",
                r.fields
                    .iter()
                    .map(|f| field(&f.name, Some(&f.ty)))
                    .collect(),
            ),
            TypeDefKind::Variant(v) => (
                "variant",
                v.cases
                    .iter()
                    .map(|c| field(&c.name, c.ty.as_ref()))
                    .collect(),
            ),
            TypeDefKind::Enum(e) => (
                "enum",
                e.cases.iter().map(|c| field(&c.name, None)).collect(),
            ),
            TypeDefKind::Flags(f) => (
                "flags",
                f.flags.iter().map(|c| field(&c.name, None)).collect(),
            ),
            TypeDefKind::Resource => ("resource", Vec::new()),
            _ => ("alias", Vec::new()),
        };
        let (target, from) = match &def.kind {
            // `use iface.{name}`, or `type a = b`: another named type.
            TypeDefKind::Type(Type::Id(other)) => {
                let origin = self.resolve.types.get(*other).and_then(|o| match o.owner {
                    TypeOwner::Interface(i) if o.owner != def.owner => self.interface_name(i),
                    _ => None,
                });
                (Some(self.type_name(*other)), origin)
            }
            TypeDefKind::Handle(Handle::Own(r)) => {
                (Some(format!("own<{}>", self.type_name(*r))), None)
            }
            TypeDefKind::Handle(Handle::Borrow(r)) => {
                (Some(format!("borrow<{}>", self.type_name(*r))), None)
            }
            _ if kind == "alias" => (Some(structure(self, &def.kind)), None),
            _ => (None, None),
        };
        TypeReport {
            name,
            kind,
            members,
            target,
            from,
            shape: self.full(&Type::Id(id), 0),
        }
    }

    /// A type written out in full: aliases followed, records, variants,
    /// enums and flags by their members, resources by interface and name
    /// (versions left out). WIT types do not recurse, but a hostile binary
    /// could nest deep: past 64 levels the rest is elided.
    fn full(&self, ty: &Type, depth: usize) -> String {
        let Type::Id(id) = ty else {
            return self.ty(ty);
        };
        let Some(def) = self.resolve.types.get(*id) else {
            return "<unknown>".to_string();
        };
        if depth > 64 {
            return "...".to_string();
        }
        let inner = |t: &Type| self.full(t, depth + 1);
        let maybe = |t: &Option<Type>| t.as_ref().map(&inner);
        let list = |items: Vec<String>| items.join(", ");
        match &def.kind {
            TypeDefKind::Type(t) => inner(t),
            TypeDefKind::Record(r) => format!(
                "record {{ {} }}",
                list(
                    r.fields
                        .iter()
                        .map(|f| format!("{}: {}", f.name, inner(&f.ty)))
                        .collect()
                )
            ),
            TypeDefKind::Variant(v) => format!(
                "variant {{ {} }}",
                list(
                    v.cases
                        .iter()
                        .map(|c| match &c.ty {
                            Some(t) => format!("{}({})", c.name, inner(t)),
                            None => c.name.clone(),
                        })
                        .collect()
                )
            ),
            TypeDefKind::Enum(e) => format!(
                "enum {{ {} }}",
                list(e.cases.iter().map(|c| c.name.clone()).collect())
            ),
            TypeDefKind::Flags(f) => format!(
                "flags {{ {} }}",
                list(f.flags.iter().map(|c| c.name.clone()).collect())
            ),
            TypeDefKind::Resource => {
                let owner = match def.owner {
                    TypeOwner::Interface(i) => self.interface_name(i),
                    _ => None,
                };
                let owner = owner.as_deref().map(|o| o.split('@').next().unwrap_or(o));
                format!(
                    "resource {}{}",
                    owner.map(|o| format!("{o}.")).unwrap_or_default(),
                    def.name.clone().unwrap_or_default()
                )
            }
            TypeDefKind::Handle(Handle::Own(r)) => {
                format!("own<{}>", self.full(&Type::Id(*r), depth + 1))
            }
            TypeDefKind::Handle(Handle::Borrow(r)) => {
                format!("borrow<{}>", self.full(&Type::Id(*r), depth + 1))
            }
            TypeDefKind::Tuple(t) => {
                format!("tuple<{}>", list(t.types.iter().map(&inner).collect()))
            }
            TypeDefKind::Option(t) => format!("option<{}>", inner(t)),
            TypeDefKind::Result(r) => format!(
                "result<{}, {}>",
                maybe(&r.ok).unwrap_or_else(|| "_".to_string()),
                maybe(&r.err).unwrap_or_else(|| "_".to_string())
            ),
            TypeDefKind::List(t) => format!("list<{}>", inner(t)),
            TypeDefKind::FixedLengthList(t, n) => format!("list<{}, {n}>", inner(t)),
            TypeDefKind::Map(k, v) => format!("map<{}, {}>", inner(k), inner(v)),
            TypeDefKind::Future(t) => format!("future<{}>", maybe(t).unwrap_or_default()),
            TypeDefKind::Stream(t) => format!("stream<{}>", maybe(t).unwrap_or_default()),
            TypeDefKind::Unknown => "<unknown>".to_string(),
        }
    }
}

/// The structure of an anonymous type kind, as WIT writes it.
fn structure(namer: &Namer<'_>, kind: &TypeDefKind) -> String {
    let t = |ty: &Type| namer.ty(ty);
    let maybe = |ty: &Option<Type>| ty.as_ref().map(&t);
    match kind {
        TypeDefKind::List(ty) => format!("list<{}>", t(ty)),
        TypeDefKind::FixedLengthList(ty, n) => format!("list<{}, {n}>", t(ty)),
        TypeDefKind::Map(k, v) => format!("map<{}, {}>", t(k), t(v)),
        TypeDefKind::Option(ty) => format!("option<{}>", t(ty)),
        TypeDefKind::Tuple(tuple) => format!(
            "tuple<{}>",
            tuple.types.iter().map(&t).collect::<Vec<_>>().join(", ")
        ),
        TypeDefKind::Result(r) => match (maybe(&r.ok), maybe(&r.err)) {
            (None, None) => "result".to_string(),
            (Some(ok), None) => format!("result<{ok}>"),
            (None, Some(err)) => format!("result<_, {err}>"),
            (Some(ok), Some(err)) => format!("result<{ok}, {err}>"),
        },
        TypeDefKind::Future(ty) => {
            maybe(ty).map_or("future".to_string(), |x| format!("future<{x}>"))
        }
        TypeDefKind::Stream(ty) => {
            maybe(ty).map_or("stream".to_string(), |x| format!("stream<{x}>"))
        }
        TypeDefKind::Type(ty) => t(ty),
        _ => String::new(),
    }
}
