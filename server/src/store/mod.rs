//! The artifact store: an action cache (action key → record) and a content-addressed blob store
//! (BLAKE3 digest → shared object), as Bazel's remote cache splits them.
//!
//! Two traits, so that tiers plug in where they belong:
//! - `ArtifactStore`, the data plane (`get_record`, `get_blob`, `put`): what the hit path and a
//!   compile use. Every tier implements it (sled here, an in-memory store for tests, a shared
//!   remote tier later).
//! - `Maintenance`, the local tier's bookkeeping: usage, LRU eviction, gc, stats.
//!
//! `lookup` is the one verified read: every blob is re-hashed, and a record or blob that does not
//! check out is reported as corrupt, discarded and never served.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::key::hex;
pub use crate::lower::EntryAbi;

mod memory;
mod sled_store;

pub use memory::MemoryStore;
pub use sled_store::SledStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store I/O error: {0}")]
    Sled(#[from] sled::Error),
    #[error("cannot open the store at {path}: {source}")]
    Open { path: String, source: sled::Error },
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
}

/// The local store the daemon serves from: both planes.
pub trait LocalStore: ArtifactStore + Maintenance {}

impl<T: ArtifactStore + Maintenance> LocalStore for T {}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub actions: u64,
    pub bytes: u64,
}

/// The verified read of an action and its artifact.
pub fn lookup(store: &dyn ArtifactStore, key: &[u8; 32]) -> Result<Lookup, StoreError> {
    let mut record = match store.get_record(key)? {
        RecordRead::Absent => return Ok(Lookup::Miss),
        RecordRead::Present(r) => r,
        RecordRead::Unreadable(why) => {
            store.discard_action(key)?;
            return Ok(Lookup::Corrupt(format!("unreadable action record: {why}")));
        }
    };
    let Some(digest) = parse_digest(&record.digest) else {
        store.discard_action(key)?;
        return Ok(Lookup::Corrupt("action record with a malformed digest".into()));
    };
    let Some(blob) = store.get_blob(&digest)? else {
        store.discard_action(key)?;
        return Ok(Lookup::Corrupt(format!("blob {} is missing", record.digest)));
    };
    if blake3::hash(&blob).as_bytes() != &digest {
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
    if blake3::hash(&blob).as_bytes() != digest {
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
