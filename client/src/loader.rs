//! Loading shared objects from memory: memfd + `dlopen("/proc/self/fd/N")`. The memfd stays open
//! while the library is loaded, because glibc identifies loaded libraries by path and a reused
//! fd number would hand back the old library.
//!
//! Kernels reach the host through a table of function pointers passed to their exported
//! `kc_module_init`, never through global symbol lookup (which fails from Rust executables and
//! from Python's ctypes with RTLD_LOCAL).

use std::cell::RefCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::error::{Error, ErrorKind};

/// Version of [`HostApi`]: modules read the fields a version has and ignore the rest.
pub const HOST_API_VERSION: u64 = 2;

/// The table handed to every loaded module (layout shared with the code generator).
#[repr(C)]
pub struct HostApi {
    pub version: u64,
    /// Called by a typed entry when the kernel raised: "ExceptionName: message".
    pub set_error: unsafe extern "C" fn(*const c_char),
    /// Runs a prange body over chunks of its iteration space (version 2).
    pub parallel_for: unsafe extern "C" fn(crate::runtime::BodyFn, *mut c_void, i64, i64) -> i32,
    /// Threads a parallel region uses (version 2).
    pub num_threads: extern "C" fn() -> i64,
}

thread_local! {
    static KERNEL_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// # Safety
/// `message` must be null or a NUL-terminated string.
unsafe extern "C" fn host_set_error(message: *const c_char) {
    let text = if message.is_null() {
        "kernel error".to_string()
    } else {
        // SAFETY: the caller (generated code) passes a NUL-terminated constant.
        unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned()
    };
    KERNEL_ERROR.with(|e| *e.borrow_mut() = Some(text));
}

/// Takes the exception a typed entry raised on this thread, if any.
pub fn take_kernel_error() -> Option<String> {
    KERNEL_ERROR.with(|e| e.borrow_mut().take())
}

static HOST_API: HostApi = HostApi {
    version: HOST_API_VERSION,
    set_error: host_set_error,
    parallel_for: crate::runtime::parallel_for,
    num_threads: crate::runtime::host_num_threads,
};

/// A shared object loaded from memory. Unloaded on drop.
pub struct Library {
    handle: *mut c_void,
    _memfd: OwnedFd,
}

// SAFETY: a dlopen handle may be used and closed from any thread.
unsafe impl Send for Library {}
// SAFETY: dlsym on a handle is thread-safe.
unsafe impl Sync for Library {}

fn dl_error() -> String {
    // SAFETY: dlerror returns null or a valid C string owned by libc.
    let e = unsafe { libc::dlerror() };
    if e.is_null() {
        "unknown dlopen error".into()
    } else {
        // SAFETY: checked non-null above.
        unsafe { CStr::from_ptr(e) }.to_string_lossy().into_owned()
    }
}

impl Library {
    /// Loads an ELF shared object from `bytes` and runs its `kc_module_init`, if it has one.
    pub fn load(bytes: &[u8]) -> Result<Library, Error> {
        let name = CString::new("kcache-kernel").expect("no NUL");
        // SAFETY: memfd_create with a valid name; the result is checked.
        let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
        if fd < 0 {
            return Err(Error::new(
                ErrorKind::Load,
                format!("memfd_create failed: {}", std::io::Error::last_os_error()),
            ));
        }
        // SAFETY: fd is a fresh descriptor we own.
        let memfd = unsafe { OwnedFd::from_raw_fd(fd) };
        let mut file = std::fs::File::from(
            memfd
                .try_clone()
                .map_err(|e| Error::new(ErrorKind::Load, format!("dup: {e}")))?,
        );
        file.write_all(bytes)
            .map_err(|e| Error::new(ErrorKind::Load, format!("writing the memfd: {e}")))?;
        drop(file);
        let path = CString::new(format!("/proc/self/fd/{}", memfd.as_raw_fd())).expect("no NUL");
        // SAFETY: dlopen of a path we built; the result is checked.
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            return Err(Error::new(ErrorKind::Load, format!("dlopen failed: {}", dl_error())));
        }
        let lib = Library { handle, _memfd: memfd };
        if let Some(init) = lib.symbol("kc_module_init") {
            // SAFETY: kc_module_init has this signature in every module kcached builds.
            let init: unsafe extern "C" fn(*const HostApi) = unsafe { std::mem::transmute(init) };
            // SAFETY: HOST_API is 'static and laid out as the module expects.
            unsafe { init(&HOST_API) };
        }
        Ok(lib)
    }

    /// The address of an exported symbol.
    pub fn symbol(&self, name: &str) -> Option<*mut c_void> {
        let c = CString::new(name).ok()?;
        // SAFETY: handle is live for self's lifetime.
        let p = unsafe { libc::dlsym(self.handle, c.as_ptr()) };
        (!p.is_null()).then_some(p)
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        // SAFETY: handle came from dlopen; callers no longer hold function pointers into it
        // (Kernel owns the Library and the pointers together).
        unsafe { libc::dlclose(self.handle) };
    }
}
