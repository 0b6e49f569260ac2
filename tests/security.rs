//! Security (issue 17), tried as another local user and as a network peer would: a real kcached,
//! real clients (Rust, the C ABI, the `kcache` CLI, the Python package), and other uids made with
//! `setpriv` (no accounts needed; root only: without root those parts print why they skip).

use std::ffi::c_void;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kcache::{Client, CompileSpec, ConnectOptions, ErrorKind, Kernel};
use kcache_e2e::*;

const ADD_ONE: &str = "def add_one(x):\n    return x + 1\n";
const ATTACKER: u32 = 64001;
const SERVICE: u32 = 64002;
const MEMBER: u32 = 64003;
const OUTSIDER: u32 = 64004;
const GROUP: u32 = 64010;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// True when this test can switch uids; otherwise says why it skips.
fn can_switch_uids(test: &str) -> bool {
    if !is_root() {
        eprintln!("{test}: skipped: needs root to run processes as other uids with setpriv");
        return false;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("{test}: skipped: setpriv (util-linux) is not installed");
        return false;
    }
    true
}

/// `setpriv` running `program` as `uid` (gid `uid`), with `groups` as supplementary groups.
fn as_uid(uid: u32, groups: &[u32], program: &Path) -> Command {
    let mut c = Command::new("setpriv");
    c.arg(format!("--reuid={uid}")).arg(format!("--regid={uid}"));
    if groups.is_empty() {
        c.arg("--clear-groups");
    } else {
        let list: Vec<String> = groups.iter().map(u32::to_string).collect();
        c.arg(format!("--groups={}", list.join(",")));
    }
    c.arg("--").arg(program);
    c
}

/// A directory every uid can enter (the test's own temporary directories are 0700), with the
/// binaries linked or copied into it so that other uids can run them wherever the checkout is.
struct Shared {
    dir: tempfile::TempDir,
}

impl Shared {
    fn new(mode: u32) -> Shared {
        let dir = tempfile::Builder::new().prefix("kcache-sec").tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        for name in ["kcached", "kcache"] {
            let from = bin_dir().join(name);
            if std::fs::hard_link(&from, bin.join(name)).is_err() {
                std::fs::copy(&from, bin.join(name)).unwrap();
            }
        }
        Shared { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn bin(&self, name: &str) -> PathBuf {
        self.path().join("bin").join(name)
    }

    /// A directory owned by `uid`, mode 0755.
    fn home_of(&self, uid: u32, name: &str) -> PathBuf {
        let d = self.path().join(name);
        std::fs::create_dir(&d).unwrap();
        std::os::unix::fs::chown(&d, Some(uid), Some(uid)).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        d
    }
}

/// A process killed when the test ends, whatever happens.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` (a kcached) and waits until its socket accepts connections.
fn serve(mut cmd: Command, socket: &Path) -> Proc {
    let mut p = Proc(cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(socket).is_err() {
        if let Some(status) = p.0.try_wait().unwrap() {
            panic!("kcached exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "kcached did not listen on {}",
            socket.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    p
}

/// Runs a kcached expected to refuse to start; returns its stderr.
fn kcached_refuses(args: &[&str], env: &[(&str, &str)]) -> String {
    let o = Command::new(bin_dir().join("kcached"))
        .args(args)
        .envs(env.iter().copied())
        .env_remove("KCACHE_ENDPOINT")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "kcached started with {args:?}: {stderr}");
    stderr
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Asserts that a process failed (with `code`, if given) and said each of `needles` on stderr.
fn assert_fails(o: &Output, code: Option<i32>, needles: &[&str]) {
    assert!(!o.status.success(), "{}", text(o));
    if code.is_some() {
        assert_eq!(o.status.code(), code, "{}", text(o));
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    for n in needles {
        assert!(stderr.contains(n), "no '{n}' in:\n{}", text(o));
    }
}

/// The C example, built against libkcache.
fn build_c_example(dir: &Path) -> PathBuf {
    build_c_program(&repo_root().join("examples/c/compute_sum.c"), &dir.join("compute_sum"))
}

/// A client environment with none of the caller's kcache settings.
fn clean_env(c: &mut Command) -> &mut Command {
    for v in [
        "KCACHE_ENDPOINT",
        "KCACHE_DAEMON_UID",
        "KCACHE_TLS_CA",
        "KCACHE_TOKEN_FILE",
        "XDG_RUNTIME_DIR",
    ] {
        c.env_remove(v);
    }
    c
}

fn call_i64(k: &Kernel, x: i64) -> i64 {
    let mut ret = 0i64;
    let args = [&x as *const i64 as *const c_void];
    // SAFETY: one int64 argument and an int64 result, as the signature says.
    unsafe { k.call(&args, &mut ret as *mut i64 as *mut c_void) }.unwrap();
    ret
}

/// The squatting attack: without XDG_RUNTIME_DIR the default socket is in a directory anyone
/// can create first. Another uid makes it and serves a real kcached there; every client of the
/// victim refuses it, naming the uid, and so does the victim's own daemon.
#[test]
fn a_socket_squatted_by_another_uid_is_refused_by_every_client() {
    if !can_switch_uids("squatting") {
        return;
    }
    // A /tmp-like directory (1777); the default socket below it, as with /tmp/kcache-$UID.
    let tmp = Shared::new(0o1777);
    let runtime_dir = tmp.path().to_str().unwrap().to_string();
    let socket = tmp.path().join("kcache").join("kcached.sock");
    let endpoint = format!("unix:{}", socket.display());
    let mut attacker = as_uid(ATTACKER, &[], &tmp.bin("kcached"));
    attacker
        .arg("--listen")
        .arg(&endpoint)
        .arg("--store")
        .arg(tmp.path().join("attacker-store"));
    let _attacker = serve(attacker, &socket);
    assert_eq!(std::fs::metadata(socket.parent().unwrap()).unwrap().uid(), ATTACKER);
    let named = format!("uid {ATTACKER}");

    // The Rust client.
    let err = Client::connect(Some(&endpoint)).err().expect("refused");
    assert_eq!(err.kind, ErrorKind::Connect);
    assert!(
        err.message.contains("is not trusted") && err.message.contains(&named),
        "{}",
        err.message
    );

    // The C client with kc_connect(NULL): the default endpoint, KC_ERR_CONNECT (exit 2).
    let c_program = build_c_example(tmp.path());
    let o = clean_env(&mut Command::new(&c_program))
        .env("LD_LIBRARY_PATH", bin_dir())
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .output()
        .unwrap();
    assert_fails(&o, Some(2), &["is not trusted", &named]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("sum ="), "{}", text(&o));

    // The CLI.
    let o = clean_env(&mut Command::new(bin_dir().join("kcache")))
        .arg("ping")
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .output()
        .unwrap();
    assert_fails(&o, None, &["is not trusted", &named]);

    // The Python package, auto-start on: it refuses at once instead of starting a daemon that
    // could only refuse the directory too.
    let script = "import numpy as np, kcache\n\
        @kcache.njit('float64(float64[:])')\n\
        def first(a):\n    return a[0]\n\
        print(first(np.ones(3)))\n";
    let script_file = tmp.path().join("victim.py");
    std::fs::write(&script_file, script).unwrap();
    let started = Instant::now();
    let o = clean_env(&mut Command::new(python()))
        .arg(&script_file)
        .env("PYTHONPATH", repo_root().join("python"))
        .env("KCACHE_LIB", bin_dir().join("libkcache.so"))
        .env("KCACHE_DAEMON", bin_dir().join("kcached"))
        .env("KCACHE_AUTOSTART", "1")
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("XDG_CACHE_HOME", tmp.path().join("victim-cache"))
        .output()
        .unwrap();
    assert_fails(&o, None, &["DaemonUnavailable", "is not trusted", &named]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the refusal took {:?}",
        started.elapsed()
    );

    // The victim's own kcached will not use the squatted directory.
    let stderr = kcached_refuses(
        &["--store", tmp.path().join("victim-store").to_str().unwrap()],
        &[("XDG_RUNTIME_DIR", &runtime_dir)],
    );
    assert!(
        stderr.contains("refusing to use the socket directory") && stderr.contains(&named),
        "{stderr}"
    );

    // Trusting that uid on purpose gets past the client's check; the attacker's daemon then
    // refuses us, as any daemon refuses uids it was not told to serve.
    let opts = ConnectOptions {
        daemon_uids: vec![ATTACKER],
        ..Default::default()
    };
    let client = Client::connect_with(Some(&endpoint), &opts).expect("trusted on purpose");
    let err = client.stats().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied);
    assert!(
        err.message.contains("PERMISSION_DENIED") && err.message.contains("uid 0"),
        "{}",
        err.message
    );
}

/// A kcached run by the service uid (with `groups`), its socket in a directory it creates
/// under a home of its own, shared as `sharing` says.
struct ServiceDaemon {
    shared: Shared,
    socket: PathBuf,
    endpoint: String,
    _daemon: Proc,
}

impl ServiceDaemon {
    fn start(groups: &[u32], sharing: &[&str]) -> ServiceDaemon {
        let shared = Shared::new(0o755);
        let home = shared.home_of(SERVICE, "svc");
        let socket = home.join("run").join("kcached.sock");
        let endpoint = format!("unix:{}", socket.display());
        let mut daemon = as_uid(SERVICE, groups, &shared.bin("kcached"));
        daemon
            .arg("--listen")
            .arg(&endpoint)
            .arg("--store")
            .arg(home.join("store"))
            .args(sharing);
        let _daemon = serve(daemon, &socket);
        ServiceDaemon {
            shared,
            socket,
            endpoint,
            _daemon,
        }
    }
}

/// A shared daemon for a group, as the README's recipe runs it: a service uid, `--allow-gid`.
#[test]
fn a_group_shares_a_service_daemon_and_nobody_else_gets_in() {
    if !can_switch_uids("group sharing") {
        return;
    }
    let service = ServiceDaemon::start(&[GROUP], &["--allow-gid", &GROUP.to_string()]);
    let (shared, socket, endpoint) = (&service.shared, service.socket.clone(), service.endpoint.clone());

    let sock_meta = std::fs::metadata(&socket).unwrap();
    assert_eq!((sock_meta.mode() & 0o777, sock_meta.gid()), (0o660, GROUP));
    let dir_meta = std::fs::metadata(socket.parent().unwrap()).unwrap();
    assert_eq!(
        (dir_meta.mode() & 0o777, dir_meta.uid(), dir_meta.gid()),
        (0o710, SERVICE, GROUP)
    );

    let kernel = shared.path().join("add_one.py");
    std::fs::write(&kernel, ADD_ONE).unwrap();
    let cli = |uid: u32, groups: &[u32], args: &[&str]| {
        let mut c = as_uid(uid, groups, &shared.bin("kcache"));
        clean_env(&mut c).arg("--endpoint").arg(&endpoint).args(args);
        c.output().unwrap()
    };
    let svc = SERVICE.to_string();
    let compile = [
        "compile",
        kernel.to_str().unwrap(),
        "--entry",
        "add_one",
        "--sig",
        "int64(int64)",
    ];

    // A member of the group who trusts the service uid compiles.
    let member = |args: &[&str]| {
        let mut all = vec!["--daemon-uid", svc.as_str()];
        all.extend_from_slice(args);
        cli(MEMBER, &[GROUP], &all)
    };
    let o = member(&compile);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("miss add_one"),
        "{}",
        text(&o)
    );
    // ... but may not empty the store.
    let o = member(&["gc", "--max-size", "1"]);
    assert_fails(&o, None, &["PERMISSION_DENIED"]);
    // Without naming the service uid, the member's client does not trust it.
    let o = cli(MEMBER, &[GROUP], &["ping"]);
    assert_fails(&o, None, &[&format!("runs as uid {SERVICE}")]);
    // Another uid does not even reach the socket (directory 0710, socket 0660).
    let o = cli(OUTSIDER, &[], &["--daemon-uid", &svc, "ping"]);
    assert_fails(&o, None, &["ermission denied"]);
    // Root passes file permissions, so the daemon's own check answers: not in the group.
    let opts = ConnectOptions {
        daemon_uids: vec![SERVICE],
        ..Default::default()
    };
    let err = Client::connect_with(Some(&endpoint), &opts)
        .unwrap()
        .stats()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied);
    assert!(
        err.message.contains("uid 0") && err.message.contains("--allow-gid"),
        "{}",
        err.message
    );
    // The service uid itself, the owner, may collect garbage.
    let o = cli(SERVICE, &[], &["gc"]);
    assert!(o.status.success(), "{}", text(&o));
}

/// `--allow-uid` opens the daemon to one more uid, and Gc still only to its owner.
#[test]
fn allow_uid_serves_that_uid_only() {
    if !can_switch_uids("allow-uid") {
        return;
    }
    let service = ServiceDaemon::start(&[], &["--allow-uid", "0"]);
    let (shared, socket, endpoint) = (&service.shared, service.socket.clone(), service.endpoint.clone());
    assert_eq!(std::fs::metadata(&socket).unwrap().mode() & 0o777, 0o666);

    let opts = ConnectOptions {
        daemon_uids: vec![SERVICE],
        ..Default::default()
    };
    let client = Client::connect_with(Some(&endpoint), &opts).unwrap();
    let k = client
        .compile(&CompileSpec::new(ADD_ONE, "add_one", "int64(int64)"))
        .unwrap();
    assert_eq!(call_i64(&k, 41), 42);
    let err = client.gc(1).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied);
    assert!(err.message.contains("kept to the daemon's owner"), "{}", err.message);
    let err = client.evict("", &k.digest).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied);
    // Another uid that can reach the socket (0666) is still refused by the daemon.
    let o = clean_env(&mut as_uid(OUTSIDER, &[], &shared.bin("kcache")))
        .args(["--endpoint", &endpoint, "--daemon-uid", &SERVICE.to_string(), "stats"])
        .output()
        .unwrap();
    assert_fails(&o, None, &["PERMISSION_DENIED", &format!("uid {OUTSIDER}")]);
}

/// The daemon will not use a socket directory it does not own or that others can write.
#[test]
fn kcached_refuses_socket_directories_that_are_not_private() {
    let base = tempfile::tempdir().unwrap();
    let open = base.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let store = base.path().join("store");
    let listen = format!("unix:{}", open.join("k.sock").display());
    let stderr = kcached_refuses(&["--listen", &listen, "--store", store.to_str().unwrap()], &[]);
    assert!(stderr.contains("other users can write to it (mode 0777)"), "{stderr}");
    assert!(!open.join("k.sock").exists());

    if !is_root() {
        eprintln!("socket directory of another uid: skipped: needs root to chown");
        return;
    }
    let theirs = base.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::os::unix::fs::chown(&theirs, Some(ATTACKER), Some(ATTACKER)).unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
    let listen = format!("unix:{}", theirs.join("k.sock").display());
    let stderr = kcached_refuses(&["--listen", &listen, "--store", store.to_str().unwrap()], &[]);
    assert!(stderr.contains(&format!("belongs to uid {ATTACKER}")), "{stderr}");

    // A daemon of our own whose directory later passes to another uid: clients refuse it,
    // since that uid could swap the socket.
    let daemon = Daemon::start();
    std::os::unix::fs::chown(daemon.socket.parent().unwrap(), Some(ATTACKER), None).unwrap();
    let err = Client::connect(Some(&daemon.endpoint())).err().expect("refused");
    assert_eq!(err.kind, ErrorKind::Connect);
    assert!(
        err.message
            .contains(&format!("belongs to uid {ATTACKER}, not to uid 0")),
        "{}",
        err.message
    );
}

/// `--listen unix:PATH` replaces only a stale socket; a file, a directory or a live socket there
/// is an error and stays as it was.
#[test]
fn kcached_replaces_only_a_stale_socket() {
    let base = tempfile::tempdir().unwrap();
    let run = base.path().join("run");
    std::fs::create_dir(&run).unwrap();
    let path = run.join("k.sock");
    let listen = format!("unix:{}", path.display());
    let store = base.path().join("store");
    let args = ["--listen", listen.as_str(), "--store", store.to_str().unwrap()];

    std::fs::write(&path, "not yours").unwrap();
    let stderr = kcached_refuses(&args, &[]);
    assert!(stderr.contains("is a regular file, not a socket"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not yours");
    std::fs::remove_file(&path).unwrap();

    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("inside"), "kept").unwrap();
    let stderr = kcached_refuses(&args, &[]);
    assert!(stderr.contains("is a directory, not a socket"), "{stderr}");
    assert_eq!(std::fs::read_to_string(path.join("inside")).unwrap(), "kept");
    std::fs::remove_dir_all(&path).unwrap();

    // A live socket of another program: "already running", and it keeps working.
    let live = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let stderr = kcached_refuses(&args, &[]);
    assert!(stderr.contains("already running"), "{stderr}");
    assert!(std::os::unix::net::UnixStream::connect(&path).is_ok());
    drop(live);
    wait_until_closed(&path);

    // Now stale (nobody listens): replaced, and the daemon serves.
    assert!(std::fs::symlink_metadata(&path).is_ok());
    let mut cmd = Command::new(bin_dir().join("kcached"));
    cmd.args(args);
    let _daemon = serve(cmd, &path);
    let client = Client::connect(Some(&listen)).unwrap();
    client.stats().unwrap();

    // A second daemon on the same path: already running; the first keeps serving.
    let stderr = kcached_refuses(&args, &[]);
    assert!(stderr.contains("already running"), "{stderr}");
    client.stats().unwrap();
}

/// Waits until nothing accepts connections on `path`. A listener this process closed can live on
/// for a moment in a child that another test thread forked and that has not yet exec'd.
fn wait_until_closed(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::os::unix::net::UnixStream::connect(path).is_ok() {
        assert!(
            Instant::now() < deadline,
            "{} still accepts connections",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn assert_private(dir: &Path) {
    let mut pending = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(p) = pending.pop() {
        let m = std::fs::symlink_metadata(&p).unwrap();
        assert_eq!(m.mode() & 0o077, 0, "{} is mode {:04o}", p.display(), m.mode() & 0o7777);
        if m.is_dir() {
            pending.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
        seen += 1;
    }
    assert!(seen > 2, "the store has files");
}

/// The store is private: 0700 directories, 0600 files; an open store from an older kcached is
/// made private with a warning; another uid's store is refused.
#[test]
fn the_store_is_private() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    client
        .compile(&CompileSpec::new(ADD_ONE, "add_one", "int64(int64)"))
        .unwrap();
    assert_private(&daemon.store);
    assert_private(daemon.socket.parent().unwrap());
    assert_eq!(std::fs::metadata(&daemon.socket).unwrap().mode() & 0o777, 0o600);
    drop(client);
    drop(daemon);

    // An open store, as earlier versions left it.
    let base = tempfile::tempdir().unwrap();
    let store = base.path().join("store");
    std::fs::create_dir_all(store.join("old")).unwrap();
    std::fs::write(store.join("old/record"), "x").unwrap();
    for (p, mode) in [("", 0o755), ("old", 0o755), ("old/record", 0o644)] {
        std::fs::set_permissions(store.join(p), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let socket = base.path().join("run").join("k.sock");
    let mut cmd = Command::new(bin_dir().join("kcached"));
    cmd.arg("--listen")
        .arg(format!("unix:{}", socket.display()))
        .arg("--store")
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = Proc(cmd.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(
            Instant::now() < deadline && child.0.try_wait().unwrap().is_none(),
            "kcached did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_private(&store);
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.0.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("was open to other users") && stderr.contains("fixed=3"),
        "{stderr}"
    );

    if !is_root() {
        eprintln!("store of another uid: skipped: needs root to chown");
        return;
    }
    let theirs = base.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::os::unix::fs::chown(&theirs, Some(ATTACKER), Some(ATTACKER)).unwrap();
    let listen = format!("unix:{}", base.path().join("run2").join("k.sock").display());
    let stderr = kcached_refuses(&["--listen", &listen, "--store", theirs.to_str().unwrap()], &[]);
    assert!(
        stderr.contains("refusing to use the store") && stderr.contains(&format!("uid {ATTACKER}")),
        "{stderr}"
    );
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "kcached never listened on port {port}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// TCP with TLS and tokens: no token or a wrong one is UNAUTHENTICATED, a wrong CA fails the
/// handshake, the right CA and token compile and run; Gc over TCP needs the admin token.
#[test]
fn tcp_needs_tls_and_a_token() {
    let keys = tempfile::tempdir().unwrap();
    let pki = new_pki();
    let ca = write_private(&keys.path().join("ca.pem"), &pki.ca);
    let cert = write_private(&keys.path().join("cert.pem"), &pki.cert);
    let key = write_private(&keys.path().join("key.pem"), &pki.key);
    let token = write_private(&keys.path().join("token"), "user-token-7f3a9c2e51b8\n");
    let admin = write_private(&keys.path().join("admin"), "admin-token-0d4e6b1a97c3\n");
    let wrong_token = write_private(&keys.path().join("wrong"), "user-token-000000000000\n");
    let wrong_ca = write_private(&keys.path().join("other-ca.pem"), &new_pki().ca);

    let port = free_port();
    let tcp = format!("tcp://127.0.0.1:{port}");
    let p = |p: &PathBuf| p.to_str().unwrap().to_string();
    let daemon = Daemon::start_with(&[
        "--listen",
        &tcp,
        "--tls-cert",
        &p(&cert),
        "--tls-key",
        &p(&key),
        "--token-file",
        &p(&token),
        "--admin-token-file",
        &p(&admin),
    ]);
    wait_for_port(port);
    let spec = CompileSpec::new(ADD_ONE, "add_one", "int64(int64)");
    let opts = |ca: &PathBuf, token: Option<&PathBuf>| ConnectOptions {
        tls_ca: Some(ca.clone()),
        token_file: token.cloned(),
        ..Default::default()
    };

    // No token, a wrong token: UNAUTHENTICATED.
    for t in [None, Some(&wrong_token)] {
        let client = Client::connect_with(Some(&tcp), &opts(&ca, t)).unwrap();
        let err = client.compile(&spec).err().unwrap();
        assert_eq!(err.kind, ErrorKind::Denied, "{}", err.message);
        assert!(err.message.contains("UNAUTHENTICATED"), "{}", err.message);
    }
    // A CA that did not sign the daemon's certificate: the handshake fails.
    let err = Client::connect_with(Some(&tcp), &opts(&wrong_ca, Some(&token)))
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::Connect);
    assert!(err.message.contains("certificate"), "{}", err.message);
    // No CA at all: plain text to a TLS port does not work either.
    assert!(Client::connect_with(Some(&tcp), &ConnectOptions::default())
        .and_then(|c| c.stats())
        .is_err());

    // The right CA and token: compile, load, run.
    let client = Client::connect_with(Some(&tcp), &opts(&ca, Some(&token))).unwrap();
    let k = client.compile(&spec).unwrap();
    assert_eq!(call_i64(&k, 41), 42);
    // Maintenance over TCP needs the admin token.
    for err in [client.gc(1).unwrap_err(), client.evict("", &k.digest).unwrap_err()] {
        assert_eq!(err.kind, ErrorKind::Denied);
        assert!(err.message.contains("PERMISSION_DENIED"), "{}", err.message);
    }
    assert_eq!(client.stats().unwrap().store_entries, 1, "nothing was removed");
    let admin_client = Client::connect_with(Some(&tcp), &opts(&ca, Some(&admin))).unwrap();
    admin_client.compile(&spec).unwrap();
    admin_client.gc(0).unwrap();
    // The owner on the Unix socket needs no token.
    Client::connect(Some(&daemon.endpoint())).unwrap().gc(0).unwrap();

    // The health service is behind the token too (what a raw gRPC client sees).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let code = rt.block_on(async {
        let tls = tonic::transport::ClientTlsConfig::new()
            .ca_certificate(tonic::transport::Certificate::from_pem(&pki.ca))
            .domain_name("127.0.0.1");
        let channel = tonic::transport::Endpoint::from_shared(format!("https://127.0.0.1:{port}"))
            .unwrap()
            .tls_config(tls)
            .unwrap()
            .connect()
            .await
            .unwrap();
        let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
        health
            .check(tonic_health::pb::HealthCheckRequest { service: String::new() })
            .await
            .unwrap_err()
            .code()
    });
    assert_eq!(code, tonic::Code::Unauthenticated);

    // The CLI's flags and the C library's environment variables.
    let file = keys.path().join("add_one.py");
    std::fs::write(&file, ADD_ONE).unwrap();
    let cli = |extra: &[&str]| {
        clean_env(&mut Command::new(bin_dir().join("kcache")))
            .args(["--endpoint", &tcp, "--tls-ca", &p(&ca)])
            .args(extra)
            .args(["compile", &p(&file), "--entry", "add_one", "--sig", "int64(int64)"])
            .output()
            .unwrap()
    };
    let o = cli(&["--token-file", &p(&token)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = cli(&[]);
    assert_fails(&o, None, &["UNAUTHENTICATED"]);
    let c_program = build_c_example(keys.path());
    let run_c = |token: &PathBuf| {
        clean_env(&mut Command::new(&c_program))
            .env("LD_LIBRARY_PATH", bin_dir())
            .env("KCACHE_ENDPOINT", &tcp)
            .env("KCACHE_TLS_CA", &ca)
            .env("KCACHE_TOKEN_FILE", token)
            .output()
            .unwrap()
    };
    let o = run_c(&token);
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("sum = "), "{}", text(&o));
    // KC_ERR_CONNECT from kc_compile: the example exits 3.
    assert_fails(&run_c(&wrong_token), Some(3), &["UNAUTHENTICATED"]);
}

/// kcached will not serve TCP without TLS and a token, except `--insecure-tcp` on loopback.
#[test]
fn kcached_refuses_unprotected_tcp() {
    let base = tempfile::tempdir().unwrap();
    let store = base.path().join("store");
    let store = store.to_str().unwrap();
    let tcp = format!("tcp://127.0.0.1:{}", free_port());
    let stderr = kcached_refuses(&["--listen", &tcp, "--store", store], &[]);
    assert!(stderr.contains("--tls-cert and --tls-key and --token-file"), "{stderr}");
    let stderr = kcached_refuses(
        &["--listen", "tcp://0.0.0.0:1", "--insecure-tcp", "--store", store],
        &[],
    );
    assert!(stderr.contains("only for loopback"), "{stderr}");
    let token = write_private(&base.path().join("token"), "a-token-of-enough-length");
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stderr = kcached_refuses(
        &[
            "--listen",
            &tcp,
            "--insecure-tcp",
            "--token-file",
            token.to_str().unwrap(),
            "--store",
            store,
        ],
        &[],
    );
    assert!(stderr.contains("can be read or written by other users"), "{stderr}");

    // Insecure on loopback, with a token anyway: the token is still checked, and Gc is never
    // served over TCP without an admin token.
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let port = free_port();
    let tcp = format!("tcp://127.0.0.1:{port}");
    let _daemon = Daemon::start_with(&[
        "--listen",
        &tcp,
        "--insecure-tcp",
        "--token-file",
        token.to_str().unwrap(),
    ]);
    wait_for_port(port);
    let plain = Client::connect_with(Some(&tcp), &ConnectOptions::default()).unwrap();
    assert!(plain.stats().unwrap_err().message.contains("UNAUTHENTICATED"));
    let with_token = ConnectOptions {
        token_file: Some(token.clone()),
        ..Default::default()
    };
    let client = Client::connect_with(Some(&tcp), &with_token).unwrap();
    client.stats().unwrap();
    assert!(client.gc(1).unwrap_err().message.contains("PERMISSION_DENIED"));
}
