//! What WABT 1.0.32's `wasm-objdump` prints for `-h`, `-x`, `-d`, `-s` and
//! `-j SECTION`, byte for byte.
//!
//! # What wasm-objdump prints
//!
//! For each file: an empty line, then a **prepass** that prints
//! `<name>:\tfile format wasm 0x1` (and `module name: <m>` when the name
//! section has one), gathers names and is the only pass that reports decode
//! errors. Then, in this fixed order whatever the order of the flags, one
//! pass per mode: `-h` (`Sections:`, one `%9s start=%#010x end=%#010x
//! (size=%#010x)` line per section), `-x` (`Section Details:`, every item of
//! every section), `-d` (`Code Disassembly:`, every function body, nine
//! bytes to a line) and `-s` (a hex dump of each section's payload). Every
//! pass decodes the whole module again, and like WABT's reader goes on after
//! an error with the next section, so a malformed module prints what WABT
//! prints before and after the bad section.
//!
//! Names come from the prepass, a later source overriding an earlier one:
//! imports are named `module.field`, exports name their function or global,
//! then the `name` section. `-j NAME` (case-insensitive; a custom section by
//! its own name) filters `-x` and `-s`, is ignored by `-h` and `-d`, and
//! each of `-h`, `-x`, `-s` that finds no match reports `Section not found`.
//!
//! # Where we deliberately differ
//!
//! * WABT prints a stale or uninitialised number (`- init i64=1407...`,
//!   different on every run) for globals initialised by `ref.func`,
//!   `ref.null` or `v128.const`. We print what its source intends:
//!   `- init ref.func:N <name>`, `- init null`, `- init v128=0x... `.
//! * What WABT cannot read at all (it stops with a decode error) we print
//!   in the same layout: GC types (`(struct (mut i32) i64)`, `(array i8)`,
//!   with ` sub`/` sub final`/` super=N` after a subtype; recursion groups
//!   are flattened, the `Type[N]` count still counting groups), typed
//!   references (`(ref null 2)`, `(ref func)`), `anyref`/`exnref` and the
//!   other abstract types, 64-bit tables (` i64` after the limits), and the
//!   instructions of those proposals in `-d` (`struct.get 0 1`,
//!   `ref.cast null 3`, `br_on_cast 1 (ref null any) (ref 2)`,
//!   `try_table i32 (catch 0 1) (catch_all 2)`, which indents like
//!   `block`). The binary encodings WABT 1.0.32 used for these while they
//!   were drafts (a `ref` type code of 0x6b, `call_ref` with no immediate)
//!   are read with today's meaning instead.
//! * A component (version `0x1000d`) is reported as WABT reports it:
//!   `bad wasm file version: 0x1000d (expected 0x1)`.
//! * The `linking`, `reloc.*`, `dylink*` and `metadata.code.*` custom
//!   sections are not decoded: `-x` prints only their ` - name:` line, and
//!   `-r` prints no relocations.
//!
//! Reproduced although they are WABT bugs, because they are deterministic
//! and scripts see them: `i32.const` shown unsigned, passive segments in
//! `-x` showing the previous active segment's offset, memory offsets cut to
//! 32 bits in `-d`, and the `local[...]` numbering of `-d` (see
//! `Walker::begin_function_body`).

mod opcodes;
mod text;
mod walk;

use walk::{Mode, Names, Output, Walker};

/// Which passes to run, as wasm-objdump's flags choose them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-h`: the section headers.
    pub headers: bool,
    /// `-x`: the details of each section.
    pub details: bool,
    /// `-d`: the disassembly of the code.
    pub disassemble: bool,
    /// `-s`: a hex dump of each section.
    pub full_contents: bool,
    /// `-j NAME`: only this section in `-x` and `-s`.
    pub section: Option<String>,
    /// `--section-offsets`: `-d` offsets from the Code section's start.
    pub section_offsets: bool,
    /// `-r`: relocations (accepted; not printed, see the module docs).
    pub relocs: bool,
}

pub use super::Diagnostic;

/// What one file's dump printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dump {
    /// Everything for stdout, starting with the empty line.
    pub stdout: String,
    /// The stderr lines, in the order WABT writes them.
    pub diagnostics: Vec<Diagnostic>,
    /// How many passes printed `Section not found`.
    pub sections_not_found: usize,
    /// Whether the file failed (a decode error in a non-custom section or
    /// `-j` matching nothing): wasm-objdump then exits 1 and dumps no
    /// further files.
    pub failed: bool,
}

impl Dump {
    /// The whole of stderr for this file.
    pub fn stderr(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.line(None) + "\n")
            .collect()
    }
}

/// Dumps one module as wasm-objdump does. `display_name` is what goes before
/// `:\tfile format` (wasm-objdump uses the basename, or `<stdin>`).
///
/// Never panics; lengths in the input never size an allocation.
pub fn dump(bytes: &[u8], display_name: &str, options: &Options) -> Dump {
    let mut output = Output::new(None);
    let mut dump = run(bytes, display_name, options, &mut output);
    dump.stdout = output.text;
    dump
}

/// [`dump`], writing stdout to `sink` as it goes (in pieces of about 64
/// KiB) instead of keeping it: the disassembly of a large module is many
/// times its size. The returned [`Dump`]'s `stdout` is empty.
///
/// # Errors
///
/// The first error writing to `sink`; nothing more is written after it.
pub fn dump_to(
    bytes: &[u8],
    display_name: &str,
    options: &Options,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<Dump> {
    let mut output = Output::new(Some(sink));
    let dump = run(bytes, display_name, options, &mut output);
    output.flush();
    match output.error {
        Some(error) => Err(error),
        None => Ok(dump),
    }
}

/// The passes, in WABT's order, each one over the whole module.
fn run(bytes: &[u8], display_name: &str, options: &Options, output: &mut Output<'_>) -> Dump {
    let mut dump = Dump::default();
    let mut names = Names::default();
    output.text.push('\n');
    let modes = [
        (true, Mode::Prepass),
        (options.headers, Mode::Headers),
        (options.details, Mode::Details),
        (options.disassemble, Mode::Disassemble),
        (options.full_contents, Mode::RawData),
    ];
    for (_, mode) in modes.into_iter().filter(|(wanted, _)| *wanted) {
        let mut walker = Walker::new(
            bytes,
            mode,
            options,
            display_name,
            &mut names,
            output,
            &mut dump.diagnostics,
        );
        let failed = walker.read_module().is_err();
        dump.failed |= failed;
        dump.sections_not_found += usize::from(walker.section_not_found);
    }
    dump
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_to_writes_what_dump_keeps() {
        let mut text = String::from("(module (memory 1) (data (i32.const 8) \"abc\")");
        for i in 0..300 {
            text.push_str(&format!(
                "(func (param i32) (result i32) (i32.add (local.get 0) (i32.const {i})))"
            ));
        }
        text.push(')');
        let bytes = crate::parse::parse_text(&text, "t.wat").expect("parses");
        let options = Options {
            headers: true,
            details: true,
            disassemble: true,
            full_contents: true,
            ..Options::default()
        };
        let kept = dump(&bytes, "t.wasm", &options);
        let mut written = Vec::new();
        let streamed = dump_to(&bytes, "t.wasm", &options, &mut written).expect("writes");
        assert!(kept.stdout.len() > 1 << 16);
        assert_eq!(String::from_utf8(written).expect("UTF-8"), kept.stdout);
        assert_eq!(streamed.stdout, "");
        assert_eq!(streamed.diagnostics, kept.diagnostics);
    }

    #[test]
    fn bad_magic_prints_only_the_empty_line() {
        let dump = dump(
            b"\0asn\x01\0\0\0",
            "x.wasm",
            &Options {
                headers: true,
                ..Options::default()
            },
        );
        assert_eq!(dump.stdout, "\n");
        assert_eq!(dump.stderr(), "0000004: error: bad magic value\n");
        assert!(dump.failed);
    }

    #[test]
    fn empty_module_headers() {
        let dump = dump(
            b"\0asm\x01\0\0\0",
            "<stdin>",
            &Options {
                headers: true,
                ..Options::default()
            },
        );
        assert_eq!(
            dump.stdout,
            "\n<stdin>:\tfile format wasm 0x1\n\nSections:\n\n"
        );
        assert!(!dump.failed);
    }

    #[test]
    fn an_empty_type_section_shows_the_zero_size_quirk() {
        let dump = dump(
            b"\0asm\x01\0\0\0\x01\0",
            "e.wasm",
            &Options {
                headers: true,
                ..Options::default()
            },
        );
        assert_eq!(
            dump.stdout,
            "\ne.wasm:\tfile format wasm 0x1\n\nSections:\n\n     Type start=0x0000000a end=0x0000000a (size=0000000000) "
        );
        assert_eq!(
            dump.stderr(),
            "000000a: error: unable to read u32 leb128: type count\n"
        );
    }
}
