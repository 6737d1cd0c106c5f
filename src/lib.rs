//! wasmscope: look inside WebAssembly modules and change them safely.
//!
//! The library is what the `wasmscope` binary is built from, and is meant to be
//! embedded by other Rust programs. Data flows one way: bytes (a file, stdin,
//! the embedded demo, or text parsed to bytes, see [`input`]) are turned into
//! text ([`print`]), checked ([`validate`], [`roundtrip`]) or produced from
//! text ([`parse`]). Every failure is an [`Error`] that says where it happened.

pub mod body;
#[cfg(not(target_os = "wasi"))]
pub mod browse;
pub mod callgraph;
pub mod caps;
pub mod demangle;
pub mod demo;
pub mod diff;
pub mod edit;
pub mod error;
pub mod features;
pub mod index;
pub mod info;
pub mod input;
mod names;
pub mod ops;
pub mod output;
pub mod parse;
pub mod print;
pub mod roundtrip;
pub mod stats;
pub mod validate;

pub use error::{Error, Result};
pub use input::{Input, InputKind, Source};
