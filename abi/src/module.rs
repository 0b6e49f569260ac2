//! What a compiled module exports and what it gets from its host: the version a loader checks,
//! the symbols and their types, the status codes its functions return, and the host function
//! table handed to `kc_module_init`. (Re-exported at the crate root.)

use std::ffi::{c_char, c_void};

/// What a module exports as `kc_module_abi` (an `i64` constant): the version of everything in
/// this crate but the host table (entry calling conventions, `kc_array`, dtype codes, status
/// codes, symbol names). A loader refuses a module whose version differs from its own.
pub const MODULE_ABI_VERSION: u64 = 4;

/// Version of [`kc_host_api`]. Fields are only ever appended; a module reads the fields the
/// version the host passes has (see `llvm::HOST_TABLE_FIELDS`, `since`) and ignores the rest.
pub const HOST_API_VERSION: u64 = 7;

/// The `i64` constant holding the module's [`MODULE_ABI_VERSION`].
pub const MODULE_ABI_SYMBOL: &str = "kc_module_abi";
/// The module's initialiser, a [`kc_module_init_fn`]; optional for a loader to find, called once
/// after loading when present.
pub const MODULE_INIT_SYMBOL: &str = "kc_module_init";
/// Prefix of an entry's typed symbol (`kc_entry_<name>`): scalars by value (bool as `i1
/// zeroext`), arrays as `const kc_array *`, the result by value; a raised exception is reported
/// through the host's `set_error` and the result is zero.
pub const TYPED_ENTRY_PREFIX: &str = "kc_entry_";
/// Prefix of an entry's generic symbol (`kc_generic_<name>`), a [`kc_generic_fn`].
pub const GENERIC_ENTRY_PREFIX: &str = "kc_generic_";

/// Status of a generic entry, a prange body and every function inside a module: success.
pub const MODULE_STATUS_OK: i32 = 0;
/// The kernel raised a Python exception; the generic entry's `*error` (or the host's
/// `set_error`, from a typed entry) carries "ExceptionName: message". Any status other than
/// [`MODULE_STATUS_OK`] means failure; this is the one generated code returns today.
pub const MODULE_STATUS_RAISED: i32 = 1;

/// `int32_t (*)(void *const *args, void *ret, const char **error)`: arguments through
/// pointers, the result stored at `ret`, a module status returned.
pub type kc_generic_fn = unsafe extern "C" fn(*const *const c_void, *mut c_void, *mut *const c_char) -> i32;

/// `int32_t body(void *ctx, int64_t lo, int64_t hi, int64_t chunk)`: one chunk of a prange
/// region, returning a module status.
pub type kc_body_fn = unsafe extern "C" fn(*mut c_void, i64, i64, i64) -> i32;

/// `void kc_module_init(const kc_host_api *)`: the module keeps the table's function pointers.
pub type kc_module_init_fn = unsafe extern "C" fn(*const kc_host_api);

/// The table of host functions a loader hands to every module's `kc_module_init`. A module
/// cannot resolve host symbols at `dlopen` (a Rust executable exports none, Python's ctypes
/// loads with RTLD_LOCAL), so everything it calls back into comes through here.
#[repr(C)]
pub struct kc_host_api {
    /// [`HOST_API_VERSION`] of the host: which of the fields below exist.
    pub version: u64,
    /// Called by a typed entry when the kernel raised: "ExceptionName: message" (version 1).
    pub set_error: unsafe extern "C" fn(*const c_char),
    /// Runs a prange body over `chunks` chunks of `[0, n)` and returns the first non-zero
    /// status a chunk returned, else 0: `(body, ctx, n, chunks)` (version 2).
    pub parallel_for: unsafe extern "C" fn(kc_body_fn, *mut c_void, i64, i64) -> i32,
    /// Threads a parallel region uses (version 2).
    pub num_threads: extern "C" fn() -> i64,
    /// A new buffer of `nbytes` (64-byte aligned data, refcount 1), or null when memory is
    /// exhausted (the kernel raises MemoryError) (version 3).
    pub alloc: extern "C" fn(i64) -> *mut crate::kc_meminfo,
    /// Frees a buffer whose refcount the kernel dropped to 0 (version 3).
    pub release: unsafe extern "C" fn(*mut crate::kc_meminfo),
    /// Seeds the calling thread's generator `generator` ([`RANDOM_NUMPY`]: as NumPy's legacy
    /// `np.random.seed(int)`; [`RANDOM_PYTHON`]: as CPython's `random.seed(int)`) (version 4).
    pub random_seed: extern "C" fn(i32, u64),
    /// The next raw 32-bit output of the calling thread's Mersenne Twister (version 4).
    pub random_u32: extern "C" fn(i32) -> u32,
    /// The next double in [0, 1), 53 random bits as NumPy and CPython make it (version 4).
    pub random_double: extern "C" fn(i32) -> f64,
    /// The next standard normal: NumPy's legacy polar method, or CPython's `random.gauss`
    /// (each keeps its second value for the next call, as they do) (version 4).
    pub random_gauss: extern "C" fn(i32) -> f64,
    /// Appends a NUL-terminated text to the calling thread's pending `print()` line (version 5).
    pub print_text: unsafe extern "C" fn(*const c_char),
    /// Appends Python's `str()` of a number to the pending line: `(kind, integer, re, im)`,
    /// kind one of the `PRINT_*` constants (version 5).
    pub print_number: extern "C" fn(i32, i64, f64, f64),
    /// Appends `end` (NUL-terminated) to the pending line and writes the line to standard
    /// output at once, in one write (version 5).
    pub print_end: unsafe extern "C" fn(*const c_char),
    /// A new empty dict whose entries hold a key of `key_size` bytes at offset 0 and the value at
    /// `val_offset`, `entry_size` bytes in all, the value holding a reference (a buffer's
    /// meminfo the dict owns) at `owner`, or -1 for none: `(key_size, val_offset, entry_size,
    /// owner)`; its header buffer, refcount 1, or null when memory is exhausted (version 6).
    pub dict_new: extern "C" fn(i64, i64, i64, i64) -> *mut crate::kc_meminfo,
    /// The value of the entry whose key bytes equal `key`'s, or null: `(dict, key)` (version 6).
    pub dict_lookup: unsafe extern "C" fn(*mut crate::kc_meminfo, *const c_void) -> *mut c_void,
    /// The value of `key`'s entry, made (zeroed, after every other) when missing; null when
    /// memory is exhausted: `(dict, key)` (version 6).
    pub dict_insert: unsafe extern "C" fn(*mut crate::kc_meminfo, *const c_void) -> *mut c_void,
    /// Removes `key`'s entry, moving its value to `out` (null: dropping it): 1, or 0 when
    /// missing (version 6).
    pub dict_remove: unsafe extern "C" fn(*mut crate::kc_meminfo, *const c_void, *mut c_void) -> i32,
    /// Removes every entry (version 6).
    pub dict_clear: unsafe extern "C" fn(*mut crate::kc_meminfo),
    /// A new dict with the same entries in the same order, or null (version 6).
    pub dict_copy: unsafe extern "C" fn(*mut crate::kc_meminfo) -> *mut crate::kc_meminfo,
    /// A new list (the header buffer generated code makes for lists) of `size` bytes from
    /// `offset` of every entry, in insertion order: keys, values or whole entries as tuples;
    /// null when memory is exhausted: `(dict, offset, size)` (version 6).
    pub dict_list: unsafe extern "C" fn(*mut crate::kc_meminfo, i64, i64) -> *mut crate::kc_meminfo,
    /// Removes the last entry, moving its key to `key` and its value to `value`: 1, or 0 when
    /// the dict is empty: `(dict, key, value)` (version 6).
    pub dict_popitem: unsafe extern "C" fn(*mut crate::kc_meminfo, *mut c_void, *mut c_void) -> i32,
    /// Stores every entry of `src` into `dst` (same key and value types), in `src`'s order: 1, or
    /// 0 when memory is exhausted: `(dst, src)` (version 6).
    pub dict_update: unsafe extern "C" fn(*mut crate::kc_meminfo, *mut crate::kc_meminfo) -> i32,
    /// "KeyError: <key>", the key given as `print_number`'s arguments, NUL-terminated, valid
    /// until the calling thread's next call: the message of a kernel's KeyError (version 6).
    pub key_error: extern "C" fn(i32, i64, f64, f64) -> *const c_char,
    /// The lowest stack address the calling thread's kernel code may reach: its stack's low end
    /// plus a margin. A recursive function compares its frame with it on entry and raises
    /// RecursionError below it, instead of overflowing the caller's stack (version 7).
    pub stack_floor: extern "C" fn() -> u64,
    /// Every operation on a set kernels make (one function: one table field for the whole
    /// type), CPython's set algorithm so that iteration order is CPython's:
    /// `(op, set, other set, key)`, the codes and results in `kcache_runtime::set` (version 7).
    pub set_op: unsafe extern "C" fn(i64, *mut crate::kc_meminfo, *mut crate::kc_meminfo, *mut c_void) -> i64,
}

/// The operations of the host's `set_op` (its first argument): generated code passes them, the
/// runtime's set performs them (`kcache_runtime::set`, which documents each one's arguments).
pub mod set_op {
    pub const NEW: i64 = 0;
    pub const ADD: i64 = 1;
    pub const CONTAINS: i64 = 2;
    pub const DISCARD: i64 = 3;
    pub const POP: i64 = 4;
    pub const CLEAR: i64 = 5;
    pub const COPY: i64 = 6;
    pub const UPDATE: i64 = 7;
    pub const OR: i64 = 8;
    pub const AND: i64 = 9;
    pub const SUB: i64 = 10;
    pub const XOR: i64 = 11;
    pub const IAND: i64 = 12;
    pub const ISUB: i64 = 13;
    pub const IXOR: i64 = 14;
    pub const ISSUBSET: i64 = 15;
    pub const ISDISJOINT: i64 = 16;
    pub const EQ: i64 = 17;
    pub const LIST: i64 = 18;
    pub const REBUILD: i64 = 19;
    /// `intersection`/`difference` and their `_update` forms of an iterable other than a set,
    /// given as a list (`b`) of items of the set's type.
    pub const AND_ITEMS: i64 = 20;
    pub const SUB_ITEMS: i64 = 21;
    pub const IAND_ITEMS: i64 = 22;
    pub const ISUB_ITEMS: i64 = 23;
}

/// How one number of a set's key is stored (the lanes of the description `set_op`'s `NEW`
/// takes): generated code says it, the runtime's set hashes and compares by it.
pub mod set_lane {
    pub const I8: i64 = 1;
    pub const I16: i64 = 2;
    pub const I32: i64 = 3;
    pub const I64: i64 = 4;
    pub const U8: i64 = 5;
    pub const U16: i64 = 6;
    pub const U32: i64 = 7;
    pub const U64: i64 = 8;
    pub const F32: i64 = 9;
    pub const F64: i64 = 10;
}

/// `print_number` kinds: the integer argument as a signed integer.
pub const PRINT_INT: i32 = 0;
/// The integer argument as an unsigned integer.
pub const PRINT_UINT: i32 = 1;
/// The integer argument as a bool (`True`/`False`).
pub const PRINT_BOOL: i32 = 2;
/// The `re` argument as a float (Python's `repr`; float32 values are printed as the float64
/// they widen to, as Numba prints them).
pub const PRINT_FLOAT: i32 = 3;
/// `re` and `im` as a complex number.
pub const PRINT_COMPLEX: i32 = 4;

/// The generator behind `np.random.*` (NumPy's legacy `RandomState` algorithms).
pub const RANDOM_NUMPY: i32 = 0;
/// The generator behind Python's `random.*`.
pub const RANDOM_PYTHON: i32 = 1;
