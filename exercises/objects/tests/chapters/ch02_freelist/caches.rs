//! Chapter 2, the caches (`freelist/caches.rs`): small ints, the static strs and interning.

use objects::freelist::{Kind, Runtime};

#[test]
fn ints_from_minus_5_to_256_come_from_the_cache() {
    let mut rt = Runtime::new();
    for v in -5..=256 {
        let a = rt.long_from(v);
        let b = rt.long_from(v);
        assert_eq!(
            a, b,
            "{v} is cached: every PyLong_FromLong({v}) is the same object"
        );
        assert_eq!(rt.kind(a), Some(&Kind::Int(v)));
    }
    assert_eq!(rt.mallocs(), 0, "the small ints are static: no allocation");
}

#[test]
fn ints_outside_the_cache_are_new_objects_each_time() {
    let mut rt = Runtime::new();
    for v in [257, -6, 1000, i64::MAX] {
        let a = rt.long_from(v);
        let b = rt.long_from(v);
        assert_ne!(a, b, "{v} is not cached: two calls, two objects");
        assert_eq!(rt.kind(b), Some(&Kind::Int(v)));
    }
    assert_eq!(rt.mallocs(), 8);
    let big = rt.long_from(257);
    rt.long_dealloc(big);
    assert!(
        !rt.is_live(big),
        "ints have no free list in 3.11: the block is freed"
    );
    assert_eq!(rt.frees(), 1);
}

#[test]
fn empty_and_one_character_latin1_strs_are_singletons() {
    let mut rt = Runtime::new();
    assert_eq!(rt.str_new(""), rt.str_new(""));
    assert_eq!(rt.str_new("a"), rt.str_new("a"));
    assert_eq!(rt.str_new("é"), rt.str_new("é"), "U+00E9 is latin-1");
    assert_eq!(rt.mallocs(), 0);
    assert_ne!(
        rt.str_new("€"),
        rt.str_new("€"),
        "U+20AC is not latin-1: a new object each time"
    );
    assert_ne!(rt.str_new("ab"), rt.str_new("ab"));
    assert_eq!(rt.mallocs(), 4);
}

#[test]
fn interning_hands_out_the_first_object_with_that_text() {
    let mut rt = Runtime::new();
    let a = rt.str_new("hello world");
    let b = rt.str_new("hello world");
    assert_ne!(a, b, "two dynamic strings are two objects");
    assert_eq!(
        rt.intern(a),
        a,
        "the first one interned becomes the canonical object"
    );
    assert_eq!(rt.intern(b), a, "later ones get the canonical object back");
    assert!(rt.is_interned(a));
    assert!(!rt.is_interned(b));
    rt.str_dealloc(b);
    assert!(rt.is_live(a) && !rt.is_live(b));
}

#[test]
fn interned_strs_are_mortal_in_311() {
    let mut rt = Runtime::new();
    let first = rt.str_new("spam eggs");
    assert_eq!(rt.intern(first), first);
    rt.str_dealloc(first);
    assert!(
        !rt.is_live(first),
        "an interned str dies like any other in 3.11"
    );
    let again = rt.str_new("spam eggs");
    assert_ne!(again, first);
    assert_eq!(
        rt.intern(again),
        again,
        "the table forgot the dead str: the new one is canonical"
    );
}

#[test]
fn freeing_a_duplicate_leaves_the_interned_original_in_the_table() {
    let mut rt = Runtime::new();
    let original = rt.str_new("config_key");
    assert_eq!(rt.intern(original), original);
    let duplicate = rt.str_new("config_key");
    assert_eq!(rt.intern(duplicate), original);
    rt.str_dealloc(duplicate);
    assert!(
        rt.is_interned(original),
        "only the interned object itself leaves the table when it dies, not an equal str"
    );
    let later = rt.str_new("config_key");
    assert_eq!(
        rt.intern(later),
        original,
        "interning the same text again still gives the original"
    );
}

#[test]
fn deallocating_a_static_int_or_str_changes_nothing() {
    let mut rt = Runtime::new();
    let ints = [rt.long_from(-5), rt.long_from(0), rt.long_from(256)];
    let strs = [rt.str_new(""), rt.str_new("a"), rt.str_new("\u{ff}")];
    ints.iter().for_each(|&i| rt.long_dealloc(i));
    strs.iter().for_each(|&s| rt.str_dealloc(s));
    for id in ints.iter().chain(&strs) {
        assert!(rt.is_live(*id), "{id} is a static singleton: it never dies");
    }
    assert_eq!(
        rt.frees(),
        0,
        "statics are not heap blocks: nothing is freed"
    );
    assert_eq!(
        rt.long_from(0),
        ints[1],
        "the cache still hands out the same 0"
    );
    assert_eq!(rt.str_new(""), strs[0]);
    assert_eq!(rt.kind(strs[2]), Some(&Kind::Str("\u{ff}".to_owned())));
}
