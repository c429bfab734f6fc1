/* leak: two reference-count mistakes, one in each direction.
 * Built by the doctest runner (grader/src/doctest/cext.rs) for the page
 * book/src/part2-refcounting/cext-wrong-counts.md. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// ANCHOR: leak
/* repr(seq[0]). PySequence_GetItem returns a NEW reference (unlike
 * PyList_GetItem, which lends one); this version treats it as borrowed and
 * never drops it, so every call leaves one reference behind. */
static PyObject *
first_repr_leaky(PyObject *module, PyObject *seq)
{
    PyObject *item = PySequence_GetItem(seq, 0);  /* new */
    if (item == NULL) {
        return NULL;
    }
    return PyObject_Repr(item);                   /* BUG: item never released */
}

/* The same, correct: the reference we own is dropped once we are done. */
static PyObject *
first_repr(PyObject *module, PyObject *seq)
{
    PyObject *item = PySequence_GetItem(seq, 0);  /* new */
    if (item == NULL) {
        return NULL;
    }
    PyObject *text = PyObject_Repr(item);         /* new, or NULL on error */
    Py_DECREF(item);
    return text;
}
// ANCHOR_END: leak

// ANCHOR: drop
/* The opposite mistake: PyList_GetItem lends its result, and this function
 * releases it as if it owned it. The list's own reference is the one that
 * is spent: the count is now one lower than the number of real holders. */
static PyObject *
drop_first(PyObject *module, PyObject *lst)
{
    PyObject *item = PyList_GetItem(lst, 0);      /* borrowed */
    if (item == NULL) {
        return NULL;
    }
    Py_DECREF(item);                              /* BUG: not ours to drop */
    Py_RETURN_NONE;
}
// ANCHOR_END: drop

// ANCHOR: forget
/* Only for the book's examples: overwrite lst[0] with None WITHOUT releasing
 * what was there, so that a list whose slot dangles can later be destroyed
 * safely. A real program has no such repair; it just crashes, sometime. */
static PyObject *
forget_first(PyObject *module, PyObject *lst)
{
    if (!PyList_Check(lst) || PyList_GET_SIZE(lst) == 0) {
        PyErr_SetString(PyExc_TypeError, "a non-empty list is needed");
        return NULL;
    }
    Py_INCREF(Py_None);
    PyList_SET_ITEM(lst, 0, Py_None);             /* the old pointer is dropped unread */
    Py_RETURN_NONE;
}
// ANCHOR_END: forget

static PyMethodDef leak_methods[] = {
    {"first_repr_leaky", first_repr_leaky, METH_O, "repr(seq[0]), leaking seq[0]"},
    {"first_repr", first_repr, METH_O, "repr(seq[0])"},
    {"drop_first", drop_first, METH_O, "DECREF lst[0], a borrowed reference (a bug)"},
    {"forget_first", forget_first, METH_O, "lst[0] = None without releasing the old item"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef leak_module = {
    PyModuleDef_HEAD_INIT, "leak", "A reference leak and a premature free.", -1, leak_methods,
};

PyMODINIT_FUNC
PyInit_leak(void)
{
    return PyModule_Create(&leak_module);
}
