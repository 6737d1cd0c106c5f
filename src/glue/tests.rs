use super::*;

fn index(wat: &str) -> ModuleIndex {
    let wasm = crate::parse::parse_bytes(wat.as_bytes(), "t.wat").expect("test module parses");
    ModuleIndex::build(&wasm).expect("test module indexes")
}

const MINIFIED: &str = r#"(module
    (import "a" "a" (func (param i32 i32 i32) (result i32)))
    (import "a" "b" (func (param i32 i32 i32 i32) (result i32)))
    (import "a" "c" (func (param i32) (result i32)))
    (memory (export "d") 1)
    (table (export "g") 1 funcref)
    (func (export "e"))
    (func (export "f") (result i32) i32.const 0))"#;

fn names(index: &ModuleIndex) -> Vec<String> {
    index
        .imports
        .iter()
        .map(|i| format!("{}.{}", i.module, i.name))
        .chain(index.exports.iter().map(|e| e.name.clone()))
        .collect()
}

#[test]
fn every_release_layout_names_the_same_imports_and_exports() {
    let layouts = [
        // Emscripten 3.1.32 and later: wasmImports, wasmExports[...].
        r#"var wasmImports={a:___syscall_openat,b:_fd_write,c:_emscripten_resize_heap};
           function receiveInstance(instance){wasmExports=instance.exports;wasmMemory=wasmExports["d"];
           wasmTable=wasmExports["g"];addOnInit(wasmExports["e"]);}
           var _main=Module["_main"]=(a0,a1)=>(_main=Module["_main"]=wasmExports["f"])(a0,a1);"#,
        // Before: asmLibraryArg with quoted keys, Module["asm"][...].
        r#"var asmLibraryArg={"a":___syscall_openat,"b":_fd_write,"c":_emscripten_resize_heap};
           var info={"a":asmLibraryArg};
           function receiveInstance(instance,module){var exports=instance.exports;Module["asm"]=exports;
           wasmMemory=Module["asm"]["d"];wasmTable=Module["asm"]["g"];addOnInit(Module["asm"]["e"]);}
           var _main=Module["_main"]=function(){return(_main=Module["_main"]=Module["asm"]["f"]).apply(null,arguments)};"#,
        // Emscripten 4: spaces, comments, shorthand-free object in a function.
        r#"function assignWasmImports() {
             wasmImports = {
               /** @export */ a: ___syscall_openat, // open
               /** @export */ 'b': _fd_write,
               /* resize */ c: _emscripten_resize_heap
             };
           }
           function assignWasmExports(wasmExports) {
             Module['_main'] = _main = wasmExports['f'];
             ___wasm_call_ctors = wasmExports['e'];
             wasmMemory = wasmExports['d'];
             wasmTable = wasmExports['g'];
           }"#,
    ];
    for glue in layouts {
        let mut index = index(MINIFIED);
        let applied = Glue::parse("app.js", glue).apply(&mut index).expect(glue);
        assert_eq!(
            names(&index),
            [
                "env.__syscall_openat",
                "wasi_snapshot_preview1.fd_write",
                "env.emscripten_resize_heap",
                "memory",
                "__indirect_function_table",
                "__wasm_call_ctors",
                "main",
            ],
            "{glue}"
        );
        assert_eq!((applied.imports, applied.exports), (3, 4), "{glue}");
        assert_eq!(
            index.imports[0].minified,
            Some(MinifiedImport {
                module: "a".into(),
                name: "a".into()
            })
        );
        assert_eq!(index.exports[3].minified.as_deref(), Some("f"));
    }
}

#[test]
fn glue_that_does_not_fit_changes_nothing_and_says_where() {
    let cases = [
        (
            "var wasmImports={a:___syscall_openat,b:_fd_write};",
            "does not name 1 of the module's 3 imports (a.c)",
        ),
        (
            "var wasmImports={a:___syscall_openat,b:_fd_write,c:_x,d:_y};",
            "has 4 entries and the module 3 imports",
        ),
        (
            "var ld={a:(a,b,d,c)=>Ra(`Assertion ${A(a)}`),b:function(a){return{x:[1,2]}},c:Xa};var b={a:ld};",
            "gives 3 of its 3 imports as inline or renamed functions (glue minified by Closure)",
        ),
        ("console.log('hello')", "no Emscripten import map"),
        (
            r#"var wasmImports={a:_f,b:_g,c:_h};x=wasmExports["zz"];"#,
            "the module has none of them",
        ),
    ];
    for (glue, reason) in cases {
        let mut index = index(MINIFIED);
        let before = names(&index);
        let err = Glue::parse("app.js", glue).apply(&mut index).unwrap_err();
        assert!(err.message.contains(reason), "{glue}: {}", err.message);
        assert_eq!(names(&index), before, "{glue} changed the index");
        assert!(index.imports.iter().all(|i| i.minified.is_none()));
    }
}

#[test]
fn a_mismatch_points_at_the_map() {
    let glue = Glue::parse("app.js", "// glue\nvar x=1;var wasmImports={a:_f};");
    let mut index = index(MINIFIED);
    let err = glue.apply(&mut index).unwrap_err();
    assert_eq!(glue.place(err.offset), "app.js:2:25");
    let error = glue.error_at(err.offset, err.message).to_string();
    assert!(
        error.starts_with("app.js:2:25: the import map `wasmImports`"),
        "{error}"
    );
}

#[test]
fn a_bundle_with_several_modules_uses_the_map_that_fits() {
    let glue = r#"var wasmImports={a:_other};
        var wasmImports={a:___syscall_openat,b:_fd_write,c:_emscripten_resize_heap};"#;
    let mut index = index(MINIFIED);
    Glue::parse("app.js", glue)
        .apply(&mut index)
        .expect("second map fits");
    assert_eq!(index.imports[0].name, "__syscall_openat");
}

#[test]
fn unminified_glue_leaves_the_names_as_they_are() {
    let module = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
        (import "env" "__assert_fail" (func (param i32 i32 i32 i32)))
        (func (export "main")))"#;
    let glue = r#"var wasmImports = { fd_write: _fd_write, __assert_fail: ___assert_fail };
        var _main = Module['_main'] = wasmExports['main'];"#;
    let mut index = index(module);
    let applied = Glue::parse("app.js", glue).apply(&mut index).expect("fits");
    assert_eq!((applied.imports, applied.exports), (0, 0));
    assert!(index.imports.iter().all(|i| i.minified.is_none()));
}

#[test]
fn the_scanner_steps_over_strings_templates_and_comments() {
    let text = br#"var wasmImports={a:()=>{var s="},{";var t=`${"}"}`;/* } */return s},
        "b":function(){return '}'},c:_g};"#;
    let maps = scan::named_maps(text);
    let keys: Vec<_> = maps[0].entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
    assert_eq!(maps[0].entries[2].value.as_deref(), Some("_g"));
    assert_eq!(maps[0].entries[0].value, None);
}

#[test]
fn hostile_text_is_read_in_bounded_time() {
    // Unclosed maps, one after another: each is tried once, and at most a
    // few are tried.
    let mut text = "wasmImports={a:(".repeat(200_000);
    text.push_str(&"Module[\"asm\"][\"".repeat(100_000));
    // Closure's form, `{a:X}`, for many X, none of them defined.
    for i in 0..100_000 {
        text.push_str(&format!("{{a:q{i}}}"));
    }
    let start = std::time::Instant::now();
    let glue = Glue::parse("hostile.js", text);
    assert!(glue.maps.is_empty());
    let mut index = index(MINIFIED);
    assert!(glue.apply(&mut index).is_err());
    // A generous bound: the scan is linear, this is about not being
    // quadratic (which would take minutes).
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn minified_imports_are_recognised() {
    assert!(looks_minified(&index(MINIFIED)));
    assert!(!looks_minified(&index(
        r#"(module (import "env" "log" (func)))"#
    )));
    assert!(!looks_minified(&index("(module)")));
}
