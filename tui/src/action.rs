//! Keys and mouse events become actions in one pure function, so the app
//! can be stepped by actions in tests without a terminal.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

/// Something the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave the browser.
    Quit,
    /// The next view (Tab).
    NextView,
    /// The previous view (Shift-Tab).
    PrevView,
    /// The view with this number (1 to 9, 0 for the tenth).
    View(usize),
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// The first row.
    Top,
    /// The last row.
    Bottom,
    /// Focus the pane to the left (or above).
    Left,
    /// Focus the pane to the right (or below).
    Right,
    /// Open what is selected.
    Enter,
    /// Go back to where the last jump came from.
    Back,
    /// Change the sort order of the current table.
    Sort,
    /// Show or hide the source pane of the Code view.
    ToggleSource,
    /// Start typing a search.
    Search,
    /// The next match of the last search.
    NextMatch,
    /// The previous match of the last search.
    PrevMatch,
    /// Show or hide the key help.
    Help,
    /// Scroll up a few rows (mouse wheel).
    ScrollUp,
    /// Scroll down a few rows (mouse wheel).
    ScrollDown,
    /// A character typed into the search.
    Type(char),
    /// Delete the last character of the search.
    Erase,
    /// Keep the search and stop typing.
    Submit,
    /// Drop the search and stop typing.
    Cancel,
}

/// What keys mean at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Moving around.
    #[default]
    Normal,
    /// Typing a search after `/`.
    Search,
    /// The help overlay is shown: any key closes it.
    Help,
}

/// The action an input event asks for in `mode`, if any.
pub fn action_for(event: &Event, mode: Mode) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(key, mode),
        Event::Mouse(mouse) if mode != Mode::Help => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            _ => None,
        },
        _ => None,
    }
}

fn key_action(key: &KeyEvent, mode: Mode) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Help => Some(Action::Help),
        Mode::Search => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            _ => None,
        },
        Mode::Normal => normal_action(key, ctrl),
    }
}

fn normal_action(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    let action = match key.code {
        KeyCode::Char('f') if ctrl => Action::PageDown,
        KeyCode::Char('b') if ctrl => Action::PageUp,
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        _ if ctrl => return None,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        KeyCode::Tab => Action::NextView,
        KeyCode::BackTab => Action::PrevView,
        KeyCode::Char(c @ '1'..='9') => Action::View(c as usize - '1' as usize),
        KeyCode::Char('0') => Action::View(9),
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter => Action::Enter,
        KeyCode::Backspace => Action::Back,
        KeyCode::Char('s') => Action::Sort,
        KeyCode::Char('S') => Action::ToggleSource,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('n') => Action::NextMatch,
        KeyCode::Char('N') => Action::PrevMatch,
        KeyCode::Char('?') => Action::Help,
        _ => return None,
    };
    Some(action)
}

/// The keys, as the help overlay lists them.
pub const KEYS: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous view"),
    ("1 ... 9, 0", "go to view by number"),
    ("↑ ↓  j k", "move"),
    ("PgUp PgDn  Ctrl-b Ctrl-f", "move a page"),
    ("g G  Home End", "first / last row"),
    ("← →  h l", "move between panes"),
    ("Enter", "open: code, callee, callers, bytes, file, line"),
    ("Backspace", "go back (Sources: up a level)"),
    ("s", "change the sort order (Functions)"),
    ("S", "show / hide the source pane (Code)"),
    ("/", "search (Functions: filter by name or file)"),
    ("n N", "next / previous match"),
    ("mouse wheel", "scroll"),
    ("?", "this help"),
    ("q  Esc  Ctrl-c", "quit"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{MouseEvent, MouseEventKind};

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn keys_in_normal_mode() {
        let n = Mode::Normal;
        assert_eq!(action_for(&key(KeyCode::Char('j')), n), Some(Action::Down));
        assert_eq!(action_for(&key(KeyCode::Down), n), Some(Action::Down));
        assert_eq!(action_for(&key(KeyCode::Char('k')), n), Some(Action::Up));
        assert_eq!(
            action_for(&key(KeyCode::Char('G')), n),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&key(KeyCode::Char('3')), n),
            Some(Action::View(2))
        );
        assert_eq!(
            action_for(&key(KeyCode::Char('0')), n),
            Some(Action::View(9))
        );
        assert_eq!(
            action_for(&key(KeyCode::BackTab), n),
            Some(Action::PrevView)
        );
        assert_eq!(action_for(&key(KeyCode::Esc), n), Some(Action::Quit));
        assert_eq!(action_for(&key(KeyCode::Char('x')), n), None);
        assert_eq!(
            action_for(&key(KeyCode::Char('S')), n),
            Some(Action::ToggleSource)
        );
        assert_eq!(action_for(&key(KeyCode::Char('s')), n), Some(Action::Sort));
    }

    #[test]
    fn search_mode_takes_letters_as_text() {
        let s = Mode::Search;
        assert_eq!(
            action_for(&key(KeyCode::Char('q')), s),
            Some(Action::Type('q'))
        );
        assert_eq!(action_for(&key(KeyCode::Esc), s), Some(Action::Cancel));
        assert_eq!(action_for(&key(KeyCode::Enter), s), Some(Action::Submit));
        assert_eq!(action_for(&key(KeyCode::Backspace), s), Some(Action::Erase));
    }

    #[test]
    fn ctrl_c_quits_everywhere_and_help_closes_on_any_key() {
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        for mode in [Mode::Normal, Mode::Search, Mode::Help] {
            assert_eq!(action_for(&ctrl_c, mode), Some(Action::Quit));
        }
        assert_eq!(
            action_for(&key(KeyCode::Char('q')), Mode::Help),
            Some(Action::Help)
        );
    }

    #[test]
    fn mouse_wheel_scrolls() {
        let wheel = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: 0,
                row: 0,
                modifiers: KeyModifiers::NONE,
            })
        };
        assert_eq!(
            action_for(&wheel(MouseEventKind::ScrollDown), Mode::Normal),
            Some(Action::ScrollDown)
        );
        assert_eq!(
            action_for(&wheel(MouseEventKind::ScrollUp), Mode::Normal),
            Some(Action::ScrollUp)
        );
    }
}
