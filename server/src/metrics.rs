//! Prometheus metrics (`kcached --metrics tcp://127.0.0.1:9464`): `GET /metrics` answers in the
//! Prometheus text format (0.0.4), encoded by the Prometheus project's own Rust client
//! (`prometheus-client`) from the counters the `Stats` RPC reports, plus one latency histogram
//! per compile stage.
//!
//! The endpoint is plain HTTP/1.1 with no authentication: it shows counts, sizes and times,
//! never sources, keys or artifacts. Bind it to loopback unless the network in between is
//! trusted. Each connection is one request, read within [`REQUEST_TIMEOUT`] and at most
//! [`MAX_REQUEST`] bytes, answered and closed.

use std::net::SocketAddr;
use std::time::Duration;

use kcache_proto::v1 as pb;
use kcache_proto::v1::kernel_cache_server::KernelCache;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::{Registry, Unit};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::compile::Timings;
use crate::service::{KernelCacheService, STAGES};

pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
pub const MAX_REQUEST: usize = 8 << 10;

/// Per-stage compile latency, cumulative since the daemon started (Prometheus histograms:
/// buckets from 100 µs to 6.5 s, ×4 each).
#[derive(Debug)]
pub struct StageHistograms([Histogram; STAGES.len()]);

impl Default for StageHistograms {
    fn default() -> Self {
        StageHistograms(std::array::from_fn(|_| {
            Histogram::new(exponential_buckets(1e-4, 4.0, 9))
        }))
    }
}

impl StageHistograms {
    pub fn observe(&self, t: &Timings) {
        let us = [t.parse_us, t.infer_us, t.lower_us, t.optimize_us, t.emit_us, t.link_us];
        for (h, us) in self.0.iter().zip(us) {
            h.observe(us as f64 / 1e6);
        }
    }
}

/// One scrape: the `Stats` reply taken when the request came, and the live histograms.
struct Snapshot {
    stats: pb::StatsReply,
    service: KernelCacheService,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshot")
    }
}

fn counter(e: &mut DescriptorEncoder, name: &str, help: &str, unit: Option<&Unit>, v: u64) -> std::fmt::Result {
    let c = ConstCounter::new(v);
    c.encode(e.encode_descriptor(name, help, unit, c.metric_type())?)
}

fn seconds_counter(e: &mut DescriptorEncoder, name: &str, help: &str, us: u64) -> std::fmt::Result {
    let c = ConstCounter::new(us as f64 / 1e6);
    c.encode(e.encode_descriptor(name, help, Some(&Unit::Seconds), c.metric_type())?)
}

fn gauge(e: &mut DescriptorEncoder, name: &str, help: &str, unit: Option<&Unit>, v: u64) -> std::fmt::Result {
    let g = ConstGauge::new(i64::try_from(v).unwrap_or(i64::MAX));
    g.encode(e.encode_descriptor(name, help, unit, g.metric_type())?)
}

impl Collector for Snapshot {
    fn encode(&self, mut e: DescriptorEncoder) -> std::fmt::Result {
        let s = &self.stats;
        let counters: [(&str, &str, u64); 9] = [
            (
                "kcache_requests",
                "Compile requests answered (hits, misses and failures)",
                s.requests,
            ),
            ("kcache_hits", "Requests served from a store (local or remote)", s.hits),
            ("kcache_misses", "Requests that needed a compile", s.misses),
            ("kcache_compiles", "Compiles that succeeded", s.compiles),
            (
                "kcache_compile_failures",
                "Compiles that failed (source errors included)",
                s.compile_failures,
            ),
            (
                "kcache_source_errors",
                "Requests refused for their source or signature",
                s.source_errors,
            ),
            (
                "kcache_integrity_misses",
                "Stored entries that failed their digest check (recompiled)",
                s.integrity_misses,
            ),
            (
                "kcache_link_fallbacks",
                "Compiles linked by the system ld",
                s.link_fallbacks,
            ),
            (
                "kcache_evictions",
                "Artifacts evicted from the local store",
                s.evictions,
            ),
        ];
        for (name, help, v) in counters {
            counter(&mut e, name, help, None, v)?;
        }
        seconds_counter(
            &mut e,
            "kcache_compile_time",
            "Time spent compiling",
            s.total_compile_us,
        )?;
        gauge(
            &mut e,
            "kcache_in_flight_compiles",
            "Compiles running now",
            None,
            s.in_flight,
        )?;
        gauge(
            &mut e,
            "kcache_store",
            "Artifact bytes in the local store",
            Some(&Unit::Bytes),
            s.store_bytes,
        )?;
        gauge(
            &mut e,
            "kcache_store_max",
            "Bound on the local store (--max-size)",
            Some(&Unit::Bytes),
            s.max_store_bytes,
        )?;
        gauge(
            &mut e,
            "kcache_store_entries",
            "Artifacts in the local store",
            None,
            s.store_entries,
        )?;
        let hit_us = self
            .service
            .counters
            .total_hit_us
            .load(std::sync::atomic::Ordering::Relaxed);
        seconds_counter(&mut e, "kcache_hit_time", "Time spent answering hits", hit_us)?;
        if let Some(r) = &s.remote {
            let remote: [(&str, &str, u64); 8] = [
                ("kcache_remote_hits", "Hits served by the shared tier", r.hits),
                (
                    "kcache_remote_misses",
                    "Local misses the shared tier did not have",
                    r.misses,
                ),
                ("kcache_remote_errors", "Failed calls to the shared tier", r.errors),
                (
                    "kcache_remote_rejected",
                    "Shared-tier entries refused (MAC, digest or record)",
                    r.rejected,
                ),
                (
                    "kcache_remote_uploads",
                    "Artifacts uploaded to the shared tier",
                    r.uploads,
                ),
                ("kcache_remote_dropped", "Uploads dropped with a full queue", r.dropped),
                (
                    "kcache_remote_too_large",
                    "Artifacts over --remote-max-artifact, kept local",
                    r.too_large,
                ),
                (
                    "kcache_remote_reconnects",
                    "Times the shared tier came back",
                    r.reconnects,
                ),
            ];
            for (name, help, v) in remote {
                counter(&mut e, name, help, None, v)?;
            }
            gauge(&mut e, "kcache_remote_queued", "Uploads waiting", None, r.queued)?;
            let up = u64::from(r.state == "connected");
            gauge(&mut e, "kcache_remote_up", "1 while the shared tier answers", None, up)?;
        }
        let info = ConstGauge::new(1i64);
        let mut m = e.encode_descriptor("kcache_build_info", "kcached's version", None, MetricType::Gauge)?;
        let labels = [
            ("version", crate::VERSION.to_string()),
            ("llvm", crate::emit::llvm_version()),
        ];
        info.encode(m.encode_family(&labels)?)?;

        let hist = &self.service.counters.stages.histograms;
        let mut m = e.encode_descriptor(
            "kcache_stage_duration",
            "Compile time per stage",
            Some(&Unit::Seconds),
            MetricType::Histogram,
        )?;
        for (stage, h) in STAGES.iter().zip(&hist.0) {
            h.encode(m.encode_family(&[("stage", *stage)])?)?;
        }
        Ok(())
    }
}

/// The metrics text, as a scrape of `/metrics` gets it.
pub async fn render(service: &KernelCacheService) -> String {
    let stats = match service.stats(tonic::Request::new(pb::StatsRequest {})).await {
        Ok(reply) => reply.into_inner(),
        Err(_) => pb::StatsReply::default(),
    };
    let mut registry = Registry::default();
    registry.register_collector(Box::new(Snapshot {
        stats,
        service: service.clone(),
    }));
    let mut text = String::new();
    if prometheus_client::encoding::prometheus_text::encode(&mut text, &registry).is_err() {
        text.clear();
    }
    text
}

/// Binds the metrics endpoint; the returned task serves it until aborted.
pub async fn serve(addr: SocketAddr, service: KernelCacheService) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    Ok(tokio::spawn(async move {
        loop {
            let Ok((conn, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let service = service.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(REQUEST_TIMEOUT, answer(conn, &service)).await;
            });
        }
    }))
}

async fn answer(mut conn: tokio::net::TcpStream, service: &KernelCacheService) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
        if request.len() > MAX_REQUEST {
            return respond(&mut conn, "431 Request Header Fields Too Large", "text/plain", "").await;
        }
    }
    let line = String::from_utf8_lossy(&request);
    let mut words = line.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET", "/metrics") => {
            let body = render(service).await;
            respond(
                &mut conn,
                "200 OK",
                prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
                &body,
            )
            .await
        }
        ("GET", "/") => respond(&mut conn, "200 OK", "text/plain", "kcached: metrics at /metrics\n").await,
        ("GET", _) => {
            respond(
                &mut conn,
                "404 Not Found",
                "text/plain",
                "not found; metrics are at /metrics\n",
            )
            .await
        }
        _ => respond(&mut conn, "405 Method Not Allowed", "text/plain", "GET /metrics\n").await,
    }
}

async fn respond(
    conn: &mut tokio::net::TcpStream,
    status: &str,
    content_type: &str,
    body: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body.as_bytes()).await?;
    conn.shutdown().await
}
