"""Other processes: a second process hits on every kernel; concurrent auto-starts give one daemon."""
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import kcache
from conftest import BIN, KERNELS, REPO

SCRIPT = r"""
import sys, numpy as np
sys.path.insert(0, %(python)r)
import kcache
sys.modules["numba"] = kcache
import importlib.util
for name in ["compute_sum", "python_semantics", "black_scholes"]:
    spec = importlib.util.spec_from_file_location(name, %(kernels)r + "/" + name + ".py")
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print("ok")
"""


def run_script(**extra_env):
    code = SCRIPT % {"python": str(REPO / "python"), "kernels": str(KERNELS)}
    env = dict(os.environ, **extra_env)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_second_process_is_all_hits():
    run_script()
    before = kcache.stats()
    # Without the local index every hit is an RPC the daemon counts.
    run_script(KCACHE_NO_LOCAL_INDEX="1")
    after = kcache.stats()
    assert after["compiles"] == before["compiles"], (before, after)
    assert after["hits"] > before["hits"]
    # With it (the default), the same hits need no RPC at all.
    run_script()
    last = kcache.stats()
    assert (last["compiles"], last["requests"]) == (after["compiles"], after["requests"]), (after, last)


def test_concurrent_autostart_gives_one_daemon():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="kcache-autostart-"))
    env = dict(os.environ)
    env.pop("KCACHE_ENDPOINT", None)
    env.update(XDG_RUNTIME_DIR=str(tmp / "run"), XDG_CACHE_HOME=str(tmp / "cache"), KCACHE_AUTOSTART="1",
               KCACHE_DAEMON=str(BIN / "kcached"))
    (tmp / "run").mkdir()
    code = ("import sys; sys.path.insert(0, %r); import numpy as np, kcache\n"
            "@kcache.njit('float64(float64[:])')\ndef first(a):\n    return a[0]\n"
            "print(first(np.ones(3)))\n") % str(REPO / "python")
    script = tmp / "first.py"
    script.write_text(code)
    procs = [subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    daemons = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert out.strip() == "1.0"
        time.sleep(0.3)
        daemons = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                exe = os.readlink("/proc/%s/exe" % pid)
                environ = open("/proc/%s/environ" % pid, "rb").read()
                cmdline = open("/proc/%s/cmdline" % pid, "rb").read()
            except OSError:
                continue
            # A daemon's compile workers run the same executable: they are not daemons.
            if (exe.endswith("/kcached") and b"--compile-worker" not in cmdline
                    and (b"XDG_RUNTIME_DIR=" + str(tmp / "run").encode()) in environ):
                daemons.append(int(pid))
        assert len(daemons) == 1, daemons
    finally:
        for pid in daemons:
            try:
                os.kill(pid, 15)
            except OSError:
                pass


def test_import_stays_light():
    """`import kcache` (NumPy already imported) loads no module it needs only later: the daemon
    starter (subprocess, shutil), stats (json), pathlib, the source parser (ast), @vectorize and
    @stencil. Counted, not timed: it took 21-24 ms with them and takes 4-8 ms without."""
    code = ("import sys, numpy\nsys.path.insert(0, %r)\nbefore = set(sys.modules)\nimport kcache\n"
            "print(' '.join(sorted(set(sys.modules) - before)))" % str(REPO / "python"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=60)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    heavy = {"subprocess", "shutil", "json", "pathlib", "ast", "kcache._vectorize", "kcache._stencil"}
    assert not heavy & loaded, sorted(heavy & loaded)
    assert "kcache._lib" in loaded
