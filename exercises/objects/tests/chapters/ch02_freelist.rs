//! Chapter 2, caches and free lists: `objects::freelist` (`cargo course check freelist`).
//!
//! An `ObjId` stands for an address: getting an old id back means memory was recycled.

/// Small ints, static strs and interning (`freelist/caches.rs`).
mod caches;

use objects::freelist::{FreeList, KeysSpec, Kind, ObjId, Runtime};

const SMALL_UNICODE: KeysSpec = KeysSpec {
    log2_size: 3,
    unicode: true,
};

/// One line per free list that holds something (the snapshot format).
fn freelist_report(rt: &Runtime) -> String {
    let mut lists = vec![("float".to_owned(), FreeList::Float)];
    lists.extend((1..=20).map(|n| (format!("tuple[{n}]"), FreeList::Tuple(n))));
    lists.extend([
        ("list".to_owned(), FreeList::List),
        ("dict".to_owned(), FreeList::Dict),
        ("dict keys".to_owned(), FreeList::DictKeys),
    ]);
    let mut lines: Vec<String> = lists
        .into_iter()
        .filter(|(_, l)| rt.freelist_len(*l) > 0)
        .map(|(name, l)| format!("{name:<10} {:>5}", rt.freelist_len(l)))
        .collect();
    if lines.is_empty() {
        lines.push("(every free list is empty)".to_owned());
    }
    lines.push(format!("gen0 count {:>5}", rt.gen0_count()));
    lines.join("\n")
}

#[test]
fn a_freed_float_is_the_next_float_last_in_first_out() {
    let mut rt = Runtime::new();
    let a = rt.float_new();
    let b = rt.float_new();
    rt.float_dealloc(a);
    rt.float_dealloc(b);
    assert_eq!(rt.freelist_len(FreeList::Float), 2);
    assert!(!rt.is_live(a), "parked on the free list, not live");
    assert_eq!(rt.float_new(), b, "the last float freed is reused first");
    assert_eq!(rt.float_new(), a);
    assert_eq!(rt.mallocs(), 2, "the two reuses cost no allocation");
    assert_eq!(rt.frees(), 0, "nothing went back to the allocator");
}

#[test]
fn the_float_free_list_keeps_at_most_100() {
    let mut rt = Runtime::new();
    let floats: Vec<ObjId> = (0..150).map(|_| rt.float_new()).collect();
    floats.iter().for_each(|&f| rt.float_dealloc(f));
    assert_eq!(rt.freelist_len(FreeList::Float), 100);
    assert_eq!(
        rt.frees(),
        50,
        "floats freed after the list was full go back to the allocator"
    );
    assert_eq!(rt.gen0_count(), 0, "floats are not GC objects");
}

#[test]
fn tuples_are_recycled_by_length() {
    let mut rt = Runtime::new();
    let pair = rt.tuple_new(2);
    let triple = rt.tuple_new(3);
    rt.tuple_dealloc(pair);
    rt.tuple_dealloc(triple);
    assert_eq!(rt.freelist_len(FreeList::Tuple(2)), 1);
    assert_eq!(rt.freelist_len(FreeList::Tuple(3)), 1);
    assert_eq!(rt.tuple_new(3), triple, "a 3-tuple reuses a 3-tuple");
    assert_eq!(rt.tuple_new(2), pair);
    let nineteen = rt.tuple_new(19);
    rt.tuple_dealloc(nineteen);
    assert_eq!(
        rt.tuple_new(19),
        nineteen,
        "19 is the longest length reused in 3.11"
    );
    let long = rt.tuple_new(21);
    rt.tuple_dealloc(long);
    assert!(!rt.is_live(long));
    assert_eq!(
        rt.freelist_len(FreeList::Tuple(21)),
        0,
        "no free list beyond length 20"
    );
    assert_eq!(rt.frees(), 1);
}

#[test]
fn length_20_tuples_are_pushed_but_never_reused_in_311() {
    let mut rt = Runtime::new();
    let twenty: Vec<ObjId> = (0..5).map(|_| rt.tuple_new(20)).collect();
    twenty.iter().for_each(|&t| rt.tuple_dealloc(t));
    assert_eq!(
        rt.freelist_len(FreeList::Tuple(20)),
        5,
        "the push accepts length 20 (index 19 < 20)"
    );
    let again = rt.tuple_new(20);
    assert!(
        !twenty.contains(&again),
        "the pop refuses it (size 20 is not < 20): a fresh tuple"
    );
    assert_eq!(rt.freelist_len(FreeList::Tuple(20)), 5, "so they pile up");
}

#[test]
fn each_tuple_free_list_stops_at_2000() {
    let mut rt = Runtime::new();
    let tuples: Vec<ObjId> = (0..2100).map(|_| rt.tuple_new(1)).collect();
    tuples.iter().for_each(|&t| rt.tuple_dealloc(t));
    assert_eq!(rt.freelist_len(FreeList::Tuple(1)), 2000);
    assert_eq!(rt.frees(), 100);
}

#[test]
fn the_empty_tuple_is_one_static_object_never_freed() {
    let mut rt = Runtime::new();
    let e = rt.tuple_new(0);
    assert_eq!(rt.tuple_new(0), e);
    rt.tuple_dealloc(e);
    assert!(rt.is_live(e), "() is never deallocated");
    assert_eq!(rt.tuple_new(0), e);
    assert_eq!((rt.mallocs(), rt.gen0_count()), (0, 0), "() costs nothing");
}

#[test]
fn the_list_free_list_keeps_80_headers() {
    let mut rt = Runtime::new();
    let lists: Vec<ObjId> = (0..100).map(|_| rt.list_new()).collect();
    lists.iter().for_each(|&l| rt.list_dealloc(l));
    assert_eq!(rt.freelist_len(FreeList::List), 80);
    assert_eq!(rt.frees(), 20);
    assert_eq!(
        rt.list_new(),
        lists[79],
        "the last header pushed comes back first"
    );
}

#[test]
fn only_8_slot_unicode_keys_objects_are_recycled() {
    let mut rt = Runtime::new();
    let specs = [
        SMALL_UNICODE,
        KeysSpec {
            log2_size: 3,
            unicode: false,
        },
        KeysSpec {
            log2_size: 4,
            unicode: true,
        },
    ];
    for spec in specs {
        let d = rt.dict_new(Some(spec));
        let keys = rt.dict_keys(d).expect("the dict owns a keys object");
        assert_eq!(rt.kind(keys), Some(&Kind::DictKeys(spec)));
        rt.dict_dealloc(d);
        let d2 = rt.dict_new(Some(spec));
        assert_eq!(d2, d, "dict objects are always recycled");
        let recycled = rt.dict_keys(d2) == Some(keys);
        assert_eq!(
            recycled,
            spec == SMALL_UNICODE,
            "keys {spec:?} recycled? {recycled}"
        );
        rt.dict_dealloc(d2);
    }
    assert_eq!(rt.freelist_len(FreeList::Dict), 1);
    assert_eq!(rt.freelist_len(FreeList::DictKeys), 1);
}

#[test]
fn empty_dicts_share_the_empty_keys_and_80_dicts_are_kept() {
    let mut rt = Runtime::new();
    let dicts: Vec<ObjId> = (0..90).map(|_| rt.dict_new(None)).collect();
    assert_eq!(rt.dict_keys(dicts[0]), None, "{{}} shares Py_EMPTY_KEYS");
    assert_eq!(rt.mallocs(), 90, "one block per dict, none for keys");
    dicts.iter().for_each(|&d| rt.dict_dealloc(d));
    assert_eq!(rt.freelist_len(FreeList::Dict), 80);
    assert_eq!(rt.freelist_len(FreeList::DictKeys), 0);
    assert_eq!(rt.frees(), 10);
}

#[test]
fn the_keys_free_list_also_stops_at_80() {
    let mut rt = Runtime::new();
    let dicts: Vec<ObjId> = (0..100).map(|_| rt.dict_new(Some(SMALL_UNICODE))).collect();
    let keys: Vec<ObjId> = dicts.iter().filter_map(|&d| rt.dict_keys(d)).collect();
    assert_eq!(keys.len(), 100, "each dict owns a keys object");
    dicts.iter().for_each(|&d| rt.dict_dealloc(d));
    assert_eq!(rt.freelist_len(FreeList::DictKeys), 80);
    assert_eq!(rt.freelist_len(FreeList::Dict), 80);
    assert_eq!(
        rt.frees(),
        40,
        "20 keys objects and 20 dicts went back to the allocator"
    );
    let again: Vec<ObjId> = (0..100).map(|_| rt.dict_new(Some(SMALL_UNICODE))).collect();
    let reused_keys = again
        .iter()
        .filter(|&&d| rt.dict_keys(d).is_some_and(|k| keys.contains(&k)))
        .count();
    assert_eq!(reused_keys, 80, "80 recycled keys objects, 20 new ones");
    assert_eq!(
        rt.mallocs(),
        240,
        "200 blocks at first, then 20 dicts and 20 keys"
    );
}

#[test]
fn reuse_skips_gc_alloc_so_the_gen0_count_barely_moves() {
    // CPython 3.11 (gccount.py): allocating 101 lists adds 101 to gc.get_count()[0] (one more is
    // the measurement's own tuple); freeing them subtracts only 21: 80 went to the free list.
    let mut rt = Runtime::new();
    let lists: Vec<ObjId> = (0..101).map(|_| rt.list_new()).collect();
    assert_eq!(rt.gen0_count(), 101, "each fresh list is a gc_alloc");
    lists.iter().for_each(|&l| rt.list_dealloc(l));
    assert_eq!(
        rt.gen0_count(),
        80,
        "only the 21 PyObject_GC_Del calls decrement"
    );
    let again: Vec<ObjId> = (0..101).map(|_| rt.list_new()).collect();
    assert_eq!(rt.gen0_count(), 101, "80 reused for free, 21 new");
    assert_eq!(again.iter().filter(|l| lists.contains(l)).count(), 80);
}

#[test]
fn every_collection_restarts_the_gen0_count() {
    let mut rt = Runtime::new();
    let lists: Vec<ObjId> = (0..5).map(|_| rt.list_new()).collect();
    assert_eq!(rt.gen0_count(), 5);
    rt.collect(0);
    assert_eq!(rt.gen0_count(), 0, "gc.collect(0) restarts the count");
    lists.iter().for_each(|&l| rt.list_dealloc(l));
    assert_eq!(
        rt.freelist_len(FreeList::List),
        5,
        "a young collection leaves the free lists alone"
    );
    for _ in 0..8 {
        rt.list_new();
    }
    assert_eq!(
        rt.gen0_count(),
        3,
        "5 reused lists cost nothing, 3 fresh ones count"
    );
    rt.collect(1);
    assert_eq!(rt.gen0_count(), 0, "gc.collect(1) restarts it too");
}

#[test]
fn subclass_instances_never_go_on_a_free_list() {
    // class F(float), class T(tuple), class L(list), class D(dict): `PyFloat_CheckExact` and
    // friends refuse them, and their type's tp_free is PyObject_GC_Del.
    let mut rt = Runtime::new();
    let exact = rt.float_new();
    rt.float_dealloc(exact);
    let sub_float = rt.subclass_new(Kind::Float);
    assert_ne!(sub_float, exact, "tp_alloc never pops a free list");
    assert!(!rt.is_exact(sub_float) && rt.is_exact(exact));
    let kinds = [
        Kind::Float,
        Kind::Tuple(2),
        Kind::Tuple(0),
        Kind::List,
        Kind::Dict(None),
    ];
    let subs: Vec<ObjId> = kinds.iter().map(|k| rt.subclass_new(k.clone())).collect();
    assert_eq!(
        rt.gen0_count(),
        6,
        "each subclass instance is a GC allocation"
    );
    let frees = rt.frees();
    rt.dealloc(sub_float);
    subs.iter().for_each(|&s| rt.dealloc(s));
    for (id, kind) in subs.iter().zip(&kinds) {
        assert!(!rt.is_live(*id), "the {kind:?} subclass instance is freed");
    }
    assert!(!rt.is_live(sub_float));
    assert_eq!(rt.frees(), frees + 6, "all six go back to the allocator");
    assert_eq!(rt.gen0_count(), 0, "through PyObject_GC_Del");
    assert_eq!(
        rt.freelist_len(FreeList::Float),
        1,
        "only the exact float waits"
    );
    for list in [FreeList::Tuple(2), FreeList::List, FreeList::Dict] {
        assert_eq!(
            rt.freelist_len(list),
            0,
            "{list:?}: subclass instances are refused"
        );
    }
    assert_eq!(rt.float_new(), exact, "the exact float is still reused");
}

#[test]
fn a_generation_2_collection_empties_every_free_list() {
    let mut rt = Runtime::new();
    let objs: Vec<ObjId> = vec![
        rt.float_new(),
        rt.tuple_new(2),
        rt.list_new(),
        rt.dict_new(Some(SMALL_UNICODE)),
    ];
    objs.iter().for_each(|&o| rt.dealloc(o));
    rt.collect(0);
    rt.collect(1);
    assert_eq!(
        rt.freelist_len(FreeList::Float),
        1,
        "younger collections leave the free lists alone"
    );
    let frees = rt.frees();
    rt.collect(2);
    for list in [
        FreeList::Float,
        FreeList::Tuple(2),
        FreeList::List,
        FreeList::Dict,
        FreeList::DictKeys,
    ] {
        assert_eq!(rt.freelist_len(list), 0, "{list:?} after gc.collect()");
    }
    assert_eq!(
        rt.frees(),
        frees + 5,
        "5 blocks really freed: float, tuple, list, dict, keys"
    );
    assert!(
        !objs.contains(&rt.float_new()),
        "the next float is a fresh block"
    );
}

#[test]
fn free_list_lengths_after_a_busy_day() {
    let mut rt = Runtime::new();
    let mut objs = Vec::new();
    objs.extend((0..120).map(|_| rt.float_new()));
    for len in [1, 2, 2, 3, 19, 20, 20, 21] {
        objs.extend((0..50).map(|_| rt.tuple_new(len)));
    }
    objs.extend((0..90).map(|_| rt.list_new()));
    objs.extend((0..30).map(|_| rt.dict_new(Some(SMALL_UNICODE))));
    objs.extend((0..30).map(|_| {
        rt.dict_new(Some(KeysSpec {
            log2_size: 4,
            unicode: true,
        }))
    }));
    let before = freelist_report(&rt);
    objs.iter().for_each(|&o| rt.dealloc(o));
    let after = freelist_report(&rt);
    rt.collect(2);
    let collected = freelist_report(&rt);
    insta::assert_snapshot!(format!(
        "-- allocated --\n{before}\n-- all deallocated --\n{after}\n-- after gc.collect() --\n{collected}"
    ));
}
