//! Dicts: the keys table of a 3.11 dict (`PyDictKeysObject`) and how it grows as keys go in
//! (`insertdict`, `insertion_resize`, `dictresize` and `_PyDict_KeysSize` in
//! Objects/dictobject.c).
//!
//! Given helper, at the bottom of this file: `PyDict::resize` (`dictresize`).

use super::PyValue;

// ANCHOR: dict
/// `USABLE_FRACTION(n)`: a dict keys table of `n` slots holds at most `2n/3` entries.
pub fn usable_fraction(n: usize) -> usize {
    (n << 1) / 3
}

/// `calculate_log2_keysize` (Objects/dictobject.c, 3.11), quirk included: it returns
/// `bit_length(((minsize | 8) - 1) | 7)`, so a `minsize` of 6 gives 4 (16 slots), not 3.
pub fn calculate_log2_keysize(minsize: usize) -> u8 {
    let m = ((minsize | 8) - 1) | 7;
    (usize::BITS - m.leading_zeros()) as u8
}

/// `estimate_log2_keysize`: the table size that holds `n` entries without a resize.
pub fn estimate_log2_keysize(n: usize) -> u8 {
    calculate_log2_keysize((n * 3).div_ceil(2)) // `(n*3 + 1) / 2` in C
}

/// A dict's own keys table (`PyDictKeysObject`, 3.11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysTable {
    /// `dk_log2_size`: the table has `1 << log2_size` index slots (at least 8).
    pub log2_size: u8,
    /// `DICT_KEYS_UNICODE`: every key is an exact str, so entries need no hash field.
    pub unicode: bool,
    /// `dk_usable`: entries that may still be appended before a resize.
    pub usable: usize,
    /// `dk_nentries`: entries used so far, deleted ones (dummies) included.
    pub nentries: usize,
}

impl KeysTable {
    /// `new_keys_object(log2_size, unicode)`: an empty table with `USABLE_FRACTION` usable entries.
    pub fn new(log2_size: u8, unicode: bool) -> KeysTable {
        KeysTable {
            log2_size,
            unicode,
            usable: usable_fraction(1 << log2_size),
            nentries: 0,
        }
    }

    // ANCHOR: size_in_bytes
    /// `_PyDict_KeysSize`: the 32-byte header, the index array (1, 2, 4 or 8 bytes per slot for
    /// `log2_size` ≤ 7, ≤ 15, ≤ 31, above), and `USABLE_FRACTION(size)` entries of 16 bytes
    /// (`PyDictUnicodeEntry`: key, value) or 24 bytes (`PyDictKeyEntry`: hash, key, value).
    pub fn size_in_bytes(&self) -> usize {
        // ANCHOR_END: size_in_bytes
        // TODO
        todo!(
            "32-byte header + index bytes (1/2/4/8 per slot) + usable_fraction(size) entries of 16 or 24 bytes"
        )
    }
}

/// A 3.11 dict with a combined table (values are not modelled: only keys change the size).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PyDict {
    /// The live keys in insertion order (`ma_used` of them).
    keys: Vec<PyValue>,
    /// `None` while `ma_keys` is the shared, static `Py_EMPTY_KEYS`.
    table: Option<KeysTable>,
}

impl PyDict {
    /// `{}` (`PyDict_New`): shares `Py_EMPTY_KEYS`, so it owns no table.
    pub fn new() -> PyDict {
        PyDict::default()
    }

    // ANCHOR: presized
    /// `dict_new_presized(minused, unicode)`: up to 5 expected keys give a plain `{}`; more give
    /// a table of `estimate_log2_keysize(minused)`.
    pub fn presized(minused: usize, unicode: bool) -> PyDict {
        // ANCHOR_END: presized
        // TODO
        todo!("up to 5 keys: PyDict::new(); otherwise a table of estimate_log2_keysize(minused)")
    }

    // ANCHOR: from_literal
    /// A display such as `{'a': 1, 'b': 2}` (`_PyDict_FromItems`): presized for all the keys,
    /// unicode if every key is a str, then each key inserted in order.
    pub fn from_literal(keys: Vec<PyValue>) -> PyDict {
        // ANCHOR_END: from_literal
        // TODO
        todo!("presize for every key (unicode if all are str), then insert them in order")
    }

    // ANCHOR: insert
    /// `d[key] = value` (`insertdict`, `insert_to_emptydict`, `insertion_resize`):
    /// - an existing key changes nothing;
    /// - the first key makes a table of 8 slots, unicode if the key is a str;
    /// - a non-str key into a unicode table first resizes to a general table;
    /// - with no usable entry left, resize to `calculate_log2_keysize(3 * used)` (`GROWTH_RATE`).
    ///
    /// A resize drops the dummies: the new table has `used` entries.
    pub fn insert(&mut self, key: PyValue) {
        // ANCHOR_END: insert
        // TODO
        todo!(
            "first key: an 8-slot table; non-str into unicode: resize to general; no usable entry: resize to calculate_log2_keysize(3 * used)"
        )
    }

    // ANCHOR: remove
    /// `del d[key]`: the entry becomes a dummy, so `usable` does not come back. Returns false if
    /// the key was absent (Python raises `KeyError`).
    pub fn remove(&mut self, key: &PyValue) -> bool {
        // ANCHOR_END: remove
        // TODO
        todo!("remove the key but leave usable and nentries alone (the entry becomes a dummy)")
    }

    // ANCHOR: clear
    /// `d.clear()` (`PyDict_Clear`): back to the shared empty keys.
    pub fn clear(&mut self) {
        // ANCHOR_END: clear
        // TODO
        todo!("drop the item array: back to the state of PyDict::new()")
    }

    /// `ma_used`, the number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the dict holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The dict's own keys table, `None` while it shares `Py_EMPTY_KEYS`.
    pub fn table(&self) -> Option<&KeysTable> {
        self.table.as_ref()
    }
}
// ANCHOR_END: dict

/// Given helper: call it from your methods.
#[allow(dead_code)] // the stub's callers are todo!()s
impl PyDict {
    /// `dictresize(mp, log2_newsize, unicode)`: a fresh table of `1 << log2_newsize` slots
    /// holding the live keys (the dummies are dropped); a general table never turns back into a
    /// unicode one.
    fn resize(&mut self, log2_newsize: u8, unicode: bool) {
        let used = self.keys.len();
        let was_unicode = self.table.as_ref().is_none_or(|t| t.unicode);
        let mut table = KeysTable::new(log2_newsize, unicode && was_unicode);
        table.usable -= used;
        table.nentries = used;
        self.table = Some(table);
    }
}
