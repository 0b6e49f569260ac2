//! An in-memory store: the service's tests run against it (no disk, no sled), and it is the
//! smallest example of a tier.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::*;

#[derive(Default)]
struct Contents {
    actions: HashMap<[u8; 32], ActionRecord>,
    blobs: HashMap<[u8; 32], Vec<u8>>,
}

pub struct MemoryStore {
    contents: Mutex<Contents>,
    evictions: AtomicU64,
    max_bytes: u64,
}

impl MemoryStore {
    pub fn new(max_bytes: u64) -> Self {
        MemoryStore {
            contents: Mutex::new(Contents::default()),
            evictions: AtomicU64::new(0),
            max_bytes,
        }
    }

    fn contents(&self) -> MutexGuard<'_, Contents> {
        self.contents.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bytes(c: &Contents) -> u64 {
        c.blobs.values().map(|b| b.len() as u64).sum()
    }

    /// Removes the actions `keys` and the blobs no remaining action uses.
    fn remove(&self, c: &mut Contents, keys: &[[u8; 32]]) -> Removed {
        let mut removed = Removed::default();
        for k in keys {
            if c.actions.remove(k).is_some() {
                removed.actions += 1;
            }
        }
        let used: std::collections::HashSet<String> = c.actions.values().map(|r| r.digest.clone()).collect();
        c.blobs.retain(|d, b| {
            let keep = used.contains(&hex(d));
            if !keep {
                removed.bytes += b.len() as u64;
            }
            keep
        });
        self.evictions.fetch_add(removed.actions, Ordering::Relaxed);
        removed
    }
}

impl ArtifactStore for MemoryStore {
    fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError> {
        Ok(match self.contents().actions.get(key) {
            Some(r) => RecordRead::Present(Box::new(r.clone())),
            None => RecordRead::Absent,
        })
    }

    fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.contents().blobs.get(digest).cloned())
    }

    fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
        let digest = parse_digest(&record.digest).expect("records carry the digest they were built with");
        let mut c = self.contents();
        c.blobs.insert(digest, blob.to_vec());
        c.actions.insert(*key, record.clone());
        if Self::bytes(&c) > self.max_bytes {
            drop(c);
            self.gc(self.max_bytes / 10 * 9)?;
        }
        Ok(())
    }

    fn discard_action(&self, key: &[u8; 32]) -> Result<(), StoreError> {
        self.contents().actions.remove(key);
        Ok(())
    }

    fn discard_blob(&self, digest: &[u8; 32]) -> Result<(), StoreError> {
        self.contents().blobs.remove(digest);
        Ok(())
    }

    fn note_hit(&self, key: &[u8; 32], record: &mut ActionRecord) {
        if let Some(stored) = self.contents().actions.get_mut(key) {
            stored.hits += 1;
            stored.last_used_ms = now_ms();
            record.hits = stored.hits;
            record.last_used_ms = stored.last_used_ms;
        }
    }

    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi> {
        let digest = hex(digest);
        let c = self.contents();
        c.actions.values().find(|r| r.digest == digest).map(|r| r.abi.clone())
    }
}

impl Maintenance for MemoryStore {
    fn usage(&self) -> (u64, u64) {
        let c = self.contents();
        (Self::bytes(&c), c.actions.len() as u64)
    }

    fn contains(&self, key: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.contents().actions.contains_key(key))
    }

    fn evict_action(&self, key: &[u8; 32]) -> Result<Removed, StoreError> {
        let mut c = self.contents();
        Ok(self.remove(&mut c, &[*key]))
    }

    fn evict_digest(&self, digest: &[u8; 32]) -> Result<Removed, StoreError> {
        let digest = hex(digest);
        let mut c = self.contents();
        let keys: Vec<[u8; 32]> = c
            .actions
            .iter()
            .filter(|(_, r)| r.digest == digest)
            .map(|(k, _)| *k)
            .collect();
        Ok(self.remove(&mut c, &keys))
    }

    fn gc(&self, max_bytes: u64) -> Result<Removed, StoreError> {
        let mut c = self.contents();
        let mut order: Vec<([u8; 32], u64)> = c.actions.iter().map(|(k, r)| (*k, r.last_used_ms)).collect();
        order.sort_by_key(|(_, used)| *used);
        let mut total = Removed::default();
        for (key, _) in order {
            if Self::bytes(&c) <= max_bytes {
                break;
            }
            let r = self.remove(&mut c, &[key]);
            total.actions += r.actions;
            total.bytes += r.bytes;
        }
        Ok(total)
    }

    fn evictions(&self) -> u64 {
        self.evictions.load(Ordering::Relaxed)
    }

    fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    fn flush_usage(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_record;

    #[test]
    fn verified_reads_and_lru_bound() {
        let s = MemoryStore::new(2500);
        for i in 0..3u8 {
            let blob = vec![i; 1000];
            let mut r = test_record(&blob);
            r.last_used_ms = i as u64;
            s.put(&[i; 32], &r, &blob).unwrap();
        }
        assert!(s.usage().0 <= 2250);
        assert!(matches!(lookup(&s, &[0; 32]).unwrap(), Lookup::Miss));
        assert!(matches!(lookup(&s, &[2; 32]).unwrap(), Lookup::Hit(..)));
        // A blob that no longer hashes to its digest is discarded, never served.
        let digest = parse_digest(&test_record(&[2u8; 1000]).digest).unwrap();
        s.contents().blobs.insert(digest, vec![9; 1000]);
        assert!(matches!(lookup(&s, &[2; 32]).unwrap(), Lookup::Corrupt(_)));
        assert!(matches!(lookup(&s, &[2; 32]).unwrap(), Lookup::Miss));
    }
}
