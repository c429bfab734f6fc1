//! A stable content hash, shared by the student's progress file (has this exercise's file changed
//! since it passed?) and the grader's cache (has this submission changed since it was graded?).
//!
//! Both hashes are stored on disk and compared by later runs, perhaps of a tool built by a newer
//! Rust, so std's `DefaultHasher` (whose output may change between releases) will not do.

/// 64-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/): tiny, stable, good enough to
/// notice an edited file. Not a defence against someone crafting collisions on purpose.
#[derive(Debug, Clone)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Feed raw bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Feed one field of a record: its length first, so that moving bytes from one field to the
    /// next (a file name and its contents, two adjacent names) changes the hash.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv1a;

    #[test]
    fn the_hash_is_fnv1a_and_so_stable_across_rust_releases() {
        let hash = |bytes: &[u8]| {
            let mut h = Fnv1a::default();
            h.write(bytes);
            h.finish()
        };
        // The published FNV-1a 64 test vectors.
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fields_are_delimited_by_their_length() {
        let fields = |parts: &[&str]| {
            let mut h = Fnv1a::default();
            for p in parts {
                h.field(p.as_bytes());
            }
            h.finish()
        };
        assert_ne!(fields(&["ab", "c"]), fields(&["a", "bc"]));
    }
}
