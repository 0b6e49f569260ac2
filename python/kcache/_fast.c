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

/* The layout of kc_array in include/kcache.h (defined by the kcache-abi crate). This file is built
 * from python/ alone (pip), so it cannot include the header: python/tests/test_abi.py compares
 * this view, through _abi_layout() and _abi_dtype_code(), with the Rust definition. */
typedef struct {
    void *data;
    int32_t ndim;
    int64_t shape[KC_MAX_NDIM];
    int64_t strides[KC_MAX_NDIM];
    int32_t dtype;
    void *owner; /* the buffer of an array a kernel returned; NULL for arrays passed in */
} kc_array;

typedef int32_t (*generic_fn)(void *const *args, void *ret, const char **error);

/* One argument or result: every scalar type the ABI passes, in 8 bytes. */
typedef union {
    uint8_t u8; int8_t i8; uint16_t u16; int16_t i16; uint32_t u32; int32_t i32;
    uint64_t u64; int64_t i64; float f32; double f64;
} Slot;

/* Complex scalars take the ctypes path; complex arrays come through here. */
enum { DT_BOOL, DT_I8, DT_I16, DT_I32, DT_I64, DT_U8, DT_U16, DT_U32, DT_U64, DT_F32, DT_F64, DT_C64, DT_C128 };
static const int ITEMSIZE[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};

typedef struct {
    int is_array;
    int dtype;
    int ndim;
    char layout; /* 'C', 'F' or 'A' */
    int written;
} ArgSpec;

/* A struct result (tuples, Optionals): its items in prefix order, each at its offset in the
 * struct the kernel writes. `span` counts the item and everything inside it; `count` is a
 * tuple's number of items. */
enum { R_SCALAR, R_ARRAY, R_TUPLE, R_OPTIONAL };
typedef struct {
    int kind;
    int dtype;
    int count;
    int span;
    Py_ssize_t offset;
} ResultItem;
#define MAX_RESULT_ITEMS 64
#define MAX_RESULT_BYTES 4096

typedef struct {
    PyObject_HEAD
    generic_fn fn;
    int nargs;
    ArgSpec args[MAX_ARGS];
    int ret; /* a dtype, -1 for void, RET_ARRAY or RET_STRUCT */
    int exact; /* EXACT_LAYOUT | EXACT_SCALARS: what the argument's own type must match */
    int nresult;
    ResultItem result[MAX_RESULT_ITEMS];
} Overload;

/* An array result: the kernel's kc_array, handed to NumPy through KernelBuffer. */
#define RET_ARRAY 100
/* A tuple or Optional result: a C struct decoded by `result`. */
#define RET_STRUCT 101

/* kc_array_release from libkcache, given by Python (set_release) before any array result. */
typedef void (*release_fn)(kc_array *);
static release_fn kc_release;
static PyObject *np_asarray;

static const char *const FORMAT[] = {"?", "b", "h", "i", "q", "B", "H", "I", "Q", "f", "d", "Zf", "Zd"};

/* NumPy's C API table (the `_ARRAY_API` capsule), read when set_release is called, NumPy being
 * imported by then; NULL leaves array results to numpy.asarray over the buffer protocol, which
 * costs ~0.4 us more per result. The slots used are NumPy's stable ABI (numpy/__multiarray_api.h,
 * unchanged since NumPy 1.7): the extension needs no NumPy headers to build. */
static void **np_api;
#define NP_ARRAY_TYPE ((PyTypeObject *)np_api[2])
typedef PyObject *(*descr_from_type_fn)(int);
#define NP_DESCR_FROM_TYPE ((descr_from_type_fn)np_api[45])
typedef PyObject *(*new_from_descr_fn)(PyTypeObject *, PyObject *, int, const Py_intptr_t *, const Py_intptr_t *,
                                       void *, int, PyObject *);
#define NP_NEW_FROM_DESCR ((new_from_descr_fn)np_api[94])
typedef int (*set_base_fn)(PyObject *, PyObject *);
#define NP_SET_BASE ((set_base_fn)np_api[282])
#define NPY_ARRAY_WRITEABLE_FLAG 0x0400
/* NumPy's type numbers for the kc_dtype codes (x86-64 Linux: long is 64 bits). */
static const int NPY_TYPENUM[] = {0, 1, 3, 5, 7, 2, 4, 6, 8, 11, 12, 14, 15};

static void load_numpy_api(void) {
    const char *const modules[] = {"numpy._core._multiarray_umath", "numpy.core._multiarray_umath"};
    for (size_t i = 0; i < sizeof modules / sizeof *modules && !np_api; i++) {
        PyObject *m = PyImport_ImportModule(modules[i]);
        PyObject *capsule = m ? PyObject_GetAttrString(m, "_ARRAY_API") : NULL;
        if (capsule && PyCapsule_CheckExact(capsule)) np_api = (void **)PyCapsule_GetPointer(capsule, NULL);
        Py_XDECREF(capsule);
        Py_XDECREF(m);
        PyErr_Clear();
    }
}

/* Owns the buffer of an array a kernel returned and exports it through the buffer protocol:
 * the NumPy array made from it keeps it alive, and the last reference releases the buffer. */
typedef struct {
    PyObject_HEAD
    kc_array array;
    Py_ssize_t shape[KC_MAX_NDIM];
    Py_ssize_t strides[KC_MAX_NDIM];
    /* An array the kernel did not allocate (an argument or a view of one, no owner) lives in
     * an argument's memory: the call's arguments, kept alive as long as this. */
    PyObject *arguments;
} KernelBuffer;

static int KernelBuffer_getbuffer(PyObject *self_obj, Py_buffer *view, int flags) {
    (void)flags;
    KernelBuffer *self = (KernelBuffer *)self_obj;
    const kc_array *a = &self->array;
    Py_ssize_t items = 1;
    for (int d = 0; d < a->ndim; d++) items *= self->shape[d];
    static char empty;
    view->obj = self_obj;
    Py_INCREF(self_obj);
    /* An empty result may have no buffer; NumPy wants a pointer all the same. */
    view->buf = a->data ? a->data : &empty;
    view->itemsize = ITEMSIZE[a->dtype];
    view->len = items * view->itemsize;
    view->readonly = 0;
    view->format = (char *)FORMAT[a->dtype];
    view->ndim = a->ndim;
    view->shape = self->shape;
    view->strides = self->strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static void KernelBuffer_dealloc(PyObject *self_obj) {
    KernelBuffer *self = (KernelBuffer *)self_obj;
    if (self->array.owner && kc_release) kc_release(&self->array);
    Py_XDECREF(self->arguments);
    Py_TYPE(self_obj)->tp_free(self_obj);
}

static PyBufferProcs KernelBuffer_as_buffer = {KernelBuffer_getbuffer, NULL};

static PyTypeObject KernelBufferType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kcache._fast.KernelBuffer",
    .tp_basicsize = sizeof(KernelBuffer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = KernelBuffer_dealloc,
    .tp_as_buffer = &KernelBuffer_as_buffer,
    .tp_doc = "The buffer of an array a kernel returned.",
};

/* A NumPy array over the kernel's result (no copy); its base releases the buffer. Takes the
 * reference in `a` whatever happens. */
static PyObject *array_result(const kc_array *a, PyObject *arguments) {
    if (a->dtype < 0 || a->dtype > DT_C128 || a->ndim < 0 || a->ndim > KC_MAX_NDIM) {
        if (a->owner && kc_release) kc_release((kc_array *)a);
        PyErr_SetString(PyExc_SystemError, "a kernel returned an array this extension cannot describe");
        return NULL;
    }
    KernelBuffer *holder = PyObject_New(KernelBuffer, &KernelBufferType);
    if (!holder) {
        if (a->owner && kc_release) kc_release((kc_array *)a);
        return NULL;
    }
    holder->array = *a;
    holder->arguments = NULL;
    if (!a->owner) {
        Py_INCREF(arguments);
        holder->arguments = arguments;
    }
    for (int d = 0; d < a->ndim; d++) {
        holder->shape[d] = (Py_ssize_t)a->shape[d];
        holder->strides[d] = (Py_ssize_t)a->strides[d];
    }
    if (np_api) {
        static char empty;
        PyObject *descr = NP_DESCR_FROM_TYPE(NPY_TYPENUM[a->dtype]);
        if (!descr) {
            Py_DECREF(holder);
            return NULL;
        }
        /* NumPy computes the contiguity flags from the strides; the descr reference is stolen. */
        PyObject *result = NP_NEW_FROM_DESCR(NP_ARRAY_TYPE, descr, a->ndim, holder->shape, holder->strides,
                                             a->data ? a->data : &empty, NPY_ARRAY_WRITEABLE_FLAG, NULL);
        if (!result) {
            Py_DECREF(holder);
            return NULL;
        }
        /* The array owns the holder from here on (stolen even on failure). */
        if (NP_SET_BASE(result, (PyObject *)holder) < 0) {
            Py_DECREF(result);
            return NULL;
        }
        return result;
    }
    PyObject *result = PyObject_CallOneArg(np_asarray, (PyObject *)holder);
    Py_DECREF(holder);
    return result;
}

static PyObject *Mismatch; /* returned when the arguments do not fit this overload */

static int dtype_of_format(const char *f) {
    if (f == NULL) return DT_U8;
    if (*f == '<' || *f == '=' || *f == '@') f++;
    if (f[0] == 'Z' && f[1] != '\0' && f[2] == '\0') return f[1] == 'f' ? DT_C64 : f[1] == 'd' ? DT_C128 : -1;
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

/* Bits of Overload.exact. EXACT_LAYOUT: an array's own layout must be the overload's (lazy
 * dispatch compiles another overload for it). EXACT_SCALARS: a Python scalar's own type (int:
 * int64, float: float64, bool) must be the overload's, so that the dispatcher, not the order of
 * the overloads, picks among several (Numba's best match: never float32 for a Python float when
 * a float64 overload exists). */
#define EXACT_LAYOUT 1
#define EXACT_SCALARS 2

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
    /* "AssertionError" alone (an assert without a message) names the class and nothing else. */
    if (text && !sep) {
        sep = text + strlen(text);
    }
    if (sep && (size_t)(sep - text) == strlen("LinAlgError") && strncmp(text, "LinAlgError", sep - text) == 0) {
        /* NumPy's own class (a ValueError), so that `except np.linalg.LinAlgError` catches it. */
        PyObject *linalg = PyImport_ImportModule("numpy.linalg");
        PyObject *cls = linalg ? PyObject_GetAttrString(linalg, "LinAlgError") : NULL;
        Py_XDECREF(linalg);
        if (cls && PyExceptionClass_Check(cls)) {
            PyErr_SetString(cls, *sep ? sep + 2 : "");
            Py_DECREF(cls);
            return NULL;
        }
        Py_XDECREF(cls);
        PyErr_Clear();
    }
    if (sep) {
        PyObject *name = PyUnicode_FromStringAndSize(text, sep - text);
        PyObject *found = name ? PyDict_GetItemWithError(PyEval_GetBuiltins(), name) : NULL;
        Py_XDECREF(name);
        if (found && PyExceptionClass_Check(found)) {
            type = found;
            message = *sep ? sep + 2 : "";
        }
        PyErr_Clear();
    }
    PyErr_SetString(type, message);
    return NULL;
}

/* A scalar of `dtype` at `p` (a result or a struct's field) as a Python value. */
static PyObject *scalar_value(const void *p, int dtype) {
    Slot s;
    switch (dtype) {
    case DT_C64: { float z[2]; memcpy(z, p, sizeof z); return PyComplex_FromDoubles(z[0], z[1]); }
    case DT_C128: { double z[2]; memcpy(z, p, sizeof z); return PyComplex_FromDoubles(z[0], z[1]); }
    default: break;
    }
    memset(&s, 0, sizeof s);
    memcpy(&s, p, (size_t)ITEMSIZE[dtype]);
    switch (dtype) {
    case DT_BOOL: return PyBool_FromLong(s.u8);
    case DT_I8: return PyLong_FromLong(s.i8);
    case DT_I16: return PyLong_FromLong(s.i16);
    case DT_I32: return PyLong_FromLong(s.i32);
    case DT_I64: return PyLong_FromLongLong(s.i64);
    case DT_U8: return PyLong_FromUnsignedLong(s.u8);
    case DT_U16: return PyLong_FromUnsignedLong(s.u16);
    case DT_U32: return PyLong_FromUnsignedLong(s.u32);
    case DT_U64: return PyLong_FromUnsignedLongLong(s.u64);
    case DT_F32: return PyFloat_FromDouble(s.f32);
    default: return PyFloat_FromDouble(s.f64);
    }
}

/* Releases every array with an owner inside the items from `pos` on, `count` of them (a
 * struct whose decoding stopped: what it held is not leaked). */
static void release_items(const Overload *self, int pos, int count, const char *base) {
    for (int k = pos; k < pos + count && k < self->nresult; k++) {
        const ResultItem *it = &self->result[k];
        if (it->kind == R_ARRAY) {
            kc_array *a = (kc_array *)(base + it->offset);
            if (a->owner && kc_release) kc_release(a);
        }
    }
}

/* The Python value of the item at *pos (and everything inside it), advancing *pos past it. */
static PyObject *struct_value(const Overload *self, int *pos, const char *base, PyObject *args) {
    const ResultItem *it = &self->result[(*pos)++];
    const char *p = base + it->offset;
    switch (it->kind) {
    case R_SCALAR: return scalar_value(p, it->dtype);
    case R_ARRAY: return array_result((const kc_array *)p, args);
    case R_OPTIONAL:
        if (!*(const uint8_t *)p) {
            /* None: its value slot holds no buffer (a None array has no owner). */
            *pos += it->span - 1;
            Py_RETURN_NONE;
        }
        return struct_value(self, pos, base, args);
    default: {
        PyObject *t = PyTuple_New(it->count);
        if (!t) {
            release_items(self, *pos, it->span - 1, base);
            *pos += it->span - 1;
            return NULL;
        }
        for (int k = 0; k < it->count; k++) {
            int start = *pos;
            PyObject *v = struct_value(self, pos, base, args);
            if (!v) {
                int end = (int)((it - self->result) + it->span);
                release_items(self, *pos, end - *pos, base);
                (void)start;
                *pos = end;
                Py_DECREF(t);
                return NULL;
            }
            PyTuple_SET_ITEM(t, k, v);
        }
        return t;
    }
    }
}

/* The head of NumPy's PyArrayObject_fields and PyArray_Descr, the same in NumPy 1.x and 2.x:
 * reading an ndarray's fields directly saves the buffer protocol's export and release
 * (~0.1-0.2 us per array argument, which small kernels feel next to Numba's unboxing). */
typedef struct {
    PyObject_HEAD
    char *data;
    int nd;
    Py_intptr_t *dimensions;
    Py_intptr_t *strides;
    PyObject *base;
    PyObject *descr;
    int flags;
} NpArrayHead;
typedef struct {
    PyObject_HEAD
    PyTypeObject *typeobj;
    char kind, type, byteorder, former_flags;
    int type_num;
} NpDescrHead;
#define NPY_C_CONTIGUOUS 0x0001
#define NPY_F_CONTIGUOUS 0x0002

/* Our dtype code of a NumPy type number; -1 for the others. NPY_LONGLONG and NPY_ULONGLONG
 * (9, 10) are int64 and uint64 on x86-64 Linux, like NPY_LONG and NPY_ULONG. */
static int dtype_of_typenum(int t) {
    switch (t) {
    case 0: return DT_BOOL;
    case 1: return DT_I8;
    case 2: return DT_U8;
    case 3: return DT_I16;
    case 4: return DT_U16;
    case 5: return DT_I32;
    case 6: return DT_U32;
    case 7: case 9: return DT_I64;
    case 8: case 10: return DT_U64;
    case 11: return DT_F32;
    case 12: return DT_F64;
    case 14: return DT_C64;
    case 15: return DT_C128;
    default: return -1;
    }
}

/* Describes ndarray `o` for argument `i` the way the buffer path below does: 0 on success, 1 on
 * a mismatch (another overload or the slow path decides), -1 with an exception set. */
static int describe_ndarray(PyObject *o, const ArgSpec *s, int exact, Py_ssize_t i, kc_array *a) {
    const NpArrayHead *arr = (const NpArrayHead *)o;
    const NpDescrHead *descr = (const NpDescrHead *)arr->descr;
    if (arr->nd != s->ndim || dtype_of_typenum(descr->type_num) != s->dtype || descr->byteorder == '>') return 1;
    int c = (arr->flags & NPY_C_CONTIGUOUS) != 0, f = (arr->flags & NPY_F_CONTIGUOUS) != 0;
    if ((s->layout == 'C' && !c) || (s->layout == 'F' && !f)) return 1;
    if ((exact & EXACT_LAYOUT) && ((s->layout == 'A' && (c || f)) || (s->layout == 'F' && c))) return 1;
    Py_ssize_t itemsize = ITEMSIZE[s->dtype];
    for (int d = 0; d < arr->nd; d++) {
        if (arr->strides[d] % itemsize != 0) {
            PyErr_Format(PyExc_TypeError, "argument %zd: strides must be multiples of the element size", i);
            return -1;
        }
    }
    if (s->written && !(arr->flags & NPY_ARRAY_WRITEABLE_FLAG)) {
        PyErr_Format(PyExc_TypeError, "argument %zd is a read-only array, but the kernel writes it", i);
        return -1;
    }
    memset(a, 0, sizeof *a);
    a->data = arr->data;
    a->ndim = arr->nd;
    a->dtype = s->dtype;
    for (int d = 0; d < arr->nd; d++) {
        a->shape[d] = arr->dimensions[d];
        a->strides[d] = arr->strides[d];
    }
    return 0;
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
            if (put_scalar(o, s, self->exact & EXACT_SCALARS, &slots[i])) { result_is_mismatch = 1; goto done; }
            ptrs[i] = &slots[i];
            continue;
        }
        if (np_api && PyObject_TypeCheck(o, NP_ARRAY_TYPE)) {
            int r = describe_ndarray(o, s, self->exact, i, &arrays[i]);
            if (r != 0) {
                result_is_mismatch = r > 0;
                goto done;
            }
            ptrs[i] = &arrays[i];
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
        if ((self->exact & EXACT_LAYOUT) && ((s->layout == 'A' && (c || f)) || (s->layout == 'F' && c))) {
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
        union {
            Slot scalar[2];
            kc_array array;
            unsigned char bytes[MAX_RESULT_BYTES];
            double align;
        } ret;
        memset(&ret, 0, sizeof ret.array);
        const char *error = NULL;
        int32_t status;
        Py_BEGIN_ALLOW_THREADS
        status = self->fn(ptrs, &ret, &error);
        Py_END_ALLOW_THREADS
        if (status != 0) {
            raise_kernel_error(error);
            goto done;
        }
        switch (self->ret) {
        case RET_ARRAY: result = array_result(&ret.array, args); break;
        case RET_STRUCT: {
            int pos = 0;
            result = struct_value(self, &pos, (const char *)ret.bytes, args);
            break;
        }
        case -1: result = Py_None; Py_INCREF(result); break;
        default: result = scalar_value(ret.scalar, self->ret); break;
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

/* A struct result's items: (kind, dtype, count, span, offset) tuples in prefix order, checked
 * to stay inside the result buffer and to nest as their spans say. */
static int parse_result_items(Overload *self, PyObject *items) {
    PyObject *seq = items ? PySequence_Fast(items, "result items must be a sequence") : NULL;
    if (!seq) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "a struct result needs its items");
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n < 1 || n > MAX_RESULT_ITEMS) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "too many result items for the fast path");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        ResultItem *it = &self->result[i];
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "iiiin", &it->kind, &it->dtype, &it->count, &it->span,
                              &it->offset)) {
            Py_DECREF(seq);
            return -1;
        }
        Py_ssize_t size = it->kind == R_ARRAY ? (Py_ssize_t)sizeof(kc_array)
                          : it->kind == R_SCALAR && it->dtype >= 0 && it->dtype <= DT_C128 ? ITEMSIZE[it->dtype]
                                                                                             : 1;
        if (it->kind < R_SCALAR || it->kind > R_OPTIONAL || (it->kind == R_SCALAR && (it->dtype < 0 || it->dtype > DT_C128)) ||
            it->span < 1 || i + it->span > n || it->offset < 0 || it->offset + size > MAX_RESULT_BYTES ||
            (it->kind == R_OPTIONAL && it->span < 2)) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "bad result item");
            return -1;
        }
    }
    Py_DECREF(seq);
    self->nresult = (int)n;
    return 0;
}

/* Overload(generic_entry_address, specs, ret, exact): specs is a sequence of
 * (is_array, dtype, ndim, layout, written) tuples. */
static PyObject *Overload_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    (void)kwargs;
    unsigned long long address;
    PyObject *specs, *result_items = NULL;
    int ret, exact;
    if (!PyArg_ParseTuple(args, "KOii|O", &address, &specs, &ret, &exact, &result_items)) return NULL;
    if ((ret == RET_ARRAY || ret == RET_STRUCT) && (!kc_release || !np_asarray)) {
        PyErr_SetString(PyExc_ValueError, "array results need set_release() first");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(specs, "specs must be a sequence");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > MAX_ARGS) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "too many arguments for the fast path");
        return NULL;
    }
    /* Array arguments are read through NumPy's C API when it is there (see describe_ndarray). */
    if (!np_api && !getenv("KCACHE_FAST_NO_NUMPY_API")) load_numpy_api();
    Overload *self = (Overload *)type->tp_alloc(type, 0);
    if (!self) { Py_DECREF(seq); return NULL; }
    self->fn = (generic_fn)(uintptr_t)address;
    self->nargs = (int)n;
    self->ret = ret;
    self->exact = exact;
    self->nresult = 0;
    if (ret == RET_STRUCT && parse_result_items(self, result_items) < 0) {
        Py_DECREF(seq);
        Py_DECREF(self);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int is_array, dtype, ndim, written;
        char *layout;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "iiisi", &is_array, &dtype, &ndim, &layout, &written)) {
            Py_DECREF(seq);
            Py_DECREF(self);
            return NULL;
        }
        if (dtype < 0 || dtype > (is_array ? DT_C128 : DT_F64) || ndim < 0 || ndim > KC_MAX_NDIM) {
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

/* The layout of both C bases, DispatcherBase and UfuncBase: their checked call paths (a tuple
 * that Python replaces whenever it compiles another) and the instance dict. */
typedef struct {
    PyObject_HEAD
    PyObject *fast_calls;
    PyObject *dict;
} CallBase;

/* DispatcherBase: the C half of kcache.Dispatcher. Calling it tries each overload's checked
 * call path in C (fast_calls: a tuple of Overload) and only falls back to Python (`_call_slow`)
 * when none takes the arguments. */
static PyObject *DispatcherBase_call(PyObject *self_obj, PyObject *args, PyObject *kwargs) {
    CallBase *self = (CallBase *)self_obj;
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
    if (kwargs && PyDict_GET_SIZE(kwargs)) {
        /* Keyword arguments: Python binds them to positions, then calls again. */
        PyObject *bind = PyObject_GetAttrString(self_obj, "_call_keywords");
        if (!bind) return NULL;
        PyObject *result = PyObject_Call(bind, args, kwargs);
        Py_DECREF(bind);
        return result;
    }
    PyObject *slow = PyObject_GetAttrString(self_obj, "_call_slow");
    if (!slow) return NULL;
    PyObject *result = PyObject_CallOneArg(slow, args);
    Py_DECREF(slow);
    return result;
}

static int CallBase_traverse(PyObject *self_obj, visitproc visit, void *arg) {
    CallBase *self = (CallBase *)self_obj;
    Py_VISIT(self->fast_calls);
    Py_VISIT(self->dict);
    return 0;
}

static int CallBase_clear(PyObject *self_obj) {
    CallBase *self = (CallBase *)self_obj;
    Py_CLEAR(self->fast_calls);
    Py_CLEAR(self->dict);
    return 0;
}

static void CallBase_dealloc(PyObject *self_obj) {
    PyObject_GC_UnTrack(self_obj);
    CallBase_clear(self_obj);
    Py_TYPE(self_obj)->tp_free(self_obj);
}

static PyObject *CallBase_get_fast(PyObject *self_obj, void *closure) {
    (void)closure;
    CallBase *self = (CallBase *)self_obj;
    PyObject *v = self->fast_calls ? self->fast_calls : Py_None;
    Py_INCREF(v);
    return v;
}

static int CallBase_set_fast(PyObject *self_obj, PyObject *value, void *closure) {
    (void)closure;
    CallBase *self = (CallBase *)self_obj;
    if (value && !PyTuple_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "_fast_calls must be a tuple");
        return -1;
    }
    Py_XINCREF(value);
    Py_XSETREF(self->fast_calls, value);
    return 0;
}

static PyGetSetDef CallBase_getset[] = {
    {"_fast_calls", CallBase_get_fast, CallBase_set_fast, "checked call paths, tried in order", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject DispatcherBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kcache._fast.DispatcherBase",
    .tp_basicsize = sizeof(CallBase),
    .tp_dictoffset = offsetof(CallBase, dict),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_call = DispatcherBase_call,
    .tp_traverse = CallBase_traverse,
    .tp_clear = CallBase_clear,
    .tp_dealloc = CallBase_dealloc,
    .tp_getset = CallBase_getset,
    .tp_doc = "Base of kcache.Dispatcher: the call path in C.",
};

/* UfuncBase: the C half of kcache's @vectorize. The common call, same-shape C-contiguous
 * ndarrays whose dtypes the loop NumPy would choose takes exactly (out absent, or a C-contiguous
 * array of that shape and the loop's output dtype, given as out= or as the last positional
 * argument), runs the loop from here: the Python path costs about as much as the loop itself at
 * 10^4 elements. fast_calls is a tuple of (Overload, output dtype), in declaration order;
 * everything else (broadcasting, casting, scalars, a loop still to compile) goes to `_slow_call`. */
static PyObject *np_ndarray, *np_empty, *empty_tuple, *str_out, *str_slow_call;

/* Looked up on first use rather than at import: only @vectorize needs NumPy here, and no NumPy
 * headers are needed to call it. */
static int load_numpy(void) {
    if (np_empty) return 0;
    PyObject *np = PyImport_ImportModule("numpy");
    if (!np) return -1;
    np_ndarray = PyObject_GetAttrString(np, "ndarray");
    np_empty = np_ndarray ? PyObject_GetAttrString(np, "empty") : NULL;
    Py_DECREF(np);
    if (!np_empty || !PyType_Check(np_ndarray)) {
        Py_CLEAR(np_ndarray);
        Py_CLEAR(np_empty);
        return -1;
    }
    return 0;
}

/* np.can_cast(from, to, "safe") over the dtype codes: bit `to` of SAFE_CAST[from]. */
static const uint16_t SAFE_CAST[] = {
    0x7ff, /* bool: everything */
    0x61e, /* int8: int8..int64, float32, float64 */
    0x61c, /* int16: int16..int64, float32, float64 */
    0x418, /* int32: int32, int64, float64 */
    0x410, /* int64: int64, float64 */
    0x7fc, /* uint8: int16..int64, uint8..uint64, float32, float64 */
    0x7d8, /* uint16: int32, int64, uint16..uint64, float32, float64 */
    0x590, /* uint32: int64, uint32, uint64, float64 */
    0x500, /* uint64: uint64, float64 */
    0x600, /* float32: float32, float64 */
    0x400, /* float64: float64 */
};

static int safe_cast(int from, int to) { return (SAFE_CAST[from] >> to) & 1; }

/* The (Overload, output dtype) entry NumPy's type resolution picks for these input dtypes (the
 * first loop in declaration order that every input casts to safely), if that loop takes them
 * exactly and its output dtype is out's (codes[n], when with_out); NULL otherwise: casting, or a
 * loop still to compile, is the slow path's business. Never a later loop that happens to match
 * exactly: that would give another result dtype than NumPy's. */
static PyObject *ufunc_select(PyObject *loops, const int *codes, Py_ssize_t n, int with_out) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(loops); k++) {
        PyObject *entry = PyTuple_GET_ITEM(loops, k);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2) return NULL;
        PyObject *ov = PyTuple_GET_ITEM(entry, 0);
        if (Py_TYPE(ov) != &OverloadType || ((Overload *)ov)->nargs != n + 1) return NULL;
        const ArgSpec *s = ((Overload *)ov)->args;
        Py_ssize_t i = 0;
        while (i < n && safe_cast(codes[i], s[i].dtype)) i++;
        if (i < n) continue; /* an input does not cast safely: the next loop */
        for (i = 0; i < n; i++) {
            if (s[i].dtype != codes[i]) return NULL;
        }
        return with_out && s[n].dtype != codes[n] ? NULL : entry;
    }
    return NULL;
}

/* The result, NULL with an exception set, or Mismatch for the slow path. */
static PyObject *ufunc_fast(CallBase *self, PyObject *args, PyObject *out) {
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n < 1 || n >= MAX_ARGS || !self->fast_calls || !PyTuple_Check(self->fast_calls)
        || PyTuple_GET_SIZE(self->fast_calls) == 0 || load_numpy() < 0) {
        PyErr_Clear();
        Py_INCREF(Mismatch);
        return Mismatch;
    }
    /* NumPy's positional output: f(x, y, out) with nin inputs. */
    PyObject *first = PyTuple_GET_ITEM(self->fast_calls, 0);
    if (PyTuple_Check(first) && PyTuple_GET_SIZE(first) == 2 && Py_TYPE(PyTuple_GET_ITEM(first, 0)) == &OverloadType
        && ((Overload *)PyTuple_GET_ITEM(first, 0))->nargs == n) {
        if (out) { /* given twice: the slow path raises NumPy's TypeError */
            Py_INCREF(Mismatch);
            return Mismatch;
        }
        out = PyTuple_GET_ITEM(args, n - 1);
        if (out == Py_None) out = NULL;
        n--;
    }
    Py_buffer views[MAX_ARGS];
    int codes[MAX_ARGS];
    int held = 0, mismatch = 1;
    PyObject *made = NULL, *result = NULL, *entry = NULL;
    for (Py_ssize_t i = 0; i < n + (out != NULL); i++) {
        PyObject *o = i < n ? PyTuple_GET_ITEM(args, i) : out;
        /* Exact ndarrays only: subclasses may wrap their results (__array_wrap__). */
        if (Py_TYPE(o) != (PyTypeObject *)np_ndarray) goto done;
        if (PyObject_GetBuffer(o, &views[held], PyBUF_RECORDS_RO) != 0) {
            PyErr_Clear();
            goto done;
        }
        const Py_buffer *v = &views[held++];
        codes[i] = dtype_of_format(v->format);
        if (codes[i] < 0 || v->itemsize != ITEMSIZE[codes[i]] || v->ndim != views[0].ndim || !contiguous(v, 0)) goto done;
        for (int d = 0; d < v->ndim; d++) {
            if (v->shape[d] != views[0].shape[d]) goto done;
        }
    }
    entry = ufunc_select(self->fast_calls, codes, n, out != NULL);
    if (!entry) goto done;
    Py_INCREF(entry); /* Python may replace fast_calls meanwhile (the loop runs without the GIL) */
    mismatch = 0;
    Overload *ov = (Overload *)PyTuple_GET_ITEM(entry, 0);
    const ArgSpec *spec = ov->args;
    if (out && views[n].readonly) {
        PyErr_SetString(PyExc_ValueError, "output array is read-only");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (spec[i].written && views[i].readonly) {
            PyErr_Format(PyExc_TypeError, "argument %zd is a read-only array, but the kernel writes it", i);
            goto done;
        }
    }
    if (!out) {
        PyObject *shape = PyTuple_New(views[0].ndim);
        if (!shape) goto done;
        for (int d = 0; d < views[0].ndim; d++) {
            PyObject *len = PyLong_FromSsize_t(views[0].shape[d]);
            if (!len) { Py_DECREF(shape); goto done; }
            PyTuple_SET_ITEM(shape, d, len);
        }
        PyObject *call[] = {shape, PyTuple_GET_ITEM(entry, 1)};
        made = PyObject_Vectorcall(np_empty, call, 2, NULL);
        Py_DECREF(shape);
        if (!made || PyObject_GetBuffer(made, &views[held], PyBUF_WRITABLE) != 0) goto done;
        held++;
    }
    {
        /* Same shapes and C order: every operand is one flat run of `count` elements. */
        int64_t count = views[0].len / views[0].itemsize;
        kc_array arrays[MAX_ARGS];
        void *ptrs[MAX_ARGS];
        for (Py_ssize_t i = 0; i <= n; i++) {
            arrays[i] = (kc_array){.data = views[i].buf, .ndim = 1, .shape = {count},
                                   .strides = {ITEMSIZE[spec[i].dtype]}, .dtype = spec[i].dtype};
            ptrs[i] = &arrays[i];
        }
        const char *error = NULL;
        Slot ret;
        int32_t status;
        Py_BEGIN_ALLOW_THREADS
        status = ov->fn(ptrs, &ret, &error);
        Py_END_ALLOW_THREADS
        if (status != 0) {
            raise_kernel_error(error);
            goto done;
        }
    }
    if (out) {
        Py_INCREF(out);
        result = out;
    } else if (views[0].ndim == 0) {
        result = PyObject_GetItem(made, empty_tuple); /* a 0-d result is returned as a scalar */
    } else {
        result = made;
        made = NULL;
    }
done:
    for (int k = 0; k < held; k++) PyBuffer_Release(&views[k]);
    Py_XDECREF(made);
    Py_XDECREF(entry);
    if (mismatch) {
        Py_INCREF(Mismatch);
        return Mismatch;
    }
    return result;
}

static PyObject *UfuncBase_call(PyObject *self_obj, PyObject *args, PyObject *kwargs) {
    Py_ssize_t nkw = kwargs ? PyDict_GET_SIZE(kwargs) : 0;
    PyObject *out = NULL;
    if (nkw == 0 || (nkw == 1 && (out = PyDict_GetItemWithError(kwargs, str_out)) != NULL)) {
        PyObject *result = ufunc_fast((CallBase *)self_obj, args, out == Py_None ? NULL : out);
        if (result != Mismatch) return result;
        Py_DECREF(result);
    }
    if (PyErr_Occurred()) return NULL;
    PyObject *slow = PyObject_GetAttr(self_obj, str_slow_call);
    if (!slow) return NULL;
    PyObject *result = PyObject_Call(slow, args, kwargs);
    Py_DECREF(slow);
    return result;
}

static PyTypeObject UfuncBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kcache._fast.UfuncBase",
    .tp_basicsize = sizeof(CallBase),
    .tp_dictoffset = offsetof(CallBase, dict),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_call = UfuncBase_call,
    .tp_traverse = CallBase_traverse,
    .tp_clear = CallBase_clear,
    .tp_dealloc = CallBase_dealloc,
    .tp_getset = CallBase_getset,
    .tp_doc = "Base of kcache's @vectorize functions: the common call in C.",
};

/* _fast.safe_cast(from, to): the table the fast path chooses loops with, for the tests. */
static PyObject *module_safe_cast(PyObject *mod, PyObject *args) {
    (void)mod;
    int from, to;
    if (!PyArg_ParseTuple(args, "ii", &from, &to)) return NULL;
    if (from < 0 || from > DT_F64 || to < 0 || to > DT_F64) {
        PyErr_SetString(PyExc_ValueError, "not a dtype code");
        return NULL;
    }
    return PyBool_FromLong(safe_cast(from, to));
}

/* This file's view of the ABI, shaped like part of kcache-abi's layout_json(): the test compares
 * the two, so a change on either side that the other lacks fails there instead of in a kernel. */
static PyObject *abi_layout(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
#define FIELD(f) (Py_ssize_t)offsetof(kc_array, f), (Py_ssize_t)sizeof(((kc_array *)0)->f)
    /* Element sizes by dtype code, as the argument checks index them. */
    PyObject *itemsize = PyTuple_New(sizeof(ITEMSIZE) / sizeof(ITEMSIZE[0]));
    if (!itemsize) return NULL;
    for (size_t i = 0; i < sizeof(ITEMSIZE) / sizeof(ITEMSIZE[0]); i++) {
        PyObject *size = PyLong_FromLong(ITEMSIZE[i]);
        if (!size) {
            Py_DECREF(itemsize);
            return NULL;
        }
        PyTuple_SET_ITEM(itemsize, (Py_ssize_t)i, size);
    }
    return Py_BuildValue("{s:i, s:{s:n, s:n, s:{s:(nn), s:(nn), s:(nn), s:(nn), s:(nn), s:(nn)}}, s:N}",
                         "KC_MAX_NDIM", KC_MAX_NDIM,
                         "kc_array", "size", (Py_ssize_t)sizeof(kc_array), "align", (Py_ssize_t)_Alignof(kc_array),
                         "fields", "data", FIELD(data), "ndim", FIELD(ndim), "shape", FIELD(shape),
                         "strides", FIELD(strides), "dtype", FIELD(dtype), "owner", FIELD(owner),
                         "itemsize", itemsize);
#undef FIELD
}

/* The kc_dtype code this file gives a buffer of struct-module format `f` (-1: not a kernel type). */
static PyObject *abi_dtype_code(PyObject *self, PyObject *format) {
    (void)self;
    const char *f = PyUnicode_AsUTF8(format);
    if (!f) return NULL;
    return PyLong_FromLong(dtype_of_format(f));
}

/* set_release(address of kc_array_release, numpy.asarray): what array results need. */
static PyObject *module_set_release(PyObject *mod, PyObject *args) {
    (void)mod;
    unsigned long long address;
    PyObject *asarray;
    if (!PyArg_ParseTuple(args, "KO", &address, &asarray)) return NULL;
    if (!address || !PyCallable_Check(asarray)) {
        PyErr_SetString(PyExc_ValueError, "set_release(kc_array_release address, numpy.asarray)");
        return NULL;
    }
    kc_release = (release_fn)(uintptr_t)address;
    Py_INCREF(asarray);
    Py_XSETREF(np_asarray, asarray);
    if (!np_api && !getenv("KCACHE_FAST_NO_NUMPY_API")) load_numpy_api();
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"set_release", module_set_release, METH_VARARGS, "Gives the fast path kc_array_release and numpy.asarray (for array results)."},
    {"safe_cast", module_safe_cast, METH_VARARGS, "np.can_cast(from, to, 'safe') over dtype codes, as the fast path sees it."},
    {"_abi_layout", abi_layout, METH_NOARGS, "kc_array's layout and the element sizes as this extension sees them."},
    {"_abi_dtype_code", abi_dtype_code, METH_O, "The kc_dtype code of a buffer format character."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fast", "kcache's call path in C.", -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fast(void) {
    if (PyType_Ready(&OverloadType) < 0) return NULL;
    if (PyType_Ready(&KernelBufferType) < 0) return NULL;
    if (PyType_Ready(&DispatcherBaseType) < 0) return NULL;
    if (PyType_Ready(&UfuncBaseType) < 0) return NULL;
    empty_tuple = PyTuple_New(0);
    str_out = PyUnicode_InternFromString("out");
    str_slow_call = PyUnicode_InternFromString("_slow_call");
    if (!empty_tuple || !str_out || !str_slow_call) return NULL;
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
    Py_INCREF(&UfuncBaseType);
    PyModule_AddObject(m, "UfuncBase", (PyObject *)&UfuncBaseType);
    return m;
}
