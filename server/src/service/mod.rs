//! The gRPC edge: `kcache.v1.KernelCache`. Requests are checked here, compiled on the blocking
//! pool (LLVM is CPU-bound), and concurrent identical misses share one compile (single flight).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use kcache_proto::v1 as pb;
use tonic::{Request, Response, Status};

use crate::compile::{self, Timings};
use crate::diag::CompileError;
use crate::emit::{self, TargetSpec};
use crate::key::{hex, ActionKeyInputs};
use crate::lower::EntryAbi;
use crate::store::{self, digest_hex, now_ms, parse_digest, ActionRecord, LocalStore, Lookup};
use crate::worker::pool::Failure;
use crate::worker::{Answer, Compiler, Job};

mod flight;
mod request;
mod stats;

use flight::*;
use request::*;
pub use request::{failure_status, status_of};
use stats::remote_pb;
pub use stats::{Counters, StageRecorder, STAGES};

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
    store: Arc<dyn LocalStore>,
    /// Where compiles run: worker processes in the daemon, in process in tests of the library.
    compiler: Compiler,
    inflight: Mutex<HashMap<[u8; 32], Flight>>,
    /// Request digest → what the front end made of that exact request, so that a repeated
    /// request (the common hit) skips parsing and resolving. The action key is a pure function
    /// of the request and of this daemon's build, so the memo can never name a wrong key.
    front_memo: Mutex<HashMap<[u8; 32], MemoizedFront>>,
    /// Action keys whose compile this daemon stopped (timeout, memory), with when and
    /// the answer given: repeated for `STOPPED_MEMORY`.
    stopped: Mutex<HashMap<[u8; 32], (std::time::Instant, Status)>>,
    pub counters: Arc<Counters>,
    /// The daemon's client connections, for `Stats` (unset in tests of the library).
    connections: std::sync::OnceLock<Arc<crate::conns::Connections>>,
    /// Where hits are published for clients on this machine (unset: `--no-local-index`).
    local_index: std::sync::OnceLock<Arc<crate::local_index::Publisher>>,
}

#[derive(Clone)]
struct MemoizedFront {
    key: [u8; 32],
    target: pb::Target,
    diagnostics: Vec<pb::Diagnostic>,
}

/// How long a stopped compile's failure is repeated instead of compiling again.
const STOPPED_MEMORY: std::time::Duration = std::time::Duration::from_secs(120);
/// Bound on remembered stopped compiles.
const STOPPED_ENTRIES: usize = 1024;

/// Bound on remembered requests; the memo is cleared when full (it only saves parse time).
const FRONT_MEMO_ENTRIES: usize = 16_384;

impl KernelCacheService {
    /// Compiles in process (on threads with the compiler's stack): for tests and embedding.
    pub fn new(store: Arc<dyn LocalStore>) -> Self {
        Self::with_compiler(store, Compiler::InProcess)
    }

    pub fn with_compiler(store: Arc<dyn LocalStore>, compiler: Compiler) -> Self {
        KernelCacheService(Arc::new(ServiceState {
            store,
            compiler,
            inflight: Mutex::new(HashMap::new()),
            front_memo: Mutex::new(HashMap::new()),
            stopped: Mutex::new(HashMap::new()),
            counters: Arc::new(Counters::default()),
            connections: std::sync::OnceLock::new(),
            local_index: std::sync::OnceLock::new(),
        }))
    }

    /// Reports these connections in `Stats`.
    pub fn report_connections(&self, connections: Arc<crate::conns::Connections>) {
        let _ = self.connections.set(connections);
    }

    /// Publishes the artifacts of compile replies in this local index.
    pub fn publish_local_index(&self, publisher: Arc<crate::local_index::Publisher>) {
        let _ = self.local_index.set(publisher);
    }

    /// Lists a reply in the local index (off the async workers: it writes files), and brings the
    /// index in line with the store when the store evicted something.
    async fn publish(&self, digest: [u8; 32], reply: &pb::CompileReply) {
        let Some(publisher) = self.local_index.get() else {
            return;
        };
        let new = reply.stored && !publisher.lists(&digest);
        let evicted = publisher.store_evicted(&*self.store);
        if !new && !evicted {
            return;
        }
        let (publisher, store) = (publisher.clone(), self.store.clone());
        let reply = new.then(|| reply.clone());
        let done = tokio::task::spawn_blocking(move || {
            if evicted {
                publisher.reconcile(&*store)?;
            }
            match reply {
                Some(reply) => publisher.record(&*store, digest, &reply),
                None => Ok(()),
            }
        })
        .await;
        if let Ok(Err(e)) = done {
            tracing::warn!(error = %e, "publishing in the local index failed");
        }
    }

    /// Follows evictions no Compile reply was there to follow (a batch, a compile whose client
    /// left): the daemon calls it every few hundred milliseconds. An atomic load when nothing
    /// was evicted.
    pub async fn reconcile_local_index_if_evicted(&self) {
        if let Some(publisher) = self.local_index.get() {
            if publisher.store_evicted(&*self.store) {
                self.reconcile_local_index().await;
            }
        }
    }

    /// After an eviction: the index lists nothing the store let go, before the answer goes out.
    async fn reconcile_local_index(&self) {
        let Some(publisher) = self.local_index.get() else {
            return;
        };
        let (publisher, store) = (publisher.clone(), self.store.clone());
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || publisher.reconcile(&*store)).await {
            tracing::warn!(error = %e, "reconciling the local index failed");
        }
    }

    pub fn into_server(self) -> pb::kernel_cache_server::KernelCacheServer<Self> {
        pb::kernel_cache_server::KernelCacheServer::new(self)
            .max_decoding_message_size(64 << 20)
            .max_encoding_message_size(256 << 20)
    }
}

fn removed_status(e: crate::store::StoreError) -> Status {
    Status::unavailable(format!("store error: {e}"))
}

type BatchStream = std::pin::Pin<Box<dyn tokio_stream::Stream<Item = Result<pb::BatchProgress, Status>> + Send>>;

#[tonic::async_trait]
impl pb::kernel_cache_server::KernelCache for KernelCacheService {
    async fn compile(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::CompileReply>, Status> {
        let request = request.into_inner();
        // The local index lists what clients load: shared objects (export's objects go by RPC).
        if self.local_index.get().is_none() || request.artifact != pb::ArtifactKind::SharedObject as i32 {
            return self.compile_request(request).await.map(Response::new);
        }
        // Hashed again inside (a microsecond for a kernel's source), only with the index on.
        let digest = request_digest(&request);
        let reply = self.compile_request(request).await?;
        self.publish(digest, &reply).await;
        Ok(Response::new(reply))
    }

    async fn get_artifact(
        &self,
        request: Request<pb::GetArtifactRequest>,
    ) -> Result<Response<pb::GetArtifactReply>, Status> {
        let digest_text = request.into_inner().digest;
        let digest = parse_digest(&digest_text)
            .ok_or_else(|| Status::invalid_argument("invalid request: digest must be 64 hex digits (BLAKE3)"))?;
        match store::verified_blob(&*self.store, &digest) {
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
        let pool = self.compiler.stats();
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
            remote: self.store.tier_stats().map(|t| remote_pb(&t)),
            unstored_compiles: c.unstored.load(Ordering::Relaxed),
            compile_timeouts: pool.map_or(0, |p| p.timeouts.load(Ordering::Relaxed)),
            compile_out_of_memory: pool.map_or(0, |p| p.out_of_memory.load(Ordering::Relaxed)),
            worker_crashes: pool.map_or(0, |p| p.crashes.load(Ordering::Relaxed)),
            worker_restarts: pool.map_or(0, |p| p.restarts.load(Ordering::Relaxed)),
            avg_isolation_us: pool.map_or(0, |p| {
                let compiled = p.compiled.load(Ordering::Relaxed);
                p.isolation_us
                    .load(Ordering::Relaxed)
                    .checked_div(compiled)
                    .unwrap_or(0)
            }),
            connections: self.connections.get().map_or(0, |c| c.open()),
            connections_shed: self.connections.get().map_or(0, |c| c.shed()),
            store_lost_at_open: self.store.lost_at_open(),
        }))
    }

    async fn inspect(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::InspectReply>, Status> {
        let front = self.front_off_runtime(request.into_inner()).await?;
        let job = Job {
            inspect: true,
            source: front.source,
            entry: front.entry,
            signature: front.signature,
            options: front.options,
            target: front.target,
            artifact: front.artifact,
        };
        match self.compiler.run(job).await {
            Ok(Answer::Inspected(i)) => Ok(Response::new(pb::InspectReply {
                types: i.typed_ir,
                llvm_ir: i.llvm_ir,
                optimized_llvm_ir: i.optimized_ir,
                assembly: i.assembly,
            })),
            Ok(Answer::SourceError(m)) => Err(request::source_error_status(&m)),
            Ok(Answer::InternalError(m)) => Err(request::internal_error_status(&m)),
            Ok(Answer::Compiled(_)) => Err(Status::internal("internal error: an unexpected answer")),
            Err(failure) => Err(failure_status(failure)),
        }
    }

    async fn explain(&self, request: Request<pb::CompileRequest>) -> Result<Response<pb::ExplainReply>, Status> {
        let front = self.front_off_runtime(request.into_inner()).await?;
        let stored = matches!(self.store.contains(&front.key), Ok(true));
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
        self.reconcile_local_index().await;
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
        self.reconcile_local_index().await;
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
