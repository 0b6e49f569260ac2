//! Files sent as they are (the C API, the CLI, plain gRPC) mean what Python makes of them:
//! module-level statements give the values Python gives, NumPy scalar constants keep their type,
//! and what a helper's decorator declares is part of the action key. Expected values come from
//! CPython (and NumPy) running the same source, or from Numba's documented conversions.

use std::ffi::c_void;

use kcache::ffi::{kc_array, kc_array_wrap, kc_dtype};
use kcache::{Client, CompileSpec, ErrorKind, Kernel};
use kcache_e2e::*;

fn call_i64(k: &Kernel, args: &[i64]) -> i64 {
    let ptrs: Vec<*const c_void> = args.iter().map(|a| a as *const i64 as *const c_void).collect();
    let mut ret = 0i64;
    // SAFETY: int64 scalars for an int64 kernel.
    unsafe { k.call(&ptrs, &mut ret as *mut i64 as *mut c_void) }.unwrap();
    ret
}

fn call_f64(k: &Kernel, x: f64) -> f64 {
    let mut ret = 0f64;
    // SAFETY: one float64 argument, a float64 result.
    unsafe {
        k.call(
            &[&x as *const f64 as *const c_void],
            &mut ret as *mut f64 as *mut c_void,
        )
    }
    .unwrap();
    ret
}

/// Issue 12, case 1: a helper's declared signature converts its result (`int8` wraps 300 to
/// 44), so two files that differ only there are two different kernels, whichever comes first.
#[test]
fn a_helpers_declared_signature_is_part_of_the_key() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let file = |ret: &str| {
        format!(
            "from numba import njit\n\n@njit(\"{ret}(int64)\")\ndef helper(x):\n    return x\n\n@njit(\"int64(int64)\")\ndef f(x):\n    return helper(x)\n"
        )
    };
    let narrow = client.compile(&CompileSpec::new(file("int8"), "f", "")).unwrap();
    let wide = client.compile(&CompileSpec::new(file("int64"), "f", "")).unwrap();
    assert_ne!(narrow.digest, wide.digest);
    assert_eq!(call_i64(&narrow, &[300]), 44, "Numba's int8 conversion");
    assert_eq!(call_i64(&wide, &[300]), 300);
    assert_eq!(cpython_eval(&file("int64"), "f(300)"), "300");
    // And in the other order, on the same store: the first answer never leaks into the second.
    let again = client.compile(&CompileSpec::new(file("int8"), "f", "")).unwrap();
    assert!(again.cache_hit);
    assert_eq!(call_i64(&again, &[300]), 44);
}

/// Issue 12, case 2: module-level statements other than plain assignments.
#[test]
fn module_level_statements_give_pythons_values() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let preludes = [
        "N = 1\nN += 10",
        "N = 0\nfor i in range(1, 11):\n    N += i * i",
        "DEBUG = False\nif DEBUG:\n    N = 1\nelif 2 > 1:\n    N = 2\nelse:\n    N = 3",
        "N = 1\nwhile N < 1000:\n    N *= 3",
        "A, B = 3, 4\nN = A * 10 + B",
        "import math\nN = math.floor(math.sqrt(2.0) * 1000) + round(2.5) + int(-3.7)",
        "try:\n    from numba import njit\n    N = 1\nexcept ImportError:\n    N = 2",
        "N = 7\nif __name__ == '__main__':\n    X = 99",
        "N = 5\nM = N\ndel N\nN = M * 2",
        "N = 2 ** 40 // 3 % 1000003",
        "SIZES = (3, 5, 7)\nN = 0\nfor s in SIZES:\n    N = N * 10 + s",
    ];
    for prelude in preludes {
        let src = format!("{prelude}\n\ndef f(x):\n    return x + N\n");
        let k = client
            .compile(&CompileSpec::new(src.as_str(), "f", "int64(int64)"))
            .unwrap_or_else(|e| panic!("{prelude}: {e}"));
        let want = cpython_eval(&src, "f(1)");
        assert_eq!(call_i64(&k, &[1]).to_string(), want, "{prelude}");
    }
    let float_preludes = [
        "import math\nX = math.sqrt(2.0)\nX /= 3",
        "import numpy as np\nX = float(np.finfo(np.float64).eps) * 4",
        "X = 0.0\nfor k in range(10):\n    X += 1.0 / (2 * k + 1) * (-1) ** k",
        "import math\nX = math.exp(1.5) - math.log1p(0.25) + math.erf(0.3)",
        "X = -7.5 // 2.0 + -7.5 % 2.0",
    ];
    for prelude in float_preludes {
        let src = format!("{prelude}\n\ndef f(x):\n    return x * X\n");
        let k = client
            .compile(&CompileSpec::new(src.as_str(), "f", "float64(float64)"))
            .unwrap_or_else(|e| panic!("{prelude}: {e}"));
        let want: f64 = cpython_eval(&src, "f(3.0)").parse().unwrap();
        assert_eq!(call_f64(&k, 3.0), want, "{prelude}");
    }
}

/// What kcache cannot evaluate exactly is refused where the kernel uses it, naming the
/// statement that set it; never compiled with a value Python would not have.
#[test]
fn values_kcache_cannot_know_are_refused() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let cases = [
        ("import os\nN = 1\nif os.environ.get('FAST'):\n    N = 2", "line 4"),
        ("import os\nN = os.getpid()", "line 2"),
        ("import numpy as np\nN = np.exp(1.0)", "numpy.exp"),
        ("def setup():\n    global N\n    N = 3\nN = 1\nsetup()", "global"),
        ("N = 0\nwhile True:\n    N += 1", "too long"),
        // Run as a script or imported, Python gives different values: neither is guessed.
        ("N = 7\nif __name__ == '__main__':\n    N = 99", "__name__"),
    ];
    for (prelude, needle) in cases {
        let src = format!("{prelude}\n\ndef f(x):\n    return x + N\n");
        let err = client
            .compile(&CompileSpec::new(src.as_str(), "f", "float64(float64)"))
            .err()
            .unwrap_or_else(|| panic!("{prelude}: compiled"));
        assert_eq!(err.kind, ErrorKind::Source, "{}", err.message);
        assert!(
            err.message.contains("'N'") && err.message.contains(needle),
            "{prelude}: {}",
            err.message
        );
    }
    // A name nobody uses may be as unknowable as it likes.
    let src = "import os\nHOME = os.environ['HOME']\nN = 2\n\ndef f(x):\n    return x + N\n";
    let k = client.compile(&CompileSpec::new(src, "f", "float64(float64)")).unwrap();
    assert_eq!(call_f64(&k, 1.0), 3.0);
}

/// Issue 12, case 4: `eps = np.float32(1e-6)` at module level keeps float32 arithmetic.
#[test]
fn numpy_scalar_constants_keep_their_type() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let src = "import numpy as np\neps = np.float32(1e-6)\n\ndef f(a):\n    d = a[0] - a[1]\n    return d * d + eps\n";
    // No return type: inference decides it, as Numba's lazy compilation does.
    let k = client.compile(&CompileSpec::new(src, "f", "(float32[:])")).unwrap();
    assert!(k.signature.text.starts_with("float32("), "{}", k.signature.text);
    let mut data = [1.1f32, 0.3f32];
    let n = 2i64;
    // SAFETY: two float32 values, contiguous.
    let arr: kc_array = unsafe {
        kc_array_wrap(
            data.as_mut_ptr() as *mut c_void,
            kc_dtype::KC_FLOAT32,
            1,
            &n,
            std::ptr::null(),
        )
    };
    let mut ret = 0f32;
    // SAFETY: one array argument, a float32 result.
    unsafe {
        k.call(
            &[&arr as *const kc_array as *const c_void],
            &mut ret as *mut f32 as *mut c_void,
        )
    }
    .unwrap();
    let want = cpython_eval(src, "float(f(np.array([1.1, 0.3], dtype=np.float32)))");
    assert_eq!((ret as f64).to_string(), want.parse::<f64>().unwrap().to_string());
    assert_eq!(ret as f64, 0.6400010585784912);

    // Every width and kind keeps its type: the kernel's result type shows it.
    for (value, ty) in [
        ("np.float32(0.5)", "float32"),
        ("np.float64(0.5)", "float64"),
        ("np.int8(3)", "int8"),
        ("np.int16(3)", "int16"),
        ("np.int32(3)", "int32"),
        ("np.uint8(3)", "uint8"),
        ("np.uint16(3)", "uint16"),
        ("np.uint32(3)", "uint32"),
        ("np.uint64(3)", "uint64"),
        ("np.bool_(True)", "bool"),
        ("3", "int64"),
        ("0.5", "float64"),
    ] {
        let src = format!("import numpy as np\nC = {value}\n\ndef f():\n    return C\n");
        let k = client.compile(&CompileSpec::new(src.as_str(), "f", "()")).unwrap();
        assert!(
            k.signature.text.starts_with(&format!("{ty}(")),
            "{value}: {}",
            k.signature.text
        );
    }
}

/// A file sent as it is (C API, CLI) with module-level arrays: the daemon's interpreter builds
/// them as NumPy would (values, dtype, shape) and kernels read them as constants.
#[test]
fn module_level_arrays_are_frozen_constants() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let src = "import numpy as np\n\
               W = np.array([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]])\n\
               K = np.array((7, -2, 9), dtype=np.int16)\n\n\
               def f(i, j):\n    return int(W[i, j] * 10) + K[j] + W.shape[1] + K.sum()\n";
    let k = client
        .compile(&CompileSpec::new(src, "f", "int64(int64, int64)"))
        .unwrap();
    for (i, j) in [(0, 0), (1, 2), (1, -1)] {
        assert_eq!(
            call_i64(&k, &[i, j]).to_string(),
            cpython_eval(src, &format!("int(f({i}, {j}))")),
            "f({i}, {j})"
        );
    }
    let writes = format!("{src}\ndef g(i):\n    W[0, 0] = 1.0\n    return i\n");
    let err = client
        .compile(&CompileSpec::new(writes.as_str(), "g", "int64(int64)"))
        .err()
        .expect("refused");
    assert_eq!(err.kind, ErrorKind::Source, "{err}");
    assert!(err.message.contains("constant in kernels"), "{err}");
}
