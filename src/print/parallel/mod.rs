//! Printing a core module's function bodies on several threads.
//!
//! The text of a function depends on the module's declarations and names,
//! never on the other bodies. So the code section is cut into chunks of
//! consecutive functions, and each chunk is printed by wasmprinter from a
//! small module of its own: the declarations (types, imports, functions,
//! tables, memories, globals, tags), empty bodies for the functions before
//! the chunk, the chunk's bodies byte for byte, and the part of the name
//! section its text can show. Only the lines of the chunk's own functions
//! are kept.
//!
//! The first chunk is printed from the whole module (the "frame": the
//! original with its code section cut to that chunk), straight to the
//! output, so everything around the functions reads exactly as it would.
//! When the frame reaches the end of its functions it writes the other
//! chunks' texts in order, waiting for each, and then goes on with the
//! data, the custom sections and the rest. At most a few chunks' texts are
//! held at a time, so memory does not grow with the module.
//!
//! Byte offsets (`--offsets`) are those of the small modules; they are moved
//! back to the input's by a fixed amount per region, since every body is
//! copied unchanged.

use wasmprinter::{Config, Print};

mod capture;
mod modules;
mod names;
mod plan;
mod queue;
mod stitch;

pub(super) use plan::{Plan, plan};
use queue::Queue;
use stitch::Stitch;

/// Why a parallel print stopped short.
pub(super) enum Failure {
    /// Writing the output failed.
    Output(anyhow::Error),
    /// The module could not be printed; the caller finds out why by
    /// printing it in one go.
    Module,
}

/// Prints `bytes` as planned, on `jobs` threads, into `sink`, which must
/// print every unknown custom section itself (given the input's offsets
/// and data): the frame carries them empty.
pub(super) fn print<P: Print>(
    bytes: &[u8],
    plan: &Plan,
    config: &Config,
    offsets: bool,
    notes: Option<&super::source::SourceNotes>,
    jobs: usize,
    sink: P,
) -> Result<P, Failure> {
    let frame = plan.frame(bytes).ok_or(Failure::Module)?;
    let queue = Queue::new(plan.chunks.len(), jobs + 1);
    let print_chunk =
        |k: usize| capture::print_chunk(bytes, plan, config, offsets, notes, &queue, k);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let spawned = std::thread::Builder::new()
                .name("print".into())
                .spawn_scoped(scope, || queue.work(&print_chunk));
            // With fewer threads the frame's thread prints more chunks itself.
            if spawned.is_err() {
                break;
            }
        }
        Stitch::new(sink, bytes, &frame, offsets, &queue, &print_chunk).print(config)
    })
}
