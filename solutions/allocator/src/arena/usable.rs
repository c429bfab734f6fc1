//! Taking a pool from an arena and giving it back, which keeps `usable_arenas` sorted by the
//! count of free pools with the help of `nfp2lasta` (≈ the arena half of
//! `allocate_from_new_pool` and `insert_to_freepool` in `Objects/obmalloc.c`).
//!
//! `usable_arenas` runs from the arena with the fewest free pools to the one with the most, so
//! that pools are taken from the most-used arenas and the emptiest ones get a chance to become
//! wholly free and go back to the system. `nfp2lasta[n]` names the last arena with exactly `n`
//! free pools: an arena whose count grows by one moves to just after it, with no list walk.

use std::ptr::{self, NonNull};

use super::{ARENA_SIZE, ArenaSource, Arenas};
use crate::pool::{DUMMY_SIZE_IDX, POOL_SIZE, PoolHeader};

// ANCHOR: api
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

impl<S: ArenaSource> Arenas<S> {
    /// Take an empty pool from the head of `usable_arenas` (the first half of
    /// `allocate_from_new_pool`), creating an arena with [`Arenas::new_arena`] if no arena has
    /// a free pool. `None` means out of memory.
    ///
    /// The head arena has the fewest free pools, so losing one keeps the list sorted: only
    /// `nfp2lasta` changes, and the arena leaves the list when its count reaches 0. Prefer a
    /// pool from the arena's `freepools` list (it keeps its old `szidx`); otherwise carve one
    /// at `pool_address`, setting its `arenaindex` and `szidx = DUMMY_SIZE_IDX`.
    pub fn take_pool(
        &mut self,
        mark_used: impl FnOnce(usize) -> bool,
    ) -> Option<NonNull<PoolHeader>> {
        let ua = match self.usable_arenas {
            Some(ua) => ua,
            None => {
                let ua = self.new_arena(mark_used)?;
                self.arenas[ua].nextarena = None;
                self.arenas[ua].prevarena = None;
                self.usable_arenas = Some(ua);
                let nf = self.arenas[ua].nfreepools as usize;
                debug_assert!(self.nfp2lasta[nf].is_none());
                self.nfp2lasta[nf] = Some(ua);
                ua
            }
        };

        // The head already has the smallest count, so it stays first.
        let nf = self.arenas[ua].nfreepools as usize;
        if self.nfp2lasta[nf] == Some(ua) {
            self.nfp2lasta[nf] = None;
        }
        if nf > 1 {
            debug_assert!(self.nfp2lasta[nf - 1].is_none());
            self.nfp2lasta[nf - 1] = Some(ua);
        }

        let ao = &mut self.arenas[ua];
        let pool = if !ao.freepools.is_null() {
            let pool = ao.freepools;
            // SAFETY: pools on freepools are empty pools of this arena, linked by nextpool.
            ao.freepools = unsafe { (*pool).nextpool };
            pool
        } else {
            let pool = ao.pool_address.cast::<PoolHeader>();
            // SAFETY: pool_address is a pool-aligned, never-used pool inside this arena.
            unsafe {
                (*pool).arenaindex = ua as u32;
                (*pool).szidx = DUMMY_SIZE_IDX;
            }
            ao.pool_address = ao.pool_address.wrapping_add(POOL_SIZE);
            pool
        };
        ao.nfreepools -= 1;
        if ao.nfreepools == 0 {
            // Wholly allocated: unlink it from the head of usable_arenas.
            let next = ao.nextarena;
            self.usable_arenas = next;
            if let Some(next) = next {
                self.arenas[next].prevarena = None;
            }
        }
        NonNull::new(pool)
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
    pub unsafe fn return_pool(
        &mut self,
        pool: NonNull<PoolHeader>,
        unmark: impl FnOnce(usize),
    ) -> ArenaChange {
        let pool = pool.as_ptr();
        // SAFETY: the caller guarantees a real pool of ours.
        let a = unsafe { (*pool).arenaindex } as usize;
        // SAFETY: as above; prevpool is meaningless on the freepools list.
        unsafe { (*pool).nextpool = self.arenas[a].freepools };
        self.arenas[a].freepools = pool;

        let nf = self.arenas[a].nfreepools as usize;
        // If this is the rightmost arena with nf free pools, nfp2lasta[nf] must move left.
        let lastnf = self.nfp2lasta[nf];
        if lastnf == Some(a) {
            let prev = self.arenas[a].prevarena;
            self.nfp2lasta[nf] = prev.filter(|&p| self.arenas[p].nfreepools as usize == nf);
        }
        let nf = nf + 1;
        self.arenas[a].nfreepools = nf as u32;

        let (prev, next) = (self.arenas[a].prevarena, self.arenas[a].nextarena);
        if nf == self.arenas[a].ntotalpools as usize && next.is_some() {
            // Case 1: unlink, then free the whole arena.
            match prev {
                None => self.usable_arenas = next,
                Some(p) => self.arenas[p].nextarena = next,
            }
            if let Some(n) = next {
                self.arenas[n].prevarena = prev;
            }
            self.arenas[a].nextarena = self.unused_arena_objects;
            self.unused_arena_objects = Some(a);
            let address = self.arenas[a].address;
            unmark(address as usize);
            // SAFETY: address is this arena's memory from the source, freed once.
            unsafe { self.source.free(address, ARENA_SIZE) };
            self.arenas[a].address = ptr::null_mut();
            self.narenas_currently_allocated -= 1;
            return ArenaChange::Released;
        }

        if nf == 1 {
            // Case 2: the arena was full and on no list; put it at the head.
            self.arenas[a].nextarena = self.usable_arenas;
            self.arenas[a].prevarena = None;
            if let Some(u) = self.usable_arenas {
                self.arenas[u].prevarena = Some(a);
            }
            self.usable_arenas = Some(a);
            if self.nfp2lasta[1].is_none() {
                self.nfp2lasta[1] = Some(a);
            }
            return ArenaChange::BecameUsable;
        }

        if self.nfp2lasta[nf].is_none() {
            self.nfp2lasta[nf] = Some(a);
        }
        if lastnf == Some(a) {
            // Case 4: it was the rightmost of its old count, so it is still in order.
            return ArenaChange::Unchanged;
        }

        // Case 3: slide the arena right, to just after lastnf.
        let lastnf = lastnf.expect("an arena with nf free pools is on usable_arenas");
        let next = next.expect("an arena left of lastnf has a right neighbour");
        match prev {
            Some(p) => self.arenas[p].nextarena = Some(next),
            None => self.usable_arenas = Some(next),
        }
        self.arenas[next].prevarena = prev;
        let after = self.arenas[lastnf].nextarena;
        self.arenas[a].prevarena = Some(lastnf);
        self.arenas[a].nextarena = after;
        if let Some(after) = after {
            self.arenas[after].prevarena = Some(a);
        }
        self.arenas[lastnf].nextarena = Some(a);
        ArenaChange::MovedRight
    }
}
// ANCHOR_END: api
