//! `wasmscope caps`: what a module would need from its host.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;
use wasmscope::Source;
use wasmscope::caps::{Capability, Caps, Failure, Policy, Report, Reports, Runtime, Usage};
use wasmscope::debuginfo::{Companions, DebugInfo, DebugOptions};

use super::render::{JsonArg, Table, json};
use super::{GlueArg, UsageError, write_stdout};

/// Audit what a module asks of its host: files, network, environment,
/// clocks, a JavaScript host... and whether its reachable code really uses it.
///
/// Each capability comes with its risk, what it means, and the imports that
/// need it; imports that are linked but never called from the exports, the
/// start function or a table are marked unreachable. Several files (or a
/// directory with --recursive) give a summary table.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope caps app.wasm
  wasmscope caps --demo --runtime wasmer
  wasmscope caps plugins/ --recursive            one line per module
  wasmscope caps app.wasm --deny net,process     fail a CI job on a reachable net import
  wasmscope caps app.wasm --allow stdout,stderr,clock,random,exit --strict
  wasmscope caps app.wasm --json
  wasmscope caps codec.wasm --glue codec.js      a minified Emscripten build

Capabilities, most dangerous first: js-eval process dynamic-linking net-inbound
net-outbound net-tcp net-udp dns http-out http-in js-host fs-write fs-read
fs-list fs-meta fs-preopens env cwd signals threads host-custom args stdin
stdout stderr tty clock timers random exit neutral. In --deny and --allow,
`fs`, `net` and `js` stand for their whole groups.

Exit status: 0 audited (and within policy), 1 a module could not be read or a
policy was broken, 2 usage error.")]
pub struct Opts {
    /// Modules (.wasm or .wat) or, with --recursive, directories.
    #[arg(value_name = "FILE", required_unless_present = "demo")]
    files: Vec<PathBuf>,

    /// Audit the demo module built into wasmscope.
    #[arg(long)]
    demo: bool,

    /// Look for .wasm and .wat files in directories, recursively.
    #[arg(short, long)]
    recursive: bool,

    /// Fail if reachable code needs any of these capabilities.
    #[arg(long, value_name = "CAP,...", value_parser = cap_list)]
    deny: Option<CapList>,

    /// Fail if reachable code needs anything else (neutral plumbing aside).
    #[arg(long, value_name = "CAP,...", value_parser = cap_list)]
    allow: Option<CapList>,

    /// Let linked-but-unreachable imports count for --deny and --allow, and
    /// for the runtime command line.
    #[arg(long)]
    strict: bool,

    /// The runtime to write a command line for.
    #[arg(long, value_enum, default_value_t = RuntimeArg::Wasmtime)]
    runtime: RuntimeArg,

    #[command(flatten)]
    glue: GlueArg,

    #[command(flatten)]
    json: JsonArg,
}

/// A comma-separated capability list, kept whole (clap would otherwise take
/// a parsed `Vec` for several occurrences of the option).
#[derive(Debug, Clone)]
struct CapList(Vec<Capability>);

fn cap_list(s: &str) -> Result<CapList, String> {
    wasmscope::caps::parse_list(s).map(CapList)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RuntimeArg {
    Wasmtime,
    Wasmer,
}

impl From<RuntimeArg> for Runtime {
    fn from(arg: RuntimeArg) -> Runtime {
        match arg {
            RuntimeArg::Wasmtime => Runtime::Wasmtime,
            RuntimeArg::Wasmer => Runtime::Wasmer,
        }
    }
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let mut sources = self.sources()?;
        if self.demo {
            sources.push(Source::Demo);
        }
        if sources.is_empty() {
            return Err(UsageError("no .wasm or .wat files found".into()).into());
        }
        self.glue.check_single(sources.len())?;
        let policy = Policy {
            deny: self.deny.clone().map(|l| l.0).unwrap_or_default(),
            allow: self.allow.clone().map(|l| l.0),
            strict: self.strict,
        };
        let results: Vec<Result<Report, Failure>> = sources
            .par_iter()
            .map(|source| self.audit(source, &policy))
            .collect();
        let several = results.len() > 1;
        let (audited, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let all = Reports {
            modules: audited.into_iter().filter_map(Result::ok).collect(),
            errors: failed.into_iter().filter_map(Result::err).collect(),
        };
        let broken = all.modules.iter().any(|a| !a.violations.is_empty());

        write_stdout(|out| {
            if self.json.json {
                if several {
                    return json(out, &all);
                }
                return match all.modules.first() {
                    Some(a) => json(out, a),
                    None => Ok(()),
                };
            }
            if several {
                summary(out, &all.modules)
            } else {
                all.modules.iter().try_for_each(|a| report(out, a))
            }
        })?;
        for f in &all.errors {
            eprintln!("error: {}", f.error);
        }
        for a in &all.modules {
            for v in &a.violations {
                eprintln!(
                    "error: {}: denied capability {} (needed by {})",
                    a.caps.file,
                    v.name(),
                    a.imports_needing(*v, self.strict).join(", ")
                );
            }
        }
        Ok(if broken || !all.errors.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }

    /// The files to audit: those given, and with --recursive the .wasm files
    /// under the directories given.
    fn sources(&self) -> anyhow::Result<Vec<Source>> {
        collect_sources(&self.files, self.recursive)
    }

    fn audit(&self, source: &Source, policy: &Policy) -> Result<Report, Failure> {
        let fail = |error: String| Failure {
            file: source.display_name(),
            error,
        };
        let (loaded, glue) = self.glue.load(source).map_err(|e| fail(e.to_string()))?;
        let mut caps = wasmscope::caps::audit(&loaded.name, &loaded.bytes, &loaded.index)
            .map_err(|e| fail(loaded.error(e).to_string()))?;
        caps.glue = glue;
        // Where the calls are: from the module's own debug info, or files it
        // names next to it.
        let path = match source {
            Source::File(path) => Some(path.as_path()),
            _ => None,
        };
        let options = DebugOptions::default();
        let companions = Companions::find(&loaded, path, &options).unwrap_or_default();
        let debug = DebugInfo::new(&loaded, &companions, &options);
        wasmscope::caps::locate_calls(&mut caps, &loaded.bytes, &loaded.index, &debug)
            .map_err(|e| fail(loaded.error(e).to_string()))?;
        Ok(Report::new(caps, policy, self.runtime.into()))
    }
}

/// The inputs named on a command line: files as they are, and with
/// `recursive` the .wasm and .wat files under directories.
pub(super) fn collect_sources(files: &[PathBuf], recursive: bool) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in files {
        if path.is_dir() {
            if !recursive {
                return Err(UsageError(format!(
                    "{} is a directory (add --recursive to take the modules in it)",
                    path.display()
                ))
                .into());
            }
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            sources.extend(found.into_iter().map(Source::File));
        } else {
            sources.push(Source::from_arg(path));
        }
    }
    Ok(sources)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| wasmscope::Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "wasm" || e == "wat") {
            found.push(path);
        }
    }
    Ok(())
}

fn report(out: &mut dyn Write, a: &Report) -> std::io::Result<()> {
    let c = &a.caps;
    writeln!(out, "{}: {}, {}", c.file, c.kind, c.role.describe())?;
    if let Some(glue) = &c.glue {
        writeln!(out, "{}", glue.summary())?;
    }
    if !c.toolchain.is_empty() {
        writeln!(out, "toolchain: {}", c.toolchain.join("; "))?;
    }
    let host = if c.wasi.is_empty() {
        "none recognised".to_string()
    } else {
        hosts(c).join(", ")
    };
    writeln!(out, "host interfaces: {host}")?;
    writeln!(out)?;
    if c.capabilities.is_empty() {
        writeln!(out, "no imports: it needs nothing from its host")?;
    }
    let mut table = Table::new(&["risk", "capability", "use", "imports"]);
    for cap in &c.capabilities {
        let mut imports: Vec<String> = cap
            .imports
            .iter()
            .map(|i| {
                let mut label = if c.kind == wasmscope::info::Kind::Component {
                    match i.nested {
                        Some(n) => format!("[{n}] {}", i.label()),
                        None => i.label(),
                    }
                } else {
                    i.name.clone()
                };
                if !i.reachable {
                    label.push_str(" (unreachable)");
                }
                if i.guessed {
                    label.push_str(" (guessed)");
                }
                if i.possible {
                    label.push_str(" (by mode)");
                }
                label
            })
            .collect();
        if imports.len() > 6 {
            let more = imports.len() - 5;
            imports.truncate(5);
            imports.push(format!("... {more} more"));
        }
        table.row(vec![
            cap.risk.name().to_string(),
            cap.name.to_string(),
            cap.usage().label().to_string(),
            imports.join(", "),
        ]);
    }
    if !c.capabilities.is_empty() {
        table.render(out)?;
        writeln!(out)?;
        for cap in c.needed(false) {
            writeln!(out, "  {:<14}{}", cap.name, cap.meaning)?;
        }
    }
    let mut calls = Vec::new();
    for cap in c.needed(false) {
        for import in cap.imports.iter().filter(|i| !i.calls.is_empty()) {
            const SHOWN: usize = 3;
            // A line inlined twice is one place to a reader.
            let mut places: Vec<String> = import.calls.iter().map(|c| c.describe()).collect();
            places.dedup();
            for place in places.iter().take(SHOWN) {
                calls.push(vec![
                    cap.name.to_string(),
                    import.name.clone(),
                    place.clone(),
                ]);
            }
            if places.len() > SHOWN {
                let more = places.len() - SHOWN;
                calls.push(vec![
                    String::new(),
                    String::new(),
                    format!(
                        "... {more} more {}",
                        if more == 1 { "place" } else { "places" }
                    ),
                ]);
            }
        }
    }
    let reached = reached_from(c);
    if !reached.is_empty() {
        writeln!(out, "\nwhich exports reach them:")?;
        let mut table = Table::new(&["capability", "import", "reached from"]);
        for row in reached {
            table.row(row);
        }
        table.render(out)?;
    }
    if !calls.is_empty() {
        writeln!(out, "\nwhere reachable code calls them:")?;
        let mut table = Table::new(&["capability", "import", "called from"]);
        for row in calls {
            table.row(row);
        }
        table.render(out)?;
    }
    let linked_only: Vec<&str> = c
        .capabilities
        .iter()
        .filter(|cap| cap.usage() == Usage::LinkedOnly && cap.capability() != Capability::Neutral)
        .map(|cap| cap.name)
        .collect();
    if !linked_only.is_empty() {
        writeln!(
            out,
            "\nlinked but never called from reachable code: {}",
            linked_only.join(", ")
        )?;
    }
    for note in &c.notes {
        writeln!(out, "note: {note}")?;
    }
    match &a.run.command {
        Some(command) => writeln!(out, "\nrun it with {}:\n  {command}", a.run.runtime.name())?,
        None => writeln!(
            out,
            "\nno {} command line: see the note below",
            a.run.runtime.name()
        )?,
    }
    for note in &a.run.notes {
        writeln!(out, "  note: {note}")?;
    }
    if !a.violations.is_empty() {
        writeln!(out, "\npolicy: denied {}", names(&a.violations).join(", "))?;
    }
    Ok(())
}

/// The rows of the "which exports reach them" table of a component: each
/// needed capability's reached imports with the exports that reach them.
fn reached_from(c: &Caps) -> Vec<Vec<String>> {
    const SHOWN: usize = 3;
    let mut rows = Vec::new();
    for cap in c.needed(false) {
        for import in cap.imports.iter().filter(|i| !i.reached_from.is_empty()) {
            let mut from: Vec<String> = import.reached_from.iter().take(SHOWN).cloned().collect();
            if import.reached_from.len() > SHOWN {
                from.push(format!("... {} more", import.reached_from.len() - SHOWN));
            }
            rows.push(vec![cap.name.to_string(), import.label(), from.join(", ")]);
        }
    }
    rows
}

fn summary(out: &mut dyn Write, audited: &[Report]) -> std::io::Result<()> {
    let mut table = Table::new(&[
        "module",
        "kind",
        "role",
        "host",
        "capabilities called (risk order)",
    ]);
    for a in audited {
        let c = &a.caps;
        let caps: Vec<&str> = c.needed(false).map(|u| u.name).collect();
        let role = serde_json::to_value(c.role)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut needed = caps.join(" ");
        if !a.violations.is_empty() {
            needed.push_str(&format!("  [denied: {}]", names(&a.violations).join(",")));
        }
        table.row(vec![
            c.file.clone(),
            c.kind.to_string(),
            role,
            hosts(c).join(","),
            needed,
        ]);
    }
    table.render(out)
}

fn names(caps: &[Capability]) -> Vec<&'static str> {
    caps.iter().map(|c| c.name()).collect()
}

fn hosts(c: &Caps) -> Vec<&'static str> {
    c.wasi.iter().map(|h| h.name()).collect()
}
