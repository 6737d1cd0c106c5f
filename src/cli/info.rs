//! `wasmscope info` (and `wasmscope FILE`): the one-screen summary.

use std::io::Write;
use std::process::ExitCode;

use wasmscope::info::{Info, ModuleInfo};

use super::render::{ReportArgs, bytes, compressed, count, size};
use super::{GlueArg, InputArg};

/// Summarise a module: kind, role, toolchain, item counts, sizes.
///
/// This is also what `wasmscope FILE` prints.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope info app.wasm
  wasmscope app.wasm                 the same
  wasmscope info --demo --json       machine-readable
  wasmscope info app.wasm --compressed
                                     with its gzip and brotli sizes
  wasmscope info codec.wasm --glue codec.js
                                     a minified Emscripten build, named

Exit status: 0 printed, 1 the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    pub input: InputArg,

    #[command(flatten)]
    pub glue: GlueArg,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Also give the size of the whole module compressed, as `gzip -9` and
    /// `brotli` (quality 11) would make it.
    #[arg(long)]
    pub compressed: bool,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let (loaded, glue) = self.glue.load(&self.input.source()?)?;
        let mut info = wasmscope::info::info(&loaded.name, &loaded.index)
            .with_debug(&loaded.index, &loaded.bytes)
            .with_parts(&loaded.bytes);
        if self.compressed {
            info = info.with_compressed(&loaded.bytes);
        }
        info.glue = glue;
        self.report.json.print(&info, render)?;
        Ok(ExitCode::SUCCESS)
    }
}

fn render(out: &mut dyn Write, info: &Info) -> std::io::Result<()> {
    let kind = if info.kind == wasmscope::info::Kind::Component {
        "component"
    } else {
        "core module"
    };
    writeln!(
        out,
        "{}: WebAssembly {kind}, {}",
        info.file,
        bytes(info.size)
    )?;
    if let Some(c) = &info.compressed {
        writeln!(out, "  compressed: {}", compressed(c, info.size as u64))?;
    }
    if let Some(glue) = &info.glue {
        writeln!(out, "  glue:       {}", glue.summary())?;
    }
    writeln!(out, "  role:       {}", info.role.describe())?;
    if let Some(tools) = &info.toolchain {
        writeln!(out, "  toolchain:  {tools}")?;
    }
    for field in &info.producers {
        writeln!(
            out,
            "  {:<11} {}",
            format!("{}:", field.field),
            field.describe()
        )?;
    }
    if !info.target_features.is_empty() {
        writeln!(out, "  features:   {}", info.target_features.join(" "))?;
    }
    if let Some(m) = &info.module {
        render_module(out, m, "  ")?;
    }
    if let Some(debug) = &info.debug {
        render_debug(out, debug)?;
    }
    if let Some(imports) = &info.component_imports {
        writeln!(out, "  component imports: {}", imports.len())?;
        for i in imports {
            writeln!(out, "    {} {}", i.kind, i.name)?;
        }
    }
    if let Some(exports) = &info.component_exports {
        writeln!(out, "  component exports: {}", exports.len())?;
        for e in exports {
            writeln!(out, "    {} {}", e.kind, e.name)?;
        }
    }
    if let Some(nested) = &info.nested {
        for (i, m) in nested.iter().enumerate() {
            // The component's name for it, its role, then its own name.
            let mut name = String::new();
            if let Some(part) = &m.part_name {
                name.push_str(&format!(" {part}"));
            }
            if let Some(role) = m.part_role {
                name.push_str(&format!(" ({role})"));
            }
            if let Some(own) = &m.name
                && m.part_name.as_ref() != Some(own)
            {
                name.push_str(&format!(" ${own}"));
            }
            writeln!(out, "  core module {i}{name}: {}", bytes(m.size))?;
            render_module(out, m, "    ")?;
        }
    }
    Ok(())
}

fn render_module(out: &mut dyn Write, m: &ModuleInfo, pad: &str) -> std::io::Result<()> {
    let c = &m.counts;
    writeln!(
        out,
        "{pad}items:      {}, {} ({} imported), {}, {}, {}, {}",
        count(c.types, "type", "types"),
        count(c.functions, "function", "functions"),
        c.imported_functions,
        count(c.tables, "table", "tables"),
        count(c.memories, "memory", "memories"),
        count(c.globals, "global", "globals"),
        count(c.tags, "tag", "tags"),
    )?;
    for mem in &m.memories {
        let from = if mem.imported { " (imported)" } else { "" };
        writeln!(
            out,
            "{pad}memory {}:   {} (limits in pages){from}",
            mem.index, mem.ty
        )?;
    }
    writeln!(
        out,
        "{pad}code:       {} in {}",
        bytes(m.code_bytes),
        count(c.functions - c.imported_functions, "body", "bodies")
    )?;
    writeln!(
        out,
        "{pad}data:       {} in {}",
        bytes(m.data_bytes),
        count(c.data, "segment", "segments")
    )?;
    let imports: Vec<String> = m
        .imports
        .iter()
        .map(|(module, n)| format!("{module} ({n})"))
        .collect();
    writeln!(
        out,
        "{pad}imports:    {}",
        if imports.is_empty() {
            "none".to_string()
        } else {
            imports.join(", ")
        }
    )?;
    let exports: Vec<String> = m
        .exports
        .iter()
        .map(|e| format!("{} {}", e.kind.as_str(), e.name))
        .collect();
    writeln!(
        out,
        "{pad}exports:    {}",
        if exports.is_empty() {
            "none".to_string()
        } else {
            exports.join(", ")
        }
    )?;
    let customs: Vec<String> = m
        .custom_sections
        .iter()
        .map(|c| format!("{} ({})", c.name, size(c.size)))
        .collect();
    if !customs.is_empty() {
        writeln!(out, "{pad}custom:     {}", customs.join(", "))?;
    }
    Ok(())
}

fn render_debug(out: &mut dyn Write, d: &wasmscope::debuginfo::Summary) -> std::io::Result<()> {
    if let Some(dwarf) = &d.dwarf {
        let versions: Vec<String> = dwarf.versions.iter().map(u16::to_string).collect();
        let mut parts = vec![count(dwarf.units, "compile unit", "compile units")];
        if !dwarf.languages.is_empty() {
            parts.push(dwarf.languages.join(", "));
        }
        parts.push(size(dwarf.bytes));
        let version = match versions.as_slice() {
            [] => String::new(),
            [one] => format!(" {one}"),
            many => format!(" {}", many.join(" and ")),
        };
        writeln!(out, "  debug info: DWARF{version} ({})", parts.join("; "))?;
        if !dwarf.producers.is_empty() {
            const SHOWN: usize = 3;
            let mut producers = dwarf
                .producers
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>();
            if dwarf.producers.len() > SHOWN {
                producers.push(format!("{} more", dwarf.producers.len() - SHOWN));
            }
            writeln!(out, "  compiled by: {}", producers.join("; "))?;
        }
    }
    if let Some(id) = &d.links.build_id {
        writeln!(out, "  build id:   {id}")?;
    }
    if let Some(file) = &d.links.external_debug_info {
        writeln!(out, "  debug file: {file} (external_debug_info)")?;
    }
    if let Some(url) = &d.links.source_mapping_url {
        writeln!(out, "  source map: {url}")?;
    }
    Ok(())
}
