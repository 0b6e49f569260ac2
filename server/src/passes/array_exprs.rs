//! Array-expression fusion (Numba's array-expression rewrite): an element-wise computation
//! whose input is another element-wise computation reads that computation's body in place of
//! its result, so `a * b + c` is one loop over the elements and no temporary array, instead of a
//! loop and an allocation per operator.
//!
//! An input is fused only when the outer body reads its element once: fusing a twice-read
//! input would compute it twice per element, and nested expressions would grow exponentially.

use crate::tir::visit::{walk_expr_mut, VisitorMut};
use crate::tir::{ArrayMap, Expr, ExprKind, Function};

/// Fuses the element-wise computations of every function.
pub fn fuse(functions: &mut [Function]) {
    for f in functions {
        crate::tir::visit::walk_block_mut(&mut Fuser, &mut f.body);
    }
}

struct Fuser;

impl VisitorMut for Fuser {
    fn visit_expr(&mut self, expr: &mut Expr) {
        // Inner maps first, so chains fuse bottom-up into one.
        walk_expr_mut(self, expr);
        if let ExprKind::ArrayMap(m) = &mut expr.kind {
            fuse_inputs(m);
        }
    }
}

/// Whether a map can stand in for its result element by element.
fn fusible(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::ArrayMap(m) if m.shape.is_none() && m.body.is_some() && !uses_index(m.body.as_ref().expect("checked")))
}

fn uses_index(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Index(_)) || crate::tir::visit::children(e).into_iter().any(uses_index)
}

fn count_elem(e: &Expr, k: usize) -> usize {
    let own = usize::from(matches!(e.kind, ExprKind::Elem(j) if j == k));
    // A nested map's body has its own elements.
    if matches!(e.kind, ExprKind::ArrayMap(_)) {
        return own;
    }
    own + crate::tir::visit::children(e)
        .into_iter()
        .map(|c| count_elem(c, k))
        .sum::<usize>()
}

fn fuse_inputs(m: &mut ArrayMap) {
    let Some(body) = m.body.as_mut() else { return };
    let old_inputs = std::mem::take(&mut m.inputs);
    let mut inputs = Vec::new();
    // For each old input: what its `Elem` becomes in the fused body.
    let mut replacement: Vec<Expr> = Vec::new();
    for (k, input) in old_inputs.into_iter().enumerate() {
        if fusible(&input) && count_elem(body, k) <= 1 {
            let ExprKind::ArrayMap(inner) = input.kind else {
                unreachable!("fusible checked")
            };
            let inner = *inner;
            let base = inputs.len();
            let mut inner_body = inner.body.expect("fusible checked");
            renumber(&mut inner_body, &|j| base + j);
            inputs.extend(inner.inputs);
            replacement.push(inner_body);
        } else {
            let ty = match &input.ty {
                crate::types::Type::Array(a) => crate::types::Type::Scalar(a.dtype),
                other => other.clone(),
            };
            replacement.push(Expr::new(ExprKind::Elem(inputs.len()), ty));
            inputs.push(input);
        }
    }
    substitute(body, &replacement);
    m.inputs = inputs;
}

/// Renames `Elem(j)` to `Elem(f(j))` (not inside nested maps, whose elements are their own).
fn renumber(e: &mut Expr, f: &dyn Fn(usize) -> usize) {
    match &mut e.kind {
        ExprKind::Elem(j) => *j = f(*j),
        ExprKind::ArrayMap(_) => {}
        _ => each_child(e, &mut |c| renumber(c, f)),
    }
}

/// Replaces `Elem(k)` with `replacement[k]`.
fn substitute(e: &mut Expr, replacement: &[Expr]) {
    match &e.kind {
        ExprKind::Elem(k) => *e = replacement[*k].clone(),
        ExprKind::ArrayMap(_) => {}
        _ => each_child(e, &mut |c| substitute(c, replacement)),
    }
}

fn each_child(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    struct Each<'f>(&'f mut dyn FnMut(&mut Expr));
    impl VisitorMut for Each<'_> {
        fn visit_expr(&mut self, expr: &mut Expr) {
            (self.0)(expr);
        }
    }
    walk_expr_mut(&mut Each(f), e);
}
