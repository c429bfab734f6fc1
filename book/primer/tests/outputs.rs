//! The page shows what the examples print: each test runs one example's `run()` and compares
//! it with the output block that follows `$ cargo run -p primer --example <name>` on the page.
//! Change an example, and its test tells you to update the page (and the other way round).

// Each example is compiled into this test as a module; its `main` is unused here.
#[allow(dead_code)]
#[path = "../examples/borrows.rs"]
mod borrows;
#[allow(dead_code)]
#[path = "../examples/counting.rs"]
mod counting;
#[allow(dead_code)]
#[path = "../examples/handles.rs"]
mod handles;
#[allow(dead_code)]
#[path = "../examples/option_result.rs"]
mod option_result;
#[allow(dead_code)]
#[path = "../examples/pointers.rs"]
mod pointers;
#[allow(dead_code)]
#[path = "../examples/safety.rs"]
mod safety;

/// The appendix page, read at compile time (a change to it rebuilds this test).
const PAGE: &str = include_str!("../../src/appendix/rust-primer.md");

/// Every example, by name: the files in `examples/` must be exactly these.
const EXAMPLES: [&str; 6] = [
    "borrows",
    "counting",
    "handles",
    "option_result",
    "pointers",
    "safety",
];

/// The text of the page's block that starts with the command running `example`.
fn shown_output(example: &str) -> &'static str {
    let command = format!("$ cargo run -p primer --example {example}\n");
    let start = PAGE
        .find(&command)
        .unwrap_or_else(|| panic!("rust-primer.md has no ```text block starting with `{command}`"))
        + command.len();
    let len = PAGE[start..]
        .find("```")
        .expect("the output block is closed");
    &PAGE[start..start + len]
}

fn check(example: &str, printed: String) {
    assert_eq!(
        printed,
        shown_output(example),
        "`cargo run -p primer --example {example}` prints the left side, but \
         book/src/appendix/rust-primer.md shows the right side: update the page"
    );
}

#[test]
fn handles_output_is_on_the_page() {
    check("handles", handles::run());
}

#[test]
fn option_result_output_is_on_the_page() {
    check("option_result", option_result::run());
}

#[test]
fn borrows_output_is_on_the_page() {
    check("borrows", borrows::run());
}

#[test]
fn pointers_output_is_on_the_page() {
    check("pointers", pointers::run());
}

#[test]
fn safety_output_is_on_the_page() {
    check("safety", safety::run());
}

#[test]
fn counting_output_is_on_the_page() {
    check("counting", counting::run());
}

#[test]
fn every_example_is_tested_and_included_in_the_page() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, EXAMPLES,
        "examples/ and this test's EXAMPLES list differ"
    );
    for example in EXAMPLES {
        let include = format!("{{{{#include ../../primer/examples/{example}.rs:");
        assert!(
            PAGE.contains(&include),
            "rust-primer.md never includes examples/{example}.rs"
        );
    }
}
