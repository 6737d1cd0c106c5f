//! Sections: offsets and sizes of every section, and any section's bytes as
//! hex and ASCII.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Row};

use super::{Context, HexPane, Outcome, Split, View, contains, draw_table, find_row, human_size};
use crate::action::Action;

/// The sections view.
#[derive(Debug, Default)]
pub struct Sections {
    split: Split,
    hex: HexPane,
}

impl View for Sections {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let hex = &mut self.hex;
        self.split
            .handle(action, cx.model.sections.len(), |a| hex.apply(a))
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
            !self.split.in_pane,
            &["#", "name", "start", "end", "size", "items"],
            &[
                Constraint::Length(3),
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(7),
            ],
            &mut self.split.cursor,
            sections,
            |row, s| {
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
        if let Some(s) = sections.get(self.split.cursor.selected) {
            self.hex.show(s.range.clone());
            let title = format!(
                "Bytes of {} ({} bytes; Enter or → to scroll)",
                s.name,
                s.range.end - s.range.start
            );
            self.hex.draw(frame, bottom, &title, self.split.in_pane, cx);
        }
    }

    fn position(&self, cx: &Context) -> String {
        self.split.cursor.position(cx.model.sections.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let sections = &cx.model.sections;
        let found = find_row(
            sections,
            self.split.cursor.selected,
            forward,
            skip_current,
            |item| contains(&item.name, query),
        );
        if let Some(row) = found {
            self.split.select(row, sections.len());
        }
        found.is_some()
    }
}
