//! Module-level names, as Python would have them after importing the file: a small, safe
//! interpreter for the statements that set them. Kernels freeze module-level numbers into their
//! code (as Numba freezes globals), so the value must be the one Python computes: `N = 1` then
//! `N += 10` is 11, a constant built in a `for` loop or chosen by an `if` has the value the loop
//! or branch gives, and `np.float32(1e-6)` stays a float32.
//!
//! What the interpreter cannot evaluate exactly (a call into another library, a condition on
//! something unknown, NumPy's own transcendental functions) makes every name it may set
//! *opaque*: a kernel that uses such a name is refused with the statement's line and the reason,
//! never compiled with a value Python would not have.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, BoolOp, Expr, Number, Stmt};
use ruff_text_size::TextRange;

use crate::diag::SourceMap;
use crate::parse::{ConstValue, Imported, PyModule};
use crate::types::Scalar;

mod arrays;
mod calls;
mod scan;
mod value;

use calls::*;
use scan::*;
use value::*;

/// A module-level number a kernel may use, with the type Numba gives it: a Python `int` is
/// int64 (uint64 when only that holds it), a `float` float64, a `bool` boolean, and a NumPy
/// scalar (`np.float32(...)`, `np.int8(...)`) keeps its own type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frozen {
    pub value: ConstValue,
    pub ty: Scalar,
}

impl Frozen {
    /// The value and its type, as the action key records them.
    pub fn canonical(&self) -> String {
        format!("{}:{}", self.ty.name(), self.value.canonical())
    }
}

/// A module-level NumPy array built from a literal (`W = np.array([[1.0, 2.0], [3.0, 4.0]])`):
/// kernels read it as a constant, as Numba freezes global arrays into the compiled code.
#[derive(Clone, Debug, PartialEq)]
pub struct FrozenArray {
    pub dtype: Scalar,
    pub shape: Vec<usize>,
    /// The items in C order, each of `dtype`.
    pub values: Vec<ConstValue>,
}

impl FrozenArray {
    /// Everything the compiled code depends on, as the action key records it.
    pub fn canonical(&self) -> String {
        let values: Vec<String> = self.values.iter().map(|v| v.canonical()).collect();
        format!("{}{:?}[{}]", self.dtype.name(), self.shape, values.join(","))
    }
}

/// Bound on a frozen array's items: its values travel in the source and the action key.
const MAX_FROZEN_ITEMS: usize = 1 << 16;

/// A module-level name whose value kcache cannot know exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opaque {
    /// 1-based line and column of the statement that set it.
    pub line: u32,
    pub column: u32,
    pub reason: String,
}

/// Everything the module binds at its top level once it has run.
#[derive(Default)]
pub struct ModuleNames {
    pub functions: HashMap<String, ast::StmtFunctionDef>,
    pub constants: HashMap<String, Frozen>,
    /// Module-level tuples of numbers (`COEFS = (1.0, -2.0, 0.5)`), frozen item by item.
    pub tuples: HashMap<String, Vec<Frozen>>,
    pub arrays: HashMap<String, FrozenArray>,
    pub imports: HashMap<String, Imported>,
    pub opaque: HashMap<String, Opaque>,
}

/// Statements the interpreter runs before it gives up on a loop (then the names the loop sets
/// are opaque): generous for tables built at import time, small enough to answer in milliseconds.
const STEP_BUDGET: u64 = 200_000;
/// Expressions nested deeper than this are not evaluated (their targets become opaque).
const MAX_EVAL_DEPTH: u32 = 100;

/// Runs the module's top-level statements.
pub fn execute(body: &[Stmt], map: &SourceMap) -> ModuleNames {
    let mut it = Interpreter {
        map,
        names: HashMap::new(),
        steps: 0,
        failed: false,
    };
    for stmt in body {
        // Each top-level statement has its own budget, so one long loop costs only its names.
        it.steps = 0;
        match it.stmt(stmt) {
            Flow::Raise => break,
            Flow::Abandon => it.poison_block(std::slice::from_ref(stmt), TOO_LONG),
            Flow::Normal | Flow::Break | Flow::Continue => {}
        }
    }
    // Names a function rebinds with `global`, or a walrus sets, change behind the statements.
    let mut hidden = Vec::new();
    hidden_bindings(body, &mut hidden);
    for (name, range, reason) in hidden {
        it.poison(&name, range, reason);
    }
    it.finish()
}

const TOO_LONG: &str = "set by module-level code that runs too long for kcache to evaluate";

#[derive(Clone, Debug)]
enum Binding {
    Value(Value),
    Function(Box<ast::StmtFunctionDef>),
    Opaque(Opaque),
}

/// How a block ended.
enum Flow {
    Normal,
    Break,
    Continue,
    /// A `raise` ran: the import would fail here, nothing after it runs.
    Raise,
    /// The step budget ran out: the enclosing loop's names become opaque.
    Abandon,
}

struct Interpreter<'a, 'src> {
    map: &'a SourceMap<'src>,
    names: HashMap<String, Binding>,
    steps: u64,
    /// Set when an evaluation failed since it was last cleared: inside `try`, a statement that
    /// may have raised.
    failed: bool,
}

impl Interpreter<'_, '_> {
    fn opaque(&self, range: TextRange, reason: impl Into<String>) -> Opaque {
        let (line, column) = self.map.line_col(range.start());
        Opaque {
            line,
            column,
            reason: reason.into(),
        }
    }

    fn bind(&mut self, name: &str, b: Binding) {
        self.names.insert(name.to_string(), b);
    }

    fn poison(&mut self, name: &str, range: TextRange, reason: &str) {
        let o = self.opaque(range, reason);
        self.bind(name, Binding::Opaque(o));
    }

    /// Every name the statements may bind gets `reason`: for code that may or may not run.
    fn poison_block(&mut self, body: &[Stmt], reason: &str) {
        let mut names = Vec::new();
        bound_names(body, &mut names);
        for (name, range) in names {
            self.poison(&name, range, reason);
        }
    }

    fn block(&mut self, body: &[Stmt]) -> Flow {
        for stmt in body {
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return Flow::Abandon;
            }
            match self.stmt(stmt) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    /// A loop that ran out of budget: whatever it may have set is opaque.
    fn abandon_loop(&mut self, target: Option<&Expr>, body: &[Stmt], orelse: &[Stmt], range: TextRange) -> Flow {
        if let Some(t) = target {
            self.assign(t, Err(TOO_LONG.into()), range);
        }
        self.poison_block(body, TOO_LONG);
        self.poison_block(orelse, TOO_LONG);
        Flow::Normal
    }

    fn stmt(&mut self, stmt: &Stmt) -> Flow {
        match stmt {
            Stmt::FunctionDef(def) => {
                self.bind(def.name.id.as_str(), Binding::Function(Box::new(def.clone())));
            }
            Stmt::ClassDef(c) => self.poison(c.name.id.as_str(), c.range, "a class, not a number"),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.as_str();
                    let root = full.split('.').next().unwrap_or(full);
                    let bound = alias.asname.as_ref().map(|a| a.id.as_str()).unwrap_or(root);
                    // `import numpy.linalg as la` binds the submodule, which kernels cannot use
                    // (`numpy.random` they can).
                    let module = if alias.asname.is_some() && full == "numpy.random" {
                        Some(PyModule::NumpyRandom)
                    } else if alias.asname.is_some() && full == "numpy.linalg" {
                        Some(PyModule::NumpyLinalg)
                    } else if alias.asname.is_some() && full.contains('.') {
                        None
                    } else {
                        known_module(root)
                    };
                    // `import numba.typed as typed` (how kcache's Python package sends a module
                    // global `typed`) names Numba's `typed`, as `from numba import typed` does.
                    if let (Some(_), Some(PyModule::Numba), Some((_, sub))) =
                        (&alias.asname, known_module(root), full.split_once('.'))
                    {
                        self.bind(
                            bound,
                            Binding::Value(Value::Member(Some(PyModule::Numba), sub.to_string())),
                        );
                        continue;
                    }
                    match module {
                        Some(m) => self.bind(bound, Binding::Value(Value::Module(m))),
                        None => {
                            // An import kcache cannot check may fail (ImportError).
                            self.failed = true;
                            self.poison(
                                bound,
                                alias.range,
                                &format!("the module '{full}', which kernels cannot use"),
                            )
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map(|m| m.id.as_str()).unwrap_or("");
                let root = module.split('.').next().unwrap_or("");
                let known = match (import.level, module) {
                    (0, "numpy.random") => Some(PyModule::NumpyRandom),
                    (0, "numpy.linalg") => Some(PyModule::NumpyLinalg),
                    (0, _) => known_module(root),
                    _ => None,
                };
                for alias in &import.names {
                    let name = alias.name.id.as_str();
                    let bound = alias.asname.as_ref().map(|a| a.id.as_str()).unwrap_or(name);
                    if name == "*" {
                        continue;
                    }
                    match known {
                        // `from numpy import random` binds the submodule.
                        Some(PyModule::Numpy) if name == "random" => {
                            self.bind(bound, Binding::Value(Value::Module(PyModule::NumpyRandom)))
                        }
                        Some(PyModule::Numpy) if name == "linalg" => {
                            self.bind(bound, Binding::Value(Value::Module(PyModule::NumpyLinalg)))
                        }
                        Some(m) => self.bind(bound, Binding::Value(Value::Member(Some(m), name.to_string()))),
                        None => {
                            self.failed = true;
                            self.poison(
                                bound,
                                alias.range,
                                &format!("imported from '{module}', which kernels cannot use"),
                            )
                        }
                    }
                }
            }
            Stmt::Assign(assign) => {
                let value = self.eval(&assign.value, 0);
                for target in &assign.targets {
                    self.assign(target, value.clone(), assign.range);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(v) = &assign.value {
                    let value = self.eval(v, 0);
                    self.assign(&assign.target, value, assign.range);
                }
            }
            Stmt::AugAssign(aug) => {
                if let Expr::Name(target) = &*aug.target {
                    let value = self
                        .lookup(target.id.as_str())
                        .and_then(|old| Ok((old, self.eval(&aug.value, 0)?)))
                        .and_then(|(old, rhs)| binary(aug.op, old, rhs));
                    self.assign(&aug.target, value, aug.range);
                }
                // `table[i] += 1` changes an object kernels cannot use anyway.
            }
            Stmt::Delete(del) => {
                for target in &del.targets {
                    if let Expr::Name(n) = target {
                        self.names.remove(n.id.as_str());
                    }
                }
            }
            Stmt::If(s) => {
                let mut clauses: Vec<(Option<&Expr>, &[Stmt])> = vec![(Some(&s.test), &s.body)];
                clauses.extend(s.elif_else_clauses.iter().map(|c| (c.test.as_ref(), c.body.as_slice())));
                for (i, (test, body)) in clauses.iter().enumerate() {
                    let taken = match test {
                        None => Ok(true),
                        Some(t) => self.eval(t, 0).and_then(|v| truthy(&v)),
                    };
                    match taken {
                        Ok(true) => return self.block(body),
                        Ok(false) => continue,
                        Err(why) => {
                            let reason = format!("set under a condition kcache cannot evaluate ({why})");
                            for (_, rest) in &clauses[i..] {
                                self.poison_block(rest, &reason);
                            }
                            return Flow::Normal;
                        }
                    }
                }
            }
            Stmt::For(s) => return self.for_stmt(s),
            Stmt::While(s) => return self.while_stmt(s),
            Stmt::Try(s) => return self.try_stmt(s),
            Stmt::With(s) => {
                for item in &s.items {
                    if let Some(var) = &item.optional_vars {
                        self.assign(var, Err("bound by a `with` statement".into()), item.range);
                    }
                }
                return self.block(&s.body);
            }
            Stmt::Match(m) => {
                let mut names = Vec::new();
                for case in &m.cases {
                    bound_names(&case.body, &mut names);
                }
                for (name, range) in names {
                    self.poison(&name, range, "set inside a `match` statement");
                }
            }
            Stmt::Raise(_) => return Flow::Raise,
            Stmt::Break(_) => return Flow::Break,
            Stmt::Continue(_) => return Flow::Continue,
            Stmt::Expr(e) => {
                if rewrites_globals(&e.value) {
                    let names: Vec<String> = self.names.keys().cloned().collect();
                    for name in names {
                        self.poison(&name, e.range, "the module rewrites its globals dynamically");
                    }
                }
            }
            Stmt::Return(_)
            | Stmt::Assert(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::TypeAlias(_)
            | Stmt::IpyEscapeCommand(_) => {}
        }
        Flow::Normal
    }

    fn for_stmt(&mut self, s: &ast::StmtFor) -> Flow {
        let items = self.iteration(&s.iter);
        let items = match items {
            Ok(items) => items,
            Err(why) => {
                let reason = format!("set in a loop kcache cannot evaluate ({why})");
                self.assign(&s.target, Err(reason.clone()), s.range);
                self.poison_block(&s.body, &reason);
                self.poison_block(&s.orelse, &reason);
                return Flow::Normal;
            }
        };
        for item in items {
            self.assign(&s.target, Ok(item), s.range);
            match self.block(&s.body) {
                Flow::Break => return Flow::Normal,
                Flow::Raise => return Flow::Raise,
                Flow::Abandon => return self.abandon_loop(Some(&s.target), &s.body, &s.orelse, s.range),
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.block(&s.orelse)
    }

    /// The values a `for` loop takes: `range(...)` or a tuple.
    fn iteration(&mut self, iter: &Expr) -> Eval<Vec<Value>> {
        if let Expr::Call(call) = iter {
            if let Expr::Name(n) = &*call.func {
                if n.id.as_str() == "range" && !self.names.contains_key("range") && call.arguments.keywords.is_empty() {
                    let args: Vec<i128> = call
                        .arguments
                        .args
                        .iter()
                        .map(|a| self.eval(a, 0).and_then(|v| as_index(&v)))
                        .collect::<Eval<_>>()?;
                    let (start, stop, step) = match args.as_slice() {
                        [stop] => (0, *stop, 1),
                        [start, stop] => (*start, *stop, 1),
                        [start, stop, step] => (*start, *stop, *step),
                        _ => return Err("range() takes 1 to 3 arguments".into()),
                    };
                    if step == 0 {
                        return Err("range() step is zero".into());
                    }
                    let count = if step > 0 {
                        (stop - start + step - 1).max(0) / step
                    } else {
                        (start - stop - step - 1).max(0) / -step
                    };
                    if count as u64 > STEP_BUDGET {
                        return Err("the loop runs too long for kcache to evaluate".into());
                    }
                    return Ok((0..count).map(|i| Value::Int(start + i * step)).collect());
                }
            }
        }
        match self.eval(iter, 0)? {
            Value::Tuple(items) => Ok(items),
            other => Err(format!("iterating over {}", describe(&other))),
        }
    }

    fn while_stmt(&mut self, s: &ast::StmtWhile) -> Flow {
        loop {
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return self.abandon_loop(None, &s.body, &s.orelse, s.range);
            }
            match self.eval(&s.test, 0).and_then(|v| truthy(&v)) {
                Ok(true) => match self.block(&s.body) {
                    Flow::Break => return Flow::Normal,
                    Flow::Raise => return Flow::Raise,
                    Flow::Abandon => return self.abandon_loop(None, &s.body, &s.orelse, s.range),
                    Flow::Normal | Flow::Continue => {}
                },
                Ok(false) => return self.block(&s.orelse),
                Err(why) => {
                    let reason = format!("set in a loop kcache cannot evaluate ({why})");
                    self.poison_block(&s.body, &reason);
                    self.poison_block(&s.orelse, &reason);
                    return Flow::Normal;
                }
            }
        }
    }

    /// `try`: the body runs until a statement that may have raised (one kcache could not
    /// evaluate); from there on, the rest of the body, the handlers and `else` may or may not
    /// run, so what they set is opaque. `finally` always runs.
    fn try_stmt(&mut self, s: &ast::StmtTry) -> Flow {
        let outer_failed = std::mem::replace(&mut self.failed, false);
        let mut flow = Flow::Normal;
        let mut uncertain = false;
        for (i, stmt) in s.body.iter().enumerate() {
            let f = self.stmt(stmt);
            // A statement kcache could not evaluate may have raised, and a `raise` may be caught.
            if self.failed || matches!(f, Flow::Raise) {
                let reason = "set after a statement in `try` that may have raised";
                self.poison_block(&s.body[i + 1..], reason);
                uncertain = true;
                break;
            }
            if !matches!(f, Flow::Normal) {
                flow = f;
                break;
            }
        }
        let reason = "set in an exception handler kcache cannot rule out";
        for handler in &s.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = handler;
            if let Some(name) = &h.name {
                self.poison(name.id.as_str(), h.range, reason);
            }
            if uncertain {
                self.poison_block(&h.body, reason);
            }
        }
        if uncertain {
            self.poison_block(&s.orelse, reason);
        } else if matches!(flow, Flow::Normal) {
            flow = self.block(&s.orelse);
        }
        self.failed = outer_failed;
        match self.block(&s.finalbody) {
            Flow::Normal => flow,
            other => other,
        }
    }

    fn assign(&mut self, target: &Expr, value: Eval<Value>, range: TextRange) {
        if value.is_err() {
            self.failed = true;
        }
        match target {
            Expr::Name(n) => match value {
                Ok(v) => self.bind(n.id.as_str(), Binding::Value(v)),
                Err(why) => self.poison(n.id.as_str(), range, &why),
            },
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let parts = match value {
                    Ok(Value::Tuple(items))
                        if items.len() == elts.len() && !elts.iter().any(|e| e.is_starred_expr()) =>
                    {
                        items.into_iter().map(Ok).collect()
                    }
                    Ok(other) => vec![Err(format!("unpacking {}", describe(&other))); elts.len()],
                    Err(why) => vec![Err(why); elts.len()],
                };
                for (elt, part) in elts.iter().zip(parts) {
                    self.assign(elt, part, range);
                }
            }
            Expr::Starred(s) => self.assign(&s.value, Err("a starred assignment".into()), range),
            // Subscript and attribute targets change objects kernels cannot use.
            _ => {}
        }
    }

    fn lookup(&self, name: &str) -> Eval<Value> {
        match self.names.get(name) {
            Some(Binding::Value(v)) => Ok(v.clone()),
            Some(Binding::Function(_)) => Err(format!("'{name}' is a function")),
            Some(Binding::Opaque(o)) => Err(format!("'{name}' is unknown: {}", o.reason)),
            None => match name {
                // "__main__" when the file runs as a script, its module name when imported: a
                // value set under `if __name__ == "__main__":` depends on how the file is used.
                "__name__" => Err("`__name__` depends on whether the file runs as a script or is imported".into()),
                "True" => Ok(Value::Bool(true)),
                "False" => Ok(Value::Bool(false)),
                "None" => Ok(Value::None),
                "int" | "float" | "bool" | "abs" | "min" | "max" | "round" | "pow" | "len" | "range" => {
                    Ok(Value::Member(None, name.to_string()))
                }
                _ => Err(format!("'{name}' is not defined at that point")),
            },
        }
    }

    fn eval(&mut self, e: &Expr, depth: u32) -> Eval<Value> {
        let r = crate::stack::deep(|| self.eval_inner(e, depth));
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn eval_inner(&mut self, e: &Expr, depth: u32) -> Eval<Value> {
        if depth > MAX_EVAL_DEPTH {
            return Err("an expression nested too deeply".into());
        }
        let d = depth + 1;
        match e {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i
                    .as_i64()
                    .map(|v| Value::Int(v as i128))
                    .or_else(|| i.as_u64().map(|v| Value::Int(v as i128)))
                    .ok_or_else(|| "an integer wider than 64 bits".to_string()),
                Number::Float(f) => Ok(Value::Float(*f)),
                Number::Complex { .. } => Err("a complex number".into()),
            },
            Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Ok(Value::None),
            Expr::StringLiteral(s) => Ok(Value::Str(s.value.to_str().to_string())),
            Expr::Name(n) => self.lookup(n.id.as_str()),
            Expr::Tuple(t) => Ok(Value::Tuple(
                t.elts.iter().map(|x| self.eval(x, d)).collect::<Eval<_>>()?,
            )),
            Expr::Attribute(a) => {
                let base = self.eval(&a.value, d)?;
                attribute(base, a.attr.id.as_str())
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand, d)?;
                unary(u.op, v)
            }
            Expr::BinOp(b) => {
                let l = self.eval(&b.left, d)?;
                let r = self.eval(&b.right, d)?;
                binary(b.op, l, r)
            }
            Expr::BoolOp(b) => {
                // Python returns the deciding operand itself.
                let mut last = Value::None;
                for v in &b.values {
                    last = self.eval(v, d)?;
                    let t = truthy(&last)?;
                    if (b.op == BoolOp::And && !t) || (b.op == BoolOp::Or && t) {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Expr::Compare(c) => {
                let mut left = self.eval(&c.left, d)?;
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let right = self.eval(right, d)?;
                    if !compare(*op, &left, &right)? {
                        return Ok(Value::Bool(false));
                    }
                    left = right;
                }
                Ok(Value::Bool(true))
            }
            Expr::If(i) => {
                if truthy(&self.eval(&i.test, d)?)? {
                    self.eval(&i.body, d)
                } else {
                    self.eval(&i.orelse, d)
                }
            }
            Expr::Call(call) => {
                let callee = self.eval(&call.func, d)?;
                if let Value::Member(Some(PyModule::Numpy), name) = &callee {
                    if name == "array" || name == "asarray" {
                        return self.np_array(call, d);
                    }
                }
                if !call.arguments.keywords.is_empty() {
                    return Err(format!("a call with keyword arguments ({})", describe(&callee)));
                }
                let mut args = Vec::new();
                for a in call.arguments.args.iter() {
                    if a.is_starred_expr() {
                        return Err("a call with *args".into());
                    }
                    args.push(self.eval(a, d)?);
                }
                call_value(callee, args)
            }
            Expr::Subscript(s) => {
                let base = self.eval(&s.value, d)?;
                let index = self.eval(&s.slice, d)?;
                match (base, as_index(&index)) {
                    (Value::Tuple(items), Ok(i)) => {
                        let n = items.len() as i128;
                        let k = if i < 0 { i + n } else { i };
                        usize::try_from(k)
                            .ok()
                            .and_then(|k| items.get(k).cloned())
                            .ok_or_else(|| "a tuple index out of range".to_string())
                    }
                    (base, _) => Err(format!("indexing {}", describe(&base))),
                }
            }
            _ => Err("an expression kcache does not evaluate at module level".into()),
        }
    }

    fn finish(self) -> ModuleNames {
        let mut out = ModuleNames::default();
        for (name, binding) in self.names {
            match binding {
                Binding::Function(def) => {
                    out.functions.extend(crate::parse::nested::lift_nested(&def));
                    out.functions.insert(name, *def);
                }
                Binding::Opaque(o) => {
                    out.opaque.insert(name, o);
                }
                Binding::Value(v) => match freeze(&v) {
                    Some(f) => {
                        out.constants.insert(name, f);
                    }
                    None => match v {
                        Value::Tuple(items) if items.iter().all(|i| freeze(i).is_some()) => {
                            out.tuples.insert(name, items.iter().filter_map(freeze).collect());
                        }
                        Value::Array(a) => {
                            out.arrays.insert(name, (*a).clone());
                        }
                        Value::Module(m) => {
                            out.imports.insert(name, Imported::Module(m));
                        }
                        Value::Member(Some(m), member) => {
                            out.imports.insert(name, Imported::Member(m, member));
                        }
                        other => {
                            let reason = format!("{}, not a number", describe(&other));
                            out.opaque.insert(
                                name,
                                Opaque {
                                    line: 0,
                                    column: 0,
                                    reason,
                                },
                            );
                        }
                    },
                },
            }
        }
        crate::parse::function_args::specialize(&mut out.functions);
        out
    }
}

#[cfg(test)]
mod tests;
