//! The book's Python examples are doctests: every ```python block holding `>>>` prompts is run with
//! `python -m doctest` on CPython, and a mismatch is reported with its page and line.
//!
//! Rules (also in the instructor guide):
//! - Unmarked blocks of a page run together, in order, as ONE session on CPython 3.11 (the course's
//!   fidelity target): a later block may use names an earlier one defined.
//! - A block marked ```` ```python,cpython=3.12 ```` runs only on that version, with the page's
//!   other blocks for the same version, as a separate session. When that interpreter is absent the
//!   blocks are skipped with a note; 3.11 is required.
//! - ```` ```python,no-doctest ```` opts a block out (say why in the prose).
//! - ELLIPSIS is on, so `...` in the expected output matches anything (addresses, timings).
//! - The 3.11 sessions may import the PyPI packages pinned in `book/requirements.txt`: they run
//!   in a virtualenv under `target/` that `pypi` keeps up to date. Other versions: stdlib only.
//! - Sessions may import the book's C extensions (`book/cext/*.c`), which `cext` compiles for the
//!   session's interpreter and puts on `PYTHONPATH`; a C file that does not compile fails the run.
//!
//! The extracted file keeps every block line at its line number in the page (other lines are
//! blanked), so doctest's own "line N" is the page's line N.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

mod cext;
mod pypi;

pub const PRIMARY: &str = "3.11";

/// The doctest blocks of one page for one CPython version, as a line-preserving text.
#[derive(Debug, PartialEq, Eq)]
pub struct Session {
    pub version: String,
    pub blocks: usize,
    pub text: String,
}

/// Split a page into one session per version.
pub fn extract(page: &str) -> Vec<Session> {
    let lines: Vec<&str> = page.lines().collect();
    let mut by_version: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let Some(fence) = fence_of(trimmed) else {
            i += 1;
            continue;
        };
        let info = trimmed[fence.len()..].trim();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_start().starts_with(fence) && lines[j].trim() == fence)
            .unwrap_or(lines.len());
        let mut parts = info.split(',').map(str::trim);
        let is_python = parts.next() == Some("python");
        let mut version = PRIMARY.to_string();
        let mut run = is_python;
        for attr in parts {
            if let Some(v) = attr.strip_prefix("cpython=") {
                version = v.to_string();
            } else if attr == "no-doctest" {
                run = false;
            }
        }
        let body = &lines[i + 1..end];
        if run && body.iter().any(|l| l.trim_start().starts_with(">>>")) {
            let entry = by_version
                .entry(version)
                .or_insert_with(|| (0, vec![String::new(); lines.len()]));
            entry.0 += 1;
            for (k, l) in body.iter().enumerate() {
                entry.1[i + 1 + k] = l.to_string();
            }
        }
        i = end + 1;
    }
    by_version
        .into_iter()
        .map(|(version, (blocks, text))| Session {
            version,
            blocks,
            text: text.join("\n") + "\n",
        })
        .collect()
}

fn fence_of(line: &str) -> Option<&str> {
    let n = line.chars().take_while(|&c| c == '`').count();
    (n >= 3).then(|| &line[..n])
}

/// The outcome of running the whole book.
#[derive(Debug, Default)]
pub struct Report {
    /// Blocks run, per version.
    pub ran: BTreeMap<String, usize>,
    /// Blocks skipped because that interpreter is absent, per version.
    pub skipped: BTreeMap<String, usize>,
    /// One entry per failing session: doctest's report, paths rewritten to `book/src/<page>`.
    pub failures: Vec<String>,
}

/// Find the interpreter for `version` (e.g. "3.12"): `pythonX.Y` on PATH, pyenv's, or `python3`.
pub fn interpreter(version: &str) -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from(format!("python{version}"))];
    if let Ok(out) = Command::new("pyenv").args(["prefix", version]).output()
        && out.status.success()
    {
        let prefix = String::from_utf8_lossy(&out.stdout).trim().to_string();
        candidates.push(Path::new(&prefix).join(format!("bin/python{version}")));
    }
    candidates.push(PathBuf::from("python3"));
    candidates.into_iter().find(|c| reports_version(c, version))
}

fn reports_version(python: &Path, version: &str) -> bool {
    Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == version)
}

/// Run every doctest under `src` (the book's `src/`). Errors only if the run itself is impossible
/// (no CPython 3.11); failing examples are in the report.
pub fn run_book(src: &Path) -> Result<Report> {
    let pages: Vec<(String, Vec<Session>)> = crate::book::pages(src)
        .into_iter()
        .map(|page| (page.rel, extract(&page.text)))
        .filter(|(_, sessions)| !sessions.is_empty())
        .collect();
    let mut report = Report::default();
    let mut pythons: BTreeMap<String, Option<PathBuf>> = BTreeMap::new();
    let tmp = tempfile::tempdir()?;
    let mut extensions = cext::Extensions::find(src)?;
    for (page, sessions) in &pages {
        for s in sessions {
            if !pythons.contains_key(&s.version) {
                let found = interpreter(&s.version)
                    .map(|base| pypi::session_python(src, &s.version, base))
                    .transpose()?;
                pythons.insert(s.version.clone(), found);
            }
            let python = pythons[&s.version].clone();
            let Some(python) = python else {
                if s.version == PRIMARY {
                    bail!(
                        "CPython {PRIMARY} is needed to check the book's examples, and none was found \
                         (tried python{PRIMARY}, pyenv, python3). Install it, e.g. `pyenv install {PRIMARY}`."
                    );
                }
                *report.skipped.entry(s.version.clone()).or_default() += s.blocks;
                continue;
            };
            let file = tmp.path().join(&s.version).join(page);
            std::fs::create_dir_all(file.parent().expect("a page has a folder"))?;
            std::fs::write(&file, &s.text)?;
            let mut cmd = Command::new(&python);
            if let Some(dir) =
                extensions.for_session(&s.version, &python, &s.text, &mut report.failures)
            {
                cmd.env("PYTHONPATH", cext::python_path(&dir));
            }
            let out = cmd
                .args(["-m", "doctest", "-o", "ELLIPSIS"])
                .arg(&file)
                .current_dir(tmp.path())
                .output()
                .with_context(|| format!("could not run {}", python.display()))?;
            *report.ran.entry(s.version.clone()).or_default() += s.blocks;
            if !out.status.success() {
                let text = String::from_utf8_lossy(&out.stdout).to_string()
                    + &String::from_utf8_lossy(&out.stderr);
                let shown = text.replace(&file.display().to_string(), &format!("book/src/{page}"));
                report.failures.push(format!(
                    "book/src/{page} (CPython {}):\n{}",
                    s.version,
                    shown.trim_end()
                ));
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# T\n\n```python\n>>> 1 + 1\n2\n```\n\ntext\n\n```python,cpython=3.12\n>>> x = 3\n```\n\n```python\nprint('no prompt: a listing')\n```\n\n```rust\n>>> not python\n```\n";

    #[test]
    fn blocks_keep_their_line_numbers_and_split_by_version() {
        let s = extract(PAGE);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].version, "3.11");
        assert_eq!(s[0].blocks, 1);
        let lines: Vec<&str> = s[0].text.lines().collect();
        assert_eq!(
            lines[3], ">>> 1 + 1",
            "line 4 of the page is line 4 of the session"
        );
        assert_eq!(lines[4], "2");
        assert!(!s[0].text.contains("x = 3") && !s[0].text.contains("not python"));
        assert_eq!(s[1].version, "3.12");
        assert_eq!(s[1].text.lines().nth(10), Some(">>> x = 3"));
    }

    #[test]
    fn no_doctest_blocks_are_left_out() {
        assert!(extract("```python,no-doctest\n>>> 1\n2\n```\n").is_empty());
    }

    #[test]
    fn a_mismatch_is_reported_with_page_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let page = "# Page\n\nSome prose.\n\n```python\n>>> 6 * 7\n41\n```\n";
        std::fs::create_dir_all(dir.path().join("part")).unwrap();
        std::fs::write(dir.path().join("part/p.md"), page).unwrap();
        let report = run_book(dir.path()).unwrap();
        assert_eq!(report.failures.len(), 1);
        let f = &report.failures[0];
        assert!(f.contains("File \"book/src/part/p.md\", line 6"), "{f}");
        assert!(f.contains("Expected:\n    41\nGot:\n    42"), "{f}");
    }
}
