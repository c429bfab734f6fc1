//! Constructors of the built-in types, the sequence built-ins and dict methods (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::CmpOp;

use super::builtins::collect;
use super::call::release;
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::{self, body};
use super::state;

/// `int(x)`, `str(x)`, `list(x)`, … (args borrowed).
pub fn construct(h: &mut GcHeap, name: &str, args: &[ObjId]) -> PyResult<ObjId> {
    let arg = args.first().copied();
    match (name, arg) {
        ("object", None) => Ok(crate::memory::new_object(h, Payload::Object)),
        ("int", None) => Ok(state::new_int(h, 0)),
        ("int", Some(a)) if args.len() > 1 => {
            let base = super::builtins::int_arg(h, args[1])?;
            let text = super::text::str_of(h, a)?;
            let t = text.trim().to_lowercase();
            let digits = match base {
                16 => t.trim_start_matches("0x"),
                8 => t.trim_start_matches("0o"),
                2 => t.trim_start_matches("0b"),
                _ => t.as_str(),
            };
            match u32::try_from(base)
                .ok()
                .and_then(|b| i64::from_str_radix(digits, b).ok())
            {
                Some(v) => Ok(state::new_int(h, v)),
                None => fail(
                    h,
                    "ValueError",
                    format!(
                        "invalid literal for int() with base {base}: {}",
                        super::text::str_repr(&text)
                    ),
                ),
            }
        }
        ("int", Some(a)) => match body(h, a) {
            Payload::Int(i) => Ok(state::new_int(h, *i)),
            Payload::Bool(b) => Ok(state::new_int(h, i64::from(*b))),
            Payload::Float(f) if f.is_nan() => {
                fail(h, "ValueError", "cannot convert float NaN to integer")
            }
            Payload::Float(f) if f.is_infinite() => fail(
                h,
                "OverflowError",
                "cannot convert float infinity to integer",
            ),
            Payload::Float(f) if f.abs() >= (1u64 << 62) as f64 => {
                super::error::unsupported(h, "an int of 62 bits or more")
            }
            Payload::Float(f) => Ok(state::new_int(h, f.trunc() as i64)),
            Payload::Str(s) => match s.trim().parse::<i64>() {
                Ok(v) => Ok(state::new_int(h, v)),
                Err(_) => {
                    let r = super::text::str_repr(s);
                    fail(
                        h,
                        "ValueError",
                        format!("invalid literal for int() with base 10: {r}"),
                    )
                }
            },
            _ => fail(
                h,
                "TypeError",
                "int() argument must be a string or a number",
            ),
        },
        ("float", None) => Ok(state::new_float(h, 0.0)),
        ("float", Some(a)) => match body(h, a) {
            Payload::Str(s) => match s.trim().parse::<f64>() {
                Ok(v) => Ok(state::new_float(h, v)),
                Err(_) => fail(
                    h,
                    "ValueError",
                    format!(
                        "could not convert string to float: {}",
                        super::text::str_repr(s)
                    ),
                ),
            },
            p => match ops::number(p) {
                Some(v) => Ok(state::new_float(h, v)),
                None => fail(
                    h,
                    "TypeError",
                    "float() argument must be a string or a number",
                ),
            },
        },
        ("str", None) => Ok(state::new_str(h, "")),
        ("str", Some(a)) => {
            let s = super::text::str_of(h, a)?;
            Ok(state::new_str(h, &s))
        }
        ("bool", None) => Ok(state::new_bool(h, false)),
        ("bool", Some(a)) => {
            let t = ops::truthy(h, a)?;
            Ok(state::new_bool(h, t))
        }
        ("list", None) => Ok(state::new_list(h, Vec::new())),
        ("list", Some(a)) => {
            let items = collect(h, a)?;
            let n = items.len();
            let l = state::new_list(h, Vec::new());
            if let Payload::List(lo) = ops::body_mut(h, l) {
                lo.items = items;
                lo.model.extend(n);
            }
            crate::memory::container_grew(h, l);
            Ok(l)
        }
        ("tuple", None) => Ok(state::new_tuple(h, Vec::new())),
        ("tuple", Some(a)) => {
            let items = collect(h, a)?;
            Ok(state::new_tuple(h, items))
        }
        ("set", _) => {
            let s = super::methods::new_set(h);
            if let Some(a) = arg {
                let items = collect(h, a)?;
                let r = items
                    .iter()
                    .try_for_each(|&i| super::methods::set_add(h, s, i));
                release(h, items);
                r.inspect_err(|_| h.decref(s))?;
            }
            Ok(s)
        }
        ("dict", _) => {
            let d = state::new_dict(h);
            if let Some(a) = arg {
                let r = dict_update(h, d, a);
                r.inspect_err(|_| h.decref(d))?;
            }
            Ok(d)
        }
        ("type", Some(a)) => {
            let t = ops::type_of(h, a);
            h.incref(t);
            Ok(t)
        }
        _ => unsupported(h, &format!("{name}() with these arguments")),
    }
}

pub fn dict_update(h: &mut GcHeap, d: ObjId, from: ObjId) -> PyResult<()> {
    if matches!(body(h, from), Payload::Dict(_)) {
        for (k, v) in ops::dict_items(h, from) {
            ops::dict_set(h, d, k, v)?;
        }
        return Ok(());
    }
    let pairs = collect(h, from)?;
    let mut r = Ok(());
    for &p in &pairs {
        if r.is_err() {
            break;
        }
        r = (|| {
            let kv = collect(h, p)?;
            let res = if kv.len() == 2 {
                ops::dict_set(h, d, kv[0], kv[1])
            } else {
                fail(
                    h,
                    "ValueError",
                    "dictionary update sequence element has wrong length",
                )
            };
            release(h, kv);
            res
        })();
    }
    release(h, pairs);
    r
}

/// `sorted(items, key=…, reverse=…)`: takes over `items`' references, returns them sorted.
pub fn sort_values(
    h: &mut GcHeap,
    items: Vec<ObjId>,
    kwargs: &[(Rc<str>, ObjId)],
) -> PyResult<Vec<ObjId>> {
    let key = kwargs.iter().find(|(n, _)| &**n == "key").map(|(_, v)| *v);
    let reverse = match kwargs.iter().find(|(n, _)| &**n == "reverse") {
        Some((_, v)) => ops::truthy(h, *v)?,
        None => false,
    };
    let mut keyed = Vec::with_capacity(items.len());
    for &i in &items {
        let k = match key {
            Some(f) if !matches!(body(h, f), Payload::None) => {
                h.incref(i);
                super::call::call_object(h, f, vec![i], Vec::new())
            }
            _ => {
                h.incref(i);
                Ok(i)
            }
        };
        match k {
            Ok(k) => keyed.push(k),
            Err(e) => {
                release(h, keyed);
                release(h, items);
                return Err(e);
            }
        }
    }
    let mut idx: Vec<usize> = (0..items.len()).collect();
    let mut error = None;
    // Insertion sort keeps it stable and lets each comparison raise (lists are short here).
    for i in 1..idx.len() {
        let mut j = i;
        while j > 0 {
            let (a, b) = (keyed[idx[j - 1]], keyed[idx[j]]);
            let o = super::arith::order(h, a, b, CmpOp::Lt);
            let o = match o {
                Ok(o) => o,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            };
            let swap = if reverse { o.is_lt() } else { o.is_gt() };
            if !swap {
                break;
            }
            idx.swap(j - 1, j);
            j -= 1;
        }
    }
    release(h, keyed);
    if let Some(e) = error {
        release(h, items);
        return Err(e);
    }
    Ok(idx.into_iter().map(|i| items[i]).collect())
}
