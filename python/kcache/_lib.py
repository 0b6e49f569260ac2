"""ctypes binding of libkcache's C ABI (include/kcache.h)."""
import ctypes
import os

KC_OK, KC_ERR_CONNECT, KC_ERR_SOURCE, KC_ERR_INVALID, KC_ERR_LOAD, KC_ERR_RUNTIME, KC_ERR_INTEGRITY, KC_ERR_INTERNAL = range(8)
KC_MAX_NDIM = 8
KC_INSPECT_TYPES, KC_INSPECT_LLVM, KC_INSPECT_OPT_LLVM, KC_INSPECT_ASM = range(4)

DTYPE_CODES = {
    "bool": 0, "int8": 1, "int16": 2, "int32": 3, "int64": 4,
    "uint8": 5, "uint16": 6, "uint32": 7, "uint64": 8, "float32": 9, "float64": 10,
    "complex64": 11, "complex128": 12,
}


# kc_array and the dtype codes are defined in the kcache-abi crate; tests/test_abi.py checks these.
class KcArray(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("ndim", ctypes.c_int32),
        ("shape", ctypes.c_int64 * KC_MAX_NDIM),
        ("strides", ctypes.c_int64 * KC_MAX_NDIM),
        ("dtype", ctypes.c_int32),
        # The buffer of an array a kernel returned (kc_array_release drops it); NULL otherwise.
        ("owner", ctypes.c_void_p),
    ]


def _candidates():
    # The package's own copy first (an installed package: the library it was built with), then
    # KCACHE_LIB, then a checkout's build (python/ used in place, as the tests do).
    # os.path, not pathlib: pathlib costs ~3 ms of `import kcache` (it imports urllib).
    here = os.path.dirname(os.path.realpath(__file__))
    yield os.path.join(here, "lib", "libkcache.so")
    env = os.environ.get("KCACHE_LIB")
    if env:
        yield env
        return
    repo = os.path.dirname(os.path.dirname(here))
    for profile in ("release", "debug"):
        yield os.path.join(repo, "target", profile, "libkcache.so")


def find_library():
    tried = []
    for path in _candidates():
        tried.append(path)
        if os.path.exists(path):
            return path
    raise ImportError(
        "libkcache.so not found (tried: %s); build it with `cargo build --release -p kcache-client` "
        "or set KCACHE_LIB" % ", ".join(tried))


LIB_PATH = find_library()
lib = ctypes.CDLL(LIB_PATH)

_vp = ctypes.c_void_p
_cp = ctypes.c_char_p
lib.kc_connect.argtypes = [_cp, ctypes.POINTER(_vp)]
lib.kc_connect.restype = ctypes.c_int
lib.kc_client_free.argtypes = [_vp]
lib.kc_client_free.restype = None
lib.kc_compile.argtypes = [_vp, _cp, _cp, _cp, _cp, ctypes.POINTER(_vp)]
lib.kc_compile.restype = ctypes.c_int
lib.kc_call.argtypes = [_vp, ctypes.POINTER(_vp), _vp]
lib.kc_call.restype = ctypes.c_int
lib.kc_kernel_fn.argtypes = [_vp]
lib.kc_kernel_fn.restype = _vp
lib.kc_kernel_digest.argtypes = [_vp]
lib.kc_kernel_digest.restype = _cp
lib.kc_kernel_signature.argtypes = [_vp]
lib.kc_kernel_signature.restype = _cp
lib.kc_kernel_result_type.argtypes = [_vp]
lib.kc_kernel_result_type.restype = _cp
lib.kc_kernel_result_size.argtypes = [_vp]
lib.kc_kernel_result_size.restype = ctypes.c_size_t
lib.kc_kernel_cache_hit.argtypes = [_vp]
lib.kc_kernel_cache_hit.restype = ctypes.c_int
lib.kc_kernel_generic_fn.argtypes = [_vp]
lib.kc_kernel_generic_fn.restype = _vp
lib.kc_kernel_writes_arg.argtypes = [_vp, ctypes.c_int]
lib.kc_kernel_writes_arg.restype = ctypes.c_int
lib.kc_inspect.argtypes = [_vp, _cp, _cp, _cp, _cp, ctypes.c_int, ctypes.POINTER(_vp)]
lib.kc_inspect.restype = ctypes.c_int
lib.kc_kernel_free.argtypes = [_vp]
lib.kc_kernel_free.restype = None
lib.kc_last_error.argtypes = []
lib.kc_last_error.restype = _cp
lib.kc_stats_json.argtypes = [_vp, ctypes.POINTER(_vp)]
lib.kc_stats_json.restype = ctypes.c_int
lib.kc_set_num_threads.argtypes = [ctypes.c_int]
lib.kc_set_num_threads.restype = None
lib.kc_get_num_threads.argtypes = []
lib.kc_get_num_threads.restype = ctypes.c_int
lib.kc_string_free.argtypes = [_vp]
lib.kc_array_release.argtypes = [ctypes.POINTER(KcArray)]
lib.kc_array_release.restype = None
lib.kc_memory_stats.argtypes = [ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int64)]
lib.kc_memory_stats.restype = None
lib.kc_string_free.restype = None


def last_error():
    msg = lib.kc_last_error()
    return msg.decode("utf-8", "replace") if msg else ""
