//! Client connections, bounded: a cap on open connections, idle ones closed after a while or
//! when room is needed, and an accept loop that backs off when the process is out of file
//! descriptors instead of spinning (tonic's own loop retries a failing `accept` at once, forever).
//!
//! "Idle" means no request in progress and none started or finished for a while: a tower layer
//! ([`ActiveLayer`]) counts the requests of each connection, the accepted stream ([`Tracked`])
//! can be told to close, which it does by reporting end-of-file to the HTTP/2 server.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, ReadBuf};
use tonic::codegen::http;
use tonic::transport::server::{Connected, TlsConnectInfo};

use crate::auth::PeerCred;

/// How long a connection has had no request in progress before a shutdown closes it.
const SHUTDOWN_QUIET: Duration = Duration::from_millis(500);

#[derive(Clone, Debug)]
pub struct ConnLimits {
    /// Connections open at once; at the cap the longest-idle one is closed for a new one.
    pub max_connections: usize,
    /// A connection idle this long is closed.
    pub idle_timeout: Duration,
}

/// The first back-off after `accept` fails for want of descriptors or memory; it doubles up to
/// [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// One client connection.
pub struct ConnState {
    /// Requests in progress (their responses not yet finished).
    active: AtomicU32,
    /// When a request last started or finished, in ms since the tracker began.
    last_ms: AtomicU64,
    closing: AtomicBool,
    /// The reader of the connection, woken to see `closing`.
    waker: Mutex<Option<Waker>>,
}

/// A connection as the request extensions carry it (compared by identity).
#[derive(Clone)]
pub struct ConnHandle(Arc<ConnState>);

impl PartialEq for ConnHandle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for ConnHandle {}

impl std::fmt::Debug for ConnHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConnHandle(active={})", self.0.active.load(Ordering::Relaxed))
    }
}

pub struct Connections {
    limits: ConnLimits,
    epoch: Instant,
    next_id: AtomicU64,
    table: Mutex<HashMap<u64, Arc<ConnState>>>,
    shed: AtomicU64,
}

impl Connections {
    pub fn new(limits: ConnLimits) -> Arc<Connections> {
        Arc::new(Connections {
            limits,
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            table: Mutex::new(HashMap::new()),
            shed: AtomicU64::new(0),
        })
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<ConnState>>> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Connections open now.
    pub fn open(&self) -> u64 {
        self.table().len() as u64
    }

    /// Connections closed to make room or for idleness, since start.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    pub fn limits(&self) -> &ConnLimits {
        &self.limits
    }

    fn track<S>(self: &Arc<Self>, io: S) -> Tracked<S> {
        let state = Arc::new(ConnState {
            active: AtomicU32::new(0),
            last_ms: AtomicU64::new(self.now_ms()),
            closing: AtomicBool::new(false),
            waker: Mutex::new(None),
        });
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.table().insert(id, state.clone());
        Tracked {
            io,
            conn: ConnHandle(state),
            registration: Registration {
                conns: self.clone(),
                id,
            },
        }
    }

    /// Closes the connection idle longest (none is when every one has a request in progress);
    /// whether one was.
    pub fn shed_idlest(&self) -> bool {
        let victim = self
            .table()
            .values()
            .filter(|c| c.active.load(Ordering::Relaxed) == 0 && !c.closing.load(Ordering::Relaxed))
            .min_by_key(|c| c.last_ms.load(Ordering::Relaxed))
            .cloned();
        match victim {
            Some(c) => {
                close(&c);
                self.shed.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Closes every connection idle for longer than the idle timeout.
    pub fn reap_idle(&self) {
        self.close_idle_for(self.limits.idle_timeout);
    }

    /// Closes every connection with no request in progress for at least `age`.
    pub fn close_idle_for(&self, age: Duration) {
        // (See `spawn_closer` for why shutdown waits `SHUTDOWN_QUIET`.)
        let cutoff = self.now_ms().saturating_sub(age.as_millis() as u64);
        let idle: Vec<Arc<ConnState>> = self
            .table()
            .values()
            .filter(|c| {
                c.active.load(Ordering::Relaxed) == 0
                    && c.last_ms.load(Ordering::Relaxed) <= cutoff
                    && !c.closing.load(Ordering::Relaxed)
            })
            .cloned()
            .collect();
        for c in idle {
            close(&c);
            self.shed.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// At shutdown: closes connections once they have had no request in progress for a moment,
    /// so that idle clients (or ones that never spoke) do not hold a graceful shutdown up. The
    /// moment lets a reply whose body just ended reach the client: closing at once cut a reply
    /// to a compile that finished during the shutdown (the SIGTERM test failed under load).
    pub fn spawn_closer(self: &Arc<Self>) {
        let conns = self.clone();
        tokio::spawn(async move {
            loop {
                conns.close_idle_for(SHUTDOWN_QUIET);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
    }

    /// Reaps idle connections now and then, for as long as the tracker lives.
    pub fn spawn_reaper(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        let every = (self.limits.idle_timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(10));
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(conns) = weak.upgrade() else { return };
                conns.reap_idle();
            }
        });
    }

    /// The connections of a listener, tracked and bounded. `accept` is the listener's accept;
    /// `wrap` turns an accepted stream into what the server takes (`None`: drop it).
    pub fn incoming<S, T, A, F, W>(
        self: &Arc<Self>,
        mut accept: A,
        wrap: W,
    ) -> tokio_stream::wrappers::ReceiverStream<std::io::Result<T>>
    where
        S: Send + 'static,
        T: Send + 'static,
        A: FnMut() -> F + Send + 'static,
        F: Future<Output = std::io::Result<S>> + Send,
        W: Fn(Tracked<S>) -> Option<T> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let conns = self.clone();
        tokio::spawn(async move {
            let mut backoff = MIN_BACKOFF;
            let mut last_warning: Option<Instant> = None;
            loop {
                // At the cap, make room first: the longest-idle connection goes. When every
                // connection is busy, new ones wait in the listen backlog.
                while conns.open() as usize >= conns.limits.max_connections {
                    conns.shed_idlest();
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_millis(20)) => {}
                        _ = tx.closed() => return,
                    }
                }
                let accepted = tokio::select! {
                    a = accept() => a,
                    _ = tx.closed() => return,
                };
                match accepted {
                    Ok(io) => {
                        backoff = MIN_BACKOFF;
                        if let Some(item) = wrap(conns.track(io)) {
                            if tx.send(Ok(item)).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) if is_exhaustion(&e) => {
                        if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                            tracing::warn!(
                                error = %e,
                                open = conns.open(),
                                "cannot accept connections (out of file descriptors or memory); closing idle ones and backing off"
                            );
                            last_warning = Some(Instant::now());
                        }
                        conns.shed_idlest();
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                    // The peer left before we accepted (ECONNABORTED) and the like.
                    Err(e) => {
                        tracing::debug!(error = %e, "accept failed");
                        tokio::time::sleep(MIN_BACKOFF).await;
                    }
                }
            }
        });
        tokio_stream::wrappers::ReceiverStream::new(rx)
    }
}

fn is_exhaustion(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

fn close(c: &ConnState) {
    c.closing.store(true, Ordering::Relaxed);
    if let Some(w) = c.waker.lock().unwrap_or_else(|e| e.into_inner()).take() {
        w.wake();
    }
}

/// Leaves the table when the connection is dropped.
struct Registration {
    conns: Arc<Connections>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.conns.table().remove(&self.id);
    }
}

/// An accepted stream, tracked: it reads end-of-file once it is told to close.
pub struct Tracked<S> {
    io: S,
    conn: ConnHandle,
    #[allow(dead_code)]
    registration: Registration,
}

impl<S> Tracked<S> {
    pub fn get_ref(&self) -> &S {
        &self.io
    }

    pub fn handle(&self) -> ConnHandle {
        self.conn.clone()
    }
}

impl Connected for Tracked<tokio::net::TcpStream> {
    type ConnectInfo = ConnHandle;

    fn connect_info(&self) -> ConnHandle {
        self.conn.clone()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let state = &this.conn.0;
        if state.closing.load(Ordering::Relaxed) {
            // End of file: the server closes the connection as if the client had.
            return Poll::Ready(Ok(()));
        }
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        if polled.is_pending() {
            *state.waker.lock().unwrap_or_else(|e| e.into_inner()) = Some(cx.waker().clone());
            // A close between the check above and storing the waker must not be missed.
            if state.closing.load(Ordering::Relaxed) {
                return Poll::Ready(Ok(()));
            }
        }
        polled
    }
}

/// Implements `AsyncWrite` for a wrapper by passing every call to its `io` field.
#[macro_export]
macro_rules! delegate_async_write {
    ($wrapper:ty $(, $param:ident : $bound:path)?) => {
        impl$(<$param: $bound + tokio::io::AsyncWrite + Unpin>)? tokio::io::AsyncWrite for $wrapper {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::pin::Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
            }

            fn poll_flush(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.get_mut().io).poll_flush(cx)
            }

            fn poll_shutdown(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
            }

            fn poll_write_vectored(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                bufs: &[std::io::IoSlice<'_>],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::pin::Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                self.io.is_write_vectored()
            }
        }
    };
}

delegate_async_write!(Tracked<S>, S: Send);

/// Counts each connection's requests in progress, from the request's start to the end of its
/// response body, so that a client waiting on a long compile is never taken for idle.
#[derive(Clone, Default)]
pub struct ActiveLayer {
    conns: Option<Arc<Connections>>,
}

impl ActiveLayer {
    pub fn new(conns: Arc<Connections>) -> ActiveLayer {
        ActiveLayer { conns: Some(conns) }
    }
}

impl<S> tower::Layer<S> for ActiveLayer {
    type Service = Active<S>;
    fn layer(&self, inner: S) -> Active<S> {
        Active {
            inner,
            conns: self.conns.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Active<S> {
    inner: S,
    conns: Option<Arc<Connections>>,
}

/// A request in progress on a connection; dropped with the response body.
struct InProgress {
    conn: ConnHandle,
    conns: Arc<Connections>,
}

impl InProgress {
    fn begin(conn: ConnHandle, conns: Arc<Connections>) -> InProgress {
        conn.0.active.fetch_add(1, Ordering::Relaxed);
        conn.0.last_ms.store(conns.now_ms(), Ordering::Relaxed);
        InProgress { conn, conns }
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.conn.0.last_ms.store(self.conns.now_ms(), Ordering::Relaxed);
        self.conn.0.active.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that keeps its request counted until it is finished or dropped.
struct CountedBody {
    inner: tonic::body::Body,
    _in_progress: InProgress,
}

impl http_body::Body for CountedBody {
    type Data = tonic::codegen::Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

fn connection_of<B>(req: &http::Request<B>) -> Option<ConnHandle> {
    let ext = req.extensions();
    ext.get::<PeerCred>()
        .and_then(|p| p.conn.clone())
        .or_else(|| ext.get::<ConnHandle>().cloned())
        .or_else(|| ext.get::<TlsConnectInfo<ConnHandle>>().map(|t| t.get_ref().clone()))
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> tower::Service<http::Request<B>> for Active<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let in_progress = match (connection_of(&req), &self.conns) {
            (Some(conn), Some(conns)) => Some(InProgress::begin(conn, conns.clone())),
            _ => None,
        };
        let response = self.inner.call(req);
        Box::pin(async move {
            let response = response.await?;
            Ok(match in_progress {
                Some(p) => response.map(|body| {
                    tonic::body::Body::new(CountedBody {
                        inner: body,
                        _in_progress: p,
                    })
                }),
                None => response,
            })
        })
    }
}

/// Raises the soft limit on open files to the hard one: every client connection is a
/// descriptor, and the default soft limit (often 1024) is far below what the kernel allows.
/// Returns the soft limit in force afterwards.
pub fn raise_nofile_limit() -> u64 {
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) != 0 {
            return 1024;
        }
        if rl.rlim_cur < rl.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: rl.rlim_max,
                rlim_max: rl.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                rl.rlim_cur = rl.rlim_max;
            }
        }
    }
    rl.rlim_cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_idlest_connection_is_shed_and_reads_end_of_file() {
        use tokio::io::AsyncReadExt;
        let conns = Connections::new(ConnLimits {
            max_connections: 2,
            idle_timeout: Duration::from_secs(60),
        });
        let (a, _a_peer) = tokio::io::duplex(64);
        let (b, _b_peer) = tokio::io::duplex(64);
        let mut a = conns.track(a);
        let b = conns.track(b);
        assert_eq!(conns.open(), 2);
        // b has a request in progress: only a can go.
        let busy = InProgress::begin(b.handle(), conns.clone());
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(conns.shed_idlest());
        let mut buf = [0u8; 8];
        let n = tokio::time::timeout(Duration::from_secs(5), a.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n, 0, "a shed connection reads end-of-file");
        assert!(!conns.shed_idlest(), "the busy connection is never shed");
        drop(busy);
        drop(a);
        assert_eq!((conns.open(), conns.shed()), (1, 1));
    }
}
