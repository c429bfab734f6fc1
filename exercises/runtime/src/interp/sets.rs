//! Set algebra (given): `|`, `&`, `-`, `^` and their methods, and the subset tests.

use collector::cycles::{GcHeap, ObjId};

use super::call::release;
use super::error::{PyResult, unsupported};
use super::object::{HashKey, Payload};
use super::ops::body;
use super::state;

/// The items of a set (borrowed), in order, with their keys.
fn items(h: &GcHeap, s: ObjId) -> Vec<(HashKey, ObjId)> {
    match body(h, s) {
        Payload::Set(set) => {
            let mut v: Vec<(HashKey, ObjId)> = set
                .index
                .iter()
                .map(|(k, &i)| (k.clone(), set.items[i].expect("indexed items are live")))
                .collect();
            v.sort_by_key(|(_, op)| {
                set.items
                    .iter()
                    .position(|x| *x == Some(*op))
                    .unwrap_or(usize::MAX)
            });
            v
        }
        _ => Vec::new(),
    }
}

/// The items of any iterable as a temporary set's content.
fn other_items(h: &mut GcHeap, v: ObjId) -> PyResult<Vec<(HashKey, ObjId)>> {
    if matches!(body(h, v), Payload::Set(_)) {
        return Ok(items(h, v));
    }
    let list = super::iter::collect(h, v)?;
    let mut out = Vec::new();
    for &i in &list {
        out.push((super::ops::hash_key(h, i)?, i));
    }
    // The references of `list` are dropped by the caller's set (which increfs what it keeps).
    let r = out.clone();
    release(h, list);
    Ok(r)
}

/// `a op b` for sets (`|`, `&`, `-`, `^`), or the method of the same name; a new set.
pub fn combine(h: &mut GcHeap, a: ObjId, b: ObjId, op: &str) -> PyResult<ObjId> {
    let left = items(h, a);
    let right = other_items(h, b)?;
    let in_right = |k: &HashKey| right.iter().any(|(r, _)| r == k);
    let in_left = |k: &HashKey| left.iter().any(|(l, _)| l == k);
    let mut keep: Vec<ObjId> = match op {
        "|" | "union" => left.iter().map(|(_, v)| *v).collect(),
        "&" | "intersection" => left
            .iter()
            .filter(|(k, _)| in_right(k))
            .map(|(_, v)| *v)
            .collect(),
        "-" | "difference" => left
            .iter()
            .filter(|(k, _)| !in_right(k))
            .map(|(_, v)| *v)
            .collect(),
        "^" | "symmetric_difference" => left
            .iter()
            .filter(|(k, _)| !in_right(k))
            .map(|(_, v)| *v)
            .collect(),
        _ => return unsupported(h, &format!("set.{op}")),
    };
    if matches!(op, "|" | "union" | "^" | "symmetric_difference") {
        keep.extend(right.iter().filter(|(k, _)| !in_left(k)).map(|(_, v)| *v));
    }
    let out = super::methods::new_set(h);
    for v in keep {
        super::methods::set_add(h, out, v)?;
    }
    Ok(out)
}

/// `a <= b` (`issubset`), `a >= b` (`issuperset`), `isdisjoint`.
pub fn compare(h: &mut GcHeap, a: ObjId, b: ObjId, op: &str) -> PyResult<ObjId> {
    let left = items(h, a);
    let right = other_items(h, b)?;
    let contains = |set: &[(HashKey, ObjId)], k: &HashKey| set.iter().any(|(x, _)| x == k);
    let r = match op {
        "issubset" => left.iter().all(|(k, _)| contains(&right, k)),
        "issuperset" => right.iter().all(|(k, _)| contains(&left, k)),
        _ => !left.iter().any(|(k, _)| contains(&right, k)),
    };
    Ok(state::new_bool(h, r))
}
