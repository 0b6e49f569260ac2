"""Kernels defined in Jupyter cells: their source is in no file (IPython keeps each cell in
linecache under a name like <ipython-input-...>), the case Numba's file-based cache cannot
serve. IPython's InteractiveShell runs the cells as a notebook's kernel does."""
import numpy as np
import pytest

InteractiveShell = pytest.importorskip("IPython.core.interactiveshell").InteractiveShell


@pytest.fixture(scope="module")
def shell():
    sh = InteractiveShell.instance()
    yield sh
    InteractiveShell.clear_instance()


def run(shell, cell):
    result = shell.run_cell(cell, store_history=True)
    result.raise_error()
    return result.result


def test_kernels_from_cells_compile_and_call_helpers_from_other_cells(shell):
    run(shell, "import numpy as np\nfrom kcache import njit, vectorize\nSCALE = 3.0\n")
    run(shell, "@njit\ndef helper(x):\n    return x * SCALE\n")
    run(shell, "@njit\ndef total(a):\n    s = 0.0\n    for i in range(len(a)):\n        s += helper(a[i])\n    return s\n")
    assert run(shell, "total(np.arange(10.0))") == 135.0
    assert shell.user_ns["total"].signatures  # compiled by kcached, not run as Python
    run(shell, "@vectorize(['float64(float64)'])\ndef twice(x):\n    return 2 * x\n")
    np.testing.assert_array_equal(run(shell, "twice(np.arange(4.0))"), [0.0, 2.0, 4.0, 6.0])


def test_a_redefined_cell_is_a_new_kernel(shell):
    run(shell, "@njit\ndef f(x):\n    return x + 1\n")
    assert run(shell, "f(1)") == 2
    run(shell, "@njit\ndef f(x):\n    return x + 2\n")
    assert run(shell, "f(1)") == 3


def test_a_typing_error_points_at_the_cell(shell):
    run(shell, "@njit\ndef bad(x):\n    return x + undefined_name\n")
    result = shell.run_cell("bad(1)")
    assert result.error_in_exec is not None
    assert "undefined_name" in str(result.error_in_exec)
