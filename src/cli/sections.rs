//! `wasmscope sections`: one row per section, as `wasm-objdump -h` gives.

use std::process::ExitCode;

use serde::Serialize;
use wasmscope::index::Section;

use super::render::{Table, json};
use super::{InputArg, write_stdout};

/// List the sections: id, name, start, end, size and item count.
///
/// Start and end are the section's contents (after its id and size), as
/// `wasm-objdump -h` reports them; SIZE is end - start.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope sections app.wasm
  wasmscope sections --demo --json

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Print JSON (the schema is documented in the README and stable).
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    size: usize,
    sections: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Row<'a> {
    index: usize,
    id: u8,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_name: Option<&'a str>,
    offset: usize,
    start: usize,
    end: usize,
    size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
}

fn row(index: usize, s: &Section) -> Row<'_> {
    Row {
        index,
        id: s.id,
        kind: s.kind,
        custom_name: s.custom_name.as_deref(),
        offset: s.header_offset,
        start: s.range.start,
        end: s.range.end,
        size: s.range.len(),
        count: s.count,
    }
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let loaded = self.input.index()?;
        let report = Report {
            file: &loaded.name,
            size: loaded.bytes.len(),
            sections: loaded
                .index
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| row(i, s))
                .collect(),
        };
        write_stdout(|out| {
            if self.json {
                return json(out, &report);
            }
            let mut table = Table::new(&["#", "id", "section", "start", "end", "size", "count"]);
            for r in &report.sections {
                let name = match r.custom_name {
                    Some(n) => format!("custom \"{n}\""),
                    None => r.kind.to_string(),
                };
                table.row(vec![
                    r.index.to_string(),
                    r.id.to_string(),
                    name,
                    format!("0x{:08x}", r.start),
                    format!("0x{:08x}", r.end),
                    r.size.to_string(),
                    r.count.map(|c| c.to_string()).unwrap_or_default(),
                ]);
            }
            table.render(out)
        })?;
        Ok(ExitCode::SUCCESS)
    }
}
