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

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io;
use std::ops::Range;
use std::sync::{Condvar, Mutex};

use wasm_encoder::Encode;
use wasmparser::{BinaryReader, Operator, Parser, Payload};
use wasmprinter::{Config, Print};

/// How a module's code is shared out, found by [`plan`].
pub(super) struct Plan {
    /// Sections before the code section that every chunk module needs
    /// (types, imports, functions, tables, memories, globals, tags), whole.
    declarations: Vec<Range<usize>>,
    /// The code section, from its id byte to its end.
    code: Range<usize>,
    /// Every section but the code, in order.
    sections: Vec<SectionPlace>,
    /// Each function's entry in the code section (its size, then the body).
    entries: Vec<Range<usize>>,
    /// Each body, after its size.
    bodies: Vec<Range<usize>>,
    /// Imported functions: the first defined function's index.
    imported: u32,
    /// The name section, read for cutting down.
    names: Option<Names>,
    /// Function positions (in code order) of each chunk.
    pub(super) chunks: Vec<Range<usize>>,
}

/// A section and, for an unknown custom section, the offset of its data:
/// the frame carries such a section without its data (DWARF can be most of
/// a module), and the sink prints the data from the input.
struct SectionPlace {
    whole: Range<usize>,
    unknown_data: Option<usize>,
}

/// The name section, split into subsections and, for the ones that name
/// functions, their locals and their labels, into entries.
struct Names {
    subsections: Vec<crate::names::Subsection>,
    /// For a function whose name others share: all of them. wasmprinter
    /// tells such functions apart by their order, so they are kept together.
    shared: HashMap<u32, Vec<u32>>,
}

/// The least code a thread is given at a time: smaller pieces cost more in
/// set-up than they save.
const MIN_CHUNK: usize = 128 * 1024;
/// At most about this many pieces: each repeats the declarations and an
/// empty body for every function before it, so their number is bounded.
const MAX_CHUNKS: usize = 48;

/// Works out how to print `bytes` in chunks of about `chunk_bytes` of code
/// (by default chosen from the code's size), or `None` when it must be printed in one go: not a core module, a single
/// chunk, or anything unusual (a damaged section, code metadata such as
/// branch hints, which are tied to the bodies around them).
pub(super) fn plan(bytes: &[u8], chunk_bytes: Option<usize>) -> Option<Plan> {
    let mut declarations = Vec::new();
    let mut sections = Vec::new();
    let mut code = None;
    let mut entries = Vec::new();
    let mut bodies = Vec::new();
    let mut next_entry = 0;
    let mut imported = 0u32;
    let mut names = None;
    let mut section_start = 8;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.ok()?;
        match &payload {
            Payload::Version { encoding, .. } => {
                if *encoding != wasmparser::Encoding::Module {
                    return None;
                }
                continue;
            }
            Payload::ImportSection(reader) => {
                imported += crate::names::imported_functions(reader)?;
            }
            Payload::CodeSectionStart {
                unchecked_range, ..
            } => {
                if code.is_some() {
                    return None;
                }
                let range = span(unchecked_range.clone())?;
                next_entry = crate::index::first_code_entry(bytes, unchecked_range)?;
                code = Some(section_start..range.end);
                section_start = range.end;
                continue;
            }
            Payload::CodeSectionEntry(body) => {
                let body = span(body.range())?;
                entries.push(next_entry..body.end);
                bodies.push(body.clone());
                next_entry = body.end;
                continue;
            }
            Payload::CustomSection(custom) => {
                if custom.name().starts_with("metadata.code.") {
                    return None;
                }
                let data = usize::try_from(custom.data_offset()).ok()?;
                if custom.name() == "name" {
                    names = Some(Names::read(bytes, data..data + custom.data().len())?);
                }
                // The printer notes a producers or dylink.0 section that does
                // not decode in a comment naming an offset, which in a chunk's
                // module is not the input's: such a module is printed in one go.
                if !decodes(custom) {
                    return None;
                }
                let end = usize::try_from(custom.range().end).ok()?;
                let unknown = matches!(custom.as_known(), wasmparser::KnownCustom::Unknown);
                sections.push(SectionPlace {
                    whole: section_start..end,
                    unknown_data: unknown.then_some(data),
                });
                section_start = end;
                continue;
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            let end = usize::try_from(range.end).ok()?;
            if code.is_none() && matches!(id, 1..=6 | 13) {
                declarations.push(section_start..end);
            }
            sections.push(SectionPlace {
                whole: section_start..end,
                unknown_data: None,
            });
            section_start = end;
        }
    }
    let code = code?;
    let total: usize = bodies.iter().map(|b| b.len()).sum();
    let chunk_bytes = chunk_bytes.unwrap_or_else(|| (total / MAX_CHUNKS).max(MIN_CHUNK));
    let chunks = split(&bodies, chunk_bytes);
    (chunks.len() > 1).then_some(Plan {
        declarations,
        code,
        sections,
        entries,
        bodies,
        imported,
        names,
        chunks,
    })
}

fn span(range: Range<u64>) -> Option<Range<usize>> {
    Some(usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?)
}

/// Cuts the bodies into runs of at least `chunk_bytes` (the last may be
/// shorter).
fn split(bodies: &[Range<usize>], chunk_bytes: usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, body) in bodies.iter().enumerate() {
        size += body.len();
        if size >= chunk_bytes {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < bodies.len() {
        chunks.push(start..bodies.len());
    }
    chunks
}

/// Whether a custom section the printer decodes itself (producers and
/// dylink.0) decodes to its end.
fn decodes(custom: &wasmparser::CustomSectionReader<'_>) -> bool {
    use wasmparser::KnownCustom;
    match custom.as_known() {
        KnownCustom::Producers(reader) => reader
            .into_iter()
            .all(|field| field.is_ok_and(|f| f.values.into_iter().all(|v| v.is_ok()))),
        KnownCustom::Dylink0(reader) => reader.into_iter().all(|sub| sub.is_ok()),
        _ => true,
    }
}

impl Names {
    fn read(bytes: &[u8], data: Range<usize>) -> Option<Names> {
        let subsections = crate::names::subsections(bytes, data)?;
        let mut by_name: HashMap<&str, Vec<u32>> = HashMap::new();
        for sub in subsections.iter().filter(|s| s.id == 1) {
            for (index, entry) in sub.entries.iter().flatten() {
                let name = crate::names::entry_name(bytes, entry.clone())?;
                by_name.entry(name).or_default().push(*index);
            }
        }
        let mut shared = HashMap::new();
        for group in by_name.into_values().filter(|g| g.len() > 1) {
            for &index in &group {
                shared.insert(index, group.clone());
            }
        }
        Some(Names {
            subsections,
            shared,
        })
    }

    /// A name section with the names of `named` functions (and of those
    /// sharing their names), the locals and labels of functions in `own`,
    /// and every other subsection as it is.
    fn cut(&self, bytes: &[u8], own: Range<u32>, named: &HashSet<u32>) -> Option<Vec<u8>> {
        let mut kept: HashSet<u32> = named.clone();
        for index in named {
            if let Some(group) = self.shared.get(index) {
                kept.extend(group);
            }
        }
        let mut content = Vec::new();
        for sub in &self.subsections {
            let Some(entries) = &sub.entries else {
                content.extend_from_slice(bytes.get(sub.raw.clone())?);
                continue;
            };
            let keep = |index: u32| match sub.id {
                1 => kept.contains(&index),
                _ => own.contains(&index),
            };
            let chosen: Vec<&[u8]> = entries
                .iter()
                .filter(|(index, _)| keep(*index))
                .map(|(_, range)| bytes.get(range.clone()))
                .collect::<Option<_>>()?;
            crate::names::push_subsection(&mut content, sub.id, chosen.into_iter());
        }
        Some(crate::names::section(&content))
    }
}

/// A module that prints one chunk, and where that chunk's text lies in it.
struct ChunkModule {
    bytes: Vec<u8>,
    /// Offset of the first body's first byte: the chunk's first line.
    first: u64,
    /// Where the chunk's code ends: a line past it is not the chunk's.
    end: u64,
    /// What to add to an offset in this module to get the input's.
    delta: i64,
}

impl Plan {
    /// The module for chunk `k` (not the first). The parser wants a body
    /// for every function declared, so the functions after the chunk get
    /// empty ones too; the printer is stopped before it reaches them.
    /// `None` if the plan does not fit `bytes`.
    fn chunk_module(&self, bytes: &[u8], k: usize) -> Option<ChunkModule> {
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
    fn frame(&self, bytes: &[u8]) -> Option<Frame> {
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
    let Some(content) = bytes.get(body.clone()) else {
        return;
    };
    let reader = BinaryReader::new(content, body.start as u64);
    let Ok(mut ops) = wasmparser::FunctionBody::new(reader).get_operators_reader() else {
        return;
    };
    while !ops.eof() {
        match ops.read() {
            Ok(
                Operator::Call { function_index }
                | Operator::ReturnCall { function_index }
                | Operator::RefFunc { function_index },
            ) => {
                into.insert(function_index);
            }
            Ok(_) => {}
            // The printer meets the same damage and reports it.
            Err(_) => return,
        }
    }
}

struct Frame {
    bytes: Vec<u8>,
    /// (offset in the frame, offset in the input) where each copied run
    /// of bytes starts, in order.
    pieces: Vec<(u64, u64)>,
    /// The end of the first chunk's bodies; empty ones follow.
    own_end: u64,
    code_end: u64,
    /// The first line of the frame's last function.
    last: u64,
    /// Custom sections carried without their data: by where the data
    /// would start in the frame, the data's place in the input.
    stand_ins: HashMap<u64, Range<usize>>,
}

impl Frame {
    fn to_input(&self, offset: u64) -> u64 {
        let i = self
            .pieces
            .partition_point(|p| p.0 <= offset)
            .saturating_sub(1);
        let (frame, input) = self.pieces.get(i).copied().unwrap_or_default();
        input + (offset - frame)
    }
}

/// Why a parallel print stopped short.
pub(super) enum Failure {
    /// Writing the output failed.
    Output(anyhow::Error),
    /// The module could not be printed; the caller finds out why by
    /// printing it in one go.
    Module,
}

/// Text is handed from a printing thread to the writing one in blocks of
/// about this size.
const BLOCK: usize = 256 * 1024;
/// A chunk that is not being written yet holds at most about this much
/// text; its thread then waits. So memory stays bounded even when a chunk
/// has a huge function.
const HELD: usize = 4 * 1024 * 1024;

/// Prints `bytes` as planned, on `jobs` threads, into `sink`, which must
/// print every unknown custom section itself (given the input's offsets
/// and data): the frame carries them empty.
pub(super) fn print<P: Print>(
    bytes: &[u8],
    plan: &Plan,
    config: &Config,
    offsets: bool,
    jobs: usize,
    sink: P,
) -> Result<P, Failure> {
    let frame = plan.frame(bytes).ok_or(Failure::Module)?;
    let queue = Queue::new(plan.chunks.len(), jobs + 1);
    let print_chunk = |k: usize| {
        let Some(module) = plan.chunk_module(bytes, k) else {
            queue.finish(k, String::new(), false);
            return;
        };
        let mut capture = Capture {
            text: queue.spare(),
            queue: &queue,
            k,
            first: module.first,
            end: module.end,
            delta: module.delta,
            offsets,
            state: CaptureState::Before,
            newline: false,
            annotation: None,
        };
        let result = config.print(&module.bytes, &mut capture);
        let done = match capture.state {
            CaptureState::Done => true,
            CaptureState::Inside => result.is_ok(),
            CaptureState::Before => false,
        };
        let text = std::mem::take(&mut capture.text);
        queue.finish(k, text, done);
    };
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
        let mut sink = Stitch {
            inner: sink,
            input: bytes,
            frame: &frame,
            offsets,
            place: Place::Own,
            seen_last: false,
            newline: false,
            pending: None,
            annotation: None,
            chunk_failed: false,
            queue: &queue,
            print_chunk: &print_chunk,
        };
        let mut result = config.print(&frame.bytes, &mut sink);
        if result.is_ok() && sink.newline {
            result = sink.inner.newline().map_err(anyhow::Error::from);
        }
        queue.abort();
        match result {
            _ if sink.chunk_failed => Err(Failure::Module),
            Ok(()) if sink.place == Place::After => Ok(sink.inner),
            Ok(()) => Err(Failure::Module),
            Err(e) if e.chain().any(|c| c.downcast_ref::<io::Error>().is_some()) => {
                Err(Failure::Output(e))
            }
            Err(_) => Err(Failure::Module),
        }
    })
}

/// Chunks waiting to be printed, and printed text waiting to be written.
struct Queue {
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
    blocks: std::collections::VecDeque<String>,
    held: usize,
    /// `Some(true)` printed whole, `Some(false)` the printer failed.
    finished: Option<bool>,
}

/// What the writing thread gets next from a chunk.
enum Next {
    Block(String),
    End,
    Failed,
}

type PrintChunk<'a> = dyn Fn(usize) + Sync + 'a;

impl Queue {
    fn new(chunks: usize, window: usize) -> Queue {
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
    fn work(&self, print_chunk: &PrintChunk<'_>) {
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
    fn push(&self, k: usize, block: String) -> bool {
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

    fn finish(&self, k: usize, last: String, whole: bool) {
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
    fn next(&self, k: usize, print_chunk: &PrintChunk<'_>) -> Next {
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

    fn spare(&self) -> String {
        self.lock()
            .spare
            .pop()
            .unwrap_or_else(|| String::with_capacity(BLOCK + BLOCK / 4))
    }

    fn give_back(&self, mut text: String) {
        text.clear();
        let mut state = self.lock();
        // Enough for every chunk that may be under way.
        if state.spare.len() < 4 * (self.window + 1) && text.capacity() <= 2 * BLOCK {
            state.spare.push(text);
        }
    }

    fn abort(&self) {
        self.lock().aborted = true;
        self.changed.notify_all();
    }
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

/// Where the frame's printer is, for [`Stitch`].
#[derive(PartialEq)]
enum Place {
    /// Before the end of the frame's own functions.
    Own,
    /// In the empty bodies standing for the other chunks: not written.
    Stand,
    /// After the code.
    After,
}

/// The frame's sink: passes the frame's text on (offsets moved back to the
/// input's), writes the other chunks where the frame's own functions end,
/// and drops the empty bodies that stand for them.
struct Stitch<'a, P> {
    inner: P,
    input: &'a [u8],
    frame: &'a Frame,
    offsets: bool,
    place: Place,
    seen_last: bool,
    /// Whether the printer asked for a newline that is not written yet.
    newline: bool,
    /// A failure in `start_line`, which cannot return one: given back by
    /// the next write.
    pending: Option<io::Error>,
    annotation: Option<u64>,
    chunk_failed: bool,
    queue: &'a Queue,
    print_chunk: &'a PrintChunk<'a>,
}

impl<P: Print> Stitch<'_, P> {
    /// Writes the other chunks' texts, in order.
    fn drain(&mut self) -> io::Result<()> {
        self.place = Place::Stand;
        let chunks = self.queue.lock().chunks.len();
        for k in 1..chunks {
            loop {
                match self.queue.next(k, self.print_chunk) {
                    Next::Block(text) => {
                        self.inner.write_str(&text)?;
                        self.queue.give_back(text);
                    }
                    Next::End => break,
                    Next::Failed => {
                        self.chunk_failed = true;
                        return Err(io::Error::other("a chunk could not be printed"));
                    }
                }
            }
        }
        Ok(())
    }

    fn check(&mut self) -> io::Result<()> {
        match self.pending.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn passing(&mut self) -> io::Result<bool> {
        self.check()?;
        Ok(self.place != Place::Stand)
    }
}

impl<P: Print> Print for Stitch<'_, P> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        if self.passing()? {
            self.inner.write_str(s)?;
        }
        Ok(())
    }

    fn newline(&mut self) -> io::Result<()> {
        // Written in `start_line`, once it is known whose line it is.
        self.check()?;
        self.newline = true;
        Ok(())
    }

    fn start_line(&mut self, offset: Option<u64>) {
        let past = |end: u64| offset.is_none_or(|o| o > end);
        if self.place == Place::Own
            && self.seen_last
            && past(self.frame.own_end)
            && let Err(e) = self.drain()
        {
            self.pending = Some(e);
            return;
        }
        // The empty bodies end where the code does; the module's closing
        // line may be there too.
        if self.place == Place::Stand {
            if offset.is_some_and(|o| o < self.frame.code_end) {
                self.newline = false;
                return;
            }
            self.place = Place::After;
        }
        if offset == Some(self.frame.last) {
            self.seen_last = true;
        }
        // The very first line has no newline and no offset written.
        let newline = std::mem::take(&mut self.newline);
        if newline && let Err(e) = self.inner.newline() {
            self.pending = Some(e);
            return;
        }
        let offset = offset.map(|o| self.frame.to_input(o));
        self.inner.start_line(offset);
        if self.offsets && newline {
            self.annotation = offset;
        }
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        if !self.passing()? {
            return Ok(());
        }
        match self.annotation.take() {
            Some(offset) => write!(self.inner, "(;@{offset:<6x};)"),
            None => self.inner.write_fmt(args),
        }
    }

    fn start_literal(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_literal()?;
        }
        Ok(())
    }

    fn start_name(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_name()?;
        }
        Ok(())
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_keyword()?;
        }
        Ok(())
    }

    fn start_type(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_type()?;
        }
        Ok(())
    }

    fn start_comment(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_comment()?;
        }
        Ok(())
    }

    fn reset_color(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.reset_color()?;
        }
        Ok(())
    }

    fn print_custom_section(&mut self, name: &str, offset: u64, data: &[u8]) -> io::Result<bool> {
        self.check()?;
        // A custom section is past the code: every chunk goes before it.
        if self.place == Place::Own && self.seen_last {
            self.drain()?;
        }
        if self.place == Place::Stand {
            self.place = Place::After;
        }
        match self.frame.stand_ins.get(&offset) {
            Some(data) => {
                let start = data.start as u64;
                let Some(content) = self.input.get(data.clone()) else {
                    self.chunk_failed = true;
                    return Err(io::Error::other("a custom section is out of bounds"));
                };
                if self.inner.print_custom_section(name, start, content)? {
                    Ok(true)
                } else {
                    self.chunk_failed = true;
                    Err(io::Error::other("a custom section was not printed"))
                }
            }
            None => {
                let offset = self.frame.to_input(offset);
                self.inner.print_custom_section(name, offset, data)
            }
        }
    }
}
