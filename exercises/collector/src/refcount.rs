//! Reference counting and the deallocation cascade (Part II, "Reference counting";
//! ≈ `Py_INCREF`/`Py_DECREF` in `Include/object.h` and `_Py_Dealloc` in `Objects/object.c`).
//!
//! Every CPython object starts with a reference count, `ob_refcnt`. Storing a pointer to an
//! object (in a variable, a list slot, an attribute) adds one (`Py_INCREF`); dropping it
//! subtracts one (`Py_DECREF`). When the count reaches zero, `Py_DECREF` calls `_Py_Dealloc`,
//! which runs the type's `tp_dealloc`. A container's `tp_dealloc` first drops the references
//! *it* holds (`list_dealloc` in `Objects/listobject.c` decrefs every item), which may bring
//! other counts to zero, and so on: a cascade.
//!
//! This module models that on a [`Heap`] of named objects addressed by [`Handle`]s. An object
//! holds strong references to other objects ([`Heap::link`], like `PyList_Append`), and the
//! program itself holds references too (the one [`Heap::alloc`] returns, plus any
//! [`Heap::incref`]). The heap only sees the sum: the count.
//!
//! # No recursion: the trashcan
//! In CPython the cascade is recursive: `list_dealloc` calls `Py_DECREF` on an item, which calls
//! the item's `tp_dealloc`, which decrefs *its* items... Deleting a chain of a million nested
//! lists would need a million nested C calls and overflow the machine stack. CPython's
//! *trashcan* prevents that (`Py_TRASHCAN_BEGIN`/`Py_TRASHCAN_END` in
//! `Include/cpython/object.h`; `_PyTrash_thread_deposit_object` and
//! `_PyTrash_thread_destroy_chain` in `Objects/object.c`): it counts how deeply deallocations
//! nest, and once that reaches 50 (`_PyTrash_UNWIND_LEVEL` in 3.11) it parks the object on a
//! per-thread list instead of deallocating it, and empties the list once the stack has unwound.
//!
//! Our heap goes one step further and never recurses: objects whose count reached zero wait on a
//! worklist, and one loop deallocates them. That also makes the order easy to state:
//!
//! **Deallocation order rule.** Objects are deallocated in the order their counts reached zero
//! (first in, first out), and a dying object drops its references in the order they were added.
//!
//! (CPython's order differs in the details: `list_dealloc` drops items from the last to the
//! first, and the trashcan's list is a stack. The rule above is this course's, chosen so that a
//! log is easy to predict.)
//!
//! # What is given
//! `new`, `is_alive`, `live_objects`, `events`, `take_events`, the `Display` impls (the error
//! messages) and, at the end of the file, `object`/`object_mut`: they look a handle up and
//! return the live object or the right `Unknown`/`Dead` error. You write `alloc`, `refcount`,
//! `references`, `incref`, `decref` (with the cascade), `link` and `unlink`.

// The `todo!()` bodies below do not use their parameters yet:
// delete the `allow` below once they do.
#![allow(unused_variables)]

use std::fmt;

// ANCHOR: api
// ANCHOR: handle_event
/// An object's identity in a [`Heap`], like its address in CPython. Handles are numbered `#0`,
/// `#1`, ... in allocation order and are never reused, so a stale handle (one whose object was
/// deallocated) is always detected. Displays as `#3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle(u32);

/// What happened in a heap, in order: the log the tests snapshot, one event per line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An object was allocated. Displays as `alloc #0 'a'`.
    Alloc { obj: Handle, name: String },
    /// An object's count reached zero and it was deallocated: logged when its deallocation
    /// starts, just before it drops the references it held. Displays as `dealloc #0 'a'`.
    Dealloc { obj: Handle, name: String },
}
// ANCHOR_END: handle_event

// ANCHOR: ref_error
/// Why a heap operation failed. `op` is the operation's name (`"incref"`, `"decref"`, `"link"`,
/// `"unlink"`, `"refcount"`, `"references"`). The messages (see `Display`) say what happened
/// and the likely cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefError {
    /// `obj` was never allocated by this heap (a handle from another heap?).
    Unknown { op: &'static str, obj: Handle },
    /// `obj` was already deallocated: a stale handle. (In CPython: a use after free.)
    Dead {
        op: &'static str,
        obj: Handle,
        name: String,
    },
    /// A decref of an object whose count is already zero: it would go negative. A debug build of
    /// CPython stops here: `_Py_NegativeRefcount` (Objects/object.c), "object has negative ref
    /// count".
    NegativeRefcount { obj: Handle, name: String },
    /// `unlink(from, to)`, but `from` holds no reference to `to`.
    NotReferenced { from: Handle, to: Handle },
}
// ANCHOR_END: ref_error

/// A heap of reference-counted objects.
#[derive(Debug, Default)]
pub struct Heap {
    /// Every object ever allocated, indexed by its handle. `None` once deallocated: a slot is
    /// never reused, so a stale handle finds `None` instead of some newer object.
    objects: Vec<Option<Object>>,
    /// The name of every object ever allocated, dead or alive, indexed by handle, so that a
    /// message can name even a deallocated object (CPython cannot: a freed object's memory is
    /// reused).
    names: Vec<String>,
    /// The event log, oldest first.
    events: Vec<Event>,
}

/// One live object: its count (`ob_refcnt`) and the references it holds (the pointers a
/// container stores, like a list's `ob_item`), in the order they were added.
#[derive(Debug)]
#[allow(dead_code)] // the stub reads no field yet: your code will
struct Object {
    refcnt: usize,
    references: Vec<Handle>,
}

impl Heap {
    /// An empty heap.
    pub fn new() -> Self {
        Self::default()
    }

    /// Allocates a new object called `name` and returns its handle, the next unused id. The
    /// count starts at 1: the caller owns the new reference, like the result of any CPython
    /// constructor (`PyList_New`, `PyLong_FromLong`...). Logs `Event::Alloc`.
    // ANCHOR: alloc
    pub fn alloc(&mut self, name: &str) -> Handle {
        // ANCHOR_END: alloc
        // TODO: push a new object with count 1 and no references, remember its name, log
        // `Event::Alloc`, and return its handle (its index in `objects`).
        todo!("alloc: push a new object with count 1, log Event::Alloc, return its handle")
    }

    /// The reference count of `obj` (what `sys.getrefcount` reads, without its +1 for the
    /// argument). Errors: `Unknown`, or `Dead` with op `"refcount"`.
    // ANCHOR: refcount
    pub fn refcount(&self, obj: Handle) -> Result<usize, RefError> {
        // ANCHOR_END: refcount
        // TODO: look the object up (see `object`) and return its count.
        todo!("refcount: look the object up with `self.object` and return its count")
    }

    /// The references `obj` holds, in the order they were added (duplicates included).
    /// Errors: `Unknown`, or `Dead` with op `"references"`.
    // ANCHOR: references
    pub fn references(&self, obj: Handle) -> Result<&[Handle], RefError> {
        // ANCHOR_END: references
        // TODO: look the object up and return its references as a slice.
        todo!("references: look the object up with `self.object` and return its references")
    }

    /// Is `obj` allocated and not yet deallocated? `false` for a handle this heap never issued.
    pub fn is_alive(&self, obj: Handle) -> bool {
        matches!(self.objects.get(obj.index()), Some(Some(_)))
    }

    /// How many objects are alive.
    pub fn live_objects(&self) -> usize {
        self.objects.iter().filter(|slot| slot.is_some()).count()
    }

    /// Adds one to the count of `obj` (`Py_INCREF`): someone stored a new reference to it.
    /// Errors: `Unknown`, or `Dead` with op `"incref"` (CPython cannot even detect this: the
    /// memory may already hold another object).
    // ANCHOR: incref
    pub fn incref(&mut self, obj: Handle) -> Result<(), RefError> {
        // ANCHOR_END: incref
        // TODO: look the object up mutably (see `object_mut`) and add one to its count.
        todo!("incref: add one to the count (`self.object_mut` finds the object)")
    }

    /// Subtracts one from the count of `obj` (`Py_DECREF`). If it reaches zero, the object is
    /// deallocated: logged as `Event::Dealloc`, removed from `objects`, and every reference it
    /// held is dropped in turn, which may deallocate more objects: the cascade.
    ///
    /// The cascade must not recurse (a million-long chain would overflow the stack) and must take
    /// time linear in the number of references dropped. Keep a worklist (a `VecDeque`) of
    /// objects whose count reached zero; pop from the front, push at the back. That gives the
    /// deallocation order rule of the module docs.
    ///
    /// Errors: `Unknown` (op `"decref"`); `NegativeRefcount` if `obj` is already deallocated
    /// (the given `object_mut` calls that case `Dead`: turn it into `NegativeRefcount`). Both
    /// leave the heap unchanged.
    ///
    /// One error can only be seen in the middle of a cascade: a dying object holds a reference
    /// to an object whose count is already zero (deallocated, or waiting on the worklist). That
    /// happens after an *over-decref*: someone dropped a reference they did not own, so the
    /// count reached zero while references remained. Do not decrement that count (it would go
    /// negative), finish the cascade anyway so that the heap stays consistent, and then return
    /// the first such `NegativeRefcount`. In CPython, a debug build aborts there; a release build
    /// corrupts memory, often far from the bug.
    // ANCHOR: decref
    pub fn decref(&mut self, obj: Handle) -> Result<(), RefError> {
        // ANCHOR_END: decref
        // TODO: check the handle, decrement, and if the count reached zero run the cascade
        // with a worklist (no recursion!), as the doc comment above describes.
        todo!("decref: decrement; at zero, deallocate with a worklist (no recursion)")
    }

    /// `from` now holds a strong reference to `to`: append `to` to the references of `from` and
    /// incref `to`, like `PyList_Append(from, to)`. An object may hold several references to
    /// the same object, and may reference itself.
    ///
    /// Errors (checked in this order, heap unchanged): `from`, then `to`, is `Unknown` or
    /// `Dead` (op `"link"`).
    // ANCHOR: link
    pub fn link(&mut self, from: Handle, to: Handle) -> Result<(), RefError> {
        // ANCHOR_END: link
        // TODO: check both handles before changing anything, then push and incref.
        todo!("link: check both handles, then append `to` to `from` and incref `to`")
    }

    /// `from` drops one of its references to `to` (the first one, like `list.remove`): remove it
    /// from the references of `from`, keeping the order of the others, then decref `to`, which
    /// may deallocate it and cascade.
    ///
    /// Errors (checked in this order, heap unchanged): `from` is `Unknown` or `Dead` (op
    /// `"unlink"`); `to` is `Unknown` (op `"unlink"`); `from` holds no reference to `to`:
    /// `NotReferenced`; `to` is already deallocated (after an over-decref): `NegativeRefcount`.
    /// The cascade itself may report a `NegativeRefcount` as [`Heap::decref`] does.
    // ANCHOR: unlink
    pub fn unlink(&mut self, from: Handle, to: Handle) -> Result<(), RefError> {
        // ANCHOR_END: unlink
        // TODO: do every check first, then remove the first occurrence of `to` and decref it.
        todo!("unlink: check, remove the first reference to `to` from `from`, decref `to`")
    }

    /// The event log so far, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Returns the event log and empties it.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
// ANCHOR_END: api

impl Handle {
    /// The index of this handle's slot in `Heap::objects` and `Heap::names`.
    fn index(self) -> usize {
        self.0 as usize
    }
}

impl Heap {
    /// The live object `obj`, or the error explaining why there is none, for operation `op`.
    #[allow(dead_code)] // the stub does not call it yet: your code will
    fn object(&self, op: &'static str, obj: Handle) -> Result<&Object, RefError> {
        match self.objects.get(obj.index()) {
            Some(Some(object)) => Ok(object),
            _ => Err(self.missing(op, obj)),
        }
    }

    /// Why `obj` has no live object: deallocated (`Dead`), or never issued here (`Unknown`).
    #[allow(dead_code)] // the stub does not call it yet: your code will
    fn missing(&self, op: &'static str, obj: Handle) -> RefError {
        match self.names.get(obj.index()) {
            Some(name) => RefError::Dead {
                op,
                obj,
                name: name.clone(),
            },
            None => RefError::Unknown { op, obj },
        }
    }

    /// Like [`Heap::object`], for changing the object.
    #[allow(dead_code)] // the stub does not call it yet: your code will
    fn object_mut(&mut self, op: &'static str, obj: Handle) -> Result<&mut Object, RefError> {
        self.object(op, obj)?;
        Ok(self.objects[obj.index()]
            .as_mut()
            .expect("object() found it alive"))
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Alloc { obj, name } => write!(f, "alloc {obj} '{name}'"),
            Event::Dealloc { obj, name } => write!(f, "dealloc {obj} '{name}'"),
        }
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::Unknown { op, obj } => write!(
                f,
                "{op} of {obj}: this heap never allocated such an object \
                 (a handle from another heap?)"
            ),
            RefError::Dead { op, obj, name } => write!(
                f,
                "{op} of {obj} '{name}', which was already deallocated \
                 (a stale handle: its last reference was dropped earlier)"
            ),
            RefError::NegativeRefcount { obj, name } => write!(
                f,
                "decref of {obj} '{name}', which was already deallocated: its reference count \
                 would go negative (a reference was dropped twice?)"
            ),
            RefError::NotReferenced { from, to } => write!(
                f,
                "unlink of {from} -> {to}: {from} holds no reference to {to} \
                 (never linked, or unlinked already?)"
            ),
        }
    }
}

impl std::error::Error for RefError {}
