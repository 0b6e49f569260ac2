//! The thread pool for `prange` regions.
//!
//! A region is split into as many contiguous chunks as threads. Chunks are claimed, not
//! assigned: the calling thread publishes the region, wakes the workers and claims chunks
//! itself, so a region whose workers are slow to wake is finished by the caller alone and only
//! waits for chunks a worker has actually started. One region runs on the pool at a time: a
//! region that finds the pool busy (another host thread's, or a parallel kernel called from
//! inside a prange body) runs its chunks on the calling thread, so regions never wait on each
//! other and never deadlock.
//!
//! Handing a region over costs a futex wake when the workers sleep (about a microsecond, more
//! on a busy machine). Workers therefore spin for a short, bounded time after each region
//! before sleeping on the condition variable, so back-to-back regions find them awake; the
//! bound keeps an idle pool from taking a core from other processes (a spinning OpenMP pool on
//! this 2-core machine made every region wait for a scheduler tick, see bench/RESULTS.md).

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use kcache_abi::{kc_body_fn, MODULE_STATUS_OK};

/// How long a worker keeps looking for the next region before it sleeps.
const WORKER_SPIN: Duration = Duration::from_micros(50);
/// How long the caller spins for chunks that workers are still running before it sleeps.
const CALLER_SPIN: Duration = Duration::from_micros(100);

/// How long a spin only spins before it also yields the core between looks.
const YIELD_AFTER: Duration = Duration::from_micros(5);

/// The claim word: the region's generation above the count of chunks not yet claimed.
const CHUNK_BITS: u32 = 20;
const CHUNK_MASK: u64 = (1 << CHUNK_BITS) - 1;

struct Pool {
    /// Held by the region on the pool (a flag, not a lock: a busy pool is never waited for).
    busy: AtomicBool,
    /// The published region; read only by a thread that has claimed one of its chunks, which
    /// keeps the region (and so these fields) from changing until that chunk is finished.
    body: AtomicUsize,
    ctx: AtomicUsize,
    n: AtomicI64,
    chunks: AtomicI64,
    generation: AtomicU64,
    claim: AtomicU64,
    unfinished: AtomicI64,
    status: AtomicI32,
    /// Workers asleep on `wake`, and whether the caller sleeps on `done`: each side checks the
    /// other's flag after its own store (sequentially consistent), so a wake-up is never lost
    /// and never paid for when nobody sleeps.
    sleepers: AtomicUsize,
    caller_waiting: AtomicBool,
    lock: Mutex<Workers>,
    wake: Condvar,
    done: Condvar,
}

struct Workers {
    started: usize,
}

static THREADS: AtomicUsize = AtomicUsize::new(0);

fn default_threads() -> usize {
    std::env::var("KCACHE_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// Threads a parallel region uses (`KCACHE_NUM_THREADS`, default: usable cores).
pub fn num_threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => {
            let n = default_threads();
            THREADS.store(n, Ordering::Relaxed);
            n
        }
        n => n,
    }
}

pub fn set_num_threads(n: usize) {
    THREADS.store(n.max(1), Ordering::Relaxed);
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        busy: AtomicBool::new(false),
        body: AtomicUsize::new(0),
        ctx: AtomicUsize::new(0),
        n: AtomicI64::new(0),
        chunks: AtomicI64::new(0),
        generation: AtomicU64::new(0),
        claim: AtomicU64::new(0),
        unfinished: AtomicI64::new(0),
        status: AtomicI32::new(MODULE_STATUS_OK),
        sleepers: AtomicUsize::new(0),
        caller_waiting: AtomicBool::new(false),
        lock: Mutex::new(Workers { started: 0 }),
        wake: Condvar::new(),
        done: Condvar::new(),
    })
}

fn lock(pool: &Pool) -> MutexGuard<'_, Workers> {
    pool.lock.lock().unwrap_or_else(|e| e.into_inner())
}

fn chunk_bounds(n: i64, chunks: i64, c: i64) -> (i64, i64) {
    let lo = (n as i128 * c as i128 / chunks as i128) as i64;
    let hi = (n as i128 * (c + 1) as i128 / chunks as i128) as i64;
    (lo, hi)
}

/// Spins until `ready` or `limit` has passed; whether `ready` became true. After the first
/// microseconds it yields the core between looks: on a machine with more runnable threads than
/// cores, the thread being waited for may be the one this spin keeps off a core.
fn spin_until(limit: Duration, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    let mut rounds = 0u32;
    loop {
        for _ in 0..64 {
            if ready() {
                return true;
            }
            std::hint::spin_loop();
        }
        rounds += 1;
        let spent = start.elapsed();
        if spent >= limit {
            return ready();
        }
        if rounds > 16 && spent >= YIELD_AFTER {
            std::thread::yield_now();
        }
    }
}

/// Runs chunks of the region of `generation` until none are left unclaimed. A thread that
/// comes late may find a newer region published: the generation in the claim word keeps it
/// from taking that region's chunks for this one.
fn run_chunks(pool: &Pool, generation: u64) {
    let mut word = pool.claim.load(Ordering::Acquire);
    loop {
        if word >> CHUNK_BITS != generation || word & CHUNK_MASK == 0 {
            return;
        }
        match pool
            .claim
            .compare_exchange_weak(word, word - 1, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => {}
            Err(now) => {
                word = now;
                continue;
            }
        }
        let c = (word & CHUNK_MASK) as i64 - 1;
        // SAFETY: the claimed chunk keeps the region unfinished, so its fields, published before
        // the claim word (release), are still this region's; transmuting back the function
        // pointer that parallel_for stored.
        let body: kc_body_fn = unsafe { std::mem::transmute::<usize, kc_body_fn>(pool.body.load(Ordering::Relaxed)) };
        let ctx = pool.ctx.load(Ordering::Relaxed) as *mut std::ffi::c_void;
        let (n, chunks) = (pool.n.load(Ordering::Relaxed), pool.chunks.load(Ordering::Relaxed));
        let (lo, hi) = chunk_bounds(n, chunks, c);
        // SAFETY: the generated body is called with the context and bounds of its own region.
        let status = unsafe { body(ctx, lo, hi, c) };
        if status != MODULE_STATUS_OK {
            let _ = pool
                .status
                .compare_exchange(MODULE_STATUS_OK, status, Ordering::Relaxed, Ordering::Relaxed);
        }
        if pool.unfinished.fetch_sub(1, Ordering::SeqCst) == 1 && pool.caller_waiting.load(Ordering::SeqCst) {
            // Under the lock: the caller checks `unfinished` and starts waiting without
            // releasing it, so this notification cannot fall between the two.
            let _guard = lock(pool);
            pool.done.notify_one();
        }
        word = pool.claim.load(Ordering::Acquire);
    }
}

/// `seen`: the generation before the region the worker was started for.
fn worker(pool: &'static Pool, mut seen: u64) {
    loop {
        let fresh = |seen: u64| pool.generation.load(Ordering::SeqCst) != seen;
        if !spin_until(WORKER_SPIN, || fresh(seen)) {
            let mut guard = lock(pool);
            pool.sleepers.fetch_add(1, Ordering::SeqCst);
            while !fresh(seen) {
                guard = pool.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
            }
            pool.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
        seen = pool.generation.load(Ordering::Acquire);
        run_chunks(pool, seen);
    }
}

fn run_serially(body: kc_body_fn, ctx: *mut std::ffi::c_void, n: i64, chunks: i64) -> i32 {
    let mut status = MODULE_STATUS_OK;
    for c in 0..chunks {
        let (lo, hi) = chunk_bounds(n, chunks, c);
        // SAFETY: as in run_chunks.
        let s = unsafe { body(ctx, lo, hi, c) };
        if s != MODULE_STATUS_OK && status == MODULE_STATUS_OK {
            status = s;
        }
    }
    status
}

/// The host's `parallel_for`: runs `body` over `chunks` chunks of `[0, n)` (every chunk exactly
/// once: reductions keep one partial result per chunk).
///
/// # Safety
/// `body` and `ctx` come from generated code and stay valid for the call.
pub unsafe extern "C" fn parallel_for(body: kc_body_fn, ctx: *mut std::ffi::c_void, n: i64, chunks: i64) -> i32 {
    if chunks <= 1 || n <= 1 || chunks as u64 > CHUNK_MASK {
        return run_serially(body, ctx, n, chunks.max(1));
    }
    let pool = pool();
    if pool
        .busy
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return run_serially(body, ctx, n, chunks);
    }
    let wanted = (chunks as usize).saturating_sub(1);
    let generation = {
        let mut workers = lock(pool);
        let previous = pool.generation.load(Ordering::Relaxed);
        while workers.started < wanted {
            std::thread::Builder::new()
                .name("kcache-worker".into())
                .spawn(move || worker(pool, previous))
                .expect("spawning a kcache worker thread");
            workers.started += 1;
        }
        drop(workers);
        pool.body.store(body as usize, Ordering::Relaxed);
        pool.ctx.store(ctx as usize, Ordering::Relaxed);
        pool.n.store(n, Ordering::Relaxed);
        pool.chunks.store(chunks, Ordering::Relaxed);
        pool.unfinished.store(chunks, Ordering::Relaxed);
        pool.status.store(MODULE_STATUS_OK, Ordering::Relaxed);
        let generation = (previous + 1) & (u64::MAX >> CHUNK_BITS);
        pool.claim
            .store((generation << CHUNK_BITS) | chunks as u64, Ordering::Release);
        pool.generation.store(generation, Ordering::SeqCst);
        if pool.sleepers.load(Ordering::SeqCst) > 0 {
            // Under the lock: a worker checks the generation and starts waiting without
            // releasing it.
            let _guard = lock(pool);
            pool.wake.notify_all();
        }
        generation
    };
    run_chunks(pool, generation);
    if !spin_until(CALLER_SPIN, || pool.unfinished.load(Ordering::Acquire) == 0) {
        let mut guard = lock(pool);
        pool.caller_waiting.store(true, Ordering::SeqCst);
        while pool.unfinished.load(Ordering::SeqCst) > 0 {
            guard = pool.done.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        pool.caller_waiting.store(false, Ordering::SeqCst);
    }
    // Acquire: the chunks' writes (their partial results) happen before this region ends.
    let _ = pool.unfinished.load(Ordering::Acquire);
    let status = pool.status.load(Ordering::Relaxed);
    pool.busy.store(false, Ordering::Release);
    status
}

/// The host's `num_threads` for generated code.
pub extern "C" fn host_num_threads() -> i64 {
    num_threads() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicI64;

    /// A context: per-chunk counters of visited indices and a sum of them.
    struct Ctx {
        visits: Vec<AtomicI64>,
        fail_at: i64,
    }

    unsafe extern "C" fn body(ctx: *mut std::ffi::c_void, lo: i64, hi: i64, _chunk: i64) -> i32 {
        // SAFETY: the tests pass a `Ctx`.
        let ctx = unsafe { &*(ctx as *const Ctx) };
        let mut status = MODULE_STATUS_OK;
        for i in lo..hi {
            ctx.visits[i as usize].fetch_add(1, Ordering::Relaxed);
            if i == ctx.fail_at {
                status = kcache_abi::MODULE_STATUS_RAISED;
            }
        }
        status
    }

    fn region(n: i64, chunks: i64, fail_at: i64) -> (i32, Vec<i64>) {
        let ctx = Ctx {
            visits: (0..n).map(|_| AtomicI64::new(0)).collect(),
            fail_at,
        };
        // SAFETY: `body` and `ctx` live for the call.
        let st = unsafe { parallel_for(body, &ctx as *const Ctx as *mut std::ffi::c_void, n, chunks) };
        (st, ctx.visits.iter().map(|v| v.load(Ordering::Relaxed)).collect())
    }

    #[test]
    fn every_index_runs_once_in_back_to_back_regions() {
        for round in 0..2000 {
            let n = 1 + round % 37;
            let (st, visits) = region(n, 1 + round % 4, -1);
            assert_eq!(st, MODULE_STATUS_OK);
            assert!(visits.iter().all(|v| *v == 1), "round {round}: {visits:?}");
        }
    }

    unsafe extern "C" fn slow_body(ctx: *mut std::ffi::c_void, lo: i64, hi: i64, chunk: i64) -> i32 {
        // Long enough per index that workers wake and claim chunks while the caller works.
        let start = Instant::now();
        while start.elapsed() < Duration::from_micros(20) {
            std::hint::spin_loop();
        }
        // SAFETY: as in `body`.
        unsafe { body(ctx, lo, hi, chunk) }
    }

    #[test]
    fn chunks_shared_with_awake_workers_each_run_once() {
        for round in 0..300 {
            let n = 2 + round % 9;
            let ctx = Ctx {
                visits: (0..n).map(|_| AtomicI64::new(0)).collect(),
                fail_at: if round % 7 == 0 { round % n } else { -1 },
            };
            // SAFETY: `slow_body` and `ctx` live for the call.
            let st = unsafe { parallel_for(slow_body, &ctx as *const Ctx as *mut std::ffi::c_void, n, 2 + round % 3) };
            let failed = ctx.fail_at >= 0;
            assert_eq!(st != MODULE_STATUS_OK, failed, "round {round}");
            assert!(
                ctx.visits.iter().all(|v| v.load(Ordering::Relaxed) == 1),
                "round {round}"
            );
        }
    }

    #[test]
    fn a_failing_chunk_fails_the_region_and_the_others_still_run() {
        for fail_at in [0, 5, 99] {
            let (st, visits) = region(100, 3, fail_at);
            assert_eq!(st, kcache_abi::MODULE_STATUS_RAISED);
            assert!(visits.iter().all(|v| *v == 1));
        }
    }

    #[test]
    fn regions_from_several_host_threads_all_complete() {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for round in 0..300 {
                        let (st, visits) = region(10 + (round + t) % 50, 2, -1);
                        assert_eq!(st, MODULE_STATUS_OK);
                        assert!(visits.iter().all(|v| *v == 1));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("a host thread panicked");
        }
    }

    unsafe extern "C" fn nesting_body(ctx: *mut std::ffi::c_void, lo: i64, hi: i64, _chunk: i64) -> i32 {
        // SAFETY: the test passes an array of counters.
        let total = unsafe { &*(ctx as *const AtomicI64) };
        for _ in lo..hi {
            let (st, visits) = region(8, 2, -1);
            assert_eq!(st, MODULE_STATUS_OK);
            total.fetch_add(visits.iter().sum::<i64>(), Ordering::Relaxed);
        }
        MODULE_STATUS_OK
    }

    #[test]
    fn a_region_inside_a_region_runs_on_its_own_thread() {
        let total = AtomicI64::new(0);
        // SAFETY: the body and its counter live for the call.
        let st = unsafe { parallel_for(nesting_body, &total as *const AtomicI64 as *mut std::ffi::c_void, 6, 2) };
        assert_eq!(st, MODULE_STATUS_OK);
        assert_eq!(total.load(Ordering::Relaxed), 6 * 8);
    }
}
