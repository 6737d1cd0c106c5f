//! Emscripten's JavaScript glue: the real names behind a minified module.
//!
//! An optimised Emscripten build renames its imports and exports to `a.a`,
//! `a.b`, ... and keeps the real names only in the JavaScript that loads
//! it: the import object (`var wasmImports={"b":___assert_fail,...}`, or
//! `asmLibraryArg` before Emscripten 3.1.32) and the reads of each export
//! (`_malloc=wasmExports["e"]`, or `Module["asm"]["e"]` before). [`Glue`]
//! reads those from the glue's text without running it, and
//! [`Glue::apply`] renames a module's index, keeping the binary's names in
//! [`Import::minified`] and [`Export::minified`], so that the capability
//! audit and the listings speak of `__syscall_openat`, not `a.w`.
//!
//! A glue file is applied whole or not at all: one that does not match the
//! module (an import it does not name, counts that differ, a map written
//! inline by Closure) is refused with the reason, never half-applied.
//!
//! [`attach`] is what the commands call: the glue given with `--glue`, or
//! `NAME.js` (`.mjs`, `.cjs`) found beside `NAME.wasm`.
//!
//! ```
//! use wasmscope::glue::Glue;
//! use wasmscope::index::ModuleIndex;
//!
//! let wasm = wasmscope::parse::parse_bytes(br#"(module
//!     (import "a" "a" (func (param i32 i32 i32) (result i32)))
//!     (import "a" "b" (func (param i32 i32 i32 i32) (result i32)))
//!     (memory (export "c") 1)
//!     (func (export "d")))"#, "app.wat")?;
//! let glue = Glue::parse(
//!     "app.js",
//!     r#"var wasmImports={a:___syscall_openat,b:_fd_write};
//!        var _main=Module["_main"]=()=>(_main=Module["_main"]=wasmExports["d"])();
//!        wasmMemory=wasmExports["c"];"#,
//! );
//! let mut index = ModuleIndex::build(&wasm)?;
//! let applied = glue.apply(&mut index).map_err(|m| m.message)?;
//! assert_eq!((applied.imports, applied.exports), (2, 2));
//! assert_eq!(index.imports[0].name, "__syscall_openat");
//! assert_eq!(index.imports[1].module, "wasi_snapshot_preview1");
//! assert_eq!(index.exports[1].name, "main");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod scan;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::caps::classify::PREVIEW1;
use crate::error::{Error, Result};
use crate::index::{Export, Import, ItemKind, MinifiedImport, ModuleIndex};
use crate::input::Source;

pub use scan::IMPORT_MAP_NAMES;

/// Glue files larger than this are refused: Emscripten's largest glue is a
/// few megabytes.
pub const MAX_GLUE_BYTES: u64 = 64 << 20;

/// What a glue file says of a module's names, as read from its text.
#[derive(Debug, Clone)]
pub struct Glue {
    /// The glue's name in messages.
    pub name: String,
    text: String,
    /// The import maps found, in file order (a bundle may hold several).
    maps: Vec<scan::ObjectMap>,
    /// The exports the glue reads under names of its own.
    exports: Vec<scan::ExportRef>,
}

/// What applying a glue file changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The variable the import map is kept in (`wasmImports`).
    pub map: String,
    /// Imports renamed.
    pub imports: usize,
    /// Exports renamed.
    pub exports: usize,
    /// Names the glue reads as exports that the module does not export
    /// (older glue keeps readers for exports a build left out).
    pub unknown_exports: usize,
}

/// Why a glue file does not fit a module, and where in the glue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Byte offset in the glue the reason is about.
    pub offset: usize,
    /// The reason, one line.
    pub message: String,
}

impl Glue {
    /// Reads a glue file: at most [`MAX_GLUE_BYTES`], UTF-8 text.
    pub fn read(path: &Path) -> Result<Glue> {
        let name = path.display().to_string();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // Sized from the file, so that reading does not double the buffer.
        let size = file
            .metadata()
            .map_or(0, |m| m.len())
            .min(MAX_GLUE_BYTES + 1);
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(MAX_GLUE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_GLUE_BYTES {
            return Err(Error::Other(format!(
                "{name}: larger than {} MiB: not Emscripten glue",
                MAX_GLUE_BYTES >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::Other(format!(
                "{name}: not UTF-8 text (at byte offset 0x{:x}): not JavaScript",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(Glue::parse(name, text))
    }

    /// Reads glue from text already in memory.
    pub fn parse(name: impl Into<String>, text: impl Into<String>) -> Glue {
        let text = text.into();
        let maps = scan::named_maps(text.as_bytes());
        let exports = scan::export_refs(text.as_bytes());
        Glue {
            name: name.into(),
            text,
            maps,
            exports,
        }
    }

    /// Whether the text holds anything of Emscripten's glue.
    pub fn is_emscripten(&self) -> bool {
        !self.maps.is_empty() || !self.exports.is_empty()
    }

    /// An error at a byte offset of the glue, with its line and column.
    pub fn error_at(&self, offset: usize, message: String) -> Error {
        crate::parse::error_at(&self.text, &self.name, offset, message)
    }

    /// `file:line:col` of a byte offset of the glue.
    pub fn place(&self, offset: usize) -> String {
        let before = self
            .text
            .get(..offset.min(self.text.len()))
            .unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        format!("{}:{line}:{column}", self.name)
    }

    /// Renames the module's imports and exports to the names the glue gives
    /// them, or says why the glue does not fit (and changes nothing).
    pub fn apply(&self, index: &mut ModuleIndex) -> std::result::Result<Applied, Mismatch> {
        if index.component {
            return Err(Mismatch {
                offset: 0,
                message: "glue names a core module's imports; this is a component".into(),
            });
        }
        let map = self.import_map(index)?;
        let renames = self.import_renames(&map, index)?;
        let known: HashSet<&str> = index.exports.iter().map(|e| e.name.as_str()).collect();
        let export_names: HashMap<&str, String> = self
            .exports
            .iter()
            .filter(|r| known.contains(r.key.as_str()))
            .map(|r| (r.key.as_str(), export_name(&r.js)))
            .collect();
        let unknown_exports = self.exports.len() - export_names.len();
        if let Some(first) = self.exports.first()
            && !index.exports.is_empty()
            && export_names.is_empty()
        {
            return Err(Mismatch {
                offset: first.offset,
                message: format!(
                    "the glue reads {} exports (`{}`...) and the module has none of them",
                    self.exports.len(),
                    first.key
                ),
            });
        }

        let mut applied = Applied {
            map: map.variable.clone(),
            imports: 0,
            exports: 0,
            unknown_exports,
        };
        for (import, (module, name)) in index.imports.iter_mut().zip(renames) {
            if import.module != module || import.name != name {
                rename_import(import, module, name);
                applied.imports += 1;
            }
        }
        for export in &mut index.exports {
            if let Some(name) = export_names.get(export.name.as_str())
                && *name != export.name
            {
                rename_export(export, name.clone());
                applied.exports += 1;
            }
        }
        Ok(applied)
    }

    /// The import map that fits the module: a well-known variable, or, in
    /// glue minified by Closure, the object handed over as the module's
    /// import module.
    fn import_map(&self, index: &ModuleIndex) -> std::result::Result<scan::ObjectMap, Mismatch> {
        let imported: HashSet<&str> = index.imports.iter().map(|i| i.name.as_str()).collect();
        let fits = |m: &&scan::ObjectMap| {
            m.entries.len() == imported.len()
                && m.entries.iter().all(|e| imported.contains(e.key.as_str()))
        };
        if let Some(map) = self.maps.iter().find(fits) {
            return Ok(map.clone());
        }
        if self.maps.is_empty()
            && let Some(module) = index.imports.first().map(|i| i.module.as_str())
            && let Some(map) = scan::map_through_import_object(self.text.as_bytes(), module)
        {
            return if fits(&&map) {
                Ok(map)
            } else {
                Err(self.differs(&map, index))
            };
        }
        match self.maps.first() {
            Some(map) => Err(self.differs(map, index)),
            None => Err(Mismatch {
                offset: 0,
                message: format!(
                    "no Emscripten import map ({}) in the glue",
                    IMPORT_MAP_NAMES.join(" or ")
                ),
            }),
        }
    }

    /// Says how a map and the module's imports differ.
    fn differs(&self, map: &scan::ObjectMap, index: &ModuleIndex) -> Mismatch {
        let keys: HashSet<&str> = map.entries.iter().map(|e| e.key.as_str()).collect();
        let missing: Vec<String> = index
            .imports
            .iter()
            .filter(|i| !keys.contains(i.name.as_str()))
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect();
        let shown = missing
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if missing.len() > 3 { ", ..." } else { "" };
        let message = if missing.is_empty() {
            format!(
                "the import map `{}` has {} entries and the module {} imports",
                map.variable,
                map.entries.len(),
                index.imports.len()
            )
        } else {
            format!(
                "the import map `{}` does not name {} of the module's {} imports ({shown}{more})",
                map.variable,
                missing.len(),
                index.imports.len()
            )
        };
        Mismatch {
            offset: map.offset,
            message,
        }
    }

    /// The real module and name of each import, in import order; refuses a
    /// map whose values are not names.
    fn import_renames(
        &self,
        map: &scan::ObjectMap,
        index: &ModuleIndex,
    ) -> std::result::Result<Vec<(String, String)>, Mismatch> {
        let unnamed = map
            .entries
            .iter()
            .filter(|e| !e.value.as_deref().is_some_and(is_glue_name))
            .count();
        if unnamed > 0 {
            return Err(Mismatch {
                offset: map.offset,
                message: format!(
                    "the import map `{}` gives {unnamed} of its {} imports as inline or \
                     renamed functions (glue minified by Closure): their names are not in it",
                    map.variable,
                    map.entries.len()
                ),
            });
        }
        let values: HashMap<&str, &str> = map
            .entries
            .iter()
            .filter_map(|e| Some((e.key.as_str(), e.value.as_deref()?)))
            .collect();
        // Only the minified import module is renamed: in an unminified build
        // the names are already the real ones, and `GOT.mem` and
        // `GOT.func` imports are resolved apart from the map.
        let real_module =
            |m: &str| matches!(m, "env" | "wasi_snapshot_preview1") || m.starts_with("GOT.");
        Ok(index
            .imports
            .iter()
            .map(|i| match values.get(i.name.as_str()) {
                Some(js) if !real_module(&i.module) => import_name(js, i.kind),
                _ => (i.module.clone(), i.name.clone()),
            })
            .collect())
    }
}

/// Whether a value in an import map is a name Emscripten gave (its library
/// functions are `_name` or long names such as `invoke_vii`), rather than
/// one Closure made up (`ld`, `Ra`).
fn is_glue_name(js: &str) -> bool {
    js.starts_with('_') || js.len() >= 4
}

/// The import a JavaScript library function stands for: Emscripten calls
/// the JavaScript for C's `fd_write` `_fd_write`, and imports the WASI
/// functions it implements from `wasi_snapshot_preview1`, the rest from
/// `env`.
fn import_name(js: &str, kind: ItemKind) -> (String, String) {
    let name = wasm_name(js);
    let wasi = kind == ItemKind::Func && PREVIEW1.iter().any(|(n, _)| *n == name);
    let module = if wasi {
        "wasi_snapshot_preview1"
    } else {
        "env"
    };
    (module.to_string(), name.to_string())
}

/// The export a JavaScript name reads: `_malloc` is `malloc`, and the
/// glue's own variables stand for the memory, the table and the
/// constructors.
fn export_name(js: &str) -> String {
    wasm_name(js).to_string()
}

/// The wasm name behind a name in the glue: C's `malloc` is `_malloc` in
/// JavaScript, and the glue keeps the memory and the table in variables of
/// its own.
fn wasm_name(js: &str) -> &str {
    match js {
        "wasmMemory" => "memory",
        "wasmTable" => "__indirect_function_table",
        _ => js.strip_prefix('_').unwrap_or(js),
    }
}

fn rename_import(import: &mut Import, module: String, name: String) {
    let old_module = std::mem::replace(&mut import.module, module);
    let old_name = std::mem::replace(&mut import.name, name);
    import.minified.get_or_insert(MinifiedImport {
        module: old_module,
        name: old_name,
    });
}

fn rename_export(export: &mut Export, name: String) {
    let old = std::mem::replace(&mut export.name, name);
    export.minified.get_or_insert(old);
}

/// Which glue file to use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GlueChoice {
    /// `NAME.js`, `NAME.mjs` or `NAME.cjs` beside `NAME.wasm`, if there is
    /// one that is Emscripten glue.
    #[default]
    Beside,
    /// This file (`--glue`): it must fit.
    File(PathBuf),
    /// None (`--no-glue`).
    Off,
}

/// How the glue was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Found {
    /// Given with `--glue`.
    Given,
    /// Found beside the module.
    Beside,
}

/// What glue a report was made with: part of the reports of `caps`,
/// `imports`, `exports`, `info` and `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlueUse {
    /// The glue file.
    pub file: String,
    /// Given or found beside the module.
    pub found: Found,
    /// Whether its names were applied.
    pub applied: bool,
    /// The import map's variable (`wasmImports`, `asmLibraryArg`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<String>,
    /// Imports renamed.
    pub imports: usize,
    /// Exports renamed.
    pub exports: usize,
    /// Why a glue file found beside the module was not applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl GlueUse {
    /// One line for text reports.
    pub fn summary(&self) -> String {
        let how = match self.found {
            Found::Given => "",
            Found::Beside => " (found beside the module)",
        };
        match &self.problem {
            Some(problem) => format!("glue {}{how} not applied: {problem}", self.file),
            None if self.imports == 0 && self.exports == 0 => format!(
                "glue {}{how} fits: the module's names are already the real ones",
                self.file
            ),
            None => format!(
                "names from glue {}{how}: {} imports and {} exports renamed",
                self.file, self.imports, self.exports
            ),
        }
    }
}

/// The glue files looked for beside `NAME.wasm`, in order.
pub const SIBLING_EXTENSIONS: &[&str] = &["js", "mjs", "cjs"];

/// Applies the chosen glue to an indexed module read from `source`.
///
/// A file given with `--glue` must fit: anything else is an error that
/// says where. A file found beside the module is applied if it fits; if it
/// is Emscripten glue that does not fit, the returned [`GlueUse`] says why
/// and nothing is renamed; a sibling that is not Emscripten glue at all
/// (wasm-bindgen's, a bundler's) is passed over.
pub fn attach(
    choice: &GlueChoice,
    source: &Source,
    index: &mut ModuleIndex,
) -> Result<Option<GlueUse>> {
    match choice {
        GlueChoice::Off => Ok(None),
        GlueChoice::File(path) => {
            let glue = Glue::read(path)?;
            let applied = glue
                .apply(index)
                .map_err(|m| glue.error_at(m.offset, m.message))?;
            Ok(Some(used(&glue, Found::Given, applied)))
        }
        GlueChoice::Beside => {
            let Source::File(module) = source else {
                return Ok(None);
            };
            if index.component || index.imports.is_empty() && index.exports.is_empty() {
                return Ok(None);
            }
            let Some(path) = SIBLING_EXTENSIONS
                .iter()
                .map(|ext| module.with_extension(ext))
                .find(|p| p != module && p.is_file())
            else {
                return Ok(None);
            };
            let not_applied = |file: String, problem: String| GlueUse {
                file,
                found: Found::Beside,
                applied: false,
                map: None,
                imports: 0,
                exports: 0,
                problem: Some(problem),
            };
            let glue = match Glue::read(&path) {
                Ok(glue) => glue,
                Err(e) if looks_minified(index) => {
                    return Ok(Some(not_applied(path.display().to_string(), e.to_string())));
                }
                Err(_) => return Ok(None),
            };
            // A sibling that is not Emscripten glue (wasm-bindgen's, a
            // bundler's) is passed over, unless the module needs glue: then
            // it is tried, and why it does not fit is said.
            if !glue.is_emscripten() && !looks_minified(index) {
                return Ok(None);
            }
            Ok(Some(match glue.apply(index) {
                Ok(applied) => used(&glue, Found::Beside, applied),
                Err(m) => not_applied(glue.place(m.offset), m.message),
            }))
        }
    }
}

fn used(glue: &Glue, found: Found, applied: Applied) -> GlueUse {
    GlueUse {
        file: glue.name.clone(),
        found,
        applied: true,
        map: Some(applied.map),
        imports: applied.imports,
        exports: applied.exports,
        problem: None,
    }
}

/// Whether a module's imports look like a minified Emscripten build's:
/// every import a short code (`a.b`, `a.$c`) from a module named by a
/// letter or two.
pub fn looks_minified(index: &ModuleIndex) -> bool {
    let short = |s: &str| {
        !s.is_empty()
            && s.len() <= 3
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
    };
    !index.imports.is_empty()
        && index
            .imports
            .iter()
            .all(|i| i.module.len() <= 2 && short(&i.module) && short(&i.name))
}
