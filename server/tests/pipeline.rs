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
