//! The imports or the exports of an input, as `wasmscope imports` and
//! `wasmscope exports` list them: a core module's, each nested core module's
//! in a component, and the component's own.
//!
//! Both lists are one [`Listing`], generic over the item ([`Import`] or
//! [`Export`]); which side it is decides only the JSON keys and the filter.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::index::{ComponentItem, Export, Import, ModuleIndex};

/// Which side of an input's interface a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the input asks its host for.
    Imports,
    /// What the input offers its host.
    Exports,
}

impl Direction {
    /// The plural noun, also the JSON key of the core items: `imports`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Imports => "imports",
            Direction::Exports => "exports",
        }
    }

    /// The JSON key of a component's own items: `component_imports`.
    pub fn component_key(self) -> &'static str {
        match self {
            Direction::Imports => "component_imports",
            Direction::Exports => "component_exports",
        }
    }
}

/// An import or an export: what a [`Listing`] holds.
pub trait Listed: Clone + Serialize {
    /// Which side these items are on.
    const DIRECTION: Direction;

    /// The items of this side in a core module.
    fn of(module: &ModuleIndex) -> &[Self];

    /// Whether `filter` occurs where a user would look for it: in an
    /// import's module or name, in an export's name.
    fn matches(&self, filter: &str) -> bool;
}

impl Listed for Import {
    const DIRECTION: Direction = Direction::Imports;

    fn of(module: &ModuleIndex) -> &[Import] {
        &module.imports
    }

    fn matches(&self, filter: &str) -> bool {
        self.module.contains(filter) || self.name.contains(filter)
    }
}

impl Listed for Export {
    const DIRECTION: Direction = Direction::Exports;

    fn of(module: &ModuleIndex) -> &[Export] {
        &module.exports
    }

    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter)
    }
}

/// An item with the number of the nested core module it belongs to when
/// the input is a component.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Nested<T> {
    /// The nested core module's number, counted from 0; none for a core
    /// module input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<usize>,
    /// The nested module's name in the component, or `module N` with its
    /// role (see [`crate::component::module_labels`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The item.
    #[serde(flatten)]
    pub item: T,
}

/// A component's own import or export, with what its WIT says of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComponentEntry {
    /// The item: its name and kind.
    #[serde(flatten)]
    pub item: ComponentItem,
    /// With the component's WIT: the functions of an interface, or the
    /// function itself, each with its WIT signature.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Signature>,
}

/// A function and its WIT signature.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Signature {
    /// `log`, or `counter.bump` for a resource's function.
    pub name: String,
    /// `func(level: u8, message: string)`.
    pub signature: String,
}

/// The imports or exports of an input.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// The input's name.
    pub file: String,
    /// For a component, its own items of this side; none for a core module.
    pub component: Option<Vec<ComponentEntry>>,
    /// The core modules' items, in module order.
    pub items: Vec<Nested<T>>,
    /// The JavaScript glue that named a minified module's items.
    pub glue: Option<crate::glue::GlueUse>,
}

/// Every import of an input.
pub type Imports = Listing<Import>;

/// Every export of an input.
pub type Exports = Listing<Export>;

/// The JSON keys name the side (`imports`, `component_exports`), so the
/// fields are written by hand rather than derived.
impl<T: Listed> Serialize for Listing<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let side = T::DIRECTION;
        let fields = 2 + usize::from(self.component.is_some()) + usize::from(self.glue.is_some());
        let mut s = serializer.serialize_struct("Listing", fields)?;
        s.serialize_field("file", &self.file)?;
        match &self.glue {
            Some(glue) => s.serialize_field("glue", glue)?,
            None => s.skip_field("glue")?,
        }
        match &self.component {
            Some(items) => s.serialize_field(side.component_key(), items)?,
            None => s.skip_field(side.component_key())?,
        }
        s.serialize_field(side.as_str(), &self.items)?;
        s.end()
    }
}

/// Lists one side of an indexed input, keeping only the items that match
/// `filter` when there is one (a component's own items by their name).
pub fn listing<T: Listed>(file: &str, index: &ModuleIndex, filter: Option<&str>) -> Listing<T> {
    let component_items = match T::DIRECTION {
        Direction::Imports => &index.component_imports,
        Direction::Exports => &index.component_exports,
    };
    Listing {
        file: file.to_string(),
        component: index.component.then(|| {
            component_items
                .iter()
                .filter(|i| filter.is_none_or(|f| i.name.contains(f)))
                .map(|i| ComponentEntry {
                    item: i.clone(),
                    functions: Vec::new(),
                })
                .collect()
        }),
        items: index
            .core_modules()
            .into_iter()
            .flat_map(|(nested, m)| {
                T::of(m).iter().map(move |item| Nested {
                    nested,
                    part: None,
                    item: item.clone(),
                })
            })
            .filter(|e| filter.is_none_or(|f| e.item.matches(f)))
            .collect(),
        glue: None,
    }
}

impl<T: Listed> Listing<T> {
    /// Names the nested modules the items belong to (`bytes` is the
    /// component the listing was made from).
    pub fn with_parts(mut self, bytes: &[u8]) -> Self {
        let labels = crate::component::module_labels(bytes);
        for e in &mut self.items {
            e.part = e.nested.and_then(|n| labels.get(n).cloned());
        }
        self
    }

    /// Adds what the component's WIT says of each of its own items: the
    /// functions of an interface, or a function's signature.
    pub fn with_wit(mut self, wit: &crate::wit::WitReport) -> Self {
        let export = matches!(T::DIRECTION, Direction::Exports);
        for entry in self.component.iter_mut().flatten() {
            entry.functions = wit
                .functions_of(&entry.item.name, export)
                .into_iter()
                .map(|f| Signature {
                    name: f.qualified_name(),
                    signature: f.signature.clone(),
                })
                .collect();
        }
        self
    }
}

/// The imports of an indexed input (see [`listing`]).
pub fn imports(file: &str, index: &ModuleIndex, filter: Option<&str>) -> Imports {
    listing(file, index, filter)
}

/// The exports of an indexed input (see [`listing`]).
pub fn exports(file: &str, index: &ModuleIndex, filter: Option<&str>) -> Exports {
    listing(file, index, filter)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::keys;

    const MODULE: &str = r#"(module
        (import "env" "log" (func (param i32)))
        (import "wasi" "fd_write" (func))
        (memory (export "memory") 1)
        (func (export "run"))
        (func (export "fd_helper")))"#;

    fn index(text: &str) -> ModuleIndex {
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        ModuleIndex::build(&bytes).expect("indexes")
    }

    #[test]
    fn imports_json_keys() {
        let report = imports("t.wasm", &index(MODULE), None);
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(keys(&json), BTreeSet::from(["file", "imports"]));
        assert_eq!(
            keys(&json["imports"][0]),
            BTreeSet::from(["module", "name", "kind", "index", "type", "offset"])
        );
        assert_eq!(json["imports"][1]["name"], "fd_write");
    }

    #[test]
    fn exports_json_keys() {
        let report = exports("t.wasm", &index(MODULE), None);
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(keys(&json), BTreeSet::from(["file", "exports"]));
        assert_eq!(
            keys(&json["exports"][0]),
            BTreeSet::from(["name", "kind", "index", "type", "offset"])
        );
        assert_eq!(json["exports"][0]["kind"], "memory");
    }

    #[test]
    fn a_filter_looks_at_the_import_module_but_only_the_export_name() {
        let index = index(MODULE);
        let imports = imports("t.wasm", &index, Some("wasi"));
        let names: Vec<&str> = imports.items.iter().map(|i| i.item.name.as_str()).collect();
        assert_eq!(names, ["fd_write"]);
        let exports = exports("t.wasm", &index, Some("fd_"));
        let names: Vec<&str> = exports.items.iter().map(|e| e.item.name.as_str()).collect();
        assert_eq!(names, ["fd_helper"]);
        assert!(
            listing::<Export>("t.wasm", &index, Some("wasi"))
                .items
                .is_empty()
        );
    }

    #[test]
    fn a_component_lists_its_own_items_and_numbers_its_modules() {
        let index = index(
            r#"(component
                (import "host" (func))
                (core module (func (export "a")))
                (core module (func (export "b"))))"#,
        );
        let report = exports("c.wasm", &index, None);
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(
            keys(&json),
            BTreeSet::from(["file", "component_exports", "exports"])
        );
        assert_eq!(json["exports"][1]["nested"], 1);
        assert_eq!(json["exports"][1]["name"], "b");
        let report = imports("c.wasm", &index, None);
        let json = serde_json::to_value(&report).expect("serialises");
        assert_eq!(json["component_imports"][0]["name"], "host");
    }
}
