//! Who may call the daemon, checked on every RPC by a tower layer in front of all services
//! (kcache, health, reflection):
//!
//! - on a Unix socket, the peer's credentials (read by the kernel when the connection was
//!   accepted): the daemon's own uid, or a uid or group the operator allowed on purpose;
//! - on TCP, a bearer token (`authorization: Bearer ...`) compared in constant time;
//! - the maintenance RPCs (`Gc`, `Evict`) only for the owner: its uid on the socket, or the
//!   separate admin token on TCP. They can empty the store every other user depends on.

use std::future::Future;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use kcache_proto::ids::describe_uid;
use tonic::codegen::http;
use tonic::Status;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: a token needs at least {} characters", MIN_TOKEN_LEN)]
    Short { path: PathBuf },
    #[error("{path} can be read or written by other users (mode {mode:04o}); `chmod 600` it")]
    Exposed { path: PathBuf, mode: u32 },
}

/// A bearer token, kept only as its BLAKE3 hash: `blake3::Hash`'s `==` runs in constant time,
/// and hashing what a caller sends first makes the comparison independent of its length.
#[derive(Clone)]
pub struct Token(blake3::Hash);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// Shorter tokens are refused: a token is the only thing between the network and the store.
pub const MIN_TOKEN_LEN: usize = 16;

impl Token {
    pub fn new(secret: &str) -> Token {
        Token(blake3::hash(secret.as_bytes()))
    }

    /// Reads a token file: the token is its content without surrounding whitespace.
    pub fn from_file(path: &Path) -> Result<Token, AuthError> {
        let text = read_secret_file(path)?;
        let secret = String::from_utf8_lossy(&text);
        let secret = secret.trim();
        if secret.len() < MIN_TOKEN_LEN {
            return Err(AuthError::Short {
                path: path.to_path_buf(),
            });
        }
        Ok(Token::new(secret))
    }

    fn matches(&self, presented: &str) -> bool {
        blake3::hash(presented.as_bytes()) == self.0
    }
}

/// Reads a file holding a secret (a token, a TLS key). Other users must not be able to read or
/// write it; group access is allowed, so that a team can share one token file through its group.
pub fn read_secret_file(path: &Path) -> Result<Vec<u8>, AuthError> {
    use std::os::unix::fs::PermissionsExt;
    let read = |source| AuthError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mode = std::fs::metadata(path).map_err(read)?.permissions().mode() & 0o7777;
    if mode & 0o007 != 0 {
        return Err(AuthError::Exposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    std::fs::read(path).map_err(read)
}

/// Credentials of the process at the other end of a Unix socket, as the kernel recorded them
/// when it connected (`SO_PEERCRED`, and `SO_PEERGROUPS` for its supplementary groups).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerCred {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    /// The connection these came with, for counting its requests (`conns`).
    pub conn: Option<crate::conns::ConnHandle>,
}

impl PeerCred {
    /// Reads the credentials of the peer of a connected Unix socket.
    pub fn of(fd: RawFd) -> std::io::Result<PeerCred> {
        let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        // SAFETY: cred and len are valid for writes of the sizes given.
        let rc = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_PEERCRED,
                &mut cred as *mut libc::ucred as *mut libc::c_void,
                &mut len,
            )
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(PeerCred {
            uid: cred.uid,
            gid: cred.gid,
            groups: peer_groups(fd)?,
            conn: None,
        })
    }

    fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

/// The peer's supplementary groups. The kernel says how much room it needs when the buffer is
/// too small (ERANGE), so a second call always fits.
fn peer_groups(fd: RawFd) -> std::io::Result<Vec<u32>> {
    let mut groups = vec![0u32; 64];
    for _ in 0..2 {
        let mut len = (groups.len() * std::mem::size_of::<u32>()) as libc::socklen_t;
        // SAFETY: groups has room for len bytes.
        let rc = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_PEERGROUPS,
                groups.as_mut_ptr() as *mut libc::c_void,
                &mut len,
            )
        };
        let n = len as usize / std::mem::size_of::<u32>();
        if rc == 0 {
            groups.truncate(n);
            return Ok(groups);
        }
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::ERANGE) {
            return Err(err);
        }
        groups.resize(n.max(groups.len() * 2), 0);
    }
    Err(std::io::Error::other("the peer's group list kept growing"))
}

/// The RPCs that change the whole store.
pub const ADMIN_METHODS: [&str; 2] = ["/kcache.v1.KernelCache/Gc", "/kcache.v1.KernelCache/Evict"];

/// The rule of one listener.
#[derive(Clone, Debug)]
pub enum Policy {
    /// A Unix socket: the owner (the daemon's uid) may do anything; allowed uids and members of
    /// allowed groups may compile and fetch; nobody else may do anything.
    Unix {
        owner: u32,
        allow_uids: Vec<u32>,
        allow_gids: Vec<u32>,
    },
    /// A TCP port: with a token, every request carries it (or the admin token); maintenance
    /// RPCs need the admin token, and with none configured nobody may call them over TCP.
    Tcp { token: Option<Token>, admin: Option<Token> },
}

impl Policy {
    /// Whether a request for `path` (`/package.Service/Method`) may go on; if not, the status
    /// to answer with.
    pub fn check(&self, path: &str, authorization: Option<&str>, peer: Option<&PeerCred>) -> Result<(), Status> {
        let admin_method = ADMIN_METHODS.contains(&path);
        match self {
            Policy::Unix {
                owner,
                allow_uids,
                allow_gids,
            } => {
                let Some(peer) = peer else {
                    return Err(Status::permission_denied(
                        "kcached could not read the credentials of this connection",
                    ));
                };
                if peer.uid == *owner {
                    return Ok(());
                }
                if !allow_uids.contains(&peer.uid) && !allow_gids.iter().any(|g| peer.in_group(*g)) {
                    return Err(Status::permission_denied(format!(
                        "{} may not use this kcached: it runs as {} and serves no one else \
                         (its operator can share it with --allow-uid or --allow-gid)",
                        describe_uid(peer.uid),
                        describe_uid(*owner)
                    )));
                }
                if admin_method {
                    return Err(Status::permission_denied(format!(
                        "{path} is kept to the daemon's owner, {}; {} may compile and fetch only",
                        describe_uid(*owner),
                        describe_uid(peer.uid)
                    )));
                }
                Ok(())
            }
            Policy::Tcp { token, admin } => {
                let bearer = authorization.and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
                let is_admin = matches!((admin, bearer), (Some(a), Some(b)) if a.matches(b));
                if let Some(token) = token {
                    match bearer {
                        None => {
                            return Err(Status::unauthenticated(
                                "this kcached needs a bearer token (set KCACHE_TOKEN_FILE or --token-file)",
                            ))
                        }
                        Some(b) if !is_admin && !token.matches(b) => {
                            return Err(Status::unauthenticated(
                                "the bearer token is not valid for this kcached",
                            ))
                        }
                        Some(_) => {}
                    }
                }
                if admin_method && !is_admin {
                    return Err(Status::permission_denied(match admin {
                        Some(_) => format!("{path} over TCP needs the admin token"),
                        None => format!(
                            "{path} is not served over TCP without --admin-token-file; use the daemon's Unix socket as its owner"
                        ),
                    }));
                }
                Ok(())
            }
        }
    }
}

/// Puts a [`Policy`] in front of a tonic server (`Server::builder().layer(..)`).
#[derive(Clone)]
pub struct AuthLayer {
    policy: Arc<Policy>,
}

impl AuthLayer {
    pub fn new(policy: Policy) -> AuthLayer {
        AuthLayer {
            policy: Arc::new(policy),
        }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Auth<S> {
        Auth {
            inner,
            policy: self.policy.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    policy: Arc<Policy>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> tower::Service<http::Request<B>> for Auth<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let authorization = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let verdict = self
            .policy
            .check(req.uri().path(), authorization, req.extensions().get::<PeerCred>());
        match verdict {
            Ok(()) => Box::pin(self.inner.call(req)),
            Err(status) => Box::pin(std::future::ready(Ok(status.into_http()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Code;

    const COMPILE: &str = "/kcache.v1.KernelCache/Compile";
    const GC: &str = "/kcache.v1.KernelCache/Gc";

    fn peer(uid: u32, gid: u32, groups: &[u32]) -> PeerCred {
        PeerCred {
            uid,
            gid,
            groups: groups.to_vec(),
            conn: None,
        }
    }

    fn code(r: Result<(), Status>) -> Option<Code> {
        r.err().map(|s| s.code())
    }

    #[test]
    fn unix_owner_allowed_uids_and_groups() {
        let p = Policy::Unix {
            owner: 1000,
            allow_uids: vec![2000],
            allow_gids: vec![500],
        };
        assert_eq!(code(p.check(GC, None, Some(&peer(1000, 1000, &[])))), None);
        assert_eq!(code(p.check(COMPILE, None, Some(&peer(2000, 2000, &[])))), None);
        assert_eq!(code(p.check(COMPILE, None, Some(&peer(3000, 500, &[])))), None);
        assert_eq!(code(p.check(COMPILE, None, Some(&peer(3000, 3000, &[7, 500])))), None);
        let denied = Some(Code::PermissionDenied);
        assert_eq!(code(p.check(COMPILE, None, Some(&peer(3000, 3000, &[7])))), denied);
        assert_eq!(code(p.check(GC, None, Some(&peer(2000, 2000, &[])))), denied);
        assert_eq!(
            code(p.check("/kcache.v1.KernelCache/Evict", None, Some(&peer(3000, 500, &[])))),
            denied
        );
        assert_eq!(code(p.check(COMPILE, None, None)), denied);
        // A token does not open a Unix socket to another uid.
        assert_eq!(
            code(p.check(COMPILE, Some("Bearer x"), Some(&peer(3000, 3000, &[])))),
            denied
        );
    }

    #[test]
    fn tcp_tokens() {
        let p = Policy::Tcp {
            token: Some(Token::new("user-token-0123456789")),
            admin: Some(Token::new("admin-token-0123456789")),
        };
        let unauth = Some(Code::Unauthenticated);
        assert_eq!(code(p.check(COMPILE, None, None)), unauth);
        assert_eq!(code(p.check(COMPILE, Some("Bearer nope"), None)), unauth);
        assert_eq!(code(p.check(COMPILE, Some("user-token-0123456789"), None)), unauth);
        assert_eq!(code(p.check(COMPILE, Some("Bearer user-token-0123456789"), None)), None);
        assert_eq!(
            code(p.check(COMPILE, Some("Bearer admin-token-0123456789"), None)),
            None
        );
        assert_eq!(
            code(p.check(GC, Some("Bearer user-token-0123456789"), None)),
            Some(Code::PermissionDenied)
        );
        assert_eq!(code(p.check(GC, Some("Bearer admin-token-0123456789"), None)), None);
        // Peer credentials mean nothing on TCP.
        assert_eq!(code(p.check(COMPILE, None, Some(&peer(0, 0, &[])))), unauth);
    }

    #[test]
    fn tcp_without_tokens_never_serves_maintenance() {
        let p = Policy::Tcp {
            token: None,
            admin: None,
        };
        assert_eq!(code(p.check(COMPILE, None, None)), None);
        assert_eq!(
            code(p.check(GC, Some("Bearer anything-at-all-here"), None)),
            Some(Code::PermissionDenied)
        );
    }

    #[test]
    fn token_files_must_be_private_and_long() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "  a-long-enough-token-value\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(Token::from_file(&path).unwrap().matches("a-long-enough-token-value"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            Token::from_file(&path),
            Err(AuthError::Exposed { mode: 0o644, .. })
        ));
        std::fs::write(&path, "short\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(Token::from_file(&path), Err(AuthError::Short { .. })));
    }
}
