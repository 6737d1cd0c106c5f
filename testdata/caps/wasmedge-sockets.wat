;; Convention: WasmEdge socket extensions, non-standard names under
;; `wasi_snapshot_preview1` (as wasmedge_wasi_socket emits them). They run on
;; neither wasmtime nor standard preview1 hosts.
;; Demonstrates: a TCP server: `_start` looks up an address, opens, binds and
;; listens on a socket, accepts one connection and logs via fd_write.
;; Note sock_accept here is WasmEdge's (fd, ret_fd); standard preview1's
;; sock_accept is (fd, flags, ret_fd).
(module
  (import "wasi_snapshot_preview1" "sock_getaddrinfo"
    (func $sock_getaddrinfo (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_open" (func $sock_open (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_bind" (func $sock_bind (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_listen" (func $sock_listen (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "0.0.0.0")
  (data (i32.const 72) "8080")
  (data (i32.const 96) "accepted\n")

  (func $serve (result i32)
    (local $fd i32)
    ;; node, node_len, service, service_len, hints, res, max_res_len, res_len
    (drop (call $sock_getaddrinfo (i32.const 64) (i32.const 7) (i32.const 72) (i32.const 4)
      (i32.const 128) (i32.const 160) (i32.const 1) (i32.const 164)))
    (drop (call $sock_open (i32.const 0) (i32.const 1) (i32.const 168)))  ;; af, type, ret_fd
    (local.set $fd (i32.load (i32.const 168)))
    (drop (call $sock_bind (local.get $fd) (i32.const 176) (i32.const 8080)))
    (drop (call $sock_listen (local.get $fd) (i32.const 16)))
    (drop (call $sock_accept (local.get $fd) (i32.const 172)))
    (i32.load (i32.const 172)))

  (func $_start (export "_start")
    (drop (call $serve))
    (i32.store (i32.const 0) (i32.const 96))
    (i32.store (i32.const 4) (i32.const 9))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
