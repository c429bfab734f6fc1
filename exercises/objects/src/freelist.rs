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
//! Given helpers, at the bottom of this file: `malloc` / `free` (`PyObject_Malloc` /
//! `PyObject_Free`), `gc_alloc` / `gc_del` (the same plus the gen-0 count), `park` (a dead object
//! keeps its memory on a free list), `revive` (a parked object is live again) and `is_static`.

use std::collections::HashMap;
use std::fmt;

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

/// One interpreter's objects, caches and free lists (3.11 keeps them per interpreter).
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
    /// The `interned` dict behind `sys.intern`: text → the canonical object.
    interned: HashMap<String, ObjId>,
    /// The free lists. Each `Vec` is used as a stack: the last pushed is the first reused.
    float_free: Vec<ObjId>,
    tuple_free: Vec<Vec<ObjId>>,
    list_free: Vec<ObjId>,
    dict_free: Vec<ObjId>,
    keys_free: Vec<ObjId>,
}

impl Default for Runtime {
    fn default() -> Runtime {
        Runtime::new()
    }
}

impl Runtime {
    /// A started interpreter: the static singletons exist (small ints, the empty str, the
    /// latin-1 one-character strs, `()`), nothing else; no block has been malloc'd yet.
    pub fn new() -> Runtime {
        let mut rt = Runtime {
            next_id: 0,
            statics: 0,
            live: HashMap::new(),
            mallocs: 0,
            frees: 0,
            gen0_count: 0,
            small_ints: Vec::new(),
            empty_str: ObjId(0),
            latin1: Vec::new(),
            empty_tuple: ObjId(0),
            interned: HashMap::new(),
            float_free: Vec::new(),
            tuple_free: vec![Vec::new(); TUPLE_MAXSAVESIZE],
            list_free: Vec::new(),
            dict_free: Vec::new(),
            keys_free: Vec::new(),
        };
        rt.small_ints = (-NSMALLNEGINTS..NSMALLPOSINTS)
            .map(|v| rt.new_static(Kind::Int(v)))
            .collect();
        rt.empty_str = rt.new_static(Kind::Str(String::new()));
        rt.latin1 = (0u8..=255)
            .map(|b| rt.new_static(Kind::Str(char::from(b).to_string())))
            .collect();
        rt.empty_tuple = rt.new_static(Kind::Tuple(0));
        rt.statics = rt.next_id;
        rt
    }

    /// What `id` holds, if it is a live object.
    pub fn kind(&self, id: ObjId) -> Option<&Kind> {
        self.live.get(&id)
    }

    /// True if `id` is a live object (not freed, not parked on a free list).
    pub fn is_live(&self, id: ObjId) -> bool {
        self.live.contains_key(&id)
    }

    /// `gc.get_count()[0]`.
    pub fn gen0_count(&self) -> usize {
        self.gen0_count
    }

    /// Blocks taken from the object allocator so far.
    pub fn mallocs(&self) -> usize {
        self.mallocs
    }

    /// Blocks given back to the object allocator so far.
    pub fn frees(&self) -> usize {
        self.frees
    }

    /// How many objects wait on a free list.
    pub fn freelist_len(&self, list: FreeList) -> usize {
        match list {
            FreeList::Float => self.float_free.len(),
            FreeList::Tuple(len) if (1..=TUPLE_MAXSAVESIZE).contains(&len) => {
                self.tuple_free[len - 1].len()
            }
            FreeList::Tuple(_) => 0,
            FreeList::List => self.list_free.len(),
            FreeList::Dict => self.dict_free.len(),
            FreeList::DictKeys => self.keys_free.len(),
        }
    }

    /// True if `id` is the object `sys.intern` hands out for its text.
    pub fn is_interned(&self, id: ObjId) -> bool {
        match self.live.get(&id) {
            Some(Kind::Str(text)) => self.interned.get(text) == Some(&id),
            _ => false,
        }
    }

    /// Runs the deallocator of `id`'s type, as `Py_DECREF` does when the count reaches zero.
    /// Panics if `id` is not live.
    pub fn dealloc(&mut self, id: ObjId) {
        match self.live.get(&id) {
            Some(Kind::Int(_)) => self.long_dealloc(id),
            Some(Kind::Str(_)) => self.str_dealloc(id),
            Some(Kind::Float) => self.float_dealloc(id),
            Some(Kind::Tuple(_)) => self.tuple_dealloc(id),
            Some(Kind::List) => self.list_dealloc(id),
            Some(Kind::Dict(_)) => self.dict_dealloc(id),
            Some(Kind::DictKeys(_)) => panic!("{id} is a keys object: its dict frees it"),
            None => panic!("{id} is not a live object"),
        }
    }

    /// `PyLong_FromLong(v)`: −5 … 256 come from the small-int cache (`get_small_int`); any other
    /// value is a new object.
    pub fn long_from(&mut self, v: i64) -> ObjId {
        // TODO
        todo!("return the cached object for -5..=256, else malloc a new int")
    }

    /// `long_dealloc`: frees the block. Ints have no free list in 3.11; cached small ints are
    /// never deallocated (their count starts near 10⁹), so nothing happens to them.
    pub fn long_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("free the block unless it is a static small int")
    }

    /// `PyUnicode_FromString(text)`: `""` and one-character latin-1 texts are static singletons
    /// (`unicode_new_empty`, `get_latin1_char`); any other text is a new object.
    pub fn str_new(&mut self, text: &str) -> ObjId {
        // TODO
        todo!("return the empty-str or latin-1 singleton when there is one, else malloc a new str")
    }

    /// `sys.intern(s)` (`PyUnicode_InternInPlace`): if a str with the same text is interned,
    /// return it (the caller drops `s`); otherwise `s` itself becomes the interned one.
    /// Panics if `s` is not a live str.
    pub fn intern(&mut self, s: ObjId) -> ObjId {
        // TODO
        todo!("look the text up in self.interned: return the canonical object, or make s canonical")
    }

    /// `unicode_dealloc`: 3.11 interned strs are *mortal*: a dying interned str leaves the
    /// `interned` dict, so interning the same text later gives a new object. Statics never die.
    pub fn str_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("leave statics alone; drop an interned str from the table, then free it")
    }

    /// `PyFloat_FromDouble`: pop the free list (the last float freed), else malloc. Floats are
    /// not GC objects. (CPython links the list through `ob_type`; a stack does the same job.)
    pub fn float_new(&mut self) -> ObjId {
        // TODO
        todo!("pop the float free list, else malloc")
    }

    /// `_PyFloat_ExactDealloc`: push onto the free list unless it already holds
    /// [`FLOAT_MAXFREELIST`]; then free the block instead.
    pub fn float_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("park the float on the free list unless 100 wait; then free it")
    }

    /// `PyTuple_New(len)`: `()` is the static singleton; otherwise `maybe_freelist_pop`, which in
    /// 3.11 only looks at lengths `< TUPLE_MAXSAVESIZE`; otherwise a GC allocation.
    pub fn tuple_new(&mut self, len: usize) -> ObjId {
        // TODO
        todo!("() is the singleton; pop the free list of this length if len < 20; else gc_alloc")
    }

    /// `tupledealloc` → `maybe_freelist_push`: lengths 1 … 20 (`len - 1 < PyTuple_NFREELISTS`)
    /// are kept, up to [`TUPLE_MAXFREELIST`] per length; otherwise `PyObject_GC_Del`. The push
    /// accepts length 20 but the pop refuses it: 3.11's off-by-one (fixed in 3.12.5 and 3.13).
    /// `()` is never freed.
    pub fn tuple_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("() is never freed; push lengths 1..=20 while fewer than 2000 wait, else gc_del")
    }

    /// `PyList_New`: reuse the last freed list header, else a GC allocation.
    pub fn list_new(&mut self) -> ObjId {
        // TODO
        todo!("pop the list free list, else gc_alloc")
    }

    /// `list_dealloc`: keep the header if fewer than [`LIST_MAXFREELIST`] wait, else
    /// `PyObject_GC_Del`.
    pub fn list_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("park the header if fewer than 80 wait, else gc_del")
    }

    /// A new dict (`new_keys_object` then `new_dict`). With `keys: Some(spec)` it first gets its
    /// own keys object: a recycled one if `spec` is 8 slots and unicode and one waits, else a
    /// malloc'd one. Then the dict object: a recycled one, else a GC allocation. `None` makes an
    /// empty `{}` sharing `Py_EMPTY_KEYS`.
    pub fn dict_new(&mut self, keys: Option<KeysSpec>) -> ObjId {
        // TODO
        todo!(
            "get the keys object (recycled only for 8-slot unicode keys), then the dict (recycled or gc_alloc)"
        )
    }

    /// The keys object a live dict owns (`None`: it shares `Py_EMPTY_KEYS`).
    pub fn dict_keys(&self, dict: ObjId) -> Option<ObjId> {
        match self.live.get(&dict) {
            Some(Kind::Dict(keys)) => *keys,
            _ => None,
        }
    }

    /// `dict_dealloc`: first its keys object (`free_keys_object`: kept if 8 slots, unicode and
    /// fewer than 80 wait; else freed), then the dict itself (kept if fewer than 80 wait; else
    /// `PyObject_GC_Del`).
    pub fn dict_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!(
            "release the keys object (keep it if 8-slot unicode and < 80 wait), then the dict (keep it if < 80 wait)"
        )
    }

    /// `clear_freelists` (Modules/gcmodule.c): empty every free list, really freeing what waited
    /// there (floats and keys with `PyObject_Free`, tuples, lists and dicts with
    /// `PyObject_GC_Del`).
    pub fn clear_freelists(&mut self) {
        // TODO
        todo!(
            "free every parked object: floats and keys with free, tuples, lists and dicts with gc_del"
        )
    }

    /// `gc.collect(generation)`, as far as this runtime goes: the young generation's count
    /// restarts at 0, and a generation-2 collection ends with [`Runtime::clear_freelists`].
    pub fn collect(&mut self, generation: usize) {
        // TODO
        todo!("zero the gen-0 count; a generation-2 collection also clears the free lists")
    }
}

impl fmt::Display for ObjId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
// ANCHOR_END: api

/// Given helpers: the allocator and the GC bookkeeping your code calls.
#[allow(dead_code)] // the stub's callers are todo!()s
impl Runtime {
    /// A statically allocated object (part of the interpreter image: no malloc).
    fn new_static(&mut self, kind: Kind) -> ObjId {
        let id = ObjId(self.next_id);
        self.next_id += 1;
        self.live.insert(id, kind);
        id
    }

    /// True for the static singletons.
    fn is_static(&self, id: ObjId) -> bool {
        id.0 < self.statics
    }

    /// `PyObject_Malloc` + init: a fresh block, never seen before.
    fn malloc(&mut self, kind: Kind) -> ObjId {
        self.mallocs += 1;
        self.new_static(kind)
    }

    /// `PyObject_Free`: the block (a live object, or one parked on a free list) goes back to the
    /// allocator.
    fn free(&mut self, id: ObjId) {
        self.live.remove(&id);
        self.frees += 1;
    }

    /// `gc_alloc` (`PyObject_GC_New`): malloc, and `_PyObject_GC_Link` bumps the gen-0 count.
    /// (The real one may start a collection once the count passes 700; this one never does.)
    fn gc_alloc(&mut self, kind: Kind) -> ObjId {
        self.gen0_count += 1;
        self.malloc(kind)
    }

    /// `PyObject_GC_Del`: the gen-0 count goes down (if above 0), then free.
    fn gc_del(&mut self, id: ObjId) {
        self.gen0_count = self.gen0_count.saturating_sub(1);
        self.free(id);
    }

    /// The object stops being live but keeps its memory (pushed on a free list).
    fn park(&mut self, id: ObjId) {
        assert!(self.live.remove(&id).is_some(), "{id} is not live");
    }

    /// `_Py_NewReference` on a block taken from a free list: it is live again, as `kind`.
    fn revive(&mut self, id: ObjId, kind: Kind) -> ObjId {
        self.live.insert(id, kind);
        id
    }
}
