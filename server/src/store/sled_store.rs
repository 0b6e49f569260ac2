//! The local tier: sled, the stable 0.34 line. Three trees: actions (key → record), blobs
//! (digest → shared object) and abis (digest → entry ABI, for fetches by digest).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::*;

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
    fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError> {
        let Some(raw) = self.actions.get(key)? else {
            return Ok(RecordRead::Absent);
        };
        Ok(match serde_json::from_slice(&raw) {
            Ok(r) => RecordRead::Present(Box::new(r)),
            Err(e) => RecordRead::Unreadable(e.to_string()),
        })
    }

    fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.blobs.get(digest)?.map(|b| b.to_vec()))
    }

    fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
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

    fn discard_action(&self, key: &[u8; 32]) -> Result<(), StoreError> {
        self.actions.remove(key)?;
        Ok(())
    }

    fn discard_blob(&self, digest: &[u8; 32]) -> Result<(), StoreError> {
        self.remove_blob(digest).map(drop)
    }

    /// A hit is a read: its usage is kept in memory and written by `flush_usage`.
    fn note_hit(&self, key: &[u8; 32], record: &mut ActionRecord) {
        let usage = {
            let mut pending = self.pending();
            let usage = pending.entry(*key).or_default();
            usage.hits += 1;
            usage.last_used_ms = now_ms();
            *usage
        };
        record.hits += usage.hits;
        record.last_used_ms = record.last_used_ms.max(usage.last_used_ms);
    }

    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi> {
        let raw = self.abis.get(digest).ok()??;
        serde_json::from_slice(&raw).ok()
    }
}

impl Maintenance for SledStore {
    fn usage(&self) -> (u64, u64) {
        (self.bytes.load(Ordering::Relaxed), self.actions.len() as u64)
    }

    fn contains(&self, key: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.actions.contains_key(key)?)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_record as record;

    #[test]
    fn round_trip_and_persistence() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        {
            let s = SledStore::open(dir.path()).unwrap();
            s.put(&key, &record(b"hello"), b"hello").unwrap();
        }
        let s = SledStore::open(dir.path()).unwrap();
        match lookup(&s, &key).unwrap() {
            Lookup::Hit(r, b) => {
                assert_eq!(b, b"hello");
                assert_eq!(r.hits, 1);
            }
            _ => panic!("expected a hit"),
        }
        assert!(matches!(lookup(&s, &[0u8; 32]).unwrap(), Lookup::Miss));
    }

    #[test]
    fn corrupt_blob_is_removed_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let s = SledStore::open(dir.path()).unwrap();
        let key = [1u8; 32];
        let rec = record(b"machine code");
        s.put(&key, &rec, b"machine code").unwrap();
        assert!(s.corrupt_blob_for_test(&parse_digest(&rec.digest).unwrap()).unwrap());
        assert!(matches!(lookup(&s, &key).unwrap(), Lookup::Corrupt(_)));
        assert!(matches!(lookup(&s, &key).unwrap(), Lookup::Miss));
    }

    #[test]
    fn bounded_store_evicts_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let s = SledStore::open_bounded(dir.path(), 2500).unwrap();
        for i in 0..3u8 {
            let blob = vec![i; 1000];
            let mut r = record(&blob);
            r.last_used_ms = i as u64;
            s.put(&[i; 32], &r, &blob).unwrap();
        }
        // 3000 bytes > 2500: the oldest went, leaving the store under 90% of the bound.
        assert!(s.usage().0 <= 2250, "{:?}", s.usage());
        assert!(matches!(lookup(&s, &[0; 32]).unwrap(), Lookup::Miss));
        assert!(matches!(lookup(&s, &[2; 32]).unwrap(), Lookup::Hit(..)));
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
            s.put(&[7; 32], &record(&blob), &blob).unwrap();
            for expected in 1..=3 {
                match lookup(&s, &[7; 32]).unwrap() {
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
            s.put(&[i; 32], &r, &blob).unwrap();
        }
        // Entry 0 is the older one on disk, but it is the one used last.
        assert!(matches!(lookup(&s, &[0; 32]).unwrap(), Lookup::Hit(..)));
        let blob = vec![9u8; 1000];
        let mut newest = record(&blob);
        newest.last_used_ms = now_ms();
        s.put(&[9; 32], &newest, &blob).unwrap();
        assert!(matches!(lookup(&s, &[0; 32]).unwrap(), Lookup::Hit(..)));
        assert!(matches!(lookup(&s, &[1; 32]).unwrap(), Lookup::Miss));
    }
}
