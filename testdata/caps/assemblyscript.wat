;; Convention: AssemblyScript (asc 0.28, JS or custom host).
;; Demonstrates: the runtime imports `env.abort` (assertion failure: exit),
;; `env.trace` (stdout), `env.seed` (random seed for Math.random); the std
;; JS bindings, which asc emits as dotted names in `env` (`env.Date.now`,
;; `env.console.log`); and user @external bindings to other modules
;; (`Date`.`now`, `console`.`log`). Exports `add` and `memory`; every import is
;; reachable from `add`.
(module
  (import "env" "abort" (func $~lib/builtins/abort (param i32 i32 i32 i32)))
  (import "env" "trace" (func $~lib/builtins/trace (param i32 i32 f64 f64 f64 f64 f64)))
  (import "env" "seed" (func $~lib/builtins/seed (result f64)))
  (import "env" "Date.now" (func $~lib/bindings/dom/Date.now (result f64)))
  (import "env" "console.log" (func $~lib/bindings/dom/console.log (param i32)))
  (import "Date" "now" (func $assembly/index/now (result f64)))
  (import "console" "log" (func $assembly/index/log (param i32)))
  (memory (export "memory") 1)
  (global $~lib/math/random_seeded (mut i32) (i32.const 0))
  (data (i32.const 1036) "\1c\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\06\00\00\00a\00d\00d\00")
  (data (i32.const 1068) "\2c\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00\10\00\00\00i\00n\00d\00e\00x\00.\00t\00s\00")

  (func $~lib/math/NativeMath.seedRandom
    (if (i32.eqz (global.get $~lib/math/random_seeded))
      (then
        (drop (call $~lib/builtins/seed))
        (global.set $~lib/math/random_seeded (i32.const 1)))))

  (func $assembly/index/add (export "add") (param $a i32) (param $b i32) (result i32)
    (local $r i32)
    (call $~lib/math/NativeMath.seedRandom)
    (local.set $r (i32.add (local.get $a) (local.get $b)))
    ;; assert(r >= a) -- overflow check
    (if (i32.lt_s (local.get $r) (local.get $a))
      (then
        (call $~lib/builtins/abort (i32.const 0) (i32.const 1088) (i32.const 4) (i32.const 3))
        (unreachable)))
    (call $~lib/builtins/trace (i32.const 1056) (i32.const 2)
      (f64.convert_i32_s (local.get $a)) (f64.convert_i32_s (local.get $b))
      (f64.const 0) (f64.const 0) (f64.const 0))
    (drop (f64.add (call $~lib/bindings/dom/Date.now) (call $assembly/index/now)))
    (call $~lib/bindings/dom/console.log (i32.const 1056))
    (call $assembly/index/log (local.get $r))
    (local.get $r)))
