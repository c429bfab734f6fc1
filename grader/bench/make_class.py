#!/usr/bin/env python3
"""Write a class of real-looking submissions for timing `cargo course grade`.

    python3 grader/bench/make_class.py OUT_DIR [--students 100] [--seed 7]

Each student is made from the course's solutions and stubs, exercise by exercise, the way a
class really looks part-way through a term: most exercises done, some not started (the stub),
some not submitted, a few with a compile error or a bug that fails some tests, and a handful of
students whose code loops forever or panics. Some hand in a .zip, some their whole repository
(with a target/ folder the grader must ignore). Deterministic for a given seed, so two runs of
the benchmark grade the same class.

This is a benchmark input, not a test: it only writes files. See grader/README.md ("How fast").
"""

import argparse
import random
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def exercises():
    manifest = tomllib.loads((ROOT / "exercises/course.toml").read_text())
    return manifest["exercise"]


def source(kind, krate, rel):
    """A file of the solutions or the stubs, following the solutions' symlinks."""
    base = ROOT / ("solutions" if kind == "solution" else "exercises") / krate
    return (base / rel).read_text()


def break_compile(text):
    """A typo a student makes: a missing semicolon after the first `let`."""
    return re.sub(r"(let [^;\n]+);", r"\1", text, count=1)


def add_bug(text, rng):
    """An off-by-one somewhere: the kind of bug that fails some tests, not all."""
    spots = [m.start() for m in re.finditer(r" \+ 1\b| - 1\b| >= | <= ", text)]
    if not spots:
        return text.replace("todo!()", "todo!()", 1)
    at = rng.choice(spots)
    swap = {" + 1": " + 2", " - 1": " - 2", " >= ": " > ", " <= ": " < "}
    for old, new in swap.items():
        if text.startswith(old, at):
            return text[:at] + new + text[at + len(old):]
    return text


def hang(text):
    """An infinite loop at the top of the first function with a body."""
    return re.sub(r"(\bfn [^{;]*\{)", r"\1\n    loop { std::hint::spin_loop(); }\n", text, count=1)


def student_files(rng, exs, profile):
    files = {}
    progress = {"strong": 1.0, "typical": 0.75, "behind": 0.4}[profile]
    for i, ex in enumerate(exs):
        reached = i < len(exs) * progress
        roll = rng.random()
        for rel in ex["files"]:
            path = f"{ex['crate']}/{rel}"
            if not reached:
                if roll < 0.5:
                    files[path] = source("stub", ex["crate"], rel)
                continue  # not submitted
            text = source("solution", ex["crate"], rel)
            if roll < 0.04:
                text = break_compile(text)
            elif roll < 0.15:
                text = add_bug(text, rng)
            files[path] = text
    return files


def write(out, sid, files, how, rng):
    if how == "zip":
        with zipfile.ZipFile(out / f"{sid}.zip", "w") as z:
            for path, text in sorted(files.items()):
                z.writestr(f"course-main/exercises/{path}", text)
        return
    base = out / sid
    if how == "repo":
        base = base / "python-memory-course"
        junk = base / "target/debug/deps"
        junk.mkdir(parents=True)
        (junk / "libjunk.rlib").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    for path, text in files.items():
        dest = base / "exercises" / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    exs = exercises()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    for n in range(args.students):
        sid = f"student{n:03}"
        profile = rng.choices(["strong", "typical", "behind"], [5, 3, 2])[0]
        files = student_files(rng, exs, profile)
        roll = rng.random()
        if roll < 0.03 and files:
            # One exercise's first function never returns: its tests time out.
            path = rng.choice(sorted(p for p in files if "/src/" in p))
            files[path] = hang(files[path])
        elif roll < 0.06 and files:
            path = rng.choice(sorted(files))
            files[path] = files[path].replace("{\n", "{\n    panic!(\"not today\");\n", 2)
        how = rng.choices(["folder", "zip", "repo"], [7, 2, 1])[0]
        write(args.out, sid, files, how, rng)
    print(f"wrote {args.students} submissions into {args.out}")


if __name__ == "__main__":
    main()
