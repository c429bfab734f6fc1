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

use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: api
/// A member descriptor: the slot named `name` lives `offset` bytes into the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The (mangled) attribute name.
    pub name: String,
    /// Bytes from the start of the object (`PyMemberDef.offset`).
    pub offset: usize,
}

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

/// Why `type()` refused a class, with CPython 3.11's exact words (see `Display`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeNewError {
    /// `best_base`: a base without `Py_TPFLAGS_BASETYPE` (its name).
    NotAcceptableBase(String),
    /// `best_base`: two bases add instance fields that cannot both be laid out.
    LayoutConflict,
    /// Names in `__slots__` under a variable-size base (the base's name).
    NonemptySlotsNotSupported(String),
    /// A name in `__slots__` is not an identifier.
    SlotsNotIdentifiers,
    /// `__dict__` in `__slots__` twice, or the base already has a dict.
    DictSlotDisallowed,
    /// `__weakref__` in `__slots__` twice, or the base already has one.
    WeakrefSlotDisallowed,
    /// A slot's (mangled) name is also a class attribute.
    ConflictsWithClassVariable(String),
}

impl TypeNewError {
    /// The Python exception type raised.
    pub fn exception(&self) -> &'static str {
        match self {
            TypeNewError::ConflictsWithClassVariable(_) => "ValueError",
            _ => "TypeError",
        }
    }
}

impl fmt::Display for TypeNewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeNewError::NotAcceptableBase(name) => {
                write!(f, "type '{name}' is not an acceptable base type")
            }
            TypeNewError::LayoutConflict => {
                write!(f, "multiple bases have instance lay-out conflict")
            }
            TypeNewError::NonemptySlotsNotSupported(name) => {
                write!(
                    f,
                    "nonempty __slots__ not supported for subtype of '{name}'"
                )
            }
            TypeNewError::SlotsNotIdentifiers => write!(f, "__slots__ must be identifiers"),
            TypeNewError::DictSlotDisallowed => {
                write!(f, "__dict__ slot disallowed: we already got one")
            }
            TypeNewError::WeakrefSlotDisallowed => write!(
                f,
                "__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0"
            ),
            TypeNewError::ConflictsWithClassVariable(name) => {
                write!(f, "'{name}' in __slots__ conflicts with class variable")
            }
        }
    }
}

/// A builtin type by its Python name: `object`, `int`, `bool`, `float`, `str`, `bytes`, `tuple`,
/// `list`, `dict`, `set`, `BaseException`, `Exception`, `NoneType`, `range`.
pub fn builtin(name: &str) -> Option<Rc<PyType>> {
    let i = BUILTINS.iter().position(|b| b.0 == name)?;
    let (
        name,
        basicsize,
        itemsize,
        dictoffset,
        weaklistoffset,
        acceptable_base,
        base,
        builtin_sizeof,
    ) = BUILTINS[i];
    Some(Rc::new(PyType {
        id: i as u64,
        name: name.to_owned(),
        basicsize,
        itemsize,
        dictoffset,
        weaklistoffset,
        managed_dict: false,
        heap: false,
        acceptable_base,
        members: Vec::new(),
        base: base.and_then(builtin),
        bases: base.and_then(builtin).into_iter().collect(),
        builtin_sizeof,
    }))
}

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

    /// `sys.getsizeof(C())` for a class made by [`ClassBuilder`] (`None` for builtin types):
    /// `__sizeof__` (the builtin rule if any, else `tp_basicsize`) plus the GC head, plus the
    /// managed-dict pre-header if the class has one.
    pub fn instance_getsizeof(&self) -> Option<usize> {
        // TODO
        todo!(
            "None for builtins; else builtin_sizeof or basicsize, + 16 GC head, + 16 if managed_dict"
        )
    }
}

/// `extra_ivars(type, base)`: does `t` add instance fields to `base`? With an itemsize involved,
/// any change of basicsize or itemsize counts. Otherwise a heap type's trailing `__weakref__`
/// slot, then its trailing dict slot, are not counted (they never conflict).
pub fn extra_ivars(t: &PyType, base: &PyType) -> bool {
    // TODO
    todo!(
        "compare basicsizes (and itemsizes); discount a heap type's trailing weakref, then dict slot"
    )
}

/// `solid_base(type)`: the nearest type along the `tp_base` chain (itself included) that adds
/// instance fields; `object` if none does.
pub fn solid_base(t: &Rc<PyType>) -> Rc<PyType> {
    // TODO
    todo!("solid base of tp_base (object if none); t itself if extra_ivars(t, that)")
}

/// `best_base(bases)`: check each base is acceptable, then keep the base whose solid base is a
/// subtype of every other base's solid base; a pair where neither solid base is a subtype of the
/// other is a layout conflict. On a tie, the first base wins.
pub fn best_base(bases: &[Rc<PyType>]) -> Result<Rc<PyType>, TypeNewError> {
    // TODO
    todo!(
        "check each base is acceptable; keep the base whose solid base is a subtype of all the others"
    )
}

/// `_Py_Mangle(class_name, name)`: a name starting with `__` and not ending with `__` becomes
/// `_` + the class name without its leading underscores + the name (`__x` in `_Cls` →
/// `_Cls__x`). Names with a dot, and classes named only with underscores, are left alone.
pub fn mangle(class_name: &str, name: &str) -> String {
    // TODO
    todo!(
        "__name (not __name__, no dot) in class C becomes _C__name; strip the class's leading underscores"
    )
}

/// `str.isidentifier()`, close enough: a letter or `_`, then letters, digits or `_`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// What `type_new_slots` decided for a new class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotsPlan {
    /// The class adds a `__dict__` (managed, or at −8 under a variable-size base).
    pub add_dict: bool,
    /// The class adds a `__weakref__` slot.
    pub add_weak: bool,
    /// The member names, mangled and sorted (`__dict__` / `__weakref__` taken out).
    pub names: Vec<String>,
}

/// What a class statement hands to `type()`: a name, bases, maybe `__slots__`, class variables.
#[derive(Clone, Debug)]
pub struct ClassBuilder {
    #[allow(dead_code)] // read by `build` (a todo!() in the stub)
    name: String,
    bases: Vec<Rc<PyType>>,
    slots: Option<Vec<String>>,
    class_vars: Vec<String>,
}

impl ClassBuilder {
    /// `class <name>:` with no bases yet (no bases means `object`) and no `__slots__`.
    pub fn new(name: &str) -> ClassBuilder {
        ClassBuilder {
            name: name.to_owned(),
            bases: Vec::new(),
            slots: None,
            class_vars: Vec::new(),
        }
    }

    /// Appends a base class.
    pub fn base(mut self, base: &Rc<PyType>) -> ClassBuilder {
        self.bases.push(Rc::clone(base));
        self
    }

    /// Sets `__slots__` (replacing any earlier call): `&[]` means `__slots__ = ()`.
    pub fn slots(mut self, names: &[&str]) -> ClassBuilder {
        self.slots = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }

    /// Adds a class attribute (`name = ...` in the class body).
    pub fn class_var(mut self, name: &str) -> ClassBuilder {
        self.class_vars.push(name.to_owned());
        self
    }

    /// `type_new_slots` for a class whose best base is `base`:
    /// - may it add a dict (`base.dictoffset == 0`)? a weakref slot (`base.weaklistoffset == 0`
    ///   and `base.itemsize == 0`)? Without `__slots__`, it adds whatever it may.
    /// - with `__slots__`: names under a variable-size base are an error; then each name must be
    ///   an identifier, and `__dict__` / `__weakref__` ask for the dict / weakref slot (an error
    ///   if it may not, or if asked twice);
    /// - the other names are mangled, checked against the class variables, and sorted;
    /// - with several bases, a secondary base that has a dict or a weakref slot gives the class
    ///   one too, if it may add it (`type_new_slots_bases`).
    pub fn slots_plan(
        &self,
        bases: &[Rc<PyType>],
        base: &Rc<PyType>,
    ) -> Result<SlotsPlan, TypeNewError> {
        // TODO
        todo!(
            "work out add_dict / add_weak and the sorted, mangled member names, raising CPython's errors in its order"
        )
    }

    /// `type_new`: `best_base`, then `type_new_slots` (may the class add a dict / a weakref
    /// slot? check and filter `__slots__`, mangle and sort the names; secondary bases with a
    /// dict or weakref give them too), then `type_new_descriptors` (members from the base's
    /// basicsize, 8 bytes each; the dict at −8 under a variable-size base; the weakref slot;
    /// else a managed dict), then what `PyType_Ready` inherits from the base (dict and weakref
    /// offsets, the managed-dict flag, the builtin `__sizeof__`). The new type's `id` comes
    /// from the given `fresh_type_id()`.
    pub fn build(self) -> Result<Rc<PyType>, TypeNewError> {
        // TODO
        todo!(
            "best_base, slots_plan, then lay out members, dict and weakref like type_new_descriptors, and inherit the rest"
        )
    }
}
// ANCHOR_END: api

/// Ids of classes made by [`ClassBuilder::build`]; builtins use their index in [`BUILTINS`].
static NEXT_ID: AtomicU64 = AtomicU64::new(1000);

/// Given: a new type id, never used before (call it in `build`).
#[allow(dead_code)] // the stub's `build` is a todo!()
fn fresh_type_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Name, basicsize, itemsize, dictoffset, weaklistoffset, acceptable base, tp_base, builtin
/// `__sizeof__` of a no-argument subclass instance (from `T.__basicsize__` etc. on 3.11.7).
type BuiltinRow = (
    &'static str,
    usize,
    usize,
    isize,
    usize,
    bool,
    Option<&'static str>,
    Option<usize>,
);
const BUILTINS: [BuiltinRow; 14] = [
    ("object", 16, 0, 0, 0, true, None, None),
    ("int", 24, 4, 0, 0, true, Some("object"), Some(28)),
    ("bool", 32, 4, 0, 0, false, Some("int"), Some(28)),
    ("float", 24, 0, 0, 0, true, Some("object"), None),
    // A str subclass instance is not compact: sizeof(PyUnicodeObject) + 1 byte for "".
    ("str", 80, 0, 0, 0, true, Some("object"), Some(81)),
    ("bytes", 33, 1, 0, 0, true, Some("object"), None),
    ("tuple", 24, 8, 0, 0, true, Some("object"), None),
    ("list", 40, 0, 0, 0, true, Some("object"), None),
    ("dict", 48, 0, 0, 0, true, Some("object"), None),
    ("set", 200, 0, 0, 192, true, Some("object"), None),
    ("BaseException", 72, 0, 16, 0, true, Some("object"), None),
    ("Exception", 72, 0, 16, 0, true, Some("BaseException"), None),
    ("NoneType", 16, 0, 0, 0, false, Some("object"), None),
    ("range", 48, 0, 0, 0, false, Some("object"), None),
];
