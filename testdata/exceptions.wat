;; Exception handling (new proposal, exnref): tags, throw, try_table with
;; catch / catch_ref / catch_all / catch_all_ref, and throw_ref to rethrow.
(module $exceptions
  (tag $div_by_zero (param i32))
  (tag $overflow (param i64 i32))
  (tag $empty)
  (import "env" "log" (func $log (param i32)))
  (export "div_by_zero" (tag $div_by_zero))

  (func $checked_div (export "checked_div") (param $a i32) (param $b i32) (result i32)
    (if (i32.eqz (local.get $b))
      (then (throw $div_by_zero (local.get $a))))
    (i32.div_s (local.get $a) (local.get $b)))

  ;; catch: the tag payload is delivered to the label.
  (func $safe_div (export "safe_div") (param $a i32) (param $b i32) (result i32)
    (block $on_div0 (result i32)
      (return
        (try_table (result i32) (catch $div_by_zero $on_div0)
          (call $checked_div (local.get $a) (local.get $b)))))
    ;; payload (the dividend) is on the stack; log it and return -1
    (call $log)
    (i32.const -1))

  ;; catch_ref: get payload + exnref, do some cleanup, then rethrow with throw_ref.
  (func $cleanup_and_rethrow (export "cleanup_and_rethrow") (param $a i32) (param $b i32) (result i32)
    (local $exn exnref)
    (block $h (result i32 exnref)
      (return
        (try_table (result i32) (catch_ref $div_by_zero $h)
          (call $checked_div (local.get $a) (local.get $b)))))
    (local.set $exn)
    (call $log)
    (throw_ref (local.get $exn)))

  ;; Several handlers on one try_table, including catch_all and catch_all_ref.
  (func $classify (export "classify") (param $which i32) (result i32)
    (block $all (result exnref)
      (block $any
        (block $ovf (result i64 i32)
          (return
            (try_table (result i32) (catch $overflow $ovf) (catch_all $any) (catch_all_ref $all)
              (if (i32.eq (local.get $which) (i32.const 0))
                (then (throw $overflow (i64.const 1) (i32.const 2))))
              (if (i32.eq (local.get $which) (i32.const 1))
                (then (throw $empty)))
              (i32.const 0))))
        ;; overflow handler: drop payload
        (drop) (drop)
        (return (i32.const 1)))
      ;; catch_all handler
      (return (i32.const 2)))
    ;; unreachable in practice (catch_all matched first); rethrow
    (throw_ref))

  ;; A null exnref check.
  (func $is_null_exn (export "is_null_exn") (result i32)
    (ref.is_null (ref.null exn)))
)
