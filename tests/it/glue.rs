//! Emscripten's JavaScript glue: minified builds named by the glue built
//! with them (a C program built here with Debian's emscripten, and two npm
//! packages in two release layouts), glue found beside a module, glue that
//! does not fit, and hostile glue files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::common::{run, snapshot, stderr, stdout, testdata, wasmscope};

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("glue", name)
}

/// The capabilities `caps` finds, with whether reachable code needs them.
fn capabilities(caps: &Value) -> BTreeSet<(String, bool)> {
    caps["capabilities"]
        .as_array()
        .expect("capabilities")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_string(),
                c["reachable"].as_bool().expect("reachable"),
            )
        })
        .collect()
}

#[test]
fn a_minified_build_with_its_glue_has_the_unminified_builds_capabilities() {
    // The same program, built with and without minified names.
    let minified = json(&["caps", "emscripten/app.wasm", "--json"]);
    let named = json(&["caps", "emscripten/app-names.wasm", "--json"]);
    assert_eq!(minified["glue"]["found"], "beside");
    assert_eq!(minified["glue"]["file"], "emscripten/app.js");
    assert_eq!(minified["glue"]["map"], "asmLibraryArg");
    assert_eq!(minified["glue"]["imports"], 13);
    assert_eq!(capabilities(&minified), capabilities(&named));
    for cap in ["fs-write", "fs-list", "fs-meta", "env", "clock", "stdout"] {
        assert!(
            capabilities(&minified).contains(&(cap.to_string(), true)),
            "{cap}"
        );
    }
    assert!(
        minified["unknown_imports"]
            .as_array()
            .expect("list")
            .is_empty()
    );
    // Every name the glue gave is one the unminified build imports.
    let names = |v: &Value| -> BTreeSet<String> {
        v["imports"]
            .as_array()
            .expect("imports")
            .iter()
            .map(|i| {
                format!(
                    "{}.{}",
                    i["module"].as_str().unwrap(),
                    i["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    let glued = names(&json(&["imports", "emscripten/app.wasm", "--json"]));
    let reference = names(&json(&["imports", "emscripten/app-names.wasm", "--json"]));
    assert!(
        glued.is_subset(&reference),
        "{glued:?} not in {reference:?}"
    );

    // Without the glue the audit cannot say, and says how to fix that.
    let blind = json(&["caps", "emscripten/app.wasm", "--no-glue", "--json"]);
    assert!(blind.get("glue").is_none());
    assert_eq!(
        capabilities(&blind),
        BTreeSet::from([("host-custom".to_string(), true)]),
        "{blind}"
    );
    assert!(
        blind["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("--glue FILE.js")),
        "{blind}"
    );
}

/// The import map of a glue file as `key -> JavaScript name`, read by a
/// pattern of the test's own (a second reading of the same text).
fn map_by_pattern(glue: &str, variable: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(testdata().join(glue)).expect("glue");
    let start = text.find(&format!("var {variable}={{")).expect("the map") + variable.len() + 6;
    let end = start + text[start..].find('}').expect("its end");
    text[start..end]
        .split(',')
        .map(|pair| {
            let (key, value) = pair.split_once(':').expect("key: value");
            (key.trim_matches('"').to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn npm_releases_in_both_layouts_are_named() {
    // argon2-browser 1.18.0: `asmLibraryArg` and `Module["asm"]["x"]`;
    // @jsquash/jpeg 1.6.0, an ES module: `wasmImports` and `wasmExports["x"]`.
    for (module, glue, variable, exports) in [
        (
            "emscripten/argon2.wasm",
            "emscripten/argon2.js",
            "asmLibraryArg",
            12,
        ),
        (
            "emscripten/mozjpeg_dec.wasm",
            "emscripten/mozjpeg_dec.js",
            "wasmImports",
            8,
        ),
    ] {
        let listing = json(&["imports", module, "--glue", glue, "--json"]);
        assert_eq!(listing["glue"]["found"], "given");
        assert_eq!(listing["glue"]["map"], variable);
        let expected = map_by_pattern(glue, variable);
        let imports = listing["imports"].as_array().unwrap();
        assert_eq!(imports.len(), expected.len(), "{module}");
        for import in imports {
            let key = import["minified"]["name"].as_str().expect("minified name");
            assert_eq!(import["minified"]["module"], "a");
            let (_, js) = expected.iter().find(|(k, _)| k == key).expect("in the map");
            assert_eq!(
                import["name"].as_str().unwrap(),
                js.strip_prefix('_').unwrap_or(js),
                "{module} {key}"
            );
        }
        let exports_listing = json(&["exports", module, "--glue", glue, "--json"]);
        let renamed = exports_listing["exports"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["minified"].is_string())
            .count();
        assert_eq!(renamed, exports, "{module}");
        assert_eq!(exports_listing["glue"]["exports"], exports);
    }
    let names = json(&["exports", "emscripten/argon2.wasm", "--json"]);
    let names: Vec<&str> = names["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for name in [
        "memory",
        "argon2_hash",
        "malloc",
        "free",
        "__indirect_function_table",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
}

#[test]
fn every_command_that_reads_imports_says_which_glue_named_them() {
    let line = "names from glue emscripten/mozjpeg_dec.js (found beside the module): 26 imports and 8 exports renamed";
    for command in ["caps", "imports", "exports", "info"] {
        let out = run(&[command, "emscripten/mozjpeg_dec.wasm"]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        assert!(stdout(&out).contains(line), "{command}: {}", stdout(&out));
    }
    let info = json(&["info", "emscripten/mozjpeg_dec.wasm", "--json"]);
    assert_eq!(info["glue"]["imports"], 26);
    snapshot(
        "glue",
        "caps-app",
        &stdout(&run(&["caps", "emscripten/app.wasm"])),
    );
    snapshot(
        "glue",
        "imports-argon2",
        &stdout(&run(&["imports", "emscripten/argon2.wasm"])),
    );
}

#[test]
fn check_sees_the_real_names() {
    let dir = scratch("check");
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "[imports]\ndeny = [\"env.__syscall_open\"]\n[capabilities]\ndeny = [\"fs-write\"]\n",
    )
    .unwrap();
    let policy = policy.to_string_lossy().into_owned();
    let out = run(&[
        "check",
        "emscripten/app.wasm",
        "--policy",
        &policy,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["modules"][0]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["capabilities.deny", "imports.deny"]);
    assert_eq!(v["modules"][0]["glue"]["applied"], true);
    // Blind to the names, the same policy sees nothing to refuse.
    let out = run(&[
        "check",
        "emscripten/app.wasm",
        "--policy",
        &policy,
        "--no-glue",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&run(&["check", "emscripten/app.wasm", "--policy", &policy]));
    assert!(
        text.contains("  names from glue emscripten/app.js (found beside the module)"),
        "{text}"
    );
}

#[test]
fn glue_that_does_not_fit_is_refused_whole() {
    // Given: an error naming the glue, the line and column of its map, and
    // the imports it does not name.
    let out = run(&[
        "imports",
        "emscripten/argon2.wasm",
        "--glue",
        "emscripten/mozjpeg_dec.js",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: emscripten/mozjpeg_dec.js:")
            && err
                .contains(": the import map `wasmImports` has 26 entries and the module 2 imports"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());

    // Found beside the module: said, and nothing renamed.
    let dir = scratch("beside");
    std::fs::copy(
        testdata().join("emscripten/argon2.wasm"),
        dir.join("x.wasm"),
    )
    .unwrap();
    std::fs::copy(
        testdata().join("emscripten/mozjpeg_dec.js"),
        dir.join("x.js"),
    )
    .unwrap();
    let out = wasmscope(["imports", "x.wasm", "--json"])
        .dir(&dir)
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["glue"]["applied"], false);
    assert_eq!(v["glue"]["found"], "beside");
    assert!(
        v["glue"]["file"].as_str().unwrap().starts_with("x.js:"),
        "{v}"
    );
    assert!(
        v["imports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["module"] == "a" && i["minified"].is_null())
    );
    let text = stdout(&wasmscope(["caps", "x.wasm"]).dir(&dir).output());
    assert!(
        text.contains("(found beside the module) not applied: the import map"),
        "{text}"
    );

    // A sibling that is not Emscripten glue is passed over in silence for
    // a module that needs none.
    std::fs::copy(testdata().join("debug/tally.wasm"), dir.join("y.wasm")).unwrap();
    std::fs::write(dir.join("y.js"), "export function hello() {}\n").unwrap();
    let v: Value = serde_json::from_slice(
        &wasmscope(["caps", "y.wasm", "--json"])
            .dir(&dir)
            .output()
            .stdout,
    )
    .unwrap();
    assert!(v.get("glue").is_none(), "{v}");
}

#[test]
fn usage_mistakes_exit_2() {
    for args in [
        &[
            "caps",
            "emscripten/app.wasm",
            "emscripten/argon2.wasm",
            "--glue",
            "emscripten/app.js",
        ][..],
        &[
            "imports",
            "emscripten/app.wasm",
            "--glue",
            "emscripten/app.js",
            "--no-glue",
        ],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = run(&[
        "caps",
        "components/greeter.wasm",
        "--glue",
        "emscripten/app.js",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("this is a component"),
        "{}",
        stderr(&out)
    );
    let out = run(&["imports", "emscripten/app.wasm", "--glue", "no-such.js"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: no-such.js: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_glue_is_read_in_bounded_time_and_memory() {
    let dir = scratch("hostile");
    let mut rng = fastrand::Rng::with_seed(18);
    let random: Vec<u8> = std::iter::repeat_with(|| rng.u8(..))
        .take(16 << 20)
        .collect();
    std::fs::write(dir.join("random.js"), &random).unwrap();
    // 16 MB of text that opens import maps and export reads and never
    // closes them (the scan is linear: the unoptimised binary takes about
    // 10 s of processor time on it).
    let mut text = String::with_capacity(16 << 20);
    while text.len() < 16 << 20 {
        text.push_str("var wasmImports={a:(function(){return `${\"");
        text.push_str("x=Module[\"asm\"][\"");
        text.push_str("var q={a:ld};ld={a:(");
    }
    std::fs::write(dir.join("open.js"), &text).unwrap();
    // Over the limit.
    let big = std::fs::File::create(dir.join("big.js")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    drop((random, text));
    let module = testdata().join("emscripten/app.wasm");
    for (glue, says) in [
        ("random.js", "not UTF-8 text"),
        ("open.js", "no Emscripten import map"),
        ("big.js", "larger than 64 MiB"),
    ] {
        let out = wasmscope([
            "caps".as_ref(),
            module.as_os_str(),
            "--glue".as_ref(),
            dir.join(glue).as_os_str(),
        ])
        .time_bound(std::time::Duration::from_secs(60))
        .memory_bound(512 << 20)
        .bounded();
        assert_eq!(out.fault(&[1]), None, "{glue}");
        assert_eq!(out.code, Some(1), "{glue}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{glue}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{glue}: {}", out.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_matches_the_documented_schema() {
    use crate::common::{check, schema};
    let glue = r#"{"file": "string", "found": "string", "applied": "bool", "map?": "string",
        "imports": "number", "exports": "number", "problem?": "string"}"#;
    let imports = schema(&format!(
        r#"{{"file": "string", "glue?": {glue}, "imports": [{{"module": "string", "name": "string",
            "kind": "string", "index": "number", "type": "string", "offset": "number",
            "minified?": {{"module": "string", "name": "string"}}}}]}}"#
    ));
    let exports = schema(&format!(
        r#"{{"file": "string", "glue?": {glue}, "exports": [{{"name": "string", "kind": "string",
            "index": "number", "type": "string", "offset": "number", "minified?": "string"}}]}}"#
    ));
    let module = "emscripten/mozjpeg_dec.wasm";
    let listing = json(&["imports", module, "--json"]);
    check(&imports, &listing, "imports");
    assert!(listing["imports"][0]["minified"].is_object());
    let listing = json(&["exports", module, "--json"]);
    check(&exports, &listing, "exports");
    assert!(listing["exports"][0]["minified"].is_string());
    let glue = schema(glue);
    for command in ["caps", "info"] {
        let v = json(&[command, module, "--json"]);
        check(&glue, &v["glue"], command);
    }
    let caps = json(&["caps", module, "--json"]);
    let import = &caps["capabilities"][0]["imports"][0];
    check(
        &schema(r#"{"module": "string", "name": "string"}"#),
        &import["minified"],
        "caps import",
    );
    // Not applied: a problem, and the place it is about.
    let dir = scratch("schema");
    std::fs::copy(
        testdata().join("emscripten/argon2.wasm"),
        dir.join("x.wasm"),
    )
    .unwrap();
    std::fs::write(dir.join("x.js"), "var wasmImports={q:_f};").unwrap();
    let out = wasmscope(["imports", "x.wasm", "--json"])
        .dir(&dir)
        .output();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    check(&glue, &v["glue"], "not applied");
    assert_eq!(v["glue"]["file"], "x.js:1:17");
    assert!(
        v["glue"]["problem"]
            .as_str()
            .unwrap()
            .contains("does not name 2")
    );
}
