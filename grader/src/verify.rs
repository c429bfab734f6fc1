//! `verify`: the maintainer's proof that the course is consistent — manifest ↔ crates ↔ test
//! modules ↔ book pages agree, every test passes on the solutions, every non-given test fails on
//! the stubs, stub and solution share one public API, the book builds and its Python is true.

use std::path::Path;

use anyhow::Result;

use crate::book;
use crate::cargo::{Listed, build_and_list, first_lines};
use crate::course::Course;
use crate::doctest;
use crate::runner::{Limits, Verdict, default_jobs, run_many};
use crate::signatures;

/// One line of the verify table.
#[derive(Debug)]
pub struct Row {
    pub check: String,
    pub ok: bool,
    pub detail: String,
    pub problems: Vec<String>,
}

impl Row {
    fn new(check: impl Into<String>, detail: impl Into<String>, problems: Vec<String>) -> Row {
        Row {
            check: check.into(),
            ok: problems.is_empty(),
            detail: detail.into(),
            problems,
        }
    }
}

pub struct Options {
    pub limits: Limits,
    pub book: bool,
    pub doctests: bool,
    /// Also check the instructor's hidden tests in this folder (`verify --hidden DIR`).
    pub hidden: Option<std::path::PathBuf>,
}

pub fn verify(course: &Course, opts: &Options, progress: &dyn Fn(&str)) -> Result<Vec<Row>> {
    let m = &course.manifest;
    let mut rows = Vec::new();
    let problems: Vec<String> = m
        .validate(&course.root)
        .iter()
        .map(|p| p.to_string())
        .collect();
    rows.push(Row::new(
        "manifest",
        format!(
            "{} exercises in {} crates",
            m.exercises.len(),
            m.crates().len()
        ),
        problems,
    ));
    for krate in crate::manifest::list_crates(&course.root) {
        progress(&format!("checking {krate}"));
        rows.push(solution_crate_row(&course.root, &krate));
        let stub_src = course.crate_dir(&krate).join("src");
        let sol_src = course.root.join("solutions").join(&krate).join("src");
        rows.push(Row::new(
            format!("{krate}: stub and solution APIs agree"),
            "",
            signatures::compare_crate(&stub_src, &sol_src),
        ));
        progress(&format!("building and running {krate}'s solution"));
        let sol = run_all(course, &format!("{krate}-solution"), &krate, opts.limits)?;
        progress(&format!("building and running {krate}'s stub"));
        let stub = run_all(course, &krate, &krate, opts.limits)?;
        rows.push(match &sol {
            Err(e) => Row::new(format!("{krate}: solutions pass"), "", vec![e.clone()]),
            Ok(runs) => {
                let mut p: Vec<String> = runs
                    .iter()
                    .filter(|(_, v, _)| *v != Verdict::Passed)
                    .map(|(n, v, msg)| {
                        format!("{n} {v:?} on the solution: {}", first_lines(msg, 6))
                    })
                    .collect();
                // The same check `grade` makes before grading: tests no exercise owns,
                // exercises that own no test, weights/given entries that name no test.
                let names: Vec<String> = runs.iter().map(|r| r.0.clone()).collect();
                p.extend(m.check_tests(&krate, &names).iter().map(|x| x.to_string()));
                let passed = runs
                    .iter()
                    .filter(|(_, v, _)| *v == Verdict::Passed)
                    .count();
                Row::new(
                    format!("{krate}: solutions pass"),
                    format!("{passed}/{} tests", runs.len()),
                    p,
                )
            }
        });
        rows.push(match &stub {
            Err(e) => Row::new(format!("{krate}: stubs fail"), "", vec![e.clone()]),
            Ok(runs) => {
                let mut given = 0;
                let mut p = Vec::new();
                for (n, v, _) in runs {
                    let is_given = m.exercises.iter().any(|e| e.krate == krate && e.owns_test(n) && e.is_given(n));
                    given += usize::from(is_given);
                    if *v == Verdict::Passed && !is_given {
                        p.push(format!("{n} passes on the stub: it asserts nothing the student writes (make it fail on the stub, or list it under `given`)"));
                    }
                }
                if let Ok(sol_runs) = &sol {
                    let a: Vec<&String> = runs.iter().map(|r| &r.0).collect();
                    let b: Vec<&String> = sol_runs.iter().map(|r| &r.0).collect();
                    if a != b {
                        p.push("the stub and the solution do not run the same tests: does the solution's [[test]] point at exercises/<crate>/tests/chapters/main.rs?".into());
                    }
                }
                let failed = runs.iter().filter(|(_, v, _)| *v != Verdict::Passed).count();
                Row::new(format!("{krate}: stubs fail"), format!("{failed}/{} tests fail ({given} given)", runs.len()), p)
            }
        });
    }
    if let Some(dir) = &opts.hidden {
        progress("grading the stubs and the solutions with the hidden tests");
        let report = |m: String| progress(&m);
        match crate::grade::check_hidden(course, dir, opts.limits, &report) {
            Ok(found) => rows.extend(found.into_iter().map(|(id, n, problems)| {
                Row::new(
                    format!("{id}: hidden tests fail on the stub and pass on the solution"),
                    format!("{n} hidden tests"),
                    problems,
                )
            })),
            Err(e) => rows.push(Row::new("hidden tests", "", vec![format!("{e:#}")])),
        }
    }
    let src = course.book_dir().join("src");
    rows.push(Row::new(
        "book: every include resolves",
        "",
        book::check_includes(&src),
    ));
    if opts.book {
        progress("building the book");
        let out = tempfile::tempdir()?;
        let problems = match book::build(&course.book_dir(), Some(out.path())) {
            Ok(_) => Vec::new(),
            Err(e) => vec![format!("{e:#}")],
        };
        rows.push(Row::new("book: builds", "", problems));
    }
    if opts.doctests {
        progress("running the book's Python examples");
        rows.push(match doctest::run_book(&src) {
            Ok(r) => {
                let ran: Vec<String> = r.ran.iter().map(|(v, n)| format!("{n} on {v}")).collect();
                let mut detail = format!(
                    "blocks run: {}",
                    if ran.is_empty() {
                        "none".into()
                    } else {
                        ran.join(", ")
                    }
                );
                if !r.skipped.is_empty() {
                    let s: Vec<String> = r
                        .skipped
                        .iter()
                        .map(|(v, n)| format!("{n} for {v}"))
                        .collect();
                    detail.push_str(&format!("; skipped (no interpreter): {}", s.join(", ")));
                }
                Row::new("book: Python examples are true", detail, r.failures)
            }
            Err(e) => Row::new("book: Python examples are true", "", vec![format!("{e:#}")]),
        });
    }
    Ok(rows)
}

type Runs = Vec<(String, Verdict, String)>;

/// Build `package`'s test binary in the course workspace and run every test, each in its own
/// process. A compile error is an `Err(message)` in the inner result.
fn run_all(
    course: &Course,
    package: &str,
    krate: &str,
    limits: Limits,
) -> Result<Result<Runs, String>> {
    let (bin, names) = match build_and_list(&course.root, package, None, course.crate_dir(krate))? {
        Listed::Ready(bin, names) => (bin, names),
        Listed::Failed(errors) => {
            return Ok(Err(format!(
                "`{package}` does not compile:\n{}",
                first_lines(&errors, 20)
            )));
        }
    };
    let runs = run_many(&bin, &names, limits, default_jobs(), &|_| {});
    Ok(Ok(runs
        .into_iter()
        .map(|r| (r.name, r.verdict, r.message))
        .collect()))
}

fn solution_crate_row(root: &Path, krate: &str) -> Row {
    let check = format!("{krate}: solution crate mirrors the exercise");
    let path = root.join("solutions").join(krate).join("Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Row::new(
            check,
            "",
            vec![format!(
                "solutions/{krate}/Cargo.toml is missing: every exercise crate needs its solution twin"
            )],
        );
    };
    let Ok(t) = toml::from_str::<toml::Table>(&text) else {
        return Row::new(
            check,
            "",
            vec![format!("solutions/{krate}/Cargo.toml is not valid TOML")],
        );
    };
    let mut p = Vec::new();
    let name = t
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if name != Some(&format!("{krate}-solution")) {
        p.push(format!(
            "solutions/{krate}/Cargo.toml: package name should be `{krate}-solution`"
        ));
    }
    let lib = t
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str());
    if lib != Some(krate) {
        p.push(format!("solutions/{krate}/Cargo.toml: add [lib] name = \"{krate}\" so the tests' `use {krate}::…` resolve"));
    }
    let expected = format!("../../exercises/{krate}/tests/chapters/main.rs");
    let shares = t
        .get("test")
        .and_then(|v| v.as_array())
        .is_some_and(|tests| {
            tests.iter().any(|x| {
                x.get("name").and_then(|n| n.as_str()) == Some("chapters")
                    && x.get("path").and_then(|n| n.as_str()) == Some(&expected)
            })
        });
    if !shares {
        p.push(format!("solutions/{krate}/Cargo.toml: add [[test]] name = \"chapters\" path = \"{expected}\" (one copy of every test)"));
    }
    Row::new(check, "", p)
}

/// The table `verify` prints, then the details of every failing check.
pub fn render(rows: &[Row]) -> String {
    let w = rows
        .iter()
        .map(|r| r.check.chars().count())
        .max()
        .unwrap_or(5);
    let mut out = format!("{:<w$}  result  detail\n{}\n", "check", "-".repeat(w + 16));
    for r in rows {
        let line = format!(
            "{:<w$}  {:<6}  {}",
            r.check,
            if r.ok { "ok" } else { "FAIL" },
            r.detail
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for r in rows.iter().filter(|r| !r.ok) {
        out.push_str(&format!("\n✗ {}\n", r.check));
        for p in &r.problems {
            for (i, line) in p.lines().enumerate() {
                out.push_str(if i == 0 { "  - " } else { "    " });
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
