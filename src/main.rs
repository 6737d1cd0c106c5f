//! The `wasmscope` command: parses the command line, runs one subcommand and
//! turns its outcome into an exit status (0 ok, 1 error or difference, 2 usage).
//! Started under the name of one of WABT's tools (`wasm2wat`...), it is that
//! tool instead.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    // Started as `wasm2wat`, `wasm-objdump`...: that WABT tool.
    let mut argv = std::env::args_os();
    if let Some(tool) = argv.next().and_then(|p| cli::wabt::Tool::from_program(&p)) {
        return cli::wabt::run(tool, argv.collect());
    }
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // `--help` and `--version` are not errors.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match args.run() {
        Ok(code) => code,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let message = describe(err.as_ref());
            eprintln!("error: {message}");
            // Causes the message already spells out are not repeated.
            for cause in err.chain().skip(1) {
                let cause = describe(cause);
                if !message.contains(&cause) {
                    eprintln!("  caused by: {cause}");
                }
            }
            if err.is::<cli::UsageError>() || err.is::<cli::Trouble>() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// An error's message; the operating system's without its error number,
/// which differs between systems.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    match error.downcast_ref::<std::io::Error>() {
        Some(io) => wasmscope::error::os_message(io),
        None => error.to_string(),
    }
}
