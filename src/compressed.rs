//! Compressed sizes: what a module weighs when it is downloaded, gzip'd as
//! `gzip -9` does and brotli'd as the `brotli` tool does by default
//! (quality 11, a 4 MiB window). Nothing is kept: the compressed bytes are
//! only counted.
//!
//! ```
//! let module = wasmscope::parse::parse_text("(module (func (export \"f\")))", "m.wat")?;
//! let sizes = wasmscope::compressed::Compressed::of(&module);
//! assert!(sizes.gzip > 0 && sizes.brotli > 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::Write;

use serde::Serialize;

/// The compressed sizes of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Compressed {
    /// Bytes of a gzip file at the best compression (`gzip -9`), header and
    /// trailer included.
    pub gzip: u64,
    /// Bytes of a brotli stream at quality 11 with a 4 MiB window (the
    /// `brotli` tool's defaults).
    pub brotli: u64,
}

/// The brotli tool's default quality.
const BROTLI_QUALITY: u32 = 11;
/// The brotli tool's default window: 2^22 bytes.
const BROTLI_WINDOW: u32 = 22;

impl Compressed {
    /// Compresses `bytes` both ways, at once on two threads.
    pub fn of(bytes: &[u8]) -> Compressed {
        let (gzip, brotli) = rayon::join(|| gzip(bytes), || brotli(bytes));
        Compressed { gzip, brotli }
    }

    /// A size as a share of `of` bytes, in percent.
    pub fn percent(size: u64, of: u64) -> f64 {
        if of == 0 {
            0.0
        } else {
            size as f64 * 100.0 / of as f64
        }
    }
}

/// Counts what is written to it.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of `bytes` as a gzip file (`gzip -9`, no file name stored).
pub fn gzip(bytes: &[u8]) -> u64 {
    let mut encoder =
        flate2::write::GzEncoder::new(Counter::default(), flate2::Compression::best());
    // Writing to a counter cannot fail.
    let counted = encoder.write_all(bytes).and_then(|()| encoder.finish());
    counted.map_or(0, |c| c.0)
}

/// The size of `bytes` as a brotli stream (the `brotli` tool's defaults).
pub fn brotli(bytes: &[u8]) -> u64 {
    let mut counter = Counter::default();
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: BROTLI_WINDOW as i32,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut input = bytes;
    match brotli::BrotliCompress(&mut input, &mut counter, &params) {
        Ok(_) => counter.0,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> Vec<u8> {
        // Text that compresses, and bytes that do not.
        let mut bytes: Vec<u8> = b"(func $f (result i32) i32.const 42)\n".repeat(400);
        let mut x: u32 = 12345;
        for _ in 0..4096 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push((x >> 16) as u8);
        }
        bytes
    }

    #[test]
    fn the_counted_streams_decompress_to_the_input() {
        let bytes = sample();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(gzip(&bytes), gz.len() as u64);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, bytes);

        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            size_hint: bytes.len(),
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params).unwrap();
        assert_eq!(brotli(&bytes), br.len() as u64);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut back).unwrap();
        assert_eq!(back, bytes);
    }

    #[test]
    fn text_shrinks_and_noise_does_not() {
        let text = b"i32.const 1\n".repeat(1000);
        let sizes = Compressed::of(&text);
        assert!(sizes.gzip < 200 && sizes.brotli < sizes.gzip, "{sizes:?}");
        let empty = Compressed::of(&[]);
        // A gzip file has a 10-byte header and an 8-byte trailer.
        assert!(empty.gzip >= 18 && empty.brotli <= 2, "{empty:?}");
        assert_eq!(Compressed::percent(50, 200), 25.0);
        assert_eq!(Compressed::percent(1, 0), 0.0);
    }
}
