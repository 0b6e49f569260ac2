//! The one walker over the typed IR. Analyses implement `Visitor` (read-only), rewrites
//! `VisitorMut`; both visit statements and expressions in source order, outer before inner,
//! and override only what they look at.

use super::*;

pub trait Visitor {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &Expr) {
        walk_expr(self, expr);
    }
}

pub fn walk_block<V: Visitor + ?Sized>(v: &mut V, body: &[Stmt]) {
    crate::stack::deep(|| walk_block_inner(v, body))
}

fn walk_block_inner<V: Visitor + ?Sized>(v: &mut V, body: &[Stmt]) {
    for s in body {
        v.visit_stmt(s);
    }
}

pub fn walk_stmt<V: Visitor + ?Sized>(v: &mut V, stmt: &Stmt) {
    crate::stack::deep(|| walk_stmt_inner(v, stmt))
}

fn walk_stmt_inner<V: Visitor + ?Sized>(v: &mut V, stmt: &Stmt) {
    match stmt {
        Stmt::Assign { value, .. } | Stmt::Expr(value) | Stmt::Return(Some(value)) => v.visit_expr(value),
        Stmt::SetItem { array, indices, value } => {
            v.visit_expr(array);
            indices.iter().for_each(|i| v.visit_expr(i));
            v.visit_expr(value);
        }
        Stmt::If { cond, then, orelse } => {
            v.visit_expr(cond);
            walk_block(v, then);
            walk_block(v, orelse);
        }
        Stmt::While { cond, body, orelse } => {
            v.visit_expr(cond);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::ForRange {
            start,
            stop,
            step,
            body,
            orelse,
            ..
        } => {
            v.visit_expr(start);
            v.visit_expr(stop);
            v.visit_expr(step);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::Try { .. } => stmt.try_blocks().into_iter().for_each(|b| walk_block(v, b)),
        Stmt::Assert { cond, .. } => v.visit_expr(cond),
        Stmt::ArrayStore { dest, value } => {
            v.visit_expr(dest);
            v.visit_expr(value);
        }
        Stmt::Return(None) | Stmt::Break | Stmt::Continue | Stmt::Raise(_) | Stmt::Reraise => {}
    }
}

pub fn walk_expr<V: Visitor + ?Sized>(v: &mut V, expr: &Expr) {
    crate::stack::deep(|| walk_expr_inner(v, expr))
}

fn walk_expr_inner<V: Visitor + ?Sized>(v: &mut V, expr: &Expr) {
    for child in children(expr) {
        v.visit_expr(child);
    }
}

/// The operands of an expression, in evaluation order.
pub fn children(expr: &Expr) -> Vec<&Expr> {
    match &expr.kind {
        ExprKind::Const(_) | ExprKind::Var(_) | ExprKind::Elem(_) | ExprKind::Index(_) | ExprKind::NoArray => vec![],
        ExprKind::Cast(x)
        | ExprKind::ArraySize(x)
        | ExprKind::DtypeView(x)
        | ExprKind::OptionalValue(x)
        | ExprKind::Unary { operand: x, .. } => vec![x],
        ExprKind::Transpose { array, .. }
        | ExprKind::ComplexPart { array, .. }
        | ExprKind::Reduce { array, .. }
        | ExprKind::Scan { array, .. } => {
            vec![array]
        }
        ExprKind::MaskSelect { array, mask } => vec![array, mask],
        ExprKind::Print { items, .. } => items
            .iter()
            .filter_map(|i| match i {
                PrintItem::Value(e) => Some(e),
                PrintItem::Text(_) => None,
            })
            .collect(),
        ExprKind::Let { value, body, .. } => vec![value, body],
        ExprKind::Dot { lhs, rhs } | ExprKind::TupleIndex { tuple: lhs, index: rhs } => vec![lhs, rhs],
        ExprKind::Tuple(items)
        | ExprKind::ListNew(items)
        | ExprKind::DictNew(items)
        | ExprKind::SetNew(items)
        | ExprKind::HostCall { args: items, .. } => items.iter().collect(),
        ExprKind::List { list, args, .. }
        | ExprKind::Dict { dict: list, args, .. }
        | ExprKind::Set { set: list, args, .. } => std::iter::once(&**list).chain(args.iter()).collect(),
        ExprKind::TupleGet { tuple, .. } => vec![tuple],
        ExprKind::Reshape { array, shape } => std::iter::once(&**array).chain(shape.iter()).collect(),
        ExprKind::View { array, indices } => std::iter::once(&**array)
            .chain(indices.iter().flat_map(view_index_exprs))
            .collect(),
        ExprKind::ArrayMap(m) => m
            .inputs
            .iter()
            .chain(m.shape.iter().flatten())
            .chain(m.body.iter())
            .collect(),
        ExprKind::ArrayDim { array, .. } => vec![array],
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::Logical { lhs, rhs, .. } => {
            vec![lhs, rhs]
        }
        ExprKind::IfExp { cond, then, orelse } => vec![cond, then, orelse],
        ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Builtin { args, .. } => {
            args.iter().collect()
        }
        ExprKind::GetItem { array, indices } => std::iter::once(&**array).chain(indices.iter()).collect(),
    }
}

fn view_index_exprs(i: &ViewIndex) -> Vec<&Expr> {
    match i {
        ViewIndex::At(e) => vec![e],
        ViewIndex::Slice { start, stop, step } => [start, stop, step].into_iter().flatten().collect(),
        ViewIndex::NewAxis => vec![],
    }
}

pub trait VisitorMut {
    fn visit_stmt(&mut self, stmt: &mut Stmt) {
        walk_stmt_mut(self, stmt);
    }

    fn visit_expr(&mut self, expr: &mut Expr) {
        walk_expr_mut(self, expr);
    }
}

pub fn walk_block_mut<V: VisitorMut + ?Sized>(v: &mut V, body: &mut [Stmt]) {
    crate::stack::deep(|| walk_block_mut_inner(v, body))
}

fn walk_block_mut_inner<V: VisitorMut + ?Sized>(v: &mut V, body: &mut [Stmt]) {
    for s in body {
        v.visit_stmt(s);
    }
}

pub fn walk_stmt_mut<V: VisitorMut + ?Sized>(v: &mut V, stmt: &mut Stmt) {
    crate::stack::deep(|| walk_stmt_mut_inner(v, stmt))
}

fn walk_stmt_mut_inner<V: VisitorMut + ?Sized>(v: &mut V, stmt: &mut Stmt) {
    match stmt {
        Stmt::Assign { value, .. } | Stmt::Expr(value) | Stmt::Return(Some(value)) => v.visit_expr(value),
        Stmt::SetItem { array, indices, value } => {
            v.visit_expr(array);
            indices.iter_mut().for_each(|i| v.visit_expr(i));
            v.visit_expr(value);
        }
        Stmt::If { cond, then, orelse } => {
            v.visit_expr(cond);
            walk_block_mut(v, then);
            walk_block_mut(v, orelse);
        }
        Stmt::While { cond, body, orelse } => {
            v.visit_expr(cond);
            walk_block_mut(v, body);
            walk_block_mut(v, orelse);
        }
        Stmt::ForRange {
            start,
            stop,
            step,
            body,
            orelse,
            ..
        } => {
            v.visit_expr(start);
            v.visit_expr(stop);
            v.visit_expr(step);
            walk_block_mut(v, body);
            walk_block_mut(v, orelse);
        }
        Stmt::Try {
            body,
            handler,
            orelse,
            finalbody,
        } => {
            walk_block_mut(v, body);
            if let Some(h) = handler {
                walk_block_mut(v, h);
            }
            walk_block_mut(v, orelse);
            walk_block_mut(v, finalbody);
        }
        Stmt::Assert { cond, .. } => v.visit_expr(cond),
        Stmt::ArrayStore { dest, value } => {
            v.visit_expr(dest);
            v.visit_expr(value);
        }
        Stmt::Return(None) | Stmt::Break | Stmt::Continue | Stmt::Raise(_) | Stmt::Reraise => {}
    }
}

pub fn walk_expr_mut<V: VisitorMut + ?Sized>(v: &mut V, expr: &mut Expr) {
    crate::stack::deep(|| walk_expr_mut_inner(v, expr))
}

fn walk_expr_mut_inner<V: VisitorMut + ?Sized>(v: &mut V, expr: &mut Expr) {
    match &mut expr.kind {
        ExprKind::Const(_) | ExprKind::Var(_) | ExprKind::Elem(_) | ExprKind::Index(_) | ExprKind::NoArray => {}
        ExprKind::Transpose { array, .. }
        | ExprKind::ComplexPart { array, .. }
        | ExprKind::Reduce { array, .. }
        | ExprKind::Scan { array, .. } => v.visit_expr(array),
        ExprKind::MaskSelect { array, mask } => {
            v.visit_expr(array);
            v.visit_expr(mask);
        }
        ExprKind::Print { items, .. } => {
            for i in items {
                if let PrintItem::Value(e) = i {
                    v.visit_expr(e);
                }
            }
        }
        ExprKind::Let { value, body, .. } => {
            v.visit_expr(value);
            v.visit_expr(body);
        }
        ExprKind::Dot { lhs, rhs } | ExprKind::TupleIndex { tuple: lhs, index: rhs } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        ExprKind::Tuple(items)
        | ExprKind::ListNew(items)
        | ExprKind::DictNew(items)
        | ExprKind::SetNew(items)
        | ExprKind::HostCall { args: items, .. } => items.iter_mut().for_each(|e| v.visit_expr(e)),
        ExprKind::List { list, args, .. }
        | ExprKind::Dict { dict: list, args, .. }
        | ExprKind::Set { set: list, args, .. } => {
            v.visit_expr(list);
            args.iter_mut().for_each(|e| v.visit_expr(e));
        }
        ExprKind::TupleGet { tuple, .. } => v.visit_expr(tuple),
        ExprKind::Reshape { array, shape } => {
            v.visit_expr(array);
            shape.iter_mut().for_each(|e| v.visit_expr(e));
        }
        ExprKind::View { array, indices } => {
            v.visit_expr(array);
            for i in indices {
                match i {
                    ViewIndex::At(e) => v.visit_expr(e),
                    ViewIndex::Slice { start, stop, step } => {
                        [start, stop, step].into_iter().flatten().for_each(|e| v.visit_expr(e))
                    }
                    ViewIndex::NewAxis => {}
                }
            }
        }
        ExprKind::ArrayMap(m) => {
            m.inputs.iter_mut().for_each(|e| v.visit_expr(e));
            m.shape.iter_mut().flatten().for_each(|e| v.visit_expr(e));
            if let Some(b) = &mut m.body {
                v.visit_expr(b);
            }
        }
        ExprKind::Cast(x)
        | ExprKind::ArraySize(x)
        | ExprKind::DtypeView(x)
        | ExprKind::OptionalValue(x)
        | ExprKind::Unary { operand: x, .. } => v.visit_expr(x),
        ExprKind::ArrayDim { array, .. } => v.visit_expr(array),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::Logical { lhs, rhs, .. } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        ExprKind::IfExp { cond, then, orelse } => {
            v.visit_expr(cond);
            v.visit_expr(then);
            v.visit_expr(orelse);
        }
        ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::Builtin { args, .. } => {
            args.iter_mut().for_each(|a| v.visit_expr(a))
        }
        ExprKind::GetItem { array, indices } => {
            v.visit_expr(array);
            indices.iter_mut().for_each(|i| v.visit_expr(i));
        }
    }
}
