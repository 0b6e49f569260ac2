//! The daemon's side of compile isolation: a pool of pre-started workers, one job at a time
//! each, with a wall-clock deadline per job; a worker that overruns, crashes or runs out of
//! memory is killed and replaced, and only its request fails.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::{Notify, Semaphore};

use super::{is_ready, read_frame_async, Answer, Job, WORKER_FLAG};

#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// The kcached executable to run as workers.
    pub exe: PathBuf,
    /// Compiles at once (one worker each).
    pub workers: usize,
    /// Wall-clock limit of one compile.
    pub timeout: Duration,
    /// Bytes of address space a compile may add to a warm worker (0: no limit).
    pub memory: u64,
}

impl PoolConfig {
    /// This very executable (through /proc, so that a binary replaced on disk by an upgrade
    /// still starts workers of the daemon's own version).
    pub fn this_exe(workers: usize, timeout: Duration, memory: u64) -> PoolConfig {
        PoolConfig {
            exe: PathBuf::from("/proc/self/exe"),
            workers: workers.max(1),
            timeout,
            memory,
        }
    }
}

/// Why a job got no answer.
#[derive(Debug)]
pub enum Failure {
    /// Ran past `--compile-timeout`; the worker was killed.
    Timeout(Duration),
    /// The worker hit `--compile-memory` (this many bytes) and died.
    OutOfMemory(u64),
    /// The worker died (a signal, an abort) or broke the protocol.
    Crashed(String),
    /// No worker could be started.
    Unavailable(String),
}

/// What the pool has done, for `Stats`.
#[derive(Default)]
pub struct PoolStats {
    pub jobs: AtomicU64,
    /// Jobs answered with a compiled artifact (what `isolation_us` is summed over).
    pub compiled: AtomicU64,
    pub timeouts: AtomicU64,
    pub out_of_memory: AtomicU64,
    pub crashes: AtomicU64,
    /// Workers started after the first ones (replacements).
    pub restarts: AtomicU64,
    /// Sum over answered compiles of the round trip minus the worker's own time on the job:
    /// what isolation costs (encoding and decoding, two pipe transfers, waking the worker).
    pub isolation_us: AtomicU64,
}

/// Lines of a worker's stderr kept to explain its death.
const STDERR_TAIL: usize = 24;
/// How long a starting worker may take to be ready (it warms LLVM up first).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// A worker is retired after this many jobs: it bounds what a leak in the compiler can grow to.
const JOBS_PER_WORKER: u32 = 2_000;

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    stderr_reader: tokio::task::JoinHandle<()>,
    jobs: u32,
}

pub struct WorkerPool {
    cfg: PoolConfig,
    idle: Mutex<Vec<Worker>>,
    slots: Arc<Semaphore>,
    started: AtomicU64,
    /// Workers being started in the background, and a signal each time one is parked (or
    /// failed to start).
    starting: AtomicUsize,
    landed: Notify,
    pub stats: PoolStats,
}

impl WorkerPool {
    /// A pool whose workers start in the background now, so that the first compiles find them
    /// warm. Needs a tokio runtime.
    pub fn start(cfg: PoolConfig) -> Arc<WorkerPool> {
        let pool = Arc::new(WorkerPool {
            slots: Arc::new(Semaphore::new(cfg.workers)),
            idle: Mutex::new(Vec::new()),
            started: AtomicU64::new(0),
            starting: AtomicUsize::new(0),
            landed: Notify::new(),
            stats: PoolStats::default(),
            cfg,
        });
        for _ in 0..pool.cfg.workers {
            pool.replenish();
        }
        pool
    }

    pub fn config(&self) -> &PoolConfig {
        &self.cfg
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Worker>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a worker in the background and parks it idle (a replacement, or the first ones).
    fn replenish(self: &Arc<Self>) {
        let pool = self.clone();
        pool.starting.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let started = pool.spawn().await;
            pool.starting.fetch_sub(1, Ordering::SeqCst);
            match started {
                Ok(worker) => pool.park(worker),
                Err(e) => tracing::error!(error = %e, "could not start a compile worker"),
            }
            pool.landed.notify_waiters();
        });
    }

    /// An idle worker that is still alive, if any.
    fn take_idle(&self) -> Option<Worker> {
        loop {
            let mut worker = self.idle().pop()?;
            if matches!(worker.child.try_wait(), Ok(None)) {
                return Some(worker);
            }
            // A worker that died while idle (killed from outside) is no fault of this request.
            self.stats.crashes.fetch_add(1, Ordering::Relaxed);
            tracing::warn!("a compile worker died while idle; another takes its job");
        }
    }

    /// A worker for a job that holds a slot: an idle one, else one being started in the
    /// background (at the daemon's start, or replacing one), else a new one. Starting a new one
    /// while another is starting would make the two compete for the CPU as they load LLVM,
    /// and the first compile of a daemon that has just started would wait for the slower.
    async fn worker(&self) -> Result<Worker, Failure> {
        loop {
            let landed = self.landed.notified();
            tokio::pin!(landed);
            landed.as_mut().enable();
            if let Some(worker) = self.take_idle() {
                return Ok(worker);
            }
            if self.starting.load(Ordering::SeqCst) == 0 {
                return self.spawn().await.map_err(Failure::Unavailable);
            }
            landed.await;
        }
    }

    fn park(&self, worker: Worker) {
        let mut idle = self.idle();
        // Never more idle workers than compile slots (an on-demand start and a replacement
        // can both land); the extra one is dropped, which kills it.
        if idle.len() < self.cfg.workers {
            idle.push(worker);
        }
    }

    async fn spawn(&self) -> Result<Worker, String> {
        if self.started.fetch_add(1, Ordering::Relaxed) >= self.cfg.workers as u64 {
            self.stats.restarts.fetch_add(1, Ordering::Relaxed);
        }
        let mut command = tokio::process::Command::new(&self.cfg.exe);
        command
            .arg(WORKER_FLAG)
            .arg(self.cfg.memory.to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        // SAFETY: prctl is async-signal-safe; it only asks the kernel to kill the worker when
        // the daemon dies, so that no orphan compiles on.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("starting {}: {e}", self.cfg.exe.display()))?;
        let (Some(stdin), Some(mut stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err("a worker without pipes".into());
        };
        let pid = child.id().unwrap_or(0);
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = stderr_tail.clone();
        // The worker's stderr goes to the daemon's log, and its last lines explain a death.
        let stderr_reader = tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::warn!(worker = pid, "{line}");
                let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                if tail.len() == STDERR_TAIL {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
        });
        match tokio::time::timeout(START_TIMEOUT, read_frame_async(&mut stdout)).await {
            Ok(Ok(body)) if is_ready(&body) => {}
            Ok(Ok(_)) => return Err("a worker greeted with something else than ready".into()),
            Ok(Err(e)) => return Err(format!("a worker died while starting: {e}")),
            Err(_) => return Err(format!("a worker was not ready within {START_TIMEOUT:?}")),
        }
        Ok(Worker {
            child,
            stdin,
            stdout,
            stderr_tail,
            stderr_reader,
            jobs: 0,
        })
    }

    /// Runs one job on a worker, waiting for a free slot first (compiles queue there).
    pub async fn run(self: &Arc<Self>, job: &Job) -> Result<Answer, Failure> {
        let _slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the pool is never closed");
        let mut worker = self.worker().await?;
        self.stats.jobs.fetch_add(1, Ordering::Relaxed);
        worker.stderr_tail.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let started = Instant::now();
        let exchange = async {
            worker.stdin.write_all(&job.encode()).await?;
            worker.stdin.flush().await?;
            read_frame_async(&mut worker.stdout).await
        };
        let outcome = tokio::time::timeout(self.cfg.timeout, exchange).await;
        match outcome {
            Ok(Ok(body)) => match Answer::decode(&body) {
                Ok(answer) => {
                    let round_trip = started.elapsed().as_micros() as u64;
                    let inside = match &answer {
                        Answer::Compiled(b) => b.worker_us,
                        _ => round_trip,
                    };
                    if matches!(answer, Answer::Compiled(_)) {
                        self.stats.compiled.fetch_add(1, Ordering::Relaxed);
                        self.stats
                            .isolation_us
                            .fetch_add(round_trip.saturating_sub(inside), Ordering::Relaxed);
                    }
                    worker.jobs += 1;
                    if worker.jobs >= JOBS_PER_WORKER {
                        // Retired: dropping it closes its stdin and kills it.
                        self.replenish();
                    } else {
                        self.park(worker);
                    }
                    Ok(answer)
                }
                Err(e) => {
                    self.stats.crashes.fetch_add(1, Ordering::Relaxed);
                    self.replenish();
                    Err(Failure::Crashed(e.to_string()))
                }
            },
            Ok(Err(_)) => Err(self.died(worker).await),
            Err(_) => {
                self.stats.timeouts.fetch_add(1, Ordering::Relaxed);
                let pid = worker.child.id();
                let _ = worker.child.start_kill();
                tracing::warn!(worker = pid, timeout = ?self.cfg.timeout, "a compile ran past --compile-timeout; its worker was killed");
                // Reaped in the background: the reply need not wait for it.
                tokio::spawn(async move {
                    let _ = worker.child.wait().await;
                });
                self.replenish();
                Err(Failure::Timeout(self.cfg.timeout))
            }
        }
    }

    /// A worker's pipe broke mid-job: reap it, read why from its exit and last words, replace it.
    async fn died(self: &Arc<Self>, mut worker: Worker) -> Failure {
        let status = tokio::time::timeout(Duration::from_secs(5), worker.child.wait()).await;
        if status.is_err() {
            let _ = worker.child.start_kill();
        }
        // Its last lines of stderr arrive once it is gone.
        let _ = tokio::time::timeout(Duration::from_secs(1), &mut worker.stderr_reader).await;
        let tail: Vec<String> = worker
            .stderr_tail
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect();
        self.replenish();
        let how = match status {
            Ok(Ok(s)) => describe_exit(s),
            _ => "did not exit".to_string(),
        };
        let out_of_memory = tail.iter().any(|l| {
            l.contains("memory allocation of")
                || l.contains("out of memory")
                || l.contains("bad_alloc")
                || l.contains("Cannot allocate memory")
        });
        let last = tail.last().map(|l| cap(l, 300)).unwrap_or_default();
        let pid = worker.child.id();
        if out_of_memory {
            self.stats.out_of_memory.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(worker = pid, %how, "a compile ran out of memory (--compile-memory); its worker was replaced");
            Failure::OutOfMemory(self.cfg.memory)
        } else {
            self.stats.crashes.fetch_add(1, Ordering::Relaxed);
            tracing::error!(worker = pid, %how, last = %last, "a compile worker died; it was replaced");
            Failure::Crashed(if last.is_empty() { how } else { format!("{how}: {last}") })
        }
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("the worker exited with status {code}"),
        (None, Some(sig)) => {
            // SAFETY: strsignal returns a static or thread-local string for any number.
            let name = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(sig)) };
            format!("the worker was killed by signal {sig} ({})", name.to_string_lossy())
        }
        _ => "the worker ended".to_string(),
    }
}

fn cap(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
