//! `wasmscope exports`: what a module offers its host.

use std::process::ExitCode;

use serde::Serialize;
use wasmscope::index::{ComponentItem, Export};

use super::imports::component_table;
use super::render::{Nested, Table, json};
use super::{InputArg, write_stdout};

/// List the exports: name, kind, index and type.
///
/// For a component, its own exports come first, then each nested core
/// module's (the CORE column says which).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope exports app.wasm
  wasmscope exports app.wasm --filter alloc
  wasmscope exports --demo --json

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Keep only exports whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,

    /// Print JSON (the schema is documented in the README and stable).
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    component_exports: Option<Vec<&'a ComponentItem>>,
    exports: Vec<Nested<'a, Export>>,
}

impl Opts {
    /// Every export, as `export --list` shows them.
    pub fn listing(input: InputArg, json: bool) -> Opts {
        Opts {
            input,
            filter: None,
            json,
        }
    }

    pub fn run(self) -> anyhow::Result<ExitCode> {
        let loaded = self.input.index()?;
        let keep = |name: &str| {
            self.filter
                .as_ref()
                .is_none_or(|f| name.contains(f.as_str()))
        };
        let index = &loaded.index;
        let report = Report {
            file: &loaded.name,
            component_exports: index.component.then(|| {
                index
                    .component_exports
                    .iter()
                    .filter(|e| keep(&e.name))
                    .collect()
            }),
            exports: index
                .core_modules()
                .into_iter()
                .flat_map(|(nested, m)| m.exports.iter().map(move |item| Nested { nested, item }))
                .filter(|e| keep(&e.item.name))
                .collect(),
        };
        write_stdout(|out| {
            if self.json {
                return json(out, &report);
            }
            if let Some(items) = &report.component_exports {
                component_table(out, "component export", items)?;
                if !report.exports.is_empty() {
                    writeln!(out)?;
                }
            } else if report.exports.is_empty() {
                return writeln!(out, "no exports");
            }
            if report.exports.is_empty() {
                return Ok(());
            }
            let mut header = vec!["name", "kind", "index", "type"];
            if index.component {
                header.insert(0, "core");
            }
            let mut table = Table::new(&header);
            for e in &report.exports {
                let x = e.item;
                let mut row = vec![
                    x.name.clone(),
                    x.kind.as_str().to_string(),
                    x.index.to_string(),
                    x.ty.clone(),
                ];
                if index.component {
                    row.insert(0, e.nested.map(|n| n.to_string()).unwrap_or_default());
                }
                table.row(row);
            }
            table.render(out)
        })?;
        Ok(ExitCode::SUCCESS)
    }
}
