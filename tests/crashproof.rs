//! Issue 16, the service side: no compile, client or fault takes the shared daemon down or stalls
//! it. Faults come from the workers' test hook (`KCACHE_WORKER_FAULTS=1`: an entry named
//! `kcache_fault_abort`, `_hang`, `_alloc` or `_slow` makes the compile misbehave so).

use std::time::{Duration, Instant};

use kcache_e2e::*;
use kcache_proto::v1 as pb;
use tonic::Code;

const FAULTS: (&str, &str) = ("KCACHE_WORKER_FAULTS", "1");

fn kernel(entry: &str, k: u32) -> String {
    format!("def {entry}(x):\n    return x * {k} + 1\n")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

async fn stats(daemon: &Daemon) -> pb::StatsReply {
    raw_client(&daemon.socket)
        .await
        .stats(pb::StatsRequest {})
        .await
        .unwrap()
        .into_inner()
}

async fn compile(daemon: &Daemon, entry: &str, k: u32) -> Result<pb::CompileReply, tonic::Status> {
    raw_client(&daemon.socket)
        .await
        .compile(compile_request(&kernel(entry, k), entry, "int64(int64)"))
        .await
        .map(|r| r.into_inner())
}

/// A worker that aborts fails its own request with INTERNAL; the next compile gets a fresh
/// worker and the daemon lives on.
#[test]
fn a_crashing_compile_fails_alone() {
    let mut daemon = Daemon::start_with_env(&[], &[FAULTS]);
    runtime().block_on(async {
        let err = compile(&daemon, "kcache_fault_abort", 1).await.unwrap_err();
        assert_eq!(err.code(), Code::Internal, "{err:?}");
        assert!(err.message().contains("crashed"), "{}", err.message());
        let ok = compile(&daemon, "f", 2).await.unwrap();
        assert!(!ok.cache_hit && ok.stored);
        let s = stats(&daemon).await;
        assert_eq!((s.worker_crashes, s.compiles, s.in_flight), (1, 1, 0), "{s:?}");
        assert!(s.worker_restarts >= 1, "{s:?}");
    });
    assert!(daemon.is_running());
}

/// What isolation costs a cold compile: the round trip to a worker beyond the worker's own time
/// (encoding, the pipes, waking it). Printed; bounded loosely for a debug build on a busy host.
#[test]
fn isolation_costs_a_cold_compile_little() {
    let daemon = Daemon::start();
    runtime().block_on(async {
        let mut client = raw_client(&daemon.socket).await;
        for k in 0..30 {
            let reply = client
                .compile(compile_request(&kernel("f", k), "f", "int64(int64)"))
                .await
                .unwrap()
                .into_inner();
            assert!(!reply.cache_hit);
        }
        let s = stats(&daemon).await;
        eprintln!(
            "isolation: {} us per cold compile (mean over {} compiles of {} us each)",
            s.avg_isolation_us,
            s.compiles,
            s.total_compile_us / s.compiles.max(1)
        );
        assert!(s.avg_isolation_us < 5_000, "{s:?}");
    });
}

/// A compile past --compile-timeout is DEADLINE_EXCEEDED; while it runs, a stored kernel is a
/// fast hit and another cold compile is served by the other worker.
#[test]
fn a_hanging_compile_times_out_while_others_are_served() {
    let daemon = Daemon::start_with_env(&["--compile-timeout", "3s", "--compile-jobs", "2"], &[FAULTS]);
    runtime().block_on(async {
        compile(&daemon, "stored", 1).await.unwrap();
        let started = Instant::now();
        let socket = daemon.socket.clone();
        let hang = tokio::spawn(async move {
            raw_client(&socket)
                .await
                .compile(compile_request(
                    &kernel("kcache_fault_hang", 1),
                    "kcache_fault_hang",
                    "int64(int64)",
                ))
                .await
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let hit_started = Instant::now();
        let hit = compile(&daemon, "stored", 1).await.unwrap();
        assert!(hit.cache_hit);
        assert!(
            hit_started.elapsed() < Duration::from_secs(1),
            "a hit waited behind a hung compile"
        );
        let other = compile(&daemon, "other", 7).await.unwrap();
        assert!(!other.cache_hit);
        let err = hang.await.unwrap().unwrap_err();
        assert_eq!(err.code(), Code::DeadlineExceeded, "{err:?}");
        assert!(err.message().contains("--compile-timeout"), "{}", err.message());
        let took = started.elapsed();
        assert!(
            took >= Duration::from_secs(3) && took < Duration::from_secs(10),
            "{took:?}"
        );
        // The killed worker was replaced: compiles go on.
        compile(&daemon, "after", 3).await.unwrap();
        let s = stats(&daemon).await;
        assert_eq!((s.compile_timeouts, s.in_flight), (1, 0), "{s:?}");
        // The same request again gets the same answer at once: a repeated bomb does not take a
        // worker for another full timeout.
        let again_started = Instant::now();
        let again = raw_client(&daemon.socket)
            .await
            .compile(compile_request(
                &kernel("kcache_fault_hang", 1),
                "kcache_fault_hang",
                "int64(int64)",
            ))
            .await
            .unwrap_err();
        assert_eq!(again.code(), Code::DeadlineExceeded, "{again:?}");
        assert!(
            again_started.elapsed() < Duration::from_secs(2),
            "{:?}",
            again_started.elapsed()
        );
        assert_eq!(stats(&daemon).await.compile_timeouts, 1);
    });
}

/// A compile that outgrows --compile-memory is RESOURCE_EXHAUSTED, and the worker is replaced.
#[test]
fn a_memory_bomb_is_resource_exhausted() {
    let daemon = Daemon::start_with_env(&["--compile-memory", "256M"], &[FAULTS]);
    runtime().block_on(async {
        let err = compile(&daemon, "kcache_fault_alloc", 1).await.unwrap_err();
        assert_eq!(err.code(), Code::ResourceExhausted, "{err:?}");
        assert!(err.message().contains("--compile-memory"), "{}", err.message());
        // An ordinary compile fits in the same limit (it counts above the warm worker).
        let ok = compile(&daemon, "f", 2).await.unwrap();
        assert!(ok.stored);
        let s = stats(&daemon).await;
        assert_eq!(s.compile_out_of_memory, 1, "{s:?}");
    });
}

/// Clients that give up on a compile do not waste it: it finishes and is stored once, a
/// request that comes while it runs joins it, the next one hits, and `in_flight` is exact.
#[test]
fn an_abandoned_compile_finishes_once_and_is_stored() {
    let daemon = Daemon::start_with_env(&[], &[FAULTS, ("KCACHE_FAULT_SLOW_MS", "2000")]);
    let entry = "kcache_fault_slow";
    runtime().block_on(async {
        for _ in 0..3 {
            let mut request = tonic::Request::new(compile_request(&kernel(entry, 5), entry, "int64(int64)"));
            request.set_timeout(Duration::from_millis(200));
            let err = raw_client(&daemon.socket).await.compile(request).await.unwrap_err();
            assert!(
                matches!(err.code(), Code::DeadlineExceeded | Code::Cancelled),
                "{err:?}"
            );
        }
        let s = stats(&daemon).await;
        assert_eq!(
            (s.in_flight, s.compiles),
            (1, 0),
            "one compile runs for three gone clients: {s:?}"
        );
        // Joins the flight in progress.
        let joined = compile(&daemon, entry, 5).await.unwrap();
        assert!(!joined.cache_hit && joined.stored);
        let hit = compile(&daemon, entry, 5).await.unwrap();
        assert!(hit.cache_hit);
        assert_eq!(hit.digest, joined.digest);
        let s = stats(&daemon).await;
        assert_eq!((s.in_flight, s.compiles), (0, 1), "{s:?}");

        // Every client gone for good: the compile still lands in the store.
        let mut request = tonic::Request::new(compile_request(&kernel(entry, 6), entry, "int64(int64)"));
        request.set_timeout(Duration::from_millis(200));
        raw_client(&daemon.socket).await.compile(request).await.unwrap_err();
        tokio::time::sleep(Duration::from_millis(3000)).await;
        let s = stats(&daemon).await;
        assert_eq!((s.in_flight, s.compiles), (0, 2), "{s:?}");
        let hit = compile(&daemon, entry, 6).await.unwrap();
        assert!(hit.cache_hit, "the abandoned compile was not stored");
    });
}

/// Opens `n` connections that never speak (as a crowd of idle clients does).
fn idle_connections(socket: &std::path::Path, n: usize) -> Vec<std::os::unix::net::UnixStream> {
    (0..n)
        .filter_map(|_| std::os::unix::net::UnixStream::connect(socket).ok())
        .collect()
}

/// More idle connections than the daemon has descriptors: `accept` fails with EMFILE. The
/// daemon backs off instead of spinning, closes idle connections to make room, and a new
/// client's hit is served.
#[test]
fn idle_connections_past_the_descriptor_limit_lock_nobody_out() {
    // A cap far above the descriptors, so that EMFILE (not the cap) is what the daemon meets.
    let daemon = Daemon::start_wrapped(
        &["prlimit", "--nofile=256:256", "--"],
        &["--max-connections", "100000"],
        &[],
    );
    let rt = runtime();
    rt.block_on(compile(&daemon, "stored", 1)).unwrap();
    let idle = idle_connections(&daemon.socket, 400);
    assert!(idle.len() >= 300, "the test could not open its idle connections");
    std::thread::sleep(Duration::from_secs(2));
    let pid = daemon.pid().unwrap();
    let before = cpu_time(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_time(pid) - before;
    assert!(
        used < Duration::from_millis(500),
        "the daemon spins: {used:?} of CPU in 2 s"
    );
    rt.block_on(async {
        let started = Instant::now();
        let hit = tokio::time::timeout(Duration::from_secs(10), compile(&daemon, "stored", 1))
            .await
            .expect("a new client's hit was not served")
            .unwrap();
        assert!(hit.cache_hit);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        let s = stats(&daemon).await;
        assert!(s.connections_shed > 0 && s.connections < 256, "{s:?}");
    });
    drop(idle);
}

/// At --max-connections the longest-idle connection makes room for a new one.
#[test]
fn the_connection_cap_sheds_idle_connections() {
    let daemon = Daemon::start_with(&["--max-connections", "20"]);
    let rt = runtime();
    rt.block_on(compile(&daemon, "stored", 1)).unwrap();
    let idle = idle_connections(&daemon.socket, 60);
    rt.block_on(async {
        let hit = tokio::time::timeout(Duration::from_secs(10), compile(&daemon, "stored", 1))
            .await
            .expect("a new client's hit was not served")
            .unwrap();
        assert!(hit.cache_hit);
        let s = stats(&daemon).await;
        assert!(s.connections <= 20, "{s:?}");
        assert!(s.connections_shed >= 40, "{s:?}");
    });
    drop(idle);
}

/// A connection with no request for --idle-timeout is closed; one waiting on a compile is not.
#[test]
fn idle_connections_time_out_but_busy_ones_do_not() {
    let daemon = Daemon::start_with_env(&["--idle-timeout", "1s"], &[FAULTS, ("KCACHE_FAULT_SLOW_MS", "3000")]);
    let mut idle = std::os::unix::net::UnixStream::connect(&daemon.socket).unwrap();
    runtime().block_on(async {
        // The slow compile keeps its connection busy for 3 s, past the idle timeout.
        let slow = compile(&daemon, "kcache_fault_slow", 1).await.unwrap();
        assert!(!slow.cache_hit);
    });
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 1024];
    // The server's HTTP/2 preface may come first; then end-of-file.
    let mut total = 0;
    loop {
        match std::io::Read::read(&mut idle, &mut buf) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) => panic!("the idle connection stayed open: {e} (read {total} bytes)"),
        }
    }
}

/// A small tmpfs, unmounted when dropped. Mounting needs root (CI runs as root); elsewhere the
/// caller skips, saying so.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let dir = tempfile::Builder::new().prefix("kcache-full").tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn free_bytes(dir: &std::path::Path) -> u64 {
    let path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: statvfs fills the struct; the path is NUL-terminated.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::statvfs(path.as_ptr(), &mut st) }, 0);
    st.f_bavail as u64 * st.f_frsize as u64
}

/// Bounds an RPC of a test, so that a stuck daemon fails the test instead of hanging it.
async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within 30 s"))
}

/// On a full disk every compile is still answered, each saying whether it was stored (and the
/// unstored ones counted); hits and gc keep working; a restart on the full disk starts and
/// serves.
#[test]
fn a_full_disk_is_reported_not_fatal() {
    let Some(fs) = Tmpfs::mount("96m") else {
        eprintln!("SKIPPED a_full_disk_is_reported_not_fatal: mounting a small tmpfs needs root");
        return;
    };
    let store = fs.dir.path().join("store");
    let store_arg = store.display().to_string();
    let mut daemon = Daemon::start_with(&["--store", &store_arg]);
    let rt = runtime();
    rt.block_on(async {
        within("a first compile", compile(&daemon, "filler", 0)).await.unwrap();
        // Another program fills the disk, leaving a little more than the store's low-water mark.
        let free = free_bytes(fs.dir.path());
        let keep = kcache_server::store::LOW_WATER_BYTES + (256 << 10);
        let filler = std::fs::File::create(fs.dir.path().join("filler")).unwrap();
        filler.set_len(free - keep).unwrap();
        // Real blocks, not a sparse file.
        // SAFETY: fallocate on a descriptor we own.
        let rc = unsafe { libc::posix_fallocate(std::os::fd::AsRawFd::as_raw_fd(&filler), 0, (free - keep) as i64) };
        assert_eq!(rc, 0, "filling the disk");
        let (mut stored, mut unstored) = (0, 0);
        for k in 1..1000 {
            let reply = within("a compile on a filling disk", compile(&daemon, "filler", k))
                .await
                .expect("a compile on a full disk failed");
            if reply.stored {
                stored += 1;
            } else {
                unstored += 1;
            }
            if unstored >= 3 {
                break;
            }
        }
        assert!(stored > 0 && unstored >= 3, "the disk never filled: {stored} stored");
        let s = within("stats", stats(&daemon)).await;
        assert_eq!(s.unstored_compiles, unstored, "{s:?}");
        // What was stored is still served.
        let hit = within("a hit on a full disk", compile(&daemon, "filler", 0))
            .await
            .unwrap();
        assert!(hit.cache_hit);
        // Gc works on the full disk (its writes use the released reserve).
        let gc = within("gc on a full disk", async {
            raw_client(&daemon.socket)
                .await
                .gc(pb::GcRequest { max_bytes: 1 })
                .await
        })
        .await
        .expect("gc on a full disk")
        .into_inner();
        assert!(gc.removed_actions > 0, "{gc:?}");
    });
    daemon.restart(false);
    rt.block_on(async {
        let reply = within("a compile after a restart", compile(&daemon, "after_restart", 1))
            .await
            .expect("a compile after a restart on a full disk");
        assert!(!reply.cache_hit);
    });
    // A store that cannot even be created (not a byte free): the daemon starts without one and
    // compiles, saying each time that nothing was stored.
    let rest = free_bytes(fs.dir.path());
    let mut all = std::fs::File::create(fs.dir.path().join("filler2")).unwrap();
    let _ = std::io::Write::write_all(&mut all, &vec![1u8; rest as usize + 4096]);
    assert!(free_bytes(fs.dir.path()) < 4096);
    let store2 = fs.dir.path().join("store2").display().to_string();
    let daemon2 = Daemon::start_with(&["--store", &store2]);
    rt.block_on(async {
        let reply = within("a compile without a store", compile(&daemon2, "nostore", 1))
            .await
            .expect("a compile without a store");
        assert!(!reply.stored);
        let s = within("stats", stats(&daemon2)).await;
        assert_eq!(s.unstored_compiles, 1, "{s:?}");
    });
}

/// Inputs that nest deeply (the shapes that overflowed a runtime thread's stack) never take the
/// daemon down: the front end runs on threads with the compiler's stack and the compile in a
/// worker, so the worst outcome is an error for that one request.
#[test]
fn deeply_nested_inputs_fail_alone() {
    let mut daemon = Daemon::start();
    let sum = format!("def f(x):\n    return x{}\n", "+1".repeat(5_000));
    let neg = format!("def f(x):\n    return {}x\n", "-".repeat(5_000));
    let parens = format!("def f(x):\n    return {}x{}\n", "(".repeat(3_000), ")".repeat(3_000));
    runtime().block_on(async {
        for source in [&sum, &neg, &parens] {
            let reply = within("a deep input", async {
                raw_client(&daemon.socket)
                    .await
                    .compile(compile_request(source, "f", "int64(int64)"))
                    .await
            })
            .await;
            if let Err(status) = &reply {
                assert!(
                    matches!(status.code(), Code::InvalidArgument | Code::Internal),
                    "{status:?}"
                );
            }
        }
        assert!(compile(&daemon, "g", 1).await.is_ok());
    });
    assert!(daemon.is_running());
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|stat| {
                let rest = &stat[stat.rfind(')').unwrap_or(0) + 2..];
                rest.split_whitespace().nth(1) == Some(pid.to_string().as_str())
            })
        })
        .collect()
}

/// Compiles that arrive while the workers are still starting (an autostarted daemon's first
/// requests, sent as soon as its socket appears) wait for those workers: starting more would
/// only make them all compete for the CPU as they load LLVM, and every request wait longer.
#[test]
fn first_compiles_wait_for_the_starting_workers_instead_of_starting_more() {
    // Workers that take a while to start (as on a loaded machine), so that the compiles
    // surely arrive before any is ready.
    let daemon = Daemon::start_with_env(&["--compile-jobs", "2"], &[FAULTS, ("KCACHE_FAULT_START_MS", "400")]);
    let rt = runtime();
    rt.block_on(async {
        let (a, b) = tokio::join!(compile(&daemon, "f", 1), compile(&daemon, "g", 2));
        a.unwrap();
        b.unwrap();
        let s = stats(&daemon).await;
        assert_eq!(s.worker_restarts, 0, "workers started beyond the pool's own");
    });
    let workers = children(daemon.pid().unwrap());
    assert!(workers.len() <= 2, "{workers:?}");
}

/// Workers killed from outside while idle (an OOM killer, an operator) cost no request an
/// error: the next compile finds a live worker or starts one.
#[test]
fn workers_killed_while_idle_are_replaced_unseen() {
    let daemon = Daemon::start();
    let rt = runtime();
    rt.block_on(async { compile(&daemon, "f", 1).await.unwrap() });
    let workers = children(daemon.pid().unwrap());
    assert!(!workers.is_empty(), "no compile workers");
    for w in &workers {
        // SAFETY: signalling a process of the daemon this test started.
        unsafe { libc::kill(*w as i32, libc::SIGKILL) };
    }
    std::thread::sleep(Duration::from_millis(200));
    rt.block_on(async {
        for k in 2..6 {
            let reply = compile(&daemon, "f", k).await.unwrap();
            assert!(!reply.cache_hit);
        }
    });
}
