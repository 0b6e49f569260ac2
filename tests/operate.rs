//! kcached as an operator runs it: a TOML config file (`--config`, with flags and the
//! environment above it), Prometheus metrics scraped over HTTP (`--metrics`), and JSON logs
//! (`--log-format json`).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kcache::{Client, CompileSpec};
use kcache_e2e::*;

const ADD: &str = "def add(a, b):\n    return a + b\n";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET `path` from 127.0.0.1:`port`, retried while the endpoint is not up yet.
fn http_get(port: u16, path: &str) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut conn = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => panic!("metrics endpoint: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    write!(conn, "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n").unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").expect("an HTTP reply");
    (head.to_string(), body.to_string())
}

/// The value of the sample named `name` (with its labels, as written) in a metrics text.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
        .parse()
        .unwrap()
}

fn write_config(dir: &Path, text: &str) -> String {
    let path = dir.join("kcached.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn metrics_from_a_config_file_count_compiles_hits_and_stage_times() {
    let cfg_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_config(
        cfg_dir.path(),
        // Every hit an RPC the metrics count (the local index would answer the second one).
        &format!(
            "# set by the file\nmetrics = \"tcp://127.0.0.1:{port}\"\nmax_size = \"64M\"\nno_local_index = true\n"
        ),
    );
    let daemon = Daemon::start_with(&["--config", &config]);
    let (head, body) = http_get(port, "/metrics");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    assert_eq!(sample(&body, "kcache_requests_total"), 0.0);
    assert_eq!(
        sample(&body, "kcache_store_max_bytes"),
        (64u64 << 20) as f64,
        "max_size from the file"
    );

    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let spec = CompileSpec::new(ADD, "add", "float64(float64, float64)");
    client.compile(&spec).unwrap();
    client.compile(&spec).unwrap();
    let bad = CompileSpec::new("def add(a, b):\n    return a +\n", "add", "float64(float64, float64)");
    assert!(client.compile(&bad).is_err());

    let (_, body) = http_get(port, "/metrics");
    assert_eq!(sample(&body, "kcache_requests_total"), 3.0, "{body}");
    assert_eq!(sample(&body, "kcache_hits_total"), 1.0);
    assert_eq!(sample(&body, "kcache_compiles_total"), 1.0);
    assert_eq!(sample(&body, "kcache_source_errors_total"), 1.0);
    assert_eq!(sample(&body, "kcache_store_entries"), 1.0);
    assert!(sample(&body, "kcache_store_bytes") > 0.0);
    assert!(body.contains("# TYPE kcache_stage_duration_seconds histogram"));
    for stage in ["parse", "infer", "lower", "optimize", "emit", "link"] {
        assert_eq!(
            sample(
                &body,
                &format!("kcache_stage_duration_seconds_count{{stage=\"{stage}\"}}")
            ),
            1.0
        );
        assert_eq!(
            sample(
                &body,
                &format!("kcache_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}")
            ),
            1.0
        );
    }
    assert!(sample(&body, "kcache_compile_time_seconds_total") > 0.0);
    assert!(body.contains("kcache_build_info{version="));

    let (head, _) = http_get(port, "/nothing");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
}

/// Runs kcached (its own socket and store in `dir`) with `args` and `env`, makes one compile,
/// stops it with SIGTERM and returns what it wrote to stderr.
fn stderr_of_a_compile(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let socket = dir.join("run/k.sock");
    let mut child = Command::new(bin_dir().join("kcached"))
        .arg("--listen")
        .arg(format!("unix:{}", socket.display()))
        .arg("--store")
        .arg(dir.join("store"))
        .args(args)
        .env_remove("KCACHE_LOG")
        .env_remove("KCACHE_LOG_FORMAT")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        match Client::connect(Some(&format!("unix:{}", socket.display()))) {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => panic!("kcached did not start: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    // A client that finds the daemon's local index does not connect until it needs the RPC,
    // which a daemon still binding its socket refuses: retry that too.
    loop {
        match client.compile(&CompileSpec::new(ADD, "add", "int64(int64, int64)")) {
            Ok(_) => break,
            Err(e) if Instant::now() > deadline => panic!("kcached did not answer: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    drop(client);
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    child.wait().unwrap();
    err
}

fn json_compile_line(logs: &str) -> Option<serde_json::Value> {
    logs.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["fields"]["message"] == "compiled")
}

#[test]
fn json_logs_and_the_precedence_of_file_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = write_config(dir.path(), "log_format = \"json\"\n");

    // The file asks for JSON.
    let logs = stderr_of_a_compile(&dir.path().join("a"), &["--config", &json_file], &[]);
    let line = json_compile_line(&logs).unwrap_or_else(|| panic!("no JSON 'compiled' line in:\n{logs}"));
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["fields"]["action_key"].as_str().map(str::len), Some(64), "{line}");
    assert!(line["timestamp"].is_string());

    // The environment overrides the file...
    let logs = stderr_of_a_compile(
        &dir.path().join("b"),
        &["--config", &json_file],
        &[("KCACHE_LOG_FORMAT", "text")],
    );
    assert!(
        json_compile_line(&logs).is_none() && logs.contains("compiled"),
        "{logs}"
    );
    // ... and a flag overrides the environment.
    let logs = stderr_of_a_compile(
        &dir.path().join("c"),
        &["--config", &json_file, "--log-format", "json"],
        &[("KCACHE_LOG_FORMAT", "text")],
    );
    assert!(json_compile_line(&logs).is_some(), "{logs}");
}

#[test]
fn a_bad_config_file_is_refused_with_its_name_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "max_szie = \"1G\"\n");
    let out = Command::new(bin_dir().join("kcached"))
        .arg("--config")
        .arg(&config)
        .arg("--listen")
        .arg(format!("unix:{}", dir.path().join("run/k.sock").display()))
        .arg("--store")
        .arg(dir.path().join("store"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&config) && err.contains("unknown setting 'max_szie'"),
        "{err}"
    );
    let out = Command::new(bin_dir().join("kcached"))
        .args(["--log-format", "xml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--log-format takes text or json"));
}

/// The command line of the unit's `ExecStart=` (continuation lines joined).
fn exec_start(unit: &str) -> Vec<String> {
    let joined = unit.replace("\\\n", " ");
    let line = joined
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    line.split_whitespace().map(str::to_string).collect()
}

#[test]
fn the_shipped_system_unit_and_config_start_a_daemon() {
    let root = repo_root();
    let unit = std::fs::read_to_string(root.join("packaging/systemd/system/kcached.service")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kcached = bin_dir().join("kcached");

    // systemd's own check of the unit, with ExecStart pointing at this build.
    if Command::new("systemd-analyze").arg("--version").output().is_ok() {
        let copy = dir.path().join("kcached.service");
        std::fs::write(
            &copy,
            unit.replace("/usr/local/bin/kcached", &kcached.display().to_string()),
        )
        .unwrap();
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&copy)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
        let about_unit: Vec<&str> = said.lines().filter(|l| l.contains("kcached.service")).collect();
        assert!(about_unit.is_empty(), "systemd-analyze verify: {said}");
    }

    // Its command line, with the shipped config, in a temporary root (the group it allows
    // exists only where the sysusers file was applied).
    let args = exec_start(&unit);
    assert_eq!(args[0], "/usr/local/bin/kcached");
    let mut argv: Vec<String> = Vec::new();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        let v = |it: &mut std::slice::Iter<String>| it.next().unwrap().clone();
        match a.as_str() {
            "--config" => {
                assert_eq!(v(&mut it), "/etc/kcache/kcached.toml");
                argv.extend([
                    "--config".into(),
                    root.join("packaging/kcached.toml").display().to_string(),
                ]);
            }
            "--listen" => {
                assert_eq!(v(&mut it), "unix:/run/kcache/kcached.sock");
                argv.extend([
                    "--listen".into(),
                    format!("unix:{}", dir.path().join("run/kcached.sock").display()),
                ]);
            }
            "--store" => {
                assert_eq!(v(&mut it), "/var/lib/kcache/store");
                argv.extend(["--store".into(), dir.path().join("store").display().to_string()]);
            }
            "--allow-gid" => assert_eq!(v(&mut it), "kcache-users"),
            other => panic!("ExecStart has {other}, which this test does not know"),
        }
    }
    let port = free_port();
    argv.extend(["--metrics".into(), format!("tcp://127.0.0.1:{port}")]);
    let mut child = Command::new(&kcached)
        .args(&argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (head, body) = http_get(port, "/metrics");
    let endpoint = format!("unix:{}", dir.path().join("run/kcached.sock").display());
    // The metrics listener can answer before the socket's does (a loaded CI machine showed it):
    // retry the RPC for a while rather than race the daemon's start.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let stats = loop {
        let stats = Client::connect(Some(&endpoint)).and_then(|c| c.stats());
        if stats.is_ok() || std::time::Instant::now() > deadline {
            break stats;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(sample(&body, "kcache_store_max_bytes"), (2u64 << 30) as f64);
    assert!(stats.is_ok(), "{:?}", stats.err());
    assert!(status.success(), "kcached exited with {status} on SIGTERM");
}

#[test]
fn kcache_explain_stats_and_version_are_for_people() {
    let daemon = Daemon::start();
    let dir = tempfile::tempdir().unwrap();
    let source = "import math\nfrom numba import njit\nSCALE = 2.5\n\n@njit\ndef helper(x):\n    return x * SCALE + math.pi\n\n\
                  @njit(\"float64(float64[:])\", fastmath=True)\ndef kernel(a):\n    s = 0.0\n    for i in range(len(a)):\n        s += helper(a[i])\n    return s\n";
    let a = dir.path().join("a.py");
    let b = dir.path().join("b.py");
    std::fs::write(&a, source).unwrap();
    std::fs::write(&b, source.replace("SCALE = 2.5", "SCALE = 3.0")).unwrap();
    let kcache = |args: &[&str]| -> String {
        let out = Command::new(bin_dir().join("kcache"))
            .arg("--endpoint")
            .arg(daemon.endpoint())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let a_path = a.display().to_string();
    let text = kcache(&["explain", &a_path]);
    assert!(
        !text.contains("StmtFunctionDef") && !text.contains("Comparable"),
        "{text}"
    );
    for expected in [
        "not stored",
        "entry       kernel",
        "functions   helper  ",
        "@jit signatures=[\"float64(float64[:])\"]",
        "globals     SCALE = 2.5 (float64)",
        "math = module math",
        "fastmath=true",
    ] {
        assert!(text.contains(expected), "no '{expected}' in:\n{text}");
    }
    let diff = kcache(&["explain", &a_path, "--against", &b.display().to_string()]);
    assert!(
        diff.contains("global SCALE") && diff.contains("2.5 (float64)  →  3.0 (float64)"),
        "{diff}"
    );
    assert!(!diff.contains("function "), "only the global changed:\n{diff}");
    let same = kcache(&["explain", &a_path, "--against", &a_path]);
    assert!(same.starts_with("same action key"), "{same}");

    kcache(&["compile", &a_path]);
    kcache(&["compile", &a_path]);
    let stats = kcache(&["stats"]);
    let (counters, stages) = stats.split_once("\n\n").expect("counters, then the stage table");
    // Every value starts in the same column, whatever the label.
    let value_column = |l: &str| {
        let label_end = l.find("  ").unwrap();
        label_end + l[label_end..].len() - l[label_end..].trim_start().len()
    };
    let columns: Vec<usize> = counters.lines().map(value_column).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{stats}");
    assert!(counters.contains("hits") && counters.contains("1  (50.0%)"), "{stats}");
    let widths: Vec<usize> = stages.lines().map(|l| l.chars().count()).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{stats}");
    assert!(stages.starts_with("stage") && stages.lines().count() == 7, "{stats}");

    assert_eq!(
        kcache(&["--version"]).trim(),
        format!("kcache {}", env!("CARGO_PKG_VERSION"))
    );
}

/// Socket activation as systemd does it: the listening socket as file descriptor 3, with
/// LISTEN_FDS=1 and LISTEN_PID naming the daemon's process (a shell that execs kcached keeps
/// its pid). kcached serves that socket with no --listen, and leaves its file alone.
#[test]
fn socket_activation_serves_the_socket_it_is_given() {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;

    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    std::fs::create_dir(&run).unwrap();
    let socket = run.join("activated.sock");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let fd = listener.as_raw_fd();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("LISTEN_PID=$$ LISTEN_FDS=1 exec \"$0\" --store \"$1\"")
        .arg(bin_dir().join("kcached"))
        .arg(dir.path().join("store"))
        .env(
            "KCACHE_ENDPOINT",
            format!("unix:{}", dir.path().join("not-this.sock").display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: dup2 and fcntl are async-signal-safe; fd is open in the parent.
    let mut child = unsafe {
        command.pre_exec(move || {
            if fd != 3 && libc::dup2(fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let flags = libc::fcntl(3, libc::F_GETFD);
            libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            Ok(())
        })
    }
    .spawn()
    .unwrap();
    drop(listener); // the daemon has its own copy
    let endpoint = format!("unix:{}", socket.display());
    let client = Client::connect(Some(&endpoint)).unwrap();
    let spec = CompileSpec::new(ADD, "add", "float64(float64, float64)");
    assert!(!client.compile(&spec).unwrap().cache_hit);
    assert!(client.compile(&spec).unwrap().cache_hit);
    assert!(
        !dir.path().join("not-this.sock").exists(),
        "KCACHE_ENDPOINT was bound although a socket was passed"
    );
    drop(client);
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(out.contains(&format!("listening on {endpoint}")), "{out}");
    assert!(
        socket.exists(),
        "the socket belongs to the service manager: kcached leaves it"
    );
}

/// A kernel that takes a while to compile (seconds in a debug build): a long straight line.
fn slow_kernel() -> String {
    let mut src = String::from("def big(a):\n    s = 0.0\n");
    for i in 0..8000 {
        src.push_str(&format!("    s += a[{}] * {i}.5 - s * 0.25\n", i % 7));
    }
    src.push_str("    return s\n");
    src
}

/// Starts compiling `slow_kernel()` on a thread; returns once the daemon counts it in flight.
fn compile_in_flight(daemon: &Daemon) -> std::thread::JoinHandle<Result<bool, kcache::Error>> {
    let endpoint = daemon.endpoint();
    let compiling = std::thread::spawn(move || {
        let client = Client::connect(Some(&endpoint))?;
        let kernel = client.compile(&CompileSpec::new(slow_kernel(), "big", "float64(float64[:])"))?;
        Ok(!kernel.digest.is_empty())
    });
    let watcher = Client::connect(Some(&daemon.endpoint())).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while watcher.stats().unwrap().in_flight == 0 {
        assert!(Instant::now() < deadline, "the compile never showed as in flight");
        std::thread::sleep(Duration::from_millis(5));
    }
    compiling
}

#[test]
fn sigterm_answers_the_compile_in_flight() {
    let mut daemon = Daemon::start();
    let compiling = compile_in_flight(&daemon);
    daemon.stop(false); // SIGTERM, then wait for kcached to exit
    let answered = compiling.join().unwrap();
    assert!(matches!(answered, Ok(true)), "{answered:?}");
}

#[test]
fn sigterm_waits_no_longer_than_the_shutdown_grace() {
    let mut daemon = Daemon::start_with(&["--shutdown-grace", "100ms"]);
    let compiling = compile_in_flight(&daemon);
    let stopped = Instant::now();
    daemon.stop(false);
    let waited = stopped.elapsed();
    // kcached left before the compile could finish: the client got no kernel.
    let answered = compiling.join().unwrap();
    assert!(
        answered.is_err(),
        "the compile finished first ({waited:?}): {answered:?}"
    );
}

/// A service manager may stop kcached right after it started: SIGTERM as soon as its socket
/// exists (it may not be answering yet) is a clean exit, not the signal's default death. The
/// handlers are installed before anything is bound.
#[test]
fn sigterm_right_after_the_socket_appears_is_a_clean_exit() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("k.sock");
        let mut child = Command::new(bin_dir().join("kcached"))
            .arg("--listen")
            .arg(format!("unix:{}", socket.display()))
            .arg("--store")
            .arg(dir.path().join("store"))
            .arg("--metrics")
            .arg(format!("tcp://127.0.0.1:{}", free_port()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "kcached never bound its socket");
            std::thread::sleep(Duration::from_micros(200));
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let status = child.wait().unwrap();
        assert!(status.success(), "kcached exited with {status} on an early SIGTERM");
    }
}
