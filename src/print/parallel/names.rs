//! The name section cut down to what one chunk's text can show: a large
//! module names tens of thousands of functions, a chunk mentions a few.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The name section, split into subsections and, for the ones that name
/// functions, their locals and their labels, into entries.
pub(super) struct Names {
    subsections: Vec<crate::names::Subsection>,
    /// For a function whose name others share: all of them. wasmprinter
    /// tells such functions apart by their order, so they are kept together.
    shared: HashMap<u32, Vec<u32>>,
}

impl Names {
    pub(super) fn read(bytes: &[u8], data: Range<usize>) -> Option<Names> {
        let subsections = crate::names::subsections(bytes, data)?;
        let mut by_name: HashMap<&str, Vec<u32>> = HashMap::new();
        for sub in subsections.iter().filter(|s| s.id == 1) {
            for (index, entry) in sub.entries.iter().flatten() {
                let name = crate::names::entry_name(bytes, entry.clone())?;
                by_name.entry(name).or_default().push(*index);
            }
        }
        let mut shared = HashMap::new();
        for group in by_name.into_values().filter(|g| g.len() > 1) {
            for &index in &group {
                shared.insert(index, group.clone());
            }
        }
        Some(Names {
            subsections,
            shared,
        })
    }

    /// A name section with the names of `named` functions (and of those
    /// sharing their names), the locals and labels of functions in `own`,
    /// and every other subsection as it is.
    pub(super) fn cut(
        &self,
        bytes: &[u8],
        own: Range<u32>,
        named: &HashSet<u32>,
    ) -> Option<Vec<u8>> {
        let mut kept: HashSet<u32> = named.clone();
        for index in named {
            if let Some(group) = self.shared.get(index) {
                kept.extend(group);
            }
        }
        let mut content = Vec::new();
        for sub in &self.subsections {
            let Some(entries) = &sub.entries else {
                content.extend_from_slice(bytes.get(sub.raw.clone())?);
                continue;
            };
            let keep = |index: u32| match sub.id {
                1 => kept.contains(&index),
                _ => own.contains(&index),
            };
            let chosen: Vec<&[u8]> = entries
                .iter()
                .filter(|(index, _)| keep(*index))
                .map(|(_, range)| bytes.get(range.clone()))
                .collect::<Option<_>>()?;
            crate::names::push_subsection(&mut content, sub.id, chosen.into_iter());
        }
        Some(crate::names::section(&content))
    }
}
