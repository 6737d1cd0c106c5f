//! The browser on the demo module, stepped by actions and drawn to a test
//! backend: every view at 80x24 and 120x40, and the moves a user makes
//! (open a function, follow a call, go back, find an import's callers);
//! and on the debug-info fixtures: the Sources view, the Code view's source
//! pane and marks, and the source tables the adapter reads.

use std::path::{Path, PathBuf};

use crate::common::{self, snapshot};
use wasmscope::browse::Browse;
use wasmscope::debuginfo::{Companions, DebugInfo, DebugOptions};
use wasmscope::index::ModuleIndex;
use wasmscope::input::Loaded;
use wasmscope::source_sizes::{Grouping, Inlined, source_sizes};
use wasmscope::{Input, Source};
use wasmscope_tui::app::view;
use wasmscope_tui::ratatui::Terminal;
use wasmscope_tui::ratatui::backend::TestBackend;
use wasmscope_tui::{Action, App};

/// The browser on a module, with its analysis finished.
fn app_for(source: Source, name: &str) -> App {
    let input = Input::read(&source).expect("reads");
    let bytes = input.into_binary().expect("binary");
    let index = ModuleIndex::build(&bytes).expect("indexes");
    let (model, source) = Browse::new(name, bytes, index).into_parts();
    let mut app = App::new(model, source);
    app.settle();
    app
}

fn demo() -> App {
    app_for(Source::Demo, "demo.wasm")
}

/// Applies actions, waiting for the work each one starts.
fn step(app: &mut App, actions: &[Action]) {
    for action in actions {
        app.update(action.clone());
        app.settle();
    }
}

fn typed(text: &str) -> Vec<Action> {
    let mut actions = vec![Action::Search];
    actions.extend(text.chars().map(Action::Type));
    actions.push(Action::Submit);
    actions
}

/// The screen as text: one line per row, trailing blanks dropped.
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

const VIEWS: [&str; 10] = [
    "overview",
    "functions",
    "code",
    "imports",
    "capabilities",
    "exports",
    "sections",
    "data",
    "custom",
    "sources",
];

/// The view each number key opens in a core module.
const CORE_TABS: [usize; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, view::SOURCES];

#[test]
fn every_view_at_two_sizes() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = demo();
        for (number, name) in VIEWS.iter().enumerate() {
            step(&mut app, &[Action::View(number)]);
            assert_eq!(app.view(), CORE_TABS[number]);
            let text = screen(&mut app, width, height);
            snapshot("browse", &format!("{name}-{width}x{height}"), &text);
        }
    }
}

#[test]
fn tab_cycles_through_the_views() {
    let mut app = demo();
    for expected in (1..9).chain([view::SOURCES, 0]) {
        step(&mut app, &[Action::NextView]);
        assert_eq!(app.view(), expected);
    }
    step(&mut app, &[Action::PrevView]);
    assert_eq!(app.view(), view::SOURCES);
    step(&mut app, &[Action::PrevView]);
    assert_eq!(app.view(), 8);
}

/// The question a reviewer asks: which function calls `path_open`, and what
/// does its code look like?
#[test]
fn from_an_import_to_its_callers_and_their_code() {
    let mut app = demo();
    step(&mut app, &[Action::View(3)]);
    step(&mut app, &typed("path_open"));
    step(&mut app, &[Action::Enter]);
    let callers = screen(&mut app, 120, 40);
    snapshot("browse", "imports-path_open-callers", &callers);
    assert!(callers.contains("Called by (1): wasi_snapshot_preview1::path_open"));
    step(&mut app, &[Action::Enter]);
    assert_eq!(app.view(), 2);
    let code = screen(&mut app, 120, 40);
    snapshot("browse", "code-path_open-caller", &code);
    assert!(code.contains("call $__imported_wasi_snapshot_preview1_path_open"));
    // Back to the import.
    step(&mut app, &[Action::Back]);
    assert_eq!(app.view(), 3);
}

#[test]
fn capabilities_lead_to_imports() {
    let mut app = demo();
    step(&mut app, &[Action::View(4)]);
    step(&mut app, &typed("fs-read"));
    step(&mut app, &[Action::Enter]);
    assert_eq!(app.view(), 3);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Called by"), "{text}");
}

#[test]
fn enter_on_a_call_follows_it_and_backspace_returns() {
    let mut app = demo();
    step(&mut app, &[Action::View(2)]);
    let start = screen(&mut app, 120, 40);
    assert!(start.contains("Code: _start (func 16"), "{start}");
    step(&mut app, &typed("call $__main_void"));
    step(&mut app, &[Action::Enter]);
    let callee = screen(&mut app, 120, 40);
    snapshot("browse", "code-followed-call", &callee);
    assert!(callee.contains("Code: __main_void"), "{callee}");
    step(&mut app, &[Action::Back]);
    let back = screen(&mut app, 120, 40);
    assert!(back.contains("Code: _start (func 16"), "{back}");
    // The cursor is back on the call it left from.
    let selected = back
        .lines()
        .find(|l| l.contains("call $__main_void"))
        .expect("the call line");
    assert!(selected.contains("000004bb"), "{selected}");
}

#[test]
fn functions_filter_as_you_type_and_sort() {
    let mut app = demo();
    step(&mut app, &[Action::View(1), Action::Search]);
    for c in "sha256".chars() {
        step(&mut app, &[Action::Type(c)]);
    }
    let filtering = screen(&mut app, 80, 24);
    snapshot("browse", "functions-filtered", &filtering);
    assert!(filtering.contains("matching \"sha256\""));
    step(&mut app, &[Action::Cancel]);
    assert!(!screen(&mut app, 80, 24).contains("matching"));
    step(&mut app, &[Action::Sort]);
    let by_name = screen(&mut app, 80, 24);
    assert!(by_name.contains("by name"), "{by_name}");
    step(&mut app, &[Action::Sort, Action::Top]);
    let by_index = screen(&mut app, 80, 24);
    let first_row = by_index.lines().nth(3).expect("a row");
    assert!(
        first_row.trim_start_matches('│').starts_with("0 "),
        "{first_row}"
    );
}

#[test]
fn search_moves_between_matches() {
    let mut app = demo();
    step(&mut app, &[Action::View(3)]);
    step(&mut app, &typed("fd_"));
    let first = screen(&mut app, 120, 40);
    step(&mut app, &[Action::NextMatch]);
    let second = screen(&mut app, 120, 40);
    assert_ne!(first, second);
    step(&mut app, &[Action::PrevMatch]);
    assert_eq!(first, screen(&mut app, 120, 40));
    step(&mut app, &typed("no such import"));
    assert!(screen(&mut app, 120, 40).contains("no match for \"no such import\""));
}

#[test]
fn sections_show_their_bytes() {
    let mut app = demo();
    step(
        &mut app,
        &[
            Action::View(6),
            Action::Down,
            Action::Enter,
            Action::PageDown,
        ],
    );
    let text = screen(&mut app, 80, 24);
    snapshot("browse", "sections-bytes-scrolled", &text);
}

#[test]
fn help_overlay_and_a_small_terminal() {
    let mut app = demo();
    step(&mut app, &[Action::Help]);
    snapshot("browse", "help-80x24", &screen(&mut app, 80, 24));
    step(&mut app, &[Action::Down]);
    assert!(!screen(&mut app, 80, 24).contains("Keys (any key closes)"));
    snapshot("browse", "too-small", &screen(&mut app, 30, 8));
    // Every view draws at the smallest size and at odd ones without panicking.
    for view in 0..10 {
        step(&mut app, &[Action::View(view)]);
        for (w, h) in [(50, 10), (51, 11), (200, 60), (1, 1), (0, 0)] {
            screen(&mut app, w, h);
        }
    }
}

#[test]
fn quit_from_normal_help_and_search() {
    let mut app = demo();
    step(&mut app, &[Action::Quit]);
    assert!(app.should_quit());
    let mut app = demo();
    step(&mut app, &[Action::Help, Action::Quit]);
    assert!(app.should_quit());
    let mut app = demo();
    step(&mut app, &[Action::Search, Action::Quit]);
    assert!(app.should_quit());
}

#[test]
fn a_component_opens_its_nested_modules() {
    let dir = common::testdata();
    let path = dir.join("caps").join("wasi-p2-component.wat");
    let mut app = app_for(Source::File(path), "wasi-p2-component.wat");
    step(&mut app, &[Action::View(9)]);
    let text = screen(&mut app, 120, 40);
    snapshot("browse", "component-120x40", &text);
    step(&mut app, &[Action::Enter]);
    assert_eq!(app.view(), 0);
    let nested = screen(&mut app, 120, 40);
    assert!(
        nested.contains("wasi-p2-component.wat › module 0"),
        "{nested}"
    );
    step(&mut app, &[Action::Back]);
    assert_eq!(app.view(), 9);
}

/// Every fixture that indexes (proposals, components, toolchain fixtures,
/// invalid but well-formed modules) opens, analyses, prints each function
/// and draws every view without a panic; nested modules too.
#[test]
fn every_fixture_browses() {
    let dir = common::testdata();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .chain(std::fs::read_dir(dir.join("caps")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm" || e == "wat"))
        .collect();
    files.sort();
    let mut opened = 0;
    for path in files {
        let Ok(input) = Input::read(&Source::File(path.clone())) else {
            continue;
        };
        let Ok(bytes) = input.into_binary() else {
            continue;
        };
        let Ok(index) = ModuleIndex::build(&bytes) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let functions = index.functions.len();
        let nested = index.nested.len();
        let (model, source) = Browse::new(name.clone(), bytes, index).into_parts();
        for f in 0..functions as u32 {
            // An error is fine (an import, say); a panic is not.
            let _ = source.code(f);
        }
        let mut app = App::new(model, source);
        app.settle();
        // The tenth view is Component in a component, Sources in a module.
        let views = 10;
        for view in 0..views {
            step(
                &mut app,
                &[
                    Action::View(view),
                    Action::Enter,
                    Action::Right,
                    Action::Bottom,
                ],
            );
            screen(&mut app, 80, 24);
            step(&mut app, &[Action::Back]);
        }
        for position in 0..nested {
            step(&mut app, &[Action::View(9), Action::Top]);
            for _ in 0..position {
                step(&mut app, &[Action::Down]);
            }
            step(&mut app, &[Action::Enter]);
            for view in 0..9 {
                step(&mut app, &[Action::View(view), Action::Enter]);
                screen(&mut app, 120, 40);
            }
            // Back through the jumps, then out of the nested module.
            for _ in 0..50 {
                if app.view() == 9 {
                    break;
                }
                step(&mut app, &[Action::Back]);
            }
            assert_eq!(
                app.view(),
                9,
                "{name}: Backspace leads back to the component"
            );
        }
        opened += 1;
    }
    assert!(opened >= 30, "only {opened} fixtures opened");
}

/// A debug-info fixture, with `--source-prefix` pointing at its sources.
/// Paths are relative to the package (the tests' working directory), so
/// that the screens are the same wherever the repository is.
fn debug_fixture(name: &str) -> (PathBuf, DebugOptions) {
    let dir = Path::new("testdata/debug");
    let mut options = DebugOptions::default();
    for (built, folder) in [("/build/tally", "tally"), ("/build/cdemo", "cdemo")] {
        let map = format!("{built}={}", dir.join(folder).display());
        options.prefixes.push(map.parse().expect("OLD=NEW"));
    }
    (dir.join(name), options)
}

/// The browser on a debug-info fixture, as `wasmscope browse FILE
/// --source-prefix ...` opens it, with its analysis and line tables read.
fn debug_app(name: &str) -> App {
    let (path, options) = debug_fixture(name);
    let loaded = Loaded::load(&Source::File(path.clone())).expect("loads");
    let browse = Browse::with_debug(loaded, Some(&path), options).expect("debug info");
    let (model, source) = browse.into_parts();
    let mut app = App::new(model, source);
    app.settle();
    app
}

/// The line of a fixture's source that carries `marker` (`// @trap`).
fn marked_line(file: &Path, marker: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("reads the source");
    text.lines()
        .position(|l| l.trim_end().ends_with(marker))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no {marker} in {}", file.display()))
}

/// The question the Sources view answers: what code did the line that
/// traps make, and where is it? From the file to the line to its code,
/// then into the Code view with the line beside the instruction.
#[test]
fn from_the_trap_line_of_main_rs_to_its_code() {
    let mut app = debug_app("tally.wasm");
    let main_rs = Path::new("testdata/debug/tally/src/main.rs");
    let trap = marked_line(main_rs, "// @trap");
    step(&mut app, &[Action::View(9)]);
    let files = screen(&mut app, 80, 24);
    snapshot("browse", "sources-tally-80x24", &files);
    step(&mut app, &typed("tally/src/main.rs"));
    step(&mut app, &[Action::Enter]);
    step(&mut app, &typed("@trap"));
    let lines = screen(&mut app, 80, 24);
    snapshot("browse", "sources-tally-main-rs", &lines);
    assert!(
        lines.contains(&format!("Sources line {trap} ")),
        "the search selects the @trap line {trap}:\n{lines}"
    );
    step(&mut app, &[Action::Enter]);
    let code = screen(&mut app, 80, 24);
    snapshot("browse", "sources-tally-trap-line", &code);
    assert!(code.contains("tally::checked_ratio (func"), "{code}");
    assert!(
        code.contains("// @trap"),
        "the line's text heads the list:\n{code}"
    );
    // The function's row, then its first instruction from the line.
    step(&mut app, &[Action::Down, Action::Enter]);
    assert_eq!(app.view(), view::CODE);
    let code = screen(&mut app, 80, 24);
    snapshot("browse", "code-tally-trap", &code);
    assert!(code.contains("Code: tally::checked_ratio"), "{code}");
    let marked = code
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_else(|| panic!("no marked source line:\n{code}"));
    assert!(
        marked.contains(&format!("▶{trap} ")) && marked.contains("panic!"),
        "{code}"
    );
    assert!(code.contains(&format!("main.rs:{trap}")), "{code}");
}

/// The browser's per-file bytes are those `stats --by file` counts.
#[test]
fn sources_count_the_bytes_stats_counts() {
    for name in [
        "tally.wasm",
        "cdemo-dwarf4.wasm",
        "cdemo-dwarf5.wasm",
        "asdemo.wasm",
    ] {
        let (path, options) = debug_fixture(name);
        let loaded = Loaded::load(&Source::File(path.clone())).expect("loads");
        let companions = Companions::find(&loaded, Some(&path), &options).expect("companions");
        let debug = DebugInfo::new(&loaded, &companions, &options);
        let sizes = source_sizes(name, &loaded.index, &debug, Grouping::File, Inlined::Callee)
            .expect("sizes");
        let loaded = Loaded::load(&Source::File(path.clone())).expect("loads");
        let browse = Browse::with_debug(loaded, Some(&path), options).expect("debug info");
        let (model, source) = browse.into_parts();
        let mut lines = source.line_info().expect("line info");
        assert!(lines.missing.is_none(), "{name}: {:?}", lines.missing);
        assert!(lines.functions.is_empty(), "places come after");
        lines.functions = source.function_places().expect("places");
        assert_eq!(lines.code_bytes, sizes.code_bytes as u64, "{name}");
        let mut ours: Vec<(String, u64, usize)> = lines
            .files
            .iter()
            .filter(|f| f.bytes > 0)
            .map(|f| (f.name.clone(), f.bytes, f.functions))
            .collect();
        ours.sort();
        let mut theirs: Vec<(String, u64, usize)> = sizes
            .groups
            .iter()
            .map(|g| (g.name.clone(), g.bytes as u64, g.functions))
            .collect();
        theirs.sort();
        assert_eq!(ours, theirs, "{name}");
        // Rows are sorted, disjoint, and each inside one function's body.
        for pair in lines.rows.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{name}: {pair:?}");
        }
        for row in &lines.rows {
            let f = model
                .functions
                .iter()
                .find(|f| f.size > 0 && f.offset <= row.start && row.start < f.offset + f.size)
                .unwrap_or_else(|| panic!("{name}: row {row:?} is in no function"));
            assert!(row.end <= f.offset + f.size, "{name}: {row:?}");
        }
        // Every function with code from a line has a place.
        let placed = model
            .functions
            .iter()
            .filter(|f| {
                lines
                    .within(f.offset..f.offset + f.size)
                    .iter()
                    .any(|r| r.line > 0)
            })
            .all(|f| lines.function_place(f.index).is_some());
        assert!(placed, "{name}");
    }
}

/// Where the tables say a function is, and the sources they name, read
/// through `--source-prefix` or from the source map.
#[test]
fn functions_have_places_and_sources_are_read() {
    let cases = [
        (
            "tally.wasm",
            "tally::checked_ratio",
            "tally/src/main.rs",
            "// @call-nonzero",
        ),
        (
            "cdemo-dwarf4.wasm",
            "mean_percent",
            "cdemo/stats.c",
            "/* @call-clamp */",
        ),
        (
            "asdemo.wasm",
            "assembly/index/checkedRatio",
            "assembly/index.ts",
            "// @trap",
        ),
    ];
    for (name, function, file, marker) in cases {
        let (path, options) = debug_fixture(name);
        let loaded = Loaded::load(&Source::File(path.clone())).expect("loads");
        let index = loaded.index.find_function(function).expect(function);
        let browse = Browse::with_debug(loaded, Some(&path), options).expect("debug info");
        let (_, source) = browse.into_parts();
        let mut lines = source.line_info().expect("line info");
        lines.functions = source.function_places().expect("places");
        let place = lines.function_place(index).expect("a place");
        assert!(place.contains(file), "{name}: {function} is at {place}");
        let (id, _) = lines.functions[index as usize].expect("a place");
        let text = source
            .source_text(lines.file_name(id))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            text.lines.iter().any(|l| l.trim_end().ends_with(marker)),
            "{name}: {file} as read has no {marker}"
        );
    }
}

/// Without `--source-prefix`, the DWARF's paths are not on this machine:
/// the browser still has the lines, and says how to find the text.
#[test]
fn sources_that_are_elsewhere_say_how_to_find_them() {
    let path = common::testdata().join("debug/tally.wasm");
    let loaded = Loaded::load(&Source::File(path.clone())).expect("loads");
    let browse = Browse::with_debug(loaded, Some(&path), DebugOptions::default()).expect("ok");
    let (_, source) = browse.into_parts();
    let lines = source.line_info().expect("line info");
    let main = lines
        .files
        .iter()
        .find(|f| f.name == "/build/tally/src/main.rs")
        .expect("main.rs");
    assert!(main.bytes > 0);
    let error = source
        .source_text(&main.name)
        .expect_err("not on this machine");
    assert!(error.contains("--source-prefix OLD=NEW"), "{error}");
}

/// A module without debug info: the Sources view says why, and the other
/// views are as they were.
#[test]
fn without_debug_info_the_sources_view_says_why() {
    let mut app = demo();
    step(&mut app, &[Action::View(9)]);
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("demo.wasm has no DWARF line table or source map"),
        "{text}"
    );
    step(&mut app, &[Action::View(2)]);
    assert!(!screen(&mut app, 80, 24).contains("Source:"));
}

/// Every debug fixture draws every level of the Sources view, and the Code
/// view of each function with its source pane, without a panic.
#[test]
fn every_debug_fixture_browses_its_sources() {
    for name in [
        "tally.wasm",
        "cdemo-dwarf4.wasm",
        "cdemo-dwarf5.wasm",
        "asdemo.wasm",
    ] {
        let mut app = debug_app(name);
        step(&mut app, &[Action::View(9)]);
        // Files, the largest file's lines (its first line with code is
        // selected), that line's code: each drawn, and at its last row.
        for level in 0..3 {
            if level > 0 {
                step(&mut app, &[Action::Enter]);
            }
            for (w, h) in [(80, 24), (50, 10), (120, 40)] {
                screen(&mut app, w, h);
            }
            // The lines stay on the line with code, to open it.
            if level != 1 {
                step(&mut app, &[Action::Bottom]);
                screen(&mut app, 80, 24);
                step(&mut app, &[Action::Top]);
            }
        }
        assert!(screen(&mut app, 80, 24).contains("Code of "), "{name}");
        step(&mut app, &[Action::Down, Action::Enter]);
        assert_eq!(app.view(), view::CODE, "{name}");
        for _ in 0..3 {
            step(&mut app, &[Action::PageDown]);
            screen(&mut app, 80, 24);
        }
        step(
            &mut app,
            &[Action::View(1), Action::Sort, Action::Sort, Action::Sort],
        );
        let functions = screen(&mut app, 120, 40);
        assert!(functions.contains("by source"), "{name}:\n{functions}");
    }
}
