//! Runs a test's work with a deadline, so that a solution with the wrong complexity (quadratic
//! where linear is asked, O(n) where O(1) is asked) fails fast with a message that says what
//! is wrong, instead of hanging until the grader's 10 s timeout, also under plain `cargo test`.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// The deadline of the complexity tests: the solution needs a fraction of a second in a debug
/// build; a quadratic one needs minutes.
pub const GENEROUS: Duration = Duration::from_secs(5);

/// Runs `work` on its own thread and returns its result. If it has not finished after `limit`,
/// fails with `"{what}: not finished after {limit}"`; a panic inside `work` fails the test as
/// it is.
///
/// The thread gets 2 MiB of stack, what a test thread has by default, whatever
/// `RUST_MIN_STACK` says (so a recursive cascade overflows here as it would in the grader). An
/// abandoned thread keeps running until the test binary exits: it burns time, but it shares no
/// state with any other test.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(what.to_string())
        .stack_size(2 << 20)
        .spawn(move || {
            // The receiver is gone only if the deadline already passed: nothing to report.
            let _ = done.send(work());
        })
        .expect("cannot start the test's thread");
    match result.recv_timeout(limit) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => {
            panic!("{what}: not finished after {} s", limit.as_secs_f64())
        }
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker ended without sending its result"),
        },
    }
}
