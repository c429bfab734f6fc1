//! Chapter 11, "Debugging memory": the `PYTHONMALLOC=debug` hooks (`allocator::debug`).
//!
//! Reports print addresses as `base+0x…`, offsets from the start of the padded block.

use allocator::debug::*;
use allocator::obmalloc::Obmalloc;
use allocator::size_class::RawMalloc;
use allocator::test_source::TestSource;

fn pymalloc_debug() -> DebugAllocator<Obmalloc<TestSource>> {
    DebugAllocator::new(Obmalloc::with_source(TestSource::aligned()))
}

/// The padded block around data pointer `p`: header (16), data (`n`), trailer (8).
fn padded(p: *const u8, n: usize) -> Vec<u8> {
    // SAFETY: callers pass a live debug block of n data bytes.
    unsafe { std::slice::from_raw_parts(p.sub(16), n + 24).to_vec() }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn head(p: *const u8) -> Option<usize> {
    Some(p as usize - 16)
}

#[test]
fn api_ids_are_r_m_o_and_sizes_are_stored_big_endian() {
    assert_eq!(
        (Api::Raw.id(), Api::Mem.id(), Api::Obj.id()),
        (b'r', b'm', b'o')
    );
    let mut buf = [0u8; 8];
    // SAFETY: buf has 8 bytes.
    unsafe {
        write_size_t(buf.as_mut_ptr(), 0x0102_0304_0506_0708);
        assert_eq!(buf, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(read_size_t(buf.as_ptr()), 0x0102_0304_0506_0708);
    }
}

#[test]
fn a_5_byte_pymem_block_has_cpythons_exact_layout() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 5);
    assert_eq!(
        hex(&padded(p, 5)),
        "00 00 00 00 00 00 00 05 6d fd fd fd fd fd fd fd cd cd cd cd cd fd fd fd fd fd fd fd fd"
    );
}

#[test]
fn object_and_raw_blocks_carry_ids_6f_and_72() {
    let mut d = DebugAllocator::new(RawMalloc);
    let o = d.malloc(Api::Obj, 3);
    let r = d.malloc(Api::Raw, 3);
    assert_eq!(padded(o, 3)[8], 0x6f);
    assert_eq!(padded(r, 3)[8], 0x72);
    // SAFETY: both are live blocks of d, freed once with their own API.
    unsafe {
        assert_eq!(d.free(Api::Obj, o), Ok(()));
        assert_eq!(d.free(Api::Raw, r), Ok(()));
    }
}

#[test]
fn every_request_grows_by_24_bytes_so_16_bytes_land_in_the_48_byte_class() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Obj, 16);
    assert_eq!(p as usize % 16, 0, "the data stays 16-byte aligned");
    // SAFETY: p - 16 is the start of the inner block.
    let inner_block = unsafe { p.sub(16) };
    assert_eq!(d.inner().block_size(inner_block), Some(48));
    let q = d.malloc(Api::Obj, 488);
    assert_eq!(d.inner().block_size(q), Some(512));
    let r = d.malloc(Api::Obj, 489);
    assert!(
        !d.inner().address_in_range(r),
        "489 + 24 > 512: the raw layer"
    );
}

#[test]
fn calloc_data_is_zero_not_cleanbyte() {
    let mut d = pymalloc_debug();
    let p = d.calloc(Api::Mem, 4, 3);
    let block = padded(p, 12);
    assert_eq!(&block[16..28], &[0u8; 12]);
    assert_eq!(&block[28..], &[FORBIDDENBYTE; 8]);
    assert!(d.calloc(Api::Mem, usize::MAX, 16).is_null());
}

#[test]
fn free_fills_the_block_with_deadbyte_except_the_word_pymalloc_reuses() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 20);
    let _keep_pool_used = d.malloc(Api::Mem, 20);
    // SAFETY: p is live; afterwards its memory stays mapped (the pool is still used).
    unsafe {
        assert_eq!(d.free(Api::Mem, p), Ok(()));
        let after = padded(p, 20);
        assert!(after[8..].iter().all(|&b| b == DEADBYTE), "{}", hex(&after));
        assert_ne!(&after[..8], &[DEADBYTE; 8], "pymalloc's free-list link");
    }
}

#[test]
fn an_overflow_is_reported_when_the_block_is_freed() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 16);
    // SAFETY: the 16 data bytes and the first trailing pad byte lie inside the block.
    let err = unsafe {
        p.write_bytes(0x41, 16);
        p.add(16).write(0x78);
        d.free(Api::Mem, p).unwrap_err()
    };
    assert_eq!(err.kind, DebugErrorKind::BadTrailingPad);
    assert_eq!(err.func, "_PyMem_DebugRawFree");
    insta::assert_snapshot!("overflow_report", err.report(head(p)));
}

#[test]
fn an_underflow_is_reported_as_a_bad_leading_pad_byte() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 16);
    // SAFETY: p - 1 is the last leading pad byte of the block.
    let err = unsafe {
        p.write_bytes(0x41, 16);
        p.sub(1).write(0x78);
        d.free(Api::Mem, p).unwrap_err()
    };
    assert_eq!(err.kind, DebugErrorKind::BadLeadingPad);
    insta::assert_snapshot!("underflow_report", err.report(head(p)));
}

#[test]
fn freeing_through_another_api_is_a_bad_id() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 16);
    // SAFETY: p is live; the failed free leaves it alone.
    let err = unsafe { d.free(Api::Obj, p).unwrap_err() };
    assert_eq!(
        format!("{}: {}", err.func, err.message()),
        "_PyMem_DebugRawFree: bad ID: Allocated using API 'm', verified using API 'o'"
    );
    assert!(!err.is_double_free());
    insta::assert_snapshot!("api_mismatch_report", err.report(head(p)));
    let mut raw = DebugAllocator::new(RawMalloc);
    let r = raw.malloc(Api::Raw, 8);
    // SAFETY: r is live.
    let err = unsafe { raw.free(Api::Mem, r).unwrap_err() };
    assert_eq!(
        err.message(),
        "bad ID: Allocated using API 'r', verified using API 'm'"
    );
}

#[test]
fn a_double_free_is_caught_by_the_dead_id_byte() {
    let mut d = pymalloc_debug();
    // 16 + 24 bytes: 48-byte blocks, 340 to a pool. Fill the pool so that freeing one block
    // links it into an empty free list (its first word, the size field, becomes 0).
    let blocks: Vec<*mut u8> = (0..340).map(|_| d.malloc(Api::Obj, 16)).collect();
    let p = blocks[100];
    // SAFETY: p is live for the first free; the second free reads memory that is still
    // mapped (the pool is in use) and frees nothing.
    let err = unsafe {
        d.free(Api::Obj, p).unwrap();
        d.free(Api::Obj, p).unwrap_err()
    };
    assert!(err.is_double_free());
    assert_eq!(
        d.inner().allocated_blocks(),
        339,
        "the second free freed nothing"
    );
    insta::assert_snapshot!("double_free_report", err.report(head(p)));
}

#[test]
fn a_corrupted_block_is_not_freed() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 32);
    let before = d.inner().allocated_blocks();
    // SAFETY: p + 32 is the first trailing pad byte.
    unsafe {
        p.add(32).write(0);
        assert!(d.free(Api::Mem, p).is_err());
    }
    assert_eq!(d.inner().allocated_blocks(), before);
}

#[test]
fn long_blocks_show_the_first_and_last_8_data_bytes() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Obj, 40);
    // SAFETY: the 40 data bytes and the trailing pad lie inside the block.
    let err = unsafe {
        for i in 0..40 {
            p.add(i).write(i as u8);
        }
        p.add(45).write(0);
        d.free(Api::Obj, p).unwrap_err()
    };
    let report = err.report(head(p));
    assert!(
        report.contains("    Data at p: 00 01 02 03 04 05 06 07 ... 20 21 22 23 24 25 26 27\n"),
        "{report}"
    );
    assert!(
        report.contains("        at tail+5: 0x00 *** OUCH\n"),
        "{report}"
    );
}

#[test]
fn realloc_keeps_the_data_and_marks_new_bytes_clean() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 10);
    // SAFETY: p is live with 10 data bytes; q then has 100.
    unsafe {
        p.write_bytes(0x11, 10);
        let q = d.realloc(Api::Mem, p, 100).unwrap();
        let block = padded(q, 100);
        assert_eq!(read_size_t(block.as_ptr()), 100);
        assert_eq!(block[8], b'm');
        assert_eq!(&block[16..26], &[0x11; 10]);
        assert!(block[26..116].iter().all(|&b| b == CLEANBYTE));
        assert_eq!(&block[116..], &[FORBIDDENBYTE; 8]);
        assert_eq!(d.free(Api::Mem, q), Ok(()));
    }
}

#[test]
fn realloc_of_a_long_block_restores_both_ends_when_shrinking_and_growing() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Obj, 300);
    // SAFETY: every access stays within the current data size.
    unsafe {
        for i in 0..300 {
            p.add(i).write((i % 251) as u8);
        }
        let q = d.realloc(Api::Obj, p, 2000).unwrap();
        assert!(
            (0..300).all(|i| *q.add(i) == (i % 251) as u8),
            "all 300 bytes survive growth"
        );
        let r = d.realloc(Api::Obj, q, 50).unwrap();
        assert!((0..50).all(|i| *r.add(i) == (i % 251) as u8));
        assert_eq!(padded(r, 50)[66..], [FORBIDDENBYTE; 8]);
        assert_eq!(d.free(Api::Obj, r), Ok(()));
    }
}

#[test]
fn realloc_marks_the_old_header_trailer_and_64_bytes_at_each_end_dead() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Obj, 300); // 324 bytes: a 336-byte pymalloc block
    let _keep_pool_used = d.malloc(Api::Obj, 300);
    // SAFETY: p is live for the writes and the realloc. Afterwards its memory is a free block
    // in a pool that is still used, inside an arena of the test source: mapped and readable.
    unsafe {
        for i in 0..300 {
            p.add(i).write((i % 251) as u8);
        }
        let q = d.realloc(Api::Obj, p, 2000).unwrap();
        assert!(
            !d.inner().address_in_range(q),
            "2024 bytes: the block moved to the raw layer"
        );
        let old = padded(p, 300);
        // old[..8] is the size field, now pymalloc's free-list link: not checked.
        assert!(
            old[8..16 + 64].iter().all(|&b| b == DEADBYTE),
            "id, leading pad, first 64 data bytes: {}",
            hex(&old[..16 + 64])
        );
        assert!(
            old[16 + 300 - 64..].iter().all(|&b| b == DEADBYTE),
            "last 64 data bytes and the trailing pad: {}",
            hex(&old[16 + 300 - 64..])
        );
        assert!(
            (64..300 - 64).all(|i| old[16 + i] == (i % 251) as u8),
            "the middle of the data is not erased"
        );
        assert_eq!(d.free(Api::Obj, q), Ok(()));
    }
}

#[test]
fn realloc_checks_the_block_first() {
    let mut d = pymalloc_debug();
    let p = d.malloc(Api::Mem, 8);
    // SAFETY: p + 8 is the first trailing pad byte.
    let err = unsafe {
        p.add(8).write(1);
        d.realloc(Api::Mem, p, 64).unwrap_err()
    };
    assert_eq!(
        format!("{}: {}", err.func, err.message()),
        "_PyMem_DebugRawRealloc: bad trailing pad byte"
    );
}
