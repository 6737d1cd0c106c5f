;; custom-old.wat with another build id.
(module
  (@custom "build-id" "2026-11-23 build 18")
  (func (export "answer") (result i32)
    i32.const 42))
