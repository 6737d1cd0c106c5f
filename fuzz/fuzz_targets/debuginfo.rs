//! The debug-info layer and what `symbolize` reads: a module with DWARF
//! sections and a source map made from the input, opened and asked about
//! its code byte by byte, its line rows and its summary, down to JSON; and
//! lines of text read as backtrace frames and as addresses, then resolved.
//!
//! Input: a flags byte; a slice of text (frames and addresses, a line
//! each); a slice of source map; then, with flag bit 0, the rest is a whole
//! module, else a small module is built: a byte for the number of bodies
//! and one for each body's size, a byte saying which `.debug_*` sections
//! are present, and a slice for each.
//!
//! Must hold: every address in a function has at least one frame, and only
//! the outermost frame is not inlined; a frame line's lead is the start of
//! the line and its span lies within it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::debuginfo::{
    Companions, DebugInfo, DebugOptions, Links, Place, PrefixMap, SourceMap, summarise,
};
use wasmscope::input::{Input, Loaded};
use wasmscope::symbolize::{self, Address, parse_frame, parse_number};
use wasmscope_fuzz::Bytes;

/// The sections a built module may carry, in the order the presence byte's
/// bits name them.
const SECTIONS: [&str; 8] = [
    ".debug_info",
    ".debug_abbrev",
    ".debug_line",
    ".debug_str",
    ".debug_line_str",
    ".debug_ranges",
    ".debug_rnglists",
    ".debug_str_offsets",
];

/// At most this many lookups a module, spread over its code.
const LOOKUPS: usize = 2048;

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let flags = input.byte();
    let text = String::from_utf8_lossy(input.slice()).into_owned();
    let map = input.slice();
    let module = if flags & 1 != 0 {
        input.rest().to_vec()
    } else {
        built(&mut input, flags & 0x40 != 0)
    };
    let code_relative = flags & 2 != 0;

    // What symbolize reads from its command line and stdin.
    let lines: Vec<&str> = text.lines().take(256).collect();
    for line in &lines {
        if let Some(frame) = parse_frame(line) {
            assert!(
                line.starts_with(&frame.lead),
                "lead {:?} of {line:?}",
                frame.lead
            );
            assert!(
                line.get(frame.span.clone()).is_some(),
                "span {:?} of {line:?}",
                frame.span
            );
        }
        let _ = Address::parse(line, code_relative);
        let _ = parse_number(line);
    }

    let Ok(loaded) = Loaded::from_input(Input::from_bytes("fuzz.wasm", module)) else {
        return;
    };
    let index = &loaded.index;
    let _ = serde_json::to_string(&summarise(index, &loaded.bytes));
    let _ = Links::read(index, &loaded.bytes);
    if index.component {
        return;
    }

    let mut companions = Companions::default();
    if flags & 4 != 0
        && let Ok(map) = SourceMap::parse(map)
    {
        let _ = map.embedded_sources();
        companions.source_map = Some(("fuzz.map".to_string(), map));
    }
    let options = DebugOptions {
        raw_names: flags & 8 != 0,
        prefixes: if flags & 0x10 != 0 {
            vec![PrefixMap {
                from: "/".to_string(),
                to: "src/".to_string(),
            }]
        } else {
            Vec::new()
        },
        ..DebugOptions::default()
    };
    let debug = DebugInfo::new(&loaded, &companions, &options);
    let _ = debug.has_lines();

    let bodies: Vec<_> = index
        .defined_functions()
        .filter_map(|f| f.body.clone())
        .collect();
    let code: usize = bodies.iter().map(|b| b.len()).sum();
    let step = (code / LOOKUPS).max(1);
    for body in &bodies {
        let ends = [body.start, body.end.saturating_sub(1), body.end];
        for address in body.clone().step_by(step).chain(ends) {
            check(&debug.lookup(address));
        }
        if let Ok(rows) = debug.rows(body.clone()) {
            let _ = serde_json::to_string(&rows);
        }
    }
    let _ = debug.rows(0..loaded.bytes.len());
    for address in [0, loaded.bytes.len(), usize::MAX] {
        check(&debug.lookup(address));
    }

    // The lines as addresses given on the command line, and as a backtrace.
    let inputs: Vec<String> = lines.iter().take(16).map(|l| l.to_string()).collect();
    if let Ok(resolved) = symbolize::addresses(&debug, index, &inputs, code_relative) {
        for r in &resolved {
            check(&r.place);
        }
        let _ = serde_json::to_string(&resolved);
    }
    let frames = symbolize::backtrace(&debug, index, &text);
    for f in &frames {
        check(&f.place);
    }
    let _ = serde_json::to_string(&frames);
});

/// What every lookup must give: frames for an address in a function (at
/// least the function, however little is known of it), inlined frames
/// first and only the last one not inlined.
fn check(place: &Place) {
    if place.function_index.is_some() {
        assert!(!place.frames.is_empty(), "no frame: {place:?}");
    }
    if let Some((outer, inner)) = place.frames.split_last() {
        assert!(!outer.inlined, "the outer frame is inlined: {place:?}");
        assert!(inner.iter().all(|f| f.inlined), "{place:?}");
    }
    let _ = serde_json::to_string(place);
    for frame in &place.frames {
        let _ = frame.place();
    }
}

/// A module of `nop` bodies with the `.debug_*` sections the input gives,
/// and a name section naming the first function when `named`.
fn built(input: &mut Bytes<'_>, named: bool) -> Vec<u8> {
    let count = 1 + usize::from(input.byte() % 8);
    let sizes: Vec<usize> = (0..count).map(|_| usize::from(input.byte())).collect();
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    section(&mut module, 1, &[1, 0x60, 0, 0]);
    let mut functions = leb(count);
    functions.extend(std::iter::repeat_n(0, count));
    section(&mut module, 3, &functions);
    let mut code = leb(count);
    for size in sizes {
        // No locals, `size` nops, end.
        let mut body = vec![0];
        body.extend(std::iter::repeat_n(0x01, size));
        body.push(0x0b);
        code.extend(leb(body.len()));
        code.extend(body);
    }
    section(&mut module, 10, &code);
    let present = input.byte();
    for (bit, name) in SECTIONS.iter().enumerate() {
        if present & (1 << bit) != 0 {
            custom(&mut module, name, input.slice());
        }
    }
    if named {
        // Subsection 1, function names: function 0 is `f`.
        let names = [1, 4, 1, 0, 1, b'f'];
        custom(&mut module, "name", &names);
    }
    module
}

fn leb(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn section(module: &mut Vec<u8>, id: u8, contents: &[u8]) {
    module.push(id);
    module.extend(leb(contents.len()));
    module.extend(contents);
}

fn custom(module: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut contents = leb(name.len());
    contents.extend(name.as_bytes());
    contents.extend(data);
    section(module, 0, &contents);
}
