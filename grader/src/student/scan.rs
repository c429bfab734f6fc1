//! An exercise's tests counted from its sources, so that `list` can show what each exercise is
//! worth before the student has built anything (a build of a crate takes minutes the first time;
//! `list` must answer at once).
//!
//! The test list of a real build is the authority, and `list` uses it as soon as one exists (see
//! `ExerciseState::max`). Before that, the test module and the modules it declares are parsed with
//! `syn`: a `#[test] fn`, a `#[test] fn` written inside a macro call (`proptest! { … }`), and
//! the tests a local `macro_rules!` writes once per entry of its call (`programs! { p01 =>
//! "01.py", … }`) are counted. Anything this cannot see through (a file that does not parse, a
//! missing module file, a macro from elsewhere) makes the answer `None` (`?` in `list`), never a
//! wrong number.

use std::collections::HashMap;
use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::{Attribute, Expr, Item, ItemMacro, ItemMod, Lit, Meta};

/// The full names (`ch01_add::adds`, `ch04_refcount::errors::x`) of the tests of the test module
/// `module` (`tests/chapters/<module>.rs`) of the crate at `crate_dir`; `None` when the sources
/// do not say for sure.
pub fn tests_in_sources(crate_dir: &Path, module: &str) -> Option<Vec<String>> {
    let dir = crate_dir.join("tests/chapters");
    let mut scan = Scan::default();
    scan.file(&dir.join(format!("{module}.rs")), &dir.join(module), module)?;
    Some(scan.names)
}

/// What a local `macro_rules!` does about tests.
enum TestMacro {
    /// It writes one test per entry of its call, named by the entry's first identifier; entries
    /// end with this punctuation (`,` in `$($name:ident => $file:literal,)*`).
    PerEntry(char),
    /// It writes tests in a way this does not follow.
    Unknown,
}

#[derive(Default)]
struct Scan {
    names: Vec<String>,
    macros: HashMap<String, TestMacro>,
}

impl Scan {
    /// The items of the file at `path`; its `mod x;` files are under `child_dir`.
    fn file(&mut self, path: &Path, child_dir: &Path, prefix: &str) -> Option<()> {
        let text = std::fs::read_to_string(path).ok()?;
        let file = syn::parse_file(&text).ok()?;
        self.items(&file.items, path.parent()?, child_dir, prefix)
    }

    fn items(
        &mut self,
        items: &[Item],
        file_dir: &Path,
        child_dir: &Path,
        prefix: &str,
    ) -> Option<()> {
        for item in items {
            match item {
                Item::Fn(f) if f.attrs.iter().any(is_test) => {
                    self.names.push(format!("{prefix}::{}", f.sig.ident));
                }
                Item::Mod(m) => self.module(m, file_dir, child_dir, prefix)?,
                Item::Macro(m) => self.macro_item(m, prefix)?,
                _ => {}
            }
        }
        Some(())
    }

    /// Where rustc finds a module: inline; `#[path]` relative to the declaring file's folder (the
    /// file found then places its own modules beside it, like a `mod.rs`); else `name.rs` or
    /// `name/mod.rs` under the declaring module's folder.
    fn module(
        &mut self,
        m: &ItemMod,
        file_dir: &Path,
        child_dir: &Path,
        prefix: &str,
    ) -> Option<()> {
        let name = m.ident.to_string();
        let inner = format!("{prefix}::{name}");
        let dir = child_dir.join(&name);
        if let Some((_, items)) = &m.content {
            return self.items(items, &dir, &dir, &inner);
        }
        if let Some(path) = path_attribute(&m.attrs) {
            let file = file_dir.join(path);
            return self.file(&file, file.parent()?, &inner);
        }
        let flat = child_dir.join(format!("{name}.rs"));
        if flat.is_file() {
            return self.file(&flat, &dir, &inner);
        }
        self.file(&dir.join("mod.rs"), &dir, &inner)
    }

    fn macro_item(&mut self, m: &ItemMacro, prefix: &str) -> Option<()> {
        let name = m.mac.path.segments.last()?.ident.to_string();
        if name == "macro_rules" {
            if let Some(ident) = &m.ident
                && let Some(rules) = test_macro(&m.mac.tokens)
            {
                self.macros.insert(ident.to_string(), rules);
            }
            return Some(());
        }
        let names = match self.macros.get(&name) {
            Some(TestMacro::PerEntry(end)) => entry_names(&m.mac.tokens, *end)?,
            Some(TestMacro::Unknown) => return None,
            None => {
                let literal = literal_tests(&m.mac.tokens);
                // A macro defined elsewhere might write tests this cannot see.
                if literal.is_empty() && name != "thread_local" {
                    return None;
                }
                literal
            }
        };
        for n in names {
            self.names.push(format!("{prefix}::{n}"));
        }
        Some(())
    }
}

fn is_test(a: &Attribute) -> bool {
    a.path().is_ident("test")
}

fn path_attribute(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

fn punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn ident(t: Option<&TokenTree>) -> Option<String> {
    match t {
        Some(TokenTree::Ident(i)) => Some(i.to_string()),
        _ => None,
    }
}

/// At `tokens[i]`, `#[test]` (then any other attributes) and `fn`: the index after `fn`.
fn after_test_fn(tokens: &[TokenTree], i: usize) -> Option<usize> {
    let is_attr = |j: usize, test_only: bool| {
        punct(tokens.get(j), '#')
            && matches!(tokens.get(j + 1), Some(TokenTree::Group(g))
                if g.delimiter() == Delimiter::Bracket
                    && (!test_only || g.stream().to_string() == "test"))
    };
    if !is_attr(i, true) {
        return None;
    }
    let mut j = i + 2;
    while is_attr(j, false) {
        j += 2;
    }
    (ident(tokens.get(j)).as_deref() == Some("fn")).then_some(j + 1)
}

/// The names of the `#[test] fn name` written out in `stream`, at any depth.
fn literal_tests(stream: &TokenStream) -> Vec<String> {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if let TokenTree::Group(g) = t {
            out.extend(literal_tests(&g.stream()));
        } else if let Some(j) = after_test_fn(&tokens, i)
            && let Some(name) = ident(tokens.get(j))
        {
            out.push(name);
        }
    }
    out
}

/// Does `stream` write `#[test] fn $var`, at any depth? Then `Some(var)`. `Some("")` for a test
/// whose name is not a macro variable.
fn templated_test(stream: &TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    for (i, t) in tokens.iter().enumerate() {
        if let TokenTree::Group(g) = t
            && let Some(var) = templated_test(&g.stream())
        {
            return Some(var);
        }
        if let Some(j) = after_test_fn(&tokens, i) {
            return Some(match punct(tokens.get(j), '$') {
                true => ident(tokens.get(j + 1)).unwrap_or_default(),
                false => String::new(),
            });
        }
    }
    None
}

/// What a `macro_rules!` body (`(matcher) => { transcriber };`…) does about tests: `None` if it
/// writes none. Followed: one rule whose matcher is `$($var:ident … end)*` (or `$(…),*`) and
/// whose transcriber writes `#[test] fn $var`.
fn test_macro(body: &TokenStream) -> Option<TestMacro> {
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    let groups: Vec<&proc_macro2::Group> = tokens
        .iter()
        .filter_map(|t| match t {
            TokenTree::Group(g) => Some(g),
            _ => None,
        })
        .collect();
    let writes_tests = groups.iter().any(|g| templated_test(&g.stream()).is_some());
    if !writes_tests {
        return None;
    }
    let [matcher, transcriber] = groups[..] else {
        return Some(TestMacro::Unknown);
    };
    let var = templated_test(&transcriber.stream()).unwrap_or_default();
    Some(per_entry(&matcher.stream(), &var).map_or(TestMacro::Unknown, TestMacro::PerEntry))
}

/// In a matcher `$( $var:ident … )sep*`, the punctuation that ends each entry: the repetition's
/// last token, else its separator.
fn per_entry(matcher: &TokenStream, var: &str) -> Option<char> {
    let tokens: Vec<TokenTree> = matcher.clone().into_iter().collect();
    let (i, rep) = tokens.iter().enumerate().find_map(|(i, t)| match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis && i > 0 => {
            punct(tokens.get(i - 1), '$').then_some((i, g))
        }
        _ => None,
    })?;
    let inner: Vec<TokenTree> = rep.stream().into_iter().collect();
    let starts_with_var = punct(inner.first(), '$')
        && ident(inner.get(1)).as_deref() == Some(var)
        && punct(inner.get(2), ':')
        && ident(inner.get(3)).as_deref() == Some("ident");
    if var.is_empty() || !starts_with_var {
        return None;
    }
    match (inner.last(), tokens.get(i + 1), tokens.get(i + 2)) {
        (Some(TokenTree::Punct(p)), _, _) if inner.len() > 4 => Some(p.as_char()),
        (_, Some(TokenTree::Punct(sep)), Some(TokenTree::Punct(_))) => Some(sep.as_char()),
        _ => None,
    }
}

/// The first identifier of each entry of a call, entries ending with `end`.
fn entry_names(call: &TokenStream, end: char) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut at_start = true;
    for t in call.clone() {
        if at_start {
            names.push(ident(Some(&t))?);
            at_start = false;
        } else if punct(Some(&t), end) {
            at_start = true;
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test module `ch01_x` (with the given files under tests/chapters/) scanned.
    fn scan(files: &[(&str, &str)]) -> Option<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join("tests/chapters").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        tests_in_sources(dir.path(), "ch01_x")
    }

    #[test]
    fn counts_test_fns_in_the_module_its_submodules_and_path_modules() {
        let names = scan(&[
            (
                "ch01_x.rs",
                "#[test] fn a() {}\nfn helper() {}\nmod sub;\n#[path = \"shared.rs\"] mod shared;\n\
                 mod inline { #[test] #[ignore] fn b() {} }",
            ),
            ("ch01_x/sub.rs", "#[test]\nfn c() {}\n"),
            ("shared.rs", "#[test]\nfn d() {}\n"),
        ]);
        assert_eq!(
            names.unwrap(),
            [
                "ch01_x::a",
                "ch01_x::sub::c",
                "ch01_x::shared::d",
                "ch01_x::inline::b"
            ]
        );
    }

    #[test]
    fn counts_tests_written_inside_a_macro_call() {
        let names = scan(&[(
            "ch01_x.rs",
            "proptest! {\n  #![proptest_config(Config::with_cases(8))]\n  #[test]\n  fn p(x in 0..3u8) { }\n}\n",
        )]);
        assert_eq!(names.unwrap(), ["ch01_x::p"]);
    }

    #[test]
    fn counts_one_test_per_entry_of_a_local_test_writing_macro() {
        let names = scan(&[(
            "ch01_x.rs",
            "macro_rules! programs {\n  ($($name:ident => $file:literal,)*) => {\n    \
             $(#[test] fn $name() { check($file); })*\n  };\n}\n\
             programs! {\n  p01 => \"a, b.py\",\n  p02 => \"c.py\",\n}\n",
        )]);
        assert_eq!(names.unwrap(), ["ch01_x::p01", "ch01_x::p02"]);
        let separated = scan(&[(
            "ch01_x.rs",
            "macro_rules! t { ($($n:ident),*) => { $(#[test] fn $n() {})* }; }\nt!(a, b, c);\n",
        )]);
        assert_eq!(separated.unwrap().len(), 3);
    }

    #[test]
    fn what_it_cannot_follow_gives_no_answer_rather_than_a_wrong_one() {
        // A macro from elsewhere, a missing module file, a file that does not parse.
        assert_eq!(
            scan(&[("ch01_x.rs", "tests_from_elsewhere!(a, b);\n")]),
            None
        );
        assert_eq!(scan(&[("ch01_x.rs", "mod gone;\n")]), None);
        assert_eq!(scan(&[("ch01_x.rs", "#[test] fn a( {}\n")]), None);
    }
}
