//! The class statement itself: `ClassBuilder::slots_plan` is `type_new_slots` (may the class
//! add a dict or a weakref slot, which names, in which order) and `ClassBuilder::build` is
//! `type_new` (`best_base`, then the offsets of `type_new_descriptors`, then what `PyType_Ready`
//! inherits), with `_Py_Mangle` (Python/compile.c) for private names.

use std::sync::atomic::{AtomicU64, Ordering};

use super::*;

// ANCHOR: builder
// ANCHOR: mangle
/// `_Py_Mangle(class_name, name)`: a name starting with `__` and not ending with `__` becomes
/// `_` + the class name without its leading underscores + the name (`__x` in `_Cls` →
/// `_Cls__x`). Names with a dot, and classes named only with underscores, are left alone.
pub fn mangle(class_name: &str, name: &str) -> String {
    // ANCHOR_END: mangle
    // TODO
    todo!(
        "__name (not __name__, no dot) in class C becomes _C__name; strip the class's leading underscores"
    )
}

/// `str.isidentifier()`, close enough: a letter or `_`, then letters, digits or `_`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

// ANCHOR: slots_plan_struct
/// What `type_new_slots` decided for a new class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotsPlan {
    /// The class adds a `__dict__` (managed, or at −8 under a variable-size base).
    pub add_dict: bool,
    /// The class adds a `__weakref__` slot.
    pub add_weak: bool,
    /// The member names, mangled and sorted (`__dict__` / `__weakref__` taken out).
    pub names: Vec<String>,
}
// ANCHOR_END: slots_plan_struct

/// What a class statement hands to `type()`: a name, bases, maybe `__slots__`, class variables.
#[derive(Clone, Debug)]
pub struct ClassBuilder {
    #[allow(dead_code)] // read by `build` (a todo!() in the stub)
    name: String,
    bases: Vec<Rc<PyType>>,
    slots: Option<Vec<String>>,
    class_vars: Vec<String>,
}

impl ClassBuilder {
    /// `class <name>:` with no bases yet (no bases means `object`) and no `__slots__`.
    pub fn new(name: &str) -> ClassBuilder {
        ClassBuilder {
            name: name.to_owned(),
            bases: Vec::new(),
            slots: None,
            class_vars: Vec::new(),
        }
    }

    /// Appends a base class.
    pub fn base(mut self, base: &Rc<PyType>) -> ClassBuilder {
        self.bases.push(Rc::clone(base));
        self
    }

    /// Sets `__slots__` (replacing any earlier call): `&[]` means `__slots__ = ()`.
    pub fn slots(mut self, names: &[&str]) -> ClassBuilder {
        self.slots = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }

    /// Adds a class attribute (`name = ...` in the class body).
    pub fn class_var(mut self, name: &str) -> ClassBuilder {
        self.class_vars.push(name.to_owned());
        self
    }

    // ANCHOR: slots_plan
    /// `type_new_slots` for a class whose best base is `base`:
    /// - may it add a dict (`base.dictoffset == 0`)? a weakref slot (`base.weaklistoffset == 0`
    ///   and `base.itemsize == 0`)? Without `__slots__`, it adds whatever it may.
    /// - with `__slots__`: names under a variable-size base are an error; then each name must be
    ///   an identifier, and `__dict__` / `__weakref__` ask for the dict / weakref slot (an error
    ///   if it may not, or if asked twice);
    /// - the other names are mangled, checked against the class variables, and sorted;
    /// - with several bases, a secondary base that has a dict or a weakref slot gives the class
    ///   one too, if it may add it (`type_new_slots_bases`).
    pub fn slots_plan(
        &self,
        bases: &[Rc<PyType>],
        base: &Rc<PyType>,
    ) -> Result<SlotsPlan, TypeNewError> {
        // ANCHOR_END: slots_plan
        // TODO
        todo!(
            "work out add_dict / add_weak and the sorted, mangled member names, raising CPython's errors in its order"
        )
    }

    /// `type_new`: `best_base`, then `type_new_slots` (may the class add a dict / a weakref
    /// slot? check and filter `__slots__`, mangle and sort the names; secondary bases with a
    /// dict or weakref give them too), then `type_new_descriptors` (members from the base's
    /// basicsize, 8 bytes each; the dict at −8 under a variable-size base; the weakref slot;
    /// else a managed dict), then what `PyType_Ready` inherits from the base (dict and weakref
    /// offsets, the managed-dict flag, the builtin `__sizeof__`). The new type's `id` comes
    /// from the given `fresh_type_id()`.
    // ANCHOR: build
    pub fn build(self) -> Result<Rc<PyType>, TypeNewError> {
        // ANCHOR_END: build
        // TODO
        todo!(
            "best_base, slots_plan, then lay out members, dict and weakref like type_new_descriptors, and inherit the rest"
        )
    }
}
// ANCHOR_END: builder

/// Ids of classes made by [`ClassBuilder::build`]; builtins use their index in the `BUILTINS`
/// table (`slots/builtins.rs`).
static NEXT_ID: AtomicU64 = AtomicU64::new(1000);

/// Given: a new type id, never used before (call it in `build`).
#[allow(dead_code)] // the stub's `build` is a todo!()
fn fresh_type_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}
