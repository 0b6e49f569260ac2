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

mod array;
mod call;
mod dict;
mod expr;
mod flow;
mod list;
mod loops;
mod numpy;
mod optional;
mod random;
mod set;
mod stmt;
mod tuple;

use expr::*;
use flow::*;
use numpy::*;
use tuple::pure;

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
    let params = parameters(def);
    let required = params.iter().take_while(|p| p.default.is_none()).count();
    if sig.args.len() > params.len() || sig.args.len() < required {
        let takes = if required == params.len() {
            format!("{required}")
        } else {
            format!("{required} to {}", params.len())
        };
        return Err(module.error(
            DiagKind::Signature,
            def.name.range,
            format!(
                "'{entry}' takes {takes} arguments but the signature gives {}",
                sig.args.len()
            ),
        ));
    }
    let mut cx = Inferer {
        module,
        options,
        instances: HashMap::new(),
        functions: Vec::new(),
        entry_key: (entry.to_string(), sig.args.clone()),
        entry_ret_abi: None,
    };
    let entry_id = cx.instantiate(entry, &sig.args, sig.ret.clone(), def.name.range)?;
    let mut functions: Vec<Function> = cx
        .functions
        .into_iter()
        .map(|f| f.expect("every instance finished"))
        .collect();
    // Clients are told the result holds Optionals (`optional(int64)`), laid out as the tuple
    // the kernel writes; a returned list (which leaves as an array) inside one too.
    let ret = &functions[entry_id].ret;
    let entry_ret_abi = match (cx.entry_ret_abi, ret) {
        (abi, ret) if !optional::holds_optional(ret) => abi,
        (None, ret) => Some(ret.clone()),
        (Some(abi), _) if optional::holds_optional(&abi) => Some(abi),
        (Some(abi), Type::Optional(_)) => Some(Type::Optional(Box::new(abi))),
        (Some(_), _) => {
            return Err(module.error(
                DiagKind::Unsupported,
                def.name.range,
                format!("'{entry}' returns a tuple holding both a list and an Optional"),
            ))
        }
    };
    functions.iter_mut().for_each(optional::lower_optionals);
    Ok(Program {
        functions,
        entry: entry_id,
        entry_ret_abi,
    })
}

/// Every parameter a call can bind, in order: positional-only, ordinary, keyword-only.
pub(crate) fn parameters(def: &ast::StmtFunctionDef) -> Vec<&ast::ParameterWithDefault> {
    def.parameters
        .posonlyargs
        .iter()
        .chain(def.parameters.args.iter())
        .chain(def.parameters.kwonlyargs.iter())
        .collect()
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
    /// The instance callers call: its lists leave it as arrays.
    entry_key: (String, Vec<Type>),
    entry_ret_abi: Option<Type>,
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
    /// Names bound to a `range(...)` (kept as hidden start/stop/step variables: a range is
    /// iterated or measured, not stored as a value).
    ranges: std::collections::HashSet<String>,
    /// Names bound to a dtype (`dt = a.dtype`): known when the kernel is typed, used where a
    /// dtype is (`dtype=dt`, `dt.type(v)`, `dt == np.float32`, `dt.itemsize`), never stored.
    dtypes: HashMap<String, Scalar>,
    /// A comprehension's variables: the name the source uses → the variable it is (Python 3
    /// gives a comprehension a scope of its own).
    aliases: HashMap<String, String>,
    /// Statements an expression needs to run first (a comprehension building its list): the
    /// statement being inferred runs them before itself.
    pre: Vec<Stmt>,
    /// Names bound to None (a parameter left at its default None, `x = None`): `x is None`
    /// is a constant there, and the branch it decides is the only one typed (Numba prunes the
    /// other the same way), so `if out is None: out = np.empty(n)` works.
    nones: std::collections::HashSet<String>,
    /// Names None on some paths and a value on others (Numba's Optional): using one is
    /// refused.
    maybe_none: std::collections::HashSet<String>,
    /// Module-level arrays this pass read: each is built once, at the function's entry, into a
    /// hidden variable (`$global:NAME`), whose statement is here.
    global_arrays: Vec<(String, Stmt)>,
    /// The parameters' variables.
    params: Vec<VarId>,
    /// Functions defined in this one's body: the name it binds → the lifted function and the
    /// variables of this one it reads (passed as its trailing parameters).
    local_functions: HashMap<String, (String, Vec<String>)>,
    /// How many `except:` blocks enclose the statement being typed (a bare `raise` re-raises).
    handler_depth: usize,
    /// The statement just typed leaves the block on every path (a `return`, or a constant
    /// `if` whose branch returns): the block's later statements never run and are not typed,
    /// as Numba drops them, so `if w is None: return a.sum()` followed by `return (a *
    /// w).sum()` works with `w` None.
    rest_unreachable: bool,
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
        if def.parameters.vararg.is_some() || def.parameters.kwarg.is_some() {
            return Err(self.module.error(
                DiagKind::Unsupported,
                def.parameters.range,
                "*args and **kwargs parameters",
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
        let params = parameters(def);

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
            ranges: Default::default(),
            aliases: HashMap::new(),
            dtypes: HashMap::new(),
            pre: Vec::new(),
            nones: Default::default(),
            maybe_none: Default::default(),
            global_arrays: Vec::new(),
            params: Vec::new(),
            local_functions: HashMap::new(),
            handler_depth: 0,
            rest_unreachable: false,
        };
        let mut none_params = std::collections::HashSet::new();
        let mut param_ids = Vec::new();
        for (p, ty) in params.iter().zip(args) {
            let name = p.parameter.name.id.to_string();
            if *ty == Type::None {
                // A None argument is not passed: the name is None inside.
                none_params.insert(name);
                continue;
            }
            let vid = fx.vars.len();
            fx.vars.push(Var {
                name: name.clone(),
                ty: ty.clone(),
            });
            fx.by_name.insert(name, vid);
            param_ids.push(vid);
        }
        fx.params = param_ids.clone();
        // Parameters the caller leaves out (an entry called with fewer arguments) start as
        // their defaults.
        let mut defaults = Vec::new();
        for p in params.iter().skip(args.len()) {
            let value = self.default_value(def, p)?;
            if value.ty == Type::None {
                none_params.insert(p.parameter.name.id.to_string());
                continue;
            }
            defaults.push((p.parameter.name.id.to_string(), value, p.range));
        }

        let mut last_estimate = self.instances[&key].ret_estimate.clone();
        let mut body;
        let mut passes = 0;
        loop {
            passes += 1;
            fx.changed = false;
            fx.deferred = None;
            fx.returns.clear();
            fx.hidden = 0;
            fx.nones = none_params.clone();
            fx.maybe_none.clear();
            fx.global_arrays.clear();
            let mut prefix = Vec::new();
            for (pname, value, range) in &defaults {
                match self.assign_var(&mut fx, pname, value.clone(), *range) {
                    Ok(s) => prefix.push(s),
                    Err(Fail::Error(e)) => return Err(e),
                    Err(Fail::Deferred { .. }) => unreachable!("defaults are constants"),
                }
            }
            body = self.block(&mut fx, &def.body)?;
            let mut globals: Vec<Stmt> = fx.global_arrays.drain(..).map(|(_, s)| s).collect();
            globals.append(&mut prefix);
            // A variable None on some paths starts as None: the paths that never assign it
            // read that.
            for (id, var) in fx.vars.iter().enumerate() {
                if matches!(var.ty, Type::Optional(_)) && !fx.params.contains(&id) {
                    globals.push(Stmt::Assign {
                        var: id,
                        value: none_expr().cast(&var.ty),
                    });
                }
            }
            globals.append(&mut body);
            body = globals;
            let ret = self.return_type(&fx, def, !always_returns(&body))?;
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
            Some(t) => {
                if matches!(last_estimate, Some(Type::Optional(_))) && !matches!(t, Type::Optional(_)) {
                    let how = if always_returns(&body) {
                        "returns None"
                    } else {
                        "falls off the end (returns None)"
                    };
                    return Err(self.module.error(
                        DiagKind::Type,
                        def.name.range,
                        format!("'{name}' is declared to return {t} but {how} on some paths (give it an optional({t}) result, as Numba's OptionalType)"),
                    ));
                }
                t
            }
            None => last_estimate.unwrap_or(Type::None),
        };
        if matches!(ret, Type::Optional(_)) && !always_returns(&body) {
            body.push(Stmt::Return(None));
        } else if ret != Type::None && !always_returns(&body) {
            return Err(self.module.error(
                DiagKind::Type,
                def.name.range,
                format!("'{name}' returns {ret} on some paths and falls off the end (None) on others; Numba would make this Optional, which kcache does not support"),
            ));
        }
        // A parameter assigned a wider type than it was passed as (`x = x / 2` of an int `x`)
        // is one variable of the unified type, as in Numba: the argument arrives in its own
        // type and converts on entry, so callers and the ABI keep the signature's type.
        let mut entry = Vec::new();
        let passed_types = args.iter().filter(|t| **t != Type::None);
        for (slot, ty) in param_ids.iter_mut().zip(passed_types) {
            let unified = fx.vars[*slot].ty.clone();
            let converts = |t: &Type| {
                t.scalar().is_some()
                    || t.tuple()
                        .is_some_and(|items| items.iter().all(|i| i.scalar().is_some()))
            };
            if unified == *ty || !converts(ty) || !converts(&unified) {
                continue;
            }
            let incoming = fx.vars.len();
            fx.vars.push(Var {
                name: format!("{}$arg", fx.vars[*slot].name),
                ty: ty.clone(),
            });
            entry.push(Stmt::Assign {
                var: *slot,
                value: Expr::new(ExprKind::Var(incoming), ty.clone()).cast(&unified),
            });
            *slot = incoming;
        }
        entry.append(&mut body);
        let body = entry;
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

    /// A parameter's default: a constant of the module (Numba freezes defaults when it compiles).
    fn default_value(&self, def: &ast::StmtFunctionDef, p: &ast::ParameterWithDefault) -> Result<Expr, CompileError> {
        let Some(default) = p.default.as_deref() else {
            return Err(self.module.error(
                DiagKind::Type,
                def.name.range,
                format!("'{}' missing required argument '{}'", def.name.id, p.parameter.name.id),
            ));
        };
        match self.module.eval_const(default) {
            Some(c) => Ok(const_expr(c)),
            None if matches!(default, PyExpr::NoneLiteral(_)) => Ok(none_expr()),
            None => Err(self.module.error(
                DiagKind::Unsupported,
                default.range(),
                format!(
                    "the default of '{}': kcache takes numbers and booleans",
                    p.parameter.name.id
                ),
            )),
        }
    }

    /// The result type the returns seen so far give: Optional when some paths return None
    /// (or fall off the end) and others a value.
    fn return_type(
        &self,
        fx: &FnCx,
        def: &ast::StmtFunctionDef,
        falls_off: bool,
    ) -> Result<Option<Type>, CompileError> {
        let mut ret: Option<Type> = None;
        let mut has_none = falls_off;
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
        match (has_none, ret, has_value) {
            (true, Some(t), Some(range)) => {
                let optional = unify(&t, &Type::None).or_else(|| crate::types::optional_of(t.clone()));
                optional.map(Some).ok_or_else(|| {
                    self.module.error(
                        DiagKind::Unsupported,
                        range,
                        format!(
                            "'{}' returns {t} on some paths and None on others: kcache makes Optionals of scalars, arrays and tuples of them only",
                            def.name.id
                        ),
                    )
                })
            }
            (true, _, _) => Ok(Some(Type::None)),
            (false, ret, _) => Ok(ret),
        }
    }
}
