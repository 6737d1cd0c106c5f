;; Convention: WASI preview1 command (module `wasi_snapshot_preview1`).
;; Demonstrates: a command (`_start` + `memory` exports) that discovers its
;; preopened directory, opens a file relative to it, reads it and copies it to
;; stdout, having first read args, environment, the clock and random bytes.
;; Every import below is reachable from `_start`.
(module
  (type $sizes (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (type $sizes)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (type $sizes)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (type $sizes)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (type $sizes)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "input.txt")

  ;; libc start-up: argv, environ, preopen discovery (fd 3).
  (func $init
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 8) (i32.const 64)))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $environ_get (i32.const 8) (i32.const 64)))
    (if (i32.eqz (call $fd_prestat_get (i32.const 3) (i32.const 128)))
      (then (drop (call $fd_prestat_dir_name (i32.const 3) (i32.const 136) (i32.load offset=4 (i32.const 128)))))))

  ;; Open "input.txt" under the preopen, read-only (oflags 0, rights FD_READ).
  (func $cat (result i32)
    (local $fd i32) (local $n i32)
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 256) (i32.const 9)
          (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 160))
      (then (return (i32.const 1))))
    (local.set $fd (i32.load (i32.const 160)))
    (i32.store (i32.const 168) (i32.const 1024))  ;; iov.buf
    (i32.store (i32.const 172) (i32.const 4096))  ;; iov.len
    (drop (call $fd_read (local.get $fd) (i32.const 168) (i32.const 1) (i32.const 176)))
    (i32.store (i32.const 172) (i32.load (i32.const 176)))
    (drop (call $fd_write (i32.const 1) (i32.const 168) (i32.const 1) (i32.const 176)))
    (drop (call $fd_close (local.get $fd)))
    (i32.const 0))

  (func $_start (export "_start")
    (call $init)
    (drop (call $clock_time_get (i32.const 0) (i64.const 1000) (i32.const 192)))
    (drop (call $random_get (i32.const 200) (i32.const 16)))
    (call $proc_exit (call $cat))))
