#!/usr/bin/env python3
"""The CPython side of tests/export.rs: inputs and expected outputs for an exported library.

  export_oracle.py prepare DIR FILE.py...   writes DIR/manifest.json and, per case, its inputs
                                            (cI_aJ.in) and what CPython leaves in each array
                                            argument (cI_aJ.expected) and returns
  export_oracle.py compare DIR              compares the C program's cI.result and cI_aJ.out
                                            with those; prints one JSON line per case

The kernels run as plain CPython through tests/kernels/oracle.py (decorators stubbed out), with
the inputs the corpus's inputs_<kernel>(n, rng) functions make.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels"))
import oracle  # noqa: E402

N = 400


def scalar(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return {"kind": "int", "value": int(value)}
    if isinstance(value, int):
        return {"kind": "int", "value": value}
    return {"kind": "float", "value": float(value).hex()}


def prepare(out, files):
    cases = []
    for path in files:
        module = oracle.load(path, "python")
        for name in sorted(dir(module)):
            if not name.startswith("inputs_"):
                continue
            kernel_name = name[len("inputs_"):]
            args = getattr(module, name)(N, np.random.default_rng(12345))
            i = len(cases)
            case = {"case": i, "kernel": kernel_name, "file": path, "args": []}
            copies = []
            for j, a in enumerate(args):
                if isinstance(a, np.ndarray):
                    a = np.ascontiguousarray(a)
                    a.tofile(os.path.join(out, f"c{i}_a{j}.in"))
                    case["args"].append({"kind": "array", "dtype": str(a.dtype), "shape": list(a.shape),
                                         "file": f"c{i}_a{j}.in"})
                    copies.append(a.copy())
                else:
                    case["args"].append(scalar(a))
                    copies.append(a)
            result = getattr(module, kernel_name)(*copies)
            for j, a in enumerate(copies):
                if isinstance(a, np.ndarray):
                    a.tofile(os.path.join(out, f"c{i}_a{j}.expected"))
            case["result"] = None if result is None else scalar(result)
            case["float32"] = isinstance(result, np.float32)
            cases.append(case)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(cases, f)


def close(got, want, float32):
    rtol = 1e-5 if float32 else 1e-9
    return np.allclose(got, want, rtol=rtol, atol=rtol * 1e-3, equal_nan=True)


def compare(out):
    with open(os.path.join(out, "manifest.json")) as f:
        cases = json.load(f)
    for case in cases:
        i = case["case"]
        problems = []
        result_path = os.path.join(out, f"c{i}.result")
        if not os.path.exists(result_path):
            print(json.dumps({"case": i, "kernel": case["kernel"], "ran": False}))
            continue
        with open(result_path) as f:
            got = f.read().strip()
        want = case["result"]
        if want is None:
            if got != "None":
                problems.append(f"returned {got}, CPython None")
        elif want["kind"] == "int":
            if int(got) != want["value"]:
                problems.append(f"returned {got}, CPython {want['value']}")
        elif not close(float(got), float.fromhex(want["value"]), case["float32"]):
            problems.append(f"returned {got}, CPython {float.fromhex(want['value'])!r}")
        for j, a in enumerate(case["args"]):
            if a["kind"] != "array":
                continue
            dtype = np.dtype(a["dtype"])
            got = np.fromfile(os.path.join(out, f"c{i}_a{j}.out"), dtype=dtype)
            want = np.fromfile(os.path.join(out, f"c{i}_a{j}.expected"), dtype=dtype)
            same = np.array_equal(got, want) if dtype.kind in "biu" else close(got, want, dtype == np.float32)
            if not same:
                problems.append(f"argument {j} differs after the call")
        print(json.dumps({"case": i, "kernel": case["kernel"], "ran": True, "problems": problems}))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3:])
    else:
        compare(sys.argv[2])
