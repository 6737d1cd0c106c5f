//! Round trips: binary -> text -> binary must give back the same bytes, and
//! for text, text -> binary -> text -> binary must be a fixed point.

use std::fmt;

use crate::error::{Error, Result};
use crate::index::ModuleIndex;
use crate::input::{Input, InputKind};
use crate::print::{PrintOptions, print_to_string};

/// Where two binaries first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// Offset of the first differing byte (or of the end of the shorter one).
    pub offset: usize,
    /// The section of the reference binary at that offset, described.
    pub section: Option<String>,
    /// The function whose body holds that offset, if any.
    pub function: Option<u32>,
    /// Length of the reference binary.
    pub expected_len: usize,
    /// Length of the binary the round trip produced.
    pub actual_len: usize,
    /// Whether a second round trip, of the re-encoded binary, is identical:
    /// then the difference is only an encoding text cannot express (such as
    /// padded LEB128s), not a loss of meaning.
    pub stable_after_one_pass: bool,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "first difference at offset 0x{:x}", self.offset)?;
        if let Some(section) = &self.section {
            write!(f, " in the {section} section")?;
        }
        if let Some(func) = self.function {
            write!(f, " (function {func})")?;
        }
        write!(
            f,
            "; {} bytes before, {} after",
            self.expected_len, self.actual_len
        )?;
        if self.stable_after_one_pass {
            f.write_str(
                "; stable after one pass (the original uses encodings that text cannot \
                 express, such as padded LEB128s)",
            )?;
        }
        Ok(())
    }
}

/// The outcome of a round trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The bytes came back the same.
    Identical,
    /// They did not.
    Differs(Divergence),
}

/// Runs the round trip that fits the input's kind.
pub fn roundtrip(input: &Input) -> Result<Outcome> {
    match input.kind {
        InputKind::Binary => roundtrip_binary(&input.bytes, &input.name),
        InputKind::Text => {
            let first = crate::parse::parse_bytes(&input.bytes, &input.name)?;
            roundtrip_binary(&first, &input.name)
        }
    }
}

/// Prints `bytes` and parses the text back, comparing the result with `bytes`.
pub fn roundtrip_binary(bytes: &[u8], path: &str) -> Result<Outcome> {
    let text = print_to_string(bytes, path, &PrintOptions::default())?;
    let rebuilt = parse_printed(&text, path)?;
    let Some(offset) = first_difference(bytes, &rebuilt) else {
        return Ok(Outcome::Identical);
    };
    // The rebuilt module is stable if it prints as the first text did
    // (parsing that text gave it, so parsing it again gives it again);
    // only a different text has to be parsed to know.
    let again = print_to_string(&rebuilt, path, &PrintOptions::default())?;
    let stable = again == text || parse_printed(&again, path)? == rebuilt;
    let mut divergence = describe(bytes, &rebuilt, offset);
    divergence.stable_after_one_pass = stable;
    Ok(Outcome::Differs(divergence))
}

/// Binary -> text -> binary, once.
pub fn reencode(bytes: &[u8], path: &str) -> Result<Vec<u8>> {
    let text = print_to_string(bytes, path, &PrintOptions::default())?;
    parse_printed(&text, path)
}

fn parse_printed(text: &str, path: &str) -> Result<Vec<u8>> {
    crate::parse::parse_text(text, &format!("{path} (printed)")).map_err(|e| {
        // The text came from our own printer: say so, the user's file is fine.
        Error::Other(format!("{path}: the printed text does not parse back: {e}"))
    })
}

fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => Some(i),
        None if a.len() != b.len() => Some(a.len().min(b.len())),
        None => None,
    }
}

fn describe(expected: &[u8], actual: &[u8], offset: usize) -> Divergence {
    let index = ModuleIndex::build(expected).ok();
    let section = index
        .as_ref()
        .and_then(|i| i.section_at(offset).map(|s| s.describe()));
    let function = index.as_ref().and_then(|i| i.function_at(offset));
    Divergence {
        offset,
        section,
        function,
        expected_len: expected.len(),
        actual_len: actual.len(),
        stable_after_one_pass: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_module_is_identical() {
        let input = Input::from_bytes(
            "t.wat",
            b"(module (func $f (export \"f\") (result i32) i32.const 7))".to_vec(),
        );
        assert_eq!(roundtrip(&input).expect("round trips"), Outcome::Identical);
    }

    #[test]
    fn overlong_leb_is_reported_where_it_is() {
        // `i32.const 0` with its immediate padded to five bytes: text cannot
        // keep the padding, so the code section differs.
        let bytes = [
            b"\0asm\x01\0\0\0".as_slice(),
            &[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type: [] -> []
            &[0x03, 0x02, 0x01, 0x00],             // function 0 has type 0
            &[0x0a, 0x0b, 0x01, 0x09, 0x00],       // code: one 9-byte body, no locals
            &[0x41, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b], // i32.const 0, drop, end
        ]
        .concat();
        let Outcome::Differs(d) = roundtrip_binary(&bytes, "t.wasm").expect("round trips") else {
            panic!("expected a difference");
        };
        // The first byte to change is the code section's size (0x0b -> 0x07).
        assert_eq!(d.offset, 19);
        assert_eq!(d.section.as_deref(), Some("code"));
        assert_eq!((d.expected_len, d.actual_len), (31, 27));
        assert!(d.stable_after_one_pass);
    }
}
