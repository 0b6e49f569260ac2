//! NumPy inside kernels: whole-array expressions and ufuncs (typed into `ArrayMap`s, which the
//! array-expression pass fuses), array creation, reductions, views, and the array methods and
//! attributes. Dtypes follow NumPy's promotion for array with array, and Numba's rule for array
//! with scalar (a scalar of the same kind does not change the array's dtype).

use super::*;
use crate::builtins::math::{self as math_rows, MathFn};
use crate::builtins::{scalar::Abs, scalar::MAX, scalar::MIN, BuiltinFn};
use crate::types::{unify_scalar, ArrayType, Layout};

/// A call's arguments as written: dtype and shape arguments are read syntactically.
pub(super) struct CallArgs<'a> {
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
enum Shape {
    Dims(Vec<Expr>),
    /// The shape of this array (`np.zeros(a.shape)`, `np.zeros_like(a)`).
    Like(Expr),
}

fn kind(s: Scalar) -> u8 {
    match s {
        Scalar::Bool => 0,
        Scalar::F32 | Scalar::F64 => 2,
        _ => 1,
    }
}

/// The element type of an element-wise operation on `inputs` (arrays and scalars).
pub(super) fn result_dtype(inputs: &[&Type]) -> Scalar {
    let arrays: Vec<Scalar> = inputs.iter().filter_map(|t| t.array().map(|a| a.dtype)).collect();
    let scalars: Vec<Scalar> = inputs.iter().filter_map(|t| t.scalar()).collect();
    let Some(mut dt) = arrays.iter().copied().reduce(unify_scalar) else {
        return scalars.iter().copied().reduce(unify_scalar).unwrap_or(Scalar::F64);
    };
    for s in scalars {
        // Numba: a scalar of the array's kind or a lower one keeps the array's dtype.
        if kind(s) > kind(dt) {
            dt = unify_scalar(dt, s);
        }
    }
    dt
}

pub(super) fn elem(k: usize, ty: &Type) -> Expr {
    let s = match ty {
        Type::Array(a) => a.dtype,
        other => other.scalar().expect("map inputs are arrays or scalars"),
    };
    Expr::new(ExprKind::Elem(k), Type::Scalar(s))
}

fn new_array(dtype: Scalar, ndim: u8, map: ArrayMap) -> Expr {
    Expr::new(
        ExprKind::ArrayMap(Box::new(map)),
        Type::Array(ArrayType {
            dtype,
            ndim,
            layout: Layout::C,
        }),
    )
}

fn max_ndim(inputs: &[Expr]) -> u8 {
    inputs
        .iter()
        .filter_map(|e| e.ty.array().map(|a| a.ndim))
        .max()
        .unwrap_or(0)
}

pub(super) fn is_array(e: &Expr) -> bool {
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
pub(super) fn reduce_dtype(op: ReduceOp, dt: Scalar) -> Scalar {
    match op {
        ReduceOp::Sum | ReduceOp::Prod => match dt {
            Scalar::Bool | Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64 => Scalar::I64,
            Scalar::U8 | Scalar::U16 | Scalar::U32 | Scalar::U64 => Scalar::U64,
            f => f,
        },
        ReduceOp::Min | ReduceOp::Max => dt,
        ReduceOp::ArgMin | ReduceOp::ArgMax => Scalar::I64,
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

impl<'m, 'src> Inferer<'m, 'src> {
    /// `a op b` where either side is an array.
    pub(super) fn array_binary(&self, op: BinOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        for side in [&lhs, &rhs] {
            if !side.ty.is_numeric() && !is_array(side) {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("unsupported operand types: {} and {}", lhs.ty, rhs.ty),
                ));
            }
        }
        let mut dt = result_dtype(&[&lhs.ty, &rhs.ty]);
        let bitwise = matches!(
            op,
            BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
        );
        if bitwise && dt.is_float() {
            return Err(self.err(
                DiagKind::Type,
                range,
                "bitwise operators on float arrays are not defined (NumPy raises too)",
            ));
        }
        // NumPy: bool arrays add and multiply as logical or/and; kcache counts them as int64.
        if dt == Scalar::Bool && !matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) {
            dt = Scalar::I64;
        }
        let (operand, result) = match op {
            BinOp::TrueDiv if !dt.is_float() => (Scalar::F64, Scalar::F64),
            _ => (dt, dt),
        };
        let ot = Type::Scalar(operand);
        let body = Expr::new(
            ExprKind::Binary {
                op,
                lhs: Box::new(elem(0, &lhs.ty).cast(&ot)),
                rhs: Box::new(elem(1, &rhs.ty).cast(&ot)),
            },
            Type::Scalar(result),
        );
        let inputs = vec![lhs, rhs];
        let ndim = max_ndim(&inputs);
        Ok(new_array(
            result,
            ndim,
            ArrayMap {
                inputs,
                shape: None,
                body: Some(body),
            },
        ))
    }

    /// `a < b` where either side is an array: a boolean array.
    pub(super) fn array_compare(&self, op: CmpOp, lhs: Expr, rhs: Expr) -> Expr {
        let dt = result_dtype(&[&lhs.ty, &rhs.ty]);
        let ot = Type::Scalar(dt);
        let body = Expr::new(
            ExprKind::Compare {
                op,
                lhs: Box::new(elem(0, &lhs.ty).cast(&ot)),
                rhs: Box::new(elem(1, &rhs.ty).cast(&ot)),
            },
            Type::BOOL,
        );
        let inputs = vec![lhs, rhs];
        let ndim = max_ndim(&inputs);
        new_array(
            Scalar::Bool,
            ndim,
            ArrayMap {
                inputs,
                shape: None,
                body: Some(body),
            },
        )
    }

    /// `-a`, `~a`, `not`-free unary operators on an array: the dtype stays (NumPy does not widen).
    pub(super) fn array_unary(&self, op: ast::UnaryOp, operand: Expr, range: TextRange) -> R<Expr> {
        let at = operand.ty.array().expect("caller checked");
        let e = elem(0, &operand.ty);
        let body = match op {
            ast::UnaryOp::UAdd => e,
            ast::UnaryOp::USub if at.dtype != Scalar::Bool => Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Neg,
                    operand: Box::new(e),
                },
                Type::Scalar(at.dtype),
            ),
            ast::UnaryOp::Invert if !at.dtype.is_float() => Expr::new(
                ExprKind::Unary {
                    op: if at.dtype == Scalar::Bool {
                        UnaryOp::Not
                    } else {
                        UnaryOp::BitNot
                    },
                    operand: Box::new(e),
                },
                Type::Scalar(at.dtype),
            ),
            _ => {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("this unary operator on an array of {}", at.dtype.name()),
                ))
            }
        };
        Ok(new_array(
            at.dtype,
            at.ndim,
            ArrayMap {
                inputs: vec![operand],
                shape: None,
                body: Some(body),
            },
        ))
    }

    /// A math row applied to arrays (a ufunc): element-wise, with the row's scalar typing.
    pub(super) fn array_ufunc(&self, func: MathFn, spelled: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
        if args.len() != func.arity() {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("{spelled}() takes {} argument(s), {} given", func.arity(), args.len()),
            ));
        }
        let ints = args.iter().all(|a| {
            let s = a.ty.array().map(|a| a.dtype).or(a.ty.scalar());
            s.is_some_and(|s| !s.is_float())
        });
        // NumPy 2: np.floor / np.ceil / np.trunc of integers are the integers themselves.
        if ints && func.0.result == math_rows::Result::IntFromMath {
            let a = args.into_iter().next().expect("arity 1");
            let dt = a.ty.array().expect("an array argument").dtype;
            return Ok(self.converted_copy(a, dt));
        }
        // np.minimum / np.maximum keep integer dtypes.
        if ints && matches!(func.0.name, "NanMin" | "NanMax") {
            let dt = result_dtype(&args.iter().map(|a| &a.ty).collect::<Vec<_>>());
            let t = Type::Scalar(dt);
            let builtin = BuiltinFn(if func.0.name == "NanMax" { &MAX } else { &MIN });
            let body = Expr::new(
                ExprKind::Builtin {
                    builtin,
                    args: args.iter().enumerate().map(|(k, a)| elem(k, &a.ty).cast(&t)).collect(),
                },
                t,
            );
            let ndim = max_ndim(&args);
            return Ok(new_array(
                dt,
                ndim,
                ArrayMap {
                    inputs: args,
                    shape: None,
                    body: Some(body),
                },
            ));
        }
        let elems: Vec<Expr> = args.iter().enumerate().map(|(k, a)| elem(k, &a.ty)).collect();
        let body =
            math_rows::infer(func, spelled, PyModule::Numpy, elems).map_err(|m| self.err(DiagKind::Type, range, m))?;
        let dt = body.ty.scalar().expect("math rows are scalar");
        let ndim = max_ndim(&args);
        Ok(new_array(
            dt,
            ndim,
            ArrayMap {
                inputs: args,
                shape: None,
                body: Some(body),
            },
        ))
    }

    /// `abs(a)` / `np.abs(a)` of an array: the dtype stays (integers wrap, as NumPy's).
    pub(super) fn array_abs(&self, a: Expr) -> Expr {
        let at = a.ty.array().expect("caller checked");
        let e = elem(0, &a.ty);
        let body = if at.dtype.is_float() {
            Expr::new(
                ExprKind::Math {
                    func: MathFn::named("Fabs"),
                    args: vec![e],
                },
                Type::Scalar(at.dtype),
            )
        } else if at.dtype.is_signed() {
            Expr::new(
                ExprKind::Builtin {
                    builtin: BuiltinFn(&Abs),
                    args: vec![e],
                },
                Type::Scalar(at.dtype),
            )
        } else {
            e
        };
        new_array(
            at.dtype,
            at.ndim,
            ArrayMap {
                inputs: vec![a],
                shape: None,
                body: Some(body),
            },
        )
    }

    /// A dtype argument: `np.float32`, `numba.int8`, `float`, `"float32"`, `a.dtype`.
    fn dtype_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Scalar> {
        let bad_range = e.range();
        let bad = || {
            Fail::Error(self.module.error(
                DiagKind::Unsupported,
                bad_range,
                "this dtype (give np.float64, np.int32, float, a.dtype, ...)",
            ))
        };
        match e {
            PyExpr::Name(n) if !fx.locals.contains(n.id.as_str()) => match n.id.as_str() {
                "float" => Ok(Scalar::F64),
                "int" => Ok(Scalar::I64),
                "bool" => Ok(Scalar::Bool),
                id => match self.module.imports.get(id) {
                    Some(Imported::Member(PyModule::Numpy, m)) => Scalar::from_numpy_name(m).ok_or_else(bad),
                    Some(Imported::Member(PyModule::Numba, m)) => Scalar::from_name(m).ok_or_else(bad),
                    _ => Err(bad()),
                },
            },
            PyExpr::StringLiteral(s) => Scalar::from_numpy_name(s.value.to_str())
                .or_else(|| Scalar::from_name(s.value.to_str()))
                .ok_or_else(bad),
            PyExpr::Attribute(a) if a.attr.id.as_str() == "dtype" => {
                let v = self.expr(fx, &a.value)?;
                v.ty.array().map(|at| at.dtype).ok_or_else(|| {
                    Fail::Error(
                        self.module
                            .error(DiagKind::Type, bad_range, format!("'dtype' of {}", v.ty)),
                    )
                })
            }
            PyExpr::Attribute(a) => match &*a.value {
                PyExpr::Name(base) => match self.module.imports.get(base.id.as_str()) {
                    Some(Imported::Module(PyModule::Numpy)) => {
                        Scalar::from_numpy_name(a.attr.id.as_str()).ok_or_else(bad)
                    }
                    Some(Imported::Module(PyModule::Numba)) => Scalar::from_name(a.attr.id.as_str()).ok_or_else(bad),
                    _ => Err(bad()),
                },
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    pub(super) fn int_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let v = self.expr(fx, e)?;
        match v.ty.scalar() {
            Some(s) if !s.is_float() => Ok(v.cast(&Type::I64)),
            _ => Err(self.err(DiagKind::Type, e.range(), format!("expected an integer, got {}", v.ty))),
        }
    }

    /// A shape argument: an int, a tuple of ints, or an array's `.shape`.
    fn shape_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Shape> {
        match e {
            PyExpr::Tuple(t) => Ok(Shape::Dims(
                t.elts.iter().map(|x| self.int_arg(fx, x)).collect::<R<_>>()?,
            )),
            PyExpr::List(l) => Ok(Shape::Dims(
                l.elts.iter().map(|x| self.int_arg(fx, x)).collect::<R<_>>()?,
            )),
            PyExpr::Attribute(a) if a.attr.id.as_str() == "shape" => {
                let v = self.expr(fx, &a.value)?;
                if is_array(&v) {
                    Ok(Shape::Like(v))
                } else {
                    Err(self.err(DiagKind::Type, e.range(), format!("'shape' of {}", v.ty)))
                }
            }
            _ => {
                let v = self.expr(fx, e)?;
                match &v.ty {
                    Type::IntTuple(_) => {
                        let ExprKind::ArrayDim { array, .. } = v.kind else {
                            return Err(self.err(DiagKind::Unsupported, e.range(), "this shape"));
                        };
                        Ok(Shape::Like(*array))
                    }
                    Type::Tuple(items) if items.iter().all(|t| t.scalar().is_some_and(|s| !s.is_float())) => {
                        let dims = if pure(&v) {
                            self.tuple_items(v)
                        } else {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                e.range(),
                                "a shape computed by a call (assign it to a variable first)",
                            ));
                        };
                        Ok(Shape::Dims(dims.into_iter().map(|d| d.cast(&Type::I64)).collect()))
                    }
                    t if t.scalar().is_some_and(|s| !s.is_float()) => Ok(Shape::Dims(vec![v.cast(&Type::I64)])),
                    t => Err(self.err(DiagKind::Type, e.range(), format!("a shape must be ints, not {t}"))),
                }
            }
        }
    }

    pub(super) fn check_kwargs(&self, args: &CallArgs, allowed: &[&str], what: &str) -> R<()> {
        for (k, v) in &args.kw {
            if !allowed.contains(k) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    v.range(),
                    format!("keyword argument '{k}' of {what}"),
                ));
            }
        }
        Ok(())
    }

    /// A new array with `shape` whose elements are `fill` (a scalar, or `None`: uninitialised).
    /// `__kc_stencil_output(a.shape, cval, body(...))` in a stencil's driver (python/kcache/
    /// _stencil.py): the output array, `cval` everywhere, of the type the body returns (the
    /// body call only gives the type; it does not run).
    pub(super) fn stencil_output(&self, mut args: Vec<Expr>, range: TextRange) -> R<Expr> {
        if args.len() != 3 {
            return Err(self.err(DiagKind::Type, range, "__kc_stencil_output takes 3 arguments"));
        }
        let sample = args.pop().expect("three");
        let cval = args.pop().expect("three");
        let Some(dtype) = sample.ty.scalar() else {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("a stencil kernel returns a number, not {}", sample.ty),
            ));
        };
        let shape = args.pop().expect("three");
        let ExprKind::ArrayDim { array, .. } = shape.kind else {
            return Err(self.err(DiagKind::Type, range, "a stencil's output takes its input's shape"));
        };
        Ok(self.filled(Shape::Like(*array), dtype, Some(cval)))
    }

    fn filled(&self, shape: Shape, dtype: Scalar, fill: Option<Expr>) -> Expr {
        let t = Type::Scalar(dtype);
        match shape {
            Shape::Dims(dims) => {
                let ndim = dims.len() as u8;
                let (inputs, body) = match fill {
                    Some(v) => (vec![v.cast(&t)], Some(Expr::new(ExprKind::Elem(0), t))),
                    None => (vec![], None),
                };
                new_array(
                    dtype,
                    ndim,
                    ArrayMap {
                        inputs,
                        shape: Some(dims),
                        body,
                    },
                )
            }
            Shape::Like(a) => {
                let ndim = a.ty.array().expect("shapes come from arrays").ndim;
                let (inputs, body) = match fill {
                    Some(v) => (vec![a, v.cast(&t)], Some(Expr::new(ExprKind::Elem(1), t))),
                    None => (vec![a], None),
                };
                new_array(
                    dtype,
                    ndim,
                    ArrayMap {
                        inputs,
                        shape: None,
                        body,
                    },
                )
            }
        }
    }

    /// `np.<name>(...)` when it is an array function; `None` for everything else.
    pub(super) fn numpy_call(&mut self, fx: &mut FnCx, name: &str, args: &CallArgs) -> R<Option<Expr>> {
        let range = args.range;
        let need = |this: &Self, i: usize, what: &str| -> R<&PyExpr> {
            args.get(i, what).ok_or_else(|| {
                this.err(
                    DiagKind::Type,
                    range,
                    format!("np.{name}() needs its '{what}' argument"),
                )
            })
        };
        let e = match name {
            "empty" | "zeros" | "ones" => {
                self.check_kwargs(args, &["shape", "dtype"], &format!("np.{name}"))?;
                let shape = self.shape_arg(fx, need(self, 0, "shape")?)?;
                let dtype = match args.get(1, "dtype") {
                    Some(d) => self.dtype_arg(fx, d)?,
                    None => Scalar::F64,
                };
                let fill = match name {
                    "zeros" => Some(const_expr(ConstValue::Int(0))),
                    "ones" => Some(const_expr(ConstValue::Int(1))),
                    _ => None,
                };
                self.filled(shape, dtype, fill)
            }
            "full" => {
                self.check_kwargs(args, &["shape", "fill_value", "dtype"], "np.full")?;
                let shape = self.shape_arg(fx, need(self, 0, "shape")?)?;
                let fill = self.expr(fx, need(self, 1, "fill_value")?)?;
                let dtype = match args.get(2, "dtype") {
                    Some(d) => self.dtype_arg(fx, d)?,
                    None => fill
                        .ty
                        .scalar()
                        .ok_or_else(|| self.err(DiagKind::Type, range, "np.full of a non-scalar"))?,
                };
                self.filled(shape, dtype, Some(fill))
            }
            "empty_like" | "zeros_like" | "ones_like" | "full_like" => {
                self.check_kwargs(args, &["a", "prototype", "fill_value", "dtype"], &format!("np.{name}"))?;
                let a = self.expr(fx, need(self, 0, "a")?)?;
                let Some(at) = a.ty.array() else {
                    return Err(self.err(DiagKind::Type, range, format!("np.{name}() of {}", a.ty)));
                };
                let (fill, dtype_pos) = match name {
                    "zeros_like" => (Some(const_expr(ConstValue::Int(0))), 1),
                    "ones_like" => (Some(const_expr(ConstValue::Int(1))), 1),
                    "full_like" => (Some(self.expr(fx, need(self, 1, "fill_value")?)?), 2),
                    _ => (None, 1),
                };
                let dtype = match args.get(dtype_pos, "dtype") {
                    Some(d) => self.dtype_arg(fx, d)?,
                    None => at.dtype,
                };
                self.filled(Shape::Like(a), dtype, fill)
            }
            "arange" => {
                self.check_kwargs(args, &["start", "stop", "step", "dtype"], "np.arange")?;
                let vals: Vec<Expr> = args.pos.iter().map(|p| self.expr(fx, p)).collect::<R<_>>()?;
                let kw = |this: &mut Self, fx: &mut FnCx, k: &str| -> R<Option<Expr>> {
                    args.kw
                        .iter()
                        .find(|(n, _)| *n == k)
                        .map(|(_, v)| this.expr(fx, v))
                        .transpose()
                };
                let mut it = vals.into_iter();
                let (start, stop, step) = match args.pos.len() {
                    0 => (kw(self, fx, "start")?, kw(self, fx, "stop")?, kw(self, fx, "step")?),
                    1 => (None, it.next(), kw(self, fx, "step")?),
                    2 => (it.next(), it.next(), kw(self, fx, "step")?),
                    _ => (it.next(), it.next(), it.next()),
                };
                let Some(stop) = stop else {
                    return Err(self.err(DiagKind::Type, range, "np.arange() needs a stop"));
                };
                let stop_part = Some(stop.clone());
                let parts: Vec<&Expr> = [&start, &stop_part, &step].into_iter().flatten().collect();
                if parts.iter().any(|p| !p.ty.is_numeric()) {
                    return Err(self.err(DiagKind::Type, range, "np.arange() of non-numbers"));
                }
                let float = parts.iter().any(|p| p.ty.scalar().is_some_and(|s| s.is_float()));
                let dtype = match args.kw.iter().find(|(n, _)| *n == "dtype") {
                    Some((_, d)) => self.dtype_arg(fx, d)?,
                    None if float => Scalar::F64,
                    None => Scalar::I64,
                };
                self.arange(start, stop, step, float, dtype)
            }
            "linspace" => {
                self.check_kwargs(args, &["start", "stop", "num", "endpoint", "dtype"], "np.linspace")?;
                let start = self.expr(fx, need(self, 0, "start")?)?.cast(&Type::F64);
                let stop = self.expr(fx, need(self, 1, "stop")?)?.cast(&Type::F64);
                let num = match args.get(2, "num") {
                    Some(n) => self.int_arg(fx, n)?,
                    None => const_expr(ConstValue::Int(50)),
                };
                let endpoint = match args.get(3, "endpoint") {
                    Some(e) => {
                        let v = self.expr(fx, e)?;
                        self.truthy(v, e.range())?
                    }
                    None => const_expr(ConstValue::Bool(true)),
                };
                let dtype = match args.get(5, "dtype") {
                    Some(d) => self.dtype_arg(fx, d)?,
                    None => Scalar::F64,
                };
                self.linspace(start, stop, num, endpoint, dtype)
            }
            "copy" | "asarray" | "ascontiguousarray" | "array" => {
                self.check_kwargs(args, &["a", "dtype"], &format!("np.{name}"))?;
                let a = self.expr(fx, need(self, 0, "a")?)?;
                if a.ty.list_item().is_some() {
                    let dtype = match args.get(1, "dtype") {
                        Some(d) => Some(self.dtype_arg(fx, d)?),
                        None => None,
                    };
                    return self.list_to_array(a, dtype, range).map(Some);
                }
                let Some(at) = a.ty.array() else {
                    return Err(self.err(DiagKind::Unsupported, range, format!("np.{name}() of {}", a.ty)));
                };
                let dtype = match args.get(1, "dtype") {
                    Some(d) => self.dtype_arg(fx, d)?,
                    None => at.dtype,
                };
                if name == "asarray" && dtype == at.dtype {
                    a
                } else {
                    self.converted_copy(a, dtype)
                }
            }
            "where" => {
                self.check_kwargs(args, &[], "np.where")?;
                if args.pos.len() != 3 {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        "np.where() with one argument (use a mask: a[a > 0])",
                    ));
                }
                let c = self.expr(fx, args.pos[0])?;
                let x = self.expr(fx, args.pos[1])?;
                let y = self.expr(fx, args.pos[2])?;
                let dt = result_dtype(&[&x.ty, &y.ty]);
                let t = Type::Scalar(dt);
                let cond = self.truthy(elem(0, &c.ty), range)?;
                let body = Expr::new(
                    ExprKind::IfExp {
                        cond: Box::new(cond),
                        then: Box::new(elem(1, &x.ty).cast(&t)),
                        orelse: Box::new(elem(2, &y.ty).cast(&t)),
                    },
                    t,
                );
                let inputs = vec![c, x, y];
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
            "transpose" | "reshape" | "ravel" => {
                let a = self.expr(fx, need(self, 0, "a")?)?;
                let rest = args.after_first();
                return self.array_method(fx, a, name, &rest).map(Some);
            }
            "dot" | "matmul" => {
                self.check_kwargs(args, &[], &format!("np.{name}"))?;
                let a = self.expr(fx, need(self, 0, "a")?)?;
                let b = self.expr(fx, need(self, 1, "b")?)?;
                self.dot(a, b, range)?
            }
            "sort" | "argsort" | "median" | "percentile" | "quantile" => {
                let a = self.expr(fx, need(self, 0, "a")?)?;
                if !is_array(&a) {
                    return Ok(None);
                }
                self.order_statistic(fx, name, a, &args.after_first())?
            }
            "cumsum" | "cumprod" => {
                let a = self.expr(fx, need(self, 0, "a")?)?;
                if !is_array(&a) {
                    return Ok(None);
                }
                let rest = args.after_first();
                self.scan(fx, name == "cumprod", a, &rest)?
            }
            _ => {
                if let Some((_, op)) = REDUCTIONS.iter().find(|(n, _)| *n == name) {
                    let a = self.expr(fx, need(self, 0, "a")?)?;
                    if !is_array(&a) {
                        return Ok(None);
                    }
                    let rest = args.after_first();
                    return self.reduction(fx, *op, a, &rest).map(Some);
                }
                return Ok(None);
            }
        };
        Ok(Some(e))
    }

    /// np.arange: NumPy fills `start + i * delta` with `delta = (start + step) - start` in the
    /// result type, so floats round as NumPy's do.
    fn arange(&self, start: Option<Expr>, stop: Expr, step: Option<Expr>, float: bool, dtype: Scalar) -> Expr {
        let calc = if float { Type::F64 } else { Type::I64 };
        let start = start.unwrap_or_else(|| const_expr(ConstValue::Int(0))).cast(&calc);
        let step = step.unwrap_or_else(|| const_expr(ConstValue::Int(1))).cast(&calc);
        let stop = stop.cast(&calc);
        // Inputs: 0 start, 1 stop, 2 step; the length is ceil((stop - start) / step), at least 0.
        let e = |k: usize| Expr::new(ExprKind::Elem(k), calc.clone());
        let bin = |op: BinOp, a: Expr, b: Expr, t: &Type| {
            Expr::new(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(a),
                    rhs: Box::new(b),
                },
                t.clone(),
            )
        };
        let len = if float {
            let q = bin(
                BinOp::TrueDiv,
                bin(BinOp::Sub, e(1), e(0), &Type::F64),
                e(2),
                &Type::F64,
            );
            Expr::new(
                ExprKind::Math {
                    func: MathFn::named("Ceil"),
                    args: vec![q],
                },
                Type::F64,
            )
            .cast(&Type::I64)
        } else {
            // -((start - stop) // step): ceil division in integers.
            let d = bin(BinOp::Sub, e(0), e(1), &Type::I64);
            let q = bin(BinOp::FloorDiv, d, e(2), &Type::I64);
            Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Neg,
                    operand: Box::new(q),
                },
                Type::I64,
            )
        };
        let zero = const_expr(ConstValue::Int(0));
        let len = Expr::new(
            ExprKind::Builtin {
                builtin: BuiltinFn(&MAX),
                args: vec![len, zero],
            },
            Type::I64,
        );
        let i = Expr::new(ExprKind::Index(0), Type::I64).cast(&calc);
        let delta = bin(BinOp::Sub, bin(BinOp::Add, e(0), e(2), &calc), e(0), &calc);
        let body = bin(BinOp::Add, e(0), bin(BinOp::Mul, i, delta, &calc), &calc).cast(&Type::Scalar(dtype));
        new_array(
            dtype,
            1,
            ArrayMap {
                inputs: vec![start, stop, step],
                shape: Some(vec![len]),
                body: Some(body),
            },
        )
    }

    /// np.linspace, as NumPy computes it: `i * step + start` (`i / div * delta + start` when the
    /// step is zero), the last element set to `stop` when `endpoint`.
    fn linspace(&self, start: Expr, stop: Expr, num: Expr, endpoint: Expr, dtype: Scalar) -> Expr {
        let f = Type::F64;
        let e = |k: usize, t: &Type| Expr::new(ExprKind::Elem(k), t.clone());
        let bin = |op: BinOp, a: Expr, b: Expr, t: &Type| {
            Expr::new(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(a),
                    rhs: Box::new(b),
                },
                t.clone(),
            )
        };
        // Inputs: 0 start, 1 stop, 2 num, 3 endpoint.
        let num_f = e(2, &Type::I64).cast(&f);
        let div = Expr::new(
            ExprKind::IfExp {
                cond: Box::new(e(3, &Type::BOOL)),
                then: Box::new(bin(BinOp::Sub, num_f.clone(), const_expr(ConstValue::Float(1.0)), &f)),
                orelse: Box::new(num_f),
            },
            f.clone(),
        );
        let delta = bin(BinOp::Sub, e(1, &f), e(0, &f), &f);
        let step = bin(BinOp::TrueDiv, delta.clone(), div.clone(), &f);
        let i = Expr::new(ExprKind::Index(0), Type::I64).cast(&f);
        let regular = bin(BinOp::Add, bin(BinOp::Mul, i.clone(), step.clone(), &f), e(0, &f), &f);
        let flat = bin(
            BinOp::Add,
            bin(BinOp::Mul, bin(BinOp::TrueDiv, i, div.clone(), &f), delta, &f),
            e(0, &f),
            &f,
        );
        let zero_step = Expr::new(
            ExprKind::Compare {
                op: CmpOp::Eq,
                lhs: Box::new(step),
                rhs: Box::new(const_expr(ConstValue::Float(0.0))),
            },
            Type::BOOL,
        );
        let stepped = Expr::new(
            ExprKind::IfExp {
                cond: Box::new(zero_step),
                then: Box::new(flat),
                orelse: Box::new(regular),
            },
            f.clone(),
        );
        // No step at all (num <= 1 with endpoint, or 0): i * delta + start.
        let positive_div = Expr::new(
            ExprKind::Compare {
                op: CmpOp::Gt,
                lhs: Box::new(div.clone()),
                rhs: Box::new(const_expr(ConstValue::Float(0.0))),
            },
            Type::BOOL,
        );
        let undefined = bin(
            BinOp::Add,
            bin(
                BinOp::Mul,
                Expr::new(ExprKind::Index(0), Type::I64).cast(&f),
                bin(BinOp::Sub, e(1, &f), e(0, &f), &f),
                &f,
            ),
            e(0, &f),
            &f,
        );
        let value = Expr::new(
            ExprKind::IfExp {
                cond: Box::new(positive_div),
                then: Box::new(stepped),
                orelse: Box::new(undefined),
            },
            f.clone(),
        );
        let more_than_one = Expr::new(
            ExprKind::Compare {
                op: CmpOp::Gt,
                lhs: Box::new(e(2, &Type::I64)),
                rhs: Box::new(const_expr(ConstValue::Int(1))),
            },
            Type::BOOL,
        );
        let sets_stop = Expr::new(
            ExprKind::Logical {
                and: true,
                lhs: Box::new(e(3, &Type::BOOL)),
                rhs: Box::new(more_than_one),
            },
            Type::BOOL,
        );
        let last = Expr::new(
            ExprKind::Logical {
                and: true,
                lhs: Box::new(sets_stop),
                rhs: Box::new(Expr::new(
                    ExprKind::Compare {
                        op: CmpOp::Eq,
                        lhs: Box::new(Expr::new(ExprKind::Index(0), Type::I64)),
                        rhs: Box::new(bin(
                            BinOp::Sub,
                            e(2, &Type::I64),
                            const_expr(ConstValue::Int(1)),
                            &Type::I64,
                        )),
                    },
                    Type::BOOL,
                )),
            },
            Type::BOOL,
        );
        let body = Expr::new(
            ExprKind::IfExp {
                cond: Box::new(last),
                then: Box::new(e(1, &f)),
                orelse: Box::new(value),
            },
            f.clone(),
        )
        .cast(&Type::Scalar(dtype));
        let zero = const_expr(ConstValue::Int(0));
        let len = Expr::new(
            ExprKind::Builtin {
                builtin: BuiltinFn(&MAX),
                args: vec![e(2, &Type::I64), zero],
            },
            Type::I64,
        );
        new_array(
            dtype,
            1,
            ArrayMap {
                inputs: vec![start, stop, num, endpoint],
                shape: Some(vec![len]),
                body: Some(body),
            },
        )
    }

    /// A C-contiguous copy of `a` with elements converted to `dtype`.
    pub(super) fn converted_copy(&self, a: Expr, dtype: Scalar) -> Expr {
        let at = a.ty.array().expect("caller checked");
        let body = elem(0, &a.ty).cast(&Type::Scalar(dtype));
        new_array(
            dtype,
            at.ndim,
            ArrayMap {
                inputs: vec![a],
                shape: None,
                body: Some(body),
            },
        )
    }

    fn axis_arg(&mut self, fx: &mut FnCx, args: &CallArgs, ndim: u8) -> R<Option<u8>> {
        let Some(e) = args.get(0, "axis") else {
            return Ok(None);
        };
        if matches!(e, PyExpr::NoneLiteral(_)) {
            return Ok(None);
        }
        let _ = fx;
        match self.module.eval_const(e) {
            Some(ConstValue::Int(k)) => {
                let k = if k < 0 { k + ndim as i64 } else { k };
                if (0..ndim as i64).contains(&k) {
                    Ok(Some(k as u8))
                } else {
                    Err(self.err(
                        DiagKind::Type,
                        e.range(),
                        format!("axis {k} is out of bounds for an array of dimension {ndim}"),
                    ))
                }
            }
            _ => Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                "an axis that is not an integer constant",
            )),
        }
    }

    pub(super) fn reduction(&mut self, fx: &mut FnCx, op: ReduceOp, a: Expr, args: &CallArgs) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        self.check_kwargs(args, &["axis", "ddof"], &format!("{op:?}").to_lowercase())?;
        if args.kw.iter().any(|(k, _)| *k == "ddof") {
            return Err(self.err(DiagKind::Unsupported, args.range, "ddof (the default 0 is supported)"));
        }
        let axis = self.axis_arg(fx, args, at.ndim)?;
        if axis.is_some() && matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax | ReduceOp::Var | ReduceOp::Std) {
            return Err(self.err(
                DiagKind::Unsupported,
                args.range,
                format!("{op:?} along an axis").to_lowercase(),
            ));
        }
        let dt = reduce_dtype(op, at.dtype);
        let ty = match axis {
            Some(_) if at.ndim > 1 => Type::Array(ArrayType {
                dtype: dt,
                ndim: at.ndim - 1,
                layout: Layout::C,
            }),
            _ => Type::Scalar(dt),
        };
        let axis = axis.filter(|_| at.ndim > 1);
        Ok(Expr::new(
            ExprKind::Reduce {
                op,
                array: Box::new(a),
                axis,
            },
            ty,
        ))
    }

    /// `cumsum`/`cumprod`, as a method or an `np.` function (the array already taken out of
    /// `args`): NumPy's accumulator dtypes, `axis=` optional.
    fn scan(&mut self, fx: &mut FnCx, mul: bool, a: Expr, args: &CallArgs) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        let what = if mul { "cumprod" } else { "cumsum" };
        self.check_kwargs(args, &["axis"], what)?;
        let axis = self.axis_arg(fx, args, at.ndim)?;
        let op = if mul { ReduceOp::Prod } else { ReduceOp::Sum };
        let ndim = if axis.is_some() { at.ndim } else { 1 };
        Ok(Expr::new(
            ExprKind::Scan {
                mul,
                array: Box::new(a),
                axis,
            },
            Type::Array(ArrayType {
                dtype: reduce_dtype(op, at.dtype),
                ndim,
                layout: Layout::C,
            }),
        ))
    }

    /// np.sort / np.argsort / np.median / np.percentile / np.quantile (and `a.argsort()`), from
    /// the kernel-language library. Sorts are stable (NumPy's kind="stable"; equal keys keep
    /// their order, which NumPy's default quicksort does not promise) and put NaN last.
    fn order_statistic(&mut self, fx: &mut FnCx, name: &str, a: Expr, args: &CallArgs) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        let range = args.range;
        match name {
            "sort" => {
                self.check_kwargs(args, &["axis", "kind"], "np.sort")?;
                if self.axis_is_none(args) {
                    let flat = self.reshaped(self.converted_copy(a, at.dtype), vec![const_expr(ConstValue::Int(-1))]);
                    return self.library_call("__kc_sort", vec![flat], range);
                }
                self.last_axis_only(fx, args, at.ndim, "np.sort")?;
                self.library_call("__kc_sort", vec![a], range)
            }
            "argsort" => {
                self.check_kwargs(args, &["axis", "kind"], "argsort")?;
                if self.axis_is_none(args) {
                    return self.library_call("__kc_argsort_flat", vec![a], range);
                }
                if at.ndim != 1 {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        "argsort of an N-d array along an axis (1-D, or axis=None)",
                    ));
                }
                self.library_call("__kc_argsort", vec![a], range)
            }
            "median" => {
                self.check_kwargs(args, &[], "np.median")?;
                if !args.pos.is_empty() {
                    return Err(self.err(DiagKind::Unsupported, range, "np.median along an axis"));
                }
                let f = if at.dtype == Scalar::F32 {
                    "__kc_median_f32"
                } else {
                    "__kc_median"
                };
                self.library_call(f, vec![a], range)
            }
            _ => {
                self.check_kwargs(args, &["q"], &format!("np.{name}"))?;
                let q = args
                    .get(0, "q")
                    .ok_or_else(|| self.err(DiagKind::Type, range, format!("np.{name} needs q")))?;
                let qv = self.expr(fx, q)?;
                if !qv.ty.is_numeric() {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        q.range(),
                        format!("np.{name} of several q at once"),
                    ));
                }
                if args.pos.len() > 1 {
                    return Err(self.err(DiagKind::Unsupported, range, format!("np.{name} along an axis")));
                }
                let f = if name == "percentile" {
                    "__kc_percentile"
                } else {
                    "__kc_quantile"
                };
                self.library_call(f, vec![a, qv.cast(&Type::F64)], range)
            }
        }
    }

    fn axis_is_none(&self, args: &CallArgs) -> bool {
        matches!(args.get(0, "axis"), Some(PyExpr::NoneLiteral(_)))
    }

    /// Sorting works along the last axis only (the default).
    fn last_axis_only(&mut self, fx: &mut FnCx, args: &CallArgs, ndim: u8, what: &str) -> R<()> {
        match self.axis_arg(fx, args, ndim)? {
            Some(k) if k + 1 != ndim => Err(self.err(
                DiagKind::Unsupported,
                args.range,
                format!("{what} along another axis than the last"),
            )),
            _ => Ok(()),
        }
    }

    /// np.dot / `@`: 1-D·1-D is a scalar, 2-D·1-D a vector, 2-D·2-D a matrix.
    pub(super) fn dot(&self, a: Expr, b: Expr, range: TextRange) -> R<Expr> {
        let (Some(x), Some(y)) = (a.ty.array(), b.ty.array()) else {
            return Err(self.err(DiagKind::Type, range, format!("np.dot of {} and {}", a.ty, b.ty)));
        };
        let dt = unify_scalar(x.dtype, y.dtype);
        let dt = if dt == Scalar::Bool { Scalar::I64 } else { dt };
        let ty = match (x.ndim, y.ndim) {
            (1, 1) => Type::Scalar(dt),
            (2, 1) | (1, 2) => Type::Array(ArrayType {
                dtype: dt,
                ndim: 1,
                layout: Layout::C,
            }),
            (2, 2) => Type::Array(ArrayType {
                dtype: dt,
                ndim: 2,
                layout: Layout::C,
            }),
            (m, n) => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    range,
                    format!("np.dot of a {m}-d and a {n}-d array"),
                ))
            }
        };
        Ok(Expr::new(
            ExprKind::Dot {
                lhs: Box::new(a),
                rhs: Box::new(b),
            },
            ty,
        ))
    }

    /// `a.<name>(...)` on an array.
    pub(super) fn array_method(&mut self, fx: &mut FnCx, a: Expr, name: &str, args: &CallArgs) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        let range = args.range;
        if let Some((_, op)) = REDUCTIONS.iter().find(|(n, _)| *n == name) {
            return self.reduction(fx, *op, a, args);
        }
        match name {
            "cumsum" | "cumprod" => self.scan(fx, name == "cumprod", a, args),
            "sort" => {
                self.check_kwargs(args, &["axis", "kind"], "sort")?;
                self.last_axis_only(fx, args, at.ndim, "a.sort")?;
                self.library_call("__kc_sort_inplace", vec![a], range)
            }
            "argsort" => self.order_statistic(fx, "argsort", a, args),
            "copy" | "flatten" => {
                self.check_kwargs(args, &[], name)?;
                let c = self.converted_copy(a, at.dtype);
                if name == "flatten" {
                    return Ok(self.reshaped(c, vec![const_expr(ConstValue::Int(-1))]));
                }
                Ok(c)
            }
            "astype" => {
                self.check_kwargs(args, &["dtype"], "astype")?;
                let d = args
                    .get(0, "dtype")
                    .ok_or_else(|| self.err(DiagKind::Type, range, "astype() needs a dtype"))?;
                let dtype = self.dtype_arg(fx, d)?;
                Ok(self.converted_copy(a, dtype))
            }
            "reshape" => {
                self.check_kwargs(args, &["shape"], "reshape")?;
                let dims = match args.pos.as_slice() {
                    [one] => match self.shape_arg(fx, one)? {
                        Shape::Dims(d) => d,
                        Shape::Like(_) => {
                            return Err(self.err(DiagKind::Unsupported, range, "reshape to another array's shape"))
                        }
                    },
                    many => many.iter().map(|p| self.int_arg(fx, p)).collect::<R<_>>()?,
                };
                if dims.is_empty() {
                    return Err(self.err(DiagKind::Unsupported, range, "reshape to a 0-d array"));
                }
                Ok(self.reshaped(a, dims))
            }
            "ravel" => Ok(self.reshaped(a, vec![const_expr(ConstValue::Int(-1))])),
            "transpose" => {
                let axes: Vec<u8> = if args.pos.is_empty() {
                    (0..at.ndim).rev().collect()
                } else {
                    let exprs: Vec<&PyExpr> = match args.pos.as_slice() {
                        [PyExpr::Tuple(t)] => t.elts.iter().collect(),
                        many => many.to_vec(),
                    };
                    exprs.iter().map(|e| self.const_index(e, at.ndim)).collect::<R<_>>()?
                };
                let mut sorted = axes.clone();
                sorted.sort_unstable();
                if sorted != (0..at.ndim).collect::<Vec<_>>() {
                    return Err(self.err(DiagKind::Type, range, "transpose() axes must be a permutation"));
                }
                Ok(self.transposed(a, axes))
            }
            "fill" => Err(self.err(
                DiagKind::Unsupported,
                range,
                "a.fill(v) as a value (write it as a statement, or a[:] = v)",
            )),
            "item" => {
                if !args.pos.is_empty() {
                    return Err(self.err(DiagKind::Unsupported, range, "item() with an index"));
                }
                let zeros = (0..at.ndim).map(|_| const_expr(ConstValue::Int(0))).collect();
                Ok(Expr::new(
                    ExprKind::GetItem {
                        array: Box::new(a),
                        indices: zeros,
                    },
                    Type::Scalar(at.dtype),
                ))
            }
            "dot" => {
                let b = self.expr(
                    fx,
                    args.get(0, "b")
                        .ok_or_else(|| self.err(DiagKind::Type, range, "dot() needs an argument"))?,
                )?;
                self.dot(a, b, range)
            }
            _ => Err(self.err(DiagKind::Unsupported, range, format!("the array method '{name}'"))),
        }
    }

    pub(super) fn reshaped(&self, a: Expr, shape: Vec<Expr>) -> Expr {
        let at = a.ty.array().expect("caller checked");
        let ndim = shape.len() as u8;
        Expr::new(
            ExprKind::Reshape {
                array: Box::new(a),
                shape,
            },
            Type::Array(ArrayType {
                dtype: at.dtype,
                ndim,
                layout: Layout::C,
            }),
        )
    }

    pub(super) fn transposed(&self, a: Expr, axes: Vec<u8>) -> Expr {
        let at = a.ty.array().expect("caller checked");
        let layout = match at.layout {
            Layout::C if at.ndim == 2 => Layout::F,
            Layout::F if at.ndim == 2 => Layout::C,
            _ if at.ndim == 1 => at.layout,
            _ => Layout::A,
        };
        Expr::new(
            ExprKind::Transpose {
                array: Box::new(a),
                axes,
            },
            Type::Array(ArrayType { layout, ..at }),
        )
    }

    /// Subscripts that make views (`a[i]` of an N-d array, slices, `None`) or select by a
    /// boolean mask; `None` when every index is an integer (an element).
    pub(super) fn view_subscript(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<Option<Expr>> {
        let idx: Vec<&PyExpr> = match &*sub.slice {
            PyExpr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        let simple = idx.iter().all(|i| {
            !matches!(
                i,
                PyExpr::Slice(_) | PyExpr::NoneLiteral(_) | PyExpr::EllipsisLiteral(_)
            )
        });
        let array = self.expr(fx, &sub.value)?;
        if matches!(array.ty, Type::Tuple(_) | Type::IntTuple(_)) {
            return self.tuple_subscript(fx, array, sub).map(Some);
        }
        if array.ty.list_item().is_some() {
            return self.list_get(fx, array, sub).map(Some);
        }
        let Some(at) = array.ty.array() else {
            return Err(self.err(
                DiagKind::Type,
                sub.value.range(),
                format!("cannot index a value of type {}", array.ty),
            ));
        };
        let mut indices = Vec::new();
        let mut ellipsis = false;
        let mut typed = Vec::new();
        for i in &idx {
            match i {
                PyExpr::Slice(s) => {
                    let part = |this: &mut Self, fx: &mut FnCx, e: &Option<Box<PyExpr>>| -> R<Option<Expr>> {
                        match e.as_deref() {
                            None | Some(PyExpr::NoneLiteral(_)) => Ok(None),
                            Some(x) => this.int_arg(fx, x).map(Some),
                        }
                    };
                    let start = part(self, fx, &s.lower)?;
                    let stop = part(self, fx, &s.upper)?;
                    let step = part(self, fx, &s.step)?;
                    indices.push(ViewIndex::Slice { start, stop, step });
                }
                PyExpr::NoneLiteral(_) => indices.push(ViewIndex::NewAxis),
                PyExpr::EllipsisLiteral(_) if !ellipsis => {
                    ellipsis = true;
                    indices.push(ViewIndex::Slice {
                        start: None,
                        stop: None,
                        step: Some(const_expr(ConstValue::Int(i64::MIN))),
                    });
                }
                other => {
                    let v = self.expr(fx, other)?;
                    if let Some(mt) = v.ty.array() {
                        if mt.dtype == Scalar::Bool && idx.len() == 1 {
                            return Ok(Some(self.mask_select(array, v, other.range())?));
                        }
                        return Err(self.err(
                            DiagKind::Unsupported,
                            other.range(),
                            "indexing with an integer array (fancy indexing)",
                        ));
                    }
                    if v.ty.list_item().is_some() {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            other.range(),
                            "indexing with a list of indices (fancy indexing)",
                        ));
                    }
                    match v.ty.scalar() {
                        Some(s) if !s.is_float() => {
                            typed.push(v.clone().cast(&Type::I64));
                            indices.push(ViewIndex::At(v.cast(&Type::I64)));
                        }
                        _ => {
                            return Err(self.err(
                                DiagKind::Type,
                                other.range(),
                                format!("array indices must be integers, not {}", v.ty),
                            ))
                        }
                    }
                }
            }
        }
        if simple && idx.len() == at.ndim as usize {
            return Ok(Some(Expr::new(
                ExprKind::GetItem {
                    array: Box::new(array),
                    indices: typed,
                },
                Type::Scalar(at.dtype),
            )));
        }
        // An Ellipsis stands for as many full slices as the array has dimensions left.
        let consumed = indices
            .iter()
            .filter(|i| !matches!(i, ViewIndex::NewAxis))
            .filter(|i| !matches!(i, ViewIndex::Slice { step: Some(e), .. } if matches!(e.kind, ExprKind::Const(ConstValue::Int(i64::MIN)))))
            .count();
        if consumed > at.ndim as usize {
            return Err(self.err(
                DiagKind::Type,
                sub.slice.range(),
                format!("too many indices for a {}-d array", at.ndim),
            ));
        }
        let mut full = Vec::new();
        for i in indices {
            match i {
                ViewIndex::Slice { step: Some(e), .. }
                    if matches!(e.kind, ExprKind::Const(ConstValue::Int(i64::MIN))) =>
                {
                    for _ in 0..(at.ndim as usize - consumed) {
                        full.push(ViewIndex::Slice {
                            start: None,
                            stop: None,
                            step: None,
                        });
                    }
                }
                other => full.push(other),
            }
        }
        let kept = full.iter().filter(|i| !matches!(i, ViewIndex::At(_))).count() as u8;
        let consumed = full.iter().filter(|i| !matches!(i, ViewIndex::NewAxis)).count() as u8;
        let ndim = kept + (at.ndim - consumed);
        if ndim == 0 {
            return Err(self.err(DiagKind::Unsupported, sub.slice.range(), "a 0-d view"));
        }
        let layout = view_layout(at, &full);
        Ok(Some(Expr::new(
            ExprKind::View {
                array: Box::new(array),
                indices: full,
            },
            Type::Array(ArrayType {
                dtype: at.dtype,
                ndim,
                layout,
            }),
        )))
    }

    /// Whether a subscript names one element (an integer per dimension): a scalar store.
    pub(super) fn is_element(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<bool> {
        let idx: Vec<&PyExpr> = match &*sub.slice {
            PyExpr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        if idx.iter().any(|i| {
            matches!(
                i,
                PyExpr::Slice(_) | PyExpr::NoneLiteral(_) | PyExpr::EllipsisLiteral(_)
            )
        }) {
            return Ok(false);
        }
        // Typing the base and the indices has no effect but the types (expressions are pure).
        let base = self.expr(fx, &sub.value)?;
        if base.ty.array().is_none() {
            // subscript_parts explains what cannot be stored into.
            return Ok(true);
        }
        let ndim = base.ty.array().map(|a| a.ndim).unwrap_or(0) as usize;
        if idx.len() != ndim {
            return Ok(false);
        }
        for i in idx {
            if is_array(&self.expr(fx, i)?) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `target = value` (or `target op= value`) where the target is a view or a masked array:
    /// an element-wise store.
    pub(super) fn store_into(&self, target: Expr, value: Expr, op: Option<BinOp>, range: TextRange) -> R<Stmt> {
        if !value.ty.is_numeric() && !is_array(&value) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot store a value of type {}", value.ty),
            ));
        }
        if !is_array(&target) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot assign into a value of type {}", target.ty),
            ));
        }
        match target.kind {
            ExprKind::MaskSelect { array, mask } => {
                // a[mask] = v: where the mask holds, the new value; elsewhere the old one.
                let array = *array;
                let new = match op {
                    Some(op) => self.array_binary(op, array.clone(), value, range)?,
                    None => value,
                };
                let dt = array.ty.array().expect("masks select from arrays").dtype;
                let t = Type::Scalar(dt);
                let body = Expr::new(
                    ExprKind::IfExp {
                        cond: Box::new(elem(0, &mask.ty)),
                        then: Box::new(elem(1, &new.ty).cast(&t)),
                        orelse: Box::new(elem(2, &array.ty)),
                    },
                    t,
                );
                let ndim = array.ty.array().expect("array").ndim;
                let value = new_array(
                    dt,
                    ndim,
                    ArrayMap {
                        inputs: vec![*mask, new, array.clone()],
                        shape: None,
                        body: Some(body),
                    },
                );
                Ok(Stmt::ArrayStore { dest: array, value })
            }
            _ => {
                let value = match op {
                    Some(op) => self.array_binary(op, target.clone(), value, range)?,
                    None => value,
                };
                Ok(Stmt::ArrayStore { dest: target, value })
            }
        }
    }

    fn mask_select(&self, array: Expr, mask: Expr, range: TextRange) -> R<Expr> {
        let at = array.ty.array().expect("caller checked");
        let mt = mask.ty.array().expect("caller checked");
        if mt.ndim != at.ndim {
            return Err(self.err(DiagKind::Type, range, "a boolean mask must have the array's dimensions"));
        }
        Ok(Expr::new(
            ExprKind::MaskSelect {
                array: Box::new(array),
                mask: Box::new(mask),
            },
            Type::Array(ArrayType {
                dtype: at.dtype,
                ndim: 1,
                layout: Layout::C,
            }),
        ))
    }

    /// An array's attribute other than `shape`/`size`/`ndim`/`itemsize`.
    pub(super) fn array_attribute(&self, a: Expr, name: &str, range: TextRange) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        match name {
            "T" => Ok(self.transposed(a, (0..at.ndim).rev().collect())),
            "real" => Ok(a),
            _ => Err(self.err(DiagKind::Unsupported, range, format!("array attribute '{name}'"))),
        }
    }
}

/// The layout of a view: integer indices on the leading dimensions of a C array and full
/// slices after them keep it C; anything else may be strided (A).
pub(super) fn view_layout(at: ArrayType, indices: &[ViewIndex]) -> Layout {
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
