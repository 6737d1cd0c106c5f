use super::*;

fn from_wat(text: &str) -> (Vec<u8>, ModuleIndex) {
    let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
    let index = ModuleIndex::build(&bytes).expect("indexes");
    (bytes, index)
}

fn fixture(name: &str) -> (Vec<u8>, ModuleIndex) {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    let bytes = if name.ends_with(".wat") {
        let text = String::from_utf8(bytes).expect("utf-8");
        crate::parse::parse_text(&text, name).expect("parses")
    } else {
        bytes
    };
    let index = ModuleIndex::build(&bytes).expect("indexes");
    (bytes, index)
}

/// `(module (func))`, byte by byte: the smallest module with a body.
const EMPTY_FUNC: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // preamble
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: one () -> ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: one empty body
];

#[test]
fn index_sections_have_their_ranges_and_counts() {
    let index = ModuleIndex::build(EMPTY_FUNC).unwrap();
    assert!(!index.component);
    assert_eq!(index.range, 0..EMPTY_FUNC.len());
    let summary: Vec<_> = index
        .sections
        .iter()
        .map(|s| (s.id, s.kind, s.header_offset, s.range.clone(), s.count))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "type", 8, 10..14, Some(1)),
            (3, "function", 14, 16..18, Some(1)),
            (10, "code", 18, 20..24, Some(1)),
        ]
    );
    assert_eq!(index.sections[2].total_size(), 6);
    assert_eq!(index.sections[2].describe(), "code");
    assert_eq!(index.functions[0].body, Some(22..24));
    assert_eq!(index.types, vec!["(func)"]);
}

#[test]
fn index_sections_tile_the_module_as_the_layout_places_them() {
    let (bytes, index) = fixture("names.wat");
    let layout = layout::Layout::read(&bytes).unwrap();
    assert_eq!(layout.sections.len(), index.sections.len());
    let mut at = layout.header.end;
    for (placed, described) in layout.sections.iter().zip(&index.sections) {
        assert_eq!(placed.full.start, at);
        assert_eq!(placed.id, described.id);
        assert_eq!(placed.full.start, described.header_offset);
        assert_eq!(placed.content, described.range);
        assert_eq!(placed.custom_name(), described.custom_name.as_deref());
        assert_eq!(bytes[described.header_offset], described.id);
        at = placed.full.end;
    }
    assert_eq!(at, bytes.len());
}

#[test]
fn index_records_imported_and_defined_items_in_order() {
    let (bytes, index) = fixture("names.wat");
    let imports: Vec<_> = index
        .imports
        .iter()
        .map(|i| (i.module.as_str(), i.name.as_str(), i.kind, i.index))
        .collect();
    assert_eq!(
        imports,
        vec![
            ("env", "log", ItemKind::Func, 0),
            ("env", "table", ItemKind::Table, 0),
            ("env", "memory", ItemKind::Memory, 0),
            ("env", "base", ItemKind::Global, 0),
            ("env", "panic", ItemKind::Tag, 0),
        ]
    );
    assert_eq!(index.imports[0].ty, "(func (param i32 i32))");
    assert_eq!(index.imports[3].ty, "i32");
    let import_section = index.sections.iter().find(|s| s.id == 2).unwrap();
    for import in &index.imports {
        assert!(import_section.range.contains(&import.offset));
    }
    // The first import entry starts with its module name: "env".
    assert_eq!(&bytes[index.imports[0].offset + 1..][..3], b"env");

    assert_eq!(index.imported_functions(), 1);
    assert_eq!(index.functions.len(), 7);
    assert!(index.functions[0].imported && index.functions[0].body.is_none());
    let defined: Vec<u32> = index.defined_functions().map(|f| f.index).collect();
    assert_eq!(defined, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(index.functions[2].type_index, 1);
    assert_eq!(index.function_type(1), "(func (result i32))");
    assert_eq!(index.function_type(99), "(type 99)");

    let items = |list: &[Item]| -> Vec<(u32, String, bool)> {
        list.iter()
            .map(|i| (i.index, i.ty.clone(), i.imported))
            .collect()
    };
    assert_eq!(
        items(&index.tables),
        vec![
            (0, "1 funcref".into(), true),
            (1, "2 funcref".into(), false)
        ]
    );
    assert_eq!(
        items(&index.memories),
        vec![(0, "1".into(), true), (1, "1".into(), false)]
    );
    assert_eq!(
        items(&index.globals),
        vec![
            (0, "i32".into(), true),
            (1, "(mut i32)".into(), false),
            (2, "i32".into(), false)
        ]
    );
    assert_eq!(
        items(&index.tags),
        vec![
            (0, "(func (param i32))".into(), true),
            (1, "(func (param i32 i32))".into(), false)
        ]
    );
}

#[test]
fn index_takes_names_from_the_name_section() {
    let (_, index) = fixture("names.wat");
    assert_eq!(index.module_name.as_deref(), Some("names"));
    assert_eq!(index.function_name(0), Some("env_log"));
    assert_eq!(index.function_name(2), Some("bump"));
    assert_eq!(index.function_name(99), None);
    assert_eq!(index.tables[1].name.as_deref(), Some("local_table"));
    assert_eq!(index.memories[0].name.as_deref(), Some("env_memory"));
    assert_eq!(index.globals[1].name.as_deref(), Some("counter"));
    assert_eq!(index.tags[1].name.as_deref(), Some("local_error"));
    let data: Vec<_> = index.data.iter().map(|d| d.name.as_deref()).collect();
    assert_eq!(data, vec![Some("banner"), Some("spare")]);
}

#[test]
fn index_records_exports_with_their_types_and_the_start() {
    let (_, index) = fixture("names.wat");
    let exports: Vec<_> = index
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.kind, e.index, e.ty.as_str()))
        .collect();
    assert_eq!(
        exports,
        vec![
            ("bump", ItemKind::Func, 2, "(func (result i32))"),
            ("get_count", ItemKind::Func, 3, "(func (result i32))"),
            ("copy_banner", ItemKind::Func, 4, "(func (param i32 i32))"),
            (
                "make_point",
                ItemKind::Func,
                5,
                "(func (param i32 i32) (result (ref (module 2))))"
            ),
            ("check", ItemKind::Func, 6, "(func (param i32))"),
            ("table", ItemKind::Table, 1, "2 funcref"),
            ("memory", ItemKind::Memory, 1, "1"),
            ("counter", ItemKind::Global, 1, "(mut i32)"),
            ("error", ItemKind::Tag, 1, "(func (param i32 i32))"),
        ]
    );
    let export_section = index.sections.iter().find(|s| s.id == 7).unwrap();
    assert!(
        index
            .exports
            .iter()
            .all(|e| export_section.range.contains(&e.offset))
    );
    assert_eq!(index.start, Some(1));
}

#[test]
fn index_records_segments_with_their_modes() {
    let (bytes, index) = fixture("names.wat");
    let data: Vec<_> = index
        .data
        .iter()
        .map(|d| (d.index, d.mode, d.size))
        .collect();
    assert_eq!(
        data,
        vec![(0, SegmentMode::Active, 9), (1, SegmentMode::Passive, 7)]
    );
    let data_section = index.sections.iter().find(|s| s.id == 11).unwrap();
    for d in &index.data {
        assert!(d.range.start >= data_section.range.start && d.range.end <= data_section.range.end);
    }
    assert!(bytes[index.data[0].range.clone()].ends_with(b"wasmscope"));

    let elements: Vec<_> = index
        .elements
        .iter()
        .map(|e| (e.index, e.mode, e.table, e.functions.clone()))
        .collect();
    assert_eq!(
        elements,
        vec![
            (0, SegmentMode::Active, Some(1), vec![2, 3]),
            (1, SegmentMode::Active, Some(0), vec![1]),
        ]
    );

    let (_, index) = from_wat(
        r#"(module
            (table 1 funcref)
            (func $f)
            (global funcref (ref.func $f))
            (elem funcref (ref.func $f))
            (elem declare func $f)
            (data "x"))"#,
    );
    let modes: Vec<_> = index.elements.iter().map(|e| (e.mode, e.table)).collect();
    assert_eq!(
        modes,
        vec![(SegmentMode::Passive, None), (SegmentMode::Declared, None)]
    );
    assert_eq!(index.elements[0].functions, vec![0]);
    assert_eq!(index.global_func_refs, vec![0]);
    assert_eq!(index.data[0].mode, SegmentMode::Passive);
}

#[test]
fn index_records_custom_sections_and_decodes_producers() {
    let (bytes, index) = fixture("names.wat");
    let names: Vec<&str> = index.customs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["hello", "name"]);
    let hello = &index.customs[0];
    assert_eq!(&bytes[hello.data.clone()], b"world");
    assert_eq!(bytes[hello.section.start], 0);
    let section = index.section_at(hello.section.start).unwrap();
    assert_eq!(section.describe(), "custom \"hello\"");
    assert_eq!(index.decoded_custom("hello"), None);

    let (_, index) = from_wat(
        r#"(module
            (@producers
                (language "Rust" "1.90.0")
                (processed-by "rustc" "1.90.0")
                (processed-by "wasm-opt" ""))
            (@custom "target_features" "\02\2b\07simd128\2d\07atomics"))"#,
    );
    let fields: Vec<_> = index
        .producers
        .iter()
        .map(|f| (f.field.as_str(), f.describe()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("language", "Rust 1.90.0".to_string()),
            ("processed-by", "rustc 1.90.0, wasm-opt".to_string()),
        ]
    );
    assert_eq!(
        index.decoded_custom("producers").unwrap(),
        vec![
            "language: Rust 1.90.0",
            "processed-by: rustc 1.90.0, wasm-opt"
        ]
    );
    assert_eq!(index.target_features, vec!["+simd128", "-atomics"]);
    assert_eq!(
        index.decoded_custom("target_features").unwrap(),
        vec!["+simd128", "-atomics"]
    );
}

#[test]
fn index_of_a_component_nests_its_core_modules() {
    let (bytes, index) = fixture("component.wat");
    assert!(index.component);
    assert!(index.sections.iter().any(|s| s.kind == "component import"));
    let imports: Vec<_> = index
        .component_imports
        .iter()
        .map(|i| (i.name.as_str(), i.kind))
        .collect();
    assert_eq!(
        imports,
        vec![("example:log/logger@0.1.0", ComponentKind::Instance)]
    );
    assert!(
        index
            .component_exports
            .iter()
            .any(|e| e.kind == ComponentKind::Func)
    );

    assert_eq!(index.nested.len(), 2);
    let modules: Vec<_> = index
        .sections
        .iter()
        .filter(|s| s.kind == "core module")
        .collect();
    assert_eq!(modules.len(), 2);
    for (section, nested) in modules.iter().zip(&index.nested) {
        // A nested module's offsets are the component's.
        assert_eq!(section.range, nested.range);
        assert_eq!(&bytes[nested.range.start..][..4], b"\0asm");
        assert!(!nested.component);
    }
    let main = &index.nested[1];
    assert_eq!(main.imports.len(), 2);
    let body = main
        .defined_functions()
        .next()
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert!(main.range.start < body.start && body.end <= main.range.end);

    let cores = index.core_modules();
    let numbers: Vec<Option<usize>> = cores.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, vec![Some(0), Some(1)]);
    assert!(std::ptr::eq(cores[1].1, main));

    let (_, module) = fixture("names.wat");
    let cores = module.core_modules();
    assert_eq!(cores.len(), 1);
    assert!(cores[0].0.is_none() && std::ptr::eq(cores[0].1, &module));
}

#[test]
fn index_finds_functions_by_offset_index_and_name() {
    let (_, index) = fixture("names.wat");
    let bump = index.body(2).unwrap();
    assert_eq!(index.function_at(bump.start), Some(2));
    assert_eq!(index.function_at(bump.end - 1), Some(2));
    let last = index.body(6).unwrap();
    assert_eq!(index.function_at(last.end - 1), Some(6));
    assert_eq!(index.function_at(0), None);
    assert_eq!(index.body(0), None);
    assert_eq!(index.body(99), None);

    assert_eq!(index.find_function("3"), Some(3));
    assert_eq!(index.find_function("7"), None);
    assert_eq!(index.find_function("$bump"), Some(2));
    assert_eq!(index.find_function("get_count"), Some(3));
    assert_eq!(index.find_function("nowhere"), None);

    let (_, exported) = from_wat(r#"(module (func (export "run")))"#);
    assert_eq!(exported.find_function("run"), Some(0));

    let code = index.sections.iter().find(|s| s.id == 10).unwrap();
    assert_eq!(index.section_at(bump.start), Some(code));
    assert_eq!(index.section_at(code.header_offset), Some(code));
    assert_eq!(index.section_at(0), None);
    assert_eq!(index.section_at(usize::MAX), None);
}

#[test]
fn index_of_truncated_input_says_where_it_ends() {
    let (bytes, _) = fixture("names.wat");
    let err = ModuleIndex::build(&bytes[..bytes.len() - 3]).unwrap_err();
    assert!(err.offset <= bytes.len());

    let truncated = std::fs::read(format!(
        "{}/testdata/truncated.wasm",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let err = ModuleIndex::build(&truncated).unwrap_err();
    assert_eq!(err.offset, 0x37);
    assert_eq!(err.message, "unexpected end-of-file");

    let err = ModuleIndex::build(&EMPTY_FUNC[..EMPTY_FUNC.len() - 1]).unwrap_err();
    assert_eq!(err.offset, 22);
}
