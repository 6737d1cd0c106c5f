//! `wasmscope diff` on fixture pairs made from source: each reports exactly
//! the change that was made.

use crate::common::{self, check, run, schema, snapshot, stderr, stdout};

/// Runs diff on a pair and snapshots its human and JSON output.
fn pair(name: &str, old: &str, new: &str) -> (String, serde_json::Value) {
    let human = run(&["diff", old, new]);
    assert_eq!(human.status.code(), Some(1), "{name}: {}", stderr(&human));
    let text = stdout(&human);
    snapshot("diff", name, &text);
    let json = run(&["diff", "--json", old, new]);
    assert_eq!(json.status.code(), Some(1));
    let json_text = stdout(&json);
    snapshot("diff", &format!("{name}.json"), &json_text);
    (text, serde_json::from_str(&json_text).expect("JSON"))
}

fn list(v: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    v[key].as_array().expect("a list").clone()
}

#[test]
fn inserting_a_function_at_the_front_adds_one_and_changes_none() {
    let (_, json) = pair(
        "insert-front",
        "diff/insert-front-old.wat",
        "diff/insert-front-new.wat",
    );
    let functions = list(&json, "functions");
    assert_eq!(functions.len(), 1, "{functions:?}");
    assert_eq!(functions[0]["change"], "added");
    assert_eq!(functions[0]["index"]["new"], 1);
    assert_eq!(json["counts"]["functions"]["changed"], 0);
    assert_eq!(json["counts"]["moved_functions"], 4);
    assert!(list(&json, "imports").is_empty() && list(&json, "exports").is_empty());
}

#[test]
fn renaming_reports_renames_only() {
    let (_, json) = pair("names", "diff/names-old.wat", "diff/names-new.wat");
    let functions = list(&json, "functions");
    assert_eq!(functions.len(), 2);
    for f in &functions {
        assert_eq!(f["change"], "renamed", "{f}");
        assert!(f.get("hunks").is_none());
    }
    assert!(list(&json, "customs").is_empty());
    assert!(list(&json, "sections").is_empty());
}

#[test]
fn a_custom_section_change_is_shown_with_its_text() {
    let (text, json) = pair("custom", "diff/custom-old.wat", "diff/custom-new.wat");
    let customs = list(&json, "customs");
    assert_eq!(customs.len(), 1);
    assert_eq!(customs[0]["name"], "build-id");
    assert!(text.contains("-2026-11-01 build 17") && text.contains("+2026-11-23 build 18"));
    assert!(list(&json, "functions").is_empty());
    // Ignoring custom sections, nothing differs.
    let out = run(&[
        "diff",
        "--ignore-custom",
        "diff/custom-old.wat",
        "diff/custom-new.wat",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "no differences\n");
}

/// The demo built from the same source with one small change (a string
/// given with -s is printed in single quotes instead of double).
#[test]
fn two_builds_of_the_demo() {
    let (text, json) = pair("demo-v2", "demo.wasm", "diff/demo-v2.wasm");
    assert!(list(&json, "imports").is_empty(), "{text}");
    assert!(list(&json, "exports").is_empty(), "{text}");
    assert!(list(&json, "capabilities").is_empty(), "{text}");
    // The colon after each hex byte is in Style::hex, the only function
    // changed; the quote change is in the data.
    let changed = list(&json, "functions");
    assert_eq!(changed.len(), 1, "{text}");
    assert_eq!(changed[0]["change"], "changed");
    assert_eq!(changed[0]["name"]["new"], "hasher::Style::hex");
    assert!(text.contains("+        i32.const 58"), "{text}");
    let data = list(&json, "data");
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["change"], "changed");
    assert_eq!(json["counts"]["moved_functions"], 0);
}

#[test]
fn identical_modules_exit_0() {
    for args in [
        &["diff", "demo.wasm", "demo.wasm"][..],
        &["diff", "simd.wat", "simd.wat"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stdout(&out), "identical\n");
    }
    let quiet = run(&["diff", "-q", "demo.wasm", "demo.wasm"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stdout.is_empty());
    // Text and its binary are the same module.
    let out = run(&[
        "diff",
        "invalid-type-mismatch.wat",
        "invalid-type-mismatch.wasm",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn stat_function_and_context_options() {
    let stat = run(&[
        "diff",
        "--stat",
        "diff/insert-front-old.wat",
        "diff/insert-front-new.wat",
    ]);
    assert_eq!(stat.status.code(), Some(1));
    let text = stdout(&stat);
    assert!(
        text.contains("functions: 1 added") && !text.contains("\nfunctions:\n"),
        "{text}"
    );

    let one = run(&[
        "diff",
        "--function",
        "twice",
        "diff/names-old.wat",
        "diff/names-new.wat",
    ]);
    assert_eq!(one.status.code(), Some(1));
    let text = stdout(&one);
    assert!(
        text.contains("twice renamed add_two") && !text.contains("increment"),
        "{text}"
    );

    let none = run(&[
        "diff",
        "--function",
        "nope",
        "demo.wasm",
        "diff/demo-v2.wasm",
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no function named `nope`"));

    let wide = stdout(&run(&["diff", "-U", "6", "demo.wasm", "diff/demo-v2.wasm"]));
    let narrow = stdout(&run(&["diff", "-U", "0", "demo.wasm", "diff/demo-v2.wasm"]));
    assert!(wide.lines().count() > narrow.lines().count());
    // Context lines are indented past the sign column; -U 0 has none.
    let context = |text: &str| text.lines().filter(|l| l.starts_with("     ")).count();
    assert!(context(&wide) > 0, "{wide}");
    assert_eq!(context(&narrow), 0, "{narrow}");
}

#[test]
fn color_marks_added_and_removed_lines() {
    let out = run(&[
        "diff",
        "--color",
        "always",
        "diff/custom-old.wat",
        "diff/custom-new.wat",
    ]);
    let text = stdout(&out);
    assert!(text.contains("\u{1b}[0m"), "{text}");
    let plain = stdout(&run(&[
        "diff",
        "diff/custom-old.wat",
        "diff/custom-new.wat",
    ]));
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn trouble_names_the_side_and_exits_2() {
    let out = run(&["diff", "truncated.wasm", "demo.wasm"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: old module: truncated.wasm:"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = run(&["diff", "demo.wasm", "bad-syntax.wat"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: new module: bad-syntax.wat:"),
        "{}",
        stderr(&out)
    );
    let out = run(&["diff", "demo.wasm", "no-such-file.wasm"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("new module"));
    let out = run(&["diff", "demo.wasm"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A body that does not decode (the index reads no bodies, the comparison
/// does) is an error that names the side it is in.
#[test]
fn a_bad_function_body_names_its_side() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = std::fs::read(common::testdata().join("demo.wasm")).expect("demo");
    // _start's first instruction, `block`, becomes an opcode that does not exist.
    assert_eq!(bytes[0x487], 0x02);
    bytes[0x487] = 0x27;
    let bad = dir.path().join("bad-body.wasm");
    std::fs::write(&bad, &bytes).expect("written");
    let bad = bad.to_str().expect("utf-8 path");
    for (args, side) in [(["demo.wasm", bad], "new"), ([bad, "demo.wasm"], "old")] {
        let out = run(&["diff", args[0], args[1]]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {side} module: ")), "{err}");
        assert!(err.contains("bad-body.wasm:0x487"), "{err}");
    }
}

#[test]
fn components_are_compared_item_by_item() {
    let out = run(&["diff", "component.wat", "caps/wasi-p2-component.wat"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(&[
        "diff",
        "--json",
        "component.wat",
        "caps/wasi-p2-component.wat",
    ])))
    .expect("JSON");
    assert!(!list(&json, "component_items").is_empty());
    let same = run(&[
        "diff",
        "caps/wasi-p2-component.wat",
        "caps/wasi-p2-component.wat",
    ]);
    assert_eq!(same.status.code(), Some(0));
}

/// The JSON shape documented in the README, checked key by key on every
/// pair (nested modules of components with the same shape).
#[test]
fn json_matches_the_documented_schema() {
    let pair = |t: &str| format!(r#"{{"old": "{t}", "new": "{t}"}}"#);
    let tally = r#"{"added": "number", "removed": "number", "changed": "number"}"#;
    let item = format!(
        r#"{{"change": "string", "name": "string", "kind": "string", "type": {}}}"#,
        pair("string?")
    );
    let blob = format!(
        r#"{{"change": "string", "name": "string", "size": {}, "content?": ["string"]}}"#,
        pair("number?")
    );
    let module = schema(&format!(
        r#"{{"file": {files}, "size": {sizes}, "identical": "bool",
            "counts": {{"functions": {tally}, "renamed_functions": "number",
              "moved_functions": "number", "imports": {tally}, "exports": {tally},
              "globals": {tally}, "data": {tally}, "customs": {tally}}},
            "sections": [{{"name": "string", "size": {opt_sizes}}}],
            "imports": [{item}], "exports": [{item}], "globals": [{item}],
            "functions": [{{"change": "string", "index": {opt_index}, "name": {opt_names},
              "size": {opt_sizes}, "matched_by?": "string",
              "hunks?": [{{"header": "string", "lines": ["string"]}}]}}],
            "data": [{blob}], "customs": [{blob}],
            "needs": {{"old": ["string"], "new": ["string"]}},
            "capabilities": [{{"change": "string", "name": "string", "meaning": "string",
              "imports": ["string"]}}],
            "component_items?": [{item}], "nested?": ["any"],
            "wit?": {{"verdict": "string", "breaking": "number", "changes": [{{"direction": "string",
              "item": "string", "what": "string", "name": "string", "change": "string",
              "old?": "string", "new?": "string", "breaking": "bool", "why": "string"}}]}},
            "compressed?": {{"old": {compressed}, "new": {compressed}}}}}"#,
        compressed = r#"{"gzip": "number", "brotli": "number"}"#,
        files = pair("string"),
        sizes = pair("number"),
        opt_sizes = pair("number?"),
        opt_index = pair("number?"),
        opt_names = pair("string?"),
    ));
    for (old, new) in [
        ("diff/insert-front-old.wat", "diff/insert-front-new.wat"),
        ("diff/names-old.wat", "diff/names-new.wat"),
        ("diff/custom-old.wat", "diff/custom-new.wat"),
        ("demo.wasm", "diff/demo-v2.wasm"),
        ("demo.wasm", "demo.wasm"),
        ("component.wat", "caps/wasi-p2-component.wat"),
        ("caps/wasi-preview1-files.wat", "caps/wasmedge-sockets.wat"),
    ] {
        // One pair with the compressed sizes too.
        let compressed = old == "component.wat";
        let mut args = vec!["diff", "--json", old, new];
        if compressed {
            args.push("--compressed");
        }
        let out = run(&args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        check(&module, &value, old);
        for nested in value["nested"].as_array().into_iter().flatten() {
            check(&module, nested, &format!("{old} nested"));
        }
    }
}

/// What the capability audit says changed: a build that starts to use the
/// network says so.
#[test]
fn new_capabilities_are_named() {
    let out = run(&[
        "diff",
        "--json",
        "caps/wasi-preview1-files.wat",
        "caps/wasmedge-sockets.wat",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let added: Vec<String> = list(&json, "capabilities")
        .iter()
        .filter(|c| c["change"] == "added")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(added.iter().any(|c| c.starts_with("net")), "{added:?}");
    let text = stdout(&run(&[
        "diff",
        "caps/wasi-preview1-files.wat",
        "caps/wasmedge-sockets.wat",
    ]));
    assert!(text.contains("now needs net"), "{text}");
}

/// Copies of one body under one name (as generic code often is) pair up
/// with their copies, so changing a third function shows just that one.
#[test]
fn copies_of_one_body_under_one_name_are_paired() {
    let dir = tempfile::tempdir().expect("temp dir");
    let module = |k: i32| {
        format!(
            r#"(module
                (func (@name "dup") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
                (func (@name "dup") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
                (func (@name "dup") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
                (func (@name "f") (export "f") (result i32) i32.const {k} call 0 call 1 call 2))"#
        )
    };
    let (old, new) = (dir.path().join("old.wat"), dir.path().join("new.wat"));
    std::fs::write(&old, module(1)).expect("old");
    std::fs::write(&new, module(2)).expect("new");
    let out = run(&[
        "diff",
        "--json",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let functions = list(&json, "functions");
    let changes: Vec<&str> = functions
        .iter()
        .map(|f| f["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, vec!["changed"], "{functions:?}");
    assert_eq!(json["counts"]["functions"]["added"], 0);
}

/// A module with a data count section (bulk memory): each changed function
/// is printed alone, with the data section standing in empty.
#[test]
fn a_data_count_section_does_not_stop_the_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let module = |k: i32| {
        format!(
            r#"(module (memory 1) (data $d "abc")
                (func (export "f") (memory.init $d (i32.const {k}) (i32.const 0) (i32.const 3))))"#
        )
    };
    let (old, new) = (dir.path().join("old.wat"), dir.path().join("new.wat"));
    std::fs::write(&old, module(1)).expect("old");
    std::fs::write(&new, module(2)).expect("new");
    let out = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("-    i32.const 1\n") || text.contains("-        i32.const 1\n"),
        "{text}"
    );
    assert!(text.contains("memory.init"), "{text}");
}
