//! The names one function's text is printed with: a comparison's renames,
//! or the module's own name section cut down to what that text shows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use wasm_encoder::{IndirectNameMap, NameMap};

use crate::index::ModuleIndex;

/// Names to print in place of the module's own: what a comparison of two
/// modules uses so that both sides name the same thing the same way, and
/// renumbering alone changes no text.
#[derive(Debug, Clone, Default)]
pub struct Renames {
    /// Function names by index.
    pub functions: HashMap<u32, String>,
    /// Global names by index.
    pub globals: HashMap<u32, String>,
    /// Type names by index.
    pub types: HashMap<u32, String>,
    /// Local names by function index, then local index.
    pub locals: HashMap<u32, Vec<(u32, String)>>,
    /// Label names by function index, then label index.
    pub labels: HashMap<u32, Vec<(u32, String)>>,
}

impl Renames {
    /// Takes the local and label names of `module` from its name section
    /// (read once, for all functions).
    pub fn read_locals(&mut self, bytes: &[u8], module: &ModuleIndex) {
        let Some(custom) = module.customs.iter().find(|c| c.name == "name") else {
            return;
        };
        let Some(data) = bytes.get(custom.data.clone()) else {
            return;
        };
        let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
            data,
            custom.data.start as u64,
        ));
        for subsection in reader.into_iter().flatten() {
            let (names, into) = match subsection {
                wasmparser::Name::Local(names) => (names, &mut self.locals),
                wasmparser::Name::Label(names) => (names, &mut self.labels),
                _ => continue,
            };
            for naming in names.into_iter().flatten() {
                let list = naming
                    .names
                    .flatten()
                    .map(|n| (n.index, n.name.to_string()))
                    .collect();
                into.insert(naming.index, list);
            }
        }
    }

    /// A name section for [`function_text`](super::function_text) of `func`
    /// printed alone as function `at`: the names of the few functions its
    /// text shows (`named`), not of the many the module has, its own
    /// locals and labels, and every type and global.
    pub(super) fn name_section(
        &self,
        func: u32,
        at: u32,
        named: &HashSet<u32>,
    ) -> wasm_encoder::NameSection {
        let sorted = |map: &HashMap<u32, String>| {
            let mut list: Vec<_> = map.iter().collect();
            list.sort();
            let mut names = NameMap::new();
            for (i, name) in list {
                names.append(*i, name);
            }
            names
        };
        let own = |list: Option<&Vec<(u32, String)>>| {
            let mut inner = NameMap::new();
            for (i, name) in list.into_iter().flatten() {
                inner.append(*i, name);
            }
            let mut outer = IndirectNameMap::new();
            outer.append(at, &inner);
            outer
        };
        let mut callees: Vec<u32> = named.iter().copied().collect();
        callees.sort_unstable();
        let mut functions = NameMap::new();
        for i in callees {
            if let Some(name) = self.functions.get(&i) {
                functions.append(i, name);
            }
        }
        let mut names = wasm_encoder::NameSection::new();
        names.functions(&functions);
        names.locals(&own(self.locals.get(&func)));
        names.labels(&own(self.labels.get(&func)));
        names.types(&sorted(&self.types));
        names.globals(&sorted(&self.globals));
        names
    }
}

/// The name section cut down to what one function's text shows: the names
/// of the functions in `named`, the locals and labels of `func`, and every
/// other kind of name. A large module's name section names tens of
/// thousands of functions; one function's text mentions a few. `None` when
/// the section does not decode (the printer then gets it as it is).
pub(super) fn names_for(
    bytes: &[u8],
    data: Option<Range<usize>>,
    func: u32,
    named: &HashSet<u32>,
) -> Option<wasm_encoder::NameSection> {
    use wasmparser::Name;
    // Subsections by id, for [`encode`].
    let mut module_name = None;
    let mut maps: BTreeMap<u8, NameMap> = BTreeMap::new();
    let mut indirects: BTreeMap<u8, IndirectNameMap> = BTreeMap::new();
    let mut unknown = Vec::new();
    if let Some(data) = data {
        let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
            bytes.get(data.clone())?,
            data.start as u64,
        ));
        let kept_names = names_of(reader.clone(), named)?;
        let all = |_| true;
        for subsection in reader {
            match subsection.ok()? {
                Name::Module { name, .. } => module_name = Some(name),
                Name::Function(names) => {
                    let mut kept = NameMap::new();
                    for naming in names {
                        let naming = naming.ok()?;
                        if named.contains(&naming.index) || kept_names.contains(naming.name) {
                            kept.append(naming.index, naming.name);
                        }
                    }
                    maps.insert(1, kept);
                }
                Name::Local(names) => {
                    indirects.insert(2, indirect(names, |i| i == func)?);
                }
                Name::Label(names) => {
                    indirects.insert(3, indirect(names, |i| i == func)?);
                }
                Name::Type(names) => {
                    maps.insert(4, map(names, all)?);
                }
                Name::Table(names) => {
                    maps.insert(5, map(names, all)?);
                }
                Name::Memory(names) => {
                    maps.insert(6, map(names, all)?);
                }
                Name::Global(names) => {
                    maps.insert(7, map(names, all)?);
                }
                Name::Element(names) => {
                    maps.insert(8, map(names, all)?);
                }
                Name::Data(names) => {
                    maps.insert(9, map(names, all)?);
                }
                Name::Field(names) => {
                    indirects.insert(10, indirect(names, all)?);
                }
                Name::Tag(names) => {
                    maps.insert(11, map(names, all)?);
                }
                Name::Parameter(names) => {
                    indirects.insert(12, indirect(names, all)?);
                }
                Name::TagParameter(names) => {
                    indirects.insert(13, indirect(names, all)?);
                }
                Name::Unknown { ty, data, .. } => unknown.push((ty, data)),
            }
        }
    }
    Some(encode(module_name, &maps, &indirects, unknown))
}

/// The names functions in `named` have. A name two functions share is
/// printed differently (the printer tells them apart), so every function
/// sharing a kept name is kept.
fn names_of<'a>(
    reader: wasmparser::NameSectionReader<'a>,
    named: &HashSet<u32>,
) -> Option<HashSet<&'a str>> {
    let mut kept_names = HashSet::new();
    for subsection in reader {
        if let wasmparser::Name::Function(names) = subsection.ok()? {
            for naming in names {
                let naming = naming.ok()?;
                if named.contains(&naming.index) {
                    kept_names.insert(naming.name);
                }
            }
        }
    }
    Some(kept_names)
}

/// Writes the subsections kept, by id, in id order as the format wants.
fn encode(
    module_name: Option<&str>,
    maps: &BTreeMap<u8, NameMap>,
    indirects: &BTreeMap<u8, IndirectNameMap>,
    unknown: Vec<(u8, &[u8])>,
) -> wasm_encoder::NameSection {
    let mut out = wasm_encoder::NameSection::new();
    if let Some(name) = module_name {
        out.module(name);
    }
    for id in 1..=13u8 {
        if let Some(m) = maps.get(&id) {
            match id {
                1 => out.functions(m),
                4 => out.types(m),
                5 => out.tables(m),
                6 => out.memories(m),
                7 => out.globals(m),
                8 => out.elements(m),
                9 => out.data(m),
                _ => out.tags(m),
            }
        }
        if let Some(m) = indirects.get(&id) {
            match id {
                2 => out.locals(m),
                3 => out.labels(m),
                10 => out.fields(m),
                12 => out.parameters(m),
                _ => out.tag_parameters(m),
            }
        }
    }
    for (ty, data) in unknown {
        out.raw(ty, data);
    }
    out
}

/// The names of `names` whose index `keep` accepts; `None` if they do not decode.
fn map(names: wasmparser::NameMap<'_>, keep: impl Fn(u32) -> bool) -> Option<NameMap> {
    let mut out = NameMap::new();
    for naming in names {
        let naming = naming.ok()?;
        if keep(naming.index) {
            out.append(naming.index, naming.name);
        }
    }
    Some(out)
}

/// The name maps of `names` whose outer index `keep` accepts.
fn indirect(
    names: wasmparser::IndirectNameMap<'_>,
    keep: impl Fn(u32) -> bool,
) -> Option<IndirectNameMap> {
    let mut out = IndirectNameMap::new();
    for naming in names {
        let naming = naming.ok()?;
        if keep(naming.index) {
            out.append(naming.index, &map(naming.names, |_| true)?);
        }
    }
    Some(out)
}
