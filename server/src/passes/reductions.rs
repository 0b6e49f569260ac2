//! Reductions of a prange body (Numba's rules): a scalar variable every assignment of which is
//! the same reduction update (`+=`, `-=`, `*=`, `/=`, `v = v op ...`, `v = min(v, ...)`,
//! `v = max(v, ...)`). Every other variable assigned in the body is private to its iteration,
//! unless the code around the loop reads it (see `shared_assignments`).

use std::collections::{BTreeMap, BTreeSet};

use crate::builtins::Reduction;
use crate::tir::visit::{walk_stmt, Visitor};
use crate::tir::{BinOp, DictOp, Expr, ExprKind, Function, ListOp, SetOp, Stmt, VarId};

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

/// Numbers a prange body assigns that are neither reductions nor private to an iteration: read
/// elsewhere in `f` (after the loop: `found = True`, `if a[i] < m: m = a[i]`). Numba leaves
/// their value after the loop undefined; kcache runs such a loop serially, so it is Python's.
pub fn shared_assignments(body: &[Stmt], f: &Function) -> Vec<VarId> {
    let mut assigned = Assignments::default();
    crate::tir::visit::walk_block(&mut assigned, body);
    let reductions: BTreeSet<VarId> = find(body, f).into_iter().map(|(v, _)| v).collect();
    let vars: BTreeSet<VarId> = assigned
        .0
        .into_keys()
        .filter(|v| f.vars[*v].ty.is_numeric() && !f.vars[*v].name.starts_with('$') && !reductions.contains(v))
        .collect();
    if vars.is_empty() {
        return Vec::new();
    }
    let mut reads = ReadsOutside {
        body: body.as_ptr(),
        vars,
        found: BTreeSet::new(),
    };
    crate::tir::visit::walk_block(&mut reads, &f.body);
    reads.found.into_iter().collect()
}

/// Reads of `vars` anywhere in a function but the prange body starting at `body`.
struct ReadsOutside {
    body: *const Stmt,
    vars: BTreeSet<VarId>,
    found: BTreeSet<VarId>,
}

impl Visitor for ReadsOutside {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        if let Stmt::ForRange { body, .. } = stmt {
            if std::ptr::eq(body.as_ptr(), self.body) {
                return;
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &Expr) {
        if let ExprKind::Var(v) = expr.kind {
            if self.vars.contains(&v) {
                self.found.insert(v);
            }
        }
        crate::tir::visit::walk_expr(self, expr);
    }
}

/// Whether a prange body grows, shrinks or clears a list, dict or set made outside it, or hands
/// one to a function (which may): containers are shared by reference and not thread-safe, so
/// the iterations would race on their buffers (lost items, or a crash when one thread
/// reallocates what another writes). Such a loop runs serially. A container the body makes
/// itself (assigned in it) is its iteration's own.
pub fn resizes_containers(body: &[Stmt]) -> bool {
    struct Finder {
        own: BTreeSet<VarId>,
        found: bool,
    }
    impl Finder {
        fn shared(&self, e: &Expr) -> bool {
            let container = e.ty.list_item().is_some() || e.ty.dict_types().is_some() || e.ty.set_item().is_some();
            container && !matches!(strip_casts(e).kind, ExprKind::Var(v) if self.own.contains(&v))
        }
    }
    impl Visitor for Finder {
        fn visit_expr(&mut self, expr: &Expr) {
            self.found |= match &expr.kind {
                ExprKind::List { op, list, .. } => {
                    !matches!(op, ListOp::Len | ListOp::Get | ListOp::Set | ListOp::ToArray) && self.shared(list)
                }
                ExprKind::Dict { op, dict, .. } => {
                    !matches!(
                        op,
                        DictOp::Len
                            | DictOp::Get
                            | DictOp::Contains
                            | DictOp::GetOr
                            | DictOp::Copy
                            | DictOp::Keys
                            | DictOp::Values
                            | DictOp::Items
                    ) && self.shared(dict)
                }
                ExprKind::Set { op, set, .. } => {
                    matches!(
                        op,
                        SetOp::Add
                            | SetOp::Discard
                            | SetOp::Remove
                            | SetOp::Pop
                            | SetOp::Clear
                            | SetOp::Update
                            | SetOp::IAnd
                            | SetOp::ISub
                            | SetOp::IXor
                    ) && self.shared(set)
                }
                ExprKind::Call { args, .. } => args.iter().any(|a| self.shared(a)),
                _ => false,
            };
            crate::tir::visit::walk_expr(self, expr);
        }
    }
    let mut assigned = Assignments::default();
    crate::tir::visit::walk_block(&mut assigned, body);
    let mut finder = Finder {
        own: assigned.0.into_keys().collect(),
        found: false,
    };
    crate::tir::visit::walk_block(&mut finder, body);
    finder.found
}
