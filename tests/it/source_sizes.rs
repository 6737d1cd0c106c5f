//! `stats --by`: code bytes by source file, directory, crate and compile
//! unit add up to the code section, agree with each other, and draw.

use serde_json::Value;

use crate::common::{snapshot, stdout, wasmscope};

const FIXTURES: &[&str] = &[
    "debug/tally.wasm",
    "debug/cdemo-dwarf4.wasm",
    "debug/cdemo-dwarf5.wasm",
    "debug/asdemo.wasm",
];

fn json(args: &[&str]) -> Value {
    let out = wasmscope(args).output();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sum(groups: &Value) -> u64 {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["bytes"].as_u64().unwrap())
        .sum()
}

#[test]
fn groups_and_unattributed_add_up_to_the_code_section() {
    for fixture in FIXTURES {
        let sections = json(&["sections", fixture, "--json"]);
        let code = sections["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "code")
            .map(|s| s["size"].as_u64().unwrap())
            .unwrap();
        let mut attributed = None;
        for by in ["file", "dir", "crate", "unit"] {
            for inlined in ["callee", "caller"] {
                let r = json(&["stats", fixture, "--by", by, "--inlined", inlined, "--json"]);
                assert_eq!(r["code_bytes"].as_u64(), Some(code), "{fixture} {by}");
                let groups = sum(&r["groups"]);
                assert_eq!(groups, r["attributed"].as_u64().unwrap(), "{fixture} {by}");
                assert_eq!(
                    groups + r["unattributed"].as_u64().unwrap(),
                    code,
                    "{fixture} {by} {inlined}"
                );
                // Each grouping shares out the same attributed bytes.
                match attributed {
                    None => attributed = Some(groups),
                    Some(a) => assert_eq!(a, groups, "{fixture} {by} {inlined}"),
                }
            }
        }
        assert!(
            attributed.unwrap() > code / 2,
            "{fixture}: most code has lines"
        );
    }
}

#[test]
fn rust_crates_are_named_and_c_is_grouped_by_directory() {
    let r = json(&["stats", "debug/tally.wasm", "--by", "crate", "--json"]);
    let names: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    for expected in ["tally", "core", "std", "alloc"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    // wasi-libc is C: its directories, named as wasi-sdk wrote them.
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("wasisdk://") && n.ends_with("dlmalloc/src")),
        "{names:?}"
    );
    let c = json(&[
        "stats",
        "debug/cdemo-dwarf4.wasm",
        "--by",
        "crate",
        "--json",
    ]);
    assert!(
        c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "/build/cdemo"),
        "{c}"
    );
}

#[test]
fn inlined_code_moves_to_the_caller_when_asked() {
    // stats.h's inline function is written in the header and inlined into
    // stats.c: by the callee it counts for the header, by the caller for
    // stats.c (only code the header compiled on its own stays there).
    let bytes_of = |inlined: &str, file: &str| {
        let r = json(&[
            "stats",
            "debug/cdemo-dwarf4.wasm",
            "--by",
            "file",
            "--inlined",
            inlined,
            "--json",
        ]);
        r["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == file)
            .map_or(0, |g| g["bytes"].as_u64().unwrap())
    };
    let header = "/build/cdemo/stats.h";
    let caller = "/build/cdemo/stats.c";
    assert!(bytes_of("callee", header) > 10 * bytes_of("caller", header));
    assert!(bytes_of("caller", caller) > bytes_of("callee", caller));
}

#[test]
fn folded_stacks_and_the_flame_graph_cover_the_code() {
    let out = wasmscope([
        "stats",
        "debug/tally.wasm",
        "--by",
        "crate",
        "--format",
        "folded",
    ])
    .output();
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let total: u64 = text
        .lines()
        .map(|l| l.rsplit_once(' ').unwrap().1.parse::<u64>().unwrap())
        .sum();
    let r = json(&["stats", "debug/tally.wasm", "--by", "crate", "--json"]);
    assert_eq!(Some(total), r["code_bytes"].as_u64());
    assert!(
        text.lines()
            .any(|l| l.starts_with("tally;tally::checked_ratio ")),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("size.svg");
    let out = wasmscope(["stats", "debug/tally.wasm", "--by", "file", "--svg"])
        .arg(&svg)
        .output();
    assert!(out.status.success(), "{out:?}");
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.starts_with("<?xml") && drawn.trim_end().ends_with("</svg>"));
    assert!(drawn.contains("main.rs"), "the file names are drawn");
}

#[test]
fn without_line_tables_by_source_is_an_error() {
    let out = wasmscope(["stats", "--demo", "--by", "file"]).output();
    assert_eq!(out.status.code(), Some(1));
    let err = crate::common::stderr(&out);
    assert!(err.contains("no DWARF line table or source map"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn text_report_by_file() {
    let out = wasmscope([
        "stats",
        "debug/cdemo-dwarf4.wasm",
        "--by",
        "file",
        "--top",
        "8",
    ])
    .output();
    assert!(out.status.success(), "{out:?}");
    snapshot("inspect", "stats-by-file-cdemo-dwarf4", &stdout(&out));
}
