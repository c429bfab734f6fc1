/* allocount: a counting hook around the object allocator (PYMEM_DOMAIN_OBJ,
 * the one behind PyObject_Malloc), installed with PyMem_SetAllocator.
 * Built by the doctest runner (grader/src/doctest/cext.rs) for the page
 * book/src/part2-refcounting/cext-allocator-hook.md. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// ANCHOR: hook
/* The allocator we wrap (pymalloc, or whatever hook was there before us). */
static PyMemAllocatorEx wrapped;
static int installed = 0;

/* Calls counted since install(). The object domain is only called with the
 * GIL held, so plain counters are safe. */
static Py_ssize_t mallocs, callocs, reallocs, frees, large;

/* Above this many bytes pymalloc hands a request to the raw allocator. */
#define SMALL_REQUEST_LIMIT 512

static void *
counting_malloc(void *ctx, size_t size)
{
    mallocs++;
    large += size > SMALL_REQUEST_LIMIT;
    return wrapped.malloc(wrapped.ctx, size);
}

static void *
counting_calloc(void *ctx, size_t nelem, size_t elsize)
{
    callocs++;
    large += nelem * elsize > SMALL_REQUEST_LIMIT;
    return wrapped.calloc(wrapped.ctx, nelem, elsize);
}

static void *
counting_realloc(void *ctx, void *ptr, size_t new_size)
{
    reallocs++;
    return wrapped.realloc(wrapped.ctx, ptr, new_size);
}

static void
counting_free(void *ctx, void *ptr)
{
    if (ptr != NULL) {
        frees++;
    }
    wrapped.free(wrapped.ctx, ptr);
}
// ANCHOR_END: hook

// ANCHOR: install
/* Wrap the current object allocator. Every block, whoever allocated it, is
 * still freed by the allocator underneath, so installing and removing the
 * hook while objects are alive is safe. */
static PyObject *
install(PyObject *module, PyObject *unused)
{
    if (installed) {
        PyErr_SetString(PyExc_RuntimeError, "the counting hook is already installed");
        return NULL;
    }
    PyMemAllocatorEx hook = {NULL, counting_malloc, counting_calloc, counting_realloc,
                             counting_free};
    mallocs = callocs = reallocs = frees = large = 0;
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &wrapped);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &hook);
    installed = 1;
    Py_RETURN_NONE;
}

/* Put the wrapped allocator back. */
static PyObject *
uninstall(PyObject *module, PyObject *unused)
{
    if (installed) {
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &wrapped);
        installed = 0;
    }
    Py_RETURN_NONE;
}
// ANCHOR_END: install

/* The counters, as a dict (building it allocates: read them, then act). */
static PyObject *
counts(PyObject *module, PyObject *unused)
{
    Py_ssize_t m = mallocs, c = callocs, r = reallocs, f = frees, l = large;
    return Py_BuildValue("{snsnsnsnsn}", "malloc", m, "calloc", c, "realloc", r, "free", f,
                         "large", l);
}

static PyMethodDef allocount_methods[] = {
    {"install", install, METH_NOARGS, "start counting object-allocator calls"},
    {"uninstall", uninstall, METH_NOARGS, "stop counting"},
    {"counts", counts, METH_NOARGS, "the calls counted since install()"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef allocount_module = {
    PyModuleDef_HEAD_INIT, "allocount", "Counting calls to PyObject_Malloc and friends.", -1,
    allocount_methods,
};

PyMODINIT_FUNC
PyInit_allocount(void)
{
    return PyModule_Create(&allocount_module);
}
