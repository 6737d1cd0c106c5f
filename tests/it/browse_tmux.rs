//! Runs `wasmscope browse` (and `wasmscope edit` with vi) in a real
//! terminal, a tmux pane, presses keys the way a user does and checks what is
//! on the screen after each step.
//!
//! Every test starts a tmux server of its own (`tmux -L <unique name>`) and
//! kills it when it ends, even on failure. tmux is required: without it the
//! tests fail rather than skip.
//!
//! It is one file, longer than most, because every test shares the pane
//! driver below (start, keys, screen capture, terminal state) and walks a
//! user's path through the real terminal from start to end.

use std::fmt::Write as _;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{BIN, wasmscope};

/// How long a step may take before the test gives up on it.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the screen is read while waiting.
const POLL: Duration = Duration::from_millis(50);
/// How long a screen must stay the same to be taken as drawn.
const SETTLE: Duration = Duration::from_millis(20);
/// The session, and so its only window and pane, that every command targets.
const SESSION: &str = "browse";
/// What the shell around wasmscope prints once it has exited.
const EXITED: &str = "[wasmscope exited with status";
/// Then whether the terminal's settings are as they were (`same`).
const TTY: &str = "[terminal settings";

/// A tmux server of our own, running wasmscope in its only pane.
struct Tmux {
    socket: String,
    /// The server's socket file, removed at the end.
    socket_path: Option<String>,
}

impl Tmux {
    /// Starts `wasmscope <args>` in a `width`x`height` terminal, in the
    /// package's directory (so `testdata/...` paths work and messages are
    /// short).
    ///
    /// wasmscope runs under `/bin/sh`, which prints `EXITED` and its status
    /// once it ends and then waits for a line before exiting with that same
    /// status. tmux 3.3 sometimes drops the last output of a pane whose
    /// process exits, or never learns its status; the waiting shell makes
    /// both certain.
    fn start(test: &str, args: &str, width: u16, height: u16) -> Tmux {
        Tmux::start_with(test, "", args, width, height)
    }

    /// [`Tmux::start`] with `env` (`NAME=value ...`, shell-quoted) set for
    /// wasmscope.
    fn start_with(test: &str, env: &str, args: &str, width: u16, height: u16) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "`tmux -V` failed ({}): {}\nthese tests drive `wasmscope browse` in a real \
                 terminal through tmux",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => panic!(
                "tmux is required to test `wasmscope browse` in a real terminal, and it could \
                 not be run ({e}); install it (e.g. `apt-get install tmux`)"
            ),
        }
        // The guard exists before the server does, so that a failed start
        // still kills whatever was started.
        let mut tmux = Tmux {
            socket: format!("wasmscope-{test}-{}", std::process::id()),
            socket_path: None,
        };
        let bin = shell_quote(BIN);
        // The terminal's settings before and after: a program that leaves
        // the terminal raw changes them.
        let script = format!(
            "t=$(stty -g); {env} {bin} {args}; s=$?; \
             if [ \"$(stty -g)\" = \"$t\" ]; then t=same; else t=changed; fi; \
             echo \"{EXITED} $s] {TTY} $t]\"; read -r _; exit $s"
        );
        let (width, height) = (width.to_string(), height.to_string());
        tmux.run(&[
            // Our own settings, whatever the user's configuration says.
            "set-option",
            "-g",
            "default-shell",
            "/bin/sh",
            ";",
            "set-option",
            "-g",
            "status",
            "off",
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &width,
            "-y",
            &height,
            "-c",
            env!("CARGO_MANIFEST_DIR"),
            &script,
        ]);
        let path = tmux.run(&["display-message", "-p", "-t", SESSION, "#{socket_path}"]);
        tmux.socket_path = Some(path.trim().to_string());
        tmux
    }

    /// Runs a tmux command on our server and returns what it printed.
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("running tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("tmux prints UTF-8")
    }

    /// Presses keys, in tmux's names (`Enter`, `Tab`, `BTab`, `BSpace`...).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` as it is.
    /// `/`, TEXT, Enter: a search as a user types it, each step waited for
    /// (the prompt, then the text on it).
    fn search(&self, text: &str) {
        self.keys(&["/"]);
        self.wait_for("Enter keep, Esc cancel", TIMEOUT);
        self.type_text(text);
        self.wait_for(&format!("/{text}"), TIMEOUT);
        self.keys(&["Enter"]);
    }

    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// What the terminal shows now.
    fn capture(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", SESSION])
    }

    /// Resizes the terminal.
    fn resize(&self, width: u16, height: u16) {
        let (width, height) = (width.to_string(), height.to_string());
        self.run(&["resize-window", "-t", SESSION, "-x", &width, "-y", &height]);
    }

    /// Reads the screen every `POLL` until `ok` accepts it, and returns it;
    /// after `timeout`, fails with the last screen.
    ///
    /// The browser writes a frame in several pieces, and tmux may show the
    /// first before the next arrive: a screen is only taken once it is
    /// accepted and still the same a moment later.
    fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ok(&screen) {
                thread::sleep(SETTLE);
                if self.capture() == screen {
                    return screen;
                }
                continue;
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {what}; the screen was:\n{}",
                    framed(&screen)
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until the screen contains `text`, and returns the screen.
    fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on the screen"), timeout, |s| {
            s.contains(text)
        })
    }

    /// Waits until the screen contains every text of `texts`, and returns
    /// the screen.
    fn wait_for_all(&self, texts: &[&str], timeout: Duration) -> String {
        self.wait_until(&format!("all of {texts:?} on the screen"), timeout, |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Checks that the terminal is as wasmscope found it, once it has
    /// exited: the same settings (not raw), the main screen, no mouse
    /// reporting and a visible cursor.
    fn assert_given_back(&self, screen: &str) {
        assert!(
            screen.contains(&format!("{TTY} same]")),
            "the terminal's settings were not restored:\n{}",
            framed(screen)
        );
        let state = self.run(&[
            "display-message",
            "-p",
            "-t",
            SESSION,
            "#{alternate_on} #{mouse_any_flag} #{mouse_button_flag} #{cursor_flag}",
        ]);
        assert_eq!(
            state.trim(),
            "0 0 0 1",
            "alternate screen, mouse reporting (any, button) and cursor after exit:\n{}",
            framed(screen)
        );
    }

    /// The process id of wasmscope, the child of the pane's shell.
    fn wasmscope_pid(&self) -> String {
        let shell = self.run(&["display-message", "-p", "-t", SESSION, "#{pane_pid}"]);
        let out = Command::new("pgrep")
            .args(["-P", shell.trim()])
            .output()
            .expect("pgrep runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .expect("wasmscope is running")
            .to_string()
    }

    /// Waits for the pane's process to end; returns its exit status when
    /// tmux knows it.
    fn wait_until_dead(&self, timeout: Duration) -> Option<i32> {
        let start = Instant::now();
        let pane = || {
            self.run(&[
                "list-panes",
                "-t",
                SESSION,
                "-F",
                "#{pane_dead} #{pane_dead_status}",
            ])
        };
        loop {
            let state = pane();
            if state.starts_with('1') {
                // The status can come a moment after the pane is dead, and
                // tmux 3.3 sometimes never reports it.
                let dead_at = Instant::now();
                let mut state = state;
                loop {
                    if let Ok(status) = state.trim().trim_start_matches('1').trim().parse() {
                        return Some(status);
                    }
                    if dead_at.elapsed() > Duration::from_millis(500) {
                        return None;
                    }
                    thread::sleep(POLL);
                    state = pane();
                }
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for the process in the pane to end (pane: {state:?}); \
                     the screen was:\n{}",
                    framed(&self.capture())
                );
            }
            thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .env_remove("TMUX")
            .output();
        // The server leaves its socket file behind.
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `s` as one word for `/bin/sh`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A screen in a frame, for failure messages.
fn framed(screen: &str) -> String {
    let mut out = String::from("+----\n");
    for line in screen.lines() {
        let _ = writeln!(out, "|{line}");
    }
    out.push_str("+----");
    out
}

/// Row `i` of the screen (0 is the top), or "" past the end.
fn row(screen: &str, i: usize) -> &str {
    screen.lines().nth(i).unwrap_or("")
}

/// The browser's tab line.
fn tabs(screen: &str) -> &str {
    row(screen, 0)
}

/// The title line of the view (the top border of its panes).
fn title(screen: &str) -> &str {
    row(screen, 1)
}

/// The browser's status line, at the bottom.
fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The selected row the status line shows after `label`, as in
/// `Imports 13/14` or `Code line 6/15` (1 is the first).
fn position(screen: &str, label: &str) -> usize {
    let status = status(screen);
    let at = status
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in the status line {status:?}"));
    let digits: String = status[at + label.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no position after {label:?} in {status:?}"))
}

/// What the left (or only) pane shows on `line`, without its borders.
fn left_pane(line: &str) -> &str {
    line.split('│').nth(1).unwrap_or("")
}

/// A field of the Overview (`kind`, `may`, `run with`...), with the lines it
/// wraps onto, or None while it is not shown.
fn overview_field(screen: &str, name: &str) -> Option<String> {
    let mut lines = screen.lines().map(left_pane);
    let first = lines.find(|l| {
        l.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with("  "))
    })?;
    let mut value = first[name.len()..].trim().to_string();
    for more in lines.take_while(|l| l.starts_with("  ") && !l.trim().is_empty()) {
        value.push(' ');
        value.push_str(more.trim());
    }
    Some(value)
}

/// Whether the browser has drawn itself for a `width`x`height` terminal. A
/// terminal that shrinks keeps the old drawing, cut, until the browser draws
/// again: the top border then no longer ends at the right edge.
fn drawn_at(screen: &str, width: u16, height: u16) -> bool {
    screen.lines().count() == usize::from(height)
        && tabs(screen).starts_with(" 1 ")
        && title(screen).ends_with('┐')
        && title(screen).chars().count() == usize::from(width)
        && status(screen).contains("demo.wasm")
}

/// Whether the status line is back to normal: no search being typed, and
/// nothing still running.
fn idle(screen: &str) -> bool {
    status(screen).contains("? help")
}

/// Presses the number `key` and waits for the view `name`, titled
/// `heading`, showing every text of `shows`; returns the screen.
fn press_view(tmux: &Tmux, key: &str, (name, heading): (&str, &str), shows: &[&str]) -> String {
    tmux.keys(&[key]);
    tmux.wait_until(
        &format!("view {name} showing {shows:?} after pressing {key}"),
        TIMEOUT,
        |s| is_view(s, name, heading) && shows.iter().all(|t| s.contains(t)),
    )
}

/// Whether the screen shows the view `name`, titled `heading`.
fn is_view(screen: &str, name: &str, heading: &str) -> bool {
    title(screen).starts_with(&format!("┌ {heading}"))
        && status(screen).contains(&format!(" {name} "))
}

#[test]
fn browse_the_demo_in_a_real_terminal() {
    let tmux = Tmux::start("demo", "browse", 120, 40);

    // 1. The Overview, first with what is known at once, then with the
    // analysis of the background thread.
    let screen = tmux.wait_until("the Overview with the analysis", TIMEOUT, |s| {
        overview_field(s, "run with").is_some_and(|v| v.contains("wasmtime run"))
    });
    assert!(tabs(&screen).contains("1 Overview"), "{}", framed(&screen));
    assert!(status(&screen).contains("demo.wasm"), "{}", framed(&screen));
    assert!(
        title(&screen).starts_with("┌ Overview: demo.wasm"),
        "{}",
        framed(&screen)
    );
    let kind = overview_field(&screen, "kind").unwrap();
    assert!(kind.contains("core module"), "kind: {kind:?}");
    let may = overview_field(&screen, "may")
        .unwrap_or_else(|| panic!("no \"may\" line:\n{}", framed(&screen)));
    for capability in ["fs-read", "fs-write", "stdout"] {
        assert!(may.contains(capability), "may: {may:?}");
    }

    // 2. Every view, by number and with Tab / Shift-Tab.
    let views: [(&str, &str, &str, &[&str]); 10] = [
        ("1", "Overview", "Overview: demo.wasm", &["core module"]),
        ("2", "Functions", "Functions:", &["hasher::main"]),
        ("3", "Code", "Code:", &["(func $", "Callers ← / callees →"]),
        (
            "4",
            "Imports",
            "Imports:",
            &["wasi_snapshot_preview1", "path_open"],
        ),
        (
            "5",
            "Capabilities",
            "Capabilities:",
            &["fs-read", "can read files"],
        ),
        ("6", "Exports", "Exports:", &["_start", "memory"]),
        ("7", "Sections", "Sections:", &["code", "import"]),
        ("8", "Data", "Data segments:", &["active"]),
        ("9", "Custom", "Custom sections:", &["producers"]),
        (
            "0",
            "Sources",
            "Sources: none",
            &["no DWARF line table or source map"],
        ),
    ];
    for (key, name, heading, shows) in &views[1..] {
        press_view(&tmux, key, (name, heading), shows);
    }
    // Tab from the last view of a core module wraps to the first, and
    // Shift-Tab comes back; then Tab goes through them all in order.
    for (key, (_, name, heading, shows)) in [("Tab", views[0]), ("BTab", views[9])] {
        press_view(&tmux, key, (name, heading), shows);
    }
    press_view(&tmux, "1", ("Overview", "Overview: demo.wasm"), &[]);
    for (_, name, heading, shows) in views.iter().cycle().skip(1).take(views.len()) {
        press_view(&tmux, "Tab", (name, heading), shows);
    }

    // 3. Which function calls path_open: search the Imports, open the
    // import's callers, open the first caller's code.
    press_view(&tmux, "4", ("Imports", "Imports:"), &[]);
    tmux.search("path_open");
    let screen = tmux.wait_until("the search kept", TIMEOUT, |s| {
        idle(s) && status(s).contains(" Imports ")
    });
    // Rows start under the title and the table's header.
    let selected = row(&screen, 2 + position(&screen, "Imports "));
    assert!(
        selected.contains("path_open"),
        "the search did not select path_open's row:\n{}",
        framed(&screen)
    );
    tmux.keys(&["Enter"]);
    // `│   216  __wasi_path_open   │`: the function's index, then its name.
    let first_caller = |s: &str| {
        let at = s.lines().position(|l| l.contains("Called by"))?;
        let name = left_pane(row(s, at + 1)).split_whitespace().nth(1)?;
        Some(name.to_string())
    };
    let screen = tmux.wait_until("the callers of path_open", TIMEOUT, |s| {
        s.lines()
            .any(|l| l.contains("Called by") && l.contains("path_open"))
            && first_caller(s).is_some()
    });
    let first_caller = first_caller(&screen).unwrap();
    tmux.keys(&["Enter"]);
    let code_title = format!("┌ Code: {first_caller} (");
    // WebAssembly text, and the callers and callees on the right.
    tmux.wait_until(&format!("the code of {first_caller}"), TIMEOUT, |s| {
        title(s).starts_with(&code_title)
            && title(s).contains("Callers ← / callees →")
            && s.contains("(func $")
            && s.contains("local")
    });

    // 4. Follow a call, and come back.
    tmux.search("call $");
    let screen = tmux.wait_until("the search kept", TIMEOUT, |s| {
        idle(s) && status(s).contains(" Code line ")
    });
    let line = position(&screen, "Code line ");
    // Code lines start right under the title (the function is short enough
    // not to scroll).
    assert!(
        row(&screen, 1 + line).contains("call $"),
        "the cursor (line {line}) is not on a call:\n{}",
        framed(&screen)
    );
    let before = title(&screen).to_string();
    let screen_before = screen;
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("the callee's code", TIMEOUT, |s| {
        title(s).starts_with("┌ Code: ") && title(s) != before
    });
    let after = title(&screen).to_string();
    // `call $strlen` opens `Code: strlen (func 243)`; mangled names are
    // shown demangled, so only plain names can be compared.
    let callee = row(&screen_before, 1 + line)
        .split("call $")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default();
    if callee
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !callee.starts_with("_Z")
        && !callee.starts_with("_R")
    {
        assert!(
            after.starts_with(&format!("┌ Code: {callee} (")),
            "Enter on `call ${callee}` opened another function:\n{}",
            framed(&screen)
        );
    }
    tmux.keys(&["BSpace"]);
    let screen = tmux.wait_until("the caller's code again", TIMEOUT, |s| {
        title(s) == before && status(s).contains(" Code line ")
    });
    assert_eq!(
        position(&screen, "Code line "),
        line,
        "Backspace came back to another line:\n{}",
        framed(&screen)
    );
    assert_ne!(before, after);

    // 5. Filter the Functions, open one.
    press_view(&tmux, "2", ("Functions", "Functions:"), &[]);
    tmux.search("sha256");
    let screen = tmux.wait_until("the Functions filtered", TIMEOUT, |s| {
        idle(s) && title(s).contains("matching \"sha256\"")
    });
    let rows: Vec<&str> = screen
        .lines()
        .skip(3)
        .map(|l| left_pane(l).trim())
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        !rows.is_empty(),
        "no function matches:\n{}",
        framed(&screen)
    );
    assert!(
        rows.iter().any(|r| r.contains("sha2::sha256")),
        "{}",
        framed(&screen)
    );
    assert!(
        rows.iter().all(|r| r.contains("sha256")),
        "the filter let through functions that do not match:\n{}",
        framed(&screen)
    );
    // The first row is selected; Enter opens it.
    let index = rows[0].split_whitespace().next().unwrap();
    let func = format!("(func {index})");
    tmux.keys(&["Enter"]);
    tmux.wait_until(&format!("the code of {func}"), TIMEOUT, |s| {
        title(s).starts_with("┌ Code: ") && title(s).contains("sha256") && title(s).contains(&func)
    });

    // 6. The key help, closed by any key.
    tmux.keys(&["?"]);
    tmux.wait_for_all(&["Keys (any key closes)", "Backspace", "go back"], TIMEOUT);
    tmux.keys(&["x"]);
    tmux.wait_until("the help closed, on the Code view", TIMEOUT, |s| {
        !s.contains("Keys (any key") && title(s).starts_with("┌ Code: ")
    });

    // 7. Smaller terminals: still drawn; too small: said so.
    tmux.resize(60, 15);
    let screen = tmux.wait_until("the browser at 60x15", TIMEOUT, |s| drawn_at(s, 60, 15));
    assert!(title(&screen).starts_with("┌ Code:"), "{}", framed(&screen));
    // Narrow: the tabs are numbers, the current one named.
    assert!(tabs(&screen).contains("3 Code"), "{}", framed(&screen));
    tmux.resize(30, 8);
    tmux.wait_for("too small", TIMEOUT);
    tmux.resize(120, 40);
    tmux.wait_until("the browser at 120x40 again", TIMEOUT, |s| {
        drawn_at(s, 120, 40)
            && tabs(s).contains("9 Custom")
            && title(s).starts_with("┌ Code:")
            && status(s).contains("demo.wasm")
    });

    // 8. Quit: the process ends with status 0 and the screen is the shell's
    // again.
    tmux.keys(&["q"]);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 0]")),
        "wasmscope did not exit with status 0:\n{}",
        framed(&screen)
    );
    assert!(
        !screen.contains("1 Overview") && !screen.contains("┌ Code:"),
        "the browser is still on the screen after it quit (the alternate screen was not left):\n{}",
        framed(&screen)
    );
    tmux.assert_given_back(&screen);
    tmux.keys(&["Enter"]);
    if let Some(status) = tmux.wait_until_dead(TIMEOUT) {
        assert_eq!(status, 0, "pane_dead_status");
    }
}

/// Ctrl-C, even while typing a search, leaves the browser cleanly: status 0
/// and the shell's screen back.
#[test]
fn browse_quits_on_ctrl_c() {
    let tmux = Tmux::start("ctrl-c", "browse", 100, 30);
    tmux.wait_for("1 Overview", TIMEOUT);
    tmux.keys(&["2", "/"]);
    tmux.type_text("sha");
    tmux.wait_for("matching \"sha\"", TIMEOUT);
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 0]")),
        "wasmscope did not exit with status 0:\n{}",
        framed(&screen)
    );
    assert!(
        !screen.contains("1 Overview") && !screen.contains("Functions:"),
        "the browser is still on the screen after Ctrl-C:\n{}",
        framed(&screen)
    );
    tmux.assert_given_back(&screen);
}

/// A panic in the event loop (made on purpose) gives the terminal back
/// before the panic's message is printed on the shell's screen.
#[test]
fn browse_gives_the_terminal_back_after_a_panic() {
    let tmux = Tmux::start_with("panic", "WASMSCOPE_BROWSE_FAULT=panic", "browse", 100, 30);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 101]")),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("panicked") && screen.contains("a fault made on purpose"),
        "the panic's message is not on the shell's screen:\n{}",
        framed(&screen)
    );
    assert!(!screen.contains("1 Overview"), "{}", framed(&screen));
    tmux.assert_given_back(&screen);
}

/// A panic on a worker thread (made on purpose in the analysis) is shown
/// in the status line; the browser goes on, and quits cleanly.
#[test]
fn browse_goes_on_after_a_worker_panics() {
    let tmux = Tmux::start_with(
        "worker-panic",
        "WASMSCOPE_BROWSE_FAULT=worker-panic",
        "browse",
        120,
        40,
    );
    tmux.wait_for("analysis failed: internal error", TIMEOUT);
    tmux.keys(&["2"]);
    tmux.wait_for("Functions", TIMEOUT);
    tmux.keys(&["q"]);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 0]")),
        "{}",
        framed(&screen)
    );
    tmux.assert_given_back(&screen);
}

/// A terminal that goes away (its tmux server killed) ends the browser
/// within moments, rather than leaving it running with nowhere to draw.
#[test]
fn browse_ends_when_its_terminal_goes_away() {
    let tmux = Tmux::start("hangup", "browse", 100, 30);
    tmux.wait_for("1 Overview", TIMEOUT);
    let pid = tmux.wasmscope_pid();
    tmux.run(&["kill-server"]);
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    let start = Instant::now();
    while proc.exists() && start.elapsed() < TIMEOUT {
        // A zombie has exited: only its parent has yet to reap it.
        let state = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
        if state.split(' ').nth(2) == Some("Z") {
            break;
        }
        thread::sleep(POLL);
    }
    let state = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
    assert!(
        state.is_empty() || state.split(' ').nth(2) == Some("Z"),
        "wasmscope (pid {pid}) still runs {:?} after its terminal went away: {state}",
        start.elapsed()
    );
}

/// SIGTERM (and the other stop signals) end the browser through its own
/// exit: the terminal is given back and the reason is one line.
#[test]
fn browse_gives_the_terminal_back_on_sigterm() {
    let tmux = Tmux::start("sigterm", "browse", 100, 30);
    tmux.wait_for("1 Overview", TIMEOUT);
    let pid = tmux.wasmscope_pid();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 1]"))
            && screen.contains("error: browse stopped by signal 15"),
        "{}",
        framed(&screen)
    );
    tmux.assert_given_back(&screen);
}

#[test]
fn browse_refuses_a_malformed_module_before_taking_the_screen() {
    let tmux = Tmux::start("truncated", "browse testdata/truncated.wasm", 120, 40);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        2,
        "expected one line of error, then the shell's line:\n{}",
        framed(&screen)
    );
    assert!(
        lines[0].starts_with("error:") && lines[0].contains("truncated.wasm"),
        "not a one-line error about the file:\n{}",
        framed(&screen)
    );
    assert_eq!(
        lines[1],
        format!("{EXITED} 1] {TTY} same]"),
        "{}",
        framed(&screen)
    );
    tmux.keys(&["Enter"]);
    if let Some(status) = tmux.wait_until_dead(TIMEOUT) {
        assert_eq!(status, 1, "pane_dead_status");
    }
}

/// The line of a fixture's source that ends with `marker`, counted from 1.
fn marked_line(file: &str, marker: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).expect("reads the source");
    text.lines()
        .position(|l| l.trim_end().ends_with(marker))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no {marker} in {file}"))
}

/// Source-level debugging as a user meets it: open the Sources of a Rust
/// module with DWARF, its `main.rs`, the line that traps, the function it
/// made code in, and land in the Code view with that line marked in the
/// source pane beside the instruction.
#[test]
fn browse_from_a_source_line_to_its_code() {
    let trap = marked_line("testdata/debug/tally/src/main.rs", "// @trap");
    let tmux = Tmux::start(
        "sources",
        "browse testdata/debug/tally.wasm --source-prefix /build/tally=testdata/debug/tally",
        120,
        40,
    );
    tmux.wait_until("the Overview, idle", TIMEOUT, |s| {
        idle(s) && tabs(s).contains("0 Sources")
    });

    // The files, largest first; find main.rs and open it.
    tmux.keys(&["0"]);
    tmux.wait_until("the source files", TIMEOUT, |s| {
        is_view(s, "Sources", "Sources: ") && s.contains("tally/src/main.rs")
    });
    tmux.search("tally/src/main.rs");
    let screen = tmux.wait_until("main.rs selected", TIMEOUT, |s| {
        idle(s) && status(s).contains(" Sources ")
    });
    let selected = row(&screen, 2 + position(&screen, "Sources "));
    assert!(
        selected.contains("tally/src/main.rs"),
        "the search did not select main.rs:\n{}",
        framed(&screen)
    );
    tmux.keys(&["Enter"]);
    tmux.wait_until("main.rs's lines", TIMEOUT, |s| {
        title(s).contains("tally/src/main.rs: ")
            && title(s).contains("lines made")
            && s.contains("fn checked_ratio")
    });

    // Go to the line that traps: its text and its bytes are shown.
    tmux.search("@trap");
    let screen = tmux.wait_until(&format!("line {trap} selected"), TIMEOUT, |s| {
        idle(s) && status(s).contains(&format!(" Sources line {trap} "))
    });
    let line = screen
        .lines()
        .find(|l| left_pane(l).trim_start().starts_with(&format!("{trap} ")))
        .unwrap_or_else(|| panic!("no row for line {trap}:\n{}", framed(&screen)));
    let bytes: u64 = left_pane(line)
        .split_whitespace()
        .nth(1)
        .and_then(|b| b.parse().ok())
        .unwrap_or_else(|| panic!("no bytes on line {trap}: {line:?}"));
    assert!(bytes > 0 && line.contains("@trap"), "{line:?}");

    // Its code: the function it was inlined into, and the instructions.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("the code of the @trap line", TIMEOUT, |s| {
        title(s).contains(&format!("main.rs:{trap}")) && s.contains("checked_ratio (func")
    });
    assert!(
        screen.contains(&format!("Code of main.rs:{trap}: {bytes} bytes")),
        "{}",
        framed(&screen)
    );
    assert!(screen.contains("unreachable"), "{}", framed(&screen));

    // Enter on the function: the Code view at its first instruction from
    // the line, with the line marked in the source pane.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("the Code view with the source pane", TIMEOUT, |s| {
        title(s).starts_with("┌ Code: tally::checked_ratio (func") && s.contains("┌ Source: ")
    });
    let marked = screen
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_else(|| panic!("no marked source line:\n{}", framed(&screen)));
    assert!(
        marked.contains(&format!("▶{trap} │")) && marked.contains("// @trap"),
        "the source pane does not mark line {trap}:\n{}",
        framed(&screen)
    );
    assert!(
        screen.contains(&format!("main.rs:{trap}│")),
        "no main.rs:{trap} beside the instructions:\n{}",
        framed(&screen)
    );
    // S hides the pane and shows it again.
    tmux.keys(&["S"]);
    tmux.wait_until("the source pane hidden", TIMEOUT, |s| {
        !s.contains("┌ Source: ") && title(s).starts_with("┌ Code: ")
    });
    tmux.keys(&["S"]);
    tmux.wait_for("┌ Source: ", TIMEOUT);

    // Backspace goes back to the line's code, then up to the lines.
    tmux.keys(&["BSpace"]);
    tmux.wait_until("back to the line's code", TIMEOUT, |s| {
        s.contains(&format!("Code of main.rs:{trap}")) && status(s).contains(" Sources ")
    });
    tmux.keys(&["BSpace"]);
    tmux.wait_until("up to the lines", TIMEOUT, |s| {
        title(s).contains("lines made")
    });
    tmux.keys(&["q"]);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 0]")),
        "{}",
        framed(&screen)
    );
    tmux.assert_given_back(&screen);
}

/// The tab line reaches every view on every screen the browser draws on
/// (shorter names for narrower screens, then numbers).
#[test]
fn browse_tab_line_names_every_view_at_every_width() {
    let tmux = Tmux::start("tabs", "browse", 120, 40);
    tmux.wait_until("the Overview with the analysis", TIMEOUT, |s| {
        idle(s) && overview_field(s, "run with").is_some()
    });
    let mut cut = Vec::new();
    for (width, height) in [(120, 40), (100, 30), (80, 24), (60, 15), (50, 10)] {
        tmux.resize(width, height);
        let screen = tmux.wait_until(&format!("the browser at {width}x{height}"), TIMEOUT, |s| {
            drawn_at(s, width, height)
        });
        if !tabs(&screen).trim_end().ends_with(" 0") && !tabs(&screen).contains(" 0 ") {
            cut.push(format!("{width}x{height}: {:?}", tabs(&screen)));
        }
    }
    assert!(
        cut.is_empty(),
        "the tab line does not reach view 0 (Sources) at:\n{}",
        cut.join("\n")
    );
}

/// The key help shows all it has to say, the list of views included.
#[test]
fn browse_key_help_is_shown_whole() {
    let tmux = Tmux::start("help", "browse", 120, 40);
    tmux.wait_until("the Overview with the analysis", TIMEOUT, |s| {
        idle(s) && overview_field(s, "run with").is_some()
    });
    tmux.keys(&["?"]);
    let screen = tmux.wait_for_all(
        &["Keys (any key closes)", "Tab / Shift-Tab", "q  Esc  Ctrl-c"],
        TIMEOUT,
    );
    assert!(
        screen.contains("views: 1 Overview"),
        "the key help is cut short: its last line, the list of views, is not shown:\n{}",
        framed(&screen)
    );
}

/// `wasmscope edit` with a real editor (vi) in a real terminal: a broken
/// edit is refused, the prompt reopens the editor with the text kept, the
/// mended text is written, and only that function changed.
#[test]
fn edit_in_vi_reopens_after_an_error_and_writes_the_mended_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.wasm");
    let args = format!(
        "edit testdata/demo.wasm --func _start -o {}",
        shell_quote(out.to_str().expect("utf-8 path"))
    );
    let tmux = Tmux::start_with("edit", "EDITOR='vi -u NONE -N'", &args, 100, 30);
    tmux.wait_for("(func $_start", TIMEOUT);
    tmux.type_text(":%s/call $__wasm_call_dtors/i32.bogus/");
    tmux.keys(&["Enter"]);
    tmux.type_text(":wq");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Open the editor again with your text? [Y/n]", TIMEOUT);
    assert!(screen.contains("unknown operator"), "{}", framed(&screen));
    assert!(!out.exists(), "nothing is written while the text is broken");
    // Enter on a terminal means yes: the editor comes back with the text.
    tmux.keys(&["Enter"]);
    tmux.wait_for("i32.bogus", TIMEOUT);
    tmux.type_text(":%s/i32.bogus/nop/");
    tmux.keys(&["Enter"]);
    tmux.type_text(":wq");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(EXITED, TIMEOUT);
    assert!(
        screen.contains(&format!("{EXITED} 0]")),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("replaced function body `_start`"),
        "{}",
        framed(&screen)
    );
    tmux.keys(&["Enter"]);
    let bytes = std::fs::read(&out).expect("the module is written");
    wasmscope::validate::validate(&bytes, "out", wasmscope::features::default_features())
        .expect("valid");
    let diff = wasmscope(["diff", "--stat", "testdata/demo.wasm"])
        .arg(&out)
        .dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("functions: 0 added, 0 removed, 1 changed"),
        "{text}"
    );
}

#[test]
fn browse_a_components_wit_to_the_code_behind_it() {
    let tmux = Tmux::start("wit", "browse testdata/components/greeter.wasm", 120, 40);
    tmux.wait_until("the Overview, idle", TIMEOUT, |s| {
        idle(s) && tabs(s).contains("2 WIT") && tabs(s).contains("0 Component")
    });

    // The world: its imports, then its export.
    tmux.keys(&["2"]);
    let screen = tmux.wait_until("the world", TIMEOUT, |s| {
        title(s).contains("World root: 14 imports, 1 exports")
    });
    assert!(
        screen.contains("import wasi:cli/stdout@0.2.6")
            && screen.contains("export example:greeter/greet@0.2.0"),
        "{}",
        framed(&screen)
    );

    // An import: the module that calls it, and the export that reaches it.
    tmux.search("wasi:cli/stdout");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("stdout's functions", TIMEOUT, |s| {
        title(s).contains("import wasi:cli/stdout@0.2.6: 1 functions")
    });
    assert!(
        screen.contains("get-stdout") && screen.contains("main import 15"),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("needs stdout")
            && screen.contains("reached from example:greeter/greet@0.2.0#hello"),
        "{}",
        framed(&screen)
    );
    // Enter goes to that import of the main module, with its callers.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("the main module's imports", TIMEOUT, |s| {
        idle(s) && title(s).starts_with("┌ Imports: 20")
    });
    let selected = row(&screen, 2 + position(&screen, "Imports "));
    assert!(selected.contains("get-stdout"), "{}", framed(&screen));

    // Back to the world, and into the export: Enter opens the function it
    // is lifted from.
    tmux.keys(&["BSpace", "BSpace", "Left", "End", "Enter"]);
    let screen = tmux.wait_until("the export's functions", TIMEOUT, |s| {
        title(s).contains("export example:greeter/greet@0.2.0: 2 functions")
    });
    assert!(screen.contains("main func 27"), "{}", framed(&screen));
    tmux.keys(&["Enter"]);
    tmux.wait_until("the code of hello", TIMEOUT, |s| {
        title(s).contains("Code: example:greeter/greet@0.2.0#hello (func 27)")
    });
}

#[test]
fn browse_a_minified_emscripten_build_by_its_glues_names() {
    let tmux = Tmux::start("glue", "browse testdata/emscripten/app.wasm", 120, 40);
    // The Overview says which glue named the module, and with its names
    // the audit finds what the program does.
    let screen = tmux.wait_until("the Overview, idle", TIMEOUT, |s| {
        idle(s) && overview_field(s, "glue").is_some()
    });
    let glue = overview_field(&screen, "glue").unwrap();
    assert!(
        glue.starts_with("names from glue testdata/emscripten/app.js (found beside the module)"),
        "{}",
        framed(&screen)
    );
    let may = overview_field(&screen, "may").unwrap_or_default();
    assert!(
        may.contains("fs-write") && may.contains("clock"),
        "{}",
        framed(&screen)
    );
    assert!(
        overview_field(&screen, "run with").is_none(),
        "{}",
        framed(&screen)
    );
    // The imports by their real names.
    let screen = press_view(&tmux, "4", ("Imports", "Imports:"), &["__syscall_open"]);
    assert!(
        screen.contains("fd_write") && !screen.contains(" a.b "),
        "{}",
        framed(&screen)
    );
}
