//! The compile path: a hit from the store, or one compile per action key however many requests
//! wait on it (single flight), stored before the reply.

use std::collections::{BTreeMap, HashMap};
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
        }
    }
}

pub(super) type Flight = Arc<OnceCell<Result<Built, Status>>>;

impl ServiceState {
    /// Compile or hit, with single flight: concurrent identical misses share one compile.
    pub(super) async fn compile_request(&self, req: pb::CompileRequest) -> Result<pb::CompileReply, Status> {
        let started = Instant::now();
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let request_digest = request_digest(&req);
        let memoized = self.memo().get(&request_digest).cloned();
        if let Some(memo) = memoized {
            let front_us = started.elapsed().as_micros() as u64;
            if let Some(mut reply) = self.try_hit(&memo.key, started, front_us, &memo.diagnostics)? {
                reply.target = Some(memo.target);
                return Ok(reply);
            }
        }
        let front = self.front(req)?;
        let key = front.key;
        let target = target_pb(&front.target);
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
                    diagnostics: front.diagnostics.clone(),
                },
            );
        }
        let front_us = started.elapsed().as_micros() as u64;
        if let Some(mut reply) = self.try_hit(&key, started, front_us, &front.diagnostics)? {
            reply.target = Some(target);
            return Ok(reply);
        }
        let flight: Flight = {
            let mut map = self.inflight.lock().expect("inflight lock");
            map.entry(key).or_default().clone()
        };
        let diagnostics = front.diagnostics.clone();
        let result = flight
            .get_or_init(|| async {
                // A compile that finished between our lookup and joining the flight is a hit.
                if let Ok(Lookup::Hit(record, blob)) = store::lookup(&*self.store, &key) {
                    return Ok(Built::stored(record, blob, false));
                }
                // A tier behind the local store (a cache shared with other daemons) may have it.
                if let Some(hit) = self.store.lookup_below(&key).await {
                    return Ok(Built::stored(hit.record, hit.blob, true));
                }
                self.counters.in_flight.fetch_add(1, Ordering::Relaxed);
                let built = self
                    .build(
                        front.source,
                        front.entry,
                        front.signature,
                        front.options,
                        front.target,
                        key,
                    )
                    .await;
                self.counters.in_flight.fetch_sub(1, Ordering::Relaxed);
                built
            })
            .await
            .clone();
        {
            let mut map = self.inflight.lock().expect("inflight lock");
            if map.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
                map.remove(&key);
            }
        }
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
        })
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

    pub(super) async fn build(
        &self,
        source: String,
        entry: String,
        signature: String,
        options: BTreeMap<String, String>,
        target: TargetSpec,
        key: [u8; 32],
    ) -> Result<Built, Status> {
        let joined = tokio::task::spawn_blocking(move || {
            let prepared = compile::prepare(&source, &entry, &signature, &options)?;
            compile::compile(&prepared, &target, EmitRequest::default()).map(|c| (c, prepared.options.canonical()))
        })
        .await;
        let (compiled, options) = match joined {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                match &e {
                    CompileError::Source(_) => self.counters.source_errors.fetch_add(1, Ordering::Relaxed),
                    CompileError::Internal(m) => {
                        tracing::warn!(action_key = %hex(&key), error = %m, "compile failed");
                        self.counters.compile_failures.fetch_add(1, Ordering::Relaxed)
                    }
                };
                return Err(status_of(&e));
            }
            Err(join) => {
                // A panic in the compiler is a bug; it must not take the daemon down.
                tracing::error!(action_key = %hex(&key), error = %join, "the compiler panicked");
                self.counters.compile_failures.fetch_add(1, Ordering::Relaxed);
                return Err(Status::internal(format!("internal compiler error (panic): {join}")));
            }
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
            options,
            size: compiled.shared_object.len() as u64,
            created_ms: now,
            last_used_ms: now,
            hits: 0,
            compile_us,
        };
        let store = self.store.clone();
        let blob = Arc::new(compiled.shared_object);
        let blob_for_store = blob.clone();
        let stored = tokio::task::spawn_blocking(move || store.put(&key, &record, &blob_for_store)).await;
        match stored {
            Ok(Ok(())) => {}
            // The compile still answers the request; only persistence failed.
            Ok(Err(e)) => tracing::error!(action_key = %hex(&key), %digest, error = %e, "could not store the artifact"),
            Err(e) => tracing::error!(action_key = %hex(&key), %digest, error = %e, "store task failed"),
        }
        Ok(Built {
            digest,
            artifact: blob,
            abi: compiled.abi,
            timings: compiled.timings,
            from_tier: false,
        })
    }
}
