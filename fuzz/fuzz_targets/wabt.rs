//! Binary input through what wasmscope does under WABT's tool names: the
//! decoding pass (`wasm-validate`), `wasm-strip`'s bytes, `wasm2wat`'s
//! module with plain names, `wat2wasm`'s rewriting of a module, and
//! `wasm-objdump` with every mode and a section filter.
//!
//! What must hold: a module that decodes strips to one that decodes, with
//! no custom section left; a valid module stays valid through the strip,
//! the plain names and the `wat2wasm` rewriting, and rewriting twice
//! changes nothing more than the names.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::wabt::objdump::{Options, dump};
use wasmscope::wabt::{CustomErrors, decode, encode};
use wasmscope_fuzz::{Bytes, validates};

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let modes = input.byte();
    let section = input.name();
    let bytes = input.rest();

    let custom = match modes % 3 {
        0 => CustomErrors::Fatal,
        1 => CustomErrors::Warn,
        _ => CustomErrors::Skip,
    };
    let _ = decode(bytes, custom);
    let valid = validates(bytes);

    if let Ok(stripped) = encode::strip(bytes, "fuzz.wasm") {
        assert!(
            decode(bytes, CustomErrors::Skip).is_ok(),
            "only what decodes is stripped"
        );
        assert!(
            decode(&stripped, CustomErrors::Fatal).is_ok(),
            "the stripped module decodes"
        );
        if valid {
            assert!(
                validates(&stripped),
                "a valid module stays valid once stripped"
            );
        }
    }
    let printed = encode::without_customs(bytes, modes & 4 != 0);
    if valid {
        assert!(validates(&printed), "plain names keep a valid module valid");
        let once = encode::wat2wasm(bytes.to_vec(), modes & 8 != 0);
        assert!(
            validates(&once),
            "wat2wasm's rewriting keeps a module valid"
        );
        // The rewriting reads the text encoder's name section and writes
        // WABT's layout of it (tag names in subsection 10, where the encoder
        // puts field names), so only the rest is compared on a second pass.
        let plain = encode::wat2wasm(bytes.to_vec(), false);
        assert_eq!(
            encode::wat2wasm(once, false),
            plain,
            "wat2wasm's rewriting is done once, and names change nothing else"
        );
    }

    let options = Options {
        headers: modes & 16 != 0,
        details: modes & 32 != 0,
        disassemble: modes & 64 != 0,
        full_contents: modes & 128 != 0,
        section: (!section.is_empty()).then_some(section),
        section_offsets: modes & 1 != 0,
        relocs: modes & 2 != 0,
    };
    let out = dump(bytes, "fuzz.wasm", &options);
    assert!(
        out.stdout.starts_with('\n'),
        "every dump starts with an empty line"
    );
});
