//! The parts of a component as a user meets them: `extract` lists them with
//! their names and roles and writes each out byte for byte as it is inside
//! (valid on its own), chosen by number, id or name, nested components too;
//! `stats` gives each part's bytes; and the errors.

use std::path::Path;

use serde_json::Value;

use crate::common::{check, run, schema, snapshot, stderr, stdout, testdata, wasmscope};

/// A component with a nested component that has modules of its own, all
/// named, written to `dir`.
fn nested_component(dir: &Path) -> std::path::PathBuf {
    let text = r#"(component
        (core module $app (func (export "run")))
        (core module $wit-component-shim-module (func (export "0")))
        (component $inner
            (core module $helper (func (export "help")))
            (core module $big (func (export "a")) (func (export "b")) (func (export "c")))
        )
        (core module $libc.so)
    )"#;
    let path = dir.join("nested.wat");
    std::fs::write(&path, text).unwrap();
    path
}

fn list_json(file: &str) -> Value {
    let out = run(&["extract", file, "--list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_part_comes_out_byte_for_byte_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let nested = nested_component(dir.path());
    let nested = nested.to_str().unwrap();
    for file in ["components/greeter.wasm", "components/calc-v1.wasm", nested] {
        let whole = if file.ends_with(".wat") {
            let out = run(&["parse", file, "-o", "-"]);
            assert!(out.status.success());
            out.stdout
        } else {
            std::fs::read(testdata().join(file)).unwrap()
        };
        let listing = list_json(file);
        let parts = listing["parts"].as_array().unwrap();
        assert!(!parts.is_empty(), "{file}");
        for part in parts {
            let id = part["id"].as_str().unwrap();
            let flag = if part["kind"] == "module" {
                "--module"
            } else {
                "--component"
            };
            let out_path = dir.path().join("part.wasm");
            let out = run(&["extract", file, flag, id, "-o", out_path.to_str().unwrap()]);
            assert!(out.status.success(), "{file} {id}: {}", stderr(&out));
            let written = std::fs::read(&out_path).unwrap();
            let offset = part["offset"].as_u64().unwrap() as usize;
            let size = part["size"].as_u64().unwrap() as usize;
            assert_eq!(written, whole[offset..offset + size], "{file} {id}");
            let valid = run(&["validate", out_path.to_str().unwrap()]);
            assert!(valid.status.success(), "{file} {id}: {}", stderr(&valid));
        }
    }
}

#[test]
fn parts_are_listed_with_names_and_roles() {
    let dir = tempfile::tempdir().unwrap();
    let nested = nested_component(dir.path());
    let listing = list_json(nested.to_str().unwrap());
    let summary: Vec<String> = listing["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {} {}", p["id"], p["name"], p["role"]))
        .collect();
    assert_eq!(
        summary,
        [
            r#""module 0" "app" "main module""#,
            r#""module 1" "wit-component-shim-module" "shim""#,
            r#""component 0" "inner" null"#,
            r#""component 0/module 0" "helper" null"#,
            // The largest module of the inner component, unnamed so.
            r#""component 0/module 1" "big" "main module""#,
            r#""module 2" "libc.so" "shared library""#,
        ]
    );
    let shape = schema(
        r#"{"file": "string", "parts": [{"id": "string", "kind": "string", "name?": "string",
            "role?": "string", "offset": "number", "size": "number"}]}"#,
    );
    check(&shape, &listing, "extract --list");
    check(
        &shape,
        &list_json("components/greeter.wasm"),
        "extract --list",
    );
    let out = run(&["extract", "components/greeter.wasm", "--list"]);
    snapshot("extract", "greeter-list", &stdout(&out));
}

#[test]
fn a_part_is_found_by_number_id_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let nested = nested_component(dir.path());
    let nested = nested.to_str().unwrap();
    let get = |args: &[&str]| {
        let out = wasmscope(["extract", nested])
            .args(args)
            .args(["-o", "-"])
            .output();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out.stdout
    };
    assert_eq!(get(&["--module", "0"]), get(&["--module", "app"]));
    assert_eq!(get(&["--module", "module 0"]), get(&["--module", "app"]));
    assert_eq!(
        get(&["--module", "component 0/module 1"]),
        get(&["--module", "big"])
    );
    assert_eq!(get(&["--component", "0"]), get(&["--component", "inner"]));
    assert_ne!(get(&["--module", "0"]), get(&["--module", "1"]));
}

#[test]
fn extract_errors_are_one_line() {
    let one_line = |args: &[&str], code: i32, needle: &str| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    one_line(
        &["extract", "names.wat", "--list"],
        1,
        "names.wat: not a component",
    );
    one_line(
        &[
            "extract",
            "components/greeter.wasm",
            "--module",
            "7",
            "-o",
            "-",
        ],
        1,
        "no core module `7` (there are: module 0, module 1, module 2)",
    );
    one_line(
        &[
            "extract",
            "components/greeter.wasm",
            "--component",
            "nope",
            "-o",
            "-",
        ],
        1,
        "no component `nope` (there is: component 0)",
    );
    // A usage error, as clap reports them.
    let out = run(&["extract", "components/greeter.wasm"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--module"), "{}", stderr(&out));
    // Binary output is not written to a terminal-less stdout by mistake:
    // with -o - it goes to stdout, which is a pipe here.
    let out = run(&[
        "extract",
        "components/greeter.wasm",
        "--module",
        "0",
        "-o",
        "-",
    ]);
    assert!(out.status.success());
    assert!(wasmparser::Parser::is_core_wasm(&out.stdout));
}

fn stats_json(file: &str) -> Value {
    let out = run(&["stats", file, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The bytes of one section kind of a core module, from `sections`.
fn section_bytes(file: &Path, kind: &str) -> u64 {
    let out = run(&["sections", file.to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .map(|s| s["end"].as_u64().unwrap() - s["offset"].as_u64().unwrap())
        .sum()
}

#[test]
fn stats_gives_each_part_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let nested = nested_component(dir.path());
    let nested = nested.to_str().unwrap();
    for file in ["components/greeter.wasm", nested] {
        let stats = stats_json(file);
        let listing = list_json(file);
        let parts = stats["parts"].as_array().unwrap();
        let listed = listing["parts"].as_array().unwrap();
        assert_eq!(parts.len(), listed.len(), "{file}");
        for (part, entry) in parts.iter().zip(listed) {
            assert_eq!(part["id"], entry["id"], "{file}");
            assert_eq!(part["size"], entry["size"], "{file}");
            let id = part["id"].as_str().unwrap();
            if part["kind"] == "module" {
                // A module's code and data are its sections' whole sizes.
                let path = dir.path().join("part.wasm");
                let out = run(&[
                    "extract",
                    file,
                    "--module",
                    id,
                    "-o",
                    path.to_str().unwrap(),
                ]);
                assert!(out.status.success());
                assert_eq!(part["code"], section_bytes(&path, "code"), "{file} {id}");
                assert_eq!(part["data"], section_bytes(&path, "data"), "{file} {id}");
            } else {
                // A component holds what the modules inside it hold.
                let inside: u64 = parts
                    .iter()
                    .filter(|p| {
                        p["kind"] == "module"
                            && p["id"].as_str().unwrap().starts_with(&format!("{id}/"))
                    })
                    .map(|p| p["code"].as_u64().unwrap())
                    .sum();
                assert_eq!(part["code"], inside, "{file} {id}");
            }
        }
        let top: u64 = parts
            .iter()
            .filter(|p| p["depth"] == 0)
            .map(|p| p["size"].as_u64().unwrap())
            .sum();
        assert!(top < stats["size"].as_u64().unwrap(), "{file}");
    }
    // A core module has no parts.
    assert!(stats_json("names.wat").get("parts").is_none());
    let text = run(&["stats", "components/greeter.wasm", "--top", "3"]);
    snapshot("extract", "greeter-stats", &stdout(&text));
}

#[test]
fn info_names_a_components_modules_as_the_component_does() {
    let out = run(&["info", "components/greeter.wasm"]);
    let text = stdout(&out);
    assert!(
        text.contains("  core module 0 main (main module) $greeter.wasm: 46556 bytes"),
        "{text}"
    );
    assert!(
        text.contains("  core module 1 wit-component-shim-module (shim): 233 bytes"),
        "{text}"
    );
    let out = run(&["info", "components/greeter.wasm", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nested"][0]["part_name"], "main");
    assert_eq!(v["nested"][0]["part_role"], "main module");
    assert_eq!(v["nested"][2]["part_role"], "fixup");
}
