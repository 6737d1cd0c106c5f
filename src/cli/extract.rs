//! `wasmscope extract`: a core module or component out of a component, as
//! a binary of its own.

use std::process::ExitCode;

use serde::Serialize;
use wasmscope::component::{Part, PartKind, find, parts};

use super::render::{JsonArg, Table, size};
use super::{InputArg, OutputArg, UsageError, write_bytes};

/// Write a core module or component nested in a component out as a binary
/// of its own, byte for byte as it is inside.
///
/// Parts are named as --list shows them: `module N` is the Nth core module
/// of the component (the numbering `imports` and `exports` use), `component
/// N` the Nth nested component, `component N/module M` a module inside it;
/// a name from the component's `component-name` section works too.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope extract app.wasm --list
  wasmscope extract app.wasm --module 0 -o main.wasm
  wasmscope extract app.wasm --module main -o main.wasm
  wasmscope extract app.wasm --component 0 -o inner.wasm
  wasmscope extract app.wasm --module 'component 0/module 1' -o inner-module.wasm

Exit status: 0 done, 1 no such part or the component could not be read, 2
usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// The core module to write: its number, id or name.
    #[arg(long, value_name = "N|NAME", conflicts_with_all = ["component", "list"], required_unless_present_any = ["component", "list"])]
    module: Option<String>,

    /// The nested component to write: its number, id or name.
    #[arg(long, value_name = "N|NAME", conflicts_with = "list")]
    component: Option<String>,

    /// List the parts that can be extracted.
    #[arg(long)]
    list: bool,

    #[command(flatten)]
    output: OutputArg,

    #[command(flatten)]
    json: JsonArg,
}

/// What `extract --list --json` prints.
#[derive(Debug, Serialize)]
struct Listing<'a> {
    file: &'a str,
    parts: Vec<ListedPart<'a>>,
}

#[derive(Debug, Serialize)]
struct ListedPart<'a> {
    id: &'a str,
    kind: PartKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    offset: usize,
    size: usize,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (source, name, bytes) = self.input.binary()?;
        if !wasmparser::Parser::is_component(&bytes) {
            anyhow::bail!("{name}: not a component: there is nothing nested to extract");
        }
        let parts = parts(&bytes).map_err(|e| e.in_file(&name))?;
        if self.list {
            let listing = Listing {
                file: &name,
                parts: parts.iter().map(listed).collect(),
            };
            self.json.print(&listing, |out, l| {
                let mut table = Table::new(&["part", "name", "role", "offset", "size"]);
                for p in &l.parts {
                    table.row(vec![
                        p.id.to_string(),
                        p.name.unwrap_or("-").to_string(),
                        p.role.unwrap_or("-").to_string(),
                        format!("0x{:x}", p.offset),
                        size(p.size),
                    ]);
                }
                table.render(out)
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        if self.json.json {
            return Err(UsageError("--json goes with --list".to_string()).into());
        }
        let (kind, wanted) = match (&self.module, &self.component) {
            (Some(m), _) => (PartKind::Module, m),
            (None, Some(c)) => (PartKind::Component, c),
            (None, None) => {
                return Err(UsageError("give --module, --component or --list".to_string()).into());
            }
        };
        let Some(part) = find(&parts, kind, wanted) else {
            let what = if kind == PartKind::Module {
                "core module"
            } else {
                "component"
            };
            let known: Vec<&str> = parts
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.id.as_str())
                .collect();
            anyhow::bail!(
                "{name}: no {what} `{wanted}` (there {}: {})",
                if known.len() == 1 { "is" } else { "are" },
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
        };
        let Some(piece) = bytes.get(part.range.clone()) else {
            anyhow::bail!("{name}: {} lies outside the file", part.id);
        };
        self.output
            .write(&source, true, |out| write_bytes(out, piece))?;
        Ok(ExitCode::SUCCESS)
    }
}

fn listed(p: &Part) -> ListedPart<'_> {
    ListedPart {
        id: &p.id,
        kind: p.kind,
        name: p.name.as_deref(),
        role: p.role.map(|r| r.describe()),
        offset: p.range.start,
        size: p.range.len(),
    }
}
