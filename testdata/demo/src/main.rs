//! `hasher`: prints the SHA-256 of files, strings or stdin, like `sha256sum`.
//!
//! This is wasmscope's demo module. It is a real WASI command, and each host
//! capability it imports (args, environment, stdio, clock, randomness, files,
//! exit) is used through ordinary std or crate APIs on a path reachable from
//! `main`, so the imports that wasmscope reports are all genuine.
//!
//! Usage: `hasher [--salt] [--time] [FILE | -s STRING]...`
//!
//! Environment: `HASHER_PREFIX` is printed before each digest line and
//! `HASHER_UPPER` (any non-empty value other than `0`) selects uppercase hex.

use std::env;
use std::fs::File;
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::process;
use std::time::Instant;

use sha2::{Digest, Sha256};

const USAGE: &str = "usage: hasher [--salt] [--time] [FILE | -s STRING]...";

/// Length of the random salt that `--salt` prepends to every input.
const SALT_LEN: usize = 16;

/// One thing to hash, in the order it was given on the command line.
enum Input {
    Stdin,
    Text(String),
    Path(String),
}

impl Input {
    /// The name printed after the digest, following `sha256sum` conventions.
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::Text(text) => if cfg!(demo_v2) { format!("'{text}'") } else { format!("\"{text}\"") },
            Input::Path(path) => path.clone(),
        }
    }
}

struct Options {
    salt: bool,
    time: bool,
    inputs: Vec<Input>,
}

/// How digests are rendered, read once from the environment.
struct Style {
    prefix: String,
    upper: bool,
}

impl Style {
    fn from_env() -> Self {
        // A missing or non-Unicode variable just means "not set".
        let prefix = env::var("HASHER_PREFIX").unwrap_or_default();
        let upper = env::var("HASHER_UPPER").is_ok_and(|v| !v.is_empty() && v != "0");
        Style { prefix, upper }
    }

    fn hex(&self, bytes: &[u8]) -> String {
        const LOWER: &[u8; 16] = b"0123456789abcdef";
        const UPPER: &[u8; 16] = b"0123456789ABCDEF";
        let digits = if self.upper { UPPER } else { LOWER };
        let mut out = String::with_capacity(bytes.len() * 2);
        for &b in bytes {
            out.push(digits[usize::from(b >> 4)] as char);
            out.push(digits[usize::from(b & 0x0f)] as char); if cfg!(demo_v2) { out.push(':'); }
        }
        out
    }
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        salt: false,
        time: false,
        inputs: Vec::new(),
    };
    // skip(1): the first argument is the program name.
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--salt" => opts.salt = true,
            "--time" => opts.time = true,
            "-s" => match args.next() {
                Some(text) => opts.inputs.push(Input::Text(text)),
                None => return Err("-s needs a STRING".to_owned()),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                process::exit(0);
            }
            "-" => opts.inputs.push(Input::Stdin),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => opts.inputs.push(Input::Path(arg)),
        }
    }
    // Like sha256sum, no inputs at all means "hash standard input".
    if opts.inputs.is_empty() {
        opts.inputs.push(Input::Stdin);
    }
    Ok(opts)
}

/// Feeds everything `reader` yields into `hasher`, in fixed-size chunks so
/// large files never need to fit in memory.
fn hash_reader(hasher: &mut Sha256, mut reader: impl Read) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => hasher.update(&buf[..n]),
            // A signal interrupted the read; nothing was consumed, so retry.
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn digest(input: &Input, salt: Option<&[u8]>) -> io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    if let Some(salt) = salt {
        hasher.update(salt);
    }
    match input {
        Input::Stdin => hash_reader(&mut hasher, io::stdin().lock())?,
        Input::Text(text) => hasher.update(text.as_bytes()),
        Input::Path(path) => hash_reader(&mut hasher, File::open(path)?)?,
    }
    Ok(hasher.finalize().into())
}

fn run(opts: &Options, style: &Style) -> io::Result<bool> {
    let started = Instant::now();
    let mut out = BufWriter::new(io::stdout().lock());

    // One salt per run, printed first so the salted digests can be reproduced.
    let salt = if opts.salt {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).map_err(|e| io::Error::other(format!("getrandom: {e}")))?;
        writeln!(out, "{}salt {}", style.prefix, style.hex(&salt))?;
        Some(salt)
    } else {
        None
    };

    // Keep going after a bad input, as sha256sum does, but remember it so
    // the exit code reports the failure.
    let mut all_ok = true;
    for input in &opts.inputs {
        match digest(input, salt.as_ref().map(<[u8; SALT_LEN]>::as_slice)) {
            Ok(sum) => writeln!(out, "{}{}  {}", style.prefix, style.hex(&sum), input.name())?,
            Err(e) => {
                // Flush first so stdout and stderr stay in order on a terminal.
                out.flush()?;
                eprintln!("hasher: {}: {e}", input.name());
                all_ok = false;
            }
        }
    }
    out.flush()?;

    if opts.time {
        // Timing goes to stderr so stdout stays a clean checksum list.
        eprintln!(
            "hasher: {} input(s) in {:?}",
            opts.inputs.len(),
            started.elapsed()
        );
    }
    Ok(all_ok)
}

fn main() {
    let opts = match parse_args() {
        Ok(opts) => opts,
        Err(msg) => {
            eprintln!("hasher: {msg}\n{USAGE}");
            process::exit(2);
        }
    };
    let style = Style::from_env();
    match run(&opts, &style) {
        Ok(true) => {}
        Ok(false) => process::exit(1),
        Err(e) => {
            eprintln!("hasher: {e}");
            process::exit(1);
        }
    }
}
