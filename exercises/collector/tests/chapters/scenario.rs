//! Reads the expected output written at the end of a scenario file (`tests/scenarios/*.py`).
//!
//! Each scenario is a real Python program whose CPython 3.11 output is written at its end, after
//! a line `# Expected output (CPython 3.11):`, one `# `-prefixed line per output line. The chapter
//! tests replay the program on a `GcHeap` and compare with those lines; a solution-side test
//! (`solutions/collector/tests/scenarios.rs`) runs the file on `python3` and compares too, so the
//! expected output is CPython's, written in one place.

/// The marker line that starts the expected output.
pub const MARKER: &str = "# Expected output (CPython 3.11):";

/// The expected output lines of a scenario file's source.
pub fn expected_output(source: &str) -> Vec<String> {
    let (_, block) = source
        .split_once(MARKER)
        .expect("a scenario file ends with its expected output");
    block
        .lines()
        .skip(1) // the rest of the marker line
        .map(|line| {
            let line = line
                .strip_prefix('#')
                .expect("expected-output lines start with '#'");
            line.strip_prefix(' ').unwrap_or(line).to_string()
        })
        .collect()
}
