//! Constructors of the built-in types, the sequence built-ins and dict methods (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::CmpOp;

use super::builtins::{collect, int_arg};
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

/// `sorted`, `sum`, `min`, `max`, `abs`, `round`, `enumerate`, `zip`, `reversed`, `any`,
/// `all`, `divmod`, `chr`, `ord` (args borrowed).
pub fn builtin_sequence_function(
    h: &mut GcHeap,
    name: &str,
    args: &[ObjId],
    kwargs: &[(Rc<str>, ObjId)],
) -> PyResult<ObjId> {
    match name {
        "sorted" => {
            let items = collect(h, args[0])?;
            let sorted = sort_values(h, items, kwargs)?;
            let n = sorted.len();
            let l = state::new_list(h, Vec::new());
            if let Payload::List(lo) = ops::body_mut(h, l) {
                lo.items = sorted;
                lo.model.extend(n);
            }
            crate::memory::container_grew(h, l);
            Ok(l)
        }
        "reversed" => {
            let mut items = collect(h, args[0])?;
            items.reverse();
            let l = state::new_list(h, items);
            let it = super::builtins::get_iter(h, l);
            h.decref(l);
            it
        }
        "sum" => {
            // One item at a time, as builtin_sum_impl iterates: the items need not all exist
            // at once (sum(range(n)) keeps only the running total).
            let it = super::iter::get_iter(h, args[0])?;
            let mut total = match args.get(1) {
                Some(&s) => {
                    h.incref(s);
                    s
                }
                None => state::new_int(h, 0),
            };
            let r = loop {
                let item = match super::iter::iter_next(h, it) {
                    Ok(Some(item)) => item,
                    Ok(None) => break Ok(total),
                    Err(e) => break Err(e),
                };
                let t = super::arith::binop(
                    h,
                    rustpython_parser::ast::Operator::Add,
                    total,
                    item,
                    false,
                );
                h.decref(item);
                h.decref(total);
                match t {
                    Ok(t) => total = t,
                    Err(e) => break Err(e),
                }
            };
            h.decref(it);
            r
        }
        "min" | "max" => {
            let items = if args.len() == 1 {
                collect(h, args[0])?
            } else {
                args.iter().for_each(|&a| h.incref(a));
                args.to_vec()
            };
            let default = kwargs
                .iter()
                .find(|(k, _)| &**k == "default")
                .map(|(_, v)| *v);
            if let (true, Some(d)) = (items.is_empty(), default) {
                h.incref(d);
                return Ok(d);
            }
            if items.is_empty() {
                return fail(
                    h,
                    "ValueError",
                    format!("{name}() arg is an empty sequence"),
                );
            }
            // min_max: one pass, keeping the first of equal extremes, comparing keys.
            let key = kwargs
                .iter()
                .find(|(k, _)| &**k == "key")
                .map(|(_, v)| *v)
                .filter(|&k| !matches!(body(h, k), Payload::None));
            let key_of = |h: &mut GcHeap, item: ObjId| -> PyResult<ObjId> {
                h.incref(item);
                match key {
                    Some(f) => super::call::call_object(h, f, vec![item], Vec::new()),
                    None => Ok(item),
                }
            };
            let r = (|| {
                let mut best = items[0];
                let mut best_key = key_of(h, best)?;
                for &item in &items[1..] {
                    let k = key_of(h, item)?;
                    let ord = super::arith::order(h, k, best_key, CmpOp::Lt);
                    let better = match ord {
                        Ok(o) if name == "max" => o.is_gt(),
                        Ok(o) => o.is_lt(),
                        Err(e) => {
                            h.decref(k);
                            h.decref(best_key);
                            return Err(e);
                        }
                    };
                    if better {
                        h.decref(best_key);
                        best_key = k;
                        best = item;
                    } else {
                        h.decref(k);
                    }
                }
                h.decref(best_key);
                h.incref(best);
                Ok(best)
            })();
            release(h, items);
            r
        }
        "abs" => match body(h, args[0]) {
            Payload::Int(i) => {
                let v = i.abs();
                Ok(state::new_int(h, v))
            }
            Payload::Float(f) => {
                let v = f.abs();
                Ok(state::new_float(h, v))
            }
            _ => fail(h, "TypeError", "bad operand type for abs()"),
        },
        "round" => {
            let x = ops::number(body(h, args[0])).unwrap_or(0.0);
            let is_int = matches!(body(h, args[0]), Payload::Int(_) | Payload::Bool(_));
            match args
                .get(1)
                .filter(|&&n| !matches!(body(h, n), Payload::None))
            {
                // round(int, n) stays an int; a negative n rounds to tens, hundreds, ...
                Some(&n) if is_int => {
                    let n = int_arg(h, n)?;
                    let v = int_arg(h, args[0])?;
                    if n >= 0 {
                        return Ok(state::new_int(h, v));
                    }
                    let unit = 10f64.powi((-n) as i32);
                    let r = ((v as f64) / unit).round_ties_even() * unit;
                    Ok(state::new_int(h, r as i64))
                }
                Some(&n) => {
                    let n = int_arg(h, n)?;
                    if n < 0 {
                        let unit = 10f64.powi((-n) as i32);
                        return Ok(state::new_float(h, (x / unit).round_ties_even() * unit));
                    }
                    let s = format!("{x:.*}", n as usize);
                    Ok(state::new_float(h, s.parse().unwrap_or(x)))
                }
                None => {
                    let r = x.round_ties_even();
                    Ok(state::new_int(h, r as i64))
                }
            }
        }
        "enumerate" | "zip" => {
            let lists: Vec<Vec<ObjId>> = if name == "enumerate" {
                vec![collect(h, args[0])?]
            } else {
                let mut ls = Vec::new();
                for &a in args {
                    ls.push(collect(h, a)?);
                }
                ls
            };
            let start_arg = args.get(1).copied().or_else(|| {
                kwargs
                    .iter()
                    .find(|(k, _)| &**k == "start")
                    .map(|(_, v)| *v)
            });
            let start = match (name, start_arg) {
                ("enumerate", Some(s)) => int_arg(h, s)?,
                _ => 0,
            };
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            let mut tuples = Vec::new();
            for i in 0..n {
                let mut t = Vec::new();
                if name == "enumerate" {
                    t.push(state::new_int(h, start + i as i64));
                }
                for l in &lists {
                    h.incref(l[i]);
                    t.push(l[i]);
                }
                tuples.push(state::new_tuple(h, t));
            }
            for l in lists {
                release(h, l);
            }
            let l = state::new_list(h, tuples);
            let it = super::builtins::get_iter(h, l);
            h.decref(l);
            it
        }
        "any" | "all" => {
            let items = collect(h, args[0])?;
            let mut r = name == "all";
            for &i in &items {
                let t = ops::truthy(h, i)?;
                if name == "any" && t {
                    r = true;
                }
                if name == "all" && !t {
                    r = false;
                }
            }
            release(h, items);
            Ok(state::new_bool(h, r))
        }
        "divmod" => {
            let q = super::arith::binop(
                h,
                rustpython_parser::ast::Operator::FloorDiv,
                args[0],
                args[1],
                false,
            )?;
            let m = super::arith::binop(
                h,
                rustpython_parser::ast::Operator::Mod,
                args[0],
                args[1],
                false,
            )?;
            Ok(state::new_tuple(h, vec![q, m]))
        }
        "chr" => {
            let v = int_arg(h, args[0])?;
            let Some(c) = u32::try_from(v).ok().and_then(char::from_u32) else {
                return fail(h, "ValueError", "chr() arg not in range(0x110000)");
            };
            Ok(state::new_str(h, &c.to_string()))
        }
        "ord" => {
            let s = super::text::str_of(h, args[0])?;
            let c = s.chars().next().map_or(0, |c| c as i64);
            Ok(state::new_int(h, c))
        }
        _ => unsupported(h, &format!("the built-in {name}()")),
    }
}
