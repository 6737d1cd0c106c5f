//! Two binary inputs through `diff`, with its options.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::diff::{DiffOptions, Side, diff};
use wasmscope_fuzz::{Bytes, index};

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let flags = input.byte();
    let old = input.slice();
    let new = input.rest();
    let (Some(old_index), Some(new_index)) = (index(old), index(new)) else {
        return;
    };
    let opts = DiffOptions {
        ignore_custom: flags & 1 != 0,
        function: (flags & 2 != 0).then(|| (flags >> 4).to_string()),
        context: usize::from((flags >> 2) & 3),
        stat: flags & 0x80 != 0,
        compressed: false,
    };
    let side = |name, bytes, index| Side { name, bytes, index };
    if let Ok(report) = diff(
        &side("old.wasm", old, &old_index),
        &side("new.wasm", new, &new_index),
        &opts,
    ) {
        let _ = report.differs();
        let _ = serde_json::to_string(&report);
    }
    // A module compared with itself has no differences.
    if let Ok(same) = diff(
        &side("old.wasm", old, &old_index),
        &side("new.wasm", old, &old_index),
        &DiffOptions::default(),
    ) {
        assert!(!same.differs(), "a module differs from itself");
    }
});
