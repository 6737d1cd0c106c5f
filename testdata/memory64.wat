;; memory64 fixture: an i64-indexed memory, loads/stores with i64 addresses,
;; memory.grow/size returning i64, bulk ops with i64 operands, an active data
;; segment at an i64 offset, and a 64-bit (i64-indexed) table.
(module $memory64
  (memory $heap (export "memory") i64 1 65536)
  (table $fns i64 2 funcref)
  (type $unop (func (param i64) (result i64)))
  (elem (table $fns) (i64.const 0) func $double $neg)

  (data $greeting (memory $heap) (i64.const 0x100) "hello, 64-bit world")

  (func $double (type $unop) (i64.mul (local.get 0) (i64.const 2)))
  (func $neg (type $unop) (i64.sub (i64.const 0) (local.get 0)))

  ;; Store then load through an i64 address (memarg offsets are u64 here).
  (func $roundtrip (export "roundtrip") (param $addr i64) (param $v i64) (result i64)
    (i64.store offset=8 (local.get $addr) (local.get $v))
    (i64.load offset=8 (local.get $addr)))

  ;; A static offset above 4 GiB, only expressible with memory64.
  (func $high_offset (export "high_offset") (param $base i64) (result i32)
    (i32.load offset=0x100000000 (local.get $base)))

  (func $load_byte (export "load_byte") (param $addr i64) (result i32)
    (i32.load8_u (local.get $addr)))

  (func $store_f64 (export "store_f64") (param $addr i64) (param $x f64)
    (f64.store align=8 (local.get $addr) (local.get $x)))

  ;; memory.size / memory.grow take and return i64 page counts.
  (func $ensure_pages (export "ensure_pages") (param $want i64) (result i64)
    (local $have i64)
    (local.set $have (memory.size $heap))
    (if (i64.lt_u (local.get $have) (local.get $want))
      (then
        (if (i64.eq (memory.grow $heap (i64.sub (local.get $want) (local.get $have)))
                    (i64.const -1))
          (then (unreachable)))))
    (memory.size $heap))

  ;; memcpy/memset with i64 addresses and lengths.
  (func $memcpy (export "memcpy") (param $dst i64) (param $src i64) (param $n i64)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))
  (func $memset (export "memset") (param $dst i64) (param $b i32) (param $n i64)
    (memory.fill (local.get $dst) (local.get $b) (local.get $n)))

  ;; Call through the 64-bit table using an i64 index.
  (func $apply (export "apply") (param $i i64) (param $x i64) (result i64)
    (call_indirect $fns (type $unop) (local.get $x) (local.get $i)))

  (func $table_size (export "table_size") (result i64)
    (table.size $fns))
)
