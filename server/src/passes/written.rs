//! Which parameters of a function are arrays the code may write: stores into them, into local
//! aliases of them, or passing them to a callee parameter that is written. A fixpoint over the
//! call graph, so recursion is handled.

use crate::tir::visit::{walk_block, walk_expr, walk_stmt, Visitor};
use crate::tir::{Expr, ExprKind, Program, Stmt};

/// The variable whose memory an expression's array is (views, transposes and reshapes of a
/// variable share its memory; so does writing through them).
fn root_var(e: &Expr) -> Option<usize> {
    match &e.kind {
        ExprKind::Var(v) => Some(*v),
        ExprKind::Cast(inner)
        | ExprKind::View { array: inner, .. }
        | ExprKind::Transpose { array: inner, .. }
        | ExprKind::ComplexPart { array: inner, .. }
        | ExprKind::DtypeView(inner)
        | ExprKind::Reshape { array: inner, .. } => root_var(inner),
        _ => None,
    }
}

/// One function's facts: which array locals alias which variables, and which variables are
/// written (directly, or by passing them to a callee's written parameter).
struct Scan<'a> {
    program: &'a Program,
    written_in_callees: &'a [Vec<bool>],
    is_array: Vec<bool>,
    aliases: Vec<Vec<usize>>,
    hits: Vec<usize>,
}

impl Visitor for Scan<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Assign { var, value } if self.is_array[*var] => {
                if let Some(src) = root_var(value) {
                    self.aliases[*var].push(src);
                }
            }
            Stmt::SetItem { array, .. } => self.hits.extend(root_var(array)),
            Stmt::ArrayStore { dest, .. } => self.hits.extend(root_var(dest)),
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &Expr) {
        if let ExprKind::Call { func, args } = &expr.kind {
            let callee = &self.program.functions[*func];
            for (j, a) in args.iter().enumerate() {
                if let (Some(v), Some(p)) = (root_var(a), callee.params.get(j)) {
                    if self.written_in_callees[*func][*p] {
                        self.hits.push(v);
                    }
                }
            }
        }
        walk_expr(self, expr);
    }
}

/// The indices of `func`'s parameters the code may write.
pub fn params(program: &Program, func: usize) -> Vec<u32> {
    let written = variables(program);
    let f = &program.functions[func];
    f.params
        .iter()
        .enumerate()
        .filter(|(_, p)| written[func][**p])
        .map(|(i, _)| i as u32)
        .collect()
}

/// Module-level arrays are constants (Numba freezes them): the name of one a function may
/// write, directly or through a view or a callee.
pub fn written_global_array(program: &Program) -> Option<String> {
    let written = variables(program);
    program.functions.iter().enumerate().find_map(|(fid, f)| {
        f.vars.iter().enumerate().find_map(|(v, var)| {
            var.name
                .strip_prefix("$global:")
                .filter(|_| written[fid][v])
                .map(str::to_string)
        })
    })
}

/// Per function, per variable: whether the code may write the array it holds.
fn variables(program: &Program) -> Vec<Vec<bool>> {
    let mut written: Vec<Vec<bool>> = program.functions.iter().map(|f| vec![false; f.vars.len()]).collect();
    loop {
        let mut changed = false;
        for (fid, f) in program.functions.iter().enumerate() {
            let mut scan = Scan {
                program,
                written_in_callees: &written,
                is_array: f.vars.iter().map(|v| v.ty.array().is_some()).collect(),
                aliases: vec![Vec::new(); f.vars.len()],
                hits: Vec::new(),
            };
            walk_block(&mut scan, &f.body);
            let Scan { aliases, hits, .. } = scan;
            // Close over aliases: writing an alias writes what it came from.
            let mut stack = hits;
            while let Some(v) = stack.pop() {
                if !written[fid][v] {
                    written[fid][v] = true;
                    changed = true;
                    stack.extend(aliases[v].iter().copied());
                }
            }
        }
        if !changed {
            break;
        }
    }
    written
}
