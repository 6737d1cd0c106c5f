//! Writing the module gc keeps: each section that holds removed items or
//! indices is re-encoded with the new numbers; the others are copied.

use wasm_encoder::reencode::{Error as ReencodeError, Reencode, RoundtripReencoder, utils};

use super::declarations::Declarations;
use super::module::Module;
use super::names;
use super::reachability::{KeptExports, Live};
use super::renumber::{Maps, Renumber, encode_error};
use crate::edit::describes_code;
use crate::edit::{Layout, Piece, custom_content, encoded};
use crate::error::{Error, Result};

/// What gc decided to keep, with the input it came from.
pub(super) struct Kept<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) name: &'a str,
    pub(super) layout: &'a Layout,
    pub(super) module: &'a Module<'a>,
    pub(super) live: &'a Live,
    pub(super) declarations: &'a Declarations,
    pub(super) exports: &'a KeptExports<'a>,
    /// Every index stays: only the export section changes.
    pub(super) identity: bool,
}

/// The pieces of the result, section by section.
pub(super) fn sections(kept: &Kept<'_>) -> Result<Vec<Piece>> {
    let maps = Maps::new(kept.live);
    let mut writer = Writer {
        kept,
        maps: &maps,
        re: Renumber(&maps),
    };
    let layout = kept.layout;
    let mut pieces = Vec::with_capacity(layout.sections.len() + 1);
    // Where there is no element section, one is made for the declarations,
    // before the data count, code and data sections.
    let mut need_elements =
        !kept.declarations.undeclared.is_empty() && !layout.sections.iter().any(|s| s.id == 9);
    for (i, section) in layout.sections.iter().enumerate() {
        if kept.identity && section.id != 7 {
            pieces.push(Piece::Keep(i));
            continue;
        }
        if need_elements && matches!(section.id, 10..=12) {
            let mut s = wasm_encoder::ElementSection::new();
            writer.declare(&mut s)?;
            pieces.push(encoded(&s));
            need_elements = false;
        }
        let piece = match section.id {
            0 => writer.custom(i),
            2 => writer.imports()?,
            3 => Some(writer.functions()),
            4 => writer.tables()?,
            6 => writer.globals()?,
            7 => writer.exports()?,
            8 => Some(writer.start(i)?),
            9 => writer.elements()?,
            10 => Some(writer.code()?),
            11 => Some(writer.data()?),
            12 => Some(writer.data_count()),
            _ => Some(Piece::Keep(i)),
        };
        pieces.extend(piece);
    }
    Ok(pieces)
}

/// A re-encoding failure as an error naming the input.
fn on_error(name: &str) -> impl Fn(ReencodeError<String>) -> Error + '_ {
    move |e| encode_error(name, e)
}

/// Writes one section at a time; `None` when a section is left empty and
/// goes.
struct Writer<'a, 'm> {
    kept: &'a Kept<'a>,
    maps: &'m Maps,
    re: Renumber<'m>,
}

impl Writer<'_, '_> {
    /// A declarative segment for the functions nothing else declares.
    fn declare(&mut self, s: &mut wasm_encoder::ElementSection) -> Result<()> {
        let err = on_error(self.kept.name);
        let declarations = self.kept.declarations;
        let funcs = declarations
            .undeclared
            .iter()
            .map(|f| self.re.function_index(*f))
            .collect::<Result<Vec<u32>, _>>()
            .map_err(err)?;
        s.declared(wasm_encoder::Elements::Functions(funcs.into()));
        Ok(())
    }

    /// Debug information goes; the name section follows the new numbers.
    fn custom(&self, i: usize) -> Option<Piece> {
        let section = self.kept.layout.sections.get(i)?;
        let custom = section.custom_name().unwrap_or_default();
        if describes_code(custom) {
            return None;
        }
        if custom == "name" {
            let data = names::renumbered(section.data(self.kept.bytes), self.maps);
            return Some(Piece::New(0, custom_content("name", &data)));
        }
        Some(Piece::Keep(i))
    }

    fn imports(&mut self) -> Result<Option<Piece>> {
        let (m, live) = (self.kept.module, self.kept.live);
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::ImportSection::new();
        let kept = |import: usize| {
            let position = |list: &[Option<usize>], keep: &[bool]| {
                list.iter()
                    .position(|p| *p == Some(import))
                    .map(|at| keep.get(at).copied().unwrap_or(true))
            };
            position(&m.func_import, &live.func)
                .or_else(|| position(&m.global_import, &live.global))
                .or_else(|| position(&m.table_import, &live.table))
                .unwrap_or(true)
        };
        let mut any = false;
        for (at, import) in m.imports.iter().enumerate() {
            if kept(at) {
                any = true;
                utils::parse_import(&mut self.re, &mut s, *import).map_err(&err)?;
            }
        }
        Ok(any.then(|| encoded(&s)))
    }

    fn functions(&self) -> Piece {
        let (m, live) = (self.kept.module, self.kept.live);
        let mut s = wasm_encoder::FunctionSection::new();
        let defined = live.func.iter().skip(m.imported_funcs);
        for (ty, kept) in m.func_types.iter().zip(defined) {
            if *kept {
                s.function(*ty);
            }
        }
        encoded(&s)
    }

    fn tables(&mut self) -> Result<Option<Piece>> {
        let (m, live) = (self.kept.module, self.kept.live);
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::TableSection::new();
        let defined = live.table.iter().skip(m.imported_tables);
        for (table, kept) in m.tables.iter().zip(defined) {
            if *kept {
                self.re.parse_table(&mut s, table.clone()).map_err(&err)?;
            }
        }
        Ok((!s.is_empty()).then(|| encoded(&s)))
    }

    fn globals(&mut self) -> Result<Option<Piece>> {
        let (m, live) = (self.kept.module, self.kept.live);
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::GlobalSection::new();
        let defined = live.global.iter().skip(m.imported_globals);
        for (global, kept) in m.globals.iter().zip(defined) {
            if *kept {
                self.re.parse_global(&mut s, global.clone()).map_err(&err)?;
            }
        }
        Ok((!s.is_empty()).then(|| encoded(&s)))
    }

    fn exports(&mut self) -> Result<Option<Piece>> {
        let (m, name, exports) = (self.kept.module, self.kept.name, self.kept.exports);
        let err = on_error(name);
        let mut s = wasm_encoder::ExportSection::new();
        for e in m.exports.iter().filter(|e| exports.kept(e)) {
            let kind = RoundtripReencoder.export_kind(e.kind).map_err(|_| {
                Error::Other(format!("{name}: export `{}` has an unknown kind", e.name))
            })?;
            let index = self.re.external_index(e.kind, e.index).map_err(&err)?;
            s.export(e.name, kind, index);
        }
        Ok((!s.is_empty()).then(|| encoded(&s)))
    }

    fn start(&mut self, i: usize) -> Result<Piece> {
        let err = on_error(self.kept.name);
        Ok(match self.kept.module.start {
            Some(f) => encoded(&wasm_encoder::StartSection {
                function_index: self.re.function_index(f).map_err(&err)?,
            }),
            None => Piece::Keep(i),
        })
    }

    fn elements(&mut self) -> Result<Option<Piece>> {
        let (m, live) = (self.kept.module, self.kept.live);
        let declarations = self.kept.declarations;
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::ElementSection::new();
        for ((element, kept), listed) in m.elements.iter().zip(&live.elem).zip(&declarations.listed)
        {
            if !kept {
                continue;
            }
            match listed {
                Some(funcs) => {
                    let funcs = funcs
                        .iter()
                        .map(|f| self.re.function_index(*f))
                        .collect::<Result<Vec<u32>, _>>()
                        .map_err(&err)?;
                    s.declared(wasm_encoder::Elements::Functions(funcs.into()));
                }
                None => self
                    .re
                    .parse_element(&mut s, element.clone())
                    .map_err(&err)?,
            }
        }
        if !declarations.undeclared.is_empty() {
            self.declare(&mut s)?;
        }
        Ok((!s.is_empty()).then(|| encoded(&s)))
    }

    fn data_count(&self) -> Piece {
        encoded(&wasm_encoder::DataCountSection {
            count: self.kept.live.data.iter().filter(|k| **k).count() as u32,
        })
    }

    fn code(&mut self) -> Result<Piece> {
        let (m, live) = (self.kept.module, self.kept.live);
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::CodeSection::new();
        let defined = live.func.iter().skip(m.imported_funcs);
        for (body, kept) in m.bodies.iter().zip(defined) {
            if *kept {
                self.re
                    .parse_function_body(&mut s, body.clone())
                    .map_err(&err)?;
            }
        }
        Ok(encoded(&s))
    }

    fn data(&mut self) -> Result<Piece> {
        let (m, live) = (self.kept.module, self.kept.live);
        let err = on_error(self.kept.name);
        let mut s = wasm_encoder::DataSection::new();
        for (data, kept) in m.data.iter().zip(&live.data) {
            if *kept {
                self.re.parse_data(&mut s, data.clone()).map_err(&err)?;
            }
        }
        Ok(encoded(&s))
    }
}
