//! The small text formats wasm-objdump uses: C's `%#x` family, WABT's hex
//! floats, the `Stream::WriteMemoryDump` hex dump and value-type names.

use std::fmt::Write as _;

/// C's `printf("%#x", v)`: `0x` and lowercase hex, except that zero prints as
/// a bare `0` (the alternate form adds no prefix to zero).
pub(super) fn c_alt_hex(value: u64) -> String {
    if value == 0 {
        "0".to_owned()
    } else {
        format!("{value:#x}")
    }
}

/// C's `printf("%#010x", v)`: ten characters, `0x` and eight digits, except
/// that zero prints as `0000000000` (no prefix for zero, padded with zeros).
pub(super) fn c_alt_hex10(value: u64) -> String {
    if value == 0 {
        "0000000000".to_owned()
    } else {
        format!("{value:#010x}")
    }
}

/// C's `printf("%#08x", v)`, as used for relocation offsets.
pub(super) fn c_alt_hex8(value: u64) -> String {
    if value == 0 {
        "00000000".to_owned()
    } else {
        format!("{value:#08x}")
    }
}

/// The layout of one IEEE binary format, for [`hex_float`].
struct FloatFormat {
    bits: u32,
    significand_bits: u32,
    exponent_bits: u32,
}

const F32: FloatFormat = FloatFormat {
    bits: 32,
    significand_bits: 23,
    exponent_bits: 8,
};
const F64: FloatFormat = FloatFormat {
    bits: 64,
    significand_bits: 52,
    exponent_bits: 11,
};

/// An `f32` as WABT writes it (`WriteFloatHex`): `0x1.8p+0`, `-0x0p+0`,
/// `0x1.p-149`, `inf`, `nan`, `nan:0x1`.
pub(crate) fn f32_hex(bits: u32) -> String {
    hex_float(u64::from(bits), &F32)
}

/// An `f64` as WABT writes it (`WriteDoubleHex`), in the same style as
/// [`f32_hex`].
pub(crate) fn f64_hex(bits: u64) -> String {
    hex_float(bits, &F64)
}

/// WABT's hex float: the significand is shifted so that its first nybble
/// starts at the top of the word and printed nybble by nybble until nothing
/// is left; subnormals are normalised (their leading one moves before the
/// point); NaNs print their payload unless it is the quiet bit alone.
fn hex_float(bits: u64, format: &FloatFormat) -> String {
    let word_mask = if format.bits == 64 {
        u64::MAX
    } else {
        (1u64 << format.bits) - 1
    };
    let significand_mask = (1u64 << format.significand_bits) - 1;
    let max_exp = 1i64 << (format.exponent_bits - 1);
    let min_exp = 1 - max_exp;
    let exponent_field = (bits >> format.significand_bits) & ((1u64 << format.exponent_bits) - 1);
    let negative = (bits >> (format.bits - 1)) & 1 == 1;
    let mut exp = i64::try_from(exponent_field).unwrap_or(0) - (max_exp - 1);
    let mut significand = bits & significand_mask;
    let top_shift = format.bits - 4;

    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exp == max_exp {
        if significand == 0 {
            out.push_str("inf");
        } else {
            out.push_str("nan");
            let quiet = 1u64 << (format.significand_bits - 1);
            if significand != quiet {
                let _ = write!(out, ":{significand:#x}");
            }
        }
        return out;
    }
    let zero = significand == 0 && exp == min_exp;
    out.push_str(if zero { "0x0" } else { "0x1" });
    significand = (significand << (format.bits - format.significand_bits)) & word_mask;
    if significand != 0 {
        if exp == min_exp {
            // A subnormal: normalise, dropping the leading one.
            let leading_zeros =
                i64::from(significand.leading_zeros()) - (64 - i64::from(format.bits));
            if leading_zeros < i64::from(format.bits - 1) {
                significand = (significand << (leading_zeros + 1)) & word_mask;
            } else {
                significand = 0;
            }
            exp -= leading_zeros;
        }
        out.push('.');
        while significand != 0 {
            let nybble = (significand >> top_shift) & 0xf;
            out.push(char::from_digit(u32::try_from(nybble).unwrap_or(0), 16).unwrap_or('0'));
            significand = (significand << 4) & word_mask;
        }
    }
    if zero {
        out.push_str("p+0");
    } else {
        let _ = write!(
            out,
            "p{}{}",
            if exp < 0 { '-' } else { '+' },
            exp.unsigned_abs()
        );
    }
    out
}

/// `Stream::WriteMemoryDump` with characters: for each 16 bytes, `prefix`,
/// the address (`%07x`), eight groups of two bytes (`%02x%02x`, two spaces
/// for a missing byte, each group followed by a space), one more space and
/// the bytes as ASCII (`.` for anything not printable).
pub(super) fn memory_dump(out: &mut String, bytes: &[u8], address: u64, prefix: &str) {
    let mut line_address = address;
    for line in bytes.chunks(16) {
        out.push_str(prefix);
        let _ = write!(out, "{line_address:07x}: ");
        for group in 0..8 {
            for i in 0..2 {
                match line.get(group * 2 + i) {
                    Some(byte) => {
                        let _ = write!(out, "{byte:02x}");
                    }
                    None => out.push_str("  "),
                }
            }
            out.push(' ');
        }
        out.push(' ');
        out.extend(line.iter().map(|&b| {
            if (0x20..0x7f).contains(&b) {
                char::from(b)
            } else {
                '.'
            }
        }));
        out.push('\n');
        line_address = line_address.wrapping_add(16);
    }
}

/// The text of a value type as decoded by [`super::walk`]: WABT's names for
/// what it knows (`i32`, `funcref`, `externref`, ...) and, for what it does
/// not, the reference-type names of the text format (`anyref`,
/// `(ref null 3)`, `(ref func)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ValType {
    /// A type WABT knows by its one-byte code (sign-extended, as WABT
    /// stores it): -1 is i32, -0x10 funcref, -0x40 the empty block type.
    Code(i32),
    /// `(ref null? <heap>)`, the typed references of the function-references
    /// and GC proposals.
    Ref { nullable: bool, heap: i64 },
    /// A type index used as a block type.
    Index(u32),
}

impl ValType {
    pub(super) const VOID: i32 = -0x40;

    /// Whether WABT (with the extensions of this module) accepts the type
    /// for a parameter, result, local, global or field.
    pub(super) fn is_concrete(self) -> bool {
        match self {
            ValType::Code(code) => matches!(code, -0x17..=-0x0c | -0x5..=-0x1),
            ValType::Ref { .. } => true,
            ValType::Index(_) => false,
        }
    }

    /// Whether the type is a reference type (for tables and `ref.null`).
    pub(super) fn is_ref(self) -> bool {
        match self {
            ValType::Code(code) => (-0x17..=-0x0c).contains(&code),
            ValType::Ref { .. } => true,
            ValType::Index(_) => false,
        }
    }

    /// `Type::GetName`.
    pub(super) fn name(self) -> String {
        match self {
            ValType::Code(code) => {
                code_name(code).map_or_else(|| format!("<type_index[{code}]>"), str::to_owned)
            }
            ValType::Ref { nullable, heap } => {
                format!(
                    "(ref {}{})",
                    if nullable { "null " } else { "" },
                    heap_type_name(heap)
                )
            }
            ValType::Index(index) => format!("type[{index}]"),
        }
    }

    /// `Type::GetRefKindName`, the operand of `ref.null`.
    pub(super) fn ref_kind_name(self) -> String {
        match self {
            ValType::Code(-0x10) => "func".to_owned(),
            ValType::Code(-0x11) => "extern".to_owned(),
            ValType::Code(code) => heap_type_name(i64::from(code)),
            ValType::Ref { heap, .. } => heap_type_name(heap),
            ValType::Index(_) => "<invalid>".to_owned(),
        }
    }

    /// The code WABT prints in "expected valid ... type (got -0x17)".
    pub(super) fn code_for_error(self) -> i64 {
        match self {
            ValType::Code(code) => i64::from(code),
            ValType::Ref { nullable, .. } => {
                if nullable {
                    -0x1d
                } else {
                    -0x1c
                }
            }
            ValType::Index(index) => i64::from(index),
        }
    }
}

/// WABT's `PRItypecode`: a sign, then `%#x` of the magnitude.
pub(super) fn type_code(code: i64) -> String {
    let sign = if code < 0 { "-" } else { "" };
    format!("{sign}{}", c_alt_hex(code.unsigned_abs()))
}

fn code_name(code: i32) -> Option<&'static str> {
    Some(match code {
        -0x01 => "i32",
        -0x02 => "i64",
        -0x03 => "f32",
        -0x04 => "f64",
        -0x05 => "v128",
        -0x08 => "i8",
        -0x09 => "i16",
        -0x10 => "funcref",
        -0x11 => "externref",
        -0x12 => "anyref",
        -0x13 => "eqref",
        -0x14 => "i31ref",
        -0x15 => "structref",
        -0x16 => "arrayref",
        -0x17 => "exnref",
        -0x0c => "nullexnref",
        -0x0d => "nullfuncref",
        -0x0e => "nullexternref",
        -0x0f => "nullref",
        -0x20 => "func",
        -0x21 => "struct",
        -0x22 => "array",
        -0x40 => "void",
        _ => return None,
    })
}

/// A heap type: a type index, or an abstract heap type by its code.
pub(super) fn heap_type_name(heap: i64) -> String {
    if heap >= 0 {
        return heap.to_string();
    }
    let name = match heap {
        -0x10 => "func",
        -0x11 => "extern",
        -0x12 => "any",
        -0x13 => "eq",
        -0x14 => "i31",
        -0x15 => "struct",
        -0x16 => "array",
        -0x17 => "exn",
        -0x0c => "noexn",
        -0x0d => "nofunc",
        -0x0e => "noextern",
        -0x0f => "none",
        _ => return format!("<heap_type[{heap}]>"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_floats_match_wabt() {
        assert_eq!(f32_hex(1.5f32.to_bits()), "0x1.8p+0");
        assert_eq!(f32_hex(3.25f32.to_bits()), "0x1.ap+1");
        assert_eq!(f32_hex((-0.0f32).to_bits()), "-0x0p+0");
        assert_eq!(f32_hex(0.0f32.to_bits()), "0x0p+0");
        assert_eq!(f32_hex(1), "0x1.p-149");
        assert_eq!(f32_hex(f32::INFINITY.to_bits()), "inf");
        assert_eq!(f32_hex(f32::NEG_INFINITY.to_bits()), "-inf");
        assert_eq!(f32_hex(0x7fc0_0000), "nan");
        assert_eq!(f32_hex(0xffc0_0000), "-nan");
        assert_eq!(f32_hex(0x7f80_0001), "nan:0x1");
        assert_eq!(f32_hex(123_456_789f32.to_bits()), "0x1.d6f346p+26");
        assert_eq!(f64_hex(123_456_789f64.to_bits()), "0x1.d6f3454p+26");
        assert_eq!(f64_hex((-0.25f64).to_bits()), "-0x1p-2");
        assert_eq!(f64_hex(0x7ff8_0000_0000_0000), "nan");
        assert_eq!(f64_hex(1), "0x1.p-1074");
        assert_eq!(f64_hex(f64::MAX.to_bits()), "0x1.fffffffffffffp+1023");
        assert_eq!(f64_hex(f64::MIN_POSITIVE.to_bits()), "0x1p-1022");
    }

    #[test]
    fn memory_dump_pads_the_last_line() {
        let mut out = String::new();
        memory_dump(&mut out, b"hi\0there", 0x10, "  - ");
        assert_eq!(
            out,
            "  - 0000010: 6869 0074 6865 7265                      hi.there\n"
        );
        let mut out = String::new();
        memory_dump(&mut out, b"abcdefghijklmnopq", 0x7c, "");
        assert_eq!(
            out,
            "000007c: 6162 6364 6566 6768 696a 6b6c 6d6e 6f70  abcdefghijklmnop\n\
             000008c: 71                                       q\n"
        );
    }

    #[test]
    fn c_alternate_hex_has_no_prefix_for_zero() {
        assert_eq!(c_alt_hex10(0), "0000000000");
        assert_eq!(c_alt_hex10(0x1f), "0x0000001f");
        assert_eq!(c_alt_hex(0), "0");
        assert_eq!(c_alt_hex(0x1000d), "0x1000d");
        assert_eq!(type_code(-0x17), "-0x17");
    }
}
