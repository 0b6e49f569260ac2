//! Where the daemon listens, done so that no other user can stand in for it or reach it by
//! accident:
//!
//! - the socket's directory must be ours and not writable by others (else another user could
//!   have made it first, or swap the socket for their own);
//! - a path is replaced only when it holds a stale socket of ours (nobody answers on it); a
//!   regular file, a directory or a live socket there is an error;
//! - the socket is 0600, or opened to a group (0660) or to allowed uids (0666) on purpose,
//!   with every connection's credentials read for the per-RPC check (`auth`);
//! - TCP only with TLS and a token, unless explicitly insecure on a loopback address.

use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use kcache_proto::endpoint::tcp_is_loopback;
use kcache_proto::ids::{describe_uid, effective_uid};
use std::sync::Arc;
use tokio::io::{AsyncRead, ReadBuf};

use tokio_stream::Stream;
use tonic::transport::server::Connected;

use crate::auth::PeerCred;
use crate::conns::{Connections, Tracked};
use crate::private::{fs_err, FsError};

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error(
        "refusing to use the socket directory {dir}: it belongs to {owner}, not to this kcached, \
         which runs as {me}; another user may have created it to catch your clients. Remove it (as its owner \
         or root) or choose another --listen path"
    )]
    DirNotOurs { dir: PathBuf, owner: String, me: String },
    #[error(
        "refusing to use the socket directory {dir}: other users can write to it (mode {mode:04o}) \
         and so could replace the socket; `chmod go-w` it or choose another --listen path"
    )]
    DirWritable { dir: PathBuf, mode: u32 },
    #[error(
        "{path} exists and is {what}, not a socket; kcached replaces only a stale socket of its own \
         (remove it yourself, or choose another --listen path)"
    )]
    NotASocket { path: PathBuf, what: &'static str },
    #[error("{path} is a socket of {owner}, not of this kcached, which runs as {me}; it is left alone")]
    SocketNotOurs { path: PathBuf, owner: String, me: String },
    #[error("another kcached is already running on {path} ({detail})")]
    AlreadyRunning { path: PathBuf, detail: String },
    #[error("cannot tell whether {path} is in use: {source}")]
    Probe { path: PathBuf, source: std::io::Error },
    #[error(
        "--listen tcp://{addr} needs {missing}: TCP is served only with TLS and a bearer token \
         (for a loopback-only development port, --insecure-tcp drops both)"
    )]
    TcpUnprotected { addr: String, missing: String },
    #[error("--insecure-tcp is only for loopback addresses, and tcp://{addr} is not one")]
    InsecureNotLoopback { addr: String },
}

/// Who besides the daemon's own uid may use its socket (`--allow-uid`, `--allow-gid`).
#[derive(Clone, Debug, Default)]
pub struct Sharing {
    pub allow_uids: Vec<u32>,
    pub allow_gids: Vec<u32>,
}

impl Sharing {
    /// The socket file's mode: the file permission is the first gate, the per-RPC peer check
    /// the second (and the only one for root, which ignores file permissions).
    pub fn socket_mode(&self) -> u32 {
        if !self.allow_uids.is_empty() {
            0o666
        } else if !self.allow_gids.is_empty() {
            0o660
        } else {
            0o600
        }
    }

    /// The mode of a socket directory kcached creates: others may pass through to reach the
    /// socket only when someone besides the owner is allowed; nobody but the owner may write.
    pub fn dir_mode(&self) -> u32 {
        if !self.allow_uids.is_empty() {
            0o711
        } else if !self.allow_gids.is_empty() {
            0o710
        } else {
            0o700
        }
    }

    /// The group given to the socket (and to a directory kcached creates): the first allowed gid.
    pub fn group(&self) -> Option<u32> {
        self.allow_gids.first().copied()
    }
}

/// Creates the socket's directory or checks the one there. A directory kcached creates, and the
/// default one (`fix_mode`), gets `sharing.dir_mode()`; any other must already be private.
pub fn prepare_socket_dir(path: &Path, sharing: &Sharing, fix_mode: bool) -> Result<(), ListenError> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    let me = effective_uid();
    let not_ours = |owner| ListenError::DirNotOurs {
        dir: dir.to_path_buf(),
        owner: describe_uid(owner),
        me: describe_uid(me),
    };
    // A symbolic link in our place is someone's even when it points at a directory of ours:
    // its owner can point it elsewhere later.
    if let Ok(link) = std::fs::symlink_metadata(dir) {
        if link.file_type().is_symlink() && link.uid() != me {
            return Err(not_ours(link.uid()));
        }
    }
    let created = !dir.exists();
    std::fs::create_dir_all(dir).map_err(fs_err("creating", dir))?;
    let meta = std::fs::metadata(dir).map_err(fs_err("reading", dir))?;
    if meta.uid() != me {
        return Err(not_ours(meta.uid()));
    }
    if created || fix_mode {
        if let Some(gid) = sharing.group() {
            std::os::unix::fs::chown(dir, None, Some(gid)).map_err(fs_err("giving the group to", dir))?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(sharing.dir_mode()))
            .map_err(fs_err("setting the mode of", dir))?;
    } else if meta.mode() & 0o022 != 0 {
        return Err(ListenError::DirWritable {
            dir: dir.to_path_buf(),
            mode: meta.mode() & 0o7777,
        });
    }
    Ok(())
}

/// Takes an exclusive lock beside the socket for the daemon's lifetime, so that many clients
/// auto-starting kcached at once end with exactly one daemon.
pub fn lock_socket(path: &Path) -> Result<std::fs::File, ListenError> {
    let lock_path = path.with_extension("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        // Never follow a link planted in the lock's place.
        .custom_flags(libc::O_NOFOLLOW)
        .open(&lock_path)
        .map_err(fs_err("opening", &lock_path))?;
    // SAFETY: flock on a descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return Err(ListenError::AlreadyRunning {
            path: path.to_path_buf(),
            detail: format!("it holds {}", lock_path.display()),
        });
    }
    Ok(file)
}

/// A socket this daemon bound, remembered by inode so that shutdown removes only that file.
pub struct BoundSocket {
    pub path: PathBuf,
    dev: u64,
    ino: u64,
}

impl BoundSocket {
    /// Removes the socket if the path still holds the one we bound.
    pub fn remove(&self) {
        if let Ok(m) = std::fs::symlink_metadata(&self.path) {
            if m.dev() == self.dev && m.ino() == self.ino {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

fn describe_type(t: std::fs::FileType) -> &'static str {
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Binds a Unix socket at `path`: a stale socket of ours is replaced, anything else there is an
/// error. The socket gets `sharing`'s mode and group.
pub fn bind_unix(path: &Path, sharing: &Sharing) -> Result<(tokio::net::UnixListener, BoundSocket), ListenError> {
    let me = effective_uid();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => match std::os::unix::net::UnixStream::connect(path) {
            // Holding the lock, a socket that answers belongs to a daemon that lost its lock
            // file, or to another program: not ours to take over.
            Ok(_) => {
                return Err(ListenError::AlreadyRunning {
                    path: path.to_path_buf(),
                    detail: "something answers on the socket".into(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                if m.uid() != me {
                    return Err(ListenError::SocketNotOurs {
                        path: path.to_path_buf(),
                        owner: describe_uid(m.uid()),
                        me: describe_uid(me),
                    });
                }
                std::fs::remove_file(path).map_err(fs_err("removing the stale socket", path))?;
            }
            Err(source) => {
                return Err(ListenError::Probe {
                    path: path.to_path_buf(),
                    source,
                })
            }
        },
        Ok(m) => {
            return Err(ListenError::NotASocket {
                path: path.to_path_buf(),
                what: describe_type(m.file_type()),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fs_err("reading", path)(e).into()),
    }
    // The socket is bound under a temporary name, given its group and mode, and only then
    // renamed into place: a client connecting while the daemon starts never finds it with the
    // umask's mode (a shared daemon's users would get "permission denied" for a moment).
    let staging = staging_path(path);
    let bind_at = staging.as_deref().unwrap_or(path);
    if staging.is_some() {
        let _ = std::fs::remove_file(bind_at);
    }
    let listener = tokio::net::UnixListener::bind(bind_at).map_err(fs_err("binding", bind_at))?;
    let prepared = (|| {
        if let Some(gid) = sharing.group() {
            std::os::unix::fs::chown(bind_at, None, Some(gid)).map_err(fs_err("giving the group to", bind_at))?;
        }
        std::fs::set_permissions(bind_at, std::fs::Permissions::from_mode(sharing.socket_mode()))
            .map_err(fs_err("setting the mode of", bind_at))?;
        if staging.is_some() {
            std::fs::rename(bind_at, path).map_err(fs_err("moving the socket into place at", path))?;
        }
        Ok::<(), ListenError>(())
    })();
    if let Err(e) = prepared {
        if staging.is_some() {
            let _ = std::fs::remove_file(bind_at);
        }
        return Err(e);
    }
    let m = std::fs::symlink_metadata(path).map_err(fs_err("reading", path))?;
    Ok((
        listener,
        BoundSocket {
            path: path.to_path_buf(),
            dev: m.dev(),
            ino: m.ino(),
        },
    ))
}

/// Checks that a TCP listener is protected: TLS and a token, or `--insecure-tcp` on loopback.
pub fn check_tcp(addr: &str, tls: bool, token: bool, insecure: bool) -> Result<(), ListenError> {
    if insecure {
        if !tcp_is_loopback(addr) {
            return Err(ListenError::InsecureNotLoopback { addr: addr.to_string() });
        }
        return Ok(());
    }
    let mut missing = Vec::new();
    if !tls {
        missing.push("--tls-cert and --tls-key");
    }
    if !token {
        missing.push("--token-file");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ListenError::TcpUnprotected {
            addr: addr.to_string(),
            missing: missing.join(" and "),
        })
    }
}

/// An accepted Unix connection with its peer's credentials, which tonic hands to every request
/// of the connection as an extension (`Connected::ConnectInfo`).
pub struct PeerStream {
    io: Tracked<tokio::net::UnixStream>,
    peer: PeerCred,
}

impl Connected for PeerStream {
    type ConnectInfo = PeerCred;

    fn connect_info(&self) -> PeerCred {
        self.peer.clone()
    }
}

impl AsyncRead for PeerStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

crate::delegate_async_write!(PeerStream);

/// The connections of a Unix listener, each with its peer's credentials, bounded by `conns`. A
/// connection whose credentials cannot be read is closed: without them no rule can allow it.
pub fn incoming(
    listener: tokio::net::UnixListener,
    conns: &Arc<Connections>,
) -> impl Stream<Item = std::io::Result<PeerStream>> {
    let listener = Arc::new(listener);
    conns.incoming(
        move || {
            let listener = listener.clone();
            async move { listener.accept().await.map(|(io, _)| io) }
        },
        |io: Tracked<tokio::net::UnixStream>| match PeerCred::of(io.get_ref().as_raw_fd()) {
            Ok(mut peer) => {
                peer.conn = Some(io.handle());
                Some(PeerStream { io, peer })
            }
            Err(e) => {
                tracing::warn!(error = %e, "closing a connection whose credentials cannot be read");
                None
            }
        },
    )
}

/// The connections of a TCP listener, bounded by `conns`.
pub fn incoming_tcp(
    listener: tokio::net::TcpListener,
    conns: &Arc<Connections>,
) -> impl Stream<Item = std::io::Result<Tracked<tokio::net::TcpStream>>> {
    let listener = Arc::new(listener);
    conns.incoming(
        move || {
            let listener = listener.clone();
            async move {
                let (io, _) = listener.accept().await?;
                // Replies are small messages: no Nagle delay.
                let _ = io.set_nodelay(true);
                Ok(io)
            }
        },
        Some,
    )
}

/// Where to bind before renaming into `path`: beside it, named for this process; `None` when
/// that name would not fit in a socket address (108 bytes), in which case the socket is bound
/// in place.
fn staging_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let staging = path.with_file_name(format!(".{name}.{}", std::process::id()));
    (staging.as_os_str().len() < 100).then_some(staging)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_needs_tls_and_token_unless_insecure_loopback() {
        assert!(check_tcp("0.0.0.0:7000", true, true, false).is_ok());
        let err = check_tcp("0.0.0.0:7000", false, true, false).unwrap_err().to_string();
        assert!(
            err.contains("--tls-cert and --tls-key") && !err.contains("--token-file"),
            "{err}"
        );
        let err = check_tcp("127.0.0.1:7000", true, false, false).unwrap_err().to_string();
        assert!(err.contains("--token-file"), "{err}");
        assert!(check_tcp("127.0.0.1:7000", false, false, true).is_ok());
        assert!(matches!(
            check_tcp("0.0.0.0:7000", false, false, true),
            Err(ListenError::InsecureNotLoopback { .. })
        ));
    }

    #[test]
    fn sharing_modes() {
        let private = Sharing::default();
        assert_eq!(
            (private.socket_mode(), private.dir_mode(), private.group()),
            (0o600, 0o700, None)
        );
        let group = Sharing {
            allow_uids: vec![],
            allow_gids: vec![50, 60],
        };
        assert_eq!(
            (group.socket_mode(), group.dir_mode(), group.group()),
            (0o660, 0o710, Some(50))
        );
        let uid = Sharing {
            allow_uids: vec![1001],
            allow_gids: vec![],
        };
        assert_eq!((uid.socket_mode(), uid.dir_mode()), (0o666, 0o711));
    }

    #[test]
    fn binding_replaces_only_a_stale_socket_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sock");
        let sharing = Sharing::default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _guard = rt.enter();

        std::fs::write(&path, "precious").unwrap();
        assert!(matches!(
            bind_unix(&path, &sharing),
            Err(ListenError::NotASocket {
                what: "a regular file",
                ..
            })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
        std::fs::remove_file(&path).unwrap();

        std::fs::create_dir(&path).unwrap();
        assert!(matches!(
            bind_unix(&path, &sharing),
            Err(ListenError::NotASocket {
                what: "a directory",
                ..
            })
        ));
        std::fs::remove_dir(&path).unwrap();

        let live = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(matches!(
            bind_unix(&path, &sharing),
            Err(ListenError::AlreadyRunning { .. })
        ));
        drop(live); // the file stays: now a stale socket
                    // A child another test thread forked may hold the listener until it execs.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::os::unix::net::UnixStream::connect(&path).is_ok() {
            assert!(std::time::Instant::now() < deadline, "the listener stays open");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }

        let (_listener, bound) = bind_unix(&path, &sharing).unwrap();
        let m = std::fs::symlink_metadata(&path).unwrap();
        assert!(m.file_type().is_socket());
        assert_eq!(m.mode() & 0o777, 0o600);

        // Shutdown removes only the socket it bound.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "someone else's").unwrap();
        bound.remove();
        assert!(path.exists());
    }

    #[test]
    fn the_socket_appears_with_its_mode_and_leaves_no_staging_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sock");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _guard = rt.enter();
        let shared = Sharing {
            allow_uids: vec![0],
            allow_gids: vec![],
        };
        let (_listener, bound) = bind_unix(&path, &shared).unwrap();
        let m = std::fs::symlink_metadata(&path).unwrap();
        assert_eq!(m.mode() & 0o777, shared.socket_mode());
        assert_eq!((m.dev(), m.ino()), (bound.dev, bound.ino));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("k.sock")]);
    }

    #[test]
    fn socket_directories_must_be_ours_and_closed_to_writers() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("run");
        let sock = dir.join("k.sock");
        prepare_socket_dir(&sock, &Sharing::default(), false).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(
            prepare_socket_dir(&sock, &Sharing::default(), false),
            Err(ListenError::DirWritable { mode: 0o777, .. })
        ));
        // The default directory is kcached's own: its mode is repaired instead.
        prepare_socket_dir(&sock, &Sharing::default(), true).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    }
}
