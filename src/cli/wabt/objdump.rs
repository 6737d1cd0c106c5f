//! `wasm-objdump`: the options and the loop over files; the layouts are
//! the library's (`wasmscope::wabt::objdump`).

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use wasmscope::wabt::objdump;

use super::options::{Matches, Opt};
use super::{Failed, Outcome, read_input};

pub const AFTER_HELP: &str = "examples:
  wasm-objdump -h app.wasm          the section headers
  wasm-objdump -x app.wasm          every section's entries
  wasm-objdump -d app.wasm          the code, disassembled
  wasm-objdump -s -j name app.wasm  the bytes of the name section
  wasm-objdump -hxd a.wasm b.wasm

The layouts are WABT 1.0.32's byte for byte. Where WABT cannot read a module
(GC, typed function references, exnref, 64-bit tables) wasmscope prints it in
the same layout. Passes run in the order -h, -x, -d, -s whatever the order of
the flags; -j filters -x and -s.
Exit status: 0 printed, 1 anything else (a module that does not decode, or a
section -j names that no module has).";

pub fn options() -> Vec<Opt> {
    vec![
        Opt::flag("headers", Some('h'), "Print the section headers"),
        Opt::value(
            "section",
            Some('j'),
            "SECTION",
            "Select just one section (by kind, or a custom section by name)",
        ),
        Opt::flag(
            "full-contents",
            Some('s'),
            "Print the raw bytes of each section",
        ),
        Opt::flag("disassemble", Some('d'), "Disassemble function bodies"),
        Opt::flag("debug", None, "Log each section read to stderr"),
        Opt::flag("details", Some('x'), "Print the entries of each section"),
        Opt::flag(
            "reloc",
            Some('r'),
            "Show relocations inline with the disassembly",
        ),
        Opt::flag(
            "section-offsets",
            None,
            "Print offsets from the start of the code section, not of the file",
        ),
    ]
}

pub fn run(matches: &Matches) -> Outcome {
    let options = objdump::Options {
        headers: matches.flag("headers"),
        details: matches.flag("details"),
        disassemble: matches.flag("disassemble"),
        full_contents: matches.flag("full-contents"),
        section: matches.value("section").map(str::to_string),
        section_offsets: matches.flag("section-offsets"),
        relocs: matches.flag("reloc"),
    };
    if !(options.headers || options.details || options.disassemble || options.full_contents) {
        return Err(Failed::Lines(vec![
            "At least one of the following switches must be given:".to_string(),
            " -d/--disassemble".to_string(),
            " -h/--headers".to_string(),
            " -x/--details".to_string(),
            " -s/--full-contents".to_string(),
        ]));
    }
    for file in &matches.files {
        let (name, bytes) = read_input(file)?;
        let display = if name == "-" {
            "<stdin>".to_string()
        } else {
            Path::new(file)
                .file_name()
                .map_or(name.clone(), |base| base.to_string_lossy().into_owned())
        };
        if matches.flag("debug") {
            super::log_sections(&bytes, &mut io::stderr().lock());
        }
        // The dump goes out as it is made: a disassembly is many times the
        // module's size.
        let dump = {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            objdump::dump_to(&bytes, &display, &options, &mut out)
                .and_then(|dump| out.flush().map(|()| dump))
                .map_err(|e| {
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        Failed::BrokenPipe
                    } else {
                        Failed::Lines(vec![format!("-: {}", super::io_message(&e))])
                    }
                })?
        };
        let lines: Vec<String> = dump.diagnostics.iter().map(|d| d.line(None)).collect();
        // A file that fails ends the run: the files after it are not read.
        if dump.failed {
            return Err(Failed::Lines(lines));
        }
        let mut err = io::stderr().lock();
        for line in lines {
            let _ = writeln!(err, "{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
