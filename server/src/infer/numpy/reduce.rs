//! Reductions and scans (`sum/min/max/mean/var/std/argmin/any/all`, `cumsum`), order
//! statistics (`sort`, `median`, `percentile`) and `np.dot`.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(in crate::infer) fn axis_arg(&mut self, fx: &mut FnCx, args: &CallArgs, ndim: u8) -> R<Option<u8>> {
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

    pub(in crate::infer) fn reduction(&mut self, fx: &mut FnCx, op: ReduceOp, a: Expr, args: &CallArgs) -> R<Expr> {
        let mut a = a;
        let mut at = a.ty.array().expect("caller checked");
        self.check_kwargs(args, &["axis", "ddof", "dtype"], &format!("{op:?}").to_lowercase())?;
        // dtype=: NumPy accumulates in that type, which is summing the converted elements.
        if let Some((_, d)) = args.kw.iter().find(|(k, _)| *k == "dtype") {
            if !matches!(op, ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Mean) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    d.range(),
                    format!("dtype= of {}", format!("{op:?}").to_lowercase()),
                ));
            }
            let dtype = self.dtype_arg(fx, d)?;
            a = self.converted_copy(a, dtype);
            at = a.ty.array().expect("a converted array");
        }
        let axis = self.axis_arg(fx, args, at.ndim)?;
        if let (Some(axis), 2, ReduceOp::Var | ReduceOp::Std, false) = (axis, at.ndim, op, at.dtype.is_complex()) {
            let ddof = match args.kw.iter().find(|(k, _)| *k == "ddof") {
                Some((_, d)) => self.int_arg(fx, d)?,
                None => const_expr(ConstValue::Int(0)),
            };
            let which = if op == ReduceOp::Var { "var" } else { "std" };
            return self.library_call(&format!("__kc_np_{which}_axis{axis}"), vec![a, ddof], args.range);
        }
        if let Some((_, d)) = args.kw.iter().find(|(k, _)| *k == "ddof") {
            if !matches!(op, ReduceOp::Var | ReduceOp::Std) || axis.is_some() || at.dtype.is_complex() {
                return Err(self.err(
                    DiagKind::Unsupported,
                    args.range,
                    "ddof= other than of var/std over a whole real array",
                ));
            }
            let ddof = self.int_arg(fx, d)?;
            let function = if op == ReduceOp::Var {
                "__kc_np_var_ddof"
            } else {
                "__kc_np_std_ddof"
            };
            return self.library_call(function, vec![a, ddof], args.range);
        }
        if let (Some(axis), 2, ReduceOp::ArgMin | ReduceOp::ArgMax) = (axis, at.ndim, op) {
            let function = if op == ReduceOp::ArgMax {
                "__kc_np_argmax_2d"
            } else {
                "__kc_np_argmin_2d"
            };
            return self.library_call(function, vec![a, const_expr(ConstValue::Int(axis as i64))], args.range);
        }
        // Along the only axis of a vector, argmin/argmax is the whole array's (a scalar).
        let axis = if at.ndim == 1 && matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax) {
            None
        } else {
            axis
        };
        if axis.is_some() && matches!(op, ReduceOp::ArgMin | ReduceOp::ArgMax | ReduceOp::Var | ReduceOp::Std) {
            return Err(self.err(
                DiagKind::Unsupported,
                args.range,
                format!("{op:?} along an axis").to_lowercase(),
            ));
        }
        if at.dtype.is_complex()
            && (axis.is_some_and(|_| at.ndim > 1)
                || !matches!(
                    op,
                    ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Mean | ReduceOp::Any | ReduceOp::All
                ))
        {
            return Err(self.err(
                DiagKind::Unsupported,
                args.range,
                format!(
                    "{} of a complex array{}",
                    format!("{op:?}").to_lowercase(),
                    if axis.is_some() { " along an axis" } else { "" }
                ),
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
    pub(in crate::infer) fn scan(&mut self, fx: &mut FnCx, mul: bool, a: Expr, args: &CallArgs) -> R<Expr> {
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
    pub(in crate::infer) fn order_statistic(&mut self, fx: &mut FnCx, name: &str, a: Expr, args: &CallArgs) -> R<Expr> {
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
                let qv = self.first_class(qv, q.range())?;
                if args.pos.len() <= 1 && (qv.ty.array().is_some_and(|a| a.ndim == 1) || qv.ty.list_item().is_some()) {
                    // Several q at once: one value per q, in an array (NumPy's shape for 1-D q).
                    return self.library_call(&format!("__kc_{name}_many"), vec![a, qv], range);
                }
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
                self.library_call(&format!("__kc_{name}"), vec![a, qv.cast(&Type::F64)], range)
            }
        }
    }

    pub(in crate::infer) fn axis_is_none(&self, args: &CallArgs) -> bool {
        matches!(args.get(0, "axis"), Some(PyExpr::NoneLiteral(_)))
    }

    /// Sorting works along the last axis only (the default).
    pub(in crate::infer) fn last_axis_only(&mut self, fx: &mut FnCx, args: &CallArgs, ndim: u8, what: &str) -> R<()> {
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
    pub(in crate::infer) fn dot(&self, a: Expr, b: Expr, range: TextRange) -> R<Expr> {
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
}
