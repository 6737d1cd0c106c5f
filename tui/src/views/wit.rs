//! WIT: a component's world, its imported and exported interfaces. Enter
//! on an interface lists its functions (with the core code behind each:
//! where nested modules call an import, which function an export is lifted
//! from) and its types; Enter on a function goes to that code.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{Context, Cursor, Outcome, Target, View, contains, draw_table, find_row, pane};
use crate::action::Action;
use crate::model::{Wit, WitFunction, WitItem, WitPlace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    #[default]
    Functions,
    Types,
}

/// The WIT view.
#[derive(Debug, Default)]
pub struct WitView {
    items: Cursor,
    /// The interface opened with Enter, by position.
    open: Option<usize>,
    functions: Cursor,
    types: Cursor,
    focus: Focus,
}

/// Where Enter on a function goes: its first place in core code.
fn target(place: &WitPlace) -> Target {
    match place.import {
        Some(import) => Target::NestedImport(place.module, import),
        None => Target::NestedFunction(place.module, place.function),
    }
}

impl WitView {
    fn item<'a>(&self, wit: &'a Wit) -> Option<&'a WitItem> {
        wit.items.get(self.open?)
    }
}

impl View for WitView {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let Some(wit) = cx.analysis.and_then(|a| a.wit.as_ref()) else {
            return Outcome::Ignored;
        };
        let Some(item) = self.item(wit) else {
            if self.items.apply(action, wit.items.len()) {
                return Outcome::Done;
            }
            return match action {
                Action::Enter | Action::Right if !wit.items.is_empty() => {
                    self.open = Some(self.items.selected);
                    self.functions = Cursor::default();
                    self.types = Cursor::default();
                    self.focus = if wit
                        .items
                        .get(self.items.selected)
                        .is_some_and(|i| i.functions.is_empty())
                    {
                        Focus::Types
                    } else {
                        Focus::Functions
                    };
                    Outcome::Done
                }
                _ => Outcome::Ignored,
            };
        };
        match (self.focus, action) {
            (Focus::Functions, Action::Enter) => {
                match item
                    .functions
                    .get(self.functions.selected)
                    .and_then(|f| f.places.first())
                {
                    Some(place) => Outcome::Open(target(place)),
                    None => Outcome::Done,
                }
            }
            (Focus::Functions, Action::Right) if !item.types.is_empty() => {
                self.focus = Focus::Types;
                Outcome::Done
            }
            (Focus::Types, Action::Left) if !item.functions.is_empty() => {
                self.focus = Focus::Functions;
                Outcome::Done
            }
            (Focus::Functions, Action::Left) | (Focus::Types, Action::Left) => {
                self.open = None;
                Outcome::Done
            }
            (Focus::Functions, a) if self.functions.apply(a, item.functions.len()) => Outcome::Done,
            (Focus::Types, a) if self.types.apply(a, item.types.len()) => Outcome::Done,
            _ => Outcome::Ignored,
        }
    }

    fn back(&mut self) -> bool {
        self.open.take().is_some()
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let wit = match (cx.model.component.is_some(), cx.analysis) {
            (false, _) => {
                return super::draw_message(
                    frame,
                    area,
                    "WIT",
                    vec![Line::from(
                        "This is a core module, not a component: it has no WIT world.",
                    )],
                );
            }
            (true, None) => {
                return super::draw_message(
                    frame,
                    area,
                    "WIT",
                    vec![Line::styled(
                        "reading the WIT and the wiring…",
                        Style::default().fg(Color::DarkGray),
                    )],
                );
            }
            (true, Some(analysis)) => match &analysis.wit {
                Some(wit) => wit,
                None => {
                    return super::draw_message(
                        frame,
                        area,
                        "WIT",
                        vec![Line::from("The component's WIT could not be read.")],
                    );
                }
            },
        };
        match self.item(wit) {
            None => self.draw_world(frame, area, wit),
            Some(item) => {
                let item = item.clone();
                self.draw_item(frame, area, &item);
            }
        }
    }

    fn position(&self, cx: &Context) -> String {
        let Some(wit) = cx.analysis.and_then(|a| a.wit.as_ref()) else {
            return String::new();
        };
        match (self.item(wit), self.focus) {
            (None, _) => self.items.position(wit.items.len()),
            (Some(item), Focus::Functions) => self.functions.position(item.functions.len()),
            (Some(item), Focus::Types) => self.types.position(item.types.len()),
        }
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let Some(wit) = cx.analysis.and_then(|a| a.wit.as_ref()) else {
            return false;
        };
        let Some(item) = self.item(wit) else {
            let found = find_row(
                &wit.items,
                self.items.selected,
                forward,
                skip_current,
                |i| contains(&i.name, query),
            );
            if let Some(row) = found {
                self.items.select(row, wit.items.len());
            }
            return found.is_some();
        };
        let found = match self.focus {
            Focus::Functions => find_row(
                &item.functions,
                self.functions.selected,
                forward,
                skip_current,
                |f| contains(&f.name, query) || contains(&f.signature, query),
            )
            .map(|row| self.functions.select(row, item.functions.len())),
            Focus::Types => find_row(
                &item.types,
                self.types.selected,
                forward,
                skip_current,
                |t| contains(&t.name, query),
            )
            .map(|row| self.types.select(row, item.types.len())),
        };
        found.is_some()
    }
}

impl WitView {
    fn draw_world(&mut self, frame: &mut Frame, area: Rect, wit: &Wit) {
        let imports = wit.items.iter().filter(|i| !i.export).count();
        draw_table(
            frame,
            area,
            format!(
                "World {}: {imports} imports, {} exports (Enter: functions and types)",
                wit.world,
                wit.items.len() - imports
            ),
            true,
            &["", "interface", "functions", "types", "reached"],
            &[
                Constraint::Length(6),
                Constraint::Fill(1),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Length(7),
            ],
            &mut self.items,
            &wit.items,
            |_, item| {
                let reached = item
                    .functions
                    .iter()
                    .filter(|f| !f.reach.is_empty())
                    .count();
                Row::new(vec![
                    Cell::from(if item.export { "export" } else { "import" }),
                    Cell::from(item.name.clone()),
                    Cell::from(format!("{:>9}", item.functions.len())),
                    Cell::from(format!("{:>5}", item.types.len())),
                    Cell::from(if item.export {
                        String::new()
                    } else {
                        format!("{reached:>7}")
                    }),
                ])
            },
        );
    }

    fn draw_item(&mut self, frame: &mut Frame, area: Rect, item: &WitItem) {
        let types_height = if item.types.is_empty() {
            0
        } else {
            (item.types.len() as u16 + 3).min(area.height / 3)
        };
        let [functions, detail, types] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(types_height),
        ])
        .areas(area);
        let side = if item.export { "export" } else { "import" };
        draw_table(
            frame,
            functions,
            format!(
                "{side} {}: {} functions (Enter: its code, ←: back)",
                item.name,
                item.functions.len()
            ),
            self.focus == Focus::Functions,
            &["function", "signature", "core code"],
            &[
                Constraint::Percentage(30),
                Constraint::Fill(1),
                Constraint::Percentage(25),
            ],
            &mut self.functions,
            &item.functions,
            |_, f| {
                Row::new(vec![
                    Cell::from(f.name.clone()),
                    Cell::from(f.signature.clone()),
                    Cell::from(places(f)),
                ])
            },
        );
        let selected = item.functions.get(self.functions.selected);
        frame.render_widget(
            Paragraph::new(detail_lines(selected, item.export))
                .wrap(Wrap { trim: false })
                .block(pane("function", false)),
            detail,
        );
        if types_height > 0 {
            draw_table(
                frame,
                types,
                format!("types: {}", item.types.len()),
                self.focus == Focus::Types,
                &["type", "kind", "definition"],
                &[
                    Constraint::Percentage(25),
                    Constraint::Length(9),
                    Constraint::Fill(1),
                ],
                &mut self.types,
                &item.types,
                |_, t| {
                    Row::new(vec![
                        Cell::from(t.name.clone()),
                        Cell::from(t.kind.clone()),
                        Cell::from(t.text.clone()),
                    ])
                },
            );
        }
    }
}

/// Where a function's core code is, in a few words.
fn places(f: &WitFunction) -> String {
    match f.places.as_slice() {
        [] => "-".to_string(),
        [one] => place(one),
        [first, rest @ ..] => format!("{} (+{})", place(first), rest.len()),
    }
}

fn place(p: &WitPlace) -> String {
    match p.import {
        Some(_) => format!("{} import {}", p.label, p.function),
        None => format!("{} func {}", p.label, p.function),
    }
}

/// The selected function: its capability and what reaches it, or what it
/// reaches.
fn detail_lines(f: Option<&WitFunction>, export: bool) -> Vec<Line<'static>> {
    let Some(f) = f else {
        return vec![Line::styled(
            "no functions: this interface only defines types",
            Style::default().fg(Color::DarkGray),
        )];
    };
    let dim = Style::default().fg(Color::DarkGray);
    let mut lines = vec![Line::from(vec![
        Span::raw(f.name.clone()),
        Span::raw(": "),
        Span::raw(f.signature.clone()),
    ])];
    if let Some(cap) = &f.capability {
        lines.push(Line::from(vec![
            Span::styled("needs ", dim),
            Span::raw(cap.clone()),
        ]));
    }
    let (label, none) = if export {
        ("reaches ", "reaches no import")
    } else {
        ("reached from ", "no export reaches it")
    };
    lines.push(if f.reach.is_empty() {
        Line::styled(none, dim)
    } else {
        Line::from(vec![
            Span::styled(label, dim),
            Span::raw(f.reach.join(", ")),
        ])
    });
    lines
}
