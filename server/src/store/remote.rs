//! The shared tier on Redis (or Valkey): daemons on many hosts fill and read one cache.
//!
//! Keys, under `{prefix}:{namespace}:` where the namespace is 16 hex digits of BLAKE3 over the
//! compiler fingerprint, so that daemons of different compilers never read each other's entries
//! (their action keys differ anyway; the namespace also lets an operator drop one compiler's
//! entries with `SCAN MATCH`/`UNLINK`):
//! - `a:{action key}` → a signed action record: a 32-byte MAC, then what it covers: the
//!   artifact's hex digest (at a fixed place, so that a server-side script can name the artifact's
//!   key and a hit takes one round trip) and the record as JSON.
//! - `b:{digest}` → the artifact's bytes.
//!
//! Eviction is Redis's own (`maxmemory-policy allkeys-lru`); a TTL is optional. Reads refresh
//! the TTL (`GETEX`) when this daemon may write.
//!
//! Trust: whoever can write to Redis can write these keys, so a record counts only if its MAC (a
//! keyed BLAKE3 under the cluster key) checks and it names the action and the compiler it is read
//! for; the caller then checks the blob against the record's digest. A record that fails comes
//! back `Unreadable`, is counted and is never served.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{ConnectionAddr, IntoConnectionInfo};
use serde::{Deserialize, Serialize};

use super::tiered::TieredConfig;
use super::{ActionRecord, AsyncArtifactStore, EntryAbi, LocalStore, RecordRead, StoreError, TieredStore};
use crate::key::hex;

/// Whether this daemon fills the shared tier or only reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    ReadWrite,
    ReadOnly,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::ReadWrite => "read-write",
            Mode::ReadOnly => "read-only",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("{flag}: {why}")]
    Flag { flag: String, why: String },
    #[error("--remote {url}: {source}")]
    Url { url: String, source: redis::RedisError },
    #[error("{path}: {why}")]
    File { path: PathBuf, why: String },
    #[error("{0}")]
    Config(String),
}

/// Default deadline of one remote call: a lookup that takes longer is a miss.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(50);
/// Default upload cap: artifacts are 10–100 KB; a much larger one is not worth a round trip.
pub const DEFAULT_MAX_ARTIFACT: u64 = 4 << 20;
/// Default bound on uploads waiting for the tier.
pub const DEFAULT_QUEUE: usize = 256;
pub const DEFAULT_PREFIX: &str = "kcache";

/// `kcached --remote*` as given on the command line.
#[derive(Clone, Debug)]
pub struct RemoteOptions {
    pub url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub password_file: Option<PathBuf>,
    pub tls_ca: Option<PathBuf>,
    pub mode: Mode,
    pub prefix: String,
    pub timeout: Duration,
    pub max_artifact: u64,
    pub ttl: Option<Duration>,
    pub queue: usize,
    /// A `--remote-*` flag other than `--remote` was given (it means nothing without it).
    pub tuned: bool,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            url: None,
            key_file: None,
            password_file: None,
            tls_ca: None,
            mode: Mode::ReadWrite,
            prefix: DEFAULT_PREFIX.to_string(),
            timeout: DEFAULT_TIMEOUT,
            max_artifact: DEFAULT_MAX_ARTIFACT,
            ttl: None,
            queue: DEFAULT_QUEUE,
            tuned: false,
        }
    }
}

/// The flags' part of `kcached --help`.
pub const USAGE: &str = "\
A cache shared by daemons on many hosts (Redis or Valkey), behind the local store:
  --remote URL       redis://[:PASSWORD@]HOST:PORT[/DB], rediss://... (TLS), or
                     redis+unix:///PATH[?db=N] (also unix:///PATH). A local miss asks it; a
                     compile is stored locally first, then uploaded in the background.
  --remote-key-file FILE  the cluster key (at least 16 bytes, not readable by other users):
                     every record is signed with it, and one that fails is never served.
                     Required with --remote; every daemon of the cluster has the same one.
  --remote-password-file FILE  the Redis password (instead of one in the URL)
  --remote-tls-ca FILE  CA certificate (PEM) for rediss:// (default: the system's roots)
  --remote-mode read-write|read-only   read-only never writes (default read-write)
  --remote-prefix STR  key prefix (default kcache); keys are also namespaced by the compiler
  --remote-timeout DURATION  deadline of one remote call (default 50ms): slower is a miss
  --remote-max-artifact SIZE  do not upload larger artifacts (default 4M)
  --remote-ttl DURATION  expire entries unused this long (default: never; Redis's
                     maxmemory-policy allkeys-lru evicts)
  --remote-queue N   uploads waiting at most (default 256); more are dropped and counted
";

/// Parses `50ms`, `2s`, `10m`, `12h`, `7d` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let ms = match unit.trim() {
        "ms" => n,
        "" | "s" => n.checked_mul(1000)?,
        "m" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        "d" => n.checked_mul(86_400_000)?,
        _ => return None,
    };
    Some(Duration::from_millis(ms))
}

impl RemoteOptions {
    /// Takes one `--remote*` flag with its value (all but `--remote-max-artifact`, a size that
    /// kcached parses as it does `--max-size`).
    pub fn set(&mut self, flag: &str, value: &str) -> Result<(), RemoteError> {
        let bad = |why: &str| RemoteError::Flag {
            flag: flag.to_string(),
            why: why.to_string(),
        };
        self.tuned |= flag != "--remote";
        match flag {
            "--remote" => self.url = Some(value.to_string()),
            "--remote-key-file" => self.key_file = Some(PathBuf::from(value)),
            "--remote-password-file" => self.password_file = Some(PathBuf::from(value)),
            "--remote-tls-ca" => self.tls_ca = Some(PathBuf::from(value)),
            "--remote-mode" => {
                self.mode = match value {
                    "read-write" => Mode::ReadWrite,
                    "read-only" => Mode::ReadOnly,
                    _ => return Err(bad("read-write or read-only")),
                }
            }
            "--remote-prefix" => {
                if value.is_empty() || value.contains(char::is_whitespace) {
                    return Err(bad("a non-empty prefix without spaces"));
                }
                self.prefix = value.to_string();
            }
            "--remote-timeout" => {
                self.timeout = parse_duration(value)
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| bad("a duration such as 50ms or 1s"))?
            }
            "--remote-ttl" => {
                self.ttl = Some(
                    parse_duration(value)
                        .filter(|d| d.as_secs() > 0)
                        .ok_or_else(|| bad("a duration of a second or more, such as 3600s or 7d"))?,
                )
            }
            "--remote-queue" => {
                self.queue = value
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| bad("a positive number"))?
            }
            _ => return Err(bad("unknown flag")),
        }
        Ok(())
    }
}

impl RemoteOptions {
    /// The tiered store these options ask for, over `local`; `None` without `--remote`. Must run
    /// inside the tokio runtime (the connection and the background tasks live there).
    pub fn tiered_store(&self, local: Arc<dyn LocalStore>) -> Result<Option<TieredStore>, RemoteError> {
        if self.url.is_none() {
            if self.tuned {
                return Err(RemoteError::Config("the --remote-* flags need --remote URL".into()));
            }
            return Ok(None);
        }
        let tier = RedisTier::new(self, &crate::key::compiler_fingerprint())?;
        let config = TieredConfig {
            timeout: self.timeout,
            queue: self.queue,
            max_upload: self.max_artifact,
            ..TieredConfig::default()
        };
        Ok(Some(TieredStore::new(local, Arc::new(tier), config)))
    }
}

/// The MAC key, derived from the cluster key file's contents (surrounding whitespace dropped, so
/// a trailing newline does not split a cluster).
pub struct ClusterKey([u8; 32]);

/// Domain of the key derivation: a cluster key reused elsewhere gives a different MAC key.
const MAC_KEY_CONTEXT: &str = "kcache 2026-11 remote action record MAC key v1";
/// Prefix of every MAC'd message, so that a MAC over a record can mean nothing else.
const RECORD_DOMAIN: &[u8] = b"kcache-remote-action-record-v1\0";
const MIN_KEY_BYTES: usize = 16;

impl ClusterKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<ClusterKey, String> {
        let trimmed = bytes.trim_ascii();
        if trimmed.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the cluster key must be at least {MIN_KEY_BYTES} bytes (got {})",
                trimmed.len()
            ));
        }
        Ok(ClusterKey(blake3::derive_key(MAC_KEY_CONTEXT, trimmed)))
    }

    pub fn from_file(path: &Path) -> Result<ClusterKey, RemoteError> {
        let bytes = crate::auth::read_secret_file(path).map_err(|e| RemoteError::File {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
        ClusterKey::from_bytes(&bytes).map_err(|why| RemoteError::File {
            path: path.to_path_buf(),
            why,
        })
    }

    fn mac(&self, payload: &[u8]) -> blake3::Hash {
        let mut h = blake3::Hasher::new_keyed(&self.0);
        h.update(RECORD_DOMAIN);
        h.update(payload);
        h.finalize()
    }
}

/// Length of a hex digest: where the JSON starts, after the MAC and the digest.
const DIGEST_HEX: usize = 64;

/// One round trip for a read: the record, and the artifact its digest (signed, at a fixed place)
/// names. ARGV[1] is the artifact keys' prefix; ARGV[2] > 0 refreshes both keys' TTL (read-write
/// daemons with --remote-ttl; a read-only one passes 0 and the script writes nothing).
const READ_SCRIPT: &str = r"
local record = redis.call('GET', KEYS[1])
if not record then return false end
local blob_key = ARGV[1] .. string.sub(record, 33, 96)
local blob = redis.call('GET', blob_key)
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  if blob then redis.call('EXPIRE', blob_key, ttl) end
end
return {record, blob}
";

/// What a remote action record carries, and what its MAC covers.
#[derive(Serialize, Deserialize)]
struct SignedRecord {
    /// The compiler fingerprint it was built by (the namespace, in full).
    compiler: String,
    /// Hex action key: a record copied under another key does not verify for it.
    action_key: String,
    digest: String,
    size: u64,
    abi: EntryAbi,
    options: String,
    compile_us: u64,
    created_ms: u64,
}

/// Signs a record for the shared tier: MAC, then what it covers (the digest, the JSON).
pub fn seal(key: &ClusterKey, compiler: &str, action_key: &[u8; 32], record: &ActionRecord) -> Vec<u8> {
    let mut payload = record.digest.as_bytes().to_vec();
    serde_json::to_writer(
        &mut payload,
        &SignedRecord {
            compiler: compiler.to_string(),
            action_key: hex(action_key),
            digest: record.digest.clone(),
            size: record.size,
            abi: record.abi.clone(),
            options: record.options.clone(),
            compile_us: record.compile_us,
            created_ms: record.created_ms,
        },
    )
    .expect("records serialise");
    let mut out = key.mac(&payload).as_bytes().to_vec();
    out.extend_from_slice(&payload);
    out
}

/// Checks a signed record: its MAC, then that it is for this compiler and this action.
pub fn open(key: &ClusterKey, compiler: &str, action_key: &[u8; 32], sealed: &[u8]) -> Result<ActionRecord, String> {
    if sealed.len() < 32 {
        return Err("shorter than a MAC".into());
    }
    let (mac, payload) = sealed.split_at(32);
    let mac: [u8; 32] = mac.try_into().expect("32 bytes");
    // blake3::Hash compares in constant time.
    if key.mac(payload) != blake3::Hash::from(mac) {
        return Err("MAC does not verify (tampered, or signed with another cluster key)".into());
    }
    let Some((digest, json)) = payload.split_at_checked(DIGEST_HEX) else {
        return Err("signed but not a record: too short".into());
    };
    let r: SignedRecord = serde_json::from_slice(json).map_err(|e| format!("signed but not a record: {e}"))?;
    if r.digest.as_bytes() != digest {
        return Err("signed but its two digests differ".into());
    }
    if r.compiler != compiler {
        return Err(format!("signed for another compiler ({})", r.compiler));
    }
    if r.action_key != hex(action_key) {
        return Err("signed for another action key".into());
    }
    let now = super::now_ms();
    Ok(ActionRecord {
        digest: r.digest,
        abi: r.abi,
        options: r.options,
        size: r.size,
        created_ms: r.created_ms,
        last_used_ms: now,
        hits: 0,
        compile_us: r.compile_us,
    })
}

/// The shared tier on one Redis server.
pub struct RedisTier {
    conn: ConnectionManager,
    key: ClusterKey,
    compiler: String,
    /// `{prefix}:{namespace}:`
    base: String,
    mode: Mode,
    ttl: Option<Duration>,
    location: String,
    read_script: redis::Script,
    /// Cleared when the server refuses scripts (an ACL without EVALSHA, scripting disabled):
    /// reads then take two GETs.
    scripts: AtomicBool,
}

impl RedisTier {
    /// Sets up the connection (lazily: a Redis that is down at start is a tier that is down,
    /// not a daemon that does not start). Must run inside the tokio runtime.
    pub fn new(options: &RemoteOptions, compiler: &str) -> Result<RedisTier, RemoteError> {
        let url = options
            .url
            .as_deref()
            .ok_or_else(|| RemoteError::Config("--remote is not set".into()))?;
        let key_file = options.key_file.as_deref().ok_or_else(|| {
            RemoteError::Config(
                "--remote needs --remote-key-file: records in a shared tier are signed with the cluster key, \
                 and nothing unsigned is ever served"
                    .into(),
            )
        })?;
        let key = ClusterKey::from_file(key_file)?;
        let url_error = |source| RemoteError::Url {
            url: redacted(url),
            source,
        };
        let mut info = url.into_connection_info().map_err(url_error)?;
        if let Some(path) = &options.password_file {
            let secret = crate::auth::read_secret_file(path).map_err(|e| RemoteError::File {
                path: path.clone(),
                why: e.to_string(),
            })?;
            let password = String::from_utf8(secret.trim_ascii().to_vec()).map_err(|_| RemoteError::File {
                path: path.clone(),
                why: "the password is not UTF-8".into(),
            })?;
            let settings = info.redis_settings().clone().set_password(password);
            info = info.set_redis_settings(settings);
        }
        let location = location_of(&info);
        let client = match &options.tls_ca {
            Some(ca) => {
                if !matches!(info.addr(), ConnectionAddr::TcpTls { .. }) {
                    return Err(RemoteError::Config("--remote-tls-ca needs a rediss:// URL".into()));
                }
                let root_cert = std::fs::read(ca).map_err(|e| RemoteError::File {
                    path: ca.clone(),
                    why: e.to_string(),
                })?;
                let certs = redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(root_cert),
                };
                redis::Client::build_with_tls(info, certs).map_err(url_error)?
            }
            None => redis::Client::open(info).map_err(url_error)?,
        };
        // The manager reconnects by itself after a dropped connection; the tier in front puts
        // its own deadline on every call, and these bounds only keep a reconnect from piling up.
        let connect = options.timeout.max(Duration::from_secs(1));
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(connect))
            .set_response_timeout(Some(connect))
            .set_number_of_retries(2)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(200));
        let conn = ConnectionManager::new_lazy_with_config(client, config).map_err(url_error)?;
        Ok(RedisTier {
            conn,
            key,
            compiler: compiler.to_string(),
            base: format!("{}:{}:", options.prefix, namespace(compiler)),
            mode: options.mode,
            ttl: options.ttl,
            location,
            read_script: redis::Script::new(READ_SCRIPT),
            scripts: AtomicBool::new(true),
        })
    }

    fn open_record(&self, key: &[u8; 32], sealed: &[u8]) -> RecordRead {
        match open(&self.key, &self.compiler, key, sealed) {
            Ok(record) => RecordRead::Present(Box::new(record)),
            Err(why) => RecordRead::Unreadable(why),
        }
    }

    /// The TTL a read refreshes: only a daemon that may write refreshes it.
    fn refresh_ttl(&self) -> Option<Duration> {
        self.ttl.filter(|_| self.mode == Mode::ReadWrite)
    }

    /// The Redis key of an action record.
    pub fn record_key(&self, action_key: &[u8; 32]) -> String {
        format!("{}a:{}", self.base, hex(action_key))
    }

    /// The Redis key of an artifact.
    pub fn blob_key(&self, digest: &[u8; 32]) -> String {
        format!("{}b:{}", self.base, hex(digest))
    }

    /// GET, or GETEX refreshing the TTL when this daemon may write (a read-only one never does).
    async fn get(&self, key: String) -> Result<Option<Vec<u8>>, StoreError> {
        let mut cmd;
        match self.refresh_ttl() {
            Some(ttl) => {
                cmd = redis::cmd("GETEX");
                cmd.arg(&key).arg("EX").arg(ttl.as_secs());
            }
            None => {
                cmd = redis::cmd("GET");
                cmd.arg(&key);
            }
        }
        let mut conn = self.conn.clone();
        cmd.query_async(&mut conn).await.map_err(remote)
    }
}

fn remote(e: redis::RedisError) -> StoreError {
    StoreError::Remote(e.to_string())
}

/// 16 hex digits of BLAKE3 over the compiler fingerprint.
pub fn namespace(compiler: &str) -> String {
    hex(&blake3::hash(compiler.as_bytes()).as_bytes()[..8])
}

/// Where the tier is, without credentials.
fn location_of(info: &redis::ConnectionInfo) -> String {
    let db = info.redis_settings().db();
    match info.addr() {
        ConnectionAddr::Tcp(host, port) => format!("redis://{host}:{port}/{db}"),
        ConnectionAddr::TcpTls { host, port, .. } => format!("rediss://{host}:{port}/{db}"),
        ConnectionAddr::Unix(path) => format!("redis+unix://{}?db={db}", path.display()),
        other => format!("{other}"),
    }
}

/// A URL for an error message, whether it parses or not: the user information of the authority
/// (`USER:PASSWORD@`) and a `pass=` query value (Unix socket URLs) replaced.
fn redacted(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = out[authority_start..]
            .find(['/', '?'])
            .map_or(out.len(), |i| authority_start + i);
        if let Some(at) = out[authority_start..authority_end].rfind('@') {
            out.replace_range(authority_start..authority_start + at, "***");
        }
    }
    if let Some(q) = out.find('?') {
        let query: Vec<String> = out[q + 1..]
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some(("pass", _)) => "pass=***".to_string(),
                _ => kv.to_string(),
            })
            .collect();
        out.replace_range(q + 1.., &query.join("&"));
    }
    out
}

#[async_trait::async_trait]
impl AsyncArtifactStore for RedisTier {
    async fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError> {
        let Some(sealed) = self.get(self.record_key(key)).await? else {
            return Ok(RecordRead::Absent);
        };
        Ok(self.open_record(key, &sealed))
    }

    async fn get_entry(&self, key: &[u8; 32]) -> Result<(RecordRead, Option<Vec<u8>>), StoreError> {
        if self.scripts.load(Ordering::Relaxed) {
            let ttl = self.refresh_ttl().map_or(0, |t| t.as_secs());
            let mut conn = self.conn.clone();
            let read: redis::RedisResult<Option<(Vec<u8>, Option<Vec<u8>>)>> = self
                .read_script
                .key(self.record_key(key))
                .arg(format!("{}b:", self.base))
                .arg(ttl)
                .invoke_async(&mut conn)
                .await;
            match read {
                Ok(None) => return Ok((RecordRead::Absent, None)),
                Ok(Some((sealed, blob))) => return Ok((self.open_record(key, &sealed), blob)),
                // The server answered, refusing the script: not an outage.
                Err(e) if matches!(e.kind(), redis::ErrorKind::Server(_)) => {
                    self.scripts.store(false, Ordering::Relaxed);
                    tracing::info!(remote = %self.location, error = %e, "the server refuses scripts: reads take two round trips");
                }
                Err(e) => return Err(remote(e)),
            }
        }
        super::entry_in_two(self, key).await
    }

    async fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(self.blob_key(digest)).await
    }

    async fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
        if self.mode == Mode::ReadOnly {
            return Err(StoreError::ReadOnly);
        }
        let digest = super::parse_digest(&record.digest).expect("records carry the digest they were built with");
        let sealed = seal(&self.key, &self.compiler, key, record);
        let mut pipe = redis::pipe();
        // The blob first: a record never names a blob that is not there yet.
        for (k, v) in [(self.blob_key(&digest), blob), (self.record_key(key), &sealed[..])] {
            let cmd = pipe.cmd("SET").arg(k).arg(v);
            if let Some(ttl) = self.ttl {
                cmd.arg("EX").arg(ttl.as_secs());
            }
            cmd.ignore();
        }
        let mut conn = self.conn.clone();
        pipe.query_async::<()>(&mut conn).await.map_err(remote)
    }

    async fn probe(&self) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(drop)
            .map_err(remote)
    }

    fn writable(&self) -> bool {
        self.mode == Mode::ReadWrite
    }

    fn location(&self) -> String {
        self.location.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_record;

    fn key() -> ClusterKey {
        ClusterKey::from_bytes(b"0123456789abcdef-cluster\n").unwrap()
    }

    #[test]
    fn sealed_records_open_only_for_their_key_compiler_and_action() {
        let record = test_record(b"machine code");
        let sealed = seal(&key(), "kcache 1 llvm 19", &[1; 32], &record);
        let opened = open(&key(), "kcache 1 llvm 19", &[1; 32], &sealed).unwrap();
        assert_eq!(opened.digest, record.digest);
        assert_eq!(opened.abi, record.abi);

        let other_key = ClusterKey::from_bytes(b"another cluster's key").unwrap();
        assert!(open(&other_key, "kcache 1 llvm 19", &[1; 32], &sealed).is_err());
        assert!(open(&key(), "kcache 2 llvm 19", &[1; 32], &sealed).is_err());
        assert!(open(&key(), "kcache 1 llvm 19", &[2; 32], &sealed).is_err());
        assert!(open(&key(), "kcache 1 llvm 19", &[1; 32], &sealed[..20]).is_err());
        // Any changed byte, in the MAC or in what it covers, fails.
        for i in [0, 31, 32, sealed.len() / 2, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open(&key(), "kcache 1 llvm 19", &[1; 32], &bad).is_err(), "byte {i}");
        }
    }

    #[test]
    fn short_cluster_keys_are_refused_and_whitespace_does_not_count() {
        assert!(ClusterKey::from_bytes(b"  short key \n").is_err());
        let a = ClusterKey::from_bytes(b"0123456789abcdef-cluster").unwrap();
        assert_eq!(a.0, key().0);
    }

    #[test]
    fn durations_and_flags() {
        assert_eq!(parse_duration("50ms"), Some(Duration::from_millis(50)));
        assert_eq!(parse_duration("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("1w"), None);
        assert_eq!(parse_duration("ms"), None);
        let mut o = RemoteOptions::default();
        o.set("--remote-mode", "read-only").unwrap();
        assert_eq!(o.mode, Mode::ReadOnly);
        assert!(o.set("--remote-mode", "write-only").is_err());
        assert!(o.set("--remote-timeout", "0ms").is_err());
        assert!(o.set("--remote-prefix", "a b").is_err());
        o.set("--remote-ttl", "1h").unwrap();
        assert_eq!(o.ttl, Some(Duration::from_secs(3600)));
    }

    #[test]
    fn locations_never_show_a_password() {
        let info = "redis://:s3cret@127.0.0.1:6390/2".into_connection_info().unwrap();
        assert_eq!(location_of(&info), "redis://127.0.0.1:6390/2");
        for url in [
            "redis://:s3cret@127.0.0.1:6390/2",
            "redis://user:s3cret@host/0",
            "redis+unix:///tmp/r.sock?db=1&pass=s3cret&user=u",
            "redis+unix://user:s3cret@/tmp/r.sock",
            "rediss://u:s3cret@",
        ] {
            let shown = redacted(url);
            assert!(!shown.contains("s3cret") && shown.contains("***"), "{url} -> {shown}");
        }
        assert_eq!(redacted("redis://127.0.0.1:6390/2"), "redis://127.0.0.1:6390/2");
        let unix = "redis+unix:///tmp/r.sock?db=1".into_connection_info().unwrap();
        assert_eq!(location_of(&unix), "redis+unix:///tmp/r.sock?db=1");
    }

    #[test]
    fn namespaces_differ_by_compiler() {
        assert_ne!(namespace("kcache 0.1.0 llvm 19.1"), namespace("kcache 0.1.1 llvm 19.1"));
        assert_eq!(namespace("x").len(), 16);
    }
}
