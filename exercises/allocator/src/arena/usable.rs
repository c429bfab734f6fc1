//! Taking a pool from an arena and giving it back, which keeps `usable_arenas` sorted by the
//! count of free pools with the help of `nfp2lasta` (≈ the arena half of
//! `allocate_from_new_pool` and `insert_to_freepool` in `Objects/obmalloc.c`).
//!
//! `usable_arenas` runs from the arena with the fewest free pools to the one with the most, so
//! that pools are taken from the most-used arenas and the emptiest ones get a chance to become
//! wholly free and go back to the system. `nfp2lasta[n]` names the last arena with exactly `n`
//! free pools: an arena whose count grows by one moves to just after it, with no list walk.

use std::ptr::NonNull;

use super::{ArenaSource, Arenas};
use crate::pool::PoolHeader;

// ANCHOR: api
// ANCHOR: arena_change
/// What [`Arenas::return_pool`] did to the pool's arena: the four cases of
/// `insert_to_freepool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArenaChange {
    /// Case 1: every pool is free and the arena is not the last usable one: it was unlinked,
    /// unmarked, given back to the source, and its object put on `unused_arena_objects`.
    Released,
    /// Case 2: the arena was full; it now has one free pool and goes to the head of the list.
    BecameUsable,
    /// Case 3: it now has more free pools than its right neighbour: moved after
    /// `nfp2lasta[old count]`.
    MovedRight,
    /// Case 4: already in a sorted place.
    Unchanged,
}
// ANCHOR_END: arena_change

impl<S: ArenaSource> Arenas<S> {
    /// Take an empty pool from the head of `usable_arenas` (the first half of
    /// `allocate_from_new_pool`), creating an arena with [`Arenas::new_arena`] if no arena has
    /// a free pool. `None` means out of memory.
    ///
    /// The head arena has the fewest free pools, so losing one keeps the list sorted: only
    /// `nfp2lasta` changes, and the arena leaves the list when its count reaches 0. Prefer a
    /// pool from the arena's `freepools` list (it keeps its old `szidx`); otherwise carve one
    /// at `pool_address`, setting its `arenaindex` and `szidx = DUMMY_SIZE_IDX`.
    // ANCHOR: take_pool
    pub fn take_pool(
        &mut self,
        mark_used: impl FnOnce(usize) -> bool,
    ) -> Option<NonNull<PoolHeader>> {
        // ANCHOR_END: take_pool
        // TODO
        todo!(
            "make sure usable_arenas has a head, fix nfp2lasta, take or carve a pool, unlink a full arena"
        )
    }

    /// Give an empty pool back to its arena (the arena half of `insert_to_freepool`; the caller
    /// has already unlinked it from `usedpools`).
    ///
    /// Push the pool on the arena's `freepools`, fix `nfp2lasta[old count]`, increment
    /// `nfreepools`, then handle the four cases of [`ArenaChange`]. For case 1, call
    /// `unmark(base)` (the radix tree) before giving the memory back.
    ///
    /// # Safety
    /// `pool` is an empty pool of one of these arenas, on no list.
    // ANCHOR: return_pool
    pub unsafe fn return_pool(
        &mut self,
        pool: NonNull<PoolHeader>,
        unmark: impl FnOnce(usize),
    ) -> ArenaChange {
        // ANCHOR_END: return_pool
        // TODO
        todo!(
            "push on freepools, update nfp2lasta and nfreepools, then release, relink or slide the arena"
        )
    }
}
// ANCHOR_END: api
