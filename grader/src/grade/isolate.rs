//! Compile errors cost only the exercises whose files they point into: those files are put back
//! to the stub and the crate rebuilt (a few rounds), so a broken `mul.rs` does not cost the points
//! of a working `add.rs`.

use std::path::PathBuf;

use anyhow::Result;

use super::Options;
use super::sandbox::Sandbox;
use crate::cargo::Build;
use crate::manifest::Exercise;

fn build(opts: &Options, sandbox: &Sandbox, krate: &str) -> Result<Build> {
    sandbox.build(krate, Some(opts.build_timeout))
}

/// Exercises lost to compile errors, each with the compiler's errors.
pub(super) type Lost<'a> = Vec<(&'a Exercise, String)>;

/// Build the crate; if it does not compile, put the files the errors point into back to the
/// stub and try again (a few rounds), so only the exercises owning those files lose their points.
/// Returns the binary (if a build succeeded) and the exercises lost to compile errors.
pub(super) fn build_isolating<'a>(
    opts: &Options,
    sandbox: &Sandbox,
    krate: &str,
    candidates: &[&'a Exercise],
    student_files: &[String],
    notes: &mut Vec<String>,
) -> Result<(Option<PathBuf>, Lost<'a>)> {
    const ROUNDS: usize = 3;
    let prefix = format!("{krate}/");
    let mut blamed: Lost<'a> = Vec::new();
    for _ in 0..ROUNDS {
        let (errors, files) = match build(opts, sandbox, krate)? {
            Build::Built(p) => return Ok((Some(p), blamed)),
            Build::Failed { errors, files } => (errors, files),
            // Not worth a second try: every exercise of the crate is lost to it.
            Build::TimedOut { errors } => {
                return Ok((
                    None,
                    candidates.iter().map(|ex| (*ex, errors.clone())).collect(),
                ));
            }
        };
        let broken: Option<Vec<&str>> = files.iter().map(|f| f.strip_prefix(&prefix)).collect();
        let Some(broken) = broken.filter(|b| !b.is_empty()) else {
            break; // errors outside the crate's own files: nothing to isolate
        };
        // Errors in the student's own files: put those files back to the course's version.
        let mut changed = false;
        for f in &broken {
            if student_files.iter().any(|s| s == f) {
                sandbox.restore(krate, f)?;
                changed = true;
            }
        }
        for ex in candidates {
            let owns = ex.files.iter().any(|f| broken.contains(&f.as_str()));
            if owns && !blamed.iter().any(|(b, _)| b.id == ex.id) {
                for f in &ex.files {
                    sandbox.restore(krate, f)?;
                }
                blamed.push((ex, errors.clone()));
                changed = true;
            }
        }
        if blamed.len() == candidates.len() {
            return Ok((None, blamed));
        }
        if !changed {
            break; // the errors point elsewhere (e.g. into the tests): try the fallback below
        }
    }
    // Errors the exercises' own files do not explain (say, an edited lib.rs that drops a module
    // the tests use): set aside the student's other files of this crate and try once more.
    let extras: Vec<&String> = student_files
        .iter()
        .filter(|f| !candidates.iter().any(|ex| ex.files.contains(f)))
        .collect();
    for f in &extras {
        sandbox.restore(krate, f)?;
    }
    let errors = match build(opts, sandbox, krate)? {
        Build::Built(p) => {
            if !extras.is_empty() {
                let list: Vec<&str> = extras.iter().map(|f| f.as_str()).collect();
                notes.push(format!(
                    "exercises/{krate} did not compile with your {}; graded with the course's version instead",
                    list.join(", ")
                ));
            }
            return Ok((Some(p), blamed));
        }
        Build::Failed { errors, .. } | Build::TimedOut { errors } => errors,
    };
    // Could not narrow it down: the whole crate's exercises are lost to the compile error.
    Ok((
        None,
        candidates.iter().map(|ex| (*ex, errors.clone())).collect(),
    ))
}
