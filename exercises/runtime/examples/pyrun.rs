//! Runs a Python file on the runtime: `cargo course run FILE.py` builds and calls this.
//! Usage: pyrun FILE.py [--stress] [--stats]. Prints what the program printed; exits with its
//! status (1 after an uncaught exception).

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: pyrun FILE.py [--stress] [--stats]");
        std::process::exit(2);
    };
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let options = runtime::Options {
        stress: args.iter().any(|a| a == "--stress"),
        stats: args.iter().any(|a| a == "--stats"),
        ..Default::default()
    };
    let out = runtime::run_source(&source, path, &options);
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(out.text.as_bytes());
    let _ = stdout.flush();
    std::process::exit(out.status);
}
