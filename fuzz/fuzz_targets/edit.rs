//! Binary input through every editing command: `strip`, `export`, `custom`,
//! `metadata`, `gc`, and `edit` handed back its own text unchanged. When the
//! input is valid, whatever an edit produces must be valid too: an edit may
//! refuse, but never corrupt.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::edit::custom::{self, CustomOp};
use wasmscope::edit::export::{self, ExportOp};
use wasmscope::edit::gc::{GcOptions, gc};
use wasmscope::edit::metadata::{self, AddProducer};
use wasmscope::edit::strip::{StripOptions, strip};
use wasmscope::edit::text::TextEdit;
use wasmscope::edit::{Edit, Patterns};
use wasmscope::print::FunctionSelector;
use wasmscope_fuzz::{Bytes, index, validates};

const NAME: &str = "fuzz.wasm";

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let command = input.byte();
    let pick = input.byte();
    let name = input.name();
    let payload = input.slice();
    let bytes = input.rest();
    // An export name of the module, so that export edits often hit one.
    let export = index(bytes)
        .and_then(|ix| {
            let n = ix.exports.len();
            (n > 0).then(|| ix.exports[usize::from(pick) % n].name.clone())
        })
        .unwrap_or_else(|| name.clone());
    let patterns =
        |list: &[&str]| Patterns::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());

    let result: wasmscope::Result<Edit> = match command % 12 {
        0 | 1 => strip(
            bytes,
            NAME,
            &StripOptions {
                all: pick & 1 != 0,
                names: pick & 2 != 0,
                keep: Patterns::default(),
                remove: Patterns::default(),
            },
        ),
        2 => match (patterns(&[&name]), patterns(&[".debug_*"])) {
            (Ok(keep), Ok(remove)) => strip(
                bytes,
                NAME,
                &StripOptions {
                    all: pick & 1 != 0,
                    names: false,
                    keep,
                    remove,
                },
            ),
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
        3 => export::edit(bytes, NAME, &[ExportOp::Remove(export)]),
        4 => export::edit(bytes, NAME, &[ExportOp::Rename(export, name)]),
        5 => custom::edit(bytes, NAME, &[CustomOp::Add(name, payload.to_vec())]),
        6 => custom::edit(bytes, NAME, &[CustomOp::Replace(name, payload.to_vec())]),
        7 => custom::edit(bytes, NAME, &[CustomOp::Remove(name)]),
        8 => {
            let _ = custom::list(bytes, NAME);
            let _ = custom::extract(bytes, NAME, &name);
            let _ = metadata::read(bytes, NAME);
            return;
        }
        9 => {
            let field = ["language", "processed-by", "sdk"][usize::from(pick % 3)];
            let add = AddProducer {
                field: field.to_string(),
                name: name.clone(),
                version: String::from_utf8_lossy(payload).into_owned(),
            };
            let module_name = (pick & 4 != 0).then_some(name.as_str());
            metadata::edit(bytes, NAME, &[add], module_name)
        }
        10 => gc(
            bytes,
            NAME,
            &GcOptions {
                keep_exports: if pick & 1 != 0 {
                    vec![export]
                } else {
                    Vec::new()
                },
                roots: if pick & 2 != 0 {
                    vec![FunctionSelector::parse(&(pick >> 2).to_string())]
                } else {
                    Vec::new()
                },
            },
        ),
        _ => {
            let func = (pick & 1 != 0).then(|| FunctionSelector::parse(&(pick >> 1).to_string()));
            match TextEdit::open(bytes, NAME, func.as_ref()) {
                Ok(session) => {
                    session.apply(bytes, NAME, &session.text().to_string(), "edited.wat")
                }
                Err(e) => Err(e),
            }
        }
    };
    if let Ok(edit) = result
        && validates(bytes)
    {
        assert!(
            validates(&edit.bytes),
            "command {} turned a valid module into an invalid one: {:?}",
            command % 12,
            wasmscope::validate::validate(
                &edit.bytes,
                "result",
                wasmscope::features::default_features()
            )
            .err()
        );
    }
});
