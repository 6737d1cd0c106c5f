//! Helpers shared by the tests that run the real binary.

#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)] // each test file uses a subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Runs wasmscope in testdata/ (so paths in messages are short and stable).
pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

pub fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(args)
        .current_dir(testdata())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wasmscope starts");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(bytes).expect("stdin accepts the input");
    }
    child.wait_with_output().expect("wasmscope finishes")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

pub fn snapshot(dir: &str, name: &str, content: &str) {
    insta::with_settings!({
        snapshot_path => Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(dir),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, content);
    });
}

// ---------------------------------------------------------------------------
// JSON schema: the shapes documented in the README, checked key by key.

use serde_json::Value;

/// A tiny schema: a JSON value whose leaves name the expected type
/// ("string", "number", "bool", "string?"...), objects list required keys
/// (a key ending in `?` is optional; `*` stands for any key of a map), and a
/// one-element array describes every element.
pub fn check(schema: &Value, value: &Value, path: &str) {
    match schema {
        Value::String(ty) => {
            let optional = ty.ends_with('?');
            let ty = ty.trim_end_matches('?');
            if optional && value.is_null() {
                return;
            }
            let ok = match ty {
                "string" => value.is_string(),
                "number" => value.is_number(),
                "bool" => value.is_boolean(),
                "any" => true,
                _ => panic!("bad schema type {ty}"),
            };
            assert!(ok, "{path}: expected {ty}, got {value}");
        }
        Value::Object(fields) => {
            let obj = value
                .as_object()
                .unwrap_or_else(|| panic!("{path}: expected an object, got {value}"));
            // `{"*": T}` is a map: any key, every value of type T.
            if let Some(each) = fields.get("*") {
                for (key, v) in obj {
                    check(each, v, &format!("{path}.{key}"));
                }
                return;
            }
            for (key, sub) in fields {
                let (key, optional) = match key.strip_suffix('?') {
                    Some(k) => (k, true),
                    None => (key.as_str(), false),
                };
                match obj.get(key) {
                    Some(v) => check(sub, v, &format!("{path}.{key}")),
                    None => assert!(optional, "{path}: missing key `{key}`"),
                }
            }
            for key in obj.keys() {
                assert!(
                    fields.contains_key(key) || fields.contains_key(&format!("{key}?")),
                    "{path}: undocumented key `{key}`"
                );
            }
        }
        Value::Array(items) => {
            let arr = value
                .as_array()
                .unwrap_or_else(|| panic!("{path}: expected an array, got {value}"));
            if let Some(item) = items.first() {
                for (i, v) in arr.iter().enumerate() {
                    check(item, v, &format!("{path}[{i}]"));
                }
            }
        }
        _ => panic!("bad schema at {path}"),
    }
}

pub fn schema(text: &str) -> Value {
    serde_json::from_str(text).expect("schema is JSON")
}

// ---------------------------------------------------------------------------
// Bounded runs: for inputs that must end cleanly whatever they hold.

/// How long one run may take before it counts as a hang.
pub const TIME_BOUND: std::time::Duration = std::time::Duration::from_secs(20);
/// How much address space one run may use (1 GiB): an allocation sized from
/// a count the input only claims would go past it and abort.
pub const MEMORY_BOUND: u64 = 1 << 30;

/// Puts the memory bound on this test process, so every run it starts
/// inherits it. The test process itself needs far less.
#[cfg(unix)]
pub fn bound_memory() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let old = getrlimit(Resource::As);
        let limit = Rlimit {
            current: Some(MEMORY_BOUND.min(old.current.unwrap_or(u64::MAX))),
            maximum: old.maximum,
        };
        setrlimit(Resource::As, limit).expect("sets the address space limit");
    });
}

#[cfg(not(unix))]
pub fn bound_memory() {}

/// How a bounded run ended.
pub struct Bounded {
    /// The exit code; `None` if a signal ended it.
    pub code: Option<i32>,
    pub stderr: String,
    pub elapsed: std::time::Duration,
    /// Killed after [`TIME_BOUND`].
    pub timed_out: bool,
}

impl Bounded {
    /// What is wrong with this run for a command that must end with exit
    /// code 0 or 1 (`allowed` lists any other accepted code), a one-line
    /// message starting "error: " when it fails, and no panic. `None` if
    /// nothing is.
    pub fn fault(&self, allowed: &[i32]) -> Option<String> {
        if self.timed_out {
            return Some(format!("still running after {TIME_BOUND:?}"));
        }
        let Some(code) = self.code else {
            return Some(format!("ended by a signal; stderr: {}", self.stderr));
        };
        if self.stderr.contains("panicked") || self.stderr.contains("RUST_BACKTRACE") {
            return Some(format!("panicked: {}", self.stderr));
        }
        if !(code == 0 || code == 1 || allowed.contains(&code)) {
            return Some(format!("exit code {code}; stderr: {}", self.stderr));
        }
        let lines: Vec<&str> = self.stderr.lines().collect();
        if code != 0 && !lines.is_empty() && !lines[0].starts_with("error: ") {
            return Some(format!("message not an error line: {}", self.stderr));
        }
        None
    }
}

/// Runs wasmscope with `args` in `dir`, stdout discarded, under the time
/// bound (and the memory bound, once [`bound_memory`] has been called).
pub fn run_bounded(dir: &Path, args: &[&std::ffi::OsStr]) -> Bounded {
    use std::io::Read;
    use wait_timeout::ChildExt;
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasmscope"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wasmscope starts");
    // Read on a thread: a full pipe must not stall the run.
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = pipe.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let (status, timed_out) = match child.wait_timeout(TIME_BOUND).expect("waits") {
        Some(status) => (status, false),
        None => {
            let _ = child.kill();
            (child.wait().expect("reaps"), true)
        }
    };
    Bounded {
        code: status.code(),
        stderr: reader.join().unwrap_or_default(),
        elapsed: started.elapsed(),
        timed_out,
    }
}

/// Every command that reads a module without writing one, with the option
/// sets worth running on an input that may be anything: one argument list
/// each. `other` is a second module for `diff`. The editing commands run
/// with `--dry-run`, which reads and edits but writes nothing.
pub fn read_only_commands(file: &str, other: &str) -> Vec<Vec<String>> {
    let lists: &[&[&str]] = &[
        &["info", file],
        &["info", "--json", file],
        &["sections", "--json", file],
        &["imports", file],
        &["exports", "--json", file],
        &["stats", file],
        &["stats", "--ops", "--retained", "--garbage", "--json", file],
        &["caps", file],
        &["caps", "--json", "--strict", file],
        &["calls", "--tree", file, "0"],
        &["validate", file],
        &["print", file],
        &["print", "--fold", "--offsets", "--name-unnamed", file],
        &["print", "--skeleton", "--func", "0", file],
        &["parse", file, "-o", "/dev/null"],
        &["roundtrip", file],
        &["diff", other, file],
        &["diff", "--json", "--stat", file, other],
        &["strip", "--dry-run", "--all", "--names", file],
        &["gc", "--dry-run", file],
        &["export", "--list", file],
        &["custom", "--list", file],
        &["metadata", file],
    ];
    lists
        .iter()
        .map(|args| args.iter().map(|a| a.to_string()).collect())
        .collect()
}

/// Exit codes a read-only command may end with besides 0 and 1: `diff`
/// reports trouble reading either side with 2.
pub fn extra_codes(args: &[String]) -> &'static [i32] {
    if args.first().is_some_and(|c| c == "diff") {
        &[2]
    } else {
        &[]
    }
}
