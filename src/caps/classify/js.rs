//! The JavaScript hosts: Go's `go`/`gojs` glue, wasm-bindgen, and the
//! `env` module, which Emscripten, AssemblyScript and plain host APIs all
//! share and which the module's [`Context`] disambiguates.

use super::{Classification, Context, Convention, guess, sure};
use crate::caps::vocabulary::Capability;

/// Go's `syscall/js` glue: the runtime's own imports have fixed meanings,
/// everything else reaches into JavaScript.
pub(super) fn go_js(name: &str) -> Classification {
    use Capability::*;
    let c = match name {
        "runtime.wasmExit" => Exit,
        "runtime.wasmWrite" => Stdout,
        "runtime.nanotime1" | "runtime.walltime" | "runtime.walltime1" => Clock,
        "runtime.scheduleTimeoutEvent" | "runtime.clearTimeoutEvent" => Timers,
        "runtime.getRandomData" => Random,
        _ => JsHost,
    };
    sure(c, Convention::GoJs)
}

/// wasm-bindgen names its imports `__wbg_<jsname>_<hash>`: the JavaScript
/// name is the only hint of what the glue does.
pub(super) fn bindgen(name: &str) -> Classification {
    use Capability::*;
    let js = name
        .strip_prefix("__wbg_")
        .map(|rest| rest.rsplit_once('_').map_or(rest, |(js, _)| js))
        .unwrap_or(name);
    let guessed = match js {
        "fetch" => Some(HttpOut),
        "getRandomValues" | "randomFillSync" | "crypto" => Some(Random),
        "now" | "performance" => Some(Clock),
        "log" | "info" | "debug" => Some(Stdout),
        "error" | "warn" => Some(Stderr),
        "setTimeout" | "setInterval" | "clearTimeout" => Some(Timers),
        "require" => Some(DynamicLinking),
        "eval" | "Function" => Some(JsEval),
        _ => None,
    };
    match guessed {
        Some(c) => guess(c, Convention::WasmBindgen),
        None => sure(JsHost, Convention::WasmBindgen),
    }
}

/// An `env` import: Emscripten's library, AssemblyScript's runtime, or an
/// unknown host API, told apart by name and by the module's [`Context`].
pub(super) fn env_function(name: &str, cx: Context) -> Classification {
    use Capability::*;
    use Convention as C;
    if name.starts_with("emscripten_run_script") || name.starts_with("emscripten_asm_const") {
        return sure(JsEval, C::Emscripten);
    }
    if let Some(call) = name.strip_prefix("__syscall_") {
        return sure(posix_syscall(call), C::Emscripten);
    }
    let emscripten = match name {
        "_emscripten_system" => Some(Process),
        n if n.starts_with("invoke_") => Some(JsHost),
        n if n.starts_with("__pthread_create_js") || n.starts_with("_emscripten_thread") => {
            Some(Threads)
        }
        "getaddrinfo" | "_emscripten_lookup_name" => Some(Dns),
        n if n.starts_with("emscripten_websocket_") => Some(NetOutbound),
        "emscripten_start_fetch" => Some(HttpOut),
        "emscripten_date_now" | "emscripten_get_now" | "_emscripten_get_now" => Some(Clock),
        n if n.starts_with("emscripten_") || n.starts_with("_emscripten_") => Some(JsHost),
        _ => None,
    };
    if let Some(c) = emscripten {
        return sure(c, C::Emscripten);
    }
    // AssemblyScript binds its standard library as `env` `"Date.now"`,
    // `"console.log"`, `"Math.random"`...
    if !cx.emscripten && name.contains('.') {
        let c = match name {
            "Date.now" | "performance.now" => Clock,
            "Math.random" => Random,
            n if n.starts_with("console.") => Stdout,
            _ => JsHost,
        };
        return guess(c, C::AssemblyScript);
    }
    if cx.assemblyscript || (!cx.emscripten && matches!(name, "abort" | "trace" | "seed")) {
        match name {
            "abort" => return sure(Exit, C::AssemblyScript),
            "trace" => return sure(Stdout, C::AssemblyScript),
            "seed" => return sure(Random, C::AssemblyScript),
            _ => {}
        }
    }
    if cx.emscripten {
        // libc functions Emscripten implements in JavaScript; the other
        // `env` imports are JavaScript library functions.
        let c = match name {
            "time" | "clock_gettime" | "clock_getres" | "gettimeofday" | "_gmtime_js"
            | "_localtime_js" | "_mktime_js" | "_timegm_js" | "_tzset_js" => Clock,
            "getentropy" | "_emscripten_get_random" => Random,
            "exit" | "_exit" | "abort" | "_abort_js" => Exit,
            _ => JsHost,
        };
        return sure(c, C::Emscripten);
    }
    sure(HostCustom, C::Custom)
}

/// Emscripten's `__syscall_*` are POSIX calls over its JavaScript file system
/// (in memory unless NODEFS/NODERAWFS give it the host's disk).
fn posix_syscall(call: &str) -> Capability {
    use Capability::*;
    match call {
        "openat" | "open" => FsWrite,
        "unlinkat" | "rmdir" | "mkdirat" | "renameat" | "symlinkat" | "linkat" | "truncate64"
        | "ftruncate64" | "fchmod" | "chmod" | "fchownat" | "utimensat" => FsWrite,
        "stat64" | "lstat64" | "fstat64" | "newfstatat" | "statfs64" | "fstatfs64"
        | "faccessat" | "readlinkat" => FsMeta,
        "getdents64" => FsList,
        "getcwd" | "chdir" => Cwd,
        "ioctl" => Tty,
        "socket" | "connect" | "sendto" | "recvfrom" | "getsockopt" | "setsockopt"
        | "getsockname" | "getpeername" | "sendmsg" | "recvmsg" | "shutdown" | "socketpair" => {
            NetOutbound
        }
        "bind" | "listen" | "accept4" => NetInbound,
        "fcntl64" | "dup" | "dup3" | "pipe" | "poll" | "pselect6" | "_newselect" | "fadvise64" => {
            Neutral
        }
        "fchdir" => Cwd,
        _ => FsRead,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Classification, Convention, classify};
    use super::*;
    use crate::index::ItemKind;
    use Capability::*;

    fn func(module: &str, name: &str) -> Classification {
        classify(module, name, ItemKind::Func, Context::default())
    }

    #[test]
    fn javascript_hosts() {
        let cx = Context::default();
        let em = Context {
            emscripten: true,
            ..cx
        };
        let asc = Context {
            assemblyscript: true,
            ..cx
        };
        let rows: &[(&str, &str, Context, Capability, Convention)] = &[
            (
                "env",
                "emscripten_run_script",
                em,
                JsEval,
                Convention::Emscripten,
            ),
            (
                "env",
                "emscripten_asm_const_int",
                cx,
                JsEval,
                Convention::Emscripten,
            ),
            (
                "env",
                "__syscall_openat",
                cx,
                FsWrite,
                Convention::Emscripten,
            ),
            (
                "env",
                "__syscall_getdents64",
                cx,
                FsList,
                Convention::Emscripten,
            ),
            (
                "env",
                "_emscripten_system",
                cx,
                Process,
                Convention::Emscripten,
            ),
            ("env", "invoke_vii", cx, JsHost, Convention::Emscripten),
            (
                "env",
                "__pthread_create_js",
                cx,
                Threads,
                Convention::Emscripten,
            ),
            ("env", "getaddrinfo", cx, Dns, Convention::Emscripten),
            (
                "env",
                "emscripten_websocket_new",
                cx,
                NetOutbound,
                Convention::Emscripten,
            ),
            (
                "env",
                "emscripten_start_fetch",
                cx,
                HttpOut,
                Convention::Emscripten,
            ),
            (
                "env",
                "emscripten_memcpy_js",
                cx,
                JsHost,
                Convention::Emscripten,
            ),
            (
                "env",
                "some_js_library_fn",
                em,
                JsHost,
                Convention::Emscripten,
            ),
            (
                "env",
                "__syscall_getsockname",
                cx,
                NetOutbound,
                Convention::Emscripten,
            ),
            (
                "env",
                "__syscall__newselect",
                cx,
                Neutral,
                Convention::Emscripten,
            ),
            ("env", "time", em, Clock, Convention::Emscripten),
            ("env", "_tzset_js", em, Clock, Convention::Emscripten),
            ("env", "getentropy", em, Random, Convention::Emscripten),
            ("env", "_abort_js", em, Exit, Convention::Emscripten),
            ("env", "abort", asc, Exit, Convention::AssemblyScript),
            ("env", "trace", asc, Stdout, Convention::AssemblyScript),
            ("env", "seed", asc, Random, Convention::AssemblyScript),
            ("gojs", "runtime.wasmExit", cx, Exit, Convention::GoJs),
            ("go", "runtime.wasmWrite", cx, Stdout, Convention::GoJs),
            ("gojs", "runtime.nanotime1", cx, Clock, Convention::GoJs),
            (
                "gojs",
                "runtime.getRandomData",
                cx,
                Random,
                Convention::GoJs,
            ),
            ("gojs", "syscall/js.valueCall", cx, JsHost, Convention::GoJs),
            (
                "__wbindgen_placeholder__",
                "__wbindgen_describe",
                cx,
                JsHost,
                Convention::WasmBindgen,
            ),
            (
                "./app_bg.js",
                "__wbg_fetch_a1b2c3d4",
                cx,
                HttpOut,
                Convention::WasmBindgen,
            ),
            (
                "wbg",
                "__wbg_getRandomValues_0123abcd",
                cx,
                Random,
                Convention::WasmBindgen,
            ),
        ];
        for (module, name, cx, cap, conv) in rows {
            let c = classify(module, name, ItemKind::Func, *cx);
            assert_eq!(
                (c.capability, c.convention),
                (*cap, *conv),
                "{module} {name}"
            );
        }
        assert!(func("./app_bg.js", "__wbg_fetch_a1b2c3d4").guessed);
    }
}
