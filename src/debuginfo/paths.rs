//! Source file names as debug info means them, moved to where the sources
//! are on this machine, and the text of those sources.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

/// One `--source-prefix OLD=NEW`: file names that start with OLD are read
/// from NEW instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrefixMap {
    /// What the debug info says.
    pub from: String,
    /// Where the files are here.
    pub to: String,
}

impl std::str::FromStr for PrefixMap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('=') {
            Some((from, to)) if !from.is_empty() => Ok(PrefixMap {
                from: from.to_string(),
                to: to.to_string(),
            }),
            _ => Err(format!("`{s}` is not OLD=NEW")),
        }
    }
}

/// The file name with the longest matching prefix replaced (a later map
/// wins a tie), or unchanged.
pub fn remap(name: &str, maps: &[PrefixMap]) -> String {
    let best = maps
        .iter()
        .enumerate()
        .filter(|(_, m)| starts_with_dir(name, &m.from))
        .max_by_key(|(i, m)| (m.from.len(), *i));
    match best {
        Some((_, m)) => format!("{}{}", m.to, &name[m.from.len()..]),
        None => name.to_string(),
    }
}

/// Whether `prefix` is `name` itself or a leading run of whole path parts.
fn starts_with_dir(name: &str, prefix: &str) -> bool {
    let Some(rest) = name.strip_prefix(prefix) else {
        return false;
    };
    rest.is_empty()
        || prefix.ends_with(['/', '\\'])
        || rest.starts_with(['/', '\\'])
        || prefix.ends_with("://")
}

/// Undoes the gluing of a file name that was already absolute in its own
/// way onto a directory: DWARF readers join a line table's directory and
/// file name unless the name starts with `/` or a drive, so a unit compiled
/// by wasi-sdk can come out as `/build/wasisdk://v33/src/a.c`. A name with a
/// URL scheme (`wasisdk://`, `file://`, `https://`) stands on its own; the
/// last one in the path is the real start.
pub fn unglue(joined: &str) -> &str {
    let bytes = joined.as_bytes();
    let mut start = 0;
    let mut search = 0;
    while let Some(pos) = joined.get(search..).and_then(|s| s.find("://")) {
        let colon = search + pos;
        // Walk back over the scheme's characters.
        let mut s = colon;
        while s > 0
            && bytes
                .get(s - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            s -= 1;
        }
        let scheme_ok = s < colon && bytes.get(s).is_some_and(u8::is_ascii_alphabetic);
        let at_boundary = s == 0 || matches!(bytes.get(s - 1), Some(b'/' | b'\\'));
        if scheme_ok && at_boundary {
            start = s;
        }
        search = colon + 3;
    }
    joined.get(start..).unwrap_or(joined)
}

/// A file name as debug info means it, tidied: not glued onto a directory
/// when it has a scheme of its own ([`unglue`]), and without the `.` parts
/// that joining `.` directories leaves (`././src/a.c` is `./src/a.c`,
/// `/build/./a.h` is `/build/a.h`).
pub fn tidy(joined: &str) -> String {
    let name = unglue(joined);
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    // Leading `./` parts: keep one, so a relative name stays visibly so.
    if rest.starts_with("./") {
        while let Some(r) = rest.strip_prefix("./") {
            rest = r;
        }
        out.push_str("./");
    }
    let mut parts = rest.split('/').peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if part == "." && !first && parts.peek().is_some() {
            continue;
        }
        if !first {
            out.push('/');
        }
        out.push_str(part);
        first = false;
    }
    out
}

/// Source files read on demand and kept, for showing source lines. A file
/// that cannot be read (or is too large to be a source file) is remembered
/// as missing.
#[derive(Debug, Default)]
pub struct SourceFiles {
    files: Mutex<HashMap<PathBuf, Option<Arc<SourceText>>>>,
    /// Texts embedded in the debug info (a source map's `sourcesContent`),
    /// by the name the debug info gives.
    embedded: HashMap<String, Arc<SourceText>>,
}

/// Files larger than this are not read as source.
const MAX_SOURCE: u64 = 64 << 20;

/// A source file split into lines.
#[derive(Debug)]
pub struct SourceText {
    text: String,
    starts: Vec<usize>,
}

impl SourceText {
    /// Splits a text into lines.
    pub fn new(text: String) -> SourceText {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceText { text, starts }
    }

    /// Line `n` (counted from 1), without its line break.
    pub fn line(&self, n: u32) -> Option<&str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end)?;
        if start == self.text.len() {
            return None;
        }
        Some(line.trim_end_matches(['\n', '\r']))
    }

    /// How many lines the file has.
    pub fn lines(&self) -> usize {
        let n = self.starts.len();
        if self.text.ends_with('\n') || self.text.is_empty() {
            n - 1
        } else {
            n
        }
    }
}

impl SourceFiles {
    /// A cache that also knows texts embedded in the debug info.
    pub fn with_embedded(embedded: HashMap<String, Arc<SourceText>>) -> SourceFiles {
        SourceFiles {
            files: Mutex::default(),
            embedded,
        }
    }

    /// The text of a source file: embedded in the debug info under `name`,
    /// or read from `path` (already remapped).
    pub fn get(&self, name: &str, path: &Path) -> Option<Arc<SourceText>> {
        if let Some(text) = self.embedded.get(name) {
            return Some(text.clone());
        }
        let mut files = self.files.lock().ok()?;
        if let Some(known) = files.get(path) {
            return known.clone();
        }
        let read = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file() && m.len() <= MAX_SOURCE)
            .and_then(|_| std::fs::read(path).ok())
            .map(|bytes| {
                Arc::new(SourceText::new(
                    String::from_utf8_lossy(&bytes).into_owned(),
                ))
            });
        files.insert(path.to_path_buf(), read.clone());
        read
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_scheme_are_not_glued_onto_directories() {
        assert_eq!(unglue("/src/a.c"), "/src/a.c");
        assert_eq!(
            unglue("wasisdk://v33.0+m/src/a.c"),
            "wasisdk://v33.0+m/src/a.c"
        );
        assert_eq!(
            unglue("/home/me/build/wasisdk://v33.0+m/src/a.c"),
            "wasisdk://v33.0+m/src/a.c"
        );
        assert_eq!(
            unglue("wasisdk://v33.0+m/build/wasisdk://v33.0+m/src/a.c"),
            "wasisdk://v33.0+m/src/a.c"
        );
        // `://` not after a scheme at a path boundary is part of a name.
        assert_eq!(unglue("/src/9p://x.c"), "/src/9p://x.c");
        assert_eq!(unglue("/src/-a://x.c"), "/src/-a://x.c");
        assert_eq!(unglue("://x"), "://x");
    }

    #[test]
    fn joined_names_are_tidied() {
        assert_eq!(tidy("././libc/src/a.c"), "./libc/src/a.c");
        assert_eq!(tidy("/build/cdemo/./stats.h"), "/build/cdemo/stats.h");
        assert_eq!(tidy("/a/././b.c"), "/a/b.c");
        assert_eq!(
            tidy("/build/wasisdk://v30/src/./x.c"),
            "wasisdk://v30/src/x.c"
        );
        assert_eq!(tidy("a.c"), "a.c");
        assert_eq!(tidy("dir/."), "dir/.");
        assert_eq!(tidy("./a.c"), "./a.c");
    }

    #[test]
    fn the_longest_prefix_is_remapped_on_path_boundaries() {
        let maps: Vec<PrefixMap> = ["/build=/home/me/src", "/build/tally=here/tally"]
            .iter()
            .map(|s| s.parse().expect("OLD=NEW"))
            .collect();
        assert_eq!(
            remap("/build/tally/src/main.rs", &maps),
            "here/tally/src/main.rs"
        );
        assert_eq!(remap("/build/x.c", &maps), "/home/me/src/x.c");
        assert_eq!(remap("/buildings/x.c", &maps), "/buildings/x.c");
        assert_eq!(remap("/rustc/abc/lib.rs", &maps), "/rustc/abc/lib.rs");
        let scheme: PrefixMap = "wasisdk://v33.0+m/=/opt/wasi/".parse().expect("OLD=NEW");
        assert_eq!(
            remap("wasisdk://v33.0+m/src/a.c", &[scheme]),
            "/opt/wasi/src/a.c"
        );
        assert!("=x".parse::<PrefixMap>().is_err());
        assert!("nothing".parse::<PrefixMap>().is_err());
    }

    #[test]
    fn source_lines_are_counted_from_one() {
        let text = SourceText::new("fn a() {\r\n    b();\n}\n".to_string());
        assert_eq!(text.line(1), Some("fn a() {"));
        assert_eq!(text.line(2), Some("    b();"));
        assert_eq!(text.line(3), Some("}"));
        assert_eq!(text.line(4), None);
        assert_eq!(text.line(0), None);
        assert_eq!(text.lines(), 3);
        let unterminated = SourceText::new("a\nb".to_string());
        assert_eq!(unterminated.line(2), Some("b"));
        assert_eq!(unterminated.lines(), 2);
    }
}
