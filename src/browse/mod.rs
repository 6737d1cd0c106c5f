//! The terminal browser's adapter: fills the browser's view model from the
//! module index and answers its slow questions (a function's text, bytes,
//! the call graph and capability audit, the line tables and source files)
//! from the core.

mod lines;
mod wit;

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use wasmscope_tui as tui;

use crate::callgraph::CallGraph;
use crate::caps::{self, Runtime};
use crate::debuginfo::{Companions, DebugOptions};
use crate::demangle::demangle;
use crate::index::{ItemKind, ModuleIndex, SegmentMode};
use crate::input::{Bytes, InputKind, Loaded};
use crate::print::{self, Style};
use crate::wiring::Wiring;

use lines::{Debug, Firsts};

/// One module (or a component, or a module nested in one) for the browser.
pub struct Browse {
    /// The name shown for the module.
    file: String,
    /// The whole input.
    input: Arc<Loaded>,
    /// The module shown when it is nested in the input, a component.
    nested: Option<Arc<ModuleIndex>>,
    /// Where the input's debug info is, besides the input.
    debug: Arc<Debug>,
    /// What finding where each function is starts from, once the line
    /// tables are read.
    firsts: OnceLock<Firsts>,
    /// The JavaScript glue that named the module's imports and exports.
    glue: Option<crate::glue::GlueUse>,
}

impl Browse {
    /// Adapts an indexed input, with the DWARF it carries; files it names
    /// (a debug file, a source map) are not looked for: see
    /// [`Browse::with_debug`].
    pub fn new(file: impl Into<String>, bytes: Bytes, index: ModuleIndex) -> Browse {
        let file = file.into();
        let input = Loaded {
            name: file.clone(),
            kind: InputKind::Binary,
            bytes,
            index,
        };
        Browse {
            file,
            input: Arc::new(input),
            nested: None,
            debug: Arc::new(Debug::new(Companions::default(), DebugOptions::default())),
            firsts: OnceLock::new(),
            glue: None,
        }
    }

    /// Adapts a loaded input read from `path` (companion files the module
    /// names are looked for next to it), with the debug info `options` name
    /// (`--debug-file`, `--source-map`, `--source-prefix`). Fails when a
    /// file `options` names cannot be read or does not fit the module.
    pub fn with_debug(
        input: Loaded,
        path: Option<&Path>,
        options: DebugOptions,
    ) -> crate::error::Result<Browse> {
        let companions = Companions::find(&input, path, &options)?;
        Ok(Browse {
            file: input.name.clone(),
            input: Arc::new(input),
            nested: None,
            debug: Arc::new(Debug::new(companions, options)),
            firsts: OnceLock::new(),
            glue: None,
        })
    }

    /// Says which JavaScript glue named the module's imports and exports
    /// (the index given was renamed with it): the Overview shows it.
    pub fn with_glue(mut self, glue: Option<crate::glue::GlueUse>) -> Browse {
        self.glue = glue;
        self
    }

    /// The module shown.
    fn index(&self) -> &ModuleIndex {
        self.nested.as_deref().unwrap_or(&self.input.index)
    }

    /// The view model: everything cheap to know.
    pub fn model(&self) -> tui::Model {
        let mut model = model(&self.file, self.index());
        // A component's modules as it names them, with their roles.
        if let Some(component) = &mut model.component
            && self.nested.is_none()
            && let Ok(parts) = crate::component::parts(&self.input.bytes)
        {
            let own = parts
                .iter()
                .filter(|p| p.depth == 0 && p.kind == crate::component::PartKind::Module);
            for (module, part) in component.modules.iter_mut().zip(own) {
                if let Some(name) = &part.name {
                    module.label = format!("{} {name}", part.id);
                }
                module.role = part.role.map(|r| r.describe().to_string());
            }
        }
        if let Some(glue) = &self.glue {
            model.summary.push(("glue".to_string(), glue.summary()));
        }
        model
    }

    /// The model and the source, ready for [`tui::run`] or a test backend.
    pub fn into_parts(self) -> (tui::Model, Arc<dyn tui::Source>) {
        let model = self.model();
        (model, Arc::new(self))
    }
}

impl tui::Source for Browse {
    fn code(&self, function: u32) -> Result<tui::Code, String> {
        let index = self.index();
        if let Some(f) = index.functions.get(function as usize)
            && f.imported
        {
            return Ok(imported_code(index, function));
        }
        let lines =
            print::function_text(&self.input.bytes, index, function).map_err(|e| e.to_string())?;
        Ok(tui::Code {
            lines: lines
                .into_iter()
                .map(|line| tui::CodeLine {
                    offset: line.offset.map(|o| o as u64),
                    spans: line
                        .pieces
                        .into_iter()
                        .map(|(style, text)| (token(style), text))
                        .collect(),
                    target: line.target,
                })
                .collect(),
        })
    }

    fn bytes(&self, range: Range<u64>) -> Vec<u8> {
        let bytes = &self.input.bytes;
        let len = bytes.len();
        let clamp = |x: u64| usize::try_from(x).unwrap_or(len).min(len);
        let (start, end) = (clamp(range.start), clamp(range.end));
        bytes.get(start..end).unwrap_or_default().to_vec()
    }

    fn analyze(&self) -> Result<tui::Analysis, String> {
        analyze(&self.file, &self.input.bytes, self.index())
    }

    fn open_nested(&self, position: usize) -> Result<(tui::Model, Arc<dyn tui::Source>), String> {
        let nested = self
            .index()
            .nested
            .get(position)
            .ok_or_else(|| format!("no nested module {position}"))?;
        let browse = Browse {
            file: nested_label(nested, position),
            input: self.input.clone(),
            nested: Some(Arc::new(nested.clone())),
            debug: self.debug.clone(),
            firsts: OnceLock::new(),
            glue: None,
        };
        Ok(browse.into_parts())
    }

    fn line_info(&self) -> Result<tui::LineInfo, String> {
        if self.nested.is_some() {
            return Ok(lines::missing(
                "line tables are read for the input's own code, not for a module nested in a                  component",
            ));
        }
        if self.input.index.component {
            return Ok(lines::missing(
                "a component has no code of its own; its core modules (0 Component) have",
            ));
        }
        let (info, firsts) = lines::line_info(&self.input, &self.debug)?;
        let _ = self.firsts.set(firsts);
        Ok(info)
    }

    fn function_places(&self) -> Result<Vec<Option<(u32, u32)>>, String> {
        Ok(match self.firsts.get() {
            Some(firsts) => lines::function_places(&self.input, &self.debug, firsts),
            None => Vec::new(),
        })
    }

    fn source_text(&self, file: &str) -> Result<tui::SourceText, String> {
        lines::source_text(&self.input, &self.debug, file)
    }
}

fn token(style: Style) -> tui::Token {
    match style {
        Style::Plain => tui::Token::Plain,
        Style::Keyword => tui::Token::Keyword,
        Style::Name => tui::Token::Name,
        Style::Literal => tui::Token::Literal,
        Style::Type => tui::Token::Type,
        Style::Comment => tui::Token::Comment,
    }
}

/// An imported function has no body: its "code" says where it comes from.
fn imported_code(index: &ModuleIndex, function: u32) -> tui::Code {
    let import = index
        .imports
        .iter()
        .find(|i| i.kind == ItemKind::Func && i.index == function);
    let line = |spans: Vec<(tui::Token, String)>, offset: Option<usize>| tui::CodeLine {
        offset: offset.map(|o| o as u64),
        spans,
        target: None,
    };
    let mut lines = Vec::new();
    if let Some(i) = import {
        lines.push(line(
            vec![
                (tui::Token::Plain, "(".into()),
                (tui::Token::Keyword, "import".into()),
                (
                    tui::Token::Literal,
                    format!(" \"{}\" \"{}\"", i.module, i.name),
                ),
                (tui::Token::Plain, " (".into()),
                (tui::Token::Keyword, "func".into()),
                (tui::Token::Plain, format!(" (;{function};) {}))", i.ty)),
            ],
            Some(i.offset),
        ));
    }
    lines.push(line(
        vec![(
            tui::Token::Comment,
            ";; imported: the host provides the code; see its callers →".into(),
        )],
        None,
    ));
    tui::Code { lines }
}

fn nested_label(nested: &ModuleIndex, position: usize) -> String {
    match &nested.module_name {
        Some(name) => format!("module {position} ${name}"),
        None => format!("module {position}"),
    }
}

/// Bytes in the names of debug-info custom sections.
fn is_debug_info(name: &str) -> bool {
    name.starts_with(".debug_") || name == "sourceMappingURL" || name == "external_debug_info"
}

/// The view model, one view of the browser at a time. The function list
/// is filled first: the imports and exports views mark the functions they
/// name.
fn model(file: &str, index: &ModuleIndex) -> tui::Model {
    let size = index.range.len() as u64;
    let mut functions = functions(index);
    let imports = imports(index, &mut functions);
    let exports = exports(index, &mut functions);
    tui::Model {
        name: file.to_string(),
        summary: overview(file, index),
        byte_groups: byte_groups(index),
        size,
        sections: sections(index),
        functions,
        imports,
        exports,
        data: data(index),
        customs: customs(index),
        component: component(index),
    }
}

/// The overview: what the module is and what it holds, as label and value.
fn overview(file: &str, index: &ModuleIndex) -> Vec<(String, String)> {
    let info = crate::info::info(file, index);
    let size = index.range.len() as u64;
    let mut summary = vec![(
        "kind".to_string(),
        if index.component {
            "component".to_string()
        } else {
            "core module".to_string()
        },
    )];
    summary.push(("size".into(), format!("{size} bytes")));
    summary.push(("role".into(), info.role.describe().to_string()));
    if let Some(tools) = &info.toolchain {
        summary.push(("toolchain".into(), tools.clone()));
    }
    for field in &info.producers {
        summary.push((field.field.clone(), field.describe()));
    }
    if !info.target_features.is_empty() {
        summary.push(("features".into(), info.target_features.join(" ")));
    }
    if let Some(m) = info.module.as_ref() {
        module_overview(m, &mut summary);
    }
    if let Some(nested) = &info.nested {
        summary.push(("core modules".into(), nested.len().to_string()));
    }
    summary
}

/// The overview's lines about a core module's contents.
fn module_overview(m: &crate::info::ModuleInfo, summary: &mut Vec<(String, String)>) {
    let c = &m.counts;
    summary.push((
        "functions".into(),
        format!(
            "{} ({} imported, {} defined)",
            c.functions,
            c.imported_functions,
            c.functions - c.imported_functions
        ),
    ));
    summary.push((
        "items".into(),
        format!(
            "{} types, {} tables, {} memories, {} globals, {} tags",
            c.types, c.tables, c.memories, c.globals, c.tags
        ),
    ));
    for mem in &m.memories {
        let from = if mem.imported { ", imported" } else { "" };
        summary.push((
            format!("memory {}", mem.index),
            format!("{} pages{from}", mem.ty),
        ));
    }
    summary.push(("code".into(), format!("{} bytes", m.code_bytes)));
    summary.push((
        "data".into(),
        format!("{} bytes in {} segments", m.data_bytes, c.data),
    ));
    let imports: Vec<String> = m
        .imports
        .iter()
        .map(|(module, n)| format!("{module} ({n})"))
        .collect();
    summary.push((
        "imports".into(),
        if imports.is_empty() {
            "none".into()
        } else {
            imports.join(", ")
        },
    ));
    summary.push(("exports".into(), format!("{}", c.exports)));
}

/// The overview's byte bar: where the bytes go, by group.
fn byte_groups(index: &ModuleIndex) -> Vec<(String, u64)> {
    let size = index.range.len() as u64;
    let section_bytes = |pred: &dyn Fn(&crate::index::Section) -> bool| -> u64 {
        index
            .sections
            .iter()
            .filter(|s| pred(s))
            .map(|s| s.total_size() as u64)
            .sum()
    };
    let custom = |s: &crate::index::Section| s.custom_name.is_some();
    let code = section_bytes(&|s| !index.component && s.id == 10);
    let data = section_bytes(&|s| !index.component && s.id == 11);
    let debug =
        section_bytes(&|s| custom(s) && s.custom_name.as_deref().is_some_and(is_debug_info));
    let names = section_bytes(&|s| s.custom_name.as_deref() == Some("name"));
    let other_custom = section_bytes(&|s| custom(s)) - debug - names;
    let rest = size.saturating_sub(code + data + debug + names + other_custom);
    let mut byte_groups = Vec::new();
    if index.component {
        let modules: u64 = index.nested.iter().map(|m| m.range.len() as u64).sum();
        byte_groups.push(("core modules".to_string(), modules));
        byte_groups.push(("component".to_string(), rest.saturating_sub(modules)));
    } else {
        byte_groups.push(("code".to_string(), code));
        byte_groups.push(("data".to_string(), data));
        byte_groups.push(("declarations".to_string(), rest));
    }
    byte_groups.push(("debug info".to_string(), debug));
    byte_groups.push(("names".to_string(), names));
    byte_groups.push(("other custom".to_string(), other_custom));
    byte_groups
}

/// The sections view.
fn sections(index: &ModuleIndex) -> Vec<tui::Section> {
    index
        .sections
        .iter()
        .map(|s| tui::Section {
            id: s.id,
            name: s.describe(),
            range: s.header_offset as u64..s.range.end as u64,
            count: s.count,
        })
        .collect()
}

/// The functions view, before imports and exports mark their functions.
fn functions(index: &ModuleIndex) -> Vec<tui::Function> {
    index
        .functions
        .iter()
        .map(|f| tui::Function {
            index: f.index,
            name: f
                .name
                .as_deref()
                .map_or_else(|| format!("func {}", f.index), demangle),
            size: f.size() as u64,
            offset: f.body.as_ref().map_or(0, |b| b.start as u64),
            import: None,
            exports: Vec::new(),
        })
        .collect()
}

/// The imports view; each imported function is marked with where it comes
/// from.
fn imports(index: &ModuleIndex, functions: &mut [tui::Function]) -> Vec<tui::Import> {
    index
        .imports
        .iter()
        .map(|i| {
            let function = (i.kind == ItemKind::Func).then_some(i.index);
            if let Some(f) = function.and_then(|f| functions.get_mut(f as usize)) {
                f.import = Some(format!("{}::{}", i.module, i.name));
            }
            tui::Import {
                module: i.module.clone(),
                name: i.name.clone(),
                kind: i.kind.as_str().to_string(),
                ty: i.ty.clone(),
                function,
            }
        })
        .collect()
}

/// The exports view; each exported function is marked with its names.
fn exports(index: &ModuleIndex, functions: &mut [tui::Function]) -> Vec<tui::Export> {
    index
        .exports
        .iter()
        .map(|e| {
            let function = (e.kind == ItemKind::Func).then_some(e.index);
            if let Some(f) = function.and_then(|f| functions.get_mut(f as usize)) {
                f.exports.push(e.name.clone());
            }
            tui::Export {
                name: e.name.clone(),
                kind: e.kind.as_str().to_string(),
                ty: e.ty.clone(),
                function,
            }
        })
        .collect()
}

/// The data view.
fn data(index: &ModuleIndex) -> Vec<tui::Segment> {
    index
        .data
        .iter()
        .map(|d| tui::Segment {
            index: d.index,
            name: d.name.clone(),
            mode: match d.mode {
                SegmentMode::Active => "active",
                SegmentMode::Passive => "passive",
                SegmentMode::Declared => "declared",
            }
            .to_string(),
            range: d.range.start as u64..d.range.end as u64,
            size: d.size as u64,
        })
        .collect()
}

/// The custom sections view.
fn customs(index: &ModuleIndex) -> Vec<tui::Custom> {
    index
        .customs
        .iter()
        .map(|c| tui::Custom {
            name: c.name.clone(),
            range: c.data.start as u64..c.data.end as u64,
            decoded: index.decoded_custom(&c.name),
        })
        .collect()
}

/// The component view: a component's own imports, exports and core
/// modules; none for a core module.
fn component(index: &ModuleIndex) -> Option<tui::Component> {
    index.component.then(|| tui::Component {
        imports: index
            .component_imports
            .iter()
            .map(|i| (i.name.clone(), i.kind.to_string()))
            .collect(),
        exports: index
            .component_exports
            .iter()
            .map(|e| (e.name.clone(), e.kind.to_string()))
            .collect(),
        modules: index
            .nested
            .iter()
            .enumerate()
            .map(|(i, m)| tui::NestedModule {
                label: nested_label(m, i),
                role: None,
                size: m.range.len() as u64,
                functions: m.functions.len(),
                imports: m.imports.len(),
            })
            .collect(),
    })
}

fn analyze(file: &str, bytes: &[u8], index: &ModuleIndex) -> Result<tui::Analysis, String> {
    let graph = CallGraph::build(bytes, index).map_err(|e| e.in_file(file).to_string())?;
    let callers = graph
        .callers
        .iter()
        .map(|c| c.keys().copied().collect())
        .collect();
    let callees = graph
        .functions
        .iter()
        .map(|f| f.calls.keys().copied().collect())
        .collect();
    let fail = |e: crate::error::DecodeError| e.in_file(file).to_string();
    // A component's audit and WIT view share its wiring and WIT.
    let (audit, wit) = if index.component {
        let wiring = Wiring::build(bytes, index).map_err(fail)?;
        let report = crate::wit::Wit::decode(bytes).ok().map(|w| w.report());
        let audit = caps::audit_component(file, index, &wiring, report.as_ref()).map_err(fail)?;
        let labels = crate::component::module_labels(bytes);
        let wit = report.map(|r| wit::model(&r, &wiring, &audit, index, &labels));
        (audit, wit)
    } else {
        (caps::audit(file, bytes, index).map_err(fail)?, None)
    };
    let position = |module: &str, name: &str| {
        index
            .imports
            .iter()
            .position(|i| i.module == module && i.name == name)
    };
    let mut imports = vec![tui::ImportUse::default(); index.imports.len()];
    let mut capabilities = Vec::new();
    for cap in &audit.capabilities {
        let mut positions = Vec::new();
        let mut possible = Vec::new();
        for import in &cap.imports {
            if import.nested.is_some() {
                continue;
            }
            if let Some(p) = position(&import.module, &import.name) {
                positions.push(p);
                if import.possible {
                    possible.push(p);
                }
                if let Some(used) = imports.get_mut(p) {
                    used.capabilities.push(cap.name.to_string());
                    used.reachable |= import.reachable;
                }
            }
        }
        capabilities.push(tui::Capability {
            name: cap.name.to_string(),
            risk: cap.risk.name().to_string(),
            meaning: cap.meaning.to_string(),
            grant: cap.capability().grant().to_string(),
            reachable: cap.reachable,
            imports: positions,
            possible,
        });
    }
    for import in &audit.unknown_imports {
        if let Some(used) = position(&import.module, &import.name).and_then(|p| imports.get_mut(p))
        {
            used.capabilities.push("host-custom".to_string());
            used.reachable |= import.reachable;
        }
    }
    let module = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    let (command_line, run_notes) = caps::command_line(&audit, Runtime::Wasmtime, false, &module);
    Ok(tui::Analysis {
        callers,
        callees,
        imports,
        capabilities,
        command_line,
        run_notes,
        wit,
    })
}
