//! `include/kcache.h` is generated from `src/ffi.rs` and `abi/src/lib.rs` (the types kcache-abi
//! defines for C callers); this fails when the committed header is stale. Regenerate with
//! `make header` (KCACHE_BLESS=1).

use std::path::PathBuf;

#[test]
fn committed_header_matches_ffi() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/ffi.rs"))
        // kc_array, kc_dtype and KC_MAX_NDIM: ffi.rs re-exports them from kcache-abi.
        .with_src(crate_dir.join("../abi/src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let header = crate_dir.join("../include/kcache.h");
    if std::env::var_os("KCACHE_BLESS").is_some() {
        std::fs::write(&header, &generated).expect("writing include/kcache.h");
        return;
    }
    let committed = std::fs::read(&header).unwrap_or_default();
    assert!(
        committed == generated,
        "include/kcache.h is stale: run `make header` and commit the result"
    );
}
