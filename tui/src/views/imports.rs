//! Imports: grouped by module, each with its type, the capabilities it needs
//! and whether reachable code uses it; Enter lists the functions that call it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, ListState, Row};

use super::{
    Context, Cursor, Outcome, Target, View, contains, draw_table, find_row, pane, selected_style,
};
use crate::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    #[default]
    Table,
    Callers,
}

/// The imports view.
#[derive(Debug, Default)]
pub struct Imports {
    cursor: Cursor,
    callers: Cursor,
    focus: Focus,
    /// Import positions, grouped by module (first appearance order).
    order: Vec<usize>,
}

impl Imports {
    fn order(&mut self, cx: &Context) -> &[usize] {
        if self.order.len() != cx.model.imports.len() {
            let imports = &cx.model.imports;
            let mut modules: Vec<&str> = Vec::new();
            for i in imports {
                if !modules.contains(&i.module.as_str()) {
                    modules.push(&i.module);
                }
            }
            let mut order: Vec<(Option<usize>, usize)> = imports
                .iter()
                .enumerate()
                .map(|(i, import)| (modules.iter().position(|m| *m == import.module), i))
                .collect();
            order.sort_unstable();
            self.order = order.into_iter().map(|(_, i)| i).collect();
        }
        &self.order
    }

    /// Selects the import at `position` and shows its callers.
    pub fn select(&mut self, position: usize, cx: &Context) {
        let order = self.order(cx).to_vec();
        if let Some(row) = order.iter().position(|&i| i == position) {
            self.cursor.select(row, order.len());
            self.callers = Cursor::default();
            self.focus = if self.callers(cx).is_empty() {
                Focus::Table
            } else {
                Focus::Callers
            };
        }
    }

    fn selected(&mut self, cx: &Context) -> Option<usize> {
        let row = self.cursor.selected;
        self.order(cx).get(row).copied()
    }

    fn callers(&mut self, cx: &Context) -> Vec<u32> {
        let function = self
            .selected(cx)
            .and_then(|i| cx.model.imports.get(i)?.function);
        match (function, cx.analysis) {
            (Some(f), Some(a)) => a.callers.get(f as usize).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl View for Imports {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let len = self.order(cx).len();
        let callers = self.callers(cx);
        match (self.focus, action) {
            (Focus::Table, Action::Enter | Action::Right) if !callers.is_empty() => {
                self.focus = Focus::Callers;
                self.callers = Cursor::default();
                Outcome::Done
            }
            (Focus::Callers, Action::Left) => {
                self.focus = Focus::Table;
                Outcome::Done
            }
            (Focus::Callers, Action::Enter) => match callers.get(self.callers.selected) {
                Some(&f) => Outcome::Open(Target::Function(f)),
                None => Outcome::Done,
            },
            (Focus::Callers, a) if self.callers.apply(a, callers.len()) => Outcome::Done,
            (Focus::Table, a) if self.cursor.apply(a, len) => {
                self.callers = Cursor::default();
                Outcome::Done
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let order = self.order(cx).to_vec();
        let callers = self.callers(cx);
        let bottom = (area.height / 3).clamp(4, 12);
        let [top, bottom_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom)]).areas(area);
        let imports = &cx.model.imports;
        let analysis = cx.analysis;
        let reachable = imports
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                analysis
                    .and_then(|a| a.imports.get(*i))
                    .is_some_and(|u| u.reachable)
            })
            .count();
        let title = match analysis {
            Some(_) => format!(
                "Imports: {} ({reachable} used by reachable code)",
                imports.len()
            ),
            None => format!("Imports: {} (analysing…)", imports.len()),
        };
        let wide = area.width >= 110;
        let mut widths = vec![
            Constraint::Length(if wide { 24 } else { 14 }),
            Constraint::Fill(2),
            Constraint::Length(5),
            Constraint::Fill(1),
        ];
        let mut header = vec!["module", "name", "used", "capabilities"];
        if wide {
            widths.push(Constraint::Fill(2));
            header.push("type");
        }
        // The first row on screen names its module even inside a group.
        let first = {
            let mut probe = self.cursor;
            probe
                .window(usize::from(top.height.saturating_sub(3)), order.len())
                .start
        };
        draw_table(
            frame,
            top,
            title,
            self.focus == Focus::Table,
            &header,
            &widths,
            &mut self.cursor,
            &order,
            |row, &i| {
                let Some(import) = imports.get(i) else {
                    return Row::default();
                };
                // The module is written once per group.
                let same_group = row > first
                    && order
                        .get(row - 1)
                        .and_then(|&previous| imports.get(previous))
                        .is_some_and(|previous| previous.module == import.module);
                let module = if same_group {
                    String::new()
                } else {
                    import.module.clone()
                };
                let (used, caps) = match analysis.and_then(|a| a.imports.get(i)) {
                    Some(u) => (
                        if u.reachable {
                            Span::styled("yes", Style::default().fg(Color::Green))
                        } else {
                            Span::styled("no", Style::default().fg(Color::DarkGray))
                        },
                        u.capabilities.join(", "),
                    ),
                    None => (Span::raw("…"), "…".to_string()),
                };
                let mut cells = vec![
                    Cell::from(module),
                    Cell::from(format!("{} ({})", import.name, import.kind)),
                    Cell::from(used),
                    Cell::from(caps),
                ];
                if wide {
                    cells.push(Cell::from(import.ty.clone()));
                }
                Row::new(cells)
            },
        );

        let selected = order
            .get(self.cursor.selected)
            .and_then(|&i| imports.get(i));
        let title = match selected {
            // The table has no room for the type on a narrow screen.
            Some(i) if !wide => format!(
                "Called by ({}): {}::{} {}",
                callers.len(),
                i.module,
                i.name,
                i.ty
            ),
            Some(i) => format!("Called by ({}): {}::{}", callers.len(), i.module, i.name),
            None => "Called by".to_string(),
        };
        let block = pane(title, self.focus == Focus::Callers);
        let inner = block.inner(bottom_area);
        let window = self
            .callers
            .window(usize::from(inner.height), callers.len());
        let items: Vec<ListItem> = if analysis.is_none() {
            vec![ListItem::new(Span::styled(
                "analysing…",
                Style::default().fg(Color::DarkGray),
            ))]
        } else if callers.is_empty() {
            let what = match selected {
                Some(i) if i.function.is_none() => {
                    format!("a {} is not called; its type: {}", i.kind, i.ty)
                }
                _ => "no function calls it directly".to_string(),
            };
            vec![ListItem::new(Span::styled(
                what,
                Style::default().fg(Color::DarkGray),
            ))]
        } else {
            callers
                .get(window.clone())
                .unwrap_or_default()
                .iter()
                .map(|&f| {
                    ListItem::new(Line::from(vec![
                        Span::styled(format!("{f:>6}  "), Style::default().fg(Color::DarkGray)),
                        Span::raw(cx.function_name(f)),
                    ]))
                })
                .collect()
        };
        let mut state = ListState::default();
        if !callers.is_empty() {
            state.select(Some(self.callers.selected - window.start));
        }
        frame.render_stateful_widget(
            List::new(items)
                .block(block)
                .highlight_style(selected_style(self.focus == Focus::Callers)),
            bottom_area,
            &mut state,
        );
    }

    fn position(&self, _cx: &Context) -> String {
        self.cursor.position(self.order.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let order = self.order(cx).to_vec();
        let imports = &cx.model.imports;
        let found = find_row(&order, self.cursor.selected, forward, skip_current, |&i| {
            imports
                .get(i)
                .is_some_and(|i| contains(&i.name, query) || contains(&i.module, query))
        });
        if let Some(row) = found {
            self.focus = Focus::Table;
            self.cursor.select(row, order.len());
        }
        found.is_some()
    }
}
