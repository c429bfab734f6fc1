//! The base a new class extends (`best_base`, `solid_base` and `extra_ivars` in
//! Objects/typeobject.c): every base's solid base must lie on one line of inheritance, or the
//! class has an instance lay-out conflict.

use super::*;

// ANCHOR: bases
// ANCHOR: extra_ivars
/// `extra_ivars(type, base)`: does `t` add instance fields to `base`? With an itemsize involved,
/// any change of basicsize or itemsize counts. Otherwise a heap type's trailing `__weakref__`
/// slot, then its trailing dict slot, are not counted (they never conflict).
pub fn extra_ivars(t: &PyType, base: &PyType) -> bool {
    // ANCHOR_END: extra_ivars
    // TODO
    todo!(
        "compare basicsizes (and itemsizes); discount a heap type's trailing weakref, then dict slot"
    )
}

// ANCHOR: solid_base
/// `solid_base(type)`: the nearest type along the `tp_base` chain (itself included) that adds
/// instance fields; `object` if none does.
pub fn solid_base(t: &Rc<PyType>) -> Rc<PyType> {
    // ANCHOR_END: solid_base
    // TODO
    todo!("solid base of tp_base (object if none); t itself if extra_ivars(t, that)")
}

// ANCHOR: best_base
/// `best_base(bases)`: check each base is acceptable, then keep the base whose solid base is a
/// subtype of every other base's solid base; a pair where neither solid base is a subtype of the
/// other is a layout conflict. On a tie, the first base wins.
pub fn best_base(bases: &[Rc<PyType>]) -> Result<Rc<PyType>, TypeNewError> {
    // ANCHOR_END: best_base
    // TODO
    todo!(
        "check each base is acceptable; keep the base whose solid base is a subtype of all the others"
    )
}
// ANCHOR_END: bases
