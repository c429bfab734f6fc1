//! The base a new class extends (`best_base`, `solid_base` and `extra_ivars` in
//! Objects/typeobject.c): every base's solid base must lie on one line of inheritance, or the
//! class has an instance lay-out conflict.

use super::*;

// ANCHOR: bases
/// `extra_ivars(type, base)`: does `t` add instance fields to `base`? With an itemsize involved,
/// any change of basicsize or itemsize counts. Otherwise a heap type's trailing `__weakref__`
/// slot, then its trailing dict slot, are not counted (they never conflict).
pub fn extra_ivars(t: &PyType, base: &PyType) -> bool {
    // TODO
    let mut t_size = t.basicsize;
    if t.itemsize != 0 || base.itemsize != 0 {
        return t_size != base.basicsize || t.itemsize != base.itemsize;
    }
    if t.weaklistoffset != 0 && base.weaklistoffset == 0 && t.weaklistoffset + 8 == t_size && t.heap
    {
        t_size -= 8;
    }
    if t.dictoffset != 0 && base.dictoffset == 0 && t.dictoffset + 8 == t_size as isize && t.heap {
        t_size -= 8;
    }
    t_size != base.basicsize
}

/// `solid_base(type)`: the nearest type along the `tp_base` chain (itself included) that adds
/// instance fields; `object` if none does.
pub fn solid_base(t: &Rc<PyType>) -> Rc<PyType> {
    // TODO
    let base = match &t.base {
        Some(b) => solid_base(b),
        None => builtin("object").expect("object is a builtin"),
    };
    if extra_ivars(t, &base) {
        Rc::clone(t)
    } else {
        base
    }
}

/// `best_base(bases)`: check each base is acceptable, then keep the base whose solid base is a
/// subtype of every other base's solid base; a pair where neither solid base is a subtype of the
/// other is a layout conflict. On a tie, the first base wins.
pub fn best_base(bases: &[Rc<PyType>]) -> Result<Rc<PyType>, TypeNewError> {
    // TODO
    let mut chosen = builtin("object").expect("object is a builtin"); // no bases: object
    let mut winner: Option<Rc<PyType>> = None;
    for base in bases {
        if !base.acceptable_base {
            return Err(TypeNewError::NotAcceptableBase(base.name.clone()));
        }
        let candidate = solid_base(base);
        match &winner {
            Some(w) if w.is_subtype(&candidate) => {}
            Some(w) if !candidate.is_subtype(w) => return Err(TypeNewError::LayoutConflict),
            _ => {
                winner = Some(candidate);
                chosen = Rc::clone(base);
            }
        }
    }
    Ok(chosen)
}
// ANCHOR_END: bases
