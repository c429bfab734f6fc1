//! The interpreter (given): parse with `rustpython-parser`, walk the AST, print what CPython
//! prints. Every value is an object in the heap, made by [`crate::memory::new_object`] and freed
//! by [`crate::memory::dealloc`]: the evaluator only increfs and decrefs, as CPython's does.
//!
//! Reference discipline, as in CPython's C API: a function that returns an `ObjId` returns a
//! *new* reference, which the caller must store or `decref`; an `ObjId` argument is *borrowed*.

pub mod arith;
pub mod arity;
pub mod builtins;
pub mod call;
pub mod code;
pub mod convert;
pub mod define;
pub mod dicts;
pub mod error;
pub mod exec;
pub mod expr;
pub mod flow;
pub mod format;
pub mod functions;
pub mod items;
pub mod iter;
pub mod methods;
pub mod modules;
pub mod names;
pub mod object;
pub mod ops;
pub mod seq;
pub mod sets;
pub mod state;
pub mod strs;
pub mod text;
pub mod tracing;
pub mod unraisable;

use collector::cycles::{GcHeap, Host, ObjId};
use collector::generations::{GcInfo, Phase};

pub use error::{Flow, PyErr, PyResult};
pub use object::{Payload, PyObj};
pub use state::State;

/// How to run a program.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Stress mode: a generation-0 collection at every GC allocation, to find objects the
    /// runtime forgot to count (Crafting Interpreters' "stress test the GC").
    pub stress: bool,
    /// Print `sys._debugmallocstats()` at exit.
    pub stats: bool,
    /// The stack of the thread the program runs on, in bytes (`None`: 256 MiB, enough for
    /// Python's 1000-call recursion limit in a debug build).
    pub stack_size: Option<usize>,
}

/// What a program printed (stdout and stderr interleaved, as `python3 prog.py 2>&1` shows them),
/// and its exit status (0, or 1 after an uncaught exception).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Everything printed.
    pub text: String,
    /// The exit status.
    pub status: i32,
}

/// The type slots of every runtime object: they call your code in [`crate::memory`].
struct Slots;

impl Host for Slots {
    fn tp_traverse(&self, heap: &GcHeap, op: ObjId, out: &mut Vec<ObjId>) {
        crate::memory::traverse(heap, op, out);
    }
    fn tp_clear(&self, heap: &mut GcHeap, op: ObjId) {
        crate::memory::clear(heap, op);
    }
    fn tp_dealloc(&self, heap: &mut GcHeap, op: ObjId) {
        crate::memory::dealloc(heap, op);
    }
    fn tp_finalize(&self, heap: &mut GcHeap, op: ObjId) {
        call::run_del(heap, op);
    }
    fn weakref_callback(&self, heap: &mut GcHeap, wr: ObjId) {
        call::run_weakref_callback(heap, wr);
    }
    fn gc_callback(&self, heap: &mut GcHeap, phase: Phase, info: &GcInfo) {
        modules::run_gc_callbacks(heap, phase, info);
    }
    fn may_untrack(&self, heap: &GcHeap, op: ObjId, dicts: bool) -> bool {
        crate::memory::may_untrack(heap, op, dicts)
    }
    fn clear_freelists(&self, heap: &mut GcHeap) {
        crate::memory::clear_freelists(heap);
    }
    fn save_garbage(&self, heap: &mut GcHeap, op: ObjId) {
        let garbage = heap.state::<State>().gc_garbage;
        methods::list_append(heap, garbage, op);
    }
    fn describe(&self, heap: &GcHeap, op: ObjId) -> String {
        let name = match &heap.payload::<PyObj>(op).body {
            Payload::Instance(i) => ops::class_name(heap, i.class).to_string(),
            Payload::Class(_) => "type".to_string(),
            other => other.type_name().to_string(),
        };
        format!("{name} {:#x}", crate::memory::object_address(heap, op))
    }
    fn write_line(&self, heap: &mut GcHeap, line: &str) {
        state::write(heap, &format!("{line}\n"));
    }
}

static SLOTS: Slots = Slots;

/// Runs the Python program `source` (named `filename` in tracebacks) and returns what it printed.
///
/// The program runs on a thread of its own, whose stack (`Options::stack_size`) bounds how deeply
/// the evaluator and the deallocations may recurse.
///
/// A bug of the runtime (or of your crates) that panics does not lose what the program printed
/// before: the output comes back with a last line saying so, and status 101.
pub fn run_source(source: &str, filename: &str, options: &Options) -> Output {
    let (source, filename, opts) = (source.to_string(), filename.to_string(), options.clone());
    let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let shared = printed.clone();
    let result = std::thread::Builder::new()
        .name("python".into())
        .stack_size(options.stack_size.unwrap_or(256 << 20))
        .spawn(move || run_on_this_thread(&source, &filename, &opts, shared))
        .expect("cannot start the interpreter's thread")
        .join();
    match result {
        Ok(output) => output,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            let mut text = printed.lock().map(|t| t.clone()).unwrap_or_default();
            text += &format!("[the runtime panicked: {why}]\n");
            Output { text, status: 101 }
        }
    }
}

fn run_on_this_thread(
    source: &str,
    filename: &str,
    options: &Options,
    printed: std::sync::Arc<std::sync::Mutex<String>>,
) -> Output {
    let mut heap = GcHeap::new();
    heap.set_host(&SLOTS);
    let mut state = State::new(source, filename, options.clone());
    state.printed = Some(printed);
    heap.set_state(Box::new(state));
    // CPython starts with automatic collection on (gcmodule.c: `gcstate->enabled = 1`).
    heap.enable();
    let h = &mut heap;
    state::init(h);
    let status = match <rustpython_parser::ast::Suite as rustpython_parser::Parse>::parse(
        source, filename,
    ) {
        Err(e) => {
            let line = error::line_of(source, e.offset.to_usize());
            let text = format!(
                "  File \"{filename}\", line {line}\nSyntaxError: {}\n",
                e.error
            );
            state::write(h, &text);
            1
        }
        Ok(suite) => {
            // The compiler interns every identifier of the program (co_names, co_varnames)
            // before it runs: storing a new variable allocates no str for its name.
            for (tok, _) in
                rustpython_parser::lexer::lex(source, rustpython_parser::Mode::Module).flatten()
            {
                if let rustpython_parser::Tok::Name { name } = tok {
                    let op = state::intern(h, &name);
                    h.decref(op);
                }
            }
            let module: std::rc::Rc<[rustpython_parser::ast::Stmt]> = suite.into();
            h.state_mut::<State>().module_ast = Some(module.clone());
            let globals = h.state::<State>().main_dict;
            let mut frame = exec::Frame::module(globals);
            let result = exec::exec_body(h, &mut frame, &module);
            frame.release(h);
            match result {
                Ok(_) => 0,
                Err(err) => {
                    error::print_uncaught(h, err);
                    1
                }
            }
        }
    };
    state::shutdown(h, options);
    let text = std::mem::take(&mut h.state_mut::<State>().out);
    Output { text, status }
}
