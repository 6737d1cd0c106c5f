//! `wasmscope edit`: change a module as text in an editor.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, ExitCode};

use wasmscope::Input;
use wasmscope::edit::text::TextEdit;
use wasmscope::edit::{Edit, EditCommand};
use wasmscope::print::FunctionSelector;

use super::InputArg;
use super::editing::EditArgs;

/// Edit a module (or one function) as text in $VISUAL or $EDITOR.
///
/// The module is printed to a temporary .wat file and the editor opened on
/// it. When the editor exits, the text is parsed and validated; on an error
/// the message is shown and you are asked whether to open the editor again
/// with your text kept (answer n, or end the input, to stop: nothing is
/// written). Sections and function bodies you did not change are copied from
/// the original byte for byte. With --func only that function's text is
/// opened. The editor command is run by the shell, so `EDITOR="code --wait"`
/// works.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope edit app.wasm -i                      the whole module, in place
  wasmscope edit app.wasm --func _start -o out.wasm
  EDITOR=nano wasmscope edit app.wasm --func 42 -i
  wasmscope edit app.wasm --func main --dry-run   what the edit would change

Exit status: 0 written (or nothing changed), 1 the edit was abandoned or the module could not be read, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// Edit only this function (a name from the name section, or an index).
    #[arg(long, value_name = "NAME|INDEX")]
    func: Option<String>,
}

/// The editor to run: $VISUAL, then $EDITOR, then vi.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let source = self.input.source()?;
        if source == wasmscope::Source::Stdin {
            return Err(super::UsageError(
                "edit needs the terminal for the editor: give a FILE or --demo, not stdin".into(),
            )
            .into());
        }
        self.edit.check(&source)?;
        self.edit.run(EditCommand::Edit, &source, |input, bytes| {
            self.edit.check_input(input)?;
            self.session(input, bytes)
        })
    }

    /// Opens the editor on the module's text until the text makes a valid
    /// module or the user gives up.
    fn session(&self, input: &Input, bytes: &[u8]) -> anyhow::Result<Edit> {
        let selector = self.func.as_deref().map(FunctionSelector::parse);
        let session = TextEdit::open(bytes, &input.name, selector.as_ref())?;
        let stem = match (&selector, session.function) {
            (Some(_), Some(f)) => format!("func{f}-"),
            _ => String::new(),
        };
        let file = tempfile::Builder::new()
            .prefix(&format!("wasmscope-edit-{stem}"))
            .suffix(".wat")
            .tempfile()?;
        let path = file.path().to_path_buf();
        let label = path.display().to_string();
        let mut text = session.text().to_string();
        let editor = editor();
        loop {
            std::fs::write(&path, &text)?;
            let status = Command::new("sh")
                .arg("-c")
                .arg(format!("{editor} \"$@\""))
                .arg(&editor)
                .arg(&path)
                .status()
                .map_err(|e| anyhow::anyhow!("cannot run the editor `{editor}`: {e}"))?;
            if !status.success() {
                anyhow::bail!("the editor `{editor}` failed ({status}); nothing was written");
            }
            text = std::fs::read_to_string(&path)?;
            match session.apply(bytes, &input.name, &text, &label) {
                Ok(edit) => return Ok(edit),
                Err(e) => {
                    eprintln!("error: {e}");
                    if !ask_again()? {
                        anyhow::bail!(
                            "{}: the edit was abandoned; nothing was written",
                            input.name
                        );
                    }
                }
            }
        }
    }
}

/// Asks on stderr whether to reopen the editor; reads the answer from stdin.
fn ask_again() -> anyhow::Result<bool> {
    let stdin = std::io::stdin();
    let mut err = std::io::stderr();
    write!(err, "Open the editor again with your text? [Y/n] ")?;
    err.flush()?;
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer)? == 0 {
        writeln!(err)?;
        return Ok(false);
    }
    let answer = answer.trim().to_ascii_lowercase();
    let yes = answer.is_empty() || answer == "y" || answer == "yes";
    // Without a terminal an empty line is not a considered answer.
    Ok(yes && (!answer.is_empty() || stdin.is_terminal()))
}
