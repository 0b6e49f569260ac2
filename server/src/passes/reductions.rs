//! Reductions of a prange body (Numba's rules): a scalar variable every assignment of which is
//! the same reduction update (`+=`, `-=`, `*=`, `/=`, `v = v op ...`, `v = min(v, ...)`,
//! `v = max(v, ...)`). Every other variable assigned in the body is private to its iteration.

use std::collections::BTreeMap;

use crate::builtins::Reduction;
use crate::tir::visit::{walk_stmt, Visitor};
use crate::tir::{BinOp, Expr, ExprKind, Function, Stmt, VarId};

fn strip_casts(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Cast(inner) => strip_casts(inner),
        _ => e,
    }
}

fn is_var(e: &Expr, v: VarId) -> bool {
    matches!(strip_casts(e).kind, ExprKind::Var(x) if x == v)
}

/// The reduction an assignment `v = <value>` performs, if it is one.
fn reduction_of(v: VarId, value: &Expr) -> Option<Reduction> {
    match &strip_casts(value).kind {
        ExprKind::Binary { op, lhs, .. } if is_var(lhs, v) => match op {
            BinOp::Add | BinOp::Sub => Some(Reduction::Add),
            BinOp::Mul => Some(Reduction::Mul),
            BinOp::TrueDiv => Some(Reduction::Div),
            _ => None,
        },
        ExprKind::Binary {
            op: op @ (BinOp::Add | BinOp::Mul),
            rhs,
            ..
        } if is_var(rhs, v) => Some(if *op == BinOp::Add {
            Reduction::Add
        } else {
            Reduction::Mul
        }),
        ExprKind::Builtin { builtin, args } if args.iter().any(|a| is_var(a, v)) => builtin.0.reduction(),
        _ => None,
    }
}

/// Every assignment in a body, by variable: the reduction each performs (`None`: not one).
#[derive(Default)]
struct Assignments(BTreeMap<VarId, Vec<Option<Reduction>>>);

impl Visitor for Assignments {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Assign { var, value } => self.0.entry(*var).or_default().push(reduction_of(*var, value)),
            Stmt::ForRange { var, .. } => self.0.entry(*var).or_default().push(None),
            _ => {}
        }
        walk_stmt(self, stmt);
    }
}

/// The reductions of a prange body of `f`.
pub fn find(body: &[Stmt], f: &Function) -> Vec<(VarId, Reduction)> {
    let mut assigned = Assignments::default();
    crate::tir::visit::walk_block(&mut assigned, body);
    assigned
        .0
        .into_iter()
        .filter(|(v, _)| f.vars[*v].ty.is_numeric() && !f.vars[*v].name.starts_with('$'))
        .filter_map(|(v, ops)| {
            let first = ops[0]?;
            ops.iter().all(|o| *o == Some(first)).then_some((v, first))
        })
        .collect()
}
