//! Statements and frames (given). A frame owns one reference to each value its variables hold,
//! as CPython's `f_localsplus` does; the module's variables live in its globals dict.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::{self, Expr, Ranged, Stmt};

use super::code::Code;
use super::error::{Flow, PyErr, PyResult, fail, unsupported};
use super::expr::eval;
use super::ops;
use super::state::{self, State};

/// One activation: a module, a class body or a function call.
pub struct Frame {
    /// The globals dict (one reference held).
    pub globals: ObjId,
    /// Local variables of a function or class body (`None` at module level).
    pub locals: Option<Vec<(Rc<str>, ObjId)>>,
    /// Cells of this function's cell and free variables, by name (one reference each).
    pub cells: Vec<(Rc<str>, ObjId)>,
    /// The function's code (`None` for a module or class body).
    pub code: Option<Rc<Code>>,
    /// The name shown in tracebacks (`<module>`, the function's name).
    pub name: Rc<str>,
    /// The line being run.
    pub line: usize,
    /// Names local to the enclosing functions, for the free variables of nested functions.
    pub enclosing: Rc<std::collections::HashSet<Rc<str>>>,
    /// The qualified-name prefix for functions defined here (`C.`, `f.<locals>.`).
    pub qualprefix: Rc<str>,
}

impl Frame {
    /// The frame of the module body.
    pub fn module(globals: ObjId) -> Frame {
        Frame {
            globals,
            locals: None,
            cells: Vec::new(),
            code: None,
            name: Rc::from("<module>"),
            line: 0,
            enclosing: Default::default(),
            qualprefix: Rc::from(""),
        }
    }

    /// Drops the references the frame holds: its locals first to last, then its cells, as
    /// `_PyFrame_Clear` walks `localsplus` (Python/frame.c).
    pub fn release(&mut self, h: &mut GcHeap) {
        let locals = self.locals.take().unwrap_or_default();
        for (_, v) in locals {
            h.decref(v);
        }
        for (_, c) in std::mem::take(&mut self.cells) {
            h.decref(c);
        }
    }

    pub(super) fn cell(&self, name: &str) -> Option<ObjId> {
        self.cells
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, c)| *c)
    }

    pub(super) fn is_global(&self, name: &str) -> bool {
        self.code.as_ref().is_some_and(|c| c.globals.contains(name))
    }
}

/// Runs a block of statements.
pub fn exec_body(h: &mut GcHeap, f: &mut Frame, body: &[Stmt]) -> PyResult<Flow> {
    for s in body {
        match exec(h, f, s) {
            Ok(Flow::Normal) => {}
            Ok(flow) => return Ok(flow),
            Err(mut e) => {
                if e.traceback.last().is_none_or(|(n, _)| *n != f.name) || e.traceback.is_empty() {
                    e.traceback.push((f.name.clone(), f.line));
                }
                return Err(e);
            }
        }
    }
    Ok(Flow::Normal)
}

/// The line a node starts on.
pub fn line(h: &mut GcHeap, node: &impl Ranged) -> usize {
    let s = h.state::<State>();
    let offset = node.start().to_usize();
    // The number of line starts at or before the offset: a binary search in the line table.
    s.line_starts.partition_point(|&start| start <= offset)
}

fn exec(h: &mut GcHeap, f: &mut Frame, s: &Stmt) -> PyResult<Flow> {
    f.line = line(h, s);
    state::st(h).line = f.line;
    match s {
        Stmt::Expr(e) => {
            let v = eval(h, f, &e.value)?;
            h.decref(v);
        }
        Stmt::Assign(a) => {
            let v = eval(h, f, &a.value)?;
            let r = a.targets.iter().try_for_each(|t| assign(h, f, t, v));
            h.decref(v);
            r?;
        }
        Stmt::AugAssign(a) => {
            let current = eval(h, f, &a.target)?;
            let rhs = eval(h, f, &a.value);
            let rhs = rhs.inspect_err(|_| h.decref(current))?;
            let r = super::expr::binop(h, a.op, current, rhs, true);
            h.decref(current);
            h.decref(rhs);
            let v = r?;
            let r = assign(h, f, &a.target, v);
            h.decref(v);
            r?;
        }
        Stmt::AnnAssign(a) => {
            if let Some(value) = &a.value {
                let v = eval(h, f, value)?;
                let r = assign(h, f, &a.target, v);
                h.decref(v);
                r?;
            }
        }
        Stmt::If(i) => {
            let t = eval(h, f, &i.test)?;
            let b = ops::truthy(h, t);
            h.decref(t);
            return if b? {
                exec_body(h, f, &i.body)
            } else {
                exec_body(h, f, &i.orelse)
            };
        }
        Stmt::While(w) => loop {
            let t = eval(h, f, &w.test)?;
            let b = ops::truthy(h, t);
            h.decref(t);
            if !b? {
                return exec_body(h, f, &w.orelse);
            }
            match exec_body(h, f, &w.body)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        },
        Stmt::For(l) => return exec_for(h, f, l),
        Stmt::Break(_) => return Ok(Flow::Break),
        Stmt::Continue(_) => return Ok(Flow::Continue),
        Stmt::Pass(_) => {}
        Stmt::Return(r) => {
            let v = match &r.value {
                Some(e) => eval(h, f, e)?,
                None => state::none(h),
            };
            return Ok(Flow::Return(v));
        }
        Stmt::FunctionDef(d) => {
            // Decorators are evaluated before the function is made, applied after, innermost
            // first.
            let mut decorators = Vec::new();
            for e in &d.decorator_list {
                match eval(h, f, e) {
                    Ok(v) => decorators.push(v),
                    Err(err) => {
                        super::call::release(h, decorators);
                        return Err(err);
                    }
                }
            }
            let func = super::call::make_function(
                h,
                f,
                d.name.as_str(),
                &d.args,
                d.body.as_slice(),
                s as *const Stmt as usize,
            );
            let mut func = func.inspect_err(|_| {
                for &dec in &decorators {
                    h.decref(dec);
                }
            })?;
            while let Some(dec) = decorators.pop() {
                let r = super::call::call_object(h, dec, vec![func], Vec::new());
                h.decref(dec);
                match r {
                    Ok(v) => func = v,
                    Err(e) => {
                        super::call::release(h, decorators);
                        return Err(e);
                    }
                }
            }
            let r = store(h, f, d.name.as_str(), func);
            h.decref(func);
            r?;
        }
        Stmt::ClassDef(c) => {
            let class = super::call::make_class(h, f, c)?;
            let r = store(h, f, c.name.as_str(), class);
            h.decref(class);
            r?;
        }
        Stmt::Delete(d) => {
            for t in &d.targets {
                super::names::delete(h, f, t)?;
            }
        }
        Stmt::Global(_) | Stmt::Nonlocal(_) => {}
        Stmt::Import(i) => {
            for alias in &i.names {
                let name = alias.name.as_str();
                let Some(&module) = state::st(h).modules.get(name) else {
                    return fail(
                        h,
                        "ModuleNotFoundError",
                        format!("No module named '{name}'"),
                    );
                };
                if name == "weakref" && !state::st(h).loaded.iter().any(|m| &**m == name) {
                    state::st(h).loaded.push(Rc::from(name));
                    super::modules::run_prelude(h, module, super::modules::WEAKREF_PRELUDE)?;
                }
                let as_name = alias.asname.as_ref().map_or(name, |a| a.as_str());
                store(h, f, as_name, module)?;
            }
        }
        Stmt::Raise(r) => return Err(super::call::raise_stmt(h, f, r)?),
        Stmt::Try(t) => return super::call::exec_try(h, f, t),
        Stmt::Assert(a) => {
            let t = eval(h, f, &a.test)?;
            let b = ops::truthy(h, t);
            h.decref(t);
            if !b? {
                let exc = match &a.msg {
                    Some(m) => {
                        let msg = eval(h, f, m)?;
                        let cls = state::builtin(h, "AssertionError");
                        super::call::instantiate_exception(h, cls, vec![msg])
                    }
                    None => {
                        let cls = state::builtin(h, "AssertionError");
                        super::call::instantiate_exception(h, cls, vec![])
                    }
                };
                return Err(PyErr {
                    exc,
                    traceback: Vec::new(),
                });
            }
        }
        Stmt::With(w) => return exec_with(h, f, &w.items, &w.body),
        _ => return unsupported(h, "this statement"),
    }
    Ok(Flow::Normal)
}

fn exec_for(h: &mut GcHeap, f: &mut Frame, l: &ast::StmtFor) -> PyResult<Flow> {
    let seq = eval(h, f, &l.iter)?;
    let it = super::builtins::get_iter(h, seq);
    h.decref(seq);
    let it = it?;
    let result = loop {
        let item = match super::builtins::iter_next(h, it) {
            Ok(Some(item)) => item,
            Ok(None) => break exec_body(h, f, &l.orelse),
            Err(e) => break Err(e),
        };
        let r = assign(h, f, &l.target, item);
        h.decref(item);
        if let Err(e) = r {
            break Err(e);
        }
        match exec_body(h, f, &l.body) {
            Ok(Flow::Break) => break Ok(Flow::Normal),
            Ok(Flow::Return(v)) => break Ok(Flow::Return(v)),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    h.decref(it);
    result
}

/// `with a as x, b as y: body`: `__enter__`, the body, then `__exit__` with the exception (or
/// three `None`s); a true result from `__exit__` swallows the exception.
fn exec_with(
    h: &mut GcHeap,
    f: &mut Frame,
    items: &[ast::WithItem],
    body: &[Stmt],
) -> PyResult<Flow> {
    let Some((item, rest)) = items.split_first() else {
        return exec_body(h, f, body);
    };
    let manager = eval(h, f, &item.context_expr)?;
    let entered = super::call::call_dunder(h, manager, "__enter__", vec![]);
    let entered = match entered {
        Ok(Some(v)) => v,
        Ok(None) => {
            h.decref(manager);
            return unsupported(h, "a with statement on an object without __enter__");
        }
        Err(e) => {
            h.decref(manager);
            return Err(e);
        }
    };
    let bound = match &item.optional_vars {
        Some(target) => assign(h, f, target, entered),
        None => Ok(()),
    };
    h.decref(entered);
    let result = bound.and_then(|()| exec_with(h, f, rest, body));
    let exit_args = match &result {
        Err(e) => {
            let cls = ops::type_of(h, e.exc);
            h.incref(cls);
            h.incref(e.exc);
            vec![cls, e.exc, state::none(h)]
        }
        Ok(_) => vec![state::none(h), state::none(h), state::none(h)],
    };
    let exited = super::call::call_dunder(h, manager, "__exit__", exit_args.clone());
    super::call::release(h, exit_args);
    h.decref(manager);
    let swallow = match exited {
        Ok(Some(v)) => {
            let t = ops::truthy(h, v);
            h.decref(v);
            t?
        }
        Ok(None) => false,
        Err(e) => {
            if let Err(old) = result {
                h.decref(old.exc);
            }
            return Err(e);
        }
    };
    match result {
        Err(e) if swallow => {
            h.decref(e.exc);
            Ok(Flow::Normal)
        }
        other => other,
    }
}

/// Binds `target = value` (value borrowed).
pub fn assign(h: &mut GcHeap, f: &mut Frame, target: &Expr, value: ObjId) -> PyResult<()> {
    match target {
        Expr::Name(n) => store(h, f, n.id.as_str(), value),
        Expr::Attribute(a) => {
            let obj = eval(h, f, &a.value)?;
            let r = super::call::setattr(h, obj, a.attr.as_str(), value);
            h.decref(obj);
            r
        }
        Expr::Subscript(s) => {
            let obj = eval(h, f, &s.value)?;
            let key = eval(h, f, &s.slice);
            let key = key.inspect_err(|_| h.decref(obj))?;
            let r = super::methods::setitem(h, obj, key, value);
            h.decref(obj);
            h.decref(key);
            r
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            let mut items = super::builtins::collect(h, value)?;
            // `a, *rest, b = ...`: the starred target takes a list of what the others leave.
            if let Some(star) = elts.iter().position(|e| matches!(e, Expr::Starred(_))) {
                let after = elts.len() - star - 1;
                if items.len() < elts.len() - 1 {
                    let n = items.len();
                    super::call::release(h, items);
                    let msg = format!(
                        "not enough values to unpack (expected at least {}, got {n})",
                        elts.len() - 1
                    );
                    return fail(h, "ValueError", msg);
                }
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(star);
                let rest = state::new_list(h, middle);
                items.push(rest);
                items.extend(tail);
            }
            if items.len() != elts.len() {
                let n = items.len();
                for i in items {
                    h.decref(i);
                }
                let msg = if n > elts.len() {
                    format!("too many values to unpack (expected {})", elts.len())
                } else {
                    format!(
                        "not enough values to unpack (expected {}, got {n})",
                        elts.len()
                    )
                };
                return fail(h, "ValueError", msg);
            }
            let mut result = Ok(());
            for (t, &i) in elts.iter().zip(&items) {
                let t = match t {
                    Expr::Starred(s) => &*s.value,
                    t => t,
                };
                if result.is_ok() {
                    result = assign(h, f, t, i);
                }
            }
            for i in items {
                h.decref(i);
            }
            result
        }
        _ => unsupported(h, "this assignment target"),
    }
}

pub use super::names::{forget, load, store};
