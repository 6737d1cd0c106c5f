;; BAD: syntax error -- `i32.ad` on line 4 is a misspelling of `i32.add`.
(module $bad_syntax
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a local.get $b i32.ad)
  (func $one (result i32) (i32.const 1))
)
