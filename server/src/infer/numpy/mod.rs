//! NumPy inside kernels: whole-array expressions and ufuncs (typed into `ArrayMap`s, which the
//! array-expression pass fuses), array creation, reductions, views, and the array methods and
//! attributes. Dtypes follow NumPy's promotion for array with array, and Numba's rule for array
//! with scalar (a scalar of the same kind does not change the array's dtype).

use super::*;
use crate::builtins::complex::ComplexFn;
use crate::builtins::math::{self as math_rows, MathFn};
use crate::builtins::{scalar::Abs, scalar::MAX, scalar::MIN, Builtin, BuiltinFn};
use crate::types::{unify_scalar, ArrayType, Layout};

mod create;
mod elementwise;
mod library;
mod operators;
mod out;
mod reduce;
mod views;

/// A call's arguments as written: dtype and shape arguments are read syntactically.
pub(in crate::infer) struct CallArgs<'a> {
    pub pos: Vec<&'a PyExpr>,
    pub kw: Vec<(&'a str, &'a PyExpr)>,
    pub range: TextRange,
}

impl<'a> CallArgs<'a> {
    pub(super) fn of(call: &'a ast::ExprCall) -> Self {
        CallArgs {
            pos: call.arguments.args.iter().collect(),
            kw: call
                .arguments
                .keywords
                .iter()
                .filter_map(|k| k.arg.as_ref().map(|a| (a.id.as_str(), &k.value)))
                .collect(),
            range: call.range(),
        }
    }

    /// The arguments after the first positional one (a method's view of `np.f(a, ...)`).
    pub(super) fn after_first(&self) -> CallArgs<'a> {
        CallArgs {
            pos: self.pos.iter().skip(1).copied().collect(),
            kw: self.kw.clone(),
            range: self.range,
        }
    }

    /// Positional argument `i`, or the keyword `name`.
    pub(super) fn get(&self, i: usize, name: &str) -> Option<&'a PyExpr> {
        self.pos
            .get(i)
            .copied()
            .or_else(|| self.kw.iter().find(|(k, _)| *k == name).map(|(_, v)| *v))
    }
}

/// How a new array's shape is given.
pub(in crate::infer) enum Shape {
    Dims(Vec<Expr>),
    /// The shape of this array (`np.zeros(a.shape)`, `np.zeros_like(a)`).
    Like(Expr),
}

pub(in crate::infer) fn kind(s: Scalar) -> u8 {
    match s {
        Scalar::Bool => 0,
        Scalar::F32 | Scalar::F64 => 2,
        Scalar::C64 | Scalar::C128 => 3,
        _ => 1,
    }
}

/// The element type of an element-wise operation on `inputs` (arrays and scalars).
pub(in crate::infer) fn result_dtype(inputs: &[&Type]) -> Scalar {
    let arrays: Vec<Scalar> = inputs.iter().filter_map(|t| t.array().map(|a| a.dtype)).collect();
    let scalars: Vec<Scalar> = inputs.iter().filter_map(|t| t.scalar()).collect();
    let Some(mut dt) = arrays.iter().copied().reduce(unify_scalar) else {
        return scalars.iter().copied().reduce(unify_scalar).unwrap_or(Scalar::F64);
    };
    for s in scalars {
        // Numba: a scalar of the array's kind or a lower one keeps the array's dtype.
        if kind(s) > kind(dt) {
            // A complex scalar with a float32 array stays single precision (NumPy).
            dt = if s.is_complex() && dt == Scalar::F32 {
                Scalar::C64
            } else {
                unify_scalar(dt, s)
            };
        }
    }
    dt
}

pub(in crate::infer) fn elem(k: usize, ty: &Type) -> Expr {
    let s = match ty {
        Type::Array(a) => a.dtype,
        other => other.scalar().expect("map inputs are arrays or scalars"),
    };
    Expr::new(ExprKind::Elem(k), Type::Scalar(s))
}

/// A new array of `dt` whose elements are `body` over the broadcast inputs.
pub(in crate::infer) fn map_elements(dt: Scalar, inputs: Vec<Expr>, body: Expr) -> Expr {
    let ndim = max_ndim(&inputs);
    new_array(
        dt,
        ndim,
        ArrayMap {
            inputs,
            shape: None,
            body: Some(body),
        },
    )
}

pub(in crate::infer) fn new_array(dtype: Scalar, ndim: u8, map: ArrayMap) -> Expr {
    Expr::new(
        ExprKind::ArrayMap(Box::new(map)),
        Type::Array(ArrayType {
            dtype,
            ndim,
            layout: Layout::C,
        }),
    )
}

pub(in crate::infer) fn max_ndim(inputs: &[Expr]) -> u8 {
    inputs
        .iter()
        .filter_map(|e| e.ty.array().map(|a| a.ndim))
        .max()
        .unwrap_or(0)
}

pub(in crate::infer) fn is_array(e: &Expr) -> bool {
    e.ty.array().is_some()
}

const REDUCTIONS: &[(&str, ReduceOp)] = &[
    ("sum", ReduceOp::Sum),
    ("prod", ReduceOp::Prod),
    ("min", ReduceOp::Min),
    ("amin", ReduceOp::Min),
    ("max", ReduceOp::Max),
    ("amax", ReduceOp::Max),
    ("argmin", ReduceOp::ArgMin),
    ("argmax", ReduceOp::ArgMax),
    ("mean", ReduceOp::Mean),
    ("var", ReduceOp::Var),
    ("std", ReduceOp::Std),
    ("any", ReduceOp::Any),
    ("all", ReduceOp::All),
];

/// The type of a reduction's result elements (NumPy's: sums of small integers are int64).
pub(in crate::infer) fn reduce_dtype(op: ReduceOp, dt: Scalar) -> Scalar {
    match op {
        ReduceOp::Sum | ReduceOp::Prod => match dt {
            Scalar::Bool | Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64 => Scalar::I64,
            Scalar::U8 | Scalar::U16 | Scalar::U32 | Scalar::U64 => Scalar::U64,
            f => f,
        },
        ReduceOp::Min | ReduceOp::Max => dt,
        ReduceOp::ArgMin | ReduceOp::ArgMax => Scalar::I64,
        ReduceOp::Mean if dt.is_complex() => dt,
        ReduceOp::Mean | ReduceOp::Var | ReduceOp::Std => {
            if dt == Scalar::F32 {
                Scalar::F32
            } else {
                Scalar::F64
            }
        }
        ReduceOp::Any | ReduceOp::All => Scalar::Bool,
    }
}

/// The layout of a view: integer indices on the leading dimensions of a C array and full
/// slices after them keep it C; anything else may be strided (A).
pub(in crate::infer) fn view_layout(at: ArrayType, indices: &[ViewIndex]) -> Layout {
    if at.layout != Layout::C {
        return Layout::A;
    }
    let mut seen_slice = false;
    for (d, i) in indices.iter().enumerate() {
        match i {
            ViewIndex::At(_) if !seen_slice => {}
            ViewIndex::Slice {
                start: None,
                stop: None,
                step: None,
            } => seen_slice = true,
            // A leading slice with unit step of a C array stays C when everything after it is full.
            ViewIndex::Slice { step: None, .. } if !seen_slice && d + 1 == indices.len() => seen_slice = true,
            ViewIndex::Slice { step: None, .. }
                if !seen_slice
                    && indices[d + 1..].iter().all(|x| {
                        matches!(
                            x,
                            ViewIndex::Slice {
                                start: None,
                                stop: None,
                                step: None
                            }
                        )
                    }) =>
            {
                seen_slice = true
            }
            _ => return Layout::A,
        }
    }
    Layout::C
}
