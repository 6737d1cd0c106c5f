//! `strip --split-debug`: the DWARF moves to a debug file that symbolizes
//! the stripped module as it did the original, and code changes drop the
//! debug info and build id that no longer fit.

use serde_json::Value;

use crate::common::{stderr, stdout, testdata, wasmscope};

/// Addresses from the committed trace of tally: every frame of the panic.
fn trace_addresses() -> Vec<String> {
    let trace =
        std::fs::read_to_string(testdata().join("debug/traces/wasmtime-tally.txt")).unwrap();
    trace
        .lines()
        .filter_map(|l| {
            l.split_once(" - ")
                .map(|(a, _)| a.split_whitespace().last().unwrap().to_string())
        })
        .collect()
}

fn frames(module: &std::path::Path, extra: &[&str]) -> Vec<Value> {
    let out = wasmscope(["symbolize".as_ref(), module.as_os_str()])
        .args(trace_addresses())
        .args(extra)
        .arg("--json")
        .output();
    assert!(out.status.success(), "{out:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["addresses"].as_array().unwrap().clone()
}

#[test]
fn the_split_debug_file_answers_as_the_original_did() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("tally.wasm");
    std::fs::copy(testdata().join("debug/tally.wasm"), &original).unwrap();
    let release = dir.path().join("tally.release.wasm");
    let debug = dir.path().join("tally.debug.wasm");
    let out = wasmscope([
        "strip".as_ref(),
        original.as_os_str(),
        "--split-debug".as_ref(),
    ])
    .arg(&debug)
    .arg("-o")
    .arg(&release)
    .output();
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("added custom section `external_debug_info` to `tally.debug.wasm`")
    );

    let info: Value = serde_json::from_slice(
        &wasmscope(["info".as_ref(), release.as_os_str(), "--json".as_ref()])
            .output()
            .stdout,
    )
    .unwrap();
    assert!(
        info["debug"].get("dwarf").is_none(),
        "no DWARF left: {info}"
    );
    assert_eq!(info["debug"]["external_debug_info"], "tally.debug.wasm");
    let id = info["debug"]["build_id"].as_str().unwrap().to_string();
    let debug_info: Value = serde_json::from_slice(
        &wasmscope(["info".as_ref(), debug.as_os_str(), "--json".as_ref()])
            .output()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        debug_info["debug"]["build_id"],
        id.as_str(),
        "one build id for both"
    );
    assert!(debug_info["debug"]["dwarf"]["units"].as_u64().unwrap() > 0);
    for file in [&release, &debug] {
        let v = wasmscope(["validate".as_ref(), file.as_os_str()]).output();
        assert!(v.status.success(), "{}: {v:?}", file.display());
    }

    let before = frames(&original, &[]);
    let after = frames(&release, &[]);
    assert_eq!(before.len(), trace_addresses().len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b["frames"], a["frames"], "{}", b["input"]);
        assert_eq!(a["origin"], b["origin"]);
    }
    assert!(after.iter().any(|a| a["origin"] == "dwarf"));
    // Found next to the module without being named; named, the same.
    let named = frames(&release, &["--debug-file", debug.to_str().unwrap()]);
    assert_eq!(named, after);
}

#[test]
fn a_debug_file_of_another_build_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let release = dir.path().join("tally.release.wasm");
    let debug = dir.path().join("tally.debug.wasm");
    let out = wasmscope(["strip", "debug/tally.wasm", "--split-debug"])
        .arg(&debug)
        .arg("-o")
        .arg(&release)
        .output();
    assert!(out.status.success(), "{out:?}");
    // Another build's debug file: the C fixture with a build id of its own.
    let id = dir.path().join("id.bin");
    std::fs::write(&id, b"\x04\xde\xad\xbe\xef").unwrap();
    let other = dir.path().join("other.debug.wasm");
    let out = wasmscope(["custom", "debug/cdemo-dwarf4.wasm", "--add"])
        .arg(format!("build_id=@{}", id.display()))
        .arg("-o")
        .arg(&other)
        .output();
    assert!(out.status.success(), "{out:?}");

    let out = wasmscope(["symbolize".as_ref(), release.as_os_str(), "0x9ee".as_ref()])
        .arg("--debug-file")
        .arg(&other)
        .output();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = stderr(&out);
    assert!(err.contains("build_id deadbeef does not match"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // Found next to the module, a file of another build is passed over with
    // a note, and the name section answers instead.
    std::fs::copy(&other, &debug).unwrap();
    let out = wasmscope(["symbolize".as_ref(), release.as_os_str(), "0x9ee".as_ref()]).output();
    assert!(out.status.success(), "{out:?}");
    assert!(stderr(&out).contains("does not match"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("named by the name section"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn split_debug_refuses_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.wasm");
    // No DWARF to move.
    let out = wasmscope(["strip", "--demo", "--split-debug"])
        .arg(dir.path().join("d.wasm"))
        .arg("-o")
        .arg(&out_file)
        .output();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("has no DWARF"), "{}", stderr(&out));
    assert!(!out_file.exists() && !dir.path().join("d.wasm").exists());
    // The same file twice.
    let out = wasmscope(["strip", "debug/tally.wasm", "--split-debug"])
        .arg(&out_file)
        .arg("-o")
        .arg(&out_file)
        .output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // A dry run writes neither file.
    let debug = dir.path().join("dry.debug.wasm");
    let out = wasmscope(["strip", "debug/tally.wasm", "--dry-run", "--split-debug"])
        .arg(&debug)
        .output();
    assert!(out.status.success(), "{out:?}");
    assert!(!debug.exists());
}

#[test]
fn gc_drops_the_build_id_with_the_debug_info_when_code_moves() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("m.wat");
    std::fs::write(
        &module,
        r#"(module
             (@custom "build_id" "\04\de\ad\be\ef")
             (@custom "sourceMappingURL" "\06m.wasm")
             (func $dead (result i32) i32.const 1)
             (func (export "live") (result i32) i32.const 2))"#,
    )
    .unwrap();
    let out_file = dir.path().join("out.wasm");
    let out = wasmscope([
        "gc".as_ref(),
        module.as_os_str(),
        "-o".as_ref(),
        out_file.as_os_str(),
    ])
    .output();
    assert!(out.status.success(), "{out:?}");
    let report = stdout(&out);
    assert!(
        report.contains("removed custom section `build_id`"),
        "{report}"
    );
    assert!(
        report.contains("removed custom section `sourceMappingURL`"),
        "{report}"
    );
    let listed = wasmscope(["custom".as_ref(), out_file.as_os_str(), "--list".as_ref()]).output();
    let listed = stdout(&listed);
    assert!(
        !listed.contains("build_id") && !listed.contains("sourceMappingURL"),
        "{listed}"
    );
}
