;; Convention: wasi-threads (rustc/wasi-sdk wasm32-wasip1-threads).
;; Demonstrates: `wasi` `thread-spawn` import, a shared memory imported as
;; `env.memory`, the `wasi_thread_start(tid, start_arg)` export the host calls
;; on each new thread, and atomics on the shared memory. `_start` spawns a
;; thread; the thread entry bumps a counter atomically and wakes the waiter.
(module
  (import "env" "memory" (memory 1 10 shared))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  (func $worker (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (local.get $arg) (i32.const 1)))
    (drop (memory.atomic.notify (local.get $arg) (i32.const 1))))

  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $worker (local.get $tid) (local.get $arg)))

  (func $spawn_and_join (param $counter i32) (result i32)
    (i32.atomic.store (local.get $counter) (i32.const 0))
    (if (i32.lt_s (call $thread_spawn (local.get $counter)) (i32.const 0))
      (then (return (i32.const 1))))
    (drop (memory.atomic.wait32 (local.get $counter) (i32.const 0) (i64.const -1)))
    (i32.ne (i32.atomic.load (local.get $counter)) (i32.const 1)))

  (func $_start (export "_start")
    (call $proc_exit (call $spawn_and_join (i32.const 1024)))))
