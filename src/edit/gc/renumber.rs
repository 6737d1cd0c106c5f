//! New indices for what gc keeps, and the re-encoder that writes them: the
//! kept items of each index space are numbered afresh, in order.

use wasm_encoder::reencode::{Error as ReencodeError, Reencode};

use super::reachability::Live;
use crate::error::{DecodeError, Error};

/// Old index to new, for each kind; `None` for a removed item.
pub(super) struct Maps {
    pub(super) func: Vec<Option<u32>>,
    pub(super) global: Vec<Option<u32>>,
    pub(super) table: Vec<Option<u32>>,
    pub(super) elem: Vec<Option<u32>>,
    pub(super) data: Vec<Option<u32>>,
}

impl Maps {
    /// The kept items of each index space, numbered in order.
    pub(super) fn new(live: &Live) -> Maps {
        Maps {
            func: renumber(&live.func),
            global: renumber(&live.global),
            table: renumber(&live.table),
            elem: renumber(&live.elem),
            data: renumber(&live.data),
        }
    }
}

fn renumber(keep: &[bool]) -> Vec<Option<u32>> {
    let mut next = 0u32;
    keep.iter()
        .map(|&k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// A re-encoder that renumbers by [`Maps`].
pub(super) struct Renumber<'m>(pub(super) &'m Maps);

fn lookup(map: &[Option<u32>], i: u32, what: &str) -> Result<u32, ReencodeError<String>> {
    map.get(i as usize).copied().flatten().ok_or_else(|| {
        ReencodeError::UserError(format!("{what} {i} was removed but is still used"))
    })
}

impl Reencode for Renumber<'_> {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.func, func, "function")
    }
    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.global, global, "global")
    }
    fn table_index(&mut self, table: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.table, table, "table")
    }
    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.elem, element, "element segment")
    }
    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError<String>> {
        lookup(&self.0.data, data, "data segment")
    }
}

/// A failure to re-encode, naming the input.
pub(super) fn encode_error(name: &str, e: ReencodeError<String>) -> Error {
    let message = match e {
        ReencodeError::ParseError(e) => return DecodeError::from(e).in_file(name),
        ReencodeError::UserError(s) => s,
        other => format!("{other:?}"),
    };
    Error::Other(format!("{name}: cannot rewrite the module: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_items_are_numbered_in_order() {
        assert_eq!(
            renumber(&[true, false, true, true, false]),
            vec![Some(0), None, Some(1), Some(2), None]
        );
    }
}
