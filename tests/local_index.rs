//! The local index: a client on the daemon's machine resolves a request it made before from the
//! directory kcached publishes beside its socket, with no RPC, and never loads stale, damaged or
//! foreign code from it (every doubt is an RPC, with the same results).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use kcache::{Client, CompileSpec, Kernel};
use kcache_e2e::*;
use kcache_proto::local_index::{ENTRY_SIZE, HEADER_SIZE};

const COMPUTE_SUM: &str =
    "def compute_sum(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n    return sum_val\n";
const SCALED: &str =
    "def scaled(arr):\n    s = 0.0\n    for i in range(len(arr)):\n        s += 2.0 * arr[i]\n    return s\n";

fn spec() -> CompileSpec {
    CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])")
}

/// A new client's answer to the usual request, checked.
fn fresh(daemon: &Daemon) -> Kernel {
    let k = Client::connect(Some(&daemon.endpoint()))
        .unwrap()
        .compile(&spec())
        .unwrap();
    check_sum(&k);
    k
}

fn check_sum(k: &Kernel) {
    let mut data: Vec<f64> = (0..1000).map(f64::from).collect();
    assert_eq!(sum_of(k, &mut data), 499500.0);
}

/// Compile RPCs the daemon has answered.
fn rpcs(daemon: &Daemon) -> u64 {
    Client::connect(Some(&daemon.endpoint()))
        .unwrap()
        .stats()
        .unwrap()
        .requests
}

fn index_dir(daemon: &Daemon) -> PathBuf {
    kcache_proto::local_index::dir_for_socket(&daemon.socket)
}

fn object(daemon: &Daemon, digest: &str) -> PathBuf {
    index_dir(daemon).join("objects").join(digest)
}

/// A fresh C process: connect, compile (hit), call; prints "hit|miss MS SUM".
fn c_first_call(daemon: &Daemon, exe: &Path, env: &[(&str, &str)]) -> String {
    let out = Command::new(exe)
        .arg("li")
        .env("KCACHE_ENDPOINT", daemon.endpoint())
        .env("LD_LIBRARY_PATH", bin_dir())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_second_fresh_process_hits_without_an_rpc() {
    let daemon = Daemon::start();
    let exe = build_c_program(
        &repo_root().join("bench/c/first_call.c"),
        &daemon.dir.path().join("first_call"),
    );
    let first = c_first_call(&daemon, &exe, &[]);
    assert!(
        first.starts_with("miss ") && first.trim_end().ends_with(" 499500.0"),
        "{first}"
    );
    assert_eq!(rpcs(&daemon), 1);
    let second = c_first_call(&daemon, &exe, &[]);
    assert!(
        second.starts_with("hit ") && second.trim_end().ends_with(" 499500.0"),
        "{second}"
    );
    assert_eq!(rpcs(&daemon), 1, "the second process asked the daemon");
    // The operator's switch on the client: every hit is an RPC again.
    let third = c_first_call(&daemon, &exe, &[("KCACHE_NO_LOCAL_INDEX", "1")]);
    assert!(third.starts_with("hit "), "{third}");
    assert_eq!(rpcs(&daemon), 2);
}

#[test]
fn a_local_hit_is_what_the_rpc_gives() {
    let daemon = Daemon::start();
    let first = Client::connect(Some(&daemon.endpoint())).unwrap();
    let compiled = first.compile(&spec()).unwrap();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    assert!(client.has_local_index());
    let local = client.compile(&spec()).unwrap();
    let remote = Kernel::from_reply(client.compile_reply(&spec()).unwrap()).unwrap();
    assert_eq!(
        rpcs(&daemon),
        2,
        "one compile and one explicit RPC; the local hit made none"
    );
    for k in [&compiled, &local, &remote] {
        check_sum(k);
    }
    assert!(local.cache_hit && remote.cache_hit);
    assert_eq!(local.digest, remote.digest);
    assert_eq!(local.signature.text, remote.signature.text);
    assert_eq!(local.written_args, remote.written_args);
    assert_eq!(local.reply.abi, remote.reply.abi);
    assert_eq!(local.reply.action_key, remote.reply.action_key);
    assert_eq!(local.reply.diagnostics, remote.reply.diagnostics);
    assert_eq!(local.reply.artifact, remote.reply.artifact);
}

#[test]
fn a_corrupted_or_replaced_artifact_is_not_loaded() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client.compile(&spec()).unwrap();
    let other = client
        .compile(&CompileSpec::new(SCALED, "scaled", "float64(float64[:])"))
        .unwrap();
    assert_eq!(rpcs(&daemon), 2);
    let path = object(&daemon, &k.digest);
    let good = std::fs::read(&path).unwrap();

    // One flipped byte.
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x40;
    std::fs::write(&path, &bad).unwrap();
    let again = fresh(&daemon);
    assert_eq!(again.digest, k.digest);
    assert_eq!(rpcs(&daemon), 3, "the damaged file was not the answer: the RPC was");

    // Another kernel's genuine artifact under this one's name.
    std::fs::write(&path, std::fs::read(object(&daemon, &other.digest)).unwrap()).unwrap();
    assert_eq!(fresh(&daemon).digest, k.digest);
    assert_eq!(rpcs(&daemon), 4);

    // Truncated to nothing.
    std::fs::write(&path, b"").unwrap();
    assert_eq!(fresh(&daemon).digest, k.digest);
    assert_eq!(rpcs(&daemon), 5);

    // A damaged index file is a miss, never another mapping.
    std::fs::write(&path, &good).unwrap();
    let index = index_dir(&daemon).join("index");
    let mut bytes = std::fs::read(&index).unwrap();
    let count = u64::from_le_bytes(bytes[32..40].try_into().unwrap()) as usize;
    assert_eq!(count, 2);
    for i in 0..count {
        // The last byte of each entry's check.
        bytes[HEADER_SIZE + (i + 1) * ENTRY_SIZE - 1] ^= 1;
    }
    std::fs::write(&index, &bytes).unwrap();
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    check_sum(&c.compile(&spec()).unwrap());
    check_sum(&c.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 7);
}

#[test]
fn an_evicted_entry_is_not_served() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client.compile(&spec()).unwrap();
    // Mapped before the eviction: what it maps still names the artifact.
    let early = Client::connect(Some(&daemon.endpoint())).unwrap();
    check_sum(&early.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 1);
    assert!(object(&daemon, &k.digest).exists());

    let removed = client.evict(&k.reply.action_key, "").unwrap();
    assert_eq!(removed.removed_actions, 1);
    assert!(
        !object(&daemon, &k.digest).exists(),
        "the evicted artifact is still published"
    );
    // Neither the client that mapped the old index nor a new one loads it from the index.
    let new = Client::connect(Some(&daemon.endpoint())).unwrap();
    let after = new.compile(&spec()).unwrap();
    assert!(!after.cache_hit, "the eviction was not seen: {:?}", after.reply.timings);
    assert_eq!(rpcs(&daemon), 2);
    let later = early.compile(&spec()).unwrap();
    check_sum(&later);
    // Compiled again, the request is published again and hits locally.
    let before = rpcs(&daemon);
    fresh(&daemon);
    assert_eq!(rpcs(&daemon), before);

    // Gc to nothing takes everything out of the index.
    client.gc(1).unwrap();
    assert_eq!(
        std::fs::read_dir(index_dir(&daemon).join("objects")).unwrap().count(),
        0
    );
    let before = rpcs(&daemon);
    fresh(&daemon);
    assert_eq!(rpcs(&daemon), before + 1);
}

#[test]
fn a_store_bounded_below_one_artifact_publishes_what_it_keeps_only() {
    // --max-size evicts inside the compile's own store: the index must follow it.
    let daemon = Daemon::start_with(&["--max-size", "1"]);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    check_sum(&client.compile(&spec()).unwrap());
    let objects: Vec<_> = std::fs::read_dir(index_dir(&daemon).join("objects"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let stats = client.stats().unwrap();
    assert!(
        objects.len() as u64 <= stats.store_entries,
        "published {objects:?} with {} in the store",
        stats.store_entries
    );
    let before = rpcs(&daemon);
    fresh(&daemon);
    if stats.store_entries == 0 {
        assert_eq!(rpcs(&daemon), before + 1);
    }
}

#[test]
fn an_eviction_by_a_batch_leaves_the_index_too() {
    // Room for one artifact (about 9 KB): the batch's compile evicts the first kernel, and no
    // Compile reply follows for the index to see it by; the daemon's follower must.
    let daemon = Daemon::start_with(&["--max-size", "12000"]);
    let k = fresh(&daemon);
    assert!(object(&daemon, &k.digest).exists());
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    client
        .compile_batch(&[CompileSpec::new(SCALED, "scaled", "float64(float64[:])")], |_| {})
        .unwrap();
    assert!(client.stats().unwrap().evictions >= 1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while object(&daemon, &k.digest).exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the evicted artifact stays published"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let before = rpcs(&daemon);
    let again = fresh(&daemon);
    assert!(!again.cache_hit);
    assert_eq!(rpcs(&daemon), before + 1);
}

#[test]
fn an_index_others_could_write_or_own_is_refused() {
    let daemon = Daemon::start();
    fresh(&daemon);
    let dir = index_dir(&daemon);
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();

    // The directory writable by others: not used at all.
    mode(&dir, 0o777);
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    assert!(!c.has_local_index());
    check_sum(&c.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 2);
    mode(&dir, 0o700);

    // The index file writable by others.
    let index = dir.join("index");
    mode(&index, 0o666);
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    check_sum(&c.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 3);
    mode(&index, 0o600);

    // The artifact writable by others.
    let k = Client::connect(Some(&daemon.endpoint()))
        .unwrap()
        .compile(&spec())
        .unwrap();
    assert_eq!(rpcs(&daemon), 3, "restored, the index serves again");
    let obj = object(&daemon, &k.digest);
    mode(&obj, 0o646);
    fresh(&daemon);
    assert_eq!(rpcs(&daemon), 4);
    mode(&obj, 0o600);

    // Owned by another uid (only root can arrange that here).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&dir, Some(65534), None).unwrap();
        let c = Client::connect(Some(&daemon.endpoint())).unwrap();
        assert!(!c.has_local_index());
        check_sum(&c.compile(&spec()).unwrap());
        assert_eq!(rpcs(&daemon), 5);
        std::os::unix::fs::chown(&dir, Some(0), None).unwrap();
        std::os::unix::fs::chown(&obj, Some(65534), None).unwrap();
        fresh(&daemon);
        assert_eq!(rpcs(&daemon), 6);
    }

    // A symbolic link in place of the directory.
    let moved = daemon.dir.path().join("elsewhere");
    std::fs::rename(&dir, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &dir).unwrap();
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    assert!(!c.has_local_index());
}

#[test]
fn no_local_index_on_the_daemon_and_a_restart_wipes_it() {
    let mut daemon = Daemon::start();
    let k = Client::connect(Some(&daemon.endpoint()))
        .unwrap()
        .compile(&spec())
        .unwrap();
    assert!(object(&daemon, &k.digest).exists());
    // A restarted daemon starts an empty index: what an earlier one published is gone.
    daemon.restart(false);
    assert!(index_dir(&daemon).join("index").exists());
    assert!(!object(&daemon, &k.digest).exists());
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    let again = c.compile(&spec()).unwrap();
    check_sum(&again);
    assert!(again.cache_hit);
    assert_eq!(rpcs(&daemon), 1);

    let daemon = Daemon::start_with(&["--no-local-index"]);
    assert!(!index_dir(&daemon).exists());
    let c = Client::connect(Some(&daemon.endpoint())).unwrap();
    assert!(!c.has_local_index());
    check_sum(&c.compile(&spec()).unwrap());
    check_sum(&c.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 2);
}

/// Local hits of one artifact alive at once, freed in turn, then another kernel: each call runs
/// its own code (a loader that let glibc alias one file under two `/proc/self/fd` names handed
/// back the first kernel's library for the next file that got a freed descriptor number).
#[test]
fn kernels_loaded_and_freed_in_turn_stay_apart() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let scaled = CompileSpec::new(SCALED, "scaled", "float64(float64[:])");
    check_sum(&client.compile(&spec()).unwrap());
    client.compile(&scaled).unwrap();
    let local = Client::connect(Some(&daemon.endpoint())).unwrap();
    for _ in 0..20 {
        let a1 = local.compile(&spec()).unwrap();
        let a2 = local.compile(&spec()).unwrap();
        drop(a1);
        let b = local.compile(&scaled).unwrap();
        let mut data: Vec<f64> = (0..1000).map(f64::from).collect();
        assert_eq!(
            sum_of(&b, &mut data),
            999000.0,
            "the scaled kernel ran another kernel's code"
        );
        check_sum(&a2);
    }
    assert_eq!(rpcs(&daemon), 2);
}

/// Replaces the daemon's index as the daemon does (a new file renamed over it), with `entries`
/// taken from the index file `old`: `(request to list, request whose entry it gets)`.
fn rewrite_index(daemon: &Daemon, old: &[u8], entries: &[(&CompileSpec, &CompileSpec)]) {
    use kcache_proto::local_index::{encode, request_digest, Entry, IndexView};
    let path = index_dir(daemon).join("index");
    let view = IndexView::parse(old).unwrap();
    let mut list: Vec<Entry<'_>> = entries
        .iter()
        .map(|(listed, from)| {
            let e = view.lookup(&request_digest(&from.request())).unwrap();
            Entry {
                request: request_digest(&listed.request()),
                ..e
            }
        })
        .collect();
    let bytes = encode(&view.header, &mut list);
    let tmp = index_dir(daemon).join(".index.test");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// A process keeps the libraries it loaded from the index, and a repeated hit reuses them; yet
/// every hit follows the daemon's newest index and the file it names, so nothing evicted,
/// remapped or touched since is answered from what the process holds.
#[test]
fn a_repeated_hit_follows_the_index_not_what_the_process_loaded() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let scaled = CompileSpec::new(SCALED, "scaled", "float64(float64[:])");
    let k = client.compile(&spec()).unwrap();
    client.compile(&scaled).unwrap();
    let local = Client::connect(Some(&daemon.endpoint())).unwrap();
    for _ in 0..3 {
        let again = local.compile(&spec()).unwrap();
        assert!(again.cache_hit);
        assert_eq!(again.reply.artifact, k.reply.artifact);
        check_sum(&again);
    }
    assert_eq!(rpcs(&daemon), 2);

    // Evicted: an RPC (which compiles it again), from the client that held it and from a new one.
    client.evict(&k.reply.action_key, "").unwrap();
    let after = local.compile(&spec()).unwrap();
    assert!(!after.cache_hit, "an evicted kernel was served from this process");
    assert_eq!(rpcs(&daemon), 3);
    check_sum(&local.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 3);

    // The index maps the request to another artifact: that one is loaded.
    let published = std::fs::read(index_dir(&daemon).join("index")).unwrap();
    rewrite_index(&daemon, &published, &[(&spec(), &scaled)]);
    let remapped = local.compile(&spec()).unwrap();
    let mut data: Vec<f64> = (0..1000).map(f64::from).collect();
    assert_eq!(
        sum_of(&remapped, &mut data),
        999000.0,
        "the kernel loaded before was served for a remapped request"
    );
    rewrite_index(&daemon, &published, &[(&spec(), &spec()), (&scaled, &scaled)]);
    check_sum(&local.compile(&spec()).unwrap());
    assert_eq!(rpcs(&daemon), 3);

    // The artifact file written over since it was loaded (the same bytes, even): read and
    // verified again, not taken on trust from the process.
    let path = object(&daemon, &k.digest);
    let bytes = std::fs::read(&path).unwrap();
    let mut bad = bytes.clone();
    bad[bytes.len() / 2] ^= 0x40;
    std::fs::write(&path, &bad).unwrap();
    check_sum(&local.compile(&spec()).unwrap());
    assert_eq!(
        rpcs(&daemon),
        4,
        "a damaged file was answered from what the process loaded"
    );
    std::fs::write(&path, &bytes).unwrap();
    assert!(local.compile(&spec()).unwrap().cache_hit);
    assert_eq!(rpcs(&daemon), 4);
}

/// A daemon killed without cleaning up leaves its socket and index: a client does not take the
/// index for a running daemon's (it connects, fails and says so, as without the index).
#[test]
fn the_index_of_a_daemon_that_died_is_not_used() {
    let mut daemon = Daemon::start();
    fresh(&daemon);
    daemon.stop(true);
    assert!(daemon.socket.exists() && index_dir(&daemon).join("index").exists());
    let err = Client::connect(Some(&daemon.endpoint()))
        .err()
        .expect("connected to a daemon that had died");
    assert_eq!(err.kind, kcache::ErrorKind::Connect, "{err}");
}
