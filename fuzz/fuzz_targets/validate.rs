//! Binary input through `validate`, under the default features or a set
//! picked by the fuzzer.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmparser::WasmFeatures;
use wasmscope_fuzz::Bytes;

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let choice = input.byte();
    let bits = u32::from_le_bytes([input.byte(), input.byte(), input.byte(), input.byte()]);
    let features = match choice % 3 {
        0 => wasmscope::features::default_features(),
        1 => WasmFeatures::all(),
        _ => WasmFeatures::from_bits_truncate(bits.into()),
    };
    let _ = wasmscope::validate::validate(input.rest(), "fuzz.wasm", features);
});
