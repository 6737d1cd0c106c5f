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

/// A module with one function and DWARF whose subprogram holds `depth`
/// inlined subroutines, each inside the last (without the nesting check, a
/// million of them overflow the stack of the DWARF reader).
fn deeply_nested_dwarf(depth: usize) -> Vec<u8> {
    use wasm_encoder::{
        CodeSection, CustomSection, Function, FunctionSection, Module, TypeSection,
    };
    let uleb = |out: &mut Vec<u8>, v: u8| out.push(v);
    // Abbreviations: 1 compile unit, 2 subprogram (both with low_pc/high_pc
    // and children), 3 inlined subroutine with children and no attributes.
    let mut abbrev = Vec::new();
    for (code, tag, attrs) in [(1u8, 0x11u8, true), (2, 0x2e, true), (3, 0x1d, false)] {
        uleb(&mut abbrev, code);
        uleb(&mut abbrev, tag);
        abbrev.push(1); // has children
        if attrs {
            abbrev.extend_from_slice(&[0x11, 0x01, 0x12, 0x06]); // low_pc addr, high_pc data4
        }
        abbrev.extend_from_slice(&[0, 0]);
    }
    abbrev.push(0);
    let mut dies = Vec::new();
    for code in [1u8, 2] {
        dies.push(code);
        dies.extend_from_slice(&0u32.to_le_bytes());
        dies.extend_from_slice(&0x100u32.to_le_bytes());
    }
    dies.extend(std::iter::repeat_n(3u8, depth));
    dies.extend(std::iter::repeat_n(0u8, depth + 2));
    let mut info = Vec::new();
    info.extend_from_slice(&((dies.len() + 7) as u32).to_le_bytes());
    info.extend_from_slice(&4u16.to_le_bytes());
    info.extend_from_slice(&0u32.to_le_bytes());
    info.push(4);
    info.extend_from_slice(&dies);

    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    module.section(&types);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    module.section(&funcs);
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    for _ in 0..8 {
        f.instructions().nop();
    }
    f.instructions().end();
    code.function(&f);
    module.section(&code);
    for (name, data) in [
        (".debug_abbrev", abbrev),
        (".debug_info", info),
        (".debug_line", Vec::new()),
    ] {
        module.section(&CustomSection {
            name: name.into(),
            data: data.into(),
        });
    }
    module.finish()
}

#[test]
fn dwarf_nested_too_deep_falls_back_with_a_warning() {
    for (depth, deep) in [(20, false), (1_000_000, true)] {
        let bytes = deeply_nested_dwarf(depth);
        let module = Loaded::from_input(Input::from_bytes("deep.wasm", bytes)).expect("loads");
        let options = DebugOptions::default();
        let companions = Companions::find(&module, None, &options).expect("no companions");
        let debug = DebugInfo::new(&module, &companions, &options);
        let body = module.index.body(0).expect("one function");
        let place = debug.lookup(body.start + 3);
        assert_eq!(place.function_index, Some(0));
        if deep {
            let warning = place.warning.as_deref().unwrap_or_default();
            assert!(warning.contains("deeper than 512"), "{place:?}");
            assert_eq!(place.origin, Origin::None);
        } else {
            assert!(place.warning.is_none(), "{place:?}");
        }
        // The unit name asks the same unit: no answer, no crash.
        let _ = debug.unit_name(body.start + 3);
    }
}
