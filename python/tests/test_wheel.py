"""`pip wheel ./python` gives a package that works on its own: built into a wheel, installed
into a fresh virtual environment outside the repository, imported from another directory with
no KCACHE_* variables set, it finds its own libkcache.so, starts its own kcached (autostart) and
runs a kernel; `kcache` and `kcached` are commands of that environment.

The wheel is built with the cargo profile of the test run (KCACHE_PROFILE, default debug), so
the build step reuses the workspace build that `make test` has just made (plus kcached with LLVM
linked statically: under a minute the first time, nothing after). numpy comes from pip (its
cache, else PyPI)."""
import os
import pathlib
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

from conftest import PROFILE, REPO

SCRIPT = r'''
import sys, numpy as np
import kcache
from kcache import njit, _lib

@njit
def total(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * 2.0
    return s

print("package", kcache.__file__)
print("library", _lib.LIB_PATH)
print("result", total(np.arange(10.0)))
'''


def _clean_env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KCACHE_", "PYTHON", "VIRTUAL_ENV"))}
    run = tmp / "run"
    run.mkdir(mode=0o700)
    env.update(XDG_RUNTIME_DIR=str(run), XDG_CACHE_HOME=str(tmp / "cache"), HOME=str(tmp / "home"))
    return env


def _stop_daemon(sock):
    """Stops the kcached the package started (the process serving `sock`), if any."""
    if not sock.exists():
        return
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(str(sock))
        pid, _, _ = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    except OSError:
        return
    finally:
        s.close()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists("/proc/%d" % pid):
        time.sleep(0.05)


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_a_kernel_with_autostart():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="kcache-wheel-"))
    env = _clean_env(tmp)
    sock = tmp / "run" / "kcache" / "kcached.sock"
    try:
        wheels = tmp / "wheels"
        build_env = dict(os.environ, KCACHE_CARGO_PROFILE=PROFILE)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "-w", str(wheels), str(REPO / "python")], check=True, env=build_env)
        wheel, = wheels.glob("kcache-*.whl")
        assert "linux" in wheel.name, wheel.name  # a platform wheel: it carries native code
        # LLVM is linked into the shipped kcached: it runs where LLVM is not installed.
        unpacked = tmp / "unpacked"
        subprocess.run([sys.executable, "-m", "zipfile", "-e", str(wheel), str(unpacked)], check=True)
        ldd = subprocess.run(["ldd", str(unpacked / "kcache" / "lib" / "kcached")], capture_output=True, text=True)
        assert ldd.returncode == 0 and "libc.so" in ldd.stdout, ldd.stdout + ldd.stderr
        assert "LLVM" not in ldd.stdout, ldd.stdout
        assert list((unpacked / "kcache").glob("_fast*.so")), "the C call path was not built into the wheel"

        venv = tmp / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                       check=True, env=env)

        work = tmp / "elsewhere"
        work.mkdir()
        (work / "kernel.py").write_text(SCRIPT)  # kcache reads a kernel's source from its file
        out = subprocess.run([str(venv / "bin" / "python"), "kernel.py"], cwd=work, env=env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
        site = str(venv / "lib")
        assert lines["package"].startswith(site), lines
        assert lines["library"].startswith(site) and lines["library"].endswith("kcache/lib/libkcache.so"), lines
        assert float(lines["result"]) == 90.0
        assert sock.exists(), "the package did not start its own kcached on the default socket"

        ping = subprocess.run([str(venv / "bin" / "kcache"), "ping"], cwd=work, env=env,
                              capture_output=True, text=True, timeout=60)
        assert ping.returncode == 0 and "answered" in ping.stdout, ping.stdout + ping.stderr
        version = subprocess.run([str(venv / "bin" / "kcached"), "--version"], env=env,
                                 capture_output=True, text=True, timeout=60)
        assert version.returncode == 0 and version.stdout.startswith("kcached "), version.stdout + version.stderr
    finally:
        _stop_daemon(sock)
        subprocess.run(["rm", "-rf", str(tmp)])
