//! Inputs made to hurt: modules that claim huge counts and sizes their bytes
//! do not back (testdata/hostile/), code nested 100,000 deep in binary and
//! text, and every input the fuzz targets found a fault with (testdata/fuzz/).
//! Every read-only command must end each one quickly, within the memory
//! bound, with exit code 0 or 1 and a one-line message: never a panic, a
//! signal or a hang.

use std::path::{Path, PathBuf};

use wasm_encoder::Encode;

use crate::common::{
    self, Bounded, extra_codes, needs_component, read_only_commands, run_bounded, testdata,
};

/// Runs every read-only command on `file` (relative to `dir`) and returns
/// the runs, failing on any fault.
fn run_all(dir: &Path, file: &str, other: &str) -> Vec<(Vec<String>, Bounded)> {
    let mut runs = Vec::new();
    let mut faults = Vec::new();
    for args in read_only_commands(file, other) {
        let run = run_bounded(dir, &args);
        if let Some(fault) = run.fault(extra_codes(&args)) {
            faults.push(format!("wasmscope {}: {fault}", args.join(" ")));
        }
        runs.push((args, run));
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    runs
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// Asking for a function by an export name that names no function.
#[test]
fn calls_on_an_export_of_a_missing_function() {
    let dir = testdata().join("hostile");
    for extra in [&[][..], &["--tree"]] {
        let mut args = vec!["calls", "export-past-functions.wasm", "f"];
        args.extend(extra);
        let run = run_bounded(&dir, &args);
        assert_eq!(run.fault(&[]), None);
        assert_eq!(run.code, Some(1));
        assert_eq!(
            run.stderr.trim(),
            "error: export-past-functions.wasm: no function 5 (the module has 0 functions)"
        );
    }
}

#[test]
fn hostile_modules_fail_fast_and_cleanly() {
    let dir = testdata().join("hostile");
    let files = files_in(&dir, "wasm");
    assert!(files.len() >= 10, "hostile fixtures missing");
    for path in files {
        let file = path.file_name().unwrap().to_str().unwrap();
        let runs = run_all(&dir, file, file);
        for (args, run) in &runs {
            let what = format!("wasmscope {}", args.join(" "));
            // A name section is optional: a bad one is left out, and the
            // module still reads (a round trip cannot keep it, so that run
            // reports a difference).
            if file == "names-5m.wasm" {
                let expected = if args[0] == "roundtrip" || needs_component(args) {
                    1
                } else {
                    0
                };
                assert_eq!(run.code, Some(expected), "{what}: {}", run.stderr);
                continue;
            }
            if run.code == Some(0) {
                continue;
            }
            // A refusal is one line naming the file; a decoding error also
            // says where, as a byte offset.
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 1, "{what}: {}", run.stderr);
            assert!(lines[0].contains(file), "{what}: {}", run.stderr);
            // One line a reader can take in: what the module claims is not
            // spelled out at length.
            assert!(lines[0].len() < 300, "{what}: {}", run.stderr);
            // Each claim is caught within a few milliseconds; the bound only
            // leaves room for a loaded machine.
            assert!(run.elapsed.as_secs() < 5, "{what}: took {:?}", run.elapsed);
        }
        // Every one of these modules is refused by validation: none is
        // valid, whatever a lenient reader makes of it.
        let validate = runs.iter().find(|(a, _)| a[0] == "validate").unwrap();
        let expected = if file == "names-5m.wasm" { 0 } else { 1 };
        assert_eq!(validate.1.code, Some(expected), "validate {file}");
        if expected == 1 {
            assert!(validate.1.stderr.contains(":0x"), "{}", validate.1.stderr);
        }
    }
}

/// `(func block block ... end end)`, `depth` deep, in binary.
fn nested_binary(depth: usize) -> Vec<u8> {
    let mut body = vec![0u8]; // no locals
    for _ in 0..depth {
        body.extend([0x02, 0x40]); // block with no result
    }
    body.extend(std::iter::repeat_n(0x0b, depth + 1));
    let mut code = vec![1];
    body.len().encode(&mut code);
    code.extend(body);
    let mut module = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0".to_vec();
    module.push(10);
    code.len().encode(&mut module);
    module.extend(code);
    module
}

#[test]
fn code_nested_100000_deep_in_binary_and_text() {
    let depth = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let binary = nested_binary(depth);
    std::fs::write(dir.path().join("nested.wasm"), &binary).unwrap();
    let flat = format!(
        "(module (func {}{}))",
        "block ".repeat(depth),
        "end ".repeat(depth)
    );
    let folded = format!(
        "(module (func {}{}))",
        "(block ".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(dir.path().join("flat.wat"), &flat).unwrap();
    std::fs::write(dir.path().join("folded.wat"), &folded).unwrap();
    for file in ["nested.wasm", "flat.wat", "folded.wat"] {
        let runs = run_all(dir.path(), file, "nested.wasm");
        for (args, run) in runs {
            // Deep but valid: every command succeeds, but those that read
            // only components, which refuse a core module.
            let expected = if needs_component(&args) { 1 } else { 0 };
            assert_eq!(
                run.code,
                Some(expected),
                "wasmscope {} on {file}: {}",
                args.join(" "),
                run.stderr
            );
        }
    }
    // The three forms are one module.
    assert_eq!(
        wasmscope::parse::parse_text(&flat, "flat.wat").unwrap(),
        binary
    );
    assert_eq!(
        wasmscope::parse::parse_text(&folded, "folded.wat").unwrap(),
        binary
    );
}

#[test]
fn inputs_the_fuzzers_found_faults_with() {
    let dir = testdata().join("fuzz");
    let mut files = files_in(&dir, "wasm");
    files.extend(files_in(&dir, "wat"));
    assert!(files.len() >= 4, "fuzz regression fixtures missing");
    for path in &files {
        let file = path.file_name().unwrap().to_str().unwrap();
        // A pair for diff is named *-old.wasm / *-new.wasm.
        let other = file.replace("-old.", "-new.");
        run_all(&dir, file, &other);
    }
    // Text cut into pieces parses as it does in one go, or is left to the
    // one-go parse: a stray `;` once made the scan for pieces loop forever.
    for path in files_in(&dir, "wat") {
        let text = std::fs::read_to_string(&path).unwrap();
        let whole = wasmscope::parse::parse_text(&text, "t.wat");
        for chunk in [1, 16, text.len() / 4 + 1] {
            if let Some(pieces) = wasmscope::parse::parse_in_pieces(&text, 2, chunk) {
                assert_eq!(whole.as_ref().ok(), Some(&pieces), "{}", path.display());
            }
        }
    }
    // A name section out of order: a printer keeps the names before the
    // fault, and the parallel print must keep the same ones.
    // A malformed producers section: a printer notes it with an offset,
    // which must be the input's however the module is cut.
    for path in files_in(&dir, "wasm") {
        let bytes = std::fs::read(&path).unwrap();
        for (offsets, fold) in [(false, false), (true, false), (false, true), (true, true)] {
            let opts = |jobs| wasmscope::print::PrintOptions {
                offsets,
                fold,
                jobs: Some(jobs),
                chunk_bytes: Some(1),
                ..Default::default()
            };
            let one = wasmscope::print::print_to_string(&bytes, "m.wasm", &opts(1));
            let three = wasmscope::print::print_to_string(&bytes, "m.wasm", &opts(3));
            assert_eq!(
                format!("{one:?}"),
                format!("{three:?}"),
                "{} (offsets {offsets}, fold {fold})",
                path.display()
            );
        }
    }
    let bytes = std::fs::read(dir.join("print-local-names-out-of-order.wasm")).unwrap();
    let one = wasmscope::print::print_to_string(&bytes, "m.wasm", &Default::default()).unwrap();
    assert!(one.contains("(param $x i32)") && one.contains("(param i64)"));
    let bytes = std::fs::read(dir.join("print-producers-malformed.wasm")).unwrap();
    let one = wasmscope::print::print_to_string(&bytes, "m.wasm", &Default::default()).unwrap();
    assert!(one.contains("failed to parse custom section `producers`"));
    // Two modules whose exports name functions that do not exist compare
    // without a panic, and the difference is reported.
    let diff = common::run(&[
        "diff",
        "fuzz/diff-export-past-functions-old.wasm",
        "fuzz/diff-export-past-functions-new.wasm",
    ]);
    assert_eq!(diff.status.code(), Some(1), "{}", common::stderr(&diff));
    assert!(common::stdout(&diff).contains("functions:"));
    // A module importing one name twice, under two types, is identical to
    // itself.
    let same = common::run(&[
        "diff",
        "fuzz/diff-import-twice.wasm",
        "fuzz/diff-import-twice.wasm",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", common::stdout(&same));
    assert_eq!(common::stdout(&same).trim(), "identical");
}
