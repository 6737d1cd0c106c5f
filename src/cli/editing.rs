//! What the editing commands share: where the result goes (`-o`, `-i`,
//! `--dry-run`), the check before writing, and the report of what changed.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;
use wasmscope::edit::{Change, Edit};
use wasmscope::{Input, InputKind, Source};

use super::UsageError;
use super::render::json;

/// Where an edited module goes.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Write the result to FILE (`-` for stdout). The file appears whole, and
    /// only once the result has validated.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Change the input file itself (a temporary file, then a rename).
    #[arg(short = 'i', long = "in-place", conflicts_with = "output")]
    pub in_place: bool,

    /// Say what would change, and write nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Print the report as JSON (the schema is documented in the README and stable).
    #[arg(long)]
    pub json: bool,

    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "json")]
    pub quiet: bool,
}

/// The report an editing command prints, in JSON as it is.
#[derive(Serialize)]
struct Report<'a> {
    command: &'a str,
    file: &'a str,
    output: Option<String>,
    dry_run: bool,
    written: bool,
    size_before: usize,
    size_after: usize,
    changes: &'a [Change],
    notes: &'a [String],
}

enum Target {
    Stdout,
    File(PathBuf),
    Nowhere,
}

impl EditArgs {
    /// Checks the arguments against the input before any work is done.
    pub fn check(&self, source: &Source) -> anyhow::Result<()> {
        if self.in_place && !matches!(source, Source::File(_)) {
            return Err(UsageError(
                "-i changes a file in place: give a FILE (not stdin or --demo)".into(),
            )
            .into());
        }
        if !self.in_place && self.output.is_none() && !self.dry_run {
            return Err(UsageError(
                "say where the result goes: -o FILE, -i to change the input in place, or --dry-run"
                    .into(),
            )
            .into());
        }
        if let (Some(out), Source::File(_)) = (&self.output, source)
            && out.as_os_str() != "-"
        {
            wasmscope::output::ensure_not_input(source, out).map_err(|e| {
                anyhow::Error::from(UsageError(format!("{e} (or -i to change it in place)")))
            })?;
        }
        Ok(())
    }

    /// Refuses to write a binary module over a text file with -i.
    pub fn check_input(&self, input: &Input) -> anyhow::Result<()> {
        if self.in_place && input.kind == InputKind::Text {
            return Err(UsageError(format!(
                "{}: is a text module; -i would replace the text with a binary module: write it with -o FILE",
                input.name
            ))
            .into());
        }
        Ok(())
    }

    fn target(&self, source: &Source) -> Target {
        if self.dry_run {
            return Target::Nowhere;
        }
        match (&self.output, source) {
            (Some(path), _) if path.as_os_str() == "-" => Target::Stdout,
            (Some(path), _) => Target::File(path.clone()),
            (None, Source::File(path)) if self.in_place => Target::File(path.clone()),
            _ => Target::Nowhere,
        }
    }

    /// Checks the edited module, writes it where asked and prints the report.
    pub fn finish(
        &self,
        command: &str,
        source: &Source,
        input: &Input,
        before: &[u8],
        edit: Edit,
    ) -> anyhow::Result<ExitCode> {
        self.check_input(input)?;
        let name = input.name.as_str();
        let changed = !edit.changes.is_empty();
        if changed {
            wasmscope::edit::check(&edit.bytes, name)?;
        }
        let target = self.target(source);
        // In place with nothing to change: the file is left alone.
        let skip = !changed && self.in_place;
        let mut written = false;
        match &target {
            Target::Stdout => {
                if io::stdout().is_terminal() {
                    return Err(UsageError(
                        "refusing to write binary output to a terminal; use -o FILE or redirect stdout"
                            .into(),
                    )
                    .into());
                }
                let mut out = io::stdout().lock();
                out.write_all(&edit.bytes)?;
                out.flush()?;
                written = true;
            }
            Target::File(path) if !skip => {
                wasmscope::output::write_atomic(path, |out| super::write_bytes(out, &edit.bytes))?;
                written = true;
            }
            _ => {}
        }
        if self.quiet {
            return Ok(ExitCode::SUCCESS);
        }
        let output = match &target {
            Target::Stdout => Some("-".to_string()),
            Target::File(p) => Some(p.display().to_string()),
            Target::Nowhere => None,
        };
        let report = Report {
            command,
            file: name,
            output,
            dry_run: self.dry_run,
            written,
            size_before: before.len(),
            size_after: edit.bytes.len(),
            changes: &edit.changes,
            notes: &edit.notes,
        };
        // With the module on stdout, the report goes to stderr.
        let mut sink: Box<dyn Write> = match target {
            Target::Stdout => Box::new(io::stderr().lock()),
            _ => Box::new(io::BufWriter::new(io::stdout().lock())),
        };
        if self.json {
            json(&mut sink, &report)?;
        } else {
            human(&mut sink, &report)?;
        }
        sink.flush()?;
        Ok(ExitCode::SUCCESS)
    }
}

/// How many changes the human report lists before it summarises.
const SHOWN: usize = 40;

fn human(out: &mut dyn Write, r: &Report<'_>) -> io::Result<()> {
    for change in r.changes.iter().take(SHOWN) {
        writeln!(out, "{}", describe(change, r.dry_run))?;
    }
    let rest = r.changes.get(SHOWN..).unwrap_or_default();
    if !rest.is_empty() {
        let bytes: usize = rest.iter().filter_map(|c| c.size).sum();
        write!(out, "... and {} more", rest.len())?;
        if bytes > 0 {
            write!(out, " ({})", sized(bytes))?;
        }
        writeln!(out, " (--json lists them all)")?;
    }
    for note in r.notes {
        writeln!(out, "note: {note}")?;
    }
    let delta = r.size_after as i64 - r.size_before as i64;
    let sizes = if delta == 0 {
        format!("{} bytes, size unchanged", r.size_before)
    } else {
        let percent = delta as f64 * 100.0 / r.size_before.max(1) as f64;
        format!(
            "{} -> {} bytes ({delta:+}, {percent:+.1}%)",
            r.size_before, r.size_after
        )
    };
    let outcome = match (&r.output, r.written) {
        _ if r.dry_run => "dry run, nothing written".to_string(),
        (Some(out), true) if out == "-" => "written to stdout".to_string(),
        (Some(out), true) => format!("written to {out}"),
        (Some(_), false) => "nothing to change, file left as it was".to_string(),
        (None, _) => "nothing written".to_string(),
    };
    if r.changes.is_empty() {
        writeln!(out, "{}: nothing to change ({sizes}); {outcome}", r.file)
    } else {
        writeln!(out, "{}: {sizes}; {outcome}", r.file)
    }
}

/// `187 bytes`, `18606 bytes, 18.2 KiB`.
fn sized(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else {
        format!("{n} bytes, {}", super::render::size(n))
    }
}

/// One change as a line: `removed custom section `.debug_info` (1234 bytes)`.
pub fn describe(c: &Change, dry_run: bool) -> String {
    let verb = match (c.action, dry_run) {
        ("remove", false) => "removed",
        ("add", false) => "added",
        ("replace", false) => "replaced",
        ("rename", false) => "renamed",
        ("set", false) => "set",
        ("remove", true) => "would remove",
        ("add", true) => "would add",
        ("replace", true) => "would replace",
        ("rename", true) => "would rename",
        (_, true) => "would set",
        (other, false) => other,
    };
    let shown = if c.kind.starts_with("function") && !c.kind.contains("import") {
        wasmscope::demangle::display_name(&c.name, false)
    } else {
        c.name.clone()
    };
    let mut line = format!("{verb} {} `{shown}`", c.kind);
    if let Some(to) = &c.to {
        line.push_str(&format!(" to `{to}`"));
    }
    if let Some(inside) = &c.inside {
        line.push_str(&format!(" in {inside}"));
    }
    if let Some(size) = c.size {
        line.push_str(&format!(" ({})", sized(size)));
    }
    line
}
