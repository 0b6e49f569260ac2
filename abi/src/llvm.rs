//! The ABI as the server's lowering writes it into LLVM IR: struct type texts, field indices and
//! byte offsets, and the module-side half of the host table (the globals holding the host's
//! functions and `kc_module_init`). Offsets come from `offset_of!` on the `#[repr(C)]` types;
//! the tests below parse the type texts with LLVM's layout rules and check that they describe
//! the same bytes, so the texts cannot drift from the Rust definitions unnoticed.
//!
//! The texts assume an LP64 data layout (pointers and `i64` 8 bytes, naturally aligned), which
//! is what every target kcached emits for (x86-64 Linux).

use std::fmt::Write as _;
use std::mem::{offset_of, size_of};

use crate::{kc_array, kc_host_api, MODULE_ABI_SYMBOL, MODULE_ABI_VERSION, MODULE_INIT_SYMBOL};

/// `kc_array` as an LLVM struct type: `data`, `ndim`, `shape`, `strides`, `dtype` (field
/// indices [`ARRAY_FIELD_DATA`] ...).
pub const KC_ARRAY_TYPE: &str = "{ ptr, i32, [8 x i64], [8 x i64], i32, ptr }";

/// Field indices of [`KC_ARRAY_TYPE`], for `getelementptr %kc_array, ptr %a, i32 0, i32 N`.
pub const ARRAY_FIELD_DATA: u32 = 0;
pub const ARRAY_FIELD_NDIM: u32 = 1;
pub const ARRAY_FIELD_SHAPE: u32 = 2;
pub const ARRAY_FIELD_STRIDES: u32 = 3;
pub const ARRAY_FIELD_DTYPE: u32 = 4;
pub const ARRAY_FIELD_OWNER: u32 = 5;

/// Byte offsets inside `kc_array`, for `getelementptr i8, ptr %a, i64 N`. Element `d` of
/// `shape`/`strides` is at [`crate::array_shape_offset`]`(d)` / [`crate::array_stride_offset`]`(d)`.
pub const ARRAY_DATA: u64 = crate::array_data_offset();
pub const ARRAY_NDIM: u64 = crate::array_ndim_offset();
pub const ARRAY_SHAPE: u64 = crate::array_shape_offset(0);
pub const ARRAY_STRIDES: u64 = crate::array_stride_offset(0);
pub const ARRAY_DTYPE: u64 = crate::array_dtype_offset();
pub const ARRAY_OWNER: u64 = crate::array_owner_offset();
/// Byte offsets inside `kc_meminfo`.
pub const MEMINFO_REFCOUNT: u64 = crate::meminfo_refcount_offset();
pub const MEMINFO_DATA: u64 = crate::meminfo_data_offset();
pub const MEMINFO_DEPENDENT: u64 = crate::meminfo_dependent_offset();
/// `sizeof(kc_array)`.
pub const ARRAY_SIZE: u64 = size_of::<kc_array>() as u64;

/// `kc_host_api` as an LLVM struct type: the version, then one pointer per
/// [`HOST_TABLE_FIELDS`] entry, in order.
pub const KC_HOST_API_TYPE: &str =
    "{ i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }";

/// Byte offset of `kc_host_api::version` (an `i64`).
pub const HOST_VERSION: u64 = offset_of!(kc_host_api, version) as u64;

/// One function of the host table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostField {
    /// The field's name in `kc_host_api`; the module keeps it in the global `@kc_host_<name>`.
    pub name: &'static str,
    /// Field index in [`KC_HOST_API_TYPE`].
    pub index: u32,
    /// Byte offset in `kc_host_api`.
    pub offset: u64,
    /// The first host table version that has the field; a module leaves the global null when
    /// the host's table is older (and must then do without the function).
    pub since: u64,
    /// The function's LLVM type, e.g. `i32 (ptr, ptr, i64, i64)`: what a call through the
    /// global's pointer passes and returns.
    pub fn_type: &'static str,
    /// Register name of the loaded pointer in `kc_module_init` (`%f`, its address `%fp`): the
    /// names the hand-written IR used, so that the generated module text did not change.
    pub reg: &'static str,
}

impl HostField {
    /// The module global that holds the function (null until `kc_module_init` stores it).
    pub fn global(&self) -> String {
        format!("@kc_host_{}", self.name)
    }

    /// The LLVM return type of the function (`void`, `i32`, ...).
    pub fn ret_type(&self) -> &'static str {
        self.fn_type.split(' ').next().unwrap_or("void")
    }
}

/// The functions of `kc_host_api` after its version, in field order.
pub const HOST_TABLE_FIELDS: &[HostField] = &[
    HostField {
        name: "set_error",
        index: 1,
        offset: offset_of!(kc_host_api, set_error) as u64,
        since: 1,
        fn_type: "void (ptr)",
        reg: "f",
    },
    HostField {
        name: "parallel_for",
        index: 2,
        offset: offset_of!(kc_host_api, parallel_for) as u64,
        since: 2,
        fn_type: "i32 (ptr, ptr, i64, i64)",
        reg: "p",
    },
    HostField {
        name: "num_threads",
        index: 3,
        offset: offset_of!(kc_host_api, num_threads) as u64,
        since: 2,
        fn_type: "i64 ()",
        reg: "n",
    },
    HostField {
        name: "alloc",
        index: 4,
        offset: offset_of!(kc_host_api, alloc) as u64,
        since: 3,
        fn_type: "ptr (i64)",
        reg: "al",
    },
    HostField {
        name: "release",
        index: 5,
        offset: offset_of!(kc_host_api, release) as u64,
        since: 3,
        fn_type: "void (ptr)",
        reg: "rl",
    },
    HostField {
        name: "random_seed",
        index: 6,
        offset: offset_of!(kc_host_api, random_seed) as u64,
        since: 4,
        fn_type: "void (i32, i64)",
        reg: "rs",
    },
    HostField {
        name: "random_u32",
        index: 7,
        offset: offset_of!(kc_host_api, random_u32) as u64,
        since: 4,
        fn_type: "i32 (i32)",
        reg: "ru",
    },
    HostField {
        name: "random_double",
        index: 8,
        offset: offset_of!(kc_host_api, random_double) as u64,
        since: 4,
        fn_type: "double (i32)",
        reg: "rd",
    },
    HostField {
        name: "random_gauss",
        index: 9,
        offset: offset_of!(kc_host_api, random_gauss) as u64,
        since: 4,
        fn_type: "double (i32)",
        reg: "rg",
    },
    HostField {
        name: "print_text",
        index: 10,
        offset: offset_of!(kc_host_api, print_text) as u64,
        since: 5,
        fn_type: "void (ptr)",
        reg: "pt",
    },
    HostField {
        name: "print_number",
        index: 11,
        offset: offset_of!(kc_host_api, print_number) as u64,
        since: 5,
        fn_type: "void (i32, i64, double, double)",
        reg: "pn",
    },
    HostField {
        name: "print_end",
        index: 12,
        offset: offset_of!(kc_host_api, print_end) as u64,
        since: 5,
        fn_type: "void (ptr)",
        reg: "pe",
    },
    HostField {
        name: "dict_new",
        index: 13,
        offset: offset_of!(kc_host_api, dict_new) as u64,
        since: 6,
        fn_type: "ptr (i64, i64, i64, i64)",
        reg: "dn",
    },
    HostField {
        name: "dict_lookup",
        index: 14,
        offset: offset_of!(kc_host_api, dict_lookup) as u64,
        since: 6,
        fn_type: "ptr (ptr, ptr)",
        reg: "dl",
    },
    HostField {
        name: "dict_insert",
        index: 15,
        offset: offset_of!(kc_host_api, dict_insert) as u64,
        since: 6,
        fn_type: "ptr (ptr, ptr)",
        reg: "di",
    },
    HostField {
        name: "dict_remove",
        index: 16,
        offset: offset_of!(kc_host_api, dict_remove) as u64,
        since: 6,
        fn_type: "i32 (ptr, ptr, ptr)",
        reg: "dr",
    },
    HostField {
        name: "dict_clear",
        index: 17,
        offset: offset_of!(kc_host_api, dict_clear) as u64,
        since: 6,
        fn_type: "void (ptr)",
        reg: "dc",
    },
    HostField {
        name: "dict_copy",
        index: 18,
        offset: offset_of!(kc_host_api, dict_copy) as u64,
        since: 6,
        fn_type: "ptr (ptr)",
        reg: "dy",
    },
    HostField {
        name: "dict_list",
        index: 19,
        offset: offset_of!(kc_host_api, dict_list) as u64,
        since: 6,
        fn_type: "ptr (ptr, i64, i64)",
        reg: "dt",
    },
    HostField {
        name: "dict_popitem",
        index: 20,
        offset: offset_of!(kc_host_api, dict_popitem) as u64,
        since: 6,
        fn_type: "i32 (ptr, ptr, ptr)",
        reg: "dp",
    },
    HostField {
        name: "dict_update",
        index: 21,
        offset: offset_of!(kc_host_api, dict_update) as u64,
        since: 6,
        fn_type: "i32 (ptr, ptr)",
        reg: "du",
    },
    HostField {
        name: "key_error",
        index: 22,
        offset: offset_of!(kc_host_api, key_error) as u64,
        since: 6,
        fn_type: "ptr (i32, i64, double, double)",
        reg: "ke",
    },
    HostField {
        name: "stack_floor",
        index: 23,
        offset: offset_of!(kc_host_api, stack_floor) as u64,
        since: 7,
        fn_type: "i64 ()",
        reg: "sf",
    },
    HostField {
        name: "set_op",
        index: 24,
        offset: offset_of!(kc_host_api, set_op) as u64,
        since: 7,
        fn_type: "i64 (i64, ptr, ptr, ptr)",
        reg: "so",
    },
];

/// The host table field called `name`.
///
/// # Panics
/// When the table has no such field: a typo in the lowering, caught by its first test.
pub fn host_field(name: &str) -> &'static HostField {
    HOST_TABLE_FIELDS
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("kc_host_api has no field {name}"))
}

/// The host functions that module text calls: those whose global `@kc_host_<name>` it names.
/// A module declares and initialises only these; LLVM's optimiser and code generator would
/// otherwise spend about a millisecond per kernel on two dozen globals nothing reads.
pub fn host_fields_used(module_text: &str) -> Vec<&'static HostField> {
    HOST_TABLE_FIELDS
        .iter()
        .filter(|f| {
            let global = f.global();
            module_text.match_indices(&global).any(|(at, _)| {
                !module_text[at + global.len()..]
                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            })
        })
        .collect()
}

/// The module globals of the ABI: one `@kc_host_<name>` per host function in `fields` (null
/// until `kc_module_init`), then `@kc_module_abi`, the constant a loader checks.
pub fn module_globals_ir(fields: &[&HostField]) -> String {
    let mut out = String::new();
    for f in fields {
        let _ = writeln!(out, "{} = internal global ptr null", f.global());
    }
    let _ = writeln!(
        out,
        "@{MODULE_ABI_SYMBOL} = dso_local constant i64 {MODULE_ABI_VERSION}"
    );
    out
}

/// The definition of `kc_module_init(const kc_host_api *host)`: stores each host function of
/// `fields` that the host's table version has into its global. Fields of version 1 are read
/// unconditionally (every table has them); later ones only when `host->version` (at offset 0)
/// is at least their `since`. `attributes` is appended to the signature (e.g. `#0`).
pub fn module_init_ir(attributes: &str, fields: &[&HostField]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "define dso_local void @{MODULE_INIT_SYMBOL}(ptr nocapture readonly %host) {attributes} {{\nentry:"
    );
    let load = |out: &mut String, f: &HostField| {
        let r = f.reg;
        let _ = writeln!(
            out,
            "  %{r}p = getelementptr inbounds i8, ptr %host, i64 {}\n  %{r} = load ptr, ptr %{r}p\n  store ptr %{r}, ptr {}",
            f.offset,
            f.global()
        );
    };
    for f in fields.iter().filter(|f| f.since <= 1) {
        load(&mut out, f);
    }
    let mut versions: Vec<u64> = fields.iter().map(|f| f.since).filter(|v| *v > 1).collect();
    versions.sort_unstable();
    versions.dedup();
    if !versions.is_empty() {
        let _ = writeln!(out, "  %ver = load i64, ptr %host");
    }
    for v in versions {
        // Version 2 brought the thread pool: its block kept the name the hand-written IR gave it.
        let label = if v == 2 {
            "pool".to_string()
        } else {
            format!("v{v}.fields")
        };
        let _ = writeln!(
            out,
            "  %v{v} = icmp uge i64 %ver, {v}\n  br i1 %v{v}, label %{label}, label %done\n{label}:"
        );
        for f in fields.iter().filter(|f| f.since == v) {
            load(&mut out, f);
        }
    }
    let _ = writeln!(out, "  br label %done\ndone:\n  ret void\n}}");
    out
}

#[cfg(test)]
mod tests {
    use std::ffi::{c_char, c_void};
    use std::mem::{align_of, offset_of, size_of};

    use super::*;
    use crate::{kc_dtype, HOST_API_VERSION, KC_MAX_NDIM};

    /// Size and alignment of an LLVM type under an LP64 data layout.
    fn llvm_size_align(ty: &str) -> (u64, u64) {
        let ty = ty.trim();
        if ty == "ptr" {
            let p = size_of::<*const c_void>() as u64;
            return (p, align_of::<*const c_void>() as u64);
        }
        if let Some(bits) = ty.strip_prefix('i') {
            let bytes = bits.parse::<u64>().expect("iN") / 8;
            return (bytes, bytes);
        }
        if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let (n, elem) = inner.split_once(" x ").expect("[N x T]");
            let (size, align) = llvm_size_align(elem);
            return (n.trim().parse::<u64>().expect("N") * size, align);
        }
        if ty.starts_with('{') {
            let offsets = llvm_struct_offsets(ty);
            let align = split_top(&ty[1..ty.len() - 1])
                .iter()
                .map(|f| llvm_size_align(f).1)
                .max()
                .unwrap_or(1);
            let end = offsets.last().map_or(0, |(o, s)| o + s);
            return (end.div_ceil(align) * align, align);
        }
        panic!("no layout rule for LLVM type {ty}");
    }

    /// Splits at the commas outside brackets and braces.
    fn split_top(text: &str) -> Vec<&str> {
        let (mut depth, mut start, mut parts) = (0, 0, Vec::new());
        for (i, c) in text.char_indices() {
            match c {
                '[' | '{' | '(' => depth += 1,
                ']' | '}' | ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(text[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !text[start..].trim().is_empty() {
            parts.push(text[start..].trim());
        }
        parts
    }

    /// (offset, size) of each field of an LLVM struct type, padded as LLVM pads it.
    fn llvm_struct_offsets(ty: &str) -> Vec<(u64, u64)> {
        let inner = ty
            .trim()
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .expect("{ ... }");
        let mut offset = 0u64;
        split_top(inner)
            .into_iter()
            .map(|f| {
                let (size, align) = llvm_size_align(f);
                offset = offset.div_ceil(align) * align;
                let at = (offset, size);
                offset += size;
                at
            })
            .collect()
    }

    #[test]
    fn kc_array_type_text_matches_the_repr_c_layout() {
        let fields = llvm_struct_offsets(KC_ARRAY_TYPE);
        let rust = [
            (offset_of!(kc_array, data), size_of::<*mut c_void>()),
            (offset_of!(kc_array, ndim), size_of::<i32>()),
            (offset_of!(kc_array, shape), size_of::<[i64; KC_MAX_NDIM]>()),
            (offset_of!(kc_array, strides), size_of::<[i64; KC_MAX_NDIM]>()),
            (offset_of!(kc_array, dtype), size_of::<kc_dtype>()),
            (offset_of!(kc_array, owner), size_of::<*mut c_void>()),
        ];
        let rust: Vec<(u64, u64)> = rust.iter().map(|&(o, s)| (o as u64, s as u64)).collect();
        assert_eq!(fields, rust);
        assert_eq!(
            llvm_size_align(KC_ARRAY_TYPE),
            (size_of::<kc_array>() as u64, align_of::<kc_array>() as u64)
        );
        assert_eq!(ARRAY_SIZE, size_of::<kc_array>() as u64);
        for (index, offset) in [
            (ARRAY_FIELD_DATA, ARRAY_DATA),
            (ARRAY_FIELD_NDIM, ARRAY_NDIM),
            (ARRAY_FIELD_SHAPE, ARRAY_SHAPE),
            (ARRAY_FIELD_STRIDES, ARRAY_STRIDES),
            (ARRAY_FIELD_DTYPE, ARRAY_DTYPE),
        ] {
            assert_eq!(fields[index as usize].0, offset, "field {index}");
        }
        for d in 0..KC_MAX_NDIM as u32 {
            assert_eq!(crate::array_shape_offset(d), ARRAY_SHAPE + 8 * d as u64);
            assert_eq!(crate::array_stride_offset(d), ARRAY_STRIDES + 8 * d as u64);
        }
    }

    #[test]
    fn host_table_type_text_and_fields_match_the_repr_c_layout() {
        let fields = llvm_struct_offsets(KC_HOST_API_TYPE);
        assert_eq!(
            fields.len(),
            HOST_TABLE_FIELDS.len() + 1,
            "one pointer per host function"
        );
        assert_eq!(fields[0], (HOST_VERSION, size_of::<u64>() as u64));
        assert_eq!(
            llvm_size_align(KC_HOST_API_TYPE),
            (size_of::<kc_host_api>() as u64, align_of::<kc_host_api>() as u64)
        );
        for (i, f) in HOST_TABLE_FIELDS.iter().enumerate() {
            assert_eq!(f.index as usize, i + 1, "{}: fields in table order", f.name);
            assert_eq!(fields[f.index as usize], (f.offset, 8), "{}", f.name);
            assert!(f.since >= 1 && f.since <= HOST_API_VERSION, "{}", f.name);
            assert_eq!(host_field(f.name), f);
        }
        // A field added without bumping HOST_API_VERSION would be read by no module.
        assert_eq!(HOST_TABLE_FIELDS.iter().map(|f| f.since).max(), Some(HOST_API_VERSION));
    }

    /// The LLVM function type of a Rust `extern "C" fn` pointer type, from its type name.
    fn llvm_fn_type(rust: &str) -> String {
        let rust = rust.trim_start_matches("unsafe ").trim_start_matches("extern \"C\" ");
        let rest = rust
            .strip_prefix("fn(")
            .unwrap_or_else(|| panic!("not a fn pointer: {rust}"));
        let mut depth = 1;
        let close = rest
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("balanced parentheses");
        let scalar = |t: &str| -> &'static str {
            let t = t.trim();
            if t.starts_with('*') || t.contains("fn(") {
                "ptr"
            } else {
                match t {
                    "i8" | "u8" => "i8",
                    "i32" | "u32" => "i32",
                    "i64" | "u64" => "i64",
                    "f64" => "double",
                    other => panic!("no LLVM type for {other}"),
                }
            }
        };
        let params: Vec<&str> = split_top(&rest[..close]).into_iter().map(scalar).collect();
        let ret = rest[close + 1..].trim().strip_prefix("->").map_or("void", scalar);
        format!("{ret} ({})", params.join(", "))
    }

    fn type_name_of<T>(_: &T) -> &'static str {
        std::any::type_name::<T>()
    }

    #[test]
    fn host_function_types_match_the_rust_signatures() {
        unsafe extern "C" fn set_error(_: *const c_char) {}
        unsafe extern "C" fn parallel_for(_: crate::kc_body_fn, _: *mut c_void, _: i64, _: i64) -> i32 {
            0
        }
        extern "C" fn num_threads() -> i64 {
            1
        }
        extern "C" fn alloc(_: i64) -> *mut crate::kc_meminfo {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn release(_: *mut crate::kc_meminfo) {}
        extern "C" fn random_seed(_: i32, _: u64) {}
        extern "C" fn random_u32(_: i32) -> u32 {
            0
        }
        extern "C" fn random_double(_: i32) -> f64 {
            0.0
        }
        extern "C" fn print_number(_: i32, _: i64, _: f64, _: f64) {}
        extern "C" fn dict_new(_: i64, _: i64, _: i64, _: i64) -> *mut crate::kc_meminfo {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn dict_lookup(_: *mut crate::kc_meminfo, _: *const c_void) -> *mut c_void {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn dict_insert(_: *mut crate::kc_meminfo, _: *const c_void) -> *mut c_void {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn dict_remove(_: *mut crate::kc_meminfo, _: *const c_void, _: *mut c_void) -> i32 {
            0
        }
        unsafe extern "C" fn dict_copy(_: *mut crate::kc_meminfo) -> *mut crate::kc_meminfo {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn dict_list(_: *mut crate::kc_meminfo, _: i64, _: i64) -> *mut crate::kc_meminfo {
            std::ptr::null_mut()
        }
        unsafe extern "C" fn dict_popitem(_: *mut crate::kc_meminfo, _: *mut c_void, _: *mut c_void) -> i32 {
            0
        }
        extern "C" fn key_error(_: i32, _: i64, _: f64, _: f64) -> *const c_char {
            std::ptr::null()
        }
        unsafe extern "C" fn dict_update(_: *mut crate::kc_meminfo, _: *mut crate::kc_meminfo) -> i32 {
            0
        }
        extern "C" fn stack_floor() -> u64 {
            0
        }
        unsafe extern "C" fn set_op(
            _: i64,
            _: *mut crate::kc_meminfo,
            _: *mut crate::kc_meminfo,
            _: *mut c_void,
        ) -> i64 {
            0
        }
        let api = kc_host_api {
            version: HOST_API_VERSION,
            set_error,
            parallel_for,
            num_threads,
            alloc,
            release,
            random_seed,
            random_u32,
            random_double,
            random_gauss: random_double,
            print_text: set_error,
            print_number,
            print_end: set_error,
            dict_new,
            dict_lookup,
            dict_insert,
            dict_remove,
            dict_clear: release,
            dict_copy,
            dict_list,
            dict_popitem,
            dict_update,
            key_error,
            stack_floor,
            set_op,
        };
        for f in HOST_TABLE_FIELDS {
            let rust = match f.name {
                "set_error" => type_name_of(&api.set_error),
                "parallel_for" => type_name_of(&api.parallel_for),
                "num_threads" => type_name_of(&api.num_threads),
                "alloc" => type_name_of(&api.alloc),
                "release" => type_name_of(&api.release),
                "random_seed" => type_name_of(&api.random_seed),
                "random_u32" => type_name_of(&api.random_u32),
                "random_double" => type_name_of(&api.random_double),
                "random_gauss" => type_name_of(&api.random_gauss),
                "print_text" => type_name_of(&api.print_text),
                "print_number" => type_name_of(&api.print_number),
                "print_end" => type_name_of(&api.print_end),
                "dict_new" => type_name_of(&api.dict_new),
                "dict_lookup" => type_name_of(&api.dict_lookup),
                "dict_insert" => type_name_of(&api.dict_insert),
                "dict_remove" => type_name_of(&api.dict_remove),
                "dict_clear" => type_name_of(&api.dict_clear),
                "dict_copy" => type_name_of(&api.dict_copy),
                "dict_list" => type_name_of(&api.dict_list),
                "dict_popitem" => type_name_of(&api.dict_popitem),
                "dict_update" => type_name_of(&api.dict_update),
                "key_error" => type_name_of(&api.key_error),
                "stack_floor" => type_name_of(&api.stack_floor),
                "set_op" => type_name_of(&api.set_op),
                other => panic!("HOST_TABLE_FIELDS has {other}; name its kc_host_api field here"),
            };
            assert_eq!(llvm_fn_type(rust), f.fn_type, "{}: {rust}", f.name);
        }
        assert_eq!(host_field("parallel_for").ret_type(), "i32");
        assert_eq!(host_field("set_error").ret_type(), "void");
    }

    #[test]
    fn module_init_reads_every_field_at_its_offset_behind_its_version() {
        let all: Vec<&HostField> = HOST_TABLE_FIELDS.iter().collect();
        let ir = module_init_ir("#0", &all);
        assert!(ir.starts_with("define dso_local void @kc_module_init(ptr nocapture readonly %host) #0 {"));
        for f in HOST_TABLE_FIELDS {
            let load = format!("getelementptr inbounds i8, ptr %host, i64 {}", f.offset);
            let at = ir.find(&load).unwrap_or_else(|| panic!("{} not read:\n{ir}", f.name));
            assert!(ir.contains(&format!("store ptr %{}, ptr {}", f.reg, f.global())));
            if f.since > 1 {
                let check = ir
                    .find(&format!("icmp uge i64 %ver, {}", f.since))
                    .expect("a version check");
                assert!(check < at, "{} is read before its version check", f.name);
            }
        }
        let globals = module_globals_ir(&all);
        for f in HOST_TABLE_FIELDS {
            assert!(globals.contains(&format!("{} = internal global ptr null", f.global())));
        }
        assert!(globals.contains(&format!("@kc_module_abi = dso_local constant i64 {MODULE_ABI_VERSION}")));
        // The generator reads the version at %host itself and groups fields by version.
        assert_eq!(HOST_VERSION, 0);
        assert!(HOST_TABLE_FIELDS.windows(2).all(|w| w[0].since <= w[1].since));
        let mut regs: Vec<&str> = HOST_TABLE_FIELDS.iter().map(|f| f.reg).collect();
        regs.sort();
        regs.dedup();
        assert_eq!(regs.len(), HOST_TABLE_FIELDS.len(), "register names are unique");
    }
}
