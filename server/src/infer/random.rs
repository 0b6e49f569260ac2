//! `np.random.*` and Python's `random.*` in kernels: each call becomes a call of the
//! kernel-language library (`builtins/library.py`), which draws from the host's per-thread
//! generators with NumPy's legacy and CPython's algorithms.

use super::*;

impl<'m, 'src> Inferer<'m, 'src> {
    pub(super) fn random_call(&mut self, fx: &mut FnCx, module: PyModule, name: &str, args: &CallArgs) -> R<Expr> {
        match module {
            PyModule::NumpyRandom => self.numpy_random(fx, name, args),
            _ => self.python_random(fx, name, args),
        }
    }

    fn numpy_random(&mut self, fx: &mut FnCx, name: &str, args: &CallArgs) -> R<Expr> {
        let range = args.range;
        let what = format!("np.random.{name}");
        let lib = |this: &mut Self, f: &str, a: Vec<Expr>| this.library_call(f, a, range);
        match name {
            "seed" => {
                self.check_kwargs(args, &["seed"], &what)?;
                let s = self.required_arg(fx, args, 0, "seed", &Type::I64, &what)?;
                lib(self, "__kc_np_seed", vec![s])
            }
            "random" | "random_sample" | "ranf" | "sample" => {
                self.check_kwargs(args, &["size"], &what)?;
                match self.size_arg(fx, args, 0)? {
                    None => lib(self, "__kc_np_random", vec![]),
                    Some(shape) => lib(self, "__kc_np_random_array", vec![shape]),
                }
            }
            "rand" | "randn" => {
                self.check_kwargs(args, &[], &what)?;
                let normal = name == "randn";
                if args.pos.is_empty() {
                    return if normal {
                        lib(self, "__kc_np_normal", vec![float(0.0), float(1.0)])
                    } else {
                        lib(self, "__kc_np_random", vec![])
                    };
                }
                let dims = args.pos.iter().map(|p| self.int_arg(fx, p)).collect::<R<Vec<_>>>()?;
                let shape = Expr::new(ExprKind::Tuple(dims.clone()), Type::Tuple(vec![Type::I64; dims.len()]));
                if normal {
                    lib(self, "__kc_np_normal_array", vec![float(0.0), float(1.0), shape])
                } else {
                    lib(self, "__kc_np_random_array", vec![shape])
                }
            }
            "standard_normal" | "normal" | "uniform" | "exponential" | "standard_exponential" => {
                let (params, defaults): (&[&str], &[f64]) = match name {
                    "normal" => (&["loc", "scale"], &[0.0, 1.0]),
                    "uniform" => (&["low", "high"], &[0.0, 1.0]),
                    "exponential" => (&["scale"], &[1.0]),
                    _ => (&[], &[]),
                };
                let mut allowed: Vec<&str> = params.to_vec();
                allowed.push("size");
                self.check_kwargs(args, &allowed, &what)?;
                let mut values = Vec::new();
                for (k, (p, d)) in params.iter().zip(defaults).enumerate() {
                    values.push(match args.get(k, p) {
                        Some(e) => self.float_arg(fx, e, &what)?,
                        None => float(*d),
                    });
                }
                let base = match name {
                    "standard_normal" => {
                        values = vec![float(0.0), float(1.0)];
                        "__kc_np_normal"
                    }
                    "standard_exponential" => {
                        values = vec![float(1.0)];
                        "__kc_np_exponential"
                    }
                    "normal" => "__kc_np_normal",
                    "uniform" => "__kc_np_uniform",
                    _ => "__kc_np_exponential",
                };
                match self.size_arg(fx, args, params.len())? {
                    None => lib(self, base, values),
                    Some(shape) => {
                        values.push(shape);
                        lib(self, &format!("{base}_array"), values)
                    }
                }
            }
            "poisson" | "binomial" | "gamma" | "standard_gamma" | "beta" | "lognormal" | "geometric" | "laplace"
            | "gumbel" | "logistic" | "standard_t" | "chisquare" | "standard_cauchy" | "weibull" | "pareto" => {
                let (params, defaults): (&[&str], &[Option<f64>]) = match name {
                    "laplace" | "gumbel" | "logistic" => (&["loc", "scale"], &[Some(0.0), Some(1.0)]),
                    "standard_t" | "chisquare" => (&["df"], &[None]),
                    "standard_cauchy" => (&[], &[]),
                    "weibull" | "pareto" => (&["a"], &[None]),
                    "poisson" => (&["lam"], &[Some(1.0)]),
                    "binomial" => (&["n", "p"], &[None, None]),
                    "gamma" => (&["shape", "scale"], &[None, Some(1.0)]),
                    "standard_gamma" => (&["shape"], &[None]),
                    "beta" => (&["a", "b"], &[None, None]),
                    "lognormal" => (&["mean", "sigma"], &[Some(0.0), Some(1.0)]),
                    _ => (&["p"], &[None]),
                };
                let mut allowed: Vec<&str> = params.to_vec();
                allowed.push("size");
                self.check_kwargs(args, &allowed, &what)?;
                let mut values = Vec::new();
                for (k, (p, d)) in params.iter().zip(defaults).enumerate() {
                    values.push(match (args.get(k, p), d) {
                        (Some(e), _) if *p == "n" => self.int_arg(fx, e)?,
                        (Some(e), _) => self.float_arg(fx, e, &what)?,
                        (None, Some(d)) => float(*d),
                        (None, None) => return Err(self.err(DiagKind::Type, range, format!("{what} needs {p}"))),
                    });
                }
                match self.size_arg(fx, args, params.len())? {
                    None => lib(self, &format!("__kc_np_{name}"), values),
                    Some(shape) => {
                        values.push(shape);
                        lib(self, &format!("__kc_np_{name}_array"), values)
                    }
                }
            }
            "randint" => {
                self.check_kwargs(args, &["low", "high", "size"], &what)?;
                let low = self.required_arg(fx, args, 0, "low", &Type::I64, &what)?;
                let (low, high) = match args.get(1, "high") {
                    Some(PyExpr::NoneLiteral(_)) | None => (int(0), low),
                    Some(h) => (low, self.int_arg(fx, h)?),
                };
                match self.size_arg(fx, args, 2)? {
                    None => lib(self, "__kc_np_randint", vec![low, high]),
                    Some(shape) => lib(self, "__kc_np_randint_array", vec![low, high, shape]),
                }
            }
            "shuffle" | "permutation" => {
                self.check_kwargs(args, &["x"], &what)?;
                let x = args
                    .get(0, "x")
                    .ok_or_else(|| self.err(DiagKind::Type, range, format!("{what} needs x")))?;
                let v = self.expr(fx, x)?;
                match (&v.ty, name) {
                    (Type::Array(at), _) if at.ndim == 1 => {
                        let f = if name == "shuffle" {
                            "__kc_np_shuffle"
                        } else {
                            "__kc_np_permuted_copy"
                        };
                        lib(self, f, vec![v])
                    }
                    (t, "permutation") if t.scalar().is_some_and(|s| !s.is_float()) => {
                        lib(self, "__kc_np_permutation", vec![v.cast(&Type::I64)])
                    }
                    (t, _) => Err(self.err(DiagKind::Unsupported, x.range(), format!("{what} of {t} (a 1-D array)"))),
                }
            }
            "choice" => {
                self.check_kwargs(args, &["a", "size", "replace"], &what)?;
                let a = args
                    .get(0, "a")
                    .ok_or_else(|| self.err(DiagKind::Type, range, format!("{what} needs a")))?;
                let v = self.expr(fx, a)?;
                let without_replacement = match args.get(2, "replace") {
                    None => false,
                    Some(r) => {
                        let r = self.expr(fx, r)?;
                        match r.kind {
                            ExprKind::Const(ConstValue::Bool(b)) => !b,
                            _ => {
                                return Err(self.err(
                                    DiagKind::Unsupported,
                                    args.range,
                                    format!("{what} with replace= other than True or False written in the call"),
                                ))
                            }
                        }
                    }
                };
                if without_replacement {
                    // RandomState's way: the first `size` of a permutation of the population.
                    let Some(size) = args.get(1, "size") else {
                        return Err(self.err(
                            DiagKind::Unsupported,
                            args.range,
                            format!("{what} without replacement and without size"),
                        ));
                    };
                    let size = self.int_arg(fx, size)?;
                    return match &v.ty {
                        Type::Array(at) if at.ndim == 1 => {
                            lib(self, "__kc_np_choice_without_replacement", vec![v, size])
                        }
                        t if t.scalar().is_some_and(|s| !s.is_float()) => lib(
                            self,
                            "__kc_np_choice_range_without_replacement",
                            vec![v.cast(&Type::I64), size],
                        ),
                        t => Err(self.err(
                            DiagKind::Unsupported,
                            a.range(),
                            format!("{what} of {t} (an int or a 1-D array)"),
                        )),
                    };
                }
                let size = self.size_arg(fx, args, 1)?;
                match &v.ty {
                    Type::Array(at) if at.ndim == 1 => match size {
                        None => lib(self, "__kc_np_choice", vec![v]),
                        Some(shape) => lib(self, "__kc_np_choice_array", vec![v, shape]),
                    },
                    t if t.scalar().is_some_and(|s| !s.is_float()) => match size {
                        None => lib(self, "__kc_np_randint", vec![int(0), v.cast(&Type::I64)]),
                        Some(shape) => lib(self, "__kc_np_randint_array", vec![int(0), v.cast(&Type::I64), shape]),
                    },
                    t => Err(self.err(
                        DiagKind::Unsupported,
                        a.range(),
                        format!("{what} of {t} (an int or a 1-D array)"),
                    )),
                }
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("np.random.{other}"))),
        }
    }

    fn python_random(&mut self, fx: &mut FnCx, name: &str, args: &CallArgs) -> R<Expr> {
        let range = args.range;
        let what = format!("random.{name}");
        self.check_kwargs(args, &[], &what)?;
        let n = args.pos.len();
        let arity = |this: &Self, ok: bool| -> R<()> {
            if ok {
                Ok(())
            } else {
                Err(this.err(DiagKind::Type, range, format!("{what}() got {n} arguments")))
            }
        };
        match name {
            "seed" => {
                arity(self, n == 1)?;
                let s = self.int_arg(fx, args.pos[0])?;
                self.library_call("__kc_py_seed", vec![s], range)
            }
            "random" => {
                arity(self, n == 0)?;
                self.library_call("__kc_py_random", vec![], range)
            }
            "uniform" | "gauss" | "normalvariate" => {
                let defaults_ok = name == "gauss" && n == 0;
                arity(self, n == 2 || defaults_ok)?;
                let vals = if defaults_ok {
                    vec![float(0.0), float(1.0)]
                } else {
                    vec![
                        self.float_arg(fx, args.pos[0], &what)?,
                        self.float_arg(fx, args.pos[1], &what)?,
                    ]
                };
                self.library_call(&format!("__kc_py_{name}"), vals, range)
            }
            "expovariate" => {
                arity(self, n == 1)?;
                let l = self.float_arg(fx, args.pos[0], &what)?;
                self.library_call("__kc_py_expovariate", vec![l], range)
            }
            "randint" => {
                arity(self, n == 2)?;
                let a = self.int_arg(fx, args.pos[0])?;
                let b = self.int_arg(fx, args.pos[1])?;
                self.library_call("__kc_py_randint", vec![a, b], range)
            }
            "randrange" => {
                arity(self, (1..=3).contains(&n))?;
                let mut v = args.pos.iter().map(|p| self.int_arg(fx, p)).collect::<R<Vec<_>>>()?;
                let (start, stop, step) = match v.len() {
                    1 => (int(0), v.remove(0), int(1)),
                    2 => (v.remove(0), v.remove(0), int(1)),
                    _ => (v.remove(0), v.remove(0), v.remove(0)),
                };
                self.library_call("__kc_py_randrange", vec![start, stop, step], range)
            }
            "getrandbits" => {
                arity(self, n == 1)?;
                let k = self.int_arg(fx, args.pos[0])?;
                self.library_call("__kc_py_getrandbits", vec![k], range)
            }
            "shuffle" | "choice" => {
                arity(self, n == 1)?;
                let v = self.expr(fx, args.pos[0])?;
                if !(v.ty.list_item().is_some() || v.ty.array().is_some_and(|a| a.ndim == 1)) {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        format!("{what} of {} (a list or a 1-D array)", v.ty),
                    ));
                }
                self.library_call(&format!("__kc_py_{name}"), vec![v], range)
            }
            other => Err(self.err(DiagKind::Unsupported, range, format!("random.{other}"))),
        }
    }

    /// A `size=` (positional at `k`): None, an int, or a tuple of ints, as a shape tuple.
    fn size_arg(&mut self, fx: &mut FnCx, args: &CallArgs, k: usize) -> R<Option<Expr>> {
        let Some(e) = args.get(k, "size") else {
            return Ok(None);
        };
        if matches!(e, PyExpr::NoneLiteral(_)) {
            return Ok(None);
        }
        let v = self.expr(fx, e)?;
        let v = self.first_class(v, e.range())?;
        match &v.ty {
            Type::Tuple(items) if items.iter().all(|t| t.scalar().is_some_and(|s| !s.is_float())) => {
                let n = items.len();
                let dims = self.tuple_items(v).into_iter().map(|d| d.cast(&Type::I64)).collect();
                Ok(Some(Expr::new(ExprKind::Tuple(dims), Type::Tuple(vec![Type::I64; n]))))
            }
            t if t.scalar().is_some_and(|s| !s.is_float()) => Ok(Some(Expr::new(
                ExprKind::Tuple(vec![v.cast(&Type::I64)]),
                Type::Tuple(vec![Type::I64]),
            ))),
            t => Err(self.err(
                DiagKind::Type,
                e.range(),
                format!("size must be an int or a tuple of ints, not {t}"),
            )),
        }
    }

    fn required_arg(&mut self, fx: &mut FnCx, args: &CallArgs, k: usize, name: &str, ty: &Type, what: &str) -> R<Expr> {
        let e = args
            .get(k, name)
            .ok_or_else(|| self.err(DiagKind::Type, args.range, format!("{what} needs {name}")))?;
        if *ty == Type::I64 {
            self.int_arg(fx, e)
        } else {
            self.float_arg(fx, e, what)
        }
    }

    fn float_arg(&mut self, fx: &mut FnCx, e: &PyExpr, what: &str) -> R<Expr> {
        let v = self.expr(fx, e)?;
        if !v.ty.is_numeric() {
            return Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                format!("{what} with {} (numbers; arrays of parameters are not supported)", v.ty),
            ));
        }
        Ok(v.cast(&Type::F64))
    }
}

fn float(v: f64) -> Expr {
    const_expr(ConstValue::Float(v))
}

fn int(v: i64) -> Expr {
    const_expr(ConstValue::Int(v))
}
