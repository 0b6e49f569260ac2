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

/// The host of a `HOST:PORT` address, without the brackets of an IPv6 literal.
pub fn tcp_host(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Whether every address `HOST:PORT` resolves to is a loopback address (so only processes of
/// this machine can reach it). An address that does not resolve is not loopback.
pub fn tcp_is_loopback(addr: &str) -> bool {
    use std::net::ToSocketAddrs;
    match addr.to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses() {
        assert!(tcp_is_loopback("127.0.0.1:7000"));
        assert!(tcp_is_loopback("[::1]:7000"));
        assert!(tcp_is_loopback("localhost:7000"));
        assert!(!tcp_is_loopback("0.0.0.0:7000"));
        assert!(!tcp_is_loopback("[::]:7000"));
        assert!(!tcp_is_loopback("192.0.2.1:7000"));
        assert_eq!(tcp_host("[::1]:7000"), "::1");
        assert_eq!(tcp_host("example.org:443"), "example.org");
    }
}
