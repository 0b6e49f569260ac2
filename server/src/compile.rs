//! The pipeline, stage by stage: parse → resolve → infer → lower → optimise/emit → link.
//! Nothing here knows about gRPC or the store.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::diag::{CompileError, DiagKind, Diagnostic};
use crate::emit::{self, EmitRequest, TargetSpec};
use crate::infer::{self, FrontOptions};
use crate::lower::{self, EntryAbi, ErrorModel, LowerOptions};
use crate::parse::{self, ParsedModule};
use crate::resolve;
use crate::signature::{parse_signature, Signature};
use crate::tir;

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

/// What a compile hands back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ArtifactKind {
    /// The shared object clients load.
    #[default]
    SharedObject,
    /// The relocatable object that shared object is linked from (`kcache export` links many).
    Object,
}

impl ArtifactKind {
    /// Its name in the action key and on the worker wire.
    pub fn name(self) -> &'static str {
        match self {
            ArtifactKind::SharedObject => "shared-object",
            ArtifactKind::Object => "object",
        }
    }

    pub fn from_name(name: &str) -> Option<ArtifactKind> {
        [ArtifactKind::SharedObject, ArtifactKind::Object]
            .into_iter()
            .find(|k| k.name() == name)
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
    /// What the compile hands back ([`prepare`] says a shared object; set it to change that).
    pub artifact: ArtifactKind,
}

pub use crate::stack::COMPILER_STACK_BYTES;

/// Parses the source and settles the signature and options (request first, then decorator).
pub fn prepare<'src>(
    source: &'src str,
    entry: &str,
    signature: &str,
    options: &BTreeMap<String, String>,
) -> Result<Prepared<'src>, CompileError> {
    crate::stack::on_compiler_stack(|| prepare_here(source, entry, signature, options))
}

fn prepare_here<'src>(
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
        artifact: ArtifactKind::SharedObject,
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

pub struct Compiled {
    /// The artifact `Prepared::artifact` asked for: a shared object, or the relocatable object.
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
    crate::stack::on_compiler_stack(|| compile_here(prepared, target, want))
}

fn compile_here(prepared: &Prepared, target: &TargetSpec, want: EmitRequest) -> Result<Compiled, CompileError> {
    let mut timings = Timings {
        parse_us: prepared.parse_us,
        ..Default::default()
    };
    let start = Instant::now();
    let mut program = infer::infer_program(
        &prepared.module,
        &prepared.entry,
        &prepared.signature,
        &FrontOptions {
            parallel: prepared.options.parallel,
        },
    )?;
    crate::passes::array_exprs::fuse(&mut program.functions);
    if let Some(name) = crate::passes::written::written_global_array(&program) {
        let range = prepared
            .module
            .functions
            .get(&prepared.entry)
            .map(|d| d.name.range)
            .unwrap_or_default();
        return Err(prepared.module.map.error(
            crate::diag::DiagKind::Type,
            range,
            format!("the module-level array '{name}' is a constant in kernels (as in Numba) and this code writes it; write into a copy: {name}.copy()"),
        ));
    }
    timings.infer_us = start.elapsed().as_micros() as u64;

    let start = Instant::now();
    let tm = emit::cached_machine(target)?;
    let lower_opts = LowerOptions {
        error_model: prepared.options.error_model,
        boundscheck: prepared.options.boundscheck,
        fastmath: prepared.options.fastmath,
        parallel: prepared.options.parallel,
        target_cpu: target.cpu.clone(),
        target_features: target.features.clone(),
    };
    let llvm_ir = lower::lower_program(&program, &lower_opts, &target.triple, &emit::data_layout(&tm));
    timings.lower_us = start.elapsed().as_micros() as u64;

    // A shared object may be linked from two objects generated side by side; a relocatable
    // object for `kcache export` is one.
    let split = prepared.artifact == ArtifactKind::SharedObject;
    let emitted = emit::compile_ir(&llvm_ir, target, want, split)?;
    timings.lower_us += emitted.parse_ir_us;
    timings.optimize_us = emitted.optimize_us;
    timings.emit_us = emitted.emit_us;

    let start = Instant::now();
    let (shared_object, linker) = match prepared.artifact {
        ArtifactKind::SharedObject => crate::link::link_shared_object(&emitted.objects)?,
        ArtifactKind::Object => {
            let [object] = <[Vec<u8>; 1]>::try_from(emitted.objects)
                .map_err(|_| CompileError::Internal("a relocatable object was generated in parts".into()))?;
            (object, crate::link::Linker::InProcess)
        }
    };
    timings.link_us = start.elapsed().as_micros() as u64;

    Ok(Compiled {
        shared_object,
        linker,
        abi: lower::entry_abi(&program),
        timings,
        typed_ir: tir::dump(&program),
        llvm_ir,
        optimized_ir: emitted.optimized_ir,
        assembly: emitted.assembly,
    })
}
