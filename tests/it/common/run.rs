//! Running the `wasmscope` binary: a builder for one run, with the
//! directory, environment, stdin and bounds a test needs, and its output
//! captured.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use super::hostile::Bounded;
use super::testdata;

/// The binary under test. The terminal tests start it through `script` and
/// tmux, which take a command line, so it is a path here rather than a
/// [`Command`].
pub const BIN: &str = env!("CARGO_BIN_EXE_wasmscope");

/// Variables a user may have set that change what wasmscope does or prints:
/// colour on a terminal, the editor `edit` starts, and the panic note that
/// [`Bounded::fault`] looks for. No run inherits them; a test that wants one
/// sets it.
const USER_ENV: &[&str] = &["NO_COLOR", "VISUAL", "EDITOR", "RUST_BACKTRACE"];

/// One run of wasmscope, described step by step and started by
/// [`Run::output`], [`Run::bounded`] or [`Run::spawn`].
///
/// Unless told otherwise it runs in testdata/ (so paths in messages are
/// short and stable), reads an empty stdin, captures stdout and stderr, and
/// has no bound on its time or memory.
#[must_use]
pub struct Run {
    program: PathBuf,
    args: Vec<OsString>,
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
    keep_stdout: bool,
    time_bound: Option<Duration>,
    memory_bound: Option<u64>,
}

/// `wasmscope <args>`, to be set up further and run.
pub fn wasmscope<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Run {
        program: PathBuf::from(BIN),
        args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
        dir: testdata(),
        env: Vec::new(),
        stdin: None,
        keep_stdout: true,
        time_bound: None,
        memory_bound: None,
    }
}

/// Runs `wasmscope <args>` in testdata/ and returns what it printed: the
/// common case.
pub fn run(args: &[&str]) -> Output {
    wasmscope(args).output()
}

impl Run {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Run {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs in `dir` instead of testdata/.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Run {
        self.dir = dir.as_ref().to_owned();
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Run {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Feeds `bytes` to stdin, then closes it.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs `program` (a link to wasmscope under another name) instead of
    /// the binary itself.
    pub fn program(mut self, program: impl AsRef<Path>) -> Run {
        self.program = program.as_ref().to_path_buf();
        self
    }

    /// Sends stdout nowhere: for runs whose output is large and of no
    /// interest.
    pub fn discard_stdout(mut self) -> Run {
        self.keep_stdout = false;
        self
    }

    /// Kills the run once it has taken `bound`; [`Bounded::timed_out`] then
    /// says so.
    pub fn time_bound(mut self, bound: Duration) -> Run {
        self.time_bound = Some(bound);
        self
    }

    /// Limits the run's address space to `bytes` (where the system can), so
    /// that an allocation past it fails and aborts the run.
    pub fn memory_bound(mut self, bytes: u64) -> Run {
        self.memory_bound = Some(bytes);
        self
    }

    /// Runs to the end and returns the exit status and both outputs. A run
    /// killed by its time bound fails the test.
    pub fn output(self) -> Output {
        let args = self.args.clone();
        let ended = self.execute();
        assert!(
            !ended.timed_out,
            "wasmscope {args:?} still running after {:?}",
            ended.elapsed
        );
        ended.output
    }

    /// Runs to the end or the time bound, and returns how it ended.
    pub fn bounded(self) -> Bounded {
        let ended = self.execute();
        Bounded {
            code: ended.output.status.code(),
            stderr: String::from_utf8_lossy(&ended.output.stderr).into_owned(),
            elapsed: ended.elapsed,
            timed_out: ended.timed_out,
        }
    }

    /// Starts the run and leaves it to the caller, who may kill it at any
    /// point: nothing is captured and no bound applies.
    pub fn spawn(self) -> Child {
        self.command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wasmscope starts")
    }

    fn command(&self) -> Command {
        let mut command = match self.memory_bound {
            Some(bytes) => memory_bounded(bytes, &self.program),
            None => Command::new(&self.program),
        };
        command.args(&self.args).current_dir(&self.dir);
        for key in USER_ENV {
            command.env_remove(key);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    fn execute(self) -> Ended {
        let mut command = self.command();
        command
            .stdin(piped_if(self.stdin.is_some()))
            .stdout(piped_if(self.keep_stdout))
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = command.spawn().expect("wasmscope starts");
        // Fed and drained on threads of their own: a full pipe must not
        // stall the run, nor the run stall on a pipe.
        let feeder = match (self.stdin, child.stdin.take()) {
            // A command may stop reading early; what it then does is for the
            // test to check, not a failure to write.
            (Some(bytes), Some(mut pipe)) => Some(thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            })),
            _ => None,
        };
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let (status, timed_out) = wait(&mut child, self.time_bound);
        let elapsed = started.elapsed();
        if let Some(feeder) = feeder {
            feeder.join().expect("stdin is fed");
        }
        let collect = |pipe: Option<JoinHandle<Vec<u8>>>| {
            pipe.map(|p| p.join().expect("output is read"))
                .unwrap_or_default()
        };
        Ended {
            output: Output {
                status,
                stdout: collect(stdout),
                stderr: collect(stderr),
            },
            elapsed,
            timed_out,
        }
    }
}

/// How a run started by [`Run::execute`] ended.
struct Ended {
    output: Output,
    elapsed: Duration,
    timed_out: bool,
}

fn piped_if(piped: bool) -> Stdio {
    if piped { Stdio::piped() } else { Stdio::null() }
}

fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// Waits for the run to end, or kills it once it has taken `bound`.
fn wait(child: &mut Child, bound: Option<Duration>) -> (ExitStatus, bool) {
    let Some(bound) = bound else {
        return (child.wait().expect("wasmscope finishes"), false);
    };
    match child.wait_timeout(bound).expect("waits") {
        Some(status) => (status, false),
        None => {
            let _ = child.kill();
            (child.wait().expect("reaps"), true)
        }
    }
}

/// The binary started by a shell that first lowers the address space limit
/// (never raising it); `exec` makes the binary the process that is waited
/// for and killed. The limit is set in the child only: the test process
/// runs every module's tests and needs its own address space.
#[cfg(unix)]
fn memory_bounded(bytes: u64, program: &Path) -> Command {
    use rustix::process::{Resource, getrlimit};
    let limit = bytes.min(getrlimit(Resource::As).current.unwrap_or(u64::MAX));
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", limit / 1024))
        .arg(program);
    command
}

#[cfg(not(unix))]
fn memory_bounded(_bytes: u64, program: &Path) -> Command {
    Command::new(program)
}
