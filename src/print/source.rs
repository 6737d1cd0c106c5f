//! `print --source`: the source line that made the code, as a comment above
//! the instructions, wherever the line changes (what `objdump -S` does).
//!
//! The line table of the whole code section is read once, before printing,
//! into a plain table that every printing thread can share; notes restart
//! at each function, so a function reads the same whichever thread printed
//! it.

use std::io;
use std::ops::Range;
use std::sync::Arc;

use wasmprinter::Print;

use crate::debuginfo::{DebugInfo, SourceText};
use crate::error::Result;
use crate::index::ModuleIndex;

/// Source lines by code offset, ready for printing.
#[derive(Debug, Default)]
pub struct SourceNotes {
    /// `(start, end, file, line)` in module offsets, sorted and disjoint.
    rows: Vec<(usize, usize, u32, u32)>,
    /// Function bodies, sorted.
    bodies: Vec<Range<usize>>,
    files: Vec<String>,
    texts: Vec<Option<Arc<SourceText>>>,
}

/// Where a printing stream is: the function it is in and the last line it
/// noted there.
#[derive(Debug, Default, Clone)]
pub struct NoteState {
    body: Option<usize>,
    last: Option<(u32, u32)>,
}

impl SourceNotes {
    /// Reads the line table for every function body of a core module.
    pub fn new(debug: &DebugInfo<'_>, index: &ModuleIndex) -> Result<SourceNotes> {
        let bodies: Vec<Range<usize>> = index
            .defined_functions()
            .filter_map(|f| f.body.clone())
            .collect();
        let mut notes = SourceNotes {
            bodies,
            ..SourceNotes::default()
        };
        let (Some(first), Some(last)) = (notes.bodies.first(), notes.bodies.last()) else {
            return Ok(notes);
        };
        let mut ids = std::collections::HashMap::new();
        for row in debug.rows(first.start..last.end)? {
            let (Some(file), true) = (row.file, row.line > 0) else {
                continue;
            };
            let id = *ids.entry(file.clone()).or_insert_with(|| {
                notes.texts.push(debug.source_text(&file));
                notes.files.push(file);
                notes.files.len() as u32 - 1
            });
            notes
                .rows
                .push((row.range.start, row.range.end, id, row.line));
        }
        notes.rows.sort_by_key(|r| r.0);
        Ok(notes)
    }

    /// Whether there is any line to show.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The comment lines to write before the line printed for `offset`,
    /// each ending in a newline: `;; file:line`, then the source line when
    /// the file can be read. Nothing when the line is the one noted last in
    /// the same function.
    pub fn note(&self, offset: usize, state: &mut NoteState) -> Option<String> {
        let body = self
            .bodies
            .partition_point(|b| b.end <= offset)
            .min(self.bodies.len());
        let in_body = self.bodies.get(body).is_some_and(|b| b.contains(&offset));
        if !in_body {
            return None;
        }
        if state.body != Some(body) {
            state.body = Some(body);
            state.last = None;
        }
        let i = self
            .rows
            .partition_point(|r| r.0 <= offset)
            .checked_sub(1)?;
        let &(start, end, file, line) = self.rows.get(i)?;
        if !(start..end).contains(&offset) || state.last == Some((file, line)) {
            return None;
        }
        state.last = Some((file, line));
        let name = self.files.get(file as usize)?;
        let mut text = format!(";; {name}:{line}\n");
        if let Some(source) = self
            .texts
            .get(file as usize)
            .and_then(Option::as_ref)
            .and_then(|t| t.line(line))
        {
            text.push_str(&format!(";; {:>5} | {}\n", line, source.trim_end()));
        }
        Some(text)
    }
}

/// A [`Print`] that writes the source notes in front of each line, in the
/// comment colour, and passes everything else on.
pub(super) struct WithSource<'a, P> {
    pub(super) inner: P,
    notes: Option<&'a SourceNotes>,
    state: NoteState,
    pending: Option<io::Error>,
}

impl<'a, P: Print> WithSource<'a, P> {
    pub(super) fn new(inner: P, notes: Option<&'a SourceNotes>) -> Self {
        WithSource {
            inner,
            notes,
            state: NoteState::default(),
            pending: None,
        }
    }

    fn check(&mut self) -> io::Result<()> {
        match self.pending.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl<P: Print> Print for WithSource<'_, P> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.check()?;
        self.inner.write_str(s)
    }

    fn newline(&mut self) -> io::Result<()> {
        self.check()?;
        self.inner.newline()
    }

    fn start_line(&mut self, offset: Option<u64>) {
        if let (Some(notes), Some(offset)) = (self.notes, offset)
            && let Ok(offset) = usize::try_from(offset)
            && let Some(text) = notes.note(offset, &mut self.state)
        {
            let written = self
                .inner
                .start_comment()
                .and_then(|()| self.inner.write_str(&text))
                .and_then(|()| self.inner.reset_color());
            if let Err(e) = written {
                self.pending = Some(e);
            }
        }
        self.inner.start_line(offset);
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.check()?;
        self.inner.write_fmt(args)
    }

    fn print_custom_section(&mut self, name: &str, offset: u64, data: &[u8]) -> io::Result<bool> {
        self.check()?;
        self.inner.print_custom_section(name, offset, data)
    }

    fn start_literal(&mut self) -> io::Result<()> {
        self.inner.start_literal()
    }

    fn start_name(&mut self) -> io::Result<()> {
        self.inner.start_name()
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        self.inner.start_keyword()
    }

    fn start_type(&mut self) -> io::Result<()> {
        self.inner.start_type()
    }

    fn start_comment(&mut self) -> io::Result<()> {
        self.inner.start_comment()
    }

    fn reset_color(&mut self) -> io::Result<()> {
        self.inner.reset_color()
    }

    fn supports_async_color(&self) -> bool {
        self.inner.supports_async_color()
    }
}
