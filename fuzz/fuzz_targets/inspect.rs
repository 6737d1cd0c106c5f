//! Binary input through what `info`, `sections`, `imports`, `exports`,
//! `stats` (with `--ops`, `--retained`, `--garbage`), `calls` and `caps` do,
//! down to the JSON they print, and a component's wiring (the links from
//! its exports to its imports through its core modules).

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::caps::{self, Runtime};
use wasmscope::stats::{SortKey, StatsOptions};
use wasmscope_fuzz::{Bytes, index};

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let flags = input.byte();
    let bytes = input.rest();
    let Some(index) = index(bytes) else { return };

    let info = wasmscope::info::info("fuzz.wasm", &index);
    let _ = serde_json::to_string(&info);
    for section in &index.sections {
        let _ = section.describe();
        if let Some(name) = &section.custom_name {
            let _ = index.decoded_custom(name);
        }
    }
    for (_, module) in index.core_modules() {
        for f in module.defined_functions() {
            let _ = module.function_name(f.index);
            let _ = module.body(f.index);
            let _ = module.function_type(f.type_index);
        }
        let _ = module.find_function("main");
        let _ = module.function_at(bytes.len() / 2);
    }

    let opts = StatsOptions {
        top: usize::from(flags & 0x0f),
        sort: match flags >> 6 {
            0 => SortKey::Size,
            1 => SortKey::Name,
            _ => SortKey::Index,
        },
        filter: (flags & 0x10 != 0).then(|| "a".to_string()),
        raw_names: flags & 0x20 != 0,
        ops: true,
        retained: true,
        garbage: true,
        compressed: flags & 0x01 != 0,
    };
    if let Ok(stats) = wasmscope::stats::stats("fuzz.wasm", bytes, &index, &opts) {
        let _ = serde_json::to_string(&stats);
    }

    if let Ok(wiring) = wasmscope::wiring::Wiring::build(bytes, &index) {
        let _ = serde_json::to_string(&wiring);
        for import in &wiring.imports {
            let _ = wiring.reached_by(import.interface.as_deref(), &import.name);
        }
    }
    let _ = wasmscope::component::module_labels(bytes);

    if let Ok(audit) = caps::audit("fuzz.wasm", bytes, &index) {
        let _ = serde_json::to_string(&audit);
        for runtime in [Runtime::Wasmtime, Runtime::Wasmer] {
            let _ = caps::command_line(&audit, runtime, flags & 1 != 0, "fuzz.wasm");
        }
    }
});
