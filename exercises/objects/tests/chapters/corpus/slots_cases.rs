//! The class-hierarchy corpus: every layout the `slots` tests expect, in one table.
//!
//! Each [`Hierarchy`] is a few class statements, in order; the expectation describes the LAST
//! class (see [`describe`]) or the error `type()` raised for it. The expectations were produced by
//! CPython 3.11.7, and the solution crate's `cpython_agrees` test rebuilds every hierarchy with
//! `python3` (`solutions/objects/tests/cpython/slots_corpus.py`) to confirm them.

use std::rc::Rc;

use objects::slots::{ClassBuilder, PyType, TypeNewError, builtin};

/// One class statement: `class <name>(<bases>): __slots__ = <slots>; <class_vars> = None`.
pub struct ClassDef {
    pub name: &'static str,
    /// Builtin names (`int`, `Exception`, …) or earlier classes of the same hierarchy.
    pub bases: &'static [&'static str],
    /// `None`: no `__slots__` at all.
    pub slots: Option<&'static [&'static str]>,
    pub class_vars: &'static [&'static str],
}

impl ClassDef {
    const fn vars(self, class_vars: &'static [&'static str]) -> ClassDef {
        ClassDef { class_vars, ..self }
    }
}

const fn class(name: &'static str, bases: &'static [&'static str]) -> ClassDef {
    ClassDef {
        name,
        bases,
        slots: None,
        class_vars: &[],
    }
}

const fn slotted(
    name: &'static str,
    bases: &'static [&'static str],
    slots: &'static [&'static str],
) -> ClassDef {
    ClassDef {
        name,
        bases,
        slots: Some(slots),
        class_vars: &[],
    }
}

/// A few class statements and what CPython 3.11 says about the last one.
pub struct Hierarchy {
    pub name: &'static str,
    pub classes: &'static [ClassDef],
    /// [`describe`] of the last class, or `"<Exception>: <message>"`.
    pub expect: &'static str,
}

const fn h(name: &'static str, classes: &'static [ClassDef], expect: &'static str) -> Hierarchy {
    Hierarchy {
        name,
        classes,
        expect,
    }
}

/// Runs the class statements of `h` with [`ClassBuilder`]; the result of the last one. Panics if
/// an earlier class fails (the corpus only lets the last one fail).
pub fn build(h: &Hierarchy) -> Result<Rc<PyType>, TypeNewError> {
    let mut made: Vec<(&str, Rc<PyType>)> = Vec::new();
    for (i, c) in h.classes.iter().enumerate() {
        let mut b = ClassBuilder::new(c.name);
        for base in c.bases {
            let t = match made.iter().rev().find(|(n, _)| n == base) {
                Some((_, t)) => Rc::clone(t),
                None => builtin(base)
                    .unwrap_or_else(|| panic!("{}: no class or builtin {base}", h.name)),
            };
            b = b.base(&t);
        }
        if let Some(slots) = c.slots {
            b = b.slots(slots);
        }
        for v in c.class_vars {
            b = b.class_var(v);
        }
        let result = b.build();
        if i + 1 == h.classes.len() {
            return result;
        }
        match result {
            Ok(t) => made.push((c.name, t)),
            Err(e) => panic!("{}: class {} should build, but: {e}", h.name, c.name),
        }
    }
    unreachable!("{}: a hierarchy has at least one class", h.name)
}

/// One line with everything the corpus checks about a class (or the error).
pub fn describe(result: &Result<Rc<PyType>, TypeNewError>) -> String {
    match result {
        Err(e) => format!("{}: {e}", e.exception()),
        Ok(t) => {
            let mut members: Vec<_> = t
                .members
                .iter()
                .map(|m| (m.offset, m.name.as_str()))
                .collect();
            members.sort();
            let members: Vec<String> = members.iter().map(|(o, n)| format!("{n}@{o}")).collect();
            let getsizeof = t
                .instance_getsizeof()
                .map_or("-".to_owned(), |n| n.to_string());
            format!(
                "basicsize={} itemsize={} dictoffset={} weakrefoffset={} getsizeof={getsizeof} members=[{}]",
                t.basicsize,
                t.itemsize,
                t.dictoffset,
                t.weaklistoffset,
                members.join(", ")
            )
        }
    }
}

/// The hierarchy called `name`.
pub fn hierarchy(name: &str) -> &'static Hierarchy {
    HIERARCHIES
        .iter()
        .find(|h| h.name == name)
        .unwrap_or_else(|| panic!("no hierarchy {name}"))
}

#[rustfmt::skip]
pub const HIERARCHIES: &[Hierarchy] = &[
    h("plain_class",
      &[class("P", &[])],
      "basicsize=24 itemsize=0 dictoffset=-48 weakrefoffset=16 getsizeof=56 members=[]"),
    h("empty_slots",
      &[slotted("E", &[], &[])],
      "basicsize=16 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=32 members=[]"),
    h("two_slots_sorted",
      &[slotted("C", &[], &["b", "a"])],
      "basicsize=32 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=48 members=[a@16, b@24]"),
    h("slots_with_weakref",
      &[slotted("C", &[], &["b", "a", "__weakref__"])],
      "basicsize=40 itemsize=0 dictoffset=0 weakrefoffset=32 getsizeof=56 members=[a@16, b@24]"),
    h("slots_with_dict",
      &[slotted("C", &[], &["a", "__dict__"])],
      "basicsize=24 itemsize=0 dictoffset=-48 weakrefoffset=0 getsizeof=56 members=[a@16]"),
    h("dict_and_weakref_slots",
      &[slotted("C", &[], &["__dict__", "__weakref__"])],
      "basicsize=24 itemsize=0 dictoffset=-48 weakrefoffset=16 getsizeof=56 members=[]"),
    h("private_slots_are_mangled",
      &[slotted("_Cls", &[], &["__x", "__y__", "_z", "a"])],
      "basicsize=48 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=64 members=[_Cls__x@16, __y__@24, _z@32, a@40]"),
    h("underscore_class_is_not_mangled",
      &[slotted("__", &[], &["__x"])],
      "basicsize=24 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=40 members=[__x@16]"),
    h("repeated_slot_name",
      &[slotted("C", &[], &["a", "a"])],
      "basicsize=32 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=48 members=[a@16]"),
    h("subclass_of_slotted",
      &[slotted("A", &[], &["a", "b"]), slotted("B", &["A"], &["c"])],
      "basicsize=40 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=56 members=[c@32]"),
    h("subclass_without_slots",
      &[slotted("A", &[], &["a"]), class("B", &["A"])],
      "basicsize=32 itemsize=0 dictoffset=-56 weakrefoffset=24 getsizeof=64 members=[]"),
    h("slots_under_plain_base",
      &[class("P", &[]), slotted("Q", &["P"], &["a"])],
      "basicsize=32 itemsize=0 dictoffset=-48 weakrefoffset=16 getsizeof=64 members=[a@24]"),
    h("two_slotted_bases",
      &[slotted("A", &[], &["a"]), slotted("B", &[], &["b"]), class("C", &["A", "B"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("empty_slots_mixin",
      &[slotted("A", &[], &["a"]), slotted("M", &[], &[]), slotted("C", &["M", "A"], &["c"])],
      "basicsize=32 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=48 members=[c@24]"),
    h("slotted_and_plain_bases",
      &[slotted("A", &[], &["a"]), class("B", &[]), slotted("C", &["A", "B"], &[])],
      "basicsize=32 itemsize=0 dictoffset=-56 weakrefoffset=24 getsizeof=64 members=[]"),
    h("secondary_weakref_base",
      &[slotted("A", &[], &["a"]), slotted("V", &[], &["__weakref__"]), slotted("C", &["A", "V"], &[])],
      "basicsize=32 itemsize=0 dictoffset=0 weakrefoffset=24 getsizeof=48 members=[]"),
    h("weakref_only_base",
      &[slotted("V", &[], &["__weakref__"]), slotted("A", &[], &["b"]), class("C", &["V", "A"])],
      "basicsize=32 itemsize=0 dictoffset=-56 weakrefoffset=24 getsizeof=64 members=[]"),
    h("member_before_weakref_base",
      &[slotted("W", &[], &["a", "__weakref__"]), slotted("A", &[], &["b"]), class("C", &["W", "A"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("dict_only_base",
      &[slotted("V", &[], &["__dict__"]), slotted("A", &[], &["b"]), class("C", &["V", "A"])],
      "basicsize=32 itemsize=0 dictoffset=-56 weakrefoffset=24 getsizeof=64 members=[]"),
    h("diamond",
      &[slotted("A", &[], &["a"]), slotted("B", &["A"], &["b"]), class("C", &["A"]), class("D", &["B", "C"])],
      "basicsize=40 itemsize=0 dictoffset=-64 weakrefoffset=32 getsizeof=72 members=[]"),
    h("diamond_with_two_slotted_sides",
      &[slotted("A", &[], &["a"]), slotted("B", &["A"], &["b"]), slotted("C", &["A"], &["c"]), class("D", &["B", "C"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("int_subclass",
      &[class("I", &["int"])],
      "basicsize=32 itemsize=4 dictoffset=-8 weakrefoffset=0 getsizeof=44 members=[]"),
    h("int_subclass_empty_slots",
      &[slotted("I", &["int"], &[])],
      "basicsize=24 itemsize=4 dictoffset=0 weakrefoffset=0 getsizeof=44 members=[]"),
    h("int_nonempty_slots",
      &[slotted("I", &["int"], &["a"])],
      "TypeError: nonempty __slots__ not supported for subtype of 'int'"),
    h("tuple_nonempty_slots",
      &[slotted("T", &["tuple"], &["a"])],
      "TypeError: nonempty __slots__ not supported for subtype of 'tuple'"),
    h("tuple_subclass",
      &[class("T", &["tuple"])],
      "basicsize=32 itemsize=8 dictoffset=-8 weakrefoffset=0 getsizeof=48 members=[]"),
    h("bytes_subclass",
      &[class("B", &["bytes"])],
      "basicsize=41 itemsize=1 dictoffset=-8 weakrefoffset=0 getsizeof=57 members=[]"),
    h("bytes_weakref_slot",
      &[slotted("B", &["bytes"], &["__weakref__"])],
      "TypeError: nonempty __slots__ not supported for subtype of 'bytes'"),
    h("int_subclass_dict_slot",
      &[class("I", &["int"]), slotted("J", &["I"], &["__dict__"])],
      "TypeError: nonempty __slots__ not supported for subtype of 'I'"),
    h("two_int_subclasses",
      &[class("I", &["int"]), class("J", &["int"]), class("K", &["I", "J"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("two_int_subclasses_empty_slots",
      &[slotted("I", &["int"], &[]), slotted("J", &["int"], &[]), class("K", &["I", "J"])],
      "basicsize=32 itemsize=4 dictoffset=-8 weakrefoffset=0 getsizeof=44 members=[]"),
    h("int_and_str",
      &[class("C", &["int", "str"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("plain_and_int",
      &[class("A", &[]), class("C", &["A", "int"])],
      "basicsize=32 itemsize=4 dictoffset=-8 weakrefoffset=0 getsizeof=44 members=[]"),
    h("exception_and_int",
      &[class("C", &["Exception", "int"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("float_subclass_slots",
      &[slotted("F", &["float"], &["a"])],
      "basicsize=32 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=48 members=[a@24]"),
    h("str_subclass",
      &[class("S", &["str"])],
      "basicsize=88 itemsize=0 dictoffset=-112 weakrefoffset=80 getsizeof=113 members=[]"),
    h("str_subclass_slots",
      &[slotted("S", &["str"], &["a"])],
      "basicsize=88 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=97 members=[a@80]"),
    h("list_subclass_slots",
      &[slotted("L", &["list"], &["a", "b"])],
      "basicsize=56 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=72 members=[a@40, b@48]"),
    h("dict_subclass",
      &[class("D", &["dict"])],
      "basicsize=56 itemsize=0 dictoffset=-80 weakrefoffset=48 getsizeof=88 members=[]"),
    h("set_subclass_slots",
      &[slotted("S", &["set"], &["x"])],
      "basicsize=208 itemsize=0 dictoffset=0 weakrefoffset=192 getsizeof=224 members=[x@200]"),
    h("set_subclass_weakref_slot",
      &[slotted("S", &["set"], &["__weakref__"])],
      "TypeError: __weakref__ slot disallowed: either we already got one, or __itemsize__ != 0"),
    h("exception_subclass",
      &[class("E", &["Exception"])],
      "basicsize=80 itemsize=0 dictoffset=16 weakrefoffset=72 getsizeof=96 members=[]"),
    h("exception_subclass_slots",
      &[slotted("E", &["Exception"], &["a"])],
      "basicsize=80 itemsize=0 dictoffset=16 weakrefoffset=0 getsizeof=96 members=[a@72]"),
    h("exception_dict_slot",
      &[slotted("E", &["Exception"], &["__dict__"])],
      "TypeError: __dict__ slot disallowed: we already got one"),
    h("bool_base",
      &[class("C", &["bool"])],
      "TypeError: type 'bool' is not an acceptable base type"),
    h("nonetype_base",
      &[class("C", &["NoneType"])],
      "TypeError: type 'NoneType' is not an acceptable base type"),
    h("int_then_bool",
      &[class("C", &["int", "bool"])],
      "TypeError: type 'bool' is not an acceptable base type"),
    h("dict_slot_twice",
      &[slotted("C", &[], &["__dict__", "__dict__"])],
      "TypeError: __dict__ slot disallowed: we already got one"),
    h("dict_slot_under_plain_base",
      &[class("P", &[]), slotted("Q", &["P"], &["__dict__"])],
      "TypeError: __dict__ slot disallowed: we already got one"),
    h("weakref_slot_twice",
      &[slotted("C", &[], &["__weakref__", "__weakref__"])],
      "TypeError: __weakref__ slot disallowed: either we already got one, or __itemsize__ != 0"),
    h("weakref_slot_under_plain_base",
      &[class("P", &[]), slotted("Q", &["P"], &["__weakref__"])],
      "TypeError: __weakref__ slot disallowed: either we already got one, or __itemsize__ != 0"),
    h("slot_is_class_variable",
      &[slotted("C", &[], &["x"]).vars(&["x"])],
      "ValueError: 'x' in __slots__ conflicts with class variable"),
    h("mangled_slot_is_class_variable",
      &[slotted("A", &[], &["__x"]).vars(&["_A__x"])],
      "ValueError: '_A__x' in __slots__ conflicts with class variable"),
    h("unmangled_name_is_no_conflict",
      &[slotted("A", &[], &["__x"]).vars(&["__x"])],
      "basicsize=24 itemsize=0 dictoffset=0 weakrefoffset=0 getsizeof=40 members=[_A__x@16]"),
    h("slot_not_identifier",
      &[slotted("C", &[], &["1x"])],
      "TypeError: __slots__ must be identifiers"),
    h("identifiers_before_class_variables",
      &[slotted("C", &[], &["x", "1a"]).vars(&["x"])],
      "TypeError: __slots__ must be identifiers"),
    h("identifiers_before_dict_twice",
      &[slotted("C", &[], &["1a", "__dict__", "__dict__"])],
      "TypeError: __slots__ must be identifiers"),
    h("dict_twice_before_identifiers",
      &[slotted("C", &[], &["__dict__", "__dict__", "1a"])],
      "TypeError: __dict__ slot disallowed: we already got one"),
    h("conflict_before_slots",
      &[slotted("A", &[], &["a"]), slotted("B", &[], &["b"]), slotted("C", &["A", "B"], &["1a"])],
      "TypeError: multiple bases have instance lay-out conflict"),
    h("nonempty_before_identifiers",
      &[slotted("I", &["int"], &["1x"])],
      "TypeError: nonempty __slots__ not supported for subtype of 'int'"),
];
