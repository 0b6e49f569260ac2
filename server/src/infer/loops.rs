//! `for` loops: `range`, `prange` (parallel when the kernel is) and iteration over arrays (the
//! elements of a 1-D array, the rows of an N-d one).

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn for_stmt(&mut self, fx: &mut FnCx, s: &ast::StmtFor, out: &mut Vec<Stmt>) -> R<()> {
        let PyExpr::Name(target) = &*s.target else {
            return Err(self.err(
                DiagKind::Unsupported,
                s.target.range(),
                "loop targets other than a single name",
            ));
        };
        if s.is_async {
            return Err(self.err(DiagKind::Unsupported, s.range, "async for"));
        }
        let (start, stop, step, parallel) = match &*s.iter {
            PyExpr::Call(call) if self.is_range_call(&call.func).is_some() => {
                let parallel = self.is_range_call(&call.func) == Some(true) && self.options.parallel;
                if !call.arguments.keywords.is_empty() {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        call.arguments.range,
                        "keyword arguments to range",
                    ));
                }
                let mut args = Vec::new();
                for a in call.arguments.args.iter() {
                    let e = self.expr(fx, a)?;
                    match e.ty.scalar() {
                        Some(s) if !s.is_float() => args.push(e.cast(&Type::I64)),
                        _ => {
                            return Err(self.err(
                                DiagKind::Type,
                                a.range(),
                                format!("range() arguments must be integers, not {}", e.ty),
                            ))
                        }
                    }
                }
                let zero = || Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64);
                let one = || Expr::new(ExprKind::Const(ConstValue::Int(1)), Type::I64);
                let mut it = args.into_iter();
                match call.arguments.args.len() {
                    1 => (zero(), it.next().expect("one"), one(), parallel),
                    2 => (it.next().expect("two"), it.next().expect("two"), one(), parallel),
                    3 => (
                        it.next().expect("3"),
                        it.next().expect("3"),
                        it.next().expect("3"),
                        parallel,
                    ),
                    n => {
                        return Err(self.err(
                            DiagKind::Type,
                            call.arguments.range,
                            format!("range expected 1 to 3 arguments, got {n}"),
                        ))
                    }
                }
            }
            iter => {
                // `for x in arr` over a 1-D array: an index loop with the element assigned.
                let array = self.expr(fx, iter)?;
                let Some(at) = array.ty.array() else {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        iter.range(),
                        "iterating over anything but range(), prange() or a 1-D array",
                    ));
                };
                let (array_var, s1) = self.hidden_var(fx, array, iter.range())?;
                out.push(s1);
                let arr = Expr::new(ExprKind::Var(array_var), fx.vars[array_var].ty.clone());
                let (idx_var, s2) = self.hidden_var(
                    fx,
                    Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
                    iter.range(),
                )?;
                out.push(s2);
                let index = Expr::new(ExprKind::Var(idx_var), Type::I64);
                // `for row in a2d`: each row is a view.
                let elem = if at.ndim == 1 {
                    Expr::new(
                        ExprKind::GetItem {
                            array: Box::new(arr.clone()),
                            indices: vec![index],
                        },
                        Type::Scalar(at.dtype),
                    )
                } else {
                    let indices = vec![ViewIndex::At(index)];
                    let layout = numpy::view_layout(at, &indices);
                    Expr::new(
                        ExprKind::View {
                            array: Box::new(arr.clone()),
                            indices,
                        },
                        Type::Array(crate::types::ArrayType {
                            dtype: at.dtype,
                            ndim: at.ndim - 1,
                            layout,
                        }),
                    )
                };
                let assign = self.assign_var(fx, target.id.as_str(), elem, target.range)?;
                fx.loop_depth += 1;
                let body = self.block(fx, &s.body);
                fx.loop_depth -= 1;
                let mut body_stmts = vec![assign];
                body_stmts.extend(body?);
                let orelse = self.block(fx, &s.orelse)?;
                let stop = Expr::new(
                    ExprKind::ArrayDim {
                        array: Box::new(arr),
                        dim: 0,
                    },
                    Type::I64,
                );
                out.push(Stmt::ForRange {
                    var: idx_var,
                    start: Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
                    stop,
                    step: Expr::new(ExprKind::Const(ConstValue::Int(1)), Type::I64),
                    body: body_stmts,
                    orelse,
                    parallel: false,
                });
                return Ok(());
            }
        };
        let index = Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64);
        // Registers the loop variable as int64 (unified with earlier uses of the name).
        let Stmt::Assign { var, .. } = self.assign_var(fx, target.id.as_str(), index, target.range)? else {
            unreachable!()
        };
        if fx.vars[var].ty != Type::I64 {
            return Err(self.err(
                DiagKind::Type,
                target.range,
                format!("loop variable '{}' is also used as {}", target.id, fx.vars[var].ty),
            ));
        }
        // A prange nested in another runs serially inside its worker, as Numba does.
        let parallel = parallel && fx.parallel_depth == 0;
        fx.loop_depth += 1;
        fx.parallel_depth += parallel as usize;
        let body = self.block(fx, &s.body);
        fx.parallel_depth -= parallel as usize;
        fx.loop_depth -= 1;
        let body = body?;
        let orelse = self.block(fx, &s.orelse)?;
        // Early exits (return, or break out of the prange itself) make the loop serial.
        let parallel = parallel && !exits_early(&body, true);
        out.push(Stmt::ForRange {
            var,
            start,
            stop,
            step,
            body,
            orelse,
            parallel,
        });
        Ok(())
    }

    /// `Some(false)` for `range`, `Some(true)` for `prange`, `None` otherwise.
    pub(super) fn is_range_call(&self, func: &PyExpr) -> Option<bool> {
        match func {
            PyExpr::Name(n) if n.id.as_str() == "range" => Some(false),
            PyExpr::Name(n) => match self.module.imports.get(n.id.as_str()) {
                Some(Imported::Member(PyModule::Numba, m)) if m == "prange" => Some(true),
                _ => None,
            },
            PyExpr::Attribute(a) if a.attr.id.as_str() == "prange" => match &*a.value {
                PyExpr::Name(n)
                    if self.module.imports.get(n.id.as_str()) == Some(&Imported::Module(PyModule::Numba)) =>
                {
                    Some(true)
                }
                _ => None,
            },
            _ => None,
        }
    }
}
