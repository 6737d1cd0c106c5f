//! What every module of the integration tests shares: the one way to run
//! the binary ([`run`]), golden files, the shape of JSON output ([`schema`])
//! and the runs on inputs that may be anything ([`hostile`]).

pub mod hostile;
pub mod run;
pub mod schema;

use std::path::{Path, PathBuf};
use std::process::Output;

pub use hostile::{Bounded, extra_codes, needs_component, read_only_commands, run_bounded};
pub use run::{BIN, Run, run, wasmscope};
pub use schema::{check, schema};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// A reference tool that `cargo xtask tools` puts under target/tools
/// (`path`, relative to it), or where the environment variable `env` says.
/// Fails with `how` when it is in neither place.
pub fn target_tool(env: &str, path: &str, how: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    let default = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/tools")
        .join(path);
    assert!(default.is_file(), "{how}, or set {env}");
    default
}

/// Every file under testdata/ that is a fixture: not the sources or build
/// output of the modules built from source (the demo's crate, and under
/// debug/ and components/ the crates' `target/`, npm's `node_modules/` and
/// the sources), sorted.
pub fn testdata_files() -> Vec<PathBuf> {
    const NOT_FIXTURES: &[&str] = &[
        "demo",
        "target",
        "node_modules",
        "tally",
        "cdemo",
        "asdemo",
        "assemble",
        "calc",
        "greeter",
    ];
    let mut out = Vec::new();
    let mut dirs = vec![testdata()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_dir() {
                out.push(path);
            } else if !path
                .file_name()
                .is_some_and(|n| NOT_FIXTURES.iter().any(|x| n == *x))
            {
                dirs.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A directory of its own for one test's files (`area/name` under the
/// target's temporary directory), empty.
pub fn scratch(area: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(area).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Compares `content` with the golden file snapshots/<dir>/<name>.snap.
pub fn snapshot(dir: &str, name: &str, content: &str) {
    insta::with_settings!({
        snapshot_path => Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(dir),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, content);
    });
}
