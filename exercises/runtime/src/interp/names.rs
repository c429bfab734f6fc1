//! Variables (given): where a name lives (a cell, the frame's locals, the globals, the builtins)
//! and storing, loading and deleting it.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::Expr;

use super::error::{PyResult, fail, unsupported};
use super::exec::Frame;
use super::expr::eval;
use super::object::Payload;
use super::ops::{self, body};
use super::state;

/// `name = value` in frame `f` (value borrowed).
pub fn store(h: &mut GcHeap, f: &mut Frame, name: &str, value: ObjId) -> PyResult<()> {
    h.incref(value);
    if let Some(cell) = f.cell(name) {
        let old = match ops::body_mut(h, cell) {
            Payload::Cell(c) => c.replace(value),
            _ => None,
        };
        if let Some(old) = old {
            h.decref(old);
        }
        return Ok(());
    }
    if f.is_global(name) || f.locals.is_none() {
        let globals = f.globals;
        ops::dict_set_str(h, globals, name, value);
        h.decref(value);
        return Ok(());
    }
    let locals = f.locals.as_mut().expect("checked above");
    let old = match locals.iter_mut().find(|(n, _)| &**n == name) {
        Some(slot) => Some(std::mem::replace(&mut slot.1, value)),
        None => {
            locals.push((Rc::from(name), value));
            None
        }
    };
    if let Some(old) = old {
        h.decref(old);
    }
    Ok(())
}

/// Unbinds `name` if it is bound (the end of `except E as name`).
pub fn forget(h: &mut GcHeap, f: &mut Frame, name: &str) {
    if let Some(locals) = f.locals.as_mut() {
        if let Some(i) = locals.iter().position(|(n, _)| &**n == name) {
            let (_, v) = locals.remove(i);
            h.decref(v);
        }
        return;
    }
    let key = super::object::HashKey::Str(Rc::from(name));
    if let Some(v) = ops::dict_pop(h, f.globals, &key) {
        h.decref(v);
    }
}

/// Loads `name` (a new reference), or raises `NameError`.
pub fn load(h: &mut GcHeap, f: &Frame, name: &str) -> PyResult<ObjId> {
    if let Some(cell) = f.cell(name) {
        if let Payload::Cell(Some(v)) = body(h, cell) {
            let v = *v;
            h.incref(v);
            return Ok(v);
        }
        return fail(
            h,
            "NameError",
            format!("free variable '{name}' referenced before assignment in enclosing scope"),
        );
    }
    if !f.is_global(name)
        && let Some(locals) = &f.locals
    {
        if let Some((_, v)) = locals.iter().find(|(n, _)| &**n == name) {
            let v = *v;
            h.incref(v);
            return Ok(v);
        }
        if f.code.as_ref().is_some_and(|c| c.locals.contains(name)) {
            return fail(
                h,
                "UnboundLocalError",
                format!(
                    "cannot access local variable '{name}' where it is not associated with a value"
                ),
            );
        }
    }
    if let Some(v) = ops::dict_get_str(h, f.globals, name) {
        h.incref(v);
        return Ok(v);
    }
    if let Some(&v) = state::st(h).builtins.get(name) {
        h.incref(v);
        return Ok(v);
    }
    fail(h, "NameError", format!("name '{name}' is not defined"))
}

pub fn delete(h: &mut GcHeap, f: &mut Frame, target: &Expr) -> PyResult<()> {
    match target {
        Expr::Name(n) => {
            let name = n.id.as_str();
            if let Some(cell) = f.cell(name) {
                let old = match ops::body_mut(h, cell) {
                    Payload::Cell(c) => c.take(),
                    _ => None,
                };
                if let Some(old) = old {
                    h.decref(old);
                }
                return Ok(());
            }
            if !f.is_global(name)
                && let Some(locals) = f.locals.as_mut()
            {
                if let Some(i) = locals.iter().position(|(n, _)| &**n == name) {
                    let (_, v) = locals.remove(i);
                    h.decref(v);
                    return Ok(());
                }
                return fail(h, "NameError", format!("name '{name}' is not defined"));
            }
            let key = super::object::HashKey::Str(Rc::from(name));
            match ops::dict_pop(h, f.globals, &key) {
                Some(v) => {
                    h.decref(v);
                    Ok(())
                }
                None => fail(h, "NameError", format!("name '{name}' is not defined")),
            }
        }
        Expr::Attribute(a) => {
            let obj = eval(h, f, &a.value)?;
            let r = super::call::delattr(h, obj, a.attr.as_str());
            h.decref(obj);
            r
        }
        Expr::Subscript(s) => {
            let obj = eval(h, f, &s.value)?;
            let key = eval(h, f, &s.slice);
            let key = key.inspect_err(|_| h.decref(obj))?;
            let r = super::methods::delitem(h, obj, key);
            h.decref(obj);
            h.decref(key);
            r
        }
        Expr::Tuple(t) => t.elts.iter().try_for_each(|e| delete(h, f, e)),
        _ => unsupported(h, "this del target"),
    }
}
