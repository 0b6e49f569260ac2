//! The scalar primitives other than the math table: `abs`, `min`, `max`, `round`, Python's
//! conversions, NumPy's scalar constructors used as casts, and `len`.

use super::math::MathFn;
use super::{widen, Builtin, BuiltinFn, Example, Reduction};
use crate::diag::DiagKind;
use crate::lower::{Lowerer, Ty, V};
use crate::parse::{ConstValue, PyModule};
use crate::tir::{Expr, ExprKind};
use crate::types::{unify_scalar, Scalar, Type};

type Typed = Result<Expr, (DiagKind, String)>;

fn arity(name: &str, args: &[Expr], want: usize) -> Result<(), (DiagKind, String)> {
    if args.len() == want {
        Ok(())
    } else {
        Err((
            DiagKind::Type,
            format!("{name}() takes {want} argument(s), {} given", args.len()),
        ))
    }
}

fn scalar_arg(name: &str, args: &[Expr], i: usize) -> Result<Scalar, (DiagKind, String)> {
    args[i].ty.scalar().ok_or_else(|| {
        (
            DiagKind::Type,
            format!("{name}() argument must be a number, not {}", args[i].ty),
        )
    })
}

/// A real number argument: complex numbers have no order, no rounding and no int() or float().
fn real_arg(name: &str, args: &[Expr], i: usize) -> Result<Scalar, (DiagKind, String)> {
    let s = scalar_arg(name, args, i)?;
    if s.is_complex() {
        return Err((
            DiagKind::Type,
            format!("{name}() argument must be a real number, not {}", s.name()),
        ));
    }
    Ok(s)
}

/// Every scalar dtype, for the registry test.
fn every_dtype(call: &'static str, values: [f64; 2]) -> Vec<Example> {
    Scalar::ALL
        .iter()
        .filter(|s| !s.is_complex())
        .map(|s| Example {
            call,
            dtypes: vec![*s, *s],
            values,
        })
        .collect()
}

/// `abs(x)`: `fabs` for floats; for integers a wrapping absolute value (`abs` of the minimum
/// is the minimum, as in Numba), unsigned values are their own absolute value.
pub struct Abs;

impl Builtin for Abs {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        &[
            (None, "abs"),
            (Some(PyModule::Numpy), "abs"),
            (Some(PyModule::Numpy), "absolute"),
        ]
    }

    fn infer(&self, _module: Option<PyModule>, name: &str, mut args: Vec<Expr>) -> Typed {
        arity(name, &args, 1)?;
        let s = scalar_arg(name, &args, 0)?;
        let a = args.remove(0);
        if s.is_float() {
            let func = MathFn::named("Fabs");
            return Ok(Expr::new(ExprKind::Math { func, args: vec![a] }, Type::Scalar(s)));
        }
        let t = Type::Scalar(widen(s));
        if !s.is_signed() {
            return Ok(a.cast(&t));
        }
        Ok(Expr::new(
            ExprKind::Builtin {
                builtin: BuiltinFn(&Abs),
                args: vec![a.cast(&t)],
            },
            t,
        ))
    }

    fn lower(&self, lw: &mut Lowerer, args: &[V], _ty: &Type) -> V {
        let t = args[0].t;
        lw.declare(format!("declare {t} @llvm.abs.{t}({t}, i1)"));
        lw.inst(t, format!("call {t} @llvm.abs.{t}({t} {}, i1 false)", args[0].r))
    }

    fn examples(&self) -> Vec<Example> {
        [every_dtype("abs(a)", [-7.0, 2.0]), every_dtype("abs(a)", [-2.5, 0.0])].concat()
    }
}

/// Python's `min`/`max` of two or more scalars: keeps the first of equal values and compares
/// with `<`/`>` (so NaN handling is CPython's).
pub struct MinMax {
    max: bool,
}

pub const MIN: MinMax = MinMax { max: false };
pub const MAX: MinMax = MinMax { max: true };

impl Builtin for MinMax {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        if self.max {
            &[(None, "max")]
        } else {
            &[(None, "min")]
        }
    }

    fn infer(&self, _module: Option<PyModule>, name: &str, args: Vec<Expr>) -> Typed {
        if args.len() < 2 {
            return Err((
                DiagKind::Unsupported,
                format!("{name}() of {} argument(s): give 2 or more scalars", args.len()),
            ));
        }
        let mut ty = real_arg(name, &args, 0)?;
        for i in 1..args.len() {
            ty = unify_scalar(ty, real_arg(name, &args, i)?);
        }
        let t = Type::Scalar(ty);
        let args = args.into_iter().map(|a| a.cast(&t)).collect();
        let builtin = BuiltinFn(if self.max { &MAX } else { &MIN });
        Ok(Expr::new(ExprKind::Builtin { builtin, args }, t))
    }

    fn lower(&self, lw: &mut Lowerer, args: &[V], ty: &Type) -> V {
        let s = ty.scalar().expect("min/max are scalar");
        let max = self.max;
        let mut cur = args[0].clone();
        for x in &args[1..] {
            // CPython keeps the current item unless the new one compares strictly better.
            let better = if s.is_float() {
                let fm = lw.fm();
                let pred = if max { "ogt" } else { "olt" };
                lw.inst(Ty::I1, format!("fcmp {fm}{pred} {} {}, {}", x.t, x.r, cur.r))
            } else {
                let pred = match (max, s.is_signed() && s != Scalar::Bool) {
                    (true, true) => "sgt",
                    (true, false) => "ugt",
                    (false, true) => "slt",
                    (false, false) => "ult",
                };
                lw.inst(Ty::I1, format!("icmp {pred} {} {}, {}", x.t, x.r, cur.r))
            };
            cur = lw.inst(
                x.t,
                format!("select i1 {}, {} {}, {} {}", better.r, x.t, x.r, x.t, cur.r),
            );
        }
        cur
    }

    fn reduction(&self) -> Option<Reduction> {
        Some(if self.max { Reduction::Max } else { Reduction::Min })
    }

    fn examples(&self) -> Vec<Example> {
        let call = if self.max { "max(a, b)" } else { "min(a, b)" };
        [every_dtype(call, [3.0, -4.0]), every_dtype(call, [1.0, 1.5])].concat()
    }
}

/// `round(x)`: half to even, an int result.
pub struct Round;

impl Builtin for Round {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        &[(None, "round")]
    }

    fn infer(&self, _module: Option<PyModule>, name: &str, mut args: Vec<Expr>) -> Typed {
        if args.len() == 2 {
            return Err((DiagKind::Unsupported, "round() with ndigits".into()));
        }
        arity(name, &args, 1)?;
        let s = real_arg(name, &args, 0)?;
        let a = args.remove(0);
        if !s.is_float() {
            return Ok(a.cast(&Type::I64));
        }
        let func = MathFn::named("RoundEven");
        Ok(Expr::new(ExprKind::Math { func, args: vec![a] }, Type::Scalar(s)).cast(&Type::I64))
    }

    fn examples(&self) -> Vec<Example> {
        [
            every_dtype("round(a)", [2.5, -3.5]),
            every_dtype("round(a)", [7.0, 0.0]),
        ]
        .concat()
    }
}

/// Python's `int(x)`, `float(x)` and `bool(x)`.
pub struct Convert;

impl Builtin for Convert {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        &[(None, "int"), (None, "float"), (None, "bool")]
    }

    fn infer(&self, _module: Option<PyModule>, name: &str, mut args: Vec<Expr>) -> Typed {
        arity(name, &args, 1)?;
        if name == "bool" {
            scalar_arg(name, &args, 0)?;
        } else {
            real_arg(name, &args, 0)?;
        }
        let to = match name {
            "int" => Type::I64,
            "float" => Type::F64,
            _ => Type::BOOL,
        };
        Ok(args.remove(0).cast(&to))
    }

    fn examples(&self) -> Vec<Example> {
        [
            every_dtype("int(a)", [-2.5, 3.0]),
            every_dtype("float(a)", [-2.5, 3.0]),
            every_dtype("bool(a)", [0.0, 3.0]),
            every_dtype("bool(a)", [-0.5, 3.0]),
        ]
        .concat()
    }
}

/// NumPy's scalar types and Numba's type names used as conversions: `np.float32(x)`,
/// `numba.int32(x)`.
pub struct NumpyScalar;

impl Builtin for NumpyScalar {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        &[
            (Some(PyModule::Numpy), "float32"),
            (Some(PyModule::Numpy), "float64"),
            (Some(PyModule::Numpy), "int8"),
            (Some(PyModule::Numpy), "int16"),
            (Some(PyModule::Numpy), "int32"),
            (Some(PyModule::Numpy), "int64"),
            (Some(PyModule::Numpy), "uint8"),
            (Some(PyModule::Numpy), "uint16"),
            (Some(PyModule::Numpy), "uint32"),
            (Some(PyModule::Numpy), "uint64"),
            (Some(PyModule::Numpy), "bool_"),
        ]
    }

    /// Every alias Numba's type names have (`f8`, `intp`, `double`, ...), in NumPy or Numba.
    fn accepts(&self, module: Option<PyModule>, name: &str) -> bool {
        match module {
            Some(PyModule::Numpy) => Scalar::from_numpy_name(name).is_some(),
            Some(PyModule::Numba) => Scalar::from_name(name).is_some(),
            _ => false,
        }
    }

    fn infer(&self, module: Option<PyModule>, name: &str, mut args: Vec<Expr>) -> Typed {
        let s = match module {
            Some(PyModule::Numpy) => Scalar::from_numpy_name(name),
            _ => Scalar::from_name(name),
        }
        .expect("accepts checked the name");
        arity(name, &args, 1)?;
        scalar_arg(name, &args, 0)?;
        Ok(args.remove(0).cast(&Type::Scalar(s)))
    }

    fn examples(&self) -> Vec<Example> {
        [
            "np.float32(a)",
            "np.int8(a)",
            "np.uint16(a)",
            "np.int64(a)",
            "np.bool_(a)",
        ]
        .into_iter()
        .flat_map(|call| every_dtype(call, [2.5, 3.0]))
        .collect()
    }
}

/// `len(a)` of an array: its first dimension.
pub struct Len;

impl Builtin for Len {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        &[(None, "len")]
    }

    fn infer(&self, _module: Option<PyModule>, name: &str, mut args: Vec<Expr>) -> Typed {
        arity(name, &args, 1)?;
        match &args[0].ty {
            Type::Tuple(items) => {
                return Ok(Expr::new(
                    ExprKind::Const(ConstValue::Int(items.len() as i64)),
                    Type::I64,
                ))
            }
            Type::IntTuple(n) => return Ok(Expr::new(ExprKind::Const(ConstValue::Int(*n as i64)), Type::I64)),
            Type::Array(_) => {}
            Type::List(_) | Type::Dict(..) | Type::Set(_) => {
                let c = Box::new(args.remove(0));
                let kind = if c.ty.set_item().is_some() {
                    ExprKind::Set {
                        op: crate::tir::SetOp::Len,
                        set: c,
                        args: Vec::new(),
                    }
                } else if c.ty.list_item().is_some() {
                    ExprKind::List {
                        op: crate::tir::ListOp::Len,
                        list: c,
                        args: Vec::new(),
                    }
                } else {
                    ExprKind::Dict {
                        op: crate::tir::DictOp::Len,
                        dict: c,
                        args: Vec::new(),
                    }
                };
                return Ok(Expr::new(kind, Type::I64));
            }
            other => return Err((DiagKind::Type, format!("len() of {other}"))),
        }
        Ok(Expr::new(
            ExprKind::ArrayDim {
                array: Box::new(args.remove(0)),
                dim: 0,
            },
            Type::I64,
        ))
    }

    fn examples(&self) -> Vec<Example> {
        vec![Example {
            call: "len(c)",
            dtypes: vec![Scalar::F64, Scalar::F64],
            values: [0.0, 0.0],
        }]
    }
}
