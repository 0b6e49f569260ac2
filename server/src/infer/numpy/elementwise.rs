//! Whole-array expressions and ufuncs: operators, comparisons, `abs` and NumPy's math
//! functions on arrays, typed into `ArrayMap`s that the array-expression pass fuses.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    /// `a op b` where either side is an array.
    pub(in crate::infer) fn array_binary(&self, op: BinOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
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
        if bitwise && (dt.is_float() || dt.is_complex()) {
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
            BinOp::TrueDiv if !dt.is_float() && !dt.is_complex() => (Scalar::F64, Scalar::F64),
            BinOp::FloorDiv | BinOp::Mod if dt.is_complex() => {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("{} of complex arrays is not defined (NumPy raises too)", op_symbol(op)),
                ))
            }
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

    /// A comparison the source wrote, where either side is an array: complex numbers have
    /// `==` and `!=` only (NumPy orders them lexicographically, Numba refuses; so does kcache).
    pub(in crate::infer) fn user_array_compare(&self, op: CmpOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let dt = result_dtype(&[&lhs.ty, &rhs.ty]);
        if dt.is_complex() && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "complex numbers are not ordered: cannot compare {} and {} with <, <=, > or >=",
                    lhs.ty, rhs.ty
                ),
            ));
        }
        Ok(self.array_compare(op, lhs, rhs))
    }

    /// `a < b` where either side is an array: a boolean array.
    pub(in crate::infer) fn array_compare(&self, op: CmpOp, lhs: Expr, rhs: Expr) -> Expr {
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
    pub(in crate::infer) fn array_unary(&self, op: ast::UnaryOp, operand: Expr, range: TextRange) -> R<Expr> {
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
            ast::UnaryOp::Invert if !at.dtype.is_float() && !at.dtype.is_complex() => Expr::new(
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
    pub(in crate::infer) fn array_ufunc(
        &self,
        func: MathFn,
        spelled: &str,
        args: Vec<Expr>,
        range: TextRange,
    ) -> R<Expr> {
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
        // NEP 50: a Python float with a float32 array is weak, so the ufunc loops in float32
        // (np.maximum(f32, 0.5) is float32) instead of the row's float64 for mixed arguments.
        let mut elems = elems_of(&args);
        if result_dtype(&args.iter().map(|a| &a.ty).collect::<Vec<_>>()) == Scalar::F32 {
            elems = elems.into_iter().map(|e| e.cast(&Type::Scalar(Scalar::F32))).collect();
        }
        let body =
            math_rows::infer(func, spelled, PyModule::Numpy, elems).map_err(|m| self.err(DiagKind::Type, range, m))?;
        let dt = body.ty.scalar().expect("math rows are scalar");
        Ok(map_elements(dt, args, body))
    }

    /// `abs(a)` / `np.abs(a)` of an array: the dtype stays (integers wrap, as NumPy's).
    pub(in crate::infer) fn array_abs(&self, a: Expr) -> Expr {
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

    /// A complex builtin (`np.exp`, `np.abs`, `np.conj`, ...) over arrays of complex numbers:
    /// element-wise, with the builtin's scalar typing.
    pub(in crate::infer) fn array_complex(
        &self,
        func: &'static ComplexFn,
        module: Option<PyModule>,
        name: &str,
        args: Vec<Expr>,
        range: TextRange,
    ) -> R<Expr> {
        let body =
            Builtin::infer(func, module, name, elems_of(&args)).map_err(|(kind, msg)| self.err(kind, range, msg))?;
        let Some(dt) = body.ty.scalar() else {
            return Err(self.err(DiagKind::Unsupported, range, format!("{name}() of arrays")));
        };
        Ok(map_elements(dt, args, body))
    }
}

/// The element of each input, in order: what an element-wise body reads.
fn elems_of(args: &[Expr]) -> Vec<Expr> {
    args.iter().enumerate().map(|(k, a)| elem(k, &a.ty)).collect()
}
