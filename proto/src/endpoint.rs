//! Where the daemon listens by default, shared by the daemon and every client.

use std::path::PathBuf;

/// Environment variable naming the daemon endpoint (`unix:PATH` or `tcp://HOST:PORT`).
pub const ENDPOINT_ENV: &str = "KCACHE_ENDPOINT";

/// `$XDG_RUNTIME_DIR/kcache/kcached.sock`, else `/tmp/kcache-$UID/kcached.sock`.
pub fn default_socket_path() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("kcache").join("kcached.sock"),
        None => {
            // SAFETY: getuid has no preconditions and cannot fail.
            let uid = unsafe { getuid() };
            PathBuf::from(format!("/tmp/kcache-{uid}")).join("kcached.sock")
        }
    }
}

extern "C" {
    fn getuid() -> u32;
}

/// A parsed endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Unix(PathBuf),
    /// `host:port`
    Tcp(String),
}

impl Endpoint {
    /// Parses `unix:PATH`, `unix://PATH`, `tcp://HOST:PORT`, `http://HOST:PORT` or a bare path.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("unix://").or_else(|| text.strip_prefix("unix:")) {
            if rest.is_empty() {
                return Err("unix: endpoint without a path".into());
            }
            return Ok(Endpoint::Unix(PathBuf::from(rest)));
        }
        if let Some(rest) = text.strip_prefix("tcp://").or_else(|| text.strip_prefix("http://")) {
            if !rest.contains(':') {
                return Err(format!("tcp endpoint '{text}' needs HOST:PORT"));
            }
            return Ok(Endpoint::Tcp(rest.trim_end_matches('/').to_string()));
        }
        if text.starts_with('/') {
            return Ok(Endpoint::Unix(PathBuf::from(text)));
        }
        Err(format!("endpoint '{text}' is neither unix:PATH nor tcp://HOST:PORT"))
    }

    /// The endpoint from `$KCACHE_ENDPOINT`, else the default socket.
    pub fn from_env() -> Result<Endpoint, String> {
        match std::env::var(ENDPOINT_ENV) {
            Ok(v) if !v.trim().is_empty() => Endpoint::parse(&v),
            _ => Ok(Endpoint::Unix(default_socket_path())),
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(p) => write!(f, "unix:{}", p.display()),
            Endpoint::Tcp(a) => write!(f, "tcp://{a}"),
        }
    }
}
