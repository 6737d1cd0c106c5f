//! Which source made which bytes of a module: the one layer every command
//! asks about source files, lines and inlined frames.
//!
//! The answers come from the best source a module has, in order: DWARF (in
//! the module, or in a separate debug file that `--debug-file` or the
//! module's `external_debug_info` section names, checked against
//! `build_id`), a source map (`--source-map`, or the file the
//! `sourceMappingURL` section names, next to the module), the name section,
//! and export names. A lookup always says which one answered ([`Origin`]).
//!
//! Opening is cheap: DWARF is read in place from the module's bytes and only
//! the compile units' address ranges are read up front; line tables and
//! functions are parsed unit by unit when an address needs them.
//!
//! ```
//! use wasmscope::debuginfo::{Companions, DebugInfo, DebugOptions, Origin};
//! use wasmscope::input::{Loaded, Source};
//!
//! let module = Loaded::load(&Source::Demo)?;
//! let options = DebugOptions::default();
//! let companions = Companions::find(&module, None, &options)?;
//! let debug = DebugInfo::new(&module, &companions, &options);
//! // The demo has no DWARF: the name section answers.
//! let body = module.index.body(module.index.find_function("hasher::main").unwrap()).unwrap();
//! let place = debug.lookup(body.start + 2);
//! assert_eq!(place.origin, Origin::NameSection);
//! assert_eq!(place.frames[0].function.as_deref(), Some("hasher::main"));
//! # Ok::<(), wasmscope::Error>(())
//! ```

mod dwarf;
mod paths;
mod sections;
mod srcmap;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::{ItemKind, ModuleIndex};
use crate::input::{Bytes, Loaded, Source};

pub use dwarf::{DwarfSummary, has_dwarf, summary as dwarf_summary};
pub use paths::{PrefixMap, SourceFiles, SourceText, remap, tidy, unglue};
pub use sections::{Links, encode_length_prefixed, is_dwarf_section};
pub use srcmap::SourceMap;

/// Where to look for debug info besides the module itself, and how to show
/// what is found.
#[derive(Debug, Clone, Default)]
pub struct DebugOptions {
    /// A separate file with the module's DWARF (`--debug-file`).
    pub debug_file: Option<PathBuf>,
    /// A source map for the module (`--source-map`).
    pub source_map: Option<PathBuf>,
    /// `--source-prefix OLD=NEW`: where the sources are on this machine.
    pub prefixes: Vec<PrefixMap>,
    /// Show names as the module has them, not demangled.
    pub raw_names: bool,
}

/// The files that hold a module's debug info elsewhere, read: a separate
/// debug file and a source map. A module's [`DebugInfo`] borrows them.
#[derive(Debug, Default)]
pub struct Companions {
    /// The separate debug file, when the DWARF comes from one.
    pub debug_file: Option<Loaded>,
    /// The source map and the name it was found under.
    pub source_map: Option<(String, SourceMap)>,
    /// Where the source map is, to read sources named relative to it.
    source_map_dir: Option<PathBuf>,
    /// What was looked for and not used, and why.
    pub notes: Vec<String>,
}

impl Companions {
    /// Finds and reads the debug file and source map for a module that was
    /// read from `path` (companions named by the module are looked for next
    /// to it). Files named in `options` must exist and fit the module; files
    /// the module names are used only if they do, with a note if not.
    pub fn find(
        module: &Loaded,
        path: Option<&Path>,
        options: &DebugOptions,
    ) -> Result<Companions> {
        let links = Links::read(&module.index, &module.bytes);
        let dir = path
            .and_then(Path::parent)
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .map(Path::to_path_buf);
        let mut found = Companions::default();

        if let Some(file) = &options.debug_file {
            let debug = Loaded::load(&Source::File(file.clone()))?;
            check_debug_file(module, &links, &debug).map_err(Error::Other)?;
            found.debug_file = Some(debug);
        } else if !has_dwarf(&module.index)
            && let Some(target) = &links.external_debug_info
        {
            match resolve(target, dir.as_deref()) {
                Err(why) => found.notes.push(format!("external_debug_info: {why}")),
                Ok(file) => match Loaded::load(&Source::File(file.clone())) {
                    Err(e) => found.notes.push(format!(
                        "external_debug_info names {target}, which cannot be read: {e}"
                    )),
                    Ok(debug) => match check_debug_file(module, &links, &debug) {
                        Err(why) => found.notes.push(format!("{why}; not used")),
                        Ok(()) => found.debug_file = Some(debug),
                    },
                },
            }
        }

        if let Some(file) = &options.source_map {
            let bytes = std::fs::read(file).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?;
            let map = SourceMap::parse(&bytes)
                .map_err(|e| Error::Other(format!("{}: not a source map: {e}", file.display())))?;
            found.source_map_dir = file.parent().map(Path::to_path_buf);
            found.source_map = Some((file.display().to_string(), map));
        } else if let Some(url) = &links.source_mapping_url {
            match load_linked_map(url, dir.as_deref()) {
                Ok((name, map, dir)) => {
                    found.source_map = Some((name, map));
                    found.source_map_dir = dir;
                }
                Err(why) => found.notes.push(format!("sourceMappingURL: {why}")),
            }
        }
        Ok(found)
    }
}

/// A debug file fits a module when it has DWARF and, if both carry a
/// `build_id`, the same one.
fn check_debug_file(
    module: &Loaded,
    links: &Links,
    debug: &Loaded,
) -> std::result::Result<(), String> {
    if !has_dwarf(&debug.index) {
        return Err(format!(
            "{}: has no DWARF (.debug_info and .debug_line)",
            debug.name
        ));
    }
    let theirs = Links::read(&debug.index, &debug.bytes).build_id;
    if let (Some(ours), Some(theirs)) = (&links.build_id, &theirs)
        && ours != theirs
    {
        return Err(format!(
            "{}: build_id {theirs} does not match {}'s {ours}",
            debug.name, module.name
        ));
    }
    Ok(())
}

/// A file a module names (a path or a `file:` URL), found relative to the
/// module's directory.
fn resolve(target: &str, dir: Option<&Path>) -> std::result::Result<PathBuf, String> {
    let path = if let Some(rest) = target.strip_prefix("file://") {
        PathBuf::from(rest)
    } else if target.contains("://") {
        return Err(format!(
            "{target} is not a local file (fetch it and give it with --debug-file or --source-map)"
        ));
    } else {
        PathBuf::from(target)
    };
    let path = match dir {
        Some(dir) if path.is_relative() && dir != Path::new(".") => dir.join(path),
        _ => path,
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{target} names {}, which is not there",
            path.display()
        ))
    }
}

/// Reads the source map a module names: a `data:` URL inline, a file next
/// to the module, or for an `http(s)` URL a file of the same name next to it.
fn load_linked_map(
    url: &str,
    dir: Option<&Path>,
) -> std::result::Result<(String, SourceMap, Option<PathBuf>), String> {
    if let Some(data) = url.strip_prefix("data:") {
        let decoded = sourcemap::decode_data_url(url)
            .map_err(|e| format!("the inline map does not decode: {e}"))?;
        let mut json = Vec::new();
        decoded
            .to_writer(&mut json)
            .map_err(|e| format!("the inline map does not decode: {e}"))?;
        let map = SourceMap::parse(&json).map_err(|e| format!("the inline map: {e}"))?;
        let _ = data;
        return Ok(("(inline)".to_string(), map, dir.map(Path::to_path_buf)));
    }
    let local = if url.starts_with("http://") || url.starts_with("https://") {
        let name = url.rsplit('/').next().unwrap_or_default();
        resolve(name, dir).map_err(|_| {
            format!("{url} is remote and {name} is not next to the module (give --source-map)")
        })?
    } else {
        resolve(url, dir)?
    };
    let bytes = std::fs::read(&local)
        .map_err(|e| format!("{}: {}", local.display(), crate::error::os_message(&e)))?;
    let map = SourceMap::parse(&bytes).map_err(|e| format!("{}: {e}", local.display()))?;
    let dir = local.parent().map(Path::to_path_buf);
    Ok((local.display().to_string(), map, dir))
}

/// Which source gave an answer, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// DWARF line tables and debug info entries.
    Dwarf,
    /// A source map.
    SourceMap,
    /// The name section: a function name, no line.
    NameSection,
    /// An export name: a function name, no line.
    Export,
    /// Nothing names the place: only the function index is known.
    None,
}

impl Origin {
    /// The name used in text and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Dwarf => "dwarf",
            Origin::SourceMap => "source-map",
            Origin::NameSection => "name section",
            Origin::Export => "export",
            Origin::None => "none",
        }
    }
}

/// One source-level frame at an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// The function, demangled unless raw names were asked for.
    pub function: Option<String>,
    /// The source file (remapped with `--source-prefix`).
    pub file: Option<String>,
    /// Line, from 1.
    pub line: Option<u32>,
    /// Column, from 1.
    pub column: Option<u32>,
    /// Whether this frame was inlined into the next one.
    pub inlined: bool,
}

impl Frame {
    fn named(function: Option<String>) -> Frame {
        Frame {
            function,
            file: None,
            line: None,
            column: None,
            inlined: false,
        }
    }

    /// `file:line:column`, as far as known.
    pub fn place(&self) -> Option<String> {
        Some(place(self.file.as_deref()?, self.line, self.column))
    }
}

/// `file:line:column`, `file:line` or `file`, as far as known (0 counts as
/// unknown).
pub fn place(file: &str, line: Option<u32>, column: Option<u32>) -> String {
    match (line.filter(|l| *l > 0), column.filter(|c| *c > 0)) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        (Some(l), None) => format!("{file}:{l}"),
        _ => file.to_string(),
    }
}

/// What made the byte at one module offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The module-relative offset asked about.
    pub address: usize,
    /// The same, relative to the code section's contents (as DWARF counts).
    pub code_offset: Option<usize>,
    /// The function whose body holds the address.
    pub function_index: Option<u32>,
    /// The address relative to that body's start (after its size).
    pub function_offset: Option<usize>,
    /// Which source answered.
    pub origin: Origin,
    /// Source frames, innermost first: inlined frames, then the function
    /// the code is in. Empty only when the address is not in any function.
    pub frames: Vec<Frame>,
    /// Why a better source did not answer, when it failed rather than had
    /// nothing to say (damaged DWARF, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Code whose bytes came from one source line: a row of a line table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRow {
    /// Module-relative byte range.
    pub range: Range<usize>,
    /// The source file (remapped), if the row names one.
    pub file: Option<String>,
    /// Line, from 1 (0: no line).
    pub line: u32,
    /// Column, from 1 (0: the whole line).
    pub column: u32,
}

/// Which debug info a module has, and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Where the DWARF was read from: the module, or a debug file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwarf: Option<String>,
    /// Where the source map was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_map: Option<String>,
    /// Whether the module has a name section with function names.
    pub names: bool,
    /// What was looked for and not used, and why.
    pub notes: Vec<String>,
}

/// A module's debug info, open for lookups.
#[derive(Debug)]
pub struct DebugInfo<'a> {
    index: &'a ModuleIndex,
    code_start: usize,
    dwarf: Option<dwarf::Dwarf<'a>>,
    /// The bytes the DWARF is read from, to release pages of between passes.
    dwarf_bytes: &'a Bytes,
    source_map: Option<&'a SourceMap>,
    source_map_rows: OnceLock<Vec<(usize, Option<String>, u32)>>,
    source_map_dir: Option<&'a Path>,
    options: DebugOptions,
    files: SourceFiles,
    /// What was found and used.
    pub found: Found,
}

impl<'a> DebugInfo<'a> {
    /// Opens a module's debug info with its companions. Damaged DWARF does
    /// not fail here: it is noted, and lookups fall back to the next source.
    pub fn new(
        module: &'a Loaded,
        companions: &'a Companions,
        options: &DebugOptions,
    ) -> DebugInfo<'a> {
        let index = &module.index;
        let code_start = index
            .sections
            .iter()
            .find(|s| s.id == 10)
            .map_or(0, |s| s.range.start);
        let mut notes = companions.notes.clone();
        let (dwarf_index, dwarf_bytes, dwarf_name): (&ModuleIndex, &Bytes, String) =
            match &companions.debug_file {
                Some(debug) => (&debug.index, &debug.bytes, debug.name.clone()),
                None => (index, &module.bytes, "module".to_string()),
            };
        let dwarf = if has_dwarf(dwarf_index) {
            match dwarf::Dwarf::open(dwarf_index, dwarf_bytes) {
                Ok(d) => {
                    if let Some((count, first)) = &d.unreadable {
                        notes.push(format!(
                            "{dwarf_name}: {count} DWARF compile {} cannot be read (the first {first}); code they describe has no lines",
                            if *count == 1 { "unit" } else { "units" }
                        ));
                    }
                    // Opening read every unit's header; lookups read few.
                    dwarf_bytes.release(d.span.clone());
                    Some(d)
                }
                Err(e) => {
                    notes.push(format!("{dwarf_name}: DWARF cannot be read: {e}"));
                    None
                }
            }
        } else {
            None
        };
        let source_map = companions.source_map.as_ref().map(|(_, map)| map);
        let files = SourceFiles::with_embedded(
            source_map
                .map(SourceMap::embedded_sources)
                .unwrap_or_default(),
        );
        let found = Found {
            dwarf: dwarf.as_ref().map(|_| dwarf_name),
            source_map: companions.source_map.as_ref().map(|(n, _)| n.clone()),
            names: index.functions.iter().any(|f| f.name.is_some()),
            notes,
        };
        DebugInfo {
            index,
            code_start,
            dwarf,
            dwarf_bytes,
            source_map,
            source_map_rows: OnceLock::new(),
            source_map_dir: companions.source_map_dir.as_deref(),
            options: options.clone(),
            files,
            found,
        }
    }

    /// Where the code section's contents start: DWARF addresses count from
    /// here.
    pub fn code_start(&self) -> usize {
        self.code_start
    }

    /// Whether DWARF or a source map can give lines.
    pub fn has_lines(&self) -> bool {
        self.dwarf.is_some() || self.source_map.is_some()
    }

    fn display_name(&self, raw: &str) -> String {
        crate::demangle::display_name(raw, self.options.raw_names)
    }

    fn file_name(&self, name: &str) -> String {
        remap(name, &self.options.prefixes)
    }

    /// The function's name from the name section, else an export's.
    fn wasm_name(&self, func: u32) -> Option<(String, Origin)> {
        if let Some(name) = self.index.function_name(func) {
            return Some((self.display_name(name), Origin::NameSection));
        }
        self.index
            .exports
            .iter()
            .find(|e| e.kind == ItemKind::Func && e.index == func)
            .map(|e| (e.name.clone(), Origin::Export))
    }

    /// What made the byte at a module offset, from the best source that
    /// knows.
    pub fn lookup(&self, address: usize) -> Place {
        let function_index = self.index.function_at(address);
        let body = function_index.and_then(|f| self.index.body(f));
        let mut place = Place {
            address,
            code_offset: address
                .checked_sub(self.code_start)
                .filter(|_| body.is_some()),
            function_index,
            function_offset: body.map(|b| address - b.start),
            origin: Origin::None,
            frames: Vec::new(),
            warning: None,
        };
        let Some(func) = function_index else {
            return place;
        };
        match self.dwarf_frames(place.code_offset) {
            Ok(frames) if !frames.is_empty() => {
                place.origin = Origin::Dwarf;
                place.frames = frames;
            }
            Ok(_) => {}
            Err(e) => place.warning = Some(format!("DWARF: {e}")),
        }
        if place.frames.is_empty()
            && let Some(frame) = self.source_map_frame(address, func)
        {
            place.origin = Origin::SourceMap;
            place.frames.push(frame);
        }
        let wasm_name = self.wasm_name(func);
        match place.frames.last_mut() {
            // DWARF without a name for the function: the name section's.
            Some(outer) if outer.function.is_none() => {
                outer.function = wasm_name.map(|(n, _)| n);
            }
            // DWARF may name the function briefly (`checked_ratio`) where
            // the name section has its path (`tally::checked_ratio`).
            Some(outer) => {
                if let (Some(short), Some((full, Origin::NameSection))) =
                    (&outer.function, &wasm_name)
                    && fuller_name(short, full)
                {
                    outer.function = Some(full.clone());
                }
            }
            None => {
                let (name, origin) = match wasm_name {
                    Some((name, origin)) => (Some(name), origin),
                    None => (None, Origin::None),
                };
                place.origin = origin;
                place.frames.push(Frame::named(name));
            }
        }
        place
    }

    /// Looks up many module offsets: the answers are those of
    /// [`DebugInfo::lookup`], in the order given. The offsets are taken in
    /// address order, so that each compile unit is read in one stretch, and
    /// the pages of the DWARF that a stretch read leave memory after it (a
    /// mapped module's pages are read again from the file cache if needed):
    /// memory holds what the lookups parsed, not the whole DWARF.
    pub fn lookup_all(&self, addresses: &[usize]) -> Vec<Place> {
        /// Pages of the DWARF are released after this many lookups.
        const RELEASE_EVERY: usize = 128;
        let mut order: Vec<(usize, usize)> = addresses.iter().copied().enumerate().collect();
        order.sort_unstable_by_key(|&(i, address)| (address, i));
        let mut places: Vec<(usize, Place)> = Vec::with_capacity(addresses.len());
        for (k, &(i, address)) in order.iter().enumerate() {
            places.push((i, self.lookup(address)));
            if k % RELEASE_EVERY == RELEASE_EVERY - 1 {
                self.release();
            }
        }
        places.sort_unstable_by_key(|(i, _)| *i);
        places.into_iter().map(|(_, place)| place).collect()
    }

    /// Lets the pages of the DWARF that lookups read so far leave memory
    /// (see [`Bytes::release`]); what the lookups parsed is kept. Callers
    /// that look up many addresses one by one call it now and then.
    pub fn release(&self) {
        if let Some(dwarf) = &self.dwarf {
            self.dwarf_bytes.release(dwarf.span.clone());
        }
    }

    fn dwarf_frames(&self, code_offset: Option<usize>) -> std::result::Result<Vec<Frame>, String> {
        let (Some(dwarf), Some(probe)) = (&self.dwarf, code_offset) else {
            return Ok(Vec::new());
        };
        dwarf.check(probe as u64)?;
        let mut iter = dwarf
            .context
            .find_frames(probe as u64)
            .skip_all_loads()
            .map_err(|e| e.to_string())?;
        let mut frames = Vec::new();
        // Inlining depth is bounded by the DWARF, which may be hostile.
        while let Some(frame) = iter.next().map_err(|e| e.to_string())?
            && frames.len() < 256
        {
            let function = match &frame.function {
                Some(name) => Some(self.display_name(&name.raw_name().map_err(|e| e.to_string())?)),
                None => None,
            };
            let (file, line, column) = match &frame.location {
                Some(loc) => (
                    loc.file.map(|f| self.file_name(&tidy(f))),
                    loc.line.filter(|l| *l > 0),
                    loc.column.filter(|c| *c > 0),
                ),
                None => (None, None, None),
            };
            if function.is_none() && file.is_none() {
                continue;
            }
            frames.push(Frame {
                function,
                file,
                line,
                column,
                inlined: true,
            });
        }
        if let Some(outer) = frames.last_mut() {
            outer.inlined = false;
        }
        if frames.is_empty()
            && let Some(why) = dwarf.why_nothing(probe as u64)
        {
            return Err(why);
        }
        Ok(frames)
    }

    fn source_map_frame(&self, address: usize, func: u32) -> Option<Frame> {
        let map = self.source_map?;
        let mapped = map.lookup(u32::try_from(address).ok()?)?;
        // A mapping that starts in another function says nothing about this one.
        if self.index.function_at(mapped.from as usize) != Some(func) {
            return None;
        }
        let function = self.wasm_name(func).map(|(n, _)| n).or(mapped.name);
        Some(Frame {
            function,
            file: mapped.file.map(|f| self.file_name(&f)),
            line: Some(mapped.line),
            column: Some(mapped.column),
            inlined: false,
        })
    }

    /// The line-table rows covering a module-relative byte range, in
    /// address order, from DWARF or else the source map.
    pub fn rows(&self, range: Range<usize>) -> Result<Vec<LineRow>> {
        if let Some(dwarf) = &self.dwarf {
            let start = range.start.saturating_sub(self.code_start) as u64;
            let end = range.end.saturating_sub(self.code_start) as u64;
            let rows = dwarf
                .rows(start..end)
                .map_err(|e| Error::Other(format!("DWARF: {e}")))?;
            return Ok(rows
                .into_iter()
                .map(|r| LineRow {
                    range: (r.range.start as usize + self.code_start)
                        ..(r.range.end as usize).saturating_add(self.code_start),
                    file: r.file.map(|f| self.file_name(&f)),
                    line: r.line.unwrap_or(0),
                    column: r.column.unwrap_or(0),
                })
                .collect());
        }
        let Some(map) = self.source_map else {
            return Ok(Vec::new());
        };
        let all = self.source_map_rows.get_or_init(|| {
            map.mappings()
                .map(|(at, file, line)| (at as usize, file.map(|f| self.file_name(&f)), line))
                .collect()
        });
        let first = all.partition_point(|(at, _, _)| *at < range.start);
        // The mapping before the range covers its first bytes.
        let first = if all.get(first).is_none_or(|(at, _, _)| *at > range.start) {
            first.saturating_sub(1)
        } else {
            first
        };
        let mut rows = Vec::new();
        for (i, (at, file, line)) in all.iter().enumerate().skip(first) {
            if *at >= range.end {
                break;
            }
            let next = all.get(i + 1).map_or(range.end, |(n, _, _)| *n);
            let start = (*at).max(range.start);
            let end = next.min(range.end);
            if start < end {
                rows.push(LineRow {
                    range: start..end,
                    file: file.clone(),
                    line: *line,
                    column: 0,
                });
            }
        }
        Ok(rows)
    }

    /// Which code came from a source line: the module byte ranges its
    /// line-table rows cover, each with the function it is in, in address
    /// order. `file` is named as this layer names files (remapped).
    pub fn code_of_line(&self, file: &str, line: u32) -> Result<Vec<(Range<usize>, u32)>> {
        let mut bodies = self
            .index
            .defined_functions()
            .filter_map(|f| f.body.clone());
        let Some(first) = bodies.next() else {
            return Ok(Vec::new());
        };
        let end = bodies.last().map_or(first.end, |b| b.end);
        Ok(self
            .rows(first.start..end)?
            .into_iter()
            .filter(|r| r.line == line && r.file.as_deref() == Some(file))
            .filter_map(|r| Some((r.range.clone(), self.index.function_at(r.range.start)?)))
            .collect())
    }

    /// The name of the DWARF compile unit whose code holds a module offset
    /// (`src/main.rs`, `../../src/lib.c`), if DWARF covers it.
    pub fn unit_name(&self, address: usize) -> Option<String> {
        let dwarf = self.dwarf.as_ref()?;
        let probe = address.checked_sub(self.code_start)? as u64;
        dwarf.check(probe).ok()?;
        let unit = dwarf.context.find_dwarf_and_unit(probe).skip_all_loads()?;
        let name = unit.name.as_ref()?;
        Some(self.file_name(&tidy(&name.to_string_lossy())))
    }

    /// Where the code at a module offset was written in the function it is
    /// compiled into: for code inlined from elsewhere, the call site in the
    /// outermost function; otherwise the line itself.
    pub fn outer_line(&self, address: usize) -> Option<(String, u32)> {
        let place = self.lookup(address);
        if !matches!(place.origin, Origin::Dwarf | Origin::SourceMap) {
            return None;
        }
        let outer = place.frames.last()?;
        Some((outer.file.clone()?, outer.line.unwrap_or(0)))
    }

    /// The text of a source line, when the file can be read here (or the
    /// source map carries it).
    pub fn source_line(&self, file: &str, line: u32) -> Option<String> {
        let path = match self.source_map_dir {
            Some(dir) if self.dwarf.is_none() && Path::new(file).is_relative() => dir.join(file),
            _ => PathBuf::from(file),
        };
        self.files.get(file, &path)?.line(line).map(str::to_string)
    }

    /// The text of a whole source file, when it can be read here.
    pub fn source_text(&self, file: &str) -> Option<std::sync::Arc<SourceText>> {
        let path = match self.source_map_dir {
            Some(dir) if self.dwarf.is_none() && Path::new(file).is_relative() => dir.join(file),
            _ => PathBuf::from(file),
        };
        self.files.get(file, &path)
    }
}

/// Whether `full` is the same function as `short` with its path spelled
/// out: `tally::checked_ratio` for `checked_ratio`, and generic arguments
/// aside (`call_once<fn(), ()>`).
fn fuller_name(short: &str, full: &str) -> bool {
    let bare = |s: &str| s.split('<').next().unwrap_or(s).trim().to_string();
    let (short, full_bare) = (bare(short), bare(full));
    !short.is_empty()
        && full != short
        && (full_bare == short || full_bare.ends_with(&format!("::{short}")))
}

/// What `info` says about a module's debug info.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The DWARF in the module itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwarf: Option<DwarfSummary>,
    /// `build_id`, `external_debug_info`, `sourceMappingURL`.
    #[serde(flatten)]
    pub links: Links,
}

/// Summarises the debug info a module carries or points to. Damaged DWARF
/// yields what could be read.
pub fn summarise(index: &ModuleIndex, bytes: &[u8]) -> Summary {
    let dwarf = index
        .customs
        .iter()
        .any(|c| is_dwarf_section(&c.name))
        .then(|| dwarf_summary(index, bytes).unwrap_or_default());
    Summary {
        dwarf,
        links: Links::read(index, bytes),
    }
}

#[cfg(test)]
mod tests;
