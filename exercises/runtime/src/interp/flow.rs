//! Exceptions and comprehensions (given): `raise`, `try`/`except`/`else`/`finally`, and the
//! list, set and dict comprehensions, each in a frame of its own.

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast;

use super::call::call_object;
use super::error::{Flow, PyErr, PyResult, fail};
use super::exec::{Frame, exec_body};
use super::expr::{Comp, eval};
use super::object::Payload;
use super::ops::{self, body};
use super::state;

/// `raise`, `raise E`, `raise E(...)`.
pub fn raise_stmt(h: &mut GcHeap, f: &mut Frame, r: &ast::StmtRaise) -> PyResult<PyErr> {
    let Some(e) = &r.exc else {
        return fail(h, "RuntimeError", "No active exception to reraise");
    };
    let v = eval(h, f, e)?;
    let exception = state::builtin(h, "BaseException");
    let exc = if matches!(body(h, v), Payload::Class(_)) && ops::is_subclass(h, v, exception) {
        let e = call_object(h, v, vec![], vec![]);
        h.decref(v);
        e?
    } else if ops::isinstance(h, v, exception) {
        v
    } else {
        h.decref(v);
        return fail(h, "TypeError", "exceptions must derive from BaseException");
    };
    Ok(PyErr {
        exc,
        traceback: Vec::new(),
    })
}

/// `try` / `except` / `else` / `finally`.
pub fn exec_try(h: &mut GcHeap, f: &mut Frame, t: &ast::StmtTry) -> PyResult<Flow> {
    let mut result = exec_body(h, f, &t.body);
    if let Err(err) = result {
        result = Err(err);
        for handler in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(hd) = handler;
            let Err(err) = &result else { break };
            let matched = match &hd.type_ {
                None => true,
                Some(ty) => {
                    let cls = eval(h, f, ty)?;
                    let classes = match body(h, cls) {
                        Payload::Tuple(items) => items.clone(),
                        _ => vec![cls],
                    };
                    let m = classes
                        .iter()
                        .any(|&c| super::error::matches(h, err.exc, c));
                    h.decref(cls);
                    m
                }
            };
            if !matched {
                continue;
            }
            let Err(err) = std::mem::replace(&mut result, Ok(Flow::Normal)) else {
                unreachable!()
            };
            if let Some(name) = &hd.name {
                super::exec::store(h, f, name.as_str(), err.exc)?;
            }
            // The handled exception stays alive (the thread's exc_info) until the handler ends.
            result = exec_body(h, f, &hd.body);
            if let Some(name) = &hd.name {
                // `except E as e` deletes `e` at the end of the handler.
                super::exec::forget(h, f, name.as_str());
            }
            h.decref(err.exc);
            break;
        }
    } else if !t.orelse.is_empty()
        && let Ok(Flow::Normal) = result
    {
        result = exec_body(h, f, &t.orelse);
    }
    if !t.finalbody.is_empty() {
        match exec_body(h, f, &t.finalbody)? {
            Flow::Normal => {}
            other => {
                match result {
                    Ok(Flow::Return(v)) => h.decref(v),
                    Err(e) => h.decref(e.exc),
                    _ => {}
                }
                return Ok(other);
            }
        }
    }
    result
}

/// A comprehension (3.11 runs it as a nested function; here, in a child frame that shares the
/// enclosing variables' cells).
pub fn comprehension(
    h: &mut GcHeap,
    f: &mut Frame,
    generators: &[ast::Comprehension],
    what: Comp,
) -> PyResult<ObjId> {
    let result = match what {
        Comp::List(_) => state::new_list(h, Vec::new()),
        Comp::Set(_) => super::methods::new_set(h),
        Comp::Dict(..) => state::new_dict(h),
    };
    // The first iterable is evaluated in the enclosing scope and passed in as `.0`.
    let Some((first, _)) = generators.split_first() else {
        return Ok(result);
    };
    let seq = eval(h, f, &first.iter).inspect_err(|_| h.decref(result))?;
    let it = super::builtins::get_iter(h, seq);
    h.decref(seq);
    let it = it.inspect_err(|_| h.decref(result))?;
    for (_, c) in &f.cells {
        h.incref(*c);
    }
    h.incref(f.globals);
    // A comprehension inside a comprehension (or a class body) sees the outer one's
    // variables: they are copied in (they cannot change while the inner one runs).
    let outer: Vec<(std::rc::Rc<str>, ObjId)> = match (&f.code, &f.locals) {
        (None, Some(locals)) => locals.clone(),
        _ => Vec::new(),
    };
    for (_, v) in &outer {
        h.incref(*v);
    }
    let mut child = Frame {
        globals: f.globals,
        locals: Some(outer),
        cells: f.cells.clone(),
        code: None,
        name: f.name.clone(),
        line: f.line,
        // Functions made inside see the comprehension's variables as enclosing names.
        enclosing: {
            let mut names = (*f.enclosing).clone();
            for g in generators {
                target_names(&g.target, &mut names);
            }
            std::rc::Rc::new(names)
        },
        qualprefix: f.qualprefix.clone(),
    };
    let r = comp_loop(h, &mut child, generators, &what, result, it);
    // The comprehension's frame is cleared on return: `.0` (the iterator) first, then its
    // variables.
    h.decref(it);
    child.release(h);
    h.decref(child.globals);
    r.inspect_err(|_| h.decref(result))?;
    Ok(result)
}

fn comp_level(
    h: &mut GcHeap,
    f: &mut Frame,
    generators: &[ast::Comprehension],
    what: &Comp,
    result: ObjId,
) -> PyResult<()> {
    let Some((g, _)) = generators.split_first() else {
        return match what {
            Comp::List(e) => {
                let v = eval(h, f, e)?;
                super::methods::list_append(h, result, v);
                h.decref(v);
                Ok(())
            }
            Comp::Set(e) => {
                let v = eval(h, f, e)?;
                let r = super::methods::set_add(h, result, v);
                h.decref(v);
                r
            }
            Comp::Dict(k, v) => {
                let key = eval(h, f, k)?;
                let value = eval(h, f, v).inspect_err(|_| h.decref(key))?;
                let r = ops::dict_set(h, result, key, value);
                h.decref(key);
                h.decref(value);
                r
            }
        };
    };
    let seq = eval(h, f, &g.iter)?;
    let it = super::builtins::get_iter(h, seq);
    h.decref(seq);
    let it = it?;
    let r = comp_loop(h, f, generators, what, result, it);
    h.decref(it);
    r
}

/// One generator's loop over the iterator `it` (borrowed).
fn comp_loop(
    h: &mut GcHeap,
    f: &mut Frame,
    generators: &[ast::Comprehension],
    what: &Comp,
    result: ObjId,
    it: ObjId,
) -> PyResult<()> {
    let (g, rest) = generators
        .split_first()
        .expect("comp_loop of one generator at least");
    while let Some(item) = super::builtins::iter_next(h, it)? {
        let r = super::exec::assign(h, f, &g.target, item);
        h.decref(item);
        r?;
        let mut keep = true;
        for cond in &g.ifs {
            let c = eval(h, f, cond)?;
            let t = ops::truthy(h, c);
            h.decref(c);
            if !t? {
                keep = false;
                break;
            }
        }
        if keep {
            comp_level(h, f, rest, what, result)?;
        }
    }
    Ok(())
}

/// The names a `for` target binds.
fn target_names(e: &ast::Expr, out: &mut std::collections::HashSet<std::rc::Rc<str>>) {
    match e {
        ast::Expr::Name(n) => {
            out.insert(std::rc::Rc::from(n.id.as_str()));
        }
        ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        ast::Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        ast::Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}
