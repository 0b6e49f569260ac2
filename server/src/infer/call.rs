//! Calls: functions of the same source (specialised per argument types, or converted to their
//! declared signatures) and builtins.

use super::*;
use crate::builtins;

/// Array methods that are the NumPy function of the same name with the array first.
const FUNCTION_METHODS: &[&str] = &[
    "clip",
    "round",
    "nonzero",
    "repeat",
    "trace",
    "take",
    "diagonal",
    "searchsorted",
];

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        if let Some(e) = self.container_constructor(fx, call)? {
            return Ok(e);
        }
        if let Some(class) = self.number_class(fx, &call.func)? {
            let args = CallArgs::of(call);
            let [arg] = args.pos.as_slice() else {
                return Err(self.err(DiagKind::Type, range, "a number type takes one argument here"));
            };
            if !args.kw.is_empty() {
                return Err(self.err(DiagKind::Type, range, "a number type takes no keyword arguments"));
            }
            let value = self.expr(fx, arg)?;
            return self.builtin_call(Some(PyModule::Numpy), class.name(), vec![value], range);
        }
        let (module, name): (Option<PyModule>, String) = match &*call.func {
            PyExpr::Name(n) => {
                let id = n.id.as_str();
                if let Some((lifted, captured)) = fx.local_functions.get(id).cloned() {
                    return self.closure_call(fx, &lifted, &captured, call);
                }
                if fx.locals.contains(id) {
                    return Err(self.err(
                        DiagKind::Type,
                        n.range,
                        format!("'{id}' is a local variable, not a function"),
                    ));
                }
                if self.module.functions.contains_key(id) {
                    return self.user_call(fx, id, call);
                }
                if let Some(o) = self.module.opaque.get(id) {
                    return Err(self.opaque_global(id, o, n.range));
                }
                match self.module.imports.get(id) {
                    Some(Imported::Member(m, member)) => (Some(*m), member.clone()),
                    Some(Imported::Module(_)) => {
                        return Err(self.err(DiagKind::Type, n.range, format!("module '{id}' is not callable")))
                    }
                    None => (None, id.to_string()),
                }
            }
            // np.random.f(...)
            // np.linalg.f(...)
            PyExpr::Attribute(a)
                if matches!(&*a.value, PyExpr::Attribute(inner)
                    if inner.attr.id.as_str() == "linalg"
                        && matches!(&*inner.value, PyExpr::Name(n)
                            if !fx.locals.contains(n.id.as_str())
                                && self.module.imports.get(n.id.as_str()) == Some(&Imported::Module(PyModule::Numpy)))) =>
            {
                (Some(PyModule::NumpyLinalg), a.attr.id.to_string())
            }
            PyExpr::Attribute(a)
                if matches!(&*a.value, PyExpr::Attribute(inner)
                    if inner.attr.id.as_str() == "random"
                        && matches!(&*inner.value, PyExpr::Name(n)
                            if !fx.locals.contains(n.id.as_str())
                                && self.module.imports.get(n.id.as_str()) == Some(&Imported::Module(PyModule::Numpy)))) =>
            {
                (Some(PyModule::NumpyRandom), a.attr.id.to_string())
            }
            PyExpr::Attribute(a) => match &*a.value {
                // A module-level array's methods are an array's (`W.sum()`).
                PyExpr::Name(base)
                    if !fx.locals.contains(base.id.as_str()) && !self.module.arrays.contains_key(base.id.as_str()) =>
                {
                    match self.module.imports.get(base.id.as_str()) {
                        Some(Imported::Module(m)) => (Some(*m), a.attr.id.to_string()),
                        None if self.module.opaque.contains_key(base.id.as_str()) => {
                            let o = &self.module.opaque[base.id.as_str()];
                            return Err(self.opaque_global(base.id.as_str(), o, base.range));
                        }
                        None if !self.module.constants.contains_key(base.id.as_str())
                            && !self.module.functions.contains_key(base.id.as_str()) =>
                        {
                            let hint = match base.id.as_str() {
                                "math" => " (add `import math`)",
                                "np" | "numpy" => " (add `import numpy as np`)",
                                _ => "",
                            };
                            return Err(self.err(
                                DiagKind::Name,
                                base.range,
                                format!("name '{}' is not defined{hint}", base.id),
                            ));
                        }
                        _ => {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                a.range,
                                format!("calling '{}.{}'", base.id, a.attr.id),
                            ))
                        }
                    }
                }
                _ => {
                    // A method of a value: arrays have NumPy's.
                    let receiver = self.expr(fx, &a.value)?;
                    if is_array(&receiver) {
                        let method = a.attr.id.as_str();
                        // Methods that are NumPy's function of the array: `a.clip(0, 1)` is
                        // `np.clip(a, 0, 1)`.
                        if FUNCTION_METHODS.contains(&method) {
                            let mut args = CallArgs::of(call);
                            args.pos.insert(0, &a.value);
                            if let Some(e) = self.numpy_call(fx, method, &args)? {
                                return Ok(e);
                            }
                        }
                        if matches!(method, "conj" | "conjugate") && call.arguments.is_empty() {
                            let at = receiver.ty.array().expect("an array");
                            if !at.dtype.is_complex() {
                                // A real array's conjugate: a copy, as NumPy's.
                                return Ok(self.converted_copy(receiver, at.dtype));
                            }
                            return self.array_builtin(Some(PyModule::Numpy), "conj", vec![receiver], range);
                        }
                        return self.array_method(fx, receiver, method, &CallArgs::of(call));
                    }
                    if receiver.ty.list_item().is_some() {
                        return self.list_method(fx, &a.value, receiver, a.attr.id.as_str(), call);
                    }
                    if receiver.ty.dict_types().is_some() {
                        return self.dict_method(fx, receiver, a.attr.id.as_str(), call);
                    }
                    if receiver.ty.set_item().is_some() {
                        return self.set_method(fx, receiver, a.attr.id.as_str(), call);
                    }
                    if receiver.ty.is_numeric() && a.attr.id.as_str() == "item" && call.arguments.is_empty() {
                        // A NumPy scalar's item(): the number itself.
                        return Ok(receiver);
                    }
                    if let (true, Some(f), true) = (
                        receiver.ty.is_numeric(),
                        builtins::complex::attribute(a.attr.id.as_str()),
                        call.arguments.is_empty(),
                    ) {
                        return builtins::Builtin::infer(f, None, a.attr.id.as_str(), vec![receiver])
                            .map_err(|(kind, msg)| self.err(kind, range, msg));
                    }
                    return Err(self.err(
                        DiagKind::Unsupported,
                        a.range,
                        format!("the method '{}' of {}", a.attr.id, receiver.ty),
                    ));
                }
            },
            other => return Err(self.err(DiagKind::Unsupported, other.range(), "calling this expression")),
        };
        for a in call.arguments.args.iter() {
            if matches!(a, PyExpr::Starred(_)) {
                return Err(self.err(DiagKind::Unsupported, a.range(), "*args in calls"));
            }
        }
        if module == Some(PyModule::Numpy) {
            if let Some(e) = self.ufunc_into(fx, &name, call)? {
                return Ok(e);
            }
            if let Some(e) = self.numpy_call(fx, &name, &CallArgs::of(call))? {
                return Ok(e);
            }
        }
        if module == Some(PyModule::NumpyLinalg) {
            if let Some(e) = self.numpy_library_call(fx, &format!("linalg.{name}"), &CallArgs::of(call))? {
                return Ok(e);
            }
            return Err(self.err(DiagKind::Unsupported, range, format!("np.linalg.{name}")));
        }
        if let Some(m @ (PyModule::Random | PyModule::NumpyRandom)) = module {
            return self.random_call(fx, m, &name, &CallArgs::of(call));
        }
        if module.is_none() && name == "print" {
            return self.print_call(fx, call);
        }
        if module.is_none() && name == "sorted" {
            return self.sorted_call(fx, call);
        }
        if !call.arguments.keywords.is_empty() {
            return Err(self.err(
                DiagKind::Unsupported,
                call.arguments.range,
                format!("keyword arguments to '{name}'"),
            ));
        }
        if let (None, "len", [arg]) = (module, name.as_str(), call.arguments.args.as_ref()) {
            if let Some(len) = self.range_len(fx, arg)? {
                return Ok(len);
            }
        }
        // float("inf"), float("nan"), float("1.5"): a constant (kernels have no strings).
        if let (None, "float", [PyExpr::StringLiteral(s)]) = (module, name.as_str(), call.arguments.args.as_ref()) {
            let text = s.value.to_str().trim().to_ascii_lowercase();
            return match text.parse::<f64>() {
                Ok(x) if !text.contains('_') => Ok(const_expr(ConstValue::Float(x))),
                _ => Err(self.err(
                    DiagKind::Unsupported,
                    range,
                    format!("float() of the string {:?}", s.value.to_str()),
                )),
            };
        }
        let mut args = Vec::new();
        for a in call.arguments.args.iter() {
            args.push(self.expr(fx, a)?);
        }
        if module.is_none() && name == "__kc_stencil_output" {
            return self.stencil_output(args, range);
        }
        if let (Some(PyModule::Numpy), "real" | "imag", [a]) = (module, name.as_str(), args.as_slice()) {
            if is_array(a) {
                // np.real(a) is a.real: a view of a complex array's parts, a real array itself.
                return self.array_attribute(a.clone(), &name, range);
            }
        }
        if module == Some(PyModule::Numpy) {
            if let Some(e) = self.logical(&name, &args, range)? {
                return Ok(e);
            }
            if let Some(e) = self.operator_ufunc(&name, &args, range)? {
                return Ok(e);
            }
        }
        if let (Some(PyModule::Math), "isclose") = (module, name.as_str()) {
            if args.len() == 2 && args.iter().all(|a| a.ty.scalar().is_some_and(|s| !s.is_complex())) {
                return self.library_call("__kc_math_isclose", args, range);
            }
        }
        if module == Some(PyModule::Cmath)
            || (module.is_none() && name == "complex")
            || args.iter().any(|a| a.ty.scalar().is_some_and(Scalar::is_complex))
        {
            if let Some(e) = self.complex_builtin(module, &name, args.clone(), range)? {
                return Ok(e);
            }
        }
        if let (None, "sum" | "min" | "max", [one]) = (module, name.as_str(), args.as_slice()) {
            if !one.ty.is_numeric() {
                let seq = self.first_class(one.clone(), range)?;
                // Over a dict: its keys, as Python iterates it.
                let seq = if seq.ty.dict_types().is_some() {
                    self.dict_keys(seq, range)?
                } else if seq.ty.set_item().is_some() {
                    // Over a set: its items in iteration order (a float sum's rounding
                    // follows that order, as CPython's does).
                    self.set_items(seq, range)?
                } else {
                    seq
                };
                return self.sequence_builtin(&name, seq, range);
            }
        }
        if args.iter().any(is_array) {
            return self.array_builtin(module, &name, args, range);
        }
        // pow(a, b) is a ** b.
        if let (None, "pow", [a, b]) = (module, name.as_str(), args.as_slice()) {
            if a.ty.is_numeric() && b.ty.is_numeric() {
                let mut args = args.into_iter();
                let (a, b) = (args.next().expect("two"), args.next().expect("two"));
                return self.binary(BinOp::Pow, a, b, range);
            }
        }
        if let (Some(PyModule::Math), "gcd", [a, b]) = (module, name.as_str(), args.as_slice()) {
            if a.ty.scalar().is_some_and(|s| s.is_int()) && b.ty.scalar().is_some_and(|s| s.is_int()) {
                return self.library_call("__kc_gcd", args, range);
            }
        }
        let real = |e: &Expr| e.ty.scalar().is_some_and(|s| !s.is_complex());
        let int = |e: &Expr| e.ty.scalar().is_some_and(|s| s.is_int() || s == Scalar::Bool);
        match (module, name.as_str(), args.as_slice()) {
            (Some(PyModule::Math), "frexp", [x]) if real(x) => return self.library_call("__kc_frexp", args, range),
            (Some(PyModule::Math), "ldexp", [x, n]) if real(x) && int(n) => {
                return self.library_call("__kc_ldexp", args, range)
            }
            _ => {}
        }
        if let (None, "round", [x, ndigits]) = (module, name.as_str(), args.as_slice()) {
            if let (Some(s), Some(n)) = (x.ty.scalar(), ndigits.ty.scalar()) {
                if n.is_int() && (s.is_int() || s.is_float()) {
                    let f = if s.is_int() {
                        "__kc_round_int"
                    } else {
                        "__kc_round_float"
                    };
                    return self.library_call(f, args, range);
                }
            }
        }
        if let (None, "divmod", [a, b]) = (module, name.as_str(), args.as_slice()) {
            if a.ty.is_numeric() && b.ty.is_numeric() {
                return self.library_call("__kc_divmod", args, range);
            }
        }
        self.builtin_call(module, &name, args, range)
    }

    /// The number type a callee stands for, as Numba's `NumberClass`: `type(x)` of a scalar
    /// (numba-stats writes `type(scale)(1) / scale`) and `a.dtype.type` of an array.
    fn number_class(&mut self, fx: &mut FnCx, callee: &PyExpr) -> R<Option<Scalar>> {
        if let PyExpr::Name(n) = callee {
            if let Some(dtype) = fx.dtypes.get(n.id.as_str()) {
                return Ok(Some(*dtype));
            }
        }
        let of = match callee {
            PyExpr::Call(c)
                if matches!(&*c.func, PyExpr::Name(n) if n.id.as_str() == "type"
                    && !fx.locals.contains("type")
                    && !self.module.functions.contains_key("type")
                    && !self.module.imports.contains_key("type"))
                    && c.arguments.args.len() == 1
                    && c.arguments.keywords.is_empty() =>
            {
                &c.arguments.args[0]
            }
            PyExpr::Attribute(a) if a.attr.id.as_str() == "type" => match &*a.value {
                PyExpr::Attribute(d) if d.attr.id.as_str() == "dtype" => &*d.value,
                PyExpr::Name(n) if fx.dtypes.contains_key(n.id.as_str()) => return Ok(Some(fx.dtypes[n.id.as_str()])),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let value = self.expr(fx, of)?;
        match (value.ty.scalar(), value.ty.array()) {
            (Some(s), _) => Ok(Some(s)),
            (None, Some(a)) if matches!(callee, PyExpr::Attribute(_)) => Ok(Some(a.dtype)),
            _ => Err(self.err(
                DiagKind::Unsupported,
                callee.range(),
                format!("calling the type of a value of type {}", value.ty),
            )),
        }
    }

    /// A builtin called with arrays: NumPy's ufuncs element-wise; Python's scalar builtins and
    /// `math` refuse arrays, as they do in Python.
    pub(in crate::infer) fn array_builtin(
        &self,
        module: Option<PyModule>,
        name: &str,
        mut args: Vec<Expr>,
        range: TextRange,
    ) -> R<Expr> {
        // Element-wise functions take arrays and numbers; anything else (None, a tuple, a list)
        // is a type error here, not in the array-expression builder.
        if let Some(bad) = args.iter().find(|a| !a.ty.is_numeric() && !is_array(a)) {
            return Err(self.err(DiagKind::Type, range, format!("{name}() of an array and {}", bad.ty)));
        }
        let complex = args.iter().any(|a| {
            a.ty.array()
                .map(|at| at.dtype)
                .or(a.ty.scalar())
                .is_some_and(Scalar::is_complex)
        });
        if complex {
            if let (Some(PyModule::Numpy), "real" | "imag", [_]) = (module, name, args.as_slice()) {
                return self.array_attribute(args.remove(0), name, range);
            }
            if let Some(f) = builtins::complex::lookup(module, name) {
                return self.array_complex(f, module, name, args, range);
            }
        }
        match (module, name) {
            (None, "abs") | (Some(PyModule::Numpy), "abs" | "absolute") if args.len() == 1 => {
                Ok(self.array_abs(args.remove(0)))
            }
            (None, "len") => self.builtin_call(module, name, args, range),
            (Some(PyModule::Numpy), _) => {
                if let Some(func) = builtins::math::lookup(PyModule::Numpy, name) {
                    return self.array_ufunc(func, &format!("np.{name}"), args, range);
                }
                if let (Some(s), [_]) = (Scalar::from_numpy_name(name), args.as_slice()) {
                    return Ok(self.converted_copy(args.remove(0), s));
                }
                Err(self.err(DiagKind::Unsupported, range, format!("np.{name} of arrays")))
            }
            (Some(PyModule::Math), _) => Err(self.err(
                DiagKind::Type,
                range,
                format!("math.{name}() of an array (use np.{name}, which works element-wise)"),
            )),
            _ => Err(self.err(DiagKind::Type, range, format!("{name}() of an array"))),
        }
    }

    pub(super) fn user_call(&mut self, fx: &mut FnCx, name: &str, call: &ast::ExprCall) -> R<Expr> {
        let args = self.bind_arguments(fx, name, call)?;
        self.call_function(name, args, call.range())
    }

    /// `np.logical_and/or/xor/not` of scalars or arrays: the arguments' truth values combined
    /// (booleans out, as NumPy's).
    fn logical(&mut self, name: &str, args: &[Expr], range: TextRange) -> R<Option<Expr>> {
        let (op, arity) = match name {
            "logical_and" => (Some(BinOp::BitAnd), 2),
            "logical_or" => (Some(BinOp::BitOr), 2),
            "logical_xor" => (Some(BinOp::BitXor), 2),
            "logical_not" => (None, 1),
            _ => return Ok(None),
        };
        if args.len() != arity {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("np.{name}() takes {arity} argument(s), {} given", args.len()),
            ));
        }
        let zero = || const_expr(ConstValue::Int(0));
        let mut truth = Vec::new();
        for a in args {
            truth.push(match (a.ty.array(), a.ty.scalar()) {
                (Some(at), _) if at.dtype == Scalar::Bool => a.clone(),
                (Some(_), _) => self.array_compare(CmpOp::Ne, a.clone(), zero()),
                (None, Some(s)) if !s.is_complex() => a.clone().cast(&Type::BOOL),
                _ => return Err(self.err(DiagKind::Type, range, format!("np.{name}() of {}", a.ty))),
            });
        }
        let mut truth = truth.into_iter();
        let first = truth.next().expect("one argument at least");
        let Some(op) = op else {
            return Ok(Some(if is_array(&first) {
                self.array_compare(CmpOp::Eq, first, const_expr(ConstValue::Bool(false)))
            } else {
                Expr::new(
                    ExprKind::Unary {
                        op: UnaryOp::Not,
                        operand: Box::new(first),
                    },
                    Type::BOOL,
                )
            }));
        };
        let second = truth.next().expect("two arguments");
        Ok(Some(if is_array(&first) || is_array(&second) {
            self.array_binary(op, first, second, range)?
        } else {
            Expr::binary(op, first, second, &Type::BOOL)
        }))
    }

    /// A call of a function defined inside this one: its arguments, then the variables it reads
    /// of this one, at their values now.
    fn closure_call(&mut self, fx: &mut FnCx, lifted: &str, captured: &[String], call: &ast::ExprCall) -> R<Expr> {
        let (positional, mut keywords) = self.call_values(fx, call)?;
        for name in captured {
            let read = ast::ExprName {
                range: call.range(),
                node_index: Default::default(),
                id: name.as_str().into(),
                ctx: ast::ExprContext::Load,
            };
            let v = self.name(fx, &read)?;
            keywords.push((name.clone(), v, call.range()));
        }
        let args = self.bind_values(lifted, lifted, positional, keywords, call.range())?;
        self.call_function(lifted, args, call.range())
    }

    /// A call of a function of kcache's kernel-language library (`builtins/library.py`): it is
    /// instantiated like the user's functions, with the library as the module it reads. An
    /// error inside it is reported at the call.
    pub(in crate::infer) fn library_call(&mut self, name: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
        let user = self.module;
        self.module = builtins::library::module();
        let result = self.call_function(name, args, range);
        self.module = user;
        result.map_err(|fail| match fail {
            Fail::Error(CompileError::Source(d)) => self.err(
                d.kind,
                range,
                format!("{} (inside kcache's implementation, {name})", d.message),
            ),
            other => other,
        })
    }

    /// A call of `name` of the current module with bound arguments: the instance for their
    /// types (or for the declared signature they convert to).
    fn call_function(&mut self, name: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
        let def = &self.module.functions[name];
        // A declared signature converts the arguments, as calling a Numba dispatcher with
        // explicit signatures does: the first signature every argument converts to wins.
        let info = self.module.decorator_info(def)?;
        if info.as_ref().is_some_and(|i| i.vectorize) && args.iter().any(is_array) {
            // A @vectorize function called with arrays is a ufunc: its scalar body per element,
            // broadcast, one fused loop like NumPy's own ufuncs in array expressions.
            let elements = args
                .iter()
                .enumerate()
                .map(|(k, a)| super::numpy::elem(k, &a.ty))
                .collect();
            let body = self.call_function(name, elements, range)?;
            let Some(dtype) = body.ty.scalar() else {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("the @vectorize function '{name}' returns {}, not a number", body.ty),
                ));
            };
            return Ok(super::numpy::map_elements(dtype, args, body));
        }
        // Declared signatures take values: an Optional argument is converted (TypeError when
        // None), as Numba converts it to the signature's type.
        let args: Vec<Expr> = if info.as_ref().is_some_and(|i| !i.signatures.is_empty()) {
            args.into_iter()
                .map(|a| match a.ty.optional_item().cloned() {
                    Some(item) => a.cast(&item),
                    None => a,
                })
                .collect()
        } else {
            args
        };
        let mut param_types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        let mut declared_ret = None;
        if let Some(info) = info.filter(|i| !i.signatures.is_empty()) {
            // Numba's choice among a callee's signatures: the fewest unsafe, then safe, then
            // promoting conversions; a tie goes to the first declared (Numba allows ambiguity
            // between jitted functions).
            let mut best: Option<(Rating, Signature)> = None;
            for text in &info.signatures {
                let sig =
                    parse_signature(text).map_err(|e| self.err(DiagKind::Signature, def.name.range, e.to_string()))?;
                if sig.args.len() != args.len() {
                    continue;
                }
                let Some(rating) = rating(&sig.args, &param_types) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(r, _)| rating < *r) {
                    best = Some((rating, sig));
                }
            }
            let chosen = best.map(|(_, sig)| sig);
            let Some(sig) = chosen else {
                let have: Vec<String> = param_types.iter().map(|t| t.to_string()).collect();
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("no signature of '{name}' accepts ({})", have.join(", ")),
                ));
            };
            param_types = sig.args.clone();
            declared_ret = sig.ret.clone();
        }
        let key = (name.to_string(), param_types.clone());
        let id = match self.instances.get(&key) {
            Some(inst) if !inst.finished => {
                let ret = inst.ret_estimate.clone().ok_or_else(|| Fail::Deferred {
                    name: name.to_string(),
                    range,
                })?;
                return Ok(Expr::new(
                    ExprKind::Call {
                        func: inst.id,
                        args: passed(args, &param_types),
                    },
                    ret,
                ));
            }
            Some(inst) => inst.id,
            None => self.instantiate(name, &param_types, declared_ret, range)?,
        };
        let ret = self.functions[id].as_ref().expect("finished").ret.clone();
        Ok(Expr::new(
            ExprKind::Call {
                func: id,
                args: passed(args, &param_types),
            },
            ret,
        ))
    }

    /// The arguments of a call to a function of the source, one per parameter in order: Python's
    /// binding of positional and keyword arguments, defaults filled in as constants.
    fn bind_arguments(&mut self, fx: &mut FnCx, name: &str, call: &ast::ExprCall) -> R<Vec<Expr>> {
        let (positional, keywords) = self.call_values(fx, call)?;
        self.bind_values(name, name, positional, keywords, call.range())
    }

    /// A call's positional and keyword values, Optionals kept (a callee may test them).
    #[allow(clippy::type_complexity)]
    fn call_values(
        &mut self,
        fx: &mut FnCx,
        call: &ast::ExprCall,
    ) -> R<(Vec<(Expr, TextRange)>, Vec<(String, Expr, TextRange)>)> {
        let mut positional = Vec::new();
        for a in call.arguments.args.iter() {
            let v = self.expr_or_optional(fx, a)?;
            positional.push((self.first_class(v, a.range())?, a.range()));
        }
        let mut keywords = Vec::new();
        for kw in call.arguments.keywords.iter() {
            let Some(arg) = &kw.arg else {
                return Err(self.err(DiagKind::Unsupported, kw.range, "**kwargs in calls"));
            };
            let v = self.expr_or_optional(fx, &kw.value)?;
            keywords.push((arg.id.to_string(), self.first_class(v, kw.value.range())?, kw.range));
        }
        Ok((positional, keywords))
    }

    /// Binds evaluated arguments to the parameters of `name` of the current module, as Python
    /// does: positional ones in order, keywords by name, defaults for the rest. Errors call the
    /// function `shown` (NumPy's name for a function of kcache's library).
    pub(super) fn bind_values(
        &mut self,
        name: &str,
        shown: &str,
        positional: Vec<(Expr, TextRange)>,
        keywords: Vec<(String, Expr, TextRange)>,
        call_range: TextRange,
    ) -> R<Vec<Expr>> {
        let def = &self.module.functions[name];
        let params = super::parameters(def);
        let positional_count = def.parameters.posonlyargs.len() + def.parameters.args.len();
        let mut slots: Vec<Option<Expr>> = vec![None; params.len()];
        if positional.len() > positional_count {
            let given = positional.len();
            return Err(self.err(
                DiagKind::Type,
                call_range,
                format!(
                    "'{shown}' takes {positional_count} positional argument{} but {given} {} given",
                    if positional_count == 1 { "" } else { "s" },
                    if given == 1 { "was" } else { "were" }
                ),
            ));
        }
        for (k, (v, _)) in positional.into_iter().enumerate() {
            slots[k] = Some(v);
        }
        for (arg, v, range) in keywords {
            let at = params
                .iter()
                .position(|p| p.parameter.name.id == arg)
                .filter(|k| *k >= def.parameters.posonlyargs.len())
                .ok_or_else(|| {
                    self.err(
                        DiagKind::Type,
                        range,
                        format!("'{shown}' got an unexpected keyword argument '{arg}'"),
                    )
                })?;
            if slots[at].is_some() {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("'{shown}' got multiple values for argument '{arg}'"),
                ));
            }
            slots[at] = Some(v);
        }
        let mut args = Vec::new();
        for (slot, p) in slots.into_iter().zip(&params) {
            let v = match slot {
                Some(v) => v,
                None => match p.default.as_deref() {
                    None => {
                        return Err(self.err(
                            DiagKind::Type,
                            call_range,
                            format!("'{shown}' missing required argument '{}'", p.parameter.name.id),
                        ))
                    }
                    Some(d) => match self.module.eval_const(d) {
                        Some(c) => const_expr(c),
                        None if matches!(d, PyExpr::NoneLiteral(_)) => none_expr(),
                        None => {
                            return Err(self.err(
                                DiagKind::Unsupported,
                                d.range(),
                                format!(
                                    "the default of '{}' (kcache takes numbers and booleans as defaults)",
                                    p.parameter.name.id
                                ),
                            ))
                        }
                    },
                },
            };
            args.push(v);
        }
        Ok(args)
    }

    /// A call of something the source does not define: a builtin of the registry, a math table
    /// row, or a clear error naming what is not supported.
    pub(super) fn builtin_call(
        &self,
        module: Option<PyModule>,
        name: &str,
        args: Vec<Expr>,
        range: TextRange,
    ) -> R<Expr> {
        if let (None, Some(function)) = (module, name.strip_prefix("__kc_rng_")) {
            return self.random_intrinsic(function, args, range);
        }
        if let Some(b) = builtins::lookup(module, name) {
            return b
                .infer(module, name, args)
                .map_err(|(kind, msg)| self.err(kind, range, msg));
        }
        if let Some(m @ (PyModule::Math | PyModule::Numpy)) = module {
            let spelled = format!("{}.{name}", module_name(m));
            let Some(func) = builtins::math::lookup(m, name) else {
                return Err(self.err(DiagKind::Unsupported, range, spelled));
            };
            return builtins::math::infer(func, &spelled, m, args).map_err(|msg| self.err(DiagKind::Type, range, msg));
        }
        match (module, name) {
            (Some(PyModule::Numba), "get_num_threads") if args.is_empty() => Ok(Expr::new(
                ExprKind::HostCall {
                    function: "num_threads",
                    args: Vec::new(),
                },
                Type::I64,
            )),
            (None, "range") | (Some(PyModule::Numba), "prange") => Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("{name}() outside a for loop"),
            )),
            (None, other) if builtins::UNSUPPORTED.contains(&other) => {
                Err(self.err(DiagKind::Unsupported, range, format!("the builtin '{other}'")))
            }
            (None, other) => Err(self.err(
                DiagKind::Name,
                range,
                format!("name '{other}' is not defined (kernels can call functions of the same source, math, numpy and builtins)"),
            )),
            (Some(m), other) => Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("{}.{other}", module_name(m)),
            )),
        }
    }
}

/// Counts of (unsafe, safe, promoting) conversions, compared in that order.
type Rating = (usize, usize, usize);

/// How well arguments of types `have` fit the parameters `want` (Numba's rating of a
/// signature); `None` when one does not convert at all.
fn rating(want: &[Type], have: &[Type]) -> Option<Rating> {
    use crate::types::Conversion;
    let mut r = (0, 0, 0);
    for (w, h) in want.iter().zip(have) {
        let conversion = match (w, h) {
            (Type::Scalar(w), Type::Scalar(h)) => h.conversion_to(*w)?,
            (Type::Array(w), Type::Array(h)) if w.dtype == h.dtype && w.ndim == h.ndim => {
                if w.layout == h.layout {
                    Conversion::Exact
                } else if w.layout == crate::types::Layout::A {
                    Conversion::Safe
                } else {
                    return None;
                }
            }
            _ if w == h => Conversion::Exact,
            _ => return None,
        };
        match conversion {
            Conversion::Unsafe => r.0 += 1,
            Conversion::Safe => r.1 += 1,
            Conversion::Promote => r.2 += 1,
            Conversion::Exact => {}
        }
    }
    Some(r)
}

pub(super) fn module_name(m: PyModule) -> &'static str {
    m.name()
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// The library's random number primitives, one per host table function:
    /// `__kc_rng_seed(generator, seed)`, `__kc_rng_u32(generator)` (an int64),
    /// `__kc_rng_double(generator)`, `__kc_rng_gauss(generator)`.
    fn random_intrinsic(&self, function: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
        let (host, ty, arity) = match function {
            "seed" => ("random_seed", Type::None, 2),
            "u32" => ("random_u32", Type::I64, 1),
            "double" => ("random_double", Type::F64, 1),
            "gauss" => ("random_gauss", Type::F64, 1),
            other => return Err(self.err(DiagKind::Name, range, format!("no random primitive '{other}'"))),
        };
        if args.len() != arity || args.iter().any(|a| a.ty.scalar().is_none_or(|s| s.is_float())) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("__kc_rng_{function} takes {arity} integers"),
            ));
        }
        let mut args: Vec<Expr> = args.into_iter().map(|a| a.cast(&Type::I64)).collect();
        args[0] = args[0].clone().cast(&Type::Scalar(Scalar::I32));
        Ok(Expr::new(ExprKind::HostCall { function: host, args }, ty))
    }
}

/// The arguments a call passes, converted to the parameters' types: a None argument is not
/// passed (the callee's instance for it knows the name is None).
fn passed(args: Vec<Expr>, param_types: &[Type]) -> Vec<Expr> {
    args.into_iter()
        .zip(param_types)
        .filter(|(a, _)| a.ty != Type::None)
        .map(|(a, t)| a.cast(t))
        .collect()
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// A call with a complex argument, of `cmath`, or of `complex()`: the complex builtins, and
    /// `cmath.polar`/`cmath.rect` from the kernel-language library. `None`: not a complex
    /// function (a real-only one refuses the complex argument where it is typed).
    fn complex_builtin(
        &mut self,
        module: Option<PyModule>,
        name: &str,
        args: Vec<Expr>,
        range: TextRange,
    ) -> R<Option<Expr>> {
        if module == Some(PyModule::Cmath) && matches!(name, "polar" | "rect") {
            if args.iter().any(|a| !a.ty.is_numeric()) {
                return Err(self.err(DiagKind::Type, range, format!("cmath.{name}() takes numbers")));
            }
            return self.library_call(&format!("__kc_cmath_{name}"), args, range).map(Some);
        }
        if let Some(f) = builtins::complex::lookup(module, name) {
            return builtins::Builtin::infer(f, module, name, args)
                .map(Some)
                .map_err(|(kind, msg)| self.err(kind, range, msg));
        }
        if module == Some(PyModule::Cmath) {
            return Err(self.err(DiagKind::Unsupported, range, format!("cmath.{name}")));
        }
        Ok(None)
    }
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// `print(a, "text", b, sep=" ", end="\n")`: string literals and scalars (Numba prints
    /// through Python objects; kcache's runtime formats numbers as Python's `str()` does).
    fn print_call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let literal = |this: &Self, e: &PyExpr, what: &str| -> R<String> {
            match e {
                PyExpr::StringLiteral(s) if !s.value.to_str().contains('\0') => Ok(s.value.to_str().to_string()),
                other => Err(this.err(
                    DiagKind::Unsupported,
                    other.range(),
                    format!("print() {what} other than a string literal"),
                )),
            }
        };
        let (mut sep, mut end) = (" ".to_string(), "\n".to_string());
        for kw in call.arguments.keywords.iter() {
            match kw.arg.as_ref().map(|a| a.id.as_str()) {
                Some("sep") => sep = literal(self, &kw.value, "sep")?,
                Some("end") => end = literal(self, &kw.value, "end")?,
                Some("flush") => {}
                _ => {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        kw.range,
                        "this keyword of print() (sep=, end= and flush= are supported)",
                    ))
                }
            }
        }
        let mut items = Vec::new();
        for a in call.arguments.args.iter() {
            if let PyExpr::StringLiteral(_) = a {
                items.push(PrintItem::Text(literal(self, a, "text")?));
                continue;
            }
            let v = self.expr(fx, a)?;
            if !v.ty.is_numeric() {
                let what = if v.ty == Type::None {
                    "None".to_string()
                } else {
                    v.ty.to_string()
                };
                return Err(self.err(
                    DiagKind::Unsupported,
                    a.range(),
                    format!("print() of {what} (numbers and string literals are supported)"),
                ));
            }
            items.push(PrintItem::Value(v));
        }
        Ok(Expr::new(ExprKind::Print { items, sep, end }, Type::None))
    }
}
