//! One function's text on its own, without printing the module around it:
//! the printer is run on a small module holding only what that text depends
//! on, and its offsets are moved back to the input's.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use wasmprinter::Config;

use super::filter::LineFilter;
use super::printer_error;
use super::renames::{Renames, names_for};
use super::styled::{StyledLine, StyledLines};
use crate::error::{DecodeError, Error, Result};
use crate::index::ModuleIndex;

/// Prints one defined function of `module` (a core module indexed from
/// `bytes`, the whole input) as styled lines with input offsets.
///
/// Only what the function's text depends on is printed: the printer is run
/// on a small module made of the types, imports and other declarations, the
/// functions before this one with empty bodies, this body, and the name
/// section. So the time it takes does not grow with the size of the other
/// functions, the data or the debug info.
pub fn function_text(bytes: &[u8], module: &ModuleIndex, func: u32) -> Result<Vec<StyledLine>> {
    function_text_renamed(bytes, module, func, None)
}

/// [`function_text`] with functions, globals and types named by `renames`
/// instead of the module's name section.
pub fn function_text_renamed(
    bytes: &[u8],
    module: &ModuleIndex,
    func: u32,
    renames: Option<&Renames>,
) -> Result<Vec<StyledLine>> {
    let imported = module.imported_functions();
    let body = module.body(func).ok_or_else(|| {
        Error::Other(match module.functions.get(func as usize) {
            Some(_) => format!("function {func} is imported and has no body"),
            None => format!("no function {func}"),
        })
    })?;
    let position = (func - imported) as usize;
    let targets = call_targets(bytes, body.clone());
    let mut named: HashSet<u32> = targets.values().copied().collect();
    named.insert(func);
    // With names given, the function goes alone at the first defined
    // index: its callees are named by index whether they exist there or
    // not, so nothing else need be printed.
    let (synthetic, printed_as) = match renames {
        Some(renames) => (
            function_alone(bytes, module, func, body.clone(), &named, renames)?,
            imported,
        ),
        None => (
            function_module(bytes, module, position, body.clone(), func, &named)?,
            func,
        ),
    };
    let small = ModuleIndex::build(&synthetic).map_err(|e| Error::Other(e.message))?;
    let small_body = small
        .body(printed_as)
        .ok_or_else(|| Error::Other(format!("function {func} could not be isolated")))?;
    let delta = body.start as i64 - small_body.start as i64;

    let mut config = Config::new();
    config.print_offsets(false);
    let mut sink = StyledLines::default();
    let mut filter = LineFilter::new(&mut sink, small_body);
    let result = config.print(&synthetic, &mut filter);
    if !filter.finished {
        result.map_err(|e| printer_error(&synthetic, "function", e))?;
    }
    let mut lines = sink.lines;
    for line in &mut lines {
        line.offset = line
            .offset
            .and_then(|o| usize::try_from(o as i64 + delta).ok());
        line.target = line.offset.and_then(|o| targets.get(&o).copied());
    }
    Ok(lines)
}

/// A module of the declarations of `module` and the one function `func`,
/// at the first defined index, named by `renames`. The function's own
/// header line names whatever that index names (a callee, or nothing):
/// callers of this text write the header themselves.
fn function_alone(
    bytes: &[u8],
    module: &ModuleIndex,
    func: u32,
    body: Range<usize>,
    named: &HashSet<u32>,
    renames: &Renames,
) -> Result<Vec<u8>> {
    use wasm_encoder::{CodeSection, FunctionSection, RawSection};
    let imported = module.imported_functions();
    let ty = module
        .functions
        .get(func as usize)
        .map(|f| f.type_index)
        .ok_or_else(|| Error::Other(format!("no function {func}")))?;
    let mut out = wasm_encoder::Module::new();
    for section in &module.sections {
        match section.id {
            1 | 2 | 4 | 5 | 6 | 12 | 13 => {
                out.section(&RawSection {
                    id: section.id,
                    data: part(bytes, section.range.clone(), "section")?,
                });
            }
            3 => {
                let mut functions = FunctionSection::new();
                functions.function(ty);
                out.section(&functions);
            }
            10 => {
                let mut code = CodeSection::new();
                code.raw(part(bytes, body.clone(), "function body")?);
                out.section(&code);
            }
            11 => {
                out.section(&data_stand_in(bytes, section.range.clone()));
            }
            _ => {}
        }
    }
    out.section(&renames.name_section(func, imported, named));
    Ok(out.finish())
}

/// The bytes of `range`, a section or a function body (`what`) of the
/// input.
fn part<'a>(bytes: &'a [u8], range: Range<usize>, what: &str) -> Result<&'a [u8]> {
    bytes.get(range.clone()).ok_or_else(|| {
        Error::Other(DecodeError::new(range.start, format!("{what} out of bounds")).to_string())
    })
}

/// Empty passive segments standing in for a data section, as many as it
/// has: a data count section (copied with the declarations) must be matched,
/// and the printer stops before the data anyway. The count is bounded by the
/// section's size, since every segment takes at least two bytes.
fn data_stand_in(bytes: &[u8], range: Range<usize>) -> wasm_encoder::DataSection {
    let content = bytes.get(range.clone()).unwrap_or_default();
    let count = wasmparser::BinaryReader::new(content, 0)
        .read_var_u32()
        .unwrap_or(0)
        .min(u32::try_from(range.len() / 2).unwrap_or(u32::MAX));
    let mut data = wasm_encoder::DataSection::new();
    for _ in 0..count {
        data.passive([]);
    }
    data
}

/// The module [`function_text`] prints: declarations, empty bodies for the
/// functions before `position`, the body itself, and the names it needs.
fn function_module(
    bytes: &[u8],
    module: &ModuleIndex,
    position: usize,
    body: Range<usize>,
    func: u32,
    named: &HashSet<u32>,
) -> Result<Vec<u8>> {
    use wasm_encoder::{CodeSection, FunctionSection, RawSection};
    let mut out = wasm_encoder::Module::new();
    for section in &module.sections {
        let data = part(bytes, section.range.clone(), "section")?;
        let raw = RawSection {
            id: section.id,
            data,
        };
        match section.id {
            // Types, imports, tables, memories, globals, data count, tags.
            1 | 2 | 4 | 5 | 6 | 12 | 13 => {
                out.section(&raw);
            }
            3 => {
                let reader = wasmparser::FunctionSectionReader::new(wasmparser::BinaryReader::new(
                    data,
                    section.range.start as u64,
                ))
                .map_err(|e| Error::Other(e.message().to_string()))?;
                let mut functions = FunctionSection::new();
                for ty in reader.into_iter().take(position + 1) {
                    functions.function(ty.map_err(|e| Error::Other(e.message().to_string()))?);
                }
                out.section(&functions);
            }
            10 => {
                let mut code = CodeSection::new();
                for _ in 0..position {
                    // No locals, then `end`.
                    code.raw(&[0x00, 0x0b]);
                }
                code.raw(part(bytes, body.clone(), "function body")?);
                out.section(&code);
            }
            11 => {
                out.section(&data_stand_in(bytes, section.range.clone()));
            }
            0 if section.custom_name.as_deref() == Some("name") => {
                let data = module
                    .customs
                    .iter()
                    .find(|c| c.section.start == section.header_offset)
                    .map(|c| c.data.clone());
                match names_for(bytes, data, func, named) {
                    Some(names) => out.section(&names),
                    None => out.section(&raw),
                };
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

/// The functions named by calls and `ref.func` in a body, by the offset of
/// the instruction.
fn call_targets(bytes: &[u8], body: Range<usize>) -> HashMap<usize, u32> {
    let mut targets = HashMap::new();
    // A damaged body is printed as far as it decodes, and so are its targets.
    let _ = crate::body::references(bytes, body, |at, reference| {
        if let Some(func) = reference.function() {
            targets.insert(at, func);
        }
    });
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{FunctionSelector, PrintOptions, print_to_string};

    /// One function printed on its own reads exactly as it does in the
    /// whole module's text, offsets included, for every function of the
    /// demo module (calls, locals, labels, globals, data all named).
    #[test]
    fn function_text_matches_the_whole_module_print() {
        let bytes = crate::demo::BYTES;
        let index = ModuleIndex::build(bytes).expect("indexes");
        let mut compared = 0;
        for f in index.defined_functions() {
            let opts = PrintOptions {
                function: Some(FunctionSelector::Index(f.index)),
                ..PrintOptions::default()
            };
            let whole = print_to_string(bytes, "demo", &opts).expect("prints");
            let mut expected: Vec<(Option<usize>, String)> = whole
                .lines()
                .map(|line| {
                    // `(;@9bf   ;)` then the text; blanks where no offset.
                    let (mark, text) = line.split_at(11);
                    let offset = mark.strip_prefix("(;@").and_then(|m| {
                        usize::from_str_radix(m.trim_end_matches(";)").trim(), 16).ok()
                    });
                    (offset, text.to_string())
                })
                .collect();
            // With offsets on, wasmprinter closes an empty body on a line
            // of its own; without, on the header line.
            if let [(offset, header), (_, close)] = expected.as_slice()
                && close.trim() == ")"
            {
                expected = vec![(*offset, format!("{header})"))];
            }
            let alone: Vec<(Option<usize>, String)> = function_text(bytes, &index, f.index)
                .expect("prints alone")
                .into_iter()
                .map(|line| (line.offset, line.text()))
                .collect();
            assert_eq!(alone, expected, "function {}", f.index);
            compared += 1;
        }
        assert_eq!(compared, 242);
    }

    #[test]
    fn function_text_finds_call_targets_and_refuses_imports() {
        let bytes = crate::demo::BYTES;
        let index = ModuleIndex::build(bytes).expect("indexes");
        let lines = function_text(bytes, &index, 16).expect("_start prints");
        let call = lines
            .iter()
            .find(|l| l.text().contains("call $__main_void"))
            .expect("_start calls __main_void");
        assert_eq!(call.target, index.find_function("__main_void"));
        assert!(function_text(bytes, &index, 0).is_err());
        assert!(function_text(bytes, &index, 100_000).is_err());
    }
}
