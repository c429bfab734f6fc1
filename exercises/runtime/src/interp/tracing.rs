//! `tracemalloc` (given), on *your* tracer (`allocator::trace::Tracer`), which wraps your
//! allocator: every block the runtime takes is traced with the Python line that asked for it.

use std::rc::Rc;

use allocator::trace::{KeyType, Snapshot};
use collector::cycles::{GcHeap, ObjId};

use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::body;
use super::state::{self, st};

/// Calls `tracemalloc.func(*args)` (args borrowed).
pub fn call(h: &mut GcHeap, func: &str, args: &[ObjId]) -> PyResult<ObjId> {
    match func {
        "start" => st(h).alloc.start(),
        "stop" => st(h).alloc.stop(),
        "clear_traces" => st(h).alloc.clear_traces(),
        "reset_peak" => st(h).alloc.reset_peak(),
        "is_tracing" => {
            let t = st(h).alloc.is_tracing();
            return Ok(state::new_bool(h, t));
        }
        "get_traced_memory" => {
            let (current, peak) = st(h).alloc.get_traced_memory();
            let items = vec![
                state::new_int(h, current as i64),
                state::new_int(h, peak as i64),
            ];
            return Ok(state::new_tuple(h, items));
        }
        "take_snapshot" => {
            return match st(h).alloc.take_snapshot() {
                Ok(s) => Ok(crate::memory::new_object(h, Payload::Snapshot(Rc::new(s)))),
                Err(_) => fail(
                    h,
                    "RuntimeError",
                    "the tracemalloc module must be tracing memory allocations to take a snapshot",
                ),
            };
        }
        _ => return unsupported(h, &format!("tracemalloc.{func}")),
    }
    let _ = args;
    Ok(state::none(h))
}

fn key_type(h: &mut GcHeap, arg: Option<&ObjId>) -> PyResult<KeyType> {
    let text = match arg {
        Some(&a) => super::text::str_of(h, a)?,
        None => {
            return fail(
                h,
                "TypeError",
                "statistics() missing 1 required positional argument: 'key_type'",
            );
        }
    };
    match text.as_str() {
        "lineno" => Ok(KeyType::Lineno),
        "filename" => Ok(KeyType::Filename),
        other => fail(h, "ValueError", format!("unknown key_type: {other:?}")),
    }
}

/// `snapshot.statistics(key_type)` and `snapshot.compare_to(old, key_type)` (args borrowed).
pub fn snapshot_method(h: &mut GcHeap, this: ObjId, name: &str, args: &[ObjId]) -> PyResult<ObjId> {
    let snap: Rc<Snapshot> = match body(h, this) {
        Payload::Snapshot(s) => s.clone(),
        _ => return unsupported(h, name),
    };
    let items = match name {
        "statistics" => {
            let key = key_type(h, args.first())?;
            snap.statistics(key)
                .into_iter()
                .map(|s| crate::memory::new_object(h, Payload::Statistic(s)))
                .collect()
        }
        "compare_to" => {
            let old = match args.first().map(|&a| body(h, a)) {
                Some(Payload::Snapshot(o)) => o.clone(),
                _ => return fail(h, "TypeError", "compare_to() expects a Snapshot"),
            };
            let key = key_type(h, args.get(1))?;
            snap.compare_to(&old, key)
                .into_iter()
                .map(|d| crate::memory::new_object(h, Payload::StatisticDiff(d)))
                .collect()
        }
        _ => return unsupported(h, &format!("Snapshot.{name}")),
    };
    Ok(state::new_list(h, items))
}

/// The attributes of statistics and frames (`stat.size`, `stat.traceback[0].lineno`): a new
/// reference, or `None` if there is no such attribute.
pub fn attribute(h: &mut GcHeap, obj: ObjId, name: &str) -> Option<ObjId> {
    let int = |h: &mut GcHeap, v: i64| Some(state::new_int(h, v));
    match (body(h, obj), name) {
        (Payload::Statistic(s), "size") => int(h, s.size as i64),
        (Payload::Statistic(s), "count") => int(h, s.count as i64),
        (Payload::StatisticDiff(d), "size") => int(h, d.size as i64),
        (Payload::StatisticDiff(d), "count") => int(h, d.count as i64),
        (Payload::StatisticDiff(d), "size_diff") => int(h, d.size_diff as i64),
        (Payload::StatisticDiff(d), "count_diff") => int(h, d.count_diff as i64),
        (Payload::Statistic(_) | Payload::StatisticDiff(_), "traceback") => {
            let frame = match body(h, obj) {
                Payload::Statistic(s) => s.frame,
                Payload::StatisticDiff(d) => d.frame,
                _ => unreachable!(),
            };
            let f = crate::memory::new_object(h, Payload::TraceFrame(frame));
            Some(state::new_tuple(h, vec![f]))
        }
        (Payload::TraceFrame(f), "lineno") => int(h, i64::from(f.lineno)),
        (Payload::TraceFrame(f), "filename") => {
            let name = f.filename;
            Some(state::new_str(h, name))
        }
        _ => None,
    }
}
