//! Fingerprints the compiler's own source: every file under `server/src` and the ABI crate's
//! `src`, hashed with BLAKE3 in path order. The fingerprint is part of every cache key, so a
//! daemon built from changed compiler code never serves what an older build stored (the crate
//! version alone does not change between development builds).

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let roots = [manifest.join("src"), manifest.join("../abi/src")];
    let mut files = Vec::new();
    for root in &roots {
        println!("cargo:rerun-if-changed={}", root.display());
        files_under(root, &mut files);
    }
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for file in &files {
        let rel = file.strip_prefix(&manifest).unwrap_or(file);
        hasher.update(rel.to_string_lossy().as_bytes());
        hasher.update(&[0]);
        hasher.update(&std::fs::read(file).unwrap_or_default());
        hasher.update(&[0]);
    }
    let hash = hasher.finalize().to_hex();
    println!("cargo:rustc-env=KCACHE_COMPILER_SOURCE_HASH={}", &hash[..16]);
}
