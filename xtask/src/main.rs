//! wasmscope's own tasks, run as `cargo xtask TASK`:
//!
//! - `test [ARGS...]`: installs what the tests use and is missing, then runs
//!   `cargo test --workspace ARGS...`. This is the README's test command and
//!   what `.ci/run` runs.
//! - `tools`: installs what is missing and lists every tool with what it is
//!   for, without running the tests.
//! - `wasi`: builds wasmscope for wasm32-wasip1 and runs a set of commands on
//!   the fixtures both natively and as wasm under the wasmtime engine (from
//!   PyPI), which must print the same bytes and exit the same way (`wasi.rs`).
//!
//! The tests compare wasmscope with real tools and drive it in a real
//! terminal; on a machine with only a Rust toolchain those are missing, and
//! this installs them: Debian packages with `apt-get` (through `sudo` unless
//! run as root), Python packages with `pip`, and into `target/tools`
//! Microsoft's SARIF validator from npm and wasm-tools from crates.io.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod wasi;

/// A program the tests run, the Debian package that has it, and why.
struct Tool {
    command: &'static str,
    package: &'static str,
    why: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool {
        command: "wasm-objdump",
        package: "wabt",
        why: "WABT: the reference for `sections` and `strip --all`, and for wasmscope run under WABT's tool names",
    },
    Tool {
        command: "llvm-symbolizer",
        package: "llvm",
        why: "LLVM: the reference for `symbolize`",
    },
    Tool {
        command: "script",
        package: "bsdutils",
        why: "util-linux's pseudo-terminal: output and colour on a terminal",
    },
    Tool {
        command: "tmux",
        package: "tmux",
        why: "a real terminal for the browser",
    },
    Tool {
        command: "vi",
        package: "vim-tiny",
        why: "the editor `wasmscope edit` starts, driven in tmux",
    },
    Tool {
        command: "man",
        package: "man-db",
        why: "renders the pages `wasmscope man` prints",
    },
    Tool {
        command: "pgrep",
        package: "procps",
        why: "finds the browser's process in its tmux pane (and `kill` sends it SIGTERM)",
    },
    Tool {
        command: "npm",
        package: "npm",
        why: "fetches Microsoft's SARIF validator for `check --format sarif`",
    },
];

/// A Python module the tests import, and the exact package that has it.
struct PythonPackage {
    module: &'static str,
    requirement: &'static str,
    why: &'static str,
}

const PYTHON: &[PythonPackage] = &[
    PythonPackage {
        module: "wasmtime",
        requirement: "wasmtime==50.0.1",
        why: "a real runtime: modules run under the grants `caps` prints, and traps are symbolized",
    },
    PythonPackage {
        module: "brotli",
        requirement: "Brotli==1.2.1",
        why: "Google's brotli: the reference for `--compressed`",
    },
];

/// wasm-tools, at the version of the wasm crates wasmscope is built on:
/// the reference for `wit`.
const WASM_TOOLS: &str = "wasm-tools@1.263.0";

/// Microsoft's SARIF validator, from npm, unpacked under target/tools.
const SARIF_PACKAGE: &str = "@microsoft/sarif-multitool-linux@5.7.0";
const SARIF_TARBALL: &str = "microsoft-sarif-multitool-linux-5.7.0.tgz";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let result = match args.first().map(String::as_str) {
        Some("test") => {
            install(&root).and_then(|()| test(&root, args.get(1..).unwrap_or_default()))
        }
        Some("tools") => install(&root).map(|()| {
            list();
            ExitCode::SUCCESS
        }),
        Some("wasi") if args.len() == 1 => {
            install_python(PYTHON.iter().filter(|p| p.module == "wasmtime"))
                .and_then(|()| wasi::run(&root))
        }
        _ => {
            eprintln!(
                "usage: cargo xtask test [ARGS...]   install what the tests use, then run them\n       \
                 cargo xtask tools              install what the tests use, and list it\n       \
                 cargo xtask wasi               build wasmscope.wasm and compare it with the native binary"
            );
            return ExitCode::from(2);
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("xtask: {e}");
        ExitCode::from(1)
    })
}

/// Whether `command` runs from PATH.
fn found(command: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(command).is_file()))
}

/// Runs a command, failing with its command line if it fails.
fn run(command: &mut Command) -> Result<(), String> {
    let line = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("{line} could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{line} failed ({status})"))
    }
}

/// `apt-get ARGS`, through sudo unless this is root.
fn apt_get(args: &[&str]) -> Result<(), String> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let mut command = if root {
        Command::new("apt-get")
    } else if found("sudo") {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    } else {
        return Err(format!(
            "apt-get {} needs root, and there is no sudo: install them by hand",
            args.join(" ")
        ));
    };
    run(command.args(args).env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs every tool, Python package and the SARIF validator that is
/// missing.
fn install(root: &Path) -> Result<(), String> {
    let missing: Vec<&Tool> = TOOLS.iter().filter(|t| !found(t.command)).collect();
    // pip installs the Python packages; Debian ships it apart from python3,
    // and a minimal system has neither.
    let no_pip =
        PYTHON.iter().any(|p| !python_has(p.module)) && !python3(&["-m", "pip", "--version"]);
    if !missing.is_empty() || no_pip {
        if !found("apt-get") {
            let mut list: Vec<String> = missing
                .iter()
                .map(|t| format!("{} ({}: {})", t.command, t.package, t.why))
                .collect();
            if no_pip {
                list.push("python3 -m pip (python3-pip: installs the PyPI packages)".into());
            }
            return Err(format!(
                "missing, and no apt-get to install them with: {}",
                list.join("; ")
            ));
        }
        let mut packages: Vec<&str> = missing.iter().map(|t| t.package).collect();
        if no_pip {
            packages.push("python3-pip");
        }
        eprintln!("xtask: installing {}", packages.join(" "));
        apt_get(&["update", "-qq"])?;
        let mut args = vec!["install", "-y", "-qq"];
        args.extend(&packages);
        apt_get(&args)?;
    }
    install_python(PYTHON.iter())?;
    let wasm_tools = root.join("target/tools/wasm-tools");
    if !wasm_tools.join("bin/wasm-tools").is_file() {
        // The version of the wasm crates wasmscope is built on, into
        // target/tools whatever wasm-tools PATH has, and with only its
        // `component` commands (`component wit` is the reference): a
        // fraction of the build time of every command. It prints a few
        // small texts, so light optimisation is enough.
        eprintln!("xtask: installing {WASM_TOOLS} (its component commands) from crates.io");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        run(Command::new(cargo)
            .args(["install", "--locked", "--quiet", WASM_TOOLS])
            .args(["--no-default-features", "--features", "component"])
            .arg("--root")
            .arg(&wasm_tools)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"))?;
    }
    let tools = root.join("target/tools/sarif-multitool");
    if !tools.join("package/Sarif.Multitool").is_file() {
        eprintln!("xtask: fetching {SARIF_PACKAGE} from npm");
        std::fs::create_dir_all(&tools).map_err(|e| format!("{}: {e}", tools.display()))?;
        run(Command::new("npm")
            .args(["pack", "--silent", SARIF_PACKAGE])
            .current_dir(&tools))?;
        run(Command::new("tar")
            .args(["xzf", SARIF_TARBALL])
            .current_dir(&tools))?;
        let _ = std::fs::remove_file(tools.join(SARIF_TARBALL));
        run(Command::new("chmod")
            .arg("+x")
            .arg(tools.join("package/Sarif.Multitool")))?;
    }
    Ok(())
}

/// Installs those of `packages` that Python cannot import, with pip.
fn install_python<'a>(packages: impl Iterator<Item = &'a PythonPackage>) -> Result<(), String> {
    for p in packages {
        if !python_has(p.module) {
            eprintln!("xtask: installing {} from PyPI", p.requirement);
            // Debian 12 and later mark the system Python externally managed
            // (PEP 668), and pip refuses to install into it without leave.
            // The variable gives it; pip before 23.0.1 ignores it, where the
            // option `--break-system-packages` would be an error.
            run(Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--root-user-action=ignore",
                    p.requirement,
                ])
                .env("PIP_BREAK_SYSTEM_PACKAGES", "1"))?;
        }
    }
    Ok(())
}

/// Whether `python3 ARGS` runs and succeeds.
fn python3(args: &[&str]) -> bool {
    Command::new("python3")
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether Python can import `module`.
fn python_has(module: &str) -> bool {
    python3(&["-c", &format!("import {module}")])
}

/// Lists what the tests use and why.
fn list() {
    println!("the tests use:");
    for t in TOOLS {
        println!("  {:<16} (Debian {:<9}) {}", t.command, t.package, t.why);
    }
    for p in PYTHON {
        println!("  {:<16} (PyPI {:<12}) {}", p.module, p.requirement, p.why);
    }
    println!("  wasm-tools       (crates.io {WASM_TOOLS}) the reference for `wit`");
    println!("  Sarif.Multitool  (npm {SARIF_PACKAGE}) validates `check --format sarif`");
}

/// `cargo test --workspace ARGS`; the tests find the tools of
/// `target/tools` there.
fn test(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        // Every test binary runs and reports, whatever an earlier one found.
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo test could not start: {e}"))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::from(1),
    })
}
