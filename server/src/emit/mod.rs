//! Stage 5: parse the lowered LLVM IR, optimise it (O3 with loop and SLP vectorisation) for the
//! requested CPU, and emit position-independent object code: one object, or two generated side
//! by side ([`split`]).

use std::sync::Once;

use inkwell::context::{AsContextRef, Context};
use inkwell::llvm_sys::core::{
    LLVMContextSetDiagnosticHandler, LLVMDisposeMessage, LLVMGetDiagInfoDescription, LLVMGetDiagInfoSeverity,
};
use inkwell::llvm_sys::prelude::LLVMDiagnosticInfoRef;
use inkwell::llvm_sys::LLVMDiagnosticSeverity;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine, TargetTriple};
use inkwell::OptimizationLevel;

use crate::diag::CompileError;

mod split;

/// What the code is built for, fully resolved (no empty fields).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TargetSpec {
    pub triple: String,
    pub cpu: String,
    pub features: String,
}

fn init_llvm() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        Target::initialize_x86(&InitializationConfig::default());
        // Loops start on 32-byte boundaries: a hot loop of under 32 bytes then never straddles a
        // 64-byte fetch window, which halved the speed of a linear search on AMD Zen (a 20-byte
        // loop placed at offset 48 took two op-cache windows per iteration).
        let args = [
            c"kcached".as_ptr(),
            c"-x86-experimental-pref-innermost-loop-alignment=5".as_ptr(),
        ];
        // SAFETY: two NUL-terminated strings that outlive the call; this runs once, before any
        // compile reads LLVM's options.
        unsafe {
            inkwell::llvm_sys::support::LLVMParseCommandLineOptions(args.len() as i32, args.as_ptr(), std::ptr::null())
        };
    });
}

/// The machine the daemon runs on.
pub fn host_target() -> TargetSpec {
    static HOST: std::sync::OnceLock<TargetSpec> = std::sync::OnceLock::new();
    HOST.get_or_init(|| {
        init_llvm();
        TargetSpec {
            triple: TargetMachine::get_default_triple()
                .as_str()
                .to_string_lossy()
                .into_owned(),
            cpu: TargetMachine::get_host_cpu_name().to_string(),
            features: TargetMachine::get_host_cpu_features().to_string(),
        }
    })
    .clone()
}

/// Checks once per distinct target that LLVM can build for it (requests repeat targets).
fn validate(spec: &TargetSpec) -> Result<(), CompileError> {
    static VALID: std::sync::Mutex<Vec<TargetSpec>> = std::sync::Mutex::new(Vec::new());
    if VALID.lock().unwrap_or_else(|e| e.into_inner()).contains(spec) {
        return Ok(());
    }
    machine(spec)?;
    let mut valid = VALID.lock().unwrap_or_else(|e| e.into_inner());
    if valid.len() < 64 {
        valid.push(spec.clone());
    }
    Ok(())
}

/// The LLVM version the daemon links, part of the compiler fingerprint.
pub fn llvm_version() -> String {
    let (major, minor, patch) = inkwell::support::get_llvm_version();
    format!("{major}.{minor}.{patch}")
}

/// ISA features a client reports (by cpuid) and the daemon checks before handing it code built
/// for the daemon's own CPU, grouped by the x86-64 psABI level that requires them.
const LEVEL_V2: &[&str] = &["sse3", "ssse3", "sse4.1", "sse4.2", "popcnt"];
const LEVEL_V3: &[&str] = &["avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe"];
const LEVEL_V4: &[&str] = &["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];
const EXTRA_CHECKED: &[&str] = &[
    "avx512vnni",
    "avx512vbmi",
    "avx512vbmi2",
    "avx512bitalg",
    "avx512vpopcntdq",
    "avx512ifma",
    "gfni",
    "vaes",
    "vpclmulqdq",
];

/// Whether `feature` is one the daemon verifies against the client's CPU.
pub fn is_checked_feature(feature: &str) -> bool {
    [LEVEL_V2, LEVEL_V3, LEVEL_V4, EXTRA_CHECKED]
        .iter()
        .any(|set| set.contains(&feature))
}

/// The best portable CPU level whose features the client has.
pub fn portable_level(client: &[String]) -> &'static str {
    let has = |set: &[&str]| set.iter().all(|f| client.iter().any(|c| c == f));
    match (has(LEVEL_V2), has(LEVEL_V3), has(LEVEL_V4)) {
        (true, true, true) => "x86-64-v4",
        (true, true, false) => "x86-64-v3",
        (true, false, _) => "x86-64-v2",
        _ => "x86-64",
    }
}

/// Resolves a client's target request. Empty cpu and features mean "the daemon's host", which
/// is granted only when the client (if it reported its features) has every checked feature the
/// host's code may use; otherwise the code is built for the best portable level the client has.
/// A named CPU with no features gets exactly that CPU's features (e.g. `x86-64-v3`).
pub fn resolve_target(
    triple: &str,
    cpu: &str,
    features: &str,
    client_features: &[String],
) -> Result<TargetSpec, CompileError> {
    let host = host_target();
    // "native" and "host" mean the daemon's CPU, as for clang and Numba; LLVM itself knows neither.
    let cpu = if cpu == "native" || cpu == "host" { "" } else { cpu };
    if !cpu.is_empty() {
        crate::target_check::check_cpu(cpu)?;
    }
    if !features.is_empty() {
        crate::target_check::check_features(features)?;
    }
    let triple = if triple.is_empty() {
        host.triple.clone()
    } else {
        triple.to_string()
    };
    let (cpu, features) = match (cpu.is_empty(), features.is_empty()) {
        (true, true) => {
            let missing: Vec<&str> = host
                .features
                .split(',')
                .filter_map(|f| f.strip_prefix('+'))
                .filter(|f| is_checked_feature(f) && !client_features.iter().any(|c| c == f))
                .collect();
            if client_features.is_empty() || missing.is_empty() {
                (host.cpu.clone(), host.features.clone())
            } else {
                (portable_level(client_features).to_string(), String::new())
            }
        }
        (true, false) => (host.cpu.clone(), features.to_string()),
        (false, _) => (cpu.to_string(), features.to_string()),
    };
    // The loader maps ELF objects with the x86-64 SysV ABI: other OS or ABI variants (x32,
    // Windows, Darwin) would link wrong or run wrong.
    const LINUX_X86_64: &[&str] = &["x86_64-unknown-linux-gnu", "x86_64-pc-linux-gnu", "x86_64-linux-gnu"];
    if triple != host.triple && !LINUX_X86_64.contains(&triple.as_str()) {
        return Err(CompileError::request(format!(
            "target triple '{}' is not supported (this kcached builds x86_64-unknown-linux-gnu code)",
            crate::diag::clip(&triple, 64)
        )));
    }
    let spec = TargetSpec { triple, cpu, features };
    validate(&spec)?;
    Ok(spec)
}

pub fn machine(spec: &TargetSpec) -> Result<TargetMachine, CompileError> {
    machine_at(spec, OptimizationLevel::Aggressive)
}

fn machine_at(spec: &TargetSpec, level: OptimizationLevel) -> Result<TargetMachine, CompileError> {
    init_llvm();
    let triple = TargetTriple::create(&spec.triple);
    let target = Target::from_triple(&triple)
        .map_err(|e| CompileError::request(format!("unknown target triple '{}': {e}", spec.triple)))?;
    target
        .create_target_machine(
            &triple,
            &spec.cpu,
            &spec.features,
            level,
            RelocMode::PIC,
            CodeModel::Default,
        )
        .ok_or_else(|| {
            CompileError::request(format!(
                "LLVM cannot build for cpu '{}' with features '{}'",
                spec.cpu, spec.features
            ))
        })
}

thread_local! {
    /// Target machines by target and code generation level, per compiler thread: LLVM builds a
    /// subtarget (feature tables, instruction info) the first time a machine generates code,
    /// which costs milliseconds.
    static MACHINES: std::cell::RefCell<std::collections::HashMap<(TargetSpec, u8), std::rc::Rc<TargetMachine>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A target machine for `spec` at -O3, reused across compiles on this thread.
pub fn cached_machine(spec: &TargetSpec) -> Result<std::rc::Rc<TargetMachine>, CompileError> {
    cached_machine_at(spec, OptimizationLevel::Aggressive)
}

fn cached_machine_at(spec: &TargetSpec, level: OptimizationLevel) -> Result<std::rc::Rc<TargetMachine>, CompileError> {
    let key = (spec.clone(), level as u8);
    if let Some(tm) = MACHINES.with(|m| m.borrow().get(&key).cloned()) {
        return Ok(tm);
    }
    let tm = std::rc::Rc::new(machine_at(spec, level)?);
    MACHINES.with(|m| {
        let mut m = m.borrow_mut();
        // A handful of targets is the norm; a client cycling through CPUs must not grow this forever.
        if m.len() >= 16 {
            m.clear();
        }
        m.insert(key, tm.clone());
    });
    Ok(tm)
}

pub fn data_layout(tm: &TargetMachine) -> String {
    tm.get_target_data()
        .get_data_layout()
        .as_str()
        .to_string_lossy()
        .into_owned()
}

/// Output of the optimiser and code generator.
pub struct Emitted {
    /// One object, or two when the module was split ([`split`]): the kernel's, then the exports'.
    pub objects: Vec<Vec<u8>>,
    pub optimized_ir: Option<String>,
    pub assembly: Option<String>,
    /// Parsing and verifying the IR text (part of lowering: the IR crosses into LLVM as text).
    pub parse_ir_us: u64,
    pub optimize_us: u64,
    /// Code generation, until both halves of a split module are done.
    pub emit_us: u64,
}

/// What `compile_ir` should return besides the object (for `Inspect`).
#[derive(Clone, Copy, Default)]
pub struct EmitRequest {
    pub optimized_ir: bool,
    pub assembly: bool,
}

/// Collects LLVM's error diagnostics for one compile and drops its warnings and remarks. Without
/// a handler LLVM prints warnings on the daemon's stderr (every fastmath loop that its forced
/// vectorisation cannot vectorise) and exits the process on an error diagnostic (an assembler
/// error, say); with it, an error is a failed compile and the daemon keeps serving.
extern "C" fn collect_llvm_errors(info: LLVMDiagnosticInfoRef, sink: *mut std::ffi::c_void) {
    // SAFETY: LLVM passes a live diagnostic; `sink` is the Vec<String> that `Llvm::new`
    // registered for this context, and LLVM calls handlers on the compiling thread.
    unsafe {
        if LLVMGetDiagInfoSeverity(info) != LLVMDiagnosticSeverity::LLVMDSError {
            return;
        }
        let text = LLVMGetDiagInfoDescription(info);
        let message = std::ffi::CStr::from_ptr(text).to_string_lossy().into_owned();
        LLVMDisposeMessage(text);
        (*(sink as *mut Vec<String>)).push(message);
    }
}

fn llvm_errors(errors: &[String], stage: &str) -> Result<(), CompileError> {
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(CompileError::Internal(format!("LLVM {stage} failed: {first}"))),
    }
}

/// An LLVM context whose error diagnostics are collected, not fatal.
struct Llvm {
    // Declared first: the context goes before the sink its handler points into.
    context: Context,
    // Boxed: the handler holds the Vec's address, which must not change when `Llvm` moves.
    #[allow(clippy::box_collection)]
    errors: Box<Vec<String>>,
}

impl Llvm {
    fn new() -> Llvm {
        let context = Context::create();
        let mut errors: Box<Vec<String>> = Box::default();
        // SAFETY: the handler only touches `errors`, a heap allocation that outlives `context`
        // (fields drop in declaration order).
        unsafe {
            LLVMContextSetDiagnosticHandler(
                (&context).as_ctx_ref(),
                Some(collect_llvm_errors),
                &mut *errors as *mut Vec<String> as *mut std::ffi::c_void,
            );
        }
        Llvm { context, errors }
    }

    fn parse(&self, ir: &str) -> Result<Module<'_>, CompileError> {
        let buffer = MemoryBuffer::create_from_memory_range_copy(ir.as_bytes(), "kernel");
        let module = self.context.create_module_from_ir(buffer).map_err(|e| {
            CompileError::Internal(format!("generated LLVM IR does not parse: {}", e.to_string_lossy()))
        })?;
        verify(&module)?;
        Ok(module)
    }
}

fn verify(module: &Module<'_>) -> Result<(), CompileError> {
    module
        .verify()
        .map_err(|e| CompileError::Internal(format!("generated LLVM IR does not verify: {}", e.to_string_lossy())))
}

/// One module's object code (and what `Inspect` asked for).
struct Generated {
    object: Vec<u8>,
    optimized_ir: Option<String>,
    assembly: Option<String>,
    emit_us: u64,
}

fn optimize(llvm: &Llvm, module: &Module<'_>, tm: &TargetMachine) -> Result<(), CompileError> {
    let options = PassBuilderOptions::create();
    options.set_loop_vectorization(true);
    options.set_loop_slp_vectorization(true);
    options.set_loop_unrolling(true);
    options.set_loop_interleaving(true);
    options.set_merge_functions(false);
    module
        .run_passes("default<O3>", tm, options)
        .map_err(|e| CompileError::Internal(format!("LLVM optimisation failed: {}", e.to_string_lossy())))?;
    llvm_errors(&llvm.errors, "optimisation")
}

fn generate(
    llvm: &Llvm,
    module: &Module<'_>,
    tm: &TargetMachine,
    want: EmitRequest,
) -> Result<Generated, CompileError> {
    let optimized_ir = want.optimized_ir.then(|| module.print_to_string().to_string());
    let start = std::time::Instant::now();
    let object = tm
        .write_to_memory_buffer(module, FileType::Object)
        .map_err(|e| CompileError::Internal(format!("object emission failed: {}", e.to_string_lossy())))?
        .as_slice()
        .to_vec();
    llvm_errors(&llvm.errors, "code generation")?;
    let emit_us = start.elapsed().as_micros() as u64;
    let assembly = if want.assembly {
        let asm = tm
            .write_to_memory_buffer(module, FileType::Assembly)
            .map_err(|e| CompileError::Internal(format!("assembly emission failed: {}", e.to_string_lossy())))?;
        Some(String::from_utf8_lossy(asm.as_slice()).into_owned())
    } else {
        None
    };
    llvm_errors(&llvm.errors, "assembly printing")?;
    Ok(Generated {
        object,
        optimized_ir,
        assembly,
        emit_us,
    })
}

/// The exports' half of a split module, from the optimised module's bitcode, in a context of
/// its own: generated with the fast instruction selector (`OptimizationLevel::None`).
fn generate_exports(bitcode: &[u8], target: &TargetSpec, want: EmitRequest) -> Result<Generated, CompileError> {
    let llvm = Llvm::new();
    let buffer = MemoryBuffer::create_from_memory_range_copy(bitcode, "exports");
    let module = Module::parse_bitcode_from_buffer(&buffer, &llvm.context)
        .map_err(|e| CompileError::Internal(format!("the optimised module's bitcode does not read back: {e}")))?;
    if !split::keep(&module, split::Half::Exports) {
        return Err(CompileError::Internal(
            "the module did not split the same way twice".into(),
        ));
    }
    verify(&module)?;
    let tm = cached_machine_at(target, OptimizationLevel::None)?;
    generate(&llvm, &module, &tm, want)
}

/// A request for the exports' half, to the thread that generates them.
struct ExportsJob {
    bitcode: std::sync::Arc<[u8]>,
    target: TargetSpec,
    want: EmitRequest,
    answer: std::sync::mpsc::Sender<Result<Generated, CompileError>>,
}

/// The thread that generates exports' halves (with its own contexts and target machines),
/// started on first use; None if it could not start, and the halves are then generated one
/// after the other.
fn exports_thread() -> Option<&'static std::sync::mpsc::Sender<ExportsJob>> {
    static THREAD: std::sync::OnceLock<Option<std::sync::mpsc::Sender<ExportsJob>>> = std::sync::OnceLock::new();
    THREAD
        .get_or_init(|| {
            let (jobs, receiver) = std::sync::mpsc::channel::<ExportsJob>();
            std::thread::Builder::new()
                .name("kcached-exports".into())
                .stack_size(32 << 20)
                .spawn(move || {
                    for job in receiver {
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            generate_exports(&job.bitcode, &job.target, job.want)
                        }))
                        .unwrap_or_else(|_| {
                            Err(CompileError::Internal("code generation of the exports panicked".into()))
                        });
                        let _ = job.answer.send(result);
                    }
                })
                .ok()?;
            Some(jobs)
        })
        .as_ref()
}

/// Optimises `ir` and generates code for `target`. With `split`, the code of a module with
/// exports is generated in two halves on two threads ([`split`]), after the whole module is
/// optimised (so that the entries still get what interprocedural optimisation gives them: the
/// kernel's arguments promoted, its impossible error paths removed), and comes back as two
/// objects to link.
pub fn compile_ir(ir: &str, target: &TargetSpec, want: EmitRequest, split: bool) -> Result<Emitted, CompileError> {
    let parse_start = std::time::Instant::now();
    let llvm = Llvm::new();
    let module = llvm.parse(ir)?;
    let tm = cached_machine(target)?;
    let parse_ir_us = parse_start.elapsed().as_micros() as u64;
    let start = std::time::Instant::now();
    optimize(&llvm, &module, &tm)?;
    let optimize_us = start.elapsed().as_micros() as u64;
    if !(split && split::splittable(&module)) {
        let whole = generate(&llvm, &module, &tm, want)?;
        return Ok(Emitted {
            objects: vec![whole.object],
            optimized_ir: whole.optimized_ir,
            assembly: whole.assembly,
            parse_ir_us,
            optimize_us,
            emit_us: whole.emit_us,
        });
    }
    let start = std::time::Instant::now();
    let bitcode: std::sync::Arc<[u8]> = module.write_bitcode_to_memory().as_slice().into();
    let (answer, exports) = std::sync::mpsc::channel();
    let job = ExportsJob {
        bitcode: bitcode.clone(),
        target: target.clone(),
        want,
        answer,
    };
    // Without the thread (or if it is gone) the exports are generated here, afterwards.
    let inline = match exports_thread() {
        Some(thread) => thread.send(job).err().map(|e| e.0),
        None => Some(job),
    };
    split::keep(&module, split::Half::Kernel);
    verify(&module)?;
    let kernel = generate(&llvm, &module, &tm, want)?;
    let exports = match inline {
        Some(job) => generate_exports(&job.bitcode, &job.target, job.want),
        None => exports
            .recv()
            .unwrap_or_else(|_| generate_exports(&bitcode, target, want)),
    }?;
    let joined = |kernel: Option<String>, exports: Option<String>, comment: &str| {
        Some(format!(
            "{comment} the kernel's half\n{}\n{comment} the exports' half (fast code generation)\n{}",
            kernel?, exports?
        ))
    };
    Ok(Emitted {
        objects: vec![kernel.object, exports.object],
        optimized_ir: joined(kernel.optimized_ir, exports.optimized_ir, ";"),
        assembly: joined(kernel.assembly, exports.assembly, "#"),
        parse_ir_us,
        optimize_us,
        emit_us: start.elapsed().as_micros() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_client_lacking_host_features_gets_portable_code() {
        let host = host_target();
        let host_checked: Vec<String> = host
            .features
            .split(',')
            .filter_map(|f| f.strip_prefix('+'))
            .filter(|f| is_checked_feature(f))
            .map(str::to_string)
            .collect();
        // A client with every checked feature of the host gets the host's code.
        let same = resolve_target("", "", "", &host_checked).unwrap();
        assert_eq!(same.cpu, host.cpu);
        // An SSE2-only client never gets it.
        let old = resolve_target("", "", "", &features(&["sse3"])).unwrap();
        if !host_checked.is_empty() {
            assert_eq!(old.cpu, "x86-64");
            assert_eq!(old.features, "");
        }
        // A client that named its CPU gets exactly that.
        assert_eq!(resolve_target("", "x86-64-v3", "", &[]).unwrap().cpu, "x86-64-v3");
    }

    /// An LLVM error diagnostic (here the integrated assembler's) is a failed compile, not an
    /// exit of the daemon, which is what LLVM's default handler does.
    #[test]
    fn llvm_error_diagnostics_are_compile_errors() {
        let tm = cached_machine(&host_target()).unwrap();
        let bad = "call void asm sideeffect \"not_an_instruction %eax\", \"\"()";
        // In a module of one function, and in the exports' half of a split one (generated on
        // another thread).
        let whole = format!("define void @f() {{\n  {bad}\n  ret void\n}}\n");
        let split = format!(
            "define internal i32 @k(i32 %x) noinline {{\n  ret i32 %x\n}}\ndefine i32 @e(i32 %x) {{\n  {bad}\n  %r = call i32 @k(i32 %x)\n  ret i32 %r\n}}\n"
        );
        for body in [whole, split] {
            let ir = format!("target datalayout = \"{}\"\n{body}", data_layout(&tm));
            let err = match compile_ir(&ir, &host_target(), EmitRequest::default(), true) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("an invalid instruction assembled"),
            };
            assert!(err.contains("invalid instruction"), "{err}");
        }
    }

    /// A module with exports comes back as two objects: the kernel's, defining what the exports
    /// call (hidden), and the exports', which only declare it.
    #[test]
    fn a_module_with_exports_is_generated_in_two_halves() {
        let tm = cached_machine(&host_target()).unwrap();
        let ir = format!(
            "target datalayout = \"{}\"\n@state = internal global i64 7\n@unused = internal global i64 1\n\
             define internal i64 @helper(i64 %x) {{\n  %s = load i64, ptr @state\n  %r = add i64 %x, %s\n  ret i64 %r\n}}\n\
             define internal i64 @kernel(i64 %x) noinline {{\n  %y = call i64 @helper(i64 %x)\n  ret i64 %y\n}}\n\
             define i64 @entry(i64 %x) {{\n  %y = call i64 @kernel(i64 %x)\n  store i64 %y, ptr @state\n  ret i64 %y\n}}\n",
            data_layout(&tm)
        );
        let want = EmitRequest {
            optimized_ir: true,
            assembly: true,
        };
        let split = compile_ir(&ir, &host_target(), want, true).unwrap();
        assert_eq!(split.objects.len(), 2);
        let ir_text = split.optimized_ir.unwrap();
        let (kernel, exports) = ir_text.split_once("the exports' half").unwrap();
        let line = |text: &str, start: &str| -> String {
            let found = text.lines().find(|l| l.starts_with(start) && l.contains("@kernel("));
            found.unwrap_or_default().to_string()
        };
        assert!(line(kernel, "define ").contains(" hidden "), "{kernel}");
        assert!(
            kernel.contains("@state = hidden ") && kernel.contains("global i64 7"),
            "{kernel}"
        );
        assert!(!kernel.contains("@entry"), "{kernel}");
        assert!(line(exports, "declare ").contains(" hidden "), "{exports}");
        assert!(
            exports.contains("@state = external hidden ") && !exports.contains("i64 7"),
            "{exports}"
        );
        assert!(exports.contains("define i64 @entry("), "{exports}");
        assert!(
            !exports.contains("@helper") && !exports.contains("@unused"),
            "{exports}"
        );
        let whole = compile_ir(&ir, &host_target(), want, false).unwrap();
        assert_eq!(whole.objects.len(), 1);
    }

    #[test]
    fn portable_levels() {
        let v2 = features(&["sse3", "ssse3", "sse4.1", "sse4.2", "popcnt"]);
        assert_eq!(portable_level(&v2), "x86-64-v2");
        let mut v3 = v2.clone();
        v3.extend(features(&[
            "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe",
        ]));
        assert_eq!(portable_level(&v3), "x86-64-v3");
        let mut v4 = v3.clone();
        v4.extend(features(&["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]));
        assert_eq!(portable_level(&v4), "x86-64-v4");
        assert_eq!(portable_level(&[]), "x86-64");
    }
}
