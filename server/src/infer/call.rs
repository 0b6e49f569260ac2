//! Calls: functions of the same source (specialised per argument types, or converted to their
//! declared signatures) and builtins.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        if !call.arguments.keywords.is_empty() {
            return Err(self.err(
                DiagKind::Unsupported,
                call.arguments.range,
                "keyword arguments in calls",
            ));
        }
        let (module, name): (Option<PyModule>, String) = match &*call.func {
            PyExpr::Name(n) => {
                let id = n.id.as_str();
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
            PyExpr::Attribute(a) => match &*a.value {
                PyExpr::Name(base) if !fx.locals.contains(base.id.as_str()) => {
                    match self.module.imports.get(base.id.as_str()) {
                        Some(Imported::Module(m)) => (Some(*m), a.attr.id.to_string()),
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
                _ => return Err(self.err(DiagKind::Unsupported, a.range, format!("method '{}'", a.attr.id))),
            },
            other => return Err(self.err(DiagKind::Unsupported, other.range(), "calling this expression")),
        };
        let mut args = Vec::new();
        for a in call.arguments.args.iter() {
            if matches!(a, PyExpr::Starred(_)) {
                return Err(self.err(DiagKind::Unsupported, a.range(), "*args in calls"));
            }
            args.push(self.expr(fx, a)?);
        }
        self.builtin_call(module, &name, args, range)
    }

    pub(super) fn user_call(&mut self, fx: &mut FnCx, name: &str, call: &ast::ExprCall) -> R<Expr> {
        let range = call.range();
        let mut args = Vec::new();
        for a in call.arguments.args.iter() {
            args.push(self.expr(fx, a)?);
        }
        let def = &self.module.functions[name];
        let nparams = def.parameters.args.len() + def.parameters.posonlyargs.len();
        if nparams != args.len() {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("'{name}' takes {nparams} arguments but {} were given", args.len()),
            ));
        }
        for a in &args {
            if matches!(a.ty, Type::IntTuple(_) | Type::None) {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("cannot pass a value of type {} to '{name}'", a.ty),
                ));
            }
        }
        // A declared signature converts the arguments, as calling a Numba dispatcher with
        // explicit signatures does: the first signature every argument converts to wins.
        let info = self.module.decorator_info(def)?;
        let mut param_types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        let mut declared_ret = None;
        if let Some(info) = info.filter(|i| !i.signatures.is_empty()) {
            let mut chosen = None;
            let mut exact = None;
            for text in &info.signatures {
                let sig =
                    parse_signature(text).map_err(|e| self.err(DiagKind::Signature, def.name.range, e.to_string()))?;
                if sig.args.len() != args.len() {
                    continue;
                }
                if sig.args == param_types {
                    exact = Some(sig.clone());
                    break;
                }
                let converts = sig
                    .args
                    .iter()
                    .zip(&param_types)
                    .all(|(want, have)| match (want, have) {
                        (Type::Scalar(_), Type::Scalar(_)) => true,
                        (Type::Array(w), Type::Array(h)) => {
                            w.dtype == h.dtype
                                && w.ndim == h.ndim
                                && (w.layout == h.layout || w.layout == crate::types::Layout::A)
                        }
                        _ => false,
                    });
                if converts && chosen.is_none() {
                    chosen = Some(sig);
                }
            }
            let Some(sig) = exact.or(chosen) else {
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
                let args = args.into_iter().zip(&param_types).map(|(a, t)| a.cast(t)).collect();
                return Ok(Expr::new(ExprKind::Call { func: inst.id, args }, ret));
            }
            Some(inst) => inst.id,
            None => self.instantiate(name, &param_types, declared_ret, range)?,
        };
        let ret = self.functions[id].as_ref().expect("finished").ret.clone();
        let args = args.into_iter().zip(&param_types).map(|(a, t)| a.cast(t)).collect();
        Ok(Expr::new(ExprKind::Call { func: id, args }, ret))
    }

    pub(super) fn builtin_call(
        &self,
        module: Option<PyModule>,
        name: &str,
        args: Vec<Expr>,
        range: TextRange,
    ) -> R<Expr> {
        let n = args.len();
        let arity = |want: usize| -> R<()> {
            if n == want {
                Ok(())
            } else {
                Err(self.err(
                    DiagKind::Type,
                    range,
                    format!("{name}() takes {want} argument(s), {n} given"),
                ))
            }
        };
        let scalar_arg = |i: usize, args: &[Expr]| -> R<Scalar> {
            args[i].ty.scalar().ok_or_else(|| {
                self.err(
                    DiagKind::Type,
                    range,
                    format!("{name}() argument must be a number, not {}", args[i].ty),
                )
            })
        };
        // numpy scalar constructors and Numba type names used as casts: np.float32(x), int32(x).
        if matches!(module, Some(PyModule::Numpy) | Some(PyModule::Numba)) {
            if let Some(s) = Scalar::from_name(name) {
                arity(1)?;
                scalar_arg(0, &args)?;
                let mut args = args;
                return Ok(args.remove(0).cast(&Type::Scalar(s)));
            }
        }
        match (module, name) {
            (None, "len") => {
                arity(1)?;
                let Some(_) = args[0].ty.array() else {
                    return Err(self.err(
                        DiagKind::Type,
                        range,
                        format!("len() of {}", args[0].ty),
                    ));
                };
                let mut args = args;
                Ok(Expr::new(
                    ExprKind::ArrayDim {
                        array: Box::new(args.remove(0)),
                        dim: 0,
                    },
                    Type::I64,
                ))
            }
            (None, "int") => {
                arity(1)?;
                scalar_arg(0, &args)?;
                let mut args = args;
                Ok(args.remove(0).cast(&Type::I64))
            }
            (None, "float") => {
                arity(1)?;
                scalar_arg(0, &args)?;
                let mut args = args;
                Ok(args.remove(0).cast(&Type::F64))
            }
            (None, "bool") => {
                arity(1)?;
                scalar_arg(0, &args)?;
                let mut args = args;
                Ok(args.remove(0).cast(&Type::BOOL))
            }
            (None, "abs") | (Some(PyModule::Numpy), "abs" | "absolute") => {
                arity(1)?;
                let s = scalar_arg(0, &args)?;
                let mut args = args;
                let a = args.remove(0);
                if s.is_float() {
                    return Ok(Expr::new(
                        ExprKind::Math {
                            func: MathFn::Fabs,
                            args: vec![a],
                        },
                        Type::Scalar(s),
                    ));
                }
                if !s.is_signed() {
                    return Ok(a.cast(&Type::Scalar(widen(s))));
                }
                // |x| for ints as a conditional negation (wrapping on the minimum, like Numba).
                let t = Type::Scalar(widen(s));
                let a = a.cast(&t);
                let zero = const_expr(ConstValue::Int(0)).cast(&t);
                let neg = Expr::new(
                    ExprKind::Unary {
                        op: UnaryOp::Neg,
                        operand: Box::new(a.clone()),
                    },
                    t.clone(),
                );
                let cond = Expr::new(
                    ExprKind::Compare {
                        op: CmpOp::Lt,
                        lhs: Box::new(a.clone()),
                        rhs: Box::new(zero),
                    },
                    Type::BOOL,
                );
                Ok(Expr::new(
                    ExprKind::IfExp {
                        cond: Box::new(cond),
                        then: Box::new(neg),
                        orelse: Box::new(a),
                    },
                    t,
                ))
            }
            (None, "min" | "max") => {
                if n < 2 {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!("{name}() of {n} argument(s): give 2 or more scalars"),
                    ));
                }
                let mut ty = scalar_arg(0, &args)?;
                for i in 1..n {
                    ty = crate::types::unify_scalar(ty, scalar_arg(i, &args)?);
                }
                let t = Type::Scalar(ty);
                let args = args.into_iter().map(|a| a.cast(&t)).collect();
                Ok(Expr::new(
                    ExprKind::MinMax {
                        max: name == "max",
                        args,
                    },
                    t,
                ))
            }
            (None, "round") => {
                if n == 2 {
                    return Err(self.err(DiagKind::Unsupported, range, "round() with ndigits"));
                }
                arity(1)?;
                let s = scalar_arg(0, &args)?;
                let mut args = args;
                let a = args.remove(0);
                if !s.is_float() {
                    return Ok(a.cast(&Type::I64));
                }
                Ok(Expr::new(
                    ExprKind::Math {
                        func: MathFn::RoundEven,
                        args: vec![a],
                    },
                    Type::Scalar(s),
                )
                .cast(&Type::I64))
            }
            (None, "range") | (Some(PyModule::Numba), "prange") => Err(self.err(
                DiagKind::Unsupported,
                range,
                format!("{name}() outside a for loop"),
            )),
            (Some(PyModule::Math | PyModule::Numpy), _) => {
                self.math_call(module.expect("matched"), name, args, range)
            }
            (None, other) if BUILTINS.contains(&other) => Err(self.err(DiagKind::Unsupported, range, format!("the builtin '{other}'"))),
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

    pub(super) fn math_call(&self, module: PyModule, name: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
        let numpy = module == PyModule::Numpy;
        let func = match name {
            "sqrt" => MathFn::Sqrt,
            "exp" => MathFn::Exp,
            "exp2" => MathFn::Exp2,
            "expm1" => MathFn::Expm1,
            "log" => MathFn::Log,
            "log2" => MathFn::Log2,
            "log10" => MathFn::Log10,
            "log1p" => MathFn::Log1p,
            "sin" => MathFn::Sin,
            "cos" => MathFn::Cos,
            "tan" => MathFn::Tan,
            "asin" | "arcsin" => MathFn::Asin,
            "acos" | "arccos" => MathFn::Acos,
            "atan" | "arctan" => MathFn::Atan,
            "atan2" | "arctan2" => MathFn::Atan2,
            "sinh" => MathFn::Sinh,
            "cosh" => MathFn::Cosh,
            "tanh" => MathFn::Tanh,
            "asinh" | "arcsinh" => MathFn::Asinh,
            "acosh" | "arccosh" => MathFn::Acosh,
            "atanh" | "arctanh" => MathFn::Atanh,
            "erf" => MathFn::Erf,
            "erfc" => MathFn::Erfc,
            "gamma" => MathFn::Gamma,
            "lgamma" => MathFn::Lgamma,
            "floor" => MathFn::Floor,
            "ceil" => MathFn::Ceil,
            "trunc" => MathFn::Trunc,
            "fabs" => MathFn::Fabs,
            "copysign" => MathFn::Copysign,
            "hypot" => MathFn::Hypot,
            "pow" | "power" => MathFn::Pow,
            "fmod" => MathFn::Fmod,
            "isnan" => MathFn::IsNan,
            "isinf" => MathFn::IsInf,
            "isfinite" => MathFn::IsFinite,
            "minimum" if numpy => MathFn::NanMin,
            "maximum" if numpy => MathFn::NanMax,
            "rint" if numpy => MathFn::RoundEven,
            _ => return Err(self.err(DiagKind::Unsupported, range, format!("{}.{name}", module_name(module)))),
        };
        if args.len() != func.arity() {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "{}.{name}() takes {} argument(s), {} given",
                    module_name(module),
                    func.arity(),
                    args.len()
                ),
            ));
        }
        let mut ft = Scalar::F32;
        for a in &args {
            let Some(s) = a.ty.scalar() else {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!(
                        "{}.{name}() of {} (array arguments are not supported)",
                        module_name(module),
                        a.ty
                    ),
                ));
            };
            // float32 stays float32; every integer goes to float64.
            if s != Scalar::F32 {
                ft = Scalar::F64;
            }
        }
        let t = Type::Scalar(ft);
        let args: Vec<Expr> = args.into_iter().map(|a| a.cast(&t)).collect();
        if func.is_predicate() {
            return Ok(Expr::new(ExprKind::Math { func, args }, Type::BOOL));
        }
        let e = Expr::new(ExprKind::Math { func, args }, t);
        // math.floor/ceil/trunc return int in Python (numpy's keep the float).
        if !numpy && matches!(func, MathFn::Floor | MathFn::Ceil | MathFn::Trunc) {
            return Ok(e.cast(&Type::I64));
        }
        Ok(e)
    }
}

pub(super) fn module_name(m: PyModule) -> &'static str {
    match m {
        PyModule::Math => "math",
        PyModule::Numpy => "numpy",
        PyModule::Numba => "numba",
    }
}

/// Python builtins kcache recognises but does not compile (anything else is an unknown name).
pub(super) const BUILTINS: &[&str] = &[
    "print",
    "sum",
    "sorted",
    "list",
    "dict",
    "set",
    "tuple",
    "str",
    "repr",
    "isinstance",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "divmod",
    "pow",
    "hash",
    "id",
    "iter",
    "next",
    "open",
    "input",
    "complex",
    "reversed",
    "slice",
    "type",
];
