//! The artifact store: an action cache (action key → record) and a content-addressed blob store
//! (BLAKE3 digest → shared object), as Bazel's remote cache splits them. Every blob is re-hashed
//! on read: a mismatch or an unreadable record is reported as corrupt, removed, and never served.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::compile::EntryAbi;
use crate::key::hex;

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

pub enum Lookup {
    Hit(Box<ActionRecord>, Vec<u8>),
    Miss,
    /// The record or its blob was unreadable or did not hash to its digest; both were removed.
    Corrupt(String),
}

/// Storage behind one interface, so a remote or tiered store can stand in for sled.
pub trait ArtifactStore: Send + Sync {
    fn lookup(&self, key: &[u8; 32]) -> Result<Lookup, StoreError>;
    /// Stores the blob and the record; returns once both are durable.
    fn insert(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError>;
    /// A blob by digest, verified; `None` when absent or corrupt (corrupt ones are removed).
    fn blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError>;
    /// (bytes of blobs, number of actions)
    fn usage(&self) -> (u64, u64);
    /// Whether an action is stored, without touching its usage metadata.
    fn lookup_quiet(&self, key: &[u8; 32]) -> Result<bool, StoreError>;
    /// The entry ABI recorded for a blob, if any action produced it.
    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi>;
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub actions: u64,
    pub bytes: u64,
}

pub struct SledStore {
    db: sled::Db,
    actions: sled::Tree,
    blobs: sled::Tree,
    /// digest → the EntryAbi of the artifact (for GetArtifact / kc_fetch).
    abis: sled::Tree,
    bytes: AtomicU64,
    evictions: AtomicU64,
    max_bytes: u64,
    /// Serialises inserts against eviction, so a blob is never removed under a new action.
    maintenance: Mutex<()>,
    /// Usage gathered by hits since the last `flush_usage`: a hit is a read, and writing its
    /// metadata back to sled on every hit made each one a write (log append, later compaction).
    pending_usage: Mutex<HashMap<[u8; 32], Usage>>,
}

#[derive(Clone, Copy, Default)]
struct Usage {
    hits: u64,
    last_used_ms: u64,
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

impl SledStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_bounded(path, DEFAULT_MAX_BYTES)
    }

    pub fn open_bounded(path: &Path, max_bytes: u64) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(path)
            .mode(sled::Mode::HighThroughput)
            .open()
            .map_err(|source| StoreError::Open {
                path: path.display().to_string(),
                source,
            })?;
        let actions = db.open_tree("actions")?;
        let blobs = db.open_tree("blobs")?;
        let abis = db.open_tree("abis")?;
        let bytes = blobs
            .iter()
            .values()
            .filter_map(|v| v.ok())
            .map(|v| v.len() as u64)
            .sum();
        Ok(SledStore {
            db,
            actions,
            blobs,
            abis,
            bytes: AtomicU64::new(bytes),
            evictions: AtomicU64::new(0),
            max_bytes,
            maintenance: Mutex::new(()),
            pending_usage: Mutex::new(HashMap::new()),
        })
    }

    fn pending(&self) -> MutexGuard<'_, HashMap<[u8; 32], Usage>> {
        self.pending_usage.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn remove_blob(&self, digest: &[u8]) -> Result<u64, StoreError> {
        self.abis.remove(digest)?;
        match self.blobs.remove(digest)? {
            Some(old) => {
                self.bytes.fetch_sub(old.len() as u64, Ordering::Relaxed);
                Ok(old.len() as u64)
            }
            None => Ok(0),
        }
    }

    fn records(&self) -> Vec<(sled::IVec, ActionRecord)> {
        self.actions
            .iter()
            .filter_map(|kv| kv.ok())
            .filter_map(|(k, v)| serde_json::from_slice::<ActionRecord>(&v).ok().map(|r| (k, r)))
            .collect()
    }

    /// Removes the actions with the given keys; blobs no remaining action uses go too.
    fn remove_actions(&self, keys: &[sled::IVec]) -> Result<Removed, StoreError> {
        let mut removed = Removed::default();
        let mut digests = std::collections::BTreeSet::new();
        for k in keys {
            if let Some(v) = self.actions.remove(k)? {
                removed.actions += 1;
                if let Ok(r) = serde_json::from_slice::<ActionRecord>(&v) {
                    digests.insert(r.digest);
                }
            }
        }
        if digests.is_empty() {
            return Ok(removed);
        }
        let still_used: std::collections::BTreeSet<String> =
            self.records().into_iter().map(|(_, r)| r.digest).collect();
        for d in digests.difference(&still_used) {
            if let Some(digest) = parse_digest(d) {
                removed.bytes += self.remove_blob(&digest)?;
            }
        }
        self.evictions.fetch_add(removed.actions, Ordering::Relaxed);
        self.db.flush()?;
        Ok(removed)
    }

    fn gc_locked(&self, max_bytes: u64) -> Result<Removed, StoreError> {
        let mut total = Removed::default();
        if self.bytes.load(Ordering::Relaxed) <= max_bytes {
            return Ok(total);
        }
        // Least recently used must see the latest uses.
        self.flush_usage()?;
        let mut records = self.records();
        let mut users: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (_, r) in &records {
            *users.entry(r.digest.clone()).or_default() += 1;
        }
        // Least recently used first, one action at a time, until under the bound.
        records.sort_by_key(|(_, r)| r.last_used_ms);
        for (key, record) in records {
            if self.bytes.load(Ordering::Relaxed) <= max_bytes {
                break;
            }
            if self.actions.remove(&key)?.is_none() {
                continue;
            }
            total.actions += 1;
            self.evictions.fetch_add(1, Ordering::Relaxed);
            let left = users.get_mut(&record.digest).map(|n| {
                *n -= 1;
                *n
            });
            if left == Some(0) {
                if let Some(digest) = parse_digest(&record.digest) {
                    total.bytes += self.remove_blob(&digest)?;
                }
            }
        }
        self.db.flush()?;
        Ok(total)
    }

    fn remove_action(&self, key: &[u8; 32]) -> Result<(), StoreError> {
        self.actions.remove(key)?;
        Ok(())
    }

    /// Test hook: overwrite a stored blob's bytes in place.
    pub fn corrupt_blob_for_test(&self, digest: &[u8; 32]) -> Result<bool, StoreError> {
        match self.blobs.get(digest)? {
            Some(bytes) => {
                let mut v = bytes.to_vec();
                let mid = v.len() / 2;
                v[mid] ^= 0xff;
                self.blobs.insert(digest, v)?;
                self.db.flush()?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl ArtifactStore for SledStore {
    fn lookup(&self, key: &[u8; 32]) -> Result<Lookup, StoreError> {
        let Some(raw) = self.actions.get(key)? else {
            return Ok(Lookup::Miss);
        };
        let mut record: ActionRecord = match serde_json::from_slice(&raw) {
            Ok(r) => r,
            Err(e) => {
                self.remove_action(key)?;
                return Ok(Lookup::Corrupt(format!("unreadable action record: {e}")));
            }
        };
        let Some(digest) = parse_digest(&record.digest) else {
            self.remove_action(key)?;
            return Ok(Lookup::Corrupt("action record with a malformed digest".into()));
        };
        let Some(blob) = self.blobs.get(digest)? else {
            self.remove_action(key)?;
            return Ok(Lookup::Corrupt(format!("blob {} is missing", record.digest)));
        };
        if blake3::hash(&blob).as_bytes() != &digest {
            self.remove_blob(&digest)?;
            self.remove_action(key)?;
            return Ok(Lookup::Corrupt(format!(
                "blob {} does not hash to its digest",
                record.digest
            )));
        }
        let usage = {
            let mut pending = self.pending();
            let usage = pending.entry(*key).or_default();
            usage.hits += 1;
            usage.last_used_ms = now_ms();
            *usage
        };
        record.hits += usage.hits;
        record.last_used_ms = record.last_used_ms.max(usage.last_used_ms);
        Ok(Lookup::Hit(Box::new(record), blob.to_vec()))
    }

    fn insert(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
        let digest = parse_digest(&record.digest).expect("records carry the digest they were built with");
        let _guard = self.maintenance.lock().unwrap_or_else(|e| e.into_inner());
        if self.blobs.insert(digest, blob)?.is_none() {
            self.bytes.fetch_add(blob.len() as u64, Ordering::Relaxed);
        }
        self.abis
            .insert(digest, serde_json::to_vec(&record.abi).expect("ABI serialises"))?;
        let bytes = serde_json::to_vec(record).expect("records serialise");
        self.actions.insert(key, bytes)?;
        self.db.flush()?;
        if self.bytes.load(Ordering::Relaxed) > self.max_bytes {
            // Trim below the bound (to 90%), so that eviction is not paid on every insert.
            self.gc_locked(self.max_bytes / 10 * 9)?;
        }
        Ok(())
    }

    fn blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(blob) = self.blobs.get(digest)? else {
            return Ok(None);
        };
        if blake3::hash(&blob).as_bytes() != digest {
            self.remove_blob(digest)?;
            return Ok(None);
        }
        Ok(Some(blob.to_vec()))
    }

    fn usage(&self) -> (u64, u64) {
        (self.bytes.load(Ordering::Relaxed), self.actions.len() as u64)
    }

    fn lookup_quiet(&self, key: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.actions.contains_key(key)?)
    }

    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi> {
        let raw = self.abis.get(digest).ok()??;
        serde_json::from_slice(&raw).ok()
    }

    fn evict_action(&self, key: &[u8; 32]) -> Result<Removed, StoreError> {
        let _guard = self.maintenance.lock().unwrap_or_else(|e| e.into_inner());
        self.remove_actions(&[sled::IVec::from(&key[..])])
    }

    fn evict_digest(&self, digest: &[u8; 32]) -> Result<Removed, StoreError> {
        let _guard = self.maintenance.lock().unwrap_or_else(|e| e.into_inner());
        let hex_digest = hex(digest);
        let keys: Vec<sled::IVec> = self
            .records()
            .into_iter()
            .filter(|(_, r)| r.digest == hex_digest)
            .map(|(k, _)| k)
            .collect();
        let mut removed = self.remove_actions(&keys)?;
        removed.bytes += self.remove_blob(digest)?;
        Ok(removed)
    }

    fn gc(&self, max_bytes: u64) -> Result<Removed, StoreError> {
        let _guard = self.maintenance.lock().unwrap_or_else(|e| e.into_inner());
        self.gc_locked(max_bytes)
    }

    fn evictions(&self) -> u64 {
        self.evictions.load(Ordering::Relaxed)
    }

    fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Usage metadata is best effort: a record that is gone or unreadable is skipped, and
    /// losing a few seconds of hit counts (a crash) never loses an artifact.
    fn flush_usage(&self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.pending());
        if pending.is_empty() {
            return Ok(());
        }
        for (key, usage) in pending {
            let Some(raw) = self.actions.get(key)? else { continue };
            let Ok(mut record) = serde_json::from_slice::<ActionRecord>(&raw) else {
                continue;
            };
            record.hits += usage.hits;
            record.last_used_ms = record.last_used_ms.max(usage.last_used_ms);
            // Only if the record is still the one read: an insert or eviction in between wins.
            let updated = serde_json::to_vec(&record).expect("records serialise");
            let _ = self.actions.compare_and_swap(key, Some(raw), Some(updated))?;
        }
        self.db.flush()?;
        Ok(())
    }
}

pub fn digest_hex(blob: &[u8]) -> String {
    hex(blake3::hash(blob).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(blob: &[u8]) -> ActionRecord {
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

    #[test]
    fn round_trip_and_persistence() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        {
            let s = SledStore::open(dir.path()).unwrap();
            s.insert(&key, &record(b"hello"), b"hello").unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        match s.lookup(&key).unwrap() {
            Lookup::Hit(r, b) => {
                assert_eq!(b, b"hello");
                assert_eq!(r.hits, 1);
            }
            _ => panic!("expected a hit"),
        }
        assert!(matches!(s.lookup(&[0u8; 32]).unwrap(), Lookup::Miss));
    }

    #[test]
    fn corrupt_blob_is_removed_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let s = SledStore::open(dir.path()).unwrap();
        let key = [1u8; 32];
        let rec = record(b"machine code");
        s.insert(&key, &rec, b"machine code").unwrap();
        assert!(s.corrupt_blob_for_test(&parse_digest(&rec.digest).unwrap()).unwrap());
        assert!(matches!(s.lookup(&key).unwrap(), Lookup::Corrupt(_)));
        assert!(matches!(s.lookup(&key).unwrap(), Lookup::Miss));
    }

    #[test]
    fn bounded_store_evicts_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let s = SledStore::open_bounded(dir.path(), 2500).unwrap();
        for i in 0..3u8 {
            let blob = vec![i; 1000];
            let mut r = record(&blob);
            r.last_used_ms = i as u64;
            s.insert(&[i; 32], &r, &blob).unwrap();
        }
        // 3000 bytes > 2500: the oldest went, leaving the store under 90% of the bound.
        assert!(s.usage().0 <= 2250, "{:?}", s.usage());
        assert!(matches!(s.lookup(&[0; 32]).unwrap(), Lookup::Miss));
        assert!(matches!(s.lookup(&[2; 32]).unwrap(), Lookup::Hit(..)));
        assert!(s.evictions() >= 1);
        let removed = s.gc(0).unwrap();
        assert!(removed.actions >= 1);
        assert_eq!(s.usage(), (0, 0));
    }

    /// Hits are counted in memory and reach the store on `flush_usage`, and survive a reopen.
    #[test]
    fn hit_usage_is_written_on_flush() {
        let dir = tempfile::tempdir().unwrap();
        let blob = b"shared object bytes".to_vec();
        {
            let s = SledStore::open(dir.path()).unwrap();
            s.insert(&[7; 32], &record(&blob), &blob).unwrap();
            for expected in 1..=3 {
                match s.lookup(&[7; 32]).unwrap() {
                    Lookup::Hit(r, _) => assert_eq!(r.hits, expected),
                    _ => panic!("expected a hit"),
                }
            }
            let stored: ActionRecord = serde_json::from_slice(&s.actions.get([7; 32]).unwrap().unwrap()).unwrap();
            assert_eq!(stored.hits, 0, "a hit wrote to the store");
            s.flush_usage().unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        let stored: ActionRecord = serde_json::from_slice(&s.actions.get([7; 32]).unwrap().unwrap()).unwrap();
        assert_eq!(stored.hits, 3);
        assert!(stored.last_used_ms >= stored.created_ms);
    }

    /// Eviction sees the uses that are still in memory: the entry hit last stays.
    #[test]
    fn eviction_counts_hits_not_yet_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let s = SledStore::open_bounded(dir.path(), 2500).unwrap();
        for i in 0..2u8 {
            let blob = vec![i; 1000];
            let mut r = record(&blob);
            r.last_used_ms = 1 + i as u64;
            s.insert(&[i; 32], &r, &blob).unwrap();
        }
        // Entry 0 is the older one on disk, but it is the one used last.
        assert!(matches!(s.lookup(&[0; 32]).unwrap(), Lookup::Hit(..)));
        let blob = vec![9u8; 1000];
        let mut newest = record(&blob);
        newest.last_used_ms = now_ms();
        s.insert(&[9; 32], &newest, &blob).unwrap();
        assert!(matches!(s.lookup(&[0; 32]).unwrap(), Lookup::Hit(..)));
        assert!(matches!(s.lookup(&[1; 32]).unwrap(), Lookup::Miss));
    }
}
