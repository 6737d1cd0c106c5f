;; Convention: wasm-bindgen, PROCESSED output (`app_bg.wasm` next to
;; `app_bg.js`). JS host required.
;; Demonstrates: imports from the `./app_bg.js` glue module named
;; `__wbg_<jsname>_<hash>` (the jsname - now, log, require - is the only
;; hint) and the `processed-by wasm-bindgen` producers entry. `greet` reaches
;; all three imports.
(module
  (import "./app_bg.js" "__wbg_now_5f2d4a0e1c3b" (func $__wbg_now (result f64)))
  (import "./app_bg.js" "__wbg_log_1a2b3c4d5e6f" (func $__wbg_log (param i32 i32)))
  (import "./app_bg.js" "__wbg_require_aa11bb22cc33" (func $__wbg_require (result i32)))
  (memory (export "memory") 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (data (i32.const 1048576) "Hello, ")

  (func $format (param $ptr i32) (param $len i32) (result i32)
    (memory.copy (i32.const 1048583) (local.get $ptr) (local.get $len))
    (i32.add (local.get $len) (i32.const 7)))

  (func $greet (export "greet") (param $ptr i32) (param $len i32)
    (local $t f64)
    (local.set $t (call $__wbg_now))
    (drop (call $__wbg_require))
    (call $__wbg_log (i32.const 1048576) (call $format (local.get $ptr) (local.get $len))))

  (@producers
    (language "Rust" "")
    (processed-by "rustc" "1.95.0")
    (processed-by "wasm-bindgen" "0.2.130")))
