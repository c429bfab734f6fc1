//! Given helpers of the memory glue: sizes, addresses and the second block of containers.

use collector::cycles::{GcHeap, ObjId};

use crate::interp::object::{Payload, PyObj};
use crate::interp::state::State;

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
    let block = h.state_mut::<State>().alloc.malloc(size) as usize;
    let obj = PyObj {
        block,
        size,
        items_block: 0,
        items_size: 0,
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
    let alloc = &mut h.state_mut::<State>().alloc;
    let ptr = if new_size == 0 {
        if old_ptr != 0 {
            // SAFETY: `old_ptr` came from this allocator and is freed once, here.
            unsafe { alloc.free(old_ptr as *mut u8) };
        }
        0
    } else if old_ptr == 0 {
        alloc.malloc(new_size) as usize
    } else {
        // SAFETY: `old_ptr` is a live block of this allocator; realloc takes it over.
        unsafe { alloc.realloc(old_ptr as *mut u8, new_size) as usize }
    };
    let o = h.payload_mut::<PyObj>(op);
    o.items_block = ptr;
    o.items_size = new_size;
}
