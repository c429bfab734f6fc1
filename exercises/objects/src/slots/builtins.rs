//! Given: the builtin types a class may derive from, with the layout facts CPython 3.11.7 reports
//! for them (`T.__basicsize__`, `T.__itemsize__`, `T.__dictoffset__`, `T.__weakrefoffset__`).

use std::rc::Rc;

use super::PyType;

// ANCHOR: builtins
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
// ANCHOR_END: builtins

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
