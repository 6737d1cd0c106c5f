//! The sink a chunk is printed into on a printing thread: it keeps the
//! lines of the chunk's own functions and hands them on block by block.

use std::fmt::Write as _;
use std::io;

use wasmprinter::{Config, Print};

use super::super::source::{NoteState, SourceNotes};
use super::plan::Plan;
use super::queue::{BLOCK, Queue};

/// Prints chunk `k` of `plan` and hands its text to `queue`, marking it
/// whole or failed.
pub(super) fn print_chunk(
    bytes: &[u8],
    plan: &Plan,
    config: &Config,
    offsets: bool,
    notes: Option<&SourceNotes>,
    queue: &Queue,
    k: usize,
) {
    let Some(module) = plan.chunk_module(bytes, k) else {
        queue.finish(k, String::new(), false);
        return;
    };
    let mut capture = Capture {
        text: queue.spare(),
        queue,
        k,
        first: module.first,
        end: module.end,
        delta: module.delta,
        offsets,
        state: CaptureState::Before,
        newline: false,
        annotation: None,
        notes,
        note_state: NoteState::default(),
    };
    let result = config.print(&module.bytes, &mut capture);
    let done = match capture.state {
        CaptureState::Done => true,
        CaptureState::Inside => result.is_ok(),
        CaptureState::Before => false,
    };
    let text = std::mem::take(&mut capture.text);
    queue.finish(k, text, done);
}

#[derive(PartialEq)]
enum CaptureState {
    Before,
    Inside,
    Done,
}

/// Keeps the lines of a chunk's own functions, with offsets moved to the
/// input's, hands them on block by block, and stops the printer after
/// them.
struct Capture<'a> {
    text: String,
    queue: &'a Queue,
    k: usize,
    first: u64,
    end: u64,
    delta: i64,
    offsets: bool,
    state: CaptureState,
    newline: bool,
    annotation: Option<u64>,
    notes: Option<&'a SourceNotes>,
    note_state: NoteState,
}

fn stop() -> io::Error {
    io::Error::other("chunk printed")
}

impl Capture<'_> {
    #[inline]
    fn hand_on(&mut self) -> io::Result<()> {
        if self.text.len() >= BLOCK {
            self.hand_on_block()
        } else {
            Ok(())
        }
    }

    #[cold]
    fn hand_on_block(&mut self) -> io::Result<()> {
        let block = std::mem::replace(&mut self.text, self.queue.spare());
        if self.queue.push(self.k, block) {
            Ok(())
        } else {
            self.state = CaptureState::Done;
            Err(stop())
        }
    }
}

impl Print for Capture<'_> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        match self.state {
            CaptureState::Inside => {
                self.text.push_str(s);
                self.hand_on()
            }
            CaptureState::Before => Ok(()),
            CaptureState::Done => Err(stop()),
        }
    }

    fn newline(&mut self) -> io::Result<()> {
        // Whose line this is, `start_line` decides.
        match self.state {
            CaptureState::Done => Err(stop()),
            _ => {
                self.newline = true;
                Ok(())
            }
        }
    }

    fn start_line(&mut self, offset: Option<u64>) {
        match self.state {
            CaptureState::Before if offset == Some(self.first) => {
                self.state = CaptureState::Inside;
            }
            CaptureState::Inside if offset.is_none_or(|o| o > self.end) => {
                self.state = CaptureState::Done;
            }
            _ => {}
        }
        let newline = std::mem::take(&mut self.newline);
        if self.state == CaptureState::Inside && newline {
            self.text.push('\n');
            let input = offset.map(|o| (o as i64 + self.delta) as u64);
            if let (Some(notes), Some(at)) = (self.notes, input)
                && let Some(note) = notes.note(at as usize, &mut self.note_state)
            {
                self.text.push_str(&note);
            }
            if self.offsets {
                self.annotation = offset.map(|o| (o as i64 + self.delta) as u64);
            }
        }
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        match self.state {
            CaptureState::Inside => {
                let written = match self.annotation.take() {
                    Some(offset) => write!(self.text, "(;@{offset:<6x};)"),
                    None => self.text.write_fmt(args),
                };
                written.map_err(io::Error::other)?;
                self.hand_on()
            }
            // Text that is thrown away is not even formatted.
            CaptureState::Before => Ok(()),
            CaptureState::Done => Err(stop()),
        }
    }
}
