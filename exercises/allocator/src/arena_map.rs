//! The arena map: the radix tree that answers "is this pointer inside one of our arenas?"
//! (≈ `arena_map_get`, `arena_map_mark_used`, `arena_map_is_used` in CPython 3.11's
//! `Objects/obmalloc.c`, used by `address_in_range`).
//!
//! Book: Part III, "The arena map: is this pointer ours?" (`part3-pymalloc/arena-map.md`).
//!
//! `free(p)` must decide whether `p` came from pymalloc or from `malloc`. The tree is keyed by
//! the address bits above the 20 arena bits: 15 bits pick a slot of the root, 15 a slot of a
//! middle node, 14 a leaf of a bottom node. A leaf describes one "ideal" (1 MiB-aligned)
//! address range. An arena that does not start on an ideal boundary overlaps two of them: the
//! first leaf records the arena's offset `tail` in `tail_hi` ("used from `tail` up"), the next
//! in `tail_lo` ("used below `tail`"). An aligned arena stores `tail_hi = -1`.

use std::ptr::NonNull;

use crate::arena::ARENA_BITS;

// ANCHOR: api
/// Address bits the tree looks at (`ADDRESS_BITS`; `IGNORE_BITS` is 0 in 3.11).
pub const ADDRESS_BITS: u32 = 64;
/// Bits per interior level: `(64 - 20 + 2) / 3 = 15` (`INTERIOR_BITS`).
#[allow(clippy::manual_div_ceil)] // CPython's formula, as written in obmalloc.c
pub const INTERIOR_BITS: u32 = (ADDRESS_BITS - ARENA_BITS + 2) / 3;
/// Bits indexing the root (`MAP_TOP_BITS`): 15.
pub const MAP_TOP_BITS: u32 = INTERIOR_BITS;
/// Bits indexing a middle node (`MAP_MID_BITS`): 15.
pub const MAP_MID_BITS: u32 = INTERIOR_BITS;
/// Bits indexing a bottom node (`MAP_BOT_BITS`): 64 - 20 - 30 = 14.
pub const MAP_BOT_BITS: u32 = ADDRESS_BITS - ARENA_BITS - 2 * INTERIOR_BITS;
/// Slots in the root (`MAP_TOP_LENGTH`).
pub const MAP_TOP_LENGTH: usize = 1 << MAP_TOP_BITS;
/// Slots in a middle node (`MAP_MID_LENGTH`).
pub const MAP_MID_LENGTH: usize = 1 << MAP_MID_BITS;
/// Leaves in a bottom node (`MAP_BOT_LENGTH`).
pub const MAP_BOT_LENGTH: usize = 1 << MAP_BOT_BITS;
/// Shift of the bottom index: the arena bits (`MAP_BOT_SHIFT`).
pub const MAP_BOT_SHIFT: u32 = ARENA_BITS;
/// Shift of the middle index (`MAP_MID_SHIFT`): 34.
pub const MAP_MID_SHIFT: u32 = MAP_BOT_BITS + MAP_BOT_SHIFT;
/// Shift of the root index (`MAP_TOP_SHIFT`): 49.
pub const MAP_TOP_SHIFT: u32 = MAP_MID_BITS + MAP_MID_SHIFT;

// ANCHOR: indexes
/// Root slot of address `p` (`MAP_TOP_INDEX`).
#[inline]
pub fn top_index(p: usize) -> usize {
    // TODO
    todo!("shift p right by MAP_TOP_SHIFT and keep MAP_TOP_BITS bits")
}

/// Middle-node slot of address `p` (`MAP_MID_INDEX`).
#[inline]
pub fn mid_index(p: usize) -> usize {
    // TODO
    todo!("shift p right by MAP_MID_SHIFT and keep MAP_MID_BITS bits")
}

/// Bottom-node leaf of address `p` (`MAP_BOT_INDEX`).
#[inline]
pub fn bot_index(p: usize) -> usize {
    // TODO
    todo!("shift p right by MAP_BOT_SHIFT and keep MAP_BOT_BITS bits")
}
// ANCHOR_END: indexes

// ANCHOR: arena_coverage
/// A leaf: how the arena(s) overlapping one ideal 1 MiB range cover it (`arena_coverage_t`).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ArenaCoverage {
    /// An arena starts in this range at offset `tail_hi` and covers it from there up
    /// (-1: an aligned arena covers all of it; 0: none starts here).
    pub tail_hi: i32,
    /// An arena that started in the previous range covers this one below `tail_lo`.
    pub tail_lo: i32,
}
// ANCHOR_END: arena_coverage

/// Bytes of the root node (static memory in CPython): 2^15 pointers = 262,144.
pub const ROOT_BYTES: usize = MAP_TOP_LENGTH * size_of::<usize>();
/// Bytes of one middle node: 2^15 pointers = 262,144.
pub const MID_NODE_BYTES: usize = MAP_MID_LENGTH * size_of::<usize>();
/// Bytes of one bottom node: 2^14 leaves of 8 bytes = 131,072.
pub const BOT_NODE_BYTES: usize = MAP_BOT_LENGTH * size_of::<ArenaCoverage>();

/// The radix tree. Middle and bottom nodes are created on demand (zeroed, like
/// `PyMem_RawCalloc`) and never freed while the map lives.
pub struct ArenaMap {
    root: NonNull<RootNode>,
    mid_count: usize,
    bot_count: usize,
}

impl ArenaMap {
    /// An empty map: only the root exists.
    pub fn new() -> Self {
        let Some(root) = NonNull::new(calloc_node::<RootNode>()) else {
            std::process::abort();
        };
        ArenaMap {
            root,
            mid_count: 0,
            bot_count: 0,
        }
    }

    /// Mark (`is_used = true`) or unmark the 1 MiB arena starting at `arena_base`
    /// (`arena_map_mark_used`). `false` if a node could not be allocated.
    ///
    /// With `tail = arena_base & ARENA_SIZE_MASK`: if `tail == 0`, set the leaf's `tail_hi` to
    /// -1 (or 0 to unmark). Otherwise set `tail_hi = tail` (or 0) in the leaf of `arena_base`
    /// and `tail_lo = tail` (or 0) in the leaf of `arena_base + ARENA_SIZE`, which may live in
    /// another bottom (or middle) node. Unmarking never creates nodes.
    // ANCHOR: mark_used
    pub fn mark_used(&mut self, arena_base: usize, is_used: bool) -> bool {
        // ANCHOR_END: mark_used
        // TODO
        todo!(
            "find (or create) the leaf of arena_base, and of arena_base + ARENA_SIZE when misaligned"
        )
    }

    // ANCHOR: coverage
    /// The leaf for address `p`, or `None` when its middle or bottom node does not exist.
    /// Never allocates.
    #[inline]
    pub fn coverage(&self, p: usize) -> Option<ArenaCoverage> {
        // ANCHOR_END: coverage
        // TODO
        todo!(
            "follow root -> middle -> bottom without creating anything; a null pointer means None"
        )
    }

    // ANCHOR: is_used
    /// Whether `p` lies inside a marked arena (`arena_map_is_used`): with
    /// `tail = p & ARENA_SIZE_MASK` and the leaf's `hi`/`lo`,
    /// `tail < lo || (tail >= hi && hi != 0)`.
    #[inline]
    pub fn is_used(&self, p: usize) -> bool {
        // ANCHOR_END: is_used
        // TODO
        todo!(
            "look up the leaf with coverage(); compare p's offset in its 1 MiB range with tail_lo/tail_hi"
        )
    }

    /// Middle nodes created so far (`arena_map_mid_count`).
    pub fn mid_count(&self) -> usize {
        self.mid_count
    }

    /// Bottom nodes created so far (`arena_map_bot_count`).
    pub fn bot_count(&self) -> usize {
        self.bot_count
    }
}
// ANCHOR_END: api

impl ArenaMap {
    // ANCHOR: get
    /// The bottom node for address `p` (`arena_map_get`): with `create`, make missing middle
    /// and bottom nodes (with [`calloc_node`], counting them in `mid_count`/`bot_count`);
    /// `None` if a node is missing and `create` is false, or memory ran out.
    #[allow(dead_code)] // a helper for your `mark_used`
    fn get(&mut self, p: usize, create: bool) -> Option<NonNull<BotNode>> {
        // ANCHOR_END: get
        // TODO
        todo!("walk root -> middle -> bottom, creating missing nodes when `create` is true")
    }
}

impl Default for ArenaMap {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ArenaMap {
    fn drop(&mut self) {
        // SAFETY: every non-null pointer in the tree is a calloc'd node of this map, and each
        // is reachable exactly once; they are freed bottom-up, then the root.
        unsafe {
            let root = self.root.as_ptr();
            for &mid in (*root).ptrs.iter() {
                if mid.is_null() {
                    continue;
                }
                for &bot in (*mid).ptrs.iter() {
                    if !bot.is_null() {
                        libc::free(bot.cast());
                    }
                }
                libc::free(mid.cast());
            }
            libc::free(root.cast());
        }
    }
}

/// The root: one pointer per top index.
struct RootNode {
    ptrs: [*mut MidNode; MAP_TOP_LENGTH],
}

/// A middle node (`arena_map_mid_t`).
struct MidNode {
    ptrs: [*mut BotNode; MAP_MID_LENGTH],
}

/// A bottom node (`arena_map_bot_t`): the leaves.
#[allow(dead_code)] // read and written by your code
struct BotNode {
    arenas: [ArenaCoverage; MAP_BOT_LENGTH],
}

/// A zeroed node from the C library (as `PyMem_RawCalloc`), or null. All-zero bytes are a
/// valid node: null pointers and zero leaves. Not `Box`: this allocator may be Rust's global
/// allocator, and must not call itself.
fn calloc_node<T>() -> *mut T {
    // SAFETY: calloc has no preconditions; it returns null or zeroed memory for one T.
    unsafe { libc::calloc(1, size_of::<T>()).cast() }
}
