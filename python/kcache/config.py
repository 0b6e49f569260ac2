"""`kcache.config`: the `numba.config` settings a Numba program reads, with kcache's values.

NUMBA_NUM_THREADS (and NUMBA_DEFAULT_NUM_THREADS) is the thread count parallel kernels start
with, as libkcache's pool works it out: `$KCACHE_NUM_THREADS`, else the usable cores (CPU
affinity and cgroup quota). Change the count in use with `kcache.set_num_threads`. kcache
always compiles, so DISABLE_JIT is False."""
from ._lib import lib

# Read when kcache is imported, before anything calls kc_set_num_threads: the pool's default.
NUMBA_DEFAULT_NUM_THREADS = max(1, int(lib.kc_get_num_threads()))
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
