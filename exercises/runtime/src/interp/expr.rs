//! Expressions (given): each returns a new reference.

use rustpython_parser::ast::{self, CmpOp, Constant, Expr, Operator, UnaryOp};

use collector::cycles::{GcHeap, ObjId};

use super::error::{PyResult, fail, unsupported};
use super::exec::{Frame, load};
use super::object::Payload;
use super::ops::{self, body};
use super::state;

/// Evaluates `e` in frame `f`.
pub fn eval(h: &mut GcHeap, f: &mut Frame, e: &Expr) -> PyResult<ObjId> {
    match e {
        Expr::Constant(c) if matches!(c.value, Constant::None | Constant::Bool(_)) => {
            constant(h, &c.value)
        }
        Expr::Constant(_) | Expr::Tuple(_) | Expr::BinOp(_) | Expr::UnaryOp(_) if foldable(e) => {
            folded_constant(h, f, e)
        }
        Expr::Constant(c) => constant(h, &c.value),
        Expr::Name(n) => load(h, f, n.id.as_str()),
        Expr::BinOp(b) => eval_binop(h, f, b),
        Expr::UnaryOp(u) => {
            let v = eval(h, f, &u.operand)?;
            let r = unary(h, u.op, v);
            h.decref(v);
            r
        }
        Expr::BoolOp(b) => {
            let mut v = eval(h, f, &b.values[0])?;
            for next in &b.values[1..] {
                let t = ops::truthy(h, v)?;
                let done = match b.op {
                    ast::BoolOp::And => !t,
                    ast::BoolOp::Or => t,
                };
                if done {
                    break;
                }
                h.decref(v);
                v = eval(h, f, next)?;
            }
            Ok(v)
        }
        Expr::Compare(c) => {
            let mut left = eval(h, f, &c.left)?;
            for (op, right) in c.ops.iter().zip(&c.comparators) {
                let right = eval(h, f, right).inspect_err(|_| h.decref(left))?;
                let r = compare(h, *op, left, right);
                h.decref(left);
                let ok = match r {
                    Ok(ok) => ok,
                    Err(e) => {
                        h.decref(right);
                        return Err(e);
                    }
                };
                if !ok {
                    h.decref(right);
                    return Ok(state::new_bool(h, false));
                }
                left = right;
            }
            h.decref(left);
            Ok(state::new_bool(h, true))
        }
        Expr::IfExp(i) => {
            let t = eval(h, f, &i.test)?;
            let b = ops::truthy(h, t);
            h.decref(t);
            if b? {
                eval(h, f, &i.body)
            } else {
                eval(h, f, &i.orelse)
            }
        }
        Expr::Tuple(t) => {
            let items = eval_all(h, f, &t.elts)?;
            Ok(state::new_tuple(h, items))
        }
        Expr::List(l) => {
            let items = eval_all(h, f, &l.elts)?;
            // The compiler builds a display of three or more constants as an empty list
            // extended by a constant tuple (BUILD_LIST 0, LIST_EXTEND): its capacity differs.
            if l.elts.len() > 2 && l.elts.iter().all(|e| matches!(e, Expr::Constant(_))) {
                let n = items.len();
                let list = state::new_list(h, Vec::new());
                if let Payload::List(lo) = ops::body_mut(h, list) {
                    lo.items = items;
                    lo.model.extend(n);
                }
                crate::memory::container_grew(h, list);
                return Ok(list);
            }
            Ok(state::new_list(h, items))
        }
        Expr::Set(s) => {
            let items = eval_all(h, f, &s.elts)?;
            let set = super::methods::new_set(h);
            let r = items
                .iter()
                .try_for_each(|&i| super::methods::set_add(h, set, i));
            for i in items {
                h.decref(i);
            }
            r.inspect_err(|_| h.decref(set))?;
            Ok(set)
        }
        Expr::Dict(d) => {
            let dict = state::new_dict(h);
            for (k, v) in d.keys.iter().zip(&d.values) {
                let Some(k) = k else {
                    h.decref(dict);
                    return unsupported(h, "** in a dict display");
                };
                let r = (|| {
                    let key = eval(h, f, k)?;
                    let value = eval(h, f, v).inspect_err(|_| h.decref(key))?;
                    let r = ops::dict_set(h, dict, key, value);
                    h.decref(key);
                    h.decref(value);
                    r
                })();
                r.inspect_err(|_| h.decref(dict))?;
            }
            Ok(dict)
        }
        Expr::Attribute(a) => {
            let obj = eval(h, f, &a.value)?;
            let r = super::call::getattr(h, obj, a.attr.as_str());
            h.decref(obj);
            r
        }
        Expr::Subscript(s) => {
            let obj = eval(h, f, &s.value)?;
            let key = eval(h, f, &s.slice).inspect_err(|_| h.decref(obj))?;
            let r = super::methods::getitem(h, obj, key);
            h.decref(obj);
            h.decref(key);
            r
        }
        Expr::Slice(s) => {
            let mut part = |e: &Option<Box<Expr>>| match e {
                Some(e) => eval(h, f, e),
                None => Ok(state::none(h)),
            };
            let lower = part(&s.lower)?;
            let upper = part(&s.upper)?;
            let step = part(&s.step)?;
            Ok(state::new_tuple(h, vec![lower, upper, step]))
        }
        Expr::Call(c) => super::call::eval_call(h, f, c),
        Expr::Lambda(l) => {
            let body = vec![ast::Stmt::Return(ast::StmtReturn {
                range: l.range,
                value: Some(l.body.clone()),
            })];
            super::call::make_function(h, f, "<lambda>", &l.args, &body, e as *const Expr as usize)
        }
        Expr::JoinedStr(j) => {
            let mut out = String::new();
            for part in &j.values {
                match part {
                    Expr::Constant(ast::ExprConstant {
                        value: Constant::Str(s),
                        ..
                    }) => out.push_str(s),
                    other => {
                        let v = eval(h, f, other)?;
                        let s = super::text::str_of(h, v);
                        h.decref(v);
                        out.push_str(&s?);
                    }
                }
            }
            Ok(state::new_str(h, &out))
        }
        Expr::FormattedValue(v) => {
            let value = eval(h, f, &v.value)?;
            let spec = match &v.format_spec {
                Some(spec) => {
                    let s = eval(h, f, spec).inspect_err(|_| h.decref(value))?;
                    let text = super::text::str_of(h, s);
                    h.decref(s);
                    text?
                }
                None => String::new(),
            };
            let r = super::text::format_value(h, value, v.conversion, &spec);
            h.decref(value);
            let s = r?;
            Ok(state::new_str(h, &s))
        }
        Expr::ListComp(c) => super::call::comprehension(h, f, &c.generators, Comp::List(&c.elt)),
        Expr::SetComp(c) => super::call::comprehension(h, f, &c.generators, Comp::Set(&c.elt)),
        Expr::DictComp(c) => {
            super::call::comprehension(h, f, &c.generators, Comp::Dict(&c.key, &c.value))
        }
        Expr::GeneratorExp(c) => {
            // A generator expression consumed at once (sum(x for x in ...)) behaves like a list
            // here: the runtime has no generators.
            super::call::comprehension(h, f, &c.generators, Comp::List(&c.elt))
        }
        Expr::Starred(_) => unsupported(h, "a starred expression here"),
        Expr::NamedExpr(n) => {
            let v = eval(h, f, &n.value)?;
            super::exec::assign(h, f, &n.target, v).inspect_err(|_| h.decref(v))?;
            Ok(v)
        }
        _ => unsupported(h, "this expression"),
    }
}

/// Would CPython's compiler make `e` a constant (`co_consts`)? Literals, tuples of constants,
/// and arithmetic on constants (the AST optimizer's constant folding, `fold_binop` in
/// Python/ast_opt.c, which refuses results that would be big: here, strings or tuples
/// repeated past 4096 items, and powers).
fn foldable(e: &Expr) -> bool {
    match e {
        Expr::Constant(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(foldable),
        Expr::UnaryOp(u) => matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) && foldable(&u.operand),
        Expr::BinOp(b) => {
            let small = match (&*b.left, &*b.right, b.op) {
                (_, _, Operator::Pow) => false,
                (_, Expr::Constant(c), Operator::Mult) | (Expr::Constant(c), _, Operator::Mult) => {
                    match &c.value {
                        Constant::Int(n) => i64::try_from(n).is_ok_and(|n| n <= 4096),
                        _ => true,
                    }
                }
                _ => true,
            };
            small && foldable(&b.left) && foldable(&b.right)
        }
        _ => false,
    }
}

/// A constant expression: made the first time it is evaluated, then the same object each time,
/// as the compiler stores it in the code object. A constant tuple made here does not count as
/// the program's allocation in generation 0 (the compiler made it before the program ran).
fn folded_constant(h: &mut GcHeap, f: &mut Frame, e: &Expr) -> PyResult<ObjId> {
    let key = e as *const Expr as usize;
    if let Some(&op) = state::st(h).constants.get(&key) {
        h.incref(op);
        return Ok(op);
    }
    let op = match e {
        Expr::Constant(c) => constant(h, &c.value)?,
        Expr::Tuple(t) => {
            let items = eval_all(h, f, &t.elts)?;
            let t = state::new_tuple(h, items);
            if h.is_gc(t) {
                h.gc_unlink();
            }
            t
        }
        Expr::UnaryOp(u) => {
            let v = eval(h, f, &u.operand)?;
            let r = unary(h, u.op, v);
            h.decref(v);
            r?
        }
        Expr::BinOp(b) => eval_binop(h, f, b)?,
        _ => unreachable!("foldable() said so"),
    };
    h.incref(op);
    state::st(h).constants.insert(key, op);
    Ok(op)
}

/// `left op right`, both evaluated first.
fn eval_binop(h: &mut GcHeap, f: &mut Frame, b: &ast::ExprBinOp) -> PyResult<ObjId> {
    let l = eval(h, f, &b.left)?;
    let r = eval(h, f, &b.right).inspect_err(|_| h.decref(l))?;
    let v = binop(h, b.op, l, r, false);
    h.decref(l);
    h.decref(r);
    v
}

/// What a comprehension builds.
pub enum Comp<'a> {
    /// `[elt for …]`.
    List(&'a Expr),
    /// `{elt for …}`.
    Set(&'a Expr),
    /// `{key: value for …}`.
    Dict(&'a Expr, &'a Expr),
}

/// Evaluates every expression, left to right (new references).
pub fn eval_all(h: &mut GcHeap, f: &mut Frame, es: &[Expr]) -> PyResult<Vec<ObjId>> {
    let mut out = Vec::with_capacity(es.len());
    for e in es {
        if let Expr::Starred(s) = e {
            let v = eval(h, f, &s.value)?;
            let items = super::builtins::collect(h, v);
            h.decref(v);
            out.extend(items?);
            continue;
        }
        match eval(h, f, e) {
            Ok(v) => out.push(v),
            Err(err) => {
                for v in out {
                    h.decref(v);
                }
                return Err(err);
            }
        }
    }
    Ok(out)
}

fn constant(h: &mut GcHeap, c: &Constant) -> PyResult<ObjId> {
    Ok(match c {
        Constant::None => state::none(h),
        Constant::Bool(b) => state::new_bool(h, *b),
        // The compiler interns str constants made of identifier characters (`all_name_chars`).
        Constant::Str(s) if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            state::intern(h, s)
        }
        Constant::Str(s) => state::new_str(h, s),
        Constant::Int(i) => match i64::try_from(i) {
            Ok(v) if v.unsigned_abs() < (1 << 62) => state::new_int(h, v),
            _ => return unsupported(h, "an int of 62 bits or more"),
        },
        Constant::Float(v) => state::new_float(h, *v),
        Constant::Tuple(items) => {
            let mut out = Vec::new();
            for i in items {
                out.push(constant(h, i)?);
            }
            state::new_tuple(h, out)
        }
        _ => return unsupported(h, "this constant"),
    })
}

fn unary(h: &mut GcHeap, op: UnaryOp, v: ObjId) -> PyResult<ObjId> {
    match (op, body(h, v)) {
        (UnaryOp::Not, _) => {
            let t = ops::truthy(h, v)?;
            Ok(state::new_bool(h, !t))
        }
        (UnaryOp::USub, Payload::Int(i)) => {
            let i = -*i;
            Ok(state::new_int(h, i))
        }
        (UnaryOp::USub, Payload::Bool(b)) => {
            let i = -i64::from(*b);
            Ok(state::new_int(h, i))
        }
        (UnaryOp::USub, Payload::Float(x)) => {
            let x = -*x;
            Ok(state::new_float(h, x))
        }
        (UnaryOp::UAdd, Payload::Int(_) | Payload::Float(_)) => {
            h.incref(v);
            Ok(v)
        }
        (UnaryOp::UAdd, Payload::Bool(b)) => {
            let i = i64::from(*b);
            Ok(state::new_int(h, i))
        }
        (UnaryOp::Invert, Payload::Bool(b)) => {
            let i = !i64::from(*b);
            Ok(state::new_int(h, i))
        }
        (UnaryOp::Invert, Payload::Int(i)) => {
            let i = !*i;
            Ok(state::new_int(h, i))
        }
        (_, Payload::Instance(_)) => {
            let name = match op {
                UnaryOp::USub => "__neg__",
                UnaryOp::UAdd => "__pos__",
                UnaryOp::Invert => "__invert__",
                UnaryOp::Not => unreachable!("handled above"),
            };
            match super::call::call_dunder(h, v, name, vec![])? {
                Some(r) => Ok(r),
                None => {
                    let cls = ops::type_of(h, v);
                    let t = ops::class_name(h, cls);
                    let sym = match op {
                        UnaryOp::USub => "-",
                        UnaryOp::UAdd => "+",
                        _ => "~",
                    };
                    fail(
                        h,
                        "TypeError",
                        format!("bad operand type for unary {sym}: '{t}'"),
                    )
                }
            }
        }
        _ => {
            let t = body(h, v).type_name();
            fail(
                h,
                "TypeError",
                format!("bad operand type for unary op: '{t}'"),
            )
        }
    }
}

/// `a op b` (both borrowed). `inplace`: `a op= b`, which extends a list in place.
pub fn binop(h: &mut GcHeap, op: Operator, a: ObjId, b: ObjId, inplace: bool) -> PyResult<ObjId> {
    super::arith::binop(h, op, a, b, inplace)
}

/// `a op b` for a comparison operator.
pub fn compare(h: &mut GcHeap, op: CmpOp, a: ObjId, b: ObjId) -> PyResult<bool> {
    match op {
        CmpOp::Is => Ok(a == b),
        CmpOp::IsNot => Ok(a != b),
        CmpOp::Eq => ops::eq(h, a, b),
        CmpOp::NotEq => Ok(!ops::eq(h, a, b)?),
        CmpOp::In => super::methods::contains(h, b, a),
        CmpOp::NotIn => Ok(!super::methods::contains(h, b, a)?),
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
            let ord = super::arith::order(h, a, b, op)?;
            Ok(match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::LtE => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
    }
}
