//! The text of one instruction, found by its offset: what an error shows of
//! the instruction it points at.

use std::io;
use std::ops::Range;

use wasmprinter::{Config, Print};

/// The instruction at (or just before) `offset` in the function body
/// `body`, written as text. Used to show the offending instruction in an
/// error; `None` when the module cannot be printed that far.
pub fn instruction_at(bytes: &[u8], body: Range<usize>, offset: usize) -> Option<String> {
    struct Collect {
        target: usize,
        body: Range<usize>,
        best: Option<(usize, String)>,
        current: Option<usize>,
        past: bool,
    }
    impl Print for Collect {
        fn write_str(&mut self, s: &str) -> io::Result<()> {
            if self.past {
                return Err(io::Error::other("instruction found"));
            }
            if let (Some(at), Some((best_at, text))) = (self.current, self.best.as_mut())
                && at == *best_at
            {
                text.push_str(s);
            }
            Ok(())
        }
        fn start_line(&mut self, offset: Option<u64>) {
            self.current = None;
            let Some(at) = offset.and_then(|o| usize::try_from(o).ok()) else {
                return;
            };
            // The body's first line is the `(func` header, not an instruction.
            if at > self.body.start && at < self.body.end && at <= self.target {
                self.current = Some(at);
                self.best = Some((at, String::new()));
            } else if at > self.target && self.best.is_some() {
                self.past = true;
            }
        }
    }
    let mut collect = Collect {
        target: offset,
        body,
        best: None,
        current: None,
        past: false,
    };
    let _ = Config::new().print(bytes, &mut collect);
    let (_, text) = collect.best?;
    // Strip the nesting indentation and any closing parentheses of enclosing
    // blocks that the printer put on the same line.
    let text = text.trim();
    // The function's own `end` is printed as the `)` closing the function.
    let text = if !text.is_empty() && text.chars().all(|c| c == ')') {
        "end"
    } else {
        text
    };
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ModuleIndex;

    #[test]
    fn finds_instruction_text() {
        let bytes = crate::print::three_functions();
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let body = index.body(1).expect("function 1 has a body");
        // The last byte of the body is the `end`; the one before it `i32.add`.
        assert_eq!(
            instruction_at(&bytes, body.clone(), body.end - 2).as_deref(),
            Some("i32.add")
        );
    }
}
