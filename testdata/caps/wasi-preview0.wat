;; Convention: WASI preview0 (module `wasi_unstable`, the pre-snapshot-1 ABI).
;; Demonstrates: a command whose `_start` opens a file under preopen fd 3,
;; writes to stdout and exits; all three imports are reachable. wasmtime 50+
;; needs `-S preview0` to link these.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "log.txt")
  (data (i32.const 80) "opened\n")

  (func $open_log (result i32)
    ;; oflags CREAT (1), rights FD_WRITE (0x40)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 7)
      (i32.const 1) (i64.const 0x40) (i64.const 0) (i32.const 0) (i32.const 96)))

  (func $_start (export "_start")
    (if (call $open_log) (then (call $proc_exit (i32.const 1))))
    (i32.store (i32.const 0) (i32.const 80))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 0))))
