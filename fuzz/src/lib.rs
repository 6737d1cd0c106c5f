//! What the fuzz targets share: reading options out of the fuzzer's bytes,
//! and the checks a result must pass.

use wasmscope::index::ModuleIndex;

/// The fuzzer's bytes, read front to back: option bytes first, then
/// whatever is left as the module.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    /// The next byte, or 0 once the input runs out.
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// Takes a slice whose length is the next two bytes (little-endian),
    /// clamped to what is left.
    pub fn slice(&mut self) -> &'a [u8] {
        let len = u16::from_le_bytes([self.byte(), self.byte()]) as usize;
        let (head, rest) = self.0.split_at(len.min(self.0.len()));
        self.0 = rest;
        head
    }

    /// A short name: a slice read as UTF-8 (lossily), at most 16 bytes.
    pub fn name(&mut self) -> String {
        let len = (self.byte() % 17) as usize;
        let (head, rest) = self.0.split_at(len.min(self.0.len()));
        self.0 = rest;
        String::from_utf8_lossy(head).into_owned()
    }

    /// Everything not yet read.
    pub fn rest(self) -> &'a [u8] {
        self.0
    }
}

/// Whether `bytes` is a valid module or component under the features the
/// command line uses by default.
pub fn validates(bytes: &[u8]) -> bool {
    wasmscope::validate::validate(bytes, "fuzz", wasmscope::features::default_features()).is_ok()
}

/// The index every inspecting command starts from, if the bytes have one.
pub fn index(bytes: &[u8]) -> Option<ModuleIndex> {
    ModuleIndex::build(bytes).ok()
}
