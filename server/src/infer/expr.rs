//! Expressions: names (locals, frozen globals), literals, operators with Numba's promotion rules,
//! comparisons, `and`/`or`, conditional expressions and attributes.

use super::tuple::pure;
use super::*;
use crate::builtins::{self, widen};

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn condition(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let v = self.expr_or_optional(fx, e)?;
        let Some(item) = v.ty.optional_item().cloned() else {
            return self.truthy(v, e.range());
        };
        if !pure(&v) {
            return self.truthy(v.cast(&item), e.range());
        }
        // None is false; a value is as true as it is.
        let value = self.truthy(v.clone().cast(&item), e.range())?;
        Ok(Expr::new(
            ExprKind::Logical {
                and: true,
                lhs: Box::new(optional_is_some(v)),
                rhs: Box::new(value),
            },
            Type::BOOL,
        ))
    }

    pub(super) fn truthy(&self, v: Expr, range: TextRange) -> R<Expr> {
        match &v.ty {
            Type::Scalar(_) => Ok(v.cast(&Type::BOOL)),
            // A set is true when it has items (`while s: s.pop()`).
            Type::Set(_) => {
                let len = super::set::set_op(SetOp::Len, v, vec![], Type::I64);
                self.compare_scalars(CmpOp::Ne, len, const_expr(ConstValue::Int(0)), range)
            }
            other => Err(self.err(
                DiagKind::Type,
                range,
                format!("the truth value of {other} is not supported"),
            )),
        }
    }

    pub(super) fn name(&mut self, fx: &mut FnCx, n: &ast::ExprName) -> R<Expr> {
        if fx.dtypes.contains_key(n.id.as_str()) {
            return Err(self.err(
                DiagKind::Unsupported,
                n.range,
                format!("the dtype '{}' as a value (kcache uses a dtype where one is expected: dtype=, .type(v), ==, .itemsize)", n.id),
            ));
        }
        let id = fx
            .aliases
            .get(n.id.as_str())
            .map(String::as_str)
            .unwrap_or(n.id.as_str());
        if fx.maybe_none.contains(id) {
            return Err(self.err(
                DiagKind::Unsupported,
                n.range,
                format!("'{id}' is None on one path and a value on another (Optional values)"),
            ));
        }
        if fx.nones.contains(id) {
            return Ok(none_expr());
        }
        if let Some(vid) = fx.by_name.get(id) {
            return Ok(Expr::new(ExprKind::Var(*vid), fx.vars[*vid].ty.clone()));
        }
        let id = n.id.as_str();
        if fx.ranges.contains(id) {
            return Err(self.err(
                DiagKind::Unsupported,
                n.range,
                format!("'{id}' (a range) as a value: kcache iterates over ranges and takes their len()"),
            ));
        }
        if let Some(vid) = fx.by_name.get(id) {
            return Ok(Expr::new(ExprKind::Var(*vid), fx.vars[*vid].ty.clone()));
        }
        if fx.locals.contains(id) {
            return Err(Fail::Deferred {
                name: id.to_string(),
                range: n.range,
            });
        }
        if let Some(c) = self.module.constants.get(id) {
            return Ok(Expr::new(ExprKind::Const(c.value), Type::Scalar(c.ty)));
        }
        if let Some(items) = self.module.tuples.get(id) {
            let items: Vec<Expr> = items
                .iter()
                .map(|c| Expr::new(ExprKind::Const(c.value), Type::Scalar(c.ty)))
                .collect();
            let ty = Type::Tuple(items.iter().map(|e| e.ty.clone()).collect());
            return Ok(Expr::new(ExprKind::Tuple(items), ty));
        }
        if let Some(a) = self.module.arrays.get(id) {
            return self.global_array(fx, id, a, n.range);
        }
        if let Some(o) = self.module.opaque.get(id) {
            return Err(self.opaque_global(id, o, n.range));
        }
        match id {
            "True" => return Ok(const_expr(ConstValue::Bool(true))),
            "False" => return Ok(const_expr(ConstValue::Bool(false))),
            _ => {}
        }
        if let Some(Imported::Member(PyModule::Math | PyModule::Numpy, m)) = self.module.imports.get(id) {
            if let Some(v) = math_constant(m) {
                return Ok(const_expr(ConstValue::Float(v)));
            }
        }
        if self.module.functions.contains_key(id) {
            return Err(self.err(
                DiagKind::Unsupported,
                n.range,
                format!("using function '{id}' as a value (call it instead)"),
            ));
        }
        Err(self.err(DiagKind::Name, n.range, format!("name '{id}' is not defined (kernels see their parameters, locals, module-level numeric constants, math and numpy)")))
    }

    /// The value of `e`. An Optional (a variable None on some paths, a call of a function that
    /// may return None) is read as its value, TypeError when it is None: Numba converts an
    /// Optional wherever a value is needed.
    pub(super) fn expr(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let v = self.expr_or_optional(fx, e)?;
        Ok(match v.ty.optional_item().cloned() {
            Some(item) => v.cast(&item),
            None => v,
        })
    }

    /// `e` as it is, Optional included: for the places that keep Optionals (assignments,
    /// returns, `is None` tests, conditions).
    pub(super) fn expr_or_optional(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        crate::stack::deep(|| self.expr_inner(fx, e))
    }

    fn expr_inner(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let range = e.range();
        match e {
            PyExpr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match (i.as_i64(), i.as_u64()) {
                    (Some(v), _) => Ok(const_expr(ConstValue::Int(v))),
                    // Past int64 but within uint64 (a hash's offset basis): Numba types it uint64.
                    (None, Some(v)) => Ok(Expr::new(
                        ExprKind::Const(ConstValue::Int(v as i64)),
                        Type::Scalar(Scalar::U64),
                    )),
                    (None, None) => Err(self.err(DiagKind::Type, range, "integer literal does not fit in uint64")),
                },
                Number::Float(f) => Ok(const_expr(ConstValue::Float(*f))),
                Number::Complex { real, imag } => Ok(const_expr(ConstValue::Complex(*real, *imag))),
            },
            PyExpr::BooleanLiteral(b) => Ok(const_expr(ConstValue::Bool(b.value))),
            PyExpr::Name(n) => self.name(fx, n),
            PyExpr::BinOp(b) => {
                let lhs = self.expr(fx, &b.left)?;
                let rhs = self.expr(fx, &b.right)?;
                let Some(op) = binop(b.op) else {
                    // `a @ b`
                    return self.dot(lhs, rhs, range);
                };
                if is_array(&lhs) || is_array(&rhs) {
                    return self.array_binary(op, lhs, rhs, range);
                }
                let (lhs, rhs) = match self.set_binary(fx, op, lhs, rhs, range)? {
                    Ok(e) => return Ok(e),
                    Err(pair) => pair,
                };
                if let Some(e) = self.list_binary(op, &lhs, &rhs, range)? {
                    return Ok(e);
                }
                if op == BinOp::Add
                    && [&lhs, &rhs]
                        .iter()
                        .all(|e| matches!(e.ty, Type::Tuple(_) | Type::IntTuple(_)))
                {
                    return self.tuple_concat(lhs, rhs, range);
                }
                self.binary(op, lhs, rhs, range)
            }
            PyExpr::UnaryOp(u) => {
                let operand = self.expr(fx, &u.operand)?;
                if is_array(&operand) && u.op != ast::UnaryOp::Not {
                    return self.array_unary(u.op, operand, range);
                }
                self.scalar_unary(u.op, operand, range)
            }
            PyExpr::Compare(c) => {
                if let Some(known) = self.dtype_comparison(fx, c)? {
                    return Ok(known);
                }
                // An operand only `is` compares keeps its Optional (that is the test).
                let identity = |k: usize| {
                    c.ops
                        .get(k)
                        .is_none_or(|op| matches!(op, ast::CmpOp::Is | ast::CmpOp::IsNot))
                };
                let mut left = if identity(0) {
                    self.expr_or_optional(fx, &c.left)?
                } else {
                    self.expr(fx, &c.left)?
                };
                let mut result: Option<Expr> = None;
                let last = c.ops.len() - 1;
                for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
                    let mut r = if identity(i) && identity(i + 1) {
                        self.expr_or_optional(fx, right)?
                    } else {
                        self.expr(fx, right)?
                    };
                    // `a < b < c` reads b twice but Python evaluates it once: a middle operand
                    // that is not a plain value is bound to a hidden variable (and so is `a`,
                    // to keep left-to-right order), or nesting would grow the code exponentially.
                    let mut bindings = Vec::new();
                    if i < last && !pure(&r) && matches!(r.ty, Type::Scalar(_)) {
                        if !pure(&left) && matches!(left.ty, Type::Scalar(_)) {
                            let (var, value) = self.bind_hidden(fx, left, c.left.range())?;
                            left = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
                            bindings.push((var, value));
                        }
                        let (var, value) = self.bind_hidden(fx, r, right.range())?;
                        r = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
                        bindings.push((var, value));
                    }
                    let cmp = if matches!(op, ast::CmpOp::Is | ast::CmpOp::IsNot) {
                        self.identity(*op, &left, &r, range)?
                    } else if matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn) {
                        let found = if r.ty.dict_types().is_some() {
                            self.dict_contains(fx, left.clone(), r.clone(), range)?
                        } else if r.ty.set_item().is_some() {
                            self.set_contains(left.clone(), r.clone(), range)?
                        } else {
                            self.membership(left.clone(), r.clone(), range)?
                        };
                        if *op == ast::CmpOp::NotIn {
                            Expr::new(
                                ExprKind::Unary {
                                    op: UnaryOp::Not,
                                    operand: Box::new(found),
                                },
                                Type::BOOL,
                            )
                        } else {
                            found
                        }
                    } else if left.ty.set_item().is_some() || r.ty.set_item().is_some() {
                        self.set_compare(fx, *op, left.clone(), r.clone(), range)?
                            .expect("a set operand")
                    } else if is_array(&left) || is_array(&r) {
                        if !(left.ty.is_numeric() || is_array(&left)) || !(r.ty.is_numeric() || is_array(&r)) {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!("comparison of {} and {}", left.ty, r.ty),
                            ));
                        }
                        if c.ops.len() > 1 {
                            return Err(self.err(DiagKind::Unsupported, range, "chained comparisons of arrays"));
                        }
                        let cop = self.cmp_op(*op, range)?;
                        return self.user_array_compare(cop, left, r, range);
                    } else {
                        self.compare(*op, left.clone(), r.clone(), range)?
                    };
                    let cmp = bindings.into_iter().rev().fold(cmp, |body, (var, value)| {
                        let ty = body.ty.clone();
                        Expr::new(
                            ExprKind::Let {
                                var,
                                value: Box::new(value),
                                body: Box::new(body),
                            },
                            ty,
                        )
                    });
                    // a < b < c is a < b and b < c.
                    result = Some(match result {
                        None => cmp,
                        Some(prev) => Expr::new(
                            ExprKind::Logical {
                                and: true,
                                lhs: Box::new(prev),
                                rhs: Box::new(cmp),
                            },
                            Type::BOOL,
                        ),
                    });
                    left = r;
                }
                Ok(result.expect("a comparison has at least one operator"))
            }
            PyExpr::BoolOp(b) => {
                let and = matches!(b.op, ast::BoolOp::And);
                let mut values = Vec::new();
                for v in &b.values {
                    let value = self.expr(fx, v)?;
                    // A constant that decides (`x is None or ...` where x is None, `False
                    // and ...`) ends it: Python never evaluates the rest, so it is not typed
                    // (it may read x as a value).
                    let decides = matches!(value.kind, ExprKind::Const(ConstValue::Bool(c)) if c != and);
                    values.push(value);
                    if decides {
                        break;
                    }
                }
                let mut ty = values[0].ty.clone();
                for v in &values[1..] {
                    ty = match (&ty, &v.ty) {
                        (Type::Scalar(_), Type::Scalar(_)) => unify(&ty, &v.ty).expect("scalars unify"),
                        _ => return Err(self.err(DiagKind::Type, range, "and/or on non-scalar values")),
                    };
                }
                if !ty.is_numeric() {
                    return Err(self.err(DiagKind::Type, range, "and/or on non-scalar values"));
                }
                let mut it = values.into_iter().rev();
                let mut acc = it.next().expect("non-empty").cast(&ty);
                for v in it {
                    acc = Expr::new(
                        ExprKind::Logical {
                            and,
                            lhs: Box::new(v.cast(&ty)),
                            rhs: Box::new(acc),
                        },
                        ty.clone(),
                    );
                }
                Ok(acc)
            }
            PyExpr::If(i) => {
                let cond = self.condition(fx, &i.test)?;
                let then = self.expr(fx, &i.body)?;
                let orelse = self.expr(fx, &i.orelse)?;
                if then.ty == orelse.ty && !then.ty.is_numeric() {
                    // Assignments take these (`x = a if c else b` becomes an if statement).
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!(
                            "a conditional expression of {} values here (assign it to a variable first)",
                            then.ty
                        ),
                    ));
                }
                let ty = unify(&then.ty, &orelse.ty).filter(|t| t.is_numeric()).ok_or_else(|| {
                    self.err(
                        DiagKind::Type,
                        range,
                        format!("the branches are {} and {}: they do not unify", then.ty, orelse.ty),
                    )
                })?;
                Ok(Expr::new(
                    ExprKind::IfExp {
                        cond: Box::new(cond),
                        then: Box::new(then.cast(&ty)),
                        orelse: Box::new(orelse.cast(&ty)),
                    },
                    ty,
                ))
            }
            PyExpr::Subscript(sub) => Ok(self.view_subscript(fx, sub)?.expect("a subscript")),
            PyExpr::Attribute(attr) => self.attribute(fx, attr),
            PyExpr::Call(call) => self.call(fx, call),
            PyExpr::Tuple(t) => self.tuple_literal(fx, t),
            PyExpr::List(l) => self.list_literal(fx, l),
            PyExpr::ListComp(c) => self.list_comprehension(fx, c),
            PyExpr::Dict(d) => self.dict_literal(fx, d),
            PyExpr::DictComp(c) => self.dict_comprehension(fx, c),
            PyExpr::Set(s) => self.set_literal(fx, s),
            PyExpr::SetComp(c) => self.set_comprehension(fx, c),
            PyExpr::StringLiteral(_) | PyExpr::FString(_) | PyExpr::BytesLiteral(_) => {
                Err(self.err(DiagKind::Unsupported, range, "strings"))
            }
            PyExpr::NoneLiteral(_) => Ok(none_expr()),
            PyExpr::Lambda(_) => Err(self.err(
                DiagKind::Unsupported,
                range,
                "a lambda here (kcache calls lambdas bound to a name: f = lambda x: ...)",
            )),
            PyExpr::Generator(_) => Err(self.err(DiagKind::Unsupported, range, "generator expressions")),
            PyExpr::Slice(_) => Err(self.err(DiagKind::Unsupported, range, "slices")),
            PyExpr::Named(_) => Err(self.err(DiagKind::Unsupported, range, "the walrus operator")),
            _ => Err(self.err(DiagKind::Unsupported, range, "this expression")),
        }
    }

    pub(super) fn attribute(&mut self, fx: &mut FnCx, attr: &ast::ExprAttribute) -> R<Expr> {
        let range = attr.range;
        let name = attr.attr.id.as_str();
        if let Some(limit) = self.type_limit(fx, attr)? {
            return Ok(limit);
        }
        // `a.dtype.itemsize`, `dt.itemsize`: a constant of the dtype.
        if name == "itemsize" && self.is_dtype_value(fx, &attr.value) {
            let dtype = self.dtype_arg(fx, &attr.value)?;
            return Ok(const_expr(ConstValue::Int(dtype.itemsize() as i64)));
        }
        if let PyExpr::Name(base) = &*attr.value {
            if !fx.locals.contains(base.id.as_str()) {
                if let Some(Imported::Module(m)) = self.module.imports.get(base.id.as_str()) {
                    if matches!(m, PyModule::Math | PyModule::Numpy | PyModule::Cmath) {
                        if let Some(v) = math_constant(name) {
                            return Ok(const_expr(ConstValue::Float(v)));
                        }
                    }
                    return Err(self.err(DiagKind::Unsupported, range, format!("'{}.{name}' as a value", base.id)));
                }
            }
        }
        let value = self.expr(fx, &attr.value)?;
        if let (true, Some(f)) = (value.ty.is_numeric(), builtins::complex::attribute(name)) {
            if name != "conjugate" {
                return builtins::Builtin::infer(f, None, name, vec![value])
                    .map_err(|(kind, msg)| self.err(kind, range, msg));
            }
        }
        let Some(at) = value.ty.array() else {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("attribute '{name}' of {}", value.ty),
            ));
        };
        match name {
            "shape" => Ok(Expr::new(
                ExprKind::ArrayDim {
                    array: Box::new(value),
                    dim: 0,
                },
                Type::IntTuple(at.ndim),
            )),
            "size" => Ok(Expr::new(ExprKind::ArraySize(Box::new(value)), Type::I64)),
            "ndim" => Ok(const_expr(ConstValue::Int(at.ndim as i64))),
            "itemsize" => Ok(const_expr(ConstValue::Int(at.dtype.itemsize() as i64))),
            _ => self.array_attribute(value, name, range),
        }
    }

    pub(super) fn binary(&self, op: BinOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let (Some(a), Some(b)) = (lhs.ty.scalar(), rhs.ty.scalar()) else {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "unsupported operand types for {}: {} and {} (array expressions are not supported; write a loop)",
                    op_symbol(op),
                    lhs.ty,
                    rhs.ty
                ),
            ));
        };
        let t = arith_promote(a, b);
        if t.is_complex() && !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv | BinOp::Pow) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "unsupported operand types for {}: {} and {} (complex numbers have no {})",
                    op_symbol(op),
                    a.name(),
                    b.name(),
                    op_symbol(op)
                ),
            ));
        }
        let (operand, result) = match op {
            BinOp::TrueDiv => {
                let t = if t.is_float() || t.is_complex() { t } else { Scalar::F64 };
                (t, t)
            }
            BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
                if a.is_float() || b.is_float() {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!(
                            "unsupported operand types for {}: {} and {}",
                            op_symbol(op),
                            a.name(),
                            b.name()
                        ),
                    ));
                }
                if a == Scalar::Bool && b == Scalar::Bool && !matches!(op, BinOp::LShift | BinOp::RShift) {
                    (Scalar::Bool, Scalar::Bool)
                } else if t == Scalar::F64 {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!("bitwise {} of int64 and uint64", op_symbol(op)),
                    ));
                } else {
                    (t, t)
                }
            }
            // `2 ** -1` of two literals is 0.5: CPython folds it into a float constant before
            // Numba sees it. With a variable on either side the power stays an integer, as in
            // Numba (`x ** -1` is 0 for x = 2), and `0 ** -1` raises ZeroDivisionError.
            BinOp::Pow
                if !t.is_float()
                    && !t.is_complex()
                    && is_negative_int_literal(&rhs)
                    && is_nonzero_int_literal(&lhs) =>
            {
                (Scalar::F64, Scalar::F64)
            }
            _ => (t, t),
        };
        let ot = Type::Scalar(operand);
        Ok(Expr::new(
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs.cast(&ot)),
                rhs: Box::new(rhs.cast(&ot)),
            },
            Type::Scalar(result),
        ))
    }

    pub(super) fn cmp_op(&self, op: ast::CmpOp, range: TextRange) -> R<CmpOp> {
        Ok(match op {
            ast::CmpOp::Eq => CmpOp::Eq,
            ast::CmpOp::NotEq => CmpOp::Ne,
            ast::CmpOp::Lt => CmpOp::Lt,
            ast::CmpOp::LtE => CmpOp::Le,
            ast::CmpOp::Gt => CmpOp::Gt,
            ast::CmpOp::GtE => CmpOp::Ge,
            other => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    range,
                    format!("the '{}' operator", other.as_str()),
                ))
            }
        })
    }

    /// `x is None` / `x is not None`: decided by the types (a value of another type is never
    /// None), so a constant.
    fn identity(&self, op: ast::CmpOp, lhs: &Expr, rhs: &Expr, range: TextRange) -> R<Expr> {
        let (value, other) = if rhs.ty == Type::None { (lhs, rhs) } else { (rhs, lhs) };
        if other.ty != Type::None {
            return Err(self.err(DiagKind::Unsupported, range, "'is' between values other than None"));
        }
        if matches!(value.ty, Type::Optional(_)) {
            let is_some = optional_is_some(value.clone());
            return Ok(if op == ast::CmpOp::IsNot {
                is_some
            } else {
                Expr::new(
                    ExprKind::Unary {
                        op: UnaryOp::Not,
                        operand: Box::new(is_some),
                    },
                    Type::BOOL,
                )
            });
        }
        let is_none = value.ty == Type::None;
        Ok(const_expr(ConstValue::Bool(is_none == (op == ast::CmpOp::Is))))
    }

    pub(super) fn compare(&self, op: ast::CmpOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let cop = self.cmp_op(op, range)?;
        if [&lhs.ty, &rhs.ty]
            .iter()
            .any(|t| matches!(t, Type::Tuple(_) | Type::IntTuple(_)))
        {
            return self.tuple_equality(cop, lhs, rhs, range);
        }
        self.compare_scalars(cop, lhs, rhs, range)
    }

    pub(super) fn compare_scalars(&self, cop: CmpOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let (Some(a), Some(b)) = (lhs.ty.scalar(), rhs.ty.scalar()) else {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot compare {} and {}", lhs.ty, rhs.ty),
            ));
        };
        let t = if a == Scalar::Bool && b == Scalar::Bool {
            Scalar::Bool
        } else {
            arith_promote(a, b)
        };
        if t.is_complex() && !matches!(cop, CmpOp::Eq | CmpOp::Ne) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "complex numbers are not ordered: cannot compare {} and {} with <, <=, > or >=",
                    a.name(),
                    b.name()
                ),
            ));
        }
        let ot = Type::Scalar(t);
        Ok(Expr::new(
            ExprKind::Compare {
                op: cop,
                lhs: Box::new(lhs.cast(&ot)),
                rhs: Box::new(rhs.cast(&ot)),
            },
            Type::BOOL,
        ))
    }
}

/// The value None (it types the `x is None` tests; it is never stored).
impl<'m, 'src> Inferer<'m, 'src> {
    /// A module-level array: built once per call of the function, at its entry, from its
    /// frozen items (Numba freezes global arrays into the code; stores into it are refused
    /// after inference, as Numba refuses them).
    fn global_array(
        &mut self,
        fx: &mut FnCx,
        name: &str,
        a: &crate::globals::FrozenArray,
        range: TextRange,
    ) -> R<Expr> {
        let hidden = format!("$global:{name}");
        if !fx.global_arrays.iter().any(|(n, _)| *n == hidden) {
            let items: Vec<Expr> = a
                .values
                .iter()
                .map(|v| Expr::new(ExprKind::Const(*v), Type::Scalar(a.dtype)))
                .collect();
            let list = Expr::new(ExprKind::ListNew(items), Type::List(Box::new(Type::Scalar(a.dtype))));
            let flat = self.list_to_array(list, Some(a.dtype), range)?;
            let value = if a.shape.len() == 1 {
                flat
            } else {
                let dims = a.shape.iter().map(|n| const_expr(ConstValue::Int(*n as i64))).collect();
                self.reshaped(flat, dims)
            };
            let init = self.assign_var(fx, &hidden, value, range)?;
            fx.global_arrays.push((hidden.clone(), init));
        }
        let var = fx.by_name[&hidden];
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }
}

/// Whether an Optional holds a value: the first item of the tuple it becomes.
fn optional_is_some(optional: Expr) -> Expr {
    Expr::new(
        ExprKind::TupleGet {
            tuple: Box::new(optional),
            index: 0,
        },
        Type::BOOL,
    )
}

pub(super) fn none_expr() -> Expr {
    Expr::new(ExprKind::Const(ConstValue::Bool(false)), Type::None)
}

pub(super) fn const_expr(c: ConstValue) -> Expr {
    let ty = match c {
        ConstValue::Bool(_) => Type::BOOL,
        ConstValue::Int(_) => Type::I64,
        ConstValue::Float(_) => Type::F64,
        ConstValue::Complex(..) => Type::Scalar(Scalar::C128),
    };
    Expr::new(ExprKind::Const(c), ty)
}

pub(super) fn binop(op: ast::Operator) -> Option<BinOp> {
    use ast::Operator as O;
    Some(match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Sub,
        O::Mult => BinOp::Mul,
        O::Div => BinOp::TrueDiv,
        O::FloorDiv => BinOp::FloorDiv,
        O::Mod => BinOp::Mod,
        O::Pow => BinOp::Pow,
        O::LShift => BinOp::LShift,
        O::RShift => BinOp::RShift,
        O::BitAnd => BinOp::BitAnd,
        O::BitOr => BinOp::BitOr,
        O::BitXor => BinOp::BitXor,
        O::MatMult => return None,
    })
}

pub(super) fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::TrueDiv => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
    }
}

impl Inferer<'_, '_> {
    /// `a.dtype == np.float64` and the like (`==`, `!=`, `is`, `is not` between an array's
    /// dtype and a dtype): known when the kernel is typed, as in Numba.
    fn dtype_comparison(&mut self, fx: &mut FnCx, c: &ast::ExprCompare) -> R<Option<Expr>> {
        let ([op], [right]) = (c.ops.as_ref(), c.comparators.as_ref()) else {
            return Ok(None);
        };
        // `a.dtype.kind == "f"` (dtype-generic code, numbagg's): NumPy's kind letter.
        fn kind_of(e: &PyExpr) -> Option<&PyExpr> {
            match e {
                PyExpr::Attribute(a) if a.attr.id.as_str() == "kind" => Some(&*a.value),
                _ => None,
            }
        }
        let letter = |e: &PyExpr| match e {
            PyExpr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        };
        let kind_test = match (kind_of(&c.left), letter(right), letter(&c.left), kind_of(right)) {
            (Some(d), Some(l), _, _) | (_, _, Some(l), Some(d)) if self.is_dtype_value(fx, d) => Some((d, l)),
            _ => None,
        };
        if let Some((dtype, wanted)) = kind_test {
            let equal = match op {
                ast::CmpOp::Eq => true,
                ast::CmpOp::NotEq => false,
                _ => return Ok(None),
            };
            let s = self.dtype_arg(fx, dtype)?;
            let kind = match s {
                Scalar::Bool => "b",
                s if s.is_complex() => "c",
                s if s.is_float() => "f",
                s if s.is_signed() => "i",
                _ => "u",
            };
            return Ok(Some(const_expr(ConstValue::Bool((kind == wanted) == equal))));
        }
        let is_dtype_attr = |e: &PyExpr| {
            matches!(e, PyExpr::Attribute(a) if a.attr.id.as_str() == "dtype")
                || matches!(e, PyExpr::Name(n) if fx.dtypes.contains_key(n.id.as_str()))
        };
        if !is_dtype_attr(&c.left) && !is_dtype_attr(right) {
            return Ok(None);
        }
        let equal = match op {
            ast::CmpOp::Eq | ast::CmpOp::Is => true,
            ast::CmpOp::NotEq | ast::CmpOp::IsNot => false,
            _ => return Ok(None),
        };
        let a = self.dtype_arg(fx, &c.left)?;
        let b = self.dtype_arg(fx, right)?;
        Ok(Some(const_expr(ConstValue::Bool((a == b) == equal))))
    }

    /// `np.finfo(dtype).eps` / `.max` / `.min` / `.tiny` / `.resolution` / `.bits` and
    /// `np.iinfo(dtype).max` / `.min` / `.bits`: constants of the dtype's type.
    fn type_limit(&mut self, fx: &mut FnCx, attr: &ast::ExprAttribute) -> R<Option<Expr>> {
        let PyExpr::Call(call) = &*attr.value else {
            return Ok(None);
        };
        let which = match &*call.func {
            PyExpr::Attribute(f) => match &*f.value {
                PyExpr::Name(base)
                    if !fx.locals.contains(base.id.as_str())
                        && matches!(
                            self.module.imports.get(base.id.as_str()),
                            Some(Imported::Module(PyModule::Numpy))
                        ) =>
                {
                    f.attr.id.as_str()
                }
                _ => return Ok(None),
            },
            PyExpr::Name(n) if !fx.locals.contains(n.id.as_str()) => match self.module.imports.get(n.id.as_str()) {
                Some(Imported::Member(PyModule::Numpy, m)) => m.as_str(),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        if which != "finfo" && which != "iinfo" {
            return Ok(None);
        }
        let range = attr.range;
        let [arg] = call.arguments.args.as_ref() else {
            return Err(self.err(DiagKind::Type, call.range(), format!("np.{which}() takes one dtype")));
        };
        let dtype = match self.dtype_arg(fx, arg) {
            Ok(d) => d,
            // np.finfo(x) of a value: its type.
            Err(_) => {
                let v = self.expr(fx, arg)?;
                match (v.ty.array().map(|a| a.dtype), v.ty.scalar()) {
                    (Some(d), _) | (None, Some(d)) => d,
                    _ => return Err(self.err(DiagKind::Type, arg.range(), format!("np.{which}() of {}", v.ty))),
                }
            }
        };
        let name = attr.attr.id.as_str();
        let unsupported = |this: &Self| {
            Err(this.err(
                DiagKind::Unsupported,
                range,
                format!("np.{which}({}).{name}", dtype.name()),
            ))
        };
        let bits = const_expr(ConstValue::Int(8 * dtype.itemsize() as i64));
        if which == "finfo" {
            let (eps, max, tiny, resolution) = match dtype {
                Scalar::F64 | Scalar::C128 => (f64::EPSILON, f64::MAX, f64::MIN_POSITIVE, 1e-15),
                Scalar::F32 | Scalar::C64 => (
                    f32::EPSILON as f64,
                    f32::MAX as f64,
                    f32::MIN_POSITIVE as f64,
                    1e-6f32 as f64,
                ),
                _ => {
                    return Err(self.err(
                        DiagKind::Type,
                        arg.range(),
                        format!("np.finfo() of {}: not a float type", dtype.name()),
                    ))
                }
            };
            let t = Type::Scalar(dtype.real_part());
            let value = match name {
                "eps" => eps,
                "epsneg" => eps / 2.0,
                "max" => max,
                "min" => -max,
                "tiny" | "smallest_normal" => tiny,
                "resolution" => resolution,
                "bits" => return Ok(Some(bits)),
                _ => return unsupported(self),
            };
            return Ok(Some(const_expr(ConstValue::Float(value)).cast(&t)));
        }
        if !dtype.is_int() {
            return Err(self.err(
                DiagKind::Type,
                arg.range(),
                format!("np.iinfo() of {}: not an integer type", dtype.name()),
            ));
        }
        let t = Type::Scalar(dtype);
        let bits_n = 8 * dtype.itemsize() as u32;
        let (min, max): (i128, i128) = if dtype.is_signed() {
            (-(1i128 << (bits_n - 1)), (1i128 << (bits_n - 1)) - 1)
        } else {
            (0, (1i128 << bits_n) - 1)
        };
        let value = match name {
            "max" => max,
            "min" => min,
            "bits" => return Ok(Some(bits)),
            _ => return unsupported(self),
        };
        // (uint64's max is held as its bit pattern, as a uint64 literal is.)
        Ok(Some(Expr::new(
            ExprKind::Const(ConstValue::Int(value as u64 as i64)),
            t,
        )))
    }
}

/// An integer literal other than zero, negated or not, through casts.
fn is_nonzero_int_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(ConstValue::Int(v)) => *v != 0,
        ExprKind::Cast(inner) => is_nonzero_int_literal(inner),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => is_nonzero_int_literal(operand),
        _ => false,
    }
}

/// `-3` (a negated literal) or a negative integer constant, through casts.
fn is_negative_int_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(ConstValue::Int(v)) => *v < 0,
        ExprKind::Cast(inner) => is_negative_int_literal(inner),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => {
            let mut inner = operand.as_ref();
            while let ExprKind::Cast(x) = &inner.kind {
                inner = x;
            }
            matches!(inner.kind, ExprKind::Const(ConstValue::Int(v)) if v > 0)
        }
        _ => false,
    }
}

impl Inferer<'_, '_> {
    /// A unary operator on a scalar (`not` of anything truthy).
    pub(super) fn scalar_unary(&self, op: ast::UnaryOp, operand: Expr, range: TextRange) -> R<Expr> {
        let Some(s) = operand.ty.scalar() else {
            return Err(self.err(DiagKind::Type, range, format!("unary operator on {}", operand.ty)));
        };
        match op {
            ast::UnaryOp::Not => Ok(Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(self.truthy(operand, range)?),
                },
                Type::BOOL,
            )),
            ast::UnaryOp::UAdd => Ok(operand.cast(&Type::Scalar(widen(s)))),
            ast::UnaryOp::USub => {
                let t = Type::Scalar(widen(s));
                Ok(Expr::new(
                    ExprKind::Unary {
                        op: UnaryOp::Neg,
                        operand: Box::new(operand.cast(&t)),
                    },
                    t,
                ))
            }
            ast::UnaryOp::Invert => {
                if s.is_float() || s.is_complex() {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!("bad operand type for unary ~: {}", s.name()),
                    ));
                }
                let t = Type::Scalar(widen(s));
                Ok(Expr::new(
                    ExprKind::Unary {
                        op: UnaryOp::BitNot,
                        operand: Box::new(operand.cast(&t)),
                    },
                    t,
                ))
            }
        }
    }
}
