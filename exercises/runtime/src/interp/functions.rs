//! The built-in functions over sequences and numbers (given): `sorted`, `sum`, `min`, `max`,
//! `round`, `enumerate`, `zip`, `map`, `filter`, `pow`, `format`, …

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::CmpOp;

use super::builtins::{collect, int_arg};
use super::call::release;
use super::convert::sort_values;
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::{self, body};
use super::state;

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
        "map" | "filter" => {
            // Eager, then iterated: the results are the same for programs that consume them
            // once (CPython's map and filter are lazy iterators).
            let func = args[0];
            let items = collect(h, args[1])?;
            let mut out = Vec::new();
            let mut err = None;
            for &i in &items {
                h.incref(i);
                let f = if name == "filter" && matches!(body(h, func), Payload::None) {
                    h.incref(i);
                    Ok(i)
                } else {
                    super::call::call_object(h, func, vec![i], Vec::new())
                };
                match f {
                    Ok(v) if name == "map" => out.push(v),
                    Ok(v) => {
                        let keep = ops::truthy(h, v);
                        h.decref(v);
                        match keep {
                            Ok(true) => {
                                h.incref(i);
                                out.push(i);
                            }
                            Ok(false) => {}
                            Err(e) => {
                                err = Some(e);
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            release(h, items);
            if let Some(e) = err {
                release(h, out);
                return Err(e);
            }
            let l = state::new_list(h, out);
            let it = super::iter::get_iter(h, l);
            h.decref(l);
            it
        }
        "hex" | "bin" | "oct" => {
            let v = int_arg(h, args[0])?;
            let (sign, m) = (if v < 0 { "-" } else { "" }, v.unsigned_abs());
            let s = match name {
                "hex" => format!("{sign}0x{m:x}"),
                "bin" => format!("{sign}0b{m:b}"),
                _ => format!("{sign}0o{m:o}"),
            };
            Ok(state::new_str(h, &s))
        }
        "pow" => {
            if let Some(&m) = args.get(2) {
                let (b, e, m) = (int_arg(h, args[0])?, int_arg(h, args[1])?, int_arg(h, m)?);
                if m == 0 {
                    return fail(h, "ValueError", "pow() 3rd argument cannot be 0");
                }
                let mut r: i128 = 1;
                let mut base = i128::from(b).rem_euclid(i128::from(m));
                let mut e = e;
                while e > 0 {
                    if e & 1 == 1 {
                        r = r * base % i128::from(m);
                    }
                    base = base * base % i128::from(m);
                    e >>= 1;
                }
                return Ok(state::new_int(h, r as i64));
            }
            super::arith::binop(
                h,
                rustpython_parser::ast::Operator::Pow,
                args[0],
                args[1],
                false,
            )
        }
        "format" => {
            let spec = match args.get(1) {
                Some(&s) => super::text::str_of(h, s)?,
                None => String::new(),
            };
            let s = if spec.is_empty() {
                super::text::str_of(h, args[0])?
            } else {
                super::format::format_spec(h, args[0], &spec)?
            };
            Ok(state::new_str(h, &s))
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
