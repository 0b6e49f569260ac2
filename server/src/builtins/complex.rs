//! Builtins of complex numbers: `complex(re, im)`, `abs`, `.real`/`.imag`/`.conjugate()` (and
//! NumPy's `real`, `imag`, `conj`, `angle`), the `cmath` module, and NumPy's functions called
//! with a complex number. Inference sends a call here when an argument is complex or the
//! module is `cmath`; functions that exist only for real numbers (`math.sqrt`, `min`) refuse
//! complex arguments where they are typed.

use super::{Builtin, BuiltinFn, Example};
use crate::diag::DiagKind;
use crate::lower::{Lowerer, Ty, V};
use crate::parse::PyModule;
use crate::tir::{BinOp, Expr, ExprKind};
use crate::types::{Scalar, Type};

type Typed = Result<Expr, (DiagKind, String)>;

/// What a complex builtin computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// glibc's complex function of this base name (`cexp`; `cexpf` for complex64).
    Libm(&'static str),
    /// `cmath.log(z[, base])`: `clog`, divided by `clog(base)` when a base is given.
    Log,
    /// `cmath.log10`: CPython's `c_log10`, the natural log's parts divided by ln 10.
    Log10,
    Abs,
    Phase,
    Real,
    Imag,
    Conjugate,
    IsNan,
    IsInf,
    IsFinite,
    /// `complex(re, im)`.
    Construct,
}

pub struct ComplexFn {
    spellings: &'static [(Option<PyModule>, &'static str)],
    op: Op,
}

use PyModule::{Cmath as C, Numpy as N};

macro_rules! complex_fns {
    ($($spell:expr => $op:expr),* $(,)?) => {
        pub static COMPLEX_FNS: &[ComplexFn] = &[$(ComplexFn { spellings: $spell, op: $op }),*];
    };
}

complex_fns! {
    &[(Some(C), "exp"), (Some(N), "exp")] => Op::Libm("cexp"),
    &[(Some(C), "sqrt"), (Some(N), "sqrt")] => Op::Libm("csqrt"),
    &[(Some(C), "sin"), (Some(N), "sin")] => Op::Libm("csin"),
    &[(Some(C), "cos"), (Some(N), "cos")] => Op::Libm("ccos"),
    &[(Some(C), "tan"), (Some(N), "tan")] => Op::Libm("ctan"),
    &[(Some(C), "asin"), (Some(N), "arcsin")] => Op::Libm("casin"),
    &[(Some(C), "acos"), (Some(N), "arccos")] => Op::Libm("cacos"),
    &[(Some(C), "atan"), (Some(N), "arctan")] => Op::Libm("catan"),
    &[(Some(C), "sinh"), (Some(N), "sinh")] => Op::Libm("csinh"),
    &[(Some(C), "cosh"), (Some(N), "cosh")] => Op::Libm("ccosh"),
    &[(Some(C), "tanh"), (Some(N), "tanh")] => Op::Libm("ctanh"),
    &[(Some(C), "asinh"), (Some(N), "arcsinh")] => Op::Libm("casinh"),
    &[(Some(C), "acosh"), (Some(N), "arccosh")] => Op::Libm("cacosh"),
    &[(Some(C), "atanh"), (Some(N), "arctanh")] => Op::Libm("catanh"),
    &[(Some(N), "log")] => Op::Libm("clog"),
    &[(Some(N), "log10")] => Op::Libm("clog10"),
    &[(Some(C), "log")] => Op::Log,
    &[(Some(C), "log10")] => Op::Log10,
    &[(None, "abs"), (Some(N), "abs"), (Some(N), "absolute")] => Op::Abs,
    &[(Some(C), "phase"), (Some(N), "angle")] => Op::Phase,
    &[(Some(N), "real")] => Op::Real,
    &[(Some(N), "imag")] => Op::Imag,
    &[(Some(N), "conj"), (Some(N), "conjugate")] => Op::Conjugate,
    &[(Some(C), "isnan"), (Some(N), "isnan")] => Op::IsNan,
    &[(Some(C), "isinf"), (Some(N), "isinf")] => Op::IsInf,
    &[(Some(C), "isfinite"), (Some(N), "isfinite")] => Op::IsFinite,
    &[(None, "complex")] => Op::Construct,
}

/// The complex builtin `module.name` spells, if any.
pub fn lookup(module: Option<PyModule>, name: &str) -> Option<&'static ComplexFn> {
    COMPLEX_FNS.iter().find(|f| f.accepts(module, name))
}

/// `z.real`, `z.imag` and `z.conjugate()` of a scalar: the builtin behind the attribute.
pub fn attribute(name: &str) -> Option<&'static ComplexFn> {
    let op = match name {
        "real" => Op::Real,
        "imag" => Op::Imag,
        "conjugate" => Op::Conjugate,
        _ => return None,
    };
    COMPLEX_FNS.iter().find(|f| f.op == op)
}

fn complex_type(s: Scalar) -> Scalar {
    if s == Scalar::C64 {
        Scalar::C64
    } else {
        Scalar::C128
    }
}

impl ComplexFn {
    fn node(&'static self, args: Vec<Expr>, ty: Type) -> Expr {
        Expr::new(
            ExprKind::Builtin {
                builtin: BuiltinFn(self),
                args,
            },
            ty,
        )
    }
}

impl Builtin for ComplexFn {
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)] {
        self.spellings
    }

    fn infer(&self, module: Option<PyModule>, name: &str, args: Vec<Expr>) -> Typed {
        // The registered entry of this op (`BuiltinFn` holds a `'static` reference).
        let me: &'static ComplexFn = COMPLEX_FNS
            .iter()
            .find(|f| f.op == self.op)
            .expect("a registered complex builtin");
        let spelled = match module {
            Some(m) => format!("{}.{name}", m.name()),
            None => name.to_string(),
        };
        let mut scalars = Vec::new();
        for a in &args {
            match a.ty.scalar() {
                Some(s) => scalars.push(s),
                None => return Err((DiagKind::Type, format!("{spelled}() of {}", a.ty))),
            }
        }
        let want = |n: std::ops::RangeInclusive<usize>| {
            if n.contains(&args.len()) {
                Ok(())
            } else {
                Err((
                    DiagKind::Type,
                    format!("{spelled}() takes {} argument(s), {} given", n.end(), args.len()),
                ))
            }
        };
        match self.op {
            Op::Construct => {
                want(0..=2)?;
                if scalars.iter().any(|s| s.is_complex()) {
                    if args.len() == 1 {
                        return Ok(args.into_iter().next().expect("one").cast(&Type::Scalar(Scalar::C128)));
                    }
                    return Err((
                        DiagKind::Unsupported,
                        "complex() of complex parts (write re + im * 1j)".into(),
                    ));
                }
                let f = Type::F64;
                let mut parts: Vec<Expr> = args.into_iter().map(|a| a.cast(&f)).collect();
                while parts.len() < 2 {
                    parts.push(Expr::new(
                        ExprKind::Const(crate::parse::ConstValue::Float(0.0)),
                        Type::F64,
                    ));
                }
                Ok(me.node(parts, Type::Scalar(Scalar::C128)))
            }
            Op::Real | Op::Imag | Op::Conjugate => {
                want(1..=1)?;
                let s = scalars[0];
                let a = args.into_iter().next().expect("one");
                if !s.is_complex() {
                    // A real number is its own real part and conjugate; its imaginary part is 0.
                    return Ok(if self.op == Op::Imag {
                        Expr::new(ExprKind::Const(crate::parse::ConstValue::Int(0)), Type::I64).cast(&a.ty)
                    } else {
                        a
                    });
                }
                let ty = if self.op == Op::Conjugate { s } else { s.real_part() };
                Ok(me.node(vec![a], Type::Scalar(ty)))
            }
            Op::Abs | Op::Phase => {
                want(1..=1)?;
                let t = complex_type(scalars[0]);
                let a = args.into_iter().next().expect("one").cast(&Type::Scalar(t));
                Ok(me.node(vec![a], Type::Scalar(t.real_part())))
            }
            Op::IsNan | Op::IsInf | Op::IsFinite => {
                want(1..=1)?;
                let t = complex_type(scalars[0]);
                let a = args.into_iter().next().expect("one").cast(&Type::Scalar(t));
                Ok(me.node(vec![a], Type::BOOL))
            }
            Op::Log => {
                want(1..=2)?;
                let t = Type::Scalar(scalars.iter().copied().map(complex_type).max().expect("one or two"));
                let args: Vec<Expr> = args.into_iter().map(|a| a.cast(&t)).collect();
                Ok(me.node(args, t))
            }
            Op::Libm(_) | Op::Log10 => {
                want(1..=1)?;
                let t = Type::Scalar(complex_type(scalars[0]));
                let a = args.into_iter().next().expect("one").cast(&t);
                Ok(me.node(vec![a], t))
            }
        }
    }

    fn lower(&self, lw: &mut Lowerer, args: &[V], _ty: &Type) -> V {
        match self.op {
            Op::Construct => lw.make_complex(Ty::CDouble, &args[0], &args[1]),
            Op::Real => lw.complex_parts(&args[0]).0,
            Op::Imag => lw.complex_parts(&args[0]).1,
            Op::Conjugate => lw.complex_conjugate(&args[0]),
            Op::Abs => lw.complex_abs(&args[0]),
            Op::Phase => lw.complex_phase(&args[0]),
            Op::IsNan | Op::IsInf | Op::IsFinite => {
                let (re, im) = lw.complex_parts(&args[0]);
                let pred = |lw: &mut Lowerer, x: &V| match self.op {
                    Op::IsNan => crate::lower::math::isnan(lw, std::slice::from_ref(x)),
                    Op::IsInf => crate::lower::math::isinf(lw, std::slice::from_ref(x)),
                    _ => crate::lower::math::isfinite(lw, std::slice::from_ref(x)),
                };
                let a = pred(lw, &re);
                let b = pred(lw, &im);
                let join = if self.op == Op::IsFinite { "and" } else { "or" };
                lw.inst(Ty::I1, format!("{join} i1 {}, {}", a.r, b.r))
            }
            Op::Libm(name) => lw.complex_call(name, &args[..1]),
            Op::Log => {
                let z = lw.complex_call("clog", &args[..1]);
                if args.len() == 1 {
                    return z;
                }
                let base = lw.complex_call("clog", &args[1..2]);
                lw.complex_binary(BinOp::TrueDiv, z, base)
            }
            Op::Log10 => {
                let z = lw.complex_call("clog", &args[..1]);
                let (re, im) = lw.complex_parts(&z);
                let pt = re.t;
                let ln10 = lw.float_constant(pt, std::f64::consts::LN_10);
                let fm = lw.fm();
                let re = lw.inst(pt, format!("fdiv {fm}{pt} {}, {ln10}", re.r));
                let im = lw.inst(pt, format!("fdiv {fm}{pt} {}, {ln10}", im.r));
                lw.make_complex(z.t, &re, &im)
            }
        }
    }

    fn examples(&self) -> Vec<Example> {
        // Complex functions are checked against CPython's cmath and NumPy in the Python suite
        // (python/tests/test_complex.py): the registry test's values are real.
        Vec::new()
    }
}
