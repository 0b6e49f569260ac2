//! Bounds on nesting, checked once after parsing, so that no later stage sees a tree deeper than
//! CPython itself compiles. CPython 3.11 refuses expressions nested about 3,000 deep
//! (`RecursionError` during compilation) and blocks past 100 levels of indentation.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::diag::{CompileError, DiagKind, SourceMap};

/// Deepest expression (operators, calls, attributes, subscripts nested in one another; a flat
/// `x + 1 + 1 + ...` chain is as deep as it is long, as in CPython's tree).
pub const MAX_EXPR_NESTING: usize = 2_900;
/// Deepest nesting of blocks (`def`, `for`, `while`, `if`, `with`, `try`); an `elif` chain is flat.
pub const MAX_BLOCK_NESTING: usize = 100;

/// The first place nested deeper than a limit, as a syntax error at its line and column.
pub fn check_nesting(body: &[Stmt], map: &SourceMap) -> Result<(), CompileError> {
    let mut depth = Depth::default();
    for stmt in body {
        depth.visit_stmt(stmt);
        if let Some((range, message)) = depth.error.take() {
            return Err(map.error(DiagKind::Syntax, range, message));
        }
    }
    Ok(())
}

/// Drops a tree that failed the check. The drop glue recurses once per level and a 4 MB source
/// can nest a million levels, so it runs on a stack sized by the source.
pub fn drop_deep(module: ModModule, source_len: usize) {
    const PER_BYTE: usize = 512;
    stacker::grow(source_len.saturating_mul(PER_BYTE).max(1 << 20), move || drop(module));
}

#[derive(Default)]
struct Depth {
    expr: usize,
    block: usize,
    error: Option<(TextRange, String)>,
}

impl<'a> Visitor<'a> for Depth {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.error.is_some() {
            return;
        }
        let block = matches!(
            stmt,
            Stmt::FunctionDef(_)
                | Stmt::ClassDef(_)
                | Stmt::If(_)
                | Stmt::For(_)
                | Stmt::While(_)
                | Stmt::With(_)
                | Stmt::Try(_)
                | Stmt::Match(_)
        );
        if block {
            if self.block == MAX_BLOCK_NESTING {
                self.error = Some((
                    stmt.range(),
                    format!(
                        "blocks nested deeper than {MAX_BLOCK_NESTING} levels (Python: too many levels of indentation)"
                    ),
                ));
                return;
            }
            self.block += 1;
        }
        crate::stack::deep(|| walk_stmt(self, stmt));
        if block {
            self.block -= 1;
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.error.is_some() {
            return;
        }
        if self.expr == MAX_EXPR_NESTING {
            self.error = Some((
                expr.range(),
                format!(
                    "expression nested deeper than {MAX_EXPR_NESTING} levels (CPython refuses it too); split it into statements"
                ),
            ));
            return;
        }
        self.expr += 1;
        crate::stack::deep(|| walk_expr(self, expr));
        self.expr -= 1;
    }
}
