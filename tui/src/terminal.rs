//! Taking the terminal and giving it back. Every way out (a normal exit, an
//! error, a panic, Ctrl-C) restores the screen, raw mode and the mouse.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::action::action_for;
use crate::app::App;
use crate::model::Model;
use crate::source::Source;

/// How often finished work is looked for (and the spinner turned) while
/// work is running: short, so a function's text shows as soon as it is
/// printed.
const BUSY_TICK: Duration = Duration::from_millis(10);
/// How long to wait for input when nothing is running.
const IDLE_TICK: Duration = Duration::from_millis(500);

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = io::stdout().flush();
}

/// Runs the browser on the process's terminal until the user quits.
pub fn run(model: Model, source: Arc<dyn Source>) -> io::Result<()> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    let result = execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)
        .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())))
        .and_then(|mut terminal| event_loop(&mut terminal, App::new(model, source)));
    restore();
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
    mut app: App,
) -> io::Result<()> {
    terminal.clear()?;
    loop {
        app.poll();
        terminal.draw(|frame| app.draw(frame))?;
        if app.should_quit() {
            return Ok(());
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
