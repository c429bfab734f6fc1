//! What `watch` shows on a terminal: one screen per result, drawn at once (clear, then the whole
//! text), fitted to the terminal's size; and the guard that keeps raw mode on.

use std::io::Write;

use anyhow::Result;
use crossterm::{cursor, execute, queue, terminal};

use super::keys::WatchState;
use crate::course::Course;
use crate::manifest::Exercise;

pub const LEGEND: &str = "n/⏎ next · h hint · l list · c check all · r reset · o chapter · q quit";

/// One `check`'s outcome and output.
#[derive(Debug, Clone)]
pub struct Checked {
    pub passed: bool,
    pub output: String,
    /// From its "X/Y tests pass, P/M points" line; None when no test ran.
    pub tests: Option<(u32, u32)>,
    pub points: Option<(u32, u32)>,
}

impl Checked {
    pub fn new(passed: bool, output: String) -> Checked {
        let counts = output.lines().find_map(|l| {
            let (tests, points) = l.split_once(" tests pass, ")?;
            Some((ratio(tests)?, ratio(points.strip_suffix(" points")?)?))
        });
        Checked {
            passed,
            tests: counts.map(|c| c.0),
            points: counts.map(|c| c.1),
            output,
        }
    }

    /// What to show of the output: the first failure (and the notes after it), the compile
    /// errors with their summary, or the pass and what comes next.
    fn body(&self, (width, room): (usize, usize)) -> Vec<String> {
        let lines: Vec<&str> = self
            .output
            .lines()
            .filter(|l| !l.starts_with("Checking "))
            .collect();
        let from = |p: &dyn Fn(&str) -> bool| lines.iter().position(|l| p(l));
        let mut body: Vec<String> = if let Some(i) = from(&|l| l.starts_with("First failure:")) {
            let end = from(&|l| l.starts_with("Stuck?")).unwrap_or(lines.len());
            // A panic's location is at the end of a long line: wrap rather than cut.
            lines[i..end.max(i)]
                .iter()
                .flat_map(|l| wrap(l, width))
                .collect()
        } else if let Some(i) = from(&|l| l.starts_with("✓ ") && l.contains(": all ")) {
            lines[i..].iter().flat_map(|l| wrap(l, width)).collect()
        } else if let Some(i) = from(&|l| l.contains(" does not compile")) {
            // The compiler's errors, then the summary (where they are, whose file): keep the
            // summary whole and as much of the errors as fits above it.
            let summary: Vec<String> = lines[i..].iter().map(|l| l.to_string()).collect();
            let keep = room.saturating_sub(summary.len() + 1).min(i);
            let mut b: Vec<String> = lines[..keep].iter().map(|l| l.to_string()).collect();
            if keep < i {
                b.push("…".to_string());
            }
            b.extend(summary);
            b
        } else {
            lines.iter().map(|l| l.to_string()).collect()
        };
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        body
    }
}

fn ratio(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once('/')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The screen for `ex`: header, progress bar, result, note, legend, in `width` × `height`.
pub fn screen(
    course: &Course,
    ex: &Exercise,
    last: Option<&Checked>,
    note: &str,
    st: &WatchState,
    (width, height): (usize, usize),
) -> Vec<String> {
    let all = &course.manifest.exercises;
    let n = all.iter().position(|e| e.id == ex.id).map_or(0, |i| i + 1);
    let mut top = vec![
        format!("{} — {}   (exercise {n}/{})", ex.id, ex.title, all.len()),
        format!("read:  book/src/{}", ex.chapter),
        format!(
            "edit:  {}",
            ex.files
                .iter()
                .map(|f| format!("exercises/{}/{f}", ex.krate))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    let status = match last {
        None => "not checked yet".to_string(),
        Some(c) if c.passed => "✓ all tests pass — n: next exercise".to_string(),
        Some(c) if c.tests.is_none() && c.output.contains(" does not compile") => {
            "✗ does not compile".to_string()
        }
        Some(c) => match (c.tests, c.points) {
            (Some((p, t)), Some((pp, pm))) => format!("{p}/{t} tests pass, {pp}/{pm} points"),
            _ => "✗ the check did not run".to_string(),
        },
    };
    let (done, total) = last.and_then(|c| c.tests).unwrap_or((0, 0));
    let filled = (done as usize * 30)
        .checked_div(total as usize)
        .unwrap_or(0);
    top.push(format!(
        "[{}{}] {status}",
        "#".repeat(filled),
        "-".repeat(30 - filled)
    ));
    top.push(String::new());
    let bottom = [
        String::new(),
        if st.confirming_reset {
            "y: reset · any other key: keep my changes".to_string()
        } else {
            LEGEND.to_string()
        },
    ];
    let room = height.saturating_sub(top.len() + bottom.len()).max(1);
    let note: Vec<String> = note.lines().flat_map(|l| wrap(l, width)).collect();
    let mut result = last.map(|c| c.body((width, room))).unwrap_or_default();
    if !note.is_empty() {
        // The note (what the last key asked for) comes first in what fits; the result keeps a
        // few lines above it.
        let keep = room.saturating_sub(note.len() + 1).max(room.min(4));
        result.truncate(keep.min(result.len()));
        if !result.is_empty() {
            result.push(String::new());
        }
        result.extend(note);
    }
    if result.len() > room {
        result.truncate(room.saturating_sub(1));
        result.push("…".to_string());
    }
    top.into_iter()
        .chain(result)
        .chain(bottom)
        .map(|l| fit(&l, width))
        .collect()
}

/// `line` split at spaces into lines of at most `width` characters, if it is longer (a longer
/// word is cut later, by [`fit`]).
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let indent = line.len() - line.trim_start().len();
    let mut out = vec![String::new()];
    for word in line.split_whitespace() {
        let cur = out.last_mut().expect("never empty");
        if cur.is_empty() {
            // Only the first line is ever empty.
            cur.push_str(&" ".repeat(indent));
            cur.push_str(word);
        } else if cur.chars().count() + 1 + word.chars().count() <= width {
            cur.push(' ');
            cur.push_str(word);
        } else {
            out.push(format!("{}{word}", " ".repeat(indent + 2)));
        }
    }
    out
}

/// `line` cut to `width` characters (tabs as spaces).
fn fit(line: &str, width: usize) -> String {
    let line = line.replace('\t', "    ");
    if line.chars().count() <= width {
        return line;
    }
    let mut s: String = line.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The rendered screen, for the terminal's size.
pub fn render(
    course: &Course,
    ex: &Exercise,
    last: Option<&Checked>,
    note: &str,
    st: &WatchState,
) -> Vec<String> {
    let (w, h) = terminal::size().map_or((80, 24), |(w, h)| (w as usize, h as usize));
    screen(course, ex, last, note, st, (w.max(20), h.max(8)))
}

/// `c`: one row per exercise.
pub fn summary(rows: &[(String, Checked)]) -> String {
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(2);
    let mut out = String::from("Check all:\n");
    for (id, c) in rows {
        let (mark, what) = match (c.passed, c.points) {
            (true, Some((p, m))) => ("✓", format!("{p}/{m} points")),
            (false, Some((p, m))) => ("✗", format!("{p}/{m} points")),
            (_, None) if c.output.contains(" does not compile") => ("✗", "does not compile".into()),
            (_, None) => ("✗", "did not run".into()),
        };
        out.push_str(&format!("  {mark} {id:<width$}  {what}\n"));
    }
    let passed = rows.iter().filter(|r| r.1.passed).count();
    out.push_str(&format!("{passed}/{} exercises pass\n", rows.len()));
    out
}

/// `text` ending with exactly one newline (none added to an empty text).
pub fn with_newline(text: &str) -> String {
    match text {
        "" => String::new(),
        t if t.ends_with('\n') => t.to_string(),
        t => format!("{t}\n"),
    }
}

/// Raw mode, on while this lives: dropping it (also when unwinding from a panic, or returning an
/// error) restores the terminal.
pub struct Raw;

impl Raw {
    pub fn on() -> Result<Raw> {
        terminal::enable_raw_mode()?;
        let raw = Raw;
        execute!(std::io::stdout(), cursor::Hide)?;
        Ok(raw)
    }

    /// Raw mode off for a while (something prints or runs a program).
    pub fn suspend(&self) {
        let _ = execute!(std::io::stdout(), cursor::Show);
        let _ = terminal::disable_raw_mode();
    }

    pub fn resume(&self) {
        let _ = terminal::enable_raw_mode();
        let _ = execute!(std::io::stdout(), cursor::Hide);
    }

    /// Clear and draw the whole screen in one write: no flicker.
    pub fn draw(&self, lines: &[String]) -> Result<()> {
        let mut out = std::io::stdout().lock();
        queue!(
            out,
            cursor::MoveTo(0, 0),
            terminal::Clear(terminal::ClearType::All)
        )?;
        // Raw mode does not turn \n into \r\n.
        out.write_all(lines.join("\r\n").as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// One line over the legend's (the last line), while a check runs.
    pub fn status(&self, text: &str) {
        let (w, h) = terminal::size().unwrap_or((80, 24));
        let mut out = std::io::stdout().lock();
        let _ = queue!(
            out,
            cursor::MoveTo(0, h.saturating_sub(1)),
            terminal::Clear(terminal::ClearType::CurrentLine)
        );
        let _ = out.write_all(fit(text, w as usize).as_bytes());
        let _ = out.flush();
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), cursor::Show);
        let _ = terminal::disable_raw_mode();
        println!();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Course {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
        Course::open(Some(&root)).unwrap()
    }

    const FAILING: &str = "Checking add — Adding\n  ✓ ch01_add::adds_small_numbers\n  \
        ✗ ch01_add::adds_large_numbers\n1/2 tests pass, 1/3 points\n\nFirst failure: \
        ch01_add::adds_large_numbers\n  assertion `left == right` failed\n    left: 0\n\n\
        Stuck? `cargo course hint add` shows a hint (one more each time).\n";

    #[test]
    fn the_screen_shows_exercise_bar_first_failure_and_legend_in_80_columns() {
        let course = fixture();
        let ex = course.manifest.find("add").unwrap();
        let c = Checked::new(false, FAILING.to_string());
        assert_eq!((c.tests, c.points), (Some((1, 2)), Some((1, 3))));
        let note = "Hint 1/2 for add: ".to_string() + &"a long hint ".repeat(20);
        let st = WatchState::new("add");
        let s = screen(&course, ex, Some(&c), &note, &st, (80, 24));
        assert!(s.len() <= 24, "{s:#?}");
        assert!(s.iter().all(|l| l.chars().count() <= 80), "{s:#?}");
        assert_eq!(s[0], "add — Adding   (exercise 1/2)");
        assert_eq!(s[2], "edit:  exercises/arith/src/add.rs");
        assert!(s[3].starts_with("[###############---------------] 1/2 tests pass, 1/3 points"));
        let text = s.join("\n");
        assert!(text.contains("First failure: ch01_add::adds_large_numbers\n  assertion"));
        assert!(!text.contains("Stuck?"), "{text}");
        // The long hint is wrapped, not cut.
        assert_eq!(text.matches("long").count(), 20, "{text}");
        assert_eq!(s.last().unwrap(), LEGEND);
    }

    #[test]
    fn a_long_compile_error_keeps_its_summary_on_a_small_screen() {
        let course = fixture();
        let ex = course.manifest.find("add").unwrap();
        let errors: String = (0..100).map(|i| format!("error line {i}\n")).collect();
        let out = format!("{errors}✗ arith does not compile. The errors (above) are at:\n  here\n");
        let s = screen(
            &course,
            ex,
            Some(&Checked::new(false, out)),
            "",
            &WatchState::new("add"),
            (80, 20),
        );
        assert!(s.len() <= 20, "{s:#?}");
        assert!(s[3].ends_with("✗ does not compile"), "{s:#?}");
        let text = s.join("\n");
        assert!(text.contains("error line 0\n"));
        assert!(text.contains("…\n✗ arith does not compile. The errors (above) are at:\n  here"));
    }

    #[test]
    fn the_reset_question_replaces_the_legend() {
        let course = fixture();
        let ex = course.manifest.find("add").unwrap();
        let mut st = WatchState::new("add");
        st.on_key(super::super::Key::Char('r'));
        let s = screen(&course, ex, None, "Reset add?", &st, (80, 24));
        assert_eq!(
            s.last().unwrap(),
            "y: reset · any other key: keep my changes"
        );
    }

    #[test]
    fn check_all_sums_up_each_exercise() {
        let rows = [
            (
                "add".to_string(),
                Checked::new(true, "3/3 tests pass, 4/4 points\n".into()),
            ),
            (
                "mul".to_string(),
                Checked::new(false, "✗ arith does not compile\n".into()),
            ),
        ];
        assert_eq!(
            summary(&rows),
            "Check all:\n  ✓ add  4/4 points\n  ✗ mul  does not compile\n1/2 exercises pass\n"
        );
    }
}
