//! Functions: every function with its size, calls in and out, whether it
//! is imported or exported, and (with line tables) the source file and line
//! it is at; sortable, and filtered by name or file as you type.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::source_pane::short_path;
use super::{Context, Cursor, Outcome, Target, View, contains, draw_table};
use crate::action::Action;

/// The order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Largest first.
    #[default]
    Size,
    /// By name.
    Name,
    /// By index.
    Index,
    /// By source file and line (with line tables).
    Source,
}

impl Sort {
    fn next(self, sources: bool) -> Sort {
        match self {
            Sort::Size => Sort::Name,
            Sort::Name => Sort::Index,
            Sort::Index if sources => Sort::Source,
            Sort::Index | Sort::Source => Sort::Size,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Sort::Size => "size",
            Sort::Name => "name",
            Sort::Index => "index",
            Sort::Source => "source",
        }
    }
}

/// The functions table.
#[derive(Debug, Default)]
pub struct Functions {
    cursor: Cursor,
    sort: Sort,
    filter: String,
    /// Function indices in display order, after filtering.
    rows: Vec<u32>,
    /// Whether `rows` is out of date.
    stale: bool,
    built: bool,
    /// Whether the line tables were there when `rows` was built, and how
    /// many functions' places they had.
    with_lines: (bool, usize),
}

impl Functions {
    /// A table sorted by size, largest first.
    pub fn new() -> Self {
        Functions {
            stale: true,
            ..Self::default()
        }
    }

    /// The sort order.
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The filter typed after `/`.
    pub fn set_filter(&mut self, filter: &str) {
        if self.filter != filter {
            self.filter = filter.to_string();
            self.stale = true;
        }
    }

    /// The function on the selected row.
    pub fn selected(&self) -> Option<u32> {
        self.rows.get(self.cursor.selected).copied()
    }

    /// Selects function `index`, clearing a filter that hides it.
    pub fn select(&mut self, index: u32, cx: &Context) {
        self.refresh(cx);
        if !self.rows.contains(&index) {
            self.set_filter("");
            self.refresh(cx);
        }
        if let Some(row) = self.rows.iter().position(|&f| f == index) {
            self.cursor.select(row, self.rows.len());
        }
    }

    fn refresh(&mut self, cx: &Context) {
        let lines = cx.line_info();
        // The line tables and places arrive later: the filter may match
        // their files.
        let with_lines = (lines.is_some(), lines.map_or(0, |l| l.functions.len()));
        if !self.stale && self.built && self.with_lines == with_lines {
            return;
        }
        self.with_lines = with_lines;
        if lines.is_none() && self.sort == Sort::Source {
            self.sort = Sort::Size;
        }
        let selected = self.selected();
        let functions = &cx.model.functions;
        let place = |f: u32| lines.and_then(|l| l.function_place(f));
        let mut rows: Vec<u32> = functions
            .iter()
            .filter(|f| {
                contains(&f.name, &self.filter)
                    || f.exports.iter().any(|e| contains(e, &self.filter))
                    || (!self.filter.is_empty()
                        && place(f.index).is_some_and(|p| contains(&p, &self.filter)))
            })
            .map(|f| f.index)
            .collect();
        let at = |i: &u32| functions.get(*i as usize);
        match self.sort {
            Sort::Size => rows.sort_by(|a, b| {
                let size = |i| at(i).map(|f| f.size);
                size(b).cmp(&size(a)).then(a.cmp(b))
            }),
            Sort::Name => rows.sort_by(|a, b| {
                let name = |i| at(i).map(|f| &f.name);
                name(a).cmp(&name(b)).then(a.cmp(b))
            }),
            Sort::Index => {}
            Sort::Source => {
                let key = |i: &u32| {
                    let place = lines.and_then(|l| *l.functions.get(*i as usize)?);
                    // Functions without a place go last.
                    let (file, line) = place.unwrap_or((u32::MAX, 0));
                    let name = lines.map(|l| l.file_name(file)).unwrap_or_default();
                    (place.is_none(), name, line)
                };
                rows.sort_by(|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
            }
        }
        self.rows = rows;
        self.stale = false;
        self.built = true;
        // Keep the same function selected when the order changes.
        match selected.and_then(|s| self.rows.iter().position(|&f| f == s)) {
            Some(row) => self.cursor.select(row, self.rows.len()),
            None => self.cursor.select(0, self.rows.len()),
        }
    }
}

impl View for Functions {
    fn handle(&mut self, action: &Action, cx: &Context) -> Outcome {
        self.refresh(cx);
        if self.cursor.apply(action, self.rows.len()) {
            return Outcome::Done;
        }
        match action {
            Action::Sort => {
                self.sort = self.sort.next(cx.line_info().is_some());
                self.stale = true;
                self.refresh(cx);
                Outcome::Done
            }
            Action::Enter => match self.selected() {
                Some(f) => Outcome::Open(Target::Function(f)),
                None => Outcome::Done,
            },
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, cx: &Context) {
        self.refresh(cx);
        let functions = &cx.model.functions;
        let analysis = cx.analysis;
        let mut title = format!(
            "Functions: {} of {}, by {} (s to sort)",
            self.rows.len(),
            functions.len(),
            self.sort.label()
        );
        if !self.filter.is_empty() {
            title.push_str(&format!(", matching \"{}\"", self.filter));
        }
        let rows = &self.rows;
        let lines = cx.line_info();
        // The source column: the end of the path, which names the file.
        let source_width = usize::from(area.width / 5).clamp(12, 40);
        let count = |lists: Option<&Vec<Vec<u32>>>, i: usize| -> String {
            match lists.and_then(|l| l.get(i)) {
                Some(list) => list.len().to_string(),
                None => "…".to_string(),
            }
        };
        let mut header = vec!["index", "size", "in", "out", "where", "name"];
        let mut widths = vec![
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Fill(1),
        ];
        if lines.is_some() {
            header.insert(5, "source");
            widths.insert(5, Constraint::Length(source_width as u16));
        }
        draw_table(
            frame,
            area,
            title,
            true,
            &header,
            &widths,
            &mut self.cursor,
            rows,
            |_, &index| {
                let Some(f) = functions.get(index as usize) else {
                    return Row::default();
                };
                let i = f.index as usize;
                let place = if f.import.is_some() {
                    Span::styled("import", Style::default().fg(Color::Magenta))
                } else if !f.exports.is_empty() {
                    Span::styled("export", Style::default().fg(Color::Green))
                } else {
                    Span::raw("")
                };
                let mut cells = vec![
                    Cell::from(f.index.to_string()),
                    Cell::from(format!("{:>8}", f.size)),
                    Cell::from(format!("{:>4}", count(analysis.map(|a| &a.callers), i))),
                    Cell::from(format!("{:>4}", count(analysis.map(|a| &a.callees), i))),
                    Cell::from(place),
                    Cell::from(f.name.clone()),
                ];
                if let Some(lines) = lines {
                    let source = if lines.functions.is_empty() {
                        "…".to_string()
                    } else {
                        lines
                            .function_place(f.index)
                            .map(|place| short_path(&place, source_width))
                            .unwrap_or_default()
                    };
                    cells.insert(5, Cell::from(source));
                }
                Row::new(cells)
            },
        );
    }

    fn position(&self, _cx: &Context) -> String {
        self.cursor.position(self.rows.len())
    }

    fn search(&mut self, query: &str, _forward: bool, _skip: bool, cx: &Context) -> bool {
        self.set_filter(query);
        self.refresh(cx);
        !self.rows.is_empty()
    }

    fn filters(&self) -> bool {
        true
    }
}
