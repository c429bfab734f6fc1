//! A class too large for one machine: `grade --shard I/N` grades a deterministic slice of it, and
//! `merge` joins the slices' reports into the reports one run over the whole class would write.
//!
//! A slice is every N-th submission in the order `grade` sorts them (by id), starting at the I-th:
//! slices are disjoint, cover the class, differ in size by at most one, and need nothing but the
//! submissions folder to agree on (each shard of a CI matrix or a Kubernetes Indexed Job lists the
//! same folder). A shard's `grades.json` holds everything the reports are made from, so `merge`
//! reads only those files, never a submission.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, Result, bail};

use super::{Gradebook, report};
use crate::course::Course;

/// `I/N`: the I-th of N slices, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("`{s}` is not a shard: write I/N, e.g. 2/4 for the second of four");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let (index, count) = (
            i.trim().parse::<usize>().map_err(|_| usage())?,
            n.trim().parse::<usize>().map_err(|_| usage())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {s}: I must be between 1 and N (a Kubernetes completion index starts at 0: \
                 pass $((JOB_COMPLETION_INDEX + 1))/N)"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Keep this shard's items of a list in grading order.
    pub fn select<T>(&self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index - 1)
            .map(|(_, item)| item)
            .collect()
    }
}

/// Files a shard writes besides the reports made from `grades.json`: copied as they are.
/// (`gradescope/` depends on options `grades.json` does not record; `similarity.csv` is computed
/// by every shard over the whole class, so any shard's copy is the class's.)
const COPIED: [&str; 2] = ["gradescope", ".cache"];

/// `merge SHARD_DIR… --out DIR`: the reports of one run over the union of the shards' students.
/// Fails, writing nothing, if the shards graded different courses or the same student twice.
pub fn merge(course: &Course, shards: &[PathBuf], out: &Path) -> Result<Gradebook> {
    if shards.is_empty() {
        bail!("name the shards' report folders: `cargo course merge out-1 out-2 … --out DIR`");
    }
    let mut merged: Option<Gradebook> = None;
    let mut seen = std::collections::BTreeMap::<String, PathBuf>::new();
    for dir in shards {
        let path = dir.join("grades.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {}: is {} the --out folder of a `cargo course grade --shard` run \
                 that finished?",
                path.display(),
                dir.display()
            )
        })?;
        let book: Gradebook = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a grader's grades.json", path.display()))?;
        for s in &book.students {
            if let Some(first) = seen.insert(s.id.clone(), dir.clone()) {
                bail!(
                    "student {} was graded in both {} and {}: were the shards run with the same \
                     N and different I?",
                    s.id,
                    first.display(),
                    dir.display()
                );
            }
        }
        match &mut merged {
            None => merged = Some(book),
            Some(m) if m.course != book.course || m.hidden != book.hidden => bail!(
                "{} was graded with a different course or different hidden tests than {}: merge \
                 only the shards of one run",
                dir.display(),
                shards[0].display()
            ),
            Some(m) => m.students.extend(book.students),
        }
    }
    let mut book = merged.expect("at least one shard");
    // The order `grade` writes: by id.
    book.students.sort_by(|a, b| a.id.cmp(&b.id));
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    report::write_all(course, &book, out)?;
    for dir in shards {
        for name in COPIED {
            copy_dir_into(&dir.join(name), &out.join(name))?;
        }
    }
    if let Some(first) = shards.iter().find(|d| d.join("similarity.csv").is_file()) {
        std::fs::copy(first.join("similarity.csv"), out.join("similarity.csv"))
            .with_context(|| format!("cannot copy {}/similarity.csv", first.display()))?;
    }
    Ok(book)
}

/// Copy the files of `from` (if it exists; not recursive: these folders are flat) into `to`.
fn copy_dir_into(from: &Path, to: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let dest = to.join(entry.file_name());
            std::fs::copy(entry.path(), &dest)
                .with_context(|| format!("cannot write {}", dest.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_parsed_from_i_slash_n_and_checked() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "2", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_are_disjoint_balanced_and_cover_the_class() {
        let class: Vec<u32> = (0..10).collect();
        let mut all = Vec::new();
        for index in 1..=3 {
            let part = Shard { index, count: 3 }.select(class.clone());
            assert!((3..=4).contains(&part.len()), "{part:?}");
            all.extend(part);
        }
        all.sort();
        assert_eq!(all, class);
    }
}
