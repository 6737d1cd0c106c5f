//! Exports: what the module offers its host; Enter on a function shows its
//! code.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::{Context, Cursor, Outcome, Target, View, contains, draw_table, find_row};
use crate::action::Action;

/// The exports view.
#[derive(Debug, Default)]
pub struct Exports {
    cursor: Cursor,
}

impl View for Exports {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let exports = &cx.model.exports;
        if self.cursor.apply(action, exports.len()) {
            return Outcome::Done;
        }
        match action {
            Action::Enter => match exports.get(self.cursor.selected).and_then(|e| e.function) {
                Some(f) => Outcome::Open(Target::Function(f)),
                None => Outcome::Done,
            },
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let exports = &cx.model.exports;
        draw_table(
            frame,
            area,
            format!("Exports: {} (Enter on a function: its code)", exports.len()),
            true,
            &["name", "kind", "function", "type"],
            &[
                Constraint::Fill(2),
                Constraint::Length(7),
                Constraint::Fill(2),
                Constraint::Fill(2),
            ],
            &mut self.cursor,
            exports,
            |_, e| {
                Row::new(vec![
                    Cell::from(e.name.clone()),
                    Cell::from(e.kind.clone()),
                    Cell::from(e.function.map(|f| cx.function_name(f)).unwrap_or_default()),
                    Cell::from(e.ty.clone()),
                ])
            },
        );
    }

    fn position(&self, cx: &Context) -> String {
        self.cursor.position(cx.model.exports.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let exports = &cx.model.exports;
        let found = find_row(
            exports,
            self.cursor.selected,
            forward,
            skip_current,
            |item| contains(&item.name, query),
        );
        if let Some(row) = found {
            self.cursor.select(row, exports.len());
        }
        found.is_some()
    }
}
