//! Stage 6: link the object into a shared object the clients can dlopen.
//!
//! `ld -shared -z now -z defs` resolves everything at link time (libm and libc only), so a
//! shared object that links here loads anywhere the same glibc is present.

use std::process::Command;

use crate::diag::CompileError;

pub fn link_shared_object(object: &[u8]) -> Result<Vec<u8>, CompileError> {
    let dir = tempfile::Builder::new()
        .prefix("kcache-link")
        .tempdir()
        .map_err(|e| CompileError::Internal(format!("cannot create a link directory: {e}")))?;
    let obj = dir.path().join("kernel.o");
    let so = dir.path().join("kernel.so");
    std::fs::write(&obj, object)
        .map_err(|e| CompileError::Internal(format!("cannot write the object: {e}")))?;
    let output = Command::new(linker())
        .args([
            "-shared",
            "-z",
            "now",
            "-z",
            "defs",
            "-z",
            "noexecstack",
            "--build-id=none",
            "--hash-style=gnu",
            "-soname",
            "kcache-kernel.so",
            "-o",
        ])
        .arg(&so)
        .arg(&obj)
        .args(["-lm", "-lc"])
        .output()
        .map_err(|e| {
            CompileError::Internal(format!("cannot run the linker '{}': {e}", linker()))
        })?;
    if !output.status.success() {
        return Err(CompileError::Internal(format!(
            "link failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    std::fs::read(&so)
        .map_err(|e| CompileError::Internal(format!("cannot read the linked object: {e}")))
}

fn linker() -> String {
    std::env::var("KCACHE_LD").unwrap_or_else(|_| "ld".to_string())
}
