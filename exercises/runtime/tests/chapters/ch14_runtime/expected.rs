//! Reading a program's expected output and comparing what the runtime printed with it.

// The corpus programs end with their expected output in the collector scenarios' format: one
// reader for both.
#[path = "../../../../collector/tests/chapters/scenario.rs"]
mod scenario;
pub use scenario::expected_output;

/// Output lines made comparable: addresses become `0x…`, and the indented lines of a traceback
/// (file, line and source) are left out: only its first and last lines are compared.
pub fn normalise(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_traceback = false;
    for line in text.lines() {
        if line == "Traceback (most recent call last):" {
            in_traceback = true;
            lines.push(line.to_string());
            continue;
        }
        if in_traceback && line.starts_with("  ") {
            continue;
        }
        in_traceback = false;
        lines.push(hide_addresses(line));
    }
    lines
}

fn hide_addresses(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let hex = rest[at + 2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - at - 2);
        // An address already written `0x…` (as expected outputs write them) stays as it is.
        out.push_str(if hex > 0 { "0x…" } else { "0x" });
        rest = &rest[at + 2 + hex..];
    }
    out.push_str(rest);
    out
}

/// Runs `source` on the runtime and asserts that it prints `expected`, with a line-by-line
/// diff in the failure message.
pub fn assert_prints(name: &str, source: &str, stress: bool, expected: &[String]) {
    let options = runtime::Options {
        stress,
        ..Default::default()
    };
    let out = runtime::run_source(source, name, &options);
    let got = normalise(&out.text);
    let want: Vec<String> = expected.iter().map(|l| hide_addresses(l)).collect();
    if got == want {
        return;
    }
    let mut diff = String::new();
    for i in 0..got.len().max(want.len()) {
        match (want.get(i), got.get(i)) {
            (Some(w), Some(g)) if w == g => diff += &format!("   {w}\n"),
            (w, g) => {
                if let Some(w) = w {
                    diff += &format!(" - {w}\n");
                }
                if let Some(g) = g {
                    diff += &format!(" + {g}\n");
                }
            }
        }
    }
    let mode = if stress { " under --stress" } else { "" };
    let again = if name.ends_with(".py") && name != "test.py" && name != "stress.py" {
        let flag = if stress { " --stress" } else { "" };
        format!(
            "\nRun it yourself: cargo course run --compare{flag} exercises/runtime/tests/programs/{name}"
        )
    } else {
        String::new()
    };
    panic!(
        "{name}{mode}: the runtime's output (+) differs from CPython 3.11's (-):\n{diff}{again}"
    );
}
