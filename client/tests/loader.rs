//! The loader against hand-built modules (a few lines of C compiled with the system compiler):
//! it calls `kc_module_init` with the host table laid out as kcache-abi says, and refuses a
//! module whose `kc_module_abi` is not this client's before any of its code runs.

use std::path::Path;
use std::process::Command;

use kcache::loader::{take_kernel_error, Library};
use kcache::ErrorKind;
use kcache_abi::llvm::{host_field, HOST_VERSION};
use kcache_abi::{HOST_API_VERSION, MODULE_ABI_VERSION};

/// A module whose `kc_module_init` records the host table's version, reports an exception
/// through `set_error` and asks `num_threads`, all at the offsets kcache-abi gives.
/// `abi_version`: the `kc_module_abi` it exports, or none.
fn module_source(abi_version: Option<u64>) -> String {
    let export = abi_version.map_or(String::new(), |v| format!("const int64_t kc_module_abi = {v};\n"));
    let set_error = host_field("set_error");
    let num_threads = host_field("num_threads");
    format!(
        r#"#include <stdint.h>
{export}int64_t seen_version = -1;
int64_t seen_threads = -1;
void kc_module_init(const char *host) {{
    seen_version = *(const int64_t *)(host + {HOST_VERSION});
    void (*set_error)(const char *) = *(void (*const *)(const char *))(host + {set_error_at});
    set_error("ValueError: from kc_module_init");
    if (seen_version >= {threads_since}) {{
        int64_t (*num_threads)(void) = *(int64_t (*const *)(void))(host + {threads_at});
        seen_threads = num_threads();
    }}
}}
"#,
        set_error_at = set_error.offset,
        threads_since = num_threads.since,
        threads_at = num_threads.offset,
    )
}

/// Compiles `source` into a shared object and returns its bytes.
fn build(dir: &Path, source: &str) -> Vec<u8> {
    build_with(dir, source, &[])
}

/// As [`build`], with more arguments for the compiler driver.
fn build_with(dir: &Path, source: &str, extra: &[&str]) -> Vec<u8> {
    let c = dir.join("module.c");
    let so = dir.join("module.so");
    std::fs::write(&c, source).expect("writing module.c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O1"])
        .args(extra)
        .arg("-o")
        .arg(&so)
        .arg(&c)
        .output()
        .unwrap_or_else(|e| panic!("running the C compiler {cc}: {e}"));
    assert!(
        out.status.success(),
        "{cc} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&so).expect("reading module.so")
}

fn read_i64(lib: &Library, name: &str) -> i64 {
    let p = lib.symbol(name).unwrap_or_else(|| panic!("no symbol {name}")) as *const i64;
    // SAFETY: the module defines `name` as an int64_t.
    unsafe { p.read() }
}

#[test]
fn a_module_of_this_abi_is_loaded_and_initialised_with_the_host_table() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build(dir.path(), &module_source(Some(MODULE_ABI_VERSION)));
    let _ = take_kernel_error();
    let lib = Library::load(&bytes).unwrap_or_else(|e| panic!("load: {e}"));
    assert_eq!(read_i64(&lib, "seen_version"), HOST_API_VERSION as i64);
    assert_eq!(
        read_i64(&lib, "seen_threads"),
        kcache::runtime::pool::num_threads() as i64
    );
    assert_eq!(take_kernel_error().as_deref(), Some("ValueError: from kc_module_init"));
}

#[test]
fn a_module_of_another_abi_is_refused_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let other = MODULE_ABI_VERSION + 97;
    let bytes = build(dir.path(), &module_source(Some(other)));
    let _ = take_kernel_error();
    let err = Library::load(&bytes).err().expect("a module of another ABI is refused");
    assert_eq!(err.kind, ErrorKind::Load);
    assert!(
        err.message
            .starts_with(&format!("module ABI {other}, this client speaks {MODULE_ABI_VERSION}")),
        "{}",
        err.message
    );
    assert_eq!(take_kernel_error(), None, "kc_module_init must not have run");
}

#[test]
fn a_module_without_kc_module_abi_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build(dir.path(), &module_source(None));
    let _ = take_kernel_error();
    let err = Library::load(&bytes)
        .err()
        .expect("a module without an ABI version is refused");
    assert_eq!(err.kind, ErrorKind::Load);
    assert!(err.message.contains("exports no kc_module_abi"), "{}", err.message);
    assert_eq!(take_kernel_error(), None, "kc_module_init must not have run");
}

/// The permissions `/proc/self/maps` shows for the page holding `address` ("r-xp", ...).
fn permissions_at(address: usize) -> String {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (range, perms) = (fields.next().unwrap(), fields.next().unwrap());
        let (lo, hi) = range.split_once('-').unwrap();
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).unwrap(),
            usize::from_str_radix(hi, 16).unwrap(),
        );
        if lo <= address && address < hi {
            return perms.to_string();
        }
    }
    panic!("{address:#x} is not mapped");
}

/// A module the system linker writes with the SysV hash and no start files: the in-process
/// loader takes it, with what kcached's own objects do not exercise: pointers in data
/// (RELATIVE and 64-bit relocations), a GOT entry, and a table made read-only after relocation
/// (RELRO). It behaves as the same bytes loaded by `dlopen` do.
#[test]
fn a_plain_module_with_pointers_in_its_data_loads_in_process_as_with_dlopen() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!(
        "#include <stdint.h>\n\
         const int64_t kc_module_abi = {MODULE_ABI_VERSION};\n\
         const char *const names[] = {{\"alpha\", \"beta\", \"gamma\"}};\n\
         int64_t counter = 40;\n\
         int64_t *counter_at = &counter;\n\
         const char *name_of(int64_t i) {{ return names[i]; }}\n\
         int64_t bump(void) {{ return ++*counter_at; }}\n"
    );
    let bytes = build_with(dir.path(), &source, &["-nostartfiles", "-Wl,--hash-style=sysv"]);
    let ours = Library::load(&bytes).unwrap();
    assert!(
        ours.loaded_in_process(),
        "declined: {:?}",
        kcache::loader::image::Image::load(&bytes).err()
    );
    let theirs = Library::load_with_dlopen(&bytes).unwrap();
    assert!(!theirs.loaded_in_process());
    for lib in [&ours, &theirs] {
        // SAFETY: the module defines these with these C signatures.
        let name_of: extern "C" fn(i64) -> *const std::ffi::c_char =
            unsafe { std::mem::transmute(lib.symbol("name_of").unwrap()) };
        // SAFETY: as above.
        let bump: extern "C" fn() -> i64 = unsafe { std::mem::transmute(lib.symbol("bump").unwrap()) };
        for (i, expected) in ["alpha", "beta", "gamma"].iter().enumerate() {
            // SAFETY: name_of returns one of the module's NUL-terminated literals.
            let got = unsafe { std::ffi::CStr::from_ptr(name_of(i as i64)) };
            assert_eq!(got.to_str().unwrap(), *expected);
        }
        assert_eq!(bump(), 41);
        assert_eq!(bump(), 42);
        assert_eq!(read_i64(lib, "counter"), 42);
    }
    // As glibc leaves them: the pointer table read-only, code read-execute, the counter writable.
    assert_eq!(permissions_at(ours.symbol("names").unwrap() as usize), "r--p");
    assert_eq!(permissions_at(ours.symbol("name_of").unwrap() as usize), "r-xp");
    assert_eq!(permissions_at(ours.symbol("counter").unwrap() as usize), "rw-p");
    assert_eq!(permissions_at(theirs.symbol("names").unwrap() as usize), "r--p");
}

/// What the system linker writes by default (GNU hash only, start files with their
/// initialisers) is left to `dlopen`.
#[test]
fn a_module_with_gnu_hash_and_initialisers_goes_to_dlopen() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build(dir.path(), &module_source(Some(MODULE_ABI_VERSION)));
    let lib = Library::load(&bytes).unwrap();
    assert!(!lib.loaded_in_process());
    assert!(kcache::loader::image::Image::load(&bytes).is_err());
}
