//! The integration tests: one module per area of behaviour, all of them in
//! one test binary so that the library is linked once, not once per area.
//! Every module that runs the real binary goes through
//! [`common::wasmscope`]; the terminal tests drive it through `script` and
//! tmux, with [`common::BIN`].

// A failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

// The terminal browser is an optional part of the library and the binary.
#[cfg(feature = "browse")]
mod browse;
#[cfg(feature = "browse")]
mod browse_tmux;
mod caps;
mod check;
mod cli;
mod compressed;
mod data_safety;
mod diff;
mod edit;
mod examples;
mod extract;
mod glue;
mod inspect;
mod mutation;
mod print_parallel;
mod reliability;
mod source_print;
mod source_sizes;
mod spec;
mod split_debug;
mod symbolize;
mod wabt;
mod wabt_objdump;
mod wit;
