//! `check`'s policy files: any text read as a policy, and what reads
//! becomes rules held against a small module (with a baseline).
//!
//! Must hold: reading never panics; an error names a line and column
//! within the text; a policy that reads can be checked, and each violation
//! names a rule the policy has, on a line the text has.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wasmscope::check::{check, policy};
use wasmscope::index::ModuleIndex;

/// A module with an import, exports, a custom section, data and code.
fn module() -> &'static (Vec<u8>, ModuleIndex) {
    static MODULE: OnceLock<(Vec<u8>, ModuleIndex)> = OnceLock::new();
    MODULE.get_or_init(|| {
        let bytes = wasmscope::parse::parse_text(
            r#"(module
                 (import "wasi_snapshot_preview1" "fd_write"
                   (func $w (param i32 i32 i32 i32) (result i32)))
                 (memory (export "memory") 1)
                 (data (i32.const 8) "hello")
                 (func (export "_start")
                   (drop (call $w (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 0)))
                   (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))
                 (@custom "producers" "\00"))"#,
            "fuzz.wat",
        )
        .expect("the module parses");
        let index = ModuleIndex::build(&bytes).expect("the module indexes");
        (bytes, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count().max(1);
    match policy::parse("fuzz.toml", &text) {
        Err(e) => {
            assert!(
                e.line >= 1 && e.line <= lines + 1,
                "line {} of {lines}",
                e.line
            );
            assert!(e.column >= 1);
        }
        Ok(p) => {
            let (bytes, index) = module();
            let report = check(
                "fuzz.wasm",
                bytes,
                index,
                &p,
                Some(("old.wasm", &bytes[..4])),
            )
            .expect("a valid module is checked");
            for v in &report.violations {
                assert!(v.rule.contains('.'), "{}", v.rule);
                assert!(v.policy_line >= 1 && v.policy_line <= lines, "{v:?}");
            }
            let _ = serde_json::to_string(&report);
        }
    }
});
