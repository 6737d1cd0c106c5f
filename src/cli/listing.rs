//! The imports or exports listing as text: what `wasmscope imports`,
//! `wasmscope exports` and `wasmscope export --list` print.

use std::io::Write;
use std::process::ExitCode;

use wasmscope::index::{Export, Import};
use wasmscope::listing::{ComponentEntry, Listed, Listing, listing};

use super::render::{JsonArg, Table};
use super::{GlueArg, InputArg};

/// How an import or an export fills the table's columns.
pub trait Columns: Listed {
    /// The header of a component's own items of this side.
    const COMPONENT_TITLE: &'static str;
    /// The column names, without the leading `core` of a component.
    const HEADER: &'static [&'static str];
    /// The cells of one row, in header order.
    fn cells(&self) -> Vec<String>;
    /// The name in the binary, when glue renamed it.
    fn minified(&self) -> Option<String>;
}

impl Columns for Import {
    const COMPONENT_TITLE: &'static str = "component import";
    const HEADER: &'static [&'static str] = &["module", "name", "kind", "index", "type"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.module.clone(),
            self.name.clone(),
            self.kind.as_str().to_string(),
            self.index.to_string(),
            self.ty.clone(),
        ]
    }
    fn minified(&self) -> Option<String> {
        self.minified
            .as_ref()
            .map(|m| format!("{}.{}", m.module, m.name))
    }
}

impl Columns for Export {
    const COMPONENT_TITLE: &'static str = "component export";
    const HEADER: &'static [&'static str] = &["name", "kind", "index", "type"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.as_str().to_string(),
            self.index.to_string(),
            self.ty.clone(),
        ]
    }
    fn minified(&self) -> Option<String> {
        self.minified.clone()
    }
}

/// Reads the input and prints one side of its interface.
pub fn run<T: Columns>(
    input: &InputArg,
    glue: &GlueArg,
    filter: Option<&str>,
    json: &JsonArg,
) -> anyhow::Result<ExitCode> {
    let (loaded, glue) = glue.load(&input.source()?)?;
    let mut report = listing::<T>(&loaded.name, &loaded.index, filter);
    report.glue = glue;
    // A component speaks WIT: its own items get their functions' signatures.
    // Without readable WIT they are listed as they are.
    if loaded.index.component {
        report = report.with_parts(&loaded.bytes);
        if let Ok(wit) = wasmscope::wit::Wit::decode(&loaded.bytes) {
            report = report.with_wit(&wit.report());
        }
    }
    json.print(&report, render)?;
    Ok(ExitCode::SUCCESS)
}

/// A component's own items first, then the core modules' (named in the
/// PART column); a core module with nothing on this side says so.
fn render<T: Columns>(out: &mut dyn Write, listing: &Listing<T>) -> std::io::Result<()> {
    if let Some(glue) = &listing.glue {
        writeln!(out, "{}", glue.summary())?;
    }
    match &listing.component {
        Some(items) => {
            component_table(out, T::COMPONENT_TITLE, items)?;
            if !listing.items.is_empty() {
                writeln!(out)?;
            }
        }
        None if listing.items.is_empty() => {
            return writeln!(out, "no {}", T::DIRECTION.as_str());
        }
        None => {}
    }
    if listing.items.is_empty() {
        return Ok(());
    }
    let component = listing.component.is_some();
    let mut header = Vec::with_capacity(T::HEADER.len() + 1);
    if component {
        header.push("part");
    }
    header.extend_from_slice(T::HEADER);
    let minified = listing.items.iter().any(|e| e.item.minified().is_some());
    if minified {
        header.push("minified");
    }
    let mut table = Table::new(&header);
    for e in &listing.items {
        let mut row = Vec::with_capacity(header.len());
        if component {
            let number = || e.nested.map(|n| format!("module {n}")).unwrap_or_default();
            row.push(e.part.clone().unwrap_or_else(number));
        }
        row.extend(e.item.cells());
        if minified {
            row.push(e.item.minified().unwrap_or_default());
        }
        table.row(row);
    }
    table.render(out)
}

/// A component's own imports or exports: kind and name, and under an
/// interface its functions with their WIT signatures (a function's own
/// signature beside it).
fn component_table(
    out: &mut dyn Write,
    title: &'static str,
    items: &[ComponentEntry],
) -> std::io::Result<()> {
    let mut table = Table::new(&["kind", title]);
    for e in items {
        match e.functions.as_slice() {
            [only] if only.name == e.item.name => {
                table.row(vec![
                    e.item.kind.to_string(),
                    format!("{}: {}", e.item.name, only.signature),
                ]);
            }
            functions => {
                table.row(vec![e.item.kind.to_string(), e.item.name.clone()]);
                for f in functions {
                    table.row(vec![
                        String::new(),
                        format!("  {}: {}", f.name, f.signature),
                    ]);
                }
            }
        }
    }
    table.render(out)
}
