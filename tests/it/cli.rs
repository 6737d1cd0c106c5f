//! Runs the real `wasmscope` binary the way a user does and compares what it
//! prints with the golden files under snapshots/.

use std::process::{Command, Output, Stdio};

use crate::common::{BIN, run, snapshot, stderr, stdout, testdata, wasmscope};

const VALID_FIXTURES: &[&str] = &[
    "component.wat",
    "exceptions.wat",
    "exceptions-legacy.wat",
    "gc.wat",
    "memory64.wat",
    "multi-memory.wat",
    "names.wat",
    "reference-types.wat",
    "simd.wat",
    "tail-call.wat",
    "threads.wat",
];

/// Inputs that must be refused, each with a clean one-line error.
const BAD_FIXTURES: &[&str] = &[
    "bad-magic.wasm",
    "bad-syntax.wat",
    "bad-unknown-label.wat",
    "bad-version.wasm",
    "invalid-type-mismatch.wasm",
    "invalid-type-mismatch.wat",
    "malformed-leb.wasm",
    "malformed-section.wasm",
    "truncated.wasm",
];

#[test]
fn print_every_fixture() {
    for fixture in VALID_FIXTURES {
        let out = run(&["print", fixture]);
        assert!(out.status.success(), "{fixture}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{fixture}: {}", stderr(&out));
        snapshot("print", fixture, &stdout(&out));
    }
}

#[test]
fn print_options_on_fixtures() {
    let cases: &[(&str, &[&str])] = &[
        ("names-offsets", &["print", "names.wat", "--offsets"]),
        ("names-fold", &["print", "names.wat", "--fold"]),
        ("names-skeleton", &["print", "names.wat", "--skeleton"]),
        (
            "names-func-by-name",
            &["print", "names.wat", "--func", "$init"],
        ),
        ("gc-name-unnamed", &["print", "gc.wat", "--name-unnamed"]),
        ("demo-skeleton", &["print", "--demo", "--skeleton"]),
        (
            "demo-func-demangled",
            &["print", "--demo", "--func", "hasher::Style::hex"],
        ),
    ];
    for (name, args) in cases {
        let out = run(args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        snapshot("print", name, &stdout(&out));
    }
}

#[test]
fn func_by_index_equals_func_by_name() {
    let by_name = run(&["print", "names.wat", "--func", "init"]);
    let by_index = run(&["print", "names.wat", "--func", "1"]);
    assert!(by_name.status.success(), "{}", stderr(&by_name));
    assert_eq!(stdout(&by_name), stdout(&by_index));
    assert!(stdout(&by_name).starts_with("(;@"), "offsets are printed");
}

#[test]
fn text_and_binary_inputs_print_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    for fixture in VALID_FIXTURES {
        let wasm = dir.path().join("m.wasm");
        let parsed = run(&["parse", fixture, "-o", wasm.to_str().expect("utf-8 path")]);
        assert!(parsed.status.success(), "{fixture}: {}", stderr(&parsed));
        let from_text = run(&["print", fixture]);
        let from_binary = run(&["print", wasm.to_str().expect("utf-8 path")]);
        assert_eq!(stdout(&from_text), stdout(&from_binary), "{fixture}");
    }
}

#[test]
fn stdin_is_read_when_file_is_dash() {
    let bytes = std::fs::read(testdata().join("demo.wasm")).expect("demo.wasm exists");
    let out = wasmscope(["validate", "-"]).stdin(bytes).output();
    assert_eq!(stdout(&out), "<stdin>: valid module (242 functions)\n");
    let text = std::fs::read(testdata().join("simd.wat")).expect("simd.wat exists");
    let piped = wasmscope(["print", "-"]).stdin(text).output();
    assert_eq!(stdout(&piped), stdout(&run(&["print", "simd.wat"])));
}

#[test]
fn demo_is_embedded() {
    let embedded = run(&["print", "--demo"]);
    let on_disk = run(&["print", "demo.wasm"]);
    assert!(embedded.status.success(), "{}", stderr(&embedded));
    assert_eq!(stdout(&embedded), stdout(&on_disk));
    assert!(stdout(&embedded).contains("(export \"_start\""));
}

#[test]
fn bad_inputs_fail_cleanly() {
    for fixture in BAD_FIXTURES {
        // An invalid but well-formed module still prints and round-trips:
        // only the commands that check validity refuse it.
        let commands: &[&str] = if fixture.starts_with("invalid-") {
            &["validate", "parse"]
        } else {
            &["print", "validate", "parse", "roundtrip"]
        };
        let mut report = String::new();
        for cmd in commands {
            let args: &[&str] = if *cmd == "parse" {
                &[cmd, fixture, "-o", "/dev/null"]
            } else {
                &[cmd, fixture]
            };
            let out = run(args);
            let code = out.status.code();
            // A panic exits with 101 and a signal with no code at all.
            assert!(
                code == Some(1),
                "{cmd} {fixture}: exit {code:?}\n{}",
                stderr(&out)
            );
            let err = stderr(&out);
            assert!(err.starts_with("error: "), "{cmd} {fixture}: {err}");
            assert!(!err.contains("panicked"), "{cmd} {fixture}: {err}");
            report.push_str(&format!("$ wasmscope {}\n{err}\n", args.join(" ")));
        }
        snapshot("errors", fixture, &report);
    }
}

#[test]
fn validation_error_names_function_and_instruction() {
    let out = run(&["validate", "invalid-type-mismatch.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: invalid-type-mismatch.wasm:0x33: in function 2 `bad` at `end`: \
         type mismatch: expected i32, found i64\n"
    );
}

#[test]
fn validate_reports_every_file() {
    let out = run(&["validate", "simd.wat", "truncated.wasm", "gc.wat"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "simd.wat: valid module (10 functions)\ngc.wat: valid module (7 functions)\n"
    );
    assert!(stderr(&out).contains("truncated.wasm:0x37"));
    let quiet = run(&["validate", "-q", "simd.wat"]);
    assert!(quiet.status.success() && quiet.stdout.is_empty());
}

#[test]
fn features_narrow_validation() {
    let out = run(&["validate", "--features", "wasm1", "simd.wat"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("SIMD support is not enabled"),
        "{}",
        stderr(&out)
    );
    let legacy = run(&[
        "validate",
        "--features=-legacy-exceptions",
        "exceptions-legacy.wat",
    ]);
    assert_eq!(legacy.status.code(), Some(1));
    let bad = run(&["validate", "--features", "nonsense", "simd.wat"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown feature `nonsense`"));
}

#[test]
fn roundtrip_fixtures_and_demo() {
    for fixture in VALID_FIXTURES {
        let out = run(&["roundtrip", fixture]);
        assert!(
            out.status.success(),
            "{fixture}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert_eq!(stdout(&out), "identical\n");
    }
}

#[test]
fn roundtrip_demo_is_stable_after_one_pass() {
    // rustc pads call targets and sizes to five-byte LEB128s (for its
    // linker); text cannot keep that padding, so the bytes change once.
    let out = run(&["roundtrip", "--demo"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot("errors", "roundtrip-demo", &stdout(&out));
}

#[test]
fn roundtrip_reports_first_difference() {
    let out = run(&["roundtrip", "overlong-leb.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    snapshot("errors", "roundtrip-overlong-leb", &stdout(&out));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("out.wat");
    let out_arg = out_path.to_str().expect("utf-8 path");
    let ok = run(&["print", "simd.wat", "-o", out_arg]);
    assert!(ok.status.success() && ok.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out_path).expect("written"),
        stdout(&run(&["print", "simd.wat"]))
    );
    // A failure leaves the previous file as it was and nothing else behind.
    let failed = run(&["print", "truncated.wasm", "-o", out_arg]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out_path).expect("still there"),
        stdout(&run(&["print", "simd.wat"]))
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 1);
    let fresh = dir.path().join("never.wasm");
    let failed = run(&[
        "parse",
        "bad-syntax.wat",
        "-o",
        fresh.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(!fresh.exists());
}

/// `-o` naming a device or a pipe writes into it; it must never replace it
/// with a regular file (renaming a temporary file over `/dev/null` would).
#[cfg(unix)]
#[test]
fn output_to_a_pipe_or_device_is_written_in_place() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .expect("opens the pipe")
                .read_to_string(&mut text)
                .expect("reads the pipe");
            text
        })
    };
    let out = run(&[
        "print",
        "simd.wat",
        "-o",
        fifo.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Checked before joining: had the pipe been replaced, the reader would
    // wait for a writer forever.
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the pipe was replaced by a file");
    let text = reader.join().expect("reader thread");
    assert_eq!(text, stdout(&run(&["print", "simd.wat"])));
    assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 1);

    let out = run(&["print", "simd.wat", "-o", "/dev/null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let kind = std::fs::metadata("/dev/null").expect("exists").file_type();
    assert!(kind.is_char_device(), "/dev/null was replaced by a file");
}

#[test]
fn output_over_input_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.wat");
    std::fs::copy(testdata().join("simd.wat"), &path).expect("copied");
    let arg = path.to_str().expect("utf-8 path");
    let out = run(&["print", arg, "-o", arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("refusing to overwrite the input file"));
    assert_eq!(
        std::fs::read(&path).expect("unchanged"),
        std::fs::read(testdata().join("simd.wat")).expect("fixture")
    );
}

#[test]
fn parse_validates_unless_told_not_to() {
    let out = run(&["parse", "invalid-type-mismatch.wat", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("type mismatch"), "{}", stderr(&out));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.wasm");
    let out = run(&[
        "parse",
        "--no-validate",
        "invalid-type-mismatch.wat",
        "-o",
        path.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&path).expect("written"),
        std::fs::read(testdata().join("invalid-type-mismatch.wasm")).expect("fixture")
    );
}

#[test]
fn color_is_opt_in_off_a_terminal() {
    let plain = run(&["print", "simd.wat"]);
    assert!(!stdout(&plain).contains('\x1b'));
    let colored = run(&["print", "simd.wat", "--color", "always"]);
    assert!(stdout(&colored).contains("\x1b["));
    let stripped = strip_ansi(&stdout(&colored));
    assert_eq!(stripped, stdout(&plain));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip `[`, parameters and the final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn broken_pipe_exits_quietly() {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{BIN}' print --demo | head -n 1; exit ${{PIPESTATUS:-0}}"
        ))
        .output()
        .expect("sh runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.starts_with("(module $hasher") && printed.lines().count() == 1,
        "{printed}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["print", "--no-such-flag"][..],
        &["frobnicate"],
        &["calls", "--demo"],
        &["print", "--demo", "simd.wat"],
        &["print", "--color", "sometimes", "simd.wat"],
        &["validate"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn help_has_examples() {
    for cmd in [
        "print",
        "parse",
        "validate",
        "roundtrip",
        "info",
        "sections",
        "stats",
        "imports",
        "exports",
        "calls",
        "caps",
        "check",
        "diff",
        "symbolize",
        "wit",
        "extract",
        #[cfg(feature = "browse")]
        "browse",
        "strip",
        "export",
        "custom",
        "metadata",
        "gc",
        "edit",
        "completions",
        "man",
        "install-links",
    ] {
        let out = run(&[cmd, "--help"]);
        assert!(out.status.success());
        let help = stdout(&out);
        assert!(help.contains("Examples:"), "{cmd}");
        assert!(help.contains("Exit status:"), "{cmd}");
        snapshot("help", cmd, &help);
    }
    // The overview names `browse`, which a build without the browser lacks.
    if cfg!(feature = "browse") {
        let top = run(&["--help"]);
        snapshot("help", "wasmscope", &stdout(&top));
    }
}

/// Runs wasmscope under a pseudo-terminal (util-linux `script`), so that
/// stdout is a terminal as it is for a user at a shell.
fn run_on_terminal(args: &str, no_color: bool) -> Output {
    let mut cmd = Command::new("script");
    cmd.args(["-qec"])
        .arg(format!("'{BIN}' {args}"))
        .arg("/dev/null")
        .current_dir(testdata())
        .stdin(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    cmd.output().expect("script(1) runs")
}

#[test]
fn binary_output_is_refused_on_a_terminal() {
    let out = run_on_terminal("parse simd.wat", false);
    assert_eq!(out.status.code(), Some(2));
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("refusing to write binary output to a terminal"),
        "{screen}"
    );
    assert!(
        !screen.contains("asm"),
        "binary reached the terminal: {screen}"
    );
}

#[test]
fn color_on_a_terminal_honours_no_color() {
    let colored = run_on_terminal("print simd.wat", false);
    assert!(colored.status.success());
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\x1b["));
    let plain = run_on_terminal("print simd.wat", true);
    assert!(plain.status.success());
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\x1b["));
}

/// What bash offers after `words` (the last one being completed), with the
/// script `completions bash` prints.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = format!(
        "source <({} completions bash) && COMP_WORDS=({}) && COMP_CWORD={} && \
         _wasmscope wasmscope {} {} && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        shell_word(BIN),
        words
            .iter()
            .map(|w| shell_word(w))
            .collect::<Vec<_>>()
            .join(" "),
        words.len() - 1,
        shell_word(words.last().unwrap()),
        shell_word(words[words.len().saturating_sub(2)]),
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{script}: {}", stderr(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn bash_completes_commands_options_and_values() {
    assert_eq!(bash_completes(&["wasmscope", "pr"]), ["print"]);
    assert_eq!(bash_completes(&["wasmscope", "pa"]), ["parse"]);
    let caps = bash_completes(&["wasmscope", "caps", "--ru"]);
    assert_eq!(caps, ["--runtime"]);
    let runtimes = bash_completes(&["wasmscope", "caps", "--runtime", ""]);
    assert_eq!(runtimes, ["wasmtime", "wasmer"]);
    let shells = bash_completes(&["wasmscope", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for command in ["print", "caps", "check", "strip", "man"] {
            assert!(script.contains(command), "{shell} script lacks {command}");
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `page` as `man -l` renders it, 100 columns wide, without a pager.
fn man_renders(page: &[u8]) -> String {
    let mut man = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man is needed to check the man pages (apt-get install man-db)");
    std::io::Write::write_all(man.stdin.as_mut().unwrap(), page).unwrap();
    drop(man.stdin.take());
    let out = man.wait_with_output().unwrap();
    assert!(out.status.success(), "man -l: {}", stderr(&out));
    assert!(stderr(&out).is_empty(), "man -l warns: {}", stderr(&out));
    // Bold and underline come as overstrikes (`N\u{8}N`): keep the letters.
    let mut text = String::new();
    for c in stdout(&out).chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    text
}

#[test]
fn man_pages_render_for_wasmscope_and_each_command() {
    let out = run(&["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = man_renders(&out.stdout);
    assert!(page.contains("wasmscope(1)"), "{page}");
    for command in [
        "wasmscope-print(1)",
        "wasmscope-caps(1)",
        "wasmscope-man(1)",
    ] {
        assert!(page.contains(command), "{command} in {page}");
    }
    for command in ["print", "caps", "check", "strip", "man", "completions"] {
        let out = run(&["man", command]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        let page = man_renders(&out.stdout);
        assert!(page.contains(&format!("wasmscope-{command}(1)")), "{page}");
        assert!(
            page.contains(&format!("wasmscope {command} ")),
            "synopsis: {page}"
        );
        assert!(
            page.contains("EXAMPLES") && page.contains("EXIT STATUS"),
            "{page}"
        );
    }
    // The examples keep their lines.
    let page = man_renders(&run(&["man", "caps"]).stdout);
    assert!(
        page.lines()
            .any(|l| l.trim()
                == "wasmscope caps plugins/ --recursive            one line per module"),
        "{page}"
    );
    let out = run(&["man", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: no command `nosuch`"),
        "{}",
        stderr(&out)
    );
}
