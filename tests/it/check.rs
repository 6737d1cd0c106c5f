//! `wasmscope check` as a CI job runs it: every rule passing and failing,
//! each output format (golden, and SARIF through Microsoft's validator),
//! `--init`, exit statuses, and hostile policy files.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::run::wasmscope;
use crate::common::schema::{check, schema};
use crate::common::{run, snapshot, stderr, stdout, testdata};
use serde_json::Value;

const MODULE: &str = "debug/tally.wasm";

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("check", name)
}

/// Runs `check` on tally with a policy written to a file; returns the exit
/// status and the JSON verdict.
fn verdict(dir: &Path, policy: &str, extra: &[&str]) -> (i32, Value) {
    let path = dir.join("policy.toml");
    std::fs::write(&path, policy).expect("policy written");
    let mut args = vec!["check", MODULE, "--json", "--policy"];
    let path = path.to_string_lossy().into_owned();
    args.push(&path);
    args.extend_from_slice(extra);
    let out = run(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{policy}: not JSON ({e}): {}", stderr(&out)));
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn every_rule_passes_and_fails() {
    let dir = scratch("rules");
    // (rule, a policy tally passes, one it breaks, what the message says)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "capabilities.deny",
            "[capabilities]\ndeny = [\"net\"]",
            "[capabilities]\ndeny = [\"env\"]",
            "needs env, which the policy has denied",
        ),
        (
            "capabilities.allow",
            "[capabilities]\nallow = [\"fs\", \"env\", \"args\", \"stdin\", \"stdout\", \"stderr\", \"exit\"]",
            "[capabilities]\nallow = [\"stdout\", \"stderr\"]",
            "needs fs-read, which the policy has not allowed",
        ),
        (
            "size.max",
            "[size]\nmax = \"1 MiB\"",
            "[size]\nmax = \"300 KiB\"",
            "the module is 400086 bytes (390.7 KiB), over the limit of 307200 bytes",
        ),
        (
            "size.max-code",
            "[size]\nmax-code = \"1 MiB\"",
            "[size]\nmax-code = \"10 KiB\"",
            "the code is ",
        ),
        (
            "size.max-data",
            "[size]\nmax-data = 100000",
            "[size]\nmax-data = \"1 KiB\"",
            "the data is ",
        ),
        (
            "size.max-custom",
            "[size]\nmax-custom = \"1 MiB\"",
            "[size]\nmax-custom = \"100 KiB\"",
            "the custom sections are ",
        ),
        (
            "size.max-compressed",
            "[size]\nmax-compressed = \"200 KiB\"",
            "[size]\nmax-compressed = \"100 KiB\"",
            "with gzip, over the limit",
        ),
        (
            "size.max-compressed",
            // tally is about 126 KiB gzip'd and 105 KiB brotli'd.
            "[size]\nmax-compressed = \"120 KiB\"\ncompression = \"brotli\"",
            "[size]\nmax-compressed = \"120 KiB\"\ncompression = \"gzip\"",
            "with gzip, over the limit",
        ),
        (
            "features.deny",
            "[features]\ndeny = [\"threads\", \"gc\"]",
            "[features]\ndeny = [\"bulk-memory\"]",
            "uses bulk-memory (at byte offset 0x",
        ),
        (
            "imports.allow-modules",
            "[imports]\nallow-modules = [\"wasi_*\"]",
            "[imports]\nallow-modules = [\"env\"]",
            "imports from `wasi_snapshot_preview1` (",
        ),
        (
            "imports.deny",
            "[imports]\ndeny = [\"env.*\"]",
            "[imports]\ndeny = [\"*.fd_write\"]",
            "imports `wasi_snapshot_preview1.fd_write`, which matches `*.fd_write`",
        ),
        (
            "exports.require",
            "[exports]\nrequire = [\"_start\", \"mem*\"]",
            "[exports]\nrequire = [\"_initialize\"]",
            "no export matches `_initialize`",
        ),
        (
            "exports.deny",
            "[exports]\ndeny = [\"malloc\"]",
            "[exports]\ndeny = [\"__*\"]",
            "exports `__main_void`, which matches `__*`",
        ),
        (
            "custom.forbid",
            "[custom]\nforbid = [\"sourceMappingURL\"]",
            "[custom]\nforbid = [\".debug_info\"]",
            "has custom section `.debug_info` (95.2 KiB), which matches `.debug_info`",
        ),
        (
            "custom.require",
            "[custom]\nrequire = [\"producers\", \".debug_*\"]",
            "[custom]\nrequire = [\"build_id\"]",
            "no custom section matches `build_id`",
        ),
        (
            "functions.max-size",
            "[functions]\nmax-size = \"8 KiB\"",
            "[functions]\nmax-size = \"4 KiB\"",
            "dlmalloc is 5380 bytes (5.3 KiB), over the limit of 4096 bytes",
        ),
        (
            "functions.max-count",
            "[functions]\nmax-count = 500",
            "[functions]\nmax-count = 100",
            "defines 172 functions, over the limit of 100",
        ),
    ];
    for &(rule, pass, fail, says) in cases {
        let (code, v) = verdict(&dir, pass, &[]);
        assert_eq!(code, 0, "{rule} should pass:\n{pass}\n{v}");
        assert_eq!(v["passed"], true, "{v}");
        assert_eq!(v["modules"][0]["rules"], 1, "{rule}: {v}");
        let (code, v) = verdict(&dir, fail, &[]);
        assert_eq!(code, 1, "{rule} should fail:\n{fail}\n{v}");
        let violations = v["modules"][0]["violations"]
            .as_array()
            .expect("violations");
        assert!(!violations.is_empty(), "{rule}: {v}");
        for violation in violations {
            assert_eq!(violation["rule"], rule, "{v}");
            // The rule's own line: the key after the table header.
            assert_eq!(violation["policy_line"], 2, "{rule}: {v}");
        }
        assert!(
            violations
                .iter()
                .any(|x| x["message"].as_str().unwrap_or_default().contains(says)),
            "{rule}: no message says {says:?}: {v}"
        );
    }

    // Growth is measured against a baseline: itself (no growth), then a
    // smaller build.
    let growth = "[size]\nmax-growth = \"1%\"";
    let (code, v) = verdict(&dir, growth, &["--baseline", MODULE]);
    assert_eq!(
        (code, &v["modules"][0]["rules"]),
        (0, &Value::from(1)),
        "{v}"
    );
    let (code, v) = verdict(&dir, growth, &["--baseline", "debug/cdemo-dwarf4.wasm"]);
    assert_eq!(code, 1, "{v}");
    let message = v["modules"][0]["violations"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.starts_with("the module grew by "), "{v}");
    // Without a baseline the rule is said to be skipped, not passed.
    let (code, v) = verdict(&dir, growth, &[]);
    assert_eq!(
        (code, &v["modules"][0]["rules"]),
        (0, &Value::from(0)),
        "{v}"
    );
    assert_eq!(
        v["modules"][0]["skipped"][0],
        "size.max-growth: no --baseline to compare with"
    );
}

#[test]
fn every_format_has_its_golden_output() {
    for (name, format) in [
        ("text", "text"),
        ("json", "json"),
        ("github", "github"),
        ("sarif", "sarif"),
        ("markdown", "markdown"),
    ] {
        let out = run(&[
            "check",
            MODULE,
            "--policy",
            "check/strict.toml",
            "--baseline",
            "debug/cdemo-dwarf4.wasm",
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        snapshot("check", &format!("strict-{name}"), &stdout(&out));
    }
    let out = run(&[
        "check",
        MODULE,
        "components/greeter.wasm",
        "--policy",
        "check/release.toml",
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    snapshot("check", "release-markdown", &stdout(&out));
    let out = run(&["check", MODULE, "--policy", "check/release.toml"]);
    snapshot("check", "release-text", &stdout(&out));
}

#[test]
fn github_format_is_one_annotation_per_violation() {
    let json = run(&["check", MODULE, "--policy", "check/strict.toml", "--json"]);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let count = v["modules"][0]["violations"].as_array().map_or(0, Vec::len);
    let out = run(&[
        "check",
        MODULE,
        "--policy",
        "check/strict.toml",
        "--format",
        "github",
    ]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), count, "{text}");
    for line in lines {
        // `::error file=F,title=T::message`, with `:` and `,` escaped in
        // the properties.
        let rest = line.strip_prefix("::error file=debug/tally.wasm,title=wasmscope check%3A ");
        let rest = rest.unwrap_or_else(|| panic!("not an annotation: {line}"));
        assert!(rest.contains("::") && !rest.contains('\n'), "{line}");
    }
}

/// Microsoft's SARIF validator (`Sarif.Multitool validate`), from npm's
/// `@microsoft/sarif-multitool-linux`; .ci/run puts it under target/tools.
fn sarif_validator() -> PathBuf {
    crate::common::target_tool(
        "WASMSCOPE_SARIF_MULTITOOL",
        "sarif-multitool/package/Sarif.Multitool",
        "the SARIF output is checked with Microsoft's validator: `npm pack @microsoft/sarif-multitool-linux@5.7.0` and unpack it into target/tools/sarif-multitool (as `cargo xtask tools` does)",
    )
}

#[test]
fn sarif_output_passes_the_sarif_validator() {
    let validator = sarif_validator();
    let dir = scratch("sarif");
    for (name, args) in [
        (
            "violations",
            vec![
                "check",
                MODULE,
                "--policy",
                "check/strict.toml",
                "--format",
                "sarif",
            ],
        ),
        (
            "trouble",
            vec![
                "check",
                MODULE,
                "no-such.wasm",
                "--policy",
                "check/release.toml",
                "--format",
                "sarif",
            ],
        ),
        (
            "absolute",
            vec![
                "check",
                "components/greeter.wasm",
                "--policy",
                "check/release.toml",
                "--format",
                "sarif",
            ],
        ),
    ] {
        let out = run(&args);
        let log = dir.join(format!("{name}.sarif"));
        std::fs::write(&log, &out.stdout).expect("log written");
        let result = dir.join(format!("{name}.validation.sarif"));
        let checked = Command::new(&validator)
            .arg("validate")
            .arg(&log)
            .arg("--output")
            .arg(&result)
            .arg("--log")
            .arg("ForceOverwrite")
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .expect("the validator runs");
        let said = String::from_utf8_lossy(&checked.stdout);
        assert!(checked.status.success(), "{name}: {said}");
        assert!(
            said.contains("Analysis completed successfully"),
            "{name}: {said}"
        );
        // The validator's own log lists what it found: errors of the
        // schema, and warnings of its rules. Neither may be there.
        let found: Value =
            serde_json::from_slice(&std::fs::read(&result).expect("validation log")).expect("JSON");
        let results = found["runs"][0]["results"].as_array().map_or(0, Vec::len);
        assert_eq!(results, 0, "{name}: {said}");
    }
}

#[test]
fn init_writes_a_policy_the_module_passes() {
    let dir = scratch("init");
    for module in [
        MODULE,
        "components/greeter.wasm",
        "caps/wasi-p2-component.wat",
        "debug/asdemo.wasm",
    ] {
        let policy = dir.join("wasmscope.toml");
        let _ = std::fs::remove_file(&policy);
        let source = testdata().join(module);
        let out = wasmscope(["check", "--init"])
            .arg(&source)
            .dir(&dir)
            .output();
        assert!(out.status.success(), "{module}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("wrote wasmscope.toml: "),
            "{}",
            stderr(&out)
        );
        // Found by name in the directory, and passed.
        let out = wasmscope(["check"]).arg(&source).dir(&dir).output();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{module}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stdout(&out).contains(" passes wasmscope.toml ("),
            "{}",
            stdout(&out)
        );
        // A subdirectory finds it too.
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).expect("subdirectory");
        let out = wasmscope(["check"]).arg(&source).dir(&sub).output();
        assert_eq!(out.status.code(), Some(0), "{module}: {}", stderr(&out));
        // An existing policy is never replaced.
        let before = std::fs::read(&policy).expect("policy");
        let out = wasmscope(["check", "--init"])
            .arg(&source)
            .dir(&dir)
            .output();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("wasmscope.toml exists"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(&policy).expect("policy"), before);
        // `--policy -` prints the same text.
        let out = wasmscope(["check", "--init", "--policy", "-"])
            .arg(&source)
            .dir(&dir)
            .output();
        assert_eq!(out.stdout, before);
    }
}

#[test]
fn exit_statuses_say_pass_violation_or_trouble() {
    let dir = scratch("status");
    let pass = run(&["check", MODULE, "--policy", "check/release.toml", "--json"]);
    // release.toml forbids debug info, which tally has.
    assert_eq!(pass.status.code(), Some(1), "{}", stderr(&pass));
    let out = run(&[
        "check",
        "components/greeter.wasm",
        "--policy",
        "check/release.toml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // A module that cannot be read is trouble, whatever the others do.
    let out = run(&[
        "check",
        "components/greeter.wasm",
        "truncated.wasm",
        "--policy",
        "check/release.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: truncated.wasm:0x"),
        "{}",
        stderr(&out)
    );
    // No policy anywhere up from the directory.
    let out = wasmscope(["check"])
        .arg(testdata().join(MODULE))
        .dir(&dir)
        .output();
    if !dir.ancestors().any(|d| d.join("wasmscope.toml").is_file()) {
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).starts_with("error: no policy: "),
            "{}",
            stderr(&out)
        );
    }
    // Directories with -r: every module under them.
    let out = run(&[
        "check",
        "-r",
        "components",
        "--policy",
        "check/release.toml",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    fn modules_under(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .map(|p| {
                if p.is_dir() {
                    modules_under(&p)
                } else {
                    usize::from(p.extension().is_some_and(|e| e == "wasm" || e == "wat"))
                }
            })
            .sum()
    }
    let expected = modules_under(&testdata().join("components"));
    assert!(expected >= 7);
    assert_eq!(v["modules"].as_array().map_or(0, Vec::len), expected, "{v}");
    let out = run(&["check", "components", "--policy", "check/release.toml"]);
    assert_eq!(out.status.code(), Some(2), "a directory needs -r");
}

#[test]
fn bad_policies_are_refused_at_their_line_and_column() {
    for (file, first_line) in [
        (
            "check/bad-size.toml",
            "error: check/bad-size.toml:2:7: unknown size unit `parsecs`; known: B, KB, KiB, MB, MiB, GB, GiB",
        ),
        (
            "check/bad-key.toml",
            "error: check/bad-key.toml:3:1: unknown field `maximum`",
        ),
        ("check/bad-type.toml", "error: check/bad-type.toml:2:10: "),
        (
            "check/bad-feature.toml",
            "error: check/bad-feature.toml:2:9: unknown feature `warp-drive`",
        ),
    ] {
        let out = run(&["check", MODULE, "--policy", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = stderr(&out);
        assert!(err.starts_with(first_line), "{file}: {err}");
        // The line itself is shown under the message.
        assert!(err.lines().count() >= 2, "{file}: {err}");
        assert!(out.stdout.is_empty(), "{file}");
    }
    let dir = scratch("hostile");
    // Random bytes, a huge file, an empty one.
    let mut x: u32 = 7;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    std::fs::write(dir.join("noise.toml"), &noise).expect("written");
    std::fs::write(dir.join("huge.toml"), "# policy\n".repeat(300_000)).expect("written");
    std::fs::write(dir.join("empty.toml"), "").expect("written");
    for (file, code) in [("noise.toml", 2), ("huge.toml", 2), ("empty.toml", 0)] {
        let out = wasmscope(["check", "--policy"])
            .arg(dir.join(file))
            .arg(MODULE)
            .time_bound(std::time::Duration::from_secs(20))
            .memory_bound(512 << 20)
            .bounded();
        assert_eq!(out.fault(&[2]), None, "{file}");
        assert_eq!(out.code, Some(code), "{file}: {}", out.stderr);
    }
}

#[test]
fn json_matches_the_documented_schema() {
    let violation = r#"{"rule": "string", "message": "string", "measured": "string",
        "limit": "string", "policy_line": "number", "offset?": "number", "length?": "number"}"#;
    let verdict = schema(&format!(
        r#"{{"policy": "string", "passed": "bool",
            "modules": [{{"file": "string", "policy": "string", "size": "number",
              "rules": "number", "violations": [{violation}], "skipped": ["string"]}}],
            "errors": [{{"file": "string", "error": "string"}}]}}"#
    ));
    let out = run(&[
        "check",
        MODULE,
        "no-such.wasm",
        "--policy",
        "check/strict.toml",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["passed"], false);
    assert!(v["modules"][0]["violations"][0]["offset"].is_null());
    assert!(
        v["modules"][0]["violations"]
            .as_array()
            .is_some_and(|all| all
                .iter()
                .any(|x| x["offset"].is_u64() && x["length"].is_u64())),
        "{v}"
    );
    check(&verdict, &v, "check");
}
