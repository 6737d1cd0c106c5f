//! Source maps for wasm (what Emscripten's `-gsource-map` and
//! AssemblyScript's `--sourceMap` write): Source Map v3 whose generated line
//! is always 1 and whose generated column is a byte offset in the module.

use std::collections::HashMap;
use std::sync::Arc;

use super::paths::SourceText;

/// A source map, parsed.
#[derive(Debug)]
pub struct SourceMap {
    map: sourcemap::SourceMap,
}

/// What a source map says about one byte of the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The module offset of the mapping that covers the byte.
    pub from: u32,
    /// The source file as the map names it (with its `sourceRoot`).
    pub file: Option<String>,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
    /// The name the map gives, if any.
    pub name: Option<String>,
}

impl SourceMap {
    /// Parses a source map (JSON, or an index map, which is flattened).
    pub fn parse(bytes: &[u8]) -> Result<SourceMap, String> {
        let decoded = sourcemap::decode_slice(bytes).map_err(|e| one_line(&e.to_string()))?;
        let map = match decoded {
            sourcemap::DecodedMap::Regular(map) => map,
            sourcemap::DecodedMap::Index(index) => {
                index.flatten().map_err(|e| one_line(&e.to_string()))?
            }
            sourcemap::DecodedMap::Hermes(hermes) => (*hermes).clone(),
        };
        Ok(SourceMap { map })
    }

    /// The mapping at or before a module offset, if the map has one and it
    /// points at a source.
    pub fn lookup(&self, offset: u32) -> Option<Mapped> {
        let token = self.map.lookup_token(0, offset)?;
        if token.get_dst_line() != 0 {
            return None;
        }
        let file = token.get_source().map(|s| self.full_name(s));
        file.as_ref()?;
        Some(Mapped {
            from: token.get_dst_col(),
            file,
            line: token.get_src_line().saturating_add(1),
            column: token.get_src_col().saturating_add(1),
            name: token.get_name().map(str::to_string),
        })
    }

    /// Every mapping in module order: `(module offset, file, line)`.
    pub fn mappings(&self) -> impl Iterator<Item = (u32, Option<String>, u32)> + '_ {
        self.map
            .tokens()
            .filter(|t| t.get_dst_line() == 0)
            .map(|t| {
                (
                    t.get_dst_col(),
                    t.get_source().map(|s| self.full_name(s)),
                    t.get_src_line().saturating_add(1),
                )
            })
    }

    /// A source's name: the crate has already put `sourceRoot` in front.
    fn full_name(&self, source: &str) -> String {
        source.to_string()
    }

    /// The sources whose text the map carries (`sourcesContent`), by name.
    pub fn embedded_sources(&self) -> HashMap<String, Arc<SourceText>> {
        let mut out = HashMap::new();
        for (i, name) in self.map.sources().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if let Some(text) = self.map.get_source_contents(i) {
                out.insert(
                    self.full_name(name),
                    Arc::new(SourceText::new(text.to_string())),
                );
            }
        }
        out
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
