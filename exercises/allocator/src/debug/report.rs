//! The report: the text CPython writes to stderr before it aborts on a bad block, rendered from
//! a [`DebugError`] (≈ `_PyObject_DebugDumpAddress`'s output and `_PyMem_DebugCheckAddress`'s
//! fatal error; given: the same file serves the exercise and the solution).
//!
//! The API id is printed with C's `%c`, which writes the id byte as it is. For a live block that
//! is `r`, `m` or `o`; for a freed block (a double free) it is 0xDD, a byte that is not text on
//! its own. The report is a Rust `String`, so such a byte (anything that is not printable ASCII)
//! is written as the escape `\xdd`, in both the dump and the fatal error line, instead of the
//! character U+00DD that `char::from(0xDD)` would give.

use super::{BlockDump, DEADBYTE, DebugError, DebugErrorKind, FORBIDDENBYTE, SST};

impl DebugError {
    /// The message after `Fatal Python error: {func}: `.
    pub fn message(&self) -> String {
        match self.kind {
            DebugErrorKind::BadId {
                allocated,
                verified,
            } => format!(
                "bad ID: Allocated using API '{}', verified using API '{}'",
                api_char(allocated),
                api_char(verified)
            ),
            DebugErrorKind::BadLeadingPad => "bad leading pad byte".to_string(),
            DebugErrorKind::BadTrailingPad => "bad trailing pad byte".to_string(),
        }
    }

    /// The block was already freed: its id byte reads DEADBYTE.
    pub fn is_double_free(&self) -> bool {
        matches!(
            self.kind,
            DebugErrorKind::BadId {
                allocated: DEADBYTE,
                ..
            }
        )
    }

    /// The text CPython writes to stderr before aborting: the dump, the tracemalloc hint and
    /// the fatal error line. Addresses are printed as `%p` does when `origin` is `None`, and as
    /// `base+0x…` offsets from `origin` otherwise (for deterministic tests).
    pub fn report(&self, origin: Option<usize>) -> String {
        let mut out = self.dump.render(origin);
        out.push_str("Enable tracemalloc to get the memory block allocation traceback\n\n");
        out.push_str(&format!(
            "Fatal Python error: {}: {}\n",
            self.func,
            self.message()
        ));
        out
    }
}

impl BlockDump {
    /// `_PyObject_DebugDumpAddress`'s text, line for line (see [`DebugError::report`] for
    /// `origin`).
    pub fn render(&self, origin: Option<usize>) -> String {
        let addr = |a: usize| match origin {
            None => format!("{a:#x}"),
            Some(o) => format!("base+{:#x}", a.wrapping_sub(o)),
        };
        let mut s = format!(
            "Debug memory block at address p={}: API '{}'\n",
            addr(self.p),
            api_char(self.api_id)
        );
        s += &format!("    {} bytes originally requested\n", self.nbytes);
        s += &format!("    The {} pad bytes at p-{} are ", SST - 1, SST - 1);
        if self.leading.iter().all(|&b| b == FORBIDDENBYTE) {
            s += "FORBIDDENBYTE, as expected.\n";
        } else {
            s += &format!("not all FORBIDDENBYTE (0x{FORBIDDENBYTE:02x}):\n");
            for (k, &b) in self.leading.iter().enumerate() {
                s += &format!("        at p-{}: 0x{b:02x}{}\n", SST - 1 - k, ouch(b));
            }
            s += "    Because memory is corrupted at the start, the count of bytes requested\n";
            s += "       may be bogus, and checking the trailing pad bytes may segfault.\n";
        }
        let tail = self.p.wrapping_add(self.nbytes);
        s += &format!("    The {SST} pad bytes at tail={} are ", addr(tail));
        match self.tail {
            None => s += "outside the block: not read.\n",
            Some(t) if t.iter().all(|&b| b == FORBIDDENBYTE) => {
                s += "FORBIDDENBYTE, as expected.\n"
            }
            Some(t) => {
                s += &format!("not all FORBIDDENBYTE (0x{FORBIDDENBYTE:02x}):\n");
                for (i, &b) in t.iter().enumerate() {
                    s += &format!("        at tail+{i}: 0x{b:02x}{}\n", ouch(b));
                }
            }
        }
        if self.nbytes > 0 {
            s += "    Data at p:";
            for b in &self.data_head {
                s += &format!(" {b:02x}");
            }
            if self.nbytes > 16 || (self.tail.is_none() && self.nbytes > self.data_head.len()) {
                s += " ...";
            }
            for b in &self.data_tail {
                s += &format!(" {b:02x}");
            }
            s += "\n";
        }
        s += "\n";
        s
    }
}

/// An API id byte as `%c` would show it: printable ASCII as itself, any other byte (such as
/// the 0xDD of a freed block) as the escape `\xdd`.
fn api_char(b: u8) -> String {
    if b.is_ascii_graphic() || b == b' ' {
        char::from(b).to_string()
    } else {
        format!("\\x{b:02x}")
    }
}

fn ouch(b: u8) -> &'static str {
    if b == FORBIDDENBYTE { "" } else { " *** OUCH" }
}
