;; multi-memory fixture: three memories (one imported), loads/stores addressed
;; to each by name, memory.copy between memories, memory.size/grow/fill on a
;; non-zero memory, and active data segments targeting each memory.
(module $multi_memory
  (import "env" "shared_io" (memory $io 1))
  (memory $heap (export "heap") 2)
  (memory $scratch 1 1)

  (data $io_init (memory $io) (i32.const 0) "IO\00\00")
  (data $heap_init (memory $heap) (i32.const 16) "\2a\00\00\00")
  (data $scratch_init (memory $scratch) (i32.const 0) "scratch")
  (data $lazy "passive bytes for scratch")

  ;; Read an i32 from the heap and write it to io.
  (func $heap_to_io (export "heap_to_io") (param $from i32) (param $to i32)
    (i32.store $io (local.get $to) (i32.load $heap (local.get $from))))

  ;; Sum one i32 from each memory at the same address.
  (func $sum3 (export "sum3") (param $addr i32) (result i32)
    (i32.add
      (i32.add (i32.load $io (local.get $addr)) (i32.load $heap (local.get $addr)))
      (i32.load8_u $scratch offset=1 (local.get $addr))))

  ;; Copy a block from scratch into heap (memory.copy dst src).
  (func $copy_scratch_to_heap (export "copy_scratch_to_heap")
        (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy $heap $scratch (local.get $dst) (local.get $src) (local.get $n)))

  ;; Copy within io, then from io into scratch.
  (func $shuffle (export "shuffle") (param $n i32)
    (memory.copy $io $io (i32.const 64) (i32.const 0) (local.get $n))
    (memory.copy $scratch $io (i32.const 0) (i32.const 64) (local.get $n)))

  ;; Initialize scratch from a passive segment and clear part of the heap.
  (func $reset (export "reset")
    (memory.init $scratch $lazy (i32.const 0) (i32.const 0) (i32.const 8))
    (data.drop $lazy)
    (memory.fill $heap (i32.const 0) (i32.const 0) (i32.const 64)))

  ;; Grow the heap and report sizes of all three memories.
  (func $sizes (export "sizes") (result i32 i32 i32)
    (drop (memory.grow $heap (i32.const 1)))
    (memory.size $io)
    (memory.size $heap)
    (memory.size $scratch))

  (func $store_wide (export "store_wide") (param $v i64)
    (i64.store $scratch offset=8 (i32.const 0) (local.get $v))
    (f32.store $heap (i32.const 32) (f32.const 1.5)))
)
