//! `wasmscope custom`: list, add, replace, remove and extract custom sections.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use wasmscope::edit::EditCommand;
use wasmscope::edit::custom::{CustomOp, edit, extract, listing};

use super::editing::{EditArgs, refuse_terminal};
use super::render::{Table, json};
use super::{InputArg, UsageError, write_stdout};

/// List, add, replace, remove or extract custom sections.
///
/// Works on the outermost module or component. New sections go at the end;
/// a replaced section keeps its place. Removals are done first, then
/// replacements, then additions. Data for a section whose format is known
/// (`name`, `producers`, `dylink.0`, `linking`, `reloc.*`...) is checked
/// before it is written. Without an edit (or with --list) the custom
/// sections are listed.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope custom app.wasm --list
  wasmscope custom app.wasm --add license=@LICENSE -o app.out.wasm
  git rev-parse HEAD | wasmscope custom app.wasm --add commit=@- -i
  wasmscope custom app.wasm --replace sourceMappingURL=https://example.com/app.map -i
  wasmscope custom app.wasm --remove .debug_str --dry-run
  wasmscope custom app.wasm --extract producers -o producers.bin

Exit status: 0 done, 1 no such section, a duplicate, malformed data, or the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// List the custom sections: name, offset and size.
    #[arg(long, conflicts_with_all = ["add", "replace", "remove", "extract"])]
    list: bool,

    /// Add a section: NAME=@FILE reads the data from FILE, NAME=@- from
    /// stdin, NAME=TEXT takes TEXT itself. Refused if NAME exists. Repeatable.
    #[arg(long, value_name = "NAME=@FILE")]
    add: Vec<String>,

    /// Replace the data of an existing section, in its place (the same forms
    /// as --add). Repeatable.
    #[arg(long, value_name = "NAME=@FILE")]
    replace: Vec<String>,

    /// Remove every section named NAME. Repeatable.
    #[arg(long, value_name = "NAME")]
    remove: Vec<String>,

    /// Write the data of the section NAME to -o FILE (or stdout).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["add", "replace", "remove"])]
    extract: Option<String>,
}

/// Reads the data for `NAME=@FILE`, `NAME=@-` or `NAME=TEXT`.
fn section_arg(text: &str, stdin_used: &mut bool) -> anyhow::Result<(String, Vec<u8>)> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(UsageError(format!("expected NAME=@FILE or NAME=TEXT, got `{text}`")).into());
    };
    if name.is_empty() {
        return Err(UsageError(format!("`{text}` names no section")).into());
    }
    let data = match value.strip_prefix('@') {
        Some("-") => {
            if *stdin_used {
                return Err(UsageError("stdin can be read only once".into()).into());
            }
            *stdin_used = true;
            let mut data = Vec::new();
            std::io::stdin().read_to_end(&mut data)?;
            data
        }
        Some(path) => std::fs::read(path).map_err(|source| wasmscope::Error::Io {
            path: PathBuf::from(path),
            source,
        })?,
        None => value.as_bytes().to_vec(),
    };
    Ok((name.to_string(), data))
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let editing = !(self.add.is_empty() && self.replace.is_empty() && self.remove.is_empty());
        if let Some(section) = &self.extract {
            return self.extract(section);
        }
        if self.list || !editing {
            self.edit
                .refuse_without_edit("--add, --replace, --remove or --extract")?;
            return self.list();
        }
        let source = self.edit.source(&self.input)?;
        let uses_stdin = self
            .add
            .iter()
            .chain(&self.replace)
            .any(|a| a.ends_with("=@-"));
        if uses_stdin && source == wasmscope::Source::Stdin {
            return Err(UsageError(
                "the module and the section data cannot both come from stdin".into(),
            )
            .into());
        }
        let mut stdin_used = false;
        let mut ops: Vec<CustomOp> = self
            .remove
            .iter()
            .map(|n| CustomOp::Remove(n.clone()))
            .collect();
        for r in &self.replace {
            let (name, data) = section_arg(r, &mut stdin_used)?;
            ops.push(CustomOp::Replace(name, data));
        }
        for a in &self.add {
            let (name, data) = section_arg(a, &mut stdin_used)?;
            ops.push(CustomOp::Add(name, data));
        }
        self.edit.run(EditCommand::Custom, &source, |input, bytes| {
            Ok(edit(bytes, &input.name, &ops)?)
        })
    }

    fn list(&self) -> anyhow::Result<ExitCode> {
        let (_, input) = self.input.read()?;
        let bytes = input.to_binary()?;
        let listing = listing(&bytes, &input.name)?;
        write_stdout(|out| {
            if self.edit.json {
                return json(out, &listing);
            }
            let customs = &listing.customs;
            if customs.is_empty() {
                return writeln!(out, "no custom sections");
            }
            let mut table = Table::new(&["name", "offset", "size", "data"]);
            for c in customs {
                table.row(vec![
                    c.name.clone(),
                    format!("0x{:x}", c.offset),
                    c.size.to_string(),
                    c.data_size.to_string(),
                ]);
            }
            table.render(out)
        })?;
        Ok(ExitCode::SUCCESS)
    }

    fn extract(&self, section: &str) -> anyhow::Result<ExitCode> {
        if self.edit.in_place || self.edit.dry_run {
            return Err(UsageError("--extract writes to -o FILE or stdout".into()).into());
        }
        let (source, input) = self.input.read()?;
        let bytes = input.to_binary()?;
        let data = extract(&bytes, &input.name, section)?;
        match &self.edit.output {
            Some(path) if path.as_os_str() != "-" => {
                wasmscope::output::ensure_not_input(&source, path)?;
                wasmscope::output::write_atomic(path, |out| super::write_bytes(out, data))?;
            }
            _ => {
                if std::str::from_utf8(data).is_err() {
                    refuse_terminal("data")?;
                }
                let mut out = std::io::stdout().lock();
                out.write_all(data)?;
                out.flush()?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
