//! DWARF read in place from a module's custom sections, through gimli and
//! addr2line. Nothing is decoded up front beyond the compile units' address
//! ranges; line tables and functions are parsed unit by unit on first use.

use std::collections::BTreeSet;
use std::ops::Range;

use addr2line::gimli::{self, EndianSlice, LittleEndian, SectionId};
use serde::Serialize;

use crate::index::ModuleIndex;

/// How the DWARF sections are read: borrowed from the module's bytes.
pub type Reader<'a> = EndianSlice<'a, LittleEndian>;

/// A module's (or a debug file's) DWARF, ready for lookups.
pub struct Dwarf<'a> {
    pub(super) context: addr2line::Context<Reader<'a>>,
    /// The same sections the context reads, with one cache of abbreviation
    /// tables for both.
    sections: std::sync::Arc<gimli::Dwarf<Reader<'a>>>,
    /// Each compile unit: where its header is, the code it covers, and
    /// whether its entries were checked (and found sound).
    units: Vec<UnitCheck<'a>>,
    /// Every unit range as `(start, end, unit, reach)`, sorted by start,
    /// with `reach` the largest end so far: the units of an address are
    /// found without looking at them all.
    ranges: Vec<(u64, u64, usize, u64)>,
    /// Units that cannot be read at all: how many, and the first error.
    pub(super) unreadable: Option<(usize, String)>,
    /// Where the DWARF sections are in the bytes they were read from.
    pub(super) span: Range<usize>,
}

struct UnitCheck<'a> {
    header: gimli::UnitHeader<Reader<'a>>,
    ranges: Vec<std::ops::Range<u64>>,
    sound: std::cell::OnceCell<Result<(), String>>,
}

/// Entries nested deeper than this are refused: a DWARF reader recurses on
/// nesting, and real compilers stay far below (inlining depth is bounded by
/// their own limits).
const MAX_NESTING: isize = 512;

impl std::fmt::Debug for Dwarf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dwarf")
    }
}

/// The DWARF sections of a module by name, as slices of its bytes.
fn section<'a>(index: &ModuleIndex, bytes: &'a [u8], id: SectionId) -> &'a [u8] {
    index
        .customs
        .iter()
        .find(|c| c.name == id.name())
        .and_then(|c| bytes.get(c.data.clone()))
        .unwrap_or_default()
}

/// Whether a module carries DWARF that can map code to lines.
pub fn has_dwarf(index: &ModuleIndex) -> bool {
    index.customs.iter().any(|c| c.name == ".debug_info")
        && index.customs.iter().any(|c| c.name == ".debug_line")
}

/// The gimli view of a module's DWARF sections.
fn sections<'a>(index: &ModuleIndex, bytes: &'a [u8]) -> gimli::Dwarf<Reader<'a>> {
    let load = |id: SectionId| -> Result<Reader<'a>, std::convert::Infallible> {
        Ok(EndianSlice::new(section(index, bytes, id), LittleEndian))
    };
    match gimli::Dwarf::load(load) {
        Ok(dwarf) => dwarf,
        Err(never) => match never {},
    }
}

impl<'a> Dwarf<'a> {
    /// Opens the DWARF of a module: reads the compile units' address ranges
    /// and nothing more.
    pub fn open(index: &ModuleIndex, bytes: &'a [u8]) -> Result<Dwarf<'a>, gimli::Error> {
        let mut sections = sections(index, bytes);
        sections.populate_abbreviations_cache(gimli::AbbreviationsCacheStrategy::All);
        let sections = std::sync::Arc::new(sections);
        let context = addr2line::Context::from_arc_dwarf(sections.clone())?;
        let mut units = Vec::new();
        let mut unreadable: Option<(usize, String)> = None;
        let mut headers = sections.units();
        while let Some(header) = headers.next()? {
            // A unit whose ranges cannot be read covers nothing here, as in
            // the lookups; it is counted, to be said.
            let ranges = sections
                .unit(header)
                .and_then(|unit| {
                    let mut ranges = Vec::new();
                    let mut iter = sections.unit_ranges(&unit)?;
                    while let Some(r) = iter.next()? {
                        ranges.push(r.begin..r.end);
                    }
                    Ok(ranges)
                })
                .unwrap_or_else(|e| {
                    let (count, _) = unreadable.get_or_insert_with(|| {
                        (0, format!("at .debug_info+0x{:x}: {e}", header.offset().0))
                    });
                    *count += 1;
                    Vec::new()
                });
            units.push(UnitCheck {
                header,
                ranges,
                sound: std::cell::OnceCell::new(),
            });
        }
        let mut ranges: Vec<(u64, u64, usize, u64)> = units
            .iter()
            .enumerate()
            .flat_map(|(i, u)| u.ranges.iter().map(move |r| (r.start, r.end, i, 0)))
            .filter(|r| r.0 < r.1)
            .collect();
        ranges.sort_unstable_by_key(|r| (r.0, r.1));
        let mut reach = 0;
        for r in &mut ranges {
            reach = reach.max(r.1);
            r.3 = reach;
        }
        let span = index
            .customs
            .iter()
            .filter(|c| super::sections::is_dwarf_section(&c.name))
            .map(|c| c.data.clone())
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
            .unwrap_or_default();
        Ok(Dwarf {
            context,
            sections,
            units,
            ranges,
            unreadable,
            span,
        })
    }

    /// Checks, once per unit, that the compile units covering `probe` nest
    /// their entries no deeper than a reader can follow; an error names the
    /// unit. Called before every lookup that reads a unit's entries.
    pub fn check(&self, probe: u64) -> Result<(), String> {
        for unit in self.covering(probe) {
            unit.sound
                .get_or_init(|| nesting(&self.sections, unit.header))
                .clone()?;
        }
        Ok(())
    }

    /// Why a lookup that found nothing at `probe` found nothing, when a unit
    /// covers it and its line table cannot be read.
    pub fn why_nothing(&self, probe: u64) -> Option<String> {
        self.covering(probe)
            .find_map(|unit| line_table(&self.sections, unit.header).err())
    }

    /// The units whose ranges hold `probe`: the ranges that start at or
    /// before it, walked back while an earlier one could still reach it.
    fn covering(&self, probe: u64) -> impl Iterator<Item = &UnitCheck<'a>> {
        let upto = self.ranges.partition_point(|r| r.0 <= probe);
        self.ranges
            .get(..upto)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(move |r| r.3 > probe)
            .filter(move |r| r.1 > probe)
            .filter_map(|r| self.units.get(r.2))
    }
}

/// A unit read from its header, with where it is for messages.
fn open_unit<'a>(
    sections: &gimli::Dwarf<Reader<'a>>,
    header: gimli::UnitHeader<Reader<'a>>,
) -> Result<(gimli::Unit<Reader<'a>>, usize), String> {
    let at = header.offset().0;
    let unit = sections
        .unit(header)
        .map_err(|e| format!("the compile unit at .debug_info+0x{at:x}: {e}"))?;
    Ok((unit, at))
}

/// Walks a unit's entries (without recursion) to check how deep they nest.
fn nesting(
    sections: &gimli::Dwarf<Reader<'_>>,
    header: gimli::UnitHeader<Reader<'_>>,
) -> Result<(), String> {
    let (unit, at) = open_unit(sections, header)?;
    let fail = |e: gimli::Error| format!("the compile unit at .debug_info+0x{at:x}: {e}");
    // The raw walk: abbreviation codes and attribute sizes only.
    let mut entries = unit.entries_raw(None).map_err(fail)?;
    while !entries.is_empty() {
        if entries.next_depth() > MAX_NESTING {
            return Err(format!(
                "the compile unit at .debug_info+0x{at:x} nests entries deeper than {MAX_NESTING}"
            ));
        }
        if let Some(abbrev) = entries.read_abbreviation().map_err(fail)? {
            entries.skip_attributes(abbrev.attributes()).map_err(fail)?;
        }
    }
    Ok(())
}

/// What a module's DWARF is: for `info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DwarfSummary {
    /// DWARF versions of the compile units (usually one).
    pub versions: Vec<u16>,
    /// How many compile units there are.
    pub units: usize,
    /// Source languages named by the units (`Rust`, `C11`...).
    pub languages: Vec<String>,
    /// Compilers named by the units, each once.
    pub producers: Vec<String>,
    /// Bytes in `.debug_*` sections.
    pub bytes: usize,
}

/// Reads what the compile units say about themselves. Units that cannot be
/// read are counted and skipped: a summary should not fail on them.
pub fn summary(index: &ModuleIndex, bytes: &[u8]) -> Result<DwarfSummary, gimli::Error> {
    let dwarf = sections(index, bytes);
    let mut versions = BTreeSet::new();
    let mut languages = BTreeSet::new();
    let mut producers = BTreeSet::new();
    let mut units = 0;
    let mut headers = dwarf.units();
    while let Some(header) = headers.next()? {
        units += 1;
        versions.insert(header.version());
        let Ok(unit) = dwarf.unit(header) else {
            continue;
        };
        let mut entries = unit.entries();
        let Ok(Some(root)) = entries.next_dfs().map(|e| e.cloned()) else {
            continue;
        };
        if let Some(gimli::AttributeValue::Language(lang)) = root.attr_value(gimli::DW_AT_language)
        {
            languages.insert(language_name(lang));
        }
        if let Some(value) = root.attr_value(gimli::DW_AT_producer)
            && let Ok(name) = dwarf.attr_string(&unit, value)
        {
            producers.insert(name.to_string_lossy().into_owned());
        }
    }
    let bytes = index
        .customs
        .iter()
        .filter(|c| super::sections::is_dwarf_section(&c.name))
        .map(|c| c.data.len())
        .sum();
    Ok(DwarfSummary {
        versions: versions.into_iter().collect(),
        units,
        languages: languages.into_iter().collect(),
        producers: producers.into_iter().collect(),
        bytes,
    })
}

/// `DW_LANG_Rust` -> `Rust`, `DW_LANG_C11` -> `C11`.
fn language_name(lang: gimli::DwLang) -> String {
    match lang.static_string() {
        Some(name) => name.trim_start_matches("DW_LANG_").replace('_', " "),
        None => format!("language 0x{:x}", lang.0),
    }
}

/// A line-table row: code in `range` (code-section offsets) came from this
/// file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Code-section-relative addresses.
    pub range: Range<u64>,
    /// The file as the line table names it (joined, not remapped).
    pub file: Option<String>,
    /// Line, from 1 (`None` or 0 when the table says no line).
    pub line: Option<u32>,
    /// Column, from 1 (`None` or 0 for the whole line).
    pub column: Option<u32>,
}

impl Dwarf<'_> {
    /// The line-table rows that cover `range` (code-section offsets), in
    /// address order.
    pub fn rows(&self, range: Range<u64>) -> Result<Vec<Row>, gimli::Error> {
        let mut rows = Vec::new();
        if range.is_empty() {
            return Ok(rows);
        }
        for (start, len, loc) in self.context.find_location_range(range.start, range.end)? {
            rows.push(Row {
                range: start..start.saturating_add(len),
                file: loc.file.map(super::paths::tidy),
                line: loc.line,
                column: loc.column,
            });
        }
        Ok(rows)
    }
}

/// Reads a unit's line table through, to say what is wrong with it.
fn line_table(
    sections: &gimli::Dwarf<Reader<'_>>,
    header: gimli::UnitHeader<Reader<'_>>,
) -> Result<(), String> {
    let (unit, at) = open_unit(sections, header)?;
    if let Some(program) = unit.line_program.clone() {
        let mut rows = program.rows();
        loop {
            match rows.next_row() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    return Err(format!(
                        "the line table of the compile unit at .debug_info+0x{at:x}: {e}"
                    ));
                }
            }
        }
    }
    Ok(())
}
