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
        let child = Command::new(&bin)
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
