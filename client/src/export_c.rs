//! The C text of an exported library (`kcache export`): the header its users include and the
//! glue linked into it. Each exported kernel is the module's typed entry renamed to the
//! library's name for it (no wrapper: the prototype in the header is the entry's own calling
//! convention), plus a checked `<name>_call` written here in C.

use std::fmt::Write as _;

use kcache_abi::{kc_array, KC_MAX_NDIM};

use crate::abi::{ArgType, EntrySignature, Layout, ScalarType};

/// One kernel signature to export, as compiled.
#[derive(Clone, Debug)]
pub struct ExportedFn {
    /// The kernel's Python name.
    pub kernel: String,
    /// Its exported C name (prefix, kernel, and a suffix when it has several signatures).
    pub c_name: String,
    /// `path:line` of its `def`.
    pub location: String,
    /// The signature as the decorator writes it, and as the daemon resolved it.
    pub declared: String,
    pub signature: EntrySignature,
    /// The decorator as written.
    pub decorator: String,
    /// Array arguments the kernel may write.
    pub written_args: Vec<u32>,
    /// The Python parameter names (the prototype's, when they are as many as the arguments).
    pub params: Vec<String>,
}

impl ExportedFn {
    /// The checked entry's name.
    pub fn call_name(&self) -> String {
        format!("{}_call", self.c_name)
    }

    /// The result struct's name, for a tuple result.
    fn result_struct(&self) -> String {
        format!("{}_result", self.c_name)
    }
}

/// The library's own functions besides the kernels, with their prototypes and documentation.
pub fn runtime_functions(prefix: &str) -> Vec<(String, String, &'static str)> {
    vec![
        (
            format!("{prefix}last_error"),
            format!("const char *{prefix}last_error(void);"),
            "Takes the calling thread's last error: the exception a kernel raised\n\
             (\"ZeroDivisionError: division by zero\") or why a checked call refused its arguments;\n\
             NULL when there is none. A kernel that raised returns zero (a zeroed struct for arrays\n\
             and tuples): check this after calls that can raise. The text stays valid until this\n\
             thread calls it again.",
        ),
        (
            format!("{prefix}array_release"),
            format!("void {prefix}array_release(kc_array *array);"),
            "Releases an array a kernel returned (its owner), once; sets its owner to NULL. Arrays you\n\
             made yourself (owner NULL) are left alone.",
        ),
        (
            format!("{prefix}set_num_threads"),
            format!("void {prefix}set_num_threads(int n);"),
            "Threads the parallel=True kernels of this library use (default: $KCACHE_NUM_THREADS, else\n\
             every usable core). The pool starts with the first parallel region.",
        ),
        (
            format!("{prefix}get_num_threads"),
            format!("int {prefix}get_num_threads(void);"),
            "Threads the parallel=True kernels of this library use.",
        ),
    ]
}

/// Every symbol the library exports: what the version script keeps and `nm -D` shows.
pub fn exported_symbols(prefix: &str, fns: &[ExportedFn]) -> Vec<String> {
    let mut out: Vec<String> = runtime_functions(prefix).into_iter().map(|(n, _, _)| n).collect();
    for f in fns {
        out.push(f.c_name.clone());
        out.push(f.call_name());
    }
    out
}

fn scalar_c(s: ScalarType) -> &'static str {
    match s {
        ScalarType::Bool => "bool",
        ScalarType::I8 => "int8_t",
        ScalarType::I16 => "int16_t",
        ScalarType::I32 => "int32_t",
        ScalarType::I64 => "int64_t",
        ScalarType::U8 => "uint8_t",
        ScalarType::U16 => "uint16_t",
        ScalarType::U32 => "uint32_t",
        ScalarType::U64 => "uint64_t",
        ScalarType::F32 => "float",
        ScalarType::F64 => "double",
        ScalarType::C64 => "float _Complex",
        ScalarType::C128 => "double _Complex",
    }
}

/// The part of a symbol name one argument type contributes when a kernel has several
/// signatures: `float64`, `float64_1d`, `float32_2dc` (`c`/`f`: a contiguous layout).
pub fn type_suffix(t: &ArgType) -> String {
    match t {
        ArgType::Scalar(s) => s.name().to_string(),
        ArgType::Array { dtype, ndim, layout } => {
            let l = match layout {
                Layout::C => "c",
                Layout::F => "f",
                Layout::A => "",
            };
            format!("{}_{ndim}d{l}", dtype.name())
        }
        ArgType::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(type_suffix).collect();
            format!("tuple_{}", parts.join("_"))
        }
    }
}

/// Whether the header can give this kernel a C prototype. Tuple arguments cannot be passed yet
/// (they would need a struct per argument); tuple results can (a struct of the items).
pub fn unsupported(sig: &EntrySignature) -> Option<String> {
    sig.args
        .iter()
        .position(|a| matches!(a, ArgType::Tuple(_)))
        .map(|i| format!("argument {i} is a tuple, which an exported function cannot take yet"))
}

fn c_type(t: &ArgType, tuple_name: &str) -> String {
    match t {
        ArgType::Scalar(s) => scalar_c(*s).to_string(),
        ArgType::Array { .. } => "kc_array".to_string(),
        ArgType::Tuple(_) => tuple_name.to_string(),
    }
}

/// C's keywords and the names its standard headers here define: a Python parameter spelled so
/// gets a trailing underscore in the prototype.
const C_RESERVED: &[&str] = &[
    "auto", "bool", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "false", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "true", "typedef", "union", "unsigned", "void", "volatile",
    "while", "args", "ret",
];

/// The name of argument `i` in a prototype: the Python parameter's, else `a<i>`.
fn param_name(f: &ExportedFn, i: usize) -> String {
    match f.params.get(i) {
        Some(p) if f.params.len() == f.signature.args.len() => {
            if C_RESERVED.contains(&p.as_str()) || p.starts_with("kc_") {
                format!("{p}_")
            } else {
                p.clone()
            }
        }
        _ => format!("a{i}"),
    }
}

fn params(f: &ExportedFn) -> String {
    let ps: Vec<String> = f
        .signature
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| match a {
            ArgType::Array { .. } => format!("const kc_array *{}", param_name(f, i)),
            other => format!("{} {}", c_type(other, ""), param_name(f, i)),
        })
        .collect();
    if ps.is_empty() {
        "void".into()
    } else {
        ps.join(", ")
    }
}

fn return_type(f: &ExportedFn) -> String {
    match &f.signature.ret {
        None => "void".into(),
        Some(t) => c_type(t, &f.result_struct()),
    }
}

fn describe_arg(t: &ArgType) -> String {
    match t {
        ArgType::Array { .. } => format!("{t} (kc_array)"),
        other => other.to_string(),
    }
}

/// The header: `kc_array` (unless kcache.h came first), one documented prototype per exported
/// function, and the library's own functions.
pub fn header(guard: &str, library: &str, prefix: &str, fns: &[ExportedFn]) -> String {
    let mut h = String::new();
    let intro = [
        format!(
            "{library}: kernels compiled by kcache {}, exported by `kcache export`.",
            env!("CARGO_PKG_VERSION")
        ),
        "Generated: edit the Python sources and export again rather than this file.".into(),
        String::new(),
        "Link with the library alone: it carries the runtime its kernels need (the thread pool of".into(),
        "parallel=True kernels, their buffers, their random state); no kcached, no libkcache.".into(),
        "Each kernel has two entries:".into(),
        "  NAME(...)            the kernel's own native entry: arguments are NOT checked (an array".into(),
        "                       must have the dtype, dimensions and layout its signature says); a".into(),
        format!("                       kernel that raises returns zero and {prefix}last_error() says why."),
        "  NAME_call(args, ret) the checked entry: args[i] points to argument i (a kc_array for".into(),
        "                       an array), the result is stored at ret (NULL: dropped); returns 0,".into(),
        format!("                       or non-zero with {prefix}last_error() saying why (a wrong"),
        "                       argument, or the kernel's exception).".into(),
        format!("Arrays a kernel returns own their memory: release each with {prefix}array_release()."),
        "kc_array is defined here as in kcache.h; a program using both includes kcache.h first.".into(),
    ];
    block_comment(&mut h, intro.iter().map(String::as_str));
    let _ = writeln!(h, "#ifndef {guard}\n#define {guard}\n");
    h.push_str("#include <stdbool.h>\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    h.push_str(&array_definition());
    for f in fns {
        if let Some(ArgType::Tuple(items)) = &f.signature.ret {
            let _ = writeln!(h, "/* The result of {}: its items in order. */", f.c_name);
            let _ = writeln!(h, "typedef struct {} {{", f.result_struct());
            for (i, item) in items.iter().enumerate() {
                let inner = format!("{}_{i}", f.result_struct());
                let _ = writeln!(h, "  {} item{i};", c_type(item, &inner));
            }
            let _ = writeln!(h, "}} {};\n", f.result_struct());
        }
    }
    for f in fns {
        let _ = writeln!(h, "/* {} — {}", f.kernel, f.location);
        let _ = writeln!(h, " *   {}", f.decorator);
        let _ = writeln!(h, " *   signature {} = {}", f.declared, f.signature.text);
        for (i, a) in f.signature.args.iter().enumerate() {
            let w = if f.written_args.contains(&(i as u32)) {
                " (written)"
            } else {
                ""
            };
            let _ = writeln!(h, " *   {}: {}{w}", param_name(f, i), describe_arg(a));
        }
        match &f.signature.ret {
            None => {}
            Some(t @ ArgType::Array { .. }) => {
                let _ = writeln!(h, " *   returns {t}: release it with {prefix}array_release()");
            }
            Some(t) => {
                let _ = writeln!(h, " *   returns {t}");
            }
        }
        let _ = writeln!(h, " */");
        let _ = writeln!(h, "{} {}({});", return_type(f), f.c_name, params(f));
        let _ = writeln!(
            h,
            "/* Checked: {} argument pointer{}; ret: room for {}. */",
            f.signature.args.len(),
            if f.signature.args.len() == 1 { "" } else { "s" },
            match &f.signature.ret {
                None => "nothing (may be NULL)".to_string(),
                Some(_) => format!("a {}", return_type(f)),
            }
        );
        let _ = writeln!(h, "int {}(void *const *args, void *ret);\n", f.call_name());
    }
    for (_, proto, doc) in runtime_functions(prefix) {
        block_comment(&mut h, doc.lines());
        let _ = writeln!(h, "{proto}\n");
    }
    h.push_str("#ifdef __cplusplus\n}\n#endif\n\n");
    let _ = writeln!(h, "#endif /* {guard} */");
    h
}

/// `/* first\n * second\n */`, with no trailing spaces on empty lines.
fn block_comment<'a>(h: &mut String, lines: impl IntoIterator<Item = &'a str>) {
    for (i, line) in lines.into_iter().enumerate() {
        let lead = if i == 0 { "/*" } else { " *" };
        if line.is_empty() {
            let _ = writeln!(h, "{lead}");
        } else {
            let _ = writeln!(h, "{lead} {line}");
        }
    }
    h.push_str(" */\n");
}

/// `kc_dtype` and `kc_array` as kcache.h defines them (same guard, so both headers can be
/// included), checked against the ABI crate's layout by static assertions.
fn array_definition() -> String {
    let mut h = String::from("#ifndef KCACHE_H\n");
    let _ = writeln!(h, "#define KC_MAX_NDIM {KC_MAX_NDIM}\n");
    h.push_str("/* Element types, in NumPy's names. */\ntypedef enum kc_dtype {\n");
    for (i, d) in kcache_abi::DTYPES.iter().enumerate() {
        let _ = writeln!(h, "  KC_{} = {i},", d.name().to_ascii_uppercase());
    }
    h.push_str("} kc_dtype;\n\n");
    h.push_str(
        "/* A buffer a kernel allocated (reference-counted; see array_release). */\n\
         typedef struct kc_meminfo kc_meminfo;\n\n\
         /* An array argument or result, described like a NumPy array: element (i0, i1, ...) lives at\n \
         * data + i0*strides[0] + i1*strides[1] + ... (strides in bytes; only the first ndim entries\n \
         * of shape and strides are read). owner: NULL for memory you own (every array you pass);\n \
         * for an array a kernel returns, its buffer, released with array_release. */\n\
         typedef struct kc_array {\n  void *data;\n  int32_t ndim;\n  int64_t shape[KC_MAX_NDIM];\n  \
         int64_t strides[KC_MAX_NDIM];\n  kc_dtype dtype;\n  kc_meminfo *owner;\n} kc_array;\n",
    );
    h.push_str("#endif\n\n");
    let _ = writeln!(
        h,
        "#if defined(__cplusplus)\nstatic_assert(sizeof(kc_array) == {0}, \"kc_array as kcache built it\");\n\
         #else\n_Static_assert(sizeof(kc_array) == {0}, \"kc_array as kcache built it\");\n#endif\n",
        std::mem::size_of::<kc_array>()
    );
    h
}

/// The glue: the checked entries, the library's own functions, and the constructor that hands
/// the runtime's host table to every module (`inits`: the modules' renamed `kc_module_init`s).
/// `generic` maps an exported function to its module's renamed generic entry.
pub fn glue(header_name: &str, prefix: &str, fns: &[(ExportedFn, String)], inits: &[String]) -> String {
    let mut c = String::new();
    let _ = writeln!(
        c,
        "/* Glue of a library written by `kcache export` (generated). */\n#include \"{header_name}\"\n"
    );
    c.push_str(
        "struct kc_host_api;\n\
         extern const struct kc_host_api *kcache_rt_host_api(void);\n\
         extern const char *kcache_rt_last_error(void);\n\
         extern void kcache_rt_set_error(const char *message);\n\
         extern void kcache_rt_array_release(kc_array *array);\n\
         extern void kcache_rt_set_num_threads(int n);\n\
         extern int kcache_rt_get_num_threads(void);\n\
         extern int kcache_rt_check_array(const char *name, int index, const kc_array *array, int dtype, int ndim, char layout);\n\n",
    );
    for init in inits {
        let _ = writeln!(c, "extern void {init}(const struct kc_host_api *host);");
    }
    // Module initialisers only store the table's pointers: the pool and the generators start
    // when a kernel first needs them.
    let _ = writeln!(
        c,
        "\n__attribute__((constructor)) static void {prefix}kcache_start(void) {{\n  const struct kc_host_api *host = kcache_rt_host_api();"
    );
    for init in inits {
        let _ = writeln!(c, "  {init}(host);");
    }
    c.push_str("}\n\n");
    let _ = writeln!(
        c,
        "const char *{prefix}last_error(void) {{ return kcache_rt_last_error(); }}\n\
         void {prefix}array_release(kc_array *array) {{ kcache_rt_array_release(array); }}\n\
         void {prefix}set_num_threads(int n) {{ kcache_rt_set_num_threads(n); }}\n\
         int {prefix}get_num_threads(void) {{ return kcache_rt_get_num_threads(); }}\n"
    );
    for (f, generic) in fns {
        let _ = writeln!(
            c,
            "extern int32_t {generic}(void *const *args, void *ret, const char **error);"
        );
        let _ = writeln!(c, "int {}(void *const *args, void *ret) {{", f.call_name());
        let n = f.signature.args.len();
        if n > 0 {
            let _ = writeln!(
                c,
                "  if (!args) {{ kcache_rt_set_error(\"TypeError: {}: args is NULL\"); return -1; }}",
                f.call_name()
            );
        }
        for (i, a) in f.signature.args.iter().enumerate() {
            match a {
                ArgType::Array { dtype, ndim, layout } => {
                    let l = match layout {
                        Layout::C => 'C',
                        Layout::F => 'F',
                        Layout::A => 'A',
                    };
                    let _ = writeln!(
                        c,
                        "  if (kcache_rt_check_array(\"{}\", {i}, (const kc_array *)args[{i}], {}, {ndim}, '{l}')) return -1;",
                        f.call_name(),
                        dtype.code()
                    );
                }
                _ => {
                    let _ = writeln!(
                        c,
                        "  if (!args[{i}]) {{ kcache_rt_set_error(\"TypeError: {}: argument {i} is NULL\"); return -1; }}",
                        f.call_name()
                    );
                }
            }
        }
        let size = f.signature.ret.as_ref().map_or(0, |r| r.size_align().0);
        if size > 0 {
            // A result nobody wants still needs room; its arrays are released after.
            let _ = writeln!(
                c,
                "  _Alignas(16) unsigned char scratch[{size}];\n  int discard = ret == 0;\n  if (discard) ret = scratch;"
            );
        }
        let _ = writeln!(
            c,
            "  const char *error = 0;\n  int32_t status = {generic}(args, ret, &error);\n  \
             if (status != 0) {{ kcache_rt_set_error(error ? error : \"kernel raised an exception\"); return (int)status; }}"
        );
        if size > 0 {
            let offsets = f.signature.ret.as_ref().map(ArgType::array_offsets).unwrap_or_default();
            if !offsets.is_empty() {
                c.push_str("  if (discard) {\n");
                for o in offsets {
                    let _ = writeln!(c, "    kcache_rt_array_release((kc_array *)(scratch + {o}));");
                }
                c.push_str("  }\n");
            }
        }
        c.push_str("  return 0;\n}\n\n");
    }
    c
}

/// The version script: the listed symbols are the library's interface, everything else local.
pub fn version_script(symbols: &[String]) -> String {
    let mut s = String::from("{\n  global:\n");
    for sym in symbols {
        let _ = writeln!(s, "    {sym};");
    }
    s.push_str("  local: *;\n};\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exported(name: &str, args: &[&str], ret: &str) -> ExportedFn {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        ExportedFn {
            kernel: name.into(),
            c_name: format!("mk_{name}"),
            location: "k.py:3".into(),
            declared: "sig".into(),
            signature: EntrySignature::parse(&args, ret, "text").unwrap(),
            decorator: "@njit(\"sig\")".into(),
            written_args: vec![],
            params: if name == "compute_sum" {
                vec!["arr".into()]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn prototypes_read_as_c() {
        let fns = [
            exported("compute_sum", &["array(float64,1,A)"], "float64"),
            exported("fill", &["array(int32,2,C)", "int32"], "none"),
            exported("minmax", &["array(float32,1,A)"], "tuple(float32;float32)"),
            exported("make", &["int64"], "array(float64,1,C)"),
        ];
        let h = header("MK_H", "libmk.so", "mk_", &fns);
        assert!(h.contains("double mk_compute_sum(const kc_array *arr);"), "{h}");
        assert!(h.contains("void mk_fill(const kc_array *a0, int32_t a1);"), "{h}");
        assert!(h.contains("mk_minmax_result mk_minmax(const kc_array *a0);"), "{h}");
        assert!(h.contains("  float item0;\n  float item1;\n} mk_minmax_result;"), "{h}");
        assert!(h.contains("kc_array mk_make(int64_t a0);"), "{h}");
        assert!(
            h.contains("int mk_compute_sum_call(void *const *args, void *ret);"),
            "{h}"
        );
        assert!(h.contains("const char *mk_last_error(void);"), "{h}");
        assert!(h.contains("k.py:3"), "{h}");
        assert_eq!(
            type_suffix(&ArgType::parse("array(float32,2,C)").unwrap()),
            "float32_2dc"
        );
    }
}
