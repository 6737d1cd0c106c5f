use super::*;

fn wiring(text: &str) -> Wiring {
    let bytes = crate::parse::parse_text(text, "c.wat").expect("parses");
    let index = ModuleIndex::build(&bytes).expect("indexes");
    Wiring::build(&bytes, &index).expect("wires")
}

/// The shape wit-component gives a component whose main module calls a
/// WASI 0.1 adapter, which calls the host through the shim's table (filled
/// by the fixup module once the main module's memory exists).
const ADAPTED: &str = r#"(component
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (export "get-stdout" (func (result u32)))))
  (import "wasi:clocks/wall-clock@0.2.0" (instance $clock
    (export "now" (func (result u64)))
    (export "resolution" (func (result u64)))))
  (core module $main
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func $time (result i64)))
    (memory (export "memory") 1)
    (func (export "run") (drop (call $fd_write (i32.const 1))))
    (func (export "tick") (drop (call $time))))
  (core module $adapter
    (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $get (param i32)))
    (import "wasi:clocks/wall-clock@0.2.0" "now" (func $now (result i64)))
    (func (export "fd_write") (param i32) (result i32) (call $get (i32.const 0)) (i32.const 0))
    (func (export "clock_time_get") (result i64) (call $now)))
  (core module $shim
    (table (export "$imports") 1 1 funcref)
    (func (export "0") (param i32) (call_indirect (param i32) (local.get 0) (i32.const 0))))
  (core module $fixup
    (import "" "0" (func (param i32)))
    (import "" "$imports" (table 1 1 funcref))
    (elem (i32.const 0) func 0))
  (core instance $shim (instantiate $shim))
  (alias export $clock "now" (func $now))
  (core func $now (canon lower (func $now)))
  (alias core export $shim "0" (core func $stub))
  (core instance $stdout-args (export "get-stdout" (func $stub)))
  (core instance $clock-args (export "now" (func $now)))
  (core instance $adapter (instantiate $adapter
    (with "wasi:cli/stdout@0.2.0" (instance $stdout-args))
    (with "wasi:clocks/wall-clock@0.2.0" (instance $clock-args))))
  (core instance $main (instantiate $main
    (with "wasi_snapshot_preview1" (instance $adapter))))
  (alias export $stdout "get-stdout" (func $get))
  (core func $get (canon lower (func $get) (memory (core memory $main "memory"))))
  (alias core export $shim "$imports" (core table $shim-table))
  (core instance $fixup-args
    (export "0" (func $get))
    (export "$imports" (table $shim-table)))
  (core instance (instantiate $fixup (with "" (instance $fixup-args))))
  (func $run (canon lift (core func $main "run")))
  (func $tick (canon lift (core func $main "tick")))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run))
  (export "tick" (func $tick))
)"#;

#[test]
fn exports_reach_imports_through_the_adapter_and_the_shim() {
    let w = wiring(ADAPTED);
    let labels: Vec<String> = w.exports.iter().map(ExportedFunction::label).collect();
    assert_eq!(labels, ["wasi:cli/run@0.2.0#run", "tick"]);
    assert_eq!(
        w.reached_by(Some("wasi:cli/stdout@0.2.0"), "get-stdout"),
        ["wasi:cli/run@0.2.0#run"]
    );
    assert_eq!(
        w.reached_by(Some("wasi:clocks/wall-clock@0.2.0"), "now"),
        ["tick"]
    );
    // Never aliased, so never lowered: nothing reaches it.
    assert!(
        w.reached_by(Some("wasi:clocks/wall-clock@0.2.0"), "resolution")
            .is_empty()
    );
    assert!(w.notes.is_empty());
}

#[test]
fn lowered_functions_are_placed_in_the_module_that_calls_them() {
    let w = wiring(ADAPTED);
    // Module 1 (the adapter) imports both: `now` directly, `get-stdout`
    // through the shim's stub. The fixup module, which only fills the
    // table, is not a caller.
    let get = w
        .import(Some("wasi:cli/stdout@0.2.0"), "get-stdout")
        .and_then(|p| w.imports.get(p))
        .expect("get-stdout is imported");
    assert_eq!(get.lowered_into, [CoreFunc { module: 1, func: 0 }]);
    let now = w
        .import(Some("wasi:clocks/wall-clock@0.2.0"), "now")
        .and_then(|p| w.imports.get(p))
        .expect("now is imported");
    assert_eq!(now.lowered_into, [CoreFunc { module: 1, func: 1 }]);
    // Exports are lifted from the main module's functions.
    let lifted: Vec<Option<CoreFunc>> = w.exports.iter().map(|e| e.lifted_from).collect();
    assert_eq!(
        lifted,
        [
            Some(CoreFunc { module: 0, func: 2 }),
            Some(CoreFunc { module: 0, func: 3 })
        ]
    );
}

#[test]
fn an_indirect_call_through_an_unknown_slot_reaches_the_whole_table() {
    let w = wiring(
        r#"(component
          (import "host:api/io" (instance $io
            (export "read" (func))
            (export "write" (func))))
          (alias export $io "read" (func $read))
          (alias export $io "write" (func $write))
          (core func $read (canon lower (func $read)))
          (core func $write (canon lower (func $write)))
          (core instance $io (export "read" (func $read)) (export "write" (func $write)))
          (core module $m
            (import "io" "read" (func $read))
            (import "io" "write" (func $write))
            (table 2 funcref)
            (elem (i32.const 0) func $read)
            (func (export "dispatch") (param i32) (call_indirect (local.get 0)))
            (func (export "direct") (call $write)))
          (core instance $m (instantiate $m (with "io" (instance $io))))
          (func (export "dispatch") (param "n" u32) (canon lift (core func $m "dispatch")))
          (func (export "direct") (canon lift (core func $m "direct")))
        )"#,
    );
    assert_eq!(w.reached_by(Some("host:api/io"), "read"), ["dispatch"]);
    assert_eq!(w.reached_by(Some("host:api/io"), "write"), ["direct"]);
}

#[test]
fn a_start_function_reaches_at_instantiation() {
    let w = wiring(
        r#"(component
          (import "host:api/init" (instance $i (export "setup" (func))))
          (alias export $i "setup" (func $setup))
          (core func $setup (canon lower (func $setup)))
          (core instance $args (export "setup" (func $setup)))
          (core module $m
            (import "init" "setup" (func $setup))
            (func $start (call $setup))
            (start $start))
          (core instance (instantiate $m (with "init" (instance $args))))
        )"#,
    );
    assert_eq!(w.reached_by(Some("host:api/init"), "setup"), ["(start)"]);
}

#[test]
fn what_a_nested_component_is_given_counts_as_reached() {
    let w = wiring(
        r#"(component
          (import "host:api/log" (instance $log (export "write" (func))))
          (component $inner
            (import "host:api/log" (instance (export "write" (func))))
            (export "ping" (func 0)) )
          (instance $inner (instantiate $inner (with "host:api/log" (instance $log))))
          (alias export $inner "ping" (func $ping))
          (export "ping" (func $ping))
        )"#,
    );
    assert_eq!(w.reached_by(Some("host:api/log"), "write"), ["ping"]);
    assert_eq!(w.notes.len(), 1);
}

#[test]
fn a_core_module_has_no_wiring() {
    assert_eq!(wiring("(module (func (export \"f\")))"), Wiring::default());
}

#[test]
fn a_loop_of_links_ends() {
    // A module instantiated with an instance of its own exports cannot be
    // written in a valid component, but the reader must not loop on the
    // links of one that is not validated.
    let w = wiring(
        r#"(component
          (core module $m (import "a" "f" (func)) (export "f" (func 0)))
          (core instance $b (instantiate $m (with "a" (instance 1))))
          (alias core export $b "f" (core func $f))
          (core instance $a (export "f" (func $f)))
        )"#,
    );
    assert!(w.exports.is_empty());
}
