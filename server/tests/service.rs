//! The service against the in-memory store: the compile path, hits, single flight and corrupt
//! entries, with no socket and no disk (the seam a remote tier plugs into).

use std::sync::Arc;

use kcache_proto::v1 as pb;
use kcache_proto::v1::kernel_cache_server::KernelCache;
use kcache_server::service::KernelCacheService;
use kcache_server::store::{ArtifactStore, MemoryStore};
use tonic::Request;

fn request(source: &str) -> pb::CompileRequest {
    pb::CompileRequest {
        source: source.as_bytes().to_vec(),
        entry: "f".into(),
        signature: "float64(float64)".into(),
        options: Default::default(),
        target: None,
        artifact: 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compiles_once_then_hits_from_memory() {
    let store = Arc::new(MemoryStore::new(1 << 30));
    let service = KernelCacheService::new(store.clone());
    let first = service
        .compile(Request::new(request("def f(x):\n    return x * 2.0\n")))
        .await
        .unwrap()
        .into_inner();
    assert!(!first.cache_hit);
    assert_eq!(first.digest, blake3::hash(&first.artifact).to_hex().as_str());
    // Concurrent identical requests: one more request, no second compile.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let service = service.clone();
            tokio::spawn(async move {
                service
                    .compile(Request::new(request("def f(x):\n    return x * 2.0\n")))
                    .await
                    .unwrap()
                    .into_inner()
            })
        })
        .collect();
    for h in handles {
        let reply = h.await.unwrap();
        assert!(reply.cache_hit);
        assert_eq!(reply.digest, first.digest);
    }
    let stats = service
        .stats(Request::new(pb::StatsRequest {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.compiles, 1);
    assert_eq!(stats.hits, 4);
    assert_eq!(stats.store_entries, 1);

    // A blob that stops matching its digest is a counted miss and a recompile, never served.
    let digest = kcache_server::store::parse_digest(&first.digest).unwrap();
    store.discard_blob(&digest).unwrap();
    let again = service
        .compile(Request::new(request("def f(x):\n    return x * 2.0\n")))
        .await
        .unwrap()
        .into_inner();
    assert!(!again.cache_hit);
    assert_eq!(again.digest, first.digest, "compiles are deterministic");
    let stats = service
        .stats(Request::new(pb::StatsRequest {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.integrity_misses, 1);
    assert_eq!(stats.compiles, 2);
}

#[tokio::test]
async fn source_errors_are_invalid_argument() {
    let service = KernelCacheService::new(Arc::new(MemoryStore::new(1 << 30)));
    let err = service
        .compile(Request::new(request("def f(x):\n    return x +\n")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
    assert!(err.message().starts_with("2:"), "{}", err.message());
}
