//! Stage 4: lower the typed IR to LLVM IR (textual, as Numba's llvmlite does), which the next stage
//! parses, optimises and emits with LLVM. Python semantics (floor division, negative indices,
//! ZeroDivisionError, ...) are spelled out here, once.
//!
//! The ABI of the generated shared object (entries, `kc_array`, the host table, `kc_module_init`,
//! `kc_module_abi`, status codes) is defined in the kcache-abi crate; its offsets, names and IR
//! texts come from there (`kcache_abi::llvm`).
//!
//! Every internal function returns an `i32` status (`MODULE_STATUS_OK` or
//! `MODULE_STATUS_RAISED`) and writes its result through its first parameter, so exceptions
//! propagate by plain returns.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use kcache_abi::llvm::{host_field, ARRAY_DATA};
use kcache_abi::{array_shape_offset, array_stride_offset, MODULE_STATUS_OK, MODULE_STATUS_RAISED};

use crate::parse::ConstValue;
use crate::tir::*;
use crate::types::{ArrayType, Layout, Scalar, Type};
use memory::ARRAY_TYPE;

mod arith;
mod array;
mod complex;
mod entry;

pub use entry::{entry_abi, EntryAbi};
mod array_expr;
mod dict;
mod expr;
mod list;
pub mod math;
mod memory;
mod parallel;
mod print;
mod reduce;
mod scan;
mod set;
mod stmt;
mod views;

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
    /// `parallel=True`: whole-array expressions split over the host's pool too.
    pub parallel: bool,
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
        typed: format!("{}{entry}", kcache_abi::TYPED_ENTRY_PREFIX),
        generic: format!("{}{entry}", kcache_abi::GENERIC_ENTRY_PREFIX),
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
        loop_marks: Vec::new(),
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
        chain_loops: Vec::new(),
        temps: Vec::new(),
        elems: Vec::new(),
        ufunc_depth: 0,
        in_region: false,
        floor_param: false,
        borrowed: Vec::new(),
        recursive: Vec::new(),
        handlers: Vec::new(),
        caught: Vec::new(),
        catches: false,
        vars_absent: false,
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
    // The module initialiser stores the host table's functions that the code calls.
    let mut host_fields = kcache_abi::llvm::host_fields_used(&functions);
    host_fields.extend(kcache_abi::llvm::host_fields_used(&lw.globals));
    for d in &lw.decls {
        host_fields.extend(kcache_abi::llvm::host_fields_used(d));
    }
    host_fields.sort_by_key(|f| f.index);
    host_fields.dedup();
    // It runs once per load: not worth optimising (#5).
    functions.push_str(&kcache_abi::llvm::module_init_ir("#5", &host_fields));
    functions.push('\n');

    let mut out = String::new();
    let _ = writeln!(out, "; kcache kernel module");
    let _ = writeln!(out, "target datalayout = \"{data_layout}\"");
    let _ = writeln!(out, "target triple = \"{triple}\"");
    out.push('\n');
    let _ = writeln!(out, "{ARRAY_TYPE} = type {}", kcache_abi::llvm::KC_ARRAY_TYPE);
    out.push_str(&kcache_abi::llvm::module_globals_ir(&host_fields));
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
    let _ = writeln!(out, "attributes #4 = {{ nobuiltin nounwind willreturn memory(none) }}");
    let _ = writeln!(out, "attributes #5 = {{ nounwind noinline optnone }}");
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
    let _ = writeln!(out, "!3 = !{{!\"llvm.loop.unroll.runtime.disable\"}}");
    for id in &lw.forced_loops {
        let _ = writeln!(out, "!{id} = distinct !{{!{id}, !2}}");
    }
    for id in &lw.chain_loops {
        let _ = writeln!(out, "!{id} = distinct !{{!{id}, !3}}");
    }
    out
}

/// An LLVM value as the lowering handles it: its textual operand and its type.
#[derive(Clone, Debug)]
pub struct V {
    pub r: String,
    pub t: Ty,
}

/// The LLVM first-class types the lowering produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    I1,
    I8,
    I16,
    I32,
    I64,
    Float,
    Double,
    /// complex64: `{ float, float }`, real part first (NumPy's and C's layout).
    CFloat,
    /// complex128: `{ double, double }`.
    CDouble,
    /// `<2 x float>`: how the C ABI passes a `float _Complex`.
    Float2,
    Ptr,
    Void,
}

impl Ty {
    /// The LLVM intrinsic suffix of a floating-point type (`llvm.sqrt.f64`).
    fn float_suffix(self) -> &'static str {
        match self {
            Ty::Float | Ty::CFloat => "f32",
            _ => "f64",
        }
    }

    pub fn is_complex(self) -> bool {
        matches!(self, Ty::CFloat | Ty::CDouble)
    }

    /// The type of a complex value's parts.
    pub fn part(self) -> Ty {
        match self {
            Ty::CFloat => Ty::Float,
            Ty::CDouble => Ty::Double,
            t => t,
        }
    }
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ty::I1 => "i1",
            Ty::I8 => "i8",
            Ty::I16 => "i16",
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::Float => "float",
            Ty::Double => "double",
            Ty::CFloat => "{ float, float }",
            Ty::CDouble => "{ double, double }",
            Ty::Float2 => "<2 x float>",
            Ty::Ptr => "ptr",
            Ty::Void => "void",
        })
    }
}

/// The lowering of one program; builtins lower their calls through its `inst`, `declare` and `fm`.
pub struct Lowerer<'p> {
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
    /// For each enclosing loop, how many temporaries were live when its body began: `break`
    /// and `continue` release the ones above (the body's statements'), which stay listed for
    /// the paths that do not jump.
    loop_marks: Vec<usize>,
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
    /// Loops that carry `llvm.loop.unroll.runtime.disable` (see `strict_float_chain`).
    chain_loops: Vec<usize>,
    /// Array temporaries of the current statement: descriptor slots that own a reference.
    temps: Vec<(String, Type)>,
    /// Inside `ArrayMap` bodies: the current elements of the inputs and the current indices.
    elems: Vec<(Vec<V>, Vec<V>)>,
    /// Element-wise bodies being lowered: NumPy's error model applies there (x / 0 is inf).
    ufunc_depth: usize,
    /// Lowering an outlined parallel body: array expressions there stay serial (the pool is
    /// busy with the region itself).
    in_region: bool,
    /// The function being lowered is recursive: it has the `i64 %floor` parameter.
    floor_param: bool,
    /// Parameters holding arrays or lists that the function never rebinds: they borrow the
    /// caller's references (held until the call returns) instead of acquiring their own.
    borrowed: Vec<VarId>,
    /// Per function of the program, whether it can call itself (computed on first use).
    recursive: Vec<bool>,
    /// The enclosing `try` blocks' handlers, innermost last: where an exception goes instead of
    /// leaving the function.
    handlers: Vec<Handler>,
    /// The enclosing `except` blocks' slots holding the exception each caught (for `raise`).
    caught: Vec<String>,
    /// The function has a `try`: divisions by zero raise where they happen, never deferred
    /// past a handler.
    catches: bool,
    /// Lowering an outlined array-expression body, which has no variables of its own to drop.
    vars_absent: bool,
}

pub fn llvm_scalar(s: Scalar) -> Ty {
    match s {
        Scalar::Bool => Ty::I1,
        Scalar::I8 | Scalar::U8 => Ty::I8,
        Scalar::I16 | Scalar::U16 => Ty::I16,
        Scalar::I32 | Scalar::U32 => Ty::I32,
        Scalar::I64 | Scalar::U64 => Ty::I64,
        Scalar::F32 => Ty::Float,
        Scalar::F64 => Ty::Double,
        Scalar::C64 => Ty::CFloat,
        Scalar::C128 => Ty::CDouble,
    }
}

/// How an element is stored in memory (bool as a byte, as NumPy does).
fn llvm_mem(s: Scalar) -> Ty {
    if s == Scalar::Bool {
        Ty::I8
    } else {
        llvm_scalar(s)
    }
}

pub fn llvm_type(t: &Type) -> Ty {
    match t {
        Type::Scalar(s) => llvm_scalar(*s),
        // An array value is a pointer to its descriptor.
        Type::Array(_) => Ty::Ptr,
        Type::None => Ty::Void,
        Type::IntTuple(_) => Ty::I64,
        // A tuple value is a pointer to its fields, a list value to its two pointers.
        Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) => Ty::Ptr,
        Type::Optional(_) => unreachable!("inference lowers Optional to a tuple"),
    }
}

impl Lowerer<'_> {
    /// The LLVM spelling of `x` as a constant of the float type `t`.
    pub fn float_constant(&self, t: Ty, x: f64) -> String {
        if t == Ty::Float {
            float32_lit(x)
        } else {
            float_lit(x)
        }
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

    pub fn inst(&mut self, t: Ty, text: impl AsRef<str>) -> V {
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

    pub fn fm(&self) -> &'static str {
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
        self.string_constant(&text)
    }

    /// A NUL-terminated constant holding `text` (one global per distinct text).
    fn string_constant(&mut self, text: &str) -> String {
        let text = text.to_string();
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
}

/// A `try` body's handler: its block, and how many temporaries were live when the body began
/// (the statements around the `try` own those, and keep them when an exception is caught).
#[derive(Clone)]
pub(super) struct Handler {
    label: String,
    temps_mark: usize,
}

impl<'p> Lowerer<'p> {
    /// Leaves for the innermost handler, or out of the function with `status`, once the
    /// exception is set: what the statements being left own is released.
    pub(super) fn propagate(&mut self, status: impl std::fmt::Display) {
        let (mark, target) = match self.handlers.last() {
            Some(h) => (h.temps_mark, Some(h.label.clone())),
            None => (0, None),
        };
        let temps = self.temps[mark.min(self.temps.len())..].to_vec();
        for (slot, ty) in temps {
            self.release_value(&slot, &ty);
        }
        match target {
            Some(label) => self.terminate(format!("br label %{label}")),
            None => self.ret(status),
        }
    }

    /// `try`/`except`/`else`/`finally`: the body's exceptions branch to the handler block.
    pub(super) fn try_stmt(&mut self, body: &[Stmt], handler: Option<&[Stmt]>, orelse: &[Stmt], finalbody: &[Stmt]) {
        let l_handler = self.new_label("try.except");
        let l_end = self.new_label("try.end");
        self.handlers.push(Handler {
            label: l_handler.clone(),
            temps_mark: self.temps.len(),
        });
        self.block(body);
        self.handlers.pop();
        if !self.terminated {
            self.block(orelse);
            if !self.terminated {
                self.block(finalbody);
            }
            if !self.terminated {
                self.terminate(format!("br label %{l_end}"));
            }
        }
        let _ = writeln!(self.body, "{l_handler}:");
        self.terminated = false;
        let caught = self.fresh();
        let _ = writeln!(self.allocas, "  {caught} = alloca ptr");
        let message = self.inst(Ty::Ptr, "load ptr, ptr %exc");
        self.emit(format!("store ptr {}, ptr {caught}", message.r));
        match handler {
            Some(h) => {
                // Caught: the function has no exception pending any more.
                self.emit("store ptr null, ptr %exc");
                self.caught.push(caught);
                self.block(h);
                self.caught.pop();
                if !self.terminated {
                    self.block(finalbody);
                }
            }
            None => {
                self.block(finalbody);
                if !self.terminated {
                    self.emit(format!("store ptr {}, ptr %exc", message.r));
                    self.propagate(MODULE_STATUS_RAISED);
                }
            }
        }
        self.start_block(&l_end);
    }

    /// A bare `raise` in an `except` block: the exception it caught, raised again.
    pub(super) fn reraise(&mut self) {
        let slot = self
            .caught
            .last()
            .cloned()
            .expect("typing allows a bare raise only in an except block");
        let message = self.inst(Ty::Ptr, format!("load ptr, ptr {slot}"));
        self.emit(format!("store ptr {}, ptr %exc", message.r));
        self.propagate(MODULE_STATUS_RAISED);
    }
}

impl<'p> Lowerer<'p> {
    fn raise(&mut self, exception: &str, message: &str) {
        let g = self.message(exception, message);
        self.raise_message(&g);
    }

    /// Raises with the "ExceptionName: message" text at `g` (a constant, or one the host made).
    fn raise_message(&mut self, g: &str) {
        self.emit(format!("store ptr {g}, ptr %exc"));
        // The statements being lowered may own temporaries already (an array made before an
        // index check fails): they go with the variables, or before the handler runs.
        self.propagate(MODULE_STATUS_RAISED);
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
        let old = self.inst(Ty::I1, format!("load i1, ptr {flag}"));
        let new = self.inst(Ty::I1, format!("or i1 {}, {}", old.r, z.r));
        self.emit(format!("store i1 {}, ptr {flag}", new.r));
    }

    /// Raises the deferred ZeroDivisionError if a division in the loops just left hit zero.
    fn check_deferred_zero(&mut self) {
        if let Some(flag) = self.deferred_zero.clone() {
            let hit = self.inst(Ty::I1, format!("load i1, ptr {flag}"));
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

    /// Whether function `id` can call itself (it then takes the stack floor as its last
    /// parameter and checks the stack against it on entry).
    pub(super) fn recursive_fn(&mut self, id: usize) -> bool {
        if self.recursive.is_empty() {
            self.recursive = crate::passes::recursion::recursive(self.program);
        }
        self.recursive[id]
    }

    /// The stack floor to hand a recursive callee: the caller's own when it has one (a
    /// recursive function's body), else the host's, asked once here (`@kc.stack.floor`: 0, no
    /// check, when the host table is older than version 7).
    pub(super) fn stack_floor_arg(&mut self) -> String {
        if self.floor_param && !self.in_region {
            return "i64 %floor".into();
        }
        self.declare_stack_floor();
        let v = self.inst(Ty::I64, "call i64 @kc.stack.floor()");
        format!("i64 {}", v.r)
    }

    /// `i64 @kc.stack.floor()`: the host's stack floor, 0 (no check) when the host table is
    /// older than version 7.
    pub(super) fn declare_stack_floor(&mut self) {
        let f = kcache_abi::llvm::host_field("stack_floor").global();
        self.declare(format!(
            "define internal i64 @kc.stack.floor() #0 {{\nentry:\n  %f = load ptr, ptr {f}\n  %has = icmp ne ptr %f, null\n  br i1 %has, label %ask, label %none\nask:\n  %v = call i64 %f()\n  ret i64 %v\nnone:\n  ret i64 0\n}}\n"
        ));
    }

    /// RecursionError when the stack is below the floor this call was given: Python's error
    /// instead of overflowing the calling thread's stack (a recursive function's entry). The
    /// stack position read is the caller's result slot (`%ret`, always in the caller's frame),
    /// which costs nothing to find; the floor's margin covers this frame and what it calls
    /// before the next check.
    fn stack_check(&mut self) {
        let at = self.inst(Ty::I64, "ptrtoint ptr %ret to i64");
        let low = self.inst(Ty::I1, format!("icmp ult i64 {}, %floor", at.r));
        self.raise_if(&low, "RecursionError", "maximum recursion depth exceeded");
    }

    pub fn declare(&mut self, decl: String) {
        self.decls.insert(decl);
    }

    fn function(&mut self, f: &'p Function) {
        self.func = Some(f);
        self.tmp = 0;
        self.terminated = false;
        self.allocas.clear();
        self.deferred_zero = None;
        self.loop_nesting = 0;
        self.catches = has_try(&f.body);
        let rebound = rebound_vars(&f.body);
        self.borrowed = f
            .params
            .iter()
            .copied()
            .filter(|p| !rebound.contains(p) && f.vars[*p].ty.holds_arrays())
            .collect();
        let mut params = vec![
            "ptr noalias nocapture %ret".to_string(),
            "ptr noalias nocapture %exc".to_string(),
        ];
        for p in &f.params {
            let ty = &f.vars[*p].ty;
            let attrs = match ty {
                Type::Array(_) => " noalias nocapture readonly nonnull align 8 dereferenceable(160)",
                _ => "",
            };
            params.push(format!("{}{attrs} %p{p}", llvm_type(ty)));
        }
        let index = self.program.functions.iter().position(|g| std::ptr::eq(g, f));
        self.floor_param = index.is_some_and(|i| self.recursive_fn(i));
        if self.floor_param {
            params.push("i64 %floor".into());
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
        self.temps.clear();
        for (i, v) in f.vars.iter().enumerate() {
            if v.ty.array().is_some() {
                let _ = writeln!(
                    self.allocas,
                    "  %v{i} = alloca {ARRAY_TYPE}, align 8\n  %v{i}.o = getelementptr inbounds i8, ptr %v{i}, i64 {}\n  store ptr null, ptr %v{i}.o",
                    kcache_abi::array_owner_offset()
                );
            } else if v.ty.is_aggregate() {
                let slot = self.owned_slot(&v.ty);
                let _ = writeln!(self.allocas, "  %v{i} = getelementptr inbounds i8, ptr {slot}, i64 0");
            } else {
                // A name Python would find unbound (set only on a path not taken, or after an
                // exception was caught) reads zero, never LLVM's undef that branches on it.
                let ty = llvm_type(&v.ty);
                let _ = writeln!(
                    self.allocas,
                    "  %v{i} = alloca {ty}\n  store {ty} zeroinitializer, ptr %v{i}"
                );
            }
        }
        let saved = std::mem::take(&mut self.body);
        for p in &f.params {
            let ty = f.vars[*p].ty.clone();
            if ty.holds_arrays() || ty.tuple().is_some() {
                // The variable holds its own reference to the caller's arrays.
                let param = V {
                    r: format!("%p{p}"),
                    t: Ty::Ptr,
                };
                self.copy_value(&format!("%v{p}"), &param, &ty);
                if !self.borrowed.contains(p) {
                    self.incref_value(&format!("%v{p}"), &ty);
                }
            } else {
                self.emit(format!("store {} %p{p}, ptr %v{p}", llvm_type(&f.vars[*p].ty)));
            }
        }
        if self.floor_param {
            self.stack_check();
        }
        self.block(&f.body);
        if !self.terminated {
            if f.ret == Type::None {
                self.ret(MODULE_STATUS_OK);
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

    /// Each statement drops the array temporaries it made when it ends.
    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            let mark = self.temps.len();
            self.stmt(s);
            self.release_temps(mark);
        }
    }

    /// Whether a division by zero raises ZeroDivisionError here: under error_model='python',
    /// outside element-wise array bodies (NumPy's ufuncs give inf, nan or 0 instead).
    fn python_errors(&self) -> bool {
        self.opts.error_model == ErrorModel::Python && self.ufunc_depth == 0
    }

    fn var_type(&self, v: VarId) -> &'p Type {
        &self.func.expect("in a function").vars[v].ty
    }
}

impl V {
    fn clone_with_type(&self, t: Ty) -> V {
        V { r: self.r.clone(), t }
    }

    /// An i64 operand spelled `r` (a register or a constant).
    fn i64(r: &str) -> V {
        V {
            r: r.into(),
            t: Ty::I64,
        }
    }
}

/// The variables a function body binds: assignment targets, loop variables and `Let`s.
fn rebound_vars(body: &[Stmt]) -> BTreeSet<VarId> {
    struct Finder(BTreeSet<VarId>);
    impl crate::tir::visit::Visitor for Finder {
        fn visit_stmt(&mut self, s: &Stmt) {
            if let Stmt::Assign { var, .. } | Stmt::ForRange { var, .. } = s {
                self.0.insert(*var);
            }
            crate::tir::visit::walk_stmt(self, s);
        }

        fn visit_expr(&mut self, e: &Expr) {
            if let ExprKind::Let { var, .. } = &e.kind {
                self.0.insert(*var);
            }
            crate::tir::visit::walk_expr(self, e);
        }
    }
    let mut finder = Finder(BTreeSet::new());
    crate::tir::visit::walk_block(&mut finder, body);
    finder.0
}

fn has_try(body: &[Stmt]) -> bool {
    struct Finder(bool);
    impl crate::tir::visit::Visitor for Finder {
        fn visit_stmt(&mut self, s: &Stmt) {
            if matches!(s, Stmt::Try { .. }) {
                self.0 = true;
            }
            crate::tir::visit::walk_stmt(self, s);
        }
    }
    let mut finder = Finder(false);
    body.iter()
        .for_each(|s| crate::tir::visit::Visitor::visit_stmt(&mut finder, s));
    finder.0
}
