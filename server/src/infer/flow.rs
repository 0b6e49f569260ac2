//! Control-flow facts about typed statements, used while typing a function: which names a body
//! assigns, whether it always returns, and where early exits are.

use super::*;

pub(super) use crate::parse::nested::{collect_assigned, target_names};

/// Whether `body` returns or raises out of a loop, or (at `top` level) breaks out of it.
pub(super) fn exits_early(body: &[Stmt], top: bool) -> bool {
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
pub(super) fn always_returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::If { then, orelse, .. } => always_returns(then) && always_returns(orelse),
        Stmt::While { cond, body, .. } => {
            matches!(cond.kind, ExprKind::Const(ConstValue::Bool(true))) && !contains_break(body)
        }
        _ => false,
    })
}

pub(super) fn contains_break(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Break => true,
        Stmt::If { then, orelse, .. } => contains_break(then) || contains_break(orelse),
        _ => false,
    })
}

pub(super) fn cast_returns(body: Vec<Stmt>, ret: &Type) -> Vec<Stmt> {
    body.into_iter()
        .map(|s| match s {
            Stmt::Return(Some(e)) => Stmt::Return(Some(e.cast(ret))),
            Stmt::Return(None) if matches!(ret, Type::Optional(_)) => Stmt::Return(Some(none_expr().cast(ret))),
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
