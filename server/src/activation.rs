//! Socket activation (systemd's `LISTEN_FDS` protocol, as `sd_listen_fds(3)` reads it): the
//! service manager binds the sockets, starts kcached on the first connection and passes the
//! listening sockets as file descriptors 3, 4, ... Those sockets are then what kcached serves,
//! in place of `--listen`: a Unix socket with the same per-connection credential checks, a TCP
//! one with the same TLS and token rules as a TCP `--listen`.
//!
//! The socket's file, mode and directory are the service manager's (`SocketMode=`,
//! `DirectoryMode=`), so kcached neither creates, locks nor removes them.

use std::os::fd::{FromRawFd, RawFd};
use std::path::PathBuf;

use kcache_proto::endpoint::Endpoint;

/// The first file descriptor passed (`SD_LISTEN_FDS_START`).
const FIRST_FD: RawFd = 3;

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("LISTEN_FDS={0} is not a number of file descriptors")]
    Count(String),
    #[error(
        "socket activation: file descriptor {fd} is {what}; kcached serves listening stream sockets (Unix or TCP) only"
    )]
    Unsupported { fd: RawFd, what: String },
    #[error("socket activation: file descriptor {fd}: {source}")]
    Io { fd: RawFd, source: std::io::Error },
}

/// A listening socket the service manager passed.
pub enum Activated {
    Unix(std::os::unix::net::UnixListener),
    Tcp(std::net::TcpListener),
}

/// The sockets passed to this process, each with the endpoint it listens on; empty when kcached
/// was not socket-activated. The variables are removed (children do not see them) and the
/// descriptors marked close-on-exec.
pub fn take() -> Result<Vec<(Endpoint, Activated)>, ActivationError> {
    let pid = std::env::var("LISTEN_PID").ok();
    let count = std::env::var("LISTEN_FDS").ok();
    for var in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] {
        std::env::remove_var(var);
    }
    let (Some(pid), Some(count)) = (pid, count) else {
        return Ok(Vec::new());
    };
    if pid.trim().parse::<u32>().ok() != Some(std::process::id()) {
        return Ok(Vec::new()); // meant for another process (a parent that did not clear them)
    }
    let n: RawFd = count
        .trim()
        .parse()
        .ok()
        .filter(|n| (0..=1024).contains(n))
        .ok_or_else(|| ActivationError::Count(count.clone()))?;
    (FIRST_FD..FIRST_FD + n).map(adopt).collect()
}

fn adopt(fd: RawFd) -> Result<(Endpoint, Activated), ActivationError> {
    let io = |source| ActivationError::Io { fd, source };
    let unsupported = |what: &str| ActivationError::Unsupported {
        fd,
        what: what.to_string(),
    };
    // SAFETY: plain fcntl/getsockopt/getsockname calls on a descriptor number, with buffers
    // of the sizes given; none of them takes ownership.
    unsafe {
        if libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
        let mut listening: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ACCEPTCONN,
            &mut listening as *mut libc::c_int as *mut libc::c_void,
            &mut len,
        );
        if rc != 0 {
            return Err(unsupported("not a socket"));
        }
        if listening == 0 {
            return Err(unsupported("a socket that is not listening"));
        }
        let mut addr: libc::sockaddr_storage = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        if libc::getsockname(fd, &mut addr as *mut _ as *mut libc::sockaddr, &mut len) != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
        match addr.ss_family as libc::c_int {
            libc::AF_UNIX => {
                let listener = std::os::unix::net::UnixListener::from_raw_fd(fd);
                let local = listener.local_addr().map_err(io)?;
                let Some(path) = local.as_pathname().map(PathBuf::from) else {
                    return Err(unsupported("an abstract or unnamed Unix socket"));
                };
                listener.set_nonblocking(true).map_err(io)?;
                Ok((Endpoint::Unix(path), Activated::Unix(listener)))
            }
            libc::AF_INET | libc::AF_INET6 => {
                let listener = std::net::TcpListener::from_raw_fd(fd);
                let local = listener.local_addr().map_err(io)?;
                listener.set_nonblocking(true).map_err(io)?;
                Ok((Endpoint::Tcp(local.to_string()), Activated::Tcp(listener)))
            }
            family => Err(unsupported(&format!("a socket of address family {family}"))),
        }
    }
}

/// Takes the activated socket for `endpoint` out of `activated`, if there is one.
pub fn claim(activated: &mut Vec<(Endpoint, Activated)>, endpoint: &Endpoint) -> Option<Activated> {
    let at = activated.iter().position(|(e, _)| e == endpoint)?;
    Some(activated.remove(at).1)
}
