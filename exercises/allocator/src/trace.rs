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
#[allow(dead_code)] // your methods use every field
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
        // TODO
        todo!("turn tracing on")
    }

    /// `tracemalloc.stop()`: stop recording and forget every trace; the traced memory and its
    /// peak go back to 0.
    pub fn stop(&mut self) {
        // TODO
        todo!("turn tracing off and clear the traces")
    }

    /// `tracemalloc.is_tracing()`.
    pub fn is_tracing(&self) -> bool {
        self.tracing
    }

    /// `tracemalloc.clear_traces()`: forget every trace; traced memory and peak become 0.
    pub fn clear_traces(&mut self) {
        // TODO
        todo!("empty the table and zero both counters")
    }

    // ANCHOR: traced_alloc
    /// Allocate through the inner allocator and, while tracing, record the block with the
    /// caller's location (`tracemalloc_alloc`, `ADD_TRACE`). The peak follows the traced total.
    #[track_caller]
    pub fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // TODO
        todo!("inner malloc; when tracing and not null, add a trace with Frame::caller()")
    }

    /// Like [`Tracer::malloc`] for `nelem * elsize` zeroed bytes.
    #[track_caller]
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // TODO
        todo!("inner calloc; trace nelem * elsize bytes")
    }
    // ANCHOR_END: traced_alloc

    /// Resize through the inner allocator (`tracemalloc_realloc`). On success, while tracing:
    /// if the block moved, the old trace goes; the new block is traced with the new size and
    /// the caller of `realloc` as its frame (so a block allocated before tracing started
    /// becomes traced).
    ///
    /// # Safety
    /// `p` is null or a live block of the inner allocator.
    #[track_caller]
    // ANCHOR: realloc
    pub unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // ANCHOR_END: realloc
        // TODO
        todo!(
            "inner realloc; on success remove the old trace if the block moved, then add the new one"
        )
    }

    /// Free through the inner allocator and forget the block's trace, if any (`REMOVE_TRACE`
    /// happens even after tracing stopped, if the trace is still there).
    ///
    /// # Safety
    /// `p` is null or a live block of the inner allocator.
    // ANCHOR: free
    pub unsafe fn free(&mut self, p: *mut u8) {
        // ANCHOR_END: free
        // TODO
        todo!("inner free, then remove the trace")
    }

    /// `tracemalloc.get_traced_memory()`: `(current, peak)` traced bytes; `(0, 0)` when not
    /// tracing.
    pub fn get_traced_memory(&self) -> (usize, usize) {
        // TODO
        todo!("the two counters, or (0, 0) when not tracing")
    }

    /// `tracemalloc.reset_peak()`: the peak becomes the current traced memory.
    pub fn reset_peak(&mut self) {
        // TODO
        todo!("peak = current (only while tracing)")
    }

    // ANCHOR: lookups
    /// `tracemalloc.get_object_traceback()`: where the block at `p` was allocated, if traced.
    pub fn get_object_traceback(&self, p: *const u8) -> Option<Frame> {
        // TODO
        todo!("look the address up in the traces")
    }

    /// `tracemalloc.take_snapshot()`: a copy of every trace.
    pub fn take_snapshot(&self) -> Result<Snapshot, NotTracing> {
        // TODO
        todo!("Err(NotTracing) unless tracing; else collect the traces")
    }
    // ANCHOR_END: lookups
}

impl Snapshot {
    // ANCHOR: statistics
    /// `Snapshot.statistics(key_type)`: one [`Statistic`] per group, biggest first: sorted by
    /// `(size, count, frame)`, descending, as tracemalloc sorts.
    pub fn statistics(&self, key: KeyType) -> Vec<Statistic> {
        // ANCHOR_END: statistics
        // TODO
        todo!("group traces by key frame summing size and count, then sort descending")
    }

    // ANCHOR: compare_to
    /// `Snapshot.compare_to(old, key_type)`: one [`StatisticDiff`] per group of either
    /// snapshot (a group only in `old` has size and count 0), sorted descending by
    /// `(|size_diff|, size, |count_diff|, count, frame)`.
    pub fn compare_to(&self, old: &Snapshot, key: KeyType) -> Vec<StatisticDiff> {
        // ANCHOR_END: compare_to
        // TODO
        todo!(
            "group both snapshots; diff the groups of the new one, then add the old-only ones; sort"
        )
    }
}

// ANCHOR: format_size
/// `tracemalloc._format_size(size, sign)`: bytes up to 10 KiB - 1 as `"123 B"`, then the
/// largest unit that keeps at most 4 digits, with one decimal below 100 (`"10.5 KiB"`,
/// `"100 KiB"`); `sign` adds `+` to non-negative values.
pub fn format_size(size: f64, sign: bool) -> String {
    // ANCHOR_END: format_size
    // TODO
    todo!("walk B, KiB, MiB, GiB, TiB as _format_size does")
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

// Your helpers go here, for instance `fn add_trace(&mut self, p: *mut u8, size: usize,
// frame: Frame)` and `fn remove_trace(&mut self, p: *mut u8)` (tracemalloc's `ADD_TRACE` and
// `REMOVE_TRACE`), and a function grouping traces by frame for the statistics.
