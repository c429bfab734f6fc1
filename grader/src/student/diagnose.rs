//! Saying the real cause of a failed check: where a compile error is (and whose file that is),
//! and which failing tests stopped at a `todo!()` in another exercise's code.

use crate::course::Course;
use crate::manifest::Exercise;
use crate::results::ExerciseResult;

/// A place in a source file, as the compiler and panics print it (`exercises/arith/src/add.rs:4:5`),
/// with the exercise whose file it is, if any.
pub struct Location<'a> {
    pub at: String,
    pub owner: Option<&'a Exercise>,
}

/// The exercise whose files hold `path` (relative to the workspace, or absolute).
pub fn owner<'a>(course: &'a Course, path: &str) -> Option<&'a Exercise> {
    let rel = &path[path.rfind("exercises/")? + "exercises/".len()..];
    let (krate, file) = rel.split_once('/')?;
    course
        .manifest
        .exercises
        .iter()
        .find(|e| e.krate == krate && e.files.iter().any(|f| f == file))
}

/// Every `--> file:line:col` of the compiler's rendered errors, once each, in order.
pub fn error_locations<'a>(course: &'a Course, errors: &str) -> Vec<Location<'a>> {
    let mut out: Vec<Location> = Vec::new();
    for line in errors.lines() {
        let Some(at) = line.trim_start().strip_prefix("--> ") else {
            continue;
        };
        let at = at.trim().to_string();
        if out.iter().any(|l| l.at == at) {
            continue;
        }
        let path = at.split(':').next().unwrap_or_default();
        out.push(Location {
            owner: owner(course, path),
            at,
        });
    }
    out
}

/// The summary after a compile error: where the errors are, whose files those are, and what to
/// run next. `ex` is the exercise being checked.
pub fn compile_error_summary(course: &Course, ex: &Exercise, errors: &str) -> String {
    let locations = error_locations(course, errors);
    let mut s = format!("✗ {} does not compile", ex.krate);
    if locations.is_empty() {
        s += &format!(
            " (errors above). Fix them, then run `cargo course check {}` again.\n",
            ex.id
        );
        return s;
    }
    s += ". The errors (above) are at:\n";
    for l in locations.iter().take(5) {
        match l.owner {
            Some(o) => s += &format!("    {}  ({}'s file)\n", l.at, o.id),
            None => s += &format!("    {}\n", l.at),
        }
    }
    if locations.len() > 5 {
        s += &format!("    … and {} more (all above)\n", locations.len() - 5);
    }
    let mut others: Vec<&Exercise> = Vec::new();
    for o in locations.iter().filter_map(|l| l.owner) {
        if o.id != ex.id && !others.iter().any(|e| e.id == o.id) {
            others.push(o);
        }
    }
    let own = locations
        .iter()
        .any(|l| l.owner.is_some_and(|o| o.id == ex.id));
    if !own && let Some(first) = others.first() {
        let ids: Vec<&str> = others.iter().map(|e| e.id.as_str()).collect();
        s += &format!(
            "  They are in {}'s code, not in {}'s, but {} builds with it: fix it there (or put {} \
             back to its stub with `cargo course reset {}`), then run `cargo course check {}` \
             again.\n",
            ids.join(", "),
            ex.id,
            ex.krate,
            first.id,
            first.id,
            ex.id
        );
    } else {
        s += &format!(
            "  Fix them, then run `cargo course check {}` again.\n",
            ex.id
        );
    }
    s
}

/// A `todo!()` (or `unimplemented!()`) that failing tests of `ex` stopped at in another
/// exercise's files: the exercise, the first place, and how many tests.
pub struct Unfinished<'a> {
    pub exercise: &'a Exercise,
    pub at: String,
    pub tests: usize,
}

/// The other exercises whose `todo!()`s the failing tests of `r` ran into, from the tests' panic
/// messages (`panicked at exercises/x/src/y.rs:4:5:` then `not yet implemented…`), in course order.
pub fn unfinished_prerequisites<'a>(
    course: &'a Course,
    ex: &Exercise,
    r: &ExerciseResult,
) -> Vec<Unfinished<'a>> {
    let mut found: Vec<Unfinished> = Vec::new();
    for t in r.tests.iter().filter(|t| !t.passed) {
        let Some(at) = todo_location(&t.message) else {
            continue;
        };
        let path = at.split(':').next().unwrap_or_default();
        let Some(o) = owner(course, path).filter(|o| o.id != ex.id) else {
            continue;
        };
        match found.iter_mut().find(|u| u.exercise.id == o.id) {
            Some(u) => u.tests += 1,
            None => found.push(Unfinished {
                exercise: o,
                at: at.to_string(),
                tests: 1,
            }),
        }
    }
    let order = |id: &str| course.manifest.exercises.iter().position(|e| e.id == id);
    found.sort_by_key(|u| order(&u.exercise.id));
    found
}

/// Where a panic message says a `todo!()` or `unimplemented!()` panicked, without the column.
fn todo_location(message: &str) -> Option<&str> {
    let mut lines = message.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.split_once("panicked at ").map(|(_, r)| r) else {
            continue;
        };
        let what = lines.next().unwrap_or_default();
        if what.starts_with("not yet implemented") || what.starts_with("not implemented") {
            let at = rest.trim_end().trim_end_matches(':');
            // `file:line:col` → `file:line`
            return Some(at.rsplit_once(':').map_or(at, |(fl, _)| fl));
        }
    }
    None
}

/// The note printed after the verdicts when tests stopped at another exercise's `todo!()`.
pub fn unfinished_note(ex: &Exercise, unfinished: &[Unfinished]) -> String {
    let mut s = String::new();
    for u in unfinished {
        s += &format!(
            "\nnote: {} of these tests stop at a todo!() in {}'s code ({}): {} runs your code \
             from {}, which is not done yet. Finish it first: `cargo course check {}`.\n",
            u.tests, u.exercise.id, u.at, ex.id, u.exercise.id, u.exercise.id
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_todo_location_is_read_from_the_panic_and_only_for_todo_panics() {
        let todo =
            "thread 't' panicked at exercises/arith/src/add.rs:4:5:\nnot yet implemented: add 7";
        assert_eq!(todo_location(todo), Some("exercises/arith/src/add.rs:4"));
        let unimpl = "thread 't' panicked at src/x.rs:9:1:\nnot implemented";
        assert_eq!(todo_location(unimpl), Some("src/x.rs:9"));
        let assert =
            "thread 't' panicked at tests/chapters/ch01.rs:4:5:\nassertion `left == right` failed";
        assert_eq!(todo_location(assert), None);
    }
}
