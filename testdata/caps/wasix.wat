;; Convention: WASIX (wasmer), module `wasix_32v1`, alongside preview1.
;; Demonstrates: a command whose `_start` resolves a host name, opens a TCP
;; socket and connects it, forks a process and spawns a thread, then writes to
;; stdout via the standard preview1 fd_write. Signatures follow wasmer's
;; wasix_32v1 (pointers and sizes are i32; the result is an errno).
(module
  (import "wasix_32v1" "resolve" (func $resolve (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "sock_open" (func $sock_open (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "sock_connect" (func $sock_connect (param i32 i32) (result i32)))
  (import "wasix_32v1" "proc_fork" (func $proc_fork (param i32 i32) (result i32)))
  (import "wasix_32v1" "thread_spawn" (func $thread_spawn (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "example.com")
  (data (i32.const 96) "connected\n")

  ;; resolve(host, host_len, port, addrs, naddrs, ret_naddrs)
  ;; sock_open(af=INET4, type=STREAM, proto=TCP, ret_fd); sock_connect(fd, addr)
  (func $connect (result i32)
    (drop (call $resolve (i32.const 64) (i32.const 11) (i32.const 80)
      (i32.const 256) (i32.const 4) (i32.const 248)))
    (drop (call $sock_open (i32.const 1) (i32.const 1) (i32.const 6) (i32.const 240)))
    (drop (call $sock_connect (i32.load (i32.const 240)) (i32.const 256)))
    (i32.load (i32.const 240)))

  (func $spawn_workers
    (drop (call $proc_fork (i32.const 1) (i32.const 232)))         ;; copy_memory, ret_pid
    (drop (call $thread_spawn (i32.const 512) (i32.const 228))))   ;; start_ptr, ret_tid

  (func $_start (export "_start")
    (drop (call $connect))
    (call $spawn_workers)
    (i32.store (i32.const 0) (i32.const 96))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
