//! Printing on several threads writes exactly the text of printing in one
//! go: every fixture, with every option that changes function text, cut
//! into pieces of several sizes (down to one function a piece).

use std::path::PathBuf;

use wasmscope::print::{PrintOptions, print_to_string};

use crate::common::{self, wasmscope};

use crate::common::testdata_files;

fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// Every module fixture as binary: the .wasm files and the .wat files
/// parsed (those that do: some are parse errors on purpose).
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for path in testdata_files() {
        let bytes = std::fs::read(&path).unwrap();
        if has_extension(&path, "wasm") {
            out.push((path, bytes));
        } else if has_extension(&path, "wat")
            && let Ok(binary) = wasmscope::parse::parse_bytes(&bytes, "t.wat")
        {
            out.push((path, binary));
        }
    }
    out
}

/// Parses on `jobs` threads (pieces of `chunk_bytes` if given); the error
/// as text, to compare.
fn parse_with(text: &str, jobs: usize, chunk_bytes: Option<usize>) -> Result<Vec<u8>, String> {
    let opts = wasmscope::parse::ParseOptions {
        jobs: Some(jobs),
        chunk_bytes,
    };
    wasmscope::parse::parse_text_with(text, "t.wat", opts).map_err(|e| e.to_string())
}

fn variants() -> Vec<PrintOptions> {
    let mut out = Vec::new();
    for offsets in [false, true] {
        for fold in [false, true] {
            for name_unnamed in [false, true] {
                out.push(PrintOptions {
                    offsets,
                    fold,
                    name_unnamed,
                    ..PrintOptions::default()
                });
            }
        }
    }
    out
}

#[test]
fn every_fixture_prints_the_same_on_several_threads() {
    let fixtures = fixtures();
    assert!(fixtures.len() > 40, "{} fixtures", fixtures.len());
    let mut split = 0;
    for (path, bytes) in &fixtures {
        for opts in variants() {
            let one = print_to_string(
                bytes,
                "t",
                &PrintOptions {
                    jobs: Some(1),
                    ..opts.clone()
                },
            )
            .map_err(|e| e.to_string());
            for chunk in [1, 64, 4096] {
                for jobs in [2, 3] {
                    let many = print_to_string(
                        bytes,
                        "t",
                        &PrintOptions {
                            jobs: Some(jobs),
                            chunk_bytes: Some(chunk),
                            ..opts.clone()
                        },
                    )
                    .map_err(|e| e.to_string());
                    assert!(
                        one == many,
                        "{}: {opts:?}, {jobs} threads, pieces of {chunk} bytes",
                        path.display()
                    );
                }
            }
        }
        if wasmscope::print::pieces(bytes, 1) > 1 {
            split += 1;
        }
    }
    // Most fixtures have several functions and are really cut.
    assert!(
        split > 30,
        "{split} of {} fixtures printed in pieces",
        fixtures.len()
    );
}

/// A module with enough code (about 400 KB) to be printed in pieces by
/// default: functions of arithmetic, calls between them, and names.
fn large_module() -> Vec<u8> {
    let mut text = String::from("(module\n  (memory 1)\n  (global $g (mut i32) (i32.const 0))\n");
    for f in 0..2000 {
        text.push_str(&format!(
            "  (func $f{f} (export \"f{f}\") (param $x i32) (result i32) (local $t i32)\n"
        ));
        for i in 0..20 {
            text.push_str(&format!(
                "    local.get $x i32.const {i} i32.add i32.load offset={i} local.set $t\n    \
                 block $b{i} local.get $t br_if $b{i} global.get $g local.set $t end\n"
            ));
        }
        text.push_str(&format!("    local.get $t call $f{})\n", (f * 7) % 2000));
    }
    text.push_str("  (data (i32.const 16) \"hello\\00\"))\n");
    wasmscope::parse::parse_text(&text, "large.wat").unwrap()
}

/// The real binary, as users run it: one thread (RAYON_NUM_THREADS=1) and
/// several give the same bytes.
#[test]
fn the_cli_prints_the_same_with_one_thread_or_many() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("large.wasm");
    let bytes = large_module();
    assert!(bytes.len() > 300_000, "{} bytes", bytes.len());
    std::fs::write(&module, &bytes).unwrap();
    let run = |threads: &str, args: &[&str]| {
        let out = wasmscope(["print"])
            .arg(&module)
            .args(args)
            .env("RAYON_NUM_THREADS", threads)
            .output();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    for args in [
        &[][..],
        &["--offsets"],
        &["--fold"],
        &["--offsets", "--fold"],
    ] {
        let one = run("1", args);
        assert!(one.len() > 4_000_000, "{} bytes", one.len());
        assert!(one == run("2", args), "{args:?}");
        assert!(one == run("3", args), "{args:?}");
    }
}

/// Parsing on several threads encodes exactly what parsing in one go does
/// (or fails with the same error): the fixtures' own text and their
/// printed text, cut into pieces down to one function each.
#[test]
fn every_fixture_parses_the_same_on_several_threads() {
    let mut texts: Vec<(String, String)> = Vec::new();
    for (path, bytes) in fixtures() {
        if let Ok(text) = print_to_string(&bytes, "t", &PrintOptions::default()) {
            texts.push((format!("{} (printed)", path.display()), text));
        }
        for opts in [PrintOptions {
            fold: true,
            ..PrintOptions::default()
        }] {
            if let Ok(text) = print_to_string(&bytes, "t", &opts) {
                texts.push((format!("{} (printed folded)", path.display()), text));
            }
        }
    }
    for path in testdata_files() {
        if has_extension(&path, "wat") {
            let text = std::fs::read_to_string(&path).unwrap();
            texts.push((path.display().to_string(), text));
        }
    }
    assert!(texts.len() > 80, "{} texts", texts.len());
    let mut split = 0;
    for (name, text) in &texts {
        let one = parse_with(text, 1, None);
        if let Some(binary) = wasmscope::parse::parse_in_pieces(text, 2, 1) {
            assert!(
                one.as_ref().ok() == Some(&binary),
                "{name}: parsed differently in pieces"
            );
            split += 1;
        }
        for chunk in [1, 500, 20_000] {
            let many = parse_with(text, 2, Some(chunk));
            assert!(one == many, "{name}: pieces of {chunk} bytes");
        }
    }
    // Printed text is always cut when it has several functions.
    assert!(
        split > 60,
        "{split} of {} texts parsed in pieces",
        texts.len()
    );
}

/// Cut-off and odd text never trips the cutting: it is parsed in one go
/// and fails or succeeds exactly as it would anyway.
#[test]
fn odd_text_is_left_to_the_one_go_parse() {
    let texts = [
        "",
        "   \n",
        "(",
        ")",
        "(module",
        "(module)",
        "(module $\"",
        "(module $m (func",
        "(module (func $\"a",
        "(module (func $f (param",
        "(module (func (@name",
        "(module (@custom",
        "(module (@custom \"name\" \"\")) ",
        "(module (data \"",
        "(module (data (i32.const 0)",
        "(module (func (;",
        "(module (func)) (module (func))",
        "(module (func) (func \"x\"))",
        ";; only a comment",
        "(; unterminated",
        "(module (func) (func)) trailing",
        "(module (func (result i32) (i32.const 1)) (func (param $x i32)))",
    ];
    for text in texts {
        let one = parse_with(text, 1, None);
        let many = parse_with(text, 2, Some(1));
        assert_eq!(one, many, "{text:?}");
    }
}

/// 100,000 nested blocks, in binary and as text (flat, a `;; label`
/// comment on every line, no parenthesis for megabytes): printed, parsed
/// back and compared by the real binary. Finding where to cut such text
/// once searched the rest of it again for every comment.
#[test]
fn deeply_nested_code_goes_round_the_text_and_back() {
    let depth = 100_000;
    let text = format!(
        "(module (func {}{}))",
        "block ".repeat(depth),
        "end ".repeat(depth)
    );
    let binary = wasmscope::parse::parse_text(&text, "nested.wat").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("nested.wasm");
    std::fs::write(&module, &binary).unwrap();
    let out = common::run(&["roundtrip", module.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "identical");
    // The folded form of the same nesting parses to the same module.
    let folded = format!(
        "(module (func {}{}))",
        "(block ".repeat(depth),
        ")".repeat(depth)
    );
    assert_eq!(
        wasmscope::parse::parse_text(&folded, "folded.wat").unwrap(),
        binary
    );
}
