//! Validation with the best error we can give: the byte offset, the function
//! (index and name) and the offending instruction written as text.

use wasmparser::{FuncValidatorAllocations, Parser, ValidPayload, Validator, WasmFeatures};

use crate::error::{BinaryError, Error, FunctionContext, Result};
use crate::index::{ModuleIndex, to_usize};
use crate::input::{Input, InputKind};

/// What a successful validation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// Whether the input is a component (otherwise a core module).
    pub component: bool,
    /// Function bodies validated, nested modules included.
    pub functions: usize,
}

/// Validates an input, text or binary. For text, an error inside a function
/// points at the instruction's line and column in the text.
pub fn validate_input(input: &Input, features: WasmFeatures) -> Result<Validated> {
    let bytes = input.to_binary()?;
    validate(&bytes, &input.name, features).map_err(|e| locate_in_text(input, &bytes, e))
}

/// Moves a validation error found in the binary encoding of a text input back
/// to the text: the instruction at fault is found by its position in the
/// function body, and the text parser's span of that instruction gives the
/// line and column. Errors outside code keep their binary offset, marked as
/// such.
pub fn locate_in_text(input: &Input, bytes: &[u8], err: Error) -> Error {
    let located = match (&input.kind, &err) {
        (InputKind::Text, Error::Binary(binary)) => text_position(input, bytes, binary),
        _ => None,
    };
    located.unwrap_or_else(|| input.mark_error(err))
}

fn text_position(input: &Input, bytes: &[u8], err: &BinaryError) -> Option<Error> {
    let func = err.function.as_ref()?;
    let text = std::str::from_utf8(&input.bytes).ok()?;
    let index = ModuleIndex::build(bytes).ok()?;
    let body = index.body(func.index)?;
    let defined = func.index.checked_sub(index.imported_functions())? as usize;
    let offsets = crate::parse::instruction_offsets(text)?;
    let instrs = offsets.get(defined)?;
    let nth = operator_index(bytes, body, err.offset)?;
    // Past the last instruction is the function's own `end`, which the text
    // leaves implicit: point at the last instruction instead.
    let at = *instrs.get(nth).or_else(|| instrs.last())?;
    let mut message = format!("in function {}", func.index);
    if let Some(name) = &func.name {
        message.push_str(&format!(" `{name}`"));
    }
    message.push_str(&format!(": {}", err.message));
    Some(crate::parse::error_at(text, &input.name, at, message))
}

/// The position, counted from 0, of the operator holding `offset` in a body.
fn operator_index(bytes: &[u8], body: std::ops::Range<usize>, offset: usize) -> Option<usize> {
    let reader = wasmparser::BinaryReader::new(bytes.get(body.clone())?, body.start as u64);
    let mut ops = wasmparser::FunctionBody::new(reader)
        .get_operators_reader()
        .ok()?;
    let mut nth = 0;
    while !ops.eof() {
        ops.read().ok()?;
        if ops.original_position() > offset as u64 {
            return Some(nth);
        }
        nth += 1;
    }
    Some(nth)
}

/// Validates a binary module or component under `features`.
///
/// The sections are checked in order as they are read; function bodies are
/// collected and checked on every core at the end. The error reported is
/// the one a check in order would meet first: a body's before anything
/// after the code.
pub fn validate(bytes: &[u8], path: &str, features: WasmFeatures) -> Result<Validated> {
    use rayon::prelude::*;
    let mut validator = Validator::new_with_features(features);
    let mut summary = Validated {
        component: false,
        functions: 0,
    };
    let mut seen_header = false;
    let mut bodies = Vec::new();
    let mut later = None;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = match payload {
            Ok(payload) => payload,
            Err(e) => {
                later = Some(e);
                break;
            }
        };
        if let wasmparser::Payload::Version { encoding, .. } = &payload {
            // The first header is the outermost one.
            if !seen_header {
                seen_header = true;
                summary.component = *encoding == wasmparser::Encoding::Component;
            }
        }
        match validator.payload(&payload) {
            Ok(ValidPayload::Func(func, body)) => bodies.push((func, body)),
            Ok(_) => {}
            Err(e) => {
                later = Some(e);
                break;
            }
        }
    }
    summary.functions = bodies.len();
    let first_bad = bodies
        .into_par_iter()
        .map_init(FuncValidatorAllocations::default, |spare, (func, body)| {
            let index = func.index;
            let mut checker = func.into_validator(std::mem::take(spare));
            let result = checker.validate(&body);
            *spare = checker.into_allocations();
            result.err().map(|e| (index, body.range(), e))
        })
        .find_map_first(|bad| bad);
    if let Some((index, range, e)) = first_bad {
        let mut error = BinaryError::from_reader(path, &e);
        error.function = Some(FunctionContext {
            index,
            name: function_name(bytes, summary.component, index),
        });
        error.instruction = crate::print::instruction_at(bytes, to_usize(range), error.offset);
        return Err(error.into());
    }
    match later {
        Some(e) => Err(BinaryError::from_reader(path, &e).into()),
        None => Ok(summary),
    }
}

/// The name-section name of a function, looked up only once an error needs
/// it. Nested modules in a component are not named (their indices are local).
fn function_name(bytes: &[u8], component: bool, index: u32) -> Option<String> {
    if component {
        return None;
    }
    ModuleIndex::build(bytes)
        .ok()?
        .function_name(index)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn error_names_function_and_instruction() {
        let bytes = crate::parse::parse_text(
            r#"(module
                 (func $ok (result i32) i32.const 1)
                 (func $bad (result i32)
                   i32.const 1
                   i64.const 2
                   i32.add))"#,
            "t.wat",
        )
        .expect("parses");
        let Err(Error::Binary(e)) = validate(&bytes, "t.wasm", WasmFeatures::all()) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            e.function,
            Some(FunctionContext {
                index: 1,
                name: Some("bad".into())
            })
        );
        assert_eq!(e.instruction.as_deref(), Some("i32.add"));
        assert!(e.message.contains("type mismatch"), "{}", e.message);
    }

    #[test]
    fn text_errors_point_at_the_instruction() {
        let text =
            "(module\n  (func $bad (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))\n";
        let input = Input::from_bytes("t.wat", text.as_bytes().to_vec());
        let Err(Error::Text(e)) = validate_input(&input, WasmFeatures::all()) else {
            panic!("expected a text error");
        };
        assert_eq!((e.line, e.column), (5, 5));
        assert_eq!(e.source_line, "    i32.add))");
        assert!(
            e.message.starts_with("in function 0 `bad`: type mismatch"),
            "{}",
            e.message
        );
    }

    #[test]
    fn features_narrow_what_is_accepted() {
        let bytes = crate::parse::parse_text(
            "(module (func (result v128) v128.const i32x4 0 0 0 0))",
            "t.wat",
        )
        .expect("parses");
        assert!(validate(&bytes, "t", WasmFeatures::all()).is_ok());
        let err = validate(&bytes, "t", WasmFeatures::WASM1).expect_err("no simd in wasm1");
        assert!(
            err.to_string().contains("SIMD support is not enabled"),
            "{err}"
        );
    }
}
