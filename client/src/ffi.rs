//! The C ABI of libkcache. `include/kcache.h` is generated from this file by cbindgen (see
//! `client/tests/header.rs`); edit here, then `make header`.
//!
//! Conventions: every function that can fail returns a `kc_status`; on a non-OK status the
//! thread's `kc_last_error()` describes it. Objects are opaque handles freed by their `_free`
//! function. No function panics across the boundary.

#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::client::{Client, CompileSpec, Kernel};
use crate::error::{Error, ErrorKind};

// The ABI a compiled module shares with its callers is defined once, in kcache-abi; the
// header generator reads it from there too (client/tests/header.rs).
pub use kcache_abi::{kc_array, kc_dtype, KC_MAX_NDIM};

/// Result of every fallible libkcache call.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum kc_status {
    /// Success.
    KC_OK = 0,
    /// The daemon could not be reached, is not trusted (it runs as another uid, or its socket
    /// directory is not private to it), or refused the request (a missing or wrong token,
    /// a uid it does not serve); the message names the endpoint and says which.
    KC_ERR_CONNECT,
    /// The kernel source was rejected (syntax, type, unsupported construct, signature); the
    /// message starts with "line:column:" when there is a place to point at.
    KC_ERR_SOURCE,
    /// An argument or request was malformed (null pointer, bad option, wrong array type).
    KC_ERR_INVALID,
    /// The shared object could not be loaded.
    KC_ERR_LOAD,
    /// The kernel raised a Python exception; the message is "ExceptionName: message".
    KC_ERR_RUNTIME,
    /// The artifact did not match its BLAKE3 digest and was not loaded.
    KC_ERR_INTEGRITY,
    /// An unexpected failure inside kcache or kcached.
    KC_ERR_INTERNAL,
}

/// What `kc_inspect` returns.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum kc_inspect_kind {
    /// The typed IR: every variable and expression with its inferred type.
    KC_INSPECT_TYPES = 0,
    /// LLVM IR as generated, before optimisation.
    KC_INSPECT_LLVM,
    /// LLVM IR after O3.
    KC_INSPECT_OPT_LLVM,
    /// Assembly for the target CPU.
    KC_INSPECT_ASM,
}

/// A connection to kcached (opaque). Safe to use from several threads at once.
pub struct kc_client {
    client: Client,
}

/// A compiled, loaded kernel (opaque). Safe to call from several threads at once.
pub struct kc_kernel {
    kernel: Kernel,
    /// An element-wise kernel's further loops, after `kernel` (its first), in declaration order.
    more_loops: Vec<Kernel>,
    /// A generalized ufunc's layout (`kernel` is its loop).
    gufunc: Option<crate::gufunc::GufuncLayout>,
    digest: CString,
    signature: CString,
    result_type: CString,
}

impl kc_kernel {
    /// Every loop of an element-wise kernel, in declaration order (one for other kernels).
    fn loops(&self) -> Vec<&Kernel> {
        std::iter::once(&self.kernel).chain(&self.more_loops).collect()
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Stores a new kernel handle in `*out`.
///
/// # Safety
/// `out` is a valid pointer.
unsafe fn hand_out(kernel: Kernel, out: *mut *mut kc_kernel) {
    // SAFETY: forwarded caller contract.
    unsafe { hand_out_loops(kernel, Vec::new(), out) }
}

/// Stores a new kernel handle in `*out`: an element-wise kernel's first loop and the others.
///
/// # Safety
/// `out` is a valid pointer.
unsafe fn hand_out_loops(kernel: Kernel, more_loops: Vec<Kernel>, out: *mut *mut kc_kernel) {
    let digest = CString::new(kernel.digest.clone()).unwrap_or_default();
    let signature = CString::new(kernel.signature.text.clone()).unwrap_or_default();
    let result_type = CString::new(kernel.signature.ret_abi.clone()).unwrap_or_default();
    // SAFETY: the caller guarantees out is valid.
    unsafe {
        *out = Box::into_raw(Box::new(kc_kernel {
            kernel,
            more_loops,
            gufunc: None,
            digest,
            signature,
            result_type,
        }))
    };
}

fn set_last_error(message: &str) {
    let c = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
}

fn status_of(kind: ErrorKind) -> kc_status {
    match kind {
        // The C status set is fixed: a refusal is "cannot use the daemon", the message says why.
        ErrorKind::Connect | ErrorKind::Denied => kc_status::KC_ERR_CONNECT,
        ErrorKind::Source => kc_status::KC_ERR_SOURCE,
        ErrorKind::Invalid => kc_status::KC_ERR_INVALID,
        ErrorKind::Load => kc_status::KC_ERR_LOAD,
        ErrorKind::Runtime => kc_status::KC_ERR_RUNTIME,
        ErrorKind::Integrity => kc_status::KC_ERR_INTEGRITY,
        ErrorKind::Internal => kc_status::KC_ERR_INTERNAL,
    }
}

fn fail(e: Error) -> kc_status {
    set_last_error(&e.message);
    status_of(e.kind)
}

/// Runs `f`, turning errors into statuses and a panic into KC_ERR_INTERNAL.
fn guarded(f: impl FnOnce() -> Result<(), Error>) -> kc_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => kc_status::KC_OK,
        Ok(Err(e)) => fail(e),
        Err(_) => fail(Error::new(ErrorKind::Internal, "internal error (panic) in libkcache")),
    }
}

/// # Safety
/// `p` is null or a NUL-terminated string.
unsafe fn opt_str<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>, Error> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller passes a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map(Some)
        .map_err(|_| Error::new(ErrorKind::Invalid, format!("{what} is not valid UTF-8")))
}

fn parse_options(text: &str) -> Result<HashMap<String, String>, Error> {
    let mut out = HashMap::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((k, v)) = item.split_once('=') else {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("option '{item}' is not key=value"),
            ));
        };
        out.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(out)
}

/// Connects to kcached.
///
/// `endpoint`: "unix:/path/to.sock" or "tcp://host:port"; NULL uses `$KCACHE_ENDPOINT`, else
/// the default socket (`$XDG_RUNTIME_DIR/kcache/kcached.sock`, else `/tmp/kcache-$UID/kcached.sock`).
/// On success `*out` receives a client to free with `kc_client_free`.
///
/// Trust: on a Unix socket the daemon must run as this process's uid, or as a uid listed in
/// `$KCACHE_DAEMON_UID` (numbers or user names, comma-separated: a service account), and the
/// socket's directory must belong to that uid and not be writable by others; this is checked
/// with the kernel's record of the listening process before anything is sent. Over TCP, TLS is
/// used with the CA certificate in `$KCACHE_TLS_CA` (without it only loopback addresses are
/// allowed, in plain text), and the bearer token in `$KCACHE_TOKEN_FILE` goes with every request.
///
/// Hits: a request the daemon on this machine has answered before is loaded from the directory
/// it publishes beside its socket (`SOCKET.index/`, held to the same trust, every artifact's
/// digest checked), with no RPC; with that directory there, the gRPC connection is made by the
/// first request that needs it. `$KCACHE_NO_LOCAL_INDEX=1` makes every hit an RPC.
///
/// Errors: KC_ERR_CONNECT (the message names the endpoint; for a daemon that is not trusted it
/// says "is not trusted" and names the uid found), KC_ERR_INVALID.
///
/// # Safety
/// `endpoint` is NULL or a NUL-terminated string; `out` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_connect(endpoint: *const c_char, out: *mut *mut kc_client) -> kc_status {
    guarded(|| {
        if out.is_null() {
            return Err(Error::new(ErrorKind::Invalid, "kc_connect: out is NULL"));
        }
        // SAFETY: forwarded caller contract.
        let endpoint = unsafe { opt_str(endpoint, "endpoint") }?;
        let client = Client::connect(endpoint)?;
        // SAFETY: out checked non-null.
        unsafe { *out = Box::into_raw(Box::new(kc_client { client })) };
        Ok(())
    })
}

/// Closes the connection. Kernels compiled through it stay valid. NULL is ignored.
///
/// # Safety
/// `client` is NULL or came from `kc_connect` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn kc_client_free(client: *mut kc_client) {
    if !client.is_null() {
        // SAFETY: the pointer came from Box::into_raw in kc_connect.
        drop(unsafe { Box::from_raw(client) });
    }
}

/// Compiles `entry` from `source` (or fetches it from the daemon's store), verifies the
/// artifact's digest and loads it.
///
/// `signature`: a Numba signature such as "float64(float64[:])"; NULL or "" takes it from the
/// entry's decorator. `options`: NULL or "parallel=true,fastmath=true,error_model=numpy,
/// boundscheck=true". On success `*out` receives a kernel to free with `kc_kernel_free`.
/// Errors: KC_ERR_SOURCE (with "line:column:" in the message), KC_ERR_INVALID, KC_ERR_CONNECT,
/// KC_ERR_INTEGRITY, KC_ERR_LOAD, KC_ERR_INTERNAL. Thread-safe.
///
/// # Safety
/// `client` came from `kc_connect`; the strings are NULL (signature, options) or NUL-terminated;
/// `out` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_compile(
    client: *mut kc_client,
    source: *const c_char,
    entry: *const c_char,
    signature: *const c_char,
    options: *const c_char,
    out: *mut *mut kc_kernel,
) -> kc_status {
    guarded(|| {
        if client.is_null() || source.is_null() || entry.is_null() || out.is_null() {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_compile: client, source, entry and out must not be NULL",
            ));
        }
        // SAFETY: checked non-null; forwarded caller contract.
        let spec = unsafe { spec_from_c(source, entry, signature, options) }?;
        // SAFETY: client is a live handle from kc_connect.
        let client = unsafe { &(*client).client };
        let kernel = client.compile(&spec)?;
        // SAFETY: out checked non-null.
        unsafe { hand_out(kernel, out) };
        Ok(())
    })
}

/// Compiles an element-wise kernel (Numba's `@vectorize`) from a scalar function `entry` and
/// its scalar signatures (required): one, "float64(float64, float64)", or several in
/// declaration order, separated by ';' (or newlines, or commas between signatures):
/// "float64(float64); float32(float32)", as `@vectorize(["f8(f8)", "f4(f4)"])` declares them.
/// Each becomes a loop; `kc_vectorize_call` picks among them as a NumPy ufunc does. The
/// kernel's digest, signature and entries (`kc_kernel_digest`, ...) are its first loop's.
/// Call it with `kc_vectorize_call`. Arguments and errors as for `kc_compile`.
///
/// # Safety
/// As for `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_vectorize(
    client: *mut kc_client,
    source: *const c_char,
    entry: *const c_char,
    signature: *const c_char,
    options: *const c_char,
    out: *mut *mut kc_kernel,
) -> kc_status {
    guarded(|| {
        if client.is_null() || source.is_null() || entry.is_null() || signature.is_null() || out.is_null() {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_vectorize: client, source, entry, signature and out must not be NULL",
            ));
        }
        // SAFETY: checked non-null; forwarded caller contract.
        let spec = unsafe { spec_from_c(source, entry, signature, options) }?;
        // SAFETY: client is a live handle from kc_connect.
        let mut loops = crate::ufunc::compile(unsafe { &(*client).client }, spec)?.into_iter();
        let first = loops
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Invalid, "kc_vectorize: no signature"))?;
        // SAFETY: out checked non-null.
        unsafe { hand_out_loops(first, loops.collect(), out) };
        Ok(())
    })
}

/// The output dtype `kc_vectorize_call` gives for inputs of these dtypes: that of the loop a
/// NumPy ufunc with the kernel's loops would choose (the first declared loop to which every
/// input casts safely, `np.can_cast(..., "safe")`), so that the caller can allocate the output.
/// Errors: KC_ERR_INVALID (no loop takes these inputs, a wrong count, an unknown dtype).
///
/// # Safety
/// `kernel` came from `kc_vectorize`; `inputs` holds `ninputs` dtypes; `output` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_vectorize_resolve(
    kernel: *const kc_kernel,
    inputs: *const kc_dtype,
    ninputs: c_int,
    output: *mut kc_dtype,
) -> kc_status {
    guarded(|| {
        if kernel.is_null() || output.is_null() || ninputs < 0 || (ninputs > 0 && inputs.is_null()) {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_vectorize_resolve: NULL kernel, inputs or output",
            ));
        }
        let codes: &[i32] = if ninputs == 0 {
            &[]
        } else {
            // SAFETY: the caller passes ninputs dtypes; read as integers, so that a value outside
            // the enum is an error rather than undefined behaviour.
            unsafe { std::slice::from_raw_parts(inputs as *const i32, ninputs as usize) }
        };
        let types = codes
            .iter()
            .map(|&c| {
                crate::abi::ScalarType::from_code(c)
                    .ok_or_else(|| Error::new(ErrorKind::Invalid, format!("unknown dtype code {c}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // SAFETY: kernel is a live handle.
        let dtype = crate::ufunc::resolve(&unsafe { &*kernel }.loops(), &types)?;
        // SAFETY: output checked non-null.
        unsafe { *output = dtype.dtype() };
        Ok(())
    })
}

/// Applies an element-wise kernel from `kc_vectorize`: `output[idx] = f(inputs[0][idx], ...)`
/// for every index of `output`, each input broadcast to the output's shape as NumPy does
/// (missing leading dimensions and dimensions of length 1 repeat). Any strides work. The loop
/// is the one a NumPy ufunc would choose for the inputs' dtypes (see `kc_vectorize_resolve`):
/// with "float64(float64); float32(float32)", float32 inputs run the float64 loop. Inputs of
/// another dtype than the loop's are cast to it; the output may have any dtype the loop's
/// output casts to by NumPy's "same_kind" rule (KC_ERR_INVALID otherwise, nothing run).
/// Errors: KC_ERR_INVALID (no loop for these dtypes, output dtype, shape), KC_ERR_RUNTIME.
///
/// # Safety
/// `kernel` came from `kc_vectorize`; `inputs` holds `ninputs` valid arrays; every array's
/// memory covers its shape and strides.
#[no_mangle]
pub unsafe extern "C" fn kc_vectorize_call(
    kernel: *const kc_kernel,
    inputs: *const *const kc_array,
    ninputs: c_int,
    output: *mut kc_array,
) -> kc_status {
    guarded(|| {
        if kernel.is_null() || output.is_null() || (ninputs > 0 && inputs.is_null()) || ninputs < 0 {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_vectorize_call: NULL kernel, inputs or output",
            ));
        }
        let ins: Vec<&kc_array> = if ninputs == 0 {
            Vec::new()
        } else {
            // SAFETY: the caller passes ninputs valid pointers to arrays.
            unsafe { std::slice::from_raw_parts(inputs, ninputs as usize) }
                .iter()
                .map(|p| {
                    // SAFETY: each pointer is a valid kc_array (caller contract).
                    unsafe { &**p }
                })
                .collect()
        };
        // SAFETY: kernel and output are live; the arrays are the caller's.
        unsafe { crate::ufunc::call(&(*kernel).loops(), &ins, &mut *output) }
    })
}

/// Compiles a generalized ufunc (Numba's `@guvectorize`) from the function `entry`, its layout
/// ("(m,n),(n)->(m)": the core dimensions of each input, then of each output) and one signature
/// that returns void and lists inputs then outputs: "void(float64[:, :], float64[:],
/// float64[:])". A scalar core `()` is a scalar input (`float64`) or a one-element array
/// (`float64[:]`, written as `out[0]`, as Numba's scalar outputs are). Call it with
/// `kc_guvectorize_call`. Other arguments and errors as for `kc_compile`; a layout that does
/// not parse or does not fit the signature is KC_ERR_INVALID.
///
/// # Safety
/// As for `kc_compile`; `layout` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn kc_guvectorize(
    client: *mut kc_client,
    source: *const c_char,
    entry: *const c_char,
    signature: *const c_char,
    layout: *const c_char,
    options: *const c_char,
    out: *mut *mut kc_kernel,
) -> kc_status {
    guarded(|| {
        if client.is_null()
            || source.is_null()
            || entry.is_null()
            || signature.is_null()
            || layout.is_null()
            || out.is_null()
        {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_guvectorize: client, source, entry, signature, layout and out must not be NULL",
            ));
        }
        // SAFETY: checked non-null; forwarded caller contract.
        let spec = unsafe { spec_from_c(source, entry, signature, options) }?;
        // SAFETY: checked non-null; the caller passes a NUL-terminated layout.
        let layout = unsafe { opt_str(layout, "layout") }?.unwrap_or_default();
        // SAFETY: client is a live handle from kc_connect.
        let (kernel, layout) = crate::gufunc::compile(unsafe { &(*client).client }, spec, layout)?;
        // SAFETY: out checked non-null.
        unsafe { hand_out(kernel, out) };
        // SAFETY: hand_out stored a live handle in *out.
        unsafe { (**out).gufunc = Some(layout) };
        Ok(())
    })
}

/// Applies a generalized ufunc from `kc_guvectorize` to `args`: its inputs, then its outputs.
/// Each array's trailing dimensions are its core (bound by name across the arrays: every `n`
/// must have one size); the dimensions before them are loop dimensions. The outputs, which the
/// caller allocates, all have the loop shape followed by their core shape; inputs broadcast to
/// the loop shape as NumPy broadcasts (missing leading dimensions and dimensions of length 1
/// repeat). Any strides work. Dtypes must be the signature's (no casts).
/// Errors: KC_ERR_INVALID (counts, dtypes, core sizes, shapes; nothing run), KC_ERR_RUNTIME
/// (the kernel raised; the outputs hold what the calls before it wrote).
///
/// # Safety
/// `kernel` came from `kc_guvectorize`; `args` holds `nargs` pointers to valid arrays whose
/// memory covers their shapes and strides.
#[no_mangle]
pub unsafe extern "C" fn kc_guvectorize_call(
    kernel: *const kc_kernel,
    args: *const *const kc_array,
    nargs: c_int,
) -> kc_status {
    guarded(|| {
        if kernel.is_null() || nargs < 0 || (nargs > 0 && args.is_null()) {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_guvectorize_call: NULL kernel or arrays",
            ));
        }
        // SAFETY: kernel is a live handle.
        let k = unsafe { &*kernel };
        let layout = k.gufunc.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::Invalid,
                "kc_guvectorize_call: this kernel did not come from kc_guvectorize",
            )
        })?;
        let arrays: Vec<kc_array> = if nargs == 0 {
            Vec::new()
        } else {
            // SAFETY: the caller passes nargs valid pointers to arrays.
            unsafe { std::slice::from_raw_parts(args, nargs as usize) }
                .iter()
                .map(|p| {
                    // SAFETY: each pointer is a valid kc_array (caller contract).
                    unsafe { **p }
                })
                .collect()
        };
        // SAFETY: the arrays are the caller's, covering their shapes and strides.
        unsafe { crate::gufunc::call(&k.kernel, layout, &arrays) }
    })
}

/// Calls a kernel through its generic entry, checking the arguments first.
///
/// `args[i]` points to the i-th argument: to a scalar of the signature's type (`double *` for
/// float64, `int64_t *` for int64, `uint8_t *` holding 0/1 for bool, ...), to a `kc_array`
/// whose dtype, ndim and (for C/F layouts) contiguity must match the signature, or for a tuple
/// (`UniTuple(float64, 3)`, `Tuple(int64, float64[:])`) to a C struct of its items laid out as
/// a tuple result is (below). `ret` points
/// to storage for the result: the scalar's size for a scalar (16 bytes for complex128); a `kc_array` for an array, which the
/// kernel allocated and the caller releases with `kc_array_release` (NULL drops it at once; a
/// list result, type "list(float64)", comes the same way as a 1-D array of its items, and a
/// dict result, type "dict(int64;float64)", as a struct of two, its keys and its values in
/// insertion order);
/// for a tuple, a C struct of its items in order, each at its natural alignment (bool as
/// `uint8_t`, arrays as `kc_array` to release), of `kc_kernel_result_size` bytes; for an
/// Optional ("optional(int64)", a kernel that returns None on some paths), the struct
/// `{ uint8_t has_value; T value; }`, whose value is zero when `has_value` is 0.
/// Errors: KC_ERR_INVALID (argument mismatch, nothing was run), KC_ERR_RUNTIME (the kernel
/// raised; `kc_last_error()` gives "ZeroDivisionError: division by zero" and the like).
/// Thread-safe: a kernel may run on several threads at once.
///
/// # Safety
/// `kernel` came from `kc_compile`; `args` holds one valid pointer per argument; array data
/// covers the extents its shape and strides describe.
#[no_mangle]
pub unsafe extern "C" fn kc_call(kernel: *const kc_kernel, args: *const *const c_void, ret: *mut c_void) -> kc_status {
    guarded(|| {
        if kernel.is_null() {
            return Err(Error::new(ErrorKind::Invalid, "kc_call: kernel is NULL"));
        }
        // SAFETY: kernel is a live handle from kc_compile.
        let k = unsafe { &(*kernel).kernel };
        let n = k.signature.args.len();
        if n > 0 && args.is_null() {
            return Err(Error::new(ErrorKind::Invalid, "kc_call: args is NULL"));
        }
        let slice = if n == 0 {
            &[][..]
        } else {
            // SAFETY: the caller passes one pointer per argument.
            unsafe { std::slice::from_raw_parts(args, n) }
        };
        if ret.is_null() && matches!(k.signature.ret, Some(crate::abi::ArgType::Scalar(_))) {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_call: ret is NULL but the kernel returns a value",
            ));
        }
        // SAFETY: forwarded caller contract; arguments are checked inside.
        unsafe { k.call(slice, ret) }
    })
}

/// The typed native entry: call it through a function pointer of the kernel's C type, e.g.
/// `double (*)(const kc_array *)` for "float64(float64[:])". Scalars pass by value (bool as
/// `bool`), arrays as `const kc_array *`, the result comes back by value. Arguments are NOT
/// checked. If the kernel raises, it returns 0 (false for bool, nothing for void) and records
/// the exception: call `kc_check_error()` after a call whose result you cannot trust. Valid
/// until `kc_kernel_free`.
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_fn(kernel: *const kc_kernel) -> *mut c_void {
    if kernel.is_null() {
        set_last_error("kc_kernel_fn: kernel is NULL");
        return std::ptr::null_mut();
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).kernel.typed_entry() }
}

/// The generic entry, `int32_t (*)(void *const *args, void *ret, const char **error)`: what
/// `kc_call` calls after checking the arguments. Arguments are NOT checked; for bindings that
/// check them themselves (the Python extension). Returns 0 and sets `*error` on success, or the
/// exception status with `*error` pointing at "ExceptionName: message". Valid until `kc_kernel_free`.
///
/// # Safety
/// `kernel` came from `kc_compile`, `kc_fetch` or `kc_vectorize`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_generic_fn(kernel: *const kc_kernel) -> *mut c_void {
    if kernel.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).kernel.generic_entry() }
}

/// KC_ERR_RUNTIME if a typed-entry call on this thread raised since the last check (the
/// exception is then in `kc_last_error()`), else KC_OK. Clears the pending exception.
#[no_mangle]
pub extern "C" fn kc_check_error() -> kc_status {
    match crate::loader::take_kernel_error() {
        Some(message) => {
            set_last_error(&message);
            kc_status::KC_ERR_RUNTIME
        }
        None => kc_status::KC_OK,
    }
}

/// Hex BLAKE3 digest of the kernel's artifact (64 characters), owned by the kernel.
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_digest(kernel: *const kc_kernel) -> *const c_char {
    if kernel.is_null() {
        return c"".as_ptr();
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).digest.as_ptr() }
}

/// The kernel's resolved signature, e.g. "float64(array(float64, 1d, A))", owned by the kernel.
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_signature(kernel: *const kc_kernel) -> *const c_char {
    if kernel.is_null() {
        return c"".as_ptr();
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).signature.as_ptr() }
}

/// The result's type in the daemon's encoding, owned by the kernel: "none", a dtype name
/// ("float64"), "array(float64,1,C)" (dtype, ndim, layout), "tuple(T1;T2;...)" of those, or
/// "optional(T)" (a value or None).
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_result_type(kernel: *const kc_kernel) -> *const c_char {
    if kernel.is_null() {
        return c"".as_ptr();
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).result_type.as_ptr() }
}

/// Bytes `kc_call` writes to `ret`: 0 for a void kernel, 8 or fewer for a scalar,
/// `sizeof(kc_array)` for an array, the C struct's size for a tuple.
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_result_size(kernel: *const kc_kernel) -> usize {
    if kernel.is_null() {
        return 0;
    }
    // SAFETY: kernel is a live handle.
    let k = unsafe { &(*kernel).kernel };
    k.signature.ret.as_ref().map_or(0, |r| r.size_align().0)
}

/// 1 if the daemon served the kernel from its store (no compile), 0 if it compiled it.
///
/// # Safety
/// `kernel` came from `kc_compile`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_cache_hit(kernel: *const kc_kernel) -> c_int {
    if kernel.is_null() {
        return 0;
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).kernel.cache_hit as c_int }
}

/// 1 if the kernel may write its array argument `index` (directly or through a function it
/// calls), 0 if it only reads it: pass read-only memory only where this is 0.
///
/// # Safety
/// `kernel` came from `kc_compile` or `kc_fetch`.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_writes_arg(kernel: *const kc_kernel, index: c_int) -> c_int {
    if kernel.is_null() || index < 0 {
        return 0;
    }
    // SAFETY: kernel is a live handle.
    unsafe { (*kernel).kernel.written_args.contains(&(index as u32)) as c_int }
}

/// Unloads the kernel. Function pointers from `kc_kernel_fn` become invalid. NULL is ignored.
///
/// # Safety
/// `kernel` is NULL or came from `kc_compile`; no call into it is running or follows.
#[no_mangle]
pub unsafe extern "C" fn kc_kernel_free(kernel: *mut kc_kernel) {
    if !kernel.is_null() {
        // SAFETY: the pointer came from Box::into_raw in kc_compile.
        drop(unsafe { Box::from_raw(kernel) });
    }
}

/// The message for the last non-OK status returned on this thread ("" if none). Valid until
/// the next libkcache call on the same thread.
#[no_mangle]
pub extern "C" fn kc_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Describes caller-owned memory as an array argument. `strides_in_bytes` NULL means
/// C-contiguous. `ndim` outside 1..KC_MAX_NDIM gives an array that `kc_call` rejects.
///
/// # Safety
/// `shape` points to `ndim` values; `strides_in_bytes` is NULL or points to `ndim` values.
#[no_mangle]
pub unsafe extern "C" fn kc_array_wrap(
    data: *mut c_void,
    dtype: kc_dtype,
    ndim: i32,
    shape: *const i64,
    strides_in_bytes: *const i64,
) -> kc_array {
    let mut a = kc_array {
        data,
        ndim,
        shape: [0; KC_MAX_NDIM],
        strides: [0; KC_MAX_NDIM],
        dtype,
        owner: std::ptr::null_mut(),
    };
    if ndim < 1 || ndim as usize > KC_MAX_NDIM || shape.is_null() {
        a.ndim = -1;
        return a;
    }
    let n = ndim as usize;
    // SAFETY: the caller passes ndim shape values.
    a.shape[..n].copy_from_slice(unsafe { std::slice::from_raw_parts(shape, n) });
    if strides_in_bytes.is_null() {
        let itemsize = kc_dtype::from_code(dtype as i32).map_or(1, |d| d.itemsize() as i64);
        let mut stride = itemsize;
        for d in (0..n).rev() {
            a.strides[d] = stride;
            stride *= a.shape[d].max(1);
        }
    } else {
        // SAFETY: the caller passes ndim stride values.
        a.strides[..n].copy_from_slice(unsafe { std::slice::from_raw_parts(strides_in_bytes, n) });
    }
    a
}

/// The daemon's counters and store usage as a JSON object (requests, hits, misses, compiles,
/// compile_failures, source_errors, integrity_misses, in_flight, store_bytes, store_entries,
/// total_compile_us, evictions, max_store_bytes, avg_hit_us, link_fallbacks, stages). On success `*json_out` receives a string to free with `kc_string_free`.
///
/// # Safety
/// `client` came from `kc_connect`; `json_out` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_stats_json(client: *mut kc_client, json_out: *mut *mut c_char) -> kc_status {
    guarded(|| {
        if client.is_null() || json_out.is_null() {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_stats_json: client and json_out must not be NULL",
            ));
        }
        // SAFETY: client is a live handle from kc_connect.
        let stats = unsafe { &(*client).client }.stats()?;
        let text = crate::client::stats_json(&stats).to_string();
        let c = CString::new(text).map_err(|_| Error::new(ErrorKind::Internal, "stats contain NUL"))?;
        // SAFETY: json_out checked non-null.
        unsafe { *json_out = c.into_raw() };
        Ok(())
    })
}

/// Loads a kernel the daemon stores, by the hex digest `kc_kernel_digest` gave earlier: no
/// source and no compile. The artifact is verified against the digest before loading.
/// Errors: KC_ERR_INVALID (unknown digest), KC_ERR_INTEGRITY, KC_ERR_LOAD, KC_ERR_CONNECT.
///
/// # Safety
/// `client` came from `kc_connect`; `digest` is NUL-terminated; `out` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_fetch(
    client: *mut kc_client,
    digest: *const c_char,
    out: *mut *mut kc_kernel,
) -> kc_status {
    guarded(|| {
        if client.is_null() || digest.is_null() || out.is_null() {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_fetch: client, digest and out must not be NULL",
            ));
        }
        // SAFETY: forwarded caller contract.
        let digest = unsafe { opt_str(digest, "digest") }?.unwrap_or_default();
        // SAFETY: client is a live handle from kc_connect.
        let kernel = unsafe { &(*client).client }.fetch(digest)?;
        // SAFETY: out checked non-null.
        unsafe { hand_out(kernel, out) };
        Ok(())
    })
}

/// What the compiler makes of a request, as text: the typed IR, LLVM IR before or after
/// optimisation, or assembly (see `kc_inspect_kind`). Arguments as for `kc_compile`. On success
/// `*text_out` receives a string to free with `kc_string_free`. Nothing is stored.
///
/// # Safety
/// As for `kc_compile`; `text_out` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn kc_inspect(
    client: *mut kc_client,
    source: *const c_char,
    entry: *const c_char,
    signature: *const c_char,
    options: *const c_char,
    kind: kc_inspect_kind,
    text_out: *mut *mut c_char,
) -> kc_status {
    guarded(|| {
        if client.is_null() || source.is_null() || entry.is_null() || text_out.is_null() {
            return Err(Error::new(
                ErrorKind::Invalid,
                "kc_inspect: client, source, entry and text_out must not be NULL",
            ));
        }
        // SAFETY: forwarded caller contract.
        let spec = unsafe { spec_from_c(source, entry, signature, options) }?;
        // SAFETY: client is a live handle from kc_connect.
        let reply = unsafe { &(*client).client }.inspect(&spec)?;
        let text = match kind {
            kc_inspect_kind::KC_INSPECT_TYPES => reply.types,
            kc_inspect_kind::KC_INSPECT_LLVM => reply.llvm_ir,
            kc_inspect_kind::KC_INSPECT_OPT_LLVM => reply.optimized_llvm_ir,
            kc_inspect_kind::KC_INSPECT_ASM => reply.assembly,
        };
        let c = CString::new(text).map_err(|_| Error::new(ErrorKind::Internal, "inspect text contains NUL"))?;
        // SAFETY: text_out checked non-null.
        unsafe { *text_out = c.into_raw() };
        Ok(())
    })
}

/// # Safety
/// `source` and `entry` are NUL-terminated; `signature` and `options` are NULL or NUL-terminated.
unsafe fn spec_from_c(
    source: *const c_char,
    entry: *const c_char,
    signature: *const c_char,
    options: *const c_char,
) -> Result<CompileSpec, Error> {
    // SAFETY: the caller passes a NUL-terminated source.
    let source_bytes = unsafe { CStr::from_ptr(source) }.to_bytes().to_vec();
    // SAFETY: forwarded caller contract.
    let entry = unsafe { opt_str(entry, "entry") }?.unwrap_or_default();
    // SAFETY: forwarded caller contract.
    let signature = unsafe { opt_str(signature, "signature") }?.unwrap_or_default();
    // SAFETY: forwarded caller contract.
    let options = parse_options(unsafe { opt_str(options, "options") }?.unwrap_or_default())?;
    Ok(CompileSpec {
        source: source_bytes,
        entry: entry.to_string(),
        signature: signature.to_string(),
        options,
        ..Default::default()
    })
}

/// Frees a string that libkcache allocated (`kc_stats_json`, `kc_inspect`). NULL is ignored.
///
/// # Safety
/// `s` is NULL or came from a libkcache function documented to need `kc_string_free`.
#[no_mangle]
pub unsafe extern "C" fn kc_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: s came from CString::into_raw.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Sets the number of threads parallel kernels (`prange`, `parallel=true`) use in this
/// process; values below 1 mean 1. Default: `$KCACHE_NUM_THREADS`, else the usable cores.
#[no_mangle]
pub extern "C" fn kc_set_num_threads(n: c_int) {
    kcache_runtime::pool::set_num_threads(n.max(1) as usize);
}

/// The number of threads parallel kernels use in this process.
#[no_mangle]
pub extern "C" fn kc_get_num_threads() -> c_int {
    kcache_runtime::pool::num_threads() as c_int
}

/// Releases an array a kernel returned (its `owner`): the memory is freed once no other array
/// returned by a kernel shares it. Safe to call on any array: one whose `owner` is NULL (an
/// array the program made itself, or one already released) is left alone. Sets `owner` to NULL.
///
/// # Safety
/// `array` is NULL or points to a `kc_array` whose `owner` is NULL or came from a kernel's
/// result and was not released through another copy of the struct.
#[no_mangle]
pub unsafe extern "C" fn kc_array_release(array: *mut kc_array) {
    // SAFETY: the caller's contract is release_array's.
    unsafe { kcache_runtime::memory::release_array(array) }
}

/// Buffers that kernels allocated in this process and that are not freed yet, and their bytes
/// (for leak checks). Either pointer may be NULL.
///
/// # Safety
/// Each pointer is NULL or points to an `int64_t`.
#[no_mangle]
pub unsafe extern "C" fn kc_memory_stats(live_buffers: *mut i64, live_bytes: *mut i64) {
    let (buffers, bytes) = kcache_runtime::memory::live_memory();
    if !live_buffers.is_null() {
        // SAFETY: the caller's contract.
        unsafe { *live_buffers = buffers };
    }
    if !live_bytes.is_null() {
        // SAFETY: the caller's contract.
        unsafe { *live_bytes = bytes };
    }
}

/// The libkcache version, e.g. "0.1.0".
#[no_mangle]
pub extern "C" fn kc_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}
