//! The browser's source tables: the line tables of the whole module read
//! once, on the browser's worker thread, into plain data it can keep
//! (files, rows clipped to function bodies, where each function is), and
//! source files read when a view shows them.
//!
//! [`DebugInfo`] borrows the module and is not shared between threads, so
//! each call opens it anew from the input and its companions, which the
//! adapter owns; opening reads only the compile units' address ranges.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use wasmscope_tui as tui;

use crate::debuginfo::{Companions, DebugInfo, DebugOptions};
use crate::input::Loaded;

/// Where a module's debug info is, besides the module: what
/// [`DebugInfo::new`] needs along with the module.
#[derive(Debug, Default)]
pub(super) struct Debug {
    pub(super) companions: Companions,
    pub(super) options: DebugOptions,
}

/// Line info with no lines, and why.
pub(super) fn missing(why: &str) -> tui::LineInfo {
    tui::LineInfo {
        missing: Some(why.to_string()),
        ..tui::LineInfo::default()
    }
}

/// Per-file sums, while the rows are read.
#[derive(Default)]
struct FileSums {
    bytes: u64,
    functions: BTreeSet<u32>,
    lines: BTreeSet<u32>,
}

/// Reads every line table of a core module: each row is clipped to the
/// function body it is in (bytes between bodies are no function's), so the
/// per-file bytes are those `stats --by file` counts. Rows of line 0 (code
/// made for a file with no line of its own) are kept with line 0.
pub(super) fn line_info(input: &Loaded, debug: &Debug) -> Result<tui::LineInfo, String> {
    let info = DebugInfo::new(input, &debug.companions, &debug.options);
    let index = &input.index;
    let bodies: Vec<(std::ops::Range<usize>, u32)> = index
        .defined_functions()
        .filter_map(|f| Some((f.body.clone()?, f.index)))
        .collect();
    // The code section's contents, as `stats --by file` counts its share.
    let code_bytes = index
        .sections
        .iter()
        .find(|s| s.id == 10)
        .map_or(0, |s| s.range.len() as u64);
    let notes = info.found.notes.clone();
    if !info.has_lines() {
        return Ok(tui::LineInfo {
            code_bytes,
            notes,
            ..missing(&format!(
                "{} has no DWARF line table or source map",
                input.name
            ))
        });
    }
    let origin = match (&info.found.dwarf, &info.found.source_map) {
        (Some(file), _) if file == "module" => "DWARF".to_string(),
        (Some(file), _) => format!("DWARF in {file}"),
        (None, Some(map)) => format!("source map {map}"),
        (None, None) => "line tables".to_string(),
    };
    let (Some((first, _)), Some((last, _))) = (bodies.first(), bodies.last()) else {
        return Ok(tui::LineInfo {
            origin,
            notes,
            ..missing(&format!("{} has no code", input.name))
        });
    };
    let mut table = info
        .rows(first.start..last.end)
        .map_err(|e| format!("{}: {e}", input.name))?;
    table.sort_by_key(|r| r.range.start);

    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut sums: Vec<FileSums> = Vec::new();
    let mut id_of = |name: String, sums: &mut Vec<FileSums>| -> u32 {
        *ids.entry(name).or_insert_with_key(|name| {
            names.push(name.clone());
            sums.push(FileSums::default());
            names.len() as u32 - 1
        })
    };
    let mut rows: Vec<tui::LineRow> = Vec::with_capacity(table.len());
    let mut body = 0;
    for row in table {
        // A row with a file and line 0 is code the compiler made for the
        // file with no line of its own: it counts for the file.
        let Some(file) = row.file else {
            continue;
        };
        // Bodies that end before this row end before every later one.
        while bodies
            .get(body)
            .is_some_and(|(b, _)| b.end <= row.range.start)
        {
            body += 1;
        }
        let mut id = None;
        for (range, function) in bodies.get(body..).unwrap_or_default() {
            if range.start >= row.range.end {
                break;
            }
            let start = row.range.start.max(range.start);
            let end = row.range.end.min(range.end);
            if start >= end {
                continue;
            }
            let file = *id.get_or_insert_with(|| id_of(file.clone(), &mut sums));
            if let Some(sum) = sums.get_mut(file as usize) {
                sum.bytes += (end - start) as u64;
                sum.functions.insert(*function);
                if row.line > 0 {
                    sum.lines.insert(row.line);
                }
            }
            rows.push(tui::LineRow {
                start: start as u64,
                end: end as u64,
                file,
                line: row.line,
            });
        }
    }

    // Where each function is: the line its first row was written at in the
    // function itself (for code inlined from elsewhere, the call's line).
    let mut functions = vec![None; index.functions.len()];
    let mut next = 0;
    for (range, function) in &bodies {
        let first = rows.get(next..).unwrap_or_default();
        let skip = first.partition_point(|r| r.start < range.start as u64);
        next += skip;
        let in_body = rows.get(next..).unwrap_or_default();
        let in_body = in_body
            .get(..in_body.partition_point(|r| r.start < range.end as u64))
            .unwrap_or_default();
        let Some(row) = in_body.iter().find(|r| r.line > 0).or(in_body.first()) else {
            continue;
        };
        let place = match info.outer_line(row.start as usize) {
            Some((file, line)) if line > 0 => (id_of(file, &mut sums), line),
            _ => (row.file, row.line),
        };
        if let Some(slot) = functions.get_mut(*function as usize) {
            *slot = Some(place);
        }
    }

    let files = names
        .into_iter()
        .zip(sums)
        .map(|(name, sum)| tui::SourceFile {
            name,
            bytes: sum.bytes,
            functions: sum.functions.len(),
            lines: sum.lines.len(),
        })
        .collect();
    Ok(tui::LineInfo {
        files,
        rows,
        functions,
        origin,
        code_bytes,
        missing: None,
        notes,
    })
}

/// The text of a source file the line tables name, or why it cannot be
/// read here.
pub(super) fn source_text(
    input: &Loaded,
    debug: &Debug,
    file: &str,
) -> Result<tui::SourceText, String> {
    let info = DebugInfo::new(input, &debug.companions, &debug.options);
    if let Some(text) = info.source_text(file) {
        let lines = (1..=text.lines() as u32)
            .map(|n| text.line(n).unwrap_or_default().to_string())
            .collect();
        return Ok(tui::SourceText { lines });
    }
    let hint = if file.contains("://") {
        "it is not a local path; --source-prefix OLD=NEW maps it to one"
    } else if Path::new(file).is_absolute() && debug.options.prefixes.is_empty() {
        "if the sources are elsewhere on this machine, --source-prefix OLD=NEW says where"
    } else {
        "no such file here"
    };
    Err(format!("{file} cannot be read: {hint}"))
}
