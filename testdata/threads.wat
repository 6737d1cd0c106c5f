;; Threads fixture: a shared memory, atomic loads/stores, read-modify-write ops,
;; compare-exchange, memory.atomic.wait32/wait64/notify, and atomic.fence.
(module $threads
  (memory $shared (export "memory") 1 4 shared)

  ;; A spin-free mutex at address $lock: 0 = unlocked, 1 = locked.
  (func $lock (export "lock") (param $lock i32)
    (block $acquired
      (loop $retry
        ;; try 0 -> 1
        (br_if $acquired
          (i32.eqz (i32.atomic.rmw.cmpxchg (local.get $lock) (i32.const 0) (i32.const 1))))
        ;; sleep while still locked (expected value 1, no timeout)
        (drop (memory.atomic.wait32 (local.get $lock) (i32.const 1) (i64.const -1)))
        (br $retry))))

  (func $unlock (export "unlock") (param $lock i32)
    (i32.atomic.store (local.get $lock) (i32.const 0))
    (drop (memory.atomic.notify (local.get $lock) (i32.const 1))))

  ;; Atomic counter increment; returns the previous value.
  (func $incr (export "incr") (param $addr i32) (result i32)
    (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))

  ;; Mixed-width RMW ops on the same cell.
  (func $rmw_mix (export "rmw_mix") (param $addr i32) (result i64)
    (drop (i32.atomic.rmw8.or_u (local.get $addr) (i32.const 0x80)))
    (drop (i32.atomic.rmw16.and_u (local.get $addr) (i32.const 0xffff)))
    (drop (i32.atomic.rmw.xchg (local.get $addr) (i32.const 7)))
    (drop (i64.atomic.rmw.sub offset=8 (local.get $addr) (i64.const 1)))
    (i64.atomic.rmw32.cmpxchg_u offset=8 (local.get $addr) (i64.const 0) (i64.const 42)))

  ;; Publish a value with a fence between data write and flag write.
  (func $publish (export "publish") (param $data i32) (param $flag i32) (param $v i64)
    (i64.atomic.store (local.get $data) (local.get $v))
    (atomic.fence)
    (i32.atomic.store8 (local.get $flag) (i32.const 1)))

  ;; Wait for the flag then read the data.
  (func $consume (export "consume") (param $data i32) (param $flag i32) (result i64)
    (loop $spin
      (if (i32.eqz (i32.atomic.load8_u (local.get $flag)))
        (then
          (drop (memory.atomic.wait64 (local.get $data) (i64.const 0) (i64.const 1000000)))
          (br $spin))))
    (i64.atomic.load (local.get $data)))

  (func $load_narrow (export "load_narrow") (param $addr i32) (result i32 i64)
    (i32.atomic.load16_u (local.get $addr))
    (i64.atomic.load32_u (local.get $addr)))

  (data (i32.const 16) "\00\00\00\00")
)
