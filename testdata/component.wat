;; Component-model fixture: an imported interface instance, two nested core
;; modules (a libc-style memory/allocator and the main module), core instances,
;; `canon lower` of an imported string-taking function, and `canon lift` of a
;; core export into a component function (memory + realloc + utf8) that is exported.
(component $greeter
  (import "example:log/logger@0.1.0" (instance $logger
    (export "log" (func (param "level" u8) (param "msg" string)))))

  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr (bump allocator)
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                 (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (alias export $logger "log" (func $log))
  (core func $log_lowered
    (canon lower (func $log) (memory (core memory $libc "memory")) string-encoding=utf8))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "logger" "log" (func $log (param i32 i32 i32)))
    ;; greet(name_ptr, name_len) -> retptr to (ptr, len): logs, then echoes the name.
    (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
      (call $log (i32.const 2) (local.get $ptr) (local.get $len))
      (i32.store (i32.const 8) (local.get $ptr))
      (i32.store (i32.const 12) (local.get $len))
      (i32.const 8))
    ;; count(n) -> n + 1, a scalar-only function needing no canonical options.
    (func (export "count") (param $n i32) (result i32)
      (i32.add (local.get $n) (i32.const 1))))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "logger" (instance (export "log" (func $log_lowered))))))

  (type $greet_ty (func (param "name" string) (result string)))
  (func $greet (type $greet_ty)
    (canon lift (core func $main "greet")
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc")) string-encoding=utf8))
  (func $count (param "n" u32) (result u32)
    (canon lift (core func $main "count")))

  (export "greet" (func $greet))
  (export "count" (func $count))
)
