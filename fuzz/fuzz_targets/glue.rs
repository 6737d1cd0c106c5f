//! Emscripten glue: any text read as the JavaScript beside a minified
//! module, and applied to one of the Emscripten fixtures (the first byte
//! picks which).
//!
//! Must hold: reading never panics; applying either renames every import
//! the glue names (each keeping its binary name) or changes nothing and
//! points inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::glue::Glue;
use wasmscope::index::ModuleIndex;

const MODULES: &[&[u8]] = &[
    include_bytes!("../../testdata/emscripten/app.wasm"),
    include_bytes!("../../testdata/emscripten/argon2.wasm"),
    include_bytes!("../../testdata/emscripten/mozjpeg_dec.wasm"),
    include_bytes!("../../testdata/emscripten/app-names.wasm"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let bytes = MODULES[usize::from(pick) % MODULES.len()];
    let mut index = ModuleIndex::build(bytes).expect("the fixtures index");
    let before: Vec<(String, String)> = index
        .imports
        .iter()
        .map(|i| (i.module.clone(), i.name.clone()))
        .collect();
    let exports: Vec<String> = index.exports.iter().map(|e| e.name.clone()).collect();
    let text = String::from_utf8_lossy(text).into_owned();
    let len = text.len();
    let glue = Glue::parse("fuzz.js", text);
    match glue.apply(&mut index) {
        Ok(applied) => {
            let renamed = index
                .imports
                .iter()
                .filter(|i| i.minified.is_some())
                .count();
            assert_eq!(renamed, applied.imports);
            for (i, (module, name)) in index.imports.iter().zip(&before) {
                match &i.minified {
                    Some(m) => assert_eq!((&m.module, &m.name), (module, name)),
                    None => assert_eq!((&i.module, &i.name), (module, name)),
                }
                assert!(!i.name.is_empty());
            }
            let renamed = index
                .exports
                .iter()
                .filter(|e| e.minified.is_some())
                .count();
            assert_eq!(renamed, applied.exports);
        }
        Err(mismatch) => {
            assert!(mismatch.offset <= len, "{} > {len}", mismatch.offset);
            assert!(!mismatch.message.contains('\n'));
            let after: Vec<(String, String)> = index
                .imports
                .iter()
                .map(|i| (i.module.clone(), i.name.clone()))
                .collect();
            assert_eq!(after, before);
            let names: Vec<String> = index.exports.iter().map(|e| e.name.clone()).collect();
            assert_eq!(names, exports);
        }
    }
});
