//! Sources: the source files the line tables name, largest first; Enter on
//! a file shows its lines (its text, when it can be read) with the code
//! bytes of each; Enter on a line lists the functions and instructions it
//! made; Enter on one of those opens it in the Code view. ← or Backspace
//! goes up a level.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::source_pane::{display_text, place_label, short_path};
use super::{
    CodeSlot, Context, Cursor, Outcome, Slot, Target, View, Wants, contains, draw_message,
    draw_table, find_row, human_size, pane,
};
use crate::action::Action;
use crate::model::{LineInfo, LineRow};

/// Rows of a line's code list taken as on screen before it is drawn.
const PAGE: usize = 64;

/// How deep the view is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Level {
    /// The files.
    #[default]
    Files,
    /// One file's lines.
    Lines,
    /// The code one line made.
    Code,
}

/// One row of a line's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A function with code from the line, and how many bytes.
    Function {
        function: u32,
        bytes: u64,
        start: u64,
    },
    /// An instruction of it, by row of the function's text.
    Instruction {
        function: u32,
        row: usize,
        offset: u64,
    },
    /// Bytes of it whose text is not printed yet (or cannot be).
    Bytes { function: u32, start: u64, end: u64 },
}

/// The sources view.
#[derive(Debug, Default)]
pub struct Sources {
    level: Level,
    /// File ids, largest first.
    order: Vec<u32>,
    files: Cursor,
    /// The file whose lines are shown.
    file: u32,
    /// Lines of `file` that made code, and their bytes, by line.
    with_code: Vec<(u32, u64)>,
    lines: Cursor,
    /// The line to select once the rows are known (the first with code).
    goto_line: Option<u32>,
    /// The line whose code is shown, and its rows.
    line: u32,
    line_rows: Vec<LineRow>,
    code: Cursor,
    /// Function bodies by start: (start, end, function index).
    bodies: Vec<(u64, u64, u32)>,
}

impl Sources {
    fn order(&mut self, lines: &LineInfo) {
        if self.order.len() != lines.files.len() {
            let mut order: Vec<u32> = (0..lines.files.len() as u32).collect();
            let file = |i: &u32| lines.files.get(*i as usize);
            order.sort_by(|a, b| {
                let (fa, fb) = (file(a), file(b));
                let bytes = |f: Option<&crate::model::SourceFile>| f.map_or(0, |f| f.bytes);
                let name = |f: Option<&crate::model::SourceFile>| f.map(|f| f.name.clone());
                bytes(fb)
                    .cmp(&bytes(fa))
                    .then_with(|| name(fa).cmp(&name(fb)))
            });
            self.order = order;
        }
    }

    fn bodies(&mut self, cx: &Context) {
        if self.bodies.is_empty() {
            let mut bodies: Vec<(u64, u64, u32)> = cx
                .model
                .functions
                .iter()
                .filter(|f| f.import.is_none() && f.size > 0)
                .map(|f| (f.offset, f.offset + f.size, f.index))
                .collect();
            bodies.sort_unstable();
            self.bodies = bodies;
        }
    }

    /// The function whose body holds `offset`.
    fn function_at(&self, offset: u64) -> Option<u32> {
        let i = self.bodies.partition_point(|b| b.0 <= offset);
        let &(start, end, f) = self.bodies.get(i.checked_sub(1)?)?;
        (start..end).contains(&offset).then_some(f)
    }

    /// Opens a file's lines.
    fn open_file(&mut self, file: u32, lines: &LineInfo) {
        if self.file != file || self.with_code.is_empty() {
            let mut bytes: std::collections::BTreeMap<u32, u64> = Default::default();
            for row in lines.rows.iter().filter(|r| r.file == file) {
                *bytes.entry(row.line).or_default() += row.end - row.start;
            }
            self.with_code = bytes.into_iter().collect();
            self.file = file;
            self.lines = Cursor::default();
            // The first line with code (line 0, code with no line, only
            // when there is nothing else).
            self.goto_line = self
                .with_code
                .iter()
                .find(|&&(line, _)| line > 0)
                .or(self.with_code.first())
                .map(|&(line, _)| line);
        }
        self.level = Level::Lines;
    }

    /// Opens the code of one line.
    fn open_line(&mut self, line: u32, lines: &LineInfo) {
        if self.line != line || self.line_rows.is_empty() {
            self.line_rows = lines
                .rows
                .iter()
                .filter(|r| r.file == self.file && r.line == line)
                .copied()
                .collect();
            self.line = line;
            self.code = Cursor::default();
        }
        self.level = Level::Code;
    }

    /// The rows of the lines table: every line of the text when it is
    /// there, else the lines with code. Each is (line, code bytes).
    fn line_rows(&self, cx: &Context) -> Vec<(u32, u64)> {
        match cx.text_of(self.file) {
            Slot::Ready(text) => {
                let last = self.with_code.last().map_or(0, |&(l, _)| l as usize);
                let count = text.lines.len().max(last);
                let mut code = self.with_code.iter().peekable();
                // Line 0, code with no line, comes first when there is any.
                let first = u32::from(self.with_code.first().is_none_or(|&(l, _)| l > 0));
                (first..=count as u32)
                    .map(|line| {
                        while code.next_if(|&&(l, _)| l < line).is_some() {}
                        let bytes = code.next_if(|&&(l, _)| l == line).map_or(0, |&(_, b)| b);
                        (line, bytes)
                    })
                    .collect()
            }
            _ => self.with_code.clone(),
        }
    }

    /// Whether the lines table has its final rows (the text arrived or
    /// cannot be read).
    fn lines_final(&self, cx: &Context) -> bool {
        !matches!(cx.text_of(self.file), Slot::Pending)
    }

    /// Selects the line `goto_line` asked for, once the rows are final.
    fn arrive(&mut self, cx: &Context, rows: &[(u32, u64)]) {
        let Some(line) = self.goto_line else { return };
        if let Some(row) = rows.iter().position(|&(l, _)| l == line) {
            self.lines.select(row, rows.len());
            self.lines.offset = row.saturating_sub(self.lines.height / 3);
        }
        if self.lines_final(cx) {
            self.goto_line = None;
        }
    }

    /// The rows of the code list: each function with code from the line,
    /// then its instructions from the line (or its bytes, while its text
    /// is being printed).
    fn entries(&self, cx: &Context) -> Vec<Entry> {
        let mut by_function: Vec<(u32, Vec<LineRow>)> = Vec::new();
        for row in &self.line_rows {
            let Some(f) = self.function_at(row.start) else {
                continue;
            };
            // Rows are in code order, so a function's rows are together.
            match by_function.last_mut() {
                Some((g, rows)) if *g == f => rows.push(*row),
                _ => by_function.push((f, vec![*row])),
            }
        }
        let mut entries = Vec::new();
        for (function, rows) in by_function {
            let bytes = rows.iter().map(|r| r.end - r.start).sum();
            let start = rows.first().map_or(0, |r| r.start);
            entries.push(Entry::Function {
                function,
                bytes,
                start,
            });
            match cx.code_of(function) {
                CodeSlot::Ready(code) => {
                    for (row, line) in code.lines.iter().enumerate() {
                        if let Some(offset) = line.offset
                            && rows.iter().any(|r| (r.start..r.end).contains(&offset))
                        {
                            entries.push(Entry::Instruction {
                                function,
                                row,
                                offset,
                            });
                        }
                    }
                }
                _ => entries.extend(rows.iter().map(|r| Entry::Bytes {
                    function,
                    start: r.start,
                    end: r.end,
                })),
            }
        }
        entries
    }

    fn draw_files(&mut self, frame: &mut Frame, area: Rect, lines: &LineInfo) {
        self.order(lines);
        let attributed: u64 = lines.files.iter().map(|f| f.bytes).sum();
        let title = format!(
            "Sources: {}, {} of {} code bytes, from {}",
            plural(lines.files.len() as u64, "file"),
            attributed,
            lines.code_bytes,
            lines.origin
        );
        let area = if lines.notes.is_empty() {
            area
        } else {
            let height = (lines.notes.len() as u16 + 2).min(area.height / 3);
            let [table, notes] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
            let text: Vec<Line> = lines.notes.iter().map(|n| Line::from(n.clone())).collect();
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(pane("Notes", false)),
                notes,
            );
            table
        };
        let code_bytes = lines.code_bytes.max(1);
        let name_width = usize::from(area.width.saturating_sub(2 + 10 + 7 + 6 + 6 + 4));
        draw_table(
            frame,
            area,
            title,
            true,
            &["bytes", "share", "funcs", "lines", "file"],
            &[
                Constraint::Length(10),
                Constraint::Length(7),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Fill(1),
            ],
            &mut self.files,
            &self.order,
            |_, &id| {
                let Some(file) = lines.files.get(id as usize) else {
                    return Row::default();
                };
                let share = file.bytes as f64 * 100.0 / code_bytes as f64;
                Row::new(vec![
                    Cell::from(format!("{:>10}", human_size(file.bytes))),
                    Cell::from(format!("{share:>6.1}%")),
                    Cell::from(format!("{:>6}", file.functions)),
                    Cell::from(format!("{:>6}", file.lines)),
                    Cell::from(short_path(&file.name, name_width.max(10))),
                ])
            },
        );
    }

    fn draw_lines(&mut self, frame: &mut Frame, area: Rect, cx: &Context, lines: &LineInfo) {
        let name = lines.file_name(self.file).to_string();
        let rows = self.line_rows(cx);
        let bytes: u64 = self.with_code.iter().map(|&(_, b)| b).sum();
        let text = cx.text_of(self.file);
        let area = match text {
            Slot::Failed(e) => {
                let [note, table] =
                    Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(area);
                frame.render_widget(
                    Paragraph::new(Line::styled(e.clone(), Style::default().fg(Color::Red)))
                        .wrap(Wrap { trim: true })
                        .block(pane("The file's text", false)),
                    note,
                );
                table
            }
            _ => area,
        };
        let counts = format!(
            ": {} lines made {}",
            self.with_code.iter().filter(|&&(l, _)| l > 0).count(),
            plural(bytes, "byte")
        );
        let room = usize::from(area.width).saturating_sub(counts.len() + 4);
        let title = format!("{}{counts}", short_path(&name, room.max(12)));
        // Rows are measured before the first draw: keep the cursor's page.
        self.lines.height = usize::from(area.height.saturating_sub(3));
        self.arrive(cx, &rows);
        let texts = text.ready();
        let dim = Style::default().fg(Color::DarkGray);
        draw_table(
            frame,
            area,
            title,
            true,
            &["line", "bytes", "text"],
            &[
                Constraint::Length(6),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
            &mut self.lines,
            &rows,
            |_, &(line, bytes)| {
                if line == 0 {
                    return Row::new(vec![
                        Cell::from(Span::styled("     -", dim)),
                        Cell::from(Span::styled(
                            format!("{bytes:>7}"),
                            Style::default().fg(Color::Yellow),
                        )),
                        Cell::from(Span::styled(
                            "(code made for the file with no line of its own)",
                            dim,
                        )),
                    ]);
                }
                let text = texts
                    .and_then(|t| t.lines.get(line as usize - 1))
                    .map(|l| display_text(l))
                    .unwrap_or_default();
                // Lines that made no code are dimmed: the eye finds the
                // code among comments and blank lines.
                let (number, bytes) = if bytes == 0 {
                    (Span::styled(format!("{line:>6}"), dim), Cell::from(""))
                } else {
                    (
                        Span::raw(format!("{line:>6}")),
                        Cell::from(Span::styled(
                            format!("{bytes:>7}"),
                            Style::default().fg(Color::Yellow),
                        )),
                    )
                };
                Row::new(vec![Cell::from(number), bytes, Cell::from(text)])
            },
        );
    }

    fn draw_code(&mut self, frame: &mut Frame, area: Rect, cx: &Context, lines: &LineInfo) {
        let name = lines.file_name(self.file).to_string();
        let [head, list] =
            Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
        let text = cx
            .text_of(self.file)
            .ready()
            .and_then(|t| t.lines.get((self.line as usize).checked_sub(1)?))
            .map(|l| display_text(l).trim().to_string());
        let room = usize::from(area.width.saturating_sub(4));
        let head_title = match self.line {
            0 => short_path(&name, room),
            line => short_path(&format!("{name}:{line}"), room),
        };
        let head_line = match text {
            Some(text) if self.line > 0 => Line::from(text),
            _ if self.line == 0 => Line::styled(
                "(code made for the file with no line of its own)",
                Style::default().fg(Color::DarkGray),
            ),
            _ => Line::styled(
                "(the text of the line is not at hand)",
                Style::default().fg(Color::DarkGray),
            ),
        };
        frame.render_widget(
            Paragraph::new(head_line).block(pane(head_title, false)),
            head,
        );
        self.bodies(cx);
        let entries = self.entries(cx);
        let functions = entries
            .iter()
            .filter(|e| matches!(e, Entry::Function { .. }))
            .count();
        let bytes: u64 = self.line_rows.iter().map(|r| r.end - r.start).sum();
        let title = format!(
            "Code of {}: {} in {}",
            place_label(&name, self.line, usize::MAX),
            plural(bytes, "byte"),
            plural(functions as u64, "function"),
        );
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let dim = Style::default().fg(Color::DarkGray);
        draw_table(
            frame,
            list,
            title,
            true,
            &["offset", "code"],
            &[Constraint::Length(9), Constraint::Fill(1)],
            &mut self.code,
            &entries,
            |_, entry| match *entry {
                Entry::Function {
                    function, bytes, ..
                } => Row::new(vec![
                    Cell::from(""),
                    Cell::from(Span::styled(
                        format!(
                            "{} (func {function}): {bytes} bytes",
                            cx.function_name(function)
                        ),
                        bold,
                    )),
                ]),
                Entry::Instruction {
                    function,
                    row,
                    offset,
                } => {
                    let text = match cx.code_of(function) {
                        CodeSlot::Ready(code) => code
                            .lines
                            .get(row)
                            .map(|l| l.text().trim().to_string())
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    Row::new(vec![
                        Cell::from(Span::styled(format!("{offset:08x}"), dim)),
                        Cell::from(format!("  {text}")),
                    ])
                }
                Entry::Bytes {
                    function,
                    start,
                    end,
                } => {
                    let what = match cx.code_of(function) {
                        CodeSlot::Failed(e) => e.to_string(),
                        _ => "printing…".to_string(),
                    };
                    Row::new(vec![
                        Cell::from(Span::styled(format!("{start:08x}"), dim)),
                        Cell::from(Span::styled(
                            format!("  {} bytes; {what}", end - start),
                            dim,
                        )),
                    ])
                }
            },
        );
    }
}

/// `1 byte`, `42 bytes`.
fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl View for Sources {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let Some(lines) = cx.line_info() else {
            return Outcome::Ignored;
        };
        self.bodies(cx);
        match self.level {
            Level::Files => {
                self.order(lines);
                match action {
                    Action::Enter | Action::Right => {
                        if let Some(&file) = self.order.get(self.files.selected) {
                            self.open_file(file, lines);
                        }
                        Outcome::Done
                    }
                    a if self.files.apply(a, self.order.len()) => Outcome::Done,
                    _ => Outcome::Ignored,
                }
            }
            Level::Lines => {
                let rows = self.line_rows(cx);
                self.arrive(cx, &rows);
                match action {
                    Action::Left => {
                        self.back();
                        Outcome::Done
                    }
                    Action::Enter | Action::Right => {
                        if let Some(&(line, bytes)) = rows.get(self.lines.selected)
                            && bytes > 0
                        {
                            self.open_line(line, lines);
                        }
                        Outcome::Done
                    }
                    a if self.lines.apply(a, rows.len()) => {
                        self.goto_line = None;
                        Outcome::Done
                    }
                    _ => Outcome::Ignored,
                }
            }
            Level::Code => {
                let entries = self.entries(cx);
                match action {
                    Action::Left => {
                        self.back();
                        Outcome::Done
                    }
                    Action::Enter | Action::Right => match entries.get(self.code.selected) {
                        Some(&Entry::Function {
                            function, start, ..
                        }) => Outcome::Open(Target::Code(function, start)),
                        Some(&Entry::Instruction {
                            function, offset, ..
                        }) => Outcome::Open(Target::Code(function, offset)),
                        Some(&Entry::Bytes {
                            function, start, ..
                        }) => Outcome::Open(Target::Code(function, start)),
                        None => Outcome::Done,
                    },
                    a if self.code.apply(a, entries.len()) => Outcome::Done,
                    _ => Outcome::Ignored,
                }
            }
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let dim = Style::default().fg(Color::DarkGray);
        let lines = match cx.lines {
            Slot::Pending => {
                let text = vec![Line::styled("reading the line tables…", dim)];
                draw_message(frame, area, "Sources", text);
                return;
            }
            Slot::Failed(e) => {
                let text = vec![
                    Line::from("The line tables cannot be read:"),
                    Line::styled(e.clone(), Style::default().fg(Color::Red)),
                ];
                draw_message(frame, area, "Sources", text);
                return;
            }
            Slot::Ready(lines) => lines,
        };
        if lines.is_empty() {
            let why = lines
                .missing
                .clone()
                .unwrap_or_else(|| "the line tables name no code".to_string());
            let mut text = vec![
                Line::from(format!("No source files: {why}.")),
                Line::from(""),
                Line::styled(
                    "Modules built with debug info (clang -g, Rust's debug = \"line-tables-only\", \
                     a source map) name the files and lines their code came from. When that is in \
                     another file, give it with --debug-file or --source-map.",
                    dim,
                ),
            ];
            for note in &lines.notes {
                text.push(Line::from(""));
                text.push(Line::styled(format!("note: {note}"), dim));
            }
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(pane("Sources: none", false)),
                area,
            );
            return;
        }
        match self.level {
            Level::Files => self.draw_files(frame, area, lines),
            Level::Lines => self.draw_lines(frame, area, cx, lines),
            Level::Code => self.draw_code(frame, area, cx, lines),
        }
    }

    fn position(&self, cx: &Context) -> String {
        if cx.line_info().is_none() {
            return String::new();
        }
        match self.level {
            Level::Files => self.files.position(self.order.len()),
            Level::Lines => match self.line_rows(cx).get(self.lines.selected) {
                Some(&(0, _)) => "no line".to_string(),
                Some(&(line, _)) => format!("line {line}"),
                None => String::new(),
            },
            Level::Code if self.line == 0 => "no line".to_string(),
            Level::Code => format!("line {}", self.line),
        }
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let Some(lines) = cx.line_info() else {
            return false;
        };
        match self.level {
            Level::Files => {
                self.order(lines);
                let found = find_row(
                    &self.order,
                    self.files.selected,
                    forward,
                    skip_current,
                    |&f| contains(lines.file_name(f), query),
                );
                if let Some(row) = found {
                    self.files.select(row, self.order.len());
                }
                found.is_some()
            }
            Level::Lines => {
                let rows = self.line_rows(cx);
                let text = cx.text_of(self.file).ready();
                let found = find_row(
                    &rows,
                    self.lines.selected,
                    forward,
                    skip_current,
                    |&(l, _)| {
                        l.to_string() == query
                            || text
                                .and_then(|t| t.lines.get((l as usize).checked_sub(1)?))
                                .is_some_and(|t| contains(t, query))
                    },
                );
                if let Some(row) = found {
                    self.goto_line = None;
                    self.lines.select(row, rows.len());
                }
                found.is_some()
            }
            Level::Code => {
                let entries = self.entries(cx);
                let found =
                    find_row(
                        &entries,
                        self.code.selected,
                        forward,
                        skip_current,
                        |e| match *e {
                            Entry::Function { function, .. } => {
                                contains(&cx.function_name(function), query)
                            }
                            Entry::Instruction { function, row, .. } => {
                                match cx.code_of(function) {
                                    CodeSlot::Ready(code) => code
                                        .lines
                                        .get(row)
                                        .is_some_and(|l| contains(&l.text(), query)),
                                    _ => false,
                                }
                            }
                            Entry::Bytes { .. } => false,
                        },
                    );
                if let Some(row) = found {
                    self.code.select(row, entries.len());
                }
                found.is_some()
            }
        }
    }

    fn wants(&self, cx: &Context) -> Wants {
        let mut wants = Wants::default();
        match self.level {
            Level::Files => {}
            Level::Lines => wants.files.push(self.file),
            Level::Code => {
                wants.files.push(self.file);
                // The functions on screen (a page from the top before the
                // first draw), whose instructions are listed once printed.
                let page = self.code.height.max(PAGE);
                let entries = self.entries(cx);
                let mut functions: Vec<u32> = entries
                    .iter()
                    .skip(self.code.offset)
                    .take(page)
                    .map(|e| match *e {
                        Entry::Function { function, .. }
                        | Entry::Instruction { function, .. }
                        | Entry::Bytes { function, .. } => function,
                    })
                    .collect();
                functions.dedup();
                wants.functions = functions;
            }
        }
        wants
    }

    fn back(&mut self) -> bool {
        match self.level {
            Level::Files => false,
            Level::Lines => {
                self.level = Level::Files;
                true
            }
            Level::Code => {
                self.level = Level::Lines;
                true
            }
        }
    }
}
