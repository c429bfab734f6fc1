//! The keys of `watch`, as a pure state machine: a key (or a check's result) goes in, the actions
//! to carry out come out. No terminal, no course, no crossterm: the tests drive it directly.

/// A key, as read from the terminal (raw mode) or as a line of piped input (the fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    /// Ctrl-C: raw mode turns it into a key instead of SIGINT; it quits.
    CtrlC,
    /// Anything else (an unknown key or line): shows the legend again.
    Other,
}

impl Key {
    /// One line of piped input: the same letters as the keys, followed by Enter.
    pub fn from_line(line: &str) -> Key {
        let line = line.trim().to_ascii_lowercase();
        let mut chars = line.chars();
        match (chars.next(), chars.next()) {
            (None, _) => Key::Enter,
            (Some(c), None) => Key::Char(c),
            _ if line == "yes" => Key::Char('y'),
            _ if line == "quit" => Key::Char('q'),
            _ => Key::Other,
        }
    }
}

/// What `watch` does next; [`super`] carries these out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Check the current exercise, then report with [`WatchState::checked`].
    Check,
    /// Show the next hint of the current exercise (counted as seen).
    Hint,
    /// Show `list`.
    List,
    /// Check every exercise and show a summary.
    CheckAll,
    /// Ask whether to reset the current exercise (y/N).
    AskReset,
    /// Reset the current exercise to its stub (the answer was yes).
    Reset,
    /// The answer was not yes: say that nothing changed.
    ResetCancelled,
    /// Open the current exercise's chapter page.
    OpenChapter,
    /// Every exercise is done: say so.
    AllDone,
    /// Show the key legend (an unknown key).
    Legend,
    Quit,
}

/// What the key handling remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchState {
    /// The exercise shown and checked.
    pub current: String,
    /// The result of its last check in this session, if any.
    pub passed: Option<bool>,
    /// `r` was pressed: the next key answers "reset?".
    pub confirming_reset: bool,
    /// `n`/Enter was pressed: move on if the check it started passes.
    pub next_after_pass: bool,
}

impl WatchState {
    pub fn new(current: &str) -> WatchState {
        WatchState {
            current: current.to_string(),
            passed: None,
            confirming_reset: false,
            next_after_pass: false,
        }
    }

    /// A key was pressed.
    pub fn on_key(&mut self, key: Key) -> Vec<Action> {
        if key == Key::CtrlC {
            return vec![Action::Quit];
        }
        if self.confirming_reset {
            self.confirming_reset = false;
            return match key {
                Key::Char('y') => vec![Action::Reset, Action::Check],
                _ => vec![Action::ResetCancelled],
            };
        }
        match key {
            Key::Char('n') | Key::Enter => {
                self.next_after_pass = true;
                vec![Action::Check]
            }
            Key::Char('h') => vec![Action::Hint],
            Key::Char('l') => vec![Action::List],
            Key::Char('c') => vec![Action::CheckAll],
            Key::Char('r') => {
                self.confirming_reset = true;
                vec![Action::AskReset]
            }
            Key::Char('o') => vec![Action::OpenChapter],
            Key::Char('q') => vec![Action::Quit],
            _ => vec![Action::Legend],
        }
    }

    /// A file under exercises/ was saved: check again (without moving on).
    pub fn on_save(&mut self) -> Vec<Action> {
        vec![Action::Check]
    }

    /// A check of the current exercise finished. `next` is the first unfinished exercise as of
    /// now (`State::next`, the same "next" as `list` and `check`).
    pub fn checked(&mut self, passed: bool, next: Option<&str>) -> Vec<Action> {
        self.passed = Some(passed);
        if !std::mem::take(&mut self.next_after_pass) || !passed {
            return Vec::new();
        }
        match next {
            Some(id) if id != self.current => {
                self.current = id.to_string();
                self.passed = None;
                vec![Action::Check]
            }
            Some(_) => Vec::new(),
            None => vec![Action::AllDone],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_asks_for_its_action() {
        let mut s = WatchState::new("add");
        assert_eq!(s.on_key(Key::Char('h')), [Action::Hint]);
        assert_eq!(s.on_key(Key::Char('l')), [Action::List]);
        assert_eq!(s.on_key(Key::Char('c')), [Action::CheckAll]);
        assert_eq!(s.on_key(Key::Char('o')), [Action::OpenChapter]);
        assert_eq!(s.on_key(Key::Char('n')), [Action::Check]);
        assert_eq!(s.on_key(Key::Enter), [Action::Check]);
        assert_eq!(s.on_key(Key::Char('x')), [Action::Legend]);
        assert_eq!(s.on_save(), [Action::Check]);
        assert_eq!(s.current, "add");
    }

    #[test]
    fn q_and_ctrl_c_quit() {
        assert_eq!(
            WatchState::new("add").on_key(Key::Char('q')),
            [Action::Quit]
        );
        assert_eq!(WatchState::new("add").on_key(Key::CtrlC), [Action::Quit]);
        // Even while a question is pending.
        let mut s = WatchState::new("add");
        s.on_key(Key::Char('r'));
        assert_eq!(s.on_key(Key::CtrlC), [Action::Quit]);
    }

    #[test]
    fn reset_asks_first_and_resets_only_on_y() {
        let mut s = WatchState::new("add");
        assert_eq!(s.on_key(Key::Char('r')), [Action::AskReset]);
        assert_eq!(s.on_key(Key::Char('y')), [Action::Reset, Action::Check]);
        assert!(!s.confirming_reset);

        for no in [Key::Char('n'), Key::Enter, Key::Char('q'), Key::Other] {
            let mut s = WatchState::new("add");
            s.on_key(Key::Char('r'));
            assert_eq!(s.on_key(no), [Action::ResetCancelled], "{no:?}");
            // The answer was only an answer: `n` did not move on, `q` did not quit.
            assert!(!s.next_after_pass);
            assert_eq!(s.on_key(Key::Char('h')), [Action::Hint]);
        }
    }

    #[test]
    fn next_moves_on_after_a_pass_only() {
        let mut s = WatchState::new("add");
        // A failing check stays on the exercise.
        assert_eq!(s.on_key(Key::Char('n')), [Action::Check]);
        assert_eq!(s.checked(false, Some("add")), []);
        assert_eq!((s.current.as_str(), s.passed), ("add", Some(false)));
        // A pass after `n` moves on to the next unfinished exercise and checks it.
        assert_eq!(s.on_key(Key::Enter), [Action::Check]);
        assert_eq!(s.checked(true, Some("mul")), [Action::Check]);
        assert_eq!((s.current.as_str(), s.passed), ("mul", None));
        // The last one: everything is done.
        s.on_key(Key::Char('n'));
        assert_eq!(s.checked(true, None), [Action::AllDone]);
    }

    #[test]
    fn a_pass_after_a_save_stays_until_next() {
        let mut s = WatchState::new("add");
        assert_eq!(s.on_save(), [Action::Check]);
        assert_eq!(s.checked(true, Some("mul")), []);
        assert_eq!(s.current, "add");
        // `n` then re-checks and moves on.
        assert_eq!(s.on_key(Key::Char('n')), [Action::Check]);
        assert_eq!(s.checked(true, Some("mul")), [Action::Check]);
        assert_eq!(s.current, "mul");
    }

    #[test]
    fn piped_lines_are_the_same_keys() {
        assert_eq!(Key::from_line("h\n"), Key::Char('h'));
        assert_eq!(Key::from_line(" Y \n"), Key::Char('y'));
        assert_eq!(Key::from_line("yes"), Key::Char('y'));
        assert_eq!(Key::from_line("\n"), Key::Enter);
        assert_eq!(Key::from_line("hello"), Key::Other);
    }
}
