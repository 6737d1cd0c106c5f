;; BAD: name resolution error -- `call $missing` refers to a function that is
;; never defined or imported (everything else here is well-formed).
(module $bad_unknown_label
  (import "env" "print" (func $print (param i32)))
  (func $main (export "main")
    (call $print (i32.const 1))
    (call $missing (i32.const 2)))
)
