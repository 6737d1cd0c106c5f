//! How a component's parts are wired together: which core function each
//! exported component function is lifted from, which nested core module
//! calls each imported function once it is lowered, and which imported
//! functions each export can reach.
//!
//! The component's sections are read in order, keeping its index spaces
//! (core functions, tables, instances and modules; component functions and
//! instances). A core function is then followed to where it is defined: an
//! export of an instance is the exporting module's function; a module's
//! import is whatever its instantiation was given under that name; a
//! lowered function is the component function it lowers, and a lifted one
//! the core function it lifts. Reachability walks the call graphs of the
//! nested modules across those links. Calls through a table go to what the
//! element segments of every instance sharing the table put there; a call
//! through a constant slot (the stubs of wit-component's shim module) goes
//! to that slot only.
//!
//! Nested components are not walked into: an export that comes from one
//! counts as reaching every imported function the component was given, and
//! [`Wiring::notes`] says so.
//!
//! ```
//! use wasmscope::index::ModuleIndex;
//! use wasmscope::wiring::Wiring;
//!
//! let bytes = wasmscope::parse::parse_text(r#"(component
//!     (import "host:log/sink" (instance $sink (export "write" (func (param "n" u32)))))
//!     (core module $m
//!       (import "sink" "write" (func $write (param i32)))
//!       (func (export "run") (call $write (i32.const 1)))
//!       (func (export "idle")))
//!     (alias export $sink "write" (func $write))
//!     (core func $write (canon lower (func $write)))
//!     (core instance $sink (export "write" (func $write)))
//!     (core instance $m (instantiate $m (with "sink" (instance $sink))))
//!     (func (export "run") (canon lift (core func $m "run")))
//!     (func (export "idle") (canon lift (core func $m "idle")))
//! )"#, "c.wat")?;
//! let index = ModuleIndex::build(&bytes)?;
//! let wiring = Wiring::build(&bytes, &index)?;
//! let write = &wiring.imports[0];
//! assert_eq!((write.interface.as_deref(), write.name.as_str()), (Some("host:log/sink"), "write"));
//! // Lowered into module 0's import, function 0.
//! assert_eq!(write.lowered_into[0].module, 0);
//! // `run` reaches it, `idle` does not.
//! assert_eq!(wiring.reached_by(Some("host:log/sink"), "write"), ["run"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use serde::Serialize;
use wasmparser::{
    CanonicalFunction, CanonicalOption, Chunk, ComponentAlias, ComponentExternalKind,
    ComponentInstance, ComponentOuterAliasKind, ComponentTypeRef, ExternalKind, Instance, Operator,
    Parser, Payload,
};

use crate::callgraph::CallGraph;
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};

/// A function of a nested core module: the module's position among the
/// component's own modules ([`ModuleIndex::nested`]) and the function's
/// index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CoreFunc {
    /// The module, as [`ModuleIndex::nested`] numbers it.
    pub module: usize,
    /// The function's index in the module.
    pub func: u32,
}

/// A function the component exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedFunction {
    /// The exported interface it is in; none for a function the world
    /// exports by itself.
    pub interface: Option<String>,
    /// Its name (`[method]counter.bump` for a method).
    pub name: String,
    /// The core function it is lifted from, when that can be told.
    pub lifted_from: Option<CoreFunc>,
    /// The imported functions it can reach, as positions in
    /// [`Wiring::imports`].
    pub reaches: Vec<usize>,
    /// Imported interfaces it reaches as a whole (handed to a nested
    /// component, or exported again as they are).
    pub reaches_interfaces: Vec<String>,
}

impl ExportedFunction {
    /// `interface#name`, or the name alone.
    pub fn label(&self) -> String {
        match &self.interface {
            Some(i) => format!("{i}#{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A function the component imports and uses: one its sections alias out
/// of an imported instance, or an imported function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedFunction {
    /// The imported interface it is in; none for a function the world
    /// imports by itself.
    pub interface: Option<String>,
    /// Its name (`[method]output-stream.write` for a method).
    pub name: String,
    /// The imports of nested modules that call it once lowered (through
    /// wit-component's shim when it is one).
    pub lowered_into: Vec<CoreFunc>,
    /// Whether a module's start function reaches it when the component is
    /// instantiated.
    pub at_start: bool,
}

/// The wiring of a component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Wiring {
    /// The exported functions, in export order.
    pub exports: Vec<ExportedFunction>,
    /// The imported functions in use, in the order they are aliased.
    pub imports: Vec<ImportedFunction>,
    /// What could not be followed, and how it was counted.
    pub notes: Vec<String>,
}

impl Wiring {
    /// Reads the wiring of a component; a core module has none (an empty
    /// wiring).
    pub fn build(bytes: &[u8], index: &ModuleIndex) -> Result<Wiring, DecodeError> {
        if !index.component {
            return Ok(Wiring::default());
        }
        let spaces = Spaces::read(bytes, 0..bytes.len(), 0)?;
        let graphs = index
            .nested
            .iter()
            .map(|m| CallGraph::build(bytes, m))
            .collect::<Result<Vec<_>, _>>()?;
        let linker = Linker {
            spaces: &spaces,
            modules: &index.nested,
            graphs: &graphs,
            bytes,
            tables: HashMap::new(),
            opaque: std::cell::Cell::new(false),
        };
        Ok(linker.wiring())
    }

    /// The labels of the exports that reach an imported function (by
    /// interface and name), with `(start)` first when instantiation does.
    /// A function the sections never alias is reached only where its whole
    /// interface is.
    pub fn reached_by(&self, interface: Option<&str>, name: &str) -> Vec<String> {
        let position = self.import(interface, name);
        let mut labels: Vec<String> = self
            .exports
            .iter()
            .filter(|e| {
                position.is_some_and(|p| e.reaches.contains(&p))
                    || interface.is_some_and(|i| e.reaches_interfaces.iter().any(|r| r == i))
            })
            .map(ExportedFunction::label)
            .collect();
        labels.dedup();
        if position
            .and_then(|p| self.imports.get(p))
            .is_some_and(|i| i.at_start)
        {
            labels.insert(0, "(start)".to_string());
        }
        labels
    }

    /// The position of an imported function by interface and name.
    pub fn import(&self, interface: Option<&str>, name: &str) -> Option<usize> {
        self.imports
            .iter()
            .position(|i| i.interface.as_deref() == interface && i.name == name)
    }
}

/// A core function in the component's index space.
#[derive(Debug, Clone)]
enum CoreFuncDef {
    /// An export of a core instance.
    Export { instance: u32, name: String },
    /// A lowered component function.
    Lower(u32),
    /// A canonical built-in (`resource.drop`, `task.return`...).
    Builtin,
}

/// A core table in the component's index space.
#[derive(Debug, Clone)]
enum CoreTableDef {
    Export { instance: u32, name: String },
}

/// A core instance.
#[derive(Debug, Clone)]
enum CoreInstanceDef {
    /// A module instantiated (the module's position among the nested
    /// modules, when it is one of them) with named instances.
    Instantiate {
        module: Option<usize>,
        args: HashMap<String, u32>,
    },
    /// Items gathered into an instance: (kind, index in its space).
    Exports(HashMap<String, (ExternalKind, u32)>),
}

/// A component function.
#[derive(Debug, Clone)]
enum FuncDef {
    /// Imported, or an export of an imported instance: a position in the
    /// import list.
    Import(usize),
    /// Lifted from a core function, with the core functions the canonical
    /// ABI calls for it (`realloc`, `post-return`).
    Lift {
        core: u32,
        helpers: Vec<u32>,
    },
    /// An export of an instance of a nested component that runs code of
    /// its own: everything the instance was given.
    Nested(u32),
    /// A whole imported instance (exported again as it is).
    Interface(u32),
    Other,
}

/// A component instance.
#[derive(Debug, Clone)]
enum InstanceDef {
    /// An imported instance, by name.
    Import(String),
    /// Items gathered into an instance: (name, kind, index).
    Exports(Vec<(String, ComponentExternalKind, u32)>),
    /// A nested component (its definition, when read) instantiated with
    /// named items.
    Nested {
        component: Option<usize>,
        args: Vec<(String, ComponentExternalKind, u32)>,
    },
    Other,
}

/// How deep nested component definitions are read; deeper ones are
/// counted as running code of their own.
const MAX_NESTING: usize = 16;

/// A component's index spaces and exports, as its sections build them.
#[derive(Default)]
struct Spaces {
    core_funcs: Vec<CoreFuncDef>,
    core_tables: Vec<CoreTableDef>,
    core_instances: Vec<CoreInstanceDef>,
    core_modules: Vec<Option<usize>>,
    funcs: Vec<FuncDef>,
    instances: Vec<InstanceDef>,
    /// The component index space: positions in `definitions`.
    components: Vec<Option<usize>>,
    /// Nested components defined here, read.
    definitions: Vec<Spaces>,
    /// Imported functions, by (interface, name).
    imports: Vec<(Option<String>, String)>,
    /// Exported functions: (interface, name, what it is); a whole instance
    /// that cannot be split into functions is exported as `*`.
    exports: Vec<(Option<String>, String, FuncDef)>,
    /// Whether it defines or instantiates core modules (code of its own).
    has_code: bool,
}

impl Spaces {
    fn read(
        bytes: &[u8],
        range: std::ops::Range<usize>,
        depth: usize,
    ) -> Result<Spaces, DecodeError> {
        let mut spaces = Spaces::default();
        let mut parser = Parser::new(range.start as u64);
        let mut data = bytes.get(range).unwrap_or_default();
        let mut modules = 0;
        loop {
            let (consumed, payload) = match parser.parse(data, true)? {
                Chunk::Parsed { consumed, payload } => (consumed, payload),
                Chunk::NeedMoreData(_) => {
                    return Err(DecodeError::new(bytes.len(), "the component is cut short"));
                }
            };
            let mut rest = data.get(consumed..).unwrap_or_default();
            // Nested modules are stepped over unread; nested components are
            // read on their own.
            let skip = match &payload {
                Payload::ModuleSection {
                    unchecked_range, ..
                } => {
                    spaces.has_code = true;
                    // Only the top component's modules are indexed.
                    spaces.core_modules.push((depth == 0).then_some(modules));
                    modules += 1;
                    Some(unchecked_range.clone())
                }
                Payload::ComponentSection {
                    unchecked_range, ..
                } => {
                    let at = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
                    let inner = at(unchecked_range.start)..at(unchecked_range.end);
                    if depth < MAX_NESTING && inner.end <= bytes.len() {
                        spaces
                            .definitions
                            .push(Spaces::read(bytes, inner, depth + 1)?);
                        spaces.components.push(Some(spaces.definitions.len() - 1));
                    } else {
                        spaces.components.push(None);
                    }
                    Some(unchecked_range.clone())
                }
                _ => None,
            };
            if let Some(range) = skip {
                let len =
                    usize::try_from(range.end.saturating_sub(range.start)).unwrap_or(usize::MAX);
                rest = rest.get(len..).ok_or_else(|| {
                    DecodeError::new(bytes.len(), "a nested part runs past the end")
                })?;
                data = rest;
                continue;
            }
            match payload {
                Payload::ComponentImportSection(reader) => {
                    for import in reader {
                        let import = import?;
                        spaces.import(import.name.name, import.ty);
                    }
                }
                Payload::ComponentAliasSection(reader) => {
                    for alias in reader {
                        spaces.alias(alias?);
                    }
                }
                Payload::ComponentCanonicalSection(reader) => {
                    for canon in reader {
                        spaces.canon(canon?);
                    }
                }
                Payload::InstanceSection(reader) => {
                    for instance in reader {
                        spaces.has_code = true;
                        spaces.core_instance(instance?);
                    }
                }
                Payload::ComponentInstanceSection(reader) => {
                    for instance in reader {
                        spaces.instance(instance?);
                    }
                }
                Payload::ComponentExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        spaces.export(export.name.name, export.kind, export.index);
                    }
                }
                Payload::End(_) => break,
                _ => {}
            }
            data = rest;
        }
        Ok(spaces)
    }

    fn import(&mut self, name: &str, ty: ComponentTypeRef) {
        match ty {
            ComponentTypeRef::Func(_) => {
                self.imports.push((None, name.to_string()));
                self.funcs.push(FuncDef::Import(self.imports.len() - 1));
            }
            ComponentTypeRef::Instance(_) => {
                self.instances.push(InstanceDef::Import(name.to_string()));
            }
            ComponentTypeRef::Module(_) => self.core_modules.push(None),
            ComponentTypeRef::Component(_) => self.components.push(None),
            _ => {}
        }
    }

    /// The function an instance offers under `name`.
    fn instance_func(&mut self, instance: u32, name: &str) -> FuncDef {
        match self.instances.get(instance as usize).cloned() {
            Some(InstanceDef::Import(interface)) => {
                let key = (Some(interface), name.to_string());
                let position = match self.imports.iter().position(|i| *i == key) {
                    Some(p) => p,
                    None => {
                        self.imports.push(key);
                        self.imports.len() - 1
                    }
                };
                FuncDef::Import(position)
            }
            Some(InstanceDef::Exports(items)) => items
                .iter()
                .find(|(n, k, _)| n == name && *k == ComponentExternalKind::Func)
                .and_then(|&(_, _, f)| self.funcs.get(f as usize).cloned())
                .unwrap_or(FuncDef::Other),
            Some(InstanceDef::Nested { component, args }) => {
                // A nested component without code of its own passes on
                // what it was given: its export is one of its imports.
                let passed = component
                    .and_then(|c| self.definitions.get(c))
                    .filter(|d| !d.has_code)
                    .and_then(|d| {
                        let (_, _, def) = d
                            .exports
                            .iter()
                            .find(|(i, n, _)| i.is_none() && n == name)?;
                        match def {
                            FuncDef::Import(p) => d.imports.get(*p).cloned(),
                            _ => None,
                        }
                    });
                match passed {
                    Some(import) => self.given(import, &args),
                    None => FuncDef::Nested(instance),
                }
            }
            _ => FuncDef::Other,
        }
    }

    /// The item given to a nested component for its import `import`.
    fn given(
        &mut self,
        import: (Option<String>, String),
        args: &[(String, ComponentExternalKind, u32)],
    ) -> FuncDef {
        let arg = |name: &str, kind: ComponentExternalKind| {
            args.iter()
                .find(|(n, k, _)| n == name && *k == kind)
                .map(|&(_, _, i)| i)
        };
        match import {
            (None, name) => arg(&name, ComponentExternalKind::Func)
                .and_then(|f| self.funcs.get(f as usize).cloned())
                .unwrap_or(FuncDef::Other),
            (Some(interface), name) => match arg(&interface, ComponentExternalKind::Instance) {
                Some(i) => self.instance_func(i, &name),
                None => FuncDef::Other,
            },
        }
    }

    fn alias(&mut self, alias: ComponentAlias<'_>) {
        match alias {
            ComponentAlias::InstanceExport {
                kind,
                instance_index,
                name,
            } => match kind {
                ComponentExternalKind::Func => {
                    let def = self.instance_func(instance_index, name);
                    self.funcs.push(def);
                }
                ComponentExternalKind::Instance => {
                    let def = match self.instances.get(instance_index as usize) {
                        Some(InstanceDef::Exports(items)) => items
                            .iter()
                            .find(|(n, k, _)| n == name && *k == ComponentExternalKind::Instance)
                            .and_then(|&(_, _, i)| self.instances.get(i as usize).cloned()),
                        // Whatever comes out of a nested component stands
                        // for all it was given.
                        Some(InstanceDef::Nested { args, .. }) => Some(InstanceDef::Nested {
                            component: None,
                            args: args.clone(),
                        }),
                        _ => None,
                    };
                    self.instances.push(def.unwrap_or(InstanceDef::Other));
                }
                ComponentExternalKind::Module => self.core_modules.push(None),
                ComponentExternalKind::Component => self.components.push(None),
                _ => {}
            },
            ComponentAlias::CoreInstanceExport {
                kind,
                instance_index,
                name,
            } => match kind {
                ExternalKind::Func | ExternalKind::FuncExact => {
                    self.core_funcs.push(CoreFuncDef::Export {
                        instance: instance_index,
                        name: name.to_string(),
                    });
                }
                ExternalKind::Table => self.core_tables.push(CoreTableDef::Export {
                    instance: instance_index,
                    name: name.to_string(),
                }),
                _ => {}
            },
            ComponentAlias::Outer { kind, .. } => match kind {
                ComponentOuterAliasKind::CoreModule => self.core_modules.push(None),
                ComponentOuterAliasKind::Component => self.components.push(None),
                _ => {}
            },
        }
    }

    fn canon(&mut self, canon: CanonicalFunction) {
        match canon {
            CanonicalFunction::Lift {
                core_func_index,
                options,
                ..
            } => {
                let helpers = options
                    .iter()
                    .filter_map(|o| match o {
                        CanonicalOption::Realloc(f) | CanonicalOption::PostReturn(f) => Some(*f),
                        _ => None,
                    })
                    .collect();
                self.funcs.push(FuncDef::Lift {
                    core: core_func_index,
                    helpers,
                });
            }
            CanonicalFunction::Lower { func_index, .. } => {
                self.core_funcs.push(CoreFuncDef::Lower(func_index));
            }
            // Every other canonical function is a core function.
            _ => self.core_funcs.push(CoreFuncDef::Builtin),
        }
    }

    fn core_instance(&mut self, instance: Instance<'_>) {
        let def = match instance {
            Instance::Instantiate { module_index, args } => CoreInstanceDef::Instantiate {
                module: self
                    .core_modules
                    .get(module_index as usize)
                    .copied()
                    .flatten(),
                args: args.iter().map(|a| (a.name.to_string(), a.index)).collect(),
            },
            Instance::FromExports(exports) => CoreInstanceDef::Exports(
                exports
                    .iter()
                    .map(|e| (e.name.to_string(), (e.kind, e.index)))
                    .collect(),
            ),
        };
        self.core_instances.push(def);
    }

    fn instance(&mut self, instance: ComponentInstance<'_>) {
        let def = match instance {
            ComponentInstance::Instantiate {
                component_index,
                args,
            } => InstanceDef::Nested {
                component: self
                    .components
                    .get(component_index as usize)
                    .copied()
                    .flatten(),
                args: args
                    .iter()
                    .map(|a| (a.name.to_string(), a.kind, a.index))
                    .collect(),
            },
            ComponentInstance::FromExports(exports) => InstanceDef::Exports(
                exports
                    .iter()
                    .map(|e| (e.name.name.to_string(), e.kind, e.index))
                    .collect(),
            ),
        };
        self.instances.push(def);
    }

    /// An export: its functions are recorded, and it adds the item to its
    /// index space again.
    fn export(&mut self, name: &str, kind: ComponentExternalKind, index: u32) {
        match kind {
            ComponentExternalKind::Func => {
                let def = self
                    .funcs
                    .get(index as usize)
                    .cloned()
                    .unwrap_or(FuncDef::Other);
                self.exports.push((None, name.to_string(), def.clone()));
                self.funcs.push(def);
            }
            ComponentExternalKind::Instance => {
                let def = self
                    .instances
                    .get(index as usize)
                    .cloned()
                    .unwrap_or(InstanceDef::Other);
                let interface = Some(name.to_string());
                match &def {
                    InstanceDef::Import(_) => {
                        self.exports
                            .push((interface, "*".to_string(), FuncDef::Interface(index)));
                    }
                    InstanceDef::Exports(items) => {
                        for (n, k, f) in items {
                            if *k == ComponentExternalKind::Func {
                                let func = self
                                    .funcs
                                    .get(*f as usize)
                                    .cloned()
                                    .unwrap_or(FuncDef::Other);
                                self.exports.push((interface.clone(), n.clone(), func));
                            }
                        }
                    }
                    InstanceDef::Nested { component, .. } => {
                        let names: Option<Vec<String>> = component
                            .and_then(|c| self.definitions.get(c))
                            .filter(|d| !d.has_code)
                            .map(|d| {
                                d.exports
                                    .iter()
                                    .filter(|(i, _, _)| i.is_none())
                                    .map(|(_, n, _)| n.clone())
                                    .collect()
                            });
                        match names {
                            Some(names) => {
                                for n in names {
                                    let func = self.instance_func(index, &n);
                                    self.exports.push((interface.clone(), n, func));
                                }
                            }
                            None => self.exports.push((
                                interface,
                                "*".to_string(),
                                FuncDef::Nested(index),
                            )),
                        }
                    }
                    InstanceDef::Other => {}
                }
                self.instances.push(def);
            }
            ComponentExternalKind::Module => self.core_modules.push(None),
            ComponentExternalKind::Component => {
                let def = self.components.get(index as usize).copied().flatten();
                self.components.push(def);
            }
            _ => {}
        }
    }
}

/// Where a core function leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A function of an instantiated module: (core instance, function).
    Node(u32, u32),
    /// An imported component function: a position in the import list.
    Import(usize),
    /// Everything given to a nested component instance.
    Nested(u32),
    /// A whole imported instance (its index in the component's space).
    Interface(u32),
    /// A canonical built-in, or what cannot be followed.
    End,
}

/// How deep a chain of links is followed before it counts as a loop.
const MAX_LINKS: usize = 64;

/// A table shared between instances: the instance that defines it and its
/// index there.
type TableId = (u32, u32);

/// What an element segment put in a table: the slot when known, and the
/// function (core instance, function index).
type Slot = (Option<u64>, u32, u32);

struct Linker<'a> {
    spaces: &'a Spaces,
    modules: &'a [ModuleIndex],
    graphs: &'a [CallGraph],
    bytes: &'a [u8],
    tables: HashMap<TableId, Vec<Slot>>,
    /// Whether a walk went into a nested component's code.
    opaque: std::cell::Cell<bool>,
}

impl Linker<'_> {
    fn wiring(mut self) -> Wiring {
        self.fill_tables();
        let spaces = self.spaces;
        let mut imports: Vec<ImportedFunction> = spaces
            .imports
            .iter()
            .map(|(interface, name)| ImportedFunction {
                interface: interface.clone(),
                name: name.clone(),
                lowered_into: Vec::new(),
                at_start: false,
            })
            .collect();
        let mut notes = Vec::new();
        // Which nested modules call each import: a module's function import
        // that leads to it, directly or through a shim stub.
        for (instance, def) in spaces.core_instances.iter().enumerate() {
            let CoreInstanceDef::Instantiate {
                module: Some(m), ..
            } = def
            else {
                continue;
            };
            let Some(module) = self.modules.get(*m) else {
                continue;
            };
            // A module without code (wit-component's fixup) only fills tables.
            if module.defined_functions().next().is_none() {
                continue;
            }
            for import in module.imports.iter().filter(|i| i.kind == ItemKind::Func) {
                let mut target = self.module_import(instance as u32, import.index, 0);
                if let Target::Node(i, f) = target
                    && let Some(stub) = self.stub_target(i, f)
                {
                    target = stub;
                }
                if let Target::Import(id) = target
                    && let Some(entry) = imports.get_mut(id)
                {
                    let at = CoreFunc {
                        module: *m,
                        func: import.index,
                    };
                    if !entry.lowered_into.contains(&at) {
                        entry.lowered_into.push(at);
                    }
                }
            }
        }
        // What instantiation runs: each module's start function.
        let starts: Vec<Target> = spaces
            .core_instances
            .iter()
            .enumerate()
            .filter_map(|(instance, def)| match def {
                CoreInstanceDef::Instantiate {
                    module: Some(m), ..
                } => Some(Target::Node(instance as u32, self.modules.get(*m)?.start?)),
                _ => None,
            })
            .collect();
        for id in self.reach(&starts).0 {
            if let Some(entry) = imports.get_mut(id) {
                entry.at_start = true;
            }
        }
        let mut exports = Vec::new();
        let mut nested = false;
        for (interface, name, def) in &spaces.exports {
            let (lifted_from, starts) = self.lifted(def);
            let (reaches, reaches_interfaces) = self.reach(&starts);
            nested |= self.opaque.get();
            exports.push(ExportedFunction {
                interface: interface.clone(),
                name: name.clone(),
                lifted_from,
                reaches,
                reaches_interfaces,
            });
        }
        if nested {
            notes.push(
                "code inside nested components is not followed: an export that comes from one counts as reaching everything the component was given"
                    .to_string(),
            );
        }
        Wiring {
            exports,
            imports,
            notes,
        }
    }

    /// The core function an exported component function is lifted from,
    /// and where a call to it starts.
    fn lifted(&self, def: &FuncDef) -> (Option<CoreFunc>, Vec<Target>) {
        match def {
            FuncDef::Lift { core, helpers } => {
                let target = self.core_func(*core, 0);
                let from = match target {
                    Target::Node(i, f) => {
                        self.module_of(i).map(|module| CoreFunc { module, func: f })
                    }
                    _ => None,
                };
                let mut starts = vec![target];
                starts.extend(helpers.iter().map(|h| self.core_func(*h, 0)));
                (from, starts)
            }
            FuncDef::Import(id) => (None, vec![Target::Import(*id)]),
            FuncDef::Nested(instance) => (None, vec![Target::Nested(*instance)]),
            FuncDef::Interface(instance) => (None, vec![Target::Interface(*instance)]),
            FuncDef::Other => (None, Vec::new()),
        }
    }

    /// The nested module a core instance instantiates.
    fn module_of(&self, instance: u32) -> Option<usize> {
        match self.spaces.core_instances.get(instance as usize)? {
            CoreInstanceDef::Instantiate { module, .. } => *module,
            CoreInstanceDef::Exports(_) => None,
        }
    }

    /// Where a core function of the component's index space leads.
    fn core_func(&self, func: u32, depth: usize) -> Target {
        if depth > MAX_LINKS {
            return Target::End;
        }
        match self.spaces.core_funcs.get(func as usize) {
            Some(CoreFuncDef::Export { instance, name }) => {
                self.instance_export(*instance, name, depth + 1)
            }
            Some(CoreFuncDef::Lower(f)) => self.component_func(*f, depth + 1),
            _ => Target::End,
        }
    }

    /// Where a component function leads when core code calls it.
    fn component_func(&self, func: u32, depth: usize) -> Target {
        match self.spaces.funcs.get(func as usize) {
            Some(FuncDef::Import(id)) => Target::Import(*id),
            Some(FuncDef::Lift { core, .. }) => self.core_func(*core, depth + 1),
            Some(FuncDef::Nested(instance)) => Target::Nested(*instance),
            Some(FuncDef::Interface(instance)) => Target::Interface(*instance),
            _ => Target::End,
        }
    }

    /// The function a core instance exports under `name`.
    fn instance_export(&self, instance: u32, name: &str, depth: usize) -> Target {
        if depth > MAX_LINKS {
            return Target::End;
        }
        match self.spaces.core_instances.get(instance as usize) {
            Some(CoreInstanceDef::Instantiate {
                module: Some(m), ..
            }) => {
                let export = self.modules.get(*m).and_then(|module| {
                    module
                        .exports
                        .iter()
                        .find(|e| e.kind == ItemKind::Func && e.name == name)
                });
                match export {
                    Some(e) => self.resolve(instance, e.index, depth + 1),
                    None => Target::End,
                }
            }
            Some(CoreInstanceDef::Exports(items)) => match items.get(name) {
                Some((ExternalKind::Func | ExternalKind::FuncExact, f)) => {
                    self.core_func(*f, depth + 1)
                }
                _ => Target::End,
            },
            _ => Target::End,
        }
    }

    /// A function of an instance: itself when defined there, or what its
    /// import was given.
    fn resolve(&self, instance: u32, func: u32, depth: usize) -> Target {
        let imported = self
            .module_of(instance)
            .and_then(|m| self.modules.get(m))
            .is_some_and(|m| func < m.imported_functions());
        if imported {
            self.module_import(instance, func, depth + 1)
        } else {
            Target::Node(instance, func)
        }
    }

    /// What an instance's imported function `func` was given.
    fn module_import(&self, instance: u32, func: u32, depth: usize) -> Target {
        if depth > MAX_LINKS {
            return Target::End;
        }
        let Some(CoreInstanceDef::Instantiate {
            module: Some(m),
            args,
        }) = self.spaces.core_instances.get(instance as usize)
        else {
            return Target::End;
        };
        let import = self.modules.get(*m).and_then(|module| {
            module
                .imports
                .iter()
                .find(|i| i.kind == ItemKind::Func && i.index == func)
        });
        match import.and_then(|i| Some((args.get(&i.module)?, &i.name))) {
            Some((given, name)) => self.instance_export(*given, name, depth + 1),
            None => Target::End,
        }
    }

    /// The table an instance's table `table` is: where it is defined.
    fn table_id(&self, instance: u32, table: u32, depth: usize) -> Option<TableId> {
        if depth > MAX_LINKS {
            return None;
        }
        let CoreInstanceDef::Instantiate {
            module: Some(m),
            args,
        } = self.spaces.core_instances.get(instance as usize)?
        else {
            return None;
        };
        let module = self.modules.get(*m)?;
        let Some(import) = module
            .imports
            .iter()
            .find(|i| i.kind == ItemKind::Table && i.index == table)
        else {
            return Some((instance, table));
        };
        let given = *args.get(&import.module)?;
        self.exported_table(given, &import.name, depth + 1)
    }

    fn exported_table(&self, instance: u32, name: &str, depth: usize) -> Option<TableId> {
        match self.spaces.core_instances.get(instance as usize)? {
            CoreInstanceDef::Instantiate {
                module: Some(m), ..
            } => {
                let export = self
                    .modules
                    .get(*m)?
                    .exports
                    .iter()
                    .find(|e| e.kind == ItemKind::Table && e.name == name)?;
                self.table_id(instance, export.index, depth + 1)
            }
            CoreInstanceDef::Exports(items) => match items.get(name)? {
                (ExternalKind::Table, t) => match self.spaces.core_tables.get(*t as usize)? {
                    CoreTableDef::Export { instance, name } => {
                        self.exported_table(*instance, name, depth + 1)
                    }
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// What every instance's active element segments put in each table.
    fn fill_tables(&mut self) {
        let mut tables: HashMap<TableId, Vec<Slot>> = HashMap::new();
        for (instance, def) in self.spaces.core_instances.iter().enumerate() {
            let CoreInstanceDef::Instantiate {
                module: Some(m), ..
            } = def
            else {
                continue;
            };
            let Some(module) = self.modules.get(*m) else {
                continue;
            };
            for segment in &module.elements {
                let Some(table) = segment.table else {
                    continue;
                };
                let Some(id) = self.table_id(instance as u32, table, 0) else {
                    continue;
                };
                let entry = tables.entry(id).or_default();
                for (i, &f) in segment.functions.iter().enumerate() {
                    let slot = segment.offset.map(|o| o.saturating_add(i as u64));
                    entry.push((slot, instance as u32, f));
                }
            }
        }
        self.tables = tables;
    }

    /// For a shim stub (a small function whose one indirect call goes
    /// through a constant slot), what that slot holds.
    fn stub_target(&self, instance: u32, func: u32) -> Option<Target> {
        let (table, slot) = self.constant_slot(instance, func)?;
        let id = self.table_id(instance, table, 0)?;
        let &(_, holder, f) = self
            .tables
            .get(&id)?
            .iter()
            .find(|(s, _, _)| *s == Some(slot))?;
        Some(self.resolve(holder, f, 0))
    }

    /// The table and slot of a stub's indirect call, when the function is
    /// small and its one indirect call takes its slot from an `i32.const`
    /// just before it.
    fn constant_slot(&self, instance: u32, func: u32) -> Option<(u32, u64)> {
        const STUB_BYTES: usize = 64;
        let module = self.modules.get(self.module_of(instance)?)?;
        let body = module.body(func)?;
        if body.len() > STUB_BYTES {
            return None;
        }
        let reader = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(
            self.bytes.get(body.clone())?,
            u64::try_from(body.start).ok()?,
        ));
        let mut ops = reader.get_operators_reader().ok()?;
        let mut last_const = None;
        let mut found = None;
        while !ops.eof() {
            match ops.read().ok()? {
                Operator::I32Const { value } => last_const = Some(u64::from(value as u32)),
                Operator::CallIndirect { table_index, .. }
                | Operator::ReturnCallIndirect { table_index, .. } => {
                    if found.is_some() {
                        return None;
                    }
                    found = Some((table_index, last_const?));
                    last_const = None;
                }
                _ => last_const = None,
            }
        }
        found
    }

    /// The imported functions (and whole interfaces) reachable from
    /// `starts`.
    fn reach(&self, starts: &[Target]) -> (Vec<usize>, Vec<String>) {
        let mut seen: HashMap<u32, Vec<bool>> = HashMap::new();
        let mut nested_seen: Vec<u32> = Vec::new();
        let mut found: Vec<usize> = Vec::new();
        let mut interfaces: Vec<String> = Vec::new();
        // Tables already pushed, and instances (with `u32::MAX`) whose
        // tables and `ref.func` globals are.
        let mut expanded: Vec<TableId> = Vec::new();
        let mut stack: Vec<Target> = starts.to_vec();
        while let Some(target) = stack.pop() {
            match target {
                Target::Interface(instance) => {
                    if let Some(InstanceDef::Import(name)) =
                        self.spaces.instances.get(instance as usize)
                        && !interfaces.contains(name)
                    {
                        interfaces.push(name.clone());
                    }
                }
                Target::Import(id) => {
                    if !found.contains(&id) {
                        found.push(id);
                    }
                }
                Target::Nested(instance) => {
                    self.opaque.set(true);
                    if !nested_seen.contains(&instance) {
                        nested_seen.push(instance);
                        self.given_to(instance, &mut stack);
                    }
                }
                Target::End => {}
                Target::Node(instance, func) => {
                    let Some(m) = self.module_of(instance) else {
                        continue;
                    };
                    let (Some(module), Some(graph)) = (self.modules.get(m), self.graphs.get(m))
                    else {
                        continue;
                    };
                    let marks = seen
                        .entry(instance)
                        .or_insert_with(|| vec![false; module.functions.len()]);
                    match marks.get_mut(func as usize) {
                        Some(mark) if !*mark => *mark = true,
                        _ => continue,
                    }
                    if func < module.imported_functions() {
                        stack.push(self.module_import(instance, func, 0));
                        continue;
                    }
                    let Some(refs) = graph.functions.get(func as usize) else {
                        continue;
                    };
                    stack.extend(
                        refs.calls
                            .keys()
                            .chain(&refs.references)
                            .map(|&f| Target::Node(instance, f)),
                    );
                    if refs.indirect_calls > 0 {
                        self.indirect(instance, func, module, &mut expanded, &mut stack);
                    }
                }
            }
        }
        found.sort_unstable();
        (found, interfaces)
    }

    /// Where a function's indirect calls can go: one slot for a stub, else
    /// every function in the instance's tables.
    fn indirect(
        &self,
        instance: u32,
        func: u32,
        module: &ModuleIndex,
        expanded: &mut Vec<TableId>,
        stack: &mut Vec<Target>,
    ) {
        if let Some(target) = self.stub_target(instance, func) {
            stack.push(target);
            return;
        }
        if expanded.contains(&(instance, u32::MAX)) {
            return;
        }
        expanded.push((instance, u32::MAX));
        for table in 0..module.tables.len() as u32 {
            let Some(id) = self.table_id(instance, table, 0) else {
                continue;
            };
            // A table's contents are pushed once a walk.
            if expanded.contains(&id) {
                continue;
            }
            expanded.push(id);
            for &(_, holder, f) in self.tables.get(&id).into_iter().flatten() {
                stack.push(Target::Node(holder, f));
            }
        }
        stack.extend(
            module
                .global_func_refs
                .iter()
                .map(|&f| Target::Node(instance, f)),
        );
    }

    /// Every imported function given to a nested component instance,
    /// directly or in an instance.
    fn given_to(&self, instance: u32, stack: &mut Vec<Target>) {
        let Some(InstanceDef::Nested { args, .. }) = self.spaces.instances.get(instance as usize)
        else {
            return;
        };
        for &(_, kind, index) in args {
            self.item_targets(kind, index, stack, 0);
        }
    }

    fn item_targets(
        &self,
        kind: ComponentExternalKind,
        index: u32,
        stack: &mut Vec<Target>,
        depth: usize,
    ) {
        if depth > MAX_LINKS {
            return;
        }
        match kind {
            ComponentExternalKind::Func => stack.push(self.component_func(index, 0)),
            ComponentExternalKind::Instance => match self.spaces.instances.get(index as usize) {
                Some(InstanceDef::Import(_)) => stack.push(Target::Interface(index)),
                Some(InstanceDef::Exports(items)) => {
                    for &(_, k, i) in items {
                        self.item_targets(k, i, stack, depth + 1);
                    }
                }
                Some(InstanceDef::Nested { .. }) => stack.push(Target::Nested(index)),
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
