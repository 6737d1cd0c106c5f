//! The names of the name section, read as the index is built and put on
//! its items once they all exist (the name section comes after the code).

use std::collections::HashMap;

use wasmparser::Name;

use super::ModuleIndex;

/// Names gathered from the name section, applied once everything is known.
#[derive(Default)]
pub(super) struct Names {
    module: Option<String>,
    functions: HashMap<u32, String>,
    globals: HashMap<u32, String>,
    memories: HashMap<u32, String>,
    tables: HashMap<u32, String>,
    tags: HashMap<u32, String>,
    data: HashMap<u32, String>,
}

impl Names {
    pub(super) fn read(&mut self, reader: wasmparser::NameSectionReader<'_>) {
        // Names are a courtesy: a damaged entry ends the reading, not the index.
        for name in reader.into_iter().map_while(Result::ok) {
            let (map, target) = match name {
                Name::Module { name, .. } => {
                    self.module = Some(name.to_string());
                    continue;
                }
                Name::Function(map) => (map, &mut self.functions),
                Name::Global(map) => (map, &mut self.globals),
                Name::Memory(map) => (map, &mut self.memories),
                Name::Table(map) => (map, &mut self.tables),
                Name::Tag(map) => (map, &mut self.tags),
                Name::Data(map) => (map, &mut self.data),
                _ => continue,
            };
            for naming in map.into_iter().map_while(Result::ok) {
                target.insert(naming.index, naming.name.to_string());
            }
        }
    }

    pub(super) fn apply(mut self, index: &mut ModuleIndex) {
        index.module_name = self.module.take();
        for f in &mut index.functions {
            f.name = self.functions.remove(&f.index);
        }
        for (items, names) in [
            (&mut index.globals, &mut self.globals),
            (&mut index.memories, &mut self.memories),
            (&mut index.tables, &mut self.tables),
            (&mut index.tags, &mut self.tags),
        ] {
            for item in items.iter_mut() {
                item.name = names.remove(&item.index);
            }
        }
        for d in &mut index.data {
            d.name = self.data.remove(&d.index);
        }
    }
}
