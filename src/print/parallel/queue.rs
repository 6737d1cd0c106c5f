//! Hand-over between the printing threads and the writing one: which chunk
//! is printed next, and the text printed but not yet written, bounded so
//! that memory does not grow with the module.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

/// Text is handed from a printing thread to the writing one in blocks of
/// about this size.
pub(super) const BLOCK: usize = 256 * 1024;
/// A chunk that is not being written yet holds at most about this much
/// text; its thread then waits. So memory stays bounded even when a chunk
/// has a huge function.
const HELD: usize = 4 * 1024 * 1024;

/// Chunks waiting to be printed, and printed text waiting to be written.
pub(super) struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
    /// How many chunks from the one being written may be printed at once.
    window: usize,
}

struct QueueState {
    /// The next chunk nobody has taken.
    next: usize,
    /// The chunk being written (0, the frame's own, until the others are).
    current: usize,
    chunks: Vec<ChunkText>,
    aborted: bool,
    /// Blocks already written, for reuse: it spares the system handing
    /// out and clearing fresh memory.
    spare: Vec<String>,
}

/// A chunk's text so far.
#[derive(Default)]
struct ChunkText {
    blocks: VecDeque<String>,
    held: usize,
    /// `Some(true)` printed whole, `Some(false)` the printer failed.
    finished: Option<bool>,
}

/// What the writing thread gets next from a chunk.
pub(super) enum Next {
    Block(String),
    End,
    Failed,
}

pub(super) type PrintChunk<'a> = dyn Fn(usize) + Sync + 'a;

impl Queue {
    pub(super) fn new(chunks: usize, window: usize) -> Queue {
        Queue {
            state: Mutex::new(QueueState {
                next: 1,
                current: 0,
                chunks: (0..chunks).map(|_| ChunkText::default()).collect(),
                aborted: false,
                spare: Vec::new(),
            }),
            changed: Condvar::new(),
            window,
        }
    }

    /// How many chunks there are, the frame's own included.
    pub(super) fn chunks(&self) -> usize {
        self.lock().chunks.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(
        &self,
        guard: std::sync::MutexGuard<'a, QueueState>,
    ) -> std::sync::MutexGuard<'a, QueueState> {
        self.changed.wait(guard).unwrap_or_else(|e| e.into_inner())
    }

    /// A printing thread: takes chunks in order while the window allows.
    pub(super) fn work(&self, print_chunk: &PrintChunk<'_>) {
        loop {
            let k = {
                let mut state = self.lock();
                loop {
                    if state.aborted || state.next >= state.chunks.len() {
                        return;
                    }
                    if state.next < state.current.max(1) + self.window {
                        break;
                    }
                    state = self.wait(state);
                }
                state.next += 1;
                state.next - 1
            };
            print_chunk(k);
        }
    }

    /// Hands on a block of chunk `k`'s text, waiting while the chunk holds
    /// too much and is not being written. `false` once printing has
    /// stopped.
    pub(super) fn push(&self, k: usize, block: String) -> bool {
        let mut state = self.lock();
        let Some(chunk) = state.chunks.get_mut(k) else {
            return false;
        };
        chunk.held += block.len();
        chunk.blocks.push_back(block);
        self.changed.notify_all();
        while !state.aborted
            && state.current != k
            && state.chunks.get(k).is_some_and(|c| c.held >= HELD)
        {
            state = self.wait(state);
        }
        !state.aborted
    }

    pub(super) fn finish(&self, k: usize, last: String, whole: bool) {
        let mut state = self.lock();
        if let Some(chunk) = state.chunks.get_mut(k) {
            if !last.is_empty() {
                chunk.held += last.len();
                chunk.blocks.push_back(last);
            }
            chunk.finished = Some(whole);
        }
        self.changed.notify_all();
    }

    /// The next piece of chunk `k`'s text, for the writing thread. A chunk
    /// no thread has taken yet is printed here.
    pub(super) fn next(&self, k: usize, print_chunk: &PrintChunk<'_>) -> Next {
        let mut state = self.lock();
        if state.current != k {
            state.current = k;
            self.changed.notify_all();
        }
        loop {
            let Some(chunk) = state.chunks.get_mut(k) else {
                return Next::Failed;
            };
            if let Some(block) = chunk.blocks.pop_front() {
                chunk.held -= block.len();
                return Next::Block(block);
            }
            match chunk.finished {
                Some(true) => return Next::End,
                Some(false) => return Next::Failed,
                None => {}
            }
            if state.next <= k {
                state.next = k + 1;
                drop(state);
                print_chunk(k);
                state = self.lock();
                continue;
            }
            state = self.wait(state);
        }
    }

    pub(super) fn spare(&self) -> String {
        self.lock()
            .spare
            .pop()
            .unwrap_or_else(|| String::with_capacity(BLOCK + BLOCK / 4))
    }

    pub(super) fn give_back(&self, mut text: String) {
        text.clear();
        let mut state = self.lock();
        // Enough for every chunk that may be under way.
        if state.spare.len() < 4 * (self.window + 1) && text.capacity() <= 2 * BLOCK {
            state.spare.push(text);
        }
    }

    pub(super) fn abort(&self) {
        self.lock().aborted = true;
        self.changed.notify_all();
    }
}
