//! The gRPC edge: `kcache.v1.KernelCache`. Requests are checked here, compiled on the blocking
//! pool (LLVM is CPU-bound), and concurrent identical misses share one compile (single flight).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use kcache_proto::v1 as pb;
use tokio::sync::OnceCell;
use tonic::{Request, Response, Status};

use crate::compile::{self, EntryAbi, Timings};
use crate::diag::CompileError;
use crate::emit::{self, EmitRequest, TargetSpec};
use crate::key::{hex, ActionKeyInputs};
use crate::store::{digest_hex, now_ms, parse_digest, ActionRecord, ArtifactStore, Lookup};

/// Recent per-stage compile times, for averages and percentiles in `Stats`.
#[derive(Default)]
pub struct StageRecorder {
    recent: Mutex<std::collections::VecDeque<[u64; 6]>>,
}

pub const STAGES: [&str; 6] = ["parse", "infer", "lower", "optimize", "emit", "link"];
const RECENT_COMPILES: usize = 4096;

impl StageRecorder {
    fn record(&self, t: &Timings) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() == RECENT_COMPILES {
            recent.pop_front();
        }
        recent.push_back([t.parse_us, t.infer_us, t.lower_us, t.optimize_us, t.emit_us, t.link_us]);
    }

    fn summary(&self) -> Vec<pb::StageStats> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        STAGES
            .iter()
            .enumerate()
            .map(|(i, stage)| {
                let mut v: Vec<u64> = recent.iter().map(|t| t[i]).collect();
                v.sort_unstable();
                let pct = |p: f64| {
                    if v.is_empty() {
                        0
                    } else {
                        v[((v.len() - 1) as f64 * p).round() as usize]
                    }
                };
                pb::StageStats {
                    stage: stage.to_string(),
                    count: v.len() as u64,
                    avg_us: if v.is_empty() {
                        0
                    } else {
                        v.iter().sum::<u64>() / v.len() as u64
                    },
                    p50_us: pct(0.5),
                    p99_us: pct(0.99),
                }
            })
            .collect()
    }
}

#[derive(Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub compiles: AtomicU64,
    pub compile_failures: AtomicU64,
    pub source_errors: AtomicU64,
    pub integrity_misses: AtomicU64,
    pub link_fallbacks: AtomicU64,
    pub in_flight: AtomicU64,
    pub total_compile_us: AtomicU64,
    pub total_hit_us: AtomicU64,
    pub stages: StageRecorder,
}

/// The outcome of one compile, shared by every request that waited on it.
#[derive(Clone)]
struct Built {
    digest: String,
    artifact: Arc<Vec<u8>>,
    abi: EntryAbi,
    timings: Timings,
}

type Flight = Arc<OnceCell<Result<Built, Status>>>;

/// The service: cheap to clone (shared state behind an Arc), as streaming handlers need.
#[derive(Clone)]
pub struct KernelCacheService(Arc<ServiceState>);

impl std::ops::Deref for KernelCacheService {
    type Target = ServiceState;
    fn deref(&self) -> &ServiceState {
        &self.0
    }
}

pub struct ServiceState {
    store: Arc<dyn ArtifactStore>,
    inflight: Mutex<HashMap<[u8; 32], Flight>>,
    /// Request digest → what the front end made of that exact request, so that a repeated
    /// request (the common hit) skips parsing and resolving. The action key is a pure function
    /// of the request and of this daemon's build, so the memo can never name a wrong key.
    front_memo: Mutex<HashMap<[u8; 32], MemoizedFront>>,
    pub counters: Arc<Counters>,
}

#[derive(Clone)]
struct MemoizedFront {
    key: [u8; 32],
    target: pb::Target,
    diagnostics: Vec<pb::Diagnostic>,
}

/// Bound on remembered requests; the memo is cleared when full (it only saves parse time).
const FRONT_MEMO_ENTRIES: usize = 16_384;

/// BLAKE3 over every field of a compile request, each length-prefixed, the options in sorted
/// order: equal digests mean requests the front end cannot tell apart.
fn request_digest(req: &pb::CompileRequest) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"kcache-request-v1");
    field(&req.source);
    field(req.entry.as_bytes());
    field(req.signature.as_bytes());
    let mut options: Vec<(&String, &String)> = req.options.iter().collect();
    options.sort();
    field(&(options.len() as u64).to_le_bytes());
    for (k, v) in options {
        field(k.as_bytes());
        field(v.as_bytes());
    }
    match &req.target {
        None => field(b"no target"),
        Some(t) => {
            field(b"target");
            field(t.triple.as_bytes());
            field(t.cpu.as_bytes());
            field(t.features.as_bytes());
            field(&(t.client_features.len() as u64).to_le_bytes());
            for f in &t.client_features {
                field(f.as_bytes());
            }
        }
    }
    *h.finalize().as_bytes()
}

impl KernelCacheService {
    pub fn new(store: Arc<dyn ArtifactStore>) -> Self {
        KernelCacheService(Arc::new(ServiceState {
            store,
            inflight: Mutex::new(HashMap::new()),
            front_memo: Mutex::new(HashMap::new()),
            counters: Arc::new(Counters::default()),
        }))
    }

    pub fn into_server(self) -> pb::kernel_cache_server::KernelCacheServer<Self> {
        pb::kernel_cache_server::KernelCacheServer::new(self)
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(256 << 20)
    }
}

pub fn status_of(err: &CompileError) -> Status {
    match err {
        CompileError::Source(d) => Status::invalid_argument(d.to_string()),
        CompileError::Internal(m) => Status::internal(format!("internal compiler error: {m}")),
    }
}

/// Checks the source is UTF-8, reporting the first bad byte's line and column.
fn source_text(bytes: Vec<u8>) -> Result<String, Status> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid - before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
        Status::invalid_argument(format!(
            "{line}:{col}: invalid request: the source is not valid UTF-8 (byte offset {valid})"
        ))
    })
}

fn timings_pb(t: &Timings, total_us: u64, store_us: u64) -> pb::StageTimings {
    pb::StageTimings {
        parse_us: t.parse_us,
        infer_us: t.infer_us,
        lower_us: t.lower_us,
        optimize_us: t.optimize_us,
        emit_us: t.emit_us,
        link_us: t.link_us,
        store_us,
        total_us,
    }
}

fn abi_pb(a: &EntryAbi) -> pb::EntryAbi {
    pb::EntryAbi {
        typed_symbol: a.typed_symbol.clone(),
        generic_symbol: a.generic_symbol.clone(),
        signature: a.signature.clone(),
        arg_types: a.arg_types.clone(),
        return_type: a.return_type.clone(),
        written_args: a.written_args.clone(),
    }
}

fn diagnostics_pb(d: &[crate::diag::Diagnostic]) -> Vec<pb::Diagnostic> {
    d.iter()
        .map(|d| pb::Diagnostic {
            line: d.line,
            column: d.column,
            message: d.to_string(),
        })
        .collect()
}

/// A request after validation and the front end: what every RPC about a request needs.
struct Front {
    source: String,
    entry: String,
    signature: String,
    options: BTreeMap<String, String>,
    target: TargetSpec,
    key: [u8; 32],
    inputs: ActionKeyInputs,
    diagnostics: Vec<pb::Diagnostic>,
}

fn target_pb(t: &TargetSpec) -> pb::Target {
    pb::Target {
        triple: t.triple.clone(),
        cpu: t.cpu.clone(),
        features: t.features.clone(),
        client_features: vec![],
    }
}

impl ServiceState {
    fn front(&self, req: pb::CompileRequest) -> Result<Front, Status> {
        let source = source_text(req.source).inspect_err(|_| {
            self.counters.source_errors.fetch_add(1, Ordering::Relaxed);
        })?;
        let options: BTreeMap<String, String> = req.options.into_iter().collect();
        let target = req.target.unwrap_or_default();
        let target = emit::resolve_target(&target.triple, &target.cpu, &target.features, &target.client_features)
            .map_err(|e| status_of(&e))?;
        // The front end runs first: the key needs the canonical call graph.
        let prepared = compile::prepare(&source, &req.entry, &req.signature, &options).map_err(|e| {
            self.counters.source_errors.fetch_add(1, Ordering::Relaxed);
            status_of(&e)
        })?;
        let inputs = ActionKeyInputs::new(&prepared, &target);
        let key = inputs.digest();
        let diagnostics = diagnostics_pb(&prepared.diagnostics);
        drop(prepared);
        Ok(Front {
            source,
            entry: req.entry,
            signature: req.signature,
            options,
            target,
            key,
            inputs,
            diagnostics,
        })
    }

    /// Compile or hit, with single flight: concurrent identical misses share one compile.
    async fn compile_request(&self, req: pb::CompileRequest) -> Result<pb::CompileReply, Status> {
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
        self.counters.misses.fetch_add(1, Ordering::Relaxed);

        let flight: Flight = {
            let mut map = self.inflight.lock().expect("inflight lock");
            map.entry(key).or_default().clone()
        };
        let diagnostics = front.diagnostics.clone();
        let result = flight
            .get_or_init(|| async {
                // A compile that finished between our lookup and joining the flight is a hit.
                if let Ok(Lookup::Hit(record, blob)) = self.store.lookup(&key) {
                    return Ok(Built {
                        digest: record.digest.clone(),
                        artifact: Arc::new(blob),
                        abi: record.abi.clone(),
                        timings: Timings::default(),
                    });
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

fn removed_status(e: crate::store::StoreError) -> Status {
    Status::unavailable(format!("store error: {e}"))
}

type BatchStream = std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::BatchProgress, Status>> + Send>>;

#[tonic::async_trait]
impl pb::kernel_cache_server::KernelCache for KernelCacheService {
    async fn compile(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::CompileReply>, Status> {
        self.compile_request(request.into_inner()).await.map(Response::new)
    }

    async fn get_artifact(
        &self,
        request: Request<pb::GetArtifactRequest>,
    ) -> Result<Response<pb::GetArtifactReply>, Status> {
        let digest_text = request.into_inner().digest;
        let digest = parse_digest(&digest_text)
            .ok_or_else(|| Status::invalid_argument("invalid request: digest must be 64 hex digits (BLAKE3)"))?;
        match self.store.blob(&digest) {
            Ok(Some(bytes)) => Ok(Response::new(pb::GetArtifactReply {
                digest: digest_text,
                artifact: bytes,
                abi: self.store.blob_abi(&digest).as_ref().map(abi_pb),
            })),
            Ok(None) => Err(Status::not_found(format!("no artifact {digest_text}"))),
            Err(e) => Err(Status::unavailable(e.to_string())),
        }
    }

    async fn stats(&self, _request: Request<pb::StatsRequest>) -> Result<Response<pb::StatsReply>, Status> {
        let c = &self.counters;
        let (store_bytes, store_entries) = self.store.usage();
        let hits = c.hits.load(Ordering::Relaxed);
        Ok(Response::new(pb::StatsReply {
            requests: c.requests.load(Ordering::Relaxed),
            hits,
            misses: c.misses.load(Ordering::Relaxed),
            compiles: c.compiles.load(Ordering::Relaxed),
            compile_failures: c.compile_failures.load(Ordering::Relaxed),
            integrity_misses: c.integrity_misses.load(Ordering::Relaxed),
            link_fallbacks: c.link_fallbacks.load(Ordering::Relaxed),
            in_flight: c.in_flight.load(Ordering::Relaxed),
            store_bytes,
            store_entries,
            source_errors: c.source_errors.load(Ordering::Relaxed),
            total_compile_us: c.total_compile_us.load(Ordering::Relaxed),
            evictions: self.store.evictions(),
            max_store_bytes: self.store.max_bytes(),
            stages: c.stages.summary(),
            avg_hit_us: c.total_hit_us.load(Ordering::Relaxed).checked_div(hits).unwrap_or(0),
        }))
    }

    async fn inspect(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::InspectReply>, Status> {
        let front = self.front(request.into_inner())?;
        let joined = tokio::task::spawn_blocking(move || {
            let prepared = compile::prepare(&front.source, &front.entry, &front.signature, &front.options)?;
            compile::compile(
                &prepared,
                &front.target,
                EmitRequest {
                    optimized_ir: true,
                    assembly: true,
                },
            )
        })
        .await
        .map_err(|e| Status::internal(format!("internal compiler error (panic): {e}")))?;
        let compiled = joined.map_err(|e| status_of(&e))?;
        Ok(Response::new(pb::InspectReply {
            types: compiled.typed_ir,
            llvm_ir: compiled.llvm_ir,
            optimized_llvm_ir: compiled.optimized_ir.unwrap_or_default(),
            assembly: compiled.assembly.unwrap_or_default(),
        }))
    }

    async fn explain(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::ExplainReply>, Status> {
        let front = self.front(request.into_inner())?;
        let stored = matches!(self.store.lookup_quiet(&front.key), Ok(true));
        Ok(Response::new(pb::ExplainReply {
            action_key: hex(&front.key),
            fields: front
                .inputs
                .fields()
                .into_iter()
                .map(|(name, value)| pb::KeyField {
                    name: name.to_string(),
                    value,
                })
                .collect(),
            stored,
        }))
    }

    async fn evict(&self, request: Request<pb::EvictRequest>) -> Result<Response<pb::EvictReply>, Status> {
        let req = request.into_inner();
        let removed = match (req.action_key.is_empty(), req.digest.is_empty()) {
            (false, true) => {
                let key = parse_digest(&req.action_key)
                    .ok_or_else(|| Status::invalid_argument("invalid request: action_key must be 64 hex digits"))?;
                self.store.evict_action(&key).map_err(removed_status)?
            }
            (true, false) => {
                let digest = parse_digest(&req.digest)
                    .ok_or_else(|| Status::invalid_argument("invalid request: digest must be 64 hex digits"))?;
                self.store.evict_digest(&digest).map_err(removed_status)?
            }
            _ => {
                return Err(Status::invalid_argument(
                    "invalid request: give exactly one of action_key and digest",
                ))
            }
        };
        Ok(Response::new(pb::EvictReply {
            removed_actions: removed.actions,
            removed_bytes: removed.bytes,
        }))
    }

    async fn gc(&self, request: Request<pb::GcRequest>) -> Result<Response<pb::GcReply>, Status> {
        let max = match request.into_inner().max_bytes {
            0 => self.store.max_bytes(),
            n => n,
        };
        let store = self.store.clone();
        let removed = tokio::task::spawn_blocking(move || store.gc(max))
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(removed_status)?;
        Ok(Response::new(pb::GcReply {
            removed_actions: removed.actions,
            removed_bytes: removed.bytes,
            store_bytes: self.store.usage().0,
        }))
    }

    type CompileBatchStream = BatchStream;

    async fn compile_batch(
        &self,
        request: Request<pb::CompileBatchRequest>,
    ) -> Result<Response<Self::CompileBatchStream>, Status> {
        let requests = request.into_inner().requests;
        let total = requests.len() as u32;
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let service = self.clone();
        tokio::spawn(async move {
            // Compiles run side by side on the blocking pool; results stream as they finish.
            // As many compiles at once as there are cores: more only makes each one slower.
            let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
            let permits = Arc::new(tokio::sync::Semaphore::new(cores));
            let mut tasks = tokio::task::JoinSet::new();
            for (index, req) in requests.into_iter().enumerate() {
                let service = service.clone();
                let permits = permits.clone();
                tasks.spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    let entry = req.entry.clone();
                    let result = service.compile_request(req).await;
                    (index as u32, entry, result)
                });
            }
            while let Some(done) = tasks.join_next().await {
                let Ok((index, entry, result)) = done else { continue };
                let progress = match result {
                    Ok(r) => pb::BatchProgress {
                        index,
                        total,
                        entry,
                        ok: true,
                        cache_hit: r.cache_hit,
                        digest: r.digest,
                        error: String::new(),
                    },
                    Err(s) => pb::BatchProgress {
                        index,
                        total,
                        entry,
                        ok: false,
                        cache_hit: false,
                        digest: String::new(),
                        error: s.message().to_string(),
                    },
                };
                if tx.send(Ok(progress)).await.is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))))
    }
}

impl ServiceState {
    fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], MemoizedFront>> {
        self.front_memo.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `front_us`: time to the action key (parse and resolve, or the memo lookup).
    fn try_hit(
        &self,
        key: &[u8; 32],
        started: Instant,
        front_us: u64,
        diagnostics: &[pb::Diagnostic],
    ) -> Result<Option<pb::CompileReply>, Status> {
        match self.store.lookup(key) {
            Ok(Lookup::Hit(record, blob)) => {
                self.counters.hits.fetch_add(1, Ordering::Relaxed);
                let total_us = started.elapsed().as_micros() as u64;
                self.counters.total_hit_us.fetch_add(total_us, Ordering::Relaxed);
                Ok(Some(pb::CompileReply {
                    digest: record.digest,
                    artifact: blob,
                    abi: Some(abi_pb(&record.abi)),
                    cache_hit: true,
                    diagnostics: diagnostics.to_vec(),
                    timings: Some(pb::StageTimings {
                        total_us,
                        parse_us: front_us,
                        store_us: total_us.saturating_sub(front_us),
                        ..Default::default()
                    }),
                    action_key: hex(key),
                    target: None,
                }))
            }
            Ok(Lookup::Miss) => Ok(None),
            Ok(Lookup::Corrupt(reason)) => {
                self.counters.integrity_misses.fetch_add(1, Ordering::Relaxed);
                eprintln!("kcached: integrity miss for {}: {reason}; recompiling", hex(key));
                Ok(None)
            }
            // An unreadable store is a miss: compile and try to store again.
            Err(e) => {
                self.counters.integrity_misses.fetch_add(1, Ordering::Relaxed);
                eprintln!("kcached: store read failed for {}: {e}; recompiling", hex(key));
                Ok(None)
            }
        }
    }

    async fn build(
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
                    CompileError::Internal(_) => self.counters.compile_failures.fetch_add(1, Ordering::Relaxed),
                };
                return Err(status_of(&e));
            }
            Err(join) => {
                // A panic in the compiler is a bug; it must not take the daemon down.
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
        let stored = tokio::task::spawn_blocking(move || store.insert(&key, &record, &blob_for_store)).await;
        match stored {
            Ok(Ok(())) => {}
            // The compile still answers the request; only persistence failed.
            Ok(Err(e)) => eprintln!("kcached: could not store {}: {e}", hex(&key)),
            Err(e) => eprintln!("kcached: store task failed for {}: {e}", hex(&key)),
        }
        Ok(Built {
            digest,
            artifact: blob,
            abi: compiled.abi,
            timings: compiled.timings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> pb::CompileRequest {
        pb::CompileRequest {
            source: b"def f(x):\n    return x\n".to_vec(),
            entry: "f".into(),
            signature: "int64(int64)".into(),
            options: [("fastmath".to_string(), "false".to_string())].into_iter().collect(),
            target: Some(pb::Target {
                triple: String::new(),
                cpu: String::new(),
                features: String::new(),
                client_features: vec!["avx2".into(), "fma".into()],
            }),
        }
    }

    /// The memo stands in for the front end, so every request field must reach its digest.
    #[test]
    fn every_request_field_changes_the_request_digest() {
        let base = request_digest(&request());
        assert_eq!(base, request_digest(&request()));
        type Change = Box<dyn Fn(&mut pb::CompileRequest)>;
        let changes: Vec<(&str, Change)> = vec![
            ("source", Box::new(|r| r.source.push(b' '))),
            ("entry", Box::new(|r| r.entry = "g".into())),
            ("signature", Box::new(|r| r.signature = "int32(int32)".into())),
            (
                "option value",
                Box::new(|r| {
                    r.options.insert("fastmath".into(), "true".into());
                }),
            ),
            (
                "option added",
                Box::new(|r| {
                    r.options.insert("boundscheck".into(), "false".into());
                }),
            ),
            ("no target", Box::new(|r| r.target = None)),
            (
                "triple",
                Box::new(|r| r.target.as_mut().unwrap().triple = "x86_64-unknown-linux-gnu".into()),
            ),
            ("cpu", Box::new(|r| r.target.as_mut().unwrap().cpu = "x86-64-v3".into())),
            (
                "features",
                Box::new(|r| r.target.as_mut().unwrap().features = "+avx2".into()),
            ),
            (
                "client features",
                Box::new(|r| r.target.as_mut().unwrap().client_features.pop().map(drop).unwrap_or(())),
            ),
            (
                "field boundary",
                Box::new(|r| {
                    r.entry = "fi".into();
                    r.signature = "nt64(int64)".into();
                }),
            ),
        ];
        for (what, change) in changes {
            let mut r = request();
            change(&mut r);
            assert_ne!(request_digest(&r), base, "changing the {what} kept the digest");
        }
    }
}
