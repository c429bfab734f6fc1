//! The chapter's pieces one at a time, in the order "Your turn" lists them (`stepN_<piece>_…`):
//! the small pieces first, `sizeof`/`getsizeof` last. The tests of the rest of this module
//! compare whole `sys.getsizeof` results, which need every piece; these need only their own
//! (a step may build on an earlier one, as `append_capacities` on `list_resize`). Every number
//! is a CPython 3.11 fact (see the fact sheet's "Object sizes" section and `corpus/`).

use objects::layout::{
    Growth, KeysTable, PyDict, PyList, PySet, PyValue, StrKind, TypeInfo, append_capacities,
    int_digits, list_resize,
};

fn type_info(gc: bool, managed_dict: bool) -> TypeInfo {
    TypeInfo {
        name: "T",
        basicsize: 16,
        itemsize: 0,
        gc,
        managed_dict,
    }
}

#[test]
fn step1_pre_header_size_counts_the_gc_head_and_the_managed_dict() {
    assert_eq!(type_info(false, false).pre_header_size(), 0);
    assert_eq!(type_info(true, false).pre_header_size(), 16);
    assert_eq!(type_info(true, true).pre_header_size(), 32);
}

#[test]
fn step2_str_kind_of_and_int_digits_measure_the_data() {
    assert_eq!(StrKind::of("abc"), StrKind::Ascii);
    assert_eq!(StrKind::of("aé"), StrKind::Latin1);
    assert_eq!(StrKind::of("é€"), StrKind::Ucs2);
    assert_eq!(StrKind::of("€😀"), StrKind::Ucs4);
    let digits: Vec<usize> = [0, 1, -1, (1 << 30) - 1, 1 << 30, -(1 << 59), 1 << 60]
        .iter()
        .map(|&v| int_digits(v))
        .collect();
    assert_eq!(digits, [0, 1, 1, 1, 2, 2, 3]);
}

#[test]
fn step3_list_resize_append_capacities_and_py_list_follow_list_resize() {
    use Growth::{Py38, Py39};
    assert_eq!(list_resize(Py39, 0, 0, 1), 4);
    assert_eq!(list_resize(Py39, 16, 16, 17), 24);
    assert_eq!(list_resize(Py38, 16, 16, 17), 25);
    assert_eq!(
        list_resize(Py39, 8, 8, 5),
        8,
        "no reallocation down to half"
    );
    assert_eq!(list_resize(Py39, 4, 4, 0), 0);
    assert_eq!(
        list_resize(Py39, 0, 0, 100),
        100,
        "closer to the new size: (n + 3) & !3"
    );
    assert_eq!(append_capacities(Py39, 17), [0, 4, 8, 16, 24]);
    assert_eq!(append_capacities(Py38, 17), [0, 4, 8, 16, 25]);
    let mut list = PyList::new();
    list.append();
    assert_eq!((list.len(), list.allocated()), (1, 4));
    let mut exact = PyList::new();
    exact.extend(3);
    assert_eq!(
        exact.allocated(),
        4,
        "list_preallocate_exact rounds 3 up to 4"
    );
    assert_eq!(PyList::with_len(3).allocated(), 3);
    assert!(exact.pop());
    exact.clear();
    assert_eq!((exact.len(), exact.allocated()), (0, 0));
    assert!(!exact.pop());
}

#[test]
fn step4_keys_table_size_in_bytes_and_py_dict_follow_the_keys_table() {
    assert_eq!(KeysTable::new(3, true).size_in_bytes(), 32 + 8 + 5 * 16);
    assert_eq!(KeysTable::new(3, false).size_in_bytes(), 32 + 8 + 5 * 24);
    assert_eq!(
        KeysTable::new(8, true).size_in_bytes(),
        32 + 2 * 256 + 170 * 16
    );
    let mut d = PyDict::new();
    for key in ["a", "b", "c", "d", "e"] {
        d.insert(PyValue::Str(key.into()));
    }
    let table = d.table().unwrap();
    assert_eq!((table.log2_size, table.usable, table.unicode), (3, 0, true));
    d.insert(PyValue::Str("f".into()));
    let table = d.table().unwrap();
    assert_eq!(
        (table.log2_size, table.usable, table.nentries),
        (4, 4, 6),
        "the 6th key resizes"
    );
    let mut mixed = PyDict::new();
    mixed.insert(PyValue::Str("a".into()));
    mixed.insert(PyValue::Int(1));
    let table = mixed.table().unwrap();
    assert_eq!((table.log2_size, table.unicode), (4, false));
    assert!(mixed.remove(&PyValue::Int(1)));
    assert_eq!(
        mixed.table().unwrap().nentries,
        2,
        "a removed key leaves a dummy"
    );
    mixed.clear();
    assert!(mixed.table().is_none() && mixed.is_empty());
}

#[test]
fn step5_py_set_keeps_8_slots_inline_then_grows_fourfold() {
    let mut s = PySet::new();
    for i in 1..=4 {
        s.add(PyValue::Int(i));
    }
    assert_eq!(s.table_size(), 8);
    s.add(PyValue::Int(5));
    assert_eq!(s.table_size(), 32);
    assert!(s.discard(&PyValue::Int(5)) && !s.discard(&PyValue::Int(5)));
    assert_eq!((s.len(), s.table_size()), (4, 32));
    let mut merged = PySet::new();
    let mut five = PySet::new();
    for i in 1..=5 {
        five.add(PyValue::Int(i));
    }
    merged.merge(&five);
    assert_eq!(
        (merged.len(), merged.table_size()),
        (5, 16),
        "one resize to (0 + 5) * 2"
    );
}

#[test]
fn step6_sizeof_and_getsizeof_add_up_each_type() {
    let cases = [
        (PyValue::Float(1.5), 24, 24),
        (PyValue::Int(0), 28, 28),
        (PyValue::Str("ab".into()), 51, 51),
        (PyValue::Bytes(b"abc".to_vec()), 36, 36),
        (
            PyValue::Tuple(vec![PyValue::Int(1), PyValue::Int(2)]),
            40,
            56,
        ),
        (PyValue::List(PyList::new()), 40, 56),
        (PyValue::Dict(PyDict::new()), 48, 64),
        (PyValue::Set(PySet::new()), 200, 216),
        (PyValue::Object, 16, 16),
        (PyValue::Instance { slots: None }, 24, 56),
        (PyValue::Instance { slots: Some(2) }, 32, 48),
    ];
    for (value, sizeof, getsizeof) in cases {
        assert_eq!(
            (value.sizeof(), value.getsizeof()),
            (sizeof, getsizeof),
            "{value:?}"
        );
    }
}
