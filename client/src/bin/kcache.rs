//! `kcache`: the command line client of kcached.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use kcache::{Client, CompileSpec, ConnectOptions};

const USAGE: &str = "\
kcache — command line client of kcached

usage:
  kcache compile FILE.py [--entry NAME] [--sig SIG] [--option k=v]... [--cpu CPU]
  kcache inspect (--types | --llvm | --opt-llvm | --asm) FILE.py [--entry NAME] [--sig SIG] [--option k=v]...
  kcache explain FILE.py [--entry NAME] [--sig SIG] [--option k=v]... [--against OTHER.py]
  kcache stats
  kcache gc [--max-size BYTES]
  kcache evict (--key ACTION_KEY | --digest DIGEST)
  kcache warm DIR
  kcache export FILE.py [FILE.py]... -o LIB.so --header FILE.h [--static LIB.a] [--cpu CPU] [--prefix P]
  kcache ping

Without --entry, the entry is the first function of FILE.py with a decorator signature.
explain shows what the cache key of a request is made of; with --against, what differs from
the same request on OTHER.py (same --entry, --sig, --option): why one hits and the other misses.
export compiles every decorated kernel (each signature of its decorator) through kcached and
links them into one C library that needs neither kcached nor libkcache at run time; FILE.h
declares each as PREFIX<kernel> (PREFIX<kernel>_<argument types> for several signatures) and
PREFIX<kernel>_call (checked). --cpu: a portable level for distribution (x86-64-v2/v3/v4);
default: this machine's CPU.
Global flags:
  --endpoint unix:PATH|tcp://HOST:PORT   default: $KCACHE_ENDPOINT, else the default socket
  --json                  machine-readable output
  --daemon-uid UID        also trust a kcached running as UID (number or user name; a service
                          account), as $KCACHE_DAEMON_UID does. Otherwise only a daemon of your
                          own uid, in a directory of its own closed to other writers, is used.
  --tls-ca FILE           CA certificate (PEM) for a TCP daemon's TLS ($KCACHE_TLS_CA); plain
                          TCP is used only for loopback addresses
  --token-file FILE       bearer token for a TCP daemon ($KCACHE_TOKEN_FILE); gc and evict over
                          TCP need the daemon's admin token here
  --version               this client's version
";

fn main() {
    if let Err(e) = run() {
        eprintln!("kcache: {e:#}");
        std::process::exit(1);
    }
}

struct Request {
    file: PathBuf,
    spec: CompileSpec,
    flags: Vec<String>,
}

/// Functions of a Numba file that carry an @njit/@jit signature, in order.
fn decorated_entries(source: &str) -> Vec<String> {
    kcache::kernels::declared_kernels(source)
        .into_iter()
        .filter(|k| !k.signatures.is_empty())
        .map(|k| k.name)
        .collect()
}

/// `kcache export FILE.py... -o LIB.so --header FILE.h [--static LIB.a] [--cpu CPU] [--prefix P]`.
fn parse_export(args: &[String]) -> Result<kcache::export::ExportOptions> {
    let mut opts = kcache::export::ExportOptions::default();
    let (mut shared, mut header) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().cloned().with_context(|| format!("{flag} needs a value"));
        match a.as_str() {
            "-o" | "--output" => shared = Some(PathBuf::from(value(a)?)),
            "--header" => header = Some(PathBuf::from(value(a)?)),
            "--static" => opts.static_lib = Some(PathBuf::from(value(a)?)),
            "--cpu" => opts.cpu = value(a)?,
            "--prefix" => opts.prefix = value(a)?,
            flag if flag.starts_with('-') => bail!("export: unknown flag {flag}"),
            file => opts.sources.push(PathBuf::from(file)),
        }
    }
    if opts.sources.is_empty() {
        bail!("export needs at least one FILE.py");
    }
    opts.shared = shared.context("export needs -o LIB.so")?;
    opts.header = header.context("export needs --header FILE.h")?;
    Ok(opts)
}

fn parse_request(args: &[String]) -> Result<Request> {
    let mut file = None;
    let mut spec = CompileSpec::default();
    let mut flags = Vec::new();
    let mut options = HashMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--entry" => spec.entry = it.next().context("--entry needs a value")?.clone(),
            "--sig" => spec.signature = it.next().context("--sig needs a value")?.clone(),
            "--cpu" => spec.cpu = it.next().context("--cpu needs a value")?.clone(),
            "--option" => {
                let kv = it.next().context("--option needs k=v")?;
                let (k, v) = kv.split_once('=').context("--option needs k=v")?;
                options.insert(k.to_string(), v.to_string());
            }
            flag if flag.starts_with("--") => flags.push(flag.to_string()),
            other if file.is_none() => file = Some(PathBuf::from(other)),
            other => bail!("unexpected argument '{other}'"),
        }
    }
    let file = file.context("a FILE.py is needed")?;
    spec.source = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    spec.options = options;
    if spec.entry.is_empty() {
        let text = String::from_utf8_lossy(&spec.source);
        spec.entry = decorated_entries(&text)
            .into_iter()
            .next()
            .with_context(|| format!("{}: no decorated function; name one with --entry", file.display()))?;
    }
    Ok(Request { file, spec, flags })
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            python_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
    Ok(())
}

fn run() -> Result<()> {
    let mut endpoint = None;
    let mut json = false;
    let mut rest = Vec::new();
    let mut options = ConnectOptions::from_env().map_err(anyhow::Error::msg)?;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--endpoint" => endpoint = Some(it.next().context("--endpoint needs a value")?),
            "--json" => json = true,
            "--daemon-uid" => options
                .add_daemon_uids(&it.next().context("--daemon-uid needs a value")?)
                .map_err(anyhow::Error::msg)?,
            "--tls-ca" => options.tls_ca = Some(PathBuf::from(it.next().context("--tls-ca needs a file")?)),
            "--token-file" => options.token_file = Some(PathBuf::from(it.next().context("--token-file needs a file")?)),
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            "--version" | "-V" => {
                println!("kcache {}", env!("CARGO_PKG_VERSION"));
                return Ok(());
            }
            _ => rest.push(a),
        }
    }
    let Some(command) = rest.first().cloned() else {
        print!("{USAGE}");
        bail!("no command");
    };
    let args = &rest[1..];
    let client = || Client::connect_with(endpoint.as_deref(), &options).map_err(anyhow::Error::msg);
    match command.as_str() {
        "ping" => {
            let c = client()?;
            let t = std::time::Instant::now();
            let stats = c.stats().map_err(anyhow::Error::msg)?;
            println!(
                "kcached at {} answered in {:.2} ms",
                c.endpoint(),
                t.elapsed().as_secs_f64() * 1e3
            );
            match &stats.remote {
                Some(r) => println!(
                    "remote tier {}: {} ({}; reads p50 {} µs, p99 {} µs; {} errors, {} reconnects)",
                    r.location, r.state, r.mode, r.p50_us, r.p99_us, r.errors, r.reconnects
                ),
                None => println!("remote tier: none (kcached runs without --remote)"),
            }
        }
        "stats" => {
            let value = kcache::client::stats_json(&client()?.stats().map_err(anyhow::Error::msg)?);
            if json {
                println!("{value}");
            } else {
                print!("{}", kcache::present::stats_text(&value));
            }
        }
        "compile" => {
            let r = parse_request(args)?;
            let reply = client()?
                .compile_reply(&r.spec)
                .map_err(|e| anyhow::anyhow!("{}:{}", r.file.display(), e.message))?;
            let t = reply.timings.unwrap_or_default();
            let abi = reply.abi.unwrap_or_default();
            let target = reply.target.unwrap_or_default();
            if json {
                println!(
                    "{}",
                    serde_json::json!({
                        "entry": r.spec.entry, "digest": reply.digest, "cache_hit": reply.cache_hit,
                        "bytes": reply.artifact.len(), "signature": abi.signature, "typed_symbol": abi.typed_symbol,
                        "action_key": reply.action_key, "target_cpu": target.cpu,
                        "timings_us": {"parse": t.parse_us, "infer": t.infer_us, "lower": t.lower_us,
                                        "optimize": t.optimize_us, "emit": t.emit_us, "link": t.link_us, "total": t.total_us},
                    })
                );
            } else {
                println!(
                    "{} {} {} ({} bytes, {}, cpu {})",
                    if reply.cache_hit { "hit " } else { "miss" },
                    r.spec.entry,
                    reply.digest,
                    reply.artifact.len(),
                    abi.signature,
                    target.cpu
                );
                for d in &reply.diagnostics {
                    println!("note: {}", d.message);
                }
            }
        }
        "inspect" => {
            let r = parse_request(args)?;
            let reply = client()?
                .inspect(&r.spec)
                .map_err(|e| anyhow::anyhow!("{}:{}", r.file.display(), e.message))?;
            let which = r.flags.first().map(String::as_str).unwrap_or("--types");
            let text = match which {
                "--types" => reply.types,
                "--llvm" => reply.llvm_ir,
                "--opt-llvm" => reply.optimized_llvm_ir,
                "--asm" => reply.assembly,
                other => bail!("inspect takes --types, --llvm, --opt-llvm or --asm, not {other}"),
            };
            print!("{text}");
        }
        "explain" => {
            let mut args = args.to_vec();
            let against = match args.iter().position(|a| a == "--against") {
                Some(at) => {
                    let other = args.get(at + 1).cloned().context("--against needs a FILE.py")?;
                    args.drain(at..at + 2);
                    Some(other)
                }
                None => None,
            };
            let r = parse_request(&args)?;
            let c = client()?;
            let explain = |file: &Path, spec: &CompileSpec| {
                c.explain(spec)
                    .map_err(|e| anyhow::anyhow!("{}:{}", file.display(), e.message))
            };
            let reply = explain(&r.file, &r.spec)?;
            let fields = |reply: &kcache_proto::v1::ExplainReply| -> kcache::present::Fields {
                reply.fields.iter().map(|f| (f.name.clone(), f.value.clone())).collect()
            };
            let other = match &against {
                Some(path) => {
                    let file = PathBuf::from(path);
                    let mut spec = r.spec.clone();
                    spec.source = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
                    Some(explain(&file, &spec)?)
                }
                None => None,
            };
            if json {
                let as_json = |reply: &kcache_proto::v1::ExplainReply| serde_json::json!({"action_key": reply.action_key, "stored": reply.stored, "fields": fields(reply)});
                match &other {
                    Some(o) => println!("{}", serde_json::json!([as_json(&reply), as_json(o)])),
                    None => println!("{}", as_json(&reply)),
                }
            } else if let Some(o) = &other {
                print!(
                    "{}",
                    kcache::present::explain_diff((&reply.action_key, &fields(&reply)), (&o.action_key, &fields(o)))
                );
            } else {
                print!(
                    "{}",
                    kcache::present::explain_text(&reply.action_key, reply.stored, &fields(&reply))
                );
            }
        }
        "gc" => {
            let mut max = 0u64;
            if let Some(pos) = args.iter().position(|a| a == "--max-size") {
                max = args
                    .get(pos + 1)
                    .context("--max-size needs a number of bytes")?
                    .parse()
                    .context("--max-size")?;
            }
            let r = client()?.gc(max).map_err(anyhow::Error::msg)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"removed_actions": r.removed_actions, "removed_bytes": r.removed_bytes, "store_bytes": r.store_bytes})
                );
            } else {
                println!(
                    "removed {} actions ({} bytes); the store holds {} bytes",
                    r.removed_actions, r.removed_bytes, r.store_bytes
                );
            }
        }
        "evict" => {
            let get = |flag: &str| {
                args.iter()
                    .position(|a| a == flag)
                    .and_then(|p| args.get(p + 1))
                    .cloned()
            };
            let r = client()?
                .evict(&get("--key").unwrap_or_default(), &get("--digest").unwrap_or_default())
                .map_err(anyhow::Error::msg)?;
            println!("removed {} actions ({} bytes)", r.removed_actions, r.removed_bytes);
        }
        "export" => {
            let opts = parse_export(args)?;
            let report = kcache::export::export(&client()?, &opts)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"functions": report.functions, "symbols": report.symbols,
                                       "hits": report.hits, "compiled": report.compiled, "skipped": report.skipped})
                );
            } else {
                for s in &report.skipped {
                    eprintln!("note: not exported: {s}");
                }
                println!(
                    "exported {} functions to {} and {}{} ({} compiled, {} from the store)",
                    report.functions.len(),
                    opts.shared.display(),
                    opts.header.display(),
                    opts.static_lib
                        .as_ref()
                        .map(|a| format!(" and {}", a.display()))
                        .unwrap_or_default(),
                    report.compiled,
                    report.hits
                );
            }
        }
        "warm" => {
            let dir = PathBuf::from(args.first().context("warm needs a DIR")?);
            let mut files = Vec::new();
            python_files(&dir, &mut files)?;
            files.sort();
            let mut specs = Vec::new();
            for f in &files {
                let source = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
                for entry in decorated_entries(&String::from_utf8_lossy(&source)) {
                    specs.push(CompileSpec {
                        source: source.clone(),
                        entry,
                        ..Default::default()
                    });
                }
            }
            let (mut ok, mut hits, mut failed) = (0, 0, 0);
            let total = specs.len();
            let mut done = 0;
            client()?
                .compile_batch(&specs, |p| {
                    done += 1;
                    if p.ok {
                        ok += 1;
                        hits += p.cache_hit as usize;
                    } else {
                        failed += 1;
                    }
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({"entry": p.entry, "ok": p.ok, "cache_hit": p.cache_hit, "digest": p.digest, "error": p.error})
                        );
                    } else {
                        let width = 30;
                        let filled = done * width / total.max(1);
                        eprint!("\r[{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(width - filled));
                        let _ = std::io::stderr().flush();
                        if !p.ok {
                            eprintln!("\n{}: {}", p.entry, p.error);
                        }
                    }
                })
                .map_err(anyhow::Error::msg)?;
            if !json {
                eprintln!();
                println!("{total} kernels: {ok} ready ({hits} were already stored), {failed} failed");
            }
            if failed > 0 {
                std::process::exit(2);
            }
        }
        other => bail!("unknown command '{other}'\n\n{USAGE}"),
    }
    Ok(())
}
