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
    let c = dir.join("module.c");
    let so = dir.join("module.so");
    std::fs::write(&c, source).expect("writing module.c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O1", "-o"])
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
