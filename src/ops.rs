//! An instruction histogram: how many times each opcode occurs in the code
//! section and how many bytes it takes, immediates included.

use std::collections::HashMap;
use std::mem::Discriminant;

use serde::Serialize;
use wasmparser::{BinaryReader, FunctionBody, Operator};

use crate::error::DecodeError;
use crate::index::ModuleIndex;

/// Count and bytes of one opcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpCount {
    /// The instruction's name in the text format (`i32.add`).
    pub name: String,
    /// How many times it occurs.
    pub count: u64,
    /// Bytes it takes, immediates included.
    pub bytes: u64,
}

/// Counts every instruction of every function body (nested modules of a
/// component included), most frequent first. Bodies are counted on every
/// core; a damaged body is reported as the first one in order would be.
pub fn histogram(bytes: &[u8], index: &ModuleIndex) -> Result<Vec<OpCount>, DecodeError> {
    use rayon::prelude::*;
    let mut bodies = Vec::new();
    let mut modules = vec![index];
    while let Some(module) = modules.pop() {
        modules.extend(module.nested.iter());
        bodies.extend(module.defined_functions().filter_map(|f| f.body.clone()));
    }
    type Counts<'a> = HashMap<Discriminant<Operator<'a>>, OpCount>;
    let counted: Vec<Result<Counts<'_>, DecodeError>> = bodies
        .par_chunks(64)
        .map(|chunk| {
            let mut counts = Counts::new();
            for range in chunk {
                count_body(bytes, range.clone(), &mut counts)?;
            }
            Ok(counts)
        })
        .collect();
    let mut total = Counts::new();
    for counts in counted {
        for (op, c) in counts? {
            let entry = total.entry(op).or_insert_with(|| OpCount {
                name: c.name.clone(),
                count: 0,
                bytes: 0,
            });
            entry.count += c.count;
            entry.bytes += c.bytes;
        }
    }
    let mut list: Vec<OpCount> = total.into_values().collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    Ok(list)
}

fn count_body<'a>(
    bytes: &'a [u8],
    range: std::ops::Range<usize>,
    counts: &mut HashMap<Discriminant<Operator<'a>>, OpCount>,
) -> Result<(), DecodeError> {
    let data = bytes
        .get(range.clone())
        .ok_or_else(|| DecodeError::new(range.start, "function body out of bounds"))?;
    let body = FunctionBody::new(BinaryReader::new(data, range.start as u64));
    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        let start = ops.original_position();
        let op = ops.read()?;
        let size = ops.original_position() - start;
        // The name is worked out once per opcode, not per instruction.
        let entry = counts
            .entry(std::mem::discriminant(&op))
            .or_insert_with(|| OpCount {
                name: text_name(&op),
                count: 0,
                bytes: 0,
            });
        entry.count += 1;
        entry.bytes += size;
    }
    Ok(())
}

/// The text-format name of an operator, derived from wasmparser's variant
/// name (`I32AtomicRmw8AddU` -> `i32.atomic.rmw8.add_u`).
pub fn text_name(op: &Operator<'_>) -> String {
    let debug = format!("{op:?}");
    let variant = debug.split([' ', '{', '(']).next().unwrap_or_default();
    let snake = to_snake(variant);
    // Names whose text form is not the mechanical one.
    match snake.as_str() {
        "typed_select" | "typed_select_multi" => return "select".to_string(),
        "i16x8_ext_add_pairwise_i8x16_s" => return "i16x8.extadd_pairwise_i8x16_s".to_string(),
        "i16x8_ext_add_pairwise_i8x16_u" => return "i16x8.extadd_pairwise_i8x16_u".to_string(),
        "i32x4_ext_add_pairwise_i16x8_s" => return "i32x4.extadd_pairwise_i16x8_s".to_string(),
        "i32x4_ext_add_pairwise_i16x8_u" => return "i32x4.extadd_pairwise_i16x8_u".to_string(),
        _ => {}
    }
    const PREFIXES: &[&str] = &[
        "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
        "local", "global", "table", "memory", "ref", "i31", "struct", "array", "any", "extern",
        "data", "elem", "atomic", "cont",
    ];
    let Some(prefix) = PREFIXES.iter().find(|p| {
        snake
            .strip_prefix(*p)
            .is_some_and(|rest| rest.starts_with('_'))
    }) else {
        return snake;
    };
    // `prefix.rest`, where atomic operations keep dots between their parts:
    // `i32.atomic.rmw8.add_u`, `memory.atomic.wait32`.
    let rest = &snake[prefix.len() + 1..];
    let mut rest = rest.to_string();
    if let Some(after) = rest.strip_prefix("atomic_") {
        rest = format!("atomic.{after}");
        for rmw in ["rmw8_", "rmw16_", "rmw32_", "rmw_"] {
            rest = rest.replacen(
                &format!("atomic.{rmw}"),
                &format!("atomic.{}.", &rmw[..rmw.len() - 1]),
                1,
            );
        }
    }
    format!("{prefix}.{rest}")
}

/// `I32TruncSatF32S` -> `i32_trunc_sat_f32_s`: a new word starts at each
/// capital letter.
fn to_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_text_format() {
        let names: Vec<String> = [
            Operator::I32Add,
            Operator::LocalGet { local_index: 0 },
            Operator::BrIf { relative_depth: 0 },
            Operator::I32TruncSatF32S,
            Operator::I64Extend32S,
            Operator::RefIsNull,
            Operator::AtomicFence {
                ordering: wasmparser::Ordering::SeqCst,
            },
            Operator::CallIndirect {
                type_index: 0,
                table_index: 0,
            },
            Operator::I32x4DotI16x8S,
            Operator::I16x8ExtAddPairwiseI8x16S,
            Operator::V128AnyTrue,
        ]
        .iter()
        .map(text_name)
        .collect();
        assert_eq!(
            names,
            [
                "i32.add",
                "local.get",
                "br_if",
                "i32.trunc_sat_f32_s",
                "i64.extend32_s",
                "ref.is_null",
                "atomic.fence",
                "call_indirect",
                "i32x4.dot_i16x8_s",
                "i16x8.extadd_pairwise_i8x16_s",
                "v128.any_true",
            ]
        );
    }

    #[test]
    fn counts_instructions_and_bytes() {
        let bytes = crate::parse::parse_text(
            "(module (func (result i32) i32.const 1 i32.const 1000 i32.add))",
            "t",
        )
        .expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let ops = histogram(&bytes, &index).expect("decodes");
        let find = |n: &str| ops.iter().find(|o| o.name == n).cloned();
        assert_eq!(find("i32.const").map(|o| (o.count, o.bytes)), Some((2, 5)));
        assert_eq!(find("i32.add").map(|o| (o.count, o.bytes)), Some((1, 1)));
        assert_eq!(find("end").map(|o| o.count), Some(1));
    }
}
