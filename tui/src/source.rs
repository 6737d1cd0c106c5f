//! Data that is slow to compute or too large to hold, asked for when a view
//! needs it.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{Analysis, Code, Model};

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
}
