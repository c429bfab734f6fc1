//! Items (given): `obj[key]` get/set/delete, `in`, and the set and list helpers the evaluator uses.

use collector::cycles::{GcHeap, ObjId};

use super::call::release;
use super::error::{PyResult, fail};
use super::object::{Payload, SetObj};
use super::ops::{self, body, body_mut};

/// A new empty set.
pub fn new_set(h: &mut GcHeap) -> ObjId {
    crate::memory::new_object(h, Payload::Set(SetObj::default()))
}

/// `s.add(item)` (item borrowed).
pub fn set_add(h: &mut GcHeap, set: ObjId, item: ObjId) -> PyResult<()> {
    let k = ops::hash_key(h, item)?;
    let Payload::Set(s) = body_mut(h, set) else {
        panic!("set_add on a non-set")
    };
    if s.index.contains_key(&k) {
        return Ok(());
    }
    s.model.add(ops::model_key(&k));
    s.index.insert(k, s.items.len());
    s.items.push(Some(item));
    h.incref(item);
    crate::memory::container_grew(h, set);
    Ok(())
}

/// `l.append(item)` (item borrowed).
pub fn list_append(h: &mut GcHeap, list: ObjId, item: ObjId) {
    h.incref(item);
    if let Payload::List(l) = body_mut(h, list) {
        l.items.push(item);
        l.model.append();
    }
    crate::memory::container_grew(h, list);
}

/// `key in container`.
pub fn contains(h: &mut GcHeap, container: ObjId, key: ObjId) -> PyResult<bool> {
    match body(h, container) {
        Payload::Instance(_) => {
            match super::call::call_dunder(h, container, "__contains__", vec![key])? {
                Some(v) => {
                    let t = ops::truthy(h, v);
                    h.decref(v);
                    t
                }
                None => fail(h, "TypeError", "argument of type is not iterable"),
            }
        }
        Payload::Dict(_) => Ok(ops::dict_get(h, container, key)?.is_some()),
        Payload::Set(_) => {
            let k = ops::hash_key(h, key)?;
            let Payload::Set(s) = body(h, container) else {
                unreachable!()
            };
            Ok(s.index.contains_key(&k))
        }
        Payload::Str(s) => {
            let s = s.clone();
            let needle = super::text::str_of(h, key)?;
            Ok(s.contains(&needle))
        }
        _ => {
            let items = super::builtins::collect(h, container)?;
            let mut found = false;
            for &i in &items {
                if !found && ops::eq(h, i, key)? {
                    found = true;
                }
            }
            release(h, items);
            Ok(found)
        }
    }
}

/// `obj[key]`.
pub fn getitem(h: &mut GcHeap, obj: ObjId, key: ObjId) -> PyResult<ObjId> {
    super::seq::getitem(h, obj, key)
}

/// `obj[key] = value` (value borrowed).
pub fn setitem(h: &mut GcHeap, obj: ObjId, key: ObjId, value: ObjId) -> PyResult<()> {
    match body(h, obj) {
        Payload::Instance(_) => {
            match super::call::call_dunder(h, obj, "__setitem__", vec![key, value])? {
                Some(v) => {
                    h.decref(v);
                    Ok(())
                }
                None => fail(h, "TypeError", "object does not support item assignment"),
            }
        }
        Payload::Dict(_) => ops::dict_set(h, obj, key, value),
        Payload::List(l) => {
            let n = l.items.len() as i64;
            if matches!(body(h, key), Payload::Tuple(_)) {
                return assign_slice(h, obj, key, value);
            }
            let i = super::builtins::int_arg(h, key)?;
            let i = if i < 0 { i + n } else { i };
            if i < 0 || i >= n {
                return fail(h, "IndexError", "list assignment index out of range");
            }
            h.incref(value);
            let old = match body_mut(h, obj) {
                Payload::List(l) => std::mem::replace(&mut l.items[i as usize], value),
                _ => unreachable!(),
            };
            h.decref(old);
            Ok(())
        }
        other => {
            let t = other.type_name();
            fail(
                h,
                "TypeError",
                format!("'{t}' object does not support item assignment"),
            )
        }
    }
}

/// `del obj[key]`.
pub fn delitem(h: &mut GcHeap, obj: ObjId, key: ObjId) -> PyResult<()> {
    match body(h, obj) {
        Payload::Instance(_) => match super::call::call_dunder(h, obj, "__delitem__", vec![key])? {
            Some(v) => {
                h.decref(v);
                Ok(())
            }
            None => fail(h, "TypeError", "object doesn't support item deletion"),
        },
        Payload::Dict(_) => {
            let k = ops::hash_key(h, key)?;
            match ops::dict_pop(h, obj, &k) {
                Some(v) => {
                    h.decref(v);
                    Ok(())
                }
                None => Err(super::error::key_error(h, key)),
            }
        }
        Payload::List(l) => {
            let n = l.items.len() as i64;
            if let Some(picked) = super::seq::slice_bounds(h, key, n as usize)? {
                // list_ass_slice: the removed items are dropped last to first.
                let removed = match body_mut(h, obj) {
                    Payload::List(l) => {
                        let mut removed = Vec::new();
                        let mut sorted = picked;
                        sorted.sort_unstable();
                        for &at in sorted.iter().rev() {
                            removed.push(l.items.remove(at));
                        }
                        removed.reverse();
                        let len = l.items.len();
                        l.model.resize(len);
                        removed
                    }
                    _ => unreachable!(),
                };
                crate::memory::container_grew(h, obj);
                for v in removed.into_iter().rev() {
                    h.decref(v);
                }
                return Ok(());
            }
            let i = super::builtins::int_arg(h, key)?;
            let i = if i < 0 { i + n } else { i };
            if i < 0 || i >= n {
                return fail(h, "IndexError", "list assignment index out of range");
            }
            let old = match body_mut(h, obj) {
                Payload::List(l) => {
                    l.model.pop();
                    l.items.remove(i as usize)
                }
                _ => unreachable!(),
            };
            crate::memory::container_grew(h, obj);
            h.decref(old);
            Ok(())
        }
        other => {
            let t = other.type_name();
            fail(
                h,
                "TypeError",
                format!("'{t}' object doesn't support item deletion"),
            )
        }
    }
}

/// `l[a:b] = iterable` (`list_ass_slice`, step 1): the slice's items are replaced by the new
/// ones, the list resized once, and the old items dropped last to first.
fn assign_slice(h: &mut GcHeap, list: ObjId, key: ObjId, value: ObjId) -> PyResult<()> {
    let n = match body(h, list) {
        Payload::List(l) => l.items.len(),
        _ => 0,
    };
    let Some(picked) = super::seq::slice_bounds(h, key, n)? else {
        return fail(h, "TypeError", "list indices must be integers or slices");
    };
    let contiguous = picked.windows(2).all(|w| w[1] == w[0] + 1);
    if !contiguous {
        return super::error::unsupported(h, "assignment to an extended slice");
    }
    let new = super::iter::collect(h, value)?;
    let start = match (picked.first(), body(h, key)) {
        (Some(&i), _) => i,
        // An empty slice inserts at its start (clamped).
        (None, Payload::Tuple(parts)) => {
            let lower = parts[0];
            match body(h, lower) {
                Payload::Int(i) => {
                    let i = if *i < 0 { *i + n as i64 } else { *i };
                    i.clamp(0, n as i64) as usize
                }
                _ => 0,
            }
        }
        _ => 0,
    };
    let removed = match body_mut(h, list) {
        Payload::List(l) => {
            let old: Vec<ObjId> = l.items.splice(start..start + picked.len(), new).collect();
            let len = l.items.len();
            l.model.resize(len);
            old
        }
        _ => Vec::new(),
    };
    crate::memory::container_grew(h, list);
    for v in removed.into_iter().rev() {
        h.decref(v);
    }
    Ok(())
}
