//! `wasmscope sections`: one row per section, as `wasm-objdump -h` gives.

use std::io::Write;
use std::process::ExitCode;

use wasmscope::sections::Sections;

use super::InputArg;
use super::render::{JsonArg, Table};

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

    #[command(flatten)]
    json: JsonArg,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let loaded = self.input.index()?;
        let report = wasmscope::sections::sections(&loaded.name, &loaded.index);
        self.json.print(&report, render)?;
        Ok(ExitCode::SUCCESS)
    }
}

fn render(out: &mut dyn Write, report: &Sections) -> std::io::Result<()> {
    let mut table = Table::new(&["#", "id", "section", "start", "end", "size", "count"]);
    for r in &report.sections {
        let name = match &r.custom_name {
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
}
