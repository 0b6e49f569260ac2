//! End to end: a real kcached on a temporary socket and store, driven by the Rust client and by
//! a C program linked against libkcache. Expected values come from CPython running the same source.

use std::ffi::c_void;
use std::process::Command;

use kcache::ffi::{kc_array, kc_array_wrap, kc_dtype};
use kcache::{Client, CompileSpec, ErrorKind, Kernel};
use kcache_e2e::*;

const COMPUTE_SUM: &str = "def compute_sum(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n    return sum_val\n";

fn wrap_f64(data: &mut [f64]) -> kc_array {
    let n = data.len() as i64;
    // SAFETY: shape points to one value; strides NULL means contiguous.
    unsafe {
        kc_array_wrap(
            data.as_mut_ptr() as *mut c_void,
            kc_dtype::KC_FLOAT64,
            1,
            &n,
            std::ptr::null(),
        )
    }
}

fn call_f64(k: &Kernel, args: &[*const c_void]) -> Result<f64, kcache::Error> {
    let mut ret = 0f64;
    // SAFETY: the arguments match the kernel's signature in each test.
    unsafe { k.call(args, &mut ret as *mut f64 as *mut c_void) }?;
    Ok(ret)
}

fn call_i64(k: &Kernel, args: &[i64]) -> Result<i64, kcache::Error> {
    let ptrs: Vec<*const c_void> = args.iter().map(|a| a as *const i64 as *const c_void).collect();
    let mut ret = 0i64;
    // SAFETY: int64 scalars for an int64 kernel.
    unsafe { k.call(&ptrs, &mut ret as *mut i64 as *mut c_void) }?;
    Ok(ret)
}

fn python_float(text: &str) -> f64 {
    text.parse().unwrap_or_else(|_| panic!("not a float: {text}"))
}

#[test]
fn compute_sum_compiles_hits_and_survives_restarts() {
    let mut daemon = Daemon::start();
    let spec = CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])");
    let mut data: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 1000) as f64 / 7.0).collect();
    let list = format!("[(i * 7919 % 1000) / 7.0 for i in range({})]", data.len());
    let expected = python_float(&cpython_eval(COMPUTE_SUM, &format!("compute_sum({list})")));
    let arr = wrap_f64(&mut data);
    let args = [&arr as *const kc_array as *const c_void];

    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let first = client.compile(&spec).unwrap();
    assert!(!first.cache_hit, "a fresh store compiles");
    assert_eq!(call_f64(&first, &args).unwrap(), expected, "bit-exact with CPython");

    let second = client.compile(&spec).unwrap();
    assert!(second.cache_hit, "the same request is served from the store");
    assert_eq!(second.digest, first.digest);
    let stats = client.stats().unwrap();
    assert_eq!(stats.compiles, 1);
    // The second request hit the local index (no RPC), or the daemon's store without one.
    assert!(client.has_local_index());
    assert_eq!((stats.requests, stats.hits), (1, 0));
    drop(client);

    daemon.restart(false);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let third = client.compile(&spec).unwrap();
    assert!(third.cache_hit, "a restarted daemon serves from the store");
    assert_eq!(call_f64(&third, &args).unwrap(), expected);
    assert_eq!(client.stats().unwrap().compiles, 0);
    drop(client);

    // SIGKILL right after an acknowledged compile: the artifact must still be there.
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let fresh = client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[::1])"))
        .unwrap();
    assert!(!fresh.cache_hit);
    drop(client);
    daemon.restart(true);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let after_kill = client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[::1])"))
        .unwrap();
    assert!(after_kill.cache_hit, "acknowledged compiles are durable across SIGKILL");
    assert_eq!(after_kill.digest, fresh.digest);
}

#[test]
fn python_semantics_kernels_match_cpython() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let path = kernels_dir().join("python_semantics.py");
    let source = std::fs::read_to_string(&path).unwrap();
    let cases: &[(&str, &[i64])] = &[
        ("floor_div_mod", &[-7, 3]),
        ("floor_div_mod", &[7, -3]),
        ("floor_div_mod", &[-7, -3]),
        ("floor_div_mod", &[i64::MIN, -1]),
        ("fib", &[20]),
        ("collatz_steps", &[27]),
    ];
    for (entry, args) in cases {
        // No signature: it comes from the file's @njit decorator, as Numba would take it.
        let k = client
            .compile(&CompileSpec::new(source.as_bytes(), entry, ""))
            .unwrap_or_else(|e| panic!("{entry}: {e}"));
        let got = call_i64(&k, args).unwrap();
        let call = format!(
            "{entry}({})",
            args.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
        );
        let want = cpython_eval(&source, &call);
        if *entry == "floor_div_mod" && args[0] == i64::MIN {
            // CPython has big ints; int64 wraps as Numba's does: check it does not crash.
            continue;
        }
        assert_eq!(got.to_string(), want, "{call}");
    }
    let k = client
        .compile(&CompileSpec::new(source.as_bytes(), "mixed_promotion", ""))
        .unwrap();
    let (n, x) = (50i64, 1.5f64);
    let got = call_f64(
        &k,
        &[&n as *const i64 as *const c_void, &x as *const f64 as *const c_void],
    )
    .unwrap();
    assert_eq!(got, python_float(&cpython_eval(&source, "mixed_promotion(50, 1.5)")));
}

#[test]
fn scalar_kernels_match_cpython() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let cases: &[(&str, &str, &[i64])] = &[
        ("def f(a, b):\n    return a % b\n", "int64(int64, int64)", &[-7, 3]),
        ("def f(a, b):\n    if a > b:\n        return a - b\n    elif a == b:\n        return 0\n    else:\n        return b * 2\n", "int64(int64, int64)", &[3, 9]),
        ("def f(n, k):\n    s = 0\n    i = 0\n    while i < n:\n        s += i * k\n        i += 1\n    return s\n", "int64(int64, int64)", &[1000, 3]),
        ("def f(a, b):\n    return (a << 3) ^ (b >> 1) | 5\n", "int64(int64, int64)", &[12345, -77]),
        ("def f(a, b):\n    return a ** b\n", "int64(int64, int64)", &[3, 13]),
    ];
    for (src, sig, args) in cases {
        let k = client
            .compile(&CompileSpec::new(*src, "f", sig))
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        let want = cpython_eval(
            src,
            &format!(
                "f({})",
                args.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
            ),
        );
        assert_eq!(call_i64(&k, args).unwrap().to_string(), want, "{src}");
    }
    let src = "def g(x, y):\n    return x / y + x // y - (x % y) * 0.5\n";
    let k = client
        .compile(&CompileSpec::new(src, "g", "float64(float64, float64)"))
        .unwrap();
    for (x, y) in [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.25), (1e300, 3.0)] {
        let got = call_f64(
            &k,
            &[&x as *const f64 as *const c_void, &y as *const f64 as *const c_void],
        )
        .unwrap();
        assert_eq!(
            got,
            python_float(&cpython_eval(src, &format!("g({x:?}, {y:?})"))),
            "g({x}, {y})"
        );
    }
}

#[test]
fn kernel_exceptions_come_back_as_runtime_errors() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client
        .compile(&CompileSpec::new(
            "def f(a, b):\n    return a // b\n",
            "f",
            "int64(int64, int64)",
        ))
        .unwrap();
    let err = call_i64(&k, &[1, 0]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Runtime);
    assert!(err.message.starts_with("ZeroDivisionError"), "{}", err.message);
    // error_model='numpy' gives 0 instead, as Numba does.
    let k = client
        .compile(
            &CompileSpec::new("def f(a, b):\n    return a // b\n", "f", "int64(int64, int64)")
                .option("error_model", "numpy"),
        )
        .unwrap();
    assert_eq!(call_i64(&k, &[1, 0]).unwrap(), 0);
}

fn expect_error(client: &Client, spec: CompileSpec, kind: ErrorKind, needle: &str) -> String {
    let err = client
        .compile(&spec)
        .err()
        .unwrap_or_else(|| panic!("expected an error containing {needle:?}"));
    assert_eq!(err.kind, kind, "{}", err.message);
    assert!(
        err.message.contains(needle),
        "{:?} does not contain {needle:?}",
        err.message
    );
    err.message
}

#[test]
fn bad_input_is_rejected_and_the_daemon_keeps_serving() {
    let mut daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let sig = "float64(float64[:])";
    // Syntax error: line and column of the offending token.
    let m = expect_error(
        &client,
        CompileSpec::new("def f(a):\n    return a +\n", "f", "float64(float64)"),
        ErrorKind::Source,
        "2:",
    );
    assert!(m.contains("syntax error"), "{m}");
    // Type error.
    expect_error(
        &client,
        CompileSpec::new("def f(a):\n    return len(a.size)\n", "f", sig),
        ErrorKind::Source,
        "2:12: type error",
    );
    // Unknown name.
    expect_error(
        &client,
        CompileSpec::new("def f(a):\n    return b\n", "f", "float64(float64)"),
        ErrorKind::Source,
        "2:12: name error: name 'b' is not defined",
    );
    // Unknown signature type, with its column in the signature.
    expect_error(
        &client,
        CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(floot64[:])"),
        ErrorKind::Source,
        "unknown type 'floot64'",
    );
    // Unsupported construct names itself and its place.
    expect_error(
        &client,
        CompileSpec::new("def f(a):\n    x = {1j: 2}\n    return a\n", "f", "float64(float64)"),
        ErrorKind::Source,
        "2:10: unsupported: dict keys of type complex128",
    );
    expect_error(
        &client,
        CompileSpec::new(
            "def f(a):\n    with a:\n        pass\n    return a\n",
            "f",
            "float64(float64)",
        ),
        ErrorKind::Source,
        "2:5: unsupported: the 'with' statement",
    );
    // Wrong argument count against the signature.
    expect_error(
        &client,
        CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:], int64)"),
        ErrorKind::Source,
        "takes 1 arguments but the signature gives 2",
    );
    // Missing entry.
    expect_error(
        &client,
        CompileSpec::new(COMPUTE_SUM, "nope", sig),
        ErrorKind::Source,
        "no function named 'nope'",
    );
    // Empty and huge sources, non-UTF-8, unknown option.
    expect_error(&client, CompileSpec::new("", "f", sig), ErrorKind::Invalid, "empty");
    let huge = format!("{COMPUTE_SUM}\n{}", "# padding\n".repeat(600_000));
    expect_error(
        &client,
        CompileSpec::new(huge, "compute_sum", sig),
        ErrorKind::Invalid,
        "limit",
    );
    let mut bad_utf8 = b"def f(a):\n    return a # \xff\xfe\n".to_vec();
    bad_utf8.push(b'\n');
    expect_error(
        &client,
        CompileSpec::new(bad_utf8, "f", "float64(float64)"),
        ErrorKind::Invalid,
        "2:",
    );
    expect_error(
        &client,
        CompileSpec::new(COMPUTE_SUM, "compute_sum", sig).option("fastmaths", "true"),
        ErrorKind::Invalid,
        "unknown option 'fastmaths'",
    );
    expect_error(
        &client,
        CompileSpec::new(COMPUTE_SUM, "compute_sum", ""),
        ErrorKind::Source,
        "no signature for 'compute_sum'",
    );

    assert!(daemon.is_running(), "bad input never takes the daemon down");
    let k = client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", sig))
        .unwrap();
    let mut data = vec![1.0, 2.0, 3.5];
    let arr = wrap_f64(&mut data);
    assert_eq!(call_f64(&k, &[&arr as *const kc_array as *const c_void]).unwrap(), 6.5);
    let stats = client.stats().unwrap();
    assert!(stats.source_errors >= 10, "{stats:?}");

    // Calling with the wrong array type is refused before any machine code runs.
    let mut ints = vec![1i64, 2, 3];
    let n = 3i64;
    // SAFETY: shape points to one value.
    let int_arr = unsafe {
        kc_array_wrap(
            ints.as_mut_ptr() as *mut c_void,
            kc_dtype::KC_INT64,
            1,
            &n,
            std::ptr::null(),
        )
    };
    let err = call_f64(&k, &[&int_arr as *const kc_array as *const c_void]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid);
    assert!(err.message.contains("float64"), "{}", err.message);
}

#[test]
fn unreachable_daemon_is_a_connect_error_naming_the_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = format!("unix:{}", dir.path().join("nobody.sock").display());
    let err = Client::connect(Some(&endpoint)).err().expect("nothing listens there");
    assert_eq!(err.kind, ErrorKind::Connect);
    assert!(err.message.contains(&endpoint), "{}", err.message);
}

#[test]
fn c_program_compiles_calls_and_hits() {
    let mut daemon = Daemon::start();
    let out = build_c_program(
        &repo_root().join("examples/c/compute_sum.c"),
        &daemon.dir.path().join("compute_sum"),
    );
    let run = |daemon: &Daemon| {
        let o = run_c(daemon, &out);
        assert!(
            o.status.success(),
            "C example failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let first = run(&daemon);
    assert!(first.contains("\nmiss in"), "{first}");
    let expected = cpython_eval(COMPUTE_SUM, "compute_sum([(i % 1000) * 0.25 for i in range(1000000)])");
    let sum_line = first.lines().next().unwrap();
    let got: f64 = sum_line.trim_start_matches("sum = ").parse().unwrap();
    assert_eq!(got, python_float(&expected), "{first}");
    let second = run(&daemon);
    assert!(second.contains("\nhit in"), "{second}");
    daemon.restart(false);
    let third = run(&daemon);
    assert!(third.contains("\nhit in"), "{third}");

    // A C program pointed at nothing gets KC_ERR_CONNECT and a message naming the endpoint.
    let o = Command::new(&out)
        .env("LD_LIBRARY_PATH", bin_dir())
        .env("KCACHE_ENDPOINT", "unix:/nonexistent/kcached.sock")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unix:/nonexistent/kcached.sock"));
}

/// The C example whose kernels allocate: a tuple holding an array and an array, released with
/// kc_array_release 2,000 times over, checked against CPython + NumPy and for leaks (the
/// runtime's own count, and valgrind's when it is installed: `make deps` installs it).
#[test]
fn c_program_releases_the_arrays_kernels_return() {
    let daemon = Daemon::start();
    let src = repo_root().join("examples/c/returns_array.c");
    let out = build_c_program(&src, &daemon.dir.path().join("returns_array"));
    let o = run_c(&daemon, &out);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{stdout}{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("live buffers after release = 0 (0 bytes)"), "{stdout}");
    let source = std::fs::read_to_string(&src).unwrap();
    let kernel: String = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .map(|l| l.trim_end_matches(';').trim_end_matches('"').replace("\\n", "\n"))
        .collect();
    let data = "np.array([np.sin(i * 0.1) * 10.0 + i * 0.01 for i in range(1000)])";
    let expect = |name: &str, expr: &str| {
        let want = python_float(&cpython_eval(&kernel, &format!("float({expr})")));
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("{name} missing: {stdout}"));
        let got: f64 = line[name.len() + 3..].parse().unwrap();
        assert_eq!(got, want, "{name}: {stdout}");
    };
    expect("mean", &format!("zscore({data})[1]"));
    expect("std", &format!("zscore({data})[2]"));
    expect("z[0]", &format!("zscore({data})[0][0]"));
    expect("z[999]", &format!("zscore({data})[0][999]"));
    expect("cumsum[999]", &format!("running_total({data})[999]"));

    if Command::new("valgrind").arg("--version").output().is_ok() {
        let o = Command::new("valgrind")
            .args([
                "--leak-check=full",
                "--errors-for-leak-kinds=definite",
                "--error-exitcode=99",
                "-q",
            ])
            .arg(&out)
            .env("LD_LIBRARY_PATH", bin_dir())
            .env("KCACHE_ENDPOINT", daemon.endpoint())
            .output()
            .expect("running valgrind");
        assert!(
            o.status.success(),
            "valgrind found errors or leaks: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    } else {
        eprintln!("valgrind is not installed (make deps installs it): the leak check used kc_memory_stats only");
    }
}

#[test]
fn c_vectorize_broadcasts_over_strided_arrays() {
    let daemon = Daemon::start();
    let out = build_c_program(
        &repo_root().join("tests/c/vectorize.c"),
        &daemon.dir.path().join("vectorize"),
    );
    let o = run_c(&daemon, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let src = "def scaled_add(a, b):\n    return a * 2.0 + b\n";
    let expected: Vec<String> = (0..4)
        .map(|i| {
            let cells: Vec<String> = (0..3)
                .map(|j| {
                    cpython_eval(
                        src,
                        &format!("'%g' % scaled_add({}.0, {}.0)", j * 10 + i, (j + 1) * 100),
                    )
                })
                .map(|s| s.trim_matches('\'').to_string())
                .collect();
            cells.join(" ")
        })
        .collect();
    let got: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn c_guvectorize_loops_over_broadcast_strided_batches() {
    let daemon = Daemon::start();
    let path = repo_root().join("tests/c/guvectorize.c");
    let out = build_c_program(&path, &daemon.dir.path().join("guvectorize"));
    let o = run_c(&daemon, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The kernels' source, as the C program holds it, run by CPython on NumPy views.
    let c_text = std::fs::read_to_string(&path).unwrap();
    let source: String = c_text
        .lines()
        .skip_while(|l| !l.starts_with("static const char *SOURCE"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('}'))
        .filter_map(|l| {
            let l = l.trim().trim_end_matches(';');
            l.strip_prefix('"')?.strip_suffix('"').map(|t| t.replace("\\n", "\n"))
        })
        .collect();
    let want = numpy_run(&format!(
        "import numpy as np\nexec({source:?})\n\
         data = np.array([[[i * 100 + j * 10 + k for k in range(10)] for j in range(3)] for i in range(2)], float)\n\
         a = data[:, :, ::2]\n\
         for i in range(2):\n    for j in range(3):\n        out = np.zeros(5)\n        moving_sum(a[i, j], [1, 2, 3][j], out)\n        print(' '.join('%g' % x for x in out))\n\
         mats = np.array([[[b + i * 3 + j for j in range(3)] for i in range(2)] for b in range(4)], float)\n\
         vec = np.array([1.0, -2.0, 0.5])\n\
         for b in range(4):\n    out = np.zeros(2)\n    matvec(mats[b], vec, out)\n    print('%g %g' % tuple(out))\n\
         out = np.zeros(1)\nnorm(vec, out)\nprint('%.17g' % out[0])\n"
    ));
    let got = String::from_utf8(o.stdout).unwrap();
    let (results, refusal) = got.split_once("refused: ").expect("the refusal line");
    assert_eq!(results, want);
    assert!(refusal.contains("has 2 arguments; the layout"), "{refusal}");
}

/// Runs a C program built against this build's libkcache, pointed at `daemon`.
fn run_c(daemon: &Daemon, exe: &std::path::Path) -> std::process::Output {
    Command::new(exe)
        .env("LD_LIBRARY_PATH", bin_dir())
        .env("KCACHE_ENDPOINT", daemon.endpoint())
        .output()
        .expect("running the C program")
}

/// Builds a C program from tests/c against this build's libkcache.
fn build_c(daemon: &Daemon, name: &str) -> std::path::PathBuf {
    let root = repo_root();
    let out = daemon.dir.path().join(name);
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-O2", "-Wall", "-Werror", "-o"])
        .arg(&out)
        .arg(root.join(format!("tests/c/{name}.c")))
        .arg(format!("-I{}", root.join("include").display()))
        .arg(format!("-L{}", bin_dir().display()))
        .arg("-lkcache")
        .status()
        .expect("running cc");
    assert!(status.success());
    out
}

/// Every dtype name, in kc_dtype order.
fn dtype_names() -> Vec<&'static str> {
    kcache::ScalarType::ALL.iter().map(|t| t.name()).collect()
}

#[test]
fn ufunc_casting_rules_are_numpys() {
    // kc_vectorize_call chooses loops with `Safe` and writes outputs with `SameKind`.
    use kcache::ufunc::{can_cast, Casting};
    use kcache::ScalarType;
    let names = dtype_names();
    let want = numpy_run(&format!(
        "import numpy as np\nnames = {names:?}\n\
         for c in ('safe', 'same_kind'):\n    for a in names:\n        for b in names:\n            \
         print(c, a, b, int(np.can_cast(np.dtype(a), np.dtype(b), c)))\n"
    ));
    let mut got = String::new();
    for (casting, name) in [(Casting::Safe, "safe"), (Casting::SameKind, "same_kind")] {
        for a in ScalarType::ALL {
            for b in ScalarType::ALL {
                got += &format!("{name} {} {} {}\n", a.name(), b.name(), can_cast(a, b, casting) as i32);
            }
        }
    }
    assert_eq!(got, want);
}

#[test]
fn c_vectorize_picks_loops_like_numpy() {
    let daemon = Daemon::start();
    let exe = build_c(&daemon, "vectorize_loops");
    let o = run_c(&daemon, &exe);
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let got = String::from_utf8(o.stdout).unwrap();
    // The loop lists, as the C program declared them: the oracle is told the same ones.
    let orders: Vec<Vec<String>> = got
        .lines()
        .filter_map(|l| l.strip_prefix("order "))
        .map(|l| {
            let text = l.split_once(' ').unwrap().1;
            kcache::ufunc::split_signatures(text)
                .iter()
                .map(|s| s[s.find('(').unwrap() + 1..s.rfind(')').unwrap()].to_string())
                .collect()
        })
        .collect();
    assert_eq!(orders.len(), 6, "{got}");
    // tests/c/vectorize_loops.c tries the real dtypes (its loops take no complex numbers).
    let names: Vec<&str> = dtype_names()
        .into_iter()
        .filter(|n| !n.starts_with("complex"))
        .collect();
    let program = format!(
        r#"import math
import numpy as np
names = {names:?}
orders = {orders:?}

def first_loop(loops, dtypes):
    # NumPy's ufunc loop choice: the first loop every input casts to safely.
    for k, loop in enumerate(loops):
        if all(np.can_cast(np.dtype(d), np.dtype(t), 'safe') for d, t in zip(dtypes, loop)):
            return k
    return None

for k, order in enumerate(orders):
    print('order %d %s' % (k, '; '.join('%s(%s)' % (t, t) for t in order)))
    for d in names:
        j = first_loop([[t] for t in order], [d])
        print('resolve %d %s %s' % (k, d, 'none' if j is None else order[j]))

def sinc(x):
    if x == 0:
        return 1.0
    return math.sin(x * math.pi) / (x * math.pi)

x = np.array([-3.0, -1.5, 0.0, 1.5, 3.0], dtype=np.float32)
assert first_loop([['float64'], ['float32']], ['float32']) == 0
for v in x:
    print('sinc64 %.17g' % sinc(float(v)))
for v in x:
    print('sinc32 %.9g' % float(np.float32(sinc(float(v)))))
for v in x:
    print('sinc64to32 %.9g' % float(np.float32(sinc(float(v)))))
loops = [['int8', 'int8'], ['float32', 'float32'], ['int64', 'int64']]
j = first_loop(loops, ['int16', 'uint8'])
print('add resolves %s' % loops[j][0])
m = np.array([[1, 2, 3], [-4, -5, -6]], dtype=np.int16).T
row = np.array([200, 250], dtype=np.uint8)
s = (m.astype(loops[j][0]) + row.astype(loops[j][0])).astype(np.float64)
for r in s:
    print('add %g %g' % (r[0], r[1]))
print('add wide resolves %s' % loops[first_loop(loops, ['int64', 'int8'])][0])
assert first_loop(loops, ['float64', 'int8']) is None
"#
    );
    let want = numpy_run(&program);
    // The C program prints the orders as declared; the oracle prints them normalised.
    let strip = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("order "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(strip(&got), strip(&want));
    assert!(got.contains("resolve 0 float32 float64\n"), "{got}");
    assert!(got.contains("resolve 5 int64 none\n"), "{got}");
}

/// complex128 and complex64 scalars by value (C's `_Complex` types), complex128 arrays and
/// complex results through kc_call, against CPython running the same kernels.
#[test]
fn c_program_reads_optional_results() {
    let daemon = Daemon::start();
    let out = build_c(&daemon, "optional");
    let o = run_c(&daemon, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want = numpy_run(
        "import numpy as np\n\
         def find(a, x):\n    for i in range(a.shape[0]):\n        if a[i] == x:\n            return i\n    return None\n\
         def smallest(a):\n    best = None\n    for v in a:\n        if best is None or v < best:\n            best = v\n    return best\n\
         a = np.array([3.0, -1.0, 4.0, 1.0])\n\
         for x in (4.0, 7.0):\n    print(find(a, x))\n\
         for v in (a, a[:0]):\n    r = smallest(v)\n    print('None' if r is None else '%.17g' % r)\n",
    );
    assert_eq!(String::from_utf8(o.stdout).unwrap(), want);
}

#[test]
fn c_program_passes_complex_numbers() {
    let daemon = Daemon::start();
    let out = build_c(&daemon, "complex");
    let o = run_c(&daemon, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let src = "import cmath\n\
        def rotate(z, a):\n    s = 0j\n    for i in range(len(a)):\n        s += a[i] * cmath.exp(1j * z.real * i)\n    return s * z\n";
    let want = numpy_run(&format!(
        "import numpy as np\n{src}\na = np.array([(i + 1) * 0.5 - 1j * (i * 0.25) for i in range(5)])\n\
         r = rotate(0.75 + 2j, a)\nprint('%.17g %.17g' % (r.real, r.imag))\nprint('%.17g %.17g' % (r.real, r.imag))\n\
         s = np.complex64(1.5 - 0.5j) * np.float32(2.0) + np.complex64(1j)\nprint('%.9g %.9g' % (s.real, s.imag))\n"
    ));
    let got = String::from_utf8(o.stdout).unwrap();
    // cmath.exp (CPython's) and glibc's cexp may differ in the last bit: compare within 4 ulps.
    for (g, w) in got.lines().zip(want.lines()) {
        for (x, y) in g.split(' ').zip(w.split(' ')) {
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (x - y).abs() <= 4.0 * f64::EPSILON * y.abs().max(1.0),
                "{got} vs {want}"
            );
        }
    }
    assert_eq!(got.lines().count(), 3, "{got}");
}
