//! The book's search: `cargo course book` writes mdBook's search index, and it finds what a
//! reader of a memory course types (built from the real book).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::*;

/// The JSON inside mdBook's `searchindex-<hash>.js`: `JSON.parse('…')`, with `\` and `'`
/// escaped by a backslash.
fn search_index(dir: &std::path::Path) -> Value {
    let file = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("searchindex") && name.ends_with(".js")
        })
        .expect("the built book has a searchindex-*.js (mdbook-driver's `search` feature)");
    let js = std::fs::read_to_string(file).unwrap();
    let start = js.find("JSON.parse('").unwrap() + "JSON.parse('".len();
    let end = js.rfind("')").unwrap();
    let mut json = String::new();
    let mut chars = js[start..end].chars();
    while let Some(c) = chars.next() {
        json.push(if c == '\\' { chars.next().unwrap() } else { c });
    }
    serde_json::from_str(&json).unwrap()
}

/// The pages (section URLs) whose text holds `term`, from elasticlunr's trie of the body field.
fn pages_with(index: &Value, term: &str) -> BTreeSet<String> {
    let mut node = &index["index"]["index"]["body"]["root"];
    for c in term.chars() {
        node = &node[c.to_string()];
    }
    let urls = index["doc_urls"].as_array().unwrap();
    (node["docs"].as_object().into_iter().flatten())
        .map(|(doc, _)| {
            urls[doc.parse::<usize>().unwrap()]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_built_book_can_be_searched_for_arena_and_pep_442() {
    let out = tempfile::tempdir().unwrap();
    let run = grader(&repo_root())
        .env_remove("CARGO_TARGET_DIR")
        .args(["book", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let index = search_index(out.path());
    let arena = pages_with(&index, "arena");
    assert!(
        arena.iter().any(|u| u.starts_with("part3-pymalloc/")),
        "{arena:?}"
    );
    let pep: BTreeSet<_> = pages_with(&index, "pep")
        .intersection(&pages_with(&index, "442"))
        .cloned()
        .collect();
    assert!(
        pep.iter().any(|u| u.starts_with("part2-refcounting/")),
        "{pep:?}"
    );
}
