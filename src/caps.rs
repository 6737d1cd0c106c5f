//! The capability audit: what a module would need from its host, and whether
//! its reachable code really uses it.
//!
//! Every import is classified by the conventions of the toolchain that made
//! it (WASI preview0/1, WASI 0.2/0.3 components, wasi-threads, WASIX, WasmEdge
//! sockets, Emscripten, wasm-bindgen, Go, TinyGo, AssemblyScript, dynamic
//! linking). The facts behind the tables were gathered from the WASI witx and
//! WIT definitions (preview1 on the `wasi-0.1` branch, WIT 0.2.0 to 0.3.0),
//! the wasmtime (up to 50) and wasmer (up to 7.5) command lines, and real
//! builds of each toolchain, as of late 2026.
//!
//! An import says "linked", not "used": the call graph tells which imports
//! code reachable from the exports, the start function or a table calls.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::callgraph::CallGraph;
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};
use crate::info::Role;

/// What an import lets a module do. The order is the risk order: most
/// dangerous first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// Runs arbitrary JavaScript in the host.
    JsEval,
    /// Starts other processes.
    Process,
    /// Loads other code at run time.
    DynamicLinking,
    /// Accepts network connections.
    NetInbound,
    /// Opens network connections.
    NetOutbound,
    /// Uses TCP sockets.
    NetTcp,
    /// Uses UDP sockets.
    NetUdp,
    /// Resolves host names.
    Dns,
    /// Sends HTTP requests.
    HttpOut,
    /// Serves HTTP requests.
    HttpIn,
    /// Needs a JavaScript host (glue code decides what happens).
    JsHost,
    /// Creates, changes or deletes files.
    FsWrite,
    /// Reads files.
    FsRead,
    /// Lists directories.
    FsList,
    /// Reads file metadata.
    FsMeta,
    /// Asks which directories it was granted.
    FsPreopens,
    /// Reads environment variables.
    Env,
    /// Reads the current directory.
    Cwd,
    /// Raises signals.
    Signals,
    /// Starts threads.
    Threads,
    /// Calls functions of a host API wasmscope does not know.
    HostCustom,
    /// Reads its command-line arguments.
    Args,
    /// Reads standard input.
    Stdin,
    /// Writes standard output.
    Stdout,
    /// Writes standard error.
    Stderr,
    /// Queries or controls the terminal.
    Tty,
    /// Reads clocks.
    Clock,
    /// Waits on timers.
    Timers,
    /// Reads random numbers.
    Random,
    /// Exits with a status.
    Exit,
    /// Plumbing with no capability of its own (closing descriptors, polling).
    Neutral,
}

/// Every capability, in risk order.
pub const ALL: &[Capability] = &[
    Capability::JsEval,
    Capability::Process,
    Capability::DynamicLinking,
    Capability::NetInbound,
    Capability::NetOutbound,
    Capability::NetTcp,
    Capability::NetUdp,
    Capability::Dns,
    Capability::HttpOut,
    Capability::HttpIn,
    Capability::JsHost,
    Capability::FsWrite,
    Capability::FsRead,
    Capability::FsList,
    Capability::FsMeta,
    Capability::FsPreopens,
    Capability::Env,
    Capability::Cwd,
    Capability::Signals,
    Capability::Threads,
    Capability::HostCustom,
    Capability::Args,
    Capability::Stdin,
    Capability::Stdout,
    Capability::Stderr,
    Capability::Tty,
    Capability::Clock,
    Capability::Timers,
    Capability::Random,
    Capability::Exit,
    Capability::Neutral,
];

/// How much a capability should worry a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Arbitrary code or processes.
    Critical,
    /// Network, files written, an opaque host.
    High,
    /// Files read, environment, threads, unknown host calls.
    Medium,
    /// Standard streams, clocks, randomness, exit.
    Low,
    /// Nothing by itself.
    None,
}

impl Capability {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Capability::JsEval => "js-eval",
            Capability::Process => "process",
            Capability::DynamicLinking => "dynamic-linking",
            Capability::NetInbound => "net-inbound",
            Capability::NetOutbound => "net-outbound",
            Capability::NetTcp => "net-tcp",
            Capability::NetUdp => "net-udp",
            Capability::Dns => "dns",
            Capability::HttpOut => "http-out",
            Capability::HttpIn => "http-in",
            Capability::JsHost => "js-host",
            Capability::FsWrite => "fs-write",
            Capability::FsRead => "fs-read",
            Capability::FsList => "fs-list",
            Capability::FsMeta => "fs-meta",
            Capability::FsPreopens => "fs-preopens",
            Capability::Env => "env",
            Capability::Cwd => "cwd",
            Capability::Signals => "signals",
            Capability::Threads => "threads",
            Capability::HostCustom => "host-custom",
            Capability::Args => "args",
            Capability::Stdin => "stdin",
            Capability::Stdout => "stdout",
            Capability::Stderr => "stderr",
            Capability::Tty => "tty",
            Capability::Clock => "clock",
            Capability::Timers => "timers",
            Capability::Random => "random",
            Capability::Exit => "exit",
            Capability::Neutral => "neutral",
        }
    }

    /// Parses a name as [`Capability::name`] gives it.
    pub fn from_name(name: &str) -> Option<Capability> {
        ALL.iter().copied().find(|c| c.name() == name)
    }

    /// What it means, in plain language.
    pub fn meaning(self) -> &'static str {
        match self {
            Capability::JsEval => "can run arbitrary JavaScript in its host",
            Capability::Process => "can start other processes",
            Capability::DynamicLinking => "loads and links other code at run time",
            Capability::NetInbound => "can accept network connections",
            Capability::NetOutbound => "can open network connections",
            Capability::NetTcp => "can use TCP sockets",
            Capability::NetUdp => "can send and receive UDP datagrams",
            Capability::Dns => "can resolve host names",
            Capability::HttpOut => "can send HTTP requests",
            Capability::HttpIn => "serves HTTP requests",
            Capability::JsHost => {
                "needs a JavaScript host; what it does there is up to its glue code"
            }
            Capability::FsWrite => "can create, change and delete files in directories you grant",
            Capability::FsRead => "can read files in directories you grant",
            Capability::FsList => "can list directories you grant",
            Capability::FsMeta => "can read file metadata (sizes, times) in directories you grant",
            Capability::FsPreopens => "asks which directories it was granted",
            Capability::Env => "can read the environment variables you pass it",
            Capability::Cwd => "can read its current directory",
            Capability::Signals => "can raise signals",
            Capability::Threads => "can start threads",
            Capability::HostCustom => "calls host functions of an API wasmscope does not know",
            Capability::Args => "reads its command-line arguments",
            Capability::Stdin => "reads standard input",
            Capability::Stdout => "writes to standard output",
            Capability::Stderr => "writes to standard error",
            Capability::Tty => "queries or controls the terminal",
            Capability::Clock => "reads the clock",
            Capability::Timers => "waits on timers",
            Capability::Random => "reads random numbers",
            Capability::Exit => "can exit with a status code",
            Capability::Neutral => "plumbing (closing, polling, streams): no capability by itself",
        }
    }

    /// How a host grants it: the wasmtime flag where there is one, or why
    /// none is needed or possible.
    pub fn grant(self) -> &'static str {
        use Capability::*;
        match self {
            FsRead | FsWrite | FsList | FsMeta | FsPreopens | Cwd => {
                "wasmtime --dir=HOST_DIR[::GUEST_DIR]; wasmer --volume HOST:GUEST"
            }
            Env => "wasmtime --env NAME=VALUE (or --env NAME to pass one through); wasmer --env",
            Args => "the arguments after the module on the command line",
            NetInbound | NetOutbound | NetTcp | NetUdp => {
                "wasmtime -S inherit-network (or -S tcp/udp with allowed addresses); wasmer --net"
            }
            Dns => "wasmtime -S allow-ip-name-lookup",
            HttpOut => "wasmtime -S http (wasi:http); wasmer --http-client",
            HttpIn => "wasmtime serve",
            Threads => "wasmtime -W threads -S threads (up to wasmtime 46)",
            Stdin | Stdout | Stderr | Tty => "inherited from the runtime's own streams by default",
            Clock | Timers | Random | Exit => "always granted by WASI runtimes",
            JsEval | JsHost => "only a JavaScript host with the module's glue code",
            Process | Signals => "no WASI runtime grants it; needs a WASIX runtime (wasmer)",
            DynamicLinking => "a runtime that links the libraries it names",
            HostCustom => "only a host that provides these functions",
            Neutral => "nothing to grant",
        }
    }

    /// Its risk level.
    pub fn risk(self) -> Risk {
        use Capability::*;
        match self {
            JsEval | Process => Risk::Critical,
            DynamicLinking | NetInbound | NetOutbound | NetTcp | NetUdp | Dns | HttpOut
            | HttpIn | JsHost | FsWrite => Risk::High,
            FsRead | FsList | FsMeta | FsPreopens | Env | Cwd | Signals | Threads | HostCustom => {
                Risk::Medium
            }
            Args | Stdin | Stdout | Stderr | Tty | Clock | Timers | Random | Exit => Risk::Low,
            Neutral => Risk::None,
        }
    }
}

/// The convention an import follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// `wasi_unstable`.
    WasiPreview0,
    /// `wasi_snapshot_preview1`.
    WasiPreview1,
    /// WasmEdge's socket functions under `wasi_snapshot_preview1`.
    WasmEdge,
    /// `wasi` `thread-spawn`.
    WasiThreads,
    /// WASIX (`wasix_32v1`...).
    Wasix,
    /// WASI 0.2 interfaces (`wasi:cli/stdout@0.2.x`).
    Wasi02,
    /// WASI 0.3 interfaces.
    Wasi03,
    /// Emscripten's `env` functions.
    Emscripten,
    /// wasm-bindgen glue.
    WasmBindgen,
    /// Go's `go`/`gojs` glue.
    GoJs,
    /// AssemblyScript's host functions.
    AssemblyScript,
    /// Dynamic linking (`GOT.*`, `env.__memory_base`...).
    DynamicLinking,
    /// None recognised.
    Custom,
}

/// How one import was classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// What it lets the module do.
    pub capability: Capability,
    /// What else it may do, depending on its arguments at run time
    /// (`path_open` opens for reading and/or writing).
    pub also: &'static [Capability],
    /// The convention it follows.
    pub convention: Convention,
    /// Whether the capability is a guess from a name (JS glue).
    pub guessed: bool,
}

fn sure(capability: Capability, convention: Convention) -> Classification {
    Classification {
        capability,
        also: &[],
        convention,
        guessed: false,
    }
}

fn guess(capability: Capability, convention: Convention) -> Classification {
    Classification {
        capability,
        also: &[],
        convention,
        guessed: true,
    }
}

/// The capabilities a preview1 function may add, depending on which
/// descriptor or mode it is given: file descriptors 0 to 2 are the standard
/// streams, any other is a file the module opened.
pub fn preview1_also(name: &str) -> &'static [Capability] {
    use Capability::*;
    match name {
        "path_open" => &[FsWrite],
        "fd_read" => &[FsRead],
        "fd_write" => &[Stderr],
        _ => &[],
    }
}

/// The preview1 functions (preview0 has the same minus `sock_accept`).
pub const PREVIEW1: &[(&str, Capability)] = {
    use Capability::*;
    &[
        ("args_get", Args),
        ("args_sizes_get", Args),
        ("environ_get", Env),
        ("environ_sizes_get", Env),
        ("clock_res_get", Clock),
        ("clock_time_get", Clock),
        ("poll_oneoff", Timers),
        ("random_get", Random),
        ("proc_exit", Exit),
        ("proc_raise", Signals),
        ("sched_yield", Threads),
        ("fd_read", Stdin),
        ("fd_write", Stdout),
        ("fd_pread", FsRead),
        ("fd_pwrite", FsWrite),
        ("fd_allocate", FsWrite),
        ("fd_datasync", FsWrite),
        ("fd_sync", FsWrite),
        ("fd_filestat_set_size", FsWrite),
        ("fd_filestat_set_times", FsWrite),
        ("fd_filestat_get", FsMeta),
        ("fd_fdstat_get", FsMeta),
        ("fd_readdir", FsList),
        ("fd_advise", Neutral),
        ("fd_seek", Neutral),
        ("fd_tell", Neutral),
        ("fd_close", Neutral),
        ("fd_renumber", Neutral),
        ("fd_fdstat_set_flags", Neutral),
        ("fd_fdstat_set_rights", Neutral),
        ("fd_prestat_get", FsPreopens),
        ("fd_prestat_dir_name", FsPreopens),
        ("path_open", FsRead),
        ("path_readlink", FsRead),
        ("path_filestat_get", FsMeta),
        ("path_create_directory", FsWrite),
        ("path_link", FsWrite),
        ("path_symlink", FsWrite),
        ("path_rename", FsWrite),
        ("path_filestat_set_times", FsWrite),
        ("path_remove_directory", FsWrite),
        ("path_unlink_file", FsWrite),
        ("sock_accept", NetInbound),
        ("sock_recv", NetTcp),
        ("sock_send", NetTcp),
        ("sock_shutdown", NetTcp),
    ]
};

/// WasmEdge's socket extensions under `wasi_snapshot_preview1`: they run on
/// neither wasmtime nor standard preview1 hosts.
const WASMEDGE: &[(&str, Capability)] = {
    use Capability::*;
    &[
        ("sock_open", NetTcp),
        ("sock_bind", NetInbound),
        ("sock_listen", NetInbound),
        ("sock_connect", NetOutbound),
        ("sock_recv_from", NetUdp),
        ("sock_send_to", NetUdp),
        ("sock_getsockopt", NetTcp),
        ("sock_setsockopt", NetTcp),
        ("sock_getlocaladdr", NetTcp),
        ("sock_getpeeraddr", NetTcp),
        ("sock_getaddrinfo", Dns),
    ]
};

fn lookup(table: &[(&str, Capability)], name: &str) -> Option<Capability> {
    table.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// What the module as a whole is built with, which decides how ambiguous
/// names (`env.abort`) are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// Built by Emscripten.
    pub emscripten: bool,
    /// Built by AssemblyScript.
    pub assemblyscript: bool,
}

/// Classifies one import.
pub fn classify(module: &str, name: &str, kind: ItemKind, cx: Context) -> Classification {
    use Capability::*;
    use Convention as C;
    if kind != ItemKind::Func {
        return classify_item(module, name);
    }
    match module {
        "wasi_snapshot_preview1" => match lookup(PREVIEW1, name) {
            Some(c) => Classification {
                also: preview1_also(name),
                ..sure(c, C::WasiPreview1)
            },
            None => match lookup(WASMEDGE, name) {
                Some(c) => sure(c, C::WasmEdge),
                None => sure(HostCustom, C::Custom),
            },
        },
        "wasi_unstable" => match lookup(PREVIEW1, name).filter(|_| name != "sock_accept") {
            Some(c) => Classification {
                also: preview1_also(name),
                ..sure(c, C::WasiPreview0)
            },
            None => sure(HostCustom, C::Custom),
        },
        "wasi" if name == "thread-spawn" => sure(Threads, C::WasiThreads),
        "wasix_32v1" | "wasix_64v1" => sure(wasix(name), C::Wasix),
        "wasix_http_client_v1" => sure(HttpOut, C::Wasix),
        "go" | "gojs" => go_js(name),
        m if m.starts_with("GOT.") => sure(DynamicLinking, C::DynamicLinking),
        m if m.starts_with("wasi:") => wasi_function(m, name),
        "__wbindgen_placeholder__" | "__wbindgen_externref_xform__" | "wbg" => bindgen(name),
        m if m.ends_with("_bg.js") => bindgen(name),
        "env" => env_function(name, cx),
        "Date" if name == "now" => guess(Clock, C::AssemblyScript),
        "console" => guess(Stdout, C::AssemblyScript),
        _ => sure(HostCustom, C::Custom),
    }
}

/// Memories, tables and globals: plumbing, except the ones dynamic linking
/// uses to place a library.
fn classify_item(module: &str, name: &str) -> Classification {
    if module.starts_with("GOT.")
        || (module == "env" && matches!(name, "__memory_base" | "__table_base"))
    {
        return sure(Capability::DynamicLinking, Convention::DynamicLinking);
    }
    sure(Capability::Neutral, Convention::Custom)
}

fn wasix(name: &str) -> Capability {
    use Capability::*;
    match name {
        "sock_connect" => NetOutbound,
        "sock_bind" | "sock_listen" | "sock_accept" | "sock_accept_v2" => NetInbound,
        "sock_send_to" | "sock_recv_from" => NetUdp,
        n if n.starts_with("sock_") || n.starts_with("port_") => NetTcp,
        "resolve" => Dns,
        n if n.starts_with("proc_fork")
            || n.starts_with("proc_exec")
            || n.starts_with("proc_spawn") =>
        {
            Process
        }
        n if n.starts_with("thread_") || n.starts_with("futex_") => Threads,
        "fd_pipe" | "fd_dup" | "fd_dup2" | "fd_event" => Neutral,
        "chdir" | "getcwd" => Cwd,
        "tty_get" | "tty_set" => Tty,
        "dlopen" | "dlsym" => DynamicLinking,
        other => lookup(PREVIEW1, other).unwrap_or(HostCustom),
    }
}

fn go_js(name: &str) -> Classification {
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
fn bindgen(name: &str) -> Classification {
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

fn env_function(name: &str, cx: Context) -> Classification {
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
        // Emscripten's other `env` imports are JavaScript library functions.
        return sure(JsHost, C::Emscripten);
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
        "socket" | "connect" | "sendto" | "recvfrom" | "getsockopt" | "setsockopt" => NetOutbound,
        "bind" | "listen" | "accept4" => NetInbound,
        "fcntl64" | "dup" | "dup3" | "pipe" | "poll" | "pselect6" | "fadvise64" => Neutral,
        _ => FsRead,
    }
}

/// A core import from a WASI 0.2/0.3 interface: module is the interface
/// (`wasi:filesystem/types@0.2.0`), name the function, possibly
/// `[method]descriptor.read-via-stream`.
fn wasi_function(module: &str, name: &str) -> Classification {
    use Capability::*;
    let (interface, version) = split_version(module);
    let convention = if version.starts_with("0.3") {
        Convention::Wasi03
    } else {
        Convention::Wasi02
    };
    let func = name
        .rsplit_once('.')
        .map_or(name, |(_, f)| f)
        .trim_start_matches("[constructor]")
        .trim_start_matches("[static]");
    let c = if name.starts_with("[resource-drop]") {
        Neutral
    } else {
        match interface {
            "wasi:cli/environment" => match func {
                "get-environment" => Env,
                "get-arguments" => Args,
                "initial-cwd" => Cwd,
                _ => Env,
            },
            "wasi:clocks/monotonic-clock"
                if func.starts_with("subscribe") || func.starts_with("wait") =>
            {
                Timers
            }
            "wasi:filesystem/types" => match func {
                "read-via-stream" | "read" | "readlink-at" | "open-at" => FsRead,
                "read-directory" | "read-directory-entry" => FsList,
                "stat" | "stat-at" | "get-flags" | "get-type" | "is-same-object"
                | "metadata-hash" | "metadata-hash-at" => FsMeta,
                "write-via-stream"
                | "append-via-stream"
                | "write"
                | "set-size"
                | "set-times"
                | "sync"
                | "sync-data"
                | "create-directory-at"
                | "link-at"
                | "rename-at"
                | "symlink-at"
                | "set-times-at"
                | "unlink-file-at"
                | "remove-directory-at" => FsWrite,
                _ => Neutral,
            },
            "wasi:sockets/tcp" | "wasi:sockets/types" => match func {
                "start-connect" | "finish-connect" | "connect" => NetOutbound,
                "start-bind" | "finish-bind" | "start-listen" | "finish-listen" | "accept"
                | "bind" | "listen" => NetInbound,
                _ => NetTcp,
            },
            "wasi:sockets/udp" => NetUdp,
            other => interface_capabilities(other)
                .first()
                .copied()
                .unwrap_or(HostCustom),
        }
    };
    let convention = if c == HostCustom {
        Convention::Custom
    } else {
        convention
    };
    // `open-at` opens for reading and/or writing, by its flags at run time.
    let also: &'static [Capability] = if interface == "wasi:filesystem/types" && func == "open-at" {
        &[FsWrite]
    } else {
        &[]
    };
    Classification {
        also,
        ..sure(c, convention)
    }
}

/// `wasi:cli/stdout@0.2.3` -> (`wasi:cli/stdout`, `0.2.3`).
pub fn split_version(name: &str) -> (&str, &str) {
    name.split_once('@').unwrap_or((name, ""))
}

/// What a whole WASI interface can give, for a component-level import.
pub fn interface_capabilities(interface: &str) -> Vec<Capability> {
    use Capability::*;
    match interface {
        "wasi:cli/environment" => vec![Env, Args, Cwd],
        "wasi:cli/exit" => vec![Exit],
        "wasi:cli/stdin" => vec![Stdin],
        "wasi:cli/stdout" => vec![Stdout],
        "wasi:cli/stderr" => vec![Stderr],
        i if i.starts_with("wasi:cli/terminal-") => vec![Tty],
        "wasi:clocks/monotonic-clock" => vec![Clock, Timers],
        "wasi:clocks/wall-clock" | "wasi:clocks/timezone" | "wasi:clocks/system-clock" => {
            vec![Clock]
        }
        "wasi:filesystem/preopens" => vec![FsPreopens],
        "wasi:filesystem/types" => vec![FsWrite, FsRead, FsList, FsMeta],
        i if i.starts_with("wasi:io/") => vec![Neutral],
        i if i.starts_with("wasi:random/") => vec![Random],
        "wasi:sockets/tcp" => vec![NetInbound, NetOutbound, NetTcp],
        "wasi:sockets/udp" => vec![NetUdp],
        "wasi:sockets/types" => vec![NetInbound, NetOutbound, NetTcp, NetUdp],
        "wasi:sockets/ip-name-lookup" => vec![Dns],
        "wasi:sockets/instance-network"
        | "wasi:sockets/network"
        | "wasi:sockets/tcp-create-socket" => {
            vec![NetTcp]
        }
        "wasi:sockets/udp-create-socket" => vec![NetUdp],
        "wasi:http/outgoing-handler" | "wasi:http/client" => vec![HttpOut],
        "wasi:http/types" => vec![Neutral],
        _ => vec![HostCustom],
    }
}

// ---------------------------------------------------------------------------
// The report.

/// One import in the report.
#[derive(Debug, Clone, Serialize)]
pub struct ImportUse {
    /// Nested core module of a component.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<usize>,
    /// Import module.
    pub module: String,
    /// Import name.
    pub name: String,
    /// Whether reachable code calls it (always true for component-level
    /// imports, which are what the component asks to be linked with).
    pub reachable: bool,
    /// Whether the capability is a guess from a name.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub guessed: bool,
    /// Whether the import needs the capability only with some arguments
    /// (`path_open` writes only when asked to open for writing).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub possible: bool,
}

/// One capability in the report.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityUse {
    /// The capability's name.
    pub name: &'static str,
    /// Its risk level.
    pub risk: Risk,
    /// What it means.
    pub meaning: &'static str,
    /// Whether any import that needs it is reachable.
    pub reachable: bool,
    /// The imports that need it.
    pub imports: Vec<ImportUse>,
    #[serde(skip)]
    capability: Capability,
}

impl CapabilityUse {
    /// The capability.
    pub fn capability(&self) -> Capability {
        self.capability
    }
}

/// The whole audit of one module or component.
#[derive(Debug, Clone, Serialize)]
pub struct Caps {
    /// The input's name.
    pub file: String,
    /// `module` or `component`.
    pub kind: &'static str,
    /// Command, reactor, HTTP server or library.
    pub role: Role,
    /// The toolchain, as named by its producers section or recognised by
    /// its fingerprints.
    pub toolchain: Vec<String>,
    /// The host interfaces it targets: `wasi-preview1`, `wasi-0.2`, `js-host`...
    pub wasi: Vec<String>,
    /// Capabilities in risk order (neutral plumbing last).
    pub capabilities: Vec<CapabilityUse>,
    /// Imports of no known convention.
    pub unknown_imports: Vec<ImportUse>,
    /// What the reader should know about how sure the report is.
    pub notes: Vec<String>,
}

impl Caps {
    /// The capabilities that count: reachable ones, or all with `strict`.
    pub fn needed(&self, strict: bool) -> impl Iterator<Item = &CapabilityUse> {
        self.capabilities
            .iter()
            .filter(move |c| c.capability != Capability::Neutral && (strict || c.reachable))
    }
}

/// Audits an indexed input.
pub fn audit(file: &str, bytes: &[u8], index: &ModuleIndex) -> Result<Caps, DecodeError> {
    let modules = index.core_modules();
    let info = crate::info::info(file, index);
    let cx = context(index);
    let mut found: BTreeMap<Capability, Vec<ImportUse>> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut conventions: Vec<Convention> = Vec::new();
    let mut notes = Vec::new();

    // A component-level import is what the component asks to be linked
    // with; the nested modules' imports say which of its functions are
    // called, from reachable code or not.
    let mut interface_called: std::collections::HashMap<&str, bool> = Default::default();
    let mut graphs = Vec::new();
    for &(_, m) in &modules {
        let reachable = CallGraph::build(bytes, m)?.reachable();
        for import in &m.imports {
            let live = import.kind != ItemKind::Func
                || reachable
                    .get(import.index as usize)
                    .copied()
                    .unwrap_or(false);
            *interface_called
                .entry(import.module.as_str())
                .or_insert(false) |= live;
        }
        graphs.push(reachable);
    }
    for item in &index.component_imports {
        let (interface, version) = split_version(&item.name);
        let caps = if item.name.starts_with("wasi:") {
            interface_capabilities(interface)
        } else {
            vec![Capability::HostCustom]
        };
        conventions.push(if !item.name.starts_with("wasi:") {
            Convention::Custom
        } else if version.starts_with("0.3") {
            Convention::Wasi03
        } else {
            Convention::Wasi02
        });
        // Where nested modules import from the interface, their imports are
        // classified function by function; the interface as a whole only
        // speaks for itself when nothing inside uses it.
        if item.name.starts_with("wasi:") && interface_called.contains_key(item.name.as_str()) {
            continue;
        }
        let entry = ImportUse {
            nested: None,
            module: item.name.clone(),
            name: String::new(),
            reachable: false,
            guessed: false,
            possible: false,
        };
        if caps == [Capability::HostCustom] {
            unknown.push(entry.clone());
        }
        for c in caps {
            found.entry(c).or_default().push(entry.clone());
        }
    }
    if index.component_exports.iter().any(|e| {
        matches!(
            split_version(&e.name).0,
            "wasi:http/incoming-handler" | "wasi:http/handler"
        )
    }) {
        found
            .entry(Capability::HttpIn)
            .or_default()
            .push(ImportUse {
                nested: None,
                module: "(export)".to_string(),
                name: "wasi:http/incoming-handler".to_string(),
                reachable: true,
                guessed: false,
                possible: false,
            });
    }

    for (&(nested, m), reachable) in modules.iter().zip(&graphs) {
        for import in &m.imports {
            let class = classify(&import.module, &import.name, import.kind, cx);
            conventions.push(class.convention);
            let is_reachable = match import.kind {
                ItemKind::Func => reachable
                    .get(import.index as usize)
                    .copied()
                    .unwrap_or(false),
                // A memory, table or global is used by the module as a whole.
                _ => true,
            };
            let entry = ImportUse {
                nested,
                module: import.module.clone(),
                name: import.name.clone(),
                reachable: is_reachable,
                guessed: class.guessed,
                possible: false,
            };
            if class.capability == Capability::HostCustom {
                unknown.push(entry.clone());
            }
            for also in class.also {
                let possible = ImportUse {
                    possible: true,
                    ..entry.clone()
                };
                found.entry(*also).or_default().push(possible);
            }
            found.entry(class.capability).or_default().push(entry);
        }
    }

    conventions.sort();
    conventions.dedup();
    let mut wasi = Vec::new();
    for c in &conventions {
        let name = match c {
            Convention::WasiPreview0 => "wasi-preview0",
            Convention::WasiPreview1 => "wasi-preview1",
            Convention::WasmEdge => "wasmedge-sockets",
            Convention::WasiThreads => "wasi-threads",
            Convention::Wasix => "wasix",
            Convention::Wasi02 => "wasi-0.2",
            Convention::Wasi03 => "wasi-0.3",
            Convention::Emscripten | Convention::WasmBindgen | Convention::GoJs => "js-host",
            Convention::DynamicLinking => "dynamic-linking",
            Convention::AssemblyScript => "assemblyscript-host",
            Convention::Custom => continue,
        };
        if !wasi.contains(&name.to_string()) {
            wasi.push(name.to_string());
        }
    }
    let js_glue = conventions.iter().any(|c| {
        matches!(
            c,
            Convention::Emscripten | Convention::WasmBindgen | Convention::GoJs
        )
    });
    if js_glue {
        found.entry(Capability::JsHost).or_default();
        notes.push(
            "built for a JavaScript host: its glue code decides what the imports do; \
             capabilities read from JavaScript names are guesses"
                .to_string(),
        );
    }
    if conventions.contains(&Convention::WasmEdge) {
        notes.push(
            "uses WasmEdge's socket extensions, which neither wasmtime nor standard \
             preview1 hosts provide"
                .to_string(),
        );
    }
    if modules.iter().any(|(_, m)| {
        m.imports
            .iter()
            .any(|i| i.name == "path_open" || i.name.ends_with("open-at"))
    }) {
        notes.push(
            "files are opened for reading or writing by flags chosen at run time: \
             opening files counts as fs-read and fs-write"
                .to_string(),
        );
    }
    let emscripten_minified = modules.iter().any(|(_, m)| {
        m.imports
            .iter()
            .any(|i| i.module == "a" && i.name.len() <= 2)
    });
    if emscripten_minified {
        notes.push(
            "imports from module `a` with short names look like minified Emscripten \
             output: they cannot be classified"
                .to_string(),
        );
    }

    let mut capabilities: Vec<CapabilityUse> = found
        .into_iter()
        .map(|(capability, imports)| CapabilityUse {
            name: capability.name(),
            risk: capability.risk(),
            meaning: capability.meaning(),
            reachable: imports.is_empty() || imports.iter().any(|i| i.reachable),
            imports,
            capability,
        })
        .collect();
    capabilities.sort_by_key(|c| c.capability);

    Ok(Caps {
        file: file.to_string(),
        kind: info.kind,
        role: info.role,
        toolchain: toolchains(index, cx, info.toolchain),
        wasi,
        capabilities,
        unknown_imports: unknown,
        notes,
    })
}

/// Module-level fingerprints that change how `env` imports are read.
fn context(index: &ModuleIndex) -> Context {
    let mut cx = Context::default();
    for (_, m) in index.core_modules() {
        let exports = |name: &str| m.exports.iter().any(|e| e.name == name);
        if exports("stackSave")
            || exports("stackRestore")
            || m.exports.iter().any(|e| e.name.starts_with("dynCall_"))
            || m.imports.iter().any(|i| {
                i.module == "env"
                    && (i.name.starts_with("emscripten_") || i.name.starts_with("__syscall_"))
            })
        {
            cx.emscripten = true;
        }
        let env = |name: &str| {
            m.imports
                .iter()
                .any(|i| i.module == "env" && i.name == name)
        };
        if env("abort") && (env("trace") || env("seed")) {
            cx.assemblyscript = true;
        }
    }
    cx
}

/// The toolchain: what the producers section says, else what the
/// fingerprints suggest.
fn toolchains(index: &ModuleIndex, cx: Context, producers: Option<String>) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(p) = producers {
        found.push(p);
    }
    let mut add = |name: &str| {
        if !found.iter().any(|f| f.contains(name)) {
            found.push(name.to_string());
        }
    };
    for (_, m) in index.core_modules() {
        let custom = |name: &str| m.customs.iter().any(|c| c.name == name);
        let imports_from = |module: &str| m.imports.iter().any(|i| i.module == module);
        let exports = |name: &str| m.exports.iter().any(|e| e.name == name);
        let tinygo = exports("asyncify_start_unwind") && imports_from("gojs");
        if tinygo {
            add("TinyGo");
        } else if custom("go:buildid")
            || custom("go.buildid")
            || imports_from("go")
            || imports_from("gojs")
        {
            // Go writes `go:buildid` (early releases `go.buildid`).
            add("Go");
        }
        if custom("__wasm_bindgen_unstable")
            || imports_from("__wbindgen_placeholder__")
            || m.imports
                .iter()
                .any(|i| i.module.ends_with("_bg.js") || i.module == "wbg")
        {
            add("wasm-bindgen");
        }
        if custom("dylink.0") {
            add("shared library (dylink.0)");
        }
    }
    if cx.emscripten {
        add("Emscripten");
    }
    if cx.assemblyscript {
        add("AssemblyScript");
    }
    found
}

// ---------------------------------------------------------------------------
// Policy and runtimes.

/// Which capabilities a CI job accepts.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Refused capabilities.
    pub deny: Vec<Capability>,
    /// If set, everything not listed (and not neutral) is refused.
    pub allow: Option<Vec<Capability>>,
    /// Count linked-but-unreachable imports too.
    pub strict: bool,
}

impl Policy {
    /// The capabilities of `caps` this policy refuses.
    pub fn violations<'a>(&self, caps: &'a Caps) -> Vec<&'a CapabilityUse> {
        caps.needed(self.strict)
            .filter(|c| {
                self.deny.contains(&c.capability)
                    || self
                        .allow
                        .as_ref()
                        .is_some_and(|allowed| !allowed.contains(&c.capability))
            })
            .collect()
    }
}

/// Parses `fs-read,net-tcp` (also accepting `fs` for every file capability
/// and `net` for every network one).
pub fn parse_list(list: &str) -> Result<Vec<Capability>, String> {
    use Capability::*;
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item {
            "fs" => out.extend([FsWrite, FsRead, FsList, FsMeta, FsPreopens]),
            "net" => out.extend([
                NetInbound,
                NetOutbound,
                NetTcp,
                NetUdp,
                Dns,
                HttpOut,
                HttpIn,
            ]),
            "js" => out.extend([JsEval, JsHost]),
            name => out.push(Capability::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown capability `{name}`; known: fs, net, js, {}",
                    names.join(", ")
                )
            })?),
        }
    }
    Ok(out)
}

/// The runtimes wasmscope can write a command line for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// wasmtime (v14 to v50).
    Wasmtime,
    /// wasmer (7.x).
    Wasmer,
}

/// The smallest command line that grants what the module needs (none for a
/// module only a JavaScript host can run), and notes where the runtime
/// cannot grant it.
pub fn command_line(
    caps: &Caps,
    runtime: Runtime,
    strict: bool,
    module: &str,
) -> (Option<String>, Vec<String>) {
    use Capability::*;
    let needs = |c: Capability| caps.needed(strict).any(|u| u.capability == c);
    let needs_any = |list: &[Capability]| list.iter().any(|c| needs(*c));
    let mut notes = Vec::new();
    let has = |w: &str| caps.wasi.iter().any(|x| x == w);
    let files = needs_any(&[FsRead, FsWrite, FsList, FsMeta]);
    let net = needs_any(&[NetInbound, NetOutbound, NetTcp, NetUdp]);
    if needs_any(&[JsEval, JsHost]) || has("js-host") {
        notes.push("needs a JavaScript host (a browser, Node.js or Deno) with its glue code; no WASI runtime runs it".to_string());
        return (None, notes);
    }
    if needs(DynamicLinking) {
        notes.push(
            "loads other code at run time: a runtime needs the libraries it links against"
                .to_string(),
        );
    }
    let line = match runtime {
        Runtime::Wasmtime => {
            if caps.role == Role::HttpServer {
                return (Some(format!("wasmtime serve {module}")), notes);
            }
            let mut parts = vec!["wasmtime run".to_string()];
            let mut flags = Vec::new();
            if files {
                parts.push("--dir=.".to_string());
            }
            if needs(Env) {
                parts.push("--env NAME=VALUE".to_string());
            }
            if net {
                flags.push("inherit-network");
            }
            if needs(Dns) {
                flags.push("allow-ip-name-lookup");
            }
            if needs(HttpOut) {
                flags.push("http");
            }
            if has("wasi-preview0") {
                flags.push("preview0");
                notes.push("preview0 (wasi_unstable) needs -S preview0 from wasmtime 50 on; earlier versions allow it by default".to_string());
            }
            if has("wasi-threads") {
                parts.push("-W threads".to_string());
                flags.push("threads");
                notes.push(
                    "wasi-threads runs on wasmtime up to version 46 only; it was removed in 47"
                        .to_string(),
                );
            }
            if has("wasix") {
                notes.push("WASIX imports run on wasmer, not wasmtime".to_string());
            }
            if has("wasmedge-sockets") {
                notes.push("WasmEdge socket imports run only on WasmEdge".to_string());
            }
            if has("wasix") || has("wasmedge-sockets") {
                return (None, notes);
            }
            if !flags.is_empty() {
                parts.push(format!("-S {}", flags.join(",")));
            }
            parts.push(module.to_string());
            if needs(Args) {
                parts.push("[ARGS...]".to_string());
            }
            parts.join(" ")
        }
        Runtime::Wasmer => {
            if caps.role == Role::HttpServer {
                notes.push("wasmer cannot serve wasi:http/incoming-handler components".to_string());
            }
            if has("wasi-0.2") || has("wasi-0.3") {
                notes.push("wasmer 7 runs core modules, not WASI 0.2 components".to_string());
            }
            if has("wasmedge-sockets") {
                notes.push("WasmEdge socket imports run only on WasmEdge".to_string());
            }
            if caps.kind == "component" || has("wasmedge-sockets") {
                return (None, notes);
            }
            let mut parts = vec!["wasmer run".to_string()];
            if files {
                parts.push("--volume .:/data".to_string());
            }
            if needs(Env) {
                parts.push("--env NAME=VALUE".to_string());
            }
            if net || needs(Dns) {
                parts.push("--net".to_string());
                if !has("wasix") {
                    notes.push("wasmer grants networking to WASIX modules; preview1 sockets need a pre-opened socket".to_string());
                }
            }
            if needs(HttpOut) {
                parts.push("--http-client".to_string());
            }
            parts.push(module.to_string());
            if needs(Args) {
                parts.push("-- [ARGS...]".to_string());
            }
            parts.join(" ")
        }
    };
    (Some(line), notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capability::*;

    fn func(module: &str, name: &str) -> Classification {
        classify(module, name, ItemKind::Func, Context::default())
    }

    #[test]
    fn every_preview1_row() {
        assert_eq!(PREVIEW1.len(), 46, "preview1 has 46 functions");
        for (name, cap) in PREVIEW1 {
            let c = func("wasi_snapshot_preview1", name);
            assert_eq!(
                (c.capability, c.convention),
                (*cap, Convention::WasiPreview1),
                "{name}"
            );
            let old = func("wasi_unstable", name);
            if *name == "sock_accept" {
                assert_eq!(old.capability, HostCustom, "preview0 has no sock_accept");
            } else {
                assert_eq!(
                    (old.capability, old.convention),
                    (*cap, Convention::WasiPreview0)
                );
            }
        }
    }

    #[test]
    fn descriptors_and_open_modes_add_capabilities() {
        assert_eq!(func("wasi_snapshot_preview1", "path_open").also, [FsWrite]);
        assert_eq!(func("wasi_snapshot_preview1", "fd_read").also, [FsRead]);
        assert_eq!(func("wasi_unstable", "fd_write").also, [Stderr]);
        assert_eq!(
            func("wasi:filesystem/types@0.2.0", "[method]descriptor.open-at").also,
            [FsWrite]
        );
        assert!(func("wasi_snapshot_preview1", "random_get").also.is_empty());
    }

    #[test]
    fn every_wasmedge_row() {
        for (name, cap) in WASMEDGE {
            let c = func("wasi_snapshot_preview1", name);
            assert_eq!(
                (c.capability, c.convention),
                (*cap, Convention::WasmEdge),
                "{name}"
            );
        }
    }

    #[test]
    fn wasi_02_and_03_functions() {
        let rows = [
            ("wasi:cli/environment@0.2.0", "get-environment", Env),
            ("wasi:cli/environment@0.2.3", "get-arguments", Args),
            ("wasi:cli/environment@0.2.0", "initial-cwd", Cwd),
            ("wasi:cli/exit@0.2.0", "exit", Exit),
            ("wasi:cli/stdout@0.2.0", "get-stdout", Stdout),
            ("wasi:cli/stderr@0.2.0", "get-stderr", Stderr),
            ("wasi:cli/stdin@0.2.0", "get-stdin", Stdin),
            ("wasi:cli/terminal-stdout@0.2.0", "get-terminal-stdout", Tty),
            ("wasi:clocks/monotonic-clock@0.2.0", "now", Clock),
            (
                "wasi:clocks/monotonic-clock@0.2.0",
                "subscribe-duration",
                Timers,
            ),
            ("wasi:clocks/wall-clock@0.2.0", "now", Clock),
            ("wasi:clocks/system-clock@0.3.0", "now", Clock),
            (
                "wasi:filesystem/preopens@0.2.0",
                "get-directories",
                FsPreopens,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.read-via-stream",
                FsRead,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.write-via-stream",
                FsWrite,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.unlink-file-at",
                FsWrite,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.read-directory",
                FsList,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]directory-entry-stream.read-directory-entry",
                FsList,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.stat",
                FsMeta,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[method]descriptor.open-at",
                FsRead,
            ),
            (
                "wasi:filesystem/types@0.2.0",
                "[resource-drop]descriptor",
                Neutral,
            ),
            (
                "wasi:io/streams@0.2.0",
                "[method]output-stream.blocking-write-and-flush",
                Neutral,
            ),
            ("wasi:io/poll@0.2.0", "poll", Neutral),
            ("wasi:random/random@0.2.0", "get-random-u64", Random),
            (
                "wasi:random/insecure@0.2.0",
                "get-insecure-random-bytes",
                Random,
            ),
            (
                "wasi:sockets/tcp@0.2.0",
                "[method]tcp-socket.start-connect",
                NetOutbound,
            ),
            (
                "wasi:sockets/tcp@0.2.0",
                "[method]tcp-socket.start-listen",
                NetInbound,
            ),
            (
                "wasi:sockets/tcp@0.2.0",
                "[method]tcp-socket.accept",
                NetInbound,
            ),
            (
                "wasi:sockets/tcp-create-socket@0.2.0",
                "create-tcp-socket",
                NetTcp,
            ),
            (
                "wasi:sockets/udp-create-socket@0.2.0",
                "create-udp-socket",
                NetUdp,
            ),
            (
                "wasi:sockets/ip-name-lookup@0.2.0",
                "resolve-addresses",
                Dns,
            ),
            ("wasi:http/outgoing-handler@0.2.0", "handle", HttpOut),
            ("wasi:http/types@0.2.0", "[constructor]fields", Neutral),
        ];
        for (module, name, cap) in rows {
            assert_eq!(func(module, name).capability, cap, "{module} {name}");
        }
        assert_eq!(
            func("wasi:clocks/wall-clock@0.3.0", "now").convention,
            Convention::Wasi03
        );
        assert_eq!(func("wasi:made-up/thing@0.2.0", "x").capability, HostCustom);
    }

    #[test]
    fn other_conventions() {
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
            ("wasi", "thread-spawn", cx, Threads, Convention::WasiThreads),
            (
                "wasix_32v1",
                "sock_connect",
                cx,
                NetOutbound,
                Convention::Wasix,
            ),
            (
                "wasix_32v1",
                "sock_listen",
                cx,
                NetInbound,
                Convention::Wasix,
            ),
            ("wasix_64v1", "resolve", cx, Dns, Convention::Wasix),
            ("wasix_32v1", "proc_fork", cx, Process, Convention::Wasix),
            ("wasix_32v1", "proc_exec3", cx, Process, Convention::Wasix),
            (
                "wasix_32v1",
                "thread_spawn_v2",
                cx,
                Threads,
                Convention::Wasix,
            ),
            ("wasix_32v1", "futex_wait", cx, Threads, Convention::Wasix),
            ("wasix_32v1", "getcwd", cx, Cwd, Convention::Wasix),
            ("wasix_32v1", "tty_set", cx, Tty, Convention::Wasix),
            (
                "wasix_32v1",
                "dlopen",
                cx,
                DynamicLinking,
                Convention::Wasix,
            ),
            ("wasix_32v1", "fd_write", cx, Stdout, Convention::Wasix),
            (
                "wasix_http_client_v1",
                "open",
                cx,
                HttpOut,
                Convention::Wasix,
            ),
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
            ("env", "some_host_fn", cx, HostCustom, Convention::Custom),
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
                "GOT.mem",
                "errno",
                cx,
                DynamicLinking,
                Convention::DynamicLinking,
            ),
            (
                "GOT.func",
                "callback",
                cx,
                DynamicLinking,
                Convention::DynamicLinking,
            ),
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
            ("host", "get_config", cx, HostCustom, Convention::Custom),
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
        assert!(!func("wasi_snapshot_preview1", "fd_read").guessed);
        let g = classify("env", "__memory_base", ItemKind::Global, cx);
        assert_eq!(g.capability, DynamicLinking);
        assert_eq!(
            classify("env", "memory", ItemKind::Memory, cx).capability,
            Neutral
        );
    }

    #[test]
    fn component_interfaces() {
        assert_eq!(
            interface_capabilities("wasi:cli/environment"),
            [Env, Args, Cwd]
        );
        assert_eq!(interface_capabilities("wasi:sockets/ip-name-lookup"), [Dns]);
        assert_eq!(
            interface_capabilities("wasi:http/outgoing-handler"),
            [HttpOut]
        );
        assert_eq!(interface_capabilities("my:plugin/api"), [HostCustom]);
        assert_eq!(
            split_version("wasi:cli/stdout@0.2.3"),
            ("wasi:cli/stdout", "0.2.3")
        );
    }

    #[test]
    fn names_round_trip_and_order_by_risk() {
        for c in ALL {
            assert_eq!(Capability::from_name(c.name()), Some(*c));
        }
        let mut sorted = ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, ALL);
        assert!(ALL.windows(2).all(|w| w[0].risk() <= w[1].risk()));
        assert_eq!(parse_list("fs-read,net").map(|l| l.len()), Ok(8));
        assert!(parse_list("files").is_err());
    }
}
