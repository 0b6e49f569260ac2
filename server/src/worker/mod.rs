//! Compile isolation: LLVM runs in worker processes (`kcached --compile-worker`), so that a
//! crash, an abort, a hang or a memory bomb in the compiler fails one request, never the daemon.
//!
//! The daemon and a worker talk over the worker's stdin and stdout with frames: a `u32`
//! little-endian length, then the body. A body is a tag byte and fields, each a `u32` length and
//! its bytes (or a `u64`). The format is private to one kcached binary (a worker is always the
//! daemon's own executable), so it has no version.
//!
//! - [`worker_main`]: the worker's side, a loop on one thread with [`COMPILER_STACK_BYTES`] of
//!   stack, under an address-space limit (`RLIMIT_AS`) of its baseline plus `--compile-memory`.
//! - [`pool::WorkerPool`]: the daemon's side, pre-started workers, deadlines, replacement.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use crate::compile::{self, Timings, COMPILER_STACK_BYTES};
use crate::diag::CompileError;
use crate::emit::{self, EmitRequest, TargetSpec};
use crate::link::Linker;
use crate::lower::EntryAbi;

pub mod pool;

/// The hidden first argument that makes `kcached` a compile worker.
pub const WORKER_FLAG: &str = "--compile-worker";

/// A frame larger than this is garbage (requests are capped at 64 MiB by gRPC).
const MAX_FRAME: usize = 1 << 30;

const TAG_COMPILE: u8 = 1;
const TAG_INSPECT: u8 = 2;
const TAG_READY: u8 = 10;
const TAG_COMPILED: u8 = 11;
const TAG_INSPECTED: u8 = 12;
const TAG_SOURCE_ERROR: u8 = 13;
const TAG_INTERNAL_ERROR: u8 = 14;

/// What a worker is asked to do.
#[derive(Clone, Debug)]
pub struct Job {
    pub inspect: bool,
    pub source: String,
    pub entry: String,
    pub signature: String,
    pub options: BTreeMap<String, String>,
    pub target: TargetSpec,
    pub artifact: compile::ArtifactKind,
}

/// A finished compile, as the daemon stores it.
#[derive(Debug)]
pub struct Built {
    pub shared_object: Vec<u8>,
    pub linker: Linker,
    pub abi: EntryAbi,
    pub timings: Timings,
    /// The canonical options (`KernelOptions::canonical`), for the action record.
    pub options: String,
    /// The worker's own time on the job, from reading the request to writing the answer: the
    /// rest of a round trip is what isolation costs.
    pub worker_us: u64,
}

/// What `Inspect` shows.
#[derive(Debug)]
pub struct Inspected {
    pub typed_ir: String,
    pub llvm_ir: String,
    pub optimized_ir: String,
    pub assembly: String,
}

/// A worker's answer to one job.
#[derive(Debug)]
pub enum Answer {
    Compiled(Box<Built>),
    Inspected(Box<Inspected>),
    /// The user's input is wrong: the rendered diagnostic (INVALID_ARGUMENT).
    SourceError(String),
    /// The compiler failed cleanly (or panicked and recovered).
    InternalError(String),
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("worker pipe: {0}")]
    Io(#[from] std::io::Error),
    #[error("malformed worker message: {0}")]
    Malformed(&'static str),
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn tag(tag: u8) -> Writer {
        // Room for the frame's length, filled in by `frame`.
        Writer(vec![0, 0, 0, 0, tag])
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(b.len() as u32).to_le_bytes());
        self.0.extend_from_slice(b);
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// The frame to send: its length, then the body.
    fn frame(mut self) -> Vec<u8> {
        let len = (self.0.len() - 4) as u32;
        self.0[..4].copy_from_slice(&len.to_le_bytes());
        self.0
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if self.0.len() < n {
            return Err(WireError::Malformed("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }
    fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn bytes(&mut self) -> Result<&'a [u8], WireError> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")) as usize;
        self.take(n)
    }
    fn string(&mut self) -> Result<String, WireError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| WireError::Malformed("not UTF-8"))
    }
}

/// The length of a frame from its 4-byte header, checked.
fn frame_len(header: [u8; 4]) -> Result<usize, WireError> {
    let n = u32::from_le_bytes(header) as usize;
    if n == 0 || n > MAX_FRAME {
        return Err(WireError::Malformed("bad frame length"));
    }
    Ok(n)
}

impl Job {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::tag(if self.inspect { TAG_INSPECT } else { TAG_COMPILE });
        w.bytes(self.source.as_bytes())
            .bytes(self.entry.as_bytes())
            .bytes(self.signature.as_bytes())
            .u64(self.options.len() as u64);
        for (k, v) in &self.options {
            w.bytes(k.as_bytes()).bytes(v.as_bytes());
        }
        w.bytes(self.target.triple.as_bytes())
            .bytes(self.target.cpu.as_bytes())
            .bytes(self.target.features.as_bytes())
            .bytes(self.artifact.name().as_bytes());
        w.frame()
    }

    fn decode(body: &[u8]) -> Result<Job, WireError> {
        let mut r = Reader(body);
        let inspect = match r.u8()? {
            TAG_COMPILE => false,
            TAG_INSPECT => true,
            _ => return Err(WireError::Malformed("unknown job")),
        };
        let source = r.string()?;
        let entry = r.string()?;
        let signature = r.string()?;
        let n = r.u64()?;
        let mut options = BTreeMap::new();
        for _ in 0..n {
            let k = r.string()?;
            options.insert(k, r.string()?);
        }
        let target = TargetSpec {
            triple: r.string()?,
            cpu: r.string()?,
            features: r.string()?,
        };
        let artifact =
            compile::ArtifactKind::from_name(&r.string()?).ok_or(WireError::Malformed("unknown artifact kind"))?;
        Ok(Job {
            inspect,
            source,
            entry,
            signature,
            options,
            target,
            artifact,
        })
    }
}

impl Answer {
    fn encode(&self) -> Vec<u8> {
        match self {
            Answer::Compiled(b) => {
                let mut w = Writer::tag(TAG_COMPILED);
                let abi = serde_json::to_vec(&b.abi).expect("an ABI serializes");
                let t = &b.timings;
                w.bytes(&b.shared_object)
                    .u64(matches!(b.linker, Linker::SystemLd) as u64)
                    .bytes(&abi)
                    .bytes(b.options.as_bytes());
                for v in [
                    t.parse_us,
                    t.infer_us,
                    t.lower_us,
                    t.optimize_us,
                    t.emit_us,
                    t.link_us,
                    b.worker_us,
                ] {
                    w.u64(v);
                }
                w.frame()
            }
            Answer::Inspected(i) => {
                let mut w = Writer::tag(TAG_INSPECTED);
                w.bytes(i.typed_ir.as_bytes())
                    .bytes(i.llvm_ir.as_bytes())
                    .bytes(i.optimized_ir.as_bytes())
                    .bytes(i.assembly.as_bytes());
                w.frame()
            }
            Answer::SourceError(m) => {
                let mut w = Writer::tag(TAG_SOURCE_ERROR);
                w.bytes(m.as_bytes());
                w.frame()
            }
            Answer::InternalError(m) => {
                let mut w = Writer::tag(TAG_INTERNAL_ERROR);
                w.bytes(m.as_bytes());
                w.frame()
            }
        }
    }

    pub fn decode(body: &[u8]) -> Result<Answer, WireError> {
        let mut r = Reader(body);
        Ok(match r.u8()? {
            TAG_COMPILED => {
                let shared_object = r.bytes()?.to_vec();
                let linker = if r.u64()? == 1 {
                    Linker::SystemLd
                } else {
                    Linker::InProcess
                };
                let abi = serde_json::from_slice(r.bytes()?).map_err(|_| WireError::Malformed("ABI"))?;
                let options = r.string()?;
                let timings = Timings {
                    parse_us: r.u64()?,
                    infer_us: r.u64()?,
                    lower_us: r.u64()?,
                    optimize_us: r.u64()?,
                    emit_us: r.u64()?,
                    link_us: r.u64()?,
                };
                Answer::Compiled(Box::new(Built {
                    shared_object,
                    linker,
                    abi,
                    timings,
                    options,
                    worker_us: r.u64()?,
                }))
            }
            TAG_INSPECTED => Answer::Inspected(Box::new(Inspected {
                typed_ir: r.string()?,
                llvm_ir: r.string()?,
                optimized_ir: r.string()?,
                assembly: r.string()?,
            })),
            TAG_SOURCE_ERROR => Answer::SourceError(r.string()?),
            TAG_INTERNAL_ERROR => Answer::InternalError(r.string()?),
            _ => return Err(WireError::Malformed("unknown answer")),
        })
    }
}

/// Where compiles run.
pub enum Compiler {
    /// On a fresh thread of this process with the compiler's stack: no isolation (tests, and
    /// programs embedding the service).
    InProcess,
    /// In worker processes.
    Workers(std::sync::Arc<pool::WorkerPool>),
}

impl Compiler {
    pub async fn run(&self, job: Job) -> Result<Answer, pool::Failure> {
        match self {
            Compiler::Workers(pool) => pool.run(&job).await,
            Compiler::InProcess => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                std::thread::Builder::new()
                    .name("kcached-compile".into())
                    .stack_size(COMPILER_STACK_BYTES)
                    .spawn(move || {
                        let answer = std::panic::catch_unwind(|| run_job(&job))
                            .unwrap_or_else(|_| Answer::InternalError("the compiler panicked".into()));
                        let _ = tx.send(answer);
                    })
                    .map_err(|e| pool::Failure::Unavailable(format!("no compile thread: {e}")))?;
                rx.await
                    .map_err(|_| pool::Failure::Crashed("the compile thread ended without an answer".into()))
            }
        }
    }

    /// The workers' counters, when compiles run in workers.
    pub fn stats(&self) -> Option<&pool::PoolStats> {
        match self {
            Compiler::Workers(pool) => Some(&pool.stats),
            Compiler::InProcess => None,
        }
    }
}

/// Reads one frame's body (blocking; the worker's side).
fn read_frame(input: &mut impl Read) -> Result<Option<Vec<u8>>, WireError> {
    let mut header = [0u8; 4];
    match input.read_exact(&mut header) {
        Ok(()) => {}
        // The daemon closed the pipe: it is done with this worker.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let mut body = vec![0u8; frame_len(header)?];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

/// Reads one frame's body from an async reader (the daemon's side).
pub async fn read_frame_async(input: &mut (impl tokio::io::AsyncRead + Unpin)) -> Result<Vec<u8>, WireError> {
    use tokio::io::AsyncReadExt;
    let mut header = [0u8; 4];
    input.read_exact(&mut header).await?;
    let mut body = vec![0u8; frame_len(header)?];
    input.read_exact(&mut body).await?;
    Ok(body)
}

fn run_job(job: &Job) -> Answer {
    fault_injection(&job.entry);
    let result = compile::prepare(&job.source, &job.entry, &job.signature, &job.options).and_then(|mut prepared| {
        prepared.artifact = job.artifact;
        let want = if job.inspect {
            EmitRequest {
                optimized_ir: true,
                assembly: true,
            }
        } else {
            EmitRequest::default()
        };
        compile::compile(&prepared, &job.target, want).map(|c| (c, prepared.options.canonical()))
    });
    match result {
        Ok((c, _)) if job.inspect => Answer::Inspected(Box::new(Inspected {
            typed_ir: c.typed_ir,
            llvm_ir: c.llvm_ir,
            optimized_ir: c.optimized_ir.unwrap_or_default(),
            assembly: c.assembly.unwrap_or_default(),
        })),
        Ok((c, options)) => Answer::Compiled(Box::new(Built {
            shared_object: c.shared_object,
            linker: c.linker,
            abi: c.abi,
            timings: c.timings,
            options,
            worker_us: 0,
        })),
        Err(CompileError::Source(d)) => Answer::SourceError(d.to_string()),
        Err(CompileError::Internal(m)) => Answer::InternalError(m),
    }
}

/// Whether the tests' fault hooks are on (`KCACHE_WORKER_FAULTS=1` in the daemon's environment).
fn faults_enabled() -> bool {
    std::env::var_os("KCACHE_WORKER_FAULTS").is_some_and(|v| v == "1")
}

/// A slow worker start on demand, for the tests of the pool only: with `KCACHE_WORKER_FAULTS=1`,
/// `KCACHE_FAULT_START_MS` delays a starting worker's readiness (a loaded machine's).
fn slow_start() {
    if !faults_enabled() {
        return;
    }
    if let Some(ms) = std::env::var("KCACHE_FAULT_START_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Faults on demand, for the tests of isolation only: with `KCACHE_WORKER_FAULTS=1` in the
/// daemon's environment, an entry named `kcache_fault_*` makes the worker misbehave as a buggy
/// compiler would. Without the variable these names are ordinary.
fn fault_injection(entry: &str) {
    if !faults_enabled() {
        return;
    }
    let Some(fault) = entry.strip_prefix("kcache_fault_") else {
        return;
    };
    match fault.split('_').next().unwrap_or("") {
        "abort" => std::process::abort(),
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        "alloc" => {
            // Reserve until the address-space limit says no: the allocator then aborts with
            // "memory allocation of N bytes failed", as LLVM runs out in a real bomb.
            let mut hold = Vec::new();
            loop {
                let mut block: Vec<u8> = Vec::with_capacity(64 << 20);
                block.push(1);
                hold.push(block);
            }
        }
        "slow" => std::thread::sleep(std::time::Duration::from_millis(
            std::env::var("KCACHE_FAULT_SLOW_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(1500),
        )),
        _ => {}
    }
}

/// A tiny compile, so that LLVM's one-time set-up (target tables, pass registries, the page-in
/// of its code) is paid when the worker starts rather than by the first request it serves.
/// Tiny on purpose: a first request often arrives while the worker is still warming up (an
/// autostarting client), and a kernel with a float loop and a math call here made that first
/// compile 24 ms slower without making a later first compile measurably faster.
fn warm_up() {
    let _ = run_job(&warm_up_job());
}

fn warm_up_job() -> Job {
    Job {
        inspect: false,
        source: "def kcache_warm_up(x):\n    return x + 1\n".into(),
        entry: "kcache_warm_up".into(),
        signature: "int64(int64)".into(),
        options: BTreeMap::new(),
        target: emit::host_target(),
        artifact: compile::ArtifactKind::SharedObject,
    }
}

/// The address space mapped now (`VmSize`), in bytes.
fn mapped_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The worker process: `kcached --compile-worker MEMORY_BYTES`. Returns the exit code.
pub fn worker_main(args: &[String]) -> i32 {
    let memory: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
    // Replies go to a private copy of stdout; fd 1 becomes stderr, so that anything printed by
    // accident (a library's diagnostics) lands in the daemon's log instead of corrupting a frame.
    // SAFETY: dup/dup2 on the standard descriptors this process owns.
    let reply_fd = unsafe { libc::dup(1) };
    if reply_fd < 0 || unsafe { libc::dup2(2, 1) } < 0 {
        eprintln!("kcached worker: cannot set up its pipes");
        return 2;
    }
    // SAFETY: reply_fd is a fresh descriptor that nothing else owns.
    let replies: std::fs::File = unsafe { std::os::fd::FromRawFd::from_raw_fd(reply_fd) };
    // Work happens on one thread with the compiler's stack; the main thread only waits on it.
    let worker = std::thread::Builder::new()
        .name("kcached-compile".into())
        .stack_size(COMPILER_STACK_BYTES)
        .spawn(move || serve(memory, replies));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => 3,
    }
}

fn serve(memory: u64, replies: std::fs::File) -> i32 {
    slow_start();
    warm_up();
    if memory > 0 {
        // The limit counts what a compile adds to the warm worker: its stack reservation, the
        // libraries and LLVM's tables are there before any request.
        let limit = mapped_bytes().unwrap_or(0).saturating_add(memory);
        let rl = libc::rlimit {
            rlim_cur: limit,
            rlim_max: limit,
        };
        // SAFETY: setrlimit with a valid struct.
        if unsafe { libc::setrlimit(libc::RLIMIT_AS, &rl) } != 0 {
            eprintln!(
                "kcached worker: cannot limit its memory: {}",
                std::io::Error::last_os_error()
            );
        }
    }
    let mut input = std::io::stdin().lock();
    let mut output = std::io::BufWriter::new(replies);
    let mut send = |frame: Vec<u8>| output.write_all(&frame).and_then(|()| output.flush());
    if send(Writer::tag(TAG_READY).frame()).is_err() {
        return 0;
    }
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(body)) => body,
            Ok(None) => return 0,
            Err(e) => {
                eprintln!("kcached worker: {e}");
                return 4;
            }
        };
        let received = std::time::Instant::now();
        let mut answer = match Job::decode(&body) {
            Ok(job) => {
                drop(body);
                // A panic in the compiler is a bug in kcache: report it for this request and
                // keep serving (the panic hook has printed it to the daemon's log).
                std::panic::catch_unwind(|| run_job(&job)).unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    Answer::InternalError(format!("the compiler panicked: {what}"))
                })
            }
            Err(e) => Answer::InternalError(e.to_string()),
        };
        if let Answer::Compiled(built) = &mut answer {
            built.worker_us = received.elapsed().as_micros() as u64;
        }
        if send(answer.encode()).is_err() {
            return 0;
        }
    }
}

/// Whether a frame body is the worker's "ready" greeting.
fn is_ready(body: &[u8]) -> bool {
    body == [TAG_READY]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A warm-up that fails to compile would leave every worker cold, silently.
    #[test]
    fn the_warm_up_kernel_compiles() {
        let answer = run_job(&warm_up_job());
        assert!(matches!(answer, Answer::Compiled(_)), "{answer:?}");
    }

    #[test]
    fn jobs_and_answers_round_trip() {
        let job = Job {
            inspect: true,
            source: "def f(x):\n    return x\n".into(),
            entry: "f".into(),
            signature: "int64(int64)".into(),
            options: [("fastmath".to_string(), "true".to_string())].into_iter().collect(),
            target: TargetSpec {
                triple: "x86_64-unknown-linux-gnu".into(),
                cpu: "x86-64-v3".into(),
                features: "+avx2".into(),
            },
            artifact: compile::ArtifactKind::Object,
        };
        let frame = job.encode();
        assert_eq!(
            Job::decode(&frame[4..]).unwrap().artifact,
            compile::ArtifactKind::Object
        );
        assert_eq!(frame_len(frame[..4].try_into().unwrap()).unwrap(), frame.len() - 4);
        let back = Job::decode(&frame[4..]).unwrap();
        assert_eq!(
            (
                back.inspect,
                back.source,
                back.entry,
                back.signature,
                back.options,
                back.target
            ),
            (
                job.inspect,
                job.source,
                job.entry,
                job.signature,
                job.options,
                job.target
            )
        );
        let answer = Answer::SourceError("1:2: type error: no".into());
        let frame = answer.encode();
        assert!(matches!(Answer::decode(&frame[4..]).unwrap(), Answer::SourceError(m) if m == "1:2: type error: no"));
        assert!(Answer::decode(&[TAG_COMPILED, 9]).is_err());
        assert!(frame_len([0, 0, 0, 0]).is_err());
    }
}
