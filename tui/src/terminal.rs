//! Taking the terminal and giving it back. Every way out (a normal exit, an
//! error, a panic, Ctrl-C) restores the screen, raw mode and the mouse.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
#[cfg(unix)]
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use crate::action::action_for;
use crate::app::App;
use crate::model::{Analysis, Code, LineInfo, Model, SourceText};
use crate::source::Source;

/// How often finished work is looked for (and the spinner turned) while
/// work is running: short, so a function's text shows as soon as it is
/// printed.
const BUSY_TICK: Duration = Duration::from_millis(10);
/// How long to wait for input when nothing is running.
const IDLE_TICK: Duration = Duration::from_millis(500);

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = io::stdout().flush();
}

/// Faults that can be made to happen on purpose, so that tests can check
/// the terminal is given back whatever happens: `WASMSCOPE_BROWSE_FAULT` set
/// to `panic` panics the event loop after the first frame, and to
/// `worker-panic` panics the worker that analyses the module.
const FAULT: &str = "WASMSCOPE_BROWSE_FAULT";

/// The signals that ask a program to end. They would end the process with
/// the terminal still raw and on the alternate screen, so they are caught
/// and end the event loop instead.
#[cfg(unix)]
const STOP_SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// Runs the browser on the process's terminal until the user quits.
///
/// A panic in the event loop gives the terminal back before its message is
/// printed; a panic on a worker thread is shown in the view it was working
/// for, and the browser goes on. One of [`STOP_SIGNALS`] ends the browser
/// with an error naming it (on Unix).
pub fn run(model: Model, source: Arc<dyn Source>) -> io::Result<()> {
    let fault = std::env::var(FAULT).ok();
    let source: Arc<dyn Source> = match fault.as_deref() {
        Some("worker-panic") => Arc::new(PanickingSource(source)),
        _ => source,
    };
    let panic_in_loop = fault.as_deref() == Some("panic");

    let previous: Arc<PanicHook> = Arc::from(std::panic::take_hook());
    let ui = std::thread::current().id();
    let hook = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        // Workers' panics are caught where they happen and shown in the
        // browser; printing them here would write over the screen.
        if std::thread::current().id() == ui {
            restore();
            hook(info);
        }
    }));
    let stop = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    let mut handlers = Vec::new();
    #[cfg(unix)]
    for signal in STOP_SIGNALS {
        handlers.push(signal_hook::flag::register_usize(
            signal,
            stop.clone(),
            signal as usize,
        )?);
    }

    // A stop signal is acted on by the event loop, which then gives the
    // terminal back. A terminal that hung up can keep the loop from coming
    // back to look (reading it spins), so a watchdog ends the process if
    // the loop has not ended a moment after the signal.
    #[cfg(unix)]
    let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    {
        let (stop, finished) = (stop.clone(), finished.clone());
        std::thread::spawn(move || {
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let signal = stop.load(Ordering::Relaxed);
                if signal != 0 {
                    std::thread::sleep(Duration::from_secs(1));
                    if !finished.load(Ordering::Relaxed) {
                        restore();
                        std::process::exit(128 + signal as i32);
                    }
                }
            }
        });
    }

    let result = enable_raw_mode()
        .and_then(|()| execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture))
        .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())))
        .and_then(|mut terminal| {
            event_loop(&mut terminal, App::new(model, source), &stop, panic_in_loop)
        });
    restore();
    #[cfg(unix)]
    finished.store(true, Ordering::Relaxed);

    #[cfg(unix)]
    for id in handlers {
        signal_hook::low_level::unregister(id);
    }
    let _ = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| previous(info)));
    result
}

type PanicHook = dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync + 'static;

/// A source whose analysis panics: see [`FAULT`].
struct PanickingSource(Arc<dyn Source>);

impl Source for PanickingSource {
    fn code(&self, function: u32) -> Result<Code, String> {
        self.0.code(function)
    }
    fn bytes(&self, range: Range<u64>) -> Vec<u8> {
        self.0.bytes(range)
    }
    fn analyze(&self) -> Result<Analysis, String> {
        panic!("a fault made on purpose ({FAULT}=worker-panic)")
    }
    fn open_nested(&self, position: usize) -> Result<(Model, Arc<dyn Source>), String> {
        self.0.open_nested(position)
    }
    fn line_info(&self) -> Result<LineInfo, String> {
        self.0.line_info()
    }
    fn source_text(&self, file: &str) -> Result<SourceText, String> {
        self.0.source_text(file)
    }
    fn function_places(&self) -> Result<Vec<Option<(u32, u32)>>, String> {
        self.0.function_places()
    }
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
    mut app: App,
    stop: &AtomicUsize,
    panic_in_loop: bool,
) -> io::Result<()> {
    terminal.clear()?;
    loop {
        app.poll();
        terminal.draw(|frame| app.draw(frame))?;
        if panic_in_loop {
            panic!("a fault made on purpose ({FAULT}=panic)");
        }
        if app.should_quit() {
            return Ok(());
        }
        match stop.load(Ordering::Relaxed) {
            0 => {}
            signal => {
                return Err(io::Error::new(
                    io::ErrorKind::Interrupted,
                    format!("stopped by signal {signal}"),
                ));
            }
        }
        let wait = if app.busy() { BUSY_TICK } else { IDLE_TICK };
        if !event::poll(wait)? {
            app.tick();
            continue;
        }
        // Take every event that is waiting before drawing again, so that a
        // held key never falls behind.
        loop {
            let event = event::read()?;
            if let Some(action) = action_for(&event, app.mode()) {
                app.update(action);
            }
            if app.should_quit() || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}
