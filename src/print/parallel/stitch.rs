//! The sink the frame is printed into on the writing thread: it passes the
//! frame's text on and writes the other chunks' texts in their place.

use std::io;

use wasmprinter::{Config, Print};

use super::Failure;
use super::modules::Frame;
use super::queue::{Next, PrintChunk, Queue};

/// Where the frame's printer is, for [`Stitch`].
#[derive(PartialEq)]
enum Place {
    /// Before the end of the frame's own functions.
    Own,
    /// In the empty bodies standing for the other chunks: not written.
    Stand,
    /// After the code.
    After,
}

/// The frame's sink: passes the frame's text on (offsets moved back to the
/// input's), writes the other chunks where the frame's own functions end,
/// and drops the empty bodies that stand for them.
pub(super) struct Stitch<'a, P> {
    inner: P,
    input: &'a [u8],
    frame: &'a Frame,
    offsets: bool,
    place: Place,
    seen_last: bool,
    /// Whether the printer asked for a newline that is not written yet.
    newline: bool,
    /// A failure in `start_line`, which cannot return one: given back by
    /// the next write.
    pending: Option<io::Error>,
    annotation: Option<u64>,
    chunk_failed: bool,
    queue: &'a Queue,
    print_chunk: &'a PrintChunk<'a>,
}

impl<'a, P: Print> Stitch<'a, P> {
    pub(super) fn new(
        inner: P,
        input: &'a [u8],
        frame: &'a Frame,
        offsets: bool,
        queue: &'a Queue,
        print_chunk: &'a PrintChunk<'a>,
    ) -> Self {
        Stitch {
            inner,
            input,
            frame,
            offsets,
            place: Place::Own,
            seen_last: false,
            newline: false,
            pending: None,
            annotation: None,
            chunk_failed: false,
            queue,
            print_chunk,
        }
    }

    /// Prints the frame into `inner`, the other chunks' texts in their
    /// place, and stops the printing threads.
    pub(super) fn print(mut self, config: &Config) -> Result<P, Failure> {
        let frame = self.frame;
        let mut result = config.print(&frame.bytes, &mut self);
        if result.is_ok() && self.newline {
            result = self.inner.newline().map_err(anyhow::Error::from);
        }
        self.queue.abort();
        match result {
            _ if self.chunk_failed => Err(Failure::Module),
            Ok(()) if self.place == Place::After => Ok(self.inner),
            Ok(()) => Err(Failure::Module),
            Err(e) if e.chain().any(|c| c.downcast_ref::<io::Error>().is_some()) => {
                Err(Failure::Output(e))
            }
            Err(_) => Err(Failure::Module),
        }
    }

    /// Writes the other chunks' texts, in order.
    fn drain(&mut self) -> io::Result<()> {
        self.place = Place::Stand;
        let chunks = self.queue.chunks();
        for k in 1..chunks {
            loop {
                match self.queue.next(k, self.print_chunk) {
                    Next::Block(text) => {
                        self.inner.write_str(&text)?;
                        self.queue.give_back(text);
                    }
                    Next::End => break,
                    Next::Failed => {
                        self.chunk_failed = true;
                        return Err(io::Error::other("a chunk could not be printed"));
                    }
                }
            }
        }
        Ok(())
    }

    fn check(&mut self) -> io::Result<()> {
        match self.pending.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn passing(&mut self) -> io::Result<bool> {
        self.check()?;
        Ok(self.place != Place::Stand)
    }
}

impl<P: Print> Print for Stitch<'_, P> {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        if self.passing()? {
            self.inner.write_str(s)?;
        }
        Ok(())
    }

    fn newline(&mut self) -> io::Result<()> {
        // Written in `start_line`, once it is known whose line it is.
        self.check()?;
        self.newline = true;
        Ok(())
    }

    fn start_line(&mut self, offset: Option<u64>) {
        let past = |end: u64| offset.is_none_or(|o| o > end);
        if self.place == Place::Own
            && self.seen_last
            && past(self.frame.own_end)
            && let Err(e) = self.drain()
        {
            self.pending = Some(e);
            return;
        }
        // The empty bodies end where the code does; the module's closing
        // line may be there too.
        if self.place == Place::Stand {
            if offset.is_some_and(|o| o < self.frame.code_end) {
                self.newline = false;
                return;
            }
            self.place = Place::After;
        }
        if offset == Some(self.frame.last) {
            self.seen_last = true;
        }
        // The very first line has no newline and no offset written.
        let newline = std::mem::take(&mut self.newline);
        if newline && let Err(e) = self.inner.newline() {
            self.pending = Some(e);
            return;
        }
        let offset = offset.map(|o| self.frame.to_input(o));
        self.inner.start_line(offset);
        if self.offsets && newline {
            self.annotation = offset;
        }
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        if !self.passing()? {
            return Ok(());
        }
        match self.annotation.take() {
            Some(offset) => write!(self.inner, "(;@{offset:<6x};)"),
            None => self.inner.write_fmt(args),
        }
    }

    fn start_literal(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_literal()?;
        }
        Ok(())
    }

    fn start_name(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_name()?;
        }
        Ok(())
    }

    fn start_keyword(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_keyword()?;
        }
        Ok(())
    }

    fn start_type(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_type()?;
        }
        Ok(())
    }

    fn start_comment(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.start_comment()?;
        }
        Ok(())
    }

    fn reset_color(&mut self) -> io::Result<()> {
        if self.passing()? {
            self.inner.reset_color()?;
        }
        Ok(())
    }

    fn print_custom_section(&mut self, name: &str, offset: u64, data: &[u8]) -> io::Result<bool> {
        self.check()?;
        // A custom section is past the code: every chunk goes before it.
        if self.place == Place::Own && self.seen_last {
            self.drain()?;
        }
        if self.place == Place::Stand {
            self.place = Place::After;
        }
        match self.frame.stand_ins.get(&offset) {
            Some(data) => {
                let start = data.start as u64;
                let Some(content) = self.input.get(data.clone()) else {
                    self.chunk_failed = true;
                    return Err(io::Error::other("a custom section is out of bounds"));
                };
                if self.inner.print_custom_section(name, start, content)? {
                    Ok(true)
                } else {
                    self.chunk_failed = true;
                    Err(io::Error::other("a custom section was not printed"))
                }
            }
            None => {
                let offset = self.frame.to_input(offset);
                self.inner.print_custom_section(name, offset, data)
            }
        }
    }
}
