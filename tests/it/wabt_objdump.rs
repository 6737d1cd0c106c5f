//! `wasmscope::wabt::objdump` against the real `wasm-objdump` (WABT 1.0.32):
//! stdout byte for byte, stderr and the exit status, for every fixture WABT
//! can read and for the malformed ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use wasmscope::wabt::objdump::{Options, dump};

use crate::common::{scratch, testdata};

/// Runs the real wasm-objdump; fails (never skips) when it is missing.
fn wabt(args: &[&str], path: &Path) -> (String, String, i32) {
    let out = Command::new("wasm-objdump").args(args).arg(path).output().unwrap_or_else(|e| {
        panic!("cannot run wasm-objdump ({e}): install WABT 1.0.32 (the Debian/Ubuntu package `wabt`; `cargo xtask test` does)")
    });
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn options(args: &[&str]) -> Options {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if *arg == "-j" {
            options.section = args.next().map(|s| (*s).to_owned());
            continue;
        }
        if *arg == "--section-offsets" {
            options.section_offsets = true;
            continue;
        }
        for flag in arg.trim_start_matches('-').chars() {
            match flag {
                'h' => options.headers = true,
                'x' => options.details = true,
                'd' => options.disassemble = true,
                's' => options.full_contents = true,
                'r' => options.relocs = true,
                other => panic!("flag {other}"),
            }
        }
    }
    options
}

/// A readable diff of two texts, for the failure message.
fn diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for group in diff.grouped_ops(2).iter().take(6) {
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => "-wabt ",
                    similar::ChangeTag::Insert => "+ours ",
                    similar::ChangeTag::Equal => "      ",
                };
                out.push_str(sign);
                out.push_str(&change.to_string_lossy());
                if change.missing_newline() {
                    out.push_str("⏎(no newline)\n");
                }
            }
        }
        out.push_str("...\n");
    }
    out
}

/// Compares our dump of `path` with wasm-objdump's for each set of flags.
fn check(path: &Path, flag_sets: &[&[&str]]) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    for args in flag_sets {
        let (stdout, stderr, code) = wabt(args, path);
        let ours = dump(&bytes, &name, &options(args));
        assert!(
            ours.stdout == stdout,
            "stdout differs for wasm-objdump {} {name}:\n{}",
            args.join(" "),
            diff(&stdout, &ours.stdout)
        );
        assert!(
            ours.stderr() == stderr,
            "stderr differs for wasm-objdump {} {name}:\n{}",
            args.join(" "),
            diff(&stderr, &ours.stderr())
        );
        assert_eq!(
            i32::from(ours.failed),
            code,
            "exit status for wasm-objdump {} {name}",
            args.join(" ")
        );
    }
}

const ALL_MODES: &[&[&str]] = &[&["-h"], &["-x"], &["-d"], &["-s"]];

/// A module made from a fixture's text, written where wasm-objdump can read it.
fn from_wat(name: &str) -> PathBuf {
    let wat = testdata().join(format!("{name}.wat"));
    let text = std::fs::read_to_string(&wat).unwrap();
    let bytes = wasmscope::parse::parse_text(&text, &wat.to_string_lossy()).unwrap();
    let path = scratch("wabt_objdump", name).join(format!("{name}.wasm"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn demo_matches_wabt() {
    check(&testdata().join("demo.wasm"), ALL_MODES);
}

#[test]
fn debug_builds_match_wabt() {
    for name in [
        "asdemo.wasm",
        "cdemo-dwarf4.wasm",
        "cdemo-dwarf5.wasm",
        "tally.wasm",
    ] {
        check(&testdata().join("debug").join(name), ALL_MODES);
    }
}

#[test]
fn emscripten_builds_match_wabt() {
    for name in [
        "app.wasm",
        "app-names.wasm",
        "argon2.wasm",
        "mozjpeg_dec.wasm",
    ] {
        check(&testdata().join("emscripten").join(name), ALL_MODES);
    }
}

#[test]
fn small_fixtures_match_wabt() {
    for name in ["invalid-type-mismatch.wasm", "overlong-leb.wasm"] {
        check(&testdata().join(name), ALL_MODES);
    }
}

#[test]
fn proposals_wabt_reads_match_wabt() {
    for name in [
        "dead-code",
        "reference-types",
        "simd",
        "threads",
        "multi-memory",
        "exceptions-legacy",
    ] {
        check(&from_wat(name), ALL_MODES);
    }
}

#[test]
fn malformed_modules_print_what_wabt_prints() {
    for name in [
        "truncated.wasm",
        "bad-magic.wasm",
        "bad-version.wasm",
        "malformed-leb.wasm",
        "malformed-section.wasm",
    ] {
        check(
            &testdata().join(name),
            &[&["-h"], &["-x"], &["-d"], &["-s"], &["-hxds"]],
        );
    }
}

#[test]
fn section_filter_matches_wabt() {
    let demo = testdata().join("demo.wasm");
    check(
        &demo,
        &[
            &["-x", "-j", "code"],
            &["-s", "-j", "DATA"],
            &["-x", "-j", "name"],
            &["-s", "-j", "target_features"],
            &["-hxds", "-j", "bogus"],
            &["-d", "-j", "bogus"],
            &["-x", "-j", "Custom"],
            &["-sdxh"],
        ],
    );
    check(
        &testdata().join("debug").join("cdemo-dwarf4.wasm"),
        &[&["-x", "-j", ".debug_info"], &["-s", "-j", "producers"]],
    );
}

#[test]
fn gc_module_extends_the_layout() {
    let wat = testdata().join("gc.wat");
    let text = std::fs::read_to_string(&wat).unwrap();
    let bytes = wasmscope::parse::parse_text(&text, "gc.wat").unwrap();
    let ours = dump(&bytes, "gc.wasm", &options(&["-xd"]));
    assert!(!ours.failed, "{}", ours.stderr());
    crate::common::snapshot("wabt_objdump", "gc", &ours.stdout);
}

#[test]
fn relocatable_objects_and_section_offsets_match_wabt() {
    let dir = scratch("wabt_objdump", "relocatable");
    let wat = dir.join("tiny.wat");
    std::fs::write(
        &wat,
        r#"(module $tiny
  (import "env" "log" (func $log (param i32)))
  (memory (export "mem") 1)
  (global $g (mut i32) (i32.const 42))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (local $t i32)
    (local.set $t (i32.add (local.get $a) (local.get $b)))
    (if (i32.gt_s (local.get $t) (i32.const 100))
      (then (call $log (local.get $t))))
    (local.get $t))
  (func (result i64) (i64.const -1))
  (data (i32.const 16) "hi\00there"))"#,
    )
    .unwrap();
    for (name, extra) in [
        ("tiny.o.wasm", None),
        ("tiny-names.o.wasm", Some("--debug-names")),
    ] {
        let object = dir.join(name);
        let status = Command::new("wat2wasm")
            .arg("-r")
            .args(extra)
            .arg(&wat)
            .arg("-o")
            .arg(&object)
            .status()
            .expect("wat2wasm (the `wabt` package) is installed");
        assert!(status.success());
        check(
            &object,
            &[
                &["-x"],
                &["-dr"],
                &["-xr"],
                &["-hxdsr"],
                &["-d", "--section-offsets"],
            ],
        );
    }
}
