//! `cargo xtask wasi`: wasmscope built for wasm32-wasip1 must behave as the
//! native binary does.
//!
//! It builds `wasmscope.wasm` (profile `wasi`, without the browser) and the
//! native binary (the dev profile, also without the browser, so that the
//! two have the same commands and `--help`), then runs every command line of
//! [`CASES`] both ways with `testdata/` as the working directory: natively
//! as a process, and as wasm under the wasmtime engine from PyPI through
//! `xtask/wasi-run.py`, which compiles the module once and keeps the
//! compiled code for later runs. The wasm is granted `testdata/` read-only
//! as `.`, plus one empty directory where a command writes a file; nothing
//! else, and no environment variables (the native runs get none either).
//! Standard output, standard error, the exit code and every file written
//! must be the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The cargo profile of the wasm build: the release profile without LTO and
/// with parallel code generation (Cargo.toml says why).
const PROFILE: &str = "wasi";

/// One command line, run in `testdata/`.
struct Case {
    /// The arguments; `{out}` stands for a new, empty directory that the
    /// command may write into (granted to the wasm under the same path).
    args: &'static [&'static str],
    /// A file of `testdata/` to read as standard input (empty otherwise).
    stdin: Option<&'static str>,
}

const fn case(args: &'static [&'static str]) -> Case {
    Case { args, stdin: None }
}

/// The command lines compared. `browse` and `edit` are left out: the wasm
/// build has no terminal browser, and `edit` starts an editor, which a WASI
/// program cannot.
const CASES: &[Case] = &[
    case(&["--version"]),
    case(&["caps", "--help"]),
    // print: binary and text input, options, colour, a built-in module
    case(&["print", "emscripten/app.wasm"]),
    case(&["print", "names.wat", "--offsets"]),
    case(&["print", "names.wat", "--color", "always"]),
    case(&["print", "demo.wasm", "--func", "hasher::Style::hex"]),
    case(&["print", "--demo", "--skeleton"]),
    case(&[
        "print",
        "debug/tally.wasm",
        "--func",
        "tally::checked_ratio",
        "--source",
    ]),
    Case {
        args: &["print", "-"],
        stdin: Some("components/calc-v1.wasm"),
    },
    // parse: text to binary, into a granted directory
    case(&["parse", "simd.wat", "-o", "{out}/simd.wasm"]),
    case(&["parse", "gc.wat", "-o", "{out}/gc.wasm"]),
    case(&["roundtrip", "simd.wat"]),
    // validate
    case(&["validate", "demo.wasm", "threads.wat", "exceptions.wat"]),
    case(&["validate", "invalid-type-mismatch.wasm"]),
    // summaries and listings
    case(&["info", "emscripten/app.wasm"]),
    case(&["info", "demo.wasm", "--compressed"]),
    case(&["info", "debug/cdemo-dwarf5.wasm", "--json"]),
    case(&["sections", "demo.wasm"]),
    case(&["imports", "demo.wasm"]),
    case(&[
        "imports",
        "emscripten/argon2.wasm",
        "--glue",
        "emscripten/mozjpeg_dec.js",
    ]),
    case(&["exports", "components/calc-v1.wasm"]),
    case(&["stats", "demo.wasm", "--top", "5"]),
    case(&["stats", "demo.wasm", "--ops", "--retained", "--top", "6"]),
    case(&["stats", "debug/tally.wasm", "--by", "crate", "--top", "6"]),
    case(&[
        "calls",
        "demo.wasm",
        "hasher::Style::hex",
        "--tree",
        "--depth",
        "2",
    ]),
    // caps: text, JSON, the Emscripten glue beside the module, a directory
    case(&["caps", "demo.wasm"]),
    case(&["caps", "demo.wasm", "--json"]),
    case(&["caps", "emscripten/app.wasm"]),
    case(&["caps", "components/greeter.wasm"]),
    case(&["caps", "caps", "--recursive"]),
    // components
    case(&["wit", "components/greeter.wasm"]),
    case(&["wit", "component.wat", "--json"]),
    case(&["wit", "components/greeter.wasm", "--out-dir", "{out}/wit"]),
    case(&["extract", "components/greeter.wasm", "--list"]),
    case(&[
        "extract",
        "components/greeter.wasm",
        "--module",
        "main",
        "-o",
        "{out}/main.wasm",
    ]),
    // diff
    case(&[
        "diff",
        "diff/insert-front-old.wat",
        "diff/insert-front-new.wat",
    ]),
    case(&["diff", "--stat", "demo.wasm", "diff/demo-v2.wasm"]),
    case(&["diff", "-U", "1", "demo.wasm", "diff/demo-v2.wasm"]),
    case(&[
        "diff",
        "--stat",
        "components/calc-v1.wasm",
        "components/calc-v2-breaking.wasm",
    ]),
    // editing
    case(&["strip", "emscripten/app.wasm", "-o", "{out}/small.wasm"]),
    case(&["strip", "emscripten/app.wasm", "--all", "--dry-run"]),
    case(&[
        "strip",
        "debug/tally.wasm",
        "--split-debug",
        "{out}/tally.debug.wasm",
        "-o",
        "{out}/tally.release.wasm",
    ]),
    case(&["gc", "edit/demo-nogc.wasm", "-o", "{out}/gc.wasm"]),
    // the input is never overwritten (the wasm has `testdata/` read only,
    // so only the check itself can make the same refusal)
    case(&["strip", "demo.wasm", "-o", "demo.wasm"]),
    case(&["strip", "demo.wasm", "-o", "./edit/../demo.wasm"]),
    case(&["metadata", "demo.wasm"]),
    case(&[
        "export",
        "demo.wasm",
        "--rename",
        "_start=main",
        "-o",
        "{out}/renamed.wasm",
    ]),
    // source-level debugging: DWARF and a source map, addresses and a
    // backtrace on stdin
    case(&["symbolize", "debug/tally.wasm", "0x9ee", "tally::run+0x22"]),
    case(&["symbolize", "debug/cdemo-dwarf4.wasm", "--json", "0x300"]),
    case(&["symbolize", "debug/asdemo.wasm", "0x4d"]),
    Case {
        args: &["symbolize", "debug/tally.wasm"],
        stdin: Some("debug/traces/wasmtime-tally-noname.txt"),
    },
    // check: a policy, passing and failing, and its other formats
    case(&[
        "check",
        "components/greeter.wasm",
        "--policy",
        "check/release.toml",
    ]),
    case(&["check", "debug/tally.wasm", "--policy", "check/strict.toml"]),
    case(&[
        "check",
        "debug/tally.wasm",
        "--policy",
        "check/strict.toml",
        "--format",
        "sarif",
    ]),
    case(&["check", "demo.wasm", "--policy", "check/bad-key.toml"]),
    // errors: a missing file, malformed and invalid modules, bad text, usage
    case(&["info", "no-such-module.wasm"]),
    case(&["print", "malformed-leb.wasm"]),
    case(&["sections", "truncated.wasm"]),
    case(&["validate", "bad-magic.wasm"]),
    case(&["parse", "bad-syntax.wat", "-o", "{out}/bad.wasm"]),
    case(&["print", "--no-such-option", "demo.wasm"]),
];

/// What one run did.
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: String,
}

/// Builds both, runs every case both ways and compares.
pub fn run(root: &Path) -> Result<ExitCode, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target_dir = if target_dir.is_absolute() {
        target_dir
    } else {
        root.join(target_dir)
    };
    add_target()?;
    super::run(
        Command::new(&cargo)
            .args(["build", "--quiet", "--profile", PROFILE])
            .args(["--target", "wasm32-wasip1", "--no-default-features"])
            .args(["--bin", "wasmscope"])
            .current_dir(root),
    )?;
    super::run(
        Command::new(&cargo)
            .args([
                "build",
                "--quiet",
                "--no-default-features",
                "--bin",
                "wasmscope",
            ])
            .current_dir(root),
    )?;
    let wasm = target_dir.join(format!("wasm32-wasip1/{PROFILE}/wasmscope.wasm"));
    let native = target_dir.join(format!("debug/wasmscope{}", std::env::consts::EXE_SUFFIX));
    let testdata = root.join("testdata");
    let scratch = target_dir.join("wasi-compare");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    }
    let mkdir = |dir: &Path| fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()));

    // Native runs first, each writing into its own `{out}`, which is then
    // moved aside so that the wasm finds the same path empty.
    let mut plan = String::new();
    let mut natives = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let out = scratch.join(format!("out/{i}"));
        mkdir(&out)?;
        let args = arguments(case, &out);
        let stdin = case.stdin.map(|f| testdata.join(f));
        let mut command = Command::new(&native);
        command
            .args(&args)
            .current_dir(&testdata)
            .env_clear()
            .stdin(match &stdin {
                Some(file) => fs::File::open(file)
                    .map_err(|e| format!("{}: {e}", file.display()))?
                    .into(),
                None => Stdio::null(),
            });
        let output = command
            .output()
            .map_err(|e| format!("{} could not start: {e}", native.display()))?;
        natives.push(Outcome {
            stdout: output.stdout,
            stderr: output.stderr,
            status: output
                .status
                .code()
                .map_or_else(|| output.status.to_string(), |c| c.to_string()),
        });
        let kept = scratch.join(format!("native-out/{i}"));
        mkdir(&scratch.join("native-out"))?;
        fs::rename(&out, &kept).map_err(|e| format!("{}: {e}", out.display()))?;
        mkdir(&out)?;

        let result = scratch.join(format!("wasm/{i}"));
        let grants = format!(
            "ro:{}::.,rw:{}::{}",
            testdata.display(),
            out.display(),
            out.display()
        );
        let stdin = stdin.map(|f| f.display().to_string()).unwrap_or_default();
        let _ = writeln!(
            plan,
            "{}\t{stdin}\t{grants}\t{}",
            result.display(),
            args.join("\t")
        );
    }
    let plan_file = scratch.join("plan.tsv");
    fs::write(&plan_file, plan).map_err(|e| format!("{}: {e}", plan_file.display()))?;
    super::run(
        Command::new("python3")
            .arg(root.join("xtask/wasi-run.py"))
            .arg(&wasm)
            .arg(target_dir.join("wasi-compiled"))
            .arg(&plan_file),
    )?;

    let mut differ = 0;
    for (i, (case, native)) in CASES.iter().zip(&natives).enumerate() {
        let result = scratch.join(format!("wasm/{i}"));
        let read = |name: &str| fs::read(result.join(name)).unwrap_or_default();
        let wasm = Outcome {
            stdout: read("stdout"),
            stderr: read("stderr"),
            status: String::from_utf8_lossy(&read("status")).trim().to_string(),
        };
        let mut problems = Vec::new();
        if native.status != wasm.status {
            problems.push(format!(
                "exit status: native {}, wasm {}",
                native.status, wasm.status
            ));
        }
        for (name, a, b) in [
            ("stdout", &native.stdout, &wasm.stdout),
            ("stderr", &native.stderr, &wasm.stderr),
        ] {
            if a != b {
                problems.push(format!(
                    "{name} differs:\n{}",
                    first_difference(a, b, ["native", "wasm"])
                ));
            }
        }
        let written_native = files(&scratch.join(format!("native-out/{i}")));
        let written_wasm = files(&scratch.join(format!("out/{i}")));
        if written_native != written_wasm {
            let names = |f: &[(String, Vec<u8>)]| {
                f.iter()
                    .map(|(n, b)| format!("{n} ({} bytes)", b.len()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            problems.push(format!(
                "files written differ: native [{}], wasm [{}]",
                names(&written_native),
                names(&written_wasm)
            ));
        }
        if !problems.is_empty() {
            differ += 1;
            eprintln!("wasi: `wasmscope {}` differs:", case.args.join(" "));
            for p in problems {
                eprintln!("  {}", p.replace('\n', "\n    "));
            }
        }
    }
    let readme = readme_caps(root, &native, &wasm, &scratch)?;
    for problem in &readme {
        eprintln!("wasi: README.md: {problem}");
    }
    let identical = CASES.len() - differ;
    println!(
        "wasi: {} commands, {identical} identical, {differ} differ",
        CASES.len()
    );
    Ok(if differ == 0 && readme.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The README shows `wasmscope caps wasmscope.wasm` on the release build:
/// the native binary must say the same of the module just built, where the
/// profiles cannot differ (the header, which capabilities are called and
/// the runtime command line; which imports and callers show under each
/// capability depends on how much the optimiser inlined and removed).
fn readme_caps(
    root: &Path,
    native: &Path,
    wasm: &Path,
    scratch: &Path,
) -> Result<Vec<String>, String> {
    const COMMAND: &str = "$ wasmscope caps wasmscope.wasm";
    let readme =
        fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let Some(shown) = readme.split(&format!("{COMMAND}\n")).nth(1) else {
        return Ok(vec![format!("no `{COMMAND}` example")]);
    };
    let shown: String = shown
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = scratch.join("readme");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::copy(wasm, dir.join("wasmscope.wasm")).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let output = Command::new(native)
        .args(["caps", "wasmscope.wasm"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("{} could not start: {e}", native.display()))?;
    let actual = String::from_utf8_lossy(&output.stdout);
    let (shown, actual) = (lasting(&shown), lasting(&actual));
    Ok(if shown == actual {
        Vec::new()
    } else {
        vec![format!(
            "`{COMMAND}` is no longer what it shows:\n{}",
            first_difference(shown.as_bytes(), actual.as_bytes(), ["README", "caps"])
        )]
    })
}

/// What `caps` says of wasmscope.wasm whatever the profile: the header,
/// each capability's risk and use, what they mean, and the runtime command
/// line (not the imports and callers: "where reachable code calls them").
fn lasting(caps: &str) -> String {
    let mut kept = String::new();
    let mut calls = false;
    for line in caps.lines() {
        if line.starts_with("where reachable code calls them") {
            calls = true;
        } else if line.starts_with("run it with") {
            calls = false;
        }
        if calls {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [risk @ ("high" | "medium" | "low" | "none"), cap, used, ..] => {
                let _ = writeln!(kept, "{risk} {cap} {used}");
            }
            _ => {
                let _ = writeln!(kept, "{line}");
            }
        }
    }
    kept
}

/// Adds the wasm32-wasip1 target with rustup where it is missing (without
/// rustup, cargo says what is wrong).
fn add_target() -> Result<(), String> {
    let Ok(installed) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        return Ok(());
    };
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-wasip1")
    {
        return Ok(());
    }
    eprintln!("xtask: adding the wasm32-wasip1 target");
    super::run(Command::new("rustup").args(["target", "add", "wasm32-wasip1"]))
}

/// The case's arguments with `{out}` replaced.
fn arguments(case: &Case, out: &Path) -> Vec<String> {
    let out = out.display().to_string();
    case.args.iter().map(|a| a.replace("{out}", &out)).collect()
}

/// Every file under `dir`, by path relative to it, with its bytes, sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .map_or_else(|_| path.clone(), Path::to_path_buf);
                found.push((
                    name.display().to_string(),
                    fs::read(&path).unwrap_or_default(),
                ));
            }
        }
    }
    found.sort();
    found
}

/// The first line where `a` and `b` part, with its number; `names` say
/// which is which.
fn first_difference(a: &[u8], b: &[u8], names: [&str; 2]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    let mut left = a.split_inclusive('\n');
    let mut right = b.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (left.next(), right.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "(the same text, different bytes)".to_string(),
            (x, y) => {
                let show =
                    |s: Option<&str>| s.map_or_else(|| "(end)".to_string(), |s| format!("{s:?}"));
                let [left, right] = names;
                return format!(
                    "line {line}:\n- {left}: {}\n+ {right}: {}",
                    show(x),
                    show(y)
                );
            }
        }
    }
}
