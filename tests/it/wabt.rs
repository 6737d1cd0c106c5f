//! wasmscope started as WABT's tools (`wasm2wat`, `wat2wasm`,
//! `wasm-validate`, `wasm-strip`, `wasm-objdump`, through the links
//! `install-links` makes), compared with WABT 1.0.32 itself on every
//! fixture WABT reads: the same bytes where WABT's output is the contract,
//! the same exit statuses and diagnostics otherwise. Where wasmscope reads
//! what WABT cannot, the tests say so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::{run, scratch, stderr, stdout, testdata};

/// The directory holding the five links, made once by `install-links`.
fn links() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("wabt", "links");
        let out = run(&["install-links", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        dir
    })
}

/// `tool args...` as wasmscope's link, run in `dir`.
fn ours(tool: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(links().join(tool))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `tool args...` as WABT's own, run in `dir`.
fn wabt(tool: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs ({e}): apt-get install wabt, or cargo xtask tools"))
}

/// Binary fixtures WABT 1.0.32 reads with its default features.
fn binaries() -> Vec<String> {
    let mut files = vec![
        "demo.wasm".to_string(),
        "invalid-type-mismatch.wasm".to_string(),
        "overlong-leb.wasm".to_string(),
    ];
    for dir in ["debug", "emscripten"] {
        let mut found: Vec<String> = std::fs::read_dir(testdata().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
            .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_str().unwrap()))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Text fixtures WABT 1.0.32 parses, with the flags it needs for them.
const TEXTS: &[(&str, &[&str])] = &[
    ("dead-code.wat", &[]),
    ("reference-types.wat", &[]),
    ("exceptions-legacy.wat", &["--enable-exceptions"]),
    ("multi-memory.wat", &["--enable-multi-memory"]),
    ("simd.wat", &["--enable-relaxed-simd"]),
    ("threads.wat", &["--enable-threads"]),
    ("invalid-type-mismatch.wat", &["--no-check"]),
];

/// Text fixtures WABT 1.0.32 cannot parse or decode at all, whatever the
/// flags: GC, typed function references, exnref, 64-bit tables, components.
const BEYOND_WABT: &[&str] = &[
    "gc.wat",
    "tail-call.wat",
    "exceptions.wat",
    "memory64.wat",
    "names.wat",
    "component.wat",
];

fn with(flags: &[&str], rest: &[&str]) -> Vec<String> {
    flags.iter().chain(rest).map(|s| s.to_string()).collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Whether two runs exited alike and printed the same on both streams.
fn assert_same(what: &str, wabt: &Output, ours: &Output) {
    assert_eq!(
        (wabt.status.code(), stderr(wabt), stdout(wabt)),
        (ours.status.code(), stderr(ours), stdout(ours)),
        "{what}: (exit, stderr, stdout) of WABT (left) and wasmscope (right)"
    );
}

#[test]
fn install_links_makes_the_five_names_once_and_keeps_other_files() {
    let dir = scratch("wabt", "install");
    let path = dir.to_str().unwrap();
    let first = run(&["install-links", path]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    for tool in [
        "wasm2wat",
        "wat2wasm",
        "wasm-validate",
        "wasm-strip",
        "wasm-objdump",
    ] {
        assert!(text.contains(&format!("{tool} -> ")), "{text}");
        assert!(dir.join(tool).exists(), "{tool}");
    }
    assert_eq!(text.matches("(made)").count(), 5, "{text}");
    let again = run(&["install-links", path]);
    assert!(again.status.success());
    assert_eq!(stdout(&again).matches("(already there)").count(), 5);

    // Another program under one of the names is not replaced unasked.
    std::fs::remove_file(dir.join("wasm-strip")).unwrap();
    std::fs::write(dir.join("wasm-strip"), "#!/bin/sh\n").unwrap();
    let blocked = run(&["install-links", path]);
    assert_eq!(blocked.status.code(), Some(1));
    assert!(stderr(&blocked).contains("wasm-strip: a file is already there (--force"));
    assert_eq!(
        std::fs::read(dir.join("wasm-strip")).unwrap(),
        b"#!/bin/sh\n"
    );
    let forced = run(&["install-links", "--force", path]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let version = Command::new(dir.join("wasm-strip"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(stdout(&version).contains("wasmscope"));
}

#[test]
fn wat2wasm_writes_wabts_bytes() {
    let dir = scratch("wabt", "wat2wasm");
    for (text, flags) in TEXTS {
        let input = testdata().join(text);
        let input = input.to_str().unwrap();
        // Without names, and with WABT's name section.
        for names in [&[][..], &["--debug-names"]] {
            let flags: Vec<&str> = flags.iter().chain(names).copied().collect();
            let a = wabt(
                "wat2wasm",
                &strs(&with(&flags, &[input, "-o", "wabt.wasm"])),
                &dir,
            );
            assert!(a.status.success(), "WABT on {text}: {}", stderr(&a));
            let b = ours(
                "wat2wasm",
                &strs(&with(&flags, &[input, "-o", "ours.wasm"])),
                &dir,
            );
            assert!(b.status.success(), "{text}: {}", stderr(&b));
            assert!(stdout(&b).is_empty() && stderr(&b).is_empty());
            assert!(
                std::fs::read(dir.join("wabt.wasm")).unwrap()
                    == std::fs::read(dir.join("ours.wasm")).unwrap(),
                "{text} {names:?}: wat2wasm's bytes differ"
            );
        }
    }
}

#[test]
fn wat2wasm_names_its_output_after_the_input_in_the_current_directory() {
    let dir = scratch("wabt", "wat2wasm-default");
    let input = testdata().join("dead-code.wat");
    let out = ours("wat2wasm", &[input.to_str().unwrap()], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read(dir.join("dead-code.wasm")).unwrap();
    // `--output=-` writes the same to stdout; `-o -` is refused as WABT
    // refuses it (a value may not start with `-`).
    let piped = ours("wat2wasm", &[input.to_str().unwrap(), "--output=-"], &dir);
    assert_eq!(piped.stdout, written);
    let dash = ours("wat2wasm", &[input.to_str().unwrap(), "-o", "-"], &dir);
    let wabt_dash = wabt("wat2wasm", &[input.to_str().unwrap(), "-o", "-"], &dir);
    assert_same("wat2wasm -o -", &wabt_dash, &dash);
}

#[test]
fn wat2wasm_errors_point_at_the_token_as_wabt_does() {
    let dir = testdata();
    for text in [
        "bad-syntax.wat",
        "bad-unknown-label.wat",
        "invalid-type-mismatch.wat",
    ] {
        let a = wabt("wat2wasm", &[text, "-o", "/dev/null"], &dir);
        let b = ours("wat2wasm", &[text, "-o", "/dev/null"], &dir);
        assert_eq!(a.status.code(), Some(1));
        assert_eq!(b.status.code(), Some(1), "{text}");
        let (a, b) = (stderr(&a), stderr(&b));
        let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        // The position, then the source line and the carets under the
        // token are WABT's; the message's words are wasmscope's own.
        let position = |line: &str| line.split(" error: ").next().unwrap().to_string();
        assert_eq!(position(a[0]), position(b[0]), "{text}");
        assert!(b[0].contains(": error: "), "{text}: {}", b[0]);
        assert_eq!(&a[1..3], &b[1..3], "{text}: source line and carets");
    }
    // The type error keeps its first words.
    let b = ours(
        "wat2wasm",
        &["invalid-type-mismatch.wat", "-o", "/dev/null"],
        &dir,
    );
    assert!(stderr(&b).starts_with("invalid-type-mismatch.wat:9:6: error: type mismatch"));
}

/// WABT's `wat2wasm` run on a text, with the flags a fixture needs: the
/// bytes it makes of it, or `None` if it cannot read the text.
fn wabt_reads(text: &Path, flags: &[&str], dir: &Path) -> Option<Vec<u8>> {
    let out = dir.join("back.wasm");
    let args = with(
        flags,
        &[text.to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    let res = wabt("wat2wasm", &strs(&args), dir);
    res.status.success().then(|| std::fs::read(out).unwrap())
}

/// [`wabt_reads`], which must succeed.
fn wabt_reads_back(text: &Path, flags: &[&str], dir: &Path) -> Vec<u8> {
    wabt_reads(text, flags, dir)
        .unwrap_or_else(|| panic!("WABT's wat2wasm cannot read {}", text.display()))
}

#[test]
fn wasm2wat_text_reads_back_with_wabt_to_what_wabts_own_text_gives() {
    let dir = scratch("wabt", "wasm2wat");
    // The binaries, and the text fixtures made binary by WABT.
    let mut cases: Vec<(PathBuf, Vec<&str>)> = binaries()
        .into_iter()
        .map(|b| (testdata().join(b), vec!["--no-check"]))
        .collect();
    for (text, flags) in TEXTS {
        let bin = dir.join(text.replace(".wat", ".wasm"));
        let args = with(
            flags,
            &[
                testdata().join(text).to_str().unwrap(),
                "-o",
                bin.to_str().unwrap(),
            ],
        );
        assert!(wabt("wat2wasm", &strs(&args), &dir).status.success());
        let mut flags = flags.to_vec();
        flags.retain(|f| *f != "--no-check");
        flags.push("--no-check");
        cases.push((bin, flags));
    }
    for (bin, flags) in &cases {
        let name = bin.file_name().unwrap().to_str().unwrap();
        for style in [
            &[][..],
            &["-f"],
            &["--no-debug-names"],
            &["--generate-names"],
        ] {
            if style == ["-f"] && name == "exceptions-legacy.wasm" {
                // The folded printer has no form for try/catch/delegate.
                let out = ours("wasm2wat", &["-f", bin.to_str().unwrap()], &dir);
                assert_eq!(out.status.code(), Some(1));
                assert!(stderr(&out).contains("legacy-exceptions not supported"));
                continue;
            }
            let mut args = flags.clone();
            args.extend_from_slice(style);
            args.push(bin.to_str().unwrap());
            args.extend(["-o", "text.wat"]);
            let a = wabt("wasm2wat", &args, &dir);
            assert!(a.status.success(), "WABT on {name}: {}", stderr(&a));
            let from_wabt = wabt_reads(&dir.join("text.wat"), flags, &dir);
            let b = ours("wasm2wat", &args, &dir);
            assert!(b.status.success(), "{name} {style:?}: {}", stderr(&b));
            let from_ours = wabt_reads_back(&dir.join("text.wat"), flags, &dir);
            if from_wabt.as_ref() != Some(&from_ours) {
                // Where WABT's own text does not read back to the module
                // (its wasm2wat swaps `memory.init`'s operands when there
                // are several memories), wasmscope's text must.
                let original = dir.join("original.wasm");
                let strip = wabt(
                    "wasm-strip",
                    &[bin.to_str().unwrap(), "-o", original.to_str().unwrap()],
                    &dir,
                );
                assert!(strip.status.success());
                let original = std::fs::read(original).unwrap();
                assert!(
                    from_ours == original && from_wabt.as_ref() != Some(&original),
                    "{name} {style:?}: WABT's wat2wasm makes different modules of the two texts"
                );
                assert_eq!(
                    name, "multi-memory.wasm",
                    "WABT's text differs on {name} too"
                );
            }
        }
        // Names too: WABT keeps them with --debug-names, and wasmscope's
        // text names every item as WABT's text does. (WABT cannot read its
        // own text of the multi-memory module back at all.)
        if name == "multi-memory.wasm" {
            continue;
        }
        let mut args = flags.clone();
        args.extend([bin.to_str().unwrap(), "-o", "text.wat"]);
        let mut back = flags.clone();
        back.push("--debug-names");
        assert!(wabt("wasm2wat", &args, &dir).status.success());
        let from_wabt = wabt_reads_back(&dir.join("text.wat"), &back, &dir);
        assert!(ours("wasm2wat", &args, &dir).status.success());
        let from_ours = wabt_reads_back(&dir.join("text.wat"), &back, &dir);
        assert!(from_wabt == from_ours, "{name}: the names differ");
    }
}

#[test]
fn wasm2wat_checks_before_printing_and_writes_no_file_on_failure() {
    let dir = scratch("wabt", "wasm2wat-check");
    let input = testdata().join("invalid-type-mismatch.wasm");
    let out = ours("wasm2wat", &[input.to_str().unwrap(), "-o", "x.wat"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("invalid-type-mismatch.wasm:0000033: error: type mismatch"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("x.wat").exists());
    let unchecked = ours("wasm2wat", &["--no-check", input.to_str().unwrap()], &dir);
    assert!(unchecked.status.success());
    assert!(stdout(&unchecked).contains("i64.const 1"));
}

/// Modules to give wasm-validate and wasm-strip: the binaries, and the
/// malformed fixtures.
const MALFORMED: &[&str] = &[
    "truncated.wasm",
    "bad-magic.wasm",
    "bad-version.wasm",
    "malformed-leb.wasm",
    "malformed-section.wasm",
];

#[test]
fn wasm_validate_exits_and_reports_as_wabt_does() {
    let dir = testdata();
    for file in binaries() {
        let a = wabt("wasm-validate", &[&file], &dir);
        let b = ours("wasm-validate", &[&file], &dir);
        assert_eq!(a.status.code(), b.status.code(), "{file}");
        assert!(b.stdout.is_empty(), "{file}");
        if a.status.success() {
            assert!(b.stderr.is_empty(), "{file}");
        } else {
            // Validation errors: the path and offset, then the message's
            // first words.
            let first_words = |o: &Output| {
                let text = stderr(o);
                let (place, message) = text.lines().next().unwrap().split_once(" error: ").unwrap();
                let words: Vec<&str> = message
                    .split(' ')
                    .take(2)
                    .map(|w| w.trim_end_matches([':', ',']))
                    .collect();
                format!("{place} error: {}", words.join(" "))
            };
            assert_eq!(first_words(&a), first_words(&b), "{file}");
        }
    }
    // Malformed modules: WABT's line exactly.
    for file in MALFORMED {
        let a = wabt("wasm-validate", &[file], &dir);
        let b = ours("wasm-validate", &[file], &dir);
        assert_same(file, &a, &b);
    }
    let empty = scratch("wabt", "validate-empty").join("empty.wasm");
    std::fs::write(&empty, b"").unwrap();
    let e = empty.to_str().unwrap();
    assert_same(
        "an empty file",
        &wabt("wasm-validate", &[e], &dir),
        &ours("wasm-validate", &[e], &dir),
    );
}

#[test]
fn wasm_validate_takes_wabts_feature_flags() {
    let dir = scratch("wabt", "validate-features");
    let bin = |text: &str, flags: &[&str]| {
        let out = dir.join(text.replace(".wat", ".wasm"));
        let args = with(
            flags,
            &[
                testdata().join(text).to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert!(wabt("wat2wasm", &strs(&args), &dir).status.success());
        out.to_str().unwrap().to_string()
    };
    let threads = bin("threads.wat", &["--enable-threads"]);
    let simd = bin("simd.wat", &["--enable-relaxed-simd"]);
    // With the flag WABT needs, both accept it; without it WABT refuses a
    // proposal wasmscope always reads.
    let a = wabt("wasm-validate", &["--enable-threads", &threads], &dir);
    let b = ours("wasm-validate", &["--enable-threads", &threads], &dir);
    assert_same("--enable-threads", &a, &b);
    assert_eq!(
        wabt("wasm-validate", &[&threads], &dir).status.code(),
        Some(1)
    );
    assert!(ours("wasm-validate", &[&threads], &dir).status.success());
    // A --disable flag takes the proposal away for real.
    let a = wabt(
        "wasm-validate",
        &["--enable-relaxed-simd", "--disable-simd", &simd],
        &dir,
    );
    let b = ours(
        "wasm-validate",
        &["--enable-relaxed-simd", "--disable-simd", &simd],
        &dir,
    );
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
    // The flags are WABT's: one per proposal, named by its default.
    let c = ours("wasm-validate", &["--enable-simd", &simd], &dir);
    let d = wabt("wasm-validate", &["--enable-simd", &simd], &dir);
    assert_same("--enable-simd is not a flag", &d, &c);
}

#[test]
fn wasm_strip_writes_wabts_bytes_in_place_or_to_o() {
    let dir = scratch("wabt", "strip");
    for file in binaries() {
        let src = testdata().join(&file);
        std::fs::copy(&src, dir.join("a.wasm")).unwrap();
        std::fs::copy(&src, dir.join("b.wasm")).unwrap();
        let a = wabt("wasm-strip", &["a.wasm"], &dir);
        let b = ours("wasm-strip", &["b.wasm"], &dir);
        assert_same(&file, &a, &b);
        let stripped = std::fs::read(dir.join("a.wasm")).unwrap();
        assert_eq!(
            stripped,
            std::fs::read(dir.join("b.wasm")).unwrap(),
            "{file}"
        );
        let c = ours("wasm-strip", &[src.to_str().unwrap(), "-o", "c.wasm"], &dir);
        assert!(c.status.success());
        assert_eq!(
            stripped,
            std::fs::read(dir.join("c.wasm")).unwrap(),
            "{file} -o"
        );
    }
    // A module that does not decode is left as it was.
    for file in MALFORMED {
        let src = testdata().join(file);
        std::fs::copy(&src, dir.join("a.wasm")).unwrap();
        std::fs::copy(&src, dir.join("b.wasm")).unwrap();
        let a = wabt("wasm-strip", &["a.wasm"], &dir);
        let b = ours("wasm-strip", &["b.wasm"], &dir);
        assert_same(file, &a, &b);
        assert_eq!(
            std::fs::read(dir.join("b.wasm")).unwrap(),
            std::fs::read(&src).unwrap()
        );
    }
}

#[test]
fn usage_errors_and_missing_files_are_wabts() {
    let dir = testdata();
    let cases: &[(&str, &[&str])] = &[
        ("wasm2wat", &[]),
        ("wasm2wat", &["--bogus", "demo.wasm"]),
        ("wasm2wat", &["demo.wasm", "names.wasm"]),
        ("wasm2wat", &["--in", "demo.wasm"]),
        ("wasm2wat", &["--ver"]),
        ("wasm2wat", &["demo.wasm", "-o"]),
        ("wasm2wat", &["-x", "demo.wasm"]),
        ("wasm2wat", &["--output"]),
        ("wasm2wat", &["missing.wasm"]),
        ("wasm2wat", &["debug"]),
        ("wat2wasm", &["missing.wat"]),
        ("wat2wasm", &["-oout.wasm", "dead-code.wat"]),
        ("wasm-validate", &["missing.wasm"]),
        ("wasm-validate", &["--enable", "demo.wasm"]),
        ("wasm-strip", &["-k", "name", "demo.wasm"]),
        ("wasm-strip", &["missing.wasm"]),
        ("wasm-objdump", &["demo.wasm"]),
        ("wasm-objdump", &["-h", "missing.wasm"]),
        ("wasm-objdump", &["-jType", "demo.wasm"]),
    ];
    for (tool, args) in cases {
        let what = format!("{tool} {}", args.join(" "));
        assert_same(&what, &wabt(tool, args, &dir), &ours(tool, args, &dir));
    }
}

#[test]
fn what_wasmscope_will_not_do_is_refused_not_ignored() {
    let dir = testdata();
    for (tool, args) in [
        ("wasm2wat", ["--inline-exports", "demo.wasm"]),
        ("wat2wasm", ["-r", "dead-code.wat"]),
        ("wat2wasm", ["--no-canonicalize-leb128s", "dead-code.wat"]),
    ] {
        let out = ours(tool, &args, &dir);
        assert_eq!(out.status.code(), Some(1), "{tool} {args:?}");
        let text = stderr(&out);
        assert!(
            text.starts_with(&format!("{tool}: option '"))
                && text.contains("is not supported: ")
                && text.ends_with("Try '--help' for more information.\n"),
            "{text}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn every_tools_help_names_wabts_options_and_has_examples() {
    let dir = testdata();
    for tool in [
        "wasm2wat",
        "wat2wasm",
        "wasm-validate",
        "wasm-strip",
        "wasm-objdump",
    ] {
        let theirs = stdout(&wabt(tool, &["--help"], &dir));
        let help = ours(tool, &["--help"], &dir);
        assert!(help.status.success());
        let text = stdout(&help);
        assert!(
            text.starts_with(&format!("usage: {tool} [options] filename")),
            "{text}"
        );
        assert!(text.contains("examples:\n"), "{tool}");
        let options = theirs
            .split(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '[')
            .filter(|w| w.starts_with("--") && w.len() > 2);
        for option in options {
            assert!(text.contains(option), "{tool} --help lacks {option}");
        }
    }
}

#[test]
fn proposals_wabt_cannot_read_are_read() {
    let dir = scratch("wabt", "beyond");
    for text in BEYOND_WABT {
        let input = testdata().join(text);
        let input = input.to_str().unwrap();
        // WABT refuses them, whatever the flags.
        let refused = wabt("wat2wasm", &["--enable-all", input, "-o", "w.wasm"], &dir);
        assert_eq!(refused.status.code(), Some(1), "WABT reads {text} now");
        let b = ours("wat2wasm", &[input, "-o", "a.wasm"], &dir);
        assert!(b.status.success(), "{text}: {}", stderr(&b));
        let v = ours("wasm-validate", &["a.wasm"], &dir);
        assert_eq!(
            (v.status.code(), stderr(&v)),
            (Some(0), String::new()),
            "{text}"
        );
        // The text wasm2wat prints reads back to the same module.
        let t = ours("wasm2wat", &["a.wasm", "-o", "a.wat"], &dir);
        assert!(t.status.success(), "{text}: {}", stderr(&t));
        let back = ours("wat2wasm", &["a.wat", "-o", "b.wasm"], &dir);
        assert!(back.status.success(), "{text}: {}", stderr(&back));
        // Custom sections other than names are not in the text, as in
        // WABT's: the rest is the same, once both are stripped.
        for file in ["a.wasm", "b.wasm"] {
            let s = ours("wasm-strip", &[file], &dir);
            assert!(s.status.success(), "{text}: {}", stderr(&s));
        }
        assert_eq!(
            std::fs::read(dir.join("a.wasm")).unwrap(),
            std::fs::read(dir.join("b.wasm")).unwrap(),
            "{text}"
        );
    }
}

#[test]
fn wasm_objdump_through_the_link_prints_what_wabt_prints() {
    let dir = testdata();
    let cases: &[&[&str]] = &[
        &["-h", "demo.wasm"],
        &["-x", "-j", "export", "demo.wasm", "debug/tally.wasm"],
        &["-hxd", "emscripten/app.wasm"],
        &["-s", "-j", "producers", "demo.wasm"],
        &["-x", "-j", "nosuch", "demo.wasm", "debug/tally.wasm"],
        &["-h", "demo.wasm", "truncated.wasm", "debug/tally.wasm"],
        &["-h", "demo.wasm", "missing.wasm"],
        &["-d", "--section-offsets", "invalid-type-mismatch.wasm"],
    ];
    for args in cases {
        let what = format!("wasm-objdump {}", args.join(" "));
        assert_same(
            &what,
            &wabt("wasm-objdump", args, &dir),
            &ours("wasm-objdump", args, &dir),
        );
    }
    // From stdin, named as WABT names it.
    let bytes = std::fs::read(dir.join("invalid-type-mismatch.wasm")).unwrap();
    let from_stdin = |program: PathBuf| {
        use std::io::Write;
        let mut child = Command::new(program)
            .args(["-x", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        child.wait_with_output().unwrap().stdout
    };
    let ours_out = from_stdin(links().join("wasm-objdump"));
    assert_eq!(from_stdin(PathBuf::from("wasm-objdump")), ours_out);
    assert!(
        String::from_utf8(ours_out)
            .unwrap()
            .contains("<stdin>:\tfile format wasm 0x1")
    );
}

/// A script of the kind people write around WABT: build, validate, print,
/// rebuild, dump and strip, checking each step's result.
const SCRIPT: &str = r#"set -eu
in=$1
wat2wasm "$in" -o built.wasm
wasm-validate built.wasm
wasm2wat built.wasm -o round.wat
wat2wasm round.wat -o again.wasm
cmp built.wasm again.wasm
wat2wasm --debug-names "$in" -o named.wasm
wasm-objdump -h -x -d named.wasm > dump.txt
grep -c 'func\[' dump.txt
wasm-objdump -x -j Export named.wasm | sed -n 's/^ - func\[\([0-9]*\)\].*-> "\(.*\)"$/\2 \1/p'
cp named.wasm stripped.wasm
wasm-strip stripped.wasm
wasm-objdump -h stripped.wasm | grep -c 'Custom' || true
if wasm-validate "$2" 2>err.txt; then echo valid; else echo "invalid: $(cut -d' ' -f2-4 err.txt)"; fi
"#;

#[test]
fn a_script_written_for_wabt_works_unchanged_with_the_links() {
    let bash = |path: String, area: &str| {
        let dir = scratch("wabt", area);
        let out = Command::new("bash")
            .args(["-c", SCRIPT, "script"])
            .arg(testdata().join("dead-code.wat"))
            .arg(testdata().join("truncated.wasm"))
            .env("PATH", path)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{area}: {}", stderr(&out));
        (stdout(&out), dir)
    };
    let system = std::env::var("PATH").unwrap();
    let (wabt_out, wabt_dir) = bash(system.clone(), "script-wabt");
    let (links_out, links_dir) = bash(format!("{}:{system}", links().display()), "script-links");
    assert_eq!(wabt_out, links_out, "what the script printed");
    assert!(
        links_out.ends_with("invalid: error: invalid section\n"),
        "{links_out}"
    );
    for file in ["built.wasm", "named.wasm", "stripped.wasm", "dump.txt"] {
        let (a, b) = (wabt_dir.join(file), links_dir.join(file));
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn hostile_modules_end_cleanly_under_every_tool_name() {
    use crate::common::hostile::{MEMORY_BOUND, TIME_BOUND};
    let dirs = ["hostile", "fuzz"];
    let scratch_dir = scratch("wabt", "hostile");
    let mut checked = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(testdata().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "wasm") {
                continue;
            }
            let file = path.to_str().unwrap();
            let runs: [(&str, Vec<&str>); 5] = [
                ("wasm-validate", vec![file]),
                ("wasm2wat", vec!["--no-check", file, "-o", "out.wat"]),
                ("wasm-strip", vec![file, "-o", "out.wasm"]),
                ("wasm-objdump", vec!["-hxds", file]),
                ("wat2wasm", vec![file, "-o", "out.wasm"]),
            ];
            for (tool, args) in runs {
                let ended = crate::common::wasmscope(&args)
                    .program(links().join(tool))
                    .dir(&scratch_dir)
                    .discard_stdout()
                    .time_bound(TIME_BOUND)
                    .memory_bound(MEMORY_BOUND)
                    .bounded();
                let what = format!("{tool} {}", args.join(" "));
                assert!(
                    !ended.timed_out,
                    "{what}: still running after {TIME_BOUND:?}"
                );
                assert!(
                    matches!(ended.code, Some(0 | 1)),
                    "{what}: exit {:?}; stderr: {}",
                    ended.code,
                    ended.stderr
                );
                assert!(
                    !ended.stderr.contains("panicked"),
                    "{what}: {}",
                    ended.stderr
                );
                if tool == "wasm-objdump" {
                    // What WABT says, even where it says nothing.
                    let theirs = wabt(tool, &args, &scratch_dir);
                    assert_eq!(
                        (theirs.status.code(), stderr(&theirs)),
                        (ended.code, ended.stderr.clone()),
                        "{what}: exit and stderr of WABT (left) and wasmscope"
                    );
                } else if ended.code == Some(1) {
                    // A failure says where, as WABT does: an offset, or the
                    // file.
                    let first = ended.stderr.lines().next().unwrap_or_default();
                    let located = first.len() > 8
                        && first.as_bytes()[..7].iter().all(u8::is_ascii_hexdigit)
                        && first[7..].starts_with(": ");
                    assert!(
                        located || first.starts_with(file),
                        "{what}: {}",
                        ended.stderr
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 5 * 15, "{checked} runs");
}
