//! Printed lines in styled pieces, for a viewer that colours text itself
//! (the browser) rather than through ANSI escapes.

use std::io;

use wasmprinter::Print;

/// What a piece of printed text is, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Anything else.
    Plain,
    /// An instruction or keyword.
    Keyword,
    /// A name (`$foo`).
    Name,
    /// A number or string.
    Literal,
    /// A type.
    Type,
    /// A comment.
    Comment,
}

/// One printed line in styled pieces, with the input offset it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyledLine {
    /// The byte offset in the input.
    pub offset: Option<usize>,
    /// The text, in pieces of one style.
    pub pieces: Vec<(Style, String)>,
    /// The function a `call`, `return_call` or `ref.func` on this line names.
    pub target: Option<u32>,
}

impl StyledLine {
    /// The line's plain text.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// A [`Print`] sink that keeps lines in styled pieces.
#[derive(Default)]
pub(super) struct StyledLines {
    pub(super) lines: Vec<StyledLine>,
    style: Option<Style>,
}

impl StyledLines {
    fn set(&mut self, style: Style) -> io::Result<()> {
        self.style = Some(style);
        Ok(())
    }
}

impl Print for StyledLines {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        let s = s.trim_end_matches('\n');
        if s.is_empty() {
            return Ok(());
        }
        let style = self.style.unwrap_or(Style::Plain);
        if self.lines.is_empty() {
            self.start_line(None);
        }
        let Some(line) = self.lines.last_mut() else {
            return Ok(());
        };
        match line.pieces.last_mut() {
            Some((last, text)) if *last == style => text.push_str(s),
            _ => line.pieces.push((style, s.to_string())),
        }
        Ok(())
    }

    fn start_line(&mut self, offset: Option<u64>) {
        self.lines.push(StyledLine {
            offset: offset.and_then(|o| usize::try_from(o).ok()),
            pieces: Vec::new(),
            target: None,
        });
    }

    fn start_literal(&mut self) -> io::Result<()> {
        self.set(Style::Literal)
    }

    fn start_name(&mut self) -> io::Result<()> {
        self.set(Style::Name)
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        self.set(Style::Keyword)
    }

    fn start_type(&mut self) -> io::Result<()> {
        self.set(Style::Type)
    }

    fn start_comment(&mut self) -> io::Result<()> {
        self.set(Style::Comment)
    }

    fn reset_color(&mut self) -> io::Result<()> {
        self.set(Style::Plain)
    }
}
