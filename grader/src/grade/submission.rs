//! Submissions: one folder or `.zip` file per student, and the only files taken from them —
//! `exercises/<crate>/src/**/*.rs`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use super::forbidden::{self, Refused};

/// Largest source file taken from a submission; bigger ones are skipped with a note.
const MAX_FILE_BYTES: u64 = 512 * 1024;
/// Limits on a zip file, so a zip bomb costs nothing.
const MAX_ZIP_ENTRIES: usize = 5_000;
const MAX_ZIP_BYTES: u64 = 64 * 1024 * 1024;

/// One student's work, as found.
#[derive(Debug)]
pub struct Submission {
    /// The folder name (or zip file stem).
    pub id: String,
    pub path: PathBuf,
}

/// The student's source files, by crate: `src/…` relative path → contents.
pub type StudentFiles = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// What a submission held, plus notes for the feedback (skipped files, layout guesses…).
#[derive(Debug, Default)]
pub struct Found {
    pub files: StudentFiles,
    pub notes: Vec<String>,
    /// No `exercises/` folder (nor crate folders) anywhere: everything is `missing`.
    pub no_exercises: bool,
}

/// Every immediate subfolder and `.zip` file of `dir`, sorted by id. Other files are reported.
/// `out` (the reports folder) is skipped if it sits inside `dir`, so a re-run does not grade it.
pub fn discover(dir: &Path, out: &Path) -> Result<(Vec<Submission>, Vec<String>)> {
    let out = out.canonicalize().ok();
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the submissions folder {}: check the path (it should hold one folder or \
             .zip file per student)",
            dir.display()
        )
    })?;
    let mut subs: Vec<Submission> = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if out.is_some() && path.canonicalize().ok() == out {
            ignored.push(format!("ignored {name}: it is the reports folder (--out)"));
            continue;
        }
        if kind.is_dir() {
            subs.push(Submission { id: name, path });
        } else if kind.is_file() && name.to_ascii_lowercase().ends_with(".zip") {
            let stem = name[..name.len() - 4].to_string();
            subs.push(Submission { id: stem, path });
        } else {
            ignored.push(format!("ignored {name}: not a folder or a .zip file"));
        }
    }
    subs.sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    // A folder and a zip with the same name: keep both, the zip under its full file name.
    for i in 1..subs.len() {
        if subs[i].id == subs[i - 1].id {
            let (a, b) = subs.split_at_mut(i);
            let zip = if b[0].path.is_file() {
                &mut b[0]
            } else {
                &mut a[i - 1]
            };
            zip.id = zip
                .path
                .file_name()
                .map_or(zip.id.clone(), |n| n.to_string_lossy().into_owned());
        }
    }
    Ok((subs, ignored))
}

/// Read a submission's source files for the given crates. Never fails: problems become notes.
/// `pristine` is the course's `exercises/` folder: a file that pulls in code from outside the
/// submission is replaced by its stub from there.
pub fn collect(sub: &Submission, crates: &[String], pristine: &Path, scratch: &Path) -> Found {
    let mut found = Found::default();
    let root = if sub.path.is_file() {
        let dest = scratch.join("unzipped");
        let _ = std::fs::remove_dir_all(&dest);
        match unzip(&sub.path, &dest) {
            Ok(()) => dest,
            Err(e) => {
                found
                    .notes
                    .push(format!("could not read {}: {e:#}", file_name(&sub.path)));
                found.no_exercises = true;
                return found;
            }
        }
    } else {
        sub.path.clone()
    };
    let Some(exercises) = find_exercises_dir(&root, crates) else {
        found.notes.push(
            "no exercises/ folder found in the submission (expected exercises/<crate>/src/…)"
                .to_string(),
        );
        found.no_exercises = true;
        return found;
    };
    // Said only when it is not the usual place (nor the upload itself: the crates at its top).
    if let Ok(rel) = exercises.strip_prefix(&root)
        && rel != Path::new("exercises")
        && rel != Path::new("")
    {
        found
            .notes
            .push(format!("took the exercises from {}/", rel.display()));
    }
    // Every file taken must really lie inside the submission: a link to a folder (say
    // `src -> /course/solutions/…/src`) would otherwise hand the grader someone else's code.
    let inside = root.canonicalize().unwrap_or_else(|_| root.clone());
    for krate in crates {
        let src = exercises.join(krate).join("src");
        let mut files = BTreeMap::new();
        for entry in WalkDir::new(&src).follow_links(false).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(exercises.join(krate)) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !entry
                .path()
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&inside))
            {
                found.notes.push(format!(
                    "skipped exercises/{krate}/{rel}: it lies outside the submission (a link)"
                ));
                continue;
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            if size > MAX_FILE_BYTES {
                found.notes.push(format!(
                    "skipped exercises/{krate}/{rel}: {size} bytes is more than the {MAX_FILE_BYTES}-byte limit"
                ));
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let Some(refused) = forbidden::find(&text) else {
                        files.insert(rel, bytes);
                        continue;
                    };
                    // Grade it as the stub would be, so the exercise is not "missing".
                    let stub = std::fs::read(pristine.join(krate).join(&rel)).ok();
                    let what = if stub.is_some() {
                        "the file was replaced by the stub"
                    } else {
                        "the file was left out"
                    };
                    found.notes.push(match refused {
                        Refused::Outside(how) => format!(
                            "exercises/{krate}/{rel} uses include!/#[path] ({how}): submissions \
                             may only contain their own code; {what}"
                        ),
                        Refused::Unreadable(why) => format!(
                            "exercises/{krate}/{rel} is not valid Rust ({why}); {what} (run \
                             `cargo course check` to see the compiler's error)"
                        ),
                    });
                    if let Some(stub) = stub {
                        files.insert(rel, stub);
                    }
                }
                Err(e) => found
                    .notes
                    .push(format!("could not read exercises/{krate}/{rel}: {e}")),
            }
        }
        if !files.is_empty() {
            found.files.insert(krate.clone(), files);
        }
    }
    found
}

/// One upload (Gradescope's `/autograder/submission`): the folder itself holds the exercises
/// (`exercises/…`, `course-main/exercises/…`, or the crate folders at its top), or else a `.zip`
/// file at its top does (the first, by name, that holds any).
pub fn collect_upload(dir: &Path, crates: &[String], pristine: &Path, scratch: &Path) -> Found {
    let as_folder = |path: &Path| Submission {
        id: file_name(path),
        path: path.to_path_buf(),
    };
    if !dir.is_dir() {
        return Found {
            notes: vec![format!(
                "the submission folder {} does not exist",
                dir.display()
            )],
            no_exercises: true,
            ..Found::default()
        };
    }
    let found = collect(&as_folder(dir), crates, pristine, scratch);
    if !found.no_exercises {
        return found;
    }
    let mut zips: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && file_name(p).to_ascii_lowercase().ends_with(".zip"))
        .collect();
    zips.sort();
    let mut notes = found.notes;
    for zip in &zips {
        let mut inner = collect(&as_folder(zip), crates, pristine, scratch);
        if !inner.no_exercises {
            inner
                .notes
                .insert(0, format!("took the exercises from {}", file_name(zip)));
            return inner;
        }
        let name = file_name(zip);
        notes.extend(inner.notes.into_iter().map(|n| {
            if n.contains(&name) {
                n
            } else {
                format!("in {name}: {n}")
            }
        }));
    }
    Found {
        notes,
        no_exercises: true,
        ..Found::default()
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The shallowest folder named `exercises`; else a folder that directly holds a course crate
/// (a student who zipped `collector/` alone).
fn find_exercises_dir(root: &Path, crates: &[String]) -> Option<PathBuf> {
    let walk = || {
        WalkDir::new(root)
            .max_depth(4)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
    };
    let mut named: Vec<_> = walk()
        .filter(|e| e.file_name() == "exercises")
        .map(|e| (e.depth(), e.into_path()))
        .collect();
    named.sort();
    if let Some((_, p)) = named.into_iter().next() {
        return Some(p);
    }
    walk()
        .filter(|e| {
            crates.iter().any(|c| e.file_name() == c.as_str()) && e.path().join("src").is_dir()
        })
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .next()
}

/// Extract a zip safely: names must stay inside `dest`, no symlinks, bounded size and count.
fn unzip(zip_path: &Path, dest: &Path) -> Result<()> {
    let file = std::fs::File::open(zip_path)?;
    let mut archive = zip::ZipArchive::new(file).context("not a readable zip archive")?;
    if archive.len() > MAX_ZIP_ENTRIES {
        bail!(
            "{} entries is more than the {MAX_ZIP_ENTRIES} allowed",
            archive.len()
        );
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let Some(rel) = entry.enclosed_name() else {
            continue; // absolute or `..` path: never written
        };
        if entry.is_symlink() {
            continue;
        }
        let out = dest.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&out)?;
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut bytes = Vec::new();
        let budget = MAX_ZIP_BYTES - total;
        (&mut entry).take(budget + 1).read_to_end(&mut bytes)?;
        total += bytes.len() as u64;
        if total > MAX_ZIP_BYTES {
            bail!(
                "it unpacks to more than {} MiB",
                MAX_ZIP_BYTES / (1024 * 1024)
            );
        }
        std::fs::write(&out, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::unzip;

    #[test]
    fn unzip_writes_nothing_outside_its_folder() {
        let root = tempfile::tempdir().unwrap();
        let zip_path = root.path().join("hostile.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for name in ["../../escaped.rs", "/tmp/abs_escaped.rs", "ok/inside.rs"] {
            zip.start_file(name, opts).unwrap();
            zip.write_all(b"fn f() {}").unwrap();
        }
        zip.add_symlink("link_escaped", "../../..", opts).unwrap();
        zip.finish().unwrap();
        // Deep enough that `../../` still lands inside the temp folder, where we can look.
        let dest = root.path().join("a/b/unzipped");
        unzip(&zip_path, &dest).unwrap();
        assert!(dest.join("ok/inside.rs").is_file());
        let escaped: Vec<_> = walkdir::WalkDir::new(root.path())
            .into_iter()
            .flatten()
            .filter(|e| !e.path().starts_with(&dest))
            .filter(|e| e.file_name().to_string_lossy().contains("escaped"))
            .map(|e| e.into_path())
            .collect();
        assert!(escaped.is_empty(), "{escaped:?}");
        // An absolute name is made relative: it stays inside too.
        assert!(!std::path::Path::new("/tmp/abs_escaped.rs").exists());
        assert!(!dest.join("escaped.rs").exists() && !dest.join("link_escaped").exists());
    }
}
