//! The report `wasmscope caps` prints: the audit of each module with the
//! command line that runs it and the capabilities a policy refuses. The CLI
//! only renders it, as text or as JSON, so a library user who serialises a
//! [`Report`] (or [`Reports`] for several inputs) gets the CLI's JSON.

use serde::Serialize;

use super::audit::Caps;
use super::policy::Policy;
use super::runtime::{Runtime, command_line, module_arg};
use super::vocabulary::Capability;

/// One audited module, with how to run it and what the policy refuses.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The audit.
    #[serde(flatten)]
    pub caps: Caps,
    /// The command line for the chosen runtime.
    pub run: Run,
    /// The capabilities the policy refuses, in risk order.
    pub violations: Vec<Capability>,
}

/// How to run a module.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// The runtime the command line is for.
    pub runtime: Runtime,
    /// None when no such runtime can run the module.
    pub command: Option<String>,
    /// What the runtime cannot grant, or grants only in some versions.
    pub notes: Vec<String>,
}

/// An input that could not be audited.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The input's name.
    pub file: String,
    /// Why, with where in the input.
    pub error: String,
}

/// The reports of several inputs.
#[derive(Debug, Clone, Serialize)]
pub struct Reports {
    /// The inputs audited, in the order given.
    pub modules: Vec<Report>,
    /// The inputs that could not be.
    pub errors: Vec<Failure>,
}

impl Report {
    /// Completes an audit with the command line for `runtime` and the
    /// verdict of `policy` (whose `strict` also decides whether unreachable
    /// imports count for the command line).
    pub fn new(caps: Caps, policy: &Policy, runtime: Runtime) -> Report {
        let (command, notes) = command_line(&caps, runtime, policy.strict, &module_arg(&caps.file));
        let violations = policy
            .violations(&caps)
            .iter()
            .map(|c| c.capability())
            .collect();
        Report {
            caps,
            run: Run {
                runtime,
                command,
                notes,
            },
            violations,
        }
    }

    /// The imports that make the module need `capability`: reachable ones,
    /// or all with `strict`.
    pub fn imports_needing(&self, capability: Capability, strict: bool) -> Vec<String> {
        self.caps
            .capabilities
            .iter()
            .find(|c| c.capability() == capability)
            .map(|c| {
                c.imports
                    .iter()
                    .filter(|i| strict || i.reachable)
                    .map(|i| i.label())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ModuleIndex;

    fn report(text: &str, policy: &Policy) -> Report {
        let bytes = crate::parse::parse_text(text, "app.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        let caps = crate::caps::audit("dir/app.wat", &bytes, &index).expect("audits");
        Report::new(caps, policy, Runtime::Wasmtime)
    }

    /// An object's keys, in name order: serde_json keeps objects sorted.
    fn keys(value: &serde_json::Value) -> Vec<&str> {
        value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn json_has_the_cli_keys() {
        let policy = Policy {
            deny: vec![Capability::Stdout],
            ..Policy::default()
        };
        let r = report(
            r#"(module
                 (import "wasi_snapshot_preview1" "fd_write"
                   (func $w (param i32 i32 i32 i32) (result i32)))
                 (import "wasi_snapshot_preview1" "random_get"
                   (func $r (param i32 i32) (result i32)))
                 (memory (export "memory") 1)
                 (func (export "_start")
                   (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
            &policy,
        );
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(
            keys(&json),
            [
                "capabilities",
                "file",
                "kind",
                "notes",
                "role",
                "run",
                "toolchain",
                "unknown_imports",
                "violations",
                "wasi"
            ]
        );
        assert_eq!(keys(&json["run"]), ["command", "notes", "runtime"]);
        assert_eq!(json["run"]["runtime"], "wasmtime");
        assert_eq!(json["run"]["command"], "wasmtime run app.wat");
        assert_eq!(json["wasi"], serde_json::json!(["wasi-preview1"]));
        assert_eq!(json["violations"], serde_json::json!(["stdout"]));
        let stdout = &json["capabilities"][0];
        assert_eq!(
            keys(stdout),
            ["imports", "meaning", "name", "reachable", "risk"]
        );
        assert_eq!(stdout["name"], "stdout");
        assert_eq!(stdout["risk"], "low");
        assert_eq!(keys(&stdout["imports"][0]), ["module", "name", "reachable"]);
        let random = json["capabilities"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["name"] == "random"))
            .expect("random is listed");
        assert_eq!(random["reachable"], false);
        assert_eq!(
            r.imports_needing(Capability::Stdout, false),
            ["wasi_snapshot_preview1.fd_write"]
        );
    }

    #[test]
    fn several_inputs_nest_under_modules_and_errors() {
        let r = report("(module)", &Policy::default());
        let all = Reports {
            modules: vec![r],
            errors: vec![Failure {
                file: "bad.wasm".to_string(),
                error: "bad magic".to_string(),
            }],
        };
        let json = serde_json::to_value(&all).expect("serialises");
        assert_eq!(keys(&json), ["errors", "modules"]);
        assert_eq!(keys(&json["errors"][0]), ["error", "file"]);
        assert_eq!(json["modules"][0]["capabilities"], serde_json::json!([]));
    }
}
