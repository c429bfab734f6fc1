/* nodes: two types with one `link` field each. Node takes part in cyclic
 * garbage collection; Opaque does not, so a cycle through it is never found.
 * Built by the doctest runner (grader/src/doctest/cext.rs) for the page
 * book/src/part2-refcounting/cext-gc-support.md. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"

typedef struct {
    PyObject_HEAD
    PyObject *link;                           /* owned, or NULL */
} LinkObject;

/* How many of each type are alive: the examples watch these drop (or not). */
static Py_ssize_t live_nodes = 0;
static Py_ssize_t live_opaque = 0;

static PyMemberDef link_members[] = {
    {"link", T_OBJECT, offsetof(LinkObject, link), 0, "any object, or None"},
    {NULL},
};

// ANCHOR: opaque
/* No Py_TPFLAGS_HAVE_GC, so no tp_traverse: the collector never sees this
 * object, nor the reference in its `link`. */
static void
opaque_dealloc(LinkObject *self)
{
    Py_CLEAR(self->link);
    live_opaque--;
    Py_TYPE(self)->tp_free((PyObject *)self);
}
// ANCHOR_END: opaque

static PyObject *
opaque_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = type->tp_alloc(type, 0);  /* zero-filled: link is NULL */
    if (self != NULL) {
        live_opaque++;
    }
    return self;
}

// ANCHOR: new
/* PyObject_GC_New allocates room for the collector's header but does not
 * track the object, and leaves the fields uninitialised. Track it only once
 * `link` holds something tp_traverse can read. */
static PyObject *
node_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    LinkObject *self = PyObject_GC_New(LinkObject, type);
    if (self == NULL) {
        return NULL;
    }
    self->link = NULL;
    live_nodes++;
    PyObject_GC_Track((PyObject *)self);
    return (PyObject *)self;
}
// ANCHOR_END: new

// ANCHOR: traverse
/* Report every reference this object owns. The collector calls it to
 * subtract internal references (and gc.get_referents calls it too). */
static int
node_traverse(LinkObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->link);
    return 0;
}

/* Drop every reference that could be part of a cycle. The collector calls
 * this on unreachable objects to break their cycles; refcounting does the rest. */
static int
node_clear(LinkObject *self)
{
    Py_CLEAR(self->link);
    return 0;
}
// ANCHOR_END: traverse

// ANCHOR: dealloc
static void
node_dealloc(LinkObject *self)
{
    /* First leave the collector's list: a collection triggered while the
     * fields are being released must not traverse a half-destroyed object. */
    PyObject_GC_UnTrack(self);
    node_clear(self);
    live_nodes--;
    PyObject_GC_Del(self);
}
// ANCHOR_END: dealloc

static PyTypeObject OpaqueType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nodes.Opaque",
    .tp_basicsize = sizeof(LinkObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = opaque_new,
    .tp_dealloc = (destructor)opaque_dealloc,
    .tp_members = link_members,
    .tp_doc = "A link the collector cannot see.",
};

// ANCHOR: type
static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nodes.Node",
    .tp_basicsize = sizeof(LinkObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = node_new,
    .tp_dealloc = (destructor)node_dealloc,
    .tp_traverse = (traverseproc)node_traverse,
    .tp_clear = (inquiry)node_clear,
    .tp_members = link_members,
    .tp_doc = "A link the collector can follow.",
};
// ANCHOR_END: type

/* (live Node objects, live Opaque objects). */
static PyObject *
live(PyObject *module, PyObject *unused)
{
    return Py_BuildValue("(nn)", live_nodes, live_opaque);
}

static PyMethodDef nodes_methods[] = {
    {"live", live, METH_NOARGS, "(live Node objects, live Opaque objects)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef nodes_module = {
    PyModuleDef_HEAD_INIT, "nodes", "Cycles with and without collector support.", -1,
    nodes_methods,
};

static int
add_type(PyObject *module, const char *name, PyTypeObject *type)
{
    if (PyType_Ready(type) < 0) {
        return -1;
    }
    Py_INCREF(type);
    if (PyModule_AddObject(module, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC
PyInit_nodes(void)
{
    PyObject *module = PyModule_Create(&nodes_module);
    if (module == NULL) {
        return NULL;
    }
    if (add_type(module, "Node", &NodeType) < 0 || add_type(module, "Opaque", &OpaqueType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
