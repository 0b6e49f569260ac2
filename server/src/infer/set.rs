//! Sets made inside kernels (Numba's reflected sets): `set()`, literals, comprehensions,
//! `set(iterable)`, the methods, `in`, `len`, iteration, `list`/`sorted`, the operators
//! `| & - ^` (and their in-place forms) and the comparisons.
//!
//! Every operation is CPython's own algorithm (kcache-runtime's `set`), so a kernel iterating
//! a set sees CPython's order. That is why `set(x)` of a list, array, tuple or range is the
//! comprehension `{v for v in x}` (CPython adds the items one by one), and why a literal of
//! three or more constants is made as CPython makes it: a frozenset constant (the items added
//! in order) copied into a new set.
//!
//! Items are numbers (not complex) and tuples of numbers. A set variable's item type grows as
//! a list's does: `s = set()` takes its type from the first `add`.

use super::list::Made;
use super::*;

pub(super) fn set_op(op: SetOp, set: Expr, args: Vec<Expr>, ty: Type) -> Expr {
    Expr::new(
        ExprKind::Set {
            op,
            set: Box::new(set),
            args,
        },
        ty,
    )
}

fn empty_set() -> Expr {
    Expr::new(ExprKind::SetNew(Vec::new()), Type::Set(Box::new(Type::None)))
}

fn item_ok(t: &Type) -> bool {
    let scalar = |t: &Type| t.scalar().is_some_and(|s| !s.is_complex());
    scalar(t)
        || t.tuple()
            .is_some_and(|items| !items.is_empty() && items.len() <= 16 && items.iter().all(scalar))
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// The item type of a set holding `current` items (none yet: `Type::None`) and `new` ones.
    fn set_item_type(&self, current: &Type, new: &Type, range: TextRange) -> R<Type> {
        if !item_ok(new) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("sets of {new} (kcache's sets hold integers, floats, bools and tuples of them)"),
            ));
        }
        if *current == Type::None {
            return Ok(new.clone());
        }
        unify(current, new)
            .filter(item_ok)
            .ok_or_else(|| self.err(DiagKind::Type, range, format!("a set of {current} cannot hold {new}")))
    }

    /// `set` made able to hold `item`: a set variable's item type grows (the next pass retypes
    /// every use); another set must already fit.
    fn set_fit(&mut self, fx: &mut FnCx, set: Expr, item: &Type, range: TextRange) -> R<(Expr, Type)> {
        let current = set.ty.set_item().expect("a set").clone();
        let new = self.set_item_type(&current, item, range)?;
        if new == current {
            return Ok((set, current));
        }
        let ty = Type::Set(Box::new(new.clone()));
        match set.kind {
            ExprKind::Var(var) if !fx.params.contains(&var) => {
                fx.vars[var].ty = ty.clone();
                fx.changed = true;
                Ok((Expr::new(ExprKind::Var(var), ty), new))
            }
            ExprKind::SetNew(_) => Ok((set.cast(&ty), new)),
            _ => Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "{} cannot hold {item} (a set's item type is fixed when it is made, as in Numba: make it a {ty} from the start)",
                    set.ty
                ),
            )),
        }
    }

    fn known_set(&self, set: &Expr, range: TextRange) -> R<()> {
        if set.ty.set_item() == Some(&Type::None) {
            return Err(self.err(
                DiagKind::Type,
                range,
                "the item type of this empty set is unknown (add an item first)",
            ));
        }
        Ok(())
    }

    /// `{a, b, ...}`.
    pub(super) fn set_literal(&mut self, fx: &mut FnCx, s: &ast::ExprSet) -> R<Expr> {
        let mut item = Type::None;
        let mut items = Vec::new();
        for e in &s.elts {
            if matches!(e, PyExpr::Starred(_)) {
                return Err(self.err(DiagKind::Unsupported, e.range(), "*unpacking inside a set"));
            }
            let v = self.expr(fx, e)?;
            let v = self.first_class(v, e.range())?;
            item = self.set_item_type(&item, &v.ty, e.range())?;
            items.push(v);
        }
        let ty = Type::Set(Box::new(item));
        let constant = s.elts.len() >= 3 && s.elts.iter().all(folded_constant);
        let new = Expr::new(ExprKind::SetNew(Vec::new()), Type::Set(Box::new(Type::None)));
        let new = Expr::new(ExprKind::SetNew(items), new.ty).cast(&ty);
        if constant {
            // CPython compiles a literal of three or more constants to a frozenset constant
            // copied into a new set (SET_UPDATE). The compiler makes that frozenset from the
            // items in source order, then makes it again from the first one's iteration order
            // (compile.c's merge_consts_recursive); each step can move items. (Code loaded
            // from a .pyc has had it made once more, by marshal: CPython itself gives such a
            // literal another order there; kcache follows freshly compiled code.)
            let frozen = set_op(SetOp::Rebuild, new, vec![], ty.clone());
            return Ok(set_op(SetOp::Copy, frozen, vec![], ty));
        }
        Ok(new)
    }

    /// `{elt for target in iter if cond ...}`: built by statements that run before the
    /// statement using it, as a list comprehension is.
    pub(super) fn set_comprehension(&mut self, fx: &mut FnCx, c: &ast::ExprSetComp) -> R<Expr> {
        let (var, init) = self.hidden_var(fx, empty_set(), c.range)?;
        let saved = fx.aliases.clone();
        // A comprehension's variables are locals in its own scope only (Python 3).
        let saved_locals = fx.locals.clone();
        let mut stmts = vec![init];
        let built = self.comprehension_loops(fx, &c.generators, Made::SetItem(&c.elt), var, &mut stmts);
        fx.aliases = saved;
        fx.locals = saved_locals;
        built?;
        fx.pre.extend(stmts);
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }

    /// `s.add(v)` for the set variable `var` (a comprehension's).
    pub(super) fn set_add_to(&mut self, fx: &mut FnCx, var: VarId, v: Expr, range: TextRange) -> R<Stmt> {
        let set = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
        let (set, item) = self.set_fit(fx, set, &v.ty, range)?;
        Ok(Stmt::Expr(set_op(SetOp::Add, set, vec![v.cast(&item)], Type::None)))
    }

    /// `set()`, `set(iterable)`.
    pub(super) fn set_call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        if !call.arguments.keywords.is_empty() {
            return Err(self.err(DiagKind::Type, range, "set() takes no keyword arguments"));
        }
        let arg = match call.arguments.args.as_ref() {
            [] => return Ok(empty_set()),
            [arg] => arg,
            _ => return Err(self.err(DiagKind::Type, range, "set expected at most 1 argument")),
        };
        let is_range = matches!(arg, PyExpr::Call(c) if matches!(&*c.func, PyExpr::Name(n)
            if n.id.as_str() == "range" && !fx.locals.contains("range")));
        let iter = if is_range {
            arg.clone()
        } else {
            let x = self.expr(fx, arg)?;
            let x = self.first_class(x, arg.range())?;
            match &x.ty {
                Type::Set(_) => {
                    self.known_set(&x, range)?;
                    let ty = x.ty.clone();
                    return Ok(set_op(SetOp::Copy, x, vec![], ty));
                }
                Type::List(_) | Type::Array(_) | Type::Tuple(_) | Type::Dict(..) => {}
                other => return Err(self.err(DiagKind::Unsupported, range, format!("set() of {other}"))),
            }
            if let Type::Array(a) = &x.ty {
                if a.ndim != 1 {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!(
                            "set() of a {}-D array (its rows are arrays, which are not hashable)",
                            a.ndim
                        ),
                    ));
                }
            }
            let (var, stmt) = self.hidden_var(fx, x, arg.range())?;
            fx.pre.push(stmt);
            name_expr(&fx.vars[var].name.clone(), ast::ExprContext::Load, range)
        };
        // CPython adds the items one by one: the comprehension `{v for v in x}`.
        let item = format!("$setitem{}", fx.hidden);
        fx.hidden += 1;
        let comp = ast::ExprSetComp {
            node_index: Default::default(),
            range,
            elt: Box::new(name_expr(&item, ast::ExprContext::Load, range)),
            generators: vec![ast::Comprehension {
                range,
                node_index: Default::default(),
                target: name_expr(&item, ast::ExprContext::Store, range),
                iter,
                ifs: Vec::new(),
                is_async: false,
            }],
        };
        self.set_comprehension(fx, &comp)
    }

    /// `v in s`.
    pub(super) fn set_contains(&mut self, item: Expr, set: Expr, range: TextRange) -> R<Expr> {
        let item = self.first_class(item, range)?;
        let current = set.ty.set_item().expect("a set").clone();
        if current == Type::None {
            return Ok(const_expr(ConstValue::Bool(false)));
        }
        // A value of another type is looked up as the set's type, when it converts (1 in a set
        // of floats); otherwise it is not there.
        match unify(&current, &item.ty) {
            Some(t) if t == current => Ok(set_op(SetOp::Contains, set, vec![item.cast(&current)], Type::BOOL)),
            _ => Err(self.err(DiagKind::Type, range, format!("looking up {} in a {}", item.ty, set.ty))),
        }
    }

    /// The items of a set in iteration order, as a new list.
    pub(super) fn set_items(&self, set: Expr, range: TextRange) -> R<Expr> {
        self.known_set(&set, range)?;
        let item = set.ty.set_item().expect("a set").clone();
        Ok(set_op(SetOp::List, set, vec![], Type::List(Box::new(item))))
    }

    /// The other operand of a binary set operation, and `set` fitted to it: both of one type.
    fn set_pair(&mut self, fx: &mut FnCx, set: Expr, other: Expr, what: &str, range: TextRange) -> R<(Expr, Expr)> {
        let Some(oitem) = other.ty.set_item().cloned() else {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "{what} with {} (kcache's set operations take two sets: make it one with set(...))",
                    other.ty
                ),
            ));
        };
        let sitem = set.ty.set_item().expect("a set").clone();
        match (sitem == Type::None, oitem == Type::None) {
            (true, true) => {
                return Err(self.err(DiagKind::Type, range, "the item types of these empty sets are unknown"));
            }
            (false, true) => {
                let (other, _) = self.set_fit(fx, other, &sitem, range)?;
                return Ok((set, other));
            }
            (true, false) => {
                let (set, _) = self.set_fit(fx, set, &oitem, range)?;
                return Ok((set, other));
            }
            _ => {}
        }
        if sitem != oitem {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "{what} of a {} and a {} (kcache's set operations take sets of one item type)",
                    set.ty, other.ty
                ),
            ));
        }
        Ok((set, other))
    }

    /// `a op b` of two sets; the operands back when `lhs` is not a set.
    pub(super) fn set_binary(
        &mut self,
        fx: &mut FnCx,
        op: BinOp,
        lhs: Expr,
        rhs: Expr,
        range: TextRange,
    ) -> R<Result<Expr, (Expr, Expr)>> {
        if lhs.ty.set_item().is_none() {
            return Ok(Err((lhs, rhs)));
        }
        let sop = match op {
            BinOp::BitOr => SetOp::Or,
            BinOp::BitAnd => SetOp::And,
            BinOp::Sub => SetOp::Sub,
            BinOp::BitXor => SetOp::Xor,
            _ => {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("unsupported operand types for {op:?}: set"),
                ))
            }
        };
        let (lhs, rhs) = self.set_pair(fx, lhs, rhs, "a set operator", range)?;
        let ty = lhs.ty.clone();
        Ok(Ok(set_op(sop, lhs, vec![rhs], ty)))
    }

    /// `s op= t` of a set variable: in place, as Python's (an alias sees it).
    pub(super) fn set_augassign(
        &mut self,
        fx: &mut FnCx,
        set: Expr,
        op: BinOp,
        rhs: Expr,
        range: TextRange,
    ) -> R<Stmt> {
        let sop = match op {
            BinOp::BitOr => SetOp::Update,
            BinOp::BitAnd => SetOp::IAnd,
            BinOp::Sub => SetOp::ISub,
            BinOp::BitXor => SetOp::IXor,
            _ => {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("unsupported operand types for {op:?}=: set"),
                ))
            }
        };
        let (set, rhs) = self.set_pair(fx, set, rhs, "a set operator", range)?;
        Ok(Stmt::Expr(set_op(sop, set, vec![rhs], Type::None)))
    }

    /// `a == b`, `a != b`, `a <= b`, `a < b`, `a >= b`, `a > b` of two sets: `None` when
    /// neither is a set.
    pub(super) fn set_compare(
        &mut self,
        fx: &mut FnCx,
        op: ast::CmpOp,
        lhs: Expr,
        rhs: Expr,
        range: TextRange,
    ) -> R<Option<Expr>> {
        if lhs.ty.set_item().is_none() && rhs.ty.set_item().is_none() {
            return Ok(None);
        }
        if lhs.ty.set_item().is_none() || rhs.ty.set_item().is_none() {
            // A set is never equal to anything else.
            return match op {
                ast::CmpOp::Eq => Ok(Some(const_expr(ConstValue::Bool(false)))),
                ast::CmpOp::NotEq => Ok(Some(const_expr(ConstValue::Bool(true)))),
                _ => Err(self.err(DiagKind::Type, range, format!("comparing {} with {}", lhs.ty, rhs.ty))),
            };
        }
        let (lhs, rhs) = self.set_pair(fx, lhs, rhs, "a set comparison", range)?;
        let not = |e: Expr| {
            Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(e),
                },
                Type::BOOL,
            )
        };
        let len_of = |e: &Expr| set_op(SetOp::Len, e.clone(), vec![], Type::I64);
        let e = match op {
            ast::CmpOp::Eq => set_op(SetOp::Eq, lhs, vec![rhs], Type::BOOL),
            ast::CmpOp::NotEq => not(set_op(SetOp::Eq, lhs, vec![rhs], Type::BOOL)),
            ast::CmpOp::LtE => set_op(SetOp::IsSubset, lhs, vec![rhs], Type::BOOL),
            ast::CmpOp::GtE => set_op(SetOp::IsSubset, rhs, vec![lhs], Type::BOOL),
            ast::CmpOp::Lt | ast::CmpOp::Gt => {
                let (small, big) = if op == ast::CmpOp::Lt { (lhs, rhs) } else { (rhs, lhs) };
                if !pure(&small) || !pure(&big) {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        "a proper-subset test of sets that are not variables (name them first)",
                    ));
                }
                let shorter = self.compare_scalars(CmpOp::Lt, len_of(&small), len_of(&big), range)?;
                Expr::new(
                    ExprKind::Logical {
                        and: true,
                        lhs: Box::new(shorter),
                        rhs: Box::new(set_op(SetOp::IsSubset, small, vec![big], Type::BOOL)),
                    },
                    Type::BOOL,
                )
            }
            _ => return Err(self.err(DiagKind::Type, range, "this comparison of sets")),
        };
        Ok(Some(e))
    }

    /// `s.method(...)` of a set.
    pub(super) fn set_method(&mut self, fx: &mut FnCx, set: Expr, name: &str, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        // s.update(iterable) of something not a set: CPython adds the items one by one.
        if name == "update" {
            if let [arg] = call.arguments.args.as_ref() {
                let other = self.expr(fx, arg)?;
                if other.ty.set_item().is_none() && call.arguments.keywords.is_empty() {
                    return self.set_update_items(fx, set, other, arg.range(), range);
                }
            }
        }
        let args = self.method_args(fx, call, "set", name)?;
        let arity = |this: &Self, n: usize| -> R<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(this.err(
                    DiagKind::Type,
                    range,
                    format!("set.{name}() takes {n} arguments, {} given", args.len()),
                ))
            }
        };
        let none = Type::None;
        match name {
            "add" | "discard" | "remove" => {
                arity(self, 1)?;
                let v = args.into_iter().next().expect("one");
                let v = self.first_class(v, range)?;
                if name == "add" {
                    let (set, item) = self.set_fit(fx, set, &v.ty, range)?;
                    return Ok(set_op(SetOp::Add, set, vec![v.cast(&item)], none));
                }
                self.known_set(&set, range)?;
                let item = set.ty.set_item().expect("a set").clone();
                if unify(&item, &v.ty).as_ref() != Some(&item) {
                    return Err(self.err(DiagKind::Type, range, format!("set.{name}({}) of a {}", v.ty, set.ty)));
                }
                let op = if name == "discard" {
                    SetOp::Discard
                } else {
                    SetOp::Remove
                };
                Ok(set_op(op, set, vec![v.cast(&item)], none))
            }
            "pop" => {
                arity(self, 0)?;
                self.known_set(&set, range)?;
                let item = set.ty.set_item().expect("a set").clone();
                Ok(set_op(SetOp::Pop, set, vec![], item))
            }
            "clear" => {
                arity(self, 0)?;
                Ok(set_op(SetOp::Clear, set, vec![], none))
            }
            "copy" => {
                arity(self, 0)?;
                self.known_set(&set, range)?;
                let ty = set.ty.clone();
                Ok(set_op(SetOp::Copy, set, vec![], ty))
            }
            "union" | "intersection" | "difference" | "symmetric_difference" => {
                arity(self, 1)?;
                let other = args.into_iter().next().expect("one");
                if name == "symmetric_difference" && other.ty.set_item().is_none() {
                    // CPython: a set of the iterable's items (added one by one), updated with
                    // this set's symmetric difference.
                    let t = self.items_as_set(fx, other, range)?;
                    let (t, set) = self.set_pair(fx, t, set, "set.symmetric_difference", range)?;
                    fx.pre.push(Stmt::Expr(set_op(SetOp::IXor, t.clone(), vec![set], none)));
                    return Ok(t);
                }
                if matches!(name, "intersection" | "difference") && other.ty.set_item().is_none() {
                    // CPython walks the iterable itself: its items go to the runtime as a list.
                    let items = self.items_list(&set, other, name, range)?;
                    let op = if name == "intersection" {
                        SetOp::AndItems
                    } else {
                        SetOp::SubItems
                    };
                    let ty = set.ty.clone();
                    return Ok(set_op(op, set, vec![items], ty));
                }
                if name == "union" && other.ty.set_item().is_none() {
                    // CPython: a copy, then the iterable's items added one by one.
                    self.known_set(&set, range)?;
                    let ty = set.ty.clone();
                    let (var, stmt) = self.hidden_var(fx, set_op(SetOp::Copy, set, vec![], ty), range)?;
                    fx.pre.push(stmt);
                    let copy = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
                    self.set_update_items(fx, copy, other, range, range)?;
                    return Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()));
                }
                let (set, other) = self.set_pair(fx, set, other, &format!("set.{name}"), range)?;
                let op = match name {
                    "union" => SetOp::Or,
                    "intersection" => SetOp::And,
                    "difference" => SetOp::Sub,
                    _ => SetOp::Xor,
                };
                let ty = set.ty.clone();
                Ok(set_op(op, set, vec![other], ty))
            }
            "update" | "intersection_update" | "difference_update" | "symmetric_difference_update" => {
                arity(self, 1)?;
                let mut other = args.into_iter().next().expect("one");
                if matches!(name, "intersection_update" | "difference_update") && other.ty.set_item().is_none() {
                    let items = self.items_list(&set, other, name, range)?;
                    let op = if name == "intersection_update" {
                        SetOp::IAndItems
                    } else {
                        SetOp::ISubItems
                    };
                    return Ok(set_op(op, set, vec![items], none));
                }
                if name == "symmetric_difference_update" && other.ty.set_item().is_none() {
                    // CPython: a set of the iterable's items (added one by one), then walked.
                    other = self.items_as_set(fx, other, range)?;
                }
                let (set, other) = self.set_pair(fx, set, other, &format!("set.{name}"), range)?;
                let op = match name {
                    "update" => SetOp::Update,
                    "intersection_update" => SetOp::IAnd,
                    "difference_update" => SetOp::ISub,
                    _ => SetOp::IXor,
                };
                Ok(set_op(op, set, vec![other], none))
            }
            "issubset" | "issuperset" | "isdisjoint" => {
                arity(self, 1)?;
                let mut other = args.into_iter().next().expect("one");
                if other.ty.set_item().is_none() {
                    // A truth value, whatever the order: the iterable's items as a set.
                    other = self.items_as_set(fx, other, range)?;
                }
                let (set, other) = self.set_pair(fx, set, other, &format!("set.{name}"), range)?;
                Ok(match name {
                    "issubset" => set_op(SetOp::IsSubset, set, vec![other], Type::BOOL),
                    "issuperset" => set_op(SetOp::IsSubset, other, vec![set], Type::BOOL),
                    _ => set_op(SetOp::IsDisjoint, set, vec![other], Type::BOOL),
                })
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("the set method '{other}'"))),
        }
    }

    /// The items of a list, 1-D array or tuple as a list of the set's item type, for the
    /// runtime to walk as CPython walks the iterable.
    fn items_list(&mut self, set: &Expr, other: Expr, name: &str, range: TextRange) -> R<Expr> {
        self.known_set(set, range)?;
        let item = set.ty.set_item().expect("a set").clone();
        let list = match &other.ty {
            Type::List(_) => other,
            Type::Array(_) | Type::Tuple(_) => {
                self.check_listable(&other, &format!("set.{name}"), range)?;
                self.library_call("__kc_list_of", vec![other], range)?
            }
            t => return Err(self.err(DiagKind::Unsupported, range, format!("set.{name}({t})"))),
        };
        if list.ty.list_item() != Some(&item) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "set.{name}() of a {} with a {} (make it a set of one item type first: set(...))",
                    set.ty, list.ty
                ),
            ));
        }
        Ok(list)
    }

    /// A new set variable holding the items of a list, array, tuple or dict, added in order
    /// (CPython's `set(x)`).
    fn items_as_set(&mut self, fx: &mut FnCx, other: Expr, range: TextRange) -> R<Expr> {
        let (var, stmt) = self.hidden_var(fx, empty_set(), range)?;
        fx.pre.push(stmt);
        let set = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
        self.set_update_items(fx, set, other, range, range)?;
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }

    /// `s.update(x)` of a list, array, tuple or dict: each item added in order.
    fn set_update_items(
        &mut self,
        fx: &mut FnCx,
        set: Expr,
        other: Expr,
        arg_range: TextRange,
        range: TextRange,
    ) -> R<Expr> {
        if !matches!(
            other.ty,
            Type::List(_) | Type::Array(_) | Type::Tuple(_) | Type::Dict(..)
        ) {
            return Err(self.err(DiagKind::Unsupported, range, format!("set.update({})", other.ty)));
        }
        let ExprKind::Var(svar) = set.kind else {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                "set.update(iterable) of a set that is not a variable (name it first)",
            ));
        };
        let (ovar, stmt) = self.hidden_var(fx, other, arg_range)?;
        fx.pre.push(stmt);
        let item = format!("$setitem{}", fx.hidden);
        fx.hidden += 1;
        let generators = vec![ast::Comprehension {
            range,
            node_index: Default::default(),
            target: name_expr(&item, ast::ExprContext::Store, range),
            iter: name_expr(&fx.vars[ovar].name.clone(), ast::ExprContext::Load, range),
            ifs: Vec::new(),
            is_async: false,
        }];
        let elt = name_expr(&item, ast::ExprContext::Load, range);
        let saved = fx.aliases.clone();
        let saved_locals = fx.locals.clone();
        let mut stmts = Vec::new();
        let built = self.comprehension_loops(fx, &generators, Made::SetItem(&elt), svar, &mut stmts);
        fx.aliases = saved;
        fx.locals = saved_locals;
        built?;
        fx.pre.extend(stmts);
        Ok(none_expr())
    }
}

/// Whether CPython's compiler folds `e` to a constant (numbers, signs, arithmetic on
/// constants, tuples of constants): a set literal of three or more of them is built from a
/// frozenset constant.
fn folded_constant(e: &PyExpr) -> bool {
    match e {
        PyExpr::NumberLiteral(_) | PyExpr::BooleanLiteral(_) => true,
        PyExpr::UnaryOp(u) => folded_constant(&u.operand),
        PyExpr::BinOp(b) => folded_constant(&b.left) && folded_constant(&b.right),
        PyExpr::Tuple(t) => t.elts.iter().all(folded_constant),
        _ => false,
    }
}

fn name_expr(id: &str, ctx: ast::ExprContext, range: TextRange) -> PyExpr {
    PyExpr::Name(ast::ExprName {
        node_index: Default::default(),
        range,
        id: id.into(),
        ctx,
    })
}
