//! The gRPC edge: `kcache.v1.KernelCache`. Requests are checked here, compiled on the blocking
//! pool (LLVM is CPU-bound), and concurrent identical misses share one compile (single flight).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use kcache_proto::v1 as pb;
use tokio::sync::OnceCell;
use tonic::{Request, Response, Status};

use crate::compile::{self, Timings};
use crate::diag::CompileError;
use crate::emit::{self, EmitRequest, TargetSpec};
use crate::key::{hex, ActionKeyInputs};
use crate::lower::EntryAbi;
use crate::store::{self, digest_hex, now_ms, parse_digest, ActionRecord, LocalStore, Lookup};

mod flight;
mod request;
mod stats;

use flight::*;
pub use request::status_of;
use request::*;
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

impl KernelCacheService {
    pub fn new(store: Arc<dyn LocalStore>) -> Self {
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
