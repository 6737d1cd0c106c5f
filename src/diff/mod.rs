//! What changed between two builds of a module: [`diff`] and its options.
//! Functions are matched across the two sides (`matching`: by export name,
//! name-section name, normalised body, then position), and their text is
//! compared with both sides naming functions, globals and types the same
//! way, so that renumbering alone changes nothing (`functions`). Sections,
//! imports, exports and globals (`items`), data and custom sections
//! (`blobs`), capabilities (`capabilities`) and a component's own items and
//! nested modules (`components`) each have their own module; the result is
//! the plain data of `report`.

mod blobs;
mod capabilities;
mod components;
mod functions;
mod items;
mod matching;
mod report;
mod wit;

use std::collections::HashSet;

use crate::error::DecodeError;
use crate::index::ModuleIndex;

pub use report::{
    BlobChange, CapabilityChange, Change, Counts, FunctionChange, Hunk, ItemChange, MatchedBy,
    ModuleDiff, Pair, SectionSize, Tally,
};

pub use wit::{WitChange, WitDiff, compare_wit};

use matching::Matching;

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Leave custom sections out.
    pub ignore_custom: bool,
    /// Compare only this function (by name, export name or old index).
    pub function: Option<String>,
    /// Lines of context around each change in a function's text.
    pub context: usize,
    /// Only the summary: skip printing function text.
    pub stat: bool,
    /// Compress both inputs with gzip and brotli.
    pub compressed: bool,
}

/// One input: its name, bytes and index.
pub struct Side<'a> {
    /// The name used in messages.
    pub name: &'a str,
    /// The whole input.
    pub bytes: &'a [u8],
    /// Its index.
    pub index: &'a ModuleIndex,
}

/// Compares two indexed inputs.
pub fn diff(old: &Side, new: &Side, opts: &DiffOptions) -> Result<ModuleDiff, DecodeError> {
    let mut out = compare(old, new, old.index, new.index, opts)?;
    out.identical = old.bytes == new.bytes;
    if opts.compressed {
        let (o, n) = rayon::join(
            || crate::compressed::Compressed::of(old.bytes),
            || crate::compressed::Compressed::of(new.bytes),
        );
        out.compressed = Some(Pair { old: o, new: n });
    }
    if old.index.component || new.index.component {
        components::compare_components(old, new, opts, &mut out)?;
    }
    // WIT on both sides: the contracts compared. A side whose WIT cannot be
    // decoded has none to compare (its other differences still count).
    if crate::wit::may_have_wit(old.index)
        && crate::wit::may_have_wit(new.index)
        && let (Ok(o), Ok(n)) = (
            crate::wit::Wit::decode(old.bytes),
            crate::wit::Wit::decode(new.bytes),
        )
    {
        out.wit = Some(compare_wit(&o.report(), &n.report()));
    }
    Ok(out)
}

/// Compares one module of each side (the inputs themselves, or modules
/// nested in them): pair, compare each concern, then count.
fn compare(
    old: &Side,
    new: &Side,
    o: &ModuleIndex,
    n: &ModuleIndex,
    opts: &DiffOptions,
) -> Result<ModuleDiff, DecodeError> {
    let sections = items::section_sizes(o, n, opts);
    let imports = items::item_changes(items::imports(o), items::imports(n));
    let exports = items::item_changes(items::exports(o), items::exports(n));
    let globals = items::item_changes(items::globals(o), items::globals(n));
    let matching = Matching::build(old.bytes, new.bytes, o, n)?;
    let functions = functions::function_changes(old.bytes, new.bytes, o, n, &matching, opts)?;
    let data = blobs::data_changes(old.bytes, new.bytes, o, n);
    let customs = if opts.ignore_custom {
        Vec::new()
    } else {
        blobs::custom_changes(old.bytes, new.bytes, o, n)
    };
    let (needs, capabilities) = capabilities::capability_changes(old, new, o, n)?;
    let counts = Counts {
        functions: Tally::count(&functions),
        renamed_functions: functions
            .iter()
            .filter(|f| f.change == Change::Renamed)
            .count(),
        moved_functions: moved_functions(&matching, &functions),
        imports: Tally::count(&imports),
        exports: Tally::count(&exports),
        globals: Tally::count(&globals),
        data: Tally::count(&data),
        customs: Tally::count(&customs),
    };
    Ok(ModuleDiff {
        file: Pair {
            old: old.name.to_string(),
            new: new.name.to_string(),
        },
        size: Pair {
            old: o.range.len(),
            new: n.range.len(),
        },
        identical: false,
        counts,
        sections,
        imports,
        exports,
        functions,
        globals,
        data,
        customs,
        needs,
        capabilities,
        component_items: Vec::new(),
        nested: Vec::new(),
        wit: None,
        compressed: None,
    })
}

/// Paired functions at a new index that are not otherwise listed: moves
/// alone are only counted.
fn moved_functions(matching: &Matching, functions: &[FunctionChange]) -> usize {
    let listed: HashSet<u32> = functions.iter().filter_map(|f| f.index.old).collect();
    matching
        .pairs
        .iter()
        .filter(|(a, b)| a != b && !listed.contains(a))
        .count()
}
