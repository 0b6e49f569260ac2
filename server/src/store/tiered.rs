//! A local store with a shared tier behind it (`TieredStore`): what the service serves from when
//! daemons share a cache.
//!
//! - Reads: the local tier first, synchronously, as without a shared tier (a local hit costs the
//!   same). On a local miss the service awaits `lookup_below`: the shared tier's record (its
//!   signature checked by the tier) and blob (re-hashed here), under one deadline; a hit is served
//!   and written back to the local tier in the background.
//! - Writes: a compile is stored in the local tier first (durable before the reply, as always),
//!   then queued for upload; the queue is bounded, and a full queue drops the upload with a
//!   counted, logged line rather than make a client wait.
//! - Failures: every remote call has a deadline; an error or a timeout is a miss. After a few
//!   failures in a row the tier is marked down and not asked at all, and a background probe
//!   finds out when it answers again: no request waits on a tier that is gone.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::*;

/// How the local tier and the shared one work together.
#[derive(Clone, Debug)]
pub struct TieredConfig {
    /// Deadline of one remote read (record and blob together), upload and probe.
    pub timeout: Duration,
    /// Uploads waiting at most.
    pub queue: usize,
    /// Artifacts larger than this are not uploaded.
    pub max_upload: u64,
    /// How often a tier that is up is probed (so that an idle daemon notices an outage), and how
    /// often one that is down is.
    pub probe_up: Duration,
    pub probe_down: Duration,
}

impl Default for TieredConfig {
    fn default() -> Self {
        TieredConfig {
            timeout: Duration::from_millis(50),
            queue: 256,
            max_upload: 4 << 20,
            probe_up: Duration::from_secs(1),
            probe_down: Duration::from_millis(200),
        }
    }
}

/// How long a remote hit's write-back waits: it is a local store write (and fsync) that would
/// otherwise compete for the CPU with the reply and the client loading the code.
const WRITE_BACK_DELAY: Duration = Duration::from_millis(20);

/// Failures in a row after which the tier counts as down.
const DOWN_AFTER: u64 = 3;
/// A probe may take longer than a read: nothing waits on it, and a reconnect (TLS) is slower.
const PROBE_TIMEOUT_MIN: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierState {
    /// Not answered yet since the daemon started.
    Connecting,
    Connected,
    /// Not asked until a probe answers.
    Down,
}

impl TierState {
    pub fn as_str(self) -> &'static str {
        match self {
            TierState::Connecting => "connecting",
            TierState::Connected => "connected",
            TierState::Down => "down",
        }
    }
}

/// What `Stats` shows about the shared tier.
#[derive(Clone, Debug)]
pub struct TierStats {
    pub location: String,
    pub state: TierState,
    pub writable: bool,
    pub hits: u64,
    pub misses: u64,
    pub errors: u64,
    pub rejected: u64,
    pub uploads: u64,
    pub dropped: u64,
    pub too_large: u64,
    /// Times the tier came back after being down.
    pub reconnects: u64,
    /// Uploads waiting or in progress.
    pub queued: u64,
    /// Remote reads (hits and misses, failures included) over the recent ones, in µs.
    pub read_p50_us: u64,
    pub read_p99_us: u64,
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
    rejected: AtomicU64,
    uploads: AtomicU64,
    dropped: AtomicU64,
    too_large: AtomicU64,
    reconnects: AtomicU64,
    queued: AtomicU64,
}

/// What the background tasks share with the store.
struct Shared {
    tier: Arc<dyn AsyncArtifactStore>,
    location: String,
    timeout: Duration,
    state: AtomicU8,
    failures_in_a_row: AtomicU64,
    counters: Counters,
    reads: Recent,
}

const CONNECTING: u8 = 0;
const CONNECTED: u8 = 1;
const DOWN: u8 = 2;

impl Shared {
    fn state(&self) -> TierState {
        match self.state.load(Ordering::Relaxed) {
            CONNECTING => TierState::Connecting,
            CONNECTED => TierState::Connected,
            _ => TierState::Down,
        }
    }

    /// The tier answered.
    fn answered(&self) {
        self.failures_in_a_row.store(0, Ordering::Relaxed);
        match self.state.swap(CONNECTED, Ordering::Relaxed) {
            CONNECTING => tracing::info!(remote = %self.location, "remote tier connected"),
            DOWN => {
                self.counters.reconnects.fetch_add(1, Ordering::Relaxed);
                tracing::info!(remote = %self.location, "remote tier answers again; using it");
            }
            _ => {}
        }
    }

    /// A call failed or timed out: counted, and after a few in a row the tier is down.
    fn failed(&self, what: &str, error: &StoreError) {
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        let in_a_row = self.failures_in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::debug!(remote = %self.location, %error, what, "remote call failed");
        if in_a_row >= DOWN_AFTER {
            self.mark_down(error);
        }
    }

    fn mark_down(&self, error: &StoreError) {
        if self.state.swap(DOWN, Ordering::Relaxed) != DOWN {
            tracing::warn!(
                remote = %self.location,
                %error,
                "remote tier down: serving from the local store and compiling; reconnecting in the background"
            );
        }
    }

    /// The verified read of the shared tier.
    async fn read(&self, key: &[u8; 32]) -> Result<RemoteRead, StoreError> {
        let (read, blob) = self.tier.get_entry(key).await?;
        let (record, digest) = match check_record(read) {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(RemoteRead::Miss),
            Err(why) => return Ok(RemoteRead::Rejected(why)),
        };
        // The engine evicts records and blobs apart: a record whose blob is gone is a miss.
        let Some(blob) = blob else {
            return Ok(RemoteRead::Miss);
        };
        if let Err(why) = check_blob(&digest, &blob) {
            return Ok(RemoteRead::Rejected(why));
        }
        Ok(RemoteRead::Hit(Hit { record, blob }))
    }
}

enum RemoteRead {
    Hit(Hit),
    Miss,
    Rejected(Rejected),
}

struct Upload {
    key: [u8; 32],
    record: ActionRecord,
    blob: Vec<u8>,
}

/// The local tier, and a shared one behind it.
pub struct TieredStore {
    local: Arc<dyn LocalStore>,
    shared: Arc<Shared>,
    uploads: mpsc::Sender<Upload>,
    queue: usize,
    max_upload: u64,
    tasks: Vec<tokio::task::AbortHandle>,
}

impl TieredStore {
    /// Starts the uploader and the prober on the current tokio runtime.
    pub fn new(local: Arc<dyn LocalStore>, tier: Arc<dyn AsyncArtifactStore>, config: TieredConfig) -> TieredStore {
        let shared = Arc::new(Shared {
            location: tier.location(),
            tier,
            timeout: config.timeout,
            state: AtomicU8::new(CONNECTING),
            failures_in_a_row: AtomicU64::new(0),
            counters: Counters::default(),
            reads: Recent::default(),
        });
        let (uploads, queue) = mpsc::channel(config.queue);
        let tasks = vec![
            tokio::spawn(upload_loop(shared.clone(), queue)).abort_handle(),
            tokio::spawn(probe_loop(shared.clone(), config.clone())).abort_handle(),
        ];
        TieredStore {
            local,
            shared,
            uploads,
            queue: config.queue,
            max_upload: config.max_upload,
            tasks,
        }
    }

    /// Waits (at most `within`) for the queued uploads to finish: on a clean shutdown.
    pub async fn drain(&self, within: Duration) {
        let deadline = Instant::now() + within;
        while self.shared.counters.queued.load(Ordering::Relaxed) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn enqueue(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) {
        let c = &self.shared.counters;
        if !self.shared.tier.writable() {
            return;
        }
        if blob.len() as u64 > self.max_upload {
            c.too_large.fetch_add(1, Ordering::Relaxed);
            tracing::info!(
                action_key = %hex(key),
                bytes = blob.len(),
                max = self.max_upload,
                "not uploading an artifact larger than --remote-max-artifact"
            );
            return;
        }
        let upload = Upload {
            key: *key,
            record: record.clone(),
            blob: blob.to_vec(),
        };
        c.queued.fetch_add(1, Ordering::Relaxed);
        if self.uploads.try_send(upload).is_err() {
            c.queued.fetch_sub(1, Ordering::Relaxed);
            let dropped = c.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            // One line per doubling: a long outage must not flood the log.
            if dropped.is_power_of_two() {
                tracing::warn!(
                    action_key = %hex(key),
                    queue = self.queue,
                    dropped,
                    "upload queue full: dropped the upload (the artifact stays in the local store)"
                );
            }
        }
    }
}

impl Drop for TieredStore {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn upload_loop(shared: Arc<Shared>, mut queue: mpsc::Receiver<Upload>) {
    while let Some(up) = queue.recv().await {
        if shared.state() == TierState::Down {
            // Its outage was logged once; each upload it costs is counted.
            shared.counters.dropped.fetch_add(1, Ordering::Relaxed);
        } else {
            match tokio::time::timeout(shared.timeout, shared.tier.put(&up.key, &up.record, &up.blob)).await {
                Ok(Ok(())) => {
                    shared.answered();
                    shared.counters.uploads.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Err(e)) => shared.failed("upload", &e),
                Err(_) => shared.failed("upload", &StoreError::Timeout(shared.timeout)),
            }
        }
        shared.counters.queued.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn probe_loop(shared: Arc<Shared>, config: TieredConfig) {
    let timeout = config.timeout.max(PROBE_TIMEOUT_MIN);
    loop {
        let failure = match tokio::time::timeout(timeout, shared.tier.probe()).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(StoreError::Timeout(timeout)),
        };
        match failure {
            None => shared.answered(),
            Some(e) => {
                // The probe that finds an outage is an error; those that find it still going are not.
                if shared.state() != TierState::Down {
                    shared.counters.errors.fetch_add(1, Ordering::Relaxed);
                }
                shared.mark_down(&e);
            }
        }
        let every = match shared.state() {
            TierState::Connected => config.probe_up,
            _ => config.probe_down,
        };
        tokio::time::sleep(every).await;
    }
}

impl ArtifactStore for TieredStore {
    fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError> {
        self.local.get_record(key)
    }

    fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        self.local.get_blob(digest)
    }

    /// Durable in the local tier before it returns; the shared tier gets it in the background.
    fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
        self.local.put(key, record, blob)?;
        self.enqueue(key, record, blob);
        Ok(())
    }

    fn discard_action(&self, key: &[u8; 32]) -> Result<(), StoreError> {
        self.local.discard_action(key)
    }

    fn discard_blob(&self, digest: &[u8; 32]) -> Result<(), StoreError> {
        self.local.discard_blob(digest)
    }

    fn note_hit(&self, key: &[u8; 32], record: &mut ActionRecord) {
        self.local.note_hit(key, record)
    }

    fn blob_abi(&self, digest: &[u8; 32]) -> Option<EntryAbi> {
        self.local.blob_abi(digest)
    }

    fn lookup_below<'a>(&'a self, key: &'a [u8; 32]) -> BoxFuture<'a, Option<Hit>> {
        Box::pin(async move {
            let s = &self.shared;
            if s.state() == TierState::Down {
                return None;
            }
            let started = Instant::now();
            let read = tokio::time::timeout(s.timeout, s.read(key)).await;
            s.reads.record(started.elapsed());
            let read = match read {
                Ok(Ok(read)) => read,
                Ok(Err(e)) => {
                    s.failed("read", &e);
                    return None;
                }
                Err(_) => {
                    s.failed("read", &StoreError::Timeout(s.timeout));
                    return None;
                }
            };
            s.answered();
            match read {
                RemoteRead::Miss => {
                    s.counters.misses.fetch_add(1, Ordering::Relaxed);
                    None
                }
                RemoteRead::Rejected(why) => {
                    s.counters.rejected.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(action_key = %hex(key), reason = %why, remote = %s.location, "rejected an entry of the remote tier");
                    None
                }
                RemoteRead::Hit(hit) => {
                    s.counters.hits.fetch_add(1, Ordering::Relaxed);
                    // Written back off the reply's path: the next request is a local hit.
                    let (local, key, record, blob) = (self.local.clone(), *key, hit.record.clone(), hit.blob.clone());
                    tokio::spawn(async move {
                        tokio::time::sleep(WRITE_BACK_DELAY).await;
                        let stored = tokio::task::spawn_blocking(move || local.put(&key, &record, &blob)).await;
                        if let Ok(Err(e)) = stored {
                            tracing::warn!(action_key = %hex(&key), error = %e, "could not store a remote hit locally");
                        }
                    });
                    Some(hit)
                }
            }
        })
    }
}

impl Maintenance for TieredStore {
    fn usage(&self) -> (u64, u64) {
        self.local.usage()
    }

    fn contains(&self, key: &[u8; 32]) -> Result<bool, StoreError> {
        self.local.contains(key)
    }

    fn evict_action(&self, key: &[u8; 32]) -> Result<Removed, StoreError> {
        self.local.evict_action(key)
    }

    fn evict_digest(&self, digest: &[u8; 32]) -> Result<Removed, StoreError> {
        self.local.evict_digest(digest)
    }

    fn gc(&self, max_bytes: u64) -> Result<Removed, StoreError> {
        self.local.gc(max_bytes)
    }

    fn evictions(&self) -> u64 {
        self.local.evictions()
    }

    fn max_bytes(&self) -> u64 {
        self.local.max_bytes()
    }

    fn flush_usage(&self) -> Result<(), StoreError> {
        self.local.flush_usage()
    }

    fn lost_at_open(&self) -> u64 {
        self.local.lost_at_open()
    }

    fn tier_stats(&self) -> Option<TierStats> {
        let s = &self.shared;
        let c = &s.counters;
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        let (read_p50_us, read_p99_us) = s.reads.p50_p99();
        Some(TierStats {
            location: s.location.clone(),
            state: s.state(),
            writable: s.tier.writable(),
            hits: get(&c.hits),
            misses: get(&c.misses),
            errors: get(&c.errors),
            rejected: get(&c.rejected),
            uploads: get(&c.uploads),
            dropped: get(&c.dropped),
            too_large: get(&c.too_large),
            reconnects: get(&c.reconnects),
            queued: get(&c.queued),
            read_p50_us,
            read_p99_us,
        })
    }
}

/// The most recent durations, for percentiles.
#[derive(Default)]
struct Recent(Mutex<VecDeque<u64>>);

const RECENT_READS: usize = 4096;

impl Recent {
    fn record(&self, d: Duration) {
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if v.len() == RECENT_READS {
            v.pop_front();
        }
        v.push_back(d.as_micros() as u64);
    }

    fn p50_p99(&self) -> (u64, u64) {
        let mut v: Vec<u64> = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect();
        if v.is_empty() {
            return (0, 0);
        }
        v.sort_unstable();
        let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        (at(0.5), at(0.99))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::store::test_record;

    /// A shared tier in memory that can be made slow, failing or read-only.
    #[derive(Default)]
    struct FakeTier {
        records: Mutex<std::collections::HashMap<[u8; 32], ActionRecord>>,
        blobs: Mutex<std::collections::HashMap<[u8; 32], Vec<u8>>>,
        slow: AtomicBool,
        failing: AtomicBool,
        read_only: bool,
        puts: AtomicU64,
    }

    impl FakeTier {
        async fn weather(&self) -> Result<(), StoreError> {
            if self.slow.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            if self.failing.load(Ordering::Relaxed) {
                return Err(StoreError::Remote("connection refused".into()));
            }
            Ok(())
        }
    }

    #[async_trait::async_trait]
    impl AsyncArtifactStore for FakeTier {
        async fn get_record(&self, key: &[u8; 32]) -> Result<RecordRead, StoreError> {
            self.weather().await?;
            Ok(match self.records.lock().unwrap().get(key) {
                Some(r) => RecordRead::Present(Box::new(r.clone())),
                None => RecordRead::Absent,
            })
        }
        async fn get_blob(&self, digest: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
            self.weather().await?;
            Ok(self.blobs.lock().unwrap().get(digest).cloned())
        }
        async fn put(&self, key: &[u8; 32], record: &ActionRecord, blob: &[u8]) -> Result<(), StoreError> {
            self.weather().await?;
            assert!(!self.read_only, "a read-only tier was written");
            self.puts.fetch_add(1, Ordering::Relaxed);
            let digest = parse_digest(&record.digest).unwrap();
            self.blobs.lock().unwrap().insert(digest, blob.to_vec());
            self.records.lock().unwrap().insert(*key, record.clone());
            Ok(())
        }
        async fn probe(&self) -> Result<(), StoreError> {
            self.weather().await
        }
        fn writable(&self) -> bool {
            !self.read_only
        }
        fn location(&self) -> String {
            "fake".into()
        }
    }

    fn config() -> TieredConfig {
        TieredConfig {
            timeout: Duration::from_millis(50),
            queue: 4,
            max_upload: 1000,
            probe_up: Duration::from_millis(20),
            probe_down: Duration::from_millis(20),
        }
    }

    fn tiered(tier: &Arc<FakeTier>, config: TieredConfig) -> (Arc<MemoryStore>, TieredStore) {
        let local = Arc::new(MemoryStore::new(1 << 20));
        let store = TieredStore::new(local.clone(), tier.clone(), config);
        (local, store)
    }

    /// A store over `tier` once its first probe answered.
    async fn connected(tier: &Arc<FakeTier>) -> TieredStore {
        let (_, store) = tiered(tier, config());
        until("connected", || {
            store.tier_stats().unwrap().state == TierState::Connected
        })
        .await;
        store
    }

    async fn until(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn compiles_are_local_first_then_uploaded_and_other_daemons_hit_them() {
        let tier = Arc::new(FakeTier::default());
        let (local_a, a) = tiered(&tier, config());
        let blob = b"machine code".to_vec();
        a.put(&[1; 32], &test_record(&blob), &blob).unwrap();
        assert!(local_a.contains(&[1; 32]).unwrap(), "durable locally when put returns");
        until("the upload", || a.tier_stats().unwrap().uploads == 1).await;

        let (local_b, b) = tiered(&tier, config());
        assert!(
            matches!(lookup(&b, &[1; 32]).unwrap(), Lookup::Miss),
            "the sync read is local"
        );
        let hit = b.lookup_below(&[1; 32]).await.expect("a remote hit");
        assert_eq!(hit.blob, blob);
        until("the write-back", || local_b.contains(&[1; 32]).unwrap()).await;
        assert!(b.lookup_below(&[2; 32]).await.is_none());
        let s = b.tier_stats().unwrap();
        assert_eq!((s.hits, s.misses, s.errors, s.rejected, s.uploads), (1, 1, 0, 0, 0));
        assert_eq!(s.state, TierState::Connected);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn entries_that_do_not_verify_are_rejected() {
        let tier = Arc::new(FakeTier::default());
        let (_, store) = tiered(&tier, config());
        let blob = b"machine code".to_vec();
        let record = test_record(&blob);
        let digest = parse_digest(&record.digest).unwrap();
        tier.records.lock().unwrap().insert([1; 32], record.clone());
        tier.blobs.lock().unwrap().insert(digest, b"planted code".to_vec());
        assert!(store.lookup_below(&[1; 32]).await.is_none());
        let mut bad_digest = record.clone();
        bad_digest.digest = "not a digest".into();
        tier.records.lock().unwrap().insert([2; 32], bad_digest);
        assert!(store.lookup_below(&[2; 32]).await.is_none());
        // A record whose blob the engine evicted is a plain miss.
        let orphan = test_record(b"evicted");
        tier.records.lock().unwrap().insert([3; 32], orphan);
        assert!(store.lookup_below(&[3; 32]).await.is_none());
        let s = store.tier_stats().unwrap();
        assert_eq!((s.hits, s.misses, s.rejected), (0, 1, 2));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_or_failing_tier_is_a_quick_miss_then_down_then_back() {
        let tier = Arc::new(FakeTier::default());
        let store = connected(&tier).await;
        tier.slow.store(true, Ordering::Relaxed);
        let started = Instant::now();
        assert!(store.lookup_below(&[1; 32]).await.is_none());
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
        tier.slow.store(false, Ordering::Relaxed);
        tier.failing.store(true, Ordering::Relaxed);
        until("down", || store.tier_stats().unwrap().state == TierState::Down).await;
        let errors = store.tier_stats().unwrap().errors;
        assert!(errors >= 1);
        // Down: not asked at all, and uploads are dropped (counted), never waited for.
        let started = Instant::now();
        assert!(store.lookup_below(&[1; 32]).await.is_none());
        assert!(started.elapsed() < Duration::from_millis(5));
        let blob = b"compiled while down".to_vec();
        store.put(&[4; 32], &test_record(&blob), &blob).unwrap();
        until("the drop", || store.tier_stats().unwrap().dropped == 1).await;
        assert_eq!(
            store.tier_stats().unwrap().errors,
            errors,
            "a tier that is down costs no calls"
        );

        tier.failing.store(false, Ordering::Relaxed);
        until("back", || store.tier_stats().unwrap().state == TierState::Connected).await;
        assert_eq!(store.tier_stats().unwrap().reconnects, 1);
        store.put(&[5; 32], &test_record(&blob), &blob).unwrap();
        until("the upload", || store.tier_stats().unwrap().uploads == 1).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_drops_and_large_artifacts_and_read_only_tiers_are_not_uploaded() {
        let tier = Arc::new(FakeTier::default());
        let store = connected(&tier).await;
        // Uploads hang until their deadline: the queue (4) fills and the rest are dropped, and
        // put never waits.
        tier.slow.store(true, Ordering::Relaxed);
        let started = Instant::now();
        for i in 0..20u8 {
            let blob = vec![i; 10];
            store.put(&[i; 32], &test_record(&blob), &blob).unwrap();
        }
        assert!(started.elapsed() < Duration::from_millis(40), "put waited on the tier");
        let s = store.tier_stats().unwrap();
        assert!(s.dropped >= 15, "{s:?}");
        let big = vec![7u8; 1001];
        store.put(&[99; 32], &test_record(&big), &big).unwrap();
        assert_eq!(store.tier_stats().unwrap().too_large, 1);

        let read_only = Arc::new(FakeTier {
            read_only: true,
            ..FakeTier::default()
        });
        let (local, store) = tiered(&read_only, config());
        let blob = b"local only".to_vec();
        store.put(&[1; 32], &test_record(&blob), &blob).unwrap();
        assert!(local.contains(&[1; 32]).unwrap());
        store.drain(Duration::from_millis(100)).await;
        assert_eq!(read_only.puts.load(Ordering::Relaxed), 0);
        assert_eq!(store.tier_stats().unwrap().queued, 0);
    }
}
