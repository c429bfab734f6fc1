//! `repr`, `str` and f-string formatting (given), with CPython's float repr.

use collector::cycles::{GcHeap, ObjId};
use rustpython_parser::ast::ConversionFlag;

use super::error::PyResult;
use super::object::Payload;
use super::ops::{self, body};

/// `repr(f)` of a float, as `float_repr` prints it: the shortest digits that round-trip,
/// scientific notation below 1e-4 and from 1e16.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = f.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e').expect("{:e} has an exponent");
        let exp: i32 = exp.parse().expect("exponent");
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') { s } else { s + ".0" }
}

/// A str's repr: single quotes unless the text has a single quote and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn join(h: &mut GcHeap, items: &[ObjId], sep: &str) -> PyResult<String> {
    let mut parts = Vec::with_capacity(items.len());
    for &i in items {
        parts.push(repr_of(h, i)?);
    }
    Ok(parts.join(sep))
}

/// `repr(v)`, with `Py_ReprEnter`/`Py_ReprLeave` around containers: one that contains itself
/// prints `[...]`, `{...}` or `(...)` inside.
pub fn repr_of(h: &mut GcHeap, v: ObjId) -> PyResult<String> {
    let mark = match body(h, v) {
        Payload::List(_) => "[...]",
        Payload::Dict(_) => "{...}",
        Payload::Tuple(_) => "(...)",
        _ => return repr_inner(h, v),
    };
    if super::state::st(h).repr_active.contains(&v) {
        return Ok(mark.to_string());
    }
    super::state::st(h).repr_active.push(v);
    let r = repr_inner(h, v);
    super::state::st(h).repr_active.retain(|&x| x != v);
    r
}

fn repr_inner(h: &mut GcHeap, v: ObjId) -> PyResult<String> {
    let addr = crate::memory::object_address(h, v);
    Ok(match body(h, v) {
        Payload::None => "None".into(),
        Payload::Bool(b) => if *b { "True" } else { "False" }.into(),
        Payload::Int(i) => i.to_string(),
        Payload::Float(f) => float_repr(*f),
        Payload::Str(s) => str_repr(s),
        Payload::Tuple(t) => {
            let t = t.clone();
            if t.len() == 1 {
                format!("({},)", repr_of(h, t[0])?)
            } else {
                format!("({})", join(h, &t, ", ")?)
            }
        }
        Payload::List(l) => {
            let items = l.items.clone();
            format!("[{}]", join(h, &items, ", ")?)
        }
        Payload::Dict(_) => {
            let mut parts = Vec::new();
            for (k, val) in ops::dict_items(h, v) {
                parts.push(format!("{}: {}", repr_of(h, k)?, repr_of(h, val)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Payload::Set(_) => {
            let items = super::builtins::keys_of(h, v);
            if items.is_empty() {
                "set()".into()
            } else {
                format!("{{{}}}", join(h, &items, ", ")?)
            }
        }
        Payload::Object => format!("<object object at {addr:#x}>"),
        Payload::Instance(i) => {
            let cls = i.class;
            if let Some(r) = super::call::call_dunder(h, v, "__repr__", vec![])? {
                let s = str_of(h, r);
                h.decref(r);
                return s;
            }
            let exception = super::state::builtin(h, "BaseException");
            let name = ops::class_name(h, cls);
            if ops::is_subclass(h, cls, exception) {
                let args = match ops::body(h, v) {
                    Payload::Instance(i) => i.attrs.first().map(|(_, a)| *a),
                    _ => None,
                };
                let inner = match args.map(|a| body(h, a)) {
                    Some(Payload::Tuple(t)) => {
                        let t = t.clone();
                        join(h, &t, ", ")?
                    }
                    _ => String::new(),
                };
                return Ok(format!("{name}({inner})"));
            }
            format!("<__main__.{name} object at {addr:#x}>")
        }
        Payload::Class(c) => {
            if c.builtin {
                format!("<class '{}'>", c.name)
            } else {
                format!("<class '__main__.{}'>", c.name)
            }
        }
        Payload::Function(fo) => format!("<function {} at {addr:#x}>", fo.qualname),
        Payload::Builtin(b) => format!("<built-in function {}>", b.name),
        Payload::Method { func, this } => {
            let (func, this) = (*func, *this);
            let q = match body(h, func) {
                Payload::Function(fo) => fo.qualname.clone(),
                _ => "?".into(),
            };
            format!("<bound method {q} of {}>", repr_of(h, this)?)
        }
        Payload::Module { name, .. } => format!("<module '{name}' (built-in)>"),
        Payload::Statistic(s) => s.to_string(),
        Payload::StatisticDiff(d) => d.to_string(),
        Payload::TraceFrame(f) => f.to_string(),
        Payload::Range { start, stop, step } => {
            if *step == 1 {
                format!("range({start}, {stop})")
            } else {
                format!("range({start}, {stop}, {step})")
            }
        }
        other => format!("<{} object at {addr:#x}>", other.type_name()),
    })
}

/// `str(v)`.
pub fn str_of(h: &mut GcHeap, v: ObjId) -> PyResult<String> {
    match body(h, v) {
        Payload::Str(s) => Ok(s.to_string()),
        Payload::Instance(i) => {
            let cls = i.class;
            if let Some(r) = super::call::call_dunder(h, v, "__str__", vec![])? {
                let s = str_of(h, r);
                h.decref(r);
                return s;
            }
            let exception = super::state::builtin(h, "BaseException");
            if ops::is_subclass(h, cls, exception) {
                return Ok(str_of_exception(h, v));
            }
            repr_of(h, v)
        }
        _ => repr_of(h, v),
    }
}

/// `str(exc)`: its one argument's str, `''` without arguments, else the repr of `args`
/// (`KeyError` shows its argument's repr).
pub fn str_of_exception(h: &mut GcHeap, exc: ObjId) -> String {
    let (cls, args) = match body(h, exc) {
        Payload::Instance(i) => (i.class, i.attrs.first().map(|(_, a)| *a)),
        _ => return String::new(),
    };
    let Some(args) = args else {
        return String::new();
    };
    let items = match body(h, args) {
        Payload::Tuple(t) => t.clone(),
        _ => return String::new(),
    };
    let key_error = super::state::builtin(h, "KeyError");
    let r = match items.as_slice() {
        [] => Ok(String::new()),
        [one] if ops::is_subclass(h, cls, key_error) => repr_of(h, *one),
        [one] => str_of(h, *one),
        _ => repr_of(h, args),
    };
    r.unwrap_or_default()
}

/// An f-string field: `{value!conversion:spec}`.
pub fn format_value(
    h: &mut GcHeap,
    v: ObjId,
    conversion: ConversionFlag,
    spec: &str,
) -> PyResult<String> {
    let text = match conversion {
        ConversionFlag::Repr => repr_of(h, v)?,
        // !a: the repr with non-ASCII characters escaped.
        ConversionFlag::Ascii => repr_of(h, v)?
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else if (c as u32) < 0x100 {
                    format!("\\x{:02x}", c as u32)
                } else if (c as u32) < 0x10000 {
                    format!("\\u{:04x}", c as u32)
                } else {
                    format!("\\U{:08x}", c as u32)
                }
            })
            .collect(),
        ConversionFlag::Str => str_of(h, v)?,
        _ if spec.is_empty() => str_of(h, v)?,
        _ => return format_spec(h, v, spec),
    };
    if spec.is_empty() {
        return Ok(text);
    }
    let s = super::state::new_str(h, &text);
    let r = format_spec(h, s, spec);
    h.decref(s);
    r
}

pub use super::format::format_spec;
