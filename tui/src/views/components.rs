//! Components: a component's own imports and exports, and its nested core
//! modules, each of which opens in the browser.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::{
    Context, Cursor, Outcome, Target, View, contains, draw_table, find_row, human_size, pane,
};
use crate::action::Action;

/// The components view.
#[derive(Debug, Default)]
pub struct Components {
    cursor: Cursor,
}

impl View for Components {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let Some(component) = &cx.model.component else {
            return Outcome::Ignored;
        };
        let len = component.modules.len();
        if self.cursor.apply(action, len) {
            return Outcome::Done;
        }
        match action {
            Action::Enter if len > 0 => Outcome::Open(Target::Nested(self.cursor.selected)),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let Some(component) = &cx.model.component else {
            super::draw_message(
                frame,
                area,
                "Component",
                vec![Line::from(
                    "This is a core module, not a component: it has no nested modules.",
                )],
            );
            return;
        };
        let [items, modules] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let [imports, exports] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(items);
        let list = |list: &[(String, String)]| -> Vec<Line<'static>> {
            list.iter()
                .map(|(name, kind)| {
                    Line::from(vec![
                        Span::styled(format!("{kind:<9} "), Style::default().fg(Color::DarkGray)),
                        Span::raw(name.clone()),
                    ])
                })
                .collect()
        };
        frame.render_widget(
            Paragraph::new(list(&component.imports)).block(pane(
                format!("Component imports: {}", component.imports.len()),
                false,
            )),
            imports,
        );
        frame.render_widget(
            Paragraph::new(list(&component.exports)).block(pane(
                format!("Component exports: {}", component.exports.len()),
                false,
            )),
            exports,
        );
        let nested = &component.modules;
        draw_table(
            frame,
            modules,
            format!("Nested core modules: {} (Enter: open)", nested.len()),
            true,
            &["#", "module", "role", "size", "functions", "imports"],
            &[
                Constraint::Length(3),
                Constraint::Fill(1),
                Constraint::Length(14),
                Constraint::Length(10),
                Constraint::Length(9),
                Constraint::Length(7),
            ],
            &mut self.cursor,
            nested,
            |row, m| {
                Row::new(vec![
                    Cell::from(row.to_string()),
                    Cell::from(m.label.clone()),
                    Cell::from(m.role.clone().unwrap_or_default()),
                    Cell::from(format!("{:>10}", human_size(m.size))),
                    Cell::from(format!("{:>9}", m.functions)),
                    Cell::from(format!("{:>7}", m.imports)),
                ])
            },
        );
    }

    fn position(&self, cx: &Context) -> String {
        self.cursor
            .position(cx.model.component.as_ref().map_or(0, |c| c.modules.len()))
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let Some(component) = &cx.model.component else {
            return false;
        };
        let modules = &component.modules;
        let found = find_row(
            modules,
            self.cursor.selected,
            forward,
            skip_current,
            |item| contains(&item.label, query),
        );
        if let Some(row) = found {
            self.cursor.select(row, modules.len());
        }
        found.is_some()
    }
}
