//! The capability audit as a user runs it: the report of every toolchain
//! fixture and of the demo module (human and JSON), policies that fail a CI
//! job, runtime command lines, and directories audited in one go.

use crate::common::{run, snapshot, stderr, stdout, testdata};
use serde_json::Value;

/// One fixture per toolchain convention, under testdata/caps/.
const FIXTURES: &[&str] = &[
    "wasi-preview1-files.wat",
    "wasi-preview1-unreachable-fs.wat",
    "wasi-preview0.wat",
    "wasi-reactor.wat",
    "wasi-threads.wat",
    "wasix.wat",
    "wasmedge-sockets.wat",
    "emscripten.wat",
    "emscripten-minified.wat",
    "wasm-bindgen-raw.wat",
    "wasm-bindgen.wat",
    "go-js.wat",
    "go-wasip1.wat",
    "tinygo.wat",
    "assemblyscript.wat",
    "dylink.wat",
    "host-custom.wat",
    "wasi-p2-component.wat",
    "wasi-http-component.wat",
];

fn caps_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The capabilities reachable code needs, by name.
fn called(v: &Value) -> Vec<String> {
    v["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["reachable"] == true && c["name"] != "neutral")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

fn linked_only(v: &Value) -> Vec<String> {
    v["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["reachable"] == false)
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_fixture_report() {
    for fixture in FIXTURES {
        let path = format!("caps/{fixture}");
        let out = run(&["caps", &path]);
        assert!(out.status.success(), "{fixture}: {}", stderr(&out));
        snapshot("caps", fixture, &stdout(&out));
        let json = run(&["caps", &path, "--json"]);
        snapshot("caps", &format!("{fixture}.json"), &stdout(&json));
    }
}

#[test]
fn demo_lists_what_its_source_uses() {
    let out = run(&["caps", "--demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    snapshot("caps", "demo", &stdout(&out));
    let v = caps_json(&["caps", "--demo", "--json"]);
    // The hasher's source reads args, env, stdin, files, the clock and
    // randomness, and writes stdout and stderr; libc asks for preopens.
    let called = called(&v);
    for cap in [
        "args", "env", "stdin", "stdout", "stderr", "fs-read", "clock", "random", "exit",
    ] {
        assert!(
            called.contains(&cap.to_string()),
            "missing {cap}: {called:?}"
        );
    }
    for cap in [
        "net-tcp",
        "net-inbound",
        "net-outbound",
        "dns",
        "process",
        "js-host",
    ] {
        assert!(!called.contains(&cap.to_string()), "unexpected {cap}");
    }
    assert_eq!(v["role"], "command");
    assert_eq!(v["wasi"], serde_json::json!(["wasi-preview1"]));
    assert_eq!(
        v["run"]["command"],
        "wasmtime run --dir=. --env NAME=VALUE demo.wasm [ARGS...]"
    );
}

#[test]
fn unreachable_file_access_is_marked() {
    let v = caps_json(&["caps", "caps/wasi-preview1-unreachable-fs.wat", "--json"]);
    let linked = linked_only(&v);
    assert!(linked.contains(&"fs-write".to_string()), "{linked:?}");
    assert!(called(&v).contains(&"stdout".to_string()));
    // Without --strict the runtime line does not grant files it never opens.
    assert!(!v["run"]["command"].as_str().unwrap().contains("--dir"));
    let strict = caps_json(&[
        "caps",
        "caps/wasi-preview1-unreachable-fs.wat",
        "--json",
        "--strict",
    ]);
    assert!(
        strict["run"]["command"]
            .as_str()
            .unwrap()
            .contains("--dir=.")
    );
}

#[test]
fn conventions_are_recognised() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("wasi-preview0.wat", &["stdout", "exit"], "wasi-preview0"),
        ("wasi-threads.wat", &["threads"], "wasi-threads"),
        (
            "wasix.wat",
            &["process", "net-outbound", "dns", "threads"],
            "wasix",
        ),
        (
            "wasmedge-sockets.wat",
            &["net-inbound", "dns"],
            "wasmedge-sockets",
        ),
        (
            "emscripten.wat",
            &["js-eval", "process", "fs-write", "dns"],
            "js-host",
        ),
        ("wasm-bindgen.wat", &["js-host"], "js-host"),
        (
            "go-js.wat",
            &["js-host", "clock", "random", "exit"],
            "js-host",
        ),
        (
            "go-wasip1.wat",
            &["args", "env", "clock", "random"],
            "wasi-preview1",
        ),
        (
            "assemblyscript.wat",
            &["exit", "random"],
            "assemblyscript-host",
        ),
        ("dylink.wat", &["dynamic-linking"], "dynamic-linking"),
        (
            "wasi-p2-component.wat",
            &["random", "fs-preopens"],
            "wasi-0.2",
        ),
    ];
    for (fixture, expected, host) in cases {
        let v = caps_json(&["caps", &format!("caps/{fixture}"), "--json"]);
        let caps = called(&v);
        for cap in *expected {
            assert!(
                caps.contains(&cap.to_string()),
                "{fixture}: missing {cap} in {caps:?}"
            );
        }
        let hosts: Vec<String> = v["wasi"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect();
        assert!(hosts.contains(&host.to_string()), "{fixture}: {hosts:?}");
    }
    let custom = caps_json(&["caps", "caps/host-custom.wat", "--json"]);
    assert_eq!(custom["unknown_imports"].as_array().unwrap().len(), 3);
    let http = caps_json(&["caps", "caps/wasi-http-component.wat", "--json"]);
    assert_eq!(http["role"], "http-server");
    assert_eq!(
        http["run"]["command"],
        "wasmtime serve wasi-http-component.wat"
    );
}

#[test]
fn deny_fails_the_job_the_way_ci_expects() {
    let ok = run(&["caps", "--demo", "--deny", "net,process,js"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let denied = run(&["caps", "--demo", "--deny", "env"]);
    assert_eq!(denied.status.code(), Some(1));
    assert_eq!(
        stderr(&denied),
        "error: demo.wasm: denied capability env (needed by \
         wasi_snapshot_preview1.environ_get, wasi_snapshot_preview1.environ_sizes_get)\n"
    );
    // Unreachable imports count only with --strict.
    let lax = run(&[
        "caps",
        "caps/wasi-preview1-unreachable-fs.wat",
        "--deny",
        "fs-write",
    ]);
    assert_eq!(lax.status.code(), Some(0), "{}", stderr(&lax));
    let strict = run(&[
        "caps",
        "caps/wasi-preview1-unreachable-fs.wat",
        "--deny",
        "fs-write",
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let allow = run(&[
        "caps",
        "--demo",
        "--allow",
        "fs,env,args,stdin,stdout,stderr,clock,random,exit",
    ]);
    assert_eq!(allow.status.code(), Some(0), "{}", stderr(&allow));
    let narrow = run(&["caps", "--demo", "--allow", "stdout,stderr,exit", "--json"]);
    assert_eq!(narrow.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&narrow.stdout).expect("JSON");
    assert!(
        v["violations"]
            .as_array()
            .unwrap()
            .contains(&Value::from("env"))
    );
    let bad = run(&["caps", "--demo", "--deny", "files"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn runtime_command_lines() {
    let cases: &[(&str, &[&str])] = &[
        (
            "run-demo-wasmer",
            &["caps", "--demo", "--runtime", "wasmer"],
        ),
        (
            "run-wasix-wasmer",
            &["caps", "caps/wasix.wat", "--runtime", "wasmer"],
        ),
        ("run-threads-wasmtime", &["caps", "caps/wasi-threads.wat"]),
    ];
    for (name, args) in cases {
        let out = run(args);
        let text = stdout(&out);
        let tail = &text[text.find("run it with").expect("a run line")..];
        snapshot("caps", name, tail);
    }
}

#[test]
fn directories_are_audited_together() {
    let out = run(&["caps", "caps", "--recursive"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    snapshot("caps", "summary", &text);
    let refused = run(&["caps", "caps"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("add --recursive"));
    let json = caps_json(&["caps", "caps/wasix.wat", "--demo", "--json"]);
    assert_eq!(json["modules"].as_array().unwrap().len(), 2);
    assert_eq!(json["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn malformed_modules_fail_cleanly() {
    let out = run(&["caps", "truncated.wasm", "--demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: truncated.wasm:0x37: unexpected end-of-file\n"
    );
    // The good module is still reported.
    assert!(stdout(&out).contains("demo.wasm"));
    assert!(testdata().join("caps").is_dir());
}

/// The command line `caps` prints for the demo really runs it: executed with
/// the wasmtime engine (the `wasmtime` Python package, which `.ci/run`
/// installs) and exactly those grants, and it fails without the file grant.
#[test]
fn printed_wasmtime_line_runs_the_demo() {
    let v = caps_json(&["caps", "--demo", "--json"]);
    let template = v["run"]["command"].as_str().expect("a command line");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("in.txt"), "hello\n").expect("input file");
    let line = template
        .replace("NAME=VALUE", "HASHER_PREFIX=>")
        .replace("[ARGS...]", "in.txt -s abc");
    let run = |line: &str| {
        std::process::Command::new("python3")
            .arg(testdata().join("run-with-grants.py"))
            .arg(testdata().join("demo.wasm"))
            .arg(line)
            .current_dir(dir.path())
            .output()
            .expect("python3 runs (and `pip install wasmtime`)")
    };
    let out = run(&line);
    assert_eq!(out.status.code(), Some(0), "{line}: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        ">5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  in.txt\n\
         >ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  \"abc\"\n"
    );
    // The file grant is needed: without it the file cannot be opened.
    let without = run(&line.replace("--dir=. ", ""));
    assert_eq!(without.status.code(), Some(1), "{}", stdout(&without));
    assert!(stderr(&without).contains("in.txt"), "{}", stderr(&without));
}

/// A component's imports, function by function, with the exports that
/// reach each through its core modules (the adapter, the shim's table).
#[test]
fn component_functions_say_which_export_reaches_them() {
    let v = caps_json(&["caps", "components/greeter.wasm", "--json"]);
    let imports: Vec<&Value> = v["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["imports"].as_array().unwrap())
        .collect();
    let stdout = imports
        .iter()
        .find(|i| i["module"] == "wasi:cli/stdout@0.2.6" && i["name"] == "get-stdout")
        .expect("get-stdout is listed by function");
    assert_eq!(
        stdout["reached_from"],
        serde_json::json!(["example:greeter/greet@0.2.0#hello"])
    );
    // `count` only reads a counter: no import is reached from it.
    assert!(
        imports
            .iter()
            .flat_map(|i| i["reached_from"].as_array().into_iter().flatten())
            .all(|e| e != "example:greeter/greet@0.2.0#count")
    );
    // No core import of a nested module (the fixup's "" imports, the
    // shim's table) is reported as something the host must provide.
    assert!(imports.iter().all(|i| i.get("nested").is_none()), "{v}");
    assert_eq!(v["unknown_imports"], serde_json::json!([]));

    let p2 = caps_json(&["caps", "caps/wasi-p2-component.wat", "--json"]);
    assert_eq!(linked_only(&p2), ["net-inbound"]);
    let text = stdout_of(&["caps", "caps/wasi-p2-component.wat"]);
    assert!(
        text.contains(
            "fs-preopens  wasi:filesystem/preopens@0.2.0#get-directories  wasi:cli/run@0.2.0#run"
        ),
        "{text}"
    );
    // The dummy module of an assembled component calls nothing.
    let calc = caps_json(&["caps", "components/calc-v1.wasm", "--json"]);
    assert_eq!(linked_only(&calc), ["host-custom"]);
    assert_eq!(calc["unknown_imports"][0]["name"], "log", "{calc}");
}

fn stdout_of(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}
