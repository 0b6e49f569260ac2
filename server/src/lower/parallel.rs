//! `prange` loops: the body is outlined into a function the host's thread pool runs over chunks;
//! reductions get a private copy per chunk, combined in chunk order.

use std::fmt::Write as _;

use super::*;
use crate::builtins::Reduction;

/// The fewest iterations a chunk of a light body (straight-line scalar code, see `light`) is
/// given: handing a chunk to another thread costs about a microsecond when the workers are
/// awake and several when they sleep, while such an iteration costs a few nanoseconds, so
/// fewer iterations run on the calling thread alone (no pool, no atomics). A body that loops or
/// calls may cost anything per iteration and splits from two iterations up, as before.
pub(super) const MIN_LIGHT_CHUNK: i64 = 4096;

/// Operations on scalars that compute a value from their operands and nothing else.
pub(super) fn scalar_arithmetic(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::Const(_)
            | ExprKind::Elem(_)
            | ExprKind::Index(_)
            | ExprKind::Cast(_)
            | ExprKind::Binary { .. }
            | ExprKind::Compare { .. }
            | ExprKind::Unary { .. }
            | ExprKind::Logical { .. }
            | ExprKind::IfExp { .. }
            | ExprKind::Math { .. }
            | ExprKind::Builtin { .. }
    )
}

/// Whether each iteration of `body` is straight-line scalar work (no loops, calls or array
/// operations), so that its cost per iteration is known to be small.
pub(super) fn light(body: &[Stmt]) -> bool {
    body.iter().all(|s| match s {
        Stmt::Assign { value, .. } | Stmt::Expr(value) => light_expr(value),
        Stmt::SetItem { array, indices, value } => {
            light_expr(array) && indices.iter().all(light_expr) && light_expr(value)
        }
        Stmt::If { cond, then, orelse } => light_expr(cond) && light(then) && light(orelse),
        Stmt::Assert { cond, .. } => light_expr(cond),
        Stmt::Raise(_) => true,
        _ => false,
    })
}

fn light_expr(e: &Expr) -> bool {
    let scalar = !matches!(e.ty, Type::Array(_));
    let own = match &e.kind {
        ExprKind::Var(_) => true,
        ExprKind::Let { .. } | ExprKind::GetItem { .. } | ExprKind::ArrayDim { .. } | ExprKind::ArraySize(_) => scalar,
        kind => scalar && scalar_arithmetic(kind),
    };
    // An array operand is only ever read through (`a[i]`, `a.shape[0]`), never computed.
    own && crate::tir::visit::children(e)
        .into_iter()
        .all(|c| light_expr(c) && (!matches!(c.ty, Type::Array(_)) || matches!(c.kind, ExprKind::Var(_))))
}

impl<'p> Lowerer<'p> {
    /// A prange loop: the body is outlined into a function the host's thread pool runs over
    /// chunks of the iteration space; reductions get a private copy per chunk, combined here in
    /// chunk order. Without a host pool (no `kc_module_init`) the body runs as one chunk.
    pub(super) fn parallel_for(
        &mut self,
        var: VarId,
        start: &Expr,
        stop: &Expr,
        step: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) {
        // An empty region has nothing to hand out; the serial loop leaves the loop variable
        // as the region would and costs nothing once optimised.
        if body.is_empty() {
            return self.for_range(var, start, stop, step, body, orelse);
        }
        let f = self.func.expect("in a function");
        // A variable the loop shares with the code around it (not a reduction) would race or
        // be lost, and a list or dict resized by several threads at once would be corrupted:
        // such a loop runs serially, with Python's result.
        if !crate::passes::reductions::shared_assignments(body, f).is_empty()
            || crate::passes::reductions::resizes_containers(body)
        {
            return self.for_range(var, start, stop, step, body, orelse);
        }
        let reductions = crate::passes::reductions::find(body, f);
        let (start_v, step_v, const_step, trip) = self.range_bounds(start, stop, step);
        let nvars = f.vars.len();
        let nred = reductions.len().max(1);
        self.parallel_regions += 1;
        let body_name = llvm_name(&format!("{}.prange{}", f.symbol, self.parallel_regions));

        // The context: a pointer to every variable, then start, step, partials and the exception slot.
        let ctx = self.fresh();
        let start_slot = self.fresh();
        let step_slot = self.fresh();
        let _ = writeln!(self.allocas, "  {ctx} = alloca [{} x ptr]", nvars + 4);
        let _ = writeln!(self.allocas, "  {start_slot} = alloca i64");
        let _ = writeln!(self.allocas, "  {step_slot} = alloca i64");
        self.emit(format!("store i64 {}, ptr {start_slot}", start_v.r));
        self.emit(format!("store i64 {}, ptr {step_slot}", step_v.r));
        let ctx_slot = |lw: &mut Self, i: usize, value: &str| {
            let p = lw.inst(Ty::Ptr, format!("getelementptr inbounds ptr, ptr {ctx}, i64 {i}"));
            lw.emit(format!("store ptr {value}, ptr {}", p.r));
        };
        for i in 0..nvars {
            ctx_slot(self, i, &format!("%v{i}"));
        }
        ctx_slot(self, nvars, &start_slot);
        ctx_slot(self, nvars + 1, &step_slot);
        ctx_slot(self, nvars + 3, "%exc");

        // One chunk per iteration at most (per MIN_LIGHT_CHUNK iterations for a light body).
        let most = if light(body) {
            self.inst(Ty::I64, format!("sdiv i64 {}, {MIN_LIGHT_CHUNK}", trip.r))
        } else {
            trip.clone()
        };
        let region = self.region_threads(&most);
        let threads = region.threads.clone();
        self.declare("declare ptr @llvm.stacksave.p0()".into());
        self.declare("declare void @llvm.stackrestore.p0(ptr)".into());
        let sp = self.inst(Ty::Ptr, "call ptr @llvm.stacksave.p0()");
        let slots = self.inst(Ty::I64, format!("mul i64 {}, {nred}", threads.r));
        let partials = self.inst(Ty::Ptr, format!("alloca i64, i64 {}, align 8", slots.r));
        ctx_slot(self, nvars + 2, &partials.r);

        let st = self.call_region(&region, &body_name, &ctx, &trip);
        let failed = self.inst(Ty::I1, format!("icmp ne i32 {}, {MODULE_STATUS_OK}", st.r));
        let l_fail = self.new_label("par.raise");
        let l_ok = self.new_label("par.ok");
        self.terminate(format!("br i1 {}, label %{l_fail}, label %{l_ok}", failed.r));
        let _ = writeln!(self.body, "{l_fail}:\n  call void @llvm.stackrestore.p0(ptr {})", sp.r);
        self.terminated = false;
        self.propagate(&st.r);
        let _ = writeln!(self.body, "{l_ok}:");
        self.terminated = false;

        // Combine the partial results in chunk order.
        if !reductions.is_empty() {
            let t_slot = self.fresh();
            let _ = writeln!(self.allocas, "  {t_slot} = alloca i64");
            self.emit(format!("store i64 0, ptr {t_slot}"));
            let lc = self.new_label("par.combine");
            let lb = self.new_label("par.combine.body");
            let lx = self.new_label("par.combine.end");
            self.start_block(&lc);
            let t = self.inst(Ty::I64, format!("load i64, ptr {t_slot}"));
            let more = self.inst(Ty::I1, format!("icmp slt i64 {}, {}", t.r, threads.r));
            self.terminate(format!("br i1 {}, label %{lb}, label %{lx}", more.r));
            self.start_block(&lb);
            for (r, (v, op)) in reductions.iter().enumerate() {
                let s = f.vars[*v].ty.scalar().expect("reductions are scalars");
                let lt = llvm_scalar(s);
                let base = self.inst(Ty::I64, format!("mul i64 {}, {nred}", t.r));
                let idx = self.inst(Ty::I64, format!("add i64 {}, {r}", base.r));
                let p = self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds i64, ptr {}, i64 {}", partials.r, idx.r),
                );
                let part = self.inst(lt, format!("load {lt}, ptr {}", p.r));
                let cur = self.inst(lt, format!("load {lt}, ptr %v{v}"));
                let combined = match op {
                    Reduction::Add => self.binary(BinOp::Add, s, cur, part),
                    Reduction::Mul | Reduction::Div => self.binary(BinOp::Mul, s, cur, part),
                    Reduction::Min | Reduction::Max => {
                        let better = if s.is_float() {
                            let pred = if *op == Reduction::Max { "ogt" } else { "olt" };
                            self.inst(Ty::I1, format!("fcmp {pred} {lt} {}, {}", part.r, cur.r))
                        } else {
                            let pred = match (*op == Reduction::Max, s.is_signed()) {
                                (true, true) => "sgt",
                                (true, false) => "ugt",
                                (false, true) => "slt",
                                (false, false) => "ult",
                            };
                            self.inst(Ty::I1, format!("icmp {pred} {lt} {}, {}", part.r, cur.r))
                        };
                        self.inst(lt, format!("select i1 {}, {lt} {}, {lt} {}", better.r, part.r, cur.r))
                    }
                };
                self.emit(format!("store {lt} {}, ptr %v{v}", combined.r));
            }
            let next = self.inst(Ty::I64, format!("add i64 {}, 1", t.r));
            self.emit(format!("store i64 {}, ptr {t_slot}", next.r));
            self.terminate(format!("br label %{lc}"));
            self.start_block(&lx);
        }
        self.emit(format!("call void @llvm.stackrestore.p0(ptr {})", sp.r));
        // As after a serial loop, the loop variable holds the last value (if any iteration ran).
        let ran = self.inst(Ty::I1, format!("icmp sgt i64 {}, 0", trip.r));
        let last_k = self.inst(Ty::I64, format!("sub i64 {}, 1", trip.r));
        let off = self.inst(Ty::I64, format!("mul i64 {}, {}", last_k.r, step_v.r));
        let last = self.inst(Ty::I64, format!("add i64 {}, {}", start_v.r, off.r));
        let old = self.inst(Ty::I64, format!("load i64, ptr %v{var}"));
        let newv = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", ran.r, last.r, old.r));
        self.emit(format!("store i64 {}, ptr %v{var}", newv.r));
        self.block(orelse);

        self.outline(&body_name, f, var, body, &reductions, const_step);
    }

    /// How many chunks a region is split into: the host's thread count, at most `most`, at
    /// least one; one without a host pool (no `kc_module_init`).
    pub(super) fn region_threads(&mut self, most: &V) -> Region {
        let pool = self.inst(
            Ty::Ptr,
            format!("load ptr, ptr {}", host_field("parallel_for").global()),
        );
        let counter = self.inst(Ty::Ptr, format!("load ptr, ptr {}", host_field("num_threads").global()));
        let has_pool = self.inst(Ty::I1, format!("icmp ne ptr {}, null", pool.r));
        let threads_slot = self.fresh();
        let _ = writeln!(self.allocas, "  {threads_slot} = alloca i64");
        let l_ask = self.new_label("par.threads");
        let l_go = self.new_label("par.go");
        self.emit(format!("store i64 1, ptr {threads_slot}"));
        self.terminate(format!("br i1 {}, label %{l_ask}, label %{l_go}", has_pool.r));
        self.start_block(&l_ask);
        let asked = self.inst(Ty::I64, format!("call i64 {}()", counter.r));
        self.emit(format!("store i64 {}, ptr {threads_slot}", asked.r));
        self.start_block(&l_go);
        let t0 = self.inst(Ty::I64, format!("load i64, ptr {threads_slot}"));
        let t1 = self.inst(
            Ty::I64,
            format!("call i64 @llvm.smin.i64(i64 {}, i64 {})", t0.r, most.r),
        );
        let threads = self.inst(Ty::I64, format!("call i64 @llvm.smax.i64(i64 {}, i64 1)", t1.r));
        self.declare("declare i64 @llvm.smin.i64(i64, i64)".into());
        self.declare("declare i64 @llvm.smax.i64(i64, i64)".into());
        Region {
            pool,
            has_pool,
            threads,
        }
    }

    /// Runs the outlined `body` over `[0, trip)` in `region.threads` chunks; its status (i32).
    /// One chunk is called here directly, without the pool and its synchronisation.
    pub(super) fn call_region(&mut self, region: &Region, body: &str, ctx: &str, trip: &V) -> V {
        let status_slot = self.fresh();
        let _ = writeln!(self.allocas, "  {status_slot} = alloca i32");
        let l_pool = self.new_label("par.pool");
        let l_alone = self.new_label("par.alone");
        let l_done = self.new_label("par.done");
        let split = self.inst(Ty::I1, format!("icmp sgt i64 {}, 1", region.threads.r));
        let use_pool = self.inst(Ty::I1, format!("and i1 {}, {}", region.has_pool.r, split.r));
        self.terminate(format!("br i1 {}, label %{l_pool}, label %{l_alone}", use_pool.r));
        self.start_block(&l_pool);
        let st = self.inst(
            Ty::I32,
            format!(
                "call i32 {}(ptr {body}, ptr {ctx}, i64 {}, i64 {})",
                region.pool.r, trip.r, region.threads.r
            ),
        );
        self.emit(format!("store i32 {}, ptr {status_slot}", st.r));
        self.terminate(format!("br label %{l_done}"));
        self.start_block(&l_alone);
        let st = self.inst(
            Ty::I32,
            format!("call i32 {body}(ptr {ctx}, i64 0, i64 {}, i64 0)", trip.r),
        );
        self.emit(format!("store i32 {}, ptr {status_slot}", st.r));
        self.start_block(&l_done);
        self.inst(Ty::I32, format!("load i32, ptr {status_slot}"))
    }

    /// Starts an outlined function `i32 (ptr %ctx, i64 %lo, i64 %hi, i64 %chunk)`: the state
    /// of the function being lowered is set aside until `leave_outlined`.
    pub(super) fn enter_outlined(&mut self, reductions: Vec<VarId>) -> Outlining {
        Outlining {
            body: std::mem::take(&mut self.body),
            allocas: std::mem::take(&mut self.allocas),
            terminated: std::mem::replace(&mut self.terminated, false),
            loops: std::mem::take(&mut self.loops),
            reductions: std::mem::replace(&mut self.reductions, reductions),
            deferred: self.deferred_zero.take(),
            nesting: std::mem::replace(&mut self.loop_nesting, 0),
            temps: std::mem::take(&mut self.temps),
            in_region: std::mem::replace(&mut self.in_region, true),
            handlers: std::mem::take(&mut self.handlers),
            caught: std::mem::take(&mut self.caught),
        }
    }

    /// Emits the outlined function `name` and returns to the function it was outlined from.
    pub(super) fn leave_outlined(&mut self, name: &str, saved: Outlining) {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "define internal i32 {name}(ptr nocapture readonly %ctx, i64 %lo, i64 %hi, i64 %chunk) #0 {{\nentry:"
        );
        text.push_str(&self.allocas);
        text.push_str(&self.body);
        text.push_str("}\n\n");
        self.outlined.push_str(&text);

        self.body = saved.body;
        self.allocas = saved.allocas;
        self.terminated = saved.terminated;
        self.loops = saved.loops;
        self.reductions = saved.reductions;
        self.deferred_zero = saved.deferred;
        self.loop_nesting = saved.nesting;
        self.temps = saved.temps;
        self.in_region = saved.in_region;
        self.handlers = saved.handlers;
        self.caught = saved.caught;
    }

    /// Emits the outlined body of a prange: `i32 body(ctx, lo, hi, chunk)`.
    pub(super) fn outline(
        &mut self,
        name: &str,
        f: &'p Function,
        var: VarId,
        body: &[Stmt],
        reductions: &[(VarId, Reduction)],
        const_step: Option<i64>,
    ) {
        let saved = self.enter_outlined(reductions.iter().map(|(v, _)| *v).collect());
        let nvars = f.vars.len();
        let nred = reductions.len().max(1);

        for (i, v) in f.vars.iter().enumerate() {
            let t = llvm_type(&v.ty);
            if v.ty.array().is_some() {
                // A copy of the parent's descriptor without its owner: the parent keeps the
                // array alive for the whole region, and a variable the body assigns owns only
                // what it assigns (dropped when the chunk ends).
                let _ = writeln!(
                    self.allocas,
                    "  %v{i} = alloca {ARRAY_TYPE}, align 8\n  %cp{i} = getelementptr inbounds ptr, ptr %ctx, i64 {i}\n  %pp{i} = load ptr, ptr %cp{i}\n  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v{i}, ptr align 8 %pp{i}, i64 {}, i1 false)\n  %v{i}.o = getelementptr inbounds i8, ptr %v{i}, i64 {}\n  store ptr null, ptr %v{i}.o",
                    kcache_abi::llvm::ARRAY_SIZE,
                    kcache_abi::array_owner_offset()
                );
                self.declare("declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)".into());
                continue;
            }
            if v.ty.is_aggregate() {
                // A tuple is copied the same way: its arrays' owners cleared.
                let slot = self.owned_slot(&v.ty);
                let _ = writeln!(
                    self.allocas,
                    "  %v{i} = getelementptr inbounds i8, ptr {slot}, i64 0
  %cp{i} = getelementptr inbounds ptr, ptr %ctx, i64 {i}
  %pp{i} = load ptr, ptr %cp{i}
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v{i}, ptr align 8 %pp{i}, i64 {}, i1 false)",
                    memory::storage_size(&v.ty).0
                );
                memory::null_owners(&mut self.allocas, &format!("%v{i}"), &v.ty, &mut 0);
                self.declare("declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)".into());
                continue;
            }
            let _ = writeln!(self.allocas, "  %v{i} = alloca {t}");
            let _ = writeln!(
                self.allocas,
                "  %cp{i} = getelementptr inbounds ptr, ptr %ctx, i64 {i}\n  %pp{i} = load ptr, ptr %cp{i}\n  %lv{i} = load {t}, ptr %pp{i}\n  store {t} %lv{i}, ptr %v{i}"
            );
        }
        let _ = writeln!(
            self.allocas,
            "  %cstart = getelementptr inbounds ptr, ptr %ctx, i64 {nvars}\n  %pstart = load ptr, ptr %cstart\n  %start = load i64, ptr %pstart"
        );
        let _ = writeln!(
            self.allocas,
            "  %cstep = getelementptr inbounds ptr, ptr %ctx, i64 {}\n  %pstep = load ptr, ptr %cstep\n  %step = load i64, ptr %pstep",
            nvars + 1
        );
        let _ = writeln!(
            self.allocas,
            "  %cexc = getelementptr inbounds ptr, ptr %ctx, i64 {}\n  %exc = load ptr, ptr %cexc",
            nvars + 3
        );
        // Private accumulators start at the operator's identity (min/max at the current value).
        for (v, op) in reductions {
            let s = f.vars[*v].ty.scalar().expect("reductions are scalars");
            let lt = llvm_scalar(s);
            let identity = match (op, s.is_float()) {
                (Reduction::Add, true) => Some("0.0"),
                (Reduction::Add, false) => Some("0"),
                (Reduction::Mul | Reduction::Div, true) => Some("1.0"),
                (Reduction::Mul | Reduction::Div, false) => Some("1"),
                (Reduction::Min | Reduction::Max, _) => None,
            };
            if let Some(id) = identity {
                let _ = writeln!(self.allocas, "  store {lt} {id}, ptr %v{v}");
            }
        }
        let start_v = V::i64("%start");
        let step_v = V::i64("%step");
        let lo = V::i64("%lo");
        let hi = V::i64("%hi");
        self.counted_loop(var, &lo, &hi, &start_v, &step_v, const_step, body, &[]);
        let cp = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds ptr, ptr %ctx, i64 {}", nvars + 2),
        );
        let partials = self.inst(Ty::Ptr, format!("load ptr, ptr {}", cp.r));
        for (r, (v, _)) in reductions.iter().enumerate() {
            let lt = llvm_type(&f.vars[*v].ty);
            let base = self.inst(Ty::I64, format!("mul i64 %chunk, {nred}"));
            let idx = self.inst(Ty::I64, format!("add i64 {}, {r}", base.r));
            let p = self.inst(
                Ty::Ptr,
                format!("getelementptr inbounds i64, ptr {}, i64 {}", partials.r, idx.r),
            );
            let val = self.inst(lt, format!("load {lt}, ptr %v{v}"));
            self.emit(format!("store {lt} {}, ptr {}", val.r, p.r));
        }
        self.ret(MODULE_STATUS_OK);

        self.leave_outlined(name, saved);
    }
}

/// A region's split, from `region_threads`.
pub(super) struct Region {
    pool: V,
    has_pool: V,
    pub threads: V,
}

/// The state of the function an outlined body was taken from.
pub(super) struct Outlining {
    body: String,
    allocas: String,
    terminated: bool,
    loops: Vec<(String, String)>,
    reductions: Vec<VarId>,
    deferred: Option<String>,
    nesting: usize,
    temps: Vec<(String, Type)>,
    in_region: bool,
    handlers: Vec<super::Handler>,
    caught: Vec<String>,
}
