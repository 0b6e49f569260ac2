"""`numba.core.types`: kcache.types itself (this module stands for it on import)."""
import sys

import kcache as _kcache

sys.modules[__name__] = _kcache.types
