//! Arenas (≈ `struct arena_object`, `new_arena`, the arena half of `allocate_from_new_pool`
//! and `insert_to_freepool` in CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "Arenas" (`part3-pymalloc/arenas.md`).
//!
//! pymalloc asks the operating system for memory 1 MiB at a time. Each such arena is cut into
//! 16 KiB pools, carved on demand from its `pool_address` high-water mark. The vector of
//! `ArenaObject`s describes the arenas; `usable_arenas` lists those with a free pool, sorted so
//! that the most-used arena comes first, and `nfp2lasta` finds in O(1) the place where an arena
//! belongs after its count of free pools changes. A wholly free arena goes back to the system,
//! unless it is the last one of the list.

use std::ops::{Index, IndexMut};
use std::ptr::{self, NonNull};

use crate::pool::{POOL_SIZE, PoolHeader};

// ANCHOR: api
/// `log2(ARENA_SIZE)`: 20 on 64-bit builds (`ARENA_BITS`).
pub const ARENA_BITS: u32 = 20;
/// 1 MiB (`ARENA_SIZE`).
pub const ARENA_SIZE: usize = 1 << ARENA_BITS;
/// `ARENA_SIZE - 1` (`ARENA_SIZE_MASK`).
pub const ARENA_SIZE_MASK: usize = ARENA_SIZE - 1;
/// Pools in an arena whose base is pool-aligned: 64 (`MAX_POOLS_IN_ARENA`).
pub const MAX_POOLS_IN_ARENA: usize = ARENA_SIZE / POOL_SIZE;
/// Length of the arena-object vector before its first doubling (`INITIAL_ARENA_OBJECTS`).
pub const INITIAL_ARENA_OBJECTS: usize = 16;

/// Where arenas come from: CPython's `PyObjectArenaAllocator` (`alloc`/`free`, set with
/// `PyObject_SetArenaAllocator`).
pub trait ArenaSource {
    /// `size` bytes of fresh, page-aligned memory, or null.
    fn alloc(&mut self, size: usize) -> *mut u8;
    /// Give back memory from [`ArenaSource::alloc`].
    ///
    /// # Safety
    /// `ptr` and `size` are exactly those of one earlier successful `alloc`, freed once.
    unsafe fn free(&mut self, ptr: *mut u8, size: usize);
}

/// The default source: anonymous `mmap`/`munmap`, as `_PyObject_ArenaMmap` does. The kernel
/// returns 4 KiB-aligned addresses, so most arenas lose a pool to alignment.
#[derive(Debug, Default, Clone, Copy)]
pub struct MmapSource;

impl ArenaSource for MmapSource {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        // TODO
        todo!(
            "mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0); MAP_FAILED means null"
        )
    }

    unsafe fn free(&mut self, ptr: *mut u8, size: usize) {
        // TODO
        todo!("munmap the region")
    }
}

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

/// All arenas: the `arenas` vector and the lists through it.
pub struct Arenas<S: ArenaSource> {
    source: S,
    /// `arenas` (with `maxarenas` = its length).
    arenas: ArenaTable,
    /// Head of the singly-linked list of arena objects with no arena.
    unused_arena_objects: Option<usize>,
    /// Head of the doubly-linked list of arenas with a free pool, sorted by `nfreepools`.
    usable_arenas: Option<usize>,
    /// `nfp2lasta[n]`: the last arena in `usable_arenas` with exactly `n` free pools.
    nfp2lasta: [Option<usize>; MAX_POOLS_IN_ARENA + 1],
    narenas_currently_allocated: usize,
    ntimes_arena_allocated: usize,
    narenas_highwater: usize,
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
    ///    then to twice its length (`ArenaTable::grow`); chain the new objects into
    ///    `unused_arena_objects`, lowest index first.
    /// 2. Pop an object; ask the source for `ARENA_SIZE` bytes; call `mark_used(base)` (the
    ///    radix tree, `arena_map_mark_used`). If either fails, give the memory back, push the
    ///    object back and return `None`.
    /// 3. Update the three counters; `pool_address` is the first pool-aligned address in the
    ///    arena; `nfreepools = ntotalpools = 64`, or 63 when the base is not pool-aligned.
    pub fn new_arena(&mut self, mark_used: impl FnOnce(usize) -> bool) -> Option<usize> {
        // TODO
        todo!("grow the vector if needed, pop an arena object, get memory, mark it, set it up")
    }

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
    pub unsafe fn return_pool(
        &mut self,
        pool: NonNull<PoolHeader>,
        unmark: impl FnOnce(usize),
    ) -> ArenaChange {
        // TODO
        todo!(
            "push on freepools, update nfp2lasta and nfreepools, then release, relink or slide the arena"
        )
    }
}
// ANCHOR_END: api

/// Read-only views, for the allocator, the statistics and the tests.
impl<S: ArenaSource> Arenas<S> {
    /// Length of the arena-object vector (`maxarenas`).
    pub fn maxarenas(&self) -> usize {
        self.arenas.len()
    }
    /// Arena object `index` (panics if out of range).
    pub fn arena(&self, index: usize) -> &ArenaObject {
        &self.arenas[index]
    }
    /// Arenas attached now (`narenas_currently_allocated`).
    pub fn narenas_currently_allocated(&self) -> usize {
        self.narenas_currently_allocated
    }
    /// Arenas ever obtained from the source (`ntimes_arena_allocated`).
    pub fn ntimes_arena_allocated(&self) -> usize {
        self.ntimes_arena_allocated
    }
    /// Most arenas attached at once (`narenas_highwater`).
    pub fn narenas_highwater(&self) -> usize {
        self.narenas_highwater
    }
    /// `nfp2lasta[nfp]`.
    pub fn nfp2lasta(&self, nfp: usize) -> Option<usize> {
        self.nfp2lasta[nfp]
    }
    /// The arena source.
    pub fn source(&self) -> &S {
        &self.source
    }
    /// The arena source, e.g. to make a test source fail.
    pub fn source_mut(&mut self) -> &mut S {
        &mut self.source
    }
    /// The indices on `usable_arenas`, head first (stops after `maxarenas` steps, so that a
    /// broken list cannot loop forever).
    pub fn usable_arenas(&self) -> Vec<usize> {
        walk(&self.arenas, self.usable_arenas)
    }
    /// The indices on `unused_arena_objects`, head first.
    pub fn unused_arena_objects(&self) -> Vec<usize> {
        walk(&self.arenas, self.unused_arena_objects)
    }

    /// Check the invariants of `usable_arenas` and `nfp2lasta`; `Err` says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let usable = self.usable_arenas();
        let mut prev: Option<usize> = None;
        for &a in &usable {
            let ao = &self.arenas[a];
            if ao.address.is_null() || ao.nfreepools == 0 {
                return Err(format!(
                    "arena {a} on usable_arenas has no memory or no free pool"
                ));
            }
            if ao.prevarena != prev {
                return Err(format!(
                    "arena {a}: prevarena {:?}, expected {prev:?}",
                    ao.prevarena
                ));
            }
            if let Some(p) = prev
                && self.arenas[p].nfreepools > ao.nfreepools
            {
                return Err(format!("usable_arenas not sorted at arena {a}"));
            }
            prev = Some(a);
        }
        for nfp in 0..=MAX_POOLS_IN_ARENA {
            let last = usable
                .iter()
                .rev()
                .find(|&&a| self.arenas[a].nfreepools as usize == nfp)
                .copied();
            if self.nfp2lasta[nfp] != last {
                return Err(format!(
                    "nfp2lasta[{nfp}] = {:?}, expected {last:?}",
                    self.nfp2lasta[nfp]
                ));
            }
        }
        Ok(())
    }
}

fn walk(table: &ArenaTable, mut at: Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(i) = at {
        if out.len() > table.len() {
            break;
        }
        out.push(i);
        at = table[i].nextarena;
    }
    out
}

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

/// The `arenas` vector. It lives in C-library memory (`PyMem_RawRealloc` in CPython) rather
/// than in a `Vec`, so that the allocator can serve as Rust's global allocator without calling
/// itself.
struct ArenaTable {
    ptr: *mut ArenaObject,
    len: usize,
}

impl ArenaTable {
    const fn new() -> Self {
        ArenaTable {
            ptr: ptr::null_mut(),
            len: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Grow to `new_len` objects (`realloc`), the new ones [`ArenaObject::UNUSED`].
    /// `false` (and no change) when memory runs out.
    #[allow(dead_code)] // your `new_arena` calls it
    fn grow(&mut self, new_len: usize) -> bool {
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
