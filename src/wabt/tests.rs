use super::encode::{strip, wat2wasm};
use super::{CustomErrors, Diagnostic, decode};

fn wat(text: &str) -> Vec<u8> {
    crate::parse::parse_text(text, "t.wat").unwrap()
}

#[test]
fn decode_errors_use_wabts_words() {
    let line = |bytes: &[u8]| decode(bytes, CustomErrors::Fatal).unwrap_err().line(None);
    assert_eq!(line(b""), "0000000: error: unable to read uint32_t: magic");
    assert_eq!(line(b"\0asX\x01\0\0\0"), "0000004: error: bad magic value");
    assert_eq!(
        line(b"\0asm\x0e\0\0\0"),
        "0000008: error: bad wasm file version: 0xe (expected 0x1)"
    );
    // A type section that claims 16 bytes of the 2 there are.
    assert_eq!(
        line(b"\0asm\x01\0\0\0\x01\x10\x00\x00"),
        "000000a: error: invalid section size: extends past end"
    );
    assert_eq!(
        line(b"\0asm\x01\0\0\0\x01\x80\x80\x80\x80\x80\x00"),
        "0000009: error: unable to read u32 leb128: section size"
    );
    assert_eq!(
        line(b"\0asm\x01\0\0\0\x20\x00"),
        "0000008: error: invalid section code: 32"
    );
}

#[test]
fn a_validation_error_carries_the_path() {
    let d = Diagnostic::error(0x33, "type mismatch");
    assert_eq!(
        d.line(Some("a.wasm")),
        "a.wasm:0000033: error: type mismatch"
    );
}

#[test]
fn a_broken_name_section_is_fatal_a_warning_or_skipped() {
    let mut bytes = wat("(module (func))");
    // A name section whose function-name subsection is cut short.
    bytes.extend_from_slice(b"\x00\x08\x04name\x01\x05\x01");
    assert!(decode(&bytes, CustomErrors::Fatal).is_err());
    let warnings = decode(&bytes, CustomErrors::Warn).unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].warning);
    assert!(decode(&bytes, CustomErrors::Skip).unwrap().is_empty());
}

#[test]
fn bodies_are_decoded_to_their_last_instruction() {
    // One function whose body holds an opcode that does not exist.
    let bytes =
        b"\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\xff\x0b";
    let err = decode(bytes, CustomErrors::Fatal).unwrap_err();
    assert_eq!(err.offset, 0x17, "{err:?}");
}

#[test]
fn strip_drops_every_custom_section_and_shortens_sizes() {
    let mut bytes = wat("(module $m (func $f))");
    bytes.extend_from_slice(b"\x00\x8b\x80\x80\x80\x00\x09producersx");
    let stripped = strip(&bytes, "t.wasm").unwrap();
    assert_eq!(stripped, wat2wasm(wat("(module (func))"), false));
    assert!(!stripped.windows(4).any(|w| w == b"name"));
}

#[test]
fn strip_refuses_what_does_not_decode() {
    let err = strip(b"\0asm\x01\0\0\0\x01\x10", "t.wasm").unwrap_err();
    assert_eq!(err.message, "invalid section size: extends past end");
}

#[test]
fn wat2wasm_drops_names_unless_asked() {
    let text = "(module $m (func $f))";
    let plain = wat2wasm(wat(text), false);
    let named = wat2wasm(wat(text), true);
    assert_eq!(plain, wat("(module (func))"));
    let index = crate::index::ModuleIndex::build(&named).unwrap();
    assert_eq!(index.module_name.as_deref(), Some("m"));
    assert_eq!(index.functions[0].name.as_deref(), Some("f"));
}

#[test]
fn wat2wasm_writes_elements_in_wabts_compact_form() {
    // The flags byte of the element section's first segment, after the
    // segment count.
    let elements = |text: &str| {
        let bytes = wat2wasm(wat(text), false);
        let layout = crate::index::layout::Layout::read(&bytes).unwrap();
        let section = layout.sections.iter().find(|s| s.id == 9).unwrap();
        bytes[section.content.start + 1]
    };
    // An explicit table 0 with functions: flags 0, as WABT writes it.
    assert_eq!(
        elements("(module (table 1 funcref) (func $f) (elem (table 0) (i32.const 0) func $f))"),
        0
    );
    // ref.func expressions of type funcref: function indices, flags 0.
    assert_eq!(
        elements(
            "(module (table 1 funcref) (func $f) (elem (table 0) (i32.const 0) funcref (ref.func $f)))"
        ),
        0
    );
    // A null among them: expressions, with no table index (flags 4).
    assert_eq!(
        elements(
            "(module (table 1 funcref) (func $f) (elem (table 0) (i32.const 0) funcref (ref.func $f) (ref.null func)))"
        ),
        4
    );
    // Another table keeps its index (flags 2).
    assert_eq!(
        elements(
            "(module (table 1 funcref) (table 1 funcref) (func $f) (elem (table 1) (i32.const 0) func $f))"
        ),
        2
    );
    // Passive and declared segments of functions: flags 1 and 3.
    assert_eq!(elements("(module (func $f) (elem func $f))"), 1);
    assert_eq!(elements("(module (func $f) (elem declare func $f))"), 3);
}
