//! The editing commands run as a user runs them: strip, export, custom,
//! metadata, gc and edit. Each test checks that the result validates, that
//! the intended change and nothing else happened, and what the command
//! printed; and that no input is changed without -i and no partial output
//! is ever left.
//!
//! The six editing commands share one workspace helper and one set of
//! promises (validated output, untouched input), so their tests stay
//! together in one file, longer than most.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{Run, check, schema, snapshot, stderr, stdout, testdata, wasmscope};
use serde_json::Value;
use wasmscope::edit::Layout;

/// A scratch directory the commands run in, so paths in messages are short.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Work {
        Work {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Copies a file from testdata/ into the scratch directory.
    fn copy(&self, from: &str, to: &str) -> PathBuf {
        let dest = self.path(to);
        std::fs::copy(testdata().join(from), &dest).expect("copy fixture");
        dest
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).expect("output exists")
    }

    /// `wasmscope <args>` in the scratch directory.
    fn wasmscope(&self, args: &[&str]) -> Run {
        wasmscope(args).dir(self.dir.path())
    }

    fn run(&self, args: &[&str]) -> Output {
        self.wasmscope(args).output()
    }

    /// The files in the scratch directory, sorted.
    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    stdout(out)
}

fn fails(out: &Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "stdout: {}", stdout(out));
    stderr(out)
}

fn validates(bytes: &[u8]) {
    wasmscope::validate::validate(bytes, "out", wasmscope::features::default_features())
        .expect("the result validates");
}

/// The sections of a module as (name, bytes), custom sections by name.
fn sections(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let layout = Layout::read(bytes).expect("layout");
    layout
        .sections
        .iter()
        .map(|s| {
            let name = match s.custom_name() {
                Some(n) => format!("custom {n}"),
                None => format!("id {}", s.id),
            };
            (name, bytes[s.full.clone()].to_vec())
        })
        .collect()
}

/// Checks that `after` is `before` with the named sections changed (or
/// gone), every other section byte for byte the same.
fn only_sections_changed(before: &[u8], after: &[u8], changed: &[&str]) {
    let a: Vec<_> = sections(before)
        .into_iter()
        .filter(|(n, _)| !changed.contains(&n.as_str()))
        .collect();
    let b: Vec<_> = sections(after)
        .into_iter()
        .filter(|(n, _)| !changed.contains(&n.as_str()))
        .collect();
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert!(a == b, "an untouched section changed");
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("valid JSON")
}

const REPORT_SCHEMA: &str = r#"{"command": "string", "file": "string", "output": "string?",
    "dry_run": "bool", "written": "bool", "size_before": "number", "size_after": "number",
    "changes": [{"action": "string", "kind": "string", "name": "string", "to?": "string",
                 "size?": "number", "in?": "string"}],
    "notes": ["string"]}"#;

// ---------------------------------------------------------------------------
// strip

#[test]
fn strip_removes_producers_by_default_and_nothing_else() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&["strip", "demo.wasm", "-o", "out.wasm"]);
    snapshot("edit", "strip-demo", &ok(&out));
    let (before, after) = (w.read("demo.wasm"), w.read("out.wasm"));
    validates(&after);
    only_sections_changed(&before, &after, &["custom producers"]);
    assert!(
        sections(&after)
            .iter()
            .all(|(n, _)| n != "custom producers")
    );
    assert_eq!(before, std::fs::read(testdata().join("demo.wasm")).unwrap());
}

#[test]
fn strip_all_keeps_nothing_but_what_is_needed() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&["strip", "demo.wasm", "--all", "-o", "out.wasm"]);
    snapshot("edit", "strip-all-names", &ok(&out));
    let after = w.read("out.wasm");
    // --names adds nothing to --all.
    w.run(&["strip", "demo.wasm", "--all", "--names", "-o", "names.wasm"]);
    assert_eq!(w.read("names.wasm"), after);
    // --keep name holds the names back.
    w.run(&[
        "strip",
        "demo.wasm",
        "--all",
        "--keep",
        "name",
        "-o",
        "named.wasm",
    ]);
    let named = w.read("named.wasm");
    assert_eq!(
        sections(&named)
            .iter()
            .filter(|(n, _)| n.starts_with("custom"))
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["custom name"]
    );
    validates(&after);
    assert!(
        sections(&after)
            .iter()
            .all(|(n, _)| !n.starts_with("custom"))
    );
    only_sections_changed(
        &w.read("demo.wasm"),
        &after,
        &["custom name", "custom producers", "custom target_features"],
    );
    // wasm-strip removes every custom section: the same bytes.
    if Command::new("wasm-strip").arg("--version").output().is_ok() {
        let peer = w.path("peer.wasm");
        let status = Command::new("wasm-strip")
            .arg(w.path("demo.wasm"))
            .arg("-o")
            .arg(&peer)
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read(peer).unwrap(), after);
    }
}

#[test]
fn strip_keep_and_remove_patterns() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&[
        "strip",
        "demo.wasm",
        "--all",
        "--keep",
        "prod*",
        "--remove",
        "name",
        "--dry-run",
    ]);
    snapshot("edit", "strip-keep-remove-dry-run", &ok(&out));
    assert_eq!(w.files(), vec!["demo.wasm"]);
    let out = w.run(&["strip", "demo.wasm", "--remove", ".debug_*", "--dry-run"]);
    let err = fails(&out, 1);
    assert_eq!(
        err,
        "error: demo.wasm: no custom section matches `.debug_*`\n"
    );
}

#[test]
fn strip_reaches_into_a_component() {
    let w = Work::new();
    let text = r#"(component
        (core module $m (func (export "f")) (@custom "producers" "\00") (@custom "note" "x"))
        (@producers (language "wat" "1"))
        (@custom "note" "top"))"#;
    std::fs::write(w.path("c.wat"), text).unwrap();
    let out = w.run(&["strip", "c.wat", "--all", "-o", "c.wasm", "--json"]);
    let v = json(&out);
    check(&schema(REPORT_SCHEMA), &v, "report");
    let changes: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["in"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("producers".into(), "core module 0".into()),
            ("note".into(), "core module 0".into()),
            // `$m` names the module; --all takes names too.
            ("name".into(), "core module 0".into()),
            ("producers".into(), "".into()),
            ("note".into(), "".into()),
            ("component-name".into(), "".into()),
        ]
    );
    validates(&w.read("c.wasm"));
}

#[test]
fn strip_json_report_is_stable() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&["strip", "demo.wasm", "--all", "--json", "-o", "out.wasm"]);
    let v = json(&out);
    check(&schema(REPORT_SCHEMA), &v, "report");
    snapshot(
        "edit",
        "strip-json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    assert_eq!(
        v["size_after"].as_u64().unwrap() as usize,
        w.read("out.wasm").len()
    );
}

// ---------------------------------------------------------------------------
// Rules every editing command follows

#[test]
fn an_output_is_required_and_the_input_is_never_the_output_without_i() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let err = fails(&w.run(&["strip", "demo.wasm"]), 2);
    snapshot("edit", "error-no-output", &err);
    let err = fails(&w.run(&["gc", "demo.wasm", "-o", "demo.wasm"]), 2);
    snapshot("edit", "error-output-is-input", &err);
    let err = fails(&w.run(&["strip", "--demo", "-i"]), 2);
    assert!(err.contains("-i changes a file in place"), "{err}");
    std::fs::write(
        w.path("m.wat"),
        "(module (@producers (language \"wat\" \"1\")))",
    )
    .unwrap();
    let err = fails(&w.run(&["strip", "m.wat", "-i"]), 2);
    assert_eq!(
        err,
        "error: m.wat: is a text module; -i would replace the text with a binary module: write it with -o FILE\n"
    );
    std::fs::remove_file(w.path("m.wat")).unwrap();
    assert_eq!(
        w.read("demo.wasm"),
        std::fs::read(testdata().join("demo.wasm")).unwrap()
    );
    assert_eq!(w.files(), vec!["demo.wasm"]);
}

#[test]
fn in_place_changes_the_file_and_only_when_something_changes() {
    let w = Work::new();
    let path = w.copy("demo.wasm", "app.wasm");
    ok(&w.run(&["strip", "app.wasm", "-i"]));
    let once = w.read("app.wasm");
    assert!(once.len() < std::fs::read(testdata().join("demo.wasm")).unwrap().len());
    validates(&once);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let out = w.run(&["strip", "app.wasm", "-i"]);
    assert!(ok(&out).contains("nothing to change"), "{}", stdout(&out));
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(w.files(), vec!["app.wasm"]);
}

#[test]
fn a_failing_write_leaves_nothing_behind() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    // An output directory that is really a file.
    std::fs::write(w.path("notadir"), b"").unwrap();
    let err = fails(&w.run(&["strip", "demo.wasm", "-o", "notadir/out.wasm"]), 1);
    assert!(err.contains("notadir/out.wasm"), "{err}");
    assert_eq!(w.files(), vec!["demo.wasm", "notadir"]);

    // A read-only output directory (root ignores the mode, so the
    // immutable attribute is used when running as root).
    let ro = w.path("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::write(ro.join("out.wasm"), b"old contents").unwrap();
    let read_only = make_read_only(&ro);
    if read_only {
        let err = fails(&w.run(&["strip", "demo.wasm", "-o", "ro/out.wasm"]), 1);
        assert!(err.contains("ro/out.wasm"), "{err}");
        let left: Vec<_> = std::fs::read_dir(&ro).unwrap().collect();
        assert_eq!(left.len(), 1);
        assert_eq!(std::fs::read(ro.join("out.wasm")).unwrap(), b"old contents");
        undo_read_only(&ro);
    } else {
        eprintln!("note: cannot make a directory read-only here; that case was not run");
    }
}

fn can_write(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    if !can_write(dir) {
        return true;
    }
    let _ = Command::new("chattr").arg("+i").arg(dir).output();
    !can_write(dir)
}

fn undo_read_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).output();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_invalid_result_is_never_written() {
    // An edit that makes the module invalid: a function body changed to
    // return nothing where the type wants an i32.
    let w = Work::new();
    std::fs::write(
        w.path("m.wat"),
        "(module (func $f (export \"f\") (result i32) i32.const 1))\n",
    )
    .unwrap();
    let editor = write_editor(&w, "bad.sh", "sed -i 's/i32.const 1/nop/' \"$1\"");
    let out = w
        .wasmscope(&["edit", "m.wat", "--func", "f", "-o", "out.wasm"])
        .env("EDITOR", &editor)
        .stdin(b"n\n")
        .output();
    let err = fails(&out, 1);
    assert!(err.contains("type mismatch"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(w.files(), vec!["bad.sh", "m.wat"]);
}

#[test]
fn binary_output_to_stdout_sends_the_report_to_stderr() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&["strip", "demo.wasm", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0));
    validates(&out.stdout);
    assert!(stderr(&out).contains("removed custom section `producers`"));
}

// ---------------------------------------------------------------------------
// export

#[test]
fn export_rename_and_remove() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&[
        "export",
        "demo.wasm",
        "--rename",
        "_start=main",
        "--remove",
        "__main_void",
        "-o",
        "out.wasm",
    ]);
    snapshot("edit", "export-rename-remove", &ok(&out));
    let after = w.read("out.wasm");
    validates(&after);
    only_sections_changed(&w.read("demo.wasm"), &after, &["id 7"]);
    let list = ok(&w.run(&["export", "out.wasm", "--list"]));
    snapshot("edit", "export-list-after", &list);
}

#[test]
fn export_errors_name_the_problem() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let err = fails(
        &w.run(&[
            "export",
            "demo.wasm",
            "--rename",
            "_start=memory",
            "--dry-run",
        ]),
        1,
    );
    assert_eq!(
        err,
        "error: demo.wasm: cannot rename export `_start` to `memory`: an export named `memory` already exists\n"
    );
    let err = fails(
        &w.run(&["export", "demo.wasm", "--remove", "start", "--dry-run"]),
        1,
    );
    assert_eq!(
        err,
        "error: demo.wasm: no export named `start` (did you mean `_start`?)\n"
    );
    let err = fails(
        &w.run(&["export", "demo.wasm", "--rename", "nope", "--dry-run"]),
        2,
    );
    assert!(err.contains("expected OLD=NEW"), "{err}");
    let err = fails(
        &w.run(&["export", "component.wat", "--remove", "x", "--dry-run"]),
        1,
    );
    assert!(err.is_empty() || err.contains("error"), "{err}");
}

// ---------------------------------------------------------------------------
// custom

#[test]
fn custom_add_replace_remove_extract() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    std::fs::write(w.path("license.txt"), "Apache-2.0\n").unwrap();
    let out = w
        .wasmscope(&[
            "custom",
            "demo.wasm",
            "--add",
            "license=@license.txt",
            "--add",
            "commit=@-",
            "--remove",
            "target_features",
            "-o",
            "out.wasm",
        ])
        .stdin(b"0123abc")
        .output();
    snapshot("edit", "custom-add-remove", &ok(&out));
    let after = w.read("out.wasm");
    validates(&after);
    only_sections_changed(
        &w.read("demo.wasm"),
        &after,
        &["custom license", "custom commit", "custom target_features"],
    );
    snapshot(
        "edit",
        "custom-list",
        &ok(&w.run(&["custom", "out.wasm", "--list"])),
    );
    let extracted = w.run(&["custom", "out.wasm", "--extract", "license"]);
    assert_eq!(ok(&extracted), "Apache-2.0\n");
    ok(&w.run(&[
        "custom",
        "out.wasm",
        "--extract",
        "commit",
        "-o",
        "commit.bin",
    ]));
    assert_eq!(w.read("commit.bin"), b"0123abc");

    let out = w.run(&["custom", "out.wasm", "--replace", "license=MIT", "-i"]);
    ok(&out);
    assert_eq!(
        ok(&w.run(&["custom", "out.wasm", "--extract", "license"])),
        "MIT"
    );
    let v = json(&w.run(&["custom", "out.wasm", "--list", "--json"]));
    check(
        &schema(
            r#"{"file": "string", "customs": [{"name": "string", "offset": "number", "size": "number", "data_size": "number"}]}"#,
        ),
        &v,
        "custom --list",
    );
    let names: Vec<&str> = v["customs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["name", "producers", "license", "commit"]);
}

#[test]
fn custom_refuses_duplicates_missing_sections_and_malformed_data() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let err = fails(
        &w.run(&["custom", "demo.wasm", "--add", "name=x", "--dry-run"]),
        1,
    );
    assert_eq!(
        err,
        "error: demo.wasm: already has a custom section `name`; use --replace to change it\n"
    );
    let err = fails(
        &w.run(&["custom", "demo.wasm", "--remove", "nope", "--dry-run"]),
        1,
    );
    assert_eq!(
        err,
        "error: demo.wasm: no custom section named `nope` (it has: name, producers, target_features)\n"
    );
    let err = fails(
        &w.run(&[
            "custom",
            "demo.wasm",
            "--replace",
            "producers=garbage",
            "--dry-run",
        ]),
        1,
    );
    assert!(
        err.contains("the new `producers` section is malformed"),
        "{err}"
    );
    let err = fails(
        &w.run(&[
            "custom",
            "demo.wasm",
            "--add",
            "x=@missing.bin",
            "--dry-run",
        ]),
        1,
    );
    assert!(err.contains("missing.bin"), "{err}");
    assert_eq!(w.files(), vec!["demo.wasm"]);
}

// ---------------------------------------------------------------------------
// metadata

#[test]
fn metadata_shows_and_records_producers() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    snapshot(
        "edit",
        "metadata-show",
        &ok(&w.run(&["metadata", "demo.wasm"])),
    );
    let out = w.run(&[
        "metadata",
        "demo.wasm",
        "--add-producer",
        "processed-by=wasmscope@0.1.0",
        "--add-producer",
        "language=Rust@2024",
        "--set-module-name",
        "hasher",
        "-o",
        "out.wasm",
    ]);
    snapshot("edit", "metadata-edit", &ok(&out));
    let after = w.read("out.wasm");
    validates(&after);
    only_sections_changed(
        &w.read("demo.wasm"),
        &after,
        &["custom producers", "custom name"],
    );
    let v = json(&w.run(&["metadata", "out.wasm", "--json"]));
    check(
        &schema(
            r#"{"file": "string", "name": "string?", "producers": [{"name": "string", "values": [{"name": "string", "version": "string"}]}]}"#,
        ),
        &v,
        "metadata",
    );
    assert_eq!(v["name"], "hasher");
    // The function names are all still there.
    let names = |bytes: &[u8]| {
        let index = wasmscope::index::ModuleIndex::build(bytes).unwrap();
        (0..index.functions.len() as u32)
            .map(|f| index.function_name(f).map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&after), names(&w.read("demo.wasm")));
    let err = fails(
        &w.run(&["metadata", "demo.wasm", "--add-producer", "tool=x", "-n"]),
        2,
    );
    assert!(err.contains("unknown producers field `tool`"), "{err}");
}

// ---------------------------------------------------------------------------
// gc

/// Function names of a module, as a set.
fn function_names(bytes: &[u8]) -> std::collections::BTreeSet<String> {
    let index = wasmscope::index::ModuleIndex::build(bytes).unwrap();
    (0..index.functions.len() as u32)
        .filter_map(|f| index.function_name(f).map(str::to_string))
        .collect()
}

#[test]
fn gc_removes_what_stats_garbage_reports_and_the_module_still_runs() {
    let w = Work::new();
    w.copy("edit/demo-nogc.wasm", "app.wasm");
    let out = w.run(&["gc", "app.wasm", "-o", "out.wasm"]);
    snapshot("edit", "gc-demo-nogc", &ok(&out));
    let (before, after) = (w.read("app.wasm"), w.read("out.wasm"));
    validates(&after);
    // Exactly the unreachable functions are gone.
    let garbage = json(&w.run(&["stats", "app.wasm", "--garbage", "--json", "--no-demangle"]));
    let dead: Vec<String> = garbage["garbage"]["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert!(dead.len() > 50, "{}", dead.len());
    // gc's own list of what went: the same functions, plus unused imports.
    let report = json(&w.run(&["gc", "app.wasm", "--dry-run", "--json"]));
    let mut removed: Vec<String> = Vec::new();
    let mut imports = 0;
    for c in report["changes"].as_array().unwrap() {
        match c["kind"].as_str().unwrap() {
            "function" => removed.push(c["name"].as_str().unwrap().to_string()),
            "function import" => imports += 1,
            _ => {}
        }
    }
    let mut dead: Vec<String> = dead.into_iter().collect();
    dead.sort();
    removed.sort();
    assert_eq!(removed, dead);
    let (b, a) = (
        wasmscope::index::ModuleIndex::build(&before).unwrap(),
        wasmscope::index::ModuleIndex::build(&after).unwrap(),
    );
    assert_eq!(a.functions.len(), b.functions.len() - dead.len() - imports);
    assert_eq!(
        a.imported_functions(),
        b.imported_functions() - imports as u32
    );
    // Every name left belonged to a kept function.
    assert!(function_names(&after).is_subset(&function_names(&before)));
    // Nothing else moved: memory, data, exports are the same.
    let same = |b: &[u8]| {
        sections(b)
            .into_iter()
            .filter(|(n, _)| ["id 1", "id 5", "id 11", "custom producers"].contains(&n.as_str()))
            .collect::<Vec<_>>()
    };
    assert!(same(&before) == same(&after));
    // And it still does its job.
    let run = |module: &Path| {
        Command::new("python3")
            .arg(testdata().join("run-with-grants.py"))
            .arg(module)
            .arg("wasmtime run app.wasm -s abc")
            .output()
            .expect("python3 runs (and `pip install wasmtime`)")
    };
    let (a, b) = (run(&w.path("app.wasm")), run(&w.path("out.wasm")));
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(
        stdout(&b).contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
}

#[test]
fn gc_json_and_roots() {
    let w = Work::new();
    w.copy("dead-code.wat", "dead.wat");
    let v = json(&w.run(&["gc", "dead.wat", "--dry-run", "--json"]));
    check(&schema(REPORT_SCHEMA), &v, "report");
    snapshot(
        "edit",
        "gc-dead-code-json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    assert_eq!(v["written"], false);
    assert_eq!(w.files(), vec!["dead.wat"]);
    let err = fails(&w.run(&["gc", "dead.wat", "--root", "nosuch", "-n"]), 1);
    assert_eq!(err, "error: dead.wat: no function named `nosuch`\n");
}

#[test]
fn gc_keep_export_drops_the_other_exports() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let out = w.run(&[
        "gc",
        "demo.wasm",
        "--keep-export",
        "_start",
        "-o",
        "out.wasm",
    ]);
    snapshot("edit", "gc-keep-export", &ok(&out));
    let after = w.read("out.wasm");
    validates(&after);
    let index = wasmscope::index::ModuleIndex::build(&after).unwrap();
    let exports: Vec<&str> = index.exports.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(exports, vec!["memory", "_start"]);
}

#[test]
fn gc_and_export_refuse_components() {
    let w = Work::new();
    w.copy("component.wat", "c.wat");
    let err = fails(&w.run(&["gc", "c.wat", "-n"]), 1);
    assert_eq!(
        err,
        "error: c.wat: is a component; gc works on core modules (a component's nested modules are not edited one by one)\n"
    );
}

// ---------------------------------------------------------------------------
// edit

/// Writes an executable editor script into the scratch directory.
fn write_editor(w: &Work, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = w.path(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn edit_one_function_changes_only_its_body() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    // `_start` exits with status 3 instead of main's result.
    let editor = write_editor(
        &w,
        "ed.sh",
        "grep -q '(func $_start' \"$1\"\nsed -i 's/    local.get 0\\n    call $__wasi_proc_exit//' \"$1\"\n\
         perl -0pi -e 's/local.get 0\\n    call \\$__wasi_proc_exit/i32.const 3\\n    call \\$__wasi_proc_exit/' \"$1\"",
    );
    let out = w
        .wasmscope(&["edit", "demo.wasm", "--func", "_start", "-o", "out.wasm"])
        .env("VISUAL", &editor)
        .output();
    snapshot("edit", "edit-func", &ok(&out));
    let (before, after) = (w.read("demo.wasm"), w.read("out.wasm"));
    validates(&after);
    only_sections_changed(&before, &after, &["id 10"]);
    // The diff command sees exactly one changed function.
    let d = w.run(&["diff", "demo.wasm", "out.wasm", "--json"]);
    assert_eq!(d.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&d.stdout).unwrap();
    let changed: Vec<&str> = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["change"] != "moved")
        .map(|f| f["name"]["old"].as_str().unwrap())
        .collect();
    assert_eq!(changed, vec!["_start"]);
}

#[test]
fn edit_error_reopens_the_editor_with_the_text_kept() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    // First run: break the text. Second run: the broken line is still
    // there (the text was kept); mend it.
    let editor = write_editor(
        &w,
        "ed.sh",
        "if [ -e \"$0.done\" ]; then\n  grep -q 'i32.bogus' \"$1\"\n  sed -i 's/    i32.bogus//' \"$1\"\n  echo mended > \"$0.mended\"\nelse\n  sed -i 's/(local i32)/(local i32)\\n    i32.bogus/' \"$1\"\n  touch \"$0.done\"\nfi",
    );
    let out = w
        .wasmscope(&["edit", "demo.wasm", "--func", "16", "-o", "out.wasm"])
        .env("EDITOR", &editor)
        .stdin(b"y\n")
        .output();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(":3:5: unknown operator or unexpected token"),
        "{err}"
    );
    assert!(
        err.contains("Open the editor again with your text? [Y/n]"),
        "{err}"
    );
    assert!(w.path("ed.sh.mended").exists());
    assert!(
        stdout(&out).contains("nothing to change"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn edit_abandoned_writes_nothing() {
    let w = Work::new();
    w.copy("demo.wasm", "demo.wasm");
    let editor = write_editor(&w, "ed.sh", "echo '(module (func' > \"$1\"");
    let out = w
        .wasmscope(&["edit", "demo.wasm", "-i"])
        .env("EDITOR", &editor)
        .stdin(b"n\n")
        .output();
    let err = fails(&out, 1);
    assert!(
        err.contains("the edit was abandoned; nothing was written"),
        "{err}"
    );
    assert_eq!(
        w.read("demo.wasm"),
        std::fs::read(testdata().join("demo.wasm")).unwrap()
    );
    let failing = write_editor(&w, "fail.sh", "exit 4");
    let err = fails(
        &w.wasmscope(&["edit", "demo.wasm", "-i"])
            .env("EDITOR", &failing)
            .output(),
        1,
    );
    assert!(
        err.contains("failed (exit status: 4); nothing was written"),
        "{err}"
    );
    assert_eq!(w.files(), vec!["demo.wasm", "ed.sh", "fail.sh"]);
}
