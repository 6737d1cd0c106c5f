;; Tail calls: return_call (direct), return_call_indirect through a table,
;; and return_call_ref on a typed function reference (function-references).
(module $tail_call
  (type $i64_to_i64 (func (param i64 i64) (result i64)))
  (type $state (func (param i32 i32) (result i32)))
  (table $states 2 funcref)
  (elem (table $states) (i32.const 0) func $even $odd)
  (elem declare func $fact_acc)

  ;; Factorial with an accumulator: a direct tail-recursive loop.
  (func $fact_acc (type $i64_to_i64) (param $n i64) (param $acc i64) (result i64)
    (if (i64.le_u (local.get $n) (i64.const 1))
      (then (return (local.get $acc))))
    (return_call $fact_acc
      (i64.sub (local.get $n) (i64.const 1))
      (i64.mul (local.get $n) (local.get $acc))))

  (func $fact (export "fact") (param $n i64) (result i64)
    (return_call $fact_acc (local.get $n) (i64.const 1)))

  ;; A two-state machine via return_call_indirect: state 0 = even, 1 = odd.
  ;; Returns 1 if $n is even.
  (func $even (type $state) (param $n i32) (param $unused i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
    (return_call_indirect $states (type $state)
      (i32.sub (local.get $n) (i32.const 1)) (i32.const 0) (i32.const 1)))

  (func $odd (type $state) (param $n i32) (param $unused i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (return_call_indirect $states (type $state)
      (i32.sub (local.get $n) (i32.const 1)) (i32.const 0) (i32.const 0)))

  (func $is_even (export "is_even") (param $n i32) (result i32)
    (return_call $even (local.get $n) (i32.const 0)))

  ;; Tail-call through a non-null typed funcref.
  (func $apply (param $f (ref $i64_to_i64)) (param $a i64) (param $b i64) (result i64)
    (return_call_ref $i64_to_i64 (local.get $a) (local.get $b) (local.get $f)))

  (func $fact_via_ref (export "fact_via_ref") (param $n i64) (result i64)
    (return_call $apply (ref.func $fact_acc) (local.get $n) (i64.const 1)))

  ;; Nullable ref: check, then cast with ref.as_non_null before the tail call.
  (func $maybe_apply (export "maybe_apply") (param $f (ref null $i64_to_i64)) (param $n i64) (result i64)
    (if (ref.is_null (local.get $f)) (then (return (i64.const -1))))
    (return_call_ref $i64_to_i64 (local.get $n) (i64.const 1)
      (ref.as_non_null (local.get $f))))
)
