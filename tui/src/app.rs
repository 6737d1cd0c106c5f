//! The browser's state and how actions change it. Slow work (the analysis,
//! a function's text) runs on worker threads; the app keeps drawing and
//! shows what is still coming.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::action::{Action, KEYS, Mode};
use crate::model::{Analysis, Code, LineInfo, Model, SourceText};
use crate::source::Source;
use crate::views::capabilities::Capabilities;
use crate::views::code::CodeView;
use crate::views::components::Components;
use crate::views::customs::Customs;
use crate::views::data::Data;
use crate::views::exports::Exports;
use crate::views::functions::Functions;
use crate::views::imports::Imports;
use crate::views::overview::Overview;
use crate::views::sections::Sections;
use crate::views::sources::Sources;
use crate::views::wit::WitView;
use crate::views::{CodeSlot, Context, Cursor, Outcome, Slot, Target, View};

/// The views: full name, shorter name, shortest name. A core module's tabs
/// are the first nine and Sources; a component's, the first ten with WIT in
/// place of Functions (a component has no functions of its own).
pub const VIEWS: [[&str; 3]; 12] = [
    ["Overview", "Overview", "Over"],
    ["Functions", "Funcs", "Func"],
    ["Code", "Code", "Code"],
    ["Imports", "Imports", "Imp"],
    ["Capabilities", "Caps", "Caps"],
    ["Exports", "Exports", "Exp"],
    ["Sections", "Sections", "Sect"],
    ["Data", "Data", "Data"],
    ["Custom", "Custom", "Cust"],
    ["Component", "Comp", "Comp"],
    ["Sources", "Sources", "Src"],
    ["WIT", "WIT", "WIT"],
];

/// The name of view `view` in form `form` (0 full, 1 shorter, 2 shortest).
fn view_name(view: usize, form: usize) -> &'static str {
    VIEWS
        .get(view)
        .and_then(|names| names.get(form))
        .copied()
        .unwrap_or_default()
}

/// The index of each view in [`VIEWS`].
pub mod view {
    /// Overview.
    pub const OVERVIEW: usize = 0;
    /// Functions.
    pub const FUNCTIONS: usize = 1;
    /// Code.
    pub const CODE: usize = 2;
    /// Imports.
    pub const IMPORTS: usize = 3;
    /// Capabilities.
    pub const CAPABILITIES: usize = 4;
    /// Components.
    pub const COMPONENT: usize = 9;
    /// Sources.
    pub const SOURCES: usize = 10;
    /// WIT.
    pub const WIT: usize = 11;
}

/// The views of a module in tab order: a component has WIT second and
/// Component tenth, a core module Functions and Sources.
fn tab_views(model: &Model) -> [usize; 10] {
    if model.component.is_some() {
        [0, view::WIT, 2, 3, 4, 5, 6, 7, 8, view::COMPONENT]
    } else {
        [0, 1, 2, 3, 4, 5, 6, 7, 8, view::SOURCES]
    }
}

/// The smallest screen the browser draws on.
pub const MIN_SIZE: (u16, u16) = (50, 10);

/// Function texts kept at once; older ones are printed again if needed.
const CODE_CACHE: usize = 256;

#[derive(Default)]
struct Views {
    overview: Overview,
    functions: Functions,
    code: CodeView,
    imports: Imports,
    capabilities: Capabilities,
    exports: Exports,
    sections: Sections,
    data: Data,
    customs: Customs,
    components: Components,
    sources: Sources,
    wit: WitView,
}

impl Views {
    fn get(&mut self, view: usize) -> &mut dyn View {
        match view {
            0 => &mut self.overview,
            1 => &mut self.functions,
            2 => &mut self.code,
            3 => &mut self.imports,
            4 => &mut self.capabilities,
            5 => &mut self.exports,
            6 => &mut self.sections,
            7 => &mut self.data,
            8 => &mut self.customs,
            view::SOURCES => &mut self.sources,
            view::WIT => &mut self.wit,
            _ => &mut self.components,
        }
    }
}

/// Where the user was before a jump: a view, and the function and cursor
/// of the Code view.
#[derive(Debug, Clone, Copy)]
struct Place {
    view: usize,
    code: Option<(u32, Cursor)>,
}

/// One module open in the browser: the input, or a module nested in it.
struct Layer {
    id: u64,
    label: String,
    model: Model,
    source: Arc<dyn Source>,
    analysis: Slot<Analysis>,
    lines: Slot<LineInfo>,
    codes: HashMap<u32, Slot<Code>>,
    texts: HashMap<u32, Slot<SourceText>>,
    views: Views,
    view: usize,
    history: Vec<Place>,
}

impl Layer {
    /// The views, and the context they read, borrowed apart.
    fn split(&mut self) -> (&mut Views, Context<'_>) {
        let code = code_slot(&self.codes, self.views.code.function());
        let cx = Context {
            model: &self.model,
            analysis: match &self.analysis {
                Slot::Ready(a) => Some(a),
                _ => None,
            },
            source: self.source.as_ref(),
            code,
            lines: &self.lines,
            codes: &self.codes,
            texts: &self.texts,
        };
        (&mut self.views, cx)
    }
}

/// What a worker sends back, tagged with the layer it belongs to.
enum Done {
    Analysis(u64, Result<Analysis, String>),
    Code(u64, u32, Result<Code, String>),
    Lines(u64, Result<LineInfo, String>),
    Places(u64, Result<Vec<Option<(u32, u32)>>, String>),
    Text(u64, u32, Result<SourceText, String>),
}

/// The whole browser.
pub struct App {
    layers: Vec<Layer>,
    mode: Mode,
    query: String,
    last_search: Option<String>,
    message: Option<String>,
    pending: usize,
    sender: Sender<Done>,
    receiver: Receiver<Done>,
    next_id: u64,
    ticks: usize,
    quit: bool,
}

impl App {
    /// A browser on `model`; the analysis and the reading of the line
    /// tables start at once on worker threads.
    pub fn new(model: Model, source: Arc<dyn Source>) -> App {
        let (sender, receiver) = channel();
        let mut app = App {
            layers: Vec::new(),
            mode: Mode::Normal,
            query: String::new(),
            last_search: None,
            message: None,
            pending: 0,
            sender,
            receiver,
            next_id: 0,
            ticks: 0,
            quit: false,
        };
        let label = model.name.clone();
        app.push_layer(label, model, source);
        app
    }

    fn push_layer(&mut self, label: String, model: Model, source: Arc<dyn Source>) {
        let id = self.next_id;
        self.next_id += 1;
        let mut views = Views {
            functions: Functions::new(),
            ..Views::default()
        };
        // The Code view starts on the first exported function.
        if let Some(f) = model.exports.iter().find_map(|e| e.function) {
            views.code.open(f);
        }
        self.layers.push(Layer {
            id,
            label,
            model,
            source: source.clone(),
            analysis: Slot::Pending,
            lines: Slot::Pending,
            codes: HashMap::new(),
            texts: HashMap::new(),
            views,
            view: view::OVERVIEW,
            history: Vec::new(),
        });
        let lines = source.clone();
        self.spawn(
            move || Done::Analysis(id, source.analyze()),
            move |e| Done::Analysis(id, Err(e)),
        );
        self.spawn(
            move || Done::Lines(id, lines.line_info()),
            move |e| Done::Lines(id, Err(e)),
        );
        self.request();
    }

    /// Runs `job` on a worker thread. A panic in it is caught and becomes
    /// `failed` with its message, shown where the result would have been:
    /// the browser stays usable and the pending count stays right.
    fn spawn(
        &mut self,
        job: impl FnOnce() -> Done + Send + 'static,
        failed: impl FnOnce(String) -> Done + Send + 'static,
    ) {
        let sender = self.sender.clone();
        self.pending += 1;
        std::thread::spawn(move || {
            let done = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
                Ok(done) => done,
                Err(payload) => failed(format!("internal error: {}", panic_message(&*payload))),
            };
            let _ = sender.send(done);
        });
    }

    // There is always at least the input's layer: `new` pushes it and
    // `back` pops only nested ones.
    #[allow(clippy::indexing_slicing)]
    fn layer(&self) -> &Layer {
        &self.layers[self.layers.len() - 1]
    }

    // There is always a layer, as for `layer`.
    #[allow(clippy::indexing_slicing)]
    fn layer_mut(&mut self) -> &mut Layer {
        let last = self.layers.len() - 1;
        &mut self.layers[last]
    }

    /// Whether the user asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// What keys mean now.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The view shown, as an index into [`VIEWS`].
    pub fn view(&self) -> usize {
        self.layer().view
    }

    /// Whether work is still running on worker threads.
    pub fn busy(&self) -> bool {
        self.pending > 0
    }

    /// Takes in what workers have finished, without waiting.
    pub fn poll(&mut self) {
        let mut any = false;
        while let Ok(done) = self.receiver.try_recv() {
            self.accept(done);
            any = true;
        }
        // What arrived may show what else a view needs (the line tables
        // name the source file the Code view shows).
        if any {
            self.request();
        }
    }

    /// Waits until every worker has finished (for tests and scripts).
    pub fn settle(&mut self) {
        while self.pending > 0 {
            match self.receiver.recv() {
                Ok(done) => {
                    self.accept(done);
                    self.request();
                }
                Err(_) => break,
            }
        }
    }

    /// Advances the progress indicator.
    pub fn tick(&mut self) {
        self.ticks = self.ticks.wrapping_add(1);
    }

    fn accept(&mut self, done: Done) {
        self.pending = self.pending.saturating_sub(1);
        let id = match &done {
            Done::Analysis(id, _)
            | Done::Code(id, _, _)
            | Done::Lines(id, _)
            | Done::Places(id, _)
            | Done::Text(id, _, _) => *id,
        };
        // A result for a nested module that was closed meanwhile is dropped.
        let Some(layer) = self.layers.iter_mut().find(|l| l.id == id) else {
            return;
        };
        match done {
            Done::Analysis(_, result) => {
                layer.analysis = match result {
                    Ok(a) => Slot::Ready(a),
                    Err(e) => Slot::Failed(e),
                }
            }
            Done::Code(_, function, result) => {
                if layer.codes.len() >= CODE_CACHE {
                    layer.codes.retain(|_, slot| matches!(slot, Slot::Pending));
                }
                let slot = match result {
                    Ok(code) => Slot::Ready(code),
                    Err(e) => Slot::Failed(e),
                };
                layer.codes.insert(function, slot);
            }
            Done::Lines(_, result) => {
                let more = matches!(&result, Ok(lines) if !lines.is_empty());
                layer.lines = slot(result);
                // Where each function is comes after, as it may be slower.
                if more {
                    let (id, source) = (layer.id, layer.source.clone());
                    self.spawn(
                        move || Done::Places(id, source.function_places()),
                        move |e| Done::Places(id, Err(e)),
                    );
                }
            }
            Done::Places(_, result) => {
                if let Slot::Ready(lines) = &mut layer.lines {
                    match result {
                        Ok(places) if !places.is_empty() => lines.functions = places,
                        // No places (or none to add to what the line info
                        // had): the column is left empty, not waiting.
                        _ if lines.functions.is_empty() => {
                            lines.functions = vec![None; layer.model.functions.len()];
                        }
                        _ => {}
                    }
                }
            }
            Done::Text(_, file, result) => {
                layer.texts.insert(file, slot(result));
            }
        }
    }

    /// Starts fetching what is shown and not there yet: the Code view's
    /// function, and what the current view wants.
    fn request(&mut self) {
        let mut wants = self.with_view(|v, cx| v.wants(cx));
        let layer = self.layer();
        if let Some(function) = layer.views.code.function() {
            wants.functions.insert(0, function);
        }
        for function in wants.functions {
            self.request_code(function);
        }
        for file in wants.files {
            self.request_text(file);
        }
    }

    /// Starts printing a function if it is not there yet.
    fn request_code(&mut self, function: u32) {
        let layer = self.layer();
        if layer.codes.contains_key(&function) {
            return;
        }
        let (id, source) = (layer.id, layer.source.clone());
        self.layer_mut().codes.insert(function, Slot::Pending);
        self.spawn(
            move || Done::Code(id, function, source.code(function)),
            move |e| Done::Code(id, function, Err(e)),
        );
    }

    /// Starts reading a source file if it is not there yet.
    fn request_text(&mut self, file: u32) {
        let layer = self.layer();
        if layer.texts.contains_key(&file) {
            return;
        }
        let Some(name) = layer
            .lines
            .ready()
            .and_then(|l| l.files.get(file as usize))
            .map(|f| f.name.clone())
        else {
            return;
        };
        let (id, source) = (layer.id, layer.source.clone());
        self.layer_mut().texts.insert(file, Slot::Pending);
        self.spawn(
            move || Done::Text(id, file, source.source_text(&name)),
            move |e| Done::Text(id, file, Err(e)),
        );
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        let previous = self.message.take();
        // Ending a search keeps its "no match" for the user to see.
        if self.mode == Mode::Search && action == Action::Submit {
            self.message = previous;
        }
        match self.mode {
            Mode::Help => {
                self.mode = Mode::Normal;
                if action == Action::Quit {
                    self.quit = true;
                }
            }
            Mode::Search => self.update_search(action),
            Mode::Normal => self.update_normal(action),
        }
        self.request();
    }

    fn update_search(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Type(c) => {
                self.query.push(c);
                self.search_live();
            }
            Action::Erase => {
                self.query.pop();
                self.search_live();
            }
            Action::Submit => {
                self.mode = Mode::Normal;
                if !self.query.is_empty() {
                    self.last_search = Some(std::mem::take(&mut self.query));
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.query.clear();
                if self.with_view(|v, _| v.filters()) {
                    self.with_view(|v, cx| v.search("", true, false, cx));
                }
            }
            other => {
                self.with_view(|v, cx| v.handle(&other, cx));
            }
        }
    }

    fn search_live(&mut self) {
        let query = self.query.clone();
        let found = self.with_view(|v, cx| v.search(&query, true, false, cx));
        if !found && !query.is_empty() {
            self.message = Some(format!("no match for \"{query}\""));
        }
    }

    fn update_normal(&mut self, action: Action) {
        let tabs = tab_views(&self.layer().model);
        let tab = tabs.iter().position(|&v| v == self.view()).unwrap_or(0);
        let views = tabs.len();
        let at = |i: usize| tabs.get(i % views).copied().unwrap_or(0);
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.mode = Mode::Help,
            Action::NextView => self.switch(at(tab + 1)),
            Action::PrevView => self.switch(at(tab + views - 1)),
            Action::View(v) if v < views => self.switch(at(v)),
            Action::View(v) => self.message = Some(format!("there is no view {}", v + 1)),
            Action::Search => {
                self.mode = Mode::Search;
                self.query.clear();
            }
            Action::NextMatch | Action::PrevMatch => {
                let Some(query) = self.last_search.clone() else {
                    self.message = Some("no search yet: press / to search".to_string());
                    return;
                };
                let forward = action == Action::NextMatch;
                if !self.with_view(|v, cx| v.search(&query, forward, true, cx)) {
                    self.message = Some(format!("no match for \"{query}\""));
                }
            }
            Action::Back => self.back(),
            other => match self.with_view(|v, cx| v.handle(&other, cx)) {
                Outcome::Open(target) => self.open(target),
                Outcome::Done | Outcome::Ignored => {}
            },
        }
    }

    fn switch(&mut self, view: usize) {
        self.layer_mut().view = view;
    }

    fn place(&self) -> Place {
        let layer = self.layer();
        Place {
            view: layer.view,
            code: layer.views.code.state(),
        }
    }

    /// Opens the core module nested at `position` as a new layer; says
    /// whether it could.
    fn open_nested(&mut self, position: usize) -> bool {
        let source = self.layer().source.clone();
        match source.open_nested(position) {
            Ok((model, source)) => {
                let label = model.name.clone();
                self.push_layer(label, model, source);
                true
            }
            Err(e) => {
                self.message = Some(e);
                false
            }
        }
    }

    /// Goes where a view asked to, remembering where it was.
    pub fn open(&mut self, target: Target) {
        let place = self.place();
        match target {
            Target::Function(f) => {
                let layer = self.layer_mut();
                layer.history.push(place);
                layer.views.code.open(f);
                layer.view = view::CODE;
            }
            Target::Code(f, offset) => {
                let layer = self.layer_mut();
                layer.history.push(place);
                layer.views.code.open_at(f, offset);
                layer.view = view::CODE;
            }
            Target::Import(i) => {
                let layer = self.layer_mut();
                layer.history.push(place);
                layer.view = view::IMPORTS;
                let (views, cx) = layer.split();
                views.imports.select(i, &cx);
            }
            Target::Nested(position) => {
                self.open_nested(position);
            }
            Target::NestedFunction(position, f) => {
                if self.open_nested(position) {
                    self.open(Target::Function(f));
                }
            }
            Target::NestedImport(position, i) => {
                if self.open_nested(position) {
                    self.open(Target::Import(i));
                }
            }
        }
    }

    /// Goes up a level in the view, or back to where the last jump came
    /// from, or out of a nested module.
    fn back(&mut self) {
        if self.with_view(|v, _| v.back()) {
            return;
        }
        let layer = self.layer_mut();
        match layer.history.pop() {
            Some(place) => {
                layer.view = place.view;
                if let Some((f, cursor)) = place.code {
                    layer.views.code.restore(f, cursor);
                }
            }
            None if self.layers.len() > 1 => {
                self.layers.pop();
            }
            None => self.message = Some("nothing to go back to".to_string()),
        }
    }

    /// Runs `f` on the current view with its context.
    fn with_view<T>(&mut self, f: impl FnOnce(&mut dyn View, &Context) -> T) -> T {
        let layer = self.layer_mut();
        let view = layer.view;
        let (views, cx) = layer.split();
        f(views.get(view), &cx)
    }

    /// Draws the whole screen.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            let text = format!(
                "The terminal is too small ({}x{}): make it at least {}x{}, or press q to quit.",
                area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
            );
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        let [tabs, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_tabs(frame, tabs);
        let position = self.with_view(|view, cx| {
            view.draw(frame, body, cx);
            view.position(cx)
        });
        self.draw_status(frame, status, &position);
        if self.mode == Mode::Help {
            draw_help(frame, body, &tab_views(&self.layer().model));
        }
    }

    fn draw_tabs(&self, frame: &mut Frame, area: Rect) {
        let layer = self.layer();
        let tabs = tab_views(&layer.model);
        let count = tabs.len();
        // The longest names that fit, padded, then packed; numbers alone
        // (but for the current view) on a very narrow screen.
        let label = |i: usize, form: (usize, bool)| {
            let (names, padded) = form;
            let number = (i + 1) % 10;
            let view = tabs.get(i).copied().unwrap_or_default();
            match (names, padded) {
                (3, _) => format!(" {number} "),
                (n, true) => format!(" {number} {} ", view_name(view, n)),
                (n, false) => format!(" {number} {}", view_name(view, n)),
            }
        };
        let fits = |form: (usize, bool)| {
            let width: usize = (0..count).map(|i| label(i, form).chars().count()).sum();
            width <= usize::from(area.width)
        };
        let forms = [(0, true), (1, true), (2, true), (2, false)];
        let form = forms.into_iter().find(|&f| fits(f)).unwrap_or((3, false));
        let mut spans = Vec::new();
        for (i, &view) in tabs.iter().enumerate() {
            let text = match form {
                (3, _) if view == layer.view => label(i, (2, true)),
                _ => label(i, form),
            };
            let style = if view == layer.view {
                Style::default()
                    .bg(Color::Cyan)
                    .fg(Color::Black)
                    .add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(Color::Gray)
            };
            spans.push(Span::styled(text, style));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_status(&self, frame: &mut Frame, area: Rect, position: &str) {
        let layer = self.layer();
        let dim = Style::default().fg(Color::DarkGray);
        let labels: Vec<&str> = self.layers.iter().map(|l| l.label.as_str()).collect();
        let name = labels.join(" › ");
        let mut spans = vec![
            Span::styled(
                format!(" {name} "),
                Style::default().fg(Color::Black).bg(Color::Gray),
            ),
            Span::raw(format!(" {} ", view_name(layer.view, 0))),
        ];
        if !position.is_empty() {
            spans.push(Span::styled(format!("{position} "), dim));
        }
        if self.mode == Mode::Search {
            spans.push(Span::styled(
                format!("/{}█", self.query),
                Style::default().fg(Color::Yellow),
            ));
            spans.push(Span::styled("  Enter keep, Esc cancel", dim));
        } else if let Some(message) = &self.message {
            spans.push(Span::styled(
                message.clone(),
                Style::default().fg(Color::Yellow),
            ));
        } else if let Slot::Failed(e) = &layer.analysis {
            spans.push(Span::styled(
                format!("analysis failed: {e}"),
                Style::default().fg(Color::Red),
            ));
        } else if self.busy() {
            const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
            let spinner = SPINNER.get((self.ticks / 8) % SPINNER.len()).unwrap_or(&"");
            spans.push(Span::styled(
                format!("{spinner} working…"),
                Style::default().fg(Color::Yellow),
            ));
        } else {
            let lines = layer.lines.ready().is_some_and(|l| !l.is_empty());
            let mut hints = String::new();
            if layer.view == view::CODE {
                hints.push_str("Enter follow  ");
            }
            if layer.view == view::SOURCES && lines {
                hints.push_str("Enter open  ");
            }
            if !layer.history.is_empty() || self.layers.len() > 1 {
                hints.push_str("Bksp back  ");
            }
            let mut text = format!("{hints}/ search  ? help  q quit");
            // The source pane's key, when there is room to say it.
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            if layer.view == view::CODE
                && lines
                && used + text.chars().count() + 10 <= usize::from(area.width)
            {
                text = format!("{hints}S source  / search  ? help  q quit");
            }
            spans.push(Span::styled(text, dim));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

fn slot<T>(result: Result<T, String>) -> Slot<T> {
    match result {
        Ok(value) => Slot::Ready(value),
        Err(e) => Slot::Failed(e),
    }
}

fn code_slot(codes: &HashMap<u32, Slot<Code>>, function: Option<u32>) -> CodeSlot<'_> {
    match function.map(|f| codes.get(&f)) {
        None => CodeSlot::Empty,
        Some(None | Some(Slot::Pending)) => CodeSlot::Loading,
        Some(Some(Slot::Ready(code))) => CodeSlot::Ready(code),
        Some(Some(Slot::Failed(e))) => CodeSlot::Failed(e),
    }
}

fn draw_help(frame: &mut Frame, area: Rect, tabs: &[usize]) {
    const KEY_WIDTH: usize = 26;
    let width = 76.min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let key_style = Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    for (keys, what) in KEYS {
        // A description too long for the line goes on under itself.
        let room = inner.saturating_sub(KEY_WIDTH).max(10);
        let mut head = Some(*keys);
        let mut rest = *what;
        while !rest.is_empty() || head.is_some() {
            let cut = if rest.chars().count() <= room {
                rest.len()
            } else {
                rest[..rest.char_indices().nth(room).map_or(rest.len(), |(i, _)| i)]
                    .rfind(' ')
                    .unwrap_or(room.min(rest.len()))
            };
            let (part, next) = rest.split_at(cut);
            let key = head.take().unwrap_or("");
            lines.push(Line::from(vec![
                Span::styled(format!("{key:<KEY_WIDTH$}"), key_style),
                Span::raw(part.to_string()),
            ]));
            rest = next.trim_start();
        }
    }
    lines.push(Line::from(""));
    let mut views = String::from("views:");
    for (i, &v) in tabs.iter().enumerate() {
        let item = format!(" {} {}", (i + 1) % 10, view_name(v, 0));
        if views.chars().count() + item.chars().count() > inner {
            lines.push(Line::from(std::mem::take(&mut views)));
            views.push_str("      ");
        }
        views.push_str(&item);
    }
    lines.push(Line::from(views));
    let height = (lines.len() as u16 + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(crate::views::pane("Keys (any key closes)", true)),
        popup,
    );
}

/// The message a panic was raised with.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a panic"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CodeLine, Export, Function, Import, ImportUse, Token};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    /// A module of three functions: an import, `main` calling `helper`
    /// and the import, and `helper`.
    struct Fixture;

    impl Source for Fixture {
        fn code(&self, function: u32) -> Result<Code, String> {
            let line = |text: &str, target: Option<u32>| CodeLine {
                offset: Some(0x40),
                spans: vec![(Token::Keyword, text.to_string())],
                target,
            };
            match function {
                1 => Ok(Code {
                    lines: vec![
                        line("(func $main", None),
                        line("call $helper", Some(2)),
                        line("call $log", Some(0)),
                        line(")", None),
                    ],
                }),
                2 => Ok(Code {
                    lines: vec![line("(func $helper)", None)],
                }),
                _ => Err(format!("function {function} has no body")),
            }
        }

        fn bytes(&self, range: std::ops::Range<u64>) -> Vec<u8> {
            (range.start..range.end).map(|b| b as u8).collect()
        }

        fn analyze(&self) -> Result<Analysis, String> {
            Ok(Analysis {
                callers: vec![vec![1], vec![], vec![1]],
                callees: vec![vec![], vec![0, 2], vec![]],
                imports: vec![ImportUse {
                    capabilities: vec!["host-custom".to_string()],
                    reachable: true,
                }],
                capabilities: Vec::new(),
                command_line: None,
                run_notes: Vec::new(),
                wit: None,
            })
        }

        fn open_nested(&self, _: usize) -> Result<(Model, Arc<dyn Source>), String> {
            Err("not a component".to_string())
        }
    }

    fn fixture() -> App {
        let function = |index: u32, name: &str| Function {
            index,
            name: name.to_string(),
            size: 10 * u64::from(index),
            ..Function::default()
        };
        let model = Model {
            name: "fixture.wasm".to_string(),
            functions: vec![
                function(0, "log"),
                function(1, "main"),
                function(2, "helper"),
            ],
            imports: vec![Import {
                module: "env".to_string(),
                name: "log".to_string(),
                kind: "func".to_string(),
                ty: "(func)".to_string(),
                function: Some(0),
            }],
            exports: vec![Export {
                name: "main".to_string(),
                kind: "func".to_string(),
                ty: "(func)".to_string(),
                function: Some(1),
            }],
            ..Model::default()
        };
        let mut app = App::new(model, Arc::new(Fixture));
        app.settle();
        app
    }

    fn screen(app: &mut App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 20)).expect("test terminal");
        terminal.draw(|frame| app.draw(frame)).expect("draws");
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn step(app: &mut App, actions: &[Action]) {
        for action in actions {
            app.update(action.clone());
            app.settle();
        }
    }

    #[test]
    fn code_starts_on_the_first_export_and_follows_calls() {
        let mut app = fixture();
        step(&mut app, &[Action::View(view::CODE)]);
        assert!(screen(&mut app).contains("Code: main (func 1)"));
        step(&mut app, &[Action::Down, Action::Enter]);
        assert!(screen(&mut app).contains("Code: helper (func 2)"));
        step(&mut app, &[Action::Back]);
        let text = screen(&mut app);
        assert!(text.contains("Code: main (func 1)"), "{text}");
        // The line the jump left from is still selected.
        assert!(text.contains("line 2/4"), "{text}");
    }

    #[test]
    fn an_import_lists_its_callers_and_opens_them() {
        let mut app = fixture();
        step(&mut app, &[Action::View(view::IMPORTS), Action::Enter]);
        assert!(screen(&mut app).contains("Called by (1): env::log"));
        step(&mut app, &[Action::Enter]);
        assert_eq!(app.view(), view::CODE);
        assert!(screen(&mut app).contains("Code: main (func 1)"));
    }

    #[test]
    fn a_failed_function_text_is_shown_not_fatal() {
        let mut app = fixture();
        step(
            &mut app,
            &[Action::View(view::FUNCTIONS), Action::Sort, Action::Sort],
        );
        // By index: the first row is the import, whose text fails here.
        step(&mut app, &[Action::Top, Action::Enter]);
        assert!(screen(&mut app).contains("function 0 has no body"));
    }

    #[test]
    fn back_with_nowhere_to_go_says_so() {
        let mut app = fixture();
        step(&mut app, &[Action::Back]);
        assert!(screen(&mut app).contains("nothing to go back to"));
    }
}
