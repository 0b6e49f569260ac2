//! The compile path: a hit from the store, or one compile per action key however many requests
//! wait on it (single flight), stored before the reply.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use kcache_proto::v1 as pb;
use tonic::Status;

use super::*;

/// The outcome of one compile, shared by every request that waited on it.
#[derive(Clone)]
pub(super) struct Built {
    digest: String,
    artifact: Arc<Vec<u8>>,
    abi: EntryAbi,
    timings: Timings,
    /// Served by a tier behind the local store (a shared cache), not compiled.
    from_tier: bool,
    /// In the local store (false: a compile the store refused to keep, e.g. on a full disk).
    stored: bool,
}

impl Built {
    /// What a tier had.
    fn stored(record: Box<ActionRecord>, blob: Vec<u8>, from_tier: bool) -> Built {
        let ActionRecord { digest, abi, .. } = *record;
        Built {
            digest,
            artifact: Arc::new(blob),
            abi,
            timings: Timings::default(),
            from_tier,
            stored: true,
        }
    }
}

/// A compile in progress: every request for its key waits on the same answer.
pub(super) type Flight = tokio::sync::watch::Receiver<Option<Result<Built, Status>>>;

/// Sources larger than this are hashed off the async workers (hashing is linear in the size).
const BIG_REQUEST: usize = 64 << 10;

impl KernelCacheService {
    /// Compile or hit, with single flight: concurrent identical misses share one compile.
    pub(super) async fn compile_request(&self, req: pb::CompileRequest) -> Result<pb::CompileReply, Status> {
        let started = Instant::now();
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let (req, request_digest) = if req.source.len() > BIG_REQUEST {
            tokio::task::spawn_blocking(move || {
                let digest = request_digest(&req);
                (req, digest)
            })
            .await
            .map_err(|e| Status::internal(format!("hashing the request: {e}")))?
        } else {
            let digest = request_digest(&req);
            (req, digest)
        };
        let memoized = self.memo().get(&request_digest).cloned();
        if let Some(memo) = memoized {
            let front_us = started.elapsed().as_micros() as u64;
            if let Some(mut reply) = self.try_hit(&memo.key, started, front_us, &memo.diagnostics)? {
                reply.target = Some(memo.target);
                return Ok(reply);
            }
        }
        let front = self.front_off_runtime(req).await?;
        let key = front.key;
        let target = target_pb(&front.target);
        let diagnostics = front.diagnostics.clone();
        {
            let mut memo = self.memo();
            if memo.len() >= FRONT_MEMO_ENTRIES {
                memo.clear();
            }
            memo.insert(
                request_digest,
                MemoizedFront {
                    key,
                    target: target.clone(),
                    diagnostics: diagnostics.clone(),
                },
            );
        }
        let front_us = started.elapsed().as_micros() as u64;
        if let Some(mut reply) = self.try_hit(&key, started, front_us, &diagnostics)? {
            reply.target = Some(target);
            return Ok(reply);
        }
        let mut flight = self.join_flight(front);
        let result = match flight.wait_for(Option::is_some).await {
            Ok(done) => done.clone().expect("waited for an answer"),
            Err(_) => Err(Status::internal(
                "internal error: the compile task ended without an answer",
            )),
        };
        if let Ok(hit) = &result {
            if hit.from_tier {
                let mut reply = self.hit_reply(&key, hit.clone(), started, front_us, diagnostics);
                reply.target = Some(target);
                return Ok(reply);
            }
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        let built = result?;
        let total_us = started.elapsed().as_micros() as u64;
        Ok(pb::CompileReply {
            digest: built.digest.clone(),
            artifact: built.artifact.as_ref().clone(),
            abi: Some(abi_pb(&built.abi)),
            cache_hit: false,
            diagnostics,
            timings: Some(timings_pb(&built.timings, total_us, 0)),
            action_key: hex(&key),
            target: Some(target),
            stored: built.stored,
        })
    }

    /// The flight for this key: the one in progress, or a new one. A flight is a task of its
    /// own, not part of any request, so that it finishes and stores its result even when every
    /// client that asked for it has gone; the next request then hits instead of compiling again.
    fn join_flight(&self, front: Front) -> Flight {
        let key = front.key;
        let mut map = self.inflight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(flight) = map.get(&key) {
            return flight.clone();
        }
        let (answer, flight) = tokio::sync::watch::channel(None);
        map.insert(key, flight.clone());
        drop(map);
        let service = self.clone();
        tokio::spawn(async move {
            // Leaves the map however the task ends (a panic included), so that a key is never
            // stuck behind a flight that will not answer.
            let landing = Landing {
                service: &service,
                key,
                flight: answer.subscribe(),
            };
            let result = service.fly(front).await;
            landing.land(answer, result);
        });
        flight
    }

    /// What a flight does: a last look in the store and the tiers behind it, then the compile.
    async fn fly(&self, front: Front) -> Result<Built, Status> {
        let key = front.key;
        // A compile that finished between our lookup and the flight's start is a hit.
        if let Ok(Lookup::Hit(record, blob)) = store::lookup(&*self.store, &key) {
            return Ok(Built::stored(record, blob, false));
        }
        // A tier behind the local store (a cache shared with other daemons) may have it.
        if let Some(hit) = self.store.lookup_below(&key).await {
            return Ok(Built::stored(hit.record, hit.blob, true));
        }
        // A compile this daemon stopped (time, memory) fails again at once for a while:
        // a client repeating a bomb does not take a worker for another full timeout each time.
        if let Some(status) = self.stopped_recently(&key) {
            return Err(status);
        }
        let _counted = InFlight::count(&self.counters);
        let result = self.build(front).await;
        if let Err(status) = &result {
            if matches!(
                status.code(),
                tonic::Code::DeadlineExceeded | tonic::Code::ResourceExhausted
            ) {
                self.remember_stopped(key, status.clone());
            }
        }
        result
    }
}

/// Removes a flight from the map when its task ends, answered or not (a panic included).
struct Landing<'a> {
    service: &'a KernelCacheService,
    key: [u8; 32],
    flight: Flight,
}

impl Landing<'_> {
    fn leave(&self, map: &mut HashMap<[u8; 32], Flight>) {
        // Only our own flight: after we left, another may have started for the key.
        if map.get(&self.key).is_some_and(|f| f.same_channel(&self.flight)) {
            map.remove(&self.key);
        }
    }

    fn land(self, answer: tokio::sync::watch::Sender<Option<Result<Built, Status>>>, result: Result<Built, Status>) {
        // Leave the map and answer under its lock: a request either joins before the answer
        // (and gets it) or finds no flight and looks in the store, where the result now is.
        let mut map = self.service.inflight.lock().unwrap_or_else(|e| e.into_inner());
        self.leave(&mut map);
        answer.send_replace(Some(result));
    }
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        let mut map = self.service.inflight.lock().unwrap_or_else(|e| e.into_inner());
        self.leave(&mut map);
    }
}

/// Counts a compile in `in_flight` for as long as it lives.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn count(counters: &'a Counters) -> InFlight<'a> {
        counters.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ServiceState {
    pub(super) fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], MemoizedFront>> {
        self.front_memo.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A hit's reply, counted. `front_us`: time to the action key.
    fn hit_reply(
        &self,
        key: &[u8; 32],
        hit: Built,
        started: Instant,
        front_us: u64,
        diagnostics: Vec<pb::Diagnostic>,
    ) -> pb::CompileReply {
        self.counters.hits.fetch_add(1, Ordering::Relaxed);
        let total_us = started.elapsed().as_micros() as u64;
        self.counters.total_hit_us.fetch_add(total_us, Ordering::Relaxed);
        pb::CompileReply {
            digest: hit.digest,
            // A local hit holds the only reference: no copy.
            artifact: Arc::try_unwrap(hit.artifact).unwrap_or_else(|shared| shared.as_ref().clone()),
            abi: Some(abi_pb(&hit.abi)),
            cache_hit: true,
            diagnostics,
            timings: Some(pb::StageTimings {
                total_us,
                parse_us: front_us,
                store_us: total_us.saturating_sub(front_us),
                ..Default::default()
            }),
            action_key: hex(key),
            target: None,
            stored: true,
        }
    }

    /// `front_us`: time to the action key (parse and resolve, or the memo lookup).
    pub(super) fn try_hit(
        &self,
        key: &[u8; 32],
        started: Instant,
        front_us: u64,
        diagnostics: &[pb::Diagnostic],
    ) -> Result<Option<pb::CompileReply>, Status> {
        match store::lookup(&*self.store, key) {
            Ok(Lookup::Hit(record, blob)) => {
                let hit = Built::stored(record, blob, false);
                Ok(Some(self.hit_reply(key, hit, started, front_us, diagnostics.to_vec())))
            }
            Ok(Lookup::Miss) => Ok(None),
            Ok(Lookup::Corrupt(reason)) => {
                self.counters.integrity_misses.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(action_key = %hex(key), %reason, "integrity miss; recompiling");
                Ok(None)
            }
            // An unreadable store is a miss: compile and try to store again.
            Err(e) => {
                self.counters.integrity_misses.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(action_key = %hex(key), error = %e, "store read failed; recompiling");
                Ok(None)
            }
        }
    }

    /// Compiles on a worker (or in process, without a pool) and stores the result.
    pub(super) async fn build(&self, front: Front) -> Result<Built, Status> {
        let key = front.key;
        let job = Job {
            inspect: false,
            source: front.source,
            entry: front.entry,
            signature: front.signature,
            options: front.options,
            target: front.target,
            artifact: front.artifact,
        };
        let compiled = match self.compiler.run(job).await {
            Ok(Answer::Compiled(built)) => *built,
            Ok(other) => return Err(self.failed(&key, other)),
            Err(failure) => return Err(self.failed_worker(&key, failure)),
        };
        self.counters.compiles.fetch_add(1, Ordering::Relaxed);
        if compiled.linker == crate::link::Linker::SystemLd {
            self.counters.link_fallbacks.fetch_add(1, Ordering::Relaxed);
        }
        self.counters.stages.record(&compiled.timings);
        let t = &compiled.timings;
        let compile_us = t.parse_us + t.infer_us + t.lower_us + t.optimize_us + t.emit_us + t.link_us;
        self.counters.total_compile_us.fetch_add(compile_us, Ordering::Relaxed);
        let digest = digest_hex(&compiled.shared_object);
        tracing::info!(action_key = %hex(&key), %digest, compile_us, bytes = compiled.shared_object.len(), "compiled");
        let now = now_ms();
        let record = ActionRecord {
            digest: digest.clone(),
            abi: compiled.abi.clone(),
            options: compiled.options,
            size: compiled.shared_object.len() as u64,
            created_ms: now,
            last_used_ms: now,
            hits: 0,
            compile_us,
        };
        let store = self.store.clone();
        let blob = Arc::new(compiled.shared_object);
        let blob_for_store = blob.clone();
        let put = tokio::task::spawn_blocking(move || store.put(&key, &record, &blob_for_store)).await;
        let stored = match put {
            Ok(Ok(())) => true,
            // The compile still answers the request, saying it was not stored.
            Ok(Err(e)) => {
                tracing::error!(action_key = %hex(&key), %digest, error = %e, "could not store the artifact");
                false
            }
            Err(e) => {
                tracing::error!(action_key = %hex(&key), %digest, error = %e, "store task failed");
                false
            }
        };
        if !stored {
            self.counters.unstored.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Built {
            digest,
            artifact: blob,
            abi: compiled.abi,
            timings: compiled.timings,
            from_tier: false,
            stored,
        })
    }

    /// A compile that answered with an error.
    fn failed(&self, key: &[u8; 32], answer: Answer) -> Status {
        match answer {
            Answer::SourceError(message) => {
                self.counters.source_errors.fetch_add(1, Ordering::Relaxed);
                request::source_error_status(&message)
            }
            Answer::InternalError(m) => {
                tracing::warn!(action_key = %hex(key), error = %m, "compile failed");
                self.counters.compile_failures.fetch_add(1, Ordering::Relaxed);
                request::internal_error_status(&m)
            }
            Answer::Compiled(_) | Answer::Inspected(_) => Status::internal("internal error: an unexpected answer"),
        }
    }

    /// A compile that got no answer: its worker was stopped or died.
    /// The failure of a compile of `key` stopped less than `STOPPED_MEMORY` ago.
    fn stopped_recently(&self, key: &[u8; 32]) -> Option<Status> {
        let stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        stopped
            .get(key)
            .filter(|(when, _)| when.elapsed() < STOPPED_MEMORY)
            .map(|(_, status)| status.clone())
    }

    fn remember_stopped(&self, key: [u8; 32], status: Status) {
        let mut stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        if stopped.len() >= STOPPED_ENTRIES {
            stopped.retain(|_, (when, _)| when.elapsed() < STOPPED_MEMORY);
            if stopped.len() >= STOPPED_ENTRIES {
                stopped.clear();
            }
        }
        stopped.insert(key, (Instant::now(), status));
    }

    fn failed_worker(&self, key: &[u8; 32], failure: Failure) -> Status {
        self.counters.compile_failures.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(action_key = %hex(key), ?failure, "compile stopped");
        failure_status(failure)
    }
}
