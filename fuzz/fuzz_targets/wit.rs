//! `wit`: a component's WIT decoded, printed as text and as a package
//! directory, and reported, down to JSON; and its parts, as `extract` finds
//! them.
//!
//! Input: a flags byte, then, with flag bit 0, WIT text: it is parsed as a
//! package, its first world is given a core module (every function
//! `unreachable`) with the WIT embedded, and that is made a component;
//! otherwise the rest is the binary itself (a component, or a core module
//! with `component-type` sections).
//!
//! Must hold: what decodes prints as WIT that wit-parser reads back, with
//! every package printing the same and the same main package; the directory form holds every package;
//! the report names every interface the world imports and exports.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use wasmscope::wit::Wit;

use wit_component::{ComponentEncoder, StringEncoding, WitPrinter};
use wit_parser::{ManglingAndAbi, Resolve};

/// Each package of a resolve printed alone, by name.
fn packages(resolve: &Resolve, docs: bool) -> BTreeMap<String, String> {
    resolve
        .packages
        .iter()
        .map(|(id, package)| {
            let mut printer = WitPrinter::default();
            printer.emit_docs(docs);
            printer.print(resolve, id, &[]).expect("a package prints");
            (package.name.to_string(), printer.output.to_string())
        })
        .collect()
}

/// A component for the first world of a WIT package, if the text is one.
fn component_of(text: &str) -> Option<Vec<u8>> {
    let mut resolve = Resolve::default();
    let package = resolve.push_str("fuzz.wit", text).ok()?;
    let world = resolve.select_world(&[package], None).ok()?;
    let mut core = wit_component::dummy_module(&resolve, world, ManglingAndAbi::Standard32);
    wit_component::embed_component_metadata(
        &mut core,
        &resolve,
        world,
        StringEncoding::UTF8,
        false,
    )
    .ok()?;
    ComponentEncoder::default()
        .module(&core)
        .ok()?
        .validate(true)
        .encode()
        .ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let built;
    let bytes = if flags & 1 == 1 {
        let Some(component) = component_of(&String::from_utf8_lossy(rest)) else {
            return;
        };
        built = component;
        &built[..]
    } else {
        rest
    };
    // `extract`: every part lies within the input and is found by its id.
    if let Ok(parts) = wasmscope::component::parts(bytes) {
        for part in &parts {
            assert!(
                bytes.get(part.range.clone()).is_some(),
                "{part:?} lies outside the input"
            );
            let found = wasmscope::component::find(&parts, part.kind, &part.id);
            assert_eq!(found.map(|p| &p.id), Some(&part.id));
        }
    }
    let Ok(wit) = Wit::decode(bytes) else {
        return;
    };
    let docs = flags & 2 == 2;
    let Ok(text) = wit.text(docs) else {
        return;
    };
    // The text is WIT: read back, every package prints the same (the
    // packages may come back in another order: dependencies first).
    let mut back = Resolve::default();
    let main = back
        .push_str("back.wit", &text)
        .unwrap_or_else(|e| panic!("printed WIT does not parse: {e:#}\n{text}"));
    assert_eq!(
        packages(&back, docs),
        packages(wit.resolve(), docs),
        "the WIT changed on reading back"
    );
    assert_eq!(
        back.packages[main].name,
        wit.resolve().packages[wit.package()].name,
        "another main package"
    );
    // One file a package.
    let files = wit
        .package_files(docs)
        .expect("the text printed, so do the files");
    assert_eq!(files.len(), wit.resolve().packages.len());
    // The report covers the world, and serialises.
    let report = wit.report();
    if let Some(world) = wit.world().and_then(|w| wit.resolve().worlds.get(w)) {
        assert_eq!(report.imports.len(), world.imports.len());
        assert_eq!(report.exports.len(), world.exports.len());
    }
    serde_json::to_string(&report).expect("serialises");
});
