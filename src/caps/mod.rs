//! The capability audit: what a module would need from its host, and whether
//! its reachable code really uses it.
//!
//! Every import is classified by the conventions of the toolchain that made
//! it (WASI preview0/1, WASI 0.2/0.3 components, wasi-threads, WASIX, WasmEdge
//! sockets, Emscripten, wasm-bindgen, Go, TinyGo, AssemblyScript, dynamic
//! linking). The facts behind the tables were gathered from the WASI witx and
//! WIT definitions (preview1 on the `wasi-0.1` branch, WIT 0.2.0 to 0.3.0),
//! the wasmtime (up to 50) and wasmer (up to 7.5) command lines, and real
//! builds of each toolchain, as of late 2026.
//!
//! An import says "linked", not "used": the call graph tells which imports
//! code reachable from the exports, the start function or a table calls.
//!
//! The parts, in the order data flows through them: [`vocabulary`] names
//! the capabilities; [`classify`](mod@classify) reads one import by its toolchain's
//! conventions; [`audit`](mod@audit) gathers a module's imports into
//! [`Caps`]; [`policy`] and [`runtime`] judge it (what a CI job refuses,
//! what command line runs it); [`report`] joins them into what
//! `wasmscope caps` prints.

pub mod audit;
pub mod calls;
pub mod classify;
pub mod policy;
pub mod report;
pub mod runtime;
pub mod vocabulary;

pub use audit::{CapabilityUse, Caps, ImportUse, Usage, audit, audit_component};
pub use calls::{CallSite, locate_calls};
pub use classify::{
    Classification, Context, Convention, HostInterface, PREVIEW1, classify, interface_capabilities,
    preview1_also, split_version,
};
pub use policy::{Policy, parse_list};
pub use report::{Failure, Report, Reports, Run};
pub use runtime::{Runtime, command_line, module_arg};
pub use vocabulary::{ALL, Capability, Risk};
