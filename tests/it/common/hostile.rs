//! Runs on inputs that may be anything (hostile modules, mutants, fuzz
//! finds): every read-only command, each under a time and a memory bound,
//! must end cleanly.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use super::run::wasmscope;

/// How long one run may take before it counts as a hang.
pub const TIME_BOUND: Duration = Duration::from_secs(20);
/// How much address space one run may use (1 GiB): an allocation sized from
/// a count the input only claims would go past it and abort.
pub const MEMORY_BOUND: u64 = 1 << 30;

/// How a bounded run ended.
pub struct Bounded {
    /// The exit code; `None` if a signal ended it.
    pub code: Option<i32>,
    pub stderr: String,
    pub elapsed: Duration,
    /// Killed by its time bound.
    pub timed_out: bool,
}

impl Bounded {
    /// What is wrong with this run for a command that must end with exit
    /// code 0 or 1 (`allowed` lists any other accepted code), a one-line
    /// message starting "error: " when it fails, and no panic. `None` if
    /// nothing is.
    pub fn fault(&self, allowed: &[i32]) -> Option<String> {
        if self.timed_out {
            return Some(format!("still running after {:?}", self.elapsed));
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

/// Runs wasmscope with `args` in `dir` as every run on an input that may
/// be anything goes: stdout discarded, under the time and memory bounds.
pub fn run_bounded<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Bounded {
    wasmscope(args)
        .dir(dir)
        .discard_stdout()
        .time_bound(TIME_BOUND)
        .memory_bound(MEMORY_BOUND)
        .bounded()
}

/// Every command that reads a module without writing one, with the option
/// sets worth running on an input that may be anything: one argument list
/// each. `other` is a second module for `diff`. The editing commands run
/// with `--dry-run`, which reads and edits but writes nothing.
pub fn read_only_commands(file: &str, other: &str) -> Vec<Vec<String>> {
    let policy = |name: &str| {
        super::testdata()
            .join("check")
            .join(name)
            .to_string_lossy()
            .into_owned()
    };
    // A policy most modules pass, so that a mutant can get past it.
    let release = policy("release.toml");
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
        &["symbolize", file],
        &["print", "--source", "--offsets", file],
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
        &["wit", file],
        &["wit", "--json", file],
        &["extract", "--list", file],
        &["extract", "--module", "0", "-o", "/dev/null", file],
        &["check", "--policy", &release, "--baseline", other, file],
        &["check", "--format", "sarif", "--policy", &release, file],
    ];
    lists
        .iter()
        .map(|args| args.iter().map(|a| a.to_string()).collect())
        .collect()
}

/// Whether a command reads only components (or WIT): on a plain core
/// module it refuses, with exit status 1.
pub fn needs_component(args: &[String]) -> bool {
    args.first().is_some_and(|c| c == "wit" || c == "extract")
}

/// Exit codes a read-only command may end with besides 0 and 1: `diff`
/// and `check` report trouble reading an input with 2.
pub fn extra_codes(args: &[String]) -> &'static [i32] {
    if args.first().is_some_and(|c| c == "diff" || c == "check") {
        &[2]
    } else {
        &[]
    }
}
