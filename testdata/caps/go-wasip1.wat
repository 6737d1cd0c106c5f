;; Convention: Go wasip1 (GOOS=wasip1 GOARCH=wasm, Go 1.21+).
;; Demonstrates: the fixed set of preview1 imports the Go runtime always
;; links (exit, args, clock, environ, fd_write, random, poll_oneoff for
;; timers/netpoll, and the preopen functions os uses to find directories),
;; the `_start` command export, and the build-id custom section (real Go
;; spells it "go:buildid"). All imports are reachable from `_start`.
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (type $ii_i)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (@custom "go:buildid" (before first) "Qw1Er2Ty3Ui4Op5As6Df7/Gh8Jk9Lz0Xc1Vb2Nm3/Pl4Ok5Ij6Uh7Yg8Tf9/Rd0Es1Wa2Qz3Xs4Ed5")
  (memory (export "memory") 256)

  (func $runtime.goenvs
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 16) (i32.const 256)))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $environ_get (i32.const 16) (i32.const 256))))

  (func $syscall.init   ;; preopen discovery, fd 3 upwards
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (block $done
      (loop $next
        (br_if $done (call $fd_prestat_get (local.get $fd) (i32.const 512)))
        (drop (call $fd_prestat_dir_name (local.get $fd) (i32.const 520) (i32.load offset=4 (i32.const 512))))
        (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
        (br $next))))

  (func $runtime.nanotime1 (result i64)
    (drop (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 600)))
    (i64.load (i32.const 600)))

  (func $runtime.usleep   ;; one clock subscription
    (drop (call $poll_oneoff (i32.const 640) (i32.const 704) (i32.const 1) (i32.const 760))))

  (func $_start (export "_start")
    (call $runtime.goenvs)
    (call $syscall.init)
    (drop (call $random_get (i32.const 800) (i32.const 8)))
    (drop (call $runtime.nanotime1))
    (call $runtime.usleep)
    (drop (call $fd_write (i32.const 1) (i32.const 900) (i32.const 1) (i32.const 908)))
    (call $proc_exit (i32.const 0))))
