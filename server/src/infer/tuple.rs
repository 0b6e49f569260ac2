//! Tuples: literals, items by constant or computed index, slices, unpacking into names,
//! comparisons, and `a.shape` as a first-class value (Numba's `UniTuple(int64, n)`).

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    /// `e` as a value that can be stored, passed or returned: `a.shape` (a lazy `IntTuple`)
    /// becomes a tuple of the dimensions; `None` is refused.
    pub(super) fn first_class(&self, e: Expr, range: TextRange) -> R<Expr> {
        match e.ty {
            Type::IntTuple(n) => {
                let ExprKind::ArrayDim { array, .. } = e.kind else {
                    return Err(self.err(DiagKind::Unsupported, range, "this tuple of ints"));
                };
                let items = (0..n)
                    .map(|dim| {
                        Expr::new(
                            ExprKind::ArrayDim {
                                array: array.clone(),
                                dim,
                            },
                            Type::I64,
                        )
                    })
                    .collect();
                Ok(Expr::new(
                    ExprKind::Tuple(items),
                    Type::Tuple(vec![Type::I64; n as usize]),
                ))
            }
            Type::None => Err(self.err(DiagKind::Unsupported, range, "None as a value")),
            _ => Ok(e),
        }
    }

    pub(super) fn tuple_literal(&mut self, fx: &mut FnCx, t: &ast::ExprTuple) -> R<Expr> {
        let mut items = Vec::new();
        for e in &t.elts {
            if matches!(e, PyExpr::Starred(_)) {
                return Err(self.err(DiagKind::Unsupported, e.range(), "*unpacking inside a tuple"));
            }
            let v = self.expr_or_optional(fx, e)?;
            items.push(self.first_class(v, e.range())?);
        }
        let ty = Type::Tuple(items.iter().map(|e| e.ty.clone()).collect());
        Ok(Expr::new(ExprKind::Tuple(items), ty))
    }

    /// The items of a tuple-valued expression, each evaluated from `tuple` (a literal's own
    /// items, otherwise one `TupleGet` per item: callers pass a variable or a pure expression).
    pub(super) fn tuple_items(&self, tuple: Expr) -> Vec<Expr> {
        match (tuple.kind, tuple.ty) {
            (ExprKind::Tuple(items), _) => items,
            (kind, Type::Tuple(types)) => {
                let whole = Expr::new(kind, Type::Tuple(types.clone()));
                types
                    .into_iter()
                    .enumerate()
                    .map(|(index, ty)| {
                        Expr::new(
                            ExprKind::TupleGet {
                                tuple: Box::new(whole.clone()),
                                index,
                            },
                            ty,
                        )
                    })
                    .collect()
            }
            _ => unreachable!("tuple_items of a tuple"),
        }
    }

    /// `s + t` of two tuples: one tuple of both's items. Each side is a literal, a variable or
    /// `a.shape`, whose items can be read one by one without evaluating anything twice.
    pub(super) fn tuple_concat(&self, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let mut items = Vec::new();
        for side in [lhs, rhs] {
            let side = self.first_class(side, range)?;
            if !matches!(side.kind, ExprKind::Tuple(_) | ExprKind::Var(_)) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    range,
                    "+ of a tuple computed by an expression (assign it to a variable first)",
                ));
            }
            items.extend(self.tuple_items(side));
        }
        let ty = Type::Tuple(items.iter().map(|e| e.ty.clone()).collect());
        Ok(Expr::new(ExprKind::Tuple(items), ty))
    }

    /// `t[k]`, `t[i]` and `t[a:b]` of a tuple (or of `a.shape`).
    pub(super) fn tuple_subscript(&mut self, fx: &mut FnCx, tuple: Expr, sub: &ast::ExprSubscript) -> R<Expr> {
        let range = sub.range;
        let len = match &tuple.ty {
            Type::IntTuple(n) => *n as usize,
            Type::Tuple(items) => items.len(),
            _ => unreachable!("tuple_subscript of a tuple"),
        };
        if let PyExpr::Slice(s) = &*sub.slice {
            let bound = |e: &Option<Box<PyExpr>>| -> R<Option<i64>> {
                match e.as_deref() {
                    None | Some(PyExpr::NoneLiteral(_)) => Ok(None),
                    Some(x) => match self.module.eval_const(x) {
                        Some(ConstValue::Int(k)) => Ok(Some(k)),
                        _ => Err(self.err(
                            DiagKind::Unsupported,
                            x.range(),
                            "slicing a tuple with anything but integer constants",
                        )),
                    },
                }
            };
            let (start, stop, step) = (bound(&s.lower)?, bound(&s.upper)?, bound(&s.step)?);
            if step == Some(0) {
                return Err(self.err(DiagKind::Type, range, "slice step cannot be zero"));
            }
            if !pure(&tuple) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    sub.value.range(),
                    "slicing the tuple a call returns (assign it to a variable first)",
                ));
            }
            let picked = python_slice(len as i64, start, stop, step.unwrap_or(1));
            let tuple = self.first_class(tuple, sub.value.range())?;
            let items = self.tuple_items(tuple);
            let kept: Vec<Expr> = picked.into_iter().map(|k| items[k as usize].clone()).collect();
            let ty = Type::Tuple(kept.iter().map(|e| e.ty.clone()).collect());
            return Ok(Expr::new(ExprKind::Tuple(kept), ty));
        }
        if let Some(ConstValue::Int(k)) = self.module.eval_const(&sub.slice) {
            let index = if k < 0 { k + len as i64 } else { k };
            if !(0..len as i64).contains(&index) {
                return Err(self.err(
                    DiagKind::Type,
                    sub.slice.range(),
                    format!("tuple index out of range (the tuple has {len} items)"),
                ));
            }
            let index = index as usize;
            return Ok(match (tuple.kind, tuple.ty) {
                (ExprKind::ArrayDim { array, .. }, Type::IntTuple(_)) => Expr::new(
                    ExprKind::ArrayDim {
                        array,
                        dim: index as u8,
                    },
                    Type::I64,
                ),
                (ExprKind::Tuple(mut items), _) => items.swap_remove(index),
                (kind, ty) => {
                    let item = ty.tuple().expect("a tuple")[index].clone();
                    Expr::new(
                        ExprKind::TupleGet {
                            tuple: Box::new(Expr::new(kind, ty)),
                            index,
                        },
                        item,
                    )
                }
            });
        }
        let index = self.expr(fx, &sub.slice)?;
        if index.ty.scalar().is_none_or(|s| s.is_float()) {
            return Err(self.err(
                DiagKind::Type,
                sub.slice.range(),
                format!("tuple indices must be integers, not {}", index.ty),
            ));
        }
        let tuple = self.first_class(tuple, sub.value.range())?;
        self.tuple_index(tuple, index.cast(&Type::I64), range)
    }

    /// Item `index` (computed at run time, negative ones counting from the end) of a tuple
    /// whose items share one type.
    pub(super) fn tuple_index(&self, tuple: Expr, index: Expr, range: TextRange) -> R<Expr> {
        let items = tuple.ty.tuple().expect("a tuple");
        let Some(first) = items.first() else {
            return Err(self.err(DiagKind::Type, range, "tuple index out of range (the tuple is empty)"));
        };
        if items.iter().any(|t| t != first) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "a computed index into {} (its items have different types; use a constant index)",
                    tuple.ty
                ),
            ));
        }
        let item = first.clone();
        Ok(Expr::new(
            ExprKind::TupleIndex {
                tuple: Box::new(tuple),
                index: Box::new(index),
            },
            item,
        ))
    }

    /// `t1 == t2` and `t1 != t2`: item by item, as Python compares tuples.
    pub(super) fn tuple_equality(&self, op: CmpOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        if ordering && !matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge) {
            return Err(self.err(DiagKind::Unsupported, range, "this comparison of tuples"));
        }
        let lhs = self.first_class(lhs, range)?;
        let rhs = self.first_class(rhs, range)?;
        if !pure(&lhs) || !pure(&rhs) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                "comparing the tuple a call returns (assign it to a variable first)",
            ));
        }
        let (Some(a), Some(b)) = (lhs.ty.tuple().map(<[Type]>::len), rhs.ty.tuple().map(<[Type]>::len)) else {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot compare {} and {}", lhs.ty, rhs.ty),
            ));
        };
        if ordering {
            let xs = self.tuple_items(lhs);
            let ys = self.tuple_items(rhs);
            return self.tuple_order(op, &xs, &ys, a.cmp(&b), range);
        }
        let equal = if a != b {
            const_expr(ConstValue::Bool(false))
        } else {
            let mut all = const_expr(ConstValue::Bool(true));
            for (x, y) in self.tuple_items(lhs).into_iter().zip(self.tuple_items(rhs)) {
                let item = if x.ty.tuple().is_some() || y.ty.tuple().is_some() {
                    self.tuple_equality(CmpOp::Eq, x, y, range)?
                } else {
                    self.compare_scalars(CmpOp::Eq, x, y, range)?
                };
                all = Expr::new(
                    ExprKind::Logical {
                        and: true,
                        lhs: Box::new(all),
                        rhs: Box::new(item),
                    },
                    Type::BOOL,
                );
            }
            all
        };
        Ok(if op == CmpOp::Ne {
            Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(equal),
                },
                Type::BOOL,
            )
        } else {
            equal
        })
    }

    /// Python's lexicographic tuple order: `op` of the first items that differ, else of the
    /// lengths (`lengths` is how the left one's compares with the right one's).
    fn tuple_order(
        &self,
        op: CmpOp,
        xs: &[Expr],
        ys: &[Expr],
        lengths: std::cmp::Ordering,
        range: TextRange,
    ) -> R<Expr> {
        let (Some((x, xs)), Some((y, ys))) = (xs.split_first(), ys.split_first()) else {
            let holds = match op {
                CmpOp::Lt => lengths.is_lt(),
                CmpOp::Le => lengths.is_le(),
                CmpOp::Gt => lengths.is_gt(),
                _ => lengths.is_ge(),
            };
            return Ok(const_expr(ConstValue::Bool(holds)));
        };
        let compare = |this: &Self, op: CmpOp| -> R<Expr> {
            if x.ty.tuple().is_some() || y.ty.tuple().is_some() {
                this.tuple_equality(op, x.clone(), y.clone(), range)
            } else {
                this.compare_scalars(op, x.clone(), y.clone(), range)
            }
        };
        let logical = |and: bool, lhs: Expr, rhs: Expr| {
            Expr::new(
                ExprKind::Logical {
                    and,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                Type::BOOL,
            )
        };
        let differ_and_hold = logical(true, compare(self, CmpOp::Ne)?, compare(self, op)?);
        let rest = self.tuple_order(op, xs, ys, lengths, range)?;
        let equal_and_rest = logical(true, compare(self, CmpOp::Eq)?, rest);
        Ok(logical(false, differ_and_hold, equal_and_rest))
    }

    /// Binds `value` to an assignment or loop target: a name, an array subscript, or a tuple of
    /// targets that unpacks a tuple (`i, (x, y) = ...`, `a[i], a[j] = a[j], a[i]`).
    pub(super) fn bind_target(&mut self, fx: &mut FnCx, target: &PyExpr, value: Expr, out: &mut Vec<Stmt>) -> R<()> {
        let names = match target {
            PyExpr::Name(n) => {
                out.push(self.assign_var(fx, n.id.as_str(), value, n.range)?);
                return Ok(());
            }
            PyExpr::Subscript(sub) => {
                out.push(self.store_subscript(fx, sub, value, sub.range)?);
                return Ok(());
            }
            PyExpr::Tuple(t) => &t.elts,
            PyExpr::List(l) => &l.elts,
            other => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    other.range(),
                    "unpacking into anything but names, subscripts and tuples of them",
                ))
            }
        };
        if let Some(s) = names.iter().find(|e| matches!(e, PyExpr::Starred(_))) {
            return Err(self.err(DiagKind::Unsupported, s.range(), "starred unpacking targets"));
        }
        let value = self.first_class(value, target.range())?;
        if let Some(at) = value.ty.array().filter(|a| a.ndim == 1) {
            return self.unpack_vector(fx, names, value, at.dtype, target.range(), out);
        }
        let Some(len) = value.ty.tuple().map(<[Type]>::len) else {
            return Err(self.err(
                DiagKind::Type,
                target.range(),
                format!("cannot unpack a value of type {}", value.ty),
            ));
        };
        if len != names.len() {
            return Err(self.err(
                DiagKind::Type,
                target.range(),
                format!("cannot unpack {len} values into {} targets", names.len()),
            ));
        }
        // Items are read from one evaluation of the value.
        let value = if pure(&value) {
            value
        } else {
            let (var, s) = self.hidden_var(fx, value, target.range())?;
            out.push(s);
            Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone())
        };
        for (t, item) in names.iter().zip(self.tuple_items(value)) {
            self.bind_target(fx, t, item, out)?;
        }
        Ok(())
    }
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// `a, b = v` of a 1-D array (Numba's and Python's iteration of it): its length is checked
    /// when the kernel runs (ValueError, as Python's), then each target takes its item.
    fn unpack_vector(
        &mut self,
        fx: &mut FnCx,
        names: &[PyExpr],
        vector: Expr,
        dtype: Scalar,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let count = const_expr(ConstValue::Int(names.len() as i64));
        let checked = self.library_call("__kc_unpack_checked", vec![vector, count], range)?;
        let (var, s) = self.hidden_var(fx, checked, range)?;
        out.push(s);
        let vector = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
        for (k, t) in names.iter().enumerate() {
            let item = Expr::new(
                ExprKind::GetItem {
                    array: Box::new(vector.clone()),
                    indices: vec![const_expr(ConstValue::Int(k as i64))],
                },
                Type::Scalar(dtype),
            );
            self.bind_target(fx, t, item, out)?;
        }
        Ok(())
    }
}

/// Whether evaluating `e` twice is the same as evaluating it once (no calls, no allocation).
pub(super) fn pure(e: &Expr) -> bool {
    crate::stack::deep(|| pure_inner(e))
}

fn pure_inner(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) | ExprKind::Var(_) => true,
        ExprKind::Cast(x) | ExprKind::ArraySize(x) | ExprKind::OptionalValue(x) => pure(x),
        ExprKind::ArrayDim { array, .. } => pure(array),
        ExprKind::TupleGet { tuple, .. } => pure(tuple),
        ExprKind::TupleIndex { tuple, index } => pure(tuple) && pure(index),
        ExprKind::Tuple(items) => items.iter().all(pure),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } => pure(lhs) && pure(rhs),
        ExprKind::GetItem { array, indices } => pure(array) && indices.iter().all(pure),
        _ => false,
    }
}

/// The indices `t[start:stop:step]` picks from a tuple of `len` items (Python's rules).
fn python_slice(len: i64, start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<i64> {
    let clamp = |v: i64, lo: i64, hi: i64| v.clamp(lo, hi);
    let resolve = |v: Option<i64>, default: i64, lo: i64, hi: i64| match v {
        None => default,
        Some(v) if v < 0 => clamp(v + len, lo, hi),
        Some(v) => clamp(v, lo, hi),
    };
    let mut out = Vec::new();
    if step > 0 {
        let (a, b) = (resolve(start, 0, 0, len), resolve(stop, len, 0, len));
        let mut i = a;
        while i < b {
            out.push(i);
            i += step;
        }
    } else {
        let (a, b) = (resolve(start, len - 1, -1, len - 1), resolve(stop, -1, -1, len - 1));
        let mut i = a;
        while i > b {
            out.push(i);
            i += step;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::python_slice;

    #[test]
    fn slices_follow_python() {
        let items: Vec<i64> = (0..5).collect();
        let py = |s: Option<i64>, e: Option<i64>, st: i64| python_slice(5, s, e, st);
        assert_eq!(py(None, None, 1), items);
        assert_eq!(py(Some(1), None, 1), vec![1, 2, 3, 4]);
        assert_eq!(py(None, Some(-1), 1), vec![0, 1, 2, 3]);
        assert_eq!(py(None, None, -1), vec![4, 3, 2, 1, 0]);
        assert_eq!(py(Some(-2), None, -2), vec![3, 1]);
        assert_eq!(py(Some(10), None, 1), Vec::<i64>::new());
        assert_eq!(py(Some(-10), Some(2), 1), vec![0, 1]);
        assert_eq!(py(None, Some(-10), -1), vec![4, 3, 2, 1, 0]);
    }
}
