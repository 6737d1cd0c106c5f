//! Mutants of real modules: every fixture under testdata/ (binary and text)
//! is cut short, bit-flipped, overwritten and spliced at random, and every
//! read-only command runs on each mutant. Each run must end with exit code 0
//! or 1 and, on 1, a one-line error: never a panic, a signal, a run over the
//! time bound or the memory bound. The input file must come out unchanged.
//!
//! `WASMSCOPE_MUTANTS` sets how many mutants each fixture gets (default 6,
//! about half a minute on two cores); `WASMSCOPE_MUTATION_SEED` picks
//! another sequence. A failing mutant is kept under target/mutants/ with the
//! command that failed on it.
//!
//!     WASMSCOPE_MUTANTS=2000 cargo test --release --test it mutation -- --nocapture

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::common::{extra_codes, read_only_commands, run_bounded};
use rayon::prelude::*;

/// Fixtures larger than this are left out: a mutant of the demo module
/// already runs every code path a larger module would.
const MAX_FIXTURE: u64 = 128 * 1024;

fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = crate::common::testdata_files()
        .into_iter()
        .filter(|path| {
            path.extension().is_some_and(|e| e == "wasm" || e == "wat")
                && path.metadata().unwrap().len() <= MAX_FIXTURE
        })
        .collect();
    out.sort();
    out
}

/// One mutation of `bytes`, picked by `rng`. Text gets the characters its
/// syntax turns on as well as random bytes.
fn mutate(bytes: &[u8], text: bool, rng: &mut fastrand::Rng) -> (String, Vec<u8>) {
    let mut out = bytes.to_vec();
    let len = out.len().max(1);
    // Mostly single bit flips, which leave most of a module readable, so
    // that commands get past their first check; then the rest.
    let what = match rng.u8(0..16) {
        0 | 1 => {
            let at = rng.usize(0..len);
            out.truncate(at);
            format!("cut at {at}")
        }
        2..=9 => {
            let flips = if rng.u8(0..4) == 0 {
                rng.usize(2..=8)
            } else {
                1
            };
            for _ in 0..flips {
                if !out.is_empty() {
                    let at = rng.usize(0..out.len());
                    out[at] ^= 1 << rng.u8(0..8);
                }
            }
            format!("{flips} bits flipped")
        }
        10 | 11 => {
            // Bytes that mean most to a decoder: the ends of LEB128 numbers
            // and counts, and of text's parentheses, strings and comments.
            let pool: &[u8] = if text {
                b"()\";$@0 \n\\"
            } else {
                &[0x00, 0x01, 0x7f, 0x80, 0xff, 0x0b, 0x41, 0x60]
            };
            let n = rng.usize(1..=4);
            for _ in 0..n {
                if !out.is_empty() {
                    let at = rng.usize(0..out.len());
                    out[at] = pool[rng.usize(0..pool.len())];
                }
            }
            format!("{n} bytes overwritten")
        }
        12 => {
            let at = rng.usize(0..=out.len());
            let n = rng.usize(1..=16).min(out.len() - at.min(out.len()));
            out.drain(at..at + n);
            format!("{n} bytes removed at {at}")
        }
        13 => {
            // A piece of the input copied elsewhere: a section or a body
            // repeated, a count that now lies.
            let from = rng.usize(0..len);
            let n = rng.usize(1..=64).min(bytes.len().saturating_sub(from));
            let piece = bytes[from.min(bytes.len())..from.min(bytes.len()) + n].to_vec();
            let at = rng.usize(0..=out.len());
            out.splice(at..at, piece);
            format!("{n} bytes from {from} copied to {at}")
        }
        _ => {
            // A byte set to a large LEB128 number's first bytes: a count or
            // a size that claims more than is there.
            let at = rng.usize(0..=out.len());
            out.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
            format!("2^32-1 spliced in at {at}")
        }
    };
    (what, out)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutants_of_every_fixture_end_cleanly() {
    let mutants = env_number("WASMSCOPE_MUTANTS", 6);
    let seed = env_number("WASMSCOPE_MUTATION_SEED", 0x5eed);
    let fixtures = fixtures();
    assert!(fixtures.len() >= 40, "only {} fixtures", fixtures.len());
    let work = tempfile::tempdir().unwrap();
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mutants");

    let failures = Mutex::new(Vec::new());
    // Exit codes seen, per command.
    let codes: Mutex<BTreeMap<String, BTreeMap<i32, u64>>> = Mutex::new(BTreeMap::new());
    let slowest = Mutex::new((Duration::ZERO, String::new()));
    let jobs: Vec<(usize, u64)> = (0..fixtures.len())
        .flat_map(|f| (0..mutants).map(move |m| (f, m)))
        .collect();
    jobs.par_iter().for_each(|&(f, m)| {
        let path = &fixtures[f];
        let original = std::fs::read(path).unwrap();
        let text = path.extension().is_some_and(|e| e == "wat");
        let mut rng = fastrand::Rng::with_seed(seed ^ ((f as u64) << 32) ^ m);
        let (what, bytes) = mutate(&original, text, &mut rng);
        let ext = if text { "wat" } else { "wasm" };
        let name = format!("m{f}-{m}.{ext}");
        let file = work.path().join(&name);
        std::fs::write(&file, &bytes).unwrap();
        // The original sits next to it, for diff.
        let base = format!("o{f}-{m}.{ext}");
        std::fs::write(work.path().join(&base), &original).unwrap();
        for args in read_only_commands(&name, &base) {
            let run = run_bounded(work.path(), &args);
            // The command and its options, without the file names.
            let command: Vec<&str> = std::iter::once(args[0].as_str())
                .chain(
                    args.iter()
                        .skip(1)
                        .filter(|a| a.starts_with('-'))
                        .map(String::as_str),
                )
                .collect();
            let command = command.join(" ");
            if let Some(code) = run.code {
                *codes
                    .lock()
                    .unwrap()
                    .entry(command.clone())
                    .or_default()
                    .entry(code)
                    .or_default() += 1;
            }
            {
                let mut slow = slowest.lock().unwrap();
                if run.elapsed > slow.0 {
                    *slow = (run.elapsed, format!("{} ({what})", args.join(" ")));
                }
            }
            let mut fault = run.fault(extra_codes(&args));
            if fault.is_none() && std::fs::read(&file).unwrap() != bytes {
                fault = Some("the input file was changed".to_string());
            }
            if let Some(fault) = fault {
                std::fs::create_dir_all(&kept).unwrap();
                let keep = kept.join(format!(
                    "{}-{m}.{ext}",
                    path.file_stem().unwrap().to_string_lossy()
                ));
                std::fs::write(&keep, &bytes).unwrap();
                failures.lock().unwrap().push(format!(
                    "wasmscope {} on {} ({}, {what}), kept as {}: {fault}",
                    args.join(" "),
                    path.display(),
                    name,
                    keep.display()
                ));
            }
        }
        let _ = std::fs::remove_file(&file);
        let _ = std::fs::remove_file(work.path().join(&base));
    });

    let runs: u64 = codes
        .lock()
        .unwrap()
        .values()
        .flat_map(|c| c.values())
        .sum();
    println!(
        "{} fixtures x {mutants} mutants, {runs} runs (seed {seed:#x})",
        fixtures.len()
    );
    for (command, seen) in codes.lock().unwrap().iter() {
        println!("  {command:<22} {seen:?}");
    }
    let slowest = slowest.into_inner().unwrap();
    println!("slowest run: {:?}: {}", slowest.0, slowest.1);
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} faults:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The mutants are not all refused: the test reaches past the first
    // check of every command.
    let codes = codes.into_inner().unwrap();
    assert!(
        codes.values().all(|c| c.contains_key(&0) || mutants < 4),
        "{codes:?}"
    );
}
