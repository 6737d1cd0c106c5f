;; Convention: WebAssembly dynamic linking (a shared library / side module,
;; as made by `emcc -sSIDE_MODULE` or `clang -shared` for wasm32).
;; Demonstrates: the `dylink.0` section (memory/table needs), the relocation
;; base globals `env.__memory_base` / `env.__table_base`, the shared stack
;; pointer, GOT entries for a data symbol (`GOT.mem`.`errno`) and a function
;; symbol (`GOT.func`.`callback`), the main module's memory and table, and a
;; plain function import resolved by the loader. `lib_fn` reaches all of them.
(module
  (@dylink.0
    (mem-info (memory 16 2) (table 1 0))
    (needed "libc.so"))
  (import "env" "memory" (memory 1))
  (import "env" "__indirect_function_table" (table 1 funcref))
  (import "env" "__memory_base" (global $__memory_base i32))
  (import "env" "__table_base" (global $__table_base i32))
  (import "env" "__stack_pointer" (global $__stack_pointer (mut i32)))
  (import "GOT.mem" "errno" (global $GOT.mem.errno (mut i32)))
  (import "GOT.func" "callback" (global $GOT.func.callback (mut i32)))
  (import "env" "puts" (func $puts (param i32) (result i32)))
  (type $cb (func (param i32) (result i32)))
  (data (global.get $__memory_base) "lib_fn called\00")

  (func $lib_fn (export "lib_fn") (param $x i32) (result i32)
    (local $sp i32)
    (local.set $sp (i32.sub (global.get $__stack_pointer) (i32.const 16)))
    (global.set $__stack_pointer (local.get $sp))
    (drop (call $puts (global.get $__memory_base)))
    (i32.store (global.get $GOT.mem.errno) (i32.const 0))
    (local.set $x (call_indirect (type $cb) (local.get $x) (global.get $GOT.func.callback)))
    (global.set $__stack_pointer (i32.add (local.get $sp) (i32.const 16)))
    (i32.add (local.get $x) (global.get $__table_base))))
