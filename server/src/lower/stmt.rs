//! Statements and loops: assignments, stores, `if`/`while`, and counted `for` loops in the
//! canonical form LLVM's loop vectoriser recognises.

use std::fmt::Write as _;

use super::*;

impl<'p> Lowerer<'p> {
    pub(super) fn stmt(&mut self, s: &Stmt) {
        crate::stack::deep(|| self.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::Assign { var, value } => {
                let v = match &value.kind {
                    // A reduction update in a prange body: partial sums may be reordered.
                    ExprKind::Binary { op, lhs, rhs } if self.reductions.contains(var) => {
                        let s = lhs.ty.scalar().expect("scalar operands");
                        let a = self.expr(lhs);
                        let b = self.expr(rhs);
                        self.force_reassoc = true;
                        let r = self.binary(*op, s, a, b);
                        self.force_reassoc = false;
                        r
                    }
                    _ => self.expr(value),
                };
                if value.ty.is_aggregate() {
                    self.assign_array(*var, &v);
                } else {
                    self.emit(format!("store {} {}, ptr %v{var}", v.t, v.r));
                }
            }
            Stmt::SetItem { array, indices, value } => {
                let at = array.ty.array().expect("typed IR checks");
                // Python evaluates the value first, then the array, then the indices.
                let v = self.expr(value);
                let a = self.expr(array);
                let idx: Vec<array::Index> = indices.iter().map(|i| self.index(i)).collect();
                let ptr = self.element_ptr(&a, at, &idx);
                let stored = if at.dtype == Scalar::Bool {
                    self.inst(Ty::I8, format!("zext i1 {} to i8", v.r))
                } else {
                    v
                };
                self.emit(format!("store {} {}, ptr {}", stored.t, stored.r, ptr.r));
            }
            Stmt::If { cond, then, orelse } => {
                let mark = self.temps.len();
                let c = self.expr(cond);
                self.release_temps(mark);
                let lt = self.new_label("then");
                let le = self.new_label("else");
                let lj = self.new_label("endif");
                self.terminate(format!("br i1 {}, label %{lt}, label %{le}", c.r));
                self.start_block(&lt);
                self.block(then);
                if !self.terminated {
                    self.terminate(format!("br label %{lj}"));
                }
                self.start_block(&le);
                self.block(orelse);
                self.start_block(&lj);
            }
            Stmt::While { cond, body, orelse } => {
                let lc = self.new_label("while.cond");
                let lb = self.new_label("while.body");
                let le = self.new_label("while.else");
                let lx = self.new_label("while.end");
                self.enter_loop();
                self.start_block(&lc);
                let mark = self.temps.len();
                let c = self.expr(cond);
                self.release_temps(mark);
                self.terminate(format!("br i1 {}, label %{lb}, label %{le}", c.r));
                self.start_block(&lb);
                self.loops.push((lc.clone(), lx.clone()));
                self.loop_marks.push(self.temps.len());
                self.block(body);
                self.loops.pop();
                self.loop_marks.pop();
                if !self.terminated {
                    self.terminate(format!("br label %{lc}"));
                }
                self.start_block(&le);
                self.block(orelse);
                self.start_block(&lx);
                self.leave_loop();
            }
            Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body,
                orelse,
                parallel: true,
            } => self.parallel_for(*var, start, stop, step, body, orelse),
            Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body,
                orelse,
                ..
            } => self.for_range(*var, start, stop, step, body, orelse),
            Stmt::Break => {
                let (_, brk) = self.loops.last().expect("inference checks break is in a loop").clone();
                self.release_loop_body_temps();
                self.terminate(format!("br label %{brk}"));
            }
            Stmt::Continue => {
                let (cont, _) = self
                    .loops
                    .last()
                    .expect("inference checks continue is in a loop")
                    .clone();
                self.release_loop_body_temps();
                self.terminate(format!("br label %{cont}"));
            }
            Stmt::Return(value) => {
                if let Some(e) = value {
                    let v = self.expr(e);
                    if e.ty.is_aggregate() {
                        // The caller gets the references: a temporary's move, a variable's are
                        // shared (its own are dropped with the other variables).
                        self.acquire_value(&v, &e.ty);
                        self.copy_value("%ret", &v, &e.ty);
                    } else {
                        self.emit(format!("store {} {}, ptr %ret", v.t, v.r));
                    }
                }
                if self.loop_nesting > 0 {
                    self.check_deferred_zero();
                }
                // Every live temporary is released on this path; they stay listed, since the
                // paths that do not return here (an enclosing loop's header) still hold them.
                let live = self.temps.clone();
                for (t, ty) in live {
                    self.release_value(&t, &ty);
                }
                self.ret(MODULE_STATUS_OK);
            }
            Stmt::Raise(r) => self.raise(&r.exception, &r.message),
            Stmt::Try {
                body,
                handler,
                orelse,
                finalbody,
            } => self.try_stmt(body, handler.as_deref(), orelse, finalbody),
            Stmt::Reraise => self.reraise(),
            Stmt::Assert { cond, raise } => {
                let c = self.expr(cond);
                let bad = self.inst(Ty::I1, format!("xor i1 {}, true", c.r));
                self.raise_if(&bad, &raise.exception, &raise.message);
            }
            Stmt::ArrayStore { dest, value } => self.array_store(dest, value),
            Stmt::Expr(e) => {
                self.expr(e);
            }
        }
    }

    pub(super) fn for_range(
        &mut self,
        var: VarId,
        start: &Expr,
        stop: &Expr,
        step: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) {
        let (start_v, step_v, const_step, trip) = self.range_bounds(start, stop, step);
        let zero = V {
            r: "0".into(),
            t: Ty::I64,
        };
        self.counted_loop(var, &zero, &trip, &start_v, &step_v, const_step, body, orelse);
    }

    /// Evaluates a range's bounds: (start, step, the step if constant, trip count).
    pub(super) fn range_bounds(&mut self, start: &Expr, stop: &Expr, step: &Expr) -> (V, V, Option<i64>, V) {
        let start_v = self.expr(start);
        let stop_v = self.expr(stop);
        let const_step = match step.kind {
            ExprKind::Const(ConstValue::Int(s)) => Some(s),
            _ => None,
        };
        let step_v = self.expr(step);
        // Trip count by Python's range length rule, then a canonical counted loop LLVM can vectorise.
        let trip = match const_step {
            Some(1) => {
                let d = self.inst(Ty::I64, format!("sub i64 {}, {}", stop_v.r, start_v.r));
                self.inst(Ty::I64, format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", d.r))
            }
            Some(s) if s > 0 => {
                let d = self.inst(Ty::I64, format!("sub i64 {}, {}", stop_v.r, start_v.r));
                let d = self.inst(Ty::I64, format!("add i64 {}, {}", d.r, s - 1));
                let q = self.inst(Ty::I64, format!("sdiv i64 {}, {s}", d.r));
                self.inst(Ty::I64, format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
            Some(s) if s < 0 => {
                let d = self.inst(Ty::I64, format!("sub i64 {}, {}", start_v.r, stop_v.r));
                let d = self.inst(Ty::I64, format!("add i64 {}, {}", d.r, -s - 1));
                let q = self.inst(Ty::I64, format!("sdiv i64 {}, {}", d.r, -s));
                self.inst(Ty::I64, format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
            _ => {
                let zero = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", step_v.r));
                self.raise_if(&zero, "ValueError", "range() arg 3 must not be zero");
                let pos = self.inst(Ty::I1, format!("icmp sgt i64 {}, 0", step_v.r));
                let lo = self.inst(
                    Ty::I64,
                    format!("select i1 {}, i64 {}, i64 {}", pos.r, start_v.r, stop_v.r),
                );
                let hi = self.inst(
                    Ty::I64,
                    format!("select i1 {}, i64 {}, i64 {}", pos.r, stop_v.r, start_v.r),
                );
                let mag = self.inst(Ty::I64, format!("call i64 @llvm.abs.i64(i64 {}, i1 false)", step_v.r));
                let d = self.inst(Ty::I64, format!("sub i64 {}, {}", hi.r, lo.r));
                let d = self.inst(Ty::I64, format!("add i64 {}, {}", d.r, mag.r));
                let d = self.inst(Ty::I64, format!("sub i64 {}, 1", d.r));
                let q = self.inst(Ty::I64, format!("sdiv i64 {}, {}", d.r, mag.r));
                self.inst(Ty::I64, format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
        };
        self.declare("declare i64 @llvm.smax.i64(i64, i64)".into());
        self.declare("declare i64 @llvm.abs.i64(i64, i1)".into());
        (start_v, step_v, const_step, trip)
    }

    /// `for k in lo..hi: var = start + k*step; body` (no else clause).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn counted_loop(
        &mut self,
        var: VarId,
        lo: &V,
        hi: &V,
        start_v: &V,
        step_v: &V,
        const_step: Option<i64>,
        body: &[Stmt],
        orelse: &[Stmt],
    ) {
        let trip = hi;
        self.enter_loop();
        let counter = self.fresh();
        let _ = writeln!(self.allocas, "  {counter} = alloca i64");
        self.emit(format!("store i64 {}, ptr {counter}", lo.r));
        let lc = self.new_label("for.cond");
        let lb = self.new_label("for.body");
        let ll = self.new_label("for.latch");
        let le = self.new_label("for.else");
        let lx = self.new_label("for.end");
        self.start_block(&lc);
        let k = self.inst(Ty::I64, format!("load i64, ptr {counter}"));
        let more = self.inst(Ty::I1, format!("icmp slt i64 {}, {}", k.r, trip.r));
        self.terminate(format!("br i1 {}, label %{lb}, label %{le}", more.r));
        self.start_block(&lb);
        let i = match const_step {
            Some(1) => self.inst(Ty::I64, format!("add nsw i64 {}, {}", start_v.r, k.r)),
            _ => {
                let off = self.inst(Ty::I64, format!("mul nsw i64 {}, {}", k.r, step_v.r));
                self.inst(Ty::I64, format!("add nsw i64 {}, {}", start_v.r, off.r))
            }
        };
        debug_assert_eq!(self.var_type(var), &Type::I64);
        self.emit(format!("store i64 {}, ptr %v{var}", i.r));
        self.loops.push((ll.clone(), lx.clone()));
        self.loop_marks.push(self.temps.len());
        self.block(body);
        self.loops.pop();
        self.loop_marks.pop();
        self.start_block(&ll);
        let k2 = self.inst(Ty::I64, format!("load i64, ptr {counter}"));
        let next = self.inst(Ty::I64, format!("add nuw nsw i64 {}, 1", k2.r));
        self.emit(format!("store i64 {}, ptr {counter}", next.r));
        if self.opts.fastmath {
            // Forcing vectorisation raises LLVM's budget of runtime alias checks (kernels with
            // many arrays, like black_scholes, exceed the default eight).
            let id = 100 + self.forced_loops.len();
            self.forced_loops.push(id);
            self.terminate(format!("br label %{lc}, !llvm.loop !{id}"));
        } else if strict_float_chain(body, self.func.expect("in a function"), &self.reductions) {
            let id = 100 + self.forced_loops.len() + self.chain_loops.len();
            self.chain_loops.push(id);
            self.terminate(format!("br label %{lc}, !llvm.loop !{id}"));
        } else {
            self.terminate(format!("br label %{lc}"));
        }
        self.start_block(&le);
        self.block(orelse);
        self.start_block(&lx);
        self.leave_loop();
    }
}

/// A small innermost loop body that carries a float accumulation of plain arithmetic on array
/// elements (`s += a[i]`, `s += a[i] * b[i]`, `p = p * a[i]`) that may not be reordered (no
/// fastmath, not a prange reduction): each iteration waits for the previous one's sum, so
/// unrolling the loop does not make it faster (measured: sums, dot products and products of
/// 1e4-1e6 elements ran the same without it), while LLVM's runtime unrolling of it is a quarter
/// of compute_sum's cold compile. A body that calls anything (`s += math.exp(x[i] - m)`) keeps
/// the unrolling: there the calls of several iterations overlap (1.7x faster unrolled).
fn strict_float_chain(body: &[Stmt], f: &Function, reordered: &[VarId]) -> bool {
    fn plain(e: &Expr) -> bool {
        crate::stack::deep(|| plain_inner(e))
    }
    fn plain_inner(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Const(_) | ExprKind::Var(_) => true,
            ExprKind::Cast(inner) => plain(inner),
            ExprKind::Unary { operand, .. } => plain(operand),
            ExprKind::Binary {
                op: BinOp::Add | BinOp::Sub | BinOp::Mul,
                lhs,
                rhs,
            } => plain(lhs) && plain(rhs),
            ExprKind::GetItem { array, indices } => plain(array) && indices.iter().all(plain),
            _ => false,
        }
    }
    let reads = |e: &Expr, var: VarId| matches!(e.kind, ExprKind::Var(v) if v == var);
    let mut carries = false;
    for s in body {
        match s {
            Stmt::Assign { var, value } if plain(value) => {
                carries |= f.vars[*var].ty.scalar().is_some_and(Scalar::is_float)
                    && !reordered.contains(var)
                    && matches!(&value.kind, ExprKind::Binary { lhs, rhs, .. } if reads(lhs, *var) || reads(rhs, *var));
            }
            Stmt::SetItem { array, indices, value } if plain(array) && plain(value) && indices.iter().all(plain) => {}
            _ => return false,
        }
    }
    carries && body.len() <= 3
}
