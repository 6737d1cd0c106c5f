//! The demo module embedded in wasmscope: a small WASI command (a SHA-256
//! hasher) built from the Rust source in `testdata/demo/` by
//! `testdata/build-demo.sh`. Every command accepts `--demo` in place of a file,
//! so wasmscope can be tried without any module at hand.

/// The name the demo module goes by in messages.
pub const NAME: &str = "demo.wasm";

/// The demo module's bytes.
pub const BYTES: &[u8] = include_bytes!("../testdata/demo.wasm");
