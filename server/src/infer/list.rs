//! Lists (Numba's reflected lists, made and used inside kernels) of numbers, tuples of numbers,
//! arrays, and lists of these: literals, comprehensions,
//! `append`/`pop`/`insert`/`extend`/`clear`, `len`, indexing, iteration, `np.array(list)`,
//! and `sum`/`min`/`max`/`in` over sequences from the kernel-language library. An empty
//! literal's item type comes from the first `append` to the variable holding it.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn list_literal(&mut self, fx: &mut FnCx, l: &ast::ExprList) -> R<Expr> {
        let mut items = Vec::new();
        for e in &l.elts {
            if matches!(e, PyExpr::Starred(_)) {
                return Err(self.err(DiagKind::Unsupported, e.range(), "*unpacking inside a list"));
            }
            let v = self.expr(fx, e)?;
            items.push(self.first_class(v, e.range())?);
        }
        let ranges: Vec<TextRange> = items.iter().map(|e| e_range(l, &items, e)).collect();
        self.list_of(items, &ranges)
    }

    /// A new list of typed items (`ranges`: where each was written, for errors).
    pub(super) fn list_of(&self, items: Vec<Expr>, ranges: &[TextRange]) -> R<Expr> {
        let mut item = Type::None;
        for (e, range) in items.iter().zip(ranges) {
            item = self.list_item_type(&item, &e.ty, *range)?;
        }
        let items = items
            .into_iter()
            .zip(ranges)
            .map(|(e, range)| self.as_item(e, &item, *range))
            .collect::<R<Vec<_>>>()?;
        Ok(Expr::new(ExprKind::ListNew(items), Type::List(Box::new(item))))
    }

    /// The item type of a list holding `current` items (none yet: `Type::None`) and `new` ones.
    fn list_item_type(&self, current: &Type, new: &Type, range: TextRange) -> R<Type> {
        let ok = list_item_ok;
        if !ok(new) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("lists of {new} (kcache's lists hold numbers, tuples of numbers, arrays and lists of these)"),
            ));
        }
        if *current == Type::None {
            return Ok(new.clone());
        }
        unify(current, new)
            .filter(ok)
            .ok_or_else(|| self.err(DiagKind::Type, range, format!("a list of {current} cannot hold {new}")))
    }

    /// `[elt for target in iter if cond ...]`: the list is built by statements that run before
    /// the statement using it.
    pub(super) fn list_comprehension(&mut self, fx: &mut FnCx, c: &ast::ExprListComp) -> R<Expr> {
        let empty = Expr::new(ExprKind::ListNew(Vec::new()), Type::List(Box::new(Type::None)));
        let (var, init) = self.hidden_var(fx, empty, c.range)?;
        let saved = fx.aliases.clone();
        // A comprehension's variables are locals in its own scope only (Python 3).
        let saved_locals = fx.locals.clone();
        let mut stmts = vec![init];
        let built = self.comprehension_loops(fx, &c.generators, Made::Item(&c.elt), var, &mut stmts);
        fx.aliases = saved;
        fx.locals = saved_locals;
        built?;
        fx.pre.extend(stmts);
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }

    /// The loops of a comprehension building the list or dict in `var`.
    pub(super) fn comprehension_loops(
        &mut self,
        fx: &mut FnCx,
        generators: &[ast::Comprehension],
        elt: Made,
        var: VarId,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let Some((g, rest)) = generators.split_first() else {
            // What the item hoists (an inner comprehension's loop) runs each time round, in
            // the body, not once before the outer loop.
            let hoisted = fx.pre.len();
            match elt {
                Made::Item(elt) => {
                    let v = self.expr(fx, elt)?;
                    let v = self.first_class(v, elt.range())?;
                    let append = self.append_to(fx, var, v, elt.range())?;
                    out.extend(fx.pre.drain(hoisted..));
                    out.push(append);
                }
                Made::SetItem(elt) => {
                    let v = self.expr(fx, elt)?;
                    let v = self.first_class(v, elt.range())?;
                    out.push(self.set_add_to(fx, var, v, elt.range())?);
                }
                Made::Entry(key, value) => {
                    let k = self.expr(fx, key)?;
                    let v = self.expr(fx, value)?;
                    let dict = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
                    let store = self.dict_store(fx, dict, k, v, key.range())?;
                    out.extend(fx.pre.drain(hoisted..));
                    out.push(store);
                }
            }
            return Ok(());
        };
        if g.is_async {
            return Err(self.err(DiagKind::Unsupported, g.range, "async comprehensions"));
        }
        let mut names = Vec::new();
        super::flow::target_names(&g.target, &mut names);
        let aliases: Vec<(String, String)> = names
            .into_iter()
            .map(|n| {
                let alias = format!("{n}$comp{var}");
                (n, alias)
            })
            .collect();
        self.sequence_loop(fx, &g.target, &g.iter, &aliases, out, &mut |this, fx| {
            let mut inner = Vec::new();
            this.comprehension_loops(fx, rest, elt, var, &mut inner)?;
            for cond in g.ifs.iter().rev() {
                let hoisted = fx.pre.len();
                let cond = this.condition(fx, cond)?;
                let mut guarded: Vec<Stmt> = fx.pre.drain(hoisted..).collect();
                guarded.push(Stmt::If {
                    cond,
                    then: inner,
                    orelse: Vec::new(),
                });
                inner = guarded;
            }
            Ok(inner)
        })
    }

    /// `var.append(v)` for a list variable: the variable's item type grows to hold `v` (the
    /// next inference pass types every use with it).
    fn append_to(&mut self, fx: &mut FnCx, var: VarId, v: Expr, range: TextRange) -> R<Stmt> {
        let current = fx.vars[var].ty.list_item().expect("a list variable").clone();
        let item = self.list_item_type(&current, &v.ty, range)?;
        // A parameter's list belongs to the caller, which made it with its item type: widening
        // it here would have the caller read the items with the old type.
        if current != Type::None && item != current && fx.params.contains(&var) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "a list of {current} cannot hold {} (a list's item type is fixed when it is made, as in Numba: make it a list of {item} from the start)",
                    v.ty
                ),
            ));
        }
        if item != current {
            fx.vars[var].ty = Type::List(Box::new(item.clone()));
            fx.changed = true;
        }
        let list = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
        Ok(Stmt::Expr(list_op(
            ListOp::Append,
            list,
            vec![self.as_item(v, &item, range)?],
            Type::None,
        )))
    }

    /// `v` converted to a list's item type. A list item that is itself a list (not a new
    /// literal, which is made with the item type) must already have that type: converting it
    /// would have its items read with another type, or written past its buffer when its own
    /// item type was still undecided.
    fn as_item(&self, v: Expr, item: &Type, range: TextRange) -> R<Expr> {
        fn same_storage(a: &Type, b: &Type) -> bool {
            match (a, b) {
                (Type::Array(x), Type::Array(y)) => x.dtype == y.dtype && x.ndim == y.ndim,
                // An empty list whose item type nothing decided has no items buffer yet (see
                // `lower::list::list_new`): its first append makes one for the item type.
                (Type::List(x), Type::List(y)) => **x == Type::None || same_storage(x, y),
                (a, b) => a == b,
            }
        }
        if v.ty.list_item().is_some() && !matches!(v.kind, ExprKind::ListNew(_)) && !same_storage(&v.ty, item) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "a {} cannot be stored into a list of {item} (a list's item type is fixed when it is made, as in Numba: make it a {item} from the start)",
                    v.ty
                ),
            ));
        }
        Ok(v.cast(item))
    }

    /// `l.method(...)` of a list.
    pub(super) fn list_method(
        &mut self,
        fx: &mut FnCx,
        receiver: &PyExpr,
        list: Expr,
        name: &str,
        call: &ast::ExprCall,
    ) -> R<Expr> {
        let range = call.range();
        if name == "sort" {
            let (reverse, key) = self.sort_options(fx, call, "list.sort")?;
            if !call.arguments.args.is_empty() {
                return Err(self.err(DiagKind::Type, range, "list.sort() takes no positional arguments"));
            }
            self.known_item(list.ty.list_item().expect("a list"), range)?;
            if let Some(key) = key {
                let (list, keys) = self.sort_keys(fx, list, key, range)?;
                return self.library_call("__kc_list_sort_by", vec![list, keys, reverse], range);
            }
            return self.library_call("__kc_list_sort", vec![list, reverse], range);
        }
        let mut args = if name == "extend" && call.arguments.args.len() == 1 && call.arguments.keywords.is_empty() {
            // Python extends with any iterable (a range, an array, a tuple, the list itself):
            // as with list(x), which also copies first, so `l.extend(l)` doubles l once.
            vec![self.list_call(fx, call)?]
        } else {
            self.method_args(fx, call, "list", name)?
        };
        let arity = |n: usize| -> R<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("list.{name}() takes {n} arguments, {} given", args.len()),
                ))
            }
        };
        let var = match receiver {
            PyExpr::Name(_) => match list.kind {
                ExprKind::Var(v) => Some(v),
                _ => None,
            },
            _ => None,
        };
        let item = list.ty.list_item().expect("a list").clone();
        let int = |this: &Self, e: Expr| -> R<Expr> {
            if e.ty.scalar().is_some_and(|s| !s.is_float()) {
                Ok(e.cast(&Type::I64))
            } else {
                Err(this.err(
                    DiagKind::Type,
                    range,
                    format!("list indices must be integers, not {}", e.ty),
                ))
            }
        };
        match name {
            "append" => {
                arity(1)?;
                let v = args.remove(0);
                match var {
                    Some(var) => {
                        let Stmt::Expr(e) = self.append_to(fx, var, v, range)? else {
                            unreachable!()
                        };
                        Ok(e)
                    }
                    None => {
                        self.known_item(&item, range)?;
                        // Only a variable's list takes a wider item type (the next pass types
                        // the variable with it); this list is already made.
                        let merged = self.list_item_type(&item, &v.ty, range)?;
                        if merged != item {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!(
                                    "a list of {item} cannot hold {} (make it a list of {merged} from the start)",
                                    v.ty
                                ),
                            ));
                        }
                        let v = self.as_item(v, &item, range)?;
                        Ok(list_op(ListOp::Append, list, vec![v], Type::None))
                    }
                }
            }
            "pop" => {
                if args.len() > 1 {
                    arity(1)?;
                }
                self.known_item(&item, range)?;
                let index = match args.pop() {
                    Some(i) => int(self, i)?,
                    None => const_expr(ConstValue::Int(-1)),
                };
                Ok(list_op(ListOp::Pop, list, vec![index], item))
            }
            "insert" => {
                arity(2)?;
                let v = args.pop().expect("two");
                let index = int(self, args.pop().expect("two"))?;
                if let Some(var) = var {
                    let merged = self.list_item_type(&item, &v.ty, range)?;
                    if merged != item {
                        fx.vars[var].ty = Type::List(Box::new(merged));
                        fx.changed = true;
                    }
                }
                self.known_item(&item, range)?;
                let v = self.as_item(v, &item, range)?;
                Ok(list_op(ListOp::Insert, list, vec![index, v], Type::None))
            }
            "extend" => {
                arity(1)?;
                let other = args.remove(0);
                let Some(other_item) = other.ty.list_item().cloned() else {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!("list.extend with {} (another list)", other.ty),
                    ));
                };
                let mut item = item;
                if let Some(var) = var {
                    if item == Type::None && other_item != Type::None {
                        fx.vars[var].ty = other.ty.clone();
                        fx.changed = true;
                        item = other_item.clone();
                    }
                }
                if other_item != item && other_item != Type::None {
                    self.known_item(&item, range)?;
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!("cannot extend a list of {item} with a list of {other_item}"),
                    ));
                }
                Ok(list_op(ListOp::Extend, list, vec![other], Type::None))
            }
            "clear" => {
                arity(0)?;
                Ok(list_op(ListOp::Clear, list, vec![], Type::None))
            }
            "copy" | "reverse" => {
                arity(0)?;
                self.known_item(&item, range)?;
                let f = if name == "copy" {
                    "__kc_list_copy"
                } else {
                    "__kc_list_reverse"
                };
                self.library_call(f, vec![list], range)
            }
            "index" | "count" | "remove" => {
                arity(1)?;
                self.known_item(&item, range)?;
                let f = match name {
                    "index" => "__kc_list_index",
                    "count" => "__kc_list_count",
                    _ => "__kc_list_remove",
                };
                args.insert(0, list);
                self.library_call(f, args, range)
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("the list method '{other}'"))),
        }
    }

    /// `reverse=` (False when not given) and `key=` of `list.sort` and `sorted`.
    pub(super) fn sort_options<'c>(
        &mut self,
        fx: &mut FnCx,
        call: &'c ast::ExprCall,
        shown: &str,
    ) -> R<(Expr, Option<&'c PyExpr>)> {
        let mut reverse = const_expr(ConstValue::Bool(false));
        let mut key = None;
        for kw in call.arguments.keywords.iter() {
            match kw.arg.as_ref().map(|a| a.id.as_str()) {
                Some("reverse") => {
                    let v = self.expr(fx, &kw.value)?;
                    reverse = self.truthy(v, kw.value.range())?;
                }
                Some("key") if !matches!(kw.value, PyExpr::NoneLiteral(_)) => key = Some(&kw.value),
                Some("key") => {}
                Some(other) => {
                    return Err(self.err(
                        DiagKind::Type,
                        kw.range(),
                        format!("{shown}() got an unexpected keyword argument '{other}'"),
                    ))
                }
                None => return Err(self.err(DiagKind::Unsupported, kw.range(), format!("**kwargs to {shown}()"))),
            }
        }
        Ok((reverse, key))
    }

    /// The sort keys of `seq`'s items, `[key(x) for x in seq]`, as a list; `seq` is evaluated
    /// once, into the variable returned with the keys. `key` is a lambda of one parameter (its
    /// body becomes the comprehension's item) or the name of a function.
    pub(super) fn sort_keys(&mut self, fx: &mut FnCx, seq: Expr, key: &PyExpr, range: TextRange) -> R<(Expr, Expr)> {
        let (var, stmt) = self.hidden_var(fx, seq, range)?;
        fx.pre.push(stmt);
        let seq_name = fx.vars[var].name.clone();
        let name = |id: &str, ctx| {
            PyExpr::Name(ast::ExprName {
                node_index: Default::default(),
                range,
                id: id.into(),
                ctx,
            })
        };
        let (param, item) = match key {
            PyExpr::Lambda(lambda) => {
                let params = lambda.parameters.as_deref();
                let one = params.filter(|p| {
                    p.posonlyargs.is_empty()
                        && p.args.len() == 1
                        && p.args[0].default.is_none()
                        && p.vararg.is_none()
                        && p.kwonlyargs.is_empty()
                        && p.kwarg.is_none()
                });
                let Some(p) = one else {
                    return Err(self.err(
                        DiagKind::Type,
                        key.range(),
                        "a sort key takes one argument: key=lambda item: ...",
                    ));
                };
                (p.args[0].parameter.name.id.to_string(), (*lambda.body).clone())
            }
            PyExpr::Name(_) => {
                let param = format!("$key{}", fx.hidden);
                let call = PyExpr::Call(ast::ExprCall {
                    node_index: Default::default(),
                    range_start: range.start(),
                    func: Box::new(key.clone()),
                    arguments: ast::Arguments {
                        range,
                        node_index: Default::default(),
                        args: Box::new([name(&param, ast::ExprContext::Load)]),
                        keywords: Default::default(),
                    },
                });
                (param, call)
            }
            other => {
                return Err(self.err(
                    DiagKind::Unsupported,
                    other.range(),
                    "this sort key (give a lambda or the name of a function)",
                ))
            }
        };
        let keys = ast::ExprListComp {
            node_index: Default::default(),
            range,
            elt: Box::new(item),
            generators: vec![ast::Comprehension {
                range,
                node_index: Default::default(),
                target: name(&param, ast::ExprContext::Store),
                iter: name(&seq_name, ast::ExprContext::Load),
                ifs: Vec::new(),
                is_async: false,
            }],
        };
        let keys = self.list_comprehension(fx, &keys)?;
        self.known_item(keys.ty.list_item().expect("a list"), range)?;
        Ok((Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()), keys))
    }

    /// `sorted(iterable, reverse=...)`: a new sorted list of a list's, a 1-D array's or a
    /// homogeneous tuple's items.
    pub(super) fn sorted_call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        let (reverse, key) = self.sort_options(fx, call, "sorted")?;
        let [arg] = call.arguments.args.as_ref() else {
            return Err(self.err(DiagKind::Type, range, "sorted() takes exactly one positional argument"));
        };
        let v = self.expr(fx, arg)?;
        let mut seq = self.first_class(v, arg.range())?;
        if seq.ty.set_item().is_some() {
            // The items in iteration order (the sort is stable, so ties keep it).
            seq = self.set_items(seq, range)?;
        }
        self.check_listable(&seq, "sorted", range)?;
        if let Some(key) = key {
            let (seq, keys) = self.sort_keys(fx, seq, key, range)?;
            return self.library_call("__kc_sorted_by", vec![seq, keys, reverse], range);
        }
        self.library_call("__kc_sorted", vec![seq, reverse], range)
    }

    /// Whether `seq` can be turned into a list: a list, a 1-D array, a tuple of one type.
    pub(super) fn check_listable(&self, seq: &Expr, shown: &str, range: TextRange) -> R<()> {
        let ok = match &seq.ty {
            Type::List(item) => {
                self.known_item(item, range)?;
                true
            }
            Type::Array(at) => at.ndim == 1,
            Type::Tuple(items) => items.first().is_some_and(|t| items.iter().all(|x| x == t)),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.err(DiagKind::Unsupported, range, format!("{shown}() of {}", seq.ty)))
        }
    }

    /// `list + list`, `list * n`, `n * list`: new lists, as Python makes them.
    pub(super) fn list_binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr, range: TextRange) -> R<Option<Expr>> {
        let int = |e: &Expr| e.ty.scalar().is_some_and(|s| s.is_int() || s == Scalar::Bool);
        let (f, args) = match (op, lhs.ty.list_item(), rhs.ty.list_item()) {
            (BinOp::Add, Some(a), Some(b)) => {
                self.known_item(a, range)?;
                if a == b || *b == Type::None {
                    ("__kc_list_concat", vec![lhs.clone(), rhs.clone()])
                } else {
                    // Numbers of two types: a list of the common type, each item converted.
                    let common = unify(a, b).filter(|t| t.scalar().is_some()).ok_or_else(|| {
                        self.err(
                            DiagKind::Type,
                            range,
                            format!("cannot concatenate a list of {a} and a list of {b}"),
                        )
                    })?;
                    let one = const_expr(ConstValue::Int(1)).cast(&common);
                    ("__kc_list_concat_as", vec![lhs.clone(), rhs.clone(), one])
                }
            }
            (BinOp::Mul, Some(a), None) if int(rhs) => {
                self.known_item(a, range)?;
                ("__kc_list_repeat", vec![lhs.clone(), rhs.clone().cast(&Type::I64)])
            }
            (BinOp::Mul, None, Some(b)) if int(lhs) => {
                self.known_item(b, range)?;
                ("__kc_list_repeat", vec![rhs.clone(), lhs.clone().cast(&Type::I64)])
            }
            _ => return Ok(None),
        };
        self.library_call(f, args, range).map(Some)
    }

    /// The positional arguments of a method call of a list or dict (`kind`), typed; keyword
    /// arguments are refused.
    pub(super) fn method_args(&mut self, fx: &mut FnCx, call: &ast::ExprCall, kind: &str, name: &str) -> R<Vec<Expr>> {
        if !call.arguments.keywords.is_empty() {
            return Err(self.err(
                DiagKind::Unsupported,
                call.arguments.range,
                format!("keyword arguments to {kind}.{name}"),
            ));
        }
        let mut args = Vec::new();
        for a in call.arguments.args.iter() {
            let v = self.expr(fx, a)?;
            args.push(self.first_class(v, a.range())?);
        }
        Ok(args)
    }

    /// A list whose item type nothing has decided yet cannot be read.
    pub(super) fn known_item(&self, item: &Type, range: TextRange) -> R<()> {
        if *item == Type::None {
            return Err(self.err(
                DiagKind::Type,
                range,
                "the items' type of this empty list is unknown (append to it first, or start it with an item)",
            ));
        }
        Ok(())
    }

    /// `l[i]` of a list.
    pub(super) fn list_get(&mut self, fx: &mut FnCx, list: Expr, sub: &ast::ExprSubscript) -> R<Expr> {
        if let PyExpr::Slice(sl) = &*sub.slice {
            let item = list.ty.list_item().expect("a list").clone();
            self.known_item(&item, sub.range)?;
            let mut args = vec![list];
            for part in [&sl.lower, &sl.upper, &sl.step] {
                args.push(match part.as_deref() {
                    None | Some(PyExpr::NoneLiteral(_)) => crate::infer::expr::none_expr(),
                    Some(x) => self.int_arg(fx, x)?,
                });
            }
            return self.library_call("__kc_list_slice", args, sub.range);
        }
        let item = list.ty.list_item().expect("a list").clone();
        self.known_item(&item, sub.range)?;
        let index = self.list_index(fx, sub)?;
        Ok(list_op(ListOp::Get, list, vec![index], item))
    }

    /// The index of `l[i]`: an integer, as int64.
    fn list_index(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<Expr> {
        let index = self.expr(fx, &sub.slice)?;
        if index.ty.scalar().is_none_or(|s| s.is_float()) {
            return Err(self.err(
                DiagKind::Type,
                sub.slice.range(),
                format!("list indices must be integers, not {}", index.ty),
            ));
        }
        Ok(index.cast(&Type::I64))
    }

    /// `l[i] = v` of a list; `None` when `sub` is not a list's subscript.
    pub(super) fn list_set(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript, v: &Expr) -> R<Option<Stmt>> {
        let list = self.expr(fx, &sub.value)?;
        let Some(item) = list.ty.list_item().cloned() else {
            return Ok(None);
        };
        if matches!(&*sub.slice, PyExpr::Slice(_)) {
            return Err(self.err(DiagKind::Unsupported, sub.slice.range(), "slice assignment to lists"));
        }
        self.known_item(&item, sub.range)?;
        let merged = self.list_item_type(&item, &v.ty, sub.range)?;
        if merged != item {
            return Err(self.err(
                DiagKind::Type,
                sub.range,
                format!("a list of {item} cannot hold {}", v.ty),
            ));
        }
        let index = self.list_index(fx, sub)?;
        Ok(Some(Stmt::Expr(list_op(
            ListOp::Set,
            list,
            vec![index, self.as_item(v.clone(), &item, sub.range)?],
            Type::None,
        ))))
    }

    /// `np.array(l)` / `np.asarray(l)` of a list: a new 1-D array (of `dtype`, or the items').
    pub(super) fn list_to_array(&mut self, list: Expr, dtype: Option<Scalar>, range: TextRange) -> R<Expr> {
        let item = list.ty.list_item().expect("a list").clone();
        self.known_item(&item, range)?;
        // Rows (lists of numbers or 1-D arrays): a 2-D array, ValueError for ragged rows (as
        // NumPy 2 raises).
        let row_dtype = match &item {
            Type::Array(at) if at.ndim == 1 => Some(at.dtype),
            Type::List(inner) => inner.scalar(),
            _ => None,
        };
        if let Some(s) = row_dtype {
            let one = const_expr(ConstValue::Int(1)).cast(&Type::Scalar(dtype.unwrap_or(s)));
            return self.library_call("__kc_np_array_of_rows", vec![list, one], range);
        }
        if item.array().is_some() || item.list_item().is_some() {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "np.array of a list of {item} (kcache makes arrays of lists of numbers, of rows and of 1-D arrays)"
                ),
            ));
        }
        let Some(s) = item.scalar() else {
            return Err(self.err(DiagKind::Unsupported, range, "np.array of a list of tuples"));
        };
        let ty = Type::Array(crate::types::ArrayType {
            dtype: dtype.unwrap_or(s),
            ndim: 1,
            layout: crate::types::Layout::C,
        });
        Ok(list_op(ListOp::ToArray, list, vec![], ty))
    }
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// `x in container`: a list, a tuple, or an array (NumPy's `(a == x).any()`).
    pub(super) fn membership(&mut self, x: Expr, container: Expr, range: TextRange) -> R<Expr> {
        if !x.ty.is_numeric() {
            return Err(self.err(DiagKind::Unsupported, range, format!("'in' with {} on the left", x.ty)));
        }
        match &container.ty {
            Type::List(_) => self.library_call("__kc_contains", vec![container, x], range),
            Type::Array(_) => {
                let eq = self.array_compare(CmpOp::Eq, container, x);
                Ok(Expr::new(
                    ExprKind::Reduce {
                        op: ReduceOp::Any,
                        array: Box::new(eq),
                        axis: None,
                    },
                    Type::BOOL,
                ))
            }
            Type::Tuple(_) | Type::IntTuple(_) => {
                let t = self.first_class(container, range)?;
                if !pure(&t) || !pure(&x) {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        "'in' on a tuple a call returns (assign it to a variable first)",
                    ));
                }
                let mut any = const_expr(ConstValue::Bool(false));
                for item in self.tuple_items(t) {
                    if !item.ty.is_numeric() {
                        continue;
                    }
                    let eq = self.compare_scalars(CmpOp::Eq, item, x.clone(), range)?;
                    any = Expr::new(
                        ExprKind::Logical {
                            and: false,
                            lhs: Box::new(any),
                            rhs: Box::new(eq),
                        },
                        Type::BOOL,
                    );
                }
                Ok(any)
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("'in' on {other}"))),
        }
    }

    /// `sum`, `min` and `max` of one iterable (a list, a 1-D array, a tuple of one type).
    pub(super) fn sequence_builtin(&mut self, name: &str, seq: Expr, range: TextRange) -> R<Expr> {
        let iterable = match &seq.ty {
            Type::List(item) => **item != Type::None,
            Type::Array(at) => at.ndim == 1,
            Type::Tuple(items) => items
                .first()
                .is_some_and(|t| t.is_numeric() && items.iter().all(|x| x == t)),
            _ => false,
        };
        if !iterable {
            return Err(self.err(DiagKind::Unsupported, range, format!("{name}() of {}", seq.ty)));
        }
        let f = match name {
            "sum" => "__kc_sum",
            "min" => "__kc_min_seq",
            _ => "__kc_max_seq",
        };
        self.library_call(f, vec![seq], range)
    }
}

/// What a comprehension makes each time round: a list's item, or a dict's key and value.
#[derive(Clone, Copy)]
pub(super) enum Made<'a> {
    Item(&'a PyExpr),
    Entry(&'a PyExpr, &'a PyExpr),
    /// A set comprehension's item.
    SetItem(&'a PyExpr),
}

/// What a list can hold: numbers, tuples of numbers, arrays and lists of these (an array or a
/// list item is one reference the list owns).
pub(crate) fn list_item_ok(t: &Type) -> bool {
    match t {
        Type::Array(_) => true,
        Type::List(item) => **item == Type::None || list_item_ok(item),
        t => t.is_numeric() || t.tuple().is_some_and(|items| items.iter().all(Type::is_numeric)),
    }
}

pub(super) fn list_op(op: ListOp, list: Expr, args: Vec<Expr>, ty: Type) -> Expr {
    Expr::new(
        ExprKind::List {
            op,
            list: Box::new(list),
            args,
        },
        ty,
    )
}

fn e_range(l: &ast::ExprList, items: &[Expr], e: &Expr) -> TextRange {
    let k = items.iter().position(|x| std::ptr::eq(x, e)).unwrap_or(0);
    l.elts.get(k).map(|x| x.range()).unwrap_or(l.range)
}
