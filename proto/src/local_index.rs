//! The local index: how a client on the daemon's machine resolves a compile request it has made
//! before without a round trip. One definition of the request digest and of the file layout,
//! used by the daemon (the only writer) and by the clients (readers).
//!
//! Beside its Unix socket `S`, kcached keeps a directory `S.index/` that only it writes:
//! - `objects/<digest>`: verified artifacts, named by their BLAKE3 digest;
//! - `index`: request digest → (artifact digest, the reply a hit would have carried, minus the
//!   bytes), sorted by request digest. The file is never changed in place: the daemon writes a
//!   new one beside it and renames it over the old, so a reader's mapping is always of one whole,
//!   finished file.
//!
//! The request digest covers every field of the request the client sends; the rest of the action
//! key (the compiler's fingerprint, the daemon's host CPU) is fixed for one daemon, which wipes the
//! directory when it starts, and the ABI versions the client must speak are in the header.
//!
//! The header names the daemon's process id, so that a client can tell that the daemon which
//! published the index still runs without connecting to it (a connection wakes the daemon, which
//! costs a fresh process more than the rest of a hit).

use std::path::{Path, PathBuf};

use crate::v1 as pb;

/// The directory file and subdirectory names.
pub const INDEX_FILE: &str = "index";
pub const OBJECTS_DIR: &str = "objects";

/// First bytes of an index file; the last byte is the layout version.
pub const MAGIC: [u8; 8] = *b"KCIDX\0\0\x02";
/// Bytes before the first entry.
pub const HEADER_SIZE: usize = 512;
/// Bytes of one entry: request digest, artifact digest, metadata offset and length, check.
pub const ENTRY_SIZE: usize = 32 + 32 + 8 + 8 + 32;
/// Where the compiler fingerprint starts in the header.
const FINGERPRINT_AT: usize = 72;
/// Longest compiler fingerprint the header holds.
pub const MAX_FINGERPRINT: usize = HEADER_SIZE - FINGERPRINT_AT;

/// The directory beside the socket at `socket`: `PATH.index`.
pub fn dir_for_socket(socket: &Path) -> PathBuf {
    let mut s = socket.as_os_str().to_owned();
    s.push(".index");
    PathBuf::from(s)
}

/// BLAKE3 over every field of a compile request, each length-prefixed, the options in sorted
/// order: equal digests mean requests the daemon cannot tell apart.
pub fn request_digest(req: &pb::CompileRequest) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"kcache-request-v1");
    field(&req.source);
    field(req.entry.as_bytes());
    field(req.signature.as_bytes());
    let mut options: Vec<(&String, &String)> = req.options.iter().collect();
    options.sort();
    field(&(options.len() as u64).to_le_bytes());
    for (k, v) in options {
        field(k.as_bytes());
        field(v.as_bytes());
    }
    match &req.target {
        None => field(b"no target"),
        Some(t) => {
            field(b"target");
            field(t.triple.as_bytes());
            field(t.cpu.as_bytes());
            field(t.features.as_bytes());
            field(&(t.client_features.len() as u64).to_le_bytes());
            for f in &t.client_features {
                field(f.as_bytes());
            }
        }
    }
    // A shared object and a relocatable object of the same kernel are different answers.
    field(&req.artifact.to_le_bytes());
    *h.finalize().as_bytes()
}

/// What the header says about the daemon that wrote the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The module ABI of every artifact listed (the client must speak it).
    pub module_abi: u64,
    /// The host table version the artifacts expect.
    pub host_api: u64,
    /// Which daemon run wrote it (its start time, ns): for logs and tests.
    pub generation: u64,
    /// The process id of the daemon that wrote it.
    pub pid: u64,
    /// The daemon's compiler fingerprint (the daemon-only part of the action key).
    pub fingerprint: String,
}

/// One mapping, as the daemon publishes it.
pub struct Entry<'a> {
    pub request: [u8; 32],
    pub artifact: [u8; 32],
    /// A `CompileReply` without its artifact bytes (prost-encoded).
    pub meta: &'a [u8],
}

/// Binds an entry's fields together: a flipped bit in the file is a miss, not another mapping.
fn entry_check(request: &[u8; 32], artifact: &[u8; 32], meta: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"kcache-index-entry-v1\0");
    h.update(request);
    h.update(artifact);
    h.update(&(meta.len() as u64).to_le_bytes());
    h.update(meta);
    *h.finalize().as_bytes()
}

/// The whole file for `entries` (sorted here).
pub fn encode(header: &Header, entries: &mut [Entry<'_>]) -> Vec<u8> {
    entries.sort_by_key(|e| e.request);
    let meta_start = HEADER_SIZE + entries.len() * ENTRY_SIZE;
    let meta_len: usize = entries.iter().map(|e| e.meta.len()).sum();
    let mut out = Vec::with_capacity(meta_start + meta_len);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&header.module_abi.to_le_bytes());
    out.extend_from_slice(&header.host_api.to_le_bytes());
    out.extend_from_slice(&header.generation.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    out.extend_from_slice(&(meta_start as u64).to_le_bytes());
    out.extend_from_slice(&(meta_len as u64).to_le_bytes());
    let fp = header.fingerprint.as_bytes();
    let fp = &fp[..fp.len().min(MAX_FINGERPRINT)];
    out.extend_from_slice(&(fp.len() as u64).to_le_bytes());
    out.extend_from_slice(&header.pid.to_le_bytes());
    out.extend_from_slice(fp);
    out.resize(HEADER_SIZE, 0);
    let mut offset = meta_start as u64;
    for e in entries.iter() {
        out.extend_from_slice(&e.request);
        out.extend_from_slice(&e.artifact);
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(e.meta.len() as u64).to_le_bytes());
        out.extend_from_slice(&entry_check(&e.request, &e.artifact, e.meta));
        offset += e.meta.len() as u64;
    }
    for e in entries.iter() {
        out.extend_from_slice(e.meta);
    }
    out
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("not a kcache index (bad magic or layout version)")]
    Magic,
    #[error("the index is truncated or its sizes do not add up")]
    Size,
}

/// A read-only view of an index file's bytes (a mapping of it, in the client).
pub struct IndexView<'a> {
    bytes: &'a [u8],
    count: usize,
    pub header: Header,
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

impl<'a> IndexView<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<IndexView<'a>, IndexError> {
        if bytes.len() < HEADER_SIZE {
            return Err(IndexError::Size);
        }
        if bytes[..8] != MAGIC {
            return Err(IndexError::Magic);
        }
        let count = u64_at(bytes, 32);
        let meta_start = u64_at(bytes, 40);
        let meta_len = u64_at(bytes, 48);
        let fp_len = u64_at(bytes, 56);
        let entries_end = (count as u128) * (ENTRY_SIZE as u128) + HEADER_SIZE as u128;
        if fp_len as usize > MAX_FINGERPRINT
            || entries_end != meta_start as u128
            || meta_start as u128 + meta_len as u128 != bytes.len() as u128
        {
            return Err(IndexError::Size);
        }
        let header = Header {
            module_abi: u64_at(bytes, 8),
            host_api: u64_at(bytes, 16),
            generation: u64_at(bytes, 24),
            pid: u64_at(bytes, 64),
            fingerprint: String::from_utf8_lossy(&bytes[FINGERPRINT_AT..FINGERPRINT_AT + fp_len as usize]).into_owned(),
        };
        Ok(IndexView {
            bytes,
            count: count as usize,
            header,
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn request_at(&self, i: usize) -> &'a [u8] {
        let at = HEADER_SIZE + i * ENTRY_SIZE;
        &self.bytes[at..at + 32]
    }

    /// The entry for `request`, if the file has one whose check holds.
    pub fn lookup(&self, request: &[u8; 32]) -> Option<Entry<'a>> {
        let (mut lo, mut hi) = (0usize, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.request_at(mid).cmp(request.as_slice()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.entry_at(mid),
            }
        }
        None
    }

    fn entry_at(&self, i: usize) -> Option<Entry<'a>> {
        let at = HEADER_SIZE + i * ENTRY_SIZE;
        let e = &self.bytes[at..at + ENTRY_SIZE];
        let request: [u8; 32] = e[..32].try_into().ok()?;
        let artifact: [u8; 32] = e[32..64].try_into().ok()?;
        let offset = usize::try_from(u64_at(e, 64)).ok()?;
        let len = usize::try_from(u64_at(e, 72)).ok()?;
        let meta = self.bytes.get(offset..offset.checked_add(len)?)?;
        (entry_check(&request, &artifact, meta)[..] == e[80..112]).then_some(Entry {
            request,
            artifact,
            meta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            module_abi: 7,
            host_api: 3,
            generation: 42,
            pid: 4242,
            fingerprint: "kcache test llvm 19".into(),
        }
    }

    #[test]
    fn the_artifact_kind_changes_the_request_digest() {
        let shared = pb::CompileRequest {
            source: b"def f(x):\n    return x\n".to_vec(),
            entry: "f".into(),
            signature: "float64(float64)".into(),
            ..Default::default()
        };
        let object = pb::CompileRequest {
            artifact: pb::ArtifactKind::RelocatableObject as i32,
            ..shared.clone()
        };
        assert_ne!(request_digest(&shared), request_digest(&object));
    }

    #[test]
    fn round_trip_and_lookup() {
        let metas: Vec<Vec<u8>> = (0..50u8).map(|i| vec![i; i as usize]).collect();
        let mut entries: Vec<Entry<'_>> = metas
            .iter()
            .enumerate()
            .map(|(i, m)| Entry {
                request: *blake3::hash(&[i as u8]).as_bytes(),
                artifact: [i as u8; 32],
                meta: m,
            })
            .collect();
        let bytes = encode(&header(), &mut entries);
        let view = IndexView::parse(&bytes).unwrap();
        assert_eq!(view.header, header());
        assert_eq!(view.len(), 50);
        for i in 0..50u8 {
            let e = view.lookup(blake3::hash(&[i]).as_bytes()).unwrap();
            assert_eq!(e.artifact, [i; 32]);
            assert_eq!(e.meta, &metas[i as usize][..]);
        }
        assert!(view.lookup(blake3::hash(b"other").as_bytes()).is_none());
    }

    #[test]
    fn damage_is_a_miss_or_an_error_never_another_mapping() {
        let meta = b"meta".to_vec();
        let mut entries = vec![Entry {
            request: [1; 32],
            artifact: [2; 32],
            meta: &meta,
        }];
        let bytes = encode(&header(), &mut entries);
        assert_eq!(
            IndexView::parse(&bytes[..bytes.len() - 1]).err(),
            Some(IndexError::Size)
        );
        let mut bad = bytes.clone();
        bad[0] ^= 1;
        assert_eq!(IndexView::parse(&bad).err(), Some(IndexError::Magic));
        // Any flipped bit in the entry or its metadata fails the entry's check.
        for at in HEADER_SIZE..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            if let Ok(view) = IndexView::parse(&bad) {
                assert!(view.lookup(&[1; 32]).is_none(), "byte {at} flipped still resolves");
            }
        }
    }
}
