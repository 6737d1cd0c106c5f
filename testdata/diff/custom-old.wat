;; Only a custom section differs between this and custom-new.wat.
(module
  (@custom "build-id" "2026-11-01 build 17")
  (func (export "answer") (result i32)
    i32.const 42))
