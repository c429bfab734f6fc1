//! The modules this course is about: `gc` and `sys` (given), on the collector you built.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::builtins::int_arg;
use super::call::{release, release_kwargs};
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::{self, body};
use collector::generations::{GcInfo, Phase};

use super::state::{self, st};

const GC_FUNCTIONS: &[&str] = &[
    "collect",
    "enable",
    "disable",
    "isenabled",
    "get_count",
    "get_threshold",
    "set_threshold",
    "is_tracked",
    "is_finalized",
    "freeze",
    "unfreeze",
    "get_freeze_count",
    "get_debug",
    "set_debug",
    "get_referents",
    "get_referrers",
    "get_stats",
    "get_objects",
];
const WEAKREF_FUNCTIONS: &[&str] = &["ref", "proxy", "getweakrefcount"];
const TRACEMALLOC_FUNCTIONS: &[&str] = &[
    "start",
    "stop",
    "is_tracing",
    "get_traced_memory",
    "reset_peak",
    "take_snapshot",
    "clear_traces",
];
const SYS_FUNCTIONS: &[&str] = &[
    "getrefcount",
    "getsizeof",
    "intern",
    "getallocatedblocks",
    "_debugmallocstats",
];

fn module(h: &mut GcHeap, name: &str, functions: &[&str]) -> ObjId {
    let dict = state::new_dict(h);
    for f in functions {
        let func = state::new_builtin(h, &format!("{name}.{f}"));
        ops::dict_set_str(h, dict, f, func);
        h.decref(func);
    }
    let m = crate::memory::new_object(
        h,
        Payload::Module {
            name: Rc::from(name),
            dict,
        },
    );
    st(h).modules.insert(Rc::from(name), m);
    m
}

/// Makes the `gc` and `sys` modules.
pub fn install(h: &mut GcHeap) {
    let gc = module(h, "gc", GC_FUNCTIONS);
    let gc_dict = match body(h, gc) {
        Payload::Module { dict, .. } => *dict,
        _ => unreachable!(),
    };
    let callbacks = state::new_list(h, Vec::new());
    let garbage = state::new_list(h, Vec::new());
    ops::dict_set_str(h, gc_dict, "callbacks", callbacks);
    ops::dict_set_str(h, gc_dict, "garbage", garbage);
    for (name, v) in [
        ("DEBUG_STATS", 1),
        ("DEBUG_COLLECTABLE", 2),
        ("DEBUG_UNCOLLECTABLE", 4),
        ("DEBUG_SAVEALL", 32),
        ("DEBUG_LEAK", 38),
    ] {
        let i = state::new_int(h, v);
        ops::dict_set_str(h, gc_dict, name, i);
        h.decref(i);
    }
    st(h).gc_callbacks = callbacks;
    st(h).gc_garbage = garbage;
    module(h, "weakref", WEAKREF_FUNCTIONS);
    module(h, "tracemalloc", TRACEMALLOC_FUNCTIONS);
    let sys = module(h, "sys", SYS_FUNCTIONS);
    let sys_dict = match body(h, sys) {
        Payload::Module { dict, .. } => *dict,
        _ => unreachable!(),
    };
    for stream in ["stdout", "stderr"] {
        let s = crate::memory::new_object(h, Payload::Stream(None));
        ops::dict_set_str(h, sys_dict, stream, s);
        h.decref(s);
    }
    for name in ["unraisablehook", "__unraisablehook__"] {
        let f = state::new_builtin(h, "sys.unraisablehook");
        ops::dict_set_str(h, sys_dict, name, f);
        h.decref(f);
    }
    module(h, "io", &["StringIO"]);
    module(h, "re", &["sub"]);
}

/// `print(..., file=f)`: `sys.stdout` and `sys.stderr` share the output stream.
pub fn write_to(h: &mut GcHeap, file: ObjId, text: &str) -> PyResult<()> {
    match super::ops::body_mut(h, file) {
        Payload::Stream(Some(buffer)) => buffer.push_str(text),
        Payload::Stream(None) => state::write(h, text),
        other => {
            let t = other.type_name();
            return fail(
                h,
                "AttributeError",
                format!("'{t}' object has no attribute 'write'"),
            );
        }
    }
    Ok(())
}

/// The methods of streams: `write`, `getvalue`, `flush`.
pub fn stream_method(h: &mut GcHeap, this: ObjId, name: &str, args: &[ObjId]) -> PyResult<ObjId> {
    match name {
        "write" => {
            let text = super::text::str_of(h, args[0])?;
            write_to(h, this, &text)?;
            Ok(state::new_int(h, text.chars().count() as i64))
        }
        "getvalue" => match body(h, this) {
            Payload::Stream(Some(b)) => {
                let b = b.clone();
                Ok(state::new_str(h, &b))
            }
            _ => unsupported(h, "getvalue() of a standard stream"),
        },
        "flush" => Ok(state::none(h)),
        _ => unsupported(h, &format!("the stream method {name}")),
    }
}

fn int_tuple(h: &mut GcHeap, values: &[usize]) -> ObjId {
    let items = values
        .iter()
        .map(|&v| state::new_int(h, v as i64))
        .collect();
    state::new_tuple(h, items)
}

/// Calls `module.func(*args)` (taking over the references).
pub fn call(
    h: &mut GcHeap,
    module: &str,
    func: &str,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    // re.sub(..., count=n): the one keyword argument a module function here takes.
    let mut args = args;
    if (module, func) == ("re", "sub")
        && let Some((_, c)) = kwargs.iter().find(|(k, _)| &**k == "count")
    {
        h.incref(*c);
        args.push(*c);
    }
    let r = super::arity::check(h, &format!("{module}.{func}"), args.len())
        .and_then(|()| call_body(h, module, func, &args));
    release(h, args);
    release_kwargs(h, kwargs);
    r
}

fn call_body(h: &mut GcHeap, module: &str, func: &str, args: &[ObjId]) -> PyResult<ObjId> {
    match (module, func) {
        ("gc", "collect") => {
            let generation = match args.first() {
                Some(&g) => int_arg(h, g)?,
                None => 2,
            };
            let g = usize::try_from(generation).unwrap_or(usize::MAX);
            match h.collect(g) {
                Ok(n) => Ok(state::new_int(h, n as i64)),
                Err(_) => fail(h, "ValueError", "invalid generation"),
            }
        }
        ("gc", "enable") => {
            h.enable();
            Ok(state::none(h))
        }
        ("gc", "disable") => {
            h.disable();
            Ok(state::none(h))
        }
        ("gc", "isenabled") => {
            let e = h.isenabled();
            Ok(state::new_bool(h, e))
        }
        ("gc", "get_count") => {
            let (a, b, c) = h.get_count();
            Ok(int_tuple(h, &[a, b, c]))
        }
        ("gc", "get_threshold") => {
            let (a, b, c) = h.get_threshold();
            Ok(int_tuple(h, &[a, b, c]))
        }
        ("gc", "set_threshold") => {
            let mut t = h.get_threshold();
            let mut vals = Vec::new();
            for &a in args {
                vals.push(int_arg(h, a)? as usize);
            }
            if let Some(&v) = vals.first() {
                t.0 = v;
            }
            h.set_threshold(t.0, vals.get(1).copied(), vals.get(2).copied());
            Ok(state::none(h))
        }
        ("gc", "is_tracked") => {
            let t = h.is_tracked(args[0]);
            Ok(state::new_bool(h, t))
        }
        ("gc", "is_finalized") => {
            let t = h.is_gc(args[0]) && h.is_finalized(args[0]);
            Ok(state::new_bool(h, t))
        }
        ("gc", "freeze") => {
            h.freeze();
            Ok(state::none(h))
        }
        ("gc", "unfreeze") => {
            h.unfreeze();
            Ok(state::none(h))
        }
        ("gc", "get_freeze_count") => {
            let n = h.get_freeze_count();
            Ok(state::new_int(h, n as i64))
        }
        ("gc", "get_debug") => {
            let d = h.get_debug();
            Ok(state::new_int(h, i64::from(d)))
        }
        ("gc", "set_debug") => {
            let d = int_arg(h, args[0])?;
            h.set_debug(d as u32);
            Ok(state::none(h))
        }
        ("gc", "get_stats") => {
            let stats = h.get_stats();
            let mut dicts = Vec::new();
            for s in stats {
                let d = state::new_dict(h);
                for (k, v) in [
                    ("collections", s.collections),
                    ("collected", s.collected),
                    ("uncollectable", s.uncollectable),
                ] {
                    let i = state::new_int(h, v as i64);
                    ops::dict_set_str(h, d, k, i);
                    h.decref(i);
                }
                dicts.push(d);
            }
            Ok(state::new_list(h, dicts))
        }
        ("gc", "get_objects") => {
            let mut objs = Vec::new();
            for g in 0..3 {
                objs.extend(h.list_ids(collector::cycles::ListId::generation(g)));
            }
            objs.iter().for_each(|&o| h.incref(o));
            Ok(state::new_list(h, objs))
        }
        ("gc", "get_referrers") => {
            // Every tracked object (generations and the permanent one) that refers to an argument.
            let mut holders = Vec::new();
            let mut refs = Vec::new();
            use collector::cycles::ListId;
            for list in [ListId::GEN0, ListId::GEN1, ListId::GEN2, ListId::PERMANENT] {
                for o in h.list_ids(list) {
                    refs.clear();
                    crate::memory::traverse(h, o, &mut refs);
                    if refs.iter().any(|r| args.contains(r)) {
                        holders.push(o);
                    }
                }
            }
            holders.iter().for_each(|&o| h.incref(o));
            Ok(state::new_list(h, holders))
        }
        ("gc", "get_referents") => {
            let mut refs = Vec::new();
            for &a in args {
                crate::memory::traverse(h, a, &mut refs);
            }
            refs.iter().for_each(|&r| h.incref(r));
            Ok(state::new_list(h, refs))
        }
        ("weakref", "ref") => new_weakref(h, args, false),
        ("weakref", "proxy") => new_weakref(h, args, true),
        ("tracemalloc", _) => super::tracing::call(h, func, args),
        ("weakref", "getweakrefcount") => {
            let n = if h.is_gc(args[0]) && weakrefable(h, args[0]) {
                h.getweakrefcount(args[0])
            } else {
                0
            };
            Ok(state::new_int(h, n as i64))
        }
        ("sys", "getrefcount") => {
            let n = h.refcnt(args[0]);
            Ok(state::new_int(h, n as i64))
        }
        ("sys", "getsizeof") => {
            let n = crate::memory::getsizeof(h, args[0]);
            Ok(state::new_int(h, n as i64))
        }
        ("sys", "intern") => match body(h, args[0]) {
            Payload::Str(_) => Ok(state::intern_str(h, args[0])),
            other => {
                let t = other.type_name();
                fail(
                    h,
                    "TypeError",
                    format!("intern() argument must be str, not {t}"),
                )
            }
        },
        ("sys", "unraisablehook") => unsupported(h, "calling sys.unraisablehook directly"),
        ("sys", "_debugmallocstats") => {
            // Your allocator's report, on stderr (CPython writes it to the C stderr).
            let report = allocator::stats::debug_malloc_stats(st(h).alloc.inner());
            state::write(h, &report);
            Ok(state::none(h))
        }
        ("re", "sub") => {
            // re.sub(pattern, repl, string[, count]): enough to normalise output (addresses,
            // numbers). The pattern uses the `regex` crate's syntax, which agrees with Python's
            // for the usual classes, groups and repetitions; `\1` in repl means group 1.
            if args.len() < 3 {
                return fail(h, "TypeError", "sub() missing required arguments");
            }
            let pattern = super::text::str_of(h, args[0])?;
            let repl = super::text::str_of(h, args[1])?;
            let text = super::text::str_of(h, args[2])?;
            let count = match args.get(3) {
                Some(&c) => usize::try_from(int_arg(h, c)?).unwrap_or(0),
                None => 0,
            };
            let re = match regex::Regex::new(&pattern) {
                Ok(re) => re,
                Err(e) => return fail(h, "ValueError", format!("bad pattern: {e}")),
            };
            let repl = regex::Regex::new(r"\\(\d+)")
                .expect("a valid pattern")
                .replace_all(&repl.replace('$', "$$"), "$${${1}}")
                .into_owned();
            let out = re.replacen(&text, count, repl.as_str());
            Ok(state::new_str(h, &out))
        }
        ("io", "StringIO") => {
            let text = match args.first() {
                Some(&a) => super::text::str_of(h, a)?,
                None => String::new(),
            };
            Ok(crate::memory::new_object(h, Payload::Stream(Some(text))))
        }
        ("sys", "getallocatedblocks") => {
            let n = st(h).alloc.inner().allocated_blocks();
            Ok(state::new_int(h, n as i64))
        }
        _ => unsupported(h, &format!("{module}.{func}")),
    }
}

/// Can `op` be weakly referenced (does its type have `tp_weaklistoffset`)? Instances (unless
/// `__slots__` leave out `__weakref__`), classes, functions, sets and weak references can;
/// lists, dicts, tuples, ints, strs and `object()` cannot.
fn weakrefable(h: &mut GcHeap, op: ObjId) -> bool {
    match body(h, op) {
        Payload::Instance(i) => {
            if !i.has_slots {
                return true;
            }
            let cls = i.class;
            matches!(body(h, cls), Payload::Class(c) if c.weakref_slot)
        }
        Payload::Class(_) | Payload::Function(_) | Payload::Set(_) | Payload::WeakRef { .. } => {
            true
        }
        _ => false,
    }
}

/// `weakref.ref(obj[, callback])`: the collector's weak reference, adopted as a runtime object.
/// `weakref.proxy(obj[, callback])` is one too, never shared (a proxy is never the basic
/// reference: it is made with a callback slot even without a callback).
fn new_weakref(h: &mut GcHeap, args: &[ObjId], proxy: bool) -> PyResult<ObjId> {
    let Some(&obj) = args.first() else {
        return fail(h, "TypeError", "ref() takes at least 1 argument (0 given)");
    };
    if !weakrefable(h, obj) {
        let cls = ops::type_of(h, obj);
        let name = ops::class_name(h, cls);
        return fail(
            h,
            "TypeError",
            format!("cannot create weak reference to '{name}' object"),
        );
    }
    let callback = args
        .get(1)
        .copied()
        .filter(|&c| !matches!(body(h, c), Payload::None));
    let slot = (callback.is_some() || proxy).then(collector::weakref::Callback::host);
    let wr = h.new_weakref(obj, slot);
    if !h.is_runtime(wr) {
        if let Some(c) = callback {
            h.incref(c);
        }
        crate::memory::adopt(h, wr, Payload::WeakRef { callback, proxy });
    }
    Ok(wr)
}

/// Runs a module's Python part (`prelude`) with the module's dict as its globals.
pub fn run_prelude(h: &mut GcHeap, module: ObjId, source: &'static str) -> PyResult<()> {
    use rustpython_parser::Parse;
    let dict = match body(h, module) {
        Payload::Module { dict, .. } => *dict,
        _ => return Ok(()),
    };
    let suite =
        rustpython_parser::ast::Suite::parse(source, "<prelude>").expect("the prelude parses");
    let suite: Rc<[rustpython_parser::ast::Stmt]> = suite.into();
    st(h).preludes.push(suite.clone());
    h.incref(dict);
    let mut frame = super::exec::Frame::module(dict);
    frame.name = Rc::from("<module>");
    let r = super::exec::exec_body(h, &mut frame, &suite);
    frame.release(h);
    h.decref(dict);
    r.map(|_| ())
}

/// The Python part of `weakref`.
pub const WEAKREF_PRELUDE: &str = include_str!("prelude_weakref.py");

/// Calls every function of `gc.callbacks` with `(phase, info)`, as `invoke_gc_callback` does;
/// an exception is reported as unraisable and the others still run.
pub fn run_gc_callbacks(h: &mut GcHeap, phase: Phase, info: &GcInfo) {
    let list = st(h).gc_callbacks;
    let callbacks = match body(h, list) {
        Payload::List(l) if !l.items.is_empty() => l.items.clone(),
        _ => return,
    };
    callbacks.iter().for_each(|&c| h.incref(c));
    let d = state::new_dict(h);
    for (k, v) in [
        ("generation", info.generation),
        ("collected", info.collected),
        ("uncollectable", info.uncollectable),
    ] {
        let i = state::new_int(h, v as i64);
        ops::dict_set_str(h, d, k, i);
        h.decref(i);
    }
    let name = match phase {
        Phase::Start => "start",
        Phase::Stop => "stop",
    };
    for c in callbacks {
        let p = state::intern(h, name);
        h.incref(d);
        match super::call::call_object(h, c, vec![p, d], Vec::new()) {
            Ok(v) => h.decref(v),
            Err(e) => super::call::write_unraisable(h, e, c),
        }
        h.decref(c);
    }
    h.decref(d);
}
