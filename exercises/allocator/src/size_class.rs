//! Size classes and the allocator layers (≈ the top of CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "The layers" (`part3-pymalloc/layers.md`) and "The 512-byte line"
//! (`part3-pymalloc/size-classes.md`).
//!
//! CPython stacks its allocators in layers. Layer 0 is the C library's `malloc`; layer +1 is
//! the `PyMem_Raw*` domain, a thin wrapper around it; layer +2 is pymalloc, the small-object
//! allocator that the `PyMem_*` and `PyObject_*` domains use. pymalloc only serves requests of
//! 1..=512 bytes. Everything else (0 bytes, and more than 512) falls through to the raw layer.
//!
//! On 64-bit builds blocks are 16-byte aligned, so the small requests fall into
//! 512 / 16 = 32 size classes: class `i` holds blocks of `(i + 1) * 16` bytes.

// ANCHOR: api
/// Alignment of every block pymalloc hands out: 16 bytes on 64-bit builds (`ALIGNMENT`).
pub const ALIGNMENT: usize = 16;
/// `log2(ALIGNMENT)` (`ALIGNMENT_SHIFT`).
pub const ALIGNMENT_SHIFT: u32 = 4;
/// Largest request pymalloc serves itself (`SMALL_REQUEST_THRESHOLD`).
pub const SMALL_REQUEST_THRESHOLD: usize = 512;
/// Number of size classes: 512 / 16 = 32 (`NB_SMALL_SIZE_CLASSES`).
pub const NB_SMALL_SIZE_CLASSES: usize = SMALL_REQUEST_THRESHOLD / ALIGNMENT;

// ANCHOR: size_math
/// The size class of a request, or `None` when pymalloc does not serve it (0 bytes, or more
/// than [`SMALL_REQUEST_THRESHOLD`]).
///
/// CPython computes `(nbytes - 1) >> ALIGNMENT_SHIFT` in `pymalloc_alloc`, after returning
/// NULL for the two excluded cases.
#[inline]
pub fn size_class_index(nbytes: usize) -> Option<usize> {
    // TODO
    todo!("return None for 0 and for > 512; otherwise (nbytes - 1) >> ALIGNMENT_SHIFT")
}

/// Block size of size class `szidx`: `(szidx + 1) << ALIGNMENT_SHIFT` (`INDEX2SIZE`).
#[inline]
pub fn index_to_size(szidx: usize) -> usize {
    // TODO
    todo!("the block size of class szidx is (szidx + 1) << ALIGNMENT_SHIFT")
}

/// `nbytes` rounded up to a multiple of [`ALIGNMENT`] (`_Py_SIZE_ROUND_UP`): the block size a
/// small request really gets. 0 stays 0; `nbytes` is at most `usize::MAX - 15` (no caller
/// passes more).
pub fn round_up(nbytes: usize) -> usize {
    // TODO
    todo!("round nbytes up to the next multiple of ALIGNMENT (a power of two: use a mask)")
}
// ANCHOR_END: size_math

/// The three allocator domains of PEP 445 (`PyMemAllocatorDomain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    /// `PyMem_RawMalloc` and friends: always the C library, callable without the GIL.
    Raw,
    /// `PyMem_Malloc`: buffers; pymalloc since Python 3.6.
    Mem,
    /// `PyObject_Malloc`: objects; pymalloc.
    Obj,
}

/// Which layer serves a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// pymalloc, from a pool of size class `szidx`.
    Pymalloc {
        /// The size class index (0..32).
        szidx: usize,
    },
    /// The raw layer: `PyMem_RawMalloc`, i.e. the C library's `malloc`.
    Raw,
}

// ANCHOR: route
/// Where a request of `nbytes` in `domain` goes with the default allocators (`pymalloc`):
/// the raw domain always uses `malloc`; the other two use pymalloc for small requests and fall
/// back to the raw layer for 0 bytes and for more than 512 bytes (`_PyObject_Malloc`).
pub fn route(domain: Domain, nbytes: usize) -> Layer {
    // TODO
    todo!("Raw domain -> Layer::Raw; Mem/Obj -> Pymalloc for a small size class, else Raw")
}
// ANCHOR_END: route

/// The allocator set chosen at start-up, as `_testcapi.pymem_getallocatorsname()` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllocatorName {
    /// Raw domain on `malloc`, mem and obj domains on pymalloc (the default).
    Pymalloc,
    /// `Pymalloc` with the debug hooks on every domain (`PYTHONMALLOC=debug`, `-X dev`).
    PymallocDebug,
    /// Every domain on `malloc` (`PYTHONMALLOC=malloc`).
    Malloc,
    /// `Malloc` with the debug hooks.
    MallocDebug,
}

/// `PYTHONMALLOC` named an allocator that does not exist. CPython stops with
/// `Fatal Python error: preconfig_init_allocator: PYTHONMALLOC: unknown allocator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAllocator(pub String);

impl AllocatorName {
    /// The allocator set CPython 3.11 (a release build, with pymalloc) picks for the
    /// `PYTHONMALLOC` environment variable and the `-X dev` flag (`_PyMem_GetAllocatorName`,
    /// `Python/preconfig.c`).
    ///
    /// Unset or empty means "not set": `-X dev` then selects the debug hooks. An explicit name,
    /// `default` included, wins over `-X dev`.
    // ANCHOR: select
    pub fn select(pythonmalloc: Option<&str>, dev_mode: bool) -> Result<Self, UnknownAllocator> {
        // ANCHOR_END: select
        // TODO
        todo!(
            "map \"\" / None (not set), \"default\", \"debug\", \"pymalloc\", \"pymalloc_debug\", \"malloc\", \"malloc_debug\""
        )
    }

    // ANCHOR: allocator_methods
    /// The name `_testcapi.pymem_getallocatorsname()` reports: `pymalloc`, `pymalloc_debug`,
    /// `malloc` or `malloc_debug`.
    pub fn name(self) -> &'static str {
        // TODO
        todo!("one string per variant, as _testcapi.pymem_getallocatorsname() prints it")
    }

    /// The allocator under `domain` (below the debug hooks, if any): `"malloc"` or `"pymalloc"`.
    pub fn domain_allocator(self, domain: Domain) -> &'static str {
        // TODO
        todo!("the raw domain is always malloc; mem/obj use pymalloc unless the set is malloc")
    }

    /// Whether the debug hooks (guard bytes, API ids) wrap every domain.
    pub fn has_debug_hooks(self) -> bool {
        // TODO
        todo!("true for the two *_debug sets")
    }
    // ANCHOR_END: allocator_methods
}

/// What every allocator of this crate offers: the four functions of `PyMemAllocatorEx`.
///
/// Pointers are raw, as in C: `malloc` returns null when memory runs out.
pub trait Allocator {
    /// A block of at least `nbytes` bytes, 16-byte aligned, or null.
    fn malloc(&mut self, nbytes: usize) -> *mut u8;
    /// A zeroed block for `nelem * elsize` bytes, or null (also on overflow).
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8;
    /// Resize the block at `p`, keeping its contents up to the smaller size.
    ///
    /// # Safety
    /// `p` is null or a live block returned by this allocator.
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8;
    /// Release the block at `p` (null is ignored).
    ///
    /// # Safety
    /// `p` is null or a live block returned by this allocator.
    unsafe fn free(&mut self, p: *mut u8);
    /// How many bytes the block at `p` can hold, if the allocator can tell without reading
    /// the block (pymalloc can: it is the size class). Wrappers such as the debug hooks use
    /// it to avoid reading past a block whose header is corrupted.
    fn usable_size(&self, p: *const u8) -> Option<usize> {
        let _ = p;
        None
    }
}

// ANCHOR: raw_functions
/// `PyMem_RawMalloc`: the C library's `malloc`, except that 0 bytes become 1 byte so that a
/// successful call never returns NULL (`_PyMem_RawMalloc` in `Objects/obmalloc.c`).
pub fn raw_malloc(nbytes: usize) -> *mut u8 {
    // TODO
    todo!("call libc::malloc, asking for 1 byte when nbytes is 0")
}

/// `PyMem_RawCalloc`: `calloc`, with a zero count or size turned into `calloc(1, 1)`, and
/// null when `nelem * elsize` overflows.
pub fn raw_calloc(nelem: usize, elsize: usize) -> *mut u8 {
    // TODO
    todo!("null on overflow of nelem * elsize; calloc(1, 1) when either is 0; else libc::calloc")
}

/// `PyMem_RawRealloc`: `realloc`, with 0 bytes turned into 1 byte.
///
/// # Safety
/// `p` is null or a live block from [`raw_malloc`], [`raw_calloc`] or [`raw_realloc`].
pub unsafe fn raw_realloc(p: *mut u8, nbytes: usize) -> *mut u8 {
    // TODO
    todo!("call libc::realloc, asking for 1 byte when nbytes is 0")
}

/// `PyMem_RawFree`: `free`.
///
/// # Safety
/// `p` is null or a live block from the raw functions above.
pub unsafe fn raw_free(p: *mut u8) {
    // TODO
    todo!("call libc::free")
}
// ANCHOR_END: raw_functions

/// The raw layer as an [`Allocator`] (layer +1 over the C library).
#[derive(Debug, Default, Clone, Copy)]
pub struct RawMalloc;
// ANCHOR_END: api

impl Allocator for RawMalloc {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        raw_malloc(nbytes)
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        raw_calloc(nelem, elsize)
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { raw_realloc(p, nbytes) }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        // SAFETY: forwarded contract.
        unsafe { raw_free(p) }
    }
}
