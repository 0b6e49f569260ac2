"""`numba.core` as Numba programs import it: `from numba.core import types`,
`from numba.core.errors import TypingError` (with `sys.modules["numba"] = kcache`, or as
`kcache.core`)."""
import kcache as _kcache

types = _kcache.types

from . import errors  # noqa: E402,F401
