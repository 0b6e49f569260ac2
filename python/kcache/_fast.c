/* kcache._fast: the Python call path in C. Checks the arguments against one compiled overload
 * and calls its generic entry directly, with the GIL released, so that calling a kernel from
 * Python costs about what a call into Numba does. The ctypes path in __init__.py stays as the
 * fallback when this extension is not built. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KC_MAX_NDIM 8
#define MAX_ARGS 32

/* The layout of kc_array in include/kcache.h. */
typedef struct {
    void *data;
    int32_t ndim;
    int64_t shape[KC_MAX_NDIM];
    int64_t strides[KC_MAX_NDIM];
    int32_t dtype;
} kc_array;

typedef int32_t (*generic_fn)(void *const *args, void *ret, const char **error);

/* One argument or result: every scalar type the ABI passes, in 8 bytes. */
typedef union {
    uint8_t u8; int8_t i8; uint16_t u16; int16_t i16; uint32_t u32; int32_t i32;
    uint64_t u64; int64_t i64; float f32; double f64;
} Slot;

enum { DT_BOOL, DT_I8, DT_I16, DT_I32, DT_I64, DT_U8, DT_U16, DT_U32, DT_U64, DT_F32, DT_F64 };
static const int ITEMSIZE[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8};

typedef struct {
    int is_array;
    int dtype;
    int ndim;
    char layout; /* 'C', 'F' or 'A' */
    int written;
} ArgSpec;

typedef struct {
    PyObject_HEAD
    generic_fn fn;
    int nargs;
    ArgSpec args[MAX_ARGS];
    int ret; /* a dtype, or -1 for void */
    int exact;
} Overload;

static PyObject *Mismatch; /* returned when the arguments do not fit this overload */

static int dtype_of_format(const char *f) {
    if (f == NULL) return DT_U8;
    if (*f == '<' || *f == '=' || *f == '@') f++;
    if (f[0] == '\0' || f[1] != '\0') return -1;
    switch (f[0]) {
    case '?': return DT_BOOL;
    case 'b': return DT_I8;
    case 'h': return DT_I16;
    case 'i': return DT_I32;
    case 'l': case 'q': return DT_I64;
    case 'B': return DT_U8;
    case 'H': return DT_U16;
    case 'I': return DT_U32;
    case 'L': case 'Q': return DT_U64;
    case 'f': return DT_F32;
    case 'd': return DT_F64;
    default: return -1;
    }
}

static int contiguous(const Py_buffer *v, int fortran) {
    int64_t expected = v->itemsize;
    for (int k = 0; k < v->ndim; k++) {
        if (v->shape[k] == 0) return 1;
    }
    for (int k = 0; k < v->ndim; k++) {
        int d = fortran ? k : v->ndim - 1 - k;
        if (v->shape[d] != 1 && v->strides[d] != expected) return 0;
        expected *= v->shape[d];
    }
    return 1;
}

/* Converts a Python scalar into the slot; 0 on success, 1 on mismatch. */
static int put_scalar(PyObject *o, const ArgSpec *s, int exact, Slot *slot) {
    int is_bool = PyBool_Check(o);
    int is_int = PyLong_Check(o) && !is_bool;
    int is_float = PyFloat_Check(o);
    if (s->dtype == DT_BOOL) {
        if (!is_bool && (exact || !is_int)) return 1;
        slot->u8 = (uint8_t)(o == Py_True || (is_int && PyLong_AsLongLong(o) != 0));
        return 0;
    }
    if (s->dtype == DT_F64 || s->dtype == DT_F32) {
        if (exact ? !(is_float && s->dtype == DT_F64) : !(is_float || is_int || is_bool)) return 1;
        double d = PyFloat_AsDouble(o);
        if (d == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return 1; }
        if (s->dtype == DT_F64) slot->f64 = d;
        else slot->f32 = (float)d;
        return 0;
    }
    /* integers */
    if (exact ? !(is_int && s->dtype == DT_I64) : !(is_int || is_bool)) return 1;
    if (s->dtype == DT_U64) {
        unsigned long long u = PyLong_AsUnsignedLongLongMask(o);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) { PyErr_Clear(); return 1; }
        slot->u64 = u;
        return 0;
    }
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred())) { PyErr_Clear(); return 1; }
    switch (s->dtype) {
    case DT_I8: slot->i8 = (int8_t)v; break;
    case DT_I16: slot->i16 = (int16_t)v; break;
    case DT_I32: slot->i32 = (int32_t)v; break;
    case DT_U8: slot->u8 = (uint8_t)v; break;
    case DT_U16: slot->u16 = (uint16_t)v; break;
    case DT_U32: slot->u32 = (uint32_t)v; break;
    default: slot->i64 = (int64_t)v; break;
    }
    return 0;
}

static PyObject *raise_kernel_error(const char *text) {
    const char *sep = text ? strstr(text, ": ") : NULL;
    PyObject *type = PyExc_RuntimeError;
    const char *message = text ? text : "kernel error";
    if (sep) {
        PyObject *name = PyUnicode_FromStringAndSize(text, sep - text);
        PyObject *found = name ? PyDict_GetItemWithError(PyEval_GetBuiltins(), name) : NULL;
        Py_XDECREF(name);
        if (found && PyExceptionClass_Check(found)) {
            type = found;
            message = sep + 2;
        }
        PyErr_Clear();
    }
    PyErr_SetString(type, message);
    return NULL;
}

static PyObject *Overload_call(PyObject *self_obj, PyObject *args, PyObject *kwargs) {
    Overload *self = (Overload *)self_obj;
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (kwargs && PyDict_GET_SIZE(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "kernels take positional arguments only");
        return NULL;
    }
    if (n != self->nargs) {
        Py_INCREF(Mismatch);
        return Mismatch;
    }
    Slot slots[MAX_ARGS];
    kc_array arrays[MAX_ARGS];
    Py_buffer views[MAX_ARGS];
    void *ptrs[MAX_ARGS];
    int held = 0, result_is_mismatch = 0;
    PyObject *result = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GET_ITEM(args, i);
        const ArgSpec *s = &self->args[i];
        if (!s->is_array) {
            if (put_scalar(o, s, self->exact, &slots[i])) { result_is_mismatch = 1; goto done; }
            ptrs[i] = &slots[i];
            continue;
        }
        if (!PyObject_CheckBuffer(o) || PyObject_GetBuffer(o, &views[held], PyBUF_RECORDS_RO) != 0) {
            PyErr_Clear();
            result_is_mismatch = 1;
            goto done;
        }
        Py_buffer *v = &views[held++];
        if (v->ndim != s->ndim || dtype_of_format(v->format) != s->dtype || v->itemsize != ITEMSIZE[s->dtype]) {
            result_is_mismatch = 1;
            goto done;
        }
        int c = contiguous(v, 0), f = contiguous(v, 1);
        if ((s->layout == 'C' && !c) || (s->layout == 'F' && !f)) { result_is_mismatch = 1; goto done; }
        if (self->exact && ((s->layout == 'A' && (c || f)) || (s->layout == 'F' && c))) {
            result_is_mismatch = 1;
            goto done;
        }
        for (int d = 0; d < v->ndim; d++) {
            if (v->strides[d] % v->itemsize != 0) {
                PyErr_Format(PyExc_TypeError, "argument %zd: strides must be multiples of the element size", i);
                goto done;
            }
        }
        if (s->written && v->readonly) {
            PyErr_Format(PyExc_TypeError, "argument %zd is a read-only array, but the kernel writes it", i);
            goto done;
        }
        kc_array *a = &arrays[i];
        memset(a, 0, sizeof *a);
        a->data = v->buf;
        a->ndim = v->ndim;
        a->dtype = s->dtype;
        for (int d = 0; d < v->ndim; d++) {
            a->shape[d] = v->shape[d];
            a->strides[d] = v->strides[d];
        }
        ptrs[i] = a;
    }
    {
        Slot ret[2];
        memset(ret, 0, sizeof ret);
        const char *error = NULL;
        int32_t status;
        Py_BEGIN_ALLOW_THREADS
        status = self->fn(ptrs, ret, &error);
        Py_END_ALLOW_THREADS
        if (status != 0) {
            raise_kernel_error(error);
            goto done;
        }
        switch (self->ret) {
        case -1: result = Py_None; Py_INCREF(result); break;
        case DT_BOOL: result = PyBool_FromLong(ret[0].u8); break;
        case DT_I8: result = PyLong_FromLong(ret[0].i8); break;
        case DT_I16: result = PyLong_FromLong(ret[0].i16); break;
        case DT_I32: result = PyLong_FromLong(ret[0].i32); break;
        case DT_I64: result = PyLong_FromLongLong(ret[0].i64); break;
        case DT_U8: result = PyLong_FromUnsignedLong(ret[0].u8); break;
        case DT_U16: result = PyLong_FromUnsignedLong(ret[0].u16); break;
        case DT_U32: result = PyLong_FromUnsignedLong(ret[0].u32); break;
        case DT_U64: result = PyLong_FromUnsignedLongLong(ret[0].u64); break;
        case DT_F32: result = PyFloat_FromDouble(ret[0].f32); break;
        default: result = PyFloat_FromDouble(ret[0].f64); break;
        }
    }
done:
    for (int k = 0; k < held; k++) PyBuffer_Release(&views[k]);
    if (result_is_mismatch) {
        Py_INCREF(Mismatch);
        return Mismatch;
    }
    return result;
}

/* Overload(generic_entry_address, specs, ret, exact): specs is a sequence of
 * (is_array, dtype, ndim, layout, written) tuples. */
static PyObject *Overload_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    (void)kwargs;
    unsigned long long address;
    PyObject *specs;
    int ret, exact;
    if (!PyArg_ParseTuple(args, "KOii", &address, &specs, &ret, &exact)) return NULL;
    PyObject *seq = PySequence_Fast(specs, "specs must be a sequence");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > MAX_ARGS) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "too many arguments for the fast path");
        return NULL;
    }
    Overload *self = (Overload *)type->tp_alloc(type, 0);
    if (!self) { Py_DECREF(seq); return NULL; }
    self->fn = (generic_fn)(uintptr_t)address;
    self->nargs = (int)n;
    self->ret = ret;
    self->exact = exact;
    for (Py_ssize_t i = 0; i < n; i++) {
        int is_array, dtype, ndim, written;
        char *layout;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "iiisi", &is_array, &dtype, &ndim, &layout, &written)) {
            Py_DECREF(seq);
            Py_DECREF(self);
            return NULL;
        }
        if (dtype < 0 || dtype > DT_F64 || ndim < 0 || ndim > KC_MAX_NDIM) {
            Py_DECREF(seq);
            Py_DECREF(self);
            PyErr_SetString(PyExc_ValueError, "bad argument spec");
            return NULL;
        }
        self->args[i] = (ArgSpec){is_array, dtype, ndim, layout[0], written};
    }
    Py_DECREF(seq);
    return (PyObject *)self;
}

static PyTypeObject OverloadType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kcache._fast.Overload",
    .tp_basicsize = sizeof(Overload),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Overload_new,
    .tp_call = Overload_call,
    .tp_doc = "A compiled overload's checked call path.",
};

/* DispatcherBase: the C half of kcache.Dispatcher. Calling it tries each overload's checked
 * call path in C and only falls back to Python (`_call_slow`) when none takes the arguments. */
typedef struct {
    PyObject_HEAD
    PyObject *fast_calls; /* tuple of Overload */
    PyObject *dict;
} DispatcherBase;

static PyObject *DispatcherBase_call(PyObject *self_obj, PyObject *args, PyObject *kwargs) {
    DispatcherBase *self = (DispatcherBase *)self_obj;
    if (self->fast_calls && PyTuple_Check(self->fast_calls) && !(kwargs && PyDict_GET_SIZE(kwargs))) {
        Py_ssize_t n = PyTuple_GET_SIZE(self->fast_calls);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyTuple_GET_ITEM(self->fast_calls, i);
            if (Py_TYPE(item) != &OverloadType) continue;
            PyObject *result = Overload_call(item, args, NULL);
            if (result != Mismatch) return result; /* a value, or NULL with an exception set */
            Py_DECREF(result);
        }
    }
    PyObject *slow = PyObject_GetAttrString(self_obj, "_call_slow");
    if (!slow) return NULL;
    PyObject *result = PyObject_CallOneArg(slow, args);
    Py_DECREF(slow);
    return result;
}

static int DispatcherBase_traverse(PyObject *self_obj, visitproc visit, void *arg) {
    DispatcherBase *self = (DispatcherBase *)self_obj;
    Py_VISIT(self->fast_calls);
    Py_VISIT(self->dict);
    return 0;
}

static int DispatcherBase_clear(PyObject *self_obj) {
    DispatcherBase *self = (DispatcherBase *)self_obj;
    Py_CLEAR(self->fast_calls);
    Py_CLEAR(self->dict);
    return 0;
}

static void DispatcherBase_dealloc(PyObject *self_obj) {
    PyObject_GC_UnTrack(self_obj);
    DispatcherBase_clear(self_obj);
    Py_TYPE(self_obj)->tp_free(self_obj);
}

static PyObject *DispatcherBase_get_fast(PyObject *self_obj, void *closure) {
    (void)closure;
    DispatcherBase *self = (DispatcherBase *)self_obj;
    PyObject *v = self->fast_calls ? self->fast_calls : Py_None;
    Py_INCREF(v);
    return v;
}

static int DispatcherBase_set_fast(PyObject *self_obj, PyObject *value, void *closure) {
    (void)closure;
    DispatcherBase *self = (DispatcherBase *)self_obj;
    if (value && !PyTuple_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "_fast_calls must be a tuple");
        return -1;
    }
    Py_XINCREF(value);
    Py_XSETREF(self->fast_calls, value);
    return 0;
}

static PyGetSetDef DispatcherBase_getset[] = {
    {"_fast_calls", DispatcherBase_get_fast, DispatcherBase_set_fast, "checked call paths, tried in order", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject DispatcherBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kcache._fast.DispatcherBase",
    .tp_basicsize = sizeof(DispatcherBase),
    .tp_dictoffset = offsetof(DispatcherBase, dict),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_call = DispatcherBase_call,
    .tp_traverse = DispatcherBase_traverse,
    .tp_clear = DispatcherBase_clear,
    .tp_dealloc = DispatcherBase_dealloc,
    .tp_getset = DispatcherBase_getset,
    .tp_doc = "Base of kcache.Dispatcher: the call path in C.",
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fast", "kcache's call path in C.", -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fast(void) {
    if (PyType_Ready(&OverloadType) < 0) return NULL;
    if (PyType_Ready(&DispatcherBaseType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Mismatch = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (!Mismatch) return NULL;
    Py_INCREF(&OverloadType);
    PyModule_AddObject(m, "Overload", (PyObject *)&OverloadType);
    Py_INCREF(Mismatch);
    PyModule_AddObject(m, "MISMATCH", Mismatch);
    Py_INCREF(&DispatcherBaseType);
    PyModule_AddObject(m, "DispatcherBase", (PyObject *)&DispatcherBaseType);
    return m;
}
