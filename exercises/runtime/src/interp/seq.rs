//! Indexing and the built-in types' methods (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::builtins::int_arg;
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::{self, body, body_mut};
use super::state;

fn index(h: &mut GcHeap, key: ObjId, n: usize, what: &str) -> PyResult<usize> {
    let i = int_arg(h, key)?;
    let j = if i < 0 { i + n as i64 } else { i };
    if j < 0 || j >= n as i64 {
        return fail(h, "IndexError", format!("{what} index out of range"));
    }
    Ok(j as usize)
}

/// The indices a slice (a `(start, stop, step)` tuple) selects, or `None` for a plain index.
pub fn slice_bounds(h: &mut GcHeap, key: ObjId, n: usize) -> PyResult<Option<Vec<usize>>> {
    let Payload::Tuple(parts) = body(h, key) else {
        return Ok(None);
    };
    let parts = parts.clone();
    let mut v = [None, None, None];
    for (i, &p) in parts.iter().enumerate() {
        if !matches!(body(h, p), Payload::None) {
            v[i] = Some(int_arg(h, p)?);
        }
    }
    let n = n as i64;
    let step = v[2].unwrap_or(1);
    if step == 0 {
        return fail(h, "ValueError", "slice step cannot be zero");
    }
    let clamp = |x: i64, lo: i64, hi: i64| {
        let x = if x < 0 { x + n } else { x };
        x.clamp(lo, hi)
    };
    let mut out = Vec::new();
    if step > 0 {
        let (a, b) = (
            clamp(v[0].unwrap_or(0), 0, n),
            clamp(v[1].unwrap_or(n), 0, n),
        );
        let mut i = a;
        while i < b {
            out.push(i as usize);
            i += step;
        }
    } else {
        let a = v[0].map_or(n - 1, |x| clamp(x, -1, n - 1));
        let b = v[1].map_or(-1, |x| clamp(x, -1, n - 1));
        let mut i = a;
        while i > b {
            out.push(i as usize);
            i += step;
        }
    }
    Ok(Some(out))
}

/// `obj[key]`.
pub fn getitem(h: &mut GcHeap, obj: ObjId, key: ObjId) -> PyResult<ObjId> {
    match body(h, obj) {
        Payload::Dict(_) => match ops::dict_get(h, obj, key)? {
            Some(v) => {
                h.incref(v);
                Ok(v)
            }
            None => Err(super::error::key_error(h, key)),
        },
        Payload::List(l) => {
            let items = l.items.clone();
            if let Some(idx) = slice_bounds(h, key, items.len())? {
                let picked: Vec<ObjId> = idx.into_iter().map(|i| items[i]).collect();
                picked.iter().for_each(|&i| h.incref(i));
                return Ok(state::new_list(h, picked));
            }
            let i = index(h, key, items.len(), "list")?;
            h.incref(items[i]);
            Ok(items[i])
        }
        Payload::Tuple(t) => {
            let items = t.clone();
            if let Some(idx) = slice_bounds(h, key, items.len())? {
                let picked: Vec<ObjId> = idx.into_iter().map(|i| items[i]).collect();
                picked.iter().for_each(|&i| h.incref(i));
                return Ok(state::new_tuple(h, picked));
            }
            let i = index(h, key, items.len(), "tuple")?;
            h.incref(items[i]);
            Ok(items[i])
        }
        Payload::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            if let Some(idx) = slice_bounds(h, key, chars.len())? {
                let s: String = idx.into_iter().map(|i| chars[i]).collect();
                return Ok(state::new_str(h, &s));
            }
            let i = index(h, key, chars.len(), "string")?;
            Ok(state::new_str(h, &chars[i].to_string()))
        }
        Payload::Range { start, step, stop } => {
            let (start, step, stop) = (*start, *step, *stop);
            let n = ops::range_len(start, stop, step) as usize;
            let i = index(h, key, n, "range object")?;
            Ok(state::new_int(h, start + step * i as i64))
        }
        Payload::Instance(_) => match super::call::call_dunder(h, obj, "__getitem__", vec![key])? {
            Some(v) => Ok(v),
            None => fail(h, "TypeError", "object is not subscriptable"),
        },
        other => {
            let t = other.type_name();
            fail(h, "TypeError", format!("'{t}' object is not subscriptable"))
        }
    }
}

/// `this.name(*args)` for a built-in type.
pub fn method(
    h: &mut GcHeap,
    this: ObjId,
    name: &str,
    args: &[ObjId],
    _kwargs: &[(Rc<str>, ObjId)],
) -> PyResult<ObjId> {
    let type_name = body(h, this).type_name();
    match (type_name, name) {
        ("list", "append") => {
            super::methods::list_append(h, this, args[0]);
            Ok(state::none(h))
        }
        ("list", "extend") => {
            let items = super::builtins::collect(h, args[0])?;
            let n = items.len();
            if let Payload::List(l) = body_mut(h, this) {
                l.items.extend(items);
                l.model.extend(n);
            }
            crate::memory::container_grew(h, this);
            Ok(state::none(h))
        }
        ("list", "insert") => {
            let n = match body(h, this) {
                Payload::List(l) => l.items.len() as i64,
                _ => 0,
            };
            let i = int_arg(h, args[0])?;
            let i = (if i < 0 { i + n } else { i }).clamp(0, n) as usize;
            h.incref(args[1]);
            if let Payload::List(l) = body_mut(h, this) {
                l.items.insert(i, args[1]);
                l.model.append();
            }
            crate::memory::container_grew(h, this);
            Ok(state::none(h))
        }
        ("list", "pop") => {
            let n = match body(h, this) {
                Payload::List(l) => l.items.len(),
                _ => 0,
            };
            if n == 0 {
                return fail(h, "IndexError", "pop from empty list");
            }
            let i = match args.first() {
                Some(&k) => index(h, k, n, "pop")?,
                None => n - 1,
            };
            let v = match body_mut(h, this) {
                Payload::List(l) => {
                    l.model.pop();
                    l.items.remove(i)
                }
                _ => unreachable!(),
            };
            crate::memory::container_grew(h, this);
            Ok(v)
        }
        ("list", "remove") | ("list" | "tuple", "index" | "count") => {
            let items = match body(h, this) {
                Payload::List(l) => l.items.clone(),
                Payload::Tuple(t) => t.clone(),
                _ => Vec::new(),
            };
            // index(x, start): the search starts at `start` (negative counts from the end).
            let start = match (name, args.get(1)) {
                ("index", Some(&s)) => {
                    let s = int_arg(h, s)?;
                    let n = items.len() as i64;
                    (if s < 0 { s + n } else { s }).clamp(0, n) as usize
                }
                _ => 0,
            };
            let mut hits = Vec::new();
            for (i, &x) in items.iter().enumerate().skip(start) {
                if ops::eq(h, x, args[0])? {
                    hits.push(i);
                }
            }
            match name {
                "count" => Ok(state::new_int(h, hits.len() as i64)),
                _ if hits.is_empty() => {
                    let msg = if name == "remove" {
                        "list.remove(x): x not in list".to_string()
                    } else {
                        let r = super::text::repr_of(h, args[0])?;
                        format!("{r} is not in list")
                    };
                    fail(h, "ValueError", msg)
                }
                "index" => Ok(state::new_int(h, hits[0] as i64)),
                _ => {
                    let v = match body_mut(h, this) {
                        Payload::List(l) => {
                            l.model.pop();
                            l.items.remove(hits[0])
                        }
                        _ => unreachable!(),
                    };
                    crate::memory::container_grew(h, this);
                    h.decref(v);
                    Ok(state::none(h))
                }
            }
        }
        ("list", "clear") => {
            let items = match body_mut(h, this) {
                Payload::List(l) => {
                    l.model.clear();
                    std::mem::take(&mut l.items)
                }
                _ => Vec::new(),
            };
            crate::memory::container_grew(h, this);
            for i in items.into_iter().rev() {
                h.decref(i);
            }
            Ok(state::none(h))
        }
        ("list", "reverse") => {
            if let Payload::List(l) = body_mut(h, this) {
                l.items.reverse();
            }
            Ok(state::none(h))
        }
        ("list", "sort") => {
            let items = match body(h, this) {
                Payload::List(l) => l.items.clone(),
                _ => Vec::new(),
            };
            for &i in &items {
                h.incref(i);
            }
            let sorted = super::convert::sort_values(h, items, _kwargs)?;
            let old = match body_mut(h, this) {
                Payload::List(l) => std::mem::replace(&mut l.items, sorted),
                _ => Vec::new(),
            };
            super::call::release(h, old);
            Ok(state::none(h))
        }
        ("list", "copy") => {
            let items = match body(h, this) {
                Payload::List(l) => l.items.clone(),
                _ => Vec::new(),
            };
            items.iter().for_each(|&i| h.incref(i));
            Ok(state::new_list(h, items))
        }
        ("dict", _) => super::dicts::dict_method(h, this, name, args, _kwargs),
        ("Snapshot", _) => super::tracing::snapshot_method(h, this, name, args),
        (_, "__exc_init__") => {
            args.iter().for_each(|&a| h.incref(a));
            let t = state::new_tuple(h, args.to_vec());
            let r = super::methods::set_attr(h, this, "args", t);
            h.decref(t);
            r?;
            Ok(state::none(h))
        }
        ("TextIOWrapper" | "StringIO", _) => super::modules::stream_method(h, this, name, args),
        ("set", "union" | "intersection" | "difference" | "symmetric_difference") => {
            super::sets::combine(h, this, args[0], name)
        }
        ("set", "issubset" | "issuperset" | "isdisjoint") => {
            super::sets::compare(h, this, args[0], name)
        }
        ("set", "copy") => {
            let empty = super::methods::new_set(h);
            let r = super::sets::combine(h, this, empty, "union");
            h.decref(empty);
            r
        }
        ("set", "add") => {
            super::methods::set_add(h, this, args[0])?;
            Ok(state::none(h))
        }
        ("set", "discard") | ("set", "remove") => {
            let k = ops::hash_key(h, args[0])?;
            let removed = match body_mut(h, this) {
                Payload::Set(s) => s.index.remove(&k).and_then(|i| s.items[i].take()),
                _ => None,
            };
            match removed {
                Some(v) => {
                    if let Payload::Set(s) = body_mut(h, this) {
                        s.model.discard(&ops::model_key(&k));
                    }
                    h.decref(v);
                }
                None if name == "remove" => {
                    return Err(super::error::key_error(h, args[0]));
                }
                None => {}
            }
            Ok(state::none(h))
        }
        ("str", "format") => {
            let s = super::text::str_of(h, this)?;
            let out = super::strs::format(h, &s, args, _kwargs)?;
            Ok(state::new_str(h, &out))
        }
        ("str", _) => {
            let s = super::text::str_of(h, this)?;
            super::strs::method(h, &s, name, args)
        }
        _ => unsupported(h, &format!("{type_name}.{name}")),
    }
}
