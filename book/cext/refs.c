/* refs: which C API calls hand you a reference you own, and which only lend one.
 * Built by the doctest runner (grader/src/doctest/cext.rs) for the page
 * book/src/part2-refcounting/c-extensions.md. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// ANCHOR: first
/* lst[0], returned to Python. PyList_GetItem lends its result (a borrowed
 * reference); a function's return value must be a reference the caller owns,
 * so we take one of our own with Py_INCREF before handing it over. */
static PyObject *
first(PyObject *module, PyObject *lst)
{
    PyObject *item = PyList_GetItem(lst, 0);  /* borrowed */
    if (item == NULL) {
        return NULL;                          /* not a list, or empty */
    }
    Py_INCREF(item);
    return item;                              /* new, for the caller */
}
// ANCHOR_END: first

// ANCHOR: boxed
/* [obj, n]: PyList_SetItem steals the reference it is given. The new
 * reference from PyLong_FromLong goes straight in; `obj` is only borrowed
 * (it is our argument), so we must own one before giving it away. */
static PyObject *
boxed(PyObject *module, PyObject *args)
{
    PyObject *obj;
    long n;
    if (!PyArg_ParseTuple(args, "Ol", &obj, &n)) {
        return NULL;
    }
    PyObject *lst = PyList_New(2);            /* new */
    if (lst == NULL) {
        return NULL;
    }
    PyObject *number = PyLong_FromLong(n);    /* new */
    if (number == NULL) {
        Py_DECREF(lst);
        return NULL;
    }
    Py_INCREF(obj);                           /* the one we give away */
    PyList_SetItem(lst, 0, obj);              /* stolen */
    PyList_SetItem(lst, 1, number);           /* stolen: nothing left to DECREF */
    return lst;
}
// ANCHOR_END: boxed

// ANCHOR: pair
/* (obj, obj): Py_BuildValue's "O" takes a reference of its own for every
 * use, so the tuple holds two and the argument stays borrowed. */
static PyObject *
pair(PyObject *module, PyObject *obj)
{
    return Py_BuildValue("(OO)", obj, obj);
}
// ANCHOR_END: pair

static PyMethodDef refs_methods[] = {
    {"first", first, METH_O, "lst[0], via a borrowed reference"},
    {"boxed", boxed, METH_VARARGS, "[obj, n], via two stolen references"},
    {"pair", pair, METH_O, "(obj, obj), via Py_BuildValue"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef refs_module = {
    PyModuleDef_HEAD_INIT, "refs", "New, borrowed and stolen references.", -1, refs_methods,
};

PyMODINIT_FUNC
PyInit_refs(void)
{
    return PyModule_Create(&refs_module);
}
