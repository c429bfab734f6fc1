//! `similarity.csv`: pairs of students whose *edited* code is unusually alike, for a human to look
//! at. The method is MOSS's (Schleimer, Wilkerson, Aiken, "Winnowing: local algorithms for
//! document fingerprinting", SIGMOD 2003):
//!
//! 1. each `.rs` file becomes a stream of normalised tokens: comments and whitespace vanish, every
//!    non-keyword identifier is one placeholder and every literal one per kind, so renaming
//!    variables or rewording comments hides nothing;
//! 2. every k-gram (K consecutive tokens) is hashed, and winnowing keeps the smallest hash of each
//!    window of W k-grams as a fingerprint;
//! 3. fingerprints found in the stubs or in more than a small share of the class (idioms, the
//!    obvious answer) are dropped: only unusual shared code counts;
//! 4. a pair's score is its shared fingerprints over the smaller student's (containment), so
//!    copying into a bigger submission still scores high.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result};
use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Files by crate, then by path relative to the crate (`"allocator"` → `"src/pool.rs"` → bytes):
/// the same shape as a student's collected files.
pub type CrateFiles = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// Two students whose edited code is unusually alike (`a` sorts before `b`).
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarPair {
    pub a: String,
    pub b: String,
    /// Shared fingerprints / the fingerprints of whichever of the two has fewer: 0..=1.
    pub score: f64,
    /// The files where the shared fragments are, in either copy: `"allocator/src/pool.rs"`.
    pub files: Vec<String>,
    /// How many fingerprints (fragments of K tokens) the two share.
    pub shared_fragments: usize,
}

/// Tokens per k-gram: shared code shorter than this is never seen. All identifiers look alike
/// once normalised (`let I = I . I ( ) ;` is 9 tokens), so short k-grams match by chance between
/// independent solutions; 25 tokens, two or three lines, is where someone's own code begins.
const K: usize = 25;
/// Winnowing window, in k-grams: any run of W + K - 1 = 32 tokens (three or four lines) that two
/// files share gives them a common fingerprint, while only about 2 / (W + 1) of k-grams are kept.
const W: usize = 8;
/// A pair is listed when at least half of one student's unusual code is also the other's…
const MIN_SCORE: f64 = 0.5;
/// …and that is more than a small edit. The k-grams straddling an edit and the stub around it
/// count too, so one identical edited line of ~15 tokens already gives about 8 shared
/// fingerprints; 16 takes some 50 shared tokens, five lines or so.
const MIN_SHARED: usize = 16;

const IDENT: u64 = 1;
const STRING: u64 = 2;
const NUMBER: u64 = 3;
const CHAR: u64 = 4;
const PUNCT: u64 = 0x100; // + the character
const KEYWORD: u64 = 0x1_0000_0000; // + its index in KEYWORDS

/// Rust's keywords, strict and reserved, sorted (for a binary search): they stay, as the structure
/// they give is what counts.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Pairs of `students` whose edited code is unusually alike, best first (score descending, then
/// ids). `stubs`: the pristine course's files (what every student started from; fragments found
/// there are ignored). `students`: (id, files) for every student of the class.
pub fn similar_pairs(stubs: &CrateFiles, students: &[(String, CrateFiles)]) -> Vec<SimilarPair> {
    // Every k-gram of the stubs, not just their fingerprints: a student's winnowing may pick one
    // the stub's did not. The crude split too, for student files that do not tokenise.
    let mut stub_grams = HashSet::new();
    for (_, source) in rust_files(stubs) {
        stub_grams.extend(kgrams(&tokens(&source)));
        stub_grams.extend(kgrams(&crude_tokens(&source)));
    }
    // Tokenising is most of the work, and students are independent: one share of them per core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let prints: Vec<_> = std::thread::scope(|scope| {
        let work = |share: &[(String, CrateFiles)]| -> Vec<_> {
            share
                .iter()
                .map(|(_, files)| fingerprint(files, &stub_grams))
                .collect()
        };
        let share = students.len().div_ceil(cores).max(1);
        let threads: Vec<_> = students
            .chunks(share)
            .map(|s| scope.spawn(move || work(s)))
            .collect();
        let joined = threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        joined.flatten().collect()
    });

    // How many students have each fingerprint: in any of their k-grams, not only among their
    // fingerprints, as winnowing at a fragment's edges depends on the code around it.
    let mut class_count: HashMap<u64, (usize, usize)> = HashMap::new();
    for (marks, _) in &prints {
        class_count.extend(marks.keys().map(|&hash| (hash, (0, usize::MAX))));
    }
    for (s, (_, grams)) in prints.iter().enumerate() {
        for hash in grams {
            // (count, last student counted): a student counts once however often they have it.
            if let Some((count, last)) = class_count.get_mut(hash)
                && *last != s
            {
                (*count, *last) = (*count + 1, s);
            }
        }
    }
    // Held by more than max(2, 20 %) of the class: an idiom or the obvious answer, not a sign
    // that two people worked together.
    let common = |hash: &u64| class_count[hash].0 > 2 && class_count[hash].0 * 5 > students.len();

    // fingerprint → its students, so pairs are counted per shared fingerprint rather than by
    // comparing every student with every other.
    let (mut index, mut unusual) = (HashMap::<u64, Vec<u32>>::new(), Vec::new());
    for (s, (mut marks, _)) in prints.into_iter().enumerate() {
        marks.retain(|hash, _| !common(hash));
        for &hash in marks.keys() {
            index.entry(hash).or_default().push(s as u32);
        }
        unusual.push(marks);
    }
    let mut shared: HashMap<(u32, u32), usize> = HashMap::new();
    for holders in index.values() {
        for (i, &x) in holders.iter().enumerate() {
            for &y in &holders[i + 1..] {
                *shared.entry((x, y)).or_default() += 1;
            }
        }
    }

    let mut pairs: Vec<SimilarPair> = shared
        .into_iter()
        .filter_map(|((x, y), count)| {
            let [(a, a_files), (b, b_files)] = [x, y].map(|s| &students[s as usize]);
            let [a_marks, b_marks] = [x, y].map(|s| &unusual[s as usize]);
            let score = count as f64 / a_marks.len().min(b_marks.len()) as f64;
            if count < MIN_SHARED || score < MIN_SCORE {
                return None;
            }
            let mut files = BTreeSet::new();
            for (marks, crates, other) in [(a_marks, a_files, b_marks), (b_marks, b_files, a_marks)]
            {
                let names: Vec<String> = rust_files(crates).map(|(name, _)| name).collect();
                let here = marks.iter().filter(|(hash, _)| other.contains_key(hash));
                files.extend(
                    here.flat_map(|(_, f)| f)
                        .map(|&f| names[f as usize].clone()),
                );
            }
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            Some(SimilarPair {
                a: a.clone(),
                b: b.clone(),
                score,
                files: files.into_iter().collect(),
                shared_fragments: count,
            })
        })
        .collect();
    pairs.sort_by(|p, q| {
        q.score
            .total_cmp(&p.score)
            .then_with(|| (&p.a, &p.b).cmp(&(&q.a, &q.b)))
    });
    pairs
}

/// Writes `out_dir/similarity.csv` (always, also when no pair is listed: then only the comment
/// and the header). The same pairs give a byte-identical file.
pub fn write_csv(pairs: &[SimilarPair], out_dir: &Path) -> Result<()> {
    let mut csv = String::from(
        "# Pairs of submissions whose edited code is unusually alike (stub code and code common \
         in the class ignored): a prompt for a human to look, not a verdict of copying.\n\
         student_a,student_b,score,shared_fragments,files\n",
    );
    for p in pairs {
        let (a, b, files) = (csv_field(&p.a), csv_field(&p.b), p.files.join(";"));
        let (score, shared, files) = (p.score, p.shared_fragments, csv_field(&files));
        csv.push_str(&format!("{a},{b},{score:.2},{shared},{files}\n"));
    }
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
    let path = out_dir.join("similarity.csv");
    std::fs::write(&path, csv).with_context(|| format!("cannot write {}", path.display()))
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break, or starts with `#`
/// (a reader skipping `#` comment lines would drop the row).
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.starts_with('#') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One student's winnowed fingerprints not in the stubs, each with the files it is in (indexes
/// into `rust_files(files)`); and all their k-grams not in the stubs (the edited code: only
/// these can match a fingerprint).
fn fingerprint(
    files: &CrateFiles,
    stub_grams: &HashSet<u64>,
) -> (HashMap<u64, Vec<u32>>, Vec<u64>) {
    let (mut marks, mut grams) = (HashMap::<u64, Vec<u32>>::new(), Vec::new());
    for (f, (_, source)) in rust_files(files).enumerate() {
        let file_grams = kgrams(&tokens(&source));
        let own: Vec<bool> = file_grams
            .iter()
            .map(|hash| !stub_grams.contains(hash))
            .collect();
        for i in winnow(&file_grams).into_iter().filter(|&i| own[i]) {
            let in_files = marks.entry(file_grams[i]).or_default();
            if in_files.last() != Some(&(f as u32)) {
                in_files.push(f as u32);
            }
        }
        grams.extend(
            file_grams
                .into_iter()
                .zip(own)
                .filter_map(|(hash, own)| own.then_some(hash)),
        );
    }
    (marks, grams)
}

/// The `.rs` files of `files` in a fixed order, as `crate/path` and text.
fn rust_files(files: &CrateFiles) -> impl Iterator<Item = (String, Cow<'_, str>)> {
    files.iter().flat_map(|(krate, paths)| {
        let rust = paths.iter().filter(|(path, _)| path.ends_with(".rs"));
        rust.map(move |(path, bytes)| (format!("{krate}/{path}"), String::from_utf8_lossy(bytes)))
    })
}

/// The normalised tokens of a file, as hashes. A file that does not tokenise (a syntax error)
/// falls back to a whitespace split, so it still counts.
fn tokens(source: &str) -> Vec<u64> {
    let Ok(stream) = TokenStream::from_str(source) else {
        return crude_tokens(source);
    };
    let mut out = Vec::new();
    flatten(stream, &mut out);
    out
}

fn crude_tokens(source: &str) -> Vec<u64> {
    source.split_whitespace().map(word_hash).collect()
}

/// Appends the normalised tokens of `stream`, its groups flattened between their delimiters.
fn flatten(stream: TokenStream, out: &mut Vec<u64>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        // Doc comments arrive as `#[doc = "…"]` (`#![doc = "…"]`): comments, so they vanish.
        if let Some(len) = doc_attribute(&trees[i..]) {
            i += len;
            continue;
        }
        // Token ids only need to differ (the k-gram hash mixes them): small numbers for the
        // normalised kinds, clear of each other.
        match &trees[i] {
            TokenTree::Ident(ident) => {
                let keyword = KEYWORDS.binary_search(&ident.to_string().as_str()).ok();
                out.push(keyword.map_or(IDENT, |k| KEYWORD + k as u64));
            }
            TokenTree::Punct(punct) => out.push(PUNCT + u64::from(punct.as_char())),
            TokenTree::Literal(lit) => out.push(literal_kind(&lit.to_string())),
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => (Some('('), Some(')')),
                    Delimiter::Brace => (Some('{'), Some('}')),
                    Delimiter::Bracket => (Some('['), Some(']')),
                    Delimiter::None => (None, None),
                };
                out.extend(open.map(|c| PUNCT + u64::from(c)));
                flatten(group.stream(), out);
                out.extend(close.map(|c| PUNCT + u64::from(c)));
            }
        }
        i += 1;
    }
}

/// How many trees the `#[doc …]` or `#![doc …]` attribute starting `trees` takes, if it is one.
fn doc_attribute(trees: &[TokenTree]) -> Option<usize> {
    let is =
        |i: usize, c: char| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    if !is(0, '#') {
        return None;
    }
    let bang = is(1, '!') as usize;
    let Some(TokenTree::Group(group)) = trees.get(1 + bang) else {
        return None;
    };
    let first = group.stream().into_iter().next();
    let doc = matches!(first, Some(TokenTree::Ident(i)) if i == "doc");
    (group.delimiter() == Delimiter::Bracket && doc).then_some(2 + bang)
}

/// A literal's kind: its value is renamed away like an identifier's name.
fn literal_kind(literal: &str) -> u64 {
    if literal.starts_with('\'') || literal.starts_with("b'") {
        CHAR
    } else if literal.contains('"') {
        STRING
    } else {
        NUMBER
    }
}

/// FNV-1a of a word of a file that does not tokenise: fixed, so the same input gives the same
/// report.
fn word_hash(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in word.as_bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The hash of every k-gram of `tokens`: a rolling polynomial hash, mixed by splitmix64's
/// finaliser so that winnowing's "smallest in the window" picks evenly.
fn kgrams(tokens: &[u64]) -> Vec<u64> {
    const BASE: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let top = (1..K).fold(1u64, |power, _| power.wrapping_mul(BASE)); // BASE^(K-1)
    let mut rolling = 0u64;
    let mut out = Vec::with_capacity(tokens.len().saturating_sub(K - 1));
    for (i, &token) in tokens.iter().enumerate() {
        if i >= K {
            rolling = rolling.wrapping_sub(tokens[i - K].wrapping_mul(top));
        }
        rolling = rolling.wrapping_mul(BASE).wrapping_add(token);
        if i + 1 >= K {
            out.push(mix(rolling));
        }
    }
    out
}

/// Winnowing: the position of the smallest hash in each window of W k-grams (the rightmost on a
/// tie), each position taken once. A file with fewer k-grams than a window gives its smallest.
fn winnow(grams: &[u64]) -> Vec<usize> {
    let window = W.min(grams.len()).max(1);
    let (mut picked, mut best) = (Vec::new(), 0);
    for end in 0..grams.len() {
        if end >= window && best <= end - window {
            // The minimum left the window: look for the new one in the whole window.
            best = end + 1 - window;
            for i in best + 1..=end {
                if grams[i] <= grams[best] {
                    best = i;
                }
            }
        } else if grams[end] <= grams[best] {
            best = end;
        }
        if end + 1 >= window && picked.last() != Some(&best) {
            picked.push(best);
        }
    }
    picked
}

#[cfg(test)]
mod tests;
