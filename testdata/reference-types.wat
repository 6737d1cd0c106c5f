;; MVP-plus features: reference types (funcref/externref tables, table.get/set/
;; grow/fill/size/copy/init, elem.drop, ref.null/is_null/ref.func, call_indirect
;; on a second table), bulk memory (memory.copy/fill/init, data.drop, passive
;; data and elem segments), multi-value returns/blocks and sign-extension ops.
(module $reference_types
  (type $binop (func (param i32 i32) (result i32)))
  (table $handlers 4 funcref)
  (table $objects 0 16 externref)
  (table $ops 2 10 funcref)
  (memory $mem 1)

  (elem $active_handlers (table $handlers) (i32.const 0) func $add $sub)
  (elem $passive_ops funcref (ref.func $mul) (ref.null func))
  (elem $declared declare func $sub) ;; declarative segment
  (data $init (memory $mem) (i32.const 0) "\ff\80\7f\01")
  (data $template "passive-template")

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))

  ;; Load the passive elem segment into the second table, then dispatch on it.
  (func $setup_ops (export "setup_ops")
    (table.init $ops $passive_ops (i32.const 0) (i32.const 0) (i32.const 2))
    (elem.drop $passive_ops)
    (table.copy $handlers $ops (i32.const 2) (i32.const 0) (i32.const 1)))

  (func $dispatch (export "dispatch") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect $ops (type $binop) (local.get $a) (local.get $b) (local.get $op)))

  (func $set_handler (export "set_handler") (param $i i32)
    (table.set $handlers (local.get $i) (ref.func $sub)))

  (func $has_handler (export "has_handler") (param $i i32) (result i32)
    (i32.eqz (ref.is_null (table.get $handlers (local.get $i)))))

  ;; externref table: store host objects, grow on demand, clear with table.fill.
  (func $store_object (export "store_object") (param $obj externref) (result i32)
    (local $slot i32)
    (local.set $slot (table.grow $objects (local.get $obj) (i32.const 1)))
    (if (i32.eq (local.get $slot) (i32.const -1)) (then (unreachable)))
    (local.get $slot))
  (func $get_object (export "get_object") (param $i i32) (result externref)
    (table.get $objects (local.get $i)))
  (func $clear_objects (export "clear_objects")
    (table.fill $objects (i32.const 0) (ref.null extern) (table.size $objects)))

  ;; Bulk memory.
  (func $reset (export "reset")
    (memory.fill (i32.const 64) (i32.const 0) (i32.const 64))
    (memory.init $template (i32.const 64) (i32.const 0) (i32.const 16))
    (data.drop $template)
    (memory.copy (i32.const 128) (i32.const 64) (i32.const 16)))

  ;; Multi-value: return two results, and a block with params and results.
  (func $divmod (export "divmod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))
  (func $divmod_plus_one (export "divmod_plus_one") (param $a i32) (param $b i32) (result i32 i32 i32)
    (local.get $a) (local.get $b)
    (block (param i32 i32) (result i32 i32 i32)
      (call $divmod)
      (i32.const 1)))

  ;; Sign-extension operators on bytes loaded from memory.
  (func $sign_ext (export "sign_ext") (result i32 i32 i64 i64 i64)
    (i32.extend8_s (i32.load8_u (i32.const 0)))
    (i32.extend16_s (i32.load16_u (i32.const 0)))
    (i64.extend8_s (i64.load8_u (i32.const 2)))
    (i64.extend16_s (i64.load16_u (i32.const 1)))
    (i64.extend32_s (i64.load32_u (i32.const 0))))
)
