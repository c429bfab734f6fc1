//! The book's C extensions: small modules in `book/cext/*.c` (one module per file, named after
//! it) that the Part II pages include and import. Before the sessions of a CPython version run,
//! every one of them is compiled with gcc against that interpreter's own headers into
//! `target/cext/<version>/`, and the sessions get that folder on `PYTHONPATH`.
//!
//! 3.11 sessions always get a build (so a C file that does not compile fails the run even if no
//! page imports it yet); other versions only when one of their sessions imports an extension,
//! so a machine without, say, 3.12's headers can still check the rest of the book.
//!
//! A module is rebuilt only when its `.so` is older than its source or than the interpreter's
//! `Python.h`. A compile error fails the run with gcc's message, paths shown as `book/cext/…`.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

/// The folder, next to the book's `src/`, holding the extensions' C sources.
pub const SOURCES: &str = "cext";

/// The book's C extensions, and what has been built of them in this run.
pub struct Extensions {
    sources: Vec<PathBuf>,
    /// `target/cext`: one sub-folder per CPython version.
    out: PathBuf,
    /// Per version: the folder for `PYTHONPATH`, or None when the build failed (reported once).
    built: BTreeMap<String, Option<PathBuf>>,
}

impl Extensions {
    /// The extensions of the book whose `src/` folder is `book_src` (none if it has no `cext/`).
    pub fn find(book_src: &Path) -> Result<Extensions> {
        let book = book_src.parent().unwrap_or(book_src);
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(t) => PathBuf::from(t),
            None => book.parent().unwrap_or(book).join("target"),
        };
        Extensions::at(book_src, &target)
    }

    /// The same, building into `target/cext`.
    pub fn at(book_src: &Path, target: &Path) -> Result<Extensions> {
        let book = book_src.parent().unwrap_or(book_src);
        let dir = book.join(SOURCES);
        let mut sources = Vec::new();
        if dir.is_dir() {
            for entry in
                std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
            {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "c") {
                    sources.push(path);
                }
            }
        }
        sources.sort();
        Ok(Extensions {
            sources,
            out: target.join("cext"),
            built: BTreeMap::new(),
        })
    }

    /// The module names (`leak` for `book/cext/leak.c`).
    pub fn modules(&self) -> Vec<String> {
        self.sources.iter().map(|s| module_name(s)).collect()
    }

    /// The folder to put on `PYTHONPATH` for a session of `version` run by `python`, building the
    /// extensions for that version first if this session needs them. A failed build is added to
    /// `failures` the first time only; its sessions then run without the extensions.
    pub fn for_session(
        &mut self,
        version: &str,
        python: &Path,
        session: &str,
        failures: &mut Vec<String>,
    ) -> Option<PathBuf> {
        if let Some(done) = self.built.get(version) {
            return done.clone();
        }
        let needed = version == super::PRIMARY || imports_any(session, &self.modules());
        if self.sources.is_empty() || !needed {
            return None;
        }
        let dir = self.out.join(version);
        let done = match build_all(python, version, &self.sources, &dir) {
            // Absolute: the sessions run in a temporary folder.
            Ok(()) => Some(std::fs::canonicalize(&dir).unwrap_or(dir)),
            Err(e) => {
                failures.push(format!("{e:#}"));
                None
            }
        };
        self.built.insert(version.to_string(), done.clone());
        done
    }
}

/// `PYTHONPATH` with `dir` in front of what the environment already had.
pub fn python_path(dir: &Path) -> std::ffi::OsString {
    let mut parts = vec![dir.to_path_buf()];
    if let Some(old) = std::env::var_os("PYTHONPATH") {
        parts.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(parts).unwrap_or_else(|_| dir.as_os_str().to_owned())
}

fn module_name(source: &Path) -> String {
    source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `text` imports one of `modules` (`import leak`, `import sys, leak`, `from leak import`).
pub fn imports_any(text: &str, modules: &[String]) -> bool {
    text.lines().any(|line| {
        let code = line
            .trim_start()
            .trim_start_matches(">>>")
            .trim_start_matches("...")
            .trim();
        let names: Vec<&str> = if let Some(rest) = code.strip_prefix("import ") {
            rest.split(',')
                .map(|n| n.split_whitespace().next().unwrap_or(""))
                .collect()
        } else if let Some(rest) = code.strip_prefix("from ") {
            rest.split_whitespace().next().into_iter().collect()
        } else {
            Vec::new()
        };
        names
            .iter()
            .any(|n| modules.iter().any(|m| n.split('.').next() == Some(m)))
    })
}

/// Where `python` keeps its C headers, and the file-name suffix it imports extensions by.
struct Headers {
    include: PathBuf,
    ext_suffix: String,
}

fn headers(python: &Path, version: &str) -> Result<Headers> {
    let out = Command::new(python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['include']); \
             print(sysconfig.get_config_var('EXT_SUFFIX'))",
        ])
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let (Some(include), Some(ext_suffix)) = (lines.next(), lines.next()) else {
        bail!(
            "{} did not say where its C headers are:\n{}",
            python.display(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    };
    let include = PathBuf::from(include);
    if !include.join("Python.h").is_file() {
        bail!(
            "the book's C extensions (book/{SOURCES}/*.c) need CPython {version}'s C headers, and \
             {} has none ({} is missing). pyenv builds include them; on Debian or Ubuntu install \
             them with `apt-get install python3-dev` (or python{version}-dev).",
            python.display(),
            include.join("Python.h").display()
        );
    }
    Ok(Headers {
        include,
        ext_suffix: ext_suffix.to_string(),
    })
}

/// Compile every source for `python` into `dir`.
fn build_all(python: &Path, version: &str, sources: &[PathBuf], dir: &Path) -> Result<()> {
    let headers = headers(python, version)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Two runs at once (`cargo test` runs `verify` while someone runs `cargo course doctest`)
    // must not write the same module together: the second waits, then finds it up to date.
    let lock = File::create(dir.with_file_name(format!("{version}.lock")))?;
    lock.lock()
        .context("cannot lock the book's C extension folder")?;
    let python_h = modified(&headers.include.join("Python.h"));
    for source in sources {
        let module = dir.join(format!("{}{}", module_name(source), headers.ext_suffix));
        let built = modified(&module);
        if built.is_some() && built >= modified(source) && built >= python_h {
            continue;
        }
        compile(source, &headers, &module, version)?;
    }
    Ok(())
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The flags every extension is built with: warnings are errors, since the book shows this code.
const GCC_FLAGS: [&str; 5] = ["-shared", "-fPIC", "-O1", "-Wall", "-Werror"];

fn compile(source: &Path, headers: &Headers, module: &Path, version: &str) -> Result<()> {
    let shown = format!(
        "book/{SOURCES}/{}",
        source.file_name().unwrap_or_default().to_string_lossy()
    );
    // Written beside the module, then renamed: a half-written .so is never importable.
    let partial = module.with_extension("partial");
    let out = Command::new("gcc")
        .args(GCC_FLAGS)
        .arg("-I")
        .arg(&headers.include)
        .arg("-o")
        .arg(&partial)
        .arg(source)
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "gcc is needed to build the book's C extensions (book/{SOURCES}/*.c) and was not \
             found: install it (Debian or Ubuntu: `apt-get install gcc`)"
        ),
        Err(e) => return Err(e).context("cannot run gcc"),
    };
    if !out.status.success() {
        let _ = std::fs::remove_file(&partial);
        let said =
            String::from_utf8_lossy(&out.stderr).replace(&source.display().to_string(), &shown);
        bail!(
            "{shown} does not compile for CPython {version} (gcc {}):\n{}",
            GCC_FLAGS.join(" "),
            said.trim_end()
        );
    }
    std::fs::rename(&partial, module)
        .with_context(|| format!("cannot move the built {shown} to {}", module.display()))
}

#[cfg(test)]
mod tests;
