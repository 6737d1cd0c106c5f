//! `--compressed` on `info`, `stats` and `diff`: the gzip and brotli sizes
//! of whole modules, checked against the real tools (GNU gzip, and Google's
//! brotli through Python's `brotli` module).

use std::process::Command;

use crate::common::{run, stderr, stdout, testdata};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `gzip -9 -n` on a file: its size.
fn gzip_size(path: &std::path::Path) -> u64 {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .expect("gzip runs (it is part of every Debian system)");
    assert!(out.status.success());
    out.stdout.len() as u64
}

/// Google's brotli at the tool's defaults, through Python.
fn brotli_size(path: &std::path::Path) -> u64 {
    let script = "import brotli,sys; d=open(sys.argv[1],'rb').read(); print(len(brotli.compress(d, quality=11, lgwin=22)))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Python's brotli module is the reference (`pip install Brotli`; .ci/run installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a size")
}

/// Within 1% of the reference: gzip and brotli encoders differ in details,
/// not in how much they save.
fn close(ours: u64, theirs: u64, what: &str) {
    let diff = ours.abs_diff(theirs) as f64 / theirs as f64;
    assert!(diff < 0.01, "{what}: ours {ours}, reference {theirs}");
}

#[test]
fn compressed_sizes_match_gzip_and_brotli() {
    for fixture in [
        "debug/tally.wasm",
        "components/greeter.wasm",
        "debug/asdemo.wasm",
    ] {
        let path = testdata().join(fixture);
        let info = json(&["info", fixture, "--compressed", "--json"]);
        let c = &info["compressed"];
        let (gzip, brotli) = (c["gzip"].as_u64().unwrap(), c["brotli"].as_u64().unwrap());
        close(gzip, gzip_size(&path), &format!("{fixture} gzip"));
        close(brotli, brotli_size(&path), &format!("{fixture} brotli"));
        // stats says the same.
        let stats = json(&["stats", fixture, "--compressed", "--json"]);
        assert_eq!(stats["compressed"], *c, "{fixture}");
    }
}

#[test]
fn compressed_sizes_are_shown_only_when_asked() {
    let text = stdout(&run(&["info", "debug/tally.wasm", "--compressed"]));
    let line = text.lines().nth(1).unwrap_or_default();
    assert!(
        line.starts_with("  compressed: ")
            && line.contains(" gzip (")
            && line.contains(" brotli ("),
        "{text}"
    );
    let plain = json(&["info", "debug/tally.wasm", "--json"]);
    assert!(plain.get("compressed").is_none());
    let stats = stdout(&run(&["stats", "debug/tally.wasm", "--compressed"]));
    assert!(
        stats
            .lines()
            .nth(1)
            .unwrap_or_default()
            .starts_with("compressed: "),
        "{stats}"
    );
}

#[test]
fn diff_compares_compressed_sizes() {
    let old = "components/calc-v1.wasm";
    let new = "components/calc-v2-compatible.wasm";
    let d = json(&["diff", "--stat", "--compressed", "--json", old, new]);
    for (side, file) in [("old", old), ("new", new)] {
        let info = json(&["info", file, "--compressed", "--json"]);
        assert_eq!(d["compressed"][side], info["compressed"], "{side}");
    }
    let text = stdout(&run(&["diff", "--stat", "--compressed", old, new]));
    let gzip = text
        .lines()
        .find(|l| l.starts_with("gzip: "))
        .unwrap_or_default();
    let (o, n) = (
        d["compressed"]["old"]["gzip"].as_u64().unwrap(),
        d["compressed"]["new"]["gzip"].as_u64().unwrap(),
    );
    assert_eq!(
        gzip,
        format!("gzip: {o} -> {n} bytes ({:+})", n as i64 - o as i64),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("brotli: ")), "{text}");
}
