//! `kcache`: the command line client.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use kcache::{Client, CompileSpec};

const USAGE: &str = "\
kcache — command line client of kcached

usage:
  kcache compile FILE.py --entry NAME [--sig SIG] [--option k=v]... [--json]
  kcache stats [--json]
  kcache ping

Global: --endpoint unix:PATH|tcp://HOST:PORT (default: $KCACHE_ENDPOINT, else the default socket)
";

fn main() {
    if let Err(e) = run() {
        eprintln!("kcache: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut endpoint = None;
    let mut json = false;
    let mut rest = Vec::new();
    let mut it = args.drain(..);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--endpoint" => endpoint = Some(it.next().context("--endpoint needs a value")?),
            "--json" => json = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            _ => rest.push(a),
        }
    }
    let Some(command) = rest.first().cloned() else {
        print!("{USAGE}");
        bail!("no command");
    };
    let client = || Client::connect(endpoint.as_deref()).map_err(anyhow::Error::msg);
    match command.as_str() {
        "ping" => {
            let c = client()?;
            let t = std::time::Instant::now();
            c.stats().map_err(anyhow::Error::msg)?;
            println!(
                "kcached at {} answered in {:.2} ms",
                c.endpoint(),
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        "stats" => {
            let s = client()?.stats().map_err(anyhow::Error::msg)?;
            let value = kcache::client::stats_json(&s);
            if json {
                println!("{value}");
            } else if let Some(map) = value.as_object() {
                for (k, v) in map {
                    println!("{k:>18}  {v}");
                }
            }
        }
        "compile" => {
            let mut file = None;
            let mut entry = String::new();
            let mut sig = String::new();
            let mut options = HashMap::new();
            let mut it = rest[1..].iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--entry" => entry = it.next().context("--entry needs a value")?.clone(),
                    "--sig" => sig = it.next().context("--sig needs a value")?.clone(),
                    "--option" => {
                        let kv = it.next().context("--option needs k=v")?;
                        let (k, v) = kv.split_once('=').context("--option needs k=v")?;
                        options.insert(k.to_string(), v.to_string());
                    }
                    other if file.is_none() => file = Some(other.to_string()),
                    other => bail!("unexpected argument '{other}'"),
                }
            }
            let file = file.context("compile needs a FILE")?;
            let source = std::fs::read(&file).with_context(|| format!("reading {file}"))?;
            let spec = CompileSpec {
                source,
                entry,
                signature: sig,
                options,
                ..Default::default()
            };
            let reply = client()?
                .compile_reply(&spec)
                .map_err(|e| anyhow::anyhow!("{file}:{}", e.message))?;
            let t = reply.timings.unwrap_or_default();
            let abi = reply.abi.unwrap_or_default();
            if json {
                println!(
                    "{}",
                    serde_json::json!({
                        "digest": reply.digest, "cache_hit": reply.cache_hit, "bytes": reply.artifact.len(),
                        "signature": abi.signature, "typed_symbol": abi.typed_symbol, "action_key": reply.action_key,
                        "timings_us": {"parse": t.parse_us, "infer": t.infer_us, "lower": t.lower_us, "optimize": t.optimize_us,
                                        "emit": t.emit_us, "link": t.link_us, "total": t.total_us},
                    })
                );
            } else {
                println!(
                    "{} {} ({} bytes, {})",
                    if reply.cache_hit { "hit " } else { "miss" },
                    reply.digest,
                    reply.artifact.len(),
                    abi.signature
                );
                for d in &reply.diagnostics {
                    println!("note: {}", d.message);
                }
            }
        }
        other => bail!("unknown command '{other}'\n\n{USAGE}"),
    }
    Ok(())
}
