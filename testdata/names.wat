;; Name-section fixture: every function, local, label, global, memory, table,
;; type, tag, data and elem segment is named, so the "name" custom section
;; carries all subsections. Imports and exports cover func, table, memory,
;; global and tag; there is a start function and a custom section ("hello").
(module $names
  (type $log_fn (func (param i32 i32)))
  (type $counter_fn (func (result i32)))
  (type $point (struct (field $x i32) (field $y i32)))

  (import "env" "log" (func $env_log (type $log_fn)))
  (import "env" "table" (table $env_table 1 funcref))
  (import "env" "memory" (memory $env_memory 1))
  (import "env" "base" (global $env_base i32))
  (import "env" "panic" (tag $env_panic (param i32)))

  (memory $local_memory 1)
  (table $local_table 2 funcref)
  (global $counter (mut i32) (i32.const 0))
  (global $limit i32 (i32.const 100))
  (tag $local_error (param i32 i32))

  (data $banner (memory $local_memory) (i32.const 0) "wasmscope")
  (data $spare "passive")
  (elem $callbacks (table $local_table) (i32.const 0) func $bump $get_count)
  (elem $imported_init (table $env_table) (i32.const 0) func $init)

  (func $init
    (global.set $counter (global.get $env_base))
    (call $env_log (i32.const 0) (i32.const 9))
    (data.drop $spare))

  (func $bump (type $counter_fn) (result i32)
    (local $next i32)
    (local.set $next (i32.add (global.get $counter) (i32.const 1)))
    (if (i32.gt_s (local.get $next) (global.get $limit))
      (then (throw $local_error (local.get $next) (global.get $limit))))
    (global.set $counter (local.get $next))
    (local.get $next))

  (func $get_count (type $counter_fn) (result i32)
    (global.get $counter))

  (func $copy_banner (param $dst i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 $env_memory (i32.add (local.get $dst) (local.get $i))
          (i32.load8_u $local_memory (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy))))

  (func $make_point (param $x i32) (param $y i32) (result (ref $point))
    (struct.new $point (local.get $x) (local.get $y)))

  (func $check (param $code i32)
    (if (local.get $code) (then (throw $env_panic (local.get $code)))))

  (start $init)

  (export "bump" (func $bump))
  (export "get_count" (func $get_count))
  (export "copy_banner" (func $copy_banner))
  (export "make_point" (func $make_point))
  (export "check" (func $check))
  (export "table" (table $local_table))
  (export "memory" (memory $local_memory))
  (export "counter" (global $counter))
  (export "error" (tag $local_error))

  (@custom "hello" "world")
)
