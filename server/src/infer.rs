//! Stages 2 and 3: resolve names of the entry's call graph and infer types by Numba's rules,
//! producing the typed IR. Each function is specialised for the argument types it is called with
//! (or converted to its declared signature, when its decorator gives one).

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr as PyExpr, Number, Stmt as PyStmt};
use ruff_text_size::{Ranged, TextRange};

use crate::diag::{CompileError, DiagKind};
use crate::parse::{math_constant, ConstValue, Imported, ParsedModule, PyModule};
use crate::signature::{parse_signature, Signature};
use crate::tir::*;
use crate::types::{arith_promote, unify, Scalar, Type};

/// Options that change the meaning of the code (the lowering reads the rest).
#[derive(Clone, Debug, Default)]
pub struct FrontOptions {
    pub parallel: bool,
}

/// Infers the program rooted at `entry` specialised for `sig`.
pub fn infer_program(
    module: &ParsedModule,
    entry: &str,
    sig: &Signature,
    options: &FrontOptions,
) -> Result<Program, CompileError> {
    let def = module
        .functions
        .get(entry)
        .ok_or_else(|| entry_missing(module, entry))?;
    if def.parameters.args.len() + def.parameters.posonlyargs.len() != sig.args.len() {
        return Err(module.error(
            DiagKind::Signature,
            def.name.range,
            format!(
                "'{entry}' takes {} arguments but the signature gives {}",
                def.parameters.args.len() + def.parameters.posonlyargs.len(),
                sig.args.len()
            ),
        ));
    }
    let mut cx = Inferer {
        module,
        options,
        instances: HashMap::new(),
        functions: Vec::new(),
    };
    let entry_id = cx.instantiate(entry, &sig.args, sig.ret.clone(), def.name.range)?;
    let functions = cx
        .functions
        .into_iter()
        .map(|f| f.expect("every instance finished"))
        .collect();
    Ok(Program {
        functions,
        entry: entry_id,
    })
}

pub fn entry_missing(module: &ParsedModule, entry: &str) -> CompileError {
    let mut names: Vec<&str> = module.functions.keys().map(|s| s.as_str()).collect();
    names.sort();
    CompileError::Source(crate::diag::Diagnostic {
        kind: DiagKind::Entry,
        line: 0,
        column: 0,
        message: if names.is_empty() {
            format!("no function named '{entry}': the source defines no functions")
        } else {
            format!("no function named '{entry}' (the source defines: {})", names.join(", "))
        },
    })
}

struct Instance {
    id: FuncId,
    /// The return type seen so far while the function is still being inferred (recursion).
    ret_estimate: Option<Type>,
    declared_ret: Option<Type>,
    finished: bool,
}

struct Inferer<'m, 'src> {
    module: &'m ParsedModule<'src>,
    options: &'m FrontOptions,
    instances: HashMap<(String, Vec<Type>), Instance>,
    functions: Vec<Option<Function>>,
}

/// Why an expression could not be typed yet: a variable read before any assignment was seen, or
/// a recursive call whose return type is not known yet. Another pass may resolve it.
#[derive(Debug)]
enum Fail {
    Deferred { name: String, range: TextRange },
    Error(CompileError),
}

impl From<CompileError> for Fail {
    fn from(e: CompileError) -> Self {
        Fail::Error(e)
    }
}

type R<T> = Result<T, Fail>;

/// The per-function state of one inference pass.
struct FnCx {
    key: (String, Vec<Type>),
    vars: Vec<Var>,
    by_name: HashMap<String, VarId>,
    /// Names assigned anywhere in the function: Python makes them locals.
    locals: std::collections::HashSet<String>,
    changed: bool,
    deferred: Option<(String, TextRange)>,
    loop_depth: usize,
    parallel_depth: usize,
    hidden: usize,
    returns: Vec<(Type, TextRange)>,
}

impl<'m, 'src> Inferer<'m, 'src> {
    fn err(&self, kind: DiagKind, range: TextRange, msg: impl Into<String>) -> Fail {
        Fail::Error(self.module.error(kind, range, msg))
    }

    /// A module-level name whose value kcache cannot know: refused where the kernel uses it,
    /// naming the statement that set it.
    fn opaque_global(&self, name: &str, o: &crate::parse::Opaque, range: TextRange) -> Fail {
        let place = if o.line > 0 {
            format!(" (set at line {}:{})", o.line, o.column)
        } else {
            String::new()
        };
        self.err(
            DiagKind::Unsupported,
            range,
            format!(
                "module-level name '{name}' has no value kcache can freeze into the kernel: {}{place}",
                o.reason
            ),
        )
    }

    fn instantiate(
        &mut self,
        name: &str,
        args: &[Type],
        declared_ret: Option<Type>,
        call_range: TextRange,
    ) -> Result<FuncId, CompileError> {
        let key = (name.to_string(), args.to_vec());
        if let Some(inst) = self.instances.get(&key) {
            return Ok(inst.id);
        }
        let def = self.module.functions.get(name).expect("caller checked the name");
        if def.parameters.vararg.is_some() || def.parameters.kwarg.is_some() || !def.parameters.kwonlyargs.is_empty() {
            return Err(self.module.error(
                DiagKind::Unsupported,
                def.parameters.range,
                "*args, **kwargs and keyword-only parameters",
            ));
        }
        if def.is_async {
            return Err(self.module.error(DiagKind::Unsupported, def.range, "async functions"));
        }
        let _ = call_range;
        let id = self.functions.len();
        self.functions.push(None);
        self.instances.insert(
            key.clone(),
            Instance {
                id,
                ret_estimate: declared_ret.clone(),
                declared_ret: declared_ret.clone(),
                finished: false,
            },
        );
        let params: Vec<&ast::ParameterWithDefault> = def
            .parameters
            .posonlyargs
            .iter()
            .chain(def.parameters.args.iter())
            .collect();

        let mut locals = std::collections::HashSet::new();
        collect_assigned(&def.body, &mut locals);
        for p in &params {
            locals.insert(p.parameter.name.id.to_string());
        }

        let mut fx = FnCx {
            key: key.clone(),
            vars: Vec::new(),
            by_name: HashMap::new(),
            locals,
            changed: false,
            deferred: None,
            loop_depth: 0,
            parallel_depth: 0,
            hidden: 0,
            returns: Vec::new(),
        };
        for (p, ty) in params.iter().zip(args) {
            let vid = fx.vars.len();
            fx.vars.push(Var {
                name: p.parameter.name.id.to_string(),
                ty: ty.clone(),
            });
            fx.by_name.insert(p.parameter.name.id.to_string(), vid);
        }
        let param_ids: Vec<VarId> = (0..params.len()).collect();

        let mut last_estimate = self.instances[&key].ret_estimate.clone();
        let mut body;
        let mut passes = 0;
        loop {
            passes += 1;
            fx.changed = false;
            fx.deferred = None;
            fx.returns.clear();
            fx.hidden = 0;
            body = self.block(&mut fx, &def.body)?;
            let ret = self.return_type(&fx, def)?;
            if declared_ret.is_none() {
                self.instances.get_mut(&key).expect("registered").ret_estimate = ret.clone();
            }
            let estimate_changed = ret != last_estimate;
            last_estimate = ret;
            if !fx.changed && !estimate_changed {
                if let Some((name, range)) = fx.deferred.take() {
                    return Err(self.module.error(
                        DiagKind::Name,
                        range,
                        if self.module.functions.contains_key(&name) {
                            format!("cannot infer the return type of recursive function '{name}': give it a signature or a base case that returns first")
                        } else {
                            format!("local variable '{name}' is used before it is assigned")
                        },
                    ));
                }
                break;
            }
            if passes > 64 {
                return Err(CompileError::Internal(format!(
                    "type inference of '{name}' did not converge"
                )));
            }
        }
        let ret = match declared_ret {
            Some(t) => t,
            None => last_estimate.unwrap_or(Type::None),
        };
        if ret != Type::None && !always_returns(&body) {
            return Err(self.module.error(
                DiagKind::Type,
                def.name.range,
                format!("'{name}' returns {ret} on some paths and falls off the end (None) on others; Numba would make this Optional, which kcache does not support"),
            ));
        }
        // Returns are cast to the final type now that it is known.
        let body = cast_returns(body, &ret);
        let suffix: Vec<String> = args.iter().map(|t| t.abi_name()).collect();
        let symbol = format!("{name}[{}]", suffix.join(","));
        self.functions[id] = Some(Function {
            name: name.to_string(),
            symbol,
            params: param_ids,
            vars: fx.vars,
            ret,
            body,
        });
        self.instances.get_mut(&key).expect("registered").finished = true;
        Ok(id)
    }

    fn return_type(&self, fx: &FnCx, def: &ast::StmtFunctionDef) -> Result<Option<Type>, CompileError> {
        let mut ret: Option<Type> = None;
        let mut has_none = false;
        let mut has_value: Option<TextRange> = None;
        for (ty, range) in &fx.returns {
            if *ty == Type::None {
                has_none = true;
                continue;
            }
            has_value.get_or_insert(*range);
            ret = Some(match &ret {
                None => ty.clone(),
                Some(prev) => unify(prev, ty).ok_or_else(|| {
                    self.module.error(
                        DiagKind::Type,
                        *range,
                        format!("cannot unify return types {prev} and {ty}"),
                    )
                })?,
            });
        }
        if has_none {
            if let Some(range) = has_value {
                return Err(self.module.error(
                    DiagKind::Type,
                    range,
                    format!(
                        "'{}' returns a value on some paths and None on others (Numba's Optional is not supported)",
                        def.name.id
                    ),
                ));
            }
            return Ok(Some(Type::None));
        }
        Ok(ret)
    }

    fn block(&mut self, fx: &mut FnCx, body: &[PyStmt]) -> Result<Vec<Stmt>, CompileError> {
        let mut out = Vec::new();
        for stmt in body {
            match self.stmt(fx, stmt, &mut out) {
                Ok(()) => {}
                Err(Fail::Deferred { name, range }) => {
                    fx.deferred.get_or_insert((name, range));
                }
                Err(Fail::Error(e)) => return Err(e),
            }
        }
        Ok(out)
    }

    fn assign_var(&mut self, fx: &mut FnCx, name: &str, value: Expr, range: TextRange) -> R<Stmt> {
        if matches!(value.ty, Type::None | Type::IntTuple(_)) {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("cannot assign a value of type {} to '{name}'", value.ty),
            ));
        }
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
        Ok(Stmt::Assign {
            var,
            value: value.cast(&ty),
        })
    }

    fn hidden_var(&mut self, fx: &mut FnCx, value: Expr, range: TextRange) -> R<(VarId, Stmt)> {
        let name = format!("${}", fx.hidden);
        fx.hidden += 1;
        let stmt = self.assign_var(fx, &name, value, range)?;
        Ok((fx.by_name[&name], stmt))
    }

    fn stmt(&mut self, fx: &mut FnCx, stmt: &PyStmt, out: &mut Vec<Stmt>) -> R<()> {
        match stmt {
            PyStmt::Expr(e) => {
                // Docstrings and other bare constants do nothing.
                if matches!(
                    &*e.value,
                    PyExpr::StringLiteral(_) | PyExpr::NumberLiteral(_) | PyExpr::EllipsisLiteral(_)
                ) {
                    return Ok(());
                }
                let value = self.expr(fx, &e.value)?;
                out.push(Stmt::Expr(value));
            }
            PyStmt::Pass(_) => {}
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
                        let current = self.name(fx, name)?;
                        let rhs = self.expr(fx, &aug.value)?;
                        let value = self.binary(op, current, rhs, aug.range)?;
                        out.push(self.assign_var(fx, name.id.as_str(), value, aug.range)?);
                    }
                    PyExpr::Subscript(sub) => {
                        let (array, indices) = self.subscript_parts(fx, sub)?;
                        let elem = Type::Scalar(array.ty.array().expect("subscript_parts checks").dtype);
                        // The array and indices are evaluated once, as Python does.
                        let (array_var, s1) = self.hidden_var(fx, array, sub.range)?;
                        out.push(s1);
                        let mut idx_vars = Vec::new();
                        for i in indices {
                            let (v, s) = self.hidden_var(fx, i, sub.range)?;
                            out.push(s);
                            idx_vars.push(v);
                        }
                        let array_expr = Expr::new(ExprKind::Var(array_var), fx.vars[array_var].ty.clone());
                        let idx_exprs: Vec<Expr> = idx_vars
                            .iter()
                            .map(|v| Expr::new(ExprKind::Var(*v), Type::I64))
                            .collect();
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
            PyStmt::If(s) => {
                let cond = self.condition(fx, &s.test)?;
                let then = self.block(fx, &s.body)?;
                let orelse = self.elif_chain(fx, &s.elif_else_clauses)?;
                out.push(Stmt::If { cond, then, orelse });
            }
            PyStmt::While(s) => {
                let cond = self.condition(fx, &s.test)?;
                fx.loop_depth += 1;
                let body = self.block(fx, &s.body);
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
                    Some(v) => {
                        let e = self.expr(fx, v)?;
                        if matches!(e.ty, Type::IntTuple(_)) {
                            return Err(self.err(DiagKind::Unsupported, v.range(), "returning a tuple"));
                        }
                        if let Type::Array(_) = e.ty {
                            return Err(self.err(DiagKind::Unsupported, v.range(), "returning an array"));
                        }
                        Some(e)
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
                    if !(d.is_numeric() && v.ty.is_numeric()) {
                        return Err(self.err(
                            DiagKind::Type,
                            r.range,
                            format!("cannot convert {} to the declared return type {d}", v.ty),
                        ));
                    }
                } else if let (Some(d), None) = (&declared, &value) {
                    if *d != Type::None {
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
                    return Err(self.err(DiagKind::Unsupported, r.range, "bare 'raise'"));
                };
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

    fn elif_chain(&mut self, fx: &mut FnCx, clauses: &[ast::ElifElseClause]) -> R<Vec<Stmt>> {
        let Some((first, rest)) = clauses.split_first() else {
            return Ok(Vec::new());
        };
        match &first.test {
            None => Ok(self.block(fx, &first.body)?),
            Some(test) => {
                let cond = self.condition(fx, test)?;
                let then = self.block(fx, &first.body)?;
                let orelse = self.elif_chain(fx, rest)?;
                Ok(vec![Stmt::If { cond, then, orelse }])
            }
        }
    }

    fn assign_target(
        &mut self,
        fx: &mut FnCx,
        target: &PyExpr,
        value: &PyExpr,
        range: TextRange,
        out: &mut Vec<Stmt>,
    ) -> R<()> {
        match target {
            PyExpr::Name(name) => {
                let v = self.expr(fx, value)?;
                out.push(self.assign_var(fx, name.id.as_str(), v, target.range())?);
            }
            PyExpr::Subscript(sub) => {
                let (array, indices) = self.subscript_parts(fx, sub)?;
                let elem = Type::Scalar(array.ty.array().expect("checked").dtype);
                let v = self.expr(fx, value)?;
                self.check_store(&v.ty, &elem, range)?;
                out.push(Stmt::SetItem {
                    array,
                    indices,
                    value: v.cast(&elem),
                });
            }
            PyExpr::Tuple(t) => {
                let names: Vec<&ast::ExprName> = t
                    .elts
                    .iter()
                    .map(|e| match e {
                        PyExpr::Name(n) => Ok(n),
                        other => Err(self.err(
                            DiagKind::Unsupported,
                            other.range(),
                            "unpacking into anything but plain names",
                        )),
                    })
                    .collect::<R<_>>()?;
                match value {
                    PyExpr::Tuple(vt) => {
                        if vt.elts.len() != names.len() {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!("cannot unpack {} values into {} names", vt.elts.len(), names.len()),
                            ));
                        }
                        // Evaluate every right-hand value before assigning any (a, b = b, a).
                        let mut temps = Vec::new();
                        for e in vt.elts.iter() {
                            let v = self.expr(fx, e)?;
                            let (tv, s) = self.hidden_var(fx, v, e.range())?;
                            out.push(s);
                            temps.push(tv);
                        }
                        for (n, tv) in names.iter().zip(temps) {
                            let e = Expr::new(ExprKind::Var(tv), fx.vars[tv].ty.clone());
                            out.push(self.assign_var(fx, n.id.as_str(), e, n.range)?);
                        }
                    }
                    _ => {
                        let v = self.expr(fx, value)?;
                        let Type::IntTuple(len) = v.ty else {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!("cannot unpack a value of type {}", v.ty),
                            ));
                        };
                        if len as usize != names.len() {
                            return Err(self.err(
                                DiagKind::Type,
                                range,
                                format!("cannot unpack {len} values into {} names", names.len()),
                            ));
                        }
                        let ExprKind::ArrayDim { array, .. } = v.kind else {
                            return Err(self.err(DiagKind::Unsupported, range, "unpacking this tuple"));
                        };
                        for (d, n) in names.iter().enumerate() {
                            let e = Expr::new(
                                ExprKind::ArrayDim {
                                    array: array.clone(),
                                    dim: d as u8,
                                },
                                Type::I64,
                            );
                            out.push(self.assign_var(fx, n.id.as_str(), e, n.range)?);
                        }
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

    fn check_store(&self, value: &Type, elem: &Type, range: TextRange) -> R<()> {
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

    fn for_stmt(&mut self, fx: &mut FnCx, s: &ast::StmtFor, out: &mut Vec<Stmt>) -> R<()> {
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
                if at.ndim != 1 {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        iter.range(),
                        "iterating over a multi-dimensional array",
                    ));
                }
                let (array_var, s1) = self.hidden_var(fx, array, iter.range())?;
                out.push(s1);
                let arr = Expr::new(ExprKind::Var(array_var), fx.vars[array_var].ty.clone());
                let (idx_var, s2) = self.hidden_var(
                    fx,
                    Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64),
                    iter.range(),
                )?;
                out.push(s2);
                let elem = Expr::new(
                    ExprKind::GetItem {
                        array: Box::new(arr.clone()),
                        indices: vec![Expr::new(ExprKind::Var(idx_var), Type::I64)],
                    },
                    Type::Scalar(at.dtype),
                );
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
    fn is_range_call(&self, func: &PyExpr) -> Option<bool> {
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

    fn condition(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let v = self.expr(fx, e)?;
        self.truthy(v, e.range())
    }

    fn truthy(&self, v: Expr, range: TextRange) -> R<Expr> {
        match &v.ty {
            Type::Scalar(_) => Ok(v.cast(&Type::BOOL)),
            other => Err(self.err(
                DiagKind::Type,
                range,
                format!("the truth value of {other} is not supported"),
            )),
        }
    }

    fn name(&mut self, fx: &mut FnCx, n: &ast::ExprName) -> R<Expr> {
        let id = n.id.as_str();
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

    fn expr(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        let range = e.range();
        match e {
            PyExpr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(v) => Ok(const_expr(ConstValue::Int(v))),
                    None => Err(self.err(DiagKind::Type, range, "integer literal does not fit in int64")),
                },
                Number::Float(f) => Ok(const_expr(ConstValue::Float(*f))),
                Number::Complex { .. } => Err(self.err(DiagKind::Unsupported, range, "complex numbers")),
            },
            PyExpr::BooleanLiteral(b) => Ok(const_expr(ConstValue::Bool(b.value))),
            PyExpr::Name(n) => self.name(fx, n),
            PyExpr::BinOp(b) => {
                let op = binop(b.op).ok_or_else(|| self.err(DiagKind::Unsupported, range, "the @ operator"))?;
                let lhs = self.expr(fx, &b.left)?;
                let rhs = self.expr(fx, &b.right)?;
                self.binary(op, lhs, rhs, range)
            }
            PyExpr::UnaryOp(u) => {
                let operand = self.expr(fx, &u.operand)?;
                let Some(s) = operand.ty.scalar() else {
                    return Err(self.err(DiagKind::Type, range, format!("unary operator on {}", operand.ty)));
                };
                match u.op {
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
                        if s.is_float() {
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
            PyExpr::Compare(c) => {
                let mut left = self.expr(fx, &c.left)?;
                let mut result: Option<Expr> = None;
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let r = self.expr(fx, right)?;
                    let cmp = self.compare(*op, left.clone(), r.clone(), range)?;
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
                let mut values = Vec::new();
                for v in &b.values {
                    values.push(self.expr(fx, v)?);
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
                let and = matches!(b.op, ast::BoolOp::And);
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
            PyExpr::Subscript(sub) => {
                // `a.shape[k]` with a constant k.
                if let PyExpr::Attribute(attr) = &*sub.value {
                    if attr.attr.id.as_str() == "shape" || attr.attr.id.as_str() == "strides" {
                        let base = self.expr(fx, &sub.value)?;
                        if let Type::IntTuple(n) = base.ty {
                            let k = self.const_index(&sub.slice, n)?;
                            let ExprKind::ArrayDim { array, .. } = base.kind else {
                                unreachable!()
                            };
                            return Ok(Expr::new(ExprKind::ArrayDim { array, dim: k }, Type::I64));
                        }
                    }
                }
                let (array, indices) = self.subscript_parts(fx, sub)?;
                let elem = Type::Scalar(array.ty.array().expect("checked").dtype);
                Ok(Expr::new(
                    ExprKind::GetItem {
                        array: Box::new(array),
                        indices,
                    },
                    elem,
                ))
            }
            PyExpr::Attribute(attr) => self.attribute(fx, attr),
            PyExpr::Call(call) => self.call(fx, call),
            PyExpr::Tuple(_) => Err(self.err(DiagKind::Unsupported, range, "tuples outside of unpacking assignments")),
            PyExpr::List(_) | PyExpr::ListComp(_) => Err(self.err(DiagKind::Unsupported, range, "lists")),
            PyExpr::Dict(_) | PyExpr::DictComp(_) => Err(self.err(DiagKind::Unsupported, range, "dicts")),
            PyExpr::Set(_) | PyExpr::SetComp(_) => Err(self.err(DiagKind::Unsupported, range, "sets")),
            PyExpr::StringLiteral(_) | PyExpr::FString(_) | PyExpr::BytesLiteral(_) => {
                Err(self.err(DiagKind::Unsupported, range, "strings"))
            }
            PyExpr::NoneLiteral(_) => Err(self.err(DiagKind::Unsupported, range, "None as a value")),
            PyExpr::Lambda(_) => Err(self.err(DiagKind::Unsupported, range, "lambda")),
            PyExpr::Generator(_) => Err(self.err(DiagKind::Unsupported, range, "generator expressions")),
            PyExpr::Slice(_) => Err(self.err(DiagKind::Unsupported, range, "slices")),
            PyExpr::Named(_) => Err(self.err(DiagKind::Unsupported, range, "the walrus operator")),
            _ => Err(self.err(DiagKind::Unsupported, range, "this expression")),
        }
    }

    fn const_index(&self, e: &PyExpr, len: u8) -> R<u8> {
        match self.module.eval_const(e) {
            Some(ConstValue::Int(k)) => {
                let k = if k < 0 { k + len as i64 } else { k };
                if (0..len as i64).contains(&k) {
                    Ok(k as u8)
                } else {
                    Err(self.err(
                        DiagKind::Type,
                        e.range(),
                        format!("tuple index out of range (the tuple has {len} items)"),
                    ))
                }
            }
            _ => Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                "indexing a shape with anything but an integer constant",
            )),
        }
    }

    fn subscript_parts(&mut self, fx: &mut FnCx, sub: &ast::ExprSubscript) -> R<(Expr, Vec<Expr>)> {
        let array = self.expr(fx, &sub.value)?;
        let Some(at) = array.ty.array() else {
            return Err(self.err(
                DiagKind::Type,
                sub.value.range(),
                format!("cannot index a value of type {}", array.ty),
            ));
        };
        let idx_exprs: Vec<&PyExpr> = match &*sub.slice {
            PyExpr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        if idx_exprs.len() != at.ndim as usize {
            if idx_exprs.len() < at.ndim as usize {
                return Err(self.err(
                    DiagKind::Unsupported,
                    sub.slice.range(),
                    format!("indexing a {}-d array with {} index (array views are not supported; give one index per dimension)", at.ndim, idx_exprs.len()),
                ));
            }
            return Err(self.err(
                DiagKind::Type,
                sub.slice.range(),
                format!("too many indices for a {}-d array", at.ndim),
            ));
        }
        let mut indices = Vec::new();
        for ie in idx_exprs {
            if matches!(ie, PyExpr::Slice(_)) {
                return Err(self.err(DiagKind::Unsupported, ie.range(), "slices (array views)"));
            }
            let i = self.expr(fx, ie)?;
            match i.ty.scalar() {
                Some(s) if s.is_int() || s == Scalar::Bool => indices.push(i.cast(&Type::I64)),
                _ => {
                    return Err(self.err(
                        DiagKind::Type,
                        ie.range(),
                        format!("array indices must be integers, not {}", i.ty),
                    ))
                }
            }
        }
        Ok((array, indices))
    }

    fn attribute(&mut self, fx: &mut FnCx, attr: &ast::ExprAttribute) -> R<Expr> {
        let range = attr.range;
        let name = attr.attr.id.as_str();
        if let PyExpr::Name(base) = &*attr.value {
            if !fx.locals.contains(base.id.as_str()) {
                if let Some(Imported::Module(m)) = self.module.imports.get(base.id.as_str()) {
                    if matches!(m, PyModule::Math | PyModule::Numpy) {
                        if let Some(v) = math_constant(name) {
                            return Ok(const_expr(ConstValue::Float(v)));
                        }
                    }
                    return Err(self.err(DiagKind::Unsupported, range, format!("'{}.{name}' as a value", base.id)));
                }
            }
        }
        let value = self.expr(fx, &attr.value)?;
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
            _ => Err(self.err(DiagKind::Unsupported, range, format!("array attribute '{name}'"))),
        }
    }

    fn binary(&self, op: BinOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
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
        let (operand, result) = match op {
            BinOp::TrueDiv => {
                let t = if t.is_float() { t } else { Scalar::F64 };
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

    fn compare(&self, op: ast::CmpOp, lhs: Expr, rhs: Expr, range: TextRange) -> R<Expr> {
        let cop = match op {
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
        };
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

    fn call(&mut self, fx: &mut FnCx, call: &ast::ExprCall) -> R<Expr> {
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

    fn user_call(&mut self, fx: &mut FnCx, name: &str, call: &ast::ExprCall) -> R<Expr> {
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

    fn builtin_call(&self, module: Option<PyModule>, name: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
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

    fn math_call(&self, module: PyModule, name: &str, args: Vec<Expr>, range: TextRange) -> R<Expr> {
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

fn const_expr(c: ConstValue) -> Expr {
    let ty = match c {
        ConstValue::Bool(_) => Type::BOOL,
        ConstValue::Int(_) => Type::I64,
        ConstValue::Float(_) => Type::F64,
    };
    Expr::new(ExprKind::Const(c), ty)
}

/// Integers narrower than intp widen to intp in arithmetic; bool becomes int64.
fn widen(s: Scalar) -> Scalar {
    match s {
        Scalar::F32 | Scalar::F64 | Scalar::U64 => s,
        s if s.is_int() && !s.is_signed() => Scalar::U64,
        _ => Scalar::I64,
    }
}

fn binop(op: ast::Operator) -> Option<BinOp> {
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

fn op_symbol(op: BinOp) -> &'static str {
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

fn module_name(m: PyModule) -> &'static str {
    match m {
        PyModule::Math => "math",
        PyModule::Numpy => "numpy",
        PyModule::Numba => "numba",
    }
}

fn stmt_name(s: &PyStmt) -> &'static str {
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

/// Python builtins kcache recognises but does not compile (anything else is an unknown name).
const BUILTINS: &[&str] = &[
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

fn is_exception_name(name: &str) -> bool {
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
    )
}

fn collect_assigned(body: &[PyStmt], out: &mut std::collections::HashSet<String>) {
    fn target(e: &PyExpr, out: &mut std::collections::HashSet<String>) {
        match e {
            PyExpr::Name(n) => {
                out.insert(n.id.to_string());
            }
            PyExpr::Tuple(t) => t.elts.iter().for_each(|x| target(x, out)),
            PyExpr::List(t) => t.elts.iter().for_each(|x| target(x, out)),
            _ => {}
        }
    }
    for s in body {
        match s {
            PyStmt::Assign(a) => a.targets.iter().for_each(|t| target(t, out)),
            PyStmt::AnnAssign(a) => target(&a.target, out),
            PyStmt::AugAssign(a) => target(&a.target, out),
            PyStmt::For(f) => {
                target(&f.target, out);
                collect_assigned(&f.body, out);
                collect_assigned(&f.orelse, out);
            }
            PyStmt::While(w) => {
                collect_assigned(&w.body, out);
                collect_assigned(&w.orelse, out);
            }
            PyStmt::If(i) => {
                collect_assigned(&i.body, out);
                for c in &i.elif_else_clauses {
                    collect_assigned(&c.body, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether `body` returns or raises out of a loop, or (at `top` level) breaks out of it.
fn exits_early(body: &[Stmt], top: bool) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(_) => true,
        Stmt::Break => top,
        Stmt::If { then, orelse, .. } => exits_early(then, top) || exits_early(orelse, top),
        Stmt::While { body, orelse, .. } | Stmt::ForRange { body, orelse, .. } => {
            exits_early(body, false) || exits_early(orelse, top)
        }
        _ => false,
    })
}

/// Whether control can never fall off the end of `body`.
fn always_returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::If { then, orelse, .. } => always_returns(then) && always_returns(orelse),
        Stmt::While { cond, body, .. } => {
            matches!(cond.kind, ExprKind::Const(ConstValue::Bool(true))) && !contains_break(body)
        }
        _ => false,
    })
}

fn contains_break(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Break => true,
        Stmt::If { then, orelse, .. } => contains_break(then) || contains_break(orelse),
        _ => false,
    })
}

fn cast_returns(body: Vec<Stmt>, ret: &Type) -> Vec<Stmt> {
    body.into_iter()
        .map(|s| match s {
            Stmt::Return(Some(e)) => Stmt::Return(Some(e.cast(ret))),
            Stmt::If { cond, then, orelse } => Stmt::If {
                cond,
                then: cast_returns(then, ret),
                orelse: cast_returns(orelse, ret),
            },
            Stmt::While { cond, body, orelse } => Stmt::While {
                cond,
                body: cast_returns(body, ret),
                orelse: cast_returns(orelse, ret),
            },
            Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body,
                orelse,
                parallel,
            } => Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body: cast_returns(body, ret),
                orelse: cast_returns(orelse, ret),
                parallel,
            },
            other => other,
        })
        .collect()
}
