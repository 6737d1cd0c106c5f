//! What a function body refers to outside itself: the functions it calls or
//! takes as values, its calls through tables and references, the globals
//! and data segments it uses.
//!
//! The call graph, the printer (which names only what a body mentions), the
//! browser's jump targets and a comparison's body hashes all ask this of a
//! body, on large modules. So there is one decoding pass, which hands each
//! instruction to the caller as it is read: nothing is collected here, and
//! nothing is allocated per instruction.

use std::ops::Range;

use wasmparser::{BinaryReader, FunctionBody, Operator};

use crate::error::DecodeError;

/// What one instruction refers to outside the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A direct call: `call` or `return_call`.
    Call(u32),
    /// A function taken as a value by `ref.func`, which may be called later.
    FuncRef(u32),
    /// A call through a table by signature: `call_indirect` or
    /// `return_call_indirect`.
    CallIndirect {
        /// The signature called.
        type_index: u32,
        /// The table called through.
        table_index: u32,
    },
    /// A call through a typed function reference: `call_ref` or
    /// `return_call_ref`.
    CallRef,
    /// A global read or written: `global.get` or `global.set`.
    Global(u32),
    /// A data segment used by `memory.init`, `data.drop`, `array.new_data`
    /// or `array.init_data`.
    Data(u32),
}

impl Reference {
    /// The function named, by a direct call or `ref.func`: what a body's
    /// text shows by name and what a call graph draws as an edge.
    pub fn function(self) -> Option<u32> {
        match self {
            Reference::Call(f) | Reference::FuncRef(f) => Some(f),
            _ => None,
        }
    }

    /// What `op` refers to, if anything.
    #[inline]
    fn of(op: &Operator<'_>) -> Option<Reference> {
        Some(match *op {
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                Reference::Call(function_index)
            }
            Operator::RefFunc { function_index } => Reference::FuncRef(function_index),
            Operator::CallIndirect {
                type_index,
                table_index,
            }
            | Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => Reference::CallIndirect {
                type_index,
                table_index,
            },
            Operator::CallRef { .. } | Operator::ReturnCallRef { .. } => Reference::CallRef,
            Operator::GlobalGet { global_index } | Operator::GlobalSet { global_index } => {
                Reference::Global(global_index)
            }
            Operator::MemoryInit { data_index, .. } | Operator::DataDrop { data_index } => {
                Reference::Data(data_index)
            }
            Operator::ArrayNewData {
                array_data_index, ..
            }
            | Operator::ArrayInitData {
                array_data_index, ..
            } => Reference::Data(array_data_index),
            _ => return None,
        })
    }
}

/// Decodes the body at `body` in `bytes` (the whole input, so offsets are
/// the input's) and hands `visit` every instruction in order: its bytes'
/// range and what it refers to.
///
/// Instructions before a decoding error are visited before the error is
/// returned, so a caller that only wants what can be read may ignore it.
pub fn instructions(
    bytes: &[u8],
    body: Range<usize>,
    mut visit: impl FnMut(Range<usize>, Option<Reference>),
) -> Result<(), DecodeError> {
    let data = bytes
        .get(body.clone())
        .ok_or_else(|| DecodeError::new(body.start, "function body out of bounds"))?;
    let reader = FunctionBody::new(BinaryReader::new(data, body.start as u64));
    let mut ops = reader.get_operators_reader()?;
    while !ops.eof() {
        let start = ops.original_position();
        let op = ops.read()?;
        let end = ops.original_position();
        visit(start as usize..end as usize, Reference::of(&op));
    }
    Ok(())
}

/// Like [`instructions`], but hands `visit` only the instructions that
/// refer to something, by the offset where each starts.
pub fn references(
    bytes: &[u8],
    body: Range<usize>,
    mut visit: impl FnMut(usize, Reference),
) -> Result<(), DecodeError> {
    instructions(bytes, body, |at, reference| {
        if let Some(reference) = reference {
            visit(at.start, reference);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ModuleIndex;

    fn scan(text: &str, func: u32) -> Vec<(usize, Reference)> {
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let body = index.body(func).expect("has a body");
        let mut found = Vec::new();
        references(&bytes, body.clone(), |at, r| {
            found.push((at - body.start, r))
        })
        .expect("decodes");
        found
    }

    #[test]
    fn finds_every_kind_of_reference_in_order() {
        let found = scan(
            r#"(module
                 (type $t (func))
                 (table 1 funcref)
                 (memory 1)
                 (global $g (mut i32) (i32.const 0))
                 (data $d "x")
                 (elem declare func $f)
                 (func $f
                   call $f
                   ref.func $f
                   drop
                   i32.const 0
                   call_indirect (type $t)
                   global.get $g
                   global.set $g
                   data.drop $d
                   return_call $f))"#,
            0,
        );
        let kinds: Vec<Reference> = found.iter().map(|(_, r)| *r).collect();
        assert_eq!(
            kinds,
            vec![
                Reference::Call(0),
                Reference::FuncRef(0),
                Reference::CallIndirect {
                    type_index: 0,
                    table_index: 0
                },
                Reference::Global(0),
                Reference::Global(0),
                Reference::Data(0),
                Reference::Call(0),
            ]
        );
        // After the locals' count (one byte): `call` first.
        assert_eq!(found.first().map(|(at, _)| *at), Some(1));
        let functions: Vec<u32> = kinds.iter().filter_map(|r| r.function()).collect();
        assert_eq!(functions, vec![0, 0, 0]);
    }

    #[test]
    fn instructions_cover_the_body_without_gaps() {
        let bytes = crate::parse::parse_text(
            "(module (func (result i32) i32.const 1 i32.const 2 i32.add))",
            "t.wat",
        )
        .expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let body = index.body(0).expect("has a body");
        let mut ranges = Vec::new();
        instructions(&bytes, body.clone(), |at, r| {
            assert_eq!(r, None);
            ranges.push(at);
        })
        .expect("decodes");
        // Three instructions and `end`, from after the locals to the end.
        assert_eq!(ranges.len(), 4);
        assert_eq!(ranges.first().map(|r| r.start), Some(body.start + 1));
        assert_eq!(ranges.last().map(|r| r.end), Some(body.end));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn what_precedes_damage_is_visited_before_the_error() {
        // No locals, `call 5`, then an unknown opcode.
        let bytes = [0x00, 0x10, 0x05, 0xff, 0xff];
        let mut found = Vec::new();
        let result = references(&bytes, 0..bytes.len(), |at, r| found.push((at, r)));
        assert!(result.is_err());
        assert_eq!(found, vec![(1, Reference::Call(5))]);
        let outside = references(&bytes, 3..10, |_, _| {});
        assert_eq!(
            outside.map_err(|e| e.message),
            Err("function body out of bounds".to_string())
        );
    }
}
