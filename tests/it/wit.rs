//! `wit` as a user runs it, on the component fixtures of
//! testdata/components (built by its build.sh from committed WIT and Rust):
//! the text against `wasm-tools component wit`,
//! `--out-dir` read back by wit-parser, golden output, the JSON shape key by
//! key and its content, and the errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wit_component::WitPrinter;
use wit_parser::Resolve;

use crate::common::{check, run, schema, snapshot, stderr, stdout, testdata, wasmscope};

/// The fixtures with WIT: components, and core modules with WIT embedded.
const FIXTURES: &[&str] = &[
    "components/calc-v1.wasm",
    "components/calc-v2-compatible.wasm",
    "components/calc-v2-breaking.wasm",
    "components/calc-v1.core.wasm",
    "components/calc-v2-compatible.core.wasm",
    "components/calc-v2-breaking.core.wasm",
    "components/greeter.wasm",
    "component.wat",
];

fn wit_text(fixture: &str) -> String {
    let out = run(&["wit", fixture]);
    assert!(out.status.success(), "wit {fixture}: {}", stderr(&out));
    stdout(&out)
}

fn wit_json(fixture: &str) -> Value {
    let out = run(&["wit", fixture, "--json"]);
    assert!(
        out.status.success(),
        "wit {fixture} --json: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// wasm-tools at the version of the wasm crates wasmscope is built on:
/// `cargo xtask tools` installs it into target/tools/wasm-tools.
fn wasm_tools() -> PathBuf {
    crate::common::target_tool(
        "WASMSCOPE_WASM_TOOLS",
        "wasm-tools/bin/wasm-tools",
        "`wit` is compared with wasm-tools 1.263.0: `cargo xtask tools` installs it into target/tools/wasm-tools",
    )
}

#[test]
fn wit_prints_what_wasm_tools_prints() {
    let wasm_tools = wasm_tools();
    let version = Command::new(&wasm_tools).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("wasm-tools 1.263."),
        "{}",
        String::from_utf8_lossy(&version.stdout)
    );
    for fixture in FIXTURES {
        let theirs = Command::new(&wasm_tools)
            .args(["component", "wit"])
            .arg(testdata().join(fixture))
            .output()
            .unwrap();
        assert!(theirs.status.success(), "wasm-tools on {fixture}");
        assert_eq!(
            wit_text(fixture),
            String::from_utf8(theirs.stdout).unwrap(),
            "{fixture}"
        );
    }
}

/// Each package of a resolve printed alone, by package name.
fn packages(resolve: &Resolve) -> BTreeMap<String, String> {
    resolve
        .packages
        .iter()
        .map(|(id, package)| {
            let mut printer = WitPrinter::default();
            printer.print(resolve, id, &[]).unwrap();
            (package.name.to_string(), printer.output.to_string())
        })
        .collect()
}

#[test]
fn out_dir_is_a_package_directory_wit_parser_reads_back() {
    for fixture in FIXTURES {
        let dir = tempfile::tempdir().unwrap();
        let out = run(&["wit", fixture, "--out-dir", dir.path().to_str().unwrap()]);
        assert!(out.status.success(), "{fixture}: {}", stderr(&out));
        let listed = stdout(&out);
        // The files written are listed, and are all there is.
        let mut written = Vec::new();
        for entry in walk(dir.path()) {
            assert!(
                listed.contains(&format!("wrote {}", entry.display())),
                "{fixture}: {} not listed in:\n{listed}",
                entry.display()
            );
            written.push(std::fs::read_to_string(&entry).unwrap());
        }
        assert_eq!(listed.lines().count(), written.len(), "{listed}");
        // wit-parser reads the directory back: the same packages, each
        // printing as the file that holds it.
        let mut back = Resolve::default();
        let (main, _) = back
            .push_dir(dir.path())
            .unwrap_or_else(|e| panic!("{fixture}: wit-parser cannot read it back: {e:#}"));
        let printed = packages(&back);
        assert_eq!(printed.len(), written.len(), "{fixture}: {printed:?}");
        for text in printed.values() {
            assert!(written.contains(text), "{fixture}: no file holds\n{text}");
        }
        // The main package is the component's own, at the top.
        let json = wit_json(fixture);
        assert_eq!(
            back.packages[main].name.to_string(),
            json["package"],
            "{fixture}"
        );
        // Every interface the JSON lists is in the read-back packages.
        for interface in json["interfaces"].as_array().unwrap() {
            let name = interface["name"].as_str().unwrap();
            let found = back
                .interfaces
                .iter()
                .any(|(id, _)| back.id_of(id).as_deref() == Some(name));
            assert!(found, "{fixture}: {name} is not read back");
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn wit_text_and_json_golden() {
    snapshot("wit", "calc-v1", &wit_text("components/calc-v1.wasm"));
    snapshot(
        "wit",
        "calc-v1-core",
        &wit_text("components/calc-v1.core.wasm"),
    );
    snapshot("wit", "greeter", &wit_text("components/greeter.wasm"));
    let json = run(&["wit", "components/calc-v1.wasm", "--json"]);
    snapshot("wit", "calc-v1-json", &stdout(&json));
}

/// The shape `wit --json` prints, as the README documents it.
fn wit_schema() -> Value {
    let field = r#"{"name": "string", "type": "string?"}"#;
    let function = format!(
        r#"{{"name": "string", "kind": "string", "async": "bool", "resource?": "string",
            "params": [{field}], "result": "string?", "signature": "string"}}"#
    );
    let ty = format!(
        r#"{{"name": "string", "kind": "string", "members": [{field}], "target?": "string",
            "from?": "string"}}"#
    );
    let interface = format!(
        r#"{{"name": "string", "package": "string?", "types": [{ty}], "functions": [{function}]}}"#
    );
    let item = format!(
        r#"{{"name": "string", "kind": "string", "interface?": {interface},
            "function?": {function}, "type?": {ty}}}"#
    );
    schema(&format!(
        r#"{{"module": "string", "kind": "string", "package": "string", "world": "string?",
            "worlds": ["string"], "imports": [{item}], "exports": [{item}],
            "interfaces": [{interface}]}}"#
    ))
}

#[test]
fn wit_json_matches_the_documented_schema() {
    let shape = wit_schema();
    for fixture in FIXTURES {
        check(&shape, &wit_json(fixture), fixture);
    }
}

/// An interface of a `wit --json` report, by name.
fn interface<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["interfaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no interface {name}"))
}

fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

#[test]
fn wit_json_says_what_the_wit_says() {
    let json = wit_json("components/calc-v1.wasm");
    assert_eq!(json["kind"], "component");
    assert_eq!(json["world"], "root");
    let imports: Vec<&str> = json["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(imports, ["local:calc/log@1.0.0"]);
    let version = named(&json["exports"], "version");
    assert_eq!(version["kind"], "function");
    assert_eq!(version["function"]["signature"], "func() -> string");

    let ops = interface(&json, "local:calc/ops@1.0.0");
    assert_eq!(ops["package"], "local:calc@1.0.0");
    let divide = named(&ops["functions"], "divide");
    assert_eq!(
        divide["signature"],
        "func(a: f64, b: f64, mode: rounding) -> result<f64, string>"
    );
    assert_eq!(divide["params"][2]["type"], "rounding");
    assert_eq!(divide["result"], "result<f64, string>");
    let largest = named(&ops["functions"], "largest");
    assert_eq!(largest["params"][0]["type"], "list<u32>");
    assert_eq!(largest["result"], "option<u32>");
    // `use types.{point, ...}`: aliases saying where they come from.
    let point = named(&ops["types"], "point");
    assert_eq!(point["kind"], "alias");
    assert_eq!(point["from"], "local:calc/types@1.0.0");

    let types = interface(&json, "local:calc/types@1.0.0");
    let point = named(&types["types"], "point");
    assert_eq!(point["kind"], "record");
    assert_eq!(
        point["members"],
        serde_json::json!([{"name": "x", "type": "s32"}, {"name": "y", "type": "s32"}])
    );
    let shape = named(&types["types"], "shape");
    assert_eq!(shape["kind"], "variant");
    assert_eq!(
        shape["members"][1],
        serde_json::json!({"name": "rect", "type": "point"})
    );
    assert_eq!(named(&types["types"], "rounding")["kind"], "enum");
    assert_eq!(
        named(&types["types"], "options")["members"][1]["name"],
        "strict"
    );
    assert_eq!(named(&types["types"], "counter")["kind"], "resource");
    // The resource's functions: a constructor and a method without `self`.
    let functions = types["functions"].as_array().unwrap();
    let constructor = functions
        .iter()
        .find(|f| f["kind"] == "constructor")
        .unwrap();
    assert_eq!(constructor["resource"], "counter");
    assert_eq!(constructor["signature"], "constructor(start: u64)");
    let bump = named(&types["functions"], "bump");
    assert_eq!(bump["kind"], "method");
    assert_eq!(bump["resource"], "counter");
    assert_eq!(bump["signature"], "func(by: u64) -> u64");

    // The core module with the same WIT embedded says the same, but for its
    // kind and world name.
    let core = wit_json("components/calc-v1.core.wasm");
    assert_eq!(core["kind"], "core module");
    assert_eq!(core["interfaces"], json["interfaces"]);

    // The Rust component imports what its standard library needs.
    let greeter = wit_json("components/greeter.wasm");
    let greet = interface(&greeter, "example:greeter/greet@0.2.0");
    assert_eq!(
        named(&greet["functions"], "hello")["signature"],
        "func(name: string, language: language) -> result<greeting, string>"
    );
    assert!(
        named(&greeter["imports"], "wasi:clocks/wall-clock@0.2.6")["kind"] == "interface",
        "{greeter}"
    );
}

#[test]
fn inputs_without_wit_or_with_damaged_wit_are_one_line_errors() {
    let one_line = |args: &[&str], needle: &str| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        err
    };
    one_line(
        &["wit", "names.wat"],
        "names.wat: a core module with no WIT",
    );
    one_line(&["wit", "bad-magic.wasm"], "bad-magic.wasm");
    // The component cut short inside its type information, and a byte of
    // a type changed: the error names the offset.
    let bytes = std::fs::read(testdata().join("components/calc-v1.wasm")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.wasm");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = one_line(&["wit", cut.to_str().unwrap()], "cut.wasm:0x");
    assert!(err.contains("unexpected end-of-file"), "{err}");
    // A section id changed to one no component has: the decoder's error,
    // with its offset.
    let mut bad = bytes.clone();
    bad[8] ^= 0x41;
    let bad_path = dir.path().join("bad.wasm");
    std::fs::write(&bad_path, &bad).unwrap();
    one_line(
        &["wit", bad_path.to_str().unwrap()],
        "bad.wasm:0xa: its WIT cannot be decoded: malformed section id: 70",
    );
    // Every single-byte change of the first 600 bytes: an answer or one
    // line, never a crash.
    for at in 8..600.min(bytes.len()) {
        let mut changed = bytes.clone();
        changed[at] ^= 0x41;
        let path = dir.path().join("changed.wasm");
        std::fs::write(&path, &changed).unwrap();
        let out = wasmscope(["wit", path.to_str().unwrap()]).output();
        match out.status.code() {
            Some(0) => {}
            Some(1) => assert_eq!(
                stderr(&out).lines().count(),
                1,
                "byte {at}: {}",
                stderr(&out)
            ),
            other => panic!("byte {at}: exit {other:?}: {}", stderr(&out)),
        }
    }
}

/// The WIT part of `diff --json`: each change as `direction item what name
/// change breaking`.
fn wit_changes(old: &str, new: &str) -> (Value, Vec<String>) {
    let out = run(&["diff", "--json", old, new]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let wit = v["wit"].clone();
    let list = wit["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {} {}",
                c["direction"].as_str().unwrap(),
                c["item"].as_str().unwrap(),
                c["what"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["change"].as_str().unwrap(),
                if c["breaking"] == true {
                    "breaking"
                } else {
                    "compatible"
                }
            )
        })
        .collect();
    (wit, list)
}

#[test]
fn diff_of_components_says_which_wit_changes_break_users_or_hosts() {
    let (wit, changes) = wit_changes(
        "components/calc-v1.wasm",
        "components/calc-v2-breaking.wasm",
    );
    // The shape the README documents, key by key.
    let shape = schema(
        r#"{"verdict": "string", "breaking": "number", "changes": [{"direction": "string",
            "item": "string", "what": "string", "name": "string", "change": "string",
            "old?": "string", "new?": "string", "breaking": "bool", "why": "string"}]}"#,
    );
    check(&shape, &wit, "diff wit");
    assert_eq!(wit["verdict"], "breaking");
    assert_eq!(wit["breaking"], 3);
    assert_eq!(
        changes,
        [
            "import local:calc/log version local:calc/log changed compatible",
            "import local:calc/clock interface local:calc/clock added breaking",
            "export local:calc/types version local:calc/types changed compatible",
            "export local:calc/ops version local:calc/ops changed compatible",
            "export local:calc/ops function add changed breaking",
            "export local:calc/ops function largest removed breaking",
        ]
    );
    let (wit, changes) = wit_changes(
        "components/calc-v1.wasm",
        "components/calc-v2-compatible.wasm",
    );
    assert_eq!(wit["verdict"], "compatible");
    assert_eq!(wit["breaking"], 0);
    assert!(
        changes.contains(&"export local:calc/ops function subtract added compatible".to_string())
    );
    assert!(changes.contains(
        &"export local:calc/stats interface local:calc/stats added compatible".to_string()
    ));
    // The other way round, the compatible update is breaking: an export
    // and a function go away.
    let (wit, _) = wit_changes(
        "components/calc-v2-compatible.wasm",
        "components/calc-v1.wasm",
    );
    assert_eq!(wit["verdict"], "breaking");
    assert_eq!(wit["breaking"], 2);
    // The same WIT embedded in core modules compares the same way.
    let (core, _) = wit_changes(
        "components/calc-v1.core.wasm",
        "components/calc-v2-breaking.core.wasm",
    );
    assert_eq!(core["breaking"], 3);
    // A component against itself: nothing.
    let (same, changes) = wit_changes("components/greeter.wasm", "components/greeter.wasm");
    assert_eq!(same["verdict"], "same");
    assert!(changes.is_empty());
    // The text says it, with a summary line.
    let out = run(&[
        "diff",
        "--stat",
        "components/calc-v1.wasm",
        "components/calc-v2-breaking.wasm",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("WIT: breaking: 3 (and 3 compatible)"),
        "{text}"
    );
    assert!(
        text.contains("~ export local:calc/ops: function add: func(a: s64, b: s64) -> s64 -> func(a: s32, b: s32) -> s32  [BREAKING: an export changed"),
        "{text}"
    );
}

#[test]
fn types_are_compared_by_structure_not_by_name() {
    // Two versions of a world where a type is renamed and the old name kept
    // as an alias (as WASI 0.2.3 did with `field-key`): the same structure.
    let dir = tempfile::tempdir().unwrap();
    let component = |name: &str, wit: &str| {
        let mut resolve = Resolve::default();
        let package = resolve.push_str("t.wit", wit).unwrap();
        let world = resolve.select_world(&[package], None).unwrap();
        let mut core =
            wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
        wit_component::embed_component_metadata(
            &mut core,
            &resolve,
            world,
            wit_component::StringEncoding::UTF8,
            false,
        )
        .unwrap();
        let bytes = wit_component::ComponentEncoder::default()
            .module(&core)
            .unwrap()
            .encode()
            .unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    };
    let old = component(
        "old.wasm",
        "package t:t@1.0.0; interface i { type key = string; get: func(k: key) -> u32; }
         world w { export i; }",
    );
    let renamed = component(
        "renamed.wasm",
        "package t:t@1.0.1; interface i { type name = string; type key = name; get: func(k: name) -> u32; }
         world w { export i; }",
    );
    let retyped = component(
        "retyped.wasm",
        "package t:t@1.0.2; interface i { type key = list<u8>; get: func(k: key) -> u32; }
         world w { export i; }",
    );
    let (wit, changes) = wit_changes(&old, &renamed);
    assert_eq!(wit["verdict"], "compatible", "{changes:?}");
    let (wit, changes) = wit_changes(&old, &retyped);
    assert_eq!(wit["verdict"], "breaking");
    assert!(
        changes.contains(&"export t:t/i function get changed breaking".to_string()),
        "{changes:?}"
    );
    assert!(
        changes.contains(&"export t:t/i type key changed breaking".to_string()),
        "{changes:?}"
    );
}

#[test]
fn fail_on_breaking_gates_on_the_wit_alone() {
    let status = |args: &[&str]| {
        let out = run(args);
        (out.status.code(), stderr(&out))
    };
    let gate = |old: &str, new: &str| status(&["diff", "--fail-on", "breaking", "-q", old, new]);
    // Everything else differs in both pairs; only the WIT decides.
    assert_eq!(
        gate(
            "components/calc-v1.wasm",
            "components/calc-v2-breaking.wasm"
        )
        .0,
        Some(1)
    );
    assert_eq!(
        gate(
            "components/calc-v1.wasm",
            "components/calc-v2-compatible.wasm"
        )
        .0,
        Some(0)
    );
    assert_eq!(
        gate("components/greeter.wasm", "components/greeter.wasm").0,
        Some(0)
    );
    let (code, err) = gate("names.wat", "components/calc-v1.wasm");
    assert_eq!(code, Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("names.wat has none"), "{err}");
}

#[test]
fn imports_and_exports_of_a_component_speak_wit() {
    let json = |args: &[&str]| -> Value {
        let out = run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let exports = json(&["exports", "components/calc-v1.wasm", "--json"]);
    let items = exports["component_exports"].as_array().unwrap();
    let version = items.iter().find(|i| i["name"] == "version").unwrap();
    assert_eq!(
        version["functions"],
        serde_json::json!([{"name": "version", "signature": "func() -> string"}])
    );
    let ops = items
        .iter()
        .find(|i| i["name"] == "local:calc/ops@1.0.0")
        .unwrap();
    let names: Vec<&str> = ops["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["add", "divide", "area", "describe", "largest"]);
    let types = items
        .iter()
        .find(|i| i["name"] == "local:calc/types@1.0.0")
        .unwrap();
    assert_eq!(types["functions"][1]["name"], "counter.bump");
    let imports = json(&["imports", "components/calc-v1.wasm", "--json"]);
    assert_eq!(
        imports["component_imports"][0]["functions"][0]["signature"],
        "func(level: u8, message: string)"
    );
    // The text puts each interface's functions under it.
    let text = stdout(&run(&["imports", "components/greeter.wasm"]));
    assert!(
        text.contains("instance  wasi:clocks/wall-clock@0.2.6"),
        "{text}"
    );
    assert!(
        text.contains("            now: func() -> datetime"),
        "{text}"
    );
}

#[test]
fn packages_depending_on_each_other_are_refused_not_recursed_on() {
    // Found by the `wit` fuzz target: a core module whose `component-type`
    // section holds two packages that depend on each other. wit-component
    // recurses on such a cycle until the stack overflows.
    let out = run(&["wit", "fuzz/wit-package-cycle.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("wit-package-cycle.wasm: the section `component-type` cannot be read: packages local:calc@1.0.0 and local:calc@2.0.0 depend on each other"),
        "{err}"
    );
    // diff compares what else there is, with no WIT to compare.
    let out = run(&[
        "diff",
        "--json",
        "fuzz/wit-package-cycle.wasm",
        "components/calc-v1.core.wasm",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("wit").is_none());
}
