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
        "/../../shared/kernels/python_semantics.py"
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
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/kernels");
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

fn libm_erf(x: f64) -> f64 {
    extern "C" {
        fn erf(x: f64) -> f64;
    }
    // SAFETY: glibc's erf is a pure function of its argument.
    unsafe { erf(x) }
}
