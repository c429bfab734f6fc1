/* record_alloc: a tiny CPython extension that records every request made to the object and
 * "mem" allocators (PYMEM_DOMAIN_OBJ and PYMEM_DOMAIN_MEM, both served by pymalloc since 3.6),
 * for generate.py's --cpython-program trace.
 *
 *   record_alloc.start(path)  wrap both domains' allocators and record into the file `path`
 *   record_alloc.stop()       put the previous allocators back; returns the number of records
 *
 * The wrappers call the allocator they replaced, so a block obtained before start() can be
 * freed while recording, and one obtained while recording can be freed after stop(). Each record
 * is three native-endian uint64: (kind << 56 | size), the old pointer, the new pointer. Only
 * successful requests are recorded (a failed malloc or realloc changes no block), and free(NULL)
 * is not. Both domains require the GIL, so the wrappers never run at the same time.
 *
 * Build: gcc -shared -fPIC -O2 -I<sysconfig include dir> record_alloc.c -o record_alloc<EXT_SUFFIX>
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>

enum { KIND_MALLOC = 1, KIND_REALLOC = 2, KIND_FREE = 3 };

/* One per wrapped domain: the allocator that was in place before start(). */
static PyMemAllocatorEx previous[2];
static const PyMemAllocatorDomain domains[2] = {PYMEM_DOMAIN_OBJ, PYMEM_DOMAIN_MEM};

static FILE *out;
static unsigned long long records;

/* stdio buffers the writes; its buffer comes from the C library's malloc, never from the
 * domains being recorded, so recording cannot recurse. */
static void record(uint64_t kind, size_t size, void *old, void *new_block)
{
    uint64_t rec[3] = {kind << 56 | (uint64_t)size, (uint64_t)(uintptr_t)old,
                       (uint64_t)(uintptr_t)new_block};
    fwrite(rec, sizeof rec, 1, out);
    records++;
}

static void *hook_malloc(void *ctx, size_t size)
{
    PyMemAllocatorEx *prev = ctx;
    void *p = prev->malloc(prev->ctx, size);
    if (p != NULL)
        record(KIND_MALLOC, size, NULL, p);
    return p;
}

/* A calloc is recorded as a malloc of the same total size: the trace format has no calloc. */
static void *hook_calloc(void *ctx, size_t nelem, size_t elsize)
{
    PyMemAllocatorEx *prev = ctx;
    void *p = prev->calloc(prev->ctx, nelem, elsize);
    if (p != NULL)
        record(KIND_MALLOC, nelem * elsize, NULL, p);
    return p;
}

static void *hook_realloc(void *ctx, void *old, size_t size)
{
    PyMemAllocatorEx *prev = ctx;
    void *p = prev->realloc(prev->ctx, old, size);
    if (p != NULL)
        record(KIND_REALLOC, size, old, p);
    return p;
}

static void hook_free(void *ctx, void *p)
{
    PyMemAllocatorEx *prev = ctx;
    if (p != NULL)
        record(KIND_FREE, 0, p, NULL);
    prev->free(prev->ctx, p);
}

static PyObject *start(PyObject *self, PyObject *args)
{
    const char *path;
    if (!PyArg_ParseTuple(args, "s", &path))
        return NULL;
    if (out != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "already recording");
        return NULL;
    }
    out = fopen(path, "wb");
    if (out == NULL)
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    records = 0;
    for (int d = 0; d < 2; d++) {
        PyMem_GetAllocator(domains[d], &previous[d]);
        PyMemAllocatorEx hook = {&previous[d], hook_malloc, hook_calloc, hook_realloc, hook_free};
        PyMem_SetAllocator(domains[d], &hook);
    }
    Py_RETURN_NONE;
}

static PyObject *stop(PyObject *self, PyObject *unused)
{
    if (out == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "not recording");
        return NULL;
    }
    for (int d = 0; d < 2; d++)
        PyMem_SetAllocator(domains[d], &previous[d]);
    int failed = ferror(out) | fclose(out);
    out = NULL;
    if (failed) {
        PyErr_SetString(PyExc_OSError, "writing the allocation records failed");
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(records);
}

static PyMethodDef methods[] = {
    {"start", start, METH_VARARGS, "start(path): record every OBJ and MEM request into path"},
    {"stop", stop, METH_NOARGS, "stop() -> number of records: restore the allocators"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "record_alloc", NULL, -1, methods};

PyMODINIT_FUNC PyInit_record_alloc(void) { return PyModule_Create(&module); }
