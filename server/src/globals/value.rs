//! The values of the module-level interpreter and Python's (and NumPy's) operators on them.

use ruff_python_ast::{CmpOp, Operator, UnaryOp};

use crate::parse::{ConstValue, PyModule};
use crate::types::{unify_scalar, Scalar};

use super::Frozen;

/// Why an expression has no value here; becomes an `Opaque` reason.
pub(super) type Eval<T> = Result<T, String>;

#[derive(Clone, Debug)]
pub(super) enum Value {
    /// A Python int. Python's are unbounded; kcache keeps 128 bits and gives up beyond.
    Int(i128),
    Float(f64),
    Bool(bool),
    /// A NumPy scalar of a fixed type; integers are kept wrapped to the type's range, float32
    /// values rounded to float32.
    Np(Scalar, Num),
    Str(String),
    None,
    Tuple(Vec<Value>),
    Module(PyModule),
    /// A name of a known module (`math.sqrt`, `np.float32`, `njit`) or a builtin (`int`).
    Member(Option<PyModule>, String),
    Finfo(Scalar),
    Iinfo(Scalar),
    /// `np.array(...)` of a literal: frozen, as Numba freezes a global array into the code.
    Array(std::sync::Arc<super::FrozenArray>),
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Num {
    Int(i128),
    Float(f64),
    Bool(bool),
}

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Int(_) => "an int".into(),
        Value::Float(_) => "a float".into(),
        Value::Bool(_) => "a bool".into(),
        Value::Np(s, _) => format!("a numpy.{}", s.name()),
        Value::Str(_) => "a str".into(),
        Value::None => "None".into(),
        Value::Tuple(_) => "a tuple".into(),
        Value::Module(m) => format!("the module {}", module_name(*m)),
        Value::Member(m, name) => match m {
            Some(m) => format!("{}.{name}", module_name(*m)),
            None => format!("the builtin {name}"),
        },
        Value::Finfo(s) => format!("numpy.finfo({})", s.name()),
        Value::Iinfo(s) => format!("numpy.iinfo({})", s.name()),
        Value::Array(a) => format!("a numpy array of {}", a.dtype.name()),
    }
}

pub(super) fn module_name(m: PyModule) -> &'static str {
    m.name()
}

/// The kernel constant a value becomes, with Numba's type for it; `None` for what is not a number.
pub(super) fn freeze(v: &Value) -> Option<Frozen> {
    Some(match *v {
        Value::Bool(b) => Frozen {
            value: ConstValue::Bool(b),
            ty: Scalar::Bool,
        },
        Value::Int(i) => {
            if let Ok(x) = i64::try_from(i) {
                Frozen {
                    value: ConstValue::Int(x),
                    ty: Scalar::I64,
                }
            } else {
                // Numba types an int only uint64 holds as uint64; the bits carry over.
                let x = u64::try_from(i).ok()?;
                Frozen {
                    value: ConstValue::Int(x as i64),
                    ty: Scalar::U64,
                }
            }
        }
        Value::Float(f) => Frozen {
            value: ConstValue::Float(f),
            ty: Scalar::F64,
        },
        Value::Np(ty, n) => Frozen {
            value: match n {
                Num::Bool(b) => ConstValue::Bool(b),
                // Stored as the type's bits in an i64 (a uint64 above i64::MAX wraps).
                Num::Int(i) => ConstValue::Int(i as i64),
                Num::Float(f) => ConstValue::Float(f),
            },
            ty,
        },
        _ => return None,
    })
}

pub(super) fn truthy(v: &Value) -> Eval<bool> {
    Ok(match v {
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Bool(b) => *b,
        Value::Np(_, Num::Int(i)) => *i != 0,
        Value::Np(_, Num::Float(f)) => *f != 0.0,
        Value::Np(_, Num::Bool(b)) => *b,
        Value::Str(s) => !s.is_empty(),
        Value::None => false,
        Value::Tuple(t) => !t.is_empty(),
        Value::Module(_) | Value::Member(..) | Value::Finfo(_) | Value::Iinfo(_) => true,
        Value::Array(_) => return Err("the truth value of an array".into()),
    })
}

pub(super) fn as_index(v: &Value) -> Eval<i128> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i128),
        Value::Np(_, Num::Int(i)) => Ok(*i),
        other => Err(format!("{} used as an integer", describe(other))),
    }
}

/// A Python float from any real number (for `float(x)` and mixed arithmetic).
pub(super) fn as_f64(v: &Value) -> Eval<f64> {
    match v {
        Value::Int(i) => int_to_float(*i),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Float(f) => Ok(*f),
        Value::Np(_, Num::Int(i)) => int_to_float(*i),
        Value::Np(_, Num::Float(f)) => Ok(*f),
        Value::Np(_, Num::Bool(b)) => Ok(*b as i64 as f64),
        other => Err(format!("{} used as a number", describe(other))),
    }
}

/// Rounds to nearest, as CPython's int-to-float does; ints past 2**64 are not worth the risk.
pub(super) fn int_to_float(i: i128) -> Eval<f64> {
    if i.unsigned_abs() <= u64::MAX as u128 {
        Ok(i as f64)
    } else {
        Err("an integer too large to convert".into())
    }
}

/// Range of an integer type, for NumPy's wrap-around and its out-of-bounds checks.
pub(super) fn int_range(s: Scalar) -> (i128, i128) {
    let bits = s.bits();
    if s.is_signed() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

pub(super) fn wrap(s: Scalar, v: i128) -> i128 {
    let bits = s.bits();
    let m = v & ((1i128 << bits) - 1);
    if s.is_signed() && m >= 1i128 << (bits - 1) {
        m - (1i128 << bits)
    } else {
        m
    }
}

pub(super) fn round_to(s: Scalar, f: f64) -> f64 {
    if s == Scalar::F32 {
        f as f32 as f64
    } else {
        f
    }
}

pub(super) fn unary_abs(v: Value) -> Eval<Value> {
    match v {
        Value::Int(i) => Ok(Value::Int(i.abs())),
        Value::Bool(b) => Ok(Value::Int(b as i128)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Np(s, Num::Int(i)) => Ok(Value::Np(s, Num::Int(wrap(s, i.abs())))),
        Value::Np(s, Num::Float(f)) => Ok(Value::Np(s, Num::Float(f.abs()))),
        other => Err(format!("abs() of {}", describe(&other))),
    }
}

pub(super) fn unary(op: UnaryOp, v: Value) -> Eval<Value> {
    match op {
        UnaryOp::Not => Ok(Value::Bool(!truthy(&v)?)),
        UnaryOp::UAdd => match v {
            Value::Bool(b) => Ok(Value::Int(b as i128)),
            Value::Int(_) | Value::Float(_) | Value::Np(..) => Ok(v),
            other => Err(format!("unary + of {}", describe(&other))),
        },
        UnaryOp::USub => match v {
            Value::Int(i) => Ok(Value::Int(-i)),
            Value::Bool(b) => Ok(Value::Int(-(b as i128))),
            Value::Float(f) => Ok(Value::Float(-f)),
            Value::Np(s, Num::Int(i)) => Ok(Value::Np(s, Num::Int(wrap(s, -i)))),
            Value::Np(s, Num::Float(f)) => Ok(Value::Np(s, Num::Float(-f))),
            other => Err(format!("unary - of {}", describe(&other))),
        },
        UnaryOp::Invert => match v {
            Value::Int(i) => Ok(Value::Int(!i)),
            Value::Bool(b) => Ok(Value::Int(!(b as i128))),
            Value::Np(s, Num::Int(i)) => Ok(Value::Np(s, Num::Int(wrap(s, !i)))),
            other => Err(format!("~ of {}", describe(&other))),
        },
    }
}

/// The Python value class of an operand: NumPy scalars are "strong" (they keep their type),
/// Python numbers "weak" (NEP 50: they take the NumPy operand's kind where they fit).
pub(super) enum Operand {
    PyInt(i128),
    PyFloat(f64),
    Np(Scalar, Num),
}

pub(super) fn operand(v: &Value) -> Eval<Operand> {
    Ok(match v {
        Value::Int(i) => Operand::PyInt(*i),
        Value::Bool(b) => Operand::PyInt(*b as i128),
        Value::Float(f) => Operand::PyFloat(*f),
        Value::Np(s, n) => Operand::Np(*s, *n),
        other => return Err(format!("arithmetic on {}", describe(other))),
    })
}

pub(super) fn binary(op: Operator, l: Value, r: Value) -> Eval<Value> {
    let (a, b) = (operand(&l)?, operand(&r)?);
    match (a, b) {
        (Operand::PyInt(x), Operand::PyInt(y)) => py_int_op(op, x, y),
        (Operand::PyInt(_) | Operand::PyFloat(_), Operand::PyInt(_) | Operand::PyFloat(_)) => {
            py_float_op(op, as_f64(&l)?, as_f64(&r)?).map(Value::Float)
        }
        (Operand::Np(s, x), Operand::Np(t, y)) => {
            if s == Scalar::Bool || t == Scalar::Bool {
                return Err("arithmetic on numpy.bool_".into());
            }
            np_op(op, unify_scalar(s, t), x, y)
        }
        (Operand::Np(s, x), weak) => np_weak(op, s, x, weak, false),
        (weak, Operand::Np(s, y)) => np_weak(op, s, y, weak, true),
    }
}

/// A NumPy scalar with a Python number (NEP 50): an int keeps an integer type (and must fit in
/// it), a float keeps a float type and turns an integer one into float64.
pub(super) fn np_weak(op: Operator, s: Scalar, np_value: Num, weak: Operand, weak_first: bool) -> Eval<Value> {
    if s == Scalar::Bool {
        return Err("arithmetic on numpy.bool_".into());
    }
    let (ty, other) = match weak {
        Operand::PyInt(i) if s.is_int() => {
            let (lo, hi) = int_range(s);
            if !(lo..=hi).contains(&i) {
                return Err(format!("Python integer {i} out of bounds for {}", s.name()));
            }
            (s, Num::Int(i))
        }
        Operand::PyInt(i) => (s, Num::Float(int_to_float(i)?)),
        Operand::PyFloat(f) if s.is_float() => (s, Num::Float(f)),
        Operand::PyFloat(f) => (Scalar::F64, Num::Float(f)),
        Operand::Np(..) => unreachable!("both NumPy operands take np_op"),
    };
    let (x, y) = if weak_first {
        (other, np_value)
    } else {
        (np_value, other)
    };
    np_op(op, ty, x, y)
}

pub(super) fn num_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) => f,
        Num::Bool(b) => b as i64 as f64,
    }
}

/// An operator on NumPy scalars converted to `ty`: integers wrap, float32 rounds after each
/// operation (exact for + - * / since float64 holds the float32 result before rounding).
pub(super) fn np_op(op: Operator, ty: Scalar, x: Num, y: Num) -> Eval<Value> {
    if ty.is_int() {
        let (Num::Int(a), Num::Int(b)) = (x, y) else {
            return Err("mixed numpy operands".into());
        };
        let v = match op {
            Operator::Add => a + b,
            Operator::Sub => a - b,
            Operator::Mult => a.checked_mul(b).ok_or("integer overflow")?,
            Operator::Div => {
                // True division of integers is float64 in NumPy.
                if b == 0 {
                    return Err("division by zero".into());
                }
                return Ok(Value::Np(Scalar::F64, Num::Float(a as f64 / b as f64)));
            }
            Operator::FloorDiv | Operator::Mod => floor_op(op, a, b)?,
            Operator::Pow => {
                if b < 0 {
                    return Err("integers to negative integer powers".into());
                }
                let mut acc: i128 = 1;
                for _ in 0..b.min(128) {
                    acc = wrap(ty, acc.wrapping_mul(a));
                }
                acc
            }
            Operator::BitAnd => a & b,
            Operator::BitOr => a | b,
            Operator::BitXor => a ^ b,
            Operator::LShift | Operator::RShift => {
                if !(0..ty.bits() as i128).contains(&b) {
                    return Err("a shift by a negative or too large count".into());
                }
                if op == Operator::LShift {
                    a << b
                } else {
                    a >> b
                }
            }
            Operator::MatMult => return Err("the @ operator".into()),
        };
        return Ok(Value::Np(ty, Num::Int(wrap(ty, v))));
    }
    let (a, b) = (num_f64(x), num_f64(y));
    let v = match op {
        Operator::Add => a + b,
        Operator::Sub => a - b,
        Operator::Mult => a * b,
        Operator::Div | Operator::FloorDiv | Operator::Mod if b == 0.0 => {
            return Err("division by zero".into());
        }
        Operator::Div => a / b,
        Operator::FloorDiv => py_float_floordiv(a, b),
        Operator::Mod => py_float_mod(a, b),
        Operator::Pow if ty == Scalar::F32 => (a as f32).powf(b as f32) as f64,
        Operator::Pow => a.powf(b),
        _ => return Err("a bitwise operator on floats".into()),
    };
    Ok(Value::Np(ty, Num::Float(round_to(ty, v))))
}

/// Python's (and NumPy's) integer `//` or `%`: floor semantics, refused on a zero divisor.
fn floor_op(op: Operator, a: i128, b: i128) -> Eval<i128> {
    if b == 0 {
        return Err("integer division by zero".into());
    }
    let (q, r) = floor_divmod(a, b);
    Ok(if op == Operator::FloorDiv { q } else { r })
}

pub(super) fn floor_divmod(a: i128, b: i128) -> (i128, i128) {
    let (q, r) = (a / b, a % b);
    if r != 0 && ((r < 0) != (b < 0)) {
        (q - 1, r + b)
    } else {
        (q, r)
    }
}

pub(super) fn py_int_op(op: Operator, a: i128, b: i128) -> Eval<Value> {
    let overflow = || "an integer too large for kcache to evaluate".to_string();
    let v = match op {
        Operator::Add => a.checked_add(b).ok_or_else(overflow)?,
        Operator::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        Operator::Mult => a.checked_mul(b).ok_or_else(overflow)?,
        Operator::Div => {
            if b == 0 {
                return Err("division by zero".into());
            }
            // Exact operands give CPython's correctly rounded quotient.
            const EXACT: u128 = 1 << 53;
            if a.unsigned_abs() > EXACT || b.unsigned_abs() > EXACT {
                return Err("true division of integers past 2**53".into());
            }
            return Ok(Value::Float(a as f64 / b as f64));
        }
        Operator::FloorDiv | Operator::Mod => floor_op(op, a, b)?,
        Operator::Pow => {
            if b < 0 {
                return py_float_op(op, int_to_float(a)?, int_to_float(b)?).map(Value::Float);
            }
            let e = u32::try_from(b).map_err(|_| overflow())?;
            a.checked_pow(e).ok_or_else(overflow)?
        }
        Operator::LShift => {
            if b < 0 {
                return Err("a negative shift count".into());
            }
            let e = u32::try_from(b).ok().filter(|e| *e < 127).ok_or_else(overflow)?;
            let v = a.checked_shl(e).ok_or_else(overflow)?;
            if v >> e != a {
                return Err(overflow());
            }
            v
        }
        Operator::RShift => {
            if b < 0 {
                return Err("a negative shift count".into());
            }
            a >> b.min(127)
        }
        Operator::BitAnd => a & b,
        Operator::BitOr => a | b,
        Operator::BitXor => a ^ b,
        Operator::MatMult => return Err("the @ operator".into()),
    };
    Ok(Value::Int(v))
}

pub(super) fn py_float_op(op: Operator, a: f64, b: f64) -> Eval<f64> {
    Ok(match op {
        Operator::Add => a + b,
        Operator::Sub => a - b,
        Operator::Mult => a * b,
        Operator::Div | Operator::FloorDiv | Operator::Mod if b == 0.0 => {
            return Err("float division by zero".into());
        }
        Operator::Div => a / b,
        Operator::FloorDiv => py_float_floordiv(a, b),
        Operator::Mod => py_float_mod(a, b),
        Operator::Pow => {
            if a == 0.0 && b < 0.0 {
                return Err("0.0 to a negative power".into());
            }
            if a < 0.0 && b.is_finite() && b.fract() != 0.0 {
                return Err("a negative number to a fractional power (a complex result)".into());
            }
            let r = a.powf(b);
            if r.is_infinite() && a.is_finite() && b.is_finite() {
                return Err("a float power that overflows".into());
            }
            r
        }
        _ => return Err("a bitwise operator on floats".into()),
    })
}

/// CPython's float `%`: the result takes the divisor's sign.
pub(super) fn py_float_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m + b
        } else {
            m
        }
    } else {
        0.0f64.copysign(b)
    }
}

/// CPython's float `//` (`float_floor_div`), which is not `floor(a / b)` in every case.
pub(super) fn py_float_floordiv(a: f64, b: f64) -> f64 {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let _ = m;
    if div != 0.0 {
        let mut floordiv = div.floor();
        if div - floordiv > 0.5 {
            floordiv += 1.0;
        }
        floordiv
    } else {
        0.0f64.copysign(a / b)
    }
}

pub(super) fn compare(op: CmpOp, l: &Value, r: &Value) -> Eval<bool> {
    if let (Value::Str(a), Value::Str(b)) = (l, r) {
        return match op {
            CmpOp::Eq => Ok(a == b),
            CmpOp::NotEq => Ok(a != b),
            _ => Err("ordering strings".into()),
        };
    }
    if matches!(op, CmpOp::Is | CmpOp::IsNot) {
        let same = matches!((l, r), (Value::None, Value::None));
        let known = matches!(l, Value::None) || matches!(r, Value::None);
        if !known {
            return Err("`is` between values".into());
        }
        return Ok(if op == CmpOp::Is { same } else { !same });
    }
    if matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)) {
        return match op {
            CmpOp::Eq => Ok(false),
            CmpOp::NotEq => Ok(true),
            _ => Err("comparing a str with a number".into()),
        };
    }
    if let (Ok(a), Ok(b)) = (as_exact_int(l), as_exact_int(r)) {
        return int_compare(op, a, b);
    }
    let (a, b) = (as_f64(l)?, as_f64(r)?);
    const EXACT: f64 = 9007199254740992.0;
    let exact = |v: &Value, f: f64| !matches!(v, Value::Int(_) | Value::Np(_, Num::Int(_))) || f.abs() <= EXACT;
    if !exact(l, a) || !exact(r, b) {
        return Err("comparing a large integer with a float".into());
    }
    ordered(op, a.partial_cmp(&b))
}

pub(super) fn as_exact_int(v: &Value) -> Eval<i128> {
    match v {
        Value::Int(i) | Value::Np(_, Num::Int(i)) => Ok(*i),
        Value::Bool(b) | Value::Np(_, Num::Bool(b)) => Ok(*b as i128),
        _ => Err(String::new()),
    }
}

pub(super) fn int_compare(op: CmpOp, a: i128, b: i128) -> Eval<bool> {
    ordered(op, a.partial_cmp(&b))
}

/// A comparison operator applied to an ordering (`None`: a NaN was involved).
fn ordered(op: CmpOp, ord: Option<std::cmp::Ordering>) -> Eval<bool> {
    use std::cmp::Ordering::*;
    Ok(match op {
        CmpOp::Eq => ord == Some(Equal),
        CmpOp::NotEq => ord != Some(Equal),
        CmpOp::Lt => ord == Some(Less),
        CmpOp::LtE => matches!(ord, Some(Less | Equal)),
        CmpOp::Gt => ord == Some(Greater),
        CmpOp::GtE => matches!(ord, Some(Greater | Equal)),
        _ => return Err("`in` at module level".into()),
    })
}
