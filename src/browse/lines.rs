//! The browser's source tables: the line tables of the whole module read
//! once, on the browser's worker thread, into plain data it can keep
//! (files, rows clipped to function bodies, where each function is), and
//! source files read when a view shows them.
//!
//! [`DebugInfo`] borrows the module and is not shared between threads, so
//! each call opens it anew from the input and its companions, which the
//! adapter owns; opening reads only the compile units' address ranges.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use wasmscope_tui as tui;

use crate::debuginfo::{Companions, DebugInfo, DebugOptions, SourceFiles, has_dwarf};
use crate::input::Loaded;

/// Where a module's debug info is, besides the module: what
/// [`DebugInfo::new`] needs along with the module.
#[derive(Debug)]
pub(super) struct Debug {
    companions: Companions,
    options: DebugOptions,
    /// Source files read so far, when the names come from DWARF.
    files: OnceLock<SourceFiles>,
}

impl Debug {
    pub(super) fn new(companions: Companions, options: DebugOptions) -> Debug {
        Debug {
            companions,
            options,
            files: OnceLock::new(),
        }
    }
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
    /// Functions with code from the file: rows come function by function,
    /// so a function is new when it is not the last one counted.
    functions: usize,
    last_function: Option<u32>,
    /// Lines with code, with repeats until the end.
    lines: Vec<u32>,
}

/// Reads every line table of a core module: each row is clipped to the
/// function body it is in (bytes between bodies are no function's), so the
/// per-file bytes are those `stats --by file` counts. Rows of line 0 (code
/// made for a file with no line of its own) are kept with line 0. Where
/// each function is comes later, from [`function_places`], which starts
/// from the [`Firsts`] returned here.
pub(super) fn line_info(input: &Loaded, debug: &Debug) -> Result<(tui::LineInfo, Firsts), String> {
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
        let why = format!("{} has no DWARF line table or source map", input.name);
        let info = tui::LineInfo {
            code_bytes,
            notes,
            ..missing(&why)
        };
        return Ok((info, Firsts::default()));
    }
    let origin = match (&info.found.dwarf, &info.found.source_map) {
        (Some(file), _) if file == "module" => "DWARF".to_string(),
        (Some(file), _) => format!("DWARF in {file}"),
        (None, Some(map)) => format!("source map {map}"),
        (None, None) => "line tables".to_string(),
    };
    if bodies.is_empty() {
        let why = format!("{} has no code", input.name);
        let info = tui::LineInfo {
            origin,
            notes,
            ..missing(&why)
        };
        return Ok((info, Firsts::default()));
    }

    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut files: Vec<(String, FileSums)> = Vec::new();
    let mut rows: Vec<tui::LineRow> = Vec::new();
    // Body by body: the rows of one are few, where those of the whole
    // code section of a large module would hold a name per row at once.
    for (body, function) in &bodies {
        let table = info
            .rows(body.clone())
            .map_err(|e| format!("{}: {e}", input.name))?;
        let first = rows.len();
        for row in table {
            // A row with a file and line 0 is code the compiler made for
            // the file with no line of its own: it counts for the file.
            let Some(file) = row.file else { continue };
            let start = row.range.start.max(body.start);
            let end = row.range.end.min(body.end);
            if start >= end {
                continue;
            }
            let id = match ids.get(&file) {
                Some(&id) => id,
                None => {
                    let id = files.len() as u32;
                    ids.insert(file.clone(), id);
                    files.push((file, FileSums::default()));
                    id
                }
            };
            if let Some((_, sum)) = files.get_mut(id as usize) {
                sum.bytes += (end - start) as u64;
                if sum.last_function != Some(*function) {
                    sum.last_function = Some(*function);
                    sum.functions += 1;
                }
                if row.line > 0 && sum.lines.last() != Some(&row.line) {
                    sum.lines.push(row.line);
                }
            }
            rows.push(tui::LineRow {
                start: start as u64,
                end: end as u64,
                file: id,
                line: row.line,
            });
        }
        if let Some(body_rows) = rows.get_mut(first..) {
            body_rows.sort_by_key(|r| r.start);
        }
    }

    // The first row of each function with a line, for `function_places`.
    let mut firsts = Vec::new();
    let mut next = 0;
    for (range, function) in &bodies {
        next += rows
            .get(next..)
            .unwrap_or_default()
            .partition_point(|r| r.start < range.start as u64);
        let in_body = rows.get(next..).unwrap_or_default();
        let in_body = in_body
            .get(..in_body.partition_point(|r| r.start < range.end as u64))
            .unwrap_or_default();
        if let Some(row) = in_body.iter().find(|r| r.line > 0).or(in_body.first()) {
            firsts.push((*function, *row));
        }
    }
    let firsts = Firsts {
        ids,
        rows: firsts,
        functions: index.functions.len(),
    };
    let files = files
        .into_iter()
        .map(|(name, mut sum)| {
            sum.lines.sort_unstable();
            sum.lines.dedup();
            tui::SourceFile {
                name,
                bytes: sum.bytes,
                functions: sum.functions,
                lines: sum.lines.len(),
            }
        })
        .collect();
    Ok((
        tui::LineInfo {
            files,
            rows,
            functions: Vec::new(),
            origin,
            code_bytes,
            missing: None,
            notes,
        },
        firsts,
    ))
}

/// What [`function_places`] starts from: the first row of each function
/// with a line, and the files' ids.
#[derive(Debug, Default)]
pub(super) struct Firsts {
    ids: HashMap<String, u32>,
    rows: Vec<(u32, tui::LineRow)>,
    functions: usize,
}

/// Where each function is: the line its first row was written at in the
/// function itself (for code inlined from elsewhere, the line of the call).
///
/// This is a lookup of inlined frames per function: slow on a large module
/// (each lookup also finds its function among all of them), so it is asked
/// for after the line tables are shown.
pub(super) fn function_places(
    input: &Loaded,
    debug: &Debug,
    firsts: &Firsts,
) -> Vec<Option<(u32, u32)>> {
    let info = DebugInfo::new(input, &debug.companions, &debug.options);
    let mut places = vec![None; firsts.functions];
    for (function, row) in &firsts.rows {
        let outer = match info.outer_line(row.start as usize) {
            Some((file, line)) if line > 0 => firsts.ids.get(&file).map(|&id| (id, line)),
            _ => None,
        };
        if let Some(slot) = places.get_mut(*function as usize) {
            *slot = Some(outer.unwrap_or((row.file, row.line)));
        }
    }
    places
}

/// The text of a source file the line tables name, or why it cannot be
/// read here.
pub(super) fn source_text(
    input: &Loaded,
    debug: &Debug,
    file: &str,
) -> Result<tui::SourceText, String> {
    // DWARF names files by their paths (remapped), as `DebugInfo` reads
    // them; opening the DWARF for each file would read every unit's
    // ranges again, so the files are read here, once. A source map names
    // them relative to itself: `DebugInfo` knows where that is, and opens
    // at once without DWARF.
    let dwarf = has_dwarf(&input.index)
        || debug
            .companions
            .debug_file
            .as_ref()
            .is_some_and(|d| has_dwarf(&d.index));
    let text = if dwarf {
        let files = debug.files.get_or_init(|| {
            let embedded = debug
                .companions
                .source_map
                .as_ref()
                .map(|(_, map)| map.embedded_sources())
                .unwrap_or_default();
            SourceFiles::with_embedded(embedded)
        });
        files.get(file, Path::new(file))
    } else {
        DebugInfo::new(input, &debug.companions, &debug.options).source_text(file)
    };
    if let Some(text) = text {
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
