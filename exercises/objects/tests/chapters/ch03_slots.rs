//! Chapter 3, `__slots__`: `objects::slots` (`cargo course check slots`).
//!
//! Most expectations live in `corpus/slots_cases.rs`: class hierarchies, each with what CPython
//! 3.11 reports for its last class (or the error it raises).

use objects::slots::{
    ClassBuilder, TypeNewError, best_base, builtin, extra_ivars, mangle, solid_base,
};

use crate::corpus::slots_cases::{build, describe, hierarchy};

// First, each function of "Your turn" alone, in the chapter's order; then whole classes.
mod steps;

/// Checks the named corpus hierarchies, reporting every difference at once.
fn check(names: &[&str]) {
    let wrong: Vec<String> = names
        .iter()
        .map(|name| hierarchy(name))
        .filter_map(|h| {
            let got = describe(&build(h));
            (got != h.expect)
                .then(|| format!("{}:\n  CPython: {}\n  yours:   {got}", h.name, h.expect))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} hierarchies differ:\n{}",
        wrong.len(),
        names.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_plain_class_has_a_weakref_slot_and_a_managed_dict() {
    let p = ClassBuilder::new("P").build().unwrap();
    assert_eq!(p.basicsize, 24, "object header + __weakref__ slot");
    assert_eq!(p.weaklistoffset, 16);
    assert!(
        p.managed_dict && p.has_dict(),
        "the dict pointer lives in the pre-header"
    );
    assert_eq!(
        p.instance_getsizeof(),
        Some(56),
        "24 + 16 GC head + 16 managed-dict pre-header"
    );
    check(&["plain_class", "dict_and_weakref_slots", "slots_with_dict"]);
}

#[test]
fn slots_are_sorted_and_laid_out_after_the_base() {
    let c = ClassBuilder::new("C").slots(&["b", "a"]).build().unwrap();
    assert_eq!(c.member("a").map(|m| m.offset), Some(16), "'a' sorts first");
    assert_eq!(c.member("b").map(|m| m.offset), Some(24));
    assert!(
        !c.has_dict() && !c.has_weakref(),
        "__slots__ without __dict__ / __weakref__ drops both"
    );
    check(&[
        "empty_slots",
        "two_slots_sorted",
        "slots_with_weakref",
        "repeated_slot_name",
    ]);
}

#[test]
fn private_slot_names_are_mangled() {
    assert_eq!(mangle("C", "__x"), "_C__x");
    assert_eq!(
        mangle("_Cls", "__x"),
        "_Cls__x",
        "leading underscores of the class are dropped"
    );
    assert_eq!(mangle("C", "__x__"), "__x__", "dunder names are left alone");
    assert_eq!(mangle("C", "_x"), "_x");
    assert_eq!(
        mangle("__", "__x"),
        "__x",
        "a class named only with underscores mangles nothing"
    );
    check(&[
        "private_slots_are_mangled",
        "underscore_class_is_not_mangled",
    ]);
}

#[test]
fn subclasses_extend_the_layout_and_regain_dict_without_slots() {
    check(&[
        "subclass_of_slotted",
        "subclass_without_slots",
        "slots_under_plain_base",
        "diamond",
    ]);
}

#[test]
fn solid_base_ignores_only_a_trailing_weakref_or_dict_slot() {
    let object = builtin("object").unwrap();
    let weak_only = ClassBuilder::new("V")
        .slots(&["__weakref__"])
        .build()
        .unwrap();
    let member_first = ClassBuilder::new("W")
        .slots(&["a", "__weakref__"])
        .build()
        .unwrap();
    assert!(
        !extra_ivars(&weak_only, &object),
        "a heap type's trailing __weakref__ slot does not count"
    );
    assert!(extra_ivars(&member_first, &object));
    assert_eq!(solid_base(&weak_only).name, "object");
    assert_eq!(solid_base(&member_first).name, "W");
    let int = builtin("int").unwrap();
    assert_eq!(solid_base(&int).name, "int", "int adds digits to object");
    let exception = builtin("Exception").unwrap();
    assert_eq!(
        solid_base(&exception).name,
        "BaseException",
        "Exception adds nothing to BaseException"
    );
    check(&[
        "weakref_only_base",
        "member_before_weakref_base",
        "dict_only_base",
    ]);
}

#[test]
fn two_bases_with_instance_fields_conflict() {
    let a = ClassBuilder::new("A").slots(&["a"]).build().unwrap();
    let b = ClassBuilder::new("B").slots(&["b"]).build().unwrap();
    assert_eq!(
        best_base(&[a, b]).unwrap_err(),
        TypeNewError::LayoutConflict
    );
    check(&[
        "two_slotted_bases",
        "diamond_with_two_slotted_sides",
        "two_int_subclasses",
        "int_and_str",
        "exception_and_int",
    ]);
}

#[test]
fn empty_slots_mixins_and_dict_carrying_bases_combine() {
    let m = ClassBuilder::new("M").slots(&[]).build().unwrap();
    let a = ClassBuilder::new("A").slots(&["a"]).build().unwrap();
    assert_eq!(
        best_base(&[m, a]).unwrap().name,
        "A",
        "the base with the fields wins, whatever the order"
    );
    check(&[
        "empty_slots_mixin",
        "slotted_and_plain_bases",
        "secondary_weakref_base",
        "two_int_subclasses_empty_slots",
        "plain_and_int",
    ]);
}

#[test]
fn variable_size_bases_refuse_nonempty_slots() {
    check(&[
        "int_nonempty_slots",
        "tuple_nonempty_slots",
        "bytes_weakref_slot",
        "int_subclass_dict_slot",
        "nonempty_before_identifiers",
    ]);
}

#[test]
fn variable_size_bases_keep_the_dict_at_the_end() {
    let i = ClassBuilder::new("I")
        .base(&builtin("int").unwrap())
        .build()
        .unwrap();
    assert_eq!(
        (i.basicsize, i.itemsize, i.dictoffset),
        (32, 4, -8),
        "the dict pointer follows the digits"
    );
    assert!(!i.managed_dict && !i.has_weakref());
    check(&[
        "int_subclass",
        "int_subclass_empty_slots",
        "tuple_subclass",
        "bytes_subclass",
    ]);
}

#[test]
fn builtin_bases_keep_their_own_fields_and_sizeof() {
    check(&[
        "float_subclass_slots",
        "str_subclass",
        "str_subclass_slots",
        "list_subclass_slots",
        "dict_subclass",
        "set_subclass_slots",
        "exception_subclass",
        "exception_subclass_slots",
    ]);
}

#[test]
fn dict_and_weakref_slots_cannot_be_added_twice() {
    check(&[
        "dict_slot_twice",
        "dict_slot_under_plain_base",
        "exception_dict_slot",
        "weakref_slot_twice",
        "weakref_slot_under_plain_base",
        "set_subclass_weakref_slot",
    ]);
}

#[test]
fn slots_must_be_identifiers_and_not_class_variables() {
    let err = ClassBuilder::new("C")
        .slots(&["x"])
        .class_var("x")
        .build()
        .unwrap_err();
    assert_eq!(err.exception(), "ValueError");
    assert_eq!(
        err.to_string(),
        "'x' in __slots__ conflicts with class variable"
    );
    check(&[
        "slot_is_class_variable",
        "mangled_slot_is_class_variable",
        "unmangled_name_is_no_conflict",
        "slot_not_identifier",
    ]);
}

#[test]
fn some_types_are_not_acceptable_bases() {
    check(&["bool_base", "nonetype_base", "int_then_bool"]);
}

#[test]
fn errors_come_in_cpythons_order() {
    check(&[
        "identifiers_before_class_variables",
        "identifiers_before_dict_twice",
        "dict_twice_before_identifiers",
        "conflict_before_slots",
    ]);
}

#[test]
fn memory_map_of_an_instance() {
    // class A: __slots__ = ('x', 'y')      class B(A): pass      -- what does a B() look like?
    let a = ClassBuilder::new("A").slots(&["y", "x"]).build().unwrap();
    let b = ClassBuilder::new("B").base(&a).build().unwrap();
    let mut rows: Vec<(isize, String)> = vec![
        (-16, "PyGC_Head (_gc_next, _gc_prev)".to_owned()),
        (0, "ob_refcnt".to_owned()),
        (8, "ob_type".to_owned()),
    ];
    if b.managed_dict {
        rows.push((-32, "managed dict pre-header (values, dict)".to_owned()));
    }
    for t in [&a, &b] {
        rows.extend(t.members.iter().map(|m| {
            (
                m.offset as isize,
                format!("{} (slot of {})", m.name, t.name),
            )
        }));
    }
    if b.has_weakref() {
        rows.push((b.weaklistoffset as isize, "__weakref__".to_owned()));
    }
    rows.sort();
    let mut lines: Vec<String> = rows
        .iter()
        .map(|(offset, what)| format!("{offset:>4}  {what}"))
        .collect();
    lines.push(format!(
        "basicsize {}, sys.getsizeof(B()) {}",
        b.basicsize,
        b.instance_getsizeof().unwrap()
    ));
    insta::assert_snapshot!(lines.join("\n"));
}
