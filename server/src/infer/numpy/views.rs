//! Views and array methods: basic indexing and slicing, `reshape`, `.T`, masks, stores into
//! arrays, attributes (`shape`, `size`, `ndim`, `dtype`).

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    /// `a.<name>(...)` on an array.
    pub(in crate::infer) fn array_method(&mut self, fx: &mut FnCx, a: Expr, name: &str, args: &CallArgs) -> R<Expr> {
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
            "view" => {
                self.check_kwargs(args, &["dtype"], "view")?;
                let d = args
                    .get(0, "dtype")
                    .ok_or_else(|| self.err(DiagKind::Unsupported, range, "a.view() without a dtype"))?;
                let dtype = self.dtype_arg(fx, d)?;
                let layout = if dtype.itemsize() == at.dtype.itemsize() || at.layout == Layout::C {
                    at.layout
                } else {
                    Layout::A
                };
                Ok(Expr::new(
                    ExprKind::DtypeView(Box::new(a)),
                    Type::Array(ArrayType { dtype, layout, ..at }),
                ))
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
                let dims =
                    match args.pos.as_slice() {
                        [one] => match self.shape_arg(fx, one)? {
                            Shape::Dims(d) => d,
                            Shape::Like(other) if pure(&other) => {
                                let ndim = other.ty.array().map_or(0, |t| t.ndim);
                                (0..ndim)
                                    .map(|dim| {
                                        Expr::new(
                                            ExprKind::ArrayDim {
                                                array: Box::new(other.clone()),
                                                dim,
                                            },
                                            Type::I64,
                                        )
                                    })
                                    .collect()
                            }
                            Shape::Like(_) => return Err(self.err(
                                DiagKind::Unsupported,
                                range,
                                "reshape to the shape of an array computed by a call (assign it to a variable first)",
                            )),
                        },
                        many => many.iter().map(|p| self.int_arg(fx, p)).collect::<R<_>>()?,
                    };
                if dims.is_empty() {
                    return Err(self.err(DiagKind::Unsupported, range, "reshape to a 0-d array"));
                }
                Ok(self.reshaped(a, dims))
            }
            // Numba's rule, decided by the layout type: a view of a C-contiguous array, else a
            // flattened copy (NumPy also copies when the data is not contiguous).
            "ravel" if at.layout == Layout::C || at.ndim <= 1 && at.layout != Layout::A => {
                Ok(self.reshaped(a, vec![const_expr(ConstValue::Int(-1))]))
            }
            "ravel" => {
                let c = self.converted_copy(a, at.dtype);
                Ok(self.reshaped(c, vec![const_expr(ConstValue::Int(-1))]))
            }
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
            "nonzero" => {
                self.check_kwargs(args, &[], "nonzero")?;
                let function = match at.ndim {
                    1 => "__kc_np_nonzero",
                    2 => "__kc_np_nonzero_2d",
                    3 => "__kc_np_nonzero_3d",
                    n => return Err(self.err(DiagKind::Unsupported, range, format!("nonzero() of a {n}-d array"))),
                };
                self.library_call(function, vec![a], range)
            }
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

    pub(in crate::infer) fn reshaped(&self, a: Expr, shape: Vec<Expr>) -> Expr {
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

    pub(in crate::infer) fn transposed(&self, a: Expr, axes: Vec<u8>) -> Expr {
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
    pub(in crate::infer) fn view_subscript(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<Option<Expr>> {
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
        if array.ty.dict_types().is_some() {
            return self.dict_get(fx, array, sub).map(Some);
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
                e if self.is_newaxis(fx, e) => indices.push(ViewIndex::NewAxis),
                PyExpr::EllipsisLiteral(_) if !ellipsis => {
                    ellipsis = true;
                    indices.push(ViewIndex::Slice {
                        start: None,
                        stop: None,
                        step: Some(const_expr(ConstValue::Int(i64::MIN))),
                    });
                }
                other => {
                    let mut v = self.expr(fx, other)?;
                    if idx.len() == 1 {
                        // `a[idx]` with a tuple of integers in a variable: one index per item.
                        if let Some(items) = crate::infer::array::int_tuple_items(&v) {
                            for item in items {
                                typed.push(item.clone());
                                indices.push(ViewIndex::At(item));
                            }
                            continue;
                        }
                    }
                    // a[[0, 2, 3]]: the list's items as an index array.
                    if v.ty
                        .list_item()
                        .and_then(Type::scalar)
                        .is_some_and(|s| !s.is_float() && !s.is_complex())
                    {
                        v = crate::infer::list::list_op(
                            ListOp::ToArray,
                            v,
                            vec![],
                            Type::Array(ArrayType {
                                dtype: Scalar::I64,
                                ndim: 1,
                                layout: Layout::C,
                            }),
                        );
                    }
                    if v.ty.array().is_some() {
                        let k = idx.iter().position(|e| std::ptr::eq(*e, *other)).unwrap_or(0);
                        if let Some(e) = self.fancy_index(fx, &array, at, &idx, k, &v, &indices, other.range())? {
                            return Ok(Some(e));
                        }
                    }
                    if let Some(mt) = v.ty.array() {
                        if mt.dtype == Scalar::Bool && idx.len() == 1 {
                            return Ok(Some(self.mask_select(array, v, other.range())?));
                        }
                        // a[idx] of a 1-D array with a 1-D integer array: a new array (NumPy's
                        // `take`); stores through it are refused in `store_into`.
                        if idx.len() == 1 && at.ndim == 1 && mt.ndim == 1 && !mt.dtype.is_float() {
                            return self
                                .library_call("__kc_np_take", vec![array, v], other.range())
                                .map(Some);
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
        if simple && typed.len() == at.ndim as usize {
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
    pub(in crate::infer) fn is_element(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<bool> {
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
        if idx.len() == 1 && ndim > 1 {
            let index = self.expr(fx, idx[0])?;
            return Ok(crate::infer::array::int_tuple_items(&index).is_some_and(|items| items.len() == ndim));
        }
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
    pub(in crate::infer) fn store_into(
        &mut self,
        target: Expr,
        value: Expr,
        op: Option<BinOp>,
        range: TextRange,
    ) -> R<Stmt> {
        // out[i] = (x, y): a tuple of numbers is stored as the array np.array makes of it.
        let value = if value.ty.tuple().is_some() {
            match self.tuple_to_array(value.clone(), None, range)? {
                Some(array) => array,
                None => value,
            }
        } else {
            value
        };
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
            ExprKind::MaskSelect { array, mask } if value.ty.array().is_some_and(|v| v.ndim == 1) => {
                // a[mask] = v with a 1-D v: the k-th selected element gets v[k] (NumPy's
                // assignment; `a[mask] op= v` is `a[mask] = a[mask] op v`).
                let new = match op {
                    Some(op) => {
                        let selected = self.mask_select((*array).clone(), (*mask).clone(), range)?;
                        self.array_binary(op, selected, value, range)?
                    }
                    None => value,
                };
                let call = self.library_call("__kc_mask_put", vec![*array, *mask, new], range)?;
                Ok(Stmt::Expr(call))
            }
            ExprKind::MaskSelect { array, mask } => {
                // a[mask] = v of a scalar (or an array v as np.where would broadcast it): where
                // the mask holds, the new value; elsewhere the old one.
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
            // a[idx] = v with an integer index array: each indexed element gets its value (a
            // repeated index keeps the last; `a[idx] += v` reads every element once first, as
            // NumPy's buffered assignment does).
            ExprKind::Call { func, ref args }
                if self.functions[func].as_ref().is_some_and(|f| f.name == "__kc_np_take") =>
            {
                let (array, indices) = (args[0].clone(), args[1].clone());
                let value = match op {
                    Some(op) => self.array_binary(op, target.clone(), value, range)?,
                    None => value,
                };
                let put = if is_array(&value) {
                    "__kc_put_array"
                } else {
                    "__kc_put_scalar"
                };
                let call = self.library_call(put, vec![array, indices, value], range)?;
                Ok(Stmt::Expr(call))
            }
            // a[rows, cols] = v: element k of the pairs gets v (or v[k]); `+=` reads the pairs
            // first, as NumPy's buffered assignment does.
            ExprKind::Call { func, ref args }
                if self.functions[func]
                    .as_ref()
                    .is_some_and(|f| f.name == "__kc_take_pairs_2d") =>
            {
                let (array, rows, cols) = (args[0].clone(), args[1].clone(), args[2].clone());
                let value = match op {
                    Some(op) => self.array_binary(op, target.clone(), value, range)?,
                    None => value,
                };
                let put = match value.ty.array() {
                    Some(t) if t.ndim == 1 => "__kc_put_pairs_2d",
                    Some(_) => {
                        return Err(self.err(DiagKind::Type, range, "a[rows, cols] = v needs a number or a 1-D array"))
                    }
                    None => "__kc_put_pairs_2d_scalar",
                };
                let call = self.library_call(put, vec![array, rows, cols, value], range)?;
                Ok(Stmt::Expr(call))
            }
            // a[idx] = v and a[mask] = v of the rows of a 2-D array.
            ExprKind::Call { func, ref args }
                if self.functions[func]
                    .as_ref()
                    .is_some_and(|f| f.name == "__kc_take_rows_2d" || f.name == "__kc_mask_rows_2d") =>
            {
                let by_mask = self.functions[func]
                    .as_ref()
                    .is_some_and(|f| f.name == "__kc_mask_rows_2d");
                let (array, selector) = (args[0].clone(), args[1].clone());
                let value = match op {
                    Some(op) => self.array_binary(op, target.clone(), value, range)?,
                    None => value,
                };
                let per_row = value.ty.array().is_some_and(|t| t.ndim == 2);
                if value.ty.array().is_some_and(|t| t.ndim > 2) {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        "a value of more dimensions than the selected rows",
                    ));
                }
                let put = match (by_mask, per_row) {
                    (false, false) => "__kc_put_rows_2d",
                    (false, true) => "__kc_put_rows_each_2d",
                    (true, false) => "__kc_put_mask_rows_2d",
                    (true, true) => "__kc_put_mask_rows_each_2d",
                };
                let call = self.library_call(put, vec![array, selector, value], range)?;
                Ok(Stmt::Expr(call))
            }
            // A function's result (a copy) is no place to store into: the values would be lost
            // without a word.
            ExprKind::Call { .. } => Err(self.err(
                DiagKind::Unsupported,
                range,
                "assignment into a function's result or through an integer index array (fancy indexing)",
            )),
            _ => {
                let value = match op {
                    Some(op) => self.array_binary(op, target.clone(), value, range)?,
                    None => value,
                };
                Ok(Stmt::ArrayStore { dest: target, value })
            }
        }
    }

    pub(in crate::infer) fn mask_select(&self, array: Expr, mask: Expr, range: TextRange) -> R<Expr> {
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
    pub(in crate::infer) fn array_attribute(&self, a: Expr, name: &str, range: TextRange) -> R<Expr> {
        let at = a.ty.array().expect("caller checked");
        match name {
            "T" => Ok(self.transposed(a, (0..at.ndim).rev().collect())),
            "real" | "imag" if at.dtype.is_complex() => Ok(Expr::new(
                ExprKind::ComplexPart {
                    array: Box::new(a),
                    imag: name == "imag",
                },
                Type::Array(ArrayType {
                    dtype: at.dtype.real_part(),
                    layout: Layout::A,
                    ..at
                }),
            )),
            "real" => Ok(a),
            // A real array's imaginary part: zeros of its dtype (a new array, as NumPy's is
            // read-only there).
            "imag" => Ok(new_array(
                at.dtype,
                at.ndim,
                ArrayMap {
                    body: Some(Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64).cast(&Type::Scalar(at.dtype))),
                    inputs: vec![a],
                    shape: None,
                },
            )),
            // `a.flat[i]` (read and written): the elements in C order, a 1-D view of them
            // (a contiguous array's; other layouts raise at run time, as a reshape does).
            "nbytes" => {
                let size = Expr::new(ExprKind::ArraySize(Box::new(a)), Type::I64);
                self.binary(
                    BinOp::Mul,
                    size,
                    const_expr(ConstValue::Int(at.dtype.itemsize() as i64)),
                    range,
                )
            }
            "flat" if at.ndim <= 1 => Ok(a),
            "flat" => Ok(self.reshaped(a, vec![const_expr(ConstValue::Int(-1))])),
            _ => Err(self.err(DiagKind::Unsupported, range, format!("array attribute '{name}'"))),
        }
    }
}

impl Inferer<'_, '_> {
    /// `np.newaxis` (or `newaxis` imported from NumPy), which NumPy defines as None.
    fn is_newaxis(&self, fx: &FnCx, e: &PyExpr) -> bool {
        match e {
            PyExpr::Attribute(a) if a.attr.id.as_str() == "newaxis" => matches!(
                &*a.value,
                PyExpr::Name(base) if !fx.locals.contains(base.id.as_str())
                    && matches!(self.module.imports.get(base.id.as_str()), Some(Imported::Module(PyModule::Numpy)))
            ),
            PyExpr::Name(n) => {
                !fx.locals.contains(n.id.as_str())
                    && matches!(self.module.imports.get(n.id.as_str()),
                        Some(Imported::Member(PyModule::Numpy, member)) if member == "newaxis")
            }
            _ => false,
        }
    }
}

impl Inferer<'_, '_> {
    /// Fancy indexing of a 2-D or 3-D array that makes a new array (NumPy's advanced indexing):
    /// `a[idx]`/`a[idx, :]` (rows), `a[mask]` (rows a 1-D mask keeps), `a[:, idx]` (columns),
    /// `a[rows, cols]` (pairs), `a[idx, j]` and `a[i, idx]`. `v` is the index array at place `k`
    /// of `idx`; `None` leaves the subscript to the other rules.
    #[allow(clippy::too_many_arguments)]
    fn fancy_index(
        &mut self,
        fx: &mut FnCx,
        array: &Expr,
        at: ArrayType,
        idx: &[&PyExpr],
        k: usize,
        v: &Expr,
        indices: &[ViewIndex],
        range: TextRange,
    ) -> R<Option<Expr>> {
        let mt = v.ty.array().expect("caller checked");
        if mt.ndim != 1 || at.ndim < 2 {
            return Ok(None);
        }
        let full =
            |e: &PyExpr| matches!(e, PyExpr::Slice(s) if s.lower.is_none() && s.upper.is_none() && s.step.is_none());
        // Another index that picks, not a slice, a new axis or `...`.
        let one_index = |e: &PyExpr| {
            !matches!(
                e,
                PyExpr::Slice(_) | PyExpr::NoneLiteral(_) | PyExpr::EllipsisLiteral(_)
            )
        };
        let ints = !mt.dtype.is_float() && !mt.dtype.is_complex() && mt.dtype != Scalar::Bool;
        let mask = mt.dtype == Scalar::Bool;
        let rest_full = idx.iter().enumerate().all(|(i, e)| i == k || full(e));
        let call = |this: &mut Self, f: &str, args: Vec<Expr>| this.library_call(f, args, range).map(Some);
        match (idx.len(), k, at.ndim) {
            (1, 0, 2 | 3) | (2, 0, 2) if rest_full && (ints || mask) => {
                let f = match (mask, at.ndim) {
                    (false, 2) => "__kc_take_rows_2d",
                    (false, _) => "__kc_take_rows_3d",
                    (true, 2) => "__kc_mask_rows_2d",
                    (true, _) => "__kc_mask_rows_3d",
                };
                call(self, f, vec![array.clone(), v.clone()])
            }
            (2, 1, 2) if full(idx[0]) && ints => call(self, "__kc_take_cols_2d", vec![array.clone(), v.clone()]),
            // `A[labels == k, j]` (k-means): column j of the rows a mask keeps.
            (2, 0, 2) if mask && one_index(idx[1]) => {
                let j = self.int_arg(fx, idx[1])?;
                call(self, "__kc_mask_rows_at_col_2d", vec![array.clone(), v.clone(), j])
            }
            (2, 0, 2) if ints && one_index(idx[1]) => {
                let w = self.expr(fx, idx[1])?;
                match (w.ty.array(), w.ty.scalar()) {
                    (Some(wt), _) if wt.ndim == 1 && wt.dtype.is_int() => {
                        call(self, "__kc_take_pairs_2d", vec![array.clone(), v.clone(), w])
                    }
                    (None, Some(s)) if !s.is_float() && !s.is_complex() => call(
                        self,
                        "__kc_take_rows_at_col_2d",
                        vec![array.clone(), v.clone(), w.cast(&Type::I64)],
                    ),
                    _ => Err(self.err(
                        DiagKind::Unsupported,
                        idx[1].range(),
                        format!("indexing a 2-D array with an integer array and {}", w.ty),
                    )),
                }
            }
            (2, 1, 2) if ints => match indices.first() {
                Some(ViewIndex::At(i)) => call(self, "__kc_take_in_row_2d", vec![array.clone(), i.clone(), v.clone()]),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }
}
