//! Given helpers of the memory glue: sizes, addresses and the second block of containers.

use collector::cycles::{GcHeap, ObjId};

use crate::interp::object::{Payload, PyObj};
use crate::interp::state::State;

/// An object's id in `objects::freelist`'s model.
pub type FlId = objects::freelist::ObjId;

/// `PyObject_Malloc(nbytes)` from your allocator (through your tracer, which records the
/// running Python line): the address of a new block.
pub fn malloc(h: &mut GcHeap, nbytes: usize) -> usize {
    let s = h.state_mut::<State>();
    let frame = s.frame();
    let p = s.alloc.malloc(nbytes);
    assert!(
        !p.is_null(),
        "the allocator is out of memory ({nbytes} bytes)"
    );
    s.alloc.retrace(p, frame);
    p as usize
}

/// `PyObject_Free(block)`: gives a block back to your allocator.
pub fn free_block(h: &mut GcHeap, block: usize) {
    // SAFETY: every block the runtime frees came from `malloc` above and is freed once: an
    // object's blocks when it dies (or when a free list is cleared), an item array when it
    // shrinks to nothing.
    unsafe { h.state_mut::<State>().alloc.free(block as *mut u8) };
}

/// The bytes of `body`'s own block: `tp_basicsize` + items + pre-headers, as
/// `objects::layout` computes them (`_PyObject_SIZE`/`_PyObject_VAR_SIZE` + `_PyType_PreHeaderSize`).
/// A list's item array, a dict's keys table and a big set's table are a second block
/// ([`items_size`]), as in CPython.
pub fn object_size(body: &Payload) -> usize {
    use objects::layout::{PyDict, PyList, PySet, PyValue};
    match body {
        // The object itself, without the second block: what getsizeof says of an empty one
        // (PyListObject, PyDictObject, PySetObject with its 8-slot table inside, + GC head).
        Payload::List(_) => PyValue::List(PyList::new()).getsizeof(),
        Payload::Dict(_) => PyValue::Dict(PyDict::new()).getsizeof(),
        Payload::Set(_) => PyValue::Set(PySet::new()).getsizeof(),
        other => match other.layout() {
            Some(v) => v.getsizeof(),
            None => other.basicsize(),
        },
    }
}

/// The bytes of a container's second block (0: none).
pub fn items_size(body: &Payload) -> usize {
    match body {
        Payload::List(l) => 8 * l.model.allocated(),
        Payload::Dict(d) => d.model.table().map_or(0, |t| t.size_in_bytes()),
        Payload::Set(s) => match s.model.table_size() {
            8 => 0,
            n => 16 * n,
        },
        _ => 0,
    }
}

/// The order in which `subtype_dealloc` clears the `__slots__` of an instance of `cls`: the
/// class's own slots first, then its base's, and so on (`clear_slots` for each base whose
/// `tp_dealloc` is `subtype_dealloc`). Indices into the instance's `slots`, which hold the
/// base's slots first.
pub fn slot_order(h: &GcHeap, cls: ObjId) -> Vec<usize> {
    let mut order = Vec::new();
    let mut k = Some(cls);
    while let Some(c) = k {
        let Payload::Class(class) = &h.payload::<PyObj>(c).body else {
            break;
        };
        let end = class.slots.len();
        order.extend(end - class.own_slots..end);
        k = class.bases.first().copied();
    }
    order
}

/// Makes `wr`, a weak reference the collector made (`GcHeap::new_weakref`), a runtime object:
/// it gets its block from the allocator and its payload (`PyWeakReference`'s other fields).
pub fn adopt(h: &mut GcHeap, wr: ObjId, body: Payload) {
    let size = object_size(&body);
    let block = malloc(h, size);
    let obj = PyObj {
        block,
        size,
        items_block: 0,
        items_size: 0,
        fl_id: None,
        body,
    };
    h.adopt(wr, Box::new(obj));
}

/// `_PyObject_GC_MAY_BE_TRACKED`: could `op` be part of a cycle? A GC object, unless it is a
/// tuple the collector has untracked.
pub fn may_be_tracked(h: &GcHeap, op: ObjId) -> bool {
    if !h.is_gc(op) {
        return false;
    }
    match &h.payload::<PyObj>(op).body {
        Payload::Tuple(_) => h.is_tracked(op),
        _ => true,
    }
}

/// `sys.getsizeof(op)`: the object's block plus its second block.
pub fn getsizeof(h: &GcHeap, op: ObjId) -> usize {
    let o = h.payload::<PyObj>(op);
    object_size(&o.body) + items_size(&o.body)
}

/// `id(op)`: the object's address, after its pre-header (as CPython's `id` is the address of
/// the `PyObject`, behind its `PyGC_Head`).
pub fn object_address(h: &GcHeap, op: ObjId) -> usize {
    let o = h.payload::<PyObj>(op);
    let pre = match o.body.layout() {
        Some(v) => v.type_info().pre_header_size(),
        None if o.body.is_gc() => 16,
        None => 0,
    };
    o.block + pre
}

/// A container's items changed: resize its second block to what the layout model now says
/// (`list_resize` → `PyMem_Realloc`, `dictresize` → a new keys table).
pub fn container_grew(h: &mut GcHeap, op: ObjId) {
    let (old_ptr, old_size, new_size) = {
        let o = h.payload::<PyObj>(op);
        (o.items_block, o.items_size, items_size(&o.body))
    };
    if old_size == new_size {
        return;
    }
    let ptr = if new_size == 0 {
        if old_ptr != 0 {
            free_block(h, old_ptr);
        }
        0
    } else if old_ptr == 0 {
        malloc(h, new_size)
    } else {
        let s = h.state_mut::<State>();
        let frame = s.frame();
        // SAFETY: `old_ptr` is a live block of this allocator; realloc takes it over.
        let p = unsafe { s.alloc.realloc(old_ptr as *mut u8, new_size) };
        s.alloc.retrace(p, frame);
        p as usize
    };
    let o = h.payload_mut::<PyObj>(op);
    o.items_block = ptr;
    o.items_size = new_size;
}

/// The free-list step of an allocation (`PyFloat_FromDouble`, `tuple_alloc`, `PyList_New`,
/// `new_dict`): asks `objects::freelist`'s model for a float, tuple, list or dict. Returns the
/// model's id and, if the model took it from a free list, the block that waited there. `None`
/// for the other types (they have no free list).
pub fn freelist_pop(h: &mut GcHeap, body: &Payload) -> Option<(FlId, Option<usize>)> {
    let s = h.state_mut::<State>();
    let id = match body {
        Payload::Float(_) => s.fl.float_new(),
        Payload::Tuple(items) if !items.is_empty() => s.fl.tuple_new(items.len()),
        Payload::List(_) => s.fl.list_new(),
        Payload::Dict(_) => s.fl.dict_new(None),
        _ => return None,
    };
    Some((id, s.parked.remove(&id)))
}

/// The free-list step of a deallocation (`float_dealloc`, `tupledealloc`, `list_dealloc`,
/// `dict_dealloc`): tells the model that `op` died. Returns `true` if the model kept it on a free
/// list: then `op`'s block is parked for the next object of its kind, and must not be freed.
/// `false` for a type without a free list, or when the list is full.
pub fn freelist_push(h: &mut GcHeap, op: ObjId) -> bool {
    let o = h.payload::<PyObj>(op);
    let Some(id) = o.fl_id else {
        return false;
    };
    let block = o.block;
    let kind = std::mem::discriminant(&o.body);
    let s = h.state_mut::<State>();
    let frees = s.fl.frees();
    if kind == std::mem::discriminant(&Payload::Float(0.0)) {
        s.fl.float_dealloc(id);
    } else if kind == std::mem::discriminant(&Payload::Tuple(Vec::new())) {
        s.fl.tuple_dealloc(id);
    } else if kind == std::mem::discriminant(&Payload::List(Default::default())) {
        s.fl.list_dealloc(id);
    } else {
        s.fl.dict_dealloc(id);
    }
    if s.fl.frees() > frees {
        return false;
    }
    s.parked.insert(id, block);
    true
}

/// `clear_freelists` (end of a full collection): the model empties its free lists, and the
/// blocks that waited there go back to the allocator.
pub fn clear_freelists(h: &mut GcHeap) {
    let s = h.state_mut::<State>();
    s.fl.clear_freelists();
    let parked: Vec<usize> = s.parked.drain().map(|(_, block)| block).collect();
    for block in parked {
        free_block(h, block);
    }
}
