//! Array subscripts: one index per dimension, and constant indices into shapes.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn const_index(&self, e: &PyExpr, len: u8) -> R<u8> {
        match self.module.eval_const(e) {
            Some(ConstValue::Int(k)) => {
                let k = if k < 0 { k + len as i64 } else { k };
                if (0..len as i64).contains(&k) {
                    Ok(k as u8)
                } else {
                    Err(self.err(
                        DiagKind::Type,
                        e.range(),
                        format!("tuple index out of range (the tuple has {len} items)"),
                    ))
                }
            }
            _ => Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                "indexing a shape with anything but an integer constant",
            )),
        }
    }

    pub(super) fn subscript_parts(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<(Expr, Vec<Expr>)> {
        let array = self.expr(fx, &sub.value)?;
        if matches!(array.ty, Type::Tuple(_) | Type::IntTuple(_)) {
            return Err(self.err(
                DiagKind::Type,
                sub.range,
                "tuples do not support item assignment (they are immutable)",
            ));
        }
        let Some(at) = array.ty.array() else {
            return Err(self.err(
                DiagKind::Type,
                sub.value.range(),
                format!("cannot index a value of type {}", array.ty),
            ));
        };
        let idx_exprs: Vec<&PyExpr> = match &*sub.slice {
            PyExpr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        if idx_exprs.len() == 1 && !matches!(idx_exprs[0], PyExpr::Slice(_)) {
            // `a[idx]` with a tuple of integers in a variable (`for idx in np.ndindex(...)`).
            let index = self.expr(fx, idx_exprs[0])?;
            if let Some(items) = int_tuple_items(&index) {
                if items.len() == at.ndim as usize {
                    return Ok((array, items));
                }
            }
        }
        if idx_exprs.len() != at.ndim as usize {
            if idx_exprs.len() < at.ndim as usize {
                return Err(self.err(
                    DiagKind::Unsupported,
                    sub.slice.range(),
                    format!("indexing a {}-d array with {} index (array views are not supported; give one index per dimension)", at.ndim, idx_exprs.len()),
                ));
            }
            return Err(self.err(
                DiagKind::Type,
                sub.slice.range(),
                format!("too many indices for a {}-d array", at.ndim),
            ));
        }
        let mut indices = Vec::new();
        for ie in idx_exprs {
            if matches!(ie, PyExpr::Slice(_)) {
                return Err(self.err(DiagKind::Unsupported, ie.range(), "slices (array views)"));
            }
            let i = self.expr(fx, ie)?;
            match i.ty.scalar() {
                Some(s) if s.is_int() || s == Scalar::Bool => indices.push(i.cast(&Type::I64)),
                _ => {
                    return Err(self.err(
                        DiagKind::Type,
                        ie.range(),
                        format!("array indices must be integers, not {}", i.ty),
                    ))
                }
            }
        }
        Ok((array, indices))
    }
}

/// The items of a tuple of integers, each as an int64 index; `None` for anything else.
pub(super) fn int_tuple_items(tuple: &Expr) -> Option<Vec<Expr>> {
    let types: Vec<Type> = match &tuple.ty {
        Type::IntTuple(k) => vec![Type::I64; *k as usize],
        Type::Tuple(items) => items.clone(),
        _ => return None,
    };
    if !types
        .iter()
        .all(|t| t.scalar().is_some_and(|s| s.is_int() || s == Scalar::Bool))
    {
        return None;
    }
    Some(
        types
            .into_iter()
            .enumerate()
            .map(|(index, ty)| {
                Expr::new(
                    ExprKind::TupleGet {
                        tuple: Box::new(tuple.clone()),
                        index,
                    },
                    ty,
                )
                .cast(&Type::I64)
            })
            .collect(),
    )
}
