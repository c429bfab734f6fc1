//! Given: why `type()` refuses a class, with the exception type and the exact message CPython
//! 3.11 gives (Objects/typeobject.c).

use std::fmt;

// ANCHOR: errors
// ANCHOR: type_new_error
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
// ANCHOR_END: type_new_error

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
// ANCHOR_END: errors
