//! WABT's command-line conventions, which scripts written for its tools
//! rely on: long options by any unique prefix (`--fold` is
//! `--fold-exprs`), `--name=VALUE` or `--name VALUE`, bundled short flags
//! (`-hxd`), a value that may not start with `-` (except `--output=-`),
//! `--` to end the options, `-` for stdin, and `--help` / `--version`
//! acting as soon as they are reached. Every mistake is a usage error:
//! `PROG: message` and `Try '--help' for more information.`, exit 1.

use std::ffi::OsString;

/// One option a tool accepts.
#[derive(Debug, Clone)]
pub struct Opt {
    /// The long name, without `--`.
    pub long: String,
    /// The short letter, if any.
    pub short: Option<char>,
    /// The value's name in the help (`FILENAME`), for an option that takes
    /// one.
    pub value: Option<&'static str>,
    /// One line of help.
    pub help: String,
    /// Why wasmscope does not do what this WABT option does: it is read
    /// (so prefixes resolve as in WABT) and then refused.
    pub unsupported: Option<&'static str>,
}

impl Opt {
    /// A flag.
    pub fn flag(long: &str, short: Option<char>, help: &str) -> Opt {
        Opt {
            long: long.to_string(),
            short,
            value: None,
            help: help.to_string(),
            unsupported: None,
        }
    }

    /// A WABT option wasmscope refuses, saying why.
    pub fn unsupported(long: &str, short: Option<char>, why: &'static str) -> Opt {
        Opt {
            unsupported: Some(why),
            ..Opt::flag(long, short, &format!("Not supported: {why}"))
        }
    }

    /// An option that takes a value.
    pub fn value(long: &str, short: Option<char>, value: &'static str, help: &str) -> Opt {
        Opt {
            value: Some(value),
            ..Opt::flag(long, short, help)
        }
    }
}

/// What the command line asked for.
#[derive(Debug, Default)]
pub struct Matches {
    /// Each option given, by its long name, with its value, in order.
    pub given: Vec<(String, Option<String>)>,
    /// The file arguments.
    pub files: Vec<OsString>,
}

impl Matches {
    /// Whether the flag `long` was given.
    pub fn flag(&self, long: &str) -> bool {
        self.given.iter().any(|(name, _)| name == long)
    }

    /// The last value given to `long`.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(name, _)| name == long)
            .and_then(|(_, value)| value.as_deref())
    }
}

/// The outcome of reading the command line.
#[derive(Debug)]
pub enum Parsed {
    /// Run with these options.
    Run(Matches),
    /// `--help` was reached.
    Help,
    /// `--version` was reached.
    Version,
    /// A usage error, phrased as WABT phrases it.
    Usage(String),
}

/// Reads `args` (without the program name) against `opts`; `--help` and
/// `--version` are always accepted.
pub fn parse(opts: &[Opt], args: Vec<OsString>) -> Parsed {
    let mut all = vec![
        Opt::flag("help", None, "Print this help message"),
        Opt::flag("version", None, "Print version information"),
    ];
    all.extend(opts.iter().cloned());
    let mut matches = Matches::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--" {
            matches.files.extend(args.by_ref());
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            let opt = match find_long(&all, name) {
                Ok(opt) => opt,
                Err(message) => return Parsed::Usage(message),
            };
            match opt.long.as_str() {
                "help" => return Parsed::Help,
                "version" => return Parsed::Version,
                _ => {}
            }
            let value = match (opt.value, inline) {
                (None, None) => None,
                (None, Some(_)) => {
                    return Parsed::Usage(format!(
                        "option '--{}' does not take an argument",
                        opt.long
                    ));
                }
                (Some(_), Some(value)) => Some(value),
                (Some(_), None) => match next_value(&mut args) {
                    Some(value) => Some(value),
                    None => {
                        return Parsed::Usage(format!("option '--{}' requires argument", opt.long));
                    }
                },
            };
            if let Some(why) = opt.unsupported {
                return Parsed::Usage(format!("option '--{}' is not supported: {why}", opt.long));
            }
            matches.given.push((opt.long.clone(), value));
        } else if text.len() > 1 && text.starts_with('-') {
            let letters: Vec<char> = text.chars().skip(1).collect();
            for (i, letter) in letters.iter().enumerate() {
                let Some(opt) = opts.iter().find(|o| o.short == Some(*letter)) else {
                    return Parsed::Usage(format!("unknown option '-{letter}'"));
                };
                let value = match opt.value {
                    None => None,
                    // A value is the next argument, so its option must end
                    // the bundle.
                    Some(_) if i + 1 < letters.len() => {
                        return Parsed::Usage(format!("option '-{letter}' requires argument"));
                    }
                    Some(_) => match next_value(&mut args) {
                        Some(value) => Some(value),
                        None => {
                            return Parsed::Usage(format!("option '-{letter}' requires argument"));
                        }
                    },
                };
                if let Some(why) = opt.unsupported {
                    return Parsed::Usage(format!("option '-{letter}' is not supported: {why}"));
                }
                matches.given.push((opt.long.clone(), value));
            }
        } else {
            matches.files.push(arg);
        }
    }
    Parsed::Run(matches)
}

/// The next argument as an option's value, unless it looks like an option.
fn next_value(args: &mut impl Iterator<Item = OsString>) -> Option<String> {
    let value = args.next()?.to_string_lossy().into_owned();
    (!value.starts_with('-')).then_some(value)
}

/// The option a long name stands for: an exact match, or the only option
/// it is a prefix of.
fn find_long<'a>(opts: &'a [Opt], name: &str) -> Result<&'a Opt, String> {
    if let Some(opt) = opts.iter().find(|o| o.long == name) {
        return Ok(opt);
    }
    let mut candidates = opts.iter().filter(|o| o.long.starts_with(name));
    match (candidates.next(), candidates.next()) {
        (Some(opt), None) if !name.is_empty() => Ok(opt),
        (Some(_), Some(_)) => Err(format!("ambiguous option '--{name}'")),
        _ => Err(format!("unknown option '--{name}'")),
    }
}

/// The help text: the usage line, what the tool does, its options, then
/// its examples and notes.
pub fn help(program: &str, about: &str, opts: &[Opt], after: &str) -> String {
    let mut text = format!("usage: {program} [options] filename\n\n{about}\n\noptions:\n");
    let mut rows: Vec<(String, &str)> = vec![
        ("    --help".to_string(), "Print this help message"),
        ("    --version".to_string(), "Print version information"),
    ];
    for opt in opts {
        let short = match opt.short {
            Some(letter) => format!("-{letter}, "),
            None => "    ".to_string(),
        };
        let value = opt.value.map(|v| format!("={v}")).unwrap_or_default();
        rows.push((format!("{short}--{}{value}", opt.long), &opt.help));
    }
    let width = rows.iter().map(|(left, _)| left.len()).max().unwrap_or(0);
    for (left, right) in rows {
        text.push_str(&format!("  {left:width$}  {right}\n"));
    }
    if !after.is_empty() {
        text.push('\n');
        text.push_str(after);
        if !after.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<Opt> {
        vec![
            Opt::value("output", Some('o'), "FILENAME", "out"),
            Opt::flag("fold-exprs", Some('f'), "fold"),
            Opt::flag("verbose", Some('v'), "log"),
            Opt::flag("inline-exports", None, "x"),
            Opt::unsupported("inline-imports", Some('i'), "no"),
        ]
    }

    fn run(args: &[&str]) -> Parsed {
        parse(&opts(), args.iter().map(OsString::from).collect())
    }

    fn usage(args: &[&str]) -> String {
        match run(args) {
            Parsed::Usage(message) => message,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    fn matches(args: &[&str]) -> Matches {
        match run(args) {
            Parsed::Run(m) => m,
            other => panic!("expected options, got {other:?}"),
        }
    }

    #[test]
    fn long_options_by_prefix_with_inline_or_separate_values() {
        let m = matches(&["--fold", "--out", "x.wat", "a.wasm"]);
        assert!(m.flag("fold-exprs"));
        assert_eq!(m.value("output"), Some("x.wat"));
        assert_eq!(m.files, vec![OsString::from("a.wasm")]);
        assert_eq!(matches(&["--output=-"]).value("output"), Some("-"));
        assert_eq!(usage(&["--in"]), "ambiguous option '--in'");
        assert_eq!(
            usage(&["--inline-i"]),
            "option '--inline-imports' is not supported: no"
        );
        assert_eq!(usage(&["-fi"]), "option '-i' is not supported: no");
        assert_eq!(usage(&["--bogus"]), "unknown option '--bogus'");
        assert_eq!(usage(&["--output"]), "option '--output' requires argument");
        assert_eq!(
            usage(&["--fold-exprs=1"]),
            "option '--fold-exprs' does not take an argument"
        );
    }

    #[test]
    fn short_options_bundle_and_take_the_next_argument() {
        let m = matches(&["-fvv", "-o", "x", "-"]);
        assert!(m.flag("fold-exprs"));
        assert_eq!(m.given.iter().filter(|(n, _)| n == "verbose").count(), 2);
        assert_eq!(m.value("output"), Some("x"));
        assert_eq!(m.files, vec![OsString::from("-")]);
        assert_eq!(usage(&["-ox"]), "option '-o' requires argument");
        assert_eq!(usage(&["-o", "-"]), "option '-o' requires argument");
        assert_eq!(usage(&["-q"]), "unknown option '-q'");
    }

    #[test]
    fn help_and_version_act_when_reached() {
        assert!(matches!(run(&["--help", "--bogus"]), Parsed::Help));
        assert!(matches!(run(&["--bogus", "--help"]), Parsed::Usage(_)));
        assert!(matches!(run(&["--version"]), Parsed::Version));
        assert!(matches!(run(&["--he"]), Parsed::Help));
        // `--ver` could be `--verbose` too.
        assert_eq!(usage(&["--ver"]), "ambiguous option '--ver'");
        let m = matches(&["--", "--help", "-f"]);
        assert_eq!(m.files.len(), 2);
        assert!(!m.flag("fold-exprs"));
    }

    #[test]
    fn help_lists_every_option() {
        let text = help("wasm2wat", "about", &opts(), "examples:\n  x\n");
        for opt in opts() {
            assert!(text.contains(&format!("--{}", opt.long)), "{text}");
        }
        assert!(text.contains("-o, --output=FILENAME"));
        assert!(text.ends_with("examples:\n  x\n"));
    }
}
