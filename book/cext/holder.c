/* holder: a type with one object field, emptied two ways, to show why Py_CLEAR
 * empties the field before it drops the reference.
 * Built by the doctest runner (grader/src/doctest/cext.rs) for the page
 * book/src/part2-refcounting/cext-macros.md. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *item;                           /* owned, or NULL */
} Holder;

/* What the field holds now (a new reference), or None when it is empty. */
static PyObject *
holder_get(Holder *self, PyObject *unused)
{
    if (self->item == NULL) {
        Py_RETURN_NONE;
    }
    Py_INCREF(self->item);
    return self->item;
}

// ANCHOR: set
/* Replace the field. Py_XSETREF stores the new value first, then drops the
 * old one (which may be NULL), so the old object's finalizer sees the new
 * value already in place. */
static PyObject *
holder_set(Holder *self, PyObject *obj)
{
    Py_INCREF(obj);
    Py_XSETREF(self->item, obj);
    Py_RETURN_NONE;
}
// ANCHOR_END: set

// ANCHOR: clear
/* The tempting order: drop the reference, then forget the pointer. If that
 * was the last reference, the object's __del__ runs inside Py_XDECREF while
 * self->item still points at it. */
static PyObject *
holder_clear_naive(Holder *self, PyObject *unused)
{
    Py_XDECREF(self->item);
    self->item = NULL;
    Py_RETURN_NONE;
}

/* The safe order: Py_CLEAR sets the field to NULL, then drops the reference. */
static PyObject *
holder_clear(Holder *self, PyObject *unused)
{
    Py_CLEAR(self->item);
    Py_RETURN_NONE;
}
// ANCHOR_END: clear

static void
holder_dealloc(Holder *self)
{
    Py_CLEAR(self->item);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef holder_methods[] = {
    {"get", (PyCFunction)holder_get, METH_NOARGS, "the held object, or None"},
    {"set", (PyCFunction)holder_set, METH_O, "hold obj (Py_XSETREF)"},
    {"clear_naive", (PyCFunction)holder_clear_naive, METH_NOARGS, "Py_XDECREF, then NULL"},
    {"clear", (PyCFunction)holder_clear, METH_NOARGS, "Py_CLEAR"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject HolderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "holder.Holder",
    .tp_basicsize = sizeof(Holder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)holder_dealloc,
    .tp_methods = holder_methods,
    .tp_doc = "Holds one object.",
};

static struct PyModuleDef holder_module = {
    PyModuleDef_HEAD_INIT, "holder", "Emptying a field: Py_CLEAR and the naive order.", -1, NULL,
};

PyMODINIT_FUNC
PyInit_holder(void)
{
    if (PyType_Ready(&HolderType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&holder_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&HolderType);
    if (PyModule_AddObject(module, "Holder", (PyObject *)&HolderType) < 0) {
        Py_DECREF(&HolderType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
