//! Binary input through `print` with every option, and `roundtrip`. The
//! text printed on several threads must equal the text printed on one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::print::{FunctionSelector, PrintOptions, print_to_string};
use wasmscope_fuzz::Bytes;

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let flags = input.byte();
    let bytes = input.rest();
    let opts = PrintOptions {
        offsets: flags & 1 != 0,
        fold: flags & 2 != 0,
        skeleton: flags & 4 != 0,
        name_unnamed: flags & 8 != 0,
        color: flags & 0x10 != 0,
        function: (flags & 0x20 != 0).then(|| FunctionSelector::parse(&(flags >> 6).to_string())),
        jobs: Some(1),
        chunk_bytes: None,
        source: None,
    };
    let one = print_to_string(bytes, "fuzz.wasm", &opts);
    let many = print_to_string(
        bytes,
        "fuzz.wasm",
        &PrintOptions {
            jobs: Some(3),
            chunk_bytes: Some(1),
            ..opts.clone()
        },
    );
    match (&one, &many) {
        (Ok(a), Ok(b)) => assert!(a == b, "printed differently on three threads"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("one thread: {one:?}\nthree threads: {many:?}"),
    }
    if flags & 0x30 == 0 && one.is_ok() {
        let _ = wasmscope::roundtrip::roundtrip_binary(bytes, "fuzz.wasm");
    }
});
