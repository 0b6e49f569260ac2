//! The front end without LLVM: snapshots of the typed IR (review them when codegen changes;
//! `KCACHE_BLESS=1 cargo test -p kcache-server --test frontend` rewrites them), and every kind
//! of rejection with its place in the source.

use std::collections::BTreeMap;

use kcache_server::compile::prepare;
use kcache_server::diag::{CompileError, DiagKind};
use kcache_server::infer::{infer_program, FrontOptions};
use kcache_server::tir;

fn kernels(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/kernels/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn typed_ir(source: &str, entry: &str, sig: &str) -> String {
    let p = prepare(source, entry, sig, &BTreeMap::new()).unwrap();
    let program = infer_program(
        &p.module,
        entry,
        &p.signature,
        &FrontOptions {
            parallel: p.options.parallel,
        },
    )
    .unwrap();
    tir::dump(&program)
}

fn snapshot(name: &str, text: &str) {
    let path = format!("{}/tests/snapshots/{name}.tir", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("KCACHE_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == text,
        "typed IR of {name} changed; review and bless with KCACHE_BLESS=1\n--- expected\n{expected}\n--- got\n{text}"
    );
}

#[test]
fn snapshot_compute_sum() {
    snapshot("compute_sum", &typed_ir(&kernels("compute_sum.py"), "compute_sum", ""));
}

#[test]
fn snapshot_mixed_promotion() {
    snapshot(
        "mixed_promotion",
        &typed_ir(&kernels("python_semantics.py"), "mixed_promotion", ""),
    );
}

#[test]
fn snapshot_black_scholes() {
    snapshot(
        "black_scholes",
        &typed_ir(&kernels("black_scholes.py"), "black_scholes", ""),
    );
}

#[test]
fn snapshot_jacobi() {
    snapshot("jacobi_sweep", &typed_ir(&kernels("jacobi2d.py"), "jacobi_sweep", ""));
}

#[test]
fn snapshot_parallel_sum() {
    snapshot(
        "parallel_sum",
        &typed_ir(&kernels("parallel_sum.py"), "parallel_sum", ""),
    );
}

fn reject(source: &str, entry: &str, sig: &str) -> (DiagKind, u32, u32, String) {
    let err = match prepare(source, entry, sig, &BTreeMap::new()) {
        Err(e) => e,
        Ok(p) => infer_program(&p.module, entry, &p.signature, &FrontOptions::default()).expect_err("must be rejected"),
    };
    match err {
        CompileError::Source(d) => (d.kind, d.line, d.column, d.message),
        CompileError::Internal(m) => panic!("internal error instead of a diagnostic: {m}"),
    }
}

#[test]
fn rejections_name_the_construct_and_place() {
    let cases: &[(&str, &str, DiagKind, u32, u32, &str)] = &[
        (
            "def f(a):\n    return a +\n",
            "float64(float64)",
            DiagKind::Syntax,
            2,
            15,
            "Expected an expression",
        ),
        (
            "def f(a):\n    x = {1j: a}\n    return a\n",
            "float64(float64)",
            DiagKind::Unsupported,
            2,
            10,
            "dict keys of type complex128",
        ),
        (
            "def f(a):\n    try:\n        pass\n    except ValueError:\n        pass\n    return a\n",
            "float64(float64)",
            DiagKind::Unsupported,
            4,
            12,
            "catching one exception class",
        ),
        (
            "def f(a):\n    return a.item(0)\n",
            "float64(float64[:])",
            DiagKind::Unsupported,
            2,
            12,
            "item() with an index",
        ),
        (
            "def f(a):\n    return hash(a)\n",
            "float64(float64)",
            DiagKind::Unsupported,
            2,
            12,
            "hash",
        ),
        (
            "def f(a):\n    return a + a.shape\n",
            "float64(float64[:])",
            DiagKind::Type,
            2,
            12,
            "unsupported operand types",
        ),
        (
            "def f(a):\n    return a << 2.0\n",
            "int64(int64)",
            DiagKind::Type,
            2,
            12,
            "<<",
        ),
        (
            "def f(a):\n    return a[1.5]\n",
            "float64(float64[:])",
            DiagKind::Type,
            2,
            14,
            "integers",
        ),
        (
            "def f(a):\n    if a > 0:\n        x = a\n    else:\n        x = a\n    return y\n",
            "float64(float64)",
            DiagKind::Name,
            6,
            12,
            "'y'",
        ),
        (
            "def f(a):\n    return g(a)\n",
            "float64(float64)",
            DiagKind::Name,
            2,
            12,
            "'g'",
        ),
        (
            "def f(a):\n    return math.sqrt(a)\n",
            "float64(float64)",
            DiagKind::Name,
            2,
            12,
            "math",
        ),
        (
            "def f(a, b):\n    return a\n",
            "float64(float64)",
            DiagKind::Signature,
            1,
            5,
            "takes 2 arguments",
        ),
        (
            "def g(x):\n    return x\n\ndef f(a):\n    return g(a, a)\n",
            "float64(float64)",
            DiagKind::Type,
            5,
            12,
            "takes 1 positional argument but 2 were given",
        ),
        (
            "def f(a):\n    return a\n",
            "float64(flaot64)",
            DiagKind::Signature,
            0,
            9,
            "unknown type 'flaot64'",
        ),
        (
            "def f(a):\n    if a > 0:\n        return a\n",
            "float64(float64)",
            DiagKind::Type,
            1,
            5,
            "falls off the end",
        ),
        (
            "def f(a):\n    x = a\n    x = 2\n    return x\n",
            "float64(float64[:])",
            DiagKind::Type,
            3,
            5,
            "do not unify",
        ),
    ];
    for (src, sig, kind, line, col, needle) in cases {
        let (k, l, c, m) = reject(src, "f", sig);
        assert_eq!((k, l, c), (*kind, *line, *col), "{src:?}: {m}");
        assert!(m.contains(needle), "{src:?}: {m:?} lacks {needle:?}");
    }
}

#[test]
fn typed_containers_as_numba_spells_them() {
    let body = "def f(n):\n    d = DICT\n    d[n] = 1.0\n    l = LIST\n    l.append(n)\n    return len(d) + len(l)\n";
    let spellings = [
        (
            "import numba\n",
            "numba.typed.Dict.empty(key_type=numba.types.int64, value_type=numba.float64)",
            "numba.typed.List.empty_list(numba.types.int32)",
        ),
        (
            "from numba import typed, types\n",
            "typed.Dict.empty(types.int64, types.float64)",
            "typed.List.empty_list(item_type=types.int32)",
        ),
        (
            "from numba.typed import Dict, List\nfrom numba.types import int64, float64, int32\n",
            "Dict.empty(int64, float64)",
            "List.empty_list(int32)",
        ),
        // How kcache's Python package sends a module global `typed`.
        (
            "import numba.typed as typed\nimport numba.types as types\n",
            "typed.Dict.empty(types.int64, types.float64)",
            "typed.List.empty_list(types.int32)",
        ),
        ("", "{}", "[n]"),
    ];
    for (imports, dict, list) in spellings {
        let source = format!("{imports}\n{}", body.replace("DICT", dict).replace("LIST", list));
        let ir = typed_ir(&source, "f", "int64(int64)");
        assert!(ir.contains("DictType[int64,float64]"), "{source}\n{ir}");
        assert!(
            ir.contains("list(int32)") || ir.contains("list(int64)"),
            "{source}\n{ir}"
        );
    }
}
