//! Which daemon the client trusts, and how it proves who it is. kcached hands back machine
//! code that the client runs, and the artifact's digest arrives in the same reply as its bytes,
//! so the digest cannot tell a genuine daemon from an impostor: the connection has to.
//!
//! - Unix socket: before a byte is sent, the kernel's record of the listening process
//!   (`SO_PEERCRED`) must show this user's uid or one named in `KCACHE_DAEMON_UID` (a service
//!   account), and the socket's directory must belong to that uid and be closed to other
//!   writers. Another user who created `/tmp/kcache-$UID` first is refused, by name.
//! - TCP: TLS with the CA in `KCACHE_TLS_CA` (plain TCP only to a loopback address), and the
//!   bearer token in `KCACHE_TOKEN_FILE` on every request.
//!
//! This is the one connect path of the Rust API, the C ABI (`kc_connect`), the CLI and the
//! Python package.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use hyper_util::rt::TokioIo;
use kcache_proto::endpoint::{tcp_host, tcp_is_loopback, Endpoint};
use kcache_proto::ids::{describe_uid, effective_uid, parse_uid};
use kcache_proto::v1::kernel_cache_client::KernelCacheClient;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Uri};

use crate::error::{Error, ErrorKind};

/// Uids (numbers or user names, separated by commas or spaces) trusted to serve this user
/// besides its own uid.
pub const DAEMON_UID_ENV: &str = "KCACHE_DAEMON_UID";
/// PEM file of the CA that signed the daemon's TLS certificate.
pub const TLS_CA_ENV: &str = "KCACHE_TLS_CA";
/// File holding the bearer token for a TCP daemon.
pub const TOKEN_FILE_ENV: &str = "KCACHE_TOKEN_FILE";

/// How to connect: whom to trust and what to present.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Uids besides this process's own that may serve it (a system service account).
    pub daemon_uids: Vec<u32>,
    /// CA certificate (PEM) for TLS to a TCP endpoint.
    pub tls_ca: Option<PathBuf>,
    /// Bearer token file for a TCP endpoint.
    pub token_file: Option<PathBuf>,
}

impl ConnectOptions {
    /// The options from `KCACHE_DAEMON_UID`, `KCACHE_TLS_CA` and `KCACHE_TOKEN_FILE`.
    pub fn from_env() -> Result<ConnectOptions, Error> {
        let path = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let mut opts = ConnectOptions {
            daemon_uids: Vec::new(),
            tls_ca: path(TLS_CA_ENV),
            token_file: path(TOKEN_FILE_ENV),
        };
        if let Ok(list) = std::env::var(DAEMON_UID_ENV) {
            opts.add_daemon_uids(&list)
                .map_err(|m| Error::new(ErrorKind::Invalid, format!("{DAEMON_UID_ENV}: {m}")))?;
        }
        Ok(opts)
    }

    /// Adds the uids of a list such as `kcache,1001` (numbers or user names).
    pub fn add_daemon_uids(&mut self, list: &str) -> Result<(), String> {
        for item in list.split([',', ' ']).filter(|s| !s.trim().is_empty()) {
            self.daemon_uids.push(parse_uid(item)?);
        }
        Ok(())
    }
}

/// Why a daemon was not trusted. Its text is the error the user sees.
#[derive(Debug, thiserror::Error)]
#[error("kcached at {endpoint} is not trusted: {reason}")]
pub struct Untrusted {
    endpoint: String,
    reason: String,
}

/// Checks the process listening on a connected Unix socket and the socket's directory.
fn verify_unix_peer(stream: &tokio::net::UnixStream, path: &Path, opts: &ConnectOptions) -> Result<(), Untrusted> {
    check_unix_peer(stream.peer_cred().map(|c| c.uid()), path, opts)
}

/// The uid of the daemon whose socket is at `path`, if the socket and its directory pass the
/// checks of every connection as far as the file system shows them: the socket's owner stands in
/// for the listening process, which only a connection can ask. For the local index, which a hit
/// reads without connecting (a connection wakes the daemon: the largest cost of a fresh process's
/// hit). Only a process of that uid can have made a socket in a directory that uid owns and
/// others cannot write, so the owner is whoever listens there, or listened before it died (the
/// index names its process, and `local` checks that it still runs). `None` for anything else:
/// the full connect then reports it.
pub(crate) fn trusted_unix_socket(path: &Path, opts: &ConnectOptions) -> Option<u32> {
    use std::os::unix::fs::FileTypeExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_socket() {
        return None;
    }
    check_unix_peer(Ok(meta.uid()), path, opts).ok()?;
    Some(meta.uid())
}

fn check_unix_peer(peer: std::io::Result<u32>, path: &Path, opts: &ConnectOptions) -> Result<(), Untrusted> {
    let untrusted = |reason: String| Untrusted {
        endpoint: format!("unix:{}", path.display()),
        reason,
    };
    let me = effective_uid();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir_meta = std::fs::metadata(dir);
    let peer = peer.map_err(|e| untrusted(format!("the credentials of the process serving it cannot be read: {e}")))?;
    if peer != me && !opts.daemon_uids.contains(&peer) {
        let dir_owner = match &dir_meta {
            Ok(m) => format!("; its directory {} belongs to {}", dir.display(), describe_uid(m.uid())),
            Err(_) => String::new(),
        };
        let configured = match opts.daemon_uids.as_slice() {
            [] => format!("{DAEMON_UID_ENV} is unset"),
            uids => format!(
                "{DAEMON_UID_ENV} names {}",
                uids.iter().map(|u| describe_uid(*u)).collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(untrusted(format!(
            "the process serving it runs as {}, while you are {} and {configured}{dir_owner}. \
             Another user may have created this path before your kcached started: remove it, or \
             set {DAEMON_UID_ENV} if that uid runs kcached for you",
            describe_uid(peer),
            describe_uid(me),
        )));
    }
    let dir_meta = dir_meta.map_err(|e| untrusted(format!("its directory {} cannot be read: {e}", dir.display())))?;
    if dir_meta.uid() != peer {
        return Err(untrusted(format!(
            "its directory {} belongs to {}, not to {} that serves it, so the socket may be swapped",
            dir.display(),
            describe_uid(dir_meta.uid()),
            describe_uid(peer)
        )));
    }
    let mode = dir_meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(untrusted(format!(
            "its directory {} can be written by other users (mode {mode:04o}), so the socket may be swapped",
            dir.display()
        )));
    }
    Ok(())
}

/// Adds `authorization: Bearer <token>` to every request, when there is a token.
#[derive(Clone, Default)]
pub struct TokenInterceptor {
    header: Option<MetadataValue<Ascii>>,
}

impl tonic::service::Interceptor for TokenInterceptor {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(h) = &self.header {
            req.metadata_mut().insert("authorization", h.clone());
        }
        Ok(req)
    }
}

impl TokenInterceptor {
    fn from_file(path: &Path) -> Result<TokenInterceptor, Error> {
        let invalid = |m: String| Error::new(ErrorKind::Invalid, format!("token file {}: {m}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| invalid(e.to_string()))?;
        let header = format!("Bearer {}", text.trim())
            .parse()
            .map_err(|_| invalid("the token has characters a header cannot carry".into()))?;
        Ok(TokenInterceptor { header: Some(header) })
    }
}

/// The gRPC transport of a client: a channel whose requests carry the token, if any.
pub type Transport = InterceptedService<Channel, TokenInterceptor>;

/// Connects to `endpoint` as `opts` says, verifying the daemon before anything is sent.
pub(crate) async fn connect(endpoint: &Endpoint, opts: &ConnectOptions) -> Result<KernelCacheClient<Transport>, Error> {
    let connect_err = |e: &(dyn std::error::Error + 'static), hint: &str| {
        if let Some(untrusted) = find_untrusted(e) {
            return Error::new(ErrorKind::Connect, untrusted.to_string());
        }
        Error::new(
            ErrorKind::Connect,
            format!(
                "cannot reach kcached at {endpoint}: {}{hint} (start it with `kcached`, or set KCACHE_ENDPOINT)",
                source_chain(e)
            ),
        )
    };
    let (channel, interceptor) = match endpoint {
        Endpoint::Unix(path) => {
            let path = path.clone();
            let opts = opts.clone();
            // Each (re)connection is verified: a daemon replaced later is checked again.
            let channel = tonic::transport::Endpoint::from_static("http://kcached.local")
                .connect_with_connector(tower::service_fn(move |_: Uri| {
                    let path = path.clone();
                    let opts = opts.clone();
                    async move {
                        let stream = tokio::net::UnixStream::connect(&path).await?;
                        verify_unix_peer(&stream, &path, &opts).map_err(std::io::Error::other)?;
                        Ok::<_, std::io::Error>(TokioIo::new(stream))
                    }
                }))
                .await
                .map_err(|e| connect_err(&e, ""))?;
            // The token is for TCP daemons; a local one identifies us by our uid.
            (channel, TokenInterceptor::default())
        }
        Endpoint::Tcp(addr) => {
            let interceptor = match &opts.token_file {
                Some(path) => TokenInterceptor::from_file(path)?,
                None => TokenInterceptor::default(),
            };
            let invalid = |e: tonic::transport::Error| Error::new(ErrorKind::Invalid, format!("bad endpoint: {e}"));
            let channel = match &opts.tls_ca {
                Some(ca) => {
                    let pem = std::fs::read(ca).map_err(|e| {
                        Error::new(
                            ErrorKind::Invalid,
                            format!("CA certificate {} ({TLS_CA_ENV}): {e}", ca.display()),
                        )
                    })?;
                    let tls = ClientTlsConfig::new()
                        .ca_certificate(Certificate::from_pem(pem))
                        .domain_name(tcp_host(addr));
                    tonic::transport::Endpoint::from_shared(format!("https://{addr}"))
                        .map_err(invalid)?
                        .tls_config(tls)
                        .map_err(invalid)?
                        .connect()
                        .await
                        .map_err(|e| {
                            connect_err(
                                &e,
                                &format!(" (TLS: is {} the CA that signed kcached's certificate?)", ca.display()),
                            )
                        })?
                }
                // Without TLS anyone on the path could hand us code to run: loopback only.
                None if !tcp_is_loopback(addr) => {
                    return Err(Error::new(
                        ErrorKind::Connect,
                        format!(
                            "refusing plain TCP to kcached at {endpoint}: it is not a loopback address; \
                             set {TLS_CA_ENV} (or --tls-ca) to the CA that signed its certificate"
                        ),
                    ))
                }
                None => tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
                    .map_err(invalid)?
                    .connect()
                    .await
                    .map_err(|e| connect_err(&e, ""))?,
            };
            (channel, interceptor)
        }
    };
    Ok(KernelCacheClient::with_interceptor(channel, interceptor))
}

/// The [`Untrusted`] refusal inside a transport error, if that is why the connection failed.
fn find_untrusted<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a Untrusted> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(u) = err.downcast_ref::<Untrusted>() {
            return Some(u);
        }
        // io::Error::other(..) hides its payload from source(): look inside it.
        if let Some(u) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<Untrusted>())
        {
            return Some(u);
        }
        cur = err.source();
    }
    None
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        text.push_str(": ");
        text.push_str(&s.to_string());
        cur = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemon_uid_lists() {
        let mut o = ConnectOptions::default();
        o.add_daemon_uids("1001, root 42").unwrap();
        assert_eq!(o.daemon_uids, vec![1001, 0, 42]);
        assert!(o.add_daemon_uids("no-such-user-kcache").is_err());
    }

    #[test]
    fn plain_tcp_only_to_loopback() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let endpoint = Endpoint::Tcp("192.0.2.1:7000".into());
        let err = rt
            .block_on(connect(&endpoint, &ConnectOptions::default()))
            .err()
            .unwrap();
        assert_eq!(err.kind, ErrorKind::Connect);
        assert!(err.message.contains("KCACHE_TLS_CA"), "{}", err.message);
    }

    #[test]
    fn a_private_directory_of_our_own_is_trusted_an_open_one_is_not() {
        use std::os::unix::fs::PermissionsExt;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sock");
        let _guard = rt.enter();
        let _listener = tokio::net::UnixListener::bind(&path).unwrap();
        let check = || {
            rt.block_on(async {
                let s = tokio::net::UnixStream::connect(&path).await.unwrap();
                verify_unix_peer(&s, &path, &ConnectOptions::default())
            })
        };
        check().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = check().unwrap_err().to_string();
        assert!(err.contains("mode 0777") && err.contains("not trusted"), "{err}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
