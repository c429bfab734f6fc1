//! The methods of dicts (given).

use collector::cycles::{GcHeap, ObjId};

use super::error::{PyResult, unsupported};
use super::object::Payload;
use super::ops;
use super::state;

/// The methods of dicts (args borrowed).
pub fn dict_method(
    h: &mut GcHeap,
    d: ObjId,
    name: &str,
    args: &[ObjId],
    kwargs: &[(std::rc::Rc<str>, ObjId)],
) -> PyResult<ObjId> {
    match name {
        "get" => match ops::dict_get(h, d, args[0])? {
            Some(v) => {
                h.incref(v);
                Ok(v)
            }
            None => match args.get(1) {
                Some(&v) => {
                    h.incref(v);
                    Ok(v)
                }
                None => Ok(state::none(h)),
            },
        },
        "setdefault" => {
            if ops::dict_get(h, d, args[0])?.is_none() {
                let v = match args.get(1) {
                    Some(&v) => {
                        h.incref(v);
                        v
                    }
                    None => state::none(h),
                };
                ops::dict_set(h, d, args[0], v)?;
                h.decref(v);
            }
            let v = ops::dict_get(h, d, args[0])?.expect("just set");
            h.incref(v);
            Ok(v)
        }
        "pop" => {
            let k = ops::hash_key(h, args[0])?;
            match ops::dict_pop(h, d, &k) {
                Some(v) => Ok(v),
                None => match args.get(1) {
                    Some(&v) => {
                        h.incref(v);
                        Ok(v)
                    }
                    None => Err(super::error::key_error(h, args[0])),
                },
            }
        }
        "keys" | "values" | "items" => {
            let pairs = ops::dict_items(h, d);
            let mut out = Vec::new();
            for (k, v) in pairs {
                h.incref(k);
                h.incref(v);
                out.push(match name {
                    "keys" => {
                        h.decref(v);
                        k
                    }
                    "values" => {
                        h.decref(k);
                        v
                    }
                    _ => state::new_tuple(h, vec![k, v]),
                });
            }
            Ok(state::new_list(h, out))
        }
        "update" => {
            if let Some(&from) = args.first() {
                super::convert::dict_update(h, d, from)?;
            }
            for (k, v) in kwargs {
                ops::dict_set_str(h, d, k, *v);
            }
            Ok(state::none(h))
        }
        "clear" => {
            // dict_clear: the keys table goes back to the shared empty one.
            let entries = match ops::body_mut(h, d) {
                Payload::Dict(dict) => {
                    dict.index.clear();
                    dict.model.clear();
                    std::mem::take(&mut dict.entries)
                }
                _ => Vec::new(),
            };
            crate::memory::container_grew(h, d);
            for (k, v) in entries.into_iter().flatten() {
                h.decref(k);
                h.decref(v);
            }
            Ok(state::none(h))
        }
        "copy" => {
            let c = state::new_dict(h);
            super::convert::dict_update(h, c, d)?;
            Ok(c)
        }
        _ => unsupported(h, &format!("dict.{name}")),
    }
}
