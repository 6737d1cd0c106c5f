//! `wasmscope imports`: what a module asks its host for.

use std::process::ExitCode;

use serde::Serialize;
use wasmscope::index::{ComponentItem, Import};

use super::render::{Nested, Table, json};
use super::{InputArg, write_stdout};

/// List the imports: module, name, kind, index and type.
///
/// For a component, its own imports come first, then each nested core
/// module's (the MODULE column says which).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope imports app.wasm
  wasmscope imports app.wasm --filter fd_
  wasmscope imports --demo --json

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    /// Keep only imports whose module or name contains TEXT.
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
    component_imports: Option<Vec<&'a ComponentItem>>,
    imports: Vec<Nested<'a, Import>>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let loaded = self.input.index()?;
        let keep = |text: &[&str]| match &self.filter {
            Some(f) => text.iter().any(|t| t.contains(f.as_str())),
            None => true,
        };
        let index = &loaded.index;
        let report = Report {
            file: &loaded.name,
            component_imports: index.component.then(|| {
                index
                    .component_imports
                    .iter()
                    .filter(|i| keep(&[&i.name]))
                    .collect()
            }),
            imports: index
                .core_modules()
                .into_iter()
                .flat_map(|(nested, m)| m.imports.iter().map(move |item| Nested { nested, item }))
                .filter(|e| keep(&[&e.item.module, &e.item.name]))
                .collect(),
        };
        write_stdout(|out| {
            if self.json {
                return json(out, &report);
            }
            if let Some(items) = &report.component_imports {
                component_table(out, "component import", items)?;
                if !report.imports.is_empty() {
                    writeln!(out)?;
                }
            }
            if report.imports.is_empty() && report.component_imports.is_none() {
                return writeln!(out, "no imports");
            }
            if !report.imports.is_empty() {
                let component = index.component;
                let mut header = vec!["module", "name", "kind", "index", "type"];
                if component {
                    header.insert(0, "core");
                }
                let mut table = Table::new(&header);
                for e in &report.imports {
                    let i = e.item;
                    let mut row = vec![
                        i.module.clone(),
                        i.name.clone(),
                        i.kind.as_str().to_string(),
                        i.index.to_string(),
                        i.ty.clone(),
                    ];
                    if component {
                        row.insert(0, e.nested.map(|n| n.to_string()).unwrap_or_default());
                    }
                    table.row(row);
                }
                table.render(out)?;
            }
            Ok(())
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

/// A component's own imports or exports: kind and name.
pub fn component_table(
    out: &mut dyn std::io::Write,
    title: &'static str,
    items: &[&ComponentItem],
) -> std::io::Result<()> {
    let mut table = Table::new(&["kind", title]);
    for i in items {
        table.row(vec![i.kind.to_string(), i.name.clone()]);
    }
    table.render(out)
}
