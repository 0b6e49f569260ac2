//! `libkcache_export_runtime.a`: the runtime (`kcache-runtime`) as the C functions a library
//! written by `kcache export` calls. Its generated glue hands [`kcache_rt_host_api`]'s table to
//! each module at load, and its `<prefix>last_error`, `<prefix>array_release`, ... call these;
//! a version script keeps the `kcache_rt_` names out of the library's dynamic symbols.
//!
//! A crate of its own so that libkcache, which links `kcache-runtime` as an rlib and calls its
//! Rust functions, does not export these C names too (a cdylib exports every `#[no_mangle]`
//! function of the crates it links).

use std::ffi::{c_char, c_int, CStr};

use kcache_abi::{kc_array, kc_dtype, kc_host_api};

use kcache_runtime::check::{array_mismatch, Layout};

/// The host table for `kc_module_init`.
#[no_mangle]
pub extern "C" fn kcache_rt_host_api() -> *const kc_host_api {
    &kcache_runtime::HOST_API
}

/// Takes the last error of this thread: the exception a kernel raised or why a checked call
/// refused its arguments. Null when there is none; the text lives until the thread's next call.
#[no_mangle]
pub extern "C" fn kcache_rt_last_error() -> *const c_char {
    kcache_runtime::error::take_c()
}

/// Records `message` as this thread's error.
///
/// # Safety
/// `message` is null or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kcache_rt_set_error(message: *const c_char) {
    // SAFETY: the caller's contract.
    unsafe { kcache_runtime::error::host_set_error(message) }
}

/// Releases the buffer of an array a kernel returned (its `owner`) and clears the owner, so a
/// second release does nothing; arrays the caller owns (null owner) are left alone.
///
/// # Safety
/// `array` is null or a `kc_array` a kernel of this library returned.
#[no_mangle]
pub unsafe extern "C" fn kcache_rt_array_release(array: *mut kc_array) {
    // SAFETY: the caller's contract is release_array's.
    unsafe { kcache_runtime::memory::release_array(array) }
}

/// Sets the threads parallel kernels use (at least 1).
#[no_mangle]
pub extern "C" fn kcache_rt_set_num_threads(n: c_int) {
    kcache_runtime::pool::set_num_threads(n.max(1) as usize);
}

/// The threads parallel kernels use.
#[no_mangle]
pub extern "C" fn kcache_rt_get_num_threads() -> c_int {
    kcache_runtime::pool::num_threads() as c_int
}

/// Checks argument `index` of kernel `name` (for the message) against an array of `dtype`
/// (code), `ndim` and `layout` ('C', 'F' or 'A'). 0 when it fits; otherwise -1 with this
/// thread's error saying why.
///
/// # Safety
/// `name` is a NUL-terminated string; `array` is null or points to a `kc_array`.
#[no_mangle]
pub unsafe extern "C" fn kcache_rt_check_array(
    name: *const c_char,
    index: c_int,
    array: *const kc_array,
    dtype: c_int,
    ndim: c_int,
    layout: c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
    let layout = match layout as u8 {
        b'C' => Layout::C,
        b'F' => Layout::F,
        _ => Layout::A,
    };
    let Some(dtype) = kc_dtype::from_code(dtype) else {
        kcache_runtime::error::set(format!("{name}: argument {index}: unknown dtype code {dtype}"));
        return -1;
    };
    let problem = if array.is_null() {
        Some("a null pointer".to_string())
    } else {
        // SAFETY: non-null, and a kc_array by the caller's contract.
        array_mismatch(unsafe { &*array }, dtype, ndim.max(0) as usize, layout)
    };
    match problem {
        None => 0,
        Some(what) => {
            let layout = match layout {
                Layout::C => "C-contiguous ",
                Layout::F => "F-contiguous ",
                Layout::A => "",
            };
            kcache_runtime::error::set(format!(
                "TypeError: {name}: argument {index}: expected a {layout}{ndim}-d array of {}, got {what}",
                dtype.name()
            ));
            -1
        }
    }
}
