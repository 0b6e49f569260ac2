//! `kcache export` end to end: the corpus's decorated kernels exported through a real kcached
//! into one shared library, one static archive and a header; a C program built with gcc against
//! only those (no kcache.h, no -lkcache) runs with the daemon stopped, and what it computes is
//! compared with CPython (tests/export_oracle.py, over tests/kernels/oracle.py).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kcache_e2e::{bin_dir, kernels_dir, numpy_python, repo_root, run_ok as run, Daemon};

const PREFIX: &str = "ck_";

/// `kcache export ...` against `daemon`, as it ran (not checked).
fn export(daemon: &Daemon, args: &[&str]) -> Output {
    Command::new(bin_dir().join("kcache"))
        .arg("--endpoint")
        .arg(daemon.endpoint())
        .arg("export")
        .args(args)
        .env("KCACHE_EXPORT_RUNTIME", bin_dir().join("libkcache_export_runtime.a"))
        .output()
        .expect("running kcache export")
}

/// The corpus files with at least one kernel whose decorator names its signature.
fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(kernels_dir())
        .expect("tests/kernels")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py") && p.file_name().is_some_and(|n| n != "oracle.py"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("a kernel file");
            kcache::kernels::declared_kernels(&text)
                .iter()
                .any(|k| !k.signatures.is_empty())
        })
        .collect();
    files.sort();
    files
}

/// A prototype of the header: the C return type and each parameter's C type.
#[derive(Debug)]
struct Proto {
    ret: String,
    params: Vec<String>,
}

/// Every function the header declares, by name: the lines `TYPE NAME(PARAMS);`.
fn prototypes(header: &str) -> HashMap<String, Proto> {
    let mut out = HashMap::new();
    for line in header.lines() {
        let Some(line) = line.strip_suffix(");") else { continue };
        if line.starts_with(' ') || line.starts_with('/') || line.starts_with('#') {
            continue;
        }
        let Some((head, params)) = line.split_once('(') else {
            continue;
        };
        let Some(at) = head.rfind([' ', '*']) else { continue };
        let (ret, name) = (head[..=at].trim().to_string(), head[at + 1..].to_string());
        let params = if params == "void" {
            Vec::new()
        } else {
            params
                .split(", ")
                .map(|p| {
                    let at = p.rfind([' ', '*']).expect("a named parameter");
                    p[..=at].trim().to_string()
                })
                .collect()
        };
        out.insert(name, Proto { ret, params });
    }
    out
}

/// Bytes of one element of a NumPy dtype.
fn itemsize(dtype: &str) -> usize {
    match dtype {
        "bool" | "int8" | "uint8" => 1,
        "int16" | "uint16" => 2,
        "int32" | "uint32" | "float32" => 4,
        _ => 8,
    }
}

/// The C program: per case, the inputs read from DIR/cI_aJ.in, one call of the exported
/// function through the header's prototype, its result to DIR/cI.result and every array
/// argument after the call to DIR/cI_aJ.out.
fn driver(manifest: &serde_json::Value, protos: &HashMap<String, Proto>) -> (String, usize) {
    let mut c = String::from(
        "#include \"corpus.h\"\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n\
         static const char *dir;\n\
         static const char *at(const char *name) { static char p[4096]; snprintf(p, sizeof p, \"%s/%s\", dir, name); return p; }\n\
         static void *load(const char *name, size_t n) {\n  void *d = malloc(n ? n : 1);\n  FILE *f = fopen(at(name), \"rb\");\n  \
         if (!f || fread(d, 1, n, f) != n) { fprintf(stderr, \"cannot read %s\\n\", name); exit(2); }\n  fclose(f);\n  return d;\n}\n\
         static void save(const char *name, const void *d, size_t n) {\n  FILE *f = fopen(at(name), \"wb\");\n  fwrite(d, 1, n, f);\n  fclose(f);\n}\n\
         static kc_array array(void *data, kc_dtype dtype, int ndim, const int64_t *shape, int64_t itemsize) {\n  \
         kc_array a;\n  memset(&a, 0, sizeof a);\n  a.data = data; a.dtype = dtype; a.ndim = ndim;\n  \
         for (int d = ndim - 1; d >= 0; d--) { a.shape[d] = shape[d]; a.strides[d] = itemsize; itemsize *= shape[d]; }\n  return a;\n}\n\
         static FILE *result(int i) { char n[64]; snprintf(n, sizeof n, \"c%d.result\", i); return fopen(at(n), \"w\"); }\n\n\
         int main(int argc, char **argv) {\n  dir = argc > 1 ? argv[1] : \".\";\n",
    );
    let mut called = 0;
    for case in manifest.as_array().expect("a list of cases") {
        let i = case["case"].as_u64().unwrap();
        let name = format!("{PREFIX}{}", case["kernel"].as_str().unwrap());
        // Kernels with inputs but a lazy decorator were not exported.
        let Some(proto) = protos.get(&name) else { continue };
        let args = case["args"].as_array().unwrap();
        assert_eq!(args.len(), proto.params.len(), "{name}: arguments and prototype");
        called += 1;
        let _ = writeln!(c, "  {{ /* case {i}: {name} */");
        let mut call = Vec::new();
        let mut arrays = Vec::new();
        for (j, (arg, ctype)) in args.iter().zip(&proto.params).enumerate() {
            match arg["kind"].as_str().unwrap() {
                "array" => {
                    let dtype = arg["dtype"].as_str().unwrap();
                    let shape: Vec<i64> = arg["shape"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_i64().unwrap())
                        .collect();
                    let bytes = shape.iter().product::<i64>() as usize * itemsize(dtype);
                    let dims: Vec<String> = shape.iter().map(|s| s.to_string()).collect();
                    let _ = writeln!(
                        c,
                        "    int64_t s{j}[] = {{{}}};\n    kc_array a{j} = array(load(\"c{i}_a{j}.in\", {bytes}), KC_{}, {}, s{j}, {});",
                        dims.join(", "),
                        dtype.to_ascii_uppercase(),
                        shape.len(),
                        itemsize(dtype)
                    );
                    call.push(format!("&a{j}"));
                    arrays.push((j, bytes));
                }
                kind => {
                    let value = match (kind, &arg["value"]) {
                        ("float", serde_json::Value::String(hex)) => hex.clone(),
                        (_, v) => format!("{v}LL"),
                    };
                    call.push(format!("({ctype})({value})"));
                }
            }
        }
        let call = format!("{name}({})", call.join(", "));
        let print = match proto.ret.as_str() {
            "void" => format!("{call}; fprintf(out, \"None\\n\");"),
            "double" | "float" => format!("fprintf(out, \"%.17g\\n\", (double){call});"),
            _ => format!("fprintf(out, \"%lld\\n\", (long long){call});"),
        };
        let _ = writeln!(
            c,
            "    FILE *out = result({i});\n    {print}\n    fclose(out);\n    \
             const char *error = {PREFIX}last_error();\n    if (error) fprintf(stderr, \"case {i}: %s\\n\", error);"
        );
        for (j, bytes) in arrays {
            let _ = writeln!(c, "    save(\"c{i}_a{j}.out\", a{j}.data, {bytes}); free(a{j}.data);");
        }
        c.push_str("  }\n");
    }
    c.push_str("  return 0;\n}\n");
    (c, called)
}

/// `nm -D --defined-only` names of a shared object.
fn dynamic_symbols(lib: &Path) -> BTreeSet<String> {
    let out = run(Command::new("nm").args(["-D", "--defined-only"]).arg(lib));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect()
}

fn gcc(out: &Path, sources: &[&Path], extra: &[&str]) {
    run(Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-Wall", "-Werror", "-std=c11", "-o"])
        .arg(out)
        .args(sources)
        .args(extra));
}

/// Builds `source` against the header and shared library `lib<name>.so` in `dir`.
fn gcc_shared(exe: &Path, source: &Path, dir: &Path, name: &str) {
    gcc(
        exe,
        &[source],
        &[
            &format!("-I{}", dir.display()),
            &format!("-L{}", dir.display()),
            &format!("-l{name}"),
            &format!("-Wl,-rpath,{}", dir.display()),
        ],
    );
}

/// Runs a program built against the export with no daemon and no kcache in its environment.
fn run_alone(exe: &Path, args: &[&Path], env: &[(&str, &str)]) -> String {
    let out = run(Command::new(exe)
        .args(args)
        .env_remove("KCACHE_ENDPOINT")
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("KCACHE_NUM_THREADS")
        .envs(env.iter().copied()));
    String::from_utf8(out.stdout).unwrap()
}

/// Compares what the C program left in `dir` with CPython's; returns the cases compared.
fn compare_with_oracle(dir: &Path, oracle: &Path) -> usize {
    let out = run(Command::new(numpy_python()).arg(oracle).arg("compare").arg(dir));
    let mut compared = 0;
    let mut failures = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if !v["ran"].as_bool().unwrap() {
            continue;
        }
        compared += 1;
        let problems = v["problems"].as_array().unwrap();
        if !problems.is_empty() {
            failures.push(format!("{}: {problems:?}", v["kernel"]));
        }
    }
    assert!(
        failures.is_empty(),
        "the exported kernels differ from CPython:\n{}",
        failures.join("\n")
    );
    compared
}

#[test]
fn the_exported_corpus_runs_without_a_daemon_and_matches_cpython() {
    let files = corpus_files();
    assert!(files.len() >= 8, "the corpus has kernels with signatures: {files:?}");
    let tmp = tempfile::Builder::new().prefix("kcache-export").tempdir().unwrap();
    let out = tmp.path();
    let (lib, header, archive) = (out.join("libcorpus.so"), out.join("corpus.h"), out.join("libcorpus.a"));
    let mut daemon = Daemon::start();
    let mut args: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    args.extend([
        "-o",
        lib.to_str().unwrap(),
        "--header",
        header.to_str().unwrap(),
        "--static",
        archive.to_str().unwrap(),
        "--prefix",
        PREFIX,
        "--cpu",
        "x86-64-v2",
    ]);
    let first = export(&daemon, &args);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    // The exported objects are ordinary store entries: a second export compiles nothing.
    let mut json_args = vec!["--json"];
    json_args.extend(&args);
    let again = Command::new(bin_dir().join("kcache"))
        .arg("--endpoint")
        .arg(daemon.endpoint())
        .arg("--json")
        .arg("export")
        .args(&args)
        .env("KCACHE_EXPORT_RUNTIME", bin_dir().join("libkcache_export_runtime.a"))
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let functions = report["functions"].as_array().unwrap().len();
    assert!(functions >= 15, "{report}");
    assert_eq!(report["compiled"], 0, "a second export is all hits: {report}");
    assert_eq!(report["hits"].as_u64().unwrap() as usize, functions, "{report}");
    daemon.stop(false);

    // The library's interface is the header's functions, nothing else; it needs no libkcache.
    let header_text = std::fs::read_to_string(&header).unwrap();
    let protos = prototypes(&header_text);
    let declared: BTreeSet<String> = protos.keys().cloned().collect();
    assert_eq!(
        dynamic_symbols(&lib),
        declared,
        "nm -D shows exactly the documented symbols"
    );
    assert!(declared.contains("ck_compute_sum") && declared.contains("ck_compute_sum_call"));
    assert!(
        header_text.contains("double ck_compute_sum(const kc_array *arr);"),
        "{header_text}"
    );
    assert!(
        header_text.contains("compute_sum.py:6"),
        "the header says where each kernel is"
    );
    let needed = run(Command::new("readelf").arg("-d").arg(&lib));
    assert!(!String::from_utf8_lossy(&needed.stdout).contains("kcache"));

    // Inputs and CPython's answers, then the C program against the header and library alone.
    let oracle = repo_root().join("tests/export_oracle.py");
    let mut prepare = Command::new(numpy_python());
    prepare.arg(&oracle).arg("prepare").arg(out).args(&files);
    run(&mut prepare);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let (program, called) = driver(&manifest, &protos);
    assert!(called >= 12, "cases with exported kernels: {called}");
    let source = out.join("driver.c");
    std::fs::write(&source, program).unwrap();
    let exe = out.join("driver");
    gcc_shared(&exe, &source, out, "corpus");
    run_alone(&exe, &[out], &[]);
    assert_eq!(compare_with_oracle(out, &oracle), called);

    // The static archive links and computes the same.
    let exe_static = out.join("driver_static");
    gcc(
        &exe_static,
        &[&source, &archive],
        &[&format!("-I{}", out.display()), "-lm", "-lpthread", "-ldl"],
    );
    for f in std::fs::read_dir(out).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "out" || e == "result") {
            std::fs::remove_file(p).unwrap();
        }
    }
    run_alone(&exe_static, &[out], &[]);
    assert_eq!(compare_with_oracle(out, &oracle), called);
    let static_needed = run(Command::new("readelf").arg("-d").arg(&exe_static));
    assert!(!String::from_utf8_lossy(&static_needed.stdout).contains("corpus"));

    // parallel=True kernels run on the library's own thread pool, started on first use.
    let threads = out.join("threads.c");
    std::fs::write(
        &threads,
        "#include \"corpus.h\"\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\
         static int threads(void) {\n  FILE *f = fopen(\"/proc/self/status\", \"r\");\n  char line[256];\n  int n = -1;\n  \
         while (fgets(line, sizeof line, f)) if (!strncmp(line, \"Threads:\", 8)) n = atoi(line + 8);\n  fclose(f);\n  return n;\n}\n\
         int main(void) {\n  int before = threads();\n  int64_t n = 4000000;\n  double *d = malloc(n * sizeof *d);\n  \
         for (int64_t i = 0; i < n; i++) d[i] = 1.0;\n  kc_array a;\n  memset(&a, 0, sizeof a);\n  \
         a.data = d; a.ndim = 1; a.shape[0] = n; a.strides[0] = 8; a.dtype = KC_FLOAT64;\n  \
         double s = ck_parallel_sum(&a);\n  printf(\"%d %d %d %.1f\\n\", before, threads(), ck_get_num_threads(), s);\n  return 0;\n}\n",
    )
    .unwrap();
    let threads_exe = out.join("threads");
    gcc_shared(&threads_exe, &threads, out, "corpus");
    let report = run_alone(&threads_exe, &[], &[("KCACHE_NUM_THREADS", "4")]);
    let fields: Vec<&str> = report.split_whitespace().collect();
    assert_eq!(fields[0], "1", "no thread before the first parallel kernel: {report}");
    assert_eq!(fields[1], "4", "the pool's 3 workers and the caller: {report}");
    assert_eq!(fields[2], "4", "{report}");
    assert_eq!(fields[3], "4000000.0", "{report}");
}

const EXTRA: &str = r#"import numpy as np
from numba import njit


@njit(["float64(float64, float64)", "int64(int64, int64)"])
def floordiv(a, b):
    return a // b


@njit("float64[::1](int64)")
def ramp(n):
    out = np.empty(n)
    for i in range(n):
        out[i] = 0.5 * i
    return out


@njit("float64(float64[:])")
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@njit
def lazy(x):
    return x
"#;

#[test]
fn several_signatures_array_results_checked_calls_and_exceptions() {
    let tmp = tempfile::Builder::new().prefix("kcache-export").tempdir().unwrap();
    let out = tmp.path();
    let py = out.join("extra.py");
    std::fs::write(&py, EXTRA).unwrap();
    let (lib, header) = (out.join("libextra.so"), out.join("extra.h"));
    let mut daemon = Daemon::start();
    let done = export(
        &daemon,
        &[
            py.to_str().unwrap(),
            "-o",
            lib.to_str().unwrap(),
            "--header",
            header.to_str().unwrap(),
            "--prefix",
            "ex_",
        ],
    );
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(
        String::from_utf8_lossy(&done.stderr).contains("lazy has no signature"),
        "a lazy kernel is named as left out"
    );
    daemon.stop(false);
    let header_text = std::fs::read_to_string(&header).unwrap();
    for proto in [
        "double ex_floordiv_float64_float64(double a, double b);",
        "int64_t ex_floordiv_int64_int64(int64_t a, int64_t b);",
        "kc_array ex_ramp(int64_t n);",
    ] {
        assert!(header_text.contains(proto), "{proto} in:\n{header_text}");
    }
    let program = out.join("extra.c");
    std::fs::write(
        &program,
        r#"#include "extra.h"
#include <stdio.h>
int main(void) {
  printf("%g %lld\n", ex_floordiv_float64_float64(7.5, 2.0), (long long)ex_floordiv_int64_int64(-7, 2));
  int64_t r = ex_floordiv_int64_int64(1, 0);
  const char *e = ex_last_error();
  printf("%lld %s\n", (long long)r, e ? e : "(none)");
  printf("%s\n", ex_last_error() ? "again" : "taken");
  kc_array a = ex_ramp(5);
  printf("%d %lld %g %d\n", a.ndim, (long long)a.shape[0], ((double *)a.data)[4], a.owner != 0);
  ex_array_release(&a);
  ex_array_release(&a);
  int64_t x = 9, y = 0, q = 0;
  void *args[] = {&x, &y};
  int status = ex_floordiv_int64_int64_call(args, &q);
  printf("%d %s\n", status, ex_last_error());
  y = 4;
  status = ex_floordiv_int64_int64_call(args, &q);
  printf("%d %lld\n", status, (long long)q);
  float f[3] = {1, 2, 3};
  kc_array wrong = {0};
  wrong.data = f; wrong.ndim = 1; wrong.shape[0] = 3; wrong.strides[0] = 4; wrong.dtype = KC_FLOAT32;
  void *bad[] = {&wrong};
  double sum = 0;
  status = ex_total_call(bad, &sum);
  printf("%d %s\n", status, ex_last_error());
  int64_t n = 3;
  void *good[] = {&n};
  kc_array got;
  status = ex_ramp_call(good, &got);
  printf("%d %g\n", status, ((double *)got.data)[2]);
  ex_array_release(&got);
  status = ex_ramp_call(good, NULL);
  printf("%d\n", status);
  return 0;
}
"#,
    )
    .unwrap();
    let exe = out.join("extra");
    gcc_shared(&exe, &program, out, "extra");
    let text = run_alone(&exe, &[], &[]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "3 -4", "{text}");
    assert_eq!(
        lines[1], "0 ZeroDivisionError: integer division or modulo by zero",
        "{text}"
    );
    assert_eq!(lines[2], "taken", "last_error takes the error: {text}");
    assert_eq!(lines[3], "1 5 2 1", "{text}");
    assert!(lines[4].starts_with("1 ZeroDivisionError"), "{text}");
    assert_eq!(lines[5], "0 2", "{text}");
    assert_eq!(
        lines[6], "-1 TypeError: ex_total_call: argument 0: expected a 1-d array of float64, got float32 elements",
        "{text}"
    );
    assert_eq!(lines[7], "0 1", "{text}");
    assert_eq!(lines[8], "0", "{text}");
}

#[test]
fn export_errors_are_clear_and_fail() {
    let tmp = tempfile::Builder::new().prefix("kcache-export").tempdir().unwrap();
    let out = tmp.path();
    let daemon = Daemon::start();
    let lib = out.join("lib.so");
    let header = out.join("k.h");
    let (lib, header) = (lib.to_str().unwrap(), header.to_str().unwrap());
    let failing = |args: &[&str], expect: &str| {
        let o = export(&daemon, args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(err.contains(expect), "{args:?}: {err}");
        err
    };
    let plain = out.join("plain.py");
    std::fs::write(&plain, "def f(x):\n    return x\n").unwrap();
    failing(
        &[plain.to_str().unwrap(), "-o", lib, "--header", header],
        "no kernel to export",
    );

    let broken = out.join("broken.py");
    std::fs::write(
        &broken,
        "from numba import njit\n\n@njit(\"float64(float64)\")\ndef good(x):\n    return x\n\n\
         @njit(\"float64(float64)\")\ndef bad(x):\n    return undefined_name + x\n",
    )
    .unwrap();
    let err = failing(
        &[broken.to_str().unwrap(), "-o", lib, "--header", header],
        "failed to compile",
    );
    assert!(err.contains("broken.py:8: bad"), "the kernel and where it is: {err}");
    assert!(err.contains("undefined_name"), "the compiler's message: {err}");
    assert!(!Path::new(lib).exists(), "nothing is written when a kernel fails");

    let good = kernels_dir().join("compute_sum.py");
    let nowhere = out.join("plain.py/lib.so");
    failing(
        &[
            good.to_str().unwrap(),
            "-o",
            nowhere.to_str().unwrap(),
            "--header",
            header,
        ],
        "does not exist",
    );
    failing(&[good.to_str().unwrap(), "--header", header], "needs -o");
    failing(
        &[good.to_str().unwrap(), "-o", lib, "--header", header, "--prefix", "9x"],
        "--prefix",
    );
}
