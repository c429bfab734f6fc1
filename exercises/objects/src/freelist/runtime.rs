//! Given: making a [`Runtime`], looking into it, and [`Runtime::dealloc`], which runs the
//! deallocator of the object's type (as `Py_DECREF` calls `tp_dealloc` when the count reaches
//! zero).

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{FreeList, Kind, NSMALLNEGINTS, NSMALLPOSINTS, ObjId, Runtime, TUPLE_MAXSAVESIZE};

// ANCHOR: runtime
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
            subclass_instances: HashSet::new(),
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

    /// False for an instance of a subclass (made by [`Runtime::subclass_new`]). CPython checks
    /// the exact type before a push onto a free list (`PyFloat_CheckExact(op)`,
    /// `Py_IS_TYPE(op, &PyTuple_Type)`, …); this is that check.
    pub fn is_exact(&self, id: ObjId) -> bool {
        !self.subclass_instances.contains(&id)
    }

    /// An instance of a class statement's subclass of float, tuple, list or dict (`class
    /// F(float): pass`, then `F(2.5)`; `kind` is what it holds: `Float`, `Tuple(len)`, `List` or
    /// an empty `Dict(None)`). The subclass's `tp_alloc` (`PyType_GenericAlloc`) makes it: a
    /// fresh GC allocation, never taken from a free list, since every class statement makes a
    /// GC type. Panics for other kinds (ints and strs have no free list here).
    pub fn subclass_new(&mut self, kind: Kind) -> ObjId {
        assert!(
            matches!(
                kind,
                Kind::Float | Kind::Tuple(_) | Kind::List | Kind::Dict(None)
            ),
            "subclass_new makes floats, tuples, lists and empty dicts, not {kind:?}"
        );
        let id = self.gc_alloc(kind);
        self.subclass_instances.insert(id);
        id
    }

    /// True if `id` is the object `sys.intern` hands out for its text.
    pub fn is_interned(&self, id: ObjId) -> bool {
        match self.live.get(&id) {
            Some(Kind::Str(text)) => self.interned.get(text) == Some(&id),
            _ => false,
        }
    }

    /// Runs the deallocator of `id`'s type, as `Py_DECREF` does when the count reaches zero.
    /// A subclass instance runs its base's (`subtype_dealloc` calls the base's `tp_dealloc`).
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
}

impl fmt::Display for ObjId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
// ANCHOR_END: runtime
