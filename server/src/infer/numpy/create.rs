//! Arrays made inside kernels: `np.empty/zeros/ones/full` and their `_like` forms, `arange`,
//! `linspace`, `np.array`, conversions (`astype`), with NumPy's dtype and shape arguments.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    /// A dtype argument: `np.float32`, `numba.int8`, `float`, `"float32"`, `a.dtype`.
    pub(in crate::infer) fn dtype_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Scalar> {
        let bad_range = e.range();
        let bad = || {
            Fail::Error(self.module.error(
                DiagKind::Unsupported,
                bad_range,
                "this dtype (give np.float64, np.int32, float, a.dtype, ...)",
            ))
        };
        match e {
            PyExpr::Name(n) if fx.dtypes.contains_key(n.id.as_str()) => Ok(fx.dtypes[n.id.as_str()]),
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

    pub(in crate::infer) fn int_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let v = self.expr(fx, e)?;
        match v.ty.scalar() {
            Some(s) if !s.is_float() => Ok(v.cast(&Type::I64)),
            _ => Err(self.err(DiagKind::Type, e.range(), format!("expected an integer, got {}", v.ty))),
        }
    }

    /// A shape argument: an int, a tuple of ints, or an array's `.shape`.
    pub(in crate::infer) fn shape_arg(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Shape> {
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

    pub(in crate::infer) fn check_kwargs(&self, args: &CallArgs, allowed: &[&str], what: &str) -> R<()> {
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
    pub(in crate::infer) fn stencil_output(&self, mut args: Vec<Expr>, range: TextRange) -> R<Expr> {
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

    pub(in crate::infer) fn filled(&self, shape: Shape, dtype: Scalar, fill: Option<Expr>) -> Expr {
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
    pub(in crate::infer) fn numpy_call(&mut self, fx: &mut FnCx, name: &str, args: &CallArgs) -> R<Option<Expr>> {
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
            "issubdtype" => {
                // Decided when the kernel is typed, like `a.dtype == np.float64`.
                self.check_kwargs(args, &["arg1", "arg2"], "np.issubdtype")?;
                let of = self.dtype_arg(fx, need(self, 0, "arg1")?)?;
                let class = need(self, 1, "arg2")?;
                let abstract_name = match class {
                    PyExpr::Attribute(a) => Some(a.attr.id.as_str()),
                    PyExpr::Name(n) => match self.module.imports.get(n.id.as_str()) {
                        Some(Imported::Member(PyModule::Numpy, m)) => Some(m.as_str()),
                        _ => None,
                    },
                    _ => None,
                };
                let within = match abstract_name {
                    Some("number") => Some(of != Scalar::Bool),
                    Some("integer") => Some(of.is_int()),
                    Some("signedinteger") => Some(of.is_int() && of.is_signed()),
                    Some("unsignedinteger") => Some(of.is_int() && !of.is_signed()),
                    Some("inexact") => Some(of.is_float() || of.is_complex()),
                    Some("floating") => Some(of.is_float()),
                    Some("complexfloating") => Some(of.is_complex()),
                    Some("generic") => Some(true),
                    _ => None,
                };
                let within = match within {
                    Some(w) => w,
                    None => self.dtype_arg(fx, class)? == of,
                };
                const_expr(ConstValue::Bool(within))
            }
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
                let source = need(self, 0, "a")?;
                // A nested literal, np.array([[1.0, 2.0], [3.0, 4.0]]): its items in C order as
                // one list, made an array and seen with the literal's shape.
                if let Some((items, shape)) = nested_literal(source) {
                    let (mut values, mut ranges) = (Vec::new(), Vec::new());
                    for item in items {
                        let v = self.expr(fx, item)?;
                        values.push(self.first_class(v, item.range())?);
                        ranges.push(item.range());
                    }
                    let list = self.list_of(values, &ranges)?;
                    let dtype = match args.get(1, "dtype") {
                        Some(d) => Some(self.dtype_arg(fx, d)?),
                        None => None,
                    };
                    let flat = self.list_to_array(list, dtype, range)?;
                    let dims = shape
                        .into_iter()
                        .map(|n| const_expr(ConstValue::Int(n as i64)))
                        .collect();
                    return Ok(Some(self.reshaped(flat, dims)));
                }
                // np.array([a, b]) of 1-D arrays of one dtype: their rows, as np.vstack stacks.
                let elts = match source {
                    PyExpr::List(l) if name == "array" => Some(&l.elts),
                    PyExpr::Tuple(t) if name == "array" => Some(&t.elts),
                    _ => None,
                };
                if let Some(elts) = elts.filter(|e| !e.is_empty() && args.get(1, "dtype").is_none()) {
                    let (pre, hidden) = (fx.pre.len(), fx.hidden);
                    let mut items = Vec::new();
                    for item in elts {
                        let v = self.expr(fx, item)?;
                        items.push(self.first_class(v, item.range())?);
                    }
                    let first = items[0].ty.array();
                    if items.iter().all(|i| {
                        i.ty.array()
                            .is_some_and(|t| t.ndim == 1 && Some(t.dtype) == first.map(|f| f.dtype))
                    }) {
                        let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
                        let rows = super::library::same_layout(Expr::new(ExprKind::Tuple(items), ty));
                        return self.library_call("__kc_np_vstack_rows", vec![rows], range).map(Some);
                    }
                    fx.pre.truncate(pre);
                    fx.hidden = hidden;
                }
                let a = self.expr(fx, source)?;
                if a.ty.tuple().is_some() || matches!(a.ty, Type::IntTuple(_)) {
                    let dtype = match args.get(1, "dtype") {
                        Some(d) => Some(self.dtype_arg(fx, d)?),
                        None => None,
                    };
                    if let Some(array) = self.tuple_to_array(a.clone(), dtype, range)? {
                        return Ok(Some(array));
                    }
                }
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
                if args.pos.len() == 1 {
                    // np.where(cond) is np.nonzero(cond).
                    return self.numpy_library_call(fx, "nonzero", args);
                }
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
                map_elements(dt, vec![c, x, y], body)
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
            "sort" | "argsort" | "median" | "percentile" | "quantile" | "nanpercentile" | "nanquantile" => {
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
                return self.numpy_library_call(fx, name, args);
            }
        };
        Ok(Some(e))
    }

    /// np.arange: NumPy fills `start + i * delta` with `delta = (start + step) - start` in the
    /// result type, so floats round as NumPy's do.
    pub(in crate::infer) fn arange(
        &self,
        start: Option<Expr>,
        stop: Expr,
        step: Option<Expr>,
        float: bool,
        dtype: Scalar,
    ) -> Expr {
        let calc = if float { Type::F64 } else { Type::I64 };
        let start = start.unwrap_or_else(|| const_expr(ConstValue::Int(0))).cast(&calc);
        let step = step.unwrap_or_else(|| const_expr(ConstValue::Int(1))).cast(&calc);
        let stop = stop.cast(&calc);
        // Inputs: 0 start, 1 stop, 2 step; the length is ceil((stop - start) / step), at least 0.
        let e = |k: usize| Expr::new(ExprKind::Elem(k), calc.clone());
        let bin = Expr::binary;
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
    pub(in crate::infer) fn linspace(&self, start: Expr, stop: Expr, num: Expr, endpoint: Expr, dtype: Scalar) -> Expr {
        let f = Type::F64;
        let e = |k: usize, t: &Type| Expr::new(ExprKind::Elem(k), t.clone());
        let bin = Expr::binary;
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
    pub(in crate::infer) fn converted_copy(&self, a: Expr, dtype: Scalar) -> Expr {
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
}

/// The leaves of a nested list or tuple literal of at least two levels with a rectangular shape,
/// in C order, and that shape.
fn nested_literal(e: &PyExpr) -> Option<(Vec<&PyExpr>, Vec<usize>)> {
    fn items(e: &PyExpr) -> Option<&[PyExpr]> {
        match e {
            PyExpr::List(l) => Some(&l.elts),
            PyExpr::Tuple(t) => Some(&t.elts),
            _ => None,
        }
    }
    fn walk<'e>(e: &'e PyExpr, depth: usize, shape: &mut Vec<usize>, leaves: &mut Vec<&'e PyExpr>) -> Option<()> {
        match items(e) {
            Some(elts) => {
                if shape.len() == depth {
                    shape.push(elts.len());
                } else if shape[depth] != elts.len() {
                    return None;
                }
                for x in elts {
                    walk(x, depth + 1, shape, leaves)?;
                }
                Some(())
            }
            // A leaf where the shape says there are more levels: ragged.
            None if depth == shape.len() => {
                leaves.push(e);
                Some(())
            }
            None => None,
        }
    }
    let first = items(e)?.first()?;
    items(first)?;
    let (mut shape, mut leaves) = (Vec::new(), Vec::new());
    walk(e, 0, &mut shape, &mut leaves)?;
    (leaves.len() == shape.iter().product::<usize>() && !leaves.is_empty()).then_some((leaves, shape))
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// `np.array(t)` of a tuple of numbers (a new 1-D array of its items, in the type they
    /// unify to, or `dtype`); `None` for other values.
    pub(in crate::infer) fn tuple_to_array(
        &mut self,
        t: Expr,
        dtype: Option<Scalar>,
        range: TextRange,
    ) -> R<Option<Expr>> {
        // A shape (`a.shape`) is a tuple of int64 in all but name.
        let t = if matches!(t.ty, Type::IntTuple(_)) {
            self.first_class(t, range)?
        } else {
            t
        };
        let Some(items) = t.ty.tuple().map(<[Type]>::to_vec) else {
            return Ok(None);
        };
        if items.is_empty() || !items.iter().all(Type::is_numeric) {
            return Ok(None);
        }
        let Some(one) = items.iter().skip(1).try_fold(items[0].clone(), |a, b| unify(&a, b)) else {
            return Ok(None);
        };
        let same = t.cast(&Type::Tuple(vec![one; items.len()]));
        let list = self.library_call("__kc_list_of", vec![same], range)?;
        self.list_to_array(list, dtype, range).map(Some)
    }
}
