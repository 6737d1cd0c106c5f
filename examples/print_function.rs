//! Prints one function of a module as WebAssembly text, found by its index,
//! its name in the name section (demangled names work) or an export name.
//!
//! ```text
//! cargo run --example print_function -- app.wasm main
//! cargo run --example print_function -- app.wasm 12
//! cargo run --example print_function -- --demo hasher::main
//! ```

use std::io::Write;

use anyhow::Context;
use wasmscope::print::{FunctionSelector, PrintOptions};
use wasmscope::{Input, Source};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(file), Some(function)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: print_function FILE|--demo FUNCTION");
    };
    let source = if file == "--demo" {
        Source::Demo
    } else {
        Source::from_arg(file.as_ref())
    };
    let function = function
        .into_string()
        .ok()
        .context("FUNCTION is not UTF-8")?;
    // Text input is encoded first: the printer reads the binary format.
    let input = Input::read(&source)?;
    let bytes = input.to_binary()?;
    let opts = PrintOptions {
        function: Some(FunctionSelector::parse(&function)),
        ..PrintOptions::default()
    };
    let mut out = std::io::stdout().lock();
    wasmscope::print::print(&bytes, &input.name, &opts, &mut out)?;
    out.flush()?;
    Ok(())
}
