//! Caches and free lists: the objects CPython 3.11 keeps instead of freeing ("Layer +3").
//!
//! Book: Part I, "Caches and free lists". A [`Runtime`] hands out objects as [`ObjId`]s, and an
//! id stands for an address: two equal ids are the same memory. A fresh allocation always gets
//! an id never seen before (we do not model the allocator reusing freed memory), so an old id
//! coming back means a cache or a free list gave it back.
//!
//! Nothing here counts references: `*_dealloc` is what CPython runs when the last reference
//! goes (`tp_dealloc`).
//!
//! CPython: Objects/longobject.c (`get_small_int`), Objects/unicodeobject.c
//! (`PyUnicode_InternInPlace`), Objects/floatobject.c, Objects/tupleobject.c
//! (`maybe_freelist_push/pop`), Objects/listobject.c, Objects/dictobject.c (`new_keys_object`,
//! `free_keys_object`, `dict_dealloc`), Modules/gcmodule.c (`clear_freelists`).
//!
//! The methods of [`Runtime`] are spread over one file per idea, all `impl Runtime` blocks:
//! - this file: the limits (`*_MAXFREELIST`, …) and the types, with `Runtime`'s fields;
//! - `freelist/runtime.rs` (given): [`Runtime::new`], the queries the tests use
//!   ([`Runtime::kind`], [`Runtime::freelist_len`], the counters …), [`Runtime::dealloc`],
//!   which calls the right `*_dealloc`, and [`Runtime::subclass_new`] with
//!   [`Runtime::is_exact`]: instances of subclasses, which free lists must refuse;
//! - `freelist/alloc.rs` (given): the helpers your code calls: `malloc` / `free`
//!   (`PyObject_Malloc` / `PyObject_Free`), `gc_alloc` / `gc_del` (the same plus the gen-0
//!   count), `park` (a dead object keeps its memory on a free list), `revive` (a parked object is
//!   live again) and `is_static`;
//! - `freelist/caches.rs` (yours): the small-int cache, the static strs and interning;
//! - `freelist/free_lists.rs` (yours): the float, tuple, list and dict free lists, and the
//!   collection that empties them.

mod alloc;
mod runtime;

mod caches;
mod free_lists;

use std::collections::{HashMap, HashSet};

// ANCHOR: api
/// `_PY_NSMALLNEGINTS`: the cache holds −5 …
pub const NSMALLNEGINTS: i64 = 5;
/// `_PY_NSMALLPOSINTS`: … up to 256 (upper bound exclusive).
pub const NSMALLPOSINTS: i64 = 257;
/// `PyFloat_MAXFREELIST`.
pub const FLOAT_MAXFREELIST: usize = 100;
/// `PyTuple_MAXSAVESIZE`: one free list per length 1 … 20 (`PyTuple_NFREELISTS` is the same).
pub const TUPLE_MAXSAVESIZE: usize = 20;
/// `PyTuple_MAXFREELIST`: tuples kept per length.
pub const TUPLE_MAXFREELIST: usize = 2000;
/// `PyList_MAXFREELIST`.
pub const LIST_MAXFREELIST: usize = 80;
/// `PyDict_MAXFREELIST`: for dict objects, and separately for keys objects.
pub const DICT_MAXFREELIST: usize = 80;
/// `PyDict_LOG_MINSIZE`: only 8-slot keys objects are recycled.
pub const DICT_LOG_MINSIZE: u8 = 3;

/// An object's identity, standing for its address (`id(o)` in Python). Shown as `#n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// The shape of a dict's keys object: what decides whether it may be recycled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeysSpec {
    /// `dk_log2_size` (3 = 8 slots).
    pub log2_size: u8,
    /// `DICT_KEYS_UNICODE`: all keys are exact strs.
    pub unicode: bool,
}

/// What an id holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An int with this value.
    Int(i64),
    /// A str with this text.
    Str(String),
    /// A float (its value does not matter here).
    Float,
    /// A tuple of this length.
    Tuple(usize),
    /// A list header (its item array is a separate `PyMem` block, never recycled).
    List,
    /// A dict, with its own keys object (`None`: it shares the static `Py_EMPTY_KEYS`).
    Dict(Option<ObjId>),
    /// A dict keys object (`PyDictKeysObject`, not itself a Python object).
    DictKeys(KeysSpec),
}

/// Names one free list, for [`Runtime::freelist_len`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreeList {
    /// Floats.
    Float,
    /// Tuples of this length (1 … 20).
    Tuple(usize),
    /// List headers.
    List,
    /// Dict objects.
    Dict,
    /// Dict keys objects.
    DictKeys,
}

/// The objects, caches and free lists of a process running one interpreter. In 3.11 the free
/// lists are per interpreter; the small ints and the static strs are process-wide (in
/// `_PyRuntime`), and so is the `interned` table.
#[derive(Debug)]
pub struct Runtime {
    /// Next fresh id.
    next_id: u32,
    /// Ids below this are statically allocated: they are never freed.
    statics: u32,
    /// Every live object (objects parked on a free list are not live).
    live: HashMap<ObjId, Kind>,
    /// Blocks taken from the allocator / given back to it (`PyObject_Malloc` / `PyObject_Free`).
    mallocs: usize,
    frees: usize,
    /// `generations[0].count`: GC allocations minus GC deallocations since the last collection.
    gen0_count: usize,
    /// `_Py_SINGLETON(small_ints)`: the ints −5 … 256, index `v + 5`.
    small_ints: Vec<ObjId>,
    /// The empty str and the 256 one-character latin-1 strs (`_Py_SINGLETON(strings)`).
    empty_str: ObjId,
    latin1: Vec<ObjId>,
    /// `_Py_SINGLETON(tuple_empty)`: the one `()`.
    empty_tuple: ObjId,
    /// The `interned` dict behind `sys.intern`: text → the canonical object. In 3.11 there is
    /// one for the whole process (`static PyObject *interned` in Objects/unicodeobject.c),
    /// shared by every interpreter.
    interned: HashMap<String, ObjId>,
    /// The free lists. Each `Vec` is used as a stack: the last pushed is the first reused.
    float_free: Vec<ObjId>,
    tuple_free: Vec<Vec<ObjId>>,
    list_free: Vec<ObjId>,
    dict_free: Vec<ObjId>,
    keys_free: Vec<ObjId>,
    /// Instances of subclasses made by [`Runtime::subclass_new`] (`class F(float): pass`):
    /// not of the exact type, so never put on a free list.
    subclass_instances: HashSet<ObjId>,
}
// ANCHOR_END: api
