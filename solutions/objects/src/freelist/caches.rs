//! The caches: objects handed out again instead of made anew. The ints −5 … 256, the empty str
//! and the one-character latin-1 strs are static singletons, never allocated or freed, and
//! `sys.intern` keeps one canonical str per text (Objects/longobject.c `get_small_int`,
//! Objects/unicodeobject.c `PyUnicode_InternInPlace`).

use super::*;

// ANCHOR: caches
impl Runtime {
    /// `PyLong_FromLong(v)`: −5 … 256 come from the small-int cache (`get_small_int`); any other
    /// value is a new object.
    pub fn long_from(&mut self, v: i64) -> ObjId {
        // TODO
        if (-NSMALLNEGINTS..NSMALLPOSINTS).contains(&v) {
            self.small_ints[(v + NSMALLNEGINTS) as usize]
        } else {
            self.malloc(Kind::Int(v))
        }
    }

    /// `long_dealloc`: frees the block. Ints have no free list in 3.11; cached small ints are
    /// never deallocated (their count starts near 10⁹), so nothing happens to them.
    pub fn long_dealloc(&mut self, id: ObjId) {
        // TODO
        if !self.is_static(id) {
            self.free(id);
        }
    }

    /// `PyUnicode_FromString(text)`: `""` and one-character latin-1 texts are static singletons
    /// (`unicode_new_empty`, `get_latin1_char`); any other text is a new object.
    pub fn str_new(&mut self, text: &str) -> ObjId {
        // TODO
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => self.empty_str,
            (Some(c), None) if u32::from(c) < 256 => self.latin1[u32::from(c) as usize],
            _ => self.malloc(Kind::Str(text.to_owned())),
        }
    }

    /// `sys.intern(s)` (`PyUnicode_InternInPlace`): if a str with the same text is interned,
    /// return it (the caller drops `s`); otherwise `s` itself becomes the interned one.
    /// Panics if `s` is not a live str.
    pub fn intern(&mut self, s: ObjId) -> ObjId {
        // TODO
        let Some(Kind::Str(text)) = self.live.get(&s) else {
            panic!("{s} is not a live str");
        };
        *self.interned.entry(text.clone()).or_insert(s)
    }

    /// `unicode_dealloc`: 3.11 interned strs are *mortal*: a dying interned str leaves the
    /// `interned` dict, so interning the same text later gives a new object. Statics never die.
    pub fn str_dealloc(&mut self, id: ObjId) {
        // TODO
        if self.is_static(id) {
            return;
        }
        if let Some(Kind::Str(text)) = self.live.get(&id)
            && self.interned.get(text) == Some(&id)
        {
            let text = text.clone();
            self.interned.remove(&text);
        }
        self.free(id);
    }
}
// ANCHOR_END: caches
