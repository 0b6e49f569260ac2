"""Regressions for what the differential fuzzer (tests/fuzz) found, each against CPython running
the same kernel: a list widened through one of its names, the evaluation order of a subscript
store, zero to a negative integer power, pow with a constant power-of-two base, and an array
temporary in a loop header with a return in the body (was an internal compiler error)."""
import math

import numpy as np
import pytest

import kcache
from kcache import njit


def bump(a):
    a[0] = 2.0
    return 0.0


def store_order(a):
    a[int(a[0])] = bump(a)
    return a[1]


def test_subscript_store_evaluates_the_value_first():
    assert njit(store_order)(np.array([1.0, 2.0, 3.0])) == store_order(np.array([1.0, 2.0, 3.0]))


def int_power(p, e):
    return p ** e


def test_zero_to_a_negative_integer_power_raises():
    with pytest.raises(ZeroDivisionError):
        njit("int64(int64, int64)")(int_power)(0, -3)
    assert njit("int64(int64, int64)")(int_power)(2, 10) == 1024


def eight_to(b):
    return 8.0 ** b, math.pow(32.0, b), 0.125 ** b, np.power(64.0, b)


def test_pow_of_a_constant_power_of_two_is_libm_pow():
    for b in (4.8, 1.1, -2.3, 0.5):
        assert njit(eight_to)(b) == eight_to(b)


def header_temporary(a, x):
    for j in range(int(np.sum(a))):
        if x:
            return 2
    return 1


def break_with_temporary(a):
    n = 0
    for i in range(10):
        if (a * 2.0).sum() > i:
            n += 1
        else:
            break
    return n


def test_array_temporaries_in_loop_headers_and_jumps():
    a = np.array([1.0, 2.0])
    for x in (0, 1):
        assert njit(header_temporary)(a, x) == header_temporary(a, x)
    assert njit(break_with_temporary)(a) == break_with_temporary(a)


def widened_comprehension(x):
    lst = [x for j in range(2)]
    lst.append(1.0)
    return sum(lst)


def widened_alias(x):
    a = [x, x]
    b = a
    b.append(1.5)
    return a[0] + b[0] + a[2]


def appends(l):
    l.append(1.5)


def widened_in_callee(x):
    a = [x, x]
    appends(a)
    return a[0] + a[2]


def widened_fresh(x):
    a = []
    a.append(x)
    a.append(0.5)
    return sum(a)


@pytest.mark.parametrize("func", [widened_comprehension, widened_alias, widened_in_callee])
def test_a_list_is_never_read_with_another_item_type(func):
    # The item type is fixed when the list is made (Numba's rule): refused, never reinterpreted.
    with pytest.raises(kcache.TypingError, match="item type is fixed"):
        njit(func)(3)


def test_a_lists_first_items_decide_its_type():
    assert njit(widened_fresh)(3.0) == widened_fresh(3.0)


def builtins_users_write(a, b):
    return pow(a, b), pow(2.0, 0.5), math.gcd(a * 6, b * 4), math.gcd(-a, 0), float("inf"), float("-inf"), float(" 1.5 ")


def nan_string():
    return float("nan")


def test_builtins_users_write():
    # The fuzzer's report listed these as refused; they are Python's.
    for a, b in ((3, 4), (6, 9), (0, 5)):
        assert njit(builtins_users_write)(a, b) == builtins_users_write(a, b)
    assert math.isnan(njit(nan_string)())


def bare_assert(x):
    assert x > 0
    return x


def test_an_assert_without_a_message_is_an_assertion_error():
    # The C call path raised RuntimeError('AssertionError') (found by the fuzzer).
    with pytest.raises(AssertionError):
        njit("float64(float64)")(bare_assert)(-1.0)
    assert njit("float64(float64)")(bare_assert)(2.0) == 2.0


def test_an_error_quoting_a_huge_name_still_comes_back_as_a_typing_error():
    # The message travels in HTTP/2 trailers: unclipped, a 20,000-character name in it broke
    # the reply ("h2 protocol error") instead of reporting the error.
    import linecache

    text = "def k(x):\n    return x + %s\n" % ("v" * 20000)
    filename = "<huge-name>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    with pytest.raises(kcache.TypingError, match="<huge-name>:2:16: name error"):
        njit(namespace["k"])(1.0)


def passes_new_lambdas(f, n):
    if n == 0:
        return f(n)
    return passes_new_lambdas(lambda x: f(x) + 1, n - 1)


def test_recursion_passing_a_new_function_at_every_level_is_refused_quickly():
    with pytest.raises(kcache.TypingError, match="a lambda here"):
        njit(passes_new_lambdas)(lambda x: x * 2, 3)
