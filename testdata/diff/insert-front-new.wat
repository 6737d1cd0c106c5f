;; The old module with one function inserted at the front.
(module
  (import "env" "log" (func (param i32)))
  (global (mut i32) (i32.const 0))
  (global i32 (i32.const 42))
  (func (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.xor)
  (func (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func (param i32) (result i32)
    local.get 0
    call 2
    call 2
    global.get 1
    i32.mul)
  (func (export "run") (param i32)
    local.get 0
    call 3
    global.set 0
    global.get 0
    call 0)
  (func (result i32)
    global.get 0))
