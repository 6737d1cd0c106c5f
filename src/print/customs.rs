//! Unknown custom sections (DWARF above all, often most of a debug build)
//! printed by us rather than by wasmprinter, byte for byte as it would, but
//! escaping the data a window at a time on every core.

use std::collections::HashMap;
use std::io;

use wasmprinter::{Print, PrintIoWrite};

/// Where wasmprinter would say each raw custom section stands (`after code`),
/// and the offset of its first line, by the offset of its data. `None` when the fast path does not apply: a
/// component, or a module with no other non-empty section (wasmprinter's
/// layout then depends on line counts this sink cannot see).
pub(super) fn raw_custom_places(bytes: &[u8]) -> Option<Places> {
    use wasmparser::{KnownCustom, Payload};
    if bytes.get(4..8) != Some(&[1, 0, 0, 0]) {
        return None;
    }
    let mut places = HashMap::new();
    let mut place = "before first";
    let mut other_sections = false;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        // A damaged module is left to the printer, which reports it.
        let Ok(payload) = payload else { return None };
        let after = match &payload {
            Payload::TypeSection(s) => (s.count() > 0).then_some("after type"),
            Payload::ImportSection(s) => (s.count() > 0).then_some("after import"),
            Payload::FunctionSection(s) => (s.count() > 0).then_some("after func"),
            Payload::TableSection(s) => (s.count() > 0).then_some("after table"),
            Payload::MemorySection(s) => (s.count() > 0).then_some("after memory"),
            Payload::TagSection(s) => (s.count() > 0).then_some("after tag"),
            Payload::GlobalSection(s) => (s.count() > 0).then_some("after global"),
            Payload::ExportSection(s) => (s.count() > 0).then_some("after export"),
            Payload::StartSection { .. } => Some("after start"),
            Payload::ElementSection(s) => (s.count() > 0).then_some("after elem"),
            Payload::CodeSectionEntry(_) => Some("after code"),
            Payload::DataSection(s) => (s.count() > 0).then_some("after data"),
            Payload::CustomSection(c) => {
                if matches!(c.as_known(), KnownCustom::Unknown) {
                    places.insert(c.data_offset(), (place, c.range().start));
                }
                None
            }
            _ => None,
        };
        if let Some(after) = after {
            place = after;
            other_sections = true;
        }
    }
    other_sections.then_some(places)
}

/// Unknown custom sections by the offset of their data: where they stand
/// and the offset of their line.
pub(super) type Places = HashMap<u64, (&'static str, u64)>;

/// Prints unknown custom sections (DWARF above all, often most of a debug
/// build) itself, byte for byte as wasmprinter would, but escaping the data
/// a chunk at a time instead of formatting every byte on its own.
pub(super) struct FastCustoms<W: io::Write> {
    pub(super) inner: PrintIoWrite<W>,
    pub(super) places: Places,
    /// Skeletons show `...` in place of the data.
    pub(super) skeleton: bool,
    /// Lines start with their offset.
    pub(super) offsets: bool,
}

impl<W: io::Write> Print for FastCustoms<W> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.inner.write_str(s)
    }

    fn start_line(&mut self, offset: Option<u64>) {
        self.inner.start_line(offset);
    }

    fn print_custom_section(&mut self, name: &str, offset: u64, data: &[u8]) -> io::Result<bool> {
        let Some(&(place, line)) = self.places.get(&offset) else {
            return Ok(false);
        };
        let mut text = String::with_capacity(name.len() + 32);
        text.push('\n');
        if self.offsets {
            text.push_str(&format!("(;@{line:<6x};)"));
        }
        text.push_str("  (@custom \"");
        for c in name.chars() {
            let v = c as u32;
            if (0x20..0x7f).contains(&v) && c != '"' && c != '\\' {
                text.push(c);
            } else {
                text.push_str(&format!("\\u{{{v:x}}}"));
            }
        }
        if self.skeleton {
            text.push_str(&format!("\" ({place}) ...)"));
            self.inner.write_str(&text)?;
            return Ok(true);
        }
        text.push_str(&format!("\" ({place}) \""));
        self.inner.write_str(&text)?;
        // Debug info can be most of a module: it is escaped on every core,
        // a window at a time so that memory stays bounded.
        use rayon::prelude::*;
        const WINDOW: usize = 8 << 20;
        const PIECE: usize = 1 << 20;
        for window in data.chunks(WINDOW) {
            let pieces: Vec<Vec<u8>> = window
                .par_chunks(PIECE)
                .map(|piece| {
                    let mut out = Vec::with_capacity(piece.len() * 3);
                    escape_bytes(piece, &mut out);
                    out
                })
                .collect();
            for piece in pieces {
                self.inner.0.write_all(&piece)?;
            }
        }
        self.inner.write_str("\")")?;
        Ok(true)
    }
}

/// Writes `data` as the inside of a text-format string, as wasmprinter does:
/// printable ASCII as it is, anything else (and `"` and `\`) as `\hh`.
fn escape_bytes(data: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in data {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(b);
        } else {
            // A byte's two halves are below 16, the table's length.
            #[allow(clippy::indexing_slicing)]
            let escaped = [b'\\', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            out.extend_from_slice(&escaped);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::print::{PrintOptions, print_to_string};

    #[test]
    fn fast_custom_sections_print_exactly_as_wasmprinter() {
        let text = r#"(module
            (@custom "first" (before first) "\00\01 \"quoted\" back\\slash")
            (type (func))
            (@custom ".debug_info" (after type) "\ff\fe abc \7f\80")
            (func (type 0))
            (@custom "caf\u{e9}" (after code) "")
            (@custom "name-like" (after code) "\0a\0d\09")
            (memory 1)
            (data (i32.const 0) "x")
            (@custom "last" (after data) "end"))"#;
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        let ours = print_to_string(&bytes, "t", &PrintOptions::default()).expect("prints");
        let theirs = wasmprinter::print_bytes(&bytes).expect("wasmprinter prints");
        assert_eq!(ours, theirs);
        let skeleton = PrintOptions {
            skeleton: true,
            ..PrintOptions::default()
        };
        let mut theirs = String::new();
        wasmprinter::Config::new()
            .print_skeleton(true)
            .print(&bytes, &mut wasmprinter::PrintFmtWrite(&mut theirs))
            .expect("wasmprinter prints");
        assert_eq!(
            print_to_string(&bytes, "t", &skeleton).expect("prints"),
            theirs
        );
        assert!(
            ours.contains(r#"(@custom ".debug_info" (after type) "\ff\fe abc \7f\80")"#),
            "{ours}"
        );
    }
}
