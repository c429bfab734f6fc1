//! Object layout: what `sys.getsizeof` reports for CPython 3.11's core types on a 64-bit build,
//! and how a list over-allocates as it grows.
//!
//! Book: Part I, "Everything is an object". Every object starts with a `PyObject` header
//! (`ob_refcnt`, `ob_type`); variable-size objects add `ob_size` (`PyVarObject`). Objects of a
//! GC type also carry a `PyGC_Head` *before* the header, and 3.11 instances of ordinary classes
//! carry two more words before that (the managed-dict pre-header). `sys.getsizeof(o)` is
//! `o.__sizeof__()` plus those pre-headers (`_PySys_GetSizeOf` in Python/sysmodule.c).
//!
//! CPython: Objects/longobject.c, Objects/unicodeobject.c, Objects/listobject.c
//! (`list_resize`, `list_extend`), Objects/dictobject.c (`insertdict`, `dictresize`,
//! `_PyDict_SizeOf`), Objects/setobject.c (`set_add_entry`, `set_table_resize`, `set_merge`).
//!
//! Given helpers, at the bottom of this file: `PyList::resize` (calls your [`list_resize`]),
//! `PyDict::resize` (`dictresize`) and `PySet::table_resize` (`set_table_resize`).

// ANCHOR: api
/// `sizeof(PyObject)`: `ob_refcnt` + `ob_type` (Include/object.h).
pub const OBJECT_HEAD: usize = 16;
/// `sizeof(PyVarObject)`: a `PyObject` plus `ob_size`, the item count.
pub const VAR_OBJECT_HEAD: usize = 24;
/// `sizeof(PyGC_Head)`: `_gc_next` + `_gc_prev`, in front of every object of a GC type.
pub const GC_HEAD: usize = 16;
/// The 3.11 `Py_TPFLAGS_MANAGED_DICT` pre-header: the values pointer and the dict pointer,
/// in front of the GC head.
pub const MANAGED_DICT_HEAD: usize = 16;
/// Bits per digit of an int (`PyLong_SHIFT`): ints are arrays of 30-bit digits in 32-bit words.
pub const PYLONG_SHIFT: u32 = 30;

/// What a type object says about the memory of its instances (a subset of `PyTypeObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeInfo {
    /// `tp_name`.
    pub name: &'static str,
    /// `tp_basicsize`: bytes of the fixed part, headers included (pre-headers excluded).
    pub basicsize: usize,
    /// `tp_itemsize`: bytes per item of a variable-size object (0 for fixed-size types).
    pub itemsize: usize,
    /// `Py_TPFLAGS_HAVE_GC`: instances carry a `PyGC_Head`.
    pub gc: bool,
    /// `Py_TPFLAGS_MANAGED_DICT` (3.11): instances carry the managed-dict pre-header.
    pub managed_dict: bool,
}

impl TypeInfo {
    /// Bytes in front of the object: `_PyType_PreHeaderSize` (Include/internal/pycore_object.h).
    pub fn pre_header_size(&self) -> usize {
        // TODO
        let gc = if self.gc { GC_HEAD } else { 0 };
        let dict = if self.managed_dict {
            MANAGED_DICT_HEAD
        } else {
            0
        };
        gc + dict
    }
}

/// How a str stores its characters: PEP 393 picks the narrowest kind that fits every character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// Every code point < 128: a compact ASCII string (`PyASCIIObject`, 48 bytes, then data).
    Ascii,
    /// Every code point < 256: one byte per char, after a `PyCompactUnicodeObject` (72 bytes).
    Latin1,
    /// Every code point < 65536: two bytes per char (UCS-2).
    Ucs2,
    /// Anything else: four bytes per char (UCS-4).
    Ucs4,
}

impl StrKind {
    /// The kind CPython picks for `s` (`PyUnicode_New` takes the maximum code point).
    pub fn of(s: &str) -> StrKind {
        // TODO
        match s.chars().map(u32::from).max().unwrap_or(0) {
            0..=0x7f => StrKind::Ascii,
            0x80..=0xff => StrKind::Latin1,
            0x100..=0xffff => StrKind::Ucs2,
            _ => StrKind::Ucs4,
        }
    }

    /// Bytes per character (`PyUnicode_KIND`): 1, 1, 2 or 4.
    pub fn char_size(self) -> usize {
        match self {
            StrKind::Ascii | StrKind::Latin1 => 1,
            StrKind::Ucs2 => 2,
            StrKind::Ucs4 => 4,
        }
    }
}

/// How many 30-bit digits CPython stores for `v` (`|ob_size|`; 0 for zero).
pub fn int_digits(v: i128) -> usize {
    // TODO
    let mut magnitude = v.unsigned_abs();
    let mut digits = 0;
    while magnitude != 0 {
        magnitude >>= PYLONG_SHIFT;
        digits += 1;
    }
    digits
}

/// Which `list_resize` over-allocation rule to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Growth {
    /// 3.8 and older: `newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6)`.
    Py38,
    /// 3.9 and newer: `(newsize + (newsize >> 3) + 6) & ~3`, or just `(newsize + 3) & ~3` when
    /// that is closer to the old size (bpo-38373).
    Py39,
}

/// The capacity (`allocated`) a list has after `list_resize(self, newsize)` when it had
/// `allocated` slots holding `oldsize` items (Objects/listobject.c).
///
/// No reallocation when `allocated >= newsize >= allocated / 2`; `newsize == 0` gives 0.
pub fn list_resize(growth: Growth, allocated: usize, oldsize: usize, newsize: usize) -> usize {
    // TODO
    if allocated >= newsize && newsize >= allocated >> 1 {
        return allocated;
    }
    if newsize == 0 {
        return 0;
    }
    match growth {
        Growth::Py38 => newsize + (newsize >> 3) + if newsize < 9 { 3 } else { 6 },
        Growth::Py39 => {
            let new_allocated = (newsize + (newsize >> 3) + 6) & !3;
            // Signed in C: a shrink never takes this branch.
            if newsize > oldsize && newsize - oldsize > new_allocated - newsize {
                (newsize + 3) & !3
            } else {
                new_allocated
            }
        }
    }
}

/// The distinct capacities an empty list goes through while `appends` items are appended one by
/// one, starting with 0 (3.11: 0, 4, 8, 16, 24, …).
pub fn append_capacities(growth: Growth, appends: usize) -> Vec<usize> {
    // TODO
    let mut caps = vec![0];
    let mut allocated = 0;
    for len in 0..appends {
        allocated = list_resize(growth, allocated, len, len + 1);
        if caps.last() != Some(&allocated) {
            caps.push(allocated);
        }
    }
    caps
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

    /// `PyList_New(n)`: exactly `n` slots, as for `[None] * n` or a display like `[a, b]`.
    pub fn with_len(n: usize) -> PyList {
        // TODO
        PyList {
            len: n,
            allocated: n,
            has_items: n > 0,
        }
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

    /// `list.append(x)`: `list_resize(self, len + 1)` with the 3.9+ rule.
    pub fn append(&mut self) {
        // TODO
        self.resize(self.len + 1);
    }

    /// `list.extend(seq)` with a list or tuple of `n` items (`list_extend`). A list without an
    /// item array is first given exactly `n` slots rounded up to even (`list_preallocate_exact`);
    /// otherwise it grows with `list_resize(self, len + n)`. `list(range(n))` and the display
    /// `[1, 2, 3]` (three or more constants) both take the first path.
    pub fn extend(&mut self, n: usize) {
        // TODO
        if n == 0 {
            return;
        }
        if self.has_items {
            self.resize(self.len + n);
        } else {
            self.allocated = (n + 1) & !1;
            self.has_items = true;
            self.len = n;
        }
    }

    /// `list.pop()` (the last item): `list_resize(self, len - 1)`, which may shrink the array.
    /// Returns false, changing nothing, on an empty list (Python raises `IndexError`).
    pub fn pop(&mut self) -> bool {
        // TODO
        if self.len == 0 {
            return false;
        }
        self.resize(self.len - 1);
        true
    }

    /// `list.clear()` (`_list_clear`): frees the item array, back to the state of `[]`.
    pub fn clear(&mut self) {
        // TODO
        *self = PyList::new();
    }
}

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

    /// `_PyDict_KeysSize`: the 32-byte header, the index array (1, 2, 4 or 8 bytes per slot for
    /// `log2_size` ≤ 7, ≤ 15, ≤ 31, above), and `USABLE_FRACTION(size)` entries of 16 bytes
    /// (`PyDictUnicodeEntry`: key, value) or 24 bytes (`PyDictKeyEntry`: hash, key, value).
    pub fn size_in_bytes(&self) -> usize {
        // TODO
        let size = 1usize << self.log2_size;
        let index_bytes = match self.log2_size {
            0..=7 => 1,
            8..=15 => 2,
            16..=31 => 4,
            _ => 8,
        };
        let entry = if self.unicode { 16 } else { 24 };
        32 + size * index_bytes + usable_fraction(size) * entry
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

    /// `dict_new_presized(minused, unicode)`: up to 5 expected keys give a plain `{}`; more give
    /// a table of `estimate_log2_keysize(minused)`.
    pub fn presized(minused: usize, unicode: bool) -> PyDict {
        // TODO
        if minused <= usable_fraction(8) {
            return PyDict::new();
        }
        let table = KeysTable::new(estimate_log2_keysize(minused), unicode);
        PyDict {
            keys: Vec::new(),
            table: Some(table),
        }
    }

    /// A display such as `{'a': 1, 'b': 2}` (`_PyDict_FromItems`): presized for all the keys,
    /// unicode if every key is a str, then each key inserted in order.
    pub fn from_literal(keys: Vec<PyValue>) -> PyDict {
        // TODO
        let unicode = keys.iter().all(|k| matches!(k, PyValue::Str(_)));
        let mut d = PyDict::presized(keys.len(), unicode);
        for k in keys {
            d.insert(k);
        }
        d
    }

    /// `d[key] = value` (`insertdict`, `insert_to_emptydict`, `insertion_resize`):
    /// - an existing key changes nothing;
    /// - the first key makes a table of 8 slots, unicode if the key is a str;
    /// - a non-str key into a unicode table first resizes to a general table;
    /// - with no usable entry left, resize to `calculate_log2_keysize(3 * used)` (`GROWTH_RATE`).
    ///
    /// A resize drops the dummies: the new table has `used` entries.
    pub fn insert(&mut self, key: PyValue) {
        // TODO
        if self.keys.contains(&key) {
            return;
        }
        let is_str = matches!(key, PyValue::Str(_));
        match &self.table {
            None => self.table = Some(KeysTable::new(3, is_str)),
            Some(t) if t.unicode && !is_str => {
                self.resize(calculate_log2_keysize(3 * self.keys.len()), false)
            }
            Some(_) => {}
        }
        if self.table.as_ref().is_some_and(|t| t.usable == 0) {
            self.resize(calculate_log2_keysize(3 * self.keys.len()), true);
        }
        let table = self.table.as_mut().expect("a table was just made");
        table.usable -= 1;
        table.nentries += 1;
        self.keys.push(key);
    }

    /// `del d[key]`: the entry becomes a dummy, so `usable` does not come back. Returns false if
    /// the key was absent (Python raises `KeyError`).
    pub fn remove(&mut self, key: &PyValue) -> bool {
        // TODO
        match self.keys.iter().position(|k| k == key) {
            Some(i) => {
                self.keys.remove(i);
                true
            }
            None => false,
        }
    }

    /// `d.clear()` (`PyDict_Clear`): back to the shared empty keys.
    pub fn clear(&mut self) {
        // TODO
        *self = PyDict::new();
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

    /// `s.add(item)` (`set_add_entry`): a new item bumps `fill`; then, unless
    /// `fill * 5 < mask * 3`, `set_table_resize(used > 50000 ? used * 2 : used * 4)`, whose new
    /// size is the smallest power of two (≥ 8) *greater than* its argument.
    pub fn add(&mut self, item: PyValue) {
        // TODO
        if self.items.contains(&item) {
            return;
        }
        self.items.push(item);
        self.fill += 1;
        if self.fill * 5 < self.mask * 3 {
            return;
        }
        let used = self.items.len();
        self.table_resize(if used > 50000 { used * 2 } else { used * 4 });
    }

    /// `s.discard(item)`: the slot becomes a dummy (`fill` stays). Returns false if absent.
    pub fn discard(&mut self, item: &PyValue) -> bool {
        // TODO
        match self.items.iter().position(|k| k == item) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    /// `s.update(other)` with another set (`set_merge`), also behind `set(other)` and a display of
    /// three or more constants (`{1, 2, 3}` updates from a constant frozenset): first, if
    /// `(fill + other.used) * 5 >= mask * 3`, one `set_table_resize((used + other.used) * 2)`;
    /// then the items go in, without further resizes if this set was empty, with `add` otherwise.
    pub fn merge(&mut self, other: &PySet) {
        // TODO
        if other.items.is_empty() {
            return;
        }
        if (self.fill + other.items.len()) * 5 >= self.mask * 3 {
            self.table_resize((self.items.len() + other.items.len()) * 2);
        }
        if self.fill == 0 {
            self.items = other.items.clone();
            self.fill = self.items.len();
        } else {
            for item in &other.items {
                self.add(item.clone());
            }
        }
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

/// A Python value, enough of it to compute its size.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`: ints of one digit and of zero digits.
    Bool(bool),
    /// An int (a 128-bit range is plenty to see digits being added).
    Int(i128),
    /// A float.
    Float(f64),
    /// A str, stored compactly (its data right after the header).
    Str(String),
    /// A bytes object.
    Bytes(Vec<u8>),
    /// A tuple.
    Tuple(Vec<PyValue>),
    /// A list.
    List(PyList),
    /// A dict.
    Dict(PyDict),
    /// A set.
    Set(PySet),
    /// `object()`.
    Object,
    /// An instance of a class defined with `class C: ...` on `object`: `slots: None` for an
    /// ordinary class, `Some(n)` for `__slots__` of `n` names.
    Instance {
        /// `Some(n)` when the class has `__slots__` of `n` names.
        slots: Option<usize>,
    },
}

impl PyValue {
    /// The type of this value, as far as sizes go (`Py_TYPE(o)`).
    pub fn type_info(&self) -> TypeInfo {
        let t = |name, basicsize, itemsize, gc| TypeInfo {
            name,
            basicsize,
            itemsize,
            gc,
            managed_dict: false,
        };
        match self {
            PyValue::None => t("NoneType", 16, 0, false),
            PyValue::Bool(_) => t("bool", 32, 4, false),
            PyValue::Int(_) => t("int", 24, 4, false),
            PyValue::Float(_) => t("float", 24, 0, false),
            PyValue::Str(_) => t("str", 80, 0, false),
            PyValue::Bytes(_) => t("bytes", 33, 1, false),
            PyValue::Tuple(_) => t("tuple", 24, 8, true),
            PyValue::List(_) => t("list", 40, 0, true),
            PyValue::Dict(_) => t("dict", 48, 0, true),
            PyValue::Set(_) => t("set", 200, 0, true),
            PyValue::Object => t("object", 16, 0, false),
            // 3.11 heap types are all GC. Without __slots__: header + __weakref__ slot, and the
            // dict lives in the pre-header.
            PyValue::Instance { slots: None } => TypeInfo {
                managed_dict: true,
                ..t("C", 24, 0, true)
            },
            PyValue::Instance { slots: Some(n) } => t("C", OBJECT_HEAD + 8 * n, 0, true),
        }
    }

    /// `o.__sizeof__()`: each type's own rule (`int___sizeof__`, `unicode__sizeof__`,
    /// `list___sizeof__`, `_PyDict_SizeOf`, `set_sizeof`, `object___sizeof__`, …).
    pub fn sizeof(&self) -> usize {
        // TODO
        match self {
            // 3.11 counts at least one digit, even for 0 (and False).
            PyValue::Bool(b) => VAR_OBJECT_HEAD + 4 * int_digits(i128::from(*b)).max(1),
            PyValue::Int(v) => VAR_OBJECT_HEAD + 4 * int_digits(*v).max(1),
            PyValue::Str(s) => {
                let len = s.chars().count();
                match StrKind::of(s) {
                    StrKind::Ascii => 48 + len + 1,
                    kind => 72 + (len + 1) * kind.char_size(),
                }
            }
            // tp_basicsize already holds the trailing NUL byte.
            PyValue::Bytes(b) => 33 + b.len(),
            PyValue::Tuple(items) => VAR_OBJECT_HEAD + 8 * items.len(),
            PyValue::List(l) => 40 + 8 * l.allocated,
            // Py_EMPTY_KEYS is shared, so an empty dict's table is not counted.
            PyValue::Dict(d) => 48 + d.table.as_ref().map_or(0, KeysTable::size_in_bytes),
            PyValue::Set(s) => 200 + if s.mask > 7 { 16 * (s.mask + 1) } else { 0 },
            _ => self.type_info().basicsize,
        }
    }

    /// `sys.getsizeof(o)`: `__sizeof__` plus the pre-headers (`_PySys_GetSizeOf`).
    pub fn getsizeof(&self) -> usize {
        // TODO
        self.sizeof() + self.type_info().pre_header_size()
    }
}
// ANCHOR_END: api

/// Given helpers: call them from your methods.
#[allow(dead_code)] // the stub's callers are todo!()s
impl PyList {
    /// `list_resize(self, newsize)` with the 3.9+ rule, keeping `has_items` up to date.
    fn resize(&mut self, newsize: usize) {
        self.allocated = list_resize(Growth::Py39, self.allocated, self.len, newsize);
        self.has_items |= self.allocated > 0;
        self.len = newsize;
    }
}

#[allow(dead_code)]
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

#[allow(dead_code)]
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
