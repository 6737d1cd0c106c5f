//! Data: the data segments, and each one's bytes as hex and ASCII.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use super::{Context, HexPane, Outcome, Split, View, contains, draw_table, find_row, human_size};
use crate::action::Action;

/// The data view.
#[derive(Debug, Default)]
pub struct Data {
    split: Split,
    hex: HexPane,
}

impl View for Data {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let hex = &mut self.hex;
        self.split
            .handle(action, cx.model.data.len(), |a| hex.apply(a))
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let data = &cx.model.data;
        if data.is_empty() {
            super::draw_message(
                frame,
                area,
                "Data",
                vec![Line::from("This module has no data segments.")],
            );
            return;
        }
        let table_height = (data.len() as u16 + 3).min(area.height / 2).max(5);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Fill(1)]).areas(area);
        let total: u64 = data.iter().map(|d| d.size).sum();
        draw_table(
            frame,
            top,
            format!(
                "Data segments: {}, {} of data",
                data.len(),
                human_size(total)
            ),
            !self.split.in_pane,
            &["#", "mode", "offset", "size", "name"],
            &[
                Constraint::Length(5),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Fill(1),
            ],
            &mut self.split.cursor,
            data,
            |_, d| {
                Row::new(vec![
                    Cell::from(d.index.to_string()),
                    Cell::from(d.mode.clone()),
                    Cell::from(format!("0x{:08x}", d.range.start)),
                    Cell::from(format!("{:>10}", human_size(d.size))),
                    Cell::from(d.name.clone().unwrap_or_default()),
                ])
            },
        );
        if let Some(d) = data.get(self.split.cursor.selected) {
            // The data is the tail of the segment entry.
            self.hex
                .show(d.range.end.saturating_sub(d.size)..d.range.end);
            let title = format!(
                "Data of segment {} ({} bytes; Enter or → to scroll)",
                d.index, d.size
            );
            self.hex.draw(frame, bottom, &title, self.split.in_pane, cx);
        }
    }

    fn position(&self, cx: &Context) -> String {
        self.split.cursor.position(cx.model.data.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let data = &cx.model.data;
        let found = find_row(
            data,
            self.split.cursor.selected,
            forward,
            skip_current,
            |d| {
                d.name.as_deref().is_some_and(|n| contains(n, query))
                    || contains(&d.index.to_string(), query)
            },
        );
        if let Some(row) = found {
            self.split.select(row, data.len());
        }
        found.is_some()
    }
}
