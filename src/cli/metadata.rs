//! `wasmscope metadata`: show and change the producers record and the
//! module's name.

use std::process::ExitCode;

use wasmscope::edit::EditCommand;
use wasmscope::edit::metadata::{AddProducer, edit, show};

use super::editing::EditArgs;
use super::render::json;
use super::{InputArg, UsageError, write_stdout};

/// Show or change the producers record and the module's name.
///
/// The producers section says which languages, tools and SDKs made a module
/// (`language`, `processed-by`, `sdk`, each a list of NAME and VERSION).
/// Without an edit, the record and the module's name are shown. A producer
/// that is already listed gets the new version. --set-module-name writes the
/// name section's module name (a component's name for a component); the
/// rest of the name section is copied as it is.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  wasmscope metadata app.wasm
  wasmscope metadata app.wasm --json
  wasmscope metadata app.wasm --add-producer processed-by=my-bundler@2.1 -i
  wasmscope metadata app.wasm --add-producer sdk=my-sdk --set-module-name app -o out.wasm

Exit status: 0 done, 1 the module could not be read or the result would not validate, 2 usage error.")]
pub struct Opts {
    #[command(flatten)]
    input: InputArg,

    #[command(flatten)]
    edit: EditArgs,

    /// Record a producer: language=NAME[@VERSION], processed-by=... or
    /// sdk=... Repeatable.
    #[arg(long, value_name = "FIELD=NAME[@VERSION]", value_parser = AddProducer::parse)]
    add_producer: Vec<AddProducer>,

    /// Set the module's name in the name section.
    #[arg(long, value_name = "NAME")]
    set_module_name: Option<String>,
}

impl Opts {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        if self.add_producer.is_empty() && self.set_module_name.is_none() {
            self.edit
                .refuse_without_edit("--add-producer or --set-module-name")?;
            return self.show();
        }
        if let Some(name) = &self.set_module_name {
            wasmscope::edit::metadata::check_name(name).map_err(|e| UsageError(e.to_string()))?;
        }
        let source = self.edit.source(&self.input)?;
        self.edit
            .run(EditCommand::Metadata, &source, |input, bytes| {
                Ok(edit(
                    bytes,
                    &input.name,
                    &self.add_producer,
                    self.set_module_name.as_deref(),
                )?)
            })
    }

    fn show(&self) -> anyhow::Result<ExitCode> {
        let (_, input) = self.input.read()?;
        let bytes = input.to_binary()?;
        let shown = show(&bytes, &input.name)?;
        write_stdout(|out| {
            if self.edit.json {
                return json(out, &shown);
            }
            let meta = &shown.metadata;
            match &meta.name {
                Some(name) => writeln!(out, "name: {name}")?,
                None => writeln!(out, "name: (none)")?,
            }
            if meta.producers.is_empty() {
                return writeln!(out, "producers: (none)");
            }
            writeln!(out, "producers:")?;
            let width = meta
                .producers
                .iter()
                .map(|f| f.name.len())
                .max()
                .unwrap_or(0);
            for field in &meta.producers {
                let values: Vec<String> = field
                    .values
                    .iter()
                    .map(|v| {
                        if v.version.is_empty() {
                            v.name.clone()
                        } else {
                            format!("{} {}", v.name, v.version)
                        }
                    })
                    .collect();
                writeln!(out, "  {:width$}  {}", field.name, values.join(", "))?;
            }
            Ok(())
        })?;
        Ok(ExitCode::SUCCESS)
    }
}
