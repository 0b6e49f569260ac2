"""`kcache.config`: the `numba.config` settings a Numba program reads, with kcache's values.

NUMBA_NUM_THREADS (and NUMBA_DEFAULT_NUM_THREADS) is the thread count parallel kernels start
with: `$KCACHE_NUM_THREADS`, else the usable cores (what libkcache's pool uses); change the
count in use with `kcache.set_num_threads`. kcache always compiles, so DISABLE_JIT is False."""
import os


def _default_threads():
    try:
        n = int(os.environ.get("KCACHE_NUM_THREADS", "").strip())
        if n > 0:
            return n
    except ValueError:
        pass
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


NUMBA_DEFAULT_NUM_THREADS = _default_threads()
NUMBA_NUM_THREADS = NUMBA_DEFAULT_NUM_THREADS
DISABLE_JIT = False
THREADING_LAYER = "default"
BOUNDSCHECK = None
FASTMATH = False
DEBUG = False
OPT = 3
ENABLE_CUDASIM = False
DISABLE_PERFORMANCE_WARNINGS = False
CACHE_DIR = ""
