//! The interpreter state (given): your allocator, the static objects (`None`, `True`, `False`,
//! the small ints), the built-in classes and functions, the modules, and the output.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use allocator::obmalloc::Obmalloc;
use allocator::trace::{Frame, Tracer};
use collector::cycles::{GcHeap, ObjId};

use super::Options;
use super::object::{Builtin, ClassObj, DictObj, ListObj, Payload};

/// The small ints CPython preallocates: −5 … 256 (`_PY_NSMALLNEGINTS`, `_PY_NSMALLPOSINTS`).
pub const SMALL_INTS: std::ops::RangeInclusive<i64> = -5..=256;

/// Everything the runtime keeps besides the objects themselves.
pub struct State {
    /// Your allocator, behind your tracer (`tracemalloc`): every object's block comes from here.
    pub alloc: Tracer<Obmalloc>,
    /// The line being run (of the innermost frame): where `tracemalloc` says a block was made.
    pub line: usize,
    /// The program's file name, for `tracemalloc`'s frames (which keep a `&'static str`).
    pub trace_filename: &'static str,
    /// Your model of CPython's caches and free lists (`objects::freelist`): it decides which
    /// dead float, tuple, list or dict keeps its block for the next one.
    pub fl: objects::freelist::Runtime,
    /// The runtime object of each static str of `fl` (the empty str, one-character latin-1
    /// strs), made once.
    pub fl_statics: HashMap<objects::freelist::ObjId, ObjId>,
    /// The blocks of the objects waiting on a free list, by their id in `fl`.
    pub parked: HashMap<objects::freelist::ObjId, usize>,
    /// Where each line of the program starts (byte offsets): a statement's line is a binary
    /// search away.
    pub line_starts: Vec<usize>,
    /// The program's text and file name (for tracebacks).
    pub source: Rc<str>,
    pub filename: Rc<str>,
    /// The parsed program (kept alive: functions point into it).
    pub module_ast: Option<Rc<[rustpython_parser::ast::Stmt]>>,
    /// How to run.
    pub options: Options,
    /// What the program printed so far.
    pub out: String,
    /// A copy of it that survives a panic of the interpreter's thread.
    pub printed: Option<std::sync::Arc<std::sync::Mutex<String>>>,
    /// `None`, `False`, `True`.
    pub none: ObjId,
    pub false_: ObjId,
    pub true_: ObjId,
    /// `()`, made once.
    pub empty_tuple: Option<ObjId>,
    /// The small ints, index `v + 5`.
    pub small_ints: Vec<ObjId>,
    /// The built-in names (`len`, `int`, `ValueError`, …), each holding one reference.
    pub builtins: HashMap<Rc<str>, ObjId>,
    /// The importable modules (`gc`, `sys`), each holding one reference.
    pub modules: HashMap<Rc<str>, ObjId>,
    /// `__main__`'s dict: the program's globals.
    pub main_dict: ObjId,
    /// The constants of the program (`co_consts`): one object per constant expression, made the
    /// first time it is evaluated and kept (one reference each), by the address of its AST node.
    pub constants: HashMap<usize, ObjId>,
    /// Interned identifier strs (names of variables and attributes used as dict keys), one
    /// reference each, as CPython interns the names its compiler sees.
    pub interned: HashMap<Rc<str>, ObjId>,
    /// Code objects by the address of their AST node, made once.
    pub codes: HashMap<usize, Rc<super::code::Code>>,
    /// Your trashcan: how deeply deallocations nest now, and the objects parked meanwhile
    /// (`_PyTrash_thread_deposit_object`). Used by [`crate::memory::dealloc`].
    pub trash_depth: usize,
    pub trash: Vec<ObjId>,
    /// How deeply Python calls nest (a `RecursionError` past 1000, as CPython's limit).
    pub call_depth: usize,
    /// The containers whose repr is being computed (`Py_ReprEnter`): a container met again
    /// inside itself prints as `[...]`.
    pub repr_active: Vec<ObjId>,
    /// The parsed preludes of modules (kept alive: their functions point into them).
    pub preludes: Vec<Rc<[rustpython_parser::ast::Stmt]>>,
    /// Modules whose Python prelude already ran.
    pub loaded: Vec<Rc<str>>,
    /// `gc.callbacks`: the list object.
    pub gc_callbacks: ObjId,
    /// `gc.garbage`: the list object.
    pub gc_garbage: ObjId,
}

impl State {
    /// A state before [`init`]: no objects yet.
    pub fn new(source: &str, filename: &str, options: Options) -> State {
        let none = placeholder();
        State {
            alloc: Tracer::new(Obmalloc::new()),
            line: 0,
            // One small leak per run: a frame names its file for as long as the tracer lives.
            trace_filename: Box::leak(filename.to_string().into_boxed_str()),
            fl: objects::freelist::Runtime::new(),
            parked: HashMap::default(),
            fl_statics: HashMap::default(),
            line_starts: std::iter::once(0)
                .chain(source.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            source: Rc::from(source),
            filename: Rc::from(filename),
            module_ast: None,
            options,
            out: String::new(),
            printed: None,
            none,
            false_: none,
            true_: none,
            small_ints: Vec::new(),
            empty_tuple: None,
            builtins: HashMap::default(),
            modules: HashMap::default(),
            main_dict: none,
            constants: HashMap::default(),
            interned: HashMap::default(),
            codes: HashMap::default(),
            trash_depth: 0,
            trash: Vec::new(),
            call_depth: 0,
            repr_active: Vec::new(),
            preludes: Vec::new(),
            loaded: Vec::new(),
            gc_callbacks: none,
            gc_garbage: none,
        }
    }
}

/// A handle that names no object yet (replaced during [`init`]): `ObjId` has no public
/// constructor, so a scratch heap hands one out.
fn placeholder() -> ObjId {
    GcHeap::new().alloc("placeholder")
}

/// The state of heap `h`.
pub fn st(h: &mut GcHeap) -> &mut State {
    h.state_mut::<State>()
}

/// Creates the static objects, the built-in classes and functions, and the modules.
pub fn init(h: &mut GcHeap) {
    let none = crate::memory::new_object(h, Payload::None);
    let false_ = crate::memory::new_object(h, Payload::Bool(false));
    let true_ = crate::memory::new_object(h, Payload::Bool(true));
    let small_ints = SMALL_INTS
        .map(|v| crate::memory::new_object(h, Payload::Int(v)))
        .collect();
    let s = st(h);
    s.none = none;
    s.false_ = false_;
    s.true_ = true_;
    s.small_ints = small_ints;
    super::builtins::install(h);
    let main = new_dict(h);
    st(h).main_dict = main;
    let name = new_str(h, "__main__");
    super::ops::dict_set_str(h, main, "__name__", name);
    h.decref(name);
    super::modules::install(h);
}

/// At exit: run the finalizers `weakref.finalize` registered (its `atexit` hook), and print the
/// allocator's statistics if asked. (Objects still alive are not finalized, as `Py_FinalizeEx`
/// does not promise it either.)
pub fn shutdown(h: &mut GcHeap, options: &Options) {
    // atexit: weakref.finalize's exit function runs the finalizers still alive.
    if st(h).loaded.iter().any(|m| &**m == "weakref") {
        let module = st(h).modules["weakref"];
        if let Ok(exitfunc) = super::call::getattr(h, module, "_exitfunc") {
            match super::call::call_object(h, exitfunc, Vec::new(), Vec::new()) {
                Ok(v) => h.decref(v),
                Err(e) => super::error::print_uncaught(h, e),
            }
            h.decref(exitfunc);
        }
    }
    if options.stats {
        let report = allocator::stats::debug_malloc_stats(st(h).alloc.inner());
        write(h, &report);
    }
}

impl State {
    /// Where an allocation made now comes from, for `tracemalloc`: the running line.
    pub fn frame(&self) -> Frame {
        Frame {
            filename: self.trace_filename,
            lineno: u32::try_from(self.line).unwrap_or(u32::MAX),
        }
    }
}

/// Prints `text` (stdout and stderr share one stream, as `2>&1` shows them).
pub fn write(h: &mut GcHeap, text: &str) {
    let s = st(h);
    s.out.push_str(text);
    if let Some(printed) = &s.printed
        && let Ok(mut p) = printed.lock()
    {
        p.push_str(text);
    }
}

/// A new reference to `None`.
pub fn none(h: &mut GcHeap) -> ObjId {
    let n = st(h).none;
    h.incref(n);
    n
}

/// A new reference to `True` or `False`.
pub fn new_bool(h: &mut GcHeap, b: bool) -> ObjId {
    let s = st(h);
    let v = if b { s.true_ } else { s.false_ };
    h.incref(v);
    v
}

/// `PyLong_FromLongLong`: a small int from the cache, or a new int object.
pub fn new_int(h: &mut GcHeap, v: i64) -> ObjId {
    if SMALL_INTS.contains(&v) {
        let op = st(h).small_ints[(v + 5) as usize];
        h.incref(op);
        return op;
    }
    crate::memory::new_object(h, Payload::Int(v))
}

/// A new float.
pub fn new_float(h: &mut GcHeap, v: f64) -> ObjId {
    crate::memory::new_object(h, Payload::Float(v))
}

/// A new str.
///
/// The empty str and the one-character latin-1 strs are static singletons
/// (`unicode_new_empty`, `get_latin1_char`): your `objects::freelist` model says which, and each
/// is made once, here, and kept.
pub fn new_str(h: &mut GcHeap, s: &str) -> ObjId {
    let mallocs = st(h).fl.mallocs();
    let id = st(h).fl.str_new(s);
    if st(h).fl.mallocs() == mallocs {
        let op = match st(h).fl_statics.get(&id) {
            Some(&op) => op,
            None => {
                let op = crate::memory::new_object(h, Payload::Str(Rc::from(s)));
                st(h).fl_statics.insert(id, op);
                op
            }
        };
        h.incref(op);
        return op;
    }
    // Only the statics matter to the model here: a str's life is the heap's.
    st(h).fl.str_dealloc(id);
    crate::memory::new_object(h, Payload::Str(Rc::from(s)))
}

/// `sys.intern(s)` (borrowed `s`, a str): the interned str with its text (a new reference); `s`
/// itself becomes it if there is none. The compiler interns identifiers and identifier-like
/// constants into the same table.
pub fn intern_str(h: &mut GcHeap, s: ObjId) -> ObjId {
    let text = match &h.payload::<super::PyObj>(s).body {
        Payload::Str(t) => t.clone(),
        _ => return s,
    };
    let op = *st(h).interned.entry(text).or_insert(s);
    if op == s {
        // The table's own reference (3.11's interned strs made at run time stay interned here).
        h.incref(s);
    }
    h.incref(op);
    op
}

/// The interned str `name` (a new reference), made once.
pub fn intern(h: &mut GcHeap, name: &str) -> ObjId {
    let op = match st(h).interned.get(name) {
        Some(&op) => op,
        None => {
            let op = new_str(h, name);
            st(h).interned.insert(Rc::from(name), op);
            op
        }
    };
    h.incref(op);
    op
}

/// A new tuple that takes over the references in `items`.
///
/// `()` is one static object (`_Py_SINGLETON(tuple_empty)`), never tracked.
pub fn new_tuple(h: &mut GcHeap, items: Vec<ObjId>) -> ObjId {
    if items.is_empty() {
        let op = match st(h).empty_tuple {
            Some(op) => op,
            None => {
                let op = crate::memory::new_object(h, Payload::Tuple(Vec::new()));
                h.untrack(op);
                st(h).empty_tuple = Some(op);
                op
            }
        };
        h.incref(op);
        return op;
    }
    crate::memory::new_object(h, Payload::Tuple(items))
}

/// A new list that takes over the references in `items` (sized as `[a, b, c]` sizes it).
pub fn new_list(h: &mut GcHeap, items: Vec<ObjId>) -> ObjId {
    let model = objects::layout::PyList::with_len(items.len());
    crate::memory::new_object(h, Payload::List(ListObj { items, model }))
}

/// A new empty dict.
pub fn new_dict(h: &mut GcHeap) -> ObjId {
    crate::memory::new_object(h, Payload::Dict(DictObj::default()))
}

/// A built-in function object.
pub fn new_builtin(h: &mut GcHeap, name: &str) -> ObjId {
    crate::memory::new_object(
        h,
        Payload::Builtin(Builtin {
            name: Rc::from(name),
        }),
    )
}

/// A built-in class `name` with bases `bases` (borrowed), registered as a builtin name.
pub fn new_builtin_class(h: &mut GcHeap, name: &str, bases: &[ObjId]) -> ObjId {
    let mut mro = Vec::new();
    for &b in bases {
        if !mro.contains(&b) {
            mro.push(b);
        }
        for &m in &h.payload::<super::PyObj>(b).body.as_class().mro {
            if !mro.contains(&m) {
                mro.push(m);
            }
        }
    }
    for &m in bases.iter().chain(&mro) {
        h.incref(m);
    }
    let class = ClassObj {
        name: Rc::from(name),
        bases: bases.to_vec(),
        mro,
        attrs: Vec::new(),
        slots: Vec::new(),
        own_slots: 0,
        has_dict: false,
        shared_keys: Vec::new(),
        weakref_slot: false,
        builtin: true,
    };
    let op = crate::memory::new_object(h, Payload::Class(class));
    st(h).builtins.insert(Rc::from(name), op);
    op
}

/// The built-in named `name` (borrowed). Panics if there is none: the runtime asked for a
/// built-in it never installed.
pub fn builtin(h: &mut GcHeap, name: &str) -> ObjId {
    *st(h)
        .builtins
        .get(name)
        .unwrap_or_else(|| panic!("no built-in {name}"))
}

impl Payload {
    /// The class fields (panics on another type: a bug of the runtime).
    pub fn as_class(&self) -> &ClassObj {
        match self {
            Payload::Class(c) => c,
            other => panic!("not a class: {}", other.type_name()),
        }
    }
}
