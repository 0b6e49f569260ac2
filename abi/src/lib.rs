//! The C ABI between the shared objects kcached compiles and the processes that load them,
//! defined once. Everything that crosses that boundary is here: the array descriptor
//! ([`kc_array`]) and its element codes ([`kc_dtype`]), the symbols a module exports and their
//! types, the status its functions return, the host function table ([`kc_host_api`]) handed to
//! `kc_module_init`, and the two version numbers.
//!
//! Who uses it: the client (`libkcache`) re-exports the C-facing types in its header and loads
//! modules against these definitions; the server's lowering takes offsets and LLVM type texts
//! from [`llvm`], which are derived from (and tested against) the `#[repr(C)]` layouts here; the
//! Python package mirrors [`kc_array`] in ctypes and in `_fast.c`, checked by a test against
//! [`layout_json`]. Change a layout here and bump [`MODULE_ABI_VERSION`] (or
//! [`HOST_API_VERSION`] for the host table) in the same commit.
//!
//! No dependencies: whatever loads a module can depend on this crate alone.

#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::mem::{offset_of, size_of};

// The header (include/kcache.h) carries what C callers of libkcache use: the items of this file.
// The module-facing half and the lowering's texts stay out of it (`cbindgen:ignore`).

/// The ABI as the server's lowering writes it into LLVM IR (not in the C header).
///
/// cbindgen:ignore
pub mod llvm;
/// What a module exports and what its host hands it (not in the C header; re-exported here).
///
/// cbindgen:ignore
pub mod module;

pub use module::*;

/// The most dimensions a `kc_array` can describe.
pub const KC_MAX_NDIM: usize = 8;

/// Element types of arrays and scalars, in NumPy's names.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum kc_dtype {
    KC_BOOL = 0,
    KC_INT8,
    KC_INT16,
    KC_INT32,
    KC_INT64,
    KC_UINT8,
    KC_UINT16,
    KC_UINT32,
    KC_UINT64,
    KC_FLOAT32,
    KC_FLOAT64,
    /// Two float32s, real then imaginary (C's `float _Complex`, NumPy's complex64).
    KC_COMPLEX64,
    /// Two float64s, real then imaginary (C's `double _Complex`, NumPy's complex128).
    KC_COMPLEX128,
}

/// Element type names in `kc_dtype` order: the code of a dtype is its index. The daemon's
/// `EntryAbi` strings and every client use these names.
///
/// cbindgen:ignore
pub const DTYPE_NAMES: [&str; 13] = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
];

/// Every dtype, in code order.
///
/// cbindgen:ignore
pub const DTYPES: [kc_dtype; 13] = [
    kc_dtype::KC_BOOL,
    kc_dtype::KC_INT8,
    kc_dtype::KC_INT16,
    kc_dtype::KC_INT32,
    kc_dtype::KC_INT64,
    kc_dtype::KC_UINT8,
    kc_dtype::KC_UINT16,
    kc_dtype::KC_UINT32,
    kc_dtype::KC_UINT64,
    kc_dtype::KC_FLOAT32,
    kc_dtype::KC_FLOAT64,
    kc_dtype::KC_COMPLEX64,
    kc_dtype::KC_COMPLEX128,
];

impl kc_dtype {
    /// The code stored in `kc_array::dtype` and passed between processes.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The dtype of a code, if it is one (a C or Python caller may store any integer).
    pub const fn from_code(code: i32) -> Option<kc_dtype> {
        if code >= 0 && (code as usize) < DTYPES.len() {
            Some(DTYPES[code as usize])
        } else {
            None
        }
    }

    /// NumPy's name: "float64", "bool", ...
    pub const fn name(self) -> &'static str {
        DTYPE_NAMES[self as usize]
    }

    /// The dtype NumPy calls `name`.
    pub fn from_name(name: &str) -> Option<kc_dtype> {
        DTYPE_NAMES.iter().position(|n| *n == name).map(|i| DTYPES[i])
    }

    /// Bytes one element takes in an array (bool: one byte, as NumPy stores it).
    pub const fn itemsize(self) -> usize {
        match self {
            kc_dtype::KC_BOOL | kc_dtype::KC_INT8 | kc_dtype::KC_UINT8 => 1,
            kc_dtype::KC_INT16 | kc_dtype::KC_UINT16 => 2,
            kc_dtype::KC_INT32 | kc_dtype::KC_UINT32 | kc_dtype::KC_FLOAT32 => 4,
            kc_dtype::KC_INT64 | kc_dtype::KC_UINT64 | kc_dtype::KC_FLOAT64 | kc_dtype::KC_COMPLEX64 => 8,
            kc_dtype::KC_COMPLEX128 => 16,
        }
    }
}

/// An array argument: a view of caller-owned memory, described like a NumPy array.
/// Element `(i0, i1, ...)` lives at `data + i0*strides[0] + i1*strides[1] + ...` (strides in
/// bytes). Only the first `ndim` entries of `shape` and `strides` are read. Kernels never keep
/// the pointer after the call returns.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct kc_array {
    /// First element. May be null only when the array has no elements.
    pub data: *mut c_void,
    /// Number of dimensions, 1 to KC_MAX_NDIM.
    pub ndim: i32,
    /// Extent of each dimension.
    pub shape: [i64; KC_MAX_NDIM],
    /// Distance in bytes between consecutive elements of each dimension (may be negative or 0;
    /// always a multiple of the element size, as NumPy's are for ordinary arrays).
    pub strides: [i64; KC_MAX_NDIM],
    /// Element type.
    pub dtype: kc_dtype,
    /// Who owns the memory: null for memory the caller owns (every array a program passes in);
    /// for an array a kernel returns, the buffer the kernel allocated, which the receiver
    /// releases once (`kc_array_release`).
    pub owner: *mut kc_meminfo,
}

/// A buffer a kernel allocated: reference-counted, so that views keep their base alive. Kernels
/// change `refcount` atomically; the host's `alloc` makes one with a count of 1 and its
/// `release` frees it when the count drops to 0.
#[repr(C)]
#[derive(Debug)]
pub struct kc_meminfo {
    pub refcount: i64,
    /// Bytes of the data.
    pub nbytes: i64,
    /// The first byte of the data, 64-byte aligned.
    pub data: *mut c_void,
    /// Another buffer this one holds a reference to (a list's items buffer), or null: the
    /// host's `release` drops that reference when it frees this buffer.
    pub dependent: *mut kc_meminfo,
}

/// Byte offset of `kc_array::data`.
pub const fn array_data_offset() -> u64 {
    offset_of!(kc_array, data) as u64
}

/// Byte offset of `kc_array::owner`.
pub const fn array_owner_offset() -> u64 {
    offset_of!(kc_array, owner) as u64
}

/// Byte offset of `kc_meminfo::refcount`.
pub const fn meminfo_refcount_offset() -> u64 {
    offset_of!(kc_meminfo, refcount) as u64
}

/// Byte offset of `kc_meminfo::data`.
pub const fn meminfo_data_offset() -> u64 {
    offset_of!(kc_meminfo, data) as u64
}

/// Byte offset of `kc_meminfo::dependent`.
pub const fn meminfo_dependent_offset() -> u64 {
    offset_of!(kc_meminfo, dependent) as u64
}

/// Byte offset of `kc_array::ndim`.
pub const fn array_ndim_offset() -> u64 {
    offset_of!(kc_array, ndim) as u64
}

/// Byte offset of `kc_array::shape[dim]`.
pub const fn array_shape_offset(dim: u32) -> u64 {
    (offset_of!(kc_array, shape) + dim as usize * size_of::<i64>()) as u64
}

/// Byte offset of `kc_array::strides[dim]`.
pub const fn array_stride_offset(dim: u32) -> u64 {
    (offset_of!(kc_array, strides) + dim as usize * size_of::<i64>()) as u64
}

/// Byte offset of `kc_array::dtype`.
pub const fn array_dtype_offset() -> u64 {
    offset_of!(kc_array, dtype) as u64
}

/// The layouts, codes and versions above as a JSON object, for the bindings that cannot read
/// Rust (the Python package's tests compare ctypes' and `_fast.c`'s views against it). Keys:
/// `KC_MAX_NDIM`, `MODULE_ABI_VERSION`, `HOST_API_VERSION`, `module_status`, `dtypes` (name →
/// code), `itemsize` (name → bytes), `kc_array` and `kc_host_api` (`size`, `align`, `fields`:
/// name → `[offset, size]`).
pub fn layout_json() -> String {
    fn object(items: impl IntoIterator<Item = (&'static str, String)>) -> String {
        let items: Vec<String> = items.into_iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", items.join(", "))
    }
    fn field(offset: usize, size: usize) -> String {
        format!("[{offset}, {size}]")
    }
    let array = object([
        ("size", size_of::<kc_array>().to_string()),
        ("align", std::mem::align_of::<kc_array>().to_string()),
        (
            "fields",
            object([
                ("data", field(offset_of!(kc_array, data), size_of::<*mut c_void>())),
                ("ndim", field(offset_of!(kc_array, ndim), size_of::<i32>())),
                (
                    "shape",
                    field(offset_of!(kc_array, shape), size_of::<[i64; KC_MAX_NDIM]>()),
                ),
                (
                    "strides",
                    field(offset_of!(kc_array, strides), size_of::<[i64; KC_MAX_NDIM]>()),
                ),
                ("dtype", field(offset_of!(kc_array, dtype), size_of::<kc_dtype>())),
                (
                    "owner",
                    field(offset_of!(kc_array, owner), size_of::<*mut kc_meminfo>()),
                ),
            ]),
        ),
    ]);
    let host = object([
        ("size", size_of::<kc_host_api>().to_string()),
        ("align", std::mem::align_of::<kc_host_api>().to_string()),
        (
            "fields",
            object(
                std::iter::once(("version", field(offset_of!(kc_host_api, version), size_of::<u64>()))).chain(
                    llvm::HOST_TABLE_FIELDS
                        .iter()
                        .map(|f| (f.name, field(f.offset as usize, size_of::<*const c_void>()))),
                ),
            ),
        ),
    ]);
    object([
        ("KC_MAX_NDIM", KC_MAX_NDIM.to_string()),
        ("MODULE_ABI_VERSION", MODULE_ABI_VERSION.to_string()),
        ("HOST_API_VERSION", HOST_API_VERSION.to_string()),
        (
            "module_status",
            object([
                ("ok", MODULE_STATUS_OK.to_string()),
                ("raised", MODULE_STATUS_RAISED.to_string()),
            ]),
        ),
        (
            "dtypes",
            object(DTYPES.iter().map(|d| (d.name(), d.code().to_string()))),
        ),
        (
            "itemsize",
            object(DTYPES.iter().map(|d| (d.name(), d.itemsize().to_string()))),
        ),
        ("kc_array", array),
        ("kc_host_api", host),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kc_array_layout_is_the_one_every_binding_assumes() {
        // The numbers the C header's users, ctypes, _fast.c and compiled modules rely on.
        assert_eq!(array_data_offset(), 0);
        assert_eq!(array_ndim_offset(), 8);
        assert_eq!(array_shape_offset(0), 16);
        assert_eq!(array_stride_offset(0), 80);
        assert_eq!(array_dtype_offset(), 144);
        assert_eq!(array_owner_offset(), 152);
        assert_eq!(size_of::<kc_array>(), 160);
        assert_eq!(meminfo_refcount_offset(), 0);
        assert_eq!(meminfo_data_offset(), 16);
        assert_eq!(size_of::<kc_dtype>(), size_of::<i32>());
        assert_eq!(array_shape_offset(KC_MAX_NDIM as u32), array_stride_offset(0));
    }

    #[test]
    fn dtype_codes_names_and_sizes_agree() {
        for (i, d) in DTYPES.iter().enumerate() {
            assert_eq!(d.code(), i as i32);
            assert_eq!(kc_dtype::from_code(i as i32), Some(*d));
            assert_eq!(kc_dtype::from_name(d.name()), Some(*d));
            assert_eq!(d.name(), DTYPE_NAMES[i]);
        }
        assert_eq!(kc_dtype::from_code(-1), None);
        assert_eq!(kc_dtype::from_code(DTYPES.len() as i32), None);
        assert_eq!(kc_dtype::from_name("float16"), None);
        assert_eq!(kc_dtype::KC_FLOAT64.code(), 10);
        assert_eq!(kc_dtype::KC_BOOL.itemsize(), 1);
        assert_eq!(kc_dtype::KC_UINT16.itemsize(), 2);
        assert_eq!(kc_dtype::KC_FLOAT32.itemsize(), 4);
        assert_eq!(kc_dtype::KC_INT64.itemsize(), 8);
    }

    #[test]
    fn layout_json_is_json_with_the_rust_numbers() {
        let j = layout_json();
        assert!(j.starts_with('{') && j.ends_with('}'));
        assert!(j.contains("\"KC_MAX_NDIM\": 8"), "{j}");
        assert!(j.contains("\"shape\": [16, 64]"), "{j}");
        assert!(j.contains("\"dtype\": [144, 4]"), "{j}");
        assert!(j.contains("\"float64\": 10"), "{j}");
        assert!(j.contains("\"num_threads\": [24, 8]"), "{j}");
        assert!(
            j.contains(&format!("\"MODULE_ABI_VERSION\": {MODULE_ABI_VERSION}")),
            "{j}"
        );
        // Balanced brackets: every object and array closes.
        let depth = j.chars().fold(0i32, |d, c| match c {
            '{' | '[' => d + 1,
            '}' | ']' => d - 1,
            _ => d,
        });
        assert_eq!(depth, 0);
    }
}
