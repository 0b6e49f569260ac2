//! Statements: assignments (with Numba's unification of a variable's types), control flow,
//! returns, raises and asserts.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn block(&mut self, fx: &mut FnCx, body: &[PyStmt]) -> Result<Vec<Stmt>, CompileError> {
        crate::stack::deep(|| self.block_inner(fx, body))
    }

    fn block_inner(&mut self, fx: &mut FnCx, body: &[PyStmt]) -> Result<Vec<Stmt>, CompileError> {
        let mut out = Vec::new();
        for stmt in body {
            let mut own = Vec::new();
            let result = self.stmt(fx, stmt, &mut own);
            // What the statement's expressions hoisted runs before it.
            out.append(&mut fx.pre);
            out.append(&mut own);
            match result {
                Ok(()) => {}
                Err(Fail::Deferred { name, range }) => {
                    fx.deferred.get_or_insert((name, range));
                }
                Err(Fail::Error(e)) => return Err(e),
            }
            let exits = matches!(stmt, PyStmt::Return(_) | PyStmt::Raise(_));
            if std::mem::take(&mut fx.rest_unreachable) || exits {
                break;
            }
        }
        Ok(out)
    }

    pub(super) fn assign_var(&mut self, fx: &mut FnCx, name: &str, value: Expr, range: TextRange) -> R<Stmt> {
        let aliased = fx.aliases.get(name).cloned();
        let name = aliased.as_deref().unwrap_or(name);
        if value.ty == Type::None {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot assign a value of type {} to '{name}'", value.ty),
            ));
        }
        let value = self.first_class(value, range)?;
        let var = match fx.by_name.get(name) {
            Some(id) => {
                let id = *id;
                let old = fx.vars[id].ty.clone();
                let new = unify(&old, &value.ty).ok_or_else(|| {
                    self.err(
                        DiagKind::Type,
                        range,
                        format!(
                            "'{name}' is {old} on one path and {} on another: they do not unify",
                            value.ty
                        ),
                    )
                })?;
                if new != old {
                    fx.vars[id].ty = new;
                    fx.changed = true;
                }
                id
            }
            None => {
                let id = fx.vars.len();
                fx.vars.push(Var {
                    name: name.to_string(),
                    ty: value.ty.clone(),
                });
                fx.by_name.insert(name.to_string(), id);
                fx.changed = true;
                id
            }
        };
        let ty = fx.vars[var].ty.clone();
        // One list object seen through two names must have one item type: a list that is not
        // a new literal cannot be converted (its items would be read with another type).
        // The same for dicts.
        let container = match (&value.ty, &value.kind) {
            (Type::List(_), ExprKind::ListNew(_))
            | (Type::Dict(..), ExprKind::DictNew(_))
            | (Type::Set(_), ExprKind::SetNew(_)) => None,
            (Type::Set(_), _) => Some(("set", "item type is")),
            (Type::List(_), _) => Some(("list", "item type is")),
            (Type::Dict(..), _) => Some(("dict", "types are")),
            _ => None,
        };
        if let (true, Some((what, fixed))) = (value.ty != ty, container) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "'{name}' is {ty} but this {what} is {}: a {what}'s {fixed} fixed when it is made (as in Numba); make it a {ty} from the start",
                    value.ty
                ),
            ));
        }
        Ok(Stmt::Assign {
            var,
            value: value.cast(&ty),
        })
    }

    pub(super) fn hidden_var(&mut self, fx: &mut FnCx, value: Expr, range: TextRange) -> R<(VarId, Stmt)> {
        let name = format!("${}", fx.hidden);
        fx.hidden += 1;
        let stmt = self.assign_var(fx, &name, value, range)?;
        Ok((fx.by_name[&name], stmt))
    }

    /// A hidden variable holding `value`, for an expression that binds it itself (`Let`).
    pub(super) fn bind_hidden(&mut self, fx: &mut FnCx, value: Expr, range: TextRange) -> R<(VarId, Expr)> {
        let (var, stmt) = self.hidden_var(fx, value, range)?;
        let Stmt::Assign { value, .. } = stmt else {
            unreachable!("hidden_var assigns")
        };
        Ok((var, value))
    }

    pub(super) fn stmt(&mut self, fx: &mut FnCx, stmt: &PyStmt, out: &mut Vec<Stmt>) -> R<()> {
        crate::stack::deep(|| self.stmt_inner(fx, stmt, out))
    }

    fn stmt_inner(&mut self, fx: &mut FnCx, stmt: &PyStmt, out: &mut Vec<Stmt>) -> R<()> {
        match stmt {
            PyStmt::Expr(e) => {
                // Docstrings and other bare constants do nothing.
                if matches!(
                    &*e.value,
                    PyExpr::StringLiteral(_) | PyExpr::NumberLiteral(_) | PyExpr::EllipsisLiteral(_)
                ) {
                    return Ok(());
                }
                // `a.fill(v)` is `a[...] = v`.
                if let PyExpr::Call(call) = &*e.value {
                    if let (PyExpr::Attribute(attr), [v], []) = (
                        &*call.func,
                        call.arguments.args.as_ref(),
                        call.arguments.keywords.as_ref(),
                    ) {
                        if attr.attr.id == "fill" {
                            let target = self.expr(fx, &attr.value)?;
                            if is_array(&target) {
                                let v = self.expr(fx, v)?;
                                out.push(self.store_into(target, v, None, call.range())?);
                                return Ok(());
                            }
                        }
                    }
                }
                let value = self.expr(fx, &e.value)?;
                // A call whose work went before the statement (`s.update(a)` of a set) leaves
                // a None constant: nothing to do.
                if !(matches!(value.kind, ExprKind::Const(_)) && value.ty == Type::None) {
                    out.push(Stmt::Expr(value));
                }
            }
            PyStmt::Pass(_) => {}
            PyStmt::FunctionDef(inner) => self.bind_nested_function(fx, inner)?,
            PyStmt::Assign(assign) if crate::parse::nested::lambda_def(assign).is_some() => {
                let def = crate::parse::nested::lambda_def(assign).expect("a lambda bound to a name");
                self.bind_nested_function(fx, &def)?;
            }
            PyStmt::Assign(assign) => {
                let value_range = assign.value.range();
                for target in &assign.targets {
                    self.assign_target(fx, target, &assign.value, value_range, out)?;
                }
            }
            PyStmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.assign_target(fx, &assign.target, value, value.range(), out)?;
                }
            }
            PyStmt::AugAssign(aug) => {
                let op = binop(aug.op).ok_or_else(|| self.err(DiagKind::Unsupported, aug.range, "the @= operator"))?;
                match &*aug.target {
                    PyExpr::Name(name) => {
                        let current = self.expr(fx, &aug.target)?;
                        let rhs = self.expr(fx, &aug.value)?;
                        if current.ty.set_item().is_some() {
                            // In place, as Python's `s |= t`: an alias of the set sees it.
                            out.push(self.set_augassign(fx, current, op, rhs, aug.range)?);
                            return Ok(());
                        }
                        if is_array(&current) {
                            // In place, as NumPy's `a += b`: an alias of the array sees it.
                            let value = self.array_binary(op, current.clone(), rhs, aug.range)?;
                            out.push(Stmt::ArrayStore { dest: current, value });
                            return Ok(());
                        }
                        let value = if is_array(&rhs) {
                            self.array_binary(op, current, rhs, aug.range)?
                        } else {
                            self.binary(op, current, rhs, aug.range)?
                        };
                        out.push(self.assign_var(fx, name.id.as_str(), value, aug.range)?);
                    }
                    PyExpr::Subscript(sub) if self.is_dict_subscript(fx, sub)? => {
                        self.dict_augassign(fx, sub, op, &aug.value, aug.range, out)?;
                    }
                    PyExpr::Subscript(sub) if !self.is_element(fx, sub)? => {
                        let target = self.view_subscript(fx, sub)?.expect("a subscript");
                        let rhs = self.expr(fx, &aug.value)?;
                        out.push(self.store_into(target, rhs, Some(op), aug.range)?);
                    }
                    PyExpr::Subscript(sub) => {
                        let (array, indices) = self.subscript_parts(fx, sub)?;
                        let elem = Type::Scalar(array.ty.array().expect("subscript_parts checks").dtype);
                        // The array and indices are evaluated once, as Python does: into hidden
                        // variables, unless they are variables or constants already (nothing
                        // in the statement can rebind a name, and binding an array costs two
                        // atomic reference count updates per execution, in a hot loop).
                        let mut once = |this: &mut Self, e: Expr, out: &mut Vec<Stmt>| -> R<Expr> {
                            if matches!(e.kind, ExprKind::Var(_) | ExprKind::Const(_)) {
                                return Ok(e);
                            }
                            let (var, s) = this.hidden_var(fx, e, sub.range)?;
                            out.push(s);
                            Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
                        };
                        let array_expr = once(self, array, out)?;
                        let mut idx_exprs = Vec::new();
                        for i in indices {
                            idx_exprs.push(once(self, i, out)?);
                        }
                        let current = Expr::new(
                            ExprKind::GetItem {
                                array: Box::new(array_expr.clone()),
                                indices: idx_exprs.clone(),
                            },
                            elem.clone(),
                        );
                        let rhs = self.expr(fx, &aug.value)?;
                        let value = self.binary(op, current, rhs, aug.range)?;
                        self.check_store(&value.ty, &elem, aug.range)?;
                        out.push(Stmt::SetItem {
                            array: array_expr,
                            indices: idx_exprs,
                            value: value.cast(&elem),
                        });
                    }
                    other => {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            other.range(),
                            "augmented assignment to this kind of target",
                        ))
                    }
                }
            }
            PyStmt::Try(t) => out.push(self.try_stmt(fx, t)?),
            PyStmt::If(s) => {
                let cond = self.condition(fx, &s.test)?;
                // A constant condition (`if out is None:`, `if False:`) types only the branch
                // that runs.
                match cond.kind {
                    ExprKind::Const(ConstValue::Bool(true)) => {
                        out.extend(self.block(fx, &s.body)?);
                        fx.rest_unreachable = always_exits(&s.body);
                    }
                    ExprKind::Const(ConstValue::Bool(false)) => {
                        out.extend(self.elif_chain(fx, &s.elif_else_clauses)?);
                        fx.rest_unreachable = matches!(&s.elif_else_clauses[..], [only] if only.test.is_none() && always_exits(&only.body));
                    }
                    _ => {
                        let before = fx.nones.clone();
                        let then = self.block(fx, &s.body)?;
                        let after_then = std::mem::replace(&mut fx.nones, before);
                        let orelse = self.elif_chain(fx, &s.elif_else_clauses)?;
                        merge_nones(fx, after_then);
                        out.push(Stmt::If { cond, then, orelse });
                    }
                }
            }
            PyStmt::While(s) => {
                let hoisted = fx.pre.len();
                let cond = self.condition(fx, &s.test)?;
                if fx.pre.len() != hoisted {
                    // It would run once, not before every test.
                    return Err(self.err(
                        DiagKind::Unsupported,
                        s.test.range(),
                        "a comprehension in a while condition (build the list in the loop)",
                    ));
                }
                fx.loop_depth += 1;
                let before = fx.nones.clone();
                let body = self.block(fx, &s.body);
                merge_nones(fx, before);
                fx.loop_depth -= 1;
                let orelse = self.block(fx, &s.orelse)?;
                out.push(Stmt::While {
                    cond,
                    body: body?,
                    orelse,
                });
            }
            PyStmt::For(s) => self.for_stmt(fx, s, out)?,
            PyStmt::Break(b) => {
                if fx.loop_depth == 0 {
                    return Err(self.err(DiagKind::Syntax, b.range, "'break' outside loop"));
                }
                out.push(Stmt::Break);
            }
            PyStmt::Continue(c) => {
                if fx.loop_depth == 0 {
                    return Err(self.err(DiagKind::Syntax, c.range, "'continue' outside loop"));
                }
                out.push(Stmt::Continue);
            }
            PyStmt::Return(r) => {
                let value = match &r.value {
                    // `return None` is `return`.
                    Some(v) if matches!(**v, PyExpr::NoneLiteral(_)) => None,
                    Some(v) => {
                        let e = self.expr_or_optional(fx, v)?;
                        if e.ty == Type::None {
                            // `return f()` of a function that returns nothing: run it, return.
                            if !matches!(e.kind, ExprKind::Const(_)) {
                                out.push(Stmt::Expr(e));
                            }
                            None
                        } else {
                            let e = self.first_class(e, v.range())?;
                            Some(self.returned_list(fx, e, v.range())?)
                        }
                    }
                    None => None,
                };
                let ty = value.as_ref().map(|e| e.ty.clone()).unwrap_or(Type::None);
                // A declared return type converts the value (Numba casts to the signature).
                let declared = self.instances[&fx.key].declared_ret.clone();
                if let (Some(d), Some(v)) = (&declared, &value) {
                    if *d == Type::None {
                        return Err(self.err(
                            DiagKind::Type,
                            r.range,
                            "the signature says void but this returns a value",
                        ));
                    }
                    if !converts_to(&v.ty, d) {
                        return Err(self.err(
                            DiagKind::Type,
                            r.range,
                            format!("cannot convert {} to the declared return type {d}", v.ty),
                        ));
                    }
                } else if let (Some(d), None) = (&declared, &value) {
                    if *d != Type::None && !matches!(d, Type::Optional(_)) {
                        return Err(self.err(
                            DiagKind::Type,
                            r.range,
                            format!("the signature returns {d} but this returns None"),
                        ));
                    }
                }
                fx.returns.push((ty, r.range));
                out.push(Stmt::Return(value));
            }
            PyStmt::Assert(a) => {
                let cond = self.condition(fx, &a.test)?;
                let message = match a.msg.as_deref() {
                    None => String::new(),
                    Some(PyExpr::StringLiteral(s)) => s.value.to_str().to_string(),
                    Some(other) => {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            other.range(),
                            "assert messages other than string literals",
                        ))
                    }
                };
                out.push(Stmt::Assert {
                    cond,
                    raise: Raise {
                        exception: "AssertionError".into(),
                        message,
                    },
                });
            }
            PyStmt::Raise(r) => {
                let Some(exc) = r.exc.as_deref() else {
                    if fx.handler_depth == 0 {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            r.range,
                            "a bare 'raise' outside an except block, or in a prange body inside one (there is no exception to raise again)",
                        ));
                    }
                    out.push(Stmt::Reraise);
                    return Ok(());
                };
                if r.cause.is_some() {
                    return Err(self.err(DiagKind::Unsupported, r.range, "'raise ... from ...'"));
                }
                let (name, args) = match exc {
                    PyExpr::Name(n) => (n.id.to_string(), &[][..]),
                    PyExpr::Call(c) => match &*c.func {
                        PyExpr::Name(n) => (n.id.to_string(), &c.arguments.args[..]),
                        other => return Err(self.err(DiagKind::Unsupported, other.range(), "raising this expression")),
                    },
                    other => return Err(self.err(DiagKind::Unsupported, other.range(), "raising this expression")),
                };
                if !is_exception_name(&name) {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        exc.range(),
                        format!("raising '{name}': only builtin exception classes"),
                    ));
                }
                let message = match args {
                    [] => String::new(),
                    [PyExpr::StringLiteral(s)] => s.value.to_str().to_string(),
                    _ => {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            exc.range(),
                            "exception arguments other than one string literal",
                        ))
                    }
                };
                out.push(Stmt::Raise(Raise {
                    exception: name,
                    message,
                }));
            }
            PyStmt::Delete(del) => {
                for target in &del.targets {
                    match self.dict_delete(fx, target)? {
                        Some(s) => out.push(s),
                        None => {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                target.range(),
                                "del of this target (kcache deletes dict items: del d[k])",
                            ))
                        }
                    }
                }
            }
            PyStmt::Import(_) | PyStmt::ImportFrom(_) => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    stmt.range(),
                    "import inside a kernel (import at module level)",
                ));
            }
            other => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    other.range(),
                    format!("the '{}' statement", stmt_name(other)),
                ));
            }
        }
        Ok(())
    }

    /// `try`/`except`/`else`/`finally` as Numba takes it: one handler, bare `except:` or
    /// `except Exception:`, catching every exception the body raises (its callees' too).
    fn try_stmt(&mut self, fx: &mut FnCx, t: &ast::StmtTry) -> R<Stmt> {
        if t.is_star {
            return Err(self.err(DiagKind::Unsupported, t.range, "'except*'"));
        }
        let handler = match t.handlers.as_slice() {
            [] => None,
            [ast::ExceptHandler::ExceptHandler(h)] => {
                if let Some(kind) = h.type_.as_deref() {
                    let catches_all = matches!(kind, PyExpr::Name(n) if n.id == "Exception" || n.id == "BaseException");
                    if !catches_all {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            kind.range(),
                            "catching one exception class (kcache, as Numba, catches with a bare 'except:' or 'except Exception:')",
                        ));
                    }
                }
                if let Some(name) = &h.name {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        name.range,
                        "binding the caught exception ('as name'): exceptions are not values in a kernel",
                    ));
                }
                Some(h)
            }
            [_, second, ..] => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    second.range(),
                    "a second except clause (kcache, as Numba, takes one: 'except:' or 'except Exception:')",
                ))
            }
        };
        let has_finally = !t.finalbody.is_empty();
        let body = self.block(fx, &t.body);
        let handler_block = match (&body, handler) {
            (Ok(_), Some(h)) => {
                fx.handler_depth += 1;
                let block = self.block(fx, &h.body);
                fx.handler_depth -= 1;
                Some(block)
            }
            _ => None,
        };
        let orelse = self.block(fx, &t.orelse);
        let (body, orelse) = (body?, orelse?);
        let handler = handler_block.transpose()?;
        let finalbody = self.block(fx, &t.finalbody)?;
        if has_finally {
            let blocks = [&body, &orelse].into_iter().chain(handler.as_ref());
            if blocks.into_iter().any(|b| exits_early(b, true) || has_continue(b)) {
                return Err(self.err(
                    DiagKind::Unsupported,
                    t.range,
                    "return, break or continue inside a try that has a finally block",
                ));
            }
        }
        Ok(Stmt::Try {
            body,
            handler,
            orelse,
            finalbody,
        })
    }

    /// Binds a function defined in this one (a `def`, or a lambda bound to a name) to its lifted
    /// module-level function and the variables it captures.
    fn bind_nested_function(&mut self, fx: &mut FnCx, inner: &ast::StmtFunctionDef) -> R<()> {
        let lifted = crate::parse::nested::lifted_name(&fx.key.0, inner);
        let Some(def) = self.module.functions.get(&lifted) else {
            return Err(self.err(
                DiagKind::Unsupported,
                inner.name.range,
                "a function defined here (kcache lifts functions defined in module-level functions)",
            ));
        };
        if !inner.decorator_list.is_empty() {
            return Err(self.err(DiagKind::Unsupported, inner.name.range, "a decorated nested function"));
        }
        let own = inner.parameters.args.len();
        let captured = def.parameters.args[own..]
            .iter()
            .map(|p| p.parameter.name.id.to_string())
            .collect();
        // A name bound by two defs (in two branches, or redefined) would need the choice
        // made at run time; kcache binds a nested function when it compiles.
        if let Some((other, _)) = fx.local_functions.get(inner.name.id.as_str()) {
            if *other != lifted {
                return Err(self.err(
                    DiagKind::Unsupported,
                    inner.name.range,
                    format!("a second nested function named '{}' in one function", inner.name.id),
                ));
            }
        }
        fx.local_functions.insert(inner.name.id.to_string(), (lifted, captured));
        Ok(())
    }

    pub(super) fn elif_chain(&mut self, fx: &mut FnCx, clauses: &[ast::ElifElseClause]) -> R<Vec<Stmt>> {
        let Some((first, rest)) = clauses.split_first() else {
            return Ok(Vec::new());
        };
        match &first.test {
            None => Ok(self.block(fx, &first.body)?),
            Some(test) => {
                let cond = self.condition(fx, test)?;
                match cond.kind {
                    ExprKind::Const(ConstValue::Bool(true)) => Ok(self.block(fx, &first.body)?),
                    ExprKind::Const(ConstValue::Bool(false)) => self.elif_chain(fx, rest),
                    _ => {
                        let before = fx.nones.clone();
                        let then = self.block(fx, &first.body)?;
                        let after_then = std::mem::replace(&mut fx.nones, before);
                        let orelse = self.elif_chain(fx, rest)?;
                        merge_nones(fx, after_then);
                        Ok(vec![Stmt::If { cond, then, orelse }])
                    }
                }
            }
        }
    }

    /// Whether `value` is a dtype the kernel knows when it is typed: `a.dtype`, a name bound to
    /// one. (Dtype names like `np.float32` stay callables: `T = np.float32` is not handled.)
    pub(super) fn is_dtype_value(&mut self, fx: &mut FnCx, value: &PyExpr) -> bool {
        match value {
            PyExpr::Attribute(a) if a.attr.id.as_str() == "dtype" => {
                matches!(self.expr(fx, &a.value), Ok(v) if v.ty.array().is_some())
            }
            PyExpr::Name(n) => fx.dtypes.contains_key(n.id.as_str()),
            // `T = np.float32`: a NumPy scalar type held in a name, called as `T(0.5)`.
            PyExpr::Attribute(a) => matches!(&*a.value, PyExpr::Name(m)
                if !fx.locals.contains(m.id.as_str())
                    && self.module.imports.get(m.id.as_str()) == Some(&Imported::Module(PyModule::Numpy))
                    && Scalar::from_numpy_name(a.attr.id.as_str()).is_some()),
            _ => false,
        }
    }

    /// `x = a if c else b` (also `p, q = (a, b) if c else (b, a)`) is the if statement it
    /// means: either branch may be an array, a tuple or None (the variable's type unifies them,
    /// as assignments on two paths do). Python evaluates the value before the targets, as the
    /// if statement does.
    fn assign_choice(
        &mut self,
        fx: &mut FnCx,
        target: &PyExpr,
        choice: &ast::ExprIf,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let cond = self.condition(fx, &choice.test)?;
        if let ExprKind::Const(ConstValue::Bool(taken)) = cond.kind {
            let branch = if taken { &choice.body } else { &choice.orelse };
            return self.assign_target(fx, target, branch, range, out);
        }
        // What the condition hoisted runs before the choice.
        out.append(&mut fx.pre);
        let before = fx.nones.clone();
        let mut then = Vec::new();
        self.assign_target(fx, target, &choice.body, range, &mut then)?;
        then.splice(0..0, std::mem::take(&mut fx.pre));
        let after_then = std::mem::replace(&mut fx.nones, before);
        let mut orelse = Vec::new();
        self.assign_target(fx, target, &choice.orelse, range, &mut orelse)?;
        orelse.splice(0..0, std::mem::take(&mut fx.pre));
        merge_nones(fx, after_then);
        out.push(Stmt::If { cond, then, orelse });
        Ok(())
    }

    pub(super) fn assign_target(
        &mut self,
        fx: &mut FnCx,
        target: &PyExpr,
        value: &PyExpr,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        if let (PyExpr::Tuple(_) | PyExpr::List(_), PyExpr::If(choice)) = (target, value) {
            return self.assign_choice(fx, target, choice, range, out);
        }
        match target {
            PyExpr::Name(name) => {
                if let PyExpr::Call(call) = value {
                    if self.is_range_call(&call.func).is_some() {
                        return self.assign_range(fx, name, call, out);
                    }
                }
                if self.is_dtype_value(fx, value) {
                    let dtype = self.dtype_arg(fx, value)?;
                    let id = name.id.to_string();
                    if fx.dtypes.get(&id).is_some_and(|d| *d != dtype) {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            range,
                            format!("'{id}' bound to two dtypes (a dtype name is a constant of the kernel)"),
                        ));
                    }
                    fx.dtypes.insert(id, dtype);
                    return Ok(());
                }
                if let PyExpr::If(choice) = value {
                    return self.assign_choice(fx, target, choice, range, out);
                }
                if matches!(value, PyExpr::NoneLiteral(_)) {
                    let id = fx
                        .aliases
                        .get(name.id.as_str())
                        .cloned()
                        .unwrap_or_else(|| name.id.to_string());
                    if let Some(&var) = fx.by_name.get(&id) {
                        if matches!(fx.vars[var].ty, Type::Optional(_)) {
                            out.push(Stmt::Assign {
                                var,
                                value: none_expr().cast(&fx.vars[var].ty),
                            });
                            return Ok(());
                        }
                    }
                    fx.maybe_none.remove(&id);
                    fx.nones.insert(id);
                    return Ok(());
                }
                fx.nones.remove(name.id.as_str());
                fx.maybe_none.remove(name.id.as_str());
                if fx.ranges.contains(name.id.as_str()) {
                    return Err(self.err(
                        DiagKind::Type,
                        target.range(),
                        format!("'{}' is a range on one path and another value on another", name.id),
                    ));
                }
                let v = self.expr_or_optional(fx, value)?;
                out.push(self.assign_var(fx, name.id.as_str(), v, target.range())?);
            }
            PyExpr::Subscript(sub) => {
                let v = self.expr(fx, value)?;
                out.push(self.store_subscript(fx, sub, v, range)?);
            }
            PyExpr::Tuple(_) | PyExpr::List(_) => {
                let targets = match target {
                    PyExpr::Tuple(t) => &t.elts,
                    PyExpr::List(l) => &l.elts,
                    _ => unreachable!(),
                };
                match value {
                    PyExpr::Tuple(vt) if !vt.elts.iter().any(|e| matches!(e, PyExpr::Starred(_))) => {
                        if vt.elts.len() != targets.len() {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!("cannot unpack {} values into {} targets", vt.elts.len(), targets.len()),
                            ));
                        }
                        // Evaluate every right-hand value before assigning any (a, b = b, a).
                        let mut temps = Vec::new();
                        for e in vt.elts.iter() {
                            let v = self.expr_or_optional(fx, e)?;
                            let v = self.first_class(v, e.range())?;
                            let (tv, s) = self.hidden_var(fx, v, e.range())?;
                            out.push(s);
                            temps.push(tv);
                        }
                        for (t, tv) in targets.iter().zip(temps) {
                            let e = Expr::new(ExprKind::Var(tv), fx.vars[tv].ty.clone());
                            self.bind_target(fx, t, e, out)?;
                        }
                    }
                    _ => {
                        let v = self.expr(fx, value)?;
                        self.bind_target(fx, target, v, out)?;
                    }
                }
            }
            other => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    other.range(),
                    "assignment to this kind of target",
                ))
            }
        }
        Ok(())
    }

    /// What the entry returns when its result holds lists or dicts: each list becomes a new
    /// array of its items, each dict a tuple of two new arrays, its keys and its values in
    /// insertion order (the ABI has neither; the result type, `list(T)` or `dict(K;V)`, tells
    /// clients to make one). Other functions return them as they are.
    fn returned_list(&mut self, fx: &mut FnCx, e: Expr, range: TextRange) -> R<Expr> {
        fn has_list(t: &Type) -> bool {
            match t {
                Type::List(_) | Type::Dict(..) | Type::Set(_) => true,
                Type::Tuple(items) => items.iter().any(has_list),
                _ => false,
            }
        }
        if fx.key != self.entry_key || !has_list(&e.ty) {
            return Ok(e);
        }
        self.entry_ret_abi = Some(e.ty.clone());
        self.lists_to_arrays(fx, e, range)
    }

    fn lists_to_arrays(&mut self, fx: &mut FnCx, e: Expr, range: TextRange) -> R<Expr> {
        match &e.ty {
            Type::List(item) if item.holds_arrays() => Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "returning a list of {item} to the caller (kcache returns lists of numbers, as arrays): return np.stack(...) or np.concatenate(...) of it, or a tuple"
                ),
            )),
            Type::List(_) => self.list_to_array(e, None, range),
            // A set comes back as the array of its items, in iteration order.
            Type::Set(_) => {
                let items = self.set_items(e, range)?;
                self.list_to_array(items, None, range)
            }
            Type::Dict(k, v) => {
                let (k, v) = ((**k).clone(), (**v).clone());
                if !k.is_numeric() || !v.is_numeric() {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!(
                            "returning a dict of {k} to {v} to the caller (kcache returns dicts of numbers to numbers)"
                        ),
                    ));
                }
                let d = if pure(&e) {
                    e
                } else {
                    let (var, s) = self.hidden_var(fx, e, range)?;
                    fx.pre.push(s);
                    Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone())
                };
                let keys = self.dict_keys(d.clone(), range)?;
                let values = super::dict::dict_op(DictOp::Values, d, vec![], Type::List(Box::new(v)));
                let items = vec![
                    self.list_to_array(keys, None, range)?,
                    self.list_to_array(values, None, range)?,
                ];
                let ty = Type::Tuple(items.iter().map(|x| x.ty.clone()).collect());
                Ok(Expr::new(ExprKind::Tuple(items), ty))
            }
            Type::Tuple(_) => {
                let e = if pure(&e) {
                    e
                } else {
                    let (var, s) = self.hidden_var(fx, e, range)?;
                    fx.pre.push(s);
                    Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone())
                };
                let items = self
                    .tuple_items(e)
                    .into_iter()
                    .map(|item| self.lists_to_arrays(fx, item, range))
                    .collect::<R<Vec<_>>>()?;
                let ty = Type::Tuple(items.iter().map(|x| x.ty.clone()).collect());
                Ok(Expr::new(ExprKind::Tuple(items), ty))
            }
            _ => Ok(e),
        }
    }

    /// `a[...] = v`: one element, or a view / mask store.
    pub(super) fn store_subscript(
        &mut self,
        fx: &mut FnCx,
        sub: &ast::ExprSubscript,
        v: Expr,
        range: TextRange,
    ) -> R<Stmt> {
        if let Some(set) = self.list_set(fx, sub, &v)? {
            return Ok(set);
        }
        if let Some(set) = self.dict_set(fx, sub, &v)? {
            return Ok(set);
        }
        if !self.is_element(fx, sub)? {
            let target = self.view_subscript(fx, sub)?.expect("a subscript");
            // `a[0] = [x, y]`: the list's items, as NumPy stores a sequence into a row.
            let v = if v.ty.list_item().is_some() {
                self.list_to_array(v, None, range)?
            } else {
                v
            };
            return self.store_into(target, v, None, range);
        }
        let (array, indices) = self.subscript_parts(fx, sub)?;
        let elem = Type::Scalar(array.ty.array().expect("checked").dtype);
        if is_array(&v) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot store an array into one element of an array of {elem}"),
            ));
        }
        self.check_store(&v.ty, &elem, range)?;
        Ok(Stmt::SetItem {
            array,
            indices,
            value: v.cast(&elem),
        })
    }

    pub(super) fn check_store(&self, value: &Type, elem: &Type, range: TextRange) -> R<()> {
        if value.is_numeric() {
            Ok(())
        } else {
            Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot store a value of type {value} into an array of {elem}"),
            ))
        }
    }
}

pub(super) fn stmt_name(s: &PyStmt) -> &'static str {
    match s {
        PyStmt::FunctionDef(_) => "def (nested function)",
        PyStmt::ClassDef(_) => "class",
        PyStmt::Delete(_) => "del",
        PyStmt::With(_) => "with",
        PyStmt::Try(_) => "try",
        PyStmt::Global(_) => "global",
        PyStmt::Nonlocal(_) => "nonlocal",
        PyStmt::Match(_) => "match",
        PyStmt::TypeAlias(_) => "type",
        _ => "this",
    }
}

pub(super) fn is_exception_name(name: &str) -> bool {
    matches!(
        name,
        "Exception"
            | "ValueError"
            | "IndexError"
            | "ZeroDivisionError"
            | "AssertionError"
            | "RuntimeError"
            | "TypeError"
            | "ArithmeticError"
            | "OverflowError"
            | "KeyError"
            | "NotImplementedError"
            | "LinAlgError"
    )
}

/// Whether a value of type `from` converts to a declared type `to` (Numba's conversions at a
/// signature: numbers to numbers, an array to the same dtype and ndim in layout A or its own
/// layout, tuples item by item).
pub(super) fn converts_to(from: &Type, to: &Type) -> bool {
    match (from, to) {
        (f, t) if f.is_numeric() && t.is_numeric() => true,
        (Type::Array(f), Type::Array(t)) => {
            f.dtype == t.dtype && f.ndim == t.ndim && (t.layout == f.layout || t.layout == crate::types::Layout::A)
        }
        (Type::Tuple(f), Type::Tuple(t)) => f.len() == t.len() && f.iter().zip(t).all(|(a, b)| converts_to(a, b)),
        (Type::Optional(f), Type::Optional(t)) => converts_to(f, t),
        (Type::None, Type::Optional(_)) => true,
        (f, Type::Optional(t)) => converts_to(f, t),
        _ => false,
    }
}

/// After two paths join (the branches of an `if`, a loop body run or not): a name is None if
/// it is None on both; on one only, it may be either.
///
/// A variable that holds a value where it is not None becomes an Optional of that value (its
/// None paths then assign None to it), as in Numba; a parameter keeps its type, and a name
/// never given a value stays refused where it is read.
pub(super) fn merge_nones(fx: &mut FnCx, other: std::collections::HashSet<String>) {
    let differ: Vec<String> = fx.nones.symmetric_difference(&other).cloned().collect();
    for name in differ {
        let optional = match fx.by_name.get(&name) {
            Some(&var) if !fx.params.contains(&var) => crate::types::unify(&fx.vars[var].ty, &Type::None)
                .or_else(|| crate::types::optional_of(fx.vars[var].ty.clone()))
                .map(|t| (var, t)),
            _ => None,
        };
        match optional {
            Some((var, t)) => {
                if fx.vars[var].ty != t {
                    fx.vars[var].ty = t;
                    fx.changed = true;
                }
            }
            None => {
                fx.maybe_none.insert(name);
            }
        }
    }
    fx.nones.retain(|n| other.contains(n));
}

/// Whether running `body` always leaves the enclosing function (or raises): it reaches a
/// `return` or `raise` at its top level, or an `if` whose branches, `else` included, all do.
fn always_exits(body: &[PyStmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        PyStmt::Return(_) | PyStmt::Raise(_) => true,
        PyStmt::If(s) => {
            always_exits(&s.body)
                && s.elif_else_clauses.last().is_some_and(|c| c.test.is_none())
                && s.elif_else_clauses.iter().all(|c| always_exits(&c.body))
        }
        _ => false,
    })
}
