//! The client's side of the local index (`kcache_proto::local_index`): a request this machine's
//! daemon has answered before is resolved from the directory it publishes beside its socket,
//! with no round trip. Anything short of a verified artifact from that directory is `None`, and
//! the caller asks the daemon as before:
//! - the directory, the index file and the artifact file must belong to the uid that owns the
//!   daemon's socket (checked as a connection checks the daemon, `peer::trusted_unix_socket`) and
//!   be closed to other writers (so no other user can have put them there), and must not be
//!   symbolic links;
//! - the index must be for this client's module ABI and host table, and the daemon that wrote it
//!   must still run (a daemon killed without cleaning up leaves its socket: then the client
//!   connects, fails and says so, as it did before the index, and the caller may start a new
//!   daemon);
//! - every lookup first checks that the mapped index is still the daemon's newest (one `stat`):
//!   a mapping the daemon has replaced (after an eviction, say) is never answered from;
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
use std::sync::{Arc, RwLock};

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
// SAFETY: nothing writes through the mapping; readers share it as they would a `&[u8]`.
unsafe impl Sync for Mapping {}

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

/// What `stat` shows of an artifact file: a write, chmod, chown or replacement changes it, so a
/// library loaded from the file is reused only while the file is as it was when its bytes were
/// verified (any doubt reads the file again, and a file that no longer verifies is an RPC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileStamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    uid: u32,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileStamp {
    fn of(meta: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mode: meta.mode(),
            uid: meta.uid(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// Whether the process that wrote an index still runs (signal 0 only asks; EPERM: it runs as
/// another uid).
fn running(pid: u64) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 sends nothing; pid is positive, so it names one process.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
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
    check_regular_file(&meta, daemon_uid, path)?;
    Ok((file, meta))
}

/// A regular file of the daemon's, closed to other writers.
fn check_regular_file(meta: &std::fs::Metadata, daemon_uid: u32, path: &Path) -> Result<(), String> {
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    check_owner(meta, daemon_uid, path)
}

/// A request the mapped index lists, with the path of its artifact file (not looked at yet).
pub(crate) struct Found {
    /// The reply a hit carries, without the artifact's bytes.
    pub(crate) reply: pb::CompileReply,
    pub(crate) artifact: [u8; 32],
    path: PathBuf,
}

/// The index directory of the daemon a client verified.
pub(crate) struct LocalIndex {
    index: PathBuf,
    objects: PathBuf,
    daemon_uid: u32,
    current: RwLock<Arc<Mapping>>,
}

impl LocalIndex {
    /// The index beside `socket`, if its directory is the daemon's and closed to other writers
    /// and the daemon that wrote it still runs.
    pub(crate) fn open(socket: &Path, daemon_uid: u32) -> Result<LocalIndex, String> {
        let dir = layout::dir_for_socket(socket);
        let meta = std::fs::symlink_metadata(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if !meta.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        check_owner(&meta, daemon_uid, &dir)?;
        let index = dir.join(layout::INDEX_FILE);
        let mapping = map(&index, daemon_uid)?;
        let pid = IndexView::parse(mapping.bytes()).map_or(0, |v| v.header.pid);
        if !running(pid) {
            return Err(format!(
                "{}: the kcached that wrote it (pid {pid}) has exited",
                index.display()
            ));
        }
        Ok(LocalIndex {
            index,
            objects: dir.join(layout::OBJECTS_DIR),
            daemon_uid,
            current: RwLock::new(Arc::new(mapping)),
        })
    }

    /// The daemon's newest index, mapped again if it has replaced the one mapped.
    fn current(&self) -> Option<Arc<Mapping>> {
        let meta = std::fs::symlink_metadata(&self.index).ok()?;
        let id = (meta.dev(), meta.ino());
        {
            let current = self.current.read().unwrap_or_else(|e| e.into_inner());
            if current.ino == id {
                return Some(current.clone());
            }
        }
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if current.ino != id {
            *current = Arc::new(map(&self.index, self.daemon_uid).ok()?);
        }
        Some(current.clone())
    }

    /// The entry the daemon's newest index has for `request`, or `None` (ask the daemon). Its
    /// artifact file is checked by `stamp` or `read`, whichever the caller needs: a first load
    /// opens the file once instead of looking it up twice.
    pub(crate) fn find(&self, request: &pb::CompileRequest) -> Option<Found> {
        let digest = layout::request_digest(request);
        let (artifact, mut reply) = {
            let mapping = self.current()?;
            let view = IndexView::parse(mapping.bytes()).ok()?;
            let entry = view.lookup(&digest)?;
            (entry.artifact, pb::CompileReply::decode(entry.meta).ok()?)
        };
        let name = hex(&artifact);
        if reply.digest != name {
            return None;
        }
        reply.cache_hit = true;
        Some(Found {
            reply,
            artifact,
            path: self.objects.join(&name),
        })
    }

    /// The found artifact file as it is now, checked (owner, mode, a regular file, not a
    /// symbolic link), without opening it: to reuse a library loaded from it while it is
    /// unchanged.
    pub(crate) fn stamp(&self, found: &Found) -> Option<FileStamp> {
        let meta = std::fs::symlink_metadata(&found.path).ok()?;
        check_regular_file(&meta, self.daemon_uid, &found.path).ok()?;
        Some(FileStamp::of(&meta))
    }

    /// The bytes of a found artifact (checked as `stamp` checks it), for the caller to check
    /// against its digest and load, with the file's stamp as it was read.
    pub(crate) fn read(&self, found: &Found) -> Option<(Vec<u8>, FileStamp)> {
        let (mut file, meta) = open_checked(&found.path, self.daemon_uid).ok()?;
        let mut bytes = vec![0u8; usize::try_from(meta.len()).ok()?];
        std::io::Read::read_exact(&mut file, &mut bytes).ok()?;
        Some((bytes, FileStamp::of(&meta)))
    }
}

/// Maps the index file at `path` as it is now.
fn map(path: &Path, daemon_uid: u32) -> Result<Mapping, String> {
    let (file, meta) = open_checked(path, daemon_uid)?;
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
    if view.header.module_abi != kcache_abi::MODULE_ABI_VERSION || view.header.host_api != kcache_abi::HOST_API_VERSION
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

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
