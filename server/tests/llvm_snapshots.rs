//! LLVM IR snapshots, one per builtin family, for a fixed target (x86-64-v3), so that any change
//! in the code a family lowers to shows up in review. Bless with
//! `KCACHE_BLESS=1 cargo test -p kcache-server --test llvm_snapshots`.

use std::collections::BTreeMap;

use kcache_server::compile::{compile, prepare};
use kcache_server::emit::{EmitRequest, TargetSpec};

fn target() -> TargetSpec {
    TargetSpec {
        triple: "x86_64-unknown-linux-gnu".into(),
        cpu: "x86-64-v3".into(),
        features: String::new(),
    }
}

fn lowered(source: &str, entry: &str, sig: &str, opts: &[(&str, &str)]) -> String {
    let options: BTreeMap<String, String> = opts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let p = prepare(source, entry, sig, &options).unwrap_or_else(|e| panic!("{entry}: {e}"));
    compile(&p, &target(), EmitRequest::default())
        .unwrap_or_else(|e| panic!("{entry}: {e}"))
        .llvm_ir
}

fn snapshot(name: &str, text: &str) {
    let path = format!("{}/tests/snapshots/llvm/{name}.ll", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("KCACHE_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != text {
        let first = expected
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(text.lines().count()));
        panic!(
            "LLVM IR of {name} changed at line {}; review and bless with KCACHE_BLESS=1\n--- expected\n{}\n--- got\n{}",
            first + 1,
            expected.lines().skip(first).take(8).collect::<Vec<_>>().join("\n"),
            text.lines().skip(first).take(8).collect::<Vec<_>>().join("\n")
        );
    }
}

const MATH: &str = "import math\nimport numpy as np\n\ndef f(x, y):\n    return (math.sqrt(x) + math.exp(x) + np.exp2(x) + math.expm1(x) + math.log(x) + math.log2(x)\n            + math.log10(x) + math.log1p(x) + math.sin(x) + math.cos(x) + math.tan(x) + math.asin(x)\n            + math.acos(x) + math.atan(x) + math.atan2(x, y) + math.sinh(x) + math.cosh(x)\n            + math.tanh(x) + math.asinh(x) + math.acosh(y) + math.atanh(x) + math.erf(x) + math.erfc(x)\n            + math.gamma(y) + math.lgamma(y) + np.floor(x) + np.ceil(x) + np.trunc(x) + np.rint(x)\n            + math.fabs(x) + math.copysign(x, y) + math.hypot(x, y) + math.pow(x, y) + math.fmod(x, y)\n            + np.minimum(x, y) + np.maximum(x, y) + math.floor(x) + math.ceil(y) + math.trunc(x)\n            + math.isnan(x) + math.isinf(y) + math.isfinite(x))\n";

#[test]
fn math_float64() {
    snapshot("math_f64", &lowered(MATH, "f", "float64(float64, float64)", &[]));
}

#[test]
fn math_float32() {
    snapshot("math_f32", &lowered(MATH, "f", "float32(float32, float32)", &[]));
}

#[test]
fn math_fastmath_libmvec() {
    let src = "import math\n\ndef f(a, out):\n    for i in range(a.shape[0]):\n        out[i] = math.exp(a[i]) + math.erf(a[i]) + math.atan2(a[i], 2.0)\n";
    snapshot(
        "math_libmvec",
        &lowered(src, "f", "void(float64[::1], float64[::1])", &[("fastmath", "true")]),
    );
}

const ARITH: &str = "def f(a, b):\n    return (a + b) * (a - b) + a // b + a % b + a ** b + (a << 3) + (b >> 2) + (a & b) + (a | b) + (a ^ b) + ~a + -b\n";

#[test]
fn integer_arithmetic() {
    for (name, sig) in [
        ("int_i64", "int64(int64, int64)"),
        ("int_u32", "int64(uint32, uint32)"),
        ("int_i8", "int64(int8, int8)"),
    ] {
        snapshot(name, &lowered(ARITH, "f", sig, &[]));
    }
    snapshot(
        "int_numpy_error_model",
        &lowered(ARITH, "f", "int64(int64, int64)", &[("error_model", "numpy")]),
    );
}

#[test]
fn float_arithmetic() {
    let src = "def f(a, b):\n    return (a + b) * (a - b) / b + a // b + a % b + a ** b - -a + (a < b) + (a == b)\n";
    snapshot("float_f64", &lowered(src, "f", "float64(float64, float64)", &[]));
    snapshot("float_f32", &lowered(src, "f", "float32(float32, float32)", &[]));
    snapshot(
        "float_numpy_fastmath",
        &lowered(
            src,
            "f",
            "float64(float64, float64)",
            &[("error_model", "numpy"), ("fastmath", "true")],
        ),
    );
}

#[test]
fn scalar_builtins_and_casts() {
    let src = "def f(a, b, x, y):\n    return abs(a) + abs(x) + min(a, b) + max(a, b, 3) + min(x, y) + max(x, y) + round(x) + int(x) + float(a) + bool(b) + (a if x > y else b) + (a > 0 and b > 0) + (a or b)\n";
    snapshot(
        "builtins",
        &lowered(src, "f", "float64(int64, int32, float64, float32)", &[]),
    );
    let casts = "import numpy as np\n\ndef f(x, n):\n    return np.int8(x) + np.uint16(x) + np.float32(n) + np.int32(n) + np.bool_(x) + np.uint64(n)\n";
    snapshot("casts", &lowered(casts, "f", "float64(float64, int64)", &[]));
}

#[test]
fn array_indexing_per_layout() {
    let src = "def f(a, c, fo, out):\n    s = 0.0\n    for i in range(c.shape[0]):\n        for j in range(c.shape[1]):\n            s += a[i, j] + c[i, j] + fo[i, j] + c[-1, -j]\n    out[0] = s\n    out[-1] += len(out) + out.size + out.ndim\n    for x in out:\n        s += x\n    return s\n";
    let sig = "float64(float64[:, :], float64[:, ::1], float64[::1, :], float64[:])";
    snapshot("arrays", &lowered(src, "f", sig, &[]));
    snapshot(
        "arrays_boundscheck",
        &lowered(src, "f", sig, &[("boundscheck", "true")]),
    );
}

#[test]
fn control_flow_and_exceptions() {
    let src = "def g(n):\n    if n < 0:\n        raise ValueError('negative')\n    return n * 2\n\ndef f(n):\n    s = 0\n    i = 0\n    while i < n:\n        i += 1\n        if i % 3 == 0:\n            continue\n        if i > 100:\n            break\n        s += g(i)\n    else:\n        s -= 1\n    for k in range(n, 0, -2):\n        s += k\n    assert s >= 0, 'sum went negative'\n    return s\n";
    snapshot("control_flow", &lowered(src, "f", "int64(int64)", &[]));
}

#[test]
fn parallel_reductions() {
    let src = "from numba import prange\n\ndef f(a):\n    s = 0.0\n    p = 1.0\n    m = a[0]\n    n = 0\n    for i in prange(a.shape[0]):\n        s += a[i]\n        p *= a[i]\n        m = max(m, a[i])\n        n += 1\n    return s + p + m + n\n";
    snapshot(
        "parallel",
        &lowered(src, "f", "float64(float64[:])", &[("parallel", "true")]),
    );
}

/// A float accumulation of plain arithmetic waits on itself every iteration: its loop is not
/// runtime-unrolled (compile time for nothing). A loop that calls a function, or whose sum may
/// be reordered (fastmath), keeps LLVM's unrolling and vectorisation.
#[test]
fn strict_float_chains_skip_runtime_unrolling() {
    let marked = |src: &str, opts: &[(&str, &str)]| {
        let ir = lowered(src, "f", "float64(float64[:], float64[:])", opts);
        let hint = ir
            .lines()
            .find(|l| l.contains("llvm.loop.unroll.runtime.disable"))
            .and_then(|l| l.split(" = ").next())
            .map(str::to_string);
        hint.is_some_and(|id| {
            ir.lines()
                .any(|l| l.starts_with("!1") && l.contains(&format!(", {id}}}")))
        })
    };
    let dot = "def f(a, b):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i] * b[i]\n    return s\n";
    assert!(marked(dot, &[]));
    let calls = "import math\n\ndef f(a, b):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += math.exp(a[i] - b[i])\n    return s\n";
    assert!(!marked(calls, &[]));
    assert!(!marked(dot, &[("fastmath", "true")]));
    let stores = "def f(a, b):\n    for i in range(a.shape[0]):\n        b[i] = a[i] * 2.0\n    return 0.0\n";
    assert!(!marked(stores, &[]));
}

/// `a[i - w]` after `if i >= w:` cannot be negative: the optimiser removes the adjustment for
/// negative indices (a select between the length and 0) from the loop, as it does for Numba.
#[test]
fn a_lagged_index_under_its_guard_loses_the_negative_index_adjustment() {
    let src = "def f(a, w):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i]\n        if i >= w:\n            s -= a[i - w]\n    return s\n";
    let options = BTreeMap::new();
    let p = prepare(src, "f", "float64(float64[::1], int64)", &options).unwrap();
    let want = EmitRequest {
        optimized_ir: true,
        assembly: false,
    };
    let ir = compile(&p, &target(), want).unwrap().optimized_ir.unwrap();
    let kernel: String = ir
        .split("\ndefine ")
        .find(|f| f.contains("@\"f["))
        .expect("the kernel's function")
        .to_string();
    assert!(!kernel.contains("select"), "{kernel}");
    // Before the guard (i >= w is false), a[i - w] is a negative index and still wraps.
    let unguarded = src.replace(
        "        if i >= w:\n            s -= a[i - w]\n",
        "        s -= a[i - w]\n",
    );
    let p = prepare(&unguarded, "f", "float64(float64[::1], int64)", &options).unwrap();
    let ir = compile(&p, &target(), want).unwrap().optimized_ir.unwrap();
    assert!(ir
        .split("\ndefine ")
        .any(|f| f.contains("@\"f[") && f.contains("select")));
}
