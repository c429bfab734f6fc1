//! Iteration (given): `iter()`, `next()`, and collecting an iterable's items.

use collector::cycles::{GcHeap, ObjId};

use super::call::release;
use super::error::{PyResult, fail};
use super::object::{Payload, SetObj};
use super::ops::{self, body};
use super::state;

/// `iter(v)`: a new iterator object.
pub fn get_iter(h: &mut GcHeap, v: ObjId) -> PyResult<ObjId> {
    match body(h, v) {
        Payload::Instance(_) => {
            // The iteration protocol: __iter__ gives the iterator (itself, if it has __next__).
            match super::call::call_dunder(h, v, "__iter__", vec![])? {
                Some(it) => Ok(it),
                None => {
                    let cls = ops::type_of(h, v);
                    let t = ops::class_name(h, cls);
                    fail(h, "TypeError", format!("'{t}' object is not iterable"))
                }
            }
        }
        Payload::Range { start, stop, step } => {
            let (next, stop, step) = (*start, *stop, *step);
            Ok(crate::memory::new_object(
                h,
                Payload::RangeIter { next, stop, step },
            ))
        }
        Payload::List(_) | Payload::Tuple(_) | Payload::Str(_) => {
            h.incref(v);
            Ok(crate::memory::new_object(
                h,
                Payload::SeqIter { seq: v, index: 0 },
            ))
        }
        Payload::Dict(_) | Payload::Set(_) => {
            // Iterate over a snapshot of the keys (a list), as `list(d)` would.
            let keys = keys_of(h, v);
            for &k in &keys {
                h.incref(k);
            }
            let l = state::new_list(h, keys);
            let it = crate::memory::new_object(h, Payload::SeqIter { seq: l, index: 0 });
            Ok(it)
        }
        Payload::SeqIter { .. } | Payload::RangeIter { .. } => {
            h.incref(v);
            Ok(v)
        }
        _ => {
            let cls = ops::type_of(h, v);
            let t = ops::class_name(h, cls);
            fail(h, "TypeError", format!("'{t}' object is not iterable"))
        }
    }
}

/// The keys of a dict or the items of a set, borrowed, in order.
pub fn keys_of(h: &GcHeap, v: ObjId) -> Vec<ObjId> {
    match body(h, v) {
        Payload::Dict(d) => d.entries.iter().flatten().map(|(k, _)| *k).collect(),
        Payload::Set(SetObj { items, .. }) => items.iter().flatten().copied().collect(),
        _ => Vec::new(),
    }
}

/// `next(it)`: `Ok(None)` when exhausted.
pub fn iter_next(h: &mut GcHeap, it: ObjId) -> PyResult<Option<ObjId>> {
    if let Payload::Instance(_) = body(h, it) {
        return match super::call::call_dunder(h, it, "__next__", vec![]) {
            Ok(Some(v)) => Ok(Some(v)),
            Ok(None) => fail(h, "TypeError", "iter() returned non-iterator"),
            Err(e) => {
                let stop = state::builtin(h, "StopIteration");
                if super::error::matches(h, e.exc, stop) {
                    h.decref(e.exc);
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        };
    }
    let (seq, index) = match ops::body_mut(h, it) {
        Payload::RangeIter { next, stop, step } => {
            let v = *next;
            if (*step > 0 && v >= *stop) || (*step < 0 && v <= *stop) {
                return Ok(None);
            }
            *next += *step;
            return Ok(Some(state::new_int(h, v)));
        }
        Payload::SeqIter { seq, index } => {
            *index += 1;
            (*seq, *index - 1)
        }
        _ => return fail(h, "TypeError", "object is not an iterator"),
    };
    let item = match body(h, seq) {
        Payload::List(l) => l.items.get(index).copied(),
        Payload::Tuple(t) => t.get(index).copied(),
        Payload::Str(s) => match s.chars().nth(index) {
            Some(c) => return Ok(Some(state::new_str(h, &c.to_string()))),
            None => None,
        },
        _ => None,
    };
    if let Some(i) = item {
        h.incref(i);
    }
    Ok(item)
}

/// Every item of an iterable, as new references.
pub fn collect(h: &mut GcHeap, v: ObjId) -> PyResult<Vec<ObjId>> {
    let it = get_iter(h, v)?;
    let mut out = Vec::new();
    loop {
        match iter_next(h, it) {
            Ok(Some(i)) => out.push(i),
            Ok(None) => break,
            Err(e) => {
                release(h, out);
                h.decref(it);
                return Err(e);
            }
        }
    }
    h.decref(it);
    Ok(out)
}
