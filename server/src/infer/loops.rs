//! `for` loops: `range`, `prange` (parallel when the kernel is), and iteration over sequences
//! (the elements of a 1-D array, the rows of an N-d one, a tuple's items, `enumerate`, `zip`).

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn for_stmt(&mut self, fx: &mut FnCx, s: &ast::StmtFor, out: &mut Vec<Stmt>) -> R<()> {
        if s.is_async {
            return Err(self.err(DiagKind::Unsupported, s.range, "async for"));
        }
        if let (PyExpr::Name(target), PyExpr::Call(call)) = (&*s.target, &*s.iter) {
            if self.is_literal_unroll(fx, call) {
                return self.unrolled_for(fx, s, target, call, out);
            }
        }
        let target = match (&*s.target, &*s.iter) {
            (PyExpr::Name(target), PyExpr::Call(call)) if self.is_range_call(&call.func).is_some() => target,
            _ => return self.for_sequence(fx, s, out),
        };
        let PyExpr::Call(call) = &*s.iter else { unreachable!() };
        let parallel = self.is_range_call(&call.func) == Some(true) && self.options.parallel;
        let [start, stop, step] = self.range_args(fx, call)?;
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
        // A prange body runs as a function of its own: an except block around the loop has
        // no exception there for a bare `raise` to raise again.
        let handlers = if parallel {
            std::mem::take(&mut fx.handler_depth)
        } else {
            fx.handler_depth
        };
        let before = fx.nones.clone();
        let body = self.block(fx, &s.body);
        super::stmt::merge_nones(fx, before);
        fx.handler_depth = handlers;
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

    /// `literal_unroll(...)` (numba's, imported by name or as `numba.literal_unroll`).
    fn is_literal_unroll(&self, fx: &FnCx, call: &ast::ExprCall) -> bool {
        match &*call.func {
            PyExpr::Name(n) => {
                let id = n.id.as_str();
                let imported =
                    matches!(self.module.imports.get(id), Some(Imported::Member(_, m)) if m == "literal_unroll");
                (imported || id == "literal_unroll")
                    && !fx.locals.contains(id)
                    && !self.module.functions.contains_key(id)
            }
            PyExpr::Attribute(a) => a.attr.id == "literal_unroll" && matches!(&*a.value, PyExpr::Name(_)),
            _ => false,
        }
    }

    /// `for x in literal_unroll(t)`: the body once per item of the tuple, `x` a variable of the
    /// item's own type in each copy (as Numba versions the body per type), so items of
    /// different types (arrays of several dtypes, numbers and arrays) can be iterated.
    fn unrolled_for(
        &mut self,
        fx: &mut FnCx,
        s: &ast::StmtFor,
        target: &ast::ExprName,
        call: &ast::ExprCall,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let [arg] = call.arguments.args.as_ref() else {
            return Err(self.err(DiagKind::Type, call.range(), "literal_unroll takes one argument"));
        };
        let value = self.expr(fx, arg)?;
        let value = self.first_class(value, arg.range())?;
        if value.ty.tuple().is_none() {
            // A homogeneous container iterates as it is.
            let mut plain = s.clone();
            *plain.iter = arg.clone();
            return self.for_sequence(fx, &plain, out);
        }
        let tuple = self.once(fx, value, arg.range(), out)?;
        let name = target.id.to_string();
        let saved = fx.aliases.get(&name).cloned();
        for (k, item) in self.tuple_items(tuple).into_iter().enumerate() {
            let own = format!("{name}$unroll{}.{k}", fx.hidden);
            out.push(self.assign_var(fx, &own, item, target.range)?);
            fx.aliases.insert(name.clone(), own);
            fx.loop_depth += 1;
            let body = self.block(fx, &s.body);
            fx.loop_depth -= 1;
            let body = body?;
            if contains_break(&body) || has_continue(&body) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    s.range,
                    "break or continue in a literal_unroll loop",
                ));
            }
            out.extend(body);
        }
        fx.hidden += 1;
        match saved {
            Some(a) => fx.aliases.insert(name, a),
            None => fx.aliases.remove(&name),
        };
        out.extend(self.block(fx, &s.orelse)?);
        Ok(())
    }

    /// `start, stop, step` of a `range(...)` call, as int64 expressions.
    fn range_args(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<[Expr; 3]> {
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
        let int = |k| Expr::new(ExprKind::Const(ConstValue::Int(k)), Type::I64);
        let mut it = args.into_iter();
        let mut next = || it.next().expect("counted");
        Ok(match call.arguments.args.len() {
            1 => [int(0), next(), int(1)],
            2 => [next(), next(), int(1)],
            3 => [next(), next(), next()],
            n => {
                return Err(self.err(
                    DiagKind::Type,
                    call.arguments.range,
                    format!("range expected 1 to 3 arguments, got {n}"),
                ))
            }
        })
    }

    /// A loop over anything but a plain `range` into one name: an index loop from 0 to the
    /// sequence's length whose body starts by binding the target to the current item.
    fn for_sequence(&mut self, fx: &mut FnCx, s: &ast::StmtFor, out: &mut Vec<Stmt>) -> R<()> {
        self.sequence_loop(fx, &s.target, &s.iter, &[], out, &mut |this, fx| {
            fx.loop_depth += 1;
            let body = this.block(fx, &s.body);
            fx.loop_depth -= 1;
            body.map_err(Fail::Error)
        })?;
        let user = self.block(fx, &s.orelse)?;
        let Stmt::ForRange { orelse, .. } = out.last_mut().expect("pushed") else {
            unreachable!()
        };
        orelse.extend(user);
        Ok(())
    }

    /// A loop over a sequence into `target` (names in `aliases` rebound first, after the
    /// sequence is evaluated: a comprehension's own variables), with the body `body` makes:
    /// an index loop from 0 to the sequence's length whose body binds the current item first.
    pub(super) fn sequence_loop(
        &mut self,
        fx: &mut FnCx,
        target: &PyExpr,
        iter: &PyExpr,
        aliases: &[(String, String)],
        out: &mut Vec<Stmt>,
        body: &mut dyn FnMut(&mut Self, &mut FnCx) -> R<Vec<Stmt>>,
    ) -> R<()> {
        let (mark, pre_mark) = (out.len(), fx.pre.len());
        let seq = self.sequence(fx, iter, out)?;
        // What the iterable's own expressions hoisted (a comprehension's loop, `set(a)`) runs
        // before the loop; left in `fx.pre`, the body's first statement would take it.
        let hoisted: Vec<Stmt> = fx.pre.drain(pre_mark..).collect();
        out.splice(mark..mark, hoisted);
        let stop = self.sequence_len(&seq, iter.range())?;
        let (idx_var, init) = self.hidden_var(
            fx,
            Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
            iter.range(),
        )?;
        out.push(init);
        let index = Expr::new(ExprKind::Var(idx_var), Type::I64);
        let item = self.sequence_item(&seq, index.clone(), iter.range())?;
        for (name, alias) in aliases {
            fx.aliases.insert(name.clone(), alias.clone());
            // A name the comprehension binds shadows a global or module of that name there.
            fx.locals.insert(name.clone());
        }
        let mut stmts = Vec::new();
        // Python's next() on a dict whose size changed raises, before the next item and
        // instead of ending the loop (a `break` skips it).
        let mut guards = Vec::new();
        dict_guards(&seq, &mut guards);
        let mut orelse = Vec::new();
        for (dict, len) in guards {
            let (now, what) = if dict.ty.set_item().is_some() {
                (super::set::set_op(SetOp::Len, dict, vec![], Type::I64), "Set")
            } else {
                (super::dict::dict_op(DictOp::Len, dict, vec![], Type::I64), "dictionary")
            };
            let changed = self.compare_scalars(CmpOp::Ne, now, len, iter.range())?;
            let raise = || {
                vec![Stmt::Raise(Raise {
                    exception: "RuntimeError".into(),
                    message: format!("{what} changed size during iteration"),
                })]
            };
            let later = self.compare_scalars(CmpOp::Gt, index.clone(), const_expr(ConstValue::Int(0)), iter.range())?;
            stmts.push(Stmt::If {
                cond: Expr::new(
                    ExprKind::Logical {
                        and: true,
                        lhs: Box::new(later),
                        rhs: Box::new(changed.clone()),
                    },
                    Type::BOOL,
                ),
                then: raise(),
                orelse: Vec::new(),
            });
            orelse.push(Stmt::If {
                cond: changed,
                then: raise(),
                orelse: Vec::new(),
            });
        }
        let before = fx.nones.clone();
        self.bind_target(fx, target, item, &mut stmts)?;
        stmts.extend(body(self, fx)?);
        super::stmt::merge_nones(fx, before);
        out.push(Stmt::ForRange {
            var: idx_var,
            start: Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
            stop,
            step: Expr::new(ExprKind::Const(ConstValue::Int(1)), Type::I64),
            body: stmts,
            orelse,
            parallel: false,
        });
        Ok(())
    }

    /// What a `for` loop iterates over, its parts evaluated once before the loop (Python
    /// evaluates the iterable once) into hidden variables.
    fn sequence(&mut self, fx: &mut FnCx, iter: &PyExpr, out: &mut Vec<Stmt>) -> R<Sequence> {
        if let PyExpr::Call(call) = iter {
            if self.is_range_call(&call.func).is_some() {
                let parts = self.range_args(fx, call)?;
                let [start, stop, step] = parts.map(|e| self.once(fx, e, iter.range(), out));
                return Ok(Sequence::Range {
                    start: start?,
                    stop: stop?,
                    step: step?,
                });
            }
            if let Some(name) = self.numpy_member(fx, &call.func) {
                match name.as_str() {
                    "ndindex" => {
                        if !call.arguments.keywords.is_empty() {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                call.arguments.range,
                                "keyword arguments to np.ndindex",
                            ));
                        }
                        let mut dims = Vec::new();
                        for a in call.arguments.args.iter() {
                            let part = match a {
                                PyExpr::Starred(st) => &st.value,
                                other => other,
                            };
                            let v = self.expr(fx, part)?;
                            let v = self.first_class(v, part.range())?;
                            let items = match &v.ty {
                                Type::Tuple(_) => {
                                    let t = self.once(fx, v, part.range(), out)?;
                                    self.tuple_items(t)
                                }
                                _ => vec![v],
                            };
                            for d in items {
                                if d.ty.scalar().is_none_or(|s| s.is_float()) {
                                    return Err(self.err(
                                        DiagKind::Type,
                                        part.range(),
                                        format!("np.ndindex takes integer dimensions, not {}", d.ty),
                                    ));
                                }
                                dims.push(self.once(fx, d.cast(&Type::I64), part.range(), out)?);
                            }
                        }
                        return Ok(Sequence::NdIndex(dims));
                    }
                    "ndenumerate" | "nditer" => {
                        let [a] = call.arguments.args.as_ref() else {
                            return Err(self.err(DiagKind::Type, call.range(), format!("np.{name} takes one array")));
                        };
                        if !call.arguments.keywords.is_empty() {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                call.range(),
                                format!("keyword arguments of np.{name}"),
                            ));
                        }
                        let v = self.expr(fx, a)?;
                        if name == "nditer" && v.ty.tuple().is_some() {
                            return self.nditer_of_several(fx, v, a.range(), out);
                        }
                        let Some(at) = v.ty.array() else {
                            return Err(self.err(DiagKind::Type, a.range(), format!("np.{name} of {}", v.ty)));
                        };
                        let array = self.once(fx, v, a.range(), out)?;
                        // np.nditer's items are 0-d views Numba reads as their values: the
                        // elements, in C order, as a.flat gives them.
                        return Ok(if name == "nditer" {
                            Sequence::Flat { array, at }
                        } else {
                            Sequence::NdEnumerate { array, at }
                        });
                    }
                    _ => {}
                }
            }
            if let PyExpr::Name(n) = &*call.func {
                let builtin = !fx.locals.contains(n.id.as_str()) && !self.module.functions.contains_key(n.id.as_str());
                match n.id.as_str() {
                    "reversed" if builtin && call.arguments.args.len() == 1 && call.arguments.keywords.is_empty() => {
                        let inner = self.sequence(fx, &call.arguments.args[0], out)?;
                        let (start, stop, step) = match inner {
                            Sequence::Range { start, stop, step } => (start, stop, step),
                            // A list's items copied in reverse; a 1-D array's reversed view.
                            Sequence::List(list, None) => {
                                let copy = self.library_call("__kc_list_reversed", vec![list], call.range())?;
                                return Ok(Sequence::List(copy, None));
                            }
                            Sequence::Array { array, at } if at.ndim == 1 => {
                                let view = self.library_call("__kc_array_reversed", vec![array], call.range())?;
                                let at = view.ty.array().expect("a view");
                                return Ok(Sequence::Array { array: view, at });
                            }
                            _ => {
                                return Err(self.err(
                                    DiagKind::Unsupported,
                                    call.range(),
                                    "reversed() of anything but a range, a list or a 1-D array",
                                ))
                            }
                        };
                        // reversed(range(a, b, s)) is range(a + (len - 1) * s, a - s, -s).
                        let len = self.sequence_len(
                            &Sequence::Range {
                                start: start.clone(),
                                stop,
                                step: step.clone(),
                            },
                            call.range(),
                        )?;
                        let int = |k| Expr::new(ExprKind::Const(ConstValue::Int(k)), Type::I64);
                        let r = call.range();
                        let last = self.binary(BinOp::Sub, len, int(1), r)?;
                        let offset = self.binary(BinOp::Mul, last, step.clone(), r)?;
                        let first = self.binary(BinOp::Add, start.clone(), offset, r)?;
                        let before = self.binary(BinOp::Sub, start, step.clone(), r)?;
                        let back = self.binary(BinOp::Sub, int(0), step, r)?;
                        return Ok(Sequence::Range {
                            start: self.once(fx, first, r, out)?,
                            stop: self.once(fx, before, r, out)?,
                            step: self.once(fx, back, r, out)?,
                        });
                    }
                    "enumerate" if builtin => {
                        let args = CallArgs::of(call);
                        let (Some(inner), true) = (args.get(0, "iterable"), args.pos.len() + args.kw.len() <= 2) else {
                            return Err(self.err(
                                DiagKind::Type,
                                call.range(),
                                "enumerate() takes an iterable and an optional start",
                            ));
                        };
                        let start = match args.get(1, "start") {
                            Some(e) => {
                                let v = self.expr(fx, e)?;
                                if v.ty.scalar().is_none_or(|s| s.is_float()) {
                                    return Err(self.err(
                                        DiagKind::Type,
                                        e.range(),
                                        format!("enumerate()'s start must be an integer, not {}", v.ty),
                                    ));
                                }
                                self.once(fx, v.cast(&Type::I64), e.range(), out)?
                            }
                            None => Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
                        };
                        let inner = self.sequence(fx, inner, out)?;
                        return Ok(Sequence::Enumerate {
                            inner: Box::new(inner),
                            start,
                        });
                    }
                    "zip" if builtin => {
                        if !call.arguments.keywords.is_empty() {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                call.arguments.range,
                                "keyword arguments to zip",
                            ));
                        }
                        let mut parts = Vec::new();
                        for a in call.arguments.args.iter() {
                            parts.push(self.sequence(fx, a, out)?);
                        }
                        return Ok(Sequence::Zip(parts));
                    }
                    _ => {}
                }
            }
        }
        if let PyExpr::Name(n) = iter {
            if fx.ranges.contains(n.id.as_str()) {
                let [start, stop, step] = self.range_parts(fx, n.id.as_str());
                let r = iter.range();
                return Ok(Sequence::Range {
                    start: self.once(fx, start, r, out)?,
                    stop: self.once(fx, stop, r, out)?,
                    step: self.once(fx, step, r, out)?,
                });
            }
        }
        if let PyExpr::Attribute(attr) = iter {
            if attr.attr.id.as_str() == "flat" {
                let v = self.expr(fx, &attr.value)?;
                if let Some(at) = v.ty.array() {
                    let array = self.once(fx, v, iter.range(), out)?;
                    return Ok(Sequence::Flat { array, at });
                }
            }
        }
        let value = self.expr(fx, iter)?;
        let value = self.first_class(value, iter.range())?;
        match &value.ty {
            Type::Array(at) if at.ndim > 0 => {
                let at = *at;
                let (var, s) = self.hidden_var(fx, value, iter.range())?;
                out.push(s);
                Ok(Sequence::Array {
                    array: Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()),
                    at,
                })
            }
            Type::Tuple(_) => {
                let tuple = self.once(fx, value, iter.range(), out)?;
                Ok(Sequence::Tuple(tuple))
            }
            Type::List(_) => {
                // `d.keys()`, `d.values()`, `d.items()` of a named dict: guarded as `d` is.
                let guard = match &value.kind {
                    ExprKind::Dict {
                        op: DictOp::Keys | DictOp::Values | DictOp::Items,
                        dict,
                        ..
                    } if pure(dict) => {
                        // Held apart from the name, which the body may rebind.
                        let dict = self.once(fx, (**dict).clone(), iter.range(), out)?;
                        let len = super::dict::dict_op(DictOp::Len, dict.clone(), vec![], Type::I64);
                        Some((dict, self.once(fx, len, iter.range(), out)?))
                    }
                    _ => None,
                };
                let list = self.once(fx, value, iter.range(), out)?;
                Ok(Sequence::List(list, guard))
            }
            // The keys as they are when the loop starts, in insertion order.
            // The items as they are when the loop starts, in CPython's order.
            Type::Set(_) => {
                let set = self.once(fx, value, iter.range(), out)?;
                let len = super::set::set_op(SetOp::Len, set.clone(), vec![], Type::I64);
                let len = self.once(fx, len, iter.range(), out)?;
                let items = self.set_items(set.clone(), iter.range())?;
                let list = self.once(fx, items, iter.range(), out)?;
                Ok(Sequence::List(list, Some((set, len))))
            }
            Type::Dict(..) => {
                let dict = self.once(fx, value, iter.range(), out)?;
                let len = super::dict::dict_op(DictOp::Len, dict.clone(), vec![], Type::I64);
                let len = self.once(fx, len, iter.range(), out)?;
                let keys = self.dict_keys(dict.clone(), iter.range())?;
                let list = self.once(fx, keys, iter.range(), out)?;
                Ok(Sequence::List(list, Some((dict, len))))
            }
            other => Err(self.err(
                DiagKind::Unsupported,
                iter.range(),
                format!(
                    "iterating over {other} (kcache iterates over range, prange, arrays, tuples, enumerate and zip)"
                ),
            )),
        }
    }

    /// `name = range(...)`: the bounds go into variables of their own, unified across paths.
    pub(super) fn assign_range(
        &mut self,
        fx: &mut FnCx,
        name: &ast::ExprName,
        call: &ast::ExprCall,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let id = name.id.as_str();
        if fx.by_name.contains_key(id) {
            return Err(self.err(
                DiagKind::Type,
                name.range,
                format!("'{id}' is a range on one path and another value on another"),
            ));
        }
        let parts = self.range_args(fx, call)?;
        for (part, value) in ["start", "stop", "step"].iter().zip(parts) {
            out.push(self.assign_var(fx, &format!("{id}$range.{part}"), value, name.range)?);
        }
        fx.ranges.insert(id.to_string());
        Ok(())
    }

    /// The bound variables of a range held by `name`.
    fn range_parts(&self, fx: &FnCx, name: &str) -> [Expr; 3] {
        ["start", "stop", "step"].map(|part| {
            let var = fx.by_name[&format!("{name}$range.{part}")];
            Expr::new(ExprKind::Var(var), Type::I64)
        })
    }

    /// `len(r)` of a range (a call of `range` or a name bound to one); `None` for anything else.
    pub(super) fn range_len(&mut self, fx: &mut FnCx, arg: &PyExpr) -> R<Option<Expr>> {
        let [start, stop, step] = match arg {
            PyExpr::Name(n) if fx.ranges.contains(n.id.as_str()) => self.range_parts(fx, n.id.as_str()),
            PyExpr::Call(c) if self.is_range_call(&c.func).is_some() => self.range_args(fx, c)?,
            _ => return Ok(None),
        };
        self.sequence_len(&Sequence::Range { start, stop, step }, arg.range())
            .map(Some)
    }

    /// `e` itself when it is a constant, otherwise a hidden variable holding its value.
    fn once(&mut self, fx: &mut FnCx, e: Expr, range: TextRange, out: &mut Vec<Stmt>) -> R<Expr> {
        if matches!(e.kind, ExprKind::Const(_)) {
            return Ok(e);
        }
        let (var, s) = self.hidden_var(fx, e, range)?;
        out.push(s);
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }

    fn sequence_len(&self, seq: &Sequence, range: TextRange) -> R<Expr> {
        let int = |k| Expr::new(ExprKind::Const(ConstValue::Int(k)), Type::I64);
        let builtin = |name: &str, args: Vec<Expr>| self.builtin_call(None, name, args, range);
        Ok(match seq {
            // len(range(start, stop, step)) = max(0, ceil((stop - start) / step)).
            Sequence::Range { start, stop, step } => {
                let diff = self.binary(BinOp::Sub, start.clone(), stop.clone(), range)?;
                let floor = self.binary(BinOp::FloorDiv, diff, step.clone(), range)?;
                let ceil = self.binary(BinOp::Sub, int(0), floor, range)?;
                builtin("max", vec![ceil, int(0)])?
            }
            Sequence::Array { array, .. } => Expr::new(
                ExprKind::ArrayDim {
                    array: Box::new(array.clone()),
                    dim: 0,
                },
                Type::I64,
            ),
            Sequence::Tuple(t) => int(t.ty.tuple().expect("a tuple").len() as i64),
            Sequence::List(l, _) => super::list::list_op(ListOp::Len, l.clone(), vec![], Type::I64),
            Sequence::NdIndex(dims) => {
                let mut n = int(1);
                for d in dims {
                    n = self.binary(BinOp::Mul, n, d.clone(), range)?;
                }
                // Negative dimensions count as empty, as in NumPy.
                builtin("max", vec![n, int(0)])?
            }
            Sequence::NdEnumerate { array, .. } | Sequence::Flat { array, .. } => {
                Expr::new(ExprKind::ArraySize(Box::new(array.clone())), Type::I64)
            }
            Sequence::Enumerate { inner, .. } => self.sequence_len(inner, range)?,
            Sequence::Zip(parts) => {
                let mut len: Option<Expr> = None;
                for p in parts {
                    let l = self.sequence_len(p, range)?;
                    len = Some(match len {
                        None => l,
                        Some(m) => builtin("min", vec![m, l])?,
                    });
                }
                len.unwrap_or_else(|| int(0))
            }
        })
    }

    /// The item at `index` (from 0) of a sequence.
    fn sequence_item(&self, seq: &Sequence, index: Expr, range: TextRange) -> R<Expr> {
        Ok(match seq {
            Sequence::Range { start, step, .. } => {
                let offset = self.binary(BinOp::Mul, index, step.clone(), range)?;
                self.binary(BinOp::Add, start.clone(), offset, range)?
            }
            Sequence::Array { array, at } => {
                if at.ndim == 1 {
                    Expr::new(
                        ExprKind::GetItem {
                            array: Box::new(array.clone()),
                            indices: vec![index],
                        },
                        Type::Scalar(at.dtype),
                    )
                } else {
                    // `for row in a2d`: each row is a view.
                    let indices = vec![ViewIndex::At(index)];
                    let layout = numpy::view_layout(*at, &indices);
                    Expr::new(
                        ExprKind::View {
                            array: Box::new(array.clone()),
                            indices,
                        },
                        Type::Array(crate::types::ArrayType {
                            dtype: at.dtype,
                            ndim: at.ndim - 1,
                            layout,
                        }),
                    )
                }
            }
            Sequence::Tuple(t) => self.tuple_index(t.clone(), index, range)?,
            Sequence::List(l, _) => {
                let item = l.ty.list_item().expect("a list").clone();
                super::list::list_op(ListOp::Get, l.clone(), vec![index], item)
            }
            Sequence::NdIndex(dims) => {
                let idx = self.unravel(index, dims, range)?;
                let ty = Type::Tuple(vec![Type::I64; idx.len()]);
                Expr::new(ExprKind::Tuple(idx), ty)
            }
            Sequence::NdEnumerate { array, at } | Sequence::Flat { array, at } => {
                let dims: Vec<Expr> = (0..at.ndim)
                    .map(|dim| {
                        Expr::new(
                            ExprKind::ArrayDim {
                                array: Box::new(array.clone()),
                                dim,
                            },
                            Type::I64,
                        )
                    })
                    .collect();
                let idx = self.unravel(index, &dims, range)?;
                let elem = Expr::new(
                    ExprKind::GetItem {
                        array: Box::new(array.clone()),
                        indices: idx.clone(),
                    },
                    Type::Scalar(at.dtype),
                );
                if matches!(seq, Sequence::Flat { .. }) {
                    elem
                } else {
                    let ty = Type::Tuple(vec![Type::I64; idx.len()]);
                    let pos = Expr::new(ExprKind::Tuple(idx), ty.clone());
                    Expr::new(ExprKind::Tuple(vec![pos, elem.clone()]), Type::Tuple(vec![ty, elem.ty]))
                }
            }
            Sequence::Enumerate { inner, start } => {
                let count = self.binary(BinOp::Add, start.clone(), index.clone(), range)?;
                let item = self.sequence_item(inner, index, range)?;
                let ty = Type::Tuple(vec![Type::I64, item.ty.clone()]);
                Expr::new(ExprKind::Tuple(vec![count, item]), ty)
            }
            Sequence::Zip(parts) => {
                let items = parts
                    .iter()
                    .map(|p| self.sequence_item(p, index.clone(), range))
                    .collect::<R<Vec<_>>>()?;
                let ty = Type::Tuple(items.iter().map(|e| e.ty.clone()).collect());
                Expr::new(ExprKind::Tuple(items), ty)
            }
        })
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

impl<'m, 'src> Inferer<'m, 'src> {
    /// The C-order multi-index of flat position `index` in an array of `dims` (all in range:
    /// the loop stops at their product).
    fn unravel(&self, index: Expr, dims: &[Expr], range: TextRange) -> R<Vec<Expr>> {
        if dims.len() == 1 {
            return Ok(vec![index]);
        }
        let u = Type::Scalar(Scalar::U64);
        let mut out = Vec::new();
        let mut rest = index.cast(&u);
        for d in dims.iter().rev() {
            let d = d.clone().cast(&u);
            out.push(
                self.binary(BinOp::Mod, rest.clone(), d.clone(), range)?
                    .cast(&Type::I64),
            );
            rest = self.binary(BinOp::FloorDiv, rest, d, range)?;
        }
        out.reverse();
        Ok(out)
    }

    /// `name` when `func` spells `np.name` (or a name imported from numpy).
    fn numpy_member(&self, fx: &FnCx, func: &PyExpr) -> Option<String> {
        match func {
            PyExpr::Attribute(a) => match &*a.value {
                PyExpr::Name(base)
                    if !fx.locals.contains(base.id.as_str())
                        && self.module.imports.get(base.id.as_str()) == Some(&Imported::Module(PyModule::Numpy)) =>
                {
                    Some(a.attr.id.to_string())
                }
                _ => None,
            },
            PyExpr::Name(n) if !fx.locals.contains(n.id.as_str()) => match self.module.imports.get(n.id.as_str()) {
                Some(Imported::Member(PyModule::Numpy, m)) => Some(m.clone()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The dicts (and their lengths when the loop started) whose keys `seq` walks.
fn dict_guards(seq: &Sequence, out: &mut Vec<(Expr, Expr)>) {
    match seq {
        Sequence::List(_, Some(guard)) => out.push(guard.clone()),
        Sequence::Enumerate { inner, .. } => dict_guards(inner, out),
        Sequence::Zip(items) => items.iter().for_each(|s| dict_guards(s, out)),
        _ => {}
    }
}

/// A sequence a `for` loop walks, its parts already evaluated (constants or hidden variables).
enum Sequence {
    Range {
        start: Expr,
        stop: Expr,
        step: Expr,
    },
    Array {
        array: Expr,
        at: crate::types::ArrayType,
    },
    Tuple(Expr),
    /// A list; for a dict's keys, also the dict and its length when the loop started (Python
    /// raises RuntimeError when the size changes during the loop).
    List(Expr, Option<(Expr, Expr)>),
    /// `np.ndindex(dims)`: index tuples in C order.
    NdIndex(Vec<Expr>),
    /// `np.ndenumerate(a)`: (index tuple, element) in C order.
    NdEnumerate {
        array: Expr,
        at: crate::types::ArrayType,
    },
    /// `a.flat`: the elements in C order.
    Flat {
        array: Expr,
        at: crate::types::ArrayType,
    },
    Enumerate {
        inner: Box<Sequence>,
        start: Expr,
    },
    Zip(Vec<Sequence>),
}

impl Inferer<'_, '_> {
    /// `np.nditer((a, b))`: the operands' elements side by side in C order, as `zip` of their
    /// `.flat`. The shapes must be equal (checked when the kernel runs); NumPy's broadcasting
    /// of different shapes raises ValueError here rather than pairing the wrong elements.
    fn nditer_of_several(
        &mut self,
        fx: &mut FnCx,
        operands: Expr,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<Sequence> {
        let tuple = self.once(fx, operands, range, out)?;
        let items = self.tuple_items(tuple);
        let mut parts = Vec::new();
        let mut first: Option<Expr> = None;
        for item in items {
            let Some(at) = item.ty.array() else {
                return Err(self.err(DiagKind::Type, range, format!("np.nditer of {}", item.ty)));
            };
            let array = self.once(fx, item, range, out)?;
            match &first {
                None => first = Some(array.clone()),
                Some(f) => {
                    let check = self.library_call("__kc_nditer_same_shape", vec![f.clone(), array.clone()], range)?;
                    out.push(Stmt::Expr(check));
                }
            }
            parts.push(Sequence::Flat { array, at });
        }
        Ok(Sequence::Zip(parts))
    }
}
