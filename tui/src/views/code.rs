//! Code: one function as text, with byte offsets and colour; Enter on a call
//! follows it, Backspace goes back, and its callers and callees are listed
//! beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{CodeSlot, Context, Cursor, Outcome, Target, View, find_row, pane, selected_style};
use crate::action::Action;
use crate::model::{Code, Token};

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
}

impl CodeView {
    /// The function shown.
    pub fn function(&self) -> Option<u32> {
        self.function
    }

    /// Shows `function` from its first line.
    pub fn open(&mut self, function: u32) {
        self.restore(function, Cursor::default());
    }

    /// Shows `function` with the cursor where it was.
    pub fn restore(&mut self, function: u32, cursor: Cursor) {
        self.function = Some(function);
        self.cursor = cursor;
        self.calls = Cursor::default();
        self.focus = Focus::Text;
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
        let calls = self.calls(cx);
        match (self.focus, action) {
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
        let [text_area, side_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(side)]).areas(area);
        let name = cx.function_name(function);
        let title = format!("Code: {name} (func {function})");
        let block = pane(title, self.focus == Focus::Text);
        let inner = block.inner(text_area);
        let lines = match cx.code {
            CodeSlot::Ready(code) => {
                let window = self
                    .cursor
                    .window(usize::from(inner.height), code.lines.len());
                code_lines(
                    code,
                    window,
                    self.cursor.selected,
                    self.focus == Focus::Text,
                )
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
        frame.render_widget(Paragraph::new(lines).block(block), text_area);

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
