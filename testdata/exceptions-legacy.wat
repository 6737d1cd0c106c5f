;; Legacy exception handling (as emitted by Emscripten / LLVM before exnref):
;; try / catch / catch_all / rethrow / delegate, written flat like compiler output.
(module $exceptions_legacy
  (import "env" "__cxa_throw" (func $__cxa_throw (param i32 i32 i32)))
  (import "env" "__cpp_exception" (tag $cpp_exception (param i32)))
  (tag $js_error (param externref))
  (global $depth (mut i32) (i32.const 0))

  (func $may_throw (export "may_throw") (param $ptr i32)
    local.get $ptr
    i32.eqz
    if
      i32.const 8
      throw $cpp_exception
    end)

  ;; try { may_throw(p); return 0 } catch (__cpp_exception e) { return e } catch (...) { return -1 }
  (func $catcher (export "catcher") (param $p i32) (result i32)
    try (result i32)
      local.get $p
      call $may_throw
      i32.const 0
    catch $cpp_exception
      ;; payload (exception pointer) is already on the stack
    catch_all
      i32.const -1
    end)

  ;; Destructor-style cleanup: run cleanup code, then rethrow the same exception.
  (func $with_cleanup (export "with_cleanup") (param $p i32)
    global.get $depth
    i32.const 1
    i32.add
    global.set $depth
    try $outer
      local.get $p
      call $may_throw
    catch_all
      global.get $depth
      i32.const 1
      i32.sub
      global.set $depth
      rethrow $outer
    end)

  ;; Nested try that delegates its exceptions to the enclosing try.
  (func $delegating (export "delegating") (param $p i32) (result i32)
    try $outer (result i32)
      try $inner
        local.get $p
        call $may_throw
      delegate $outer
      i32.const 1
    catch $cpp_exception
      drop
      i32.const 2
    catch $js_error
      drop
      i32.const 3
    end)

  ;; Rethrow from a nested catch_all, targeting the outer catch's exception;
  ;; then delegate straight to the caller (label 0 = function body).
  (func $nested_rethrow (export "nested_rethrow") (param $p i32)
    try $a
      local.get $p
      call $may_throw
    catch $cpp_exception
      drop
      try $b
        i32.const 0  i32.const 0  i32.const 0
        call $__cxa_throw
      catch_all
        rethrow $a
      end
    end
    try
      local.get $p
      call $may_throw
    delegate 0)
)
