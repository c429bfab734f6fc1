//! `reset ID`: put an exercise's files back to the stub the course shipped, keeping a backup of
//! what they held.
//!
//! Where the stub comes from, in this order:
//!
//! 1. `.course-stubs/exercises/<crate>/<file>`: the student edition (`cargo course edition`)
//!    writes a copy of every exercise's files there, next to the exercises themselves. It is the
//!    stub as the course shipped it, whatever the student has committed since (a student who
//!    commits their work makes `git show HEAD:…` their own code), and it needs neither git nor a
//!    network: a course downloaded as a zip can reset too. A newer edition brings its own copy
//!    along with its new stubs, so the two never disagree.
//! 2. Git, for a course without that copy (the maintainers' checkout, an edition from before
//!    it): the newest committed version of the file that still has a `todo!()`. A student's
//!    committed solution has none left, so this skips it and finds the stub below it; where a
//!    maintainer committed the stub last (their own checkout), it is the file at `HEAD`. A student
//!    who committed half-done work with a `todo!()` left would get that back, so the commit is
//!    named before anything is replaced.
//!
//! If neither has it, nothing is changed and the message says what to do.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use super::State;
use crate::course::Course;

/// Where the student edition keeps the exercises' files as shipped, relative to the course root.
pub const STUBS_DIR: &str = ".course-stubs";
/// Where `reset` keeps the files it replaced.
pub const BACKUP_DIR: &str = ".course-backup";

/// One file's stub and where it was found.
struct Stub {
    /// Relative to the course root: `exercises/<crate>/<file>`.
    rel: String,
    text: Vec<u8>,
    from: String,
}

/// The stub of `rel` (`exercises/<crate>/<file>`), or why it cannot be found.
fn find_stub(root: &Path, rel: &str) -> Result<Stub, String> {
    let copy = root.join(STUBS_DIR).join(rel);
    if let Ok(text) = std::fs::read(&copy) {
        return Ok(Stub {
            rel: rel.to_string(),
            text,
            from: format!("{STUBS_DIR}/ (the stubs this edition of the course shipped)"),
        });
    }
    let no_copy = format!("there is no {STUBS_DIR}/{rel} (the student edition keeps one)");
    from_git(root, rel).map_err(|why| format!("{no_copy}, and {why}"))
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root);
    cmd
}

fn has_todo(text: &[u8]) -> bool {
    let text = String::from_utf8_lossy(text);
    text.contains("todo!(") || text.contains("unimplemented!(")
}

fn from_git(root: &Path, rel: &str) -> Result<Stub, String> {
    let log = git(root)
        .args([
            "log",
            "--format=%H%x09%h of %ad, \"%s\"",
            "--date=short",
            "-n",
            "500",
        ])
        .args(["--", rel])
        .output()
        .map_err(|_| "git is not installed to look in the course's history".to_string())?;
    if !log.status.success() {
        return Err("the course is not a git repository, so it has no history to look in".into());
    }
    let text = String::from_utf8_lossy(&log.stdout).into_owned();
    let mut versions = 0;
    for line in text.lines() {
        let Some((hash, about)) = line.split_once('\t') else {
            continue;
        };
        // `./` makes the path relative to the course root, which may sit inside the repository.
        let show = git(root)
            .arg("show")
            .arg(format!("{hash}:./{rel}"))
            .output();
        let Some(show) = show.ok().filter(|s| s.status.success()) else {
            continue; // the commit deleted the file
        };
        versions += 1;
        if has_todo(&show.stdout) {
            return Ok(Stub {
                rel: rel.to_string(),
                text: show.stdout,
                from: format!("git commit {about} (its newest version with todo!()s left)"),
            });
        }
    }
    Err(match versions {
        0 => "git has no committed version of it".to_string(),
        n => format!("none of its {n} committed version(s) still has a todo!()"),
    })
}

/// `reset ID [--yes]`. Ok(true) when the exercise is at its stub afterwards, Ok(false) when the
/// student said no.
pub fn reset(course: &Course, id: &str, yes: bool) -> Result<bool> {
    let ex = course
        .manifest
        .find(id)
        .ok_or_else(|| course.manifest.unknown_id_error(id))?;
    let mut stubs = Vec::new();
    let mut missing = Vec::new();
    for f in &ex.files {
        let rel = format!("exercises/{}/{f}", ex.krate);
        match find_stub(&course.root, &rel) {
            Ok(s) => stubs.push(s),
            Err(why) => missing.push(format!("  {rel}: {why}")),
        }
    }
    if !missing.is_empty() {
        bail!(
            "cannot reset {id}: the stub of its file(s) cannot be found, so nothing was changed.\n{}\n\
             Get the file(s) from the course's repository as published (the same path), or ask your \
             instructor for them; then `cargo course check {id}`.",
            missing.join("\n")
        );
    }
    // Only what differs from the stub is replaced (and backed up); a deleted file is restored.
    let changed: Vec<&Stub> = stubs
        .iter()
        .filter(|s| std::fs::read(course.root.join(&s.rel)).ok().as_deref() != Some(&s.text[..]))
        .collect();
    let mut state = State::load(course);
    if changed.is_empty() {
        println!("{id}'s files are already its stub: nothing to put back.");
        if clear_progress(&mut state, id) {
            state.save(course)?;
            println!("Its progress is cleared: `cargo course list` shows it as not started.");
        }
        return Ok(true);
    }
    let names: Vec<&str> = changed.iter().map(|s| s.rel.as_str()).collect();
    if !yes && !confirm(id, &names)? {
        println!("Nothing changed. (`cargo course reset {id} --yes` resets without asking.)");
        return Ok(false);
    }
    let backed_up = backup(&course.root, id, &changed)?;
    for s in &changed {
        let path = course.root.join(&s.rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, &s.text).with_context(|| format!("writing {}", path.display()))?;
    }
    clear_progress(&mut state, id);
    state.save(course)?;

    println!("Reset {id} to its stub:");
    for s in &changed {
        println!("  {}: from {}", s.rel, s.from);
    }
    for copy in &backed_up {
        let copy = copy.strip_prefix(&course.root).unwrap_or(copy);
        println!("Your version is kept in {}", copy.display());
    }
    println!(
        "Its progress is cleared (the hints you have seen stay seen). Start again: read \
         book/src/{}, then `cargo course check {id}`.",
        ex.chapter
    );
    Ok(true)
}

/// Forget the last check of `id`: its files are no longer the ones checked.
fn clear_progress(state: &mut State, id: &str) -> bool {
    state
        .exercises
        .get_mut(id)
        .is_some_and(|e| e.last.take().is_some())
}

/// Ask on the terminal; anything but y/yes (or no answer at all) is a no.
fn confirm(id: &str, files: &[&str]) -> Result<bool> {
    print!(
        "Reset {id}? Your changes to {} will be replaced by the stub (a copy goes to \
         {BACKUP_DIR}/) [y/N] ",
        files.join(", ")
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    let stdin = std::io::stdin();
    stdin.lock().read_line(&mut answer)?;
    // A terminal echoed the answer and its Enter; an answer piped in (or none) did not.
    if !stdin.is_terminal() {
        println!();
    }
    let answer = answer.trim().to_ascii_lowercase();
    Ok(answer == "y" || answer == "yes")
}

/// Copy the files about to be replaced (those that exist) into a new
/// `.course-backup/<id>-<UTC time>/`, under their course paths. Returns the copies.
fn backup(root: &Path, id: &str, stubs: &[&Stub]) -> Result<Vec<PathBuf>> {
    let existing: Vec<&&Stub> = stubs
        .iter()
        .filter(|s| root.join(&s.rel).is_file())
        .collect();
    if existing.is_empty() {
        return Ok(Vec::new());
    }
    let base = root.join(BACKUP_DIR);
    std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    // Backups are the student's own, never part of a commit or a submission.
    let ignore = base.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Written by `cargo course reset`: backups stay out of git.\n*\n",
        )?;
    }
    let stamp = utc_stamp(SystemTime::now());
    let mut dir = base.join(format!("{id}-{stamp}"));
    let mut n = 2;
    while dir.exists() {
        dir = base.join(format!("{id}-{stamp}-{n}"));
        n += 1;
    }
    let mut copies = Vec::new();
    for s in existing {
        let to = dir.join(&s.rel);
        std::fs::create_dir_all(to.parent().expect("a file path has a parent"))?;
        std::fs::copy(root.join(&s.rel), &to)
            .with_context(|| format!("backing up {} to {}", s.rel, to.display()))?;
        copies.push(to);
    }
    Ok(copies)
}

/// `YYYYMMDD-HHMMSS` in UTC (no time-zone database needed; the name only has to sort and be
/// unique).
fn utc_stamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn backup_names_carry_the_utc_date_and_time() {
        assert_eq!(utc_stamp(UNIX_EPOCH), "19700101-000000");
        // 2000-02-29 (a leap day of a century leap year) 12:34:56 UTC.
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400 + 12 * 3600 + 34 * 60 + 56);
        assert_eq!(utc_stamp(t), "20000229-123456");
    }
}
