//! Compiles kernels through the whole pipeline and loads them with dlopen, without the daemon.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::{c_char, c_void, CStr, CString};

use kcache_abi::{kc_array, kc_dtype, KC_MAX_NDIM};
use kcache_server::compile::{compile, prepare, Compiled};
use kcache_server::emit::{host_target, EmitRequest};

pub type GenericFn = kcache_abi::kc_generic_fn;

pub struct Loaded {
    handle: *mut c_void,
    pub generic: GenericFn,
    pub typed: *mut c_void,
    pub compiled: Compiled,
    _dir: tempfile::TempDir,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        // SAFETY: handle came from dlopen and nothing from it outlives self.
        unsafe { libc::dlclose(self.handle) };
    }
}

impl Loaded {
    pub fn has_symbol(&self, name: &str) -> bool {
        let c = CString::new(name).unwrap();
        // SAFETY: handle is a live dlopen handle.
        !unsafe { libc::dlsym(self.handle, c.as_ptr()) }.is_null()
    }
}

pub fn build(
    source: &str,
    entry: &str,
    sig: &str,
    opts: &[(&str, &str)],
) -> Result<Compiled, kcache_server::diag::CompileError> {
    let options: BTreeMap<String, String> = opts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let p = prepare(source, entry, sig, &options)?;
    compile(
        &p,
        &host_target(),
        EmitRequest {
            optimized_ir: true,
            assembly: true,
        },
    )
}

pub fn load(source: &str, entry: &str, sig: &str, opts: &[(&str, &str)]) -> Loaded {
    let compiled = build(source, entry, sig, opts).unwrap_or_else(|e| panic!("compile failed: {e}"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.so");
    std::fs::write(&path, &compiled.shared_object).unwrap();
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: plain dlopen/dlsym of a library we just wrote; symbols checked for null.
    unsafe {
        let handle = libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        assert!(!handle.is_null(), "dlopen: {:?}", CStr::from_ptr(libc::dlerror()));
        let g = CString::new(compiled.abi.generic_symbol.clone()).unwrap();
        let t = CString::new(compiled.abi.typed_symbol.clone()).unwrap();
        let gp = libc::dlsym(handle, g.as_ptr());
        let tp = libc::dlsym(handle, t.as_ptr());
        assert!(!gp.is_null() && !tp.is_null());
        // Every module declares the ABI the client's loader checks it against.
        let abi = CString::new(kcache_abi::MODULE_ABI_SYMBOL).unwrap();
        let version = libc::dlsym(handle, abi.as_ptr()) as *const u64;
        assert!(!version.is_null(), "no {}", kcache_abi::MODULE_ABI_SYMBOL);
        assert_eq!(*version, kcache_abi::MODULE_ABI_VERSION, "the module's ABI version");
        Loaded {
            handle,
            generic: std::mem::transmute::<*mut c_void, GenericFn>(gp),
            typed: tp,
            compiled,
            _dir: dir,
        }
    }
}

/// A 1-d `kc_array` (the ABI's, from kcache-abi) over a slice.
#[repr(transparent)]
pub struct KcArray(pub kc_array);

impl KcArray {
    /// `dtype` is a `kc_dtype` code.
    pub fn new<T>(data: &mut [T], dtype: i32) -> KcArray {
        let mut shape = [0i64; KC_MAX_NDIM];
        let mut strides = [0i64; KC_MAX_NDIM];
        shape[0] = data.len() as i64;
        strides[0] = std::mem::size_of::<T>() as i64;
        KcArray(kc_array {
            data: data.as_mut_ptr() as *mut c_void,
            ndim: 1,
            shape,
            strides,
            dtype: kc_dtype::from_code(dtype).expect("a kc_dtype code"),
            owner: std::ptr::null_mut(),
        })
    }
}

pub enum Arg<'a> {
    F64(f64),
    I64(i64),
    Array(&'a mut KcArray),
}

/// Calls the generic entry; returns the raw 8 result bytes or the exception text.
pub fn call(l: &Loaded, args: &mut [Arg]) -> Result<[u8; 8], String> {
    let mut scalars: Vec<[u8; 8]> = Vec::new();
    for a in args.iter() {
        match a {
            Arg::F64(x) => scalars.push(x.to_ne_bytes()),
            Arg::I64(x) => scalars.push(x.to_ne_bytes()),
            Arg::Array(_) => scalars.push([0; 8]),
        }
    }
    let mut ptrs: Vec<*const c_void> = Vec::new();
    for (i, a) in args.iter_mut().enumerate() {
        match a {
            Arg::Array(arr) => ptrs.push(*arr as *mut KcArray as *const c_void),
            _ => ptrs.push(scalars[i].as_ptr() as *const c_void),
        }
    }
    let mut ret = [0u8; 8];
    let mut err: *const c_char = std::ptr::null();
    // SAFETY: args match the signature the kernel was compiled for (the caller's duty in tests).
    let st = unsafe { (l.generic)(ptrs.as_ptr(), ret.as_mut_ptr() as *mut c_void, &mut err) };
    if st == kcache_abi::MODULE_STATUS_OK {
        Ok(ret)
    } else {
        // SAFETY: the kernel sets err to a NUL-terminated string inside the loaded library.
        Err(unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned())
    }
}
