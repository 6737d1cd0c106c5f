;; Convention: none (a plug-in for an application-defined host).
;; Demonstrates: imports from host-chosen modules (`host`, `kv`) that match no
;; known toolchain or WASI; nothing WASI at all. All three imports are
;; reachable from the exported entry point `run`; they can only be reported
;; as host-custom.
(module
  (import "host" "get_config" (func $host.get_config (param i32 i32) (result i32)))
  (import "host" "emit_event" (func $host.emit_event (param i32 i32)))
  (import "kv" "get" (func $kv.get (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "threshold")
  (data (i32.const 32) "last_seen")
  (data (i32.const 48) "{\"event\":\"ran\"}")

  (func $load_threshold (result i32)
    (if (i32.lt_s (call $host.get_config (i32.const 16) (i32.const 9)) (i32.const 0))
      (then (return (i32.const 10))))
    (i32.load (i32.const 1024)))

  (func $run (export "run") (result i32)
    (local $limit i32) (local $n i32)
    (local.set $limit (call $load_threshold))
    ;; kv.get(key_ptr, key_len, out_ptr) -> bytes written or -1
    (local.set $n (call $kv.get (i32.const 32) (i32.const 9) (i32.const 2048)))
    (if (i32.gt_s (local.get $n) (local.get $limit))
      (then (call $host.emit_event (i32.const 48) (i32.const 15))))
    (local.get $n)))
