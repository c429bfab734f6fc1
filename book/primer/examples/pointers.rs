//! Raw pointers as the allocator uses them: addresses, `add`, alignment, and a free list
//! threaded through the free blocks themselves.
//!
//! Run it: `cargo run -p primer --example pointers`

use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};

/// A tiny "pool": 4 blocks of 32 bytes in one 128-byte, 128-aligned region.
const BLOCK: usize = 32;
const BLOCKS: usize = 4;
const REGION: usize = BLOCK * BLOCKS;

// ANCHOR: region
/// The start of the region holding `p`: the address rounded down to a multiple of REGION
/// (what `pool_addr` does with 16 KiB pools). `wrapping_sub` keeps `p`'s provenance, the
/// allocation it may point into, which a cast to `usize` and back would lose.
pub fn region_of(p: *mut u8) -> *mut u8 {
    p.wrapping_sub(p.addr() % REGION)
}
// ANCHOR_END: region

// ANCHOR: run
pub fn run() -> String {
    let layout = Layout::from_size_align(REGION, REGION).expect("a power-of-two alignment");
    // SAFETY: the layout's size is not zero.
    let base: *mut u8 = unsafe { alloc(layout) };
    if base.is_null() {
        handle_alloc_error(layout);
    }
    let mut out = format!(
        "base is {REGION}-aligned: {}\n",
        base.addr().is_multiple_of(REGION)
    );

    // `add(n)` moves by n *elements*: n bytes for a `*mut u8`, 8n bytes for a `*mut u64`.
    // SAFETY: 2 * BLOCK < REGION, so the result stays inside the allocation.
    let block2 = unsafe { base.add(2 * BLOCK) };
    // SAFETY: one u64 further is 8 bytes in, inside the allocation too.
    let word1 = unsafe { base.cast::<u64>().add(1) };
    out += &format!(
        "block 2 is {} bytes in; u64 #1 is {} bytes in\n",
        block2.addr() - base.addr(),
        word1.addr() - base.addr()
    );

    // Thread a free list through the blocks: each free block's first word holds a pointer
    // to the next free block (null ends the list), as pymalloc's `freeblock` list does.
    let mut head: *mut u8 = std::ptr::null_mut();
    for k in 0..BLOCKS {
        // SAFETY: k * BLOCK < REGION: inside the allocation.
        let block = unsafe { base.add(k * BLOCK) };
        // SAFETY: the block is inside our allocation, nothing else uses it, and it is
        // 32-byte aligned, enough for a pointer (8); writing initialises the word.
        unsafe { block.cast::<*mut u8>().write(head) };
        head = block;
    }
    let mut offsets = Vec::new();
    let mut p = head;
    while !p.is_null() {
        offsets.push((p.addr() - base.addr()).to_string());
        // SAFETY: `p` is one of our blocks, and the loop above wrote a pointer into its
        // first word.
        p = unsafe { p.cast::<*mut u8>().read() };
    }
    out += &format!("free list: {}\n", offsets.join(" -> "));

    // SAFETY: 3 * BLOCK + 5 < REGION: inside the allocation.
    let inside = unsafe { base.add(3 * BLOCK + 5) };
    out += &format!(
        "region_of(block 3 + 5 bytes) == base: {}\n",
        region_of(inside) == base
    );

    // SAFETY: `base` came from `alloc` with this very layout, and is not used after this.
    unsafe { dealloc(base, layout) };
    out
}
// ANCHOR_END: run

fn main() {
    print!("{}", run());
}
