//! The WASI family: preview0 and preview1 with the extensions built on
//! them (WasmEdge sockets, wasi-threads, WASIX), and the WASI 0.2/0.3
//! interfaces, both as core imports and as whole component imports.

use super::{Classification, Convention, lookup, sure};
use crate::caps::vocabulary::Capability;

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
pub(super) const WASMEDGE: &[(&str, Capability)] = {
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

pub(super) fn wasix(name: &str) -> Capability {
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

/// A core import from a WASI 0.2/0.3 interface: module is the interface
/// (`wasi:filesystem/types@0.2.0`), name the function, possibly
/// `[method]descriptor.read-via-stream`.
pub(super) fn wasi_function(module: &str, name: &str) -> Classification {
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

#[cfg(test)]
mod tests {
    use super::super::{Classification, Context, Convention, classify};
    use super::*;
    use crate::index::ItemKind;
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
    fn wasi_threads_and_wasix() {
        let cx = Context::default();
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
        ];
        for (module, name, cx, cap, conv) in rows {
            let c = classify(module, name, ItemKind::Func, *cx);
            assert_eq!(
                (c.capability, c.convention),
                (*cap, *conv),
                "{module} {name}"
            );
        }
    }
}
