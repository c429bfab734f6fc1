//! Chapter 1, everything is an object: `objects::layout` (`cargo course check layout`).
//!
//! The expected sizes live in `corpus/layout_cases.rs`, where each one sits beside the Python
//! expression CPython 3.11 measured.

use objects::layout::{
    Growth, KeysTable, PyList, PyValue, StrKind, TypeInfo, append_capacities, int_digits,
    list_resize,
};
use proptest::prelude::*;

use crate::corpus::layout_cases::{APPEND_CAPACITIES, DICT_GROWTH, SIZE_CASES, appended};

// First, each piece of "Your turn" alone, in the chapter's order; then whole sizes.
mod steps;

/// Checks every corpus case of `group`, reporting all the sizes that differ at once.
fn check_group(group: &str) {
    let cases: Vec<_> = SIZE_CASES.iter().filter(|c| c.group == group).collect();
    assert!(!cases.is_empty(), "no corpus case in group {group}");
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let got = (c.value)().getsizeof();
            (got != c.getsizeof).then(|| {
                format!(
                    "sys.getsizeof({}) is {} on CPython 3.11, yours gives {got}",
                    c.python, c.getsizeof
                )
            })
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} {group} sizes differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

fn capacities_for(version: &str) -> (usize, &'static [usize]) {
    let (_, appends, caps) = APPEND_CAPACITIES
        .iter()
        .find(|(v, _, _)| *v == version)
        .expect("in the corpus");
    (*appends, caps)
}

#[test]
fn pre_header_is_the_gc_head_plus_the_managed_dict() {
    let float = TypeInfo {
        name: "float",
        basicsize: 24,
        itemsize: 0,
        gc: false,
        managed_dict: false,
    };
    let tuple = TypeInfo {
        name: "tuple",
        basicsize: 24,
        itemsize: 8,
        gc: true,
        managed_dict: false,
    };
    let plain = TypeInfo {
        name: "Plain",
        basicsize: 24,
        itemsize: 0,
        gc: true,
        managed_dict: true,
    };
    assert_eq!(
        float.pre_header_size(),
        0,
        "floats are not tracked by the GC"
    );
    assert_eq!(
        tuple.pre_header_size(),
        16,
        "a PyGC_Head: _gc_next and _gc_prev"
    );
    assert_eq!(
        plain.pre_header_size(),
        32,
        "GC head plus the values and dict pointers"
    );
}

#[test]
fn small_objects_are_a_header_and_little_else() {
    check_group("object");
}

#[test]
fn ints_store_30_bit_digits_and_count_at_least_one() {
    assert_eq!(int_digits(0), 0, "zero has no digit (ob_size 0)");
    assert_eq!(int_digits((1 << 30) - 1), 1);
    assert_eq!(int_digits(1 << 30), 2);
    assert_eq!(
        int_digits(-(1 << 60)),
        3,
        "the sign lives in ob_size, not in the digits"
    );
    assert_eq!(int_digits(i128::MIN), 5);
    check_group("int");
}

#[test]
fn strs_pick_the_narrowest_kind_that_fits() {
    assert_eq!(StrKind::of(""), StrKind::Ascii);
    assert_eq!(StrKind::of("hello"), StrKind::Ascii);
    assert_eq!(
        StrKind::of("café"),
        StrKind::Latin1,
        "é is U+00E9, below 256"
    );
    assert_eq!(
        StrKind::of("a€"),
        StrKind::Ucs2,
        "one wide character widens every character"
    );
    assert_eq!(StrKind::of("a😀"), StrKind::Ucs4);
    check_group("str");
}

#[test]
fn bytes_and_tuples_grow_by_their_item_size() {
    check_group("bytes");
    check_group("tuple");
}

#[test]
fn list_resize_over_allocates_an_eighth_plus_six_rounded_to_four() {
    assert_eq!(list_resize(Growth::Py39, 0, 0, 1), 4, "(1 + 0 + 6) & ~3");
    assert_eq!(list_resize(Growth::Py39, 4, 4, 5), 8, "(5 + 0 + 6) & ~3");
    assert_eq!(list_resize(Growth::Py39, 8, 8, 9), 16, "(9 + 1 + 6) & ~3");
    assert_eq!(
        list_resize(Growth::Py39, 8, 8, 17),
        20,
        "a big jump gets no padding: (17 + 3) & ~3"
    );
    assert_eq!(
        list_resize(Growth::Py39, 16, 9, 8),
        16,
        "8 is still at least half of 16: no realloc"
    );
    assert_eq!(
        list_resize(Growth::Py39, 16, 8, 7),
        12,
        "below half: shrink to (7 + 0 + 6) & ~3"
    );
    assert_eq!(
        list_resize(Growth::Py39, 8, 1, 0),
        0,
        "emptied below half: nothing allocated"
    );
    assert_eq!(list_resize(Growth::Py39, 0, 0, 0), 0);
}

#[test]
fn appends_grow_capacity_0_4_8_16_24_32_on_311() {
    let (appends, caps) = capacities_for("3.11");
    assert_eq!(append_capacities(Growth::Py39, appends), caps);
    assert_eq!(
        appended(appends).allocated(),
        *caps.last().unwrap(),
        "PyList::append follows the same rule"
    );
}

#[test]
fn python_38_grew_0_4_8_16_25_35() {
    let (appends, caps) = capacities_for("3.8");
    assert_eq!(append_capacities(Growth::Py38, appends), caps);
    assert_eq!(
        list_resize(Growth::Py38, 16, 16, 17),
        25,
        "17 + 2 + 6: no rounding before 3.9"
    );
    assert_eq!(
        list_resize(Growth::Py38, 0, 0, 3),
        6,
        "3 + 0 + 3: small lists got +3"
    );
}

#[test]
fn a_lists_size_depends_on_how_it_was_built() {
    assert_eq!(PyList::with_len(3).allocated(), 3, "[None] * 3 is exact");
    let mut l = PyList::new();
    l.extend(3);
    assert_eq!(
        (l.len(), l.allocated()),
        (3, 4),
        "[1, 2, 3] preallocates 3 rounded up to even"
    );
    check_group("list");
}

#[test]
fn keys_table_counts_header_indices_and_usable_entries() {
    assert_eq!(
        KeysTable::new(3, true).size_in_bytes(),
        32 + 8 + 5 * 16,
        "8 one-byte indices, 5 str entries"
    );
    assert_eq!(
        KeysTable::new(3, false).size_in_bytes(),
        32 + 8 + 5 * 24,
        "general entries also store the hash"
    );
    assert_eq!(KeysTable::new(4, true).size_in_bytes(), 32 + 16 + 10 * 16);
    assert_eq!(
        KeysTable::new(8, true).size_in_bytes(),
        32 + 256 * 2 + 170 * 16,
        "256 slots need 2-byte indices"
    );
}

#[test]
fn a_dicts_size_depends_on_its_keys_and_its_history() {
    check_group("dict");
}

#[test]
fn dicts_grow_at_the_6th_11th_22nd_and_43rd_key() {
    let wrong: Vec<String> = DICT_GROWTH
        .iter()
        .filter_map(|&(n, str_keys, int_keys)| {
            let got = (
                PyValue::Dict(crate::corpus::layout_cases::inserted(n)).getsizeof(),
                PyValue::Dict(crate::corpus::layout_cases::inserted_ints(n)).getsizeof(),
            );
            (got != (str_keys, int_keys)).then(|| {
                format!(
                    "{n} keys: CPython {:?}, yours {got:?}",
                    (str_keys, int_keys)
                )
            })
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "(str keys, int keys) sizes differ:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn sets_keep_8_slots_inline_then_grow_fourfold() {
    check_group("set");
}

#[test]
fn instances_pay_for_the_weakref_slot_and_the_managed_dict() {
    check_group("instance");
}

#[test]
fn append_growth_table() {
    let mut rows = vec!["len | 3.11 allocated | getsizeof | 3.8 allocated".to_owned()];
    let (mut new, mut old) = (0, 0);
    for len in 0..=20usize {
        if len > 0 {
            new = list_resize(Growth::Py39, new, len - 1, len);
            old = list_resize(Growth::Py38, old, len - 1, len);
        }
        let size = PyValue::List(appended(len)).getsizeof();
        rows.push(format!("{len:>3} | {new:>14} | {size:>9} | {old:>13}"));
    }
    insta::assert_snapshot!(rows.join("\n"));
}

proptest! {
    // No failure persistence: a stub failing here must not leave a proptest-regressions file.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

    #[test]
    fn a_resized_list_always_fits_its_items(
        allocated in 0usize..5000,
        len in 0usize..5000,
        newsize in 0usize..5000,
        py38 in any::<bool>(),
    ) {
        let growth = if py38 { Growth::Py38 } else { Growth::Py39 };
        let oldsize = len.min(allocated);
        let got = list_resize(growth, allocated, oldsize, newsize);
        prop_assert!(got >= newsize, "{got} slots cannot hold {newsize} items");
        prop_assert!(
            got == allocated || got <= newsize + (newsize >> 3) + 6,
            "a reallocation over-allocates at most newsize/8 + 6, got {got} for {newsize}"
        );
    }
}
