//! Sections: offsets and sizes of every section, and any section's bytes as
//! hex and ASCII.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Row};

use super::{Context, Cursor, HexPane, Outcome, View, contains, draw_table, find_row, human_size};
use crate::action::Action;

/// The sections view.
#[derive(Debug, Default)]
pub struct Sections {
    cursor: Cursor,
    hex: HexPane,
    in_bytes: bool,
}

impl View for Sections {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let sections = &cx.model.sections;
        match action {
            Action::Enter | Action::Right if !self.in_bytes && !sections.is_empty() => {
                self.in_bytes = true;
                Outcome::Done
            }
            Action::Left if self.in_bytes => {
                self.in_bytes = false;
                Outcome::Done
            }
            a if self.in_bytes && self.hex.apply(a) => Outcome::Done,
            a if !self.in_bytes && self.cursor.apply(a, sections.len()) => Outcome::Done,
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let sections = &cx.model.sections;
        let table_height = (sections.len() as u16 + 3).min(area.height / 2).max(5);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Fill(1)]).areas(area);
        draw_table(
            frame,
            top,
            format!("Sections: {}", sections.len()),
            !self.in_bytes,
            &["#", "name", "start", "end", "size", "items"],
            &[
                Constraint::Length(3),
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(7),
            ],
            &mut self.cursor,
            sections.len(),
            |row| {
                let s = &sections[row];
                Row::new(vec![
                    Cell::from(row.to_string()),
                    Cell::from(s.name.clone()),
                    Cell::from(format!("0x{:08x}", s.range.start)),
                    Cell::from(format!("0x{:08x}", s.range.end)),
                    Cell::from(format!("{:>10}", human_size(s.range.end - s.range.start))),
                    Cell::from(s.count.map(|c| format!("{c:>7}")).unwrap_or_default()),
                ])
            },
        );
        if let Some(s) = sections.get(self.cursor.selected) {
            self.hex.show(s.range.clone());
            let title = format!(
                "Bytes of {} ({} bytes; Enter or → to scroll)",
                s.name,
                s.range.end - s.range.start
            );
            self.hex.draw(frame, bottom, &title, self.in_bytes, cx);
        }
    }

    fn position(&self, cx: &Context) -> String {
        self.cursor.position(cx.model.sections.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let sections = &cx.model.sections;
        let found = find_row(
            sections.len(),
            self.cursor.selected,
            forward,
            skip_current,
            |row| contains(&sections[row].name, query),
        );
        if let Some(row) = found {
            self.in_bytes = false;
            self.cursor.select(row, sections.len());
        }
        found.is_some()
    }
}
