//! Text rendering shared by the report commands: aligned tables, sizes in
//! human units, bars, and the choice of JSON or text with the arguments
//! that make it.

use std::io::Write;

use serde::Serialize;

use super::write_stdout;

/// A table whose columns are padded to line up. Numbers are right-aligned.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        // A column is numeric when every non-empty cell in it is a number.
        let is_number = |v: &str| {
            !v.is_empty()
                && v.trim_end_matches('%')
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '.')
        };
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let cells = || {
                    self.rows
                        .iter()
                        .filter_map(|r| r.get(c))
                        .filter(|v| !v.is_empty())
                };
                cells().next().is_some() && cells().all(|v| is_number(v))
            })
            .collect();
        let line = |cells: Vec<&str>, out: &mut dyn Write| -> std::io::Result<()> {
            let mut text = String::new();
            for (c, cell) in cells.iter().enumerate() {
                let width = widths.get(c).copied().unwrap_or(0);
                let last = c + 1 == columns;
                if numeric.get(c).copied().unwrap_or(false) {
                    text.push_str(&format!("{cell:>width$}"));
                } else if last {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<width$}"));
                }
                if !last {
                    text.push_str("  ");
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(self.header.clone(), out)?;
        for row in &self.rows {
            line(row.iter().map(String::as_str).collect(), out)?;
        }
        Ok(())
    }
}

/// A size in bytes, with a human unit beside it when that helps.
pub fn size(bytes: usize) -> String {
    wasmscope::output::human_size(bytes as u64)
}

/// `N bytes`, with the size in a larger unit beside it when there is one:
/// `100668 bytes (98.3 KiB)`.
pub fn bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{n} bytes ({})", size(n))
    }
}

/// `12.3 KiB gzip (35.1%), 10.2 KiB brotli (29.0%)`: compressed sizes
/// against the `whole` size.
pub fn compressed(c: &wasmscope::compressed::Compressed, whole: u64) -> String {
    use wasmscope::compressed::Compressed;
    let one = |n: u64| {
        if n < 1024 {
            format!("{n} bytes")
        } else {
            size(n as usize)
        }
    };
    format!(
        "{} gzip ({:.1}%), {} brotli ({:.1}%)",
        one(c.gzip),
        Compressed::percent(c.gzip, whole),
        one(c.brotli),
        Compressed::percent(c.brotli, whole)
    )
}

/// `1 table`, `2 tables`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A horizontal bar `width` characters wide at 100%.
pub fn bar(percent: f64, width: usize) -> String {
    let cells = ((percent / 100.0) * width as f64).round() as usize;
    "█".repeat(cells.min(width))
}

/// Writes a value as pretty JSON followed by a newline.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// `--json`: the report as JSON instead of text.
#[derive(Debug, clap::Args)]
pub struct JsonArg {
    /// Print JSON (the schema is documented in the README and stable).
    #[arg(long)]
    pub json: bool,
}

impl JsonArg {
    /// Writes a report to stdout: as JSON, or as text by `text`.
    pub fn print<T: Serialize>(
        &self,
        report: &T,
        text: impl FnOnce(&mut dyn Write, &T) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        write_stdout(|out| {
            if self.json {
                json(out, report)
            } else {
                text(out, report)
            }
        })
    }
}

/// `--json` and `--no-demangle`, shared by the report commands that show
/// function names.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub json: JsonArg,

    /// Show names as they are in the module, without demangling.
    #[arg(long)]
    pub no_demangle: bool,
}
