"""A real kcached on a temporary socket and store for the whole session; the package under test
is the one in python/, loading libkcache from the repository's target directory."""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
KERNELS = REPO / "tests" / "kernels"
# Kernel files from outside the repository that `make test` runs as well (the shared corpus
# beside the checkout, when there is one): those not already in tests/kernels with the same content.
_EXTRA = os.environ.get("KCACHE_EXTRA_KERNELS")
EXTRA_KERNELS = sorted(
    p for p in (pathlib.Path(_EXTRA).glob("*.py") if _EXTRA else [])
    if p.name != "oracle.py"
    and not ((KERNELS / p.name).exists() and (KERNELS / p.name).read_bytes() == p.read_bytes())
)
PROFILE = os.environ.get("KCACHE_PROFILE", "debug")
BIN = REPO / "target" / PROFILE

sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(KERNELS))


def start_daemon(tmp, extra_env=None):
    sock = tmp / "kcached.sock"
    proc = subprocess.Popen([str(BIN / "kcached"), "--listen", "unix:%s" % sock, "--store", str(tmp / "store")],
                            stdout=subprocess.DEVNULL, env=dict(os.environ, **(extra_env or {})))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(sock))
            s.close()
            return proc, "unix:%s" % sock
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("kcached exited with %s" % proc.returncode)
            time.sleep(0.02)
    raise RuntimeError("kcached did not start")


_TMP = pathlib.Path(tempfile.mkdtemp(prefix="kcache-pytest-"))
_PROC, ENDPOINT = start_daemon(_TMP)
os.environ["KCACHE_ENDPOINT"] = ENDPOINT
os.environ["KCACHE_LIB"] = str(BIN / "libkcache.so")
os.environ["KCACHE_AUTOSTART"] = "0"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds or installs something (deselect with -m 'not slow')")


def pytest_report_header(config):
    if not _EXTRA:
        return "kernel corpus: tests/kernels (KCACHE_EXTRA_KERNELS unset: no extra corpus)"
    return "kernel corpus: tests/kernels + %d extra file(s) from %s" % (len(EXTRA_KERNELS), _EXTRA)


def pytest_sessionfinish(session, exitstatus):
    _PROC.terminate()
    try:
        _PROC.wait(10)
    except subprocess.TimeoutExpired:
        _PROC.kill()
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture
def kernels_dir():
    return KERNELS


def in_threads(body, threads=4, rounds=20):
    """Runs `body()` `rounds` times on each of `threads` threads at once; raises the first
    failure any of them met."""
    errors = []

    def run():
        try:
            for _ in range(rounds):
                body()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert not errors, errors
