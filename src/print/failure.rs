//! What a printer failure means for the user: an I/O failure stays one (a
//! closed pipe is a quiet stop), a decoding failure keeps its offset, and a
//! refusal the printer gives without an offset is located by decoding the
//! module again.

use std::io;

use crate::error::{BinaryError, Error, one_line};

/// Turns a printer failure into our error: an I/O failure stays one (so a
/// closed pipe is recognised), a decoding failure keeps its offset.
pub(crate) fn printer_error(bytes: &[u8], path: &str, err: anyhow::Error) -> Error {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<wasmparser::BinaryReaderError>() {
            let mut binary = BinaryError::from_reader(path, e);
            // wasmprinter may wrap it in context such as "failed to print
            // function 3", which is worth keeping.
            if err
                .downcast_ref::<wasmparser::BinaryReaderError>()
                .is_none()
            {
                binary.message = format!("{}: {}", one_line(&err.to_string()), binary.message);
            }
            return binary.into();
        }
        if let Some(e) = cause.downcast_ref::<io::Error>() {
            return io_error(path, io::Error::new(e.kind(), e.to_string()));
        }
    }
    // The printer found a problem of its own, without an offset: the decoder
    // can usually say where the module is damaged.
    match first_malformation(bytes) {
        Some(Malformation::Decoding(e)) => BinaryError::from_reader(path, &e).into(),
        Some(Malformation::Other { offset, message }) => BinaryError {
            path: path.to_string(),
            offset,
            message,
            function: None,
            instruction: None,
            from_text: false,
        }
        .into(),
        None => Error::Other(format!("{path}: {}", one_line(&format!("{err:#}")))),
    }
}

/// What is wrong with a module that the printer refused without saying
/// where.
enum Malformation {
    /// The decoder's error.
    Decoding(wasmparser::BinaryReaderError),
    /// A limit of the printer's own.
    Other { offset: usize, message: String },
}

/// The most locals a function may have for wasmprinter to print it.
const PRINTABLE_LOCALS: u64 = 50_000;

/// Decodes every section and instruction, returning the first decoding
/// error, or the first function with more locals than can be printed.
fn first_malformation(bytes: &[u8]) -> Option<Malformation> {
    let mut function = 0u32;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Err(e) => return Some(Malformation::Decoding(e)),
            Ok(wasmparser::Payload::ImportSection(reader)) => {
                function += crate::names::imported_functions(&reader).unwrap_or(0);
            }
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => {
                let mut locals = match body.get_locals_reader() {
                    Ok(locals) => locals,
                    Err(e) => return Some(Malformation::Decoding(e)),
                };
                let mut declared = 0u64;
                for _ in 0..locals.get_count() {
                    let offset = locals.original_position();
                    match locals.read() {
                        Ok((count, _)) => declared += u64::from(count),
                        Err(e) => return Some(Malformation::Decoding(e)),
                    }
                    if declared > PRINTABLE_LOCALS {
                        return Some(Malformation::Other {
                            offset: usize::try_from(offset).unwrap_or(usize::MAX),
                            message: format!(
                                "function {function} declares {declared} locals or more, \
                                 over the {PRINTABLE_LOCALS} that can be printed"
                            ),
                        });
                    }
                }
                let mut ops = match body.get_operators_reader() {
                    Ok(ops) => ops,
                    Err(e) => return Some(Malformation::Decoding(e)),
                };
                while !ops.eof() {
                    if let Err(e) = ops.read() {
                        return Some(Malformation::Decoding(e));
                    }
                }
                function += 1;
            }
            Ok(_) => {}
        }
    }
    None
}

pub(super) fn io_error(_input: &str, source: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source,
    }
}
