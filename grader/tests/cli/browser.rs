//! The built book in a real browser: the real book, served on 127.0.0.1 by a tiny static file
//! server, driven in headless Chromium by `grader/tests/browser/check.mjs` (playwright-core).
//! It checks every page for console and page errors, requests leaving 127.0.0.1, search, internal
//! links and anchors, figures' sizes and sideways scrolling at 390 px and 1280 px, and saves
//! screenshots under `target/browser-screenshots/`.
//!
//! Needs Debian's `chromium` (or CHROMIUM_PATH), `node`, and
//! `npm ci --prefix grader/tests/browser`. Without them the test says so and passes, unless the
//! environment variable CI is set (`.ci/run` sets it): then their absence fails the test.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::common::*;

/// Serve `root`'s files on 127.0.0.1 (a free port) from a background thread; the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = respond(&root, stream);
            });
        }
    });
    url
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" | "md" | "rs" | "py" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded (a URL path's bytes).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One request (GET or HEAD), one response, then the connection closes.
fn respond(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains('\\') {
            file = root.join("\0forbidden");
            break;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) => ("200 OK", body, content_type(&file)),
        Err(_) => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
            "text/html; charset=utf-8",
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: max-age=600\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// What the check needs and is missing, with how to install it.
fn missing_tools(root: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium ({}): `apt-get install chromium`, or set CHROMIUM_PATH",
            chromium.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("node: `apt-get install nodejs npm`".to_string());
    }
    if !root
        .join("grader/tests/browser/node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(
            "playwright-core (grader/tests/browser/node_modules): `npm ci --prefix grader/tests/browser`"
                .to_string(),
        );
    }
    missing
}

#[test]
fn the_built_book_works_in_a_browser() {
    let root = repo_root();
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let missing = missing_tools(&root, &chromium);
    if !missing.is_empty() {
        let note = format!(
            "the browser check of the book needs:\n  {}",
            missing.join("\n  ")
        );
        if std::env::var_os("CI").is_some() {
            panic!("{note}\n(CI is set, so the check must run)");
        }
        eprintln!("skipped: {note}");
        return;
    }

    let started = Instant::now();
    let out = tempfile::tempdir().unwrap();
    let build = grader(&root)
        .env_remove("CARGO_TARGET_DIR")
        .args(["book", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr_of(&build));
    let url = serve(out.path().to_path_buf());

    let shots = root.join("target/browser-screenshots");
    let run = Command::new("node")
        .arg(root.join("grader/tests/browser/check.mjs"))
        .arg(&url)
        .arg(&shots)
        .env("CHROMIUM_PATH", &chromium)
        .current_dir(&root)
        .output()
        .unwrap();
    let report = format!("{}{}", stdout_of(&run), stderr_of(&run));
    eprintln!(
        "{report}screenshots: {}\nbrowser check took {:.1} s",
        shots.display(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        run.status.success(),
        "the book failed its browser check:\n{report}"
    );
}
