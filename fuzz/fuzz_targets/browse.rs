//! The terminal browser over a fuzzed module, stepped by a fuzzed sequence
//! of keys and mouse wheel turns, and drawn after every step to a test
//! terminal of a fuzzed size (down to 1x1).

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmscope::browse::Browse;
use wasmscope::input::Bytes as Owned;
use wasmscope_fuzz::{Bytes, index};
use wasmscope_tui::ratatui::Terminal;
use wasmscope_tui::ratatui::backend::TestBackend;
use wasmscope_tui::ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind,
};
use wasmscope_tui::{App, action_for};

/// Every key the browser knows, and a few it does not.
const KEYS: &[KeyCode] = &[
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Enter,
    KeyCode::Backspace,
    KeyCode::Esc,
    KeyCode::F(1),
    KeyCode::Insert,
];

fn event(byte: u8, next: u8) -> Event {
    let modifiers = if next & 0x80 != 0 {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    let code = match byte % 4 {
        // Printable keys: letters, digits and punctuation, `q` included.
        0 | 1 => KeyCode::Char(char::from(b' ' + next % 95)),
        2 => KeyCode::Char(char::from(b'a' + next % 26)),
        _ => KEYS[usize::from(next) % KEYS.len()],
    };
    if byte % 16 == 15 {
        let kind = if next & 1 == 0 {
            MouseEventKind::ScrollUp
        } else {
            MouseEventKind::ScrollDown
        };
        return Event::Mouse(MouseEvent {
            kind,
            column: 0,
            row: 0,
            modifiers,
        });
    }
    Event::Key(KeyEvent::new(code, modifiers))
}

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let width = u16::from(input.byte() % 160) + 1;
    let height = u16::from(input.byte() % 60) + 1;
    let keys = input.slice();
    let bytes = input.rest();
    let Some(index) = index(bytes) else { return };
    let (model, source) =
        Browse::new("fuzz.wasm", Owned::Owned(bytes.to_vec()), index).into_parts();
    let mut app = App::new(model, source);
    let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
    for pair in keys.chunks(2).take(64) {
        let (byte, next) = (pair[0], pair.get(1).copied().unwrap_or(0));
        if let Some(action) = action_for(&event(byte, next), app.mode()) {
            app.update(action);
        }
        if app.should_quit() {
            break;
        }
        // Most steps wait for the work they started; some draw while it
        // still runs, as the real loop does.
        if byte & 0x40 == 0 {
            app.settle();
        } else {
            app.poll();
        }
        app.tick();
        let _ = terminal.draw(|frame| app.draw(frame));
    }
    app.settle();
});
