//! `wasmscope diff`: what changed between two builds of a module.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use termcolor::{Ansi, Color, ColorSpec, WriteColor};
use wasmscope::Source;
use wasmscope::diff::{self, Change, DiffOptions, ModuleDiff, Pair, Side, Tally};
use wasmscope::input::Loaded;

use super::render::{JsonArg, json, size};
use super::{ColorChoice, Trouble};

/// Compare two builds of a module: sizes, imports and exports, functions
/// (matched across renumbering, with a text diff of each changed one), data,
/// custom sections and the capabilities each side needs.
///
/// Functions are matched by export name, then name-section name, then body
/// (indices replaced by what they refer to), then position. In the text,
/// both sides name functions, globals and types the same way, so inserting
/// a function renumbers nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope diff old.wasm new.wasm
  wasmscope diff --stat old.wasm new.wasm        the summary only
  wasmscope diff --stat --compressed a.wasm b.wasm    with gzip and brotli sizes
  wasmscope diff --function main a.wasm b.wasm   one function
  wasmscope diff --json old.wasm new.wasm        machine-readable
  wasmscope diff --fail-on breaking v1.wasm v2.wasm   CI gate on a component's WIT

Components (and core modules with WIT) have their WIT compared too: each
change to what the world imports and exports, with whether it breaks the
component's users or its hosts, and a verdict (same, compatible, breaking).

Exit status: like diff(1), 0 the same, 1 different, 2 trouble (a module
could not be read, or a usage error). With --fail-on breaking: 1 only for a
breaking change to the WIT, else 0.")]
pub struct Opts {
    /// The old module (.wasm or .wat, `-` for stdin).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new module (.wasm or .wat, `-` for stdin).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Only the summary: sizes and counts. Functions are counted as
    /// changed when their normalised bytes differ, without printing them; the
    /// full diff may find a few of those print the same.
    #[arg(long)]
    pub stat: bool,

    /// Also compare the sizes of the two modules compressed, as `gzip -9`
    /// and `brotli` (quality 11) would make them.
    #[arg(long)]
    pub compressed: bool,

    /// Only this function (name, demangled name, export name or index).
    #[arg(long, value_name = "NAME")]
    pub function: Option<String>,

    /// Lines of context around each change in a function's text.
    #[arg(short = 'U', long = "unified", value_name = "N", default_value_t = 3)]
    pub context: usize,

    /// Leave custom sections out of the comparison.
    #[arg(long)]
    pub ignore_custom: bool,

    /// Print nothing for identical modules (the exit status says it).
    #[arg(short, long)]
    pub quiet: bool,

    /// The exit status says only whether the WIT (of components, or core
    /// modules with WIT) changed in a way that breaks users or hosts: 1 for
    /// a breaking change, 0 for none, however much else differs (2 when a
    /// side has no WIT).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,

    /// Colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub json: JsonArg,
}

/// What `--fail-on` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A change to the WIT that breaks the component's users or hosts.
    Breaking,
}

/// One side, read and indexed; an error names the side it is on.
fn load(path: &std::path::Path, side: &str) -> anyhow::Result<Loaded> {
    Loaded::load(&Source::from_arg(path)).map_err(|e| Trouble(format!("{side} module: {e}")).into())
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if self.old.as_os_str() == "-" && self.new.as_os_str() == "-" {
            return Err(super::UsageError("only one side can be read from stdin".into()).into());
        }
        let old = load(&self.old, "old")?;
        let new = load(&self.new, "new")?;
        let opts = DiffOptions {
            ignore_custom: self.ignore_custom,
            function: self.function.clone(),
            context: self.context,
            stat: self.stat,
            compressed: self.compressed,
        };
        fn side(l: &Loaded) -> Side<'_> {
            Side {
                name: &l.name,
                bytes: &l.bytes,
                index: &l.index,
            }
        }
        let report = diff::diff(&side(&old), &side(&new), &opts).map_err(|e| {
            // A body that does not decode: which side it is in is found by
            // decoding the old side's bodies again (only on this path).
            let old_is_bad =
                wasmscope::callgraph::CallGraph::build(&old.bytes, &old.index).is_err();
            let (label, name) = if old_is_bad {
                ("old", &old.name)
            } else {
                ("new", &new.name)
            };
            Trouble(format!("{label} module: {}", e.in_file(name)))
        })?;
        if let Some(name) = &self.function
            && report.functions.is_empty()
            && old.index.find_function(name).is_none()
            && new.index.find_function(name).is_none()
        {
            return Err(Trouble(format!("no function named `{name}` in either module")).into());
        }
        if self.fail_on.is_some() && report.wit.is_none() {
            return Err(Trouble(format!(
                "--fail-on breaking compares WIT, and {} has none (not a component, nor a core module with `component-type` sections)",
                match (wasmscope::wit::Wit::decode(&old.bytes).is_ok(), &old.name, &new.name) {
                    (false, old_name, _) => old_name,
                    (true, _, new_name) => new_name,
                }
            ))
            .into());
        }
        let different = if self.function.is_some() {
            !report.functions.is_empty()
        } else {
            report.differs()
        };
        let color = self.color.enabled_on_stdout();
        super::write_stdout(|out| {
            if self.json.json {
                return json(out, &report);
            }
            if !different {
                if !self.quiet {
                    writeln!(
                        out,
                        "{}",
                        if report.identical {
                            "identical"
                        } else {
                            "no differences"
                        }
                    )?;
                }
                return Ok(());
            }
            let mut painter = Painter { out, color };
            if self.function.is_none() {
                render_summary(&mut painter, &report)?;
            }
            if !self.stat {
                render_details(&mut painter, &report, self.function.is_none())?;
            }
            Ok(())
        })?;
        if self.fail_on == Some(FailOn::Breaking) {
            let breaking = report.wit.as_ref().is_some_and(|w| w.breaking > 0);
            return Ok(ExitCode::from(u8::from(breaking)));
        }
        Ok(ExitCode::from(u8::from(different)))
    }
}

/// The WIT's changes, each with its verdict, under a one-line summary.
fn render_wit(p: &mut Painter, wit: &diff::WitDiff) -> io::Result<()> {
    let compatible = wit.changes.len() - wit.breaking;
    let summary = match wit.verdict {
        "breaking" => format!(
            "WIT: breaking: {}{}",
            wit.breaking,
            if compatible > 0 {
                format!(" (and {compatible} compatible)")
            } else {
                String::new()
            }
        ),
        verdict => format!("WIT: {verdict}"),
    };
    let color = (wit.breaking > 0).then_some(Color::Red);
    p.line(None, "")?;
    p.line(color, &summary)?;
    for c in &wit.changes {
        let what = if c.name == c.item {
            format!("{} {} {}", c.direction, c.what, c.item)
        } else {
            format!("{} {}: {} {}", c.direction, c.item, c.what, c.name)
        };
        let detail = match (&c.old, &c.new) {
            (Some(a), Some(b)) => format!(": {a} -> {b}"),
            (None, Some(b)) if *b != c.name && *b != c.item => format!(": {b}"),
            (Some(a), None) if *a != c.name && *a != c.item => format!(": {a}"),
            _ => String::new(),
        };
        let verdict = if c.breaking { "BREAKING" } else { "compatible" };
        p.changed(c.change, &format!("{what}{detail}  [{verdict}: {}]", c.why))?;
    }
    Ok(())
}

/// Writes lines, coloured or not.
struct Painter<'a> {
    out: &'a mut dyn Write,
    color: bool,
}

impl Painter<'_> {
    fn line(&mut self, color: Option<Color>, text: &str) -> io::Result<()> {
        match color.filter(|_| self.color) {
            Some(c) => {
                let mut ansi = Ansi::new(&mut *self.out);
                ansi.set_color(ColorSpec::new().set_fg(Some(c)))?;
                write!(ansi, "{text}")?;
                ansi.reset()?;
                writeln!(self.out)
            }
            None => writeln!(self.out, "{text}"),
        }
    }

    fn changed(&mut self, change: Change, text: &str) -> io::Result<()> {
        let (mark, color) = match change {
            Change::Added => ('+', Some(Color::Green)),
            Change::Removed => ('-', Some(Color::Red)),
            Change::Changed => ('~', Some(Color::Yellow)),
            Change::Renamed => ('>', Some(Color::Cyan)),
        };
        self.line(color, &format!("  {mark} {text}"))
    }
}

fn delta(p: Pair<usize>) -> String {
    let d = p.new as i64 - p.old as i64;
    format!("{} -> {} bytes ({d:+})", p.old, p.new)
}

fn tally(name: &str, t: Tally) -> Option<String> {
    (!t.is_empty()).then(|| {
        format!(
            "{name}: {} added, {} removed, {} changed",
            t.added, t.removed, t.changed
        )
    })
}

fn render_summary(p: &mut Painter, d: &ModuleDiff) -> io::Result<()> {
    p.line(None, &format!("--- {}", d.file.old))?;
    p.line(None, &format!("+++ {}", d.file.new))?;
    p.line(None, &format!("size: {}", delta(d.size)))?;
    if let Some(c) = &d.compressed {
        let gzip = Pair {
            old: c.old.gzip as usize,
            new: c.new.gzip as usize,
        };
        let brotli = Pair {
            old: c.old.brotli as usize,
            new: c.new.brotli as usize,
        };
        p.line(None, &format!("gzip: {}", delta(gzip)))?;
        p.line(None, &format!("brotli: {}", delta(brotli)))?;
    }
    let c = &d.counts;
    let mut functions = format!(
        "functions: {} added, {} removed, {} changed",
        c.functions.added, c.functions.removed, c.functions.changed
    );
    if c.renamed_functions > 0 {
        functions.push_str(&format!(", {} renamed", c.renamed_functions));
    }
    if c.moved_functions > 0 {
        functions.push_str(&format!(
            ", {} moved (same code, new index)",
            c.moved_functions
        ));
    }
    p.line(None, &functions)?;
    for (name, t) in [
        ("imports", c.imports),
        ("exports", c.exports),
        ("globals", c.globals),
        ("data segments", c.data),
        ("custom sections", c.customs),
    ] {
        if let Some(line) = tally(name, t) {
            p.line(None, &line)?;
        }
    }
    if !d.sections.is_empty() {
        p.line(None, "sections:")?;
        for s in &d.sections {
            let text = match (s.size.old, s.size.new) {
                (Some(a), Some(b)) => format!("{:<24} {}", s.name, delta(Pair { old: a, new: b })),
                (Some(a), None) => format!("{:<24} removed ({})", s.name, size(a)),
                (None, Some(b)) => format!("{:<24} added ({})", s.name, size(b)),
                (None, None) => continue,
            };
            p.line(None, &format!("  {text}"))?;
        }
    }
    let list = |l: &[&str]| {
        if l.is_empty() {
            "none".to_string()
        } else {
            l.join(", ")
        }
    };
    if d.needs.old == d.needs.new {
        p.line(None, &format!("capabilities: {}", list(&d.needs.old)))?;
    } else {
        p.line(None, &format!("capabilities (old): {}", list(&d.needs.old)))?;
        p.line(None, &format!("capabilities (new): {}", list(&d.needs.new)))?;
    }
    for cap in &d.capabilities {
        let (verb, change) = match cap.change {
            Change::Added => ("now needs", Change::Added),
            _ => ("no longer needs", Change::Removed),
        };
        let via = if cap.imports.is_empty() {
            String::new()
        } else {
            format!(" (via {})", cap.imports.join(", "))
        };
        p.changed(
            change,
            &format!("{verb} {}: {}{via}", cap.name, cap.meaning),
        )?;
    }
    // A component's contract, before its modules' details.
    if let Some(wit) = &d.wit {
        render_wit(p, wit)?;
    }
    for nested in &d.nested {
        if nested.differs() {
            p.line(None, "")?;
            render_summary(p, nested)?;
        }
    }
    Ok(())
}

fn render_details(p: &mut Painter, d: &ModuleDiff, all: bool) -> io::Result<()> {
    let items = |p: &mut Painter, title: &str, list: &[diff::ItemChange]| -> io::Result<()> {
        if list.is_empty() {
            return Ok(());
        }
        p.line(None, &format!("\n{title}:"))?;
        for i in list {
            let text = match (i.change, &i.ty.old, &i.ty.new) {
                (Change::Changed, Some(a), Some(b)) => {
                    format!("{} ({}): {a} -> {b}", i.name, i.kind)
                }
                (_, _, Some(t)) | (_, Some(t), None) => format!("{} ({}) {t}", i.name, i.kind),
                _ => format!("{} ({})", i.name, i.kind),
            };
            p.changed(i.change, &text)?;
        }
        Ok(())
    };
    if all {
        items(p, "component", &d.component_items)?;
        items(p, "imports", &d.imports)?;
        items(p, "exports", &d.exports)?;
        items(p, "globals", &d.globals)?;
    }
    if !d.functions.is_empty() {
        // After the summary, a blank line; alone (--function), none.
        p.line(None, if all { "\nfunctions:" } else { "functions:" })?;
        for f in &d.functions {
            let index = match (f.index.old, f.index.new) {
                (Some(a), Some(b)) if a != b => format!("func {a} -> {b}"),
                (Some(a), _) | (None, Some(a)) => format!("func {a}"),
                (None, None) => String::new(),
            };
            let text = match f.change {
                Change::Renamed => format!(
                    "{} renamed {} ({index})",
                    f.name.old.as_deref().unwrap_or("(unnamed)"),
                    f.name.new.as_deref().unwrap_or("(unnamed)")
                ),
                Change::Changed => {
                    let sizes = match (f.size.old, f.size.new) {
                        (Some(a), Some(b)) => format!(", {}", delta(Pair { old: a, new: b })),
                        _ => String::new(),
                    };
                    let renamed = match (&f.name.old, &f.name.new) {
                        (Some(a), Some(b)) if a != b => format!(" (was {a})"),
                        _ => String::new(),
                    };
                    let how = f
                        .matched_by
                        .map(|m| format!(", matched by {m}"))
                        .unwrap_or_default();
                    format!("{}{renamed} ({index}{sizes}{how})", f.label())
                }
                _ => {
                    let bytes = size(f.size.old.or(f.size.new).unwrap_or(0));
                    match f.name.old.as_ref().or(f.name.new.as_ref()) {
                        Some(name) => format!("{name} ({index}, {bytes})"),
                        None => format!("{index} ({bytes})"),
                    }
                }
            };
            p.changed(f.change, &text)?;
            for hunk in &f.hunks {
                p.line(Some(Color::Cyan), &format!("    {}", hunk.header))?;
                for line in &hunk.lines {
                    let color = match line.as_bytes().first() {
                        Some(b'-') => Some(Color::Red),
                        Some(b'+') => Some(Color::Green),
                        _ => None,
                    };
                    p.line(color, &format!("    {line}"))?;
                }
            }
        }
    }
    if all {
        for (title, list) in [("data segments", &d.data), ("custom sections", &d.customs)] {
            if list.is_empty() {
                continue;
            }
            p.line(None, &format!("\n{title}:"))?;
            for b in list {
                let text = match (b.size.old, b.size.new) {
                    (Some(x), Some(y)) => format!("{}: {}", b.name, delta(Pair { old: x, new: y })),
                    (x, y) => format!("{} ({})", b.name, size(x.or(y).unwrap_or(0))),
                };
                p.changed(b.change, &text)?;
                for line in &b.content {
                    let color = if line.starts_with('-') {
                        Color::Red
                    } else {
                        Color::Green
                    };
                    p.line(Some(color), &format!("      {line}"))?;
                }
            }
        }
    }
    for nested in &d.nested {
        if nested.differs() {
            p.line(
                None,
                &format!("\n{} -> {}:", nested.file.old, nested.file.new),
            )?;
            render_details(p, nested, all)?;
        }
    }
    Ok(())
}
