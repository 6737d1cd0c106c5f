//! `--func`: naming one function and passing on only the lines of its body.

use std::io;
use std::ops::Range;

use wasmprinter::Print;

use crate::error::{Error, Result};
use crate::index::ModuleIndex;

/// Names one function: by index or by its name in the name section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionSelector {
    /// An index in the function index space (imports first).
    Index(u32),
    /// A name from the name section (a leading `$` is ignored).
    Name(String),
}

impl FunctionSelector {
    /// Reads a selector as a user writes it: a number is an index.
    pub fn parse(s: &str) -> FunctionSelector {
        match s.parse() {
            Ok(index) => FunctionSelector::Index(index),
            Err(_) => FunctionSelector::Name(s.strip_prefix('$').unwrap_or(s).to_string()),
        }
    }
}

/// Finds the body range of the function a selector names.
pub(super) fn resolve_function(
    bytes: &[u8],
    path: &str,
    selector: &FunctionSelector,
) -> Result<Range<usize>> {
    let index = ModuleIndex::build(bytes).map_err(|e| e.in_file(path))?;
    let func = match selector {
        FunctionSelector::Index(i) => *i,
        FunctionSelector::Name(name) => index
            .find_function(name)
            .ok_or_else(|| Error::Other(format!("{path}: no function named `{name}`")))?,
    };
    index
        .body(func)
        .ok_or_else(|| match index.functions.get(func as usize) {
            Some(_) => Error::Other(format!(
                "{path}: function {func} is imported and has no body to print"
            )),
            None => Error::Other(format!(
                "{path}: no function {func} (the module has {} functions)",
                index.functions.len()
            )),
        })
}

/// A [`Print`] that passes on only the lines whose binary offset falls in a
/// range, and stops the printer once it is past it.
pub(super) struct LineFilter<'a, P> {
    pub(super) inner: &'a mut P,
    range: Range<usize>,
    /// Whether the current line is passed on.
    inside: bool,
    /// Whether the range has been printed and the printer was told to stop.
    pub(super) finished: bool,
    /// Whether the first line passed on is still to come (its leading
    /// newline is dropped so the output starts at the function).
    first: bool,
}

impl<'a, P: Print> LineFilter<'a, P> {
    pub(super) fn new(inner: &'a mut P, range: Range<usize>) -> Self {
        LineFilter {
            inner,
            range,
            inside: false,
            finished: false,
            first: true,
        }
    }

    fn stop(&mut self) -> io::Result<()> {
        if self.finished {
            Err(io::Error::other("function printed"))
        } else {
            Ok(())
        }
    }
}

impl<P: Print> Print for LineFilter<'_, P> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.write_str(s)
        } else {
            Ok(())
        }
    }

    fn newline(&mut self) -> io::Result<()> {
        // The newline comes before `start_line`: it belongs to the line that
        // follows, so it is decided there.
        self.stop()
    }

    fn start_line(&mut self, offset: Option<u64>) {
        if let Some(offset) = offset.and_then(|o| usize::try_from(o).ok()) {
            let was_inside = self.inside;
            self.inside = self.range.contains(&offset);
            if was_inside && !self.inside && offset >= self.range.end {
                self.finished = true;
                return;
            }
        }
        if self.inside {
            if !self.first {
                let _ = self.inner.write_str("\n");
            }
            self.first = false;
            self.inner.start_line(offset);
        }
    }

    fn start_literal(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_literal()
        } else {
            Ok(())
        }
    }

    fn start_name(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_name()
        } else {
            Ok(())
        }
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_keyword()
        } else {
            Ok(())
        }
    }

    fn start_type(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_type()
        } else {
            Ok(())
        }
    }

    fn start_comment(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.start_comment()
        } else {
            Ok(())
        }
    }

    fn reset_color(&mut self) -> io::Result<()> {
        self.stop()?;
        if self.inside {
            self.inner.reset_color()
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{PrintOptions, print_to_string};

    fn print_function(sel: &str) -> Result<String> {
        let opts = PrintOptions {
            function: Some(FunctionSelector::parse(sel)),
            ..PrintOptions::default()
        };
        print_to_string(&crate::print::three_functions(), "t.wasm", &opts)
    }

    #[test]
    fn prints_one_function_by_name_or_index() {
        let by_name = print_function("$second").expect("prints");
        assert_eq!(by_name, print_function("1").expect("prints"));
        assert!(by_name.contains("(func $second"), "{by_name}");
        assert!(by_name.contains("i32.add"), "{by_name}");
        assert!(
            !by_name.contains("$first") && !by_name.contains("$third"),
            "{by_name}"
        );
        assert!(by_name.starts_with("(;@"), "{by_name}");
    }

    #[test]
    fn missing_function_is_an_error() {
        let err = print_function("nope").expect_err("no such function");
        assert_eq!(err.to_string(), "t.wasm: no function named `nope`");
        let err = print_function("7").expect_err("no such function");
        assert!(err.to_string().contains("no function 7"), "{err}");
    }
}
