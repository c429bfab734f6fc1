//! Object layout: what `sys.getsizeof` reports for CPython 3.11's core types on a 64-bit build,
//! and how a list over-allocates as it grows.
//!
//! Book: Part I, "Everything is an object". Every object starts with a `PyObject` header
//! (`ob_refcnt`, `ob_type`); variable-size objects add `ob_size` (`PyVarObject`). Objects of a
//! GC type also carry a `PyGC_Head` *before* the header, and 3.11 instances of ordinary classes
//! carry two more words before that (the managed-dict pre-header). `sys.getsizeof(o)` is
//! `o.__sizeof__()` plus those pre-headers (`_PySys_GetSizeOf` in Python/sysmodule.c).
//!
//! CPython: Objects/longobject.c, Objects/unicodeobject.c, Objects/listobject.c
//! (`list_resize`, `list_extend`), Objects/dictobject.c (`insertdict`, `dictresize`,
//! `_PyDict_SizeOf`), Objects/setobject.c (`set_add_entry`, `set_table_resize`, `set_merge`).
//!
//! One file per idea, everything re-exported from here (so `objects::layout::PyList` works):
//! - this file: the headers ([`TypeInfo`]) and [`PyValue`], whose `sizeof` and `getsizeof` put
//!   the pieces together (do it last);
//! - `layout/int_str.rs`: [`int_digits`] and [`StrKind`], the sizes of ints and strs;
//! - `layout/list.rs`: [`list_resize`] (over-allocation) and [`PyList`];
//! - `layout/dict.rs`: the keys table ([`KeysTable`]) and [`PyDict`];
//! - `layout/set.rs`: [`PySet`].
//!
//! The last three each end with a given helper: `PyList::resize` (calls your [`list_resize`]),
//! `PyDict::resize` (`dictresize`) and `PySet::table_resize` (`set_table_resize`).

mod dict;
mod int_str;
mod list;
mod set;

pub use dict::{KeysTable, PyDict, calculate_log2_keysize, estimate_log2_keysize, usable_fraction};
pub use int_str::{PYLONG_SHIFT, StrKind, int_digits};
pub use list::{Growth, PyList, append_capacities, list_resize};
pub use set::PySet;

// ANCHOR: api
/// `sizeof(PyObject)`: `ob_refcnt` + `ob_type` (Include/object.h).
pub const OBJECT_HEAD: usize = 16;
/// `sizeof(PyVarObject)`: a `PyObject` plus `ob_size`, the item count.
pub const VAR_OBJECT_HEAD: usize = 24;
/// `sizeof(PyGC_Head)`: `_gc_next` + `_gc_prev`, in front of every object of a GC type.
pub const GC_HEAD: usize = 16;
/// The 3.11 `Py_TPFLAGS_MANAGED_DICT` pre-header: the values pointer and the dict pointer,
/// in front of the GC head.
pub const MANAGED_DICT_HEAD: usize = 16;

// ANCHOR: type_info
/// What a type object says about the memory of its instances (a subset of `PyTypeObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeInfo {
    /// `tp_name`.
    pub name: &'static str,
    /// `tp_basicsize`: bytes of the fixed part, headers included (pre-headers excluded).
    pub basicsize: usize,
    /// `tp_itemsize`: bytes per item of a variable-size object (0 for fixed-size types).
    pub itemsize: usize,
    /// `Py_TPFLAGS_HAVE_GC`: instances carry a `PyGC_Head`.
    pub gc: bool,
    /// `Py_TPFLAGS_MANAGED_DICT` (3.11): instances carry the managed-dict pre-header.
    pub managed_dict: bool,
}
// ANCHOR_END: type_info

impl TypeInfo {
    // ANCHOR: pre_header_size
    /// Bytes in front of the object: `_PyType_PreHeaderSize` (Include/internal/pycore_object.h).
    pub fn pre_header_size(&self) -> usize {
        // ANCHOR_END: pre_header_size
        // TODO
        todo!("add GC_HEAD if the type is GC and MANAGED_DICT_HEAD if it has a managed dict")
    }
}

/// A Python value, enough of it to compute its size.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`: ints of one digit and of zero digits.
    Bool(bool),
    /// An int (a 128-bit range is plenty to see digits being added).
    Int(i128),
    /// A float.
    Float(f64),
    /// A str, stored compactly (its data right after the header).
    Str(String),
    /// A bytes object.
    Bytes(Vec<u8>),
    /// A tuple.
    Tuple(Vec<PyValue>),
    /// A list.
    List(PyList),
    /// A dict.
    Dict(PyDict),
    /// A set.
    Set(PySet),
    /// `object()`.
    Object,
    /// An instance of a class defined with `class C: ...` on `object`: `slots: None` for an
    /// ordinary class, `Some(n)` for `__slots__` of `n` names.
    Instance {
        /// `Some(n)` when the class has `__slots__` of `n` names.
        slots: Option<usize>,
    },
}

impl PyValue {
    /// The type of this value, as far as sizes go (`Py_TYPE(o)`).
    pub fn type_info(&self) -> TypeInfo {
        let t = |name, basicsize, itemsize, gc| TypeInfo {
            name,
            basicsize,
            itemsize,
            gc,
            managed_dict: false,
        };
        match self {
            PyValue::None => t("NoneType", 16, 0, false),
            PyValue::Bool(_) => t("bool", 32, 4, false),
            PyValue::Int(_) => t("int", 24, 4, false),
            PyValue::Float(_) => t("float", 24, 0, false),
            PyValue::Str(_) => t("str", 80, 0, false),
            PyValue::Bytes(_) => t("bytes", 33, 1, false),
            PyValue::Tuple(_) => t("tuple", 24, 8, true),
            PyValue::List(_) => t("list", 40, 0, true),
            PyValue::Dict(_) => t("dict", 48, 0, true),
            PyValue::Set(_) => t("set", 200, 0, true),
            PyValue::Object => t("object", 16, 0, false),
            // 3.11 heap types are all GC. Without __slots__: header + __weakref__ slot, and the
            // dict lives in the pre-header.
            PyValue::Instance { slots: None } => TypeInfo {
                managed_dict: true,
                ..t("C", 24, 0, true)
            },
            PyValue::Instance { slots: Some(n) } => t("C", OBJECT_HEAD + 8 * n, 0, true),
        }
    }

    // ANCHOR: sizeof
    /// `o.__sizeof__()`: each type's own rule (`int___sizeof__`, `unicode__sizeof__`,
    /// `list___sizeof__`, `_PyDict_SizeOf`, `set_sizeof`, `object___sizeof__`, …).
    pub fn sizeof(&self) -> usize {
        // ANCHOR_END: sizeof
        // TODO
        todo!(
            "one rule per type: ints and strs by their data, tuples/lists/dicts/sets by their items or tables, others by basicsize"
        )
    }

    // ANCHOR: getsizeof
    /// `sys.getsizeof(o)`: `__sizeof__` plus the pre-headers (`_PySys_GetSizeOf`).
    pub fn getsizeof(&self) -> usize {
        // ANCHOR_END: getsizeof
        // TODO
        todo!("sizeof() plus the type's pre-header")
    }
}
// ANCHOR_END: api
