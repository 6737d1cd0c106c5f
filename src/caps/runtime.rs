//! Runtimes: the smallest command line that runs a module on wasmtime or
//! wasmer with what its audit says it needs, and what neither can grant.

use serde::Serialize;

use super::audit::Caps;
use super::classify::HostInterface;
use super::vocabulary::Capability;
use crate::info::Role;

/// The runtimes wasmscope can write a command line for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Runtime {
    /// wasmtime (v14 to v50).
    Wasmtime,
    /// wasmer (7.x).
    Wasmer,
}

impl Runtime {
    /// Its command's name.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Wasmtime => "wasmtime",
            Runtime::Wasmer => "wasmer",
        }
    }
}

/// The module argument of a command line: the input's file name, without
/// the directories it was read from.
pub fn module_arg(file: &str) -> String {
    std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
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
    let needs = |c: Capability| caps.needed(strict).any(|u| u.capability() == c);
    let needs_any = |list: &[Capability]| list.iter().any(|c| needs(*c));
    let mut notes = Vec::new();
    let has = |h: HostInterface| caps.targets(h);
    let files = needs_any(&[FsRead, FsWrite, FsList, FsMeta]);
    let net = needs_any(&[NetInbound, NetOutbound, NetTcp, NetUdp]);
    if needs_any(&[JsEval, JsHost]) || has(HostInterface::JsHost) {
        notes.push("needs a JavaScript host (a browser, Node.js or Deno) with its glue code; no WASI runtime runs it".to_string());
        return (None, notes);
    }
    if needs(DynamicLinking) {
        notes.push(
            "loads other code at run time: a runtime needs the libraries it links against"
                .to_string(),
        );
    }
    // A runtime links every import of a component before it runs any of
    // it, reached or not; and `wasmtime run` runs only commands.
    if runtime == Runtime::Wasmtime && caps.kind == crate::info::Kind::Component {
        let mut custom: Vec<String> = caps
            .unknown_imports
            .iter()
            .filter(|i| i.component)
            .map(|i| {
                if i.module.is_empty() {
                    i.name.clone()
                } else {
                    i.module.clone()
                }
            })
            .collect();
        custom.dedup();
        if !custom.is_empty() {
            notes.push(format!(
                "imports {}, which no runtime provides: a host that implements {} must run it",
                custom.join(", "),
                if custom.len() == 1 { "it" } else { "them" }
            ));
            return (None, notes);
        }
        if caps.role == Role::Library {
            notes.push(
                "a library component: `wasmtime run` runs components that export wasi:cli/run; a host calls this one's exports (wasmtime 33 and later can call one with `wasmtime run --invoke`)"
                    .to_string(),
            );
            return (None, notes);
        }
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
            if has(HostInterface::WasiPreview0) {
                flags.push("preview0");
                notes.push("preview0 (wasi_unstable) needs -S preview0 from wasmtime 50 on; earlier versions allow it by default".to_string());
            }
            if has(HostInterface::WasiThreads) {
                parts.push("-W threads".to_string());
                flags.push("threads");
                notes.push(
                    "wasi-threads runs on wasmtime up to version 46 only; it was removed in 47"
                        .to_string(),
                );
            }
            if has(HostInterface::Wasix) {
                notes.push("WASIX imports run on wasmer, not wasmtime".to_string());
            }
            if has(HostInterface::WasmEdgeSockets) {
                notes.push("WasmEdge socket imports run only on WasmEdge".to_string());
            }
            if has(HostInterface::Wasix) || has(HostInterface::WasmEdgeSockets) {
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
            if has(HostInterface::Wasi02) || has(HostInterface::Wasi03) {
                notes.push("wasmer 7 runs core modules, not WASI 0.2 components".to_string());
            }
            if has(HostInterface::WasmEdgeSockets) {
                notes.push("WasmEdge socket imports run only on WasmEdge".to_string());
            }
            if caps.kind == crate::info::Kind::Component || has(HostInterface::WasmEdgeSockets) {
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
                if !has(HostInterface::Wasix) {
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
