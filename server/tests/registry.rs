//! Walks the whole builtins registry: every math row in each namespace that spells it, and every
//! primitive's examples, is typed, lowered, compiled, loaded and run for each dtype it accepts,
//! and compared with CPython (with NumPy) evaluating the same call.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use common::{call, load, Arg, KcArray};
use kcache_server::builtins::math::{Result as MathResult, MATH};
use kcache_server::builtins::{Example, BUILTINS};
use kcache_server::types::Scalar;

/// One call to check: the kernel expression (over `a`, `b` converted to `dtypes`, and the
/// float64 array `c`), and the argument values.
struct Case {
    call: String,
    dtypes: Vec<Scalar>,
    values: Vec<[f64; 2]>,
    /// Relative tolerance: 0 where kcache and CPython call the same C library function.
    tolerance: f64,
}

fn conversion(s: Scalar) -> String {
    match s {
        Scalar::Bool => "np.bool_".into(),
        other => format!("np.{}", other.name()),
    }
}

/// The kernel: converts its float64 arguments to the dtypes under test, returns float64.
fn kernel(case: &Case) -> String {
    format!(
        "import math\nimport numpy as np\n\ndef f(a0, b0, c):\n    a = {}(a0)\n    b = {}(b0)\n    return float({})\n",
        conversion(case.dtypes[0]),
        conversion(case.dtypes[1]),
        case.call
    )
}

/// What CPython computes for each case and value pair (`None` where CPython raises, as it does
/// outside a function's domain where kernels return NaN like Numba's).
fn oracle(cases: &[Case]) -> Vec<Vec<Option<f64>>> {
    let mut program = String::from(
        "import json, math, sys, warnings\nimport numpy as np\nwarnings.simplefilter('ignore')\n\
         def conv(t, v):\n    x = getattr(np, t)(v)\n    return bool(x) if t == 'bool_' else (int(x) if isinstance(x, np.integer) else float(x))\n\
         out = []\n",
    );
    for case in cases {
        let types: Vec<String> = case.dtypes.iter().map(|s| conversion(*s)[3..].to_string()).collect();
        let _ = writeln!(program, "row = []");
        for [a, b] in &case.values {
            let _ = writeln!(
                program,
                "try:\n    a = conv({:?}, {a:?}); b = conv({:?}, {b:?}); c = np.arange(1.0, 6.0)\n    row.append(float({}))\nexcept (ValueError, OverflowError, ZeroDivisionError):\n    row.append(None)",
                types[0], types[1], case.call
            );
        }
        let _ = writeln!(program, "out.append(row)");
    }
    program.push_str("json.dump(out, sys.stdout)\n");
    let python = std::env::var("KCACHE_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(program.as_bytes())
        .expect("writing the oracle program");
    let out = child.wait_with_output().expect("python's output");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    parse_rows(&String::from_utf8(out.stdout).unwrap())
}

/// Parses `[[1.5, null], ...]` (json of floats and nulls; NaN and Infinity as Python writes them).
fn parse_rows(text: &str) -> Vec<Vec<Option<f64>>> {
    let inner = text
        .trim()
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or_else(|| panic!("not a list of rows: {text}"));
    inner
        .split(']')
        .filter(|r| r.contains('['))
        .map(|r| {
            r.split('[')
                .nth(1)
                .unwrap()
                .split(',')
                .filter(|x| !x.trim().is_empty())
                .map(|x| match x.trim() {
                    "null" => None,
                    "NaN" => Some(f64::NAN),
                    "Infinity" => Some(f64::INFINITY),
                    "-Infinity" => Some(f64::NEG_INFINITY),
                    v => Some(v.parse().unwrap()),
                })
                .collect()
        })
        .collect()
}

fn close(got: f64, want: f64, tolerance: f64) -> bool {
    if got.is_nan() || want.is_nan() {
        return got.is_nan() && want.is_nan();
    }
    if got == want {
        return true;
    }
    (got - want).abs() <= tolerance * want.abs().max(f64::MIN_POSITIVE)
}

fn run(cases: Vec<Case>) {
    let expected = oracle(&cases);
    let mut failures = Vec::new();
    for (case, want) in cases.iter().zip(expected) {
        let source = kernel(case);
        let loaded = load(&source, "f", "float64(float64, float64, float64[:])", &[]);
        for ([a, b], want) in case.values.iter().zip(want) {
            let Some(want) = want else { continue };
            let mut data = [1.0, 2.0, 3.0, 4.0, 5.0];
            let mut arr = KcArray::new(&mut data, 10);
            let got = call(&loaded, &mut [Arg::F64(*a), Arg::F64(*b), Arg::Array(&mut arr)])
                .map(f64::from_ne_bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", case.call));
            if !close(got, want, case.tolerance) {
                failures.push(format!(
                    "{} with {:?} of ({a}, {b}): kcache {got:?}, CPython {want:?}",
                    case.call, case.dtypes
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Four units in the last place of the type: kcache calls float32 functions (`sinf`) where
/// CPython computes in float64, and NumPy has implementations of its own.
fn ulps(s: Scalar) -> f64 {
    if s == Scalar::F32 {
        4.0 * f32::EPSILON as f64
    } else {
        4.0 * f64::EPSILON
    }
}

#[test]
fn every_math_row_in_every_namespace_and_dtype() {
    let mut cases = Vec::new();
    for row in MATH {
        for (namespace, names) in [("math", row.math), ("np", row.numpy)] {
            let Some(name) = names.first() else { continue };
            let args = if row.arity == 1 { "a" } else { "a, b" };
            for dtype in [Scalar::F64, Scalar::F32, Scalar::I64] {
                let mut values: Vec<[f64; 2]> = row
                    .samples
                    .iter()
                    .map(|s| [s[0], s.get(1).copied().unwrap_or(1.0)])
                    .collect();
                if dtype == Scalar::I64 {
                    values.extend([[2.0, 3.0], [-1.0, 2.0]]);
                }
                // CPython computes gamma and lgamma itself (a Lanczos sum in mathmodule.c); kcache
                // calls the C library's, which differs in the last bits.
                let own_cpython = matches!(row.name, "Gamma" | "Lgamma");
                let exact = (namespace == "math" && !own_cpython) || row.result == MathResult::Predicate;
                cases.push(Case {
                    call: format!("{namespace}.{name}({args})"),
                    dtypes: vec![dtype, dtype],
                    values,
                    tolerance: if exact && dtype != Scalar::F32 {
                        0.0
                    } else {
                        ulps(dtype)
                    },
                });
            }
        }
    }
    assert!(cases.len() >= MATH.len(), "every row has a spelling");
    run(cases);
}

#[test]
fn every_primitive_for_every_dtype_it_accepts() {
    let mut cases = Vec::new();
    for builtin in BUILTINS {
        let examples: Vec<Example> = builtin.examples();
        assert!(!examples.is_empty(), "{} has no examples", builtin.spellings()[0].1);
        for e in examples {
            // Unsigned types hold no negative values: NumPy and kcache convert them differently.
            let values = if e.dtypes.iter().any(|d| d.is_int() && !d.is_signed()) {
                e.values.map(f64::abs)
            } else {
                e.values
            };
            cases.push(Case {
                call: e.call.to_string(),
                tolerance: e.dtypes.iter().map(|d| ulps(*d)).fold(0.0, f64::max),
                dtypes: e.dtypes,
                values: vec![values],
            });
        }
    }
    run(cases);
}
