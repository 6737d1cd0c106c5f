//! The view model: plain data the browser shows, filled in by whoever embeds
//! the browser. Nothing here knows how a module is decoded.

use std::ops::Range;

/// Everything the browser shows about one module or component that is
/// cheap to know up front. Slow or large data comes from a
/// [`Source`](crate::Source) when it is needed.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The input's name, shown in the status line.
    pub name: String,
    /// The summary, as label and value pairs (`kind`, `size`, `toolchain`...).
    pub summary: Vec<(String, String)>,
    /// Where the bytes go, in broad groups (code, data, debug info...).
    pub byte_groups: Vec<(String, u64)>,
    /// The size of the whole input.
    pub size: u64,
    /// Top-level sections in file order.
    pub sections: Vec<Section>,
    /// All functions, imported first, in index order.
    pub functions: Vec<Function>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// Data segments.
    pub data: Vec<Segment>,
    /// Custom sections.
    pub customs: Vec<Custom>,
    /// For a component: its own imports, exports and nested modules.
    pub component: Option<Component>,
}

/// One top-level section.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// The section id byte.
    pub id: u8,
    /// Its name (`code`, `custom "name"`...).
    pub name: String,
    /// The whole section, header included.
    pub range: Range<u64>,
    /// How many items it declares, for vector sections.
    pub count: Option<u32>,
}

/// A function, imported or defined.
#[derive(Debug, Clone, Default)]
pub struct Function {
    /// Index in the function index space.
    pub index: u32,
    /// Its name for people (demangled), or a synthesized one.
    pub name: String,
    /// The body size in bytes (0 for an import).
    pub size: u64,
    /// Where its body starts (0 for an import).
    pub offset: u64,
    /// `module::name` for an imported function.
    pub import: Option<String>,
    /// The names it is exported under.
    pub exports: Vec<String>,
}

/// An imported item.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The module it comes from.
    pub module: String,
    /// The item's name.
    pub name: String,
    /// `func`, `memory`, `table`, `global` or `tag`.
    pub kind: String,
    /// Its type as text.
    pub ty: String,
    /// The function index, for an imported function.
    pub function: Option<u32>,
}

/// An exported item.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// The export name.
    pub name: String,
    /// `func`, `memory`, `table`, `global` or `tag`.
    pub kind: String,
    /// Its type as text.
    pub ty: String,
    /// The function index, for an exported function.
    pub function: Option<u32>,
}

/// A data segment.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    /// Segment index.
    pub index: u32,
    /// Its name, if the name section gives one.
    pub name: Option<String>,
    /// `active` or `passive`.
    pub mode: String,
    /// The whole segment entry in the input.
    pub range: Range<u64>,
    /// Bytes of data it carries (the tail of `range`).
    pub size: u64,
}

/// A custom section.
#[derive(Debug, Clone, Default)]
pub struct Custom {
    /// Its name.
    pub name: String,
    /// Its contents (after the name).
    pub range: Range<u64>,
    /// The contents decoded into lines, for sections the embedder
    /// understands (producers, target features).
    pub decoded: Option<Vec<String>>,
}

/// A component's own items and the core modules nested in it.
#[derive(Debug, Clone, Default)]
pub struct Component {
    /// Component-level imports: name and kind.
    pub imports: Vec<(String, String)>,
    /// Component-level exports: name and kind.
    pub exports: Vec<(String, String)>,
    /// The nested core modules, in order.
    pub modules: Vec<NestedModule>,
}

/// A core module nested in a component.
#[derive(Debug, Clone, Default)]
pub struct NestedModule {
    /// Its name, or a label like `module 0`.
    pub label: String,
    /// What it is for in the component (`main module`, `WASI adapter`,
    /// `shim`...), when that can be told.
    pub role: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// How many functions it has.
    pub functions: usize,
    /// How many imports it has.
    pub imports: usize,
}

/// What the slow analysis of a module adds: the call graph and the
/// capability audit. The browser shows placeholders until it arrives.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Callers of each function, by function index.
    pub callers: Vec<Vec<u32>>,
    /// Direct callees of each function, by function index.
    pub callees: Vec<Vec<u32>>,
    /// For each import (by position in [`Model::imports`]): the
    /// capabilities it needs and whether reachable code uses it.
    pub imports: Vec<ImportUse>,
    /// Capabilities, most dangerous first.
    pub capabilities: Vec<Capability>,
    /// How the module would be run with just what it needs
    /// (`wasmtime run --dir=. demo.wasm`), when a runtime can run it.
    pub command_line: Option<String>,
    /// Why there is no command line (imports no runtime provides, a host
    /// it needs), or what it cannot grant.
    pub run_notes: Vec<String>,
    /// A component's WIT, wired to its core modules; none for a core
    /// module, or a component whose WIT cannot be read.
    pub wit: Option<Wit>,
}

/// A component's WIT as the WIT view shows it: its world's imports and
/// exports, each with its functions and types.
#[derive(Debug, Clone, Default)]
pub struct Wit {
    /// The world's name (`root`), or why there is none.
    pub world: String,
    /// Imports first, then exports, in the world's order.
    pub items: Vec<WitItem>,
}

/// An interface (or a lone function) a world imports or exports.
#[derive(Debug, Clone, Default)]
pub struct WitItem {
    /// `wasi:cli/stdout@0.2.6`, or a function's name.
    pub name: String,
    /// Exported (else imported).
    pub export: bool,
    /// Its functions.
    pub functions: Vec<WitFunction>,
    /// Its types.
    pub types: Vec<WitType>,
}

/// A function of the world's WIT.
#[derive(Debug, Clone, Default)]
pub struct WitFunction {
    /// Its name as WIT writes it (`output-stream.write`).
    pub name: String,
    /// `func(contents: list<u8>) -> result<_, stream-error>`.
    pub signature: String,
    /// For an import, the capability it needs (`stdout`); none for an
    /// export.
    pub capability: Option<String>,
    /// The core code behind it: for an import, where nested modules call
    /// it; for an export, the function it is lifted from.
    pub places: Vec<WitPlace>,
    /// For an import, the exports that reach it; for an export, the
    /// imported functions it reaches.
    pub reach: Vec<String>,
}

/// A place in a nested core module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WitPlace {
    /// The nested module's position in the component.
    pub module: usize,
    /// How the module is named (`main`, `wit-component:adapter:...`).
    pub label: String,
    /// The function there (an imported one for a lowered import).
    pub function: u32,
    /// For a lowered import: the import's position in the module.
    pub import: Option<usize>,
}

/// A type of the world's WIT.
#[derive(Debug, Clone, Default)]
pub struct WitType {
    /// Its name.
    pub name: String,
    /// `record`, `variant`, `enum`, `flags`, `resource` or `alias`.
    pub kind: String,
    /// Its members or what it stands for, in one line.
    pub text: String,
}

/// How one import is used.
#[derive(Debug, Clone, Default)]
pub struct ImportUse {
    /// Capability names (`fs-read`, `clock`...).
    pub capabilities: Vec<String>,
    /// Whether reachable code uses it.
    pub reachable: bool,
}

/// One capability the module needs.
#[derive(Debug, Clone, Default)]
pub struct Capability {
    /// Its name (`fs-read`).
    pub name: String,
    /// Its risk (`critical`, `high`, `medium`, `low`, `none`).
    pub risk: String,
    /// What it means, in plain words.
    pub meaning: String,
    /// How a runtime grants it (`wasmtime --dir=DIR`).
    pub grant: String,
    /// Whether reachable code uses it.
    pub reachable: bool,
    /// The imports that need it, by position in [`Model::imports`].
    pub imports: Vec<usize>,
    /// Those of `imports` that need it only with some arguments
    /// (`path_open` writes only when asked to open for writing).
    pub possible: Vec<usize>,
}

/// A function's code as text, one entry per line.
#[derive(Debug, Clone, Default)]
pub struct Code {
    /// The lines.
    pub lines: Vec<CodeLine>,
}

/// One line of code.
#[derive(Debug, Clone, Default)]
pub struct CodeLine {
    /// Byte offset in the input of what the line shows.
    pub offset: Option<u64>,
    /// The text in styled pieces.
    pub spans: Vec<(Token, String)>,
    /// The function a `call` (or `ref.func`) on this line names.
    pub target: Option<u32>,
}

impl CodeLine {
    /// The line's plain text.
    pub fn text(&self) -> String {
        self.spans.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// What a piece of code text is, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Token {
    /// Anything else.
    #[default]
    Plain,
    /// An instruction or keyword.
    Keyword,
    /// A name (`$foo`).
    Name,
    /// A number or string.
    Literal,
    /// A type (`i32`, `funcref`).
    Type,
    /// A comment.
    Comment,
}

/// What the line tables (DWARF, or a source map) say about a module's code:
/// its source files, which bytes each source line made, and where each
/// function is. It is read on a worker thread and may take a while for a
/// large module; without line tables it is empty and `missing` says why.
#[derive(Debug, Clone, Default)]
pub struct LineInfo {
    /// The source files, by id (the position here).
    pub files: Vec<SourceFile>,
    /// Code bytes and the source line that made them, sorted by offset,
    /// not overlapping, each inside one function's body.
    pub rows: Vec<LineRow>,
    /// Where each function is, by function index: a file id and line.
    /// Empty until [`Source::function_places`](crate::Source::function_places)
    /// has answered.
    pub functions: Vec<Option<(u32, u32)>>,
    /// Where the lines come from (`DWARF in the module`, `source map
    /// app.wasm.map`).
    pub origin: String,
    /// Bytes of the code section's contents (what the rows cover, and the
    /// rest).
    pub code_bytes: u64,
    /// Why there are no lines, when there are none.
    pub missing: Option<String>,
    /// What was looked for and not used, and why.
    pub notes: Vec<String>,
}

/// A source file the line tables name.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// Its name as the debug info gives it (after `--source-prefix`).
    pub name: String,
    /// Code bytes made from it.
    pub bytes: u64,
    /// Functions with code from it (its own, and those it is inlined into).
    pub functions: usize,
    /// Distinct lines of it that made code (line 0 aside).
    pub lines: usize,
}

/// Code bytes that one source line made: a row of a line table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineRow {
    /// First byte, as an offset in the input.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// The file, by id in [`LineInfo::files`].
    pub file: u32,
    /// The line, from 1; 0 for code made for the file with no line of its
    /// own.
    pub line: u32,
}

impl LineInfo {
    /// Whether there is any line to show.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row that covers the byte at `offset`.
    pub fn at(&self, offset: u64) -> Option<&LineRow> {
        let i = self.rows.partition_point(|r| r.start <= offset);
        let row = self.rows.get(i.checked_sub(1)?)?;
        (offset < row.end).then_some(row)
    }

    /// The rows inside `range`, in order.
    pub fn within(&self, range: Range<u64>) -> &[LineRow] {
        let first = self.rows.partition_point(|r| r.end <= range.start);
        let last = self.rows.partition_point(|r| r.start < range.end);
        self.rows.get(first..last.max(first)).unwrap_or_default()
    }

    /// A file's name, by id.
    pub fn file_name(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map_or("", |f| f.name.as_str())
    }

    /// Where a function is, as `name:line` with the file's whole name (the
    /// name alone when the line is not known).
    pub fn function_place(&self, function: u32) -> Option<String> {
        let (file, line) = (*self.functions.get(function as usize)?)?;
        Some(match line {
            0 => self.file_name(file).to_string(),
            line => format!("{}:{line}", self.file_name(file)),
        })
    }
}

/// A source file's text, one entry per line (the first is line 1).
#[derive(Debug, Clone, Default)]
pub struct SourceText {
    /// The lines, without their line breaks.
    pub lines: Vec<String>,
}
