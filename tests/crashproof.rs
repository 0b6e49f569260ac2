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
