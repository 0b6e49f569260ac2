//! Calls and attributes at module level: Python's builtins, `math.*` through the same C
//! library CPython uses, NumPy scalar constructors and the few NumPy functions that are exact.

use ruff_python_ast::{CmpOp, Operator};

use crate::parse::{math_constant, PyModule};
use crate::types::Scalar;

use super::value::*;

pub(super) fn attribute(base: Value, attr: &str) -> Eval<Value> {
    match base {
        Value::Module(m @ (PyModule::Math | PyModule::Numpy)) => {
            if let Some(c) = math_constant(attr) {
                if m == PyModule::Math && !matches!(attr, "pi" | "e" | "tau" | "inf" | "nan") {
                    return Err(format!("math.{attr} does not exist"));
                }
                return Ok(Value::Float(c));
            }
            Ok(Value::Member(Some(m), attr.to_string()))
        }
        Value::Module(m) => Ok(Value::Member(Some(m), attr.to_string())),
        // `np.random.seed`, `numba.types.float32`: a deeper path, only a name to call.
        Value::Member(Some(m), path) => Ok(Value::Member(Some(m), format!("{path}.{attr}"))),
        Value::Finfo(s) => {
            let (bits_eps, max, tiny, resolution) = match s {
                Scalar::F32 => (
                    f32::EPSILON as f64,
                    f32::MAX as f64,
                    f32::MIN_POSITIVE as f64,
                    1e-6f32 as f64,
                ),
                _ => (f64::EPSILON, f64::MAX, f64::MIN_POSITIVE, 1e-15),
            };
            let v = match attr {
                "eps" => bits_eps,
                "max" => max,
                "min" => -max,
                "tiny" | "smallest_normal" => tiny,
                "resolution" => resolution,
                "bits" => return Ok(Value::Int(s.bits() as i128)),
                _ => return Err(format!("numpy.finfo().{attr}")),
            };
            Ok(Value::Np(s, Num::Float(v)))
        }
        Value::Iinfo(s) => {
            let bits = s.bits();
            let (min, max): (i128, i128) = if s.is_signed() {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                (0, (1i128 << bits) - 1)
            };
            match attr {
                "min" => Ok(Value::Int(min)),
                "max" => Ok(Value::Int(max)),
                "bits" => Ok(Value::Int(bits as i128)),
                _ => Err(format!("numpy.iinfo().{attr}")),
            }
        }
        Value::Np(ty, n) if matches!(attr, "real") => Ok(Value::Np(ty, n)),
        other => Err(format!("the attribute '{attr}' of {}", describe(&other))),
    }
}

/// A NumPy scalar type name (`float32`, `np.int8`, `numba.float32`), or Python's `float`/`int`.
pub(super) fn dtype_of(v: &Value) -> Option<Scalar> {
    match v {
        Value::Member(Some(PyModule::Numpy), name) => Scalar::from_numpy_name(name),
        // Numba's type names (`numba.float32`, `numba.types.int8`) as Numba spells them.
        Value::Member(Some(PyModule::Numba), name) => Scalar::from_name(name.strip_prefix("types.").unwrap_or(name)),
        Value::Member(None, name) if name == "float" => Some(Scalar::F64),
        Value::Member(None, name) if name == "int" => Some(Scalar::I64),
        Value::Member(None, name) if name == "bool" => Some(Scalar::Bool),
        Value::Str(s) => Scalar::from_numpy_name(s),
        _ => None,
    }
}

/// `np.float32(x)` and friends: NumPy 2's conversion of a Python or NumPy value.
pub(super) fn np_convert(ty: Scalar, v: &Value) -> Eval<Value> {
    let num = match (ty, v) {
        (Scalar::Bool, v) => Num::Bool(truthy(v)?),
        (t, Value::Int(i)) | (t, Value::Np(_, Num::Int(i))) if t.is_int() => {
            let (lo, hi) = int_range(t);
            if matches!(v, Value::Int(_)) && !(lo..=hi).contains(i) {
                return Err(format!("Python integer {i} out of bounds for {}", t.name()));
            }
            Num::Int(wrap(t, *i))
        }
        (t, Value::Bool(b)) | (t, Value::Np(_, Num::Bool(b))) if t.is_int() => Num::Int(*b as i128),
        (t, _) if t.is_int() => {
            let f = as_f64(v)?;
            let (lo, hi) = int_range(t);
            if !f.is_finite() || f.trunc() < lo as f64 || f.trunc() > hi as f64 {
                return Err(format!("{f} does not fit in {}", t.name()));
            }
            Num::Int(f.trunc() as i128)
        }
        (t, v) => Num::Float(round_to(t, as_f64(v)?)),
    };
    Ok(Value::Np(ty, num))
}

pub(super) fn call_value(callee: Value, args: Vec<Value>) -> Eval<Value> {
    let arity = |n: usize| -> Eval<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("{} with {} arguments", describe(&callee), args.len()))
        }
    };
    if let Some(ty) = dtype_of(&callee) {
        if matches!(callee, Value::Member(None, _)) {
            // Python's own int(), float(), bool().
            arity(1)?;
            return match ty {
                Scalar::Bool => Ok(Value::Bool(truthy(&args[0])?)),
                Scalar::I64 => match &args[0] {
                    Value::Str(_) => Err("int() of a str".into()),
                    v => match as_index(v) {
                        Ok(i) => Ok(Value::Int(i)),
                        Err(_) => {
                            let f = as_f64(v)?;
                            if f.is_finite() {
                                Ok(Value::Int(f.trunc() as i128))
                            } else {
                                Err("int() of a non-finite float".into())
                            }
                        }
                    },
                },
                _ => Ok(Value::Float(as_f64(&args[0])?)),
            };
        }
        return match args.as_slice() {
            [] => np_convert(ty, &Value::Int(0)),
            [v] => np_convert(ty, v),
            _ => Err(format!("{} with {} arguments", describe(&callee), args.len())),
        };
    }
    let Value::Member(module, name) = &callee else {
        return Err(format!("calling {}", describe(&callee)));
    };
    match (module, name.as_str()) {
        (None, "abs") => {
            arity(1)?;
            unary_abs(args[0].clone())
        }
        (None, "min" | "max") => {
            let items = match args.as_slice() {
                [Value::Tuple(items)] => items.clone(),
                _ => args.clone(),
            };
            let mut best: Option<Value> = None;
            for v in items {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let op = if name == "min" { CmpOp::Lt } else { CmpOp::Gt };
                        if compare(op, &v, &b)? {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            best.ok_or_else(|| format!("{name}() of nothing"))
        }
        (None, "round") => {
            arity(1)?;
            match &args[0] {
                Value::Int(i) => Ok(Value::Int(*i)),
                v => {
                    let f = as_f64(v)?;
                    if f.is_finite() {
                        Ok(Value::Int(f.round_ties_even() as i128))
                    } else {
                        Err("round() of a non-finite float".into())
                    }
                }
            }
        }
        (None, "pow") => {
            arity(2)?;
            binary(Operator::Pow, args[0].clone(), args[1].clone())
        }
        (None, "len") => match args.as_slice() {
            [Value::Tuple(t)] => Ok(Value::Int(t.len() as i128)),
            [Value::Str(s)] => Ok(Value::Int(s.chars().count() as i128)),
            _ => Err("len() of something kcache does not evaluate".into()),
        },
        (Some(PyModule::Numpy), "finfo") => {
            arity(1)?;
            match dtype_of(&args[0]).or(match &args[0] {
                Value::Np(s, _) => Some(*s),
                Value::Float(_) => Some(Scalar::F64),
                _ => None,
            }) {
                Some(s) if s.is_float() => Ok(Value::Finfo(s)),
                _ => Err("numpy.finfo of a type kcache does not know".into()),
            }
        }
        (Some(PyModule::Numpy), "iinfo") => {
            arity(1)?;
            match dtype_of(&args[0]).or(match &args[0] {
                Value::Np(s, _) => Some(*s),
                Value::Int(_) => Some(Scalar::I64),
                _ => None,
            }) {
                Some(s) if s.is_int() => Ok(Value::Iinfo(s)),
                _ => Err("numpy.iinfo of a type kcache does not know".into()),
            }
        }
        (Some(PyModule::Math), f) => math_call(f, &args),
        (Some(PyModule::Numpy), f) => numpy_call(f, &args),
        _ => Err(format!("calling {}", describe(&callee))),
    }
}

extern "C" {
    fn erf(x: f64) -> f64;
    fn erfc(x: f64) -> f64;
    fn tgamma(x: f64) -> f64;
    fn lgamma(x: f64) -> f64;
}

/// `math.f(...)`: CPython calls the C library's function, and so does this (same glibc), with
/// CPython's domain and overflow errors.
pub(super) fn math_call(f: &str, args: &[Value]) -> Eval<Value> {
    let x = |i: usize| -> Eval<f64> { as_f64(args.get(i).ok_or_else(|| format!("math.{f} needs more arguments"))?) };
    let want = |n: usize| -> Eval<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("math.{f} with {} arguments", args.len()))
        }
    };
    let to_int = |v: f64| -> Eval<Value> {
        if v.is_finite() {
            Ok(Value::Int(v as i128))
        } else {
            Err(format!("math.{f} of a non-finite float"))
        }
    };
    let r = match f {
        "floor" | "ceil" | "trunc" => {
            want(1)?;
            if let Ok(i) = as_index(&args[0]) {
                return Ok(Value::Int(i));
            }
            let v = x(0)?;
            return to_int(match f {
                "floor" => v.floor(),
                "ceil" => v.ceil(),
                _ => v.trunc(),
            });
        }
        "factorial" => {
            want(1)?;
            let n = as_index(&args[0])?;
            if !(0..=33).contains(&n) {
                return Err("math.factorial of a negative or large number".into());
            }
            return Ok(Value::Int((1..=n).product::<i128>().max(1)));
        }
        "gcd" => {
            let mut g: i128 = 0;
            for a in args {
                let mut b = as_index(a)?.abs();
                while b != 0 {
                    (g, b) = (b, g % b);
                }
            }
            return Ok(Value::Int(g));
        }
        "isqrt" => {
            want(1)?;
            let n = as_index(&args[0])?;
            if n < 0 {
                return Err("math.isqrt of a negative number".into());
            }
            let mut r = (n as f64).sqrt() as i128;
            while r * r > n {
                r -= 1;
            }
            while (r + 1) * (r + 1) <= n {
                r += 1;
            }
            return Ok(Value::Int(r));
        }
        "isnan" | "isinf" | "isfinite" => {
            want(1)?;
            let v = x(0)?;
            return Ok(Value::Bool(match f {
                "isnan" => v.is_nan(),
                "isinf" => v.is_infinite(),
                _ => v.is_finite(),
            }));
        }
        "sqrt" => {
            want(1)?;
            let v = x(0)?;
            if v < 0.0 {
                return Err("math.sqrt of a negative number".into());
            }
            v.sqrt()
        }
        "exp" => (want(1)?, x(0)?.exp()).1,
        "expm1" => (want(1)?, x(0)?.exp_m1()).1,
        "exp2" => (want(1)?, x(0)?.exp2()).1,
        "log" | "log2" | "log10" | "log1p" => {
            let v = x(0)?;
            let bad = if f == "log1p" { v <= -1.0 } else { v <= 0.0 };
            if bad {
                return Err(format!("math.{f} outside its domain"));
            }
            match (f, args.len()) {
                ("log", 1) => v.ln(),
                ("log", 2) => {
                    let b = x(1)?;
                    if b <= 0.0 || b == 1.0 {
                        return Err("math.log with an invalid base".into());
                    }
                    v.ln() / b.ln()
                }
                ("log2", 1) => v.log2(),
                ("log10", 1) => v.log10(),
                ("log1p", 1) => v.ln_1p(),
                _ => return Err(format!("math.{f} with {} arguments", args.len())),
            }
        }
        "sin" => (want(1)?, x(0)?.sin()).1,
        "cos" => (want(1)?, x(0)?.cos()).1,
        "tan" => (want(1)?, x(0)?.tan()).1,
        "asin" | "acos" => {
            want(1)?;
            let v = x(0)?;
            if !(-1.0..=1.0).contains(&v) {
                return Err(format!("math.{f} outside its domain"));
            }
            if f == "asin" {
                v.asin()
            } else {
                v.acos()
            }
        }
        "atan" => (want(1)?, x(0)?.atan()).1,
        "atan2" => (want(2)?, x(0)?.atan2(x(1)?)).1,
        "sinh" => (want(1)?, x(0)?.sinh()).1,
        "cosh" => (want(1)?, x(0)?.cosh()).1,
        "tanh" => (want(1)?, x(0)?.tanh()).1,
        "asinh" => (want(1)?, x(0)?.asinh()).1,
        "acosh" => (want(1)?, x(0)?.acosh()).1,
        "atanh" => (want(1)?, x(0)?.atanh()).1,
        "fabs" => (want(1)?, x(0)?.abs()).1,
        "hypot" => (want(2)?, x(0)?.hypot(x(1)?)).1,
        "copysign" => (want(2)?, x(0)?.copysign(x(1)?)).1,
        "pow" => {
            want(2)?;
            let (a, b) = (x(0)?, x(1)?);
            if (a == 0.0 && b < 0.0) || (a < 0.0 && b.is_finite() && b.fract() != 0.0) {
                return Err("math.pow outside its domain".into());
            }
            a.powf(b)
        }
        "fmod" => {
            want(2)?;
            let (a, b) = (x(0)?, x(1)?);
            if b == 0.0 {
                return Err("math.fmod by zero".into());
            }
            a % b
        }
        // SAFETY (all four): pure libm functions of one double, no pointers, no global state
        // that a concurrent caller could observe (lgamma's signgam is not read).
        "erf" => (want(1)?, unsafe { erf(x(0)?) }).1,
        "erfc" => (want(1)?, unsafe { erfc(x(0)?) }).1,
        "gamma" => (want(1)?, unsafe { tgamma(x(0)?) }).1,
        "lgamma" => (want(1)?, unsafe { lgamma(x(0)?) }).1,
        "degrees" => (want(1)?, x(0)?.to_degrees()).1,
        "radians" => (want(1)?, x(0)?.to_radians()).1,
        _ => return Err(format!("math.{f} at module level")),
    };
    let inputs_finite = args.iter().all(|a| as_f64(a).map(|v| v.is_finite()).unwrap_or(false));
    if r.is_nan() && inputs_finite {
        return Err(format!("math.{f} outside its domain"));
    }
    if r.is_infinite() && inputs_finite {
        return Err(format!("math.{f} overflows"));
    }
    Ok(Value::Float(r))
}

/// `np.f(scalar)`: only what NumPy computes exactly (correctly rounded or exact), since NumPy's
/// own vectorised transcendental functions need not agree with the C library to the last bit.
pub(super) fn numpy_call(f: &str, args: &[Value]) -> Eval<Value> {
    let [v] = args else {
        return Err(format!("numpy.{f} with {} arguments at module level", args.len()));
    };
    let (ty, val) = match v {
        Value::Np(s, n) if s.is_float() => (
            *s,
            match n {
                Num::Float(f) => *f,
                _ => unreachable!("float types hold floats"),
            },
        ),
        Value::Np(_, _) | Value::Int(_) | Value::Bool(_) | Value::Float(_) => (Scalar::F64, as_f64(v)?),
        other => return Err(format!("numpy.{f} of {}", describe(other))),
    };
    let r = match f {
        "sqrt" => val.sqrt(),
        "abs" | "absolute" | "fabs" => val.abs(),
        "floor" => val.floor(),
        "ceil" => val.ceil(),
        "trunc" => val.trunc(),
        "rint" => val.round_ties_even(),
        "negative" => -val,
        "square" => val * val,
        _ => {
            return Err(format!(
                "numpy.{f} at module level (NumPy's own implementation decides its last bit; use math.{f} or compute it in the kernel)"
            ))
        }
    };
    Ok(Value::Np(ty, Num::Float(round_to(ty, r))))
}
