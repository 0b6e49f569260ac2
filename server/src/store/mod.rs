//! The artifact store: an action cache (action key → record) and a content-addressed blob store
//! (BLAKE3 digest → shared object), as Bazel's remote cache splits them.
//!
//! Traits, so that tiers plug in where they belong:
//! - `ArtifactStore`, the data plane (`get_record`, `get_blob`, `put`): what the hit path and a
//!   compile use. Every local tier implements it (sled here, an in-memory store for tests), and so
//!   does `TieredStore`, which puts a shared tier behind a local one.
//! - `AsyncArtifactStore`, the same data plane awaited: the face of a tier reached over the
//!   network (`RedisTier`), so that a slow tier holds no runtime thread.
//! - `Maintenance`, the local tier's bookkeeping: usage, LRU eviction, gc, stats.
//!
//! `lookup` is the one verified read: every blob is re-hashed, and a record or blob that does not
//! check out is reported as corrupt, discarded and never served. The tiered read goes through the
//! same checks (`check_record`, `check_blob`), after the shared tier's own signature check.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::key::hex;
pub use crate::lower::EntryAbi;

mod memory;
pub mod remote;
mod sled_store;
pub mod tiered;
mod unavailable;

pub use memory::MemoryStore;
pub use remote::RedisTier;
pub use sled_store::{SledStore, LOW_WATER_BYTES, RESERVE_BYTES};
pub use tiered::{TierStats, TieredStore};
pub use unavailable::UnavailableStore;

/// A boxed future, for the trait methods that are awaited through `dyn`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store I/O error: {0}")]
    Sled(#[from] sled::Error),
    #[error("cannot open the store at {path}: {source}")]
    Open { path: String, source: sled::Error },
    #[error("remote tier: {0}")]
    Remote(String),
    #[error("remote tier: no answer within {0:?}")]
    Timeout(Duration),
    #[error("remote tier is read-only")]
    ReadOnly,
    #[error("no store: {0}")]
    Unavailable(String),
    #[error("the store's disk is full ({free} bytes free): not stored")]
    Full { free: u64 },
}

/// What the action cache keeps about one compile.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ActionRecord {
    pub digest: String,
    pub abi: EntryAbi,
    pub options: String,
    pub size: u64,
    pub created_ms: u64,
    pub last_used_ms: u64,
    pub hits: u64,
    pub compile_us: u64,
}

/// A record as a tier holds it.
pub enum RecordRead {
    Present(Box<ActionRecord>),
    Absent,
    /// There, but not a record (a torn write, a flipped bit): the reason.
    Unreadable(String),
}

pub enum Lookup {
    Hit(Box<ActionRecord>, Vec<u8>),
    Miss,
    /// The record or its blob was unreadable or did not hash to its digest; both were discarded.
    Corrupt(String),
}

/// The data plane every tier implements.
pub trait ArtifactStore: Send + Sync {
    fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError>;
    /// A blob's bytes as stored (`lookup` and `verified_blob` check them).
    fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores the blob and the record; returns once both are durable.
    fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError>;
    /// Forgets an action whose record or blob did not check out.
    fn discard_action(&self, key: &[u8; 32]) -> Result<(), StoreError>;
    /// Forgets a blob that did not hash to its digest.
    fn discard_blob(&self, digest: &[u8; 32]) -> Result<(), StoreError>;
    /// A hit: the tier notes the use (for LRU) and folds uses it has not written yet into `record`.
    fn note_hit(&self, key: &[u8; 32], record: &mut ActionRecord) {
        let _ = (key, record);
    }
    /// The entry ABI recorded for a blob, if any action produced it.
    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi>;
    /// After a miss here, the verified read of the tiers behind this one (a cache shared over the
    /// network): awaited, so that a slow tier never holds a runtime thread, and never an error (a
    /// tier that fails is a miss; the tier counts why). A single tier has nothing behind it.
    fn lookup_below<'a>(&'a self, key: &'a [u8; 32]) -> BoxFuture<'a, Option<Hit>> {
        let _ = key;
        Box::pin(std::future::ready(None))
    }
}

/// A verified hit: the record and the artifact's bytes.
pub struct Hit {
    pub record: Box<ActionRecord>,
    pub blob: Vec<u8>,
}

/// The data plane of a tier reached over the network, awaited. Reads and writes only: a shared
/// tier is not ours to delete from (a record one daemon cannot verify may be another's, and the
/// engine's own eviction and the next upload replace what is stale), and usage is the engine's
/// LRU. The tier in front (`TieredStore`) puts a deadline on every call.
#[async_trait::async_trait]
pub trait AsyncArtifactStore: Send + Sync {
    /// The record for an action, after the tier's own checks (a signature): a record that fails
    /// them is `Unreadable`, with the reason.
    async fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError>;
    /// A blob's bytes as stored (the caller re-hashes them).
    async fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError>;
    /// The record and the blob it names: in one round trip where the tier can (a round trip on
    /// a network costs more than anything else in a remote hit). Default: one call, then the other.
    async fn get_entry(&self, key: &[u8; 32]) -> Result<(RecordRead, Option<Vec<u8>>), StoreError> {
        entry_in_two(self, key).await
    }
    /// Stores the blob, then the record (so a record never names a blob the tier lacks).
    async fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError>;
    /// One cheap round trip: whether the tier answers now.
    async fn probe(&self) -> Result<(), StoreError>;
    /// Whether this daemon may write to the tier.
    fn writable(&self) -> bool;
    /// Where the tier is, for stats and logs (never a password).
    fn location(&self) -> String;
}

/// The local tier's bookkeeping.
pub trait Maintenance: Send + Sync {
    /// (bytes of blobs, number of actions)
    fn usage(&self) -> (u64, u64);
    /// Whether an action is stored, without touching its usage metadata.
    fn contains(&self, key: &[u8; 32]) -> Result<bool, StoreError>;
    /// Removes one action; its blob goes too when no other action uses it.
    fn evict_action(&self, key: &[u8; 32]) -> Result<Removed, StoreError>;
    /// Removes every action whose artifact has this digest, and the blob.
    fn evict_digest(&self, digest: &[u8; 32]) -> Result<Removed, StoreError>;
    /// Evicts least-recently-used actions until the blobs take at most `max_bytes`.
    fn gc(&self, max_bytes: u64) -> Result<Removed, StoreError>;
    /// Actions evicted since the store was opened.
    fn evictions(&self) -> u64;
    /// The size bound applied after every insert (`--max-size`).
    fn max_bytes(&self) -> u64;
    /// Writes the usage metadata (hit counts, last use) that hits have gathered in memory.
    fn flush_usage(&self) -> Result<(), StoreError>;
    /// The shared tier behind this store, if any: its state and counters.
    fn tier_stats(&self) -> Option<TierStats> {
        None
    }
    /// Entries found lost (damaged, incomplete, or gone from the files) when the store was
    /// opened; they were logged and dropped.
    fn lost_at_open(&self) -> u64 {
        0
    }
}

/// The local store the daemon serves from: both planes.
pub trait LocalStore: ArtifactStore + Maintenance {}

impl<T: ArtifactStore + Maintenance> LocalStore for T {}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub actions: u64,
    pub bytes: u64,
}

/// `get_entry` as two calls: the record, then the blob it names (if it names one).
pub async fn entry_in_two<T: AsyncArtifactStore + ?Sized>(
    tier: &T,
    key: &[u8; 32],
) -> Result<(RecordRead, Option<Vec<u8>>), StoreError> {
    let read = tier.get_record(key).await?;
    let blob = match &read {
        RecordRead::Present(r) => match parse_digest(&r.digest) {
            Some(digest) => tier.get_blob(&digest).await?,
            None => None,
        },
        _ => None,
    };
    Ok((read, blob))
}

/// Why a record or blob from a tier is not served.
pub enum Rejected {
    /// Bytes that are not a record (torn, flipped, or failing the tier's signature check).
    Record(String),
    /// The record names its blob by something that is not a digest.
    Digest,
    /// The blob does not hash to the digest its record names.
    Blob,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::Record(why) => write!(f, "unreadable action record: {why}"),
            Rejected::Digest => f.write_str("action record with a malformed digest"),
            Rejected::Blob => f.write_str("blob does not hash to its digest"),
        }
    }
}

/// A readable record and the digest it names.
pub type Named = (Box<ActionRecord>, [u8; 32]);

/// The first half of every verified read: a present, readable record, and the digest it names.
/// `Ok(None)`: absent.
pub fn check_record(read: RecordRead) -> Result<Option<Named>, Rejected> {
    let record = match read {
        RecordRead::Absent => return Ok(None),
        RecordRead::Present(r) => r,
        RecordRead::Unreadable(why) => return Err(Rejected::Record(why)),
    };
    let digest = parse_digest(&record.digest).ok_or(Rejected::Digest)?;
    Ok(Some((record, digest)))
}

/// The second half: the blob's bytes hash to the digest the record names.
pub fn check_blob(digest: &[u8; 32], blob: &[u8]) -> Result<(), Rejected> {
    if blake3::hash(blob).as_bytes() != digest {
        return Err(Rejected::Blob);
    }
    Ok(())
}

/// The verified read of an action and its artifact.
pub fn lookup(store: &dyn ArtifactStore, key: &[u8; 32]) -> Result<Lookup, StoreError> {
    let (mut record, digest) = match check_record(store.get_record(key)?) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(Lookup::Miss),
        Err(why) => {
            store.discard_action(key)?;
            return Ok(Lookup::Corrupt(why.to_string()));
        }
    };
    let Some(blob) = store.get_blob(&digest)? else {
        store.discard_action(key)?;
        return Ok(Lookup::Corrupt(format!("blob {} is missing", record.digest)));
    };
    if check_blob(&digest, &blob).is_err() {
        store.discard_blob(&digest)?;
        store.discard_action(key)?;
        return Ok(Lookup::Corrupt(format!(
            "blob {} does not hash to its digest",
            record.digest
        )));
    }
    store.note_hit(key, &mut record);
    Ok(Lookup::Hit(record, blob))
}

/// A blob by digest, verified; `None` when absent or corrupt (a corrupt one is discarded).
pub fn verified_blob(store: &dyn ArtifactStore, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(blob) = store.get_blob(digest)? else {
        return Ok(None);
    };
    if check_blob(digest, &blob).is_err() {
        store.discard_blob(digest)?;
        return Ok(None);
    }
    Ok(Some(blob))
}

/// Default store bound: 2 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 2 << 30;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub fn parse_digest(hex_digest: &str) -> Option<[u8; 32]> {
    if hex_digest.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in hex_digest.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

pub fn digest_hex(blob: &[u8]) -> String {
    hex(blake3::hash(blob).as_bytes())
}

#[cfg(test)]
pub(crate) fn test_record(blob: &[u8]) -> ActionRecord {
    ActionRecord {
        digest: digest_hex(blob),
        abi: EntryAbi {
            typed_symbol: "t".into(),
            generic_symbol: "g".into(),
            signature: "s".into(),
            arg_types: vec![],
            return_type: "none".into(),
            written_args: vec![],
        },
        options: String::new(),
        size: blob.len() as u64,
        created_ms: 1,
        last_used_ms: 1,
        hits: 0,
        compile_us: 0,
    }
}
