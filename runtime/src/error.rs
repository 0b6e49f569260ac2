//! The exception a typed entry raised: generated code reports "ExceptionName: message" through
//! the host's `set_error`, kept per thread until the caller takes it.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

thread_local! {
    static KERNEL_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The text the last `kcache_rt_last_error` handed out, kept alive for its caller.
    static TAKEN: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// The host's `set_error`.
///
/// # Safety
/// `message` must be null or a NUL-terminated string.
pub unsafe extern "C" fn host_set_error(message: *const c_char) {
    let text = if message.is_null() {
        "kernel error".to_string()
    } else {
        // SAFETY: the caller (generated code) passes a NUL-terminated constant.
        unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned()
    };
    set(text);
}

/// Records an error on this thread (a kernel's exception, or a refused call).
pub fn set(text: String) {
    KERNEL_ERROR.with(|e| *e.borrow_mut() = Some(text));
}

/// Takes the exception a typed entry raised on this thread, if any.
pub fn take() -> Option<String> {
    KERNEL_ERROR.with(|e| e.borrow_mut().take())
}

/// Takes this thread's error as a C string that stays valid until the thread's next call here
/// (null when there is none).
pub fn take_c() -> *const c_char {
    let taken = take().map(|t| CString::new(t.replace('\0', " ")).expect("NULs replaced"));
    TAKEN.with(|slot| {
        let mut slot = slot.borrow_mut();
        *slot = taken;
        slot.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_taken_once_and_per_thread() {
        // SAFETY: a NUL-terminated literal.
        unsafe { host_set_error(c"ZeroDivisionError: division by zero".as_ptr()) };
        std::thread::spawn(|| assert!(take().is_none())).join().unwrap();
        let p = take_c();
        // SAFETY: take_c's text lives until this thread's next call.
        assert_eq!(
            unsafe { CStr::from_ptr(p) }.to_str().unwrap(),
            "ZeroDivisionError: division by zero"
        );
        assert!(take_c().is_null());
    }
}
