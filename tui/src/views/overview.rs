//! Overview: the summary of the module and where its bytes go.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Context, Cursor, Outcome, View, contains, find_row, human_size, pane, risk_style};
use crate::action::Action;

/// The overview.
#[derive(Debug, Default)]
pub struct Overview {
    /// Scroll of the summary.
    cursor: Cursor,
    /// Width of the summary at the last draw.
    width: usize,
}

/// One bar: label, a bar of `width` cells filled in proportion, share, size.
fn bar(label: &str, bytes: u64, total: u64, width: usize) -> Line<'static> {
    let share = if total == 0 {
        0.0
    } else {
        bytes as f64 / total as f64
    };
    let filled = ((share * width as f64).round() as usize).min(width);
    Line::from(vec![
        Span::raw(format!("{label:<14.14} ")),
        Span::styled("█".repeat(filled), Style::default().fg(Color::Cyan)),
        Span::styled(
            "░".repeat(width - filled),
            Style::default().fg(Color::DarkGray),
        ),
        Span::raw(format!(
            " {:>5.1}% {:>10}",
            share * 100.0,
            human_size(bytes)
        )),
    ])
}

/// Width of the label column of the summary.
const LABEL: usize = 13;

/// Splits `text` into lines of at most `width` characters at spaces (a word
/// longer than the width gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let Some(line) = lines.last_mut() else { break };
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if used > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// A label and its value, the value wrapped under itself.
fn labelled(label: &str, value: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let text: String = value.iter().map(|s| s.content.as_ref()).collect();
    let style_of = |_: &str| value.first().map(|s| s.style).unwrap_or_default();
    // A value of one style is wrapped; mixed styles are kept on one line.
    if value.len() > 1 {
        let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), bold)];
        spans.extend(value);
        return vec![Line::from(spans)];
    }
    wrap(&text, width.saturating_sub(LABEL).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{head:<LABEL$}"), bold),
                Span::styled(part.clone(), style_of(&part)),
            ])
        })
        .collect()
}

impl Overview {
    fn summary(cx: &Context, width: usize) -> Vec<Line<'static>> {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let summary = &cx.model.summary;
        // Kind, size and role first, then what the module may do, then the
        // rest of the summary.
        let (first, rest) = summary.split_at_checked(3).unwrap_or((summary, &[]));
        let mut lines: Vec<Line> = first
            .iter()
            .flat_map(|(label, value)| labelled(label, vec![Span::raw(value.clone())], width))
            .collect();
        match cx.analysis {
            None => lines.push(Line::styled(
                "capabilities: analysing…",
                Style::default().fg(Color::DarkGray),
            )),
            Some(a) => {
                let used: Vec<_> = a
                    .capabilities
                    .iter()
                    .filter(|c| c.reachable && c.risk != "none")
                    .collect();
                if used.is_empty() {
                    lines.extend(labelled(
                        "may",
                        vec![Span::raw("use no host capability")],
                        width,
                    ));
                }
                // Capabilities are wrapped by hand to keep their colours.
                let mut spans: Vec<Span> = Vec::new();
                let mut used_width = 0;
                let mut head = "may";
                for (i, c) in used.iter().enumerate() {
                    let piece = if i + 1 < used.len() {
                        format!("{}, ", c.name)
                    } else {
                        c.name.clone()
                    };
                    if used_width > 0 && used_width + piece.len() > width.saturating_sub(LABEL) {
                        let mut line = vec![Span::styled(format!("{head:<LABEL$}"), bold)];
                        line.append(&mut spans);
                        lines.push(Line::from(line));
                        head = "";
                        used_width = 0;
                    }
                    used_width += piece.len();
                    spans.push(Span::styled(piece, risk_style(&c.risk)));
                }
                if !spans.is_empty() {
                    let mut line = vec![Span::styled(format!("{head:<LABEL$}"), bold)];
                    line.append(&mut spans);
                    lines.push(Line::from(line));
                }
                match &a.command_line {
                    Some(line) => {
                        lines.extend(labelled("run with", vec![Span::raw(line.clone())], width));
                    }
                    // Why no runtime runs it: never a command that fails.
                    None => {
                        for note in &a.run_notes {
                            lines.extend(labelled("no run", vec![Span::raw(note.clone())], width));
                        }
                    }
                }
            }
        }
        lines.extend(
            rest.iter()
                .flat_map(|(label, value)| labelled(label, vec![Span::raw(value.clone())], width)),
        );
        lines
    }
}

impl View for Overview {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        let len = Self::summary(cx, self.width).len();
        if self.cursor.apply(action, len) {
            self.cursor.offset = self
                .cursor
                .selected
                .min(len.saturating_sub(self.cursor.height.max(1)));
            Outcome::Done
        } else {
            Outcome::Ignored
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        let model = cx.model;
        let wide = area.width >= 120;
        let bars_rows = model.byte_groups.len() as u16 + 2;
        let [top, bottom] = if wide {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(area);
            [l, r]
        } else {
            let [t, b] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(bars_rows.min(area.height / 2)),
            ])
            .areas(area);
            [t, b]
        };
        let block = pane(format!("Overview: {}", model.name), true);
        let inner = block.inner(top);
        self.cursor.height = usize::from(inner.height);
        self.width = usize::from(inner.width);
        let summary: Vec<Line> = Self::summary(cx, self.width)
            .into_iter()
            .skip(self.cursor.offset)
            .collect();
        frame.render_widget(Paragraph::new(summary).block(block), top);

        let block = pane("Where the bytes go", false);
        let width = usize::from(block.inner(bottom).width)
            .saturating_sub(14 + 1 + 18)
            .max(4);
        let mut lines: Vec<Line> = model
            .byte_groups
            .iter()
            .map(|(label, bytes)| bar(label, *bytes, model.size, width))
            .collect();
        if wide {
            let mut sections: Vec<_> = model.sections.iter().collect();
            sections.sort_by_key(|s| std::cmp::Reverse(s.range.end - s.range.start));
            lines.push(Line::from(""));
            lines.push(Line::styled(
                "largest sections (7 Sections: all, with their bytes)",
                Style::default().add_modifier(Modifier::BOLD),
            ));
            for s in sections.iter().take(12) {
                lines.push(bar(&s.name, s.range.end - s.range.start, model.size, width));
            }
        }
        frame.render_widget(Paragraph::new(lines).block(block), bottom);
    }

    fn position(&self, _cx: &Context) -> String {
        String::new()
    }

    fn search(&mut self, query: &str, forward: bool, skip_current: bool, cx: &Context) -> bool {
        let lines: Vec<String> = Self::summary(cx, self.width)
            .iter()
            .map(|l| l.to_string())
            .collect();
        let found = find_row(&lines, self.cursor.offset, forward, skip_current, |line| {
            contains(line, query)
        });
        if let Some(row) = found {
            self.cursor.selected = row;
            self.cursor.offset = row;
        }
        found.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("averylongword b", 4), vec!["averylongword", "b"]);
        assert_eq!(wrap("", 4), vec![""]);
    }
}
