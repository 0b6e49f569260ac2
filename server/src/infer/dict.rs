//! Dicts made inside kernels (Numba's typed dicts): `{}`/`dict()` whose key and value types the
//! stores decide, literals and comprehensions, `numba.typed.Dict.empty(key_type, value_type)`,
//! indexing, `in`, `len`, `del`, the methods, iteration in insertion order; also
//! `numba.typed.List()`, `List.empty_list(t)` and `list(x)`, which make kcache's lists.
//!
//! A dict variable's types grow the way a list's item type does (Python semantics, CPython the
//! oracle): an int-valued dict given a float value becomes float-valued on the next inference
//! pass. Keys are numbers (not complex) and tuples of them; values numbers, tuples of numbers,
//! lists and arrays (whose reference the dict owns).

use super::list::Made;
use super::*;

pub(super) fn dict_op(op: DictOp, dict: Expr, args: Vec<Expr>, ty: Type) -> Expr {
    Expr::new(
        ExprKind::Dict {
            op,
            dict: Box::new(dict),
            args,
        },
        ty,
    )
}

fn empty_dict(key: Type, value: Type) -> Expr {
    Expr::new(
        ExprKind::DictNew(Vec::new()),
        Type::Dict(Box::new(key), Box::new(value)),
    )
}

fn key_ok(t: &Type) -> bool {
    let scalar = |t: &Type| t.scalar().is_some_and(|s| !s.is_complex());
    scalar(t)
        || t.tuple()
            .is_some_and(|items| !items.is_empty() && items.iter().all(scalar))
}

fn value_ok(t: &Type) -> bool {
    let plain = |t: &Type| t.is_numeric() || t.tuple().is_some_and(|items| items.iter().all(Type::is_numeric));
    // A list (its item type maybe still unknown), an array or a dict: one reference the dict
    // owns.
    let reference = match t {
        Type::List(item) => **item == Type::None || plain(item),
        Type::Array(_) => true,
        Type::Dict(k, v) => (**k == Type::None && **v == Type::None) || (key_ok(k) && value_ok(v)),
        _ => false,
    };
    plain(t) || reference
}

/// Values holding a reference can be stored, read, popped and deleted; these would copy them
/// without it.
fn refuse_with_references(v: &Type, what: &str) -> Option<String> {
    v.holds_arrays().then(|| {
        format!("{what} on a dict of {v} (kcache's dicts of lists and arrays are read with d[k], `in` and d.keys())")
    })
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// The type a dict's keys (`key`) or values must have to hold what it holds (`current`,
    /// none yet: `Type::None`) and `new`.
    fn dict_slot_type(&self, key: bool, current: &Type, new: &Type, range: TextRange) -> R<Type> {
        let (ok, what) = if key {
            (key_ok as fn(&Type) -> bool, "keys")
        } else {
            (value_ok as fn(&Type) -> bool, "values")
        };
        if !ok(new) {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!(
                    "dict {what} of type {new} (kcache's dict {what} are {})",
                    if key {
                        "integers, floats, bools and tuples of them"
                    } else {
                        "numbers, tuples of numbers, lists and arrays"
                    }
                ),
            ));
        }
        if *current == Type::None {
            return Ok(new.clone());
        }
        unify(current, new).filter(ok).ok_or_else(|| {
            self.err(
                DiagKind::Type,
                range,
                format!("a dict whose {what} are {current} cannot hold {new}"),
            )
        })
    }

    /// `dict` made able to take `key` and `value` (either may be absent): a dict variable's
    /// types grow (the next pass retypes every use); another dict must already fit.
    fn dict_fit(
        &mut self,
        fx: &mut FnCx,
        dict: Expr,
        key: Option<&Type>,
        value: Option<&Type>,
        range: TextRange,
    ) -> R<(Expr, Type, Type)> {
        let (k, v) = dict.ty.dict_types().expect("a dict");
        let (k, v) = (k.clone(), v.clone());
        let nk = match key {
            Some(t) => self.dict_slot_type(true, &k, t, range)?,
            None => k.clone(),
        };
        let nv = match value {
            Some(t) => self.dict_slot_type(false, &v, t, range)?,
            None => v.clone(),
        };
        if nk == k && nv == v {
            return Ok((dict, k, v));
        }
        let ty = Type::Dict(Box::new(nk.clone()), Box::new(nv.clone()));
        match dict.kind {
            ExprKind::Var(var) if !fx.params.contains(&var) => {
                fx.vars[var].ty = ty.clone();
                fx.changed = true;
                Ok((Expr::new(ExprKind::Var(var), ty), nk, nv))
            }
            _ => Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "{} cannot hold {} (a dict's types are fixed when it is made, as in Numba: make it a {ty} from the start)",
                    dict.ty,
                    [key, value].iter().flatten().map(|t| t.to_string()).collect::<Vec<_>>().join(" and ")
                ),
            )),
        }
    }

    fn known_dict(&self, dict: &Expr, range: TextRange) -> R<()> {
        let (k, v) = dict.ty.dict_types().expect("a dict");
        if *k == Type::None || *v == Type::None {
            return Err(self.err(
                DiagKind::Type,
                range,
                "the key and value types of this empty dict are unknown (store an item first, or make it with numba.typed.Dict.empty(key_type, value_type))",
            ));
        }
        Ok(())
    }

    /// `{k: v, ...}`.
    pub(super) fn dict_literal(&mut self, fx: &mut FnCx, d: &ast::ExprDict) -> R<Expr> {
        let (mut k, mut v) = (Type::None, Type::None);
        let mut items = Vec::new();
        for item in &d.items {
            let Some(key) = &item.key else {
                return Err(self.err(DiagKind::Unsupported, item.value.range(), "**unpacking inside a dict"));
            };
            let ke = self.expr(fx, key)?;
            let ke = self.first_class(ke, key.range())?;
            k = self.dict_slot_type(true, &k, &ke.ty, key.range())?;
            let ve = self.expr(fx, &item.value)?;
            let ve = self.first_class(ve, item.value.range())?;
            v = self.dict_slot_type(false, &v, &ve.ty, item.value.range())?;
            items.push(ke);
            items.push(ve);
        }
        let ty = Type::Dict(Box::new(k), Box::new(v));
        // Converted to the types all the items share.
        Ok(Expr::new(
            ExprKind::DictNew(items),
            Type::Dict(Box::new(Type::None), Box::new(Type::None)),
        )
        .cast(&ty))
    }

    /// The key of `d[key]` and friends, fitted into the dict.
    fn dict_key_arg(&mut self, fx: &mut FnCx, dict: Expr, key: Expr, range: TextRange) -> R<(Expr, Expr, Type)> {
        let key = self.first_class(key, range)?;
        let (dict, k, v) = self.dict_fit(fx, dict, Some(&key.ty), None, range)?;
        Ok((dict, key.cast(&k), v))
    }

    /// `d[k]`.
    pub(super) fn dict_get(&mut self, fx: &mut FnCx, dict: Expr, sub: &ast::ExprSubscript) -> R<Expr> {
        let key = self.expr(fx, &sub.slice)?;
        let (dict, key, v) = self.dict_key_arg(fx, dict, key, sub.slice.range())?;
        self.known_dict(&dict, sub.range)?;
        Ok(dict_op(DictOp::Get, dict, vec![key], v))
    }

    /// `d[k] = v`; `None` when `sub` is not a dict's subscript.
    pub(super) fn dict_set(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript, v: &Expr) -> R<Option<Stmt>> {
        let dict = self.expr(fx, &sub.value)?;
        if dict.ty.dict_types().is_none() {
            return Ok(None);
        }
        let key = self.expr(fx, &sub.slice)?;
        self.dict_store(fx, dict, key, v.clone(), sub.range).map(Some)
    }

    /// `dict[key] = value`.
    pub(super) fn dict_store(
        &mut self,
        fx: &mut FnCx,
        dict: Expr,
        key: Expr,
        value: Expr,
        range: TextRange,
    ) -> R<Stmt> {
        let key = self.first_class(key, range)?;
        let value = self.first_class(value, range)?;
        let current = dict.ty.dict_types().expect("a dict").1;
        if *current != Type::None {
            // Checked before the dict's types grow: a list object cannot widen them.
            self.value_into(value.clone(), current, range)?;
        }
        let (dict, k, vt) = self.dict_fit(fx, dict, Some(&key.ty), Some(&value.ty), range)?;
        let value = self.value_into(value, &vt, range)?;
        Ok(Stmt::Expr(dict_op(
            DictOp::Set,
            dict,
            vec![key.cast(&k), value],
            Type::None,
        )))
    }

    /// `value` as the dict's value type `vt`: a list object keeps its item type (only a new
    /// literal converts).
    fn value_into(&self, value: Expr, vt: &Type, range: TextRange) -> R<Expr> {
        let widens = unify(vt, &value.ty).is_none_or(|t| t != *vt);
        if value.ty != *vt && widens && value.ty.list_item().is_some() && !matches!(value.kind, ExprKind::ListNew(_)) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "a dict of {vt} cannot hold this {} (a list's item type is fixed when it is made, as in Numba)",
                    value.ty
                ),
            ));
        }
        Ok(value.cast(vt))
    }

    /// `{k: v for target in iter if cond ...}`: built by statements that run before the
    /// statement using it, as a list comprehension is.
    pub(super) fn dict_comprehension(&mut self, fx: &mut FnCx, c: &ast::ExprDictComp) -> R<Expr> {
        let Some(key) = c.key.as_deref() else {
            return Err(self.err(DiagKind::Unsupported, c.range, "**unpacking inside a dict"));
        };
        let (var, init) = self.hidden_var(fx, empty_dict(Type::None, Type::None), c.range)?;
        let saved = fx.aliases.clone();
        // A comprehension's variables are locals in its own scope only (Python 3).
        let saved_locals = fx.locals.clone();
        let mut stmts = vec![init];
        let built = self.comprehension_loops(fx, &c.generators, Made::Entry(key, &c.value), var, &mut stmts);
        fx.aliases = saved;
        fx.locals = saved_locals;
        built?;
        fx.pre.extend(stmts);
        Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
    }

    /// `list(x)`: a new list of a list's items, of a dict's keys, or the list `d.keys()`,
    /// `d.values()` or `d.items()` already made.
    pub(super) fn list_call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        // list(range(...)): the range is never a value.
        if let [PyExpr::Call(inner)] = call.arguments.args.as_ref() {
            if let PyExpr::Name(n) = &*inner.func {
                if n.id.as_str() == "range" && !fx.locals.contains("range") && inner.arguments.keywords.is_empty() {
                    let mut bounds = Vec::new();
                    for a in inner.arguments.args.iter() {
                        bounds.push(self.int_arg(fx, a)?);
                    }
                    let (start, stop, step) = match bounds.len() {
                        1 => (
                            const_expr(ConstValue::Int(0)),
                            bounds.remove(0),
                            const_expr(ConstValue::Int(1)),
                        ),
                        2 => (bounds.remove(0), bounds.remove(0), const_expr(ConstValue::Int(1))),
                        3 => (bounds.remove(0), bounds.remove(0), bounds.remove(0)),
                        _ => return Err(self.err(DiagKind::Type, inner.range(), "range() takes 1 to 3 arguments")),
                    };
                    return self.library_call("__kc_list_range", vec![start, stop, step], range);
                }
            }
        }
        let args = self.method_args(fx, call, "builtins", "list")?;
        let Some(x) = args.into_iter().next() else {
            return Ok(Expr::new(
                ExprKind::ListNew(Vec::new()),
                Type::List(Box::new(Type::None)),
            ));
        };
        if call.arguments.args.len() > 1 {
            return Err(self.err(DiagKind::Type, range, "list() takes at most 1 argument"));
        }
        match (&x.ty, &x.kind) {
            (Type::Dict(..), _) => self.dict_keys(x, range),
            (Type::Set(_), _) => self.set_items(x, range),
            (Type::List(_), ExprKind::Dict { .. } | ExprKind::ListNew(_)) => Ok(x),
            (Type::List(item), _) => {
                self.known_item(item, range)?;
                let copy = Expr::new(ExprKind::ListNew(Vec::new()), x.ty.clone());
                let (var, init) = self.hidden_var(fx, copy, range)?;
                let copy = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
                fx.pre.push(init);
                fx.pre.push(Stmt::Expr(super::list::list_op(
                    ListOp::Extend,
                    copy.clone(),
                    vec![x],
                    Type::None,
                )));
                Ok(copy)
            }
            (Type::Array(_) | Type::Tuple(_), _) => {
                self.check_listable(&x, "list", range)?;
                self.library_call("__kc_list_of", vec![x], range)
            }
            (other, _) => Err(self.err(DiagKind::Unsupported, range, format!("list() of {other}"))),
        }
    }

    /// Whether `sub` indexes a dict (typing it has no effect but the types).
    pub(super) fn is_dict_subscript(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<bool> {
        Ok(self.expr(fx, &sub.value)?.ty.dict_types().is_some())
    }

    /// `d[k] op= x`: the dict and the key evaluated once; KeyError when `k` is missing, as in
    /// Python.
    pub(super) fn dict_augassign(
        &mut self,
        fx: &mut FnCx,
        sub: &ast::ExprSubscript,
        op: BinOp,
        rhs: &PyExpr,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        let dict = self.expr(fx, &sub.value)?;
        // A named dict is used as it is, so that a store that widens its types widens the
        // variable's.
        let dict = if pure(&dict) {
            dict
        } else {
            let (var, s) = self.hidden_var(fx, dict, sub.value.range())?;
            out.push(s);
            Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone())
        };
        let key = self.expr(fx, &sub.slice)?;
        let (dict, key, _) = self.dict_key_arg(fx, dict, key, sub.slice.range())?;
        self.known_dict(&dict, range)?;
        let (kvar, s) = self.hidden_var(fx, key, sub.slice.range())?;
        out.push(s);
        let key = Expr::new(ExprKind::Var(kvar), fx.vars[kvar].ty.clone());
        let v = dict.ty.dict_types().expect("a dict").1.clone();
        let current = dict_op(DictOp::Get, dict.clone(), vec![key.clone()], v);
        let rhs = self.expr(fx, rhs)?;
        let value = self.binary(op, current, rhs, range)?;
        let (dict, k, vt) = self.dict_fit(fx, dict, Some(&key.ty), Some(&value.ty), range)?;
        out.push(Stmt::Expr(dict_op(
            DictOp::Set,
            dict,
            vec![key.cast(&k), value.cast(&vt)],
            Type::None,
        )));
        Ok(())
    }

    /// `del d[k]`; `None` when `target` is not a dict's subscript.
    pub(super) fn dict_delete(&mut self, fx: &mut FnCx, target: &PyExpr) -> R<Option<Stmt>> {
        let PyExpr::Subscript(sub) = target else {
            return Ok(None);
        };
        let dict = self.expr(fx, &sub.value)?;
        if dict.ty.dict_types().is_none() {
            return Ok(None);
        }
        let key = self.expr(fx, &sub.slice)?;
        let (dict, key, _) = self.dict_key_arg(fx, dict, key, sub.slice.range())?;
        Ok(Some(Stmt::Expr(dict_op(DictOp::Pop, dict, vec![key], Type::None))))
    }

    /// `d.get(k)`: the value or None (Numba's Optional), one lookup for the test and one for
    /// the value, the key evaluated once.
    fn dict_get_optional(&mut self, fx: &mut FnCx, dict: Expr, key: Expr, range: TextRange) -> R<Expr> {
        let (dict, k, v) = self.dict_fit(fx, dict, Some(&key.ty), None, range)?;
        self.known_dict(&dict, range)?;
        let Some(optional) = crate::types::optional_of(v.clone()) else {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("dict.get(k) of a dict of {v}: give a default, d.get(k, default)"),
            ));
        };
        // Each is read twice: a value that is not a plain one is computed first, once.
        let mut once = |this: &mut Self, e: Expr| -> R<Expr> {
            if crate::infer::tuple::pure(&e) {
                return Ok(e);
            }
            let (var, stmt) = this.hidden_var(fx, e, range)?;
            fx.pre.push(stmt);
            Ok(Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone()))
        };
        let d = once(self, dict)?;
        let kx = once(self, key.cast(&k))?;
        // The value half of a None: never read, so any value of the type.
        fn zero_of(t: &Type) -> Option<Expr> {
            match t {
                Type::Scalar(_) => Some(Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64).cast(t)),
                Type::Tuple(items) => items
                    .iter()
                    .map(zero_of)
                    .collect::<Option<Vec<_>>>()
                    .map(|z| Expr::new(ExprKind::Tuple(z), t.clone())),
                _ => None,
            }
        }
        let Some(zero) = zero_of(&v) else {
            return Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("dict.get(k) of a dict of {v}: give a default, d.get(k, default)"),
            ));
        };
        let found = dict_op(DictOp::Contains, d.clone(), vec![kx.clone()], Type::BOOL);
        let value = dict_op(DictOp::GetOr, d, vec![kx, zero], v);
        // Built as the (found, value) pair an Optional is kept as.
        Ok(Expr::new(ExprKind::Tuple(vec![found, value]), optional))
    }

    /// `k in d`.
    pub(super) fn dict_contains(&mut self, fx: &mut FnCx, key: Expr, dict: Expr, range: TextRange) -> R<Expr> {
        let (dict, key, _) = self.dict_key_arg(fx, dict, key, range)?;
        Ok(dict_op(DictOp::Contains, dict, vec![key], Type::BOOL))
    }

    /// The keys of a dict being iterated (`for k in d`): a new list, in insertion order.
    pub(super) fn dict_keys(&self, dict: Expr, range: TextRange) -> R<Expr> {
        self.known_dict(&dict, range)?;
        let k = dict.ty.dict_types().expect("a dict").0.clone();
        Ok(dict_op(DictOp::Keys, dict, vec![], Type::List(Box::new(k))))
    }

    /// `d.method(...)` of a dict.
    pub(super) fn dict_method(&mut self, fx: &mut FnCx, dict: Expr, name: &str, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        let args = self.method_args(fx, call, "dict", name)?;
        let arity = |this: &Self, lo: usize, hi: usize| -> R<()> {
            if (lo..=hi).contains(&args.len()) {
                Ok(())
            } else {
                Err(this.err(
                    DiagKind::Type,
                    range,
                    format!("dict.{name}() takes {lo} to {hi} arguments, {} given", args.len()),
                ))
            }
        };
        let list_of = |t: &Type| Type::List(Box::new(t.clone()));
        match name {
            "get" | "pop" | "setdefault" => {
                arity(self, 1, 2)?;
                if args.len() == 1 && name == "get" {
                    return self.dict_get_optional(fx, dict, args.into_iter().next().expect("a key"), range);
                }
                if args.len() == 1 && name != "pop" {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!("dict.{name}(k) without a default (it gives None when k is missing, Numba's Optional): give one, d.{name}(k, default)"),
                    ));
                }
                let mut args = args.into_iter();
                let key = args.next().expect("a key");
                let default = args.next();
                let (dict, k, v) = self.dict_fit(fx, dict, Some(&key.ty), default.as_ref().map(|d| &d.ty), range)?;
                self.known_dict(&dict, range)?;
                if let (Some(msg), true) = (
                    refuse_with_references(&v, &format!("dict.{name} with a default")),
                    default.is_some() && name != "setdefault",
                ) {
                    return Err(self.err(DiagKind::Unsupported, range, msg));
                }
                let op = match (name, &default) {
                    ("get", _) => DictOp::GetOr,
                    ("setdefault", _) => DictOp::SetDefault,
                    (_, Some(_)) => DictOp::PopOr,
                    _ => DictOp::Pop,
                };
                let mut a = vec![key.cast(&k)];
                if let Some(d) = default {
                    a.push(self.value_into(d, &v, range)?);
                }
                Ok(dict_op(op, dict, a, v))
            }
            "clear" => {
                arity(self, 0, 0)?;
                Ok(dict_op(DictOp::Clear, dict, vec![], Type::None))
            }
            "popitem" => {
                arity(self, 0, 0)?;
                self.known_dict(&dict, range)?;
                let (k, v) = dict.ty.dict_types().expect("a dict");
                let ty = Type::Tuple(vec![k.clone(), v.clone()]);
                Ok(dict_op(DictOp::PopItem, dict, vec![], ty))
            }
            "update" => {
                arity(self, 1, 1)?;
                let other = args.into_iter().next().expect("one");
                let Some((ok, ov)) = other.ty.dict_types().map(|(k, v)| (k.clone(), v.clone())) else {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!("dict.update with {} (another dict)", other.ty),
                    ));
                };
                if ok == Type::None {
                    // An empty literal: nothing to add (a variable whose types are unknown is
                    // refused as any read of it is).
                    if !matches!(other.kind, ExprKind::DictNew(_)) {
                        self.known_dict(&other, range)?;
                    }
                    let ty = dict.ty.clone();
                    return Ok(dict_op(DictOp::Update, dict, vec![other.cast(&ty)], Type::None));
                }
                let (dict, k, v) = self.dict_fit(fx, dict, Some(&ok), Some(&ov), range)?;
                let other = if (k.clone(), v.clone()) == (ok, ov) {
                    other
                } else if matches!(other.kind, ExprKind::DictNew(_)) {
                    other.cast(&dict.ty)
                } else {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!(
                            "cannot update a {} with a {}: a dict's types are fixed when it is made",
                            dict.ty, other.ty
                        ),
                    ));
                };
                Ok(dict_op(DictOp::Update, dict, vec![other], Type::None))
            }
            "copy" => {
                arity(self, 0, 0)?;
                let ty = dict.ty.clone();
                Ok(dict_op(DictOp::Copy, dict, vec![], ty))
            }
            "keys" | "values" | "items" => {
                arity(self, 0, 0)?;
                self.known_dict(&dict, range)?;
                let (k, v) = dict.ty.dict_types().expect("a dict");
                if let (Some(msg), false) = (refuse_with_references(v, &format!("dict.{name}()")), name == "keys") {
                    return Err(self.err(DiagKind::Unsupported, range, msg));
                }
                let (op, ty) = match name {
                    "keys" => (DictOp::Keys, list_of(k)),
                    "values" => (DictOp::Values, list_of(v)),
                    _ => (DictOp::Items, list_of(&Type::Tuple(vec![k.clone(), v.clone()]))),
                };
                Ok(dict_op(op, dict, vec![], ty))
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("the dict method '{other}'"))),
        }
    }

    /// The dotted name `e` spells inside the `numba` (or `kcache`) package, with `typed.` and
    /// `types.` dropped: `Dict.empty` for `numba.typed.Dict.empty`, `typed.Dict.empty` or
    /// `Dict.empty` after `from numba.typed import Dict`; `int64` for `types.int64`.
    fn numba_path(&self, fx: &FnCx, e: &PyExpr) -> Option<String> {
        let full = match e {
            PyExpr::Name(n) if !fx.locals.contains(n.id.as_str()) => match self.module.imports.get(n.id.as_str()) {
                Some(Imported::Module(PyModule::Numba)) => String::new(),
                Some(Imported::Member(PyModule::Numba, m)) => m.clone(),
                _ => return None,
            },
            PyExpr::Attribute(a) => {
                let base = self.numba_path(fx, &a.value)?;
                if base.is_empty() {
                    a.attr.id.to_string()
                } else {
                    format!("{base}.{}", a.attr.id)
                }
            }
            _ => return None,
        };
        let short = full
            .strip_prefix("typed.")
            .or_else(|| full.strip_prefix("types."))
            .unwrap_or(&full);
        Some(short.to_string())
    }

    /// A Numba type given as a value (`types.int64`, `numba.float64`, `np.int32`, `float`,
    /// `types.UniTuple(types.int64, 2)`, `types.Tuple((types.int64, types.float64))`,
    /// `types.ListType(types.int64)`, `types.DictType(k, v)`, `types.float64[:]`).
    fn numba_type(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Type> {
        if let PyExpr::Subscript(s) = e {
            let dims: Vec<&PyExpr> = match &*s.slice {
                PyExpr::Tuple(t) => t.elts.iter().collect(),
                one => vec![one],
            };
            if !dims.iter().all(|d| matches!(d, PyExpr::Slice(_))) || dims.len() > 8 {
                return Err(self.err(
                    DiagKind::Unsupported,
                    s.slice.range(),
                    "this array type (give types.float64[:], [:, :], [::1], ...)",
                ));
            }
            let dtype = match self.numba_type(fx, &s.value)? {
                Type::Scalar(d) => d,
                other => return Err(self.err(DiagKind::Unsupported, s.value.range(), format!("arrays of {other}"))),
            };
            let unit = |d: &PyExpr| matches!(d, PyExpr::Slice(sl) if sl.step.is_some());
            let layout = match (dims.first(), dims.last()) {
                (_, Some(last)) if unit(last) => crate::types::Layout::C,
                (Some(first), _) if unit(first) => crate::types::Layout::F,
                _ => crate::types::Layout::A,
            };
            return Ok(Type::Array(crate::types::ArrayType {
                dtype,
                ndim: dims.len() as u8,
                layout,
            }));
        }
        if let PyExpr::Call(c) = e {
            let args = c.arguments.args.as_ref();
            match (self.numba_path(fx, &c.func).as_deref(), args) {
                (Some("ListType"), [t]) => {
                    let t = self.numba_type(fx, t)?;
                    return Ok(Type::List(Box::new(t)));
                }
                (Some("DictType"), [k, v]) => {
                    let k = self.numba_type(fx, k)?;
                    let v = self.numba_type(fx, v)?;
                    return Ok(Type::Dict(Box::new(k), Box::new(v)));
                }
                (Some("UniTuple"), [t, n]) => {
                    let t = self.numba_type(fx, t)?;
                    let n = match self.module.eval_const(n) {
                        Some(ConstValue::Int(n)) if (1..=64).contains(&n) => n as usize,
                        _ => {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                n.range(),
                                "this tuple length (give a small integer)",
                            ))
                        }
                    };
                    return Ok(Type::Tuple(vec![t; n]));
                }
                (
                    Some("Tuple"),
                    [PyExpr::Tuple(ast::ExprTuple { elts, .. }) | PyExpr::List(ast::ExprList { elts, .. })],
                ) => {
                    let items = elts.iter().map(|t| self.numba_type(fx, t)).collect::<R<Vec<_>>>()?;
                    return Ok(Type::Tuple(items));
                }
                _ => {}
            }
        }
        if let Some(path) = self.numba_path(fx, e) {
            return match Scalar::from_name(&path) {
                Some(s) => Ok(Type::Scalar(s)),
                None => Err(self.err(
                    DiagKind::Unsupported,
                    e.range(),
                    format!(
                        "the Numba type '{path}' in a typed container (kcache's hold numbers and tuples of numbers)"
                    ),
                )),
            };
        }
        self.dtype_arg(fx, e).map(Type::Scalar)
    }

    /// `dict()`, `numba.typed.Dict.empty(key_type, value_type)`, `Dict()`, `List()`,
    /// `List.empty_list(item_type)`: `None` when `call` is none of these.
    pub(super) fn container_constructor(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Option<Expr>> {
        let range = call.range();
        if let PyExpr::Name(n) = &*call.func {
            if n.id.as_str() == "list" && !fx.locals.contains("list") && !self.module.imports.contains_key("list") {
                return self.list_call(fx, call).map(Some);
            }
            if n.id.as_str() == "set" && !fx.locals.contains("set") && !self.module.imports.contains_key("set") {
                return self.set_call(fx, call).map(Some);
            }
        }
        let path = match &*call.func {
            PyExpr::Name(n)
                if n.id.as_str() == "dict"
                    && !fx.locals.contains("dict")
                    && !self.module.imports.contains_key("dict") =>
            {
                "dict".to_string()
            }
            f => match self.numba_path(fx, f) {
                Some(p) => p,
                None => return Ok(None),
            },
        };
        let args = call.arguments.args.as_ref();
        let kwarg = |name: &str| {
            call.arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
        };
        let no_args = args.is_empty() && call.arguments.keywords.is_empty();
        let refuse = |this: &Self, what: &str| -> R<Option<Expr>> {
            Err(this.err(DiagKind::Unsupported, range, what.to_string()))
        };
        match path.as_str() {
            "dict" | "Dict" if no_args => Ok(Some(empty_dict(Type::None, Type::None))),
            "dict" => refuse(
                self,
                "dict() with arguments (write a literal, or store the items one by one)",
            ),
            "Dict.empty" => {
                let key = args.first().or_else(|| kwarg("key_type").map(|k| &k.value));
                let value = args.get(1).or_else(|| kwarg("value_type").map(|k| &k.value));
                let (Some(key), Some(value)) = (key, value) else {
                    return refuse(self, "Dict.empty() without key_type and value_type");
                };
                let k = self.numba_type(fx, key)?;
                let v = self.numba_type(fx, value)?;
                self.dict_slot_type(true, &Type::None, &k, key.range())?;
                self.dict_slot_type(false, &Type::None, &v, value.range())?;
                Ok(Some(empty_dict(k, v)))
            }
            "List" if no_args => Ok(Some(Expr::new(
                ExprKind::ListNew(Vec::new()),
                Type::List(Box::new(Type::None)),
            ))),
            "List.empty_list" => {
                let Some(item) = args.first().or_else(|| kwarg("item_type").map(|k| &k.value)) else {
                    return refuse(self, "List.empty_list() without item_type");
                };
                let t = self.numba_type(fx, item)?;
                let list = Expr::new(ExprKind::ListNew(Vec::new()), Type::List(Box::new(Type::None)));
                Ok(Some(list.cast(&Type::List(Box::new(t)))))
            }
            "Dict" | "List" => refuse(
                self,
                &format!("{path}(...) with arguments inside a kernel (make it empty, then fill it)"),
            ),
            _ => Ok(None),
        }
    }
}
