//! Reading just enough JavaScript to find Emscripten's import map and the
//! names its glue gives each export. Nothing is evaluated: the scanner
//! looks for the few shapes Emscripten writes and steps over everything
//! else (strings, comments, templates, nested brackets) by counting. Every
//! loop moves forward through the text, and the number of maps tried is
//! capped, so any input (50 MB, random bytes) is read in linear time.

/// The variables Emscripten keeps its import object in: `wasmImports` since
/// 3.1.32, `asmLibraryArg` before.
pub const IMPORT_MAP_NAMES: &[&str] = &["wasmImports", "asmLibraryArg"];

/// At most this many object literals are tried as import maps.
const MAX_MAPS: usize = 8;

/// At most this many entries are read from one map; Emscripten's largest
/// have a few thousand.
const MAX_ENTRIES: usize = 100_000;

/// One `key: value` of an import map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The import name the module uses (`b`, or `fd_write` unminified).
    pub key: String,
    /// The JavaScript function given for it (`___assert_fail`), or `None`
    /// when the value is written inline (`(a,b)=>...`).
    pub value: Option<String>,
    /// Byte offset of the key.
    pub offset: usize,
}

/// An object literal the glue hands to `WebAssembly.instantiate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMap {
    /// The variable it is assigned to.
    pub variable: String,
    /// Byte offset of its `{`.
    pub offset: usize,
    /// Its entries in order.
    pub entries: Vec<Entry>,
}

/// An export the glue reads under a name of its own:
/// `_malloc=wasmExports["e"]` or `Module["asm"]["e"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRef {
    /// The export name in the module (`e`).
    pub key: String,
    /// The JavaScript name it is assigned to (`_malloc`, `wasmMemory`).
    pub js: String,
    /// Byte offset of the key.
    pub offset: usize,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// A cursor over the text.
struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a [u8], at: usize) -> Self {
        Cursor { text, at }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.text.get(self.at + n).copied()
    }

    /// Steps over white space and comments.
    fn skip_space(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.at += 2;
                    while self.at < self.text.len() {
                        if self.peek() == Some(b'*') && self.peek_at(1) == Some(b'/') {
                            self.at += 2;
                            break;
                        }
                        self.at += 1;
                    }
                    self.at = self.at.min(self.text.len());
                }
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.at;
        while self.peek().is_some_and(is_ident_byte) {
            self.at += 1;
        }
        let bytes = self.text.get(start..self.at)?;
        if bytes.first().is_none_or(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(bytes).ok()
    }

    /// A quoted string without escapes (the only kind keys come in).
    fn plain_string(&mut self) -> Option<&'a str> {
        let quote = self.peek().filter(|q| matches!(q, b'"' | b'\''))?;
        let start = self.at + 1;
        let mut end = start;
        while let Some(&b) = self.text.get(end) {
            if b == quote {
                let s = std::str::from_utf8(self.text.get(start..end)?).ok()?;
                self.at = end + 1;
                return Some(s);
            }
            if b == b'\\' || b == b'\n' {
                return None;
            }
            end += 1;
        }
        None
    }

    /// Steps over a string or template literal starting at the cursor.
    fn skip_quoted(&mut self) {
        let Some(quote) = self.peek() else { return };
        self.at += 1;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'$' if quote == b'`' && self.peek() == Some(b'{') => {
                    // `${...}` holds code: its braces are counted, and a
                    // template inside it is not followed (it is rare, and
                    // only the end of the outer literal matters).
                    depth += 1;
                    self.at += 1;
                }
                b'}' if depth > 0 => depth -= 1,
                _ if b == quote && depth == 0 => break,
                _ => {}
            }
        }
        self.at = self.at.min(self.text.len());
    }

    /// Steps over one property value, up to the `,` or `}` that ends it at
    /// its own depth. Returns false at the end of the text.
    fn skip_value(&mut self) -> bool {
        let mut depth = 0usize;
        loop {
            self.skip_space();
            let Some(b) = self.peek() else { return false };
            match b {
                b'"' | b'\'' | b'`' => self.skip_quoted(),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b')' | b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                b',' | b'}' if depth == 0 => return true,
                _ => self.at += 1,
            }
        }
    }
}

/// Reads the object literal whose `{` is at `open`: its keys and, where a
/// value is a bare name, that name. `None` if it does not read as one.
pub fn object_at(text: &[u8], open: usize) -> Option<Vec<Entry>> {
    let mut c = Cursor::new(text, open);
    if c.peek() != Some(b'{') {
        return None;
    }
    c.at += 1;
    let mut entries = Vec::new();
    loop {
        c.skip_space();
        match c.peek()? {
            b'}' => return Some(entries),
            b',' => {
                c.at += 1;
                continue;
            }
            _ => {}
        }
        let offset = c.at;
        let key = match c.peek()? {
            b'"' | b'\'' => c.plain_string()?,
            _ => c.ident()?,
        }
        .to_string();
        c.skip_space();
        let value = match c.peek()? {
            // Shorthand `{ fd_write, ... }`.
            b',' | b'}' => Some(key.clone()),
            b':' => {
                c.at += 1;
                c.skip_space();
                let start = c.at;
                let name = c.ident().map(str::to_string);
                c.skip_space();
                match (name, c.peek()) {
                    (Some(name), Some(b',' | b'}')) => Some(name),
                    _ => {
                        c.at = start;
                        if !c.skip_value() {
                            return None;
                        }
                        None
                    }
                }
            }
            // A method (`f(){...}`), a getter: a value of its own.
            _ => {
                if !c.skip_value() {
                    return None;
                }
                None
            }
        };
        entries.push(Entry { key, value, offset });
        if entries.len() > MAX_ENTRIES {
            return None;
        }
    }
}

/// Finds `name` at `at` as a whole word followed by `=` (not `==` or `=>`),
/// and returns where the value starts.
fn assigned_at(text: &[u8], at: usize, name: &str) -> Option<usize> {
    let end = at + name.len();
    if text.get(at..end)? != name.as_bytes() {
        return None;
    }
    if at > 0
        && text
            .get(at - 1)
            .is_some_and(|&b| is_ident_byte(b) || b == b'.')
    {
        return None;
    }
    let mut c = Cursor::new(text, end);
    if c.peek().is_some_and(is_ident_byte) {
        return None;
    }
    c.skip_space();
    if c.peek() != Some(b'=') || matches!(c.peek_at(1), Some(b'=' | b'>')) {
        return None;
    }
    c.at += 1;
    c.skip_space();
    Some(c.at)
}

/// Where the object literal starts when `name` at `at` is assigned one
/// (`name = {`).
fn object_assigned(text: &[u8], at: usize, name: &str) -> Option<usize> {
    let value = assigned_at(text, at, name)?;
    (text.get(value) == Some(&b'{')).then_some(value)
}

/// Every occurrence of `needle` in `text`, in order.
fn find_all<'t>(text: &'t [u8], needle: &'t [u8]) -> impl Iterator<Item = usize> + 't {
    memchr::memmem::find_iter(text, needle)
}

/// The import maps Emscripten's glue assigns to its well-known variables.
pub fn named_maps(text: &[u8]) -> Vec<ObjectMap> {
    let mut maps = Vec::new();
    // Each object tried may run to the end of the text: the tries, not the
    // maps found, are what is counted.
    let mut tried = 0;
    for name in IMPORT_MAP_NAMES {
        for at in find_all(text, name.as_bytes()) {
            let Some(value) = object_assigned(text, at, name) else {
                continue;
            };
            tried += 1;
            if tried > MAX_MAPS {
                break;
            }
            if let Some(entries) = object_at(text, value) {
                maps.push(ObjectMap {
                    variable: name.to_string(),
                    offset: value,
                    entries,
                });
            }
        }
    }
    maps.sort_by_key(|m| m.offset);
    maps
}

/// Glue minified by Closure renames the map's variable: it is found from
/// the import object instead, `{a:X}` for the module name `a`, and then
/// `X={...}`.
pub fn map_through_import_object(text: &[u8], module: &str) -> Option<ObjectMap> {
    let forms = [
        format!("{{{module}:"),
        format!("{{\"{module}\":"),
        format!("{{'{module}':"),
    ];
    // Finding `{a:X}` is cheap and done everywhere; reading an object may
    // run to the end of the text, and is done at most MAX_MAPS times.
    let mut parsed = 0;
    // Each variable is looked for once, and at most MAX_MAPS of them (each
    // look is a pass over the text).
    let mut looked_up: Vec<&str> = Vec::new();
    for form in &forms {
        for at in find_all(text, form.as_bytes()) {
            let mut c = Cursor::new(text, at + form.len());
            c.skip_space();
            let Some(variable) = c.ident() else { continue };
            c.skip_space();
            if c.peek() != Some(b'}')
                || IMPORT_MAP_NAMES.contains(&variable)
                || looked_up.contains(&variable)
            {
                continue;
            }
            if looked_up.len() >= MAX_MAPS {
                return None;
            }
            looked_up.push(variable);
            let pattern = format!("{variable}=");
            for def in find_all(text, pattern.as_bytes()) {
                let Some(value) = object_assigned(text, def, variable) else {
                    continue;
                };
                parsed += 1;
                if parsed > MAX_MAPS {
                    return None;
                }
                if let Some(entries) = object_at(text, value) {
                    return Some(ObjectMap {
                        variable: variable.to_string(),
                        offset: value,
                        entries,
                    });
                }
            }
        }
    }
    None
}

/// The forms the glue reads an export by: the export name follows as a
/// quoted string and a `]`.
const EXPORT_READS: &[&str] = &[
    "wasmExports[",
    "Module[\"asm\"][",
    "Module['asm'][",
    "Module.asm[",
];

/// How far back from an export read the name it is assigned to is looked
/// for.
const LOOK_BACK: usize = 256;

/// The exports the glue assigns to names of its own, first name per export.
pub fn export_refs(text: &[u8]) -> Vec<ExportRef> {
    let mut refs: Vec<ExportRef> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for form in EXPORT_READS {
        for at in find_all(text, form.as_bytes()) {
            let mut c = Cursor::new(text, at + form.len());
            let offset = c.at;
            let Some(key) = c.plain_string() else {
                continue;
            };
            if c.peek() != Some(b']') {
                continue;
            }
            let Some(js) = assigned_name(text, at) else {
                continue;
            };
            if seen.insert(key.to_string()) {
                refs.push(ExportRef {
                    key: key.to_string(),
                    js,
                    offset,
                });
            }
        }
    }
    refs.sort_by_key(|r| r.offset);
    refs
}

/// The name an expression starting at `at` is assigned to, read backwards:
/// `NAME=`, `Module["NAME"]=`, or `addOnInit(` (the constructors).
fn assigned_name(text: &[u8], at: usize) -> Option<String> {
    let floor = at.saturating_sub(LOOK_BACK);
    let mut i = at;
    let back_space = |mut i: usize| {
        while i > floor && text.get(i - 1).is_some_and(|b| b.is_ascii_whitespace()) {
            i -= 1;
        }
        i
    };
    i = back_space(i);
    if i >= floor + "addOnInit(".len() && text.get(i - "addOnInit(".len()..i)? == b"addOnInit(" {
        return Some("___wasm_call_ctors".to_string());
    }
    if i == floor || text.get(i - 1) != Some(&b'=') {
        return None;
    }
    i -= 1;
    // Not `==`, `!=`, `<=`, `>=`, `+=`...
    if i > floor
        && text
            .get(i - 1)
            .is_some_and(|b| b"=!<>+-*/%&|^?".contains(b))
    {
        return None;
    }
    i = back_space(i);
    if i > floor && text.get(i - 1) == Some(&b']') {
        // `Module["_malloc"]=`: the name is the quoted key.
        let close = i - 1;
        let quote = *text.get(close.checked_sub(1)?)?;
        if !matches!(quote, b'"' | b'\'') {
            return None;
        }
        let end = close - 1;
        let start = text.get(floor..end)?.iter().rposition(|&b| b == quote)? + floor + 1;
        let name = std::str::from_utf8(text.get(start..end)?).ok()?;
        return (!name.is_empty() && name.bytes().all(is_ident_byte)).then(|| name.to_string());
    }
    let end = i;
    while i > floor && text.get(i - 1).is_some_and(|&b| is_ident_byte(b)) {
        i -= 1;
    }
    if i == end || (i > 0 && text.get(i - 1) == Some(&b'.')) {
        return None;
    }
    let name = std::str::from_utf8(text.get(i..end)?).ok()?;
    (!name.bytes().next().is_some_and(|b| b.is_ascii_digit())).then(|| name.to_string())
}
