//! Sets: the inline `smalltable` of 8 slots, and the separate table a bigger set moves to
//! (`set_add_entry`, `set_table_resize` and `set_merge` in Objects/setobject.c).
//!
//! Given helper, at the bottom of this file: `PySet::table_resize` (`set_table_resize`).

use super::PyValue;

// ANCHOR: set
/// A 3.11 set: 8 entries live inside the object (`smalltable`); bigger tables are separate.
#[derive(Clone, Debug, PartialEq)]
pub struct PySet {
    /// The live items (`used` of them).
    items: Vec<PyValue>,
    /// `fill`: live items plus dummies left by deletions.
    fill: usize,
    /// `mask`: table size − 1 (7 while the `smalltable` is in use).
    mask: usize,
}

impl Default for PySet {
    fn default() -> PySet {
        PySet::new()
    }
}

impl PySet {
    /// `set()`: an empty `smalltable` of 8 slots.
    pub fn new() -> PySet {
        PySet {
            items: Vec::new(),
            fill: 0,
            mask: 7,
        }
    }

    // ANCHOR: add
    /// `s.add(item)` (`set_add_entry`): a new item bumps `fill`; then, unless
    /// `fill * 5 < mask * 3`, `set_table_resize(used > 50000 ? used * 2 : used * 4)`, whose new
    /// size is the smallest power of two (≥ 8) *greater than* its argument.
    pub fn add(&mut self, item: PyValue) {
        // ANCHOR_END: add
        // TODO
        todo!("push a new item, bump fill, and resize unless fill * 5 < mask * 3")
    }

    // ANCHOR: discard
    /// `s.discard(item)`: the slot becomes a dummy (`fill` stays). Returns false if absent.
    pub fn discard(&mut self, item: &PyValue) -> bool {
        // ANCHOR_END: discard
        // TODO
        todo!("remove the item; fill keeps counting its dummy")
    }

    // ANCHOR: merge
    /// `s.update(other)` with another set (`set_merge`), also behind `set(other)` and a display of
    /// three or more constants (`{1, 2, 3}` updates from a constant frozenset): first, if
    /// `(fill + other.used) * 5 >= mask * 3`, one `set_table_resize((used + other.used) * 2)`;
    /// then the items go in, without further resizes if this set was empty, with `add` otherwise.
    pub fn merge(&mut self, other: &PySet) {
        // ANCHOR_END: merge
        // TODO
        todo!(
            "one table_resize if (fill + other.used) * 5 >= mask * 3, then copy (empty set) or add each item"
        )
    }

    /// `used`, the number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the set holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Slots in the hash table (`mask + 1`); 8 means the inline `smalltable`.
    pub fn table_size(&self) -> usize {
        self.mask + 1
    }
}
// ANCHOR_END: set

/// Given helper: call it from your methods.
#[allow(dead_code)] // the stub's callers are todo!()s
impl PySet {
    /// `set_table_resize(so, minused)`: the smallest power of two ≥ 8 above `minused`; the
    /// dummies are dropped.
    fn table_resize(&mut self, minused: usize) {
        let mut newsize = 8;
        while newsize <= minused {
            newsize <<= 1;
        }
        self.mask = newsize - 1;
        self.fill = self.items.len();
    }
}
