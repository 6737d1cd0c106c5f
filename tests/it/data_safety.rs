//! Files are never lost or half-written: commands that write are killed at
//! random points and must leave the old output or the whole new one, and
//! nothing else; editing commands never change their input unless asked
//! with `-i`, and refuse an output that is the input.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use wasm_encoder::Encode;

use crate::common::{Run, wasmscope};

/// `wasmscope <args>` in `dir`.
fn wasmscope_in(dir: &Path, args: &[&str]) -> Run {
    wasmscope(args).dir(dir)
}

/// A valid module with one function and a custom section of `size` bytes
/// that are not all alike (so that printing escapes many of them).
fn big_module(size: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut payload = vec![0u8; size];
    rng.fill(&mut payload);
    let name = b"blob";
    let mut content = vec![name.len() as u8];
    content.extend(name);
    content.extend(payload);
    let mut module =
        b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b".to_vec();
    module.push(0);
    content.len().encode(&mut module);
    module.extend(content);
    module
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn writers_killed_at_random_points_leave_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("big.wasm"), big_module(24 << 20)).unwrap();
    std::fs::write(dir.join("payload.bin"), vec![0x5a; 16 << 20]).unwrap();
    let commands: &[(&str, &[&str])] = &[
        ("out.wat", &["print", "big.wasm", "-o", "out.wat"]),
        (
            "out.wasm",
            &[
                "custom",
                "big.wasm",
                "--add",
                "more=@payload.bin",
                "-o",
                "out.wasm",
            ],
        ),
        (
            "out.wasm",
            &[
                "metadata",
                "big.wasm",
                "--add-producer",
                "sdk=x@1",
                "-o",
                "out.wasm",
            ],
        ),
    ];
    let inputs = names_in(dir);
    let input_bytes = std::fs::read(dir.join("big.wasm")).unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    let mut killed_running = 0;
    let mut trials = 0;
    for (out, args) in commands {
        // The whole output, and how long a run takes.
        let started = Instant::now();
        let status = wasmscope_in(dir, args).output().status;
        let full = started.elapsed();
        assert!(status.success(), "wasmscope {}", args.join(" "));
        let expected = std::fs::read(dir.join(out)).unwrap();
        let old = b"the old output".to_vec();
        for trial in 0..12 {
            trials += 1;
            // Half the runs replace an existing file, half make a new one.
            let replacing = trial % 2 == 1;
            if replacing {
                std::fs::write(dir.join(out), &old).unwrap();
            } else {
                let _ = std::fs::remove_file(dir.join(out));
            }
            let mut child = wasmscope_in(dir, args).spawn();
            let wait = full.mul_f64(rng.f64() * 1.1);
            std::thread::sleep(wait);
            if child.try_wait().unwrap().is_none() {
                killed_running += 1;
            }
            let _ = child.kill();
            child.wait().unwrap();

            let mut left = names_in(dir);
            let had_output = left.remove(*out);
            assert_eq!(
                left,
                inputs,
                "wasmscope {} killed after {wait:?}: files left behind",
                args.join(" ")
            );
            let what = format!("wasmscope {} killed after {wait:?}", args.join(" "));
            if had_output {
                let now = std::fs::read(dir.join(out)).unwrap();
                assert!(
                    now == expected || (replacing && now == old),
                    "{what}: a partial output ({} bytes of {})",
                    now.len(),
                    expected.len()
                );
            } else {
                assert!(!replacing, "{what}: the old output is gone");
            }
            assert_eq!(std::fs::read(dir.join("big.wasm")).unwrap(), input_bytes);
        }
        let _ = std::fs::remove_file(dir.join(out));
    }
    // Most kills land while the command runs, many of them while it writes.
    assert!(
        killed_running * 2 >= trials,
        "only {killed_running} of {trials} kills hit a running command"
    );
}

/// A module and the edit commands that change it, each with the options
/// that make it change something.
const EDITS: &[&[&str]] = &[
    &["strip"],
    &["strip", "--all", "--names"],
    &["export", "--remove", "run"],
    &["export", "--rename", "run=start"],
    &["custom", "--add", "note=hello"],
    &["custom", "--remove", "name"],
    &["metadata", "--add-producer", "sdk=x@1"],
    &["metadata", "--set-module-name", "m"],
    &["gc"],
];

fn module_for_edits(dir: &Path) -> Vec<u8> {
    let text = r#"(module $m
        (import "env" "log" (func $log (param i32)))
        (import "env" "unused" (func $unused))
        (func $run (export "run") i32.const 1 call $log)
        (func $dead i32.const 2 call $log)
        (@producers (language "Rust" "1.0")))"#;
    let bytes = wasmscope::parse::parse_text(text, "m.wat").unwrap();
    std::fs::write(dir.join("m.wasm"), &bytes).unwrap();
    bytes
}

#[cfg(unix)]
#[test]
fn editing_never_changes_the_input_without_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let bytes = module_for_edits(dir);
    std::os::unix::fs::symlink("m.wasm", dir.join("link.wasm")).unwrap();
    let modified = || {
        std::fs::metadata(dir.join("m.wasm"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified();
    for edit in EDITS {
        let with = |extra: &[&str]| -> Vec<String> {
            let mut args: Vec<String> = edit.iter().map(|s| s.to_string()).collect();
            args.insert(1, "m.wasm".to_string());
            args.extend(extra.iter().map(|s| s.to_string()));
            args
        };
        // Each way of running an edit short of -i leaves the input alone.
        for extra in [
            &["-o", "out.wasm"][..],
            &["--dry-run"],
            &["-o", "-"],
            &["--json", "-o", "out.wasm"],
        ] {
            let args = with(extra);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let status = wasmscope_in(dir, &args).output().status;
            assert!(status.success(), "wasmscope {}", args.join(" "));
            assert_eq!(
                std::fs::read(dir.join("m.wasm")).unwrap(),
                bytes,
                "{args:?}"
            );
        }
        // An output that is the input, by any name, is refused.
        for same in ["m.wasm", "./m.wasm", "link.wasm"] {
            let args = with(&["-o", same]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = wasmscope_in(dir, &args).output();
            assert_eq!(out.status.code(), Some(2), "wasmscope {}", args.join(" "));
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite the input"),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(std::fs::read(dir.join("m.wasm")).unwrap(), bytes);
        }
    }
    assert_eq!(modified(), before, "the input was written to");
    // With -i the edit is made in place, and the result is valid.
    let status = wasmscope_in(dir, &["gc", "m.wasm", "-i"]).output().status;
    assert!(status.success());
    let edited = std::fs::read(dir.join("m.wasm")).unwrap();
    assert_ne!(edited, bytes);
    wasmparser::Validator::new().validate_all(&edited).unwrap();
    // The link still points at the input.
    assert!(
        std::fs::symlink_metadata(dir.join("link.wasm"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        names_in(dir),
        ["link.wasm", "m.wasm", "out.wasm"].map(String::from).into()
    );
}
