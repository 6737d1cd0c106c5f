//! Code: one function as text, with byte offsets and colour; Enter on a call
//! follows it, Backspace goes back, and its callers and callees are listed
//! beside it. With line tables, each instruction whose source line differs
//! from the one above is marked with its `file:line`, and a source pane
//! under the code (S shows or hides it) shows the selected instruction's
//! line in its file.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::source_pane::{SourcePlace, draw_source, place_label};
use super::{
    CodeSlot, Context, Cursor, Outcome, Target, View, Wants, find_row, pane, selected_style,
};
use crate::action::Action;
use crate::model::{Code, LineInfo, Token};

/// Which pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    #[default]
    Text,
    Calls,
}

/// The code view.
#[derive(Debug, Default)]
pub struct CodeView {
    function: Option<u32>,
    cursor: Cursor,
    calls: Cursor,
    focus: Focus,
    /// An input offset whose line is selected once the code is there.
    goto: Option<u64>,
    /// Whether the source pane is hidden (it is shown when there are
    /// line tables).
    hide_source: bool,
    /// The widest `file:line` mark of the function, once measured.
    marks: Option<(u32, usize)>,
}

/// Rows the code keeps when the source pane is under it: below this the
/// pane is left out.
const MIN_CODE_ROWS: u16 = 8;

impl CodeView {
    /// The function shown.
    pub fn function(&self) -> Option<u32> {
        self.function
    }

    /// Shows `function` from its first line.
    pub fn open(&mut self, function: u32) {
        self.restore(function, Cursor::default());
    }

    /// Shows `function` with the instruction at input offset `offset`
    /// selected (or the first one after it).
    pub fn open_at(&mut self, function: u32, offset: u64) {
        self.open(function);
        self.goto = Some(offset);
    }

    /// Shows `function` with the cursor where it was.
    pub fn restore(&mut self, function: u32, cursor: Cursor) {
        self.function = Some(function);
        self.cursor = cursor;
        self.calls = Cursor::default();
        self.focus = Focus::Text;
        self.goto = None;
    }

    /// Whether the source pane is shown (when there are line tables).
    pub fn shows_source(&self) -> bool {
        !self.hide_source
    }

    /// Selects the line `goto` asked for, once the code is there, in the
    /// middle of a window of `height` rows.
    fn arrive(&mut self, cx: &Context, height: usize) {
        let (Some(_), CodeSlot::Ready(code)) = (self.goto, cx.code) else {
            return;
        };
        let row = self.selected_row(code);
        self.goto = None;
        self.cursor.select(row, code.lines.len());
        self.cursor.offset = row.saturating_sub(height / 2);
    }

    /// The selected row, or the one `goto` will select.
    fn selected_row(&self, code: &Code) -> usize {
        let Some(offset) = self.goto else {
            return self.cursor.selected;
        };
        let lines = &code.lines;
        lines
            .iter()
            .position(|l| l.offset == Some(offset))
            .or_else(|| {
                lines
                    .iter()
                    .position(|l| l.offset.is_some_and(|o| o >= offset))
            })
            .unwrap_or(self.cursor.selected)
    }

    /// The source line the selected instruction came from, or else the
    /// nearest one above it (or below, at the top of a function).
    fn source_place(&self, code: &Code, lines: &LineInfo) -> Option<SourcePlace> {
        let at = |row: usize| {
            let offset = code.lines.get(row)?.offset?;
            lines
                .at(offset)
                .filter(|r| r.line > 0)
                .map(|r| (r.file, r.line))
        };
        let selected = self.selected_row(code);
        if let Some((file, line)) = at(selected) {
            return Some(SourcePlace {
                file,
                line,
                exact: true,
            });
        }
        let before = (0..selected).rev().find_map(at);
        let after = || (selected + 1..code.lines.len()).find_map(at);
        let (file, line) = before.or_else(after)?;
        Some(SourcePlace {
            file,
            line,
            exact: false,
        })
    }

    /// The line the source pane shows. Until the function's text is
    /// printed (a large one takes a while), the pane shows the function's
    /// first line with code, or the line of the instruction asked for, so
    /// that it is there in the first frame.
    fn pane_place(&self, cx: &Context, lines: &LineInfo) -> Option<SourcePlace> {
        if let CodeSlot::Ready(code) = cx.code {
            return self.source_place(code, lines);
        }
        let function = cx.model.functions.get(self.function? as usize)?;
        let body = function.offset..function.offset.saturating_add(function.size);
        let from = self.goto.filter(|o| body.contains(o)).unwrap_or(body.start);
        let row = lines.within(from..body.end).iter().find(|r| r.line > 0)?;
        Some(SourcePlace {
            file: row.file,
            line: row.line,
            exact: self.goto.is_some_and(|o| row.start <= o && o < row.end),
        })
    }

    /// Whether the source pane is drawn.
    fn source_shown(&self, cx: &Context) -> bool {
        !self.hide_source && cx.line_info().is_some() && !matches!(cx.code, CodeSlot::Failed(_))
    }

    /// The function shown and the cursor in it, to come back to.
    pub fn state(&self) -> Option<(u32, Cursor)> {
        self.function.map(|f| (f, self.cursor))
    }

    /// Callers then callees of the shown function: (is caller, function).
    fn calls(&self, cx: &Context) -> Vec<(bool, u32)> {
        let (Some(f), Some(a)) = (self.function, cx.analysis) else {
            return Vec::new();
        };
        let f = f as usize;
        let callers = a.callers.get(f).into_iter().flatten().map(|&c| (true, c));
        let callees = a.callees.get(f).into_iter().flatten().map(|&c| (false, c));
        callers.chain(callees).collect()
    }
}

fn token_style(token: Token) -> Style {
    match token {
        Token::Plain => Style::default(),
        Token::Keyword => Style::default().fg(Color::Magenta),
        Token::Name => Style::default().fg(Color::Cyan),
        Token::Literal => Style::default().fg(Color::Red),
        Token::Type => Style::default().fg(Color::Green),
        Token::Comment => Style::default().fg(Color::DarkGray),
    }
}

/// The `file:line` of a code line, when the line tables cover its offset.
fn line_of(code: &Code, row: usize, lines: &LineInfo) -> Option<(u32, u32)> {
    let offset = code.lines.get(row)?.offset?;
    lines.at(offset).map(|r| (r.file, r.line))
}

/// The marks beside the code: `file:line` where the source line changes
/// from the code line above.
fn mark_lines(
    code: &Code,
    lines: &LineInfo,
    window: std::ops::Range<usize>,
    selected: usize,
    focused: bool,
    width: usize,
) -> Vec<Line<'static>> {
    let dim = Style::default().fg(Color::DarkGray);
    window
        .map(|row| {
            let here = line_of(code, row, lines);
            let above = row.checked_sub(1).and_then(|r| line_of(code, r, lines));
            let text = match here {
                Some((file, line)) if here != above => {
                    place_label(lines.file_name(file), line, width)
                }
                _ => String::new(),
            };
            let mut l = Line::from(Span::styled(format!(" {text:>width$}"), dim));
            if row == selected {
                l = l.style(selected_style(focused));
            }
            l
        })
        .collect()
}

/// The width of the widest mark of a function.
fn widest_mark(code: &Code, lines: &LineInfo) -> usize {
    (0..code.lines.len())
        .filter_map(|row| line_of(code, row, lines))
        .map(|(file, line)| place_label(lines.file_name(file), line, usize::MAX).len())
        .max()
        .unwrap_or(0)
}

fn code_lines(
    code: &Code,
    window: std::ops::Range<usize>,
    selected: usize,
    focused: bool,
) -> Vec<Line<'static>> {
    code.lines
        .get(window.clone())
        .unwrap_or_default()
        .iter()
        .zip(window)
        .map(|(line, row)| {
            let offset = line
                .offset
                .map_or_else(|| " ".repeat(9), |o| format!("{o:08x} "));
            let mut spans = vec![Span::styled(offset, Style::default().fg(Color::DarkGray))];
            for (token, text) in &line.spans {
                let mut style = token_style(*token);
                if line.target.is_some() && *token == Token::Name {
                    style = style.add_modifier(Modifier::UNDERLINED);
                }
                spans.push(Span::styled(text.clone(), style));
            }
            let mut l = Line::from(spans);
            if row == selected {
                l = l.style(selected_style(focused));
            }
            l
        })
        .collect()
}

impl View for CodeView {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let height = self.cursor.height;
        self.arrive(cx, height);
        let calls = self.calls(cx);
        match (self.focus, action) {
            (_, Action::ToggleSource) => {
                self.hide_source = !self.hide_source;
                Outcome::Done
            }
            (_, Action::Right) if !calls.is_empty() => {
                self.focus = Focus::Calls;
                Outcome::Done
            }
            (_, Action::Left) => {
                self.focus = Focus::Text;
                Outcome::Done
            }
            (Focus::Calls, Action::Enter) => match calls.get(self.calls.selected) {
                Some(&(_, f)) => Outcome::Open(Target::Function(f)),
                None => Outcome::Done,
            },
            (Focus::Calls, a) if self.calls.apply(a, calls.len()) => Outcome::Done,
            (Focus::Text, Action::Enter) => {
                let target = match cx.code {
                    CodeSlot::Ready(code) => {
                        code.lines.get(self.cursor.selected).and_then(|l| l.target)
                    }
                    _ => None,
                };
                match target {
                    Some(f) => Outcome::Open(Target::Function(f)),
                    None => Outcome::Done,
                }
            }
            (Focus::Text, a) => {
                let len = match cx.code {
                    CodeSlot::Ready(code) => code.lines.len(),
                    _ => 0,
                };
                if self.cursor.apply(a, len) {
                    Outcome::Done
                } else {
                    Outcome::Ignored
                }
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let Some(function) = self.function else {
            let lines = vec![
                Line::from("No function chosen yet."),
                Line::from(
                    "Pick one in Functions (2), Imports (4) or Exports (6) and press Enter.",
                ),
            ];
            super::draw_message(frame, area, "Code", lines);
            return;
        };
        let side = if area.width >= 100 { 36 } else { 26 };
        let [left, side_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(side)]).areas(area);
        let source_rows = ((left.height + 3) * 2 / 5).max(5);
        let with_source = self.source_shown(cx) && left.height >= MIN_CODE_ROWS + source_rows;
        let (text_area, source_area) = if with_source {
            let [text, source] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(source_rows)])
                    .areas(left);
            (text, Some(source))
        } else {
            (left, None)
        };
        let name = cx.function_name(function);
        let title = format!("Code: {name} (func {function})");
        let block = pane(title, self.focus == Focus::Text);
        let inner = block.inner(text_area);
        self.arrive(cx, usize::from(inner.height));
        let mut marks = None;
        let lines = match cx.code {
            CodeSlot::Ready(code) => {
                let window = self
                    .cursor
                    .window(usize::from(inner.height), code.lines.len());
                let focused = self.focus == Focus::Text;
                if let Some(lines) = cx.line_info() {
                    let widest = match self.marks {
                        Some((f, width)) if f == function => width,
                        _ => {
                            let width = widest_mark(code, lines);
                            self.marks = Some((function, width));
                            width
                        }
                    };
                    let width = widest.min(usize::from(inner.width / 4).max(10));
                    if widest > 0 {
                        let text = mark_lines(
                            code,
                            lines,
                            window.clone(),
                            self.cursor.selected,
                            focused,
                            width,
                        );
                        marks = Some((text, width as u16 + 1));
                    }
                }
                code_lines(code, window, self.cursor.selected, focused)
            }
            CodeSlot::Loading | CodeSlot::Empty => vec![Line::styled(
                "printing…",
                Style::default().fg(Color::DarkGray),
            )],
            CodeSlot::Failed(message) => vec![Line::styled(
                message.to_string(),
                Style::default().fg(Color::Red),
            )],
        };
        match marks {
            Some((marks, width)) => {
                frame.render_widget(block, text_area);
                let [code_area, marks_area] =
                    Layout::horizontal([Constraint::Fill(1), Constraint::Length(width)])
                        .areas(inner);
                frame.render_widget(Paragraph::new(lines), code_area);
                frame.render_widget(Paragraph::new(marks), marks_area);
            }
            None => frame.render_widget(Paragraph::new(lines).block(block), text_area),
        }
        if let (Some(area), Some(lines)) = (source_area, cx.line_info()) {
            draw_source(frame, area, cx, self.pane_place(cx, lines));
        }

        let calls = self.calls(cx);
        let block = pane("Callers ← / callees →", self.focus == Focus::Calls);
        let inner = block.inner(side_area);
        let window = self.calls.window(usize::from(inner.height), calls.len());
        let items: Vec<ListItem> = if cx.analysis.is_none() {
            vec![ListItem::new(Span::styled(
                "analysing…",
                Style::default().fg(Color::DarkGray),
            ))]
        } else if calls.is_empty() {
            vec![ListItem::new(Span::styled(
                "no direct calls",
                Style::default().fg(Color::DarkGray),
            ))]
        } else {
            calls
                .get(window.clone())
                .unwrap_or_default()
                .iter()
                .map(|&(caller, f)| {
                    let (arrow, color) = if caller {
                        ("← ", Color::Yellow)
                    } else {
                        ("→ ", Color::Cyan)
                    };
                    ListItem::new(Line::from(vec![
                        Span::styled(arrow, Style::default().fg(color)),
                        Span::raw(cx.function_name(f)),
                    ]))
                })
                .collect()
        };
        let list = List::new(items)
            .block(block)
            .highlight_style(selected_style(self.focus == Focus::Calls));
        let mut state = ListState::default();
        if !calls.is_empty() {
            state.select(Some(self.calls.selected - window.start));
        }
        frame.render_stateful_widget(list, side_area, &mut state);
    }

    fn position(&self, cx: &Context) -> String {
        match cx.code {
            CodeSlot::Ready(code) => format!("line {}", self.cursor.position(code.lines.len())),
            _ => String::new(),
        }
    }

    fn wants(&self, cx: &Context) -> Wants {
        let mut wants = Wants::default();
        if let (true, Some(lines)) = (self.source_shown(cx), cx.line_info())
            && let Some(place) = self.pane_place(cx, lines)
        {
            wants.files.push(place.file);
        }
        wants
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let CodeSlot::Ready(code) = cx.code else {
            return false;
        };
        let found = find_row(
            &code.lines,
            self.cursor.selected,
            forward,
            skip_current,
            |line| super::contains(&line.text(), query),
        );
        if let Some(row) = found {
            self.focus = Focus::Text;
            self.cursor.select(row, code.lines.len());
        }
        found.is_some()
    }
}
