//! `wasmscope completions`: a completion script for a shell.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::write_stdout;

/// Print a completion script for a shell: subcommands, options and their
/// values complete on Tab.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  source <(wasmscope completions bash)           bash, this session
  wasmscope completions bash > ~/.local/share/bash-completion/completions/wasmscope
  wasmscope completions zsh > ~/.zfunc/_wasmscope
  wasmscope completions fish > ~/.config/fish/completions/wasmscope.fish
  wasmscope completions powershell >> $PROFILE

Exit status: 0 printed, 2 usage error.")]
pub struct Opts {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let mut command = super::Cli::command();
        write_stdout(|out| {
            clap_complete::generate(self.shell, &mut command, "wasmscope", out);
            Ok(())
        })?;
        Ok(ExitCode::SUCCESS)
    }
}
