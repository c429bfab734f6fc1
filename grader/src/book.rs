//! `book`: build the HTML book through the mdbook-driver library (no `mdbook` install needed),
//! with the course's own preprocessor for figures (`figures`: ASCII drawings become inline SVG).

mod drawing;
pub mod figures;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use mdbook_driver::MDBook;

/// Build the book in `book_dir` into `out` (default: `book/build`). Returns the index page.
pub fn build(book_dir: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let mut book = MDBook::load(book_dir)
        .map_err(|e| anyhow!("{e:#}"))
        .with_context(|| format!("cannot load the book at {}", book_dir.display()))?;
    if let Some(out) = out {
        book.config.build.build_dir = out.to_path_buf();
    }
    // Runs after mdBook's own preprocessors, so a figure in an `{{#include}}`d file is drawn too.
    book.with_preprocessor(figures::Figures);
    // mdBook reports through `tracing` (a missing file, a broken link in SUMMARY.md, a search
    // index it could not write): show its warnings and errors, which nothing prints otherwise.
    let log = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::WARN)
        .without_time()
        .with_target(false)
        .finish();
    tracing::subscriber::with_default(log, || book.build())
        .map_err(|e| anyhow!("{e:#}"))
        .context("the book did not build")?;
    let dir = if book.config.build.build_dir.is_absolute() {
        book.config.build.build_dir.clone()
    } else {
        book_dir.join(&book.config.build.build_dir)
    };
    Ok(dir.join("index.html"))
}

/// Open a file in the desktop's browser.
pub fn open(path: &Path) -> Result<()> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .status()
        .with_context(|| {
            format!(
                "could not run `{opener}`: open {} in a browser yourself",
                path.display()
            )
        })?;
    Ok(())
}

/// Every `{{#include path:anchor}}` in the book's pages must name a file that exists and, if an
/// anchor is given, an `ANCHOR: name` region inside it. Returns one message per broken include.
pub fn check_includes(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let page = entry
            .path()
            .strip_prefix(src)
            .unwrap_or(entry.path())
            .display()
            .to_string();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("{{#include ") {
                let after = &rest[start + "{{#include ".len()..];
                let Some(end) = after.find("}}") else { break };
                let spec = after[..end].trim();
                rest = &after[end..];
                let (file, anchor) = match spec.rsplit_once(':') {
                    Some((f, a)) if !a.chars().all(|c| c.is_ascii_digit() || c == ':') => {
                        (f, Some(a))
                    }
                    Some((f, _)) => (f, None),
                    None => (spec, None),
                };
                let target = entry.path().parent().unwrap_or(src).join(file);
                let Ok(body) = std::fs::read_to_string(&target) else {
                    problems.push(format!(
                        "book/src/{page}:{}: includes {file}, which does not exist",
                        n + 1
                    ));
                    continue;
                };
                if let Some(a) = anchor
                    && !body.contains(&format!("ANCHOR: {a}"))
                {
                    problems.push(format!(
                        "book/src/{page}:{}: {file} has no `// ANCHOR: {a}` region",
                        n + 1
                    ));
                }
            }
        }
    }
    problems
}
