//! The book's third-party packages: a few pages show memray and pympler, which are not in the
//! standard library. Their 3.11 sessions run on a virtualenv under `target/` (one per base
//! interpreter version, e.g. `target/book-venv-3.11`) holding the exact versions pinned in
//! `book/requirements.txt`.
//!
//! Installing takes seconds and needs PyPI, so it happens only when needed: a stamp file in the
//! virtualenv records the hash of the requirements it was built from and the interpreter it was
//! built on. Same stamp: nothing to do. Other requirements: `pip install` again into the same
//! virtualenv. Another base interpreter (or no virtualenv yet): create it afresh first.
//!
//! Other versions (3.12, 3.13 sessions) run on their plain interpreters: the pages that import the
//! packages keep those blocks in the default 3.11 session.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::hash::Fnv1a;

/// The file, next to the book's `src/`, listing the packages with exact versions.
pub const REQUIREMENTS: &str = "requirements.txt";

/// What the virtualenv must have been built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The base interpreter the virtualenv was created with.
    pub base: String,
    /// FNV-1a of the requirements file's bytes, in hex.
    pub requirements: String,
}

impl Stamp {
    pub fn new(base: &Path, requirements: &[u8]) -> Stamp {
        let mut h = Fnv1a::default();
        h.field(requirements);
        Stamp {
            base: base.display().to_string(),
            requirements: format!("{:016x}", h.finish()),
        }
    }

    fn render(&self) -> String {
        format!("base {}\nrequirements {}\n", self.base, self.requirements)
    }

    fn parse(text: &str) -> Option<Stamp> {
        let mut base = None;
        let mut requirements = None;
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("base", v)) => base = Some(v.to_string()),
                Some(("requirements", v)) => requirements = Some(v.to_string()),
                _ => {}
            }
        }
        Some(Stamp {
            base: base?,
            requirements: requirements?,
        })
    }
}

/// One step of bringing the virtualenv up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `python -m venv --clear DIR`.
    Create,
    /// `DIR/bin/pip install -r requirements.txt`.
    Install,
}

/// The steps needed, given the stamp found (if any) and whether the virtualenv's python exists.
pub fn plan(found: Option<&Stamp>, venv_exists: bool, wanted: &Stamp) -> Vec<Step> {
    match found {
        Some(f) if venv_exists && f == wanted => vec![],
        // Same interpreter, other requirements; or no stamp, as after a failed or a by-hand
        // install: pip upgrades in place (and needs no network if all is already there).
        Some(f) if venv_exists && f.base == wanted.base => vec![Step::Install],
        None if venv_exists => vec![Step::Install],
        _ => vec![Step::Create, Step::Install],
    }
}

const STAMP_FILE: &str = "book-requirements.stamp";

/// Brings the virtualenv at `venv` up to `wanted`, running each planned step with `run`, and
/// writes the stamp only once every step succeeded. Returns the steps it ran.
pub fn ensure(
    venv: &Path,
    wanted: &Stamp,
    run: &mut dyn FnMut(Step) -> Result<()>,
) -> Result<Vec<Step>> {
    let stamp_path = venv.join(STAMP_FILE);
    let found = std::fs::read_to_string(&stamp_path)
        .ok()
        .and_then(|t| Stamp::parse(&t));
    let steps = plan(found.as_ref(), venv_python(venv).is_file(), wanted);
    if steps.is_empty() {
        return Ok(steps);
    }
    // A half-done install must not look finished if this one fails.
    let _ = std::fs::remove_file(&stamp_path);
    for &step in &steps {
        run(step)?;
    }
    std::fs::write(&stamp_path, wanted.render())
        .with_context(|| format!("cannot write {}", stamp_path.display()))?;
    Ok(steps)
}

pub fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin/python")
}

/// The interpreter a session of `version` runs on: for the primary version of a book that has a
/// `requirements.txt`, the virtualenv's python (created or updated first); otherwise `base`.
pub fn session_python(book_src: &Path, version: &str, base: PathBuf) -> Result<PathBuf> {
    let Some(book) = book_src.parent() else {
        return Ok(base);
    };
    let requirements = book.join(REQUIREMENTS);
    if version != super::PRIMARY || !requirements.is_file() {
        return Ok(base);
    }
    let text = std::fs::read(&requirements)
        .with_context(|| format!("cannot read {}", requirements.display()))?;
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t),
        None => book.parent().unwrap_or(book).join("target"),
    };
    let venv = target.join(format!("book-venv-{version}"));
    std::fs::create_dir_all(&target)?;
    // Two runs at once (`cargo test` runs `verify` while someone runs `cargo course doctest`)
    // must not build the same virtualenv together: the second waits, then finds it ready.
    let lock = File::create(target.join(format!("book-venv-{version}.lock")))?;
    lock.lock().context("cannot lock the book's virtualenv")?;
    let wanted = Stamp::new(&base, &text);
    ensure(&venv, &wanted, &mut |step| match step {
        Step::Create => create(&base, &venv),
        Step::Install => install(&venv, &requirements, &text),
    })?;
    Ok(venv_python(&venv))
}

fn create(base: &Path, venv: &Path) -> Result<()> {
    eprintln!(
        "creating a virtualenv for the book's examples in {}…",
        venv.display()
    );
    let out = Command::new(base)
        .args(["-m", "venv", "--clear"])
        .arg(venv)
        .output()
        .with_context(|| format!("cannot run {}", base.display()))?;
    if !out.status.success() {
        bail!(
            "`{} -m venv` failed, so the book's PyPI packages cannot be installed:\n{}\n\
             On Debian or Ubuntu the venv module is a separate package: \
             `apt-get install python3-venv` (or python3.11-venv).",
            base.display(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    }
    Ok(())
}

fn install(venv: &Path, requirements: &Path, text: &[u8]) -> Result<()> {
    eprintln!(
        "installing the book's PyPI packages ({})…",
        top_level_names(&String::from_utf8_lossy(text)).join(", ")
    );
    let out = Command::new(venv_python(venv))
        .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
        // Fail in about a minute, not several, when PyPI cannot be reached.
        .args(["--retries", "1", "--timeout", "20", "-r"])
        .arg(requirements)
        .output()
        .context("cannot run pip in the book's virtualenv")?;
    if !out.status.success() {
        bail!(
            "could not install the book's PyPI packages (is PyPI reachable?). pip said:\n{}\n\
             Install the exact versions listed in {req} by hand into the virtualenv, e.g. from \
             wheels copied to a folder DIR:\n    {pip} install --no-index --find-links DIR -r {req}\n\
             then run again.",
            String::from_utf8_lossy(&out.stderr).trim_end(),
            req = requirements.display(),
            pip = venv.join("bin/pip").display(),
        );
    }
    // 3.11's venv also installs setuptools, whose `distutils-precedence.pth` runs at every start
    // and leaves the interpreter in another state than a plain one (three more dicts on the free
    // list: `mallocstats.md` prints that list). The pages need only the pinned packages.
    let out = Command::new(venv_python(venv))
        .args(["-m", "pip", "uninstall", "-y", "-q", "setuptools"])
        .output()
        .context("cannot run pip in the book's virtualenv")?;
    if !out.status.success() {
        bail!(
            "could not remove setuptools from the book's virtualenv:\n{}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    }
    Ok(())
}

/// The packages the pages import: the requirement lines not marked `# via` (a dependency).
fn top_level_names(requirements: &str) -> Vec<&str> {
    requirements
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains("# via"))
        .map(|l| l.split(['=', '<', '>', '~', ' ', ';']).next().unwrap_or(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `ensure` with steps that only pretend (Create makes an empty `bin/python`), and
    /// returns the steps it took.
    fn sync(venv: &Path, wanted: &Stamp) -> Vec<Step> {
        ensure(venv, wanted, &mut |step| {
            if step == Step::Create {
                std::fs::create_dir_all(venv.join("bin"))?;
                std::fs::write(venv_python(venv), "")?;
            }
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn a_new_venv_is_created_then_reused_until_the_requirements_change() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path().join("venv");
        let python = Path::new("/usr/bin/python3.11");
        let v1 = Stamp::new(python, b"memray==1.20.0\n");
        assert_eq!(sync(&venv, &v1), [Step::Create, Step::Install]);
        assert_eq!(sync(&venv, &v1), [], "unchanged: nothing to do");
        let v2 = Stamp::new(python, b"memray==1.20.0\nPympler==1.1\n");
        assert_ne!(v1, v2);
        assert_eq!(sync(&venv, &v2), [Step::Install], "changed: reinstall");
        assert_eq!(sync(&venv, &v2), []);
        let other_base = Stamp::new(
            Path::new("/opt/python3.11"),
            b"memray==1.20.0\nPympler==1.1\n",
        );
        assert_eq!(sync(&venv, &other_base), [Step::Create, Step::Install]);
    }

    #[test]
    fn a_failed_install_is_retried_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path().join("venv");
        let wanted = Stamp::new(Path::new("/usr/bin/python3.11"), b"Pympler==1.1\n");
        sync(&venv, &wanted);
        let newer = Stamp::new(Path::new("/usr/bin/python3.11"), b"Pympler==1.2\n");
        let failed = ensure(&venv, &newer, &mut |_| bail!("PyPI unreachable"));
        assert!(failed.is_err());
        assert_eq!(sync(&venv, &newer), [Step::Install]);
        // A venv whose python was deleted is rebuilt even with a matching stamp.
        std::fs::remove_file(venv_python(&venv)).unwrap();
        assert_eq!(sync(&venv, &newer), [Step::Create, Step::Install]);
    }

    #[test]
    fn the_progress_line_names_the_packages_the_pages_use() {
        let text = "# comment\nmemray==1.20.0\nPympler==1.1\nrich==15.0.0  # via memray\n";
        assert_eq!(top_level_names(text), ["memray", "Pympler"]);
    }
}
