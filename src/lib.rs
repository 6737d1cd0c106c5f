//! wasmscope: look inside WebAssembly modules and change them safely.
//!
//! The library is what the `wasmscope` binary is built from, and is meant to
//! be embedded by other Rust programs: every report the command line prints
//! is a type here, and serialising it gives the JSON `--json` prints.
//!
//! # How data flows
//!
//! One way, from bytes to what a user sees:
//!
//! 1. **Bytes.** [`input`] reads a module from a file, stdin or the embedded
//!    [`demo`], tells binary from text by content, and parses text to binary
//!    ([`parse`]). [`input::Loaded`] does all of it and indexes the result:
//!    it is where every report starts.
//! 2. **Index.** [`index`] walks the binary once and records every item
//!    (types, imports, functions, tables, memories, globals, exports,
//!    segments, custom sections, nested modules of a component) with the
//!    byte range it came from, over one walk of the sections
//!    ([`index::layout`]) that the editing commands share. Nothing after this
//!    step parses sections again, except to decode function bodies, which
//!    [`body`] does in one pass for everyone who asks what a body calls.
//! 3. **Analyses.** Built from the index and the bytes: the call graph
//!    ([`callgraph`]), an instruction histogram ([`ops`]), the capability
//!    audit ([`caps`]), the comparison of two modules ([`diff`]). Names are
//!    made readable by [`demangle`].
//! 4. **Reports.** Plain data that derives `Serialize`, one module per
//!    command: [`info`], [`sections`], [`stats`], [`listing`] (imports and
//!    exports), [`calls`], and the reports of [`caps`] and [`diff`]. A
//!    library user gets the command line's JSON by serialising them.
//! 5. **Renderers.** The command line (`src/cli`, one file per subcommand)
//!    turns a report into text or JSON and nothing more. The terminal
//!    browser is the `wasmscope-tui` crate, which knows nothing of this one:
//!    the `browse` module (with the default `browse` feature, on native
//!    hosts) fills its view model from the index and answers its slow
//!    questions.
//!
//! # Text, checks and edits
//!
//! Beside the reports: [`print`](mod@print) writes a module as text (streaming, so
//! memory stays bounded), [`parse`] encodes text, [`validate`] checks a
//! module against the specification with the [`features`] a user names, and
//! [`roundtrip`] checks that binary -> text -> binary changes nothing.
//! [`edit`] changes modules (strip, rename or remove exports, custom
//! sections, metadata, dead code) without disturbing the bytes it does not
//! touch; [`output`] writes results whole or not at all. [`wabt`] is what
//! the binary does when started under the name of one of WABT's tools
//! (`wasm2wat`, `wat2wasm`, `wasm-validate`, `wasm-strip`, `wasm-objdump`):
//! WABT's bytes and layouts, for scripts written for it.
//!
//! # Errors
//!
//! Every failure is an [`Error`] that says where it happened: a byte offset
//! (and the function, inside code) for binary input, a line and column with
//! the source line for text. Analyses that only decode return an
//! [`error::DecodeError`], and [`input::Loaded::error`] attaches the input's
//! name to it.
//!
//! # Example
//!
//! ```
//! use wasmscope::Source;
//! use wasmscope::input::Loaded;
//!
//! let loaded = Loaded::load(&Source::Demo)?;
//! let exports = wasmscope::listing::exports(&loaded.name, &loaded.index, None);
//! assert!(exports.items.iter().any(|e| e.item.name == "_start"));
//! println!("{}", serde_json::to_string_pretty(&exports)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod body;
#[cfg(all(feature = "browse", not(target_os = "wasi")))]
pub mod browse;
pub mod callgraph;
pub mod calls;
pub mod caps;
pub mod check;
pub mod component;
pub mod compressed;
pub mod debuginfo;
pub mod demangle;
pub mod demo;
pub mod diff;
pub mod edit;
pub mod error;
pub mod features;
pub mod glue;
pub mod index;
pub mod info;
pub mod input;
pub mod listing;
mod names;
pub mod ops;
pub mod output;
pub mod parse;
pub mod print;
pub mod roundtrip;
pub mod sections;
pub mod source_sizes;
pub mod stats;
pub mod symbolize;
#[cfg(test)]
mod testing;
pub mod validate;
pub mod wabt;
pub mod wiring;
pub mod wit;

pub use error::{Error, Result};
pub use input::{Input, InputKind, Source};
