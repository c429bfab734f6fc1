//! Attributes, items and the methods of the built-in types (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::call::{release, release_kwargs};
use super::error::{PyResult, fail};
use super::object::{HashKey, Payload};
use super::ops::{self, body, body_mut};
use super::state;

/// The methods of the built-in types this runtime has.
const METHODS: &[(&str, &[&str])] = &[
    (
        "list",
        &[
            "append", "pop", "extend", "insert", "remove", "clear", "index", "count", "sort",
            "reverse", "copy",
        ],
    ),
    (
        "dict",
        &[
            "get",
            "keys",
            "values",
            "items",
            "pop",
            "setdefault",
            "update",
            "clear",
            "copy",
        ],
    ),
    (
        "set",
        &[
            "add",
            "discard",
            "remove",
            "pop",
            "clear",
            "update",
            "union",
            "intersection",
            "difference",
            "symmetric_difference",
            "issubset",
            "issuperset",
            "isdisjoint",
            "copy",
        ],
    ),
    ("Snapshot", &["statistics", "compare_to"]),
    ("TextIOWrapper", &["write", "flush"]),
    ("StringIO", &["write", "getvalue", "flush"]),
    ("tuple", &["count", "index"]),
];

/// `obj.name`: a new reference, or `Ok(None)` if there is no such attribute.
pub fn find_attr(h: &mut GcHeap, obj: ObjId, name: &str) -> PyResult<Option<ObjId>> {
    let found = match body(h, obj) {
        Payload::Instance(i) if i.dict.is_some() && name != "__class__" => {
            let d = i.dict.expect("checked");
            if name == "__dict__" {
                Some(d)
            } else {
                ops::dict_get_str(h, d, name)
            }
        }
        Payload::Instance(i) => {
            if name == "__class__" {
                Some(i.class)
            } else if let Some((_, v)) = i.attrs.iter().find(|(n, _)| &**n == name) {
                Some(*v)
            } else if !i.slots.is_empty() {
                let cls = i.class;
                let slots = body(h, cls).as_class().slots.clone();
                match slots.iter().rposition(|s| &**s == name) {
                    Some(at) => match body(h, obj) {
                        Payload::Instance(i) => i.slots[at],
                        _ => None,
                    },
                    None => None,
                }
            } else {
                None
            }
        }
        Payload::Module { dict, .. } => ops::dict_get_str(h, *dict, name),
        Payload::Class(c) => {
            if name == "__name__" {
                let n = c.name.clone();
                return Ok(Some(state::new_str(h, &n)));
            }
            if name == "__mro__" {
                let mut items = vec![obj];
                items.extend(c.mro.iter().copied());
                for &i in &items {
                    h.incref(i);
                }
                return Ok(Some(state::new_tuple(h, items)));
            }
            ops::class_lookup(h, obj, name)
        }
        Payload::Super { class, this } => {
            let (class, this) = (*class, *this);
            let cls = ops::type_of(h, this);
            let mro = body(h, cls).as_class().mro.clone();
            let mut chain = vec![cls];
            chain.extend(mro);
            let after = chain.iter().position(|&k| k == class).map_or(0, |i| i + 1);
            let found = chain[after..].iter().find_map(|&k| match body(h, k) {
                Payload::Class(c) => c.attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| *v),
                _ => None,
            });
            return Ok(match found {
                Some(f) => Some(bind(h, f, this)?),
                None if name == "__init__" => {
                    let exception = state::builtin(h, "BaseException");
                    if ops::isinstance(h, this, exception) {
                        // BaseException.__init__(self, *args): `args` becomes the arguments.
                        h.incref(this);
                        Some(crate::memory::new_object(
                            h,
                            Payload::BuiltinMethod {
                                this,
                                name: Rc::from("__exc_init__"),
                            },
                        ))
                    } else {
                        Some(state::new_builtin(h, "object.__init__"))
                    }
                }
                None => None,
            });
        }
        Payload::WeakRef { proxy: true, .. } => {
            return match h.weakref_get(obj) {
                Some(target) => find_attr(h, target, name),
                None => fail(
                    h,
                    "ReferenceError",
                    "weakly-referenced object no longer exists",
                ),
            };
        }
        Payload::Statistic(_) | Payload::StatisticDiff(_) | Payload::TraceFrame(_) => {
            return Ok(super::tracing::attribute(h, obj, name));
        }
        Payload::Function(fo) if name == "__name__" => {
            let n = fo.code.name.clone();
            return Ok(Some(state::new_str(h, &n)));
        }
        Payload::Function(fo) if name == "__qualname__" => {
            let n = fo.qualname.clone();
            return Ok(Some(state::new_str(h, &n)));
        }
        _ => None,
    };
    if let Some(v) = found {
        h.incref(v);
        return Ok(Some(v));
    }
    // The class's attributes, bound to the instance when they are functions.
    let cls = ops::type_of(h, obj);
    if !matches!(body(h, obj), Payload::Class(_))
        && let Some(v) = ops::class_lookup(h, cls, name)
    {
        return Ok(Some(bind(h, v, obj)?));
    }
    if name == "__dict__"
        && let Payload::Instance(i) = body(h, obj)
        && !i.has_slots
    {
        {
            // make_dict_from_instance_attributes: the values move into a new dict, which the
            // instance keeps.
            let attrs = i.attrs.clone();
            let d = state::new_dict(h);
            for (k, v) in &attrs {
                ops::dict_set_str(h, d, k, *v);
            }
            if let Payload::Instance(i) = body_mut(h, obj) {
                i.attrs.clear();
                i.dict = Some(d);
            }
            for (_, v) in attrs {
                h.decref(v);
            }
            h.incref(d);
            return Ok(Some(d));
        }
    }
    let type_name = ops::class_name(h, cls);
    let is_method = METHODS
        .iter()
        .any(|(t, names)| **t == *type_name && names.contains(&name))
        || (&*type_name == "str" && super::strs::METHODS.contains(&name));
    if is_method {
        h.incref(obj);
        let m = crate::memory::new_object(
            h,
            Payload::BuiltinMethod {
                this: obj,
                name: Rc::from(name),
            },
        );
        return Ok(Some(m));
    }
    Ok(None)
}

/// How `obj.name(...)` is called (`_PyObject_GetMethod`).
pub enum MethodCall {
    /// A function of `obj`'s class, not shadowed by an instance attribute: call it with `obj`
    /// as the first argument (borrowed).
    Function(ObjId),
    /// A method of a built-in type (`list.append`): call it on `obj`.
    Builtin,
    /// Anything else: get the attribute, then call it.
    Attribute,
}

/// Decides how `obj.name(...)` is called, without making a bound method when CPython does not.
pub fn method_for_call(h: &mut GcHeap, obj: ObjId, name: &str) -> MethodCall {
    match body(h, obj) {
        Payload::Instance(i) => {
            let shadowed = i.attrs.iter().any(|(n, _)| &**n == name) || i.dict.is_some();
            let cls = i.class;
            match ops::class_lookup(h, cls, name) {
                Some(f) if !shadowed && matches!(body(h, f), Payload::Function(_)) => {
                    MethodCall::Function(f)
                }
                _ => MethodCall::Attribute,
            }
        }
        Payload::Class(_) | Payload::Module { .. } | Payload::Super { .. } => MethodCall::Attribute,
        other => {
            let type_name = other.type_name();
            if METHODS
                .iter()
                .any(|(t, names)| *t == type_name && names.contains(&name))
                || (type_name == "str" && super::strs::METHODS.contains(&name))
            {
                MethodCall::Builtin
            } else {
                MethodCall::Attribute
            }
        }
    }
}

/// A class attribute as seen from an instance: functions become bound methods, properties
/// call their getter.
fn bind(h: &mut GcHeap, v: ObjId, this: ObjId) -> PyResult<ObjId> {
    match body(h, v) {
        Payload::Property { fget } => {
            let fget = *fget;
            h.incref(fget);
            h.incref(this);
            let r = super::call::call_object(h, fget, vec![this], Vec::new());
            h.decref(fget);
            r
        }
        Payload::Function(_) => {
            h.incref(v);
            h.incref(this);
            Ok(crate::memory::new_object(
                h,
                Payload::Method { func: v, this },
            ))
        }
        _ => {
            h.incref(v);
            Ok(v)
        }
    }
}

/// `obj.name = value` (value borrowed).
pub fn set_attr(h: &mut GcHeap, obj: ObjId, name: &str, value: ObjId) -> PyResult<()> {
    match body(h, obj) {
        Payload::Instance(i) if i.dict.is_some() => {
            let d = i.dict.expect("checked");
            ops::dict_set_str(h, d, name, value);
            Ok(())
        }
        Payload::Instance(i)
            if i.has_slots
                || body(h, i.class)
                    .as_class()
                    .slots
                    .iter()
                    .any(|s| &**s == name) =>
        {
            let cls = i.class;
            let slots = body(h, cls).as_class().slots.clone();
            let Some(at) = slots.iter().rposition(|s| &**s == name) else {
                let n = ops::class_name(h, cls);
                return fail(
                    h,
                    "AttributeError",
                    format!("'{n}' object has no attribute '{name}'"),
                );
            };
            h.incref(value);
            let old = match body_mut(h, obj) {
                Payload::Instance(i) => i.slots[at].replace(value),
                _ => None,
            };
            if let Some(old) = old {
                h.decref(old);
            }
            Ok(())
        }
        Payload::Instance(i) => {
            // 3.11 keeps an instance's values in the order of its class's shared keys.
            let cls = i.class;
            let Payload::Class(c) = body_mut(h, cls) else {
                unreachable!("an instance's class is a class")
            };
            let rank = match c.shared_keys.iter().position(|k| &**k == name) {
                Some(r) => r,
                None => {
                    c.shared_keys.push(Rc::from(name));
                    c.shared_keys.len() - 1
                }
            };
            let keys = c.shared_keys.clone();
            h.incref(value);
            let old = {
                let Payload::Instance(i) = body_mut(h, obj) else {
                    unreachable!()
                };
                match i.attrs.iter_mut().find(|(n, _)| &**n == name) {
                    Some(slot) => Some(std::mem::replace(&mut slot.1, value)),
                    None => {
                        let at = i
                            .attrs
                            .iter()
                            .position(|(n, _)| keys.iter().position(|k| k == n) > Some(rank))
                            .unwrap_or(i.attrs.len());
                        i.attrs.insert(at, (Rc::from(name), value));
                        None
                    }
                }
            };
            if let Some(old) = old {
                h.decref(old);
            }
            Ok(())
        }
        Payload::Class(_) => {
            h.incref(value);
            let old = {
                let attrs = match body_mut(h, obj) {
                    Payload::Instance(i) => &mut i.attrs,
                    Payload::Class(c) => &mut c.attrs,
                    _ => unreachable!(),
                };
                match attrs.iter_mut().find(|(n, _)| &**n == name) {
                    Some(slot) => Some(std::mem::replace(&mut slot.1, value)),
                    None => {
                        attrs.push((Rc::from(name), value));
                        None
                    }
                }
            };
            if let Some(old) = old {
                h.decref(old);
            }
            Ok(())
        }
        Payload::Module { dict, .. } => {
            let d = *dict;
            ops::dict_set_str(h, d, name, value);
            Ok(())
        }
        other => {
            let t = other.type_name();
            fail(
                h,
                "AttributeError",
                format!("'{t}' object has no attribute '{name}'"),
            )
        }
    }
}

/// `del obj.name`.
pub fn del_attr(h: &mut GcHeap, obj: ObjId, name: &str) -> PyResult<()> {
    let cls = ops::type_of(h, obj);
    if let Payload::Instance(i) = body(h, obj)
        && let Some(d) = i.dict
    {
        let key = HashKey::Str(Rc::from(name));
        if let Some(v) = ops::dict_pop(h, d, &key) {
            h.decref(v);
            return Ok(());
        }
    }
    let slots = match body(h, obj) {
        Payload::Instance(i) => {
            let names = body(h, cls).as_class().slots.clone();
            names
                .iter()
                .rposition(|x| &**x == name)
                .map(|at| (at, i.has_slots))
        }
        _ => None,
    };
    let old = match body_mut(h, obj) {
        Payload::Instance(i) => match slots {
            Some((at, _)) => i.slots[at].take(),
            None => i
                .attrs
                .iter()
                .position(|(n, _)| &**n == name)
                .map(|at| i.attrs.remove(at).1),
        },
        Payload::Class(c) => c
            .attrs
            .iter()
            .position(|(n, _)| &**n == name)
            .map(|at| c.attrs.remove(at).1),
        _ => None,
    };
    match old {
        Some(v) => {
            h.decref(v);
            Ok(())
        }
        None => {
            let n = ops::class_name(h, cls);
            fail(
                h,
                "AttributeError",
                format!("'{n}' object has no attribute '{name}'"),
            )
        }
    }
}

/// Calls the built-in method `name` of `this` (taking over `args` and `kwargs`).
pub fn call_method(
    h: &mut GcHeap,
    this: ObjId,
    name: &str,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    let type_name = body(h, this).type_name();
    let r = super::arity::check(h, &format!("{type_name}.{name}"), args.len())
        .and_then(|()| super::seq::method(h, this, name, &args, &kwargs));
    release(h, args);
    release_kwargs(h, kwargs);
    r
}

/// The hash key of a dict key (exposed for `seq`).
pub fn key_of(h: &mut GcHeap, k: ObjId) -> PyResult<HashKey> {
    ops::hash_key(h, k)
}

pub use super::items::{contains, delitem, getitem, list_append, new_set, set_add, setitem};
