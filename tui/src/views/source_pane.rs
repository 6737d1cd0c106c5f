//! The source pane: a source file around one line, that line marked; and
//! the short forms of file names that the views share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Slot, pane};

/// The last part of a path: `main.rs` for `/build/tally/src/main.rs`.
pub fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `text` cut to `width` characters from the left, with `…` for what was
/// cut: the end of a path says most.
pub fn tail(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let skip = len - (width - 1);
    let mut out = String::from("…");
    out.extend(text.chars().skip(skip));
    out
}

/// A path cut to `width` characters from the left, at a `/` when it can
/// be: `…/src/main.rs:21`.
pub fn short_path(path: &str, width: usize) -> String {
    if path.chars().count() <= width {
        return path.to_string();
    }
    let fits = path.match_indices(['/', '\\']).map(|(i, _)| i).find(|&i| {
        path.get(i..)
            .is_some_and(|rest| rest.chars().count() < width)
    });
    match fits.and_then(|i| path.get(i..)) {
        Some(rest) => format!("…{rest}"),
        None => tail(path, width),
    }
}

/// `main.rs:21`: a file's last name and a line (`main.rs` for line 0, no
/// line), cut from the left to `width` characters.
pub fn place_label(file: &str, line: u32, width: usize) -> String {
    let name = base_name(file);
    match line {
        0 => tail(name, width),
        line => tail(&format!("{name}:{line}"), width),
    }
}

/// A source line as it is drawn: tabs as four spaces, other control
/// characters as spaces (they would move the terminal's cursor).
pub fn display_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The style of the line the pane is about.
fn current_style() -> Style {
    Style::default()
        .bg(Color::Yellow)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}

/// Which line of which file the pane shows, and whether it is the line of
/// the selected instruction or only the nearest one that has a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourcePlace {
    /// The file, by id.
    pub file: u32,
    /// The line, from 1.
    pub line: u32,
    /// Whether the selected instruction itself is on this line.
    pub exact: bool,
}

/// Draws `place`'s file around its line, the line marked `▶` and
/// highlighted; what is known instead when the file cannot be read.
pub fn draw_source(frame: &mut Frame, area: Rect, cx: &Context, place: Option<SourcePlace>) {
    let dim = Style::default().fg(Color::DarkGray);
    let Some(place) = place else {
        let block = pane("Source", false);
        let text = Line::styled("no source line for this instruction", dim);
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    };
    let name = cx
        .line_info()
        .map(|l| l.file_name(place.file))
        .unwrap_or_default();
    let suffix = if place.exact { "" } else { " (nearest line)" };
    let room = usize::from(area.width).saturating_sub(14 + suffix.len());
    let title = format!(
        "Source: {}{suffix}",
        short_path(&format!("{name}:{}", place.line), room)
    );
    let block = pane(title, false);
    let inner = block.inner(area);
    let height = usize::from(inner.height);
    let wrap = !matches!(cx.text_of(place.file), Slot::Ready(_));
    let lines = match cx.text_of(place.file) {
        Slot::Pending => vec![Line::styled(format!("reading {name}…"), dim)],
        // The error names the file; the title, the line.
        Slot::Failed(e) => vec![Line::styled(e.clone(), Style::default().fg(Color::Red))],
        Slot::Ready(text) => {
            let count = text.lines.len();
            let current = place.line as usize;
            let digits = count.max(current).to_string().len();
            // The line in the middle, or as near as the file's ends allow.
            let first = current
                .saturating_sub(1)
                .saturating_sub(height.saturating_sub(1) / 2)
                .min(count.saturating_sub(height));
            let mut out: Vec<Line> = (first..count.min(first + height))
                .map(|i| {
                    let number = i + 1;
                    let text = text.lines.get(i).map(String::as_str).unwrap_or_default();
                    let is_current = number == current;
                    let marker = if is_current { "▶" } else { " " };
                    let line = Line::from(vec![
                        Span::styled(format!("{marker}{number:>digits$} │ "), dim),
                        Span::raw(display_text(text)),
                    ]);
                    if is_current {
                        line.style(current_style())
                    } else {
                        line
                    }
                })
                .collect();
            if current > count {
                out = vec![Line::styled(
                    format!(
                        "line {current} is past the end of {name} ({count} lines): \
                         the file is not the one the module was built from"
                    ),
                    Style::default().fg(Color::Red),
                )];
            }
            out
        }
    };
    // Source lines are cut at the edge, so that the marked line stays in
    // the middle; a message is wrapped.
    let mut paragraph = Paragraph::new(lines).block(block);
    if wrap {
        paragraph = paragraph.wrap(Wrap { trim: true });
    }
    frame.render_widget(paragraph, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_from_the_left() {
        assert_eq!(base_name("/build/tally/src/main.rs"), "main.rs");
        assert_eq!(base_name("main.rs"), "main.rs");
        assert_eq!(tail("/build/tally/src/main.rs", 10), "…c/main.rs");
        assert_eq!(tail("main.rs", 10), "main.rs");
        assert_eq!(
            place_label("/a/b/core/src/num/mod.rs", 1234, 9),
            "….rs:1234"
        );
        assert_eq!(place_label("/a/main.rs", 21, 20), "main.rs:21");
        assert_eq!(display_text("\tlet x;\r"), "    let x; ");
        assert_eq!(short_path("/src/app/main.rs:2", 16), "…/app/main.rs:2");
        assert_eq!(short_path("/src/app/main.rs:2", 18), "/src/app/main.rs:2");
        assert_eq!(short_path("/a/very_long_name.rs", 8), "…name.rs");
    }
}
