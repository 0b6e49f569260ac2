//! Stage 6: link the object into a shared object the clients can dlopen.
//!
//! The object is linked in process ([`elf`]); what that writer does not handle goes to the
//! system `ld` (set `KCACHE_LINKER=ld` to use it always). For `ld`: reading glibc's libc.so and
//! libm.so on every link costs ~8 ms of the ~10 ms an `ld` run takes. Kernels only need those two libraries named as DT_NEEDED, so kcached links against
//! empty stand-ins built once per process (same sonames, no symbols): the dynamic loader then
//! binds `erf`, `memset`, ... in the real libraries at load time, with RTLD_NOW checking that
//! every symbol resolves before any kernel code runs. The in-process writer imports `expf`,
//! `exp`, `pow`, ... under their current names (`elf::current_libm_name`); the `ld` path does
//! not, so its kernels bind glibc's slower compatibility versions of those few functions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::diag::CompileError;

pub mod elf;

const STUB_SONAMES: [&str; 3] = ["libm.so.6", "libc.so.6", "libmvec.so.1"];

fn linker() -> String {
    std::env::var("KCACHE_LD").unwrap_or_else(|_| "ld".to_string())
}

fn run_ld(args: &[&std::ffi::OsStr]) -> Result<(), CompileError> {
    let output = Command::new(linker())
        .args(args)
        .output()
        .map_err(|e| CompileError::Internal(format!("cannot run the linker '{}': {e}", linker())))?;
    if !output.status.success() {
        return Err(CompileError::Internal(format!(
            "link failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

/// The directory of stand-in libraries, built on first use and kept for the process.
fn stub_dir() -> Result<&'static Path, CompileError> {
    static STUBS: OnceLock<Result<(tempfile::TempDir, PathBuf), String>> = OnceLock::new();
    let built = STUBS.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("kcache-stubs")
            .tempdir()
            .map_err(|e| e.to_string())?;
        // An empty object is all a stand-in needs; binutils' assembler makes one.
        let empty = dir.path().join("empty.o");
        let status = Command::new("as")
            .arg("-o")
            .arg(&empty)
            .arg("/dev/null")
            .status()
            .map_err(|e| format!("cannot run as: {e}"))?;
        if !status.success() {
            return Err("as failed to assemble an empty object".to_string());
        }
        for soname in STUB_SONAMES {
            let out = dir.path().join(soname);
            let args: [&std::ffi::OsStr; 6] = [
                "-shared".as_ref(),
                "-soname".as_ref(),
                soname.as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
                empty.as_os_str(),
            ];
            run_ld(&args).map_err(|e| e.to_string())?;
        }
        let path = dir.path().to_path_buf();
        Ok((dir, path))
    });
    match built {
        Ok((_, path)) => Ok(path.as_path()),
        Err(e) => Err(CompileError::Internal(format!(
            "cannot build the linker stand-ins: {e}"
        ))),
    }
}

/// Which linker produced a shared object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linker {
    InProcess,
    SystemLd,
}

const SONAME: &str = "kcache-kernel.so";

/// Vectorised math (fastmath) calls glibc's libmvec: name it only when the code uses it.
fn needs_libmvec(object: &[u8]) -> bool {
    object.windows(4).any(|w| w == b"_ZGV")
}

/// Links the module's objects (one, or the halves of a module generated in parallel).
pub fn link_shared_object(objects: &[Vec<u8>]) -> Result<(Vec<u8>, Linker), CompileError> {
    let needed: &[&str] = if objects.iter().any(|o| needs_libmvec(o)) {
        &STUB_SONAMES
    } else {
        &STUB_SONAMES[..2]
    };
    let inputs: Vec<&[u8]> = objects.iter().map(Vec::as_slice).collect();
    if std::env::var_os("KCACHE_LINKER").is_none_or(|v| v != "ld") {
        match elf::link(&inputs, SONAME, needed) {
            Ok(bytes) => return Ok((bytes, Linker::InProcess)),
            Err(e) => tracing::info!(reason = %e, "the in-process linker declined; linking with ld"),
        }
    }
    Ok((link_with_ld(&inputs, needed)?, Linker::SystemLd))
}

/// `needed`: the sonames of the stand-in libraries to name, as `link_shared_object` chose them.
fn link_with_ld(objects: &[&[u8]], needed: &[&str]) -> Result<Vec<u8>, CompileError> {
    let stubs = stub_dir()?;
    let dir = tempfile::Builder::new()
        .prefix("kcache-link")
        .tempdir()
        .map_err(|e| CompileError::Internal(format!("cannot create a link directory: {e}")))?;
    let so = dir.path().join("kernel.so");
    let mut paths = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        let path = dir.path().join(format!("kernel{i}.o"));
        std::fs::write(&path, object).map_err(|e| CompileError::Internal(format!("cannot write the object: {e}")))?;
        paths.push(path);
    }
    let libraries: Vec<PathBuf> = needed.iter().map(|soname| stubs.join(soname)).collect();
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "-shared".as_ref(),
        "-z".as_ref(),
        "now".as_ref(),
        "-z".as_ref(),
        "noexecstack".as_ref(),
        "--build-id=none".as_ref(),
        "--hash-style=gnu".as_ref(),
        "--no-as-needed".as_ref(),
        "-soname".as_ref(),
        SONAME.as_ref(),
        "-o".as_ref(),
        so.as_os_str(),
    ];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    args.extend(libraries.iter().map(|l| l.as_os_str()));
    run_ld(&args)?;
    std::fs::read(&so).map_err(|e| CompileError::Internal(format!("cannot read the linked object: {e}")))
}
