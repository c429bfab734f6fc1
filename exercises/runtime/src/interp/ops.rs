//! Types, truth, equality, hashing and the dict operations every other module uses (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::error::{PyResult, fail};
use super::object::{HashKey, Payload, PyObj};
use super::state;

/// The payload of `op` (borrowed from the heap).
pub fn body(h: &GcHeap, op: ObjId) -> &Payload {
    &h.payload::<PyObj>(op).body
}

/// The payload of `op`, to change.
pub fn body_mut(h: &mut GcHeap, op: ObjId) -> &mut Payload {
    &mut h.payload_mut::<PyObj>(op).body
}

/// `Py_TYPE(op)`: the class of `op` (borrowed).
pub fn type_of(h: &mut GcHeap, op: ObjId) -> ObjId {
    let name = match body(h, op) {
        Payload::Instance(i) => return i.class,
        Payload::Class(_) => "type",
        other => other.type_name(),
    };
    state::st(h)
        .builtins
        .get(name)
        .copied()
        .unwrap_or_else(|| state::builtin(h, "object"))
}

/// `PyType_IsSubtype`: is `cls` `base` or a subclass of it?
pub fn is_subclass(h: &GcHeap, cls: ObjId, base: ObjId) -> bool {
    if cls == base {
        return true;
    }
    match body(h, cls) {
        Payload::Class(c) => c.mro.contains(&base),
        _ => false,
    }
}

/// `cls.__name__`.
pub fn class_name(h: &GcHeap, cls: ObjId) -> Rc<str> {
    match body(h, cls) {
        Payload::Class(c) => c.name.clone(),
        other => Rc::from(other.type_name()),
    }
}

/// `isinstance(op, cls)`.
pub fn isinstance(h: &mut GcHeap, op: ObjId, cls: ObjId) -> bool {
    let t = type_of(h, op);
    is_subclass(h, t, cls) || (cls == state::builtin(h, "object"))
}

/// Looks `name` up in `cls` and its MRO (`_PyType_Lookup`): a borrowed reference.
pub fn class_lookup(h: &GcHeap, cls: ObjId, name: &str) -> Option<ObjId> {
    let Payload::Class(c) = body(h, cls) else {
        return None;
    };
    let find = |k: ObjId| match body(h, k) {
        Payload::Class(c) => c.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| *v),
        _ => None,
    };
    find(cls).or_else(|| c.mro.iter().find_map(|&k| find(k)))
}

/// `PyObject_IsTrue`.
pub fn truthy(h: &mut GcHeap, op: ObjId) -> PyResult<bool> {
    Ok(match body(h, op) {
        Payload::None => false,
        Payload::Bool(b) => *b,
        Payload::Int(v) => *v != 0,
        Payload::Float(f) => *f != 0.0,
        Payload::Str(s) => !s.is_empty(),
        Payload::Tuple(t) => !t.is_empty(),
        Payload::List(l) => !l.items.is_empty(),
        Payload::Dict(d) => !d.index.is_empty(),
        Payload::Set(s) => !s.index.is_empty(),
        Payload::Range { start, stop, step } => range_len(*start, *stop, *step) > 0,
        Payload::Instance(_) => {
            if let Some(r) = super::call::call_dunder(h, op, "__bool__", vec![])? {
                let b = truthy(h, r)?;
                h.decref(r);
                return Ok(b);
            }
            if let Some(r) = super::call::call_dunder(h, op, "__len__", vec![])? {
                let b = truthy(h, r)?;
                h.decref(r);
                return Ok(b);
            }
            true
        }
        _ => true,
    })
}

/// The number of items of `range(start, stop, step)`.
pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}

/// `PyObject_Hash`, as a key: `TypeError` for unhashable values.
pub fn hash_key(h: &mut GcHeap, op: ObjId) -> PyResult<HashKey> {
    Ok(match body(h, op) {
        Payload::None => HashKey::None,
        Payload::Bool(b) => HashKey::Int(i64::from(*b)),
        Payload::Int(v) => HashKey::Int(*v),
        Payload::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => HashKey::Int(*f as i64),
        Payload::Float(f) => HashKey::Float(f.to_bits()),
        Payload::Str(s) => HashKey::Str(s.clone()),
        Payload::Tuple(items) => {
            let items = items.clone();
            let mut keys = Vec::with_capacity(items.len());
            for i in items {
                keys.push(hash_key(h, i)?);
            }
            HashKey::Tuple(keys)
        }
        Payload::List(_) | Payload::Dict(_) | Payload::Set(_) => {
            let t = body(h, op).type_name();
            return fail(h, "TypeError", format!("unhashable type: '{t}'"));
        }
        Payload::Instance(_) => match super::call::call_dunder(h, op, "__hash__", vec![])? {
            Some(v) => {
                let i = super::builtins::int_arg(h, v);
                h.decref(v);
                HashKey::User(i?)
            }
            None => HashKey::Id(op),
        },
        _ => HashKey::Id(op),
    })
}

/// The key the `objects` dict model sees: strs stay strs (they decide the table's kind),
/// anything else becomes a distinct int.
pub fn model_key(key: &HashKey) -> objects::layout::PyValue {
    use objects::layout::PyValue;
    match key {
        HashKey::Str(s) => PyValue::Str(s.to_string()),
        HashKey::Int(v) => PyValue::Int(i128::from(*v)),
        HashKey::Float(bits) => PyValue::Int((1 << 70) + i128::from(*bits)),
        HashKey::Id(op) => PyValue::Int((1 << 90) + op.index() as i128),
        other => {
            use std::hash::{Hash, Hasher};
            let mut s = std::collections::hash_map::DefaultHasher::new();
            other.hash(&mut s);
            PyValue::Int((1 << 100) + i128::from(s.finish()))
        }
    }
}

/// `d[key]`, borrowed, or `None` if absent.
pub fn dict_get(h: &mut GcHeap, dict: ObjId, key: ObjId) -> PyResult<Option<ObjId>> {
    let k = hash_key(h, key)?;
    Ok(dict_get_key(h, dict, &k))
}

/// `d[key]` by hash key, borrowed.
pub fn dict_get_key(h: &GcHeap, dict: ObjId, k: &HashKey) -> Option<ObjId> {
    let Payload::Dict(d) = body(h, dict) else {
        return None;
    };
    d.index.get(k).and_then(|&i| d.entries[i].map(|(_, v)| v))
}

/// `d[name]` for a str key, borrowed.
pub fn dict_get_str(h: &GcHeap, dict: ObjId, name: &str) -> Option<ObjId> {
    dict_get_key(h, dict, &HashKey::Str(Rc::from(name)))
}

/// `d[key] = value` (both borrowed: the dict takes its own references).
pub fn dict_set(h: &mut GcHeap, dict: ObjId, key: ObjId, value: ObjId) -> PyResult<()> {
    let k = hash_key(h, key)?;
    h.incref(value);
    let old = {
        let Payload::Dict(d) = body_mut(h, dict) else {
            panic!("dict_set on a non-dict")
        };
        match d.index.get(&k) {
            Some(&i) => {
                let entry = d.entries[i].as_mut().expect("indexed entries are live");
                Some(std::mem::replace(&mut entry.1, value))
            }
            None => {
                d.model.insert(model_key(&k));
                d.index.insert(k, d.entries.len());
                d.entries.push(Some((key, value)));
                None
            }
        }
    };
    match old {
        Some(old) => h.decref(old),
        None => {
            h.incref(key);
            crate::memory::container_grew(h, dict);
        }
    }
    // MAINTAIN_TRACKING (Objects/dictobject.c): a dict is tracked once it may hold a cycle.
    if !h.is_tracked(dict)
        && (crate::memory::may_be_tracked(h, key) || crate::memory::may_be_tracked(h, value))
    {
        h.track(dict);
    }
    Ok(())
}

/// `d[name] = value` for a str key (value borrowed).
pub fn dict_set_str(h: &mut GcHeap, dict: ObjId, name: &str, value: ObjId) {
    let key = state::intern(h, name);
    dict_set(h, dict, key, value).expect("str keys hash");
    h.decref(key);
}

/// `del d[key]`: returns the removed value (a new reference to the caller), or `None`.
pub fn dict_pop(h: &mut GcHeap, dict: ObjId, k: &HashKey) -> Option<ObjId> {
    let Payload::Dict(d) = body_mut(h, dict) else {
        return None;
    };
    let i = d.index.remove(k)?;
    let (key, value) = d.entries[i].take().expect("indexed entries are live");
    d.model.remove(&model_key(k));
    if d.index.is_empty() {
        d.entries.clear();
    }
    h.decref(key);
    Some(value)
}

/// The live `(key, value)` pairs of a dict, borrowed, in order.
pub fn dict_items(h: &GcHeap, dict: ObjId) -> Vec<(ObjId, ObjId)> {
    match body(h, dict) {
        Payload::Dict(d) => d.entries.iter().flatten().copied().collect(),
        _ => Vec::new(),
    }
}

/// `PyObject_RichCompare(a, b, Py_EQ)` as a bool.
pub fn eq(h: &mut GcHeap, a: ObjId, b: ObjId) -> PyResult<bool> {
    if a == b {
        return Ok(true);
    }
    let (x, y) = (body(h, a), body(h, b));
    Ok(match (x, y) {
        (Payload::Str(x), Payload::Str(y)) => x == y,
        (Payload::Tuple(x), Payload::Tuple(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            let pairs: Vec<_> = x.iter().copied().zip(y.iter().copied()).collect();
            for (p, q) in pairs {
                if !eq(h, p, q)? {
                    return Ok(false);
                }
            }
            true
        }
        (Payload::List(x), Payload::List(y)) => {
            if x.items.len() != y.items.len() {
                return Ok(false);
            }
            let pairs: Vec<_> = x
                .items
                .iter()
                .copied()
                .zip(y.items.iter().copied())
                .collect();
            for (p, q) in pairs {
                if !eq(h, p, q)? {
                    return Ok(false);
                }
            }
            true
        }
        (Payload::Dict(_), Payload::Dict(_)) => {
            let (ia, ib) = (dict_items(h, a), dict_items(h, b));
            if ia.len() != ib.len() {
                return Ok(false);
            }
            for (k, v) in ia {
                match dict_get(h, b, k)? {
                    Some(w) if eq(h, v, w)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        (Payload::Instance(_), _) | (_, Payload::Instance(_)) => {
            if let Some(r) = super::call::call_dunder(h, a, "__eq__", vec![b])? {
                let t = truthy(h, r)?;
                h.decref(r);
                return Ok(t);
            }
            false
        }
        _ => match (number(x), number(y)) {
            (Some(p), Some(q)) => p == q,
            _ => match (hashable_atom(x), hashable_atom(y)) {
                (Some(p), Some(q)) => p == q,
                _ => false,
            },
        },
    })
}

/// A number's value as f64-comparable pair (int part exact when it is an int).
pub fn number(p: &Payload) -> Option<f64> {
    match p {
        Payload::Bool(b) => Some(f64::from(u8::from(*b))),
        Payload::Int(v) => Some(*v as f64),
        Payload::Float(f) => Some(*f),
        _ => None,
    }
}

fn hashable_atom(p: &Payload) -> Option<HashKey> {
    match p {
        Payload::None => Some(HashKey::None),
        _ => None,
    }
}
