//! kcached: the kcache daemon.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use kcache_proto::endpoint::{default_socket_path, Endpoint};
use kcache_proto::v1 as pb;
use kcache_server::service::KernelCacheService;
use kcache_server::store::{Maintenance, SledStore};
use tokio_stream::wrappers::{TcpListenerStream, UnixListenerStream};

const USAGE: &str = "\
kcached — compiles Numba-style kernels with LLVM and serves them from a content-addressed store

usage: kcached [--listen unix:PATH | tcp://HOST:PORT]... [--store DIR] [--max-size SIZE]

  --listen ENDPOINT  where to listen; may be given twice (a socket and a TCP port).
                     Default: $KCACHE_ENDPOINT, else $XDG_RUNTIME_DIR/kcache/kcached.sock,
                     else /tmp/kcache-$UID/kcached.sock (directory 0700, socket 0600).
  --store DIR        the sled store. Default: $XDG_CACHE_HOME/kcache/store,
                     else ~/.cache/kcache/store.
  --max-size SIZE    bound on stored artifacts (e.g. 500M, 2G; default 2G): least
                     recently used ones are evicted past it.
  --version          print the version and the LLVM version
  -h, --help         this text

Stop it with Ctrl-C or SIGTERM; acknowledged compiles are already on disk.
";

struct Args {
    listen: Vec<Endpoint>,
    store: PathBuf,
    max_size: u64,
}

/// Parses `123`, `64K`, `500M`, `2G` (powers of 1024).
fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let (digits, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        Some('T') => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .with_context(|| format!("'{text}' is not a size (e.g. 500M, 2G)"))?;
    n.checked_mul(mult)
        .with_context(|| format!("size '{text}' is too large"))
}

fn default_store() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("kcache").join("store");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    home.join(".cache").join("kcache").join("store")
}

fn parse_args() -> Result<Args> {
    let mut listen = Vec::new();
    let mut store = None;
    let mut max_size = kcache_server::store::DEFAULT_MAX_BYTES;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String> {
            inline
                .clone()
                .or_else(|| it.next())
                .with_context(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--listen" => listen.push(Endpoint::parse(&value("--listen")?).map_err(anyhow::Error::msg)?),
            "--store" => store = Some(PathBuf::from(value("--store")?)),
            "--max-size" => max_size = parse_size(&value("--max-size")?)?,
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "--version" => {
                println!(
                    "kcached {} (LLVM {})",
                    kcache_server::VERSION,
                    kcache_server::emit::llvm_version()
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument '{other}'\n\n{USAGE}"),
        }
    }
    if listen.is_empty() {
        listen.push(Endpoint::from_env().map_err(anyhow::Error::msg)?);
    }
    Ok(Args {
        listen,
        store: store.unwrap_or_else(default_store),
        max_size,
    })
}

/// Creates the socket's directory; a directory kcached creates (or the default one) is 0700.
fn prepare_socket_dir(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        let created = !dir.exists();
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        if created || dir == default_socket_path().parent().unwrap_or(dir) {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("chmod 0700 {}", dir.display()))?;
        }
    }
    Ok(())
}

/// Takes an exclusive lock beside the socket for the daemon's lifetime, so that many clients
/// auto-starting kcached at once end with exactly one daemon.
fn lock_socket(path: &Path) -> Result<std::fs::File> {
    use std::os::fd::AsRawFd;
    let lock_path = path.with_extension("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    // SAFETY: flock on a descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        bail!(
            "another kcached is already running for {} (it holds {})",
            path.display(),
            lock_path.display()
        );
    }
    Ok(file)
}

/// Binds a Unix socket: private directory, socket 0600, a stale socket replaced, a live one refused.
fn bind_unix(path: &Path) -> Result<tokio::net::UnixListener> {
    if path.exists() {
        // Holding the lock, a socket that answers belongs to a daemon that lost its lock file.
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            bail!("another kcached is already listening on {}", path.display());
        }
        std::fs::remove_file(path).with_context(|| format!("removing the stale socket {}", path.display()))?;
    }
    let listener = tokio::net::UnixListener::bind(path).with_context(|| format!("binding {}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("chmod 0600 {}", path.display()))?;
    Ok(listener)
}

const USAGE_FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// Logs go to stderr through `tracing`: the level from `KCACHE_LOG` (an env-filter, e.g.
/// `debug` or `kcache_server=debug`; default `info`), JSON lines with `KCACHE_LOG_FORMAT=json`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KCACHE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("KCACHE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.with_target(false).init();
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = parse_args()?;
    init_logging();
    std::fs::create_dir_all(&args.store)
        .with_context(|| format!("creating the store directory {}", args.store.display()))?;
    let store = SledStore::open_bounded(&args.store, args.max_size)
        .with_context(|| format!("opening the store {}", args.store.display()))?;
    let store = Arc::new(store);
    let service = KernelCacheService::new(store.clone());
    // Hits gather usage metadata in memory; it reaches the store every few seconds (and on a
    // clean shutdown), so a hit never writes to disk.
    let usage_store = store.clone();
    let usage_flusher = tokio::spawn(async move {
        let mut every = tokio::time::interval(USAGE_FLUSH_INTERVAL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let s = usage_store.clone();
            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || s.flush_usage()).await {
                tracing::warn!(error = %e, "writing usage metadata failed");
            }
        }
    });

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::kernel_cache_server::KernelCacheServer<KernelCacheService>>()
        .await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .context("building the reflection service")?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut servers = Vec::new();
    let mut sockets = Vec::new();
    let mut locks = Vec::new();
    for endpoint in &args.listen {
        let router = tonic::transport::Server::builder()
            .add_service(
                pb::kernel_cache_server::KernelCacheServer::new(service.clone())
                    .max_decoding_message_size(64 << 20)
                    .max_encoding_message_size(256 << 20),
            )
            .add_service(health_service.clone())
            .add_service(reflection.clone());
        let mut stop = stop_rx.clone();
        let shutdown = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        match endpoint {
            Endpoint::Unix(path) => {
                prepare_socket_dir(path)?;
                locks.push(lock_socket(path)?);
                let listener = bind_unix(path)?;
                sockets.push(path.clone());
                servers.push(tokio::spawn(
                    router.serve_with_incoming_shutdown(UnixListenerStream::new(listener), shutdown),
                ));
            }
            Endpoint::Tcp(addr) => {
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding tcp://{addr}"))?;
                servers.push(tokio::spawn(
                    router.serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown),
                ));
            }
        }
        println!("kcached: listening on {endpoint}");
    }
    println!("kcached: store {} (max {} bytes)", args.store.display(), args.max_size);
    println!(
        "kcached: {} (LLVM {}), ready",
        kcache_server::VERSION,
        kcache_server::emit::llvm_version()
    );

    shutdown_signal().await;
    println!("kcached: shutting down");
    let _ = stop_tx.send(true);
    for s in servers {
        if let Ok(Err(e)) = s.await {
            tracing::error!(error = %e, "server error");
        }
    }
    usage_flusher.abort();
    if let Err(e) = store.flush_usage() {
        tracing::warn!(error = %e, "writing usage metadata failed");
    }
    for path in sockets {
        let _ = std::fs::remove_file(path);
    }
    drop(locks);
    Ok(())
}
