//! Compile → load → call through the real pipeline (no daemon).

mod common;
use common::*;

const COMPUTE_SUM: &str = "def compute_sum(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n    return sum_val\n";

#[test]
fn compute_sum_runs() {
    let l = load(COMPUTE_SUM, "compute_sum", "float64(float64[:])", &[]);
    let mut data: Vec<f64> = (0..1000).map(|i| i as f64 * 0.5).collect();
    let expected: f64 = data.iter().sum();
    let mut arr = KcArray::new(&mut data, 10);
    let r = call(&l, &mut [Arg::Array(&mut arr)]).unwrap();
    assert_eq!(f64::from_ne_bytes(r), expected);
}

#[test]
fn zero_division_is_an_exception() {
    let src = "def f(a, b):\n    return a // b\n";
    let l = load(src, "f", "int64(int64, int64)", &[]);
    assert_eq!(
        i64::from_ne_bytes(call(&l, &mut [Arg::I64(-7), Arg::I64(2)]).unwrap()),
        -4
    );
    let e = call(&l, &mut [Arg::I64(1), Arg::I64(0)]).unwrap_err();
    assert!(e.starts_with("ZeroDivisionError"), "{e}");
}

#[test]
fn python_semantics_file_compiles() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/kernels/python_semantics.py"
    ))
    .unwrap();
    for (entry, args) in [
        ("fib", vec![20i64]),
        ("collatz_steps", vec![27]),
        ("floor_div_mod", vec![-7, 3]),
    ] {
        eprintln!("compiling {entry}");
        let l = load(&src, entry, "", &[]);
        eprintln!("calling {entry}");
        let mut a: Vec<Arg> = args.iter().map(|x| Arg::I64(*x)).collect();
        let r = call(&l, &mut a).unwrap();
        eprintln!("{entry} = {}", i64::from_ne_bytes(r));
    }
}

/// Every corpus kernel, strict and fastmath (which calls libmvec), is linked by the in-process
/// ELF writer, not the `ld` fallback, and the result passes `dlopen(RTLD_NOW)`: every import
/// resolves and the entry points are found.
#[test]
fn corpus_kernels_link_in_process_and_load() {
    use kcache_server::link::Linker;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/kernels");
    let kernels = [
        ("compute_sum.py", "compute_sum"),
        ("saxpy.py", "saxpy"),
        ("power_two.py", "power_two"),
        ("parallel_sum.py", "parallel_sum"),
        ("histogram.py", "histogram"),
        ("black_scholes.py", "black_scholes"),
        ("mandelbrot.py", "mandelbrot"),
        ("jacobi2d.py", "jacobi_sweep"),
        ("matmul.py", "matmul"),
        ("pairwise.py", "pairwise_distance"),
        ("python_semantics.py", "fib"),
    ];
    for (file, entry) in kernels {
        let src = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        for fastmath in ["false", "true"] {
            let l = load(&src, entry, "", &[("fastmath", fastmath)]);
            assert_eq!(l.compiled.linker, Linker::InProcess, "{entry} fastmath={fastmath}");
            assert!(l.has_symbol("kc_module_init"), "{entry}");
        }
    }
}

#[test]
fn fastmath_black_scholes_calls_libmvec_through_the_in_process_link() {
    let src = "import math\n\ndef f(a, out):\n    for i in range(a.shape[0]):\n        out[i] = math.exp(a[i]) + math.erf(a[i])\n";
    let l = load(src, "f", "void(float64[::1], float64[::1])", &[("fastmath", "true")]);
    assert_eq!(l.compiled.linker, kcache_server::link::Linker::InProcess);
    assert!(
        l.compiled.assembly.as_deref().unwrap().contains("_ZGV"),
        "vectorised math expected"
    );
    let mut a: Vec<f64> = (0..1003).map(|i| i as f64 / 500.0 - 1.0).collect();
    let mut out = vec![0.0f64; a.len()];
    let mut aa = KcArray::new(&mut a, 10);
    let mut oa = KcArray::new(&mut out, 10);
    call(&l, &mut [Arg::Array(&mut aa), Arg::Array(&mut oa)]).unwrap();
    for (x, y) in a.iter().zip(&out) {
        let expected = x.exp() + libm_erf(*x);
        assert!(
            (y - expected).abs() <= 1e-14 * expected.abs().max(1.0),
            "{x}: {y} vs {expected}"
        );
    }
}

/// libm functions are imported under their one-version `_FloatN` names: an unversioned `expf`
/// binds to glibc's GLIBC_2.2.5 compatibility wrapper, 1.35x slower than the current one.
#[test]
fn libm_imports_name_the_current_implementations() {
    let src = "import math\n\ndef f(a, b):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += math.exp(a[i]) + math.log(b[i] + 2.0) + math.exp(b[i]) + b[i] ** a[i]\n    return s\n";
    let l = load(src, "f", "float64(float32[::1], float64[::1])", &[]);
    assert_eq!(l.compiled.linker, kcache_server::link::Linker::InProcess);
    let so = &l.compiled.shared_object;
    let has = |name: &str| {
        so.windows(name.len() + 2)
            .any(|w| w[0] == 0 && &w[1..=name.len()] == name.as_bytes() && w[name.len() + 1] == 0)
    };
    for current in ["expf32", "logf64", "expf64", "powf64"] {
        assert!(has(current), "{current} not imported");
    }
    for old in ["expf", "log", "exp", "pow"] {
        assert!(!has(old), "{old} imported under its unversioned name");
    }
    let mut a = vec![0.5f32, -1.0, 2.0];
    let mut b = vec![0.25f64, 1.5, 3.0];
    let expected: f64 = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (*x).exp() as f64 + (y + 2.0).ln() + y.exp() + y.powf(*x as f64))
        .sum();
    let mut aa = KcArray::new(&mut a, 9);
    let mut ba = KcArray::new(&mut b, 10);
    let got = f64::from_ne_bytes(call(&l, &mut [Arg::Array(&mut aa), Arg::Array(&mut ba)]).unwrap());
    assert!((got - expected).abs() <= 1e-12 * expected.abs(), "{got} vs {expected}");
}

fn libm_erf(x: f64) -> f64 {
    extern "C" {
        fn erf(x: f64) -> f64;
    }
    // SAFETY: glibc's erf is a pure function of its argument.
    unsafe { erf(x) }
}

/// Random doubles spread over the whole exponent range, plus the special values.
fn awkward_doubles(count: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let special = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::MAX,
        0.1,
        3.0,
        -7.5,
        4503599627370496.0,
        9007199254740993.0,
    ];
    (0..count)
        .map(|i| match i % 4 {
            0 => special[(next() % special.len() as u64) as usize],
            1 => f64::from_bits(next()),
            // Nearby magnitudes: the quotients the fast path takes, near integers included.
            _ => {
                let m = (next() % 2_000_000) as f64 / 1000.0 - 1000.0;
                m * [1.0, 0.1, 1e-3, 3.0, 1e6][(next() % 5) as usize]
            }
        })
        .collect()
}

/// `math.fmod` (and so float `//` and `%`, which use it) is bit for bit glibc's `fmod`, in
/// float64 and float32, over every exponent range and the special values.
#[test]
fn float_remainder_matches_libm_bit_for_bit() {
    extern "C" {
        fn fmod(x: f64, y: f64) -> f64;
        fn fmodf(x: f32, y: f32) -> f32;
    }
    let n = 200_000;
    let x = awkward_doubles(n, 0x9e37_79b9_7f4a_7c15);
    let y = awkward_doubles(n, 0xd1b5_4a32_d192_ed03);
    check_remainder("float64", 10, x.clone(), y.clone(), fmod);
    let narrow = |v: &Vec<f64>| v.iter().map(|&d| d as f32).collect::<Vec<f32>>();
    check_remainder("float32", 9, narrow(&x), narrow(&y), fmodf);
}

/// Compiles `out[i] = math.fmod(x[i], y[i])` for one float type and compares every element
/// with libm's function bit for bit (any NaN matches any NaN).
fn check_remainder<T: Copy + Default + Into<f64> + std::fmt::LowerExp>(
    dtype_name: &str,
    dtype_code: i32,
    x: Vec<T>,
    y: Vec<T>,
    libm: unsafe extern "C" fn(T, T) -> T,
) {
    let src =
        "import math\n\ndef rem(x, y, out):\n    for i in range(x.shape[0]):\n        out[i] = math.fmod(x[i], y[i])\n";
    let sig = format!("void({dtype_name}[::1], {dtype_name}[::1], {dtype_name}[::1])");
    let l = load(src, "rem", &sig, &[]);
    let (mut xs, mut ys, mut out) = (x.clone(), y.clone(), vec![T::default(); x.len()]);
    let (mut xa, mut ya, mut oa) = (
        KcArray::new(&mut xs, dtype_code),
        KcArray::new(&mut ys, dtype_code),
        KcArray::new(&mut out, dtype_code),
    );
    call(&l, &mut [Arg::Array(&mut xa), Arg::Array(&mut ya), Arg::Array(&mut oa)]).unwrap();
    for i in 0..x.len() {
        // SAFETY: libm's remainder functions are pure.
        let expected: f64 = unsafe { libm(x[i], y[i]) }.into();
        let got: f64 = out[i].into();
        let same = expected.to_bits() == got.to_bits() || (expected.is_nan() && got.is_nan());
        assert!(
            same,
            "{dtype_name} fmod({:e}, {:e}) = {got:e}, libm {expected:e}",
            x[i], y[i]
        );
    }
}

/// Innermost loops start on 32-byte boundaries: LLVM's default 16 let a 20-byte search loop
/// straddle a 64-byte fetch window, which ran it at half Numba's speed on AMD Zen.
#[test]
fn innermost_loops_are_aligned_to_32_bytes() {
    use kcache_server::compile::{compile, prepare};
    use kcache_server::emit::{EmitRequest, TargetSpec};
    let src =
        "def f(a, x):\n    for i in range(a.shape[0]):\n        if a[i] > x:\n            return i\n    return -1\n";
    let p = prepare(src, "f", "int64(float64[::1], float64)", &Default::default()).unwrap();
    let target = TargetSpec {
        triple: "x86_64-unknown-linux-gnu".into(),
        cpu: "x86-64-v3".into(),
        features: String::new(),
    };
    let asm = compile(
        &p,
        &target,
        EmitRequest {
            optimized_ir: false,
            assembly: true,
        },
    )
    .unwrap()
    .assembly
    .expect("assembly");
    let lines: Vec<&str> = asm.lines().collect();
    // The loop's header: the label the loop's backward branch jumps to.
    let aligned: Vec<&str> = lines
        .windows(2)
        .filter(|w| w[0].trim_start().starts_with(".p2align") && w[1].starts_with(".LBB"))
        .map(|w| w[0].trim())
        .collect();
    assert!(!aligned.is_empty(), "no aligned loop header in:\n{asm}");
    assert!(aligned.iter().all(|a| a.starts_with(".p2align\t5")), "{aligned:?}");
}
