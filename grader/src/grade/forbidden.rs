//! Code that is not the student's own: `include!`-family macros and `#[path]` attributes.
//!
//! The sandbox sits inside the course (`<course>/target/grader/sandbox`), so a submitted file
//! with `#[path = "../../../../../solutions/…"] mod m;` or `include!("/…/solutions/…")` would
//! compile the course's real solution. Such a file is not graded (the grader uses the stub).
//!
//! The scan is on tokens, not text, so comments and strings never trigger it, and it is strict
//! where macros could hide the construct: the ident `include` (and `include_str`,
//! `include_bytes`) is refused anywhere, even without `!` (`use std::include as i;` would rename
//! it), and an attribute whose name comes from a macro argument (`#[$a]`) could be a `#[path]`.

use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

const INCLUDES: [&str; 3] = ["include", "include_str", "include_bytes"];

/// Why a submitted file cannot be graded as written.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// A construct that could pull in code from outside the submission (e.g. "`include_str!`",
    /// "`#[path]`").
    Outside(String),
    /// The file is not Rust tokens at all. It would not compile either, but it cannot be
    /// scanned, so it is not taken: the scan must see everything rustc will.
    Unreadable(String),
}

/// Why `source` is refused, or `None` if it may be graded.
pub fn find(source: &str) -> Option<Refused> {
    match TokenStream::from_str(without_shebang(source)) {
        Ok(tokens) => scan(tokens).map(Refused::Outside),
        Err(e) => Some(Refused::Unreadable(e.to_string())),
    }
}

/// rustc ignores a first line `#!…` unless it begins an inner attribute (`#![…]`, possibly with
/// whitespace or comments between `#!` and `[`); proc_macro2 does not, so strip it the same way.
fn without_shebang(source: &str) -> &str {
    let Some(rest) = source.strip_prefix("#!") else {
        return source;
    };
    let mut tail = rest;
    loop {
        tail = tail.trim_start();
        if let Some(after) = tail.strip_prefix("//") {
            tail = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = tail.strip_prefix("/*") {
            // Block comments nest in Rust.
            let mut depth = 1;
            let mut chars = after.char_indices();
            let mut end = after.len();
            while let Some((i, c)) = chars.next() {
                let next = after[i + c.len_utf8()..].chars().next();
                match (c, next) {
                    ('/', Some('*')) => depth += 1,
                    ('*', Some('/')) => depth -= 1,
                    _ => continue,
                }
                chars.next();
                if depth == 0 {
                    end = i + 2;
                    break;
                }
            }
            tail = &after[end.min(after.len())..];
        } else {
            break;
        }
    }
    if tail.starts_with('[') {
        return source;
    }
    // The shebang is the first line; keep its newline so line numbers do not move.
    source.find('\n').map_or("", |n| &source[n..])
}

fn scan(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Ident(id) => {
                let name = unraw(id);
                if INCLUDES.contains(&name.as_str()) {
                    return Some(format!("`{name}!`"));
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // `#[…]` or `#![…]`
                let next = match tokens.get(i + 1) {
                    Some(TokenTree::Punct(bang)) if bang.as_char() == '!' => tokens.get(i + 2),
                    other => other,
                };
                if let Some(TokenTree::Group(g)) = next
                    && g.delimiter() == Delimiter::Bracket
                    && let Some(why) = attribute(g.stream())
                {
                    return Some(why);
                }
            }
            TokenTree::Group(g) => {
                if let Some(why) = scan(g.stream()) {
                    return Some(why);
                }
            }
            _ => {}
        }
    }
    None
}

/// Is the attribute (the tokens inside `#[…]`) a `#[path]`, or one that could become one?
fn attribute(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    // The attribute's name: the last ident of its leading `a::b::c` path.
    let name = tokens
        .iter()
        .take_while(|t| match t {
            TokenTree::Ident(_) => true,
            TokenTree::Punct(p) => p.as_char() == ':',
            _ => false,
        })
        .filter_map(|t| match t {
            TokenTree::Ident(id) => Some(unraw(id)),
            _ => None,
        })
        .last();
    match name.as_deref() {
        Some("path") => Some("`#[path]`".into()),
        // `#[cfg_attr(cond, path = "…")]` applies a path attribute too.
        Some("cfg_attr") if mentions_path_or_metavariable(tokens.iter().cloned().collect()) => {
            Some("`#[cfg_attr(…, path …)]`".into())
        }
        Some(_) => None,
        // `#[$meta]` in a macro: the attribute is whatever the caller passes, `path = …` included.
        None if matches!(tokens.first(), Some(TokenTree::Punct(p)) if p.as_char() == '$') => {
            Some("an attribute built from a macro argument (`#[$…]`)".into())
        }
        None => None,
    }
}

fn mentions_path_or_metavariable(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(id) => unraw(&id) == "path",
        TokenTree::Punct(p) => p.as_char() == '$',
        TokenTree::Group(g) => mentions_path_or_metavariable(g.stream()),
        TokenTree::Literal(_) => false,
    })
}

/// `r#include` → `include`: a raw identifier names the same macro.
fn unraw(id: &proc_macro2::Ident) -> String {
    let s = id.to_string();
    s.strip_prefix("r#").map_or(s.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::{Refused, find};

    #[test]
    fn plain_code_comments_and_strings_pass() {
        let src = r#"
            //! Uses include! in a doc comment, and #[path] too.
            /// A path: "src/include.rs"
            #[derive(Debug)]
            #[allow(dead_code)]
            pub struct Path { path: String }
            pub fn f(path: &str) -> String { format!("include!({path})") }
            #[cfg_attr(test, derive(Clone))]
            struct S;
            macro_rules! m { ($i:ident) => { #[derive(Debug)] struct $i; } }
        "#;
        assert_eq!(find(src), None);
    }

    #[test]
    fn every_include_macro_is_found_even_raw_renamed_or_nested() {
        for src in [
            "include!(\"/x/solutions/a.rs\");",
            "pub fn f() -> &'static str { include_str!(\"../x\") }",
            "const B: &[u8] = core::include_bytes!(\"x\");",
            "r#include!(\"x\");",
            "use std::include as inc; inc!(\"x\");",
            "mod m { fn f() { let _ = [include_str!(\"x\")]; } }",
            "#[doc = include_str!(\"x\")] pub struct S;",
        ] {
            assert!(matches!(find(src), Some(Refused::Outside(_))), "{src}");
        }
    }

    #[test]
    fn path_attributes_are_found_in_every_form() {
        for src in [
            "#[path = \"../../solutions/a.rs\"] mod real;",
            "mod outer { #[path = \"x.rs\"] mod real; }",
            "#![path = \"x\"]",
            "#[cfg_attr(all(), path = \"x.rs\")] mod real;",
            "macro_rules! m { ($a:meta) => { #[$a] mod real; } }",
            "macro_rules! m { ($l:literal) => { #[path = $l] mod real; } }",
            // Strict on purpose: forwarding attributes could forward `path = …` too.
            "macro_rules! m { ($(#[$a:meta])* $i:ident) => { $(#[$a])* struct $i; } }",
        ] {
            assert!(matches!(find(src), Some(Refused::Outside(_))), "{src}");
        }
    }

    #[test]
    fn a_file_that_does_not_lex_is_refused_as_unreadable() {
        assert!(matches!(
            find("fn f() { \"unterminated }"),
            Some(Refused::Unreadable(_))
        ));
    }

    #[test]
    fn a_shebang_line_cannot_hide_what_follows() {
        // rustc drops the first line; a quote in it must not swallow the rest of the file.
        let src = "#!/bin/x\"\ninclude!(\"/course/solutions/a.rs\");";
        assert!(matches!(find(src), Some(Refused::Outside(_))));
        assert_eq!(find("#!/usr/bin/env run-cargo-script\npub fn f() {}"), None);
        // `#!` followed by `[` (even after comments) is an inner attribute, not a shebang.
        for src in [
            "#![path = \"x\"]",
            "#! /* c */ [path = \"x\"]",
            "#!// c\n[path = \"x\"]",
        ] {
            assert!(matches!(find(src), Some(Refused::Outside(_))), "{src}");
        }
    }
}
