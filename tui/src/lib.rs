//! The terminal browser of wasmscope.
//!
//! The crate knows nothing about WebAssembly decoding: the embedder fills a
//! plain [`Model`] with what is cheap to know and implements [`Source`] for
//! what is slow or large (a function's text, bytes, the call graph). The
//! [`App`] is stepped by [`Action`]s, which [`action_for`] makes from key and
//! mouse events in one pure function; [`run`] puts it on a real terminal.

pub mod action;
pub mod app;
pub mod model;
pub mod source;
pub mod terminal;
pub mod views;

pub use action::{Action, Mode, action_for};
pub use app::App;
pub use model::*;
pub use ratatui;
pub use source::Source;
pub use terminal::run;
