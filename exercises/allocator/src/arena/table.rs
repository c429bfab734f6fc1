//! The arena objects: one [`ArenaObject`] per arena (`struct arena_object`), all kept in the
//! `arenas` vector, `ArenaTable` (given: the same file serves the exercise and the solution).

use std::ops::{Index, IndexMut};
use std::ptr;

use crate::pool::PoolHeader;

// ANCHOR: api
/// The bookkeeping for one arena (`struct arena_object`).
#[derive(Debug, Clone, Copy)]
pub struct ArenaObject {
    /// Base of the arena as the source returned it; null = no arena attached (`address`).
    pub address: *mut u8,
    /// The next pool to carve: pool-aligned (`pool_address`).
    pub pool_address: *mut u8,
    /// Free pools plus pools never carved (`nfreepools`).
    pub nfreepools: u32,
    /// Pools in this arena: 64, or 63 if the base is not pool-aligned (`ntotalpools`).
    pub ntotalpools: u32,
    /// Singly-linked list (through `nextpool`) of empty pools (`freepools`).
    pub freepools: *mut PoolHeader,
    /// Next arena on `usable_arenas`, or on `unused_arena_objects` when unattached.
    pub nextarena: Option<usize>,
    /// Previous arena on `usable_arenas`.
    pub prevarena: Option<usize>,
}

impl ArenaObject {
    /// An arena object with no arena: what a new slot of the vector holds.
    pub const UNUSED: ArenaObject = ArenaObject {
        address: ptr::null_mut(),
        pool_address: ptr::null_mut(),
        nfreepools: 0,
        ntotalpools: 0,
        freepools: ptr::null_mut(),
        nextarena: None,
        prevarena: None,
    };
}
// ANCHOR_END: api

/// The `arenas` vector, indexed like a slice (`table[i]`). It lives in C-library memory
/// (`PyMem_RawRealloc` in CPython) rather than in a `Vec`, so that the allocator can serve as
/// Rust's global allocator without calling itself.
pub(super) struct ArenaTable {
    ptr: *mut ArenaObject,
    len: usize,
}

impl ArenaTable {
    /// An empty vector; nothing is allocated until the first [`ArenaTable::grow`].
    pub(super) const fn new() -> Self {
        ArenaTable {
            ptr: ptr::null_mut(),
            len: 0,
        }
    }

    /// Number of arena objects (`maxarenas`).
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Grow to `new_len` objects (`realloc`), the new ones [`ArenaObject::UNUSED`].
    /// `false` (and no change) when memory runs out.
    #[allow(dead_code)] // your `new_arena` calls it
    pub(super) fn grow(&mut self, new_len: usize) -> bool {
        assert!(new_len >= self.len);
        let Some(bytes) = new_len.checked_mul(size_of::<ArenaObject>()) else {
            return false;
        };
        // SAFETY: ptr is null or our own realloc'd block.
        let p = unsafe { libc::realloc(self.ptr.cast(), bytes) }.cast::<ArenaObject>();
        if p.is_null() {
            return false;
        }
        for i in self.len..new_len {
            // SAFETY: i < new_len, inside the block just obtained.
            unsafe { p.add(i).write(ArenaObject::UNUSED) };
        }
        self.ptr = p;
        self.len = new_len;
        true
    }
}

impl Index<usize> for ArenaTable {
    type Output = ArenaObject;
    fn index(&self, i: usize) -> &ArenaObject {
        assert!(i < self.len, "arena index {i} out of range {}", self.len);
        // SAFETY: i < len, and every slot below len is initialised.
        unsafe { &*self.ptr.add(i) }
    }
}

impl IndexMut<usize> for ArenaTable {
    fn index_mut(&mut self, i: usize) -> &mut ArenaObject {
        assert!(i < self.len, "arena index {i} out of range {}", self.len);
        // SAFETY: as in index; &mut self gives exclusive access.
        unsafe { &mut *self.ptr.add(i) }
    }
}

impl Drop for ArenaTable {
    fn drop(&mut self) {
        // SAFETY: ptr is null or our realloc'd block, freed once.
        unsafe { libc::free(self.ptr.cast()) }
    }
}
