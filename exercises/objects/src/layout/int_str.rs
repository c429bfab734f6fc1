//! Ints and strs, the two core types whose size depends on their value (Part I, "Everything is
//! an object"). An int keeps its magnitude as an array of 30-bit digits (Objects/longobject.c);
//! a str keeps its characters with 1, 2 or 4 bytes each, the narrowest that fits them all
//! (PEP 393, Objects/unicodeobject.c).

// ANCHOR: int_str
/// Bits per digit of an int (`PyLong_SHIFT`): ints are arrays of 30-bit digits in 32-bit words.
pub const PYLONG_SHIFT: u32 = 30;

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
    // ANCHOR: str_kind_of
    /// The kind CPython picks for `s` (`PyUnicode_New` takes the maximum code point).
    pub fn of(s: &str) -> StrKind {
        // ANCHOR_END: str_kind_of
        // TODO
        todo!(
            "find the largest code point of s: < 0x80 Ascii, < 0x100 Latin1, < 0x10000 Ucs2, else Ucs4"
        )
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

// ANCHOR: int_digits
/// How many 30-bit digits CPython stores for `v` (`|ob_size|`; 0 for zero).
pub fn int_digits(v: i128) -> usize {
    // ANCHOR_END: int_digits
    // TODO
    todo!("count how many 30-bit digits |v| needs (0 needs none)")
}
// ANCHOR_END: int_str
