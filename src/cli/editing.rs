//! What the editing commands share on the command line: where the result
//! goes (`-o`, `-i`, `--dry-run`), the run of an edit from reading the input
//! to the report, and the report rendered as text or JSON.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use wasmscope::edit::{Action, Change, Destination, Edit, EditCommand, EditReport, Request};
use wasmscope::{Input, InputKind, Source};

use super::render::json;
use super::{InputArg, UsageError};

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

impl EditArgs {
    /// Where the input comes from, once the arguments are checked against
    /// it: the first step of every edit.
    pub fn source(&self, input: &InputArg) -> anyhow::Result<Source> {
        let source = input.source()?;
        self.check(&source)?;
        Ok(source)
    }

    /// Refuses -o, -i and --dry-run where a command was given no edit and
    /// would only show the module. `what` says which edits there are.
    pub fn refuse_without_edit(&self, what: &str) -> anyhow::Result<()> {
        if self.output.is_some() || self.in_place || self.dry_run {
            return Err(UsageError(format!("nothing to change: give {what}")).into());
        }
        Ok(())
    }

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

    fn destination(&self, source: &Source) -> Destination {
        if self.dry_run {
            return Destination::Nowhere;
        }
        match (&self.output, source) {
            (Some(path), _) if path.as_os_str() == "-" => Destination::Stdout,
            (Some(path), _) => Destination::File(path.clone()),
            (None, Source::File(path)) if self.in_place => Destination::InPlace(path.clone()),
            _ => Destination::Nowhere,
        }
    }

    /// Reads the input from `source`, runs `edit` on its binary form, and
    /// finishes: the result is checked, written where asked and reported.
    pub fn run(
        &self,
        command: EditCommand,
        source: &Source,
        edit: impl FnOnce(&Input, &[u8]) -> anyhow::Result<Edit>,
    ) -> anyhow::Result<ExitCode> {
        let input = Input::read(source)?;
        let binary = input.to_binary()?;
        let before: &[u8] = &binary;
        let edit = edit(&input, before)?;
        self.check_input(&input)?;
        let request = Request {
            command,
            file: &input.name,
            destination: self.destination(source),
            dry_run: self.dry_run,
        };
        let report = wasmscope::edit::run(&request, before, edit, |bytes| {
            refuse_terminal("output")?;
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok::<_, anyhow::Error>(())
        })?;
        if self.quiet {
            return Ok(ExitCode::SUCCESS);
        }
        // With the module on stdout, the report goes to stderr.
        let mut sink: Box<dyn Write> = match request.destination {
            Destination::Stdout => Box::new(io::stderr().lock()),
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

/// Refuses to write binary `what` (`output`, `data`) to a terminal, where it
/// would only garble the screen.
pub fn refuse_terminal(what: &str) -> anyhow::Result<()> {
    if io::stdout().is_terminal() {
        return Err(UsageError(format!(
            "refusing to write binary {what} to a terminal; use -o FILE or redirect stdout"
        ))
        .into());
    }
    Ok(())
}

/// How many changes the human report lists before it summarises.
const SHOWN: usize = 40;

fn human(out: &mut dyn Write, r: &EditReport) -> io::Result<()> {
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
    for note in &r.notes {
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
    if r.nothing_changed() {
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
        (Action::Remove, false) => "removed",
        (Action::Add, false) => "added",
        (Action::Replace, false) => "replaced",
        (Action::Rename, false) => "renamed",
        (Action::Set, false) => "set",
        (Action::Remove, true) => "would remove",
        (Action::Add, true) => "would add",
        (Action::Replace, true) => "would replace",
        (Action::Rename, true) => "would rename",
        (Action::Set, true) => "would set",
    };
    let shown = if c.kind.names_a_symbol() {
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
