//! `wasmscope man`: the manual page, in roff.

use std::process::ExitCode;

use clap::CommandFactory;

use super::{UsageError, write_stdout};

/// Print the manual page of wasmscope, or of one of its commands, as roff
/// for `man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope man | man -l -                      read it now
  wasmscope man caps | man -l -                 the page of one command
  wasmscope man > ~/.local/share/man/man1/wasmscope.1
  for c in caps check print; do wasmscope man $c > wasmscope-$c.1; done

Exit status: 0 printed, 2 usage error (no such command).")]
pub struct Opts {
    /// A command to give the page of (`caps`, `print`...); by default
    /// wasmscope's own page, which lists them all.
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let root = super::Cli::command();
        let page = match &self.command {
            None => root,
            Some(name) => {
                let Some(sub) = root.find_subcommand(name).cloned() else {
                    let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
                    return Err(UsageError(format!(
                        "no command `{name}` (commands: {})",
                        names.join(", ")
                    ))
                    .into());
                };
                // The page is named after the command line that runs it.
                let title = format!("wasmscope-{}", sub.get_name());
                let command_line = format!("wasmscope {}", sub.get_name());
                sub.name(title)
                    .bin_name(command_line)
                    .version(env!("CARGO_PKG_VERSION"))
            }
        };
        // The examples keep their lines and columns: clap_mangen would fill
        // them as a paragraph, so they are written here, with the exit
        // status as a section of its own.
        let after = page
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        let man = clap_mangen::Man::new(page.after_help(None::<&str>));
        let sections = sections(&after);
        write_stdout(|out| {
            man.render(out)?;
            out.write_all(sections.as_bytes())
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

/// The text after `--help`'s options as man sections: `Examples:` as
/// EXAMPLES, lines kept; `Exit status:` as EXIT STATUS; anything else as
/// NOTES.
fn sections(after: &str) -> String {
    use roff::{Roff, roman};
    let mut roff = Roff::new();
    for block in after
        .split("\n\n")
        .map(str::trim_end)
        .filter(|b| !b.is_empty())
    {
        if let Some(examples) = block.strip_prefix("Examples:") {
            roff.control("SH", ["EXAMPLES"]);
            roff.control("nf", []);
            for line in examples.lines().filter(|l| !l.trim().is_empty()) {
                roff.text([roman(line.to_string())]);
            }
            roff.control("fi", []);
        } else if let Some(status) = block.strip_prefix("Exit status:") {
            roff.control("SH", ["EXIT STATUS"]);
            roff.text([roman(status.trim().replace('\n', " "))]);
        } else {
            roff.control("SH", ["NOTES"]);
            roff.text([roman(block.replace('\n', " "))]);
        }
    }
    roff.to_roff()
}
