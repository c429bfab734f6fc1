//! Code objects and scopes (given): which names of a function are local, which live in cells
//! because an inner function uses them, and which come from an enclosing function — what
//! CPython's compiler works out in `Python/symtable.c`.

use std::collections::HashSet;
use std::rc::Rc;

use rustpython_parser::ast::{self, Expr, Stmt};

/// A function's code: its parameters, body and scopes.
#[derive(Debug)]
pub struct Code {
    /// `__name__`.
    pub name: Rc<str>,
    /// Positional parameters, in order.
    pub params: Vec<Rc<str>>,
    /// Keyword-only parameters.
    pub kwonly: Vec<Rc<str>>,
    /// `*args` and `**kwargs` names.
    pub varargs: Option<Rc<str>>,
    pub kwargs: Option<Rc<str>>,
    /// The body. A lambda's body is one `return`.
    pub body: Rc<[Stmt]>,
    /// Names assigned in the body (and parameters), not declared global or nonlocal.
    pub locals: HashSet<Rc<str>>,
    /// Locals that inner functions use: they live in cells.
    pub cellvars: HashSet<Rc<str>>,
    /// Names of enclosing functions this function uses (its closure, in this order).
    pub freevars: Vec<Rc<str>>,
    /// Declared `global`.
    pub globals: HashSet<Rc<str>>,
    /// The line of the `def`.
    pub line: usize,
    /// What functions defined inside this one may take from it: its locals and its free names
    /// (made once: every call's frame shares it).
    pub inner_scope: Rc<HashSet<Rc<str>>>,
}

/// Every name a body binds and uses, and the free names of the functions defined in it.
#[derive(Default)]
struct Names {
    bound: HashSet<Rc<str>>,
    used: HashSet<Rc<str>>,
    globals: HashSet<Rc<str>>,
    nonlocals: HashSet<Rc<str>>,
    /// Names the nested functions need from outside themselves.
    nested_free: HashSet<Rc<str>>,
}

impl Code {
    /// Builds the code of a function with these parameters and body. `enclosing` are the names
    /// local to the enclosing functions (for free variables), innermost last.
    pub fn new(
        name: &str,
        args: &ast::Arguments,
        body: Rc<[Stmt]>,
        enclosing: &HashSet<Rc<str>>,
        line: usize,
    ) -> Code {
        let mut names = Names::default();
        let arg_names = |list: &[ast::ArgWithDefault]| -> Vec<Rc<str>> {
            list.iter().map(|a| Rc::from(a.def.arg.as_str())).collect()
        };
        let mut params = arg_names(&args.posonlyargs);
        params.extend(arg_names(&args.args));
        let kwonly = arg_names(&args.kwonlyargs);
        let varargs = args.vararg.as_ref().map(|a| Rc::from(a.arg.as_str()));
        let kwargs = args.kwarg.as_ref().map(|a| Rc::from(a.arg.as_str()));
        for p in params.iter().chain(&kwonly).chain(&varargs).chain(&kwargs) {
            names.bound.insert(p.clone());
        }
        names.body(&body);
        let locals: HashSet<Rc<str>> = names
            .bound
            .iter()
            .filter(|n| !names.globals.contains(*n) && !names.nonlocals.contains(*n))
            .cloned()
            .collect();
        let cellvars = names
            .nested_free
            .iter()
            .filter(|n| locals.contains(*n))
            .cloned()
            .collect();
        let mut free: Vec<Rc<str>> = names
            .used
            .iter()
            .chain(&names.nested_free)
            .chain(&names.nonlocals)
            .filter(|n| !locals.contains(*n) && !names.globals.contains(*n))
            .filter(|n| enclosing.contains(*n))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        free.sort();
        let mut inner_scope = locals.clone();
        inner_scope.extend(free.iter().cloned());
        Code {
            inner_scope: Rc::new(inner_scope),
            name: Rc::from(name),
            params,
            kwonly,
            varargs,
            kwargs,
            body,
            locals,
            cellvars,
            freevars: free,
            globals: names.globals,
            line,
        }
    }
}

impl Names {
    fn body(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn bind_target(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                self.bound.insert(Rc::from(n.id.as_str()));
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_target(e)),
            Expr::List(t) => t.elts.iter().for_each(|e| self.bind_target(e)),
            Expr::Starred(s) => self.bind_target(&s.value),
            other => self.expr(other),
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                self.bound.insert(Rc::from(f.name.as_str()));
                f.decorator_list.iter().for_each(|e| self.expr(e));
                self.defaults(&f.args);
                self.nested(&f.args, &f.body);
            }
            Stmt::ClassDef(c) => {
                self.bound.insert(Rc::from(c.name.as_str()));
                c.bases.iter().for_each(|e| self.expr(e));
                // A class body is a scope whose names are not visible to functions inside it,
                // but the functions' free names pass through it.
                let mut inner = Names::default();
                inner.body(&c.body);
                self.used.extend(inner.used);
                self.nested_free.extend(inner.nested_free);
            }
            Stmt::Return(r) => r.value.iter().for_each(|e| self.expr(e)),
            Stmt::Delete(d) => d.targets.iter().for_each(|e| self.bind_target(e)),
            Stmt::Assign(a) => {
                a.targets.iter().for_each(|t| self.bind_target(t));
                self.expr(&a.value);
            }
            Stmt::AugAssign(a) => {
                self.bind_target(&a.target);
                self.expr(&a.target);
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                self.bind_target(&a.target);
                a.value.iter().for_each(|e| self.expr(e));
            }
            Stmt::For(f) => {
                self.bind_target(&f.target);
                self.expr(&f.iter);
                self.body(&f.body);
                self.body(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.body(&w.body);
                self.body(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.body(&i.body);
                self.body(&i.orelse);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr);
                    item.optional_vars.iter().for_each(|v| self.bind_target(v));
                }
                self.body(&w.body);
            }
            Stmt::Raise(r) => {
                r.exc.iter().for_each(|e| self.expr(e));
                r.cause.iter().for_each(|e| self.expr(e));
            }
            Stmt::Try(t) => {
                self.body(&t.body);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    h.type_.iter().for_each(|e| self.expr(e));
                    if let Some(n) = &h.name {
                        self.bound.insert(Rc::from(n.as_str()));
                    }
                    self.body(&h.body);
                }
                self.body(&t.orelse);
                self.body(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                a.msg.iter().for_each(|e| self.expr(e));
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let name = alias.asname.as_ref().unwrap_or(&alias.name);
                    let first = name.as_str().split('.').next().unwrap_or_default();
                    self.bound.insert(Rc::from(first));
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    let name = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bound.insert(Rc::from(name.as_str()));
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    self.globals.insert(Rc::from(n.as_str()));
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    self.nonlocals.insert(Rc::from(n.as_str()));
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            _ => {}
        }
    }

    fn defaults(&mut self, args: &ast::Arguments) {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            a.default.iter().for_each(|e| self.expr(e));
        }
    }

    /// A nested function or lambda: what it uses and does not bind is free in it.
    fn nested(&mut self, args: &ast::Arguments, body: &[Stmt]) {
        let mut inner = Names::default();
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            inner.bound.insert(Rc::from(a.def.arg.as_str()));
        }
        for a in args.vararg.iter().chain(&args.kwarg) {
            inner.bound.insert(Rc::from(a.arg.as_str()));
        }
        inner.body(body);
        let free = inner
            .used
            .iter()
            .chain(&inner.nested_free)
            .filter(|n| !inner.bound.contains(*n) || inner.nonlocals.contains(*n))
            .filter(|n| !inner.globals.contains(*n))
            .cloned()
            .collect::<Vec<_>>();
        self.nested_free.extend(free);
        self.nested_free.extend(inner.nonlocals);
    }

    fn comprehension(&mut self, generators: &[ast::Comprehension], elts: &[&Expr]) {
        // A comprehension is a function (3.11): its targets are its own locals.
        let mut inner = Names::default();
        for (i, g) in generators.iter().enumerate() {
            if i == 0 {
                self.expr(&g.iter);
            } else {
                inner.expr(&g.iter);
            }
            inner.bind_target(&g.target);
            g.ifs.iter().for_each(|e| inner.expr(e));
        }
        elts.iter().for_each(|e| inner.expr(e));
        let free = inner
            .used
            .iter()
            .chain(&inner.nested_free)
            .filter(|n| !inner.bound.contains(*n))
            .cloned()
            .collect::<Vec<_>>();
        self.used.extend(free.iter().cloned());
        self.nested_free.extend(free);
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                self.used.insert(Rc::from(n.id.as_str()));
            }
            Expr::Lambda(l) => {
                self.defaults(&l.args);
                let body = [Stmt::Return(ast::StmtReturn {
                    range: l.range,
                    value: Some(l.body.clone()),
                })];
                self.nested(&l.args, &body);
            }
            Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::GeneratorExp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => self.comprehension(&c.generators, &[&c.key, &c.value]),
            Expr::NamedExpr(n) => {
                self.bind_target(&n.target);
                self.expr(&n.value);
            }
            other => visit_children(other, &mut |c| self.expr(c)),
        }
    }
}

/// Calls `f` on every direct sub-expression of `e` (for the expressions without a scope).
pub fn visit_children(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    match e {
        Expr::BoolOp(b) => b.values.iter().for_each(f),
        Expr::BinOp(b) => {
            f(&b.left);
            f(&b.right);
        }
        Expr::UnaryOp(u) => f(&u.operand),
        Expr::IfExp(i) => {
            f(&i.test);
            f(&i.body);
            f(&i.orelse);
        }
        Expr::Dict(d) => {
            d.keys.iter().flatten().for_each(&mut *f);
            d.values.iter().for_each(f);
        }
        Expr::Set(s) => s.elts.iter().for_each(f),
        Expr::Compare(c) => {
            f(&c.left);
            c.comparators.iter().for_each(f);
        }
        Expr::Call(c) => {
            f(&c.func);
            c.args.iter().for_each(&mut *f);
            c.keywords.iter().for_each(|k| f(&k.value));
        }
        Expr::FormattedValue(v) => {
            f(&v.value);
            v.format_spec.iter().for_each(|e| f(e));
        }
        Expr::JoinedStr(j) => j.values.iter().for_each(f),
        Expr::Attribute(a) => f(&a.value),
        Expr::Subscript(s) => {
            f(&s.value);
            f(&s.slice);
        }
        Expr::Starred(s) => f(&s.value),
        Expr::List(l) => l.elts.iter().for_each(f),
        Expr::Tuple(t) => t.elts.iter().for_each(f),
        Expr::Slice(s) => {
            s.lower.iter().for_each(|e| f(e));
            s.upper.iter().for_each(|e| f(e));
            s.step.iter().for_each(|e| f(e));
        }
        _ => {}
    }
}
