"""`numba.errors` (Numba's older spelling of `numba.core.errors`)."""
from kcache.core.errors import *  # noqa: F401,F403
from kcache.core.errors import __all__  # noqa: F401
