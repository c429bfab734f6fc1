//! CPython's own pymalloc, as a column of the benchmark: `PyObject_Malloc`, `PyObject_Calloc`,
//! `PyObject_Realloc` and `PyObject_Free` of the installed CPython 3.11, called through its shared
//! library (`libpython3.11.so`, found where `python3`'s `sysconfig` says it is and opened with
//! `dlopen` at run time, so that building the benchmark never depends on it).
//!
//! The interpreter is initialised once (`Py_InitializeEx(0)`: no signal handlers) and never
//! finalised; the benchmark's thread then holds the GIL, as any caller of `PyObject_Malloc`
//! must. `PYTHONMALLOC` is cleared first, so the allocator measured is pymalloc itself, not its
//! debug hooks or plain malloc. Requests over 512 bytes go to `PyMem_RawMalloc` (glibc), as in
//! CPython — and as in the solution.

use std::ffi::{CStr, CString, c_int, c_void};
use std::process::Command;

use allocator::size_class::Allocator;

type Malloc = unsafe extern "C" fn(usize) -> *mut c_void;
type Calloc = unsafe extern "C" fn(usize, usize) -> *mut c_void;
type Realloc = unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void;
type Free = unsafe extern "C" fn(*mut c_void);

/// CPython's object allocator, reached through its shared library.
#[derive(Clone)]
pub struct CPython {
    malloc: Malloc,
    calloc: Calloc,
    realloc: Realloc,
    free: Free,
    /// `python3 --version`, for the summary.
    pub version: String,
}

impl CPython {
    /// Open libpython and initialise the interpreter; `Err` says why not (no python3, a CPython
    /// built without `--enable-shared`, a missing symbol), and the column is then skipped.
    pub fn load() -> Result<CPython, String> {
        let script = "import sys, sysconfig as s; print(s.get_config_var('LIBDIR')); \
                      print(s.get_config_var('LDLIBRARY')); print(sys.version.split()[0])";
        let out = Command::new("python3")
            .args(["-c", script])
            .output()
            .map_err(|e| format!("no python3 to find libpython with ({e})"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let (Some(dir), Some(lib), Some(version)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err("python3 did not say where its library is".into());
        };
        if !lib.ends_with(".so") && !lib.contains(".so.") {
            return Err(format!(
                "python3 {version} is built without a shared libpython ({lib})"
            ));
        }
        let path = CString::new(format!("{dir}/{lib}")).map_err(|e| e.to_string())?;
        // The allocator must be pymalloc itself, whatever the caller's environment says.
        // SAFETY: the benchmark is single-threaded here; nothing reads the environment at once.
        unsafe { std::env::remove_var("PYTHONMALLOC") };
        // SAFETY: dlopen is given a NUL-terminated path; RTLD_GLOBAL lets the interpreter's own
        // extension modules find its symbols.
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        if handle.is_null() {
            // SAFETY: dlerror returns a C string describing the last dlopen failure.
            let why = unsafe { CStr::from_ptr(libc::dlerror()) };
            return Err(format!(
                "cannot open {}: {}",
                path.to_string_lossy(),
                why.to_string_lossy()
            ));
        }
        let symbol = |name: &str| -> Result<*mut c_void, String> {
            let c = CString::new(name).expect("no NUL in a symbol name");
            // SAFETY: handle is a live library handle and c a NUL-terminated name.
            let p = unsafe { libc::dlsym(handle, c.as_ptr()) };
            if p.is_null() {
                Err(format!("libpython has no {name}"))
            } else {
                Ok(p)
            }
        };
        let init = symbol("Py_InitializeEx")?;
        // SAFETY: Py_InitializeEx(int) has this signature in every CPython 3.
        let init: unsafe extern "C" fn(c_int) = unsafe { std::mem::transmute(init) };
        // SAFETY: called once, from this thread, before any other Python API.
        unsafe { init(0) };
        // SAFETY (all four): the symbols are the PyObject_* allocator functions, whose C
        // signatures are exactly these function types.
        Ok(CPython {
            malloc: unsafe {
                std::mem::transmute::<*mut c_void, Malloc>(symbol("PyObject_Malloc")?)
            },
            calloc: unsafe {
                std::mem::transmute::<*mut c_void, Calloc>(symbol("PyObject_Calloc")?)
            },
            realloc: unsafe {
                std::mem::transmute::<*mut c_void, Realloc>(symbol("PyObject_Realloc")?)
            },
            free: unsafe { std::mem::transmute::<*mut c_void, Free>(symbol("PyObject_Free")?) },
            version: version.to_string(),
        })
    }
}

impl Allocator for CPython {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // SAFETY: the interpreter is initialised and this thread holds the GIL.
        unsafe { (self.malloc)(nbytes).cast() }
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // SAFETY: as for malloc.
        unsafe { (self.calloc)(nelem, elsize).cast() }
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // SAFETY: the caller passes null or a live block of this allocator.
        unsafe { (self.realloc)(p.cast(), nbytes).cast() }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        // SAFETY: the caller passes null or a live block of this allocator, freed once.
        unsafe { (self.free)(p.cast()) }
    }
}
