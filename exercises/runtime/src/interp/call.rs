//! Functions, classes, calls and attributes (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::{self, Expr};

use super::error::{Flow, PyResult, fail, unsupported};
use super::exec::{Frame, exec_body};
use super::expr::{eval, eval_all};
use super::object::Payload;
use super::ops::{self, body};
use super::state::{self, st};

/// Evaluates a call expression.
pub fn eval_call(h: &mut GcHeap, f: &mut Frame, c: &ast::ExprCall) -> PyResult<ObjId> {
    // super() without arguments: the class and `self` of the calling method.
    if let Expr::Name(n) = &*c.func
        && n.id.as_str() == "super"
        && c.args.is_empty()
    {
        return super::builtins::zero_arg_super(h, f);
    }
    // `obj.method(...)` is LOAD_METHOD + CALL: no bound-method object is made when the method
    // is a function of obj's class or a method of a built-in type.
    let (func, method) = match &*c.func {
        Expr::Attribute(a) => {
            let obj = eval(h, f, &a.value)?;
            match super::methods::method_for_call(h, obj, a.attr.as_str()) {
                super::methods::MethodCall::Function(func) => {
                    h.incref(func);
                    (func, Some(obj))
                }
                super::methods::MethodCall::Builtin => {
                    // `func` stands for the method here: it holds a reference of its own.
                    h.incref(obj);
                    (obj, Some(obj))
                }
                super::methods::MethodCall::Attribute => {
                    let r = getattr(h, obj, a.attr.as_str());
                    h.decref(obj);
                    (r?, None)
                }
            }
        }
        other => (eval(h, f, other)?, None),
    };
    let func_done = |h: &mut GcHeap| {
        h.decref(func);
        if let Some(obj) = method {
            h.decref(obj);
        }
    };
    let mut args = match eval_all(h, f, &c.args) {
        Ok(args) => args,
        Err(e) => {
            func_done(h);
            return Err(e);
        }
    };
    if let Some(obj) = method {
        // The object becomes the first argument (its reference moves into `args`).
        args.insert(0, obj);
    }
    let func_done = |h: &mut GcHeap| h.decref(func);
    let mut kwargs = Vec::new();
    for k in &c.keywords {
        let Some(name) = &k.arg else {
            release(h, args);
            h.decref(func);
            return unsupported(h, "**kwargs in a call");
        };
        match eval(h, f, &k.value) {
            Ok(v) => kwargs.push((Rc::from(name.as_str()), v)),
            Err(e) => {
                release(h, args);
                release_kwargs(h, kwargs);
                h.decref(func);
                return Err(e);
            }
        }
    }
    let r = match method {
        Some(obj) if obj == func => {
            // A built-in type's method: call it on its object directly.
            let name = match &*c.func {
                Expr::Attribute(a) => a.attr.as_str(),
                _ => unreachable!("a method call is an attribute call"),
            };
            let this = args.remove(0);
            let r = super::methods::call_method(h, this, name, args, kwargs);
            h.decref(this);
            r
        }
        _ => call_object(h, func, args, kwargs),
    };
    func_done(h);
    r
}

/// Drops every reference in `objs`.
pub fn release(h: &mut GcHeap, objs: Vec<ObjId>) {
    for o in objs {
        h.decref(o);
    }
}

/// Drops the values of keyword arguments.
pub fn release_kwargs(h: &mut GcHeap, kwargs: Vec<(Rc<str>, ObjId)>) {
    for (_, v) in kwargs {
        h.decref(v);
    }
}

/// `PyObject_Call(func, args, kwargs)`: takes over the references in `args` and `kwargs`.
pub fn call_object(
    h: &mut GcHeap,
    func: ObjId,
    mut args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    match body(h, func) {
        Payload::Function(_) => call_function(h, func, args, kwargs),
        Payload::Method { func: m, this } => {
            let (m, this) = (*m, *this);
            h.incref(this);
            args.insert(0, this);
            call_function(h, m, args, kwargs)
        }
        Payload::Builtin(b) => {
            let name = b.name.clone();
            super::builtins::call_builtin(h, &name, args, kwargs)
        }
        Payload::BuiltinMethod { this, name } => {
            let (this, name) = (*this, name.clone());
            super::methods::call_method(h, this, &name, args, kwargs)
        }
        Payload::WeakRef { proxy: false, .. } => {
            release(h, args);
            release_kwargs(h, kwargs);
            match h.weakref_get(func) {
                Some(r) => {
                    h.incref(r);
                    Ok(r)
                }
                None => Ok(state::none(h)),
            }
        }
        Payload::Instance(_) => {
            let cls = ops::type_of(h, func);
            match ops::class_lookup(h, cls, "__call__") {
                Some(m) => {
                    h.incref(m);
                    h.incref(func);
                    let mut full = vec![func];
                    full.extend(args);
                    let r = call_object(h, m, full, kwargs);
                    h.decref(m);
                    r
                }
                None => {
                    release(h, args);
                    release_kwargs(h, kwargs);
                    let name = ops::class_name(h, cls);
                    fail(h, "TypeError", format!("'{name}' object is not callable"))
                }
            }
        }
        Payload::Class(c) if c.builtin => super::builtins::call_type(h, func, args, kwargs),
        Payload::Class(_) => instantiate(h, func, args, kwargs),
        other => {
            let t = other.type_name();
            release(h, args);
            release_kwargs(h, kwargs);
            fail(h, "TypeError", format!("'{t}' object is not callable"))
        }
    }
}

/// Calls a Python function: binds the arguments, runs the body in a new frame.
pub fn call_function(
    h: &mut GcHeap,
    func: ObjId,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    let Payload::Function(fo) = body(h, func) else {
        unreachable!("call_function of a non-function")
    };
    let code = fo.code.clone();
    let globals = fo.globals;
    let defaults = fo.defaults.clone();
    let kwdefaults = fo.kwdefaults.clone();
    let closure = match fo.closure.map(|t| body(h, t)) {
        Some(Payload::Tuple(cells)) => cells.clone(),
        _ => Vec::new(),
    };
    let qualname = fo.qualname.clone();
    let mut locals: Vec<(Rc<str>, ObjId)> = Vec::new();
    let mut extra = Vec::new();
    for (i, a) in args.into_iter().enumerate() {
        match code.params.get(i) {
            Some(p) => locals.push((p.clone(), a)),
            None => extra.push(a),
        }
    }
    let mut error = None;
    if let Some(v) = &code.varargs {
        let t = state::new_tuple(h, std::mem::take(&mut extra));
        locals.push((v.clone(), t));
    } else if !extra.is_empty() {
        let n = code.params.len();
        let given = n + extra.len();
        let were = if given == 1 { "was" } else { "were" };
        let takes = if defaults.is_empty() {
            let plural = if n == 1 { "" } else { "s" };
            format!("{n} positional argument{plural}")
        } else {
            format!("from {} to {n} positional arguments", n - defaults.len())
        };
        error = Some(format!(
            "{}() takes {takes} but {given} {were} given",
            code.name
        ));
    }
    release(h, extra);
    let mut extra_kwargs = Vec::new();
    for (k, v) in kwargs {
        let known = code.params.contains(&k) || code.kwonly.contains(&k);
        if locals.iter().any(|(n, _)| *n == k) {
            error.get_or_insert(format!(
                "{}() got multiple values for argument '{k}'",
                code.name
            ));
            h.decref(v);
        } else if known {
            locals.push((k, v));
        } else if code.kwargs.is_some() {
            extra_kwargs.push((k, v));
        } else {
            error.get_or_insert(format!(
                "{}() got an unexpected keyword argument '{k}'",
                code.name
            ));
            h.decref(v);
        }
    }

    let first_default = code.params.len() - defaults.len();
    for (i, p) in code.params.iter().enumerate() {
        if locals.iter().any(|(n, _)| n == p) {
            continue;
        }
        if i >= first_default {
            let d = defaults[i - first_default];
            h.incref(d);
            locals.push((p.clone(), d));
        } else {
            error.get_or_insert(format!(
                "{}() missing 1 required positional argument: '{p}'",
                code.name
            ));
        }
    }
    for p in &code.kwonly {
        if !locals.iter().any(|(n, _)| n == p) {
            match kwdefaults.iter().find(|(n, _)| n == p) {
                Some((_, d)) => {
                    h.incref(*d);
                    locals.push((p.clone(), *d));
                }
                None => {
                    error.get_or_insert(format!(
                        "{}() missing 1 required keyword-only argument: '{p}'",
                        code.name
                    ));
                }
            }
        }
    }
    if let Some(v) = &code.kwargs {
        let d = state::new_dict(h);
        for (k, value) in extra_kwargs {
            ops::dict_set_str(h, d, &k, value);
            h.decref(value);
        }
        locals.push((v.clone(), d));
    }
    if let Some(msg) = error {
        release(h, locals.into_iter().map(|(_, v)| v).collect());
        return fail(h, "TypeError", msg);
    }
    // Cells: one per cell variable (holding the argument if it is one), and the closure's.
    let mut cells = Vec::new();
    for name in &code.cellvars {
        let value = locals
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| locals.remove(i).1);
        let cell = crate::memory::new_object(h, Payload::Cell(value));
        cells.push((name.clone(), cell));
    }
    for (name, &cell) in code.freevars.iter().zip(&closure) {
        h.incref(cell);
        cells.push((name.clone(), cell));
    }
    h.incref(globals);
    let enclosing = code.inner_scope.clone();
    let mut frame = Frame {
        globals,
        locals: Some(locals),
        cells,
        code: Some(code.clone()),
        name: code.name.clone(),
        line: code.line,
        enclosing,
        qualprefix: Rc::from(format!("{qualname}.<locals>.")),
    };
    let (depth, caller_line) = {
        let s = st(h);
        s.call_depth += 1;
        (s.call_depth, s.line)
    };
    // CPython's limit of 1000 frames counts the module's: the 1000th call fails.
    let result = if depth >= 1000 {
        fail(h, "RecursionError", "maximum recursion depth exceeded")
    } else {
        exec_body(h, &mut frame, &code.body)
    };
    st(h).call_depth -= 1;
    // Back in the caller: its line is the running one again (for tracemalloc).
    st(h).line = caller_line;
    if let Err(err) = &result {
        // PyTraceBack_Here: the exception's traceback keeps the frame, and so its variables,
        // alive until the exception dies.
        add_traceback(h, err.exc, &mut frame);
    }
    frame.release(h);
    h.decref(globals);
    match result? {
        Flow::Return(v) => Ok(v),
        _ => Ok(state::none(h)),
    }
}

/// Prepends a traceback entry to `exc.__traceback__` that owns `frame`'s variables (taken out of
/// the frame: the frame then releases nothing).
fn add_traceback(h: &mut GcHeap, exc: ObjId, frame: &mut Frame) {
    let mut held: Vec<ObjId> = frame
        .locals
        .take()
        .unwrap_or_default()
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    held.extend(std::mem::take(&mut frame.cells).into_iter().map(|(_, c)| c));
    let next = match body(h, exc) {
        Payload::Instance(i) => i
            .attrs
            .iter()
            .find(|(n, _)| &**n == "__traceback__")
            .map(|(_, t)| *t),
        _ => None,
    };
    if let Some(n) = next {
        h.incref(n);
    }
    let tb = crate::memory::new_object(h, Payload::Traceback { locals: held, next });
    let r = setattr(h, exc, "__traceback__", tb);
    debug_assert!(r.is_ok());
    h.decref(tb);
}

/// Calls `obj.name(*args)` if `obj`'s class defines `name` (a dunder method): `Ok(None)` if not.
pub fn call_dunder(
    h: &mut GcHeap,
    obj: ObjId,
    name: &str,
    args: Vec<ObjId>,
) -> PyResult<Option<ObjId>> {
    let cls = ops::type_of(h, obj);
    let Some(m) = ops::class_lookup(h, cls, name) else {
        return Ok(None);
    };
    if !matches!(body(h, m), Payload::Function(_)) {
        return Ok(None);
    }
    for &a in &args {
        h.incref(a);
    }
    h.incref(obj);
    let mut full = vec![obj];
    full.extend(args);
    h.incref(m);
    let r = call_function(h, m, full, Vec::new());
    h.decref(m);
    r.map(Some)
}

/// `getattr(obj, name)`.
pub fn getattr(h: &mut GcHeap, obj: ObjId, name: &str) -> PyResult<ObjId> {
    match super::methods::find_attr(h, obj, name)? {
        Some(v) => Ok(v),
        None => {
            let what = match body(h, obj) {
                Payload::Class(c) => format!("type object '{}'", c.name),
                Payload::Module { name: m, .. } => format!("module '{m}'"),
                _ => {
                    let cls = ops::type_of(h, obj);
                    format!("'{}' object", ops::class_name(h, cls))
                }
            };
            fail(
                h,
                "AttributeError",
                format!("{what} has no attribute '{name}'"),
            )
        }
    }
}

/// `obj.name = value` (value borrowed).
pub fn setattr(h: &mut GcHeap, obj: ObjId, name: &str, value: ObjId) -> PyResult<()> {
    super::methods::set_attr(h, obj, name, value)
}

/// `del obj.name`.
pub fn delattr(h: &mut GcHeap, obj: ObjId, name: &str) -> PyResult<()> {
    super::methods::del_attr(h, obj, name)
}

pub use super::define::{instantiate, instantiate_exception, make_class, make_function};
pub use super::flow::{comprehension, exec_try, raise_stmt};
pub use super::unraisable::{run_del, run_weakref_callback, write_unraisable};
