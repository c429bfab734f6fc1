//! `__slots__`: the instance layout `type()` computes for a new class (CPython 3.11, 64-bit).
//!
//! Book: Part I, "`__slots__`". `type_new` (Objects/typeobject.c) picks the base whose layout the
//! new class extends (`best_base`), then lays out the instance: the base's `tp_basicsize` bytes,
//! one 8-byte slot per name in `__slots__` (sorted), then maybe a `__weakref__` slot. The
//! `__dict__` pointer of a 3.11 class lives *before* the object (`Py_TPFLAGS_MANAGED_DICT`),
//! except under a variable-size base such as `int`, where it sits at the end (offset −8).
//!
//! CPython: Objects/typeobject.c (`type_new`, `best_base`, `solid_base`, `extra_ivars`,
//! `type_new_slots`, `type_new_descriptors`, `inherit_special`), Python/compile.c (`_Py_Mangle`).
//!
//! One file per idea, everything re-exported from here (so `objects::slots::ClassBuilder` works):
//! - this file: [`PyType`] and [`Member`], what a class statement produces, and
//!   [`PyType::instance_getsizeof`] (do it last);
//! - `slots/errors.rs` (given): [`TypeNewError`], with CPython's messages;
//! - `slots/builtins.rs` (given): [`builtin`], the builtin types to use as bases;
//! - `slots/bases.rs` (yours): [`extra_ivars`], [`solid_base`] and [`best_base`], which find
//!   the base a new class extends, or the layout conflict;
//! - `slots/builder.rs` (yours): [`mangle`], and [`ClassBuilder`] with `slots_plan` (what
//!   `type_new_slots` decides) and `build` (the offsets of `type_new_descriptors`).

mod bases;
mod builder;
mod builtins;
mod errors;

pub use bases::{best_base, extra_ivars, solid_base};
pub use builder::{ClassBuilder, SlotsPlan, is_identifier, mangle};
pub use builtins::builtin;
pub use errors::TypeNewError;

use std::rc::Rc;

// ANCHOR: api
/// A member descriptor: the slot named `name` lives `offset` bytes into the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The (mangled) attribute name.
    pub name: String,
    /// Bytes from the start of the object (`PyMemberDef.offset`).
    pub offset: usize,
}

// ANCHOR: py_type
/// The layout facts of a type object (a subset of `PyTypeObject`).
#[derive(Debug)]
pub struct PyType {
    /// Identity: two `Rc<PyType>` are the same type when their ids are equal.
    pub id: u64,
    /// `tp_name`.
    pub name: String,
    /// `tp_basicsize`: bytes of an instance (items of a variable-size type excluded).
    pub basicsize: usize,
    /// `tp_itemsize`: nonzero for variable-size types (`int`: 4, `tuple`: 8, `bytes`: 1).
    pub itemsize: usize,
    /// `tp_dictoffset`: 0 when instances have no `__dict__`. For a managed dict (3.11) a negative
    /// number, `-(basicsize) - 24`; under a variable-size base, −8 (counted from the end).
    pub dictoffset: isize,
    /// `tp_weaklistoffset`: where the `__weakref__` slot is, 0 when there is none.
    pub weaklistoffset: usize,
    /// `Py_TPFLAGS_MANAGED_DICT`: the dict pointer sits in a 16-byte pre-header.
    pub managed_dict: bool,
    /// `Py_TPFLAGS_HEAPTYPE`: made by a class statement (all such types are GC types in 3.11).
    pub heap: bool,
    /// `Py_TPFLAGS_BASETYPE`: may be subclassed (`bool`, `NoneType`, `range` may not).
    pub acceptable_base: bool,
    /// The member descriptors in the class `__dict__` (own slots only; for a repeated name, the
    /// first one, as `PyDict_SetDefault` keeps).
    pub members: Vec<Member>,
    /// `tp_base`: the base whose layout this type extends (`None` for `object`).
    pub base: Option<Rc<PyType>>,
    /// `__bases__`.
    pub bases: Vec<Rc<PyType>>,
    /// For `int` and `str` and their subclasses: what their own `__sizeof__` gives for an instance
    /// made with no arguments, ignoring `tp_basicsize`. `None`: `tp_basicsize` is the answer.
    pub builtin_sizeof: Option<usize>,
}
// ANCHOR_END: py_type

impl PyType {
    /// `PyType_IsSubtype(self, other)`: `other` is `self` or one of its ancestors.
    pub fn is_subtype(&self, other: &PyType) -> bool {
        self.id == other.id || self.bases.iter().any(|b| b.is_subtype(other))
    }

    /// Instances have a `__dict__` (`tp_dictoffset != 0`).
    pub fn has_dict(&self) -> bool {
        self.dictoffset != 0
    }

    /// Instances can be weakly referenced (`tp_weaklistoffset != 0`).
    pub fn has_weakref(&self) -> bool {
        self.weaklistoffset != 0
    }

    /// The member descriptor `name` defined by this class itself.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    // ANCHOR: instance_getsizeof
    /// `sys.getsizeof(C())` for a class made by [`ClassBuilder`] (`None` for builtin types):
    /// `__sizeof__` (the builtin rule if any, else `tp_basicsize`) plus the GC head, plus the
    /// managed-dict pre-header if the class has one.
    pub fn instance_getsizeof(&self) -> Option<usize> {
        // ANCHOR_END: instance_getsizeof
        // TODO
        todo!(
            "None for builtins; else builtin_sizeof or basicsize, + 16 GC head, + 16 if managed_dict"
        )
    }
}
// ANCHOR_END: api
