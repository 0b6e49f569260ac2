//! Optional values (Numba's `OptionalType`) leave inference as `(valid, value)` tuples. The
//! lowering already builds, copies and converts tuples, so an Optional needs nothing of its own
//! there but the checked read of its value (`ExprKind::OptionalValue`).

use crate::parse::ConstValue;
use crate::tir::visit::{walk_block_mut, walk_expr_mut, VisitorMut};
use crate::tir::{Expr, ExprKind, Function};
use crate::types::Type;

/// Rewrites one function's Optionals into tuples: its variables, its result, and every
/// conversion into or out of an Optional.
pub(super) fn lower_optionals(f: &mut Function) {
    for v in &mut f.vars {
        v.ty = representation(&v.ty);
    }
    f.ret = representation(&f.ret);
    walk_block_mut(&mut Rewrite, &mut f.body);
}

/// Whether `t` is or holds an Optional.
pub(super) fn holds_optional(t: &Type) -> bool {
    match t {
        Type::Optional(_) => true,
        Type::Tuple(items) => items.iter().any(holds_optional),
        Type::List(item) => holds_optional(item),
        _ => false,
    }
}

/// The type an Optional is kept as: `(bool, T)`, inside tuples and lists too.
fn representation(t: &Type) -> Type {
    match t {
        Type::Optional(item) => Type::Tuple(vec![Type::BOOL, representation(item)]),
        Type::Tuple(items) => Type::Tuple(items.iter().map(representation).collect()),
        Type::List(item) => Type::List(Box::new(representation(item))),
        other => other.clone(),
    }
}

/// A zero of `t` (the value slot of a None).
fn zero(t: &Type) -> Expr {
    match t {
        Type::Tuple(items) => Expr::new(ExprKind::Tuple(items.iter().map(zero).collect()), t.clone()),
        Type::Array(_) => Expr::new(ExprKind::NoArray, t.clone()),
        _ => Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64).cast(t),
    }
}

struct Rewrite;

impl VisitorMut for Rewrite {
    fn visit_expr(&mut self, e: &mut Expr) {
        // Outer before inner: a conversion is decided on the types inference gave, before its
        // operand's type is rewritten.
        if let ExprKind::Cast(inner) = &mut e.kind {
            let inner = std::mem::replace(&mut **inner, Expr::new(ExprKind::Const(ConstValue::Int(0)), Type::I64));
            *e = match (&inner.ty, &e.ty) {
                // Optional to Optional: the tuple conversion converts the value.
                (Type::Optional(_), Type::Optional(_)) => Expr::new(ExprKind::Cast(Box::new(inner)), e.ty.clone()),
                (Type::Optional(item), to) => {
                    let item = (**item).clone();
                    Expr::new(ExprKind::OptionalValue(Box::new(inner)), item).cast(to)
                }
                (Type::None, Type::Optional(item)) => {
                    let valid = Expr::new(ExprKind::Const(ConstValue::Bool(false)), Type::BOOL);
                    Expr::new(ExprKind::Tuple(vec![valid, zero(item)]), e.ty.clone())
                }
                (_, Type::Optional(item)) => {
                    let valid = Expr::new(ExprKind::Const(ConstValue::Bool(true)), Type::BOOL);
                    Expr::new(ExprKind::Tuple(vec![valid, inner.cast(item)]), e.ty.clone())
                }
                _ => Expr::new(ExprKind::Cast(Box::new(inner)), e.ty.clone()),
            };
        }
        walk_expr_mut(self, e);
        e.ty = representation(&e.ty);
    }
}
