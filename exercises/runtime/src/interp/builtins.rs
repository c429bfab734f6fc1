//! The built-in classes and functions (given), and iteration.

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::call::{release, release_kwargs};
use super::error::{PyResult, fail};
use super::exec::Frame;
use super::object::Payload;
use super::ops::{self, body};
use super::state::{self, st};
use super::text;

/// The built-in functions.
const FUNCTIONS: &[&str] = &[
    "print",
    "len",
    "range",
    "isinstance",
    "issubclass",
    "repr",
    "sorted",
    "sum",
    "min",
    "max",
    "abs",
    "round",
    "enumerate",
    "zip",
    "id",
    "hasattr",
    "getattr",
    "setattr",
    "delattr",
    "reversed",
    "iter",
    "next",
    "any",
    "all",
    "callable",
    "hash",
    "divmod",
    "chr",
    "ord",
    "property",
    "map",
    "filter",
    "hex",
    "bin",
    "oct",
    "pow",
    "format",
];

/// The exception hierarchy (name, base).
const EXCEPTIONS: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("StopIteration", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("MemoryError", "Exception"),
    ("ReferenceError", "Exception"),
    ("KeyboardInterrupt", "BaseException"),
];

/// Installs the built-in classes and functions.
pub fn install(h: &mut GcHeap) {
    let object = state::new_builtin_class(h, "object", &[]);
    for name in [
        "type",
        "int",
        "float",
        "str",
        "tuple",
        "list",
        "dict",
        "set",
        "NoneType",
        "function",
        "builtin_function_or_method",
        "method",
        "cell",
        "module",
        "range",
        "list_iterator",
        "range_iterator",
        "super",
        "Snapshot",
        "Statistic",
        "StatisticDiff",
        "Frame",
        "StringIO",
        "TextIOWrapper",
        "ReferenceType",
        "ProxyType",
        "traceback",
        "property",
    ] {
        state::new_builtin_class(h, name, &[object]);
    }
    state::new_builtin_class(h, "UnraisableHookArgs", &[object]);
    let int = state::builtin(h, "int");
    state::new_builtin_class(h, "bool", &[int]);
    state::new_builtin_class(h, "BaseException", &[object]);
    for (name, base) in EXCEPTIONS {
        let base = state::builtin(h, base);
        state::new_builtin_class(h, name, &[base]);
    }
    for name in FUNCTIONS {
        let f = state::new_builtin(h, name);
        st(h).builtins.insert(Rc::from(*name), f);
    }
}

fn arg_count(h: &mut GcHeap, name: &str, args: &[ObjId], min: usize, max: usize) -> PyResult<()> {
    if args.len() < min || args.len() > max {
        let msg = if min == max {
            format!(
                "{name}() takes exactly {min} argument ({} given)",
                args.len()
            )
        } else {
            format!(
                "{name} expected at most {max} arguments, got {}",
                args.len()
            )
        };
        return fail(h, "TypeError", msg);
    }
    Ok(())
}

/// Calls the built-in function `name` (taking over `args` and `kwargs`).
pub fn call_builtin(
    h: &mut GcHeap,
    name: &str,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    if let Some((module, func)) = name.split_once('.') {
        return super::modules::call(h, module, func, args, kwargs);
    }
    let r = super::arity::check(h, name, args.len())
        .and_then(|()| builtin_body(h, name, &args, &kwargs));
    release(h, args);
    release_kwargs(h, kwargs);
    r
}

fn builtin_body(
    h: &mut GcHeap,
    name: &str,
    args: &[ObjId],
    kwargs: &[(Rc<str>, ObjId)],
) -> PyResult<ObjId> {
    let kw = |k: &str| kwargs.iter().find(|(n, _)| &**n == k).map(|(_, v)| *v);
    match name {
        "print" => {
            let sep = match kw("sep") {
                Some(s) if !matches!(body(h, s), Payload::None) => text::str_of(h, s)?,
                _ => " ".to_string(),
            };
            let end = match kw("end") {
                Some(s) if !matches!(body(h, s), Payload::None) => text::str_of(h, s)?,
                _ => "\n".to_string(),
            };
            let mut line = String::new();
            for (i, &a) in args.iter().enumerate() {
                if i > 0 {
                    line += &sep;
                }
                line += &text::str_of(h, a)?;
            }
            line += &end;
            match kw("file") {
                Some(file) => super::modules::write_to(h, file, &line)?,
                None => state::write(h, &line),
            }
            Ok(state::none(h))
        }
        "len" => {
            arg_count(h, "len", args, 1, 1)?;
            let n = len(h, args[0])?;
            Ok(state::new_int(h, n as i64))
        }
        "repr" => {
            arg_count(h, "repr", args, 1, 1)?;
            let s = text::repr_of(h, args[0])?;
            Ok(state::new_str(h, &s))
        }
        "range" => {
            let mut v = Vec::new();
            for &a in args {
                v.push(int_arg(h, a)?);
            }
            let (start, stop, step) = match v.as_slice() {
                [stop] => (0, *stop, 1),
                [start, stop] => (*start, *stop, 1),
                [start, stop, step] => (*start, *stop, *step),
                _ => return fail(h, "TypeError", "range expected at most 3 arguments"),
            };
            if step == 0 {
                return fail(h, "ValueError", "range() arg 3 must not be zero");
            }
            Ok(crate::memory::new_object(
                h,
                Payload::Range { start, stop, step },
            ))
        }
        "isinstance" | "issubclass" => {
            arg_count(h, name, args, 2, 2)?;
            let classes = match body(h, args[1]) {
                Payload::Tuple(items) => items.clone(),
                _ => vec![args[1]],
            };
            let mut r = false;
            for c in classes {
                r |= if name == "isinstance" {
                    ops::isinstance(h, args[0], c)
                } else {
                    ops::is_subclass(h, args[0], c)
                };
            }
            Ok(state::new_bool(h, r))
        }
        "id" => {
            arg_count(h, "id", args, 1, 1)?;
            let id = crate::memory::object_address(h, args[0]);
            Ok(state::new_int(h, id as i64))
        }
        "hash" => {
            let k = ops::hash_key(h, args[0])?;
            let v = match k {
                // hash(-1) is -2: -1 is C's error value for tp_hash.
                super::object::HashKey::Int(-1) => -2,
                super::object::HashKey::Int(i) => i,
                super::object::HashKey::User(i) => i,
                super::object::HashKey::Id(_) => {
                    (crate::memory::object_address(h, args[0]) >> 4) as i64
                }
                other => {
                    // Equal values hash alike (a tuple by its items); the value itself differs
                    // from CPython's (str hashes are randomised there anyway).
                    use std::hash::{Hash, Hasher};
                    let mut s = rustc_hash::FxHasher::default();
                    other.hash(&mut s);
                    (s.finish() >> 2) as i64
                }
            };
            Ok(state::new_int(h, v))
        }
        "callable" => {
            let c = matches!(
                body(h, args[0]),
                Payload::Function(_)
                    | Payload::Builtin(_)
                    | Payload::Method { .. }
                    | Payload::BuiltinMethod { .. }
                    | Payload::Class(_)
            );
            Ok(state::new_bool(h, c))
        }
        "hasattr" => {
            arg_count(h, "hasattr", args, 2, 2)?;
            let name = text::str_of(h, args[1])?;
            match super::methods::find_attr(h, args[0], &name)? {
                Some(v) => {
                    h.decref(v);
                    Ok(state::new_bool(h, true))
                }
                None => Ok(state::new_bool(h, false)),
            }
        }
        "getattr" => {
            let attr = text::str_of(h, args[1])?;
            match super::methods::find_attr(h, args[0], &attr)? {
                Some(v) => Ok(v),
                None if args.len() > 2 => {
                    h.incref(args[2]);
                    Ok(args[2])
                }
                None => super::call::getattr(h, args[0], &attr),
            }
        }
        "setattr" => {
            let attr = text::str_of(h, args[1])?;
            super::call::setattr(h, args[0], &attr, args[2])?;
            Ok(state::none(h))
        }
        "delattr" => {
            let attr = text::str_of(h, args[1])?;
            super::call::delattr(h, args[0], &attr)?;
            Ok(state::none(h))
        }
        "property" => {
            arg_count(h, "property", args, 1, 1)?;
            h.incref(args[0]);
            Ok(crate::memory::new_object(
                h,
                Payload::Property { fget: args[0] },
            ))
        }
        "iter" => get_iter(h, args[0]),
        "next" => match iter_next(h, args[0])? {
            Some(v) => Ok(v),
            None if args.len() > 1 => {
                h.incref(args[1]);
                Ok(args[1])
            }
            None => fail(h, "StopIteration", ""),
        },
        _ => super::functions::builtin_sequence_function(h, name, args, kwargs),
    }
}

/// An int argument.
pub fn int_arg(h: &mut GcHeap, v: ObjId) -> PyResult<i64> {
    match body(h, v) {
        Payload::Int(i) => Ok(*i),
        Payload::Bool(b) => Ok(i64::from(*b)),
        other => {
            let t = other.type_name();
            fail(
                h,
                "TypeError",
                format!("'{t}' object cannot be interpreted as an integer"),
            )
        }
    }
}

/// `len(v)`.
pub fn len(h: &mut GcHeap, v: ObjId) -> PyResult<usize> {
    Ok(match body(h, v) {
        Payload::Str(s) => s.chars().count(),
        Payload::Tuple(t) => t.len(),
        Payload::List(l) => l.items.len(),
        Payload::Dict(d) => d.index.len(),
        Payload::Set(s) => s.index.len(),
        Payload::Range { start, stop, step } => ops::range_len(*start, *stop, *step) as usize,
        Payload::Instance(_) => match super::call::call_dunder(h, v, "__len__", vec![])? {
            Some(r) => {
                let n = int_arg(h, r);
                h.decref(r);
                n? as usize
            }
            None => return no_len(h, v),
        },
        _ => return no_len(h, v),
    })
}

fn no_len<T>(h: &mut GcHeap, v: ObjId) -> PyResult<T> {
    let cls = ops::type_of(h, v);
    let t = ops::class_name(h, cls);
    fail(h, "TypeError", format!("object of type '{t}' has no len()"))
}

/// `cls(*args)` for a built-in class: `int("3")`, `list(x)`, `ValueError("boom")`, `object()`.
pub fn call_type(
    h: &mut GcHeap,
    cls: ObjId,
    args: Vec<ObjId>,
    kwargs: Vec<(Rc<str>, ObjId)>,
) -> PyResult<ObjId> {
    let exception = state::builtin(h, "BaseException");
    if ops::is_subclass(h, cls, exception) {
        release_kwargs(h, kwargs);
        return Ok(super::call::instantiate_exception(h, cls, args));
    }
    let name = ops::class_name(h, cls);
    if &*name == "dict" && !kwargs.is_empty() {
        let d = super::convert::construct(h, "dict", &args);
        let r = d.inspect(|&d| {
            for (k, v) in &kwargs {
                ops::dict_set_str(h, d, k, *v);
            }
        });
        release(h, args);
        release_kwargs(h, kwargs);
        return r;
    }
    let r = super::convert::construct(h, &name, &args);
    release(h, args);
    release_kwargs(h, kwargs);
    r
}

/// `super()` inside a method: the class whose body defined the running function, and `self`.
pub fn zero_arg_super(h: &mut GcHeap, f: &mut Frame) -> PyResult<ObjId> {
    let Some(code) = f.code.clone() else {
        return fail(h, "RuntimeError", "super(): no arguments");
    };
    let Some(first) = code.params.first() else {
        return fail(h, "RuntimeError", "super(): no arguments");
    };
    let this = super::exec::load(h, f, first)?;
    let cls = ops::type_of(h, this);
    let mut chain = vec![cls];
    chain.extend(body(h, cls).as_class().mro.iter().copied());
    let owner = chain.into_iter().find(|&k| {
        body(h, k)
            .as_class()
            .attrs
            .iter()
            .any(|(_, v)| match body(h, *v) {
                Payload::Function(fo) => Rc::ptr_eq(&fo.code, &code),
                _ => false,
            })
    });
    let Some(owner) = owner else {
        h.decref(this);
        return fail(h, "RuntimeError", "super(): __class__ cell not found");
    };
    h.incref(owner);
    Ok(crate::memory::new_object(
        h,
        Payload::Super { class: owner, this },
    ))
}

pub use super::iter::{collect, get_iter, iter_next, keys_of};
