//! `wasmscope check`: modules held to a policy file, one exit status for CI,
//! and the verdict as text, JSON, GitHub annotations, SARIF or Markdown.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;
use serde::Serialize;
use wasmscope::check::{CheckReport, check, policy};
use wasmscope::input::{Loaded, Source};

use super::caps::collect_sources;
use super::write_stdout;
use super::{GlueArg, UsageError};

/// Hold modules to a policy: capabilities, sizes, proposals, imports,
/// exports, custom sections and functions, with one exit status for CI.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope check app.wasm                      with ./wasmscope.toml (or a parent's)
  wasmscope check --policy ci/wasm.toml dist/*.wasm
  wasmscope check -r dist/                      every module under dist/
  wasmscope check app.wasm --baseline main.wasm   size.max-growth against a build
  wasmscope check app.wasm --format github      annotations in a GitHub workflow
  wasmscope check app.wasm --format sarif > wasmscope.sarif
  wasmscope check app.wasm --format markdown    a table for a pull-request comment
  wasmscope check --init app.wasm               write a policy app.wasm passes
  wasmscope check codec.wasm --glue codec.js    a minified Emscripten build

The policy (TOML) has the tables [capabilities] (deny, allow, strict),
[size] (max, max-code, max-data, max-custom, max-compressed, compression,
max-growth), [features] (deny), [imports] (allow-modules, deny), [exports]
(require, deny), [custom] (forbid, require) and [functions] (max-size,
max-count); `check --init` writes one with every key explained.

Exit status: 0 every module passes, 1 a rule is broken, 2 trouble (a module
or the policy could not be read, or a usage error).")]
pub struct Opts {
    /// Modules (.wasm or .wat) or, with --recursive, directories.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// The policy file; by default `wasmscope.toml` in the current
    /// directory or the nearest parent that has one.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,

    /// The build to compare with for `size.max-growth`.
    #[arg(long, value_name = "OLD.wasm")]
    baseline: Option<PathBuf>,

    /// Look for .wasm and .wat files in directories, recursively.
    #[arg(short, long)]
    recursive: bool,

    #[command(flatten)]
    glue: GlueArg,

    /// How to write the verdict.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,

    /// Write a policy that the module passes as it is (to --policy FILE, or
    /// ./wasmscope.toml; `--policy -` prints it), instead of checking.
    #[arg(long)]
    init: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A line per module and per broken rule.
    Text,
    /// The reports (the schema is in the README).
    Json,
    /// GitHub workflow commands: one `::error` annotation per broken rule.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// A Markdown table, for a pull-request comment.
    Markdown,
}

/// The policy file found by default.
const POLICY_NAME: &str = "wasmscope.toml";

/// What `check --json` prints.
#[derive(Serialize)]
struct Verdict<'a> {
    policy: &'a str,
    passed: bool,
    modules: &'a [CheckReport],
    errors: &'a [Failure],
}

/// An input that could not be checked.
#[derive(Debug, Serialize)]
struct Failure {
    file: String,
    error: String,
}

impl Opts {
    /// Runs the check; trouble (a policy or module that cannot be read)
    /// exits 2, since 1 means a broken rule.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        self.check().map_err(|e| {
            if e.is::<UsageError>() || super::is_broken_pipe(&e) {
                e
            } else {
                super::Trouble(e.to_string()).into()
            }
        })
    }

    fn check(self) -> anyhow::Result<ExitCode> {
        if self.init {
            return self.init();
        }
        let sources = collect_sources(&self.files, self.recursive)?;
        if sources.is_empty() {
            return Err(UsageError("no .wasm or .wat files found".into()).into());
        }
        self.glue.check_single(sources.len())?;
        let path = self.policy_path()?;
        let text = read_policy(&path)?;
        let shown = path.display().to_string();
        let policy = policy::parse(&shown, &text).map_err(wasmscope::Error::from)?;
        let baseline = match &self.baseline {
            Some(b) => {
                let loaded = Loaded::load(&Source::from_arg(b))?;
                Some(loaded)
            }
            None => None,
        };
        let results: Vec<Result<CheckReport, Failure>> = sources
            .par_iter()
            .map(|source| {
                let fail = |error: String| Failure {
                    file: source.display_name(),
                    error,
                };
                let (loaded, glue) = self.glue.load(source).map_err(|e| fail(e.to_string()))?;
                let old = baseline
                    .as_ref()
                    .map(|b| (b.name.as_str(), b.bytes.as_ref()));
                let mut report = check(&loaded.name, &loaded.bytes, &loaded.index, &policy, old)
                    .map_err(|e| fail(loaded.error(e).to_string()))?;
                report.glue = glue;
                Ok(report)
            })
            .collect();
        let (checked, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let reports: Vec<CheckReport> = checked.into_iter().filter_map(Result::ok).collect();
        let errors: Vec<Failure> = failed.into_iter().filter_map(Result::err).collect();
        let format = if self.json { Format::Json } else { self.format };
        write_stdout(|out| match format {
            Format::Text => text_report(out, &reports),
            Format::Json => {
                let verdict = Verdict {
                    policy: &shown,
                    passed: errors.is_empty() && reports.iter().all(CheckReport::passes),
                    modules: &reports,
                    errors: &errors,
                };
                serde_json::to_writer_pretty(&mut *out, &verdict)?;
                writeln!(out)
            }
            Format::Github => github(out, &reports, &errors),
            Format::Sarif => sarif(out, &reports, &errors, &shown),
            Format::Markdown => markdown(out, &reports, &errors, &shown),
        })?;
        for f in &errors {
            eprintln!("error: {}", f.error);
        }
        Ok(if !errors.is_empty() {
            ExitCode::from(2)
        } else if reports.iter().all(CheckReport::passes) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    }

    /// `--policy`, or the nearest `wasmscope.toml` up from here.
    fn policy_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(p) = &self.policy {
            return Ok(p.clone());
        }
        let here = std::env::current_dir()?;
        here.ancestors()
            .map(|dir| dir.join(POLICY_NAME))
            .find(|p| p.is_file())
            .map(|p| relative_to(&p, &here))
            .ok_or_else(|| {
                UsageError(format!(
                    "no policy: give --policy FILE, or put {POLICY_NAME} in this directory or a parent (`wasmscope check --init MODULE` writes one)"
                ))
                .into()
            })
    }

    fn init(&self) -> anyhow::Result<ExitCode> {
        let [file] = self.files.as_slice() else {
            return Err(UsageError("--init takes one module".into()).into());
        };
        let (loaded, _) = self.glue.load(&Source::from_arg(file))?;
        let text = wasmscope::check::init::init(&loaded.name, &loaded.bytes, &loaded.index)
            .map_err(|e| loaded.error(e))?;
        let target = self
            .policy
            .clone()
            .unwrap_or_else(|| PathBuf::from(POLICY_NAME));
        if target.as_os_str() == "-" {
            write_stdout(|out| out.write_all(text.as_bytes()))?;
            return Ok(ExitCode::SUCCESS);
        }
        if target.exists() {
            return Err(UsageError(format!(
                "{} exists: remove it first, or give --policy NEW.toml (or `--policy -` to print)",
                target.display()
            ))
            .into());
        }
        wasmscope::output::write_atomic(&target, |out| {
            out.write_all(text.as_bytes())
                .map_err(|source| wasmscope::Error::Io {
                    path: target.clone(),
                    source,
                })
        })?;
        eprintln!(
            "wrote {}: {} passes it as it is",
            target.display(),
            loaded.name
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// Reads a policy file, refusing one too large to be a policy before
/// reading it whole.
fn read_policy(path: &Path) -> anyhow::Result<String> {
    let io = |source| wasmscope::Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > policy::MAX_POLICY_BYTES as u64 {
        anyhow::bail!(
            "{}: a policy file of more than 1 MiB is not a policy ({} bytes)",
            path.display(),
            meta.len()
        );
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 text (byte offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// `path` relative to `base` when it is under it (`../wasmscope.toml` is
/// kept absolute: messages name it as found).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Which glue named the module's imports, when one did or did not fit.
fn glue_line(out: &mut dyn Write, r: &CheckReport) -> std::io::Result<()> {
    match &r.glue {
        Some(glue) => writeln!(out, "  {}", glue.summary()),
        None => Ok(()),
    }
}

fn text_report(out: &mut dyn Write, reports: &[CheckReport]) -> std::io::Result<()> {
    for r in reports {
        let rules = if r.rules == 1 { "rule" } else { "rules" };
        if r.passes() {
            writeln!(out, "{}: passes {} ({} {rules})", r.file, r.policy, r.rules)?;
            glue_line(out, r)?;
        } else {
            writeln!(
                out,
                "{}: breaks {} of {} {rules} of {}",
                r.file,
                broken_rules(r),
                r.rules,
                r.policy
            )?;
            glue_line(out, r)?;
            for v in &r.violations {
                writeln!(
                    out,
                    "  {} ({}:{}): {}",
                    v.rule, r.policy, v.policy_line, v.message
                )?;
            }
        }
        for s in &r.skipped {
            writeln!(out, "  skipped {s}")?;
        }
    }
    Ok(())
}

/// How many distinct rules a report breaks.
fn broken_rules(r: &CheckReport) -> usize {
    let mut rules: Vec<&str> = r.violations.iter().map(|v| v.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    rules.len()
}

/// A GitHub workflow command's message: `%`, CR and LF escaped.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(out: &mut dyn Write, reports: &[CheckReport], errors: &[Failure]) -> std::io::Result<()> {
    for r in reports {
        for v in &r.violations {
            writeln!(
                out,
                "::error file={},title={}::{} (limit {}, {}:{})",
                github_property(&r.file),
                github_property(&format!("wasmscope check: {}", v.rule)),
                github_data(&v.message),
                github_data(&v.limit),
                github_data(&r.policy),
                v.policy_line
            )?;
        }
    }
    for f in errors {
        writeln!(
            out,
            "::error file={},title={}::{}",
            github_property(&f.file),
            github_property("wasmscope check: unreadable"),
            github_data(&f.error)
        )?;
    }
    Ok(())
}

/// What each rule means, for SARIF's rule list.
fn rule_description(rule: &str) -> &'static str {
    match rule {
        "capabilities.deny" => "The module needs a capability the policy denies.",
        "capabilities.allow" => "The module needs a capability the policy does not allow.",
        "size.max" => "The module is larger than the policy allows.",
        "size.max-code" => "The code section is larger than the policy allows.",
        "size.max-data" => "The data segments are larger than the policy allows.",
        "size.max-custom" => "The custom sections are larger than the policy allows.",
        "size.max-compressed" => "The compressed module is larger than the policy allows.",
        "size.max-growth" => "The module grew more than the policy allows against its baseline.",
        "features.deny" => "The module uses a WebAssembly proposal the policy denies.",
        "imports.allow-modules" => "The module imports from a module the policy does not list.",
        "imports.deny" => "The module has an import the policy denies.",
        "exports.require" => "The module lacks an export the policy requires.",
        "exports.deny" => "The module has an export the policy denies.",
        "custom.forbid" => "The module has a custom section the policy forbids.",
        "custom.require" => "The module lacks a custom section the policy requires.",
        "functions.max-size" => "A function is larger than the policy allows.",
        "functions.max-count" => "The module defines more functions than the policy allows.",
        _ => "A rule of the policy does not hold.",
    }
}

fn sarif(
    out: &mut dyn Write,
    reports: &[CheckReport],
    errors: &[Failure],
    policy: &str,
) -> std::io::Result<()> {
    use serde_json::json;
    let mut rules: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.violations.iter().map(|v| v.rule.as_str()))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let mut results = Vec::new();
    for r in reports {
        for v in &r.violations {
            // The bytes at fault when known, else the whole module.
            let region = match (v.offset, v.length) {
                (Some(offset), Some(length)) => json!({"byteOffset": offset, "byteLength": length}),
                _ => json!({"byteOffset": 0, "byteLength": r.size}),
            };
            let location = json!({
                "physicalLocation": {"artifactLocation": {"uri": uri(&r.file)}, "region": region}
            });
            results.push(json!({
                "ruleId": v.rule,
                "ruleIndex": rules.iter().position(|x| *x == v.rule),
                "level": "error",
                "message": {"text": format!("{} (limit {})", v.message, v.limit)},
                "locations": [location],
                "relatedLocations": [{
                    "id": 0,
                    "message": {"text": "the rule in the policy"},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(policy)},
                        "region": {"startLine": v.policy_line}
                    }
                }],
                "properties": {"measured": v.measured, "limit": v.limit}
            }));
        }
    }
    let notifications: Vec<serde_json::Value> = errors
        .iter()
        .map(|f| {
            json!({
                "level": "error",
                "message": {"text": f.error},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.file)}}}]
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "wasmscope",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules.iter().map(|id| json!({
                    "id": id,
                    "shortDescription": {"text": rule_description(id)},
                    "defaultConfiguration": {"level": "error"}
                })).collect::<Vec<_>>()
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications
            }],
            "results": results
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A file name as a URI reference: relative as given, an absolute path as
/// a `file://` URI; separators made `/`, and characters a URI cannot hold
/// percent-encoded.
fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut out = String::new();
    if Path::new(path).is_absolute() {
        out.push_str(if slashed.starts_with('/') {
            "file://"
        } else {
            "file:///"
        });
    }
    for b in slashed.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A Markdown table cell: pipes escaped, on one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(
    out: &mut dyn Write,
    reports: &[CheckReport],
    errors: &[Failure],
    policy: &str,
) -> std::io::Result<()> {
    let failing = reports.iter().filter(|r| !r.passes()).count();
    let total = reports.len() + errors.len();
    if failing == 0 && errors.is_empty() {
        writeln!(
            out,
            "### wasmscope check: {} passes `{}`",
            if total == 1 {
                "the module".to_string()
            } else {
                format!("all {total} modules")
            },
            cell(policy)
        )?;
    } else {
        writeln!(
            out,
            "### wasmscope check: {} of {total} {} {} `{}`",
            failing + errors.len(),
            if total == 1 { "module" } else { "modules" },
            if failing + errors.len() == 1 {
                "fails"
            } else {
                "fail"
            },
            cell(policy)
        )?;
    }
    if failing > 0 {
        writeln!(out)?;
        writeln!(out, "| module | rule | measured | limit | what |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for r in reports {
            for v in &r.violations {
                writeln!(
                    out,
                    "| {} | [{}]({}#L{}) | {} | {} | {} |",
                    cell(&r.file),
                    cell(&v.rule),
                    uri(policy),
                    v.policy_line,
                    cell(&v.measured),
                    cell(&v.limit),
                    cell(&v.message)
                )?;
            }
        }
    }
    if !errors.is_empty() {
        writeln!(out)?;
        for f in errors {
            writeln!(out, "- **{}**: {}", cell(&f.file), cell(&f.error))?;
        }
    }
    let passing: Vec<String> = reports
        .iter()
        .filter(|r| r.passes())
        .map(|r| format!("`{}` ({} rules)", cell(&r.file), r.rules))
        .collect();
    if !passing.is_empty() && (failing > 0 || !errors.is_empty() || total > 1) {
        writeln!(out)?;
        writeln!(out, "Passing: {}", passing.join(", "))?;
    }
    Ok(())
}
