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
        Stmt::Try { .. } => s.try_blocks().into_iter().any(|b| exits_early(b, top)),
        Stmt::While { body, orelse, .. } | Stmt::ForRange { body, orelse, .. } => {
            exits_early(body, false) || exits_early(orelse, top)
        }
        _ => false,
    })
}

/// Whether control can never fall off the end of `body`.
pub(super) fn always_returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Raise(_) | Stmt::Reraise => true,
        Stmt::If { then, orelse, .. } => always_returns(then) && always_returns(orelse),
        // An exception with no handler leaves the function once `finalbody` has run.
        Stmt::Try {
            body,
            handler,
            orelse,
            finalbody,
        } => {
            always_returns(finalbody)
                || ((always_returns(body) || always_returns(orelse)) && handler.as_deref().is_none_or(always_returns))
        }
        Stmt::While { cond, body, .. } => {
            matches!(cond.kind, ExprKind::Const(ConstValue::Bool(true))) && !contains_break(body)
        }
        _ => false,
    })
}

/// Whether `body` continues the loop it is in (not one of its own loops).
pub(super) fn has_continue(body: &[Stmt]) -> bool {
    jumps_out(body, &|s| matches!(s, Stmt::Continue))
}

/// Whether `body` breaks out of the loop it is in (not one of its own loops).
pub(super) fn contains_break(body: &[Stmt]) -> bool {
    jumps_out(body, &|s| matches!(s, Stmt::Break))
}

fn jumps_out(body: &[Stmt], jump: &dyn Fn(&Stmt) -> bool) -> bool {
    body.iter().any(|s| match s {
        Stmt::If { then, orelse, .. } => jumps_out(then, jump) || jumps_out(orelse, jump),
        Stmt::Try { .. } => s.try_blocks().into_iter().any(|b| jumps_out(b, jump)),
        s => jump(s),
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
            Stmt::Try {
                body,
                handler,
                orelse,
                finalbody,
            } => Stmt::Try {
                body: cast_returns(body, ret),
                handler: handler.map(|h| cast_returns(h, ret)),
                orelse: cast_returns(orelse, ret),
                finalbody: cast_returns(finalbody, ret),
            },
            other => other,
        })
        .collect()
}
