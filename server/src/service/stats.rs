//! Counters and per-stage compile times, for `Stats`.

use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use kcache_proto::v1 as pb;

use crate::compile::Timings;
use crate::store::TierStats;

/// Recent per-stage compile times, for averages and percentiles in `Stats`.
#[derive(Default)]
pub struct StageRecorder {
    recent: Mutex<std::collections::VecDeque<[u64; 6]>>,
    /// The same times since start, for Prometheus (`kcached --metrics`).
    pub histograms: crate::metrics::StageHistograms,
}

pub const STAGES: [&str; 6] = ["parse", "infer", "lower", "optimize", "emit", "link"];
const RECENT_COMPILES: usize = 4096;

impl StageRecorder {
    pub(super) fn record(&self, t: &Timings) {
        self.histograms.observe(t);
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() == RECENT_COMPILES {
            recent.pop_front();
        }
        recent.push_back([t.parse_us, t.infer_us, t.lower_us, t.optimize_us, t.emit_us, t.link_us]);
    }

    pub(super) fn summary(&self) -> Vec<pb::StageStats> {
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
    /// Compiles answered but not stored.
    pub unstored: AtomicU64,
    pub stages: StageRecorder,
}

pub(super) fn remote_pb(t: &TierStats) -> pb::RemoteStats {
    pb::RemoteStats {
        location: t.location.clone(),
        state: t.state.as_str().to_string(),
        mode: if t.writable { "read-write" } else { "read-only" }.to_string(),
        hits: t.hits,
        misses: t.misses,
        errors: t.errors,
        rejected: t.rejected,
        uploads: t.uploads,
        dropped: t.dropped,
        too_large: t.too_large,
        queued: t.queued,
        reconnects: t.reconnects,
        p50_us: t.read_p50_us,
        p99_us: t.read_p99_us,
    }
}
