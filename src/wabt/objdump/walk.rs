//! One pass over a module, decoding it the way WABT 1.0.32's binary reader
//! does (same order of reads, same error texts and offsets, same recovery:
//! a section that fails is skipped and reading goes on with the next one)
//! and printing what the pass's mode prints at each step.
//!
//! Every pass decodes the whole module again, as wasm-objdump does; only the
//! prepass records diagnostics, the others stay silent about decode errors.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::opcodes::{self, Imm, Naming};
use super::text::{self, ValType, c_alt_hex, c_alt_hex10, f32_hex, f64_hex, memory_dump};
use super::{Diagnostic, Options};

/// What a pass prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// The file line and `module name:`; gathers names; reports errors.
    Prepass,
    /// `-h`.
    Headers,
    /// `-x`.
    Details,
    /// `-d`.
    Disassemble,
    /// `-s`.
    RawData,
}

/// The names the prepass gathers for the later passes (WABT's
/// `ObjdumpState`). A later source overwrites an earlier one.
#[derive(Debug, Default)]
pub(super) struct Names {
    functions: HashMap<u32, String>,
    globals: HashMap<u32, String>,
    tables: HashMap<u32, String>,
    tags: HashMap<u32, String>,
    types: HashMap<u32, String>,
    data_segments: HashMap<u32, String>,
    locals: HashMap<(u32, u32), String>,
    sections: HashMap<u32, String>,
    /// Parameter counts by **type** index: WABT looks them up by function
    /// index to number the locals in `-d` (see [`Walker::begin_function_body`]).
    param_counts: HashMap<u32, u32>,
    /// The linking section's symbol table, by symbol index.
    symbols: HashMap<u32, Symbol>,
    /// Relocations of the Code and Data sections, in file order.
    code_relocs: Vec<Reloc>,
    data_relocs: Vec<Reloc>,
}

/// A linking-section symbol: its kind (0 function, 1 data, 2 global,
/// 3 section, 4 tag, 5 table), name and the index it refers to.
#[derive(Debug, Clone)]
struct Symbol {
    kind: u32,
    name: String,
    index: u32,
}

/// One relocation entry.
#[derive(Debug, Clone, Copy)]
struct Reloc {
    kind: u32,
    offset: u32,
    index: u32,
    addend: u32,
}

const RELOC_TYPE_INDEX_LEB: u32 = 6;

/// WABT's names of the relocation types.
const RELOC_NAMES: [&str; 23] = [
    "R_WASM_FUNCTION_INDEX_LEB",
    "R_WASM_TABLE_INDEX_SLEB",
    "R_WASM_TABLE_INDEX_I32",
    "R_WASM_MEMORY_ADDR_LEB",
    "R_WASM_MEMORY_ADDR_SLEB",
    "R_WASM_MEMORY_ADDR_I32",
    "R_WASM_TYPE_INDEX_LEB",
    "R_WASM_GLOBAL_INDEX_LEB",
    "R_WASM_FUNCTION_OFFSET_I32",
    "R_WASM_SECTION_OFFSET_I32",
    "R_WASM_TAG_INDEX_LEB",
    "R_WASM_MEMORY_ADDR_REL_SLEB",
    "R_WASM_TABLE_INDEX_REL_SLEB",
    "R_WASM_GLOBAL_INDEX_I32",
    "R_WASM_MEMORY_ADDR_LEB64",
    "R_WASM_MEMORY_ADDR_SLEB64",
    "R_WASM_MEMORY_ADDR_I64",
    "R_WASM_MEMORY_ADDR_REL_SLEB64",
    "R_WASM_TABLE_INDEX_SLEB64",
    "R_WASM_TABLE_INDEX_I64",
    "R_WASM_TABLE_NUMBER_LEB",
    "R_WASM_MEMORY_ADDR_TLS_SLEB",
    "R_WASM_MEMORY_ADDR_TLS_I32",
];

fn reloc_name(kind: u32) -> &'static str {
    RELOC_NAMES
        .get(kind as usize)
        .copied()
        .unwrap_or("<error_reloc_type>")
}

fn lookup(map: &HashMap<u32, String>, index: u32) -> &str {
    map.get(&index).map_or("", String::as_str)
}

/// Where a dump's stdout goes: kept in `text`, or, with a sink, written
/// out whenever `text` grows past [`Output::SPILL_AT`] bytes.
pub(super) struct Output<'s> {
    pub(super) text: String,
    sink: Option<&'s mut dyn std::io::Write>,
    /// The first write error; nothing more is written after it.
    pub(super) error: Option<std::io::Error>,
}

impl<'s> Output<'s> {
    const SPILL_AT: usize = 1 << 16;

    pub(super) fn new(sink: Option<&'s mut dyn std::io::Write>) -> Self {
        Output {
            text: String::new(),
            sink,
            error: None,
        }
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.spill();
    }

    /// Writes the text out if there is a sink and enough of it.
    fn spill(&mut self) {
        if self.text.len() >= Self::SPILL_AT {
            self.flush();
        }
    }

    /// Writes all the text out, if there is a sink.
    pub(super) fn flush(&mut self) {
        if let Some(sink) = &mut self.sink {
            if self.error.is_none()
                && let Err(e) = sink.write_all(self.text.as_bytes())
            {
                self.error = Some(e);
            }
            self.text.clear();
        }
    }
}

/// A decode error, already reported (by the prepass) when it happened.
#[derive(Debug)]
pub(super) struct Failed;

type R<T> = Result<T, Failed>;

const CUSTOM: u8 = 0;
const TYPE: u8 = 1;
const IMPORT: u8 = 2;
const FUNCTION: u8 = 3;
const TABLE: u8 = 4;
const MEMORY: u8 = 5;
const GLOBAL: u8 = 6;
const EXPORT: u8 = 7;
const START: u8 = 8;
const ELEM: u8 = 9;
const CODE: u8 = 10;
const DATA: u8 = 11;
const DATA_COUNT: u8 = 12;
const TAG: u8 = 13;
const SECTION_KINDS: usize = 14;

/// WABT's name for a known section id.
fn section_name(id: u8) -> &'static str {
    match id {
        CUSTOM => "Custom",
        TYPE => "Type",
        IMPORT => "Import",
        FUNCTION => "Function",
        TABLE => "Table",
        MEMORY => "Memory",
        GLOBAL => "Global",
        EXPORT => "Export",
        START => "Start",
        ELEM => "Elem",
        CODE => "Code",
        DATA => "Data",
        DATA_COUNT => "DataCount",
        TAG => "Tag",
        _ => "Invalid",
    }
}

/// The position of a known section in the required order (the Tag section
/// comes after Memory, DataCount before Code).
fn section_order(id: u8) -> u8 {
    match id {
        TAG => 6,
        GLOBAL..=ELEM => id + 1,
        DATA_COUNT => 11,
        CODE | DATA => id + 2,
        other => other,
    }
}

const NAME_SUBSECTIONS: [&str; 11] = [
    "module", "function", "local", "label", "type", "table", "memory", "global", "elemseg",
    "dataseg", "tag",
];

const EXTERNAL_KINDS: [&str; 5] = ["func", "table", "memory", "global", "tag"];

/// One instruction of a constant expression, kept to print `- init ...`.
#[derive(Clone, Debug)]
enum InitInst {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128([u8; 16]),
    GlobalGet(u32),
    RefFunc(u32),
    RefNull,
    Other(&'static str),
}

/// Table or memory limits as read.
struct Limits {
    initial: u64,
    max: Option<u64>,
    shared: bool,
    is_64: bool,
}

/// One pass: the cursor over the bytes, the module's running counts, and
/// the state of the mode's printing.
pub(super) struct Walker<'a, 'o, 's> {
    data: &'a [u8],
    pos: usize,
    /// WABT's `read_end_`: the end of what may be read now (the module, a
    /// section, a name subsection).
    end: usize,
    mode: Mode,
    options: &'o Options,
    display_name: &'o str,
    names: &'o mut Names,
    out: &'o mut Output<'s>,
    diagnostics: &'o mut Vec<Diagnostic>,
    reading_custom_section: bool,

    num_func_imports: u32,
    num_table_imports: u32,
    num_memory_imports: u32,
    num_global_imports: u32,
    num_tag_imports: u32,
    num_function_signatures: u32,
    num_function_bodies: u32,
    num_types: u32,
    /// Whether the type section defined struct or array types.
    gc_types: bool,
    data_count: Option<u32>,
    memories_64: Vec<bool>,

    section_starts: [usize; SECTION_KINDS],
    /// The id of each section read so far, by section index.
    section_ids: Vec<u8>,
    /// The section the current `reloc.*` section applies to.
    reloc_section: Option<u8>,
    next_code_reloc: usize,
    next_data_reloc: usize,
    section_found: bool,
    print_details: bool,
    /// `-x` state: the pending constant expression and the last active
    /// segments' offsets (WABT reuses them for passive segments).
    init_expr: Option<Vec<InitInst>>,
    data_offset: u64,
    elem_offset: u64,
    elem_index: u64,
    /// `-d` state.
    in_function_body: bool,
    current_function: u32,
    local_index: u32,
    indent: i32,
    current_opcode_offset: usize,
    last_opcode_end: usize,
    /// Whether this pass printed "Section not found".
    pub(super) section_not_found: bool,
}

impl<'a, 'o, 's> Walker<'a, 'o, 's> {
    pub(super) fn new(
        data: &'a [u8],
        mode: Mode,
        options: &'o Options,
        display_name: &'o str,
        names: &'o mut Names,
        out: &'o mut Output<'s>,
        diagnostics: &'o mut Vec<Diagnostic>,
    ) -> Self {
        Walker {
            data,
            pos: 0,
            end: data.len(),
            mode,
            options,
            display_name,
            names,
            out,
            diagnostics,
            reading_custom_section: false,
            num_func_imports: 0,
            num_table_imports: 0,
            num_memory_imports: 0,
            num_global_imports: 0,
            num_tag_imports: 0,
            num_function_signatures: 0,
            num_function_bodies: 0,
            num_types: 0,
            gc_types: false,
            data_count: None,
            memories_64: Vec::new(),
            section_starts: [0; SECTION_KINDS],
            section_ids: Vec::new(),
            reloc_section: None,
            next_code_reloc: 0,
            next_data_reloc: 0,
            section_found: false,
            print_details: false,
            init_expr: None,
            data_offset: 0,
            elem_offset: 0,
            elem_index: 0,
            in_function_body: false,
            current_function: 0,
            local_index: 0,
            indent: 0,
            current_opcode_offset: 0,
            last_opcode_end: 0,
            section_not_found: false,
        }
    }

    // ----- errors and primitive reads ------------------------------------

    /// Reports a decode error at the current offset (only the prepass
    /// records it; in a custom section it is a warning) and fails.
    fn fail(&mut self, message: impl Into<String>) -> Failed {
        if self.mode == Mode::Prepass {
            self.diagnostics.push(Diagnostic {
                offset: self.pos,
                warning: self.reading_custom_section,
                message: message.into(),
                located: true,
            });
        }
        Failed
    }

    fn remaining(&self) -> &'a [u8] {
        self.data
            .get(self.pos..self.end.min(self.data.len()))
            .unwrap_or(&[])
    }

    fn read_fixed<const N: usize>(&mut self, type_name: &str, desc: &str) -> R<[u8; N]> {
        let bytes = self
            .remaining()
            .get(..N)
            .and_then(|b| <[u8; N]>::try_from(b).ok());
        match bytes {
            Some(bytes) => {
                self.pos += N;
                Ok(bytes)
            }
            None => Err(self.fail(format!("unable to read {type_name}: {desc}"))),
        }
    }

    fn read_u8(&mut self, desc: &str) -> R<u8> {
        Ok(self.read_fixed::<1>("uint8_t", desc)?[0])
    }

    fn read_u32_fixed(&mut self, desc: &str) -> R<u32> {
        Ok(u32::from_le_bytes(self.read_fixed::<4>("uint32_t", desc)?))
    }

    fn read_f32(&mut self, desc: &str) -> R<u32> {
        Ok(u32::from_le_bytes(self.read_fixed::<4>("float", desc)?))
    }

    fn read_f64(&mut self, desc: &str) -> R<u64> {
        Ok(u64::from_le_bytes(self.read_fixed::<8>("double", desc)?))
    }

    fn read_v128(&mut self, desc: &str) -> R<[u8; 16]> {
        self.read_fixed::<16>("v128", desc)
    }

    fn read_u32_leb(&mut self, desc: &str) -> R<u32> {
        self.read_leb(leb::u32, "u32", desc)
    }

    fn read_u64_leb(&mut self, desc: &str) -> R<u64> {
        self.read_leb(leb::u64, "u64", desc)
    }

    fn read_s32_leb(&mut self, desc: &str) -> R<u32> {
        self.read_leb(leb::s32, "i32", desc)
    }

    fn read_s64_leb(&mut self, desc: &str) -> R<u64> {
        self.read_leb(leb::s64, "i64", desc)
    }

    /// A LEB128 number read by `decode`, or WABT's `unable to read KIND
    /// leb128: DESC`.
    fn read_leb<T>(
        &mut self,
        decode: fn(&[u8]) -> Option<(T, usize)>,
        kind: &str,
        desc: &str,
    ) -> R<T> {
        match decode(self.remaining()) {
            Some((value, len)) => {
                self.pos += len;
                Ok(value)
            }
            None => Err(self.fail(format!("unable to read {kind} leb128: {desc}"))),
        }
    }

    /// `ReadCount`: an index that may not exceed the bytes left in the
    /// section (each item takes at least one byte).
    fn read_count(&mut self, desc: &str) -> R<u32> {
        let count = self.read_u32_leb(desc)?;
        let left = self.end.saturating_sub(self.pos);
        if !usize::try_from(count).is_ok_and(|c| c <= left) {
            return Err(self.fail(format!(
                "invalid {desc} {count}, only {left} bytes left in section"
            )));
        }
        Ok(count)
    }

    fn read_str(&mut self, desc: &str) -> R<&'a str> {
        let len = self.read_u32_leb("string length")?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let Some(bytes) = self.remaining().get(..len) else {
            return Err(self.fail(format!("unable to read string: {desc}")));
        };
        self.pos += len;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => Err(self.fail(format!("invalid utf-8 encoding: {desc}"))),
        }
    }

    fn read_bytes(&mut self, desc: &str) -> R<&'a [u8]> {
        let len = self.read_u32_leb("data size")?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let Some(bytes) = self.remaining().get(..len) else {
            return Err(self.fail(format!("unable to read data: {desc}")));
        };
        self.pos += len;
        Ok(bytes)
    }

    /// `ReadType`: a signed LEB type code; the typed references
    /// `(ref ht)` and `(ref null ht)` (which WABT cannot read) take a heap
    /// type after it.
    fn read_type(&mut self, desc: &str) -> R<ValType> {
        let code = self.read_s32_leb(desc)? as i32;
        if code == -0x1c || code == -0x1d {
            let heap = self.read_s64_leb(desc)? as i64;
            return Ok(ValType::Ref {
                nullable: code == -0x1d,
                heap,
            });
        }
        Ok(if code >= 0 {
            ValType::Index(code.unsigned_abs())
        } else {
            ValType::Code(code)
        })
    }

    fn read_ref_type(&mut self, desc: &str) -> R<ValType> {
        let ty = self.read_type(desc)?;
        if !ty.is_ref() {
            return Err(self.fail(format!("{desc} must be a reference type")));
        }
        Ok(ty)
    }

    /// The heap type of `ref.null`: WABT reads it as a reference type
    /// (`funcref`, `externref`); a type index (which WABT cannot read) is
    /// taken as `(ref null N)`.
    fn read_null_type(&mut self, desc: &str) -> R<ValType> {
        let code = self.read_s64_leb(desc)? as i64;
        let ty = match i32::try_from(code) {
            Ok(code) if code < 0 => ValType::Code(code),
            _ => ValType::Ref {
                nullable: true,
                heap: code,
            },
        };
        if !ty.is_ref() {
            return Err(self.fail(format!("{desc} must be a reference type")));
        }
        Ok(ty)
    }

    fn read_external_kind(&mut self, desc: &str) -> R<u8> {
        let kind = self.read_u8(desc)?;
        if usize::from(kind) >= EXTERNAL_KINDS.len() {
            return Err(self.fail(format!("invalid export external kind: {kind}")));
        }
        Ok(kind)
    }

    /// `printf` through the pass's output.
    fn print(&mut self, text: &str) {
        self.out.push(text);
    }

    fn details(&self) -> bool {
        self.mode == Mode::Details && self.print_details
    }

    /// `PrintDetails`: print only in `-x` and only for a matching section.
    fn detail(&mut self, text: &str) {
        if self.details() {
            self.out.push(text);
        }
    }

    /// ` <name>` when the name is known and non-empty.
    fn name_suffix(name: &str) -> String {
        if name.is_empty() {
            String::new()
        } else {
            format!(" <{name}>")
        }
    }

    // ----- the module ----------------------------------------------------

    /// `ReadModule`. `Err` when the module failed to decode anywhere (or,
    /// for the printing passes, when `-j` matched no section).
    pub(super) fn read_module(&mut self) -> R<()> {
        let magic = self.read_u32_fixed("magic")?;
        if magic != 0x6d73_6100 {
            return Err(self.fail("bad magic value"));
        }
        let version = self.read_u32_fixed("version")?;
        if version != 1 {
            return Err(self.fail(format!(
                "bad wasm file version: {} (expected 0x1)",
                c_alt_hex(u64::from(version))
            )));
        }
        self.begin_module(version);
        self.read_sections()?;
        if self.num_function_signatures != self.num_function_bodies {
            return Err(self.fail("function signature count != function body count"));
        }
        self.end_module()
    }

    fn begin_module(&mut self, version: u32) {
        match self.mode {
            Mode::Headers => self.print("\nSections:\n\n"),
            Mode::Details => self.print("\nSection Details:\n\n"),
            Mode::Disassemble => self.print("\nCode Disassembly:\n\n"),
            Mode::Prepass => {
                let line = format!(
                    "{}:\tfile format wasm {}\n",
                    self.display_name,
                    c_alt_hex(u64::from(version))
                );
                self.print(&line);
            }
            Mode::RawData => {}
        }
    }

    fn end_module(&mut self) -> R<()> {
        if matches!(self.mode, Mode::Headers | Mode::Details | Mode::RawData)
            && let Some(section) = &self.options.section
            && !self.section_found
        {
            self.diagnostics.push(Diagnostic {
                offset: 0,
                warning: false,
                message: format!("Section not found: {section}"),
                located: false,
            });
            self.section_not_found = true;
            return Err(Failed);
        }
        if self.options.relocs
            && self.details()
            && self.next_data_reloc != self.names.data_relocs.len()
        {
            self.diagnostics.push(Diagnostic {
                offset: 0,
                warning: false,
                message: "Data reloctions outside of segments!:".to_owned(),
                located: false,
            });
            let pending: Vec<Reloc> = self
                .names
                .data_relocs
                .iter()
                .skip(self.next_data_reloc)
                .copied()
                .collect();
            for reloc in pending {
                self.print_relocation(reloc, reloc.offset as usize);
            }
            return Err(Failed);
        }
        Ok(())
    }

    fn read_sections(&mut self) -> R<()> {
        let mut ok = true;
        let mut section_index = 0u32;
        let mut seen = [false; SECTION_KINDS];
        let mut last_known: Option<u8> = None;
        let mut read_names = false;
        while self.pos < self.data.len() {
            self.end = self.data.len();
            let id = self.read_u8("section code")?;
            let size = self.read_u32_leb("section size")?;
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            self.end = self.pos.saturating_add(size);
            if usize::from(id) >= SECTION_KINDS {
                self.fail(format!("invalid section code: {id}"));
                ok = false;
                self.pos = self.end;
                section_index += 1;
                continue;
            }
            if id != CUSTOM {
                let already = seen.get_mut(usize::from(id)).ok_or(Failed)?;
                if *already {
                    return Err(self.fail(format!("multiple {} sections", section_name(id))));
                }
                *already = true;
            }
            if self.end > self.data.len() {
                return Err(self.fail("invalid section size: extends past end"));
            }
            if let Some(last) = last_known
                && id != CUSTOM
                && section_order(id) <= section_order(last)
            {
                return Err(self.fail(format!("section {} out of order", section_name(id))));
            }
            if read_names && id != CUSTOM {
                return Err(self.fail(format!(
                    "{} section can not occur after Name section",
                    section_name(id)
                )));
            }
            self.begin_section(section_index, id, size);
            let result = match id {
                CUSTOM => self.read_custom_section(section_index, &mut read_names),
                TYPE => self.read_type_section(),
                IMPORT => self.read_import_section(),
                FUNCTION => self.read_function_section(),
                TABLE => self.read_table_section(),
                MEMORY => self.read_memory_section(),
                GLOBAL => self.read_global_section(),
                EXPORT => self.read_export_section(),
                START => self.read_start_section(),
                ELEM => self.read_elem_section(),
                CODE => self.read_code_section(),
                DATA => self.read_data_section(),
                DATA_COUNT => self.read_data_count_section(),
                _ => self.read_tag_section(),
            };
            // A custom section's failure does not fail the module.
            let mut failed = result.is_err();
            if failed && id != CUSTOM {
                ok = false;
            }
            if !failed && self.pos != self.end {
                self.fail(format!(
                    "unfinished section (expected end: 0x{:x})",
                    self.end
                ));
                failed = true;
                ok = false;
            }
            if failed {
                self.pos = self.end;
            }
            if id != CUSTOM {
                last_known = Some(id);
            }
            section_index += 1;
        }
        if ok { Ok(()) } else { Err(Failed) }
    }

    fn begin_section(&mut self, index: u32, id: u8, size: usize) {
        if let Some(start) = self.section_starts.get_mut(usize::from(id)) {
            *start = self.pos;
        }
        self.section_ids.push(id);
        match self.mode {
            Mode::Prepass => {
                if id != CUSTOM {
                    self.names
                        .sections
                        .insert(index, section_name(id).to_owned());
                }
            }
            Mode::Disassemble => {}
            Mode::Headers | Mode::Details | Mode::RawData => {
                let matches = match &self.options.section {
                    None => true,
                    Some(wanted) => {
                        lookup(&self.names.sections, index).eq_ignore_ascii_case(wanted)
                    }
                };
                if matches {
                    self.section_found = true;
                }
                let kind = section_name(id);
                match self.mode {
                    Mode::Headers => {
                        let start = self.pos as u64;
                        let line = format!(
                            "{kind:>9} start={} end={} (size={}) ",
                            c_alt_hex10(start),
                            c_alt_hex10(start + size as u64),
                            c_alt_hex10(size as u64)
                        );
                        self.print(&line);
                    }
                    Mode::Details => {
                        self.print_details = matches;
                        if matches {
                            self.print(kind);
                            if matches!(id, START | DATA_COUNT | CUSTOM) {
                                self.print(":\n");
                            }
                        }
                    }
                    _ => {
                        if matches {
                            let header = format!("\nContents of section {kind}:\n");
                            self.print(&header);
                            let payload = self.data.get(self.pos..self.pos + size).unwrap_or(&[]);
                            memory_dump(&mut self.out.text, payload, self.pos as u64, "");
                            self.out.spill();
                        }
                    }
                }
            }
        }
    }

    /// `OnCount`: completes the `-h` line or the `-x` header.
    fn on_count(&mut self, count: u32) {
        match self.mode {
            Mode::Headers => {
                let text = format!("count: {count}\n");
                self.print(&text);
            }
            Mode::Details if self.print_details => {
                let text = format!("[{count}]:\n");
                self.print(&text);
            }
            _ => {}
        }
    }

    // ----- custom sections -----------------------------------------------

    fn read_custom_section(&mut self, index: u32, read_names: &mut bool) -> R<()> {
        let name = self.read_str("section name")?;
        match self.mode {
            Mode::Prepass => {
                self.names.sections.insert(index, name.to_owned());
            }
            Mode::Headers => {
                let text = format!("\"{name}\"\n");
                self.print(&text);
            }
            _ => {}
        }
        self.detail(&format!(" - name: \"{name}\"\n"));
        self.reading_custom_section = true;
        let result = if name == "name" {
            let r = self.read_name_section();
            if r.is_ok() {
                *read_names = true;
            }
            r
        } else if name == "dylink.0" {
            self.read_dylink0()
        } else if name == "dylink" {
            self.read_dylink()
        } else if name.starts_with("reloc.") {
            self.read_reloc_section()
        } else if name == "target_features" {
            self.read_target_features()
        } else if name == "linking" {
            self.read_linking_section()
        } else {
            // Code-metadata sections are not decoded: only their name is
            // printed.
            self.pos = self.end;
            Ok(())
        };
        self.reading_custom_section = false;
        result
    }

    fn read_target_features(&mut self) -> R<()> {
        let count = self.read_u32_leb("sym count")?;
        for _ in 0..count {
            let prefix = self.read_u8("prefix")?;
            let name = self.read_str("feature name")?;
            self.detail(&format!("  - [{}] {name}\n", char::from(prefix)));
        }
        Ok(())
    }

    fn total_funcs(&self) -> u32 {
        self.num_func_imports
            .wrapping_add(self.num_function_signatures)
    }

    fn read_name_section(&mut self) -> R<()> {
        let mut i = 0u32;
        let mut previous = 0u32;
        let section_end = self.end;
        while self.pos < self.end {
            let kind = self.read_u32_leb("name type")?;
            if i != 0 {
                if kind == previous {
                    return Err(self.fail("duplicate sub-section"));
                }
                if kind < previous {
                    return Err(self.fail("out-of-order sub-section"));
                }
            }
            previous = kind;
            let size = self.read_u32_leb("subsection size")?;
            let subsection_end = self
                .pos
                .saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
            if subsection_end > self.end {
                return Err(self.fail("invalid sub-section size: extends past end"));
            }
            self.end = subsection_end;
            let result = self.read_name_subsection(kind, size, subsection_end);
            self.end = section_end;
            result?;
            i += 1;
            if self.pos != subsection_end {
                return Err(self.fail(format!(
                    "unfinished sub-section (expected end: 0x{subsection_end:x})"
                )));
            }
        }
        Ok(())
    }

    fn read_name_subsection(&mut self, kind: u32, size: u32, subsection_end: usize) -> R<()> {
        match kind {
            0 => {
                if size != 0 {
                    let name = self.read_str("module name")?;
                    if self.mode == Mode::Prepass {
                        let text = format!("module name: <{name}>\n");
                        self.print(&text);
                    }
                    self.detail(&format!(" - module <{name}>\n"));
                }
            }
            1 => {
                if size != 0 {
                    let count = self.read_count("name count")?;
                    let mut last: Option<u32> = None;
                    for _ in 0..count {
                        let index = self.read_u32_leb("function index")?;
                        if last == Some(index) {
                            return Err(self.fail(format!("duplicate function name: {index}")));
                        }
                        if last.is_some_and(|l| index < l) {
                            return Err(self.fail(format!("function index out of order: {index}")));
                        }
                        last = Some(index);
                        if index >= self.total_funcs() {
                            return Err(self.fail(format!("invalid function index: {index}")));
                        }
                        let name = self.read_str("function name")?;
                        if self.mode == Mode::Prepass {
                            self.names.functions.insert(index, name.to_owned());
                        }
                        self.detail(&format!(" - func[{index}] <{name}>\n"));
                    }
                }
            }
            2 => {
                if size != 0 {
                    let count = self.read_count("function count")?;
                    let mut last: Option<u32> = None;
                    for _ in 0..count {
                        let function = self.read_u32_leb("function index")?;
                        if function >= self.total_funcs() {
                            return Err(self.fail(format!("invalid function index: {function}")));
                        }
                        if last.is_some_and(|l| function <= l) {
                            return Err(self
                                .fail(format!("locals function index out of order: {function}")));
                        }
                        last = Some(function);
                        let locals = self.read_count("local count")?;
                        let mut last_local: Option<u32> = None;
                        for _ in 0..locals {
                            let local = self.read_u32_leb("named index")?;
                            if last_local == Some(local) {
                                return Err(self.fail(format!("duplicate local index: {local}")));
                            }
                            if last_local.is_some_and(|l| local < l) {
                                return Err(self.fail(format!("local index out of order: {local}")));
                            }
                            last_local = Some(local);
                            let name = self.read_str("name")?;
                            if self.mode == Mode::Prepass {
                                self.names.locals.insert((function, local), name.to_owned());
                            }
                            if !name.is_empty() {
                                self.detail(&format!(
                                    " - func[{function}] local[{local}] <{name}>\n"
                                ));
                            }
                        }
                    }
                }
            }
            // Today's numbering, for modules with struct or array types
            // (which WABT cannot read): 10 names fields, 11 names tags.
            10 if self.gc_types => {
                if size != 0 {
                    let count = self.read_count("name count")?;
                    for _ in 0..count {
                        let type_index = self.read_u32_leb("type index")?;
                        let fields = self.read_count("field count")?;
                        for _ in 0..fields {
                            let field = self.read_u32_leb("field index")?;
                            let name = self.read_str("name")?;
                            self.detail(&format!(
                                " - type[{type_index}] field[{field}] <{name}>\n"
                            ));
                        }
                    }
                }
                self.pos = subsection_end;
            }
            4..=11 if kind != 11 || self.gc_types => {
                // WABT 1.0.32 numbers tag names 10.
                let tags = if self.gc_types { 11 } else { 10 };
                if size != 0 {
                    let count = self.read_count("name count")?;
                    for _ in 0..count {
                        let index = self.read_u32_leb("index")?;
                        let name = self.read_str("name")?;
                        if self.mode == Mode::Prepass {
                            let map = match kind {
                                4 => Some(&mut self.names.types),
                                5 => Some(&mut self.names.tables),
                                7 => Some(&mut self.names.globals),
                                9 => Some(&mut self.names.data_segments),
                                k if k == tags => Some(&mut self.names.tags),
                                _ => None,
                            };
                            if let Some(map) = map {
                                map.insert(index, name.to_owned());
                            }
                        }
                        let subsection = if kind == tags {
                            "tag"
                        } else {
                            NAME_SUBSECTIONS.get(kind as usize).copied().unwrap_or("")
                        };
                        self.detail(&format!(" - {subsection}[{index}] <{name}>\n"));
                    }
                }
                self.pos = subsection_end;
            }
            // Label names (3) and unknown subsections are skipped.
            _ => self.pos = subsection_end,
        }
        Ok(())
    }

    // ----- linking metadata ----------------------------------------------

    /// `GetSymbolName`: the name a relocation's symbol shows.
    fn symbol_name(&self, index: u32) -> String {
        let Some(symbol) = self.names.symbols.get(&index) else {
            return "<illegal_symbol_index>".to_owned();
        };
        let names = &self.names;
        match symbol.kind {
            0 => lookup(&names.functions, symbol.index).to_owned(),
            1 => symbol.name.clone(),
            2 => lookup(&names.globals, symbol.index).to_owned(),
            3 => lookup(&names.sections, symbol.index).to_owned(),
            4 => lookup(&names.tags, symbol.index).to_owned(),
            _ => lookup(&names.tables, symbol.index).to_owned(),
        }
    }

    /// `PrintRelocation`, the `-r` lines of `-d` and of data segments.
    fn print_relocation(&mut self, reloc: Reloc, offset: usize) {
        let mut line = format!(
            "           {offset:06x}: {:<18} {}",
            reloc_name(reloc.kind),
            reloc.index
        );
        if reloc.addend != 0 {
            let _ = write!(line, " + {}", reloc.addend as i32);
        }
        if reloc.kind != RELOC_TYPE_INDEX_LEB {
            let _ = write!(line, " <{}>", self.symbol_name(reloc.index));
        }
        line.push('\n');
        self.print(&line);
    }

    fn read_reloc_section(&mut self) -> R<()> {
        let section = self.read_u32_leb("section index")?;
        let count = self.read_count("relocation count")?;
        match self.section_ids.get(section as usize).copied() {
            Some(id) => self.reloc_section = Some(id),
            None => {
                self.reloc_section = None;
                self.diagnostics.push(Diagnostic {
                    offset: 0,
                    warning: false,
                    message: format!("invalid relocation section index: {section}"),
                    located: false,
                });
                return Err(self.fail("OnRelocCount callback failed"));
            }
        }
        if self.details() {
            let name = lookup(&self.names.sections, section).to_owned();
            self.print(&format!(
                "  - relocations for section: {section} ({name}) [{count}]\n"
            ));
        }
        for _ in 0..count {
            let kind = self.read_u32_leb("relocation type")?;
            let offset = self.read_u32_leb("offset")?;
            let index = self.read_u32_leb("index")?;
            let addend = match kind {
                3 | 4 | 5 | 8 | 9 | 11 | 14 | 15 | 16 | 17 | 21 | 22 => {
                    self.read_s32_leb("addend")?
                }
                0 | 1 | 2 | 6 | 7 | 10 | 12 | 13 | 18 | 19 | 20 => 0,
                _ => return Err(self.fail(format!("unknown reloc type: {}", reloc_name(kind)))),
            };
            let reloc = Reloc {
                kind,
                offset,
                index,
                addend,
            };
            if self.mode == Mode::Prepass {
                match self.reloc_section {
                    Some(CODE) => self.names.code_relocs.push(reloc),
                    Some(DATA) => self.names.data_relocs.push(reloc),
                    _ => {}
                }
            }
            if self.details() {
                let start = self.reloc_section.map_or(0, |id| self.section_start(id));
                let file = start as u64 + u64::from(offset);
                let mut line = format!(
                    "   - {:<18} offset={}(file={}) ",
                    reloc_name(kind),
                    text::c_alt_hex8(u64::from(offset)),
                    text::c_alt_hex8(file)
                );
                if kind == RELOC_TYPE_INDEX_LEB {
                    let _ = write!(line, "type={index}");
                } else {
                    let _ = write!(line, "symbol={index} <{}>", self.symbol_name(index));
                }
                if addend != 0 {
                    let signed = addend as i32;
                    let _ = write!(
                        line,
                        "{}{}",
                        if signed < 0 { "-" } else { "+" },
                        c_alt_hex(u64::from(signed.unsigned_abs()))
                    );
                }
                line.push('\n');
                self.print(&line);
            }
        }
        Ok(())
    }

    /// `PrintSymbolFlags`: ` [ undefined exported ... binding=global vis=default ]`.
    fn symbol_flags(&mut self, flags: u32) -> R<String> {
        if flags > 0x1ff {
            self.diagnostics.push(Diagnostic {
                offset: 0,
                warning: false,
                message: format!("Unknown symbols flags: {flags:x}"),
                located: false,
            });
            return Err(self.fail("callback failed"));
        }
        let binding = match flags & 3 {
            0 => "global",
            1 => "weak",
            2 => "local",
            _ => "(null)",
        };
        let visibility = if flags & 4 != 0 { "hidden" } else { "default" };
        let mut rest = flags & !7;
        let mut text = String::from(" [");
        for (bit, name) in [
            (0x10, "undefined"),
            (0x20, "exported"),
            (0x40, "explicit_name"),
            (0x80, "no_strip"),
            (0x100, "tls"),
        ] {
            if rest & bit != 0 {
                text.push(' ');
                text.push_str(name);
                rest &= !bit;
            }
        }
        if rest != 0 {
            let _ = write!(text, " unknown_flags={}", c_alt_hex(u64::from(rest)));
        }
        let _ = writeln!(text, " binding={binding} vis={visibility} ]");
        Ok(text)
    }

    fn read_linking_section(&mut self) -> R<()> {
        let version = self.read_u32_leb("version")?;
        if version != 2 {
            return Err(self.fail(format!("invalid linking metadata version: {version}")));
        }
        self.read_subsections(Self::read_linking_subsection)
    }

    /// The subsections of a `linking` or `dylink.0` section, each an id and
    /// a size, read by `read` within its bounds.
    fn read_subsections(&mut self, read: fn(&mut Self, u32, usize) -> R<()>) -> R<()> {
        let section_end = self.end;
        while self.pos < self.end {
            let kind = self.read_u32_leb("type")?;
            let size = self.read_u32_leb("subsection size")?;
            let subsection_end = self.pos.saturating_add(size as usize);
            if subsection_end > self.end {
                return Err(self.fail("invalid sub-section size: extends past end"));
            }
            self.end = subsection_end;
            let result = read(self, kind, subsection_end);
            self.end = section_end;
            result?;
            if self.pos != subsection_end {
                return Err(self.fail(format!(
                    "unfinished sub-section (expected end: 0x{subsection_end:x})"
                )));
            }
        }
        Ok(())
    }

    fn read_linking_subsection(&mut self, kind: u32, subsection_end: usize) -> R<()> {
        match kind {
            // WASM_SYMBOL_TABLE
            8 => {
                let count = self.read_u32_leb("sym count")?;
                self.detail(&format!("  - symbol table [count={}]\n", count as i32));
                for i in 0..count {
                    let kind = self.read_u32_leb("sym type")?;
                    let flags = self.read_u32_leb("sym flags")?;
                    match kind {
                        0 | 2 | 4 | 5 => {
                            let index = self.read_u32_leb("index")?;
                            let name = if flags & 0x10 == 0 || flags & 0x40 != 0 {
                                self.read_str("symbol name")?
                            } else {
                                ""
                            };
                            let (letter, field) = match kind {
                                0 => ('F', "func"),
                                2 => ('G', "global"),
                                4 => ('E', "tag"),
                                _ => ('T', "table"),
                            };
                            if self.mode == Mode::Prepass {
                                let names = match kind {
                                    0 => &mut self.names.functions,
                                    2 => &mut self.names.globals,
                                    4 => &mut self.names.tags,
                                    _ => &mut self.names.tables,
                                };
                                if !name.is_empty() {
                                    names.insert(index, name.to_owned());
                                }
                                self.names.symbols.insert(
                                    i,
                                    Symbol {
                                        kind,
                                        name: name.to_owned(),
                                        index,
                                    },
                                );
                            }
                            if self.details() {
                                let names = match kind {
                                    0 => &self.names.functions,
                                    2 => &self.names.globals,
                                    4 => &self.names.tags,
                                    _ => &self.names.tables,
                                };
                                let shown = if name.is_empty() {
                                    lookup(names, index).to_owned()
                                } else {
                                    name.to_owned()
                                };
                                let flags = self.symbol_flags(flags)?;
                                self.print(&format!(
                                    "   - {}: {letter} <{shown}> {field}={index}{flags}",
                                    i as i32
                                ));
                            }
                        }
                        1 => {
                            let name = self.read_str("symbol name")?;
                            let mut placement = String::new();
                            if flags & 0x10 == 0 {
                                let segment = self.read_u32_leb("segment")?;
                                let offset = self.read_u32_leb("offset")?;
                                let size = self.read_u32_leb("size")?;
                                placement = format!(
                                    " segment={segment} offset={} size={}",
                                    offset as i32, size as i32
                                );
                            }
                            if self.mode == Mode::Prepass {
                                self.names.symbols.insert(
                                    i,
                                    Symbol {
                                        kind,
                                        name: name.to_owned(),
                                        index: 0,
                                    },
                                );
                            }
                            if self.details() {
                                let flags = self.symbol_flags(flags)?;
                                self.print(&format!(
                                    "   - {}: D <{name}>{placement}{flags}",
                                    i as i32
                                ));
                            }
                        }
                        3 => {
                            let index = self.read_u32_leb("index")?;
                            let name = lookup(&self.names.sections, index).to_owned();
                            if self.mode == Mode::Prepass {
                                self.names.symbols.insert(
                                    i,
                                    Symbol {
                                        kind,
                                        name: name.clone(),
                                        index,
                                    },
                                );
                            }
                            if self.details() {
                                let flags = self.symbol_flags(flags)?;
                                self.print(&format!(
                                    "   - {}: S <{name}> section={index}{flags}",
                                    i as i32
                                ));
                            }
                        }
                        _ => {}
                    }
                }
            }
            // WASM_SEGMENT_INFO
            5 => {
                let count = self.read_u32_leb("info count")?;
                self.detail(&format!("  - segment info [count={}]\n", count as i32));
                for i in 0..count {
                    let name = self.read_str("segment name")?;
                    let align = self.read_u32_leb("segment alignment")?;
                    if align >= 128 {
                        return Err(self.fail(format!("invalid segment alignment: {align}")));
                    }
                    let flags = self.read_u32_leb("segment flags")?;
                    if self.mode == Mode::Prepass {
                        self.names.data_segments.insert(i, name.to_owned());
                    }
                    if self.details() {
                        if flags > 0x1ff {
                            self.diagnostics.push(Diagnostic {
                                offset: 0,
                                warning: false,
                                message: format!("Unknown symbols flags: {flags:x}"),
                                located: false,
                            });
                            return Err(self.fail("callback failed"));
                        }
                        let mut rest = flags;
                        let mut text = format!("   - {}: {name} p2align={align} [", i as i32);
                        for (bit, label) in [(1, "STRINGS"), (2, "TLS")] {
                            if rest & bit != 0 {
                                text.push(' ');
                                text.push_str(label);
                                rest &= !bit;
                            }
                        }
                        if rest != 0 {
                            let _ = write!(text, " unknown_flags={}", c_alt_hex(u64::from(rest)));
                        }
                        text.push_str(" ]\n");
                        self.print(&text);
                    }
                }
            }
            // WASM_INIT_FUNCS
            6 => {
                let count = self.read_u32_leb("info count")?;
                self.detail(&format!("  - init functions [count={}]\n", count as i32));
                for _ in 0..count {
                    let priority = self.read_u32_leb("priority")?;
                    let function = self.read_u32_leb("function index")?;
                    self.detail(&format!(
                        "   - {}: priority={}\n",
                        function as i32, priority as i32
                    ));
                }
            }
            // WASM_COMDAT_INFO
            7 => {
                let count = self.read_u32_leb("count")?;
                self.detail(&format!("  - comdat groups [count={}]\n", count as i32));
                for _ in 0..count {
                    let name = self.read_str("comdat name")?;
                    let _flags = self.read_u32_leb("flags")?;
                    let entries = self.read_u32_leb("entry count")?;
                    self.detail(&format!("   - {name}: [count={}]\n", entries as i32));
                    for _ in 0..entries {
                        let kind = self.read_u32_leb("kind")?;
                        let index = self.read_u32_leb("index")?;
                        if self.details() {
                            let line = match kind {
                                0 => format!(
                                    "    - segment[{index}]{}\n",
                                    Self::name_suffix(lookup(&self.names.data_segments, index))
                                ),
                                1 => format!(
                                    "    - func[{index}]{}\n",
                                    Self::name_suffix(lookup(&self.names.functions, index))
                                ),
                                _ => "\n".to_owned(),
                            };
                            self.print(&line);
                        }
                    }
                }
            }
            _ => self.pos = subsection_end,
        }
        Ok(())
    }

    fn print_dylink_info(
        &mut self,
        mem_size: u32,
        mem_align: u32,
        table_size: u32,
        table_align: u32,
    ) {
        self.detail(&format!(
            " - mem_size     : {mem_size}\n - mem_p2align  : {mem_align}\n - table_size   : {table_size}\n - table_p2align: {table_align}\n"
        ));
    }

    fn read_dylink_needed(&mut self) -> R<()> {
        let count = self.read_u32_leb("needed_dynlibs")?;
        if count != 0 {
            self.detail(&format!(" - needed_dynlibs[{count}]:\n"));
        }
        for _ in 0..count {
            let name = self.read_str("dylib so_name")?;
            self.detail(&format!("  - {name}\n"));
        }
        Ok(())
    }

    fn read_dylink(&mut self) -> R<()> {
        let mem_size = self.read_u32_leb("mem_size")?;
        let mem_align = self.read_u32_leb("mem_align")?;
        let table_size = self.read_u32_leb("table_size")?;
        let table_align = self.read_u32_leb("table_align")?;
        self.print_dylink_info(mem_size, mem_align, table_size, table_align);
        self.read_dylink_needed()
    }

    fn read_dylink0(&mut self) -> R<()> {
        self.read_subsections(Self::read_dylink0_subsection)
    }

    fn read_dylink0_subsection(&mut self, kind: u32, subsection_end: usize) -> R<()> {
        match kind {
            1 => {
                let mem_size = self.read_u32_leb("mem_size")?;
                let mem_align = self.read_u32_leb("mem_align")?;
                let table_size = self.read_u32_leb("table_size")?;
                let table_align = self.read_u32_leb("table_align")?;
                self.print_dylink_info(mem_size, mem_align, table_size, table_align);
            }
            2 => self.read_dylink_needed()?,
            3 => {
                let count = self.read_u32_leb("count")?;
                self.detail(&format!(" - exports[{count}]:\n"));
                for _ in 0..count {
                    let name = self.read_str("name")?;
                    let flags = self.read_u32_leb("flags")?;
                    if self.details() {
                        let flags = self.symbol_flags(flags)?;
                        self.print(&format!("  - {name}{flags}"));
                    }
                }
            }
            4 => {
                let count = self.read_u32_leb("count")?;
                self.detail(&format!(" - imports[{count}]:\n"));
                for _ in 0..count {
                    let module = self.read_str("module")?;
                    let field = self.read_str("field")?;
                    let flags = self.read_u32_leb("flags")?;
                    if self.details() {
                        let flags = self.symbol_flags(flags)?;
                        self.print(&format!("  - {module}.{field}{flags}"));
                    }
                }
            }
            _ => self.pos = subsection_end,
        }
        Ok(())
    }

    // ----- known sections ------------------------------------------------

    fn read_type_section(&mut self) -> R<()> {
        self.read_items("type count", 0, |this, _| {
            let form = this.read_type("type form")?;
            match form {
                // Extension: a recursion group (0x4e) of subtypes.
                ValType::Code(-0x32) => {
                    let members = this.read_count("rec group size")?;
                    for _ in 0..members {
                        let form = this.read_type("type form")?;
                        this.read_sub_type(form)?;
                    }
                    Ok(())
                }
                _ => this.read_sub_type(form),
            }
        })?;
        Ok(())
    }

    /// One type definition; `sub` and `sub final` (which WABT cannot read)
    /// are printed after the composite type as ` sub` / ` sub final` and
    /// ` super=N`.
    fn read_sub_type(&mut self, form: ValType) -> R<()> {
        let mut suffix = String::new();
        let mut form = form;
        if let ValType::Code(code @ (-0x30 | -0x31)) = form {
            suffix.push_str(if code == -0x30 { " sub" } else { " sub final" });
            let supers = self.read_count("supertype count")?;
            for _ in 0..supers {
                let super_index = self.read_u32_leb("supertype index")?;
                let _ = write!(suffix, " super={super_index}");
            }
            form = self.read_type("type form")?;
        }
        let index = self.num_types;
        self.num_types = self.num_types.wrapping_add(1);
        match form {
            ValType::Code(-0x20) => {
                let params =
                    self.read_value_types("function param count", "function param type", "param")?;
                let results = self.read_value_types(
                    "function result count",
                    "function result type",
                    "result",
                )?;
                if self.mode == Mode::Prepass {
                    self.names
                        .param_counts
                        .insert(index, u32::try_from(params.len()).unwrap_or(u32::MAX));
                }
                if self.details() {
                    let params: Vec<String> = params.iter().map(|t| t.name()).collect();
                    let results_text = match results.as_slice() {
                        [] => "nil".to_owned(),
                        [one] => one.name(),
                        many => format!(
                            "({})",
                            many.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    let line = format!(
                        " - type[{index}] ({}) -> {results_text}{suffix}\n",
                        params.join(", ")
                    );
                    self.print(&line);
                }
            }
            ValType::Code(-0x21) => {
                self.gc_types = true;
                let count = self.read_count("field count")?;
                let mut fields = String::new();
                for _ in 0..count {
                    fields.push_str(&self.read_field()?);
                }
                self.detail(&format!(" - type[{index}] (struct{fields}){suffix}\n"));
            }
            ValType::Code(-0x22) => {
                self.gc_types = true;
                let field = self.read_field()?;
                self.detail(&format!(" - type[{index}] (array{field}){suffix}\n"));
            }
            other => {
                return Err(self.fail(format!(
                    "unexpected type form (got {})",
                    text::type_code(other.code_for_error())
                )));
            }
        }
        Ok(())
    }

    fn read_value_types(&mut self, count_desc: &str, desc: &str, what: &str) -> R<Vec<ValType>> {
        let count = self.read_count(count_desc)?;
        let mut types = Vec::new();
        for _ in 0..count {
            let ty = self.read_type(desc)?;
            if !ty.is_concrete() {
                return Err(self.fail(format!(
                    "expected valid {what} type (got {})",
                    text::type_code(ty.code_for_error())
                )));
            }
            types.push(ty);
        }
        Ok(types)
    }

    /// A struct or array field, as printed: ` (mut i32)` or ` i64`.
    fn read_field(&mut self) -> R<String> {
        let ty = self.read_type("field type")?;
        let packed = matches!(ty, ValType::Code(-0x08 | -0x09));
        if !ty.is_concrete() && !packed {
            return Err(self.fail(format!(
                "expected valid field type (got {})",
                text::type_code(ty.code_for_error())
            )));
        }
        let mutable = self.read_u8("field mutability")?;
        if mutable > 1 {
            return Err(self.fail("field mutability must be 0 or 1"));
        }
        Ok(if mutable == 1 {
            format!(" (mut {})", ty.name())
        } else {
            format!(" {}", ty.name())
        })
    }

    fn read_import_section(&mut self) -> R<()> {
        let count = self.read_count("import count")?;
        self.on_count(count);
        for _ in 0..count {
            let module = self.read_str("import module name")?;
            let field = self.read_str("import field name")?;
            let kind = self.read_u8("import kind")?;
            let qualified = format!("{module}.{field}");
            match kind {
                0 => {
                    let sig = self.read_u32_leb("import signature index")?;
                    let index = self.num_func_imports;
                    if self.mode == Mode::Prepass {
                        self.names.functions.insert(index, qualified.clone());
                    }
                    if self.details() {
                        let name = Self::name_suffix(lookup(&self.names.functions, index));
                        self.print(&format!(
                            " - func[{index}] sig={sig}{name} <- {qualified}\n"
                        ));
                    }
                    self.num_func_imports += 1;
                }
                1 => {
                    let (ty, limits) = self.read_table()?;
                    let index = self.num_table_imports;
                    if self.mode == Mode::Prepass {
                        self.names.tables.insert(index, qualified.clone());
                    }
                    let limits = Self::table_limits(&limits);
                    self.detail(&format!(
                        " - table[{index}] type={}{limits} <- {qualified}\n",
                        ty.name()
                    ));
                    self.num_table_imports += 1;
                }
                2 => {
                    let limits = self.read_memory()?;
                    let index = self.num_memory_imports;
                    let limits = Self::memory_limits(&limits);
                    self.detail(&format!(
                        " - memory[{index}] pages: {limits} <- {qualified}\n"
                    ));
                    self.num_memory_imports += 1;
                }
                3 => {
                    let (ty, mutable) = self.read_global_header()?;
                    let index = self.num_global_imports;
                    if self.mode == Mode::Prepass {
                        self.names.globals.insert(index, qualified.clone());
                    }
                    self.detail(&format!(
                        " - global[{index}] {} mutable={} <- {qualified}\n",
                        ty.name(),
                        u8::from(mutable)
                    ));
                    self.num_global_imports += 1;
                }
                4 => {
                    let sig = self.read_tag_type()?;
                    let index = self.num_tag_imports;
                    if self.mode == Mode::Prepass {
                        self.names.tags.insert(index, qualified.clone());
                    }
                    if self.details() {
                        let name = Self::name_suffix(lookup(&self.names.tags, index));
                        self.print(&format!(" - tag[{index}] sig={sig}{name} <- {qualified}\n"));
                    }
                    self.num_tag_imports += 1;
                }
                other => return Err(self.fail(format!("malformed import kind: {other}"))),
            }
        }
        Ok(())
    }

    fn read_table(&mut self) -> R<(ValType, Limits)> {
        let ty = self.read_ref_type("table elem type")?;
        let flags = self.read_u8("table flags")?;
        if flags & 2 != 0 {
            return Err(self.fail("tables may not be shared"));
        }
        if flags & !7 != 0 {
            return Err(self.fail(format!("malformed table limits flag: {flags}")));
        }
        // Extension: 64-bit tables (WABT: "tables may not be 64-bit").
        let is_64 = flags & 4 != 0;
        let (initial, max) = self.read_bounds(
            is_64,
            flags & 1 != 0,
            "table initial elem count",
            "table max elem count",
        )?;
        Ok((
            ty,
            Limits {
                initial,
                max,
                shared: false,
                is_64,
            },
        ))
    }

    /// The initial size and optional maximum of a table or memory, as
    /// 32- or 64-bit LEBs.
    fn read_bounds(
        &mut self,
        is_64: bool,
        has_max: bool,
        initial_desc: &str,
        max_desc: &str,
    ) -> R<(u64, Option<u64>)> {
        let read = |this: &mut Self, desc: &str| {
            if is_64 {
                this.read_u64_leb(desc)
            } else {
                this.read_u32_leb(desc).map(u64::from)
            }
        };
        let initial = read(self, initial_desc)?;
        let max = if has_max {
            Some(read(self, max_desc)?)
        } else {
            None
        };
        Ok((initial, max))
    }

    fn table_limits(limits: &Limits) -> String {
        let mut text = format!(" initial={}", limits.initial);
        if let Some(max) = limits.max {
            let _ = write!(text, " max={max}");
        }
        if limits.is_64 {
            text.push_str(" i64");
        }
        text
    }

    fn read_memory(&mut self) -> R<Limits> {
        let flags = self.read_u8("memory flags")?;
        if flags & !7 != 0 {
            return Err(self.fail(format!("malformed memory limits flag: {flags}")));
        }
        let is_64 = flags & 4 != 0;
        let (initial, max) = self.read_bounds(
            is_64,
            flags & 1 != 0,
            "memory initial page count",
            "memory max page count",
        )?;
        self.memories_64.push(is_64);
        Ok(Limits {
            initial,
            max,
            shared: flags & 2 != 0,
            is_64,
        })
    }

    fn memory_limits(limits: &Limits) -> String {
        let mut text = format!("initial={}", limits.initial);
        if let Some(max) = limits.max {
            let _ = write!(text, " max={max}");
        }
        if limits.shared {
            text.push_str(" shared");
        }
        if limits.is_64 {
            text.push_str(" i64");
        }
        text
    }

    fn read_global_header(&mut self) -> R<(ValType, bool)> {
        let ty = self.read_type("global type")?;
        if !ty.is_concrete() {
            // `%#x` of the type code as a C int.
            let code = ty.code_for_error() as u32;
            return Err(self.fail(format!(
                "invalid global type: {}",
                c_alt_hex(u64::from(code))
            )));
        }
        let mutable = self.read_u8("global mutability")?;
        if mutable > 1 {
            return Err(self.fail("global mutability must be 0 or 1"));
        }
        Ok((ty, mutable == 1))
    }

    fn read_tag_type(&mut self) -> R<u32> {
        let attribute = self.read_u8("tag attribute")?;
        if attribute != 0 {
            return Err(self.fail("tag attribute must be 0"));
        }
        self.read_u32_leb("tag signature index")
    }

    /// A section that is a vector of items: its count (at most the bytes
    /// left, and printed by `-h` and `-x`), then each item, given its index
    /// in its index space, which starts after the imports of its kind
    /// (`first`). Returns the count.
    fn read_items(
        &mut self,
        desc: &str,
        first: u32,
        mut item: impl FnMut(&mut Self, u32) -> R<()>,
    ) -> R<u32> {
        let count = self.read_count(desc)?;
        self.on_count(count);
        for i in 0..count {
            item(self, first.wrapping_add(i))?;
        }
        Ok(count)
    }

    fn read_function_section(&mut self) -> R<()> {
        let first = self.num_func_imports;
        self.num_function_signatures =
            self.read_items("function signature count", first, |this, index| {
                let sig = this.read_u32_leb("function signature index")?;
                if this.details() {
                    let name = Self::name_suffix(lookup(&this.names.functions, index));
                    this.print(&format!(" - func[{index}] sig={sig}{name}\n"));
                }
                Ok(())
            })?;
        Ok(())
    }

    fn read_table_section(&mut self) -> R<()> {
        let first = self.num_table_imports;
        self.read_items("table count", first, |this, index| {
            let (ty, limits) = this.read_table()?;
            if this.details() {
                let limits = Self::table_limits(&limits);
                let name = Self::name_suffix(lookup(&this.names.tables, index));
                this.print(&format!(
                    " - table[{index}] type={}{limits}{name}\n",
                    ty.name()
                ));
            }
            Ok(())
        })?;
        Ok(())
    }

    fn read_memory_section(&mut self) -> R<()> {
        let first = self.num_memory_imports;
        self.read_items("memory count", first, |this, index| {
            let limits = Self::memory_limits(&this.read_memory()?);
            this.detail(&format!(" - memory[{index}] pages: {limits}\n"));
            Ok(())
        })?;
        Ok(())
    }

    fn read_tag_section(&mut self) -> R<()> {
        let first = self.num_tag_imports;
        self.read_items("tag count", first, |this, index| {
            let sig = this.read_tag_type()?;
            this.detail(&format!(" - tag[{index}] sig={sig}\n"));
            Ok(())
        })?;
        Ok(())
    }

    fn read_global_section(&mut self) -> R<()> {
        let first = self.num_global_imports;
        self.read_items("global count", first, |this, index| {
            let (ty, mutable) = this.read_global_header()?;
            if this.details() {
                let name = Self::name_suffix(lookup(&this.names.globals, index));
                this.print(&format!(
                    " - global[{index}] {} mutable={}{name}",
                    ty.name(),
                    u8::from(mutable)
                ));
            }
            let init = this.read_init_expr()?;
            this.print_init_expr(&init, false);
            Ok(())
        })?;
        Ok(())
    }

    fn read_export_section(&mut self) -> R<()> {
        let count = self.read_count("export count")?;
        self.on_count(count);
        for _ in 0..count {
            let name = self.read_str("export item name")?;
            let kind = self.read_external_kind("export kind")?;
            let index = self.read_u32_leb("export item index")?;
            if self.mode == Mode::Prepass {
                match kind {
                    0 => {
                        self.names.functions.insert(index, name.to_owned());
                    }
                    3 => {
                        self.names.globals.insert(index, name.to_owned());
                    }
                    _ => {}
                }
            }
            if self.details() {
                let kind_name = EXTERNAL_KINDS
                    .get(usize::from(kind))
                    .copied()
                    .unwrap_or("<error_kind>");
                let item_name = if kind == 0 {
                    Self::name_suffix(lookup(&self.names.functions, index))
                } else {
                    String::new()
                };
                self.print(&format!(
                    " - {kind_name}[{index}]{item_name} -> \"{name}\"\n"
                ));
            }
        }
        Ok(())
    }

    fn read_start_section(&mut self) -> R<()> {
        let index = self.read_u32_leb("start function index")?;
        if self.mode == Mode::Headers {
            self.print(&format!("start: {index}\n"));
        } else if self.details() {
            let name = Self::name_suffix(lookup(&self.names.functions, index));
            self.print(&format!(" - start function: {index}{name}\n"));
        }
        Ok(())
    }

    fn read_elem_section(&mut self) -> R<()> {
        let count = self.read_count("elem segment count")?;
        self.on_count(count);
        for segment in 0..count {
            let flags = self.read_u32_leb("elem segment flags")?;
            if flags > 7 {
                return Err(self.fail(format!(
                    "invalid elem segment flags: {}",
                    c_alt_hex(u64::from(flags))
                )));
            }
            let passive = flags & 1 != 0;
            let explicit = flags & 2 != 0;
            let exprs = flags & 4 != 0;
            let table = if explicit && !passive {
                self.read_u32_leb("elem segment table index")?
            } else {
                0
            };
            self.elem_index = 0;
            let init = if passive {
                None
            } else {
                let init = self.read_init_expr()?;
                if let Some(offset) = Self::const_offset(&init) {
                    self.elem_offset = offset;
                }
                Some(init)
            };
            if passive || explicit {
                if exprs {
                    self.read_ref_type("table elem type")?;
                } else {
                    let kind = self.read_external_kind("export kind")?;
                    if kind != 0 {
                        return Err(self.fail("segment elem type must be func (funcref)"));
                    }
                }
            }
            let items = self.read_count("elem count")?;
            if self.details() {
                self.print(&format!(
                    " - segment[{segment}] flags={} table={table} count={items}",
                    flags as u8
                ));
                match &init {
                    Some(init) => self.print_init_expr(init, true),
                    None => self.print("\n"),
                }
            }
            for _ in 0..items {
                if exprs {
                    let (prefix, code) = self.read_opcode("elem expr opcode")?;
                    match (prefix, code) {
                        (0, 0xd0) => {
                            let ty = self.read_null_type("elem expr ref.null type")?;
                            if self.details() {
                                let at = self.elem_offset.wrapping_add(self.elem_index);
                                self.print(&format!("  - elem[{at}] = ref.null {}\n", ty.name()));
                            }
                            self.elem_index += 1;
                        }
                        (0, 0xd2) => {
                            let function = self.read_u32_leb("elem expr func index")?;
                            self.print_elem_func(function);
                        }
                        _ => {
                            self.fail("expected ref.null or ref.func in passive element segment");
                        }
                    }
                    let (prefix, code) = self.read_opcode("opcode")?;
                    if (prefix, code) != (0, 0x0b) {
                        return Err(self.fail("expected END opcode after element expression"));
                    }
                } else {
                    let function = self.read_u32_leb("elem expr func index")?;
                    self.print_elem_func(function);
                }
            }
        }
        Ok(())
    }

    fn print_elem_func(&mut self, function: u32) {
        if self.details() {
            let at = self.elem_offset.wrapping_add(self.elem_index);
            let name = Self::name_suffix(lookup(&self.names.functions, function));
            self.print(&format!("  - elem[{at}] = func[{function}]{name}\n"));
        }
        self.elem_index += 1;
    }

    fn read_data_count_section(&mut self) -> R<()> {
        let count = self.read_u32_leb("data count")?;
        if self.mode == Mode::Headers {
            self.print(&format!("count: {count}\n"));
        } else {
            self.detail(&format!(" - data count: {count}\n"));
        }
        self.data_count = Some(count);
        Ok(())
    }

    fn read_data_section(&mut self) -> R<()> {
        let count = self.read_count("data segment count")?;
        self.on_count(count);
        if self.data_count.is_some_and(|c| c != count) {
            return Err(self.fail("data segment count does not equal count in DataCount section"));
        }
        for segment in 0..count {
            let flags = self.read_u32_leb("data segment flags")?;
            if flags > 3 {
                return Err(self.fail(format!(
                    "invalid data segment flags: {}",
                    c_alt_hex(u64::from(flags))
                )));
            }
            let memory = if flags & 2 != 0 {
                self.read_u32_leb("data segment memory index")?
            } else {
                0
            };
            let passive = flags & 1 != 0;
            let init = if passive {
                None
            } else {
                if self.memories_64.is_empty() {
                    return Err(self.fail("no memory to copy data to"));
                }
                let init = self.read_init_expr()?;
                if let Some(offset) = Self::const_offset(&init) {
                    self.data_offset = offset;
                }
                Some(init)
            };
            let bytes = self.read_bytes("data segment data")?;
            if self.details() {
                let name = Self::name_suffix(lookup(&self.names.data_segments, segment));
                let place = if passive {
                    " passive".to_owned()
                } else {
                    format!(" memory={memory}")
                };
                self.print(&format!(
                    " - segment[{segment}]{name}{place} size={}",
                    bytes.len()
                ));
                match &init {
                    Some(init) => self.print_init_expr(init, true),
                    None => self.print("\n"),
                }
                memory_dump(&mut self.out.text, bytes, self.data_offset, "  - ");
                self.out.spill();
                if self.options.relocs {
                    self.print_data_relocations(bytes.len());
                }
            }
        }
        Ok(())
    }

    /// The relocations that fall in the data segment just read.
    fn print_data_relocations(&mut self, size: usize) {
        let data_start = self.section_start(DATA);
        let segment_offset = (self.pos - size).wrapping_sub(data_start);
        while let Some(&reloc) = self.names.data_relocs.get(self.next_data_reloc) {
            if data_start + reloc.offset as usize > self.pos {
                break;
            }
            let at = (reloc.offset as usize)
                .wrapping_sub(segment_offset)
                .wrapping_add(self.data_offset as usize);
            self.print_relocation(reloc, at);
            self.next_data_reloc += 1;
        }
    }

    // ----- constant expressions ------------------------------------------

    /// Reads a constant expression (any instructions up to `end`), keeping
    /// its instructions for `-x`.
    fn read_init_expr(&mut self) -> R<Vec<InitInst>> {
        self.init_expr = Some(Vec::new());
        let end = self.end;
        let result = self.read_instructions(true, end);
        let insts = self.init_expr.take().unwrap_or_default();
        result?;
        Ok(insts)
    }

    /// WABT's `InitExprToConstOffset`: a lone `i32.const` or `i64.const`
    /// sets the offset shown for the segment's items; anything else leaves
    /// the previous segment's.
    fn const_offset(init: &[InitInst]) -> Option<u64> {
        match init {
            [InitInst::I32(value)] => Some(u64::from(*value)),
            [InitInst::I64(value)] => Some(*value),
            _ => None,
        }
    }

    /// `PrintInitExpr`: ` - init i32=5`, or for an extended constant
    /// expression ` - init (global.get 0 <g>, i32.const 4, i32.add)`.
    ///
    /// For `ref.func`, `ref.null` and `v128.const` WABT 1.0.32 prints a
    /// stale or uninitialised value (`- init i64=140722166613184`, changing
    /// from run to run); we print what its source means to print instead:
    /// `- init ref.func:N <name>`, `- init null`, `- init v128=...`.
    fn print_init_expr(&mut self, init: &[InitInst], as_unsigned: bool) {
        if !self.details() {
            return;
        }
        let mut text = String::from(" - init ");
        match init {
            [one] => match one {
                InitInst::I32(v) => {
                    if as_unsigned {
                        let _ = writeln!(text, "i32={v}");
                    } else {
                        let _ = writeln!(text, "i32={}", *v as i32);
                    }
                }
                InitInst::I64(v) => {
                    if as_unsigned {
                        let _ = writeln!(text, "i64={v}");
                    } else {
                        let _ = writeln!(text, "i64={}", *v as i64);
                    }
                }
                InitInst::F32(bits) => {
                    let _ = writeln!(text, "f32={}", f32_hex(*bits));
                }
                InitInst::F64(bits) => {
                    let _ = writeln!(text, "f64={}", f64_hex(*bits));
                }
                InitInst::V128(bytes) => {
                    let _ = writeln!(text, "v128={} ", v128_words(bytes));
                }
                InitInst::GlobalGet(index) => {
                    let name = Self::name_suffix(lookup(&self.names.globals, *index));
                    let _ = writeln!(text, "global={index}{name}");
                }
                InitInst::RefFunc(index) => {
                    let name = Self::name_suffix(lookup(&self.names.functions, *index));
                    let _ = writeln!(text, "ref.func:{index}{name}");
                }
                InitInst::RefNull => text.push_str("null\n"),
                InitInst::Other(name) => {
                    let _ = writeln!(text, "({name})");
                }
            },
            many => {
                text.push('(');
                for (i, inst) in many.iter().enumerate() {
                    if i != 0 {
                        text.push_str(", ");
                    }
                    match inst {
                        InitInst::I32(v) => {
                            let _ = write!(text, "i32.const {}", *v as i32);
                        }
                        InitInst::I64(v) => {
                            let _ = write!(text, "i64.const {}", *v as i64);
                        }
                        // WABT ends these two with a newline inside the
                        // parentheses; so do we.
                        InitInst::F32(bits) => {
                            let _ = writeln!(text, "f32.const {}", f32_hex(*bits));
                        }
                        InitInst::F64(bits) => {
                            let _ = writeln!(text, "f64.const {}", f64_hex(*bits));
                        }
                        InitInst::GlobalGet(index) => {
                            let name = Self::name_suffix(lookup(&self.names.globals, *index));
                            let _ = write!(text, "global.get {index}{name}");
                        }
                        InitInst::V128(_) => text.push_str("v128.const"),
                        InitInst::RefFunc(_) => text.push_str("ref.func"),
                        InitInst::RefNull => text.push_str("ref.null"),
                        InitInst::Other(name) => text.push_str(name),
                    }
                }
                text.push_str(")\n");
            }
        }
        self.print(&text);
    }

    // ----- code ----------------------------------------------------------

    fn read_code_section(&mut self) -> R<()> {
        let count = self.read_count("function body count")?;
        self.num_function_bodies = count;
        if self.num_function_signatures != count {
            return Err(self.fail("function signature count != function body count"));
        }
        self.on_count(count);
        for i in 0..count {
            let function = self.num_func_imports.wrapping_add(i);
            let size = self.read_u32_leb("function body size")?;
            let body_start = self.pos;
            let body_end = body_start.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
            self.begin_function_body(function, size);
            let mut total_locals = 0u64;
            let decls = self.read_count("local declaration count")?;
            if self.in_function_body {
                self.current_opcode_offset = self.pos;
            }
            for _ in 0..decls {
                let count = self.read_u32_leb("local type count")?;
                total_locals += u64::from(count);
                if total_locals >= u64::from(u32::MAX) {
                    return Err(self.fail("local count must be < 0x10000000"));
                }
                let ty = self.read_type("local type")?;
                if !ty.is_concrete() {
                    return Err(self.fail("expected valid local type"));
                }
                self.on_local_decl(count, ty);
            }
            if self.mode == Mode::Disassemble {
                let (result, final_opcode) = self.read_function_body(body_end);
                result?;
                if self.pos != body_end {
                    return Err(self.fail("function body longer than given size"));
                }
                if final_opcode != Some((0, 0x0b)) {
                    return Err(self.fail("function body must end with END opcode"));
                }
            } else {
                self.pos = body_end;
            }
            self.in_function_body = false;
        }
        Ok(())
    }

    fn read_function_body(&mut self, body_end: usize) -> (R<()>, Option<(u8, u32)>) {
        let mut final_opcode = None;
        let result = self.read_instructions_tracking(false, body_end, &mut final_opcode);
        (result, final_opcode)
    }

    /// `BeginFunctionBody`: `-x` lists the body, `-d` starts it.
    ///
    /// The first local of `-d`'s `local[...]` lines is numbered from
    /// `param_counts[function index]`, a table WABT fills by **type** index;
    /// we reproduce that (it is deterministic and `-d` output is the
    /// contract), so a function whose index is not its type's index gets
    /// WABT's numbering, not its real local indices.
    fn begin_function_body(&mut self, function: u32, size: u32) {
        if self.details() {
            let name = Self::name_suffix(lookup(&self.names.functions, function));
            self.print(&format!(" - func[{function}] size={size}{name}\n"));
        }
        if self.mode == Mode::Disassemble {
            let offset = self.print_offset(self.pos);
            let name = Self::name_suffix(lookup(&self.names.functions, function));
            self.print(&format!("{offset:06x} func[{function}]{name}:\n"));
            self.last_opcode_end = 0;
            self.in_function_body = true;
            self.current_function = function;
            self.local_index = self.names.param_counts.get(&function).copied().unwrap_or(0);
        }
    }

    /// Where the payload of the last section with this id started.
    fn section_start(&self, id: u8) -> usize {
        self.section_starts
            .get(usize::from(id))
            .copied()
            .unwrap_or(0)
    }

    fn print_offset(&self, offset: usize) -> usize {
        if self.options.section_offsets {
            offset.wrapping_sub(self.section_start(CODE))
        } else {
            offset
        }
    }

    fn on_local_decl(&mut self, count: u32, ty: ValType) {
        if !self.in_function_body {
            return;
        }
        let start = self.current_opcode_offset;
        let bytes = self.data.get(start..self.pos).unwrap_or(&[]);
        let mut line = format!(" {:06x}:", self.print_offset(start));
        for byte in bytes.iter().take(9) {
            let _ = write!(line, " {byte:02x}");
        }
        for _ in bytes.len()..9 {
            line.push_str("   ");
        }
        let _ = write!(line, " | local[{}", self.local_index);
        if count != 1 {
            let _ = write!(
                line,
                "..{}",
                self.local_index.wrapping_add(count).wrapping_sub(1)
            );
        }
        self.local_index = self.local_index.wrapping_add(count);
        let _ = writeln!(line, "] type={}", ty.name());
        self.print(&line);
        self.last_opcode_end = self.pos;
        self.current_opcode_offset = self.pos;
    }

    fn read_opcode(&mut self, desc: &str) -> R<(u8, u32)> {
        let byte = self.read_u8(desc)?;
        if opcodes::is_prefix(byte) {
            let code = self.read_u32_leb(desc)?;
            Ok((byte, code))
        } else {
            Ok((0, u32::from(byte)))
        }
    }

    fn read_instructions(&mut self, stop_on_end: bool, end: usize) -> R<()> {
        let mut final_opcode = None;
        self.read_instructions_tracking(stop_on_end, end, &mut final_opcode)
    }

    /// `ReadInstructions`: decodes (and in `-d`, prints) instructions until
    /// `end`, or, for a constant expression, until its `end` opcode.
    fn read_instructions_tracking(
        &mut self,
        stop_on_end: bool,
        end: usize,
        final_opcode: &mut Option<(u8, u32)>,
    ) -> R<()> {
        while self.pos < end {
            let (prefix, code) = self.read_opcode("opcode")?;
            let opcode_len = if prefix == 0 {
                1
            } else {
                1 + leb::u32_len(code)
            };
            if self.in_function_body {
                if self.last_opcode_end != 0 && self.pos != self.last_opcode_end + opcode_len {
                    let missing = self.last_opcode_end;
                    let byte = self.data.get(missing).copied().unwrap_or(0);
                    let name =
                        opcodes::lookup(0, u32::from(byte)).map_or("<invalid>", |(name, _)| name);
                    self.diagnostics.push(Diagnostic {
                        offset: self.pos,
                        warning: false,
                        message: format!(
                            "error: {} missing opcode callback at {} ({}={name})",
                            c_alt_hex(self.pos as u64),
                            c_alt_hex(missing as u64 + 1),
                            c_alt_hex(u64::from(byte)),
                        ),
                        located: false,
                    });
                    return Err(self.fail("OnOpcode callback failed"));
                }
                self.current_opcode_offset = self.pos;
            }
            let Some((name, imm)) = opcodes::lookup(prefix, code) else {
                let mut message = String::from("unexpected opcode:");
                if prefix != 0 {
                    let _ = write!(message, " 0x{prefix:x}");
                    for byte in leb::u32_bytes(code) {
                        let _ = write!(message, " 0x{byte:x}");
                    }
                } else {
                    let _ = write!(message, " 0x{code:x}");
                }
                return Err(self.fail(message));
            };
            *final_opcode = Some((prefix, code));
            if imm != Imm::End
                && let Some(insts) = &mut self.init_expr
            {
                insts.push(InitInst::Other(name));
            }
            let text = self.read_immediates(name, imm)?;
            if imm == Imm::End {
                if self.in_function_body {
                    if self.indent > 0 {
                        self.indent -= 1;
                    }
                    self.log_opcode(name, imm, None, opcode_len);
                }
                if stop_on_end {
                    return Ok(());
                }
                continue;
            }
            if self.in_function_body {
                self.log_opcode(name, imm, text.as_deref(), opcode_len);
                if matches!(imm, Imm::Block | Imm::TryTable) {
                    self.indent += 1;
                }
            }
        }
        Ok(())
    }

    /// Replaces the pending constant-expression instruction with what was
    /// read.
    fn set_init_inst(&mut self, inst: InitInst) {
        if let Some(last) = self.init_expr.as_mut().and_then(|insts| insts.last_mut()) {
            *last = inst;
        }
    }

    fn read_block_type(&mut self, desc: &str) -> R<Option<String>> {
        let ty = self.read_type(desc)?;
        let valid = ty.is_concrete()
            || ty == ValType::Code(ValType::VOID)
            || matches!(ty, ValType::Index(_));
        if !valid {
            return Err(self.fail("expected valid block signature type"));
        }
        Ok(match ty {
            ValType::Code(ValType::VOID) => None,
            other => Some(other.name()),
        })
    }

    fn read_memidx(&mut self, desc: &str) -> R<u32> {
        let index = self.read_u32_leb(desc)?;
        if !usize::try_from(index).is_ok_and(|i| i < self.memories_64.len()) {
            return Err(self.fail(format!("memory index {index} out of range")));
        }
        Ok(index)
    }

    /// `ReadMemLocation`: alignment (with the multi-memory bit), memory,
    /// offset (64-bit when memory **0** is 64-bit, as in WABT).
    fn read_mem_location(&mut self, name: &str, lane: bool) -> R<String> {
        let what = if name.contains("store") {
            "store"
        } else if name.contains("notify") {
            "notify"
        } else if name.contains("wait") {
            "wait"
        } else if name.contains("rmw") {
            "memory"
        } else {
            "load"
        };
        let align_desc = format!("{what} alignment");
        let mut align = self.read_u32_leb(&align_desc)?;
        if align >= 128 {
            return Err(self.fail(format!("invalid {align_desc}: {align}")));
        }
        let mut memory = 0;
        if align >> 6 != 0 {
            align &= 63;
            memory = self.read_memidx(&format!("{what} memidx"))?;
        }
        let offset_desc = format!("{what} offset");
        let Some(&is_64) = self.memories_64.first() else {
            return Err(self.fail(format!(
                "load/store memory 0 out of range {}",
                self.memories_64.len()
            )));
        };
        let offset = if is_64 {
            self.read_u64_leb(&offset_desc)?
        } else {
            u64::from(self.read_u32_leb(&offset_desc)?)
        };
        // WABT passes the offset through a 32-bit parameter.
        let offset = offset as u32;
        let mut text = if memory != 0 {
            format!("{align} {memory} {offset}")
        } else {
            format!("{align} {offset}")
        };
        if lane {
            let lane = self.read_u8("Lane idx")?;
            let _ = write!(text, " {lane}");
        }
        Ok(text)
    }

    /// Reads an instruction's immediates; returns the text after the
    /// mnemonic (`None` for none).
    fn read_immediates(&mut self, name: &'static str, imm: Imm) -> R<Option<String>> {
        Ok(match imm {
            Imm::Bare | Imm::Else | Imm::CatchAll | Imm::End => None,
            Imm::Block => {
                let desc = format!("{name} signature type");
                self.read_block_type(&desc)?
            }
            Imm::Catch => Some(format!("{}", self.read_u32_leb("tag index")? as i32)),
            Imm::Delegate => {
                let depth = self.read_u32_leb("depth")?;
                if self.in_function_body && self.indent > 0 {
                    self.indent -= 1;
                }
                Some(format!("{}", depth as i32))
            }
            Imm::Index(naming) => {
                let desc = match name {
                    "br" => "br depth",
                    "br_if" => "br_if depth",
                    "global.get" => "global.get global index",
                    "global.set" => "global.set global index",
                    "local.get" => "local.get local index",
                    "local.set" => "local.set local index",
                    "local.tee" => "local.tee local index",
                    "call" => "call function index",
                    "return_call" => "return_call",
                    "rethrow" => "catch depth",
                    "throw" => "tag index",
                    _ => "depth",
                };
                let index = self.read_u32_leb(desc)?;
                if naming == Naming::Global {
                    self.set_init_inst(InitInst::GlobalGet(index));
                }
                let label = match naming {
                    Naming::None => "",
                    Naming::Func => lookup(&self.names.functions, index),
                    Naming::Tag => lookup(&self.names.tags, index),
                    Naming::Global => lookup(&self.names.globals, index),
                    Naming::Local => self
                        .names
                        .locals
                        .get(&(self.current_function, index))
                        .map_or("", String::as_str),
                };
                Some(format!("{}{}", index as i32, Self::name_suffix(label)))
            }
            Imm::BrTable => {
                let count = self.read_count("br_table target count")?;
                let mut text = String::new();
                for _ in 0..count {
                    let target = self.read_u32_leb("br_table target depth")?;
                    let _ = write!(text, "{target} ");
                }
                let default = self.read_u32_leb("br_table default target depth")?;
                let _ = write!(text, "{default}");
                Some(text)
            }
            Imm::SelectT => {
                let count = self.read_count("num result types")?;
                let mut first = None;
                for _ in 0..count {
                    let ty = self.read_type("select result type")?;
                    if !ty.is_concrete() {
                        return Err(self.fail(format!(
                            "expected valid select result type (got {})",
                            text::type_code(ty.code_for_error())
                        )));
                    }
                    first.get_or_insert(ty);
                }
                first.map(ValType::name)
            }
            Imm::I32Const => {
                let value = self.read_s32_leb("i32.const value")?;
                self.set_init_inst(InitInst::I32(value));
                Some(value.to_string())
            }
            Imm::I64Const => {
                let value = self.read_s64_leb("i64.const value")?;
                self.set_init_inst(InitInst::I64(value));
                Some((value as i64).to_string())
            }
            Imm::F32Const => {
                let bits = self.read_f32("f32.const value")?;
                self.set_init_inst(InitInst::F32(bits));
                Some(f32_hex(bits))
            }
            Imm::F64Const => {
                let bits = self.read_f64("f64.const value")?;
                self.set_init_inst(InitInst::F64(bits));
                Some(f64_hex(bits))
            }
            Imm::V128 => {
                let desc = if name == "v128.const" {
                    "v128.const value"
                } else {
                    "Lane idx [16]"
                };
                let bytes = self.read_v128(desc)?;
                if name == "v128.const" {
                    self.set_init_inst(InitInst::V128(bytes));
                }
                Some(v128_words(&bytes))
            }
            Imm::CallIndirect => {
                let type_index = self.read_u32_leb("call_indirect signature index")?;
                let table = self.read_u32_leb("call_indirect table index")?;
                let table_name = Self::name_suffix(lookup(&self.names.tables, table));
                let type_name = Self::name_suffix(lookup(&self.names.types, type_index));
                Some(format!(
                    "{table}{table_name} (type {type_index}{type_name})"
                ))
            }
            Imm::TwoU32 => {
                let (first, second) = match name {
                    "return_call_indirect" => {
                        ("return_call_indirect", "return_call_indirect table index")
                    }
                    "table.init" => ("elem segment index", "reserved table index"),
                    "table.copy" => ("reserved table index", "table src"),
                    _ => ("index", "index"),
                };
                let a = self.read_u32_leb(first)?;
                let b = self.read_u32_leb(second)?;
                Some(format!("{a} {b}"))
            }
            Imm::U32 => {
                let desc = if name == "ref.func" {
                    "func index"
                } else if name == "elem.drop" {
                    "segment index"
                } else {
                    "table index"
                };
                let value = self.read_u32_leb(desc)?;
                if name == "ref.func" {
                    self.set_init_inst(InitInst::RefFunc(value));
                }
                Some(value.to_string())
            }
            Imm::MemArg => Some(self.read_mem_location(name, false)?),
            Imm::MemArgLane => Some(self.read_mem_location(name, true)?),
            Imm::Lane => Some(self.read_u8("Lane idx")?.to_string()),
            Imm::MemIdx => {
                let desc = format!("{name} memidx");
                Some(self.read_memidx(&desc)?.to_string())
            }
            Imm::MemoryCopy => {
                let src = self.read_memidx("memory.copy srcmemidx")?;
                let dst = self.read_memidx("memory.copy destmemindex")?;
                Some(format!("{src} {dst}"))
            }
            Imm::MemoryInit => {
                if self.data_count.is_none() {
                    return Err(self.fail("memory.init requires data count section"));
                }
                let segment = self.read_u32_leb("elem segment index")?;
                let memory = self.read_memidx("memory.init memidx")?;
                let label = Self::name_suffix(lookup(&self.names.data_segments, segment));
                Some(format!("{segment} {memory}{label}"))
            }
            Imm::DataDrop => {
                if self.data_count.is_none() {
                    return Err(self.fail("data.drop requires data count section"));
                }
                let segment = self.read_u32_leb("segment index")?;
                let label = lookup(&self.names.data_segments, segment);
                Some(if label.is_empty() {
                    segment.to_string()
                } else {
                    format!("{} <{label}>", segment as i32)
                })
            }
            Imm::RefNull => {
                let ty = self.read_null_type("ref.null type")?;
                self.set_init_inst(InitInst::RefNull);
                Some(ty.ref_kind_name())
            }
            Imm::AtomicFence => {
                let model = self.read_u8("consistency model")?;
                if model != 0 {
                    return Err(self.fail("atomic.fence consistency model must be 0"));
                }
                Some(model.to_string())
            }
            Imm::HeapType => {
                let heap = self.read_s64_leb("heap type")? as i64;
                Some(text::heap_type_name(heap))
            }
            Imm::BrOnCast => {
                let flags = self.read_u8("br_on_cast flags")?;
                let label = self.read_u32_leb("br_on_cast label")?;
                let from = self.read_s64_leb("heap type")? as i64;
                let to = self.read_s64_leb("heap type")? as i64;
                let from = ValType::Ref {
                    nullable: flags & 1 != 0,
                    heap: from,
                }
                .name();
                let to = ValType::Ref {
                    nullable: flags & 2 != 0,
                    heap: to,
                }
                .name();
                Some(format!("{label} {from} {to}"))
            }
            Imm::TryTable => {
                let block = self.read_block_type("try_table signature type")?;
                let count = self.read_count("try_table catch count")?;
                let mut text = block.unwrap_or_default();
                for _ in 0..count {
                    let kind = self.read_u8("catch kind")?;
                    let clause = match kind {
                        0 | 1 => {
                            let tag = self.read_u32_leb("tag index")?;
                            let label = self.read_u32_leb("catch label")?;
                            format!(
                                "({} {tag} {label})",
                                if kind == 0 { "catch" } else { "catch_ref" }
                            )
                        }
                        2 | 3 => {
                            let label = self.read_u32_leb("catch label")?;
                            format!(
                                "({} {label})",
                                if kind == 2 {
                                    "catch_all"
                                } else {
                                    "catch_all_ref"
                                }
                            )
                        }
                        other => return Err(self.fail(format!("invalid catch kind: {other}"))),
                    };
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&clause);
                }
                if text.is_empty() { None } else { Some(text) }
            }
        })
    }

    /// `LogOpcode`: the instruction's bytes, 9 to a line, then on the first
    /// line ` | `, the indentation and the text.
    fn log_opcode(&mut self, name: &str, imm: Imm, args: Option<&str>, opcode_len: usize) {
        let mut offset = self.current_opcode_offset.saturating_sub(opcode_len);
        let end = self.pos;
        let mut first = true;
        let mut line = String::new();
        while offset < end {
            let _ = write!(line, " {:06x}:", self.print_offset(offset));
            let mut i = 0;
            while offset < end && i < 9 {
                let _ = write!(line, " {:02x}", self.data.get(offset).copied().unwrap_or(0));
                offset += 1;
                i += 1;
            }
            for _ in i..9 {
                line.push_str("   ");
            }
            line.push_str(" | ");
            if first {
                first = false;
                let mut indent = self.indent;
                if matches!(imm, Imm::Else | Imm::Catch | Imm::CatchAll) {
                    indent -= 1;
                }
                for _ in 0..indent.max(0) {
                    line.push_str("  ");
                }
                line.push_str(name);
                if let Some(args) = args {
                    line.push(' ');
                    line.push_str(args);
                }
            }
            line.push('\n');
        }
        self.print(&line);
        self.last_opcode_end = end;
        if self.options.relocs
            && let Some(&reloc) = self.names.code_relocs.get(self.next_code_reloc)
        {
            let at = self.section_start(CODE) + reloc.offset as usize;
            if end > at {
                self.print_relocation(reloc, at);
                self.next_code_reloc += 1;
            }
        }
    }
}

/// A v128 as four little-endian 32-bit words, `0x%08x` each.
fn v128_words(bytes: &[u8; 16]) -> String {
    let words: Vec<String> = bytes
        .chunks_exact(4)
        .map(|w| {
            format!(
                "0x{:08x}",
                <[u8; 4]>::try_from(w).map_or(0, u32::from_le_bytes)
            )
        })
        .collect();
    words.join(" ")
}

mod leb {
    //! LEB128 numbers, read and written by the wasm crates' own code.
    //! wasmparser accepts and refuses the same encodings as WABT's readers
    //! (`src/leb128.cc`): at most 5 (or 10) bytes, the last one's unused
    //! bits zero (unsigned) or a sign extension (signed).

    use wasm_encoder::Encode;
    use wasmparser::BinaryReader;

    /// A number read by `read` from the start of `bytes`, and how many
    /// bytes it took; `None` if it is malformed or cut short.
    fn read<T>(
        bytes: &[u8],
        read: impl FnOnce(&mut BinaryReader<'_>) -> wasmparser::Result<T>,
    ) -> Option<(T, usize)> {
        let mut reader = BinaryReader::new(bytes, 0);
        let value = read(&mut reader).ok()?;
        Some((value, reader.current_position()))
    }

    pub(super) fn u32(bytes: &[u8]) -> Option<(u32, usize)> {
        read(bytes, |r| r.read_var_u32())
    }

    pub(super) fn u64(bytes: &[u8]) -> Option<(u64, usize)> {
        read(bytes, |r| r.read_var_u64())
    }

    /// A signed 32-bit number, as its two's-complement bits.
    pub(super) fn s32(bytes: &[u8]) -> Option<(u32, usize)> {
        read(bytes, |r| r.read_var_i32().map(|v| v as u32))
    }

    /// A signed 64-bit number, as its two's-complement bits.
    pub(super) fn s64(bytes: &[u8]) -> Option<(u64, usize)> {
        read(bytes, |r| r.read_var_i64().map(|v| v as u64))
    }

    /// The length of the shortest encoding of `value`.
    pub(super) fn u32_len(value: u32) -> usize {
        u32_bytes(value).len()
    }

    /// The shortest encoding of `value`.
    pub(super) fn u32_bytes(value: u32) -> Vec<u8> {
        let mut out = Vec::new();
        value.encode(&mut out);
        out
    }
}
