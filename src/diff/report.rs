//! The comparison's report: plain data that the CLI renders as text or
//! serialises as the documented JSON, and that a library user gets the same
//! JSON from.

use std::fmt;

use serde::Serialize;

/// A value on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pair<T> {
    /// The old side's.
    pub old: T,
    /// The new side's.
    pub new: T,
}

/// How many items were added, removed and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Only on the new side.
    pub added: usize,
    /// Only on the old side.
    pub removed: usize,
    /// On both, different.
    pub changed: usize,
}

impl Tally {
    pub(super) fn count<T: Changed>(items: &[T]) -> Tally {
        let mut t = Tally::default();
        for item in items {
            match item.change() {
                Change::Added => t.added += 1,
                Change::Removed => t.removed += 1,
                Change::Changed => t.changed += 1,
                Change::Renamed => {}
            }
        }
        t
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added + self.removed + self.changed == 0
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both, different.
    Changed,
    /// On both, the same but for its name.
    Renamed,
}

/// An entry of the report that says what happened to it, so that one
/// tally counts every list.
pub(super) trait Changed {
    fn change(&self) -> Change;
}

/// How a function on one side was found to be a function on the other.
/// Earlier rules win: a function paired by export name is not paired again
/// by its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchedBy {
    /// An imported function, by module and name.
    Import,
    /// By export name.
    Export,
    /// By name-section name, as written or demangled, unique on both sides.
    Name,
    /// By a body that is the same once indices are read as what they refer
    /// to.
    Body,
    /// What was left, unnamed, in order, where the types agree.
    Position,
}

impl MatchedBy {
    /// The word used in the text report and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Import => "import",
            MatchedBy::Export => "export",
            MatchedBy::Name => "name",
            MatchedBy::Body => "body",
            MatchedBy::Position => "position",
        }
    }
}

impl fmt::Display for MatchedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The counts of the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Functions (renames and moves are counted apart).
    pub functions: Tally,
    /// Functions whose only change is their name.
    pub renamed_functions: usize,
    /// Functions unchanged but for their index.
    pub moved_functions: usize,
    /// Imports.
    pub imports: Tally,
    /// Exports.
    pub exports: Tally,
    /// Globals.
    pub globals: Tally,
    /// Data segments.
    pub data: Tally,
    /// Custom sections.
    pub customs: Tally,
}

/// A section's size on each side (absent where it has none).
#[derive(Debug, Clone, Serialize)]
pub struct SectionSize {
    /// `code`, `custom "name"`...
    pub name: String,
    /// Its size on each side, header included.
    pub size: Pair<Option<usize>>,
}

/// An import, export, global or component item that differs.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// What happened.
    pub change: Change,
    /// `module::name` for imports, the name for exports, the index for
    /// globals.
    pub name: String,
    /// `func`, `memory`...
    pub kind: String,
    /// The type on each side, as text.
    #[serde(rename = "type")]
    pub ty: Pair<Option<String>>,
}

impl Changed for ItemChange {
    fn change(&self) -> Change {
        self.change
    }
}

/// A block of a function's text diff.
#[derive(Debug, Clone, Serialize)]
pub struct Hunk {
    /// `@@ -12,7 +12,8 @@`.
    pub header: String,
    /// The lines, each starting with ` `, `-` or `+`.
    pub lines: Vec<String>,
}

/// A function that differs.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionChange {
    /// What happened (a function both renamed and changed is `changed`,
    /// with both names).
    pub change: Change,
    /// Its index on each side.
    pub index: Pair<Option<u32>>,
    /// Its name on each side (demangled), where it has one.
    pub name: Pair<Option<String>>,
    /// Its body size on each side.
    pub size: Pair<Option<usize>>,
    /// How the two sides were matched; absent for a function on one side
    /// only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<MatchedBy>,
    /// The text diff, for a changed function.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hunks: Vec<Hunk>,
}

impl Changed for FunctionChange {
    fn change(&self) -> Change {
        self.change
    }
}

impl FunctionChange {
    /// The name to show: the new one, else the old one, else the index.
    pub fn label(&self) -> String {
        let index = self.index.new.or(self.index.old).unwrap_or(0);
        self.name
            .new
            .clone()
            .or_else(|| self.name.old.clone())
            .unwrap_or_else(|| format!("func {index}"))
    }
}

/// A data segment or custom section that differs.
#[derive(Debug, Clone, Serialize)]
pub struct BlobChange {
    /// What happened.
    pub change: Change,
    /// The segment index or the custom section's name.
    pub name: String,
    /// Its size on each side.
    pub size: Pair<Option<usize>>,
    /// For decoded sections (producers, target features): the lines
    /// removed (`-`) and added (`+`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<String>,
}

impl Changed for BlobChange {
    fn change(&self) -> Change {
        self.change
    }
}

/// A capability needed on one side only.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityChange {
    /// `added`: the new build needs it; `removed`: it no longer does.
    pub change: Change,
    /// The capability (`net-inbound`).
    pub name: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// The imports that need it, on the side that needs it.
    pub imports: Vec<String>,
}

/// The comparison of two modules (or components).
#[derive(Debug, Clone, Serialize)]
pub struct ModuleDiff {
    /// The inputs' names.
    pub file: Pair<String>,
    /// The inputs' sizes.
    pub size: Pair<usize>,
    /// Whether the two are byte for byte the same.
    pub identical: bool,
    /// The counts.
    pub counts: Counts,
    /// Sections whose size differs.
    pub sections: Vec<SectionSize>,
    /// Imports that differ.
    pub imports: Vec<ItemChange>,
    /// Exports that differ.
    pub exports: Vec<ItemChange>,
    /// Functions that differ (moves alone are only counted).
    pub functions: Vec<FunctionChange>,
    /// Globals that differ.
    pub globals: Vec<ItemChange>,
    /// Data segments that differ.
    pub data: Vec<BlobChange>,
    /// Custom sections that differ.
    pub customs: Vec<BlobChange>,
    /// The capabilities each side's reachable code needs, most dangerous
    /// first.
    pub needs: Pair<Vec<&'static str>>,
    /// Capabilities needed by one side only (reachable use).
    pub capabilities: Vec<CapabilityChange>,
    /// A component's own imports and exports that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component_items: Vec<ItemChange>,
    /// Nested core modules of components, matched by position.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nested: Vec<ModuleDiff>,
    /// The two sides' WIT compared, when both have WIT (components, or core
    /// modules with `component-type` sections).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wit: Option<super::wit::WitDiff>,
    /// The gzip and brotli sizes of each input, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compressed: Option<Pair<crate::compressed::Compressed>>,
}

impl ModuleDiff {
    /// Whether anything differs that the comparison looked at.
    pub fn differs(&self) -> bool {
        !self.sections.is_empty()
            || !self.imports.is_empty()
            || !self.exports.is_empty()
            || !self.functions.is_empty()
            || self.counts.moved_functions > 0
            || !self.globals.is_empty()
            || !self.data.is_empty()
            || !self.customs.is_empty()
            || !self.capabilities.is_empty()
            || !self.component_items.is_empty()
            || self.nested.iter().any(ModuleDiff::differs)
            || self.wit.as_ref().is_some_and(|w| !w.changes.is_empty())
    }
}
