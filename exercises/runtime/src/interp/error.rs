//! Exceptions (given): a raised exception is `Err(PyErr)`, holding the exception object and the
//! lines it passed through (for the traceback).

use collector::cycles::{GcHeap, ObjId};

use super::state::{self, State};
use super::text;

/// A raised exception: a new reference to the exception instance, and where it passed.
#[derive(Debug)]
pub struct PyErr {
    /// The exception object (an instance of a subclass of `BaseException`).
    pub exc: ObjId,
    /// `(function name, line)` from the innermost frame outwards.
    pub traceback: Vec<(std::rc::Rc<str>, usize)>,
}

/// The result of evaluating: a value (a new reference) or an exception.
pub type PyResult<T> = Result<T, PyErr>;

/// How a statement ended.
#[derive(Debug)]
pub enum Flow {
    /// Fell through to the next statement.
    Normal,
    /// `return value` (a new reference).
    Return(ObjId),
    /// `break`.
    Break,
    /// `continue`.
    Continue,
}

/// The 1-based line of byte `offset` in `source`.
pub fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Makes an exception of the built-in class `class` with one str argument and returns it raised.
pub fn raise(h: &mut GcHeap, class: &str, message: &str) -> PyErr {
    let cls = state::builtin(h, class);
    let arg = state::new_str(h, message);
    let exc = super::call::instantiate_exception(h, cls, vec![arg]);
    PyErr {
        exc,
        traceback: Vec::new(),
    }
}

/// `KeyError(key)` (key borrowed): its str is the key's repr.
pub fn key_error(h: &mut GcHeap, key: ObjId) -> PyErr {
    let cls = state::builtin(h, "KeyError");
    h.incref(key);
    let exc = super::call::instantiate_exception(h, cls, vec![key]);
    PyErr {
        exc,
        traceback: Vec::new(),
    }
}

/// `raise class(message)` as a `PyResult`.
pub fn fail<T>(h: &mut GcHeap, class: &str, message: impl AsRef<str>) -> PyResult<T> {
    Err(raise(h, class, message.as_ref()))
}

/// A construct this runtime does not implement: a `NotImplementedError` that names it, so the
/// program stops with a Python traceback instead of a Rust panic.
pub fn unsupported<T>(h: &mut GcHeap, what: &str) -> PyResult<T> {
    fail(
        h,
        "NotImplementedError",
        format!("{what} is outside the subset this runtime implements (see the book, Part V)"),
    )
}

/// Is `exc` an instance of the class `class` (or of a subclass)?
pub fn matches(h: &mut GcHeap, exc: ObjId, class: ObjId) -> bool {
    let cls = super::ops::type_of(h, exc);
    super::ops::is_subclass(h, cls, class)
}

/// Prints an uncaught exception as CPython does, and drops it.
pub fn print_uncaught(h: &mut GcHeap, err: PyErr) {
    let mut out = String::from("Traceback (most recent call last):\n");
    let filename = h.state::<State>().filename.clone();
    for (func, line) in err.traceback.iter().rev() {
        out += &format!("  File \"{filename}\", line {line}, in {func}\n");
        if let Some(src) = h.state::<State>().source.lines().nth(line - 1) {
            out += &format!("    {}\n", src.trim());
        }
    }
    out += &exception_line(h, err.exc);
    out.push('\n');
    state::write(h, &out);
    h.decref(err.exc);
}

/// `ValueError: message`, the last line of a traceback.
pub fn exception_line(h: &mut GcHeap, exc: ObjId) -> String {
    let cls = super::ops::type_of(h, exc);
    let name = super::ops::class_name(h, cls);
    let message = text::str_of(h, exc).unwrap_or_else(|_| text::str_of_exception(h, exc));
    if message.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {message}")
    }
}
