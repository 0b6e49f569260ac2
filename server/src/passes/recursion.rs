//! Which functions of a program are recursive: reachable from themselves through calls. Those
//! check the stack on entry (see `lower`), so that unbounded recursion raises RecursionError as
//! Python's does instead of overflowing the calling thread's stack.

use crate::tir::visit::{walk_expr, Visitor};
use crate::tir::{ExprKind, Program};

/// For each function of `program`, whether it can call itself.
pub fn recursive(program: &Program) -> Vec<bool> {
    struct Callees(Vec<usize>);
    impl Visitor for Callees {
        fn visit_expr(&mut self, expr: &crate::tir::Expr) {
            if let ExprKind::Call { func, .. } = &expr.kind {
                self.0.push(*func);
            }
            walk_expr(self, expr);
        }
    }
    let calls: Vec<Vec<usize>> = program
        .functions
        .iter()
        .map(|f| {
            let mut c = Callees(Vec::new());
            crate::tir::visit::walk_block(&mut c, &f.body);
            c.0
        })
        .collect();
    (0..calls.len())
        .map(|start| {
            let mut seen = vec![false; calls.len()];
            let mut stack = calls[start].clone();
            while let Some(f) = stack.pop() {
                if f == start {
                    return true;
                }
                if f < seen.len() && !std::mem::replace(&mut seen[f], true) {
                    stack.extend(&calls[f]);
                }
            }
            false
        })
        .collect()
}
