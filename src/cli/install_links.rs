//! `wasmscope install-links`: links under WABT's tool names.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::wabt::TOOLS;

/// Make links named `wasm2wat`, `wat2wasm`, `wasm-validate`, `wasm-strip`
/// and `wasm-objdump` to this binary in DIR.
///
/// Started under one of those names, wasmscope takes that WABT tool's
/// options (WABT 1.0.32's) and prints what it prints, while reading every
/// proposal and components; so a script written for WABT works unchanged
/// with DIR first on its PATH. `wasm2wat --help` (and the others) say where
/// wasmscope deliberately differs.
///
/// The links are symbolic links on Unix and hard links elsewhere. A file
/// already there is left alone unless it is a link to this binary, or
/// --force is given.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope install-links ~/.local/bin
  wasmscope install-links --force /usr/local/bin
  PATH=\"$HOME/wabt-compat:$PATH\" wasm-objdump -h app.wasm

Exit status: 0 all links made, 1 a link could not be made, 2 usage error.")]
pub struct Opts {
    /// The directory to make the links in (created if missing).
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// Replace files that are already there.
    #[arg(long)]
    force: bool,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let exe = std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .context("cannot tell where this binary is")?;
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create the directory", self.dir.display()))?;
        for tool in TOOLS {
            let link = self
                .dir
                .join(tool.name())
                .with_extension(std::env::consts::EXE_EXTENSION);
            let state = if points_to(&link, &exe) {
                "already there"
            } else {
                if link.symlink_metadata().is_ok() {
                    if !self.force {
                        anyhow::bail!(
                            "{}: a file is already there (--force replaces it)",
                            link.display()
                        );
                    }
                    std::fs::remove_file(&link)
                        .with_context(|| format!("{}: cannot replace it", link.display()))?;
                }
                make_link(&exe, &link)
                    .with_context(|| format!("{}: cannot make the link", link.display()))?;
                "made"
            };
            println!("{} -> {} ({state})", link.display(), exe.display());
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Whether `link` is already this binary.
fn points_to(link: &Path, exe: &Path) -> bool {
    link.canonicalize().is_ok_and(|target| target == exe)
}

#[cfg(unix)]
fn make_link(exe: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(exe, link)
}

#[cfg(not(unix))]
fn make_link(exe: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::hard_link(exe, link)
}
