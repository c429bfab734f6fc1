//! The teaching notes for instructors: every page that owns an exercise in
//! `exercises/course.toml` ends with a folded `<details class="teaching-notes"
//! id="teaching-notes">` block that includes `book/notes/<page>.md`; those notes have the three
//! parts an instructor relies on (time to allow, the mistakes the tests catch, discussion
//! questions), and the mistakes name at least three of the exercise's own tests. Every test the
//! notes name (`chNN_topic::…::name`) must exist in the exercise crates' tests, so a renamed
//! test cannot leave a note pointing nowhere. The instructor guide links to every page's notes,
//! and the Python sessions in the notes (run in class) still print what they show on CPython.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use grader::manifest::Manifest;

/// The three parts every exercise's notes must have, as the bold labels that open them.
const TIME: &str = "**Time to allow.**";
const MISTAKES: &str = "**Mistakes the tests catch.**";
const QUESTIONS: &str = "**Discussion questions.**";

/// The fewest tests of its own exercise the mistakes part must name.
const MIN_CITED_TESTS: usize = 3;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The notes file a page includes at its end, relative to `book/` (e.g. `notes/cycles.md`), or
/// why the page has none. The block must be the page's last text, so the notes come after
/// everything a student reads, and must carry the class (its style) and the id (the instructor
/// guide's links).
fn included_notes(page: &str) -> Result<String, String> {
    let start = page
        .rfind("<details class=\"teaching-notes\"")
        .ok_or("no <details class=\"teaching-notes\"> block")?;
    let block = &page[start..];
    let open_tag = &block[..block.find('>').ok_or("an unclosed <details> tag")?];
    if !open_tag.contains("id=\"teaching-notes\"") {
        return Err("the teaching-notes block has no id=\"teaching-notes\"".into());
    }
    if !block.trim_end().ends_with("</details>") {
        return Err("the teaching-notes block is not the end of the page".into());
    }
    let include = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("{{#include ")?.strip_suffix("}}"))
        .ok_or("the teaching-notes block includes no file")?;
    let notes = include
        .trim()
        .rsplit_once("notes/")
        .filter(|(up, _)| up.chars().all(|c| c == '.' || c == '/'))
        .map(|(_, file)| format!("notes/{file}"))
        .ok_or_else(|| format!("the block includes {include}, not a file of book/notes/"))?;
    Ok(notes)
}

/// What is wrong with one exercise's notes (empty if nothing): the three parts in order, two
/// numbered discussion questions, and at least `MIN_CITED_TESTS` distinct tests of `prefix`
/// (its `tests` module) named in the mistakes part.
fn notes_problems(notes: &str, prefix: &str) -> Vec<String> {
    let at = |label: &str| notes.find(label);
    let (Some(time), Some(mistakes), Some(questions)) = (at(TIME), at(MISTAKES), at(QUESTIONS))
    else {
        return vec![format!(
            "the notes need the three parts {TIME}, {MISTAKES} and {QUESTIONS}"
        )];
    };
    let mut problems = Vec::new();
    if !(time < mistakes && mistakes < questions) {
        problems.push(format!(
            "the parts must come in the order {TIME}, {MISTAKES}, {QUESTIONS}"
        ));
        return problems;
    }
    let owned: BTreeSet<String> = cited_tests(&notes[mistakes..questions])
        .into_iter()
        .filter(|t| t.strip_prefix(prefix).is_some_and(|r| r.starts_with("::")))
        .collect();
    if owned.len() < MIN_CITED_TESTS {
        problems.push(format!(
            "{MISTAKES} names {} test(s) of `{prefix}::`; name the test that catches each \
             mistake (at least {MIN_CITED_TESTS})",
            owned.len()
        ));
    }
    let numbered = notes[questions..]
        .lines()
        .take_while(|l| !l.starts_with("**") || l.starts_with(QUESTIONS))
        .filter(|l| l.starts_with("1. ") || l.starts_with("2. "))
        .count();
    if numbered < 2 {
        problems.push(format!(
            "{QUESTIONS} needs two numbered questions (1. and 2.)"
        ));
    }
    problems
}

/// Every `chNN_topic::…` path in `text`: a test name, or a module holding tests.
fn cited_tests(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i + 5 < bytes.len() {
        let starts = bytes[i..].starts_with(b"ch")
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_digit()
            && bytes[i + 4] == b'_'
            && (i == 0 || !is_word(bytes[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && (is_word(bytes[end]) || bytes[end..].starts_with(b"::")) {
            end += if bytes[end] == b':' { 2 } else { 1 };
        }
        let path = text[i..end].trim_end_matches(':');
        if path.contains("::") {
            found.push(path.to_string());
        }
        i = end;
    }
    found
}

/// The tests of one exercise crate's test binary (`tests/chapters/`), as `module::…::name`:
/// each `#[test] fn` and each `name => "file"` arm of a macro that generates tests (the
/// runtime's corpus), with the module path taken from the file's path.
fn test_names(chapters: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in walkdir::WalkDir::new(chapters).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(chapters).unwrap().with_extension("");
        let mut module: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        if module == ["main"] {
            continue;
        }
        let module = module.join("::");
        let text = std::fs::read_to_string(path).unwrap();
        let mut after_test_attribute = false;
        for line in text.lines().map(str::trim) {
            if line == "#[test]" {
                after_test_attribute = true;
            } else if after_test_attribute && !line.starts_with("#[") {
                if let Some(name) = line.strip_prefix("fn ").and_then(|r| r.split('(').next()) {
                    names.insert(format!("{module}::{name}"));
                }
                after_test_attribute = false;
            }
            if let Some((name, rest)) = line.split_once(" => \"")
                && rest.ends_with("\",")
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                names.insert(format!("{module}::{name}"));
            }
        }
    }
    names
}

fn manifest() -> Manifest {
    Manifest::load(&root()).unwrap()
}

/// Every notes file under `book/notes/`, by its path relative to `book/`.
fn notes_files() -> BTreeMap<String, String> {
    let dir = root().join("book/notes");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let name = format!("notes/{}", e.file_name().to_string_lossy());
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Every page of `book/src/` that includes notes: page (relative to `src/`) → notes file.
fn pages_with_notes() -> BTreeMap<String, String> {
    let src = root().join("book/src");
    let mut pages = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if text.contains("class=\"teaching-notes\"") {
            let page = entry
                .path()
                .strip_prefix(&src)
                .unwrap()
                .display()
                .to_string();
            let notes = included_notes(&text).unwrap_or_else(|e| panic!("book/src/{page}: {e}"));
            pages.insert(page, notes);
        }
    }
    pages
}

#[test]
fn every_exercise_page_ends_with_notes_that_have_the_three_parts() {
    let notes = notes_files();
    let mut problems = Vec::new();
    for ex in &manifest().exercises {
        let page = root().join("book/src").join(&ex.chapter);
        let text = std::fs::read_to_string(&page).unwrap();
        let file = match included_notes(&text) {
            Ok(file) => file,
            Err(why) => {
                problems.push(format!("book/src/{} ({}): {why}", ex.chapter, ex.id));
                continue;
            }
        };
        let Some(body) = notes.get(&file) else {
            problems.push(format!(
                "book/src/{} includes book/{file}, which is missing",
                ex.chapter
            ));
            continue;
        };
        for p in notes_problems(body, &ex.tests) {
            problems.push(format!("book/{file} ({}): {p}", ex.id));
        }
    }
    assert!(
        problems.is_empty(),
        "teaching notes:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_test_the_notes_name_exists() {
    let mut tests = BTreeSet::new();
    for krate in manifest().crates() {
        tests.extend(test_names(
            &root().join("exercises").join(krate).join("tests/chapters"),
        ));
    }
    assert!(
        tests.len() > 100,
        "found only {} tests: is the parser broken?",
        tests.len()
    );
    let known = |path: &str| {
        tests.contains(path)
            || tests
                .iter()
                .any(|t| t.strip_prefix(path).is_some_and(|r| r.starts_with("::")))
    };
    let mut unknown = Vec::new();
    for (file, body) in notes_files() {
        for path in cited_tests(&body) {
            if !known(&path) {
                unknown.push(format!("book/{file}: {path}"));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "the notes name tests that do not exist:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_notes_file_is_on_one_page_and_linked_from_the_instructor_guide() {
    let pages = pages_with_notes();
    let notes = notes_files();
    let guide =
        std::fs::read_to_string(root().join("book/src/appendix/instructor-guide.md")).unwrap();
    let mut problems = Vec::new();
    for file in notes.keys() {
        let on: Vec<&String> = pages
            .iter()
            .filter(|(_, f)| *f == file)
            .map(|(p, _)| p)
            .collect();
        if on.len() != 1 {
            problems.push(format!(
                "book/{file} is included by {} pages: {on:?}",
                on.len()
            ));
        }
    }
    for (page, file) in &pages {
        if !notes.contains_key(file) {
            problems.push(format!(
                "book/src/{page} includes book/{file}, which is missing"
            ));
        }
        if !guide.contains(&format!("../{page}#teaching-notes")) {
            problems.push(format!(
                "the instructor guide does not link to {page}#teaching-notes"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn python_sessions_in_the_notes_print_what_they_show() {
    let report = grader::doctest::run_book(&root().join("book/notes")).unwrap();
    assert!(
        report.ran.get("3.11").copied().unwrap_or(0) > 0,
        "no session ran: {report:?}"
    );
    // run_book names pages as `book/src/…`; these are notes.
    let failures = report
        .failures
        .join("\n\n")
        .replace("book/src/", "book/notes/");
    assert!(report.failures.is_empty(), "{failures}");
}

/// The checks themselves fail on what they must reject: a page without notes, notes without a
/// part, notes that cite too few of their tests, and a block that is not at the end.
#[test]
fn the_checks_reject_missing_or_incomplete_notes() {
    let block = "<details class=\"teaching-notes\" id=\"teaching-notes\"><summary>T</summary>\n\n\
                 {{#include ../../notes/cycles.md}}\n\n</details>\n";
    assert_eq!(
        included_notes(&format!("# Page\n\n{block}")),
        Ok("notes/cycles.md".into())
    );
    assert!(included_notes("# Page\n\nNo notes here.\n").is_err());
    assert!(included_notes(&format!("# Page\n{block}\n## Challenges\n")).is_err());
    assert!(included_notes(&block.replace(" id=\"teaching-notes\"", "")).is_err());

    let good = format!(
        "{TIME} An hour.\n\n{MISTAKES}\n\n- `ch05_cycles::a` and `ch05_cycles::oracle::b`,\n- \
         `ch05_cycles::c` (not `ch04_refcount::d`).\n\n{QUESTIONS}\n\n1. Why?\n2. Why not?\n"
    );
    assert_eq!(notes_problems(&good, "ch05_cycles"), Vec::<String>::new());
    assert_eq!(
        notes_problems(&good, "ch05_cycles_x").len(),
        1,
        "other tests do not count"
    );
    assert_eq!(
        notes_problems(&good.replace(MISTAKES, "**Mistakes.**"), "ch05_cycles").len(),
        1
    );
    assert_eq!(
        notes_problems(&good.replace("2. Why not?", ""), "ch05_cycles").len(),
        1
    );
    assert_eq!(
        cited_tests("see `ch05_cycles::oracle::b`, ch14_runtime::corpus::… and xch01_a::b"),
        ["ch05_cycles::oracle::b", "ch14_runtime::corpus"]
    );
}
