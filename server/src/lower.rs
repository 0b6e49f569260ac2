//! Stage 4: lower the typed IR to LLVM IR (textual, as Numba's llvmlite does), which the next stage
//! parses, optimises and emits with LLVM. Python semantics (floor division, negative indices,
//! ZeroDivisionError, ...) are spelled out here, once.
//!
//! ABI of the generated shared object:
//! - `kc_entry_<name>`: typed entry, scalars by value (bool as `i1 zeroext`), arrays as
//!   `const kc_array *`, result by value. On a kernel exception it reports the message through the
//!   host's `set_error` hook (see `kc_module_init`) and returns zero.
//! - `kc_generic_<name>(void *const *args, void *ret, const char **error) -> int32`: 0 on
//!   success; otherwise `*error` points at "ExceptionName: message" inside the shared object.
//! - `kc_module_init(const kc_host_api *)`: the host's function table, called once after loading.
//!
//! Every internal function returns an `i32` status (0 = ok) and writes its result through its
//! first parameter, so exceptions propagate by plain returns.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::parse::ConstValue;
use crate::tir::*;
use crate::types::{ArrayType, Layout, Scalar, Type};

/// Byte offsets inside `kc_array` (see include/kcache.h).
pub const ARRAY_DATA: u64 = 0;
pub const ARRAY_SHAPE: u64 = 16;
pub const ARRAY_STRIDES: u64 = 80;

/// Version of the host table layout `kc_module_init` reads.
pub const HOST_API_VERSION: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorModel {
    Python,
    Numpy,
}

#[derive(Clone, Debug)]
pub struct LowerOptions {
    pub error_model: ErrorModel,
    pub boundscheck: bool,
    pub fastmath: bool,
    pub target_cpu: String,
    pub target_features: String,
}

/// Symbols a compiled entry exports.
pub struct EntrySymbols {
    pub typed: String,
    pub generic: String,
}

pub fn entry_symbols(entry: &str) -> EntrySymbols {
    EntrySymbols {
        typed: format!("kc_entry_{entry}"),
        generic: format!("kc_generic_{entry}"),
    }
}

pub fn lower_program(program: &Program, opts: &LowerOptions, triple: &str, data_layout: &str) -> String {
    let mut lw = Lowerer {
        program,
        opts,
        globals: String::new(),
        decls: BTreeSet::new(),
        strings: BTreeMap::new(),
        body: String::new(),
        tmp: 0,
        label: 0,
        terminated: false,
        loops: Vec::new(),
        func: None,
        allocas: String::new(),
        outlined: String::new(),
        parallel_regions: 0,
        reductions: Vec::new(),
        force_reassoc: false,
        mvec_attrs: BTreeMap::new(),
        loop_nesting: 0,
        deferred_zero: None,
        forced_loops: Vec::new(),
    };
    let mut functions = String::new();
    for f in &program.functions {
        lw.function(f);
        functions.push_str(&lw.body);
        lw.body.clear();
        functions.push_str(&lw.outlined);
        lw.outlined.clear();
    }
    let entry = &program.functions[program.entry];
    functions.push_str(&lw.entries(entry));

    let mut out = String::new();
    let _ = writeln!(out, "; kcache kernel module");
    let _ = writeln!(out, "target datalayout = \"{data_layout}\"");
    let _ = writeln!(out, "target triple = \"{triple}\"");
    out.push('\n');
    let _ = writeln!(out, "@kc_host_set_error = internal global ptr null");
    let _ = writeln!(out, "@kc_host_parallel_for = internal global ptr null");
    let _ = writeln!(out, "@kc_host_num_threads = internal global ptr null");
    let _ = writeln!(out, "@kc_module_abi = dso_local constant i64 {HOST_API_VERSION}");
    out.push_str(&lw.globals);
    out.push('\n');
    out.push_str(&functions);
    for d in &lw.decls {
        let _ = writeln!(out, "{d}");
    }
    // The target machine carries the CPU and its features; repeating them on every function
    // only makes LLVM parse the feature string again.
    let _ = writeln!(out, "\nattributes #0 = {{ nounwind }}");
    let _ = writeln!(out, "attributes #1 = {{ nounwind willreturn memory(none) }}");
    let _ = writeln!(out, "attributes #3 = {{ nounwind noinline }}");
    // Vector variants must survive until the loop vectoriser looks for them.
    let mut vector_fns: Vec<String> = lw
        .decls
        .iter()
        .filter_map(|d| d.strip_prefix("declare <").and_then(|r| r.split('@').nth(1)))
        .map(|r| r.split('(').next().unwrap_or("").to_string())
        .filter(|n| n.starts_with("_ZGV"))
        .collect();
    vector_fns.sort();
    if !vector_fns.is_empty() {
        let list: Vec<String> = vector_fns.iter().map(|n| format!("ptr @{n}")).collect();
        let _ = writeln!(
            out,
            "@llvm.compiler.used = appending global [{} x ptr] [{}], section \"llvm.metadata\"",
            list.len(),
            list.join(", ")
        );
    }
    for (group, variants) in lw.mvec_attrs.values() {
        let _ = writeln!(
            out,
            "attributes #{group} = {{ \"vector-function-abi-variant\"=\"{variants}\" }}"
        );
    }
    let _ = writeln!(out, "!0 = !{{}}");
    let _ = writeln!(out, "!1 = !{{!\"branch_weights\", i32 1, i32 1048575}}");
    let _ = writeln!(out, "!2 = !{{!\"llvm.loop.vectorize.enable\", i1 true}}");
    for id in &lw.forced_loops {
        let _ = writeln!(out, "!{id} = distinct !{{!{id}, !2}}");
    }
    out
}

#[derive(Clone, Debug)]
struct V {
    r: String,
    t: &'static str,
}

struct Lowerer<'p> {
    program: &'p Program,
    opts: &'p LowerOptions,
    globals: String,
    decls: BTreeSet<String>,
    strings: BTreeMap<String, String>,
    body: String,
    allocas: String,
    tmp: usize,
    label: usize,
    terminated: bool,
    /// (continue target, break target) of the enclosing loops.
    loops: Vec<(String, String)>,
    func: Option<&'p Function>,
    /// Outlined prange bodies, emitted after the function that owns them.
    outlined: String,
    parallel_regions: usize,
    /// Reduction variables of the prange body being lowered: their updates may reassociate.
    reductions: Vec<VarId>,
    force_reassoc: bool,
    /// libmvec-mapped functions: name → (attribute group number, vector variants).
    mvec_attrs: BTreeMap<String, (usize, String)>,
    /// Loops being lowered around the current statement (counted and while).
    loop_nesting: usize,
    /// With fastmath, float divisions by zero inside loops set this flag (an i1 alloca) and
    /// raise after the outermost loop: a branch per division would stop vectorisation.
    deferred_zero: Option<String>,
    /// Loops that carry `llvm.loop.vectorize.enable` (fastmath), by metadata id.
    forced_loops: Vec<usize>,
}

/// How a prange reduction variable is updated, and so how partial results combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RedOp {
    Add,
    Mul,
    Div,
    Min,
    Max,
}

fn strip_casts(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Cast(inner) => strip_casts(inner),
        _ => e,
    }
}

fn is_var(e: &Expr, v: VarId) -> bool {
    matches!(strip_casts(e).kind, ExprKind::Var(x) if x == v)
}

/// The reduction an assignment `v = <value>` performs, if it is one (Numba's rules: `+=`, `-=`,
/// `*=`, `/=`, `v = v op ...`, `v = min(v, ...)`, `v = max(v, ...)`).
fn reduction_of(v: VarId, value: &Expr) -> Option<RedOp> {
    match &strip_casts(value).kind {
        ExprKind::Binary { op, lhs, .. } if is_var(lhs, v) => match op {
            BinOp::Add | BinOp::Sub => Some(RedOp::Add),
            BinOp::Mul => Some(RedOp::Mul),
            BinOp::TrueDiv => Some(RedOp::Div),
            _ => None,
        },
        ExprKind::Binary {
            op: BinOp::Add | BinOp::Mul,
            rhs,
            ..
        } if is_var(rhs, v) => match strip_casts(value).kind {
            ExprKind::Binary { op: BinOp::Add, .. } => Some(RedOp::Add),
            _ => Some(RedOp::Mul),
        },
        ExprKind::MinMax { max, args } if args.iter().any(|a| is_var(a, v)) => {
            Some(if *max { RedOp::Max } else { RedOp::Min })
        }
        _ => None,
    }
}

fn collect_assignments(body: &[Stmt], out: &mut BTreeMap<VarId, Vec<Option<RedOp>>>) {
    for s in body {
        match s {
            Stmt::Assign { var, value } => out.entry(*var).or_default().push(reduction_of(*var, value)),
            Stmt::If { then, orelse, .. } => {
                collect_assignments(then, out);
                collect_assignments(orelse, out);
            }
            Stmt::While { body, orelse, .. } => {
                collect_assignments(body, out);
                collect_assignments(orelse, out);
            }
            Stmt::ForRange { var, body, orelse, .. } => {
                out.entry(*var).or_default().push(None);
                collect_assignments(body, out);
                collect_assignments(orelse, out);
            }
            _ => {}
        }
    }
}

/// Variables of a prange body that are reductions: every assignment to them is the same
/// reduction operator. Every other variable assigned in the body is private to its iteration.
fn find_reductions(body: &[Stmt], f: &Function) -> Vec<(VarId, RedOp)> {
    let mut assigned = BTreeMap::new();
    collect_assignments(body, &mut assigned);
    assigned
        .into_iter()
        .filter(|(v, _)| f.vars[*v].ty.is_numeric() && !f.vars[*v].name.starts_with('$'))
        .filter_map(|(v, ops)| {
            let first = ops[0]?;
            ops.iter().all(|o| *o == Some(first)).then_some((v, first))
        })
        .collect()
}

pub fn llvm_scalar(s: Scalar) -> &'static str {
    match s {
        Scalar::Bool => "i1",
        Scalar::I8 | Scalar::U8 => "i8",
        Scalar::I16 | Scalar::U16 => "i16",
        Scalar::I32 | Scalar::U32 => "i32",
        Scalar::I64 | Scalar::U64 => "i64",
        Scalar::F32 => "float",
        Scalar::F64 => "double",
    }
}

/// How an element is stored in memory (bool as a byte, as NumPy does).
fn llvm_mem(s: Scalar) -> &'static str {
    if s == Scalar::Bool {
        "i8"
    } else {
        llvm_scalar(s)
    }
}

pub fn llvm_type(t: &Type) -> &'static str {
    match t {
        Type::Scalar(s) => llvm_scalar(*s),
        Type::Array(_) => "ptr",
        Type::None => "void",
        Type::IntTuple(_) => "i64",
    }
}

fn float_lit(x: f64) -> String {
    format!("0x{:016X}", x.to_bits())
}

fn float32_lit(x: f64) -> String {
    // LLVM spells float constants as the double that the float widens to.
    float_lit(x as f32 as f64)
}

fn llvm_name(symbol: &str) -> String {
    format!("@\"{}\"", symbol.replace('"', "_"))
}

impl<'p> Lowerer<'p> {
    fn fresh(&mut self) -> String {
        self.tmp += 1;
        format!("%t{}", self.tmp)
    }

    fn new_label(&mut self, hint: &str) -> String {
        self.label += 1;
        format!("{hint}{}", self.label)
    }

    fn emit(&mut self, line: impl AsRef<str>) {
        if self.terminated {
            // Code after a return/break/raise: give it a block of its own; LLVM drops it.
            let l = self.new_label("dead");
            let _ = writeln!(self.body, "{l}:");
            self.terminated = false;
        }
        let _ = writeln!(self.body, "  {}", line.as_ref());
    }

    fn inst(&mut self, t: &'static str, text: impl AsRef<str>) -> V {
        let r = self.fresh();
        self.emit(format!("{r} = {}", text.as_ref()));
        V { r, t }
    }

    fn terminate(&mut self, line: impl AsRef<str>) {
        self.emit(line);
        self.terminated = true;
    }

    fn start_block(&mut self, label: &str) {
        if !self.terminated {
            let _ = writeln!(self.body, "  br label %{label}");
        }
        let _ = writeln!(self.body, "{label}:");
        self.terminated = false;
    }

    fn fm(&self) -> &'static str {
        if self.opts.fastmath {
            "fast "
        } else if self.force_reassoc {
            "reassoc "
        } else {
            ""
        }
    }

    fn message(&mut self, exception: &str, message: &str) -> String {
        let text = if message.is_empty() {
            exception.to_string()
        } else {
            format!("{exception}: {message}")
        };
        if let Some(g) = self.strings.get(&text) {
            return g.clone();
        }
        let name = format!("@.exc.{}", self.strings.len());
        let mut escaped = String::new();
        for b in text.bytes() {
            if b.is_ascii_graphic() && b != b'"' && b != b'\\' || b == b' ' {
                escaped.push(b as char);
            } else {
                let _ = write!(escaped, "\\{b:02X}");
            }
        }
        let _ = writeln!(
            self.globals,
            "{name} = private unnamed_addr constant [{} x i8] c\"{escaped}\\00\"",
            text.len() + 1
        );
        self.strings.insert(text, name.clone());
        name
    }

    fn raise(&mut self, exception: &str, message: &str) {
        let g = self.message(exception, message);
        self.emit(format!("store ptr {g}, ptr %exc"));
        self.terminate("ret i32 1");
    }

    fn defer_zero_division(&mut self, z: &V) {
        let flag = match &self.deferred_zero {
            Some(f) => f.clone(),
            None => {
                let f = self.fresh();
                let _ = writeln!(self.allocas, "  {f} = alloca i1\n  store i1 false, ptr {f}");
                self.deferred_zero = Some(f.clone());
                f
            }
        };
        let old = self.inst("i1", format!("load i1, ptr {flag}"));
        let new = self.inst("i1", format!("or i1 {}, {}", old.r, z.r));
        self.emit(format!("store i1 {}, ptr {flag}", new.r));
    }

    /// Raises the deferred ZeroDivisionError if a division in the loops just left hit zero.
    fn check_deferred_zero(&mut self) {
        if let Some(flag) = self.deferred_zero.clone() {
            let hit = self.inst("i1", format!("load i1, ptr {flag}"));
            self.raise_if(&hit, "ZeroDivisionError", "division by zero");
        }
    }

    fn enter_loop(&mut self) {
        self.loop_nesting += 1;
    }

    fn leave_loop(&mut self) {
        self.loop_nesting -= 1;
        if self.loop_nesting == 0 {
            self.check_deferred_zero();
        }
    }

    /// Branches to a raise of `exception` when `cond` (i1) is true.
    fn raise_if(&mut self, cond: &V, exception: &str, message: &str) {
        let bad = self.new_label("raise");
        let ok = self.new_label("ok");
        self.terminate(format!("br i1 {}, label %{bad}, label %{ok}, !prof !1", cond.r));
        let _ = writeln!(self.body, "{bad}:");
        self.terminated = false;
        self.raise(exception, message);
        let _ = writeln!(self.body, "{ok}:");
        self.terminated = false;
    }

    fn declare(&mut self, decl: String) {
        self.decls.insert(decl);
    }

    fn function(&mut self, f: &'p Function) {
        self.func = Some(f);
        self.tmp = 0;
        self.terminated = false;
        self.allocas.clear();
        self.deferred_zero = None;
        self.loop_nesting = 0;
        let mut params = vec![
            "ptr noalias nocapture %ret".to_string(),
            "ptr noalias nocapture %exc".to_string(),
        ];
        for p in &f.params {
            let ty = &f.vars[*p].ty;
            let attrs = match ty {
                Type::Array(_) => " noalias nocapture readonly nonnull align 8 dereferenceable(152)",
                _ => "",
            };
            params.push(format!("{}{attrs} %p{p}", llvm_type(ty)));
        }
        let mut head = String::new();
        // The entry's body is compiled once, not inlined into both exported entries: half the
        // optimisation and code generation work for the same code.
        let is_entry = std::ptr::eq(f, &self.program.functions[self.program.entry]);
        let _ = writeln!(
            head,
            "define internal i32 {}({}) {} {{",
            llvm_name(&f.symbol),
            params.join(", "),
            if is_entry { "#3" } else { "#0" }
        );
        let _ = writeln!(head, "entry:");
        for (i, v) in f.vars.iter().enumerate() {
            let _ = writeln!(self.allocas, "  %v{i} = alloca {}", llvm_type(&v.ty));
        }
        for p in &f.params {
            let _ = writeln!(self.allocas, "  store {} %p{p}, ptr %v{p}", llvm_type(&f.vars[*p].ty));
        }
        let saved = std::mem::take(&mut self.body);
        self.block(&f.body);
        if !self.terminated {
            if f.ret == Type::None {
                self.terminate("ret i32 0");
            } else {
                self.terminate("unreachable");
            }
        }
        let body = std::mem::replace(&mut self.body, saved);
        self.body.push_str(&head);
        self.body.push_str(&self.allocas.clone());
        self.body.push_str(&body);
        self.body.push_str("}\n\n");
    }

    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn var_type(&self, v: VarId) -> &'p Type {
        &self.func.expect("in a function").vars[v].ty
    }

    fn stmt(&mut self, s: &Stmt) {
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
                self.emit(format!("store {} {}, ptr %v{var}", v.t, v.r));
            }
            Stmt::SetItem { array, indices, value } => {
                let at = array.ty.array().expect("typed IR checks");
                let a = self.expr(array);
                let idx: Vec<V> = indices.iter().map(|i| self.expr(i)).collect();
                let v = self.expr(value);
                let ptr = self.element_ptr(&a, at, &idx);
                let stored = if at.dtype == Scalar::Bool {
                    self.inst("i8", format!("zext i1 {} to i8", v.r))
                } else {
                    v
                };
                self.emit(format!("store {} {}, ptr {}", stored.t, stored.r, ptr.r));
            }
            Stmt::If { cond, then, orelse } => {
                let c = self.expr(cond);
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
                let c = self.expr(cond);
                self.terminate(format!("br i1 {}, label %{lb}, label %{le}", c.r));
                self.start_block(&lb);
                self.loops.push((lc.clone(), lx.clone()));
                self.block(body);
                self.loops.pop();
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
                self.terminate(format!("br label %{brk}"));
            }
            Stmt::Continue => {
                let (cont, _) = self
                    .loops
                    .last()
                    .expect("inference checks continue is in a loop")
                    .clone();
                self.terminate(format!("br label %{cont}"));
            }
            Stmt::Return(value) => {
                if let Some(v) = value {
                    let v = self.expr(v);
                    self.emit(format!("store {} {}, ptr %ret", v.t, v.r));
                }
                if self.loop_nesting > 0 {
                    self.check_deferred_zero();
                }
                self.terminate("ret i32 0");
            }
            Stmt::Raise(r) => self.raise(&r.exception, &r.message),
            Stmt::Assert { cond, raise } => {
                let c = self.expr(cond);
                let bad = self.inst("i1", format!("xor i1 {}, true", c.r));
                self.raise_if(&bad, &raise.exception, &raise.message);
            }
            Stmt::Expr(e) => {
                self.expr(e);
            }
        }
    }

    fn for_range(&mut self, var: VarId, start: &Expr, stop: &Expr, step: &Expr, body: &[Stmt], orelse: &[Stmt]) {
        let (start_v, step_v, const_step, trip) = self.range_bounds(start, stop, step);
        let zero = V {
            r: "0".into(),
            t: "i64",
        };
        self.counted_loop(var, &zero, &trip, &start_v, &step_v, const_step, body, orelse);
    }

    /// Evaluates a range's bounds: (start, step, the step if constant, trip count).
    fn range_bounds(&mut self, start: &Expr, stop: &Expr, step: &Expr) -> (V, V, Option<i64>, V) {
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
                let d = self.inst("i64", format!("sub i64 {}, {}", stop_v.r, start_v.r));
                self.inst("i64", format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", d.r))
            }
            Some(s) if s > 0 => {
                let d = self.inst("i64", format!("sub i64 {}, {}", stop_v.r, start_v.r));
                let d = self.inst("i64", format!("add i64 {}, {}", d.r, s - 1));
                let q = self.inst("i64", format!("sdiv i64 {}, {s}", d.r));
                self.inst("i64", format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
            Some(s) if s < 0 => {
                let d = self.inst("i64", format!("sub i64 {}, {}", start_v.r, stop_v.r));
                let d = self.inst("i64", format!("add i64 {}, {}", d.r, -s - 1));
                let q = self.inst("i64", format!("sdiv i64 {}, {}", d.r, -s));
                self.inst("i64", format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
            _ => {
                let zero = self.inst("i1", format!("icmp eq i64 {}, 0", step_v.r));
                self.raise_if(&zero, "ValueError", "range() arg 3 must not be zero");
                let pos = self.inst("i1", format!("icmp sgt i64 {}, 0", step_v.r));
                let lo = self.inst(
                    "i64",
                    format!("select i1 {}, i64 {}, i64 {}", pos.r, start_v.r, stop_v.r),
                );
                let hi = self.inst(
                    "i64",
                    format!("select i1 {}, i64 {}, i64 {}", pos.r, stop_v.r, start_v.r),
                );
                let mag = self.inst("i64", format!("call i64 @llvm.abs.i64(i64 {}, i1 false)", step_v.r));
                let d = self.inst("i64", format!("sub i64 {}, {}", hi.r, lo.r));
                let d = self.inst("i64", format!("add i64 {}, {}", d.r, mag.r));
                let d = self.inst("i64", format!("sub i64 {}, 1", d.r));
                let q = self.inst("i64", format!("sdiv i64 {}, {}", d.r, mag.r));
                self.inst("i64", format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", q.r))
            }
        };
        self.declare("declare i64 @llvm.smax.i64(i64, i64)".into());
        self.declare("declare i64 @llvm.abs.i64(i64, i1)".into());
        (start_v, step_v, const_step, trip)
    }

    /// `for k in lo..hi: var = start + k*step; body` (no else clause).
    #[allow(clippy::too_many_arguments)]
    fn counted_loop(
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
        let k = self.inst("i64", format!("load i64, ptr {counter}"));
        let more = self.inst("i1", format!("icmp slt i64 {}, {}", k.r, trip.r));
        self.terminate(format!("br i1 {}, label %{lb}, label %{le}", more.r));
        self.start_block(&lb);
        let i = match const_step {
            Some(1) => self.inst("i64", format!("add nsw i64 {}, {}", start_v.r, k.r)),
            _ => {
                let off = self.inst("i64", format!("mul nsw i64 {}, {}", k.r, step_v.r));
                self.inst("i64", format!("add nsw i64 {}, {}", start_v.r, off.r))
            }
        };
        debug_assert_eq!(self.var_type(var), &Type::I64);
        self.emit(format!("store i64 {}, ptr %v{var}", i.r));
        self.loops.push((ll.clone(), lx.clone()));
        self.block(body);
        self.loops.pop();
        self.start_block(&ll);
        let k2 = self.inst("i64", format!("load i64, ptr {counter}"));
        let next = self.inst("i64", format!("add nuw nsw i64 {}, 1", k2.r));
        self.emit(format!("store i64 {}, ptr {counter}", next.r));
        if self.opts.fastmath {
            // Forcing vectorisation raises LLVM's budget of runtime alias checks (kernels with
            // many arrays, like black_scholes, exceed the default eight).
            let id = 100 + self.forced_loops.len();
            self.forced_loops.push(id);
            self.terminate(format!("br label %{lc}, !llvm.loop !{id}"));
        } else {
            self.terminate(format!("br label %{lc}"));
        }
        self.start_block(&le);
        self.block(orelse);
        self.start_block(&lx);
        self.leave_loop();
    }

    /// A prange loop: the body is outlined into a function the host's thread pool runs over
    /// chunks of the iteration space; reductions get a private copy per chunk, combined here in
    /// chunk order. Without a host pool (no `kc_module_init`) the body runs as one chunk.
    fn parallel_for(&mut self, var: VarId, start: &Expr, stop: &Expr, step: &Expr, body: &[Stmt], orelse: &[Stmt]) {
        let f = self.func.expect("in a function");
        let reductions = find_reductions(body, f);
        let (start_v, step_v, const_step, trip) = self.range_bounds(start, stop, step);
        let nvars = f.vars.len();
        let nred = reductions.len().max(1);
        self.parallel_regions += 1;
        let body_name = llvm_name(&format!("{}.prange{}", f.symbol, self.parallel_regions));

        // The context: a pointer to every variable, then start, step, partials and the exception slot.
        let ctx = self.fresh();
        let start_slot = self.fresh();
        let step_slot = self.fresh();
        let threads_slot = self.fresh();
        let status_slot = self.fresh();
        let _ = writeln!(self.allocas, "  {ctx} = alloca [{} x ptr]", nvars + 4);
        let _ = writeln!(self.allocas, "  {start_slot} = alloca i64");
        let _ = writeln!(self.allocas, "  {step_slot} = alloca i64");
        let _ = writeln!(self.allocas, "  {threads_slot} = alloca i64");
        let _ = writeln!(self.allocas, "  {status_slot} = alloca i32");
        self.emit(format!("store i64 {}, ptr {start_slot}", start_v.r));
        self.emit(format!("store i64 {}, ptr {step_slot}", step_v.r));
        let ctx_slot = |lw: &mut Self, i: usize, value: &str| {
            let p = lw.inst("ptr", format!("getelementptr inbounds ptr, ptr {ctx}, i64 {i}"));
            lw.emit(format!("store ptr {value}, ptr {}", p.r));
        };
        for i in 0..nvars {
            ctx_slot(self, i, &format!("%v{i}"));
        }
        ctx_slot(self, nvars, &start_slot);
        ctx_slot(self, nvars + 1, &step_slot);
        ctx_slot(self, nvars + 3, "%exc");

        let pool = self.inst("ptr", "load ptr, ptr @kc_host_parallel_for");
        let counter = self.inst("ptr", "load ptr, ptr @kc_host_num_threads");
        let has_pool = self.inst("i1", format!("icmp ne ptr {}, null", pool.r));
        let l_ask = self.new_label("par.threads");
        let l_go = self.new_label("par.go");
        self.emit(format!("store i64 1, ptr {threads_slot}"));
        self.terminate(format!("br i1 {}, label %{l_ask}, label %{l_go}", has_pool.r));
        self.start_block(&l_ask);
        let asked = self.inst("i64", format!("call i64 {}()", counter.r));
        self.emit(format!("store i64 {}, ptr {threads_slot}", asked.r));
        self.start_block(&l_go);
        let t0 = self.inst("i64", format!("load i64, ptr {threads_slot}"));
        let t1 = self.inst("i64", format!("call i64 @llvm.smin.i64(i64 {}, i64 {})", t0.r, trip.r));
        let threads = self.inst("i64", format!("call i64 @llvm.smax.i64(i64 {}, i64 1)", t1.r));
        self.declare("declare i64 @llvm.smin.i64(i64, i64)".into());
        self.declare("declare ptr @llvm.stacksave.p0()".into());
        self.declare("declare void @llvm.stackrestore.p0(ptr)".into());
        let sp = self.inst("ptr", "call ptr @llvm.stacksave.p0()");
        let slots = self.inst("i64", format!("mul i64 {}, {nred}", threads.r));
        let partials = self.inst("ptr", format!("alloca i64, i64 {}, align 8", slots.r));
        ctx_slot(self, nvars + 2, &partials.r);

        let l_pool = self.new_label("par.pool");
        let l_alone = self.new_label("par.alone");
        let l_done = self.new_label("par.done");
        self.terminate(format!("br i1 {}, label %{l_pool}, label %{l_alone}", has_pool.r));
        self.start_block(&l_pool);
        let st = self.inst(
            "i32",
            format!(
                "call i32 {}(ptr {body_name}, ptr {ctx}, i64 {}, i64 {})",
                pool.r, trip.r, threads.r
            ),
        );
        self.emit(format!("store i32 {}, ptr {status_slot}", st.r));
        self.terminate(format!("br label %{l_done}"));
        self.start_block(&l_alone);
        let st = self.inst(
            "i32",
            format!("call i32 {body_name}(ptr {ctx}, i64 0, i64 {}, i64 0)", trip.r),
        );
        self.emit(format!("store i32 {}, ptr {status_slot}", st.r));
        self.start_block(&l_done);
        let st = self.inst("i32", format!("load i32, ptr {status_slot}"));
        let failed = self.inst("i1", format!("icmp ne i32 {}, 0", st.r));
        let l_fail = self.new_label("par.raise");
        let l_ok = self.new_label("par.ok");
        self.terminate(format!("br i1 {}, label %{l_fail}, label %{l_ok}", failed.r));
        let _ = writeln!(
            self.body,
            "{l_fail}:
  call void @llvm.stackrestore.p0(ptr {})
  ret i32 {}",
            sp.r, st.r
        );
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
            let t = self.inst("i64", format!("load i64, ptr {t_slot}"));
            let more = self.inst("i1", format!("icmp slt i64 {}, {}", t.r, threads.r));
            self.terminate(format!("br i1 {}, label %{lb}, label %{lx}", more.r));
            self.start_block(&lb);
            for (r, (v, op)) in reductions.iter().enumerate() {
                let s = f.vars[*v].ty.scalar().expect("reductions are scalars");
                let lt = llvm_scalar(s);
                let base = self.inst("i64", format!("mul i64 {}, {nred}", t.r));
                let idx = self.inst("i64", format!("add i64 {}, {r}", base.r));
                let p = self.inst(
                    "ptr",
                    format!("getelementptr inbounds i64, ptr {}, i64 {}", partials.r, idx.r),
                );
                let part = self.inst(lt, format!("load {lt}, ptr {}", p.r));
                let cur = self.inst(lt, format!("load {lt}, ptr %v{v}"));
                let combined = match op {
                    RedOp::Add => self.binary(BinOp::Add, s, cur, part),
                    RedOp::Mul | RedOp::Div => self.binary(BinOp::Mul, s, cur, part),
                    RedOp::Min | RedOp::Max => {
                        let better = if s.is_float() {
                            let pred = if *op == RedOp::Max { "ogt" } else { "olt" };
                            self.inst("i1", format!("fcmp {pred} {lt} {}, {}", part.r, cur.r))
                        } else {
                            let pred = match (*op == RedOp::Max, s.is_signed()) {
                                (true, true) => "sgt",
                                (true, false) => "ugt",
                                (false, true) => "slt",
                                (false, false) => "ult",
                            };
                            self.inst("i1", format!("icmp {pred} {lt} {}, {}", part.r, cur.r))
                        };
                        self.inst(lt, format!("select i1 {}, {lt} {}, {lt} {}", better.r, part.r, cur.r))
                    }
                };
                self.emit(format!("store {lt} {}, ptr %v{v}", combined.r));
            }
            let next = self.inst("i64", format!("add i64 {}, 1", t.r));
            self.emit(format!("store i64 {}, ptr {t_slot}", next.r));
            self.terminate(format!("br label %{lc}"));
            self.start_block(&lx);
        }
        self.emit(format!("call void @llvm.stackrestore.p0(ptr {})", sp.r));
        // As after a serial loop, the loop variable holds the last value (if any iteration ran).
        let ran = self.inst("i1", format!("icmp sgt i64 {}, 0", trip.r));
        let last_k = self.inst("i64", format!("sub i64 {}, 1", trip.r));
        let off = self.inst("i64", format!("mul i64 {}, {}", last_k.r, step_v.r));
        let last = self.inst("i64", format!("add i64 {}, {}", start_v.r, off.r));
        let old = self.inst("i64", format!("load i64, ptr %v{var}"));
        let newv = self.inst("i64", format!("select i1 {}, i64 {}, i64 {}", ran.r, last.r, old.r));
        self.emit(format!("store i64 {}, ptr %v{var}", newv.r));
        self.block(orelse);

        self.outline(&body_name, f, var, body, &reductions, const_step);
    }

    /// Emits the outlined body of a prange: `i32 body(ctx, lo, hi, chunk)`.
    fn outline(
        &mut self,
        name: &str,
        f: &'p Function,
        var: VarId,
        body: &[Stmt],
        reductions: &[(VarId, RedOp)],
        const_step: Option<i64>,
    ) {
        let saved_body = std::mem::take(&mut self.body);
        let saved_allocas = std::mem::take(&mut self.allocas);
        let saved_terminated = std::mem::replace(&mut self.terminated, false);
        let saved_loops = std::mem::take(&mut self.loops);
        let saved_reductions = std::mem::replace(&mut self.reductions, reductions.iter().map(|(v, _)| *v).collect());
        let saved_deferred = self.deferred_zero.take();
        let saved_nesting = std::mem::replace(&mut self.loop_nesting, 0);
        let nvars = f.vars.len();
        let nred = reductions.len().max(1);

        for (i, v) in f.vars.iter().enumerate() {
            let t = llvm_type(&v.ty);
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
                (RedOp::Add, true) => Some("0.0"),
                (RedOp::Add, false) => Some("0"),
                (RedOp::Mul | RedOp::Div, true) => Some("1.0"),
                (RedOp::Mul | RedOp::Div, false) => Some("1"),
                (RedOp::Min | RedOp::Max, _) => None,
            };
            if let Some(id) = identity {
                let _ = writeln!(self.allocas, "  store {lt} {id}, ptr %v{v}");
            }
        }
        let start_v = V {
            r: "%start".into(),
            t: "i64",
        };
        let step_v = V {
            r: "%step".into(),
            t: "i64",
        };
        let lo = V {
            r: "%lo".into(),
            t: "i64",
        };
        let hi = V {
            r: "%hi".into(),
            t: "i64",
        };
        self.counted_loop(var, &lo, &hi, &start_v, &step_v, const_step, body, &[]);
        let cp = self.inst(
            "ptr",
            format!("getelementptr inbounds ptr, ptr %ctx, i64 {}", nvars + 2),
        );
        let partials = self.inst("ptr", format!("load ptr, ptr {}", cp.r));
        for (r, (v, _)) in reductions.iter().enumerate() {
            let lt = llvm_type(&f.vars[*v].ty);
            let base = self.inst("i64", format!("mul i64 %chunk, {nred}"));
            let idx = self.inst("i64", format!("add i64 {}, {r}", base.r));
            let p = self.inst(
                "ptr",
                format!("getelementptr inbounds i64, ptr {}, i64 {}", partials.r, idx.r),
            );
            let val = self.inst(lt, format!("load {lt}, ptr %v{v}"));
            self.emit(format!("store {lt} {}, ptr {}", val.r, p.r));
        }
        self.terminate("ret i32 0");

        let mut text = String::new();
        let _ = writeln!(
            text,
            "define internal i32 {name}(ptr nocapture readonly %ctx, i64 %lo, i64 %hi, i64 %chunk) #0 {{\nentry:"
        );
        text.push_str(&self.allocas);
        text.push_str(&self.body);
        text.push_str("}\n\n");
        self.outlined.push_str(&text);

        self.body = saved_body;
        self.allocas = saved_allocas;
        self.terminated = saved_terminated;
        self.loops = saved_loops;
        self.reductions = saved_reductions;
        self.deferred_zero = saved_deferred;
        self.loop_nesting = saved_nesting;
    }

    fn array_field(&mut self, a: &V, offset: u64, t: &'static str) -> V {
        let p = self.inst("ptr", format!("getelementptr inbounds i8, ptr {}, i64 {offset}", a.r));
        self.inst(t, format!("load {t}, ptr {}, align 8, !invariant.load !0", p.r))
    }

    fn dim(&mut self, a: &V, d: u8) -> V {
        self.array_field(a, ARRAY_SHAPE + 8 * d as u64, "i64")
    }

    fn element_ptr(&mut self, a: &V, at: ArrayType, idx: &[V]) -> V {
        let data = self.array_field(a, ARRAY_DATA, "ptr");
        let shapes: Vec<V> = (0..at.ndim).map(|d| self.dim(a, d)).collect();
        let mut wrapped = Vec::new();
        for (d, i) in idx.iter().enumerate() {
            let neg = self.inst("i1", format!("icmp slt i64 {}, 0", i.r));
            let adj = self.inst("i64", format!("add i64 {}, {}", i.r, shapes[d].r));
            let w = self.inst("i64", format!("select i1 {}, i64 {}, i64 {}", neg.r, adj.r, i.r));
            if self.opts.boundscheck {
                let oob = self.inst("i1", format!("icmp uge i64 {}, {}", w.r, shapes[d].r));
                self.raise_if(&oob, "IndexError", "index is out of bounds");
            }
            wrapped.push(w);
        }
        let elem = llvm_mem(at.dtype);
        match at.layout {
            Layout::C | Layout::F => {
                let order: Vec<usize> = if at.layout == Layout::C {
                    (0..idx.len()).collect()
                } else {
                    (0..idx.len()).rev().collect()
                };
                let mut lin = wrapped[order[0]].clone();
                for &d in &order[1..] {
                    let m = self.inst("i64", format!("mul nsw i64 {}, {}", lin.r, shapes[d].r));
                    lin = self.inst("i64", format!("add nsw i64 {}, {}", m.r, wrapped[d].r));
                }
                self.inst(
                    "ptr",
                    format!("getelementptr inbounds {elem}, ptr {}, i64 {}", data.r, lin.r),
                )
            }
            Layout::A => {
                // Strides in elements, not bytes: LLVM's loop vectoriser can then version a loop
                // on "stride == 1" and run the contiguous case as packed vector code. Callers
                // guarantee byte strides are multiples of the element size (kc_call and the
                // Python binding check it; kcache.h documents it for the typed entry).
                let size = at.dtype.itemsize() as i64;
                let mut off: Option<V> = None;
                for (d, w) in wrapped.iter().enumerate() {
                    let bytes = self.array_field(a, ARRAY_STRIDES + 8 * d as u64, "i64");
                    let stride = if size == 1 {
                        bytes
                    } else {
                        self.inst("i64", format!("sdiv exact i64 {}, {size}", bytes.r))
                    };
                    let m = self.inst("i64", format!("mul nsw i64 {}, {}", w.r, stride.r));
                    off = Some(match off {
                        None => m,
                        Some(o) => self.inst("i64", format!("add nsw i64 {}, {}", o.r, m.r)),
                    });
                }
                let off = off.expect("arrays have at least one dimension");
                self.inst(
                    "ptr",
                    format!("getelementptr inbounds {elem}, ptr {}, i64 {}", data.r, off.r),
                )
            }
        }
    }

    fn const_value(&self, c: ConstValue, ty: &Type) -> V {
        let t = llvm_type(ty);
        let r = match (c, ty.scalar().expect("constants are scalars")) {
            (ConstValue::Bool(b), Scalar::Bool) => b.to_string(),
            // The value's bits at the type's width, as LLVM reads a signed literal (a uint8 255
            // is `i8 -1`).
            (ConstValue::Int(i), s) if s.is_int() => {
                let shift = 64 - s.bits();
                ((i << shift) >> shift).to_string()
            }
            (ConstValue::Float(x), Scalar::F64) => float_lit(x),
            (ConstValue::Float(x), Scalar::F32) => float32_lit(x),
            (c, s) => unreachable!("constant {c:?} typed {s:?}"),
        };
        V { r, t }
    }

    fn expr(&mut self, e: &Expr) -> V {
        match &e.kind {
            ExprKind::Const(c) => self.const_value(*c, &e.ty),
            ExprKind::Var(v) => {
                let t = llvm_type(self.var_type(*v));
                self.inst(t, format!("load {t}, ptr %v{v}"))
            }
            ExprKind::Cast(inner) => {
                let v = self.expr(inner);
                self.cast(v, &inner.ty, &e.ty)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let s = lhs.ty.scalar().expect("scalar operands");
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                self.binary(*op, s, a, b)
            }
            ExprKind::Compare { op, lhs, rhs } => {
                let s = lhs.ty.scalar().expect("scalar operands");
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                if s.is_float() {
                    let pred = match op {
                        CmpOp::Eq => "oeq",
                        CmpOp::Ne => "une",
                        CmpOp::Lt => "olt",
                        CmpOp::Le => "ole",
                        CmpOp::Gt => "ogt",
                        CmpOp::Ge => "oge",
                    };
                    let fm = self.fm();
                    self.inst("i1", format!("fcmp {fm}{pred} {} {}, {}", a.t, a.r, b.r))
                } else {
                    let signed = s.is_signed();
                    let pred = match (op, signed) {
                        (CmpOp::Eq, _) => "eq",
                        (CmpOp::Ne, _) => "ne",
                        (CmpOp::Lt, true) => "slt",
                        (CmpOp::Le, true) => "sle",
                        (CmpOp::Gt, true) => "sgt",
                        (CmpOp::Ge, true) => "sge",
                        (CmpOp::Lt, false) => "ult",
                        (CmpOp::Le, false) => "ule",
                        (CmpOp::Gt, false) => "ugt",
                        (CmpOp::Ge, false) => "uge",
                    };
                    self.inst("i1", format!("icmp {pred} {} {}, {}", a.t, a.r, b.r))
                }
            }
            ExprKind::Unary { op, operand } => {
                let v = self.expr(operand);
                match op {
                    UnaryOp::Not => self.inst("i1", format!("xor i1 {}, true", v.r)),
                    UnaryOp::BitNot => self.inst(v.t, format!("xor {} {}, -1", v.t, v.r)),
                    UnaryOp::Neg => {
                        if v.t == "double" || v.t == "float" {
                            let fm = self.fm();
                            self.inst(v.t, format!("fneg {fm}{} {}", v.t, v.r))
                        } else {
                            self.inst(v.t, format!("sub {} 0, {}", v.t, v.r))
                        }
                    }
                }
            }
            ExprKind::Logical { and, lhs, rhs } => {
                // Python: `a and b` is a if a is falsy else b; `a or b` is a if a is truthy else b.
                let a = self.expr(lhs);
                let truth = self.cast(a.clone(), &lhs.ty, &Type::BOOL);
                let l_rhs = self.new_label("logic.rhs");
                let l_end = self.new_label("logic.end");
                let slot = self.fresh();
                let _ = writeln!(self.allocas, "  {slot} = alloca {}", a.t);
                self.emit(format!("store {} {}, ptr {slot}", a.t, a.r));
                if *and {
                    self.terminate(format!("br i1 {}, label %{l_rhs}, label %{l_end}", truth.r));
                } else {
                    self.terminate(format!("br i1 {}, label %{l_end}, label %{l_rhs}", truth.r));
                }
                self.start_block(&l_rhs);
                let b = self.expr(rhs);
                self.emit(format!("store {} {}, ptr {slot}", b.t, b.r));
                self.start_block(&l_end);
                self.inst(a.t, format!("load {}, ptr {slot}", a.t))
            }
            ExprKind::IfExp { cond, then, orelse } => {
                let c = self.expr(cond);
                let lt = self.new_label("ifexp.then");
                let le = self.new_label("ifexp.else");
                let lj = self.new_label("ifexp.end");
                let t = llvm_type(&e.ty);
                let slot = self.fresh();
                let _ = writeln!(self.allocas, "  {slot} = alloca {t}");
                self.terminate(format!("br i1 {}, label %{lt}, label %{le}", c.r));
                self.start_block(&lt);
                let a = self.expr(then);
                self.emit(format!("store {t} {}, ptr {slot}", a.r));
                self.terminate(format!("br label %{lj}"));
                self.start_block(&le);
                let b = self.expr(orelse);
                self.emit(format!("store {t} {}, ptr {slot}", b.r));
                self.start_block(&lj);
                self.inst(t, format!("load {t}, ptr {slot}"))
            }
            ExprKind::Call { func, args } => {
                let callee = &self.program.functions[*func];
                let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
                let rt = llvm_type(&callee.ret);
                let slot = self.fresh();
                let _ = writeln!(
                    self.allocas,
                    "  {slot} = alloca {}",
                    if rt == "void" { "i8" } else { rt }
                );
                let mut argv = vec![format!("ptr {slot}"), "ptr %exc".to_string()];
                argv.extend(vals.iter().map(|v| format!("{} {}", v.t, v.r)));
                let st = self.inst(
                    "i32",
                    format!("call i32 {}({})", llvm_name(&callee.symbol), argv.join(", ")),
                );
                let failed = self.inst("i1", format!("icmp ne i32 {}, 0", st.r));
                let prop = self.new_label("call.raise");
                let ok = self.new_label("call.ok");
                self.terminate(format!("br i1 {}, label %{prop}, label %{ok}", failed.r));
                let _ = writeln!(self.body, "{prop}:\n  ret i32 {}", st.r);
                let _ = writeln!(self.body, "{ok}:");
                self.terminated = false;
                if rt == "void" {
                    V { r: "0".into(), t: "i8" }
                } else {
                    self.inst(rt, format!("load {rt}, ptr {slot}"))
                }
            }
            ExprKind::Math { func, args } => {
                let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
                self.math(*func, &vals)
            }
            ExprKind::MinMax { max, args } => {
                let s = e.ty.scalar().expect("scalar");
                let mut cur = self.expr(&args[0]);
                for a in &args[1..] {
                    let x = self.expr(a);
                    // CPython keeps the current item unless the new one compares strictly better.
                    let better = if s.is_float() {
                        let fm = self.fm();
                        self.inst(
                            "i1",
                            format!(
                                "fcmp {fm}{} {} {}, {}",
                                if *max { "ogt" } else { "olt" },
                                x.t,
                                x.r,
                                cur.r
                            ),
                        )
                    } else {
                        let p = match (max, s.is_signed() || s == Scalar::Bool) {
                            (true, true) => "sgt",
                            (true, false) => "ugt",
                            (false, true) => "slt",
                            (false, false) => "ult",
                        };
                        let p = if s == Scalar::Bool {
                            if *max {
                                "ugt"
                            } else {
                                "ult"
                            }
                        } else {
                            p
                        };
                        self.inst("i1", format!("icmp {p} {} {}, {}", x.t, x.r, cur.r))
                    };
                    cur = self.inst(
                        x.t,
                        format!("select i1 {}, {} {}, {} {}", better.r, x.t, x.r, x.t, cur.r),
                    );
                }
                cur
            }
            ExprKind::ArrayDim { array, dim } => {
                let a = self.expr(array);
                self.dim(&a, *dim)
            }
            ExprKind::ArraySize(array) => {
                let at = array.ty.array().expect("array");
                let a = self.expr(array);
                let mut n = self.dim(&a, 0);
                for d in 1..at.ndim {
                    let s = self.dim(&a, d);
                    n = self.inst("i64", format!("mul nsw i64 {}, {}", n.r, s.r));
                }
                n
            }
            ExprKind::GetItem { array, indices } => {
                let at = array.ty.array().expect("array");
                let a = self.expr(array);
                let idx: Vec<V> = indices.iter().map(|i| self.expr(i)).collect();
                let p = self.element_ptr(&a, at, &idx);
                let mt = llvm_mem(at.dtype);
                let v = self.inst(mt, format!("load {mt}, ptr {}", p.r));
                if at.dtype == Scalar::Bool {
                    self.inst("i1", format!("icmp ne i8 {}, 0", v.r))
                } else {
                    v
                }
            }
        }
    }

    fn cast(&mut self, v: V, from: &Type, to: &Type) -> V {
        let (Some(f), Some(t)) = (from.scalar(), to.scalar()) else {
            return v;
        };
        if f == t {
            return v;
        }
        let lt = llvm_scalar(t);
        if t == Scalar::Bool {
            return if f.is_float() {
                self.inst(
                    "i1",
                    format!(
                        "fcmp une {} {}, {}",
                        v.t,
                        v.r,
                        if f == Scalar::F32 {
                            float32_lit(0.0)
                        } else {
                            float_lit(0.0)
                        }
                    ),
                )
            } else {
                self.inst("i1", format!("icmp ne {} {}, 0", v.t, v.r))
            };
        }
        match (f.is_float(), t.is_float()) {
            (true, true) => {
                if t.bits() > f.bits() {
                    self.inst(lt, format!("fpext {} {} to {lt}", v.t, v.r))
                } else {
                    self.inst(lt, format!("fptrunc {} {} to {lt}", v.t, v.r))
                }
            }
            (false, true) => {
                let op = if f.is_signed() { "sitofp" } else { "uitofp" };
                self.inst(lt, format!("{op} {} {} to {lt}", v.t, v.r))
            }
            (true, false) => {
                let (op, sfx) = if t.is_signed() {
                    ("fptosi", "fptosi")
                } else {
                    ("fptoui", "fptoui")
                };
                let _ = op;
                let name = format!("llvm.{sfx}.sat.{lt}.{}", if f == Scalar::F32 { "f32" } else { "f64" });
                self.declare(format!("declare {lt} @{name}({})", v.t));
                self.inst(lt, format!("call {lt} @{name}({} {})", v.t, v.r))
            }
            (false, false) => {
                let (fb, tb) = (f.bits(), t.bits());
                if tb == fb {
                    v.clone_with_type(lt)
                } else if tb < fb {
                    self.inst(lt, format!("trunc {} {} to {lt}", v.t, v.r))
                } else if f.is_signed() {
                    self.inst(lt, format!("sext {} {} to {lt}", v.t, v.r))
                } else {
                    self.inst(lt, format!("zext {} {} to {lt}", v.t, v.r))
                }
            }
        }
    }

    fn binary(&mut self, op: BinOp, s: Scalar, a: V, b: V) -> V {
        let t = a.t;
        if s.is_float() {
            let fm = self.fm();
            let zero = if s == Scalar::F32 {
                float32_lit(0.0)
            } else {
                float_lit(0.0)
            };
            return match op {
                BinOp::Add => self.inst(t, format!("fadd {fm}{t} {}, {}", a.r, b.r)),
                BinOp::Sub => self.inst(t, format!("fsub {fm}{t} {}, {}", a.r, b.r)),
                BinOp::Mul => self.inst(t, format!("fmul {fm}{t} {}, {}", a.r, b.r)),
                BinOp::TrueDiv => {
                    if self.opts.error_model == ErrorModel::Python {
                        let z = self.inst("i1", format!("fcmp oeq {t} {}, {zero}", b.r));
                        if self.opts.fastmath && self.loop_nesting > 0 {
                            self.defer_zero_division(&z);
                        } else {
                            self.raise_if(&z, "ZeroDivisionError", "division by zero");
                        }
                    }
                    self.inst(t, format!("fdiv {fm}{t} {}, {}", a.r, b.r))
                }
                BinOp::FloorDiv | BinOp::Mod => {
                    if self.opts.error_model == ErrorModel::Python {
                        let z = self.inst("i1", format!("fcmp oeq {t} {}, {zero}", b.r));
                        let msg = if op == BinOp::Mod {
                            "float modulo"
                        } else {
                            "float floor division by zero"
                        };
                        self.raise_if(&z, "ZeroDivisionError", msg);
                    }
                    self.float_divmod(op, t, &a, &b)
                }
                BinOp::Pow => {
                    let sfx = if s == Scalar::F32 { "f32" } else { "f64" };
                    self.declare(format!("declare {t} @llvm.pow.{sfx}({t}, {t})"));
                    self.inst(t, format!("call {fm}{t} @llvm.pow.{sfx}({t} {}, {t} {})", a.r, b.r))
                }
                _ => unreachable!("bit operators on floats are rejected by inference"),
            };
        }
        if s == Scalar::Bool {
            return match op {
                BinOp::BitAnd => self.inst("i1", format!("and i1 {}, {}", a.r, b.r)),
                BinOp::BitOr => self.inst("i1", format!("or i1 {}, {}", a.r, b.r)),
                BinOp::BitXor => self.inst("i1", format!("xor i1 {}, {}", a.r, b.r)),
                _ => unreachable!("bool arithmetic promotes to int64"),
            };
        }
        let signed = s.is_signed();
        match op {
            BinOp::Add => self.inst(t, format!("add {t} {}, {}", a.r, b.r)),
            BinOp::Sub => self.inst(t, format!("sub {t} {}, {}", a.r, b.r)),
            BinOp::Mul => self.inst(t, format!("mul {t} {}, {}", a.r, b.r)),
            BinOp::BitAnd => self.inst(t, format!("and {t} {}, {}", a.r, b.r)),
            BinOp::BitOr => self.inst(t, format!("or {t} {}, {}", a.r, b.r)),
            BinOp::BitXor => self.inst(t, format!("xor {t} {}, {}", a.r, b.r)),
            BinOp::LShift | BinOp::RShift => {
                // Shifts of the full width or more are poison in LLVM; Python gives 0 (or -1).
                let bits = s.bits();
                if signed {
                    let neg = self.inst("i1", format!("icmp slt {t} {}, 0", b.r));
                    self.raise_if(&neg, "ValueError", "negative shift count");
                }
                let big = self.inst("i1", format!("icmp uge {t} {}, {bits}", b.r));
                let safe = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", big.r, bits - 1, b.r));
                if op == BinOp::LShift {
                    let sh = self.inst(t, format!("shl {t} {}, {}", a.r, safe.r));
                    self.inst(t, format!("select i1 {}, {t} 0, {t} {}", big.r, sh.r))
                } else if signed {
                    self.inst(t, format!("ashr {t} {}, {}", a.r, safe.r))
                } else {
                    let sh = self.inst(t, format!("lshr {t} {}, {}", a.r, safe.r));
                    self.inst(t, format!("select i1 {}, {t} 0, {t} {}", big.r, sh.r))
                }
            }
            BinOp::FloorDiv | BinOp::Mod => self.int_divmod(op, signed, t, &a, &b),
            BinOp::Pow => self.int_pow(signed, t, &a, &b),
            BinOp::TrueDiv => unreachable!("true division of ints is done in float64"),
        }
    }

    fn int_divmod(&mut self, op: BinOp, signed: bool, t: &'static str, a: &V, b: &V) -> V {
        // A constant positive power of two (`n % 2`, `i // 4`): floor division is an arithmetic
        // shift and the floor remainder a mask in two's complement. The general form below
        // hides this from LLVM (collatz_steps: `n % 2 == 0` became five instructions, not one).
        if let Some(k) = b.r.parse::<i64>().ok().filter(|&d| d > 0 && d.count_ones() == 1) {
            if signed {
                return if op == BinOp::FloorDiv {
                    self.inst(t, format!("ashr {t} {}, {}", a.r, k.trailing_zeros()))
                } else {
                    self.inst(t, format!("and {t} {}, {}", a.r, k - 1))
                };
            }
        }
        let zero = self.inst("i1", format!("icmp eq {t} {}, 0", b.r));
        if self.opts.error_model == ErrorModel::Python {
            let msg = if op == BinOp::Mod {
                "integer modulo by zero"
            } else {
                "integer division or modulo by zero"
            };
            self.raise_if(&zero, "ZeroDivisionError", msg);
        }
        if !signed {
            let safe = self.inst(t, format!("select i1 {}, {t} 1, {t} {}", zero.r, b.r));
            let r = if op == BinOp::FloorDiv {
                self.inst(t, format!("udiv {t} {}, {}", a.r, safe.r))
            } else {
                self.inst(t, format!("urem {t} {}, {}", a.r, safe.r))
            };
            // error_model='numpy': x // 0 and x % 0 are 0.
            return self.inst(t, format!("select i1 {}, {t} 0, {t} {}", zero.r, r.r));
        }
        // b == -1 is done apart: INT_MIN / -1 overflows in hardware; Python's result wraps here.
        let minus_one = self.inst("i1", format!("icmp eq {t} {}, -1", b.r));
        let special = self.inst("i1", format!("or i1 {}, {}", zero.r, minus_one.r));
        let safe = self.inst(t, format!("select i1 {}, {t} 1, {t} {}", special.r, b.r));
        let q = self.inst(t, format!("sdiv {t} {}, {}", a.r, safe.r));
        let r = self.inst(t, format!("srem {t} {}, {}", a.r, safe.r));
        // Floor: when the remainder is non-zero and its sign differs from the divisor's.
        let nz = self.inst("i1", format!("icmp ne {t} {}, 0", r.r));
        let x = self.inst(t, format!("xor {t} {}, {}", r.r, b.r));
        let sd = self.inst("i1", format!("icmp slt {t} {}, 0", x.r));
        let adj = self.inst("i1", format!("and i1 {}, {}", nz.r, sd.r));
        let (res, neg1) = if op == BinOp::FloorDiv {
            let d = self.inst(t, format!("zext i1 {} to {t}", adj.r));
            let fq = self.inst(t, format!("sub {t} {}, {}", q.r, d.r));
            let na = self.inst(t, format!("sub {t} 0, {}", a.r));
            (fq, na)
        } else {
            let add = self.inst(t, format!("select i1 {}, {t} {}, {t} 0", adj.r, b.r));
            let fr = self.inst(t, format!("add {t} {}, {}", r.r, add.r));
            (fr, V { r: "0".into(), t })
        };
        let res = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", minus_one.r, neg1.r, res.r));
        self.inst(t, format!("select i1 {}, {t} 0, {t} {}", zero.r, res.r))
    }

    /// C's `fmod`, exactly. glibc's fmod (before 2.38) reduces bit by bit and dominated float
    /// floor division (histogram: a quarter of the time). With a hardware FMA, the remainder is
    /// `|x| - q*|y|` for q = trunc(|x|/|y|): that value is a multiple of |y|'s unit in the last
    /// place below 2|y|, so it is representable and the FMA computes it exactly. The rounded
    /// quotient is at most one too large (rounding is monotonic and q is an integer), which one
    /// conditional `+ |y|` repairs. Quotients of 2^52 or more, infinite or NaN operands and
    /// zero divisors go to libm.
    fn fmod(&mut self, t: &'static str, a: &V, b: &V) -> V {
        let has_fma = self.opts.target_features.split(',').any(|f| f == "+fma")
            || matches!(self.opts.target_cpu.as_str(), "x86-64-v3" | "x86-64-v4");
        if !has_fma {
            return self.inst(t, format!("frem {t} {}, {}", a.r, b.r));
        }
        let name = "@kc.fmod.f64";
        for intrinsic in ["fabs", "trunc"] {
            self.declare(format!("declare double @llvm.{intrinsic}.f64(double)"));
        }
        self.declare("declare double @llvm.copysign.f64(double, double)".into());
        self.declare("declare double @llvm.fma.f64(double, double, double)".into());
        self.declare(format!(
            "define internal double {name}(double %x, double %y) #0 {{\nentry:\n  %ax = call double @llvm.fabs.f64(double %x)\n  %ay = call double @llvm.fabs.f64(double %y)\n  %q0 = fdiv double %ax, %ay\n  %small = fcmp olt double %q0, 0x4330000000000000\n  %finite = fcmp olt double %ay, 0x7FF0000000000000\n  %ok = and i1 %small, %finite\n  br i1 %ok, label %fast, label %slow\nfast:\n  %q = call double @llvm.trunc.f64(double %q0)\n  %nq = fneg double %q\n  %r0 = call double @llvm.fma.f64(double %nq, double %ay, double %ax)\n  %over = fcmp olt double %r0, 0.0\n  %r1 = fadd double %r0, %ay\n  %r = select i1 %over, double %r1, double %r0\n  %res = call double @llvm.copysign.f64(double %r, double %x)\n  ret double %res\nslow:\n  %m = frem double %x, %y\n  ret double %m\n}}\n"
        ));
        if t == "double" {
            return self.inst(t, format!("call double {name}(double {}, double {})", a.r, b.r));
        }
        // float32: the float64 remainder of two float32 values is exact and fits a float32.
        let x = self.inst("double", format!("fpext {t} {} to double", a.r));
        let y = self.inst("double", format!("fpext {t} {} to double", b.r));
        let m = self.inst("double", format!("call double {name}(double {}, double {})", x.r, y.r));
        self.inst(t, format!("fptrunc double {} to {t}", m.r))
    }

    /// CPython's float floor division and modulo (floatobject.c `_float_div_mod`), exactly.
    fn float_divmod(&mut self, op: BinOp, t: &'static str, a: &V, b: &V) -> V {
        let (zero, half, one) = if t == "float" {
            (float32_lit(0.0), float32_lit(0.5), float32_lit(1.0))
        } else {
            (float_lit(0.0), float_lit(0.5), float_lit(1.0))
        };
        let sfx = if t == "float" { "f32" } else { "f64" };
        self.declare(format!("declare {t} @llvm.copysign.{sfx}({t}, {t})"));
        self.declare(format!("declare {t} @llvm.floor.{sfx}({t})"));
        let m = self.fmod(t, a, b);
        let nz = self.inst("i1", format!("fcmp une {t} {}, {zero}", m.r));
        let bneg = self.inst("i1", format!("fcmp olt {t} {}, {zero}", b.r));
        let mneg = self.inst("i1", format!("fcmp olt {t} {}, {zero}", m.r));
        let differ = self.inst("i1", format!("xor i1 {}, {}", bneg.r, mneg.r));
        let fix = self.inst("i1", format!("and i1 {}, {}", nz.r, differ.r));
        let m_fixed = self.inst(t, format!("fadd {t} {}, {}", m.r, b.r));
        let signed_zero = self.inst(t, format!("call {t} @llvm.copysign.{sfx}({t} {zero}, {t} {})", b.r));
        let m1 = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", fix.r, m_fixed.r, m.r));
        let modv = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", nz.r, m1.r, signed_zero.r));
        if op == BinOp::Mod {
            return modv;
        }
        let diff = self.inst(t, format!("fsub {t} {}, {}", a.r, m.r));
        let div = self.inst(t, format!("fdiv {t} {}, {}", diff.r, b.r));
        let div_m1 = self.inst(t, format!("fsub {t} {}, {one}", div.r));
        let div = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", fix.r, div_m1.r, div.r));
        let fl = self.inst(t, format!("call {t} @llvm.floor.{sfx}({t} {})", div.r));
        let frac = self.inst(t, format!("fsub {t} {}, {}", div.r, fl.r));
        let up = self.inst("i1", format!("fcmp ogt {t} {}, {half}", frac.r));
        let fl1 = self.inst(t, format!("fadd {t} {}, {one}", fl.r));
        let floordiv = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", up.r, fl1.r, fl.r));
        // CPython's copysign(0.0, a / b) needs only the sign of the quotient, which IEEE defines
        // as the XOR of the operands' signs: integer ops instead of a second division.
        let (it, sign) = if t == "float" {
            ("i32", "-2147483648")
        } else {
            ("i64", "-9223372036854775808")
        };
        let ai = self.inst(it, format!("bitcast {t} {} to {it}", a.r));
        let bi = self.inst(it, format!("bitcast {t} {} to {it}", b.r));
        let x = self.inst(it, format!("xor {it} {}, {}", ai.r, bi.r));
        let s = self.inst(it, format!("and {it} {}, {sign}", x.r));
        let zq = self.inst(t, format!("bitcast {it} {} to {t}", s.r));
        let div_nz = self.inst("i1", format!("fcmp une {t} {}, {zero}", div.r));
        let result = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", div_nz.r, floordiv.r, zq.r));
        if self.opts.error_model == ErrorModel::Python {
            return result;
        }
        // error_model='numpy': x // 0.0 is x / 0.0 (inf or nan), as NumPy does.
        let q = self.inst(t, format!("fdiv {t} {}, {}", a.r, b.r));
        let by_zero = self.inst("i1", format!("fcmp oeq {t} {}, {zero}", b.r));
        self.inst(t, format!("select i1 {}, {t} {}, {t} {}", by_zero.r, q.r, result.r))
    }

    /// Integer power by repeated squaring. A negative exponent follows Numba: 1 and -1 keep
    /// their meaning, any other base gives 0 (the integer part of 1/base**n).
    fn int_pow(&mut self, signed: bool, t: &'static str, a: &V, b: &V) -> V {
        let name = format!("@kc.ipow.{}{t}", if signed { "s" } else { "u" });
        let neg_check = if signed {
            format!(
                "  %neg = icmp slt {t} %e, 0\n  br i1 %neg, label %negexp, label %loop\nnegexp:\n  %is1 = icmp eq {t} %b, 1\n  %ism1 = icmp eq {t} %b, -1\n  %odd0 = and {t} %e, 1\n  %oddn = icmp ne {t} %odd0, 0\n  %m1 = select i1 %oddn, {t} -1, {t} 1\n  %r1 = select i1 %ism1, {t} %m1, {t} 0\n  %r2 = select i1 %is1, {t} 1, {t} %r1\n  ret {t} %r2\n"
            )
        } else {
            "  br label %loop\n".to_string()
        };
        let def = format!(
            "define internal {t} {name}({t} %b, {t} %e) #0 {{\nentry:\n{neg_check}loop:\n  %acc = phi {t} [1, %entry], [%acc2, %next]\n  %base = phi {t} [%b, %entry], [%base2, %next]\n  %exp = phi {t} [%e, %entry], [%exp2, %next]\n  %done = icmp eq {t} %exp, 0\n  br i1 %done, label %out, label %step\nstep:\n  %bit = and {t} %exp, 1\n  %odd = icmp ne {t} %bit, 0\n  %mul = mul {t} %acc, %base\n  %acc2 = select i1 %odd, {t} %mul, {t} %acc\n  %base2 = mul {t} %base, %base\n  %exp2 = lshr {t} %exp, 1\n  br label %next\nnext:\n  br label %loop\nout:\n  ret {t} %acc\n}}\n"
        );
        self.declare(def);
        self.inst(t, format!("call {t} {name}({t} {}, {t} {})", a.r, b.r))
    }

    /// glibc's libmvec name of a float64 math function, when it has vector variants.
    fn libmvec_name(func: MathFn) -> Option<&'static str> {
        Some(match func {
            MathFn::Exp => "exp",
            MathFn::Exp2 => "exp2",
            MathFn::Expm1 => "expm1",
            MathFn::Log => "log",
            MathFn::Log2 => "log2",
            MathFn::Log10 => "log10",
            MathFn::Log1p => "log1p",
            MathFn::Sin => "sin",
            MathFn::Cos => "cos",
            MathFn::Tan => "tan",
            MathFn::Asin => "asin",
            MathFn::Acos => "acos",
            MathFn::Atan => "atan",
            MathFn::Atan2 => "atan2",
            MathFn::Sinh => "sinh",
            MathFn::Cosh => "cosh",
            MathFn::Tanh => "tanh",
            MathFn::Asinh => "asinh",
            MathFn::Acosh => "acosh",
            MathFn::Atanh => "atanh",
            MathFn::Erf => "erf",
            MathFn::Erfc => "erfc",
            MathFn::Pow => "pow",
            MathFn::Hypot => "hypot",
            _ => return None,
        })
    }

    /// Vector widths of libmvec the target can run: (ISA letter, lanes) for SSE2, AVX2, AVX-512.
    fn libmvec_variants(&self) -> Vec<(char, u32)> {
        let f = &self.opts.target_features;
        let cpu = &self.opts.target_cpu;
        let avx512 = f.contains("+avx512f") || cpu == "x86-64-v4";
        let avx2 = avx512 || f.contains("+avx2") || cpu == "x86-64-v3";
        let mut v = vec![('b', 2)];
        if avx2 {
            v.push(('d', 4));
        }
        if avx512 {
            v.push(('e', 8));
        }
        v
    }

    /// With fastmath, a float64 math call in a loop may run as glibc's libmvec vector function:
    /// the call site names its vector variants (`vector-function-abi-variant`), which LLVM's
    /// loop vectoriser uses. Strict mode never does this: results stay equal to scalar libm.
    fn libmvec_call(&mut self, func: MathFn, args: &[V]) -> Option<V> {
        if !self.opts.fastmath || args[0].t != "double" {
            return None;
        }
        let name = Self::libmvec_name(func)?;
        let params = "v".repeat(args.len());
        let mut mappings = Vec::new();
        for (isa, lanes) in self.libmvec_variants() {
            let vector = format!("_ZGV{isa}N{lanes}{params}_{name}");
            let vt = format!("<{lanes} x double>");
            let vparams = vec![vt.as_str(); args.len()].join(", ");
            self.declare(format!("declare {vt} @{vector}({vparams}) #1"));
            mappings.push(format!("_ZGV_LLVM_N{lanes}{params}_{name}({vector})"));
        }
        let next = 10 + self.mvec_attrs.len();
        let group = self
            .mvec_attrs
            .entry(name.to_string())
            .or_insert((next, mappings.join(",")))
            .0;
        let scalar_params = vec!["double"; args.len()].join(", ");
        self.declare(format!("declare double @{name}({scalar_params}) #1"));
        let argv: Vec<String> = args.iter().map(|a| format!("double {}", a.r)).collect();
        Some(self.inst(
            "double",
            format!("call fast double @{name}({}) #{group}", argv.join(", ")),
        ))
    }

    fn math(&mut self, func: MathFn, args: &[V]) -> V {
        if let Some(v) = self.libmvec_call(func, args) {
            return v;
        }
        let t = args[0].t;
        let f32 = t == "float";
        let sfx = if f32 { "f32" } else { "f64" };
        let fm = self.fm();
        let intrinsic = |n: &str| format!("llvm.{n}.{sfx}");
        let libm = |n: &str| if f32 { format!("{n}f") } else { n.to_string() };
        let (name, is_intrinsic) = match func {
            MathFn::Sqrt => (intrinsic("sqrt"), true),
            MathFn::Exp => (intrinsic("exp"), true),
            MathFn::Exp2 => (intrinsic("exp2"), true),
            MathFn::Log => (intrinsic("log"), true),
            MathFn::Log2 => (intrinsic("log2"), true),
            MathFn::Log10 => (intrinsic("log10"), true),
            MathFn::Sin => (intrinsic("sin"), true),
            MathFn::Cos => (intrinsic("cos"), true),
            MathFn::Tan => (intrinsic("tan"), true),
            MathFn::Floor => (intrinsic("floor"), true),
            MathFn::Ceil => (intrinsic("ceil"), true),
            MathFn::Trunc => (intrinsic("trunc"), true),
            MathFn::RoundEven => (intrinsic("roundeven"), true),
            MathFn::Fabs => (intrinsic("fabs"), true),
            MathFn::Copysign => (intrinsic("copysign"), true),
            MathFn::Pow => (intrinsic("pow"), true),
            MathFn::NanMin => (intrinsic("minimum"), true),
            MathFn::NanMax => (intrinsic("maximum"), true),
            MathFn::Expm1 => (libm("expm1"), false),
            MathFn::Log1p => (libm("log1p"), false),
            MathFn::Asin => (libm("asin"), false),
            MathFn::Acos => (libm("acos"), false),
            MathFn::Atan => (libm("atan"), false),
            MathFn::Atan2 => (libm("atan2"), false),
            MathFn::Sinh => (libm("sinh"), false),
            MathFn::Cosh => (libm("cosh"), false),
            MathFn::Tanh => (libm("tanh"), false),
            MathFn::Asinh => (libm("asinh"), false),
            MathFn::Acosh => (libm("acosh"), false),
            MathFn::Atanh => (libm("atanh"), false),
            MathFn::Erf => (libm("erf"), false),
            MathFn::Erfc => (libm("erfc"), false),
            MathFn::Gamma => (libm("tgamma"), false),
            MathFn::Lgamma => (libm("lgamma"), false),
            MathFn::Hypot => (libm("hypot"), false),
            MathFn::Fmod => return self.fmod(t, &args[0], &args[1]),
            MathFn::IsNan => return self.inst("i1", format!("fcmp uno {t} {}, {}", args[0].r, args[0].r)),
            MathFn::IsInf | MathFn::IsFinite => {
                self.declare(format!("declare {t} @llvm.fabs.{sfx}({t})"));
                let a = self.inst(t, format!("call {t} @llvm.fabs.{sfx}({t} {})", args[0].r));
                let inf = if f32 {
                    float32_lit(f64::INFINITY)
                } else {
                    float_lit(f64::INFINITY)
                };
                let pred = if func == MathFn::IsInf { "oeq" } else { "one" };
                return self.inst("i1", format!("fcmp {pred} {t} {}, {inf}", a.r));
            }
        };
        let params = vec![t; args.len()].join(", ");
        if is_intrinsic {
            self.declare(format!("declare {t} @{name}({params})"));
        } else {
            self.declare(format!("declare {t} @{name}({params}) #1"));
        }
        let argv: Vec<String> = args.iter().map(|a| format!("{t} {}", a.r)).collect();
        self.inst(t, format!("call {fm}{t} @{name}({})", argv.join(", ")))
    }

    /// The exported entries and the module initialiser.
    fn entries(&mut self, f: &Function) -> String {
        let syms = entry_symbols(&f.name);
        let internal = llvm_name(&f.symbol);
        let rt = llvm_type(&f.ret);
        let slot_t = if rt == "void" { "i8" } else { rt };
        let mut out = String::new();

        // Typed entry.
        let mut params = Vec::new();
        let mut call_args = vec!["ptr %retslot".to_string(), "ptr %exc".to_string()];
        for p in &f.params {
            let ty = &f.vars[*p].ty;
            let attr = if ty == &Type::BOOL { " zeroext" } else { "" };
            params.push(format!("{}{attr} %a{p}", llvm_type(ty)));
            call_args.push(format!("{} %a{p}", llvm_type(ty)));
        }
        let ret_attr = if f.ret == Type::BOOL { "zeroext " } else { "" };
        let zero = match &f.ret {
            Type::Scalar(s) if s.is_float() => "0.0".to_string(),
            Type::Scalar(Scalar::Bool) => "false".to_string(),
            Type::Scalar(_) => "0".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "define dso_local {ret_attr}{rt} @{}({}) #0 {{",
            syms.typed,
            params.join(", ")
        );
        let _ = writeln!(
            out,
            "entry:\n  %retslot = alloca {slot_t}\n  %exc = alloca ptr\n  store ptr null, ptr %exc"
        );
        let _ = writeln!(out, "  %st = call i32 {internal}({})", call_args.join(", "));
        let _ = writeln!(out, "  %ok = icmp eq i32 %st, 0\n  br i1 %ok, label %good, label %bad");
        if rt == "void" {
            let _ = writeln!(out, "good:\n  ret void");
        } else {
            let _ = writeln!(out, "good:\n  %r = load {rt}, ptr %retslot\n  ret {rt} %r");
        }
        let _ = writeln!(out, "bad:\n  %msg = load ptr, ptr %exc\n  %hook = load ptr, ptr @kc_host_set_error\n  %has = icmp ne ptr %hook, null\n  br i1 %has, label %report, label %done");
        let _ = writeln!(out, "report:\n  call void %hook(ptr %msg)\n  br label %done");
        if rt == "void" {
            let _ = writeln!(out, "done:\n  ret void\n}}\n");
        } else {
            let _ = writeln!(out, "done:\n  ret {rt} {zero}\n}}\n");
        }

        // Generic entry: arguments through pointers, status returned.
        let _ = writeln!(
            out,
            "define dso_local i32 @{}(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {{",
            syms.generic
        );
        let _ = writeln!(
            out,
            "entry:\n  %retslot = alloca {slot_t}\n  %exc = alloca ptr\n  store ptr null, ptr %exc"
        );
        let mut call_args = vec!["ptr %retslot".to_string(), "ptr %exc".to_string()];
        for (i, p) in f.params.iter().enumerate() {
            let ty = &f.vars[*p].ty;
            let _ = writeln!(
                out,
                "  %ap{i} = getelementptr inbounds ptr, ptr %args, i64 {i}\n  %pp{i} = load ptr, ptr %ap{i}"
            );
            match ty {
                Type::Array(_) => call_args.push(format!("ptr %pp{i}")),
                Type::Scalar(Scalar::Bool) => {
                    let _ = writeln!(out, "  %b{i} = load i8, ptr %pp{i}\n  %v{i} = icmp ne i8 %b{i}, 0");
                    call_args.push(format!("i1 %v{i}"));
                }
                other => {
                    let lt = llvm_type(other);
                    let _ = writeln!(out, "  %v{i} = load {lt}, ptr %pp{i}");
                    call_args.push(format!("{lt} %v{i}"));
                }
            }
        }
        let _ = writeln!(out, "  %st = call i32 {internal}({})", call_args.join(", "));
        let _ = writeln!(out, "  %ok = icmp eq i32 %st, 0\n  br i1 %ok, label %good, label %bad");
        let _ = writeln!(out, "good:");
        match &f.ret {
            Type::None => {}
            Type::Scalar(Scalar::Bool) => {
                let _ = writeln!(
                    out,
                    "  %r = load i1, ptr %retslot\n  %rb = zext i1 %r to i8\n  store i8 %rb, ptr %retp"
                );
            }
            other => {
                let lt = llvm_type(other);
                let _ = writeln!(out, "  %r = load {lt}, ptr %retslot\n  store {lt} %r, ptr %retp");
            }
        }
        let _ = writeln!(out, "  ret i32 0");
        let _ = writeln!(
            out,
            "bad:\n  %msg = load ptr, ptr %exc\n  store ptr %msg, ptr %errp\n  ret i32 %st\n}}\n"
        );

        // Module initialiser: the host's table is { u64 version, set_error, ... }.
        let _ = writeln!(
            out,
            "define dso_local void @kc_module_init(ptr nocapture readonly %host) #0 {{"
        );
        let _ = writeln!(out, "entry:\n  %fp = getelementptr inbounds i8, ptr %host, i64 8\n  %f = load ptr, ptr %fp\n  store ptr %f, ptr @kc_host_set_error\n  %ver = load i64, ptr %host\n  %v2 = icmp uge i64 %ver, 2\n  br i1 %v2, label %pool, label %done\npool:\n  %pp = getelementptr inbounds i8, ptr %host, i64 16\n  %p = load ptr, ptr %pp\n  store ptr %p, ptr @kc_host_parallel_for\n  %np = getelementptr inbounds i8, ptr %host, i64 24\n  %n = load ptr, ptr %np\n  store ptr %n, ptr @kc_host_num_threads\n  br label %done\ndone:\n  ret void\n}}\n");
        out
    }
}

impl V {
    fn clone_with_type(&self, t: &'static str) -> V {
        V { r: self.r.clone(), t }
    }
}
