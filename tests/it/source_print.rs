//! `print --source`: source lines above the code they made, from DWARF and
//! from a source map, the same on one thread or many, and text that still
//! parses to the same module.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wasmscope::debuginfo::{Companions, DebugInfo, DebugOptions, PrefixMap};
use wasmscope::input::{Loaded, Source};
use wasmscope::print::{PrintOptions, SourceNotes, print_to_string};

use crate::common::{self, snapshot, stdout, testdata, wasmscope};

fn debug_fixture(name: &str) -> PathBuf {
    testdata().join("debug").join(name)
}

/// The line of `file` that carries `marker`, counted from 1.
fn marked_line(file: &Path, marker: &str) -> u32 {
    let text = std::fs::read_to_string(file).unwrap();
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(marker))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "{marker} once in {}", file.display());
    found[0] as u32
}

/// The source notes of a fixture, with its sources found under testdata.
fn notes(module: &Loaded, path: &Path, prefixes: &[&str]) -> SourceNotes {
    let options = DebugOptions {
        prefixes: prefixes
            .iter()
            .map(|p| p.parse::<PrefixMap>().unwrap())
            .collect(),
        ..DebugOptions::default()
    };
    let companions = Companions::find(module, Some(path), &options).unwrap();
    let debug = DebugInfo::new(module, &companions, &options);
    SourceNotes::new(&debug, &module.index).unwrap()
}

fn tally_prefix() -> String {
    format!("/build/tally={}", debug_fixture("tally").display())
}

#[test]
fn source_lines_print_the_same_on_one_thread_or_many() {
    let prefix = tally_prefix();
    for (name, prefixes) in [
        ("tally.wasm", vec![prefix.as_str()]),
        ("cdemo-dwarf5.wasm", vec![]),
        ("asdemo.wasm", vec![]),
    ] {
        let path = debug_fixture(name);
        let module = Loaded::load(&Source::File(path.clone())).unwrap();
        let notes = Arc::new(notes(&module, &path, &prefixes));
        assert!(!notes.is_empty(), "{name} has lines");
        for (offsets, fold) in [(false, false), (true, false), (false, true)] {
            let base = PrintOptions {
                offsets,
                fold,
                source: Some(notes.clone()),
                ..PrintOptions::default()
            };
            let one = print_to_string(
                &module.bytes,
                name,
                &PrintOptions {
                    jobs: Some(1),
                    ..base.clone()
                },
            )
            .unwrap();
            assert!(one.contains("\n;; "), "{name}: notes printed");
            for chunk in [64, 4096] {
                let many = print_to_string(
                    &module.bytes,
                    name,
                    &PrintOptions {
                        jobs: Some(3),
                        chunk_bytes: Some(chunk),
                        ..base.clone()
                    },
                )
                .unwrap();
                assert!(
                    one == many,
                    "{name}: offsets {offsets}, fold {fold}, pieces of {chunk} bytes"
                );
            }
        }
    }
}

#[test]
fn the_trapping_line_is_shown_above_its_code() {
    let source = debug_fixture("tally/src/main.rs");
    let trap = marked_line(&source, "@trap");
    let prefix = tally_prefix();
    let out = wasmscope([
        "print",
        "debug/tally.wasm",
        "--func",
        "tally::checked_ratio",
        "--source",
        "--source-prefix",
        &prefix,
    ])
    .output();
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let note = format!(";; {}:{trap}\n", source.display());
    let at = text
        .find(&note)
        .unwrap_or_else(|| panic!("{note} in\n{text}"));
    let next = text[at + note.len()..].lines().next().unwrap();
    assert!(
        next.contains(&format!("{trap:>5} | ")) && next.contains("// @trap"),
        "the source line follows: {next}"
    );
    // Paths relative to testdata keep the golden file machine-independent.
    let out = wasmscope([
        "print",
        "debug/tally.wasm",
        "--func",
        "tally::checked_ratio",
        "--source",
        "--source-prefix",
        "/build/tally=debug/tally",
    ])
    .output();
    snapshot("print", "source-tally-checked-ratio", &stdout(&out));
}

#[test]
fn source_maps_give_lines_and_their_embedded_text() {
    let source = debug_fixture("asdemo/assembly/index.ts");
    let trap = marked_line(&source, "@trap");
    let out = wasmscope(["print", "debug/asdemo.wasm", "--source"]).output();
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains(&format!(":{trap}\n;; {trap:>5} | ")),
        "the trapping line with its text:\n{text}"
    );
    snapshot("print", "source-asdemo", &text);
}

#[test]
fn text_with_source_lines_parses_to_the_same_module() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["tally.wasm", "cdemo-dwarf4.wasm", "asdemo.wasm"] {
        let plain = dir.path().join("plain.wasm");
        let annotated = dir.path().join("annotated.wasm");
        let module = format!("debug/{name}");
        for (out, extra) in [(&plain, None), (&annotated, Some("--source"))] {
            let printed = wasmscope(["print", module.as_str()].into_iter().chain(extra)).output();
            assert!(printed.status.success(), "{printed:?}");
            let parsed = wasmscope(["parse", "-", "-o", out.to_str().unwrap()])
                .stdin(printed.stdout)
                .output();
            assert!(parsed.status.success(), "{name}: {parsed:?}");
        }
        assert_eq!(
            std::fs::read(&plain).unwrap(),
            std::fs::read(&annotated).unwrap(),
            "{name}: the notes are comments only"
        );
    }
}

#[test]
fn without_line_info_the_text_is_plain_and_a_note_says_why() {
    let plain = wasmscope(["print", "--demo"]).output();
    let out = wasmscope(["print", "--demo", "--source"]).output();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, plain.stdout);
    assert!(
        common::stderr(&out).contains("no DWARF line table or source map"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn a_source_line_leads_back_to_its_code() {
    let path = debug_fixture("tally.wasm");
    let module = Loaded::load(&Source::File(path.clone())).unwrap();
    let options = DebugOptions::default();
    let companions = Companions::find(&module, Some(&path), &options).unwrap();
    let debug = DebugInfo::new(&module, &companions, &options);
    let trap = marked_line(&debug_fixture("tally/src/main.rs"), "@trap");
    let code = debug
        .code_of_line("/build/tally/src/main.rs", trap)
        .unwrap();
    assert!(!code.is_empty());
    let checked_ratio = module.index.find_function("tally::checked_ratio").unwrap();
    for (range, function) in &code {
        assert_eq!(*function, checked_ratio);
        // And each byte leads forward to the same line.
        let place = debug.lookup(range.start);
        assert_eq!(place.frames[0].line, Some(trap), "0x{:x}", range.start);
    }
    assert!(
        debug
            .code_of_line("/build/tally/src/main.rs", 100_000)
            .unwrap()
            .is_empty()
    );
}
