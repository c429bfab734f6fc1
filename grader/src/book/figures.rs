//! Figures drawn from ASCII: an in-process mdBook preprocessor that turns every fenced block
//! marked `svgbob` into an inline SVG (drawn by the `svgbob` crate) inside
//! `<figure class="diagram">`. The ASCII stays in the Markdown as the figure's source, so a
//! diagram is edited as text and reviewed in a diff.
//!
//! Syntax, in a page of `book/src/`:
//!
//! ````text
//! ```svgbob,caption="A pool: its header, then blocks of one size class"
//! +--------+---------+---------+
//! | header | block 0 | block 1 |
//! +--------+---------+---------+
//! ```
//! ````
//!
//! The caption is optional and plain text (CommonMark allows no backtick in the info string of a
//! backtick fence; in a `~~~svgbob` fence, `` `code` `` in the caption becomes `<code>`). Lines,
//! boxes, arrows (`-->`, `<--`, `^`, `v`) and rounded corners are drawn; the words stay real,
//! searchable text (`drawing` says how the two are told apart).
//!
//! The SVG carries no colours of its own: `book/theme/figures.css` paints strokes and text with
//! the theme's foreground, so a figure reads in the light and the dark themes alike, and scales
//! down to the width of a phone.
//!
//! An empty block, a tab in a drawing, an unknown option or a caption without its closing quote
//! stops the build with the page and line, rather than publishing a broken figure.

use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The info-string word that marks a figure's fenced block.
pub const FENCE_WORD: &str = "svgbob";

/// The preprocessor `book::build` registers with mdBook.
pub struct Figures;

impl Preprocessor for Figures {
    fn name(&self) -> &str {
        "course-figures"
    }

    fn run(
        &self,
        _ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let mut failure = None;
        book.for_each_mut(|item| {
            let BookItem::Chapter(chapter) = item else {
                return;
            };
            if failure.is_some() {
                return;
            }
            let page = chapter
                .source_path
                .as_ref()
                .map(|p| format!("book/src/{}", p.display()))
                .unwrap_or_else(|| chapter.name.clone());
            match render_figures(&chapter.content) {
                Ok(Some(content)) => chapter.content = content,
                Ok(None) => {}
                Err(e) => failure = Some(e.context(format!("a figure in {page}"))),
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(book),
        }
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(renderer == "html")
    }
}

/// One `svgbob` block found in a page: where it is, its options and its drawing.
struct Block {
    range: std::ops::Range<usize>,
    info: String,
    drawing: String,
}

/// The page with each `svgbob` block replaced by its figure, or `None` if it has none.
pub fn render_figures(markdown: &str) -> Result<Option<String>> {
    let blocks = find_blocks(markdown);
    if blocks.is_empty() {
        return Ok(None);
    }
    let mut out = String::with_capacity(markdown.len() * 2);
    let mut copied = 0;
    for block in blocks {
        let line = markdown[..block.range.start].lines().count() + 1;
        let figure = figure_html(&block.info, &block.drawing)
            .with_context(|| format!("the `{FENCE_WORD}` block at line {line}"))?;
        out.push_str(&markdown[copied..block.range.start]);
        out.push_str(&figure);
        // A blank line after the figure ends its HTML block, so the Markdown that follows is
        // read as Markdown even when the fence had no blank line after it.
        out.push_str("\n\n");
        copied = block.range.end;
    }
    out.push_str(&markdown[copied..]);
    Ok(Some(out))
}

/// Every fenced block whose info string starts with `svgbob`, found by a Markdown parser so that
/// one shown inside another block (as in this crate's docs) is left alone.
fn find_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split([',', ' ']).next() == Some(FENCE_WORD) =>
            {
                current = Some(Block {
                    range,
                    info: info.to_string(),
                    drawing: String::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.drawing.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// The caption named in an info string such as `svgbob,caption="A pool"`.
fn parse_caption(info: &str) -> Result<Option<String>> {
    let rest = info.trim().strip_prefix(FENCE_WORD).unwrap_or("").trim();
    if rest.is_empty() {
        return Ok(None);
    }
    let Some(option) = rest.strip_prefix(',') else {
        bail!("expected `,caption=\"…\"` after `{FENCE_WORD}`, found `{rest}`");
    };
    let option = option.trim();
    let Some(quoted) = option.strip_prefix("caption=") else {
        bail!("unknown option `{option}`: the only option is caption=\"…\"");
    };
    let caption = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .filter(|c| !c.is_empty())
        .ok_or_else(|| anyhow!("the caption must be text between double quotes: {quoted}"))?;
    Ok(Some(caption.to_string()))
}

/// `<figure>` holding the drawing's SVG and its caption, on one line (an HTML block in Markdown
/// ends at a blank line, so the SVG must not contain one).
pub fn figure_html(info: &str, drawing: &str) -> Result<String> {
    let caption = parse_caption(info)?;
    if drawing.trim().is_empty() {
        bail!("it is empty: draw the figure between the fences");
    }
    if let Some(n) = drawing.lines().position(|l| l.contains('\t')) {
        bail!(
            "line {} of the drawing has a tab: use spaces, so the columns line up",
            n + 1
        );
    }
    let svg = super::drawing::svg(drawing)?;
    let mut html = String::from("<figure class=\"diagram\">");
    html.push_str(&svg);
    if let Some(caption) = caption {
        write!(html, "<figcaption>{}</figcaption>", caption_html(&caption)).unwrap();
    }
    html.push_str("</figure>");
    Ok(html)
}

/// A caption as HTML: escaped, with `` `code` `` spans.
fn caption_html(caption: &str) -> String {
    let mut html = String::new();
    for (i, part) in caption.split('`').enumerate() {
        let escaped = super::drawing::escape(part);
        if i % 2 == 1 {
            write!(html, "<code>{escaped}</code>").unwrap();
        } else {
            html.push_str(&escaped);
        }
    }
    html
}
