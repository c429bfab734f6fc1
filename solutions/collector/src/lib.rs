//! The collector: how CPython frees objects (≈ `Objects/object.c`, `Modules/gcmodule.c`).
//!
//! One module per chapter step, in course order:
//! - [`refcount`]: reference counting and the deallocation cascade (Part II, "Reference counting").
//! - [`cycles`]: tracked objects on gc lists and the unreachable-set computation ("Cycles").
//! - [`weakref`]: weak references, clearing and callbacks ("Weak references").
//! - [`finalize`]: PEP 442 finalizers, resurrection, legacy finalizers ("`__del__` pitfalls").
//! - [`generations`]: thresholds, counts, promotion and the `gc` module facade (Part IV).

pub mod cycles;
pub mod finalize;
pub mod generations;
pub mod refcount;
pub mod weakref;
