;; Convention: Emscripten (emcc, unminified imports), JS host required.
;; Demonstrates: most imports in `env` (arbitrary JS via emscripten_run_script
;; and emscripten_asm_const_int, POSIX over the JS file system via
;; __syscall_openat, process spawn via _emscripten_system, an invoke_* EH
;; trampoline, websockets, getaddrinfo) and only fd_write/proc_exit from
;; `wasi_snapshot_preview1`. Fingerprint exports: stackSave, stackRestore,
;; __wasm_call_ctors, dynCall_vi. All imports are reachable from `main`.
(module
  (type $vi (func (param i32)))
  (import "env" "emscripten_run_script" (func $emscripten_run_script (param i32)))
  (import "env" "emscripten_asm_const_int" (func $emscripten_asm_const_int (param i32 i32 i32) (result i32)))
  (import "env" "__syscall_openat" (func $__syscall_openat (param i32 i32 i32 i32) (result i32)))
  (import "env" "_emscripten_system" (func $_emscripten_system (param i32) (result i32)))
  (import "env" "invoke_vii" (func $invoke_vii (param i32 i32 i32)))
  (import "env" "emscripten_websocket_new" (func $emscripten_websocket_new (param i32) (result i32)))
  (import "env" "getaddrinfo" (func $getaddrinfo (param i32 i32 i32 i32) (result i32)))
  (import "env" "emscripten_memcpy_js" (func $emscripten_memcpy_js (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 256 256)
  (table $__indirect_function_table (export "__indirect_function_table") 2 funcref)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (elem (i32.const 1) $on_close)
  (data (i32.const 1024) "alert('hi')\00/data/in.txt\00ls\00example.com\00")

  (func $__wasm_call_ctors (export "__wasm_call_ctors"))
  (func $stackSave (export "stackSave") (result i32) (global.get $__stack_pointer))
  (func $stackRestore (export "stackRestore") (param i32) (global.set $__stack_pointer (local.get 0)))
  (func $dynCall_vi (export "dynCall_vi") (param $f i32) (param $a i32)
    (call_indirect (type $vi) (local.get $a) (local.get $f)))
  (func $on_close (param i32))

  (func $main (export "main") (param $argc i32) (param $argv i32) (result i32)
    (call $emscripten_run_script (i32.const 1024))
    (drop (call $emscripten_asm_const_int (i32.const 1024) (i32.const 0) (i32.const 0)))
    (drop (call $__syscall_openat (i32.const -100) (i32.const 1036) (i32.const 0) (i32.const 0)))
    (drop (call $_emscripten_system (i32.const 1049)))
    (call $invoke_vii (i32.const 1) (i32.const 0) (i32.const 0))
    (drop (call $emscripten_websocket_new (i32.const 2048)))
    (drop (call $getaddrinfo (i32.const 1052) (i32.const 0) (i32.const 0) (i32.const 2064)))
    (call $emscripten_memcpy_js (i32.const 4096) (i32.const 1024) (i32.const 16))
    (i32.store (i32.const 0) (i32.const 4096))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 0))
    (i32.const 0)))
