//! The daemon's files are private to its uid: it sets its umask to 077 before creating
//! anything (sled's files become 0600, directories 0700), and checks the store at start.
//!
//! A store that others can read is repaired, with a warning, rather than refused: stores made
//! by earlier kcached versions are 0755/0644, the daemon owns every file in them, and making
//! its own files private can break nobody (clients read artifacts over the socket, never from
//! disk). A store that belongs to another uid is refused: it is not ours to change, and its
//! owner can rewrite the records we would serve.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use kcache_proto::ids::{describe_uid, effective_uid};

/// A file-system operation that failed, and the path it was about.
#[derive(Debug, thiserror::Error)]
#[error("{what} {path}: {source}")]
pub struct FsError {
    pub what: &'static str,
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// The [`FsError`] of doing `what` to `path`, for `map_err`.
pub fn fs_err(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> FsError {
    let path = path.to_path_buf();
    move |source| FsError { what, path, source }
}

#[derive(Debug, thiserror::Error)]
pub enum PrivateError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error(
        "refusing to use the store {path}: it belongs to {owner}, not to this kcached, which runs as {me}; \
         its owner could change what kcached serves. Choose another --store"
    )]
    NotOurs { path: PathBuf, owner: String, me: String },
}

/// Files and directories the daemon creates from now on are readable by its uid only.
pub fn set_private_umask() {
    // SAFETY: umask has no preconditions and cannot fail.
    unsafe { libc::umask(0o077) };
}

/// Creates the store directory or checks the one there: it must be ours; every file and
/// directory in it that others could read or write is made private. Returns how many were.
pub fn secure_store(dir: &Path) -> Result<usize, PrivateError> {
    std::fs::create_dir_all(dir).map_err(fs_err("creating the store directory", dir))?;
    let meta = std::fs::metadata(dir).map_err(fs_err("reading", dir))?;
    let me = effective_uid();
    if meta.uid() != me {
        return Err(PrivateError::NotOurs {
            path: dir.to_path_buf(),
            owner: describe_uid(meta.uid()),
            me: describe_uid(me),
        });
    }
    let mut fixed = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        // Links are not followed: what they point at is not the store's.
        let m = std::fs::symlink_metadata(&path).map_err(fs_err("reading", &path))?;
        if m.file_type().is_symlink() {
            continue;
        }
        if m.is_dir() {
            for entry in std::fs::read_dir(&path).map_err(fs_err("reading", &path))? {
                pending.push(entry.map_err(fs_err("reading", &path))?.path());
            }
        }
        let mode = m.mode() & 0o7777;
        if mode & 0o077 != 0 {
            // Keep the owner's bits, drop everyone else's.
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o700))
                .map_err(fs_err("making private", &path))?;
            fixed += 1;
        }
    }
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_store_is_made_private() {
        let base = tempfile::tempdir().unwrap();
        let store = base.path().join("store");
        std::fs::create_dir_all(store.join("blobs")).unwrap();
        std::fs::write(store.join("db"), b"x").unwrap();
        std::fs::write(store.join("blobs/1"), b"y").unwrap();
        for (p, mode) in [("", 0o755), ("blobs", 0o755), ("db", 0o644), ("blobs/1", 0o664)] {
            std::fs::set_permissions(store.join(p), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        assert_eq!(secure_store(&store).unwrap(), 4);
        for (p, mode) in [("", 0o700), ("blobs", 0o700), ("db", 0o600), ("blobs/1", 0o600)] {
            assert_eq!(std::fs::metadata(store.join(p)).unwrap().mode() & 0o777, mode, "{p}");
        }
        assert_eq!(secure_store(&store).unwrap(), 0, "nothing left to fix");
    }
}
