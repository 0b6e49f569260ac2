//! The pipeline, stage by stage: parse → resolve → infer → lower → optimise/emit → link.
//! Nothing here knows about gRPC or the store.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::diag::{CompileError, DiagKind, Diagnostic};
use crate::emit::{self, EmitRequest, TargetSpec};
use crate::infer::{self, FrontOptions};
use crate::lower::{self, ErrorModel, LowerOptions};
use crate::parse::{self, ParsedModule};
use crate::resolve;
use crate::signature::{parse_signature, Signature};
use crate::tir::{self, Program};
use crate::types::Type;

/// Compile options with Numba's names and defaults, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelOptions {
    pub parallel: bool,
    pub fastmath: bool,
    pub error_model: ErrorModel,
    pub boundscheck: bool,
}

impl Default for KernelOptions {
    fn default() -> Self {
        KernelOptions {
            parallel: false,
            fastmath: false,
            error_model: ErrorModel::Python,
            boundscheck: false,
        }
    }
}

impl KernelOptions {
    /// Canonical `key=value` list, every option spelled out (defaults included).
    pub fn canonical(&self) -> String {
        format!(
            "boundscheck={},error_model={},fastmath={},parallel={}",
            self.boundscheck,
            match self.error_model {
                ErrorModel::Python => "python",
                ErrorModel::Numpy => "numpy",
            },
            self.fastmath,
            self.parallel
        )
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), CompileError> {
        let flag = |v: &str| -> Result<bool, CompileError> {
            match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" | "none" => Ok(false),
                _ => Err(CompileError::request(format!(
                    "option {key}={v}: expected true or false"
                ))),
            }
        };
        match key {
            "parallel" => self.parallel = flag(value)?,
            "fastmath" => self.fastmath = flag(value)?,
            "boundscheck" => self.boundscheck = flag(value)?,
            "error_model" => {
                self.error_model = match value {
                    "python" => ErrorModel::Python,
                    "numpy" => ErrorModel::Numpy,
                    other => return Err(CompileError::request(format!("error_model must be 'python' or 'numpy', not '{other}'"))),
                }
            }
            // Accepted for compatibility with Numba; they do not change the code.
            "nopython" => {
                if !flag(value)? {
                    return Err(CompileError::request("nopython=False (object mode) is not supported: kcache compiles nopython code only"));
                }
            }
            "cache" | "nogil" | "inline" | "forceobj" | "looplift" | "target" | "identity" => {}
            other => {
                return Err(CompileError::request(format!(
                    "unknown option '{other}' (known: parallel, fastmath, error_model, boundscheck; accepted and ignored: cache, nogil, nopython)"
                )))
            }
        }
        Ok(())
    }
}

/// A request after the front end has read it: everything the action key needs.
pub struct Prepared<'src> {
    pub module: ParsedModule<'src>,
    pub entry: String,
    pub signature: Signature,
    pub options: KernelOptions,
    pub call_graph: String,
    pub diagnostics: Vec<Diagnostic>,
    pub parse_us: u64,
}

/// Parses the source and settles the signature and options (request first, then decorator).
pub fn prepare<'src>(
    source: &'src str,
    entry: &str,
    signature: &str,
    options: &BTreeMap<String, String>,
) -> Result<Prepared<'src>, CompileError> {
    let start = Instant::now();
    if entry.is_empty() {
        return Err(CompileError::request("no entry function named"));
    }
    if source.trim().is_empty() {
        return Err(CompileError::request("the source is empty"));
    }
    let module = parse::parse_module(source)?;
    let Some(def) = module.functions.get(entry) else {
        return Err(infer::entry_missing(&module, entry));
    };
    let decorator = module.decorator_info(def)?;
    let mut diagnostics = Vec::new();
    let sig_text = if !signature.trim().is_empty() {
        signature.to_string()
    } else {
        match decorator.as_ref().map(|d| d.signatures.as_slice()) {
            Some([first, rest @ ..]) => {
                if !rest.is_empty() {
                    diagnostics.push(Diagnostic {
                        kind: DiagKind::Signature,
                        line: 0,
                        column: 0,
                        message: format!("'{entry}' declares {} signatures; compiled the first, '{first}' (name one to pick another)", rest.len() + 1),
                    });
                }
                first.clone()
            }
            _ => {
                let (line, column) = module.map.line_col(def.name.range.start());
                return Err(CompileError::Source(Diagnostic {
                    kind: DiagKind::Signature,
                    line,
                    column,
                    message: format!("no signature for '{entry}': send one (e.g. \"float64(float64[:])\") or put it in the decorator, @njit(\"...\")"),
                }));
            }
        }
    };
    let signature = parse_signature(&sig_text).map_err(|e| {
        CompileError::Source(Diagnostic {
            kind: DiagKind::Signature,
            line: 0,
            column: e.column as u32,
            message: e.to_string(),
        })
    })?;
    let mut kernel_options = KernelOptions::default();
    if let Some(d) = &decorator {
        for (k, v) in &d.options {
            kernel_options.set(k, v)?;
        }
    }
    for (k, v) in options {
        kernel_options.set(k, v)?;
    }
    let call_graph = resolve::canonical_call_graph(&module, entry);
    Ok(Prepared {
        module,
        entry: entry.to_string(),
        signature,
        options: kernel_options,
        call_graph,
        diagnostics,
        parse_us: start.elapsed().as_micros() as u64,
    })
}

#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub parse_us: u64,
    pub infer_us: u64,
    pub lower_us: u64,
    pub optimize_us: u64,
    pub emit_us: u64,
    pub link_us: u64,
}

/// The calling convention of the compiled entry, for the reply.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryAbi {
    pub typed_symbol: String,
    pub generic_symbol: String,
    pub signature: String,
    pub arg_types: Vec<String>,
    pub return_type: String,
    /// Array arguments the entry may write.
    #[serde(default)]
    pub written_args: Vec<u32>,
}

pub struct Compiled {
    pub shared_object: Vec<u8>,
    pub linker: crate::link::Linker,
    pub abi: EntryAbi,
    pub timings: Timings,
    pub typed_ir: String,
    pub llvm_ir: String,
    pub optimized_ir: Option<String>,
    pub assembly: Option<String>,
}

/// Runs inference and code generation for a prepared request.
pub fn compile(prepared: &Prepared, target: &TargetSpec, want: EmitRequest) -> Result<Compiled, CompileError> {
    let mut timings = Timings {
        parse_us: prepared.parse_us,
        ..Default::default()
    };
    let start = Instant::now();
    let program = infer::infer_program(
        &prepared.module,
        &prepared.entry,
        &prepared.signature,
        &FrontOptions {
            parallel: prepared.options.parallel,
        },
    )?;
    timings.infer_us = start.elapsed().as_micros() as u64;

    let start = Instant::now();
    let tm = emit::cached_machine(target)?;
    let lower_opts = LowerOptions {
        error_model: prepared.options.error_model,
        boundscheck: prepared.options.boundscheck,
        fastmath: prepared.options.fastmath,
        target_cpu: target.cpu.clone(),
        target_features: target.features.clone(),
    };
    let llvm_ir = lower::lower_program(&program, &lower_opts, &target.triple, &emit::data_layout(&tm));
    timings.lower_us = start.elapsed().as_micros() as u64;

    let emitted = emit::compile_ir(&llvm_ir, &tm, want)?;
    timings.lower_us += emitted.parse_ir_us;
    timings.optimize_us = emitted.optimize_us;
    timings.emit_us = emitted.emit_us;

    let start = Instant::now();
    let (shared_object, linker) = crate::link::link_shared_object(&emitted.object)?;
    timings.link_us = start.elapsed().as_micros() as u64;

    Ok(Compiled {
        shared_object,
        linker,
        abi: entry_abi(&program),
        timings,
        typed_ir: tir::dump(&program),
        llvm_ir,
        optimized_ir: emitted.optimized_ir,
        assembly: emitted.assembly,
    })
}

pub fn entry_abi(program: &Program) -> EntryAbi {
    let f = &program.functions[program.entry];
    let syms = lower::entry_symbols(&f.name);
    let arg_types: Vec<String> = f.params.iter().map(|p| f.vars[*p].ty.abi_name()).collect();
    let args: Vec<String> = f.params.iter().map(|p| f.vars[*p].ty.to_string()).collect();
    EntryAbi {
        typed_symbol: syms.typed,
        generic_symbol: syms.generic,
        signature: format!("{}({})", f.ret, args.join(", ")),
        arg_types,
        written_args: written_params(program, program.entry),
        return_type: if f.ret == Type::None {
            "none".into()
        } else {
            f.ret.abi_name()
        },
    }
}

/// Which parameters of `func` are arrays the code may write: stores into them, into local
/// aliases of them, or passing them to a callee parameter that is written (a fixpoint over the
/// call graph, so recursion is handled).
pub fn written_params(program: &Program, func: usize) -> Vec<u32> {
    use crate::tir::{Expr, ExprKind, Stmt};
    let n = program.functions.len();
    let mut written: Vec<Vec<bool>> = program.functions.iter().map(|f| vec![false; f.vars.len()]).collect();

    fn root_var(e: &Expr) -> Option<usize> {
        match &e.kind {
            ExprKind::Var(v) => Some(*v),
            ExprKind::Cast(inner) => root_var(inner),
            _ => None,
        }
    }
    fn visit_expr(e: &Expr, f: &mut dyn FnMut(&Expr)) {
        f(e);
        match &e.kind {
            ExprKind::Cast(x) | ExprKind::ArraySize(x) => visit_expr(x, f),
            ExprKind::Unary { operand, .. } => visit_expr(operand, f),
            ExprKind::Binary { lhs, rhs, .. }
            | ExprKind::Compare { lhs, rhs, .. }
            | ExprKind::Logical { lhs, rhs, .. } => {
                visit_expr(lhs, f);
                visit_expr(rhs, f);
            }
            ExprKind::IfExp { cond, then, orelse } => {
                visit_expr(cond, f);
                visit_expr(then, f);
                visit_expr(orelse, f);
            }
            ExprKind::Call { args, .. } | ExprKind::Math { args, .. } | ExprKind::MinMax { args, .. } => {
                args.iter().for_each(|a| visit_expr(a, f))
            }
            ExprKind::ArrayDim { array, .. } => visit_expr(array, f),
            ExprKind::GetItem { array, indices } => {
                visit_expr(array, f);
                indices.iter().for_each(|i| visit_expr(i, f));
            }
            ExprKind::Const(_) | ExprKind::Var(_) => {}
        }
    }
    fn visit_stmts(body: &[Stmt], f: &mut dyn FnMut(Option<&Stmt>, Option<&Expr>)) {
        for s in body {
            f(Some(s), None);
            let mut on_expr = |e: &Expr| visit_expr(e, &mut |x| f(None, Some(x)));
            match s {
                Stmt::Assign { value, .. } | Stmt::Expr(value) => on_expr(value),
                Stmt::Return(Some(value)) => on_expr(value),
                Stmt::SetItem { array, indices, value } => {
                    on_expr(array);
                    indices.iter().for_each(&mut on_expr);
                    on_expr(value);
                }
                Stmt::If { cond, then, orelse }
                | Stmt::While {
                    cond,
                    body: then,
                    orelse,
                } => {
                    on_expr(cond);
                    visit_stmts(then, f);
                    visit_stmts(orelse, f);
                }
                Stmt::ForRange {
                    start,
                    stop,
                    step,
                    body,
                    orelse,
                    ..
                } => {
                    on_expr(start);
                    on_expr(stop);
                    on_expr(step);
                    visit_stmts(body, f);
                    visit_stmts(orelse, f);
                }
                Stmt::Assert { cond, .. } => on_expr(cond),
                _ => {}
            }
        }
    }

    loop {
        let mut changed = false;
        for fid in 0..n {
            let func_ir = &program.functions[fid];
            // Local array variables alias whatever array variable they were assigned from.
            let mut alias: Vec<Vec<usize>> = vec![Vec::new(); func_ir.vars.len()];
            visit_stmts(&func_ir.body, &mut |s, _| {
                if let Some(Stmt::Assign { var, value }) = s {
                    if let Some(src) = root_var(value) {
                        if func_ir.vars[*var].ty.array().is_some() {
                            alias[*var].push(src);
                        }
                    }
                }
            });
            let mut hits: Vec<usize> = Vec::new();
            visit_stmts(&func_ir.body, &mut |s, e| {
                if let Some(Stmt::SetItem { array, .. }) = s {
                    if let Some(v) = root_var(array) {
                        hits.push(v);
                    }
                }
                if let Some(Expr {
                    kind: ExprKind::Call { func: g, args },
                    ..
                }) = e
                {
                    for (j, a) in args.iter().enumerate() {
                        let callee_param = program.functions[*g].params.get(j).copied();
                        if let (Some(v), Some(p)) = (root_var(a), callee_param) {
                            if written[*g][p] {
                                hits.push(v);
                            }
                        }
                    }
                }
            });
            // Close over aliases: writing an alias writes what it came from.
            let mut stack = hits;
            while let Some(v) = stack.pop() {
                if !written[fid][v] {
                    written[fid][v] = true;
                    changed = true;
                    stack.extend(alias[v].iter().copied());
                }
            }
        }
        if !changed {
            break;
        }
    }
    let f = &program.functions[func];
    f.params
        .iter()
        .enumerate()
        .filter(|(_, p)| written[func][**p])
        .map(|(i, _)| i as u32)
        .collect()
}
