//! Definitions (given): `def` and `lambda` make functions, `class` makes classes (with their
//! MRO and `__slots__` layout), and calling a class makes an instance.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::{self, Stmt};

use super::call::{call_object, release, release_kwargs};
use super::code::Code;
use super::error::{PyResult, fail, unsupported};
use super::exec::{Frame, exec_body};
use super::expr::{eval, eval_all};
use super::object::{ClassObj, FuncObj, InstanceObj, Payload};
use super::ops::{self, body};
use super::state::{self, st};

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
        let cell = match f.cells.iter().find(|(n, _)| n == name).map(|(_, c)| *c) {
            Some(c) => {
                h.incref(c);
                c
            }
            None => {
                // A comprehension's variable (its frame keeps plain locals, not cells): the
                // closure gets a cell of its own holding the value now. Python would share the
                // variable; the difference shows only if the function outlives the iteration.
                let value = super::exec::load(h, f, name).ok();
                crate::memory::new_object(h, Payload::Cell(value))
            }
        };
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
        // BaseException.__new__ stores every argument in `args`; a Python __init__ then runs
        // (and may call super().__init__(...), which sets `args` again).
        let init = ops::class_lookup(h, cls, "__init__")
            .filter(|&f| matches!(body(h, f), Payload::Function(_)));
        let Some(init) = init else {
            release_kwargs(h, kwargs);
            return Ok(instantiate_exception(h, cls, args));
        };
        for &a in &args {
            h.incref(a);
        }
        let exc = instantiate_exception(h, cls, args.clone());
        h.incref(init);
        h.incref(exc);
        let mut full = vec![exc];
        full.extend(args);
        let r = call_object(h, init, full, kwargs);
        h.decref(init);
        return match r {
            Ok(v) => {
                h.decref(v);
                Ok(exc)
            }
            Err(e) => {
                h.decref(exc);
                Err(e)
            }
        };
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
                release_kwargs(h, kwargs);
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
    crate::memory::new_object(
        h,
        Payload::Instance(InstanceObj {
            class: cls,
            attrs: vec![(Rc::from("args"), args)],
            slots: Vec::new(),
            has_slots: false,
            dict: None,
        }),
    )
}
