//! The store stand-in when the real one cannot be opened (a full disk, a damaged file system):
//! the daemon still starts and compiles, every compile answered as not stored, rather than
//! leaving every client without a daemon.

use super::*;

pub struct UnavailableStore {
    why: String,
    max_bytes: u64,
}

impl UnavailableStore {
    pub fn new(why: impl Into<String>, max_bytes: u64) -> UnavailableStore {
        UnavailableStore {
            why: why.into(),
            max_bytes,
        }
    }
}

impl ArtifactStore for UnavailableStore {
    fn get_record(&self, _key: &[u8; 32]) -> Result<RecordRead, StoreError> {
        Ok(RecordRead::Absent)
    }

    fn get_blob(&self, _digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    fn put(&self, _key: &[u8; 32], _record: &ActionRecord, _blob: &[u8]) -> Result<(), StoreError> {
        Err(StoreError::Unavailable(self.why.clone()))
    }

    fn discard_action(&self, _key: &[u8; 32]) -> Result<(), StoreError> {
        Ok(())
    }

    fn discard_blob(&self, _digest: &[u8; 32]) -> Result<(), StoreError> {
        Ok(())
    }

    fn blob_abi(&self, _digest: &[u8; 32]) -> Option<EntryAbi> {
        None
    }
}

impl Maintenance for UnavailableStore {
    fn usage(&self) -> (u64, u64) {
        (0, 0)
    }

    fn contains(&self, _key: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(false)
    }

    fn evict_action(&self, _key: &[u8; 32]) -> Result<Removed, StoreError> {
        Ok(Removed::default())
    }

    fn evict_digest(&self, _digest: &[u8; 32]) -> Result<Removed, StoreError> {
        Ok(Removed::default())
    }

    fn gc(&self, _max_bytes: u64) -> Result<Removed, StoreError> {
        Ok(Removed::default())
    }

    fn evictions(&self) -> u64 {
        0
    }

    fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    fn flush_usage(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
