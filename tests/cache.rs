//! The cache daemon as operators rely on it: single flight, integrity, eviction, explain,
//! inspect, fetch by digest, batch warming, health and reflection over TCP.

use std::process::Command;
use std::sync::{Arc, Barrier};

use kcache::{Client, CompileSpec};
use kcache_e2e::*;
use kcache_server::store::{parse_digest, SledStore};

const COMPUTE_SUM: &str =
    "def compute_sum(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n    return sum_val\n";

#[test]
fn concurrent_identical_misses_compile_once() {
    // Every request goes to the daemon: a client scheduled after the compile was published
    // would otherwise hit the local index and send none.
    let daemon = Daemon::start_with(&["--no-local-index"]);
    let endpoint = daemon.endpoint();
    let clients = 64;
    let barrier = Arc::new(Barrier::new(clients));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let endpoint = endpoint.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let client = Client::connect(Some(&endpoint)).unwrap();
                barrier.wait();
                let k = client
                    .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])"))
                    .unwrap();
                let mut data = vec![1.5; 1000];
                assert_eq!(sum_of(&k, &mut data), 1500.0);
                k.digest.clone()
            })
        })
        .collect();
    let digests: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(digests.iter().all(|d| d == &digests[0]));
    let stats = Client::connect(Some(&endpoint)).unwrap().stats().unwrap();
    assert_eq!(stats.compiles, 1, "{stats:?}");
    assert_eq!(stats.requests, clients as u64);
}

/// One client shared by threads that compile different kernels at the same time: the client's
/// runtime is driven by whichever thread is waiting, so every thread must still get its reply.
#[test]
fn one_client_shared_by_threads() {
    // The daemon's hits are counted: every hit must be an RPC (tests/local_index.rs has the rest).
    let daemon = Daemon::start_with(&["--no-local-index"]);
    let client = Arc::new(Client::connect(Some(&daemon.endpoint())).unwrap());
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let client = client.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let source = format!(
                    "def scaled_sum(arr):\n    s = 0.0\n    for x in arr:\n        s += x * {t}\n    return s\n"
                );
                barrier.wait();
                for _ in 0..3 {
                    let k = client
                        .compile(&CompileSpec::new(source.as_str(), "scaled_sum", "float64(float64[:])"))
                        .unwrap();
                    let mut data = vec![1.0; 100];
                    assert_eq!(sum_of(&k, &mut data), 100.0 * t as f64);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let stats = client.stats().unwrap();
    assert_eq!(stats.compiles, threads as u64, "{stats:?}");
    assert_eq!(stats.hits, 2 * threads as u64, "{stats:?}");
}

/// The daemon remembers which action key a request maps to; once the artifact is evicted the
/// same request must be a miss and a recompile, never a hit on what is gone.
#[test]
fn repeated_request_after_eviction_recompiles() {
    // The daemon's memo is under test: every request an RPC (the index's eviction is in local_index.rs).
    let daemon = Daemon::start_with(&["--no-local-index"]);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let spec = CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])");
    let first = client.compile(&spec).unwrap();
    assert!(!first.cache_hit);
    assert!(client.compile(&spec).unwrap().cache_hit);
    client.evict("", &first.digest).unwrap();
    let again = client.compile(&spec).unwrap();
    assert!(!again.cache_hit, "an evicted artifact was served");
    let mut data = vec![2.0; 10];
    assert_eq!(sum_of(&again, &mut data), 20.0);
    let stats = client.stats().unwrap();
    assert_eq!((stats.compiles, stats.hits), (2, 1), "{stats:?}");
    assert_eq!(stats.link_fallbacks, 0, "compute_sum needed the system linker");
}

/// The system `ld` stays a working fallback of the in-process linker (forced here), and the
/// daemon counts the compiles it linked.
#[test]
fn system_linker_fallback_links_working_kernels() {
    let daemon = Daemon::start_with_env(&[], &[("KCACHE_LINKER", "ld")]);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])"))
        .unwrap();
    let mut data = vec![0.25; 8];
    assert_eq!(sum_of(&k, &mut data), 2.0);
    assert_eq!(client.stats().unwrap().link_fallbacks, 1);
}

#[test]
fn corrupt_artifact_is_a_counted_miss_and_recompiled() {
    let mut daemon = Daemon::start();
    let spec = CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])");
    let digest = Client::connect(Some(&daemon.endpoint()))
        .unwrap()
        .compile(&spec)
        .unwrap()
        .digest
        .clone();
    daemon.stop(false);
    {
        let store = SledStore::open(&daemon.store).unwrap();
        assert!(store.corrupt_blob_for_test(&parse_digest(&digest).unwrap()).unwrap());
    }
    daemon.restart(false);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client.compile(&spec).unwrap();
    assert!(!k.cache_hit, "corrupt bytes are never served");
    assert_eq!(k.digest, digest, "the recompiled artifact is the same code");
    let mut data = vec![2.0; 10];
    assert_eq!(sum_of(&k, &mut data), 20.0);
    let stats = client.stats().unwrap();
    assert_eq!(stats.integrity_misses, 1, "{stats:?}");
    assert!(
        client.compile(&spec).unwrap().cache_hit,
        "and the repaired entry hits again"
    );
}

#[test]
fn bounded_store_evicts_least_recently_used() {
    let daemon = Daemon::start_with(&["--max-size", "30000"]);
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let specs: Vec<CompileSpec> = (0..4)
        .map(|i| {
            let src = COMPUTE_SUM.replace("compute_sum", &format!("sum_{i}"));
            CompileSpec::new(src, &format!("sum_{i}"), "float64(float64[:])")
        })
        .collect();
    for s in &specs {
        assert!(!client.compile(s).unwrap().cache_hit);
    }
    let stats = client.stats().unwrap();
    assert!(stats.evictions >= 1, "{stats:?}");
    assert!(stats.store_bytes <= 30000, "{stats:?}");
    assert!(client.compile(&specs[3]).unwrap().cache_hit, "the most recent survives");
    assert!(
        !client.compile(&specs[0]).unwrap().cache_hit,
        "the least recently used went first"
    );
    let gc = client.gc(1).unwrap();
    assert!(gc.removed_actions >= 1);
    assert_eq!(gc.store_bytes, 0);
    assert_eq!(client.stats().unwrap().store_entries, 0);
}

#[test]
fn explain_names_the_input_that_differs() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let plain = CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])");
    let fast = plain.clone().option("fastmath", "true");
    let a = client.explain(&plain).unwrap();
    let b = client.explain(&fast).unwrap();
    assert_ne!(a.action_key, b.action_key);
    let differing: Vec<&str> = a
        .fields
        .iter()
        .zip(&b.fields)
        .filter(|(x, y)| x.value != y.value)
        .map(|(x, _)| x.name.as_str())
        .collect();
    assert_eq!(differing, vec!["options"]);
    assert!(!a.stored);
    client.compile(&plain).unwrap();
    assert!(client.explain(&plain).unwrap().stored);
    // A comment changes nothing.
    let commented = CompileSpec::new(
        format!("# a comment\n{COMPUTE_SUM}"),
        "compute_sum",
        "float64(float64[:])",
    );
    assert_eq!(client.explain(&commented).unwrap().action_key, a.action_key);
}

/// Packed (vector) double-precision instructions of any width: SSE (`mulpd %xmm`), AVX (`vmulpd
/// %ymm`) or AVX-512 (`vmulpd %zmm`); which one LLVM picks depends on the target CPU.
fn has_packed(asm: &str, op: &str) -> bool {
    asm.lines().any(|line| {
        let mut words = line.split_whitespace();
        let Some(mnemonic) = words.next() else { return false };
        let bare = mnemonic.strip_prefix('v').unwrap_or(mnemonic);
        bare == format!("{op}pd") && line.contains("mm")
    })
}

fn has_scalar(asm: &str, op: &str) -> bool {
    asm.lines().any(|line| {
        let mnemonic = line.split_whitespace().next().unwrap_or("");
        mnemonic.strip_prefix('v').unwrap_or(mnemonic) == format!("{op}sd")
    })
}

/// Code generation checks hold on every target the daemon may build for: the host CPU (empty)
/// and the x86-64 levels a CI machine of another generation would get.
#[test]
fn inspect_shows_types_ir_and_vector_code() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    for cpu in ["", "x86-64-v2", "x86-64-v3", "x86-64-v4"] {
        let at = |mut spec: CompileSpec| {
            spec.cpu = cpu.to_string();
            spec
        };
        let strict = client
            .inspect(&at(CompileSpec::new(
                COMPUTE_SUM,
                "compute_sum",
                "float64(float64[::1])",
            )))
            .unwrap();
        assert!(strict.types.contains("sum_val: float64"), "{}", strict.types);
        assert!(strict.llvm_ir.contains("fadd double"));
        assert!(strict.optimized_llvm_ir.contains("define"));
        // Strict IEEE order: the sum stays a chain of scalar adds.
        assert!(has_scalar(&strict.assembly, "add"), "cpu {cpu:?}: {}", strict.assembly);
        assert!(
            !has_packed(&strict.assembly, "add"),
            "cpu {cpu:?}: strict compute_sum must not reassociate"
        );
        let fast = client
            .inspect(&at(CompileSpec::new(
                COMPUTE_SUM,
                "compute_sum",
                "float64(float64[::1])",
            )
            .option("fastmath", "true")))
            .unwrap();
        assert!(
            has_packed(&fast.assembly, "add"),
            "cpu {cpu:?}: fastmath lets the reduction vectorise"
        );
        // fastmath: math calls in loops run as glibc's libmvec vector functions; strict mode never.
        let bs = std::fs::read(kernels_dir().join("black_scholes.py")).unwrap();
        let spec = at(CompileSpec {
            source: bs,
            entry: "black_scholes".into(),
            ..Default::default()
        });
        let strict_bs = client.inspect(&spec).unwrap();
        assert!(
            !strict_bs.assembly.contains("_ZGV"),
            "cpu {cpu:?}: strict mode keeps scalar libm"
        );
        let fast_bs = client.inspect(&spec.clone().option("fastmath", "true")).unwrap();
        assert!(
            ["N2v_erf", "N4v_erf", "N8v_erf"]
                .iter()
                .any(|variant| fast_bs.assembly.contains(variant)),
            "cpu {cpu:?}: erf is vectorised"
        );
        let saxpy = std::fs::read(kernels_dir().join("saxpy.py")).unwrap();
        let s = client
            .inspect(&at(CompileSpec {
                source: saxpy,
                entry: "saxpy".into(),
                ..Default::default()
            }))
            .unwrap();
        assert!(
            has_packed(&s.assembly, "mul"),
            "cpu {cpu:?}: saxpy is packed vector code"
        );
    }
    // One width on purpose: AVX2 code uses the 256-bit registers.
    let mut v3 = CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[::1])").option("fastmath", "true");
    v3.cpu = "x86-64-v3".into();
    let asm = client.inspect(&v3).unwrap().assembly;
    assert!(asm.contains("%ymm") && !asm.contains("%zmm"), "{asm}");
}

#[test]
fn fetch_by_digest_and_batch_warming() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let k = client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])"))
        .unwrap();
    let again = client.fetch(&k.digest).unwrap();
    let mut data = vec![0.25; 8];
    assert_eq!(sum_of(&again, &mut data), 2.0);
    assert!(client.fetch(&"0".repeat(64)).is_err());

    let dir = kernels_dir();
    let mut specs = Vec::new();
    for (file, entry) in [
        ("compute_sum.py", "compute_sum"),
        ("saxpy.py", "saxpy"),
        ("python_semantics.py", "fib"),
    ] {
        specs.push(CompileSpec {
            source: std::fs::read(dir.join(file)).unwrap(),
            entry: entry.into(),
            ..Default::default()
        });
    }
    let mut seen = Vec::new();
    client
        .compile_batch(&specs, |p| seen.push((p.index, p.ok, p.total)))
        .unwrap();
    seen.sort();
    assert_eq!(seen, vec![(0, true, 3), (1, true, 3), (2, true, 3)]);
}

#[test]
fn health_and_reflection_answer_over_tcp() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tcp = format!("tcp://127.0.0.1:{port}");
    let daemon = Daemon::start_with(&["--listen", &tcp, "--insecure-tcp"]);
    // The harness waits for the Unix socket; the TCP listener is bound right after it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "kcached never listened on {tcp}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The unix socket of the harness still works next to TCP.
    assert!(Client::connect(Some(&daemon.endpoint())).is_ok());
    let client = Client::connect(Some(&tcp)).unwrap();
    assert!(client
        .compile(&CompileSpec::new(COMPUTE_SUM, "compute_sum", "float64(float64[:])"))
        .is_ok());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
        let reply = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: "kcache.v1.KernelCache".into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            reply.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32
        );

        // Server reflection (what grpcurl uses): the service list names kcache's service, and
        // its file descriptor comes back for the symbol.
        use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
        use tonic_reflection::pb::v1::ServerReflectionRequest;
        let mut reflection = ServerReflectionClient::new(channel);
        let requests = [
            MessageRequest::ListServices(String::new()),
            MessageRequest::FileContainingSymbol("kcache.v1.KernelCache".into()),
        ]
        .map(|m| ServerReflectionRequest {
            host: String::new(),
            message_request: Some(m),
        });
        let mut replies = reflection
            .server_reflection_info(tokio_stream::iter(requests))
            .await
            .unwrap()
            .into_inner();
        match replies.message().await.unwrap().and_then(|r| r.message_response) {
            Some(MessageResponse::ListServicesResponse(list)) => {
                let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
                assert!(names.contains(&"kcache.v1.KernelCache"), "{names:?}");
                assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
            }
            other => panic!("unexpected reflection reply {other:?}"),
        }
        match replies.message().await.unwrap().and_then(|r| r.message_response) {
            Some(MessageResponse::FileDescriptorResponse(files)) => assert!(!files.file_descriptor_proto.is_empty()),
            other => panic!("unexpected reflection reply {other:?}"),
        }
    });
}

#[test]
fn command_line_client() {
    let daemon = Daemon::start();
    let kcache = bin_dir().join("kcache");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(&kcache)
            .arg("--endpoint")
            .arg(daemon.endpoint())
            .args(args)
            .output()
            .expect("running kcache");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let kernels = kernels_dir();
    let dir = kernels.to_str().unwrap();
    let (code, out, err) = run(&["warm", dir]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("ready (0 were already stored), 0 failed"), "{out}");
    let (_, out, _) = run(&["warm", dir]);
    assert!(out.contains(", 0 failed"), "{out}");
    let file = kernels.join("compute_sum.py");
    let (code, out, _) = run(&["--json", "compile", file.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    let reply: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(reply["cache_hit"], true, "warm stored it: {out}");
    let (_, out, _) = run(&["--json", "stats"]);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        stats["hits"].as_u64().unwrap() >= 1 && stats["compiles"].as_u64().unwrap() >= 10,
        "{out}"
    );
    let (_, out, _) = run(&["inspect", "--asm", file.to_str().unwrap()]);
    assert!(out.contains("kc_entry_compute_sum"), "{out}");
    let (_, out, _) = run(&["--json", "explain", file.to_str().unwrap()]);
    let explained: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(explained["stored"], true);
    let (code, out, _) = run(&["gc", "--max-size", "1"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("the store holds 0 bytes"), "{out}");
    // A source error names the file, line and column, and the exit status says it failed.
    let bad = daemon.dir.path().join("bad.py");
    std::fs::write(&bad, "def f(a):\n    return a +\n").unwrap();
    let (code, _, err) = run(&[
        "compile",
        bad.to_str().unwrap(),
        "--entry",
        "f",
        "--sig",
        "float64(float64)",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("bad.py:2:"), "{err}");
}

/// The extra corpus `make test` passes in (the shared corpus beside the checkout, when there is one): every decorated
/// kernel of every file compiles through the command line client. The CPython comparison of the
/// same files runs in pytest's corpus test.
#[test]
fn extra_corpus_files_compile() {
    let extra = extra_kernel_files();
    if extra.is_empty() {
        eprintln!("no extra kernel files (KCACHE_EXTRA_KERNELS unset or nothing new in it)");
        return;
    }
    let daemon = Daemon::start();
    let dir = daemon.dir.path().join("extra");
    std::fs::create_dir(&dir).unwrap();
    for file in &extra {
        std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
    }
    let out = Command::new(bin_dir().join("kcache"))
        .args(["--endpoint", &daemon.endpoint(), "warm", dir.to_str().unwrap()])
        .output()
        .expect("running kcache");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains(", 0 failed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
