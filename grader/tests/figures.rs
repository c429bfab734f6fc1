//! The book's figures: `svgbob` blocks become inline SVG at build time (`grader::book::figures`).
//! On a sample page: the block becomes `<figure class="diagram"><svg …>` with its caption, its
//! ASCII is gone, blocks that only show the syntax are left alone, and a broken block stops the
//! build with the page's line instead of a panic. On the real book: every `svgbob` block of
//! `book/src` is a figure in the built HTML, and there are at least as many as the diagrams the
//! book was converted with.

use std::path::{Path, PathBuf};

use grader::book::figures::{FENCE_WORD, render_figures};

/// Diagrams drawn as figures when the book moved from ASCII code blocks to SVG (28 converted,
/// 4 new). Fewer would mean a figure went back to being a code block, or the preprocessor is
/// gone.
const FIGURES_AT_LEAST: usize = 32;

const SAMPLE: &str = r#"# A page

Some prose.

```svgbob,caption="A pool: header & blocks"
+--------+---------+
| header | block 0 |
+--------+---------+
  ob_refcnt ---> 42
```

Prose right after the figure keeps being *Markdown*.

```python
>>> print("+--+ stays a doctest")
+--+ stays a doctest
```

````markdown
```svgbob
+-- shown, not drawn --+
```
````
"#;

fn rendered(page: &str) -> String {
    render_figures(page)
        .expect("the sample page renders")
        .expect("the sample page has a figure")
}

#[test]
fn an_svgbob_block_becomes_an_svg_figure_with_its_caption() {
    let html = rendered(SAMPLE);
    assert_eq!(
        html.matches("<figure class=\"diagram\">").count(),
        1,
        "{html}"
    );
    let figure = &html[html.find("<figure").unwrap()..html.find("</figure>").unwrap()];
    assert!(
        figure
            .contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"svgbob\" viewBox=\"0 0 "),
        "{figure}"
    );
    assert!(
        figure.contains("<figcaption>A pool: header &amp; blocks</figcaption>"),
        "{figure}"
    );
    // The words are real text, whole; the lines are drawn.
    assert!(
        figure.contains(">header</text>") && figure.contains(">ob_refcnt</text>"),
        "{figure}"
    );
    assert!(
        figure.contains("<line ") || figure.contains("<path "),
        "{figure}"
    );
    // The drawing's ASCII is gone, and the figure is one line ending in a blank line, so the
    // Markdown after it is still Markdown.
    assert!(!html.contains("+--------+"), "{html}");
    assert!(!html.contains("```svgbob,"), "{html}");
    assert!(!figure.contains('\n'));
    assert!(html.contains("</figure>\n\n"), "{html}");
}

#[test]
fn python_blocks_and_blocks_that_show_the_syntax_are_left_alone() {
    let html = rendered(SAMPLE);
    assert!(
        html.contains("```python\n>>> print(\"+--+ stays a doctest\")\n"),
        "{html}"
    );
    assert!(
        html.contains("````markdown\n```svgbob\n+-- shown, not drawn --+\n```\n````"),
        "{html}"
    );
    assert_eq!(render_figures("```python\nx = 1\n```\n").unwrap(), None);
}

#[test]
fn a_broken_block_is_an_error_that_names_its_line_not_a_panic() {
    let cases = [
        ("```svgbob\n```\n", "empty"),
        ("```svgbob\n   \n\n```\n", "empty"),
        ("\n\n```svgbob\n+--+\n|\t|\n+--+\n```\n", "tab"),
        ("```svgbob,colour=\"red\"\n+--+\n```\n", "unknown option"),
        (
            "```svgbob,caption=\"no closing quote\n+--+\n```\n",
            "double quotes",
        ),
        ("```svgbob caption\n+--+\n```\n", "caption="),
    ];
    for (page, expected) in cases {
        let error = match render_figures(page) {
            Ok(out) => panic!("{page:?} should fail, gave {out:?}"),
            Err(e) => format!("{e:#}"),
        };
        assert!(error.contains(expected), "{page:?}: {error}");
        let line = page
            .lines()
            .position(|l| l.starts_with("```svgbob"))
            .unwrap()
            + 1;
        assert!(error.contains(&format!("line {line}")), "{page:?}: {error}");
    }
}

#[test]
fn odd_drawings_still_render() {
    for drawing in [
        "just words",
        "x",
        "<>",
        "|",
        "---",
        "((((",
        "\u{2500}\u{2500}\u{25BA} é",
    ] {
        let page = format!("```svgbob\n{drawing}\n```\n");
        let html = rendered(&page);
        assert!(
            html.contains("<svg ") && html.contains("</svg></figure>"),
            "{drawing}: {html}"
        );
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `svgbob` blocks of the book's pages, counted from the Markdown.
fn svgbob_blocks(src: &Path) -> usize {
    let opening = format!("```{FENCE_WORD}");
    walkdir::WalkDir::new(src)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            text.lines()
                .filter(|l| {
                    let rest = l.trim_start().strip_prefix(&opening);
                    rest.is_some_and(|r| r.is_empty() || r.starts_with(','))
                })
                .count()
        })
        .sum()
}

#[test]
fn every_diagram_of_the_real_book_is_a_figure() {
    let root = repo_root();
    let blocks = svgbob_blocks(&root.join("book/src"));
    assert!(
        blocks >= FIGURES_AT_LEAST,
        "book/src has {blocks} svgbob blocks, fewer than the {FIGURES_AT_LEAST} the book was converted with"
    );

    let out = tempfile::tempdir().unwrap();
    grader::book::build(&root.join("book"), Some(out.path())).expect("the book builds");
    let mut figures = 0;
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out.path())
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        // print.html repeats every page, and index.html repeats the first one.
        let repeats = path.parent() == Some(out.path())
            && (path.ends_with("print.html") || path.ends_with("index.html"));
        if path.extension().is_none_or(|e| e != "html") || repeats {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        let page = path.strip_prefix(out.path()).unwrap().display().to_string();
        assert!(
            !html.contains("language-svgbob"),
            "{page}: an svgbob block was left as code"
        );
        let here = html.matches("<figure class=\"diagram\"><svg ").count();
        assert_eq!(
            here,
            html.matches("<figure").count(),
            "{page}: a figure without an SVG"
        );
        if here > 0 {
            pages.push(format!("{page}: {here}"));
        }
        figures += here;
    }
    eprintln!("{figures} figures:\n  {}", pages.join("\n  "));
    assert_eq!(
        figures, blocks,
        "every svgbob block of book/src is one figure in the HTML"
    );
}
