//! `kcache export`: the decorated kernels of Python files as one standalone C library (shared,
//! and optionally static) with a generated header; no daemon and no libkcache when it runs.
//!
//! The daemon compiles: each kernel signature is an ordinary compile request for the
//! relocatable object (an ordinary store entry, so a second export is all hits). The linking
//! happens here, with binutils and the C compiler: each object's ABI symbols are renamed to
//! the library's names (`objcopy`), the generated glue ([`crate::export_c`]) is compiled, and
//! everything is linked with `libkcache_export_runtime.a` (the `kcache-runtime` crate) under a
//! version script that exports exactly the documented functions.

use std::path::{Path, PathBuf};
use std::process::Command;

use kcache_abi::{GENERIC_ENTRY_PREFIX, MODULE_ABI_SYMBOL, MODULE_INIT_SYMBOL, TYPED_ENTRY_PREFIX};

use crate::abi::EntrySignature;
use crate::client::{Client, CompileSpec};
use crate::export_c::{self, ExportedFn};
use crate::kernels::declared_kernels;

/// Where the runtime archive is looked for when `KCACHE_EXPORT_RUNTIME` is unset: beside the
/// `kcache` executable (a cargo build), then in `../lib` (an installed prefix).
pub const RUNTIME_ARCHIVE: &str = "libkcache_export_runtime.a";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Input(String),
    #[error("{count} kernel signature(s) failed to compile:\n{details}")]
    Compile { count: usize, details: String },
    #[error("{0}")]
    Tool(String),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ExportError {
    let path = path.to_path_buf();
    move |source| ExportError::Io { what, path, source }
}

/// What to export and where.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    pub sources: Vec<PathBuf>,
    pub shared: PathBuf,
    pub header: PathBuf,
    pub static_lib: Option<PathBuf>,
    /// Target CPU (`x86-64-v3`, ...); empty: this machine's.
    pub cpu: String,
    pub prefix: String,
}

/// What an export did, for the command's report.
#[derive(Clone, Debug, Default)]
pub struct ExportReport {
    pub functions: Vec<String>,
    /// Symbols of the library's interface (`nm -D` shows these).
    pub symbols: Vec<String>,
    pub hits: usize,
    pub compiled: usize,
    /// Kernels left out, and why (a lazy `@njit` has no signature to compile).
    pub skipped: Vec<String>,
}

struct Planned {
    function: ExportedFn,
    object: Vec<u8>,
    /// The module's generic entry symbol (`kc_generic_<name>`).
    generic_symbol: String,
    typed_symbol: String,
}

fn check_prefix(prefix: &str) -> Result<(), ExportError> {
    let ok = prefix
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if !ok {
        return Err(ExportError::Input(format!(
            "--prefix '{prefix}' is not the start of a C identifier (letters, digits, '_')"
        )));
    }
    Ok(())
}

/// Compiles every decorated kernel signature of the sources through `client` and writes the
/// library, its header and (when asked) the static archive.
pub fn export(client: &Client, opts: &ExportOptions) -> Result<ExportReport, ExportError> {
    check_prefix(&opts.prefix)?;
    let mut report = ExportReport::default();
    let mut planned: Vec<Planned> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for path in &opts.sources {
        let source = std::fs::read(path).map_err(io("cannot read", path))?;
        let text = String::from_utf8_lossy(&source).into_owned();
        let kernels = declared_kernels(&text);
        if kernels.iter().all(|k| k.signatures.is_empty()) {
            let lazy = if kernels.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} has no signature in its decorator; export needs @njit(\"sig\"))",
                    kernels.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", ")
                )
            };
            return Err(ExportError::Input(format!(
                "{}: no kernel to export: no function under @njit/@jit with a signature{lazy}",
                path.display()
            )));
        }
        for k in kernels {
            let location = format!("{}:{}", path.display(), k.line);
            if k.signatures.is_empty() {
                report
                    .skipped
                    .push(format!("{location}: {} has no signature in its decorator", k.name));
                continue;
            }
            let several = k.signatures.len() > 1;
            for sig in &k.signatures {
                let mut spec = CompileSpec::new(source.clone(), &k.name, sig);
                spec.cpu = opts.cpu.clone();
                let reply = match client.compile_object(&spec) {
                    Ok(r) => r,
                    Err(e) => {
                        failures.push(format!("  {location}: {} \"{sig}\": {}", k.name, e.message));
                        continue;
                    }
                };
                if !is_relocatable(&reply.artifact) {
                    return Err(ExportError::Tool(format!(
                        "kcached at {} answered {} with something other than a relocatable object: a \
                         kcached older than kcache export ignores the request for one; upgrade it",
                        client.endpoint(),
                        k.name
                    )));
                }
                if reply.cache_hit {
                    report.hits += 1;
                } else {
                    report.compiled += 1;
                }
                let abi = reply.abi.unwrap_or_default();
                let signature = EntrySignature::parse(&abi.arg_types, &abi.return_type, &abi.signature)
                    .map_err(|e| ExportError::Tool(format!("{location}: {}: {e}", k.name)))?;
                if let Some(why) = export_c::unsupported(&signature) {
                    failures.push(format!("  {location}: {} \"{sig}\": {why}", k.name));
                    continue;
                }
                let mut c_name = format!("{}{}", opts.prefix, k.name);
                if several {
                    for a in &signature.args {
                        c_name.push('_');
                        c_name.push_str(&export_c::type_suffix(a));
                    }
                }
                planned.push(Planned {
                    function: ExportedFn {
                        kernel: k.name.clone(),
                        c_name,
                        location: location.clone(),
                        declared: sig.clone(),
                        signature,
                        decorator: k.decorator.clone(),
                        written_args: abi.written_args.clone(),
                        params: k.params.clone(),
                    },
                    object: reply.artifact,
                    generic_symbol: abi.generic_symbol,
                    typed_symbol: abi.typed_symbol,
                });
            }
        }
    }
    if !failures.is_empty() {
        return Err(ExportError::Compile {
            count: failures.len(),
            details: failures.join("\n"),
        });
    }
    check_unique(&planned, &opts.prefix)?;
    let fns: Vec<ExportedFn> = planned.iter().map(|p| p.function.clone()).collect();
    report.functions = fns.iter().map(|f| f.c_name.clone()).collect();
    report.symbols = export_c::exported_symbols(&opts.prefix, &fns);
    write_outputs(opts, &planned, &fns, &report.symbols)?;
    Ok(report)
}

/// Two kernels of one name (from two files, or two signatures that differ only in ways the
/// suffix does not spell) would export one symbol twice.
fn check_unique(planned: &[Planned], prefix: &str) -> Result<(), ExportError> {
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let own: Vec<String> = export_c::runtime_functions(prefix)
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    for p in planned {
        let f = &p.function;
        for name in [f.c_name.clone(), f.call_name()] {
            if own.contains(&name) {
                return Err(ExportError::Input(format!(
                    "{}: the kernel {} would be exported as {name}, the library's own function; rename it or change --prefix",
                    f.location, f.kernel
                )));
            }
            if let Some(other) = seen.insert(name.clone(), &f.location) {
                return Err(ExportError::Input(format!(
                    "{} and {other} would both be exported as {name}: rename one of the kernels",
                    f.location
                )));
            }
        }
    }
    Ok(())
}

fn run_tool(cmd: &mut Command, what: &str) -> Result<(), ExportError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().map_err(|e| {
        ExportError::Tool(format!(
            "cannot run {program} ({what}): {e}; binutils and a C compiler are needed"
        ))
    })?;
    if !out.status.success() {
        return Err(ExportError::Tool(format!(
            "{program} failed ({what}): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// `KCACHE_EXPORT_RUNTIME`, else beside the executable, else in `../lib`.
pub fn runtime_archive() -> Result<PathBuf, ExportError> {
    if let Some(p) = std::env::var_os("KCACHE_EXPORT_RUNTIME") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| ExportError::Tool(format!("cannot find this executable: {e}")))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let candidates = [dir.join(RUNTIME_ARCHIVE), dir.join("../lib").join(RUNTIME_ARCHIVE)];
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        ExportError::Tool(format!(
            "the runtime archive {RUNTIME_ARCHIVE} is not beside kcache nor in ../lib ({}); build it \
             (cargo build -p kcache-export-runtime) or name it with KCACHE_EXPORT_RUNTIME",
            candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Creates `path`'s file by writing a temporary beside it and renaming, so that a failed export
/// leaves no half-written output.
fn install_file(from: &Path, to: &Path) -> Result<(), ExportError> {
    let dir = to
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.kcache-tmp",
        to.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    std::fs::copy(from, &tmp).map_err(io("cannot write", to))?;
    std::fs::rename(&tmp, to).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        ExportError::Io {
            what: "cannot write",
            path: to.to_path_buf(),
            source: e,
        }
    })
}

fn write_outputs(
    opts: &ExportOptions,
    planned: &[Planned],
    fns: &[ExportedFn],
    symbols: &[String],
) -> Result<(), ExportError> {
    for out in [Some(&opts.shared), Some(&opts.header), opts.static_lib.as_ref()]
        .into_iter()
        .flatten()
    {
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(ExportError::Input(format!(
                "cannot write {}: the directory {} does not exist",
                out.display(),
                dir.display()
            )));
        }
    }
    let runtime = runtime_archive()?;
    let work = tempfile::Builder::new()
        .prefix("kcache-export")
        .tempdir()
        .map_err(io("cannot create a temporary directory in", &std::env::temp_dir()))?;
    let w = work.path();
    let p = &opts.prefix;
    let header_name = opts
        .header
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kernels.h".into());
    let library = opts
        .shared
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let guard: String = header_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let header_text = export_c::header(&format!("{guard}_"), &library, p, fns);
    std::fs::write(w.join(&header_name), &header_text).map_err(io("cannot write", w))?;

    // Each module's ABI symbols get names of their own in the library: its typed entry the
    // exported name, the rest names no user sees (the version script hides them).
    let mut objects = Vec::new();
    let mut inits = Vec::new();
    let mut glue_fns = Vec::new();
    for (i, plan) in planned.iter().enumerate() {
        let obj = w.join(format!("kernel{i}.o"));
        std::fs::write(&obj, &plan.object).map_err(io("cannot write", &obj))?;
        let init = format!("{p}kcache_init_{i}");
        let generic = format!("{p}kcache_generic_{i}");
        debug_assert!(plan.typed_symbol.starts_with(TYPED_ENTRY_PREFIX));
        debug_assert!(plan.generic_symbol.starts_with(GENERIC_ENTRY_PREFIX));
        run_tool(
            Command::new("objcopy")
                .arg(format!("--redefine-sym={}={}", plan.typed_symbol, plan.function.c_name))
                .arg(format!("--redefine-sym={}={generic}", plan.generic_symbol))
                .arg(format!("--redefine-sym={MODULE_INIT_SYMBOL}={init}"))
                .arg(format!("--redefine-sym={MODULE_ABI_SYMBOL}={p}kcache_abi_{i}"))
                .arg(&obj),
            "renaming a kernel's symbols",
        )?;
        objects.push(obj);
        inits.push(init);
        glue_fns.push((plan.function.clone(), generic));
    }
    let glue = w.join("kcache_glue.c");
    std::fs::write(&glue, export_c::glue(&header_name, p, &glue_fns, &inits)).map_err(io("cannot write", &glue))?;
    let glue_o = w.join("kcache_glue.o");
    run_tool(
        Command::new(cc())
            .args(["-c", "-O2", "-fPIC", "-std=c11", "-Wall", "-Werror", "-o"])
            .arg(&glue_o)
            .arg(&glue)
            .arg(format!("-I{}", w.display())),
        "compiling the library's glue",
    )?;
    // One relocatable object: a static link that pulls any kernel pulls the glue's
    // constructor with it.
    let combined = w.join("kernels.o");
    run_tool(
        Command::new("ld")
            .arg("-r")
            .arg("-o")
            .arg(&combined)
            .arg(&glue_o)
            .args(&objects),
        "combining the kernels",
    )?;
    let vscript = w.join("exports.map");
    std::fs::write(&vscript, export_c::version_script(symbols)).map_err(io("cannot write", &vscript))?;
    let so = w.join("out.so");
    let mut link = Command::new(cc());
    link.arg("-shared")
        .arg("-o")
        .arg(&so)
        .arg(&combined)
        .arg(&runtime)
        .arg(format!("-Wl,-soname,{library}"))
        .arg(format!("-Wl,--version-script={}", vscript.display()))
        .args([
            "-Wl,--gc-sections",
            "-Wl,-z,now",
            "-Wl,-z,noexecstack",
            "-Wl,-z,defs",
            "-Wl,--strip-debug",
        ])
        .args(["-lm", "-lpthread", "-ldl", "-lgcc_s", "-lc"]);
    if planned.iter().any(|p| needs_libmvec(&p.object)) {
        link.arg("-lmvec");
    }
    run_tool(&mut link, "linking the shared library")?;
    if let Some(archive) = &opts.static_lib {
        // One object with the runtime inside (only the members the kernels need) and every
        // symbol but the interface made local, so that the runtime's Rust symbols cannot clash
        // with another Rust library in the same program. The bitcode rustc embeds goes: binutils'
        // LLVM plugin would claim those members as LTO objects when indexing the archive.
        let whole = w.join("whole.o");
        run_tool(
            Command::new("ld")
                .arg("-r")
                .arg("-o")
                .arg(&whole)
                .arg(&combined)
                .arg(&runtime),
            "combining the kernels with the runtime",
        )?;
        let keep = w.join("exports.txt");
        std::fs::write(&keep, symbols.join("\n") + "\n").map_err(io("cannot write", &keep))?;
        run_tool(
            Command::new("objcopy")
                .args(["--remove-section=.llvmbc", "--remove-section=.llvmcmd", "--strip-debug"])
                .arg(format!("--keep-global-symbols={}", keep.display()))
                .arg(&whole),
            "hiding the runtime's symbols",
        )?;
        let a = w.join("out.a");
        run_tool(
            Command::new("ar").arg("rcs").arg(&a).arg(&whole),
            "writing the static archive",
        )?;
        install_file(&a, archive)?;
    }
    install_file(&so, &opts.shared)?;
    install_file(&w.join(&header_name), &opts.header)?;
    Ok(())
}

/// An ELF relocatable object (`ET_REL`), as opposed to the shared object an older daemon sends.
fn is_relocatable(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF") && bytes.get(16..18) == Some(&[1, 0])
}

/// Vectorised math (fastmath) calls glibc's libmvec.
fn needs_libmvec(object: &[u8]) -> bool {
    object.windows(4).any(|w| w == b"_ZGV")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relocatable_objects_are_linked() {
        let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x01\0".to_vec();
        assert!(is_relocatable(&elf));
        elf[16] = 3;
        assert!(!is_relocatable(&elf), "a shared object");
        assert!(!is_relocatable(b"\x7fELF"));
    }

    #[test]
    fn prefixes_must_start_identifiers() {
        assert!(check_prefix("mk_").is_ok());
        assert!(check_prefix("").is_ok());
        assert!(check_prefix("1mk").is_err());
        assert!(check_prefix("mk-").is_err());
    }
}
