//! The chapter's steps one at a time, in the order "Your turn" gives them (`stepN_<function>_…`):
//! each test calls its own function and given code only (the types below are written out by
//! hand instead of built), so `mangle` passes before `extra_ivars` exists, and so on. A function
//! may still call the earlier steps inside (`solid_base` uses `extra_ivars`).

use std::rc::Rc;

use objects::slots::{
    ClassBuilder, Member, PyType, SlotsPlan, TypeNewError, best_base, builtin, extra_ivars, mangle,
    solid_base,
};

fn object() -> Rc<PyType> {
    builtin("object").unwrap()
}

/// A class made by hand, as `build` would make it: a heap type over `base`.
fn heap_type(id: u64, base: &Rc<PyType>, basicsize: usize) -> PyType {
    PyType {
        id,
        name: format!("H{id}"),
        basicsize,
        itemsize: base.itemsize,
        dictoffset: 0,
        weaklistoffset: 0,
        managed_dict: false,
        heap: true,
        acceptable_base: true,
        members: Vec::new(),
        base: Some(Rc::clone(base)),
        bases: vec![Rc::clone(base)],
        builtin_sizeof: base.builtin_sizeof,
    }
}

/// `class P: pass`: 16 bytes of header, the `__weakref__` slot at 16, a managed dict.
fn plain_class(id: u64) -> Rc<PyType> {
    let mut p = heap_type(id, &object(), 24);
    p.weaklistoffset = 16;
    p.managed_dict = true;
    p.dictoffset = -48;
    Rc::new(p)
}

/// `class S: __slots__ = ("a",)`: one member at 16, nothing else.
fn one_slot_class(id: u64) -> Rc<PyType> {
    let mut s = heap_type(id, &object(), 24);
    s.members = vec![Member {
        name: "a".into(),
        offset: 16,
    }];
    Rc::new(s)
}

#[test]
fn step1_mangle_adds_the_class_prefix_to_private_names() {
    assert_eq!(mangle("Cls", "__x"), "_Cls__x");
    assert_eq!(
        mangle("__Cls", "__x"),
        "_Cls__x",
        "the class's leading underscores go"
    );
    for (class, kept) in [
        ("Cls", "x"),
        ("Cls", "_x"),
        ("Cls", "__x__"),
        ("Cls", "__a.b"),
        ("___", "__x"),
    ] {
        assert_eq!(mangle(class, kept), kept, "{kept} in class {class}");
    }
}

#[test]
fn step2_extra_ivars_ignores_a_heap_types_trailing_weakref_then_dict_slot() {
    let object = object();
    assert!(
        !extra_ivars(&plain_class(9001), &object),
        "a plain class adds only its trailing __weakref__ slot"
    );
    assert!(
        extra_ivars(&one_slot_class(9002), &object),
        "a named slot is an instance field"
    );
    // Weakref at 24, dict at 16, 32 bytes: both trail once the weakref is taken off first.
    let mut both = heap_type(9003, &object, 32);
    (both.weaklistoffset, both.dictoffset) = (24, 16);
    assert!(!extra_ivars(&both, &object));
    // The other way round the weakref slot does not end the object, so only the dict goes.
    let mut swapped = heap_type(9004, &object, 32);
    (swapped.weaklistoffset, swapped.dictoffset) = (16, 24);
    assert!(extra_ivars(&swapped, &object));
    // Only heap types are forgiven their trailing weakref slot: set's is at 192 of 200.
    let set = builtin("set").unwrap();
    assert!(extra_ivars(&set, &object));
}

#[test]
fn step2_extra_ivars_with_an_itemsize_counts_any_size_change() {
    let int = builtin("int").unwrap();
    let same = heap_type(9005, &int, 24);
    assert!(!extra_ivars(&same, &int));
    // `class I(int): pass` puts its dict at the end: 8 more bytes are an instance field.
    let mut with_dict = heap_type(9006, &int, 32);
    with_dict.dictoffset = -8;
    assert!(extra_ivars(&with_dict, &int));
    assert!(
        extra_ivars(&builtin("bool").unwrap(), &int),
        "32 bytes vs 24"
    );
}

#[test]
fn step3_solid_base_walks_tp_base_to_the_nearest_type_with_fields() {
    let object = object();
    assert_eq!(solid_base(&object).name, "object");
    assert_eq!(solid_base(&plain_class(9011)).name, "object");
    assert_eq!(solid_base(&builtin("int").unwrap()).name, "int");
    assert_eq!(
        solid_base(&builtin("Exception").unwrap()).name,
        "BaseException",
        "Exception adds nothing to BaseException's 72 bytes"
    );
    let slotted = one_slot_class(9012);
    assert_eq!(solid_base(&slotted).id, 9012);
    // A plain subclass of the slotted class: only a trailing weakref slot on top of it.
    let mut sub = heap_type(9013, &slotted, 32);
    sub.weaklistoffset = 24;
    assert_eq!(solid_base(&Rc::new(sub)).id, 9012);
}

#[test]
fn step4_best_base_keeps_the_base_with_the_most_derived_solid_base() {
    assert_eq!(best_base(&[]).unwrap().name, "object");
    let (int, object) = (builtin("int").unwrap(), object());
    assert_eq!(
        best_base(&[object.clone(), int.clone()]).unwrap().name,
        "int"
    );
    assert_eq!(best_base(&[int.clone(), object]).unwrap().name, "int");
    let (p, s) = (plain_class(9021), one_slot_class(9022));
    assert_eq!(best_base(&[p.clone(), s.clone()]).unwrap().id, 9022);
    let q = plain_class(9023);
    assert_eq!(
        best_base(&[p, q]).unwrap().id,
        9021,
        "a tie goes to the first base"
    );
    let text = builtin("str").unwrap();
    assert_eq!(
        best_base(&[int, text]).err(),
        Some(TypeNewError::LayoutConflict)
    );
    assert_eq!(
        best_base(&[s, builtin("bool").unwrap()]).err(),
        Some(TypeNewError::NotAcceptableBase("bool".into()))
    );
}

#[test]
fn step5_slots_plan_decides_dict_weakref_and_sorted_mangled_names() {
    let object = object();
    let plan = |c: ClassBuilder, base: &Rc<PyType>| c.slots_plan(&[Rc::clone(base)], base);
    let everything = SlotsPlan {
        add_dict: true,
        add_weak: true,
        names: vec![],
    };
    assert_eq!(plan(ClassBuilder::new("C"), &object), Ok(everything));
    let c = ClassBuilder::new("C").slots(&["b", "__a", "__dict__"]);
    let expected = SlotsPlan {
        add_dict: true,
        add_weak: false,
        names: vec!["_C__a".into(), "b".into()],
    };
    assert_eq!(plan(c, &object), Ok(expected));
    let tuple = builtin("tuple").unwrap();
    let under_tuple = plan(ClassBuilder::new("T").slots(&[]), &tuple).unwrap();
    assert!(!under_tuple.add_dict && !under_tuple.add_weak && under_tuple.names.is_empty());
    let no_slots_under_tuple = plan(ClassBuilder::new("T"), &tuple).unwrap();
    assert!(
        no_slots_under_tuple.add_dict && !no_slots_under_tuple.add_weak,
        "an itemsize base refuses only the weakref slot"
    );
}

#[test]
fn step5_slots_plan_raises_cpythons_errors() {
    let (object, int) = (object(), builtin("int").unwrap());
    let plan = |c: ClassBuilder, base: &Rc<PyType>| c.slots_plan(&[Rc::clone(base)], base);
    assert_eq!(
        plan(ClassBuilder::new("I").slots(&["x"]), &int),
        Err(TypeNewError::NonemptySlotsNotSupported("int".into()))
    );
    assert_eq!(
        plan(ClassBuilder::new("C").slots(&["1x"]), &object),
        Err(TypeNewError::SlotsNotIdentifiers)
    );
    assert_eq!(
        plan(
            ClassBuilder::new("C").slots(&["__dict__", "__dict__"]),
            &object
        ),
        Err(TypeNewError::DictSlotDisallowed)
    );
    assert_eq!(
        plan(
            ClassBuilder::new("C").slots(&["__weakref__"]),
            &builtin("set").unwrap()
        ),
        Err(TypeNewError::WeakrefSlotDisallowed)
    );
    assert_eq!(
        plan(ClassBuilder::new("C").slots(&["x"]).class_var("x"), &object),
        Err(TypeNewError::ConflictsWithClassVariable("x".into()))
    );
}

#[test]
fn step6_build_lays_out_members_dict_and_weakref_after_the_base() {
    let c = ClassBuilder::new("C").slots(&["b", "a"]).build().unwrap();
    assert_eq!(c.basicsize, 32);
    assert_eq!(c.members.len(), 2);
    assert_eq!(c.member("a").map(|m| m.offset), Some(16));
    assert_eq!(c.member("b").map(|m| m.offset), Some(24));
    assert!(!c.has_dict() && !c.has_weakref() && c.heap);
    let d = ClassBuilder::new("D").base(&c).build().unwrap();
    assert_eq!(
        (d.basicsize, d.weaklistoffset),
        (40, 32),
        "the weakref slot after C's slots"
    );
    assert!(d.managed_dict && d.has_dict() && d.members.is_empty());
}

#[test]
fn step7_instance_getsizeof_adds_the_gc_head_and_the_managed_dict_pre_header() {
    assert_eq!(plain_class(9031).instance_getsizeof(), Some(24 + 16 + 16));
    assert_eq!(one_slot_class(9032).instance_getsizeof(), Some(24 + 16));
    let int_sub = heap_type(9033, &builtin("int").unwrap(), 24);
    assert_eq!(
        int_sub.instance_getsizeof(),
        Some(28 + 16),
        "int's own __sizeof__, not basicsize"
    );
    assert_eq!(builtin("int").unwrap().instance_getsizeof(), None);
}
