//! What an edit did, one item at a time: the action, the kind of thing it
//! touched, and its name. Both action and kind are closed sets, spelled in
//! JSON as the words the report has always used.

use std::fmt;

use serde::Serialize;

/// What was done to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The item is gone.
    Remove,
    /// The item is new.
    Add,
    /// The item was encoded anew in its place.
    Replace,
    /// The item has a new name.
    Rename,
    /// A value the item holds changed.
    Set,
}

impl Action {
    /// The word the JSON report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Remove => "remove",
            Action::Add => "add",
            Action::Replace => "replace",
            Action::Rename => "rename",
            Action::Set => "set",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of item a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ChangeKind {
    /// A custom section, by name.
    #[serde(rename = "custom section")]
    CustomSection,
    /// A known section, by its name (`code`, `custom section name`, ...).
    #[serde(rename = "section")]
    Section,
    /// The whole module.
    #[serde(rename = "module")]
    Module,
    /// A defined function.
    #[serde(rename = "function")]
    Function,
    /// An imported function, named `module::name`.
    #[serde(rename = "function import")]
    FunctionImport,
    /// A function's body (its code, not its signature).
    #[serde(rename = "function body")]
    FunctionBody,
    /// An export of a function.
    #[serde(rename = "function export")]
    FunctionExport,
    /// An export of a table.
    #[serde(rename = "table export")]
    TableExport,
    /// An export of a memory.
    #[serde(rename = "memory export")]
    MemoryExport,
    /// An export of a global.
    #[serde(rename = "global export")]
    GlobalExport,
    /// An export of a tag.
    #[serde(rename = "tag export")]
    TagExport,
    /// A defined global.
    #[serde(rename = "global")]
    Global,
    /// An imported global.
    #[serde(rename = "global import")]
    GlobalImport,
    /// A table.
    #[serde(rename = "table")]
    Table,
    /// An element segment.
    #[serde(rename = "element segment")]
    ElementSegment,
    /// A data segment.
    #[serde(rename = "data segment")]
    DataSegment,
    /// A `language` entry of the producers section.
    #[serde(rename = "producer language")]
    ProducerLanguage,
    /// A `processed-by` entry of the producers section.
    #[serde(rename = "producer processed-by")]
    ProducerProcessedBy,
    /// An `sdk` entry of the producers section.
    #[serde(rename = "producer sdk")]
    ProducerSdk,
    /// The module's name in the name section.
    #[serde(rename = "module name")]
    ModuleName,
    /// The component's name in its `component-name` section.
    #[serde(rename = "component name")]
    ComponentName,
}

impl ChangeKind {
    /// The words the JSON report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::CustomSection => "custom section",
            ChangeKind::Section => "section",
            ChangeKind::Module => "module",
            ChangeKind::Function => "function",
            ChangeKind::FunctionImport => "function import",
            ChangeKind::FunctionBody => "function body",
            ChangeKind::FunctionExport => "function export",
            ChangeKind::TableExport => "table export",
            ChangeKind::MemoryExport => "memory export",
            ChangeKind::GlobalExport => "global export",
            ChangeKind::TagExport => "tag export",
            ChangeKind::Global => "global",
            ChangeKind::GlobalImport => "global import",
            ChangeKind::Table => "table",
            ChangeKind::ElementSegment => "element segment",
            ChangeKind::DataSegment => "data segment",
            ChangeKind::ProducerLanguage => "producer language",
            ChangeKind::ProducerProcessedBy => "producer processed-by",
            ChangeKind::ProducerSdk => "producer sdk",
            ChangeKind::ModuleName => "module name",
            ChangeKind::ComponentName => "component name",
        }
    }

    /// Whether the item's name is a function's symbol, which may be mangled;
    /// an import's `module::name` is not one.
    pub fn names_a_symbol(self) -> bool {
        matches!(
            self,
            ChangeKind::Function | ChangeKind::FunctionBody | ChangeKind::FunctionExport
        )
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an edit did (or, in a dry run, would do), one item at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What was done.
    pub action: Action,
    /// What kind of thing it was done to.
    pub kind: ChangeKind,
    /// Its name (or `#index` when it has none).
    pub name: String,
    /// The new name or value, for `rename` and `set`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Its size in bytes, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// Where it is when not in the outermost module: `core module 1`,
    /// `component 0 > core module 2`.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub inside: Option<String>,
}

impl Change {
    /// A change to the thing `kind` named `name`.
    pub fn new(action: Action, kind: ChangeKind, name: impl Into<String>) -> Change {
        Change {
            action,
            kind,
            name: name.into(),
            to: None,
            size: None,
            inside: None,
        }
    }

    /// With its size.
    pub fn size(mut self, size: usize) -> Change {
        self.size = Some(size);
        self
    }

    /// With its new name or value.
    pub fn to(mut self, to: impl Into<String>) -> Change {
        self.to = Some(to.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_spells_action_and_kind_as_their_words() {
        let kinds = [
            ChangeKind::CustomSection,
            ChangeKind::Section,
            ChangeKind::Module,
            ChangeKind::Function,
            ChangeKind::FunctionImport,
            ChangeKind::FunctionBody,
            ChangeKind::FunctionExport,
            ChangeKind::TableExport,
            ChangeKind::MemoryExport,
            ChangeKind::GlobalExport,
            ChangeKind::TagExport,
            ChangeKind::Global,
            ChangeKind::GlobalImport,
            ChangeKind::Table,
            ChangeKind::ElementSegment,
            ChangeKind::DataSegment,
            ChangeKind::ProducerLanguage,
            ChangeKind::ProducerProcessedBy,
            ChangeKind::ProducerSdk,
            ChangeKind::ModuleName,
            ChangeKind::ComponentName,
        ];
        for kind in kinds {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{kind}\""));
        }
        let actions = [
            Action::Remove,
            Action::Add,
            Action::Replace,
            Action::Rename,
            Action::Set,
        ];
        for action in actions {
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{action}\""));
        }
    }
}
