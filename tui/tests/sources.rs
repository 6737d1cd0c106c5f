//! The browser with line tables, on a small made-up module: the Sources
//! view and its levels, the Code view's `file:line` marks and source pane,
//! the Functions view's source column, and a module without line tables.
//! Screens are drawn to a test backend and kept as golden files in
//! `tui/snapshots`.

// A failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use wasmscope_tui::app::view;
use wasmscope_tui::ratatui::Terminal;
use wasmscope_tui::ratatui::backend::TestBackend;
use wasmscope_tui::{
    Action, Analysis, App, Code, CodeLine, Export, Function, Import, LineInfo, LineRow, Model,
    Source, SourceFile, SourceText, Token,
};

/// Three functions: the import `log`, `main` (0x100..0x120) calling
/// `helper` (0x120..0x130). `main` has code from `main.rs` and, inlined,
/// from `util.rs`; `helper` from `util.rs`, whose text cannot be read.
struct Lined {
    /// Whether the module has line tables.
    lines: bool,
}

const MAIN_RS: &str = "\
// A made-up program.
fn main() {
    let x = 1;
    helper(x); // @call
}

fn helper(x: i32) {
\tlog(x);
}";

fn line(offset: u64, text: &str, target: Option<u32>) -> CodeLine {
    CodeLine {
        offset: Some(offset),
        spans: vec![(Token::Keyword, text.to_string())],
        target,
    }
}

impl Source for Lined {
    fn code(&self, function: u32) -> Result<Code, String> {
        match function {
            1 => Ok(Code {
                lines: vec![
                    line(0x100, "(func $main", None),
                    line(0x102, "  i32.const 1", None),
                    line(0x104, "  local.set 0", None),
                    line(0x108, "  local.get 0", None),
                    line(0x10a, "  i32.const 2", None),
                    line(0x10c, "  i32.mul", None),
                    line(0x110, "  call $helper", Some(2)),
                    line(0x116, "  drop", None),
                    line(0x11f, ")", None),
                ],
            }),
            2 => Ok(Code {
                lines: vec![
                    line(0x120, "(func $helper", None),
                    line(0x122, "  local.get 0", None),
                    line(0x124, "  call $log", Some(0)),
                    line(0x12f, ")", None),
                ],
            }),
            _ => Err(format!("function {function} has no body")),
        }
    }

    fn bytes(&self, range: Range<u64>) -> Vec<u8> {
        (range.start..range.end).map(|b| b as u8).collect()
    }

    fn analyze(&self) -> Result<Analysis, String> {
        Ok(Analysis {
            callers: vec![vec![2], vec![], vec![1]],
            callees: vec![vec![], vec![2], vec![0]],
            ..Analysis::default()
        })
    }

    fn open_nested(&self, _: usize) -> Result<(Model, Arc<dyn Source>), String> {
        Err("not a component".to_string())
    }

    fn line_info(&self) -> Result<LineInfo, String> {
        if !self.lines {
            return Ok(LineInfo {
                missing: Some("lined.wasm has no DWARF line table or source map".to_string()),
                code_bytes: 0x30,
                ..LineInfo::default()
            });
        }
        let row = |start, end, file, line| LineRow {
            start,
            end,
            file,
            line,
        };
        Ok(LineInfo {
            files: vec![
                SourceFile {
                    name: "/src/app/main.rs".to_string(),
                    bytes: 0x14,
                    functions: 1,
                    lines: 3,
                },
                SourceFile {
                    name: "/src/app/util.rs".to_string(),
                    bytes: 0x18,
                    functions: 2,
                    lines: 2,
                },
            ],
            rows: vec![
                row(0x102, 0x108, 0, 3),
                row(0x108, 0x110, 1, 2),
                row(0x110, 0x116, 0, 4),
                row(0x116, 0x11e, 0, 2),
                // Code made for util.rs with no line of its own.
                row(0x120, 0x122, 1, 0),
                row(0x122, 0x130, 1, 7),
            ],
            // They come from `function_places`, after.
            functions: Vec::new(),
            origin: "DWARF".to_string(),
            code_bytes: 0x30,
            missing: None,
            notes: Vec::new(),
        })
    }

    fn function_places(&self) -> Result<Vec<Option<(u32, u32)>>, String> {
        Ok(if self.lines {
            vec![None, Some((0, 2)), Some((1, 6))]
        } else {
            Vec::new()
        })
    }

    fn source_text(&self, file: &str) -> Result<SourceText, String> {
        match file {
            "/src/app/main.rs" => Ok(SourceText {
                lines: MAIN_RS.lines().map(str::to_string).collect(),
            }),
            _ => Err(format!("{file} cannot be read: no such file here")),
        }
    }
}

fn app(lines: bool) -> App {
    let mut app = App::new(model(), Arc::new(Lined { lines }));
    app.settle();
    app
}

fn model() -> Model {
    let function = |index: u32, name: &str, offset: u64, size: u64| Function {
        index,
        name: name.to_string(),
        size,
        offset,
        ..Function::default()
    };
    let mut log = function(0, "log", 0, 0);
    log.import = Some("env::log".to_string());
    Model {
        name: "lined.wasm".to_string(),
        functions: vec![
            log,
            function(1, "main", 0x100, 0x20),
            function(2, "helper", 0x120, 0x10),
        ],
        imports: vec![Import {
            module: "env".to_string(),
            name: "log".to_string(),
            kind: "func".to_string(),
            ty: "(func (param i32))".to_string(),
            function: Some(0),
        }],
        exports: vec![Export {
            name: "main".to_string(),
            kind: "func".to_string(),
            ty: "(func)".to_string(),
            function: Some(1),
        }],
        ..Model::default()
    }
}

fn step(app: &mut App, actions: &[Action]) {
    for action in actions {
        app.update(action.clone());
        app.settle();
    }
}

/// The screen as text, trailing blanks dropped.
fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| app.draw(frame)).expect("draws");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Compares a screen with its golden file, `tui/snapshots/NAME.txt`; with
/// `UPDATE_SNAPSHOTS=1` in the environment, writes the file instead (read
/// it before committing it).
fn snapshot(name: &str, screen: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, screen).expect("writes the snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to write it, then read it\nthe screen:\n{screen}",
            path.display()
        )
    });
    assert!(
        want == screen,
        "the screen differs from {}:\n--- snapshot\n{want}--- screen\n{screen}",
        path.display()
    );
}

/// The row of the screen that holds `text`.
fn row_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no {text:?} on the screen:\n{screen}"))
}

#[test]
fn key_zero_opens_sources_for_a_core_module_and_tab_reaches_it() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9)]);
    assert_eq!(app.view(), view::SOURCES);
    step(&mut app, &[Action::NextView]);
    assert_eq!(app.view(), view::OVERVIEW);
    step(&mut app, &[Action::PrevView]);
    assert_eq!(app.view(), view::SOURCES);
    let tabs = screen(&mut app, 120, 30);
    assert!(tabs.lines().next().unwrap().contains("0 Sources"), "{tabs}");
}

#[test]
fn sources_list_files_largest_first() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9)]);
    let text = screen(&mut app, 80, 16);
    snapshot("sources-files", &text);
    let util = text.find("/src/app/util.rs").expect("util.rs listed");
    let main = text.find("/src/app/main.rs").expect("main.rs listed");
    assert!(util < main, "largest first:\n{text}");
}

#[test]
fn a_file_shows_its_text_with_the_bytes_of_each_line() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9), Action::Down, Action::Enter]);
    let text = screen(&mut app, 80, 16);
    snapshot("sources-lines", &text);
    // The first line with code is selected; every line of the text is
    // there, with bytes beside the lines that made code.
    assert!(text.contains("Sources line 2"), "{text}");
    assert!(row_with(&text, "let x = 1;").contains(" 6 "), "{text}");
    assert!(row_with(&text, "// A made-up program.").contains("     1"));
    // Tabs are drawn as spaces.
    assert!(
        text.contains("    log(x);") && !text.contains('\t'),
        "{text}"
    );
}

#[test]
fn a_line_lists_its_functions_and_instructions_and_enter_opens_the_code() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9), Action::Down, Action::Enter]);
    // Line 2 (`fn main`), then line 3 (`let x = 1`).
    step(&mut app, &[Action::Down, Action::Enter]);
    let text = screen(&mut app, 80, 16);
    snapshot("sources-line-code", &text);
    assert!(text.contains("main (func 1): 6 bytes"), "{text}");
    assert!(text.contains("00000102    i32.const 1"), "{text}");
    assert!(text.contains("00000104    local.set 0"), "{text}");
    // Enter on the second instruction opens the Code view on it.
    step(&mut app, &[Action::Down, Action::Down, Action::Enter]);
    assert_eq!(app.view(), view::CODE);
    let code = screen(&mut app, 80, 24);
    snapshot("code-with-source-pane", &code);
    assert!(code.contains("line 3/9"), "{code}");
    // The source pane marks the instruction's line.
    assert!(row_with(&code, "▶").contains("let x = 1;"), "{code}");
    // Backspace comes back to the list, and on up the levels.
    step(&mut app, &[Action::Back]);
    assert_eq!(app.view(), view::SOURCES);
    assert!(screen(&mut app, 80, 16).contains("Code of main.rs:3"));
    step(&mut app, &[Action::Back]);
    assert!(screen(&mut app, 80, 16).contains("main.rs: 3 lines made 20 bytes"));
    step(&mut app, &[Action::Left]);
    assert!(screen(&mut app, 80, 16).contains("Sources: 2 files"));
    step(&mut app, &[Action::Back]);
    assert_eq!(app.view(), view::SOURCES);
    assert!(screen(&mut app, 80, 16).contains("nothing to go back to"));
}

/// Code with line 0 counts for its file, is listed first as no line, and
/// is not where the file opens.
#[test]
fn code_with_no_line_is_listed_apart() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9), Action::Enter]);
    let lines = screen(&mut app, 80, 16);
    // util.rs cannot be read: its lines with code are listed.
    assert!(lines.contains("util.rs cannot be read"), "{lines}");
    assert!(lines.contains("Sources line 2 "), "{lines}");
    let none = row_with(&lines, "no line of its own");
    assert!(
        none.contains("     -") && none.contains("      2"),
        "{lines}"
    );
    step(&mut app, &[Action::Top, Action::Enter]);
    let code = screen(&mut app, 80, 16);
    assert!(
        code.contains("Code of util.rs: 2 bytes in 1 function"),
        "{code}"
    );
    assert!(code.contains("Sources no line"), "{code}");
    assert!(code.contains("00000120    (func $helper"), "{code}");
}

#[test]
fn code_marks_where_the_line_changes_and_s_hides_the_source_pane() {
    let mut app = app(true);
    step(&mut app, &[Action::View(view::CODE)]);
    let code = screen(&mut app, 80, 24);
    assert!(
        row_with(&code, "i32.const 1").contains("main.rs:3│"),
        "{code}"
    );
    assert!(!row_with(&code, "local.set 0").contains(".rs"), "{code}");
    assert!(
        row_with(&code, "local.get 0").contains("util.rs:2│"),
        "{code}"
    );
    assert!(
        row_with(&code, "call $helper").contains("main.rs:4│"),
        "{code}"
    );
    // The header has no line: the pane shows the nearest one.
    assert!(code.contains("(nearest line)"), "{code}");
    step(&mut app, &[Action::ToggleSource]);
    let hidden = screen(&mut app, 80, 24);
    assert!(!hidden.contains("Source: "), "{hidden}");
    step(
        &mut app,
        &[
            Action::ToggleSource,
            Action::Down,
            Action::Down,
            Action::Down,
        ],
    );
    // util.rs cannot be read: the pane says so.
    let util = screen(&mut app, 80, 24);
    snapshot("code-source-unreadable", &util);
    assert!(util.contains("util.rs cannot be read"), "{util}");
}

#[test]
fn functions_show_where_they_are_and_filter_by_file() {
    let mut app = app(true);
    step(&mut app, &[Action::View(view::FUNCTIONS)]);
    let text = screen(&mut app, 80, 12);
    snapshot("functions-source-column", &text);
    assert!(row_with(&text, " main").contains("main.rs:2"), "{text}");
    let mut filter = vec![Action::Search];
    filter.extend("util.rs".chars().map(Action::Type));
    filter.push(Action::Submit);
    step(&mut app, &filter);
    let filtered = screen(&mut app, 80, 12);
    assert!(filtered.contains("Functions: 1 of 3"), "{filtered}");
    assert!(filtered.contains("helper"), "{filtered}");
    // Sorted by source: by file, then line; the import has no place.
    step(&mut app, &[Action::Search, Action::Cancel]);
    step(&mut app, &[Action::Sort, Action::Sort, Action::Sort]);
    let by_source = screen(&mut app, 80, 12);
    assert!(by_source.contains("by source"), "{by_source}");
    let order: Vec<&str> = ["main.rs:2", "util.rs:6", "log"]
        .into_iter()
        .map(|t| row_with(&by_source, t))
        .collect();
    let at = |row: &str| by_source.find(row).unwrap();
    assert!(at(order[0]) < at(order[1]) && at(order[1]) < at(order[2]));
}

#[test]
fn without_line_tables_only_the_sources_view_says_why() {
    let mut app = app(false);
    step(&mut app, &[Action::View(9)]);
    let text = screen(&mut app, 80, 16);
    snapshot("sources-none", &text);
    assert!(text.contains("no DWARF line table or source map"), "{text}");
    // Below the tab line, nothing else says anything of sources.
    let body = |app: &mut App| {
        screen(app, 80, 16)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    step(&mut app, &[Action::View(view::CODE)]);
    let code = body(&mut app);
    assert!(!code.contains("Source") && !code.contains(".rs"), "{code}");
    step(&mut app, &[Action::View(view::FUNCTIONS)]);
    let functions = body(&mut app);
    assert!(!functions.contains("source"), "{functions}");
}

#[test]
fn every_level_draws_at_odd_sizes() {
    let mut app = app(true);
    step(&mut app, &[Action::View(9)]);
    for actions in [&[][..], &[Action::Enter], &[Action::Enter, Action::Enter]] {
        step(&mut app, actions);
        for (w, h) in [(50, 10), (51, 11), (200, 60), (1, 1), (0, 0)] {
            screen(&mut app, w, h);
        }
    }
    step(&mut app, &[Action::Enter]);
    for (w, h) in [(50, 10), (51, 11), (200, 60), (1, 1), (0, 0)] {
        screen(&mut app, w, h);
    }
}

/// `Lined` where `helper`'s text is printed only once the test says so (a
/// large function's text takes a while), and util.rs can be read.
struct Gated {
    inner: Lined,
    open: Mutex<bool>,
    opened: Condvar,
}

const UTIL_RS: &str = "\
// Helpers for main.rs.
use crate::log;

/// Logs x.
///
/// Nothing more.
pub fn helper(x: i32) {
    log(x);
}";

impl Gated {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

impl Source for Gated {
    fn code(&self, function: u32) -> Result<Code, String> {
        if function == 2 {
            let mut open = self.open.lock().unwrap();
            while !*open {
                open = self.opened.wait(open).unwrap();
            }
        }
        self.inner.code(function)
    }
    fn bytes(&self, range: Range<u64>) -> Vec<u8> {
        self.inner.bytes(range)
    }
    fn analyze(&self) -> Result<Analysis, String> {
        self.inner.analyze()
    }
    fn open_nested(&self, position: usize) -> Result<(Model, Arc<dyn Source>), String> {
        self.inner.open_nested(position)
    }
    fn line_info(&self) -> Result<LineInfo, String> {
        self.inner.line_info()
    }
    fn function_places(&self) -> Result<Vec<Option<(u32, u32)>>, String> {
        self.inner.function_places()
    }
    fn source_text(&self, file: &str) -> Result<SourceText, String> {
        match file {
            "/src/app/util.rs" => Ok(SourceText {
                lines: UTIL_RS.lines().map(str::to_string).collect(),
            }),
            _ => self.inner.source_text(file),
        }
    }
}

#[test]
fn the_source_pane_is_there_before_the_code_is_printed() {
    let gated = Arc::new(Gated {
        inner: Lined { lines: true },
        open: Mutex::new(false),
        opened: Condvar::new(),
    });
    let mut app = App::new(model(), gated.clone());
    app.settle();
    // Enter on `helper` in Functions; its text is not printed yet.
    step(&mut app, &[Action::View(1)]);
    let functions = screen(&mut app, 80, 24);
    let below = functions
        .lines()
        .skip_while(|l| !l.contains("main"))
        .position(|l| l.contains("helper"))
        .expect("helper is listed after main");
    for _ in 0..below {
        step(&mut app, &[Action::Down]);
    }
    app.update(Action::Enter);
    assert_eq!(app.view(), view::CODE);
    // The pane asks for util.rs, which arrives while the code does not.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = screen(&mut app, 80, 24);
    while !text.contains("pub fn helper") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        app.poll();
        text = screen(&mut app, 80, 24);
    }
    snapshot("code-source-while-printing", &text);
    assert!(text.contains("Code: helper (func 2)"), "{text}");
    assert!(text.contains("printing…"), "{text}");
    // helper's first line with code (line 0 rows are passed over).
    assert!(
        text.contains("Source: /src/app/util.rs:7 (nearest line)"),
        "{text}"
    );
    assert!(row_with(&text, "pub fn helper").contains("▶7"), "{text}");
    // Once printed, the pane follows the selected instruction.
    gated.open();
    app.settle();
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("printing…"), "{text}");
    assert!(text.contains("Source: /src/app/util.rs:7"), "{text}");
}
