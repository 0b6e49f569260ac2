//! Accepting the `:authority` that standard gRPC clients send over a Unix socket.
//!
//! grpc-core (Python's `grpcio`, Ruby, PHP, C++) names a `unix:/run/kcache/kcached.sock` target
//! in the `:authority` pseudo-header as the percent-encoded path, `run%2Fkcache%2Fkcached.sock`.
//! That is not a valid URI authority (a `%` outside the user info), and the HTTP/2 layer under
//! tonic (h2, through the `http` crate) answers such a request with `RST_STREAM PROTOCOL_ERROR`
//! before any service sees it; h2 has no setting to relax this. The authority means nothing on
//! a Unix socket, so [`AuthorityFix`] rewrites it on the way in: on a connection's HEADERS
//! frames, an `:authority` value that does not parse as an authority has every byte outside
//! `[A-Za-z0-9._~-]` replaced by `_`, in place.
//!
//! The value keeps its length, so nothing else in the frame moves and the HPACK dynamic table
//! stays in step with the client's (an entry's size counts the value's length: the client's
//! later references by index reach the rewritten value on our side). What the rewrite cannot
//! do in place — a Huffman-coded value, a header block split over CONTINUATION frames, a frame
//! over [`MAX_HELD_FRAME`] — passes through untouched, as it would without this layer.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tonic::codegen::http::uri::Authority;
use tonic::transport::server::Connected;

const PREFACE_LEN: usize = 24;
const FRAME_HEADER_LEN: usize = 9;
const HEADERS: u8 = 0x1;
const END_HEADERS: u8 = 0x4;
const PADDED: u8 = 0x8;
const PRIORITY: u8 = 0x20;
/// HEADERS frames up to this size are held until complete and rewritten; larger ones (which
/// no gRPC client sends) pass through as they come.
pub const MAX_HELD_FRAME: usize = 64 << 10;
/// `:authority` is entry 1 of HPACK's static table.
const STATIC_AUTHORITY: u64 = 1;

/// A server-side connection whose incoming HEADERS frames get a usable `:authority`.
pub struct AuthorityFix<S> {
    inner: S,
    /// Bytes read from `inner` and not yet handed on; the first `ready` of them are scanned.
    buf: Vec<u8>,
    ready: usize,
    /// Preface bytes still to pass, then frame payload bytes to pass without looking.
    preface_left: usize,
    skip_left: usize,
    eof: bool,
}

impl<S> AuthorityFix<S> {
    pub fn new(inner: S) -> Self {
        AuthorityFix {
            inner,
            buf: Vec::new(),
            ready: 0,
            preface_left: PREFACE_LEN,
            skip_left: 0,
            eof: false,
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// Advances `ready` over every byte that can be handed on now.
    fn scan(&mut self) {
        loop {
            let avail = self.buf.len() - self.ready;
            if self.preface_left > 0 {
                let n = avail.min(self.preface_left);
                self.preface_left -= n;
                self.ready += n;
                if self.preface_left > 0 {
                    return;
                }
                continue;
            }
            if self.skip_left > 0 {
                let n = avail.min(self.skip_left);
                self.skip_left -= n;
                self.ready += n;
                if self.skip_left > 0 {
                    return;
                }
                continue;
            }
            if avail < FRAME_HEADER_LEN {
                return;
            }
            let h = &self.buf[self.ready..self.ready + FRAME_HEADER_LEN];
            let len = (h[0] as usize) << 16 | (h[1] as usize) << 8 | h[2] as usize;
            let (kind, flags) = (h[3], h[4]);
            if kind == HEADERS && flags & END_HEADERS != 0 && len <= MAX_HELD_FRAME {
                if avail < FRAME_HEADER_LEN + len {
                    return; // hold the frame until all of it is here
                }
                let start = self.ready + FRAME_HEADER_LEN;
                fix_headers_payload(flags, &mut self.buf[start..start + len]);
                self.ready = start + len;
            } else {
                self.ready += FRAME_HEADER_LEN;
                self.skip_left = len;
            }
        }
    }
}

/// Rewrites, in place, an invalid literal `:authority` in a HEADERS frame's payload.
fn fix_headers_payload(flags: u8, payload: &mut [u8]) {
    let mut start = 0;
    let mut end = payload.len();
    if flags & PADDED != 0 {
        let Some(&pad) = payload.first() else { return };
        start = 1;
        match end.checked_sub(pad as usize) {
            Some(e) if e >= start => end = e,
            _ => return,
        }
    }
    if flags & PRIORITY != 0 {
        start += 5;
    }
    if start > end {
        return;
    }
    fix_header_block(&mut payload[start..end]);
}

/// Reads an HPACK integer with an `n`-bit prefix at `*pos`.
fn hpack_int(block: &[u8], pos: &mut usize, n: u32) -> Option<u64> {
    let mask = (1u16 << n) as u64 - 1;
    let mut value = *block.get(*pos)? as u64 & mask;
    *pos += 1;
    if value < mask {
        return Some(value);
    }
    let mut shift = 0;
    loop {
        let b = *block.get(*pos)?;
        *pos += 1;
        value = value.checked_add(((b & 0x7f) as u64).checked_shl(shift)?)?;
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 56 {
            return None;
        }
    }
}

/// Reads an HPACK string at `*pos`: (Huffman-coded, byte range).
fn hpack_string(block: &[u8], pos: &mut usize) -> Option<(bool, std::ops::Range<usize>)> {
    let huffman = *block.get(*pos)? & 0x80 != 0;
    let len = usize::try_from(hpack_int(block, pos, 7)?).ok()?;
    let range = *pos..pos.checked_add(len)?;
    if range.end > block.len() {
        return None;
    }
    *pos = range.end;
    Some((huffman, range))
}

/// Walks a complete header block; a malformed one is left for h2 to refuse.
fn fix_header_block(block: &mut [u8]) {
    let mut pos = 0;
    while pos < block.len() {
        let first = block[pos];
        let prefix = if first & 0x80 != 0 {
            // Indexed field: a reference, nothing literal here.
            if hpack_int(block, &mut pos, 7).is_none() {
                return;
            }
            continue;
        } else if first & 0xc0 == 0x40 {
            6 // literal with incremental indexing
        } else if first & 0xe0 == 0x20 {
            if hpack_int(block, &mut pos, 5).is_none() {
                return; // dynamic table size update
            }
            continue;
        } else {
            4 // literal without indexing, or never indexed
        };
        let Some(index) = hpack_int(block, &mut pos, prefix) else {
            return;
        };
        let is_authority = if index == 0 {
            let Some((huffman, name)) = hpack_string(block, &mut pos) else {
                return;
            };
            !huffman && &block[name] == b":authority"
        } else {
            index == STATIC_AUTHORITY
        };
        let Some((huffman, value)) = hpack_string(block, &mut pos) else {
            return;
        };
        if is_authority && !huffman {
            sanitize_authority(&mut block[value]);
        }
    }
}

/// Makes `value` a valid authority of the same length, when it is not one already.
fn sanitize_authority(value: &mut [u8]) {
    if value.is_empty() || Authority::try_from(&*value).is_ok() {
        return;
    }
    for b in value.iter_mut() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-')) {
            *b = b'_';
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for AuthorityFix<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, out: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.ready > 0 {
                let n = this.ready.min(out.remaining());
                out.put_slice(&this.buf[..n]);
                this.buf.drain(..n);
                this.ready -= n;
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                // An incomplete frame at the end: hand it on as it is, h2 reports it.
                let n = this.buf.len().min(out.remaining());
                out.put_slice(&this.buf[..n]);
                this.buf.drain(..n);
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 << 10];
            let mut rb = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.inner).poll_read(cx, &mut rb))?;
            if rb.filled().is_empty() {
                this.eof = true;
            } else {
                this.buf.extend_from_slice(rb.filled());
                this.scan();
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for AuthorityFix<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

impl<S: Connected> Connected for AuthorityFix<S> {
    type ConnectInfo = S::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.inner.connect_info()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    fn frame(kind: u8, flags: u8, payload: &[u8]) -> Vec<u8> {
        let n = payload.len();
        let mut f = vec![(n >> 16) as u8, (n >> 8) as u8, n as u8, kind, flags, 0, 0, 0, 1];
        f.extend_from_slice(payload);
        f
    }

    /// What grpc-core sent for `unix:/tmp/opsd/cap.sock` (a literal, new name, incremental
    /// indexing), with the fields around it.
    fn grpc_core_block(authority: &[u8]) -> Vec<u8> {
        let mut b = vec![0x40, 5];
        b.extend_from_slice(b":path");
        b.push(6);
        b.extend_from_slice(b"/a/Bcd");
        b.push(0x40);
        b.push(10);
        b.extend_from_slice(b":authority");
        b.push(authority.len() as u8);
        b.extend_from_slice(authority);
        b.extend_from_slice(&[0x83, 0x86]); // :method POST, :scheme http (indexed)
        b
    }

    async fn through(input: Vec<u8>, chunk: usize) -> Vec<u8> {
        // The client side writes in chunks of `chunk` bytes: frames arrive split anywhere.
        let (mut client, server) = tokio::io::duplex(1 << 20);
        let writer = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            for piece in input.chunks(chunk) {
                client.write_all(piece).await.unwrap();
                tokio::task::yield_now().await;
            }
        });
        let mut fixed = AuthorityFix::new(server);
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = fixed.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        writer.await.unwrap();
        out
    }

    fn stream(blocks: &[Vec<u8>]) -> Vec<u8> {
        let mut s = PREFACE.to_vec();
        s.extend(frame(0x4, 0, &[0, 3, 0, 0, 0, 100])); // SETTINGS
        for b in blocks {
            s.extend(frame(HEADERS, END_HEADERS, b));
            s.extend(frame(0x0, 0x1, b"\0\0\0\0\0")); // DATA, END_STREAM
        }
        s
    }

    #[tokio::test]
    async fn grpc_core_unix_authority_becomes_valid_and_nothing_else_changes() {
        let bad = b"tmp%2Fopsd%2Fcap.sock";
        let input = stream(&[grpc_core_block(bad), grpc_core_block(b"localhost")]);
        let expected = stream(&[grpc_core_block(b"tmp_2Fopsd_2Fcap.sock"), grpc_core_block(b"localhost")]);
        for chunk in [1, 5, 9, 33, 1 << 16] {
            assert_eq!(through(input.clone(), chunk).await, expected, "chunk {chunk}");
        }
    }

    #[tokio::test]
    async fn static_name_padding_and_priority_are_understood() {
        let mut block = vec![0x01, 9]; // literal without indexing, name :authority (static 1)
        block.extend_from_slice(b"a/b%2Fc:1");
        let mut payload = vec![3]; // pad length
        payload.extend_from_slice(&[0, 0, 0, 0, 16]); // priority
        payload.extend_from_slice(&block);
        payload.extend_from_slice(&[0, 0, 0]);
        let mut input = PREFACE.to_vec();
        input.extend(frame(HEADERS, END_HEADERS | PADDED | PRIORITY, &payload));
        let out = through(input.clone(), 4).await;
        let fixed = String::from_utf8_lossy(&out[PREFACE.len() + 9 + 1 + 5 + 2..][..9]).into_owned();
        assert_eq!(fixed, "a_b_2Fc_1");
        assert_eq!(out.len(), input.len());
    }

    #[tokio::test]
    async fn what_cannot_be_rewritten_in_place_passes_untouched() {
        // Huffman-coded value, a block continued in CONTINUATION, a valid authority, garbage.
        let mut huff = grpc_core_block(b"x%2Fy");
        let at = huff.len() - 2 - 5 - 1;
        huff[at] |= 0x80;
        let mut input = PREFACE.to_vec();
        input.extend(frame(HEADERS, END_HEADERS, &huff));
        input.extend(frame(HEADERS, 0, &grpc_core_block(b"x%2Fy")));
        input.extend(frame(0x9, END_HEADERS, &[]));
        input.extend(frame(HEADERS, END_HEADERS, &grpc_core_block(b"example.com:50051")));
        input.extend(frame(HEADERS, END_HEADERS, &[0x40, 0xff, 0xff]));
        input.extend_from_slice(&[0, 0, 9, HEADERS, END_HEADERS, 0]); // cut short at the end
        assert_eq!(through(input.clone(), 3).await, input);
    }
}
