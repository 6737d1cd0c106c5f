//! Where a module's top-level sections lie in its bytes, and the one walk
//! over them that the index and the editing commands share.
//!
//! `Walk` drives wasmparser over one module or component and says, for
//! each payload, which section it opens and where that section's header,
//! contents and custom data start. Nested modules and components are single
//! sections at this level: their bytes belong to a parser of their own. The
//! code section is stepped into for the index, which needs every body, and
//! skipped as one by [`Layout::read`], which only places sections.

use std::ops::Range;

use wasmparser::{BinaryReader, Chunk, Encoding, Parser, Payload};

use crate::error::DecodeError;

/// One section of a module or component, where it lies in the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section id (0 for custom sections).
    pub id: u8,
    /// The whole section: id byte, size and contents.
    pub full: Range<usize>,
    /// The contents, after the size.
    pub content: Range<usize>,
    /// For a custom section, its name and where its data starts.
    pub custom: Option<(String, usize)>,
}

impl Section {
    /// The custom section's name, if this is one.
    pub fn custom_name(&self) -> Option<&str> {
        self.custom.as_ref().map(|(name, _)| name.as_str())
    }

    /// The custom section's data (after its name), or the whole contents.
    pub fn data<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        let start = self.custom.as_ref().map_or(self.content.start, |c| c.1);
        bytes.get(start..self.content.end).unwrap_or_default()
    }
}

/// The sections of one module or component, in order (nested modules and
/// components are single sections here).
#[derive(Debug, Clone)]
pub struct Layout {
    /// Module or component.
    pub encoding: Encoding,
    /// The preamble (magic and version).
    pub header: Range<usize>,
    /// Every section in the order it appears.
    pub sections: Vec<Section>,
}

impl Layout {
    /// Reads the section layout of `bytes`, a whole module or component.
    pub fn read(bytes: &[u8]) -> Result<Layout, DecodeError> {
        let mut layout = Layout {
            encoding: Encoding::Module,
            header: 0..0,
            sections: Vec::new(),
        };
        let mut walk = Walk::new(bytes, 0, Code::Skip);
        while let Some(step) = walk.step()? {
            if let Payload::Version {
                encoding, range, ..
            } = &step.payload
            {
                layout.encoding = *encoding;
                layout.header = to_usize(range.clone());
            }
            if let Some(section) = step.section {
                // Sections whose contents the walk skips are not bounded by
                // the parser; an edit copies them whole, so they must be there.
                if section.content.end > bytes.len() {
                    return Err(DecodeError::new(
                        section.content.start,
                        "section extends past the end of the module",
                    ));
                }
                layout.sections.push(section);
            }
        }
        Ok(layout)
    }

    /// Whether this is a relocatable object file (it has a `linking` section),
    /// which the linker still needs `reloc.*` and `target_features` in.
    pub fn is_object_file(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.custom_name() == Some("linking"))
    }

    /// The custom sections named `name`.
    pub fn customs<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections
            .iter()
            .filter(move |s| s.custom_name() == Some(name))
    }
}

/// What a [`Walk`] does with the code section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// Yield each function body as a payload of its own.
    Entries,
    /// Step over the whole section once its start is seen.
    Skip,
}

/// One payload of a walk, with where it starts and the section it opens.
pub(crate) struct Step<'a> {
    /// Offset in the input where the payload starts (a section's id byte).
    pub at: usize,
    /// The section this payload opens, if it opens one.
    pub section: Option<Section>,
    /// What wasmparser read there.
    pub payload: Payload<'a>,
}

/// The payloads of one module or component, read in order until its end.
pub(crate) struct Walk<'a> {
    parser: Parser,
    /// The module's own bytes.
    bytes: &'a [u8],
    /// Where `bytes` start in the input, so offsets are the input's.
    base: usize,
    /// How far into `bytes` the walk has read.
    pos: usize,
    code: Code,
}

impl<'a> Walk<'a> {
    /// A walk over `bytes`, which start at offset `base` of the input.
    pub(crate) fn new(bytes: &'a [u8], base: usize, code: Code) -> Walk<'a> {
        Walk {
            parser: Parser::new(base as u64),
            bytes,
            base,
            pos: 0,
            code,
        }
    }

    /// The next payload, or `None` at the end of the module.
    pub(crate) fn step(&mut self) -> Result<Option<Step<'a>>, DecodeError> {
        let at = self.base.saturating_add(self.pos);
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let (consumed, payload) = match self.parser.parse(rest, true)? {
            Chunk::Parsed { consumed, payload } => (consumed, payload),
            // With `eof` set the parser never asks for more data.
            Chunk::NeedMoreData(_) => {
                return Err(DecodeError::new(at, "unexpected end-of-file"));
            }
        };
        // Bytes past the payload's header that this walk does not read: a
        // nested module or component, or a skipped code section.
        let mut skip = 0usize;
        let section = match &payload {
            Payload::End(_) => return Ok(None),
            Payload::CodeSectionStart {
                unchecked_range,
                size,
                ..
            } => {
                if self.code == Code::Skip {
                    self.parser.skip_section();
                    // The entry count is read already: `size` is what is left.
                    skip = usize::try_from(*size).unwrap_or(usize::MAX);
                }
                Some(placed(at, 10, unchecked_range.clone(), None))
            }
            Payload::ModuleSection {
                unchecked_range, ..
            }
            | Payload::ComponentSection {
                unchecked_range, ..
            } => {
                // The parser has already moved past the nested bytes; only
                // our slice of the input needs to follow.
                skip = to_usize(unchecked_range.clone()).len();
                let id = payload.as_section().map_or(0, |(id, _)| id);
                Some(placed(at, id, unchecked_range.clone(), None))
            }
            Payload::CustomSection(reader) => {
                let data = usize::try_from(reader.data_offset()).unwrap_or(usize::MAX);
                let custom = (reader.name().to_string(), data);
                Some(placed(at, 0, reader.range(), Some(custom)))
            }
            other => other
                .as_section()
                .map(|(id, range)| placed(at, id, range, None)),
        };
        self.pos = self.pos.saturating_add(consumed).saturating_add(skip);
        Ok(Some(Step {
            at,
            section,
            payload,
        }))
    }
}

/// The section whose id byte is at `at` and whose contents are `content`.
fn placed(at: usize, id: u8, content: Range<u64>, custom: Option<(String, usize)>) -> Section {
    let content = to_usize(content);
    Section {
        id,
        full: at..content.end,
        content,
        custom,
    }
}

/// An offset range from wasmparser as one into the bytes in memory. Offsets
/// of data already in memory fit in usize; a range a corrupt header claims
/// may not, and saturates so that it lies past the end of any input.
pub(crate) fn to_usize(range: Range<u64>) -> Range<usize> {
    usize::try_from(range.start).unwrap_or(usize::MAX)
        ..usize::try_from(range.end).unwrap_or(usize::MAX)
}

/// Where the first entry of a code section starts: past the entry count at
/// the start of its contents (`contents`, a range of `bytes` as the parser
/// reports it). `None` if the count does not decode.
pub(crate) fn first_code_entry(bytes: &[u8], contents: &Range<u64>) -> Option<usize> {
    let start = usize::try_from(contents.start).ok()?;
    let mut reader = BinaryReader::new(bytes.get(start..)?, 0);
    reader.read_var_u32().ok()?;
    Some(start + reader.current_position())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(module (func) (@custom "hi" "there"))`, byte by byte.
    const MODULE: &[u8] = &[
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // preamble
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section
        0x03, 0x02, 0x01, 0x00, // function section
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section
        0x00, 0x08, 0x02, b'h', b'i', b't', b'h', b'e', b'r', b'e', // custom "hi"
    ];

    #[test]
    fn layout_places_header_sections_and_custom_data() {
        let layout = Layout::read(MODULE).unwrap();
        assert_eq!(layout.encoding, Encoding::Module);
        assert_eq!(layout.header, 0..8);
        let placed: Vec<_> = layout
            .sections
            .iter()
            .map(|s| (s.id, s.full.clone(), s.content.clone()))
            .collect();
        assert_eq!(
            placed,
            vec![
                (1, 8..14, 10..14),
                (3, 14..18, 16..18),
                (10, 18..24, 20..24),
                (0, 24..34, 26..34),
            ]
        );
        let custom = &layout.sections[3];
        assert_eq!(custom.custom, Some(("hi".to_string(), 29)));
        assert_eq!(custom.data(MODULE), b"there");
        assert_eq!(layout.sections[0].data(MODULE), &MODULE[10..14]);
        assert_eq!(layout.customs("hi").count(), 1);
        assert_eq!(layout.customs("there").count(), 0);
        assert!(!layout.is_object_file());
    }

    #[test]
    fn layout_steps_over_the_code_section_as_one() {
        // A body longer than the code section: the index reads the bodies
        // and fails, the layout only places the section.
        let mut bytes = MODULE.to_vec();
        bytes[21] = 3;
        let layout = Layout::read(&bytes).unwrap();
        assert_eq!(layout.sections.len(), 4);
        assert_eq!(layout.sections[2].full, 18..24);
        assert!(crate::index::ModuleIndex::build(&bytes).is_err());
    }

    #[test]
    fn layout_of_a_component_keeps_nested_modules_whole() {
        let text = r#"(component
            (core module (func))
            (core module)
            (@custom "after" "x"))"#;
        let bytes = crate::parse::parse_text(text, "c.wat").unwrap();
        let layout = Layout::read(&bytes).unwrap();
        assert_eq!(layout.encoding, Encoding::Component);
        let ids: Vec<u8> = layout.sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![1, 1, 0]);
        let first = &layout.sections[0];
        assert_eq!(&bytes[first.content.start..][..4], b"\0asm");
        assert_eq!(layout.sections[1].full.start, first.full.end);
        assert_eq!(layout.sections[2].custom_name(), Some("after"));
        assert_eq!(layout.sections[2].full.end, bytes.len());
    }

    #[test]
    fn layout_of_a_truncated_code_section_says_where_it_starts() {
        let truncated = std::fs::read(format!(
            "{}/testdata/truncated.wasm",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let err = Layout::read(&truncated).unwrap_err();
        assert_eq!(err.message, "section extends past the end of the module");
        assert_eq!(err.offset, 0x2d);
    }

    #[test]
    fn walk_yields_each_body_only_when_asked() {
        let count = |code| {
            let mut walk = Walk::new(MODULE, 0, code);
            let mut bodies = 0;
            while let Some(step) = walk.step().unwrap() {
                if let Payload::CodeSectionEntry(body) = step.payload {
                    assert_eq!(to_usize(body.range()), 22..24);
                    bodies += 1;
                }
            }
            bodies
        };
        assert_eq!(count(Code::Entries), 1);
        assert_eq!(count(Code::Skip), 0);
    }

    #[test]
    fn offsets_that_do_not_fit_saturate() {
        assert_eq!(to_usize(3..7), 3..7);
        if usize::BITS < 64 {
            assert_eq!(to_usize(0..u64::MAX), 0..usize::MAX);
        }
    }

    #[test]
    fn first_code_entry_is_past_the_count() {
        assert_eq!(first_code_entry(MODULE, &(20..24)), Some(21));
        assert_eq!(first_code_entry(MODULE, &(99..100)), None);
    }
}
