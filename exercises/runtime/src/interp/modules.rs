//! The modules this course is about: `gc` and `sys` (given), on the collector you built.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::builtins::int_arg;
use super::call::release;
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::{self, body};
use super::state::{self, st};

const GC_FUNCTIONS: &[&str] = &[
    "collect", "enable", "disable", "isenabled", "get_count", "get_threshold", "set_threshold",
    "is_tracked", "is_finalized", "freeze", "unfreeze", "get_freeze_count", "get_debug",
    "set_debug", "get_referents",
];
const SYS_FUNCTIONS: &[&str] = &["getrefcount", "getsizeof", "intern", "getallocatedblocks"];

fn module(h: &mut GcHeap, name: &str, functions: &[&str]) -> ObjId {
    let dict = state::new_dict(h);
    for f in functions {
        let func = state::new_builtin(h, &format!("{name}.{f}"));
        ops::dict_set_str(h, dict, f, func);
        h.decref(func);
    }
    let m = crate::memory::new_object(h, Payload::Module { name: Rc::from(name), dict });
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
    for (name, v) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
        let i = state::new_int(h, v);
        ops::dict_set_str(h, gc_dict, name, i);
        h.decref(i);
    }
    st(h).gc_callbacks = callbacks;
    st(h).gc_garbage = garbage;
    let sys = module(h, "sys", SYS_FUNCTIONS);
    let sys_dict = match body(h, sys) {
        Payload::Module { dict, .. } => *dict,
        _ => unreachable!(),
    };
    for stream in ["stdout", "stderr"] {
        let s = state::new_str(h, stream);
        ops::dict_set_str(h, sys_dict, stream, s);
        h.decref(s);
    }
}

/// `print(..., file=f)`: `sys.stdout` and `sys.stderr` share the output stream.
pub fn write_to(h: &mut GcHeap, _file: ObjId, text: &str) -> PyResult<()> {
    state::write(h, text);
    Ok(())
}

fn int_tuple(h: &mut GcHeap, values: &[usize]) -> ObjId {
    let items = values.iter().map(|&v| state::new_int(h, v as i64)).collect();
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
    let r = call_body(h, module, func, &args);
    release(h, args);
    release(h, kwargs.into_iter().map(|(_, v)| v).collect());
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
        ("gc", "get_referents") => {
            let mut refs = Vec::new();
            for &a in args {
                crate::memory::traverse(h, a, &mut refs);
            }
            refs.iter().for_each(|&r| h.incref(r));
            Ok(state::new_list(h, refs))
        }
        ("sys", "getrefcount") => {
            let n = h.refcnt(args[0]);
            Ok(state::new_int(h, n as i64))
        }
        ("sys", "getsizeof") => {
            let n = crate::memory::getsizeof(h, args[0]);
            Ok(state::new_int(h, n as i64))
        }
        ("sys", "intern") => {
            h.incref(args[0]);
            Ok(args[0])
        }
        ("sys", "getallocatedblocks") => {
            let n = st(h).alloc.allocated_blocks();
            Ok(state::new_int(h, n as i64))
        }
        _ => unsupported(h, &format!("{module}.{func}")),
    }
}
