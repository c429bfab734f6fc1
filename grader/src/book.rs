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

/// One Markdown page of the book: its path, its path relative to `src/` (with `/`), its text.
pub struct Page {
    pub path: PathBuf,
    pub rel: String,
    pub text: String,
}

/// Every `.md` file under `src`, in file-name order (unreadable files are left out). Shared by
/// the include check, the doctests and the tests that read the book.
pub fn pages(src: &Path) -> Vec<Page> {
    walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let rel = e.path().strip_prefix(src).unwrap_or(e.path());
            Some(Page {
                rel: rel.to_string_lossy().replace('\\', "/"),
                path: e.path().to_path_buf(),
                text,
            })
        })
        .collect()
}

/// One `{{#include file}}` or `{{#include file:selector}}` directive of a page.
pub struct Include<'a> {
    /// Its line, counted from 1.
    pub line: usize,
    /// The file, relative to the page's folder.
    pub file: &'a str,
    /// What follows the first `:`: an anchor name, or a line range (`2`, `2:5`, `:5`).
    pub selector: Option<&'a str>,
    /// Inside a fenced code block (a listing), not in the prose.
    pub in_fence: bool,
}

impl<'a> Include<'a> {
    /// The anchor name, if the selector is one rather than a line range.
    pub fn anchor(&self) -> Option<&'a str> {
        self.selector
            .filter(|a| !a.chars().all(|c| c.is_ascii_digit() || c == ':'))
    }
}

/// Every include directive of a page's text, in order.
pub fn includes(text: &str) -> Vec<Include<'_>> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("{{#include ") {
            let after = &rest[start + "{{#include ".len()..];
            let Some(end) = after.find("}}") else { break };
            let spec = after[..end].trim();
            rest = &after[end..];
            let (file, selector) = match spec.split_once(':') {
                Some((f, s)) => (f, Some(s)),
                None => (spec, None),
            };
            found.push(Include {
                line: n + 1,
                file,
                selector,
                in_fence,
            });
        }
    }
    found
}

/// Every `{{#include path:anchor}}` in the book's pages must name a file that exists and, if an
/// anchor is given, an `ANCHOR: name` region inside it. Returns one message per broken include.
pub fn check_includes(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for Page {
        path,
        rel: page,
        text,
    } in pages(src)
    {
        for include in includes(&text) {
            let (file, line) = (include.file, include.line);
            let target = path.parent().unwrap_or(src).join(file);
            let Ok(body) = std::fs::read_to_string(&target) else {
                problems.push(format!(
                    "book/src/{page}:{line}: includes {file}, which does not exist"
                ));
                continue;
            };
            if let Some(a) = include.anchor()
                && !body.contains(&format!("ANCHOR: {a}"))
            {
                problems.push(format!(
                    "book/src/{page}:{line}: {file} has no `// ANCHOR: {a}` region"
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_include_of_a_missing_file_or_anchor_is_reported_with_its_page_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("part")).unwrap();
        std::fs::write(
            src.join("code.rs"),
            "// ANCHOR: api\nfn f() {}\n// ANCHOR_END: api\n",
        )
        .unwrap();
        std::fs::write(
            src.join("part/page.md"),
            "# Page\n{{#include ../code.rs:api}}\n{{#include ../code.rs:gone}}\n\
             {{#include ../missing.rs}}\n{{#include ../code.rs:2:3}}\n",
        )
        .unwrap();
        assert_eq!(
            check_includes(&src),
            [
                "book/src/part/page.md:3: ../code.rs has no `// ANCHOR: gone` region",
                "book/src/part/page.md:4: includes ../missing.rs, which does not exist",
            ]
        );
    }
}
