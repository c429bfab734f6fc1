//! A malloc-lab style trace replayer (given; not an exercise).
//!
//! A trace is a text file with one request per line, as in CS:APP's malloc lab:
//!
//! ```text
//! # comments and blank lines are ignored
//! a 0 24      allocate 24 bytes, call the block 0
//! r 0 200     reallocate block 0 to 200 bytes
//! f 0         free block 0
//! ```
//!
//! [`check`] replays a trace and verifies the allocator: every block is non-null and 16-byte
//! aligned, no two live blocks overlap, and a block's contents survive until it is freed, also
//! across `realloc`. [`run`] replays it as fast as possible for benchmarks.

use std::collections::BTreeMap;
use std::path::Path;

use crate::size_class::{ALIGNMENT, Allocator};

// ANCHOR: api
/// One request of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `a id bytes`
    Alloc {
        /// Block name.
        id: usize,
        /// Requested size.
        size: usize,
    },
    /// `r id bytes`
    Realloc {
        /// Block name.
        id: usize,
        /// New size.
        size: usize,
    },
    /// `f id`
    Free {
        /// Block name.
        id: usize,
    },
}

/// A parsed trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// Where it came from (file name), for messages.
    pub name: String,
    /// The requests, in order.
    pub ops: Vec<Op>,
    /// One more than the largest block id.
    pub num_ids: usize,
}

impl Trace {
    /// Parse trace text. Errors name the line.
    pub fn parse(name: &str, text: &str) -> Result<Trace, String> {
        let mut ops = Vec::new();
        let mut num_ids = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = || format!("{name}:{}: cannot parse {line:?}", i + 1);
            let mut words = line.split_whitespace();
            let kind = words.next().ok_or_else(bad)?;
            let mut number = || -> Result<usize, String> {
                words.next().ok_or_else(bad)?.parse().map_err(|_| bad())
            };
            let op = match kind {
                "a" => Op::Alloc {
                    id: number()?,
                    size: number()?,
                },
                "r" => Op::Realloc {
                    id: number()?,
                    size: number()?,
                },
                "f" => Op::Free { id: number()? },
                _ => return Err(bad()),
            };
            let (Op::Alloc { id, .. } | Op::Realloc { id, .. } | Op::Free { id }) = op;
            num_ids = num_ids.max(id + 1);
            ops.push(op);
        }
        Ok(Trace {
            name: name.to_string(),
            ops,
            num_ids,
        })
    }

    /// Read and parse a trace file.
    pub fn load(path: impl AsRef<Path>) -> Result<Trace, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Trace::parse(&name, &text)
    }
}

/// What a checked replay measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Requests replayed.
    pub ops: usize,
    /// Largest total of requested bytes live at once (the payload).
    pub peak_live_bytes: usize,
    /// Most blocks live at once.
    pub peak_live_blocks: usize,
}

/// The byte block `id` is filled with at `offset` (so that different blocks differ).
fn pattern(id: usize, offset: usize) -> u8 {
    (id.wrapping_mul(31).wrapping_add(offset.wrapping_mul(7)) % 251) as u8
}

/// Replay `trace` on `alloc`, checking alignment, overlap and contents; every block still
/// live at the end is freed. `Err` says which request went wrong.
pub fn check<A: Allocator>(alloc: &mut A, trace: &Trace) -> Result<ReplayStats, String> {
    let mut blocks: Vec<Option<(*mut u8, usize)>> = vec![None; trace.num_ids];
    // start address -> end address of every live block, to find overlaps.
    let mut live: BTreeMap<usize, usize> = BTreeMap::new();
    let mut stats = ReplayStats::default();
    let mut live_bytes = 0usize;
    let mut result = Ok(());
    for (n, op) in trace.ops.iter().enumerate() {
        let at = |what: &str| format!("{} request {} ({op:?}): {what}", trace.name, n + 1);
        let step =
            match *op {
                Op::Alloc { id, size } => {
                    if blocks[id].is_some() {
                        Err(at("block id already live"))
                    } else {
                        let p = alloc.malloc(size);
                        place(&mut live, p, size).map_err(|e| at(&e)).map(|()| {
                            fill(p, id, 0, size);
                            blocks[id] = Some((p, size));
                            live_bytes += size;
                        })
                    }
                }
                Op::Realloc { id, size } => match blocks[id] {
                    None => Err(at("realloc of a block that is not live")),
                    Some((old, old_size)) => verify(old, id, old_size)
                        .map_err(|e| at(&e))
                        .and_then(|()| {
                            live.remove(&(old as usize));
                            // SAFETY: old is a live block of this allocator.
                            let p = unsafe { alloc.realloc(old, size) };
                            place(&mut live, p, size).map_err(|e| at(&e))?;
                            verify(p, id, old_size.min(size))
                                .map_err(|e| at(&format!("after realloc, {e}")))?;
                            fill(p, id, old_size.min(size), size);
                            blocks[id] = Some((p, size));
                            live_bytes = live_bytes - old_size + size;
                            Ok(())
                        }),
                },
                Op::Free { id } => match blocks[id].take() {
                    None => Err(at("free of a block that is not live")),
                    Some((p, size)) => verify(p, id, size).map_err(|e| at(&e)).map(|()| {
                        live.remove(&(p as usize));
                        // SAFETY: p is a live block of this allocator, freed once.
                        unsafe { alloc.free(p) };
                        live_bytes -= size;
                    }),
                },
            };
        if let Err(e) = step {
            result = Err(e);
            break;
        }
        stats.ops += 1;
        stats.peak_live_bytes = stats.peak_live_bytes.max(live_bytes);
        stats.peak_live_blocks = stats.peak_live_blocks.max(live.len());
    }
    for (p, _) in blocks.into_iter().flatten() {
        // SAFETY: every remaining block is live and freed once.
        unsafe { alloc.free(p) };
    }
    result.map(|()| stats)
}

/// Replay `trace` on `alloc` without checks, as fast as possible: each new block gets one byte
/// written (as a new object's header would be), and every block still live at the end is
/// freed. `blocks` is scratch space, reused between runs.
pub fn run<A: Allocator>(alloc: &mut A, trace: &Trace, blocks: &mut Vec<*mut u8>) {
    blocks.clear();
    blocks.resize(trace.num_ids, std::ptr::null_mut());
    for op in &trace.ops {
        match *op {
            Op::Alloc { id, size } => {
                let p = alloc.malloc(size);
                // SAFETY: a successful malloc returns at least one writable byte (0 -> 1).
                unsafe { p.write(id as u8) };
                blocks[id] = p;
            }
            // SAFETY: the trace reallocates and frees only live blocks.
            Op::Realloc { id, size } => blocks[id] = unsafe { alloc.realloc(blocks[id], size) },
            Op::Free { id } => {
                // SAFETY: as above.
                unsafe { alloc.free(blocks[id]) };
                blocks[id] = std::ptr::null_mut();
            }
        }
    }
    for &p in blocks.iter() {
        // SAFETY: the remaining non-null pointers are live blocks (free(null) is a no-op).
        unsafe { alloc.free(p) };
    }
}

// ANCHOR_END: api

/// Record a new live block `[p, p + size)`, checking null, alignment and overlap.
fn place(live: &mut BTreeMap<usize, usize>, p: *mut u8, size: usize) -> Result<(), String> {
    if p.is_null() {
        return Err("the allocator returned null".into());
    }
    let start = p as usize;
    if !start.is_multiple_of(ALIGNMENT) {
        return Err(format!(
            "block at {start:#x} is not {ALIGNMENT}-byte aligned"
        ));
    }
    let end = start + size.max(1);
    if let Some((&s, &e)) = live.range(..end).next_back()
        && e > start
    {
        return Err(format!(
            "block [{start:#x}, {end:#x}) overlaps live block [{s:#x}, {e:#x})"
        ));
    }
    live.insert(start, end);
    Ok(())
}

fn fill(p: *mut u8, id: usize, from: usize, to: usize) {
    for i in from..to {
        // SAFETY: p is a live block of at least `to` bytes.
        unsafe { p.add(i).write(pattern(id, i)) };
    }
}

fn verify(p: *const u8, id: usize, size: usize) -> Result<(), String> {
    for i in 0..size {
        // SAFETY: p is a live block of at least `size` bytes.
        let got = unsafe { p.add(i).read() };
        if got != pattern(id, i) {
            return Err(format!("byte {i} of block {id} changed"));
        }
    }
    Ok(())
}
