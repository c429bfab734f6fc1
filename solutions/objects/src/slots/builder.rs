//! The class statement itself: `ClassBuilder::slots_plan` is `type_new_slots` (may the class
//! add a dict or a weakref slot, which names, in which order) and `ClassBuilder::build` is
//! `type_new` (`best_base`, then the offsets of `type_new_descriptors`, then what `PyType_Ready`
//! inherits), with `_Py_Mangle` (Python/compile.c) for private names.

use std::sync::atomic::{AtomicU64, Ordering};

use super::*;

// ANCHOR: builder
/// `_Py_Mangle(class_name, name)`: a name starting with `__` and not ending with `__` becomes
/// `_` + the class name without its leading underscores + the name (`__x` in `_Cls` →
/// `_Cls__x`). Names with a dot, and classes named only with underscores, are left alone.
pub fn mangle(class_name: &str, name: &str) -> String {
    // TODO
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_owned();
    }
    let stripped = class_name.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_owned();
    }
    format!("_{stripped}{name}")
}

/// `str.isidentifier()`, close enough: a letter or `_`, then letters, digits or `_`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

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
        // TODO
        let may_add_dict = base.dictoffset == 0;
        let may_add_weak = base.weaklistoffset == 0 && base.itemsize == 0;
        let Some(slots) = &self.slots else {
            return Ok(SlotsPlan {
                add_dict: may_add_dict,
                add_weak: may_add_weak,
                names: Vec::new(),
            });
        };
        if !slots.is_empty() && base.itemsize != 0 {
            return Err(TypeNewError::NonemptySlotsNotSupported(base.name.clone()));
        }
        // type_new_visit_slots
        let (mut add_dict, mut add_weak) = (false, false);
        for name in slots {
            if !is_identifier(name) {
                return Err(TypeNewError::SlotsNotIdentifiers);
            }
            if name == "__dict__" {
                if !may_add_dict || add_dict {
                    return Err(TypeNewError::DictSlotDisallowed);
                }
                add_dict = true;
            }
            if name == "__weakref__" {
                if !may_add_weak || add_weak {
                    return Err(TypeNewError::WeakrefSlotDisallowed);
                }
                add_weak = true;
            }
        }
        // type_new_copy_slots
        let mut names = Vec::new();
        for name in slots {
            if (add_dict && name == "__dict__") || (add_weak && name == "__weakref__") {
                continue;
            }
            let name = mangle(&self.name, name);
            if self.class_vars.contains(&name) && name != "__qualname__" && name != "__classcell__"
            {
                return Err(TypeNewError::ConflictsWithClassVariable(name));
            }
            names.push(name);
        }
        names.sort();
        // type_new_slots_bases: secondary bases may provide weakrefs or dict.
        if bases.len() > 1 && ((may_add_dict && !add_dict) || (may_add_weak && !add_weak)) {
            for other in bases.iter().filter(|b| b.id != base.id) {
                if may_add_dict && !add_dict && other.dictoffset != 0 {
                    add_dict = true;
                }
                if may_add_weak && !add_weak && other.weaklistoffset != 0 {
                    add_weak = true;
                }
                if (may_add_dict && !add_dict) || (may_add_weak && !add_weak) {
                    continue;
                }
                break;
            }
        }
        Ok(SlotsPlan {
            add_dict,
            add_weak,
            names,
        })
    }

    /// `type_new`: `best_base`, then `type_new_slots` (may the class add a dict / a weakref
    /// slot? check and filter `__slots__`, mangle and sort the names; secondary bases with a
    /// dict or weakref give them too), then `type_new_descriptors` (members from the base's
    /// basicsize, 8 bytes each; the dict at −8 under a variable-size base; the weakref slot;
    /// else a managed dict), then what `PyType_Ready` inherits from the base (dict and weakref
    /// offsets, the managed-dict flag, the builtin `__sizeof__`). The new type's `id` comes
    /// from the given `fresh_type_id()`.
    pub fn build(self) -> Result<Rc<PyType>, TypeNewError> {
        // TODO
        let bases = if self.bases.is_empty() {
            vec![builtin("object").expect("object is a builtin")]
        } else {
            self.bases.clone()
        };
        let base = best_base(&bases)?;
        let SlotsPlan {
            add_dict,
            add_weak,
            names,
        } = self.slots_plan(&bases, &base)?;

        let mut slotoffset = base.basicsize;
        let mut members: Vec<Member> = Vec::new();
        for name in names {
            if members.iter().all(|m| m.name != name) {
                members.push(Member {
                    name,
                    offset: slotoffset,
                });
            }
            slotoffset += 8;
        }
        let mut dictoffset = 0;
        let mut weaklistoffset = 0;
        let mut managed_dict = false;
        if add_dict && base.itemsize != 0 {
            dictoffset = -8;
            slotoffset += 8;
        }
        if add_weak {
            weaklistoffset = slotoffset;
            slotoffset += 8;
        }
        if add_dict && base.itemsize == 0 {
            managed_dict = true;
            dictoffset = -(slotoffset as isize) - 24;
        }
        Ok(Rc::new(PyType {
            id: fresh_type_id(),
            name: self.name,
            basicsize: slotoffset,
            itemsize: base.itemsize,
            // inherit_special: COPYVAL(tp_dictoffset), COPYVAL(tp_weaklistoffset).
            dictoffset: if dictoffset == 0 {
                base.dictoffset
            } else {
                dictoffset
            },
            weaklistoffset: if weaklistoffset == 0 {
                base.weaklistoffset
            } else {
                weaklistoffset
            },
            managed_dict: managed_dict || base.managed_dict,
            heap: true,
            acceptable_base: true,
            members,
            builtin_sizeof: base.builtin_sizeof,
            base: Some(base),
            bases,
        }))
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
