;; Convention: wasm-bindgen, RAW rustc output (before the wasm-bindgen CLI
;; processes it). JS host required.
;; Demonstrates: placeholder imports from `__wbindgen_placeholder__` (describe
;; machinery plus `__wbg_<jsname>_<hash>` shims: fetch, getRandomValues), the
;; externref table helper from `__wbindgen_externref_xform__`, and the
;; `__wasm_bindgen_unstable` custom section that the CLI consumes. `greet`
;; reaches fetch, getRandomValues and the table grow; the describe export
;; reaches __wbindgen_describe (the CLI runs these in its interpreter).
(module
  (import "__wbindgen_placeholder__" "__wbindgen_describe" (func $__wbindgen_describe (param i32)))
  (import "__wbindgen_placeholder__" "__wbg_fetch_a1b2c3d4" (func $__wbg_fetch (param i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbg_getRandomValues_0123abcd"
    (func $__wbg_getRandomValues (param i32 i32)))
  (import "__wbindgen_externref_xform__" "__wbindgen_externref_table_grow"
    (func $__wbindgen_externref_table_grow (param i32) (result i32)))
  (memory (export "memory") 17)
  (data (i32.const 1048576) "https://example.com/")

  (func $greet (export "greet") (param $name_ptr i32) (param $name_len i32) (result i32)
    (local $slot i32)
    (local.set $slot (call $__wbindgen_externref_table_grow (i32.const 1)))
    (call $__wbg_getRandomValues (i32.const 1048600) (i32.const 16))
    (call $__wbg_fetch (local.get $slot)))

  ;; describe(greet): fn(&str) -> JsValue
  (func $__wbindgen_describe_greet (export "__wbindgen_describe_greet")
    (call $__wbindgen_describe (i32.const 11))   ;; FUNCTION
    (call $__wbindgen_describe (i32.const 0))
    (call $__wbindgen_describe (i32.const 1))    ;; one argument
    (call $__wbindgen_describe (i32.const 15))   ;; REF STRING
    (call $__wbindgen_describe (i32.const 30)))  ;; EXTERNREF

  (@custom "__wasm_bindgen_unstable" "\2a\00\00\00{\"schema_version\":\"0.2.130\",\"version\":\"0.2.130\"}"))
