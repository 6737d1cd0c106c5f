;; Dead code for `stats --garbage` and retained sizes for `stats --retained`:
;; $unused_helper and $unused_leaf are reachable from nothing, $spare_global
;; is read by nobody, and the passive segment $unused_blob is never copied.
;; $from_table is only reachable through the table, which counts.
(module $dead_code
  (import "env" "print" (func $print (param i32)))
  (memory 1)
  (global $counter (mut i32) (i32.const 0))
  (global $spare_global i32 (i32.const 7))
  (table 1 funcref)
  (elem (i32.const 0) $from_table)
  (data $greeting (i32.const 16) "hello")
  (data $used_blob "copied on demand")
  (data $unused_blob "never copied")

  (func $main (export "main")
    call $step
    call $step
    call $report
    (memory.init $used_blob (i32.const 64) (i32.const 0) (i32.const 4))
    (call_indirect (i32.const 0)))

  (func $step
    (global.set $counter (i32.add (global.get $counter) (i32.const 1))))

  (func $report
    (call $print (global.get $counter))
    call $format)

  (func $format
    (call $print (i32.const 16)))

  (func $from_table
    call $format)

  (func $unused_helper (param i32) (result i32)
    (call $unused_leaf (local.get 0)))

  (func $unused_leaf (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3))))
