//! kcached: the kcache daemon.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use kcache_proto::endpoint::{default_socket_path, Endpoint};
use kcache_proto::ids::{effective_uid, parse_gid, parse_uid};
use kcache_proto::v1 as pb;
use kcache_server::activation::{self, Activated};
use kcache_server::auth::{read_secret_file, AuthLayer, Policy, Token};
use kcache_server::authority::AuthorityFix;
use kcache_server::conns::{ActiveLayer, ConnLimits, Connections};
use kcache_server::listen::{self, Sharing};
use kcache_server::service::KernelCacheService;
use kcache_server::store::remote::{self, RemoteOptions};
use kcache_server::store::{LocalStore, Maintenance, SledStore, UnavailableStore};
use kcache_server::worker::pool::{PoolConfig, WorkerPool};
use kcache_server::worker::Compiler;
use tokio_stream::StreamExt;
use tonic::transport::{Identity, ServerTlsConfig};

const USAGE: &str = "\
kcached — compiles Numba-style kernels with LLVM and serves them from a content-addressed store

usage: kcached [--config FILE] [--listen unix:PATH | tcp://HOST:PORT]... [--store DIR] [--max-size SIZE]
               [--metrics tcp://HOST:PORT] [--log FILTER] [--log-format text|json]
               [--allow-uid UID]... [--allow-gid GID]...
               [--tls-cert FILE --tls-key FILE] [--token-file FILE] [--admin-token-file FILE]
               [--insecure-tcp] [--remote URL --remote-key-file FILE [--remote-*]...]

  --listen ENDPOINT  where to listen; may be given twice (a socket and a TCP port).
                     Default: $KCACHE_ENDPOINT, else $XDG_RUNTIME_DIR/kcache/kcached.sock,
                     else /tmp/kcache-$UID/kcached.sock (directory 0700, socket 0600).
                     The socket's directory must belong to kcached's uid and be closed to
                     other writers; only a stale socket of its own is ever replaced.
  --store DIR        the sled store. Default: $XDG_CACHE_HOME/kcache/store,
                     else ~/.cache/kcache/store. Private: directories 0700, files 0600
                     (a store others can read is made private at start, with a warning;
                     one that belongs to another uid is refused).
  --max-size SIZE    bound on stored artifacts (e.g. 500M, 2G; default 2G): least
                     recently used ones are evicted past it.

Operation:
  --config FILE      settings from a TOML file: each key is a flag without its dashes
                     (store = \"/var/lib/kcache\", listen = [...], [remote] url = ...).
                     Precedence: defaults < file < environment < flags.
  --metrics tcp://HOST:PORT  serve Prometheus metrics at http://HOST:PORT/metrics (no
                     authentication: counts and times only; keep it on loopback or a
                     trusted network)
  --log FILTER       what to log: info (default), debug, kcache_server=debug, ...
                     ($KCACHE_LOG)
  --log-format text|json   JSON lines for a log collector ($KCACHE_LOG_FORMAT; default text)
  --shutdown-grace DURATION  on SIGTERM, how long requests in flight (compiles included)
                     may take to be answered before kcached exits anyway (default 20s)
  Socket activation: started by systemd with its sockets (LISTEN_FDS), kcached serves those
  in place of --listen (Unix ones with the same credential checks).

Who may connect. On the socket, only processes of kcached's own uid, unless shared on purpose:
  --allow-uid UID    also serve this uid (number or user name; repeatable). The socket
                     becomes 0666: the per-connection credential check is the gate.
  --allow-gid GID    also serve members of this group (number or name; repeatable). The
                     socket becomes 0660 with the first such group, and a directory kcached
                     creates 0710 with that group.
  Others get PERMISSION_DENIED. Gc and Evict stay with kcached's own uid.
TCP is served only with TLS and a bearer token on every request:
  --tls-cert FILE    PEM certificate chain for TLS (with --tls-key)
  --tls-key FILE     PEM private key (not readable by other users)
  --token-file FILE  the bearer token clients send (KCACHE_TOKEN_FILE); at least 16
                     characters, the file not readable by other users
  --admin-token-file FILE  a second token that also allows Gc and Evict over TCP (without
                     it, TCP never serves them)
  --insecure-tcp     allow TCP without TLS or token; loopback addresses only
  --no-local-index   do not publish served artifacts and the request index beside the
                     socket (SOCKET.index/), so every hit is an RPC. By default clients on
                     this machine resolve a request they made before there, with no round trip.

Limits (a request that passes one fails alone; every other client is served on):
  --compile-timeout DURATION  wall-clock limit of one compile (e.g. 90s, 5m; default 60s):
                     past it the compile is stopped, DEADLINE_EXCEEDED
  --compile-memory SIZE  memory one compile may use (default 4G): past it the compile is
                     stopped, RESOURCE_EXHAUSTED
  --compile-jobs N   compiles at once, each in its own worker process (default: the number
                     of cores); more requests queue
  --max-connections N  client connections open at once (default: what the open-file limit
                     allows, at most 4096); past it the longest-idle connection is closed
  --max-streams N    requests in progress on one connection (default 256)
  --idle-timeout DURATION  a connection with no request for this long is closed (default 10m);
                     clients reconnect by themselves

  --version          print the version and the LLVM version
  -h, --help         this text

Stop it with Ctrl-C or SIGTERM: requests in flight are answered (within --shutdown-grace);
compiles acknowledged as stored are already on disk.
";

#[derive(Default)]
struct Args {
    listen: Vec<Endpoint>,
    metrics: Option<std::net::SocketAddr>,
    log: Option<String>,
    log_format: Option<String>,
    shutdown_grace: std::time::Duration,
    store: PathBuf,
    max_size: u64,
    sharing: Sharing,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    token_file: Option<PathBuf>,
    admin_token_file: Option<PathBuf>,
    insecure_tcp: bool,
    no_local_index: bool,
    remote: RemoteOptions,
    compile_timeout: std::time::Duration,
    compile_memory: u64,
    compile_jobs: usize,
    max_connections: Option<usize>,
    max_streams: u32,
    idle_timeout: std::time::Duration,
}

/// A count that must be at least 1.
fn positive<T: std::str::FromStr + PartialOrd + Default>(flag: &str, text: &str) -> Result<T> {
    text.trim()
        .parse()
        .ok()
        .filter(|n| *n > T::default())
        .with_context(|| format!("{flag} needs a positive number, not '{text}'"))
}

/// Parses `90`, `90s`, `500ms`, `5m`, `1h` (a bare number is seconds).
fn parse_duration(text: &str) -> Result<std::time::Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .parse()
        .with_context(|| format!("'{text}' is not a duration (e.g. 90s, 5m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        other => bail!("'{text}': unknown unit '{other}' (ms, s, m, h)"),
    };
    if !(seconds > 0.0 && seconds < 1e9) {
        bail!("'{text}' is not a positive duration");
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
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
    let mut args = Args {
        max_size: kcache_server::store::DEFAULT_MAX_BYTES,
        shutdown_grace: std::time::Duration::from_secs(20),
        compile_timeout: std::time::Duration::from_secs(60),
        compile_memory: 4 << 30,
        compile_jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        max_streams: 256,
        idle_timeout: std::time::Duration::from_secs(600),
        ..Default::default()
    };
    let mut store = None;
    // A --config file's settings come first, as flags: the command line's override them.
    let usage = format!("{USAGE}{}", remote::USAGE);
    let mut it = kcache_server::config::command_line(std::env::args().skip(1).collect(), &usage)?.into_iter();
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
            "--listen" => args
                .listen
                .push(Endpoint::parse(&value("--listen")?).map_err(anyhow::Error::msg)?),
            "--store" => store = Some(PathBuf::from(value("--store")?)),
            "--metrics" => {
                let v = value("--metrics")?;
                let addr = v.strip_prefix("tcp://").unwrap_or(&v);
                args.metrics = Some(
                    addr.parse()
                        .with_context(|| format!("--metrics takes tcp://HOST:PORT (an IP address), not '{v}'"))?,
                );
            }
            "--log" => args.log = Some(value("--log")?),
            "--shutdown-grace" => {
                let v = value("--shutdown-grace")?;
                args.shutdown_grace = remote::parse_duration(&v)
                    .with_context(|| format!("--shutdown-grace takes a duration (20s, 500ms, 1m), not '{v}'"))?;
            }
            "--log-format" => match value("--log-format")?.as_str() {
                f @ ("text" | "json") => args.log_format = Some(f.to_string()),
                other => bail!("--log-format takes text or json, not '{other}'"),
            },
            "--max-size" => args.max_size = parse_size(&value("--max-size")?)?,
            "--allow-uid" => args
                .sharing
                .allow_uids
                .push(parse_uid(&value("--allow-uid")?).map_err(anyhow::Error::msg)?),
            "--allow-gid" => args
                .sharing
                .allow_gids
                .push(parse_gid(&value("--allow-gid")?).map_err(anyhow::Error::msg)?),
            "--tls-cert" => args.tls_cert = Some(PathBuf::from(value("--tls-cert")?)),
            "--tls-key" => args.tls_key = Some(PathBuf::from(value("--tls-key")?)),
            "--token-file" => args.token_file = Some(PathBuf::from(value("--token-file")?)),
            "--admin-token-file" => args.admin_token_file = Some(PathBuf::from(value("--admin-token-file")?)),
            "--insecure-tcp" => args.insecure_tcp = true,
            "--no-local-index" => args.no_local_index = true,
            "--compile-timeout" => args.compile_timeout = parse_duration(&value("--compile-timeout")?)?,
            "--compile-memory" => args.compile_memory = parse_size(&value("--compile-memory")?)?,
            "--idle-timeout" => args.idle_timeout = parse_duration(&value("--idle-timeout")?)?,
            "--max-connections" => args.max_connections = Some(positive(&flag, &value(&flag)?)?),
            "--max-streams" => args.max_streams = positive(&flag, &value(&flag)?)?,
            "--compile-jobs" => args.compile_jobs = positive(&flag, &value(&flag)?)?,
            "--remote-max-artifact" => {
                args.remote.max_artifact = parse_size(&value("--remote-max-artifact")?)?;
                args.remote.tuned = true;
            }
            f if f.starts_with("--remote") => args.remote.set(f, &value(f)?)?,
            "-h" | "--help" => {
                print!("{USAGE}\n{}", remote::USAGE);
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
    if args.listen.is_empty() {
        args.listen.push(Endpoint::from_env().map_err(anyhow::Error::msg)?);
    }
    args.store = store.unwrap_or_else(default_store);
    Ok(args)
}

/// Whether opening the store failed for the disk's sake (full, read-only, failing) or sled's
/// files being damaged, rather than a mistake to report (another daemon holding it, permissions).
fn store_is_unusable(e: &kcache_server::store::StoreError) -> bool {
    use kcache_server::store::StoreError;
    match e {
        StoreError::Open { source, .. } | StoreError::Sled(source) => match source {
            sled::Error::Io(io) => matches!(
                io.raw_os_error(),
                Some(libc::ENOSPC | libc::EDQUOT | libc::EROFS | libc::EIO)
            ),
            sled::Error::Corruption { .. } => true,
            _ => false,
        },
        _ => false,
    }
}

/// What TCP listeners serve with: TLS identity and tokens, read once at start.
struct TcpSecurity {
    tls: Option<ServerTlsConfig>,
    token: Option<Token>,
    admin: Option<Token>,
}

fn tcp_security(args: &Args) -> Result<TcpSecurity> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let cert_pem = std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?;
            let key_pem = read_secret_file(key)?;
            Some(ServerTlsConfig::new().identity(Identity::from_pem(cert_pem, key_pem)))
        }
        (None, None) => None,
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    let token = args.token_file.as_deref().map(Token::from_file).transpose()?;
    let admin = args.admin_token_file.as_deref().map(Token::from_file).transpose()?;
    Ok(TcpSecurity { tls, token, admin })
}

const USAGE_FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// SIGTERM and SIGINT, caught from the moment this is made: made before any socket is bound, a
/// signal that arrives once the daemon answers but before it waits for one (a service manager
/// stopping it right after it started) is a graceful shutdown, not the default death.
struct ShutdownSignals {
    term: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn install() -> Result<ShutdownSignals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(ShutdownSignals {
            term: signal(SignalKind::terminate()).context("catching SIGTERM")?,
            interrupt: signal(SignalKind::interrupt()).context("catching SIGINT")?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}

/// Logs go to stderr through `tracing`: the level from `--log` or `KCACHE_LOG` (an env-filter,
/// e.g. `debug` or `kcache_server=debug`; default `info`), JSON lines with `--log-format json`
/// or `KCACHE_LOG_FORMAT=json`.
fn init_logging(args: &Args) {
    let filter = match &args.log {
        Some(f) => tracing_subscriber::EnvFilter::try_new(f).ok(),
        None => tracing_subscriber::EnvFilter::try_from_env("KCACHE_LOG").ok(),
    }
    .unwrap_or_else(|| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let format = args
        .log_format
        .clone()
        .or_else(|| std::env::var("KCACHE_LOG_FORMAT").ok());
    if format.is_some_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.with_target(false).init();
    }
}

fn main() -> Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    // A compile worker (see kcache_server::worker): no runtime, no sockets, no store.
    if argv.get(1).map(String::as_str) == Some(kcache_server::worker::WORKER_FLAG) {
        std::process::exit(kcache_server::worker::worker_main(&argv[2..]));
    }
    // The front end runs on the blocking pool: its threads get the compiler's stack (a virtual
    // reservation, paid in memory only as deep inputs use it).
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(kcache_server::compile::COMPILER_STACK_BYTES)
        .max_blocking_threads(64)
        .build()
        .context("starting the runtime")?
        .block_on(daemon())
}

async fn daemon() -> Result<()> {
    // Before anything is created: the store, the socket and the lock are the daemon's alone.
    kcache_server::private::set_private_umask();
    let mut args = parse_args()?;
    init_logging(&args);
    let shutdown_signals = ShutdownSignals::install()?;
    let nofile = kcache_server::conns::raise_nofile_limit();
    // Started by systemd with its sockets (LISTEN_FDS): those are what kcached serves.
    let mut activated = kcache_server::activation::take()?;
    if !activated.is_empty() {
        args.listen = activated.iter().map(|(e, _)| e.clone()).collect();
    }
    let security = tcp_security(&args)?;
    for endpoint in &args.listen {
        if let Endpoint::Tcp(addr) = endpoint {
            listen::check_tcp(
                addr,
                security.tls.is_some(),
                security.token.is_some(),
                args.insecure_tcp,
            )?;
        }
    }
    // The socket locks come before the store: a second daemon on the same socket is told
    // "already running" rather than failing on the store the first one holds.
    let mut locks = Vec::new();
    for endpoint in &args.listen {
        if let (Endpoint::Unix(path), true) = (endpoint, activated.is_empty()) {
            let is_default = *path == default_socket_path();
            listen::prepare_socket_dir(path, &args.sharing, is_default)?;
            locks.push(listen::lock_socket(path)?);
        }
    }
    // The workers start now, before the store is opened: a worker takes tens of milliseconds
    // to load LLVM, and the first compile of a daemon that has just started waits for one.
    let pool = WorkerPool::start(PoolConfig::this_exe(
        args.compile_jobs,
        args.compile_timeout,
        args.compile_memory,
    ));
    let fixed = kcache_server::private::secure_store(&args.store)?;
    if fixed > 0 {
        tracing::warn!(
            store = %args.store.display(),
            fixed,
            "the store was open to other users; made its files and directories private (directories 0700, files 0600)"
        );
    }
    let store: Arc<dyn LocalStore> = match SledStore::open_bounded(&args.store, args.max_size) {
        Ok(store) => Arc::new(store),
        // A full or failing disk must not leave every client without a daemon: serve compiles
        // without a store (each answered as not stored) until it is fixed and kcached restarted.
        Err(e) if store_is_unusable(&e) => {
            tracing::error!(
                store = %args.store.display(),
                error = %e,
                "cannot open the store; serving WITHOUT a store (every compile is answered as not stored) \
                 until space is freed and kcached restarted"
            );
            Arc::new(UnavailableStore::new(e.to_string(), args.max_size))
        }
        Err(e) => return Err(e).with_context(|| format!("opening the store {}", args.store.display())),
    };
    // With --remote, a shared tier behind the local store.
    let tiered = args.remote.tiered_store(store.clone())?.map(Arc::new);
    let serving: Arc<dyn LocalStore> = match &tiered {
        Some(t) => t.clone(),
        None => store.clone(),
    };
    let service = KernelCacheService::with_compiler(serving, Compiler::Workers(pool));
    // Descriptors not for connections: the store, the listeners, three pipes per worker, and
    // room for the linker and the remote tier.
    let reserved = 64 + 3 * args.compile_jobs as u64;
    let max_connections = args
        .max_connections
        .unwrap_or_else(|| nofile.saturating_sub(reserved).clamp(16, 4096) as usize);
    let connections = Connections::new(ConnLimits {
        max_connections,
        idle_timeout: args.idle_timeout,
    });
    connections.spawn_reaper();
    service.report_connections(connections.clone());
    // Hits for clients on this machine without a round trip: beside the first Unix socket.
    if let Some(socket) = args.listen.iter().find_map(|e| match e {
        Endpoint::Unix(path) => Some(path.clone()),
        Endpoint::Tcp(_) => None,
    }) {
        if args.no_local_index {
            kcache_server::local_index::remove_for_socket(&socket)?;
        } else {
            let publisher = kcache_server::local_index::Publisher::create(
                &socket,
                args.sharing.group(),
                kcache_server::key::compiler_fingerprint(),
            )?;
            println!("kcached: local index {}", publisher.dir().display());
            service.publish_local_index(Arc::new(publisher));
        }
    }
    let follower = service.clone();
    let index_follower = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            every.tick().await;
            follower.reconcile_local_index_if_evicted().await;
        }
    });
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
    // Reflection in both versions: grpcurl asks v1 first, older clients (grpcio-reflection,
    // older grpcurl and Postman) only know v1alpha.
    let reflection_builder = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection = reflection_builder()
        .build_v1()
        .context("building the reflection service")?;
    let reflection_v1alpha = reflection_builder()
        .build_v1alpha()
        .context("building the reflection service")?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut servers = Vec::new();
    let mut sockets = Vec::new();
    let owner = effective_uid();
    for endpoint in &args.listen {
        let mut builder = tonic::transport::Server::builder();
        let (policy, note) = match endpoint {
            Endpoint::Unix(_) => {
                let Sharing { allow_uids, allow_gids } = &args.sharing;
                let mut serves = vec![format!("uid {owner}")];
                serves.extend(allow_uids.iter().map(|u| format!("uid {u}")));
                serves.extend(allow_gids.iter().map(|g| format!("group {g}")));
                let note = format!(" (serving {})", serves.join(", "));
                let policy = Policy::Unix {
                    owner,
                    allow_uids: allow_uids.clone(),
                    allow_gids: allow_gids.clone(),
                };
                (policy, note)
            }
            Endpoint::Tcp(_) => {
                if let Some(tls) = &security.tls {
                    builder = builder.tls_config(tls.clone()).context("configuring TLS")?;
                }
                let note = format!(
                    " ({}, {})",
                    if security.tls.is_some() { "TLS" } else { "no TLS" },
                    if security.token.is_some() {
                        "token required"
                    } else {
                        "no token"
                    }
                );
                let policy = Policy::Tcp {
                    token: security.token.clone(),
                    admin: security.admin.clone(),
                };
                (policy, note)
            }
        };
        let router = builder
            .max_concurrent_streams(args.max_streams)
            // Pings find peers that vanished without closing (a host that went away).
            .http2_keepalive_interval(Some(std::time::Duration::from_secs(60)))
            .http2_keepalive_timeout(Some(std::time::Duration::from_secs(20)))
            .layer(ActiveLayer::new(connections.clone()))
            .layer(AuthLayer::new(policy))
            .add_service(
                pb::kernel_cache_server::KernelCacheServer::new(service.clone())
                    .max_decoding_message_size(64 << 20)
                    .max_encoding_message_size(256 << 20),
            )
            .add_service(health_service.clone())
            .add_service(reflection.clone())
            .add_service(reflection_v1alpha.clone());
        let mut stop = stop_rx.clone();
        let shutdown = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        match endpoint {
            Endpoint::Unix(path) => {
                let listener = match activation::claim(&mut activated, endpoint) {
                    Some(Activated::Unix(l)) => tokio::net::UnixListener::from_std(l)?,
                    _ => {
                        let (listener, bound) = listen::bind_unix(path, &args.sharing)?;
                        sockets.push(bound);
                        listener
                    }
                };
                servers.push(tokio::spawn(router.serve_with_incoming_shutdown(
                    // grpc-core's `:authority` for unix: targets is not one h2 accepts.
                    listen::incoming(listener, &connections).map(|c| c.map(AuthorityFix::new)),
                    shutdown,
                )));
            }
            Endpoint::Tcp(addr) => {
                let listener = match activation::claim(&mut activated, endpoint) {
                    Some(Activated::Tcp(l)) => tokio::net::TcpListener::from_std(l)?,
                    _ => tokio::net::TcpListener::bind(addr)
                        .await
                        .with_context(|| format!("binding tcp://{addr}"))?,
                };
                servers.push(tokio::spawn(router.serve_with_incoming_shutdown(
                    listen::incoming_tcp(listener, &connections),
                    shutdown,
                )));
            }
        }
        println!("kcached: listening on {endpoint}{note}");
    }
    // Metrics after the listeners: a probe that sees them answer can connect.
    let metrics = match args.metrics {
        Some(addr) => {
            let task = kcache_server::metrics::serve(addr, service.clone())
                .await
                .with_context(|| format!("binding the metrics endpoint tcp://{addr}"))?;
            println!("kcached: metrics at http://{addr}/metrics");
            Some(task)
        }
        None => None,
    };
    println!("kcached: store {} (max {} bytes)", args.store.display(), args.max_size);
    tracing::info!(
        max_connections,
        open_files = nofile,
        max_streams = args.max_streams,
        idle_timeout = ?args.idle_timeout,
        compile_jobs = args.compile_jobs,
        compile_timeout = ?args.compile_timeout,
        compile_memory = args.compile_memory,
        "limits"
    );
    if let Some(stats) = tiered.as_ref().and_then(|t| t.tier_stats()) {
        println!(
            "kcached: remote tier {} ({}, prefix {})",
            stats.location,
            args.remote.mode.as_str(),
            args.remote.prefix
        );
    }
    println!(
        "kcached: {} (LLVM {}), ready",
        kcache_server::VERSION,
        kcache_server::emit::llvm_version()
    );

    shutdown_signals.wait().await;
    println!("kcached: shutting down");
    let _ = stop_tx.send(true);
    // Idle clients would hold a graceful shutdown up for as long as they stay connected.
    connections.spawn_closer();
    // Requests in flight (compiles included) are answered, for at most --shutdown-grace.
    let drained = tokio::time::timeout(args.shutdown_grace, async {
        for s in servers {
            if let Ok(Err(e)) = s.await {
                tracing::error!(error = %e, "server error");
            }
        }
    })
    .await
    .is_ok();
    if !drained {
        tracing::warn!(
            grace = ?args.shutdown_grace,
            "requests still in flight at the end of --shutdown-grace are dropped"
        );
    }
    usage_flusher.abort();
    index_follower.abort();
    if let Some(task) = metrics {
        task.abort();
    }
    if let Some(t) = &tiered {
        // Uploads still queued get a moment; the local store has them regardless.
        t.drain(std::time::Duration::from_secs(1)).await;
    }
    if let Err(e) = store.flush_usage() {
        tracing::warn!(error = %e, "writing usage metadata failed");
    }
    for socket in sockets {
        socket.remove();
    }
    drop(locks);
    if !drained {
        // Dropping the runtime would wait for the compiles still running on its threads.
        std::process::exit(0);
    }
    Ok(())
}
