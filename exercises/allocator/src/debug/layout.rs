//! The block layout: the fill bytes, the API ids and the size field that the hooks write
//! around every block (≈ `PYMEM_CLEANBYTE`, `PYMEM_DEADBYTE`, `PYMEM_FORBIDDENBYTE`,
//! `debug_alloc_api_t`, `write_size_t` and `read_size_t` in `Objects/obmalloc.c`).
//!
//! The three patterns stand out in a memory dump: 0xCD ("clean") in memory nobody wrote yet,
//! 0xDD ("dead") in freed memory, 0xFD ("forbidden") in the guard bytes. The size is stored
//! big-endian, which is easier to read in a memory dump.

// ANCHOR: api
/// Fills new memory, except for calloc (`PYMEM_CLEANBYTE`).
pub const CLEANBYTE: u8 = 0xCD;
/// Fills freed memory (`PYMEM_DEADBYTE`).
pub const DEADBYTE: u8 = 0xDD;
/// Fills the guard bytes around the data (`PYMEM_FORBIDDENBYTE`).
pub const FORBIDDENBYTE: u8 = 0xFD;
/// `sizeof(size_t)` (`SST`).
pub const SST: usize = 8;
/// Extra bytes per block: size, id, 7 + 8 pad bytes (`PYMEM_DEBUG_EXTRA_BYTES`, no serial).
pub const DEBUG_EXTRA_BYTES: usize = 3 * SST;

/// The three API families (`debug_alloc_api_t.api_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// `PyMem_RawMalloc` & co.: id `'r'`.
    Raw,
    /// `PyMem_Malloc` & co.: id `'m'`.
    Mem,
    /// `PyObject_Malloc` & co.: id `'o'`.
    Obj,
}

// ANCHOR: layout_fns
impl Api {
    /// The id byte stored before the data: `b'r'`, `b'm'` or `b'o'`.
    pub fn id(self) -> u8 {
        // TODO
        todo!("'r', 'm' or 'o' as a byte")
    }
}

/// Write `n` as a big-endian `size_t` at `p` (`write_size_t`).
///
/// # Safety
/// `p` is valid for writing 8 bytes.
pub unsafe fn write_size_t(p: *mut u8, n: usize) {
    // TODO
    todo!("most significant byte first (to_be_bytes)")
}

/// Read a big-endian `size_t` at `p` (`read_size_t`).
///
/// # Safety
/// `p` is valid for reading 8 bytes.
pub unsafe fn read_size_t(p: *const u8) -> usize {
    // TODO
    todo!("the inverse of write_size_t")
}
// ANCHOR_END: layout_fns
// ANCHOR_END: api
