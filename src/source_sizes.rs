//! Code bytes by the source that made them: per file, directory, Rust crate
//! or compile unit, through the line tables (DWARF, or a source map).
//!
//! Every byte of the code section is counted once: bytes a line-table row
//! covers go to that row's source, the rest (function sizes and locals that
//! no row covers, code compiled without line info) to `unattributed`, so
//! the rows add up to the code section. Code inlined from one function into
//! another counts for the source it was written in (the callee) unless the
//! caller is asked for, in which case it counts where the call is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::debuginfo::{DebugInfo, Found};
use crate::error::Result;
use crate::index::ModuleIndex;

/// How code is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// By source file.
    File,
    /// By the directory of the source file.
    Dir,
    /// By Rust crate (registry crates with their versions, the standard
    /// library's crates, local crates by their folder); other sources by
    /// directory.
    Crate,
    /// By compile unit (DWARF), or source file (source maps).
    Unit,
}

/// Where inlined code counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Inlined {
    /// For the function it was written in (what the line table says).
    #[default]
    Callee,
    /// For the function it was inlined into, at the line of the call.
    Caller,
}

/// One group's share of the code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSize {
    /// The file, directory, crate or unit.
    pub name: String,
    /// Code bytes attributed to it.
    pub bytes: usize,
    /// Its share of the code section, in percent.
    pub percent: f64,
    /// Functions with code from it.
    pub functions: usize,
    /// Distinct source lines with code.
    pub lines: usize,
}

/// Code bytes by source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSizes {
    /// The input's name.
    pub file: String,
    /// How code was grouped.
    pub by: Grouping,
    /// Where inlined code counts.
    pub inlined: Inlined,
    /// Which debug info the lines came from.
    pub debug_info: Found,
    /// Bytes in the code section (its contents).
    pub code_bytes: usize,
    /// Bytes some line-table row gives a source.
    pub attributed: usize,
    /// Bytes no row covers.
    pub unattributed: usize,
    /// The groups, largest first (all of them; the rows and `unattributed`
    /// add up to `code_bytes`).
    pub groups: Vec<SourceSize>,
    /// Bytes per group and function, for flame graphs.
    #[serde(skip)]
    pub stacks: Vec<(String, String, usize)>,
}

/// Attributes a core module's code to its sources.
pub fn source_sizes(
    file: &str,
    index: &ModuleIndex,
    debug: &DebugInfo<'_>,
    by: Grouping,
    inlined: Inlined,
) -> Result<SourceSizes> {
    let code_bytes = index
        .sections
        .iter()
        .find(|s| s.id == 10)
        .map_or(0, |s| s.range.len());
    #[derive(Default)]
    struct Group {
        bytes: usize,
        functions: BTreeSet<u32>,
        lines: BTreeSet<(String, u32)>,
    }
    let mut groups: HashMap<String, Group> = HashMap::new();
    let mut stacks: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut units: Vec<(std::ops::Range<usize>, Option<String>)> = Vec::new();
    let mut attributed = 0;
    for f in index.defined_functions() {
        let Some(body) = f.body.clone() else { continue };
        let function = f
            .name
            .as_deref()
            .map(crate::demangle::demangle)
            .unwrap_or_else(|| format!("function {}", f.index));
        for row in debug.rows(body.clone())? {
            let (file, line) = match inlined {
                Inlined::Callee => (row.file.clone(), row.line),
                Inlined::Caller => match debug.outer_line(row.range.start) {
                    Some((file, line)) => (Some(file), line),
                    None => (row.file.clone(), row.line),
                },
            };
            let Some(file) = file else { continue };
            let start = row.range.start.max(body.start);
            let end = row.range.end.min(body.end);
            if start >= end {
                continue;
            }
            let name = match by {
                Grouping::File => file.clone(),
                Grouping::Dir => directory(&file),
                Grouping::Crate => crate_of(&file).unwrap_or_else(|| directory(&file)),
                Grouping::Unit => unit_of(debug, &mut units, start).unwrap_or_else(|| file.clone()),
            };
            let group = groups.entry(name.clone()).or_default();
            group.bytes += end - start;
            group.functions.insert(f.index);
            group.lines.insert((file, line));
            *stacks.entry((name, function.clone())).or_default() += end - start;
            attributed += end - start;
        }
    }
    let percent = |bytes: usize| {
        if code_bytes == 0 {
            0.0
        } else {
            bytes as f64 * 100.0 / code_bytes as f64
        }
    };
    let mut groups: Vec<SourceSize> = groups
        .into_iter()
        .map(|(name, g)| SourceSize {
            percent: percent(g.bytes),
            name,
            bytes: g.bytes,
            functions: g.functions.len(),
            lines: g.lines.len(),
        })
        .collect();
    groups.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    Ok(SourceSizes {
        file: file.to_string(),
        by,
        inlined,
        debug_info: debug.found.clone(),
        code_bytes,
        attributed,
        unattributed: code_bytes.saturating_sub(attributed),
        groups,
        stacks: stacks
            .into_iter()
            .map(|((group, function), bytes)| (group, function, bytes))
            .collect(),
    })
}

/// The compile unit of an offset, remembering the ranges already asked
/// about (rows come in address order, many to a unit).
fn unit_of(
    debug: &DebugInfo<'_>,
    known: &mut Vec<(std::ops::Range<usize>, Option<String>)>,
    at: usize,
) -> Option<String> {
    if let Some((_, name)) = known.iter().rev().take(4).find(|(r, _)| r.contains(&at)) {
        return name.clone();
    }
    let name = debug.unit_name(at);
    known.push((at..at + 1, name.clone()));
    name
}

/// The directory part of a source file name (`.` for none).
fn directory(file: &str) -> String {
    match file.rfind(['/', '\\']) {
        Some(0) => "/".to_string(),
        Some(i) => file.get(..i).unwrap_or(file).to_string(),
        None => ".".to_string(),
    }
}

/// The Rust crate a source file belongs to, from where cargo and rustup put
/// sources: `serde 1.0.210` (a registry crate), `std` (the standard
/// library), a git dependency's name, or a local crate's folder (the one
/// holding `src/`). `None` for files that are not Rust.
pub fn crate_of(file: &str) -> Option<String> {
    if !file.ends_with(".rs") {
        return None;
    }
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    let after = |marker: &[&str]| {
        parts
            .windows(marker.len())
            .position(|w| w == marker)
            .map(|i| i + marker.len())
    };
    // rustc's own sources: /rustc/<hash>/library/<crate>/...
    if let Some(i) = after(&["library"])
        && parts.first().is_some_and(|p| p.is_empty())
        && parts.get(1) == Some(&"rustc")
    {
        return parts.get(i).map(|c| c.to_string());
    }
    if let Some(i) = after(&["registry", "src"]) {
        let dir = parts.get(i + 1)?;
        return Some(match split_version(dir) {
            Some((name, version)) => format!("{name} {version}"),
            None => dir.to_string(),
        });
    }
    if let Some(i) = after(&["git", "checkouts"]) {
        let dir = parts.get(i)?;
        let name = dir.rsplit_once('-').map_or(*dir, |(name, _)| name);
        return Some(name.to_string());
    }
    // A local crate: the folder that holds its `src/`.
    let src = parts.iter().rposition(|p| *p == "src")?;
    let name = parts.get(src.checked_sub(1)?)?;
    (!name.is_empty() && *name != ".").then(|| name.to_string())
}

/// `serde-1.0.210` -> (`serde`, `1.0.210`); `wasm-bindgen-0.2.93` ->
/// (`wasm-bindgen`, `0.2.93`).
fn split_version(dir: &str) -> Option<(&str, &str)> {
    let mut search = dir.len();
    while let Some(i) = dir.get(..search)?.rfind('-') {
        let version = dir.get(i + 1..)?;
        if version.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Some((dir.get(..i)?, version));
        }
        search = i;
    }
    None
}

impl SourceSizes {
    /// The folded-stack lines of flame-graph tools (`group;function bytes`),
    /// with each group's path split into frames.
    pub fn folded(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .stacks
            .iter()
            .map(|(group, function, bytes)| {
                let mut frames: Vec<String> = match self.by {
                    Grouping::File | Grouping::Dir => group
                        .split(['/', '\\'])
                        .filter(|p| !p.is_empty())
                        .map(frame)
                        .collect(),
                    Grouping::Crate | Grouping::Unit => vec![frame(group)],
                };
                frames.push(frame(function));
                format!("{} {bytes}", frames.join(";"))
            })
            .collect();
        if self.unattributed > 0 {
            lines.push(format!("unattributed {}", self.unattributed));
        }
        lines
    }
}

/// A frame name with the separators of the folded format taken out.
fn frame(name: &str) -> String {
    name.replace(';', ":").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_recognised_from_paths() {
        let cases = [
            ("/rustc/5980761/library/core/src/num/mod.rs", Some("core")),
            ("/rustc/5980761/library/std/src/panicking.rs", Some("std")),
            (
                "/cargo/registry/src/index.crates.io-1949cf8c6b5b557f/serde-1.0.210/src/de.rs",
                Some("serde 1.0.210"),
            ),
            (
                "/home/me/.cargo/registry/src/github.com-1ecc6299db9ec823/wasm-bindgen-0.2.93/src/lib.rs",
                Some("wasm-bindgen 0.2.93"),
            ),
            (
                "/home/me/.cargo/git/checkouts/gimli-a1b2c3d4/7f00e1a/src/read/mod.rs",
                Some("gimli"),
            ),
            ("/build/tally/src/main.rs", Some("tally")),
            ("crates/parser/src/lib.rs", Some("parser")),
            ("src/main.rs", None),
            ("/build/cdemo/stats.c", None),
            ("lib.rs", None),
        ];
        for (path, want) in cases {
            assert_eq!(crate_of(path).as_deref(), want, "{path}");
        }
    }

    #[test]
    fn directories_and_versions_split_where_they_should() {
        assert_eq!(directory("/build/cdemo/stats.c"), "/build/cdemo");
        assert_eq!(directory("/stats.c"), "/");
        assert_eq!(directory("stats.c"), ".");
        assert_eq!(split_version("serde-1.0.210"), Some(("serde", "1.0.210")));
        assert_eq!(split_version("no-version"), None);
        assert_eq!(frame("a;b\nc"), "a:b c");
    }
}
