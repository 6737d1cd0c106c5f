//! Data that is slow to compute or too large to hold, asked for when a view
//! needs it.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{Analysis, Code, LineInfo, Model, SourceText};

/// Where the browser gets what is not in its [`Model`]. Calls may be slow;
/// the browser makes them on a worker thread and keeps drawing meanwhile.
pub trait Source: Send + Sync {
    /// A function's code as text, by function index.
    fn code(&self, function: u32) -> Result<Code, String>;

    /// Bytes of the input (clamped to its end).
    fn bytes(&self, range: Range<u64>) -> Vec<u8>;

    /// The call graph and capability audit.
    fn analyze(&self) -> Result<Analysis, String>;

    /// Opens the core module nested at `position` in a component.
    fn open_nested(&self, position: usize) -> Result<(Model, Arc<dyn Source>), String>;

    /// What the line tables say: source files, the code of each line, where
    /// each function is. It may read every line table of the module. By
    /// default there are none.
    fn line_info(&self) -> Result<LineInfo, String> {
        Ok(LineInfo {
            missing: Some("no debug info was read for this module".to_string()),
            ..LineInfo::default()
        })
    }

    /// Where each function is, by function index: a file id of
    /// [`LineInfo::files`] and a line. Asked for once the line info is
    /// there, since it may be slower still; by default nothing.
    fn function_places(&self) -> Result<Vec<Option<(u32, u32)>>, String> {
        Ok(Vec::new())
    }

    /// The text of a source file that [`LineInfo::files`] names, when it can
    /// be read here; otherwise why not.
    fn source_text(&self, file: &str) -> Result<SourceText, String> {
        Err(format!("{file} cannot be read"))
    }
}
