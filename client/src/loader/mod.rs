//! Loading kernel modules from memory. The shared objects kcached's own linker writes are
//! loaded by [`image`]: copied into memory of their own, relocated, protected, no `dlopen`.
//! Anything else (an object `ld` linked, with constructs `image` declines) goes through glibc:
//! memfd + `dlopen("/proc/self/fd/N")`. The memfd stays open while the library is loaded,
//! because glibc identifies loaded libraries by path and a reused fd number would hand back the
//! old library.
//!
//! Kernels reach the host through a table of function pointers passed to their exported
//! `kc_module_init`, never through global symbol lookup (which fails from Rust executables and
//! from Python's ctypes with RTLD_LOCAL).
//!
//! Before anything in a module runs, its exported `kc_module_abi` must equal this client's
//! [`MODULE_ABI_VERSION`]: a module built for another layout of `kc_array` or another entry
//! convention would read its arguments wrongly, so it is refused rather than called.

pub mod image;

use std::ffi::{c_void, CStr, CString};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use kcache_abi::{kc_module_init_fn, MODULE_ABI_SYMBOL, MODULE_ABI_VERSION, MODULE_INIT_SYMBOL};

use crate::error::{Error, ErrorKind};

/// Takes the exception a typed entry raised on this thread, if any.
pub fn take_kernel_error() -> Option<String> {
    kcache_runtime::error::take()
}

/// A loaded kernel module. Unloaded on drop.
pub struct Library {
    loaded: Loaded,
}

enum Loaded {
    Image(image::Image),
    Dl {
        handle: *mut c_void,
        /// The memfd the library was opened through: see the module docs.
        _file: OwnedFd,
    },
}

// SAFETY: a dlopen handle may be used and closed from any thread; an Image is Send.
unsafe impl Send for Library {}
// SAFETY: dlsym on a handle is thread-safe; an Image is only read after loading.
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
    /// Loads an ELF shared object from `bytes`, checks its `kc_module_abi` and runs its
    /// `kc_module_init`, if it has one. A module of another ABI version (or with none) is
    /// unloaded again and refused with [`ErrorKind::Load`], before any of its code runs.
    pub fn load(bytes: &[u8]) -> Result<Library, Error> {
        if let Ok(image) = image::Image::load(bytes) {
            return Library::init(Loaded::Image(image));
        }
        Library::load_with_dlopen(bytes)
    }

    /// Loads `bytes` as [`Library::load`] does, always through glibc (memfd + `dlopen`): for
    /// what [`image`] declines, and to compare the two.
    pub fn load_with_dlopen(bytes: &[u8]) -> Result<Library, Error> {
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
        let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
        file.write_all(bytes)
            .map_err(|e| Error::new(ErrorKind::Load, format!("writing the memfd: {e}")))?;
        Library::open_file(OwnedFd::from(file))
    }

    fn open_file(file: OwnedFd) -> Result<Library, Error> {
        let path = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd())).expect("no NUL");
        // SAFETY: dlopen of a path we built; the result is checked.
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            return Err(Error::new(ErrorKind::Load, format!("dlopen failed: {}", dl_error())));
        }
        Library::init(Loaded::Dl { handle, _file: file })
    }

    /// Checks the module's ABI, then runs its `kc_module_init`.
    fn init(loaded: Loaded) -> Result<Library, Error> {
        let lib = Library { loaded };
        lib.check_module_abi()?;
        if let Some(init) = lib.symbol(MODULE_INIT_SYMBOL) {
            // SAFETY: kc_module_init has this signature in every module of this ABI version.
            let init: kc_module_init_fn = unsafe { std::mem::transmute(init) };
            // SAFETY: HOST_API is 'static and laid out as the module expects.
            unsafe { init(&kcache_runtime::HOST_API) };
        }
        Ok(lib)
    }

    /// The module's `kc_module_abi` must be this client's version (see the module docs).
    fn check_module_abi(&self) -> Result<(), Error> {
        let Some(p) = self.symbol(MODULE_ABI_SYMBOL) else {
            return Err(Error::new(
                ErrorKind::Load,
                format!(
                    "the module exports no {MODULE_ABI_SYMBOL} (not built by kcached?), \
                     this client speaks module ABI {MODULE_ABI_VERSION}; refusing to load it"
                ),
            ));
        };
        // SAFETY: the symbol is the module's i64 constant; read_unaligned because a module not
        // built by kcached need not align it.
        let version = unsafe { (p as *const u64).read_unaligned() };
        if version != MODULE_ABI_VERSION {
            return Err(Error::new(
                ErrorKind::Load,
                format!(
                    "module ABI {version}, this client speaks {MODULE_ABI_VERSION}: the module was \
                     built by a kcached of another version; refusing to load it"
                ),
            ));
        }
        Ok(())
    }

    /// The address of an exported symbol.
    pub fn symbol(&self, name: &str) -> Option<*mut c_void> {
        match &self.loaded {
            Loaded::Image(image) => image.symbol(name),
            Loaded::Dl { handle, .. } => {
                let c = CString::new(name).ok()?;
                // SAFETY: handle is live for self's lifetime.
                let p = unsafe { libc::dlsym(*handle, c.as_ptr()) };
                (!p.is_null()).then_some(p)
            }
        }
    }

    /// Whether the module was loaded without `dlopen` (see [`image`]).
    pub fn loaded_in_process(&self) -> bool {
        matches!(self.loaded, Loaded::Image(_))
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        if let Loaded::Dl { handle, .. } = self.loaded {
            // SAFETY: handle came from dlopen; callers no longer hold function pointers into it
            // (Kernel owns the Library and the pointers together).
            unsafe { libc::dlclose(handle) };
        }
    }
}
