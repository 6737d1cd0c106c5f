;; INVALID: parses fine but fails validation. Function index 2 (`$bad`) is
;; declared `(result i32)` but its body leaves an i64 on the stack.
(module $invalid_type_mismatch
  (func $ok_add (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func $ok_const (result i64)
    (i64.const 42))
  (func $bad (result i32)
    (i64.const 1))
)
