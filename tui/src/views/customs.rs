//! Custom sections: producers and target features decoded, text sections
//! as text, anything else as hex and ASCII.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{
    Context, Cursor, HexPane, Outcome, Split, View, contains, draw_table, find_row, human_size,
    pane,
};
use crate::action::Action;

/// Sections up to this size are shown as text when they read as text.
const TEXT_LIMIT: u64 = 64 * 1024;

/// The custom sections view.
#[derive(Debug, Default)]
pub struct Customs {
    split: Split,
    hex: HexPane,
    /// Scroll of the decoded or text pane.
    text: Cursor,
}

/// A section's contents as lines of text, when they are text.
fn as_text(bytes: &[u8]) -> Option<Vec<String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let printable = text
        .chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t' || c == '\r');
    printable.then(|| text.lines().map(str::to_string).collect())
}

impl Customs {
    fn body_lines(&self, cx: &Context) -> Option<Vec<String>> {
        let custom = cx.model.customs.get(self.split.cursor.selected)?;
        if let Some(decoded) = &custom.decoded {
            return Some(decoded.clone());
        }
        let len = custom.range.end - custom.range.start;
        if len > 0 && len <= TEXT_LIMIT {
            return as_text(&cx.source.bytes(custom.range.clone()));
        }
        None
    }
}

impl View for Customs {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let before = self.split.cursor.selected;
        let lines = self.body_lines(cx);
        let (hex, text) = (&mut self.hex, &mut self.text);
        let outcome = self
            .split
            .handle(action, cx.model.customs.len(), |a| match &lines {
                Some(lines) => {
                    // Before the pane is drawn its height is unknown: no
                    // scrolling past a page that may show everything.
                    let page = if text.height == 0 {
                        lines.len()
                    } else {
                        text.height
                    }
                    .max(1);
                    let moved = text.apply(a, lines.len().saturating_sub(page - 1));
                    text.offset = text.selected;
                    moved
                }
                None => hex.apply(a),
            });
        if self.split.cursor.selected != before {
            self.text = Cursor::default();
        }
        outcome
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let customs = &cx.model.customs;
        if customs.is_empty() {
            super::draw_message(
                frame,
                area,
                "Custom sections",
                vec![Line::from("This module has no custom sections.")],
            );
            return;
        }
        let table_height = (customs.len() as u16 + 3).min(area.height / 2).max(5);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Fill(1)]).areas(area);
        draw_table(
            frame,
            top,
            format!("Custom sections: {}", customs.len()),
            !self.split.in_pane,
            &["name", "offset", "size"],
            &[
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(10),
            ],
            &mut self.split.cursor,
            customs,
            |_, c| {
                Row::new(vec![
                    Cell::from(c.name.clone()),
                    Cell::from(format!("0x{:08x}", c.range.start)),
                    Cell::from(format!("{:>10}", human_size(c.range.end - c.range.start))),
                ])
            },
        );
        let Some(custom) = customs.get(self.split.cursor.selected) else {
            return;
        };
        let size = custom.range.end - custom.range.start;
        match self.body_lines(cx) {
            Some(lines) => {
                let how = if custom.decoded.is_some() {
                    "decoded"
                } else {
                    "text"
                };
                let block = pane(
                    format!("{} ({how}, {size} bytes)", custom.name),
                    self.split.in_pane,
                );
                self.text.height = usize::from(block.inner(bottom).height);
                let shown: Vec<Line> = lines
                    .into_iter()
                    .skip(self.text.offset)
                    .map(Line::from)
                    .collect();
                frame.render_widget(
                    Paragraph::new(shown)
                        .wrap(Wrap { trim: false })
                        .block(block),
                    bottom,
                );
            }
            None => {
                self.hex.show(custom.range.clone());
                let title = format!("{} ({size} bytes; Enter or → to scroll)", custom.name);
                self.hex.draw(frame, bottom, &title, self.split.in_pane, cx);
            }
        }
    }

    fn position(&self, cx: &Context) -> String {
        self.split.cursor.position(cx.model.customs.len())
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let customs = &cx.model.customs;
        let found = find_row(
            customs,
            self.split.cursor.selected,
            forward,
            skip_current,
            |item| contains(&item.name, query),
        );
        if let Some(row) = found {
            self.text = Cursor::default();
            self.split.select(row, customs.len());
        }
        found.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::as_text;

    #[test]
    fn text_is_told_from_binary() {
        assert_eq!(
            as_text(b"a\nb"),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(as_text(b"\x00\x01asm"), None);
        assert_eq!(as_text(&[0xff, 0xfe]), None);
    }
}
