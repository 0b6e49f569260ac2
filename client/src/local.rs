//! The client's side of the local index (`kcache_proto::local_index`): a request this machine's
//! daemon has answered before is resolved from the directory it publishes beside its socket,
//! with no round trip. Anything short of a verified artifact from that directory is `None`, and
//! the caller asks the daemon as before:
//! - the directory, the index file and the artifact file must belong to the uid of the daemon
//!   this client verified on its socket and be closed to other writers (so no other user can
//!   have put them there), and must not be symbolic links;
//! - the index must be for this client's module ABI and host table;
//! - the artifact must hash to the digest the index names (a corrupted or replaced file is a
//!   miss: the client checks the bytes it read, then loads those bytes), and the loader checks
//!   its module ABI again.
//!
//! `KCACHE_NO_LOCAL_INDEX=1` turns it off.

use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kcache_proto::local_index::{self as layout, IndexView};
use kcache_proto::v1 as pb;
use prost::Message;

/// Set to anything but empty or `0`: every hit is an RPC.
pub const NO_LOCAL_INDEX_ENV: &str = "KCACHE_NO_LOCAL_INDEX";

pub fn disabled_by_env() -> bool {
    std::env::var_os(NO_LOCAL_INDEX_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// A read-only mapping of one index file (one inode: the daemon never changes it in place).
struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
    ino: (u64, u64),
}

// SAFETY: the mapping is read-only and owned by this value.
unsafe impl Send for Mapping {}

impl Mapping {
    fn bytes(&self) -> &[u8] {
        // SAFETY: ptr maps len readable bytes for as long as self lives.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: ptr and len are those mmap returned.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Why a file of the index directory is not trusted.
fn check_owner(meta: &std::fs::Metadata, daemon_uid: u32, what: &Path) -> Result<(), String> {
    if meta.uid() != daemon_uid {
        return Err(format!(
            "{} belongs to uid {}, not to the daemon's uid {daemon_uid}",
            what.display(),
            meta.uid()
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(format!(
            "{} can be written by other users (mode {:04o})",
            what.display(),
            meta.mode() & 0o7777
        ));
    }
    Ok(())
}

/// Opens `path` (no symbolic link in its last component) and checks what it is and whose.
fn open_checked(path: &Path, daemon_uid: u32) -> Result<(std::fs::File, std::fs::Metadata), String> {
    let c = CString::new(path.as_os_str().as_bytes()).map_err(|_| "a NUL in the path".to_string())?;
    // SAFETY: open of a NUL-terminated path; the result is checked.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(format!("{}: {}", path.display(), std::io::Error::last_os_error()));
    }
    // SAFETY: a fresh descriptor we own.
    let file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    let meta = file.metadata().map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    check_owner(&meta, daemon_uid, path)?;
    Ok((file, meta))
}

/// The index directory of the daemon a client verified.
pub(crate) struct LocalIndex {
    dir: PathBuf,
    daemon_uid: u32,
    current: Mutex<Option<Mapping>>,
}

impl LocalIndex {
    /// The index beside `socket`, if its directory is the daemon's and closed to other writers.
    pub(crate) fn open(socket: &Path, daemon_uid: u32) -> Result<LocalIndex, String> {
        let dir = layout::dir_for_socket(socket);
        let meta = std::fs::symlink_metadata(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if !meta.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        check_owner(&meta, daemon_uid, &dir)?;
        let index = LocalIndex {
            dir,
            daemon_uid,
            current: Mutex::new(None),
        };
        let mapping = index.map()?;
        *index.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(mapping);
        Ok(index)
    }

    /// Maps the index file as it is now.
    fn map(&self) -> Result<Mapping, String> {
        let path = self.dir.join(layout::INDEX_FILE);
        let (file, meta) = open_checked(&path, self.daemon_uid)?;
        let len = meta.len() as usize;
        if len < layout::HEADER_SIZE {
            return Err(format!("{} is too short", path.display()));
        }
        // SAFETY: a read-only private mapping of a regular file we hold open; checked below.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!(
                "mapping {}: {}",
                path.display(),
                std::io::Error::last_os_error()
            ));
        }
        let mapping = Mapping {
            ptr,
            len,
            ino: (meta.dev(), meta.ino()),
        };
        let view = IndexView::parse(mapping.bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        if view.header.module_abi != kcache_abi::MODULE_ABI_VERSION
            || view.header.host_api != kcache_abi::HOST_API_VERSION
        {
            return Err(format!(
                "{} lists modules of ABI {} (host table {}), this client speaks {} ({})",
                path.display(),
                view.header.module_abi,
                view.header.host_api,
                kcache_abi::MODULE_ABI_VERSION,
                kcache_abi::HOST_API_VERSION
            ));
        }
        Ok(mapping)
    }

    /// The artifact digest and reply the mapped index has for `digest`.
    fn resolve(&self, digest: &[u8; 32]) -> Option<([u8; 32], pb::CompileReply)> {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let view = IndexView::parse(current.as_ref()?.bytes()).ok()?;
        let entry = view.lookup(digest)?;
        let reply = pb::CompileReply::decode(entry.meta).ok()?;
        Some((entry.artifact, reply))
    }

    /// Maps the daemon's newest index if it has replaced the one mapped; whether it had.
    fn refresh(&self) -> bool {
        let path = self.dir.join(layout::INDEX_FILE);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return false;
        };
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_some_and(|m| m.ino == (meta.dev(), meta.ino())) {
            return false;
        }
        match self.map() {
            Ok(mapping) => {
                *current = Some(mapping);
                true
            }
            Err(_) => false,
        }
    }

    /// The reply the daemon gave for `request`, with the artifact's bytes (for the caller to
    /// check against the digest and load), or `None` (ask the daemon). A miss, or an entry whose file is gone (evicted since this mapping), looks once
    /// more in the newest index.
    pub(crate) fn find(&self, request: &pb::CompileRequest) -> Option<pb::CompileReply> {
        let digest = layout::request_digest(request);
        self.read(&digest)
            .or_else(|| if self.refresh() { self.read(&digest) } else { None })
    }

    fn read(&self, digest: &[u8; 32]) -> Option<pb::CompileReply> {
        let (artifact, mut reply) = self.resolve(digest)?;
        let name = hex(&artifact);
        if reply.digest != name {
            return None;
        }
        let path = self.dir.join(layout::OBJECTS_DIR).join(&name);
        let (mut file, meta) = open_checked(&path, self.daemon_uid).ok()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        reply.artifact = bytes;
        reply.cache_hit = true;
        Some(reply)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
