"""The Python package's views of the C ABI agree with its one definition, the kcache-abi crate:
ctypes' KcArray and the dtype codes in kcache/_lib.py, and kc_array, the dtype codes and element
sizes in kcache/_fast.c. The truth is `cargo run -p kcache-abi --example dump` (JSON), or the file
KCACHE_ABI_JSON names."""
import ctypes
import json
import os
import shutil
import subprocess

import numpy as np
import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def abi():
    path = os.environ.get("KCACHE_ABI_JSON")
    if path:
        with open(path) as f:
            return json.load(f)
    cargo = shutil.which(os.environ.get("CARGO", "cargo"))
    if cargo is None:
        pytest.fail("cargo not found: put it on PATH or set KCACHE_ABI_JSON to the output of "
                    "`cargo run -p kcache-abi --example dump`")
    out = subprocess.run([cargo, "run", "--quiet", "-p", "kcache-abi", "--example", "dump"],
                         cwd=REPO, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_the_abi_dump_is_the_known_layout(abi):
    # A sanity anchor: the dump itself describes the kc_array every binding was written for.
    assert abi["kc_array"]["fields"]["shape"] == [16, 8 * abi["KC_MAX_NDIM"]]
    assert abi["dtypes"]["float64"] == 10


def test_ctypes_kc_array_matches_the_abi(abi):
    from kcache import _lib

    assert _lib.KC_MAX_NDIM == abi["KC_MAX_NDIM"]
    assert ctypes_layout(_lib.KcArray) == kc_array_layout(abi)
    assert _lib.DTYPE_CODES == abi["dtypes"]


def kc_array_layout(abi):
    """kc_array as the dump gives it: size, align, fields as name -> (offset, size)."""
    a = abi["kc_array"]
    return {"size": a["size"], "align": a["align"],
            "fields": {name: tuple(at) for name, at in a["fields"].items()}}


def ctypes_layout(struct):
    return {
        "size": ctypes.sizeof(struct),
        "align": ctypes.alignment(struct),
        "fields": {name: (getattr(struct, name).offset, getattr(struct, name).size)
                   for name, _ in struct._fields_},
    }


def test_fast_c_kc_array_and_dtypes_match_the_abi(abi):
    from kcache import _fast

    if _fast is None:
        pytest.fail("kcache._fast is not built (make python-ext): its view of the ABI is unchecked")
    view = _fast._abi_layout()
    assert view["KC_MAX_NDIM"] == abi["KC_MAX_NDIM"]
    assert view["kc_array"] == kc_array_layout(abi)
    # The code _fast.c gives each NumPy dtype's buffer format, and the size it expects.
    for name, code in abi["dtypes"].items():
        # The format a buffer of that dtype reports ("d", "Zd"), as the call path reads it.
        assert _fast._abi_dtype_code(memoryview(np.zeros(1, name)).format) == code, name
        assert view["itemsize"][code] == abi["itemsize"][name], name
    assert len(view["itemsize"]) == len(abi["dtypes"])
