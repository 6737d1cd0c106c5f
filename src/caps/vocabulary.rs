//! The words of the audit: each [`Capability`] a host can grant, its
//! [`Risk`], its name on the command line and in JSON, what it means in
//! plain language, and how a runtime grants it. Everything else in the
//! audit speaks in these terms; nothing here knows about imports.

use serde::Serialize;

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

impl Risk {
    /// The name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Risk::Critical => "critical",
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
            Risk::None => "none",
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_by_risk() {
        for c in ALL {
            assert_eq!(Capability::from_name(c.name()), Some(*c));
        }
        let mut sorted = ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, ALL);
        assert!(ALL.windows(2).all(|w| w[0].risk() <= w[1].risk()));
    }

    #[test]
    fn json_names_are_the_command_line_names() {
        for c in ALL {
            assert_eq!(
                serde_json::to_value(c).ok(),
                Some(serde_json::Value::from(c.name()))
            );
            let risk = c.risk();
            assert_eq!(
                serde_json::to_value(risk).ok(),
                Some(serde_json::Value::from(risk.name()))
            );
        }
    }
}
