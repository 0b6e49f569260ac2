//! The Rust client: connect, compile (or hit), verify, load, call.

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr};
use std::sync::{Arc, Mutex};

use kcache_abi::{kc_array, kc_generic_fn, MODULE_STATUS_OK};
use kcache_proto::endpoint::Endpoint;
use kcache_proto::v1 as pb;
use kcache_proto::v1::kernel_cache_client::KernelCacheClient;

use crate::abi::{ArgType, EntrySignature, Layout};
use crate::error::{Error, ErrorKind};
use crate::loader::Library;
use crate::peer::{ConnectOptions, Transport};

/// A connection to kcached. Cheap to share by reference across threads.
pub struct Client {
    /// The gRPC channel: made at connect, or at the first RPC when the local index may answer
    /// without one (a fresh process that only hits never starts a runtime or an HTTP/2 session).
    rpc: std::sync::OnceLock<Rpc>,
    rpc_init: std::sync::Mutex<()>,
    options: ConnectOptions,
    endpoint: Endpoint,
    /// The directory a local daemon publishes its hits in (`crate::local`).
    local: Option<crate::local::LocalIndex>,
}

struct Rpc {
    runtime: tokio::runtime::Runtime,
    inner: KernelCacheClient<Transport>,
}

impl Rpc {
    fn connect(endpoint: &Endpoint, options: &ConnectOptions) -> Result<Rpc, Error> {
        // Every call is a blocking `block_on`, so the calling thread can drive the connection
        // itself: no worker thread to start, and no cross-thread wake-up per request (both
        // showed in the time of a first hit). Threads sharing a client take turns driving it.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::new(ErrorKind::Internal, format!("cannot start the client runtime: {e}")))?;
        let inner = runtime
            .block_on(crate::peer::connect(endpoint, options))?
            .max_decoding_message_size(256 << 20)
            .max_encoding_message_size(64 << 20);
        Ok(Rpc { runtime, inner })
    }
}

/// What to compile.
#[derive(Clone, Debug, Default)]
pub struct CompileSpec {
    pub source: Vec<u8>,
    pub entry: String,
    /// Numba signature; empty: from the entry's decorator.
    pub signature: String,
    pub options: HashMap<String, String>,
    /// Target CPU name for the code (`x86-64-v3`, ...); empty: this machine's CPU.
    pub cpu: String,
    /// Target features; empty with an empty `cpu`: this machine's.
    pub features: String,
}

impl CompileSpec {
    pub fn new(source: impl Into<Vec<u8>>, entry: &str, signature: &str) -> Self {
        CompileSpec {
            source: source.into(),
            entry: entry.to_string(),
            signature: signature.to_string(),
            ..Default::default()
        }
    }

    pub fn option(mut self, key: &str, value: &str) -> Self {
        self.options.insert(key.to_string(), value.to_string());
        self
    }

    /// The gRPC request. With no CPU named, it carries this machine's CPU features so that the
    /// daemon builds code this CPU can run.
    pub fn request(&self) -> pb::CompileRequest {
        let client_features = if self.cpu.is_empty() && self.features.is_empty() {
            crate::cpu::host_features().to_vec()
        } else {
            vec![]
        };
        pb::CompileRequest {
            source: self.source.clone(),
            entry: self.entry.clone(),
            signature: self.signature.clone(),
            options: self.options.clone(),
            target: Some(pb::Target {
                triple: String::new(),
                cpu: self.cpu.clone(),
                features: self.features.clone(),
                client_features,
            }),
            artifact: pb::ArtifactKind::SharedObject as i32,
        }
    }
}

/// A loaded kernel: the library, its entries and what the daemon said about it.
pub struct Kernel {
    generic: kc_generic_fn,
    typed: *mut c_void,
    pub digest: String,
    pub cache_hit: bool,
    pub signature: EntrySignature,
    /// Indices of the array arguments the kernel may write.
    pub written_args: Vec<u32>,
    pub reply: pb::CompileReply,
    // Declared last: dropped after the function pointers above stop being used. Shared with
    // the other kernels of this artifact loaded from a local index (see `LOCAL_LOADED`).
    _library: Arc<Library>,
}

// SAFETY: the generated code is re-entrant (no global state besides the host table set once).
unsafe impl Send for Kernel {}
// SAFETY: see Send.
unsafe impl Sync for Kernel {}

impl Client {
    /// Connects to `endpoint` (`unix:PATH` or `tcp://HOST:PORT`); `None`: `$KCACHE_ENDPOINT`,
    /// else the default socket. Whom to trust and the TCP credentials come from the
    /// environment ([`ConnectOptions::from_env`]).
    pub fn connect(endpoint: Option<&str>) -> Result<Client, Error> {
        Client::connect_with(endpoint, &ConnectOptions::from_env()?)
    }

    /// Connects as [`Client::connect`] with explicit options; a daemon that fails the checks
    /// of [`crate::peer`] is refused before anything is sent to it.
    pub fn connect_with(endpoint: Option<&str>, options: &ConnectOptions) -> Result<Client, Error> {
        let endpoint = match endpoint {
            Some(e) => Endpoint::parse(e),
            None => Endpoint::from_env(),
        }
        .map_err(|m| Error::new(ErrorKind::Invalid, m))?;
        let local = match &endpoint {
            Endpoint::Unix(path) if !crate::local::disabled_by_env() => {
                // The checks of every connection, on the socket file (no connection: see
                // `trusted_unix_socket`): the index is trusted only as far as the daemon it
                // belongs to. Anything amiss takes the full path below, which reports it.
                crate::peer::trusted_unix_socket(path, options)
                    .and_then(|uid| crate::local::LocalIndex::open(path, uid).ok())
            }
            _ => None,
        };
        let client = Client {
            rpc: std::sync::OnceLock::new(),
            rpc_init: std::sync::Mutex::new(()),
            options: options.clone(),
            endpoint,
            local,
        };
        if client.local.is_none() {
            client.rpc()?;
        }
        Ok(client)
    }

    /// The gRPC channel, connected on first use.
    fn rpc(&self) -> Result<&Rpc, Error> {
        if let Some(rpc) = self.rpc.get() {
            return Ok(rpc);
        }
        let _one = self.rpc_init.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rpc) = self.rpc.get() {
            return Ok(rpc);
        }
        // A client that found the local index has not connected yet, and its daemon (alive, by
        // the index's pid) may still be binding its socket right after starting: give that a
        // moment instead of failing the first request.
        let patience = if self.local.is_some() {
            std::time::Duration::from_secs(2)
        } else {
            std::time::Duration::ZERO
        };
        let deadline = std::time::Instant::now() + patience;
        let rpc = loop {
            match Rpc::connect(&self.endpoint, &self.options) {
                Err(e) if e.kind == ErrorKind::Connect && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                other => break other?,
            }
        };
        Ok(self.rpc.get_or_init(|| rpc))
    }

    pub fn endpoint(&self) -> String {
        self.endpoint.to_string()
    }

    /// Sends the request and returns the daemon's reply as is.
    pub fn compile_reply(&self, spec: &CompileSpec) -> Result<pb::CompileReply, Error> {
        self.compile_request(spec.request())
    }

    fn compile_request(&self, request: pb::CompileRequest) -> Result<pb::CompileReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        rpc.runtime
            .block_on(inner.compile(request))
            .map(|r| r.into_inner())
            .map_err(|s| Error::from_status(&s, &self.endpoint.to_string()))
    }

    /// Compiles (or fetches) the relocatable object of a kernel, for linking into a library of
    /// one's own (`kcache export`): the reply with its artifact's digest verified. Always asked
    /// of the daemon (the local index lists loadable shared objects only).
    pub fn compile_object(&self, spec: &CompileSpec) -> Result<pb::CompileReply, Error> {
        let mut request = spec.request();
        request.artifact = pb::ArtifactKind::RelocatableObject as i32;
        let reply = self.compile_request(request)?;
        verify_digest(&reply.artifact, &reply.digest)?;
        Ok(reply)
    }

    /// Compiles (or fetches) a kernel, verifies its digest and loads it: from the local index
    /// when the daemon has published this request there, else by asking the daemon.
    pub fn compile(&self, spec: &CompileSpec) -> Result<Kernel, Error> {
        let request = spec.request();
        if let Some(kernel) = self.local.as_ref().and_then(|l| local_kernel(l, &request)) {
            return Ok(kernel);
        }
        Kernel::from_reply(self.compile_request(request)?)
    }

    /// Whether hits may come from the daemon's local index (it was found and trusted).
    pub fn has_local_index(&self) -> bool {
        self.local.is_some()
    }

    fn status(&self, s: tonic::Status) -> Error {
        Error::from_status(&s, &self.endpoint.to_string())
    }

    /// Loads a stored artifact by its digest (no source needed), verified before loading.
    pub fn fetch(&self, digest: &str) -> Result<Kernel, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        let reply = rpc
            .runtime
            .block_on(inner.get_artifact(pb::GetArtifactRequest {
                digest: digest.to_string(),
            }))
            .map_err(|s| self.status(s))?
            .into_inner();
        let abi = reply.abi.ok_or_else(|| {
            Error::new(
                ErrorKind::Invalid,
                format!("the store has no entry description for {digest}"),
            )
        })?;
        Kernel::from_reply(pb::CompileReply {
            digest: digest.to_string(),
            artifact: reply.artifact,
            abi: Some(abi),
            cache_hit: true,
            ..Default::default()
        })
    }

    pub fn inspect(&self, spec: &CompileSpec) -> Result<pb::InspectReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        rpc.runtime
            .block_on(inner.inspect(spec.request()))
            .map(|r| r.into_inner())
            .map_err(|s| self.status(s))
    }

    pub fn explain(&self, spec: &CompileSpec) -> Result<pb::ExplainReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        rpc.runtime
            .block_on(inner.explain(spec.request()))
            .map(|r| r.into_inner())
            .map_err(|s| self.status(s))
    }

    /// Removes an action (by action key) or every action of an artifact (by digest).
    pub fn evict(&self, action_key: &str, digest: &str) -> Result<pb::EvictReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        let req = pb::EvictRequest {
            action_key: action_key.to_string(),
            digest: digest.to_string(),
        };
        rpc.runtime
            .block_on(inner.evict(req))
            .map(|r| r.into_inner())
            .map_err(|s| self.status(s))
    }

    /// Trims the store to `max_bytes` (0: the daemon's --max-size).
    pub fn gc(&self, max_bytes: u64) -> Result<pb::GcReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        rpc.runtime
            .block_on(inner.gc(pb::GcRequest { max_bytes }))
            .map(|r| r.into_inner())
            .map_err(|s| self.status(s))
    }

    /// Compiles many kernels; `progress` sees each result as the daemon finishes it.
    pub fn compile_batch(
        &self,
        specs: &[CompileSpec],
        mut progress: impl FnMut(&pb::BatchProgress),
    ) -> Result<(), Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        let req = pb::CompileBatchRequest {
            requests: specs.iter().map(|s| s.request()).collect(),
        };
        rpc.runtime.block_on(async {
            let mut stream = inner.compile_batch(req).await.map_err(|s| self.status(s))?.into_inner();
            while let Some(item) = stream.message().await.map_err(|s| self.status(s))? {
                progress(&item);
            }
            Ok(())
        })
    }

    pub fn stats(&self) -> Result<pb::StatsReply, Error> {
        let rpc = self.rpc()?;
        let mut inner = rpc.inner.clone();
        rpc.runtime
            .block_on(inner.stats(pb::StatsRequest {}))
            .map(|r| r.into_inner())
            .map_err(|s| Error::from_status(&s, &self.endpoint.to_string()))
    }
}

/// Libraries this process loaded from a local index, with the artifact file each was verified
/// from as it was then. A repeated hit on one of them (the same kernel asked for again, by any
/// client of this process) loads nothing and hashes nothing: it still resolves the request in the
/// daemon's newest index and checks that the file the index names is unchanged, so an evicted or
/// replaced kernel, or a file touched since, is never answered from here.
static LOCAL_LOADED: Mutex<Vec<Loaded>> = Mutex::new(Vec::new());
/// Libraries `LOCAL_LOADED` keeps loaded after their kernels are freed (least recently used go),
/// and the artifact bytes it keeps for them (a hit's reply carries them): a process that loads
/// many large kernels keeps no more than this beside what its live kernels hold.
const LOCAL_LOADED_MAX: usize = 64;
const LOCAL_LOADED_MAX_BYTES: usize = 64 << 20;

struct Loaded {
    artifact: [u8; 32],
    stamp: crate::local::FileStamp,
    library: Arc<Library>,
    bytes: Arc<[u8]>,
    used: u64,
}

fn local_loaded() -> std::sync::MutexGuard<'static, Vec<Loaded>> {
    LOCAL_LOADED.lock().unwrap_or_else(|e| e.into_inner())
}

/// A hit from the local index, or `None` (ask the daemon): a corrupted or replaced file fails the
/// digest check. The verified bytes are what is loaded (in process, or, for an object only
/// `dlopen` loads, from a memfd of their own: never the index's file itself, which another load
/// in this process could alias in glibc's list of loaded libraries; see `loader`).
fn local_kernel(local: &crate::local::LocalIndex, request: &pb::CompileRequest) -> Option<Kernel> {
    static CLOCK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut found = local.find(request)?;
    let now = CLOCK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut reply = std::mem::take(&mut found.reply);
    // The file is looked at (one `stat`) only if this process holds a library of this artifact.
    if local_loaded().iter().any(|l| l.artifact == found.artifact) {
        let stamp = local.stamp(&found)?;
        let cached = local_loaded()
            .iter_mut()
            .find(|l| l.artifact == found.artifact && l.stamp == stamp)
            .map(|l| {
                l.used = now;
                (l.library.clone(), l.bytes.clone())
            });
        if let Some((library, bytes)) = cached {
            reply.artifact = bytes.to_vec();
            return Kernel::with_library(reply, library).ok();
        }
    }
    let (bytes, stamp) = local.read(&found)?;
    reply.artifact = bytes;
    verify_digest(&reply.artifact, &reply.digest).ok()?;
    let library = Arc::new(Library::load(&reply.artifact).ok()?);
    if reply.artifact.len() > LOCAL_LOADED_MAX_BYTES {
        return Kernel::with_library(reply, library).ok();
    }
    let mut loaded = local_loaded();
    loaded.retain(|l| l.artifact != found.artifact);
    while loaded.len() >= LOCAL_LOADED_MAX
        || loaded.iter().map(|l| l.bytes.len()).sum::<usize>() + reply.artifact.len() > LOCAL_LOADED_MAX_BYTES
    {
        let Some(oldest) = (0..loaded.len()).min_by_key(|&i| loaded[i].used) else {
            break;
        };
        loaded.swap_remove(oldest);
    }
    loaded.push(Loaded {
        artifact: found.artifact,
        stamp,
        library: library.clone(),
        bytes: reply.artifact.as_slice().into(),
        used: now,
    });
    drop(loaded);
    Kernel::with_library(reply, library).ok()
}

fn verify_digest(bytes: &[u8], digest: &str) -> Result<(), Error> {
    let actual = blake3::hash(bytes).to_hex();
    if actual.as_str() != digest {
        return Err(Error::new(
            ErrorKind::Integrity,
            format!("artifact digest mismatch: expected {digest}, got {actual}; refusing to load"),
        ));
    }
    Ok(())
}

impl Kernel {
    /// Verifies and loads the artifact of a reply.
    pub fn from_reply(reply: pb::CompileReply) -> Result<Kernel, Error> {
        verify_digest(&reply.artifact, &reply.digest)?;
        let library = Library::load(&reply.artifact)?;
        Kernel::with_library(reply, Arc::new(library))
    }

    fn with_library(reply: pb::CompileReply, library: Arc<Library>) -> Result<Kernel, Error> {
        let abi = reply
            .abi
            .clone()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "reply without an ABI"))?;
        let signature = EntrySignature::parse(&abi.arg_types, &abi.return_type, &abi.signature)?;
        let generic = library.symbol(&abi.generic_symbol).ok_or_else(|| {
            Error::new(
                ErrorKind::Load,
                format!("the artifact lacks the symbol {}", abi.generic_symbol),
            )
        })?;
        let typed = library.symbol(&abi.typed_symbol).ok_or_else(|| {
            Error::new(
                ErrorKind::Load,
                format!("the artifact lacks the symbol {}", abi.typed_symbol),
            )
        })?;
        Ok(Kernel {
            // SAFETY: the generic entry has this signature in every module kcached builds.
            generic: unsafe { std::mem::transmute::<*mut c_void, kc_generic_fn>(generic) },
            typed,
            digest: reply.digest.clone(),
            cache_hit: reply.cache_hit,
            signature,
            written_args: abi.written_args.clone(),
            reply,
            _library: library,
        })
    }

    /// The generic entry (see `kc_kernel_generic_fn`).
    pub fn generic_entry(&self) -> *mut c_void {
        self.generic as *mut c_void
    }

    /// The typed native entry (scalars by value, arrays as `*const kc_array`).
    pub fn typed_entry(&self) -> *mut c_void {
        self.typed
    }

    /// Checks the arguments against the signature, then calls the generic entry.
    ///
    /// # Safety
    /// `args` has one pointer per argument: to a value of the argument's scalar type, or to a
    /// `kc_array` whose data pointer covers its shape and strides. `ret` points to room for the
    /// result (`ArgType::size_align` of the signature's result: 8 bytes for a scalar, a
    /// `kc_array` for an array, a C struct for a tuple) or is null to discard it.
    pub unsafe fn call(&self, args: &[*const c_void], ret: *mut c_void) -> Result<(), Error> {
        if args.len() != self.signature.args.len() {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!(
                    "{} takes {} arguments, {} given",
                    self.signature.text,
                    self.signature.args.len(),
                    args.len()
                ),
            ));
        }
        for (i, (ty, p)) in self.signature.args.iter().zip(args).enumerate() {
            if p.is_null() {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!("argument {i} is a null pointer"),
                ));
            }
            // Arrays, also those inside a tuple argument (a C struct of its items).
            for (offset, array_ty) in ty.array_fields() {
                let ArgType::Array { dtype, ndim, layout } = array_ty else {
                    unreachable!("array_fields yields arrays")
                };
                // SAFETY: the caller promises array arguments (and tuples' array fields) are
                // kc_array descriptors.
                let a = unsafe { &*((*p as *const u8).add(offset) as *const kc_array) };
                check_array(i, a, *dtype as i32, *ndim, *layout, array_ty)?;
            }
        }
        let mut err: *const c_char = std::ptr::null();
        // Room for a result nobody asked for (u64 words keep any item aligned).
        let ret_size = self.signature.ret.as_ref().map_or(0, |r| r.size_align().0);
        let mut scratch = vec![0u64; ret_size.div_ceil(8).max(1)];
        let discard = ret.is_null();
        let ret = if discard {
            scratch.as_mut_ptr() as *mut c_void
        } else {
            ret
        };
        // SAFETY: arguments were checked against the signature; the caller vouches for the memory.
        let status = unsafe { (self.generic)(args.as_ptr(), ret, &mut err) };
        if status == MODULE_STATUS_OK {
            if discard {
                // Nobody wanted the arrays in the result: drop their references.
                for offset in self.signature.ret.iter().flat_map(ArgType::array_offsets) {
                    // SAFETY: the kernel wrote a descriptor at each array's offset in the scratch.
                    unsafe {
                        let a = (scratch.as_ptr() as *const u8).add(offset) as *const kc_array;
                        kcache_runtime::memory::decref(std::ptr::read_unaligned(a).owner);
                    }
                }
            }
            Ok(())
        } else {
            let msg = if err.is_null() {
                "kernel raised an exception".to_string()
            } else {
                // SAFETY: the kernel points err at a NUL-terminated constant in its own image.
                unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned()
            };
            Err(Error::new(ErrorKind::Runtime, msg))
        }
    }
}

fn check_array(i: usize, a: &kc_array, dtype: i32, ndim: usize, layout: Layout, ty: &ArgType) -> Result<(), Error> {
    let dtype = kcache_abi::kc_dtype::from_code(dtype).expect("a signature's dtype is a kc_dtype");
    match kcache_runtime::check::array_mismatch(a, dtype, ndim, layout) {
        None => Ok(()),
        Some(what) => Err(Error::new(
            ErrorKind::Invalid,
            format!("argument {i}: expected a {ty}, got {what}"),
        )),
    }
}

/// The stats reply as a JSON object (the shape `kcache stats --json` and `kc_stats_json` print).
pub fn stats_json(s: &pb::StatsReply) -> serde_json::Value {
    let mut value = serde_json::json!({
        "requests": s.requests,
        "hits": s.hits,
        "misses": s.misses,
        "compiles": s.compiles,
        "compile_failures": s.compile_failures,
        "source_errors": s.source_errors,
        "integrity_misses": s.integrity_misses,
        "in_flight": s.in_flight,
        "store_bytes": s.store_bytes,
        "store_entries": s.store_entries,
        "total_compile_us": s.total_compile_us,
        "evictions": s.evictions,
        "max_store_bytes": s.max_store_bytes,
        "avg_hit_us": s.avg_hit_us,
        "link_fallbacks": s.link_fallbacks,
        "unstored_compiles": s.unstored_compiles,
        "compile_timeouts": s.compile_timeouts,
        "compile_out_of_memory": s.compile_out_of_memory,
        "worker_crashes": s.worker_crashes,
        "worker_restarts": s.worker_restarts,
        "avg_isolation_us": s.avg_isolation_us,
        "connections": s.connections,
        "connections_shed": s.connections_shed,
        "store_lost_at_open": s.store_lost_at_open,
        "stages": s.stages.iter().map(|st| serde_json::json!({
            "stage": st.stage, "count": st.count, "avg_us": st.avg_us, "p50_us": st.p50_us, "p99_us": st.p99_us,
        })).collect::<Vec<_>>(),
    });
    // The shared tier's figures, flat (remote_hits, ...), only from a daemon that has one.
    if let (Some(r), Some(map)) = (&s.remote, value.as_object_mut()) {
        let remote = serde_json::json!({
            "remote_location": r.location, "remote_state": r.state, "remote_mode": r.mode,
            "remote_hits": r.hits, "remote_misses": r.misses, "remote_errors": r.errors,
            "remote_rejected": r.rejected, "remote_uploads": r.uploads, "remote_dropped": r.dropped,
            "remote_too_large": r.too_large, "remote_queued": r.queued, "remote_reconnects": r.reconnects,
            "remote_p50_us": r.p50_us, "remote_p99_us": r.p99_us,
        });
        map.extend(
            remote
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    value
}
