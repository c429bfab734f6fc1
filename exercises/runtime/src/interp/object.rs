//! What a runtime object holds (given): the payload the heap keeps for each object, the part of
//! a CPython object after `PyObject_HEAD`. Every value is an object: an `ObjId` in the
//! [`GcHeap`](collector::cycles::GcHeap), whose payload is a [`PyObj`].

use std::rc::Rc;

use collector::cycles::ObjId;
use objects::layout::{PyDict, PyList, PySet, PyValue};

use super::code::Code;

/// One object: where its memory is and what it holds.
#[derive(Debug)]
pub struct PyObj {
    /// The address of its block in your allocator (its `id()` is this plus the pre-header).
    pub block: usize,
    /// The bytes asked of the allocator for it (`tp_basicsize` + items + pre-headers).
    pub size: usize,
    /// The item array of a list or the keys table of a dict/set: a second block, if any.
    pub items_block: usize,
    /// Its size in bytes.
    pub items_size: usize,
    /// Its identity in `objects::freelist`'s model of the free lists (floats, tuples, lists and
    /// dicts have one): what that model says decides whether its block is recycled.
    pub fl_id: Option<objects::freelist::ObjId>,
    /// The type's fields.
    pub body: Payload,
}

/// The fields of each type.
#[derive(Debug)]
pub enum Payload {
    /// `None` (one static object).
    None,
    /// `True` / `False` (two static objects).
    Bool(bool),
    /// An int (this runtime keeps ints within 64 bits).
    Int(i64),
    /// A float.
    Float(f64),
    /// A str.
    Str(Rc<str>),
    /// A tuple.
    Tuple(Vec<ObjId>),
    /// A list: its items and the layout model that gives its capacity (`allocated`).
    List(ListObj),
    /// A dict, in insertion order.
    Dict(DictObj),
    /// A set.
    Set(SetObj),
    /// `object()`.
    Object,
    /// An instance of a class defined in Python.
    Instance(InstanceObj),
    /// A class (`type` object), defined in Python or built in.
    Class(ClassObj),
    /// A function defined in Python (`def`, `lambda`).
    Function(FuncObj),
    /// A built-in function or unbound built-in method.
    Builtin(Builtin),
    /// A bound method: `obj.method` (`PyMethodObject`).
    Method { func: ObjId, this: ObjId },
    /// A built-in method bound to its object: `[].append`.
    BuiltinMethod { this: ObjId, name: Rc<str> },
    /// A weak reference (`weakref.ref`): the collector keeps its referent; the payload holds
    /// its callback (a strong reference).
    WeakRef {
        callback: Option<ObjId>,
        /// A `weakref.proxy`: attribute access goes to the referent.
        proxy: bool,
    },
    /// `property(fget)`: a class attribute whose reading calls `fget(obj)`.
    Property { fget: ObjId },
    /// A traceback entry (a `PyTracebackObject` and its frame in one): the variables of a frame
    /// an exception left, and the next (inner) entry.
    Traceback {
        locals: Vec<ObjId>,
        next: Option<ObjId>,
    },
    /// `tracemalloc.take_snapshot()`: your tracer's snapshot.
    Snapshot(Rc<allocator::trace::Snapshot>),
    /// One line of `Snapshot.statistics()`.
    Statistic(allocator::trace::Statistic),
    /// One line of `Snapshot.compare_to()`.
    StatisticDiff(allocator::trace::StatisticDiff),
    /// A `tracemalloc.Frame`: a file name and a line.
    TraceFrame(allocator::trace::Frame),
    /// A text stream: `sys.stdout`/`sys.stderr` (`None`: they share the output) or an
    /// `io.StringIO` (its text so far).
    Stream(Option<String>),
    /// `super()`: the class after which to look, and the instance.
    Super { class: ObjId, this: ObjId },
    /// A cell: a variable shared between a function and the closures inside it.
    Cell(Option<ObjId>),
    /// A module (`gc`, `sys`, the program's `__main__`).
    Module { name: Rc<str>, dict: ObjId },
    /// `range(start, stop, step)`.
    Range { start: i64, stop: i64, step: i64 },
    /// An iterator over a sequence (`list_iterator`, `tuple_iterator`, …).
    SeqIter { seq: ObjId, index: usize },
    /// A range iterator (not a GC type).
    RangeIter { next: i64, stop: i64, step: i64 },
}

/// A list's items, and the model of its item array's capacity.
#[derive(Debug, Default)]
pub struct ListObj {
    /// `ob_item[0 .. ob_size]`.
    pub items: Vec<ObjId>,
    /// `allocated`, as `list_resize` grows it.
    pub model: PyList,
}

/// A dict: entries in insertion order (`None` once deleted, as in CPython's compact dict).
#[derive(Debug, Default)]
pub struct DictObj {
    /// `(key, value)` entries; deleted ones are `None`.
    pub entries: Vec<Option<(ObjId, ObjId)>>,
    /// Key → index in `entries`.
    pub index: rustc_hash::FxHashMap<HashKey, usize>,
    /// The layout model of its keys table (for `sys.getsizeof`).
    pub model: PyDict,
}

/// A set.
#[derive(Debug, Default)]
pub struct SetObj {
    /// Items in insertion order (`None` once removed).
    pub items: Vec<Option<ObjId>>,
    /// Key → index in `items`.
    pub index: rustc_hash::FxHashMap<HashKey, usize>,
    /// The layout model of its table.
    pub model: PySet,
}

/// An instance: its class and its attributes (3.11 keeps them in the object's inline values,
/// in insertion order; `__slots__` classes keep them in slots).
#[derive(Debug)]
pub struct InstanceObj {
    /// Its class (an instance holds a strong reference to its heap type).
    pub class: ObjId,
    /// `obj.name = value`, in insertion order.
    pub attrs: Vec<(Rc<str>, ObjId)>,
    /// Slot values of a `__slots__` class, by slot index.
    pub slots: Vec<Option<ObjId>>,
    /// The class's instances have no `__dict__` (every class of the MRO has `__slots__`).
    pub has_slots: bool,
    /// The instance's `__dict__`, once a program asked for it: from then on the attributes live
    /// there (3.11 makes the dict only on demand; until then they are the inline `values`).
    pub dict: Option<ObjId>,
}

/// A class.
#[derive(Debug)]
pub struct ClassObj {
    /// `__name__`.
    pub name: Rc<str>,
    /// `__bases__`.
    pub bases: Vec<ObjId>,
    /// `__mro__` without the class itself (strong references).
    pub mro: Vec<ObjId>,
    /// The class namespace, in definition order.
    pub attrs: Vec<(Rc<str>, ObjId)>,
    /// Slot names, inherited ones first, then this class's own (sorted, as type_new sorts
    /// them). Empty for a class whose MRO defines no slot.
    pub slots: Vec<Rc<str>>,
    /// How many of `slots` this class's own `__slots__` added.
    pub own_slots: usize,
    /// Instances have a `__dict__` (some class of the MRO has no `__slots__`, or lists
    /// `"__dict__"` in them).
    pub has_dict: bool,
    /// Instances have a `__weakref__` slot: no `__slots__`, or `"__weakref__"` among them (here
    /// or in a base).
    pub weakref_slot: bool,
    /// The class's shared keys (`ht_cached_keys`, 3.11): attribute names in the order instances
    /// first set them. Every instance keeps its values in this order.
    pub shared_keys: Vec<Rc<str>>,
    /// A built-in type: its name (`"int"`, `"ValueError"`) — instances are made natively.
    pub builtin: bool,
}

/// A function.
#[derive(Debug)]
pub struct FuncObj {
    /// Its code (parameters, body, scopes).
    pub code: Rc<Code>,
    /// `__globals__`: the module's dict.
    pub globals: ObjId,
    /// Default values of the last parameters.
    pub defaults: Vec<ObjId>,
    /// Keyword-only defaults, by name.
    pub kwdefaults: Vec<(Rc<str>, ObjId)>,
    /// `__closure__`: a tuple of one cell per free variable (`None` without free variables).
    pub closure: Option<ObjId>,
    /// `__qualname__` (`C.method`, `f.<locals>.g`).
    pub qualname: Rc<str>,
}

/// The built-in functions and the methods of built-in types.
#[derive(Clone, Debug, PartialEq)]
pub struct Builtin {
    /// `module.name` or just `name` for builtins (`gc.collect`, `len`).
    pub name: Rc<str>,
}

/// A value as a hash-table key: equal keys hash alike, as Python's `__eq__`/`__hash__` say for
/// the built-in types (`1 == 1.0 == True`). Instances hash by identity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HashKey {
    /// None.
    None,
    /// An int, a bool, or a float with an integral value.
    Int(i64),
    /// Another float, by its bits.
    Float(u64),
    /// A str.
    Str(Rc<str>),
    /// A tuple of hashable items.
    Tuple(Vec<HashKey>),
    /// Any other object, by identity.
    Id(ObjId),
    /// An instance whose class defines `__hash__`: by that hash. (Two such objects with equal
    /// hashes are taken as the same key: this runtime does not call `__eq__` on collisions.)
    User(i64),
}

impl Payload {
    /// Is this a GC type (`Py_TPFLAGS_HAVE_GC`)? Containers are; atoms (ints, strs, floats,
    /// `None`, built-in functions, range objects and their iterators) are not.
    pub fn is_gc(&self) -> bool {
        !matches!(
            self,
            Payload::None
                | Payload::Bool(_)
                | Payload::Int(_)
                | Payload::Float(_)
                | Payload::Str(_)
                | Payload::Object
                | Payload::Builtin(_)
                | Payload::Range { .. }
                | Payload::RangeIter { .. }
                | Payload::Snapshot(_)
                | Payload::Statistic(_)
                | Payload::StatisticDiff(_)
                | Payload::TraceFrame(_)
        )
    }

    /// The value as the `objects` crate models it, for sizes. `None` for types that crate does
    /// not model (their size comes from [`Payload::basicsize`]).
    pub fn layout(&self) -> Option<PyValue> {
        Some(match self {
            Payload::None => PyValue::None,
            Payload::Bool(b) => PyValue::Bool(*b),
            Payload::Int(v) => PyValue::Int(i128::from(*v)),
            Payload::Float(f) => PyValue::Float(*f),
            Payload::Str(s) => PyValue::Str(s.to_string()),
            // Only the length of a tuple matters for its size.
            Payload::Tuple(items) => PyValue::Tuple(vec![PyValue::None; items.len()]),
            Payload::List(l) => PyValue::List(l.model.clone()),
            Payload::Dict(d) => PyValue::Dict(d.model.clone()),
            Payload::Set(s) => PyValue::Set(s.model.clone()),
            Payload::Object => PyValue::Object,
            Payload::Instance(i) if i.has_slots => PyValue::Instance {
                slots: Some(i.slots.len()),
            },
            Payload::Instance(i) if i.slots.is_empty() => PyValue::Instance { slots: None },
            _ => return None,
        })
    }

    /// `tp_basicsize` + pre-headers of the types `objects` does not model (3.11, 64-bit).
    pub fn basicsize(&self) -> usize {
        match self {
            // Slots and a __dict__ (a class without __slots__ on a slotted base): the slots, the
            // __weakref__ slot, the GC head and 3.11's managed-dict pre-header.
            Payload::Instance(i) => 16 + 8 * i.slots.len() + 8 + 16 + 16,
            // PyHeapTypeObject: 880 bytes + GC head (sys.getsizeof of a class is larger: it
            // adds the dict; we never print it).
            Payload::Class(_) => 880 + 16,
            // PyFunctionObject: 144 + GC head.
            Payload::Function(_) => 144 + 16,
            Payload::Builtin(_) => 56,
            Payload::Method { .. } => 48 + 16,
            Payload::BuiltinMethod { .. } => 56 + 16,
            Payload::Cell(_) => 24 + 16,
            // PyWeakReference: 64 + GC head.
            Payload::WeakRef { .. } => 64 + 16,
            Payload::Property { .. } => 56 + 16,
            // PyTracebackObject: 48 + GC head.
            Payload::Traceback { .. } => 48 + 16,
            Payload::Module { .. } => 72 + 16,
            Payload::Range { .. } => 48,
            Payload::SeqIter { .. } => 32 + 16,
            Payload::RangeIter { .. } => 48,
            _ => 16,
        }
    }

    /// The type's name, as `type(x).__name__` says.
    pub fn type_name(&self) -> &'static str {
        match self {
            Payload::None => "NoneType",
            Payload::Bool(_) => "bool",
            Payload::Int(_) => "int",
            Payload::Float(_) => "float",
            Payload::Str(_) => "str",
            Payload::Tuple(_) => "tuple",
            Payload::List(_) => "list",
            Payload::Dict(_) => "dict",
            Payload::Set(_) => "set",
            Payload::Object => "object",
            Payload::Instance(_) => "instance",
            Payload::Class(_) => "type",
            Payload::Function(_) => "function",
            Payload::Builtin(_) | Payload::BuiltinMethod { .. } => "builtin_function_or_method",
            Payload::Method { .. } => "method",
            Payload::Cell(_) => "cell",
            Payload::Super { .. } => "super",
            Payload::Traceback { .. } => "traceback",
            Payload::Snapshot(_) => "Snapshot",
            Payload::Stream(None) => "TextIOWrapper",
            Payload::Stream(Some(_)) => "StringIO",
            Payload::Statistic(_) => "Statistic",
            Payload::StatisticDiff(_) => "StatisticDiff",
            Payload::TraceFrame(_) => "Frame",
            Payload::WeakRef { proxy: true, .. } => "ProxyType",
            Payload::WeakRef { .. } => "ReferenceType",
            Payload::Property { .. } => "property",
            Payload::Module { .. } => "module",
            Payload::Range { .. } => "range",
            Payload::SeqIter { .. } => "list_iterator",
            Payload::RangeIter { .. } => "range_iterator",
        }
    }
}
