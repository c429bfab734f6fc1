//! The book's listings of the exercise crates stay short and narrow: every region a page
//! includes from `exercises/` into a code block shows at most 40 lines, none wider than 100
//! columns. A page shows each function next to the prose that explains it, and its "Your turn"
//! section is a checklist, so a whole file's API (hundreds of lines, scrolling sideways on a
//! laptop) has no place in a page.
//!
//! The primer's examples (`book/primer/examples/`) are whole runnable programs whose output
//! another test compares with the page; they are not stub listings and are not checked here.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 40;
const MAX_COLUMNS: usize = 100;

/// One `{{#include …}}` inside a fenced code block of a book page.
struct Listing {
    /// Where it is: `book/src/<page>:<line>`.
    place: String,
    /// The file it includes, resolved from the page's folder.
    file: PathBuf,
    /// What follows the file name: an anchor name, a line range, or nothing.
    selector: Option<String>,
}

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src")
}

/// Every include inside a fenced code block of every page under `src`.
fn listings(src: &Path) -> Vec<Listing> {
    let mut found = Vec::new();
    for grader::book::Page {
        path,
        rel: page,
        text,
    } in grader::book::pages(src)
    {
        let folder = path.parent().unwrap();
        for include in grader::book::includes(&text)
            .into_iter()
            .filter(|i| i.in_fence)
        {
            found.push(Listing {
                place: format!("book/src/{page}:{}", include.line),
                file: folder.join(include.file),
                selector: include.selector.map(str::to_string),
            });
        }
    }
    found
}

/// Whether `line` is an `ANCHOR:` or `ANCHOR_END:` marker for `name` (`None`: for any name).
fn is_marker(line: &str, keyword: &str, name: Option<&str>) -> bool {
    let Some(at) = line.find(keyword) else {
        return false;
    };
    let rest = line[at + keyword.len()..].trim_start();
    let label: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    name.is_none_or(|n| label == n)
}

/// The lines mdBook shows for `listing`: the region's lines without any anchor markers and
/// without the lines a Rust block hides (`# ` at the start).
fn shown_lines(listing: &Listing) -> Vec<String> {
    let body = std::fs::read_to_string(&listing.file)
        .unwrap_or_else(|e| panic!("{}: {}: {e}", listing.place, listing.file.display()));
    let lines: Vec<&str> = body.lines().collect();
    let region: Vec<&str> = match listing.selector.as_deref() {
        None => lines,
        Some(s) if s.chars().all(|c| c.is_ascii_digit() || c == ':') => {
            let mut bounds = s.split(':').map(|b| b.parse::<usize>().ok());
            let first = bounds.next().flatten().unwrap_or(1).max(1);
            let last = bounds.next().flatten().unwrap_or(lines.len());
            lines
                .get(first - 1..last.min(lines.len()))
                .unwrap_or_default()
                .to_vec()
        }
        Some(name) => {
            let start = lines
                .iter()
                .position(|l| is_marker(l, "ANCHOR:", Some(name)))
                .unwrap_or_else(|| panic!("{}: no `ANCHOR: {name}`", listing.place));
            let end = lines[start..]
                .iter()
                .position(|l| is_marker(l, "ANCHOR_END:", Some(name)))
                .map_or(lines.len(), |e| start + e);
            lines[start + 1..end].to_vec()
        }
    };
    region
        .into_iter()
        .filter(|l| !is_marker(l, "ANCHOR:", None) && !is_marker(l, "ANCHOR_END:", None))
        .filter(|l| {
            let t = l.trim_start();
            !(t == "#" || t.starts_with("# "))
        })
        .map(str::to_string)
        .collect()
}

fn stub_listings() -> Vec<Listing> {
    let listings: Vec<Listing> = listings(&book_src())
        .into_iter()
        .filter(|l| l.file.components().any(|c| c.as_os_str() == "exercises"))
        .collect();
    assert!(
        !listings.is_empty(),
        "the book includes no listing from exercises/: is this the course's book?"
    );
    listings
}

#[test]
fn no_included_listing_is_longer_than_forty_lines() {
    let too_long: Vec<String> = stub_listings()
        .iter()
        .filter_map(|l| {
            let n = shown_lines(l).len();
            (n > MAX_LINES).then(|| {
                format!(
                    "{}: {} lines of {} (at most {MAX_LINES})",
                    l.place,
                    n,
                    l.file.display()
                )
            })
        })
        .collect();
    assert!(
        too_long.is_empty(),
        "listings too long to read beside the prose; include a smaller `// ANCHOR:` region:\n{}",
        too_long.join("\n")
    );
}

#[test]
fn no_included_line_is_wider_than_a_hundred_columns() {
    let too_wide: Vec<String> = stub_listings()
        .iter()
        .flat_map(|l| {
            shown_lines(l)
                .into_iter()
                .filter(|s| s.chars().count() > MAX_COLUMNS)
                .map(|s| format!("{}: {} columns: {}", l.place, s.chars().count(), s.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        too_wide.is_empty(),
        "listing lines wider than {MAX_COLUMNS} columns scroll sideways on a laptop:\n{}",
        too_wide.join("\n")
    );
}

#[test]
fn markers_and_line_ranges_are_read_as_mdbook_reads_them() {
    let listing = Listing {
        place: "test".into(),
        file: Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
        selector: Some("1:3".into()),
    };
    assert_eq!(shown_lines(&listing).len(), 3);
    assert!(is_marker(
        "    // ANCHOR: take_pool",
        "ANCHOR:",
        Some("take_pool")
    ));
    assert!(!is_marker(
        "// ANCHOR: take_pool_x",
        "ANCHOR:",
        Some("take_pool")
    ));
    assert!(is_marker("// ANCHOR_END: api", "ANCHOR_END:", None));
    assert!(!is_marker("// ANCHOR_END: api", "ANCHOR:", None));
}
