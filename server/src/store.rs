//! The artifact store: an action cache (action key → record) and a content-addressed blob store
//! (BLAKE3 digest → shared object), as Bazel's remote cache splits them. Every blob is re-hashed
//! on read: a mismatch or an unreadable record is reported as corrupt, removed, and never served.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

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
}

pub struct SledStore {
    db: sled::Db,
    actions: sled::Tree,
    blobs: sled::Tree,
}

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
        Ok(SledStore { db, actions, blobs })
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
            self.blobs.remove(digest)?;
            self.remove_action(key)?;
            return Ok(Lookup::Corrupt(format!(
                "blob {} does not hash to its digest",
                record.digest
            )));
        }
        record.hits += 1;
        record.last_used_ms = now_ms();
        // Usage metadata is best effort: losing a hit count never loses an artifact.
        if let Ok(bytes) = serde_json::to_vec(&record) {
            let _ = self.actions.insert(key, bytes);
        }
        Ok(Lookup::Hit(Box::new(record), blob.to_vec()))
    }

    fn insert(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
        let digest = parse_digest(&record.digest).expect("records carry the digest they were built with");
        self.blobs.insert(digest, blob)?;
        let bytes = serde_json::to_vec(record).expect("records serialise");
        self.actions.insert(key, bytes)?;
        self.db.flush()?;
        Ok(())
    }

    fn blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(blob) = self.blobs.get(digest)? else {
            return Ok(None);
        };
        if blake3::hash(&blob).as_bytes() != digest {
            self.blobs.remove(digest)?;
            return Ok(None);
        }
        Ok(Some(blob.to_vec()))
    }

    fn usage(&self) -> (u64, u64) {
        let bytes = self
            .blobs
            .iter()
            .values()
            .filter_map(|v| v.ok())
            .map(|v| v.len() as u64)
            .sum();
        (bytes, self.actions.len() as u64)
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
}
