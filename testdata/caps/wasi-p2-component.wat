;; Convention: WASI 0.2 component (wasm32-wasip2 command), component model.
;; Demonstrates: instance imports named `wasi:<pkg>/<iface>@0.2.x` (versions mix: 0.2.3 and
;; 0.2.0); a nested core module importing module = interface, name = function (incl.
;; `[method]R.m`, `[resource-drop]R`) satisfied by `canon lower`; the `wasi:cli/run@0.2.0`
;; export (a command). Instance types keep only the functions used, with real WIT types.
;; Reachable from run: get-arguments, get-directories, now, get-random-u64, get-stdout,
;; blocking-write-and-flush. wasi:sockets/tcp is imported but never lowered: unreachable.
(component $C
  (import "wasi:io/error@0.2.3" (instance $io-error (export "error" (type (sub resource)))))
  (alias export $io-error "error" (type $error))
  (import "wasi:io/streams@0.2.3" (instance $streams
    (alias outer $C $error (type $e0))
    (export "error" (type $err (eq $e0)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $se' (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se')))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/environment@0.2.0" (instance $environment (export "get-arguments" (func (result (list string))))))
  (import "wasi:cli/stdout@0.2.3" (instance $stdout
    (alias outer $C $output-stream (type $os0))
    (export "output-stream" (type $os (eq $os0)))
    (export "get-stdout" (func (result (own $os))))))
  (import "wasi:filesystem/types@0.2.0" (instance $fs-types (export "descriptor" (type (sub resource)))))
  (alias export $fs-types "descriptor" (type $descriptor))
  (import "wasi:filesystem/preopens@0.2.0" (instance $preopens
    (alias outer $C $descriptor (type $d0))
    (export "descriptor" (type $d (eq $d0)))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (export "tcp-socket" (type $s (sub resource)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "invalid-state"))
    (export "error-code" (type $ec' (eq $ec)))
    (export "[method]tcp-socket.start-listen" (func (param "self" (borrow $s)) (result (result (error $ec')))))))
  (import "wasi:random/random@0.2.0" (instance $random (export "get-random-u64" (func (result u64)))))
  (import "wasi:clocks/wall-clock@0.2.0" (instance $wall-clock
    (type $dt (record (field "seconds" u64) (field "nanoseconds" u32)))
    (export "datetime" (type $dt' (eq $dt)))
    (export "now" (func (result $dt')))))

  ;; memory + cabi_realloc live in their own module so the lowerings can use them
  (core module $Libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 4096))
    (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)   ;; bump allocator
      (global.set $bump (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                                 (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (global.get $bump) (local.get 3)))
      (i32.sub (global.get $bump) (local.get 3))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "cabi_realloc" (core func $realloc))

  (core module $Main
    (import "env" "memory" (memory 1))
    (import "wasi:cli/environment@0.2.0" "get-arguments" (func $get-arguments (param i32)))
    (import "wasi:filesystem/preopens@0.2.0" "get-directories" (func $get-directories (param i32)))
    (import "wasi:clocks/wall-clock@0.2.0" "now" (func $now (param i32)))
    (import "wasi:random/random@0.2.0" "get-random-u64" (func $get-random-u64 (result i64)))
    (import "wasi:cli/stdout@0.2.3" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi:io/streams@0.2.3" "[method]output-stream.blocking-write-and-flush"
      (func $blocking-write-and-flush (param i32 i32 i32 i32)))
    (import "wasi:io/streams@0.2.3" "[resource-drop]output-stream" (func $drop-output-stream (param i32)))
    (data (i32.const 16) "hello\n")
    (func $run (export "wasi:cli/run@0.2.0#run") (result i32)
      (local $out i32)
      (call $get-arguments (i32.const 64))
      (call $get-directories (i32.const 72))
      (call $now (i32.const 80))
      (i64.store (i32.const 96) (call $get-random-u64))
      (local.set $out (call $get-stdout))
      (call $blocking-write-and-flush (local.get $out) (i32.const 16) (i32.const 6) (i32.const 104))
      (call $drop-output-stream (local.get $out))
      (i32.load8_u (i32.const 104))))

  (core func $get-arguments (canon lower (func $environment "get-arguments") (memory $mem) (realloc $realloc)))
  (core func $get-directories (canon lower (func $preopens "get-directories") (memory $mem) (realloc $realloc)))
  (core func $now (canon lower (func $wall-clock "now") (memory $mem)))
  (core func $get-random-u64 (canon lower (func $random "get-random-u64")))
  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $blocking-write-and-flush (canon lower (func $streams "[method]output-stream.blocking-write-and-flush") (memory $mem)))
  (core func $drop-output-stream (canon resource.drop $output-stream))
  (core instance $main (instantiate $Main
    (with "env" (instance $libc))
    (with "wasi:cli/environment@0.2.0" (instance (export "get-arguments" (func $get-arguments))))
    (with "wasi:filesystem/preopens@0.2.0" (instance (export "get-directories" (func $get-directories))))
    (with "wasi:clocks/wall-clock@0.2.0" (instance (export "now" (func $now))))
    (with "wasi:random/random@0.2.0" (instance (export "get-random-u64" (func $get-random-u64))))
    (with "wasi:cli/stdout@0.2.3" (instance (export "get-stdout" (func $get-stdout))))
    (with "wasi:io/streams@0.2.3" (instance
      (export "[method]output-stream.blocking-write-and-flush" (func $blocking-write-and-flush))
      (export "[resource-drop]output-stream" (func $drop-output-stream))))))

  (func $run (result (result)) (canon lift (core func $main "wasi:cli/run@0.2.0#run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance)))
