//! `unsafe` blocks and the `// SAFETY:` comments that justify them.
//!
//! Run it: `cargo run -p primer --example safety`

// ANCHOR: contract
/// The `k`-th 4-byte word of `bytes`, as a native-endian `u32`, without a bounds check.
///
/// # Safety
/// `bytes` holds at least `4 * (k + 1)` bytes.
pub unsafe fn word_unchecked(bytes: &[u8], k: usize) -> u32 {
    // SAFETY: by this function's contract, bytes 4k..4k+4 lie inside `bytes`, so the
    // pointer after `add` is in bounds and the 4 bytes read are initialised (a `&[u8]`
    // always is) and not being written (we hold a shared borrow). `read_unaligned` asks
    // for no alignment, which matters: a `[u8]` is only 1-aligned.
    unsafe { bytes.as_ptr().add(4 * k).cast::<u32>().read_unaligned() }
}

/// The safe wrapper: check the contract, then call. Callers cannot get it wrong.
pub fn word(bytes: &[u8], k: usize) -> Option<u32> {
    let end = k.checked_add(1)?.checked_mul(4)?;
    if bytes.len() < end {
        return None;
    }
    // SAFETY: checked just above: `bytes` holds at least 4 * (k + 1) bytes.
    Some(unsafe { word_unchecked(bytes, k) })
}
// ANCHOR_END: contract

// ANCHOR: run
pub fn run() -> String {
    let bytes = [0x11, 0x22, 0x33, 0x44, 0xaa, 0xbb, 0xcc, 0xdd];
    let mut out = String::new();
    for k in [0, 1, 2, usize::MAX] {
        let shown = match word(&bytes, k) {
            Some(w) => format!("{w:#010x}"),
            None => "None (out of bounds)".to_string(),
        };
        out += &format!("word(bytes, {k}) = {shown}\n");
    }
    out
}
// ANCHOR_END: run

fn main() {
    print!("{}", run());
}
