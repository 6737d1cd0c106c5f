;; Convention: WASI preview1 command (module `wasi_snapshot_preview1`).
;; Demonstrates "linked but unreachable": fd_write and proc_exit are called
;; from `_start`; path_open, fd_read, path_unlink_file and path_create_directory
;; are imported but only called from $dead_fs_code, which is not exported, not
;; in any table, and not called by anything (as with a libc that links file
;; code the program never uses). Only stdout + exit should count as used.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\n")
  (data (i32.const 32) "scratch")

  (func $puts (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $_start (export "_start")
    (call $puts (i32.const 16) (i32.const 6))
    (call $proc_exit (i32.const 0)))

  ;; Unreachable: no export, no table entry, no caller.
  (func $dead_fs_code
    (drop (call $path_create_directory (i32.const 3) (i32.const 32) (i32.const 7)))
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 7)
      (i32.const 1) (i64.const 0x42) (i64.const 0) (i32.const 0) (i32.const 48)))
    (drop (call $fd_read (i32.load (i32.const 48)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $path_unlink_file (i32.const 3) (i32.const 32) (i32.const 7)))))
