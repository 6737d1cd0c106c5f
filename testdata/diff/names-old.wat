;; Only names differ between this and names-new.wat.
(module
  (func $increment (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func $twice (param i32) (result i32)
    local.get 0
    call $increment
    call $increment)
  (func (export "run") (param i32) (result i32)
    local.get 0
    call $twice))
