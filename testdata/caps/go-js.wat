;; Convention: Go js/wasm (GOOS=js GOARCH=wasm, Go 1.21+ module name `gojs`;
;; Go <= 1.20 used `go`). JS host required (wasm_exec.js).
;; Demonstrates: `runtime.*` and `syscall/js.*` imports, all (i32)->() taking
;; Go's stack pointer; exports run/resume/getsp and the memory as `mem`; the
;; build-id custom section. Real Go writes it as "go:buildid" (Go 1.11 wrote
;; "go.buildid"); this fixture carries the modern spelling.
;; All imports are reachable from `run`; `resume` reaches the js calls.
(module
  (type $sp (func (param i32)))
  (import "gojs" "runtime.wasmExit" (func $runtime.wasmExit (type $sp)))
  (import "gojs" "runtime.wasmWrite" (func $runtime.wasmWrite (type $sp)))
  (import "gojs" "runtime.nanotime1" (func $runtime.nanotime1 (type $sp)))
  (import "gojs" "runtime.walltime" (func $runtime.walltime (type $sp)))
  (import "gojs" "runtime.getRandomData" (func $runtime.getRandomData (type $sp)))
  (import "gojs" "syscall/js.valueGet" (func $syscall/js.valueGet (type $sp)))
  (import "gojs" "syscall/js.valueCall" (func $syscall/js.valueCall (type $sp)))
  (import "gojs" "syscall/js.valueNew" (func $syscall/js.valueNew (type $sp)))
  (@custom "go:buildid" (before first) "Xb3vQ9pZ0aQ1mN2kL4jH/Gd7s8Tq-Rr9Uu0Vv1Ww2/Yy3Zz4Aa5Bb6Cc7Dd8/Ee9Ff0Gg1Hh2Ii3Jj4Kk")
  (memory (export "mem") 256)
  (global $SP (mut i32) (i32.const 65536))

  (func $getsp (export "getsp") (result i32) (global.get $SP))

  (func $runtime.schedinit
    (call $runtime.nanotime1 (global.get $SP))
    (call $runtime.walltime (global.get $SP))
    (call $runtime.getRandomData (global.get $SP)))

  (func $syscall/js.handleEvent
    (call $syscall/js.valueGet (global.get $SP))
    (call $syscall/js.valueNew (global.get $SP))
    (call $syscall/js.valueCall (global.get $SP)))

  (func $main.main
    (call $syscall/js.handleEvent)
    (call $runtime.wasmWrite (global.get $SP)))

  (func $run (export "run") (param $argc i32) (param $argv i32)
    (call $runtime.schedinit)
    (call $main.main)
    (call $runtime.wasmExit (global.get $SP)))

  (func $resume (export "resume")
    (call $syscall/js.handleEvent)))
