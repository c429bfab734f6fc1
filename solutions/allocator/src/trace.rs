//! A `tracemalloc`-like tracer over any allocator (≈ CPython's `Modules/_tracemalloc.c` and
//! `Lib/tracemalloc.py`).
//!
//! Book: Part III, "Tracing memory" (`part3-pymalloc/tracing-memory.md`) and "A leak hunt"
//! (`part3-pymalloc/leak-hunt.md`).
//!
//! While tracing, every block handed out is recorded with its requested size and the place
//! that asked for it. Python records the Python stack; here the "frame" is the Rust source
//! location of the caller, found with `#[track_caller]`. Snapshots of the traces can be
//! grouped by line or by file (`Snapshot.statistics`) and compared (`Snapshot.compare_to`) to
//! find what grew, with `tracemalloc`'s own sort order and text.

use std::collections::HashMap;
use std::fmt;
use std::panic::Location;

use crate::size_class::Allocator;

// ANCHOR: api
/// Where a block was allocated: tracemalloc's `Frame` (`filename:lineno`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Frame {
    /// Source file of the caller.
    pub filename: &'static str,
    /// Line of the call; 0 when statistics are grouped by file.
    pub lineno: u32,
}

impl Frame {
    /// The location of the caller of the `#[track_caller]` function that calls this.
    #[track_caller]
    pub fn caller() -> Frame {
        let loc = Location::caller();
        Frame {
            filename: loc.file(),
            lineno: loc.line(),
        }
    }
}

/// One traced block: its requested size and where it was allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trace {
    /// Requested size in bytes (not the block size the allocator rounded it to).
    pub size: usize,
    /// The allocation site.
    pub frame: Frame,
}

/// How statistics group traces (`key_type`): by `'lineno'` or by `'filename'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// One group per file and line.
    Lineno,
    /// One group per file (the frame's line is 0).
    Filename,
}

/// `take_snapshot` was called while not tracing (Python raises `RuntimeError: the tracemalloc
/// module must be tracing memory allocations to take a snapshot`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotTracing;

/// Memory usage of one group (`tracemalloc.Statistic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statistic {
    /// The group's frame.
    pub frame: Frame,
    /// Total traced bytes.
    pub size: usize,
    /// Number of blocks.
    pub count: usize,
}

/// Change of one group between two snapshots (`tracemalloc.StatisticDiff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatisticDiff {
    /// The group's frame.
    pub frame: Frame,
    /// Bytes in the new snapshot.
    pub size: usize,
    /// New minus old bytes.
    pub size_diff: isize,
    /// Blocks in the new snapshot.
    pub count: usize,
    /// New minus old blocks.
    pub count_diff: isize,
}

/// The traces at one moment (`tracemalloc.Snapshot`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Every traced block, in no particular order.
    pub traces: Vec<Trace>,
}

/// A tracer wrapping `inner` (tracemalloc installs itself as a hook over each domain).
pub struct Tracer<A: Allocator> {
    inner: A,
    tracing: bool,
    /// Address -> trace of every live traced block.
    traces: HashMap<usize, Trace>,
    /// Sum of the traced sizes (`tracemalloc_traced_memory`).
    traced_memory: usize,
    /// Its maximum since tracing started or the peak was reset.
    peak_traced_memory: usize,
}

impl<A: Allocator> Tracer<A> {
    /// A tracer that is not tracing yet.
    pub fn new(inner: A) -> Self {
        Tracer {
            inner,
            tracing: false,
            traces: HashMap::new(),
            traced_memory: 0,
            peak_traced_memory: 0,
        }
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// Given (used by Part V's runtime, which knows better than Rust where an allocation comes
    /// from: a Python line): attribute the traced block `p` to `frame` instead of its Rust
    /// caller. Nothing happens if `p` is not traced.
    pub fn retrace(&mut self, p: *const u8, frame: Frame) {
        if let Some(t) = self.traces.get_mut(&(p as usize)) {
            t.frame = frame;
        }
    }

    /// `tracemalloc.start()`: record allocations from now on (no effect if already tracing).
    pub fn start(&mut self) {
        self.tracing = true;
    }

    /// `tracemalloc.stop()`: stop recording and forget every trace; the traced memory and its
    /// peak go back to 0.
    pub fn stop(&mut self) {
        self.tracing = false;
        self.clear_traces();
    }

    /// `tracemalloc.is_tracing()`.
    pub fn is_tracing(&self) -> bool {
        self.tracing
    }

    /// `tracemalloc.clear_traces()`: forget every trace; traced memory and peak become 0.
    pub fn clear_traces(&mut self) {
        self.traces.clear();
        self.traced_memory = 0;
        self.peak_traced_memory = 0;
    }

    /// Allocate through the inner allocator and, while tracing, record the block with the
    /// caller's location (`tracemalloc_alloc`, `ADD_TRACE`). The peak follows the traced total.
    #[track_caller]
    pub fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        let p = self.inner.malloc(nbytes);
        self.add_trace(p, nbytes, Frame::caller());
        p
    }

    /// Like [`Tracer::malloc`] for `nelem * elsize` zeroed bytes.
    #[track_caller]
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        let p = self.inner.calloc(nelem, elsize);
        self.add_trace(p, nelem.saturating_mul(elsize), Frame::caller());
        p
    }

    /// Resize through the inner allocator (`tracemalloc_realloc`). On success, while tracing:
    /// if the block moved, the old trace goes; the new block is traced with the new size and
    /// the caller of `realloc` as its frame (so a block allocated before tracing started
    /// becomes traced).
    ///
    /// # Safety
    /// `p` is null or a live block of the inner allocator.
    #[track_caller]
    pub unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        let frame = Frame::caller();
        // SAFETY: forwarded contract.
        let q = unsafe { self.inner.realloc(p, nbytes) };
        if q.is_null() {
            return q;
        }
        if self.tracing && !p.is_null() && q != p {
            self.remove_trace(p);
        }
        self.add_trace(q, nbytes, frame);
        q
    }

    /// Free through the inner allocator and forget the block's trace, if any (`REMOVE_TRACE`
    /// happens even after tracing stopped, if the trace is still there).
    ///
    /// # Safety
    /// `p` is null or a live block of the inner allocator.
    pub unsafe fn free(&mut self, p: *mut u8) {
        // SAFETY: forwarded contract.
        unsafe { self.inner.free(p) };
        self.remove_trace(p);
    }

    /// `tracemalloc.get_traced_memory()`: `(current, peak)` traced bytes; `(0, 0)` when not
    /// tracing.
    pub fn get_traced_memory(&self) -> (usize, usize) {
        if self.tracing {
            (self.traced_memory, self.peak_traced_memory)
        } else {
            (0, 0)
        }
    }

    /// `tracemalloc.reset_peak()`: the peak becomes the current traced memory.
    pub fn reset_peak(&mut self) {
        if self.tracing {
            self.peak_traced_memory = self.traced_memory;
        }
    }

    /// `tracemalloc.get_object_traceback()`: where the block at `p` was allocated, if traced.
    pub fn get_object_traceback(&self, p: *const u8) -> Option<Frame> {
        self.traces.get(&(p as usize)).map(|t| t.frame)
    }

    /// `tracemalloc.take_snapshot()`: a copy of every trace.
    pub fn take_snapshot(&self) -> Result<Snapshot, NotTracing> {
        if !self.tracing {
            return Err(NotTracing);
        }
        Ok(Snapshot {
            traces: self.traces.values().copied().collect(),
        })
    }
}

impl Snapshot {
    /// `Snapshot.statistics(key_type)`: one [`Statistic`] per group, biggest first: sorted by
    /// `(size, count, frame)`, descending, as tracemalloc sorts.
    pub fn statistics(&self, key: KeyType) -> Vec<Statistic> {
        let mut out: Vec<Statistic> = group(&self.traces, key)
            .into_iter()
            .map(|(frame, (size, count))| Statistic { frame, size, count })
            .collect();
        out.sort_by_key(|s| std::cmp::Reverse((s.size, s.count, s.frame)));
        out
    }

    /// `Snapshot.compare_to(old, key_type)`: one [`StatisticDiff`] per group of either
    /// snapshot (a group only in `old` has size and count 0), sorted descending by
    /// `(|size_diff|, size, |count_diff|, count, frame)`.
    pub fn compare_to(&self, old: &Snapshot, key: KeyType) -> Vec<StatisticDiff> {
        let mut old_groups = group(&old.traces, key);
        let mut out = Vec::new();
        for (frame, (size, count)) in group(&self.traces, key) {
            let (old_size, old_count) = old_groups.remove(&frame).unwrap_or((0, 0));
            out.push(StatisticDiff {
                frame,
                size,
                size_diff: size as isize - old_size as isize,
                count,
                count_diff: count as isize - old_count as isize,
            });
        }
        for (frame, (size, count)) in old_groups {
            out.push(StatisticDiff {
                frame,
                size: 0,
                size_diff: -(size as isize),
                count: 0,
                count_diff: -(count as isize),
            });
        }
        out.sort_by_key(|d| {
            std::cmp::Reverse((
                d.size_diff.unsigned_abs(),
                d.size,
                d.count_diff.unsigned_abs(),
                d.count,
                d.frame,
            ))
        });
        out
    }
}

/// `tracemalloc._format_size(size, sign)`: bytes up to 10 KiB - 1 as `"123 B"`, then the
/// largest unit that keeps at most 4 digits, with one decimal below 100 (`"10.5 KiB"`,
/// `"100 KiB"`); `sign` adds `+` to non-negative values.
pub fn format_size(size: f64, sign: bool) -> String {
    let mut size = size;
    for unit in ["B", "KiB", "MiB", "GiB", "TiB"] {
        if size.abs() < 100.0 && unit != "B" {
            return if sign {
                format!("{size:+.1} {unit}")
            } else {
                format!("{size:.1} {unit}")
            };
        }
        if size.abs() < 10.0 * 1024.0 || unit == "TiB" {
            return if sign {
                format!("{size:+.0} {unit}")
            } else {
                format!("{size:.0} {unit}")
            };
        }
        size /= 1024.0;
    }
    unreachable!("TiB always returns")
}
// ANCHOR_END: api

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.filename, self.lineno)
    }
}

/// `Statistic.__str__`: `file:line: size=…, count=N, average=…`.
impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: size={}, count={}",
            self.frame,
            format_size(self.size as f64, false),
            self.count
        )?;
        if self.count > 0 {
            let average = self.size as f64 / self.count as f64;
            write!(f, ", average={}", format_size(average, false))?;
        }
        Ok(())
    }
}

/// `StatisticDiff.__str__`: `file:line: size=… (+…), count=N (+N), average=…`.
impl fmt::Display for StatisticDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: size={} ({}), count={} ({:+})",
            self.frame,
            format_size(self.size as f64, false),
            format_size(self.size_diff as f64, true),
            self.count,
            self.count_diff
        )?;
        if self.count > 0 {
            let average = self.size as f64 / self.count as f64;
            write!(f, ", average={}", format_size(average, false))?;
        }
        Ok(())
    }
}

impl<A: Allocator> Tracer<A> {
    /// `ADD_TRACE`: record (or update) the trace of `p`.
    fn add_trace(&mut self, p: *mut u8, size: usize, frame: Frame) {
        if !self.tracing || p.is_null() {
            return;
        }
        if let Some(old) = self.traces.insert(p as usize, Trace { size, frame }) {
            self.traced_memory -= old.size;
        }
        self.traced_memory += size;
        self.peak_traced_memory = self.peak_traced_memory.max(self.traced_memory);
    }

    /// `REMOVE_TRACE`.
    fn remove_trace(&mut self, p: *mut u8) {
        if let Some(old) = self.traces.remove(&(p as usize)) {
            self.traced_memory -= old.size;
        }
    }
}

/// Sum sizes and counts per group frame.
fn group(traces: &[Trace], key: KeyType) -> HashMap<Frame, (usize, usize)> {
    let mut groups: HashMap<Frame, (usize, usize)> = HashMap::new();
    for t in traces {
        let frame = match key {
            KeyType::Lineno => t.frame,
            KeyType::Filename => Frame {
                filename: t.frame.filename,
                lineno: 0,
            },
        };
        let g = groups.entry(frame).or_default();
        g.0 += t.size;
        g.1 += 1;
    }
    groups
}
