//! Utilisation, measured the same way for every allocator: malloc lab's peak live payload (the
//! bytes the trace asked for and has not freed, at their peak) over the peak number of bytes the
//! allocator obtained to hold them. 100 % would be no overhead and no fragmentation at all.
//!
//! What "obtained" means for each column, from the allocator's own counters:
//! - pymalloc (the solution) and CPython's pymalloc: the arenas they hold (our arena table; for
//!   CPython, a counting wrapper installed with `PyObject_SetArenaAllocator`, which sees every
//!   arena `new_arena` maps and `free_arena` unmaps), plus the payload of the requests they pass
//!   on to malloc (0 bytes or over 512): a lower bound of what malloc holds for those.
//! - glibc: `mallinfo2()`, `arena` (the heap obtained with `brk`) plus `hblkhd` (the blocks it
//!   `mmap`s), sampled every [`EVERY`] requests (about 2 000 times on longer traces).
//! - mimalloc: the peak committed memory of `mi_process_info`.
//!
//! Every allocator replays the trace alone, in a fresh process (this benchmark run again with
//! [`CHILD_ARG`]), so that no memory an earlier workload or allocator left behind counts. One
//! bias remains: CPython's interpreter has arenas of its own before the replay starts, and the
//! trace's first blocks may fill their free pools without a new arena, which flatters CPython on
//! small traces. On traces of a few hundred KiB every column is dominated by granularity (a
//! pymalloc arena is 1 MiB); the large traces are the ones to compare.

use std::ffi::{CString, c_void};
use std::sync::atomic::{AtomicIsize, Ordering};

use allocator::arena::ARENA_SIZE;
use allocator::obmalloc::Obmalloc;
use allocator::replay::{Op, Trace};
use allocator::size_class::{Allocator, SMALL_REQUEST_THRESHOLD};

/// The argument that makes the benchmark measure one utilisation and exit:
/// `__utilisation <allocator> <workload index>`.
pub const CHILD_ARG: &str = "__utilisation";

/// The allocators, in the summary's column order.
pub const ALLOCATORS: [&str; 4] = ["pymalloc", "glibc", "mimalloc", "cpython"];

/// How often the sampled counters (glibc's) are read, in requests.
pub const EVERY: usize = 64;

/// Runs the benchmark again to measure `allocator` on workload `index`; `None` if it failed.
pub fn in_child(allocator: &str, index: usize) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .args([CHILD_ARG, allocator, &index.to_string()])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// The payload and obtained bytes of one replay, at their peaks.
#[derive(Default)]
struct Peaks {
    payload: usize,
    obtained: usize,
}

impl Peaks {
    fn ratio(&self) -> f64 {
        self.payload as f64 / self.obtained.max(1) as f64
    }
}

/// Replays `t` on `a`, calling `obtained(a, raw_payload)` every `every` requests and at the end.
/// `is_raw(a, block, size, was_raw)` says whether a block went to malloc.
fn replay<A: Allocator>(
    a: &mut A,
    t: &Trace,
    every: usize,
    is_raw: impl Fn(&A, *mut u8, usize, bool) -> bool,
    obtained: impl Fn(&A, usize) -> usize,
) -> Peaks {
    // Sized before the replay: the bookkeeping must not grow glibc's heap during it.
    let mut blocks: Vec<(*mut u8, usize, bool)> = vec![(std::ptr::null_mut(), 0, false); t.num_ids];
    let (mut payload, mut raw, mut peaks) = (0usize, 0usize, Peaks::default());
    for (i, op) in t.ops.iter().enumerate() {
        match *op {
            Op::Alloc { id, size } => {
                let p = a.malloc(size);
                let r = is_raw(a, p, size, false);
                raw += if r { size } else { 0 };
                payload += size;
                blocks[id] = (p, size, r);
            }
            Op::Realloc { id, size } => {
                let (p, old, was) = blocks[id];
                // SAFETY: the trace reallocates live blocks only.
                let q = unsafe { a.realloc(p, size) };
                let r = is_raw(a, q, size, was);
                raw = raw - if was { old } else { 0 } + if r { size } else { 0 };
                payload = payload - old + size;
                blocks[id] = (q, size, r);
            }
            Op::Free { id } => {
                let (p, old, was) = blocks[id];
                raw -= if was { old } else { 0 };
                payload -= old;
                // SAFETY: the trace frees live blocks only, once.
                unsafe { a.free(p) };
                blocks[id] = (std::ptr::null_mut(), 0, false);
            }
        }
        peaks.payload = peaks.payload.max(payload);
        if i % every == 0 || i + 1 == t.ops.len() {
            peaks.obtained = peaks.obtained.max(obtained(a, raw));
        }
    }
    for (p, _, _) in blocks {
        // SAFETY: the remaining blocks are live (or null).
        unsafe { a.free(p) };
    }
    peaks
}

/// CPython 3.11's rule for a block it passes to malloc: 0 bytes or over 512 (pymalloc_alloc),
/// and a malloc'd block stays malloc'd when reallocated (pymalloc_realloc).
fn cpython_raw(size: usize, was_raw: bool) -> bool {
    was_raw || size == 0 || size > SMALL_REQUEST_THRESHOLD
}

/// The solution's pymalloc; a fresh instance is alone anyway, so no child process is needed.
pub fn pymalloc(t: &Trace) -> f64 {
    let peaks = replay(
        &mut Obmalloc::new(),
        t,
        1,
        |a, p, _, _| !a.address_in_range(p),
        |a, raw| a.arenas().narenas_currently_allocated() * ARENA_SIZE + raw,
    );
    peaks.ratio()
}

/// glibc's (obtained, in use) bytes: heap and mmapped blocks, and the part of them allocated.
fn glibc_counters() -> (usize, usize) {
    // SAFETY: mallinfo2 only reads glibc's statistics.
    let info = unsafe { libc::mallinfo2() };
    (info.arena + info.hblkhd, info.uordblks + info.hblkhd)
}

fn glibc_obtained() -> usize {
    glibc_counters().0
}

/// glibc, in this (fresh) process: what it holds, minus what the rest of the process had in use
/// before the replay (the trace itself, the bookkeeping): free space left from loading the
/// trace is free for the replay to use, as it would be in a program.
pub fn glibc(t: &Trace) -> f64 {
    let before = glibc_counters().1;
    // mallinfo2 walks every free chunk glibc holds (milliseconds with half a million of them):
    // on a trace of millions of requests, read it about 2 000 times, not every 64 requests.
    let every = EVERY.max(t.ops.len() / 2_000);
    let peaks = replay(
        &mut allocator::workloads::Glibc,
        t,
        every,
        |_, _, _, _| false,
        |_, _| glibc_obtained().saturating_sub(before),
    );
    peaks.ratio()
}

unsafe extern "C" {
    /// mimalloc's process statistics (`mimalloc.h`); the library is linked by the mimalloc crate.
    fn mi_process_info(
        elapsed_msecs: *mut usize,
        user_msecs: *mut usize,
        system_msecs: *mut usize,
        current_rss: *mut usize,
        peak_rss: *mut usize,
        current_commit: *mut usize,
        peak_commit: *mut usize,
        page_faults: *mut usize,
    );
}

/// mimalloc's (current, peak) committed bytes.
fn mimalloc_commit() -> (usize, usize) {
    let mut v = [0usize; 8];
    let [a, b, c, d, e, f, g, h] = &mut v;
    // SAFETY: every pointer is to a live usize, as mi_process_info expects.
    unsafe { mi_process_info(a, b, c, d, e, f, g, h) };
    (v[5], v[6])
}

/// mimalloc, in this (fresh) process, where nothing else allocates with it.
pub fn mimalloc<A: Allocator>(mut a: A, t: &Trace) -> f64 {
    let (before, _) = mimalloc_commit();
    let mut peaks = replay(&mut a, t, usize::MAX, |_, _, _, _| false, |_, _| 0);
    peaks.obtained = mimalloc_commit().1.saturating_sub(before);
    peaks.ratio()
}

/// The arena bytes CPython's pymalloc mapped (minus unmapped) since the wrapper below was
/// installed.
static CPYTHON_ARENAS: AtomicIsize = AtomicIsize::new(0);

/// `PyObjectArenaAllocator` (Include/cpython/objimpl.h).
#[repr(C)]
struct ArenaAllocator {
    ctx: *mut c_void,
    alloc: unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void,
    free: unsafe extern "C" fn(*mut c_void, *mut c_void, usize),
}

/// The allocator the wrapper calls: CPython's own (`_PyObject_ArenaMmap`), saved once.
static mut ORIGINAL: Option<ArenaAllocator> = None;

unsafe extern "C" fn counting_alloc(_ctx: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: ORIGINAL is written once, before the wrapper is installed, and only read after.
    let original = unsafe { (*std::ptr::addr_of!(ORIGINAL)).as_ref() }.expect("installed");
    // SAFETY: the original allocator's own function and context.
    let p = unsafe { (original.alloc)(original.ctx, size) };
    if !p.is_null() {
        CPYTHON_ARENAS.fetch_add(size as isize, Ordering::Relaxed);
    }
    p
}

unsafe extern "C" fn counting_free(_ctx: *mut c_void, p: *mut c_void, size: usize) {
    // SAFETY: as in counting_alloc.
    let original = unsafe { (*std::ptr::addr_of!(ORIGINAL)).as_ref() }.expect("installed");
    // SAFETY: p is an arena the original allocator gave, with its size.
    unsafe { (original.free)(original.ctx, p, size) };
    CPYTHON_ARENAS.fetch_sub(size as isize, Ordering::Relaxed);
}

/// CPython's pymalloc, with the counting arena allocator installed (libpython is loaded and the
/// interpreter initialised by `CPython::load`, which put its symbols in the global namespace).
pub fn cpython<A: Allocator>(mut a: A, t: &Trace) -> Option<f64> {
    let get = CString::new("PyObject_GetArenaAllocator").ok()?;
    let set = CString::new("PyObject_SetArenaAllocator").ok()?;
    // SAFETY: dlsym with NUL-terminated names, in the global namespace.
    let (get, set) = unsafe {
        (
            libc::dlsym(libc::RTLD_DEFAULT, get.as_ptr()),
            libc::dlsym(libc::RTLD_DEFAULT, set.as_ptr()),
        )
    };
    if get.is_null() || set.is_null() {
        return None;
    }
    type Access = unsafe extern "C" fn(*mut ArenaAllocator);
    // SAFETY: both functions take a PyObjectArenaAllocator* (Include/cpython/objimpl.h).
    let (get, set) = unsafe {
        (
            std::mem::transmute::<*mut c_void, Access>(get),
            std::mem::transmute::<*mut c_void, Access>(set),
        )
    };
    let mut original = ArenaAllocator {
        ctx: std::ptr::null_mut(),
        alloc: counting_alloc,
        free: counting_free,
    };
    // SAFETY: fills `original` with CPython's allocator; ORIGINAL is written before the wrapper
    // can run, on the only thread.
    unsafe {
        get(&mut original);
        *std::ptr::addr_of_mut!(ORIGINAL) = Some(original);
    }
    let mut wrapper = ArenaAllocator {
        ctx: std::ptr::null_mut(),
        alloc: counting_alloc,
        free: counting_free,
    };
    // SAFETY: CPython copies the struct; the wrapper's functions live for the whole process.
    unsafe { set(&mut wrapper) };
    // What the interpreter itself holds and uses before the replay: its arenas' free space is
    // free for the replay, as in a program.
    let (arenas, in_use) = cpython_malloc_stats()?;
    let base = (arenas * ARENA_SIZE) as isize - in_use as isize;
    let peaks = replay(
        &mut a,
        t,
        1,
        |_, _, size, was| cpython_raw(size, was),
        |_, raw| (base + CPYTHON_ARENAS.load(Ordering::Relaxed)).max(0) as usize + raw,
    );
    Some(peaks.ratio())
}

/// CPython's own statistics (`_PyObject_DebugMallocStats`, what `sys._debugmallocstats()`
/// prints): the arenas allocated now, and the bytes in allocated blocks.
fn cpython_malloc_stats() -> Option<(usize, usize)> {
    let name = CString::new("_PyObject_DebugMallocStats").ok()?;
    // SAFETY: dlsym with a NUL-terminated name, in the global namespace.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    if f.is_null() {
        return None;
    }
    // SAFETY: `int _PyObject_DebugMallocStats(FILE *out)` (Include/cpython/objimpl.h).
    let f: unsafe extern "C" fn(*mut libc::FILE) -> libc::c_int = unsafe { std::mem::transmute(f) };
    // SAFETY: a temporary FILE, written by CPython, rewound and read back, then closed.
    let text = unsafe {
        let file = libc::tmpfile();
        if file.is_null() {
            return None;
        }
        f(file);
        libc::rewind(file);
        let mut text = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = libc::fread(buf.as_mut_ptr().cast(), 1, buf.len(), file);
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buf[..n]);
        }
        libc::fclose(file);
        String::from_utf8_lossy(&text).into_owned()
    };
    let value = |label: &str| -> Option<usize> {
        let line = text.lines().find(|l| l.starts_with(label))?;
        line.split('=').nth(1)?.trim().replace(',', "").parse().ok()
    };
    Some((
        value("# arenas allocated current")?,
        value("# bytes in allocated blocks")?,
    ))
}
