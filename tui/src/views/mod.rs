//! The views, one file each, and what they share: the [`View`] trait, a
//! cursor over rows, and the table, hex and style helpers.

use std::collections::HashMap;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use crate::action::Action;
use crate::model::{Analysis, Code, LineInfo, Model, SourceText};
use crate::source::Source;

pub mod capabilities;
pub mod code;
pub mod components;
pub mod customs;
pub mod data;
pub mod exports;
pub mod functions;
pub mod imports;
pub mod overview;
pub mod sections;
pub mod source_pane;
pub mod sources;
pub mod wit;

/// What a view reads while it handles an action or draws.
pub struct Context<'a> {
    /// The module's view model.
    pub model: &'a Model,
    /// The analysis, once it has arrived.
    pub analysis: Option<&'a Analysis>,
    /// Where slow or large data comes from.
    pub source: &'a dyn Source,
    /// The code of the function the Code view shows.
    pub code: CodeSlot<'a>,
    /// What the line tables say, as far as it has been read.
    pub lines: &'a Slot<LineInfo>,
    /// Function texts printed so far, by function index.
    pub codes: &'a HashMap<u32, Slot<Code>>,
    /// Source file texts read so far, by file id.
    pub texts: &'a HashMap<u32, Slot<SourceText>>,
}

/// Something computed on a worker thread.
#[derive(Debug, Default)]
pub enum Slot<T> {
    /// Asked for, not there yet.
    #[default]
    Pending,
    /// There.
    Ready(T),
    /// It failed, and this is why.
    Failed(String),
}

impl<T> Slot<T> {
    /// The value, once it is there.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Slot::Ready(value) => Some(value),
            _ => None,
        }
    }
}

/// What a view needs fetched to draw: function texts and source files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wants {
    /// Functions whose text is needed, by index.
    pub functions: Vec<u32>,
    /// Source files whose text is needed, by id.
    pub files: Vec<u32>,
}

/// The code of one function, as far as it has been fetched.
#[derive(Debug, Clone, Copy, Default)]
pub enum CodeSlot<'a> {
    /// No function is shown.
    #[default]
    Empty,
    /// Being printed on the worker thread.
    Loading,
    /// Printed.
    Ready(&'a Code),
    /// Printing failed.
    Failed(&'a str),
}

impl Context<'_> {
    /// A function's name for display, by index.
    pub fn function_name(&self, index: u32) -> String {
        self.model
            .functions
            .get(index as usize)
            .map_or_else(|| format!("func {index}"), |f| f.name.clone())
    }

    /// The line tables, once read, if they have any line.
    pub fn line_info(&self) -> Option<&LineInfo> {
        self.lines.ready().filter(|l| !l.is_empty())
    }

    /// A function's text, as far as it has been printed.
    pub fn code_of(&self, function: u32) -> CodeSlot<'_> {
        match self.codes.get(&function) {
            None | Some(Slot::Pending) => CodeSlot::Loading,
            Some(Slot::Ready(code)) => CodeSlot::Ready(code),
            Some(Slot::Failed(e)) => CodeSlot::Failed(e),
        }
    }

    /// A source file's text, as far as it has been read.
    pub fn text_of(&self, file: u32) -> &Slot<SourceText> {
        const PENDING: &Slot<SourceText> = &Slot::Pending;
        self.texts.get(&file).unwrap_or(PENDING)
    }
}

/// What handling an action came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The view did not use the action.
    Ignored,
    /// The view used it.
    Done,
    /// The view asks to go somewhere else.
    Open(Target),
}

/// A place another view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A function's code.
    Function(u32),
    /// A function's code at the instruction at an input offset.
    Code(u32, u64),
    /// An import (by position), with its callers.
    Import(usize),
    /// A core module nested in the component.
    Nested(usize),
    /// A function of a nested core module (module position, function).
    NestedFunction(usize, u32),
    /// An import of a nested core module (module position, import
    /// position), with its callers.
    NestedImport(usize, usize),
}

/// One screen of the browser.
pub trait View {
    /// Uses an action, or says it did not.
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome;
    /// Draws the view into `area`.
    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context);
    /// Where the user is, for the status line (`12/140`).
    fn position(&self, cx: &Context) -> String;
    /// Moves to a row matching `query` (case-insensitive), searching
    /// forward or back, starting at the current row or after it. Returns
    /// whether something matched.
    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool;
    /// Whether typing a search filters the rows (instead of jumping).
    fn filters(&self) -> bool {
        false
    }
    /// What the view needs fetched to draw what it shows now.
    fn wants(&self, _cx: &Context) -> Wants {
        Wants::default()
    }
    /// Goes back a step inside the view (up a level); returns whether there
    /// was one, before the app goes back to where the last jump came from.
    fn back(&mut self) -> bool {
        false
    }
}

/// A selected row in a list of `len` rows and the first row on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The selected row.
    pub selected: usize,
    /// The first row shown.
    pub offset: usize,
    /// Rows shown at the last draw (a page).
    pub height: usize,
}

/// Rows the mouse wheel moves.
const WHEEL_ROWS: usize = 3;

impl Cursor {
    /// Moves for a movement action; returns whether it was one.
    pub fn apply(&mut self, action: &Action, len: usize) -> bool {
        let page = self.height.max(1);
        let last = len.saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::ScrollUp => self.selected.saturating_sub(WHEEL_ROWS),
            Action::ScrollDown => (self.selected + WHEEL_ROWS).min(last),
            _ => return false,
        };
        true
    }

    /// Selects row `row` (clamped).
    pub fn select(&mut self, row: usize, len: usize) {
        self.selected = row.min(len.saturating_sub(1));
    }

    /// Fits the window to `height` rows around the selection and returns
    /// the rows to draw.
    pub fn window(&mut self, height: usize, len: usize) -> Range<usize> {
        self.height = height;
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
        self.offset..(self.offset + height).min(len)
    }

    /// `selected/len`, for the status line.
    pub fn position(&self, len: usize) -> String {
        if len == 0 {
            "0/0".to_string()
        } else {
            format!("{}/{len}", self.selected + 1)
        }
    }
}

/// A table above a pane that shows the selected row's contents: Enter or →
/// moves into the pane, ← back to the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct Split {
    /// The table's cursor.
    pub cursor: Cursor,
    /// Whether the pane has the focus.
    pub in_pane: bool,
}

impl Split {
    /// Moves the focus or the table's cursor; `pane` moves inside the pane.
    pub fn handle(
        &mut self,
        action: &Action,
        len: usize,
        pane: impl FnOnce(&Action) -> bool,
    ) -> Outcome {
        let done = match action {
            Action::Enter | Action::Right if !self.in_pane && len > 0 => {
                self.in_pane = true;
                true
            }
            Action::Left if self.in_pane => {
                self.in_pane = false;
                true
            }
            a if self.in_pane => pane(a),
            a => self.cursor.apply(a, len),
        };
        if done {
            Outcome::Done
        } else {
            Outcome::Ignored
        }
    }

    /// Selects a row of the table and gives it the focus.
    pub fn select(&mut self, row: usize, len: usize) {
        self.in_pane = false;
        self.cursor.select(row, len);
    }
}

/// The index of the next row of `rows` (wrapping around) for which
/// `matches` holds.
pub fn find_row<T>(
    rows: &[T],
    from: usize,
    forward: bool,
    skip_current: bool,
    matches: impl Fn(&T) -> bool,
) -> Option<usize> {
    let len = rows.len();
    if len == 0 {
        return None;
    }
    let start = usize::from(skip_current);
    (start..len + start).find_map(|step| {
        let step = step % len;
        let row = if forward {
            (from + step) % len
        } else {
            (from + len - step) % len
        };
        rows.get(row).is_some_and(&matches).then_some(row)
    })
}

/// Whether `text` contains `query`, ignoring case.
pub fn contains(text: &str, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    if text.is_ascii() && query.is_ascii() {
        let q = query.as_bytes();
        return text
            .as_bytes()
            .windows(q.len())
            .any(|w| w.eq_ignore_ascii_case(q));
    }
    text.to_lowercase().contains(&query.to_lowercase())
}

/// The border of a pane: bright when it has the focus.
pub fn pane(title: impl Into<String>, focused: bool) -> Block<'static> {
    let color = if focused {
        Color::Cyan
    } else {
        Color::DarkGray
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(color))
        .title(Span::styled(
            format!(" {} ", title.into()),
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

/// The style of the selected row.
pub fn selected_style(focused: bool) -> Style {
    if focused {
        Style::default()
            .bg(Color::Blue)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// The style of a table header.
pub fn header_style() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// The colour of a risk level.
pub fn risk_style(risk: &str) -> Style {
    match risk {
        "critical" => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        "high" => Style::default().fg(Color::LightRed),
        "medium" => Style::default().fg(Color::Yellow),
        "low" => Style::default().fg(Color::Green),
        _ => Style::default().fg(Color::DarkGray),
    }
}

/// Draws the rows `make_row` builds (from a row's number and item) for the
/// visible part of `items`, with a header, in a bordered pane. Only visible
/// rows are built, so a list of a million functions draws as fast as one of
/// ten.
#[allow(clippy::too_many_arguments)]
pub fn draw_table<'a, T>(
    frame: &mut Frame,
    area: Rect,
    title: String,
    focused: bool,
    header: &[&'a str],
    widths: &[Constraint],
    cursor: &mut Cursor,
    items: &[T],
    make_row: impl Fn(usize, &T) -> Row<'a>,
) {
    let block = pane(title, focused);
    let inner = block.inner(area);
    // One line for the header.
    let height = usize::from(inner.height.saturating_sub(1));
    let len = items.len();
    let window = cursor.window(height, len);
    let rows: Vec<Row> = window
        .clone()
        .zip(items.get(window.clone()).unwrap_or_default())
        .map(|(row, item)| make_row(row, item))
        .collect();
    let header = Row::new(header.iter().copied()).style(header_style());
    let table = Table::new(rows, widths.iter().copied())
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(selected_style(focused));
    let mut state = TableState::default();
    if len > 0 {
        state.select(Some(cursor.selected - window.start));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

/// Draws a message in a bordered pane.
pub fn draw_message(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>) {
    frame.render_widget(
        Paragraph::new(lines).block(pane(title.to_string(), false)),
        area,
    );
}

/// Bytes per hex line that fit in `width` columns.
pub fn hex_width(width: u16) -> usize {
    if width >= 78 { 16 } else { 8 }
}

/// Hex and ASCII lines for `bytes`, which start at input offset `base`.
pub fn hex_lines(bytes: &[u8], base: u64, per_line: usize) -> Vec<Line<'static>> {
    bytes
        .chunks(per_line)
        .enumerate()
        .map(|(i, chunk)| {
            let mut hex = String::with_capacity(per_line * 3 + 1);
            for (j, b) in chunk.iter().enumerate() {
                if j == per_line / 2 {
                    hex.push(' ');
                }
                hex.push_str(&format!("{b:02x} "));
            }
            let width = per_line * 3 + 2;
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            Line::from(vec![
                Span::styled(
                    format!("{:08x}  ", base + (i * per_line) as u64),
                    Style::default().fg(Color::DarkGray),
                ),
                Span::raw(format!("{hex:<width$}")),
                Span::styled(format!("|{ascii}|"), Style::default().fg(Color::Cyan)),
            ])
        })
        .collect()
}

/// A scrollable pane of a byte range as hex and ASCII. Only the lines on
/// screen are read from the source.
#[derive(Debug, Clone, Default)]
pub struct HexPane {
    /// The first line shown, and the page height.
    pub cursor: Cursor,
    /// The range shown.
    pub range: Range<u64>,
    per_line: usize,
}

impl HexPane {
    /// Shows `range` from its start.
    pub fn show(&mut self, range: Range<u64>) {
        if self.range != range {
            self.range = range;
            self.cursor = Cursor::default();
        }
    }

    fn lines(&self) -> usize {
        let len = self.range.end.saturating_sub(self.range.start);
        usize::try_from(len.div_ceil(self.per_line.max(1) as u64)).unwrap_or(usize::MAX)
    }

    /// Scrolls for a movement action; the top line is the selection.
    pub fn apply(&mut self, action: &Action) -> bool {
        let len = self.lines();
        // Before the pane is drawn its height is unknown: stay at the top.
        if self.cursor.height == 0 {
            return matches!(
                action,
                Action::Up | Action::Down | Action::Top | Action::Bottom
            );
        }
        let visible = self.cursor.height;
        let moved = self.cursor.apply(action, len.saturating_sub(visible - 1));
        self.cursor.offset = self.cursor.selected;
        moved
    }

    /// Draws the visible lines.
    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        title: &str,
        focused: bool,
        cx: &Context,
    ) {
        let block = pane(title.to_string(), focused);
        let inner = block.inner(area);
        self.per_line = hex_width(inner.width);
        self.cursor.height = usize::from(inner.height);
        let start = self.range.start + (self.cursor.offset * self.per_line) as u64;
        let end = (start + (self.per_line * self.cursor.height) as u64).min(self.range.end);
        let bytes = if start < end {
            cx.source.bytes(start..end)
        } else {
            Vec::new()
        };
        let lines = if self.range.is_empty() {
            vec![Line::styled(
                "(empty)",
                Style::default().fg(Color::DarkGray),
            )]
        } else {
            hex_lines(&bytes, start, self.per_line)
        };
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

/// A byte count as people read it: `812 B`, `12.4 KiB`, `3.1 MiB`.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = "KiB";
    for larger in ["MiB", "GiB", "TiB"] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = larger;
    }
    format!("{value:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_moves_and_keeps_the_selection_on_screen() {
        let mut c = Cursor::default();
        assert_eq!(c.window(5, 20), 0..5);
        assert!(c.apply(&Action::PageDown, 20));
        assert_eq!(c.selected, 5);
        assert_eq!(c.window(5, 20), 1..6);
        assert!(c.apply(&Action::Bottom, 20));
        assert_eq!(c.window(5, 20), 15..20);
        assert!(c.apply(&Action::Top, 20));
        assert_eq!(c.window(5, 20), 0..5);
        assert!(!c.apply(&Action::Enter, 20));
        // An empty list has nothing to select and nothing to draw.
        let mut empty = Cursor::default();
        assert!(empty.apply(&Action::Down, 0));
        assert_eq!(empty.window(5, 0), 0..0);
        assert_eq!(empty.position(0), "0/0");
    }

    #[test]
    fn find_row_wraps_both_ways() {
        let rows = ["a", "b", "a", "c"];
        let is_a = |row: &&str| *row == "a";
        assert_eq!(find_row(&rows, 0, true, true, is_a), Some(2));
        assert_eq!(find_row(&rows, 2, true, true, is_a), Some(0));
        assert_eq!(find_row(&rows, 0, false, true, is_a), Some(2));
        assert_eq!(find_row(&rows, 1, true, false, |row| *row == "c"), Some(3));
        assert_eq!(find_row(&rows, 1, true, false, |_| false), None);
    }

    #[test]
    fn hex_lines_show_offsets_bytes_and_text() {
        let lines = hex_lines(b"\0asm\x01\0\0\0hello", 0x10, 8);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text[0], "00000010  00 61 73 6d  01 00 00 00  |.asm....|");
        assert_eq!(text[1], "00000018  68 65 6c 6c  6f           |hello|");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(12_700), "12.4 KiB");
        assert_eq!(human_size(3_300_000), "3.1 MiB");
    }
}
