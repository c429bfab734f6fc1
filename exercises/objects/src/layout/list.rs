//! Lists: how a list over-allocates as it grows and gives memory back as it shrinks
//! (`list_resize`, `list_extend` in Objects/listobject.c), and a [`PyList`] that replays
//! `append`, `extend`, `pop` and `clear`.
//!
//! Given helper, at the bottom of this file: `PyList::resize` (calls your [`list_resize`]).

// ANCHOR: list
/// Which `list_resize` over-allocation rule to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Growth {
    /// 3.8 and older: `newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6)`.
    Py38,
    /// 3.9 and newer: `(newsize + (newsize >> 3) + 6) & ~3`, or just `(newsize + 3) & ~3` when
    /// that is closer to the old size (bpo-38373).
    Py39,
}

// ANCHOR: list_resize
/// The capacity (`allocated`) a list has after `list_resize(self, newsize)` when it had
/// `allocated` slots holding `oldsize` items (Objects/listobject.c).
///
/// No reallocation when `allocated >= newsize >= allocated / 2`; `newsize == 0` gives 0.
pub fn list_resize(growth: Growth, allocated: usize, oldsize: usize, newsize: usize) -> usize {
    // ANCHOR_END: list_resize
    // TODO
    todo!(
        "keep `allocated` if newsize fits between allocated/2 and allocated; else apply the 3.8 or 3.9+ formula"
    )
}

// ANCHOR: append_capacities
/// The distinct capacities an empty list goes through while `appends` items are appended one by
/// one, starting with 0 (3.11: 0, 4, 8, 16, 24, …).
pub fn append_capacities(growth: Growth, appends: usize) -> Vec<usize> {
    // ANCHOR_END: append_capacities
    // TODO
    todo!(
        "start from allocated = 0 and call list_resize once per append, recording each new capacity"
    )
}

/// A 3.11 list: only the item count and the capacity matter to its size, so items are not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PyList {
    /// `ob_size`.
    len: usize,
    /// `allocated`: slots in the item array.
    allocated: usize,
    /// `ob_item != NULL`. `[]` has no item array; `list_resize` to 0 keeps a 0-byte one.
    has_items: bool,
}

impl PyList {
    /// `[]` (`PyList_New(0)`): no item array at all.
    pub fn new() -> PyList {
        PyList::default()
    }

    // ANCHOR: with_len
    /// `PyList_New(n)`: exactly `n` slots, as for `[None] * n` or a display like `[a, b]`.
    pub fn with_len(n: usize) -> PyList {
        // ANCHOR_END: with_len
        // TODO
        todo!("PyList_New(n): exactly n slots")
    }

    /// `ob_size`, the number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the list holds no item.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `allocated`, the capacity of the item array.
    pub fn allocated(&self) -> usize {
        self.allocated
    }

    // ANCHOR: append
    /// `list.append(x)`: `list_resize(self, len + 1)` with the 3.9+ rule.
    pub fn append(&mut self) {
        // ANCHOR_END: append
        // TODO
        todo!("grow by one with self.resize (the given helper)")
    }

    // ANCHOR: extend
    /// `list.extend(seq)` with a list or tuple of `n` items (`list_extend`). A list without an
    /// item array is first given exactly `n` slots rounded up to even (`list_preallocate_exact`);
    /// otherwise it grows with `list_resize(self, len + n)`. `list(range(n))` and the display
    /// `[1, 2, 3]` (three or more constants) both take the first path.
    pub fn extend(&mut self, n: usize) {
        // ANCHOR_END: extend
        // TODO
        todo!("no item array yet: preallocate n rounded up to even; otherwise self.resize(len + n)")
    }

    // ANCHOR: pop
    /// `list.pop()` (the last item): `list_resize(self, len - 1)`, which may shrink the array.
    /// Returns false, changing nothing, on an empty list (Python raises `IndexError`).
    pub fn pop(&mut self) -> bool {
        // ANCHOR_END: pop
        // TODO
        todo!("shrink by one with self.resize; false on an empty list")
    }

    // ANCHOR: clear
    /// `list.clear()` (`_list_clear`): frees the item array, back to the state of `[]`.
    pub fn clear(&mut self) {
        // ANCHOR_END: clear
        // TODO
        todo!("drop the item array: back to the state of PyList::new()")
    }
}
// ANCHOR_END: list

/// Given helper: call it from your methods.
#[allow(dead_code)] // the stub's callers are todo!()s
impl PyList {
    /// `list_resize(self, newsize)` with the 3.9+ rule, keeping `has_items` up to date (also
    /// what `del l[a:b]` does, through `list_ass_slice`).
    pub fn resize(&mut self, newsize: usize) {
        self.allocated = list_resize(Growth::Py39, self.allocated, self.len, newsize);
        self.has_items |= self.allocated > 0;
        self.len = newsize;
    }
}
