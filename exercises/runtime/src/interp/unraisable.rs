//! Exceptions that cannot propagate (given): from `__del__`, weak reference callbacks and
//! `gc.callbacks`, reported through `sys.unraisablehook` (`PyErr_WriteUnraisable`).

use std::rc::Rc;

use collector::cycles::{GcHeap, ObjId};

use super::call::{call_dunder, call_object, getattr};
use super::error::PyErr;
use super::object::Payload;
use super::ops::{self, body};
use super::state::{self, State, st};

/// `tp_finalize` of a class with `__del__`: calls it; an exception is reported as unraisable
/// (`PyErr_WriteUnraisable`), printed as CPython's default `sys.unraisablehook` does.
pub fn run_del(h: &mut GcHeap, obj: ObjId) {
    if let Err(err) = call_dunder(h, obj, "__del__", vec![]).map(|r| r.map(|v| h.decref(v))) {
        let cls = ops::type_of(h, obj);
        let del = ops::class_lookup(h, cls, "__del__").expect("a class with __del__");
        write_unraisable(h, err, del);
    }
}

/// `PyErr_WriteUnraisable(object)`: an exception that cannot propagate (from `__del__`, a weak
/// reference callback, a `gc.callbacks` function) goes to `sys.unraisablehook`. The default
/// hook prints `Exception ignored in: {object!r}`, the traceback and the exception; a hook the
/// program installed gets an `UnraisableHookArgs` (exc_type, exc_value, exc_traceback,
/// err_msg, object).
pub fn write_unraisable(h: &mut GcHeap, err: PyErr, object: ObjId) {
    let sys = st(h).modules["sys"];
    let hook = getattr(h, sys, "unraisablehook").ok();
    if let Some(hook) = hook
        && !matches!(body(h, hook), Payload::Builtin(_))
    {
        let cls = ops::type_of(h, err.exc);
        let args_class = state::builtin(h, "UnraisableHookArgs");
        h.incref(args_class);
        h.incref(cls);
        h.incref(object);
        let attrs = vec![
            (Rc::from("exc_type"), cls),
            (Rc::from("exc_value"), err.exc),
            (Rc::from("exc_traceback"), state::none(h)),
            (Rc::from("err_msg"), state::none(h)),
            (Rc::from("object"), object),
        ];
        let args = crate::memory::new_object(
            h,
            Payload::Instance(super::object::InstanceObj {
                class: args_class,
                attrs,
                slots: Vec::new(),
                has_slots: false,
                dict: None,
            }),
        );
        match call_object(h, hook, vec![args], Vec::new()) {
            Ok(v) => h.decref(v),
            Err(e) => h.decref(e.exc),
        }
        h.decref(hook);
        return;
    }
    if let Some(hook) = hook {
        h.decref(hook);
    }
    let what = super::text::repr_of(h, object).unwrap_or_default();
    let mut text = format!("Exception ignored in: {what}\nTraceback (most recent call last):\n");
    let filename = h.state::<State>().filename.clone();
    for (func, line) in err.traceback.iter().rev() {
        text += &format!("  File \"{filename}\", line {line}, in {func}\n");
    }
    text += &super::error::exception_line(h, err.exc);
    text.push('\n');
    state::write(h, &text);
    h.decref(err.exc);
}

/// Calls the callback of the weak reference `wr` with `wr` (`handle_callback` in
/// Objects/weakrefobject.c); an exception is reported as unraisable.
pub fn run_weakref_callback(h: &mut GcHeap, wr: ObjId) {
    let Payload::WeakRef {
        callback: Some(cb), ..
    } = body(h, wr)
    else {
        return;
    };
    let cb = *cb;
    h.incref(cb);
    h.incref(wr);
    let r = call_object(h, cb, vec![wr], Vec::new());
    match r {
        Ok(v) => h.decref(v),
        Err(err) => write_unraisable(h, err, cb),
    }
    h.decref(cb);
}
