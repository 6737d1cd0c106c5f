//! Capabilities: what the module may do, most dangerous first, with the
//! imports that need each one and how a runtime grants it. Enter jumps to
//! the import and its callers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, ListState, Paragraph, Row, Wrap};

use super::{
    Context, Cursor, Outcome, Target, View, contains, draw_table, find_row, pane, risk_style,
    selected_style,
};
use crate::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    #[default]
    Table,
    Imports,
}

/// The capabilities view.
#[derive(Debug, Default)]
pub struct Capabilities {
    cursor: Cursor,
    imports: Cursor,
    focus: Focus,
}

impl View for Capabilities {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let Some(analysis) = cx.analysis else {
            return Outcome::Ignored;
        };
        let caps = &analysis.capabilities;
        let imports = caps
            .get(self.cursor.selected)
            .map(|c| c.imports.as_slice())
            .unwrap_or(&[]);
        match (self.focus, action) {
            (Focus::Table, Action::Enter) => match imports.first() {
                Some(&i) => Outcome::Open(Target::Import(i)),
                None => Outcome::Done,
            },
            (Focus::Table, Action::Right) if !imports.is_empty() => {
                self.focus = Focus::Imports;
                self.imports = Cursor::default();
                Outcome::Done
            }
            (Focus::Imports, Action::Left) => {
                self.focus = Focus::Table;
                Outcome::Done
            }
            (Focus::Imports, Action::Enter) => match imports.get(self.imports.selected) {
                Some(&i) => Outcome::Open(Target::Import(i)),
                None => Outcome::Done,
            },
            (Focus::Imports, a) if self.imports.apply(a, imports.len()) => Outcome::Done,
            (Focus::Table, a) if self.cursor.apply(a, caps.len()) => {
                self.imports = Cursor::default();
                Outcome::Done
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let Some(analysis) = cx.analysis else {
            super::draw_message(
                frame,
                area,
                "Capabilities",
                vec![Line::styled(
                    "analysing the call graph…",
                    Style::default().fg(Color::DarkGray),
                )],
            );
            return;
        };
        let caps = &analysis.capabilities;
        let detail_height = (area.height / 2).clamp(6, 14);
        let [top, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)]).areas(area);
        let needed = caps
            .iter()
            .filter(|c| c.reachable && c.risk != "none")
            .count();
        draw_table(
            frame,
            top,
            format!(
                "Capabilities: {needed} used by reachable code, {} in all",
                caps.len()
            ),
            self.focus == Focus::Table,
            &["risk", "capability", "used", "imports", "meaning"],
            &[
                Constraint::Length(8),
                Constraint::Length(15),
                Constraint::Length(4),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
            &mut self.cursor,
            caps,
            |_, c| {
                Row::new(vec![
                    Cell::from(Span::styled(c.risk.clone(), risk_style(&c.risk))),
                    Cell::from(c.name.clone()),
                    Cell::from(if c.reachable {
                        Span::styled("yes", Style::default().fg(Color::Green))
                    } else {
                        Span::styled("no", Style::default().fg(Color::DarkGray))
                    }),
                    Cell::from(format!("{:>7}", c.imports.len())),
                    Cell::from(c.meaning.clone()),
                ])
            },
        );

        let Some(cap) = caps.get(self.cursor.selected) else {
            let mut lines = vec![Line::from(
                "This module imports nothing that needs a capability.",
            )];
            if let Some(line) = &analysis.command_line {
                lines.push(Line::from(format!("Run it with: {line}")));
            }
            super::draw_message(frame, bottom, "Details", lines);
            return;
        };
        let [about, list] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let mut lines = vec![
            Line::from(vec![
                Span::styled(cap.name.clone(), bold),
                Span::raw(format!(": {}", cap.meaning)),
            ]),
            Line::from(vec![
                Span::styled("granted by: ", bold),
                Span::raw(cap.grant.clone()),
            ]),
        ];
        if let Some(line) = &analysis.command_line {
            lines.push(Line::from(vec![
                Span::styled("whole module: ", bold),
                Span::raw(line.clone()),
            ]));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(pane(format!("{} ({})", cap.name, cap.risk), false)),
            about,
        );
        let block = pane(
            "Imports that need it (Enter: callers)",
            self.focus == Focus::Imports,
        );
        let inner = block.inner(list);
        let window = self
            .imports
            .window(usize::from(inner.height), cap.imports.len());
        let items: Vec<ListItem> = cap
            .imports
            .get(window.clone())
            .unwrap_or_default()
            .iter()
            .map(|&i| {
                let name = cx.model.imports.get(i).map_or_else(
                    || format!("import {i}"),
                    |import| format!("{}::{}", import.module, import.name),
                );
                let used = analysis.imports.get(i).is_some_and(|u| u.reachable);
                let mark = if used {
                    Span::styled("● ", Style::default().fg(Color::Green))
                } else {
                    Span::styled("○ ", Style::default().fg(Color::DarkGray))
                };
                let mut spans = vec![mark, Span::raw(name)];
                if cap.possible.contains(&i) {
                    spans.push(Span::styled(
                        " (with some arguments)",
                        Style::default().fg(Color::DarkGray),
                    ));
                }
                ListItem::new(Line::from(spans))
            })
            .collect();
        let mut state = ListState::default();
        if !cap.imports.is_empty() {
            state.select(Some(self.imports.selected - window.start));
        }
        frame.render_stateful_widget(
            List::new(items)
                .block(block)
                .highlight_style(selected_style(self.focus == Focus::Imports)),
            list,
            &mut state,
        );
    }

    fn position(&self, cx: &Context) -> String {
        self.cursor
            .position(cx.analysis.map_or(0, |a| a.capabilities.len()))
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let Some(analysis) = cx.analysis else {
            return false;
        };
        let caps = &analysis.capabilities;
        let found = find_row(caps, self.cursor.selected, forward, skip_current, |c| {
            contains(&c.name, query)
                || contains(&c.meaning, query)
                || c.imports.iter().any(|&i| {
                    cx.model
                        .imports
                        .get(i)
                        .is_some_and(|import| contains(&import.name, query))
                })
        });
        if let Some(row) = found {
            self.focus = Focus::Table;
            self.cursor.select(row, caps.len());
        }
        found.is_some()
    }
}
