//! `symbolize` (alias `addr2line`) as a user runs it, on the debug fixtures
//! in testdata/debug/ (see its README.md): every DWARF fixture checked
//! against llvm-symbolizer address by address; the marked source lines
//! (`// @trap`...) found from the committed traces; a trap of tally and
//! cdemo caught under the wasmtime engine and piped through; the committed
//! Node and name-less traces; the layouts of other runtimes; golden output;
//! hostile DWARF, source maps, companion files and backtraces; and a debug
//! file found next to a stripped module by its `build_id`.
//!
//! Needs `llvm-symbolizer` (Debian: `apt-get install llvm`) and the
//! `wasmtime` Python package (`pip install wasmtime`), as CI installs them.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use regex::Regex;
use serde_json::Value;
use wasmscope::symbolize::{Address, TraceFormat, parse_frame};

use crate::common::hostile::{MEMORY_BOUND, TIME_BOUND};
use crate::common::{Bounded, Run, snapshot, stderr, stdout, testdata, wasmscope};

// ---------------------------------------------------------------------------
// The fixtures

fn debug_dir() -> PathBuf {
    testdata().join("debug")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(debug_dir().join(name)).unwrap()
}

/// A committed trace, as the runtime printed it.
fn trace(name: &str) -> String {
    std::fs::read_to_string(debug_dir().join("traces").join(name)).unwrap()
}

/// The line (from 1) of `source` (under testdata/debug/) that ends with the
/// comment marker `@marker`: `// @trap` or `/* @trap */`. There must be
/// exactly one.
fn marked_line(source: &str, marker: &str) -> u32 {
    let text = std::fs::read_to_string(debug_dir().join(source)).unwrap();
    let (slashes, block) = (format!("// @{marker}"), format!("/* @{marker} */"));
    let lines: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with(&slashes) || l.trim_end().ends_with(&block))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{source}: @{marker} on lines {lines:?}");
    lines[0]
}

/// Where a module's code is: the start of the code section's contents (what
/// DWARF and llvm-symbolizer count from) and each function body (after its
/// size), as module offsets. Read with wasmparser, not with wasmscope.
struct Layout {
    code_start: usize,
    bodies: Vec<Range<usize>>,
}

fn layout(bytes: &[u8]) -> Layout {
    let mut code_start = None;
    let mut bodies = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.unwrap() {
            wasmparser::Payload::CodeSectionStart {
                unchecked_range, ..
            } => code_start = Some(unchecked_range.start as usize),
            wasmparser::Payload::CodeSectionEntry(body) => {
                let r = body.range();
                bodies.push(r.start as usize..r.end as usize);
            }
            _ => {}
        }
    }
    Layout {
        code_start: code_start.expect("a code section"),
        bodies,
    }
}

/// `symbolize --json` with `args` in testdata/debug/; it must succeed.
fn symbolize_json(args: &[&str]) -> Value {
    symbolize_json_in(&debug_dir(), args, None)
}

fn symbolize_json_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Value {
    let mut run = wasmscope(["symbolize", "--json"]).args(args).dir(dir);
    if let Some(text) = stdin {
        run = run.stdin(text);
    }
    let out = run.output();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// One source frame as our JSON or llvm-symbolizer gives it.
#[derive(Debug, Clone, PartialEq)]
struct Src {
    function: Option<String>,
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
}

/// The frames of one resolved place in our JSON, innermost first.
fn ours(place: &Value) -> Vec<Src> {
    place["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Src {
            function: f["function"].as_str().map(str::to_string),
            file: f["file"].as_str().map(str::to_string),
            line: f["line"].as_u64(),
            column: f["column"].as_u64(),
        })
        .collect()
}

/// Whether a frame is at `line` of a file whose name ends with `file`.
fn at(frame: &Src, file: &str, line: u32) -> bool {
    frame.file.as_deref().is_some_and(|f| f.ends_with(file)) && frame.line == Some(line.into())
}

// ---------------------------------------------------------------------------
// 1. Against llvm-symbolizer

/// llvm-symbolizer's frames for code-section-relative addresses, innermost
/// first: one process, the addresses on stdin, `--inlines`, JSON output.
///
/// Normalised to what the same DWARF means to us:
/// - empty names and files (LLVM's `??`) are absent, and a frame with
///   neither (an address no unit covers) is dropped, as we drop it;
/// - line 0 is no line: the compiler's mark for code of no line;
/// - a column is kept only with a line: LLVM keeps the column of a line-0
///   row (`malloc.c:0:37`), which places nothing;
/// - file names go through [`wasmscope::debuginfo::tidy`]: LLVM joins
///   wasi-sdk's `wasisdk://...` names onto the compile dir as it joins
///   relative ones (wasmtime prints `wasisdk://.../build/...wasisdk://...`,
///   see traces/wasmtime-tally-details.txt), where we keep the name the unit
///   wrote, and keeps the `.` parts joining leaves (`/build/cdemo/./stats.h`),
///   which we drop. LLVM 14 does not join `wasisdk://` names for these
///   fixtures; newer ones may.
fn llvm_symbolizer(module: &Path, code_addresses: &[usize]) -> Vec<Vec<Src>> {
    let mut child = Command::new("llvm-symbolizer")
        .arg(format!("--obj={}", module.display()))
        .args(["--inlines", "--output-style=JSON"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "llvm-symbolizer cannot be run ({e}): these tests compare with it; \
                 install it (Debian: `apt-get install llvm`)"
            )
        });
    let input: String = code_addresses
        .iter()
        .map(|a| format!("0x{a:x}\n"))
        .collect();
    let mut pipe = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(out.status.success(), "llvm-symbolizer: {}", stderr(&out));
    let answers: Vec<Vec<Src>> = stdout(&out)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("llvm-symbolizer JSON");
            let text = |f: &Value| f.as_str().filter(|s| !s.is_empty()).map(str::to_string);
            let number = |f: &Value| f.as_u64().filter(|n| *n > 0);
            v["Symbol"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let line = number(&s["Line"]);
                    Src {
                        function: text(&s["FunctionName"]),
                        file: text(&s["FileName"]).map(|f| wasmscope::debuginfo::tidy(&f)),
                        line,
                        column: line.and(number(&s["Column"])),
                    }
                })
                .filter(|s| s.function.is_some() || s.file.is_some())
                .collect()
        })
        .collect();
    assert_eq!(answers.len(), code_addresses.len(), "one answer an address");
    answers
}

/// Whether our outer frame's function is LLVM's. Ours may be longer: the
/// outer frame takes the name section's name when it is the same function
/// with its path spelled out (`tally::checked_ratio` for DWARF's
/// `checked_ratio`); that name is the demangled symbol, which for Rust's
/// legacy mangling has no generic arguments where DWARF's name has them
/// (`std::sys::backtrace::__rust_begin_short_backtrace` for
/// `__rust_begin_short_backtrace<fn(), ()>`). Where LLVM finds no name
/// (DWARF without one), any of ours will do.
fn same_function(ours: Option<&str>, theirs: Option<&str>) -> bool {
    let Some(theirs) = theirs else { return true };
    let Some(ours) = ours else { return false };
    let bare = |s: &str| s.split('<').next().unwrap_or(s).to_string();
    ours == theirs
        || ours.ends_with(&format!("::{theirs}"))
        || (!bare(theirs).is_empty()
            && (bare(ours) == bare(theirs) || bare(ours).ends_with(&format!("::{}", bare(theirs)))))
}

/// About this many addresses a fixture: every k-th byte of every body, and
/// each body's first and last byte.
const ADDRESSES: usize = 400;

/// Resolves addresses spread over every defined function's body with
/// `symbolize --json --code-section-relative` (one run) and with
/// llvm-symbolizer (one process) and compares them frame by frame. Returns
/// how many addresses were compared, and how many of them had DWARF.
fn compare_with_llvm(name: &str) -> (usize, usize) {
    let path = debug_dir().join(name);
    let layout = layout(&fixture(name));
    let code: usize = layout.bodies.iter().map(|b| b.len()).sum();
    let step = (code / ADDRESSES).max(1);
    let mut addresses = Vec::new();
    for body in &layout.bodies {
        let mut picked: Vec<usize> = body.clone().step_by(step).collect();
        picked.push(body.end - 1);
        picked.dedup();
        addresses.extend(picked.into_iter().map(|a| a - layout.code_start));
    }
    let args: Vec<String> = addresses.iter().map(|a| format!("0x{a:x}")).collect();
    let mut all = vec!["--code-section-relative", name];
    all.extend(args.iter().map(String::as_str));
    let json = symbolize_json(&all);
    let places = json["addresses"].as_array().unwrap();
    assert_eq!(places.len(), addresses.len());
    let theirs = llvm_symbolizer(&path, &addresses);

    let mut differences = Vec::new();
    let mut with_dwarf = 0;
    for ((address, place), theirs) in addresses.iter().zip(places).zip(&theirs) {
        let ours = ours(place);
        let origin = place["origin"].as_str().unwrap();
        if theirs.is_empty() {
            // No DWARF covers it: ours must not claim DWARF either, and
            // still name the function from the name section or an export.
            if origin == "dwarf" || ours.len() != 1 || ours[0].file.is_some() {
                differences.push(format!(
                    "0x{address:x}: llvm-symbolizer finds nothing, we say {origin} {ours:?}"
                ));
            }
            continue;
        }
        with_dwarf += 1;
        let outer = theirs.len() - 1;
        let agree = origin == "dwarf"
            && ours.len() == theirs.len()
            && ours.iter().zip(theirs).enumerate().all(|(i, (o, t))| {
                let function = if i == outer {
                    same_function(o.function.as_deref(), t.function.as_deref())
                } else {
                    o.function == t.function
                };
                function && o.file == t.file && o.line == t.line && o.column == t.column
            });
        if !agree {
            differences.push(format!(
                "0x{address:x} ({origin}):\n  ours   {ours:?}\n  theirs {theirs:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{name}: {} of {} addresses differ from llvm-symbolizer:\n{}",
        differences.len(),
        addresses.len(),
        differences.join("\n")
    );
    eprintln!(
        "{name}: {} addresses compared with llvm-symbolizer, {with_dwarf} of them in DWARF",
        addresses.len()
    );
    (addresses.len(), with_dwarf)
}

#[test]
fn tally_agrees_with_llvm_symbolizer_on_every_function() {
    let (compared, with_dwarf) = compare_with_llvm("tally.wasm");
    assert!(
        compared >= 300 && with_dwarf >= 300,
        "{compared} {with_dwarf}"
    );
}

#[test]
fn cdemo_dwarf4_agrees_with_llvm_symbolizer_on_every_function() {
    let (compared, with_dwarf) = compare_with_llvm("cdemo-dwarf4.wasm");
    assert!(
        compared >= 300 && with_dwarf >= 300,
        "{compared} {with_dwarf}"
    );
}

#[test]
fn cdemo_dwarf5_mixed_with_dwarf4_agrees_with_llvm_symbolizer() {
    let (compared, with_dwarf) = compare_with_llvm("cdemo-dwarf5.wasm");
    assert!(
        compared >= 300 && with_dwarf >= 300,
        "{compared} {with_dwarf}"
    );
}

// ---------------------------------------------------------------------------
// 2. Marked lines

/// The module offset of the frame in `trace` whose line contains `needle`.
fn trace_address(trace: &str, needle: &str) -> String {
    let frames: Vec<u64> = trace
        .lines()
        .filter(|l| l.contains(needle))
        .filter_map(parse_frame)
        .map(|f| match f.address {
            Address::Module(a) => a,
            other => panic!("{needle}: {other:?}"),
        })
        .collect();
    assert_eq!(frames.len(), 1, "{needle} in {trace}");
    format!("0x{:x}", frames[0])
}

/// Every place of a function's body (`FUNC+0xOFF` for each byte), to find
/// the code of an inlined call no trace stops in.
fn whole_body(module: &str, function: u64) -> Vec<Vec<Src>> {
    let layout = layout(&fixture(module));
    let body = &layout.bodies[function as usize - imported(module)];
    let args: Vec<String> = (0..body.len())
        .map(|o| format!("{function}+0x{o:x}"))
        .collect();
    let mut all = vec![module];
    all.extend(args.iter().map(String::as_str));
    let json = symbolize_json(&all);
    json["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(ours)
        .collect()
}

/// How many functions a module imports (function indices count them first).
fn imported(module: &str) -> usize {
    let bytes = fixture(module);
    let mut count = 0;
    for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
        if let wasmparser::Payload::ImportSection(imports) = payload.unwrap() {
            for import in imports.into_imports() {
                if matches!(import.unwrap().ty, wasmparser::TypeRef::Func(_)) {
                    count += 1;
                }
            }
        }
    }
    count
}

#[test]
fn tally_trap_inline_and_calls_resolve_to_their_marked_lines() {
    let main = "tally/src/main.rs";
    let line = |m| marked_line(main, m);
    let text = trace("wasmtime-tally.txt");
    let addresses: Vec<String> = ["checked_ratio", "ratios", "run", "main"]
        .iter()
        .map(|f| trace_address(&text, &format!("!tally::{f}::h")))
        .collect();
    let mut args = vec!["tally.wasm"];
    args.extend(addresses.iter().map(String::as_str));
    let json = symbolize_json(&args);
    let places = json["addresses"].as_array().unwrap();
    for place in places {
        assert_eq!(place["origin"], "dwarf", "{place}");
    }

    // The panic in the always-inlined `nonzero`, innermost first, inside
    // `checked_ratio` at its call.
    let trap = ours(&places[0]);
    assert_eq!(trap.len(), 2, "{trap:?}");
    assert_eq!(trap[0].function.as_deref(), Some("nonzero"));
    assert!(at(&trap[0], main, line("trap")), "{trap:?}");
    assert_eq!(places[0]["frames"][0]["inlined"], true);
    assert_eq!(trap[1].function.as_deref(), Some("tally::checked_ratio"));
    assert!(at(&trap[1], main, line("call-nonzero")), "{trap:?}");
    assert_eq!(places[0]["frames"][1]["inlined"], false);

    for (place, (function, marker)) in places[1..].iter().zip([
        ("tally::ratios", "call"),
        ("tally::run", "call-run"),
        ("tally::main", "call-main"),
    ]) {
        let frames = ours(place);
        assert_eq!(frames.len(), 1, "{frames:?}");
        assert_eq!(frames[0].function.as_deref(), Some(function));
        assert!(at(&frames[0], main, line(marker)), "{marker}: {frames:?}");
    }

    // `hundredths` is inlined where no trace stops: some byte of
    // `checked_ratio` is its body's line, called from its call's line.
    let checked_ratio = places[0]["function_index"].as_u64().unwrap();
    let inlined = whole_body("tally.wasm", checked_ratio)
        .into_iter()
        .any(|frames| {
            frames.windows(2).any(|pair| {
                pair[0].function.as_deref() == Some("hundredths")
                    && at(&pair[0], main, line("inline"))
                    && pair[1].function.as_deref() == Some("tally::checked_ratio")
                    && at(&pair[1], main, line("call-hundredths"))
            })
        });
    assert!(
        inlined,
        "no byte of checked_ratio is the inlined hundredths"
    );
}

#[test]
fn cdemo_trap_inline_and_call_resolve_to_their_marked_lines_in_dwarf_4_and_5() {
    let trap_line = marked_line("cdemo/stats.h", "trap");
    let inline_line = marked_line("cdemo/stats.h", "inline");
    let call_percent = marked_line("cdemo/stats.c", "call-percent");
    let call_clamp = marked_line("cdemo/stats.c", "call-clamp");
    let call = marked_line("cdemo/main.c", "call");
    for module in ["cdemo-dwarf4.wasm", "cdemo-dwarf5.wasm"] {
        let stem = module.trim_end_matches(".wasm");
        let text = trace(&format!("wasmtime-{stem}.txt"));
        let trap_at = trace_address(&text, "!mean_percent");
        let main_at = trace_address(&text, "!main");
        let json = symbolize_json(&[module, &trap_at, &main_at]);
        let places = json["addresses"].as_array().unwrap();

        // Division by zero in the inlined `percent`, inside `mean_percent`.
        let trap = ours(&places[0]);
        assert_eq!(trap.len(), 2, "{module}: {trap:?}");
        assert_eq!(trap[0].function.as_deref(), Some("percent"));
        assert!(at(&trap[0], "/stats.h", trap_line), "{module}: {trap:?}");
        assert_eq!(trap[1].function.as_deref(), Some("mean_percent"));
        assert!(at(&trap[1], "/stats.c", call_percent), "{module}: {trap:?}");

        // `main`'s call (DWARF names wasi-libc's renamed `main`).
        let caller = ours(&places[1]);
        assert_eq!(caller.len(), 1, "{module}: {caller:?}");
        assert!(at(&caller[0], "/main.c", call), "{module}: {caller:?}");

        let mean_percent = places[0]["function_index"].as_u64().unwrap();
        let inlined = whole_body(module, mean_percent).into_iter().any(|frames| {
            frames.windows(2).any(|pair| {
                pair[0].function.as_deref() == Some("clamp_add")
                    && at(&pair[0], "/stats.h", inline_line)
                    && pair[1].function.as_deref() == Some("mean_percent")
                    && at(&pair[1], "/stats.c", call_clamp)
            })
        });
        assert!(
            inlined,
            "{module}: no byte of mean_percent is the inlined clamp_add"
        );
    }
}

#[test]
fn asdemo_trap_inline_and_calls_resolve_through_the_source_map() {
    let index = "asdemo/assembly/index.ts";
    let line = |m| marked_line(index, m);
    let node = trace("node-asdemo.txt");
    let addresses: Vec<String> = ["checkedRatio", "scaled", "percent"]
        .iter()
        .map(|f| trace_address(&node, &format!("index/{f} (")))
        .collect();
    // wasmtime reports the trap at the `if` that guards the `unreachable`
    // (Cranelift makes the pair one conditional trap): the line above.
    let wasmtime_trap = trace_address(&trace("wasmtime-asdemo.txt"), "checkedRatio");
    let mut args = vec!["asdemo.wasm"];
    args.extend(addresses.iter().map(String::as_str));
    args.push(&wasmtime_trap);
    let json = symbolize_json(&args);
    let places = json["addresses"].as_array().unwrap();
    let expected = [
        ("assembly/index/checkedRatio", line("trap")),
        ("assembly/index/scaled", line("call")),
        ("assembly/index/percent", line("call-export")),
        ("assembly/index/checkedRatio", line("trap") - 1),
    ];
    for (place, (function, line)) in places.iter().zip(expected) {
        assert_eq!(place["origin"], "source-map", "{place}");
        let frames = ours(place);
        assert_eq!(frames.len(), 1, "{frames:?}");
        assert_eq!(frames[0].function.as_deref(), Some(function));
        assert!(at(&frames[0], "assembly/index.ts", line), "{frames:?}");
    }
    // A source map has no inlined frames: the inlined `hundredfold` is a
    // line of `scaled`.
    let scaled = places[1]["function_index"].as_u64().unwrap();
    let inlined = whole_body("asdemo.wasm", scaled).into_iter().any(|frames| {
        frames.len() == 1
            && frames[0].function.as_deref() == Some("assembly/index/scaled")
            && at(&frames[0], "assembly/index.ts", line("inline"))
    });
    assert!(inlined, "no byte of scaled maps to the inlined hundredfold");
}

// ---------------------------------------------------------------------------
// 3. A real runtime, and the committed traces

/// Runs a WASI command under the wasmtime engine (the `wasmtime` Python
/// package) until it traps, and returns what it printed to stderr: the
/// trap's text, as traces/wasmtime-*.txt hold it.
fn wasmtime_trap(module: &str, argv: &[&str]) -> String {
    const SCRIPT: &str = r#"
import os, sys
import wasmtime
path, *argv = sys.argv[1:]
engine = wasmtime.Engine(wasmtime.Config())
store = wasmtime.Store(engine)
module = wasmtime.Module.from_file(engine, path)
linker = wasmtime.Linker(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = argv
# The guest's own output is not part of the trace.
wasi.stdout_file = os.devnull
wasi.stderr_file = os.devnull
store.set_wasi(wasi)
linker.define_wasi()
instance = linker.instantiate(store, module)
try:
    instance.exports(store)["_start"](store)
except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
    text = str(err)
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.exit(1)
sys.exit("the module returned without trapping")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(debug_dir().join(module))
        .args(argv)
        .env_remove("WASMTIME_BACKTRACE_DETAILS")
        .output()
        .unwrap_or_else(|e| panic!("python3 cannot be run ({e})"));
    let err = stderr(&out);
    assert!(
        !err.contains("No module named 'wasmtime'"),
        "the wasmtime Python package is missing: `pip install wasmtime`"
    );
    assert_eq!(out.status.code(), Some(1), "{module}: {err}");
    assert!(err.contains("wasm backtrace:"), "{module}: {err}");
    err
}

/// One frame of a symbolized backtrace as the text shows it: each function,
/// innermost first, with what follows its `at` (or sits in parentheses).
#[derive(Debug)]
struct Shown {
    functions: Vec<(String, String)>,
    warning: bool,
}

/// Splits `symbolize`'s text output of a backtrace into the lines it echoed
/// and the frames it resolved, reading the frames in the layout of the
/// runtime that printed them.
fn read_symbolized(output: &str, format: TraceFormat) -> (Vec<String>, Vec<Shown>) {
    let wasmtime_head = Regex::new(r"^\s*\d+:\s+0x[0-9a-f]+ - (.+)$").unwrap();
    let wasmtime_inlined = Regex::new(r"^\s+- (.+)$").unwrap();
    let wasmtime_at = Regex::new(r"^\s+at (.+)$").unwrap();
    let v8 =
        Regex::new(r"^\s*at (.*) \(([^()]*)\) \[(inlined|wasm-function\[\d+\]:0x[0-9a-f]+)\]$")
            .unwrap();
    let warning = Regex::new(r"^\s+warning: ").unwrap();
    let mut echo = Vec::new();
    let mut frames: Vec<Shown> = Vec::new();
    let mut open = false;
    for line in output.lines() {
        if warning.is_match(line) {
            frames.last_mut().expect("a frame").warning = true;
            continue;
        }
        match format {
            TraceFormat::Wasmtime => {
                if let Some(c) = wasmtime_head.captures(line) {
                    frames.push(Shown {
                        functions: vec![(c[1].to_string(), String::new())],
                        warning: false,
                    });
                    continue;
                }
                let frame = frames.last_mut();
                if let (Some(c), Some(f)) = (wasmtime_inlined.captures(line), frame) {
                    f.functions.push((c[1].to_string(), String::new()));
                    continue;
                }
                let frame = frames.last_mut();
                if let (Some(c), Some(f)) = (wasmtime_at.captures(line), frame) {
                    f.functions.last_mut().unwrap().1 = c[1].to_string();
                    continue;
                }
            }
            TraceFormat::V8 => {
                if let Some(c) = v8.captures(line) {
                    if !open {
                        frames.push(Shown {
                            functions: Vec::new(),
                            warning: false,
                        });
                    }
                    let frame = frames.last_mut().unwrap();
                    frame.functions.push((c[1].to_string(), c[2].to_string()));
                    open = &c[3] == "inlined";
                    continue;
                }
            }
            other => panic!("no reader for {other:?}"),
        }
        echo.push(line.to_string());
    }
    (echo, frames)
}

/// `file:line` or `file:line:column` as the text shows a place.
fn place_of(shown: &str) -> Option<(String, u32)> {
    let c = Regex::new(r"^(.+?):(\d+)(?::\d+)?$")
        .unwrap()
        .captures(shown)?;
    Some((c[1].to_string(), c[2].parse().ok()?))
}

/// Where a backtrace's trap must come back: the function, and the file and
/// line of its innermost frame.
struct Trap<'a> {
    function: &'a str,
    file: &'a str,
    line: u32,
}

/// Pipes a backtrace through `symbolize MODULE` and checks what comes back:
/// every line that is not a frame is echoed unchanged and in order, every
/// frame is resolved in its runtime's layout and none is said to come from
/// another module, the trapping function's frame is at the trap's line,
/// and every frame whose address has DWARF (by llvm-symbolizer; for a
/// source map, every frame) shows `file:line`.
fn check_backtrace(module: &str, backtrace: &str, trap: &Trap) {
    let input: Vec<&str> = backtrace.lines().collect();
    let parsed: Vec<_> = input.iter().filter_map(|l| parse_frame(l)).collect();
    assert!(
        parsed.len() >= 3,
        "{module}: too few frames in\n{backtrace}"
    );
    let format = parsed[0].format;
    let out = wasmscope(["symbolize", module])
        .dir(debug_dir())
        .stdin(backtrace)
        .output();
    assert_eq!(out.status.code(), Some(0), "{module}: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "{module}: no note expected");
    let text = stdout(&out);
    let (echo, shown) = read_symbolized(&text, format);

    let not_frames: Vec<&str> = input
        .iter()
        .copied()
        .filter(|l| parse_frame(l).is_none())
        .collect();
    assert_eq!(echo, not_frames, "{module}: the echo differs:\n{text}");
    assert_eq!(shown.len(), parsed.len(), "{module}: frames lost:\n{text}");

    let bytes = fixture(module);
    let layout = layout(&bytes);
    let code: Vec<usize> = parsed
        .iter()
        .map(|f| match f.address {
            Address::Module(a) => a as usize - layout.code_start,
            ref other => panic!("{other:?}"),
        })
        .collect();
    let source_map = module == "asdemo.wasm";
    let dwarf = if source_map {
        vec![Vec::new(); code.len()]
    } else {
        llvm_symbolizer(&debug_dir().join(module), &code)
    };
    for (i, (frame, theirs)) in shown.iter().zip(&dwarf).enumerate() {
        assert!(!frame.warning, "{module}: frame {i} warned:\n{text}");
        let has_lines = source_map || theirs.last().is_some_and(|t| t.line.is_some());
        if !has_lines {
            continue;
        }
        for (function, place) in &frame.functions {
            assert!(
                place_of(place).is_some() && !place.contains("??"),
                "{module}: frame {i} ({function}) has no file:line: {place}\n{text}"
            );
        }
        if let Some(t) = theirs.last() {
            let (file, line) = place_of(&frame.functions.last().unwrap().1).unwrap();
            assert_eq!(
                (Some(file), Some(u64::from(line))),
                (t.file.clone(), t.line),
                "{module}: frame {i}"
            );
        }
    }
    let trapping = shown
        .iter()
        .find(|f| {
            f.functions
                .last()
                .is_some_and(|(name, _)| name == trap.function)
        })
        .unwrap_or_else(|| panic!("{module}: no frame of {}:\n{text}", trap.function));
    let (file, line) = place_of(&trapping.functions[0].1).expect("a place");
    assert!(
        file.ends_with(trap.file) && line == trap.line,
        "{module}: the trap is at {file}:{line}, not {}:{}\n{text}",
        trap.file,
        trap.line
    );
}

fn tally_trap() -> Trap<'static> {
    Trap {
        function: "tally::checked_ratio",
        file: "tally/src/main.rs",
        line: marked_line("tally/src/main.rs", "trap"),
    }
}

fn cdemo_trap() -> Trap<'static> {
    Trap {
        function: "mean_percent",
        file: "cdemo/stats.h",
        line: marked_line("cdemo/stats.h", "trap"),
    }
}

#[test]
fn a_tally_trap_caught_under_wasmtime_symbolizes_to_the_trap_line() {
    let backtrace = wasmtime_trap("tally.wasm", &["tally", "0", "5"]);
    check_backtrace("tally.wasm", &backtrace, &tally_trap());
}

#[test]
fn a_cdemo_trap_caught_under_wasmtime_symbolizes_to_the_trap_line() {
    for module in ["cdemo-dwarf4.wasm", "cdemo-dwarf5.wasm"] {
        let backtrace = wasmtime_trap(module, &["cdemo", "0", "3", "4"]);
        check_backtrace(module, &backtrace, &cdemo_trap());
    }
}

#[test]
fn committed_node_and_nameless_traces_symbolize_to_the_trap_line() {
    let asdemo = |line| Trap {
        function: "assembly/index/checkedRatio",
        file: "assembly/index.ts",
        line,
    };
    let as_trap = marked_line("asdemo/assembly/index.ts", "trap");
    let cases = [
        ("tally.wasm", "node-tally.txt", tally_trap()),
        ("tally.wasm", "node-tally-noname.txt", tally_trap()),
        ("tally.wasm", "wasmtime-tally-noname.txt", tally_trap()),
        ("cdemo-dwarf4.wasm", "node-cdemo-dwarf4.txt", cdemo_trap()),
        (
            "cdemo-dwarf4.wasm",
            "node-cdemo-dwarf4-noname.txt",
            cdemo_trap(),
        ),
        (
            "cdemo-dwarf4.wasm",
            "wasmtime-cdemo-dwarf4-noname.txt",
            cdemo_trap(),
        ),
        ("cdemo-dwarf5.wasm", "node-cdemo-dwarf5.txt", cdemo_trap()),
        (
            "cdemo-dwarf5.wasm",
            "node-cdemo-dwarf5-noname.txt",
            cdemo_trap(),
        ),
        (
            "cdemo-dwarf5.wasm",
            "wasmtime-cdemo-dwarf5-noname.txt",
            cdemo_trap(),
        ),
        ("asdemo.wasm", "node-asdemo.txt", asdemo(as_trap)),
        ("asdemo.wasm", "node-asdemo-noname.txt", asdemo(as_trap)),
        ("asdemo.wasm", "node-asdemo-url.txt", asdemo(as_trap)),
        // wasmtime's trap is the `if` above the `unreachable` (see the README).
        (
            "asdemo.wasm",
            "wasmtime-asdemo-noname.txt",
            asdemo(as_trap - 1),
        ),
    ];
    for (module, name, trap) in &cases {
        check_backtrace(module, &trace(name), trap);
    }
}

/// wasmtime symbolizes frames itself from DWARF with
/// `WASMTIME_BACKTRACE_DETAILS=1` (traces/wasmtime-*-details.txt): the
/// places we give the same trace's frames are its places, inlined frames
/// included. Its function names are DWARF's short ones, so only places are
/// compared; its file names go through `tidy`, as it joins `wasisdk://`
/// names onto the compile dir and keeps `.` parts.
#[test]
fn wasmtime_own_dwarf_symbolization_agrees_frame_by_frame() {
    for stem in ["tally", "cdemo-dwarf4", "cdemo-dwarf5"] {
        let (_, theirs) = read_symbolized(
            &trace(&format!("wasmtime-{stem}-details.txt")),
            TraceFormat::Wasmtime,
        );
        let out = wasmscope(["symbolize", &format!("{stem}.wasm")])
            .dir(debug_dir())
            .stdin(trace(&format!("wasmtime-{stem}.txt")))
            .output();
        assert_eq!(out.status.code(), Some(0), "{stem}: {}", stderr(&out));
        let (_, ours) = read_symbolized(&stdout(&out), TraceFormat::Wasmtime);
        assert_eq!(ours.len(), theirs.len(), "{stem}");
        for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
            let theirs: Vec<String> = t
                .functions
                .iter()
                .map(|(_, at)| wasmscope::debuginfo::tidy(at))
                .collect();
            let theirs: Vec<&str> = theirs.iter().map(String::as_str).collect();
            let ours: Vec<&str> = o.functions.iter().map(|(_, at)| at.as_str()).collect();
            if theirs == [""] {
                // No DWARF: wasmtime keeps the frame as it was.
                assert_eq!(ours.len(), 1, "{stem} frame {i}");
                assert!(
                    ours[0].starts_with("?? (no line"),
                    "{stem} frame {i}: {ours:?}"
                );
            } else {
                assert_eq!(ours, theirs, "{stem} frame {i}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 4. The layouts of other runtimes

/// Each collected sample with frames: its layout and how many frame lines
/// it has (wasmer-sample-2 prints its frames once more in the error chain).
const SAMPLES: &[(&str, TraceFormat, usize)] = &[
    ("chrome-sample-1.txt", TraceFormat::V8, 8),
    ("chrome-sample-3.txt", TraceFormat::V8, 10),
    ("firefox-sample-1.txt", TraceFormat::Firefox, 7),
    ("wasmer-sample-1.txt", TraceFormat::Wasmer, 5),
    ("wasmer-sample-2.txt", TraceFormat::Wasmer, 14),
    ("wasmer-sample-3.txt", TraceFormat::Wasmer, 1),
    ("wasmer-sample-4.txt", TraceFormat::Wasmer, 1),
    ("wasmer-sample-5.txt", TraceFormat::Wasmer, 1),
    ("wamr-sample-1.txt", TraceFormat::Wamr, 6),
    ("wamr-sample-2.txt", TraceFormat::Wamr, 3),
    ("wasmtime-cli-sample-1.txt", TraceFormat::Wasmtime, 5),
];

/// Samples whose layout carries no module offset a frame could be read
/// from (traces/SOURCES.md): legacy Firefox (a JS line number, no function
/// index, like the JS frames beside it), old WAMR (names only), WasmEdge
/// (an instruction offset but no frames). They are echoed as they are.
const NO_FRAMES: &[&str] = &[
    "firefox-sample-2.txt",
    "firefox-sample-3.txt",
    "firefox-sample-4.txt",
    "wamr-sample-3.txt",
    "wamr-sample-4.txt",
    "wasmedge-sample-1.txt",
    "wasmedge-sample-2.txt",
    "wasmedge-sample-3.txt",
];

#[test]
fn collected_samples_of_other_runtimes_parse_as_frames() {
    // Each sample line has one hex number: the offset.
    let hex = Regex::new(r"0x([0-9a-fA-F]+)").unwrap();
    let index = Regex::new(r"(?:wasm-function)?\[(\d+)\]:0x").unwrap();
    for (name, format, count) in SAMPLES {
        let text = trace(name);
        let frames: Vec<_> = text
            .lines()
            .filter_map(|l| parse_frame(l).map(|f| (l, f)))
            .collect();
        assert_eq!(frames.len(), *count, "{name}");
        for (line, frame) in frames {
            assert_eq!(frame.format, *format, "{name}: {line}");
            let offset = &hex.captures(line).expect("an offset")[1];
            assert_eq!(
                frame.address,
                Address::Module(u64::from_str_radix(offset, 16).unwrap()),
                "{name}: {line}"
            );
            // V8, Firefox and wasmer give the function index too.
            if let Some(c) = index.captures(line) {
                assert_eq!(
                    frame.function,
                    Some(c[1].parse().unwrap()),
                    "{name}: {line}"
                );
            }
            assert!(line.starts_with(&frame.lead), "{name}: {line}");
        }
    }
    for name in NO_FRAMES {
        let text = trace(name);
        assert!(text.lines().all(|l| parse_frame(l).is_none()), "{name}");
    }
}

/// The samples come from other modules: symbolized against one of ours,
/// every frame is kept with the "is this the module that ran?" warning (its
/// address is outside our code, or in a function other than the one its
/// line names), and the rest of the input is echoed.
#[test]
fn samples_from_other_modules_are_flagged_not_misread() {
    for (name, _, count) in SAMPLES {
        let text = trace(name);
        // asdemo's code is 0x43..0x80: no sample address is in it.
        let json = symbolize_json_in(&debug_dir(), &["asdemo.wasm"], Some(&text));
        let frames = json["backtrace"].as_array().unwrap();
        assert_eq!(frames.len(), *count, "{name}");
        for f in frames {
            let warning = f["warning"].as_str().unwrap_or_default();
            assert!(
                warning.ends_with("is this the module that ran?"),
                "{name}: {f}"
            );
            assert_eq!(f["frames"], serde_json::json!([]), "{name}: {f}");
        }
        let out = wasmscope(["symbolize", "asdemo.wasm"])
            .dir(debug_dir())
            .stdin(text.as_str())
            .output();
        assert_eq!(out.status.code(), Some(0), "{name}");
        let shown = stdout(&out);
        let mut rest = shown.lines();
        for line in text.lines() {
            assert!(
                rest.any(|l| l == line),
                "{name}: `{line}` not echoed:\n{shown}"
            );
        }

        // Against tally some addresses are in its code: those are resolved
        // and warned about when the line names another function.
        let json = symbolize_json_in(&debug_dir(), &["tally.wasm"], Some(&text));
        for f in json["backtrace"].as_array().unwrap() {
            let said = parse_frame(f["text"].as_str().unwrap()).unwrap().function;
            let found = f["function_index"].as_u64().map(|i| i as u32);
            if found.is_none() || (said.is_some() && said != found) {
                assert!(f["warning"].is_string(), "{name}: {f}");
            }
        }
        let backtrace = json["backtrace"].as_array().unwrap();
        assert_eq!(backtrace.len(), *count, "{name}");
    }
}

#[test]
fn wamr_function_numbers_are_checked_against_the_address() {
    let frame = parse_frame("#04: 0x236b - $f15").expect("a WAMR frame");
    assert_eq!(frame.function, Some(15));
    // 0x236b is in tally's function 38, not 15.
    let json = symbolize_json_in(&debug_dir(), &["tally.wasm"], Some("#04: 0x236b - $f15\n"));
    let f = &json["backtrace"][0];
    assert_eq!(f["function_index"], 38);
    assert!(f["warning"].is_string(), "{f}");
}

#[test]
fn old_chrome_frames_with_body_offsets_are_read() {
    let text = trace("chrome-sample-2.txt");
    let frames: Vec<_> = text.lines().filter_map(parse_frame).collect();
    assert_eq!(frames.len(), 10);
    assert_eq!(
        frames[8].address,
        Address::InFunction {
            function: "5".to_string(),
            offset: 166
        }
    );
}

// ---------------------------------------------------------------------------
// 5. Golden output

fn golden(name: &str, args: &[&str], stdin: Option<&str>) {
    let mut run = wasmscope(["symbolize"]).args(args).dir(debug_dir());
    if let Some(text) = stdin {
        run = run.stdin(text);
    }
    let out = run.output();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    snapshot("symbolize", name, &stdout(&out));
}

#[test]
fn addresses_of_tally_as_text_and_json() {
    let args = ["tally.wasm", "0x9ee", "0xe96", "0x315", "0x31e4"];
    golden("tally-addresses", &args, None);
    golden(
        "tally-addresses.json",
        &[&args[..], &["--json"]].concat(),
        None,
    );
}

#[test]
fn a_nameless_wasmtime_backtrace_of_tally_as_text_and_json() {
    let text = trace("wasmtime-tally-noname.txt");
    golden("tally-wasmtime-noname", &["tally.wasm"], Some(&text));
    golden(
        "tally-wasmtime-noname.json",
        &["tally.wasm", "--json"],
        Some(&text),
    );
}

#[test]
fn a_node_backtrace_of_cdemo_keeps_the_v8_layout() {
    // The JS frames name the capturing machine's paths: left out.
    let text: String = trace("node-cdemo-dwarf5.txt")
        .lines()
        .filter(|l| !l.contains("file://"))
        .map(|l| format!("{l}\n"))
        .collect();
    golden("cdemo-node", &["cdemo-dwarf5.wasm"], Some(&text));
}

#[test]
fn asdemo_addresses_through_its_source_map() {
    let args = ["asdemo.wasm", "0x4b", "0x4d", "0x6b", "0x75"];
    golden("asdemo-source-map", &args, None);
    golden(
        "asdemo-source-map.json",
        &[&args[..], &["--json"]].concat(),
        None,
    );
}

#[test]
fn source_prefix_moves_file_names_to_where_the_sources_are() {
    golden(
        "source-prefix",
        &[
            "tally.wasm",
            "0x9ee",
            "--source-prefix",
            "/build/tally=tally",
        ],
        None,
    );
    // The remapped name is the committed source.
    assert!(debug_dir().join("tally/src/main.rs").is_file());
}

#[test]
fn function_and_offset_addresses_in_every_spelling() {
    golden(
        "function-offsets",
        &[
            "tally.wasm",
            "tally::checked_ratio+0x70",
            "22+0x70",
            "<wasm function 22>+0x70",
            "wasm-function[22]+112",
        ],
        None,
    );
}

#[test]
fn code_section_relative_addresses_as_dwarf_counts_them() {
    let args = [
        "cdemo-dwarf5.wasm",
        "--code-section-relative",
        "0x1da",
        "0xc6",
    ];
    golden("code-section-relative", &args, None);
    golden(
        "code-section-relative.json",
        &[&args[..], &["--json"]].concat(),
        None,
    );
    // The same places as their module offsets.
    let module = symbolize_json(&["cdemo-dwarf5.wasm", "0x3a9", "0x295"]);
    let code = symbolize_json(&args);
    for (m, c) in module["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .zip(code["addresses"].as_array().unwrap())
    {
        assert_eq!(m["address"], c["address"]);
        assert_eq!(m["frames"], c["frames"]);
    }
}

#[test]
fn errors_are_one_line_with_the_documented_exit_codes() {
    // Each: the arguments and the exit code.
    let cases: &[(&[&str], i32)] = &[
        // An address outside any function's code.
        (&["tally.wasm", "0x10"], 1),
        (&["tally.wasm", "--code-section-relative", "0xfffffff"], 1),
        (&["tally.wasm", "22+0x7000"], 1),
        (&["tally.wasm", "no_such_function+0x1"], 1),
        // A misspelt address: a usage error, before any reading.
        (&["tally.wasm", "0x9eg"], 2),
        (&["missing.wasm", "0x9eg"], 2),
        // The module from stdin leaves no stdin for a backtrace.
        (&["-"], 2),
        // A component's offsets are its own.
        (&["../component.wat", "0x10"], 1),
        // A debug file that is not there is named.
        (
            &["tally.wasm", "0x9ee", "--debug-file", "tally.debug.wasm"],
            1,
        ),
        (&["asdemo.wasm", "0x4d", "--source-map", "none.map"], 1),
    ];
    let mut report = String::new();
    for (args, code) in cases {
        let mut run = wasmscope(["symbolize"]).args(*args).dir(debug_dir());
        if args[0] == "-" {
            run = run.stdin(fixture("tally.wasm"));
        }
        let out = run.output();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {err}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        report.push_str(&format!(
            "$ wasmscope symbolize {}\n(exit {code})\n{err}\n",
            args.join(" ")
        ));
    }
    snapshot("symbolize", "errors", &report);
}

// ---------------------------------------------------------------------------
// 6. Hostile input

/// `bytes` rebuilt section by section with wasm-encoder: each custom section
/// through `edit` (`None` drops it), every other section copied as it is,
/// then `extra` custom sections at the end, where they move no code.
fn rebuild(
    bytes: &[u8],
    edit: impl Fn(&str, &[u8]) -> Option<Vec<u8>>,
    extra: &[(&str, Vec<u8>)],
) -> Vec<u8> {
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.unwrap();
        if let wasmparser::Payload::CustomSection(custom) = &payload {
            if let Some(data) = edit(custom.name(), custom.data()) {
                module.section(&wasm_encoder::CustomSection {
                    name: custom.name().into(),
                    data: data.into(),
                });
            }
        } else if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection {
                id,
                data: &bytes[range.start as usize..range.end as usize],
            });
        }
    }
    for (name, data) in extra {
        module.section(&wasm_encoder::CustomSection {
            name: (*name).into(),
            data: data.as_slice().into(),
        });
    }
    module.finish()
}

fn keep(_: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(data.to_vec())
}

fn no_dwarf(name: &str, data: &[u8]) -> Option<Vec<u8>> {
    (!name.starts_with(".debug_")).then(|| data.to_vec())
}

/// A custom section holding one length-prefixed string, as `build_id`,
/// `external_debug_info` and `sourceMappingURL` do.
fn prefixed(data: &[u8]) -> Vec<u8> {
    wasmscope::debuginfo::encode_length_prefixed(data)
}

/// Runs as every run on hostile input goes, under the time and memory
/// bounds, and fails on a panic, a signal, a hang, an exit code other than
/// 0 or 1, or a failure whose message is not one `error:` line.
fn hostile(run: Run, what: &str) -> Output {
    let started = Instant::now();
    let out = run
        .time_bound(TIME_BOUND)
        .memory_bound(MEMORY_BOUND)
        .output();
    let ended = Bounded {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
        timed_out: false,
    };
    if let Some(fault) = ended.fault(&[]) {
        panic!("{what}: {fault}");
    }
    if ended.code == Some(1) {
        assert_eq!(ended.stderr.lines().count(), 1, "{what}: {}", ended.stderr);
    }
    assert!(
        ended.elapsed.as_secs() < 10,
        "{what}: took {:?}",
        ended.elapsed
    );
    out
}

/// Each address resolved (exit 0) to at least the function's name, or the
/// run refused (exit 1) in one line.
fn every_address_named(out: &Output, what: &str) {
    if out.status.code() != Some(0) {
        return;
    }
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for place in json["addresses"].as_array().unwrap() {
        let frames = ours(place);
        assert!(
            frames.last().is_some_and(|f| f.function.is_some()),
            "{what}: {place}"
        );
    }
}

/// The sections wasmscope reads DWARF from, garbled (every 17th byte
/// flipped) or cut in half, and a unit claiming 2 GiB: the answer is
/// DWARF's where it can still be read, else the name section's.
#[test]
fn damaged_dwarf_sections_fall_back_to_names_or_fail_cleanly() {
    let tally = fixture("tally.wasm");
    assert_eq!(
        rebuild(&tally, keep, &[]),
        tally,
        "the rebuild moves no byte"
    );
    let dir = tempfile::tempdir().unwrap();
    let backtrace = trace("wasmtime-tally.txt");
    let garble = |data: &[u8]| {
        let mut data = data.to_vec();
        for (i, b) in data.iter_mut().enumerate().step_by(17) {
            *b ^= (i % 255 + 1) as u8;
        }
        data
    };
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    for section in [".debug_info", ".debug_line", ".debug_abbrev", ".debug_str"] {
        let garbled = rebuild(
            &tally,
            |n, d| Some(if n == section { garble(d) } else { d.to_vec() }),
            &[],
        );
        let cut = rebuild(
            &tally,
            |n, d| {
                Some(if n == section {
                    d[..d.len() / 2].to_vec()
                } else {
                    d.to_vec()
                })
            },
            &[],
        );
        variants.push((format!("garbled{section}.wasm"), garbled));
        variants.push((format!("cut{section}.wasm"), cut));
    }
    // Units that claim 2 GiB (32-bit DWARF) and 2^63 bytes (64-bit).
    let huge32 = [
        &0x7fff_fff0u32.to_le_bytes()[..],
        &4u16.to_le_bytes(),
        &[0; 8],
    ]
    .concat();
    let huge64 = [
        &u32::MAX.to_le_bytes()[..],
        &(u64::MAX >> 1).to_le_bytes(),
        &5u16.to_le_bytes(),
        &[1, 4, 0, 0, 0, 0, 0, 0, 0, 0],
    ]
    .concat();
    for (name, unit) in [("huge-unit-32", huge32), ("huge-unit-64", huge64)] {
        let first = rebuild(
            &tally,
            |n, d| {
                Some(if n == ".debug_info" {
                    [&unit[..], d].concat()
                } else {
                    d.to_vec()
                })
            },
            &[],
        );
        variants.push((format!("{name}.wasm"), first));
    }
    for (file, bytes) in &variants {
        std::fs::write(dir.path().join(file), bytes).unwrap();
        let args = [
            "symbolize",
            file,
            "0x9ee",
            "0xe96",
            "0x8f67",
            "0x31e4",
            "--json",
        ];
        let out = hostile(wasmscope(args).dir(dir.path()), file);
        every_address_named(&out, file);
        let out = hostile(
            wasmscope(["symbolize", file])
                .dir(dir.path())
                .stdin(backtrace.as_str()),
            file,
        );
        if out.status.code() == Some(0) {
            // Every line of the trace is still there.
            let text = stdout(&out);
            for line in backtrace.lines().filter(|l| parse_frame(l).is_none()) {
                assert!(text.lines().any(|l| l == line), "{file}: {line}");
            }
        }
    }
    // A unit that claims more than its section holds cannot be read: the
    // DWARF is noted as unreadable and the name section answers.
    for file in ["huge-unit-32.wasm", "huge-unit-64.wasm"] {
        let out = hostile(
            wasmscope(["symbolize", file, "0x9ee", "--json"]).dir(dir.path()),
            file,
        );
        assert_eq!(out.status.code(), Some(0), "{file}");
        assert!(
            stderr(&out).contains("DWARF cannot be read"),
            "{file}: {}",
            stderr(&out)
        );
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["addresses"][0]["origin"], "name-section", "{file}");
    }
}

#[test]
fn damaged_dwarf_is_noted_when_lookups_fall_back() {
    let tally = fixture("tally.wasm");
    let dir = tempfile::tempdir().unwrap();
    for section in [".debug_line", ".debug_abbrev"] {
        let file = format!("garbled{section}.wasm");
        let garbled = rebuild(
            &tally,
            |n, d| {
                Some(if n == section {
                    d.iter()
                        .enumerate()
                        .map(|(i, b)| if i % 17 == 0 { !b } else { *b })
                        .collect()
                } else {
                    d.to_vec()
                })
            },
            &[],
        );
        std::fs::write(dir.path().join(&file), garbled).unwrap();
        let out = wasmscope(["symbolize", &file, "0x9ee", "--json"])
            .dir(dir.path())
            .output();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let place = &json["addresses"][0];
        // tally's own function has DWARF; if it cannot be read, say so.
        if place["origin"] != "dwarf" {
            assert!(
                place["warning"].is_string()
                    || !json["debug_info"]["notes"].as_array().unwrap().is_empty(),
                "{file}: fell back silently: {json}"
            );
        }
    }
}

/// VLQ as source maps encode numbers: sign in the lowest bit, 5 bits a
/// digit, least significant first.
fn vlq(n: i64) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut v = if n < 0 { ((-n) << 1) | 1 } else { n << 1 };
    let mut out = String::new();
    loop {
        let mut digit = (v & 31) as usize;
        v >>= 5;
        if v != 0 {
            digit |= 32;
        }
        out.push(DIGITS[digit] as char);
        if v == 0 {
            return out;
        }
    }
}

/// One mapping: module offset (relative to the last), source, line, column.
fn mapping(fields: &[i64]) -> String {
    fields.iter().map(|n| vlq(*n)).collect()
}

#[test]
fn hostile_source_maps_are_refused_or_noted_and_names_answer() {
    let asdemo = fixture("asdemo.wasm");
    let map: Value = serde_json::from_slice(&fixture("asdemo.wasm.map")).unwrap();
    let with_mappings = |mappings: String| {
        let mut m = map.clone();
        m["mappings"] = Value::String(mappings);
        m.to_string()
    };
    let single = |sources: Vec<String>, mappings: String| {
        serde_json::json!({"version": 3, "sources": sources, "names": [], "mappings": mappings})
            .to_string()
    };
    let many: Vec<String> = (0..100_000).map(|i| format!("src/{i}.ts")).collect();
    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "this is not { a source map".to_string()),
        ("JSON, not a map", "[1, 2, 3]".to_string()),
        ("broken VLQ", with_mappings("sECgBM,!!!!,E".to_string())),
        (
            "VLQ overflow",
            with_mappings(format!("sECgB{}", "/".repeat(40))),
        ),
        (
            "enormous lines and columns",
            single(
                vec!["a.ts".into()],
                [
                    mapping(&[0x4d, 0, i64::from(i32::MAX), i64::from(i32::MAX)]),
                    mapping(&[2, 0, 1 << 40, 1 << 40]),
                ]
                .join(","),
            ),
        ),
        (
            "100,000 sources",
            single(many, mapping(&[0x4d, 99_999, 5, 1])),
        ),
        (
            "mappings past the module",
            single(
                vec!["a.ts".into()],
                [
                    mapping(&[0x0fff_ffff, 0, 1, 1]),
                    mapping(&[1 << 40, 0, 1, 1]),
                ]
                .join(","),
            ),
        ),
        (
            "mappings going backwards",
            single(
                vec!["a.ts".into()],
                [mapping(&[0x4d, 0, 1, 1]), mapping(&[-0x1000, 0, 1, 1])].join(","),
            ),
        ),
    ];
    for (what, map) in &cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("asdemo.wasm"), &asdemo).unwrap();
        std::fs::write(dir.path().join("asdemo.wasm.map"), map).unwrap();
        std::fs::write(dir.path().join("given.map"), map).unwrap();
        let addresses = ["0x4b", "0x4d", "0x6b", "0x75", "--json"];
        // The map the module names: used, or noted and left.
        let named = hostile(
            wasmscope(["symbolize", "asdemo.wasm"])
                .args(addresses)
                .dir(dir.path()),
            what,
        );
        assert_eq!(named.status.code(), Some(0), "{what}: {}", stderr(&named));
        every_address_named(&named, what);
        // The map given with --source-map: used, or refused in one line
        // naming it.
        let given = hostile(
            wasmscope(["symbolize", "asdemo.wasm", "--source-map", "given.map"])
                .args(addresses)
                .dir(dir.path()),
            what,
        );
        every_address_named(&given, what);
        if given.status.code() == Some(1) {
            assert!(
                stderr(&given).contains("given.map"),
                "{what}: {}",
                stderr(&given)
            );
            // Refused with --source-map, so noted when the module names it.
            assert!(
                stderr(&named).contains("asdemo.wasm.map"),
                "{what}: {}",
                stderr(&named)
            );
        }
        // A backtrace through it.
        hostile(
            wasmscope(["symbolize", "asdemo.wasm"])
                .dir(dir.path())
                .stdin(trace("node-asdemo.txt")),
            what,
        );
    }
}

#[test]
fn external_debug_info_naming_itself_a_directory_or_no_module_is_noted() {
    let cdemo = fixture("cdemo-dwarf4.wasm");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a-directory")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a module\n").unwrap();
    std::fs::write(
        dir.path().join("garbage.bin"),
        [0x89, b'P', b'N', b'G', 0, 0xff],
    )
    .unwrap();
    let trap = trace_address(&trace("wasmtime-cdemo-dwarf4.txt"), "!mean_percent");
    for target in ["stripped.wasm", "a-directory", "notes.txt", "garbage.bin"] {
        let stripped = rebuild(
            &cdemo,
            no_dwarf,
            &[("external_debug_info", prefixed(target.as_bytes()))],
        );
        std::fs::write(dir.path().join("stripped.wasm"), stripped).unwrap();
        let out = hostile(
            wasmscope(["symbolize", "stripped.wasm", &trap, "--json"]).dir(dir.path()),
            target,
        );
        assert_eq!(out.status.code(), Some(0), "{target}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("wasmscope: note: ") && err.contains(target),
            "{target}: {err}"
        );
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let place = &json["addresses"][0];
        assert_eq!(place["origin"], "name-section", "{target}");
        assert_eq!(place["frames"][0]["function"], "mean_percent", "{target}");
    }
}

#[test]
fn a_debug_file_of_another_build_is_refused_naming_both() {
    let cdemo = fixture("cdemo-dwarf4.wasm");
    let dir = tempfile::tempdir().unwrap();
    let debug = rebuild(&cdemo, keep, &[("build_id", prefixed(&[0xaa; 16]))]);
    let module = rebuild(&cdemo, no_dwarf, &[("build_id", prefixed(&[0xbb; 16]))]);
    std::fs::write(dir.path().join("app.debug.wasm"), debug).unwrap();
    std::fs::write(dir.path().join("app.wasm"), module).unwrap();
    let out = hostile(
        wasmscope([
            "symbolize",
            "app.wasm",
            "0x3a9",
            "--debug-file",
            "app.debug.wasm",
        ])
        .dir(dir.path()),
        "build_id mismatch",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("app.debug.wasm") && err.contains("app.wasm's") && err.contains("build_id"),
        "{err}"
    );
    assert!(
        err.contains(&"aa".repeat(16)) && err.contains(&"bb".repeat(16)),
        "{err}"
    );
}

#[test]
fn a_backtrace_with_a_10_mb_line_and_binary_garbage_still_resolves_its_frames() {
    let mut input = vec![b'x'; 10_000_000];
    input.extend(b"\n");
    // Bytes of every value, invalid UTF-8 and NULs among them.
    input.extend((0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    input.extend(b"\n   11:    0x9ee - <unknown>!<wasm function 22>\n");
    input.extend(b"\xff\xfe\0\n");
    input.extend(b"    at f (wasm://wasm/1234abcd:wasm-function[26]:0xe96)\n");
    let out = hostile(
        wasmscope(["symbolize", "tally.wasm"])
            .dir(debug_dir())
            .stdin(input.clone()),
        "10 MB line",
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let main = "tally/src/main.rs";
    let trap = marked_line(main, "trap");
    let tail: Vec<&str> = text.lines().rev().take(8).collect();
    assert!(text.contains(&format!("{main}:{trap}:")), "{tail:?}");
    assert!(text.contains(&format!("{main}:{}:", marked_line(main, "call"))));
    // The same as JSON: the two frames, and no others.
    let json = symbolize_json_in(
        &debug_dir(),
        &["tally.wasm"],
        Some(&String::from_utf8_lossy(&input)),
    );
    assert_eq!(json["backtrace"].as_array().unwrap().len(), 2);
}

#[test]
fn a_long_line_of_a_backtrace_is_echoed_whole() {
    let line = "x".repeat(100_000);
    let out = wasmscope(["symbolize", "tally.wasm"])
        .dir(debug_dir())
        .stdin(format!("{line}\n"))
        .output();
    let echoed = stdout(&out);
    assert_eq!(echoed.len(), line.len() + 1, "the line came back cut");
    assert_eq!(echoed, format!("{line}\n"));
}

/// The hostile modules and the fuzzers' finds of the other commands,
/// symbolized: each one read or refused cleanly.
#[test]
fn hostile_modules_and_fuzz_finds_are_refused_or_read_cleanly() {
    for dir in [testdata().join("hostile"), testdata().join("fuzz")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "wasm") {
                continue;
            }
            let file = path.file_name().unwrap().to_str().unwrap();
            for args in [&["0x20", "0+0x1"][..], &[]] {
                hostile(
                    wasmscope(["symbolize", file])
                        .args(args)
                        .dir(&dir)
                        .stdin("    0:   0x20 - <unknown>!<wasm function 0>\n"),
                    file,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 7. Build ids

/// A debug file (the module with its DWARF and a `build_id`) and the module
/// without DWARF, with the same or another `build_id` and an
/// `external_debug_info` naming the debug file: made by hand in `dir`.
fn debug_pair(dir: &Path, module_build_id: &[u8]) {
    let cdemo = fixture("cdemo-dwarf4.wasm");
    let id = [0x5a, 0x17, 0x00, 0xfe, 0x42, 0x99, 0x01, 0x10];
    let debug = rebuild(&cdemo, keep, &[("build_id", prefixed(&id))]);
    let stripped = rebuild(
        &cdemo,
        no_dwarf,
        &[
            ("build_id", prefixed(module_build_id)),
            ("external_debug_info", prefixed(b"cdemo.debug.wasm")),
        ],
    );
    // No code moved: the DWARF's addresses still fit.
    assert_eq!(layout(&stripped).code_start, layout(&cdemo).code_start);
    std::fs::write(dir.join("cdemo.debug.wasm"), debug).unwrap();
    std::fs::write(dir.join("cdemo.wasm"), stripped).unwrap();
}

#[test]
fn a_stripped_module_finds_its_debug_file_by_build_id() {
    let dir = tempfile::tempdir().unwrap();
    debug_pair(
        dir.path(),
        &[0x5a, 0x17, 0x00, 0xfe, 0x42, 0x99, 0x01, 0x10],
    );
    let text = trace("wasmtime-cdemo-dwarf4.txt");
    let addresses: Vec<String> = text
        .lines()
        .filter_map(parse_frame)
        .map(|f| match f.address {
            Address::Module(a) => format!("0x{a:x}"),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut args: Vec<&str> = vec!["cdemo.wasm"];
    args.extend(addresses.iter().map(String::as_str));
    let stripped = symbolize_json_in(dir.path(), &args, None);
    args[0] = "cdemo-dwarf4.wasm";
    let original = symbolize_json(&args);
    let found = stripped["debug_info"]["dwarf"].as_str().unwrap_or_default();
    assert!(found.ends_with("cdemo.debug.wasm"), "{found}");
    assert_eq!(stripped["debug_info"]["notes"], serde_json::json!([]));
    assert_eq!(stripped["addresses"], original["addresses"]);
    // From anywhere: the debug file is looked for next to the module.
    let elsewhere = wasmscope(["symbolize"])
        .arg(dir.path().join("cdemo.wasm"))
        .arg(&addresses[0])
        .output();
    assert_eq!(elsewhere.status.code(), Some(0), "{}", stderr(&elsewhere));
    assert!(
        stdout(&elsewhere).contains("stats.h:"),
        "{}",
        stdout(&elsewhere)
    );
    // A backtrace too.
    let out = wasmscope(["symbolize", "cdemo.wasm"])
        .dir(dir.path())
        .stdin(text.as_str())
        .output();
    let original = wasmscope(["symbolize", "cdemo-dwarf4.wasm"])
        .dir(debug_dir())
        .stdin(text.as_str())
        .output();
    assert_eq!(stdout(&out), stdout(&original));
}

#[test]
fn a_debug_file_of_another_build_id_is_not_used_and_names_answer() {
    let dir = tempfile::tempdir().unwrap();
    debug_pair(
        dir.path(),
        &[0x5a, 0x17, 0x00, 0xfe, 0x42, 0x99, 0x01, 0x11],
    );
    let trap = trace_address(&trace("wasmtime-cdemo-dwarf4.txt"), "!mean_percent");
    let out = wasmscope(["symbolize", "cdemo.wasm", &trap, "--json"])
        .dir(dir.path())
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("wasmscope: note: ")
            && err.contains("cdemo.debug.wasm")
            && err.contains("5a1700fe42990110")
            && err.contains("5a1700fe42990111")
            && err.contains("not used"),
        "{err}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["debug_info"].get("dwarf").is_none(), "{json}");
    let place = &json["addresses"][0];
    assert_eq!(place["origin"], "name-section");
    assert_eq!(
        ours(place),
        vec![Src {
            function: Some("mean_percent".to_string()),
            file: None,
            line: None,
            column: None
        }]
    );
}

/// Many addresses at once (`DebugInfo::lookup_all`, which `symbolize` uses
/// for its address arguments) give the answers of one lookup at a time, in
/// the order given, on a module large enough to be mapped from its file
/// (whose DWARF pages are released as the lookups go).
#[test]
fn many_addresses_of_a_mapped_module_answer_as_one_at_a_time() {
    use wasmscope::debuginfo::{Companions, DebugInfo, DebugOptions, Origin};
    use wasmscope::input::{Bytes, Input, Loaded, Source};

    let tally = fixture("tally.wasm");
    // 2 MiB of padding after everything: the same offsets, and a file
    // above the size that is mapped rather than read.
    let padded = rebuild(&tally, keep, &[("padding", vec![0; 2 << 20])]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tally-padded.wasm");
    std::fs::write(&path, &padded).unwrap();
    let mapped = Loaded::load(&Source::File(path)).unwrap();
    assert!(
        matches!(mapped.bytes, Bytes::Mapped(_)),
        "the padded module is mapped"
    );
    let owned = Loaded::from_input(Input::from_bytes("tally.wasm", tally)).unwrap();

    // Every third byte of every body, last function first, and some again.
    let mut addresses: Vec<usize> = owned
        .index
        .defined_functions()
        .filter_map(|f| f.body.clone())
        .flat_map(|body| body.step_by(3))
        .collect();
    addresses.reverse();
    addresses.extend_from_within(..addresses.len() / 10);
    assert!(addresses.len() > 10_000, "{} addresses", addresses.len());

    let options = DebugOptions::default();
    let mapped_companions = Companions::find(&mapped, None, &options).unwrap();
    let all = DebugInfo::new(&mapped, &mapped_companions, &options).lookup_all(&addresses);
    let owned_companions = Companions::find(&owned, None, &options).unwrap();
    let one = DebugInfo::new(&owned, &owned_companions, &options);
    assert_eq!(all.len(), addresses.len());
    for (address, place) in addresses.iter().zip(&all) {
        assert_eq!(place, &one.lookup(*address), "at 0x{address:x}");
    }
    let dwarf = all.iter().filter(|p| p.origin == Origin::Dwarf).count();
    assert!(
        dwarf * 10 > all.len() * 9,
        "{dwarf} of {} from DWARF",
        all.len()
    );
}
