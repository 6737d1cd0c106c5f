//! The programs in `examples/` run as the README shows, and say what the
//! command line says about the same module.
//!
//! `cargo test` builds the examples beside the binary, in the `examples`
//! folder next to it; a run of this binary alone (`cargo test --test it`)
//! builds the one it needs first, with the same profile.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{BIN, run, stdout, testdata};

fn example(name: &str) -> PathBuf {
    let dir = PathBuf::from(BIN)
        .parent()
        .expect("the binary is in a folder")
        .join("examples");
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn build_example(name: &str) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    let profile = PathBuf::from(BIN);
    if profile.parent().and_then(|p| p.file_name()) == Some("release".as_ref()) {
        build.arg("--release");
    }
    let status = build.status().expect("cargo starts");
    assert!(status.success(), "cargo build --example {name}");
}

fn run_example(name: &str, args: &[&str]) -> std::process::Output {
    let path = example(name);
    if !path.exists() {
        build_example(name);
    }
    assert!(path.exists(), "{} is built", path.display());
    Command::new(path)
        .args(args)
        .current_dir(testdata())
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the example starts")
}

#[test]
fn audit_example_lists_what_caps_says_the_demo_needs() {
    let out = run_example("audit", &[]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("demo.wasm needs:\n"), "{text}");
    let listed: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.trim().split(' ').next())
        .collect();

    let caps = run(&["caps", "--demo", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&caps.stdout).expect("caps prints JSON");
    let needed: Vec<&str> = json["capabilities"]
        .as_array()
        .expect("a list of capabilities")
        .iter()
        // What the audit counts as needed: reachable, and not `neutral`
        // (imports that grant nothing).
        .filter(|c| c["reachable"] == true && c["name"] != "neutral")
        .map(|c| c["name"].as_str().expect("a name"))
        .collect();
    assert!(!needed.is_empty());
    assert_eq!(listed, needed);
}

#[test]
fn print_function_example_prints_what_print_func_prints() {
    let out = run_example("print_function", &["--demo", "hasher::Style::hex"]);
    assert!(out.status.success());
    let cli = run(&["print", "--demo", "--func", "hasher::Style::hex"]);
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(stdout(&out), stdout(&cli));
}

#[test]
fn print_function_example_names_a_missing_function() {
    let out = run_example("print_function", &["--demo", "no_such_function"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no function named `no_such_function`"),
        "{err}"
    );
}
