//! The sizes corpus: every `sys.getsizeof` number the layout tests expect, in one table.
//!
//! Each case pairs a Python expression with the same value built in Rust. The numbers were
//! produced by CPython 3.11.7, and the solution crate's `cpython_agrees` test re-runs every
//! expression with `python3` (see `solutions/objects/tests/cpython/layout_corpus.py`, which
//! defines the helpers `appended`, `inserted`, … the same way as below).

use objects::layout::{PyDict, PyList, PySet, PyValue};

/// One object, in Python and in Rust, and its size on CPython 3.11.
pub struct SizeCase {
    /// Which test looks at it.
    pub group: &'static str,
    /// A Python expression (evaluated by layout_corpus.py).
    pub python: &'static str,
    /// The same value, built with the `layout` API.
    pub value: fn() -> PyValue,
    /// `sys.getsizeof(<python>)` on CPython 3.11.
    pub getsizeof: usize,
}

const fn case(
    group: &'static str,
    python: &'static str,
    value: fn() -> PyValue,
    getsizeof: usize,
) -> SizeCase {
    SizeCase {
        group,
        python,
        value,
        getsizeof,
    }
}

fn s(text: &str) -> PyValue {
    PyValue::Str(text.to_owned())
}

/// `l = []` then `n` × `l.append(None)`.
pub fn appended(n: usize) -> PyList {
    let mut l = PyList::new();
    (0..n).for_each(|_| l.append());
    l
}

/// `appended(n)` then `k` × `l.pop()`.
pub fn popped(n: usize, k: usize) -> PyList {
    let mut l = appended(n);
    (0..k).for_each(|_| assert!(l.pop()));
    l
}

/// `d = {}` then `d['k0'] = None`, `d['k1'] = None`, … (`n` str keys).
pub fn inserted(n: usize) -> PyDict {
    let mut d = PyDict::new();
    (0..n).for_each(|i| d.insert(s(&format!("k{i}"))));
    d
}

/// `d = {}` then `d[0] = None`, `d[1] = None`, … (`n` int keys).
pub fn inserted_ints(n: usize) -> PyDict {
    let mut d = PyDict::new();
    (0..n).for_each(|i| d.insert(PyValue::Int(i as i128)));
    d
}

/// `s = set()` then `s.add(0)`, `s.add(1)`, … (`n` ints).
pub fn added(n: usize) -> PySet {
    let mut set = PySet::new();
    (0..n).for_each(|i| set.add(PyValue::Int(i as i128)));
    set
}

fn list(l: PyList) -> PyValue {
    PyValue::List(l)
}

fn extended(mut l: PyList, n: usize) -> PyList {
    l.extend(n);
    l
}

fn dict(d: PyDict) -> PyValue {
    PyValue::Dict(d)
}

fn str_keys(names: &str) -> Vec<PyValue> {
    names.chars().map(|c| s(&c.to_string())).collect()
}

fn set(set: PySet) -> PyValue {
    PyValue::Set(set)
}

fn merged(other: PySet) -> PySet {
    let mut set = PySet::new();
    set.merge(&other);
    set
}

#[rustfmt::skip]
pub const SIZE_CASES: &[SizeCase] = &[
    case("object", "None", || PyValue::None, 16),
    case("object", "object()", || PyValue::Object, 16),
    case("object", "1.5", || PyValue::Float(1.5), 24),
    case("object", "True", || PyValue::Bool(true), 28),
    case("object", "False", || PyValue::Bool(false), 28),

    case("int", "0", || PyValue::Int(0), 28),
    case("int", "1", || PyValue::Int(1), 28),
    case("int", "-1", || PyValue::Int(-1), 28),
    case("int", "2**30 - 1", || PyValue::Int((1 << 30) - 1), 28),
    case("int", "2**30", || PyValue::Int(1 << 30), 32),
    case("int", "-(2**30)", || PyValue::Int(-(1 << 30)), 32),
    case("int", "2**60 - 1", || PyValue::Int((1 << 60) - 1), 32),
    case("int", "2**60", || PyValue::Int(1 << 60), 36),
    case("int", "2**90", || PyValue::Int(1 << 90), 40),
    case("int", "-(2**100)", || PyValue::Int(-(1 << 100)), 40),
    case("int", "2**127 - 1", || PyValue::Int(i128::MAX), 44),

    case("str", "''", || s(""), 49),
    case("str", "'a'", || s("a"), 50),
    case("str", "'abc'", || s("abc"), 52),
    case("str", "'hello world'", || s("hello world"), 60),
    case("str", "'é'", || s("é"), 74),
    case("str", "'éé'", || s("éé"), 75),
    case("str", "'ÿÿÿ'", || s("ÿÿÿ"), 76),
    case("str", "'a€'", || s("a€"), 78),
    case("str", "'€€'", || s("€€"), 78),
    case("str", "'😀'", || s("😀"), 80),
    case("str", "'😀😀'", || s("😀😀"), 84),
    case("str", "'a😀'", || s("a😀"), 84),

    case("bytes", "b''", || PyValue::Bytes(vec![]), 33),
    case("bytes", "b'abc'", || PyValue::Bytes(b"abc".to_vec()), 36),
    case("bytes", "bytes(100)", || PyValue::Bytes(vec![0; 100]), 133),

    case("tuple", "()", || PyValue::Tuple(vec![]), 40),
    case("tuple", "(1,)", || PyValue::Tuple(vec![PyValue::Int(1)]), 48),
    case("tuple", "(1, 2)", || PyValue::Tuple(vec![PyValue::Int(1), PyValue::Int(2)]), 56),
    case("tuple", "tuple(range(10))", || PyValue::Tuple((0..10).map(PyValue::Int).collect()), 120),
    case("tuple", "(('a', 'b'),)", || PyValue::Tuple(vec![PyValue::Tuple(vec![s("a"), s("b")])]), 48),

    case("list", "[]", || list(PyList::new()), 56),
    case("list", "[None] * 3", || list(PyList::with_len(3)), 80),
    case("list", "[1, 2]", || list(PyList::with_len(2)), 72),
    case("list", "[1, 2, 3]", || list(extended(PyList::new(), 3)), 88),
    case("list", "list(range(10))", || list(extended(PyList::new(), 10)), 136),
    case("list", "appended(5)", || list(appended(5)), 120),
    case("list", "appended(9)", || list(appended(9)), 184),
    case("list", "appended(17)", || list(appended(17)), 248),
    case("list", "popped(17, 9)", || list(popped(17, 9)), 184),
    case("list", "popped(10, 10)", || list(popped(10, 10)), 56),
    case("list", "extended(popped(10, 10), 3)", || list(extended(popped(10, 10), 3)), 120),
    case("list", "extended(cleared(appended(10)), 3)", || { let mut l = appended(10); l.clear(); list(extended(l, 3)) }, 88),
    case("list", "appended_to([None] * 5, 1)", || { let mut l = PyList::with_len(5); l.append(); list(l) }, 152),

    case("dict", "{}", || dict(PyDict::new()), 64),
    case("dict", "inserted(1)", || dict(inserted(1)), 184),
    case("dict", "inserted(5)", || dict(inserted(5)), 184),
    case("dict", "inserted(6)", || dict(inserted(6)), 272),
    case("dict", "inserted(11)", || dict(inserted(11)), 464),
    case("dict", "inserted(86)", || dict(inserted(86)), 3328),
    case("dict", "inserted_ints(1)", || dict(inserted_ints(1)), 224),
    case("dict", "inserted_ints(6)", || dict(inserted_ints(6)), 352),
    case("dict", "inserted_then(2, 0)", || { let mut d = inserted(2); d.insert(PyValue::Int(0)); dict(d) }, 352),
    case("dict", "inserted_then(1, 'k0')", || { let mut d = inserted(1); d.insert(s("k0")); dict(d) }, 184),
    case("dict", "{'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6}", || dict(PyDict::from_literal(str_keys("abcdef"))), 272),
    case("dict", "{'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7, 'h': 8, 'i': 9, 'j': 10, 'k': 11}",
         || dict(PyDict::from_literal(str_keys("abcdefghijk"))), 464),
    case("dict", "{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}", || dict(PyDict::from_literal((1..=6).map(PyValue::Int).collect())), 352),
    case("dict", "{'a': 1, 'b': 2}", || dict(PyDict::from_literal(str_keys("ab"))), 184),
    case("dict", "deleted_then_inserted(5)", || {
        let mut d = inserted(5);
        (0..5).for_each(|i| assert!(d.remove(&s(&format!("k{i}")))));
        d.insert(s("z"));
        dict(d)
    }, 184),
    case("dict", "cleared(inserted(8))", || { let mut d = inserted(8); d.clear(); dict(d) }, 64),

    case("set", "set()", || set(PySet::new()), 216),
    case("set", "added(4)", || set(added(4)), 216),
    case("set", "added(5)", || set(added(5)), 728),
    case("set", "added(19)", || set(added(19)), 2264),
    case("set", "{1, 2, 3, 4, 5}", || set(merged(added(5))), 472),
    case("set", "set(added(5))", || set(merged(added(5))), 472),
    case("set", "set(added(19))", || set(merged(added(19))), 1240),
    case("set", "discarded_then_added(4)", || {
        let mut st = added(4);
        (0..4).for_each(|i| assert!(st.discard(&PyValue::Int(i))));
        st.add(PyValue::Int(9));
        set(st)
    }, 216),

    case("instance", "Plain()", || PyValue::Instance { slots: None }, 56),
    case("instance", "slotted(0)", || PyValue::Instance { slots: Some(0) }, 32),
    case("instance", "slotted(2)", || PyValue::Instance { slots: Some(2) }, 48),
    case("instance", "slotted(5)", || PyValue::Instance { slots: Some(5) }, 72),
];

/// `sys.getsizeof(inserted(n))` and `sys.getsizeof(inserted_ints(n))` for n = 0 … 50.
#[rustfmt::skip]
pub const DICT_GROWTH: &[(usize, usize, usize)] = &[
    (0, 64, 64), (1, 184, 224), (2, 184, 224), (3, 184, 224), (4, 184, 224), (5, 184, 224),
    (6, 272, 352), (7, 272, 352), (8, 272, 352), (9, 272, 352), (10, 272, 352),
    (11, 464, 632), (12, 464, 632), (13, 464, 632), (14, 464, 632), (15, 464, 632),
    (16, 464, 632), (17, 464, 632), (18, 464, 632), (19, 464, 632), (20, 464, 632),
    (21, 464, 632), (22, 832, 1168), (23, 832, 1168), (24, 832, 1168), (25, 832, 1168),
    (26, 832, 1168), (27, 832, 1168), (28, 832, 1168), (29, 832, 1168), (30, 832, 1168),
    (31, 832, 1168), (32, 832, 1168), (33, 832, 1168), (34, 832, 1168), (35, 832, 1168),
    (36, 832, 1168), (37, 832, 1168), (38, 832, 1168), (39, 832, 1168), (40, 832, 1168),
    (41, 832, 1168), (42, 832, 1168), (43, 1584, 2264), (44, 1584, 2264), (45, 1584, 2264),
    (46, 1584, 2264), (47, 1584, 2264), (48, 1584, 2264), (49, 1584, 2264), (50, 1584, 2264),
];

/// The capacities an empty list goes through while appending: (Python version, appends,
/// capacities). The Python side prints `capacities(appends)`.
pub const APPEND_CAPACITIES: &[(&str, usize, &[usize])] = &[
    ("3.11", 93, &[0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92, 108]),
    ("3.8", 89, &[0, 4, 8, 16, 25, 35, 46, 58, 72, 88, 106]),
];
