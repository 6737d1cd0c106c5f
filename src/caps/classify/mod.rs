//! Classification: which capability one import needs, read by the
//! conventions of the toolchain that made it. This file holds the
//! conventions and the dispatch on an import's module name; the tables of
//! each family of hosts live beside it: [`wasi`] for WASI preview0/1,
//! WasmEdge, wasi-threads, WASIX and the WASI 0.2/0.3 interfaces, [`js`]
//! for the JavaScript hosts (Emscripten, AssemblyScript, Go, wasm-bindgen).

pub mod js;
pub mod wasi;

use serde::Serialize;

use super::vocabulary::Capability;
use crate::index::ItemKind;

pub use wasi::{PREVIEW1, interface_capabilities, preview1_also, split_version};

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
            None => match lookup(wasi::WASMEDGE, name) {
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
        "wasix_32v1" | "wasix_64v1" => sure(wasi::wasix(name), C::Wasix),
        "wasix_http_client_v1" => sure(HttpOut, C::Wasix),
        "go" | "gojs" => js::go_js(name),
        m if m.starts_with("GOT.") => sure(DynamicLinking, C::DynamicLinking),
        m if m.starts_with("wasi:") => wasi::wasi_function(m, name),
        "__wbindgen_placeholder__" | "__wbindgen_externref_xform__" | "wbg" => js::bindgen(name),
        m if m.ends_with("_bg.js") => js::bindgen(name),
        "env" => js::env_function(name, cx),
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

/// The host interfaces a report says a module targets: the conventions,
/// with the JavaScript glue of every toolchain counted as one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum HostInterface {
    /// `wasi_unstable`.
    #[serde(rename = "wasi-preview0")]
    WasiPreview0,
    /// `wasi_snapshot_preview1`.
    #[serde(rename = "wasi-preview1")]
    WasiPreview1,
    /// WasmEdge's socket extensions.
    #[serde(rename = "wasmedge-sockets")]
    WasmEdgeSockets,
    /// wasi-threads.
    #[serde(rename = "wasi-threads")]
    WasiThreads,
    /// WASIX.
    #[serde(rename = "wasix")]
    Wasix,
    /// WASI 0.2 interfaces.
    #[serde(rename = "wasi-0.2")]
    Wasi02,
    /// WASI 0.3 interfaces.
    #[serde(rename = "wasi-0.3")]
    Wasi03,
    /// A JavaScript host with the module's glue code.
    #[serde(rename = "js-host")]
    JsHost,
    /// A dynamic linker.
    #[serde(rename = "dynamic-linking")]
    DynamicLinking,
    /// AssemblyScript's host functions.
    #[serde(rename = "assemblyscript-host")]
    AssemblyScriptHost,
}

impl HostInterface {
    /// The name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            HostInterface::WasiPreview0 => "wasi-preview0",
            HostInterface::WasiPreview1 => "wasi-preview1",
            HostInterface::WasmEdgeSockets => "wasmedge-sockets",
            HostInterface::WasiThreads => "wasi-threads",
            HostInterface::Wasix => "wasix",
            HostInterface::Wasi02 => "wasi-0.2",
            HostInterface::Wasi03 => "wasi-0.3",
            HostInterface::JsHost => "js-host",
            HostInterface::DynamicLinking => "dynamic-linking",
            HostInterface::AssemblyScriptHost => "assemblyscript-host",
        }
    }
}

impl std::fmt::Display for HostInterface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Convention {
    /// The host interface it targets; none for imports of no known
    /// convention.
    pub fn host_interface(self) -> Option<HostInterface> {
        Some(match self {
            Convention::WasiPreview0 => HostInterface::WasiPreview0,
            Convention::WasiPreview1 => HostInterface::WasiPreview1,
            Convention::WasmEdge => HostInterface::WasmEdgeSockets,
            Convention::WasiThreads => HostInterface::WasiThreads,
            Convention::Wasix => HostInterface::Wasix,
            Convention::Wasi02 => HostInterface::Wasi02,
            Convention::Wasi03 => HostInterface::Wasi03,
            Convention::Emscripten | Convention::WasmBindgen | Convention::GoJs => {
                HostInterface::JsHost
            }
            Convention::DynamicLinking => HostInterface::DynamicLinking,
            Convention::AssemblyScript => HostInterface::AssemblyScriptHost,
            Convention::Custom => return None,
        })
    }

    /// Whether a JavaScript host's glue code decides what its imports do.
    pub fn is_js_glue(self) -> bool {
        matches!(
            self,
            Convention::Emscripten | Convention::WasmBindgen | Convention::GoJs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capability::*;

    #[test]
    fn other_conventions() {
        let cx = Context::default();
        let rows: &[(&str, &str, Context, Capability, Convention)] = &[
            ("env", "some_host_fn", cx, HostCustom, Convention::Custom),
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
        assert!(!classify("wasi_snapshot_preview1", "fd_read", ItemKind::Func, cx).guessed);
        let g = classify("env", "__memory_base", ItemKind::Global, cx);
        assert_eq!(g.capability, DynamicLinking);
        assert_eq!(
            classify("env", "memory", ItemKind::Memory, cx).capability,
            Neutral
        );
    }

    #[test]
    fn host_interfaces_serialise_by_name() {
        use HostInterface::*;
        for h in [
            WasiPreview0,
            WasiPreview1,
            WasmEdgeSockets,
            WasiThreads,
            Wasix,
            Wasi02,
            Wasi03,
            JsHost,
            DynamicLinking,
            AssemblyScriptHost,
        ] {
            assert_eq!(
                serde_json::to_value(h).ok(),
                Some(serde_json::Value::from(h.name()))
            );
        }
    }
}
