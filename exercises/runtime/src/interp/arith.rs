//! Arithmetic and ordering (given).

use std::cmp::Ordering;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::{CmpOp, Operator};

use super::error::{PyResult, fail};
use super::object::Payload;
use super::ops::{self, body, body_mut};
use super::state;

fn op_symbol(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => "*",
        Operator::Div => "/",
        Operator::FloorDiv => "//",
        Operator::Mod => "%",
        Operator::Pow => "** or pow()",
        Operator::LShift => "<<",
        Operator::RShift => ">>",
        Operator::BitOr => "|",
        Operator::BitAnd => "&",
        Operator::BitXor => "^",
        Operator::MatMult => "@",
    }
}

fn int_of(p: &Payload) -> Option<i64> {
    match p {
        Payload::Int(i) => Some(*i),
        Payload::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn overflow<T>(h: &mut GcHeap) -> PyResult<T> {
    super::error::unsupported(h, "an int of 62 bits or more")
}

fn int_result(h: &mut GcHeap, v: Option<i64>) -> PyResult<ObjId> {
    match v {
        Some(v) if v.unsigned_abs() < (1 << 62) => Ok(state::new_int(h, v)),
        _ => overflow(h),
    }
}

/// `a op b`.
pub fn binop(h: &mut GcHeap, op: Operator, a: ObjId, b: ObjId, inplace: bool) -> PyResult<ObjId> {
    let (pa, pb) = (body(h, a), body(h, b));
    if let (Some(x), Some(y)) = (int_of(pa), int_of(pb)) {
        let r = match op {
            Operator::Add => x.checked_add(y),
            Operator::Sub => x.checked_sub(y),
            Operator::Mult => x.checked_mul(y),
            Operator::FloorDiv | Operator::Mod if y == 0 => {
                let msg = if op == Operator::Mod {
                    "integer modulo by zero"
                } else {
                    "integer division or modulo by zero"
                };
                return fail(h, "ZeroDivisionError", msg);
            }
            Operator::FloorDiv => Some(x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0)),
            Operator::Mod => Some(((x % y) + y) % y),
            Operator::Div => {
                if y == 0 {
                    return fail(h, "ZeroDivisionError", "division by zero");
                }
                return Ok(state::new_float(h, x as f64 / y as f64));
            }
            Operator::Pow if y < 0 && x == 0 => {
                return fail(
                    h,
                    "ZeroDivisionError",
                    "0.0 cannot be raised to a negative power",
                );
            }
            Operator::Pow if y < 0 => return Ok(state::new_float(h, (x as f64).powf(y as f64))),
            Operator::Pow => u32::try_from(y).ok().and_then(|y| x.checked_pow(y)),
            Operator::LShift => u32::try_from(y)
                .ok()
                .and_then(|y| x.checked_shl(y))
                .filter(|v| v >> y == x),
            Operator::RShift => Some(x >> y.min(63)),
            Operator::BitAnd => Some(x & y),
            Operator::BitOr => Some(x | y),
            Operator::BitXor => Some(x ^ y),
            Operator::MatMult => None,
        };
        return int_result(h, r);
    }
    if let (Some(x), Some(y)) = (ops::number(pa), ops::number(pb)) {
        let r = match op {
            Operator::Add => x + y,
            Operator::Sub => x - y,
            Operator::Mult => x * y,
            Operator::Div | Operator::FloorDiv | Operator::Mod if y == 0.0 => {
                return fail(h, "ZeroDivisionError", "float division by zero");
            }
            Operator::Div => x / y,
            Operator::FloorDiv => (x / y).floor(),
            Operator::Mod => x - y * (x / y).floor(),
            Operator::Pow if x == 0.0 && y < 0.0 => {
                return fail(
                    h,
                    "ZeroDivisionError",
                    "0.0 cannot be raised to a negative power",
                );
            }
            Operator::Pow if x.powf(y).is_infinite() && x.is_finite() && y.is_finite() => {
                return fail(h, "OverflowError", "(34, 'Numerical result out of range')");
            }
            Operator::Pow => x.powf(y),
            _ => return unsupported_operands(h, op, a, b),
        };
        return Ok(state::new_float(h, r));
    }
    match (op, pa, pb) {
        (Operator::Add, Payload::Str(x), Payload::Str(y)) => {
            let s = format!("{x}{y}");
            Ok(state::new_str(h, &s))
        }
        (Operator::Mult, Payload::Str(x), Payload::Int(n))
        | (Operator::Mult, Payload::Int(n), Payload::Str(x)) => {
            let s = x.repeat((*n).max(0) as usize);
            Ok(state::new_str(h, &s))
        }
        (Operator::Add, Payload::List(_), _) if inplace => {
            // list += iterable is list.extend(iterable).
            let items = super::iter::collect(h, b)?;
            let n = items.len();
            if let Payload::List(l) = body_mut(h, a) {
                l.items.extend(items);
                l.model.extend(n);
            }
            crate::memory::container_grew(h, a);
            h.incref(a);
            Ok(a)
        }
        (Operator::Add, Payload::List(x), Payload::List(y)) => {
            let items: Vec<ObjId> = x.items.iter().chain(&y.items).copied().collect();
            items.iter().for_each(|&i| h.incref(i));
            Ok(state::new_list(h, items))
        }
        (Operator::Add, Payload::Tuple(x), Payload::Tuple(y)) => {
            let items: Vec<ObjId> = x.iter().chain(y).copied().collect();
            items.iter().for_each(|&i| h.incref(i));
            Ok(state::new_tuple(h, items))
        }
        (Operator::Mult, Payload::List(x), Payload::Int(n))
            if (*n as i128) * (x.items.len() as i128) > (1 << 31) =>
        {
            fail(h, "MemoryError", "")
        }
        (Operator::Mult, Payload::List(x), Payload::Int(n)) => {
            let items: Vec<ObjId> = (0..(*n).max(0)).flat_map(|_| x.items.clone()).collect();
            items.iter().for_each(|&i| h.incref(i));
            Ok(state::new_list(h, items))
        }
        (
            Operator::BitOr | Operator::BitAnd | Operator::Sub | Operator::BitXor,
            Payload::Set(_),
            Payload::Set(_),
        ) => {
            let name = match op {
                Operator::BitOr => "|",
                Operator::BitAnd => "&",
                Operator::Sub => "-",
                _ => "^",
            };
            super::sets::combine(h, a, b, name)
        }
        (Operator::Mod, Payload::Str(_), _) => {
            super::error::unsupported(h, "%-formatting of strs (use an f-string)")
        }
        (_, Payload::Instance(_), _) | (_, _, Payload::Instance(_)) => {
            dunder_binop(h, op, a, b, inplace)
        }
        _ => unsupported_operands(h, op, a, b),
    }
}

/// The method names of an operator: (`__add__`, `__radd__`, `__iadd__`).
fn dunder_names(op: Operator) -> (&'static str, &'static str, &'static str) {
    match op {
        Operator::Add => ("__add__", "__radd__", "__iadd__"),
        Operator::Sub => ("__sub__", "__rsub__", "__isub__"),
        Operator::Mult => ("__mul__", "__rmul__", "__imul__"),
        Operator::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        Operator::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        Operator::Mod => ("__mod__", "__rmod__", "__imod__"),
        Operator::Pow => ("__pow__", "__rpow__", "__ipow__"),
        Operator::MatMult => ("__matmul__", "__rmatmul__", "__imatmul__"),
        Operator::BitAnd => ("__and__", "__rand__", "__iand__"),
        Operator::BitOr => ("__or__", "__ror__", "__ior__"),
        Operator::BitXor => ("__xor__", "__rxor__", "__ixor__"),
        Operator::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        Operator::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
    }
}

/// `a op b` with an instance on either side: `__iop__` (for `op=`), then `__op__` of `a`, then
/// `__rop__` of `b` (a result of `NotImplemented` is not modelled: a missing method is).
fn dunder_binop(
    h: &mut GcHeap,
    op: Operator,
    a: ObjId,
    b: ObjId,
    inplace: bool,
) -> PyResult<ObjId> {
    let (name, rname, iname) = dunder_names(op);
    if inplace
        && matches!(body(h, a), Payload::Instance(_))
        && let Some(v) = super::call::call_dunder(h, a, iname, vec![b])?
    {
        return Ok(v);
    }
    if matches!(body(h, a), Payload::Instance(_))
        && let Some(v) = super::call::call_dunder(h, a, name, vec![b])?
    {
        return Ok(v);
    }
    if matches!(body(h, b), Payload::Instance(_))
        && let Some(v) = super::call::call_dunder(h, b, rname, vec![a])?
    {
        return Ok(v);
    }
    unsupported_operands(h, op, a, b)
}

fn unsupported_operands(h: &mut GcHeap, op: Operator, a: ObjId, b: ObjId) -> PyResult<ObjId> {
    let ta = ops::type_of(h, a);
    let tb = ops::type_of(h, b);
    let (na, nb) = (ops::class_name(h, ta), ops::class_name(h, tb));
    let sym = op_symbol(op);
    fail(
        h,
        "TypeError",
        format!("unsupported operand type(s) for {sym}: '{na}' and '{nb}'"),
    )
}

/// The order of `a` and `b` for `<`, `<=`, `>`, `>=` (and `sorted`).
pub fn order(h: &mut GcHeap, a: ObjId, b: ObjId, op: CmpOp) -> PyResult<Ordering> {
    let (pa, pb) = (body(h, a), body(h, b));
    if let (Some(x), Some(y)) = (int_of(pa), int_of(pb)) {
        return Ok(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (ops::number(pa), ops::number(pb)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (pa, pb) {
        (Payload::Str(x), Payload::Str(y)) => Ok(x.cmp(y)),
        (Payload::Tuple(x), Payload::Tuple(y)) => {
            let (x, y) = (x.clone(), y.clone());
            seq_order(h, &x, &y, op)
        }
        (Payload::List(x), Payload::List(y)) => {
            let (x, y) = (x.items.clone(), y.items.clone());
            seq_order(h, &x, &y, op)
        }
        (Payload::Instance(_), _) => match super::call::call_dunder(h, a, "__lt__", vec![b])? {
            Some(r) => {
                let lt = ops::truthy(h, r);
                h.decref(r);
                Ok(if lt? {
                    Ordering::Less
                } else {
                    Ordering::Greater
                })
            }
            None => no_order(h, a, b, op),
        },
        _ => no_order(h, a, b, op),
    }
}

fn seq_order(h: &mut GcHeap, x: &[ObjId], y: &[ObjId], op: CmpOp) -> PyResult<Ordering> {
    for (&p, &q) in x.iter().zip(y) {
        if !ops::eq(h, p, q)? {
            return order(h, p, q, op);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

fn no_order(h: &mut GcHeap, a: ObjId, b: ObjId, op: CmpOp) -> PyResult<Ordering> {
    let ta = ops::type_of(h, a);
    let tb = ops::type_of(h, b);
    let (na, nb) = (ops::class_name(h, ta), ops::class_name(h, tb));
    let sym = match op {
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        _ => ">=",
    };
    fail(
        h,
        "TypeError",
        format!("'{sym}' not supported between instances of '{na}' and '{nb}'"),
    )
}
