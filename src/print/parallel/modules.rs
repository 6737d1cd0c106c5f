//! The modules the chunks are printed from: a small one per chunk, and the
//! frame (the whole module with its code cut to the first chunk), with the
//! way their offsets map back to the input's.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use wasm_encoder::Encode;
use wasmparser::BinaryReader;

use super::plan::Plan;

/// A module that prints one chunk, and where that chunk's text lies in it.
pub(super) struct ChunkModule {
    pub(super) bytes: Vec<u8>,
    /// Offset of the first body's first byte: the chunk's first line.
    pub(super) first: u64,
    /// Where the chunk's code ends: a line past it is not the chunk's.
    pub(super) end: u64,
    /// What to add to an offset in this module to get the input's.
    pub(super) delta: i64,
}

impl Plan {
    /// The module for chunk `k` (not the first). The parser wants a body
    /// for every function declared, so the functions after the chunk get
    /// empty ones too; the printer is stopped before it reaches them.
    /// `None` if the plan does not fit `bytes`.
    pub(super) fn chunk_module(&self, bytes: &[u8], k: usize) -> Option<ChunkModule> {
        let run = self.chunks.get(k)?.clone();
        let mut out = bytes.get(..8)?.to_vec();
        for range in &self.declarations {
            out.extend_from_slice(bytes.get(range.clone())?);
        }
        let (code, own) = self.code_with(bytes, run.clone())?;
        out.push(10);
        code.len().encode(&mut out);
        let own = out.len() + own.start..out.len() + own.end;
        out.extend_from_slice(&code);
        // An empty custom section: whatever follows the chunk's functions
        // (the module's closing line included) is then past their end.
        out.extend_from_slice(&[0, 1, 0]);
        if let Some(names) = &self.names {
            let first = self.imported + run.start as u32;
            let own_functions = first..self.imported + run.end as u32;
            let mut named: HashSet<u32> = own_functions.clone().collect();
            for body in self.bodies.get(run.clone())? {
                callees(bytes, body.clone(), &mut named);
            }
            out.extend_from_slice(&names.cut(bytes, own_functions, &named)?);
        }
        let delta = self.entries.get(run.start)?.start as i64 - own.start as i64;
        Some(ChunkModule {
            bytes: out,
            first: (self.bodies.get(run.start)?.start as i64 - delta) as u64,
            end: own.end as u64,
            delta,
        })
    }

    /// The contents of a code section with the bodies of `run` as they are
    /// and empty ones for every other function, and where `run`'s entries
    /// lie in it.
    fn code_with(&self, bytes: &[u8], run: Range<usize>) -> Option<(Vec<u8>, Range<usize>)> {
        let entries = self.entries.get(run.clone())?;
        let own = bytes.get(entries.first()?.start..entries.last()?.end)?;
        // An empty body is two bytes (no locals, `end`) after its size.
        const EMPTY: [u8; 3] = [2, 0, 0x0b];
        let mut code = Vec::with_capacity(5 + 3 * self.entries.len() + own.len());
        (self.entries.len() as u32).encode(&mut code);
        for _ in 0..run.start {
            code.extend_from_slice(&EMPTY);
        }
        let start = code.len();
        code.extend_from_slice(own);
        let end = code.len();
        for _ in run.end..self.entries.len() {
            code.extend_from_slice(&EMPTY);
        }
        Some((code, start..end))
    }

    /// Appends the frame's code section: the first chunk's bodies, then
    /// empty ones.
    fn frame_code(&self, bytes: &[u8], frame: &mut Frame) -> Option<()> {
        let run = self.chunks.first()?.clone();
        let (code, own) = self.code_with(bytes, run.clone())?;
        frame.bytes.push(10);
        code.len().encode(&mut frame.bytes);
        let start = frame.bytes.len();
        frame.bytes.extend_from_slice(&code);
        frame.code_end = frame.bytes.len() as u64;
        frame.own_end = (start + own.end) as u64;
        let own_start = (start + own.start) as u64;
        let first = self.entries.get(run.start)?.start;
        frame.pieces.push((own_start, first as u64));
        frame.last = own_start + (self.bodies.get(run)?.last()?.start - first) as u64;
        frame.pieces.push((frame.code_end, self.code.end as u64));
        Some(())
    }

    /// The whole module with only the first chunk's bodies in its code
    /// section and unknown custom sections without their data, and how its
    /// offsets map back to the input. `None` if the plan does not fit
    /// `bytes`.
    pub(super) fn frame(&self, bytes: &[u8]) -> Option<Frame> {
        let mut frame = Frame {
            bytes: bytes.get(..8)?.to_vec(),
            pieces: vec![(0, 0)],
            own_end: 0,
            code_end: 0,
            last: 0,
            stand_ins: HashMap::new(),
        };
        let copy = |frame: &mut Frame, range: Range<usize>| {
            let part = bytes.get(range.clone())?;
            frame
                .pieces
                .push((frame.bytes.len() as u64, range.start as u64));
            frame.bytes.extend_from_slice(part);
            Some(())
        };
        let code_at = self
            .sections
            .iter()
            .position(|s| s.whole.start >= self.code.end)
            .unwrap_or(self.sections.len());
        for (i, section) in self.sections.iter().enumerate() {
            if i == code_at {
                self.frame_code(bytes, &mut frame)?;
            }
            match section.unknown_data {
                Some(data) => {
                    // Id, size, then the name as it is.
                    let mut reader = BinaryReader::new(bytes.get(section.whole.clone())?, 0);
                    let _ = reader.read_u8();
                    let _ = reader.read_var_u32();
                    let content = section.whole.start + reader.current_position();
                    frame.bytes.push(0);
                    (data - content).encode(&mut frame.bytes);
                    let name = content..data;
                    let at = frame.bytes.len() + name.len();
                    copy(&mut frame, name)?;
                    frame.stand_ins.insert(at as u64, data..section.whole.end);
                }
                None => copy(&mut frame, section.whole.clone())?,
            }
        }
        if code_at == self.sections.len() {
            self.frame_code(bytes, &mut frame)?;
        }
        // The module's closing line is at its end.
        frame
            .pieces
            .push((frame.bytes.len() as u64, bytes.len() as u64));
        Some(frame)
    }
}

/// The functions a body calls or takes a reference to: the names its text
/// shows besides its own.
fn callees(bytes: &[u8], body: Range<usize>, into: &mut HashSet<u32>) {
    // The printer meets the same damage and reports it.
    let _ = crate::body::references(bytes, body, |_, reference| {
        if let Some(func) = reference.function() {
            into.insert(func);
        }
    });
}

/// The module the first chunk is printed from, straight to the output:
/// the input with its code cut to that chunk.
pub(super) struct Frame {
    pub(super) bytes: Vec<u8>,
    /// (offset in the frame, offset in the input) where each copied run
    /// of bytes starts, in order.
    pub(super) pieces: Vec<(u64, u64)>,
    /// The end of the first chunk's bodies; empty ones follow.
    pub(super) own_end: u64,
    pub(super) code_end: u64,
    /// The first line of the frame's last function.
    pub(super) last: u64,
    /// Custom sections carried without their data: by where the data
    /// would start in the frame, the data's place in the input.
    pub(super) stand_ins: HashMap<u64, Range<usize>>,
}

impl Frame {
    /// The input's offset for an offset in the frame.
    pub(super) fn to_input(&self, offset: u64) -> u64 {
        let i = self
            .pieces
            .partition_point(|p| p.0 <= offset)
            .saturating_sub(1);
        let (frame, input) = self.pieces.get(i).copied().unwrap_or_default();
        input + (offset - frame)
    }
}
