//! [`Arenas`]: the arena-object vector and the lists threaded through it, and
//! [`Arenas::new_arena`], which attaches a fresh 1 MiB arena to an unused arena object
//! (≈ `new_arena` in `Objects/obmalloc.c`). Taking and returning pools is in `usable.rs`.

use std::ptr;

use super::table::ArenaTable;
use super::{ARENA_SIZE, ArenaSource, MAX_POOLS_IN_ARENA};

// ANCHOR: api
/// All arenas: the `arenas` vector and the lists through it.
///
/// The fields are `pub(super)` only so that the other files of `arena/` (`usable.rs`,
/// `inspect.rs`) can add methods; outside the module they stay private.
pub struct Arenas<S: ArenaSource> {
    pub(super) source: S,
    /// `arenas` (with `maxarenas` = its length).
    pub(super) arenas: ArenaTable,
    /// Head of the singly-linked list of arena objects with no arena.
    pub(super) unused_arena_objects: Option<usize>,
    /// Head of the doubly-linked list of arenas with a free pool, sorted by `nfreepools`.
    pub(super) usable_arenas: Option<usize>,
    /// `nfp2lasta[n]`: the last arena in `usable_arenas` with exactly `n` free pools.
    pub(super) nfp2lasta: [Option<usize>; MAX_POOLS_IN_ARENA + 1],
    pub(super) narenas_currently_allocated: usize,
    pub(super) ntimes_arena_allocated: usize,
    pub(super) narenas_highwater: usize,
}

impl<S: ArenaSource> Arenas<S> {
    /// No arenas yet; the vector is allocated by the first [`Arenas::new_arena`].
    pub fn new(source: S) -> Self {
        Arenas {
            source,
            arenas: ArenaTable::new(),
            unused_arena_objects: None,
            usable_arenas: None,
            nfp2lasta: [None; MAX_POOLS_IN_ARENA + 1],
            narenas_currently_allocated: 0,
            ntimes_arena_allocated: 0,
            narenas_highwater: 0,
        }
    }

    /// Attach a fresh arena to an unused arena object and return the object's index
    /// (`new_arena`). The caller links it into `usable_arenas`.
    ///
    /// 1. If `unused_arena_objects` is empty, grow the vector: to 16 objects the first time,
    ///    then to twice its length (`ArenaTable::grow`, in `table.rs`); chain the new objects
    ///    into `unused_arena_objects`, lowest index first.
    /// 2. Pop an object; ask the source for `ARENA_SIZE` bytes; call `mark_used(base)` (the
    ///    radix tree, `arena_map_mark_used`). If either fails, give the memory back, push the
    ///    object back and return `None`.
    /// 3. Update the three counters; `pool_address` is the first pool-aligned address in the
    ///    arena; `nfreepools = ntotalpools = 64`, or 63 when the base is not pool-aligned.
    // ANCHOR: new_arena
    pub fn new_arena(&mut self, mark_used: impl FnOnce(usize) -> bool) -> Option<usize> {
        // ANCHOR_END: new_arena
        // TODO
        todo!("grow the vector if needed, pop an arena object, get memory, mark it, set it up")
    }
}
// ANCHOR_END: api

impl<S: ArenaSource> Drop for Arenas<S> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A test failed half-way: leak rather than risk a second panic while unwinding.
            return;
        }
        for i in 0..self.arenas.len() {
            let address = self.arenas[i].address;
            if !address.is_null() {
                // SAFETY: an attached arena's memory came from this source; freed once.
                unsafe { self.source.free(address, ARENA_SIZE) };
                self.arenas[i].address = ptr::null_mut();
            }
        }
    }
}
