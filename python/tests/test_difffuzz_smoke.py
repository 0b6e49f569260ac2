"""A short run of the differential fuzzer (tests/fuzz/difffuzz.py): random Numba-style kernels
through the session's kcached and through the CPython + NumPy oracle, compared exactly. Smoke
mode leaves out the constructs of known, reported kcache bugs (difffuzz.SMOKE_EXCLUDE and
difffuzz.KNOWN name their finding files). The long runs are `python tests/fuzz/difffuzz.py
--seed S --minutes M`."""
import importlib.util
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def _difffuzz():
    spec = importlib.util.spec_from_file_location("difffuzz", REPO / "tests" / "fuzz" / "difffuzz.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["difffuzz"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_difffuzz_smoke(capsys):
    difffuzz = _difffuzz()
    found = difffuzz.main(["--smoke", "--seed", "smoke", "--count", "100", "--no-write", "--timeout", "120"])
    out = capsys.readouterr().out
    assert found == 0, "difffuzz --smoke --seed smoke --count 100 found differences:\n" + out[-6000:]
    assert "100 kernels" in out, out[-2000:]
