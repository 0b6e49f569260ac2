//! The scalar math functions, one row each: the Python spellings (`math.x`, `np.x`), the arity,
//! how the row lowers (an LLVM intrinsic, a C library function, or a lowering of kcache's own),
//! its glibc libmvec name for vectorised loops under fastmath, and the arguments the registry
//! test checks it with. Typing is shared by every row: float32 arguments stay float32, anything
//! else computes in float64.

use std::fmt;

use crate::lower::{math, Lowerer, Ty, V};
use crate::parse::PyModule;
use crate::tir::{Expr, ExprKind};
use crate::types::{Scalar, Type};

/// How a row lowers.
#[derive(Clone, Copy)]
pub enum Lowering {
    /// `llvm.<name>.f32/.f64`.
    Intrinsic(&'static str),
    /// The C library function (`name`, `namef` for float32).
    Libm(&'static str),
    /// A lowering of kcache's own.
    Custom(fn(&mut Lowerer, &[V]) -> V),
}

/// What a row returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Result {
    Float,
    /// A float in NumPy (`np.floor`), an int in Python's math module (`math.floor`).
    IntFromMath,
    /// A truth value (`isnan`).
    Predicate,
}

pub struct MathRow {
    /// The name the typed IR prints.
    pub name: &'static str,
    /// Spellings in Python's `math` module.
    pub math: &'static [&'static str],
    /// Spellings in NumPy (scalars now; the same row serves arrays once they exist).
    pub numpy: &'static [&'static str],
    pub arity: usize,
    pub lowering: Lowering,
    pub result: Result,
    /// glibc's libmvec name, when it has vector variants: fastmath loops call those.
    pub libmvec: Option<&'static str>,
    /// In-domain arguments for the registry test (CPython raises outside the domain, kernels
    /// return NaN as Numba's do).
    pub samples: &'static [&'static [f64]],
}

/// A math function in the typed IR: a row of the table.
#[derive(Clone, Copy)]
pub struct MathFn(pub &'static MathRow);

impl PartialEq for MathFn {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for MathFn {}

impl fmt::Debug for MathFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl MathFn {
    pub fn arity(self) -> usize {
        self.0.arity
    }

    pub fn is_predicate(self) -> bool {
        self.0.result == Result::Predicate
    }

    /// The row named `name` (as the typed IR prints it); for builtins that reuse a row.
    pub fn named(name: &str) -> MathFn {
        MathFn(
            MATH.iter()
                .find(|r| r.name == name)
                .unwrap_or_else(|| panic!("no math row {name}")),
        )
    }
}

const POSITIVE: &[&[f64]] = &[&[0.5], &[2.0], &[7.25]];
const ANY: &[&[f64]] = &[&[-2.5], &[0.0], &[0.75], &[3.0]];
const UNIT: &[&[f64]] = &[&[-0.75], &[0.0], &[0.5]];
const PAIRS: &[&[f64]] = &[&[-2.5, 1.5], &[0.75, -3.0], &[4.0, 2.0]];

macro_rules! row {
    ($name:literal, math: [$($m:literal),*], numpy: [$($n:literal),*], $arity:literal, $lowering:expr,
     $result:ident, $libmvec:expr, $samples:expr) => {
        MathRow {
            name: $name,
            math: &[$($m),*],
            numpy: &[$($n),*],
            arity: $arity,
            lowering: $lowering,
            result: Result::$result,
            libmvec: $libmvec,
            samples: $samples,
        }
    };
}

use Lowering::{Custom, Intrinsic, Libm};

/// Every scalar math function kernels can call. Adding one is adding a row.
pub static MATH: &[MathRow] = &[
    row!("Sqrt", math: ["sqrt"], numpy: ["sqrt"], 1, Intrinsic("sqrt"), Float, None, POSITIVE),
    row!("Cbrt", math: ["cbrt"], numpy: ["cbrt"], 1, Libm("cbrt"), Float, Some("cbrt"), ANY),
    row!("Exp", math: ["exp"], numpy: ["exp"], 1, Intrinsic("exp"), Float, Some("exp"), ANY),
    row!("Exp2", math: ["exp2"], numpy: ["exp2"], 1, Intrinsic("exp2"), Float, Some("exp2"), ANY),
    row!("Expm1", math: ["expm1"], numpy: ["expm1"], 1, Libm("expm1"), Float, Some("expm1"), ANY),
    row!("Log", math: ["log"], numpy: ["log"], 1, Intrinsic("log"), Float, Some("log"), POSITIVE),
    row!("Log2", math: ["log2"], numpy: ["log2"], 1, Intrinsic("log2"), Float, Some("log2"), POSITIVE),
    row!("Log10", math: ["log10"], numpy: ["log10"], 1, Intrinsic("log10"), Float, Some("log10"), POSITIVE),
    row!("Log1p", math: ["log1p"], numpy: ["log1p"], 1, Libm("log1p"), Float, Some("log1p"), POSITIVE),
    row!("Sin", math: ["sin"], numpy: ["sin"], 1, Intrinsic("sin"), Float, Some("sin"), ANY),
    row!("Cos", math: ["cos"], numpy: ["cos"], 1, Intrinsic("cos"), Float, Some("cos"), ANY),
    row!("Tan", math: ["tan"], numpy: ["tan"], 1, Intrinsic("tan"), Float, Some("tan"), ANY),
    row!("Asin", math: ["asin"], numpy: ["arcsin", "asin"], 1, Libm("asin"), Float, Some("asin"), UNIT),
    row!("Acos", math: ["acos"], numpy: ["arccos", "acos"], 1, Libm("acos"), Float, Some("acos"), UNIT),
    row!("Atan", math: ["atan"], numpy: ["arctan", "atan"], 1, Libm("atan"), Float, Some("atan"), ANY),
    row!("Atan2", math: ["atan2"], numpy: ["arctan2", "atan2"], 2, Libm("atan2"), Float, Some("atan2"), PAIRS),
    row!("Sinh", math: ["sinh"], numpy: ["sinh"], 1, Libm("sinh"), Float, Some("sinh"), ANY),
    row!("Cosh", math: ["cosh"], numpy: ["cosh"], 1, Libm("cosh"), Float, Some("cosh"), ANY),
    row!("Tanh", math: ["tanh"], numpy: ["tanh"], 1, Libm("tanh"), Float, Some("tanh"), ANY),
    row!("Asinh", math: ["asinh"], numpy: ["arcsinh", "asinh"], 1, Libm("asinh"), Float, Some("asinh"), ANY),
    row!("Acosh", math: ["acosh"], numpy: ["arccosh", "acosh"], 1, Libm("acosh"), Float, Some("acosh"), &[&[1.0], &[2.5]]),
    row!("Atanh", math: ["atanh"], numpy: ["arctanh", "atanh"], 1, Libm("atanh"), Float, Some("atanh"), UNIT),
    row!("Erf", math: ["erf"], numpy: [], 1, Libm("erf"), Float, Some("erf"), ANY),
    row!("Erfc", math: ["erfc"], numpy: [], 1, Libm("erfc"), Float, Some("erfc"), ANY),
    row!("Gamma", math: ["gamma"], numpy: [], 1, Libm("tgamma"), Float, None, &[&[0.5], &[3.0], &[-1.5]]),
    row!("Lgamma", math: ["lgamma"], numpy: [], 1, Libm("lgamma"), Float, None, POSITIVE),
    row!("Floor", math: ["floor"], numpy: ["floor"], 1, Intrinsic("floor"), IntFromMath, None, ANY),
    row!("Ceil", math: ["ceil"], numpy: ["ceil"], 1, Intrinsic("ceil"), IntFromMath, None, ANY),
    row!("Trunc", math: ["trunc"], numpy: ["trunc"], 1, Intrinsic("trunc"), IntFromMath, None, ANY),
    row!("RoundEven", math: [], numpy: ["rint"], 1, Intrinsic("roundeven"), Float, None, &[&[2.5], &[-3.5], &[0.25]]),
    row!("Fabs", math: ["fabs"], numpy: ["fabs"], 1, Intrinsic("fabs"), Float, None, ANY),
    row!("Copysign", math: ["copysign"], numpy: ["copysign"], 2, Intrinsic("copysign"), Float, None, PAIRS),
    row!("Hypot", math: ["hypot"], numpy: ["hypot"], 2, Libm("hypot"), Float, Some("hypot"), PAIRS),
    row!("NextAfter", math: ["nextafter"], numpy: ["nextafter"], 2, Libm("nextafter"), Float, None, PAIRS),
    row!("Pow", math: ["pow"], numpy: ["power", "pow"], 2, Custom(math::pow), Float, Some("pow"), &[&[2.5, 1.5], &[4.0, -0.5], &[-2.0, 3.0]]),
    row!("Fmod", math: ["fmod"], numpy: ["fmod"], 2, Custom(math::fmod), Float, None, PAIRS),
    row!("Degrees", math: ["degrees"], numpy: ["degrees", "rad2deg"], 1, Custom(math::degrees), Float, None, ANY),
    row!("Radians", math: ["radians"], numpy: ["radians", "deg2rad"], 1, Custom(math::radians), Float, None, ANY),
    row!("IsNan", math: ["isnan"], numpy: ["isnan"], 1, Custom(math::isnan), Predicate, None, ANY),
    row!("IsInf", math: ["isinf"], numpy: ["isinf"], 1, Custom(math::isinf), Predicate, None, ANY),
    row!("IsFinite", math: ["isfinite"], numpy: ["isfinite"], 1, Custom(math::isfinite), Predicate, None, ANY),
    row!("NanMin", math: [], numpy: ["minimum"], 2, Intrinsic("minimum"), Float, None, PAIRS),
    row!("NanMax", math: [], numpy: ["maximum"], 2, Intrinsic("maximum"), Float, None, PAIRS),
];

/// The row `module.name` spells, if any.
pub fn lookup(module: PyModule, name: &str) -> Option<MathFn> {
    MATH.iter()
        .find(|r| match module {
            PyModule::Math => r.math.contains(&name),
            PyModule::Numpy => r.numpy.contains(&name),
            PyModule::Numba | PyModule::Random | PyModule::NumpyRandom | PyModule::NumpyLinalg | PyModule::Cmath => {
                false
            }
        })
        .map(MathFn)
}

/// Types a call of a row (the shared rule). `Err` is the message for a type error.
pub fn infer(func: MathFn, spelled: &str, module: PyModule, args: Vec<Expr>) -> std::result::Result<Expr, String> {
    if args.len() != func.arity() {
        return Err(format!(
            "{spelled}() takes {} argument(s), {} given",
            func.arity(),
            args.len()
        ));
    }
    let mut ft = Scalar::F32;
    for a in &args {
        let Some(s) = a.ty.scalar() else {
            return Err(format!("{spelled}() of {} (array arguments are not supported)", a.ty));
        };
        if s.is_complex() {
            return Err(format!("{spelled}() of a complex number (use cmath)"));
        }
        // float32 stays float32; every integer goes to float64.
        if s != Scalar::F32 {
            ft = Scalar::F64;
        }
    }
    let t = Type::Scalar(ft);
    let args: Vec<Expr> = args.into_iter().map(|a| a.cast(&t)).collect();
    Ok(match func.0.result {
        Result::Predicate => Expr::new(ExprKind::Math { func, args }, Type::BOOL),
        // math.floor/ceil/trunc return int in Python (numpy's keep the float).
        Result::IntFromMath if module == PyModule::Math => Expr::new(ExprKind::Math { func, args }, t).cast(&Type::I64),
        _ => Expr::new(ExprKind::Math { func, args }, t),
    })
}

impl Ty {
    /// The C library's name of `base` for this float type (`sinf` for float32).
    pub fn libm_name(self, base: &str) -> String {
        if self == Ty::Float {
            format!("{base}f")
        } else {
            base.to_string()
        }
    }
}
