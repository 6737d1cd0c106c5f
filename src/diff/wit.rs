//! Two components' WIT compared: what each world imports and exports, item
//! by item, with a verdict on each change for the component's users (who
//! call its exports) and hosts (who provide its imports).
//!
//! Items are matched by name without their package version, so a release
//! that only bumps versions changes nothing but the versions. The rules:
//! an export removed or changed, or an import added (or a function added to
//! an imported interface), breaks someone; an export added, or an import
//! removed, does not. Types are structural in the component model, so a
//! type that changes shape breaks both sides.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::wit::{FunctionReport, InterfaceReport, ItemReport, TypeReport, WitReport};

use super::Change;

/// The WIT of two components compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitDiff {
    /// `same`, `compatible` (nothing breaks) or `breaking`.
    pub verdict: &'static str,
    /// How many changes break a user or a host.
    pub breaking: usize,
    /// Every change, imports first, in the order of the new world.
    pub changes: Vec<WitChange>,
}

/// One change to a world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitChange {
    /// `import` or `export`.
    pub direction: &'static str,
    /// The world item: an interface without its version
    /// (`local:calc/ops`), or a function or type of the world itself.
    pub item: String,
    /// What changed in it: `interface`, `function`, `type` or `version`.
    pub what: &'static str,
    /// The function or type (`bump`, `counter.bump`, `point`); the item
    /// itself when the whole item changed.
    pub name: String,
    /// Added, removed or changed.
    pub change: Change,
    /// What it was (a signature or definition), if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// What it is, if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Whether it breaks the component's users or its hosts.
    pub breaking: bool,
    /// Why, in words.
    pub why: &'static str,
}

/// `ns:pkg/iface@1.2.3` -> `ns:pkg/iface`.
fn unversioned(name: &str) -> &str {
    name.split_once('@').map_or(name, |(n, _)| n)
}

fn version(name: &str) -> Option<&str> {
    name.split_once('@').map(|(_, v)| v)
}

/// A type as compared: its kind, members, and what it stands for (with
/// versions left out of the interfaces named).
fn shape(t: &TypeReport) -> String {
    let members: Vec<String> = t
        .members
        .iter()
        .map(|m| match &m.ty {
            Some(ty) => format!("{}: {ty}", m.name),
            None => m.name.clone(),
        })
        .collect();
    let mut out = format!("{} {}", t.kind, t.name);
    if !members.is_empty() {
        out.push_str(&format!(" {{ {} }}", members.join(", ")));
    }
    if let Some(target) = &t.target {
        out.push_str(&format!(" = {target}"));
    }
    if let Some(from) = &t.from {
        out.push_str(&format!(" (from {})", unversioned(from)));
    }
    out
}

/// What a world item is, to compare: an interface's functions and types,
/// or a function's signature, or a type's shape.
enum Shape<'a> {
    Interface(&'a InterfaceReport),
    /// Structure and display.
    Function((String, String)),
    Type((String, String)),
    /// An interface the report does not describe (never for a report of
    /// `Wit::report`).
    Unknown,
}

struct Comparer<'a> {
    old: &'a WitReport,
    new: &'a WitReport,
    changes: Vec<WitChange>,
}

impl<'a> Comparer<'a> {
    fn interface(report: &'a WitReport, item: &'a ItemReport) -> Shape<'a> {
        if let Some(inline) = &item.interface {
            return Shape::Interface(inline);
        }
        match item.kind {
            "function" => Shape::Function(
                item.function
                    .as_ref()
                    .map(|f| (f.shape.clone(), f.signature.clone()))
                    .unwrap_or_default(),
            ),
            "type" => Shape::Type(
                item.ty
                    .as_ref()
                    .map(|t| (t.shape.clone(), shape(t)))
                    .unwrap_or_default(),
            ),
            _ => report
                .interfaces
                .iter()
                .find(|i| i.name == item.name)
                .map_or(Shape::Unknown, Shape::Interface),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        export: bool,
        item: &str,
        what: &'static str,
        name: &str,
        change: Change,
        old: Option<String>,
        new: Option<String>,
    ) {
        let (breaking, why) = verdict(export, what, change);
        self.changes.push(WitChange {
            direction: if export { "export" } else { "import" },
            item: item.to_string(),
            what,
            name: name.to_string(),
            change,
            old,
            new,
            breaking,
            why,
        });
    }

    fn items(&mut self, export: bool) {
        let list = |r: &'a WitReport| -> BTreeMap<&'a str, &'a ItemReport> {
            let items = if export { &r.exports } else { &r.imports };
            items.iter().map(|i| (unversioned(&i.name), i)).collect()
        };
        let (old, new) = (list(self.old), list(self.new));
        // The new world's order, then what only the old one had.
        let order = |r: &'a WitReport| {
            let items = if export { &r.exports } else { &r.imports };
            items.iter().map(|i| unversioned(&i.name))
        };
        let mut names: Vec<&str> = order(self.new).collect();
        names.extend(order(self.old).filter(|n| !new.contains_key(n)));
        for name in names {
            match (old.get(name), new.get(name)) {
                (Some(o), Some(n)) => self.item(export, name, o, n),
                (None, Some(n)) => {
                    let what = if n.kind == "interface" {
                        "interface"
                    } else {
                        n.kind
                    };
                    self.push(
                        export,
                        name,
                        what,
                        name,
                        Change::Added,
                        None,
                        Some(n.name.clone()),
                    );
                }
                (Some(o), None) => {
                    let what = if o.kind == "interface" {
                        "interface"
                    } else {
                        o.kind
                    };
                    self.push(
                        export,
                        name,
                        what,
                        name,
                        Change::Removed,
                        Some(o.name.clone()),
                        None,
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn item(&mut self, export: bool, name: &str, o: &'a ItemReport, n: &'a ItemReport) {
        if version(&o.name) != version(&n.name) {
            self.push(
                export,
                name,
                "version",
                name,
                Change::Changed,
                version(&o.name).map(str::to_string),
                version(&n.name).map(str::to_string),
            );
        }
        match (Self::interface(self.old, o), Self::interface(self.new, n)) {
            (Shape::Interface(a), Shape::Interface(b)) => self.members(export, name, a, b),
            (Shape::Function(a), Shape::Function(b)) if a.0 != b.0 => {
                self.push(
                    export,
                    name,
                    "function",
                    name,
                    Change::Changed,
                    Some(a.1),
                    Some(b.1),
                );
            }
            (Shape::Type(a), Shape::Type(b)) if a.0 != b.0 => {
                self.push(
                    export,
                    name,
                    "type",
                    name,
                    Change::Changed,
                    Some(a.1),
                    Some(b.1),
                );
            }
            (Shape::Function(_), Shape::Function(_)) | (Shape::Type(_), Shape::Type(_)) => {}
            (Shape::Unknown, Shape::Unknown) => {}
            // An interface became a function, or the like.
            _ => self.push(
                export,
                name,
                n.kind,
                name,
                Change::Changed,
                Some(o.kind.to_string()),
                Some(n.kind.to_string()),
            ),
        }
    }

    fn members(&mut self, export: bool, item: &str, a: &InterfaceReport, b: &InterfaceReport) {
        // Compared by structure (what the component model checks), shown
        // as WIT writes them.
        let types = |i: &InterfaceReport| -> BTreeMap<String, (String, String)> {
            i.types
                .iter()
                .map(|t| (t.name.clone(), (t.shape.clone(), shape(t))))
                .collect()
        };
        let (old_types, new_types) = (types(a), types(b));
        for (name, change, old, new) in changes(
            &old_types,
            &new_types,
            b.types.iter().map(|t| t.name.clone()),
        ) {
            self.push(export, item, "type", &name, change, old, new);
        }
        let functions = |i: &InterfaceReport| -> BTreeMap<String, (String, String)> {
            i.functions
                .iter()
                .map(|f| (f.qualified_name(), (f.shape.clone(), f.signature.clone())))
                .collect()
        };
        let (old_functions, new_functions) = (functions(a), functions(b));
        for (name, change, old, new) in changes(
            &old_functions,
            &new_functions,
            b.functions.iter().map(FunctionReport::qualified_name),
        ) {
            self.push(export, item, "function", &name, change, old, new);
        }
    }
}

/// Entries added, removed or changed between two maps of (structure,
/// display), in `order` (the new side's) and then the removed ones. Entries
/// differ when their structures do; the displays are what is shown.
fn changes(
    old: &BTreeMap<String, (String, String)>,
    new: &BTreeMap<String, (String, String)>,
    order: impl Iterator<Item = String>,
) -> Vec<(String, Change, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for name in order {
        match (old.get(&name), new.get(&name)) {
            (None, Some(n)) => out.push((name, Change::Added, None, Some(n.1.clone()))),
            (Some(o), Some(n)) if o.0 != n.0 => {
                out.push((name, Change::Changed, Some(o.1.clone()), Some(n.1.clone())));
            }
            _ => {}
        }
    }
    for (name, o) in old {
        if !new.contains_key(name) {
            out.push((name.clone(), Change::Removed, Some(o.1.clone()), None));
        }
    }
    out
}

/// Whether a change breaks the component's users (exports) or hosts
/// (imports), and why.
fn verdict(export: bool, what: &str, change: Change) -> (bool, &'static str) {
    match (what, change, export) {
        ("version", _, _) => (false, "only the version changed"),
        (_, Change::Changed, true) => (true, "an export changed: its users call the old shape"),
        (_, Change::Changed, false) => (true, "an import changed: hosts provide the old shape"),
        ("type", Change::Added, _) => (false, "a new type: nothing used it before"),
        (_, Change::Added, true) => (false, "a new export: nobody depends on it yet"),
        (_, Change::Added, false) => (true, "a new import: hosts must provide it"),
        ("type", Change::Removed, false) => (false, "an imported type is no longer used"),
        (_, Change::Removed, true) => (true, "an export removed: its users lose it"),
        (_, Change::Removed, false) => (false, "an import no longer needed"),
        (_, Change::Renamed, _) => (true, "renamed: users and hosts know the old name"),
    }
}

/// Compares two components' WIT.
pub fn compare_wit(old: &WitReport, new: &WitReport) -> WitDiff {
    let mut comparer = Comparer {
        old,
        new,
        changes: Vec::new(),
    };
    comparer.items(false);
    comparer.items(true);
    let breaking = comparer.changes.iter().filter(|c| c.breaking).count();
    let verdict = match (comparer.changes.is_empty(), breaking) {
        (true, _) => "same",
        (false, 0) => "compatible",
        _ => "breaking",
    };
    WitDiff {
        verdict,
        breaking,
        changes: comparer.changes,
    }
}
