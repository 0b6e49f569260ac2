//! Functions defined inside a kernel (`def helper(x): ...` in its body, reading the kernel's
//! variables): each is lifted to a module-level function whose extra trailing parameters are the
//! enclosing function's variables it reads, passed at every call (their values at the call, as
//! a Python closure reads them).

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};

/// The lifted function's name: not a Python identifier, so never a user's name; the def's
/// place in the source tells apart two defs of one name (`if c: def g ... else: def g ...`).
pub(crate) fn lifted_name(outer: &str, inner: &ast::StmtFunctionDef) -> String {
    use ruff_text_size::Ranged;
    format!(
        "{outer}.<locals>.{}@{}",
        inner.name.id,
        u32::from(inner.range().start())
    )
}

/// `name = lambda params: body` as the def Python makes of it (`def name(params): return body`),
/// placed where the assignment is, so it lifts and binds as a nested def does.
pub(crate) fn lambda_def(assign: &ast::StmtAssign) -> Option<ast::StmtFunctionDef> {
    use ruff_text_size::Ranged;
    let ([Expr::Name(name)], Expr::Lambda(lambda)) = (assign.targets.as_slice(), &*assign.value) else {
        return None;
    };
    let parameters = lambda
        .parameters
        .as_deref()
        .cloned()
        .unwrap_or_else(|| ast::Parameters {
            range: lambda.range(),
            node_index: ast::AtomicNodeIndex::default(),
            posonlyargs: Default::default(),
            args: Default::default(),
            vararg: None,
            kwonlyargs: Default::default(),
            kwarg: None,
        });
    Some(ast::StmtFunctionDef {
        range: assign.range(),
        node_index: ast::AtomicNodeIndex::default(),
        is_async: false,
        decorator_list: Default::default(),
        name: ast::Identifier::new(name.id.clone(), name.range),
        type_params: None,
        parameters: Box::new(parameters),
        returns: None,
        body: vec![Stmt::Return(ast::StmtReturn {
            range: lambda.body.range(),
            node_index: ast::AtomicNodeIndex::default(),
            value: Some(lambda.body.clone()),
        })]
        .into(),
    })
}

/// Every function defined in `outer`'s body (also inside its `if`/`for`/`while`/`try` blocks,
/// and lambdas bound to names), lifted with the functions defined in them, to any depth: its
/// name, and the def with the captured variables appended to its parameters.
pub(crate) fn lift_nested(outer: &ast::StmtFunctionDef) -> Vec<(String, ast::StmtFunctionDef)> {
    let mut lifted = Vec::new();
    for (name, def) in lift_one_level(outer) {
        let deeper = lift_nested(&def);
        lifted.push((name, def));
        lifted.extend(deeper);
    }
    lifted
}

fn lift_one_level(outer: &ast::StmtFunctionDef) -> Vec<(String, ast::StmtFunctionDef)> {
    let mut outer_locals: HashSet<String> = parameter_names(outer).collect();
    collect_assigned(&outer.body, &mut outer_locals);
    let mut defs = Vec::new();
    nested_defs(&outer.body, &mut defs);
    defs.into_iter()
        .map(|inner| {
            let inner = &inner;
            let mut own: HashSet<String> = parameter_names(inner).collect();
            collect_assigned(&inner.body, &mut own);
            let mut reads = Reads::default();
            for s in &inner.body {
                reads.visit_stmt(s);
            }
            let mut captured: Vec<String> = reads
                .names
                .into_iter()
                .filter(|n| outer_locals.contains(n) && !own.contains(n))
                .collect();
            captured.sort();
            let mut lifted = inner.clone();
            let range = inner.name.range;
            for name in captured {
                lifted.parameters.args.push(ast::ParameterWithDefault {
                    range,
                    node_index: ast::AtomicNodeIndex::default(),
                    parameter: ast::Parameter {
                        range,
                        node_index: ast::AtomicNodeIndex::default(),
                        name: ast::Identifier::new(name, range),
                        annotation: None,
                    },
                    default: None,
                });
            }
            let name = lifted_name(outer.name.id.as_str(), inner);
            lifted.name = ast::Identifier::new(name.clone(), range);
            (name, lifted)
        })
        .collect()
}

fn parameter_names(def: &ast::StmtFunctionDef) -> impl Iterator<Item = String> + '_ {
    let p = &def.parameters;
    p.posonlyargs
        .iter()
        .chain(&p.args)
        .chain(&p.kwonlyargs)
        .map(|a| a.parameter.name.id.to_string())
}

fn nested_defs(body: &[Stmt], out: &mut Vec<ast::StmtFunctionDef>) {
    for s in body {
        match s {
            Stmt::FunctionDef(d) => out.push(d.clone()),
            Stmt::Assign(a) => out.extend(lambda_def(a)),
            Stmt::Try(t) => {
                nested_defs(&t.body, out);
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    nested_defs(&h.body, out);
                }
                nested_defs(&t.orelse, out);
                nested_defs(&t.finalbody, out);
            }
            Stmt::If(i) => {
                nested_defs(&i.body, out);
                i.elif_else_clauses.iter().for_each(|c| nested_defs(&c.body, out));
            }
            Stmt::For(f) => {
                nested_defs(&f.body, out);
                nested_defs(&f.orelse, out);
            }
            Stmt::While(w) => {
                nested_defs(&w.body, out);
                nested_defs(&w.orelse, out);
            }
            _ => {}
        }
    }
}

/// The names a body reads.
#[derive(Default)]
struct Reads {
    names: HashSet<String>,
}

impl<'a> Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            if n.ctx == ExprContext::Load {
                self.names.insert(n.id.to_string());
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// The names an assignment or loop target binds, in order.
pub(crate) fn target_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        _ => {}
    }
}

pub(crate) fn collect_assigned(body: &[Stmt], out: &mut std::collections::HashSet<String>) {
    fn target(e: &Expr, out: &mut std::collections::HashSet<String>) {
        let mut names = Vec::new();
        target_names(e, &mut names);
        out.extend(names);
    }
    for s in body {
        match s {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| target(t, out)),
            Stmt::AnnAssign(a) => target(&a.target, out),
            Stmt::AugAssign(a) => target(&a.target, out),
            Stmt::For(f) => {
                target(&f.target, out);
                collect_assigned(&f.body, out);
                collect_assigned(&f.orelse, out);
            }
            Stmt::While(w) => {
                collect_assigned(&w.body, out);
                collect_assigned(&w.orelse, out);
            }
            Stmt::If(i) => {
                collect_assigned(&i.body, out);
                for c in &i.elif_else_clauses {
                    collect_assigned(&c.body, out);
                }
            }
            Stmt::Try(t) => {
                collect_assigned(&t.body, out);
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    out.extend(h.name.as_ref().map(|n| n.id.to_string()));
                    collect_assigned(&h.body, out);
                }
                collect_assigned(&t.orelse, out);
                collect_assigned(&t.finalbody, out);
            }
            _ => {}
        }
    }
}
