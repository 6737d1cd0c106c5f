//! Printing on several threads writes exactly the text of printing in one
//! go: every fixture, with every option that changes function text, cut
//! into pieces of several sizes (down to one function a piece).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use wasmscope::print::{PrintOptions, print_to_string};

/// Every module fixture as binary: the .wasm files and the .wat files
/// parsed, in every testdata folder.
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![common::testdata()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The demo's sources and build output are not fixtures.
                if !path.ends_with("demo") {
                    dirs.push(path);
                }
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let binary = match path.extension().and_then(|e| e.to_str()) {
                Some("wasm") => bytes,
                Some("wat") => match wasmscope::parse::parse_bytes(&bytes, "t.wat") {
                    Ok(binary) => binary,
                    // The fixtures of parse errors.
                    Err(_) => continue,
                },
                _ => continue,
            };
            out.push((path, binary));
        }
    }
    out.sort();
    out
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
        split += 1;
    }
    assert_eq!(split, fixtures.len());
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
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_wasmscope"))
            .arg("print")
            .arg(&module)
            .args(args)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
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
