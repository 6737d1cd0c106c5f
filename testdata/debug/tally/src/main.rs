//! `tally`: prints each number divided by the first one, to two decimals.
//!
//! Usage: `tally N...` or `echo N... | tally`
//!
//! This is wasmscope's Rust debug-info fixture (built by
//! testdata/debug/build.sh). A first number of 0 makes `checked_ratio` panic
//! inside the always-inlined helper `nonzero`, so the address of the call to
//! the panic machinery symbolizes to an inlined frame (`nonzero`) plus its
//! caller (`checked_ratio`). Lines that tests look up end with a marker
//! comment (at-sign plus a name, listed in testdata/debug/README.md); tests
//! grep for the marker instead of hard-coding line numbers.

use std::io::Read;
use std::process;

/// Returns `den`, or panics when it is zero. Always inlined into its caller,
/// so DWARF describes it with a DW_TAG_inlined_subroutine.
#[inline(always)]
fn nonzero(den: i64, num: i64) -> i64 {
    if den == 0 {
        panic!("checked_ratio: cannot divide {num} by zero"); // @trap
    }
    den
}

/// Scales `value` to hundredths. Also always inlined.
#[inline(always)]
fn hundredths(value: i64) -> i64 {
    value.wrapping_mul(100) // @inline
}

/// `num / den` in hundredths (so 100 means 1.00); panics when `den` is zero.
#[inline(never)]
fn checked_ratio(num: i64, den: i64) -> i64 {
    let den = nonzero(den, num); // @call-nonzero
    hundredths(num) / den // @call-hundredths
}

/// Each value divided by the first one, in hundredths.
#[inline(never)]
fn ratios(values: &[i64]) -> Vec<i64> {
    let first = values[0];
    let mut out = Vec::with_capacity(values.len());
    for &value in values {
        out.push(checked_ratio(value, first)); // @call
    }
    out
}

/// Parses whitespace-separated integers, exiting with a usage error on
/// anything else.
fn parse(text: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        match word.parse::<i64>() {
            Ok(n) => out.push(n),
            Err(_) => {
                eprintln!("tally: not a number: {word:?}");
                process::exit(2);
            }
        }
    }
    out
}

#[inline(never)]
fn run(values: &[i64]) {
    let ratios = ratios(values); // @call-run
    for (value, ratio) in values.iter().zip(ratios) {
        let sign = if ratio < 0 { "-" } else { "" };
        let abs = ratio.unsigned_abs();
        println!("{value}\t{sign}{}.{:02}", abs / 100, abs % 100);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = if args.is_empty() {
        let mut buf = String::new();
        if let Err(err) = std::io::stdin().read_to_string(&mut buf) {
            eprintln!("tally: reading stdin: {err}");
            process::exit(1);
        }
        buf
    } else {
        args.join(" ")
    };
    let values = parse(&text);
    if values.is_empty() {
        eprintln!("usage: tally N... (or numbers on stdin)");
        process::exit(2);
    }
    run(&values); // @call-main
}
