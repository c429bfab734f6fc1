//! One ASCII drawing to one line of SVG. svgbob draws the lines, boxes and arrows; the words are
//! laid out here, as `<text>` on the same 8 × 16 px character grid, because svgbob's own text
//! handling merges neighbouring words across rows and draws `_`, `(`, `-` or `/` inside words
//! as shapes (`ob_refcnt`, `id(obj)`, `type-specific`, `mmap/munmap`).
//!
//! Which characters are drawing: a space-separated token made only of line characters (`-=_|+`,
//! `<>^v/\.':`, Unicode box drawing and arrows) and holding at least one of `-=_|+<>^/\` or a box
//! or arrow character (`+-----+`, `<-->`, `──►`). A token that mixes them with letters is text,
//! except for a line stuck to either end of it (`|tail|`, `->1`, `--ob_type-->`). A lone `-`,
//! `=`, `_`, `:`, `<` or `>` is text, and so are operators such as `>=` and `>>`; a lone `+`,
//! `v`, `.` or `'` is drawing only under or over a vertical line; a lone `/` or `\` only when a
//! line continues it diagonally; a lone `|` or `^` always.

use std::fmt::Write as _;

use anyhow::{Result, anyhow, bail};

/// svgbob's grid: one character is 8 px wide and 16 px high; text sits at these offsets in it.
const CELL_W: usize = 8;
const CELL_H: usize = 16;
const TEXT_DX: usize = 2;
const TEXT_DY: usize = 12;

/// Operators that are text even though they are made of line characters.
const OPERATORS: [&str; 8] = ["<=", ">=", "==", "+=", "-=", "<<", ">>", "//"];

fn is_line_char(c: char) -> bool {
    matches!(
        c,
        '-' | '=' | '_' | '|' | '+' | '<' | '>' | '^' | 'v' | 'V' | '/' | '\\' | '.' | '\'' | ':'
    ) || is_unicode_line(c)
}

/// Box drawing (U+2500..), arrows (U+2190..) and geometric shapes such as ► and ▲ (U+25A0..).
fn is_unicode_line(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{257F}' | '\u{2190}'..='\u{21FF}' | '\u{25A0}'..='\u{25FF}')
}

/// A character that makes a token a drawing rather than punctuation (`...`, `'`, `:` are not).
fn is_strong(c: char) -> bool {
    matches!(
        c,
        '-' | '=' | '_' | '|' | '+' | '<' | '>' | '^' | '/' | '\\'
    ) || is_unicode_line(c)
}

/// A character that draws (part of) a line on its own when stuck to a word: `|`, `+`, a
/// horizontal line or an arrow, but not `_`, `.` or `'`.
fn is_edge(c: char) -> bool {
    matches!(c, '-' | '=' | '|' | '+' | '<' | '>') || is_unicode_line(c)
}

/// What a vertical line is made of, for deciding whether a lone `+` or `v` joins one.
fn is_vertical(c: char) -> bool {
    matches!(c, '|' | '+' | '\'' | '.' | '^' | 'v' | 'V') || is_unicode_line(c)
}

/// The drawing as a grid of characters, without its blank first and last lines and without the
/// indentation all its lines share.
fn grid(drawing: &str) -> Vec<Vec<char>> {
    let lines: Vec<&str> = drawing.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let lines = &lines[first..last.max(first)];
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ').count())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.chars().skip(indent).collect())
        .collect()
}

/// For each cell of the grid: does it belong to the words rather than the drawing?
fn text_mask(grid: &[Vec<char>]) -> Vec<Vec<bool>> {
    let at = |row: Option<usize>, col: Option<usize>| -> Option<char> {
        grid.get(row?).and_then(|l| l.get(col?)).copied()
    };
    let mut mask: Vec<Vec<bool>> = grid.iter().map(|l| vec![false; l.len()]).collect();
    for (row, line) in grid.iter().enumerate() {
        let mut col = 0;
        while col < line.len() {
            if line[col] == ' ' {
                col += 1;
                continue;
            }
            let start = col;
            while col < line.len() && line[col] != ' ' {
                col += 1;
            }
            let token = &line[start..col];
            let (from, to) = if token.iter().all(|&c| is_line_char(c)) {
                let lone_is_text = |c: char| {
                    let above = at(row.checked_sub(1), Some(start));
                    let below = at(Some(row + 1), Some(start));
                    let diagonal = |dr: isize, dc: isize| {
                        let r = row.checked_add_signed(dr);
                        let c = start.checked_add_signed(dc);
                        at(r, c).is_some_and(|n| n != ' ' && is_line_char(n))
                    };
                    match c {
                        '-' | '=' | '_' | ':' | '<' | '>' => true,
                        // Two lone `+` one above the other are words (`op + 8` over `op + 16`).
                        '+' | 'v' | 'V' | '.' | '\'' => {
                            let joins =
                                |n: Option<char>| n.is_some_and(|n| is_vertical(n) && n != '+');
                            !joins(above) && !joins(below)
                        }
                        '/' => !diagonal(-1, 1) && !diagonal(1, -1),
                        '\\' => !diagonal(-1, -1) && !diagonal(1, 1),
                        _ => false,
                    }
                };
                let word: String = token.iter().collect();
                let is_text = if token.len() == 1 {
                    lone_is_text(token[0])
                } else {
                    !token.iter().any(|&c| is_strong(c)) || OPERATORS.contains(&word.as_str())
                };
                if is_text {
                    (start, col)
                } else {
                    (start, start)
                }
            } else {
                (
                    start + edge_len(token.iter()),
                    col - edge_len(token.iter().rev()),
                )
            };
            mask[row][from..to].iter_mut().for_each(|t| *t = true);
        }
    }
    mask
}

/// How many characters at one end of a mixed token are a line stuck to the word: a single `|`
/// (not `+`, as in `+3`), or two or more line characters with a line or arrow among them (`->`, `-->`, `|<`).
fn edge_len<'a>(chars: impl Iterator<Item = &'a char>) -> usize {
    let edge: Vec<char> = chars.take_while(|&&c| is_line_char(c)).copied().collect();
    let counts = match edge.as_slice() {
        [] => false,
        [c] => *c == '|' || is_unicode_line(*c),
        more => more.iter().any(|&c| is_edge(c)),
    };
    if counts { edge.len() } else { 0 }
}

/// The SVG of one drawing, on one line, styled only through classes (see figures.css).
pub fn svg(drawing: &str) -> Result<String> {
    let grid = grid(drawing);
    let mask = text_mask(&grid);
    let lines_only: String = grid
        .iter()
        .zip(&mask)
        .map(|(line, text)| {
            let mut l: String = line
                .iter()
                .zip(text)
                .map(|(&c, &t)| if t { ' ' } else { c })
                .collect();
            l.push('\n');
            l
        })
        .collect();
    let settings = svgbob::Settings {
        include_backdrop: false,
        include_styles: false,
        ..svgbob::Settings::default()
    };
    let drawn = std::panic::catch_unwind(|| svgbob::to_svg_with_settings(&lines_only, &settings))
        .map_err(|_| anyhow!("svgbob could not draw it (it panicked)"))?;
    let drawn: String = drawn.lines().map(str::trim).collect();
    let body_start = drawn
        .find('>')
        .filter(|_| drawn.starts_with("<svg"))
        .ok_or_else(|| anyhow!("svgbob's output is not an <svg>"))?
        + 1;
    let Some(body) = drawn[body_start..].strip_suffix("</svg>") else {
        bail!("svgbob's output does not end with </svg>");
    };
    let body = scope_markers(body, &marker_prefix(drawing));

    let columns = grid.iter().map(Vec::len).max().unwrap_or(0);
    let width = (columns + 1) * CELL_W;
    let height = (grid.len() + 1) * CELL_H - CELL_H / 2;
    // The viewBox lets the figure shrink with the column (max-width: 100%; height: auto); the
    // width and height give its natural size.
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"svgbob\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" style=\"--figure-natural-width: {width}px\">{body}"
    );
    for (row, col, words) in text_runs(&grid, &mask) {
        write!(
            svg,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            col * CELL_W + TEXT_DX,
            row * CELL_H + TEXT_DY,
            escape(&words)
        )
        .unwrap();
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// The words of each row as runs `(row, column, text)`: neighbouring words separated by one
/// space stay one run (a phrase stays searchable); a wider gap starts a new run at its column,
/// so the layout never depends on the font's width.
fn text_runs(grid: &[Vec<char>], mask: &[Vec<bool>]) -> Vec<(usize, usize, String)> {
    let mut runs = Vec::new();
    for (row, (line, text)) in grid.iter().zip(mask).enumerate() {
        let mut current: Option<(usize, String)> = None;
        for col in 0..line.len() {
            if text[col] {
                match current.as_mut() {
                    Some((_, words)) => words.push(line[col]),
                    None => current = Some((col, line[col].to_string())),
                }
            } else if line[col] == ' '
                && current.is_some()
                && text.get(col + 1).copied().unwrap_or(false)
                && col > 0
                && text[col - 1]
            {
                current.as_mut().unwrap().1.push(' ');
            } else if let Some((start, words)) = current.take() {
                runs.push((row, start, words));
            }
        }
        if let Some((start, words)) = current {
            runs.push((row, start, words));
        }
    }
    runs
}

/// The arrowhead and circle markers svgbob defines in `<defs>`.
const MARKERS: [&str; 5] = [
    "arrow",
    "diamond",
    "circle",
    "open_circle",
    "big_open_circle",
];

/// An id prefix for this drawing's markers, so that figures on one page (or all of them on the
/// print page) do not share ids.
fn marker_prefix(drawing: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    drawing.hash(&mut hasher);
    format!("fig{:x}-", hasher.finish() & 0xffff_ffff)
}

/// svgbob attaches its markers through classes (`end_marked_arrow`) and its own `<style>`, which
/// the book leaves out: give each marker a prefixed id and each marked line `marker-start`/
/// `marker-end` attributes instead. Without any marked line the `<defs>` are dropped.
fn scope_markers(body: &str, prefix: &str) -> String {
    if !body.contains("_marked_") {
        return match (body.find("<defs>"), body.find("</defs>")) {
            (Some(start), Some(end)) => {
                format!("{}{}", &body[..start], &body[end + "</defs>".len()..])
            }
            _ => body.to_string(),
        };
    }
    let mut out = body.to_string();
    for name in MARKERS {
        out = out.replace(&format!("id=\"{name}\""), &format!("id=\"{prefix}{name}\""));
    }
    let mut scoped = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find(" class=\"") {
        let value_start = at + " class=\"".len();
        let value_len = rest[value_start..].find('"').unwrap_or(0);
        scoped.push_str(&rest[..at]);
        for class in rest[value_start..value_start + value_len].split_whitespace() {
            for end in ["start", "end"] {
                if let Some(name) = class.strip_prefix(&format!("{end}_marked_")) {
                    write!(scoped, " marker-{end}=\"url(#{prefix}{name})\"").unwrap();
                }
            }
        }
        scoped.push_str(&rest[at..value_start + value_len]);
        rest = &rest[value_start + value_len..];
    }
    scoped.push_str(rest);
    scoped
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(drawing: &str) -> Vec<String> {
        let grid = grid(drawing);
        text_runs(&grid, &text_mask(&grid))
            .into_iter()
            .map(|r| r.2)
            .collect()
    }

    #[test]
    fn words_stay_whole_and_lines_are_left_to_svgbob() {
        assert_eq!(
            words("op  ----->  | ob_refcnt (low 2 bits = flags) |  <- id(obj)"),
            ["op", "ob_refcnt (low 2 bits = flags)", "id(obj)"]
        );
        assert_eq!(
            words("|tail| ->1 --ob_type--> type-specific mmap/munmap"),
            ["tail", "1", "ob_type", "type-specific mmap/munmap"]
        );
        assert_eq!(words("+-----+\n| ... |\n+-----+"), ["..."]);
    }

    #[test]
    fn a_lone_plus_is_a_word_unless_a_vertical_line_meets_it() {
        assert_eq!(words("op + 8"), ["op + 8"]);
        assert_eq!(words("op + 8\nop + 16"), ["op + 8", "op + 16"]);
        assert_eq!(words("|\n+\n|"), Vec::<String>::new());
    }
}
