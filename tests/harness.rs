//! Test harness: a real `kcached` on a temporary socket and store, and helpers to ask CPython
//! (the semantic oracle) what the same source computes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repo")
        .to_path_buf()
}

/// The repository's own kernel corpus (`tests/kernels`), with `oracle.py`.
pub fn kernels_dir() -> PathBuf {
    repo_root().join("tests/kernels")
}

/// Kernel files from outside the repository that `make test` was asked to run as well
/// (`KCACHE_EXTRA_KERNELS`, set by the Makefile when a shared corpus sits beside the checkout): those that are not already
/// in the in-repo corpus with the same content. Empty when the variable is unset.
pub fn extra_kernel_files() -> Vec<PathBuf> {
    let Some(dir) = std::env::var_os("KCACHE_EXTRA_KERNELS") else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py") && p.file_name().is_some_and(|n| n != "oracle.py"))
        .filter(|p| {
            let ours = kernels_dir().join(p.file_name().unwrap());
            std::fs::read(&ours).ok() != std::fs::read(p).ok()
        })
        .collect();
    files.sort();
    files
}

/// The directory holding the binaries of this build (target/debug or target/release).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test-binary>
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// Runs `cmd` and returns its output; panics with both streams when it fails.
pub fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds a C program against include/kcache.h and this build's libkcache; returns `out`.
/// Run it with `LD_LIBRARY_PATH` set to [`bin_dir`].
pub fn build_c_program(source: &Path, out: &Path) -> PathBuf {
    let root = repo_root();
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-Wall", "-Werror", "-o"])
        .arg(out)
        .arg(source)
        .arg(format!("-I{}", root.join("include").display()))
        .arg(format!("-L{}", bin_dir().display()))
        .arg("-lkcache")
        .arg("-lm")
        .status()
        .expect("running cc");
    assert!(status.success(), "{} does not build", source.display());
    out.to_path_buf()
}

pub struct Daemon {
    child: Option<Child>,
    /// A command prefix to start it with (`ip netns exec NS`), empty for none.
    wrapper: Vec<String>,
    extra: Vec<String>,
    env: Vec<(String, String)>,
    pub dir: tempfile::TempDir,
    pub socket: PathBuf,
    pub store: PathBuf,
}

impl Daemon {
    /// Starts kcached on a fresh socket and store.
    pub fn start() -> Daemon {
        Daemon::start_with(&[])
    }

    /// Starts kcached with extra command line arguments (`--max-size`, a TCP `--listen`).
    pub fn start_with(extra: &[&str]) -> Daemon {
        Daemon::start_with_env(extra, &[])
    }

    /// Starts kcached with extra arguments and environment variables.
    pub fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Daemon {
        Daemon::start_wrapped(&[], extra, env)
    }

    /// Starts kcached through `wrapper` (e.g. `ip netns exec NS`: a daemon on "another host").
    pub fn start_wrapped(wrapper: &[&str], extra: &[&str], env: &[(&str, &str)]) -> Daemon {
        let dir = tempfile::Builder::new()
            .prefix("kcache-e2e")
            .tempdir()
            .expect("tempdir");
        let socket = dir.path().join("run").join("kcached.sock");
        let store = dir.path().join("store");
        let extra = extra.iter().map(|s| s.to_string()).collect();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut d = Daemon {
            child: None,
            wrapper: wrapper.iter().map(|s| s.to_string()).collect(),
            extra,
            env,
            dir,
            socket,
            store,
        };
        d.spawn();
        d
    }

    pub fn endpoint(&self) -> String {
        format!("unix:{}", self.socket.display())
    }

    fn spawn(&mut self) {
        let bin = bin_dir().join("kcached");
        assert!(
            bin.exists(),
            "{} is missing: build the workspace binaries first (make test does)",
            bin.display()
        );
        let mut command = match self.wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(&bin);
                c
            }
            None => Command::new(&bin),
        };
        let child = command
            .arg("--listen")
            .arg(self.endpoint())
            .arg("--store")
            .arg(&self.store)
            .args(&self.extra)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning kcached");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::os::unix::net::UnixStream::connect(&self.socket).is_ok() {
                return;
            }
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("kcached exited early: {status}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("kcached did not start listening on {}", self.socket.display());
    }

    /// Stops the daemon with SIGTERM (graceful) or SIGKILL, and waits for it.
    pub fn stop(&mut self, kill: bool) {
        if let Some(mut child) = self.child.take() {
            let sig = if kill { libc::SIGKILL } else { libc::SIGTERM };
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(child.id() as i32, sig) };
            let _ = child.wait();
        }
    }

    pub fn restart(&mut self, kill: bool) {
        self.stop(kill);
        if kill {
            let _ = std::fs::remove_file(&self.socket);
        }
        self.spawn();
    }

    /// The daemon's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop(false);
    }
}

/// The Python interpreter for the oracle: `$KCACHE_PYTHON` (the Makefile's venv), else python3.
pub fn python() -> String {
    std::env::var("KCACHE_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// A Python interpreter with NumPy, for the checks whose oracle is NumPy: `$KCACHE_PYTHON` (the
/// Makefile's venv), else the repository's `.venv` (`make venv`), else python3. Panics, saying
/// how to get one, when NumPy is not importable.
pub fn numpy_python() -> String {
    let local = repo_root().join(".venv/bin/python");
    let python = std::env::var("KCACHE_PYTHON").unwrap_or_else(|_| {
        if local.exists() {
            local.display().to_string()
        } else {
            "python3".to_string()
        }
    });
    let ok = Command::new(&python)
        .args(["-c", "import numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "{python} cannot import numpy, the oracle of this test: run `make venv` or `make test`, or set KCACHE_PYTHON"
    );
    python
}

/// Runs `program` with `numpy_python()` and returns its standard output.
pub fn numpy_run(program: &str) -> String {
    let out = Command::new(numpy_python())
        .arg("-c")
        .arg(program)
        .output()
        .expect("running python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

/// Runs `source` in CPython (numba decorators stubbed out), then evaluates `expr` and returns
/// `repr()` of the result: what the kernel must compute.
pub fn cpython_eval(source: &str, expr: &str) -> String {
    let prelude = "import sys, types\n\
        def _deco(*a, **k):\n    return a[0] if len(a) == 1 and callable(a[0]) and not k else (lambda f: f)\n\
        _m = types.ModuleType('numba'); _m.njit = _m.jit = _m.vectorize = _deco; _m.prange = range\n\
        sys.modules['numba'] = _m\n";
    let program =
        format!("{prelude}\n__src = {source:?}\nexec(compile(__src, 'kernel.py', 'exec'))\nprint(repr({expr}))\n");
    let out = Command::new(python())
        .arg("-c")
        .arg(&program)
        .output()
        .expect("running python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8").trim().to_string()
}

/// A test PKI: a CA and a certificate for 127.0.0.1 and localhost signed by it.
pub struct Pki {
    pub ca: String,
    pub cert: String,
    pub key: String,
}

pub fn new_pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "kcache test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, "kcached");
    let key = KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&key, &*ca).unwrap();
    Pki {
        ca: ca.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

/// Writes a file only its owner may read (as kcached requires of keys and tokens).
pub fn write_private(path: &Path, content: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path.to_path_buf()
}

/// A port of 127.0.0.1 that nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private `redis-server` for the shared-tier tests, nothing saved to disk, killed when
/// dropped. It always listens on a Unix socket in its temporary directory (how the tests reach
/// it with a plain client, whatever network namespace it runs in), and optionally on TCP.
pub struct Redis {
    child: Option<Child>,
    pub dir: tempfile::TempDir,
    pub socket: PathBuf,
    /// Host and port of its TCP listener, if any.
    pub tcp: Option<(String, u16)>,
    /// With TLS on that listener: the certificate and key files.
    tls: Option<(PathBuf, PathBuf)>,
    /// A command prefix to start it with (`ip netns exec NS`), empty for none.
    wrapper: Vec<String>,
}

impl Redis {
    /// On a free port of 127.0.0.1.
    pub fn start_tcp() -> Redis {
        Redis::start(Some(("127.0.0.1", None)), None, &[])
    }

    /// On a Unix socket only.
    pub fn start_unix() -> Redis {
        Redis::start(None, None, &[])
    }

    /// TLS on a free port of 127.0.0.1, with this certificate and key (PEM).
    pub fn start_tls(cert: &str, key: &str) -> Redis {
        Redis::start(Some(("127.0.0.1", None)), Some((cert, key)), &[])
    }

    /// On `host:port`, started through `wrapper` (`ip netns exec NS`).
    pub fn start_in(host: &str, port: u16, wrapper: &[&str]) -> Redis {
        Redis::start(Some((host, Some(port))), None, wrapper)
    }

    fn start(tcp: Option<(&str, Option<u16>)>, tls: Option<(&str, &str)>, wrapper: &[&str]) -> Redis {
        assert!(
            Command::new("redis-server").arg("--version").output().is_ok(),
            "redis-server is missing: `make test` installs it (scripts/install-deps.sh), or apt-get install redis-server"
        );
        let dir = tempfile::Builder::new()
            .prefix("kcache-redis")
            .tempdir()
            .expect("tempdir");
        let tls = tls.map(|(cert, key)| {
            (
                write_private(&dir.path().join("redis.crt"), cert),
                write_private(&dir.path().join("redis.key"), key),
            )
        });
        let mut r = Redis {
            child: None,
            socket: dir.path().join("redis.sock"),
            dir,
            tcp: None,
            tls,
            wrapper: wrapper.iter().map(|s| s.to_string()).collect(),
        };
        // A port picked free can be taken before redis binds it: pick again.
        for _ in 0..5 {
            r.tcp = tcp.map(|(host, port)| (host.to_string(), port.unwrap_or_else(free_port)));
            if r.spawn() {
                return r;
            }
        }
        panic!("redis-server did not start");
    }

    /// What daemons are given: its TCP (or TLS) listener if it has one, else its socket.
    pub fn url(&self) -> String {
        match (&self.tcp, &self.tls) {
            (Some((host, port)), None) => format!("redis://{host}:{port}/0"),
            (Some((host, port)), Some(_)) => format!("rediss://{host}:{port}/0"),
            (None, _) => format!("redis+unix://{}", self.socket.display()),
        }
    }

    /// Starts redis-server and waits until it answers; false if it exited (its port was taken).
    fn spawn(&mut self) -> bool {
        let mut args: Vec<String> = self.wrapper.clone();
        let dir = self.dir.path().display().to_string();
        let socket = self.socket.display().to_string();
        args.extend(
            [
                "redis-server",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                &dir,
                "--maxmemory-policy",
                "allkeys-lru",
                "--loglevel",
                "warning",
                "--unixsocket",
                &socket,
                "--unixsocketperm",
                "700",
            ]
            .map(String::from),
        );
        match (&self.tcp, &self.tls) {
            (None, _) => args.extend(["--port".into(), "0".into()]),
            (Some((host, port)), tls) => {
                // The netns test reaches it from other namespaces, not over loopback.
                args.extend(["--bind", host, "--protected-mode", "no"].map(String::from));
                match tls {
                    None => args.extend(["--port".into(), port.to_string()]),
                    Some((cert, key)) => args.extend([
                        "--port".into(),
                        "0".into(),
                        "--tls-port".into(),
                        port.to_string(),
                        "--tls-cert-file".into(),
                        cert.display().to_string(),
                        "--tls-key-file".into(),
                        key.display().to_string(),
                        "--tls-auth-clients".into(),
                        "no".into(),
                    ]),
                }
            }
        }
        let child = Command::new(&args[0])
            .args(&args[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawning redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.try_client().is_some() {
                return true;
            }
            if let Some(c) = self.child.as_mut() {
                if c.try_wait().ok().flatten().is_some() {
                    self.child = None;
                    return false;
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server did not answer at {}", self.socket.display());
    }

    fn try_client(&self) -> Option<redis::Connection> {
        let url = format!("redis+unix://{}", self.socket.display());
        let mut c = redis::Client::open(url).ok()?.get_connection().ok()?;
        redis::cmd("PING").query::<String>(&mut c).ok()?;
        Some(c)
    }

    /// A plain client, on its socket: what the tests tamper with the shared tier through.
    pub fn client(&self) -> redis::Connection {
        self.try_client()
            .unwrap_or_else(|| panic!("no Redis at {}", self.socket.display()))
    }

    /// SIGKILL: gone at once, as a crashed server is.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.socket);
    }

    /// Starts it again where it was (empty: nothing was saved).
    pub fn restart(&mut self) {
        self.kill();
        assert!(self.spawn(), "redis-server did not restart at {}", self.url());
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A plain gRPC client on a daemon's socket, for tests that need the status codes and
/// deadlines as they are on the wire (the kcache client classifies them).
pub async fn raw_client(
    socket: &Path,
) -> kcache_proto::v1::kernel_cache_client::KernelCacheClient<tonic::transport::Channel> {
    let path = socket.to_path_buf();
    let channel = tonic::transport::Endpoint::from_static("http://kcached.local")
        .connect_with_connector(tower::service_fn(move |_: tonic::transport::Uri| {
            let path = path.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(&path).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
            }
        }))
        .await
        .expect("connecting to kcached");
    kcache_proto::v1::kernel_cache_client::KernelCacheClient::new(channel).max_decoding_message_size(256 << 20)
}

/// A compile request with no target (the daemon's host).
pub fn compile_request(source: &str, entry: &str, signature: &str) -> kcache_proto::v1::CompileRequest {
    kcache_proto::v1::CompileRequest {
        source: source.as_bytes().to_vec(),
        entry: entry.to_string(),
        signature: signature.to_string(),
        options: Default::default(),
        target: None,
        artifact: 0,
    }
}

/// CPU time a process has used so far (user and system), from /proc.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("reading /proc/PID/stat");
    // The fields after the command name (which may hold spaces) start after its ')'.
    let rest = &stat[stat.rfind(')').expect("a stat line") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    Duration::from_millis(ticks * 1000 / per_second.max(1))
}

/// Calls a `float64(float64[:])` kernel on `data` (a contiguous 1-D array).
pub fn sum_of(k: &kcache::Kernel, data: &mut [f64]) -> f64 {
    let n = data.len() as i64;
    // SAFETY: shape points to one value; NULL strides means contiguous.
    let arr = unsafe {
        kcache::ffi::kc_array_wrap(
            data.as_mut_ptr() as *mut std::ffi::c_void,
            kcache::ffi::kc_dtype::KC_FLOAT64,
            1,
            &n,
            std::ptr::null(),
        )
    };
    let mut ret = 0f64;
    // SAFETY: one float64 array argument, as the signature says.
    unsafe {
        k.call(
            &[&arr as *const kcache::ffi::kc_array as *const std::ffi::c_void],
            &mut ret as *mut f64 as *mut std::ffi::c_void,
        )
    }
    .unwrap();
    ret
}
