//! What statements may bind without the interpreter running them: for code that may or may
//! not run, and for bindings the statements do not show.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::parse::PyModule;

pub(super) fn known_module(root: &str) -> Option<PyModule> {
    match root {
        "math" => Some(PyModule::Math),
        "numpy" => Some(PyModule::Numpy),
        "numba" | "kcache" => Some(PyModule::Numba),
        "random" => Some(PyModule::Random),
        "cmath" => Some(PyModule::Cmath),
        _ => None,
    }
}

/// Calls that let a module set its globals behind the interpreter's back.
pub(super) fn rewrites_globals(e: &Expr) -> bool {
    let mut found = false;
    let mut check = |e: &Expr| {
        if let Expr::Call(c) = e {
            if let Expr::Name(n) = &*c.func {
                if matches!(
                    n.id.as_str(),
                    "exec" | "eval" | "globals" | "vars" | "setattr" | "locals"
                ) {
                    found = true;
                }
            }
        }
    };
    ExprVisitor(&mut check).visit_expr(e);
    found
}

pub(super) struct ExprVisitor<'f>(&'f mut dyn FnMut(&Expr));

impl<'a> Visitor<'a> for ExprVisitor<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        (self.0)(expr);
        crate::stack::deep(|| walk_expr(self, expr));
    }
}

/// Bindings the statements do not show: names a function declares `global` (it may rebind them
/// whenever it runs) and walrus targets at module level.
pub(super) fn hidden_bindings(body: &[Stmt], out: &mut Vec<(String, TextRange, &'static str)>) {
    struct Finder<'o> {
        out: &'o mut Vec<(String, TextRange, &'static str)>,
        in_function: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(g) if self.in_function => {
                    for n in &g.names {
                        self.out
                            .push((n.id.to_string(), g.range, "rebound by a function through `global`"));
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                    let outer = std::mem::replace(&mut self.in_function, true);
                    walk_stmt(self, stmt);
                    self.in_function = outer;
                    return;
                }
                _ => {}
            }
            crate::stack::deep(|| walk_stmt(self, stmt));
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let (Expr::Named(n), false) = (expr, self.in_function) {
                if let Expr::Name(t) = &*n.target {
                    self.out
                        .push((t.id.to_string(), n.range, "set by an assignment expression (:=)"));
                }
            }
            crate::stack::deep(|| walk_expr(self, expr));
        }
    }
    let mut f = Finder {
        out,
        in_function: false,
    };
    for s in body {
        f.visit_stmt(s);
    }
}

/// Names a block may bind, with where: what becomes opaque when the block may or may not run.
pub(super) fn bound_names(body: &[Stmt], out: &mut Vec<(String, TextRange)>) {
    fn target(e: &Expr, range: TextRange, out: &mut Vec<(String, TextRange)>) {
        match e {
            Expr::Name(n) => out.push((n.id.to_string(), range)),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                elts.iter().for_each(|x| target(x, range, out))
            }
            Expr::Starred(s) => target(&s.value, range, out),
            _ => {}
        }
    }
    for stmt in body {
        let range = stmt.range();
        match stmt {
            Stmt::FunctionDef(d) => out.push((d.name.id.to_string(), range)),
            Stmt::ClassDef(c) => out.push((c.name.id.to_string(), range)),
            Stmt::Import(i) => {
                for a in &i.names {
                    let full = a.name.id.as_str();
                    let bound = a
                        .asname
                        .as_ref()
                        .map(|x| x.id.as_str())
                        .unwrap_or(full.split('.').next().unwrap_or(full));
                    out.push((bound.to_string(), range));
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    out.push((bound.id.to_string(), range));
                }
            }
            Stmt::Assign(a) => a.targets.iter().for_each(|t| target(t, range, out)),
            Stmt::AnnAssign(a) => target(&a.target, range, out),
            Stmt::AugAssign(a) => target(&a.target, range, out),
            Stmt::Delete(d) => d.targets.iter().for_each(|t| target(t, range, out)),
            Stmt::For(f) => {
                target(&f.target, range, out);
                bound_names(&f.body, out);
                bound_names(&f.orelse, out);
            }
            Stmt::While(w) => {
                bound_names(&w.body, out);
                bound_names(&w.orelse, out);
            }
            Stmt::If(i) => {
                bound_names(&i.body, out);
                for c in &i.elif_else_clauses {
                    bound_names(&c.body, out);
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        target(v, range, out);
                    }
                }
                bound_names(&w.body, out);
            }
            Stmt::Try(t) => {
                bound_names(&t.body, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        out.push((n.id.to_string(), range));
                    }
                    bound_names(&h.body, out);
                }
                bound_names(&t.orelse, out);
                bound_names(&t.finalbody, out);
            }
            Stmt::Match(m) => m.cases.iter().for_each(|c| bound_names(&c.body, out)),
            _ => {}
        }
    }
}
