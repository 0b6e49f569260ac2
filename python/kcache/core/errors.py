"""`numba.core.errors`: Numba's exception names, as the exceptions kcache raises. kcache reports
every rejected kernel as `TypingError`; Numba's finer classes are that same class here, so that
`except numba.core.errors.TypingError` and `except errors.UnsupportedError` both catch it."""
import kcache as _kcache

TypingError = _kcache.TypingError
KcacheError = _kcache.KcacheError
# Numba's classes of a failed compilation: kcache's daemon reports them all as TypingError.
NumbaError = TypingError
UnsupportedError = TypingError
LoweringError = TypingError
CompilerError = TypingError
ConstantInferenceError = TypingError
UntypedAttributeError = TypingError
NotDefinedError = TypingError
RedefinedError = TypingError
VerificationError = TypingError
InternalError = _kcache.KcacheError


class NumbaWarning(Warning):
    """Numba's base warning class (kcache emits none of its own)."""


class NumbaPerformanceWarning(NumbaWarning):
    pass


class NumbaDeprecationWarning(NumbaWarning, DeprecationWarning):
    pass


class NumbaPendingDeprecationWarning(NumbaWarning, PendingDeprecationWarning):
    pass


class NumbaExperimentalFeatureWarning(NumbaWarning):
    pass


class NumbaParallelSafetyWarning(NumbaWarning):
    pass


class NumbaTypeSafetyWarning(NumbaWarning):
    pass


__all__ = [name for name in dir() if not name.startswith("_")]
