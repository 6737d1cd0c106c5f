;; Convention: WASI preview1 reactor (module `wasi_snapshot_preview1`).
;; Demonstrates: a library-style module with `_initialize` (run once by the
;; host, here a constructor stub) and an exported entry point `handle`, which
;; reads the monotonic clock and logs to stdout. No `_start`: not a command.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (data (i32.const 32) "tick\n")

  (func $ctors (global.set $ready (i32.const 1)))
  (func $_initialize (export "_initialize") (call $ctors))

  (func $log (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; handle(request) -> elapsed nanoseconds (low 32 bits)
  (func $handle (export "handle") (param $req i32) (result i32)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 16)))
    (call $log (i32.const 32) (i32.const 5))
    (i32.wrap_i64 (i64.load (i32.const 16)))))
