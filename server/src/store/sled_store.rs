//! The local tier: sled, the stable 0.34 line. Three trees: actions (key → record), blobs
//! (digest → shared object) and abis (digest → entry ABI, for fetches by digest).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

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
    /// The file that remembers how many actions the store held (see `audit`).
    manifest: PathBuf,
    /// The count last written there.
    manifest_count: AtomicU64,
    /// Entries were added since the manifest was written (counting them walks the tree).
    manifest_dirty: std::sync::atomic::AtomicBool,
    lost_at_open: u64,
    /// The reserve file (see `RESERVE_BYTES`).
    reserve: PathBuf,
    /// Refusing new entries for want of disk space.
    full: std::sync::atomic::AtomicBool,
}

/// Sled treats a failed write as fatal (it poisons the database until it is reopened), so it must
/// never meet a full disk. New entries are refused while the file system has less than
/// `LOW_WATER_BYTES` free; and a reserve file of `RESERVE_BYTES`, kept beside sled's, is deleted
/// when that happens, so that the writes of eviction, gc and usage metadata still have room.
pub const RESERVE_BYTES: u64 = 16 << 20;
pub const LOW_WATER_BYTES: u64 = 16 << 20;
const RESERVE: &str = "kcache-reserve";

/// Beside sled's files: the number of actions, written after every removal and every few
/// seconds. Sled recovers a damaged or truncated log by dropping what follows the damage, without
/// a word; a count on reopen below this one is how such losses become visible.
const MANIFEST: &str = "kcache-entries";

/// How long opening waits for the store's file lock to be released.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// Opens sled, waiting a little for its file lock: a store that was just closed, in this
/// process or by a daemon that is exiting, can hold the lock for some milliseconds after the
/// drop (sled's background threads release it last), and a restart must not fail on that.
fn open_db(path: &Path) -> Result<sled::Db, sled::Error> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match sled::Config::new().path(path).mode(sled::Mode::HighThroughput).open() {
            Err(sled::Error::Io(e)) if is_lock_contention(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            opened => return opened,
        }
    }
}

/// Sled reports a held lock only in its message (an `Other` error naming the lock).
fn is_lock_contention(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Other && e.to_string().contains("could not acquire lock")
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
        let db = open_db(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let actions = db.open_tree("actions")?;
        let blobs = db.open_tree("blobs")?;
        let abis = db.open_tree("abis")?;
        let lost_at_open = audit(&actions, &blobs, &path.join(MANIFEST));
        let bytes = blobs
            .iter()
            .values()
            .filter_map(|v| v.ok())
            .map(|v| v.len() as u64)
            .sum();
        let store = SledStore {
            db,
            actions,
            blobs,
            abis,
            bytes: AtomicU64::new(bytes),
            evictions: AtomicU64::new(0),
            max_bytes,
            maintenance: Mutex::new(()),
            pending_usage: Mutex::new(HashMap::new()),
            manifest: path.join(MANIFEST),
            manifest_count: AtomicU64::new(u64::MAX),
            manifest_dirty: std::sync::atomic::AtomicBool::new(true),
            lost_at_open,
            reserve: path.join(RESERVE),
            full: std::sync::atomic::AtomicBool::new(false),
        };
        store.write_manifest();
        let _ = store.room_for_new_entries();
        Ok(store)
    }

    /// Free bytes for us on the store's file system.
    fn free_bytes(&self) -> Option<u64> {
        let dir = std::ffi::CString::new(self.manifest.parent()?.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: statvfs writes into the struct we give it; the path is NUL-terminated.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(dir.as_ptr(), &mut st) } != 0 {
            return None;
        }
        Some(st.f_bavail as u64 * st.f_frsize as u64)
    }

    /// Whether a new entry may be written: refuses (and releases the reserve) when the disk is
    /// nearly full, and keeps the reserve in place while there is room.
    fn room_for_new_entries(&self) -> Result<(), StoreError> {
        let Some(free) = self.free_bytes() else {
            return Ok(());
        };
        // Once full, stay so until the released reserve's worth is free again on top of the
        // low-water mark: the reserve is room for maintenance, not for more entries.
        let needed = if self.full.load(Ordering::Relaxed) {
            LOW_WATER_BYTES + RESERVE_BYTES
        } else {
            LOW_WATER_BYTES
        };
        if free < needed {
            let released = std::fs::remove_file(&self.reserve).is_ok();
            if !self.full.swap(true, Ordering::Relaxed) {
                tracing::error!(
                    free,
                    released_reserve = released,
                    "the store's disk is full: new compiles are served but not stored until space is freed"
                );
            }
            return Err(StoreError::Full { free });
        }
        if self.full.swap(false, Ordering::Relaxed) {
            tracing::warn!(free, "the store's disk has room again: compiles are stored again");
        }
        if free > RESERVE_BYTES + 2 * LOW_WATER_BYTES && !self.reserve.exists() {
            let made = std::fs::File::create(&self.reserve).and_then(|f| {
                // SAFETY: fallocate on a descriptor we own; real blocks, unlike a sparse file.
                match unsafe { libc::posix_fallocate(std::os::fd::AsRawFd::as_raw_fd(&f), 0, RESERVE_BYTES as i64) } {
                    0 => Ok(()),
                    e => Err(std::io::Error::from_raw_os_error(e)),
                }
            });
            if let Err(e) = made {
                let _ = std::fs::remove_file(&self.reserve);
                tracing::debug!(error = %e, "could not make the store's reserve file");
            }
        }
        Ok(())
    }

    /// Records the number of actions now (best effort: a full disk only loses the check).
    fn write_manifest(&self) {
        self.manifest_dirty.store(false, Ordering::Relaxed);
        let count = self.actions.len() as u64;
        if self.manifest_count.swap(count, Ordering::Relaxed) == count {
            return;
        }
        let tmp = self.manifest.with_extension("tmp");
        let written = std::fs::write(&tmp, count.to_string()).and_then(|()| std::fs::rename(&tmp, &self.manifest));
        if let Err(e) = written {
            self.manifest_count.store(u64::MAX, Ordering::Relaxed);
            tracing::debug!(error = %e, "could not write the store's entry count");
        }
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
        self.write_manifest();
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
        self.write_manifest();
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

/// Checks every action at open: a record that does not parse, or whose blob is missing or of
/// the wrong size, is logged and dropped; actions missing altogether (fewer than the manifest
/// says) are logged. Returns how many were lost. Never fails: a store that opens is served.
fn audit(actions: &sled::Tree, blobs: &sled::Tree, manifest: &Path) -> u64 {
    let mut bad: Vec<(sled::IVec, String)> = Vec::new();
    let mut unreadable = 0u64;
    for entry in actions.iter() {
        let (key, value) = match entry {
            Ok(kv) => kv,
            Err(e) => {
                unreadable += 1;
                tracing::error!(error = %e, "the store cannot read past a damaged action; the rest is lost");
                break;
            }
        };
        let why = match serde_json::from_slice::<ActionRecord>(&value) {
            Err(e) => Some(format!("unreadable record: {e}")),
            Ok(r) => match parse_digest(&r.digest).map(|d| blobs.get(d)) {
                None => Some("malformed digest".to_string()),
                Some(Ok(None)) => Some(format!("blob {} is missing", r.digest)),
                Some(Ok(Some(b))) if b.len() as u64 != r.size => {
                    Some(format!("blob {} has {} bytes, not {}", r.digest, b.len(), r.size))
                }
                Some(Err(e)) => Some(format!("blob {} is unreadable: {e}", r.digest)),
                Some(Ok(Some(_))) => None,
            },
        };
        if let Some(why) = why {
            bad.push((key, why));
        }
    }
    for (key, why) in &bad {
        tracing::warn!(action_key = %hex(key), reason = %why, "dropping a damaged store entry");
        // Best effort: on a full disk the entry stays, and lookups discard it when met.
        let _ = actions.remove(key);
    }
    let remaining = actions.len() as u64;
    let recorded: Option<u64> = std::fs::read_to_string(manifest)
        .ok()
        .and_then(|t| t.trim().parse().ok());
    let vanished = recorded.map_or(0, |n| n.saturating_sub(remaining + bad.len() as u64));
    if vanished > 0 {
        tracing::error!(
            vanished,
            recorded = recorded.unwrap_or(0),
            found = remaining,
            "store entries are gone: its files were damaged or truncated, and sled dropped what it could not read"
        );
    }
    let lost = bad.len() as u64 + unreadable + vanished;
    if lost > 0 {
        tracing::warn!(lost, kept = remaining, "store opened with losses");
    }
    lost
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
        self.room_for_new_entries()?;
        let _guard = self.maintenance.lock().unwrap_or_else(|e| e.into_inner());
        if self.blobs.insert(digest, blob)?.is_none() {
            self.bytes.fetch_add(blob.len() as u64, Ordering::Relaxed);
        }
        self.abis
            .insert(digest, serde_json::to_vec(&record.abi).expect("ABI serialises"))?;
        let bytes = serde_json::to_vec(record).expect("records serialise");
        self.actions.insert(key, bytes)?;
        self.db.flush()?;
        self.manifest_dirty.store(true, Ordering::Relaxed);
        if self.bytes.load(Ordering::Relaxed) > self.max_bytes {
            // Trim below the bound (to 90%), so that eviction is not paid on every insert.
            self.gc_locked(self.max_bytes / 10 * 9)?;
        }
        Ok(())
    }

    fn discard_action(&self, key: &[u8; 32]) -> Result<(), StoreError> {
        self.actions.remove(key)?;
        self.write_manifest();
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

    fn lost_at_open(&self) -> u64 {
        self.lost_at_open
    }

    /// Usage metadata is best effort: a record that is gone or unreadable is skipped, and
    /// losing a few seconds of hit counts (a crash) never loses an artifact.
    fn flush_usage(&self) -> Result<(), StoreError> {
        if self.manifest_dirty.load(Ordering::Relaxed) {
            self.write_manifest();
        }
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

    /// A store closed a moment ago (sled's threads still hold its lock) opens after a wait;
    /// one held for good is refused with the lock named, not waited on forever.
    #[test]
    fn opening_waits_for_a_lock_being_released_but_not_forever() {
        let dir = tempfile::tempdir().unwrap();
        let held = SledStore::open(dir.path()).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(held);
        });
        let started = Instant::now();
        SledStore::open(dir.path()).expect("opens once the other holder lets go");
        assert!(started.elapsed() >= Duration::from_millis(250));
        releaser.join().unwrap();

        let other = tempfile::tempdir().unwrap();
        let _kept = SledStore::open(other.path()).unwrap();
        let started = Instant::now();
        let refused = SledStore::open(other.path()).err().expect("a held store is refused");
        assert!(
            refused.to_string().contains("lock") || format!("{refused:?}").contains("lock"),
            "{refused:?}"
        );
        assert!(started.elapsed() >= LOCK_WAIT);
    }

    /// Entries that are damaged, or gone from the files, are counted when the store opens.
    #[test]
    fn losses_are_counted_at_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = SledStore::open(dir.path()).unwrap();
            for i in 0..3u8 {
                let blob = vec![i; 100];
                s.put(&[i; 32], &record(&blob), &blob).unwrap();
            }
            // A record that no longer parses, as a flipped bit leaves it.
            s.actions.insert([9u8; 32], &b"{not json"[..]).unwrap();
            s.flush_usage().unwrap();
            assert_eq!(s.lost_at_open(), 0);
        }
        let s = SledStore::open(dir.path()).unwrap();
        assert_eq!(s.lost_at_open(), 1, "the unreadable record");
        assert_eq!(s.usage().1, 3);
        // Entries that vanished (a truncated log) show as a count below the manifest's.
        s.actions.remove([0u8; 32]).unwrap();
        s.db.flush().unwrap();
        drop(s);
        let s = SledStore::open(dir.path()).unwrap();
        assert_eq!(s.lost_at_open(), 1, "the vanished entry");
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
