;; Convention: TinyGo (-target=wasm, JS host via TinyGo's wasm_exec.js).
;; Demonstrates: `gojs` imports with TinyGo's real flattened signatures (a
;; js.Value `ref` is passed by value as i64; strings/slices as ptr,len[,cap];
;; multi-value results via a return pointer), runtime.ticks/sleepTicks as
;; f64, the preview1 fd_write stub used for println, and the asyncify exports
;; that fingerprint TinyGo's scheduler. Everything is reachable from `_start`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "gojs" "runtime.ticks" (func $runtime.ticks (result f64)))
  (import "gojs" "runtime.sleepTicks" (func $runtime.sleepTicks (param f64)))
  (import "gojs" "syscall/js.stringVal" (func $syscall/js.stringVal (param i32 i32) (result i64)))
  ;; valueGet(v ref, p string) ref
  (import "gojs" "syscall/js.valueGet" (func $syscall/js.valueGet (param i64 i32 i32) (result i64)))
  ;; valueCall(ret *(ref,bool), v ref, m string, args []ref)
  (import "gojs" "syscall/js.valueCall" (func $syscall/js.valueCall (param i32 i64 i32 i32 i32 i32 i32)))
  (import "gojs" "syscall/js.finalizeRef" (func $syscall/js.finalizeRef (param i64)))
  (memory (export "memory") 2)
  (global $asyncify_state (mut i32) (i32.const 0))
  (global $asyncify_data (mut i32) (i32.const 0))
  (data (i32.const 1024) "document" "getElementById" "app" "hello\n")

  (func $asyncify_start_unwind (export "asyncify_start_unwind") (param i32)
    (global.set $asyncify_state (i32.const 1)) (global.set $asyncify_data (local.get 0)))
  (func $asyncify_stop_unwind (export "asyncify_stop_unwind") (global.set $asyncify_state (i32.const 0)))
  (func $asyncify_start_rewind (export "asyncify_start_rewind") (param i32)
    (global.set $asyncify_state (i32.const 2)) (global.set $asyncify_data (local.get 0)))
  (func $asyncify_stop_rewind (export "asyncify_stop_rewind") (global.set $asyncify_state (i32.const 0)))
  (func $asyncify_get_state (export "asyncify_get_state") (result i32) (global.get $asyncify_state))

  (func $main.main
    (local $doc i64)
    ;; js.Global() is ref 5 (globalThis) boxed as NaN-tagged i64
    (local.set $doc (call $syscall/js.valueGet (i64.const 0x7ff8000100000005) (i32.const 1024) (i32.const 8)))
    (i64.store (i32.const 2048) (call $syscall/js.stringVal (i32.const 1046) (i32.const 3)))
    (call $syscall/js.valueCall (i32.const 2064) (local.get $doc) (i32.const 1032) (i32.const 14)
      (i32.const 2048) (i32.const 1) (i32.const 1))
    (call $syscall/js.finalizeRef (local.get $doc)))

  (func $runtime.putchar
    (i32.store (i32.const 0) (i32.const 1049))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $_start (export "_start")
    (drop (call $runtime.ticks))
    (call $main.main)
    (call $runtime.putchar)
    (call $runtime.sleepTicks (f64.const 10))))
