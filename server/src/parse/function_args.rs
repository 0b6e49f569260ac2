//! Functions passed as arguments (`integrate(f, 0.0, 1.0, n)`, `apply(lambda v: v + 1.0, x)`):
//! Numba compiles the callee once per function it is given. Here that happens before typing: the
//! callee gets a copy without the function's parameter, whose body names the function itself,
//! and the call is rewritten to call the copy. The function given is a module-level function, a
//! nested function or lambda of the caller that reads none of the caller's variables, or a
//! lambda written in the call that reads none either; anything else is left alone and typing
//! says a function cannot be a value.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::transformer::{self, Transformer};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::nested::{collect_assigned, lambda_def, lifted_name};

/// How many specialised copies one module may make (a recursion that passes a new lambda each
/// time would otherwise never end).
const MAX_COPIES: usize = 1000;

/// The longest `param=function` tag a copy's name spells out.
const MAX_TAG: usize = 120;

/// Specialises every call in `functions` that passes a function, adding the copies.
pub(crate) fn specialize(functions: &mut HashMap<String, ast::StmtFunctionDef>) {
    let mut work: Vec<String> = functions.keys().cloned().collect();
    work.sort();
    let mut copies = 0;
    while let Some(name) = work.pop() {
        let Some(def) = functions.get(&name).cloned() else {
            continue;
        };
        let rewriter = CallRewriter {
            caller: &def,
            caller_name: &name,
            functions,
            locals: caller_locals(&def),
            local_functions: local_functions(&name, &def, functions),
            made: RefCell::new(Vec::new()),
        };
        let mut body = def.body.clone();
        for s in body.iter_mut() {
            rewriter.visit_stmt(s);
        }
        let made = rewriter.made.into_inner();
        let new: Vec<_> = made.into_iter().filter(|(n, _)| !functions.contains_key(n)).collect();
        // Past the limit the caller stays as written (typing then says what it cannot do).
        if copies + new.len() > MAX_COPIES {
            continue;
        }
        for (copy_name, copy) in new {
            if functions.contains_key(&copy_name) {
                continue;
            }
            copies += 1;
            functions.insert(copy_name.clone(), copy);
            work.push(copy_name);
        }
        if let Some(d) = functions.get_mut(&name) {
            d.body = body;
        }
    }
}

fn caller_locals(def: &ast::StmtFunctionDef) -> HashSet<String> {
    let p = &def.parameters;
    let mut locals: HashSet<String> = p
        .posonlyargs
        .iter()
        .chain(&p.args)
        .chain(&p.kwonlyargs)
        .map(|a| a.parameter.name.id.to_string())
        .collect();
    collect_assigned(&def.body, &mut locals);
    locals
}

/// The caller's own nested functions (and lambdas bound to names): the name it binds → the
/// lifted function and the caller's variables it reads (passed after its own arguments).
fn local_functions(
    caller_name: &str,
    def: &ast::StmtFunctionDef,
    functions: &HashMap<String, ast::StmtFunctionDef>,
) -> HashMap<String, (String, Vec<String>)> {
    let mut out = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    for s in def.body.iter() {
        let inner = match s {
            Stmt::FunctionDef(d) => Some(d.clone()),
            Stmt::Assign(a) => lambda_def(a),
            _ => None,
        };
        let Some(inner) = inner else { continue };
        let name = inner.name.id.to_string();
        let lifted = lifted_name(caller_name, &inner);
        // A name bound twice is decided at run time: not specialised.
        if !seen.insert(name.clone()) {
            out.remove(&name);
            continue;
        }
        if let Some(l) = functions.get(&lifted) {
            let own = inner.parameters.args.len();
            let captured = l.parameters.args[own..]
                .iter()
                .map(|a| a.parameter.name.id.to_string())
                .collect();
            out.insert(name, (lifted, captured));
        }
    }
    out
}

struct CallRewriter<'a> {
    caller: &'a ast::StmtFunctionDef,
    caller_name: &'a str,
    functions: &'a HashMap<String, ast::StmtFunctionDef>,
    locals: HashSet<String>,
    local_functions: HashMap<String, (String, Vec<String>)>,
    made: RefCell<Vec<(String, ast::StmtFunctionDef)>>,
}

impl CallRewriter<'_> {
    /// The function an argument names, when it is one this pass can bind: its name, a def to
    /// add for a lambda written in the call, and the caller's variables it reads.
    fn function_named(&self, arg: &Expr) -> Option<Bound> {
        match arg {
            Expr::Name(n) => {
                let id = n.id.as_str();
                if let Some((lifted, captured)) = self.local_functions.get(id) {
                    return Some((lifted.clone(), None, captured.clone()));
                }
                (!self.locals.contains(id) && self.functions.contains_key(id))
                    .then(|| (id.to_string(), None, Vec::new()))
            }
            Expr::Lambda(lambda) => {
                let params: HashSet<String> = lambda
                    .parameters
                    .iter()
                    .flat_map(|p| p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs))
                    .map(|a| a.parameter.name.id.to_string())
                    .collect();
                let mut reads = Reads::default();
                ast::visitor::Visitor::visit_expr(&mut reads, &lambda.body);
                let mut captured: Vec<String> = reads
                    .0
                    .into_iter()
                    .filter(|r| self.locals.contains(r) && !params.contains(r))
                    .collect();
                captured.sort();
                let assign = ast::StmtAssign {
                    node_index: Default::default(),
                    range: lambda.range(),
                    targets: vec![Expr::Name(ast::ExprName {
                        node_index: Default::default(),
                        range: lambda.range(),
                        id: "lambda".into(),
                        ctx: ast::ExprContext::Store,
                    })],
                    value: Box::new(arg.clone()),
                };
                let mut def = lambda_def(&assign)?;
                for c in &captured {
                    def.parameters.args.push(parameter(c, lambda.range()));
                }
                Some((lifted_name(self.caller_name, &def), Some(def), captured))
            }
            _ => None,
        }
    }

    fn rewrite(&self, call: &mut ast::ExprCall) {
        let Expr::Name(callee) = &*call.func else { return };
        let (callee_name, callee_range) = (callee.id.to_string(), callee.range);
        if self.locals.contains(&callee_name) || callee_name == self.caller.name.id.as_str() {
            return;
        }
        let Some(target) = self.functions.get(&callee_name) else {
            return;
        };
        // A callee with declared signatures takes values of those types only.
        if target
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Call(c) if !c.arguments.args.is_empty()))
        {
            return;
        }
        let params: Vec<String> = target
            .parameters
            .posonlyargs
            .iter()
            .chain(&target.parameters.args)
            .map(|a| a.parameter.name.id.to_string())
            .collect();
        let mut assigned = HashSet::new();
        collect_assigned(&target.body, &mut assigned);
        let mut bound: Vec<(String, Bound)> = Vec::new();
        let mut keep_args = Vec::new();
        for (i, arg) in call.arguments.args.iter().enumerate() {
            match (params.get(i), self.function_named(arg)) {
                (Some(p), Some(f)) if !assigned.contains(p) => bound.push((p.clone(), f)),
                _ => keep_args.push(arg.clone()),
            }
        }
        let mut keep_keywords = Vec::new();
        for kw in call.arguments.keywords.iter() {
            let param = kw.arg.as_ref().map(|a| a.id.to_string());
            match (param, self.function_named(&kw.value)) {
                (Some(p), Some(f)) if params.contains(&p) && !assigned.contains(&p) => bound.push((p, f)),
                _ => keep_keywords.push(kw.clone()),
            }
        }
        if bound.is_empty() {
            return;
        }
        bound.sort_by(|a, b| a.0.cmp(&b.0));
        let tag: Vec<String> = bound.iter().map(|(p, (f, _, _))| format!("{p}={f}")).collect();
        let tag = tag.join(",");
        // A function passed on through recursion names a copy inside a copy: past a length the
        // tag is its digest, so that names (and messages quoting them) stay short.
        let tag = if tag.len() > MAX_TAG {
            format!("#{}", &blake3::hash(tag.as_bytes()).to_hex()[..16])
        } else {
            tag
        };
        let copy_name = format!("{callee_name}<{tag}>");
        // The copy takes the captured variables as parameters of its own, `__kc_<param>_<name>`,
        // and passes them to the function after the arguments of each call.
        let carried = |p: &str, c: &str| format!("__kc_{p}_{c}");
        let renames: HashMap<String, (String, Vec<String>)> = bound
            .iter()
            .map(|(p, (f, _, captured))| (p.clone(), (f.clone(), captured.iter().map(|c| carried(p, c)).collect())))
            .collect();
        let mut copy = target.clone();
        copy.name = ast::Identifier::new(copy_name.clone(), copy.name.range);
        let keep = |a: &ast::ParameterWithDefault| !renames.contains_key(a.parameter.name.id.as_str());
        copy.parameters.posonlyargs.retain(keep);
        copy.parameters.args.retain(keep);
        for (_, extra) in renames.values() {
            for name in extra {
                copy.parameters.args.push(parameter(name, copy.name.range));
            }
        }
        let renamer = Renamer(&renames);
        for s in copy.body.iter_mut() {
            renamer.visit_stmt(s);
        }
        let mut made = self.made.borrow_mut();
        for (p, (f, def, captured)) in bound {
            for c in &captured {
                keep_keywords.push(ast::Keyword {
                    node_index: Default::default(),
                    range: call.arguments.range,
                    arg: Some(ast::Identifier::new(carried(&p, c), call.arguments.range)),
                    value: name_load(c, call.arguments.range),
                });
            }
            if let Some(mut def) = def {
                def.name = ast::Identifier::new(f.clone(), def.name.range);
                made.push((f, def));
            }
        }
        made.push((copy_name.clone(), copy));
        *call.func = name_load(&copy_name, callee_range);
        call.arguments.args = keep_args.into_boxed_slice();
        call.arguments.keywords = keep_keywords.into();
    }
}

/// A function bound to a parameter: its name, a def to add for a lambda written in the call,
/// and the caller's variables it reads.
type Bound = (String, Option<ast::StmtFunctionDef>, Vec<String>);

fn name_load(id: &str, range: ruff_text_size::TextRange) -> Expr {
    Expr::Name(ast::ExprName {
        node_index: Default::default(),
        range,
        id: id.into(),
        ctx: ast::ExprContext::Load,
    })
}

fn parameter(name: &str, range: ruff_text_size::TextRange) -> ast::ParameterWithDefault {
    ast::ParameterWithDefault {
        range,
        node_index: Default::default(),
        parameter: ast::Parameter {
            range,
            node_index: Default::default(),
            name: ast::Identifier::new(name, range),
            annotation: None,
        },
        default: None,
    }
}

impl Transformer for CallRewriter<'_> {
    fn visit_expr(&self, expr: &mut Expr) {
        transformer::walk_expr(self, expr);
        if let Expr::Call(call) = expr {
            self.rewrite(call);
        }
    }

    fn visit_stmt(&self, stmt: &mut Stmt) {
        // A nested def is a function of its own (lifted, and rewritten as such).
        if !matches!(stmt, Stmt::FunctionDef(_)) {
            crate::stack::deep(|| transformer::walk_stmt(self, stmt));
        }
    }
}

/// Renames the loads of the function parameters to the functions they are bound to; a call
/// of one also passes the variables the function carries.
struct Renamer<'a>(&'a HashMap<String, (String, Vec<String>)>);

impl Transformer for Renamer<'_> {
    fn visit_expr(&self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            if let Expr::Name(n) = &*call.func {
                if let Some((_, extra)) = self.0.get(n.id.as_str()) {
                    let range = call.arguments.range;
                    let mut args = call.arguments.args.to_vec();
                    args.extend(extra.iter().map(|e| name_load(e, range)));
                    call.arguments.args = args.into_boxed_slice();
                }
            }
        }
        if let Expr::Name(n) = expr {
            if n.ctx == ast::ExprContext::Load {
                if let Some((to, _)) = self.0.get(n.id.as_str()) {
                    n.id = to.as_str().into();
                }
            }
        }
        crate::stack::deep(|| transformer::walk_expr(self, expr));
    }
}

#[derive(Default)]
struct Reads(HashSet<String>);

impl<'a> ast::visitor::Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            self.0.insert(n.id.to_string());
        }
        ast::visitor::walk_expr(self, expr);
    }
}
