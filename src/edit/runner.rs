//! An editing command from the edit to the end: the result is checked,
//! written where it was asked to go (or not, when nothing changed in place),
//! and described in an [`EditReport`], the report every editing command
//! prints. A library user who serialises the report gets the CLI's JSON.

use std::path::PathBuf;

use serde::Serialize;

use super::{Change, Edit, check};
use crate::error::{Error, Result};

/// The editing commands, as the report names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditCommand {
    /// Removing custom sections.
    Strip,
    /// Removing and renaming exports.
    Export,
    /// Adding, replacing and removing custom sections.
    Custom,
    /// Changing the producers record and the module's name.
    Metadata,
    /// Removing what nothing reachable uses.
    Gc,
    /// Editing the module as text.
    Edit,
}

/// Where an edited module goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// To the caller's standard output.
    Stdout,
    /// To a file, which appears whole and only once the result has
    /// validated.
    File(PathBuf),
    /// Over the input file itself, which is left alone when nothing changed.
    InPlace(PathBuf),
    /// Nowhere: a dry run.
    Nowhere,
}

impl Destination {
    /// The destination as the report names it: `-` for stdout.
    fn label(&self) -> Option<String> {
        match self {
            Destination::Stdout => Some("-".to_string()),
            Destination::File(path) | Destination::InPlace(path) => {
                Some(path.display().to_string())
            }
            Destination::Nowhere => None,
        }
    }
}

/// What an editing command was asked to do with its result.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The command.
    pub command: EditCommand,
    /// The input's name, for messages and the report.
    pub file: &'a str,
    /// Where the result goes.
    pub destination: Destination,
    /// Whether this is a dry run, which writes nothing.
    pub dry_run: bool,
}

/// What an editing command did: the report it prints, in JSON as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditReport {
    /// The command.
    pub command: EditCommand,
    /// The input's name.
    pub file: String,
    /// Where the result went (`-` for stdout), or `None` in a dry run.
    pub output: Option<String>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Whether the result was written.
    pub written: bool,
    /// The input's size in bytes.
    pub size_before: usize,
    /// The result's size in bytes.
    pub size_after: usize,
    /// What changed (or would, in a dry run).
    pub changes: Vec<Change>,
    /// Things worth saying that are not changes.
    pub notes: Vec<String>,
}

impl EditReport {
    /// Whether the edit found nothing to change.
    pub fn nothing_changed(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Finishes an edit of `before`: checks the result when anything changed,
/// writes it to the request's destination (`stdout` writes it to standard
/// output, and may refuse), and reports what happened.
pub fn run<E: From<Error>>(
    request: &Request<'_>,
    before: &[u8],
    edit: Edit,
    stdout: impl FnOnce(&[u8]) -> std::result::Result<(), E>,
) -> std::result::Result<EditReport, E> {
    let changed = !edit.changes.is_empty();
    if changed {
        check(&edit.bytes, request.file)?;
    }
    let written = match &request.destination {
        Destination::Stdout => {
            stdout(&edit.bytes)?;
            true
        }
        // In place with nothing to change: the file is left alone.
        Destination::InPlace(_) if !changed => false,
        Destination::File(path) | Destination::InPlace(path) => {
            write_file(path, &edit.bytes)?;
            true
        }
        Destination::Nowhere => false,
    };
    Ok(EditReport {
        command: request.command,
        file: request.file.to_string(),
        output: request.destination.label(),
        dry_run: request.dry_run,
        written,
        size_before: before.len(),
        size_after: edit.bytes.len(),
        changes: edit.changes,
        notes: edit.notes,
    })
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    crate::output::write_atomic(path, |out| crate::output::write_bytes(out, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_serialises_as_the_editing_commands_print_it() {
        let bytes = crate::parse::parse_text("(module)", "t.wat").unwrap();
        let edit = Edit {
            bytes: bytes.clone(),
            changes: Vec::new(),
            notes: vec!["a note".to_string()],
        };
        let request = Request {
            command: EditCommand::Gc,
            file: "t.wat",
            destination: Destination::Nowhere,
            dry_run: true,
        };
        let report = run::<Error>(&request, &bytes, edit, |_| unreachable!()).unwrap();
        assert!(report.nothing_changed());
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"command":"gc","file":"t.wat","output":null,"dry_run":true,"written":false,"size_before":8,"size_after":8,"changes":[],"notes":["a note"]}"#
        );
    }
}
