//! The shared tier: real kcached daemons with separate stores and one private redis-server.
//! Daemons on other hosts are daemons with other stores here (and, in the netns test, in other
//! network namespaces, reaching Redis over a veth pair).

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kcache::ffi::{kc_array, kc_array_wrap, kc_dtype};
use kcache::{Client, CompileSpec, Kernel};
use kcache_e2e::*;
use kcache_proto::v1 as pb;
use kcache_server::store::EntryAbi;

const CLUSTER_KEY: &str = "test cluster key: 32 bytes or so\n";

/// `def NAME(arr): return the sum of arr`: one kernel per name, each its own action key.
fn sum_kernel(name: &str) -> String {
    format!("def {name}(arr):\n    s = 0.0\n    for i in range(len(arr)):\n        s += arr[i]\n    return s\n")
}

fn spec(name: &str) -> CompileSpec {
    CompileSpec::new(sum_kernel(name).as_str(), name, "float64(float64[:])")
}

/// Sums 0, 0.25, ..., 249.75 (1000 values) with the kernel: 124875.0.
fn run_sum(k: &Kernel) -> f64 {
    let mut data: Vec<f64> = (0..1000).map(|i| i as f64 * 0.25).collect();
    let n = data.len() as i64;
    // SAFETY: shape points to one value; NULL strides: contiguous.
    let arr: kc_array = unsafe {
        kc_array_wrap(
            data.as_mut_ptr() as *mut c_void,
            kc_dtype::KC_FLOAT64,
            1,
            &n,
            std::ptr::null(),
        )
    };
    let args = [&arr as *const kc_array as *const c_void];
    let mut ret = 0f64;
    // SAFETY: float64(float64[:]) kernels, given one array and a double for the result.
    unsafe { k.call(&args, &mut ret as *mut f64 as *mut c_void) }.expect("the kernel runs");
    ret
}

/// A daemon sharing `redis` with the cluster key in `keys`, plus `extra` flags. Its remote
/// deadline is generous: the tests run side by side on a small machine with debug builds, where
/// a read now and then takes longer than the default 50 ms (a timeout is a miss, which would
/// make the expected hits flaky); the timeout tests set their own.
fn daemon(redis: &Redis, keys: &Path, extra: &[&str]) -> Daemon {
    let key = write_private(&keys.join("cluster.key"), CLUSTER_KEY);
    let url = redis.url();
    let mut args = vec!["--remote", url.as_str(), "--remote-key-file", key.to_str().unwrap()];
    if !extra.contains(&"--remote-timeout") {
        args.extend(["--remote-timeout", "2s"]);
    }
    args.extend_from_slice(extra);
    Daemon::start_with(&args)
}

fn stats(d: &Daemon) -> pb::StatsReply {
    Client::connect(Some(&d.endpoint())).unwrap().stats().unwrap()
}

fn remote(d: &Daemon) -> pb::RemoteStats {
    stats(d).remote.expect("a daemon with --remote reports its remote tier")
}

/// Polls `d`'s stats until `done` holds (uploads and reconnects happen in the background).
fn wait_for(d: &Daemon, what: &str, done: impl Fn(&pb::RemoteStats) -> bool) -> pb::RemoteStats {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = remote(d);
        if done(&r) {
            return r;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {r:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const PYTHON_SUM: &str = "
import numpy as np
import kcache

@kcache.njit
def py_remote_sum(arr):
    s = 0.0
    for i in range(len(arr)):
        s += arr[i]
    return s

print(py_remote_sum(np.arange(1000, dtype=np.float64) * 0.25))
stats = kcache.stats()
print(stats['remote_state'], stats['remote_hits'])
";

/// Runs the Python package against `d` (no auto-start: that daemon or nothing); `dir` holds the
/// script (the package reads a kernel's source from its file). The sum it printed, and what
/// `kcache.stats()` said of the remote tier.
fn python_sum_and_tier(d: &Daemon, dir: &Path) -> (String, String) {
    let script = dir.join("remote_sum.py");
    std::fs::write(&script, PYTHON_SUM).unwrap();
    let o = Command::new(numpy_python())
        .arg(&script)
        .env("PYTHONPATH", repo_root().join("python"))
        .env("KCACHE_LIB", bin_dir().join("libkcache.so"))
        .env("KCACHE_ENDPOINT", d.endpoint())
        .env("KCACHE_AUTOSTART", "0")
        .output()
        .expect("running python");
    assert!(
        o.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let (sum, tier) = out.trim().split_once('\n').expect("two lines");
    (sum.to_string(), tier.to_string())
}

/// The C example (compute_sum over 1,000,000 values) against `d`: its output.
fn c_example(d: &Daemon, program: &Path) -> String {
    let o = Command::new(program)
        .env("LD_LIBRARY_PATH", bin_dir())
        .env("KCACHE_ENDPOINT", d.endpoint())
        .output()
        .expect("running the C example");
    assert!(
        o.status.success(),
        "C example failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_kernel_compiled_on_one_daemon_is_a_hit_on_another_from_c_and_python() {
    let redis = Redis::start_tcp();
    let keys = tempfile::tempdir().unwrap();
    let a = daemon(&redis, keys.path(), &[]);
    let b = daemon(&redis, keys.path(), &[]);
    let program = build_c_program(
        &repo_root().join("examples/c/compute_sum.c"),
        &a.dir.path().join("compute_sum"),
    );

    // On A: the C example and the Python package compile (A's store and Redis were empty).
    let on_a = c_example(&a, &program);
    assert!(on_a.contains("\nmiss in"), "{on_a}");
    assert_eq!(
        python_sum_and_tier(&a, keys.path()),
        ("124875.0".into(), "connected 0".into())
    );
    wait_for(&a, "A's uploads", |r| r.uploads == 2);

    // On B, with a store of its own: the same requests are remote hits, verified, and run.
    let on_b = c_example(&b, &program);
    assert!(on_b.contains("\nhit in"), "{on_b}");
    assert_eq!(on_b.lines().next(), on_a.lines().next(), "the same sum");
    let s = stats(&b);
    assert_eq!(s.compiles, 0, "{s:?}");
    assert_eq!(s.remote.as_ref().unwrap().hits, 1);
    // kcache.stats() in Python shows the tier too.
    assert_eq!(
        python_sum_and_tier(&b, keys.path()),
        ("124875.0".into(), "connected 2".into())
    );
    let s = stats(&b);
    assert_eq!((s.compiles, s.hits, s.misses), (0, 2, 0), "{s:?}");
    let r = s.remote.unwrap();
    assert_eq!((r.hits, r.misses, r.rejected, r.errors), (2, 0, 0, 0), "{r:?}");
    assert_eq!((r.state.as_str(), r.mode.as_str()), ("connected", "read-write"));
    assert!(r.p50_us > 0 && r.p99_us >= r.p50_us, "{r:?}");

    // B wrote the hits back to its own store: the next ones are local (no remote read).
    let deadline = Instant::now() + Duration::from_secs(5);
    while stats(&b).store_entries < 2 {
        assert!(Instant::now() < deadline, "B did not store its remote hits");
        std::thread::sleep(Duration::from_millis(10));
    }
    let again = c_example(&b, &program);
    assert!(again.contains("\nhit in"), "{again}");
    assert_eq!(remote(&b).hits, 2, "a local hit asks no one");

    // The CLI shows the tier.
    let ping = Command::new(bin_dir().join("kcache"))
        .args(["--endpoint", &b.endpoint(), "ping"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&ping.stdout);
    assert!(
        text.contains(&format!("remote tier {}: connected", redis.url())),
        "{text}"
    );
    let st = Command::new(bin_dir().join("kcache"))
        .args(["--endpoint", &b.endpoint(), "stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&st.stdout);
    for field in [
        "remote_hits",
        "remote_misses",
        "remote_errors",
        "remote_rejected",
        "remote_uploads",
        "remote_dropped",
        "remote_p50_us",
        "remote_p99_us",
        "remote_state",
    ] {
        assert!(text.contains(field), "kcache stats lacks {field}: {text}");
    }
}

#[test]
fn redis_killed_during_a_burst_costs_no_request_and_is_used_again_once_back() {
    let mut redis = Redis::start_unix();
    let keys = tempfile::tempdir().unwrap();
    let a = daemon(&redis, keys.path(), &[]);
    let b = daemon(&redis, keys.path(), &[]);
    let ca = Client::connect(Some(&a.endpoint())).unwrap();
    for i in 0..3 {
        ca.compile(&spec(&format!("warm{i}"))).unwrap();
    }
    wait_for(&a, "A's uploads", |r| r.uploads == 3);

    // A burst on A: hits of what it has, and new kernels. Redis dies in the middle of it.
    let mut answered = 0;
    for round in 0..12 {
        if round == 4 {
            redis.kill();
        }
        let name = if round % 3 == 0 {
            format!("burst{round}")
        } else {
            format!("warm{}", round % 3)
        };
        let k = ca
            .compile(&spec(&name))
            .unwrap_or_else(|e| panic!("request {round} failed: {e}"));
        assert_eq!(run_sum(&k), 124875.0);
        answered += 1;
    }
    assert_eq!(answered, 12);
    let r = wait_for(&a, "A to see the outage", |r| r.state == "down");
    assert!(r.errors >= 1, "the failures are counted: {r:?}");
    // B was idle: its probe noticed too. Meanwhile it compiles for itself.
    wait_for(&b, "B to see the outage", |r| r.state == "down");
    let cb = Client::connect(Some(&b.endpoint())).unwrap();
    assert!(!cb.compile(&spec("during_outage")).unwrap().cache_hit);

    // Redis comes back (empty): both daemons use it again without a restart of their own.
    redis.restart();
    wait_for(&a, "A to reconnect", |r| r.state == "connected" && r.reconnects >= 1);
    wait_for(&b, "B to reconnect", |r| r.state == "connected" && r.reconnects >= 1);
    let uploads = remote(&a).uploads;
    ca.compile(&spec("after_restart")).unwrap();
    wait_for(&a, "the upload after the restart", |r| r.uploads == uploads + 1);
    let k = cb.compile(&spec("after_restart")).unwrap();
    assert!(k.cache_hit);
    assert_eq!(run_sum(&k), 124875.0);
    assert_eq!(remote(&b).hits, 1);
}

/// The Redis keys of an action record and of its artifact, as a daemon names them.
fn redis_keys(redis: &mut redis::Connection, action_key: &str, digest: &str) -> (String, String) {
    let records: Vec<String> = redis::cmd("KEYS")
        .arg(format!("*:a:{action_key}"))
        .query(redis)
        .unwrap();
    let blobs: Vec<String> = redis::cmd("KEYS").arg(format!("*:b:{digest}")).query(redis).unwrap();
    assert_eq!((records.len(), blobs.len()), (1, 1), "{records:?} {blobs:?}");
    (records[0].clone(), blobs[0].clone())
}

fn get(c: &mut redis::Connection, key: &str) -> Vec<u8> {
    redis::cmd("GET").arg(key).query(c).unwrap()
}

fn set(c: &mut redis::Connection, key: &str, value: &[u8]) {
    redis::cmd("SET").arg(key).arg(value).query::<()>(c).unwrap();
}

/// Every key and value in Redis, with its TTL.
fn snapshot(c: &mut redis::Connection) -> Vec<(String, Vec<u8>, i64)> {
    let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query(c).unwrap();
    keys.sort();
    keys.into_iter()
        .map(|k| {
            let ttl: i64 = redis::cmd("TTL").arg(&k).query(c).unwrap();
            (k.clone(), get(c, &k), ttl)
        })
        .collect()
}

#[test]
fn tampered_entries_are_never_served_and_read_only_daemons_never_write() {
    let redis = Redis::start_tcp();
    let keys = tempfile::tempdir().unwrap();
    let a = daemon(&redis, keys.path(), &[]);
    let ca = Client::connect(Some(&a.endpoint())).unwrap();
    let names = ["t_digest", "t_blob", "t_mac", "t_moved", "t_donor"];
    let built: Vec<Kernel> = names.iter().map(|n| ca.compile(&spec(n)).unwrap()).collect();
    wait_for(&a, "A's uploads", |r| r.uploads == names.len() as u64);
    let mut c = redis.client();
    let entry = |c: &mut redis::Connection, i: usize| redis_keys(c, &built[i].reply.action_key, &built[i].digest);

    // 1. The record names another (valid, stored) artifact: the MAC no longer covers it.
    let (record, _) = entry(&mut c, 0);
    let sealed = get(&mut c, &record);
    let forged = String::from_utf8_lossy(&sealed[32..]).replace(&built[0].digest, &built[4].digest);
    set(&mut c, &record, &[&sealed[..32], forged.as_bytes()].concat());
    // 2. The artifact's bytes changed: they no longer hash to the digest.
    let (_, blob) = entry(&mut c, 1);
    let mut bytes = get(&mut c, &blob);
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    set(&mut c, &blob, &bytes);
    // 3. The MAC itself changed.
    let (record, _) = entry(&mut c, 2);
    let mut sealed = get(&mut c, &record);
    sealed[5] ^= 1;
    set(&mut c, &record, &sealed);
    // 4. A valid record moved under another action key.
    let (record, _) = entry(&mut c, 3);
    let (donor, _) = entry(&mut c, 4);
    let donor_record = get(&mut c, &donor);
    set(&mut c, &record, &donor_record);

    // A read-only daemon: rejects all four (compiles them itself), and writes nothing at all,
    // even with a TTL it would refresh if it could.
    let before = snapshot(&mut c);
    let r = daemon(
        &redis,
        keys.path(),
        &["--remote-mode", "read-only", "--remote-ttl", "1h"],
    );
    let cr = Client::connect(Some(&r.endpoint())).unwrap();
    for (i, name) in names[..4].iter().enumerate() {
        let k = cr.compile(&spec(name)).unwrap();
        assert!(!k.cache_hit, "{name}: a tampered entry was served");
        assert_eq!(k.digest, built[i].digest, "{name}: the daemon's own compile");
        assert_eq!(run_sum(&k), 124875.0);
    }
    // The untouched entry is still a hit; a new kernel is compiled and not uploaded.
    assert!(cr.compile(&spec("t_donor")).unwrap().cache_hit);
    cr.compile(&spec("t_read_only_new")).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let s = stats(&r);
    let rr = s.remote.clone().unwrap();
    assert_eq!(
        (s.compiles, rr.rejected, rr.hits, rr.uploads, rr.mode.as_str()),
        (5, 4, 1, 0, "read-only"),
        "{s:?}"
    );
    assert_eq!(snapshot(&mut c), before, "a read-only daemon changed Redis");

    // The same through a Redis user that may only read (as the README advises for read-only
    // hosts): it works, and no call fails (a write or GETEX would be refused and counted).
    redis::cmd("ACL")
        .arg(&[
            "SETUSER",
            "kcache-ro",
            "on",
            ">ro-password-1234",
            "~kcache:*",
            "+get",
            "+ping",
            "+evalsha",
            "+script|load",
        ])
        .query::<()>(&mut c)
        .unwrap();
    let (host, port) = redis.tcp.clone().unwrap();
    let ro_url = format!("redis://kcache-ro:ro-password-1234@{host}:{port}/0");
    let ro = daemon(
        &redis,
        keys.path(),
        &["--remote", &ro_url, "--remote-mode", "read-only", "--remote-ttl", "1h"],
    );
    let cro = Client::connect(Some(&ro.endpoint())).unwrap();
    assert!(cro.compile(&spec("t_donor")).unwrap().cache_hit);
    assert!(!cro.compile(&spec("t_ro_user_new")).unwrap().cache_hit);
    std::thread::sleep(Duration::from_millis(100));
    let rr = remote(&ro);
    assert_eq!(
        (rr.hits, rr.misses, rr.errors, rr.state.as_str()),
        (1, 1, 0, "connected"),
        "{rr:?}"
    );

    // A read-write daemon rejects them too, and its own compiles replace the bad entries.
    let w = daemon(&redis, keys.path(), &[]);
    let cw = Client::connect(Some(&w.endpoint())).unwrap();
    for name in &names[..4] {
        assert!(
            !cw.compile(&spec(name)).unwrap().cache_hit,
            "{name}: a tampered entry was served"
        );
    }
    wait_for(&w, "the repairs", |r| r.rejected == 4 && r.uploads == 4);
    let fresh = daemon(&redis, keys.path(), &[]);
    let cf = Client::connect(Some(&fresh.endpoint())).unwrap();
    for (i, name) in names[..4].iter().enumerate() {
        let k = cf.compile(&spec(name)).unwrap();
        assert!(k.cache_hit, "{name}: the repaired entry is a hit");
        assert_eq!(k.digest, built[i].digest);
    }

    // A daemon with another cluster key trusts none of it.
    let other_keys = tempfile::tempdir().unwrap();
    let other = write_private(&other_keys.path().join("other.key"), "another cluster's key, 32 bytes");
    let url = redis.url();
    let stranger = Daemon::start_with(&["--remote", &url, "--remote-key-file", other.to_str().unwrap()]);
    let cs = Client::connect(Some(&stranger.endpoint())).unwrap();
    assert!(!cs.compile(&spec("t_donor")).unwrap().cache_hit);
    assert_eq!(remote(&stranger).rejected, 1);
}

#[test]
fn daemons_of_another_prefix_or_compiler_never_see_the_entries() {
    let redis = Redis::start_unix();
    let keys = tempfile::tempdir().unwrap();
    let a = daemon(&redis, keys.path(), &[]);
    Client::connect(Some(&a.endpoint()))
        .unwrap()
        .compile(&spec("ns_kernel"))
        .unwrap();
    wait_for(&a, "A's upload", |r| r.uploads == 1);

    let p = daemon(&redis, keys.path(), &["--remote-prefix", "team-b"]);
    let k = Client::connect(Some(&p.endpoint()))
        .unwrap()
        .compile(&spec("ns_kernel"))
        .unwrap();
    assert!(!k.cache_hit);
    let r = remote(&p);
    assert_eq!((r.hits, r.misses, r.rejected), (0, 1, 0), "{r:?}");
    wait_for(&p, "P's upload", |r| r.uploads == 1);
    let mut c = redis.client();
    let mut all: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut c).unwrap();
    all.sort();
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all.iter().filter(|k| k.starts_with("team-b:")).count(), 2, "{all:?}");
    assert_eq!(all.iter().filter(|k| k.starts_with("kcache:")).count(), 2, "{all:?}");

    // Another compiler (the fingerprint is every daemon's own, so two tiers stand for two
    // builds): its namespace is elsewhere, and a record copied into it does not verify.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use kcache_server::store::remote::{RedisTier, RemoteOptions};
        use kcache_server::store::{entry_in_two, parse_digest, AsyncArtifactStore, RecordRead};
        let mut options = RemoteOptions::default();
        options.set("--remote", &redis.url()).unwrap();
        let key = write_private(&keys.path().join("cluster.key"), CLUSTER_KEY);
        options.set("--remote-key-file", key.to_str().unwrap()).unwrap();
        let old = RedisTier::new(&options, "kcache 0.1.0 llvm 19.1.7 host-abi 1").unwrap();
        let new = RedisTier::new(&options, "kcache 0.2.0 llvm 19.1.7 host-abi 1").unwrap();
        let blob = b"old compiler's code".to_vec();
        let blob_bytes = blob.clone();
        let record = kcache_server::store::ActionRecord {
            digest: kcache_server::store::digest_hex(&blob),
            abi: EntryAbi {
                typed_symbol: "t".into(),
                generic_symbol: "g".into(),
                signature: "float64()".into(),
                arg_types: vec![],
                return_type: "float64".into(),
                written_args: vec![],
            },
            options: String::new(),
            size: blob.len() as u64,
            created_ms: 1,
            last_used_ms: 1,
            hits: 0,
            compile_us: 1,
        };
        old.put(&[9; 32], &record, &blob).await.unwrap();
        assert!(matches!(
            old.get_record(&[9; 32]).await.unwrap(),
            RecordRead::Present(_)
        ));
        assert!(matches!(new.get_record(&[9; 32]).await.unwrap(), RecordRead::Absent));
        assert_ne!(old.record_key(&[9; 32]), new.record_key(&[9; 32]));
        let sealed = get(&mut c, &old.record_key(&[9; 32]));
        set(&mut c, &new.record_key(&[9; 32]), &sealed);
        match new.get_record(&[9; 32]).await.unwrap() {
            RecordRead::Unreadable(why) => assert!(why.contains("another compiler"), "{why}"),
            _ => panic!("a record of another compiler was accepted"),
        }

        // A read is one round trip (a script) and refreshes the TTL of both keys when the tier
        // has one; the two-call path reads the same.
        options.set("--remote-ttl", "1h").unwrap();
        let ttl_tier = RedisTier::new(&options, "kcache 0.1.0 llvm 19.1.7 host-abi 1").unwrap();
        let (rk, bk) = (
            old.record_key(&[9; 32]),
            old.blob_key(&parse_digest(&record.digest).unwrap()),
        );
        for k in [&rk, &bk] {
            assert_eq!(redis::cmd("TTL").arg(k).query::<i64>(&mut c).unwrap(), -1);
        }
        let (read, blob) = ttl_tier.get_entry(&[9; 32]).await.unwrap();
        assert!(matches!(read, RecordRead::Present(_)));
        assert_eq!(blob.as_deref(), Some(&blob_bytes[..]));
        for k in [&rk, &bk] {
            assert!(redis::cmd("TTL").arg(k).query::<i64>(&mut c).unwrap() > 3500, "{k}");
        }
        let (read, blob) = entry_in_two(&old, &[9; 32]).await.unwrap();
        assert!(matches!(read, RecordRead::Present(_)));
        assert_eq!(blob.as_deref(), Some(&blob_bytes[..]));
        assert!(matches!(
            old.get_entry(&[8; 32]).await.unwrap(),
            (RecordRead::Absent, None)
        ));

        // A Redis user that may not run scripts still reads (two GETs), without an error.
        redis::cmd("ACL")
            .arg(&[
                "SETUSER",
                "plain-reader",
                "on",
                ">plain-password-1234",
                "~*",
                "+get",
                "+ping",
            ])
            .query::<()>(&mut c)
            .unwrap();
        let mut plain = RemoteOptions::default();
        let url = format!(
            "redis+unix://{}?user=plain-reader&pass=plain-password-1234",
            redis.socket.display()
        );
        plain.set("--remote", &url).unwrap();
        plain.set("--remote-key-file", key.to_str().unwrap()).unwrap();
        plain.set("--remote-mode", "read-only").unwrap();
        let reader = RedisTier::new(&plain, "kcache 0.1.0 llvm 19.1.7 host-abi 1").unwrap();
        for _ in 0..2 {
            let (read, blob) = reader.get_entry(&[9; 32]).await.unwrap();
            assert!(matches!(read, RecordRead::Present(_)));
            assert_eq!(blob.as_deref(), Some(&blob_bytes[..]));
        }
    });
}

#[test]
fn a_daemon_starts_and_serves_while_redis_is_down_and_refuses_unsigned_setups() {
    let keys = tempfile::tempdir().unwrap();
    let mut redis = Redis::start_unix();
    let url = redis.url();
    redis.kill();
    let a = daemon(&redis, keys.path(), &["--remote-timeout", "20ms"]);
    let c = Client::connect(Some(&a.endpoint())).unwrap();
    let k = c.compile(&spec("while_down")).unwrap();
    assert_eq!(run_sum(&k), 124875.0);
    assert!(c.compile(&spec("while_down")).unwrap().cache_hit);
    wait_for(&a, "the tier to be down", |r| r.state == "down");
    redis.restart();
    wait_for(&a, "the tier to connect", |r| r.state == "connected");

    // No cluster key, a key others can read, or a --remote-* flag without --remote: no start.
    let refuse = |args: &[&str], says: &str| {
        let dir = tempfile::tempdir().unwrap();
        let o = Command::new(bin_dir().join("kcached"))
            .args(["--listen", &format!("unix:{}", dir.path().join("k.sock").display())])
            .args(["--store", dir.path().join("store").to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{args:?} started");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refuse(&["--remote", &url], "--remote-key-file");
    let exposed: PathBuf = write_private(&keys.path().join("exposed.key"), CLUSTER_KEY);
    std::fs::set_permissions(&exposed, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    refuse(
        &["--remote", &url, "--remote-key-file", exposed.to_str().unwrap()],
        "exposed.key",
    );
    refuse(&["--remote-mode", "read-only"], "need --remote");
    let short = write_private(&keys.path().join("short.key"), "too short");
    refuse(
        &["--remote", &url, "--remote-key-file", short.to_str().unwrap()],
        "at least 16 bytes",
    );
}

#[test]
fn daemons_share_over_tls_with_a_password() {
    let pki = new_pki();
    let redis = Redis::start_tls(&pki.cert, &pki.key);
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("requirepass")
        .arg("s3cret-redis-password")
        .query::<()>(&mut redis.client())
        .unwrap();
    let keys = tempfile::tempdir().unwrap();
    let ca = write_private(&keys.path().join("ca.pem"), &pki.ca);
    let (host, port) = redis.tcp.clone().unwrap();
    // A: the password in the URL; B: in a file.
    let with_password = format!("rediss://:s3cret-redis-password@{host}:{port}/0");
    let a = daemon(
        &redis,
        keys.path(),
        &["--remote", &with_password, "--remote-tls-ca", ca.to_str().unwrap()],
    );
    let password = write_private(&keys.path().join("redis.pass"), "s3cret-redis-password\n");
    let tls = ["--remote-tls-ca", ca.to_str().unwrap()];
    let b = daemon(
        &redis,
        keys.path(),
        &[&tls[..], &["--remote-password-file", password.to_str().unwrap()]].concat(),
    );
    assert!(
        !Client::connect(Some(&a.endpoint()))
            .unwrap()
            .compile(&spec("over_tls"))
            .unwrap()
            .cache_hit
    );
    let r = wait_for(&a, "A's upload", |r| r.uploads == 1);
    assert_eq!(r.location, format!("rediss://{host}:{port}/0"), "no password in stats");
    let k = Client::connect(Some(&b.endpoint()))
        .unwrap()
        .compile(&spec("over_tls"))
        .unwrap();
    assert!(k.cache_hit);
    assert_eq!(run_sum(&k), 124875.0);

    // Without the password, or without trusting the CA: the tier is down, the daemon serves.
    for extra in [&tls[..], &[]] {
        let c = daemon(&redis, keys.path(), extra);
        let k = Client::connect(Some(&c.endpoint()))
            .unwrap()
            .compile(&spec("over_tls"))
            .unwrap();
        assert!(!k.cache_hit);
        assert_eq!(run_sum(&k), 124875.0);
        wait_for(&c, "the refusal", |r| r.state == "down" && r.errors >= 1 && r.hits == 0);
    }
}

/// Network namespaces made by the test: Redis in one, a daemon in each of two others, joined
/// by veth pairs on a bridge. The subnet exists only inside these namespaces (nothing outside
/// them is ever addressed), and they are deleted when the test ends.
struct TestNet {
    namespaces: Vec<String>,
}

const NET_REDIS: &str = "10.250.18.1";

impl TestNet {
    /// `None` (with the reason printed) where namespaces cannot be made: not root, no iproute2.
    fn create() -> Option<TestNet> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            println!("skipped: network namespaces need root");
            return None;
        }
        if Command::new("ip").arg("-V").output().is_err() {
            println!("skipped: no iproute2 (`ip`)");
            return None;
        }
        let id = std::process::id();
        let mut net = TestNet { namespaces: vec![] };
        for role in ["r", "a", "b"] {
            let name = format!("kc{role}{id}");
            if !ip(&["netns", "add", &name]) {
                println!("skipped: `ip netns add` failed (no CAP_SYS_ADMIN here?)");
                return None;
            }
            net.namespaces.push(name);
        }
        let (r, a, b) = (&net.namespaces[0], &net.namespaces[1], &net.namespaces[2]);
        let steps: Vec<Vec<String>> = vec![
            vec!["-n", r, "link", "add", "br0", "type", "bridge"],
            vec!["-n", r, "addr", "add", &format!("{NET_REDIS}/24"), "dev", "br0"],
            vec!["-n", r, "link", "set", "br0", "up"],
            vec!["-n", r, "link", "set", "lo", "up"],
        ]
        .into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect();
        let mut steps = steps;
        for (ns, peer, addr) in [(a, "pa", "10.250.18.2/24"), (b, "pb", "10.250.18.3/24")] {
            for step in [
                vec![
                    "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer, "netns", r,
                ],
                vec!["-n", r, "link", "set", peer, "master", "br0"],
                vec!["-n", r, "link", "set", peer, "up"],
                vec!["-n", ns, "addr", "add", addr, "dev", "eth0"],
                vec!["-n", ns, "link", "set", "eth0", "up"],
                vec!["-n", ns, "link", "set", "lo", "up"],
            ] {
                steps.push(step.into_iter().map(String::from).collect());
            }
        }
        for step in &steps {
            let args: Vec<&str> = step.iter().map(String::as_str).collect();
            assert!(ip(&args), "ip {} failed", args.join(" "));
        }
        Some(net)
    }

    fn exec(&self, index: usize) -> [&str; 4] {
        ["ip", "netns", "exec", self.namespaces[index].as_str()]
    }
}

fn ip(args: &[&str]) -> bool {
    Command::new("ip")
        .args(args)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Drop for TestNet {
    fn drop(&mut self) {
        for ns in &self.namespaces {
            ip(&["netns", "del", ns]);
        }
    }
}

#[test]
fn daemons_in_other_network_namespaces_share_redis_over_veth() {
    let Some(net) = TestNet::create() else { return };
    let redis = Redis::start_in(NET_REDIS, 6379, &net.exec(0));
    let keys = tempfile::tempdir().unwrap();
    let key = write_private(&keys.path().join("cluster.key"), CLUSTER_KEY);
    let url = redis.url();
    let args = [
        "--remote",
        url.as_str(),
        "--remote-key-file",
        key.to_str().unwrap(),
        "--remote-timeout",
        "2s",
    ];
    let a = Daemon::start_wrapped(&net.exec(1), &args, &[]);
    let b = Daemon::start_wrapped(&net.exec(2), &args, &[]);
    assert!(
        !Client::connect(Some(&a.endpoint()))
            .unwrap()
            .compile(&spec("over_veth"))
            .unwrap()
            .cache_hit
    );
    wait_for(&a, "A's upload", |r| r.uploads == 1);
    let k = Client::connect(Some(&b.endpoint()))
        .unwrap()
        .compile(&spec("over_veth"))
        .unwrap();
    assert!(k.cache_hit);
    assert_eq!(run_sum(&k), 124875.0);
    let r = remote(&b);
    assert_eq!(
        (r.hits, r.location.as_str()),
        (1, format!("redis://{NET_REDIS}:6379/0").as_str())
    );
    assert_eq!(stats(&b).compiles, 0);
}
