//! The thread pool for `prange` regions.
//!
//! A region is split into as many contiguous chunks as threads; the calling thread runs chunks
//! too. One region runs on the pool at a time: a region that finds the pool busy (another host
//! thread's, or a parallel kernel called from inside a prange body) runs its chunks on the
//! calling thread, so regions never wait on each other and never deadlock.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use kcache_abi::{kc_body_fn, MODULE_STATUS_OK};

#[derive(Clone, Copy)]
struct Job {
    body: kc_body_fn,
    ctx: usize,
    n: i64,
    chunks: i64,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    done: Condvar,
}

struct State {
    generation: u64,
    job: Option<Job>,
    next_chunk: i64,
    unfinished: i64,
    status: i32,
    workers: usize,
}

struct Pool {
    shared: Arc<Shared>,
    region: Mutex<()>,
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
        shared: Arc::new(Shared {
            state: Mutex::new(State {
                generation: 0,
                job: None,
                next_chunk: 0,
                unfinished: 0,
                status: MODULE_STATUS_OK,
                workers: 0,
            }),
            wake: Condvar::new(),
            done: Condvar::new(),
        }),
        region: Mutex::new(()),
    })
}

fn chunk_bounds(n: i64, chunks: i64, c: i64) -> (i64, i64) {
    let lo = (n as i128 * c as i128 / chunks as i128) as i64;
    let hi = (n as i128 * (c + 1) as i128 / chunks as i128) as i64;
    (lo, hi)
}

/// Runs chunks of the job of `generation` until none are left. A worker that wakes late may
/// find a newer region on the pool: it must not take that region's chunks with this job.
fn run_chunks(shared: &Shared, job: Job, generation: u64) {
    loop {
        let c = {
            let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            if st.generation != generation || st.next_chunk >= job.chunks {
                return;
            }
            st.next_chunk += 1;
            st.next_chunk - 1
        };
        let (lo, hi) = chunk_bounds(job.n, job.chunks, c);
        // SAFETY: the generated body is called with the context and bounds of its own region.
        let status = unsafe { (job.body)(job.ctx as *mut std::ffi::c_void, lo, hi, c) };
        let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        if status != MODULE_STATUS_OK && st.status == MODULE_STATUS_OK {
            st.status = status;
        }
        st.unfinished -= 1;
        if st.unfinished == 0 {
            shared.done.notify_all();
        }
    }
}

fn worker(shared: Arc<Shared>) {
    let mut seen = 0u64;
    loop {
        let (job, generation) = {
            let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            while st.generation == seen || st.job.is_none() {
                if st.generation != seen {
                    seen = st.generation;
                }
                st = shared.wake.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            seen = st.generation;
            (st.job.expect("checked above"), st.generation)
        };
        run_chunks(&shared, job, generation);
    }
}

fn run_serially(body: kc_body_fn, ctx: *mut std::ffi::c_void, n: i64, chunks: i64) -> i32 {
    let status = AtomicI32::new(MODULE_STATUS_OK);
    for c in 0..chunks {
        let (lo, hi) = chunk_bounds(n, chunks, c);
        // SAFETY: as in run_chunks.
        let s = unsafe { body(ctx, lo, hi, c) };
        if s != MODULE_STATUS_OK {
            let _ = status.compare_exchange(MODULE_STATUS_OK, s, Ordering::Relaxed, Ordering::Relaxed);
        }
    }
    status.load(Ordering::Relaxed)
}

/// The host's `parallel_for`: runs `body` over `chunks` chunks of `[0, n)`.
///
/// # Safety
/// `body` and `ctx` come from generated code and stay valid for the call.
pub unsafe extern "C" fn parallel_for(body: kc_body_fn, ctx: *mut std::ffi::c_void, n: i64, chunks: i64) -> i32 {
    if chunks <= 1 || n <= 1 {
        return run_serially(body, ctx, n, chunks.max(1));
    }
    let pool = pool();
    let Ok(_region) = pool.region.try_lock() else {
        return run_serially(body, ctx, n, chunks);
    };
    let shared = &pool.shared;
    let job = Job {
        body,
        ctx: ctx as usize,
        n,
        chunks,
    };
    let generation = {
        let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        let wanted = (chunks as usize).saturating_sub(1);
        while st.workers < wanted {
            let s = shared.clone();
            std::thread::Builder::new()
                .name("kcache-worker".into())
                .spawn(move || worker(s))
                .expect("spawning a kcache worker thread");
            st.workers += 1;
        }
        st.generation += 1;
        st.job = Some(job);
        st.next_chunk = 0;
        st.unfinished = chunks;
        st.status = MODULE_STATUS_OK;
        shared.wake.notify_all();
        st.generation
    };
    run_chunks(shared, job, generation);
    let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    while st.unfinished > 0 {
        st = shared.done.wait(st).unwrap_or_else(|e| e.into_inner());
    }
    st.job = None;
    st.status
}

/// The host's `num_threads` for generated code.
pub extern "C" fn host_num_threads() -> i64 {
    num_threads() as i64
}
