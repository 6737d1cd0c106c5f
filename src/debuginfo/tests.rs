//! The debug-info layer on modules without DWARF; the fixtures with DWARF
//! and source maps are checked by the integration tests against
//! llvm-symbolizer and the marked source lines.

use super::*;
use crate::input::Input;

fn load(wat: &str) -> Loaded {
    Loaded::from_input(Input::from_bytes("t.wat", wat.as_bytes().to_vec())).expect("loads")
}

#[test]
fn without_debug_info_names_and_exports_answer() {
    let module = load(
        r#"(module
            (func $named (result i32) i32.const 1)
            (func (export "exported") (result i32) i32.const 2)
            (func (result i32) i32.const 3))"#,
    );
    let options = DebugOptions::default();
    let companions = Companions::find(&module, None, &options).expect("no companions");
    let debug = DebugInfo::new(&module, &companions, &options);
    assert!(!debug.has_lines());
    let at = |f: u32| module.index.body(f).expect("defined").start + 1;
    let named = debug.lookup(at(0));
    assert_eq!(named.origin, Origin::NameSection);
    assert_eq!(named.frames[0].function.as_deref(), Some("named"));
    assert_eq!(named.function_offset, Some(1));
    let exported = debug.lookup(at(1));
    assert_eq!(exported.origin, Origin::Export);
    assert_eq!(exported.frames[0].function.as_deref(), Some("exported"));
    let bare = debug.lookup(at(2));
    assert_eq!(bare.origin, Origin::None);
    assert_eq!(bare.function_index, Some(2));
    assert_eq!(bare.frames[0].function, None);
    // Outside any body: no function, no frames.
    let header = debug.lookup(3);
    assert_eq!(header.function_index, None);
    assert!(header.frames.is_empty());
}

#[test]
fn a_missing_linked_file_is_a_note_and_a_named_one_an_error() {
    let module = load(
        r#"(module
            (@custom "external_debug_info" "\0fgone.debug.wasm")
            (@custom "sourceMappingURL" "\08gone.map")
            (func))"#,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.wasm");
    let companions =
        Companions::find(&module, Some(&path), &DebugOptions::default()).expect("notes only");
    assert!(companions.debug_file.is_none());
    assert_eq!(companions.notes.len(), 2, "{:?}", companions.notes);
    assert!(
        companions.notes[0].contains("gone.debug.wasm"),
        "{:?}",
        companions.notes
    );

    let options = DebugOptions {
        debug_file: Some(dir.path().join("absent.wasm")),
        ..DebugOptions::default()
    };
    let err = Companions::find(&module, Some(&path), &options).expect_err("named file missing");
    assert!(err.to_string().contains("absent.wasm"), "{err}");
}
