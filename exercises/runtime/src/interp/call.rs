//! Functions, classes, calls and attributes (given).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::{self, Expr, Stmt};

use super::code::Code;
use super::error::{Flow, PyErr, PyResult, fail, unsupported};
use super::exec::{Frame, exec_body};
use super::expr::{Comp, eval, eval_all};
use super::object::{ClassObj, FuncObj, InstanceObj, Payload};
use super::ops::{self, body};
use super::state::{self, State, st};

/// `MAKE_FUNCTION`: a function object for `def name(args): body` defined in frame `f`.
pub fn make_function(
    h: &mut GcHeap,
    f: &mut Frame,
    name: &str,
    args: &ast::Arguments,
    body_: &[Stmt],
    node: usize,
) -> PyResult<ObjId> {
    let code = match st(h).codes.get(&node) {
        Some(code) => code.clone(),
        None => {
            let line = f.line;
            let code = Rc::new(Code::new(
                name,
                args,
                body_.to_vec().into(),
                &f.enclosing,
                line,
            ));
            st(h).codes.insert(node, code.clone());
            code
        }
    };
    let mut defaults = Vec::new();
    for a in args.posonlyargs.iter().chain(&args.args) {
        if let Some(d) = &a.default {
            defaults.push(eval(h, f, d)?);
        }
    }
    let mut kwdefaults = Vec::new();
    for a in &args.kwonlyargs {
        if let Some(d) = &a.default {
            kwdefaults.push((Rc::from(a.def.arg.as_str()), eval(h, f, d)?));
        }
    }
    let mut closure = Vec::new();
    for name in &code.freevars {
        let cell = f
            .cells
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .expect("a free variable's cell exists in the enclosing frame");
        h.incref(cell);
        closure.push(cell);
    }
    let closure = (!closure.is_empty()).then(|| state::new_tuple(h, closure));
    h.incref(f.globals);
    let func = FuncObj {
        code,
        globals: f.globals,
        defaults,
        kwdefaults,
        closure,
        qualname: Rc::from(format!("{}{name}", f.qualprefix)),
    };
    Ok(crate::memory::new_object(h, Payload::Function(func)))
}

/// Runs a class body and makes the class (`__build_class__` + `type.__new__`).
pub fn make_class(h: &mut GcHeap, f: &mut Frame, c: &ast::StmtClassDef) -> PyResult<ObjId> {
    if !c.decorator_list.is_empty() || !c.keywords.is_empty() {
        return unsupported(h, "a class decorator or keyword");
    }
    let mut bases = eval_all(h, f, &c.bases)?;
    if bases.is_empty() {
        bases.push(state::builtin(h, "object"));
        h.incref(bases[0]);
    }
    let mut ns = Frame {
        globals: f.globals,
        locals: Some(Vec::new()),
        cells: f.cells.clone(),
        code: None,
        name: Rc::from(c.name.as_str()),
        line: f.line,
        enclosing: f.enclosing.clone(),
        qualprefix: Rc::from(format!("{}{}.", f.qualprefix, c.name.as_str())),
    };
    for (_, cell) in &ns.cells {
        h.incref(*cell);
    }
    h.incref(ns.globals);
    let result = exec_body(h, &mut ns, &c.body);
    let attrs = ns.locals.take().unwrap_or_default();
    ns.release(h);
    h.decref(ns.globals);
    if let Err(e) = result {
        for (_, v) in attrs {
            h.decref(v);
        }
        for b in bases {
            h.decref(b);
        }
        return Err(e);
    }
    // The MRO: C3 linearisation is enough for the hierarchies programs write.
    let mut seqs: Vec<Vec<ObjId>> = bases
        .iter()
        .map(|&b| {
            let mut l = vec![b];
            l.extend(body(h, b).as_class().mro.iter().copied());
            l
        })
        .collect();
    seqs.push(bases.clone());
    let mut mro = Vec::new();
    while seqs.iter().any(|s| !s.is_empty()) {
        let head = seqs
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s[0])
            .find(|&cand| !seqs.iter().any(|s| s.iter().skip(1).any(|&x| x == cand)));
        let Some(head) = head else {
            for b in bases {
                h.decref(b);
            }
            return fail(
                h,
                "TypeError",
                "Cannot create a consistent method resolution order (MRO)",
            );
        };
        mro.push(head);
        for s in &mut seqs {
            if s.first() == Some(&head) {
                s.remove(0);
            }
        }
    }
    for &m in &mro {
        h.incref(m);
    }
    let (slots, own_slots, has_dict) = match class_slots(h, &attrs, &bases) {
        Ok(s) => s,
        Err(e) => {
            release(h, mro);
            release(h, bases);
            release(h, attrs.into_iter().map(|(_, v)| v).collect());
            return Err(e);
        }
    };
    let own_weakref = match attrs.iter().find(|(n, _)| &**n == "__slots__") {
        None => true,
        Some(&(_, s)) => {
            let names = super::builtins::collect(h, s)?;
            let mut found = false;
            for n in names {
                found |= matches!(body(h, n), Payload::Str(t) if &**t == "__weakref__");
                h.decref(n);
            }
            found
        }
    };
    let weakref_slot = has_dict
        || own_weakref
        || mro
            .iter()
            .any(|&m| matches!(body(h, m), Payload::Class(c) if c.weakref_slot && !c.builtin));
    let class = ClassObj {
        name: Rc::from(c.name.as_str()),
        bases,
        mro,
        attrs,
        slots,
        own_slots,
        has_dict,
        shared_keys: Vec::new(),
        weakref_slot,
        builtin: false,
    };
    Ok(crate::memory::new_object(h, Payload::Class(class)))
}

/// What a class's `__slots__` make of its instances' layout: every slot name (the bases'
/// first, then its own, sorted), how many are its own, and whether instances have a `__dict__`.
/// Bases with slots must share one "solid base", else CPython's `best_base` refuses the class.
fn class_slots(
    h: &mut GcHeap,
    attrs: &[(Rc<str>, ObjId)],
    bases: &[ObjId],
) -> PyResult<(Vec<Rc<str>>, usize, bool)> {
    // The solid base: the base whose layout (slots) the others must extend.
    let mut winner: Option<ObjId> = None;
    for &b in bases {
        let candidate = solid_base(h, b);
        winner = match winner {
            None => Some(candidate),
            Some(w) if ops::is_subclass(h, w, candidate) => Some(w),
            Some(w) if ops::is_subclass(h, candidate, w) => Some(candidate),
            Some(_) => {
                return fail(
                    h,
                    "TypeError",
                    "multiple bases have instance lay-out conflict",
                );
            }
        };
    }
    let mut names: Vec<Rc<str>> = Vec::new();
    let mut has_dict = false;
    for &b in bases {
        let c = body(h, b).as_class();
        has_dict |= c.has_dict;
        if names.is_empty() {
            names = c.slots.clone();
        }
    }
    let Some(&(_, own)) = attrs.iter().find(|(n, _)| &**n == "__slots__") else {
        return Ok((names, 0, true));
    };
    let items = super::builtins::collect(h, own)?;
    // type_new sorts a class's own slot names (`PyList_Sort(newslots)` in typeobject.c), so
    // their members, and the order they are cleared in, are alphabetical.
    let mut own_names = Vec::new();
    for i in items {
        let name = super::text::str_of(h, i);
        h.decref(i);
        let name = name?;
        match name.as_str() {
            "__dict__" => has_dict = true,
            "__weakref__" => {}
            _ => own_names.push(Rc::<str>::from(name)),
        }
    }
    own_names.sort();
    let own = own_names.len();
    names.extend(own_names);
    Ok((names, own, has_dict))
}

/// `solid_base`: the nearest class of `cls`'s chain whose own slots changed the layout.
fn solid_base(h: &GcHeap, cls: ObjId) -> ObjId {
    match body(h, cls) {
        Payload::Class(c) if c.own_slots > 0 || c.bases.is_empty() => cls,
        Payload::Class(c) => solid_base(h, c.bases[0]),
        _ => cls,
    }
}

/// Evaluates a call expression.
pub fn eval_call(h: &mut GcHeap, f: &mut Frame, c: &ast::ExprCall) -> PyResult<ObjId> {
    // super() without arguments: the class and `self` of the calling method.
    if let Expr::Name(n) = &*c.func
        && n.id.as_str() == "super"
        && c.args.is_empty()
    {
        return super::builtins::zero_arg_super(h, f);
    }
    let func = eval(h, f, &c.func)?;
    let args = eval_all(h, f, &c.args).inspect_err(|_| h.decref(func))?;
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
                release(h, kwargs.into_iter().map(|(_, v)| v).collect());
                h.decref(func);
                return Err(e);
            }
        }
    }
    let r = call_object(h, func, args, kwargs);
    h.decref(func);
    r
}

/// Drops every reference in `objs`.
pub fn release(h: &mut GcHeap, objs: Vec<ObjId>) {
    for o in objs {
        h.decref(o);
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
            let r = super::methods::call_method(h, this, &name, args, kwargs);
            r
        }
        Payload::WeakRef { .. } => {
            release(h, args);
            release(h, kwargs.into_iter().map(|(_, v)| v).collect());
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
                    release(h, kwargs.into_iter().map(|(_, v)| v).collect());
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
            release(h, kwargs.into_iter().map(|(_, v)| v).collect());
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
        let plural = if n == 1 { "" } else { "s" };
        let given = n + extra.len();
        let were = if given == 1 { "was" } else { "were" };
        error = Some(format!(
            "{}() takes {n} positional argument{plural} but {given} {were} given",
            code.name
        ));
    }
    release(h, extra);
    for (k, v) in kwargs {
        let known = code.params.contains(&k) || code.kwonly.contains(&k);
        if !known || locals.iter().any(|(n, _)| *n == k) {
            error.get_or_insert(format!(
                "{}() got an unexpected keyword argument '{k}'",
                code.name
            ));
            h.decref(v);
            continue;
        }
        locals.push((k, v));
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
    let mut enclosing = code.visible(&Default::default());
    enclosing.extend(code.freevars.iter().cloned());
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
    let depth = {
        let s = st(h);
        s.call_depth += 1;
        s.call_depth
    };
    let result = if depth > 1000 {
        fail(h, "RecursionError", "maximum recursion depth exceeded")
    } else {
        exec_body(h, &mut frame, &code.body)
    };
    st(h).call_depth -= 1;
    frame.release(h);
    h.decref(globals);
    match result? {
        Flow::Return(v) => Ok(v),
        _ => Ok(state::none(h)),
    }
}

/// `cls(*args, **kwargs)` for a class defined in Python: `object.__new__` then `__init__`.
pub fn instantiate(
    h: &mut GcHeap,
    cls: ObjId,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    let object = state::builtin(h, "object");
    let exception = state::builtin(h, "BaseException");
    if ops::is_subclass(h, cls, exception) {
        release(h, kwargs.into_iter().map(|(_, v)| v).collect());
        return Ok(instantiate_exception(h, cls, args));
    }
    let (nslots, has_dict) = {
        let c = body(h, cls).as_class();
        (c.slots.len(), c.has_dict)
    };
    h.incref(cls);
    let obj = crate::memory::new_object(
        h,
        Payload::Instance(InstanceObj {
            class: cls,
            attrs: Vec::new(),
            slots: vec![None; nslots],
            has_slots: !has_dict,
            dict: None,
        }),
    );
    match ops::class_lookup(h, cls, "__init__") {
        Some(init) if init != object => {
            h.incref(init);
            h.incref(obj);
            let mut full = vec![obj];
            full.extend(args);
            let r = call_object(h, init, full, kwargs);
            h.decref(init);
            match r {
                Ok(v) => h.decref(v),
                Err(e) => {
                    h.decref(obj);
                    return Err(e);
                }
            }
        }
        _ => {
            if !args.is_empty() || !kwargs.is_empty() {
                release(h, args);
                release(h, kwargs.into_iter().map(|(_, v)| v).collect());
                h.decref(obj);
                let name = ops::class_name(h, cls);
                return fail(h, "TypeError", format!("{name}() takes no arguments"));
            }
        }
    }
    Ok(obj)
}

/// An exception instance of class `cls` with `args` (taken over).
pub fn instantiate_exception(h: &mut GcHeap, cls: ObjId, args: Vec<ObjId>) -> ObjId {
    h.incref(cls);
    let args = state::new_tuple(h, args);
    let obj = crate::memory::new_object(
        h,
        Payload::Instance(InstanceObj {
            class: cls,
            attrs: vec![(Rc::from("args"), args)],
            slots: Vec::new(),
            has_slots: false,
            dict: None,
        }),
    );
    obj
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

/// `tp_finalize` of a class with `__del__`: calls it; an exception is reported as unraisable
/// (`PyErr_WriteUnraisable`), printed as CPython's default `sys.unraisablehook` does.
pub fn run_del(h: &mut GcHeap, obj: ObjId) {
    if let Err(err) = call_dunder(h, obj, "__del__", vec![]).map(|r| r.map(|v| h.decref(v))) {
        let cls = ops::type_of(h, obj);
        let name = ops::class_name(h, cls);
        let mut text =
            format!("Exception ignored in: <function {name}.__del__ at 0x7f0000000000>\n");
        text += "Traceback (most recent call last):\n";
        let filename = h.state::<State>().filename.clone();
        for (func, line) in err.traceback.iter().rev() {
            text += &format!("  File \"{filename}\", line {line}, in {func}\n");
        }
        text += &super::error::exception_line(h, err.exc);
        text.push('\n');
        state::write(h, &text);
        h.decref(err.exc);
    }
}

/// Calls the callback of the weak reference `wr` with `wr` (`handle_callback` in
/// Objects/weakrefobject.c); an exception is reported as unraisable.
pub fn run_weakref_callback(h: &mut GcHeap, wr: ObjId) {
    let Payload::WeakRef { callback: Some(cb) } = body(h, wr) else {
        return;
    };
    let cb = *cb;
    h.incref(cb);
    h.incref(wr);
    let r = call_object(h, cb, vec![wr], Vec::new());
    match r {
        Ok(v) => h.decref(v),
        Err(err) => {
            let what = super::text::repr_of(h, cb).unwrap_or_default();
            let mut text = format!("Exception ignored in: {what}\n");
            text += "Traceback (most recent call last):\n";
            text += &super::error::exception_line(h, err.exc);
            text.push('\n');
            state::write(h, &text);
            h.decref(err.exc);
        }
    }
    h.decref(cb);
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
            h.decref(err.exc);
            result = exec_body(h, f, &hd.body);
            if let Some(name) = &hd.name {
                // `except E as e` deletes `e` at the end of the handler.
                super::exec::forget(h, f, name.as_str());
            }
            break;
        }
    } else if !t.orelse.is_empty() {
        if let Ok(Flow::Normal) = result {
            result = exec_body(h, f, &t.orelse);
        }
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
    let mut child = Frame {
        globals: f.globals,
        locals: Some(Vec::new()),
        cells: f.cells.clone(),
        code: None,
        name: f.name.clone(),
        line: f.line,
        enclosing: f.enclosing.clone(),
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
    let r = (|| {
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
    })();
    r
}
