;; The code of names-old.wat with other function names.
(module
  (func $add_one (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $add_two (param i32) (result i32)
    local.get 0
    call $add_one
    call $add_one)
  (func (export "run") (param i32) (result i32)
    local.get 0
    call $add_two))
