//! The inspection commands (info, sections, stats, imports, exports, calls)
//! run as a user runs them: golden output, human and JSON, on the demo module
//! and the fixtures; the JSON shape checked against the documented schema;
//! section offsets checked against `wasm-objdump -h`.

use std::process::Command;

use crate::common::{check, run, schema, snapshot, stderr, stdout, testdata, wasmscope};
use serde_json::{Value, json};

/// Inputs every report command is run on.
/// `--compressed`: the gzip and brotli sizes of a whole input.
const COMPRESSED: &str = r#"{"gzip": "number", "brotli": "number"}"#;

const INPUTS: &[&str] = &[
    "--demo",
    "names.wat",
    "component.wat",
    "dead-code.wat",
    "gc.wat",
    "exceptions.wat",
    "components/greeter.wasm",
];

fn snapshot_name(cmd: &str, input: &str, json: bool) -> String {
    let input = input.trim_start_matches("--");
    let suffix = if json { ".json" } else { "" };
    format!("{cmd}-{input}{suffix}")
}

fn args<'a>(cmd: &'a str, input: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![cmd, input];
    v.extend_from_slice(extra);
    v
}

#[test]
fn report_commands_on_every_input() {
    for cmd in ["info", "sections", "imports", "exports"] {
        for input in INPUTS {
            for json in [false, true] {
                let extra: &[&str] = if json { &["--json"] } else { &[] };
                let out = run(&args(cmd, input, extra));
                assert!(out.status.success(), "{cmd} {input}: {}", stderr(&out));
                snapshot("inspect", &snapshot_name(cmd, input, json), &stdout(&out));
            }
        }
    }
}

#[test]
fn stats_on_every_input() {
    for input in INPUTS {
        for json in [false, true] {
            let mut extra = vec!["--ops", "--retained", "--garbage", "--top", "8"];
            if json {
                extra.push("--json");
            }
            let out = run(&args("stats", input, &extra));
            assert!(out.status.success(), "stats {input}: {}", stderr(&out));
            snapshot(
                "inspect",
                &snapshot_name("stats", input, json),
                &stdout(&out),
            );
        }
    }
}

#[test]
fn stats_list_options() {
    let cases: &[(&str, &[&str])] = &[
        (
            "stats-demo-sort-name",
            &["stats", "--demo", "--sort", "name", "--top", "5"],
        ),
        (
            "stats-demo-filter",
            &["stats", "--demo", "--filter", "sha2", "--top", "0"],
        ),
        (
            "stats-demo-raw-names",
            &["stats", "--demo", "--no-demangle", "--top", "3"],
        ),
        (
            "imports-demo-filter",
            &["imports", "--demo", "--filter", "fd_"],
        ),
    ];
    for (name, args) in cases {
        let out = run(args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        snapshot("inspect", name, &stdout(&out));
    }
}

#[test]
fn calls_and_call_trees() {
    let cases: &[(&str, &[&str])] = &[
        ("calls-demo-hex", &["calls", "--demo", "hasher::Style::hex"]),
        (
            "calls-demo-hex-tree",
            &[
                "calls",
                "--demo",
                "hasher::Style::hex",
                "--tree",
                "--depth",
                "3",
            ],
        ),
        (
            "calls-dead-code-main",
            &["calls", "dead-code.wat", "main", "--tree"],
        ),
        (
            "calls-dead-code-format.json",
            &["calls", "dead-code.wat", "4", "--tree", "--json"],
        ),
        (
            "calls-component",
            &["calls", "component.wat", "--module", "1", "greet"],
        ),
    ];
    for (name, args) in cases {
        let out = run(args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        snapshot("inspect", name, &stdout(&out));
    }
    let missing = run(&["calls", "--demo", "no_such_function"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        stderr(&missing),
        "error: demo.wasm: no function `no_such_function`\n"
    );
}

#[test]
fn no_subcommand_means_info() {
    let bare = run(&["--demo"]);
    assert!(bare.status.success());
    assert_eq!(stdout(&bare), stdout(&run(&["info", "--demo"])));
    let typo = run(&["infoo"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(stderr(&typo).contains("no such subcommand or file: `infoo`"));
}

#[test]
fn dead_code_is_found() {
    let out = run(&["stats", "dead-code.wat", "--garbage", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names = |key: &str| -> Vec<String> {
        v["garbage"][key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|e| e["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let mut functions = names("functions");
    functions.sort();
    assert_eq!(functions, ["unused_helper", "unused_leaf"]);
    assert_eq!(names("globals"), ["spare_global"]);
    assert_eq!(names("data"), ["unused_blob"]);
    assert_eq!(v["garbage"]["bytes"], 6 + 7 + 12);
}

#[test]
fn malformed_input_fails_cleanly_in_every_report_command() {
    for fixture in [
        "truncated.wasm",
        "bad-magic.wasm",
        "malformed-leb.wasm",
        "malformed-section.wasm",
    ] {
        let mut report = String::new();
        for cmd in ["info", "sections", "stats", "imports", "exports"] {
            let out = run(&[cmd, fixture]);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{cmd} {fixture}: {}",
                stderr(&out)
            );
            let err = stderr(&out);
            assert!(
                err.starts_with("error: ") && err.lines().count() == 1,
                "{cmd} {fixture}: {err}"
            );
            report.push_str(&format!("$ wasmscope {cmd} {fixture}\n{err}"));
        }
        let out = run(&["calls", fixture, "0"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "calls {fixture}: {}",
            stderr(&out)
        );
        snapshot("inspect", &format!("errors-{fixture}"), &report);
    }
}

// ---------------------------------------------------------------------------
// JSON schema: the shapes documented in the README, checked key by key.

fn json_of(args: &[&str]) -> Value {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("output is JSON")
}

const FUNCTION_ENTRY: &str = r#"{"module?": "number", "index": "number", "name?": "string", "size": "number", "offset": "number"}"#;

#[test]
fn json_matches_the_documented_schema() {
    let sections = schema(
        r#"{"file": "string", "size": "number", "sections": [{"index": "number", "id": "number",
            "kind": "string", "custom_name?": "string", "offset": "number", "start": "number",
            "end": "number", "size": "number", "count?": "number"}]}"#,
    );
    let import = r#"{"nested?": "number", "part?": "string", "module": "string", "name": "string",
        "kind": "string", "index": "number", "type": "string", "offset": "number"}"#;
    let component_item = r#"{"name": "string", "kind": "string",
        "functions?": [{"name": "string", "signature": "string"}]}"#;
    let imports = schema(&format!(
        r#"{{"file": "string", "component_imports?": [{component_item}],
            "imports": [{import}]}}"#
    ));
    let exports = schema(&format!(
        r#"{{"file": "string", "component_exports?": [{component_item}],
            "exports": [{{"nested?": "number", "part?": "string", "name": "string", "kind": "string",
            "index": "number", "type": "string", "offset": "number"}}]}}"#,
    ));
    let module_info = r#"{"name?": "string", "part_name?": "string", "part_role?": "string",
        "size": "number", "role": "string",
        "counts": {"types": "number", "functions": "number", "imported_functions": "number",
          "tables": "number", "memories": "number", "globals": "number", "tags": "number",
          "elements": "number", "data": "number", "imports": "number", "exports": "number"},
        "memories": [{"index": "number", "type": "string", "imported": "bool"}],
        "imports": {"*": "number"}, "exports": [{"name": "string", "kind": "string"}],
        "code_bytes": "number", "data_bytes": "number",
        "custom_sections": [{"name": "string", "size": "number"}]}"#;
    let producers = r#"[{"field": "string", "values": [["string"]]}]"#;
    let info = schema(&format!(
        r#"{{"file": "string", "kind": "string", "size": "number", "role": "string",
            "toolchain?": "string", "producers": {producers}, "target_features": ["string"],
            "module?": {module_info}, "component_imports?": [{{"name": "string", "kind": "string"}}],
            "component_exports?": [{{"name": "string", "kind": "string"}}],
            "nested?": [{module_info}], "debug?": {DEBUG_SUMMARY},
            "compressed?": {COMPRESSED}}}"#
    ));
    let stats = schema(&format!(
        r#"{{"file": "string", "kind": "string", "size": "number",
            "sections": [{{"id": "number", "name": "string", "offset": "number", "size": "number", "share": "number"}}],
            "custom": {{"names": "number", "producers": "number", "debug": "number",
              "target_features": "number", "linking": "number", "other": "number"}},
            "functions": {{"count": "number", "imported": "number", "code_bytes": "number",
              "median": "number", "largest": "number", "top": [{FUNCTION_ENTRY}]}},
            "data": {{"count": "number", "bytes": "number", "largest?": {{"module?": "number",
              "index": "number", "name?": "string", "size": "number", "offset": "number"}}}},
            "imports": [{{"module": "string", "count": "number"}}],
            "exports": {{"func?": "number", "table?": "number", "memory?": "number",
              "global?": "number", "tag?": "number"}},
            "producers": {producers}, "target_features": ["string"],
            "ops?": [{{"name": "string", "count": "number", "bytes": "number"}}],
            "retained?": [{{"module?": "number", "index": "number", "name?": "string",
              "size": "number", "retained": "number", "share": "number"}}],
            "garbage?": {{"functions": [{FUNCTION_ENTRY}],
              "globals": [{{"module?": "number", "index": "number", "name?": "string"}}],
              "data": [{{"module?": "number", "index": "number", "name?": "string",
                "size": "number", "offset": "number"}}],
              "bytes": "number"}},
            "parts?": [{{"id": "string", "kind": "string", "name?": "string", "role?": "string",
              "depth": "number", "size": "number", "share": "number", "code": "number",
              "data": "number", "names": "number", "custom": "number"}}],
            "compressed?": {COMPRESSED}}}"#
    ));
    let calls = calls_schema();

    for input in INPUTS {
        check(
            &sections,
            &json_of(&["sections", input, "--json"]),
            "sections",
        );
        check(&imports, &json_of(&["imports", input, "--json"]), "imports");
        check(&exports, &json_of(&["exports", input, "--json"]), "exports");
        check(&info, &json_of(&["info", input, "--json"]), "info");
        check(
            &stats,
            &json_of(&["stats", input, "--json", "--ops", "--retained", "--garbage"]),
            "stats",
        );
    }
    let v = json_of(&["info", "--demo", "--json", "--compressed"]);
    assert!(v["compressed"]["brotli"].is_u64(), "{v}");
    check(&info, &v, "info");
    let v = json_of(&["stats", "--demo", "--json", "--compressed"]);
    assert!(v["compressed"]["gzip"].is_u64(), "{v}");
    check(&stats, &v, "stats");
    check(
        &calls,
        &json_of(&["calls", "--demo", "_start", "--tree", "--json"]),
        "calls",
    );
    check(
        &calls,
        &json_of(&["calls", "dead-code.wat", "main", "--tree", "--json"]),
        "calls",
    );
}

/// What `info` says of a module's debug info.
const DEBUG_SUMMARY: &str = r#"{"dwarf?": {"versions": ["number"], "units": "number",
    "languages": ["string"], "producers": ["string"], "bytes": "number"},
    "build_id?": "string", "external_debug_info?": "string",
    "source_mapping_url?": "string"}"#;

/// A place in the source, in `calls`.
const SOURCE_PLACE: &str =
    r#"{"offset": "number", "file": "string", "line?": "number", "column?": "number"}"#;

/// Which debug info answered, in `symbolize` and `stats --by`.
const FOUND: &str = r#"{"dwarf?": "string", "source_map?": "string", "names": "bool",
    "notes": ["string"]}"#;

/// What made the code at an address, in `symbolize`.
const PLACE: &str = r#""address": "number", "code_offset": "number?",
    "function_index": "number?", "function_offset": "number?", "origin": "string",
    "frames": [{"function": "string?", "file": "string?", "line": "number?",
      "column": "number?", "inlined": "bool"}], "warning?": "string""#;

fn calls_schema() -> Value {
    let function_ref =
        r#""index": "number", "name?": "string", "size": "number", "imported": "bool""#;
    let tree_node = format!(r#"{{{function_ref}, "repeated?": "bool", "callees?": ["any"]}}"#);
    schema(&format!(
        r#"{{"file": "string", "function": {{{function_ref}}}, "source?": {SOURCE_PLACE},
            "callers": [{{{function_ref}, "count": "number", "sites?": [{SOURCE_PLACE}]}}],
            "callees": [{{{function_ref}, "count": "number", "sites?": [{SOURCE_PLACE}]}}],
            "references": [{{{function_ref}}}], "indirect_calls": "number",
            "tree?": [{tree_node}]}}"#
    ))
}

/// The debug-info parts of the JSON output, on the fixtures that have
/// DWARF, a source map, or a split debug file.
#[test]
fn debug_json_matches_the_documented_schema() {
    let info_debug = schema(&format!(r#"{{"debug": {DEBUG_SUMMARY}}}"#));
    for fixture in [
        "debug/tally.wasm",
        "debug/cdemo-dwarf4.wasm",
        "debug/cdemo-dwarf5.wasm",
        "debug/asdemo.wasm",
    ] {
        let v = json_of(&["info", fixture, "--json"]);
        check(&info_debug, &json!({"debug": v["debug"].clone()}), "info");
    }
    let calls = calls_schema();
    let v = json_of(&["calls", "debug/tally.wasm", "tally::ratios", "--json"]);
    assert!(
        v["source"].is_object() && v["callers"][0]["sites"].is_array(),
        "{v}"
    );
    check(&calls, &v, "calls");

    let call = r#"{"offset": "number", "function_index": "number", "function?": "string",
        "file?": "string", "line?": "number", "column?": "number", "via?": ["string"]}"#;
    let import = format!(
        r#"{{"nested?": "number", "module": "string", "name": "string", "reachable": "bool",
            "guessed?": "bool", "possible?": "bool", "calls?": [{call}],
            "reached_from?": ["string"]}}"#
    );
    let caps = schema(&format!(
        r#"{{"file": "string", "kind": "string", "role": "string", "toolchain": ["string"],
            "wasi": ["string"],
            "capabilities": [{{"name": "string", "risk": "string", "meaning": "string",
              "reachable": "bool", "imports": [{import}]}}],
            "unknown_imports": [{import}], "notes": ["string"],
            "run": {{"runtime": "string", "command": "string?", "notes": ["string"]}},
            "violations": ["string"]}}"#
    ));
    for args in [
        &["caps", "debug/tally.wasm", "--json"][..],
        &["caps", "--demo", "--json"],
        &["caps", "caps/assemblyscript.wat", "--json"],
        &["caps", "components/greeter.wasm", "--json"],
    ] {
        let v = json_of(args);
        check(&caps, &v, "caps");
    }
    let v = json_of(&["caps", "debug/tally.wasm", "--json"]);
    assert!(
        v["capabilities"][0]["imports"][0]["calls"][0]["file"].is_string(),
        "call sites have files: {v}"
    );

    let symbolize = schema(&format!(
        r#"{{"module": "string", "debug_info": {FOUND},
            "addresses?": [{{"input": "string", {PLACE}}}],
            "backtrace?": [{{"line": "number", "text": "string", "format": "string", {PLACE}}}]}}"#
    ));
    let v = json_of(&["symbolize", "debug/tally.wasm", "0x9ee", "0x2000", "--json"]);
    assert_eq!(v["addresses"][0]["frames"][0]["inlined"], true, "{v}");
    check(&symbolize, &v, "symbolize");
    let v = json_of(&["symbolize", "debug/asdemo.wasm", "0x4d", "--json"]);
    assert_eq!(v["addresses"][0]["origin"], "source-map", "{v}");
    check(&symbolize, &v, "symbolize");
    let trace = std::fs::read(testdata().join("debug/traces/wasmtime-tally-noname.txt")).unwrap();
    let out = wasmscope(["symbolize", "debug/tally.wasm", "--json"])
        .stdin(trace)
        .output();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["backtrace"].as_array().unwrap().len(), 18, "{v}");
    check(&symbolize, &v, "symbolize");

    let by_source = schema(&format!(
        r#"{{"file": "string", "by": "string", "inlined": "string", "debug_info": {FOUND},
            "code_bytes": "number", "attributed": "number", "unattributed": "number",
            "groups": [{{"name": "string", "bytes": "number", "percent": "number",
              "functions": "number", "lines": "number"}}]}}"#
    ));
    for by in ["file", "dir", "crate", "unit"] {
        let v = json_of(&["stats", "debug/cdemo-dwarf5.wasm", "--by", by, "--json"]);
        check(&by_source, &v, "stats --by");
    }
}

// ---------------------------------------------------------------------------
// Sections against WABT.

/// `wasm-objdump -h` rows as (name, start, end, size, count).
fn objdump_sections(path: &std::path::Path) -> Option<Vec<(String, usize, usize, usize)>> {
    let out = Command::new("wasm-objdump")
        .arg("-h")
        .arg(path)
        .output()
        .expect("wasm-objdump runs (apt-get install wabt)");
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let hex = |s: &str| usize::from_str_radix(s.trim_start_matches("0x"), 16).ok();
    let rows = text
        .lines()
        .filter(|l| l.contains(" start=0x"))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let field = |key: &str| {
                words
                    .iter()
                    .find_map(|w| w.trim_start_matches('(').strip_prefix(key))
                    .map(|v| v.trim_end_matches(')'))
                    .and_then(hex)
                    .expect("objdump row has the field")
            };
            (
                words[0].to_string(),
                field("start="),
                field("end="),
                field("size="),
            )
        })
        .collect();
    Some(rows)
}

#[test]
fn sections_agree_with_wasm_objdump() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    let mut fixtures: Vec<String> = std::fs::read_dir(testdata())
        .expect("testdata lists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| {
            (n.ends_with(".wat") || n.ends_with(".wasm"))
                && !n.starts_with("bad")
                && !n.starts_with("malformed")
                && n != "truncated.wasm"
        })
        .collect();
    fixtures.sort();
    for fixture in &fixtures {
        let wasm = dir.path().join("m.wasm");
        let parsed = run(&[
            "parse",
            "--no-validate",
            fixture,
            "-o",
            wasm.to_str().unwrap(),
        ]);
        assert!(parsed.status.success(), "{fixture}: {}", stderr(&parsed));
        // WABT does not read every proposal (GC, components...): compare
        // wherever it can read the module.
        let Some(theirs) = objdump_sections(&wasm) else {
            continue;
        };
        let ours = json_of(&["sections", wasm.to_str().unwrap(), "--json"]);
        let ours: Vec<(usize, usize, usize)> = ours["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let n = |k: &str| s[k].as_u64().unwrap() as usize;
                (n("start"), n("end"), n("size"))
            })
            .collect();
        let theirs_ranges: Vec<(usize, usize, usize)> =
            theirs.iter().map(|(_, a, b, c)| (*a, *b, *c)).collect();
        assert_eq!(
            ours, theirs_ranges,
            "{fixture}: sections differ from wasm-objdump -h"
        );
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} fixtures could be compared");
    println!(
        "sections agree with wasm-objdump -h on {checked} of {} fixtures",
        fixtures.len()
    );
}
