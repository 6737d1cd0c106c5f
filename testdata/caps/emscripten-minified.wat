;; Convention: Emscripten with -O2 or higher: imports and exports minified.
;; Demonstrates: an unclassifiable module: every import is module `a` with
;; one-letter names; exports `e` (memory) and `f` (the main-like entry). Only
;; "requires a JavaScript host" can be said; what a..d do is unknowable from
;; the module alone. All four imports are reachable from `f`.
(module
  (import "a" "a" (func $a.a (param i32 i32 i32 i32) (result i32)))
  (import "a" "b" (func $a.b (param i32)))
  (import "a" "c" (func $a.c (param i32 i32 i32)))
  (import "a" "d" (func $a.d (result f64)))
  (memory (export "e") 256 256)
  (data (i32.const 1024) "hello\n")

  (func $g (param $p i32) (result i32)
    (call $a.c (i32.const 2048) (local.get $p) (i32.const 6))
    (call $a.a (i32.const 1) (i32.const 2048) (i32.const 1) (i32.const 16)))

  (func $f (export "f") (param i32 i32) (result i32)
    (drop (call $g (i32.const 1024)))
    (if (f64.lt (call $a.d) (f64.const 0)) (then (call $a.b (i32.const 1))))
    (i32.const 0)))
