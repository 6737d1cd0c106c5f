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

/// Whether the runtimes provide an import to a core module: WASI preview1
/// and preview0, wasi-threads' `wasi` (with the shared `env.memory` they
/// create for a threaded module), and WASIX (wasmer's; on wasmtime the
/// command line says why it cannot run).
fn provides(import: &super::ImportUse, threads: bool) -> bool {
    // What the runtime links is the binary's name, not the one glue gave.
    let (module, name) = match &import.minified {
        Some(m) => (m.module.as_str(), m.name.as_str()),
        None => (import.module.as_str(), import.name.as_str()),
    };
    match module {
        "wasi_snapshot_preview1" | "wasi_unstable" | "wasi" => true,
        "wasix_32v1" | "wasix_64v1" => true,
        "env" => threads && name == "memory",
        _ => false,
    }
}

/// A core module's imports the runtime does not provide: those reachable
/// code uses (all of them with `strict`), and the others.
fn unprovided(caps: &Caps, strict: bool) -> (Vec<String>, Vec<String>) {
    let threads = caps.targets(HostInterface::WasiThreads);
    let mut live: Vec<String> = Vec::new();
    let mut dead: Vec<String> = Vec::new();
    let imports = caps
        .capabilities
        .iter()
        .flat_map(|c| c.imports.iter())
        .chain(caps.unknown_imports.iter())
        .filter(|i| !i.component && i.module != "(export)" && !provides(i, threads));
    for import in imports {
        let label = import.label();
        let list = if strict || import.reachable {
            &mut live
        } else {
            &mut dead
        };
        if !list.contains(&label) {
            list.push(label);
        }
    }
    // An import both used and not (under two capabilities) is used.
    dead.retain(|d| !live.contains(d));
    (live, dead)
}

/// The first few of a list, and how many more.
fn some(list: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<&str> = list.iter().take(SHOWN).map(String::as_str).collect();
    match list.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
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
    // A core module's imports must all be linked before it runs: those
    // the runtime does not provide stop it, unless no reachable code calls
    // them and wasmtime may link them as traps.
    let mut trap_unknown = false;
    if caps.kind == crate::info::Kind::Module {
        let (live, dead) = unprovided(caps, strict);
        if !live.is_empty() {
            notes.push(format!(
                "imports {}, which {} does not provide: it needs a host that does",
                some(&live),
                runtime.name()
            ));
            return (None, notes);
        }
        if !dead.is_empty() {
            if runtime == Runtime::Wasmer {
                notes.push(format!(
                    "imports {}, which wasmer does not provide (no reachable code calls them, but every import must be linked)",
                    some(&dead)
                ));
                return (None, notes);
            }
            trap_unknown = true;
            notes.push(format!(
                "-W unknown-imports-trap=y links {}, which no reachable code calls and wasmtime does not provide, as functions that trap",
                some(&dead)
            ));
        }
    }
    let line = match runtime {
        Runtime::Wasmtime => {
            if caps.role == Role::HttpServer {
                return (Some(format!("wasmtime serve {module}")), notes);
            }
            let mut parts = vec!["wasmtime run".to_string()];
            if trap_unknown {
                parts.push("-W unknown-imports-trap=y".to_string());
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ModuleIndex;

    fn line(text: &str, runtime: Runtime) -> (Option<String>, Vec<String>) {
        let bytes = crate::parse::parse_text(text, "app.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let caps = crate::caps::audit("app.wat", &bytes, &index).expect("audits");
        command_line(&caps, runtime, false, "app.wat")
    }

    const CALLED: &str = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (import "host" "tick" (func $tick))
        (func (export "_start") (call $tick) (call $exit (i32.const 0))))"#;

    const NEVER_CALLED: &str = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (import "host" "tick" (func $tick))
        (func (export "_start") (call $exit (i32.const 0))))"#;

    #[test]
    fn no_command_line_for_an_import_no_runtime_provides() {
        for runtime in [Runtime::Wasmtime, Runtime::Wasmer] {
            let (command, notes) = line(CALLED, runtime);
            assert_eq!(command, None, "{runtime:?}");
            assert!(
                notes
                    .iter()
                    .any(|n| n.starts_with("imports host.tick, which ")),
                "{notes:?}"
            );
        }
    }

    #[test]
    fn imports_nothing_calls_are_linked_as_traps_on_wasmtime() {
        let (command, notes) = line(NEVER_CALLED, Runtime::Wasmtime);
        assert_eq!(
            command.as_deref(),
            Some("wasmtime run -W unknown-imports-trap=y app.wat")
        );
        assert!(notes.iter().any(|n| n.contains("host.tick")), "{notes:?}");
        // wasmer has no such option.
        let (command, _) = line(NEVER_CALLED, Runtime::Wasmer);
        assert_eq!(command, None);
    }

    #[test]
    fn names_from_glue_do_not_make_a_minified_import_runnable() {
        // Glue says `a.a` is WASI's fd_write, but the binary still asks for
        // module `a`, which no WASI runtime links.
        let bytes = crate::parse::parse_text(
            r#"(module
                (import "a" "a" (func $w (param i32 i32 i32 i32) (result i32)))
                (func (export "_start")
                  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))))"#,
            "app.wat",
        )
        .expect("parses");
        let mut index = ModuleIndex::build(&bytes).expect("indexes");
        crate::glue::Glue::parse("app.js", "var wasmImports={a:_fd_write};")
            .apply(&mut index)
            .expect("the glue fits");
        assert_eq!(index.imports[0].module, "wasi_snapshot_preview1");
        let caps = crate::caps::audit("app.wat", &bytes, &index).expect("audits");
        let (command, notes) = command_line(&caps, Runtime::Wasmtime, false, "app.wat");
        assert_eq!(command, None, "{notes:?}");
    }
}
